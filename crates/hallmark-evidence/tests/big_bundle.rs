//! A large bundle is held in memory once while it is verified: its files are slices of the
//! file's bytes, and the container check compares headers without a canonical copy (issue 20;
//! before, a bundle was held three times, then twice). Alone in its test binary so the peak RSS
//! measures this verification only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Instant;

use hallmark_evidence::{BundleFiles, VerifyOptions, verify_file};

const MEDIA_BYTES: usize = 96 * 1024 * 1024;
const MIB: u64 = 1024 * 1024;

/// Current and peak resident set size of this process, in bytes.
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| -> u64 {
        let line = status.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap()
            * 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[test]
fn a_large_bundle_is_held_once_while_verified() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("big.zip");
    {
        // Media of varied bytes (not a page the kernel could share), three small documents.
        let media: Vec<u8> = (0..MEDIA_BYTES)
            .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3])
            .collect();
        let mut files = BTreeMap::new();
        files.insert("evidence.json".to_owned(), b"{}".to_vec());
        files.insert("seal.json".to_owned(), b"{}".to_vec());
        files.insert("metadata.json".to_owned(), b"{}".to_vec());
        files.insert("media/work.bin".to_owned(), media);
        let bytes = BundleFiles { files }.to_bytes().unwrap();
        std::fs::write(&path, bytes).unwrap();
    }
    // Reset the peak to what the process holds now (Linux 4.0+: "5" resets VmHWM).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let (before, reset_peak) = rss();
    assert!(reset_peak < before + 16 * MIB, "the peak was not reset");

    let started = Instant::now();
    let (report, _) = verify_file(&path, &VerifyOptions::default()).expect("a bundle");
    let elapsed = started.elapsed();
    let (_, peak) = rss();
    let held = peak.saturating_sub(before);
    eprintln!(
        "a {} MiB bundle verified in {:.2} s, peak {} MiB over the {} MiB before",
        std::fs::metadata(&path).unwrap().len() / MIB,
        elapsed.as_secs_f64(),
        held / MIB,
        before / MIB
    );
    // Every check ran over the bytes: the container is canonical, the documents are not evidence.
    let container = report.checks.iter().find(|c| c.id == "container").unwrap();
    assert_eq!(
        container.status,
        hallmark_evidence::Status::Pass,
        "{container:?}"
    );
    assert!(report.bundle_sha256.is_some());
    // Once: the file's bytes and a little more; twice would be 192 MiB.
    let bound = MEDIA_BYTES as u64 * 5 / 4;
    assert!(
        held < bound,
        "verification held {} MiB for a {} MiB bundle",
        held / MIB,
        MEDIA_BYTES as u64 / MIB
    );
}
