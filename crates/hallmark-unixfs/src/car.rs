//! CAR v1 files (content-addressed archives): a dag-cbor header naming the roots, then
//! `varint(len) ‖ CID ‖ block` sections. The writer makes Kubo-compatible archives
//! (`ipfs dag import` reads them); the reader is strict and bounded.

use std::io::{self, Read, Write};

use crate::cid::{Cid, CidError};
use crate::varint;

/// Largest header accepted.
const MAX_HEADER: u64 = 1 << 20;
/// Largest section accepted (a block of at most 2 MiB plus its CID).
const MAX_SECTION: u64 = (2 << 20) + 64;

/// Why a CAR file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CarError {
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file is not a CAR v1 file.
    #[error("not a CAR v1 file: {0}")]
    Format(String),
    /// A section names an invalid CID.
    #[error("invalid CID in the CAR file: {0}")]
    Cid(#[from] CidError),
}

/// Writes a CAR v1 file.
#[derive(Debug)]
pub struct CarWriter<W: Write> {
    out: W,
    section: Vec<u8>,
}

impl<W: Write> CarWriter<W> {
    /// Starts a CAR file with `roots`.
    pub fn new(mut out: W, roots: &[Cid]) -> Result<Self, CarError> {
        let header = encode_header(roots);
        let mut prefix = Vec::with_capacity(header.len() + 4);
        varint::put(&mut prefix, header.len() as u64);
        prefix.extend_from_slice(&header);
        out.write_all(&prefix)?;
        Ok(Self {
            out,
            section: Vec::with_capacity(64),
        })
    }

