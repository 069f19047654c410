//! A full disk or a folder that cannot be written, said plainly.
//!
//! These faults reach the engine wrapped in many layers (the content store's I/O errors, SQLite's
//! `database or disk is full`, the media pipeline's store messages, exports). Before an error is
//! shown — the CLI's `error:` line, the app's `{code, message}` — [`EngineError::for_user`] turns
//! any of them into [`EngineError::StorageFull`] (`storage.full`) or
//! [`EngineError::StorageReadOnly`] (`storage.read_only`): one sentence that names the folder the
//! user chose (the data folder, or the destination of an export), never an internal file, a
//! library's type or an `os error` number.
//!
//! The data folders are the ones engines were opened on in this process
//! ([`remember_data_dir`], called by [`Engine::open`](crate::Engine::open)).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hallmark_catalog::CatalogError;
use hallmark_indexer::IndexerError;
use hallmark_media::MediaError;
use hallmark_store::StoreError;

use crate::error::EngineError;

/// The data folders engines were opened on, most recent last.
static DATA_DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Records `dir` as a data folder, so a fault inside it is said as "the data folder DIR".
pub(crate) fn remember_data_dir(dir: &Path) {
    let mut dirs = DATA_DIRS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut forms = vec![dir.to_path_buf()];
    if let Ok(real) = dir.canonicalize()
        && real != dir
    {
        forms.push(real);
    }
    for form in forms {
        dirs.retain(|d| *d != form);
        dirs.push(form);
    }
}

/// The kind of storage fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No space (or quota) left.
    Full,
    /// A read-only file system, or no permission to write.
    ReadOnly,
}

/// What an operating-system error means here (`permission`: count "permission denied", which
/// is only a storage fault inside a data folder).
fn io_kind(e: &io::Error, permission: bool) -> Option<Kind> {
    match e.kind() {
        io::ErrorKind::StorageFull => return Some(Kind::Full),
        io::ErrorKind::ReadOnlyFilesystem => return Some(Kind::ReadOnly),
        io::ErrorKind::PermissionDenied if permission => return Some(Kind::ReadOnly),
        _ => {}
    }
    match e.raw_os_error() {
        Some(28 | 122) => Some(Kind::Full),
        Some(30) => Some(Kind::ReadOnly),
        Some(1 | 13) if permission => Some(Kind::ReadOnly),
        _ => None,
    }
}

/// The same, from a message that only kept the text of the error (SQLite's and the operating
/// system's wording).
fn text_kind(text: &str, permission: bool) -> Option<Kind> {
    let text = text.to_ascii_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    if any(&[
        "no space left on device",
        "(os error 28)",
        "database or disk is full",
        "disk quota exceeded",
        "(os error 122)",
        "no storage space",
    ]) {
        Some(Kind::Full)
    } else if any(&[
        "read-only file system",
        "(os error 30)",
        "readonly database",
        "read-only filesystem",
    ]) || (permission
        && any(&[
            "permission denied",
            "(os error 13)",
            "operation not permitted",
            "(os error 1)",
        ]))
    {
        Some(Kind::ReadOnly)
    } else {
        None
    }
}

/// A file system with less than this free counts as full when SQLite only says "disk I/O error".
const NEARLY_FULL: u64 = 1 << 20;

/// SQLite's words when it cannot tell why a write failed (on a full tmpfs a WAL write gives
/// "disk I/O error"; on a read-only mount, "unable to open database file").
fn ambiguous(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    text.contains("disk i/o error") || text.contains("unable to open database file")
}

/// What the file system holding `path` says about itself: mounted read-only, or (almost) no
/// space left for this user.
fn diagnose(path: &Path) -> Option<Kind> {
    use nix::sys::statvfs::{FsFlags, statvfs};
    let existing = path.ancestors().find(|p| p.exists())?;
    let stat = statvfs(existing).ok()?;
    if stat.flags().contains(FsFlags::ST_RDONLY) {
        return Some(Kind::ReadOnly);
    }
    // `fsblkcnt_t` and `c_ulong` are u64 here, u32 on some targets.
    #[allow(clippy::useless_conversion)]
    let free = u64::from(stat.blocks_available()).saturating_mul(u64::from(stat.fragment_size()));
    (free < NEARLY_FULL).then_some(Kind::Full)
}

