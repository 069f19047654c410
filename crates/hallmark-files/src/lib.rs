//! Reading a file a person named — a command-line argument, a file chosen in a dialog, a path in
//! a settings file. Only a **regular file** is read, and its size is bounded before a byte is:
//!
//! - a pipe (FIFO) would block the reader forever, and a device (`/dev/zero`, `/dev/urandom`)
//!   never ends, so both are refused by their kind, as are sockets and folders;
//! - the kind is checked by `stat` before opening and again on the opened handle, which is
//!   opened without blocking: a path swapped for a pipe in between is refused, not waited on;
//! - a file larger than the caller's limit is refused by its size, and a read never takes more
//!   than the limit even if the file grows meanwhile.
//!
//! Reasons are plain sentences without operating-system error numbers.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Why a named file is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserFileError {
    /// Nothing is at the path (or a link points at nothing).
    #[error("there is no such file")]
    NotFound,
    /// The path names a folder where a file is expected.
    #[error("it is a folder, not a file")]
    IsFolder,
    /// The path names a file (or a pipe, device or socket) where a folder is expected.
    #[error("it is {kind}, not a folder")]
    NotAFolder {
        /// What it is, in words ("a file", "a pipe (FIFO)" …).
        kind: &'static str,
    },
    /// A pipe, socket or device: never read.
    #[error("it is {kind}, not a regular file")]
    NotARegularFile {
        /// What it is, in words ("a pipe (FIFO)", "a device", "a socket").
        kind: &'static str,
    },
    /// Larger than the caller allows.
    #[error("it is {size} bytes; at most {limit} are accepted here")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file exists but cannot be read.
    #[error("it cannot be read: {reason}")]
    Unreadable {
        /// Why, in words.
        reason: String,
    },
}

/// An I/O error in words, without the operating system's error number.
pub fn plain_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotFound => "there is no such file".to_owned(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error ") {
                Some(at) => text[..at].to_owned(),
                None => text,
            }
        }
    }
}

fn from_io(error: &io::Error) -> UserFileError {
    match error.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => UserFileError::NotFound,
        _ => UserFileError::Unreadable {
            reason: plain_reason(error),
        },
    }
}

/// What a file that is neither regular nor a folder is, in words ("a pipe (FIFO)", "a device",
/// "a socket").
pub fn special_kind(metadata: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    "a special file"
}

/// The size of a regular file of at most `limit` bytes, from its metadata.
fn checked(metadata: &Metadata, limit: u64) -> Result<u64, UserFileError> {
    if metadata.is_dir() {
        return Err(UserFileError::IsFolder);
    }
    if !metadata.is_file() {
        return Err(UserFileError::NotARegularFile {
            kind: special_kind(metadata),
        });
    }
    if metadata.len() > limit {
        return Err(UserFileError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    Ok(metadata.len())
}

/// Opens the regular file at `path` (links followed) of at most `limit` bytes; its handle and
/// size. Nothing is read.
pub fn open(path: &Path, limit: u64) -> Result<(File, u64), UserFileError> {
    checked(&std::fs::metadata(path).map_err(|e| from_io(&e))?, limit)?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A pipe put at the path since the check must not block the open.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| from_io(&e))?;
    let size = checked(&file.metadata().map_err(|e| from_io(&e))?, limit)?;
    Ok((file, size))
}

/// Reads the whole regular file at `path`, of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, UserFileError> {
    let (file, size) = open(path, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| from_io(&e))?;
    let read = bytes.len() as u64;
    if read > limit {
        return Err(UserFileError::TooLarge { size: read, limit });
    }
    Ok(bytes)
}

/// The sha-256 (lowercase hex) and size of the regular file at `path`, of at most `limit`
/// bytes, streamed ([`open`]: a pipe or a device is refused, never waited on; a file that grows
/// past `limit` while read is refused).
pub fn sha256(path: &Path, limit: u64) -> Result<(String, u64), UserFileError> {
    use sha2::Digest as _;
    let (file, _) = open(path, limit)?;
    let mut hasher = sha2::Sha256::new();
    let read =
        io::copy(&mut file.take(limit.saturating_add(1)), &mut hasher).map_err(|e| from_io(&e))?;
    if read > limit {
        return Err(UserFileError::TooLarge { size: read, limit });
    }
    Ok((hex::encode(hasher.finalize()), read))
}

