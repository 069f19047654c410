//! Shared by the CLI tests: a data folder on a test anvil with the suite deployed and seeded,
//! works registered and listed, the `hallmark` binary (both from `hallmark-testkit`), and a
//! seeded random generator.
// Each test binary compiles this module and uses a part of it.
#![allow(dead_code, unused_imports)]

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use hallmark_chain::{
    B256, ChainClient, ConfirmationPolicy, DemoAccounts, DeployParams, U256, WorkInput, credits,
    deploy_suite, seed_demo,
};
use hallmark_engine::{ChainConfig, Config, IpfsBackend};
pub(crate) use hallmark_testkit::Anvil;
use hallmark_testkit::Hallmark;

/// A loopback port nothing listens on (yet).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port()
}

/// A data folder at `data` using the embedded store and the chain at `url`.
pub(crate) fn rpc_data_folder(data: &Path, url: &str) -> Config {
    data_folder(data, url, IpfsBackend::Embedded)
}

/// A data folder at `data` using the content store `ipfs` and the chain at `url`.
pub(crate) fn data_folder(data: &Path, url: &str, ipfs: IpfsBackend) -> Config {
    let config = Config {
        data_dir: data.to_owned(),
        ipfs,
        chain: ChainConfig::Rpc {
            url: url.to_owned(),
            chain_id: 31337,
            ws_url: None,
        },
        limits: Default::default(),
        copy_detection: Default::default(),
        pinning: Vec::new(),
        network: Default::default(),
        consortium_ipfs: Default::default(),
    };
    std::fs::create_dir_all(data).expect("data");
    config.save().expect("config");
    config
}

/// Deploys the suite (recorded in the data folder) and seeds the demo roles and credits;
/// returns the council's client.
pub(crate) async fn deploy_and_seed(url: &str, config: &Config) -> ChainClient {
    std::fs::create_dir_all(config.chain_dir()).expect("chain dir");
    let accounts = DemoAccounts::standard(2).expect("keys");
    let deployment = deploy_suite(
        url,
        &accounts.council,
        &DeployParams::dev(config.chain_dir()),
    )
    .await
    .expect("deploy");
    let council = ChainClient::connect(
        url,
        accounts.council.clone(),
        deployment,
        ConfirmationPolicy::default(),
    )
    .await
    .expect("connect");
    seed_demo(&council, &accounts, credits(100))
        .await
        .expect("seed");
    council
}

/// Registers `works` works as `issuer` (content hash = the number) and lists each for as many
/// credits: two blocks each. Returns the first token.
pub(crate) async fn register_and_list(issuer: &ChainClient, works: u64) -> U256 {
    let mut first = None;
    for i in 1..=works {
        let input = WorkInput {
            content_hash: B256::from(U256::from(i)),
            metadata_hash: B256::from(U256::from(i + 1_000_000)),
            metadata_cid: format!("bafkreiwork{i}"),
            creator: issuer.address(),
            max_editions: 1,
            royalty_bps: 100,
            splits: vec![],
        };
        let minted = issuer
            .register_work(&input, issuer.address())
            .await
            .expect("register");
        issuer
            .list(minted.token_id, credits(i))
            .await
            .expect("list");
        first.get_or_insert(minted.token_id);
    }
    first.expect("at least one work")
}

/// A current-thread runtime for the test's own chain calls.
pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// The `hallmark` binary of this crate (the test kit's runner: no inherited settings).
pub(crate) fn cli() -> Hallmark {
    hallmark_testkit::hallmark_cli!()
}

/// `hallmark --data-dir DATA`, ready for arguments.
pub(crate) fn hallmark(data: &Path) -> Command {
    cli().command(data)
}

/// The crash seed: `$HALLMARK_CRASH_SEED`, else the clock (printed so a failure can be
/// replayed).
pub(crate) fn crash_seed() -> u64 {
    let seed = std::env::var("HALLMARK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(7)
        });
    eprintln!("crash seed {seed} (HALLMARK_CRASH_SEED to replay)");
    seed
}

/// A small deterministic generator.
pub(crate) fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

/// A command's stderr as text.
pub(crate) fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that the command succeeded; its stdout.
pub(crate) fn assert_ok(o: &std::process::Output, what: &str) -> String {
    assert!(o.status.success(), "{what} failed: {}", stderr(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}
