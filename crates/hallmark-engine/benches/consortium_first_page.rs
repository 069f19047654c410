//! A fresh installation joining a 1,000-work consortium, measured as one figure: the engine opens
//! a new data folder on the consortium's chain (anvil) with the consortium's IPFS node (the
//! js-ipfs daemon, `HALLMARK_TEST_KUBO_API`) as its read endpoint, syncs the catalog, fetches
//! metadata documents (each with its thumbnail, read through and CID-verified) and shows the first
//! Explore page of 48 works with their thumbnails — the app's path, without the window.
//!
//! `HALLMARK_TEST_KUBO_API=http://127.0.0.1:15001 cargo bench -p hallmark-engine --bench
//! consortium_first_page` (`HALLMARK_BENCH_WORKS`, default 1000). Results go to
//! docs/benchmarks.md.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hallmark_catalog::BrowseQuery;
use hallmark_chain::{
    ChainClient, ConfirmationPolicy, DemoAccounts, DeployParams, WorkInput, credits, deploy_suite,
    seed_demo,
};
use hallmark_engine::{ChainConfig, Config, ConsortiumIpfs, Engine, IndexerConfig, IpfsBackend};
use hallmark_media::WorkMetadata;
use hallmark_media::metadata::HallmarkSection;
use hallmark_store::{ContentStore, KuboStore, ReadEndpoint, ReadKind};
use hallmark_testkit::Anvil;
use hallmark_unixfs::ImportSettings;
use sha2::{Digest, Sha256};

const PAGE: u32 = 48;
const THUMBNAIL_BYTES: usize = 24_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Puts a work's thumbnail and metadata document on the consortium's node and returns what the
/// issuer registers.
async fn publish(node: &KuboStore, creator: &str, n: usize, nonce: u64) -> WorkInput {
    let settings = ImportSettings::kubo_v1();
    let content = format!("work {n} of run {nonce}").into_bytes();
    let thumbnail = hallmark_testkit::noise_bytes(THUMBNAIL_BYTES, nonce ^ (n as u64 * 7919));
    let thumbnail_cid = node
        .add_bytes(thumbnail, &settings)
        .await
        .expect("thumbnail")
        .root;
    let document = WorkMetadata {
        name: format!("Consortium work {n}"),
        description: Some("A work of the benchmark consortium".to_owned()),
        image: Some(format!("ipfs://{thumbnail_cid}")),
        animation_url: None,
        external_url: None,
        attributes: Vec::new(),
        hallmark: HallmarkSection {
            schema_version: hallmark_media::metadata::SCHEMA_VERSION,
            content_sha256: hex::encode(Sha256::digest(&content)),
            content_cid: thumbnail_cid,
            import_settings: settings.clone(),
            mime: "image/png".to_owned(),
            size: content.len() as u64,
            creator: creator.to_owned(),
            licence: "CC-BY-4.0".to_owned(),
            perceptual: None,
            thumbnail: Some(format!("ipfs://{thumbnail_cid}")),
        },
        other: Default::default(),
    };
    let bytes = document.to_canonical_json().expect("json");
    let metadata_cid = node
        .add_bytes(bytes.clone(), &settings)
        .await
        .expect("document")
        .root;
    WorkInput {
        content_hash: hallmark_chain::B256::from_slice(&Sha256::digest(&content)),
        metadata_hash: hallmark_chain::B256::from_slice(&Sha256::digest(&bytes)),
        metadata_cid: metadata_cid.to_string(),
        creator: creator.parse().expect("address"),
        max_editions: 1,
        royalty_bps: 500,
        splits: vec![],
    }
}

