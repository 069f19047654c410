//! [`StoreError`]: everything a content store can refuse or fail at, in words a user can act on.

use std::path::{Path, PathBuf};

use hallmark_domain::ErrorCode;
use hallmark_unixfs::Cid;

/// Why a content-store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Bytes did not hash to the CID they were asked for or announced under. Such bytes are
    /// never handed out; the operation fails instead.
    #[error("{context}: expected {expected}, got {actual}")]
    CidMismatch {
        /// The CID that was asked for (or computed locally).
        expected: Cid,
        /// The CID the bytes actually have (or that the node announced).
        actual: Cid,
        /// Where the bytes came from and what that means.
        context: String,
    },
    /// The block is not in the store.
    #[error("block {cid} is not in the {backend} store")]
    NotFound {
        /// The missing block.
        cid: Cid,
        /// `embedded` or the node's URL.
        backend: String,
    },
    /// A file is larger than the caller allowed.
    #[error("the file {cid} is larger than the allowed {max_bytes} bytes")]
    TooLarge {
        /// The file's root CID.
        cid: Cid,
        /// The limit that was exceeded.
        max_bytes: u64,
    },
    /// The CID is not pinned, so it cannot be unpinned.
    #[error("{cid} is not pinned")]
    NotPinned {
        /// The CID.
        cid: Cid,
    },
    /// A file or folder of the store (or a file given to it) could not be used.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. `read` or `create`.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The bytes stored under a CID are not a UnixFS file Hallmark can read.
    #[error("{cid} is not a readable UnixFS file: {reason}")]
    Dag {
        /// The root that was read.
        cid: Cid,
        /// What is wrong with it.
        reason: String,
    },
    /// A CAR file is malformed, incomplete or does not match its CIDs.
    #[error("the CAR file {} was refused: {reason}", path.display())]
    Car {
        /// The CAR file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The import settings are not supported.
    #[error("invalid import settings: {0}")]
    InvalidSettings(String),
    /// The IPFS node URL is not a usable `http://host:port` address.
    #[error("`{url}` is not a usable IPFS API address: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Plain http to another machine without the user's opt-in.
    #[error(
        "{url} is plain http to another machine: anyone on the network could read or change the blocks' transfer. Use https, or allow plain http for this private network"
    )]
    PlainHttpRefused {
        /// The URL as given.
        url: String,
    },
    /// The TLS handshake with the node failed.
    #[error("the IPFS node at {url} cannot be trusted: {problem}")]
    Tls {
        /// The node's API URL.
        url: String,
        /// What is wrong with its certificate.
        problem: hallmark_net::TlsProblem,
    },
    /// The IPFS node did not answer (not running, wrong port, timed out).
    #[error("IPFS node at {url} is not reachable: {reason}")]
    Unreachable {
        /// The node's API URL.
        url: String,
        /// What happened.
        reason: String,
    },
    /// The IPFS node answered with an error.
    #[error("the IPFS node at {url} refused {endpoint}: {message}")]
    Node {
        /// The node's API URL.
        url: String,
        /// The RPC endpoint, e.g. `block/get`.
        endpoint: &'static str,
        /// The node's message (its `Message` field when it sent one).
        message: String,
    },
    /// The IPFS node answered with something that is not what its API promises.
    #[error("the IPFS node at {url} gave an unexpected answer to {endpoint}: {reason}")]
    BadResponse {
        /// The node's API URL.
        url: String,
        /// The RPC endpoint.
        endpoint: &'static str,
        /// What was wrong with the answer.
        reason: String,
    },
    /// No read endpoint of the consortium could give a block that is not in this store.
    #[error("block {cid} is not here and no consortium endpoint gave it: {}", reasons.join("; "))]
    Unavailable {
        /// The block.
        cid: Cid,
        /// Each endpoint's failure, in the order they were tried.
        reasons: Vec<String>,
    },
    /// A background task panicked or was cancelled.
    #[error("an internal store task failed: {0}")]
    Task(String),
}

impl StoreError {
    /// A stable machine-readable code, e.g. `store.cid_mismatch`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::CidMismatch { .. } => ErrorCode::StoreCidMismatch,
            Self::NotFound { .. } => ErrorCode::StoreNotFound,
            Self::TooLarge { .. } => ErrorCode::StoreTooLarge,
            Self::NotPinned { .. } => ErrorCode::StoreNotPinned,
            Self::Io { source, .. } if source.kind() == std::io::ErrorKind::StorageFull => {
                ErrorCode::StoreDiskFull
            }
            Self::Io { .. } => ErrorCode::StoreIo,
            Self::Unavailable { .. } => ErrorCode::StoreUnavailable,
            Self::Dag { .. } => ErrorCode::StoreBadDag,
            Self::Car { .. } => ErrorCode::StoreBadCar,
            Self::InvalidSettings(_) => ErrorCode::StoreInvalidSettings,
            Self::InvalidUrl { .. } => ErrorCode::StoreInvalidUrl,
            Self::Unreachable { .. } => ErrorCode::StoreUnreachable,
            Self::PlainHttpRefused { .. } => ErrorCode::NetPlainHttpRefused,
            Self::Tls { problem, .. } => problem.code(),
            Self::Node { .. } => ErrorCode::StoreNodeError,
            Self::BadResponse { .. } => ErrorCode::StoreBadResponse,
            Self::Task(_) => ErrorCode::StoreInternal,
        }
    }

    /// Shorthand for [`StoreError::Io`].
    pub(crate) fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }
}

impl From<tokio::task::JoinError> for StoreError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Task(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_names_the_url() {
        let e = StoreError::Unreachable {
            url: "http://127.0.0.1:5001".into(),
            reason: "connection refused".into(),
        };
        assert_eq!(
            e.to_string(),
            "IPFS node at http://127.0.0.1:5001 is not reachable: connection refused"
        );
        assert_eq!(e.code(), "store.unreachable");
    }

    #[test]
    fn a_full_disk_has_its_own_code() {
        let full = StoreError::io(
            "write",
            Path::new("/data/ipfs/blocks/x"),
            std::io::Error::from(std::io::ErrorKind::StorageFull),
        );
        assert_eq!(full.code(), "store.disk_full");
        let other = StoreError::io(
            "write",
            Path::new("/data/ipfs/blocks/x"),
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert_eq!(other.code(), "store.io");
    }
}
