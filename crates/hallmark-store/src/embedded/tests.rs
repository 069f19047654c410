//! Unit tests of the embedded store: round trips, verification, crash safety, CAR, pins. What
//! every `ContentStore` promises is also checked, for both backends, by the conformance suite
//! (`tests/conformance.rs`).

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use hallmark_unixfs::{Cid, Codec, ImportSettings, NullSink, import_reader};
use proptest::prelude::*;

use super::EmbeddedStore;
use crate::error::StoreError;
use crate::store::ContentStore;

/// Deterministic, incompressible-looking test bytes.
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    hallmark_testkit::noise_bytes(len, seed)
}

fn local_cid(data: &[u8], settings: &ImportSettings) -> Cid {
    import_reader(data, settings, NullSink)
        .expect("import")
        .root
}

fn open(dir: &Path) -> EmbeddedStore {
    EmbeddedStore::open(dir.join("store")).expect("open")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The file of a leaf block of `root` (a raw leaf for v1, or the root itself for one block).
async fn some_leaf(store: &EmbeddedStore, root: &Cid) -> Cid {
    let store = store.clone();
    let root = *root;
    tokio::task::spawn_blocking(move || {
        let cids = hallmark_unixfs::dag_cids(&root, |c| store.layout.get_block(c)).expect("dag");
        *cids.last().expect("at least one block")
    })
    .await
    .expect("join")
}

#[tokio::test]
async fn bytes_round_trip_for_edge_sizes_in_v0_and_v1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    for settings in [ImportSettings::kubo_v0(), ImportSettings::kubo_v1()] {
        for len in [0, 1, 256 << 10, (256 << 10) + 1, 3 * (1 << 20) + 12_345] {
            let data = bytes(len, len as u64 + 7);
            let added = store.add_bytes(data.clone(), &settings).await.expect("add");
            assert_eq!(added.root, local_cid(&data, &settings), "len {len}");
            assert_eq!(added.size, len as u64);
            assert!(added.blocks >= 1);
            assert!(store.has_block(&added.root).await.expect("has"));
            let root_block = store.get_block(&added.root).await.expect("root block");
            assert_eq!(
                store.block_stat(&added.root).await.expect("stat"),
                root_block.len() as u64
            );
            let back = store
                .read_file(&added.root, len as u64)
                .await
                .expect("read");
            assert!(back == data, "len {len}: the bytes read back differ");
        }
    }
    assert!(
        files_under(&dir.path().join("store/tmp")).is_empty(),
        "no temporary file is left after successful writes"
    );
}

#[tokio::test]
async fn blocks_are_sharded_flatfs_style_and_shared_between_v0_and_v1_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let added = store
        .add_bytes(bytes(300_000, 1), &ImportSettings::kubo_v0())
        .await
        .expect("add");
    let path = store.block_path(&added.root);
    let key = added.root.to_v1().to_string();
    let shard = &key[key.len() - 3..key.len() - 1];
    assert_eq!(path, store.dir().join("blocks").join(shard).join(&key));
    assert!(path.is_file());
    // The same dag-pb block asked for by its CIDv1 is the same file.
    assert_eq!(store.block_path(&added.root.to_v1()), path);
    assert!(store.has_block(&added.root.to_v1()).await.expect("has"));
}

#[tokio::test]
async fn a_file_is_added_as_leaves_and_a_root() {
    // Export, read limits and missing files: the conformance suite (`tests/conformance.rs`).
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let data = bytes(1_300_000, 42);
    let src = dir.path().join("in.bin");
    fs::write(&src, &data).expect("write");
    let added = store
        .add_file(&src, &ImportSettings::kubo_v1())
        .await
        .expect("add");
    assert_eq!(added.root, local_cid(&data, &ImportSettings::kubo_v1()));
    assert_eq!(added.size, data.len() as u64);
    assert_eq!(added.blocks, 6, "5 leaves and a root");
}

