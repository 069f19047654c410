//! [`MediaError`]: why a file was refused or could not be processed, in words a user can act on.

use std::fmt;
use std::path::{Path, PathBuf};

use hallmark_domain::ErrorCode;

use crate::media_type::MediaType;

/// Why the bytes of a file are not an accepted media type. Each message says what was found and,
/// where there is one, what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// An SVG document (scriptable markup).
    Svg,
    /// An HTML document.
    Html,
    /// Another XML document.
    Xml,
    /// A PDF document.
    Pdf,
    /// A ZIP container (also .docx, .jar, .apk, .epub …).
    Zip,
    /// A compressed archive other than ZIP.
    Archive(&'static str),
    /// A native program or library (ELF, PE, Mach-O, WebAssembly, Java class).
    Executable(&'static str),
    /// A script starting with `#!`.
    Script,
    /// MPEG-4 audio (M4A/M4B/M4P).
    M4a,
    /// An MP4-family container holding a still image (HEIC/HEIF/AVIF).
    HeifImage,
    /// A QuickTime movie.
    QuickTime,
    /// A Matroska file that is not WebM.
    Matroska,
    /// An Ogg stream with a video codec.
    OggVideo,
    /// A RIFF container that is neither WAVE nor WebP (e.g. AVI).
    OtherRiff,
    /// Nothing recognisable.
    Unknown,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Svg => f.write_str(
                "SVG is not accepted: Hallmark never renders SVG documents (they can carry scripts); export a PNG or WebP instead",
            ),
            Self::Html => f.write_str("this is an HTML document, not media; Hallmark never renders web pages"),
            Self::Xml => f.write_str("this is an XML document, not media"),
            Self::Pdf => f.write_str("PDF documents are not accepted; export the page as PNG or JPEG"),
            Self::Zip => f.write_str(
                "this is a ZIP archive (or a format built on ZIP, such as .docx or .epub); add the media file itself",
            ),
            Self::Archive(kind) => write!(f, "this is a {kind} archive; extract it and add the media file itself"),
            Self::Executable(kind) => write!(f, "this is a program ({kind}), not media; programs are never accepted"),
            Self::Script => f.write_str("this is a script, not media; programs are never accepted"),
            Self::M4a => f.write_str("M4A/AAC audio is not accepted yet; convert it to MP3, FLAC, Ogg or WAV"),
            Self::HeifImage => f.write_str("HEIC/HEIF/AVIF images are not accepted yet; convert to PNG, JPEG or WebP"),
            Self::QuickTime => f.write_str("QuickTime (.mov) movies are not accepted; re-export as MP4 or WebM"),
            Self::Matroska => f.write_str("Matroska (.mkv) is not accepted; re-export as WebM or MP4"),
            Self::OggVideo => f.write_str("Ogg video (Theora) is not accepted; re-export as WebM or MP4"),
            Self::OtherRiff => f.write_str("this RIFF file (e.g. AVI) is not accepted; use WAV, WebP, MP4 or WebM"),
            Self::Unknown => f.write_str(
                "the file type is not recognised; Hallmark accepts PNG, JPEG, WebP, GIF, MP3, WAV, FLAC, Ogg, MP4 and WebM",
            ),
        }
    }
}

/// Everything that can make an ingest fail. Every variant names the file; `code()` is stable.
///
/// Errors produced without a file (e.g. [`crate::sniff`] on a byte slice) carry an empty path and
/// say "the data"; [`MediaError::at`] fills the path in.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The path does not exist.
    #[error("{}: no such file; check the path", shown(.path))]
    NotFound {
        /// The file.
        path: PathBuf,
    },
    /// The path is a folder.
    #[error("{}: is a folder, not a file; choose a media file inside it", shown(.path))]
    IsDirectory {
        /// The path.
        path: PathBuf,
    },
    /// The file exists but cannot be read as a regular file.
    #[error("{}: cannot be read: {reason}", shown(.path))]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why (permission, not a regular file, dangling link, I/O error).
        reason: String,
    },
    /// The file has no bytes.
    #[error("{}: the file is empty", shown(.path))]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file is larger than the configured limit.
    #[error("{}: the file is too large ({} for a limit of {} for {what})", shown(.path), bytes(*.size), bytes(*.limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
        /// Which limit: `any file` or `images`.
        what: &'static str,
    },
    /// The image is larger than the pixel limits (checked from the header, before decoding).
    #[error("{}: the image is {width}×{height} pixels, over the limit ({limit}); scale it down first", shown(.path))]
    PixelLimit {
        /// The file.
        path: PathBuf,
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
        /// The limit that was exceeded, in words.
        limit: String,
    },
    /// An animated GIF has too many frames.
    #[error("{}: the GIF has more than {limit} frames; shorten the animation or convert it to a video", shown(.path))]
    FrameLimit {
        /// The file.
        path: PathBuf,
        /// The frame limit.
        limit: u32,
    },
    /// The bytes are not an accepted media type.
    #[error("{}: {refusal}", shown(.path))]
    UnsupportedType {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        refusal: Refusal,
    },
    /// The file looks like an accepted type but is damaged or truncated.
    #[error("{}: the {media_type} file is damaged or truncated ({reason}); re-export it", shown(.path))]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The type its magic bytes announced.
        media_type: MediaType,
        /// What the decoder reported.
        reason: String,
    },
    /// The file changed while it was being read.
    #[error("{}: the file changed while it was being read; wait until it is fully written and try again", shown(.path))]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// The block store refused a block.
    #[error("{}: the content store failed: {reason}", shown(.path))]
    Store {
        /// The file.
        path: PathBuf,
        /// What the store reported.
        reason: String,
    },
    /// A thumbnail or preview could not be written.
    #[error("{}: the thumbnail could not be written to {}: {reason}", shown(.path), .dir.display())]
    Derivative {
        /// The source file.
        path: PathBuf,
        /// The derivatives folder.
        dir: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// The video's appearance could not be compared with registered works (its keyframes could
    /// not be decoded within their budget, or ffmpeg is missing): copy detection could not run,
    /// so the work is not registered ("could not be checked" is never "checked").
    #[error("{}: its appearance could not be checked against registered works ({reason}), so it is not registered", shown(.path))]
    Unchecked {
        /// The file.
        path: PathBuf,
        /// Why its keyframes could not be hashed.
        reason: String,
    },
    /// A bug or an impossible configuration (e.g. invalid import settings).
    #[error("{}: internal error: {reason}", shown(.path))]
    Internal {
        /// The file.
        path: PathBuf,
        /// Details.
        reason: String,
    },
}

