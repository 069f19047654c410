//! The engine's one error type. `Display` is a sentence a user can act on; `code()` is a stable
//! machine code the UI and scripts can branch on. Internal detail goes to the log, not here.

use std::path::PathBuf;

use hallmark_domain::ErrorCode;
use hallmark_media::MediaError;
use hallmark_store::StoreError;

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// `config.json` could not be read or holds invalid values.
    #[error("the configuration {path} is invalid: {reason}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A configured URL is plain http to another machine, and plain http is not allowed there.
    #[error(
        "{setting} is {url}: plain http to another machine, which anyone on the network could \
         read or change. Use its https address, or allow plain http for this private network \
         (network.allow_plain_http)"
    )]
    PlainHttpRefused {
        /// The setting, e.g. `chain.url`.
        setting: String,
        /// The URL.
        url: String,
    },
    /// A consortium profile file is not a complete profile of this format.
    #[error("the consortium profile cannot be used: {reason}")]
    ProfileInvalid {
        /// What is wrong.
        reason: String,
    },
    /// A consortium profile's signature does not match its contents.
    #[error("the consortium profile's signature does not match its contents: {reason}")]
    ProfileBadSignature {
        /// What is wrong.
        reason: String,
    },
    /// A consortium profile describes another chain than its node serves.
    #[error("the consortium profile does not match its chain: {reason}")]
    ProfileWrongChain {
        /// What differs.
        reason: String,
    },
    /// A consortium profile is signed by an account that is not on the council.
    #[error(
        "the consortium profile is signed by {signer:#x}, which is not on the consortium's council"
    )]
    ProfileSignerNotCouncil {
        /// The signer.
        signer: hallmark_chain::Address,
    },
    /// A CA certificate file of `network.ca_certificates` cannot be used.
    #[error(transparent)]
    CaCertificate(hallmark_net::TrustError),
    /// The data folder cannot be created or written.
    #[error("the data folder {path} cannot be used: {reason}")]
    DataDir {
        /// The folder or file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// The local catalog failed.
    #[error(transparent)]
    Catalog(#[from] hallmark_catalog::CatalogError),
    /// Syncing the catalog with the chain failed.
    #[error(transparent)]
    Indexer(#[from] hallmark_indexer::IndexerError),
    /// The media file was refused or could not be processed.
    #[error(transparent)]
    Media(#[from] MediaError),
    /// The content store failed or returned bytes that do not match their CID.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The chain's JSON-RPC endpoint did not answer properly.
    #[error("the chain at {url} is not reachable: {reason}")]
    ChainUnavailable {
        /// The endpoint.
        url: String,
        /// What happened.
        reason: String,
    },
    /// The chain's endpoint failed the TLS check (its certificate is untrusted, expired or for
    /// another host).
    #[error("the chain at {url} cannot be trusted: {problem}")]
    ChainTls {
        /// The endpoint.
        url: String,
        /// What is wrong with its certificate.
        problem: hallmark_net::TlsProblem,
    },
    /// The embedded dev chain could not be started.
    #[error("the local dev chain could not start: {reason}")]
    DevChain {
        /// What happened.
        reason: String,
    },
    /// The local database could not be opened or queried.
    #[error("the local database {path} cannot be used: {reason}")]
    Database {
        /// The database file.
        path: PathBuf,
        /// What happened.
        reason: String,
    },
    /// The work's metadata document was refused.
    #[error(transparent)]
    Metadata(#[from] hallmark_media::metadata::MetadataError),
    /// The chain is not ready for contract calls (not started, or no contracts deployed).
    #[error("the chain is not ready: {reason}")]
    ChainNotReady {
        /// What is missing.
        reason: String,
    },
    /// A contract call or deployment failed.
    #[error(transparent)]
    Chain(#[from] hallmark_chain::ChainError),
    /// An evidence bundle could not be made or read.
    #[error(transparent)]
    Evidence(#[from] hallmark_evidence::EvidenceError),
    /// The work looks like a registered one: it was sent to the review queue instead of minted.
    #[error(
        "this work looks like work {work_id} (PDQ distance {distance} of 256), so it was sent to the consortium's review queue as request {request_id}; mint it again once a reviewer approves it"
    )]
    SentToReview {
        /// The review request.
        request_id: u64,
        /// The closest registered work.
        work_id: u64,
        /// Its distance.
        distance: u32,
    },
    /// A rule of endorsed minting (see the code).
    #[error("{reason}")]
    Endorsement {
        /// `endorse.*`.
        code: ErrorCode,
        /// What happened and what to do, in words.
        reason: String,
    },
    /// A review of this content is still open.
    #[error("review request {request_id} for this work is still waiting for a reviewer")]
    ReviewPending {
        /// The review request.
        request_id: u64,
    },
    /// A reviewer rejected this content.
    #[error("a reviewer rejected this work (review request {request_id}): {reason}")]
    ReviewRejected {
        /// The review request.
        request_id: u64,
        /// The reviewer's reason.
        reason: String,
    },
    /// The approved request reviewed other metadata (title, description or licence changed).
    #[error(
        "review request {request_id} approved this work with other details (title, description or licence); mint it with the reviewed details, or withdraw and submit again"
    )]
    ReviewMismatch {
        /// The review request.
        request_id: u64,
    },
    /// A certificate could not be rendered.
    #[error("the certificate cannot be made: {0}")]
    Certificate(#[from] hallmark_certificate::CertificateError),
    /// The token, work or file is not known where it was looked up.
    #[error("{what} was not found: {reason}")]
    NotFound {
        /// What was looked up.
        what: String,
        /// Where, or what to do.
        reason: String,
    },
    /// A keystore or recovery phrase could not be used.
    #[error(transparent)]
    Wallet(hallmark_chain::keys::KeyError),
    /// A wallet rule refused the request (weak password, duplicate account, …).
    #[error("{reason}")]
    WalletRule {
        /// The stable code, `wallet.*`.
        code: ErrorCode,
        /// What to do.
        reason: String,
    },
    /// The account must be unlocked with its password before it signs.
    #[error("account {address} is locked: unlock it with its password first")]
    WalletLocked {
        /// The account.
        address: String,
    },
    /// An exit kit could not be written, or a kit was refused (the reason names the file).
    #[error("{reason}")]
    Kit {
        /// The stable code, `kit.*`.
        code: ErrorCode,
        /// What is wrong and where.
        reason: String,
    },
    /// An interrupted mint's journal stops this request (it must be resumed first, or its file
    /// changed since), or the journal cannot be read or written.
    #[error("{reason}")]
    Journal {
        /// The stable code, `mint.*`.
        code: ErrorCode,
        /// What happened and what to do.
        reason: String,
    },
    /// A new work's blocks could not be uploaded to the consortium's IPFS node; nothing was
    /// registered, and the mint stays in the journal to be resumed.
    #[error(
        "the work could not be uploaded to the consortium's IPFS node {url}, so it was not registered (others could not see its media): {source}. The mint is kept: resume it when the node is back"
    )]
    UploadFailed {
        /// The node's RPC API.
        url: String,
        /// What went wrong.
        source: StoreError,
    },
    /// A mint request breaks one of its rules (title, editions, royalty, attributes, …).
    #[error(transparent)]
    InvalidMintRequest(#[from] crate::mint_request::MintRequestError),
    /// The user cancelled the job before it finished; nothing was registered or half-written.
    #[error("cancelled: the job stopped before it finished and nothing was registered")]
    Cancelled,
    /// The disk is full (see [`EngineError::for_user`]); names the folder the user chose.
    #[error("{}", crate::fault::full_sentence(place.as_deref(), *data_folder))]
    StorageFull {
        /// The data folder, or the folder an export went to; `None` when unknown.
        place: Option<PathBuf>,
        /// Whether `place` is the data folder.
        data_folder: bool,
    },
    /// A folder Hallmark must write is on a read-only disk or not writable by this user.
    #[error("{}", crate::fault::read_only_sentence(place.as_deref(), *data_folder))]
    StorageReadOnly {
        /// The data folder, or the folder an export went to; `None` when unknown.
        place: Option<PathBuf>,
        /// Whether `place` is the data folder.
        data_folder: bool,
    },
    /// A background task panicked or was cancelled.
    #[error("an internal task failed: {0}")]
    Task(String),
    /// A remote pinning service failed or refused (never carries its access token).
    #[error(transparent)]
    Pinning(#[from] hallmark_pinning::PinningError),
}

impl EngineError {
    /// A stable machine-readable code, e.g. `media.unsupported_type`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Config { .. } => ErrorCode::ConfigInvalid,
            Self::PlainHttpRefused { .. } => ErrorCode::NetPlainHttpRefused,
            Self::ProfileInvalid { .. } => ErrorCode::ProfileInvalid,
            Self::ProfileBadSignature { .. } => ErrorCode::ProfileBadSignature,
            Self::ProfileWrongChain { .. } => ErrorCode::ProfileWrongChain,
            Self::ProfileSignerNotCouncil { .. } => ErrorCode::ProfileSignerNotCouncil,
            Self::CaCertificate(e) => e.code(),
            Self::DataDir { .. } => ErrorCode::StorageDataDir,
            Self::Catalog(e) => e.code(),
            Self::Indexer(e) => e.code(),
            Self::Media(e) => e.code(),
            Self::Store(e) => e.code(),
            Self::ChainUnavailable { .. } => ErrorCode::ChainUnavailable,
            Self::ChainTls { problem, .. } => problem.code(),
            Self::DevChain { .. } => ErrorCode::ChainDevChain,
            Self::Database { .. } => ErrorCode::StorageDatabase,
            Self::Chain(e) => e.code(),
            Self::Metadata(e) => e.code(),
            Self::ChainNotReady { .. } => ErrorCode::ChainNotReady,
            Self::Evidence(e) => e.code(),
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Certificate(_) => ErrorCode::CertificateRender,
            Self::SentToReview { .. } => ErrorCode::ReviewSubmitted,
            Self::ReviewPending { .. } => ErrorCode::ReviewPending,
            Self::Endorsement { code, .. } => *code,
            Self::ReviewRejected { .. } => ErrorCode::ReviewRejected,
            Self::ReviewMismatch { .. } => ErrorCode::ReviewMismatch,
            Self::Wallet(e) => e.code(),
            Self::WalletRule { code, .. } => *code,
            Self::WalletLocked { .. } => ErrorCode::WalletLocked,
            Self::Kit { code, .. } => *code,
            Self::Journal { code, .. } => *code,
            Self::UploadFailed { .. } => ErrorCode::MintUploadFailed,
            Self::InvalidMintRequest(e) => e.code(),
            Self::Cancelled => ErrorCode::JobCancelled,
            Self::StorageFull { .. } => ErrorCode::StorageFull,
            Self::StorageReadOnly { .. } => ErrorCode::StorageReadOnly,
            Self::Task(_) => ErrorCode::InternalTask,
            Self::Pinning(e) => crate::pinning::pinning_code(e),
        }
    }
}

impl From<tokio::task::JoinError> for EngineError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Task(e.to_string())
    }
}
