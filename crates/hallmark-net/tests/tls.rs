//! Real TLS handshakes against a TLS terminator in front of a real anvil: the consortium's CA
//! works, and an unknown CA, an expired certificate and a wrong host name are each refused with
//! their own code.

use hallmark_domain::ErrorCode;
use hallmark_net::{TlsProblem, Trust, client_builder};
use hallmark_testkit::anvil::Anvil;
use hallmark_testkit::tls::{TestCa, TlsProxy, Validity};

/// `eth_chainId` over the client; the TLS problem when it fails.
async fn chain_id(trust: &Trust, url: &str) -> Result<String, (TlsProblem, String)> {
    let client = client_builder(trust).no_proxy().build().expect("client");
    let answer = client
        .post(url)
        .json(
            &serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}),
        )
        .send()
        .await;
    match answer {
        Ok(response) => {
            let body: serde_json::Value = response.json().await.expect("JSON-RPC answer");
            Ok(body["result"].as_str().unwrap_or_default().to_owned())
        }
        Err(e) => {
            let problem = TlsProblem::of(&e).unwrap_or_else(|| panic!("not a TLS failure: {e:?}"));
            Err((problem, e.to_string()))
        }
    }
}

fn trusting(ca: &TestCa) -> Trust {
    Trust::system()
        .without_system_roots()
        .with_pem(ca.pem().as_bytes(), "the test CA")
        .expect("the CA's PEM")
}

#[tokio::test]
async fn the_consortium_ca_is_trusted_and_every_certificate_problem_has_its_code() {
    let anvil = Anvil::start();
    let ca = TestCa::new("Consortium test CA");

    let good = TlsProxy::start(&ca.localhost_cert(), anvil.port());
    assert_eq!(
        chain_id(&trusting(&ca), &good.url("127.0.0.1")).await,
        Ok("0x7a69".to_owned()),
        "anvil answers through TLS with the consortium CA trusted"
    );
    assert_eq!(
        chain_id(&trusting(&ca), &good.url("localhost")).await,
        Ok("0x7a69".to_owned())
    );

    // The same server, but this installation never imported the consortium's CA.
    let stranger = TestCa::new("Someone else's CA");
    let (problem, _) = chain_id(&trusting(&stranger), &good.url("127.0.0.1"))
        .await
        .expect_err("an unknown CA is refused");
    assert_eq!(problem, TlsProblem::UnknownAuthority);
    assert_eq!(problem.code(), ErrorCode::NetTlsUnknownAuthority);
    // The system roots alone do not know a consortium's private CA either.
    let (problem, _) = chain_id(&Trust::system(), &good.url("127.0.0.1"))
        .await
        .expect_err("system roots do not include the test CA");
    assert_eq!(problem, TlsProblem::UnknownAuthority);

    let expired = TlsProxy::start(
        &ca.server_cert(&["127.0.0.1", "localhost"], Validity::Expired),
        anvil.port(),
    );
    let (problem, message) = chain_id(&trusting(&ca), &expired.url("127.0.0.1"))
        .await
        .expect_err("an expired certificate is refused");
    assert_eq!(problem, TlsProblem::Expired, "{message}");
    assert_eq!(problem.code(), ErrorCode::NetTlsExpired);

    let elsewhere = TlsProxy::start(
        &ca.server_cert(&["node.other.example"], Validity::Current),
        anvil.port(),
    );
    let (problem, message) = chain_id(&trusting(&ca), &elsewhere.url("127.0.0.1"))
        .await
        .expect_err("a certificate for another host is refused");
    assert_eq!(problem, TlsProblem::WrongHost, "{message}");
    assert_eq!(problem.code(), ErrorCode::NetTlsWrongHost);
}

#[test]
fn a_ca_file_that_is_not_pem_is_refused_with_its_code() {
    let error = Trust::system()
        .with_pem(b"not a certificate", "ca.pem")
        .expect_err("garbage is refused");
    assert_eq!(error.code(), ErrorCode::NetBadCaCertificate);
    let ca = TestCa::new("A");
    let trust = Trust::system()
        .with_pem(ca.pem().as_bytes(), "ca.pem")
        .expect("a PEM CA");
    assert_eq!(trust.extra_root_count(), 1);
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = Trust::system()
        .with_pem_file(&dir.path().join("nope.pem"))
        .expect_err("a missing file is refused");
    assert!(missing.to_string().contains("nope.pem"), "{missing}");
}
