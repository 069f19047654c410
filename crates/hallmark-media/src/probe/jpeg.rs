//! JPEG: walks the marker structure up to the end-of-image marker, without decoding any pixels.
//!
//! The decoder fills whatever a truncated JPEG is missing (grey or repeated blocks) and reports
//! success, so ingest walks the segments first: a JPEG is complete only if its last scan is
//! followed by an end-of-image marker (`FF D9`). Bytes after that marker (an appended archive,
//! padding, a second picture as phones write them) are legal and not part of the image.

use std::io::{self, BufRead, Read};

/// What the marker walk found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegScan {
    /// Start-of-scan segments seen (one for a baseline JPEG, several for a progressive one).
    pub scans: u32,
    /// Bytes of entropy-coded data in all the scans (stuffed zero bytes and restart markers
    /// included; segment headers, tables and metadata excluded).
    pub entropy_bytes: u64,
    /// Offset just past the end-of-image marker.
    pub end: u64,
}

/// Walks a JPEG from its start-of-image marker through its segments (following their lengths,
/// so markers inside metadata such as an EXIF thumbnail are skipped) and the entropy-coded data
/// of each scan, to the end-of-image marker. A file that ends before that marker, or that has
/// no scan, is an error naming the problem. Reads each byte at most once, in 64 KiB pieces;
/// stray bytes between segments are skipped as the reference decoder does.
pub fn walk<R: Read>(source: R) -> Result<JpegScan, String> {
    let mut r = Walker {
        r: io::BufReader::with_capacity(64 * 1024, source),
        pos: 0,
    };
    if r.byte()? != Some(0xFF) || r.byte()? != Some(0xD8) {
        return Err("there is no start-of-image marker".to_owned());
    }
    let mut scan = JpegScan {
        scans: 0,
        entropy_bytes: 0,
        end: 0,
    };
    let mut marker = r.marker()?;
    loop {
        match marker {
            0xD9 if scan.scans == 0 => {
                return Err("the end-of-image marker comes before any image data".to_owned());
            }
            0xD9 => {
                scan.end = r.pos;
                return Ok(scan);
            }
            // Markers without a length: start of image, TEM, restart markers.
            0x01 | 0xD0..=0xD8 => marker = r.marker()?,
            _ => {
                let len = r.be_u16()?;
                if len < 2 {
                    return Err(format!("segment 0x{marker:02X} has length {len}"));
                }
                r.skip(u64::from(len) - 2)?;
                marker = if marker == 0xDA {
                    scan.scans += 1;
                    let (bytes, next) = r.entropy_data()?;
                    scan.entropy_bytes += bytes;
                    next
                } else {
                    r.marker()?
                };
            }
        }
    }
}

/// The fewest bytes of entropy-coded data a complete `width`×`height` JPEG can have: every DC
/// scan codes each 8×8 block of the full-resolution component in at least one bit (the
/// shortest Huffman code; a baseline scan needs two, DC and end-of-block), so a JPEG carries at
/// most 512 pixels per byte of scan data. A file with less declares pixels it cannot hold
/// (the decoder would invent them). Real encoders stay far below: a flat white 4000×4000
/// greyscale JPEG from libjpeg at its smallest, 255 pixels per byte; flat colour, 64 (libjpeg,
/// 4:2:0) and 37 (the `image` crate); photos and screenshots, 5–10.
pub fn least_entropy_bytes(width: u32, height: u32) -> u64 {
    let blocks = u64::from(width.div_ceil(8)) * u64::from(height.div_ceil(8));
    blocks.div_ceil(8)
}

fn truncated() -> String {
    "the file ends before the end-of-image marker".to_owned()
}

fn truncated_scan() -> String {
    "the file ends inside the image data, before the end-of-image marker".to_owned()
}

struct Walker<R> {
    r: io::BufReader<R>,
    /// Bytes consumed so far.
    pos: u64,
}

impl<R: Read> Walker<R> {
    /// The next byte, `None` at the end of the file.
    fn byte(&mut self) -> Result<Option<u8>, String> {
        let buf = self.r.fill_buf().map_err(|e| e.to_string())?;
        let Some(&b) = buf.first() else {
            return Ok(None);
        };
        self.consume(1);
        Ok(Some(b))
    }

    fn consume(&mut self, n: usize) {
        self.r.consume(n);
        self.pos += n as u64;
    }

    fn be_u16(&mut self) -> Result<u16, String> {
        let hi = self.byte()?.ok_or_else(truncated)?;
        let lo = self.byte()?.ok_or_else(truncated)?;
        Ok(u16::from_be_bytes([hi, lo]))
    }

