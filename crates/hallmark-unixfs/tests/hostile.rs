//! Malformed and hostile CIDs (text and binary) and CAR files, generated here: each is refused
//! with the expected error and a clear message, quickly. `CidError` and `CarError` have no
//! `code()`; the variant is the stable part, asserted below.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::str::FromStr;
use std::time::Instant;

use hallmark_unixfs::{CarError, CarReader, CarWriter, Cid, CidError, CidVersion, Codec};

const MAX_MS: u128 = 200;

fn variant(e: &CidError) -> &'static str {
    match e {
        CidError::Malformed(_) => "malformed",
        CidError::UnsupportedCodec(_) => "unsupported_codec",
        CidError::UnsupportedHash(_) => "unsupported_hash",
        CidError::V0NotDagPb => "v0_not_dag_pb",
        CidError::Mismatch { .. } => "mismatch",
    }
}

fn car_variant(e: &CarError) -> &'static str {
    match e {
        CarError::Io(_) => "io",
        CarError::Format(_) => "format",
        CarError::Cid(_) => "cid",
    }
}

fn clear(message: &str) -> bool {
    !message.trim().is_empty()
        && !["{ kind:", "Os {", "Custom {", "Error {", "failed to fill"]
            .iter()
            .any(|dump| message.contains(dump))
}

fn report(kind: &str, name: &str, outcome: &str, ms: u128, message: &str) {
    eprintln!("{kind:<5} {name:<44} {outcome:<18} {ms:>4} ms  {message}");
}

