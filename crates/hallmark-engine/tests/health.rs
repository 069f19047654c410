//! Availability health, remote pinning and metadata refreshes against real components: the
//! app-owned anvil dev chain, the embedded store and the js-ipfs daemon (`HALLMARK_TEST_KUBO_API`),
//! and the Pinning Service API test server (tools/pinning/server.js, ipfs-shipyard's mock, as
//! crates/hallmark-pinning's tests run it). Nothing is skipped: a missing tool fails the test.

#[path = "../../hallmark-pinning/tests/common/mod.rs"]
mod pinning_server;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hallmark_engine::{
    Availability, Config, Engine, HealthReport, HealthRequest, IpfsBackend, LOCAL_BACKEND,
    MintOutcome, MintRequest, U256, dev_signer,
};
use hallmark_pinning::ListFilter;
use hallmark_store::{AnyStore, ContentStore, EmbeddedStore, KuboStore};
use hallmark_testkit::pictures;
use hallmark_unixfs::Cid;
use pinning_server::{TOKEN, TestServer, client_for};

const ISSUER: usize = 1;
const REVIEWER: usize = 2;
const COUNCIL: usize = 0;

fn issuer_address() -> String {
    format!("{:#x}", dev_signer(ISSUER).expect("key").address())
}

async fn mint(engine: &Engine, dir: &Path, name: &str, seed: u32) -> MintOutcome {
    let path = dir.join(format!("{name}.png"));
    // 1200 × 800 of noise: a PNG of well over 256 KiB, so the media is a DAG of several blocks;
    // wider than the preview, so the preview is a file of its own (a smaller picture would be
    // re-encoded to the very same bytes, the same CID, as the media); textured everywhere, so no
    // two seeds are near copies.
    pictures::save(&pictures::textured(1200, 800, seed), &path);
    engine
        .mint(
            &MintRequest {
                path,
                name: name.to_owned(),
                licence: "CC BY 4.0".to_owned(),
                editions: 2,
                royalty_bps: 500,
                ..MintRequest::default()
            },
            dev_signer(ISSUER).expect("issuer key"),
        )
        .await
        .expect("mint")
}

async fn open_dev(dir: &Path, ipfs: IpfsBackend) -> Engine {
    let mut config = Config::embedded(dir.join("data"));
    config.ipfs = ipfs;
    let engine = Engine::open(config).await.expect("open");
    engine.start_dev_chain().await.expect("dev chain");
    engine
}

async fn sync(engine: &Engine) {
    engine
        .sync_catalog(Default::default(), |_| {})
        .await
        .expect("sync");
}

async fn health(engine: &Engine, fix: bool) -> HealthReport {
    let mut request = HealthRequest::new(issuer_address());
    request.fix = fix;
    request.wait = Duration::from_secs(10);
    engine.health(&request).await.expect("health")
}

fn embedded(engine: &Engine) -> &EmbeddedStore {
    match engine.store() {
        AnyStore::Embedded(store) => store,
        AnyStore::Kubo(_) => panic!("embedded store expected"),
    }
}

/// Every block of the DAG under `root`, root first.
fn dag_blocks(store: &EmbeddedStore, root: &Cid) -> Vec<Cid> {
    hallmark_unixfs::dag_cids(root, |c| std::fs::read(store.block_path(c))).expect("dag")
}

fn entry<'a>(
    report: &'a HealthReport,
    work: u64,
    backend: &str,
) -> &'a hallmark_engine::HealthEntry {
    report
        .entries
        .iter()
        .find(|e| e.work_id == work && e.backend == backend)
        .unwrap_or_else(|| panic!("no entry for work {work} at {backend}: {report:#?}"))
}

fn item_status(entry: &hallmark_engine::HealthEntry, item: &str) -> Availability {
    entry
        .items
        .iter()
        .find(|i| i.item == item)
        .unwrap_or_else(|| panic!("no {item} in {entry:#?}"))
        .status
}

