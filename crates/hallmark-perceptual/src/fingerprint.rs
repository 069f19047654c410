//! What Hallmark hashes for an image: uniform borders trimmed, then PDQ (and its 8 dihedral
//! variants), PDQ of a few centred crops, and pHash.

use std::borrow::Cow;

use image::{DynamicImage, RgbImage, imageops};
use serde::{Deserialize, Serialize};

use crate::PerceptualHashes;
use crate::hash::{CropHashes, Hash256};
use crate::pdq::{self, MIN_HASHABLE_DIM};
use crate::phash;

/// The centred crops [`fingerprint`] hashes, as the fraction of the (trimmed) width and height
/// removed from **each** side: a copy cropped by about as much hashes close to one of them.
/// One per cent per side moves PDQ by about 15 bits (of the 31 allowed), so crops are 2.5
/// points apart.
pub const CROP_FRACTIONS: [f32; 4] = [0.025, 0.05, 0.075, 0.10];

/// At most this fraction of the width or height is trimmed from any one side; a uniform band
/// reaching further is taken to be part of the picture and left alone.
pub const MAX_BORDER_FRACTION: f32 = 0.30;

/// Mean over a line's pixels of Σ over R, G, B of |pixel − border colour|, at most: a border
/// line (a padded border is flat; JPEG keeps it flat away from the picture's edge).
const BORDER_SPREAD: u64 = 15;
/// Σ over R, G, B of |line mean − border colour|, at most: a border line (keeps slow gradients
/// from being taken for a border).
const BORDER_DRIFT: u64 = 6;
/// Σ over R, G, B of |pixel − border colour|, at least, in at least half of a line's pixels:
/// the picture. A border is trimmed only if such a line follows it within a few pixels, i.e.
/// it ends in a step across the whole width; a band that fades into the picture (sky,
/// vignette, gradient) or that an object merely pokes into is kept.
const BORDER_STEP: u32 = 48;
/// Σ over R, G, B of |Δ| between the colours of two opposite borders, at most: the same border.
const BORDER_PAIR_COLOURS: u32 = 30;
/// Images narrower or shorter than this are not trimmed along that dimension.
const MIN_TRIMMABLE_DIM: u32 = 16;

/// A rectangle of an image: `width × height` pixels from column `x`, row `y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Region {
    /// Left column.
    pub x: u32,
    /// Top row.
    pub y: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// What Hallmark hashes for an image work (see [`fingerprint`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// What a work's metadata publishes and the similarity index holds
    /// ([`PerceptualHashes::pdq_all`]): PDQ of the image as it is, PDQ of the trimmed image if
    /// a border was trimmed, PDQ of the centred crops of the trimmed image, the trimmed image's
    /// PDQ quality, and pHash of the trimmed image.
    pub hashes: PerceptualHashes,
    /// The exact PDQ hashes of the trimmed image's 8 rotations and reflections
    /// ([`pdq_dihedral_exact`](crate::pdq_dihedral_exact) order; `[0]` is the trimmed image's
    /// PDQ): what a query sends to
    /// [`SimilarityIndex::query_dihedral`](crate::SimilarityIndex::query_dihedral).
    pub dihedral: [Hash256; 8],
    /// The part of the image kept by [`border_region`] (the whole image if it has no border).
    pub trimmed: Region,
}

