//! What the client makes of answers that a well-behaved service rarely gives: malformed JSON,
//! bodies that do not follow the spec, every error status, oversized bodies, silence. Served by a
//! few lines of std::net (tests/common), so these need no installed tools.

mod common;

use std::time::{Duration, Instant};

use common::{TOKEN, cid, client_for, http_response, stub, stub_sequence, test_options};
use hallmark_pinning::{
    ClientOptions, ListFilter, Pin, PinningClient, PinningError, PinningService, Status,
};

const JSON: (&str, &str) = ("Content-Type", "application/json");

fn pin_status_json(status: &str) -> String {
    format!(
        r#"{{"requestid":"r-1","status":"{status}","created":"2020-07-27T17:32:28.276Z",
           "pin":{{"cid":"{}"}},"delegates":["/ip4/203.0.113.1/tcp/4001/p2p/QmServicePeerId"]}}"#,
        cid(1)
    )
}

async fn add_against(response: Vec<u8>) -> (PinningError, String) {
    let s = stub(Some(response), 1);
    let e = client_for("stub", &s.url, TOKEN)
        .add(&Pin::new(cid(1)))
        .await
        .expect_err("error");
    let head = s
        .requests
        .recv_timeout(Duration::from_secs(5))
        .expect("request seen");
    (e, head)
}

#[tokio::test]
async fn malformed_json_is_invalid_response() {
    let body = br#"{"requestid": "r-1", "status": "queued", "#;
    let (e, head) = add_against(http_response("202 Accepted", &[JSON], body)).await;
    assert_eq!(e.code(), "invalid_response", "{e}");
    assert!(e.to_string().contains("add:"), "{e}");
    // and the request was the spec's
    assert!(head.starts_with("POST /pins HTTP/1.1\r\n"), "{head}");
    let lower = head.to_lowercase();
    assert!(
        lower.contains(&format!("authorization: bearer {TOKEN}")),
        "{head}"
    );
    assert!(lower.contains("content-type: application/json"), "{head}");
    assert!(lower.contains("accept: application/json"), "{head}");
}

