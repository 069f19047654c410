//! The command line grammar (clap derive).

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

/// Hallmark: copyright-confirmed digital collectibles. Media on IPFS, works on an EVM chain.
#[derive(Debug, Parser)]
#[command(name = "hallmark", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// Data folder (default: $HALLMARK_DATA_DIR, $XDG_DATA_HOME/hallmark or ~/.local/share/hallmark).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Use the Kubo node at this RPC URL instead of the configured store (e.g. http://127.0.0.1:5001).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) ipfs_api: Option<String>,
    /// More log output on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub(crate) verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the CID `ipfs add` would give FILE (any file; nothing is stored), like `ipfs add -nq`.
    Cid(CidArgs),
    /// Check a media file, hash it, store it and its thumbnails, and report what it is.
    Ingest(IngestArgs),
    /// Content store commands (the embedded store, or the Kubo node given by --ipfs-api).
    #[command(subcommand)]
    Ipfs(IpfsCommand),
    /// Health of the data folder, the content store and the chain.
    Status(StatusArgs),
    /// The works ingested into the local library, newest first.
    Library(LibraryArgs),
    /// The app's local dev chain.
    #[command(subcommand)]
    Chain(ChainCommand),
    /// Register a work: ingest FILE, refuse it if its content hash is already registered,
    /// store its metadata on IPFS, register it on-chain and mint edition 1 to the issuer.
    Mint(MintArgs),
    /// Show a token: its work, owner, listing and when it may change hands.
    Work(TokenArgs),
    /// Put a token you hold up for sale at a fixed price in credits.
    List(ListArgs),
    /// Withdraw your listing.
    Cancel(TokenArgs),
    /// Buy a listed token (royalties and the platform fee are paid by the market contract).
    Buy(TokenArgs),
    /// Give a token you hold to another member.
    Gift(GiftArgs),
    /// Freeze a work (reviewers: takedown of prohibited content) with a reason code.
    Freeze(FreezeArgs),
    /// Consortium membership (council only).
    #[command(subcommand)]
    Consortium(ConsortiumCommand),
    /// Usage-rights licences.
    #[command(subcommand)]
    Licence(LicenceCommand),
    /// Bring the local catalog up to the chain's head and fetch new works' metadata.
    Sync(SyncArgs),
    /// Browse tokens in the local catalog (works offline).
    Browse(BrowseArgs),
    /// Search titles, descriptions, creators and attributes in the local catalog (offline).
    Search(SearchArgs),
    /// A token from the local catalog: its work, holder, listing and provenance timeline.
    Show(ShowArgs),
    /// The local catalog (a cache of the chain).
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Make the evidence bundle of a token you hold: one zip anyone can verify offline
    /// (registration block, provenance, licences, your signed ownership statement).
    Prove(ProveArgs),
    /// Verify an evidence bundle: every check offline, then against the chain when a node is
    /// reachable. Exit status 0 only if every check passes.
    Verify(VerifyArgs),
    /// Who registered this file, when, and who holds it now (by its exact bytes).
    VerifyFile(VerifyFileArgs),
    /// A printable certificate (PDF or PNG, by the file extension) of an evidence bundle that
    /// verifies; its QR code holds the bundle's sha-256.
    Certificate(CertificateArgs),
    /// The consortium's review queue of near-copy mints (reviewers approve or reject).
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Are your works still retrievable, intact and pinned? Checks media, metadata and
    /// thumbnails in the local store (every block verified) and at each pinning service.
    /// Exit status 0 only when no problem remains.
    Health(crate::commands::health::HealthArgs),
    /// Fetch a work's metadata again now (as an ERC-4906 update does), checked against the chain.
    Refresh(crate::commands::health::RefreshArgs),
    /// Remote pinning services (IPFS Pinning Service API).
    #[command(subcommand)]
    Pinning(crate::commands::pinning::PinningCommand),
    /// Wallet accounts (scrypt keystores in the data folder); sign with `--as 0x…` and
    /// $HALLMARK_PASSWORD.
    #[command(subcommand)]
    Wallet(crate::commands::wallet::WalletCommand),
    /// Write an exit kit: the works' media and metadata as CAR files, the evidence bundles of
    /// the tokens you hold, the chain and its contracts, and a README on checking it all with
    /// standard tools (sha256sum, any IPFS node, curl).
    ExportKit(crate::commands::kit::ExportKitArgs),
    /// Import an exit kit: every file, block and bundle checked, then stored and pinned.
    ImportKit(crate::commands::kit::ImportKitArgs),
    /// Mints interrupted by a crash, a kill or a lost node: list, resume or discard them.
    #[command(subcommand)]
    Jobs(crate::commands::jobs::JobsCommand),
}

