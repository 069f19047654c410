//! MPEG audio (MP3): frame headers, Xing/Info/VBRI frame counts, else a bitrate estimate.

use std::io::{Read, Seek};

use super::bytes::{array, be_u32};
use super::{AvInfo, millis, read_exact_at, read_up_to, skip_id3v2, stream_len};

/// How far past the ID3 tag the first frame is searched for.
const SYNC_SEARCH: usize = 64 * 1024;

/// MPEG version of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    /// MPEG-1.
    Mpeg1,
    /// MPEG-2 (low sample rates).
    Mpeg2,
    /// MPEG-2.5 (unofficial, very low sample rates).
    Mpeg25,
}

/// A decoded 4-byte MPEG audio frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FrameHeader {
    /// MPEG version.
    pub(crate) version: Version,
    /// Layer 1, 2 or 3.
    pub(crate) layer: u8,
    /// Bits per second.
    pub(crate) bitrate: u32,
    /// Samples per second.
    pub(crate) sample_rate: u32,
    /// Whether the channel mode is mono.
    pub(crate) mono: bool,
    /// Frame length in bytes, header included.
    pub(crate) frame_len: usize,
}

impl FrameHeader {
    /// Decodes a frame header; `None` unless every field is valid (free-format bitrates are
    /// refused: their frame length is unknown).
    pub(crate) fn parse(b: [u8; 4]) -> Option<Self> {
        if b[0] != 0xFF || b[1] & 0xE0 != 0xE0 {
            return None;
        }
        let version = match (b[1] >> 3) & 3 {
            0 => Version::Mpeg25,
            2 => Version::Mpeg2,
            3 => Version::Mpeg1,
            _ => return None,
        };
        let layer = match (b[1] >> 1) & 3 {
            1 => 3,
            2 => 2,
            3 => 1,
            _ => return None,
        };
        let bitrate_index = usize::from(b[2] >> 4);
        let rate_index = usize::from((b[2] >> 2) & 3);
        if bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 || b[3] & 3 == 2 {
            return None;
        }
        const V1: [[u32; 14]; 3] = [
            [
                32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
            ],
            [
                32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
            ],
            [
                32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
            ],
        ];
        const V2_L1: [u32; 14] = [
            32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
        ];
        const V2_L23: [u32; 14] = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
        let kbps = match (version, layer) {
            (Version::Mpeg1, l) => V1[usize::from(l) - 1][bitrate_index - 1],
            (_, 1) => V2_L1[bitrate_index - 1],
            _ => V2_L23[bitrate_index - 1],
        };
        let sample_rate = match version {
            Version::Mpeg1 => [44_100, 48_000, 32_000][rate_index],
            Version::Mpeg2 => [22_050, 24_000, 16_000][rate_index],
            Version::Mpeg25 => [11_025, 12_000, 8_000][rate_index],
        };
        let bitrate = kbps * 1000;
        let padding = u32::from((b[2] >> 1) & 1);
        let frame_len = match (layer, version) {
            (1, _) => (12 * bitrate / sample_rate + padding) * 4,
            (3, Version::Mpeg2 | Version::Mpeg25) => 72 * bitrate / sample_rate + padding,
            _ => 144 * bitrate / sample_rate + padding,
        };
        Some(Self {
            version,
            layer,
            bitrate,
            sample_rate,
            mono: b[3] >> 6 == 3,
            frame_len: usize::try_from(frame_len).ok()?,
        })
    }

    /// Samples each frame decodes to.
    pub(crate) fn samples_per_frame(&self) -> u32 {
        match (self.layer, self.version) {
            (1, _) => 384,
            (3, Version::Mpeg2 | Version::Mpeg25) => 576,
            _ => 1152,
        }
    }

    /// Offset of a Xing/Info tag inside the frame: after the header and the side information.
    fn xing_offset(&self) -> usize {
        4 + match (self.version, self.mono) {
            (Version::Mpeg1, false) => 32,
            (Version::Mpeg1, true) => 17,
            (_, false) => 17,
            (_, true) => 9,
        }
    }
}

/// Index of the first frame in `data` that is followed by a consistent second frame (or by the
/// end of `data`, for files shorter than two frames).
pub(crate) fn find_frame(data: &[u8]) -> Option<(usize, FrameHeader)> {
    (0..data.len().saturating_sub(3)).find_map(|i| {
        let header = FrameHeader::parse(array(data, i)?)?;
        let next = i + header.frame_len;
        if next + 4 <= data.len() {
            let second = FrameHeader::parse(array(data, next)?)?;
            if second.version != header.version || second.layer != header.layer {
                return None;
            }
        }
        Some((i, header))
    })
}

