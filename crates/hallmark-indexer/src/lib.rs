//! Hallmark's indexer: follows every event of the Hallmark contracts into the local
//! [`hallmark_catalog::Catalog`] and fetches each work's metadata and thumbnail from IPFS.
//!
//! - [`Indexer`] pages through blocks with `eth_getLogs` (adaptive page size), applies each page
//!   with its checkpoint in one transaction, detects reorgs by block hash and rolls back to the
//!   fork point, then follows the head: woken by a `newHeads` WebSocket subscription
//!   ([`subscribe_new_heads`], `ws` or `wss`) when the node offers one, else by polling.
//! - [`MetadataFetcher`] fetches due metadata documents with bounded concurrency, checks them
//!   against the hashes registered on chain, and records failures for retry with backoff.

mod decode;
mod error;
mod heads;
mod metadata;
mod sync;

pub use decode::{decode_log, followed_addresses, followed_topics};
pub use error::IndexerError;
pub use heads::{HeadsError, subscribe_new_heads};
pub use metadata::{FetchReport, MetadataFetcher};
pub use sync::{Indexer, IndexerConfig, Step, SyncProgress};
