//! The command line grammar (clap derive), and the top-level help that lists the commands by
//! purpose.

use std::path::PathBuf;

use clap::{ArgAction, Args, CommandFactory, Parser, Subcommand};

/// What `hallmark --help` says first.
const LONG_ABOUT: &str = "\
Register media works on a chain, keep them on IPFS, trade and license them, and prove who holds them.

The same engine and data folder as the Hallmark desktop app. A work's media goes to the content
store (an embedded IPFS blockstore in the data folder, or a Kubo node with --ipfs-api), its
registration to the Hallmark contracts on the chain, and what the chain says is cached in a local
catalog that browse, search and show query offline.

The chain is the data folder's own dev chain (anvil; the contracts are deployed and a demo
consortium seeded on first use) unless HALLMARK_CHAIN_RPC or config.json names another node. A
command that needs the dev chain starts it and stops it when done. `hallmark chain up` keeps it
running, and while it (or the app) runs, every other command on the same data folder uses that
chain instead of starting its own: one process owns the chain, the others connect to it once it
answers with the chain id and genesis block it recorded.";

/// What `hallmark --help` says last.
const AFTER_LONG_HELP: &str = "\
Environment:
  HALLMARK_DATA_DIR   the data folder (as --data-dir)
  HALLMARK_IPFS_API   the Kubo node's RPC URL (as --ipfs-api)
  HALLMARK_CHAIN_RPC  a JSON-RPC URL to use instead of the dev chain (a consortium node, or a dev
                      chain served elsewhere); the contracts are those recorded in the data
                      folder's chain/deployment-<chain id>.json
  HALLMARK_CHAIN_ID   the chain id HALLMARK_CHAIN_RPC must report (default 31337)
  HALLMARK_ANVIL      the anvil binary for the dev chain
  HALLMARK_PASSWORD   the keystore password when signing as a wallet account (--as 0x…)
  HALLMARK_NEW_PASSWORD  the new password of `hallmark wallet password`
  RUST_LOG            log filter for stderr (overrides -v)

Output: results on stdout; with --json, the JSON described in docs/cli.md. On failure, one
`error: …` line (ending with its stable code in brackets) and perhaps one `hint: …` line on
stderr; exit status 2 for bad input or usage, 1 for anything else.";

/// The top-level commands by purpose, in the order `hallmark --help` lists them.
const GROUPS: &[(&str, &[&str])] = &[
    ("Start here", &["status", "chain", "wallet", "jobs"]),
    (
        "Media and the content store",
        &["ingest", "library", "cid", "ipfs"],
    ),
    (
        "Register and trade (on the chain)",
        &[
            "mint", "endorse", "edition", "work", "list", "cancel", "buy", "gift", "licence",
        ],
    ),
    (
        "The local catalog (queries offline)",
        &["sync", "browse", "search", "show", "catalog"],
    ),
    (
        "Prove and verify",
        &["verify-file", "prove", "verify", "certificate"],
    ),
    (
        "The consortium",
        &["consortium", "council", "review", "freeze"],
    ),
    (
        "Keeping works available, and leaving",
        &["health", "refresh", "pinning", "export-kit", "import-kit"],
    ),
];

/// The grammar with the top-level help listing the commands by purpose ([`GROUPS`]).
pub(crate) fn command() -> clap::Command {
    let command = Cli::command();
    let width = GROUPS
        .iter()
        .flat_map(|(_, names)| names.iter())
        .map(|name| name.len())
        .max()
        .unwrap_or(0);
    let mut listing = String::new();
    for (heading, names) in GROUPS {
        listing.push_str(&format!("{heading}:\n"));
        for name in *names {
            let about = command
                .find_subcommand(name)
                .and_then(clap::Command::get_about)
                .map(ToString::to_string)
                .unwrap_or_default();
            listing.push_str(&format!("  {name:<width$}  {about}\n"));
        }
        listing.push('\n');
    }
    listing.push_str(&format!(
        "  {:<width$}  Print this help, or the help of a command (`hallmark help mint`)\n",
        "help"
    ));
    command.help_template(format!(
        "{{before-help}}{{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n{listing}\nOptions:\n{{options}}{{after-help}}"
    ))
}

