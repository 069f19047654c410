//! Verified reads of a UnixFS file DAG: every block is checked against its CID before it is
//! decoded, the tree's sizes must agree, and depth is bounded, so a hostile DAG cannot make a
//! reader loop, overflow its stack, or hand out bytes that are not the file.

use std::io::{self, Write};

use crate::cid::{Cid, CidError, Codec};
use crate::pb;

/// Deepest tree accepted (a balanced tree of 174-link nodes is 5 levels deep at 1 PB).
pub const MAX_DEPTH: usize = 32;

/// Why a DAG read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError<E> {
    /// Fetching a block failed.
    #[error("fetching a block failed: {0}")]
    Fetch(E),
    /// A block does not match its CID.
    #[error("{0}")]
    Cid(#[from] CidError),
    /// A block is not a valid UnixFS file node.
    #[error("block {cid} is not a UnixFS file node: {reason}")]
    Decode {
        /// The block.
        cid: Cid,
        /// What is wrong with it.
        reason: String,
    },
    /// The node's recorded sizes disagree with its children.
    #[error("block {cid} records {expected} file bytes but its children hold {actual}")]
    SizeMismatch {
        /// The node.
        cid: Cid,
        /// The size it records.
        expected: u64,
        /// The size its children hold.
        actual: u64,
    },
    /// The tree is deeper than [`MAX_DEPTH`].
    #[error("the DAG is deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// Writing the output failed.
    #[error("writing the file failed: {0}")]
    Io(io::Error),
}

/// Writes the file `root` to `out`, fetching blocks with `get`; returns the file size.
pub fn read_file<E, G, W>(root: &Cid, mut get: G, out: &mut W) -> Result<u64, ReadError<E>>
where
    G: FnMut(&Cid) -> Result<Vec<u8>, E>,
    W: Write + ?Sized,
{
    let written = read_node(root, &mut get, out, 0, None)?;
    out.flush().map_err(ReadError::Io)?;
    Ok(written)
}

fn fetch_verified<E, G>(cid: &Cid, get: &mut G) -> Result<Vec<u8>, ReadError<E>>
where
    G: FnMut(&Cid) -> Result<Vec<u8>, E>,
{
    let block = get(cid).map_err(ReadError::Fetch)?;
    cid.verify(&block)?;
    Ok(block)
}

fn read_node<E, G, W>(
    cid: &Cid,
    get: &mut G,
    out: &mut W,
    depth: usize,
    expected_size: Option<u64>,
) -> Result<u64, ReadError<E>>
where
    G: FnMut(&Cid) -> Result<Vec<u8>, E>,
    W: Write + ?Sized,
{
    if depth > MAX_DEPTH {
        return Err(ReadError::TooDeep);
    }
    let block = fetch_verified(cid, get)?;
    let written = if cid.codec() == Codec::Raw {
        out.write_all(&block).map_err(ReadError::Io)?;
        block.len() as u64
    } else {
        let node = pb::decode_file_node(&block)
            .map_err(|reason| ReadError::Decode { cid: *cid, reason })?;
        drop(block);
        out.write_all(&node.data).map_err(ReadError::Io)?;
        let mut written = node.data.len() as u64;
        for (link, size) in node.links.iter().zip(&node.blocksizes) {
            if *size == 0 {
                // Kubo never links an empty child; refusing them bounds the work per output byte.
                return Err(ReadError::Decode {
                    cid: *cid,
                    reason: "a link to an empty child".to_owned(),
                });
            }
            written += read_node(&link.cid, get, out, depth + 1, Some(*size))?;
        }
        if let Some(filesize) = node.filesize
            && filesize != written
        {
            return Err(ReadError::SizeMismatch {
                cid: *cid,
                expected: filesize,
                actual: written,
            });
        }
        written
    };
    match expected_size {
        Some(expected) if expected != written => Err(ReadError::SizeMismatch {
            cid: *cid,
            expected,
            actual: written,
        }),
        _ => Ok(written),
    }
}

/// The CIDs a verified block links to: the children of a dag-pb node, none for a raw block.
/// Lets a caller walk a DAG level by level with its own (e.g. concurrent) fetching.
pub fn block_links(
    cid: &Cid,
    block: &[u8],
) -> Result<Vec<Cid>, ReadError<std::convert::Infallible>> {
    if cid.codec() != Codec::DagPb {
        return Ok(Vec::new());
    }
    let node =
        pb::decode_file_node(block).map_err(|reason| ReadError::Decode { cid: *cid, reason })?;
    Ok(node.links.iter().map(|l| l.cid).collect())
}

