//! [`Limits`]: how large a file Hallmark accepts, checked before any expensive work.

use serde::{Deserialize, Serialize};

/// Size limits applied at ingest. Missing fields in a stored configuration take their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest accepted file of any type, in bytes (default 4 GiB).
    pub max_file_bytes: u64,
    /// Largest accepted image file, in bytes (default 256 MiB): images are decoded in memory.
    pub max_image_file_bytes: u64,
    /// Largest accepted image area, in pixels (default 100 megapixels).
    pub max_pixels: u64,
    /// Largest accepted image width or height, in pixels (default 20000).
    pub max_side: u32,
    /// Most frames accepted in an animated GIF (default 2000).
    pub max_gif_frames: u32,
    /// Most bytes an image's decoded pixels may take (default 400 MiB: an 8-bit RGBA image at
    /// the 100-megapixel limit). A 16-bit image takes twice an 8-bit one of the same size, so it
    /// meets this budget before the pixel limit (about 52 megapixels of 16-bit RGBA).
    pub max_decode_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 4 * 1024 * 1024 * 1024,
            max_image_file_bytes: 256 * 1024 * 1024,
            max_pixels: 100_000_000,
            max_side: 20_000,
            max_gif_frames: 2_000,
            max_decode_bytes: 400 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The matching `image` crate limits (width, height and allocation).
    pub fn image_limits(&self) -> image::Limits {
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(self.max_side);
        limits.max_image_height = Some(self.max_side);
        limits.max_alloc = Some(self.max_decode_bytes);
        limits
    }

    /// Why an image of `width`×`height` is over the limits, or `None` when it is accepted.
    pub fn pixel_violation(&self, width: u32, height: u32) -> Option<String> {
        if width > self.max_side || height > self.max_side {
            return Some(format!("at most {} pixels per side", self.max_side));
        }
        let pixels = u64::from(width) * u64::from(height);
        if pixels > self.max_pixels {
            return Some(format!(
                "at most {} megapixels",
                self.max_pixels as f64 / 1_000_000.0
            ));
        }
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_missing_fields() {
        let limits: Limits = serde_json::from_str(r#"{"max_side": 100}"#).unwrap();
        assert_eq!(limits.max_side, 100);
        assert_eq!(limits.max_pixels, 100_000_000);
        assert_eq!(limits.max_file_bytes, 4 << 30);
        let roundtrip: Limits =
            serde_json::from_str(&serde_json::to_string(&limits).unwrap()).unwrap();
        assert_eq!(roundtrip, limits);
        assert!(serde_json::from_str::<Limits>(r#"{"max_sides": 1}"#).is_err());
    }

    #[test]
    fn pixel_violations() {
        let limits = Limits::default();
        assert_eq!(limits.pixel_violation(20_000, 5_000), None);
        assert!(
            limits
                .pixel_violation(20_001, 1)
                .unwrap()
                .contains("per side")
        );
        assert!(
            limits
                .pixel_violation(15_000, 15_000)
                .unwrap()
                .contains("megapixels")
        );
        assert_eq!(limits.image_limits().max_image_width, Some(20_000));
    }
}
