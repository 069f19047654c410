//! Every link to a node speaks TLS (issue 16): the real `hallmark` binary syncs from a real anvil
//! and stores media on the js-ipfs test daemon, each behind a real TLS terminator whose
//! certificate is signed by a consortium CA made at test time. The CA from
//! `network.ca_certificates` is trusted; an unknown CA, an expired certificate and a certificate
//! for another host are each refused with their own code; plain http to another machine is
//! refused before anything is sent; a CA file that is not a certificate is named.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Anvil, cli, data_folder, deploy_and_seed, register_and_list};
use hallmark_chain::DemoAccounts;
use hallmark_engine::{ChainConfig, Config, IpfsBackend};
use hallmark_testkit::pictures;
use hallmark_testkit::tls::{TestCa, TlsProxy, Validity};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output, what: &str) {
    assert!(o.status.success(), "{what} failed: {}", stderr(o));
}

/// Fails with `[code]` on its `error:` line, naming every word of `expect`.
fn assert_code(o: &Output, code: &str, expect: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    let first = err.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{err}");
    assert!(first.ends_with(&format!(" [{code}]")), "not {code}: {err}");
    for word in expect {
        assert!(err.contains(word), "`{word}` not in: {err}");
    }
    for internal in ["os error", "::", "panicked", "InvalidCertificate"] {
        assert!(!err.contains(internal), "`{internal}` in: {err}");
    }
}

fn kubo_port() -> u16 {
    let api = std::env::var("HALLMARK_TEST_KUBO_API").expect(
        "HALLMARK_TEST_KUBO_API is not set: run the tests with `make test`, which starts the js-ipfs test daemon",
    );
    api.rsplit(':')
        .next()
        .and_then(|port| port.trim_end_matches('/').parse().ok())
        .expect("a port in HALLMARK_TEST_KUBO_API")
}

/// Points the data folder at these URLs, trusting the CA certificates in `ca_files`.
fn configure(config: &mut Config, chain_url: &str, kubo_url: &str, ca_files: &[&Path]) {
    config.chain = ChainConfig::Rpc {
        url: chain_url.to_owned(),
        chain_id: 31337,
        ws_url: None,
    };
    config.ipfs = IpfsBackend::Kubo {
        api_url: kubo_url.to_owned(),
    };
    config.network.ca_certificates = ca_files.iter().map(|p| p.to_path_buf()).collect();
    config.save().expect("config");
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8")
}

#[test]
fn chain_and_ipfs_behind_tls_trust_the_consortium_ca_and_refuse_bad_certificates() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let ca = TestCa::new("Consortium CA");
    let ca_file = dir.path().join("consortium-ca.pem");
    std::fs::write(&ca_file, ca.pem()).expect("CA file");
    let chain_tls = TlsProxy::start(&ca.localhost_cert(), anvil.port());
    let kubo_tls = TlsProxy::start(&ca.localhost_cert(), kubo_port());

    let mut config = data_folder(&data, &anvil.endpoint(), IpfsBackend::Embedded);
    common::runtime().block_on(async {
        let council = deploy_and_seed(&anvil.endpoint(), &config).await;
        let issuer = council
            .as_account(DemoAccounts::standard(2).expect("keys").issuer)
            .expect("issuer");
        register_and_list(&issuer, 2).await;
    });
    configure(
        &mut config,
        &chain_tls.url("127.0.0.1"),
        &kubo_tls.url("localhost"),
        &[&ca_file],
    );

    // The consortium's CA is trusted: the catalog syncs over https, media goes to the IPFS node
    // over https and comes back verified.
    let o = cli().run(&data, &["sync"]);
    assert_ok(&o, "sync over TLS");
    let picture = dir.path().join("art.png");
    let bytes = pictures::save(&pictures::noise(96, 64, 1606), &picture);
    let o = cli().run(&data, &["ingest", s(&picture), "--json"]);
    assert_ok(&o, "ingest into the IPFS node over TLS");
    let ingested: serde_json::Value = serde_json::from_slice(&o.stdout).expect("ingest JSON");
    let cid = ingested["cid_v1"].as_str().expect("cid_v1").to_owned();
    let back = dir.path().join("back.png");
    let o = cli().run(&data, &["ipfs", "cat", &cid, "-o", s(&back)]);
    assert_ok(&o, "ipfs cat over TLS");
    assert_eq!(std::fs::read(&back).expect("read back"), bytes);

    // An installation that does not trust the consortium's CA.
    let stranger_file = dir.path().join("stranger.pem");
    std::fs::write(&stranger_file, TestCa::new("Stranger CA").pem()).expect("file");
    configure(
        &mut config,
        &chain_tls.url("127.0.0.1"),
        &kubo_tls.url("localhost"),
        &[&stranger_file],
    );
    assert_code(
        &cli().run(&data, &["sync"]),
        "net.tls_unknown_authority",
        &[&chain_tls.url("127.0.0.1"), "does not trust"],
    );
    assert_code(
        &cli().run(&data, &["ingest", s(&picture)]),
        "net.tls_unknown_authority",
        &[&kubo_tls.url("localhost"), "does not trust"],
    );

    // The consortium's CA, but an expired certificate, or one for another host.
    let expired = TlsProxy::start(
        &ca.server_cert(&["127.0.0.1", "localhost"], Validity::Expired),
        anvil.port(),
    );
    configure(
        &mut config,
        &expired.url("127.0.0.1"),
        &kubo_tls.url("localhost"),
        &[&ca_file],
    );
    assert_code(
        &cli().run(&data, &["sync"]),
        "net.tls_expired",
        &["expired"],
    );
    let misnamed = TlsProxy::start(
        &ca.server_cert(&["rpc.other.example"], Validity::Current),
        anvil.port(),
    );
    configure(
        &mut config,
        &misnamed.url("127.0.0.1"),
        &kubo_tls.url("localhost"),
        &[&ca_file],
    );
    assert_code(
        &cli().run(&data, &["sync"]),
        "net.tls_wrong_host",
        &["another host name"],
    );

    // Plain http to another machine is refused before anything is sent.
    configure(
        &mut config,
        "http://10.20.30.40:8545",
        &kubo_tls.url("localhost"),
        &[&ca_file],
    );
    assert_code(
        &cli().run(&data, &["sync"]),
        "net.plain_http_refused",
        &["chain.url", "http://10.20.30.40:8545", "https"],
    );
    configure(
        &mut config,
        &chain_tls.url("127.0.0.1"),
        "http://ipfs.consortium.example:5001",
        &[&ca_file],
    );
    assert_code(
        &cli().run(&data, &["ingest", s(&picture)]),
        "net.plain_http_refused",
        &["ipfs.api_url"],
    );

    // A CA file that is not a certificate is named, not ignored.
    let garbage = dir.path().join("not-a-ca.pem");
    std::fs::write(&garbage, "hello").expect("file");
    configure(
        &mut config,
        &chain_tls.url("127.0.0.1"),
        &kubo_tls.url("localhost"),
        &[&garbage],
    );
    assert_code(
        &cli().run(&data, &["sync"]),
        "net.bad_ca_certificate",
        &["not-a-ca.pem"],
    );

    // Back to the consortium's CA: everything works again, nothing was lost.
    configure(
        &mut config,
        &chain_tls.url("127.0.0.1"),
        &kubo_tls.url("localhost"),
        &[&ca_file],
    );
    assert_ok(&cli().run(&data, &["sync"]), "sync after the faults");
}

