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

/// A PNG rendition of an image written next to the data (thumbnail or preview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derivative {
    /// Where it was written: `<derivatives_dir>/<cid>.png`.
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

/// Decodes the image (the first frame of an animation) within `limits`, turned upright
/// according to its EXIF orientation.
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
    let mut budget = limits.image_limits();
    budget.reserve(decoder.total_bytes())?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
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
/// that name already holds these exact bytes).
pub(crate) fn write_png(image: &DynamicImage, dir: &Path) -> std::io::Result<Derivative> {
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(std::io::Error::other)?;
    let cid = import_reader(png.as_slice(), &ImportSettings::kubo_v1(), NullSink)
        .map_err(|e| std::io::Error::other(e.to_string()))?
        .root;
    fs::create_dir_all(dir)?;
    let path = dir.join(format!("{cid}.png"));
    if !path.is_file() {
        let partial = dir.join(format!(".{cid}.png.{}.partial", std::process::id()));
        fs::write(&partial, &png)?;
        fs::rename(&partial, &path).inspect_err(|_| {
            let _ = fs::remove_file(&partial);
        })?;
    }
    Ok(Derivative {
        path,
        cid,
        width: image.width(),
        height: image.height(),
        mime: MediaType::Png.mime().to_owned(),
        bytes: png.len() as u64,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
