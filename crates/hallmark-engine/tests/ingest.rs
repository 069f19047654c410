//! Ingest through the engine into both content-store backends: the embedded blockstore and a real
//! Kubo-RPC node (the js-ipfs test daemon that `make test` starts; `HALLMARK_TEST_KUBO_API`).

use std::path::Path;
use std::sync::{Arc, Mutex};

use hallmark_engine::{Config, Engine, IpfsBackend, Progress, Stage};
use hallmark_store::ContentStore;
use hallmark_unixfs::{ImportSettings, NullSink, import_reader};

fn write_png(path: &Path, width: u32, height: u32) {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 3 % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    img.save(path).expect("write png");
}

fn local_cid_v1(path: &Path) -> hallmark_unixfs::Cid {
    let file = std::fs::File::open(path).expect("open");
    import_reader(file, &ImportSettings::kubo_v1(), NullSink)
        .expect("import")
        .root
}

async fn ingest_and_check(engine: &Engine, dir: &Path) {
    let png = dir.join("work.png");
    write_png(&png, 1600, 900);
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let record = Arc::clone(&seen);
    let ingested = engine
        .ingest(&png, move |p| record.lock().expect("lock").push(p))
        .await
        .expect("ingest");

    assert_eq!(ingested.cid_v1, local_cid_v1(&png));
    assert_eq!((ingested.width, ingested.height), (Some(1600), Some(900)));
    let bytes = std::fs::read(&png).expect("read");
    let stored = engine
        .read_verified(&ingested.cid_v1, 64 << 20)
        .await
        .expect("read back");
    assert_eq!(stored, bytes, "the store returns the exact bytes");
    assert!(
        engine
            .store()
            .pin_ls()
            .await
            .expect("pins")
            .contains(&ingested.cid_v1)
    );

    let thumbnail = ingested
        .thumbnail
        .as_ref()
        .expect("a thumbnail for an image");
    let thumb_cid = local_cid_v1(&thumbnail.path);
    let thumb = engine
        .read_verified(&thumb_cid, 8 << 20)
        .await
        .expect("thumbnail stored");
    let decoded = image::load_from_memory(&thumb).expect("thumbnail decodes");
    assert!(decoded.width() <= 256 && decoded.height() <= 256);

    let stages: Vec<Stage> = seen.lock().expect("lock").iter().map(|p| p.stage).collect();
    assert_eq!(stages.first(), Some(&Stage::Hashing));
    assert_eq!(stages.last(), Some(&Stage::Done));
}

#[tokio::test]
async fn ingest_into_the_embedded_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(Config::embedded(dir.path().join("data")))
        .await
        .expect("open");
    ingest_and_check(&engine, dir.path()).await;
}

#[tokio::test]
async fn ingest_into_a_kubo_node() {
    let api_url = std::env::var("HALLMARK_TEST_KUBO_API").expect(
        "HALLMARK_TEST_KUBO_API is not set: run the tests with `make test`, which starts the js-ipfs test daemon",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = Config::embedded(dir.path().join("data"));
    config.ipfs = IpfsBackend::Kubo { api_url };
    let engine = Engine::open(config).await.expect("open");
    ingest_and_check(&engine, dir.path()).await;
}

#[tokio::test]
async fn refused_media_keeps_its_code_through_the_engine() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(Config::embedded(dir.path().join("data")))
        .await
        .expect("open");
    let svg = dir.path().join("drawing.png");
    std::fs::write(
        &svg,
        br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
    )
    .expect("write");
    let err = engine
        .ingest(&svg, |_| {})
        .await
        .expect_err("svg is refused");
    assert_eq!(err.code(), "media.unsupported_type");
    assert!(err.to_string().contains("SVG"), "{err}");

    let missing = engine
        .ingest(&dir.path().join("nope.png"), |_| {})
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), "media.not_found");
}
