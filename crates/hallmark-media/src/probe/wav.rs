//! WAV: the `fmt ` chunk's byte rate and the `data` chunk's size.

use std::io::{Read, Seek};

use super::bytes::{le_u16, le_u32};
use super::{AvInfo, millis, read_exact_at, stream_len};

/// Most chunks walked before giving up.
const MAX_CHUNKS: usize = 1024;

/// Duration of a RIFF WAVE file: data bytes divided by the byte rate.
pub fn probe<R: Read + Seek>(source: &mut R) -> Option<AvInfo> {
    let len = stream_len(source)?;
    let riff = read_exact_at(source, 0, 12)?;
    if &riff[..4] != b"RIFF" || &riff[8..12] != b"WAVE" {
        return None;
    }
    let mut byte_rate = None;
    let mut data_size = None;
    let mut pos = 12u64;
    for _ in 0..MAX_CHUNKS {
        let Some(header) = read_exact_at(source, pos, 8) else {
            break;
        };
        let size = le_u32(&header, 4)?;
        let body = pos + 8;
        match &header[..4] {
            b"fmt " => {
                let fmt = read_exact_at(source, body, 16)?;
                let channels = le_u16(&fmt, 2)?;
                let sample_rate = le_u32(&fmt, 4)?;
                let declared = le_u32(&fmt, 8)?;
                let block_align = le_u16(&fmt, 12)?;
                // Some writers leave the byte rate empty; it is derivable.
                byte_rate = Some(if declared != 0 {
                    u64::from(declared)
                } else {
                    u64::from(sample_rate) * u64::from(block_align.max(channels))
                });
            }
            b"data" => {
                // Streaming writers put 0 or 0xFFFFFFFF here; truncated files claim more than
                // they hold: the bytes actually present are what plays.
                let present = len.saturating_sub(body);
                let declared = u64::from(size);
                data_size = Some(if declared == 0 || declared == u64::from(u32::MAX) {
                    present
                } else {
                    declared.min(present)
                });
            }
            _ => {}
        }
        if byte_rate.is_some() && data_size.is_some() {
            break;
        }
        pos = body + u64::from(size) + u64::from(size & 1);
    }
    Some(AvInfo::duration(millis(data_size?, byte_rate?)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn wav(sample_rate: u32, channels: u16, data_len: u32, declared: u32) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(b"RIFF");
        v.extend_from_slice(&(36 + data_len).to_le_bytes());
        v.extend_from_slice(b"WAVEfmt ");
        v.extend_from_slice(&16u32.to_le_bytes());
        v.extend_from_slice(&1u16.to_le_bytes());
        v.extend_from_slice(&channels.to_le_bytes());
        v.extend_from_slice(&sample_rate.to_le_bytes());
        v.extend_from_slice(&(sample_rate * u32::from(channels) * 2).to_le_bytes());
        v.extend_from_slice(&(channels * 2).to_le_bytes());
        v.extend_from_slice(&16u16.to_le_bytes());
        v.extend_from_slice(b"data");
        v.extend_from_slice(&declared.to_le_bytes());
        v.resize(v.len() + data_len as usize, 0);
        v
    }

    #[test]
    fn duration_from_byte_rate() {
        let info = probe(&mut Cursor::new(wav(8000, 1, 8000, 8000))).unwrap();
        assert_eq!(info.duration_ms, Some(500));
        assert!(!info.duration_estimated);
    }

    #[test]
    fn truncated_and_streaming_sizes_use_the_bytes_present() {
        let info = probe(&mut Cursor::new(wav(8000, 2, 16000, 1_000_000))).unwrap();
        assert_eq!(info.duration_ms, Some(500));
        let info = probe(&mut Cursor::new(wav(8000, 2, 16000, u32::MAX))).unwrap();
        assert_eq!(info.duration_ms, Some(500));
    }

    #[test]
    fn not_wave_is_none() {
        assert_eq!(
            probe(&mut Cursor::new(b"RIFF\0\0\0\0WEBPVP8 ".to_vec())),
            None
        );
    }
}
