//! Video keyframes through the system's ffmpeg: a generated clip gets perceptual hashes of its
//! sampled keyframes; a re-encoded, smaller copy hashes close to it; hostile input fails cleanly.
//! Skipped without ffmpeg unless `HALLMARK_REQUIRE_ORACLES` is set (CI sets it; `scripts/setup.sh`
//! installs ffmpeg).

use std::path::Path;
use std::process::Command;

use hallmark_media::keyframes::{ffmpeg_path, keyframes};
use hallmark_media::{IngestOptions, ingest};

fn have_ffmpeg() -> bool {
    if ffmpeg_path().is_some() {
        return true;
    }
    assert!(
        std::env::var_os("HALLMARK_REQUIRE_ORACLES").is_none(),
        "ffmpeg is required here (scripts/setup.sh installs it)"
    );
    eprintln!("SKIPPED: ffmpeg is not installed");
    false
}

fn ffmpeg(args: &[&str]) {
    let status = Command::new(ffmpeg_path().expect("ffmpeg"))
        .args(["-nostdin", "-loglevel", "error", "-y"])
        .args(args)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg {args:?}");
}

fn clip(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("clip.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=640x360:rate=25:duration=6",
        "-c:v",
        "libx264",
        "-g",
        "25",
        "-pix_fmt",
        "yuv420p",
        path.to_str().expect("utf-8"),
    ]);
    path
}

#[test]
fn a_clip_gets_keyframe_hashes_and_its_copy_is_close() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let original = clip(dir.path());
    let frames = keyframes(&original, Some(6_000)).expect("keyframes");
    assert!((2..=5).contains(&frames.len()), "{} frames", frames.len());
    assert!(frames.iter().all(|f| f.width() <= 512 && f.height() > 0));

    let ingested = ingest(&original, &IngestOptions::default()).expect("ingest");
    let p = ingested.perceptual.expect("a video gets perceptual hashes");
    assert!(
        !p.hashes.pdq_frames.is_empty(),
        "further keyframes are hashed"
    );

    let copy = dir.path().join("copy.mp4");
    ffmpeg(&[
        "-i",
        original.to_str().expect("utf-8"),
        "-vf",
        "scale=320:-2",
        "-c:v",
        "libx264",
        "-crf",
        "32",
        "-g",
        "50",
        copy.to_str().expect("utf-8"),
    ]);
    let q = ingest(&copy, &IngestOptions::default())
        .expect("ingest copy")
        .perceptual
        .expect("hashes");
    let best = p
        .hashes
        .pdq_all()
        .iter()
        .flat_map(|a| q.hashes.pdq_all().into_iter().map(move |b| a.distance(&b)))
        .min()
        .expect("hashes");
    assert!(best <= 31, "the re-encoded copy is {best} bits away");
}

#[test]
fn broken_videos_fail_cleanly() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let original = clip(dir.path());
    let bytes = std::fs::read(&original).expect("read");
    let cut = dir.path().join("cut.mp4");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).expect("write");
    // A cut file may still give a few frames or an error, never a panic or a hang.
    let _ = keyframes(&cut, Some(6_000));
    let junk = dir.path().join("junk.mp4");
    std::fs::write(&junk, b"\x00\x00\x00\x18ftypmp42 not a real movie").expect("write");
    assert!(keyframes(&junk, None).map_or(true, |f| f.is_empty()));
}
