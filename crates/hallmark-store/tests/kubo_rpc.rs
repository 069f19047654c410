//! Integration tests of `KuboStore` against a real node: the js-ipfs 0.66 test daemon.
//!
//! The node's API URL comes from `HALLMARK_TEST_KUBO_API` (`make test` starts the daemon and sets
//! it). When it is unset, the test starts the daemon itself on the test ports with
//! `tools/ipfs/setup-ipfs.sh start` (tools in `$HALLMARK_IPFS_DIR`, default
//! `~/.local/hallmark-tools/ipfs`), under a lock file so only one test process starts it. Missing
//! tools fail the tests with instructions; nothing is skipped.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use hallmark_store::{ContentStore, EmbeddedStore, KuboStore, StoreError};
use hallmark_unixfs::{Cid, ImportSettings, NullSink, import_reader};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

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

fn node_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var("HALLMARK_TEST_KUBO_API") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => start_test_daemon(),
    })
    .clone()
}

async fn node() -> KuboStore {
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
fn fresh_bytes(len: usize) -> Vec<u8> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("clock")
        .as_nanos() as u64;
    let seed = nanos
        ^ COUNTER
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9);
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn local_cid(data: &[u8], settings: &ImportSettings) -> Cid {
    import_reader(data, settings, NullSink)
        .expect("local import")
        .root
}

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn add_gives_our_cid_for_edge_sizes_in_v0_and_v1_and_reads_back_verified() {
    let store = node().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for len in [0usize, 1, (256 << 10) + 1, 3 * (1 << 20) + 12_345] {
        let data = fresh_bytes(len);
        let path = dir.path().join(format!("f_{len}.bin"));
        fs::write(&path, &data).expect("write");
        for settings in [ImportSettings::kubo_v0(), ImportSettings::kubo_v1()] {
            let added = store.add_file(&path, &settings).await.expect("add");
            assert_eq!(added.root, local_cid(&data, &settings), "{len} bytes");
            assert_eq!(added.size, len as u64);
            let back = store
                .read_file(&added.root, len as u64)
                .await
                .expect("read back");
            assert!(back == data, "{len} bytes: different bytes read back");
            let root_block = store.get_block(&added.root).await.expect("root block");
            assert_eq!(
                store.block_stat(&added.root).await.expect("stat"),
                root_block.len() as u64
            );
            assert!(store.has_block(&added.root).await.expect("has"));
        }
    }
}

#[tokio::test]
async fn add_bytes_and_the_well_known_cids() {
    let store = node().await;
    let v0 = store
        .add_bytes(b"hello world\n".to_vec(), &ImportSettings::kubo_v0())
        .await
        .expect("v0");
    assert_eq!(
        v0.root.to_string(),
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
    );
    // js-ipfs answers `zb2…` (base58) for v1; it is parsed and compared as a CID.
    let v1 = store
        .add_bytes(b"hello world\n".to_vec(), &ImportSettings::kubo_v1())
        .await
        .expect("v1");
    assert_eq!(
        v1.root.to_string(),
        "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
    );
    assert_eq!(
        store.read_file(&v1.root, 100).await.expect("read"),
        b"hello world\n"
    );
}

