//! The on-disk layout of the embedded store and its crash-safe file operations.
//!
//! ```text
//! <dir>/blocks/<shard>/<cid>   one file per block; <cid> is the CIDv1 (base32) of the block,
//!                              <shard> its next-to-last two characters (flatfs `next-to-last/2`)
//! <dir>/pins/<cid>             one file per recursive pin (contents: the CID again)
//! <dir>/tmp/                   temporary files; a file becomes visible only by rename
//! <dir>/cache.log              the read-through cache's index (see `cache.rs`), when enabled
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use hallmark_unixfs::Cid;
use tracing::{debug, warn};

use crate::error::StoreError;
use crate::verified::{MAX_BLOCK_BYTES, unique_suffix, verify_block};

/// Temporary files older than this are left over from a crash and are removed at open. Younger
/// ones may belong to another process writing into the same store right now.
pub(crate) const STALE_TEMP_AGE: Duration = Duration::from_secs(60 * 60);

/// Paths of one store folder.
#[derive(Debug)]
pub(crate) struct Layout {
    root: PathBuf,
    blocks: PathBuf,
    pins: PathBuf,
    tmp: PathBuf,
}

impl Layout {
    /// Creates the folders if needed and removes stale temporary files.
    pub(crate) fn open(root: &Path) -> Result<Self, StoreError> {
        let layout = Self {
            root: root.to_owned(),
            blocks: root.join("blocks"),
            pins: root.join("pins"),
            tmp: root.join("tmp"),
        };
        for dir in [&layout.root, &layout.blocks, &layout.pins, &layout.tmp] {
            fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
        }
        layout.remove_stale_temps(STALE_TEMP_AGE)?;
        Ok(layout)
    }

