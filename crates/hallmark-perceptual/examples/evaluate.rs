//! Recall per transformation and false-positive rate of PDQ copy detection, on images this
//! project generates itself (CC0) plus the sample works in `assets/samples`.
//!
//! `cargo run --release -p hallmark-perceptual --example evaluate -- [--images N]`
//!
//! Exactly the engine's pipeline: every original is registered with [`fingerprint`] (borders
//! trimmed, PDQ and the crop hashes indexed under its id with
//! [`SimilarityIndex::insert_all`]); for every original and every transformation, the
//! transformed image is the query: [`fingerprint`] again (same trim), and its eight dihedral
//! hashes go to [`SimilarityIndex::query_dihedral`]. It counts as recalled when the best match
//! is its own original within [`Thresholds::default`] (distance ≤ 31, query quality ≥ 50). A
//! second index holding only each original's whole-picture PDQ shows what the trim alone does.
//! False positives are distinct originals (or a transformed image and another original) within
//! distance 31 under any of the 8 variants and any of the original's hashes.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeSet;
use std::time::Instant;

use hallmark_perceptual::{CROP_FRACTIONS, Fingerprint, SimilarityIndex, Thresholds, fingerprint};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::{self, FilterType};
use image::{DynamicImage, Rgb, RgbImage};

const SIZES: [(u32, u32); 10] = [
    (640, 480),
    (480, 640),
    (512, 512),
    (600, 400),
    (800, 600),
    (400, 400),
    (720, 480),
    (300, 300),
    (1024, 768),
    (512, 384),
];

type Transform = (&'static str, fn(&RgbImage, u64) -> RgbImage);

fn jpeg(img: &RgbImage, quality: u8) -> RgbImage {
    let mut bytes = Vec::new();
    img.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, quality))
        .unwrap();
    image::load_from_memory(&bytes).unwrap().to_rgb8()
}

fn scale(img: &RgbImage, factor: f32) -> RgbImage {
    let w = ((img.width() as f32 * factor).round() as u32).max(1);
    let h = ((img.height() as f32 * factor).round() as u32).max(1);
    imageops::resize(img, w, h, FilterType::Lanczos3)
}