/// Hashes an image the way Hallmark registers and checks works:
///
/// 1. trims uniform borders ([`border_region`]), so that a padded or letterboxed copy hashes
///    like its original;
/// 2. PDQ with quality and the 8 exact dihedral PDQ hashes of the trimmed image (as
///    [`pdq_dihedral_exact`](crate::pdq_dihedral_exact));
/// 3. PDQ of the centred crops of [`CROP_FRACTIONS`] of the trimmed image (`hashes.pdq_crops`,
///    each equal to [`pdq`](crate::pdq) of that crop), so that a cropped copy's query lands
///    near one of the registered work's hashes;
/// 4. pHash of the trimmed image.
///
/// `hashes.pdq` stays the PDQ of the image as it is (what Meta's tools compute for the file,
/// and what documents published before trimming hold); when a border was trimmed, the trimmed
/// image's PDQ is `hashes.pdq_trimmed`. Both are indexed, because the trim is a threshold
/// decision: a copy whose border detection went the other way (a flat edge of the picture
/// trimmed in the original but not in a noisy copy, or a padded copy of a picture that itself
/// has a flat edge, which trims back to the untrimmed original) still lands on one of them.
///
/// A registered work publishes `hashes` and is indexed under
/// [`PerceptualHashes::pdq_all`]
/// ([`SimilarityIndex::insert_all`](crate::SimilarityIndex::insert_all)); a new image queries
/// with `dihedral`, gated on `hashes.pdq_quality` (the trimmed image's). Cost: about 4 + 3.3
/// PDQ downsamples of the trimmed image plus pHash (one more downsample when there is a
/// border), ≈ 45–50 ms for 1024×1024 on one core (about 1.3 times the previous
/// `hashes` + `pdq_dihedral_exact`).
pub fn fingerprint(image: &DynamicImage) -> Fingerprint {
    let rgb = pdq::opaque_rgb(image);
    let trimmed = border_region_rgb(&rgb);
    let is_trimmed = (trimmed.width, trimmed.height) != rgb.dimensions();
    let untrimmed = is_trimmed.then(|| pdq::pdq_rgb(&rgb).hash);
    let rgb: Cow<'_, RgbImage> = if !is_trimmed {
        rgb
    } else {
        Cow::Owned(
            imageops::crop_imm(
                rgb.as_ref(),
                trimmed.x,
                trimmed.y,
                trimmed.width,
                trimmed.height,
            )
            .to_image(),
        )
    };
    let phash = phash::phash_rgb(&rgb);
    let (width, height) = rgb.dimensions();
    if width < MIN_HASHABLE_DIM || height < MIN_HASHABLE_DIM {
        return Fingerprint {
            hashes: PerceptualHashes {
                pdq: untrimmed.unwrap_or(Hash256::ZERO),
                pdq_quality: 0,
                pdq_trimmed: untrimmed.map(|_| Hash256::ZERO),
                pdq_crops: CropHashes::EMPTY,
                pdq_frames: CropHashes::EMPTY,
                phash,
            },
            dihedral: [Hash256::ZERO; 8],
            trimmed,
        };
    }
    let (rows, cols) = (height as usize, width as usize);
    let luma = pdq::luma_of(&rgb);
    let mut pdq_crops = CropHashes::EMPTY;
    for (cx, cy) in crop_margins(width, height) {
        let (w, h) = (width - 2 * cx, height - 2 * cy);
        if w < MIN_HASHABLE_DIM || h < MIN_HASHABLE_DIM {
            break;
        }
        let crop = pdq::pdq_of_luma_window(
            &luma,
            cols,
            (cy as usize, cx as usize),
            (h as usize, w as usize),
        );
        // CROP_FRACTIONS has CropHashes::CAPACITY entries, so this cannot fail.
        if pdq_crops.push(crop.hash).is_err() {
            break;
        }
    }
    let (dihedral, quality) = pdq::pdq_dihedral_exact_luma(luma, rows, cols);
    Fingerprint {
        hashes: PerceptualHashes {
            pdq: untrimmed.unwrap_or(dihedral[0]),
            pdq_quality: quality,
            pdq_trimmed: untrimmed.map(|_| dihedral[0]),
            pdq_crops,
            pdq_frames: CropHashes::EMPTY,
            phash,
        },
        dihedral,
        trimmed,
    }
}

/// The pixels removed from each side (horizontally, vertically) for each of [`CROP_FRACTIONS`]
/// of a `width × height` image, rounded to the nearest pixel.
pub fn crop_margins(width: u32, height: u32) -> impl Iterator<Item = (u32, u32)> {
    CROP_FRACTIONS.iter().map(move |&f| {
        (
            (width as f32 * f).round() as u32,
            (height as f32 * f).round() as u32,
        )
    })
}

/// The image without its uniform borders (a copy; the whole image if it has none). See
/// [`border_region`].
pub fn trim_borders(image: &DynamicImage) -> DynamicImage {
    let r = border_region(image);
    if (r.width, r.height) == (image.width(), image.height()) {
        return image.clone();
    }
    image.crop_imm(r.x, r.y, r.width, r.height)
}

/// The region of an image inside its uniform borders (padding, letterbox or pillarbox bars,
/// mats), the same for an image and its rotations and reflections.
///
/// For each side, the border colour is the per-channel median of the outermost line; lines
/// from that edge inwards belong to the border while their pixels stay close to that colour
/// (mean of Σ|Δ| over R, G, B at most 15: flat, as JPEG leaves a flat border away from the
/// picture's edge) and their mean colour does not drift (Σ|Δ| ≤ 6). The border is trimmed only
/// if it ends in a step (within 2 % of the dimension, at least 8 lines, so past JPEG ringing, a
/// line where at least half the pixels differ from the border colour by Σ|Δ| ≥ 48; the
/// picture starts there), so a sky or a gradient fading into the picture, or a flat band that
/// an object merely pokes into, is kept, and only
/// if it covers at most [`MAX_BORDER_FRACTION`] of the dimension, so a flat or nearly flat
/// image is never trimmed to nothing. Borders are trimmed in pairs: top and bottom (left and
/// right) only if both have one, of about the same colour (Σ|Δ| ≤ 30), since a flat band on
/// one side only is more often the picture (a sky, a studio backdrop) than padding; a copy
/// padded on one side only is therefore not helped. The four sides are measured independently,
/// each over the span the other two sides leave, until that settles (at most 4 rounds). Alpha
/// is composited over white first, as for hashing.
pub fn border_region(image: &DynamicImage) -> Region {
    border_region_rgb(&pdq::opaque_rgb(image))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Top,
    Bottom,
    Left,
    Right,
}

