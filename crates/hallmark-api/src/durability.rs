//! Media that outlives the platform: availability health, pinning services, the exit kit and
//! metadata refresh.

use serde::{Deserialize, Serialize};

use crate::MetadataStatus;

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
    pub status: Availability,
    /// Whether the status is healthy.
    pub ok: bool,
    /// What was found, in words.
    pub detail: Option<String>,
    /// Each item (`media`, `metadata`, `thumbnail`) and its status.
    pub items: Vec<(String, Availability)>,
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

/// Export the exit kit of the active account's works, or import one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum KitRequest {
    /// Every work the account holds or created, into `<data>/exports/kit-<time>/`.
    Export,
    /// The kit folder the user chose: every file and block checked before anything is kept.
    Import {
        /// The kit folder, as the user chose it.
        folder: crate::FileToken,
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
    /// `available`, `pending`, `unavailable` or `invalid`.
    pub status: MetadataStatus,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

hallmark_domain::wire_enum! {
    /// The state of one item (or one work) at one backend; `ok` is the only good one.
    pub enum Availability {
        /// Retrievable and verified (local), or pinned (remote).
        Ok = "ok",
        /// Local: a block is not in the store.
        Missing = "missing",
        /// Local: a block's bytes do not match its CID.
        CidMismatch = "cid_mismatch",
        /// Local: the blocks do not form a valid file.
        Corrupt = "corrupt",
        /// Local: the file is not what the chain registered.
        ContentMismatch = "content_mismatch",
        /// Local: verified but not pinned.
        NotPinned = "not_pinned",
        /// The item's CID is unknown here.
        UnknownCid = "unknown_cid",
        /// Local: the store did not answer.
        StoreUnreachable = "store_unreachable",
        /// Local: another store failure.
        StoreError = "store_error",
        /// Remote: the service has no pin request for the CID.
        PinAbsent = "pin_absent",
        /// Remote: queued or pinning.
        PinPending = "pin_pending",
        /// Remote: the pin failed.
        PinFailed = "pin_failed",
        /// Remote: the service refused the access token.
        Unauthorized = "unauthorized",
        /// Remote: the service did not answer.
        ServiceUnreachable = "service_unreachable",
        /// Remote: the service answered with an error.
        ServiceError = "service_error",
        /// Remote: no access token is stored for the service.
        NoToken = "no_token",
    }
}
