//! The indexer against a real anvil: every event reaches the catalog, paging and resuming give
//! the same catalog as one clean sync, a reorg is rolled back and re-applied, and metadata that is
//! missing or does not match what the chain registered is recorded without blocking the rest.

#[path = "../../hallmark-chain/tests/common/mod.rs"]
mod common;

use std::sync::Arc;

use alloy::providers::Provider;
use common::{Env, sha, u};
use hallmark_catalog::{BrowseQuery, Catalog};
use hallmark_chain::{
    LicenceKind, LicenceTerms, ReviewMatch, ReviewSubmission, WorkInput, credits,
};
use hallmark_indexer::{Indexer, IndexerConfig, MetadataFetcher, Step};
use hallmark_media::WorkMetadata;
use hallmark_media::metadata::HallmarkSection;
use hallmark_store::{ContentStore, EmbeddedStore};
use hallmark_unixfs::ImportSettings;

fn config(page_blocks: u64) -> IndexerConfig {
    IndexerConfig {
        initial_page_blocks: page_blocks,
        max_page_blocks: page_blocks,
        ..IndexerConfig::default()
    }
}

async fn sync(
    env: &Env,
    catalog: &Arc<Catalog>,
    page_blocks: u64,
) -> hallmark_indexer::SyncProgress {
    let mut indexer = Indexer::connect(
        &env.url(),
        env.deployment.clone(),
        catalog.clone(),
        config(page_blocks),
    )
    .await
    .expect("connect");
    indexer.sync_to_head(|_| {}).await.expect("sync")
}

fn fresh_catalog() -> Arc<Catalog> {
    Arc::new(Catalog::open_in_memory().expect("catalog"))
}

/// Registrations, a listing, a sale, a gift, a licence and a freeze.
async fn market_activity(env: &Env) {
    let m = &env.members;
    let a = env
        .register("a", m[0].address(), m[0].address(), 2, 500, vec![])
        .await;
    let b = env
        .register("b", m[1].address(), m[1].address(), 1, 0, vec![])
        .await;
    env.register("c", m[0].address(), m[0].address(), 1, 0, vec![])
        .await;
    env.issuer
        .mint_edition(a.work_id, m[0].address())
        .await
        .expect("edition 2");
    m[0].list(a.token_id, credits(15)).await.expect("list");
    m[1].buy(a.token_id, credits(15)).await.expect("buy");
    m[0].gift(a.token_id + u(1), m[2].address())
        .await
        .expect("gift");
    let terms = LicenceTerms {
        token_id: b.token_id,
        licensee: m[2].address(),
        kind: LicenceKind::Exhibition,
        scope_hash: sha(b"exhibition in the town hall"),
        duration: 86_400,
        fee: credits(3),
    };
    let (offer, _) = m[1].offer_licence(&terms).await.expect("offer");
    m[2].accept_licence(offer, credits(3))
        .await
        .expect("accept");
    env.reviewer.freeze_work(u(3), 2).await.expect("freeze");
    // The review queue: one request approved, one withdrawn.
    for (n, content) in [b"near copy 1".as_slice(), b"near copy 2"]
        .into_iter()
        .enumerate()
    {
        env.issuer
            .submit_review(&ReviewSubmission {
                content_hash: sha(content),
                metadata_hash: sha(b"metadata"),
                metadata_cid: format!("bafkreinearcopy{n}"),
                creator: m[0].address(),
                matches: vec![ReviewMatch {
                    work_id: a.work_id,
                    distance: 9,
                }],
            })
            .await
            .expect("submit");
    }
    env.reviewer
        .decide_review(u(1), true, "a licensed remix")
        .await
        .expect("decide");
    env.issuer.withdraw_review(u(2)).await.expect("withdraw");
}

