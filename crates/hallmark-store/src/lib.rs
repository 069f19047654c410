//! Hallmark's content store.
//!
//! [`ContentStore`] is implemented by two backends, chosen at run time through [`AnyStore`]:
//! - [`EmbeddedStore`]: blocks as files in the data folder (no daemon), with CAR v1 export and
//!   import and a [`StoreSink`] so media ingest stores blocks in the pass that computes the CID;
//! - [`KuboStore`]: a thin client of a Kubo-compatible node's RPC API (`reqwest`, POST only).
//!
//! The rule both follow: every byte read back is verified against its CID, and a mismatch is an
//! error ([`StoreError::CidMismatch`]), never data. See `docs/content-store.md`.

mod embedded;
mod error;
mod kubo;
mod remote;
mod store;
mod verified;

pub use embedded::{
    CacheUsage, EmbeddedStore, StoreSink, UNREFERENCED_GRACE, Unreferenced, WrittenBlocks,
};
pub use error::StoreError;
pub use kubo::{KuboStore, NodeIdentity, NodeVersion};
pub use remote::{HEDGE_AFTER, ReadEndpoint, ReadKind, RemoteBlocks};
pub use store::{AddedContent, AnyStore, ContentStore};
pub use verified::MAX_BLOCK_BYTES;
