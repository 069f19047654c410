//! A 2 GiB video (a sparse file: an MP4 header, then zeros) is ingested in bounded memory.
//! Alone in its test binary so the process's peak RSS measures this ingest only.
#![allow(clippy::unwrap_used)]

use std::fs::File;
use std::io::Write;
use std::time::Instant;

use hallmark_media::{IngestOptions, MediaType, ingest_with_sink};
use hallmark_unixfs::NullSink;

const SIZE: u64 = 2 * 1024 * 1024 * 1024;

/// Peak resident set size of this process, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

#[test]
fn two_gib_video_in_bounded_memory() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("big.mp4");
    let mut file = File::create(&path).unwrap();
    file.write_all(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2")
        .unwrap();
    // an `mdat` box with a 64-bit size covering the rest of the file
    file.write_all(&1u32.to_be_bytes()).unwrap();
    file.write_all(b"mdat").unwrap();
    file.write_all(&(SIZE - 24).to_be_bytes()).unwrap();
    file.set_len(SIZE).unwrap();
    drop(file);

    let before = peak_rss();
    let started = Instant::now();
    let mut calls = 0u64;
    let mut last = (0, 0);
    let (ingested, _) = ingest_with_sink(&path, &IngestOptions::default(), NullSink, |d, t| {
        calls += 1;
        last = (d, t);
    })
    .unwrap();
    let elapsed = started.elapsed();
    let peak = peak_rss();
    eprintln!(
        "2 GiB ingest: {:.1} s ({:.0} MB/s), peak RSS {} MiB (before {} MiB), {calls} progress calls",
        elapsed.as_secs_f64(),
        SIZE as f64 / 1e6 / elapsed.as_secs_f64(),
        peak >> 20,
        before >> 20
    );
    assert_eq!(ingested.media_type, MediaType::Mp4);
    assert_eq!(ingested.size, SIZE);
    assert_eq!(last, (SIZE, SIZE));
    assert_eq!(calls, SIZE / (1024 * 1024) + 1);
    assert!(
        peak < 64 * 1024 * 1024 + before,
        "peak RSS {} MiB",
        peak >> 20
    );
}
