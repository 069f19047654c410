//! Images: header dimensions before decoding, bounded decoding, and PNG derivatives
//! (thumbnail and preview).

use std::fs::{self, File};
use std::io::{BufReader, Cursor, Seek};
use std::path::{Path, PathBuf};

use hallmark_unixfs::{Cid, ImportSettings, NullSink, import_reader};
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use serde::{Deserialize, Serialize};

use crate::limits::Limits;
use crate::media_type::MediaType;

/// Longest side of a thumbnail.
pub const THUMBNAIL_SIDE: u32 = 256;
/// Longest side of a preview.
pub const PREVIEW_SIDE: u32 = 1024;
/// Most pixels of the working image that ingest hashes ([`crate::Perceptual`]) and renders the
/// preview and thumbnail from: 4096² (16.8 megapixels). A larger image is scaled down to it by
/// area averaging right after decoding and its full-size pixels are freed before hashing, so
/// hashing (about 20 bytes of working memory per pixel) costs at most about 340 MB whatever
/// the image size. Images up to this size are hashed exactly as decoded.
pub const WORKING_MAX_PIXELS: u64 = 4096 * 4096;

/// A PNG rendition of an image written next to the data (thumbnail or preview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derivative {
    /// Where it was written: `<derivatives_dir>/<cid>.png`.
    #[serde(serialize_with = "hallmark_domain::paths::lossy")]
    pub path: PathBuf,
    /// Its CID with Hallmark's canonical settings ([`ImportSettings::kubo_v1`]).
    pub cid: Cid,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Always `image/png`.
    pub mime: String,
    /// Size of the PNG file in bytes.
    pub bytes: u64,
}

/// The `image` crate's format for an image media type.
pub(crate) fn image_format(media_type: MediaType) -> Option<ImageFormat> {
    match media_type {
        MediaType::Png => Some(ImageFormat::Png),
        MediaType::Jpeg => Some(ImageFormat::Jpeg),
        MediaType::WebP => Some(ImageFormat::WebP),
        MediaType::Gif => Some(ImageFormat::Gif),
        _ => None,
    }
}

/// Limits for reading headers only: no dimension limit (the caller compares the dimensions
/// with [`Limits`] to give a precise error) and a small allocation budget.
fn header_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(64 * 1024 * 1024);
    limits
}

fn dimensions_from<R: std::io::BufRead + Seek>(
    reader: R,
    format: ImageFormat,
) -> Result<(u32, u32), ImageError> {
    let mut reader = ImageReader::new(reader);
    reader.set_format(format);
    reader.limits(header_limits());
    Ok(reader.into_decoder()?.dimensions())
}

/// The width and height a PNG `IHDR` or a WebP `VP8X` chunk declares, read from the fixed
/// place they occupy in `head` (the first bytes of the file), without any decoder: the
/// `image` crate's header readers refuse some sizes over Hallmark's limits themselves (a PNG
/// 2³¹−1 pixels wide, a WebP canvas over 16384) with a generic message. `None` for other
/// formats and layouts.
pub(crate) fn declared_dimensions(head: &[u8], format: ImageFormat) -> Option<(u32, u32)> {
    use crate::probe::bytes::{array, be_u32};
    let chunk = head.get(12..16)?;
    match format {
        ImageFormat::Png if chunk == b"IHDR" => Some((be_u32(head, 16)?, be_u32(head, 20)?)),
        ImageFormat::WebP if chunk == b"VP8X" => {
            let le24 = |at| array::<3>(head, at).map(|b| u32::from_le_bytes([b[0], b[1], b[2], 0]));
            Some((le24(24)? + 1, le24(27)? + 1))
        }
        _ => None,
    }
}

/// Width and height from the image header, without decoding pixels: first from `head` (the
/// first bytes of the file, enough for almost every image), else from the file itself.
pub(crate) fn header_dimensions(
    head: &[u8],
    path: &Path,
    format: ImageFormat,
) -> Result<(u32, u32), ImageError> {
    match dimensions_from(Cursor::new(head), format) {
        Ok(dimensions) => Ok(dimensions),
        Err(_) => dimensions_from(BufReader::new(File::open(path)?), format),
    }
}

/// Decodes the image (the first frame of an animation) within `limits` and returns its
/// working image ([`working_image`]: at most [`WORKING_MAX_PIXELS`]), turned upright according
/// to its EXIF orientation. The full-size pixels are freed before this returns; the
/// orientation is applied to the working image, so no second full-size buffer is made.
pub(crate) fn decode(
    path: &Path,
    format: ImageFormat,
    limits: &Limits,
) -> Result<DynamicImage, ImageError> {
    let mut reader = ImageReader::new(BufReader::new(File::open(path)?));
    reader.set_format(format);
    reader.limits(limits.image_limits());
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    // The decoded pixels in the decoder's own format (16 bits per channel stay 16): refused
    // before any pixel is allocated when over the budget.
    let needed = decoder.total_bytes();
    if needed > limits.max_decode_bytes {
        return Err(ImageError::Limits(image::error::LimitError::from_kind(
            image::error::LimitErrorKind::InsufficientMemory,
        )));
    }
    let mut budget = limits.image_limits();
    budget.reserve(needed)?;
    let mut image = working_image(DynamicImage::from_decoder(decoder)?);
    image.apply_orientation(orientation);
    Ok(image)
}

