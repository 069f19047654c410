//! The app-owned dev chain against the real anvil: start, answer, persist state across restarts,
//! stop cleanly, and clean up after a crashed session.

use std::time::Duration;

use hallmark_engine::devchain::{DevChain, DevChainOptions, find_anvil};
use hallmark_engine::{Config, DEV_CHAIN_ID, Engine};

fn options(dir: &std::path::Path) -> DevChainOptions {
    DevChainOptions {
        anvil: find_anvil().expect("anvil is installed by `make test` (scripts/setup.sh)"),
        chain_dir: dir.join("chain"),
        port: None,
        chain_id: DEV_CHAIN_ID,
    }
}

async fn mine(url: &str) {
    let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "evm_mine", "params": []});
    hallmark_net::default_client_builder()
        .build()
        .expect("client")
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
    let anvil = find_anvil().expect("anvil");
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

/// Sends one raw HTTP/1.1 request to the dev chain as a web page's browser would, and returns
/// the response's head and body in lowercase.
fn browser_request(url: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
        .write_all(request.replace("{host}", address).as_bytes())
        .expect("send");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).to_lowercase()
}

/// Security finding 9: anvil's default `Access-Control-Allow-Origin: *` let any web page in the
/// user's browser drive the dev chain (`anvil_impersonateAccount`, `anvil_setBalance` …). The
/// dev chain answers no page from another origin: no CORS headers, no preflight, and the form-style
/// request a page may send without one is not executed.
#[tokio::test]
async fn a_web_page_cannot_drive_the_dev_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chain = DevChain::start(&options(dir.path())).await.expect("start");
    let url = chain.rpc().url().to_owned();
    let preflight = browser_request(
        &url,
        "OPTIONS / HTTP/1.1\r\nHost: {host}\r\nOrigin: http://evil.example\r\n\
         Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n\
         Connection: close\r\n\r\n",
    );
    assert!(
        !preflight.contains("access-control-allow-origin"),
        "{preflight}"
    );
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"anvil_impersonateAccount","params":["0x0000000000000000000000000000000000000001"]}"#;
    let simple = browser_request(
        &url,
        &format!(
            "POST / HTTP/1.1\r\nHost: {{host}}\r\nOrigin: http://evil.example\r\n\
             Content-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(
        !simple.contains("access-control-allow-origin") && !simple.contains(r#""result""#),
        "{simple}"
    );
    chain.stop().await;
}

/// Security finding 10: a data folder's `config.json` named a program (`chain.anvil`) that the
/// app ran at start, and the webview can choose the next data folder. The dev chain's anvil now
/// comes only from the installation and the environment: the named program never runs.
#[tokio::test]
async fn a_data_folder_cannot_name_a_program_to_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    let marker = dir.path().join("it-ran");
    let program = dir.path().join("not-anvil.sh");
    std::fs::write(
        &program,
        format!("#!/bin/sh\ntouch {}\nsleep 30\n", marker.display()),
    )
    .expect("script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let mut config = serde_json::to_value(Config::embedded(data.clone())).expect("json");
    config["chain"]["anvil"] = serde_json::json!(program);
    std::fs::write(
        data.join("config.json"),
        serde_json::to_vec_pretty(&config).expect("json"),
    )
    .expect("config.json");

    let engine = Engine::open(Config::load(Some(data)).expect("load"))
        .await
        .expect("open");
    engine
        .start_dev_chain()
        .await
        .expect("the installed anvil starts");
    assert!(engine.deployment().is_some(), "the suite is deployed");
    assert!(!marker.exists(), "the program named by the folder ran");
    engine.shutdown().await;
}
