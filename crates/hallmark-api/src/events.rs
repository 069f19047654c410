//! Event names the shell emits, with the type of their payload.

/// Payload: [`IngestProgress`](crate::IngestProgress).
pub const INGEST_PROGRESS: &str = "ingest-progress";
/// Payload: none. The chain finished starting (or failed): refresh the status.
pub const CHAIN_CHANGED: &str = "chain-changed";
/// Payload: [`SyncStatus`](crate::SyncStatus). The catalog moved: refresh Explore.
pub const CATALOG_CHANGED: &str = "catalog-changed";
/// Payload: [`MintProgress`](crate::MintProgress). A mint reached its next step.
pub const MINT_PROGRESS: &str = "mint-progress";
/// Files dropped on the window: `Vec<ChosenFile>`, each with the token requests name it by.
pub const FILES_DROPPED: &str = "files-dropped";
