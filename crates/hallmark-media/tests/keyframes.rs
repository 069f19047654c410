//! Video keyframes through the system's ffmpeg: a generated clip gets perceptual hashes of its
//! sampled keyframes; a re-encoded, smaller copy hashes close to it; hostile input fails cleanly.
//! Skipped without ffmpeg unless `HALLMARK_REQUIRE_ORACLES` is set (CI sets it; `scripts/setup.sh`
//! installs ffmpeg).

use std::path::Path;
use std::process::Command;

use hallmark_media::keyframes::{ffmpeg_path, keyframes};
use hallmark_media::{IngestOptions, MediaType, ingest};

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
    let frames = keyframes(&original, MediaType::Mp4, Some(6_000)).expect("keyframes");
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
    let _ = keyframes(&cut, MediaType::Mp4, Some(6_000));
    let junk = dir.path().join("junk.mp4");
    std::fs::write(&junk, b"\x00\x00\x00\x18ftypmp42 not a real movie").expect("write");
    assert!(keyframes(&junk, MediaType::Mp4, None).map_or(true, |f| f.is_empty()));
}

/// File names a shell or ffmpeg could read as something else than a file.
const TRICKY_NAMES: [&str; 4] = [
    "-",
    "name:clip.mp4",
    "concat:clip.mp4|clip.mp4",
    "clip%d.png",
];
const ENV_CHILD_DIR: &str = "HALLMARK_KEYFRAMES_CHILD_DIR";

/// Issue 20 ("names handed to other programs"): a video whose name looks like an option, a
/// protocol or an image sequence, given as a bare relative name (the working directory is the
/// video's folder, as when a user types `hallmark ingest -- -`), is still read as that file and
/// gets its keyframes: copy detection is not silently switched off by a name.
#[test]
fn a_name_that_looks_like_an_option_or_a_protocol_is_still_the_file() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let original = clip(dir.path());
    for name in TRICKY_NAMES {
        std::fs::copy(&original, dir.path().join(name)).expect("copy");
    }
    let output = Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "--exact",
            "child_reads_tricky_names",
            "--nocapture",
            "--include-ignored",
        ])
        .env(ENV_CHILD_DIR, dir.path())
        .current_dir(dir.path())
        .output()
        .expect("child runs");
    assert!(
        output.status.success() && String::from_utf8_lossy(&output.stdout).contains("1 passed"),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The child of the test above: run in the videos' folder, it asks for each by its bare name.
#[test]
#[ignore = "run by a_name_that_looks_like_an_option_or_a_protocol_is_still_the_file"]
fn child_reads_tricky_names() {
    assert!(
        std::env::var_os(ENV_CHILD_DIR).is_some(),
        "only run as the child"
    );
    for name in TRICKY_NAMES {
        let frames = keyframes(Path::new(name), MediaType::Mp4, Some(6_000))
            .unwrap_or_else(|e| panic!("{name:?}: {e}"));
        assert!(frames.len() >= 2, "{name:?}: {} frames", frames.len());
        let ingested = ingest(Path::new(name), &IngestOptions::default()).expect("ingest");
        assert!(
            ingested.perceptual.is_some(),
            "{name:?}: no appearance hashes"
        );
    }
}
