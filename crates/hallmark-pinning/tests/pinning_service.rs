//! The client against a real IPFS Pinning Service API server (tools/pinning/server.js:
//! ipfs-shipyard's mock-ipfs-pinning-service on 127.0.0.1), one fresh server per test.
//!
//! Needs `bash scripts/setup.sh test` (or `bash tools/pinning/setup.sh install`); without it every
//! test here fails and says so.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{TOKEN, TestServer, cid, client_for, closed_port_url};
use hallmark_pinning::{
    ListFilter, MultiPin, Pin, PinningClient, PinningError, Status, TextMatch, Timestamp,
};

const PEER: &str = "/ip4/203.0.113.7/tcp/4001/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";

#[tokio::test]
async fn add_is_queued_then_pinning_then_wait_pinned_returns_pinned() {
    let server = TestServer::start(1000);
    let client = server.client("local");
    let pin = Pin::new(cid(1))
        .with_name("artwork-1")
        .with_origins([PEER])
        .with_meta("app_id", "hallmark")
        .with_meta("work", "w-1");
    let queued = client.add(&pin).await.expect("add");
    assert_eq!(queued.status, Status::Queued);
    assert!(!queued.requestid.is_empty());
    assert_eq!(queued.pin.cid, cid(1));
    assert_eq!(queued.pin.name.as_deref(), Some("artwork-1"));
    assert_eq!(queued.pin.meta["work"], "w-1");
    assert_eq!(queued.pin.origins, vec![PEER.to_owned()]);
    assert!(!queued.delegates.is_empty(), "the service names delegates");
    let age = Timestamp::now()
        .to_system_time()
        .duration_since(queued.created.to_system_time());
    assert!(
        age.is_ok_and(|a| a < Duration::from_secs(30)),
        "created {:?}",
        queued.created
    );

    // between 1 and 2 s after `created` the service reports `pinning`
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let mid = client.get(&queued.requestid).await.expect("get");
    assert_eq!(mid.status, Status::Pinning);

    let started = Instant::now();
    let pinned = client
        .wait_pinned(&queued.requestid, Duration::from_secs(20))
        .await
        .expect("pinned");
    assert_eq!(pinned.status, Status::Pinned);
    assert_eq!(pinned.requestid, queued.requestid);
    assert_eq!(pinned.created, queued.created, "created is immutable");
    assert!(started.elapsed() < Duration::from_secs(5));

    let got = client.get(&queued.requestid).await.expect("get");
    assert_eq!(got.status, Status::Pinned);
    assert_eq!(got.pin, pinned.pin);
}

#[tokio::test]
async fn wait_pinned_reports_failed_and_times_out_on_a_pin_that_stays_queued() {
    let server = TestServer::start(200);
    let client = server.client("local");

    // the mock's name prefixes force a status
    let failed = client
        .add(&Pin::new(cid(2)).with_name("failed-too-big"))
        .await
        .expect("add");
    let e = client
        .wait_pinned(&failed.requestid, Duration::from_secs(5))
        .await
        .expect_err("failed");
    assert_eq!(e.code(), "pin_failed", "{e}");
    assert!(e.to_string().contains(&failed.requestid));

    let stuck = client
        .add(&Pin::new(cid(3)).with_name("queued-forever"))
        .await
        .expect("add");
    let started = Instant::now();
    let e = client
        .wait_pinned(&stuck.requestid, Duration::from_millis(1500))
        .await
        .expect_err("times out");
    let waited = started.elapsed();
    match &e {
        PinningError::WaitTimeout {
            last, requestid, ..
        } => {
            assert_eq!(*last, Some(Status::Queued));
            assert_eq!(requestid, &stuck.requestid);
        }
        other => panic!("expected wait_timeout, got {other:?}"),
    }
    assert_eq!(e.code(), "wait_timeout");
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_millis(3500),
        "{waited:?}"
    );
    assert!(e.to_string().contains("still queued"), "{e}");
}

