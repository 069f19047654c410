//! Hallmark's consortium contracts from Rust.
//!
//! - [`deploy_suite`] deploys HallmarkConsortium, HallmarkCredit, HallmarkWorks, HallmarkMarket,
//!   HallmarkLicences and HallmarkReviews once per chain and records them in
//!   `deployment-<chain_id>.json`; [`deploy_reviews`] adds HallmarkReviews to a suite recorded
//!   before the review queue existed.
//! - [`ChainClient`] is one account's typed access: every operation of the contracts, each
//!   refusal decoded into a [`ChainError`] (`HoldingPeriod { until }`, `NotMember { account }` …).
//! - [`governance`]: the council acting together (HallmarkCouncil, OpenZeppelin's Governor,
//!   and HallmarkTimelock, its TimelockController): proposals, approvals, the time lock, and
//!   each proposal's actions in words.
//! - [`seed_demo`] sets up a dev chain with anvil's public dev keys (dev only).
//!
//! The bindings come from the committed artifacts in `contracts/out/` (see `docs/contracts.md`).

pub mod bindings;
mod build_code;
mod client;
mod deploy;
mod error;
pub mod governance;
pub mod keys;
pub mod keystore;
mod role;
mod seed;
mod signed;
mod time;
pub mod transport;
mod types;

pub use client::{
    ChainClient, ConfirmationPolicy, DEFAULT_TX_TIMEOUT, connect_provider, connect_reader,
    connect_reader_trusting, genesis_hash, head_block, node_chain_id, sign_typed, works_domain,
};
pub use deploy::{
    DeployParams, Deployment, SUITE_VERSION, check_suite_version, credit_text, credits,
    deploy_reviews, deploy_suite, deployment_path, read_deployment,
};
pub use error::{ChainError, ChainResult};
pub use governance::{CouncilAction, GovernanceSettings, Proposal, ProposalState};
pub use role::Role;
pub use seed::{ANVIL_DEV_KEYS, DemoAccounts, demo_attestation, dev_signer, seed_demo};
pub use signed::SignedTx;
pub use time::format_utc;
pub use types::{
    ActiveLicence, EDITION_BASE, EndorsementRecord, EndorsementStatus, LicenceKind, LicenceTerms,
    Listing, MintVoucher, Minted, ReviewMatch, ReviewRecord, ReviewStatus, ReviewSubmission,
    RoyaltySplit, TxOutcome, WorkInput, WorkRecord, edition_of, work_of,
};

/// Re-exported alloy types that appear in this crate's API.
pub use alloy::primitives::{Address, B256, Bytes, U256};
/// Re-exported signer type.
pub use alloy::signers::local::PrivateKeySigner;
