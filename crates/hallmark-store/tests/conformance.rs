//! The `ContentStore` conformance suite: what every backend promises, written once and run
//! against both — the embedded store in a temporary folder and the Kubo RPC client against the
//! js-ipfs test node (`HALLMARK_TEST_KUBO_API`, or started by the test; never skipped).
//!
//! Each behaviour is one generic function over [`Backend`]; [`conformance!`] runs every one of
//! them for each backend, so neither can miss a case. What only one backend does (the embedded
//! store's files and CAR files, Kubo's upload checks) is tested beside its code and in
//! `kubo_rpc.rs`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{fresh_bytes, local_cid, node, node_url};
use hallmark_store::{ContentStore, EmbeddedStore, KuboStore, StoreError};
use hallmark_unixfs::{Cid, CidVersion, Codec, ImportSettings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------------
// The backends

/// A backend under test: how to open one, and how to get a copy of it that serves altered bytes.
trait Backend: ContentStore + Sized {
    /// A store of this backend; `dir` is the test's private temporary folder.
    async fn open(dir: &Path) -> Self;

    /// A store that serves the same content as `self`, except that the root block of `root`
    /// comes back with one byte flipped; `self` stays honest.
    async fn lying_about(&self, root: &Cid, dir: &Path) -> Self;
}

impl Backend for EmbeddedStore {
    async fn open(dir: &Path) -> Self {
        Self::open(dir.join("store")).expect("open the embedded store")
    }

    async fn lying_about(&self, root: &Cid, dir: &Path) -> Self {
        // A copy of the whole store folder whose root block file has one byte flipped on disk.
        let copy = dir.join("damaged-store");
        copy_dir(self.dir(), &copy);
        let damaged = Self::open(&copy).expect("open the copy");
        let path = damaged.block_path(root);
        let mut block = fs::read(&path).expect("read the root block");
        let middle = block.len() / 2;
        block[middle] ^= 0x01;
        fs::write(&path, &block).expect("damage the root block");
        damaged
    }
}

impl Backend for KuboStore {
    async fn open(_dir: &Path) -> Self {
        node().await
    }

    async fn lying_about(&self, _root: &Cid, _dir: &Path) -> Self {
        // The same node behind a proxy that flips a byte of every `block/get` answer.
        let proxy =
            corrupting_proxy(&tokio::task::spawn_blocking(node_url).await.expect("url")).await;
        Self::new(&proxy).expect("client")
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("ls") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("ls")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    files
}

// ---------------------------------------------------------------------------------------------
// The suite

/// Files and bytes of edge sizes (empty, one byte, one chunk, one chunk and a byte, several
/// megabytes) in CIDv0 and CIDv1 get the CID our importer computes without a store, and read
/// back verified, block by block and whole.
async fn round_trips_edge_sizes_in_v0_and_v1<B: Backend>(dir: &Path) {
    let store = B::open(dir).await;
    for len in [
        0usize,
        1,
        256 << 10,
        (256 << 10) + 1,
        3 * (1 << 20) + 12_345,
    ] {
        let data = fresh_bytes(len);
        let path = dir.join(format!("f_{len}.bin"));
        fs::write(&path, &data).expect("write");
        for settings in [ImportSettings::kubo_v0(), ImportSettings::kubo_v1()] {
            let from_file = store.add_file(&path, &settings).await.expect("add_file");
            let from_bytes = store
                .add_bytes(data.clone(), &settings)
                .await
                .expect("add_bytes");
            for added in [from_file, from_bytes] {
                assert_eq!(added.root, local_cid(&data, &settings), "{len} bytes");
                assert_eq!(added.size, len as u64);
                assert!(added.blocks >= 1);
            }
            let root = from_file.root;
            assert!(store.has_block(&root).await.expect("has"));
            let root_block = store.get_block(&root).await.expect("root block");
            assert_eq!(
                store.block_stat(&root).await.expect("stat"),
                root_block.len() as u64
            );
            let back = store.read_file(&root, len as u64).await.expect("read back");
            assert!(back == data, "{len} bytes: different bytes read back");
        }
    }
}

/// `hello world\n` and the empty file get the CIDs Kubo gives them.
async fn well_known_files_get_kubos_cids<B: Backend>(dir: &Path) {
    let store = B::open(dir).await;
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
    let empty = store
        .add_bytes(Vec::new(), &ImportSettings::kubo_v1())
        .await
        .expect("empty");
    assert_eq!(
        empty.root.to_string(),
        "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
    );
}

/// An export replaces the destination with the verified file and leaves nothing else; a read
/// over the caller's limit is refused, one at the limit is not.
async fn exports_a_verified_file_and_reads_within_the_limit<B: Backend>(dir: &Path) {
    let store = B::open(dir).await;
    let data = fresh_bytes(1_000_000);
    let added = store
        .add_bytes(data.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let out = dir.join("out");
    fs::create_dir(&out).expect("mkdir");
    let dest = out.join("copy.bin");
    fs::write(&dest, b"old contents").expect("write");
    let size = store
        .export_file_to(&added.root, &dest)
        .await
        .expect("export");
    assert_eq!(size, data.len() as u64);
    assert!(fs::read(&dest).expect("read") == data);
    assert_eq!(files_in(&out), vec![dest], "no partial file is left");

    let e = store
        .read_file(&added.root, 999_999)
        .await
        .expect_err("over the limit");
    assert!(
        matches!(
            e,
            StoreError::TooLarge {
                max_bytes: 999_999,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(
        store
            .read_file(&added.root, 1_000_000)
            .await
            .expect("at the limit")
            .len(),
        1_000_000
    );
}

/// A file that does not exist is an I/O error naming it.
async fn adding_a_missing_file_names_it<B: Backend>(dir: &Path) {
    let store = B::open(dir).await;
    let missing = store
        .add_file(&dir.join("nope.bin"), &ImportSettings::kubo_v1())
        .await
        .expect_err("missing file");
    assert_eq!(missing.code(), "store.io");
    assert!(missing.to_string().contains("nope.bin"), "{missing}");
}

/// A block nobody added is absent, promptly, and has no size. (Reading it fails too, but a
/// node looks for it on the network until its timeout first: the embedded store's unit tests
/// check those errors.)
async fn an_absent_block_is_absent<B: Backend>(dir: &Path) {
    let store = B::open(dir).await;
    let absent = Cid::for_block(CidVersion::V1, Codec::Raw, &fresh_bytes(64)).expect("cid");
    let started = Instant::now();
    assert!(!store.has_block(&absent).await.expect("has"));
    assert!(store.block_stat(&absent).await.is_err());
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// Adding does not pin; a pin is listed (sorted) until removed; pinning twice is harmless and
/// unpinning what is not pinned is refused.
async fn pins_add_list_remove<B: Backend>(dir: &Path) {
    let store = B::open(dir).await;
    let added = store
        .add_bytes(fresh_bytes(300_000), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    assert!(
        !store.pin_ls().await.expect("ls").contains(&added.root),
        "add does not pin"
    );
    store.pin_add(&added.root).await.expect("pin");
    store
        .pin_add(&added.root)
        .await
        .expect("pinning twice is fine");
    let pins = store.pin_ls().await.expect("ls");
    assert!(pins.contains(&added.root));
    assert!(pins.is_sorted(), "{pins:?}");
    store.pin_rm(&added.root).await.expect("unpin");
    assert!(!store.pin_ls().await.expect("ls").contains(&added.root));
    let e = store.pin_rm(&added.root).await.expect_err("not pinned");
    assert!(
        matches!(e.code().as_str(), "store.not_pinned" | "store.node_error"),
        "{e}"
    );
}

/// Bytes that do not hash to their CID are an error, never data: block reads, file reads and
/// exports all refuse them (an export leaves no file), while the honest store still reads.
async fn wrong_bytes_are_a_cid_mismatch_never_data<B: Backend>(dir: &Path) {
    let store = B::open(dir).await;
    let data = fresh_bytes(600_000);
    let added = store
        .add_bytes(data.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let lying = store.lying_about(&added.root, dir).await;

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
    let out = dir.join("export");
    fs::create_dir(&out).expect("mkdir");
    let e = lying
        .export_file_to(&added.root, &out.join("out.bin"))
        .await
        .expect_err("flipped byte");
    assert_eq!(e.code(), "store.cid_mismatch", "{e}");
    assert!(files_in(&out).is_empty(), "no file is left");
    // The same request to the honest store works.
    assert!(store.read_file(&added.root, 1 << 20).await.expect("read") == data);
}

/// The backend answers and says which it is.
async fn answers_and_names_itself<B: Backend>(dir: &Path, name: &str) {
    let store = B::open(dir).await;
    store.ping().await.expect("ping");
    assert_eq!(store.backend_name(), name);
}

/// Every behaviour of the suite, as tests of one backend.
macro_rules! conformance {
    ($module:ident, $backend:ty, $name:literal) => {
        mod $module {
            use super::*;

            fn dir() -> tempfile::TempDir {
                tempfile::tempdir().expect("tempdir")
            }

            #[tokio::test]
            async fn round_trips_edge_sizes_in_v0_and_v1() {
                super::round_trips_edge_sizes_in_v0_and_v1::<$backend>(dir().path()).await;
            }

            #[tokio::test]
            async fn well_known_files_get_kubos_cids() {
                super::well_known_files_get_kubos_cids::<$backend>(dir().path()).await;
            }

            #[tokio::test]
            async fn exports_a_verified_file_and_reads_within_the_limit() {
                super::exports_a_verified_file_and_reads_within_the_limit::<$backend>(dir().path())
                    .await;
            }

            #[tokio::test]
            async fn adding_a_missing_file_names_it() {
                super::adding_a_missing_file_names_it::<$backend>(dir().path()).await;
            }

            #[tokio::test]
            async fn an_absent_block_is_absent() {
                super::an_absent_block_is_absent::<$backend>(dir().path()).await;
            }

            #[tokio::test]
            async fn pins_add_list_remove() {
                super::pins_add_list_remove::<$backend>(dir().path()).await;
            }

            #[tokio::test]
            async fn wrong_bytes_are_a_cid_mismatch_never_data() {
                super::wrong_bytes_are_a_cid_mismatch_never_data::<$backend>(dir().path()).await;
            }

            #[tokio::test]
            async fn answers_and_names_itself() {
                super::answers_and_names_itself::<$backend>(dir().path(), $name).await;
            }
        }
    };
}

conformance!(embedded, EmbeddedStore, "embedded");
conformance!(kubo, KuboStore, "kubo");

// ---------------------------------------------------------------------------------------------
// A proxy that flips one byte of every `/api/v0/block/get` answer (for the negative test only).

async fn corrupting_proxy(upstream: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let upstream = upstream.trim_end_matches('/').to_owned();
    tokio::spawn(async move {
        let client = hallmark_net::default_client_builder()
            .build()
            .expect("client");
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
