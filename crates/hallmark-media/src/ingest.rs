//! Ingest: check a media file, then read it once to compute its sha-256 and both CIDs (the
//! canonical CIDv1's blocks go to a [`BlockSink`]), and describe it in an [`Ingested`] report.

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Instant, SystemTime};

use hallmark_perceptual::{Hash256, PerceptualHashes};
use hallmark_unixfs::{BlockSink, Cid, FileImporter, ImportError, ImportSettings, NullSink};
use image::{DynamicImage, ImageError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tracing::{debug, info};

use crate::error::MediaError;
use crate::limits::Limits;
use crate::media_type::{MediaKind, MediaType};
use crate::probe::{self, AvInfo};
use crate::raster::{self, Derivative, PREVIEW_SIDE, THUMBNAIL_SIDE};
use crate::sniff::sniff;

/// Bytes read from the file at a time.
pub const READ_CHUNK: usize = 1024 * 1024;

/// How to ingest.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Size limits.
    pub limits: Limits,
    /// Where thumbnails and previews of images are written; `None` writes none (the image is
    /// still fully decoded, to refuse damaged files).
    pub derivatives_dir: Option<PathBuf>,
}

/// Everything ingest learned about a media file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ingested {
    /// The file as given.
    #[serde(serialize_with = "hallmark_domain::paths::lossy")]
    pub path: PathBuf,
    /// Its final path component (lossy UTF-8).
    pub file_name: String,
    /// The type its magic bytes announce.
    pub media_type: MediaType,
    /// The IANA media type, e.g. `image/png`.
    pub mime: String,
    /// Image, audio or video.
    pub kind: MediaKind,
    /// Size in bytes.
    pub size: u64,
    /// sha-256 of the exact bytes, lowercase hex.
    pub sha256: String,
    /// Hallmark's canonical CID (CIDv1, raw leaves; see `import_settings`).
    pub cid_v1: Cid,
    /// The CIDv0 `ipfs add` prints with default settings.
    pub cid_v0: Cid,
    /// The settings `cid_v1` was computed with.
    pub import_settings: ImportSettings,
    /// Width in pixels (images, and video when the container says).
    pub width: Option<u32>,
    /// Height in pixels.
    pub height: Option<u32>,
    /// Frames of an animated GIF.
    pub frames: Option<u32>,
    /// Playing time of audio and video, when the container says.
    pub duration_ms: Option<u64>,
    /// Whether `duration_ms` is estimated (MP3 without a frame count).
    pub duration_estimated: bool,
    /// Thumbnail (fits 256×256) of an image, when a derivatives folder was given.
    pub thumbnail: Option<Derivative>,
    /// Preview (fits 1024×1024, never upscaled) of an image, when a derivatives folder was given.
    pub preview: Option<Derivative>,
    /// Perceptual hashes of an image (PDQ with its 8 rotations/reflections, and pHash), for
    /// copy detection; `None` for audio and video (see `docs/copyright.md`).
    #[serde(default)]
    pub perceptual: Option<Perceptual>,
    /// Why a video's appearance could not be hashed (ffmpeg missing, failed, past its time or
    /// pixel budget): copy detection could only compare its exact bytes, and a mint refuses it
    /// ([`MediaError::Unchecked`](crate::MediaError::Unchecked)). `None` when it was hashed,
    /// and for images and audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appearance_unchecked: Option<String>,
    /// Wall time the ingest took, in milliseconds.
    pub ingest_ms: u64,
}

/// An image's perceptual hashes: what its metadata publishes, and the dihedral PDQ hashes a
/// similarity query uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Perceptual {
    /// PDQ of the image, PDQ of the image with its uniform borders trimmed (when it has any),
    /// PDQ of centred crops of the trimmed image, the PDQ quality and pHash (published in the
    /// work's metadata; [`PerceptualHashes::pdq_all`] lists what the similarity index holds).
    pub hashes: PerceptualHashes,
    /// PDQ of the 8 rotations and reflections of the trimmed image (original first).
    pub dihedral: [Hash256; 8],
}

