//! The 256-bit hash type, its hex format (Meta's), and the small value types around it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Errors of this crate (only parsing can fail: hashing never does).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PerceptualError {
    /// A hash in text form is not the expected number of hex digits.
    #[error("a {expected}-digit hex hash was expected, got {got} characters")]
    HexLength {
        /// Hex digits expected (64 for PDQ, 16 for pHash).
        expected: usize,
        /// Characters received.
        got: usize,
    },
    /// A hash in text form contains something other than hex digits.
    #[error("invalid hex hash {0:?}")]
    HexDigit(String),
    /// More crop hashes than [`CropHashes::CAPACITY`].
    #[error("at most {max} crop hashes are allowed, got {got}")]
    TooManyCropHashes {
        /// [`CropHashes::CAPACITY`].
        max: usize,
        /// How many were given (or seen before giving up).
        got: usize,
    },
}

/// A 256-bit perceptual hash (PDQ), stored as four little-endian 64-bit limbs.
///
/// Bit `k` (0..256) is bit `k & 63` of limb `k >> 6`; this is the same numbering as Meta's
/// `Hash256` (16 words of 16 bits, `setBit(k)` sets bit `k & 15` of word `k >> 4`), so limb `i`
/// holds Meta's words `4i..4i+4`, lowest word in the lowest bits. In PDQ, bit `16·i + j` is the
/// DCT coefficient at row `i`, column `j` of the 16×16 block.
///
/// The text form is Meta's `Hash256::format()`: 64 lowercase hex digits, word 15 first down to
/// word 0 (so the most significant digit holds bits 255..252). [`Display`](fmt::Display) and
/// serde use it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Hash256(pub [u64; 4]);

impl Hash256 {
    /// The all-zero hash (what PDQ gives for images too small to hash, with quality 0).
    pub const ZERO: Self = Self([0; 4]);

    /// Meta's hex format: 64 lowercase hex digits, most significant word first.
    pub fn to_hex(&self) -> String {
        let [a, b, c, d] = self.0;
        format!("{d:016x}{c:016x}{b:016x}{a:016x}")
    }

    /// Parses Meta's hex format (64 hex digits; upper case is accepted, as `sscanf("%04hx")` does).
    pub fn from_hex(text: &str) -> Result<Self, PerceptualError> {
        if text.len() != 64 {
            return Err(PerceptualError::HexLength {
                expected: 64,
                got: text.chars().count(),
            });
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes)
            .map_err(|_| PerceptualError::HexDigit(text.to_owned()))?;
        let mut limbs = [0u64; 4];
        for (i, chunk) in bytes.chunks_exact(8).enumerate() {
            let mut be = [0u8; 8];
            be.copy_from_slice(chunk);
            limbs[3 - i] = u64::from_be_bytes(be);
        }
        Ok(Self(limbs))
    }

    /// Hamming distance: the number of differing bits (0..=256).
    #[inline]
    pub fn distance(&self, other: &Self) -> u32 {
        (self.0[0] ^ other.0[0]).count_ones()
            + (self.0[1] ^ other.0[1]).count_ones()
            + (self.0[2] ^ other.0[2]).count_ones()
            + (self.0[3] ^ other.0[3]).count_ones()
    }

    /// Number of set bits.
    pub fn count_ones(&self) -> u32 {
        self.distance(&Self::ZERO)
    }

    /// Bit `k` (0..256), numbered as Meta's `Hash256::getBit`.
    #[inline]
    pub fn bit(&self, k: usize) -> bool {
        (self.0[(k >> 6) & 3] >> (k & 63)) & 1 == 1
    }

    /// Sets bit `k` (0..256), numbered as Meta's `Hash256::setBit`.
    #[inline]
    pub fn set_bit(&mut self, k: usize) {
        self.0[(k >> 6) & 3] |= 1 << (k & 63);
    }

    /// Meta's 16-bit word `i` (0..16).
    #[inline]
    pub fn word(&self, i: usize) -> u16 {
        (self.0[(i >> 2) & 3] >> ((i & 3) * 16)) as u16
    }

    /// The hash with bit `k` flipped.
    #[must_use]
    pub fn with_bit_flipped(mut self, k: usize) -> Self {
        self.0[(k >> 6) & 3] ^= 1 << (k & 63);
        self
    }
}

impl fmt::Display for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash256({})", self.to_hex())
    }
}

impl FromStr for Hash256 {
    type Err = PerceptualError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}

impl Serialize for Hash256 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash256 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

/// Up to [`CropHashes::CAPACITY`] PDQ hashes of centred crops of an image (see
/// [`crate::CROP_FRACTIONS`]), in a fixed-size array so that [`crate::PerceptualHashes`] stays
/// `Copy`.
///
/// serde form: a JSON array of hashes in Meta's hex format; deserialising more than
/// [`CropHashes::CAPACITY`] fails. Derefs to a slice of the hashes present.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CropHashes {
    len: u8,
    // Unused slots are always `Hash256::ZERO`, so the derived equality and hash are sound.
    hashes: [Hash256; Self::CAPACITY],
}

impl CropHashes {
    /// The most crop hashes a work can carry.
    pub const CAPACITY: usize = 4;

    /// No crop hashes.
    pub const EMPTY: Self = Self {
        len: 0,
        hashes: [Hash256::ZERO; Self::CAPACITY],
    };

    /// The hashes in `hashes`, or [`PerceptualError::TooManyCropHashes`] if there are more
    /// than [`CropHashes::CAPACITY`].
    pub fn from_slice(hashes: &[Hash256]) -> Result<Self, PerceptualError> {
        let mut out = Self::EMPTY;
        for &h in hashes {
            out.push(h)?;
        }
        Ok(out)
    }