/// `hallmark review …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ReviewCommand {
    /// The queue, newest first (synced from the chain).
    List {
        /// Only requests in this state.
        #[arg(long, value_enum)]
        status: Option<ReviewStatusArg>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Approve a pending request: the issuer may then register the work.
    Approve(ReviewDecision),
    /// Reject a pending request.
    Reject(ReviewDecision),
    /// Withdraw your own pending request (issuers).
    Withdraw {
        /// The request id.
        request: u64,
        /// The issuer that submitted it.
        #[arg(long = "as", value_name = "ACCOUNT", default_value = "issuer")]
        account: Signer,
    },
}

/// A reviewer's decision.
#[derive(Debug, Args)]
pub(crate) struct ReviewDecision {
    /// The request id.
    pub(crate) request: u64,
    /// Why (shown to the issuer and kept on chain; up to 500 bytes).
    #[arg(long)]
    pub(crate) reason: String,
    /// The reviewer.
    #[arg(long = "as", value_name = "ACCOUNT", default_value = "reviewer")]
    pub(crate) account: Signer,
}

/// Review request states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReviewStatusArg {
    /// Waiting for a reviewer.
    Pending,
    /// Approved.
    Approved,
    /// Rejected.
    Rejected,
    /// Withdrawn by the issuer.
    Withdrawn,
}

/// `hallmark certificate`.
#[derive(Debug, Args)]
pub(crate) struct CertificateArgs {
    /// The evidence bundle (.zip).
    pub(crate) bundle: PathBuf,
    /// Where to write it: a .pdf or .png file.
    #[arg(long, short)]
    pub(crate) out: PathBuf,
}

/// `hallmark prove`.
#[derive(Debug, Args)]
pub(crate) struct ProveArgs {
    /// The token id.
    pub(crate) token: String,
    /// The holder, who signs the statement and the seal.
    #[arg(long = "as", value_name = "ACCOUNT")]
    pub(crate) account: Signer,
    /// The verifier's challenge (a number): the signed statement's nonce.
    #[arg(long)]
    pub(crate) challenge: Option<String>,
    /// Leave the media out (the bundle still names its CID and hash).
    #[arg(long)]
    pub(crate) no_media: bool,
    /// Also write a printable certificate of the bundle (.pdf or .png).
    #[arg(long, value_name = "FILE")]
    pub(crate) certificate: Option<PathBuf>,
    /// Where to write the bundle (default: hallmark-token-<id>.zip in the current folder).
    #[arg(long, short)]
    pub(crate) out: Option<PathBuf>,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The bundle (.zip).
    pub(crate) bundle: PathBuf,
    /// The challenge you gave the holder: the statement must carry it.
    #[arg(long)]
    pub(crate) challenge: Option<String>,
    /// Re-check against this EVM JSON-RPC node (default: this data folder's chain, if it runs).
    #[arg(long, conflicts_with = "offline")]
    pub(crate) rpc: Option<String>,
    /// Only the offline checks.
    #[arg(long)]
    pub(crate) offline: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark verify-file`.
#[derive(Debug, Args)]
pub(crate) struct VerifyFileArgs {
    /// The media file.
    pub(crate) file: PathBuf,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark sync`.
#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// Keep following new blocks until Ctrl-C.
    #[arg(long)]
    pub(crate) follow: bool,
    /// Blocks per page to start with (adapts to the number of events).
    #[arg(long, value_name = "N", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) page_blocks: u64,
    /// Largest page in blocks.
    #[arg(long, value_name = "N", default_value_t = 50_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) max_page_blocks: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Sort orders of `hallmark browse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SortArg {
    /// Newest listing (or mint) first.
    Newest,
    /// Cheapest first (listed only).
    Price,
    /// Dearest first (listed only).
    PriceDesc,
    /// Most recently sold first.
    Sold,
}

