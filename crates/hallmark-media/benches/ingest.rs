//! Ingest throughput: a 64 MiB WAV (sniff, probe, sha-256, CIDv1 + CIDv0 in one pass) and a
//! 2048×2048 PNG (the same plus decode, thumbnail and preview).
#![allow(missing_docs)]

use std::io::Write;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallmark_media::{IngestOptions, ingest};

fn wav(path: &Path, data_bytes: u32) {
    let mut f = std::fs::File::create(path).expect("create");
    let mut header = Vec::new();
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&(36 + data_bytes).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt ");
    header.extend_from_slice(&16u32.to_le_bytes());
    header.extend_from_slice(&1u16.to_le_bytes()); // PCM
    header.extend_from_slice(&2u16.to_le_bytes()); // stereo
    header.extend_from_slice(&48_000u32.to_le_bytes());
    header.extend_from_slice(&(48_000u32 * 4).to_le_bytes());
    header.extend_from_slice(&4u16.to_le_bytes());
    header.extend_from_slice(&16u16.to_le_bytes());
    header.extend_from_slice(b"data");
    header.extend_from_slice(&data_bytes.to_le_bytes());
    f.write_all(&header).expect("header");
    let samples: Vec<u8> = (0..data_bytes)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    f.write_all(&samples).expect("samples");
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = IngestOptions {
        derivatives_dir: Some(dir.path().join("derivatives")),
        ..IngestOptions::default()
    };
    let audio = dir.path().join("a.wav");
    wav(&audio, 64 << 20);
    let picture = dir.path().join("p.png");
    image::RgbImage::from_fn(2048, 2048, |x, y| {
        image::Rgb([x as u8, y as u8, (x ^ y) as u8])
    })
    .save(&picture)
    .expect("png");

    let mut group = c.benchmark_group("ingest");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(
        std::fs::metadata(&audio).map(|m| m.len()).unwrap_or(0),
    ));
    group.bench_function("wav_64MiB", |b| {
        b.iter(|| ingest(&audio, &options).map(|i| i.cid_v1))
    });
    group.throughput(Throughput::Bytes(
        std::fs::metadata(&picture).map(|m| m.len()).unwrap_or(0),
    ));
    group.bench_function("png_2048x2048_with_derivatives", |b| {
        b.iter(|| ingest(&picture, &options).map(|i| i.cid_v1))
    });
    group.finish();
}

criterion_group!(ingest_benches, benches);
criterion_main!(ingest_benches);