#[tokio::test]
async fn list_filters_by_status_cid_name_match_meta_and_time() {
    let server = TestServer::start(0);
    let client = server.client("local");
    let add = |pin: Pin| {
        let client = client.clone();
        async move { client.add(&pin).await.expect("add") }
    };
    let a = add(Pin::new(cid(10))
        .with_name("pinned-Sunset.png")
        .with_meta("app_id", "hallmark"))
    .await;
    let b = add(Pin::new(cid(11))
        .with_name("pinned-sunrise.png")
        .with_meta("app_id", "other"))
    .await;
    let c = add(Pin::new(cid(12)).with_name("queued-Sunset draft")).await;
    let d = add(Pin::new(cid(13))
        .with_name("failed-broken")
        .with_meta("app_id", "hallmark"))
    .await;
    let e = add(Pin::new(cid(14))
        .with_name("pinning-big")
        .with_meta("app_id", "hallmark"))
    .await;
    fn ids(r: &hallmark_pinning::PinResults) -> Vec<&str> {
        r.results.iter().map(|s| s.requestid.as_str()).collect()
    }

    // no status filter: the service's default, `pinned` only, newest first
    let r = client.list(&ListFilter::new()).await.expect("list");
    assert_eq!(r.count, 2);
    assert_eq!(ids(&r), [b.requestid.as_str(), a.requestid.as_str()]);

    let r = client
        .list(&ListFilter::new().statuses([Status::Queued, Status::Failed]))
        .await
        .expect("list");
    assert_eq!(ids(&r), [d.requestid.as_str(), c.requestid.as_str()]);

    let r = client
        .list(&ListFilter::new().any_status())
        .await
        .expect("list");
    assert_eq!(r.count, 5);
    assert_eq!(r.results[0].requestid, e.requestid);

    let r = client
        .list(&ListFilter::new().any_status().cids([cid(10), cid(12)]))
        .await
        .expect("list");
    assert_eq!(ids(&r), [c.requestid.as_str(), a.requestid.as_str()]);

    let by_name = |name: &str, m: TextMatch| ListFilter::new().any_status().name(name, m);
    let r = client
        .list(&by_name("pinned-Sunset.png", TextMatch::Exact))
        .await
        .expect("list");
    assert_eq!(ids(&r), [a.requestid.as_str()]);
    let r = client
        .list(&by_name("pinned-sunset.png", TextMatch::Exact))
        .await
        .expect("list");
    assert_eq!(r.count, 0, "exact is case-sensitive");
    let r = client
        .list(&by_name("PINNED-SUNSET.PNG", TextMatch::Iexact))
        .await
        .expect("list");
    assert_eq!(ids(&r), [a.requestid.as_str()]);
    let r = client
        .list(&by_name("Sunset", TextMatch::Partial))
        .await
        .expect("list");
    assert_eq!(ids(&r), [c.requestid.as_str(), a.requestid.as_str()]);
    let r = client
        .list(&by_name("sunset", TextMatch::Ipartial))
        .await
        .expect("list");
    assert_eq!(r.count, 2);
    let r = client
        .list(&by_name("sun", TextMatch::Ipartial).statuses([Status::Pinned]))
        .await
        .expect("list");
    assert_eq!(ids(&r), [b.requestid.as_str(), a.requestid.as_str()]);

    let r = client
        .list(&ListFilter::new().any_status().meta("app_id", "hallmark"))
        .await
        .expect("list");
    assert_eq!(
        ids(&r),
        [
            e.requestid.as_str(),
            d.requestid.as_str(),
            a.requestid.as_str()
        ]
    );

    let r = client
        .list(&ListFilter::new().any_status().after(b.created.clone()))
        .await
        .expect("list");
    assert_eq!(
        ids(&r),
        [
            e.requestid.as_str(),
            d.requestid.as_str(),
            c.requestid.as_str()
        ]
    );
    let r = client
        .list(
            &ListFilter::new()
                .any_status()
                .after(a.created.clone())
                .before(d.created.clone()),
        )
        .await
        .expect("list");
    assert_eq!(ids(&r), [c.requestid.as_str(), b.requestid.as_str()]);
}

#[tokio::test]
async fn meta_with_special_characters_round_trips_through_the_query_string() {
    let server = TestServer::start(0);
    let client = server.client("local");
    let odd = "a&b=c?d#e/f%20 \"quoted\" — 日本";
    let pin = Pin::new(cid(20))
        .with_name("pinned-odd")
        .with_meta("k&=", odd);
    let added = client.add(&pin).await.expect("add");
    client
        .add(
            &Pin::new(cid(21))
                .with_name("pinned-plain")
                .with_meta("k&=", "plain"),
        )
        .await
        .expect("add");
    let r = client
        .list(&ListFilter::new().meta("k&=", odd))
        .await
        .expect("list");
    assert_eq!(r.count, 1);
    assert_eq!(r.results[0].requestid, added.requestid);
    assert_eq!(r.results[0].pin.meta["k&="], odd);
    let r = client
        .list(&ListFilter::new().name("pinned-odd", TextMatch::Exact))
        .await
        .expect("list");
    assert_eq!(r.count, 1);
}

