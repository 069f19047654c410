//! Border trimming and crop hashes: padded and cropped copies match their original through the
//! engine's query (fingerprint of both, original indexed under all its hashes, the copy's 8
//! dihedral hashes within distance 31).

mod common;

use hallmark_perceptual::{
    CROP_FRACTIONS, CropHashes, SimilarityIndex, Thresholds, border_region, fingerprint, pdq,
    trim_borders,
};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, Rgb, RgbImage, imageops};

fn scene(seed: u64, w: u32, h: u32) -> RgbImage {
    common::generate_kind(common::Kind::Scene, seed, w, h)
}

fn pad(img: &RgbImage, fraction: f32, colour: [u8; 3]) -> RgbImage {
    let (w, h) = img.dimensions();
    let (bx, by) = (
        (w as f32 * fraction).round() as u32,
        (h as f32 * fraction).round() as u32,
    );
    let mut out = RgbImage::from_pixel(w + 2 * bx, h + 2 * by, Rgb(colour));
    imageops::replace(&mut out, img, i64::from(bx), i64::from(by));
    out
}

fn crop(img: &RgbImage, fraction: f32) -> RgbImage {
    let (w, h) = img.dimensions();
    let (cx, cy) = (
        (w as f32 * fraction).round() as u32,
        (h as f32 * fraction).round() as u32,
    );
    imageops::crop_imm(img, cx, cy, w - 2 * cx, h - 2 * cy).to_image()
}

fn jpeg(img: &RgbImage, quality: u8) -> RgbImage {
    let mut bytes = Vec::new();
    img.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, quality))
        .expect("encode");
    image::load_from_memory(&bytes).expect("decode").to_rgb8()
}

fn rgb(img: RgbImage) -> DynamicImage {
    DynamicImage::ImageRgb8(img)
}

#[test]
fn padded_image_trims_back_to_the_original() {
    for (seed, (w, h)) in [(1, (400, 300)), (2, (300, 450)), (3, (512, 512))] {
        let original = scene(seed, w, h);
        assert_eq!(
            border_region(&rgb(original.clone())),
            hallmark_perceptual::Region {
                x: 0,
                y: 0,
                width: w,
                height: h
            },
            "a textured image without border is untouched"
        );
        for (fraction, colour) in [
            (0.05, [255, 255, 255]),
            (0.10, [0, 0, 0]),
            (0.10, [200, 40, 90]),
        ] {
            for padded in [
                pad(&original, fraction, colour),
                jpeg(&pad(&original, fraction, colour), 75),
            ] {
                let trimmed = trim_borders(&rgb(padded));
                assert!(
                    trimmed.width().abs_diff(w) <= 1 && trimmed.height().abs_diff(h) <= 1,
                    "seed {seed}, {fraction} {colour:?}: {}×{} for {w}×{h}",
                    trimmed.width(),
                    trimmed.height()
                );
            }
        }
    }
}

#[test]
fn flat_image_is_not_trimmed_to_nothing() {
    for (w, h) in [(100, 80), (16, 16), (5, 400), (1, 1)] {
        let flat = rgb(RgbImage::from_pixel(w, h, Rgb([30, 60, 90])));
        let r = border_region(&flat);
        assert!(r.width > 0 && r.height > 0);
        assert!(r.width as f32 >= 0.4 * w as f32 && r.height as f32 >= 0.4 * h as f32);
        let f = fingerprint(&flat);
        assert_eq!(f.hashes.pdq_quality, 0);
    }
}

#[test]
fn fingerprint_is_pdq_of_the_trimmed_image_and_its_crops() {
    let original = scene(7, 640, 480);
    let f = fingerprint(&rgb(original.clone()));
    assert_eq!(f.hashes.pdq, pdq(&rgb(original.clone())).hash);
    assert_eq!(f.hashes.pdq_trimmed, None);
    assert_eq!(f.dihedral[0], f.hashes.pdq);
    assert_eq!(f.hashes.pdq_crops.len(), CROP_FRACTIONS.len());
    assert!(CROP_FRACTIONS.len() <= CropHashes::CAPACITY);
    for (fraction, hash) in CROP_FRACTIONS.iter().zip(f.hashes.pdq_crops.iter()) {
        assert_eq!(*hash, pdq(&rgb(crop(&original, *fraction))).hash);
    }
    // A padded copy: `pdq` is the padded picture's own PDQ, `pdq_trimmed` the original's.
    let padded = pad(&original, 0.1, [255, 255, 255]);
    let p = fingerprint(&rgb(padded.clone()));
    assert_eq!(p.hashes.pdq, pdq(&rgb(padded)).hash);
    assert_eq!(p.hashes.pdq_trimmed, Some(f.hashes.pdq));
    assert_eq!(p.hashes.pdq_crops, f.hashes.pdq_crops);
    assert_eq!(p.dihedral, f.dihedral);
    assert_eq!(p.hashes.pdq_all().len(), 2 + CROP_FRACTIONS.len());
}

#[test]
fn cropped_and_padded_copies_match_through_the_engine_query() {
    let thresholds = Thresholds::default();
    for seed in 0..6u64 {
        let (w, h) = [(640, 480), (480, 640), (512, 512)][seed as usize % 3];
        let original = scene(seed, w, h);
        // The engine: every registered work indexed under all its published hashes, among
        // other works.
        let mut index = SimilarityIndex::new();
        index.insert_all(1000, &fingerprint(&rgb(original.clone())).hashes.pdq_all());
        for other in 0..20u64 {
            let img = scene(100 + other, 512, 384);
            index.insert_all(other, &fingerprint(&rgb(img)).hashes.pdq_all());
        }
        let copies = [
            ("crop 5 %", crop(&original, 0.05)),
            ("crop 5 % + JPEG", jpeg(&crop(&original, 0.05), 75)),
            ("pad 10 %", pad(&original, 0.10, [250, 250, 245])),
            (
                "pad 10 % + JPEG",
                jpeg(&pad(&original, 0.10, [10, 10, 10]), 75),
            ),
            (
                "pad 10 % + rotate 90",
                imageops::rotate90(&pad(&original, 0.10, [128, 0, 0])),
            ),
        ];
        for (label, copy) in copies {
            let query = fingerprint(&rgb(copy));
            assert!(
                query.hashes.pdq_quality >= thresholds.min_quality,
                "{label}"
            );
            let matches = index.query_dihedral(&query.dihedral, thresholds.max_distance);
            assert_eq!(
                matches.first().map(|m| m.key),
                Some(1000),
                "seed {seed}, {label}: {matches:?}"
            );
            assert_eq!(matches.len(), 1, "seed {seed}, {label}: {matches:?}");
        }
    }
}