#[tokio::test]
async fn export_streams_a_verified_file() {
    let store = node().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = fresh_bytes(1_000_000);
    let added = store
        .add_bytes(data.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let dest = dir.path().join("out.bin");
    let size = store
        .export_file_to(&added.root, &dest)
        .await
        .expect("export");
    assert_eq!(size, data.len() as u64);
    assert!(fs::read(&dest).expect("read") == data);
    let e = store
        .read_file(&added.root, 999_999)
        .await
        .expect_err("over the limit");
    assert_eq!(e.code(), "store.too_large");
}

#[tokio::test]
async fn a_node_with_other_import_settings_is_a_cid_mismatch() {
    // js-ipfs has no max-file-links option: it always builds 174-link nodes, so a 4-link tree
    // (which our importer builds) comes back under another CID and must be refused.
    let store = node().await;
    let mut settings = ImportSettings::kubo_v1();
    settings.chunk_size = 1024;
    settings.max_links = 4;
    let data = fresh_bytes(10 * 1024);
    let e = store
        .add_bytes(data.clone(), &settings)
        .await
        .expect_err("different tree");
    let StoreError::CidMismatch {
        expected, actual, ..
    } = &e
    else {
        panic!("expected a CID mismatch, got {e}");
    };
    assert_eq!(*expected, local_cid(&data, &settings));
    assert_ne!(actual, expected);
    assert!(e.to_string().contains("import settings"), "{e}");
}

#[tokio::test]
async fn pins_add_list_remove() {
    let store = node().await;
    let added = store
        .add_bytes(fresh_bytes(300_000), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    assert!(
        !store.pin_ls().await.expect("ls").contains(&added.root),
        "add does not pin"
    );
    store.pin_add(&added.root).await.expect("pin");
    assert!(store.pin_ls().await.expect("ls").contains(&added.root));
    store.pin_rm(&added.root).await.expect("unpin");
    assert!(!store.pin_ls().await.expect("ls").contains(&added.root));
    let e = store.pin_rm(&added.root).await.expect_err("not pinned");
    assert!(
        matches!(e.code(), "store.not_pinned" | "store.node_error"),
        "{e}"
    );
}

#[tokio::test]
async fn an_absent_block_is_reported_absent() {
    let store = node().await;
    let absent = Cid::for_block(
        hallmark_unixfs::CidVersion::V1,
        hallmark_unixfs::Codec::Raw,
        &fresh_bytes(64),
    )
    .expect("cid");
    let started = Instant::now();
    assert!(!store.has_block(&absent).await.expect("has"));
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(store.block_stat(&absent).await.is_err());
}

#[tokio::test]
async fn car_import_pins_the_roots_and_a_tampered_car_is_refused() {
    let store = node().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let embedded = EmbeddedStore::open(dir.path().join("local")).expect("open");
    let data = fresh_bytes(700_000);
    let added = embedded
        .add_bytes(data.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let car = dir.path().join("work.car");
    embedded
        .export_car(&[added.root], &car)
        .await
        .expect("export");

    let mut raw = fs::read(&car).expect("read");
    let at = raw.len() - 10;
    raw[at] ^= 0x01;
    let tampered = dir.path().join("tampered.car");
    fs::write(&tampered, &raw).expect("write");
    let e = store.add_car(&tampered).await.expect_err("tampered");
    assert!(
        matches!(e.code(), "store.cid_mismatch" | "store.bad_car"),
        "{e}"
    );
    assert!(
        !store.has_block(&added.root).await.expect("has"),
        "nothing was uploaded"
    );

    let roots = store.add_car(&car).await.expect("import");
    assert_eq!(roots, vec![added.root]);
    assert!(store.pin_ls().await.expect("ls").contains(&added.root));
    assert!(store.read_file(&added.root, 1 << 20).await.expect("read") == data);
    store.pin_rm(&added.root).await.expect("unpin");
}

#[tokio::test]
async fn wrong_bytes_from_the_node_are_detected() {
    let store = node().await;
    let data = fresh_bytes(600_000);
    let added = store
        .add_bytes(data.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let proxy = corrupting_proxy(&node_url()).await;
    let lying = KuboStore::new(&proxy).expect("client");

    let e = lying
        .get_block(&added.root)
        .await
        .expect_err("flipped byte");
    let StoreError::CidMismatch { expected, .. } = &e else {
        panic!("expected a CID mismatch, got {e}");
    };
    assert_eq!(*expected, added.root);
    let e = lying
        .read_file(&added.root, 1 << 20)
        .await
        .expect_err("flipped byte");
    assert_eq!(e.code(), "store.cid_mismatch", "{e}");
    let dir = tempfile::tempdir().expect("tempdir");
    let dest = dir.path().join("out.bin");
    let e = lying
        .export_file_to(&added.root, &dest)
        .await
        .expect_err("flipped byte");
    assert_eq!(e.code(), "store.cid_mismatch", "{e}");
    assert_eq!(
        fs::read_dir(dir.path()).expect("ls").count(),
        0,
        "no file is left"
    );
    // The same request through the honest node works.
    assert!(store.read_file(&added.root, 1 << 20).await.expect("read") == data);
}

// ---------------------------------------------------------------------------------------------
// A proxy that flips one byte of every `/api/v0/block/get` answer (for the negative test only).

async fn corrupting_proxy(upstream: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let upstream = upstream.trim_end_matches('/').to_owned();
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        while let Ok((socket, _)) = listener.accept().await {
            let client = client.clone();
            let upstream = upstream.clone();
            tokio::spawn(async move {
                let _ = relay(socket, &client, &upstream).await;
            });
        }
    });
    format!("http://{address}")
}

async fn relay(
    mut socket: tokio::net::TcpStream,
    client: &reqwest::Client,
    upstream: &str,
) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        request.extend_from_slice(&buf[..n]);
        if let Some(i) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).into_owned();
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = request[head_end..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    let answer = client
        .post(format!("{upstream}{target}"))
        .body(body)
        .send()
        .await
        .map_err(std::io::Error::other)?;
    let status = answer.status();
    let mut bytes = answer
        .bytes()
        .await
        .map_err(std::io::Error::other)?
        .to_vec();
    if target.starts_with("/api/v0/block/get") && !bytes.is_empty() {
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
    }
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("OK"),
        bytes.len()
    );
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(&bytes).await?;
    socket.shutdown().await
}
