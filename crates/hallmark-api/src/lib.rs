//! The one API boundary between the Leptos UI (`ui/`) and the Tauri shell (`src-tauri/`).
//!
//! Everything here is plain serde data and compiles for `wasm32-unknown-unknown`: no engine
//! types, no I/O. The shell converts engine values into these types; the UI only sees these.

use serde::{Deserialize, Serialize};

/// The error every command returns to the UI: a stable machine code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable, machine-readable code such as `media.unsupported_type`.
    pub code: String,
    /// A sentence a user can act on. Never raw internals.
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// The names of the shell's commands, shared so the UI and the shell cannot drift apart.
pub mod commands {
    /// `() -> AppStatus`
    pub const APP_STATUS: &str = "app_status";
    /// `{ request: IngestRequest, job?: String } -> IngestReport`
    pub const INGEST_FILE: &str = "ingest_file";
    /// `{ request: LibraryPageRequest } -> LibraryPage`
    pub const LIBRARY_PAGE: &str = "library_page";
    /// `{ request: MintWorkRequest, job?: String } -> MintWorkReport`
    pub const MINT_WORK: &str = "mint_work";
    /// `{ request: CancelJobRequest } -> bool` (whether the job was still running)
    pub const CANCEL_JOB: &str = "cancel_job";
    /// `{ request: UnfinishedMintsRequest } -> UnfinishedMintsReport`
    pub const UNFINISHED_MINTS: &str = "unfinished_mints";
    /// `{ request: WalletRequest } -> WalletReport`
    pub const WALLET: &str = "wallet";
    /// `{ request: HealthCheckRequest, job?: String } -> HealthView`
    pub const HEALTH: &str = "health";
    /// `{ request: PinningRequest } -> Vec<PinningServiceView>`
    pub const PINNING: &str = "pinning";
    /// `{ request: KitRequest, job?: String } -> KitOutcome`
    pub const KIT: &str = "kit";
    /// `{ request: RefreshRequest } -> RefreshOutcome`
    pub const REFRESH_WORK: &str = "refresh_work";
    /// `{ request: ExploreRequest } -> ExplorePage`
    pub const EXPLORE_PAGE: &str = "explore_page";
    /// `{ request: WorkDetailRequest } -> WorkDetail`
    pub const WORK_DETAIL: &str = "work_detail";
    /// `() -> SyncStatus`
    pub const SYNC_STATUS: &str = "sync_status";
    /// `() -> Vec<AccountInfo>`
    pub const APP_ACCOUNTS: &str = "app_accounts";
    /// `{ request: SetAccountRequest } -> Vec<AccountInfo>`
    pub const SET_ACCOUNT: &str = "set_account";
    /// `{ request: MarketRequest } -> MarketReport`
    pub const MARKET_ACTION: &str = "market_action";
    /// `{ request: EarningsRequest } -> Earnings`
    pub const EARNINGS: &str = "earnings";
    /// `{ request: PathRequest } -> CopyCheckReport`
    pub const COPY_CHECK: &str = "copy_check";
    /// `{ request: VerifyRequest, job?: String } -> VerifyOutcome`
    pub const VERIFY: &str = "verify";
    /// `{ request: ExportProofRequest, job?: String } -> ExportProofReport`
    pub const EXPORT_PROOF: &str = "export_proof";
    /// `{ request: ReviewQueueRequest } -> Vec<ReviewItem>`
    pub const REVIEW_QUEUE: &str = "review_queue";
    /// `{ request: ReviewDecisionRequest } -> ()`
    pub const REVIEW_DECIDE: &str = "review_decide";
    /// `() -> Settings`
    pub const SETTINGS: &str = "settings";
    /// `{ request: Settings } -> Settings`
    pub const SAVE_SETTINGS: &str = "save_settings";
    /// Every command, for the capability file and its test.
    pub const ALL: &[&str] = &[
        APP_STATUS,
        INGEST_FILE,
        LIBRARY_PAGE,
        MINT_WORK,
        CANCEL_JOB,
        UNFINISHED_MINTS,
        WALLET,
        HEALTH,
        PINNING,
        KIT,
        REFRESH_WORK,
        EXPLORE_PAGE,
        WORK_DETAIL,
        SYNC_STATUS,
        APP_ACCOUNTS,
        SET_ACCOUNT,
        MARKET_ACTION,
        EARNINGS,
        COPY_CHECK,
        VERIFY,
        EXPORT_PROOF,
        REVIEW_QUEUE,
        REVIEW_DECIDE,
        SETTINGS,
        SAVE_SETTINGS,
    ];
}

