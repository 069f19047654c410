//! Hallmark's engine: everything the desktop app and the `hallmark` CLI do, with no UI dependency.
//!
//! [`Engine`] ties together the configuration ([`Config`]), the content store
//! ([`hallmark_store::AnyStore`]), media ingest ([`hallmark_media`]) and the chain (the embedded
//! dev chain, [`devchain::DevChain`], or a consortium RPC endpoint).
//!
//! The exit kit is built on this API in its own crate, `hallmark-kit`.

mod accounts;
mod catalog_sync;
mod certificate;
mod config;
mod copycheck;
mod council;
pub mod devchain;
mod endorse;
mod engine;
mod error;
mod fault;
mod fsutil;
mod health;
mod ipfs_auth;
mod job;
pub mod journal;
mod library;
mod mint;
mod mint_request;
mod pinning;
mod profile;
mod proof;
mod refresh;
mod rpc;
mod upload;
mod wallet;

pub use accounts::{AppAccount, DEMO_ACCOUNTS};
pub use catalog_sync::{CatalogFreshness, SyncReport};
pub use certificate::{CertificateFormat, certificate_from_bundle};
pub use config::{
    ChainConfig, Config, ConsortiumIpfs, DEFAULT_CACHE_MAX_BYTES, DEV_CHAIN_ID, IpfsBackend,
    NetworkConfig,
};
pub use copycheck::{CopyCheck, NearMatch};
pub use council::CouncilState;
pub use endorse::{EndorsementCandidate, EndorsementDecided, EndorsementSent, MAX_VALID_DAYS};
pub use engine::{ChainStatus, ContractsStatus, Engine, Progress, Stage, Status, StoreStatus};
pub use error::EngineError;
pub use hallmark_chain::{
    Address, B256, ChainClient, ChainError, ChainResult, CouncilAction, DeployParams, Deployment,
    GovernanceSettings, PrivateKeySigner, Proposal, ProposalState, U256, deploy_suite, dev_signer,
    edition_of, work_of,
};
pub use hallmark_indexer::{IndexerConfig, SyncProgress};
pub use hallmark_media::{Ingested, Limits, MediaKind, MediaType};
pub use hallmark_unixfs::{Cid, ImportSettings};
pub use health::{
    Availability, AvailabilityRecord, FixAction, HealthEntry, HealthReport, HealthRequest,
    ItemHealth, LOCAL_BACKEND,
};
pub use ipfs_auth::{IpfsCredential, remove_ipfs_credential, set_ipfs_credential};
pub use job::CancelToken;
pub use journal::{MintStep, UnfinishedMint};
pub use library::{Library, LibraryItem};
pub use mint::{MintOutcome, MintStage};
pub use mint_request::{
    CoCreator, MAX_ATTRIBUTE_NAME_CHARS, MAX_ATTRIBUTE_VALUE_CHARS, MAX_ATTRIBUTES,
    MAX_CO_CREATORS, MAX_DESCRIPTION_CHARS, MAX_EDITIONS, MAX_LICENCE_CHARS, MAX_ROYALTY_BPS,
    MAX_TITLE_CHARS, MintRequest, MintRequestError,
};
pub use pinning::{
    MAX_SERVICE_NAME_CHARS, PinningServiceConfig, PinningServiceInfo, RemotePinOutcome,
    RemotePinReport, ServiceIssue,
};
pub use profile::{
    Consensus, ConsortiumProfile, PROFILE_FORMAT, ProfileBody, ProfileChain, ProfileCheck,
    ProfileIpfs, ProfileOptions, ProfilePinning, ReadEndpoint, ReadKind, chain_consensus,
    check_profile, consortium_dir, export_profile, use_profile,
};
pub use proof::{
    ExportedProof, FileIdentity, MAX_EMBEDDED_MEDIA, Proof, ProveRequest, verify_bundle_at,
};
pub use refresh::RefreshReport;
pub use rpc::RpcEndpoint;
pub use upload::Uploaded;
pub use wallet::{
    ActiveAccount, DEMO_JOIN_CREDITS, Forgotten, MIN_PASSWORD_CHARS, MIN_PASSWORD_SCORE, Origin,
    PasswordChanged, WalletAccount, unlock_keystore,
};

/// The media type of `bytes` from their first bytes, if it is one Hallmark accepts (never SVG
/// or HTML).
pub fn sniff_media(bytes: &[u8]) -> Option<MediaType> {
    let head = &bytes[..bytes.len().min(hallmark_media::SNIFF_LEN)];
    hallmark_media::sniff(head).ok()
}

/// The catalog's query and result types, as [`Engine::catalog`] takes and answers them (the
/// whole catalog crate is `hallmark_catalog`).
pub mod catalog {
    pub use hallmark_catalog::{
        BrowseQuery, Catalog, CatalogError, EDITION_BASE, EndorsementEntry, EndorsementFilter,
        ProvenanceEntry, Sort, TokenCard, WorkView, work_of,
    };
}

/// The evidence verifier's report, as [`Engine::verify_bundle`] answers it (the bundle format
/// itself is `hallmark_evidence`).
pub mod evidence {
    pub use hallmark_evidence::{
        Anchor, Check, Conclusion, MAX_BUNDLE_BYTES, Report, Status, Summary, VerifyOptions,
    };
}