#[tokio::test]
async fn a_block_altered_on_disk_is_a_cid_mismatch_never_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let data = bytes(600_000, 3);
    let added = store
        .add_bytes(data.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let leaf = some_leaf(&store, &added.root).await;
    let path = store.block_path(&leaf);
    let mut block = fs::read(&path).expect("read");
    block[100] ^= 0x01;
    fs::write(&path, &block).expect("tamper");

    let e = store.get_block(&leaf).await.expect_err("tampered block");
    let StoreError::CidMismatch {
        expected, actual, ..
    } = &e
    else {
        panic!("expected a CID mismatch, got {e}");
    };
    assert_eq!(*expected, leaf);
    assert_eq!(
        *actual,
        Cid::for_block(leaf.version(), leaf.codec(), &block).expect("cid")
    );
    let e = store
        .read_file(&added.root, 1 << 30)
        .await
        .expect_err("tampered file");
    assert_eq!(e.code(), "store.cid_mismatch", "{e}");

    let dest = dir.path().join("export.bin");
    let e = store
        .export_file_to(&added.root, &dest)
        .await
        .expect_err("tampered export");
    assert_eq!(e.code(), "store.cid_mismatch", "{e}");
    assert!(!dest.exists(), "a failed export leaves no file");
    assert!(
        files_under(dir.path())
            .iter()
            .all(|p| !p.to_string_lossy().contains("partial"))
    );

    let e = store
        .pin_add(&added.root)
        .await
        .expect_err("pin of a damaged DAG");
    assert_eq!(e.code(), "store.cid_mismatch");
    assert!(store.pin_ls().await.expect("pins").is_empty());
}

#[tokio::test]
async fn a_truncated_block_is_refused_and_adding_the_file_again_repairs_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let data = bytes(600_000, 4);
    let added = store
        .add_bytes(data.clone(), &ImportSettings::kubo_v0())
        .await
        .expect("add");
    let leaf = some_leaf(&store, &added.root).await;
    // What a power cut can leave when the data never reached the disk: an empty file.
    fs::write(store.block_path(&leaf), b"").expect("truncate");
    let e = store
        .read_file(&added.root, 1 << 30)
        .await
        .expect_err("truncated");
    assert_eq!(e.code(), "store.cid_mismatch", "{e}");

    let again = store
        .add_bytes(data.clone(), &ImportSettings::kubo_v0())
        .await
        .expect("re-add");
    assert_eq!(again.root, added.root);
    assert!(
        store
            .read_file(&added.root, 1 << 30)
            .await
            .expect("repaired")
            == data
    );
}

#[tokio::test]
async fn missing_blocks_are_not_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let absent =
        Cid::for_block(hallmark_unixfs::CidVersion::V1, Codec::Raw, b"never added").expect("cid");
    assert!(!store.has_block(&absent).await.expect("has"));
    let e = store.get_block(&absent).await.expect_err("absent");
    assert_eq!(e.code(), "store.not_found");
    assert_eq!(
        store.block_stat(&absent).await.expect_err("absent").code(),
        "store.not_found"
    );
    assert_eq!(
        store
            .read_file(&absent, 10)
            .await
            .expect_err("absent")
            .code(),
        "store.not_found"
    );
}

#[tokio::test]
async fn crash_leftovers_are_invisible_and_removed_when_stale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let data = bytes(1000, 6);
    let cid = local_cid(&data, &ImportSettings::kubo_v1());
    // A write interrupted by a crash: half the block in a temporary file, never renamed.
    let tmp = store.dir().join("tmp");
    let stale = tmp.join("put-12345-0-deadbeef");
    fs::write(&stale, &data[..500]).expect("half block");
    let fresh = tmp.join("put-12345-1-deadbeef");
    fs::write(&fresh, &data[..500]).expect("half block");
    let staging = tmp.join("car-import-12345-2-deadbeef");
    fs::create_dir(&staging).expect("mkdir");
    fs::write(staging.join("0"), b"x").expect("staged");
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 60 * 60);
    for path in [&stale, &staging] {
        fs::File::options()
            .write(true)
            .open(path)
            .or_else(|_| fs::File::open(path))
            .and_then(|f| f.set_modified(two_hours_ago))
            .expect("age it");
    }
    assert!(
        !store.has_block(&cid).await.expect("has"),
        "a temporary file is not a block"
    );
    assert_eq!(
        store.get_block(&cid).await.expect_err("absent").code(),
        "store.not_found"
    );
    drop(store);

    let store = open(dir.path());
    assert!(
        !stale.exists() && !staging.exists(),
        "stale leftovers are removed at open"
    );
    assert!(
        fresh.exists(),
        "a young temporary file may belong to a live writer"
    );
    assert_eq!(
        store
            .remove_stale_temps(Duration::ZERO)
            .await
            .expect("clean"),
        1
    );
    assert!(!fresh.exists());
}

