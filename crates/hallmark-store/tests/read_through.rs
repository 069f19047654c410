//! Read-through of the embedded store: a member's store reads blocks it lacks from the
//! consortium's endpoints — the js-ipfs daemon's Kubo RPC API, and trustless gateways — verifies
//! every block before keeping it, and keeps what it read under a size cap that never evicts
//! pinned or protected works.
//!
//! Gateways here are small HTTP servers written in the test: an honest one serving blocks by
//! CID, and a hostile one answering every request with the same wrong bytes.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use common::{fresh_bytes, node};
use hallmark_store::{
    ContentStore, EmbeddedStore, ReadEndpoint, ReadKind, RemoteBlocks, StoreError,
};
use hallmark_unixfs::{Cid, ImportSettings, MemorySink, import_reader};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const MB: u64 = 1 << 20;

/// What a test gateway answers.
#[derive(Clone)]
enum Answer {
    /// The block named in the path, 404 when it has none.
    Blocks(Arc<HashMap<String, Vec<u8>>>),
    /// The same bytes for every request.
    Always(Vec<u8>),
    /// The blocks, only to requests carrying this `Authorization` header (401 otherwise).
    Authorized(String, Arc<HashMap<String, Vec<u8>>>),
    /// Nothing, ever: the connection stays open and silent (a stalled node).
    Stall,
}

/// Starts an HTTP/1.1 gateway on 127.0.0.1 and returns its URL.
async fn gateway(answer: Answer) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&head);
                let path = text.split_whitespace().nth(1).unwrap_or("/").to_owned();
                // A gateway's `/ipfs/<cid>?format=raw`, or Kubo RPC's `block/get?arg=<cid>&…`.
                let cid = match path.split_once("arg=") {
                    Some((_, rest)) => rest.split('&').next().unwrap_or(""),
                    None => path
                        .trim_start_matches("/ipfs/")
                        .split('?')
                        .next()
                        .unwrap_or(""),
                }
                .to_owned();
                let authorization = text
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("authorization: ")
                            .or_else(|| l.strip_prefix("Authorization: "))
                    })
                    .map(str::trim)
                    .unwrap_or("")
                    .to_owned();
                let body = match &answer {
                    Answer::Stall => {
                        tokio::time::sleep(std::time::Duration::from_secs(600)).await;
                        return;
                    }
                    Answer::Blocks(blocks) => blocks.get(&cid).cloned(),
                    Answer::Always(bytes) => Some(bytes.clone()),
                    Answer::Authorized(expected, blocks) => {
                        if authorization != *expected {
                            let _ = stream
                                .write_all(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\nConnection: close\r\n\r\nunauthorized")
                                .await;
                            return;
                        }
                        blocks.get(&cid).cloned()
                    }
                };
                let response = match body {
                    Some(body) => {
                        let mut r = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.ipld.raw\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes();
                        r.extend_from_slice(&body);
                        r
                    }
                    None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"
                        .to_vec(),
                };
                let _ = stream.write_all(&response).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    url
}

/// A file's root and every block, as our importer builds them.
fn blocks_of(data: &[u8]) -> (Cid, HashMap<String, Vec<u8>>) {
    let imported =
        import_reader(data, &ImportSettings::kubo_v1(), MemorySink::default()).expect("import");
    let blocks = imported
        .sink
        .blocks
        .into_iter()
        .map(|(cid, bytes)| (cid.to_string(), bytes))
        .collect();
    (imported.root, blocks)
}

fn member(dir: &Path, endpoints: &[ReadEndpoint], cap: u64) -> EmbeddedStore {
    EmbeddedStore::open(dir)
        .expect("open")
        .with_read_through(RemoteBlocks::new(endpoints).expect("endpoints"), cap)
        .expect("read-through")
}

fn gateway_endpoint(url: &str) -> ReadEndpoint {
    ReadEndpoint {
        kind: ReadKind::Gateway,
        url: url.to_owned(),
    }
}

/// A loopback URL nothing listens on.
async fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    url
}