/// `hallmark browse`.
#[derive(Debug, Args)]
pub(crate) struct BrowseArgs {
    /// Only `image`, `audio` or `video` works.
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// Lowest price in credits (e.g. 12.50); implies --listed.
    #[arg(long, value_name = "CREDITS")]
    pub(crate) min_price: Option<String>,
    /// Highest price in credits; implies --listed.
    #[arg(long, value_name = "CREDITS")]
    pub(crate) max_price: Option<String>,
    /// Works by this creator address.
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) creator: Option<String>,
    /// Works endorsed by this issuer address.
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) issuer: Option<String>,
    /// Tokens held by this address (a collection).
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) owner: Option<String>,
    /// Works with this attribute, as TRAIT=VALUE.
    #[arg(long, value_name = "TRAIT=VALUE")]
    pub(crate) attr: Option<String>,
    /// Only tokens for sale.
    #[arg(long)]
    pub(crate) listed: bool,
    /// Only tokens with no licence running now.
    #[arg(long)]
    pub(crate) licence_free: bool,
    /// Full-text filter.
    #[arg(long, value_name = "TEXT")]
    pub(crate) text: Option<String>,
    /// Order.
    #[arg(long, value_enum, default_value_t = SortArg::Newest)]
    pub(crate) sort: SortArg,
    /// Page size (1–200).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub(crate) limit: u32,
    /// Continue after this cursor (printed at the end of the previous page).
    #[arg(long, value_name = "CURSOR")]
    pub(crate) after: Option<String>,
    /// Print the page as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark search`.
#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// Words to look for (every word must match; the last one may be a prefix).
    pub(crate) text: String,
    /// Most hits to show (1–200).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub(crate) limit: u32,
    /// Print the hits as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark show`.
#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The token id (or a work id, which shows edition 1).
    pub(crate) token: String,
    /// Print as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark catalog …`.
#[derive(Debug, Subcommand)]
pub(crate) enum CatalogCommand {
    /// Empty the catalog and sync it again from the deployment block.
    Rebuild(SyncArgs),
    /// What the catalog holds and where it is in the chain (offline).
    Status(JsonArg),
}

/// Only `--json`.
#[derive(Debug, Args)]
pub(crate) struct JsonArg {
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Who signs, on the dev chain: one of the seeded demo accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DemoAccount {
    /// The consortium council (dev key 0).
    Council,
    /// The endorsed issuer (dev key 1).
    Issuer,
    /// The content reviewer (dev key 2).
    Reviewer,
    /// Member 1 (dev key 3).
    Member1,
    /// Member 2 (dev key 4).
    Member2,
    /// Member 3 (dev key 5).
    Member3,
    /// Member 4 (dev key 6).
    Member4,
}

impl DemoAccount {
    /// The anvil dev key index.
    pub(crate) fn key_index(self) -> usize {
        self as usize
    }
}

/// Who signs: a seeded demo account of the dev chain (`issuer`, `member1` …) or a wallet
/// account by its `0x…` address, whose keystore is opened with `$HALLMARK_PASSWORD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signer {
    /// A demo account.
    Demo(DemoAccount),
    /// A wallet account (`hallmark wallet …`).
    Wallet(hallmark_engine::Address),
}

impl std::str::FromStr for Signer {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        use clap::ValueEnum;
        if let Ok(demo) = DemoAccount::from_str(text, true) {
            return Ok(Self::Demo(demo));
        }
        text.trim().parse().map(Self::Wallet).map_err(|_| {
            format!(
                "`{text}` is neither a demo account (council, issuer, reviewer, member1 … member4) nor a wallet account's 0x address"
            )
        })
    }
}