fn json_of(report: &HealthReport) -> String {
    serde_json::to_string(report).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_pins_fixes_and_never_shows_a_token() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(100);
    let engine = open_dev(dir.path(), IpfsBackend::Embedded).await;
    let minted = mint(&engine, dir.path(), "Harbour at dawn", 1).await;
    let work: u64 = minted.work_id.parse().expect("work id");
    sync(&engine).await;

    // 1. No services: the local store holds everything, verified.
    let report = health(&engine, false).await;
    assert!(report.healthy(), "{report:#?}");
    assert_eq!(report.works, 1);
    let local = entry(&report, work, LOCAL_BACKEND);
    let items: Vec<&str> = local.items.iter().map(|i| i.item.as_str()).collect();
    assert_eq!(items, ["media", "metadata", "thumbnail", "preview"]);
    assert_eq!(local.last_verified_at, Some(local.checked_at));
    assert_eq!(engine.availability(work).expect("records")[0].status, "ok");

    // 2. A service that has nothing yet: every pin absent.
    let info = engine
        .add_pinning_service("mock", &server.url, TOKEN)
        .expect("add service");
    assert!(info.token_set);
    let report = health(&engine, false).await;
    assert_eq!(report.problems, 1, "{report:#?}");
    assert!(!report.entries[0].is_ok(), "problems come first");
    let remote = entry(&report, work, "pinning:mock");
    assert_eq!(remote.status, Availability::PinAbsent);
    assert_eq!(remote.last_verified_at, None);
    assert!(entry(&report, work, LOCAL_BACKEND).is_ok());

    // 3. --fix pins from the local copy; the service reaches `pinned`.
    let fixed = health(&engine, true).await;
    assert!(fixed.healthy(), "{fixed:#?}");
    let requested: Vec<&str> = fixed
        .fixes
        .iter()
        .filter(|f| f.action == "pin_requested" && f.done)
        .map(|f| f.item.as_str())
        .collect();
    assert_eq!(
        requested,
        ["media", "metadata", "thumbnail", "preview"],
        "{:#?}",
        fixed.fixes
    );
    let remote = entry(&fixed, work, "pinning:mock");
    assert!(remote.is_ok() && remote.last_verified_at.is_some());
    let pins = server
        .client("check")
        .list_all(&ListFilter::new().meta("work", work.to_string()))
        .await
        .expect("list");
    let mut names: Vec<String> = pins.iter().filter_map(|p| p.pin.name.clone()).collect();
    names.sort();
    assert_eq!(
        names,
        ["media", "metadata", "preview", "thumbnail"].map(|i| format!("hallmark:{work}:{i}"))
    );
    assert!(
        pins.iter()
            .any(|p| p.pin.cid == minted.media_cid && p.pin.meta["kind"] == "media")
    );
    // Asking again is idempotent: nothing new is requested.
    let again = engine.pin_remote(work).await.expect("pin again");
    assert!(
        again.outcomes.iter().all(|o| o.action == "already_pinned"),
        "{again:#?}"
    );

    // 4. A service with a wrong token: reported, and the token appears nowhere.
    let wrong = "wrong-token-5e1c9a";
    engine
        .add_pinning_service("wrongtoken", &server.url, wrong)
        .expect("add the second service");
    let report = health(&engine, true).await;
    let bad = entry(&report, work, "pinning:wrongtoken");
    assert_eq!(bad.status, Availability::Unauthorized, "{bad:#?}");
    assert!(
        bad.detail.as_deref().unwrap_or("").contains("401"),
        "{bad:#?}"
    );
    assert!(report.fixes.iter().any(|f| f.action == "cannot_fix"));
    let text = format!("{} {report:?}", json_of(&report));
    assert!(!text.contains(wrong) && !text.contains(TOKEN), "{text}");
    let listed = format!("{:?}", engine.pinning_services().expect("services"));
    assert!(!listed.contains(wrong) && !listed.contains(TOKEN));
    let config = std::fs::read_to_string(dir.path().join("data/config.json")).expect("config");
    assert!(config.contains("wrongtoken") && !config.contains(wrong) && !config.contains(TOKEN));
    let tokens = dir.path().join("data/keystores/pinning-tokens.json");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&tokens)
            .expect("tokens")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    engine
        .remove_pinning_service("wrongtoken")
        .expect("remove service");
    assert!(
        !std::fs::read_to_string(&tokens)
            .expect("tokens")
            .contains(wrong)
    );

    // 5. Damage in the local store: a media block deleted, the metadata block corrupted (same
    //    size), the thumbnail deleted. --fix restores the thumbnail from its file; the rest has
    //    no copy on this machine, so problems remain.
    let store = embedded(&engine);
    let media: Cid = minted.media_cid.parse().expect("cid");
    let blocks = dag_blocks(store, &media);
    assert!(
        blocks.len() > 2,
        "a DAG of several blocks: {}",
        blocks.len()
    );
    std::fs::remove_file(store.block_path(&blocks[1])).expect("delete a leaf");
    let metadata: Cid = minted.metadata_cid.parse().expect("cid");
    let path = store.block_path(&metadata);
    let mut bytes = std::fs::read(&path).expect("metadata block");
    let last = bytes.len() - 3;
    bytes[last] ^= 0x20;
    std::fs::write(&path, &bytes).expect("corrupt");
    let thumbnail = engine
        .library()
        .get(&minted.media_cid)
        .expect("library")
        .expect("item")
        .thumbnail_cid
        .expect("thumbnail");
    let thumb_cid: Cid = thumbnail.parse().expect("cid");
    std::fs::remove_file(store.block_path(&thumb_cid)).expect("delete thumbnail");

    let report = health(&engine, false).await;
    let local = entry(&report, work, LOCAL_BACKEND);
    assert_eq!(
        item_status(local, "media"),
        Availability::Missing,
        "{local:#?}"
    );
    assert_eq!(item_status(local, "metadata"), Availability::CidMismatch);
    assert_eq!(item_status(local, "thumbnail"), Availability::Missing);
    assert_eq!(item_status(local, "preview"), Availability::Ok);
    assert!(
        local.last_verified_at.is_some(),
        "the earlier OK stays recorded"
    );
    assert!(!report.entries[0].is_ok() && report.entries[0].backend == LOCAL_BACKEND);
    assert!(
        entry(&report, work, "pinning:mock").is_ok(),
        "the service still has it"
    );

    let fixed = health(&engine, true).await;
    assert!(!fixed.healthy());
    let local = entry(&fixed, work, LOCAL_BACKEND);
    assert_eq!(
        item_status(local, "thumbnail"),
        Availability::Ok,
        "{fixed:#?}"
    );
    assert_eq!(item_status(local, "media"), Availability::Missing);
    assert_eq!(item_status(local, "metadata"), Availability::CidMismatch);
    let actions: Vec<(&str, &str)> = fixed
        .fixes
        .iter()
        .map(|f| (f.item.as_str(), f.action.as_str()))
        .collect();
    assert!(actions.contains(&("thumbnail", "restored")), "{actions:?}");
    assert!(actions.contains(&("media", "cannot_fix")), "{actions:?}");
    assert!(actions.contains(&("metadata", "cannot_fix")), "{actions:?}");

    // 6. With services configured, a mint asks them to pin in the background.
    let second = mint(&engine, dir.path(), "Night ferry", 2).await;
    engine.finish_background_pins(Duration::from_secs(20)).await;
    let second_id: u64 = second.work_id.parse().expect("id");
    let pins = server
        .client("check")
        .list_all(
            &ListFilter::new()
                .any_status()
                .meta("work", second_id.to_string()),
        )
        .await
        .expect("list");
    assert_eq!(pins.len(), 4, "{pins:#?}");
    let records = engine.availability(second_id).expect("records");
    assert!(
        records
            .iter()
            .any(|r| r.backend == "pinning:mock"
                && matches!(r.status.as_str(), "pin_pending" | "ok")),
        "{records:#?}"
    );
    engine.shutdown().await;
    eprintln!(
        "health_pins_fixes_and_never_shows_a_token: {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metadata_update_event_makes_the_catalog_fetch_again() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = open_dev(dir.path(), IpfsBackend::Embedded).await;
    let minted = mint(&engine, dir.path(), "Salt marsh", 3).await;
    let work: u64 = minted.work_id.parse().expect("work id");
    sync(&engine).await;
    let record = |engine: &Engine| {
        engine
            .catalog()
            .metadata_record(&minted.metadata_cid)
            .expect("record")
            .expect("known")
    };
    let first = record(&engine);
    assert_eq!((first.status.as_str(), first.attempts), ("available", 1));

    // The thumbnail disappears from the store: nothing notices without a reason to look.
    let thumbnail: Cid = engine
        .catalog()
        .work(work)
        .expect("work")
        .expect("known")
        .thumbnail_cid
        .expect("thumbnail")
        .parse()
        .expect("cid");
    let store = embedded(&engine);
    let thumb_path = store.block_path(&thumbnail);
    let saved = std::fs::read(&thumb_path).expect("thumbnail block");
    std::fs::remove_file(&thumb_path).expect("delete");
    sync(&engine).await;
    assert_eq!(record(&engine), first, "no event, no fetch");

    // A freeze emits ERC-4906 BatchMetadataUpdate: the next sync fetches the document again.
    let reviewer = engine
        .chain_client(dev_signer(REVIEWER).expect("key"))
        .await
        .expect("client");
    reviewer
        .freeze_work(U256::from(work), 3)
        .await
        .expect("freeze");
    sync(&engine).await;
    let refetched = record(&engine);
    assert_eq!(refetched.status, "unavailable", "{refetched:?}");
    assert_eq!(refetched.attempts, 1, "attempts restart with the update");
    assert!(
        refetched
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("thumbnail"),
        "{refetched:?}"
    );
    assert_eq!(
        engine
            .catalog()
            .work(work)
            .expect("w")
            .expect("k")
            .frozen_reason,
        3
    );

    // The block comes back; `refresh_work` fetches now (no waiting for the retry).
    std::fs::write(&thumb_path, &saved).expect("restore block");
    let refreshed = engine.refresh_work(work).await.expect("refresh");
    assert_eq!(refreshed.status, "available", "{refreshed:?}");
    assert_eq!(record(&engine).attempts, 1);

    // Unfreezing emits it again: fetched once more, and still what the chain registered.
    let council = engine
        .chain_client(dev_signer(COUNCIL).expect("key"))
        .await
        .expect("client");
    council
        .unfreeze_work(U256::from(work))
        .await
        .expect("unfreeze");
    sync(&engine).await;
    let after = record(&engine);
    assert_eq!((after.status.as_str(), after.attempts), ("available", 1));
    assert!(after.fetched_at >= refreshed.fetched_at);
    assert!(engine.refresh_work(999).await.is_err(), "unknown work");
    engine.shutdown().await;
    eprintln!(
        "a_metadata_update_event_makes_the_catalog_fetch_again: {:?}",
        started.elapsed()
    );
}