/// A one-request-at-a-time HTTP server on loopback that answers 401 to everything and hands
/// each request's `Authorization` header to the test.
fn recording_server() -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&head).to_string();
            let auth = text
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("authorization")
                        .then(|| value.trim().to_owned())
                })
                .unwrap_or_default();
            let _ = tx.send(auth);
            let _ = stream.write_all(
                b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    (url, rx)
}

#[test]
fn an_ipfs_node_behind_authentication_gets_its_credentials_and_they_never_leak() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data");
    let (node, requests) = recording_server();
    // The member reads other people's works through this node.
    let mut config = Config::load(Some(data.clone())).expect("config");
    config.consortium_ipfs.read = vec![hallmark_engine::ReadEndpoint {
        kind: hallmark_engine::ReadKind::KuboRpc,
        url: node.clone(),
    }];
    config.save().expect("save");
    let secret = "s3cret-bearer-token-91";
    let kept = {
        let mut command = cli().command(&data);
        command
            .args(["ipfs", "auth", &node])
            .env("HALLMARK_IPFS_TOKEN", secret);
        command.output().expect("ipfs auth")
    };
    assert!(kept.status.success(), "{}", stderr(&kept));
    let file = data.join("keystores/ipfs-auth.json");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("kept").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the credentials file is private");
    }
    // A block this node does not give: the request carries the header, the refusal is said
    // plainly, and the secret is in no output, log line or config file.
    let cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    let out = cli().run(&data, &["-vvv", "ipfs", "cat", cid]);
    assert!(!out.status.success());
    let sent = requests
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("a request reached the node");
    assert_eq!(sent, format!("Bearer {secret}"));
    for text in [
        String::from_utf8_lossy(&kept.stdout).to_string(),
        stderr(&kept),
        String::from_utf8_lossy(&out.stdout).to_string(),
        stderr(&out),
        std::fs::read_to_string(data.join("config.json")).expect("config"),
    ] {
        assert!(!text.contains(secret), "the secret leaked: {text}");
    }
    assert!(stderr(&out).contains("401"), "{}", stderr(&out));
    // Removed: the next request goes without it.
    let removed = cli().run(&data, &["ipfs", "auth", &node, "--remove"]);
    assert!(removed.status.success(), "{}", stderr(&removed));
    while requests.try_recv().is_ok() {}
    let _ = cli().run(&data, &["ipfs", "cat", cid]);
    let sent = requests
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("a request");
    assert_eq!(sent, "");
}