/// Hallmark's command line (see [`LONG_ABOUT`]).
#[derive(Debug, Parser)]
#[command(
    name = "hallmark",
    version,
    about = "Register media works on a chain, keep them on IPFS, trade and license them, and prove who holds them.",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP,
    propagate_version = true
)]
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
    /// Print the CID `ipfs add` would give a file (any file; nothing is stored).
    Cid(CidArgs),
    /// Check a media file, hash it, and store it with its thumbnails in the content store.
    Ingest(IngestArgs),
    /// Add, read and pin content in the store (the embedded one, or the node of --ipfs-api).
    #[command(subcommand)]
    Ipfs(IpfsCommand),
    /// The data folder, the content store and the chain: where they are and whether they work.
    Status(StatusArgs),
    /// The media ingested on this machine, newest first.
    Library(LibraryArgs),
    /// Run the dev chain (`chain up`) for every command on this data folder, stop it, or see it.
    #[command(subcommand)]
    Chain(ChainCommand),
    /// Register a work and mint its first edition (issuers, or artists with an endorsement).
    ///
    /// Ingests FILE, refuses it if its content hash is already registered (or sends a near copy
    /// to review), stores its metadata on IPFS, registers it on the chain and mints edition 1.
    /// An artist who is not an issuer mints the registration an issuer endorsed.
    Mint(MintArgs),
    /// Mint a work's next edition (up to its N) to yourself or to a member: its creator or its
    /// issuer.
    Edition(EditionArgs),
    /// A token as the chain has it now: work, owner, listing, when it may change hands.
    Work(TokenArgs),
    /// Put a token you hold up for sale at a fixed price in credits.
    List(ListArgs),
    /// Withdraw your listing.
    Cancel(TokenArgs),
    /// Buy a listed token at the price you confirm (the market contract pays royalties and the
    /// platform fee; it refuses the purchase if the listing asks another price).
    Buy(BuyArgs),
    /// Give a token you hold to another member.
    Gift(GiftArgs),
    /// Freeze a work with a reason code (reviewers: takedown of prohibited content).
    Freeze(FreezeArgs),
    /// Admit members, endorse issuers, appoint reviewers, suspend roles (council only).
    #[command(subcommand)]
    Consortium(ConsortiumCommand),
    /// The council acting together: propose, approve, reject and run changes to the consortium's
    /// dangerous powers (council seats, credit issuance, fees, the market).
    ///
    /// A proposal runs once a strict majority of the council seats approved it, its voting
    /// period ended and the time lock's delay passed. Every step shows what the proposal does,
    /// in words, decoded from its calls.
    #[command(subcommand)]
    Council(CouncilCommand),
    /// Offer, accept and look up time-limited usage-rights licences.
    #[command(subcommand)]
    Licence(LicenceCommand),
    /// Bring the local catalog up to the chain's head and fetch new works' metadata.
    Sync(SyncArgs),
    /// Browse tokens in the local catalog by kind, price, people, traits and text.
    Browse(BrowseArgs),
    /// Search titles, descriptions, creators and attributes in the local catalog.
    Search(SearchArgs),
    /// A token's work, holder, listing, provenance and licences (syncs first if it is new).
    Show(ShowArgs),
    /// Rebuild the local catalog from the chain, or see what it holds.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Make the evidence bundle of a token you hold, one zip anyone can verify offline.
    ///
    /// It holds the registration block, the provenance, the licences and your signed ownership
    /// statement.
    Prove(ProveArgs),
    /// Verify an evidence bundle: offline, then against the chain when a node is reachable.
    ///
    /// Exit status 0 only if every check passes.
    Verify(VerifyArgs),
    /// Who registered this file, when, who holds it now, and registered works it looks like.
    ///
    /// The catalog is synced first; when the chain cannot be reached the answer says it comes
    /// from the local catalog as of its last block.
    VerifyFile(VerifyFileArgs),
    /// A printable certificate (PDF or PNG) of an evidence bundle that verifies.
    ///
    /// Its QR code holds the bundle's sha-256.
    Certificate(CertificateArgs),
    /// The consortium's review queue of near-copy mints: list, approve, reject, withdraw.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Artists who are not issuers: ask an issuer to endorse a work, then mint it yourself.
    ///
    /// `endorse request` (the artist), `endorse list|show`, `endorse approve|reject` (an
    /// issuer), then `hallmark mint FILE --as ARTIST` mints the endorsed registration.
    #[command(subcommand)]
    Endorse(EndorseCommand),
    /// Are your works still retrievable, intact and pinned (locally and at each service)?
    ///
    /// Checks media, metadata and thumbnails in the local store (every block verified) and at
    /// each pinning service. Exit status 0 only when no problem remains.
    Health(crate::commands::health::HealthArgs),
    /// Fetch a work's metadata again now (as an ERC-4906 update does), checked against the chain.
    Refresh(crate::commands::health::RefreshArgs),
    /// Remote pinning services (IPFS Pinning Service API): add, list, remove, pin a work.
    #[command(subcommand)]
    Pinning(crate::commands::pinning::PinningCommand),
    /// Wallet accounts (scrypt keystores in the data folder) to sign with `--as 0x…`.
    ///
    /// Keystores are opened with $HALLMARK_PASSWORD; `wallet password` takes the new one from
    /// $HALLMARK_NEW_PASSWORD.
    #[command(subcommand)]
    Wallet(crate::commands::wallet::WalletCommand),
    /// Write an exit kit: your works, bundles and chain, checkable with standard tools.
    ///
    /// The works' media and metadata as CAR files, the evidence bundles of the tokens you hold,
    /// the chain and its contracts, and a README on checking it all with sha256sum, any IPFS
    /// node and curl.
    ExportKit(crate::commands::kit::ExportKitArgs),
    /// Import an exit kit: every file, block and bundle checked, then stored and pinned.
    ImportKit(crate::commands::kit::ImportKitArgs),
    /// Mints a crash, a kill or a lost node interrupted: list, resume or discard them.
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

