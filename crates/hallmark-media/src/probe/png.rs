//! The chunks of a PNG before its image data, walked without decoding: an embedded colour
//! profile (`iCCP`) is compressed, and the decoder would inflate it within the whole decode
//! budget (hundreds of MiB from a few KiB). Here it is inflated with its own small ceiling first.

use std::io::{Read, Seek, SeekFrom};

/// Largest colour profile accepted once inflated: real profiles are a few KiB (sRGB, Display
/// P3) up to about 1 MiB (printer profiles with large lookup tables).
pub const MAX_ICC_BYTES: usize = 4 * 1024 * 1024;
/// Most chunks read before the image data (a real file has a handful).
const MAX_CHUNKS_BEFORE_IMAGE: usize = 4096;
const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// What the walk found before the first `IDAT`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Walk {
    /// The inflated size of the colour profile, if there is one.
    pub icc_bytes: Option<usize>,
}

/// Walks the chunks before the image data; `Err` names what is wrong.
pub fn walk<R: Read + Seek>(mut reader: R) -> Result<Walk, String> {
    let mut signature = [0u8; 8];
    reader
        .read_exact(&mut signature)
        .map_err(|_| "it ends inside the PNG signature".to_owned())?;
    if &signature != SIGNATURE {
        return Err("the PNG signature is wrong".to_owned());
    }
    let mut walk = Walk::default();
    for _ in 0..MAX_CHUNKS_BEFORE_IMAGE {
        let mut header = [0u8; 8];
        reader
            .read_exact(&mut header)
            .map_err(|_| "it ends before the image data".to_owned())?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = [header[4], header[5], header[6], header[7]];
        match &kind {
            b"IDAT" | b"IEND" => return Ok(walk),
            b"iCCP" => {
                if walk.icc_bytes.is_some() {
                    return Err("it has two colour profiles (iCCP chunks)".to_owned());
                }
                walk.icc_bytes = Some(icc_profile_size(&mut reader, length)?);
                reader
                    .seek(SeekFrom::Current(4))
                    .map_err(|e| e.to_string())?;
            }
            _ => {
                reader
                    .seek(SeekFrom::Current(i64::from(length) + 4))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Err(format!(
        "more than {MAX_CHUNKS_BEFORE_IMAGE} chunks come before the image data"
    ))
}

/// Reads an `iCCP` chunk's data (`length` bytes: a name, a NUL, the method, the zlib stream)
/// and inflates the profile up to [`MAX_ICC_BYTES`].
fn icc_profile_size<R: Read>(reader: &mut R, length: u32) -> Result<usize, String> {
    // A profile of MAX_ICC_BYTES never compresses to more than about that size (plus the name).
    let most = MAX_ICC_BYTES + 1024;
    let length = usize::try_from(length).unwrap_or(usize::MAX);
    if length > most {
        return Err(format!(
            "its colour profile chunk is {length} bytes (at most {most})"
        ));
    }
    let mut data = vec![0u8; length];
    reader
        .read_exact(&mut data)
        .map_err(|_| "it ends inside its colour profile".to_owned())?;
    let name_end = data
        .iter()
        .take(80)
        .position(|&b| b == 0)
        .ok_or("its colour profile has no name")?;
    let stream = data
        .get(name_end + 2..)
        .ok_or("its colour profile is cut short")?;
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(stream, MAX_ICC_BYTES)
        .map(|profile| profile.len())
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                "its colour profile inflates to more than {} MiB",
                MAX_ICC_BYTES / (1024 * 1024)
            ),
            _ => "its colour profile is not a valid zlib stream".to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0; 4]); // CRC: not checked by the walk
        out
    }

    fn png_with_icc(profile: &[u8]) -> Vec<u8> {
        let mut iccp = b"icc\0\0".to_vec();
        iccp.extend(miniz_oxide::deflate::compress_to_vec_zlib(profile, 9));
        let mut out = SIGNATURE.to_vec();
        out.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        out.extend(chunk(b"iCCP", &iccp));
        out.extend(chunk(b"IDAT", &[]));
        out
    }

    #[test]
    fn a_real_sized_profile_is_measured_and_a_bomb_is_refused() {
        let walked = walk(Cursor::new(png_with_icc(&[7; 3144]))).expect("walks");
        assert_eq!(walked.icc_bytes, Some(3144));
        let bomb = png_with_icc(&vec![0; MAX_ICC_BYTES + 1]);
        assert!(bomb.len() < 16 * 1024, "{} bytes", bomb.len());
        let refused = walk(Cursor::new(bomb)).expect_err("refused");
        assert!(refused.contains("more than 4 MiB"), "{refused}");
    }

    #[test]
    fn cut_or_endless_files_are_named() {
        let mut cut = png_with_icc(&[1; 100]);
        cut.truncate(40);
        assert!(walk(Cursor::new(cut)).is_err());
        let mut many = SIGNATURE.to_vec();
        for _ in 0..=MAX_CHUNKS_BEFORE_IMAGE {
            many.extend(chunk(b"tEXt", b"a\0b"));
        }
        let refused = walk(Cursor::new(many)).expect_err("refused");
        assert!(refused.contains("chunks"), "{refused}");
    }
}