/// Where a fault happened and what it says.
struct Site<'a> {
    /// The file or folder, when the error names one.
    path: Option<&'a Path>,
    /// The error's text.
    text: String,
    /// The operating system's error, when it was kept.
    io: Option<&'a io::Error>,
    /// Whether the operation writes only inside the data folder.
    data_folder: bool,
}

impl EngineError {
    /// The error as it should be shown: a full disk or a folder that cannot be written becomes
    /// [`EngineError::StorageFull`] / [`EngineError::StorageReadOnly`] naming the folder; any
    /// other error is returned as it is.
    #[must_use]
    pub fn for_user(self) -> Self {
        match self.storage_fault() {
            Some((Kind::Full, place, data_folder)) => Self::StorageFull { place, data_folder },
            Some((Kind::ReadOnly, place, data_folder)) => {
                Self::StorageReadOnly { place, data_folder }
            }
            None => self,
        }
    }

    fn site(&self) -> Option<Site<'_>> {
        fn site(path: Option<&Path>, text: String, data_folder: bool) -> Site<'_> {
            Site {
                path,
                text,
                io: None,
                data_folder,
            }
        }
        Some(match self {
            Self::DataDir { path, reason } | Self::Database { path, reason } => {
                site(Some(path.as_path()), reason.clone(), true)
            }
            Self::Store(StoreError::Io { path, source, .. }) => Site {
                path: Some(path.as_path()),
                text: source.to_string(),
                io: Some(source),
                data_folder: true,
            },
            Self::Catalog(CatalogError::Database { path, reason })
            | Self::Indexer(IndexerError::Catalog(CatalogError::Database { path, reason })) => {
                site(Some(path.as_path()), reason.clone(), true)
            }
            // The embedded store's message while ingesting (blocks go to the data folder).
            Self::Media(MediaError::Store { reason, .. }) => site(None, reason.clone(), true),
            Self::Media(MediaError::Derivative { dir, reason, .. }) => {
                site(Some(dir.as_path()), reason.clone(), true)
            }
            Self::Chain(hallmark_chain::ChainError::File { path, reason }) => {
                site(Some(path.as_path()), reason.clone(), true)
            }
            // Exports write where the user asked: no folder known, so none is named.
            Self::Kit { reason, .. } => site(None, reason.clone(), false),
            Self::Evidence(e) => site(None, e.to_string(), false),
            Self::Certificate(e) => site(None, e.to_string(), false),
            _ => return None,
        })
    }

    /// The fault, the folder to name and whether it is a data folder.
    fn storage_fault(&self) -> Option<(Kind, Option<PathBuf>, bool)> {
        let site = self.site()?;
        let data_dir = data_dir_of(site.path, site.data_folder);
        // "Permission denied" is a storage fault only inside a data folder (elsewhere it may be
        // an input file the user cannot read).
        let permission = data_dir.is_some();
        let kind = site
            .io
            .and_then(|e| io_kind(e, permission))
            .or_else(|| text_kind(&site.text, permission))
            .or_else(|| {
                let at = site
                    .path
                    .map(Path::to_path_buf)
                    .or_else(|| data_dir.clone())?;
                if ambiguous(&site.text) {
                    diagnose(&at)
                } else {
                    None
                }
            })?;
        Some(match data_dir {
            Some(dir) => (kind, Some(dir), true),
            None => (kind, site.path.map(folder_of), false),
        })
    }
}

/// The data folder `path` lies in (the innermost), or for a path-less error of an operation that
/// writes only into the data folder, the most recently opened one.
fn data_dir_of(path: Option<&Path>, data_folder: bool) -> Option<PathBuf> {
    let dirs = DATA_DIRS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match path {
        Some(path) => dirs
            .iter()
            .filter(|dir| path.starts_with(dir))
            .max_by_key(|dir| dir.as_os_str().len())
            .cloned(),
        None if data_folder => dirs.last().cloned(),
        None => None,
    }
}

/// The folder to name for a file outside the data folder: the path itself if it is a folder,
/// else its parent.
fn folder_of(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_owned()
    } else {
        path.parent()
            .map_or_else(|| path.to_owned(), Path::to_owned)
    }
}

/// The sentence of [`EngineError::StorageFull`].
pub(crate) fn full_sentence(place: Option<&Path>, data_folder: bool) -> String {
    match place {
        Some(dir) if data_folder => format!(
            "the disk holding the data folder {} is full: free some space there and try again",
            dir.display()
        ),
        Some(dir) => format!(
            "the disk holding {} is full: free some space there and try again",
            dir.display()
        ),
        None => "the disk is full: free some space and try again".to_owned(),
    }
}