/// Event names the shell emits.
pub mod events {
    /// Payload: [`IngestProgress`](super::IngestProgress).
    pub const INGEST_PROGRESS: &str = "ingest-progress";
    /// Payload: none. The chain finished starting (or failed): refresh the status.
    pub const CHAIN_CHANGED: &str = "chain-changed";
    /// Payload: [`SyncStatus`](super::SyncStatus). The catalog moved: refresh Explore.
    pub const CATALOG_CHANGED: &str = "catalog-changed";
    /// Payload: [`MintProgress`](super::MintProgress). A mint reached its next step.
    pub const MINT_PROGRESS: &str = "mint-progress";
}

/// Stop a running job (ingest, mint, verification, proof export), named by the id the UI gave
/// it in the command's `job` argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelJobRequest {
    /// The job's id (1–64 letters, digits, `-`, `_`).
    pub job_id: String,
}

/// The step a mint reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintProgress {
    /// The job id given with the mint, if any.
    pub job: Option<String>,
    /// `ingest`, `copy_check`, `upload`, `register` or `done`.
    pub stage: String,
    /// Whether cancelling still stops it (not once the transaction is sent).
    pub cancellable: bool,
}

/// The URL scheme of verified media: `media://localhost/<cid>` on Linux.
pub const MEDIA_SCHEME: &str = "media";

/// Health of everything the app depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppStatus {
    /// The data folder.
    pub data_dir: String,
    /// The SQLite database file.
    pub database: String,
    /// Works in the local library.
    pub library_items: u64,
    /// `embedded` or the Kubo API URL.
    pub store_backend: String,
    /// Why the store is unusable, if it is.
    pub store_error: Option<String>,
    /// `dev` (app-owned anvil) or `rpc` (consortium node).
    pub chain_kind: String,
    /// The chain's JSON-RPC URL once known.
    pub chain_rpc: Option<String>,
    /// The chain id.
    pub chain_id: u64,
    /// The head block, when the chain answered.
    pub head_block: Option<u64>,
    /// Why the chain is unusable, if it is (or `starting…`).
    pub chain_error: Option<String>,
    /// The work registry contract, once deployed or found.
    pub works_contract: Option<String>,
    /// The market contract.
    pub market_contract: Option<String>,
    /// The block the contracts were deployed in.
    pub deployment_block: Option<u64>,
}

/// Ingest a media file from the local disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestRequest {
    /// Absolute path of the file (from the file drop or typed by the user).
    pub path: String,
}

/// What ingest found out about a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    /// The library entry (now stored and pinned locally).
    pub item: LibraryItem,
    /// Milliseconds the ingest took.
    pub ingest_ms: u64,
    /// Other library entries with the same bytes under another name (exact copies).
    pub exact_copies: Vec<LibraryItem>,
}

/// A progress report of a running ingest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestProgress {
    /// `hashing`, `storing` or `done`.
    pub stage: String,
    /// Bytes done.
    pub done: u64,
    /// Bytes in all.
    pub total: u64,
}

/// A work in the local library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryItem {
    /// CIDv1 of the exact bytes (Hallmark's canonical content address).
    pub cid: String,
    /// The CIDv0 `ipfs add` prints for the same bytes.
    pub cid_v0: String,
    /// sha-256 of the exact bytes, hex.
    pub sha256: String,
    /// The file name when ingested.
    pub file_name: String,
    /// MIME type sniffed from the bytes.
    pub mime: String,
    /// `image`, `audio` or `video`.
    pub kind: String,
    /// Size in bytes.
    pub size: u64,
    /// Pixel width, when known.
    pub width: Option<u32>,
    /// Pixel height, when known.
    pub height: Option<u32>,
    /// Duration in milliseconds, for audio and video.
    pub duration_ms: Option<u64>,
    /// CID of the thumbnail, for images.
    pub thumbnail_cid: Option<String>,
    /// CID of the preview, for images.
    pub preview_cid: Option<String>,
    /// When it was first ingested (unix seconds).
    pub added_at: i64,
}

/// A page of the library.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LibraryPageRequest {
    /// Page size (1..=500).
    pub limit: u32,
    /// The CID of the last item of the previous page.
    pub after: Option<String>,
}

