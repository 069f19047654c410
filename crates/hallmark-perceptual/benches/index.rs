//! Similarity-index queries against 1,000,000 works (`HALLMARK_BENCH_HASHES` to change), each
//! indexed as the engine does, under its PDQ and its `CROP_FRACTIONS.len()` crop hashes (so
//! 5,000,000 hashes), and hashing time for a 1024×1024 image.
//!
//! `cargo bench -p hallmark-perceptual --bench index`
#![allow(missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use hallmark_perceptual::{
    CROP_FRACTIONS, Hash256, SimilarityIndex, border_region, fingerprint, hashes, pdq,
    pdq_dihedral, pdq_dihedral_exact, phash,
};
use image::DynamicImage;

fn random_hash(rng: &mut common::Rng) -> Hash256 {
    Hash256([
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64(),
    ])
}

fn flip_bits(mut h: Hash256, n: u32, rng: &mut common::Rng) -> Hash256 {
    let mut flipped = std::collections::HashSet::new();
    while flipped.len() < n as usize {
        let k = rng.below(256) as usize;
        if flipped.insert(k) {
            h = h.with_bit_flipped(k);
        }
    }
    h
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("HALLMARK_BENCH_HASHES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = common::Rng::new(2024);

    // Real fingerprints of generated images: their originals are indexed (plus a
    // near-duplicate of each), so queries have true matches.
    let images: Vec<DynamicImage> = (0..50)
        .map(|i| DynamicImage::ImageRgb8(common::generate(i, 256, 256)))
        .collect();
    let fingerprints: Vec<_> = images.iter().map(fingerprint).collect();
    let dihedral: Vec<[Hash256; 8]> = fingerprints.iter().map(|f| f.dihedral).collect();

    // Every work has a PDQ and CROP_FRACTIONS.len() crop hashes, as the engine indexes them;
    // a synthetic work's crop hashes are 40 to 120 bits from its PDQ (real crops: 45 to 110).
    let with_crops = |primary: Hash256, rng: &mut common::Rng| -> Vec<Hash256> {
        let mut all = vec![primary];
        for _ in CROP_FRACTIONS {
            let d = 40 + rng.below(81) as u32;
            all.push(flip_bits(primary, d, rng));
        }
        all
    };
    let start = Instant::now();
    let mut index = SimilarityIndex::new();
    let mut key = 0u32;
    for f in &fingerprints {
        let all = f.hashes.pdq_all();
        index.insert_all(key, &all);
        let near: Vec<Hash256> = all.iter().map(|&h| flip_bits(h, 12, &mut rng)).collect();
        index.insert_all(key + 1, &near);
        key += 2;
    }
    // 80 % random works, 20 % clusters of 10 near-duplicates (distance ≤ 24 from a centre).
    let clustered = n / 5;
    while (key as usize) < n - clustered {
        let all = with_crops(random_hash(&mut rng), &mut rng);
        index.insert_all(key, &all);
        key += 1;
    }
    while (key as usize) < n {
        let centre = random_hash(&mut rng);
        for _ in 0..10 {
            if key as usize >= n {
                break;
            }
            let d = rng.below(25) as u32;
            let all = with_crops(flip_bits(centre, d, &mut rng), &mut rng);
            index.insert_all(key, &all);
            key += 1;
        }
    }
    eprintln!(
        "indexed {} works ({} hashes) in {:.2?}",
        index.len(),
        index.entries(),
        start.elapsed()
    );

    // Queries: half near-duplicates of indexed images, half unrelated random hashes.
    let mut queries: Vec<[Hash256; 8]> = dihedral.iter().take(25).copied().collect();
    for _ in 0..25 {
        queries.push(std::array::from_fn(|_| random_hash(&mut rng)));
    }
    let mut found = 0;
    for q in &queries {
        found += index.query_dihedral(q, 31).len();
    }
    eprintln!(
        "{} dihedral queries found {found} matches at distance <= 31",
        queries.len()
    );

    let mut group = c.benchmark_group("index");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    let mut i = 0;
    let n = format!("{n} works, {} hashes", index.entries());
    group.bench_function(format!("query r=31, {n}"), |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.query(&queries[i][0], 31))
        })
    });
    group.bench_function(format!("query_dihedral r=31, {n}"), |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.query_dihedral(&queries[i], 31))
        })
    });
    group.bench_function(format!("query r=63, {n}"), |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.query(&queries[i][0], 63))
        })
    });
    group.bench_function(format!("query r=64 (scan), {n}"), |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.query(&queries[i][0], 64))
        })
    });
    group.bench_function(format!("query_dihedral r=64 (scan), {n}"), |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.query_dihedral(&queries[i], 64))
        })
    });
    group.finish();

    let big = DynamicImage::ImageRgb8(common::generate_kind(common::Kind::Scene, 1, 1024, 1024));
    let mut group = c.benchmark_group("hash 1024x1024");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("pdq", |b| b.iter(|| black_box(pdq(&big))));
    group.bench_function("pdq_dihedral", |b| b.iter(|| black_box(pdq_dihedral(&big))));
    group.bench_function("pdq_dihedral_exact", |b| {
        b.iter(|| black_box(pdq_dihedral_exact(&big)))
    });
    group.bench_function("phash", |b| b.iter(|| black_box(phash(&big))));
    group.bench_function("hashes (pdq + phash)", |b| {
        b.iter(|| black_box(hashes(&big)))
    });
    group.bench_function("border_region", |b| {
        b.iter(|| black_box(border_region(&big)))
    });
    group.bench_function("fingerprint (trim, dihedral, crops, phash)", |b| {
        b.iter(|| black_box(fingerprint(&big)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
