//! Catalog benchmark at scale: fills a catalog file with N listings (default 1,000,000; set
//! HALLMARK_BENCH_LISTINGS) through the same `apply_page` path the indexer uses, with realistic
//! titles, creators, attributes and prices, then prints p50/p99 latencies of the hot browse
//! queries and full-text searches, the write rate, and the size on disk per listing.
//!
//! `cargo bench -p hallmark-catalog --bench catalog` (the file is kept in target/ and reused).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use hallmark_catalog::{
    BlockEvents, BrowseQuery, Catalog, CatalogEvent, LoggedEvent, MetadataFetch, Page, Sort,
    WorkDetails,
};

const WORDS: &[&str] = &[
    "dawn",
    "tide",
    "ember",
    "harbor",
    "willow",
    "granite",
    "lantern",
    "meadow",
    "echo",
    "cinder",
    "violet",
    "horizon",
    "quartz",
    "sparrow",
    "delta",
    "aurora",
    "canyon",
    "drift",
    "fable",
    "glacier",
    "hollow",
    "ivory",
    "juniper",
    "kestrel",
    "lumen",
    "marble",
    "nectar",
    "orchid",
    "prairie",
    "quiver",
    "river",
    "saffron",
    "thistle",
    "umber",
    "vessel",
    "whisper",
    "zephyr",
    "amber",
    "basalt",
    "cobalt",
    "dune",
    "fern",
    "garnet",
    "heron",
    "indigo",
    "jade",
    "kiln",
    "lotus",
    "moss",
    "nimbus",
    "onyx",
    "pebble",
    "rune",
    "sable",
    "tundra",
    "velvet",
    "wren",
    "山水",
    "月光",
    "数字藏品",
    "长城",
    "星空",
    "青花",
    "墨竹",
    "春雨",
    "江南",
    "敦煌",
];
const PALETTES: &[&str] = &[
    "warm", "cool", "mono", "pastel", "neon", "earth", "ink", "gold",
];
const STYLES: &[&str] = &[
    "abstract",
    "portrait",
    "landscape",
    "glitch",
    "pixel",
    "ink-wash",
    "collage",
    "photo",
    "generative",
    "calligraphy",
    "field-recording",
    "ambient",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn addr(n: u64) -> String {
    format!("0x{n:040x}")
}

fn details(rng: &mut Rng, work: u64) -> WorkDetails {
    let words = 2 + rng.next() % 3;
    let title: Vec<&str> = (0..words).map(|_| rng.pick(WORDS)).collect();
    let description: Vec<&str> = (0..12).map(|_| rng.pick(WORDS)).collect();
    let kind = match rng.next() % 10 {
        0..=6 => "image",
        7 | 8 => "audio",
        _ => "video",
    };
    WorkDetails {
        title: format!("{} #{work}", title.join(" ")),
        description: Some(description.join(" ")),
        attributes: vec![
            ("Palette".into(), rng.pick(PALETTES).into()),
            ("Style".into(), rng.pick(STYLES).into()),
        ],
        licence: Some("CC BY-NC 4.0".into()),
        media_cid: Some(format!("bafymedia{work}")),
        mime: Some(format!("{kind}/x")),
        kind: Some(kind.into()),
        thumbnail_cid: Some(format!("bafythumb{work}")),
        perceptual: None,
    }
}

/// Fills the catalog: per work a registration, a mint and a listing; 30 % are sold once.
fn generate(catalog: &Catalog, listings: u64) -> (u64, Duration) {
    catalog.init_sync(31337, "0xworks", 1).expect("init");
    let mut rng = Rng(42);
    let started = Instant::now();
    let mut events = 0u64;
    let works_per_block = 50u64;
    let blocks_per_page = 40u64;
    let mut work = 1u64;
    let mut block = 1u64;
    while work <= listings {
        let from = block;
        let mut blocks = Vec::new();
        for _ in 0..blocks_per_page {
            if work > listings {
                break;
            }
            let mut logged = Vec::new();
            for _ in 0..works_per_block {
                if work > listings {
                    break;
                }
                let cid = format!("bafymeta{work}");
                catalog
                    .record_metadata(&cid, &MetadataFetch::Available(details(&mut rng, work)), 0)
                    .expect("metadata");
                let creator = addr(1 + rng.next() % 5_000);
                let token = work * 1_000_000 + 1;
                let price = 100 + (rng.next() % 1_000_000) as i64;
                let mut push = |event| {
                    logged.push(LoggedEvent {
                        log_index: logged.len() as u64,
                        tx_hash: format!("0x{:064x}", block * 10_000 + logged.len() as u64),
                        event,
                    });
                };
                push(CatalogEvent::WorkRegistered {
                    work_id: work,
                    content_hash: format!("0x{work:064x}"),
                    creator: creator.clone(),
                    issuer: addr(100_000 + rng.next() % 20),
                    metadata_hash: format!("0x{:064x}", work + 1),
                    metadata_cid: cid,
                    max_editions: 1,
                    royalty_bps: 500,
                });
                push(CatalogEvent::EditionMinted {
                    work_id: work,
                    token_id: token,
                    edition: 1,
                    to: creator.clone(),
                });
                if rng.next() % 10 < 3 {
                    push(CatalogEvent::Listed {
                        token_id: token,
                        seller: creator.clone(),
                        price,
                    });
                    push(CatalogEvent::Sold {
                        token_id: token,
                        seller: creator.clone(),
                        buyer: addr(200_000 + rng.next() % 50_000),
                        price,
                        royalty: price / 20,
                        fee: price / 40,
                    });
                    push(CatalogEvent::Listed {
                        token_id: token,
                        seller: addr(200_000),
                        price: price + 500,
                    });
                } else {
                    push(CatalogEvent::Listed {
                        token_id: token,
                        seller: creator,
                        price,
                    });
                }
                work += 1;
            }
            events += logged.len() as u64;
            blocks.push(BlockEvents {
                number: block,
                hash: format!("0x{block:064x}"),
                timestamp: 1_700_000_000 + block * 2,
                events: logged,
            });
            block += 1;
        }
        let to = block - 1;
        catalog
            .apply_page(&Page {
                from,
                to,
                to_hash: format!("0x{to:064x}"),
                blocks,
            })
            .expect("page");
        if work % 100_000 < works_per_block * blocks_per_page {
            eprintln!("  … {} listings", work - 1);
        }
    }
    catalog.checkpoint_wal().expect("checkpoint");
    (events, started.elapsed())
}

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort_unstable();
    let at =
        |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1e3;
    (at(0.5), at(0.99))
}