/// Reads the regular file at `path` as UTF-8 text, of at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, UserFileError> {
    String::from_utf8(read(path, limit)?).map_err(|_| UserFileError::Unreadable {
        reason: "it is not UTF-8 text".to_owned(),
    })
}

/// Checks that `path` names a folder (links followed).
pub fn check_folder(path: &Path) -> Result<(), UserFileError> {
    let metadata = std::fs::metadata(path).map_err(|e| from_io(&e))?;
    if metadata.is_dir() {
        Ok(())
    } else if metadata.is_file() {
        Err(UserFileError::NotAFolder { kind: "a file" })
    } else {
        Err(UserFileError::NotAFolder {
            kind: special_kind(&metadata),
        })
    }
}

/// Why an output file a person named is not written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputError {
    /// The path names a folder.
    #[error("it is a folder, not a file")]
    IsFolder,
    /// A pipe (FIFO) that no program has open for reading: writing would wait for good.
    #[error("it is a pipe (FIFO) that no program reads")]
    NoReader,
    /// The file cannot be written (a missing folder, no permission, a full disk).
    #[error("it cannot be written: {reason}")]
    Unwritable {
        /// Why, in words.
        reason: String,
    },
}

fn unwritable(error: &io::Error) -> OutputError {
    OutputError::Unwritable {
        reason: plain_reason(error),
    }
}

/// Writes `bytes` to the output file a person named.
///
/// - Nothing there yet, or a regular file: written beside it as `<name>.partial`, then renamed
///   over it, so a crash never leaves half a file under its name.
/// - A pipe or a device (`-o /dev/stdout`, a FIFO another program reads): written in place. A
///   pipe is opened without blocking first, so one that no program reads is refused at once
///   instead of waited on for good.
/// - A folder: refused.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => return Err(OutputError::IsFolder),
        Ok(metadata) if !metadata.is_file() => return write_in_place(path, bytes),
        _ => {}
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            unwritable(&e)
        })
}

