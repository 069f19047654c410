//! PDQ, a Rust port of Meta's reference implementation.
//!
//! Ported from `ThreatExchange/pdq/cpp` (hashing/pdqhashing.cpp, downscaling/downscaling.cpp,
//! hashing/torben.cpp, common/pdqhashtypes.cpp), Copyright (c) Meta Platforms, Inc. and
//! affiliates, BSD-licensed; Torben's median by Torben Mogensen / N. Devillard (public domain).
//! Every floating-point operation is done in the reference's precision and order (f32 luma and
//! box sums, f64-computed f32 DCT matrix, sequential f32 dot products) so that the hash is
//! bit-identical to the reference's `pdqHash256FromFloatLuma`; only the loop structure differs
//! (columns are filtered row-wise, all at once, for speed).

use std::borrow::Cow;
use std::sync::OnceLock;

use image::{DynamicImage, RgbImage};

use crate::hash::Hash256;

/// Images narrower or shorter than this get the zero hash and quality 0 (the reference's
/// `MIN_HASHABLE_DIM`).
pub const MIN_HASHABLE_DIM: u32 = 5;

const LUMA_R: f32 = 0.299;
const LUMA_G: f32 = 0.587;
const LUMA_B: f32 = 0.114;
const JAROSZ_PASSES: usize = 2;

/// A PDQ hash with its quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pdq {
    /// The 256-bit hash.
    pub hash: Hash256,
    /// Meta's image-domain quality metric, 0..=100 (gradient energy of the 64×64 downsample).
    /// Below 50 the hash is not considered reliable.
    pub quality: u8,
}

/// PDQ hash of an image (Meta's `pdqHash256FromFloatLuma` on the full-resolution luma).
pub fn pdq(image: &DynamicImage) -> Pdq {
    let rgb = opaque_rgb(image);
    pdq_rgb(&rgb)
}

/// The eight dihedral PDQ hashes (order of [`crate::Dihedral::ALL`]) and the quality, from one
/// downsample and DCT (Meta's `pdqDihedralHash256esFromFloatLuma`). `[0]` is [`pdq`]'s hash.
///
/// `[t]` approximates the hash of the image transformed by `t`: exactly when the Jarosz window
/// is odd and the decimation grid symmetric (e.g. 300×300), within a few to a few dozen bits
/// otherwise (even windows shift by a pixel under reflection). See [`pdq_dihedral_exact`].
pub fn pdq_dihedral(image: &DynamicImage) -> ([Hash256; 8], u8) {
    let rgb = opaque_rgb(image);
    pdq_dihedral_rgb(&rgb)
}

pub(crate) fn pdq_rgb(rgb: &RgbImage) -> Pdq {
    match dct16_of(rgb) {
        None => Pdq {
            hash: Hash256::ZERO,
            quality: 0,
        },
        Some((dct, quality)) => Pdq {
            hash: bits_of(&dct),
            quality,
        },
    }
}

pub(crate) fn pdq_dihedral_rgb(rgb: &RgbImage) -> ([Hash256; 8], u8) {
    let Some((a, quality)) = dct16_of(rgb) else {
        return ([Hash256::ZERO; 8], 0);
    };
    let mut out = [Hash256::ZERO; 8];
    let mut b = [[0f32; 16]; 16];
    out[0] = bits_of(&a);
    // Sign patterns and transposition exactly as the reference's dct16OriginalTo* functions.
    type SignRule = fn(usize, usize) -> bool;
    let variants: [(bool, SignRule); 7] = [
        (true, |_, j| j & 1 == 1),        // rotate 90
        (false, |i, j| (i + j) & 1 == 0), // rotate 180
        (true, |i, _| i & 1 == 1),        // rotate 270
        (false, |i, _| i & 1 == 1),       // flip x
        (false, |_, j| j & 1 == 1),       // flip y
        (true, |_, _| true),              // flip +1
        (true, |i, j| (i + j) & 1 == 0),  // flip -1
    ];
    for (slot, (transpose, keep_sign)) in out[1..].iter_mut().zip(variants) {
        for i in 0..16 {
            for j in 0..16 {
                let v = if keep_sign(i, j) { a[i][j] } else { -a[i][j] };
                if transpose {
                    b[j][i] = v;
                } else {
                    b[i][j] = v;
                }
            }
        }
        *slot = bits_of(&b);
    }
    (out, quality)
}