fn measure(name: &str, runs: usize, mut f: impl FnMut(usize) -> usize) {
    let mut samples = Vec::with_capacity(runs);
    let mut rows = 0;
    for i in 0..runs {
        let started = Instant::now();
        rows += f(i);
        samples.push(started.elapsed());
    }
    let (p50, p99) = percentiles(samples);
    println!(
        "{name:<46} p50 {p50:>7.3} ms   p99 {p99:>7.3} ms   ({:.0} rows/query)",
        rows as f64 / runs as f64
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("catalog: benchmark");
        return;
    }
    let listings: u64 = std::env::var("HALLMARK_BENCH_LISTINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target");
    let path = target.join(format!("bench-catalog-{listings}.sqlite"));
    let fresh = !path.exists();
    let catalog = Catalog::open(&path).expect("open");
    if fresh || catalog.stats().expect("stats").tokens < listings {
        drop(catalog);
        let _ = std::fs::remove_file(&path);
        let catalog = Catalog::open(&path).expect("open");
        eprintln!("generating {listings} listings into {}", path.display());
        let (events, took) = generate(&catalog, listings);
        println!(
            "generate: {events} events + {listings} metadata records written in {:.1} s = {:.0} events/s (apply_page, one transaction per 40 blocks)",
            took.as_secs_f64(),
            events as f64 / took.as_secs_f64()
        );
    }
    let catalog = Catalog::open(&path).expect("open");
    let started = Instant::now();
    catalog.optimize().expect("optimize");
    catalog.checkpoint_wal().expect("checkpoint");
    println!(
        "optimize (FTS merge + PRAGMA optimize): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let stats = catalog.stats().expect("stats");
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    println!(
        "catalog: {} tokens, {} listed, {} events; {:.1} MiB on disk = {:.0} bytes per listing",
        stats.tokens,
        stats.listed,
        stats.events,
        bytes as f64 / (1 << 20) as f64,
        bytes as f64 / stats.listed.max(1) as f64
    );
    let mut rng = Rng(7);
    let runs = 300;
    let page = |q: BrowseQuery| {
        catalog
            .browse(&BrowseQuery { limit: 40, ..q })
            .expect("browse")
            .items
            .len()
    };
    measure("listed, newest first", runs, |_| {
        page(BrowseQuery {
            listed_only: true,
            ..Default::default()
        })
    });
    measure("kind filter, cheapest first", runs, |i| {
        page(BrowseQuery {
            kind: Some(["image", "audio", "video"][i % 3].into()),
            sort: Sort::PriceAsc,
            ..Default::default()
        })
    });
    measure("price range, cheapest first", runs, |_| {
        let low = 100 + (rng.next() % 900_000) as i64;
        page(BrowseQuery {
            min_price: Some(low),
            max_price: Some(low + 50_000),
            sort: Sort::PriceAsc,
            ..Default::default()
        })
    });
    let mut rng2 = Rng(9);
    measure("price range, newest first", runs, |_| {
        let low = 100 + (rng2.next() % 900_000) as i64;
        page(BrowseQuery {
            min_price: Some(low),
            max_price: Some(low + 50_000),
            listed_only: true,
            ..Default::default()
        })
    });
    measure("dearest first", runs, |_| {
        page(BrowseQuery {
            sort: Sort::PriceDesc,
            ..Default::default()
        })
    });
    measure("recently sold", runs, |_| {
        page(BrowseQuery {
            sort: Sort::RecentlySold,
            ..Default::default()
        })
    });
    let mut rng3 = Rng(11);
    measure("creator filter, newest first", runs, |_| {
        page(BrowseQuery {
            creator: Some(addr(1 + rng3.next() % 5_000)),
            listed_only: true,
            ..Default::default()
        })
    });
    measure("attribute Palette=…, newest first", runs, |i| {
        page(BrowseQuery {
            attribute: Some(("Palette".into(), PALETTES[i % 8].into())),
            listed_only: true,
            ..Default::default()
        })
    });
    measure("kind + attribute + price sort", runs, |i| {
        page(BrowseQuery {
            kind: Some("image".into()),
            attribute: Some(("Style".into(), STYLES[i % 12].into())),
            sort: Sort::PriceAsc,
            ..Default::default()
        })
    });
    // Deep keyset paging: follow 25 pages.
    let mut cursor = None;
    let mut deep = Vec::new();
    for _ in 0..25 {
        let started = Instant::now();
        let result = catalog
            .browse(&BrowseQuery {
                sort: Sort::PriceAsc,
                limit: 40,
                after: cursor.clone(),
                ..Default::default()
            })
            .expect("page");
        deep.push(started.elapsed());
        cursor = result.next;
    }
    let (p50, p99) = percentiles(deep);
    println!(
        "{:<46} p50 {p50:>7.3} ms   p99 {p99:>7.3} ms",
        "keyset pages 1..25, cheapest first"
    );
    let mut rng4 = Rng(13);
    measure("search: one common word", runs, |_| {
        catalog.search(rng4.pick(WORDS), 40).expect("search").len()
    });
    let mut rng5 = Rng(17);
    measure("search: two words", runs, |_| {
        let text = format!("{} {}", rng5.pick(WORDS), rng5.pick(WORDS));
        catalog.search(&text, 40).expect("search").len()
    });
    let mut rng6 = Rng(19);
    measure("search: prefix while typing (3 letters)", runs, |_| {
        let word = rng6.pick(&WORDS[..57]);
        catalog.search(&word[..3], 40).expect("search").len()
    });
    let mut rng7 = Rng(23);
    measure("search: title number (rare)", runs, |_| {
        catalog
            .search(&format!("{}", 1 + rng7.next() % listings), 40)
            .expect("search")
            .len()
    });
    measure("search inside browse (text + listed newest)", runs, |i| {
        page(BrowseQuery {
            text: Some(WORDS[i % WORDS.len()].into()),
            listed_only: true,
            ..Default::default()
        })
    });
}