    fn skip(&mut self, len: u64) -> Result<(), String> {
        let skipped =
            io::copy(&mut (&mut self.r).take(len), &mut io::sink()).map_err(|e| e.to_string())?;
        self.pos += skipped;
        if skipped == len {
            Ok(())
        } else {
            Err(truncated())
        }
    }

    /// The code of the next marker: bytes up to an `FF` are skipped (stray bytes), then `FF`
    /// fill bytes; `FF 00` is not a marker.
    fn marker(&mut self) -> Result<u8, String> {
        loop {
            if self.byte()?.ok_or_else(truncated)? != 0xFF {
                continue;
            }
            let mut code = self.byte()?.ok_or_else(truncated)?;
            while code == 0xFF {
                code = self.byte()?.ok_or_else(truncated)?;
            }
            if code != 0x00 {
                return Ok(code);
            }
        }
    }

    /// Skips a scan's entropy-coded data: its length in bytes, and the marker that ends it
    /// (stuffed `FF 00` and restart markers `FF D0`–`FF D7` belong to the data).
    fn entropy_data(&mut self) -> Result<(u64, u8), String> {
        let mut bytes = 0u64;
        loop {
            let buf = self.r.fill_buf().map_err(|e| e.to_string())?;
            if buf.is_empty() {
                return Err(truncated_scan());
            }
            let Some(at) = buf.iter().position(|&b| b == 0xFF) else {
                let n = buf.len();
                self.consume(n);
                bytes += n as u64;
                continue;
            };
            self.consume(at + 1);
            bytes += at as u64;
            let mut code = self.byte()?.ok_or_else(truncated_scan)?;
            while code == 0xFF {
                code = self.byte()?.ok_or_else(truncated_scan)?;
            }
            match code {
                0x00 | 0xD0..=0xD7 => bytes += 2,
                marker => return Ok((bytes, marker)),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// SOI, an APP1 segment holding `app`, DQT, SOF0, SOS, the scan data, EOI.
    fn jpeg(app: &[u8], data: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE1];
        v.extend_from_slice(&(app.len() as u16 + 2).to_be_bytes());
        v.extend_from_slice(app);
        v.extend_from_slice(&[0xFF, 0xDB, 0, 4, 0, 1]);
        v.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
        v.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0]);
        v.extend_from_slice(data);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    #[test]
    fn finds_the_end_of_image_after_the_scan() {
        let data = [1, 2, 0xFF, 0x00, 3, 0xFF, 0xD0, 4, 5];
        let bytes = jpeg(b"Exif", &data);
        let scan = walk(bytes.as_slice()).unwrap();
        assert_eq!(
            scan,
            JpegScan {
                scans: 1,
                entropy_bytes: 9,
                end: bytes.len() as u64
            }
        );
        // trailing bytes after EOI are not part of the image
        let mut trailing = bytes.clone();
        trailing.extend_from_slice(b"PK\x03\x04 and more");
        assert_eq!(walk(trailing.as_slice()).unwrap(), scan);
        // fill bytes before the marker
        let mut filled = bytes[..bytes.len() - 2].to_vec();
        filled.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xD9]);
        assert_eq!(walk(filled.as_slice()).unwrap().scans, 1);
    }

    #[test]
    fn truncation_anywhere_is_an_error() {
        // an EXIF thumbnail (a whole JPEG, EOI included) inside APP1 does not end the image
        let thumbnail = jpeg(b"", &[7; 20]);
        let bytes = jpeg(&thumbnail, &[9; 40]);
        for cut in 0..bytes.len() {
            assert!(walk(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let err = walk(&bytes[..bytes.len() - 10]).unwrap_err();
        assert!(err.contains("ends inside the image data"), "{err}");
    }

    #[test]
    fn least_entropy_bytes_is_one_bit_per_block() {
        assert_eq!(least_entropy_bytes(10_000, 10_000), 195_313);
        assert_eq!(least_entropy_bytes(64, 48), 6);
        assert_eq!(least_entropy_bytes(1, 1), 1);
        assert_eq!(least_entropy_bytes(65_535, 65_535), 8192 * 8192 / 8);
    }

    #[test]
    fn no_scan_or_bad_lengths_are_errors() {
        assert!(walk([0xFF, 0xD8, 0xFF, 0xD9].as_slice()).is_err());
        assert!(walk([0xFF, 0xD8, 0xFF, 0xE0, 0, 1, 0xFF, 0xD9].as_slice()).is_err());
        assert!(walk([0x89, b'P', b'N', b'G'].as_slice()).is_err());
    }
}
