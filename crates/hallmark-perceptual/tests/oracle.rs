//! Our PDQ and pHash against the references: Meta's C++ PDQ (via the `pdqhash` Python package)
//! and `imagehash.phash`, run by `tools/perceptual/oracle.py` from
//! `$HALLMARK_TOOLS/perceptual-venv` (installed by `scripts/setup.sh test`).
//!
//! Skipped with a message when the venv is missing, unless `HALLMARK_REQUIRE_ORACLES` is set.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use hallmark_perceptual::{Hash256, hashes, pdq, pdq_dihedral};
use image::{DynamicImage, GrayImage, Rgb, RgbImage, RgbaImage};

fn tools_dir() -> PathBuf {
    match std::env::var_os("HALLMARK_TOOLS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(".local/hallmark-tools"),
    }
}

fn oracle_python() -> Option<PathBuf> {
    let python = tools_dir().join("perceptual-venv/bin/python");
    let ok = python.exists()
        && Command::new(&python)
            .args(["-c", "import pdqhash, PIL, numpy, imagehash"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    if ok {
        return Some(python);
    }
    let message = format!(
        "perceptual oracle not installed ({} cannot import pdqhash, PIL, numpy, imagehash); \
         run scripts/setup.sh test",
        python.display()
    );
    assert!(
        std::env::var_os("HALLMARK_REQUIRE_ORACLES").is_none(),
        "{message}"
    );
    eprintln!("SKIPPED: {message}");
    None
}

struct Reference {
    pdq: Hash256,
    quality: u8,
    dihedral: [Hash256; 8],
    phash: u64,
}

fn run_oracle(python: &Path, files: &[PathBuf]) -> Vec<Reference> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/perceptual/oracle.py");
    let output = Command::new(python)
        .arg(&script)
        .args(files)
        .output()
        .expect("run the oracle");
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("utf-8 oracle output");
    let refs: Vec<Reference> = text
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(f.len(), 11, "oracle line {line:?}");
            let h = |s: &str| Hash256::from_hex(s).expect("oracle hex");
            Reference {
                pdq: h(f[0]),
                quality: f[1].parse().expect("quality"),
                dihedral: std::array::from_fn(|k| h(f[2 + k])),
                phash: u64::from_str_radix(f[10], 16).expect("phash hex"),
            }
        })
        .collect();
    assert_eq!(refs.len(), files.len());
    refs
}

/// ~30 varied images: every generator kind at several sizes (square, non-square, tiny, the
/// 64×64 pass-through size, extreme aspect), pure noise, a flat image, alpha, grey, and the
/// sample works re-encoded as PNG (PIL and `image` decode JPEG differently).
fn corpus(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut images: Vec<(String, DynamicImage)> = Vec::new();
    let sizes = [
        (256, 256),
        (640, 480),
        (333, 517),
        (1024, 768),
        (64, 64),
        (65, 63),
        (1200, 90),
    ];
    for (i, kind) in common::KINDS.iter().enumerate() {
        for (j, &(w, h)) in sizes.iter().enumerate() {
            if (i + j) % 2 == 0 || j == 0 {
                let img = common::generate_kind(*kind, (i * 10 + j) as u64, w, h);
                images.push((format!("{kind:?}-{w}x{h}"), DynamicImage::ImageRgb8(img)));
            }
        }
    }
    for (w, h) in [(1, 1), (7, 3), (5, 5), (4000, 300), (300, 4000)] {
        let img = common::generate_kind(common::Kind::Scene, u64::from(w * h), w, h);
        images.push((format!("scene-{w}x{h}"), DynamicImage::ImageRgb8(img)));
    }
    let mut rng = common::Rng::new(99);
    let noise = RgbImage::from_fn(300, 200, |_, _| {
        Rgb([
            rng.below(256) as u8,
            rng.below(256) as u8,
            rng.below(256) as u8,
        ])
    });
    images.push(("noise-300x200".into(), DynamicImage::ImageRgb8(noise)));
    images.push((
        "flat-200x200".into(),
        DynamicImage::ImageRgb8(RgbImage::from_pixel(200, 200, Rgb([120, 130, 140]))),
    ));
    let base = common::generate_kind(common::Kind::GradientShapes, 7, 300, 300);
    let rgba = RgbaImage::from_fn(300, 300, |x, y| {
        let p = base.get_pixel(x, y).0;
        let alpha = if (x / 30 + y / 30) % 3 == 0 {
            0
        } else {
            (x * 255 / 299) as u8
        };
        image::Rgba([p[0], p[1], p[2], alpha])
    });
    images.push(("alpha-300x300".into(), DynamicImage::ImageRgba8(rgba)));
    let grey =
        DynamicImage::ImageRgb8(common::generate_kind(common::Kind::NoiseField, 3, 320, 240))
            .to_luma8();
    images.push((
        "grey-320x240".into(),
        DynamicImage::ImageLuma8(GrayImage::from(grey)),
    ));
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples");
    if let Ok(entries) = std::fs::read_dir(&samples) {
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if let Ok(img) = image::open(&path) {
                // 8 bits per channel first: PIL narrows 16-bit PNGs by truncation, `image` rounds.
                let img = if img.color().has_alpha() {
                    DynamicImage::ImageRgba8(img.to_rgba8())
                } else {
                    DynamicImage::ImageRgb8(img.to_rgb8())
                };
                let name = path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                images.push((format!("sample-{name}"), img));
            }
        }
    }
    images
        .into_iter()
        .enumerate()
        .map(|(i, (name, img))| {
            let path = dir.join(format!("{i:02}-{name}.png"));
            img.save(&path).expect("save png");
            (name, path)
        })
        .collect()
}

