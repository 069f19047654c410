//! [`EmbeddedStore`]: blocks as files in a folder of the data directory, no daemon.

mod cache;
mod car;
mod collect;
mod layout;
mod read_through;
mod sink;

use std::collections::HashSet;
use std::fs::File;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hallmark_unixfs::{Cid, ImportError, ImportSettings, import_reader};
use tracing::{debug, instrument};

use crate::error::StoreError;
use crate::store::{AddedContent, ContentStore};
use crate::verified::{export_to_file, map_read_error, read_to_vec};
pub use cache::CacheUsage;
pub use collect::{UNREFERENCED_GRACE, Unreferenced};
use layout::Layout;
use read_through::ReadThrough;
pub use sink::{StoreSink, WrittenBlocks};

/// The embedded blockstore: one file per block under `blocks/`, pins under `pins/`.
///
/// Cheap to clone; clones share the folder. Every write is a temporary file renamed into place,
/// so a crash never leaves a half-written block or pin under its final name; every read is
/// verified against the block's CID. Blocking file I/O runs on tokio's blocking pool.
///
/// With [`with_read_through`](Self::with_read_through), a file whose blocks are not here is
/// read through from the consortium's endpoints: every block verified before it is kept, kept
/// in a size-capped cache that never evicts pinned or protected works.
#[derive(Debug, Clone)]
pub struct EmbeddedStore {
    layout: Arc<Layout>,
    read_through: Option<Arc<ReadThrough>>,
}

