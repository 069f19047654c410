//! Shared by the store's integration tests: the js-ipfs test node (started when
//! `HALLMARK_TEST_KUBO_API` is unset), bytes no earlier run has added, and the CID our own
//! importer computes.
// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use hallmark_store::{ContentStore, KuboStore};
use hallmark_unixfs::{Cid, ImportSettings, NullSink, import_reader};

const API_PORT: u16 = 15001;

// ---------------------------------------------------------------------------------------------
// The node

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ipfs_tools_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HALLMARK_IPFS_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").expect("HOME is not set");
    PathBuf::from(home).join(".local/hallmark-tools/ipfs")
}

/// Whether an RPC API answers `POST /api/v0/version` with 200 at `127.0.0.1:port`.
fn api_answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_secs(1),
    ) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!(
        "POST /api/v0/version HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// Starts the js-ipfs test daemon unless it already answers; one process at a time.
fn start_test_daemon() -> String {
    let url = format!("http://127.0.0.1:{API_PORT}");
    let lock_path = std::env::temp_dir().join(format!("hallmark-test-ipfs-{API_PORT}.lock"));
    let lock = fs::File::create(&lock_path).expect("create the daemon lock file");
    lock.lock().expect("lock the daemon lock file");
    if api_answers(API_PORT) {
        return url;
    }
    let tools = ipfs_tools_dir();
    let jsipfs = tools.join("jsipfs/node_modules/.bin/jsipfs");
    assert!(
        jsipfs.exists(),
        "the js-ipfs test daemon is not installed ({} is missing). Install the test tools with \
         `make setup` (scripts/setup.sh test), or start a node and set HALLMARK_TEST_KUBO_API.",
        jsipfs.display()
    );
    let script = repo_root().join("tools/ipfs/setup-ipfs.sh");
    let output = Command::new("bash")
        .arg(&script)
        .arg("start")
        .env("IPFS_RECIPE_DIR", &tools)
        .env("IPFS_API_PORT", API_PORT.to_string())
        .env("IPFS_GW_PORT", "18080")
        .env("IPFS_RPC_PORT", "15003")
        .env("IPFS_SWARM_PORT", "14002")
        .output()
        .expect("run tools/ipfs/setup-ipfs.sh start");
    assert!(
        output.status.success(),
        "`setup-ipfs.sh start` failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while !api_answers(API_PORT) {
        assert!(
            Instant::now() < deadline,
            "the js-ipfs daemon did not answer on {url}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    url
}

pub(crate) fn node_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var("HALLMARK_TEST_KUBO_API") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => start_test_daemon(),
    })
    .clone()
}

pub(crate) async fn node() -> KuboStore {
    let url = tokio::task::spawn_blocking(node_url)
        .await
        .expect("start the node");
    let store = KuboStore::new(&url).expect("client");
    store.ping().await.expect("the node answers");
    store
}

// ---------------------------------------------------------------------------------------------
// Data

/// Bytes no earlier run has added (the node's repo persists between runs).
pub(crate) fn fresh_bytes(len: usize) -> Vec<u8> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("clock")
        .as_nanos() as u64;
    let seed = nanos
        ^ COUNTER
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9);
    hallmark_testkit::noise_bytes(len, seed)
}

pub(crate) fn local_cid(data: &[u8], settings: &ImportSettings) -> Cid {
    import_reader(data, settings, NullSink)
        .expect("local import")
        .root
}
