//! Errors of the catalog.

use std::path::PathBuf;

use hallmark_domain::ErrorCode;

/// What can go wrong in the catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// SQLite failed (I/O, corruption, locked beyond the busy timeout).
    #[error("the catalog database {path} failed: {reason}")]
    Database {
        /// The database file.
        path: PathBuf,
        /// SQLite's message.
        reason: String,
    },
    /// The file was written by a newer Hallmark.
    #[error(
        "the catalog {path} has schema {found}, newer than this Hallmark knows ({known}); rebuild it with `hallmark catalog rebuild`"
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: usize,
        /// The newest this build knows.
        known: usize,
    },
    /// The catalog follows another chain or contract than the one asked for.
    #[error(
        "the catalog follows chain {found_chain} (works contract {found_works}), not chain {chain} ({works}); rebuild it with `hallmark catalog rebuild`"
    )]
    OtherChain {
        /// Chain id recorded in the catalog.
        found_chain: u64,
        /// Works contract recorded in the catalog.
        found_works: String,
        /// Chain id asked for.
        chain: u64,
        /// Works contract asked for.
        works: String,
    },
    /// A page did not start where the checkpoint is (checkpoints only move forward, one page at a time).
    #[error(
        "page starts at block {got} but the catalog is synced up to block {expected} (exclusive)"
    )]
    OutOfOrder {
        /// The next block the catalog expects.
        expected: u64,
        /// The page's first block.
        got: u64,
    },
    /// Sync has not been initialised.
    #[error("the catalog has not been initialised for a chain yet (run `hallmark sync`)")]
    NotInitialised,
    /// A rollback target is not a block the catalog knows.
    #[error("cannot roll back to block {block}: the catalog does not hold it")]
    UnknownBlock {
        /// The block.
        block: u64,
    },
    /// A stored event could not be read back.
    #[error("stored event {seq} is unreadable: {reason}")]
    CorruptEvent {
        /// Its sequence number.
        seq: i64,
        /// Why.
        reason: String,
    },
    /// A query argument is out of range (e.g. a malformed cursor).
    #[error("invalid query: {0}")]
    InvalidQuery(String),
}

impl CatalogError {
    /// A stable machine-readable code, e.g. `catalog.other_chain`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Database { .. } => ErrorCode::CatalogDatabase,
            Self::NewerSchema { .. } => ErrorCode::CatalogNewerSchema,
            Self::OtherChain { .. } => ErrorCode::CatalogOtherChain,
            Self::OutOfOrder { .. } => ErrorCode::CatalogOutOfOrder,
            Self::NotInitialised => ErrorCode::CatalogNotInitialised,
            Self::UnknownBlock { .. } => ErrorCode::CatalogUnknownBlock,
            Self::CorruptEvent { .. } => ErrorCode::CatalogCorruptEvent,
            Self::InvalidQuery(_) => ErrorCode::CatalogInvalidQuery,
        }
    }
}

/// Result alias.
pub type CatalogResult<T> = Result<T, CatalogError>;