#[tokio::test]
async fn a_work_on_the_consortium_node_is_read_through_verified_and_then_read_offline() {
    // The artist's installation uploads the work to the consortium's node as a CAR.
    let node = node().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let artist = EmbeddedStore::open(dir.path().join("artist")).expect("open");
    let data = fresh_bytes(700_000);
    let added = artist
        .add_bytes(data.clone(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let car = dir.path().join("work.car");
    artist.export_car(&[added.root], &car).await.expect("car");
    assert_eq!(node.add_car(&car).await.expect("upload"), vec![added.root]);

    // A member who never had the work reads it through the node's RPC API.
    let endpoints = [ReadEndpoint {
        kind: ReadKind::KuboRpc,
        url: node.url().to_owned(),
    }];
    let member_dir = dir.path().join("member");
    let store = member(&member_dir, &endpoints, 64 * MB);
    assert!(!store.has_block(&added.root).await.expect("has"));
    let read = store.read_file(&added.root, 8 * MB).await.expect("read");
    assert_eq!(read, data);
    assert!(store.has_block(&added.root).await.expect("has"));
    let usage = store.cache_usage().expect("usage");
    assert_eq!(usage.roots, 1);
    assert!(usage.bytes >= data.len() as u64, "{usage:?}");

    // Later, offline (the endpoint is gone), the cached work still reads, and the cache index
    // survived the restart.
    drop(store);
    let offline = member(
        &member_dir,
        &[gateway_endpoint(&closed_url().await)],
        64 * MB,
    );
    assert_eq!(offline.cache_usage().expect("usage"), usage);
    assert_eq!(
        offline.read_file(&added.root, 8 * MB).await.expect("read"),
        data
    );
}

#[tokio::test]
async fn wrong_bytes_from_an_endpoint_are_never_kept_and_the_next_endpoint_is_tried() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = fresh_bytes(300_000);
    let (root, blocks) = blocks_of(&data);
    let hostile = gateway(Answer::Always(
        b"these are not the bytes you asked for".to_vec(),
    ))
    .await;

    // Only the hostile gateway: the read fails with the mismatch, and nothing is kept.
    let store = member(
        &dir.path().join("a"),
        &[gateway_endpoint(&hostile)],
        64 * MB,
    );
    let e = store
        .read_file(&root, 8 * MB)
        .await
        .expect_err("wrong bytes");
    assert_eq!(e.code(), "store.cid_mismatch", "{e}");
    assert!(e.to_string().contains(&hostile), "{e}");
    assert!(!store.has_block(&root).await.expect("has"));
    assert_eq!(store.cache_usage().expect("usage").bytes, 0);
    assert!(matches!(
        store.get_block(&root).await,
        Err(StoreError::CidMismatch { .. })
    ));

    // The hostile gateway first, an honest one second: the honest one's verified bytes win.
    let honest = gateway(Answer::Blocks(Arc::new(blocks))).await;
    let store = member(
        &dir.path().join("b"),
        &[gateway_endpoint(&hostile), gateway_endpoint(&honest)],
        64 * MB,
    );
    assert_eq!(store.read_file(&root, 8 * MB).await.expect("read"), data);
}

#[tokio::test]
async fn endpoints_that_are_down_give_their_reasons_and_a_stable_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (root, _) = blocks_of(&fresh_bytes(10_000));
    let one = closed_url().await;
    let store = member(&dir.path().join("a"), &[gateway_endpoint(&one)], 64 * MB);
    let e = store.read_file(&root, MB).await.expect_err("down");
    assert_eq!(e.code(), "store.unreachable", "{e}");

    let two = closed_url().await;
    let store = member(
        &dir.path().join("b"),
        &[gateway_endpoint(&one), gateway_endpoint(&two)],
        64 * MB,
    );
    let e = store.read_file(&root, MB).await.expect_err("down");
    assert_eq!(e.code(), "store.unavailable", "{e}");
    assert!(
        e.to_string().contains(&one) && e.to_string().contains(&two),
        "{e}"
    );

    // Without read-through a missing block is simply not found.
    let plain = EmbeddedStore::open(dir.path().join("c")).expect("open");
    let e = plain.read_file(&root, MB).await.expect_err("absent");
    assert_eq!(e.code(), "store.not_found", "{e}");
}

