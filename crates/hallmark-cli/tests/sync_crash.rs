//! Crash-resume: `hallmark sync` is killed (SIGKILL) at random moments while it applies one-block
//! pages; every restart resumes from the last committed page, the catalog file stays sound, and
//! the final catalog equals a clean `hallmark catalog rebuild`.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hallmark_engine::catalog::Catalog;
use hallmark_engine::chain::{
    B256, ChainClient, ConfirmationPolicy, DemoAccounts, DeployParams, U256, WorkInput, credits,
    deploy_suite, seed_demo,
};
use hallmark_engine::{ChainConfig, Config, IpfsBackend};

/// An anvil on a free loopback port, killed on drop.
struct Anvil {
    child: Child,
    url: String,
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_anvil() -> Anvil {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let anvil = hallmark_engine::devchain::find_anvil(None)
        .expect("anvil is installed (run `scripts/setup.sh test`)");
    let child = Command::new(anvil)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--chain-id",
            "31337",
            "--silent",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("anvil starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "anvil did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    Anvil {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

/// Deploys the suite, records it in the data folder, and fills the chain with `works`
/// registrations and as many listings (two blocks each).
async fn prepare_chain(url: &str, config: &Config, works: u64) {
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
    let issuer = council.as_account(accounts.issuer.clone()).expect("issuer");
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
    }
}

fn hallmark(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hallmark"));
    command
        .arg("--data-dir")
        .arg(data)
        .env_remove("HALLMARK_DATA_DIR");
    command
}

/// Works registered (and listed): 2 blocks each.
const WORKS: u64 = 120;

/// A small deterministic generator (the seed is printed so a failure can be replayed).
fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

#[test]
fn killed_syncs_resume_and_equal_a_clean_rebuild() {
    let anvil = start_anvil();
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let config = Config {
        data_dir: data.clone(),
        ipfs: IpfsBackend::Embedded,
        chain: ChainConfig::Rpc {
            url: anvil.url.clone(),
            chain_id: 31337,
        },
        limits: Default::default(),
        copy_detection: Default::default(),
        pinning: Vec::new(),
    };
    std::fs::create_dir_all(&data).expect("data");
    config.save().expect("config");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    runtime.block_on(prepare_chain(&anvil.url, &config, WORKS));

    let mut seed = std::env::var("HALLMARK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(7)
        });
    eprintln!("crash seed {seed} (HALLMARK_CRASH_SEED to replay)");
    let catalog_path = config.catalog_path();
    let mut kills_mid_sync = 0;
    let mut last_next_block = 0;
    let mut finished = false;
    for attempt in 0..40 {
        let mut child = hallmark(&data)
            .args(["sync", "--page-blocks", "1", "--max-page-blocks", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sync starts");
        let delay = 15 + next(&mut seed) % 150;
        std::thread::sleep(Duration::from_millis(delay));
        match child.try_wait().expect("wait") {
            Some(status) => {
                assert!(
                    status.success(),
                    "attempt {attempt}: sync failed with {status}"
                );
                finished = true;
            }
            None => {
                child.kill().expect("SIGKILL");
                let _ = child.wait();
                kills_mid_sync += 1;
            }
        }
        let catalog = Catalog::open(&catalog_path).expect("the catalog opens after a kill");
        assert_eq!(catalog.integrity_check().expect("check"), "ok");
        if let Some(state) = catalog.sync_state().expect("state") {
            assert!(
                state.next_block >= last_next_block,
                "checkpoints only move forward"
            );
            last_next_block = state.next_block;
        }
        drop(catalog);
        if finished {
            break;
        }
    }
    eprintln!("{kills_mid_sync} syncs killed mid-way before one finished");
    assert!(
        kills_mid_sync >= 3,
        "the kills must land during syncs ({kills_mid_sync})"
    );
    let status = hallmark(&data).arg("sync").output().expect("final sync");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );

    let resumed = Catalog::open(&catalog_path)
        .expect("open")
        .dump()
        .expect("dump");
    let rebuild = hallmark(&data)
        .args(["catalog", "rebuild"])
        .output()
        .expect("rebuild");
    assert!(
        rebuild.status.success(),
        "{}",
        String::from_utf8_lossy(&rebuild.stderr)
    );
    let rebuilt = Catalog::open(&catalog_path).expect("open");
    assert_eq!(rebuilt.stats().expect("stats").works, WORKS);
    assert_eq!(rebuilt.stats().expect("stats").listed, WORKS);
    assert_eq!(
        rebuilt.dump().expect("dump"),
        resumed,
        "a resumed catalog equals a clean rebuild"
    );
}