#[tokio::test]
async fn car_export_import_round_trip_with_several_roots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = EmbeddedStore::open(dir.path().join("a")).expect("open a");
    let one = bytes(700_000, 8);
    let two = bytes(10, 9);
    let a = source
        .add_bytes(one.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let b = source
        .add_bytes(two.clone(), &ImportSettings::kubo_v0())
        .await
        .expect("add");
    let car = dir.path().join("out.car");
    let count = source
        .export_car(&[a.root, b.root], &car)
        .await
        .expect("export");
    assert_eq!(count, a.blocks + b.blocks);

    let target = EmbeddedStore::open(dir.path().join("b")).expect("open b");
    let roots = target.import_car(&car).await.expect("import");
    assert_eq!(roots, vec![a.root, b.root]);
    assert!(target.read_file(&a.root, 1 << 30).await.expect("read a") == one);
    assert!(target.read_file(&b.root, 1 << 30).await.expect("read b") == two);
    // Importing again is harmless.
    assert_eq!(target.import_car(&car).await.expect("again"), roots);
    assert!(files_under(&target.dir().join("tmp")).is_empty());

    let e = source.export_car(&[], &car).await.expect_err("no roots");
    assert_eq!(e.code(), "store.bad_car");
}

#[tokio::test]
async fn a_tampered_car_imports_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = EmbeddedStore::open(dir.path().join("a")).expect("open a");
    let added = source
        .add_bytes(bytes(900_000, 10), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let car = dir.path().join("out.car");
    source
        .export_car(&[added.root], &car)
        .await
        .expect("export");
    let mut raw = fs::read(&car).expect("read");
    // The last block's data ends the file: flip a byte in it.
    let last = raw.len() - 10;
    raw[last] ^= 0x80;
    let tampered = dir.path().join("tampered.car");
    fs::write(&tampered, &raw).expect("write");

    let target = EmbeddedStore::open(dir.path().join("b")).expect("open b");
    let e = target.import_car(&tampered).await.expect_err("tampered");
    assert!(
        matches!(e.code().as_str(), "store.cid_mismatch" | "store.bad_car"),
        "{e}"
    );
    assert!(
        files_under(&target.dir().join("blocks")).is_empty(),
        "nothing was imported"
    );
    assert!(
        files_under(&target.dir().join("tmp")).is_empty(),
        "staging is cleaned up"
    );

    let truncated = dir.path().join("truncated.car");
    fs::write(&truncated, &fs::read(&car).expect("read")[..raw.len() / 2]).expect("write");
    assert!(target.import_car(&truncated).await.is_err());
    assert!(
        files_under(&target.dir().join("blocks")).is_empty(),
        "nothing was imported"
    );
}

#[tokio::test]
async fn a_car_without_its_root_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = b"a block".to_vec();
    let block_cid =
        Cid::for_block(hallmark_unixfs::CidVersion::V1, Codec::Raw, &data).expect("cid");
    let other_root =
        Cid::for_block(hallmark_unixfs::CidVersion::V1, Codec::Raw, b"elsewhere").expect("cid");
    let car = dir.path().join("rootless.car");
    let mut writer =
        hallmark_unixfs::CarWriter::new(fs::File::create(&car).expect("create"), &[other_root])
            .expect("car");
    writer.write_block(&block_cid, &data).expect("block");
    writer.finish().expect("finish");
    let store = open(dir.path());
    let e = store.import_car(&car).await.expect_err("root missing");
    assert_eq!(e.code(), "store.bad_car");
    assert!(e.to_string().contains(&other_root.to_string()), "{e}");
    assert!(!store.has_block(&block_cid).await.expect("has"));
}

#[tokio::test]
async fn pins_add_list_remove_and_survive_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let a = store
        .add_bytes(bytes(400_000, 11), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let b = store
        .add_bytes(bytes(5, 12), &ImportSettings::kubo_v0())
        .await
        .expect("add");
    assert!(store.pin_ls().await.expect("ls").is_empty());
    store.pin_add(&a.root).await.expect("pin a");
    store.pin_add(&b.root).await.expect("pin b");
    store.pin_add(&a.root).await.expect("pinning twice is fine");
    let mut expected = vec![a.root, b.root];
    expected.sort();
    assert_eq!(store.pin_ls().await.expect("ls"), expected);
    assert!(store.dir().join("pins").join(a.root.to_string()).is_file());

    let reopened = open(dir.path());
    assert_eq!(reopened.pin_ls().await.expect("ls"), expected);
    reopened.pin_rm(&a.root).await.expect("unpin");
    assert_eq!(reopened.pin_ls().await.expect("ls"), vec![b.root]);
    let e = reopened.pin_rm(&a.root).await.expect_err("not pinned");
    assert!(
        matches!(e, StoreError::NotPinned { cid } if cid == a.root),
        "{e}"
    );
}