impl Perceptual {
    /// Hashes a decoded image with [`hallmark_perceptual::fingerprint`]: uniform borders are
    /// trimmed first (so a padded copy hashes like its original), the crop hashes let a
    /// cropped copy match, and the 8 dihedral hashes are of the actually rotated and mirrored
    /// pixels (Meta's DCT shortcut is exact only for square downsampling: a mirrored copy of a
    /// 256×256 picture can land 54 bits away with it).
    /// Hashes a video's sampled keyframes: the first one as a picture (with its rotations,
    /// trimmed borders and crops), the next ones (up to 4) as `pdq_frames`.
    pub fn of_keyframes(frames: &[DynamicImage]) -> Option<Self> {
        let (first, rest) = frames.split_first()?;
        let mut perceptual = Self::of(first);
        for frame in rest {
            let trimmed = hallmark_perceptual::trim_borders(frame);
            if perceptual
                .hashes
                .pdq_frames
                .push(hallmark_perceptual::pdq(&trimmed).hash)
                .is_err()
            {
                break;
            }
        }
        Some(perceptual)
    }

    /// Hashes a decoded image.
    pub fn of(image: &DynamicImage) -> Self {
        let fingerprint = hallmark_perceptual::fingerprint(image);
        Self {
            hashes: fingerprint.hashes,
            dihedral: fingerprint.dihedral,
        }
    }
}

/// [`ingest_with_sink`] discarding blocks and progress.
pub fn ingest(path: &Path, options: &IngestOptions) -> Result<Ingested, MediaError> {
    ingest_with_sink(path, options, NullSink, |_, _| {}).map(|(ingested, _)| ingested)
}

/// Ingests the media file at `path`.
///
/// Cheap checks come first (existence, type, size, image header dimensions, GIF frame count),
/// then images are decoded (refusing damaged ones) and their derivatives rendered, then the file
/// is read once, in [`READ_CHUNK`] pieces, feeding sha-256, the canonical CIDv1 importer (whose
/// blocks go to `sink`) and a CIDv0 importer. `progress(done, total)` is called after each
/// piece. Memory stays bounded whatever the file size: images are decoded within
/// [`Limits::max_decode_bytes`] (a PNG colour profile within its own ceiling), then hashed and rendered from a working copy of at most
/// [`WORKING_MAX_PIXELS`](crate::WORKING_MAX_PIXELS) (larger images are scaled down to it and
/// their full-size pixels freed first).
pub fn ingest_with_sink<S: BlockSink>(
    path: &Path,
    options: &IngestOptions,
    sink: S,
    mut progress: impl FnMut(u64, u64),
) -> Result<(Ingested, S), MediaError> {
    let started = Instant::now();
    let limits = &options.limits;
    let (mut file, metadata) = open_media(path, limits)?;
    let size = metadata.len();

    let mut first = vec![0u8; READ_CHUNK];
    let first_len = read_full(&mut file, &mut first).map_err(|e| unreadable(path, &e))?;
    first.truncate(first_len);
    let media_type = sniff(&first).map_err(|e| e.at(path))?;
    debug!(path = %path.display(), %media_type, size, "sniffed");

    let picture = match raster::image_format(media_type) {
        Some(format) => Some(check_image(
            path, &first, media_type, format, size, options,
        )?),
        None => None,
    };

    let hashed = hash_and_import(path, file, first, size, sink, &mut progress)?;
    if still_same(path, &metadata) != Some(true) {
        return Err(MediaError::Changed {
            path: path.to_owned(),
        });
    }

    let mut report = Ingested {
        path: path.to_owned(),
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        media_type,
        mime: media_type.mime().to_owned(),
        kind: media_type.kind(),
        size,
        sha256: hashed.sha256,
        cid_v1: hashed.cid_v1,
        cid_v0: hashed.cid_v0,
        import_settings: ImportSettings::kubo_v1(),
        width: None,
        height: None,
        frames: None,
        duration_ms: None,
        duration_estimated: false,
        thumbnail: None,
        preview: None,
        perceptual: None,
        appearance_unchecked: None,
        ingest_ms: 0,
    };
    match picture {
        Some(picture) => {
            report.width = Some(picture.width);
            report.height = Some(picture.height);
            report.frames = picture.frames;
            report.perceptual = Some(picture.perceptual);
            if let (Some(dir), Some((preview, thumbnail))) =
                (&options.derivatives_dir, picture.renditions)
            {
                let write = |image: &DynamicImage| {
                    raster::write_png(image, dir).map_err(|e| MediaError::Derivative {
                        path: path.to_owned(),
                        dir: dir.clone(),
                        reason: e.to_string(),
                    })
                };
                let (preview, created) = write(&preview)?;
                // A thumbnail that cannot be written takes back the preview written for it.
                let (thumbnail, _) = write(&thumbnail).inspect_err(|_| {
                    if created {
                        let _ = std::fs::remove_file(&preview.path);
                    }
                })?;
                report.preview = Some(preview);
                report.thumbnail = Some(thumbnail);
            }
        }
        None => {
            let info = File::open(path)
                .map(|mut f| probe::probe_av(media_type, &mut io::BufReader::new(&mut f)))
                .unwrap_or_else(|_| AvInfo::default());
            report.width = info.width;
            report.height = info.height;
            report.duration_ms = info.duration_ms;
            report.duration_estimated = info.duration_estimated;
            if media_type.kind() == MediaKind::Video {
                report.perceptual = match crate::keyframes::keyframes(
                    path,
                    media_type,
                    info.duration_ms,
                ) {
                    Ok(frames) => Perceptual::of_keyframes(&frames),
                    Err(why) => {
                        debug!(path = %path.display(), "no keyframes, appearance unchecked: {why}");
                        report.appearance_unchecked = Some(why);
                        None
                    }
                };
            }
        }
    }
    report.ingest_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    info!(
        path = %path.display(), %media_type, size, cid = %report.cid_v1,
        ms = report.ingest_ms, "ingested"
    );
    Ok((report, hashed.sink))
}

