//! The media types Hallmark accepts and their broad kinds.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The broad kind of a media file: what the UI shows and which probes apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    /// A still or animated picture.
    Image,
    /// Sound only.
    Audio,
    /// Moving pictures, usually with sound.
    Video,
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Image => "image",
            Self::Audio => "audio",
            Self::Video => "video",
        })
    }
}

/// A media file format Hallmark accepts, recognised from its magic bytes (never its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    /// Portable Network Graphics.
    Png,
    /// JPEG (JFIF/EXIF).
    Jpeg,
    /// WebP (lossy, lossless or animated).
    WebP,
    /// GIF (still or animated).
    Gif,
    /// MPEG audio (MP3, and MPEG-1/2 layer I/II).
    Mp3,
    /// RIFF WAVE audio.
    Wav,
    /// Free Lossless Audio Codec.
    Flac,
    /// Ogg audio (Vorbis, Opus or FLAC).
    Ogg,
    /// ISO base media file (MP4) video.
    Mp4,
    /// WebM (Matroska subset) video.
    WebM,
}

impl MediaType {
    /// Every accepted type, for listings and tests.
    pub const ALL: [Self; 10] = [
        Self::Png,
        Self::Jpeg,
        Self::WebP,
        Self::Gif,
        Self::Mp3,
        Self::Wav,
        Self::Flac,
        Self::Ogg,
        Self::Mp4,
        Self::WebM,
    ];

    /// The IANA media type, e.g. `image/png`.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::WebP => "image/webp",
            Self::Gif => "image/gif",
            Self::Mp3 => "audio/mpeg",
            Self::Wav => "audio/wav",
            Self::Flac => "audio/flac",
            Self::Ogg => "audio/ogg",
            Self::Mp4 => "video/mp4",
            Self::WebM => "video/webm",
        }
    }

    /// The media type for a MIME string produced by [`MediaType::mime`].
    pub fn from_mime(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.mime() == mime)
    }

    /// Image, audio or video.
    pub fn kind(self) -> MediaKind {
        match self {
            Self::Png | Self::Jpeg | Self::WebP | Self::Gif => MediaKind::Image,
            Self::Mp3 | Self::Wav | Self::Flac | Self::Ogg => MediaKind::Audio,
            Self::Mp4 | Self::WebM => MediaKind::Video,
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::WebP => "webp",
            Self::Gif => "gif",
            Self::Mp3 => "mp3",
            Self::Wav => "wav",
            Self::Flac => "flac",
            Self::Ogg => "ogg",
            Self::Mp4 => "mp4",
            Self::WebM => "webm",
        }
    }

    /// A short human name, e.g. `PNG`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::WebP => "WebP",
            Self::Gif => "GIF",
            Self::Mp3 => "MP3",
            Self::Wav => "WAV",
            Self::Flac => "FLAC",
            Self::Ogg => "Ogg",
            Self::Mp4 => "MP4",
            Self::WebM => "WebM",
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn mime_roundtrips_and_kinds_match_mime_prefix() {
        for t in MediaType::ALL {
            assert_eq!(MediaType::from_mime(t.mime()), Some(t));
            assert!(t.mime().starts_with(&format!("{}/", t.kind())), "{t}");
        }
        assert_eq!(MediaType::from_mime("image/svg+xml"), None);
    }

    #[test]
    fn serde_names_are_lowercase() {
        let json = serde_json::to_string(&MediaType::WebM).unwrap();
        assert_eq!(json, "\"webm\"");
        let json = serde_json::to_string(&MediaKind::Video).unwrap();
        assert_eq!(json, "\"video\"");
    }
}
