//! Writes the binary seed corpora into `<out>/{car,dag_pb}/`: small files imported with the real
//! importer (Kubo v0 and v1 settings, tiny chunks so there are internal nodes), as CAR files
//! (CarWriter) and as the dag_pb target's block lists (root first, `\xffBLK` between blocks).
//! Also `metadata/image.json`: a valid work metadata document for a small PNG (real CID).
//! And `bundle/minimal.zip`: a stored zip with the three required bundle files.
//! Usage: hallmark-fuzz-seedgen OUT_DIR

use std::path::PathBuf;

use hallmark_unixfs::{CarWriter, ImportSettings, MemorySink, NullSink, import_reader};

const SEP: &[u8] = b"\xffBLK";

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).expect("usage: seedgen OUT_DIR"));
    for dir in ["car", "dag_pb", "metadata", "bundle"] {
        std::fs::create_dir_all(out.join(dir)).expect("mkdir");
    }
    for (name, base) in [
        ("v0", ImportSettings::kubo_v0()),
        ("v1", ImportSettings::kubo_v1()),
    ] {
        for len in [0usize, 5, 40] {
            let data: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let settings = ImportSettings {
                chunk_size: 8,
                max_links: 3,
                ..base.clone()
            };
            let imported =
                import_reader(&data[..], &settings, MemorySink::default()).expect("import");
            let root = imported.root;
            let blocks = imported.sink.blocks;

            let mut car = CarWriter::new(Vec::new(), &[root]).expect("car header");
            for (cid, block) in &blocks {
                car.write_block(cid, block).expect("car block");
            }
            let car = car.finish().expect("car finish");
            std::fs::write(out.join("car").join(format!("{name}-{len}.car")), car).expect("write");

            // Root first, then the rest (the importer emits the root last).
            let mut list = Vec::new();
            let root_block = &blocks
                .iter()
                .find(|(c, _)| *c == root)
                .expect("root block")
                .1;
            list.extend_from_slice(root_block);
            for (cid, block) in &blocks {
                if *cid != root {
                    list.extend_from_slice(SEP);
                    list.extend_from_slice(block);
                }
            }
            std::fs::write(out.join("dag_pb").join(format!("{name}-{len}.bin")), list)
                .expect("write");
        }
    }

    // A valid image work document (the PNG bytes are not needed: only their hash and CID).
    let content = b"\x89PNG fake content";
    let settings = ImportSettings::kubo_v1();
    let cid = import_reader(&content[..], &settings, NullSink)
        .expect("cid")
        .root;
    let doc = serde_json::json!({
        "name": "Seed work",
        "description": "A seed for the metadata fuzz target.",
        "image": format!("ipfs://{cid}"),
        "external_url": "https://example.com/work",
        "attributes": [
            {"trait_type": "Medium", "value": "Oil"},
            {"trait_type": "Edition", "value": 3, "display_type": "number"}
        ],
        "hallmark": {
            "schema_version": 1,
            "content_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "content_cid": cid,
            "import_settings": settings,
            "mime": "image/png",
            "size": content.len(),
            "creator": "0x00000000000000000000000000000000000000aa",
            "licence": "CC-BY-4.0"
        }
    });
    std::fs::write(
        out.join("metadata").join("image.json"),
        serde_json::to_vec(&doc).expect("json"),
    )
    .expect("write");

    let metadata = serde_json::to_vec(&doc).expect("json");
    let zip = stored_zip(&[
        ("evidence.json", b"{}"),
        ("metadata.json", &metadata),
        ("seal.json", b"{}"),
    ]);
    std::fs::write(out.join("bundle").join("minimal.zip"), zip).expect("write");
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A plain zip of stored (uncompressed) entries, no extra fields, 1980-01-01 timestamps.
fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let fixed = |buf: &mut Vec<u8>| {
            buf.extend_from_slice(&20u16.to_le_bytes()); // version needed
            buf.extend_from_slice(&0u16.to_le_bytes()); // flags
            buf.extend_from_slice(&0u16.to_le_bytes()); // stored
            buf.extend_from_slice(&0u16.to_le_bytes()); // time
            buf.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
            buf.extend_from_slice(&crc.to_le_bytes());
            buf.extend_from_slice(&(data.len() as u32).to_le_bytes());
            buf.extend_from_slice(&(data.len() as u32).to_le_bytes());
            buf.extend_from_slice(&(name.len() as u16).to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes()); // extra length
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        fixed(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        fixed(&mut central);
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attrs
        central.extend_from_slice(&0u32.to_le_bytes()); // external attrs
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