/// A work's file and the details its registration records (`mint`, `endorse request`).
#[derive(Debug, Args)]
pub(crate) struct WorkArgs {
    /// The media file.
    pub(crate) file: PathBuf,
    /// The title (required, except for an artist's mint of an endorsed work, whose details were
    /// sent with the endorsement request).
    #[arg(long)]
    pub(crate) title: Option<String>,
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
}

/// `hallmark mint`.
#[derive(Debug, Args)]
pub(crate) struct MintArgs {
    #[command(flatten)]
    pub(crate) work: WorkArgs,
    /// Who mints: an issuer registers the work directly; a member who is not an issuer mints the
    /// registration an issuer endorsed (`hallmark endorse request`), with its voucher.
    #[arg(long = "as", value_name = "ACCOUNT", default_value = "issuer")]
    pub(crate) account: Signer,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark endorse …`.
#[derive(Debug, Subcommand)]
pub(crate) enum EndorseCommand {
    /// Ask an issuer to endorse your work: it is checked, its metadata and media go to the
    /// consortium's IPFS, and the exact registration is published on chain for the issuer.
    Request(EndorseRequestArgs),
    /// Endorsement requests, newest first (synced from the chain).
    List {
        /// Only requests in this state.
        #[arg(long, value_enum)]
        status: Option<EndorsementStatusArg>,
        /// Only the requests of this artist (an account or 0x address).
        #[arg(long, value_name = "ACCOUNT")]
        creator: Option<String>,
        /// Only the requests this issuer may decide (addressed to it or to any issuer).
        #[arg(long, value_name = "ACCOUNT")]
        issuer: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// What an issuer decides on: the request, the artist's membership, and the copy check of
    /// its media (fetched by CID and checked to be the requested content).
    Show {
        /// The request id.
        request: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Endorse a pending request: its media is checked, then the voucher for exactly the
    /// requested registration is signed and posted (a near copy goes to review first).
    Approve {
        /// The request id.
        request: u64,
        /// How many days the artist has to mint it (1 to 30).
        #[arg(long, default_value_t = 14)]
        valid_days: u32,
        /// The issuer.
        #[arg(long = "as", value_name = "ACCOUNT", default_value = "issuer")]
        account: Signer,
    },
    /// Decline a pending request, with a reason the artist sees (kept on chain; up to 500 bytes).
    Reject {
        /// The request id.
        request: u64,
        /// Why.
        #[arg(long)]
        reason: String,
        /// The issuer.
        #[arg(long = "as", value_name = "ACCOUNT", default_value = "issuer")]
        account: Signer,
    },
    /// Withdraw your own pending request.
    Withdraw {
        /// The request id.
        request: u64,
        /// The artist who asked.
        #[arg(long = "as", value_name = "ACCOUNT")]
        account: Signer,
    },
}

/// `hallmark endorse request`.
#[derive(Debug, Args)]
pub(crate) struct EndorseRequestArgs {
    #[command(flatten)]
    pub(crate) work: WorkArgs,
    /// The issuer asked (an account or 0x address); any issuer when omitted.
    #[arg(long, value_name = "ACCOUNT")]
    pub(crate) issuer: Option<String>,
    /// The artist (a member; the work's creator).
    #[arg(long = "as", value_name = "ACCOUNT")]
    pub(crate) account: Signer,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Endorsement request states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum EndorsementStatusArg {
    /// Waiting for an issuer.
    Pending,
    /// Endorsed: the artist may mint it until the voucher's deadline.
    Approved,
    /// Declined by an issuer.
    Rejected,
    /// Withdrawn by the artist.
    Withdrawn,
    /// Undecided for 30 days, or endorsed and not minted in time.
    Expired,
    /// Minted.
    Registered,
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

/// `hallmark buy`.
#[derive(Debug, Args)]
pub(crate) struct BuyArgs {
    /// The token id.
    pub(crate) token: String,
    /// The listing's price in credits, as you agreed to pay it (e.g. `15` or `12.50`): the market
    /// refuses the purchase if the listing asks another price, and you are never charged more.
    #[arg(long)]
    pub(crate) price: String,
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

/// `hallmark edition`.
#[derive(Debug, Args)]
pub(crate) struct EditionArgs {
    /// The work id.
    pub(crate) work: String,
    /// The member who receives it (an account name or 0x address); the signer when omitted.
    #[arg(long, value_name = "ACCOUNT")]
    pub(crate) to: Option<String>,
    /// The work's creator, or the issuer that registered it.
    #[arg(long = "as", value_name = "ACCOUNT", default_value = "issuer")]
    pub(crate) account: Signer,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
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
    /// Start the dev chain and keep it running until Ctrl-C; other commands use it meanwhile.
    ///
    /// The contracts are deployed on first use and the state is saved in the data folder. While
    /// it runs, every other command on this data folder (and the app) uses this chain instead of
    /// starting its own: `chain/serving.json` records its RPC URL, chain id, genesis block and
    /// this process, and the others check that the URL answers with them. Only one process
    /// starts anvil for a data folder (it holds `chain/owner.lock`); a second `chain up` is
    /// refused. To use a chain served elsewhere, set HALLMARK_CHAIN_RPC to its URL.
    Up,
    /// Stop the dev chain of this data folder (asks the process that owns it to stop it cleanly).
    Down,
    /// Which chain serves this data folder (and which process), its head block and contracts.
    ///
    /// The same as `hallmark status`: it reports a dev chain `hallmark chain up` or the app
    /// serves without starting one.
    Status(StatusArgs),
}

/// `hallmark consortium …` (council only).
#[derive(Debug, Subcommand)]
pub(crate) enum ConsortiumCommand {
    /// Found a consortium: deploy the contract suite onto a running EVM node (a standalone anvil
    /// here, the consortium's Besu validators in production) with a council account, and point
    /// this data folder at it. Safe to re-run: a suite already recorded and on the chain is kept.
    Deploy(DeployArgs),
    /// The consortium profile: the signed file members import to join.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Admit a real-name verified member (the chain stores only a salted attestation hash).
    AddMember(RoleTarget),
    /// Endorse an issuer (allowed to mint).
    AddIssuer(RoleTarget),
    /// Appoint a content reviewer (allowed to freeze works).
    AddReviewer(RoleTarget),
    /// Issue credits to a member (a top-up the consortium was paid for off chain), and gas
    /// money when the account has none: proposes the issue to the council and approves it with
    /// your seat; it completes at once where your seat alone is a majority and there is no time
    /// lock (the dev chain), else `hallmark council` follows it.
    AddCredits {
        /// The account: a demo account name or a 0x address.
        account: String,
        /// Whole credits to issue.
        #[arg(long)]
        credits: u64,
        /// Gas money in whole ether sent when the account has none (0 on a zero-gas-price
        /// network).
        #[arg(long, default_value_t = 1)]
        gas: u64,
        #[command(flatten)]
        who: AsCouncil,
    },
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

/// `hallmark council …`.
#[derive(Debug, Subcommand)]
pub(crate) enum CouncilCommand {
    /// Propose a change; it runs once a majority of the council approved it and the time lock
    /// has passed.
    Propose {
        /// What the proposal does.
        #[command(subcommand)]
        action: CouncilActionArg,
    },
    /// Every proposal, newest first, with where it stands.
    List {
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// One proposal: what it does, its votes, and when it can run.
    Show {
        /// The proposal id.
        id: String,
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Approve a proposal with your council seat (shows what you approve).
    Approve(ProposalArgs),
    /// Reject a proposal with your council seat.
    Reject(ProposalArgs),
    /// Take the next step of an approved proposal: into the time lock, or run it once the
    /// delay has passed (any account may do this).
    Execute(ProposalArgs),
}

/// A proposal and the council account that acts on it.
#[derive(Debug, Args)]
pub(crate) struct ProposalArgs {
    /// The proposal id.
    pub(crate) id: String,
    #[command(flatten)]
    pub(crate) who: AsCouncil,
}

/// What a council proposal does.
#[derive(Debug, Subcommand)]
pub(crate) enum CouncilActionArg {
    /// Issue credits to a member (a top-up the consortium was paid for off chain).
    MintCredit {
        /// The account: a demo account name or a 0x address.
        account: String,
        /// Credits to issue (e.g. 500 or 12.50).
        #[arg(long)]
        credits: String,
        #[command(flatten)]
        common: ProposeCommon,
    },
    /// Give an account a council seat.
    AddSeat {
        /// The account: a demo account name or a 0x address.
        account: String,
        #[command(flatten)]
        common: ProposeCommon,
    },
    /// Take an account's council seat.
    RemoveSeat {
        /// The account: a demo account name or a 0x address.
        account: String,
        #[command(flatten)]
        common: ProposeCommon,
    },
    /// Set the platform fee and where it is paid.
    SetFee {
        /// Basis points of each price (at most 1000; 250 = 2.5 %).
        #[arg(long)]
        bps: u16,
        /// The receiver: a demo account name or a 0x address.
        #[arg(long)]
        treasury: String,
        #[command(flatten)]
        common: ProposeCommon,
    },
    /// Set how long a buyer holds a token before reselling it.
    SetHoldingPeriod {
        /// Seconds (at most one year).
        #[arg(long)]
        seconds: u64,
        #[command(flatten)]
        common: ProposeCommon,
    },
    /// Point the works contract at another market (the only mover of tokens).
    SetMarket {
        /// The market contract's 0x address.
        address: String,
        #[command(flatten)]
        common: ProposeCommon,
    },
    /// Allow or stop a contract holding and moving credit.
    SetSystemAccount {
        /// The contract's 0x address.
        address: String,
        /// Allow (true) or stop (false).
        #[arg(long, action = clap::ArgAction::Set)]
        allowed: bool,
        #[command(flatten)]
        common: ProposeCommon,
    },
    /// Set how many blocks a proposal is open for approval.
    SetVotingPeriod {
        /// Blocks (at least 1).
        #[arg(long)]
        blocks: u32,
        #[command(flatten)]
        common: ProposeCommon,
    },
    /// Set how long an approved proposal waits in the time lock.
    SetDelay {
        /// Seconds.
        #[arg(long)]
        seconds: u64,
        #[command(flatten)]
        common: ProposeCommon,
    },
}

/// What every proposal takes besides its action.
#[derive(Debug, Args)]
pub(crate) struct ProposeCommon {
    /// A note stored with the proposal (why; it also tells two proposals of the same change
    /// apart).
    #[arg(long, default_value = "")]
    pub(crate) note: String,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) who: AsCouncil,
}

/// `hallmark consortium deploy`.
#[derive(Debug, Args)]
pub(crate) struct DeployArgs {
    /// The node's JSON-RPC URL (https for a remote node).
    #[arg(long)]
    pub(crate) rpc: String,
    /// Platform fee in basis points (at most 1000).
    #[arg(long, default_value_t = 250)]
    pub(crate) platform_fee_bps: u16,
    /// Holding period before resale, in seconds (at most one year).
    #[arg(long, default_value_t = 0)]
    pub(crate) holding_period: u64,
    /// Blocks a council proposal is open for approval (43200: a day of Besu's 2-second blocks).
    #[arg(long, default_value_t = 43_200, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) voting_blocks: u32,
    /// Seconds an approved council proposal waits in the time lock before it runs (a day).
    #[arg(long, default_value_t = 86_400)]
    pub(crate) time_lock: u64,
    /// Deploy a new suite when the one this data folder recorded for the chain is gone, is not
    /// this build's code, or speaks another version (never done without this flag).
    #[arg(long)]
    pub(crate) replace: bool,
    /// Print the deployment as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) who: AsCouncil,
}

/// `hallmark consortium profile …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ProfileCommand {
    /// Write the signed profile of the consortium this data folder is on (its chain and recorded
    /// deployment), for members to import with `profile use`.
    Export(ProfileExportArgs),
    /// Join the consortium of a profile: check it against its chain (signature, chain id, genesis
    /// hash, code and wiring of every contract, council signer), then point this data folder at
    /// it. Nothing changes when a check fails.
    Use {
        /// The profile file.
        file: PathBuf,
        /// Print what was checked as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a profile against its chain without using it.
    Check {
        /// The profile file.
        file: PathBuf,
        /// Print what was checked as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `hallmark consortium profile export`.
#[derive(Debug, Args)]
pub(crate) struct ProfileExportArgs {
    /// Where to write the profile.
    pub(crate) file: PathBuf,
    /// The consortium's name, as members see it.
    #[arg(long)]
    pub(crate) name: String,
    /// A JSON-RPC URL members use (repeat for several; default: this data folder's chain URL).
    #[arg(long = "rpc")]
    pub(crate) rpc_urls: Vec<String>,
    /// A WebSocket URL for new blocks (repeatable).
    #[arg(long = "ws")]
    pub(crate) ws_urls: Vec<String>,
    /// The chain's consensus (how block hashes are computed).
    #[arg(long, value_enum, default_value = "ethereum")]
    pub(crate) consensus: ConsensusArg,
    /// The consortium's Kubo RPC API members store media on.
    #[arg(long)]
    pub(crate) kubo: Option<String>,
    /// A trustless gateway members read blocks from (repeatable).
    #[arg(long = "gateway")]
    pub(crate) gateways: Vec<String>,
    /// A PEM CA certificate the consortium's TLS endpoints use (repeatable).
    #[arg(long = "ca")]
    pub(crate) ca_files: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) who: AsCouncil,
}

/// A chain's consensus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ConsensusArg {
    /// Ethereum block hashing (anvil, geth, Besu with Clique).
    Ethereum,
    /// Besu QBFT.
    Qbft,
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
    /// Accept (and pay for) a licence offered to you, at the fee you confirm.
    Accept {
        /// The offer id.
        offer: String,
        /// The offer's fee in credits, as you agreed to pay it (e.g. `5` or `5.25`); the
        /// acceptance is refused if the offer asks another fee.
        #[arg(long)]
        fee: String,
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
    /// Keep the credentials of an IPFS node behind an authenticating proxy (sent as its
    /// `Authorization` header only): a bearer token from $HALLMARK_IPFS_TOKEN, or with `--basic
    /// USER` the password from $HALLMARK_IPFS_PASSWORD. Kept in keystores/ipfs-auth.json (mode
    /// 0600), never in config.json.
    Auth {
        /// The node's URL (its RPC API or gateway).
        url: String,
        /// Basic authentication with this user name.
        #[arg(long, value_name = "USER", conflicts_with = "remove")]
        basic: Option<String>,
        /// Forget the node's credentials.
        #[arg(long)]
        remove: bool,
    },
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

    #[test]
    fn grammar_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn the_help_lists_every_command_once_under_its_purpose() {
        let listed: Vec<&str> = GROUPS
            .iter()
            .flat_map(|(_, names)| names.iter().copied())
            .collect();
        let mut command = command();
        for sub in command.get_subcommands() {
            let name = sub.get_name();
            let times = listed.iter().filter(|n| **n == name).count();
            assert_eq!(times, 1, "`{name}` is listed {times} times in GROUPS");
        }
        assert_eq!(listed.len(), command.get_subcommands().count());
        let help = command.render_long_help().to_string();
        for (heading, _) in GROUPS {
            assert!(help.contains(&format!("{heading}:")), "{help}");
        }
        assert!(help.contains("HALLMARK_CHAIN_RPC"), "{help}");
        assert!(
            help.contains("  verify-file  Who registered this file"),
            "{help}"
        );
    }
}
