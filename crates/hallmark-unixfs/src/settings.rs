//! Import parameters: what `ipfs add` flags decide a file's CID.

use serde::{Deserialize, Serialize};

use crate::cid::CidVersion;

/// Kubo's default chunk size (`size-262144`).
pub const DEFAULT_CHUNK_SIZE: usize = 256 * 1024;
/// Kubo's default maximum of links per node in the balanced layout.
pub const DEFAULT_MAX_LINKS: usize = 174;
/// Kubo refuses chunks larger than this (1 MiB).
pub const MAX_CHUNK_SIZE: usize = 1024 * 1024;

/// The DAG layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Kubo's default balanced tree.
    Balanced,
}

/// How a file is cut into blocks and named; equal settings and bytes give equal CIDs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImportSettings {
    /// `--cid-version`.
    pub cid_version: CidVersion,
    /// `--raw-leaves`: leaves are raw blocks (CIDv1, raw codec) instead of dag-pb nodes.
    pub raw_leaves: bool,
    /// Fixed-size chunker, in bytes (`--chunker=size-N`).
    pub chunk_size: usize,
    /// Most links in one node.
    pub max_links: usize,
    /// The DAG layout (`--trickle=false`).
    pub layout: Layout,
    /// The multihash (`--hash`); only `sha2-256` is supported.
    pub hash: String,
}

impl ImportSettings {
    /// `ipfs add` with Kubo's defaults: CIDv0, dag-pb leaves.
    pub fn kubo_v0() -> Self {
        Self {
            cid_version: CidVersion::V0,
            raw_leaves: false,
            chunk_size: DEFAULT_CHUNK_SIZE,
            max_links: DEFAULT_MAX_LINKS,
            layout: Layout::Balanced,
            hash: "sha2-256".to_owned(),
        }
    }

    /// `ipfs add --cid-version=1` (which implies raw leaves): Hallmark's canonical form.
    pub fn kubo_v1() -> Self {
        Self {
            cid_version: CidVersion::V1,
            raw_leaves: true,
            ..Self::kubo_v0()
        }
    }

    /// Checks the settings are ones this importer reproduces exactly.
    pub fn validate(&self) -> Result<(), String> {
        if self.hash != "sha2-256" {
            return Err(format!(
                "hash `{}` is not supported (only sha2-256)",
                self.hash
            ));
        }
        if self.chunk_size == 0 || self.chunk_size > MAX_CHUNK_SIZE {
            return Err(format!(
                "chunk size {} is outside 1..={MAX_CHUNK_SIZE}",
                self.chunk_size
            ));
        }
        if self.max_links < 2 || self.max_links > 4096 {
            return Err(format!("max links {} is outside 2..=4096", self.max_links));
        }
        Ok(())
    }
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self::kubo_v1()
    }
}
