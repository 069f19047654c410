//! The settings saved in `config.json`.

use serde::{Deserialize, Serialize};

use crate::ChainKind;

/// The settings saved in `config.json` (they take effect at the next start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The data folder (read-only here: it is where `config.json` lives).
    pub data_dir: String,
    /// `dev` (the app-owned local chain) or `rpc` (a consortium node).
    pub network: ChainKind,
    /// The consortium node's JSON-RPC URL (for `rpc`).
    pub rpc_url: String,
    /// The chain id the node must report (for `rpc`).
    pub chain_id: u64,
    /// `embedded` or `kubo`.
    pub ipfs: StoreKind,
    /// The Kubo RPC API URL (for `kubo`).
    pub kubo_url: String,
    /// Copy detection: largest PDQ distance that counts as a near copy (0..=128).
    pub max_distance: u32,
    /// Copy detection: smallest image quality for the perceptual check (0..=100).
    pub min_quality: u8,
    /// The saved settings differ from the ones the app runs with: restart to use them.
    pub restart_needed: bool,
    /// The data folder the next start will use, if another one was chosen (empty: this one).
    #[serde(default)]
    pub next_data_dir: String,
    /// On save: the folder the user chose in the folder dialog for the next start. Without it,
    /// `next_data_dir` may only be empty, the running folder or the one already chosen (a typed
    /// path is never accepted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_data_folder: Option<crate::FileToken>,
    /// `$HALLMARK_DATA_DIR` fixes the data folder: it cannot be changed here.
    #[serde(default)]
    pub data_dir_fixed: bool,
    /// The consortium this data folder joined with a profile (empty: none).
    #[serde(default)]
    pub consortium: String,
}

/// Join the consortium of a profile file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinConsortiumRequest {
    /// The profile's text (`hallmark consortium profile export` writes it), as chosen in the
    /// webview's file picker: the webview sees a picked file's contents, never its path. A few
    /// kilobytes; at most [`MAX_PROFILE_BYTES`].
    pub profile: String,
}

/// The largest profile the app accepts (one is a few kilobytes, with its CA certificates).
pub const MAX_PROFILE_BYTES: usize = 1 << 20;

/// A consortium joined: what was checked against its chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsortiumJoined {
    /// The consortium's name.
    pub name: String,
    /// Its chain id.
    pub chain_id: u64,
    /// The node checked.
    pub rpc_url: String,
    /// The node's head block.
    pub head_block: u64,
    /// The council account that signed the profile.
    pub signed_by: String,
    /// How many contracts were checked (code and wiring).
    pub contracts: u32,
    /// How many CA certificates the profile brings.
    pub ca_certificates: u32,
    /// The app runs with the old settings until it restarts.
    pub restart_needed: bool,
}

hallmark_domain::wire_enum! {
    /// Which content store the app uses.
    pub enum StoreKind {
        /// The store built into the app, in the data folder.
        Embedded = "embedded",
        /// A Kubo (IPFS) node reached over its RPC API.
        Kubo = "kubo",
    }
}
