//! The bundle file: a plain zip (stored, uncompressed) that any unzip tool opens, written in
//! the canonical form of [`crate::container`].
//!
//! Reading is bounded: at most [`MAX_ENTRIES`] entries, [`MAX_JSON_BYTES`] per JSON document,
//! [`MAX_MEDIA_BYTES`] for the media, safe relative names only, every entry stored (no
//! compression, so nothing inflates), and the sizes the entries declare adding up to no more
//! than the file itself — all checked before an entry is read. A damaged or hostile file is
//! refused with the reason, never partially trusted.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};

use zip::ZipArchive;

use crate::container;
use crate::error::EvidenceError;
use crate::model::{EVIDENCE_FILE, MEDIA_DIR, METADATA_FILE, README_FILE, SEAL_FILE};

/// Most entries a bundle may hold.
pub const MAX_ENTRIES: usize = 16;
/// Largest JSON document or README inside a bundle.
pub const MAX_JSON_BYTES: u64 = 64 * 1024 * 1024;
/// Largest media file inside a bundle.
pub const MAX_MEDIA_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The files of a bundle, by path: owned (`Vec<u8>`, as [`crate::prove`] builds them), or
/// borrowed from the bundle file's own bytes (`&[u8]`, as [`BundleFiles::parse`] reads them, so
/// a bundle being verified is held in memory once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BundleFiles<B = Vec<u8>> {
    /// Path → bytes, in name order.
    pub files: BTreeMap<String, B>,
}

impl<B: AsRef<[u8]>> BundleFiles<B> {
    /// The bytes of `path`, if present.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(AsRef::as_ref)
    }

    /// The same files, borrowed.
    pub fn view(&self) -> BundleFiles<&[u8]> {
        BundleFiles {
            files: self
                .files
                .iter()
                .map(|(name, bytes)| (name.clone(), bytes.as_ref()))
                .collect(),
        }
    }

    /// Writes the zip in its canonical form ([`crate::container`]: stored entries in name
    /// order, fixed timestamps and attributes; the same files always give the same bytes).
    pub fn write_to<W: Write + Seek>(&self, mut out: W) -> Result<W, EvidenceError> {
        for name in self.files.keys() {
            check_name(name)?;
        }
        let bytes = container::encode(
            self.files
                .iter()
                .map(|(name, bytes)| (name.as_str(), bytes.as_ref())),
        )
        .map_err(|e| EvidenceError::Write(e.to_string()))?;
        out.write_all(&bytes)
            .map_err(|e| EvidenceError::Write(e.to_string()))?;
        Ok(out)
    }

    /// The zip as bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EvidenceError> {
        Ok(self.write_to(Cursor::new(Vec::new()))?.into_inner())
    }
}

impl BundleFiles {
    /// Reads a bundle from `reader` (at most [`crate::MAX_BUNDLE_BYTES`]), enforcing every limit
    /// of [`BundleFiles::parse`]; the files are copied out of it.
    pub fn read<R: Read + Seek>(mut reader: R) -> Result<Self, EvidenceError> {
        let unreadable = |e: std::io::Error| EvidenceError::NotABundle {
            reason: format!("the file cannot be read: {e}"),
        };
        reader.seek(SeekFrom::Start(0)).map_err(unreadable)?;
        let mut bytes = Vec::new();
        reader
            .take(crate::MAX_BUNDLE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
        if bytes.len() as u64 > crate::MAX_BUNDLE_BYTES {
            return Err(EvidenceError::NotABundle {
                reason: format!("over {} bytes", crate::MAX_BUNDLE_BYTES),
            });
        }
        Ok(BundleFiles::parse(&bytes)?.to_owned_files())
    }
}

impl<'a> BundleFiles<&'a [u8]> {
    /// Reads the bundle in `bytes`, enforcing every limit; each file is a slice of `bytes`,
    /// never a copy. The entries' CRC-32s are not checked here: the container check of
    /// [`crate::verify_bytes`] compares every header with the one the entry's bytes give.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, EvidenceError> {
        let file_len = bytes.len() as u64;
        let mut declared = 0u64;
        let mut zip =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| EvidenceError::NotABundle {
                reason: format!("not a readable zip: {e}"),
            })?;
        if zip.len() > MAX_ENTRIES {
            return Err(EvidenceError::NotABundle {
                reason: format!("{} entries (at most {MAX_ENTRIES})", zip.len()),
            });
        }
        let mut files = BTreeMap::new();
        for index in 0..zip.len() {
            let entry = zip.by_index(index).map_err(|e| EvidenceError::NotABundle {
                reason: format!("entry {index} is unreadable: {e}"),
            })?;
            let name = entry
                .name()
                .map_err(|e| EvidenceError::NotABundle {
                    reason: format!("entry {index} has an unreadable name: {e}"),
                })?
                .into_owned();
            check_name(&name)?;
            if entry.is_dir() {
                continue;
            }
            let limit = if name.starts_with(MEDIA_DIR) {
                MAX_MEDIA_BYTES
            } else {
                MAX_JSON_BYTES
            };
            if entry.size() > limit {
                return Err(EvidenceError::NotABundle {
                    reason: format!("`{name}` is {} bytes (at most {limit})", entry.size()),
                });
            }
            // Checked before anything is read: a bundle's entries are stored as they are, so
            // what they declare fits in the file.
            if entry.compression() != zip::CompressionMethod::Stored
                || entry.compressed_size() != entry.size()
            {
                return Err(EvidenceError::NotABundle {
                    reason: format!(
                        "`{name}` is compressed ({:?}, {} bytes declared as {}): a bundle's entries are stored as they are",
                        entry.compression(),
                        entry.compressed_size(),
                        entry.size()
                    ),
                });
            }
            declared = declared.saturating_add(entry.size());
            if declared > file_len {
                return Err(EvidenceError::NotABundle {
                    reason: format!(
                        "its entries declare {declared} bytes up to `{name}`, more than the whole file ({file_len} bytes)"
                    ),
                });
            }
            let data = entry
                .data_start()
                .and_then(|start| {
                    let start = usize::try_from(start).ok()?;
                    let end = start.checked_add(usize::try_from(entry.size()).ok()?)?;
                    bytes.get(start..end)
                })
                .ok_or_else(|| EvidenceError::NotABundle {
                    reason: format!("`{name}` runs past the end of the file"),
                })?;
            if files.insert(name.clone(), data).is_some() {
                return Err(EvidenceError::NotABundle {
                    reason: format!("`{name}` appears twice"),
                });
            }
        }
        for required in [EVIDENCE_FILE, SEAL_FILE, METADATA_FILE] {
            if !files.contains_key(required) {
                return Err(EvidenceError::NotABundle {
                    reason: format!("`{required}` is missing"),
                });
            }
        }
        Ok(Self { files })
    }

    /// The same files, copied.
    pub fn to_owned_files(&self) -> BundleFiles {
        BundleFiles {
            files: self
                .files
                .iter()
                .map(|(name, bytes)| (name.clone(), bytes.to_vec()))
                .collect(),
        }
    }
}