/// `--as ACCOUNT`.
#[derive(Debug, Args)]
pub(crate) struct AsArg {
    /// The account that signs: a demo account, or a wallet account's 0x address.
    #[arg(long = "as", value_name = "ACCOUNT")]
    pub(crate) account: Signer,
}

/// `hallmark mint`.
#[derive(Debug, Args)]
pub(crate) struct MintArgs {
    /// The media file.
    pub(crate) file: PathBuf,
    /// The title.
    #[arg(long)]
    pub(crate) title: String,
    /// A description.
    #[arg(long)]
    pub(crate) description: Option<String>,
    /// The licence of the work.
    #[arg(long, default_value = "All rights reserved")]
    pub(crate) licence: String,
    /// N, the number of editions (fixed forever).
    #[arg(long, default_value_t = 1)]
    pub(crate) editions: u32,
    /// Royalty on every resale, in basis points (1000 = 10 %).
    #[arg(long, default_value_t = 1000)]
    pub(crate) royalty_bps: u16,
    /// A trait shown with the work, `NAME=VALUE` (repeatable).
    #[arg(long = "attribute", value_name = "NAME=VALUE")]
    pub(crate) attributes: Vec<String>,
    /// A co-creator's share of the royalty, `ADDRESS=BPS` or `member1=2500` (repeatable); the
    /// creator keeps the rest.
    #[arg(long = "co-creator", value_name = "WHO=BPS")]
    pub(crate) co_creators: Vec<String>,
    /// The issuer that registers it.
    #[arg(long = "as", value_name = "ACCOUNT", default_value = "issuer")]
    pub(crate) account: Signer,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// A token and who acts.
#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// The token id.
    pub(crate) token: String,
    #[command(flatten)]
    pub(crate) who: AsArg,
}

/// `hallmark list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// The token id.
    pub(crate) token: String,
    /// Price in whole credits.
    #[arg(long)]
    pub(crate) price: u64,
    #[command(flatten)]
    pub(crate) who: AsArg,
}

/// `hallmark gift`.
#[derive(Debug, Args)]
pub(crate) struct GiftArgs {
    /// The token id.
    pub(crate) token: String,
    /// The receiving member.
    #[arg(long, value_enum)]
    pub(crate) to: DemoAccount,
    #[command(flatten)]
    pub(crate) who: AsArg,
}

/// `hallmark freeze`.
#[derive(Debug, Args)]
pub(crate) struct FreezeArgs {
    /// The work id.
    pub(crate) work: String,
    /// The reason code (non-zero).
    #[arg(long)]
    pub(crate) reason: u16,
    #[command(flatten)]
    pub(crate) who: AsArg,
}