#[tokio::test]
async fn pinning_an_incomplete_dag_fails_and_records_no_pin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let added = store
        .add_bytes(bytes(600_000, 13), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let leaf = some_leaf(&store, &added.root).await;
    fs::remove_file(store.block_path(&leaf)).expect("remove a leaf");
    let e = store.pin_add(&added.root).await.expect_err("incomplete");
    assert_eq!(e.code(), "store.not_found", "{e}");
    assert!(store.pin_ls().await.expect("ls").is_empty());
    let absent =
        Cid::from_str("bafkreigks6arfsq3xxfpvqrrwonchxcnu6do76auprhhfomao6c273sixm").expect("cid");
    assert_eq!(
        store.pin_add(&absent).await.expect_err("absent").code(),
        "store.not_found"
    );
}

#[tokio::test]
async fn the_block_sink_stores_what_the_importer_produces_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let data = bytes(800_000, 14);
    let sink = store.block_sink();
    let owned = data.clone();
    let imported = tokio::task::spawn_blocking(move || {
        import_reader(&owned[..], &ImportSettings::kubo_v1(), sink).expect("import")
    })
    .await
    .expect("join");
    assert_eq!(imported.sink.new_blocks(), imported.blocks);
    assert!(
        store
            .read_file(&imported.root, 1 << 30)
            .await
            .expect("read")
            == data
    );

    let sink = store.block_sink();
    let again = tokio::task::spawn_blocking(move || {
        import_reader(&data[..], &ImportSettings::kubo_v1(), sink).expect("import")
    })
    .await
    .expect("join");
    assert_eq!(
        again.sink.new_blocks(),
        0,
        "blocks already stored are not written again"
    );
}

#[tokio::test]
async fn ping_checks_the_folder_is_writable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    store.ping().await.expect("writable");
    assert_eq!(store.backend_name(), "embedded");
    fs::remove_dir_all(store.dir()).expect("remove the store folder");
    assert_eq!(store.ping().await.expect_err("gone").code(), "store.io");
}

fn small_tree_settings(v1: bool) -> ImportSettings {
    let mut settings = if v1 {
        ImportSettings::kubo_v1()
    } else {
        ImportSettings::kubo_v0()
    };
    settings.chunk_size = 1024;
    settings.max_links = 4;
    settings
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the size and tree shape, what goes in comes back out, under the CID the
    /// importer computes without a store.
    #[test]
    fn any_bytes_round_trip(len in 0usize..40_000, seed in any::<u64>(), v1 in any::<bool>()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let dir = tempfile::tempdir().expect("tempdir");
        let store = open(dir.path());
        let data = bytes(len, seed);
        let settings = small_tree_settings(v1);
        let (added, back) = runtime.block_on(async {
            let added = store.add_bytes(data.clone(), &settings).await.expect("add");
            let back = store.read_file(&added.root, len as u64).await.expect("read");
            (added, back)
        });
        prop_assert_eq!(added.root, local_cid(&data, &settings));
        prop_assert!(back == data);
    }
}

/// Sets every block file's modification time back by two hours (older than the grace).
fn age_blocks(store: &EmbeddedStore) {
    let old = SystemTime::now() - Duration::from_secs(2 * 3600);
    for file in files_under(&store.dir().join("blocks")) {
        fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_modified(old))
            .expect("age the block");
    }
}