/// One fresh installation: times to the first full Explore page and to every document fetched.
async fn fresh_member(node_url: &str, consortium: &Config) -> (Duration, Duration, Duration) {
    let dir = tempfile::tempdir().expect("tmp");
    let config = Config {
        data_dir: dir.path().to_owned(),
        ipfs: IpfsBackend::Embedded,
        chain: consortium.chain.clone(),
        consortium_ipfs: ConsortiumIpfs {
            upload: Some(node_url.to_owned()),
            read: vec![ReadEndpoint {
                kind: ReadKind::KuboRpc,
                url: node_url.to_owned(),
            }],
            cache_max_bytes: None,
        },
        ..Config::embedded(dir.path().to_owned())
    };
    // What joining writes: the consortium's deployment record.
    std::fs::create_dir_all(config.chain_dir()).expect("chain dir");
    for entry in std::fs::read_dir(consortium.chain_dir()).expect("records") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), config.chain_dir().join(entry.file_name())).expect("copy");
    }
    config.save().expect("config");

    let started = Instant::now();
    let engine = Engine::open(config).await.expect("open");
    // As the app and the CLI do at start: load the recorded deployment of the consortium's chain.
    engine.start_dev_chain().await.expect("chain");
    // The app's follower: catalog to the head, then metadata in batches, the window redrawn after
    // each; the first page is complete when its 48 cards have their documents and thumbnails.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let catalog = engine.catalog().clone();
    let first_page = std::sync::Mutex::new(None::<(Duration, Vec<String>)>);
    engine
        .follow_catalog(IndexerConfig::default(), stopped, |_| {
            if let Ok(mut slot) = first_page.lock()
                && slot.is_none()
                && let Ok(page) = catalog.browse(&BrowseQuery {
                    limit: PAGE,
                    ..BrowseQuery::default()
                })
            {
                let thumbnails: Vec<String> = page
                    .items
                    .iter()
                    .filter_map(|card| card.thumbnail_cid.clone())
                    .collect();
                if thumbnails.len() == PAGE as usize {
                    *slot = Some((started.elapsed(), thumbnails));
                }
            }
            if catalog
                .stats()
                .is_ok_and(|s| s.works >= 1 && s.metadata_pending == 0)
            {
                let _ = stop.send(true);
            }
        })
        .await
        .expect("follow");
    let everything = started.elapsed();
    let (page_seen, thumbnails) = first_page
        .into_inner()
        .expect("lock")
        .expect("the first page was complete");
    // The window then draws the page's thumbnails, from the cache the fetch filled.
    let drawing = Instant::now();
    for cid in &thumbnails {
        let bytes = engine
            .store()
            .read_file(&cid.parse().expect("cid"), 1 << 20)
            .await
            .expect("thumbnail");
        assert_eq!(bytes.len(), THUMBNAIL_BYTES);
    }
    let first_page = page_seen + drawing.elapsed();
    let stats = engine.catalog().stats().expect("stats");
    assert_eq!(
        (stats.metadata_pending, stats.metadata_unavailable),
        (0, 0),
        "{stats:?}"
    );
    let cached = Instant::now();
    let cid = thumbnails[0].parse().expect("cid");
    engine
        .store()
        .read_file(&cid, 1 << 20)
        .await
        .expect("again");
    (first_page, everything, cached.elapsed())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("consortium_first_page: benchmark");
        return;
    }
    let works: usize = std::env::var("HALLMARK_BENCH_WORKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let node_url = std::env::var("HALLMARK_TEST_KUBO_API")
        .expect("HALLMARK_TEST_KUBO_API: the test IPFS daemon (make test starts it)");
    let node = KuboStore::new(&node_url).expect("node");
    node.ping().await.expect("the node answers");
    let anvil = Anvil::builder().spawn();
    let chain_url = anvil.endpoint();

    // The consortium: a suite, its roles, and `works` registered works on the node.
    let founder_dir = tempfile::tempdir().expect("tmp");
    let founder = Config {
        chain: ChainConfig::Rpc {
            url: chain_url.clone(),
            chain_id: 31337,
            ws_url: None,
        },
        ..Config::embedded(founder_dir.path().to_owned())
    };
    std::fs::create_dir_all(founder.chain_dir()).expect("chain dir");
    let accounts = DemoAccounts::standard(2).expect("keys");
    let deployment = deploy_suite(
        &chain_url,
        &accounts.council,
        &DeployParams::dev(founder.chain_dir()),
    )
    .await
    .expect("deploy");
    let council = ChainClient::connect(
        &chain_url,
        accounts.council.clone(),
        deployment,
        ConfirmationPolicy::default(),
    )
    .await
    .expect("council");
    seed_demo(&council, &accounts, credits(100))
        .await
        .expect("seed");
    let issuer = council.as_account(accounts.issuer.clone()).expect("issuer");
    let creator = format!("{:#x}", accounts.members[0].address());
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    let filling = Instant::now();
    let inputs: Vec<WorkInput> = futures_util::stream::iter(0..works)
        .map(|n| publish(&node, &creator, n, nonce))
        .buffered(8)
        .collect()
        .await;
    for input in inputs {
        issuer
            .register_work(&input, accounts.members[0].address())
            .await
            .expect("register");
    }
    eprintln!(
        "consortium of {works} works filled in {:.1} s",
        filling.elapsed().as_secs_f64()
    );

    println!(
        "fresh member over a {works}-work consortium (catalog sync, metadata and thumbnails read through from the node):"
    );
    println!(
        "{:>4}  {:>22}  {:>24}  {:>18}",
        "run", "first full page (ms)", "all documents (ms)", "cached thumb (ms)"
    );
    for run in 1..=3 {
        let (first, all, cached) = fresh_member(&node_url, &founder).await;
        println!(
            "{run:>4}  {:>22.0}  {:>24.0}  {:>18.2}",
            ms(first),
            ms(all),
            ms(cached)
        );
    }
}