/// Items of the library, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryPage {
    /// The items.
    pub items: Vec<LibraryItem>,
    /// Whether another page may follow.
    pub more: bool,
}

/// Register an ingested file as a work on-chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintWorkRequest {
    /// The file (already ingested; ingesting again is free).
    pub path: String,
    /// Title.
    pub title: String,
    /// Longer text (empty for none).
    pub description: String,
    /// Licence text.
    pub licence: String,
    /// N editions, fixed forever (1..=10000).
    pub editions: u32,
    /// Royalty on resales in basis points (0..=2500).
    pub royalty_bps: u16,
    /// Traits shown with the work (at most 32).
    #[serde(default)]
    pub attributes: Vec<AttributeInput>,
    /// Co-creators paid a share of every royalty (at most 7); the creator keeps the rest.
    #[serde(default)]
    pub co_creators: Vec<ShareInput>,
}

/// One trait of a work, as typed in the mint form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeInput {
    /// The trait's name (`Medium`).
    pub name: String,
    /// Its value (`Ink on paper`).
    pub value: String,
}

/// A co-creator's share of the royalty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareInput {
    /// `0x…` address.
    pub address: String,
    /// Share of the royalty in basis points (1..=10000).
    pub bps: u16,
}

/// A registered work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintWorkReport {
    /// The work id.
    pub work_id: String,
    /// Edition 1's token id.
    pub token_id: String,
    /// The block that registered it: the proof of existence.
    pub block_number: u64,
    /// The registration transaction.
    pub tx_hash: String,
    /// The creator (the signing issuer).
    pub creator: String,
    /// CIDv1 of the metadata document.
    pub metadata_cid: String,
    /// Milliseconds from click to confirmed registration.
    pub elapsed_ms: u64,
}

/// The `media://` URL of a CID.
pub fn media_url(cid: &str) -> String {
    format!("{MEDIA_SCHEME}://localhost/{cid}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_json_is_pinned() {
        let e = ApiError {
            code: "media.not_found".into(),
            message: "no file".into(),
        };
        assert_eq!(
            serde_json::to_string(&e).expect("json"),
            r#"{"code":"media.not_found","message":"no file"}"#
        );
    }

    #[test]
    fn media_urls() {
        assert_eq!(media_url("bafk"), "media://localhost/bafk");
    }
}

/// Where the local catalog is relative to the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// The chain's head, once seen.
    pub head_block: Option<u64>,
    /// The last block in the catalog.
    pub synced_block: Option<u64>,
    /// Blocks not yet in the catalog.
    pub blocks_behind: u64,
    /// Works in the catalog.
    pub works: u64,
    /// Tokens for sale.
    pub listed: u64,
    /// Why syncing is paused, if it is.
    pub error: Option<String>,
}

/// A page request of the Explore grid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExploreRequest {
    /// Full-text search (title, description, creator, attributes).
    pub text: Option<String>,
    /// `image`, `audio` or `video`.
    pub kind: Option<String>,
    /// `newest`, `price_asc`, `price_desc` or `recently_sold`.
    pub sort: String,
    /// Only tokens for sale.
    pub listed_only: bool,
    /// Page size (1–100).
    pub limit: u32,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Only tokens held by this address (a collection).
    #[serde(default)]
    pub owner: Option<String>,
    /// Only works by this creator (a studio).
    #[serde(default)]
    pub creator: Option<String>,
}

/// One token in the Explore grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCard {
    /// Token id.
    pub token_id: u64,
    /// Work id.
    pub work_id: u64,
    /// Edition n …
    pub edition: u32,
    /// … of N.
    pub max_editions: u32,
    /// Title, once the metadata was fetched.
    pub title: Option<String>,
    /// `image`, `audio`, `video`, once known.
    pub kind: Option<String>,
    /// CID of the picture, servable through `media://`.
    pub thumbnail_cid: Option<String>,
    /// Creator address.
    pub creator: String,
    /// Holder address.
    pub owner: String,
    /// Listing price in credit cents, if for sale.
    pub price_cents: Option<i64>,
    /// Frozen by review.
    pub frozen: bool,
    /// `available`, `pending`, `unavailable` or `invalid`.
    pub media_status: String,
}

/// One page of the Explore grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplorePage {
    /// The tokens.
    pub items: Vec<WorkCard>,
    /// Cursor of the next page, `None` at the end.
    pub next: Option<String>,
}

