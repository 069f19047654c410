//! One consortium, two installations (issue 16, the consortium profile): installation A founds a
//! consortium on a standalone anvil ("the consortium's node", owned by neither installation) with
//! `consortium deploy`, and exports its signed profile naming the node's https address and the
//! consortium's CA; installation B joins with `consortium profile use` through TLS and syncs A's
//! works. Every profile that must not be used — truncated, changed after signing, signed by a
//! non-council account, for another chain, with a contract of another suite, with an address
//! without code, without the CA its node needs — is refused with its own code, and B's data
//! folder is left exactly as it was.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Anvil, assert_ok, cli, register_and_list, stderr};
use hallmark_chain::{
    ChainClient, ConfirmationPolicy, DemoAccounts, DeployParams, credits, deploy_suite, seed_demo,
};
use hallmark_engine::{ChainConfig, Config, ConsortiumProfile};
use hallmark_testkit::tls::{TestCa, TlsProxy};

fn assert_code(o: &Output, code: &str) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    let first = err.lines().next().unwrap_or_default().to_owned();
    assert!(first.starts_with("error: "), "{err}");
    assert!(first.ends_with(&format!(" [{code}]")), "not {code}: {err}");
    for internal in ["os error", "::", "panicked"] {
        assert!(!err.contains(internal), "`{internal}` in: {err}");
    }
    first
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8")
}

