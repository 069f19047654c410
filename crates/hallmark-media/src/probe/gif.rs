//! GIF: counts frames by walking the block structure, without decoding any pixels.

use std::io::{self, Read};

/// What the block walk found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GifScan {
    /// Logical screen width.
    pub width: u32,
    /// Logical screen height.
    pub height: u32,
    /// Image descriptors seen (stops counting just past `stop_after`).
    pub frames: u32,
}

/// Walks a GIF's blocks and counts its frames, stopping as soon as the count exceeds
/// `stop_after`. A missing trailer or stray bytes after at least one frame are tolerated (common
/// in the wild); truncation and anything malformed before that is an error naming the problem.
pub fn count_frames<R: Read>(source: R, stop_after: u32) -> Result<GifScan, String> {
    let mut r = io::BufReader::with_capacity(64 * 1024, source);
    let mut header = [0u8; 13];
    r.read_exact(&mut header)
        .map_err(|_| "the GIF header is truncated".to_owned())?;
    if &header[..6] != b"GIF87a" && &header[..6] != b"GIF89a" {
        return Err("not a GIF header".to_owned());
    }
    let width = u32::from(u16::from_le_bytes([header[6], header[7]]));
    let height = u32::from(u16::from_le_bytes([header[8], header[9]]));
    skip_color_table(&mut r, header[10])?;
    let mut frames = 0u32;
    loop {
        let mut introducer = [0u8; 1];
        if r.read(&mut introducer).map_err(|e| e.to_string())? == 0 {
            if frames == 0 {
                return Err("the GIF ends before its first frame".to_owned());
            }
            break;
        }
        match introducer[0] {
            0x21 => {
                let mut label = [0u8; 1];
                r.read_exact(&mut label).map_err(|_| truncated())?;
                skip_sub_blocks(&mut r)?;
            }
            0x2C => {
                let mut descriptor = [0u8; 9];
                r.read_exact(&mut descriptor).map_err(|_| truncated())?;
                skip_color_table(&mut r, descriptor[8])?;
                let mut lzw_min = [0u8; 1];
                r.read_exact(&mut lzw_min).map_err(|_| truncated())?;
                skip_sub_blocks(&mut r)?;
                frames += 1;
                if frames > stop_after {
                    break;
                }
            }
            0x3B => break,
            // Stray bytes after the last frame are common and harmless: the animation is over.
            _ if frames > 0 => break,
            other => return Err(format!("unexpected GIF block 0x{other:02X}")),
        }
    }
    Ok(GifScan {
        width,
        height,
        frames,
    })
}

fn truncated() -> String {
    "the GIF is truncated".to_owned()
}

/// Skips the color table a packed flags byte announces.
fn skip_color_table<R: Read>(r: &mut R, packed: u8) -> Result<(), String> {
    if packed & 0x80 != 0 {
        let len = 3u64 << ((packed & 7) + 1);
        skip(r, len)?;
    }
    Ok(())
}

/// Skips data sub-blocks up to the zero-length terminator.
fn skip_sub_blocks<R: Read>(r: &mut R) -> Result<(), String> {
    loop {
        let mut len = [0u8; 1];
        r.read_exact(&mut len).map_err(|_| truncated())?;
        if len[0] == 0 {
            return Ok(());
        }
        skip(r, u64::from(len[0]))?;
    }
}

fn skip<R: Read>(r: &mut R, len: u64) -> Result<(), String> {
    let skipped = io::copy(&mut r.take(len), &mut io::sink()).map_err(|e| e.to_string())?;
    if skipped == len {
        Ok(())
    } else {
        Err(truncated())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn gif(frames: usize, trailer: bool) -> Vec<u8> {
        let mut v = b"GIF89a".to_vec();
        v.extend_from_slice(&[2, 0, 3, 0, 0x80, 0, 0]);
        v.extend_from_slice(&[0; 6]);
        for _ in 0..frames {
            v.extend_from_slice(&[0x21, 0xF9, 4, 0, 10, 0, 0, 0]);
            v.extend_from_slice(&[0x2C, 0, 0, 0, 0, 2, 0, 3, 0, 0, 2, 2, 0x44, 0x01, 0]);
        }
        if trailer {
            v.push(0x3B);
        }
        v
    }

    #[test]
    fn counts_frames_and_stops_early() {
        let scan = count_frames(gif(5, true).as_slice(), 100).unwrap();
        assert_eq!(
            scan,
            GifScan {
                width: 2,
                height: 3,
                frames: 5
            }
        );
        assert_eq!(count_frames(gif(5, true).as_slice(), 2).unwrap().frames, 3);
        assert_eq!(
            count_frames(gif(2, false).as_slice(), 100).unwrap().frames,
            2
        );
    }

    #[test]
    fn truncation_is_an_error() {
        let mut v = gif(1, true);
        v.truncate(v.len() - 4);
        assert!(count_frames(v.as_slice(), 100).is_err());
        assert!(count_frames(gif(0, false).as_slice(), 100).is_err());
    }
}
