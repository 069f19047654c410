//! The consortium's media path, measured against the real js-ipfs daemon on loopback
//! (`HALLMARK_TEST_KUBO_API`, or the test daemon started on port 15001):
//! - the upload a mint adds: a 20 MB work exported as a CAR and imported by the node, roots pinned;
//! - a fresh member reading the first Explore page's thumbnails (48 of a 1,000-work consortium)
//!   through from the node, then all 1,000, CID-verified;
//! - a cached thumbnail read again;
//! - the TLS overhead per Kubo RPC call (`block/get` through a rustls terminator vs plain http).
//!
//! `cargo bench -p hallmark-store --bench read_through` (a plain program: its setup is seconds
//! of network work, not a micro-benchmark). Results go to docs/benchmarks.md.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{fresh_bytes, node};
use futures_util::future::join_all;
use hallmark_store::{
    ContentStore, EmbeddedStore, KuboStore, ReadEndpoint, ReadKind, RemoteBlocks,
};
use hallmark_testkit::tls::{TestCa, TlsProxy};
use hallmark_unixfs::{Cid, ImportSettings};

const WORKS: usize = 1000;
const PAGE: usize = 48;
const THUMBNAIL_BYTES: usize = 24_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn member(dir: &std::path::Path, url: &str) -> EmbeddedStore {
    EmbeddedStore::open(dir)
        .expect("open")
        .with_read_through(
            RemoteBlocks::new(&[ReadEndpoint {
                kind: ReadKind::KuboRpc,
                url: url.to_owned(),
            }])
            .expect("endpoint"),
            2 << 30,
        )
        .expect("read-through")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let ca = TestCa::new("Bench CA");
    hallmark_net::set_default_trust(
        hallmark_net::Trust::system()
            .with_pem(ca.pem().as_bytes(), "bench CA")
            .expect("CA"),
    );
    let node = node().await;
    let port: u16 = node
        .url()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("node port");
    let tls = TlsProxy::start(&ca.localhost_cert(), port);
    let tls_url = tls.url("localhost");
    let dir = tempfile::tempdir().expect("tempdir");
    let artist = EmbeddedStore::open(dir.path().join("artist")).expect("open");
    let settings = ImportSettings::kubo_v1();

    // 1. The upload a 20 MB mint adds.
    println!("upload a mint adds (20 MB work, CAR export + dag/import with pinned roots):");
    for run in 1..=3 {
        let work = artist
            .add_bytes(fresh_bytes(20 << 20), &settings)
            .await
            .expect("add");
        let car = dir.path().join(format!("work-{run}.car"));
        let started = Instant::now();
        artist.export_car(&[work.root], &car).await.expect("car");
        let exported = started.elapsed();
        node.add_car(&car).await.expect("upload");
        let total = started.elapsed();
        println!(
            "  run {run}: export {:>6.1} ms, export + upload {:>7.1} ms ({:.0} MB/s)",
            ms(exported),
            ms(total),
            20.0 * 1.048_576 / total.as_secs_f64()
        );
    }

    // 2. A 1,000-work consortium's thumbnails on the node.
    let mut roots: Vec<Cid> = Vec::with_capacity(WORKS);
    for _ in 0..WORKS {
        let added = artist
            .add_bytes(fresh_bytes(THUMBNAIL_BYTES), &settings)
            .await
            .expect("add");
        roots.push(added.root);
    }
    let car = dir.path().join("thumbnails.car");
    artist.export_car(&roots, &car).await.expect("car");
    node.add_car(&car).await.expect("upload thumbnails");

    for (label, url) in [
        ("plain http", node.url().to_owned()),
        ("TLS", tls_url.clone()),
    ] {
        let fresh = member(&dir.path().join(format!("member-{label}")), &url);
        let started = Instant::now();
        let page = join_all(roots[..PAGE].iter().map(|r| fresh.read_file(r, 1 << 20))).await;
        let first_page = started.elapsed();
        assert!(page.iter().all(Result::is_ok), "a thumbnail failed");
        let started = Instant::now();
        for chunk in roots[PAGE..].chunks(PAGE) {
            let read = join_all(chunk.iter().map(|r| fresh.read_file(r, 1 << 20))).await;
            assert!(read.iter().all(Result::is_ok), "a thumbnail failed");
        }
        let rest = started.elapsed();
        println!(
            "fresh member over {label}: first page ({PAGE} thumbnails of {} KB) {:>6.1} ms; the other {} {:>7.1} ms ({:.2} ms each)",
            THUMBNAIL_BYTES / 1000,
            ms(first_page),
            WORKS - PAGE,
            ms(rest),
            ms(rest) / (WORKS - PAGE) as f64
        );
    }

    // 3. A cached thumbnail.
    let cached = member(&dir.path().join("member-plain http"), node.url());
    let reads: u32 = 2000;
    let started = Instant::now();
    for i in 0..reads as usize {
        cached
            .read_file(&roots[i % PAGE], 1 << 20)
            .await
            .expect("cached read");
    }
    println!(
        "cached thumbnail read (verified from disk): {:.3} ms each",
        ms(started.elapsed()) / f64::from(reads)
    );

    // 4. TLS overhead per RPC call: one block each, over a kept-alive connection.
    let calls = 500;
    for (label, url) in [("plain http", node.url().to_owned()), ("TLS", tls_url)] {
        let client = KuboStore::new(&url).expect("client");
        client.get_block(&roots[0]).await.expect("warm up");
        let started = Instant::now();
        for i in 0..calls {
            client.get_block(&roots[i % WORKS]).await.expect("block");
        }
        println!(
            "Kubo RPC block/get over {label}: {:.3} ms per call",
            ms(started.elapsed()) / calls as f64
        );
    }
}