/// Which token to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkDetailRequest {
    /// Token id.
    pub token_id: u64,
}

/// One event of a work's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// `registered`, `minted`, `listed`, `listing_cancelled`, `sold`, `gifted`, `payout`,
    /// `licence_offered`, `licence_accepted`, `frozen`, `unfrozen` …
    pub kind: String,
    /// Block number.
    pub block: u64,
    /// Block time (unix seconds).
    pub timestamp: u64,
    /// Transaction hash.
    pub tx_hash: String,
    /// The token, for token events.
    pub token_id: Option<u64>,
    /// Who acted.
    pub actor: Option<String>,
    /// The other party.
    pub counterparty: Option<String>,
    /// Price, fee or amount in credit cents.
    pub amount_cents: Option<i64>,
}

/// Everything the Work page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkDetail {
    /// The token shown.
    pub card: WorkCard,
    /// Description (plain text).
    pub description: Option<String>,
    /// Licence text.
    pub licence: Option<String>,
    /// Attributes as `(trait, value)`.
    pub attributes: Vec<(String, String)>,
    /// sha-256 of the media, as registered.
    pub content_hash: String,
    /// Metadata document CID.
    pub metadata_cid: String,
    /// Media CID.
    pub media_cid: Option<String>,
    /// Media type.
    pub mime: Option<String>,
    /// Why the media is unavailable, if it is.
    pub media_error: Option<String>,
    /// Issuer address.
    pub issuer: String,
    /// Royalty in basis points.
    pub royalty_bps: u16,
    /// Registration block (the proof of existence).
    pub registered_block: u64,
    /// Registration time.
    pub registered_at: u64,
    /// Registration transaction.
    pub registered_tx: String,
    /// Reason code of a freeze, 0 if none.
    pub frozen_reason: u16,
    /// When the holder may sell or give it (unix seconds; 0 = now).
    pub transferable_at: u64,
    /// The work's history, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

/// An account the app can sign as (on the dev chain: the seeded demo accounts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// Index to select it with.
    pub index: u32,
    /// `Issuer`, `Member 1` …
    pub label: String,
    /// `0x…` address.
    pub address: String,
    /// The app signs as this account now.
    pub active: bool,
    /// Settlement credit in cents, when known.
    pub balance_cents: Option<i64>,
    /// Roles held (`member`, `issuer`, `reviewer`, `council`).
    pub roles: Vec<String>,
    /// `demo` (a seeded dev-chain account) or `wallet` (a keystore of this app).
    #[serde(default)]
    pub kind: String,
    /// Whether it can sign now (wallet accounts must be unlocked with their password).
    #[serde(default)]
    pub unlocked: bool,
}

/// What to do with the wallet. Passwords and phrases travel only from the UI to the Rust core,
/// never back; `Debug` hides them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum WalletRequest {
    /// A new account with a random key, protected by `password`.
    Create {
        /// The account's name.
        label: String,
        /// At least 8 characters.
        password: String,
    },
    /// The account of a BIP-39 recovery phrase (`m/44'/60'/0'/0/index`).
    ImportPhrase {
        /// The account's name.
        label: String,
        /// 12–24 English words.
        phrase: String,
        /// Which account of the phrase (0 = the first).
        index: u32,
        /// Protects the keystore kept here; at least 8 characters.
        password: String,
    },
    /// A Web3 Secret Storage keystore file from another wallet.
    ImportKeystore {
        /// The account's name.
        label: String,
        /// Absolute path of the `.json` file.
        path: String,
        /// The file's password.
        password: String,
    },
    /// Opens an account's keystore for this session and signs as it.
    Unlock {
        /// `0x…`.
        address: String,
        /// Its password.
        password: String,
    },
    /// Forgets every unlocked key.
    Lock,
    /// Signs as an unlocked wallet account.
    Use {
        /// `0x…`.
        address: String,
    },
    /// Copies the account's encrypted keystore to the exports folder (a backup).
    ExportKeystore {
        /// `0x…`.
        address: String,
    },
    /// Dev chain only: the council admits the account to the demo consortium with credits.
    JoinDemo {
        /// `0x…`.
        address: String,
    },
}