#[tokio::test]
async fn every_event_reaches_the_catalog_and_paging_does_not_matter() {
    let env = Env::new(3, 250, 0).await;
    market_activity(&env).await;

    let paged = fresh_catalog();
    let progress = sync(&env, &paged, 1).await;
    assert_eq!(progress.blocks_behind, 0);
    assert!(progress.pages > 10, "one block per page: {progress:?}");
    let stats = paged.stats().expect("stats");
    assert_eq!((stats.works, stats.tokens, stats.listed), (3, 4, 0));

    let sold = paged.work(1).expect("q").expect("work 1");
    let m = &env.members;
    assert_eq!(sold.editions[0].owner, format!("{:#x}", m[1].address()));
    assert_eq!(sold.editions[0].last_price, Some(1500));
    assert_eq!(sold.editions[1].owner, format!("{:#x}", m[2].address()));
    assert_eq!(paged.work(3).expect("q").expect("work 3").frozen_reason, 2);
    let licences = paged.licences(2_000_001).expect("licences");
    assert_eq!(licences[0].status, "accepted");
    let kinds: Vec<String> = paged
        .provenance(1)
        .expect("p")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    for kind in ["registered", "minted", "listed", "sold", "payout", "gifted"] {
        assert!(kinds.contains(&kind.to_owned()), "{kind} in {kinds:?}");
    }
    let reviews = paged.reviews(None, 10).expect("reviews");
    let states: Vec<(u64, &str)> = reviews
        .iter()
        .map(|r| (r.request_id, r.status.as_str()))
        .collect();
    assert_eq!(states, vec![(2, "withdrawn"), (1, "approved")]);
    assert_eq!(reviews[1].matches, vec![(1, 9)]);
    assert_eq!(reviews[1].reason.as_deref(), Some("a licensed remix"));
    let earnings = paged
        .earnings(&format!("{:#x}", m[0].address()))
        .expect("earnings");
    assert_eq!(earnings.royalties, 75, "5 % of 15 credits to the creator");
    assert_eq!(
        earnings.proceeds,
        1500 - 75 - 38,
        "the rest minus the 2.5 % fee (37.5 hundredths, rounded up)"
    );
    assert_eq!(
        paged
            .roles(&format!("{:#x}", m[0].address()))
            .expect("roles"),
        vec![("member".to_owned(), "active".to_owned())]
    );

    // One big page gives the same catalog.
    let whole = fresh_catalog();
    sync(&env, &whole, 10_000).await;
    assert_eq!(whole.dump().expect("dump"), paged.dump().expect("dump"));

    // Live: more events, an incremental sync equals a clean sync of everything.
    m[1].list(u(1_000_001), credits(20)).await.expect("relist");
    sync(&env, &paged, 3).await;
    let clean = fresh_catalog();
    sync(&env, &clean, 10_000).await;
    assert_eq!(paged.dump().expect("dump"), clean.dump().expect("dump"));
    assert_eq!(paged.stats().expect("stats").listed, 1);
}

#[tokio::test]
async fn a_reorg_is_rolled_back_and_reapplied() {
    let env = Env::new(3, 0, 0).await;
    let m = &env.members;
    let a = env
        .register("a", m[0].address(), m[0].address(), 1, 0, vec![])
        .await;
    m[0].list(a.token_id, credits(10)).await.expect("list");
    let provider = env.council.provider();
    let snapshot: alloy::primitives::U256 = provider
        .raw_request("evm_snapshot".into(), ())
        .await
        .expect("snapshot");

    // Branch 1: member 2 buys.
    m[1].buy(a.token_id, credits(10)).await.expect("buy");
    let catalog = fresh_catalog();
    sync(&env, &catalog, 1_000).await;
    assert_eq!(
        catalog.work(1).expect("q").expect("w").editions[0].owner,
        format!("{:#x}", m[1].address())
    );

    // Branch 2 replaces it: the listing is cancelled and the token given to member 3 instead,
    // in more blocks than branch 1 had.
    let reverted: bool = provider
        .raw_request("evm_revert".into(), (snapshot,))
        .await
        .expect("revert");
    assert!(reverted);
    m[0].cancel_listing(a.token_id).await.expect("cancel");
    m[0].gift(a.token_id, m[2].address()).await.expect("gift");

    let mut indexer = Indexer::connect(
        &env.url(),
        env.deployment.clone(),
        catalog.clone(),
        config(1_000),
    )
    .await
    .expect("connect");
    let first = indexer.step().await.expect("step");
    assert!(
        matches!(first, Step::RolledBack(r) if r.events_removed >= 2),
        "{first:?}"
    );
    indexer.sync_to_head(|_| {}).await.expect("sync");
    let token = &catalog.work(1).expect("q").expect("w").editions[0];
    assert_eq!(
        token.owner,
        format!("{:#x}", m[2].address()),
        "the gift, not the sale"
    );
    assert_eq!(token.last_price, None);

    let clean = fresh_catalog();
    sync(&env, &clean, 1_000).await;
    assert_eq!(catalog.dump().expect("dump"), clean.dump().expect("dump"));
}