/// Every CID of the DAG under `root`, root first, depth first, each once; every block is
/// fetched and verified.
pub fn dag_cids<E, G>(root: &Cid, mut get: G) -> Result<Vec<Cid>, ReadError<E>>
where
    G: FnMut(&Cid) -> Result<Vec<u8>, E>,
{
    let mut seen = std::collections::HashSet::new();
    let mut order = Vec::new();
    let mut stack = vec![(*root, 0usize)];
    while let Some((cid, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(ReadError::TooDeep);
        }
        if !seen.insert(cid) {
            continue;
        }
        order.push(cid);
        let block = fetch_verified(&cid, &mut get)?;
        if cid.codec() == Codec::DagPb {
            let node =
                pb::decode_file_node(&block).map_err(|reason| ReadError::Decode { cid, reason })?;
            stack.extend(node.links.iter().rev().map(|l| (l.cid, depth + 1)));
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_reader;
    use crate::settings::ImportSettings;
    use crate::sink::MemorySink;
    use std::collections::HashMap;
    use std::convert::Infallible;

    fn small(v1: bool) -> ImportSettings {
        let base = if v1 {
            ImportSettings::kubo_v1()
        } else {
            ImportSettings::kubo_v0()
        };
        ImportSettings {
            chunk_size: 10,
            max_links: 3,
            ..base
        }
    }

    fn blocks_of(data: &[u8], settings: &ImportSettings) -> (Cid, HashMap<Cid, Vec<u8>>) {
        let imported = import_reader(data, settings, MemorySink::default()).expect("import");
        (imported.root, imported.sink.blocks.into_iter().collect())
    }

    #[test]
    fn reads_back_what_was_imported() {
        for v1 in [false, true] {
            for len in [0usize, 1, 10, 11, 95, 300] {
                let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
                let (root, blocks) = blocks_of(&data, &small(v1));
                let mut out = Vec::new();
                let got = read_file(&root, |c| blocks.get(c).cloned().ok_or("missing"), &mut out)
                    .expect("read");
                assert_eq!(got, len as u64);
                assert_eq!(out, data);
                let cids =
                    dag_cids(&root, |c| blocks.get(c).cloned().ok_or("missing")).expect("dag");
                assert_eq!(cids[0], root);
                assert_eq!(cids.len(), blocks.len());
            }
        }
    }

    #[test]
    fn tampered_and_missing_blocks_are_caught() {
        let data = vec![7u8; 100];
        let (root, mut blocks) = blocks_of(&data, &small(true));
        let leaf = *blocks
            .keys()
            .find(|c| c.codec() == Codec::Raw)
            .expect("a leaf");
        blocks.insert(leaf, vec![8u8; 10]);
        let e = read_file(
            &root,
            |c| blocks.get(c).cloned().ok_or("missing"),
            &mut Vec::new(),
        )
        .expect_err("tampered");
        assert!(
            matches!(e, ReadError::Cid(CidError::Mismatch { .. })),
            "{e}"
        );
        blocks.remove(&leaf);
        let e = read_file(
            &root,
            |c| blocks.get(c).cloned().ok_or("missing"),
            &mut Vec::new(),
        )
        .expect_err("missing");
        assert!(matches!(e, ReadError::Fetch("missing")), "{e}");
    }

    #[test]
    fn a_lying_size_is_caught() {
        // A parent whose blocksizes claim more bytes than its child holds.
        let leaf = b"0123456789".to_vec();
        let leaf_cid = Cid::for_block(crate::CidVersion::V1, Codec::Raw, &leaf).expect("cid");
        let parent = pb::encode_parent(
            &[pb::Link {
                cid: leaf_cid,
                tsize: 10,
            }],
            &[11],
        );
        let root = Cid::for_block(crate::CidVersion::V1, Codec::DagPb, &parent).expect("cid");
        let blocks: HashMap<Cid, Vec<u8>> = [(leaf_cid, leaf), (root, parent)].into();
        let e = read_file(
            &root,
            |c| Ok::<_, Infallible>(blocks[c].clone()),
            &mut Vec::new(),
        )
        .expect_err("size");
        assert!(matches!(e, ReadError::SizeMismatch { .. }), "{e}");
    }
}