impl EmbeddedStore {
    /// Opens (creating if needed) the store in `dir` and removes temporary files an interrupted
    /// write left behind.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        let layout = Layout::open(dir.as_ref())?;
        Ok(Self {
            layout: Arc::new(layout),
            read_through: None,
        })
    }

    /// This store, reading blocks it lacks from `remote` and keeping them in a cache of at
    /// most `max_cache_bytes` (least recently used works evicted first; pinned and
    /// [protected](Self::protect) ones never). Reads the cache's index (`cache.log`).
    pub fn with_read_through(
        self,
        remote: crate::RemoteBlocks,
        max_cache_bytes: u64,
    ) -> Result<Self, StoreError> {
        let cache = cache::Cache::open(&self.layout, max_cache_bytes)?;
        Ok(Self {
            read_through: Some(Arc::new(ReadThrough { remote, cache })),
            ..self
        })
    }

    /// Makes `roots` (works the user holds) never evicted from the cache, replacing the
    /// previous set. Pinned roots are never evicted anyway.
    pub fn protect(&self, roots: impl IntoIterator<Item = Cid>) {
        if let Some(rt) = &self.read_through {
            rt.cache.set_protected(roots.into_iter().collect());
        }
    }

    /// How much the read-through cache holds; `None` without read-through.
    pub fn cache_usage(&self) -> Option<CacheUsage> {
        self.read_through.as_ref().map(|rt| rt.cache.usage())
    }

    /// Reads the DAG under `root` through from the consortium's endpoints into this store
    /// (blocks already here are not fetched again) and returns the bytes fetched. Fetching
    /// more than `max_bytes` stops with [`StoreError::TooLarge`]. Without read-through a
    /// missing block is [`StoreError::NotFound`].
    pub async fn fetch_dag(&self, root: &Cid, max_bytes: u64) -> Result<u64, StoreError> {
        match &self.read_through {
            Some(rt) => read_through::fill(&self.layout, rt, root, max_bytes).await,
            None => {
                let layout = Arc::clone(&self.layout);
                let root = *root;
                blocking(move || {
                    hallmark_unixfs::dag_cids(&root, |c| layout.get_block(c))
                        .map_err(|e| map_read_error(&root, e))
                })
                .await?;
                Ok(0)
            }
        }
    }

    /// Runs `read` on the local blocks; if a block is missing and read-through is on, reads
    /// the DAG through (up to `max_bytes`) and runs it again.
    async fn with_read_through_on_miss<T, F>(
        &self,
        root: &Cid,
        max_bytes: u64,
        read: F,
    ) -> Result<T, StoreError>
    where
        F: Fn(Arc<Layout>) -> Result<T, StoreError> + Send + Sync + Clone + 'static,
        T: Send + 'static,
    {
        let layout = Arc::clone(&self.layout);
        let first = {
            let read = read.clone();
            blocking(move || read(layout)).await
        };
        match (first, &self.read_through) {
            (Ok(value), Some(rt)) => {
                rt.cache.touch(root);
                Ok(value)
            }
            (Err(StoreError::NotFound { .. }), Some(rt)) => {
                read_through::fill(&self.layout, rt, root, max_bytes).await?;
                let layout = Arc::clone(&self.layout);
                blocking(move || read(layout)).await
            }
            (result, _) => result,
        }
    }

    /// The store folder.
    pub fn dir(&self) -> &Path {
        self.layout.root()
    }

    /// The file a block is (or would be) stored in; for diagnostics and tests.
    pub fn block_path(&self, cid: &Cid) -> PathBuf {
        self.layout.block_path(cid)
    }

    /// A [`hallmark_unixfs::BlockSink`] writing into this store, so an importer can store blocks
    /// in the same pass that computes the CID. It does blocking I/O: use it on a blocking thread.
    pub fn block_sink(&self) -> StoreSink {
        StoreSink::new(Arc::clone(&self.layout))
    }

    /// Writes a CAR v1 file with `roots` and every block of their DAGs (each once, verified)
    /// to `dest`, through a temporary file renamed when complete. Returns the number of blocks.
    #[instrument(skip(self), err(Display))]
    pub async fn export_car(&self, roots: &[Cid], dest: &Path) -> Result<u64, StoreError> {
        let layout = Arc::clone(&self.layout);
        let roots = roots.to_vec();
        let dest = dest.to_owned();
        blocking(move || car::export(&layout, &roots, &dest)).await
    }

    /// Imports a CAR v1 file and returns its roots. Every block is verified and every root must
    /// be in the CAR (or already in the store); if anything is wrong nothing is imported.
    /// The roots are not pinned.
    #[instrument(skip(self), err(Display))]
    pub async fn import_car(&self, path: &Path) -> Result<Vec<Cid>, StoreError> {
        let layout = Arc::clone(&self.layout);
        let path = path.to_owned();
        blocking(move || car::import(&layout, &path)).await
    }

    /// The blocks older than `grace` that no pin and no cached root references (what a refused
    /// or interrupted write left behind); removed when `remove`. See [`UNREFERENCED_GRACE`].
    pub async fn unreferenced_blocks(
        &self,
        grace: std::time::Duration,
        remove: bool,
    ) -> Result<Unreferenced, StoreError> {
        let layout = Arc::clone(&self.layout);
        blocking(move || collect::unreferenced(&layout, grace, remove)).await
    }

    /// Removes these blocks, written by a write that was then refused or cancelled (see
    /// [`StoreSink::written`]); a block a pin references is kept.
    pub async fn discard(&self, written: Vec<Cid>) -> Result<usize, StoreError> {
        let layout = Arc::clone(&self.layout);
        blocking(move || {
            if written.is_empty() {
                return Ok(0);
            }
            let pinned = collect::pinned(&layout)?;
            let mut removed = 0;
            for cid in written {
                if !pinned.contains(&cid.to_v1()) {
                    layout.remove_block(&cid)?;
                    removed += 1;
                }
            }
            debug!(removed, "blocks of a refused write removed");
            Ok(removed)
        })
        .await
    }

    /// Removes the blocks of these DAGs that no pin references: what a write stored before a
    /// later step of it failed (the DAGs' pins already removed).
    pub async fn discard_dags(&self, roots: Vec<Cid>) -> Result<usize, StoreError> {
        let layout = Arc::clone(&self.layout);
        let members = blocking(move || {
            let mut members = HashSet::new();
            for root in &roots {
                cache::dag_members(&layout, root, &mut members);
            }
            Ok(members.into_iter().collect::<Vec<_>>())
        })
        .await?;
        self.discard(members).await
    }

    /// Removes temporary files older than `age` (those a crash left behind); returns how many.
    /// [`EmbeddedStore::open`] does this with a one-hour age.
    pub async fn remove_stale_temps(&self, age: std::time::Duration) -> Result<usize, StoreError> {
        let layout = Arc::clone(&self.layout);
        blocking(move || layout.remove_stale_temps(age)).await
    }
}

/// Runs blocking store work on tokio's blocking pool.
async fn blocking<T, F>(work: F) -> Result<T, StoreError>
where
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work).await?
}

fn map_import_error(error: ImportError<StoreError>, path: &Path) -> StoreError {
    match error {
        ImportError::Io(e) => StoreError::io("read", path, e),
        ImportError::Sink(e) => e,
        ImportError::InvalidSettings(reason) => StoreError::InvalidSettings(reason),
    }
}

