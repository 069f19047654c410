//! Ogg: the codec's rate from the first packet (Vorbis, Opus, FLAC) and the granule position
//! of the stream's last page.

use std::io::{Read, Seek};

use super::bytes::{le_u16, le_u32, le_u64};
use super::flac::STREAMINFO_LEN;
use super::{AvInfo, millis, read_up_to, stream_len};

/// Bytes of a page header before the segment table.
const PAGE_HEADER: usize = 27;
/// The largest possible page: header, 255 lacing values, 255 × 255 body bytes.
const MAX_PAGE: usize = PAGE_HEADER + 255 + 255 * 255;

/// A parsed page header.
#[derive(Debug, Clone, Copy)]
struct Page {
    granule: u64,
    serial: u32,
    /// Header plus segment table.
    header_len: usize,
    /// Sum of the lacing values.
    body_len: usize,
}

fn page(b: &[u8]) -> Option<Page> {
    if b.get(..4)? != b"OggS" || *b.get(4)? != 0 {
        return None;
    }
    let segments = usize::from(*b.get(26)?);
    let table = b.get(PAGE_HEADER..PAGE_HEADER + segments)?;
    Some(Page {
        granule: le_u64(b, 6)?,
        serial: le_u32(b, 14)?,
        header_len: PAGE_HEADER + segments,
        body_len: table.iter().map(|&x| usize::from(x)).sum(),
    })
}

/// How to turn a granule position into time: it counts samples at `rate`, the first
/// `pre_skip` of which are priming and do not play.
struct Clock {
    rate: u64,
    pre_skip: u64,
}

/// Duration of an Ogg Vorbis, Opus or FLAC stream (the first logical stream).
pub fn probe<R: Read + Seek>(source: &mut R) -> Option<AvInfo> {
    let len = stream_len(source)?;
    let head = read_up_to(source, 0, MAX_PAGE)?;
    let first = page(&head)?;
    let packet = head.get(first.header_len..first.header_len + first.body_len)?;
    let clock = identify(packet)?;

    let tail_len = usize::try_from(len.min(MAX_PAGE as u64 + 4)).ok()?;
    let tail_at = len - tail_len as u64;
    let tail = read_up_to(source, tail_at, tail_len)?;
    let granule = (0..tail.len().saturating_sub(PAGE_HEADER - 1))
        .rev()
        .find_map(|i| {
            let p = page(&tail[i..])?;
            // -1 means "no packet ends on this page".
            (p.serial == first.serial && p.granule != u64::MAX && p.granule < 1 << 62)
                .then_some(p.granule)
        })?;
    Some(AvInfo::duration(millis(
        granule.saturating_sub(clock.pre_skip),
        clock.rate,
    )))
}

/// The clock of the codec whose identification packet is `packet`.
fn identify(packet: &[u8]) -> Option<Clock> {
    if packet.starts_with(b"\x01vorbis") {
        let rate = le_u32(packet, 12)?;
        return Some(Clock {
            rate: u64::from(rate),
            pre_skip: 0,
        });
    }
    if packet.starts_with(b"OpusHead") {
        // Opus granules always count 48 kHz samples, whatever the input rate was.
        let pre_skip = le_u16(packet, 10)?;
        return Some(Clock {
            rate: 48_000,
            pre_skip: u64::from(pre_skip),
        });
    }
    if packet.starts_with(b"\x7FFLAC") && packet.get(9..13) == Some(b"fLaC") {
        let info = packet.get(17..17 + STREAMINFO_LEN)?;
        let b = info.get(10..13)?;
        let rate = (u64::from(b[0]) << 12) | (u64::from(b[1]) << 4) | (u64::from(b[2]) >> 4);
        // STREAMINFO's total may be 0 (unknown) in Ogg: the last granule is authoritative.
        return Some(Clock { rate, pre_skip: 0 });
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn page_bytes(serial: u32, granule: u64, body: &[u8]) -> Vec<u8> {
        let mut v = b"OggS\0\x02".to_vec();
        v.extend_from_slice(&granule.to_le_bytes());
        v.extend_from_slice(&serial.to_le_bytes());
        v.extend_from_slice(&0u32.to_le_bytes());
        v.extend_from_slice(&0u32.to_le_bytes());
        v.push(1);
        v.push(u8::try_from(body.len()).unwrap());
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn opus_duration_subtracts_pre_skip() {
        let mut head = b"OpusHead\x01\x02".to_vec();
        head.extend_from_slice(&312u16.to_le_bytes());
        head.extend_from_slice(&48_000u32.to_le_bytes());
        head.extend_from_slice(&[0, 0, 0]);
        let mut file = page_bytes(7, 0, &head);
        file.extend(page_bytes(7, 48_000 * 2 + 312, b"audio"));
        file.extend(page_bytes(9, 999_999_999, b"other stream"));
        let info = probe(&mut Cursor::new(file)).unwrap();
        assert_eq!(info.duration_ms, Some(2000));
    }
}