/// The image as opaque 8-bit RGB: borrowed if it already is, otherwise converted; images with
/// an alpha channel are composited over white, `(c·a + 255·(255 − a) + 127) / 255` per channel
/// in integers (so transparent areas hash as white paper, whatever colour the encoder left in
/// fully transparent pixels).
pub(crate) fn opaque_rgb(image: &DynamicImage) -> Cow<'_, RgbImage> {
    match image {
        DynamicImage::ImageRgb8(rgb) => Cow::Borrowed(rgb),
        other if other.color().has_alpha() => {
            let rgba = other.to_rgba8();
            let (w, h) = rgba.dimensions();
            let mut raw = Vec::with_capacity(w as usize * h as usize * 3);
            for p in rgba.as_raw().chunks_exact(4) {
                let a = u32::from(p[3]);
                for &c in &p[..3] {
                    raw.push(((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8);
                }
            }
            Cow::Owned(RgbImage::from_raw(w, h, raw).unwrap_or_else(|| RgbImage::new(w, h)))
        }
        other => Cow::Owned(other.to_rgb8()),
    }
}

/// Reference `computeJaroszFilterWindowSize`.
fn jarosz_window(old_dimension: usize, new_dimension: usize) -> usize {
    old_dimension.div_ceil(2 * new_dimension)
}

/// Reference `fillFloatLumaFromRGB`: f32 luma, row-major.
pub(crate) fn luma_of(rgb: &RgbImage) -> Vec<f32> {
    rgb.as_raw()
        .chunks_exact(3)
        .map(|p| LUMA_R * f32::from(p[0]) + LUMA_G * f32::from(p[1]) + LUMA_B * f32::from(p[2]))
        .collect()
}

/// The 16×16 DCT block (rows 1..=16 × columns 1..=16 of the 64×64 DCT) and the quality, or
/// `None` for images below [`MIN_HASHABLE_DIM`].
fn dct16_of(rgb: &RgbImage) -> Option<([[f32; 16]; 16], u8)> {
    let (width, height) = rgb.dimensions();
    if width < MIN_HASHABLE_DIM || height < MIN_HASHABLE_DIM {
        return None;
    }
    Some(dct16_of_luma(luma_of(rgb), height as usize, width as usize))
}

/// The PDQ hash and quality of the `rows × cols` window at (`top`, `left`) of a row-major luma
/// plane `stride` wide: `pdq` of that crop of the image (each dimension at least
/// [`MIN_HASHABLE_DIM`]).
pub(crate) fn pdq_of_luma_window(
    luma: &[f32],
    stride: usize,
    (top, left): (usize, usize),
    (rows, cols): (usize, usize),
) -> Pdq {
    let window: Vec<f32> = luma[top * stride..]
        .chunks(stride)
        .take(rows)
        .flat_map(|row| &row[left..left + cols])
        .copied()
        .collect();
    let (dct, quality) = dct16_of_luma(window, rows, cols);
    Pdq {
        hash: bits_of(&dct),
        quality,
    }
}

fn dct16_of_luma(mut luma: Vec<f32>, rows: usize, cols: usize) -> ([[f32; 16]; 16], u8) {
    let block = downsample_64(&mut luma, rows, cols);
    let quality = quality_metric(&block);
    (dct64_to_16(&block), quality)
}

fn transposed(a: &[[f32; 16]; 16]) -> [[f32; 16]; 16] {
    std::array::from_fn(|i| std::array::from_fn(|j| a[j][i]))
}

/// The PDQ hashes of the image actually rotated and mirrored the eight ways of
/// [`crate::Dihedral`] (same order and meaning as [`pdq_dihedral`]), and the quality.
///
/// Meta's [`pdq_dihedral`] derives the seven other hashes from the original's DCT, which is
/// exact only when the reference's downsampling is symmetric under reflection; with an even
/// box-filter window or a decimation grid that falls on whole pixels (256×256, 512×512, …) a
/// mirrored or rotated copy hashes a few to a few dozen bits away from the derived hash. This
/// function downsamples the vertically flipped, horizontally flipped and half-turned luma too
/// (four downsamples instead of one, so about four times [`pdq`]'s cost) and gets the
/// transposed variants by transposing the DCT block, which is exact: `[t]` equals
/// `pdq(t applied to image)`. Use it on query images when rotated or mirrored copies matter.
pub fn pdq_dihedral_exact(image: &DynamicImage) -> ([Hash256; 8], u8) {
    let rgb = opaque_rgb(image);
    let (width, height) = rgb.dimensions();
    if width < MIN_HASHABLE_DIM || height < MIN_HASHABLE_DIM {
        return ([Hash256::ZERO; 8], 0);
    }
    pdq_dihedral_exact_luma(luma_of(&rgb), height as usize, width as usize)
}

/// [`pdq_dihedral_exact`] on a luma plane of at least [`MIN_HASHABLE_DIM`] in each dimension.
pub(crate) fn pdq_dihedral_exact_luma(
    luma: Vec<f32>,
    rows: usize,
    cols: usize,
) -> ([Hash256; 8], u8) {
    let flipped_rows: Vec<f32> = luma.chunks_exact(cols).rev().flatten().copied().collect();
    let flipped_cols: Vec<f32> = luma
        .chunks_exact(cols)
        .flat_map(|row| row.iter().rev())
        .copied()
        .collect();
    let half_turn: Vec<f32> = luma.iter().rev().copied().collect();
    let (original, quality) = dct16_of_luma(luma, rows, cols);
    let (flip_x, _) = dct16_of_luma(flipped_rows, rows, cols);
    let (flip_y, _) = dct16_of_luma(flipped_cols, rows, cols);
    let (rotate_180, _) = dct16_of_luma(half_turn, rows, cols);
    // Quarter turns and diagonal flips are transposes of the above: counter-clockwise =
    // transpose ∘ mirror, clockwise = transpose ∘ upside-down, anti-transpose = transpose ∘ half turn.
    let hashes = [
        bits_of(&original),
        bits_of(&transposed(&flip_y)),
        bits_of(&rotate_180),
        bits_of(&transposed(&flip_x)),
        bits_of(&flip_x),
        bits_of(&flip_y),
        bits_of(&transposed(&original)),
        bits_of(&transposed(&rotate_180)),
    ];
    (hashes, quality)
}

/// Jarosz filter (two passes of box filters along rows then columns) and decimation to 64×64,
/// as the reference's `jaroszFilterFloat` + `decimateFloat`. `luma` is clobbered.
fn downsample_64(luma: &mut [f32], rows: usize, cols: usize) -> [[f32; 64]; 64] {
    let mut out = [[0f32; 64]; 64];
    if rows == 64 && cols == 64 {
        // The reference copies a 64×64 input through unfiltered.
        for (i, row) in out.iter_mut().enumerate() {
            row.copy_from_slice(&luma[i * 64..(i + 1) * 64]);
        }
        return out;
    }
    let window_along_rows = jarosz_window(cols, 64);
    let window_along_cols = jarosz_window(rows, 64);
    let mut buf2 = vec![0f32; rows * cols];
    for _ in 0..JAROSZ_PASSES {
        box_along_rows(luma, &mut buf2, rows, cols, window_along_rows);
        box_along_cols(&buf2, luma, rows, cols, window_along_cols);
    }
    // Decimation: target centres, not corners.
    for (outi, out_row) in out.iter_mut().enumerate() {
        let ini = (((outi as f64 + 0.5) * rows as f64) / 64.0) as usize;
        for (outj, cell) in out_row.iter_mut().enumerate() {
            let inj = (((outj as f64 + 0.5) * cols as f64) / 64.0) as usize;
            *cell = luma[ini * cols + inj];
        }
    }
    out
}

/// Phase lengths of the reference's `box1DFloat` for a vector of `len` and window `window`.
struct BoxPhases {
    accumulate: usize,
    grow: usize,
    slide: usize,
    shrink: usize,
}

impl BoxPhases {
    fn new(len: usize, window: usize) -> Self {
        let half = (window + 2) / 2;
        Self {
            accumulate: half - 1,
            grow: window - half + 1,
            slide: len.saturating_sub(window),
            shrink: half - 1,
        }
    }
}

/// Box filter along each row (reference `boxAlongRowsFloat`). Four rows are filtered in an
/// interleaved fashion so the running sums' dependency chains overlap; per row the arithmetic
/// is exactly `box1DFloat`'s.
fn box_along_rows(input: &[f32], output: &mut [f32], rows: usize, cols: usize, window: usize) {
    let window = window.min(cols);
    let phases = BoxPhases::new(cols, window);
    const LANES: usize = 4;
    let mut r = 0;
    while r + LANES <= rows {
        let ins: [&[f32]; LANES] = std::array::from_fn(|l| &input[(r + l) * cols..][..cols]);
        let (head, _) = output[r * cols..].split_at_mut(LANES * cols);
        let mut outs: Vec<&mut [f32]> = head.chunks_exact_mut(cols).collect();
        let mut sum = [0f32; LANES];
        let (mut li, mut ri, mut oi) = (0usize, 0usize, 0usize);
        let mut count = 0usize;
        for _ in 0..phases.accumulate {
            for l in 0..LANES {
                sum[l] += ins[l][ri];
            }
            count += 1;
            ri += 1;
        }
        for _ in 0..phases.grow {
            count += 1;
            for l in 0..LANES {
                sum[l] += ins[l][ri];
                outs[l][oi] = sum[l] / count as f32;
            }
            ri += 1;
            oi += 1;
        }
        for _ in 0..phases.slide {
            for l in 0..LANES {
                sum[l] += ins[l][ri];
                sum[l] -= ins[l][li];
                outs[l][oi] = sum[l] / count as f32;
            }
            li += 1;
            ri += 1;
            oi += 1;
        }
        for _ in 0..phases.shrink {
            count -= 1;
            for l in 0..LANES {
                sum[l] -= ins[l][li];
                outs[l][oi] = sum[l] / count as f32;
            }
            li += 1;
            oi += 1;
        }
        r += LANES;
    }
    for r in r..rows {
        box_1d(
            &input[r * cols..][..cols],
            &mut output[r * cols..][..cols],
            &phases,
        );
    }
}

/// The reference's `box1DFloat` on one contiguous vector.
fn box_1d(input: &[f32], output: &mut [f32], phases: &BoxPhases) {
    let mut sum = 0f32;
    let mut count = 0usize;
    let (mut li, mut ri, mut oi) = (0usize, 0usize, 0usize);
    for _ in 0..phases.accumulate {
        sum += input[ri];
        count += 1;
        ri += 1;
    }
    for _ in 0..phases.grow {
        sum += input[ri];
        count += 1;
        output[oi] = sum / count as f32;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phases.slide {
        sum += input[ri];
        sum -= input[li];
        output[oi] = sum / count as f32;
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phases.shrink {
        sum -= input[li];
        count -= 1;
        output[oi] = sum / count as f32;
        li += 1;
        oi += 1;
    }
}

/// Box filter along each column (reference `boxAlongColsFloat`), computed a whole row at a time:
/// every column sees the same sequence of operations as in `box1DFloat`, so the result is
/// identical, but memory is read contiguously and the compiler can vectorise across columns.
fn box_along_cols(input: &[f32], output: &mut [f32], rows: usize, cols: usize, window: usize) {
    let window = window.min(rows);
    let phases = BoxPhases::new(rows, window);
    let row = |i: usize| &input[i * cols..(i + 1) * cols];
    let mut sum = vec![0f32; cols];
    let mut count = 0usize;
    let (mut li, mut ri, mut oi) = (0usize, 0usize, 0usize);
    for _ in 0..phases.accumulate {
        for (s, &x) in sum.iter_mut().zip(row(ri)) {
            *s += x;
        }
        count += 1;
        ri += 1;
    }
    for _ in 0..phases.grow {
        count += 1;
        let n = count as f32;
        let out = &mut output[oi * cols..(oi + 1) * cols];
        for ((s, &x), o) in sum.iter_mut().zip(row(ri)).zip(out) {
            *s += x;
            *o = *s / n;
        }
        ri += 1;
        oi += 1;
    }
    for _ in 0..phases.slide {
        let n = count as f32;
        let out = &mut output[oi * cols..(oi + 1) * cols];
        for (((s, &x), &y), o) in sum.iter_mut().zip(row(ri)).zip(row(li)).zip(out) {
            *s += x;
            *s -= y;
            *o = *s / n;
        }
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phases.shrink {
        count -= 1;
        let n = count as f32;
        let out = &mut output[oi * cols..(oi + 1) * cols];
        for ((s, &y), o) in sum.iter_mut().zip(row(li)).zip(out) {
            *s -= y;
            *o = *s / n;
        }
        li += 1;
        oi += 1;
    }
}

/// Reference `pdqImageDomainQualityMetric`: quantised gradient sum of the 64×64 downsample.
fn quality_metric(block: &[[f32; 64]; 64]) -> u8 {
    let step = |u: f32, v: f32| -> i32 { (((u - v) * 100.0) / 255.0) as i32 };
    let mut gradient_sum: i32 = 0;
    for (upper, lower) in block.iter().zip(&block[1..]) {
        for (&u, &v) in upper.iter().zip(lower) {
            gradient_sum += step(u, v).abs();
        }
    }
    for row in block {
        for (&u, &v) in row.iter().zip(&row[1..]) {
            gradient_sum += step(u, v).abs();
        }
    }
    (gradient_sum / 90).min(100) as u8
}

/// The reference's 16×64 DCT matrix: row `i` is the DCT-II basis for frequency `i + 1`.
fn dct_matrix() -> &'static [[f32; 64]; 16] {
    static MATRIX: OnceLock<[[f32; 64]; 16]> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let scale = (2.0f64 / 64.0).sqrt() as f32;
        let mut d = [[0f32; 64]; 16];
        for (i, row) in d.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                let angle =
                    (std::f64::consts::PI / 2.0 / 64.0) * (i + 1) as f64 * (2 * j + 1) as f64;
                *cell = (f64::from(scale) * angle.cos()) as f32;
            }
        }
        d
    })
}