    /// The store folder.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Removes temporary files and folders older than `age`; returns how many.
    pub(crate) fn remove_stale_temps(&self, age: Duration) -> Result<usize, StoreError> {
        let entries = fs::read_dir(&self.tmp).map_err(|e| StoreError::io("list", &self.tmp, e))?;
        let now = SystemTime::now();
        let mut removed = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            let old = meta
                .modified()
                .ok()
                .and_then(|m| now.duration_since(m).ok())
                .is_some_and(|elapsed| elapsed >= age);
            if !old {
                continue;
            }
            let result = if meta.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            match result {
                Ok(()) => removed += 1,
                Err(e) => {
                    warn!(path = %path.display(), error = %e, "cannot remove a stale temporary file")
                }
            }
        }
        if removed > 0 {
            debug!(
                removed,
                "removed temporary files left by an interrupted write"
            );
        }
        Ok(removed)
    }

    /// The folder of the block shards.
    pub(crate) fn blocks_dir(&self) -> &Path {
        &self.blocks
    }

    /// The key a block is filed under: its CIDv1 string, so `Qm…` and `bafy…` of the same
    /// dag-pb block share one file.
    fn block_key(cid: &Cid) -> String {
        cid.to_v1().to_string()
    }

    /// `blocks/<shard>/<key>`.
    pub(crate) fn block_path(&self, cid: &Cid) -> PathBuf {
        let key = Self::block_key(cid);
        self.blocks.join(shard_of(&key)).join(&key)
    }

    /// Stores a block (whose CID the caller computed from these bytes) unless a file of the
    /// right size is already there. Returns whether it wrote the block.
    pub(crate) fn put_block(&self, cid: &Cid, block: &[u8]) -> Result<bool, StoreError> {
        if block.len() > MAX_BLOCK_BYTES {
            return Err(StoreError::Dag {
                cid: *cid,
                reason: format!(
                    "a block of {} bytes is larger than the {MAX_BLOCK_BYTES}-byte limit",
                    block.len()
                ),
            });
        }
        let path = self.block_path(cid);
        if let Ok(meta) = fs::metadata(&path)
            && meta.len() == block.len() as u64
        {
            return Ok(false);
        }
        self.write_atomic(&path, block, false)?;
        Ok(true)
    }

    /// Moves an already verified block file from the temporary folder into place.
    pub(crate) fn adopt_block(&self, cid: &Cid, staged: &Path) -> Result<(), StoreError> {
        let path = self.block_path(cid);
        let dir = parent_of(&path)?;
        fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
        fs::rename(staged, &path).map_err(|e| StoreError::io("move into place", &path, e))
    }

    /// Reads and verifies the block `cid`.
    pub(crate) fn get_block(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
        let path = self.block_path(cid);
        let bytes = self.read_block_file(cid, &path)?;
        verify_block(cid, bytes, || {
            format!("the embedded store's block file {}", path.display())
        })
    }

    fn read_block_file(&self, cid: &Cid, path: &Path) -> Result<Vec<u8>, StoreError> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::NotFound {
                    cid: *cid,
                    backend: "embedded".to_owned(),
                });
            }
            Err(e) => return Err(StoreError::io("open", path, e)),
        };
        let mut bytes = Vec::new();
        // One byte more than any block may have: a longer file is damaged, and the
        // verification below says so without reading it all.
        file.take(MAX_BLOCK_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| StoreError::io("read", path, e))?;
        Ok(bytes)
    }

    /// Removes the block file of `cid` (an evicted cache entry); absent is fine.
    pub(crate) fn remove_block(&self, cid: &Cid) -> Result<(), StoreError> {
        let path = self.block_path(cid);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io("remove", &path, e)),
        }
    }

    /// Writes a small file of the store folder (not a block) atomically and durably.
    pub(crate) fn write_file_atomically(
        &self,
        dest: &Path,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        self.write_atomic(dest, bytes, true)
    }

    /// Forces the block file of `cid` to disk.
    pub(crate) fn sync_block(&self, cid: &Cid) -> Result<(), StoreError> {
        let path = self.block_path(cid);
        sync_file(&path)?;
        sync_dir(parent_of(&path)?)
    }

    /// Whether a block file exists (not read, not verified).
    pub(crate) fn has_block(&self, cid: &Cid) -> bool {
        self.block_path(cid).is_file()
    }

    /// The size of the block file.
    pub(crate) fn block_size(&self, cid: &Cid) -> Result<u64, StoreError> {
        let path = self.block_path(cid);
        match fs::metadata(&path) {
            Ok(meta) => Ok(meta.len()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(StoreError::NotFound {
                cid: *cid,
                backend: "embedded".to_owned(),
            }),
            Err(e) => Err(StoreError::io("inspect", &path, e)),
        }
    }

    fn pin_path(&self, cid: &Cid) -> PathBuf {
        self.pins.join(cid.to_string())
    }

    /// Records a pin durably: written, flushed and renamed into `pins/`, the folder flushed.
    pub(crate) fn add_pin(&self, cid: &Cid) -> Result<(), StoreError> {
        self.write_atomic(&self.pin_path(cid), cid.to_string().as_bytes(), true)
    }

    /// Removes a pin; [`StoreError::NotPinned`] when there is none.
    pub(crate) fn remove_pin(&self, cid: &Cid) -> Result<(), StoreError> {
        let path = self.pin_path(cid);
        match fs::remove_file(&path) {
            Ok(()) => sync_dir(&self.pins),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(StoreError::NotPinned { cid: *cid })
            }
            Err(e) => Err(StoreError::io("remove", &path, e)),
        }
    }

    /// The pinned CIDs, sorted. Files whose names are not CIDs are ignored (with a warning).
    pub(crate) fn pins(&self) -> Result<Vec<Cid>, StoreError> {
        let entries =
            fs::read_dir(&self.pins).map_err(|e| StoreError::io("list", &self.pins, e))?;
        let mut pins = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| StoreError::io("list", &self.pins, e))?;
            let name = entry.file_name();
            match name.to_str().map(Cid::from_str) {
                Some(Ok(cid)) => pins.push(cid),
                _ => warn!(file = ?name, "ignoring a file in pins/ that is not a CID"),
            }
        }
        pins.sort();
        pins.dedup();
        Ok(pins)
    }

    /// Checks that the store folder can be written (creates and removes a temporary file).
    pub(crate) fn check_writable(&self) -> Result<(), StoreError> {
        let probe = self.tmp.join(format!("ping-{}", unique_suffix()));
        File::create(&probe).map_err(|e| StoreError::io("write in", &self.tmp, e))?;
        fs::remove_file(&probe).map_err(|e| StoreError::io("remove", &probe, e))
    }

    /// A fresh path in the temporary folder.
    pub(crate) fn temp_path(&self, prefix: &str) -> PathBuf {
        self.tmp.join(format!("{prefix}-{}", unique_suffix()))
    }

    /// Writes `bytes` to `dest` atomically: into a temporary file, then renamed. With `durable`
    /// the file is flushed to disk before the rename and the folder after it.
    fn write_atomic(&self, dest: &Path, bytes: &[u8], durable: bool) -> Result<(), StoreError> {
        let dir = parent_of(dest)?;
        fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
        let temp = self.temp_path("put");
        let written = write_file(&temp, bytes, durable).and_then(|()| {
            fs::rename(&temp, dest).map_err(|e| StoreError::io("move into place", dest, e))
        });
        if written.is_err() {
            let _ = fs::remove_file(&temp);
            return written;
        }
        if durable {
            sync_dir(dir)?;
        }
        Ok(())
    }
}

/// flatfs `next-to-last/2`: the two characters before the last one.
fn shard_of(key: &str) -> &str {
    let len = key.len();
    key.get(len.saturating_sub(3)..len.saturating_sub(1))
        .unwrap_or("__")
}

fn parent_of(path: &Path) -> Result<&Path, StoreError> {
    path.parent().ok_or_else(|| {
        StoreError::io(
            "use",
            path,
            io::Error::new(io::ErrorKind::InvalidInput, "the path has no parent folder"),
        )
    })
}

fn write_file(path: &Path, bytes: &[u8], durable: bool) -> Result<(), StoreError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| StoreError::io("create", path, e))?;
    file.write_all(bytes)
        .map_err(|e| StoreError::io("write", path, e))?;
    if durable {
        file.sync_all()
            .map_err(|e| StoreError::io("flush to disk", path, e))?;
    }
    Ok(())
}

/// Forces a file's data to disk.
fn sync_file(path: &Path) -> Result<(), StoreError> {
    // Windows flushes only through a handle with write access.
    let file = OpenOptions::new()
        .read(true)
        .write(cfg!(windows))
        .open(path)
        .map_err(|e| StoreError::io("open", path, e))?;
    file.sync_all()
        .map_err(|e| StoreError::io("flush to disk", path, e))
}

/// Forces a folder's entries (new names, renames) to disk. A no-op where folders cannot be
/// opened as files (Windows, which journals metadata itself).
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| StoreError::io("flush to disk", dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_is_the_next_to_last_two_characters() {
        assert_eq!(
            shard_of("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
            "yk"
        );
        assert_eq!(shard_of("ab"), "a");
        assert_eq!(shard_of(""), "");
    }
}