/// Pixels trimmed from (top, bottom, left, right).
type Trim = [u32; 4];

pub(crate) fn border_region_rgb(rgb: &RgbImage) -> Region {
    let (width, height) = rgb.dimensions();
    let mut trim: Trim = [0; 4];
    for _ in 0..4 {
        let [top, bottom, left, right] = [Side::Top, Side::Bottom, Side::Left, Side::Right]
            .map(|side| side_border(rgb, side, &trim));
        // Borders come in pairs (padding, mats, letterbox, pillarbox): a flat band on one side
        // only is more often the picture (a sky, a backdrop) than a border.
        let paired = |(a, ca): (u32, [u8; 3]), (b, cb): (u32, [u8; 3])| {
            let close = (0..3)
                .map(|c| u32::from(ca[c].abs_diff(cb[c])))
                .sum::<u32>()
                <= BORDER_PAIR_COLOURS;
            if a > 0 && b > 0 && close {
                [a, b]
            } else {
                [0, 0]
            }
        };
        let [t, b] = paired(top, bottom);
        let [l, r] = paired(left, right);
        let next: Trim = [t, b, l, r];
        if next == trim {
            break;
        }
        trim = next;
    }
    let [top, bottom, left, right] = trim;
    Region {
        x: left,
        y: top,
        width: width - left - right,
        height: height - top - bottom,
    }
}

/// Sums over one line: Σ|p − reference| over all pixels and channels, Σ p per channel, and the
/// number of pixels at least [`BORDER_STEP`] from the reference.
fn line_stats(pixels: impl Iterator<Item = [u8; 3]>, reference: [u8; 3]) -> (u64, [u64; 3], u64) {
    let mut abs = 0u64;
    let mut sums = [0u64; 3];
    let mut far = 0u64;
    for p in pixels {
        let mut d = 0u32;
        for c in 0..3 {
            d += u32::from(p[c].abs_diff(reference[c]));
            sums[c] += u64::from(p[c]);
        }
        abs += u64::from(d);
        far += u64::from(d >= BORDER_STEP);
    }
    (abs, sums, far)
}

/// Per-channel median (the lower one for even counts).
fn median_colour(pixels: impl Iterator<Item = [u8; 3]>) -> [u8; 3] {
    let mut histograms = [[0u32; 256]; 3];
    let mut n = 0u32;
    for p in pixels {
        for c in 0..3 {
            histograms[c][usize::from(p[c])] += 1;
        }
        n += 1;
    }
    let half = n.div_ceil(2);
    histograms.map(|hist| {
        let mut seen = 0u32;
        for (v, &count) in hist.iter().enumerate() {
            seen += count;
            if seen >= half {
                return v as u8;
            }
        }
        255
    })
}