impl std::fmt::Debug for WalletRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let action = match self {
            Self::Create { .. } => "create",
            Self::ImportPhrase { .. } => "import_phrase",
            Self::ImportKeystore { .. } => "import_keystore",
            Self::Unlock { .. } => "unlock",
            Self::Lock => "lock",
            Self::Use { .. } => "use",
            Self::ExportKeystore { .. } => "export_keystore",
            Self::JoinDemo { .. } => "join_demo",
        };
        write!(f, "WalletRequest::{action} {{ .. }}")
    }
}

/// The wallet after an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletReport {
    /// Every account the app can sign as, as after the action.
    pub accounts: Vec<AccountInfo>,
    /// A file the action wrote (an exported keystore).
    pub path: Option<String>,
}

/// Which account to sign as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAccountRequest {
    /// [`AccountInfo::index`].
    pub index: u32,
}

/// A market action the app signs (in the Rust core) as the active account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum MarketRequest {
    /// Put a token you hold up for sale.
    List {
        /// Token id.
        token_id: u64,
        /// Price in credit cents.
        price_cents: u64,
    },
    /// Withdraw your listing.
    Cancel {
        /// Token id.
        token_id: u64,
    },
    /// Buy a listed token.
    Buy {
        /// Token id.
        token_id: u64,
    },
    /// Give a token you hold to another member.
    Gift {
        /// Token id.
        token_id: u64,
        /// The member's address.
        to: String,
    },
}

/// Whose earnings to sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarningsRequest {
    /// `0x…` address.
    pub address: String,
}

/// What an account was paid by the market and licence contracts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Earnings {
    /// Royalties on resales of its works, in cents.
    pub royalties_cents: i64,
    /// Proceeds of its sales and licence fees, in cents.
    pub proceeds_cents: i64,
    /// Payments received.
    pub payouts: u64,
}

/// A confirmed market transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketReport {
    /// Transaction hash.
    pub tx_hash: String,
    /// Its block.
    pub block_number: u64,
}

/// The closed set of error codes (docs/errors.md).
pub use hallmark_domain::ErrorCode;
/// Amounts of settlement credit (two decimals) as people type and read them: one helper for
/// the UI, the shell and the CLI.
pub use hallmark_domain::credits;

/// A file on the local disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathRequest {
    /// Absolute path.
    pub path: String,
}

/// A registered work that a file matches or resembles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedWork {
    /// The work.
    pub work_id: u64,
    /// Its title, once known.
    pub title: Option<String>,
    /// Its creator.
    pub creator: String,
    /// When it was registered (unix seconds).
    pub registered_at: u64,
    /// Its picture.
    pub thumbnail_cid: Option<String>,
    /// PDQ distance (of 256 bits) for a near copy; `None` for the exact bytes.
    pub distance: Option<u32>,
    /// Which rotation/reflection matched (`original`, `rotate90`, `flip_y` …).
    pub transform: Option<String>,
}

/// The copy check of a file before it is minted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyCheckReport {
    /// sha-256 of the file.
    pub sha256: String,
    /// The work already registered with these exact bytes (the chain refuses a second one).
    pub exact: Option<MatchedWork>,
    /// Near copies, closest first: minting sends the work to the review queue.
    pub near: Vec<MatchedWork>,
    /// PDQ quality of the image (0..=100), `None` for audio and video.
    pub quality: Option<u8>,
    /// Largest distance that counts as a near copy.
    pub max_distance: u32,
    /// Smallest quality for the perceptual check to count.
    pub min_quality: u8,
    /// Registered works compared.
    pub compared: u64,
}

/// Verify a file: an evidence bundle (`.zip`) or a media file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyRequest {
    /// Absolute path.
    pub path: String,
    /// For a bundle: the challenge the statement must carry (a decimal number).
    pub challenge: Option<String>,
}

/// One check of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckLine {
    /// Stable id, e.g. `media.sha256`.
    pub id: String,
    /// What was checked.
    pub title: String,
    /// `pass`, `fail` or `skip`.
    pub status: String,
    /// Why.
    pub detail: String,
}

/// A bundle's verification report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleReport {
    /// Every check passed (skips allowed).
    pub verified: bool,
    /// The work's title.
    pub title: Option<String>,
    /// The token.
    pub token_id: Option<String>,
    /// The holder the bundle names.
    pub holder: Option<String>,
    /// The creator.
    pub creator: Option<String>,
    /// Registration time (unix seconds).
    pub registered_at: Option<u64>,
    /// sha-256 of the bundle file.
    pub bundle_sha256: Option<String>,
    /// The checks, in order.
    pub checks: Vec<CheckLine>,
}