impl MediaError {
    /// A stable machine-readable code, e.g. `media.unsupported_type`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::MediaNotFound,
            Self::IsDirectory { .. } => ErrorCode::MediaIsDirectory,
            Self::Unreadable { .. } => ErrorCode::MediaUnreadable,
            Self::Empty { .. } => ErrorCode::MediaEmpty,
            Self::TooLarge { .. } => ErrorCode::MediaTooLarge,
            Self::PixelLimit { .. } => ErrorCode::MediaPixelLimit,
            Self::FrameLimit { .. } => ErrorCode::MediaFrameLimit,
            Self::UnsupportedType { .. } => ErrorCode::MediaUnsupportedType,
            Self::Corrupt { .. } => ErrorCode::MediaCorrupt,
            Self::Changed { .. } => ErrorCode::MediaChanged,
            Self::Store { .. } => ErrorCode::MediaStore,
            Self::Derivative { .. } => ErrorCode::MediaDerivative,
            Self::Unchecked { .. } => ErrorCode::MediaUnchecked,
            Self::Internal { .. } => ErrorCode::MediaInternal,
        }
    }

    /// Whether the error is about the input file itself (bad input the user can fix) rather
    /// than the machine (store, disk, internal).
    pub fn is_bad_input(&self) -> bool {
        !matches!(
            self,
            Self::Store { .. }
                | Self::Derivative { .. }
                | Self::Unchecked { .. }
                | Self::Internal { .. }
        )
    }

    /// The file the error is about (empty when produced from bare bytes).
    pub fn path(&self) -> &Path {
        match self {
            Self::NotFound { path }
            | Self::IsDirectory { path }
            | Self::Unreadable { path, .. }
            | Self::Empty { path }
            | Self::TooLarge { path, .. }
            | Self::PixelLimit { path, .. }
            | Self::FrameLimit { path, .. }
            | Self::UnsupportedType { path, .. }
            | Self::Corrupt { path, .. }
            | Self::Changed { path }
            | Self::Store { path, .. }
            | Self::Derivative { path, .. }
            | Self::Unchecked { path, .. }
            | Self::Internal { path, .. } => path,
        }
    }

    /// The same error about `file` (replaces the path).
    #[must_use]
    pub fn at(mut self, file: &Path) -> Self {
        match &mut self {
            Self::NotFound { path }
            | Self::IsDirectory { path }
            | Self::Unreadable { path, .. }
            | Self::Empty { path }
            | Self::TooLarge { path, .. }
            | Self::PixelLimit { path, .. }
            | Self::FrameLimit { path, .. }
            | Self::UnsupportedType { path, .. }
            | Self::Corrupt { path, .. }
            | Self::Changed { path }
            | Self::Store { path, .. }
            | Self::Derivative { path, .. }
            | Self::Unchecked { path, .. }
            | Self::Internal { path, .. } => *path = file.to_owned(),
        }
        self
    }
}

/// The path as shown in messages; "the data" when there is none.
fn shown(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        "the data".to_owned()
    } else {
        path.display().to_string()
    }
}

/// A byte count for humans: `1.5 GiB`, `300 KiB`, `12 bytes`.
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0} {}", UNITS[unit])
    } else {
        format!("{rounded:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_naturally() {
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(bytes(4 * 1024 * 1024 * 1024), "4 GiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(256 * 1024 * 1024), "256 MiB");
    }

    #[test]
    fn messages_name_the_file_or_the_data() {
        let e = MediaError::UnsupportedType {
            path: PathBuf::new(),
            refusal: Refusal::Svg,
        };
        assert!(e.to_string().starts_with("the data: SVG is not accepted"));
        let e = e.at(Path::new("/x/logo.svg"));
        assert!(
            e.to_string()
                .starts_with("/x/logo.svg: SVG is not accepted"),
            "{e}"
        );
        assert_eq!(e.code(), "media.unsupported_type");
        assert_eq!(e.path(), Path::new("/x/logo.svg"));
    }
}
