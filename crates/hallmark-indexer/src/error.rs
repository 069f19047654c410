//! Errors of the indexer.

use hallmark_catalog::CatalogError;
use hallmark_domain::ErrorCode;

/// What can stop a sync.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    /// The chain node failed or is unreachable (retried by the follow loop).
    #[error("the chain node at {url} failed: {reason}")]
    Rpc {
        /// The endpoint.
        url: String,
        /// What happened.
        reason: String,
    },
    /// The chain node did not answer usefully (refused, silent past the timeout, not HTTP or
    /// not JSON-RPC); reads were already retried a few times (retried by the follow loop too).
    #[error("the chain at {url} {}: {reason}", if .tls.is_some() { "cannot be trusted" } else { "is not reachable" })]
    Unreachable {
        /// The endpoint.
        url: String,
        /// What happened, in words.
        reason: String,
        /// The TLS problem, when the handshake failed (it has its own code).
        tls: Option<hallmark_net::TlsProblem>,
    },
    /// A log of a Hallmark contract did not decode (a contract/ABI mismatch).
    #[error("a Hallmark event did not decode: {0}")]
    Decode(String),
    /// The catalog refused or failed.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The chain changed while a page was read; the page is fetched again.
    #[error("the chain changed while block {block} was read")]
    Unstable {
        /// The block whose hash changed.
        block: u64,
    },
    /// The sync was cancelled.
    #[error("sync cancelled")]
    Cancelled,
}

impl IndexerError {
    /// A stable machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Rpc { .. } => ErrorCode::IndexerRpc,
            Self::Unreachable {
                tls: Some(problem), ..
            } => problem.code(),
            Self::Unreachable { .. } => ErrorCode::ChainUnavailable,
            Self::Decode(_) => ErrorCode::IndexerDecode,
            Self::Catalog(e) => e.code(),
            Self::Unstable { .. } => ErrorCode::IndexerUnstable,
            Self::Cancelled => ErrorCode::IndexerCancelled,
        }
    }
}