    /// Appends a hash; fails when already full.
    pub fn push(&mut self, hash: Hash256) -> Result<(), PerceptualError> {
        let len = usize::from(self.len);
        if len == Self::CAPACITY {
            return Err(PerceptualError::TooManyCropHashes {
                max: Self::CAPACITY,
                got: len + 1,
            });
        }
        self.hashes[len] = hash;
        self.len += 1;
        Ok(())
    }

    /// Number of hashes present.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The hashes present.
    pub fn as_slice(&self) -> &[Hash256] {
        &self.hashes[..usize::from(self.len)]
    }
}

impl std::ops::Deref for CropHashes {
    type Target = [Hash256];
    fn deref(&self) -> &[Hash256] {
        self.as_slice()
    }
}

impl fmt::Debug for CropHashes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for CropHashes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.as_slice())
    }
}

impl<'de> Deserialize<'de> for CropHashes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = CropHashes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "an array of at most {} PDQ hashes (64 hex digits each)",
                    CropHashes::CAPACITY
                )
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<CropHashes, A::Error> {
                let mut out = CropHashes::EMPTY;
                // Stops reading at the first element too many.
                while let Some(h) = seq.next_element::<Hash256>()? {
                    out.push(h).map_err(serde::de::Error::custom)?;
                }
                Ok(out)
            }
        }
        deserializer.deserialize_seq(Visitor)
    }
}

/// Formats a 64-bit pHash as `imagehash` prints it: 16 lowercase hex digits.
pub fn phash_to_hex(hash: u64) -> String {
    format!("{hash:016x}")
}

/// Parses a 64-bit pHash from 16 hex digits.
pub fn phash_from_hex(text: &str) -> Result<u64, PerceptualError> {
    if text.len() != 16 {
        return Err(PerceptualError::HexLength {
            expected: 16,
            got: text.chars().count(),
        });
    }
    let mut bytes = [0u8; 8];
    hex::decode_to_slice(text, &mut bytes)
        .map_err(|_| PerceptualError::HexDigit(text.to_owned()))?;
    Ok(u64::from_be_bytes(bytes))
}

/// serde helper: a `u64` pHash as 16 hex digits.
pub(crate) mod phash_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(hash: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::phash_to_hex(*hash))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        super::phash_from_hex(&text).map_err(serde::de::Error::custom)
    }
}

/// The eight symmetries of the square (the dihedral group D4), in the order of Meta's
/// `pdqDihedralHash256esFromFloatLuma` and of [`pdq_dihedral`](crate::pdq_dihedral)'s output.
///
/// `pdq_dihedral(img)[t]` approximates `pdq(t applied to img)`; in `image`'s terms:
/// [`Rotate90`](Self::Rotate90) ≈ `img.rotate270()` (a quarter turn counter-clockwise),
/// [`Rotate270`](Self::Rotate270) ≈ `img.rotate90()` (clockwise), [`FlipX`](Self::FlipX) ≈
/// `img.flipv()` (upside down), [`FlipY`](Self::FlipY) ≈ `img.fliph()` (mirror),
/// [`FlipPlus1`](Self::FlipPlus1) = transpose (mirror about the main diagonal) and
/// [`FlipMinus1`](Self::FlipMinus1) = anti-transpose. The exact correspondence is checked by the
/// unit tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dihedral {
    /// The image as it is.
    Original,
    /// Meta's "rotate 90".
    Rotate90,
    /// Half turn.
    Rotate180,
    /// Meta's "rotate 270".
    Rotate270,
    /// Meta's "flip X" (rows reversed).
    FlipX,
    /// Meta's "flip Y" (columns reversed).
    FlipY,
    /// Meta's "flip +1" (transpose).
    FlipPlus1,
    /// Meta's "flip −1" (anti-transpose).
    FlipMinus1,
}

impl Dihedral {
    /// All eight, in Meta's order (the index into [`pdq_dihedral`](crate::pdq_dihedral)'s array).
    pub const ALL: [Self; 8] = [
        Self::Original,
        Self::Rotate90,
        Self::Rotate180,
        Self::Rotate270,
        Self::FlipX,
        Self::FlipY,
        Self::FlipPlus1,
        Self::FlipMinus1,
    ];

    /// A short stable name for reports and logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Rotate90 => "rotate90",
            Self::Rotate180 => "rotate180",
            Self::Rotate270 => "rotate270",
            Self::FlipX => "flip_x",
            Self::FlipY => "flip_y",
            Self::FlipPlus1 => "flip_plus1",
            Self::FlipMinus1 => "flip_minus1",
        }
    }

    /// Position in [`Dihedral::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Dihedral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// When two PDQ hashes count as the same picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Largest Hamming distance (of 256 bits) that is a match.
    pub max_distance: u32,
    /// Smallest PDQ quality (0..=100) of the query image for a match to be trusted; flat or
    /// nearly featureless images hash unreliably.
    pub min_quality: u8,
}

impl Default for Thresholds {
    /// Meta's recommendation: distance ≤ 31, quality ≥ 50.
    fn default() -> Self {
        Self {
            max_distance: 31,
            min_quality: 50,
        }
    }
}

impl Thresholds {
    /// Whether a match at `distance` from a query image of PDQ quality `quality` counts.
    pub fn is_match(&self, distance: u32, quality: u8) -> bool {
        distance <= self.max_distance && quality >= self.min_quality
    }
}