/// Whether `head` starts with a valid MPEG audio frame (confirmed by the next frame when `head`
/// is long enough to hold it).
pub(crate) fn starts_with_frame(head: &[u8]) -> bool {
    let Some(first) = array(head, 0).and_then(FrameHeader::parse) else {
        return false;
    };
    match array(head, first.frame_len) {
        Some(next) => FrameHeader::parse(next)
            .is_some_and(|second| second.version == first.version && second.layer == first.layer),
        None => true,
    }
}

/// Duration of an MP3: exact from a Xing/Info or VBRI frame count, else estimated from the
/// first frame's bitrate and the audio byte count.
pub fn probe<R: Read + Seek>(source: &mut R) -> Option<AvInfo> {
    let len = stream_len(source)?;
    let tag_end = skip_id3v2(source);
    let window = read_up_to(source, tag_end, SYNC_SEARCH)?;
    let (offset, header) = find_frame(&window)?;
    let audio_start = tag_end + offset as u64;
    let frame = &window[offset..window.len().min(offset + header.frame_len.max(48))];
    if let Some(frames) = vbr_frame_count(frame, &header) {
        let samples = u64::from(frames) * u64::from(header.samples_per_frame());
        return Some(AvInfo::duration(millis(
            samples,
            u64::from(header.sample_rate),
        )));
    }
    let has_id3v1 = len >= audio_start + 128
        && read_exact_at(source, len - 128, 3).as_deref() == Some(b"TAG".as_slice());
    let id3v1 = if has_id3v1 { 128 } else { 0 };
    let audio_bytes = len.saturating_sub(audio_start).saturating_sub(id3v1);
    Some(AvInfo {
        duration_ms: millis(audio_bytes * 8, u64::from(header.bitrate)),
        duration_estimated: true,
        ..AvInfo::default()
    })
}

/// The frame count of a Xing/Info or VBRI header in the first frame, if it has one.
fn vbr_frame_count(frame: &[u8], header: &FrameHeader) -> Option<u32> {
    let xing = header.xing_offset();
    if let Some(tag) = frame.get(xing..xing + 4)
        && (tag == b"Xing" || tag == b"Info")
    {
        let flags = be_u32(frame, xing + 4)?;
        return if flags & 1 != 0 {
            be_u32(frame, xing + 8).filter(|n| *n > 0)
        } else {
            None
        };
    }
    // VBRI: always 32 bytes after the header; id, version, delay, quality, bytes, frames.
    if frame.get(36..40) == Some(b"VBRI") {
        return be_u32(frame, 36 + 14).filter(|n| *n > 0);
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// MPEG-1 layer III, 128 kbit/s, 44.1 kHz, stereo, no padding: 417-byte frames.
    const HEADER: [u8; 4] = [0xFF, 0xFB, 0x90, 0x00];

    fn cbr(frames: usize) -> Vec<u8> {
        let mut v = Vec::new();
        for _ in 0..frames {
            v.extend_from_slice(&HEADER);
            v.resize(v.len() + 413, 0);
        }
        v
    }

    #[test]
    fn header_fields() {
        let h = FrameHeader::parse(HEADER).unwrap();
        assert_eq!(
            (h.bitrate, h.sample_rate, h.layer, h.frame_len),
            (128_000, 44_100, 3, 417)
        );
        assert_eq!(h.samples_per_frame(), 1152);
        assert!(FrameHeader::parse([0xFF, 0xFB, 0xF0, 0]).is_none());
        assert!(FrameHeader::parse([0xFF, 0xE9, 0x90, 0]).is_none()); // reserved version
    }

    #[test]
    fn cbr_is_estimated_from_bitrate() {
        let info = probe(&mut Cursor::new(cbr(100))).unwrap();
        assert!(info.duration_estimated);
        // 41 700 bytes at 16 000 bytes/s
        assert_eq!(info.duration_ms, Some(2606));
    }

    #[test]
    fn xing_frame_count_is_exact() {
        let mut v = cbr(10);
        v[36..40].copy_from_slice(b"Xing");
        v[40..44].copy_from_slice(&1u32.to_be_bytes());
        v[44..48].copy_from_slice(&383u32.to_be_bytes());
        let info = probe(&mut Cursor::new(v)).unwrap();
        assert!(!info.duration_estimated);
        assert_eq!(info.duration_ms, Some(383 * 1152 * 1000 / 44_100));
    }

    #[test]
    fn a_lone_sync_word_followed_by_garbage_is_not_a_frame() {
        let mut v = HEADER.to_vec();
        v.resize(417, 0);
        v.extend_from_slice(b"garbage!");
        assert!(!starts_with_frame(&v));
        assert!(starts_with_frame(&cbr(3)));
    }
}