/// Every file under `dir` with its bytes (empty when `dir` does not exist).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                files.push((path.display().to_string(), bytes));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn two_installations_join_one_consortium_mint_share_media_buy_and_prove() {
    let node = Anvil::start();
    let dir = tempfile::tempdir().expect("tmp");
    let a = dir.path().join("installation-a");
    let b = dir.path().join("installation-b");
    std::fs::create_dir_all(&b).expect("b");
    let ca = TestCa::new("Guild CA");
    let ca_file = dir.path().join("guild-ca.pem");
    std::fs::write(&ca_file, ca.pem()).expect("CA file");
    let tls = TlsProxy::start(&ca.localhost_cert(), node.port());
    let public_url = tls.url("127.0.0.1");
    let public_ws_url = public_url.replacen("https://", "wss://", 1);
    // The consortium's IPFS node (the js-ipfs test daemon) behind TLS too.
    let kubo_port: u16 = std::env::var("HALLMARK_TEST_KUBO_API")
        .expect("HALLMARK_TEST_KUBO_API is not set: run the tests with `make test`")
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .expect("a port in HALLMARK_TEST_KUBO_API");
    let kubo_tls = TlsProxy::start(&ca.localhost_cert(), kubo_port);
    let kubo_url = kubo_tls.url("localhost");

    // A founds the consortium on the node (over its loopback address) and publishes a profile
    // naming the node's https address and the CA that signs its certificate.
    let out = assert_ok(
        // A two-block vote and no time lock, so the seeding below runs at once (the council
        // test covers the defaults).
        &cli().run(
            &a,
            &[
                "consortium",
                "deploy",
                "--rpc",
                &node.endpoint(),
                "--voting-blocks",
                "2",
                "--time-lock",
                "0",
            ],
        ),
        "consortium deploy",
    );
    assert!(out.contains("HallmarkMarket"), "{out}");
    let good = dir.path().join("guild.profile.json");
    let out = assert_ok(
        &cli().run(
            &a,
            &[
                "consortium",
                "profile",
                "export",
                s(&good),
                "--name",
                "Test Guild",
                "--rpc",
                &public_url,
                "--ws",
                &public_ws_url,
                "--kubo",
                &kubo_url,
                "--ca",
                s(&ca_file),
            ],
        ),
        "profile export",
    );
    assert!(out.contains("Test Guild"), "{out}");
    let profile = ConsortiumProfile::read(&good).expect("the exported profile parses");
    assert_eq!(profile.body.chain.rpc_urls, vec![public_url.clone()]);
    assert_eq!(profile.body.chain.ws_urls, vec![public_ws_url.clone()]);
    assert_eq!(profile.body.ca_certificates.len(), 1);

    // The council seeds roles and the issuer registers two works (as A's members would).
    let accounts = DemoAccounts::standard(2).expect("keys");
    common::runtime().block_on(async {
        let council = ChainClient::connect(
            &node.endpoint(),
            accounts.council.clone(),
            profile.body.deployment.clone(),
            ConfirmationPolicy::default(),
        )
        .await
        .expect("council");
        seed_demo(&council, &accounts, credits(100))
            .await
            .expect("seed");
        let issuer = council.as_account(accounts.issuer.clone()).expect("issuer");
        register_and_list(&issuer, 2).await;
    });

    // Profiles B must refuse, each with its code; B's folder stays exactly as it was.
    let before = snapshot(&b);
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        path
    };
    let signed = |edit: &dyn Fn(&mut hallmark_engine::ProfileBody),
                  by: &hallmark_chain::PrivateKeySigner| {
        let mut body = profile.body.clone();
        edit(&mut body);
        body.sign(by).expect("sign").to_file_bytes().expect("bytes")
    };
    let text = std::fs::read(&good).expect("profile");
    // Another network with the same chain id: its block 0 differs (another genesis time).
    let other_node = Anvil::builder().args(["--timestamp", "1000000"]).spawn();
    let other_suite = common::runtime().block_on(async {
        deploy_suite(
            &node.endpoint(),
            &accounts.council,
            &DeployParams::dev(dir.path().join("other-suite")),
        )
        .await
        .expect("a second suite on the same chain")
    });
    let council = &accounts.council;
    let bad: Vec<(&str, std::path::PathBuf, &str)> = vec![
        (
            "truncated",
            write("truncated.json", &text[..text.len() / 2]),
            "profile.invalid",
        ),
        (
            "changed after signing",
            write(
                "changed.json",
                String::from_utf8_lossy(&text)
                    .replace(
                        &format!("{:#x}", profile.body.deployment.market),
                        &format!("{:#x}", other_suite.market),
                    )
                    .as_bytes(),
            ),
            "profile.bad_signature",
        ),
        (
            "signed by a member",
            write("member.json", &signed(&|_| {}, &accounts.members[0])),
            "profile.signer_not_council",
        ),
        (
            "another chain with the same id",
            write(
                "other-chain.json",
                &signed(&|b| b.chain.rpc_urls = vec![other_node.endpoint()], council),
            ),
            "profile.wrong_chain",
        ),
        (
            "a market of another suite",
            write(
                "miswired.json",
                &signed(&|b| b.deployment.market = other_suite.market, council),
            ),
            "chain.miswired",
        ),
        (
            "an address without code",
            write(
                "no-code.json",
                &signed(
                    &|b| b.deployment.works = hallmark_chain::Address::repeat_byte(0x42),
                    council,
                ),
            ),
            "chain.not_deployed",
        ),
        (
            "without the CA its node needs",
            write(
                "no-ca.json",
                &signed(&|b| b.ca_certificates.clear(), council),
            ),
            "net.tls_unknown_authority",
        ),
        (
            "plain http to another machine",
            write(
                "plain.json",
                &signed(
                    &|b| b.chain.rpc_urls = vec!["http://10.1.2.3:8545".into()],
                    council,
                ),
            ),
            "net.plain_http_refused",
        ),
        (
            "plain ws to another machine",
            write(
                "plain-ws.json",
                &signed(
                    &|b| b.chain.ws_urls = vec!["ws://10.1.2.3:8546".into()],
                    council,
                ),
            ),
            "net.plain_http_refused",
        ),
    ];
    for (what, file, code) in &bad {
        let line = assert_code(
            &cli().run(&b, &["consortium", "profile", "use", s(file)]),
            code,
        );
        eprintln!("{what}: {line}");
        assert_eq!(snapshot(&b), before, "{what} changed B's data folder");
    }

    // The real profile: checked through TLS with its CA, then B is on the consortium.
    let out = assert_ok(
        &cli().run(&b, &["consortium", "profile", "use", s(&good)]),
        "profile use",
    );
    assert!(
        out.contains("Test Guild") && out.contains("wired as recorded"),
        "{out}"
    );
    let config = Config::load(Some(b.clone())).expect("B's config");
    assert_eq!(
        config.chain,
        ChainConfig::Rpc {
            url: public_url,
            chain_id: 31337,
            ws_url: Some(public_ws_url),
        }
    );
    assert_eq!(config.network.ca_certificates.len(), 1);
    // B keeps its embedded store: new works go up to the consortium's node, and blocks it
    // lacks are read through from it.
    assert_eq!(config.ipfs, hallmark_engine::IpfsBackend::Embedded);
    assert_eq!(
        config.consortium_ipfs.upload.as_deref(),
        Some(kubo_url.as_str())
    );
    assert_eq!(
        config.consortium_ipfs.read,
        vec![hallmark_engine::ReadEndpoint {
            kind: hallmark_engine::ReadKind::KuboRpc,
            url: kubo_url.clone()
        }]
    );
    assert_ok(&cli().run(&b, &["sync"]), "B syncs over TLS");
    let browse = assert_ok(&cli().run(&b, &["browse", "--json"]), "browse");
    let listed: serde_json::Value = serde_json::from_str(&browse).expect("browse JSON");
    let count = listed
        .as_array()
        .map(Vec::len)
        .or_else(|| listed["items"].as_array().map(Vec::len))
        .unwrap_or_default();
    assert_eq!(count, 2, "B sees A's two works: {browse}");
    // Using it again is harmless.
    assert_ok(
        &cli().run(&b, &["consortium", "profile", "use", s(&good)]),
        "profile use again",
    );

    // A work minted on A is seen on B with its media: A uses the profile too (its media go to
    // the consortium's IPFS node over TLS), mints; B syncs, sees it, and reads its media back,
    // CID-verified, from the consortium's node.
    assert_ok(
        &cli().run(&a, &["consortium", "profile", "use", s(&good)]),
        "A joins its own consortium",
    );
    let picture = dir.path().join("harbour.png");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(7);
    let bytes = hallmark_testkit::pictures::save(
        &hallmark_testkit::pictures::noise(120, 80, u64::from(nanos)),
        &picture,
    );
    // First the consortium's node is down for A: the mint stops before anything is
    // registered (others could not see its media), and the journal keeps it.
    let mut a_config = Config::load(Some(a.clone())).expect("A's config");
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!(
            "https://localhost:{}",
            listener.local_addr().expect("addr").port()
        )
    };
    a_config.consortium_ipfs.upload = Some(dead);
    a_config.save().expect("save");
    let line = assert_code(
        &cli().run(
            &a,
            &["mint", s(&picture), "--title", "Harbour at dawn", "--json"],
        ),
        "mint.upload_failed",
    );
    assert!(line.contains("resume"), "{line}");
    let jobs = assert_ok(&cli().run(&a, &["jobs", "list", "--json"]), "jobs");
    assert!(jobs.contains("Harbour at dawn"), "{jobs}");
    // The node is back: resuming the kept mint uploads and registers it.
    a_config.consortium_ipfs.upload = Some(kubo_url);
    a_config.save().expect("save");
    let resumed = assert_ok(&cli().run(&a, &["jobs", "resume", "--json"]), "A resumes");
    let resumed: serde_json::Value = serde_json::from_str(&resumed).expect("resume JSON");
    let minted = resumed[0]["outcome"].clone();
    let media_cid = minted["media_cid"]
        .as_str()
        .unwrap_or_else(|| panic!("a resumed mint: {resumed}"))
        .to_owned();
    let token = minted["token_id"].to_string();
    let jobs = assert_ok(&cli().run(&a, &["jobs", "list", "--json"]), "jobs");
    assert!(!jobs.contains("Harbour at dawn"), "{jobs}");
    // A's own copy is gone: whatever B reads came from the consortium's node.
    std::fs::remove_dir_all(a.join("ipfs")).expect("remove A's store");
    assert_ok(&cli().run(&b, &["sync"]), "B syncs the new work");
    let shown = assert_ok(&cli().run(&b, &["show", &token, "--json"]), "B shows it");
    assert!(shown.contains("Harbour at dawn"), "{shown}");
    let back = dir.path().join("on-b.png");
    assert_ok(
        &cli().run(&b, &["ipfs", "cat", &media_cid, "-o", s(&back)]),
        "B reads the media from the consortium's node",
    );
    assert_eq!(std::fs::read(&back).expect("media on B"), bytes);
    // And it is cached on B: read again with the consortium's node out of reach.
    drop(kubo_tls);
    let again = dir.path().join("on-b-offline.png");
    assert_ok(
        &cli().run(&b, &["ipfs", "cat", &media_cid, "-o", s(&again)]),
        "B reads the cached media offline",
    );
    assert_eq!(std::fs::read(&again).expect("media on B"), bytes);

    // The collector on B has her own keystore account; the council admits her and issues her
    // credits (with gas money: this chain charges for gas).
    let password = "correct horse battery";
    let created = {
        let mut command = cli().command(&b);
        command
            .args(["wallet", "create", "--label", "Bea"])
            .env("HALLMARK_PASSWORD", password);
        command.output().expect("wallet create")
    };
    let created = assert_ok(&created, "B creates a keystore account");
    let bea = created
        .split_whitespace()
        .find(|w| w.starts_with("0x") && w.len() == 42)
        .unwrap_or_else(|| panic!("an address in: {created}"))
        .to_owned();
    assert_ok(
        &cli().run(&a, &["consortium", "add-member", &bea]),
        "the council admits Bea",
    );
    let funded = assert_ok(
        &cli().run(&a, &["consortium", "add-credits", &bea, "--credits", "100"]),
        "the council issues Bea credits",
    );
    assert!(
        funded.contains("100 credits") && funded.contains("gas money"),
        "{funded}"
    );

    // The artist lists the work; Bea buys it at the price she confirms, signing on B.
    assert_ok(
        &cli().run(&a, &["list", &token, "--price", "15", "--as", "issuer"]),
        "A lists the work",
    );
    let run_as_bea = |args: &[&str]| {
        let mut command = cli().command(&b);
        command.args(args).env("HALLMARK_PASSWORD", password);
        command.output().expect("run")
    };
    assert_ok(&run_as_bea(&["sync"]), "B syncs the listing");
    assert_code(
        &run_as_bea(&["buy", &token, "--price", "14", "--as", &bea]),
        "chain.price_mismatch",
    );
    assert_ok(
        &run_as_bea(&["buy", &token, "--price", "15", "--as", &bea]),
        "Bea buys",
    );

    // A sees the sale: the token is Bea's, and the artist was paid (15 credits less the
    // platform fee of 2.5 %).
    assert_ok(&cli().run(&a, &["sync"]), "A syncs the sale");
    let shown = assert_ok(&cli().run(&a, &["show", &token, "--json"]), "A shows it");
    assert!(
        shown.to_lowercase().contains(&bea.to_lowercase()),
        "{shown}"
    );
    // The royalty (10 % of 15.00 credits, in cents) was paid to the artist by the market.
    let shown: serde_json::Value = serde_json::from_str(&shown).expect("show JSON");
    let payouts: Vec<&serde_json::Value> = shown["provenance"]
        .as_array()
        .expect("provenance")
        .iter()
        .filter(|e| e["kind"] == "payout")
        .collect();
    let issuer = format!("{:#x}", accounts.issuer.address());
    assert!(
        payouts
            .iter()
            .any(|p| p["amount"] == 150 && p["counterparty"] == issuer.as_str()),
        "a 1.50-credit royalty to the artist: {payouts:?}"
    );

    // Bea proves ownership on B; A verifies the bundle against the consortium's chain.
    let bundle = dir.path().join("bea-proof.zip");
    assert_ok(
        &run_as_bea(&[
            "prove",
            &token,
            "--as",
            &bea,
            "--challenge",
            "4711",
            "-o",
            s(&bundle),
        ]),
        "Bea exports her proof",
    );
    let report = assert_ok(
        &cli().run(&a, &["verify", s(&bundle), "--challenge", "4711"]),
        "A verifies Bea's proof",
    );
    assert!(
        report.to_lowercase().contains(&bea.to_lowercase()),
        "{report}"
    );
}
