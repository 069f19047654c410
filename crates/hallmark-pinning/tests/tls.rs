//! A pinning service behind TLS (issue 16): the real pinning test server behind a real TLS
//! terminator with a certificate from a CA made at test time. Trusting that CA, pins go through
//! and wait to `pinned`; an installation that does not trust it gets [`PinningError::Tls`] with
//! the unknown-authority problem and its own code, and no pin is made.

mod common;

use std::time::Duration;

use common::{TestServer, cid, client_for};
use hallmark_net::{TlsProblem, Trust, set_default_trust};
use hallmark_pinning::{Pin, PinningError, Status};
use hallmark_testkit::tls::{TestCa, TlsProxy};

#[tokio::test]
async fn an_https_pinning_service_is_trusted_through_the_consortium_ca_only() {
    let server = TestServer::start(100);
    let port: u16 = server
        .url
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .expect("the test server's port");
    let ca = TestCa::new("Consortium CA");
    let proxy = TlsProxy::start(&ca.localhost_cert(), port);
    let url = proxy.url("localhost");

    // This process has not been told about the consortium's CA: the system roots do not know it.
    set_default_trust(Trust::system());
    let client = client_for("tls", &url, &server.token);
    let refused = client
        .add(&Pin::new(cid(7)).with_name("not-sent"))
        .await
        .expect_err("an unknown CA is refused");
    match &refused {
        PinningError::Tls { problem, .. } => assert_eq!(*problem, TlsProblem::UnknownAuthority),
        other => panic!("not a TLS refusal: {other:?}"),
    }
    assert_eq!(refused.code(), "tls");
    assert!(
        refused.to_string().contains("cannot be trusted"),
        "{refused}"
    );

    // The installation now trusts the consortium's CA (as the engine does from its config).
    set_default_trust(
        Trust::system()
            .with_pem(ca.pem().as_bytes(), "the consortium CA")
            .expect("PEM"),
    );
    let client = client_for("tls", &url, &server.token);
    let queued = client
        .add(&Pin::new(cid(8)).with_name("over-tls"))
        .await
        .expect("add over https");
    let pinned = client
        .wait_pinned(&queued.requestid, Duration::from_secs(20))
        .await
        .expect("pinned over https");
    assert_eq!(pinned.status, Status::Pinned);
    // Only the pin sent over a trusted link exists.
    let names: Vec<String> = client
        .list(&Default::default())
        .await
        .expect("list")
        .results
        .into_iter()
        .filter_map(|p| p.pin.name)
        .collect();
    assert_eq!(names, vec!["over-tls".to_owned()]);
}
