//! Hallmark's local catalog: a SQLite cache of every event of the Hallmark contracts, kept in step
//! with the chain by the indexer, so browsing, search and provenance are instant and offline.
//!
//! - [`Catalog::apply_page`] writes a page of [`CatalogEvent`]s **and** moves the checkpoint in one
//!   transaction (forward-only: a crash leaves the whole page or none of it).
//! - [`Catalog::rollback_to`] undoes a chain reorganisation: it drops events after the fork point
//!   and replays the rest of the event log into the derived tables.
//! - Queries: [`Catalog::browse`] (filters, sorts, keyset pages), [`Catalog::search`] (FTS5),
//!   [`Catalog::work`], [`Catalog::provenance`], [`Catalog::activity`], [`Catalog::earnings`].
//! - Metadata fetched from IPFS is recorded with [`Catalog::record_metadata`]; failures are retried
//!   with backoff and shown as "media unavailable", never blocking anything else.
//!
//! The cache is a derivative of the chain: deleting it and syncing again gives the same content
//! ([`Catalog::dump`] compares two catalogs). Design notes: `docs/catalog.md`.

mod apply;
mod availability;
mod catalog;
mod endorsements;
mod error;
mod event;
mod fts;
mod query;
mod schema;

pub use availability::{AccountWork, MetadataRecord};
pub use catalog::{
    Catalog, MetadataFetch, PublishedHashes, Rollback, SyncState, WorkDetails, retry_delay,
};
pub use endorsements::{ENDORSEMENT_REQUEST_TTL, EndorsementEntry, EndorsementFilter};
pub use error::{CatalogError, CatalogResult};
pub use event::{BlockEvents, CatalogEvent, EDITION_BASE, LoggedEvent, Page, work_of};
pub use query::{
    BrowsePage, BrowseQuery, CatalogStats, Earnings, LicenceRecord, ProvenanceEntry, ReviewEntry,
    SEARCH_WINDOW, SearchHit, Sort, TokenCard, WorkView,
};