/// `image` itself when it has at most [`WORKING_MAX_PIXELS`]; otherwise the largest image of
/// the same aspect ratio within that many pixels, by area averaging (each source pixel counts
/// once; no intermediate copy), and `image` is dropped.
pub(crate) fn working_image(image: DynamicImage) -> DynamicImage {
    let (width, height) = (image.width(), image.height());
    let pixels = u64::from(width) * u64::from(height);
    if pixels <= WORKING_MAX_PIXELS {
        return image;
    }
    let scale = (WORKING_MAX_PIXELS as f64 / pixels as f64).sqrt();
    let side = |n: u32| ((f64::from(n) * scale).round() as u32).clamp(1, n);
    let (mut w, mut h) = (side(width), side(height));
    // Rounding may overshoot by less than half a line; give it back on the longer side.
    while u64::from(w) * u64::from(h) > WORKING_MAX_PIXELS {
        if w >= h {
            w -= 1;
        } else {
            h -= 1;
        }
    }
    image.thumbnail_exact(w, h)
}

/// `image` scaled down to fit in `side`×`side`; never scaled up.
pub(crate) fn fit(image: &DynamicImage, side: u32) -> DynamicImage {
    let small = if image.width() <= side && image.height() <= side {
        image.clone()
    } else {
        image.thumbnail(side, side)
    };
    // 8 bits per channel: what every viewer shows, and a quarter of a 16-bit PNG.
    if small.color().has_alpha() {
        DynamicImage::ImageRgba8(small.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(small.to_rgb8())
    }
}

/// Encodes `image` as PNG and writes it to `<dir>/<cid>.png` (atomically; an existing file with
/// that name already holds these exact bytes, and is kept); the file, and whether this call
/// created it.
pub(crate) fn write_png(image: &DynamicImage, dir: &Path) -> std::io::Result<(Derivative, bool)> {
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(std::io::Error::other)?;
    let cid = import_reader(png.as_slice(), &ImportSettings::kubo_v1(), NullSink)
        .map_err(|e| std::io::Error::other(e.to_string()))?
        .root;
    fs::create_dir_all(dir)?;
    let path = dir.join(format!("{cid}.png"));
    let created = !path.is_file();
    if created {
        let partial = dir.join(format!(".{cid}.png.{}.partial", std::process::id()));
        // A full disk must not leave the half-written file behind.
        fs::write(&partial, &png).inspect_err(|_| {
            let _ = fs::remove_file(&partial);
        })?;
        fs::rename(&partial, &path).inspect_err(|_| {
            let _ = fs::remove_file(&partial);
        })?;
    }
    let derivative = Derivative {
        path,
        cid,
        width: image.width(),
        height: image.height(),
        mime: MediaType::Png.mime().to_owned(),
        bytes: png.len() as u64,
    };
    Ok((derivative, created))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn working_image_is_the_image_up_to_the_cap_then_scaled_down() {
        // (8-bit grey: these are large buffers, and mostly never touched)
        let at_cap = DynamicImage::new_luma8(4096, 4096);
        let same = working_image(at_cap.clone());
        assert_eq!(same, at_cap);
        let wide = working_image(DynamicImage::new_luma8(20_000, 5_000));
        assert_eq!((wide.width(), wide.height()), (8192, 2048));
        assert!(matches!(wide, DynamicImage::ImageLuma8(_)));
        let odd = working_image(DynamicImage::new_luma8(10_000, 9_999));
        assert!(u64::from(odd.width()) * u64::from(odd.height()) <= WORKING_MAX_PIXELS);
        assert_eq!((odd.width(), odd.height()), (4096, 4096));
        let line = working_image(DynamicImage::new_luma8(20_000, 1_000));
        assert_eq!((line.width(), line.height()), (18_315, 916));
    }

    #[test]
    fn declared_dimensions_of_png_and_webp_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&0x7FFF_FFFFu32.to_be_bytes());
        png.extend_from_slice(&1u32.to_be_bytes());
        assert_eq!(
            declared_dimensions(&png, ImageFormat::Png),
            Some((0x7FFF_FFFF, 1))
        );
        assert_eq!(declared_dimensions(&png[..22], ImageFormat::Png), None);
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0x0F, 0x27, 0x00]);
        assert_eq!(
            declared_dimensions(&webp, ImageFormat::WebP),
            Some((1 << 24, 10_000))
        );
        assert_eq!(declared_dimensions(&webp, ImageFormat::Png), None);
        assert_eq!(declared_dimensions(&png, ImageFormat::Jpeg), None);
    }

    #[test]
    fn fit_scales_down_keeping_aspect_and_never_up() {
        let wide = DynamicImage::new_rgb8(2000, 500);
        let f = fit(&wide, 1024);
        assert_eq!((f.width(), f.height()), (1024, 256));
        let small = DynamicImage::new_rgba16(40, 30);
        let f = fit(&small, 256);
        assert_eq!((f.width(), f.height()), (40, 30));
        assert!(matches!(f, DynamicImage::ImageRgba8(_)));
    }
}