/// Opens `path` after checking that it is a non-empty regular file within the size limit.
fn open_media(path: &Path, limits: &Limits) -> Result<(File, Metadata), MediaError> {
    let metadata = match fs::metadata(path) {
        Ok(m) => m,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            // metadata() follows links: a link to nothing is there, but unreadable.
            return Err(if fs::symlink_metadata(path).is_ok() {
                MediaError::Unreadable {
                    path: path.to_owned(),
                    reason: "it is a symbolic link to a file that does not exist".to_owned(),
                }
            } else {
                MediaError::NotFound {
                    path: path.to_owned(),
                }
            });
        }
        Err(e) => return Err(unreadable(path, &e)),
    };
    if metadata.is_dir() {
        return Err(MediaError::IsDirectory {
            path: path.to_owned(),
        });
    }
    if !metadata.is_file() {
        return Err(MediaError::Unreadable {
            path: path.to_owned(),
            reason: format!(
                "it is {}, not a regular file",
                hallmark_files::special_kind(&metadata)
            ),
        });
    }
    if metadata.len() == 0 {
        return Err(MediaError::Empty {
            path: path.to_owned(),
        });
    }
    if metadata.len() > limits.max_file_bytes {
        return Err(MediaError::TooLarge {
            path: path.to_owned(),
            size: metadata.len(),
            limit: limits.max_file_bytes,
            what: "any file",
        });
    }
    // Opened without blocking and checked again on the handle: a path swapped for a pipe since
    // the check is refused, not waited on.
    let (file, _) =
        hallmark_files::open(path, limits.max_file_bytes).map_err(|e| MediaError::Unreadable {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
    Ok((file, metadata))
}

/// Whether the file still has the size and modification time it had when opened.
fn still_same(path: &Path, before: &Metadata) -> Option<bool> {
    let now = fs::metadata(path).ok()?;
    let modified = |m: &Metadata| m.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    Some(now.len() == before.len() && modified(&now) == modified(before))
}

fn unreadable(path: &Path, error: &io::Error) -> MediaError {
    let reason = match error.kind() {
        io::ErrorKind::PermissionDenied => {
            "permission denied; check the file's permissions".to_owned()
        }
        _ => error.to_string(),
    };
    MediaError::Unreadable {
        path: path.to_owned(),
        reason,
    }
}

/// Reads up to `buf.len()` bytes, fewer only at the end of the file.
fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// What the image checks learned, and the renditions when derivatives are wanted.
struct Picture {
    width: u32,
    height: u32,
    frames: Option<u32>,
    /// `(preview, thumbnail)`.
    renditions: Option<(DynamicImage, DynamicImage)>,
    /// Perceptual hashes of the working image.
    perceptual: Perceptual,
}

/// Checks an image against the limits from its header (and a JPEG's structure: complete, and
/// with enough data for the pixels it declares), then decodes it to prove it is intact, and
/// hashes and renders the derivatives (kept in memory until the file is hashed) from its
/// working image: at most [`raster::WORKING_MAX_PIXELS`], the full-size pixels freed first.
fn check_image(
    path: &Path,
    head: &[u8],
    media_type: MediaType,
    format: image::ImageFormat,
    size: u64,
    options: &IngestOptions,
) -> Result<Picture, MediaError> {
    let limits = &options.limits;
    let corrupt = |reason: String| MediaError::Corrupt {
        path: path.to_owned(),
        media_type,
        reason,
    };
    if size > limits.max_image_file_bytes {
        return Err(MediaError::TooLarge {
            path: path.to_owned(),
            size,
            limit: limits.max_image_file_bytes,
            what: "images",
        });
    }
    if let Some((width, height)) = raster::declared_dimensions(head, format)
        && let Some(limit) = limits.pixel_violation(width, height)
    {
        return Err(MediaError::PixelLimit {
            path: path.to_owned(),
            width,
            height,
            limit,
        });
    }
    let (width, height) = raster::header_dimensions(head, path, format)
        .map_err(|e| corrupt(format!("the header cannot be read: {e}")))?;
    if width == 0 || height == 0 {
        return Err(corrupt(format!("the header says {width}×{height} pixels")));
    }
    if let Some(limit) = limits.pixel_violation(width, height) {
        return Err(MediaError::PixelLimit {
            path: path.to_owned(),
            width,
            height,
            limit,
        });
    }
    let frames = if media_type == MediaType::Gif {
        let file = File::open(path).map_err(|e| unreadable(path, &e))?;
        let scan = probe::gif::count_frames(file, limits.max_gif_frames).map_err(corrupt)?;
        if scan.frames > limits.max_gif_frames {
            return Err(MediaError::FrameLimit {
                path: path.to_owned(),
                limit: limits.max_gif_frames,
            });
        }
        Some(scan.frames)
    } else {
        None
    };
    if media_type == MediaType::Jpeg {
        // The decoder fills in what a truncated JPEG lacks; refuse it before decoding.
        let file = File::open(path).map_err(|e| unreadable(path, &e))?;
        let scan = probe::jpeg::walk(file).map_err(corrupt)?;
        let least = probe::jpeg::least_entropy_bytes(width, height);
        if scan.entropy_bytes < least {
            return Err(corrupt(format!(
                "its header declares {width}×{height} pixels, which need at least {least} bytes \
                 of image data, and it has {}",
                scan.entropy_bytes
            )));
        }
    }
    if media_type == MediaType::Png {
        // A colour profile is inflated within its own ceiling, not the decode budget.
        let file = File::open(path).map_err(|e| unreadable(path, &e))?;
        probe::png::walk(io::BufReader::new(file)).map_err(corrupt)?;
    }
    let image = raster::decode(path, format, limits).map_err(|e| match e {
        ImageError::Limits(_) => MediaError::PixelLimit {
            path: path.to_owned(),
            width,
            height,
            limit: format!(
                "at most {} MiB of decoded pixels (16-bit images take twice the memory of 8-bit ones)",
                limits.max_decode_bytes / (1024 * 1024)
            ),
        },
        ImageError::IoError(e) if e.kind() != io::ErrorKind::UnexpectedEof => unreadable(path, &e),
        other => corrupt(other.to_string()),
    })?;
    let renditions = options.derivatives_dir.is_some().then(|| {
        let preview = raster::fit(&image, PREVIEW_SIDE);
        let thumbnail = raster::fit(&preview, THUMBNAIL_SIDE);
        (preview, thumbnail)
    });
    Ok(Picture {
        width,
        height,
        frames,
        renditions,
        perceptual: Perceptual::of(&image),
    })
}

/// Results of the single streaming pass.
struct Hashed<S> {
    sha256: String,
    cid_v1: Cid,
    cid_v0: Cid,
    sink: S,
}

/// Chunks in flight between the reading thread and the hashing thread (bounds memory).
const CHUNKS_IN_FLIGHT: usize = 4;

/// Reads the file once from where `first` ends. This thread reads and feeds the CIDv1 importer
/// (and so the sink); a scoped helper thread computes sha-256 and the CIDv0 from the same
/// chunks, so the three hashes of a large file take about the time of two.
fn hash_and_import<S: BlockSink>(
    path: &Path,
    mut file: File,
    first: Vec<u8>,
    size: u64,
    sink: S,
    progress: &mut impl FnMut(u64, u64),
) -> Result<Hashed<S>, MediaError> {
    let internal = |reason: String| MediaError::Internal {
        path: path.to_owned(),
        reason,
    };
    let store_error = |e: ImportError<S::Error>| match e {
        ImportError::Sink(e) => MediaError::Store {
            path: path.to_owned(),
            reason: e.to_string(),
        },
        other => internal(other.to_string()),
    };
    let changed = || MediaError::Changed {
        path: path.to_owned(),
    };
    let mut v1 = FileImporter::new(ImportSettings::kubo_v1(), sink).map_err(store_error)?;
    std::thread::scope(|scope| {
        let (to_hasher, chunks) = mpsc::sync_channel::<Arc<Vec<u8>>>(CHUNKS_IN_FLIGHT);
        let hasher = scope.spawn(move || -> Result<(String, Cid), String> {
            let mut sha = Sha256::new();
            let mut v0 = FileImporter::new(ImportSettings::kubo_v0(), NullSink)
                .map_err(|e| e.to_string())?;
            for chunk in chunks {
                sha.update(chunk.as_slice());
                v0.write(&chunk).map_err(|e| e.to_string())?;
            }
            let root = v0.finish().map_err(|e| e.to_string())?.root;
            Ok((hex::encode(sha.finalize()), root))
        });
        let mut chunk = first;
        let mut done = 0u64;
        progress(0, size);
        while !chunk.is_empty() {
            v1.write(&chunk).map_err(store_error)?;
            done += chunk.len() as u64;
            if done > size {
                return Err(changed());
            }
            if to_hasher.send(Arc::new(chunk)).is_err() {
                break; // the hasher failed; its error is collected below
            }
            progress(done, size);
            chunk = vec![0u8; READ_CHUNK];
            let n = read_full(&mut file, &mut chunk).map_err(|e| unreadable(path, &e))?;
            chunk.truncate(n);
        }
        drop(to_hasher);
        let (sha256, cid_v0) = hasher
            .join()
            .map_err(|_| internal("the hashing thread stopped unexpectedly".to_owned()))?
            .map_err(internal)?;
        if done != size {
            return Err(changed());
        }
        let v1 = v1.finish().map_err(store_error)?;
        Ok(Hashed {
            sha256,
            cid_v1: v1.root,
            cid_v0,
            sink: v1.sink,
        })
    })
}