#[test]
fn pdq_and_phash_match_the_reference() {
    let Some(python) = oracle_python() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let files = corpus(dir.path());
    let paths: Vec<PathBuf> = files.iter().map(|(_, p)| p.clone()).collect();
    let refs = run_oracle(&python, &paths);

    let (mut pdq_exact, mut dihedral_exact, mut dihedral_total) = (0, 0, 0);
    let (mut quality_exact, mut phash_exact) = (0, 0);
    let mut phash_distances = Vec::new();
    let mut failures = Vec::new();
    for ((name, path), r) in files.iter().zip(&refs) {
        let img = image::open(path).expect("reload png");
        let ours = pdq(&img);
        let (dihedral, dq) = pdq_dihedral(&img);
        let all = hashes(&img);
        assert_eq!(dihedral[0], ours.hash, "{name}: pdq_dihedral[0] != pdq");
        assert_eq!(dq, ours.quality, "{name}");
        assert_eq!(all.pdq, ours.hash, "{name}");
        let d = ours.hash.distance(&r.pdq);
        pdq_exact += usize::from(d == 0);
        quality_exact += usize::from(ours.quality == r.quality);
        if d > 2 || ours.quality.abs_diff(r.quality) > 1 {
            failures.push(format!(
                "{name}: pdq distance {d} (ours {} q{}, reference {} q{})",
                ours.hash, ours.quality, r.pdq, r.quality
            ));
        }
        for (k, (a, b)) in dihedral.iter().zip(&r.dihedral).enumerate() {
            let d = a.distance(b);
            dihedral_total += 1;
            dihedral_exact += usize::from(d == 0);
            if d > 2 {
                failures.push(format!("{name}: dihedral[{k}] distance {d}"));
            }
        }
        let pd = (all.phash ^ r.phash).count_ones();
        phash_exact += usize::from(pd == 0);
        phash_distances.push((name.clone(), pd));
        if pd > 6 {
            failures.push(format!(
                "{name}: phash distance {pd} ({:016x} vs {:016x})",
                all.phash, r.phash
            ));
        }
    }
    let n = files.len();
    eprintln!("oracle: {n} images");
    eprintln!("  PDQ bit-exact: {pdq_exact}/{n}; quality exact: {quality_exact}/{n}");
    eprintln!("  dihedral hashes bit-exact: {dihedral_exact}/{dihedral_total}");
    eprintln!("  pHash exact: {phash_exact}/{n}; distances: {phash_distances:?}");
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
}