/// Reference `dct64To16`: B = D·A·Dᵀ with sequential f32 sums in the reference's order.
fn dct64_to_16(a: &[[f32; 64]; 64]) -> [[f32; 16]; 16] {
    let d = dct_matrix();
    // T = D·A, row i of T accumulated over k in order (vectorised across j, same per-element order).
    let mut t = [[0f32; 64]; 16];
    for (t_row, d_row) in t.iter_mut().zip(d) {
        for (a_row, &dk) in a.iter().zip(d_row) {
            for (tj, &ak) in t_row.iter_mut().zip(a_row) {
                *tj += dk * ak;
            }
        }
    }
    let mut b = [[0f32; 16]; 16];
    for (b_row, t_row) in b.iter_mut().zip(&t) {
        for (bij, d_row) in b_row.iter_mut().zip(d) {
            let mut sum = 0f32;
            for (&tk, &dk) in t_row.iter().zip(d_row) {
                sum += tk * dk;
            }
            *bij = sum;
        }
    }
    b
}

/// Reference `pdqBuffer16x16ToBits`: bit `16·i + j` is set when B\[i\]\[j\] exceeds the median.
fn bits_of(b: &[[f32; 16]; 16]) -> Hash256 {
    let flat: &[f32] = b.as_flattened();
    let median = torben(flat);
    let mut hash = Hash256::ZERO;
    for (k, &v) in flat.iter().enumerate() {
        if v > median {
            hash.set_bit(k);
        }
    }
    hash
}

