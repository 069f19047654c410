//! Blocks nothing points to: not in the DAG of a pin, nor of a root the read-through cache
//! recorded. They are what an interrupted or refused write left behind; `health` reports them
//! and `health --fix` removes them.
//!
//! A block younger than the grace period is never counted: it may belong to a write in
//! progress (an ingest hashes and stores a file before pinning it), in this process or another.

use std::collections::HashSet;
use std::fs;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use hallmark_unixfs::Cid;
use serde::Serialize;
use tracing::{debug, info};

use super::cache;
use super::layout::Layout;
use crate::error::StoreError;

/// How old an unreferenced block must be before it counts: a write in progress pins its blocks
/// well within this (the largest accepted file is hashed and stored in minutes).
pub const UNREFERENCED_GRACE: Duration = Duration::from_secs(60 * 60);

/// Unreferenced blocks found (and removed, when asked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Unreferenced {
    /// How many blocks.
    pub blocks: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Whether they were removed.
    pub removed: bool,
}

/// Every block of a pinned DAG, as CIDv1.
pub(super) fn pinned(layout: &Layout) -> Result<HashSet<Cid>, StoreError> {
    let mut members = HashSet::new();
    for pin in layout.pins()? {
        cache::dag_members(layout, &pin, &mut members);
    }
    Ok(members.into_iter().map(|c| c.to_v1()).collect())
}

/// Every block referenced by a pin's DAG or a cached root's recorded blocks, as CIDv1.
fn referenced(layout: &Layout) -> Result<HashSet<Cid>, StoreError> {
    let mut members = pinned(layout)?;
    members.extend(cache::logged_blocks(layout)?.iter().map(Cid::to_v1));
    Ok(members)
}

/// Finds the blocks older than `grace` that nothing references; removes them if `remove`.
pub(super) fn unreferenced(
    layout: &Layout,
    grace: Duration,
    remove: bool,
) -> Result<Unreferenced, StoreError> {
    let keep = referenced(layout)?;
    let now = SystemTime::now();
    let mut found = Unreferenced {
        removed: remove,
        ..Unreferenced::default()
    };
    let blocks = layout.blocks_dir();
    let shards = fs::read_dir(blocks).map_err(|e| StoreError::io("list", blocks, e))?;
    for shard in shards.flatten() {
        let Ok(files) = fs::read_dir(shard.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name();
            // Not a block file (a stray name): left alone.
            let Some(cid) = name.to_str().and_then(|n| Cid::from_str(n).ok()) else {
                continue;
            };
            if keep.contains(&cid.to_v1()) {
                continue;
            }
            let Ok(meta) = file.metadata() else { continue };
            let age = meta
                .modified()
                .ok()
                .and_then(|at| now.duration_since(at).ok())
                .unwrap_or_default();
            if age < grace {
                continue;
            }
            if remove {
                layout.remove_block(&cid)?;
                debug!(%cid, "unreferenced block removed");
            }
            found.blocks += 1;
            found.bytes += meta.len();
        }
    }
    if found.blocks > 0 {
        info!(
            blocks = found.blocks,
            bytes = found.bytes,
            removed = remove,
            "unreferenced blocks"
        );
    }
    Ok(found)
}
