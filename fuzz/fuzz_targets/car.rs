//! CAR v1 reader over arbitrary bytes: header, then every block until the end or an error.
//! Every block read is re-encoded with CarWriter and must read back identically.
#![no_main]

use hallmark_unixfs::{CarReader, CarWriter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut reader) = CarReader::new(data) else {
        return;
    };
    let roots = reader.roots().to_vec();
    let mut blocks = Vec::new();
    // `next_block` consumes at least one byte per call, so this ends.
    while let Ok(Some(block)) = reader.next_block() {
        blocks.push(block);
    }
    let mut writer = CarWriter::new(Vec::new(), &roots).expect("write header");
    for (cid, block) in &blocks {
        writer.write_block(cid, block).expect("write block");
    }
    let bytes = writer.finish().expect("finish");
    let mut again = CarReader::new(&bytes[..]).expect("re-read header");
    assert_eq!(again.roots(), &roots[..]);
    for (cid, block) in &blocks {
        let (c, b) = again.next_block().expect("re-read").expect("a block");
        assert_eq!((&c, &b), (cid, block));
    }
    assert!(again.next_block().expect("end").is_none());
});
