//! Ingest of generated fixtures of every accepted type, and refusal of every kind of bad input.
#![allow(clippy::unwrap_used)]

#[path = "common/fixtures.rs"]
mod fixtures;

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use hallmark_media::{
    IngestOptions, Ingested, Limits, MediaError, MediaKind, MediaType, ingest, ingest_with_sink,
};
use hallmark_unixfs::{BlockSink, Cid, ImportSettings, NullSink, import_reader};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    path
}

fn options(derivatives: Option<&Path>) -> IngestOptions {
    IngestOptions {
        limits: Limits::default(),
        derivatives_dir: derivatives.map(Path::to_owned),
    }
}

/// Ingests `bytes` written to `name`, checking the identity fields against independent
/// computations.
fn ingest_bytes(name: &str, bytes: &[u8]) -> Ingested {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, name, bytes);
    let ingested = ingest(&path, &options(None)).unwrap();
    assert_eq!(ingested.size, bytes.len() as u64);
    assert_eq!(ingested.sha256, hex::encode(Sha256::digest(bytes)));
    let v1 = import_reader(bytes, &ImportSettings::kubo_v1(), NullSink)
        .unwrap()
        .root;
    let v0 = import_reader(bytes, &ImportSettings::kubo_v0(), NullSink)
        .unwrap()
        .root;
    assert_eq!(ingested.cid_v1, v1);
    assert_eq!(ingested.cid_v0, v0);
    assert_eq!(ingested.import_settings, ImportSettings::kubo_v1());
    assert_eq!(ingested.file_name, name);
    assert_eq!(ingested.mime, ingested.media_type.mime());
    assert_eq!(ingested.kind, ingested.media_type.kind());
    ingested
}

#[test]
fn images_of_every_format_report_type_and_dimensions() {
    let cases = [
        ("a.png", fixtures::png(300, 200), MediaType::Png),
        ("a.jpg", fixtures::jpeg(64, 48), MediaType::Jpeg),
        ("a.webp", fixtures::webp(33, 17), MediaType::WebP),
        ("a.gif", fixtures::gif(20, 10, 3), MediaType::Gif),
    ];
    for (name, bytes, expected) in cases {
        let ingested = ingest_bytes(name, &bytes);
        assert_eq!(ingested.media_type, expected, "{name}");
        assert_eq!(ingested.kind, MediaKind::Image);
        let (w, h) = image::load_from_memory(&bytes)
            .unwrap()
            .to_rgb8()
            .dimensions();
        assert_eq!(
            (ingested.width, ingested.height),
            (Some(w), Some(h)),
            "{name}"
        );
        assert_eq!(ingested.duration_ms, None);
        assert!(ingested.thumbnail.is_none() && ingested.preview.is_none());
    }
    assert_eq!(
        ingest_bytes("a.gif", &fixtures::gif(8, 8, 7)).frames,
        Some(7)
    );
}

#[test]
fn audio_and_video_report_known_durations() {
    let cases: [(&str, Vec<u8>, MediaType, u64, bool); 8] = [
        (
            "a.wav",
            fixtures::wav(8000, 1, 1250),
            MediaType::Wav,
            1250,
            false,
        ),
        (
            "a.flac",
            fixtures::flac(48_000, 3_500),
            MediaType::Flac,
            3500,
            false,
        ),
        (
            "a.mp3",
            fixtures::mp3_xing(383),
            MediaType::Mp3,
            383 * 1152 * 1000 / 44_100,
            false,
        ),
        // 100 frames × 417 bytes at 16 000 bytes/s
        ("b.mp3", fixtures::mp3_cbr(100), MediaType::Mp3, 2606, true),
        (
            "a.ogg",
            fixtures::ogg_vorbis(44_100, 2_000),
            MediaType::Ogg,
            2000,
            false,
        ),
        (
            "a.opus",
            fixtures::ogg_opus(1_500),
            MediaType::Ogg,
            1500,
            false,
        ),
        (
            "a.mp4",
            fixtures::mp4(640, 360, 4_000, 0),
            MediaType::Mp4,
            4000,
            false,
        ),
        (
            "a.webm",
            fixtures::webm(320, 240, 2_750),
            MediaType::WebM,
            2750,
            false,
        ),
    ];
    for (name, bytes, expected, ms, estimated) in cases {
        let ingested = ingest_bytes(name, &bytes);
        assert_eq!(ingested.media_type, expected, "{name}");
        assert_eq!(ingested.duration_ms, Some(ms), "{name}");
        assert_eq!(ingested.duration_estimated, estimated, "{name}");
    }
    let mp4 = ingest_bytes("v1.mp4", &fixtures::mp4(1920, 1080, 61_000, 1));
    assert_eq!(
        (mp4.width, mp4.height, mp4.duration_ms),
        (Some(1920), Some(1080), Some(61_000))
    );
    assert_eq!(mp4.kind, MediaKind::Video);
    let webm = ingest_bytes("a.webm", &fixtures::webm(320, 240, 10));
    assert_eq!((webm.width, webm.height), (Some(320), Some(240)));
}

