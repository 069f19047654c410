//! FLAC: sample rate and total samples from the STREAMINFO block.

use std::io::{Read, Seek};

use super::bytes::{array, be_u32};
use super::{AvInfo, millis, read_exact_at, skip_id3v2};

/// Length of a STREAMINFO block body.
pub(crate) const STREAMINFO_LEN: usize = 34;

/// Duration of a native FLAC stream (an ID3v2 tag in front is skipped).
pub fn probe<R: Read + Seek>(source: &mut R) -> Option<AvInfo> {
    let start = skip_id3v2(source);
    let head = read_exact_at(source, start, 8 + STREAMINFO_LEN)?;
    if &head[..4] != b"fLaC" {
        return None;
    }
    // Metadata block header: 1 bit last-block flag, 7 bits type (0 = STREAMINFO), 24 bits length.
    if head[4] & 0x7F != 0 || be_u32(&head, 4)? & 0x00FF_FFFF != STREAMINFO_LEN as u32 {
        return None;
    }
    Some(AvInfo::duration(streaminfo_duration(&head[8..])))
}

/// Duration from a STREAMINFO body; `None` when the rate or the sample count is unknown (0).
pub(crate) fn streaminfo_duration(info: &[u8]) -> Option<u64> {
    let b: [u8; 8] = array(info, 10)?;
    // 20 bits sample rate, 3 bits channels, 5 bits bits-per-sample, 36 bits total samples.
    let sample_rate = (u64::from(b[0]) << 12) | (u64::from(b[1]) << 4) | (u64::from(b[2]) >> 4);
    let total =
        (u64::from(b[3] & 0x0F) << 32) | u64::from(u32::from_be_bytes([b[4], b[5], b[6], b[7]]));
    if total == 0 {
        return None;
    }
    millis(total, sample_rate)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Cursor;

    pub(crate) fn streaminfo(sample_rate: u32, total: u64) -> [u8; STREAMINFO_LEN] {
        let mut s = [0u8; STREAMINFO_LEN];
        s[0..2].copy_from_slice(&4096u16.to_be_bytes());
        s[2..4].copy_from_slice(&4096u16.to_be_bytes());
        let packed: u64 = (u64::from(sample_rate) << 44) | (1u64 << 41) | (15u64 << 36) | total;
        s[10..18].copy_from_slice(&packed.to_be_bytes());
        s
    }

    #[test]
    fn duration_from_streaminfo() {
        let mut v = b"fLaC".to_vec();
        v.extend_from_slice(&[0x80, 0, 0, 34]);
        v.extend_from_slice(&streaminfo(44_100, 44_100 * 3));
        assert_eq!(probe(&mut Cursor::new(v)).unwrap().duration_ms, Some(3000));
    }

    #[test]
    fn unknown_total_is_none() {
        let mut v = b"fLaC".to_vec();
        v.extend_from_slice(&[0x80, 0, 0, 34]);
        v.extend_from_slice(&streaminfo(44_100, 0));
        assert_eq!(probe(&mut Cursor::new(v)).unwrap().duration_ms, None);
    }
}