#[tokio::test]
async fn paging_with_before_reads_every_pin_exactly_once() {
    let server = TestServer::start(0);
    let client = server.client("local");
    let mut added = Vec::new();
    for i in 0..25 {
        let st = client
            .add(&Pin::new(cid(100 + i)).with_name(format!("pinned-item-{i:02}")))
            .await
            .expect("add");
        added.push(st.requestid);
    }
    // a few that the default status filter must leave out
    for i in 0..3 {
        client
            .add(&Pin::new(cid(200 + i)).with_name(format!("queued-item-{i}")))
            .await
            .expect("add");
    }

    let first = client
        .list(&ListFilter::new().limit(10))
        .await
        .expect("first page");
    assert_eq!(first.count, 25, "count is the total, not the page length");
    assert_eq!(first.results.len(), 10);

    let mut pages = client.pages(ListFilter::new().limit(10));
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page().await.expect("page") {
        sizes.push(page.results.len());
        seen.extend(page.results.into_iter().map(|s| s.requestid));
    }
    assert_eq!(sizes, [10, 10, 5]);
    let newest_first: Vec<String> = added.iter().rev().cloned().collect();
    assert_eq!(seen, newest_first);
    assert!(pages.next_page().await.expect("done").is_none());

    let all = client
        .list_all(&ListFilter::new().limit(7))
        .await
        .expect("all");
    assert_eq!(all.len(), 25);
    assert!(all.windows(2).all(|w| w[0].created > w[1].created));
    let unique: HashSet<_> = all.iter().map(|s| &s.requestid).collect();
    assert_eq!(unique.len(), 25);

    let everything = client
        .list_all(&ListFilter::new().any_status())
        .await
        .expect("all statuses");
    assert_eq!(everything.len(), 28);
}

#[tokio::test]
async fn replace_gives_a_new_request_and_drops_the_old_one() {
    let server = TestServer::start(0);
    let client = server.client("local");
    let old = client
        .add(&Pin::new(cid(30)).with_name("v1"))
        .await
        .expect("add");
    let new = client
        .replace(
            &old.requestid,
            &Pin::new(cid(31))
                .with_name("pinned-v2")
                .with_meta("rev", "2"),
        )
        .await
        .expect("replace");
    assert_ne!(new.requestid, old.requestid);
    assert_eq!(new.pin.cid, cid(31));
    assert_eq!(new.status, Status::Pinned);
    let e = client.get(&old.requestid).await.expect_err("old is gone");
    assert_eq!(e.code(), "not_found");
    let got = client.get(&new.requestid).await.expect("new");
    assert_eq!(got.pin.meta["rev"], "2");

    let e = client
        .replace("no-such-request", &Pin::new(cid(32)))
        .await
        .expect_err("unknown request");
    assert_eq!(e.code(), "not_found");
}

#[tokio::test]
async fn remove_then_get_is_not_found() {
    let server = TestServer::start(0);
    let client = server.client("local");
    let st = client.add(&Pin::new(cid(40))).await.expect("add");
    client.remove(&st.requestid).await.expect("remove");
    let e = client.get(&st.requestid).await.expect_err("gone");
    assert_eq!(e.code(), "not_found", "{e}");
    assert_eq!(e.http_status(), Some(404));
    let e = client.remove(&st.requestid).await.expect_err("gone");
    assert_eq!(e.code(), "not_found");
    let r = client
        .list(&ListFilter::new().any_status())
        .await
        .expect("list");
    assert_eq!(r.count, 0);
    // an id that needs escaping in the path reaches the service as one segment
    let e = client.get("a/b?c#d").await.expect_err("unknown");
    assert_eq!(e.code(), "not_found");
}

