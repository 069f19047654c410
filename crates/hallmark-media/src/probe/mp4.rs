//! MP4 (ISO base media): `moov/mvhd` duration, `mvex/mehd` for fragmented files, and the video
//! track's `tkhd` dimensions.

use std::io::{Read, Seek};

use super::bytes::{be_u32, be_u64};
use super::{AvInfo, millis, read_exact_at, stream_len};

/// Most top-level boxes walked looking for `moov`.
const MAX_TOP_LEVEL_BOXES: usize = 4096;
/// Largest `moov` read into memory (a two-hour film's is a few MiB).
const MAX_MOOV_BYTES: u64 = 32 * 1024 * 1024;
/// Most boxes looked at inside one parent.
const MAX_CHILDREN: usize = 4096;

/// Duration and video dimensions of an MP4 file.
pub fn probe<R: Read + Seek>(source: &mut R) -> Option<AvInfo> {
    let len = stream_len(source)?;
    let mut pos = 0u64;
    for _ in 0..MAX_TOP_LEVEL_BOXES {
        let header = read_exact_at(source, pos, 8)?;
        let size32 = be_u32(&header, 0)?;
        let (header_len, size) = match size32 {
            0 => (8, len.checked_sub(pos)?),
            1 => (16, be_u64(&read_exact_at(source, pos + 8, 8)?, 0)?),
            n => (8, u64::from(n)),
        };
        if size < header_len {
            return None;
        }
        if &header[4..8] == b"moov" {
            if size > MAX_MOOV_BYTES {
                return None;
            }
            let body = read_exact_at(
                source,
                pos + header_len,
                usize::try_from(size - header_len).ok()?,
            )?;
            return Some(parse_moov(&body));
        }
        pos = pos.checked_add(size)?;
        if pos >= len {
            return None;
        }
    }
    None
}

/// Child boxes of a box body: `(type, body)`; stops at the first malformed header.
fn boxes(mut data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    std::iter::from_fn(move || {
        let size32 = be_u32(data, 0)?;
        let kind: [u8; 4] = data.get(4..8)?.try_into().ok()?;
        let (header_len, size) = match size32 {
            0 => (8, data.len()),
            1 => (16, usize::try_from(be_u64(data, 8)?).ok()?),
            n => (8, usize::try_from(n).ok()?),
        };
        if size < header_len || size > data.len() {
            return None;
        }
        let body = &data[header_len..size];
        data = &data[size..];
        Some((kind, body))
    })
    .take(MAX_CHILDREN)
}

/// The first child of type `kind`.
fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(data).find(|(k, _)| k == kind).map(|(_, body)| body)
}

fn parse_moov(moov: &[u8]) -> AvInfo {
    let mut info = AvInfo::default();
    if let Some((timescale, duration)) = child(moov, b"mvhd").and_then(mvhd) {
        let duration = match duration {
            0 => child(moov, b"mvex")
                .and_then(|mvex| child(mvex, b"mehd"))
                .and_then(mehd),
            d => Some(d),
        };
        info.duration_ms = duration.and_then(|d| millis(d, u64::from(timescale)));
    }
    let mut fallback = None;
    for (kind, trak) in boxes(moov) {
        if &kind != b"trak" {
            continue;
        }
        let Some((width, height)) = child(trak, b"tkhd").and_then(tkhd_dimensions) else {
            continue;
        };
        let handler = child(trak, b"mdia")
            .and_then(|mdia| child(mdia, b"hdlr"))
            .and_then(|h| h.get(8..12));
        if handler == Some(b"vide") {
            info.width = Some(width);
            info.height = Some(height);
            return info;
        }
        fallback.get_or_insert((width, height));
    }
    if let Some((width, height)) = fallback {
        info.width = Some(width);
        info.height = Some(height);
    }
    info
}

/// `(timescale, duration)` from a movie header; `None` when the duration is unknown (all ones).
fn mvhd(body: &[u8]) -> Option<(u32, u64)> {
    let (timescale, duration) = match body.first()? {
        0 => (be_u32(body, 12)?, u64::from(be_u32(body, 16)?)),
        1 => (be_u32(body, 20)?, be_u64(body, 24)?),
        _ => return None,
    };
    let unknown = duration == u64::MAX || (body[0] == 0 && duration == u64::from(u32::MAX));
    (!unknown).then_some((timescale, duration))
}

/// Fragment duration of a fragmented movie, in movie timescale units.
fn mehd(body: &[u8]) -> Option<u64> {
    match body.first()? {
        0 => be_u32(body, 4).map(u64::from),
        1 => be_u64(body, 4),
        _ => None,
    }
    .filter(|d| *d > 0)
}

/// Nonzero width and height (16.16 fixed point, integer part) from a track header.
fn tkhd_dimensions(body: &[u8]) -> Option<(u32, u32)> {
    let at = match body.first()? {
        0 => 76,
        1 => 88,
        _ => return None,
    };
    let width = be_u32(body, at)? >> 16;
    let height = be_u32(body, at + 4)? >> 16;
    (width > 0 && height > 0).then_some((width, height))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    fn mvhd_v1(timescale: u32, duration: u64) -> Vec<u8> {
        let mut b = vec![1, 0, 0, 0];
        b.extend_from_slice(&[0; 16]);
        b.extend_from_slice(&timescale.to_be_bytes());
        b.extend_from_slice(&duration.to_be_bytes());
        b.resize(112, 0);
        bx(b"mvhd", &b)
    }

    #[test]
    fn version_1_header_and_moov_after_mdat() {
        let mut file = bx(b"ftyp", b"isom\0\0\0\0isom");
        file.extend(bx(b"mdat", &[0; 1000]));
        file.extend(bx(b"moov", &mvhd_v1(90_000, 90_000 * 65)));
        let info = probe(&mut Cursor::new(file)).unwrap();
        assert_eq!(info.duration_ms, Some(65_000));
        assert_eq!(info.width, None);
    }

    #[test]
    fn huge_declared_sizes_are_refused_without_allocating() {
        let mut file = bx(b"ftyp", b"isom\0\0\0\0isom");
        file.extend_from_slice(&1u32.to_be_bytes());
        file.extend_from_slice(b"moov");
        file.extend_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(probe(&mut Cursor::new(file)), None);
    }
}