#[test]
fn hostile_cids_and_car_files_are_refused_clearly() {
    let block = b"hello";
    let v1 = Cid::for_block(CidVersion::V1, Codec::Raw, block).unwrap();
    let v0 = Cid::for_block(CidVersion::V0, Codec::DagPb, block).unwrap();
    let (v1s, v0s) = (v1.to_string(), v0.to_string());
    let v1b = v1.to_bytes();

    let with_codec = |codec: u8, hash: u8, len: u8| {
        let mut b = vec![0x01, codec, hash, len];
        b.extend_from_slice(&[7; 32]);
        b
    };
    let texts: Vec<(String, String, &str)> = vec![
        ("empty".into(), String::new(), "malformed"),
        ("garbage".into(), "not a cid at all".into(), "malformed"),
        (
            "Qm + 44 invalid base58 (0OIl)".into(),
            format!("Qm{}", "0OIl".repeat(11)),
            "malformed",
        ),
        (
            "v0 missing its last char".into(),
            v0s[..45].into(),
            "malformed",
        ),
        (
            "v0 with one char more".into(),
            format!("{v0s}a"),
            "malformed",
        ),
        (
            "v1 truncated by 8 chars".into(),
            v1s[..v1s.len() - 8].into(),
            "malformed",
        ),
        (
            "v1 with 1 invalid base32 char".into(),
            format!("{}1", &v1s[..v1s.len() - 1]),
            "malformed",
        ),
        (
            "base64 multibase m".into(),
            format!("m{}", &v1s[1..]),
            "malformed",
        ),
        (
            "base64url multibase u".into(),
            format!("u{}", &v1s[1..]),
            "malformed",
        ),
        (
            "identity multibase \\0".into(),
            format!("\0{}", &v1s[1..]),
            "malformed",
        ),
        ("odd base16".into(), "f0155122".into(), "malformed"),
        ("base16 non-hex".into(), "f01551220zz".into(), "malformed"),
        (
            "10 MB string".into(),
            format!("b{}", "a".repeat(10 << 20)),
            "malformed",
        ),
        (
            "multibyte first char".into(),
            format!("é{}", &v1s[1..]),
            "malformed",
        ),
        (
            "<script> as a CID".into(),
            "<script>alert(1)</script>".into(),
            "malformed",
        ),
        (
            "base16 huge varint version".into(),
            format!("f{}", "ff".repeat(20)),
            "malformed",
        ),
        (
            "base16 dag-cbor codec".into(),
            format!("f{}", hex(&with_codec(0x71, 0x12, 0x20))),
            "unsupported_codec",
        ),
        (
            "base16 sha2-512 multihash".into(),
            format!("f{}", hex(&with_codec(0x55, 0x13, 0x20))),
            "unsupported_hash",
        ),
        (
            "base16 digest length 31".into(),
            format!("f{}", hex(&with_codec(0x55, 0x12, 0x1F))),
            "malformed",
        ),
        (
            "v1 text of a v0 binary (f1220…)".into(),
            format!("f{}", hex(&v0.to_bytes())),
            "malformed",
        ),
    ];
    let mut binaries: Vec<(String, Vec<u8>, &str)> = vec![
        ("empty".into(), vec![], "malformed"),
        ("one byte 0x01".into(), vec![0x01], "malformed"),
        ("varint of 20 x 0xFF".into(), vec![0xFF; 20], "malformed"),
        (
            "non-minimal varint 0x81 0x00".into(),
            vec![0x81, 0x00, 0x55, 0x12, 0x20],
            "malformed",
        ),
        (
            "version 2".into(),
            [&[0x02], &v1b[1..]].concat(),
            "malformed",
        ),
        (
            "version 0 as a varint".into(),
            [&[0x00], &v1b[1..]].concat(),
            "malformed",
        ),
        (
            "trailing byte".into(),
            [v1b.as_slice(), &[0]].concat(),
            "malformed",
        ),
        (
            "digest length 33".into(),
            with_codec(0x55, 0x12, 0x21),
            "malformed",
        ),
        (
            "codec varint 2^63".into(),
            [&[0x01], &[0xFF; 8][..], &[0x7F, 0x12, 0x20], &[0; 32][..]].concat(),
            "unsupported_codec",
        ),
        (
            "v0 digest cut at 16".into(),
            [&[0x12, 0x20], &[0; 16][..]].concat(),
            "malformed",
        ),
    ];
    for cut in [1, 2, 3, 4, 20, v1b.len() - 1] {
        binaries.push((format!("v1 cut at {cut}"), v1b[..cut].to_vec(), "malformed"));
    }

    let mut count = 0;
    for (name, text, expected) in &texts {
        let started = Instant::now();
        let result = Cid::from_str(text);
        let ms = started.elapsed().as_millis();
        let e = result.expect_err(name);
        report("text", name, variant(&e), ms, &e.to_string());
        assert_eq!(variant(&e), *expected, "{name}: {e}");
        assert!(
            clear(&e.to_string()) && e.to_string().chars().count() < 200,
            "{name}: {e}"
        );
        assert!(ms < MAX_MS, "{name}: {ms} ms");
        count += 1;
    }
    for (name, bytes, expected) in &binaries {
        let started = Instant::now();
        let result = Cid::from_bytes(bytes);
        let ms = started.elapsed().as_millis();
        let e = result.expect_err(name);
        report("bin", name, variant(&e), ms, &e.to_string());
        assert_eq!(variant(&e), *expected, "{name}: {e}");
        assert!(clear(&e.to_string()), "{name}: {e}");
        assert!(ms < MAX_MS, "{name}: {ms} ms");
        count += 1;
    }

    // CAR files: a valid one, then damaged copies.
    let mut writer = CarWriter::new(Vec::new(), &[v1]).unwrap();
    writer.write_block(&v1, block).unwrap();
    let car = writer.finish().unwrap();
    let header_len = car[0] as usize + 1;
    let cars: Vec<(String, Vec<u8>, &str)> = vec![
        ("empty".into(), vec![], "format"),
        (
            "header length 2^62".into(),
            vec![0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F],
            "format",
        ),
        (
            "header length 10 bytes of varint".into(),
            vec![0xFF; 10],
            "format",
        ),
        (
            "header cut in the middle".into(),
            car[..header_len / 2].to_vec(),
            "format",
        ),
        (
            "header is html".into(),
            [&[40u8][..], &[b'<'; 40]].concat(),
            "format",
        ),
        (
            "section length 1 GiB".into(),
            [&car[..header_len], &[0x80, 0x80, 0x80, 0x80, 0x04][..]].concat(),
            "format",
        ),
        (
            "section cut".into(),
            car[..car.len() - 2].to_vec(),
            "format",
        ),
        (
            "section with a dag-cbor CID".into(),
            [
                &car[..header_len],
                &[36u8, 0x01, 0x71, 0x12, 0x20][..],
                &[0; 32][..],
            ]
            .concat(),
            "cid",
        ),
    ];
    for (name, bytes, expected) in &cars {
        let started = Instant::now();
        let result = CarReader::new(Cursor::new(bytes)).and_then(|mut reader| {
            while reader.next_block()?.is_some() {}
            Ok(())
        });
        let ms = started.elapsed().as_millis();
        let e = result.expect_err(name);
        report("car", name, car_variant(&e), ms, &e.to_string());
        assert_eq!(car_variant(&e), *expected, "{name}: {e}");
        assert!(clear(&e.to_string()), "{name}: {e}");
        assert!(ms < MAX_MS, "{name}: {ms} ms");
        count += 1;
    }
    eprintln!("{count} hostile CIDs and CAR files refused");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