/// The js-ipfs test daemon's API URL (`make test` starts it and sets the variable).
fn kubo_api() -> String {
    std::env::var("HALLMARK_TEST_KUBO_API").expect(
        "HALLMARK_TEST_KUBO_API is not set: run the tests with `make test`, which starts the js-ipfs test daemon",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_kubo_node_health_repins_and_pins_carry_its_addresses() {
    let started = Instant::now();
    let api_url = kubo_api();
    let node = KuboStore::new(&api_url).expect("client");
    node.ping().await.expect("the js-ipfs daemon answers");
    let identity = node.id().await.expect("id");
    assert!(!identity.id.is_empty());

    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(50);
    let engine = open_dev(
        dir.path(),
        IpfsBackend::Kubo {
            api_url: api_url.clone(),
        },
    )
    .await;
    // the node's repo persists between runs: a seed of this run's own
    let seed = std::process::id() ^ (started.elapsed().as_nanos() as u32);
    let minted = mint(&engine, dir.path(), "Quarry light", seed).await;
    let work: u64 = minted.work_id.parse().expect("work id");
    sync(&engine).await;
    let report = health(&engine, false).await;
    assert!(report.healthy(), "{report:#?}");
    assert!(report.store.starts_with("kubo "), "{}", report.store);

    // Unpinned on the node: reported, and --fix pins it again.
    let media: Cid = minted.media_cid.parse().expect("cid");
    engine.store().pin_rm(&media).await.expect("unpin");
    let report = health(&engine, false).await;
    let local = entry(&report, work, LOCAL_BACKEND);
    assert_eq!(
        item_status(local, "media"),
        Availability::NotPinned,
        "{local:#?}"
    );
    let fixed = health(&engine, true).await;
    assert!(fixed.healthy(), "{fixed:#?}");
    assert!(
        fixed
            .fixes
            .iter()
            .any(|f| f.item == "media" && f.action == "pinned_locally" && f.done)
    );

    // Remote pins go with the node's addresses as origins (none when it runs offline).
    engine
        .add_pinning_service("mock", &server.url, TOKEN)
        .expect("add");
    let pinned = engine.pin_remote(work).await.expect("pin");
    assert!(pinned.all_ok(), "{pinned:#?}");
    assert_eq!(pinned.origins, identity.peer_addresses());
    let pins = client_for("check", &server.url, TOKEN)
        .list_all(
            &ListFilter::new()
                .any_status()
                .cids([minted.media_cid.clone()]),
        )
        .await
        .expect("list");
    assert_eq!(pins.len(), 1);
    assert_eq!(pins[0].pin.origins, identity.peer_addresses());
    engine.shutdown().await;
    eprintln!(
        "with_a_kubo_node_health_repins_and_pins_carry_its_addresses: {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kubo_node_that_lost_a_work_gets_it_back_from_the_data_folder() {
    let started = Instant::now();
    let api_url = kubo_api();
    let dir = tempfile::tempdir().expect("tempdir");
    // Minted with the embedded store: the blocks are in the data folder, not on the node.
    let engine = open_dev(dir.path(), IpfsBackend::Embedded).await;
    let seed = std::process::id().rotate_left(7) ^ (started.elapsed().as_nanos() as u32);
    let minted = mint(&engine, dir.path(), "Tide mill", seed).await;
    let work: u64 = minted.work_id.parse().expect("work id");
    sync(&engine).await;
    engine.shutdown().await;
    drop(engine);

    let mut config = Config::embedded(dir.path().join("data"));
    config.ipfs = IpfsBackend::Kubo { api_url };
    let engine = Engine::open(config).await.expect("open on the node");
    let report = health(&engine, false).await;
    let local = entry(&report, work, LOCAL_BACKEND);
    assert_eq!(local.status, Availability::Missing, "{local:#?}");
    assert_eq!(item_status(local, "media"), Availability::Missing);
    assert_eq!(item_status(local, "metadata"), Availability::Missing);

    let fixed = health(&engine, true).await;
    assert!(fixed.healthy(), "{fixed:#?}");
    let restored: Vec<&str> = fixed
        .fixes
        .iter()
        .filter(|f| f.action == "restored" && f.done)
        .map(|f| f.item.as_str())
        .collect();
    assert!(
        restored.contains(&"media") && restored.contains(&"metadata"),
        "{:#?}",
        fixed.fixes
    );
    let media: Cid = minted.media_cid.parse().expect("cid");
    assert!(
        engine
            .store()
            .pin_ls()
            .await
            .expect("pins")
            .contains(&media)
    );
    eprintln!(
        "a_kubo_node_that_lost_a_work_gets_it_back_from_the_data_folder: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn pinning_configuration_is_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data: PathBuf = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    // Duplicate names in config.json: the configuration is refused, naming the problem.
    std::fs::write(
        data.join("config.json"),
        r#"{"ipfs":{"kind":"embedded"},"chain":{"kind":"dev_chain","anvil":null,"port":null,"chain_id":31337},
            "pinning":[{"name":"one","endpoint":"https://a.example/psa"},{"name":"One","endpoint":"https://b.example/psa"}]}"#,
    )
    .expect("write");
    let err = Config::load(Some(data.clone())).expect_err("duplicate names");
    assert_eq!(err.code(), "config.invalid");
    assert!(err.to_string().contains("unique"), "{err}");
    std::fs::write(
        data.join("config.json"),
        r#"{"ipfs":{"kind":"embedded"},"chain":{"kind":"dev_chain","anvil":null,"port":null,"chain_id":31337},
            "pinning":[{"name":"ftp","endpoint":"ftp://a.example"}]}"#,
    )
    .expect("write");
    assert_eq!(
        Config::load(Some(data.clone())).expect_err("ftp").code(),
        "config.invalid"
    );
    std::fs::remove_file(data.join("config.json")).expect("rm");

    // Through the engine: a config.json is written (the embedded default plus the list).
    let engine = Engine::open(Config::load(Some(data.clone())).expect("default"))
        .await
        .expect("open");
    engine
        .add_pinning_service("remote", "https://pins.example/psa", "secret-1")
        .expect("https is accepted in the configuration");
    let err = engine
        .add_pinning_service("REMOTE", "http://127.0.0.1:1", "secret-2")
        .expect_err("duplicate");
    assert_eq!(err.code(), "config.invalid");
    assert!(
        engine
            .add_pinning_service("empty", "http://127.0.0.1:1", "")
            .is_err(),
        "a token is required"
    );
    assert!(
        engine
            .add_pinning_service("bad", "ftp://x.example", "t")
            .is_err()
    );
    let loaded = Config::load(Some(data.clone())).expect("reload");
    assert_eq!(loaded.pinning.len(), 1);
    assert_eq!(loaded.ipfs, IpfsBackend::Embedded);
    // This build has no TLS: an https service is reported, not silently skipped.
    let report = engine
        .health(&HealthRequest::new(issuer_address()))
        .await
        .expect("health");
    assert_eq!(report.works, 0);
    assert_eq!(report.services.len(), 1);
    assert!(report.services[0].token_set);
    let err = engine
        .health(&HealthRequest::new("not an address"))
        .await
        .expect_err("bad account");
    assert_eq!(err.code(), "chain.invalid_input");
    let err = engine.pin_remote(1).await.expect_err("no such work");
    assert_eq!(err.code(), "not_found");
    engine.remove_pinning_service("remote").expect("remove");
    assert!(engine.pinning_services().expect("list").is_empty());
    assert_eq!(
        engine
            .remove_pinning_service("remote")
            .expect_err("gone")
            .code(),
        "not_found"
    );
}
