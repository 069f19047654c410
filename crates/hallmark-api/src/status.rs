//! Health of the app and of the catalog sync: the Status page.

use serde::{Deserialize, Serialize};

/// Health of everything the app depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppStatus {
    /// The data folder.
    pub data_dir: String,
    /// The SQLite database file.
    pub database: String,
    /// Works in the local library.
    pub library_items: u64,
    /// `embedded` or the Kubo API URL.
    pub store_backend: String,
    /// Why the store is unusable, if it is.
    pub store_error: Option<String>,
    /// The consortium's IPFS node new works are uploaded to, if any.
    #[serde(default)]
    pub consortium_upload: Option<String>,
    /// The endpoints other people's works are read through from (e.g. `Kubo RPC https://…`).
    #[serde(default)]
    pub consortium_read: Vec<String>,
    /// What the cache of works read through holds, when read-through is on.
    #[serde(default)]
    pub cache: Option<CacheStatus>,
    /// `dev` (app-owned anvil) or `rpc` (consortium node).
    pub chain_kind: ChainKind,
    /// The chain's JSON-RPC URL once known.
    pub chain_rpc: Option<String>,
    /// The chain id.
    pub chain_id: u64,
    /// The head block, when the chain answered.
    pub head_block: Option<u64>,
    /// Why the chain is unusable, if it is (or `starting…`).
    pub chain_error: Option<String>,
    /// The work registry contract, once deployed or found.
    pub works_contract: Option<String>,
    /// The market contract.
    pub market_contract: Option<String>,
    /// The block the contracts were deployed in.
    pub deployment_block: Option<u64>,
}

/// The cache of other people's works read through from the consortium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheStatus {
    /// Bytes held.
    pub bytes: u64,
    /// The cap.
    pub max_bytes: u64,
    /// Files (media, thumbnails, metadata) held.
    pub files: u64,
}

/// Where the local catalog is relative to the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// The chain's head, once seen.
    pub head_block: Option<u64>,
    /// The last block in the catalog.
    pub synced_block: Option<u64>,
    /// Blocks not yet in the catalog.
    pub blocks_behind: u64,
    /// Works in the catalog.
    pub works: u64,
    /// Tokens for sale.
    pub listed: u64,
    /// Why syncing is paused, if it is.
    pub error: Option<String>,
}

hallmark_domain::wire_enum! {
    /// Which chain the app uses.
    pub enum ChainKind {
        /// The app-owned local dev chain (anvil).
        Dev = "dev",
        /// A consortium node reached over JSON-RPC.
        Rpc = "rpc",
    }
}