#[tokio::test]
async fn json_that_does_not_follow_the_spec_is_invalid_response() {
    for body in [
        pin_status_json("done"), // not a Status
        pin_status_json("queued").replace("2020-07-27T17:32:28.276Z", "last tuesday"),
        pin_status_json("queued").replace(r#""requestid":"r-1""#, r#""requestid":"""#),
        pin_status_json("queued").replace(
            r#","delegates":["/ip4/203.0.113.1/tcp/4001/p2p/QmServicePeerId"]"#,
            "",
        ),
        "[]".to_owned(),
        "null".to_owned(),
        "<html>ok</html>".to_owned(),
        String::new(),
    ] {
        let (e, _) = add_against(http_response("202 Accepted", &[JSON], body.as_bytes())).await;
        assert_eq!(e.code(), "invalid_response", "{body}: {e}");
    }
    // a well-formed one is accepted (the stub is not the problem)
    let s = stub(
        Some(http_response(
            "202 Accepted",
            &[JSON],
            pin_status_json("queued").as_bytes(),
        )),
        1,
    );
    let st = client_for("stub", &s.url, TOKEN)
        .add(&Pin::new(cid(1)))
        .await
        .expect("valid PinStatus");
    assert_eq!(st.status, Status::Queued);
}

#[tokio::test]
async fn list_pages_over_the_spec_maximum_are_invalid_response() {
    let one = pin_status_json("pinned");
    let many = vec![one.as_str(); 1001].join(",");
    let body = format!(r#"{{"count":1001,"results":[{many}]}}"#);
    let s = stub(Some(http_response("200 OK", &[JSON], body.as_bytes())), 1);
    let e = client_for("stub", &s.url, TOKEN)
        .list(&ListFilter::new())
        .await
        .expect_err("too many");
    assert_eq!(e.code(), "invalid_response", "{e}");
    let s = stub(
        Some(http_response(
            "200 OK",
            &[JSON],
            br#"{"count":-1,"results":[]}"#,
        )),
        1,
    );
    let e = client_for("stub", &s.url, TOKEN)
        .list(&ListFilter::new())
        .await
        .expect_err("negative count");
    assert_eq!(e.code(), "invalid_response", "{e}");
}

#[tokio::test]
async fn list_sends_filters_in_the_spec_wire_form() {
    let s = stub(
        Some(http_response(
            "200 OK",
            &[JSON],
            br#"{"count":0,"results":[]}"#,
        )),
        1,
    );
    let r = client_for("stub", &s.url, TOKEN)
        .list(
            &ListFilter::new()
                .cids([cid(1), cid(2)])
                .statuses([Status::Queued, Status::Pinning])
                .limit(1000)
                .meta("app_id", "x y"),
        )
        .await
        .expect("list");
    assert_eq!(r.count, 0);
    let head = s
        .requests
        .recv_timeout(Duration::from_secs(5))
        .expect("request");
    let line = head.lines().next().unwrap_or_default();
    assert!(line.starts_with("GET /pins?"), "{line}");
    // form style, explode false: one parameter, comma-separated (percent-encoded as %2C)
    assert!(
        line.contains(&format!("cid={}%2C{}", cid(1), cid(2))),
        "{line}"
    );
    assert!(line.contains("status=queued%2Cpinning"), "{line}");
    assert!(line.contains("limit=1000"), "{line}");
    // meta: URL-escaped JSON object
    assert!(
        line.contains("meta=%7B%22app_id%22%3A%22x+y%22%7D"),
        "{line}"
    );
}

#[tokio::test]
async fn error_statuses_map_to_typed_errors_with_the_service_reason() {
    let failure = |reason: &str, details: &str| {
        format!(r#"{{"error":{{"reason":"{reason}","details":"{details}"}}}}"#)
    };
    // (status line, headers, body, expected code, expected reason)
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, &'a str)>,
        String,
        &'a str,
        Option<&'a str>,
    );
    let cases: Vec<Case<'_>> = vec![
        (
            "400 Bad Request",
            vec![JSON],
            failure("BAD_CID", "cid is not valid"),
            "bad_request",
            Some("BAD_CID"),
        ),
        (
            "401 Unauthorized",
            vec![JSON],
            failure("UNAUTHORIZED", "Access token is missing or invalid"),
            "unauthorized",
            Some("UNAUTHORIZED"),
        ),
        (
            "404 Not Found",
            vec![JSON],
            failure("NOT_FOUND", ""),
            "not_found",
            Some("NOT_FOUND"),
        ),
        (
            "409 Conflict",
            vec![JSON],
            failure(
                "INSUFFICIENT_FUNDS",
                "Unable to process request due to the lack of funds",
            ),
            "insufficient_funds",
            Some("INSUFFICIENT_FUNDS"),
        ),
        (
            "429 Too Many Requests",
            vec![JSON, ("Retry-After", "7")],
            failure("RATE_LIMITED", "slow down"),
            "rate_limited",
            Some("RATE_LIMITED"),
        ),
        (
            "418 I'm a teapot",
            vec![JSON],
            failure("CUSTOM_ERROR_CODE_FOR_MACHINES", "Optional explanation"),
            "service_error",
            Some("CUSTOM_ERROR_CODE_FOR_MACHINES"),
        ),
        (
            "500 Internal Server Error",
            vec![JSON],
            failure("INTERNAL_SERVER_ERROR", "boom"),
            "server_error",
            Some("INTERNAL_SERVER_ERROR"),
        ),
        // not a Failure body: the status still decides, the HTTP reason phrase stands in
        (
            "503 Service Unavailable",
            vec![("Content-Type", "text/html")],
            "<h1>down for maintenance</h1>".into(),
            "server_error",
            Some("Service Unavailable"),
        ),
        (
            "302 Found",
            vec![("Location", "http://127.0.0.1:1/elsewhere")],
            String::new(),
            "invalid_response",
            None,
        ),
    ];
    for (status, headers, body, code, reason) in cases {
        let (e, _) = add_against(http_response(status, &headers, body.as_bytes())).await;
        assert_eq!(e.code(), code, "{status}: {e}");
        assert_eq!(e.reason(), reason, "{status}: {e}");
        if let Some(r) = reason {
            assert!(e.to_string().contains(r), "{status}: {e}");
        }
        if let PinningError::RateLimited { retry_after, .. } = &e {
            assert_eq!(*retry_after, Some(Duration::from_secs(7)));
        }
    }
    let (e, _) = add_against(http_response(
        "409 Conflict",
        &[JSON],
        failure(
            "INSUFFICIENT_FUNDS",
            "Unable to process request due to the lack of funds",
        )
        .as_bytes(),
    ))
    .await;
    assert_eq!(
        e.to_string(),
        "pinning service 'stub': insufficient funds (409): INSUFFICIENT_FUNDS \
         (Unable to process request due to the lack of funds)"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let options = ClientOptions {
        max_response_bytes: 1024,
        ..test_options()
    };
    let client = |url: &str| {
        PinningClient::with_options(
            PinningService::new("stub", url, TOKEN).expect("service"),
            options.clone(),
        )
        .expect("client")
    };
    // announced by Content-Length
    let big = format!(r#"{{"count":0,"results":[],"pad":"{}"}}"#, "x".repeat(4096));
    let s = stub(Some(http_response("200 OK", &[JSON], big.as_bytes())), 1);
    let e = client(&s.url)
        .list(&ListFilter::new())
        .await
        .expect_err("too big");
    assert_eq!(e.code(), "invalid_response");
    assert!(e.to_string().contains("larger than 1024 bytes"), "{e}");
    // chunked, no length announced
    let mut chunked =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for _ in 0..8 {
        chunked.extend_from_slice(format!("200\r\n{}\r\n", "x".repeat(512)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let s = stub(Some(chunked), 1);
    let e = client(&s.url)
        .list(&ListFilter::new())
        .await
        .expect_err("too big");
    assert!(e.to_string().contains("larger than 1024 bytes"), "{e}");
    // the 8 MiB default
    assert_eq!(ClientOptions::default().max_response_bytes, 8 << 20);
}

#[tokio::test]
async fn a_silent_service_times_out_as_unreachable() {
    let s = stub(None, 1);
    let options = ClientOptions {
        request_timeout: Duration::from_millis(700),
        ..test_options()
    };
    let client = PinningClient::with_options(
        PinningService::new("silent", &s.url, TOKEN).expect("service"),
        options,
    )
    .expect("client");
    let started = Instant::now();
    let e = client.get("r-1").await.expect_err("timeout");
    assert!(started.elapsed() < Duration::from_secs(5));
    match &e {
        PinningError::Unreachable { timed_out, .. } => assert!(timed_out),
        other => panic!("expected unreachable, got {other:?}"),
    }
    assert_eq!(e.code(), "unreachable");
    assert!(e.to_string().contains("no answer within 0.7 s"), "{e}");
}

#[tokio::test]
async fn wait_pinned_retries_transient_errors_and_honours_retry_after() {
    // 503, then 429 with Retry-After: 1, then pinned
    let s = stub_sequence(vec![
        http_response("503 Service Unavailable", &[], b""),
        http_response(
            "429 Too Many Requests",
            &[JSON, ("Retry-After", "1")],
            br#"{"error":{"reason":"RATE_LIMITED"}}"#,
        ),
        http_response("200 OK", &[JSON], pin_status_json("pinned").as_bytes()),
    ]);
    let started = Instant::now();
    let st = client_for("flaky", &s.url, TOKEN)
        .wait_pinned("r-1", Duration::from_secs(10))
        .await
        .expect("pinned after retries");
    assert_eq!(st.status, Status::Pinned);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured: {:?}",
        started.elapsed()
    );
    assert_eq!(s.requests.try_iter().count(), 3);

    // a non-transient error ends the wait at once
    let s = stub_sequence(vec![http_response(
        "401 Unauthorized",
        &[JSON],
        br#"{"error":{"reason":"UNAUTHORIZED"}}"#,
    )]);
    let started = Instant::now();
    let e = client_for("flaky", &s.url, TOKEN)
        .wait_pinned("r-1", Duration::from_secs(10))
        .await
        .expect_err("401");
    assert_eq!(e.code(), "unauthorized");
    assert!(started.elapsed() < Duration::from_secs(2));
}

fn status_at(id: &str, created: &str) -> String {
    pin_status_json("pinned")
        .replace(r#""requestid":"r-1""#, &format!(r#""requestid":"{id}""#))
        .replace("2020-07-27T17:32:28.276Z", created)
}

fn page(count: u32, items: &[(&str, &str)]) -> Vec<u8> {
    let results: Vec<String> = items.iter().map(|(id, t)| status_at(id, t)).collect();
    let body = format!(r#"{{"count":{count},"results":[{}]}}"#, results.join(","));
    http_response("200 OK", &[JSON], body.as_bytes())
}

#[tokio::test]
async fn paging_passes_the_oldest_created_as_before_and_copes_with_page_length_counts() {
    // this service reports the page length as `count` (as the unpatched mock does): a full page
    // is still followed up
    let s = stub_sequence(vec![
        page(
            2,
            &[("c", "2024-01-01T00:00:03Z"), ("b", "2024-01-01T00:00:02Z")],
        ),
        page(1, &[("a", "2024-01-01T00:00:01Z")]),
    ]);
    let all = client_for("stub", &s.url, TOKEN)
        .list_all(&ListFilter::new().limit(2))
        .await
        .expect("all");
    let ids: Vec<&str> = all.iter().map(|p| p.requestid.as_str()).collect();
    assert_eq!(ids, ["c", "b", "a"]);
    let heads: Vec<String> = s.requests.try_iter().collect();
    assert_eq!(heads.len(), 2);
    assert!(!heads[0].contains("before="), "{}", heads[0]);
    assert!(
        heads[1].contains("before=2024-01-01T00%3A00%3A02Z"),
        "{}",
        heads[1]
    );

    // a service that ignores `before` would loop forever: refused
    let same = page(
        5,
        &[("c", "2024-01-01T00:00:03Z"), ("b", "2024-01-01T00:00:02Z")],
    );
    let s = stub_sequence(vec![same.clone(), same]);
    let e = client_for("stub", &s.url, TOKEN)
        .list_all(&ListFilter::new().limit(2))
        .await
        .expect_err("no progress");
    assert_eq!(e.code(), "invalid_response");
    assert!(e.to_string().contains("paging does not advance"), "{e}");
}