#[test]
fn the_name_never_decides_the_type() {
    let ingested = ingest_bytes("song.mp3", &fixtures::png(10, 10));
    assert_eq!(ingested.media_type, MediaType::Png);
    assert_eq!(ingested.mime, "image/png");
    assert_eq!(ingested.file_name, "song.mp3");
}

#[test]
fn derivatives_fit_never_upscale_and_are_named_by_content() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("derivatives");
    let path = write(&dir, "wide.png", &fixtures::png(2400, 600));
    let ingested = ingest(&path, &options(Some(&out))).unwrap();
    let preview = ingested.preview.clone().unwrap();
    let thumbnail = ingested.thumbnail.clone().unwrap();
    assert_eq!((preview.width, preview.height), (1024, 256));
    assert_eq!((thumbnail.width, thumbnail.height), (256, 64));
    for derivative in [&preview, &thumbnail] {
        let bytes = fs::read(&derivative.path).unwrap();
        assert_eq!(bytes.len() as u64, derivative.bytes);
        assert_eq!(derivative.mime, "image/png");
        let cid = import_reader(bytes.as_slice(), &ImportSettings::kubo_v1(), NullSink)
            .unwrap()
            .root;
        assert_eq!(cid, derivative.cid);
        assert_eq!(derivative.path, out.join(format!("{cid}.png")));
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (derivative.width, derivative.height)
        );
    }
    // small images keep their size
    let path = write(&dir, "small.gif", &fixtures::gif(40, 30, 2));
    let small = ingest(&path, &options(Some(&out))).unwrap();
    assert_eq!(
        small.thumbnail.as_ref().map(|t| (t.width, t.height)),
        Some((40, 30))
    );
    assert_eq!(
        small.preview.as_ref().map(|t| (t.width, t.height)),
        Some((40, 30))
    );
    // the serde form round-trips
    let json = serde_json::to_string(&ingested).unwrap();
    assert_eq!(serde_json::from_str::<Ingested>(&json).unwrap(), ingested);
}

#[test]
fn exif_orientation_is_applied_to_derivatives() {
    // A 60×20 JPEG with an APP1 EXIF segment saying "rotate 90° clockwise" (orientation 6).
    let jpeg = fixtures::jpeg(60, 20);
    let mut exif = b"Exif\0\0MM\0\x2A\0\0\0\x08\0\x01".to_vec();
    exif.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, 6, 0, 0]);
    exif.extend_from_slice(&[0, 0, 0, 0]);
    let mut with_exif = jpeg[..2].to_vec();
    with_exif.extend_from_slice(&[0xFF, 0xE1]);
    with_exif.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    with_exif.extend(exif);
    with_exif.extend_from_slice(&jpeg[2..]);
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "rotated.jpg", &with_exif);
    let ingested = ingest(&path, &options(Some(dir.path()))).unwrap();
    assert_eq!((ingested.width, ingested.height), (Some(60), Some(20)));
    let preview = ingested.preview.unwrap();
    assert_eq!((preview.width, preview.height), (20, 60));
}

#[test]
fn blocks_go_to_the_sink_and_progress_reaches_the_total() {
    #[derive(Default)]
    struct Collect(Vec<(Cid, Vec<u8>)>);
    impl BlockSink for Collect {
        type Error = std::io::Error;
        fn put(&mut self, cid: &Cid, block: &[u8]) -> Result<(), Self::Error> {
            self.0.push((*cid, block.to_vec()));
            Ok(())
        }
    }
    let dir = TempDir::new().unwrap();
    let bytes = fixtures::wav(44_100, 2, 8_000); // ~1.4 MB: two reads, several blocks
    let path = write(&dir, "long.wav", &bytes);
    let mut calls = Vec::new();
    let (ingested, sink) = ingest_with_sink(&path, &options(None), Collect::default(), |d, t| {
        calls.push((d, t))
    })
    .unwrap();
    assert!(sink.0.len() > 2, "{} blocks", sink.0.len());
    assert!(sink.0.iter().any(|(cid, _)| *cid == ingested.cid_v1));
    for (cid, block) in &sink.0 {
        cid.verify(block).unwrap();
    }
    assert_eq!(calls.first(), Some(&(0, bytes.len() as u64)));
    assert_eq!(
        calls.last(),
        Some(&(bytes.len() as u64, bytes.len() as u64))
    );
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
}

#[test]
fn sink_failures_are_store_errors() {
    #[derive(Debug)]
    struct Full;
    impl BlockSink for Full {
        type Error = std::io::Error;
        fn put(&mut self, _: &Cid, _: &[u8]) -> Result<(), Self::Error> {
            Err(std::io::Error::other("disk full"))
        }
    }
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "a.wav", &fixtures::wav(8000, 1, 100));
    let err = ingest_with_sink(&path, &options(None), Full, |_, _| {}).unwrap_err();
    assert_eq!(err.code(), "media.store");
    assert!(err.to_string().contains("disk full"), "{err}");
}

/// Ingests `path` and returns the error, checking that the message names the file.
fn refused(path: &Path, options: &IngestOptions) -> MediaError {
    let err = ingest(path, options).unwrap_err();
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "message does not name the file: {err}"
    );
    assert_eq!(err.path(), path);
    err
}

