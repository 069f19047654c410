//! dag-pb / UnixFS decoding through the public verified readers. The decoder is crate-private,
//! so the input is served as blocks: split on the 4-byte separator `\xffBLK`, every piece is a
//! block under its own (dag-pb and raw, v0 and v1) CID, the first piece is the root. Pieces can
//! link to each other only through their real sha2-256 CIDs, which the seeds (written by
//! seedgen from a real import) provide. Also parses the input as a binary CID.
#![no_main]

use std::collections::HashMap;

use hallmark_unixfs::{Cid, CidVersion, Codec, dag_cids, read_file};
use libfuzzer_sys::fuzz_target;

const SEP: &[u8] = b"\xffBLK";

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(SEP.len()).position(|w| w == SEP) {
        out.push(&rest[..at]);
        rest = &rest[at + SEP.len()..];
    }
    out.push(rest);
    out
}

fuzz_target!(|data: &[u8]| {
    let _ = Cid::from_bytes(data);
    let _ = Cid::read_bytes(data);

    let pieces = split(data);
    let mut blocks: HashMap<[u8; 32], &[u8]> = HashMap::new();
    let mut root = None;
    for piece in &pieces {
        let cid = Cid::for_block(CidVersion::V1, Codec::DagPb, piece).expect("v1 dag-pb");
        blocks.insert(*cid.digest(), piece);
        root.get_or_insert(cid);
    }
    let root = root.expect("at least one piece");
    let get = |cid: &Cid| -> Result<Vec<u8>, ()> {
        blocks.get(cid.digest()).map(|b| b.to_vec()).ok_or(())
    };
    for root in [
        root,
        Cid::from_digest(CidVersion::V0, Codec::DagPb, *root.digest()).expect("v0"),
    ] {
        let mut out = Vec::new();
        if let Ok(size) = read_file(&root, get, &mut out) {
            assert_eq!(size, out.len() as u64, "read_file size vs bytes written");
        }
        if let Ok(cids) = dag_cids(&root, get) {
            assert_eq!(cids.first(), Some(&root), "dag_cids starts at the root");
        }
    }
});
