//! The two protobuf messages of a UnixFS file: the dag-pb `PBNode` (links + data) and the UnixFS
//! `Data` message inside it. Encoding is byte-identical to Kubo's (links first, an empty link
//! name always present, optional fields only when set); decoding is strict and bounded.

use crate::cid::Cid;
use crate::varint;

/// UnixFS `Data.Type` values this crate reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataType {
    /// Type 0: a leaf holding raw file bytes (old importers).
    Raw,
    /// Type 2: a file node (leaf or internal).
    File,
}

/// A link of a dag-pb node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) cid: Cid,
    pub(crate) tsize: u64,
}

/// A decoded UnixFS file node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileNode {
    pub(crate) links: Vec<Link>,
    pub(crate) data: Vec<u8>,
    pub(crate) filesize: Option<u64>,
    pub(crate) blocksizes: Vec<u64>,
}

fn put_key(out: &mut Vec<u8>, field: u64, wire: u64) {
    varint::put(out, (field << 3) | wire);
}

fn put_bytes(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    put_key(out, field, 2);
    varint::put(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn put_uint(out: &mut Vec<u8>, field: u64, value: u64) {
    put_key(out, field, 0);
    varint::put(out, value);
}

/// The UnixFS `Data` message of a file node.
fn unixfs_data(data: &[u8], filesize: u64, blocksizes: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16 + blocksizes.len() * 4);
    put_uint(&mut out, 1, 2); // Type = File
    if !data.is_empty() {
        put_bytes(&mut out, 2, data);
    }
    put_uint(&mut out, 3, filesize);
    for size in blocksizes {
        put_uint(&mut out, 4, *size);
    }
    out
}

/// A dag-pb leaf holding `chunk` (the form of leaves without `--raw-leaves`).
#[cfg(test)]
pub(crate) fn encode_leaf(chunk: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    encode_leaf_into(&mut out, chunk);
    out
}

/// Writes the dag-pb leaf of `chunk` into `out` (cleared first), copying the chunk once: a
/// reused buffer avoids a fresh large allocation, and its page faults, per chunk.
pub(crate) fn encode_leaf_into(out: &mut Vec<u8>, chunk: &[u8]) {
    let len = chunk.len() as u64;
    // The UnixFS Data message: Type = File, Data (when non-empty), filesize.
    let data_field = if chunk.is_empty() {
        0
    } else {
        1 + varint_len(len) + chunk.len()
    };
    let inner_len = 2 + data_field + 1 + varint_len(len);
    out.clear();
    out.reserve(inner_len + 1 + varint_len(inner_len as u64));
    put_key(out, 1, 2);
    varint::put(out, inner_len as u64);
    put_uint(out, 1, 2);
    if !chunk.is_empty() {
        put_bytes(out, 2, chunk);
    }
    put_uint(out, 3, len);
}

fn varint_len(value: u64) -> usize {
    let bits = 64 - (value | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// An internal file node over `links`, whose children hold `blocksizes` file bytes each.
pub(crate) fn encode_parent(links: &[Link], blocksizes: &[u64]) -> Vec<u8> {
    let filesize = blocksizes.iter().sum();
    let inner = unixfs_data(&[], filesize, blocksizes);
    let mut out = Vec::with_capacity(links.len() * 48 + inner.len() + 8);
    let mut link_bytes = Vec::with_capacity(48);
    for link in links {
        link_bytes.clear();
        put_bytes(&mut link_bytes, 1, &link.cid.to_bytes());
        put_bytes(&mut link_bytes, 2, b"");
        put_uint(&mut link_bytes, 3, link.tsize);
        put_bytes(&mut out, 2, &link_bytes);
    }
    put_bytes(&mut out, 1, &inner);
    out
}

/// A protobuf field: its number and value.
enum Field<'a> {
    Varint(u64, u64),
    Bytes(u64, &'a [u8]),
}

/// Iterates over the fields of a protobuf message; only wire types 0 and 2 are accepted.
fn fields(mut bytes: &[u8]) -> impl Iterator<Item = Result<Field<'_>, String>> {
    std::iter::from_fn(move || {
        if bytes.is_empty() {
            return None;
        }
        let result = (|| {
            let (key, n) = varint::read(bytes).ok_or("bad field key")?;
            bytes = &bytes[n..];
            let field = key >> 3;
            match key & 7 {
                0 => {
                    let (value, n) = varint::read(bytes).ok_or("bad varint")?;
                    bytes = &bytes[n..];
                    Ok(Field::Varint(field, value))
                }
                2 => {
                    let (len, n) = varint::read(bytes).ok_or("bad length")?;
                    let rest = &bytes[n..];
                    let len = usize::try_from(len).map_err(|_| "length too large")?;
                    if len > rest.len() {
                        return Err("field runs past the end of the block".to_owned());
                    }
                    let (value, after) = rest.split_at(len);
                    bytes = after;
                    Ok(Field::Bytes(field, value))
                }
                wire => Err(format!("unexpected wire type {wire}")),
            }
        })();
        if result.is_err() {
            bytes = &[];
        }
        Some(result.map_err(|e: String| e))
    })
}

/// Decodes a dag-pb block as a UnixFS file node (types File or Raw).
pub(crate) fn decode_file_node(block: &[u8]) -> Result<FileNode, String> {
    let mut links = Vec::new();
    let mut unixfs: Option<&[u8]> = None;
    for field in fields(block) {
        match field? {
            Field::Bytes(2, link) => links.push(decode_link(link)?),
            Field::Bytes(1, data) => unixfs = Some(data),
            _ => return Err("unexpected field in a dag-pb node".to_owned()),
        }
    }
    let unixfs = unixfs.ok_or("the dag-pb node has no UnixFS data")?;
    let mut node = FileNode {
        links,
        data: Vec::new(),
        filesize: None,
        blocksizes: Vec::new(),
    };
    let mut kind = None;
    for field in fields(unixfs) {
        match field? {
            Field::Varint(1, t) => {
                kind = Some(match t {
                    0 => DataType::Raw,
                    2 => DataType::File,
                    1 => return Err("a directory, not a file".to_owned()),
                    other => return Err(format!("UnixFS type {other} is not a file")),
                })
            }
            Field::Bytes(2, data) => node.data = data.to_vec(),
            Field::Varint(3, size) => node.filesize = Some(size),
            Field::Varint(4, size) => node.blocksizes.push(size),
            Field::Bytes(4, packed) => {
                let mut rest = packed;
                while !rest.is_empty() {
                    let (size, n) = varint::read(rest).ok_or("bad packed blocksize")?;
                    node.blocksizes.push(size);
                    rest = &rest[n..];
                }
            }
            Field::Varint(5 | 7, _) | Field::Bytes(6 | 8, _) => {} // hashType, fanout, mode, mtime
            _ => return Err("unexpected field in UnixFS data".to_owned()),
        }
    }
    match kind {
        Some(DataType::File | DataType::Raw) => {}
        None => return Err("UnixFS data without a type".to_owned()),
    }
    if !node.links.is_empty() && node.blocksizes.len() != node.links.len() {
        return Err(format!(
            "{} links but {} block sizes",
            node.links.len(),
            node.blocksizes.len()
        ));
    }
    Ok(node)
}

fn decode_link(bytes: &[u8]) -> Result<Link, String> {
    let mut cid = None;
    let mut tsize = 0;
    for field in fields(bytes) {
        match field? {
            Field::Bytes(1, hash) => {
                cid = Some(Cid::from_bytes(hash).map_err(|e| format!("link: {e}"))?);
            }
            Field::Bytes(2, _name) => {}
            Field::Varint(3, size) => tsize = size,
            _ => return Err("unexpected field in a dag-pb link".to_owned()),
        }
    }
    Ok(Link {
        cid: cid.ok_or("a link without a hash")?,
        tsize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cid::{CidVersion, Codec};
    use proptest::prelude::*;

    #[test]
    fn leaf_and_parent_round_trip() {
        let leaf = encode_leaf(b"abc");
        let node = decode_file_node(&leaf).expect("leaf");
        assert_eq!(node.data, b"abc");
        assert_eq!(node.filesize, Some(3));
        let cid = Cid::for_block(CidVersion::V1, Codec::Raw, b"abc").expect("cid");
        let links = vec![Link { cid, tsize: 3 }, Link { cid, tsize: 3 }];
        let parent = encode_parent(&links, &[3, 3]);
        let node = decode_file_node(&parent).expect("parent");
        assert_eq!(node.links, links);
        assert_eq!(node.blocksizes, [3, 3]);
        assert_eq!(node.filesize, Some(6));
    }

    #[test]
    fn the_streaming_leaf_equals_the_message_built_field_by_field() {
        for len in [0usize, 1, 127, 128, 16_383, 16_384, 262_144] {
            let chunk = vec![9u8; len];
            let inner = unixfs_data(&chunk, len as u64, &[]);
            let mut expected = Vec::new();
            put_bytes(&mut expected, 1, &inner);
            assert_eq!(encode_leaf(&chunk), expected, "len {len}");
        }
    }

    #[test]
    fn empty_file_node_is_kubos() {
        // QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH is `ipfs add` of an empty file.
        assert_eq!(encode_leaf(b""), [0x0a, 0x04, 0x08, 0x02, 0x18, 0x00]);
    }

    proptest! {
        #[test]
        fn decoding_garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode_file_node(&bytes);
        }
    }
}