#[tokio::test]
async fn a_file_larger_than_the_reader_allows_stops_the_fetch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = fresh_bytes(2_000_000);
    let (root, blocks) = blocks_of(&data);
    let honest = gateway(Answer::Blocks(Arc::new(blocks))).await;
    let store = member(&dir.path().join("a"), &[gateway_endpoint(&honest)], 64 * MB);
    let e = store
        .read_file(&root, 500_000)
        .await
        .expect_err("too large");
    assert_eq!(e.code(), "store.too_large", "{e}");
    // What was fetched before the stop is accounted for, so the cap still covers it; at most
    // one level's concurrent fetches (8 blocks of 256 KiB) run past the limit.
    let usage = store.cache_usage().expect("usage");
    assert_eq!(usage.roots, 1, "{usage:?}");
    assert!(
        usage.bytes > 0 && usage.bytes <= 500_000 + 8 * 262_144,
        "{usage:?}"
    );
    // A larger allowance reads it (the blocks already here are not fetched again).
    assert_eq!(store.read_file(&root, 4 * MB).await.expect("read"), data);
}

#[tokio::test]
async fn the_cache_evicts_least_recently_used_works_but_never_pinned_or_protected_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<Vec<u8>> = (0..5).map(|_| fresh_bytes(100_000)).collect();
    let mut all_blocks = HashMap::new();
    let mut roots = Vec::new();
    for data in &files {
        let (root, blocks) = blocks_of(data);
        all_blocks.extend(blocks);
        roots.push(root);
    }
    let honest = gateway(Answer::Blocks(Arc::new(all_blocks))).await;
    // Room for three of the five works.
    let store = member(&dir.path().join("a"), &[gateway_endpoint(&honest)], 320_000);

    // Work 0 becomes the user's (pinned), work 1 one they hold (protected).
    store.read_file(&roots[0], MB).await.expect("read 0");
    store.pin_add(&roots[0]).await.expect("pin");
    store.read_file(&roots[1], MB).await.expect("read 1");
    store.protect([roots[1]]);
    store.read_file(&roots[2], MB).await.expect("read 2");
    // Works 3 and 4 push the cache over its cap: work 2, the least recently used of the
    // others, goes first, then work 3.
    store.read_file(&roots[3], MB).await.expect("read 3");
    assert!(
        !store.has_block(&roots[2]).await.expect("has 2"),
        "LRU evicted"
    );
    store.read_file(&roots[4], MB).await.expect("read 4");
    for (i, root) in roots.iter().enumerate() {
        let kept = store.has_block(root).await.expect("has");
        assert_eq!(kept, i != 2 && i != 3, "work {i} kept: {kept}");
    }
    let usage = store.cache_usage().expect("usage");
    assert!(usage.bytes <= 320_000, "{usage:?}");

    // An evicted work reads again (through the gateway).
    assert_eq!(
        store.read_file(&roots[2], MB).await.expect("again"),
        files[2]
    );
}

#[tokio::test]
async fn a_node_behind_authentication_gets_the_header_and_its_secret_never_shows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = fresh_bytes(50_000);
    let (root, blocks) = blocks_of(&data);
    let secret = "Bearer s3cret-token-42";
    let node = gateway(Answer::Authorized(secret.to_owned(), Arc::new(blocks))).await;
    let endpoints = [
        ReadEndpoint {
            kind: ReadKind::KuboRpc,
            url: node.clone(),
        },
        gateway_endpoint(&node),
    ];
    for endpoint in &endpoints {
        let remote = RemoteBlocks::with_authorization(std::slice::from_ref(endpoint), |url| {
            (url == node).then(|| secret.to_owned())
        })
        .expect("endpoints");
        assert!(
            !format!("{remote:?}").contains("s3cret"),
            "the secret in Debug"
        );
        let store = EmbeddedStore::open(dir.path().join(format!("{:?}", endpoint.kind)))
            .expect("open")
            .with_read_through(remote, 64 * MB)
            .expect("read-through");
        assert_eq!(store.read_file(&root, MB).await.expect("read"), data);
    }
    // Without it the node refuses, and the error says so without any secret.
    let store = member(&dir.path().join("anonymous"), &endpoints[..1], 64 * MB);
    let e = store.read_file(&root, MB).await.expect_err("refused");
    assert_eq!(e.code(), "store.node_error", "{e}");
    assert!(e.to_string().contains("401"), "{e}");
    // A value that cannot be a header is refused without being quoted.
    let e = hallmark_store::KuboStore::new(&node)
        .expect("client")
        .with_authorization("Bearer bad\nvalue")
        .expect_err("not a header");
    assert!(!e.to_string().contains("bad"), "{e}");
}

