//! Hallmark's engine: everything the desktop app and the `hallmark` CLI do, with no UI dependency.
//!
//! [`Engine`] ties together the configuration ([`Config`]), the content store
//! ([`hallmark_store::AnyStore`]), media ingest ([`hallmark_media`]) and the chain (the embedded
//! dev chain, [`devchain::DevChain`], or a consortium RPC endpoint).

mod accounts;
mod catalog_sync;
mod certificate;
mod config;
mod copycheck;
pub mod devchain;
mod engine;
mod error;
mod fault;
mod fsutil;
mod health;
mod job;
pub mod journal;
mod kit;
mod library;
mod mint;
mod pinning;
mod proof;
mod refresh;
mod rpc;
mod wallet;

pub use accounts::{AppAccount, DEMO_ACCOUNTS};
pub use catalog_sync::{CatalogFreshness, SyncReport};
pub use certificate::{CertificateFormat, certificate_from_bundle};
pub use config::{ChainConfig, Config, DEV_CHAIN_ID, IpfsBackend};
pub use copycheck::{CopyCheck, NearMatch};
pub use engine::{ChainStatus, ContractsStatus, Engine, Progress, Stage, Status, StoreStatus};
pub use error::EngineError;
/// The local catalog and the indexer, for callers that query or tune them.
pub use hallmark_catalog as catalog;
/// The chain layer, for callers that need its types (roles, licence terms).
pub use hallmark_chain as chain;
pub use hallmark_chain::Deployment;
pub use hallmark_chain::{Address, B256, PrivateKeySigner, U256, dev_signer, edition_of, work_of};
/// Evidence bundles (the format and the verifier), for callers that inspect reports.
pub use hallmark_evidence as evidence;
pub use hallmark_indexer::{IndexerConfig, SyncProgress};
pub use hallmark_media::{Ingested, Limits, MediaKind, MediaType};
pub use hallmark_unixfs::{Cid, ImportSettings};
pub use health::{
    Availability, AvailabilityRecord, FixAction, HealthEntry, HealthReport, HealthRequest,
    ItemHealth, LOCAL_BACKEND,
};
pub use job::CancelToken;
pub use journal::{MintStep, UnfinishedMint};
pub use kit::{
    CHAIN_FILE, ImportReport, ImportedWork, KIT_BUNDLE_MEDIA_MAX, KIT_FORMAT, KitFile, KitManifest,
    KitReport, KitSelection, KitToken, KitWork, KitWorkFiles, MANIFEST_FILE, MAX_CAR_BLOCKS,
    MAX_KIT_BUNDLE_BYTES, MAX_KIT_FILES, MAX_KIT_WORKS, MAX_MANIFEST_BYTES, README_FILE, SUMS_FILE,
};
pub use library::{Library, LibraryItem};
pub use mint::{CoCreator, MAX_CO_CREATORS, MintOutcome, MintRequest, MintStage};
pub use pinning::{
    MAX_SERVICE_NAME_CHARS, PinningServiceConfig, PinningServiceInfo, RemotePinOutcome,
    RemotePinReport, ServiceIssue,
};
pub use proof::{
    ExportedProof, FileIdentity, MAX_EMBEDDED_MEDIA, Proof, ProveRequest, verify_bundle_at,
};
pub use refresh::RefreshReport;
pub use rpc::RpcEndpoint;
pub use wallet::{
    ActiveAccount, DEMO_JOIN_CREDITS, MIN_PASSWORD_CHARS, Origin, WalletAccount, unlock_keystore,
};

/// The media type of `bytes` from their first bytes, if it is one Hallmark accepts (never SVG
/// or HTML).
pub fn sniff_media(bytes: &[u8]) -> Option<MediaType> {
    let head = &bytes[..bytes.len().min(hallmark_media::SNIFF_LEN)];
    hallmark_media::sniff(head).ok()
}