/// Torben Mogensen's median (as `torben.cpp`; returns the lower median for even counts).
fn torben(m: &[f32]) -> f32 {
    let n = m.len();
    if n == 0 {
        return 0.0;
    }
    let (mut min, mut max) = (m[0], m[0]);
    for &x in &m[1..] {
        if x < min {
            min = x;
        }
        if x > max {
            max = x;
        }
    }
    let half = n.div_ceil(2);
    loop {
        let guess = (min + max) / 2.0;
        let (mut less, mut greater, mut equal) = (0usize, 0usize, 0usize);
        let (mut max_lt_guess, mut min_gt_guess) = (min, max);
        for &x in m {
            if x < guess {
                less += 1;
                if x > max_lt_guess {
                    max_lt_guess = x;
                }
            } else if x > guess {
                greater += 1;
                if x < min_gt_guess {
                    min_gt_guess = x;
                }
            } else {
                equal += 1;
            }
        }
        if less <= half && greater <= half {
            return if less >= half {
                max_lt_guess
            } else if less + equal >= half {
                guess
            } else {
                min_gt_guess
            };
        } else if less > greater {
            max = max_lt_guess;
        } else {
            min = min_gt_guess;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torben_is_a_median() {
        let v: Vec<f32> = (0..256).map(|i| ((i * 7919) % 256) as f32).collect();
        assert_eq!(torben(&v), 127.0);
        assert_eq!(torben(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(torben(&[5.0; 10]), 5.0);
    }

    #[test]
    fn box_filter_matches_a_direct_transcription() {
        // Strided column filter vs the contiguous 1-D filter on the transposed data.
        let (rows, cols) = (37, 11);
        let input: Vec<f32> = (0..rows * cols)
            .map(|i| ((i * 31) % 97) as f32 * 0.37)
            .collect();
        for window in [1, 2, 3, 7, 8] {
            let mut by_cols = vec![0f32; rows * cols];
            box_along_cols(&input, &mut by_cols, rows, cols, window);
            let phases = BoxPhases::new(rows, window);
            for j in 0..cols {
                let column: Vec<f32> = (0..rows).map(|i| input[i * cols + j]).collect();
                let mut out = vec![0f32; rows];
                box_1d(&column, &mut out, &phases);
                for i in 0..rows {
                    assert_eq!(out[i].to_bits(), by_cols[i * cols + j].to_bits());
                }
            }
            let mut by_rows = vec![0f32; rows * cols];
            box_along_rows(&input, &mut by_rows, rows, cols, window.min(cols));
            let phases = BoxPhases::new(cols, window.min(cols));
            for i in 0..rows {
                let mut out = vec![0f32; cols];
                box_1d(&input[i * cols..(i + 1) * cols], &mut out, &phases);
                assert_eq!(out, by_rows[i * cols..(i + 1) * cols]);
            }
        }
    }
}