/// Width of the border along `side`, given the other sides' current trims (which bound the
/// span of each line), and its colour.
fn side_border(rgb: &RgbImage, side: Side, trim: &Trim) -> (u32, [u8; 3]) {
    let (width, height) = rgb.dimensions();
    let [top, bottom, left, right] = *trim;
    // Extent across the lines, and the span along each line.
    let (extent, span) = match side {
        Side::Top | Side::Bottom => (height, left..width - right),
        Side::Left | Side::Right => (width, top..height - bottom),
    };
    if extent < MIN_TRIMMABLE_DIM || span.is_empty() {
        return (0, [0; 3]);
    }
    let max_border = (extent as f32 * MAX_BORDER_FRACTION) as u32;
    let line = |i: u32| {
        let fixed = match side {
            Side::Top | Side::Left => i,
            Side::Bottom | Side::Right => extent - 1 - i,
        };
        let vertical = matches!(side, Side::Left | Side::Right);
        span.clone().map(move |s| {
            let (x, y) = if vertical { (fixed, s) } else { (s, fixed) };
            rgb.get_pixel(x, y).0
        })
    };
    let len = u64::from(span.end - span.start);
    let reference = median_colour(line(0));
    let is_border = |i: u32| {
        let (abs, sums, _) = line_stats(line(i), reference);
        let drift: u64 = (0..3)
            .map(|c| sums[c].abs_diff(u64::from(reference[c]) * len))
            .sum();
        abs <= BORDER_SPREAD * len && drift <= BORDER_DRIFT * len
    };
    let mut n = 0;
    while n <= max_border && is_border(n) {
        n += 1;
    }
    if n == 0 || n > max_border {
        return (0, reference);
    }
    // The picture starts at the first line that steps away from the border colour; lines in
    // between (JPEG ringing, a soft edge) go with the border.
    let look_ahead = (extent / 50).max(8);
    let width = (n..(n + look_ahead).min(max_border + 1))
        .find(|&i| {
            let (_, _, far) = line_stats(line(i), reference);
            2 * far >= len
        })
        .unwrap_or(0);
    (width, reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A busy, border-free test pattern.
    fn textured(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            let v = (x * 7 + y * 13 + (x * y) % 31) % 256;
            Rgb([v as u8, ((x * 3) % 256) as u8, ((y * 5 + x) % 256) as u8])
        })
    }

    fn pad(img: &RgbImage, (l, t, r, b): (u32, u32, u32, u32), colour: [u8; 3]) -> RgbImage {
        let mut out = RgbImage::from_pixel(img.width() + l + r, img.height() + t + b, Rgb(colour));
        imageops::replace(&mut out, img, i64::from(l), i64::from(t));
        out
    }

    #[test]
    fn padding_is_trimmed_back() {
        let img = textured(200, 150);
        for (margins, colour) in [
            ((20, 15, 20, 15), [255, 255, 255]),
            ((0, 30, 0, 30), [0, 0, 0]),
            ((10, 3, 25, 5), [40, 120, 200]),
        ] {
            let padded = pad(&img, margins, colour);
            let r = border_region_rgb(&padded);
            assert_eq!(
                (r.x, r.y, r.width, r.height),
                (margins.0, margins.1, 200, 150),
                "{margins:?}"
            );
        }
    }

    #[test]
    fn textured_image_is_untouched_and_flat_image_is_kept() {
        let img = textured(300, 200);
        let r = border_region_rgb(&img);
        assert_eq!((r.x, r.y, r.width, r.height), (0, 0, 300, 200));
        let flat = RgbImage::from_pixel(100, 80, Rgb([90, 90, 90]));
        let r = border_region_rgb(&flat);
        assert!(r.width >= 40 && r.height >= 32, "{r:?}");
        // A border wider than MAX_BORDER_FRACTION is picture, not border.
        let wide = pad(&textured(40, 100), (50, 0, 50, 0), [0, 0, 0]);
        assert_eq!(border_region_rgb(&wide).width, 140);
    }

    #[test]
    fn gradient_fading_into_the_picture_is_kept() {
        // A vertical gradient: the top row is uniform, but there is no step after it.
        let img = RgbImage::from_fn(200, 200, |x, y| {
            let base = (y / 2) as u8;
            Rgb([base, base, if y > 100 { (x % 256) as u8 } else { base }])
        });
        let r = border_region_rgb(&img);
        assert_eq!((r.y, r.height), (0, 200));
    }

    #[test]
    fn a_border_on_one_side_only_is_kept() {
        let padded = pad(&textured(200, 150), (0, 20, 0, 0), [255, 255, 255]);
        assert_eq!(border_region_rgb(&padded).height, 170);
        // Opposite borders of different colours are not a border either.
        let mut two = pad(&textured(200, 150), (0, 20, 0, 20), [255, 255, 255]);
        for y in 170..190 {
            for x in 0..200 {
                two.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
        assert_eq!(border_region_rgb(&two).height, 190);
    }

    #[test]
    fn trim_commutes_with_rotation() {
        let padded = pad(&textured(120, 90), (7, 11, 13, 3), [10, 200, 30]);
        let r = border_region_rgb(&padded);
        let rotated = border_region_rgb(&imageops::rotate90(&padded));
        assert_eq!((r.width, r.height), (rotated.height, rotated.width));
    }

    #[test]
    fn tiny_images_are_not_trimmed() {
        for (w, h) in [(1, 1), (5, 5), (15, 40), (40, 15)] {
            let img = RgbImage::from_pixel(w, h, Rgb([0, 0, 0]));
            let r = border_region_rgb(&img);
            assert!(r.width >= w.min(MIN_TRIMMABLE_DIM) && r.height >= h.min(MIN_TRIMMABLE_DIM));
        }
    }
}
