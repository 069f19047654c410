//! Verified reading shared by both backends: block verification, DAG reads bounded by a size
//! limit, and exports written to a temporary file that is renamed only when complete.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use hallmark_unixfs::{Cid, CidError, ReadError};

use crate::error::StoreError;

/// The largest block a store accepts or hands out (the IPFS network's limit).
pub const MAX_BLOCK_BYTES: usize = 2 << 20;

/// Returns `block` if it hashes to `cid`, else [`StoreError::CidMismatch`] naming `origin`.
pub(crate) fn verify_block(
    cid: &Cid,
    block: Vec<u8>,
    origin: impl FnOnce() -> String,
) -> Result<Vec<u8>, StoreError> {
    match cid.verify(&block) {
        Ok(()) => Ok(block),
        Err(e) => Err(mismatch_error(cid, &block, e, origin)),
    }
}

fn mismatch_error(
    cid: &Cid,
    block: &[u8],
    error: CidError,
    origin: impl FnOnce() -> String,
) -> StoreError {
    let actual = match error {
        CidError::Mismatch { actual, .. } => Some(actual),
        _ => Cid::for_block(cid.version(), cid.codec(), block).ok(),
    };
    match actual {
        Some(actual) => StoreError::CidMismatch {
            expected: *cid,
            actual,
            context: format!("{}: the bytes do not match their CID", origin()),
        },
        None => StoreError::Dag {
            cid: *cid,
            reason: format!("{} could not be checked: {error}", origin()),
        },
    }
}

/// Maps a DAG-reading error whose fetch errors are already [`StoreError`]s.
pub(crate) fn map_read_error(root: &Cid, error: ReadError<StoreError>) -> StoreError {
    match error {
        ReadError::Fetch(e) => e,
        ReadError::Cid(CidError::Mismatch { expected, actual }) => StoreError::CidMismatch {
            expected,
            actual,
            context: "a block of the file does not match its CID".to_owned(),
        },
        other => StoreError::Dag {
            cid: *root,
            reason: other.to_string(),
        },
    }
}

/// A writer that refuses to grow past a limit; it remembers that it refused so the caller can
/// tell "too large" from other write errors.
struct LimitedWriter {
    bytes: Vec<u8>,
    max_bytes: u64,
    exceeded: bool,
}

impl Write for LimitedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let after = self.bytes.len() as u64 + buf.len() as u64;
        if after > self.max_bytes {
            self.exceeded = true;
            return Err(io::Error::other("the file is larger than the allowed size"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads the UnixFS file `root` into memory, fetching (verified) blocks with `get`; refuses
/// files larger than `max_bytes`.
pub(crate) fn read_to_vec<G>(root: &Cid, get: G, max_bytes: u64) -> Result<Vec<u8>, StoreError>
where
    G: FnMut(&Cid) -> Result<Vec<u8>, StoreError>,
{
    let mut out = LimitedWriter {
        bytes: Vec::new(),
        max_bytes,
        exceeded: false,
    };
    match hallmark_unixfs::read_file(root, get, &mut out) {
        Ok(_) => Ok(out.bytes),
        Err(_) if out.exceeded => Err(StoreError::TooLarge {
            cid: *root,
            max_bytes,
        }),
        Err(e) => Err(map_read_error(root, e)),
    }
}

/// A name unique to this process and call, for temporary files.
pub(crate) fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}-{n}-{nanos:08x}", std::process::id())
}

/// Writes the UnixFS file `root` to `dest`: into a temporary file in the same folder, flushed
/// to disk, then renamed over `dest`. Nothing is left behind on failure. Returns the file size.
pub(crate) fn export_to_file<G>(root: &Cid, get: G, dest: &Path) -> Result<u64, StoreError>
where
    G: FnMut(&Cid) -> Result<Vec<u8>, StoreError>,
{
    let temp = partial_path(dest)?;
    let result = write_export(root, get, &temp).and_then(|size| {
        std::fs::rename(&temp, dest).map_err(|e| StoreError::io("rename into", dest, e))?;
        Ok(size)
    });
    if result.is_err() {
        // Best effort: the temporary file may not exist (creating it may be what failed).
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn write_export<G>(root: &Cid, get: G, temp: &Path) -> Result<u64, StoreError>
where
    G: FnMut(&Cid) -> Result<Vec<u8>, StoreError>,
{
    let file = File::create(temp).map_err(|e| StoreError::io("create", temp, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let size = hallmark_unixfs::read_file(root, get, &mut out).map_err(|e| match e {
        ReadError::Io(io) => StoreError::io("write", temp, io),
        other => map_read_error(root, other),
    })?;
    let file = out
        .into_inner()
        .map_err(|e| StoreError::io("write", temp, e.into_error()))?;
    file.sync_all()
        .map_err(|e| StoreError::io("flush to disk", temp, e))?;
    Ok(size)
}

/// `dir/.name.hallmark-partial-<unique>` beside `dest`.
fn partial_path(dest: &Path) -> Result<PathBuf, StoreError> {
    let name = dest.file_name().ok_or_else(|| {
        StoreError::io(
            "export to",
            dest,
            io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
        )
    })?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".hallmark-partial-{}", unique_suffix()));
    Ok(dest.with_file_name(temp_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_writer_refuses_past_the_limit() {
        let mut w = LimitedWriter {
            bytes: Vec::new(),
            max_bytes: 4,
            exceeded: false,
        };
        assert!(w.write_all(b"abcd").is_ok());
        assert!(!w.exceeded);
        assert!(w.write_all(b"e").is_err());
        assert!(w.exceeded);
        assert_eq!(w.bytes, b"abcd");
    }

    #[test]
    fn partial_path_is_hidden_beside_the_destination() {
        let p = partial_path(Path::new("/tmp/out/file.bin")).expect("path");
        assert_eq!(p.parent(), Some(Path::new("/tmp/out")));
        let name = p.file_name().and_then(|n| n.to_str()).expect("name");
        assert!(name.starts_with(".file.bin.hallmark-partial-"), "{name}");
        assert_ne!(
            p,
            partial_path(Path::new("/tmp/out/file.bin")).expect("path")
        );
    }
}
