//! The classic 64-bit DCT perceptual hash, as Python's `imagehash.phash` computes it.

use image::{DynamicImage, RgbImage};

use crate::pdq::opaque_rgb;

/// 64-bit DCT pHash (`imagehash.phash` with its defaults: `hash_size=8`, `highfreq_factor=4`).
///
/// The image is made opaque (alpha over white, as for PDQ), converted to 8-bit grey with PIL's
/// `convert("L")` formula, resized to 32×32 with a port of PIL's Lanczos resampling (separable,
/// horizontal pass first, 22-bit fixed-point weights, rounded to 8 bits after each pass), then
/// the unnormalised 2-D DCT-II is taken; bit `63 − (8·r + c)` is set when coefficient (r, c) of
/// the top-left 8×8 block exceeds the median of those 64 coefficients (the DC term included).
/// As text: `format!("{:016x}")`, equal to `str(imagehash.phash(img))` up to floating-point
/// noise in the DCT (coefficients within 1e-6 of zero count as zero, as scipy's are exactly
/// zero for flat images).
pub fn phash(image: &DynamicImage) -> u64 {
    phash_rgb(&opaque_rgb(image))
}

pub(crate) fn phash_rgb(rgb: &RgbImage) -> u64 {
    let (w, h) = rgb.dimensions();
    if w == 0 || h == 0 {
        return 0;
    }
    // PIL's ITU-R 601-2 luma in 16-bit fixed point (Convert.c, L24).
    let grey: Vec<u8> = rgb
        .as_raw()
        .chunks_exact(3)
        .map(|p| {
            ((u32::from(p[0]) * 19595 + u32::from(p[1]) * 38470 + u32::from(p[2]) * 7471 + 0x8000)
                >> 16) as u8
        })
        .collect();
    let pixels: Vec<f64> = pil_resize_lanczos(&grey, w as usize, h as usize, 32, 32)
        .into_iter()
        .map(f64::from)
        .collect();

    // DCT-II basis (scipy.fftpack.dct, type 2, no normalisation): 2·cos(π·k·(2n+1)/64).
    let mut basis = [[0f64; 32]; 8];
    for (k, row) in basis.iter_mut().enumerate() {
        for (n, cell) in row.iter_mut().enumerate() {
            *cell = 2.0 * (std::f64::consts::PI * k as f64 * (2 * n + 1) as f64 / 64.0).cos();
        }
    }
    // Along columns (axis 0) first, then rows (axis 1), only the low 8×8 frequencies.
    let mut cols_done = [[0f64; 32]; 8]; // [k_row][x]
    for (k, out_row) in cols_done.iter_mut().enumerate() {
        for (x, cell) in out_row.iter_mut().enumerate() {
            *cell = (0..32).map(|y| basis[k][y] * pixels[y * 32 + x]).sum();
        }
    }
    let mut low = [0f64; 64];
    for r in 0..8 {
        for c in 0..8 {
            low[r * 8 + c] = (0..32).map(|x| basis[c][x] * cols_done[r][x]).sum();
        }
    }
    for v in &mut low {
        if v.abs() < 1e-6 {
            *v = 0.0;
        }
    }
    let mut sorted = low;
    sorted.sort_by(f64::total_cmp);
    let median = (sorted[31] + sorted[32]) / 2.0;
    low.iter()
        .fold(0u64, |acc, &v| (acc << 1) | u64::from(v > median))
}

/// Pillow's fixed-point precision for 8-bit resampling (`PRECISION_BITS`).
const PRECISION_BITS: u32 = 32 - 8 - 2;

fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        return 1.0;
    }
    let x = x * std::f64::consts::PI;
    x.sin() / x
}

fn lanczos(x: f64) -> f64 {
    if (-3.0..3.0).contains(&x) {
        sinc(x) * sinc(x / 3.0)
    } else {
        0.0
    }
}

/// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the whole input range: per output
/// sample, the first input index and the fixed-point weights.
fn pil_coefficients(in_size: usize, out_size: usize) -> Vec<(usize, Vec<i64>)> {
    let scale = in_size as f64 / out_size as f64;
    let filterscale = scale.max(1.0);
    let support = 3.0 * filterscale;
    (0..out_size)
        .map(|xx| {
            let center = (xx as f64 + 0.5) * scale;
            let ss = 1.0 / filterscale;
            let xmin = ((center - support + 0.5) as i64).max(0);
            let xmax = ((center + support + 0.5) as i64).min(in_size as i64) - xmin;
            let mut k: Vec<f64> = (0..xmax.max(0))
                .map(|x| lanczos((((x + xmin) as f64 - center) + 0.5) * ss))
                .collect();
            let ww: f64 = k.iter().fold(0.0, |acc, w| acc + w);
            if ww != 0.0 {
                for w in &mut k {
                    *w /= ww;
                }
            }
            let one = f64::from(1u32 << PRECISION_BITS);
            let fixed = k
                .iter()
                .map(|&w| {
                    if w < 0.0 {
                        (-0.5 + w * one) as i64
                    } else {
                        (0.5 + w * one) as i64
                    }
                })
                .collect();
            (xmin as usize, fixed)
        })
        .collect()
}

fn clip8(sum: i64) -> u8 {
    (sum >> PRECISION_BITS).clamp(0, 255) as u8
}

/// `PIL.Image.resize((out_w, out_h), LANCZOS)` of an 8-bit grey image (Pillow's
/// `ImagingResampleInner`: horizontal pass, then vertical, each rounded to 8 bits).
fn pil_resize_lanczos(grey: &[u8], w: usize, h: usize, out_w: usize, out_h: usize) -> Vec<u8> {
    let mut data = grey.to_vec();
    let mut width = w;
    if out_w != w {
        let coeffs = pil_coefficients(w, out_w);
        let mut out = vec![0u8; out_w * h];
        for y in 0..h {
            let row = &data[y * w..(y + 1) * w];
            for (xx, (xmin, k)) in coeffs.iter().enumerate() {
                let sum = k
                    .iter()
                    .zip(&row[*xmin..])
                    .fold(1i64 << (PRECISION_BITS - 1), |acc, (&k, &p)| {
                        acc + i64::from(p) * k
                    });
                out[y * out_w + xx] = clip8(sum);
            }
        }
        data = out;
        width = out_w;
    }
    if out_h != h {
        let coeffs = pil_coefficients(h, out_h);
        let mut out = vec![0u8; width * out_h];
        for (yy, (ymin, k)) in coeffs.iter().enumerate() {
            for x in 0..width {
                let sum = k
                    .iter()
                    .enumerate()
                    .fold(1i64 << (PRECISION_BITS - 1), |acc, (y, &k)| {
                        acc + i64::from(data[(ymin + y) * width + x]) * k
                    });
                out[yy * width + x] = clip8(sum);
            }
        }
        data = out;
    }
    data
}