/// Who registered a media file, and what it resembles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    /// sha-256 of the file.
    pub sha256: String,
    /// The registered work with these exact bytes.
    pub exact: Option<MatchedWork>,
    /// Its issuer.
    pub issuer: Option<String>,
    /// Its registration block and transaction.
    pub registration: Option<(u64, String)>,
    /// `(token id, holder)` of its editions.
    pub holders: Vec<(u64, String)>,
    /// Near copies among registered works.
    pub near: Vec<MatchedWork>,
    /// PDQ quality of the file's image.
    pub quality: Option<u8>,
    /// Why only the exact check ran, if so.
    pub note: Option<String>,
}

/// What [`commands::VERIFY`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VerifyOutcome {
    /// The file was an evidence bundle.
    Bundle(BundleReport),
    /// The file was media.
    File(FileReport),
}

/// Export the evidence bundle and certificate of a token the active account holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportProofRequest {
    /// The token id (decimal).
    pub token_id: String,
}

/// Where the proof was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportProofReport {
    /// The evidence bundle (.zip).
    pub bundle_path: String,
    /// The certificate (.pdf).
    pub certificate_path: String,
    /// sha-256 of the bundle (the certificate's QR code).
    pub sha256: String,
    /// Bundle size in bytes.
    pub bytes: u64,
}

/// The review queue, optionally only one state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReviewQueueRequest {
    /// `pending`, `approved`, `rejected`, `withdrawn`, or `None` for all.
    pub status: Option<String>,
}

/// A near-copy mint waiting for (or decided by) a reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// The request id.
    pub request_id: u64,
    /// `pending`, `approved`, `rejected` or `withdrawn`.
    pub status: String,
    /// The new work's title, once its metadata was fetched.
    pub title: Option<String>,
    /// Its creator.
    pub creator: String,
    /// The issuer that submitted it.
    pub issuer: String,
    /// Its picture.
    pub thumbnail_cid: Option<String>,
    /// The registered works it resembles.
    pub matches: Vec<MatchedWork>,
    /// The reviewer's reason.
    pub reason: Option<String>,
    /// The reviewer.
    pub decided_by: Option<String>,
    /// When it was submitted (unix seconds).
    pub submitted_at: u64,
}

/// A reviewer's decision, signed as the active account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDecisionRequest {
    /// The request id.
    pub request_id: u64,
    /// Approve (the issuer may register it) or reject.
    pub approve: bool,
    /// Why (required, up to 500 bytes).
    pub reason: String,
}

/// The settings saved in `config.json` (they take effect at the next start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The data folder (read-only here: it is where `config.json` lives).
    pub data_dir: String,
    /// `dev` (the app-owned local chain) or `rpc` (a consortium node).
    pub network: String,
    /// The consortium node's JSON-RPC URL (for `rpc`).
    pub rpc_url: String,
    /// The chain id the node must report (for `rpc`).
    pub chain_id: u64,
    /// `embedded` or `kubo`.
    pub ipfs: String,
    /// The Kubo RPC API URL (for `kubo`).
    pub kubo_url: String,
    /// Copy detection: largest PDQ distance that counts as a near copy (0..=128).
    pub max_distance: u32,
    /// Copy detection: smallest image quality for the perceptual check (0..=100).
    pub min_quality: u8,
    /// The saved settings differ from the ones the app runs with: restart to use them.
    pub restart_needed: bool,
    /// The data folder the next start will use, if another one was chosen (empty: this one).
    #[serde(default)]
    pub next_data_dir: String,
    /// `$HALLMARK_DATA_DIR` fixes the data folder: it cannot be changed here.
    #[serde(default)]
    pub data_dir_fixed: bool,
}

/// Check that the active account's works (owned or created) can be read back, CID-verified,
/// from the content store and are pinned where configured; `fix` re-pins from the local copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheckRequest {
    /// Re-pin what can be re-pinned from the local copy.
    pub fix: bool,
}