/// `hallmark status`.
#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// Start the dev chain first (deploying the contracts on first use), then report.
    #[arg(long)]
    pub(crate) start_chain: bool,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark library`.
#[derive(Debug, Args)]
pub(crate) struct LibraryArgs {
    /// How many works to list (1..=500).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u16).range(1..=500))]
    pub(crate) limit: u16,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark chain …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ChainCommand {
    /// Start the dev chain (deploying the contracts on first use) and keep it running until
    /// Ctrl-C; the state is saved in the data folder.
    Up,
    /// Stop the dev chain of this data folder (asks its owner to stop it cleanly).
    Down,
    /// The chain's status (same as `hallmark status`).
    Status(StatusArgs),
}

/// `hallmark consortium …` (council only).
#[derive(Debug, Subcommand)]
pub(crate) enum ConsortiumCommand {
    /// Admit a real-name verified member (the chain stores only a salted attestation hash).
    AddMember(RoleTarget),
    /// Endorse an issuer (allowed to mint).
    AddIssuer(RoleTarget),
    /// Appoint a content reviewer (allowed to freeze works).
    AddReviewer(RoleTarget),
    /// Suspend an account's role.
    Suspend {
        /// The account: a demo account name or a 0x address.
        account: String,
        /// The role to suspend.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Reason code (non-zero).
        #[arg(long)]
        reason: u16,
        #[command(flatten)]
        who: AsCouncil,
    },
}

/// The account a role is given to.
#[derive(Debug, Args)]
pub(crate) struct RoleTarget {
    /// The account: a demo account name (member1…) or a 0x address.
    pub(crate) account: String,
    #[command(flatten)]
    pub(crate) who: AsCouncil,
}

/// `--as` for council commands.
#[derive(Debug, Args)]
pub(crate) struct AsCouncil {
    /// The council account that signs.
    #[arg(long = "as", value_name = "ACCOUNT", default_value = "council")]
    pub(crate) signer: Signer,
}

/// A consortium role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum RoleArg {
    /// Member.
    Member,
    /// Issuer.
    Issuer,
    /// Reviewer.
    Reviewer,
}

/// `hallmark licence …`.
#[derive(Debug, Subcommand)]
pub(crate) enum LicenceCommand {
    /// Offer a time-limited licence on a token you hold to a member, for a fee.
    Grant(LicenceGrantArgs),
    /// Accept (and pay for) a licence offered to you.
    Accept {
        /// The offer id.
        offer: String,
        #[command(flatten)]
        who: AsArg,
    },
    /// The active licence of a token.
    Show(TokenArgs),
}

/// The licence kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LicenceKindArg {
    /// Showing the work in an exhibition.
    Exhibition,
    /// Commercial use.
    Commercial,
    /// Reproduction (prints, copies).
    Reproduction,
    /// Adaptation into a derived work.
    Adaptation,
    /// Broadcasting.
    Broadcast,
}

/// `hallmark licence grant`.
#[derive(Debug, Args)]
pub(crate) struct LicenceGrantArgs {
    /// The token.
    pub(crate) token: String,
    /// The licensee: a demo account name or a 0x address.
    #[arg(long)]
    pub(crate) to: String,
    /// What it allows.
    #[arg(long, value_enum)]
    pub(crate) kind: LicenceKindArg,
    /// How long, in days from acceptance.
    #[arg(long)]
    pub(crate) days: u32,
    /// Fee in whole credits.
    #[arg(long)]
    pub(crate) fee: u64,
    /// The terms, in words (their sha-256 goes on-chain).
    #[arg(long)]
    pub(crate) terms: String,
    #[command(flatten)]
    pub(crate) who: AsArg,
}

/// `hallmark cid`.
#[derive(Debug, Args)]
pub(crate) struct CidArgs {
    /// The file.
    pub(crate) file: PathBuf,
    #[command(flatten)]
    pub(crate) version: CidVersionArg,
}

/// `--cid-version 0|1`.
#[derive(Debug, Args)]
pub(crate) struct CidVersionArg {
    /// CID version: 0 (Kubo's default, dag-pb leaves) or 1 (raw leaves, Hallmark's canonical).
    #[arg(long = "cid-version", value_name = "0|1", default_value_t = 0,
          value_parser = clap::value_parser!(u8).range(0..=1))]
    pub(crate) cid_version: u8,
}

/// `hallmark ingest`.
#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// The media file.
    pub(crate) file: PathBuf,
    /// Print the full report as JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark ipfs …`.
#[derive(Debug, Subcommand)]
pub(crate) enum IpfsCommand {
    /// Add FILE to the store (and pin it); prints its CID.
    Add {
        /// The file.
        file: PathBuf,
        #[command(flatten)]
        version: CidVersionArg,
    },
    /// Write the file with this CID (every block verified) to stdout or to OUT.
    Cat {
        /// The CID (Qm…, b…).
        cid: String,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Pins keep content in the store.
    #[command(subcommand)]
    Pin(PinCommand),
}

/// `hallmark ipfs pin …`.
#[derive(Debug, Subcommand)]
pub(crate) enum PinCommand {
    /// Pin content already in the store.
    Add {
        /// The CID.
        cid: String,
    },
    /// Remove a pin.
    Rm {
        /// The CID.
        cid: String,
    },
    /// List pinned CIDs.
    Ls,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn grammar_is_consistent() {
        Cli::command().debug_assert();
    }
}
