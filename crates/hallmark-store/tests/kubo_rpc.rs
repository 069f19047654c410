//! Integration tests of what only `KuboStore` does, against a real node: the js-ipfs 0.66 test
//! daemon. What every [`ContentStore`] promises is checked for both backends by the conformance
//! suite (`tests/conformance.rs`).
//!
//! The node's API URL comes from `HALLMARK_TEST_KUBO_API` (`make test` starts the daemon and sets
//! it). When it is unset, the test starts the daemon itself on the test ports with
//! `tools/ipfs/setup-ipfs.sh start` (tools in `$HALLMARK_IPFS_DIR`, default
//! `~/.local/hallmark-tools/ipfs`), under a lock file so only one test process starts it. Missing
//! tools fail the tests with instructions; nothing is skipped.

mod common;

use std::fs;

use common::{fresh_bytes, local_cid, node};
use hallmark_store::{ContentStore, EmbeddedStore, StoreError};
use hallmark_unixfs::ImportSettings;

#[tokio::test]
async fn a_node_with_other_import_settings_is_a_cid_mismatch() {
    // js-ipfs has no max-file-links option: it always builds 174-link nodes, so a 4-link tree
    // (which our importer builds) comes back under another CID and must be refused.
    let store = node().await;
    let mut settings = ImportSettings::kubo_v1();
    settings.chunk_size = 1024;
    settings.max_links = 4;
    let data = fresh_bytes(10 * 1024);
    let e = store
        .add_bytes(data.clone(), &settings)
        .await
        .expect_err("different tree");
    let StoreError::CidMismatch {
        expected, actual, ..
    } = &e
    else {
        panic!("expected a CID mismatch, got {e}");
    };
    assert_eq!(*expected, local_cid(&data, &settings));
    assert_ne!(actual, expected);
    assert!(e.to_string().contains("import settings"), "{e}");
}

#[tokio::test]
async fn car_import_pins_the_roots_and_a_tampered_car_is_refused() {
    let store = node().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let embedded = EmbeddedStore::open(dir.path().join("local")).expect("open");
    let data = fresh_bytes(700_000);
    let added = embedded
        .add_bytes(data.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let car = dir.path().join("work.car");
    embedded
        .export_car(&[added.root], &car)
        .await
        .expect("export");

    let mut raw = fs::read(&car).expect("read");
    let at = raw.len() - 10;
    raw[at] ^= 0x01;
    let tampered = dir.path().join("tampered.car");
    fs::write(&tampered, &raw).expect("write");
    let e = store.add_car(&tampered).await.expect_err("tampered");
    assert!(
        matches!(e.code().as_str(), "store.cid_mismatch" | "store.bad_car"),
        "{e}"
    );
    assert!(
        !store.has_block(&added.root).await.expect("has"),
        "nothing was uploaded"
    );

    let roots = store.add_car(&car).await.expect("import");
    assert_eq!(roots, vec![added.root]);
    assert!(store.pin_ls().await.expect("ls").contains(&added.root));
    assert!(store.read_file(&added.root, 1 << 20).await.expect("read") == data);
    store.pin_rm(&added.root).await.expect("unpin");
}