    /// Appends one block.
    pub fn write_block(&mut self, cid: &Cid, block: &[u8]) -> Result<(), CarError> {
        let cid_bytes = cid.to_bytes();
        self.section.clear();
        varint::put(&mut self.section, (cid_bytes.len() + block.len()) as u64);
        self.section.extend_from_slice(&cid_bytes);
        self.out.write_all(&self.section)?;
        self.out.write_all(block)?;
        Ok(())
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> Result<W, CarError> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The dag-cbor header `{"roots": [CID…], "version": 1}` (keys in canonical order).
fn encode_header(roots: &[Cid]) -> Vec<u8> {
    let mut out = vec![0xa2, 0x65];
    out.extend_from_slice(b"roots");
    cbor_head(&mut out, 4, roots.len() as u64);
    for root in roots {
        let bytes = root.to_bytes();
        out.extend_from_slice(&[0xd8, 0x2a]); // tag 42: CID
        cbor_head(&mut out, 2, bytes.len() as u64 + 1);
        out.push(0x00); // the identity multibase prefix of binary CIDs in dag-cbor
        out.extend_from_slice(&bytes);
    }
    out.push(0x67);
    out.extend_from_slice(b"version");
    out.push(0x01);
    out
}

fn cbor_head(out: &mut Vec<u8>, major: u8, value: u64) {
    let m = major << 5;
    match value {
        0..=23 => out.push(m | value as u8),
        24..=0xff => out.extend_from_slice(&[m | 24, value as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend_from_slice(&(value as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(m | 26);
            out.extend_from_slice(&(value as u32).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend_from_slice(&value.to_be_bytes());
        }
    }
}

/// Reads a CAR v1 file block by block. Blocks are *not* verified here: callers verify each
/// against its CID before trusting it.
#[derive(Debug)]
pub struct CarReader<R: Read> {
    input: R,
    roots: Vec<Cid>,
}

impl<R: Read> CarReader<R> {
    /// Reads the header.
    pub fn new(mut input: R) -> Result<Self, CarError> {
        let len = read_varint(&mut input)?
            .ok_or_else(|| CarError::Format("the file is empty".to_owned()))?;
        if len == 0 || len > MAX_HEADER {
            return Err(CarError::Format(format!("header of {len} bytes")));
        }
        let mut header = vec![0u8; len as usize];
        input.read_exact(&mut header).map_err(|e| {
            if e.kind() == io::ErrorKind::UnexpectedEof {
                CarError::Format("the file ends inside the header".to_owned())
            } else {
                CarError::Io(e)
            }
        })?;
        let roots = decode_header(&header)?;
        Ok(Self { input, roots })
    }

    /// The roots the header names.
    pub fn roots(&self) -> &[Cid] {
        &self.roots
    }

    /// The next block, or `None` at the end of the file.
    pub fn next_block(&mut self) -> Result<Option<(Cid, Vec<u8>)>, CarError> {
        let Some(len) = read_varint(&mut self.input)? else {
            return Ok(None);
        };
        if len > MAX_SECTION {
            return Err(CarError::Format(format!("a section of {len} bytes")));
        }
        let mut section = vec![0u8; len as usize];
        self.input.read_exact(&mut section).map_err(|e| {
            if e.kind() == io::ErrorKind::UnexpectedEof {
                CarError::Format("the file ends inside a block".to_owned())
            } else {
                CarError::Io(e)
            }
        })?;
        let (cid, used) = Cid::read_bytes(&section)?;
        section.drain(..used);
        Ok(Some((cid, section)))
    }
}

/// Reads a varint; `None` at a clean end of input.
fn read_varint<R: Read>(input: &mut R) -> Result<Option<u64>, CarError> {
    let mut bytes = Vec::with_capacity(10);
    let mut byte = [0u8; 1];
    loop {
        match input.read(&mut byte) {
            Ok(0) if bytes.is_empty() => return Ok(None),
            Ok(0) => return Err(CarError::Format("the file ends inside a length".to_owned())),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
        bytes.push(byte[0]);
        if byte[0] & 0x80 == 0 {
            return varint::read(&bytes)
                .map(|(v, _)| Some(v))
                .ok_or_else(|| CarError::Format("a malformed length".to_owned()));
        }
        if bytes.len() >= 9 {
            return Err(CarError::Format("a length longer than 9 bytes".to_owned()));
        }
    }
}

/// A minimal dag-cbor reader for the header: a map of `roots` (array of tag-42 CIDs) and
/// `version` (must be 1); other keys are refused.
fn decode_header(bytes: &[u8]) -> Result<Vec<Cid>, CarError> {
    let bad = |why: &str| CarError::Format(format!("bad header: {why}"));
    let mut cursor = Cbor { bytes, pos: 0 };
    let (major, entries) = cursor.head()?;
    if major != 5 {
        return Err(bad("not a map"));
    }
    let mut roots = None;
    let mut version = None;
    for _ in 0..entries.min(8) {
        let key = cursor.text()?;
        match key.as_str() {
            "roots" => {
                let (major, count) = cursor.head()?;
                if major != 4 || count > 1024 {
                    return Err(bad("roots is not a short array"));
                }
                let mut list = Vec::with_capacity(count as usize);
                for _ in 0..count {
                    let (major, tag) = cursor.head()?;
                    if major != 6 || tag != 42 {
                        return Err(bad("a root is not a CID"));
                    }
                    let raw = cursor.byte_string()?;
                    match raw.split_first() {
                        Some((0, cid)) => list.push(Cid::from_bytes(cid)?),
                        _ => return Err(bad("a root CID lacks its 0x00 prefix")),
                    }
                }
                roots = Some(list);
            }
            "version" => {
                let (major, value) = cursor.head()?;
                if major != 0 {
                    return Err(bad("version is not an integer"));
                }
                version = Some(value);
            }
            other => return Err(bad(&format!("unexpected key `{other}`"))),
        }
    }
    match version {
        Some(1) => {}
        Some(2) => {
            return Err(CarError::Format(
                "CAR v2 files are not supported".to_owned(),
            ));
        }
        Some(v) => return Err(bad(&format!("version {v}"))),
        None => return Err(bad("no version")),
    }
    roots.ok_or_else(|| bad("no roots"))
}

struct Cbor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cbor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], CarError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| CarError::Format("bad header: truncated".to_owned()))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn head(&mut self) -> Result<(u8, u64), CarError> {
        let first = self.take(1)?[0];
        let info = first & 0x1f;
        let value = match info {
            0..=23 => u64::from(info),
            24 => u64::from(self.take(1)?[0]),
            25 => self
                .take(2)?
                .iter()
                .fold(0, |a, b| (a << 8) | u64::from(*b)),
            26 => self
                .take(4)?
                .iter()
                .fold(0, |a, b| (a << 8) | u64::from(*b)),
            27 => self
                .take(8)?
                .iter()
                .fold(0, |a, b| (a << 8) | u64::from(*b)),
            _ => {
                return Err(CarError::Format(
                    "bad header: indefinite lengths".to_owned(),
                ));
            }
        };
        Ok((first >> 5, value))
    }

    fn byte_string(&mut self) -> Result<Vec<u8>, CarError> {
        let (major, len) = self.head()?;
        if major != 2 || len > 256 {
            return Err(CarError::Format(
                "bad header: expected a short byte string".to_owned(),
            ));
        }
        Ok(self.take(len as usize)?.to_vec())
    }

    fn text(&mut self) -> Result<String, CarError> {
        let (major, len) = self.head()?;
        if major != 3 || len > 64 {
            return Err(CarError::Format(
                "bad header: expected a short key".to_owned(),
            ));
        }
        String::from_utf8(self.take(len as usize)?.to_vec())
            .map_err(|_| CarError::Format("bad header: a key is not UTF-8".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cid::{CidVersion, Codec};
    use proptest::prelude::*;

    #[test]
    fn round_trip() {
        let a = Cid::for_block(CidVersion::V1, Codec::Raw, b"a").expect("cid");
        let b = Cid::for_block(CidVersion::V0, Codec::DagPb, b"b").expect("cid");
        let mut car = CarWriter::new(Vec::new(), &[a, b]).expect("new");
        car.write_block(&a, b"a").expect("a");
        car.write_block(&b, b"b").expect("b");
        let bytes = car.finish().expect("finish");
        let mut reader = CarReader::new(&bytes[..]).expect("read");
        assert_eq!(reader.roots(), [a, b]);
        assert_eq!(reader.next_block().expect("1"), Some((a, b"a".to_vec())));
        assert_eq!(reader.next_block().expect("2"), Some((b, b"b".to_vec())));
        assert_eq!(reader.next_block().expect("end"), None);
    }

    #[test]
    fn truncation_is_an_error() {
        let a = Cid::for_block(CidVersion::V1, Codec::Raw, b"abc").expect("cid");
        let mut car = CarWriter::new(Vec::new(), &[a]).expect("new");
        car.write_block(&a, b"abc").expect("a");
        let bytes = car.finish().expect("finish");
        let mut reader = CarReader::new(&bytes[..bytes.len() - 1]).expect("header");
        assert!(reader.next_block().is_err());
        assert!(CarReader::new(&b""[..]).is_err());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(mut reader) = CarReader::new(&bytes[..]) {
                while let Ok(Some(_)) = reader.next_block() {}
            }
        }
    }
}