#[tokio::test]
async fn wrong_token_is_unauthorized_and_never_shown() {
    let server = TestServer::start(0);
    let bad = client_for("local", &server.url, "wrong-token-123");
    let e = bad.add(&Pin::new(cid(50))).await.expect_err("401");
    assert_eq!(e.code(), "unauthorized", "{e}");
    assert_eq!(e.http_status(), Some(401));
    let shown = format!("{e} {e:?} {bad:?}");
    assert!(!shown.contains("wrong-token-123"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
    let e = bad.list(&ListFilter::new()).await.expect_err("401");
    assert_eq!(e.code(), "unauthorized");
    let e = bad.get("req-1").await.expect_err("401");
    assert_eq!(e.code(), "unauthorized");
    // the right token works against the same server
    server
        .client("local")
        .add(&Pin::new(cid(50)))
        .await
        .expect("add");
}

#[tokio::test]
async fn invalid_input_is_refused_before_anything_is_sent() {
    // nothing listens here: a request would come back `unreachable`
    let client = client_for("nowhere", &closed_port_url(), TOKEN);
    let cases: Vec<(&str, Pin)> = vec![
        ("cid", Pin::new("")),
        ("cid", Pin::new("not a cid")),
        ("name", Pin::new(cid(1)).with_name("n".repeat(256))),
        (
            "origins",
            Pin::new(cid(1)).with_origins(["/ip4/203.0.113.7/tcp/4001"]),
        ),
    ];
    for (field, pin) in cases {
        match client.add(&pin).await {
            Err(PinningError::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected invalid_input, got {other:?}"),
        }
    }
    let e = client
        .list(&ListFilter::new().limit(1001))
        .await
        .expect_err("limit");
    assert_eq!(e.code(), "invalid_input");
    let e = client.get("").await.expect_err("empty id");
    assert_eq!(e.code(), "invalid_input");
}

#[tokio::test]
async fn server_down_is_unreachable_with_a_clear_message() {
    let mut server = TestServer::start(0);
    let client = server.client("local");
    let st = client.add(&Pin::new(cid(60))).await.expect("add while up");
    server.stop();

    // a fresh client (no pooled connection): the connection is refused
    let e = server
        .client("local")
        .get(&st.requestid)
        .await
        .expect_err("down");
    assert_eq!(e.code(), "unreachable", "{e}");
    assert!(e.is_retryable());
    let msg = e.to_string();
    assert!(
        msg.contains("'local'") && msg.contains(&server.url),
        "{msg}"
    );
    assert!(msg.to_lowercase().contains("connection refused"), "{msg}");

    // waiting on a service that stays down ends with the underlying error, not a bare timeout
    // (the client that was connected before sees the same)
    let e = client
        .wait_pinned(&st.requestid, Duration::from_millis(600))
        .await
        .expect_err("down");
    assert_eq!(e.code(), "unreachable");
}

#[tokio::test]
async fn multipin_pins_to_two_services_at_once_and_reports_each() {
    let one = TestServer::start_with_token("token-one", 200);
    let two = TestServer::start_with_token("token-two", 300);
    let multi = MultiPin::new(vec![one.client("one"), two.client("two")]);
    let pin = Pin::new(cid(70)).with_name("artwork-70");

    let report = multi
        .add_and_wait(&pin, Duration::from_secs(20))
        .await
        .expect("valid pin");
    assert!(report.all_ok(), "{report:?}");
    let ok: Vec<(&str, Status)> = report.succeeded().map(|(s, st)| (s, st.status)).collect();
    assert_eq!(ok, [("one", Status::Pinned), ("two", Status::Pinned)]);
    for (name, client) in [("one", one.client("x")), ("two", two.client("x"))] {
        let r = client.list(&ListFilter::new()).await.expect("list");
        assert_eq!(r.count, 1, "{name}");
        assert_eq!(r.results[0].pin.cid, cid(70));
    }

    // one good service, one with a wrong token, one down: each reported on its own
    let multi = MultiPin::new(vec![
        one.client("one"),
        client_for("two-bad-token", &two.url, "token-one"),
        client_for("down", &closed_port_url(), TOKEN),
    ]);
    let report = multi.add(&Pin::new(cid(71))).await.expect("valid pin");
    assert!(!report.all_ok());
    let st = report
        .get("one")
        .expect("one")
        .result
        .as_ref()
        .expect("one pinned");
    assert_eq!(st.status, Status::Queued);
    let codes: Vec<(&str, &str)> = report.failed().map(|(s, e)| (s, e.code())).collect();
    assert_eq!(
        codes,
        [("two-bad-token", "unauthorized"), ("down", "unreachable")]
    );

    let e = multi.add(&Pin::new("nope")).await.expect_err("invalid pin");
    assert_eq!(e.code(), "invalid_input");
}

#[tokio::test]
async fn clients_are_cheap_to_clone_and_share_a_server() {
    let server = TestServer::start(0);
    let client: PinningClient = server.client("local");
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let c = client.clone();
            tokio::spawn(async move {
                c.add(&Pin::new(cid(80 + i)).with_name(format!("pinned-{i}")))
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("join").expect("add");
    }
    let all = client.list_all(&ListFilter::new()).await.expect("list");
    assert_eq!(all.len(), 8);
}
