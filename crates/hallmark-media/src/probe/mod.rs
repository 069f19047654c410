//! Small, bounded, hand-written parsers that read durations (and video dimensions) from
//! container headers without decoding any media.
//!
//! Every parser reads through [`Read`] + [`Seek`], reads at most a few MiB whatever the input
//! claims, runs a bounded number of loop iterations, and answers `None` when it cannot tell:
//! unknown is never an error and hostile input never panics. The image walkers ([`gif`],
//! [`jpeg`], [`png`]) check structure instead: they read the file once, linearly, and name what is
//! wrong.

pub mod flac;
pub mod gif;
pub mod jpeg;
pub mod mp3;
pub mod mp4;
pub mod ogg;
pub mod png;
pub mod wav;
pub mod webm;

use std::io::{Read, Seek, SeekFrom};

use serde::{Deserialize, Serialize};

use crate::media_type::MediaType;

/// Durations longer than this are treated as nonsense from a damaged header.
const MAX_PLAUSIBLE_MS: u64 = 31 * 24 * 3600 * 1000;

/// What a probe learned about an audio or video file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvInfo {
    /// Playing time in milliseconds, when known.
    pub duration_ms: Option<u64>,
    /// Whether `duration_ms` is an estimate (MP3 without a frame count: from the bitrate).
    pub duration_estimated: bool,
    /// Video width in pixels, when known.
    pub width: Option<u32>,
    /// Video height in pixels, when known.
    pub height: Option<u32>,
}

impl AvInfo {
    /// An exact duration only.
    pub(crate) fn duration(ms: Option<u64>) -> Self {
        Self {
            duration_ms: ms,
            ..Self::default()
        }
    }
}

/// Probes an audio or video file of type `media_type`; images and unknown layouts give
/// the empty [`AvInfo`].
pub fn probe_av<R: Read + Seek>(media_type: MediaType, source: &mut R) -> AvInfo {
    let info = match media_type {
        MediaType::Wav => wav::probe(source),
        MediaType::Flac => flac::probe(source),
        MediaType::Mp3 => mp3::probe(source),
        MediaType::Ogg => ogg::probe(source),
        MediaType::Mp4 => mp4::probe(source),
        MediaType::WebM => webm::probe(source),
        MediaType::Png | MediaType::Jpeg | MediaType::WebP | MediaType::Gif => None,
    };
    info.unwrap_or_default()
}

/// `numerator * 1000 / per_second` in milliseconds, `None` on a zero rate or an implausible result.
pub(crate) fn millis(numerator: u64, per_second: u64) -> Option<u64> {
    if per_second == 0 {
        return None;
    }
    let ms = u128::from(numerator) * 1000 / u128::from(per_second);
    u64::try_from(ms).ok().filter(|ms| *ms <= MAX_PLAUSIBLE_MS)
}

/// The length of the stream.
pub(crate) fn stream_len<R: Seek>(source: &mut R) -> Option<u64> {
    source.seek(SeekFrom::End(0)).ok()
}

/// Exactly `len` bytes at `offset`, or `None` (short read, I/O error).
pub(crate) fn read_exact_at<R: Read + Seek>(
    source: &mut R,
    offset: u64,
    len: usize,
) -> Option<Vec<u8>> {
    let bytes = read_up_to(source, offset, len)?;
    (bytes.len() == len).then_some(bytes)
}

/// Up to `max` bytes at `offset` (fewer at the end of the stream).
pub(crate) fn read_up_to<R: Read + Seek>(
    source: &mut R,
    offset: u64,
    max: usize,
) -> Option<Vec<u8>> {
    source.seek(SeekFrom::Start(offset)).ok()?;
    let mut bytes = Vec::with_capacity(max.min(64 * 1024));
    source
        .take(u64::try_from(max).ok()?)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// Fixed-size reads from byte slices that answer `None` past the end.
pub(crate) mod bytes {
    /// `N` bytes at `at`.
    pub(crate) fn array<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
        b.get(at..at.checked_add(N)?)?.try_into().ok()
    }
    /// Big-endian u32.
    pub(crate) fn be_u32(b: &[u8], at: usize) -> Option<u32> {
        array(b, at).map(u32::from_be_bytes)
    }
    /// Big-endian u64.
    pub(crate) fn be_u64(b: &[u8], at: usize) -> Option<u64> {
        array(b, at).map(u64::from_be_bytes)
    }
    /// Little-endian u16.
    pub(crate) fn le_u16(b: &[u8], at: usize) -> Option<u16> {
        array(b, at).map(u16::from_le_bytes)
    }
    /// Little-endian u32.
    pub(crate) fn le_u32(b: &[u8], at: usize) -> Option<u32> {
        array(b, at).map(u32::from_le_bytes)
    }
    /// Little-endian u64.
    pub(crate) fn le_u64(b: &[u8], at: usize) -> Option<u64> {
        array(b, at).map(u64::from_le_bytes)
    }
}

/// The length of the ID3v2 tag starting at `b[0]` (header, body and footer), if there is one.
pub(crate) fn id3v2_len(b: &[u8]) -> Option<u64> {
    let header = bytes::array::<10>(b, 0)?;
    if &header[..3] != b"ID3" || header[3] == 0xFF || header[4] == 0xFF {
        return None;
    }
    let size = header[6..10].iter().try_fold(0u64, |acc, &byte| {
        (byte < 0x80).then_some((acc << 7) | u64::from(byte))
    })?;
    let footer = if header[5] & 0x10 != 0 { 10 } else { 0 };
    Some(10 + size + footer)
}

/// Skips up to four consecutive ID3v2 tags at the start of the stream; returns where audio begins.
pub(crate) fn skip_id3v2<R: Read + Seek>(source: &mut R) -> u64 {
    let mut pos = 0u64;
    for _ in 0..4 {
        let Some(header) = read_exact_at(source, pos, 10) else {
            break;
        };
        match id3v2_len(&header) {
            Some(len) => pos = pos.saturating_add(len),
            None => break,
        }
    }
    pos
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn millis_refuses_zero_rates_and_absurd_values() {
        assert_eq!(millis(44_100, 44_100), Some(1000));
        assert_eq!(millis(1, 0), None);
        assert_eq!(millis(u64::MAX, 1), None);
    }

    #[test]
    fn id3_tags_are_measured_with_syncsafe_sizes() {
        let tag = [b'I', b'D', b'3', 4, 0, 0, 0, 0, 0x01, 0x7F];
        assert_eq!(id3v2_len(&tag), Some(10 + 255));
        let bad = [b'I', b'D', b'3', 4, 0, 0, 0, 0, 0x80, 0];
        assert_eq!(id3v2_len(&bad), None);
        let mut data = tag.to_vec();
        data.resize(265, 0);
        data.extend_from_slice(b"after");
        assert_eq!(skip_id3v2(&mut Cursor::new(data)), 265);
    }

    #[test]
    fn reads_are_bounded_and_exact() {
        let mut c = Cursor::new(vec![1u8, 2, 3]);
        assert_eq!(read_exact_at(&mut c, 1, 2), Some(vec![2, 3]));
        assert_eq!(read_exact_at(&mut c, 2, 2), None);
        assert_eq!(read_up_to(&mut c, 2, 10), Some(vec![3]));
        assert_eq!(read_up_to(&mut c, 10, 10), Some(vec![]));
    }
}
