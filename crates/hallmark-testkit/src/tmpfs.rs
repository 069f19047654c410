//! A small tmpfs for disk-full and read-only tests (root only: CI runs as root), and a helper
//! that fills a file system.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A tmpfs mounted on a fresh folder, unmounted on drop.
pub struct Tmpfs {
    /// The mounted folder.
    pub dir: PathBuf,
}

impl Tmpfs {
    /// Mounts `size` (e.g. `8m`), or says why not.
    pub fn mount(parent: &Path, size: &str) -> Result<Self, String> {
        let dir = parent.join("mnt");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(&dir)
            .stderr(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if status.success() {
            Ok(Self { dir })
        } else {
            Err(format!("`mount -t tmpfs` failed ({status})"))
        }
    }

    /// Remounts it with `mode` (e.g. `ro`, `rw`).
    pub fn remount(&self, mode: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.dir)
            .status()
            .expect("mount");
        assert!(status.success(), "remount {mode}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.dir)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            // Busy (a process still holds a file there): detach it now, freed when released.
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

/// Whether the tests run as root.
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A tmpfs, or a printed reason to skip.
pub fn tmpfs_or_skip(parent: &Path, size: &str, test: &str) -> Option<Tmpfs> {
    if !is_root() {
        eprintln!("skipped: {test} needs root to mount a tmpfs");
        return None;
    }
    match Tmpfs::mount(parent, size) {
        Ok(fs) => Some(fs),
        Err(e) => {
            eprintln!("skipped: {test}: {e}");
            None
        }
    }
}

/// Fills the file system of `dir` with one file, then frees `keep` bytes of it.
pub fn fill(dir: &Path, keep: u64) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).expect("filler");
    let chunk = vec![0x5a_u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match file.write(&chunk) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(e) if e.raw_os_error() == Some(28) => break,
            Err(e) => panic!("filling: {e}"),
        }
    }
    let _ = file.sync_all();
    file.set_len(written.saturating_sub(keep))
        .expect("free some");
    path
}