/// Only `evidence.json`, `seal.json`, `metadata.json`, `README.txt` and `media/<name>` with a
/// plain file name.
fn check_name(name: &str) -> Result<(), EvidenceError> {
    let fixed = [EVIDENCE_FILE, SEAL_FILE, METADATA_FILE, README_FILE];
    let ok = fixed.contains(&name)
        || name.strip_prefix(MEDIA_DIR).is_some_and(|file| {
            !file.is_empty()
                && file.len() <= 255
                && file != "."
                && file != ".."
                && !file
                    .chars()
                    .any(|c| c == '/' || c == '\\' || c.is_control())
        });
    if ok {
        Ok(())
    } else {
        Err(EvidenceError::NotABundle {
            reason: format!(
                "unexpected entry `{}`",
                name.escape_debug()
                    .to_string()
                    .chars()
                    .take(120)
                    .collect::<String>()
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> BundleFiles {
        let mut files = BTreeMap::new();
        files.insert(EVIDENCE_FILE.to_owned(), b"{}".to_vec());
        files.insert(SEAL_FILE.to_owned(), b"{}".to_vec());
        files.insert(METADATA_FILE.to_owned(), b"{}".to_vec());
        files.insert("media/work.png".to_owned(), vec![7; 1000]);
        BundleFiles { files }
    }

    #[test]
    fn round_trip_is_deterministic() -> Result<(), EvidenceError> {
        let bundle = sample();
        let bytes = bundle.to_bytes()?;
        assert_eq!(bytes, bundle.to_bytes()?);
        assert_eq!(BundleFiles::read(Cursor::new(bytes))?, bundle);
        Ok(())
    }

    /// Smaller finding of security.md: declared sizes were trusted (a buffer of the declared size
    /// was allocated before reading). A bundle whose media declares 3 GiB in a 2 KB file is
    /// refused before anything is allocated.
    #[test]
    fn declared_sizes_larger_than_the_file_are_refused_before_reading() -> Result<(), EvidenceError>
    {
        let mut bytes = sample().to_bytes()?;
        let huge = 3u32 << 30;
        let mut patched = 0;
        for at in 0..bytes.len().saturating_sub(46) {
            let sizes = match bytes[at..at + 4] {
                [0x50, 0x4b, 0x01, 0x02] => at + 20, // central directory header
                [0x50, 0x4b, 0x03, 0x04] => at + 18, // local file header
                _ => continue,
            };
            let name_len = usize::from(u16::from_le_bytes([bytes[sizes + 8], bytes[sizes + 9]]));
            let name_at = if bytes[at + 2] == 0x01 {
                at + 46
            } else {
                at + 30
            };
            if bytes.get(name_at..name_at + name_len) == Some(b"media/work.png".as_slice()) {
                bytes[sizes..sizes + 4].copy_from_slice(&huge.to_le_bytes());
                bytes[sizes + 4..sizes + 8].copy_from_slice(&huge.to_le_bytes());
                patched += 1;
            }
        }
        assert_eq!(patched, 2, "both headers of the media entry");
        let Err(EvidenceError::NotABundle { reason }) = BundleFiles::read(Cursor::new(bytes))
        else {
            panic!("a 3 GiB declaration in a small file must be refused");
        };
        assert!(reason.contains("more than the whole file"), "{reason}");
        Ok(())
    }

    #[test]
    fn hostile_names_and_missing_files_are_refused() {
        for name in [
            "../evil",
            "media/../x",
            "/abs",
            "media/",
            "other.json",
            "media/a\nb",
        ] {
            assert!(check_name(name).is_err(), "{name:?} accepted");
        }
        let mut bundle = sample();
        bundle.files.remove(SEAL_FILE);
        let bytes = bundle.to_bytes();
        let Ok(bytes) = bytes else {
            panic!("writing failed")
        };
        let err = BundleFiles::read(Cursor::new(bytes)).err();
        assert!(
            matches!(&err, Some(EvidenceError::NotABundle { reason }) if reason.contains("seal.json")),
            "{err:?}"
        );
        assert!(BundleFiles::read(Cursor::new(b"not a zip".to_vec())).is_err());
    }
}
