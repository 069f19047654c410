//! The app-owned dev chain against the real anvil: start, answer, persist state across restarts,
//! stop cleanly, and clean up after a crashed session.

use std::time::Duration;

use hallmark_engine::devchain::{DevChain, DevChainOptions, find_anvil};
use hallmark_engine::{Config, DEV_CHAIN_ID, Engine};

fn options(dir: &std::path::Path) -> DevChainOptions {
    DevChainOptions {
        anvil: find_anvil(None).expect("anvil is installed by `make test` (scripts/setup.sh)"),
        chain_dir: dir.join("chain"),
        port: None,
        chain_id: DEV_CHAIN_ID,
    }
}

async fn mine(url: &str) {
    let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "evm_mine", "params": []});
    reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("evm_mine")
        .error_for_status()
        .expect("evm_mine status");
}

#[tokio::test]
async fn state_survives_a_clean_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chain = DevChain::start(&options(dir.path())).await.expect("start");
    assert_eq!(
        chain.rpc().chain_id().await.expect("chain id"),
        DEV_CHAIN_ID
    );
    for _ in 0..3 {
        mine(chain.rpc().url()).await;
    }
    assert_eq!(chain.rpc().block_number().await.expect("head"), 3);
    chain.stop().await;
    assert!(dir.path().join("chain/anvil-state.json").is_file());
    assert!(!dir.path().join("chain/anvil.pid").exists());

    let again = DevChain::start(&options(dir.path()))
        .await
        .expect("restart");
    assert_eq!(again.rpc().block_number().await.expect("head"), 3);
    again.stop().await;
}

#[tokio::test]
async fn an_orphaned_anvil_is_stopped_and_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chain_dir = dir.path().join("chain");
    std::fs::create_dir_all(&chain_dir).expect("mkdir");
    // A crashed session's anvil: started detached (its parent, `sh`, exits at once).
    let anvil = find_anvil(None).expect("anvil");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#""$0" --host 127.0.0.1 --port 0 >/dev/null 2>&1 & echo $!"#)
        .arg(&anvil)
        .output()
        .expect("spawn orphan");
    let pid: i32 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("pid");
    std::fs::write(chain_dir.join("anvil.pid"), pid.to_string()).expect("pid file");
    std::thread::sleep(Duration::from_millis(300));

    let chain = DevChain::start(&options(dir.path())).await.expect("start");
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists()
            || std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|s| s.contains(") Z ")),
        "the orphan must be gone"
    );
    chain.stop().await;
}

#[tokio::test]
async fn engine_status_reports_the_running_chain_and_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(Config::embedded(dir.path().to_owned()))
        .await
        .expect("open");
    let before = engine.status().await;
    assert!(before.chain.head_block.is_none());
    assert!(before.chain.error.is_some());
    assert!(before.chain.contracts.is_none());
    assert!(before.database.is_file(), "SQLite lives in the data folder");

    engine.start_dev_chain().await.expect("dev chain");
    let status = engine.status().await;
    let head = status.chain.head_block.expect("head block");
    assert!(
        head > 5,
        "deploying and seeding mined blocks, head = {head}"
    );
    assert_eq!(status.chain.chain_id, DEV_CHAIN_ID);
    assert!(status.chain.error.is_none(), "{:?}", status.chain.error);
    let contracts = status
        .chain
        .contracts
        .expect("contracts deployed on first start");
    assert_eq!(status.store.backend, "embedded");
    assert!(status.store.error.is_none(), "{:?}", status.store.error);
    engine.shutdown().await;
    assert!(engine.status().await.chain.head_block.is_none());
    drop(engine);

    // A second start finds the same contracts (state persisted) and deploys nothing.
    let engine = Engine::open(Config::embedded(dir.path().to_owned()))
        .await
        .expect("reopen");
    engine.start_dev_chain().await.expect("dev chain again");
    let again = engine.status().await;
    assert_eq!(again.chain.head_block, Some(head), "nothing redeployed");
    let found = again.chain.contracts.expect("contracts found");
    assert_eq!(
        (found.works, found.market),
        (contracts.works, contracts.market)
    );
    engine.shutdown().await;
}

#[tokio::test]
async fn a_missing_anvil_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = DevChainOptions {
        anvil: dir.path().join("no-such-anvil"),
        chain_dir: dir.path().join("chain"),
        port: None,
        chain_id: DEV_CHAIN_ID,
    };
    let err = DevChain::start(&options).await.expect_err("must fail");
    assert_eq!(err.code(), "chain.dev_chain");
    assert!(err.to_string().contains("make run"), "{err}");
}
