//! WebM (EBML/Matroska): the EBML header's DocType, Segment Info's TimecodeScale and Duration,
//! and the first video track's PixelWidth/PixelHeight.

use std::io::{Read, Seek};

use super::{AvInfo, read_exact_at, read_up_to, stream_len};

/// EBML header element.
pub(crate) const EBML: u32 = 0x1A45_DFA3;
const DOC_TYPE: u32 = 0x4282;
const SEGMENT: u32 = 0x1853_8067;
const INFO: u32 = 0x1549_A966;
const TIMECODE_SCALE: u32 = 0x2A_D7B1;
const DURATION: u32 = 0x4489;
const TRACKS: u32 = 0x1654_AE6B;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_TYPE: u32 = 0x83;
const VIDEO: u32 = 0xE0;
const PIXEL_WIDTH: u32 = 0xB0;
const PIXEL_HEIGHT: u32 = 0xBA;
const CLUSTER: u32 = 0x1F43_B675;

/// Most Segment children walked.
const MAX_SEGMENT_CHILDREN: usize = 512;
/// Most bytes of one master element (Info, Tracks) read into memory.
const MAX_MASTER_BYTES: u64 = 4 * 1024 * 1024;
/// Most elements looked at inside one master element.
const MAX_CHILDREN: usize = 4096;

/// An element header: id (with its length marker), size (`None` = unknown), header length.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ElementHeader {
    /// The element id.
    pub(crate) id: u32,
    /// The body size; `None` when the size is "unknown" (all ones).
    pub(crate) size: Option<u64>,
    /// Bytes of id plus size.
    pub(crate) header_len: usize,
}

/// Reads an element header at the start of `b`.
pub(crate) fn element_header(b: &[u8]) -> Option<ElementHeader> {
    let first = *b.first()?;
    let id_len = first.leading_zeros() as usize + 1;
    if id_len > 4 {
        return None;
    }
    let id = b
        .get(..id_len)?
        .iter()
        .fold(0u32, |acc, &x| (acc << 8) | u32::from(x));
    let size_first = *b.get(id_len)?;
    let size_len = size_first.leading_zeros() as usize + 1;
    if size_len > 8 {
        return None;
    }
    let raw = b.get(id_len..id_len + size_len)?;
    let mask = if size_len == 8 { 0 } else { 0xFFu8 >> size_len };
    let mut size = u64::from(raw[0] & mask);
    let mut all_ones = raw[0] & mask == mask;
    for &x in &raw[1..] {
        size = (size << 8) | u64::from(x);
        all_ones &= x == 0xFF;
    }
    Some(ElementHeader {
        id,
        size: (!all_ones).then_some(size),
        header_len: id_len + size_len,
    })
}

/// Child elements of a master element body: `(id, body)`; stops at anything malformed.
pub(crate) fn children(mut data: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    std::iter::from_fn(move || {
        let header = element_header(data)?;
        let size = usize::try_from(header.size?).ok()?;
        let end = header.header_len.checked_add(size)?;
        let body = data.get(header.header_len..end)?;
        data = &data[end..];
        Some((header.id, body))
    })
    .take(MAX_CHILDREN)
}

/// The DocType (`webm`, `matroska`) of an EBML header at the start of `head`.
pub(crate) fn doc_type(head: &[u8]) -> Option<String> {
    let header = element_header(head)?;
    if header.id != EBML {
        return None;
    }
    let end = head.len().min(
        header
            .header_len
            .saturating_add(usize::try_from(header.size?).ok()?),
    );
    let body = head.get(header.header_len..end)?;
    children(body)
        .find(|(id, _)| *id == DOC_TYPE)
        .map(|(_, value)| {
            String::from_utf8_lossy(value)
                .trim_end_matches('\0')
                .to_owned()
        })
}