/// Issue 20: blocks nothing references (a write refused after storing them) are found once
/// they are older than the grace, removed by a fix, and never a block of a pinned DAG or of a
/// root the read-through cache recorded; a young one may belong to a write in progress.
#[tokio::test]
async fn unreferenced_blocks_are_found_and_removed_and_pinned_ones_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let pinned = store
        .add_bytes(bytes(700_000, 21), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    store.pin_add(&pinned.root).await.expect("pin");
    let stray = store
        .add_bytes(bytes(600_000, 22), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let young = super::collect::UNREFERENCED_GRACE;
    let found = store.unreferenced_blocks(young, false).await.expect("scan");
    assert_eq!(found.blocks, 0, "young blocks may be a write in progress");

    age_blocks(&store);
    let found = store.unreferenced_blocks(young, false).await.expect("scan");
    assert_eq!(found.blocks, stray.blocks, "{found:?}");
    assert!(found.bytes >= 600_000 && !found.removed);
    assert!(
        store.has_block(&stray.root).await.expect("has"),
        "only counted"
    );

    let removed = store.unreferenced_blocks(young, true).await.expect("fix");
    assert_eq!((removed.blocks, removed.removed), (stray.blocks, true));
    assert!(!store.has_block(&stray.root).await.expect("has"));
    assert_eq!(
        store.read_file(&pinned.root, 1 << 30).await.expect("read"),
        bytes(700_000, 21),
        "the pinned work is whole"
    );
    let again = store.unreferenced_blocks(young, true).await.expect("scan");
    assert_eq!(again.blocks, 0);
}

/// The blocks a sink wrote can be discarded (a refused ingest), except those a pin needs.
#[tokio::test]
async fn a_refused_writes_blocks_are_discarded_but_not_a_pinned_works() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path());
    let shared = bytes(300_000, 23);
    let pinned = store
        .add_bytes(shared.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    store.pin_add(&pinned.root).await.expect("pin");
    let mut refused = shared;
    refused.extend(bytes(500_000, 24));
    let sink = store.block_sink();
    let written = sink.written();
    let imported = tokio::task::spawn_blocking(move || {
        import_reader(&refused[..], &ImportSettings::kubo_v1(), sink).expect("import")
    })
    .await
    .expect("join");
    let cids = written.take();
    assert_eq!(cids.len() as u64, imported.sink.new_blocks());
    let removed = store.discard(cids).await.expect("discard");
    assert_eq!(removed as u64, imported.sink.new_blocks());
    assert!(!store.has_block(&imported.root).await.expect("has"));
    assert_eq!(
        store
            .read_file(&pinned.root, 1 << 30)
            .await
            .expect("read")
            .len(),
        300_000
    );
    age_blocks(&store);
    assert_eq!(
        store
            .unreferenced_blocks(super::collect::UNREFERENCED_GRACE, false)
            .await
            .expect("scan")
            .blocks,
        0,
        "nothing of the refused write is left"
    );
}

/// A CAR may carry blocks outside its roots' DAGs: only the DAGs' blocks are kept.
#[tokio::test]
async fn a_car_keeps_only_the_blocks_of_its_roots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = bytes(500_000, 25);
    let root = local_cid(&data, &ImportSettings::kubo_v1());
    let source = EmbeddedStore::open(dir.path().join("source")).expect("open");
    let added = source
        .add_bytes(data, &ImportSettings::kubo_v1())
        .await
        .expect("add");
    assert_eq!(added.root, root);
    let car = dir.path().join("work.car");
    source.export_car(&[root], &car).await.expect("export");
    // Append 50 blocks nothing links to.
    let mut raw = fs::read(&car).expect("read");
    let mut extra = Vec::new();
    for seed in 0..50u64 {
        let block = bytes(1000, 100 + seed);
        let cid = Cid::for_block(hallmark_unixfs::CidVersion::V1, Codec::Raw, &block).expect("cid");
        let mut section = cid.to_bytes();
        section.extend_from_slice(&block);
        let mut varint = Vec::new();
        let mut n = section.len() as u64;
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                varint.push(byte);
                break;
            }
            varint.push(byte | 0x80);
        }
        raw.extend(varint);
        raw.extend(section);
        extra.push(cid);
    }
    let padded = dir.path().join("padded.car");
    fs::write(&padded, raw).expect("write");
    let target = open(dir.path());
    assert_eq!(
        target.import_car(&padded).await.expect("import"),
        vec![root]
    );
    for cid in &extra {
        assert!(!target.has_block(cid).await.expect("has"), "{cid} kept");
    }
    assert_eq!(
        target.read_file(&root, 1 << 30).await.expect("read"),
        bytes(500_000, 25)
    );
    assert_eq!(
        files_under(&target.dir().join("blocks")).len() as u64,
        added.blocks
    );
}
