//! Seeded test pictures: the same seed gives the same picture on every machine.
//!
//! - [`noise`]: random pixels; its PNG does not compress (about width × height × 3 bytes) and
//!   no two seeds look alike, so each is a distinct work to the copy check;
//! - [`textured`]: overlapping waves with seeded grain, a detailed picture (PDQ quality well
//!   above 50) whose resized, mirrored or re-encoded copies the copy check recognises.

use std::path::Path;

use image::{Rgb, RgbImage};

use crate::noise::Noise;

/// `width` × `height` random pixels from `seed`.
pub fn noise(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut pixels = Noise::new(seed);
    RgbImage::from_fn(width, height, |_, _| {
        let [r, g, b, ..] = pixels.next_u64().to_be_bytes();
        Rgb([r, g, b])
    })
}

/// A detailed `width` × `height` picture: waves whose period depends on `seed`, plus grain.
pub fn textured(width: u32, height: u32, seed: u32) -> RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let mut grain = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state % 64) as f32
    };
    let k = seed as f32 * 0.37 + 1.0;
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let v = (fx / (9.0 + k)).sin() * 60.0
            + (fy / (13.0 + k)).cos() * 60.0
            + ((fx + fy) / 31.0).sin() * 50.0
            + 128.0;
        let n = grain();
        Rgb([
            (v + n).clamp(0.0, 255.0) as u8,
            (255.0 - v + n / 2.0).clamp(0.0, 255.0) as u8,
            ((fx * k) % 255.0) as u8 / 2 + (n as u8),
        ])
    })
}

/// Saves `picture` at `path` (the format from the extension) and returns the file's bytes.
pub fn save(picture: &RgbImage, path: &Path) -> Vec<u8> {
    picture.save(path).expect("the test picture is written");
    std::fs::read(path).expect("the test picture is read back")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_picture_and_another_seed_another() {
        assert_eq!(noise(16, 8, 3), noise(16, 8, 3));
        assert_ne!(noise(16, 8, 3), noise(16, 8, 4));
        assert_eq!(textured(16, 8, 3), textured(16, 8, 3));
        assert_ne!(textured(16, 8, 3), textured(16, 8, 4));
    }

    #[test]
    fn noise_does_not_compress() {
        let dir = std::env::temp_dir().join(format!("testkit-noise-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let bytes = save(&noise(64, 64, 1), &dir.join("n.png"));
        let _ = std::fs::remove_dir_all(&dir);
        assert!(bytes.len() > 64 * 64 * 3, "{} bytes", bytes.len());
    }
}