fn uint(b: &[u8]) -> Option<u64> {
    (b.len() <= 8).then(|| b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
}

fn float(b: &[u8]) -> Option<f64> {
    match b.len() {
        4 => Some(f64::from(f32::from_be_bytes(b.try_into().ok()?))),
        8 => Some(f64::from_be_bytes(b.try_into().ok()?)),
        _ => None,
    }
}

/// Duration and the first video track's dimensions of a WebM file.
pub fn probe<R: Read + Seek>(source: &mut R) -> Option<AvInfo> {
    let len = stream_len(source)?;
    let ebml = element_header(&read_up_to(source, 0, 12)?)?;
    if ebml.id != EBML {
        return None;
    }
    let segment_at = (ebml.header_len as u64).checked_add(ebml.size?)?;
    let segment = element_header(&read_up_to(source, segment_at, 12)?)?;
    if segment.id != SEGMENT {
        return None;
    }
    let start = segment_at + segment.header_len as u64;
    let end = segment
        .size
        .map_or(len, |s| start.saturating_add(s).min(len));

    let mut info = AvInfo::default();
    let mut seen_info = false;
    let mut seen_tracks = false;
    let mut pos = start;
    for _ in 0..MAX_SEGMENT_CHILDREN {
        if pos >= end || (seen_info && seen_tracks) {
            break;
        }
        let Some(header) = read_up_to(source, pos, 12).and_then(|b| element_header(&b)) else {
            break;
        };
        let body_at = pos + header.header_len as u64;
        match (header.id, header.size) {
            (INFO | TRACKS, Some(size)) if size <= MAX_MASTER_BYTES => {
                let body = read_exact_at(source, body_at, usize::try_from(size).ok()?)?;
                if header.id == INFO {
                    info.duration_ms = segment_duration(&body);
                    seen_info = true;
                } else {
                    if let Some((w, h)) = video_dimensions(&body) {
                        info.width = Some(w);
                        info.height = Some(h);
                    }
                    seen_tracks = true;
                }
            }
            (CLUSTER, None) | (_, None) => break,
            _ => {}
        }
        let Some(size) = header.size else { break };
        pos = body_at.saturating_add(size);
    }
    Some(info)
}

/// Segment duration in milliseconds from an Info body (TimecodeScale defaults to 1 ms).
fn segment_duration(info: &[u8]) -> Option<u64> {
    let mut scale_ns = 1_000_000u64;
    let mut duration = None;
    for (id, value) in children(info) {
        match id {
            TIMECODE_SCALE => scale_ns = uint(value).filter(|s| *s > 0)?,
            DURATION => duration = float(value),
            _ => {}
        }
    }
    let ms = duration? * scale_ns as f64 / 1_000_000.0;
    (ms.is_finite() && ms >= 0.0 && ms <= super::MAX_PLAUSIBLE_MS as f64).then(|| ms.round() as u64)
}

/// PixelWidth/PixelHeight of the first video track (TrackType 1) in a Tracks body.
fn video_dimensions(tracks: &[u8]) -> Option<(u32, u32)> {
    children(tracks)
        .filter(|(id, _)| *id == TRACK_ENTRY)
        .find_map(|(_, entry)| {
            let is_video = children(entry).any(|(id, v)| id == TRACK_TYPE && uint(v) == Some(1));
            let video = children(entry).find(|(id, _)| *id == VIDEO)?.1;
            let mut width = None;
            let mut height = None;
            for (id, v) in children(video) {
                match id {
                    PIXEL_WIDTH => width = uint(v).and_then(|w| u32::try_from(w).ok()),
                    PIXEL_HEIGHT => height = uint(v).and_then(|h| u32::try_from(h).ok()),
                    _ => {}
                }
            }
            is_video.then_some((width.filter(|w| *w > 0)?, height.filter(|h| *h > 0)?))
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn element_headers_decode_ids_sizes_and_unknown_sizes() {
        let h = element_header(&[0x1A, 0x45, 0xDF, 0xA3, 0x9F]).unwrap();
        assert_eq!((h.id, h.size, h.header_len), (EBML, Some(0x1F), 5));
        let h = element_header(&[
            0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        ])
        .unwrap();
        assert_eq!(h.size, None);
        assert!(element_header(&[0x00, 0x80]).is_none());
    }

    #[test]
    fn doc_type_is_read() {
        let head = [
            0x1A, 0x45, 0xDF, 0xA3, 0x87, 0x42, 0x82, 0x84, b'w', b'e', b'b', b'm',
        ];
        assert_eq!(doc_type(&head).as_deref(), Some("webm"));
        assert!(probe(&mut Cursor::new(head.to_vec())).is_none());
    }
}
