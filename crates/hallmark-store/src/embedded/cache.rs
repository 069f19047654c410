//! The read-through cache: which roots' blocks came from the consortium's endpoints, their
//! size and when they were last read, and the eviction that keeps them under a size cap.
//!
//! The index is a forward-only log (`cache.log`, one JSON line per event), appended without
//! rewriting and compacted at open, so recording a fetched thumbnail costs one short append.
//! A torn last line (a crash mid-append) is skipped. Eviction removes least recently used
//! roots first and never a pinned root (the user's own works), a protected one (works the
//! user holds) or a block any of those DAGs needs.

use std::collections::{HashMap, HashSet};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use hallmark_unixfs::Cid;
use serde::{Deserialize, Serialize};
use tracing::{debug, info, warn};

use super::layout::Layout;
use crate::error::StoreError;

/// A read less than this many seconds after the last one recorded is not logged again.
const TOUCH_EVERY_SECS: u64 = 60;

/// One line of the log.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Event {
    /// Blocks of `root` were fetched and kept.
    Fetched {
        root: Cid,
        blocks: Vec<(Cid, u64)>,
        at: u64,
    },
    /// `root` was read.
    Used { root: Cid, at: u64 },
    /// `root`'s cached blocks were removed.
    Evicted { root: Cid },
}

/// What the cache holds for one root.
#[derive(Debug, Clone, Default)]
struct Entry {
    blocks: HashMap<Cid, u64>,
    last_used: u64,
}

impl Entry {
    fn bytes(&self) -> u64 {
        self.blocks.values().sum()
    }
}

#[derive(Debug, Default)]
struct State {
    entries: HashMap<Cid, Entry>,
    protected: HashSet<Cid>,
}

impl State {
    fn total(&self) -> u64 {
        self.entries.values().map(Entry::bytes).sum()
    }

    fn apply(&mut self, event: Event) {
        match event {
            Event::Fetched { root, blocks, at } => {
                let entry = self.entries.entry(root).or_default();
                entry.blocks.extend(blocks);
                entry.last_used = entry.last_used.max(at);
            }
            Event::Used { root, at } => {
                if let Some(entry) = self.entries.get_mut(&root) {
                    entry.last_used = entry.last_used.max(at);
                }
            }
            Event::Evicted { root } => {
                self.entries.remove(&root);
            }
        }
    }
}

/// How much of the cache is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CacheUsage {
    /// Bytes of cached blocks (other people's works read through).
    pub bytes: u64,
    /// The cap.
    pub max_bytes: u64,
    /// Cached roots.
    pub roots: u64,
}

/// The cache index of one embedded store.
#[derive(Debug)]
pub(crate) struct Cache {
    log: PathBuf,
    max_bytes: u64,
    state: Mutex<State>,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The cache's state as its log (`cache.log` of `layout`'s store) records it.