/// One work at one backend (the local store, or a pinning service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthLine {
    /// The work id.
    pub work_id: u64,
    /// Its title, if the metadata was read.
    pub title: Option<String>,
    /// `local store`, `pinning service "x"` …
    pub backend: String,
    /// `ok`, `missing`, `cid_mismatch`, `pin_absent`, `pin_failed` …
    pub status: String,
    /// Whether the status is healthy.
    pub ok: bool,
    /// What was found, in words.
    pub detail: Option<String>,
    /// Each item (`media`, `metadata`, `thumbnail`) and its status.
    pub items: Vec<(String, String)>,
    /// Unix seconds of the last check that found it whole.
    pub last_verified_at: Option<u64>,
}

/// One repair `fix` tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixLine {
    /// The work id.
    pub work_id: u64,
    /// Which backend.
    pub backend: String,
    /// Which item.
    pub item: String,
    /// What was done.
    pub action: String,
    /// Whether it worked.
    pub done: bool,
}

/// The availability of the account's works, problems first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthView {
    /// The account checked.
    pub account: String,
    /// Unix seconds.
    pub checked_at: u64,
    /// `embedded` or the Kubo URL.
    pub store: String,
    /// Works checked.
    pub works: u64,
    /// Lines that are not healthy.
    pub problems: u64,
    /// Every (work, backend), problems first.
    pub lines: Vec<HealthLine>,
    /// What `fix` did.
    pub fixes: Vec<FixLine>,
}

/// The remote pinning services (IPFS Pinning Service API).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PinningRequest {
    /// The configured services.
    List,
    /// Adds a service; its token is kept beside the keystores and never shown again.
    Add {
        /// A short unique name.
        name: String,
        /// The API's base URL.
        endpoint: String,
        /// The bearer token.
        token: String,
    },
    /// Removes a service (and its token).
    Remove {
        /// Its name.
        name: String,
    },
}

impl std::fmt::Debug for PinningRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::List => write!(f, "PinningRequest::List"),
            Self::Add { name, endpoint, .. } => {
                write!(
                    f,
                    "PinningRequest::Add {{ name: {name:?}, endpoint: {endpoint:?}, .. }}"
                )
            }
            Self::Remove { name } => write!(f, "PinningRequest::Remove {{ name: {name:?} }}"),
        }
    }
}

/// A configured pinning service (the token itself never leaves the core).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinningServiceView {
    /// Its name.
    pub name: String,
    /// The API's base URL.
    pub endpoint: String,
    /// Whether a token is stored.
    pub token_set: bool,
}

/// Mints interrupted by a crash, a kill or a lost node (kept in the data folder's journal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum UnfinishedMintsRequest {
    /// List them.
    List,
    /// Finish one, signed by the active account (which must be the one that started it).
    Resume {
        /// Its content sha-256 (64 hex digits).
        content_sha256: String,
    },
    /// Forget one that was never signed.
    Discard {
        /// Its content sha-256 (64 hex digits).
        content_sha256: String,
    },
}

/// One unfinished mint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfinishedMintView {
    /// sha-256 of the media: what resume and discard take.
    pub content_sha256: String,
    /// The title asked for.
    pub title: String,
    /// The media file.
    pub path: String,
    /// `prepared` (checked, nothing signed) or `signed` (its transaction may be on chain).
    pub step: String,
    /// The account that started it.
    pub creator: String,
    /// The kept transaction, once signed.
    pub tx_hash: Option<String>,
    /// Unix seconds of its last step.
    pub updated_at: u64,
}

/// The unfinished mints after the request, and the work a resume registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfinishedMintsReport {
    /// Those still unfinished.
    pub mints: Vec<UnfinishedMintView>,
    /// What a resume registered.
    pub resumed: Option<MintWorkReport>,
}

/// Export the exit kit of the active account's works, or import one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum KitRequest {
    /// Every work the account holds or created, into `<data>/exports/kit-<time>/`.
    Export,
    /// The kit folder at `path` (absolute): every file and block checked before anything is kept.
    Import {
        /// The kit folder.
        path: String,
    },
}

/// What an export or import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitOutcome {
    /// The kit folder written or read.
    pub path: String,
    /// Works in it.
    pub works: u64,
    /// Evidence bundles (written, or verified).
    pub bundles: u64,
    /// Files written or checked.
    pub files: u64,
    /// Bytes written or checked.
    pub bytes: u64,
}

/// Fetch one work's metadata again now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshRequest {
    /// The work id.
    pub work_id: u64,
}

/// The metadata after the refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshOutcome {
    /// `ok`, `pending`, `failed` …
    pub status: String,
    /// Why it failed, if it did.
    pub error: Option<String>,
}