/// Writes to a pipe or device at `path`.
fn write_in_place(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write as _;
    #[cfg(unix)]
    let _probe = {
        use std::os::unix::fs::OpenOptionsExt;
        // Without blocking, opening a pipe for writing fails (ENXIO) when nobody reads it. The
        // handle stays open until the write is done, so the reader never sees an early end.
        OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| {
                if e.raw_os_error() == Some(libc::ENXIO) {
                    OutputError::NoReader
                } else {
                    unwritable(&e)
                }
            })?
    };
    // A reader is there: a blocking handle for the write (a slow reader is waited on).
    let mut file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| unwritable(&e))?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(|e| unwritable(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Runs `f` and fails the test if it takes more than two seconds (a pipe read would hang).
    fn within_two_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(f());
        });
        receiver
            .recv_timeout(Duration::from_secs(2))
            .expect("answered within 2 s")
    }

    #[cfg(unix)]
    fn fifo(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        path
    }

    #[test]
    fn a_regular_file_is_read_whole_within_its_limit() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        let path = dir.path().join("a.json");
        std::fs::write(&path, b"{\"a\": 1}").expect("write");
        assert_eq!(read(&path, 8).ok(), Some(b"{\"a\": 1}".to_vec()));
        assert_eq!(read_text(&path, 8).ok().as_deref(), Some("{\"a\": 1}"));
        assert_eq!(
            read(&path, 7),
            Err(UserFileError::TooLarge { size: 8, limit: 7 })
        );
        std::fs::write(&path, [0xff, 0xfe]).expect("write");
        assert!(matches!(
            read_text(&path, 8),
            Err(UserFileError::Unreadable { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn pipes_devices_folders_and_missing_files_are_refused_at_once() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        let pipe = fifo(dir.path());
        let link = dir.path().join("link-to-pipe");
        std::os::unix::fs::symlink(&pipe, &link).expect("symlink");
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nothing"), &dangling).expect("symlink");
        let cases: Vec<(std::path::PathBuf, UserFileError)> = vec![
            (
                pipe.clone(),
                UserFileError::NotARegularFile {
                    kind: "a pipe (FIFO)",
                },
            ),
            (
                link,
                UserFileError::NotARegularFile {
                    kind: "a pipe (FIFO)",
                },
            ),
            (
                "/dev/zero".into(),
                UserFileError::NotARegularFile { kind: "a device" },
            ),
            (
                "/dev/urandom".into(),
                UserFileError::NotARegularFile { kind: "a device" },
            ),
            (dir.path().to_owned(), UserFileError::IsFolder),
            (dir.path().join("missing.json"), UserFileError::NotFound),
            (dangling, UserFileError::NotFound),
        ];
        for (path, expected) in cases {
            let shown = path.display().to_string();
            let got = within_two_seconds(move || read(&path, 1 << 20));
            assert_eq!(got, Err(expected), "{shown}");
        }
        assert_eq!(
            check_folder(&pipe),
            Err(UserFileError::NotAFolder {
                kind: "a pipe (FIFO)"
            })
        );
        assert_eq!(check_folder(dir.path()), Ok(()));
    }

    #[test]
    fn a_huge_sparse_file_is_refused_by_its_size_before_reading() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        let path = dir.path().join("huge.zip");
        let file = File::create(&path).expect("create");
        file.set_len(1 << 40).expect("a 1 TiB sparse file");
        let got = within_two_seconds(move || read(&path, 1 << 30));
        assert_eq!(
            got,
            Err(UserFileError::TooLarge {
                size: 1 << 40,
                limit: 1 << 30
            })
        );
    }

    #[test]
    fn reasons_carry_no_os_error_numbers() {
        let denied = io::Error::from_raw_os_error(13);
        assert_eq!(plain_reason(&denied), "permission denied");
        let busy = io::Error::from_raw_os_error(16);
        assert!(
            !plain_reason(&busy).contains("os error"),
            "{}",
            plain_reason(&busy)
        );
    }

    #[test]
    fn outputs_go_to_files_and_to_pipes_someone_reads_never_to_a_pipe_nobody_reads() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        // A new file, then replacing it: the whole bytes, and no `.partial` left.
        let out = dir.path().join("out.bin");
        write(&out, b"first").expect("written");
        write(&out, b"second").expect("replaced");
        assert_eq!(std::fs::read(&out).expect("read"), b"second");
        assert!(!dir.path().join("out.bin.partial").exists());
        // A folder, and a file in a folder that does not exist.
        assert_eq!(write(dir.path(), b"x"), Err(OutputError::IsFolder));
        assert!(matches!(
            write(&dir.path().join("missing/out.bin"), b"x"),
            Err(OutputError::Unwritable { .. })
        ));
        // A pipe nobody reads: refused at once, and still a pipe.
        let pipe = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let started = std::time::Instant::now();
        assert_eq!(write(&pipe, b"x"), Err(OutputError::NoReader));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        // A pipe a program reads gets every byte, and the pipe stays a pipe.
        let copy = dir.path().join("copy.bin");
        let mut reader = std::process::Command::new("cat")
            .arg(&pipe)
            .stdout(std::fs::File::create(&copy).expect("copy"))
            .spawn()
            .expect("cat");
        let bytes = vec![7u8; 300_000]; // more than a pipe's buffer
        let mut written = Err(OutputError::NoReader);
        for _ in 0..200 {
            // until `cat` has opened the pipe
            written = write(&pipe, &bytes);
            if written != Err(OutputError::NoReader) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(written, Ok(()));
        assert!(reader.wait().expect("cat ends").success());
        assert_eq!(std::fs::read(&copy).expect("copy"), bytes);
        assert!(!std::fs::metadata(&pipe).expect("pipe").is_file());
        // A device that cannot take the bytes says so in words.
        if Path::new("/dev/full").exists() {
            let Err(OutputError::Unwritable { reason }) = write(Path::new("/dev/full"), b"x")
            else {
                panic!("/dev/full took the bytes")
            };
            assert!(!reason.contains("os error"), "{reason}");
        }
        write(Path::new("/dev/null"), b"nothing").expect("/dev/null");
    }
}
