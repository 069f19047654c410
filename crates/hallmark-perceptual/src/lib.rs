//! Perceptual hashes and a similarity index, for detecting copy-mints: a work re-encoded,
//! resized, blurred, noised, colour-shifted, rotated or mirrored still hashes close to the
//! original. PDQ hashes the whole frame, so [`fingerprint`] (what Hallmark registers and
//! queries with) first trims uniform borders, on both sides, so a padded or letterboxed copy
//! hashes like its original, and also publishes PDQ hashes of a few centred crops, so a copy
//! cropped by up to about 10 % per side lands near one of them. Off-centre crops and large
//! watermarks are still missed: measured recall per transformation is in
//! `docs/benchmarks.md`.
//!
//! # Hashes
//!
//! - [`pdq`] / [`pdq_dihedral`]: Meta's **PDQ**, a 256-bit hash with a quality score, ported
//!   from Meta's BSD-licensed reference C++ (`ThreatExchange/pdq/cpp`, as shipped in the
//!   `pdqhash` 0.2.8 Python package) and bit-identical to it: f32 luma
//!   (0.299 R + 0.587 G + 0.114 B), a Jarosz filter (two passes of box filters along rows and
//!   columns, window ⌈dimension / 128⌉) and decimation to 64×64, the gradient quality metric,
//!   the 16×16 block of the DCT (frequencies 1..=16), and one bit per coefficient above the
//!   (Torben) median. [`pdq_dihedral`] also derives, from the same DCT, the hashes of the 7
//!   other rotations/reflections ([`Dihedral`]), so one query catches rotated or mirrored
//!   copies. That shortcut is exact only when the downsampling is symmetric; at sizes such as
//!   256×256 or 512×512 a mirrored copy lands 10–50 bits away, so [`pdq_dihedral_exact`]
//!   (four downsamples instead of one, bit-identical to hashing each transformed image) is the
//!   one to use for queries. The hash text is Meta's `Hash256::format()` (see [`Hash256`]).
//!   Images are hashed at full resolution, like the reference's `pdqHash256FromFloatLuma` and
//!   the `pdqhash` Python binding (the reference's command-line tools first resize anything
//!   larger than 512×512 with CImg; we do not). Working memory is two f32 planes (8 bytes per
//!   pixel; [`pdq_dihedral_exact`] keeps four luma planes), plus an RGB copy unless the image
//!   already is 8-bit RGB; a 1024×1024 image hashes in about 4 ms. Images with alpha are
//!   composited over white;
//!   images smaller than 5×5 get the zero hash with quality 0, like the reference.
//! - [`phash`]: the classic 64-bit DCT pHash of Python's `imagehash.phash`, kept as a second,
//!   independent signal. Resampling differs slightly from PIL's, so it agrees with `imagehash`
//!   to within a few bits rather than exactly.
//!
//! `tests/oracle.rs` checks both against the Python reference (`tools/perceptual/oracle.py`).
//!
//! # Thresholds
//!
//! [`Thresholds::default`] is Meta's recommendation for PDQ: a match is a Hamming distance
//! ≤ 31 (of 256) with a query quality ≥ 50. Measured recall per transformation and the
//! false-positive rate are in `docs/benchmarks.md` (`examples/evaluate.rs` produces them).
//!
//! # Index
//!
//! [`SimilarityIndex`] finds all hashes within a radius exactly, by multi-index hashing: 16
//! tables keyed by the 16 16-bit words of the hash; for radius `r` some word differs in at most
//! `⌊r/16⌋` bits, so a query probes every value within that many bits in each table (272
//! probes for `r = 31`) and verifies the candidates. Large radii or small indexes fall back to
//! a linear scan. [`SimilarityIndex::query_dihedral`] takes the 8 dihedral hashes of a query
//! image and reports each key once with its best transform; a key may hold several hashes
//! ([`SimilarityIndex::insert_all`] with [`PerceptualHashes::pdq_all`]).

mod fingerprint;
mod hash;
mod index;
mod pdq;
mod phash;

use image::DynamicImage;
use serde::{Deserialize, Serialize};

pub use fingerprint::{
    CROP_FRACTIONS, Fingerprint, MAX_BORDER_FRACTION, Region, border_region, crop_margins,
    fingerprint, trim_borders,
};
pub use hash::{
    CropHashes, Dihedral, Hash256, PerceptualError, Thresholds, phash_from_hex, phash_to_hex,
};
pub use index::{Match, SimilarityIndex};
pub use pdq::{MIN_HASHABLE_DIM, Pdq, pdq, pdq_dihedral, pdq_dihedral_exact};
pub use phash::phash;

/// The perceptual hashes Hallmark records for an image work ([`fingerprint`]'s `hashes`).
///
/// serde form: `{"pdq": "<64 hex digits>", "pdq_quality": 0..=100, "pdq_trimmed": "<64 hex
/// digits>", "pdq_crops": ["<64 hex digits>", …], "phash": "<16 hex digits>"}`; `pdq_trimmed`
/// and `pdq_crops` (at most [`CropHashes::CAPACITY`]) are left out when absent or empty and
/// may be missing, so documents written before they existed still parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PerceptualHashes {
    /// PDQ hash of the image as it is (Meta's hex format in serde).
    pub pdq: Hash256,
    /// PDQ quality, 0..=100: of the trimmed image for [`fingerprint`] (the image compared), of
    /// the image as it is for [`hashes`]; the same when there is no border.
    pub pdq_quality: u8,
    /// PDQ hash of the image with its uniform borders trimmed ([`border_region`]), present only
    /// when that removed something.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdq_trimmed: Option<Hash256>,
    /// PDQ hashes of the centred crops of [`CROP_FRACTIONS`] of the trimmed image, in that order
    /// (see [`fingerprint`]); empty for hashes made by [`hashes`] or published before crops
    /// were.
    #[serde(default, skip_serializing_if = "CropHashes::is_empty")]
    pub pdq_crops: CropHashes,
    /// For a video: PDQ hashes of further sampled keyframes (`pdq` and the others are of the
    /// first one); empty for images.
    #[serde(default, skip_serializing_if = "CropHashes::is_empty")]
    pub pdq_frames: CropHashes,
    /// 64-bit DCT pHash (16 hex digits in serde).
    #[serde(with = "hash::phash_serde")]
    pub phash: u64,
}

impl PerceptualHashes {
    /// `pdq`, then `pdq_trimmed` if present, then `pdq_crops`: the hashes a similarity index
    /// holds for the work ([`SimilarityIndex::insert_all`]).
    pub fn pdq_all(&self) -> Vec<Hash256> {
        std::iter::once(self.pdq)
            .chain(self.pdq_trimmed)
            .chain(self.pdq_crops.iter().copied())
            .chain(self.pdq_frames.iter().copied())
            .collect()
    }
}

/// PDQ (with quality) and pHash of the image as it is, decoding the pixels to opaque RGB once:
/// no border trimming and no crop hashes. Hallmark registers and queries with [`fingerprint`].
pub fn hashes(image: &DynamicImage) -> PerceptualHashes {
    let rgb = pdq::opaque_rgb(image);
    let p = pdq::pdq_rgb(&rgb);
    PerceptualHashes {
        pdq: p.hash,
        pdq_quality: p.quality,
        pdq_trimmed: None,
        pdq_crops: CropHashes::EMPTY,
        pdq_frames: CropHashes::EMPTY,
        phash: phash::phash_rgb(&rgb),
    }
}