#[tokio::test]
async fn a_stalled_endpoint_does_not_hold_the_read_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = fresh_bytes(120_000);
    let (root, blocks) = blocks_of(&data);
    let stalled = gateway(Answer::Stall).await;
    let honest = gateway(Answer::Blocks(Arc::new(blocks))).await;
    let store = member(
        &dir.path().join("a"),
        &[gateway_endpoint(&stalled), gateway_endpoint(&honest)],
        64 * MB,
    );
    let started = std::time::Instant::now();
    assert_eq!(store.read_file(&root, MB).await.expect("read"), data);
    let took = started.elapsed();
    // The next endpoint is asked once the first has been silent for HEDGE_AFTER.
    assert!(
        took >= hallmark_store::HEDGE_AFTER && took < hallmark_store::HEDGE_AFTER * 4,
        "{took:?}"
    );
}

/// A full cache disk (issue 16, bad input): a read-through that runs out of space stops with
/// `store.disk_full`, leaves no temporary file, and what was cached before still reads.
#[tokio::test]
async fn a_full_disk_stops_a_read_through_with_its_code_and_keeps_what_was_cached() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(fs) = hallmark_testkit::tmpfs::tmpfs_or_skip(
        dir.path(),
        "4m",
        "a_full_disk_stops_a_read_through_with_its_code_and_keeps_what_was_cached",
    ) else {
        return;
    };
    let node = node().await;
    let settings = ImportSettings::kubo_v1();
    let small = fresh_bytes(200_000);
    let large = fresh_bytes(6_000_000);
    let small_cid = node
        .add_bytes(small.clone(), &settings)
        .await
        .expect("small")
        .root;
    let large_cid = node.add_bytes(large, &settings).await.expect("large").root;
    let endpoints = [ReadEndpoint {
        kind: ReadKind::KuboRpc,
        url: node.url().to_owned(),
    }];
    let store = member(&fs.dir.join("member"), &endpoints, 64 * MB);
    assert_eq!(
        store.read_file(&small_cid, 8 * MB).await.expect("small"),
        small
    );

    let full = store
        .read_file(&large_cid, 16 * MB)
        .await
        .expect_err("6 MB do not fit on a 4 MB disk");
    assert_eq!(full.code().to_string(), "store.disk_full", "{full}");
    assert!(
        !full.to_string().contains("ipfs/blocks"),
        "an internal path: {full}"
    );

    // What was kept before is whole and still reads, offline.
    drop(store);
    let offline = member(
        &fs.dir.join("member"),
        &[gateway_endpoint(&closed_url().await)],
        64 * MB,
    );
    assert_eq!(
        offline.read_file(&small_cid, 8 * MB).await.expect("cached"),
        small
    );
    // The large work's verified blocks that did fit may stay (a later read fetches the rest);
    // no half-written block or temporary file is left, and offline it is simply not available.
    let missing = offline
        .read_file(&large_cid, 16 * MB)
        .await
        .expect_err("not all of it is here");
    assert_ne!(missing.code().to_string(), "store.disk_full", "{missing}");
    let mut temporaries = Vec::new();
    let mut folders = vec![fs.dir.join("member")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if entry.file_name().to_string_lossy().contains("tmp") {
                temporaries.push(path);
            }
        }
    }
    assert!(temporaries.is_empty(), "{temporaries:?}");
}