impl ContentStore for EmbeddedStore {
    fn backend_name(&self) -> &'static str {
        "embedded"
    }

    #[instrument(skip(self, settings), err(Display))]
    async fn add_file(
        &self,
        path: &Path,
        settings: &ImportSettings,
    ) -> Result<AddedContent, StoreError> {
        let sink = self.block_sink();
        let settings = settings.clone();
        let path = path.to_owned();
        blocking(move || {
            let file = File::open(&path).map_err(|e| StoreError::io("open", &path, e))?;
            let imported =
                import_reader(file, &settings, sink).map_err(|e| map_import_error(e, &path))?;
            debug!(root = %imported.root, new_blocks = imported.sink.new_blocks(), "file added");
            Ok(AddedContent {
                root: imported.root,
                size: imported.file_size,
                blocks: imported.blocks,
            })
        })
        .await
    }

    async fn add_bytes(
        &self,
        bytes: Vec<u8>,
        settings: &ImportSettings,
    ) -> Result<AddedContent, StoreError> {
        let sink = self.block_sink();
        let settings = settings.clone();
        blocking(move || {
            let imported = import_reader(Cursor::new(bytes), &settings, sink)
                .map_err(|e| map_import_error(e, Path::new("<memory>")))?;
            Ok(AddedContent {
                root: imported.root,
                size: imported.file_size,
                blocks: imported.blocks,
            })
        })
        .await
    }

    async fn get_block(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
        let layout = Arc::clone(&self.layout);
        let cid = *cid;
        let local = blocking(move || layout.get_block(&cid)).await;
        match (local, &self.read_through) {
            (Err(StoreError::NotFound { .. }), Some(rt)) => {
                read_through::fetch_block(&self.layout, rt, &cid).await
            }
            (result, _) => result,
        }
    }

    async fn has_block(&self, cid: &Cid) -> Result<bool, StoreError> {
        let layout = Arc::clone(&self.layout);
        let cid = *cid;
        blocking(move || Ok(layout.has_block(&cid))).await
    }

    async fn block_stat(&self, cid: &Cid) -> Result<u64, StoreError> {
        let layout = Arc::clone(&self.layout);
        let cid = *cid;
        blocking(move || layout.block_size(&cid)).await
    }

    async fn read_file(&self, cid: &Cid, max_bytes: u64) -> Result<Vec<u8>, StoreError> {
        let root = *cid;
        self.with_read_through_on_miss(cid, max_bytes, move |layout| {
            read_to_vec(&root, |c| layout.get_block(c), max_bytes)
        })
        .await
    }

    #[instrument(skip(self), err(Display))]
    async fn export_file_to(&self, cid: &Cid, dest: &Path) -> Result<u64, StoreError> {
        let root = *cid;
        let dest = dest.to_owned();
        self.with_read_through_on_miss(cid, u64::MAX, move |layout| {
            export_to_file(&root, |c| layout.get_block(c), &dest)
        })
        .await
    }

    /// Verifies that the whole DAG is present and intact, forces its blocks to disk, then
    /// records the pin durably.
    #[instrument(skip(self), err(Display))]
    async fn pin_add(&self, cid: &Cid) -> Result<(), StoreError> {
        let layout = Arc::clone(&self.layout);
        let root = *cid;
        blocking(move || {
            let mut synced = HashSet::new();
            let cids = hallmark_unixfs::dag_cids(&root, |c| {
                let block = layout.get_block(c)?;
                if synced.insert(*c) {
                    layout.sync_block(c)?;
                }
                Ok::<_, StoreError>(block)
            })
            .map_err(|e| map_read_error(&root, e))?;
            // A DAG walker may list leaves without fetching them; check and flush those too.
            for c in &cids {
                if !synced.contains(c) {
                    layout.get_block(c)?;
                    layout.sync_block(c)?;
                }
            }
            layout.add_pin(&root)?;
            debug!(%root, blocks = cids.len(), "pinned");
            Ok(())
        })
        .await
    }

    async fn pin_rm(&self, cid: &Cid) -> Result<(), StoreError> {
        let layout = Arc::clone(&self.layout);
        let cid = *cid;
        blocking(move || layout.remove_pin(&cid)).await
    }

    async fn pin_ls(&self) -> Result<Vec<Cid>, StoreError> {
        let layout = Arc::clone(&self.layout);
        blocking(move || layout.pins()).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let layout = Arc::clone(&self.layout);
        blocking(move || layout.check_writable()).await
    }
}

#[cfg(test)]
mod tests;