/// The sentence of [`EngineError::StorageReadOnly`].
pub(crate) fn read_only_sentence(place: Option<&Path>, data_folder: bool) -> String {
    match place {
        Some(dir) if data_folder => format!(
            "the data folder {} cannot be written (the disk is read-only, or this user may not \
             write there): make it writable or choose another data folder",
            dir.display()
        ),
        Some(dir) => format!(
            "{} cannot be written (the disk is read-only, or this user may not write there): \
             choose another folder",
            dir.display()
        ),
        None => "a folder Hallmark must write to cannot be written (the disk is read-only, or \
                 this user may not write there)"
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enospc() -> io::Error {
        io::Error::from_raw_os_error(28)
    }

    #[test]
    fn a_full_disk_under_the_data_folder_names_only_the_folder() {
        let data = PathBuf::from("/srv/hallmark-fault-test-a");
        remember_data_dir(&data);
        let inner = data.join("ipfs/blocks/ab/bafkreiabc");
        let e = EngineError::Store(StoreError::Io {
            action: "write",
            path: inner,
            source: enospc(),
        })
        .for_user();
        assert_eq!(e.code(), "storage.full");
        let text = e.to_string();
        assert_eq!(
            text,
            "the disk holding the data folder /srv/hallmark-fault-test-a is full: free some space there and try again"
        );
        assert!(
            !text.contains("blocks") && !text.contains("os error"),
            "{text}"
        );
    }

    #[test]
    fn sqlite_and_media_messages_are_recognised() {
        let data = PathBuf::from("/srv/hallmark-fault-test-b");
        remember_data_dir(&data);
        let catalog = EngineError::Catalog(CatalogError::Database {
            path: data.join("catalog.sqlite"),
            reason: "database or disk is full".into(),
        })
        .for_user();
        assert_eq!(catalog.code(), "storage.full");
        assert!(
            catalog
                .to_string()
                .contains("/srv/hallmark-fault-test-b is full")
        );
        let read_only = EngineError::Database {
            path: data.join("hallmark.sqlite"),
            reason: "attempt to write a readonly database".into(),
        }
        .for_user();
        assert_eq!(read_only.code(), "storage.read_only");
        assert!(
            read_only
                .to_string()
                .starts_with("the data folder /srv/hallmark-fault-test-b cannot be written")
        );
        let media = EngineError::Media(MediaError::Store {
            path: PathBuf::from("/home/me/art.png"),
            reason: "cannot write /srv/x/ipfs/tmp/put-1: No space left on device (os error 28)"
                .into(),
        })
        .for_user();
        assert_eq!(media.code(), "storage.full");
        assert!(!media.to_string().contains("os error"));
    }

    #[test]
    fn permission_counts_only_inside_a_data_folder() {
        let outside = EngineError::DataDir {
            path: PathBuf::from("/home/me/keystore.json"),
            reason: "Permission denied (os error 13)".into(),
        };
        assert_eq!(outside.for_user().code(), "storage.data_dir");
        let data = PathBuf::from("/srv/hallmark-fault-test-c");
        remember_data_dir(&data);
        let inside = EngineError::Store(StoreError::Io {
            action: "create",
            path: data.join("ipfs/tmp"),
            source: io::Error::from_raw_os_error(13),
        })
        .for_user();
        assert_eq!(inside.code(), "storage.read_only");
        let rofs = EngineError::DataDir {
            path: PathBuf::from("/media/stick/export"),
            reason: "Read-only file system (os error 30)".into(),
        }
        .for_user();
        assert_eq!(rofs.code(), "storage.read_only");
        assert!(rofs.to_string().starts_with("/media/stick"), "{rofs}");
    }

    #[test]
    fn other_errors_are_left_alone() {
        let e = EngineError::Store(StoreError::Node {
            url: "http://127.0.0.1:5001".into(),
            endpoint: "add",
            message: "no space left on device".into(),
        })
        .for_user();
        // The node's own disk, not ours: its message stays the node's.
        assert_eq!(e.code(), "store.node_error");
        assert_eq!(EngineError::Cancelled.for_user().code(), "job.cancelled");
    }
}
