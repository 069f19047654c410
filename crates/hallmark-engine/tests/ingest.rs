//! Ingest through the engine into both content-store backends: the embedded blockstore and a real
//! Kubo-RPC node (the js-ipfs test daemon that `make test` starts; `HALLMARK_TEST_KUBO_API`).

use std::path::Path;
use std::sync::{Arc, Mutex};

use hallmark_engine::{CancelToken, Config, Engine, IpfsBackend, Progress, Stage};
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

/// What an embedded store and the derivatives folder hold: (pins, blocks nothing references,
/// derivative files).
async fn kept(engine: &Engine) -> (usize, u64, usize) {
    let hallmark_store::AnyStore::Embedded(store) = engine.store() else {
        panic!("the embedded store")
    };
    let pins = engine.store().pin_ls().await.expect("pins").len();
    let loose = store
        .unreferenced_blocks(std::time::Duration::ZERO, false)
        .await
        .expect("collect")
        .blocks;
    let derivatives = std::fs::read_dir(engine.config().derivatives_dir())
        .map(|d| d.count())
        .unwrap_or(0);
    (pins, loose, derivatives)
}

/// Issue 20: a step that fails after the file was hashed and stored (the library refusing the
/// record; a cancel right after hashing) keeps nothing: no pin, no block, no preview or
/// thumbnail file. Before, the blocks stayed unpinned (an hour, then `health --fix`) and the
/// derivatives for good. A work kept before is untouched, and the same file ingests afterwards.
#[tokio::test]
async fn a_failure_after_hashing_keeps_nothing() {
    use hallmark_testkit::pictures;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(Config::embedded(dir.path().join("data")))
        .await
        .expect("open");
    let earlier = dir.path().join("earlier.png");
    pictures::save(&pictures::textured(1200, 800, 1), &earlier);
    engine
        .ingest(&earlier, |_| {})
        .await
        .expect("an earlier work");
    let before = kept(&engine).await;
    assert_eq!(
        before,
        (3, 0, 2),
        "the earlier work, its preview and thumbnail"
    );

    // Noise of over 256 KiB: a DAG of several blocks, a preview and a thumbnail of its own.
    let work = dir.path().join("work.png");
    pictures::save(&pictures::textured(1200, 800, 2), &work);

    // The library refuses the record (a real SQLite trigger on the app's own database).
    let db = rusqlite::Connection::open(engine.config().data_dir.join("hallmark.sqlite"))
        .expect("the library database");
    db.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON library_items
         BEGIN SELECT RAISE(ABORT, 'injected fault'); END;",
    )
    .expect("trigger");
    let refused = engine.ingest(&work, |_| {}).await;
    assert!(refused.is_err(), "the record was refused");
    assert_eq!(
        kept(&engine).await,
        before,
        "nothing of the failed ingest is kept"
    );
    db.execute_batch("DROP TRIGGER refuse").expect("drop");

    // Cancelled once the file is hashed and stored.
    let cancel = CancelToken::new();
    let trip = cancel.clone();
    let cancelled = engine
        .ingest_job(&work, &cancel, move |p| {
            if p.stage == Stage::Hashing && p.done == p.total {
                trip.cancel();
            }
        })
        .await;
    assert!(cancelled.is_err(), "cancelled");
    assert_eq!(
        kept(&engine).await,
        before,
        "nothing of the cancelled ingest is kept"
    );

    // The earlier work is whole, and the file ingests now.
    let bytes = std::fs::read(&earlier).expect("read");
    let earlier_cid = local_cid_v1(&earlier);
    assert_eq!(
        engine
            .read_verified(&earlier_cid, 64 << 20)
            .await
            .expect("read"),
        bytes
    );
    engine
        .ingest(&work, |_| {})
        .await
        .expect("the file ingests");
    assert_eq!(kept(&engine).await, (6, 0, 4));
}
