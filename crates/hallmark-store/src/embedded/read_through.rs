//! Reading a DAG the embedded store lacks through from the consortium's endpoints: level by
//! level, several blocks at once, every block verified against its CID before it is written,
//! and what was fetched recorded in the cache index.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::stream::{self, StreamExt};
use hallmark_unixfs::{Cid, Codec, MAX_DEPTH, ReadError};
use tracing::debug;

use super::blocking;
use super::cache::Cache;
use super::layout::Layout;
use crate::RemoteBlocks;
use crate::error::StoreError;

/// Blocks fetched at once.
const CONCURRENT_FETCHES: usize = 8;

/// The endpoints and the cache index of a read-through store.
#[derive(Debug)]
pub(super) struct ReadThrough {
    pub(super) remote: RemoteBlocks,
    pub(super) cache: Cache,
}

/// One block of the walk: its bytes when it is a node whose links matter, and how many bytes
/// were fetched for it (0 when it was already here).
struct Visited {
    cid: Cid,
    node: Option<Vec<u8>>,
    fetched: u64,
}

/// Fetches `cid` from the endpoints, keeps it, and records it in the cache as its own root.
pub(super) async fn fetch_block(
    layout: &Arc<Layout>,
    rt: &Arc<ReadThrough>,
    cid: &Cid,
) -> Result<Vec<u8>, StoreError> {
    let block = rt.remote.fetch(cid).await?;
    let size = block.len() as u64;
    let cid = *cid;
    let (written, block) = keep(layout, cid, block).await?;
    if written {
        let layout = Arc::clone(layout);
        record(layout, rt, cid, vec![(cid, size)]).await?;
    }
    Ok(block)
}

/// Reads the DAG under `root` through into the store; returns the bytes fetched. More than
/// `max_bytes` (or the cache's cap) fetched is [`StoreError::TooLarge`]; blocks fetched until
/// then stay recorded in the cache, so they are evicted like any other.
pub(super) async fn fill(
    layout: &Arc<Layout>,
    rt: &Arc<ReadThrough>,
    root: &Cid,
    max_bytes: u64,
) -> Result<u64, StoreError> {
    let limit = max_bytes.min(rt.cache.usage().max_bytes);
    let mut seen: HashSet<Cid> = HashSet::new();
    let mut level = vec![*root];
    let mut fetched: Vec<(Cid, u64)> = Vec::new();
    let mut total = 0u64;
    let mut outcome = Ok(());
    // Bytes fetched so far, shared with the concurrent fetches of a level so a DAG far larger
    // than allowed stops within a few blocks.
    let in_flight = AtomicU64::new(0);
    for depth in 0..=MAX_DEPTH {
        level.retain(|cid| seen.insert(*cid));
        if level.is_empty() {
            break;
        }
        let visited: Vec<Result<Visited, StoreError>> = stream::iter(level.drain(..))
            .map(|cid| visit(layout, rt, cid, &in_flight, limit, root))
            .buffer_unordered(CONCURRENT_FETCHES)
            .collect()
            .await;
        // Every block written is accounted for, even when another one of its level failed.
        for block in visited {
            let block = match block {
                Ok(block) => block,
                Err(e) => {
                    if outcome.is_ok() {
                        outcome = Err(e);
                    }
                    continue;
                }
            };
            if block.fetched > 0 {
                total += block.fetched;
                fetched.push((block.cid, block.fetched));
            }
            if let Some(node) = &block.node {
                match hallmark_unixfs::block_links(&block.cid, node) {
                    Ok(links) => level.extend(links),
                    Err(e) => {
                        outcome = Err(StoreError::Dag {
                            cid: *root,
                            reason: e.to_string(),
                        });
                    }
                }
            }
        }
        if outcome.is_ok() && total > limit {
            outcome = Err(StoreError::TooLarge {
                cid: *root,
                max_bytes: limit,
            });
        }
        if outcome.is_err() {
            break;
        }
        if depth == MAX_DEPTH && !level.is_empty() {
            outcome = Err(StoreError::Dag {
                cid: *root,
                reason: ReadError::<std::convert::Infallible>::TooDeep.to_string(),
            });
        }
    }
    // What was written is recorded even when the walk stopped, so the cap still covers it.
    record(Arc::clone(layout), rt, *root, fetched).await?;
    outcome?;
    debug!(%root, bytes = total, "read through");
    Ok(total)
}

/// Makes one block present: a raw block already here is not read (it has no links); a node
/// already here is read for its links; a missing block is fetched, verified and written.
async fn visit(
    layout: &Arc<Layout>,
    rt: &Arc<ReadThrough>,
    cid: Cid,
    fetched_so_far: &AtomicU64,
    limit: u64,
    root: &Cid,
) -> Result<Visited, StoreError> {
    let is_node = cid.codec() == Codec::DagPb;
    let local = Arc::clone(layout);
    let here = blocking(move || {
        if !local.has_block(&cid) {
            return Ok(None);
        }
        if is_node {
            local.get_block(&cid).map(|b| Some(Some(b)))
        } else {
            Ok(Some(None))
        }
    })
    .await;
    match here {
        Ok(Some(node)) => {
            return Ok(Visited {
                cid,
                node,
                fetched: 0,
            });
        }
        Ok(None) | Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e),
    }
    if fetched_so_far.load(Ordering::SeqCst) > limit {
        return Err(StoreError::TooLarge {
            cid: *root,
            max_bytes: limit,
        });
    }
    let block = rt.remote.fetch(&cid).await?;
    let size = block.len() as u64;
    fetched_so_far.fetch_add(size, Ordering::SeqCst);
    let (written, block) = keep(layout, cid, block).await?;
    Ok(Visited {
        cid,
        node: is_node.then_some(block),
        fetched: if written { size } else { 0 },
    })
}

/// Writes a verified block on the blocking pool and hands it back, with whether it was
/// written (it was not when a copy of the right size was already here).
async fn keep(
    layout: &Arc<Layout>,
    cid: Cid,
    block: Vec<u8>,
) -> Result<(bool, Vec<u8>), StoreError> {
    let kept = Arc::clone(layout);
    blocking(move || {
        let written = kept.put_block(&cid, &block)?;
        Ok((written, block))
    })
    .await
}

async fn record(
    layout: Arc<Layout>,
    rt: &Arc<ReadThrough>,
    root: Cid,
    blocks: Vec<(Cid, u64)>,
) -> Result<(), StoreError> {
    if blocks.is_empty() {
        return Ok(());
    }
    // The cache's eviction reads and removes files: on the blocking pool.
    let rt = Arc::clone(rt);
    blocking(move || rt.cache.record(&layout, &root, blocks)).await
}