/// A valid metadata document for `content`, stored in `store`, and the work input that registers it.
async fn stored_work(
    store: &EmbeddedStore,
    env: &Env,
    title: &str,
    content: &[u8],
    keep: bool,
) -> WorkInput {
    let settings = ImportSettings::kubo_v1();
    let content_cid = store
        .add_bytes(content.to_vec(), &settings)
        .await
        .expect("content")
        .root;
    let creator = env.members[0].address();
    let document = WorkMetadata {
        name: title.to_owned(),
        description: Some("<script>alert(1)</script> plain text".to_owned()),
        image: Some(format!("ipfs://{content_cid}")),
        animation_url: None,
        external_url: None,
        attributes: Vec::new(),
        hallmark: HallmarkSection {
            schema_version: hallmark_media::metadata::SCHEMA_VERSION,
            content_sha256: hex_of(&sha(content).0),
            content_cid,
            import_settings: settings.clone(),
            mime: "image/png".to_owned(),
            size: content.len() as u64,
            creator: format!("{creator:#x}"),
            licence: "CC0-1.0".to_owned(),
            perceptual: None,
            thumbnail: None,
        },
        other: Default::default(),
    };
    let bytes = document.to_canonical_json().expect("json");
    let metadata_cid = if keep {
        store
            .add_bytes(bytes.clone(), &settings)
            .await
            .expect("doc")
            .root
    } else {
        let scratch =
            EmbeddedStore::open(tempfile::tempdir().expect("tmp").keep()).expect("scratch");
        scratch
            .add_bytes(bytes.clone(), &settings)
            .await
            .expect("doc")
            .root
    };
    WorkInput {
        content_hash: sha(content),
        metadata_hash: sha(&bytes),
        metadata_cid: metadata_cid.to_string(),
        creator,
        max_editions: 1,
        royalty_bps: 0,
        splits: vec![],
    }
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn missing_or_wrong_metadata_is_recorded_not_fatal() {
    let env = Env::new(1, 0, 0).await;
    let dir = tempfile::tempdir().expect("tmp");
    let store = EmbeddedStore::open(dir.path()).expect("store");
    let to = env.members[0].address();
    let present = stored_work(&store, &env, "Present", b"present bytes", true).await;
    let missing = stored_work(&store, &env, "Missing", b"missing bytes", false).await;
    let mut forged = stored_work(&store, &env, "Forged", b"forged bytes", true).await;
    forged.metadata_hash = sha(b"something else");
    for input in [&present, &missing, &forged] {
        env.issuer.register_work(input, to).await.expect("register");
    }
    env.issuer
        .register_work(&common::work_input("not-a-cid", to, 1, 0, vec![]), to)
        .await
        .expect("register");

    let catalog = fresh_catalog();
    sync(&env, &catalog, 1_000).await;
    let report = MetadataFetcher::new(&store, &catalog, 4)
        .fetch_due(2)
        .await
        .expect("fetch");
    assert_eq!(
        (
            report.attempted,
            report.available,
            report.unavailable,
            report.invalid
        ),
        (4, 1, 1, 2)
    );

    let ok = catalog.work(1).expect("q").expect("w");
    assert_eq!(
        (ok.title.as_deref(), ok.media_status.as_str()),
        (Some("Present"), "available")
    );
    assert_eq!(
        ok.description.as_deref(),
        Some("<script>alert(1)</script> plain text")
    );
    let gone = catalog.work(2).expect("q").expect("w");
    assert_eq!(gone.media_status, "unavailable");
    assert!(
        gone.media_error
            .as_deref()
            .is_some_and(|e| e.contains("not in the")),
        "{gone:?}"
    );
    let wrong = catalog.work(3).expect("q").expect("w");
    assert_eq!(wrong.media_status, "invalid");
    assert!(
        wrong
            .media_error
            .as_deref()
            .is_some_and(|e| e.contains("the chain registered"))
    );
    assert_eq!(
        catalog.work(4).expect("q").expect("w").media_status,
        "invalid"
    );
    // Browsing shows all four; the search finds the one whose metadata is known.
    let page = catalog
        .browse(&BrowseQuery {
            limit: 10,
            ..Default::default()
        })
        .expect("browse");
    assert_eq!(page.items.len(), 4);
    assert_eq!(catalog.search("present", 5).expect("search").len(), 1);
    // Not due again right away (backoff), so a second pass does nothing.
    let again = MetadataFetcher::new(&store, &catalog, 4)
        .fetch_due(10)
        .await
        .expect("fetch");
    assert_eq!(again.attempted, 0);
}

/// Follows in the background until the catalog holds `works` works or 10 s pass.
async fn follow_until(
    env: &Env,
    config: IndexerConfig,
    works_after: u64,
    act: impl std::future::Future<Output = ()>,
) -> std::time::Duration {
    let catalog = fresh_catalog();
    let mut indexer = Indexer::connect(&env.url(), env.deployment.clone(), catalog.clone(), config)
        .await
        .expect("connect");
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let follower = tokio::spawn(async move { indexer.follow(stop_rx, |_| {}, |_| async {}).await });
    // Let the first pass finish, then act and time how long the catalog takes to see it.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    act.await;
    let started = std::time::Instant::now();
    while catalog.stats().expect("stats").works < works_after {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the follower did not see the new work"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let seen = started.elapsed();
    stop_tx.send(true).expect("stop");
    follower.await.expect("join").expect("follow ends cleanly");
    seen
}

#[tokio::test]
async fn following_wakes_on_websocket_new_heads() {
    let env = Env::new(1, 0, 0).await;
    let m = env.members[0].address();
    // Polling every minute: only the subscription can make this fast.
    let config = IndexerConfig {
        poll_interval: std::time::Duration::from_secs(60),
        ..IndexerConfig::default()
    };
    let seen = follow_until(&env, config, 1, async {
        env.register("live", m, m, 1, 0, vec![]).await;
    })
    .await;
    assert!(
        seen < std::time::Duration::from_secs(5),
        "seen after {seen:?}"
    );
}

#[tokio::test]
async fn following_falls_back_to_polling_without_websocket() {
    let env = Env::new(1, 0, 0).await;
    let m = env.members[0].address();
    let config = IndexerConfig {
        poll_interval: std::time::Duration::from_millis(100),
        ws_url: Some("ws://127.0.0.1:9".to_owned()),
        ..IndexerConfig::default()
    };
    let seen = follow_until(&env, config, 1, async {
        env.register("polled", m, m, 1, 0, vec![]).await;
    })
    .await;
    assert!(
        seen < std::time::Duration::from_secs(5),
        "seen after {seen:?}"
    );
}

/// The anvil's port, from its URL.
fn port_of(url: &str) -> u16 {
    url.rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .expect("a port in the URL")
}

#[tokio::test]
async fn following_wakes_on_new_heads_over_wss_with_the_consortium_ca() {
    use hallmark_testkit::tls::{TestCa, TlsProxy};
    let env = Env::new(1, 0, 0).await;
    let ca = TestCa::new("Consortium CA");
    let proxy = TlsProxy::start(&ca.localhost_cert(), port_of(&env.url()));
    let wss = format!("wss://127.0.0.1:{}", proxy.port());

    // Without the consortium's CA the subscription is refused, and says why.
    let stranger = hallmark_net::Trust::system().without_system_roots();
    let refused = hallmark_indexer::subscribe_new_heads(&wss, &stranger)
        .await
        .err()
        .expect("an unknown CA is refused");
    assert!(
        matches!(
            refused,
            hallmark_indexer::HeadsError::Connect(hallmark_net::WebSocketError::Tls {
                problem: hallmark_net::TlsProblem::UnknownAuthority,
                ..
            })
        ),
        "{refused:?}"
    );
    // Plain ws to another machine is refused before anything is sent.
    let plain = hallmark_indexer::subscribe_new_heads("ws://192.0.2.1:8546", &stranger)
        .await
        .err()
        .expect("plain ws to another machine");
    assert!(
        matches!(
            refused_url(&plain),
            Some(hallmark_net::UrlRefused::PlainHttpToRemote { .. })
        ),
        "{plain:?}"
    );

    // With it, the follower is woken by the subscription (polling every minute could not).
    hallmark_net::set_default_trust(
        hallmark_net::Trust::system()
            .with_pem(ca.pem().as_bytes(), "the test CA")
            .expect("the CA"),
    );
    let m = env.members[0].address();
    let config = IndexerConfig {
        poll_interval: std::time::Duration::from_secs(60),
        ws_url: Some(wss),
        ..IndexerConfig::default()
    };
    let seen = follow_until(&env, config, 1, async {
        env.register("over wss", m, m, 1, 0, vec![]).await;
    })
    .await;
    assert!(
        seen < std::time::Duration::from_secs(5),
        "seen after {seen:?}"
    );
}

fn refused_url(error: &hallmark_indexer::HeadsError) -> Option<&hallmark_net::UrlRefused> {
    match error {
        hallmark_indexer::HeadsError::Connect(hallmark_net::WebSocketError::Refused(r)) => Some(r),
        _ => None,
    }
}