#[test]
fn bad_inputs_are_refused_with_distinct_codes() {
    let dir = TempDir::new().unwrap();
    let o = options(None);
    let png = fixtures::png(64, 64);
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("empty.png", Vec::new(), "media.empty", "empty"),
        (
            "truncated.png",
            png[..png.len() / 2].to_vec(),
            "media.corrupt",
            "damaged or truncated",
        ),
        (
            "huge.png",
            fixtures::png_claiming(50_000, 50_000),
            "media.pixel_limit",
            "50000×50000",
        ),
        (
            "logo.svg",
            fixtures::SVG.to_vec(),
            "media.unsupported_type",
            "SVG is not accepted: Hallmark never renders SVG documents",
        ),
        (
            "page.html",
            fixtures::HTML.to_vec(),
            "media.unsupported_type",
            "HTML document",
        ),
        (
            "picture.png",
            b"%PDF-1.4\n".to_vec(),
            "media.unsupported_type",
            "PDF",
        ),
        (
            "song.mp3",
            b"PK\x03\x04rest".to_vec(),
            "media.unsupported_type",
            "ZIP",
        ),
        (
            "run.png",
            b"\x7FELF\x02\x01\x01".to_vec(),
            "media.unsupported_type",
            "program",
        ),
        (
            "notes.txt",
            b"just some text".to_vec(),
            "media.unsupported_type",
            "not recognised",
        ),
    ];
    for (name, bytes, code, words) in cases {
        let path = write(&dir, name, &bytes);
        let err = refused(&path, &o);
        assert_eq!(err.code(), code, "{name}: {err}");
        assert!(err.to_string().contains(words), "{name}: {err}");
        assert!(err.is_bad_input());
    }
}

#[test]
fn missing_directories_fifos_and_dangling_links_are_refused() {
    let dir = TempDir::new().unwrap();
    let o = options(None);
    assert_eq!(
        refused(&dir.path().join("nope.png"), &o).code(),
        "media.not_found"
    );
    assert_eq!(refused(dir.path(), &o).code(), "media.is_directory");
    // Tests run as root, where chmod 000 does not stop reading: a dangling symlink and a FIFO
    // are paths that exist but cannot be read as media files for everyone.
    let link = dir.path().join("dangling.png");
    std::os::unix::fs::symlink(dir.path().join("gone.png"), &link).unwrap();
    let err = refused(&link, &o);
    assert_eq!(err.code(), "media.unreadable");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    let fifo = dir.path().join("pipe.png");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let err = refused(&fifo, &o);
    assert_eq!(err.code(), "media.unreadable");
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[test]
fn limits_are_enforced_before_decoding() {
    let dir = TempDir::new().unwrap();
    let tight = IngestOptions {
        limits: Limits {
            max_file_bytes: 1000,
            max_image_file_bytes: 500,
            max_pixels: 10_000,
            max_side: 120,
            max_gif_frames: 4,
            max_decode_bytes: 1 << 20,
        },
        derivatives_dir: None,
    };
    let wav = write(&dir, "long.wav", &fixtures::wav(8000, 1, 1000));
    let err = refused(&wav, &tight);
    assert_eq!(err.code(), "media.too_large");
    assert!(err.to_string().contains("limit of 1000 bytes"), "{err}");
    let png = write(&dir, "a.png", &fixtures::png(200, 2));
    assert_eq!(refused(&png, &tight).code(), "media.too_large"); // over the image limit
    let side = write(&dir, "side.png", &fixtures::png_claiming(121, 2));
    let err = refused(&side, &tight);
    assert_eq!(err.code(), "media.pixel_limit");
    assert!(err.to_string().contains("per side"), "{err}");
    let area = write(&dir, "area.png", &fixtures::png_claiming(101, 100));
    assert!(refused(&area, &tight).to_string().contains("megapixels"));
    let gif = fixtures::gif(2, 2, 5);
    let roomy = IngestOptions {
        limits: Limits {
            max_gif_frames: 4,
            ..Limits::default()
        },
        derivatives_dir: None,
    };
    let path = write(&dir, "many.gif", &gif);
    assert_eq!(refused(&path, &roomy).code(), "media.frame_limit");
}

#[test]
fn a_fifty_thousand_pixel_square_is_refused_quickly() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "bomb.png", &fixtures::png_claiming(50_000, 50_000));
    let started = std::time::Instant::now();
    let err = refused(&path, &options(Some(dir.path())));
    assert_eq!(err.code(), "media.pixel_limit");
    // Allocating 7.5 GB of pixels would take far longer (or fail).
    assert!(started.elapsed().as_millis() < 2000);
    assert!(
        fs::read_dir(dir.path()).unwrap().count() == 1,
        "no derivative written"
    );
}

#[test]
fn cids_parse_back_from_their_display_form() {
    let ingested = ingest_bytes("a.wav", &fixtures::wav(8000, 1, 10));
    assert_eq!(
        Cid::from_str(&ingested.cid_v1.to_string()).unwrap(),
        ingested.cid_v1
    );
    assert!(ingested.cid_v0.to_string().starts_with("Qm"));
}