fn read_log(layout: &Layout) -> Result<State, StoreError> {
    let log = layout.root().join("cache.log");
    let mut state = State::default();
    match fs::read_to_string(&log) {
        Ok(text) => {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                match serde_json::from_str::<Event>(line) {
                    Ok(event) => state.apply(event),
                    Err(e) => warn!(error = %e, "skipping a damaged line of the cache log"),
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(StoreError::io("read", &log, e)),
    }
    Ok(state)
}

/// Every block the cache's log records for its roots (kept by the cache, not unreferenced).
pub(super) fn logged_blocks(layout: &Layout) -> Result<HashSet<Cid>, StoreError> {
    let state = read_log(layout)?;
    Ok(state
        .entries
        .into_iter()
        .flat_map(|(root, entry)| std::iter::once(root).chain(entry.blocks.into_keys()))
        .collect())
}

impl Cache {
    /// Reads and compacts the log of `layout`'s store.
    pub(crate) fn open(layout: &Layout, max_bytes: u64) -> Result<Self, StoreError> {
        let log = layout.root().join("cache.log");
        let mut state = read_log(layout)?;
        // Entries whose blocks are all gone (removed by hand, or by a fix) are dropped.
        state
            .entries
            .retain(|_, entry| entry.blocks.keys().any(|c| layout.has_block(c)));
        let cache = Self {
            log,
            max_bytes,
            state: Mutex::new(state),
        };
        cache.compact(layout)?;
        Ok(cache)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Rewrites the log with one line per cached root.
    fn compact(&self, layout: &Layout) -> Result<(), StoreError> {
        let mut text = String::new();
        for (root, entry) in &self.lock().entries {
            let event = Event::Fetched {
                root: *root,
                blocks: entry.blocks.iter().map(|(c, n)| (*c, *n)).collect(),
                at: entry.last_used,
            };
            if let Ok(line) = serde_json::to_string(&event) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        layout.write_file_atomically(&self.log, text.as_bytes())
    }

    fn append(&self, event: &Event) -> Result<(), StoreError> {
        let mut line = serde_json::to_string(event).map_err(|e| StoreError::Task(e.to_string()))?;
        line.push('\n');
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .map_err(|e| StoreError::io("open", &self.log, e))?;
        file.write_all(line.as_bytes())
            .map_err(|e| StoreError::io("write", &self.log, e))
    }

    /// Replaces the roots that must never be evicted besides the pinned ones.
    pub(crate) fn set_protected(&self, roots: HashSet<Cid>) {
        self.lock().protected = roots;
    }

    /// The cache's size.
    pub(crate) fn usage(&self) -> CacheUsage {
        let state = self.lock();
        CacheUsage {
            bytes: state.total(),
            max_bytes: self.max_bytes,
            roots: state.entries.len() as u64,
        }
    }

    /// Records blocks fetched for `root`, then evicts other roots while over the cap.
    pub(crate) fn record(
        &self,
        layout: &Layout,
        root: &Cid,
        blocks: Vec<(Cid, u64)>,
    ) -> Result<(), StoreError> {
        if blocks.is_empty() {
            return Ok(());
        }
        let event = Event::Fetched {
            root: *root,
            blocks,
            at: now_secs(),
        };
        self.append(&event)?;
        self.lock().apply(event);
        self.evict_over_cap(layout, Some(root))
    }

    /// Notes that `root` was read (logged at most once a minute per root).
    pub(crate) fn touch(&self, root: &Cid) {
        let now = now_secs();
        let due = {
            let mut state = self.lock();
            match state.entries.get_mut(root) {
                Some(entry) if now >= entry.last_used + TOUCH_EVERY_SECS => {
                    entry.last_used = now;
                    true
                }
                Some(entry) => {
                    entry.last_used = entry.last_used.max(now);
                    false
                }
                None => false,
            }
        };
        if due
            && let Err(e) = self.append(&Event::Used {
                root: *root,
                at: now,
            })
        {
            warn!(error = %e, "cannot note a cache read");
        }
    }

    /// Removes least recently used roots until the cache fits its cap. `in_use` (the root just
    /// fetched), pinned and protected roots are never removed, nor any block their DAGs need.
    pub(crate) fn evict_over_cap(
        &self,
        layout: &Layout,
        in_use: Option<&Cid>,
    ) -> Result<(), StoreError> {
        if self.lock().total() <= self.max_bytes {
            return Ok(());
        }
        let pins: HashSet<Cid> = layout.pins()?.into_iter().collect();
        let (victims, kept_roots) = {
            let state = self.lock();
            let mut candidates: Vec<(&Cid, &Entry)> = state
                .entries
                .iter()
                .filter(|(root, _)| {
                    Some(*root) != in_use && !pins.contains(root) && !state.protected.contains(root)
                })
                .collect();
            candidates.sort_by_key(|(root, entry)| (entry.last_used, **root));
            let mut total = state.total();
            let mut victims = Vec::new();
            for (root, entry) in candidates {
                if total <= self.max_bytes {
                    break;
                }
                total = total.saturating_sub(entry.bytes());
                victims.push((*root, entry.clone()));
            }
            let victim_roots: HashSet<Cid> = victims.iter().map(|(r, _)| *r).collect();
            let kept_roots: Vec<Cid> = pins
                .iter()
                .chain(state.protected.iter())
                .chain(state.entries.keys().filter(|r| !victim_roots.contains(r)))
                .copied()
                .collect();
            (victims, kept_roots)
        };
        if victims.is_empty() {
            return Ok(());
        }
        // Blocks a kept DAG needs stay, whoever fetched them.
        let mut needed: HashSet<Cid> = HashSet::new();
        for root in &kept_roots {
            dag_members(layout, root, &mut needed);
        }
        let mut freed = 0u64;
        for (root, entry) in &victims {
            for (cid, bytes) in &entry.blocks {
                if !needed.contains(cid) {
                    layout.remove_block(cid)?;
                    freed += bytes;
                }
            }
            self.append(&Event::Evicted { root: *root })?;
            self.lock().entries.remove(root);
            debug!(%root, "evicted from the cache");
        }
        info!(
            roots = victims.len(),
            freed, "cache over its cap: least recently used works removed"
        );
        Ok(())
    }
}

/// Adds every CID of the DAG under `root` that this store can reach to `members`. Only dag-pb
/// nodes are read (raw leaves have no links), and a missing or damaged node only stops the
/// walk below it.
pub(super) fn dag_members(layout: &Layout, root: &Cid, members: &mut HashSet<Cid>) {
    let mut stack = vec![(*root, 0usize)];
    while let Some((cid, depth)) = stack.pop() {
        if depth > hallmark_unixfs::MAX_DEPTH || !members.insert(cid) {
            continue;
        }
        if cid.codec() != hallmark_unixfs::Codec::DagPb {
            continue;
        }
        let Ok(block) = layout.get_block(&cid) else {
            continue;
        };
        if let Ok(links) = hallmark_unixfs::block_links(&cid, &block) {
            stack.extend(links.into_iter().map(|link| (link, depth + 1)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(layout: &Layout, bytes: &[u8]) -> Cid {
        let cid = Cid::for_block(
            hallmark_unixfs::CidVersion::V1,
            hallmark_unixfs::Codec::Raw,
            bytes,
        )
        .expect("cid");
        layout.put_block(&cid, bytes).expect("put");
        cid
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_the_log_is_compacted_at_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let layout = Layout::open(dir.path()).expect("layout");
        let kept = block(&layout, b"a cached thumbnail");
        let gone = Cid::for_block(
            hallmark_unixfs::CidVersion::V1,
            hallmark_unixfs::Codec::Raw,
            b"removed by hand",
        )
        .expect("cid");
        let lines = [
            serde_json::to_string(&Event::Fetched {
                root: kept,
                blocks: vec![(kept, 18)],
                at: 5,
            })
            .expect("json"),
            serde_json::to_string(&Event::Fetched {
                root: gone,
                blocks: vec![(gone, 15)],
                at: 6,
            })
            .expect("json"),
            serde_json::to_string(&Event::Used { root: kept, at: 9 }).expect("json"),
            "{\"event\":\"fetched\",\"root\":\"baf".to_owned(),
        ];
        fs::write(dir.path().join("cache.log"), lines.join("\n")).expect("log");
        let cache = Cache::open(&layout, 1 << 20).expect("open");
        assert_eq!(
            cache.usage(),
            CacheUsage {
                bytes: 18,
                max_bytes: 1 << 20,
                roots: 1
            }
        );
        // Compacted: one line for the one root left, with its last use.
        let text = fs::read_to_string(dir.path().join("cache.log")).expect("log");
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("\"at\":9"), "{text}");
    }

    #[test]
    fn an_evicted_root_keeps_the_blocks_a_pinned_work_shares() {
        let dir = tempfile::tempdir().expect("tempdir");
        let layout = Layout::open(dir.path()).expect("layout");
        let shared = block(&layout, &[7u8; 100]);
        let own = block(&layout, &[8u8; 100]);
        layout.add_pin(&shared).expect("pin");
        let cache = Cache::open(&layout, 150).expect("open");
        // A cached root that (oddly) holds the pinned block too, then another one.
        cache
            .record(&layout, &own, vec![(own, 100), (shared, 100)])
            .expect("record");
        let other = block(&layout, &[9u8; 100]);
        cache
            .record(&layout, &other, vec![(other, 100)])
            .expect("record");
        assert!(!layout.has_block(&own), "the LRU root is evicted");
        assert!(layout.has_block(&shared), "a pinned DAG's block stays");
        assert!(layout.has_block(&other), "the root in use stays");
        assert_eq!(cache.usage().roots, 1);
    }
}
