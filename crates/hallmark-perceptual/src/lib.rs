//! Perceptual hashes and a similarity index, for detecting copy-mints: a work re-encoded,
//! resized, blurred, noised, colour-shifted, rotated or mirrored still hashes close to the
//! original. Crops, added borders and large watermarks do not (PDQ hashes the whole frame):
//! measured recall per transformation is in `docs/benchmarks.md`.
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
//! image and reports each entry once with its best transform.

mod hash;
mod index;
mod pdq;
mod phash;

use image::DynamicImage;
use serde::{Deserialize, Serialize};

pub use hash::{Dihedral, Hash256, PerceptualError, Thresholds, phash_from_hex, phash_to_hex};
pub use index::{Match, SimilarityIndex};
pub use pdq::{MIN_HASHABLE_DIM, Pdq, pdq, pdq_dihedral, pdq_dihedral_exact};
pub use phash::phash;

/// The perceptual hashes Hallmark records for an image work.
///
/// serde form: `{"pdq": "<64 hex digits>", "pdq_quality": 0..=100, "phash": "<16 hex digits>"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PerceptualHashes {
    /// PDQ hash (Meta's hex format in serde).
    pub pdq: Hash256,
    /// PDQ quality, 0..=100.
    pub pdq_quality: u8,
    /// 64-bit DCT pHash (16 hex digits in serde).
    #[serde(with = "hash::phash_serde")]
    pub phash: u64,
}

/// Computes PDQ (with quality) and pHash, decoding the pixels to opaque RGB once.
pub fn hashes(image: &DynamicImage) -> PerceptualHashes {
    let rgb = pdq::opaque_rgb(image);
    let p = pdq::pdq_rgb(&rgb);
    PerceptualHashes {
        pdq: p.hash,
        pdq_quality: p.quality,
        phash: phash::phash_rgb(&rgb),
    }
}