fn noise(img: &RgbImage, seed: u64) -> RgbImage {
    let mut rng = common::Rng::new(seed ^ 0xabcd);
    let mut out = img.clone();
    for p in out.pixels_mut() {
        for c in &mut p.0 {
            *c = (f32::from(*c) + 10.0 * rng.normal())
                .round()
                .clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// 5×7 block letters for the watermark text.
fn glyph(c: char) -> [u8; 7] {
    match c {
        'H' => [
            0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001,
        ],
        'A' => [
            0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001,
        ],
        'L' => [
            0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111,
        ],
        'M' => [
            0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001,
        ],
        'R' => [
            0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001,
        ],
        'K' => [
            0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001,
        ],
        'C' => [
            0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110,
        ],
        'O' => [
            0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110,
        ],
        'P' => [
            0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000,
        ],
        'Y' => [
            0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100, 0b00100,
        ],
        _ => [0; 7],
    }
}

fn blend(p: &mut Rgb<u8>, colour: [f32; 3], alpha: f32) {
    for (c, k) in p.0.iter_mut().zip(colour) {
        *c = (f32::from(*c) * (1.0 - alpha) + k * alpha).round() as u8;
    }
}

/// A band across the full width, 10 % of the height (so 10 % of the area), at a random height,
/// with "HALLMARK COPY" repeated in semi-transparent (60 %) black block letters, and with
/// `banner` a 50 % white background under the letters.
fn watermark(img: &RgbImage, seed: u64, banner: bool) -> RgbImage {
    let mut rng = common::Rng::new(seed ^ 0x77);
    let mut out = img.clone();
    let (w, h) = out.dimensions();
    let band = (h / 10).max(1);
    let top = rng.below(u64::from(h - band + 1)) as u32;
    let s = ((band as f32 * 0.7) / 7.0).floor().max(1.0) as u32;
    let text: Vec<char> = "HALLMARK COPY ".chars().collect();
    let text_top = top + (band - 7 * s.min(band / 7).max(1)) / 2;
    for y in top..top + band {
        for x in 0..w {
            let p = out.get_pixel_mut(x, y);
            if banner {
                blend(p, [255.0; 3], 0.5);
            }
            let (gx, gy) = (x / s, (y.saturating_sub(text_top)) / s);
            if y >= text_top && gy < 7 {
                let ch = text[(gx / 6) as usize % text.len()];
                let col = gx % 6;
                if col < 5 && (glyph(ch)[gy as usize] >> (4 - col)) & 1 == 1 {
                    blend(p, [0.0; 3], 0.6);
                }
            }
        }
    }
    out
}

/// Adds a border of `fraction` of the width / height on each side, in a random solid colour.
fn pad(img: &RgbImage, seed: u64, fraction: f32) -> RgbImage {
    let mut rng = common::Rng::new(seed ^ 0x1234);
    let colour = Rgb(rng.colour().map(|c| c as u8));
    let (w, h) = img.dimensions();
    let (bx, by) = (
        (w as f32 * fraction).round() as u32,
        (h as f32 * fraction).round() as u32,
    );
    let mut out = RgbImage::from_pixel(w + 2 * bx, h + 2 * by, colour);
    imageops::replace(&mut out, img, i64::from(bx), i64::from(by));
    out
}

/// Removes `fraction` of the width / height from each side.
fn crop(img: &RgbImage, fraction: f32) -> RgbImage {
    let (w, h) = img.dimensions();
    let (cx, cy) = (
        (w as f32 * fraction).round() as u32,
        (h as f32 * fraction).round() as u32,
    );
    imageops::crop_imm(img, cx, cy, w - 2 * cx, h - 2 * cy).to_image()
}

/// Hue rotation by 30° (YIQ) and brightness +10 %.
fn colour_shift(img: &RgbImage, _seed: u64) -> RgbImage {
    let (cos, sin) = (30f32.to_radians().cos(), 30f32.to_radians().sin());
    let mut out = img.clone();
    for p in out.pixels_mut() {
        let [r, g, b] = p.0.map(f32::from);
        let y = 0.299 * r + 0.587 * g + 0.114 * b;
        let i = 0.596 * r - 0.274 * g - 0.322 * b;
        let q = 0.211 * r - 0.523 * g + 0.312 * b;
        let (i, q) = (i * cos - q * sin, i * sin + q * cos);
        let rgb = [
            y + 0.956 * i + 0.621 * q,
            y - 0.272 * i - 0.647 * q,
            y - 1.106 * i + 1.703 * q,
        ];
        p.0 = rgb.map(|c| (c * 1.1).round().clamp(0.0, 255.0) as u8);
    }
    out
}

fn transforms() -> Vec<Transform> {
    vec![
        ("JPEG q50", |i, _| jpeg(i, 50)),
        ("JPEG q75", |i, _| jpeg(i, 75)),
        ("JPEG q95", |i, _| jpeg(i, 95)),
        ("resize 0.25×", |i, _| scale(i, 0.25)),
        ("resize 0.5×", |i, _| scale(i, 0.5)),
        ("resize 2×", |i, _| scale(i, 2.0)),
        ("Gaussian blur σ=1", |i, _| imageops::blur(i, 1.0)),
        ("Gaussian blur σ=2", |i, _| imageops::blur(i, 2.0)),
        ("additive noise σ=10", noise),
        ("watermark: text over 10 % of the area", |i, s| {
            watermark(i, s, false)
        }),
        ("watermark: banner + text, 10 % of the area", |i, s| {
            watermark(i, s, true)
        }),
        ("border 5 % per side (10 % larger)", |i, s| pad(i, s, 0.05)),
        ("border 10 % per side", |i, s| pad(i, s, 0.10)),
        ("crop 2.5 % per side (5 % of each dimension)", |i, _| {
            crop(i, 0.025)
        }),
        ("crop 3.75 % per side (between two crop hashes)", |i, _| {
            crop(i, 0.0375)
        }),
        ("crop 5 % per side", |i, _| crop(i, 0.05)),
        ("crop 10 % per side", |i, _| crop(i, 0.10)),
        ("crop 5 % off-centre (left and top only)", |i, _| {
            let (w, h) = i.dimensions();
            let (cx, cy) = (
                (w as f32 * 0.05).round() as u32,
                (h as f32 * 0.05).round() as u32,
            );
            imageops::crop_imm(i, cx, cy, w - cx, h - cy).to_image()
        }),
        ("rotate 90°", |i, _| imageops::rotate90(i)),
        ("horizontal flip", |i, _| imageops::flip_horizontal(i)),
        ("colour shift (hue 30°, brightness +10 %)", colour_shift),
    ]
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[derive(Default)]
struct Row {
    n: usize,
    low_quality: usize,
    recalled: usize,
    recalled_any_quality: usize,
    recalled_trim_only: usize,
    recalled_via_crop: usize,
    trimmed: usize,
    good_originals: usize,
    recalled_good_originals: usize,
    distances: Vec<u32>,
    fp_pairs: usize,
}

fn main() {
    let mut count = 1000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--images" => {
                count = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--images N")
            }
            other => panic!("unknown argument {other}; usage: evaluate [--images N]"),
        }
    }
    let thresholds = Thresholds::default();
    let started = Instant::now();

    // Originals: generated images (five kinds, ten sizes) and the repository's sample works.
    let mut originals: Vec<(String, RgbImage)> = (0..count as u64)
        .map(|seed| {
            let (w, h) = SIZES[(seed / 5 % SIZES.len() as u64) as usize];
            let kind = common::KINDS[(seed % 5) as usize];
            (
                format!("{kind:?}#{seed}"),
                common::generate_kind(kind, seed / 5, w, h),
            )
        })
        .collect();
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples");
    if let Ok(entries) = std::fs::read_dir(&samples) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if let Ok(img) = image::open(&path) {
                originals.push((path.display().to_string(), img.to_rgb8()));
            }
        }
    }
    let n = originals.len();

    // The engine's index (PDQ + crop hashes per work) and one of the whole-picture PDQ only.
    let mut index = SimilarityIndex::new();
    let mut index_whole = SimilarityIndex::new();
    let mut original_prints: Vec<Fingerprint> = Vec::with_capacity(n);
    let mut original_low_quality = 0;
    let mut originals_trimmed = 0;
    let mut hashing = std::time::Duration::ZERO;
    let mut pixels = 0u64;
    for (id, (_, img)) in originals.iter().enumerate() {
        let image = DynamicImage::ImageRgb8(img.clone());
        let t = Instant::now();
        let f = fingerprint(&image);
        hashing += t.elapsed();
        pixels += u64::from(img.width()) * u64::from(img.height());
        original_low_quality += usize::from(f.hashes.pdq_quality < thresholds.min_quality);
        originals_trimmed += usize::from((f.trimmed.width, f.trimmed.height) != img.dimensions());
        index.insert_all(id as u32, &f.hashes.pdq_all());
        index_whole.insert(id as u32, f.hashes.pdq);
        original_prints.push(f);
    }
    eprintln!(
        "{n} originals generated and hashed in {:.1?}",
        started.elapsed()
    );

    // False positives among originals (unordered pairs, any of the 8 variants).
    let mut original_fp: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut original_fp_gated: BTreeSet<(u32, u32)> = BTreeSet::new();
    for (id, f) in original_prints.iter().enumerate() {
        let quality = f.hashes.pdq_quality;
        for m in index.query_dihedral(&f.dihedral, thresholds.max_distance) {
            if m.key != id as u32 {
                let pair = (m.key.min(id as u32), m.key.max(id as u32));
                original_fp.insert(pair);
                if quality >= thresholds.min_quality {
                    original_fp_gated.insert(pair);
                }
            }
        }
    }

    let transforms = transforms();
    let mut rows: Vec<Row> = transforms.iter().map(|_| Row::default()).collect();
    let mut fp_examples = Vec::new();
    for (id, (name, img)) in originals.iter().enumerate() {
        let own_hashes = original_prints[id].hashes.pdq_all();
        for ((label, transform), row) in transforms.iter().zip(&mut rows) {
            let transformed = transform(img, id as u64);
            let dimensions = transformed.dimensions();
            let query = fingerprint(&DynamicImage::ImageRgb8(transformed));
            let quality = query.hashes.pdq_quality;
            row.n += 1;
            row.trimmed += usize::from((query.trimmed.width, query.trimmed.height) != dimensions);
            let good_quality = quality >= thresholds.min_quality;
            row.low_quality += usize::from(!good_quality);
            let own = query
                .dihedral
                .iter()
                .flat_map(|q| own_hashes.iter().map(|h| h.distance(q)))
                .min()
                .unwrap_or(256);
            row.distances.push(own);
            let matches = index.query_dihedral(&query.dihedral, thresholds.max_distance);
            let best = matches.first().filter(|m| m.key == id as u32);
            let best_is_own = best.is_some();
            row.recalled_any_quality += usize::from(best_is_own);
            row.recalled += usize::from(best_is_own && good_quality);
            row.recalled_via_crop += usize::from(good_quality && best.is_some_and(|m| m.entry > 0));
            if original_prints[id].hashes.pdq_quality >= thresholds.min_quality {
                row.good_originals += 1;
                row.recalled_good_originals += usize::from(best_is_own && good_quality);
            }
            let whole = index_whole.query_dihedral(&query.dihedral, thresholds.max_distance);
            row.recalled_trim_only +=
                usize::from(good_quality && whole.first().is_some_and(|m| m.key == id as u32));
            for m in matches.iter().filter(|m| m.key != id as u32) {
                row.fp_pairs += 1;
                if fp_examples.len() < 5 {
                    fp_examples.push(format!(
                        "{label} of {name} ~ {} (distance {}, quality {quality})",
                        originals[m.key as usize].0, m.distance
                    ));
                }
            }
        }
    }
    let elapsed = started.elapsed();

    println!(
        "PDQ copy detection (fingerprint: trim + PDQ + {} crop hashes): {n} originals ({count} generated + {} sample works), thresholds: distance ≤ {}, quality ≥ {}",
        CROP_FRACTIONS.len(),
        n - count,
        thresholds.max_distance,
        thresholds.min_quality
    );
    println!(
        "{original_low_quality} of the {n} originals themselves have quality < 50; {originals_trimmed} originals had a border trimmed. Distances: from the query's best dihedral hash to the nearest of its own original's hashes."
    );
    println!(
        "fingerprint of an original: {:.1} ms on average ({:.2} megapixels on average), {:.1} ms per megapixel",
        hashing.as_secs_f64() * 1e3 / n as f64,
        pixels as f64 / n as f64 / 1e6,
        hashing.as_secs_f64() * 1e3 / (pixels as f64 / 1e6)
    );
    println!();
    println!(
        "| transform | n | recall | recall, originals of quality ≥ 50 | recall without crop hashes (trim only) | matched a crop hash | queries trimmed | queries of quality < 50 | recall ignoring quality | mean distance | p95 distance |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut transformed_fp = 0;
    let mut transformed_pairs = 0;
    for ((label, _), row) in transforms.iter().zip(&mut rows) {
        row.distances.sort_unstable();
        let pct = |k: usize| 100.0 * k as f64 / row.n as f64;
        let mean = row.distances.iter().map(|&d| f64::from(d)).sum::<f64>() / row.n as f64;
        println!(
            "| {label} | {} | {:.1} % | {:.1} % | {:.1} % | {} | {} | {} | {:.1} % | {mean:.1} | {} |",
            row.n,
            pct(row.recalled),
            100.0 * row.recalled_good_originals as f64 / row.good_originals.max(1) as f64,
            pct(row.recalled_trim_only),
            row.recalled_via_crop,
            row.trimmed,
            row.low_quality,
            pct(row.recalled_any_quality),
            percentile(&row.distances, 95.0)
        );
        transformed_fp += row.fp_pairs;
        transformed_pairs += row.n * (n - 1);
    }
    println!();
    let original_pairs = n * (n - 1) / 2;
    println!(
        "False positives, originals: {} of {original_pairs} distinct pairs within distance ≤ 31 under any of the 8 variants ({:.4} %); {} with the query quality ≥ 50 ({:.4} %).",
        original_fp.len(),
        100.0 * original_fp.len() as f64 / original_pairs as f64,
        original_fp_gated.len(),
        100.0 * original_fp_gated.len() as f64 / original_pairs as f64,
    );
    println!(
        "False positives, transformed vs other originals: {transformed_fp} of {transformed_pairs} pairs ({:.4} %, quality not gated).",
        100.0 * transformed_fp as f64 / transformed_pairs as f64
    );
    for example in &fp_examples {
        println!("  e.g. {example}");
    }
    println!();
    println!(
        "Command: cargo run --release -p hallmark-perceptual --example evaluate -- --images {count}   ({:.0} s on one core)",
        elapsed.as_secs_f64()
    );
}
