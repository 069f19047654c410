//! A corpus of malformed and hostile input, generated at test time, fed through the real entry
//! points (`ingest_with_sink` with the default `Limits`, `WorkMetadata::from_json`). Every case
//! is refused with its stable code and a clear sentence (or accepted as documented), in bounded
//! time and memory.
//!
//! The parent test writes the corpus into a temp dir, then runs each case in a child process
//! (this same test binary, filtered to `child_runs_one_case`, the case named by an environment
//! variable), so that the child's peak RSS (`VmHWM`, which only grows) measures that case alone.
//! `cargo test -p hallmark-media --test hostile -- --nocapture` prints the table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/fixtures.rs"]
mod fixtures;

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use hallmark_media::metadata::WorkMetadata;
use hallmark_media::{IngestOptions, WorkFields, ingest, ingest_with_sink};
use hallmark_unixfs::NullSink;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

const ENV_CASE: &str = "HALLMARK_HOSTILE_CASE";
const ENV_KIND: &str = "HALLMARK_HOSTILE_KIND";
/// Wall time allowed per case (debug profile, a loaded 2-core CI machine).
const MAX_MS: u128 = 2_000;
/// Peak RSS allowed for any one child process.
const MAX_PEAK_MIB: u64 = 300;

/// What a case must give.
#[derive(Debug, Clone)]
enum Expect {
    /// Refused with this code.
    Refused(&'static str),
    /// Accepted as this MIME type, with the hashes of the exact bytes (polyglots).
    Accepted(&'static str),
}

struct Case {
    name: String,
    /// `media` (ingest the file) or `meta` (parse the file as a metadata document).
    kind: &'static str,
    path: PathBuf,
    expect: Expect,
    /// Extra peak memory allowed for this case (the input itself, for `meta`).
    extra_mib: u64,
    /// Wall time allowed.
    max_ms: u128,
}

struct Corpus {
    dir: TempDir,
    cases: Vec<Case>,
}

impl Corpus {
    fn add(&mut self, kind: &'static str, name: &str, bytes: &[u8], expect: Expect) {
        let path = self.dir.path().join(format!("{}.bin", self.cases.len()));
        fs::write(&path, bytes).unwrap();
        self.cases.push(Case {
            name: name.to_owned(),
            kind,
            path,
            expect,
            extra_mib: (bytes.len() as u64 >> 20) * 2,
            max_ms: MAX_MS,
        });
    }

    fn media(&mut self, name: &str, bytes: &[u8], expect: Expect) {
        self.add("media", name, bytes, expect);
    }

    fn meta(&mut self, name: &str, bytes: &[u8], expect: Expect) {
        self.add("meta", name, bytes, expect);
    }

    /// An image at the pixel limit (100 MP), decoded in full: allowed `extra_mib` over
    /// [`MAX_PEAK_MIB`] (the decoded pixels, then a working copy of at most
    /// `WORKING_MAX_PIXELS` that is hashed after they are freed: about 10 % over the measured
    /// peak) and `max_ms` (about 3 times the time measured on an idle machine, 2 times on one
    /// loaded by a parallel build).
    fn large(&mut self, name: &str, bytes: &[u8], expect: Expect, extra_mib: u64, max_ms: u128) {
        self.add("media", name, bytes, expect);
        let case = self.cases.last_mut().unwrap();
        case.extra_mib = extra_mib;
        case.max_ms = max_ms;
    }

    /// A sparse file: `head`, then zeros up to `len` (costs no disk).
    fn sparse(&mut self, name: &str, head: &[u8], len: u64, expect: Expect) {
        let path = self.dir.path().join(format!("{}.bin", self.cases.len()));
        let mut file = File::create(&path).unwrap();
        file.write_all(head).unwrap();
        file.set_len(len).unwrap();
        self.cases.push(Case {
            name: name.to_owned(),
            kind: "media",
            path,
            expect,
            extra_mib: 0,
            max_ms: MAX_MS,
        });
    }
}

use Expect::{Accepted, Refused};

const UNSUPPORTED: Expect = Refused("media.unsupported_type");
const CORRUPT: Expect = Refused("media.corrupt");
const PIXELS: Expect = Refused("media.pixel_limit");

fn cut(bytes: &[u8], at: usize) -> Vec<u8> {
    bytes[..at.min(bytes.len())].to_vec()
}

fn flipped(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 0xFF;
    out
}

fn find(bytes: &[u8], needle: &[u8]) -> usize {
    bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"))
}

/// Recomputes the CRC of the PNG chunk whose type starts at `type_at`.
fn fix_png_crc(bytes: &mut [u8], type_at: usize) {
    let len = u32::from_be_bytes(bytes[type_at - 4..type_at].try_into().unwrap()) as usize;
    let end = type_at + 4 + len;
    let crc = fixtures::crc32(&bytes[type_at..end]);
    bytes[end..end + 4].copy_from_slice(&crc.to_be_bytes());
}

/// A PNG chunk with its CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = fixtures::crc32(&out[4..]);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// A PNG written chunk by chunk: `width`×`height` at `depth` bits of colour type `colour`,
/// `extra` chunks before the image data, and one row of zeros as the image data.
fn raw_png(width: u32, height: u32, depth: u8, colour: u8, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[depth, colour, 0, 0, 0]);
    out.extend(png_chunk(b"IHDR", &ihdr));
    for chunk in extra {
        out.extend_from_slice(chunk);
    }
    out.extend(png_chunk(
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&[0; 64], 6),
    ));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

/// A GIF written byte by byte: a `width`×`height` logical screen and `frames` 1×1 frames.
fn raw_gif(width: u16, height: u16, frames: usize) -> Vec<u8> {
    let mut v = b"GIF89a".to_vec();
    v.extend_from_slice(&width.to_le_bytes());
    v.extend_from_slice(&height.to_le_bytes());
    v.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF]);
    for _ in 0..frames {
        v.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
        v.extend_from_slice(&[0x02, 0x02, 0x44, 0x01, 0x00]);
    }
    v.push(0x3B);
    v
}

/// A complete baseline JPEG of one flat grey (`components` 1: greyscale; 3: YCbCr 4:4:4),
/// written byte by byte as compactly as JPEG allows: one-symbol Huffman tables, so each 8×8
/// block is two zero bits (DC difference 0, end of block), 256 pixels per byte of scan data per
/// component, like libjpeg's smallest output for a flat picture.
fn flat_jpeg(width: u16, height: u16, components: u8) -> Vec<u8> {
    let segment = |v: &mut Vec<u8>, marker: u8, body: &[u8]| {
        v.extend_from_slice(&[0xFF, marker]);
        v.extend_from_slice(&(body.len() as u16 + 2).to_be_bytes());
        v.extend_from_slice(body);
    };
    let mut v = vec![0xFF, 0xD8];
    segment(&mut v, 0xDB, &[[0u8].as_slice(), &[1; 64]].concat());
    let mut sof = vec![8];
    sof.extend_from_slice(&height.to_be_bytes());
    sof.extend_from_slice(&width.to_be_bytes());
    sof.push(components);
    let mut sos = vec![components];
    for id in 1..=components {
        sof.extend_from_slice(&[id, 0x11, 0]);
        sos.extend_from_slice(&[id, 0x00]);
    }
    sos.extend_from_slice(&[0, 63, 0]);
    segment(&mut v, 0xC0, &sof);
    let mut one_code = [0u8; 18]; // class/id, 16 counts (one code of length 1), symbol 0
    one_code[1] = 1;
    let mut dht = one_code.to_vec();
    one_code[0] = 0x10;
    dht.extend_from_slice(&one_code);
    segment(&mut v, 0xC4, &dht);
    segment(&mut v, 0xDA, &sos);
    let blocks = u64::from(width.div_ceil(8)) * u64::from(height.div_ceil(8));
    let bits = blocks * u64::from(components) * 2;
    v.resize(v.len() + (bits / 8) as usize, 0);
    if bits % 8 != 0 {
        v.push(0xFF >> (bits % 8)); // the last byte padded with one bits
    }
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}

/// A WebP whose VP8X chunk declares a `width`×`height` canvas, followed by a real 4×4 image.
fn webp_claiming(width: u32, height: u32) -> Vec<u8> {
    let real = fixtures::webp(4, 4);
    let mut body = b"WEBPVP8X".to_vec();
    body.extend_from_slice(&10u32.to_le_bytes());
    body.extend_from_slice(&[0, 0, 0, 0]);
    body.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    body.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    body.extend_from_slice(&real[12..]);
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&(body.len() as u32).to_le_bytes());
    v.extend_from_slice(&body);
    v
}

fn media_corpus(c: &mut Corpus) {
    let png = fixtures::png(64, 48);
    let jpeg = fixtures::jpeg(64, 48);
    let webp = fixtures::webp(64, 48);
    let gif = fixtures::gif(16, 16, 3);

    // --- truncation: every format cut at several points ---
    c.media("png cut after 4 bytes", &cut(&png, 4), UNSUPPORTED);
    for at in [8, 20, 33, 60, png.len() / 2] {
        c.media(&format!("png cut at {at}"), &cut(&png, at), CORRUPT);
    }
    // Cut inside the final trailer (IEND CRC, GIF trailer, VP8L padding) with all image data
    // present: the decoders accept it; the hashes cover the exact bytes. (A JPEG without its
    // end-of-image marker is refused, below.)
    for (name, bytes, mime) in [
        ("png", &png, "image/png"),
        ("gif", &gif, "image/gif"),
        ("webp", &webp, "image/webp"),
    ] {
        let at = bytes.len() - 1;
        c.media(
            &format!("{name} cut at {at} (last byte)"),
            &cut(bytes, at),
            Accepted(mime),
        );
    }
    c.media("jpeg cut at 2 (FF D8)", &cut(&jpeg, 2), UNSUPPORTED);
    // The JPEG decoder fills in missing scan data; ingest requires the end-of-image marker.
    for at in [3, 20, 100, jpeg.len() / 2, jpeg.len() - 2, jpeg.len() - 1] {
        c.media(&format!("jpeg cut at {at}"), &cut(&jpeg, at), CORRUPT);
    }
    // Bytes after the end-of-image marker are legal (padding, a second picture as phones
    // append them): accepted, the hashes covering every byte.
    let mut padded = jpeg.clone();
    padded.resize(jpeg.len() + 65_536, 0);
    c.media("jpeg + 64 KiB of zeros", &padded, Accepted("image/jpeg"));
    let mut two = jpeg.clone();
    two.extend_from_slice(&fixtures::jpeg(16, 16));
    c.media("jpeg + a second jpeg", &two, Accepted("image/jpeg"));
    // An EXIF-style thumbnail (a whole JPEG, end marker included) inside APP1 does not end the
    // image: its scan cut in half is still refused.
    let mut with_thumbnail = vec![0xFF, 0xD8, 0xFF, 0xE1];
    let thumbnail = [b"Exif\0\0".as_slice(), &fixtures::jpeg(8, 8)].concat();
    with_thumbnail.extend_from_slice(&(thumbnail.len() as u16 + 2).to_be_bytes());
    with_thumbnail.extend_from_slice(&thumbnail);
    with_thumbnail.extend_from_slice(&jpeg[2..]);
    c.media(
        "jpeg with APP1 thumbnail",
        &with_thumbnail,
        Accepted("image/jpeg"),
    );
    c.media(
        "jpeg with APP1 thumbnail, cut in its scan",
        &cut(&with_thumbnail, with_thumbnail.len() - jpeg.len() / 3),
        CORRUPT,
    );
    c.media("gif cut at 3", &cut(&gif, 3), UNSUPPORTED);
    for at in [6, 13, 30, gif.len() / 2] {
        c.media(&format!("gif cut at {at}"), &cut(&gif, at), CORRUPT);
    }
    c.media("webp cut at 11", &cut(&webp, 11), UNSUPPORTED);
    for at in [12, 20, 30, webp.len() / 2] {
        c.media(&format!("webp cut at {at}"), &cut(&webp, at), CORRUPT);
    }

    // --- damaged headers and chunks ---
    let ihdr = find(&png, b"IHDR");
    c.media(
        "png IHDR byte flipped (bad CRC)",
        &flipped(&png, ihdr + 12),
        CORRUPT,
    );
    let idat = find(&png, b"IDAT");
    c.media(
        "png IDAT byte flipped (bad CRC)",
        &flipped(&png, idat + 10),
        CORRUPT,
    );
    let mut bad_zlib = flipped(&png, idat + 10);
    fix_png_crc(&mut bad_zlib, idat);
    c.media("png zlib data damaged (CRC fixed)", &bad_zlib, CORRUPT);
    let mut bad_depth = png.clone();
    bad_depth[ihdr + 12] = 7;
    fix_png_crc(&mut bad_depth, ihdr);
    c.media("png bit depth 7 (CRC fixed)", &bad_depth, CORRUPT);
    // Issue 20 ("limits that exist for one format only"): 16-bit pixels cost twice 8-bit ones,
    // so a 16-bit RGBA image within the pixel limit (56 megapixels) is over the decode budget
    // (448 MB of pixels, 400 MiB allowed) and refused before a pixel is allocated; the same
    // size at 8 bits is within it.
    c.media(
        "png 16-bit RGBA within the pixel limit, over the decode budget",
        &raw_png(8_000, 7_000, 16, 6, &[]),
        Expect::Refused("media.pixel_limit"),
    );
    // A colour profile of a few KiB that inflates to 64 MiB: the decoder would have inflated it
    // within the whole decode budget; it is refused within its own 4 MiB ceiling.
    let mut iccp = b"bomb\0\0".to_vec();
    iccp.extend(miniz_oxide::deflate::compress_to_vec_zlib(
        &vec![0; 64 << 20],
        9,
    ));
    c.media(
        "png colour profile inflating to 64 MiB",
        &raw_png(64, 64, 8, 2, &[png_chunk(b"iCCP", &iccp)]),
        CORRUPT,
    );
    let mut bad_colour = png.clone();
    bad_colour[ihdr + 13] = 9;
    fix_png_crc(&mut bad_colour, ihdr);
    c.media("png colour type 9 (CRC fixed)", &bad_colour, CORRUPT);
    let mut no_idat = png[..idat - 4].to_vec();
    no_idat.extend_from_slice(&png[png.len() - 12..]);
    c.media("png without IDAT", &no_idat, CORRUPT);

    let dht = find(&jpeg, &[0xFF, 0xC4]);
    let mut bad_huffman = jpeg.clone();
    bad_huffman[dht + 5..dht + 21].fill(0xFF);
    c.media("jpeg Huffman table counts 0xFF", &bad_huffman, CORRUPT);
    let mut no_huffman = jpeg.clone();
    no_huffman[dht + 1] = 0xFE; // DHT becomes a COM segment: no Huffman tables
    c.media("jpeg Huffman tables removed", &no_huffman, CORRUPT);
    let sof = find(&jpeg, &[0xFF, 0xC0]);
    let mut zero_height = jpeg.clone();
    zero_height[sof + 5..sof + 7].fill(0);
    c.media("jpeg SOF height 0", &zero_height, CORRUPT);
    let mut no_components = jpeg.clone();
    no_components[sof + 9] = 0;
    c.media("jpeg SOF 0 components", &no_components, CORRUPT);
    let dqt = find(&jpeg, &[0xFF, 0xDB]);
    let mut bad_dqt = jpeg.clone();
    bad_dqt[dqt + 2..dqt + 4].copy_from_slice(&0xFFFFu16.to_be_bytes());
    c.media("jpeg DQT length 65535", &bad_dqt, CORRUPT);

    let mut bad_lzw = raw_gif(1, 1, 1);
    bad_lzw[13 + 6 + 10] = 0x0F; // LZW minimum code size 15
    c.media("gif LZW code size 15", &bad_lzw, CORRUPT);
    c.media("gif with no frame", &raw_gif(16, 16, 0), CORRUPT);
    c.media("gif screen 0x0", &raw_gif(0, 0, 1), CORRUPT);

    let mut bad_vp8l = webp.clone();
    bad_vp8l[20] ^= 0xFF; // the VP8L signature byte 0x2F
    c.media("webp VP8L signature flipped", &bad_vp8l, CORRUPT);
    let mut bad_fourcc = webp.clone();
    bad_fourcc[12..16].copy_from_slice(b"VP9 ");
    c.media("webp unknown chunk VP9", &bad_fourcc, CORRUPT);
    let mut riff_lies = webp;
    riff_lies[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    // the RIFF size field is not trusted
    c.media("webp RIFF size 4 GiB", &riff_lies, Accepted("image/webp"));

    // --- decompression bombs: huge declared sizes in tiny files ---
    c.media(
        "png IHDR 100000x100000",
        &fixtures::png_claiming(100_000, 100_000),
        PIXELS,
    );
    c.media(
        // over the limits from the IHDR itself (the header reader refuses it too, vaguely)
        "png IHDR 2^31-1 x 1",
        &fixtures::png_claiming(0x7FFF_FFFF, 1),
        PIXELS,
    );
    c.media(
        "png IHDR 20000x20000",
        &fixtures::png_claiming(20_000, 20_000),
        PIXELS,
    );
    c.media(
        "png IHDR 10000x10000 (at limit)",
        &fixtures::png_claiming(10_000, 10_000),
        CORRUPT,
    );
    let mut jpeg_huge = jpeg.clone();
    jpeg_huge[sof + 5..sof + 9].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    c.media("jpeg SOF 65535x65535", &jpeg_huge, PIXELS);
    // A JPEG codes every 8×8 block in at least one bit: 10000×10000 needs 195313 bytes of
    // scan data; this one has 920 (the decoder would invent the rest), refused before decoding.
    let mut jpeg_limit = jpeg.clone();
    jpeg_limit[sof + 5..sof + 9].copy_from_slice(&[0x27, 0x10, 0x27, 0x10]);
    c.media("jpeg SOF 10000x10000 (at limit)", &jpeg_limit, CORRUPT);
    // The same with 256 KiB of metadata: only scan data counts.
    let mut jpeg_padded = jpeg_limit[..2].to_vec();
    for _ in 0..4 {
        jpeg_padded.extend_from_slice(&[0xFF, 0xE2, 0xFF, 0xFF]);
        jpeg_padded.resize(jpeg_padded.len() + 65_533, 0);
    }
    jpeg_padded.extend_from_slice(&jpeg_limit[2..]);
    c.media("jpeg SOF 10000x10000 + 256 KiB APP2", &jpeg_padded, CORRUPT);
    // Legitimate JPEGs as compact as JPEG allows (256 pixels per byte of scan data per
    // component, half the bound): accepted; at the limit, decoded (300 MB), then hashed from a
    // 16.8-megapixel working copy after the full-size pixels are freed.
    c.media(
        "jpeg 1000x1000 flat grey (4 KB)",
        &flat_jpeg(1_000, 1_000, 1),
        Accepted("image/jpeg"),
    );
    c.large(
        "jpeg 10000x10000 flat colour (1.2 MB)",
        &flat_jpeg(10_000, 10_000, 3),
        Accepted("image/jpeg"),
        160,
        10_000,
    );
    let grey = flat_jpeg(10_000, 10_000, 1);
    c.media(
        "jpeg 10000x10000 flat grey, cut in half",
        &cut(&grey, grey.len() / 2),
        CORRUPT,
    );
    c.media(
        "gif screen 65535x65535",
        &raw_gif(65_535, 65_535, 1),
        PIXELS,
    );
    // A valid GIF: a 1×1 frame on a 10000×10000 screen (the decoder composites it onto the
    // full 400 MB screen; no pixels-per-byte bound applies to GIF, PNG or WebP, whose
    // legitimate flat images reach thousands of pixels per byte).
    c.large(
        "gif screen 10000x10000, 1x1 frame",
        &raw_gif(10_000, 10_000, 1),
        Accepted("image/gif"),
        200,
        15_000,
    );
    c.media(
        "gif 3000 frames (60 KB)",
        &raw_gif(1, 1, 3_000),
        Refused("media.frame_limit"),
    );
    c.media(
        "gif 100000 frames (2 MB)",
        &raw_gif(1, 1, 100_000),
        Refused("media.frame_limit"),
    );
    c.media(
        // over the limits from the VP8X chunk itself (the header reader refuses it too, vaguely)
        "webp VP8X 16777216^2",
        &webp_claiming(1 << 24, 1 << 24),
        PIXELS,
    );
    c.media(
        "webp VP8X 16383x16383",
        &webp_claiming(16_383, 16_383),
        PIXELS,
    );

    // --- sizes ---
    c.media("zero bytes", b"", Refused("media.empty"));
    c.sparse("4 GiB sparse zeros (= limit)", b"", 4 << 30, UNSUPPORTED);
    c.sparse(
        "4 GiB + 1 sparse",
        b"",
        (4 << 30) + 1,
        Refused("media.too_large"),
    );
    c.sparse("1 TiB sparse", b"", 1 << 40, Refused("media.too_large"));
    c.sparse(
        "PNG head + 1 GiB sparse",
        &png,
        1 << 30,
        Refused("media.too_large"),
    );
    let mut mp4 = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2".to_vec();
    mp4.extend_from_slice(&1u32.to_be_bytes());
    mp4.extend_from_slice(b"mdat");
    mp4.extend_from_slice(&((8u64 << 30) - 24).to_be_bytes());
    c.sparse(
        "MP4 head + 8 GiB sparse",
        &mp4,
        8 << 30,
        Refused("media.too_large"),
    );

    // --- documents, scripts, polyglots ---
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>"#;
    c.media("svg with script", svg, UNSUPPORTED);
    let mut svg_prolog = b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<!-- x -->\n".to_vec();
    svg_prolog.extend_from_slice(svg);
    c.media(
        "svg behind BOM, XML prolog, comment",
        &svg_prolog,
        UNSUPPORTED,
    );
    c.media(
        "html with script",
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        UNSUPPORTED,
    );
    c.media(
        "html lower-case, leading spaces",
        b"\n\t <html><body onload=x()>",
        UNSUPPORTED,
    );
    c.media("xml document", b"<?xml version=\"1.0\"?><a/>", UNSUPPORTED);
    c.media("pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", UNSUPPORTED);
    c.media("zip", b"PK\x03\x04\x14\0\0\0\0\0", UNSUPPORTED);
    c.media("ELF", b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", UNSUPPORTED);
    c.media("shell script", b"#!/bin/sh\nrm -rf ~\n", UNSUPPORTED);
    c.media("random text", b"hello, this is not media", UNSUPPORTED);
    let mut html_then_png = b"<html>".to_vec();
    html_then_png.extend_from_slice(&png);
    c.media("html, then a PNG", &html_then_png, UNSUPPORTED);
    let mut zip_then_png = b"PK\x03\x04".to_vec();
    zip_then_png.extend_from_slice(&png);
    c.media("zip, then a PNG", &zip_then_png, UNSUPPORTED);
    // Polyglots that start as a valid image: accepted as that image, the hashes covering every
    // byte (the trailer is never interpreted; Hallmark serves media as CID-verified bytes with
    // the sniffed type, never as HTML).
    let mut png_zip = png.clone();
    png_zip.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0payload.js");
    c.media("png + zip appended", &png_zip, Accepted("image/png"));
    let mut png_html = png.clone();
    png_html.extend_from_slice(b"<html><script>alert(1)</script></html>");
    c.media("png + html appended", &png_html, Accepted("image/png"));
    let mut jpeg_zip = jpeg;
    jpeg_zip.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0");
    c.media("jpeg + zip appended", &jpeg_zip, Accepted("image/jpeg"));
    let mut gif_html = gif;
    gif_html.extend_from_slice(b"<html><script>alert(1)</script>");
    c.media("gif + html appended", &gif_html, Accepted("image/gif"));
    // "GIF89a" followed by HTML: sniffed as GIF, its header is nonsense → corrupt.
    c.media(
        "GIF89a then html",
        b"GIF89a<html><script>alert(1)</script></html>",
        PIXELS, // "<h" and "tm" read as a 26684×28020 screen
    );
    c.media(
        "\\x89PNG then html",
        b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>",
        CORRUPT,
    );
}

/// A valid metadata document (canonical JSON) for an ingested PNG.
fn valid_document(dir: &Path) -> Value {
    let path = dir.join("base.png");
    fs::write(&path, fixtures::png(8, 8)).unwrap();
    let ingested = ingest(&path, &IngestOptions::default()).unwrap();
    let doc = WorkMetadata::build(
        &ingested,
        WorkFields {
            name: "Harbour".to_owned(),
            description: Some("Oil".to_owned()),
            creator: "0x00000000000000000000000000000000000000aa".to_owned(),
            licence: "CC-BY-4.0".to_owned(),
            ..WorkFields::default()
        },
    )
    .unwrap();
    serde_json::from_slice(&doc.to_canonical_json().unwrap()).unwrap()
}

/// Markup and script payloads put in every string field.
const MARKUP: &str = r#"<script>alert("x")</script><img src=x onerror=alert(1)> **bold** [l](javascript:alert(1)) &lt;&amp;"#;

fn with_markup(base: &Value) -> Value {
    let mut doc = base.clone();
    doc["name"] = json!(format!("<b>{MARKUP}"));
    doc["description"] = json!(format!("{MARKUP}\n<iframe src=//evil>"));
    doc["attributes"] = json!([{"trait_type": "<svg onload=alert(1)>", "value": MARKUP}]);
    doc["hallmark"]["licence"] = json!(format!("<a href=javascript:alert(1)>MIT</a>"));
    doc["external_url"] = json!("https://example.org/\"><script>alert(1)</script>");
    doc
}

fn meta_corpus(c: &mut Corpus, base: &Value) {
    let doc = |v: &Value| serde_json::to_vec(v).unwrap();
    c.meta("valid document", &doc(base), Accepted("metadata"));
    c.meta(
        "markup in every string field",
        &doc(&with_markup(base)),
        Accepted("metadata"),
    );

    let mut huge = b"[\"".to_vec();
    huge.resize(50 << 20, b'a');
    huge.extend_from_slice(b"\"]");
    c.meta("50 MB document", &huge, Refused("metadata.too_large"));
    let mut long = base.clone();
    long["description"] = json!("x".repeat(300 * 1024));
    c.meta(
        "300 KB description",
        &doc(&long),
        Refused("metadata.too_large"),
    );
    c.meta("100k [", &vec![b'['; 100_000], Refused("metadata.too_deep"));
    c.meta(
        "100k [ closed",
        &[vec![b'['; 100_000], vec![b']'; 100_000]].concat(),
        Refused("metadata.too_deep"),
    );
    c.meta(
        "100k {\"a\":",
        &"{\"a\":".repeat(40_000).into_bytes(),
        Refused("metadata.too_deep"),
    );
    let mut deep = base.clone();
    let mut nested = json!(1);
    for _ in 0..20 {
        nested = json!([nested]);
    }
    deep["attributes"] = json!([{"trait_type": "t", "value": nested}]);
    c.meta(
        "20 levels in an attribute",
        &doc(&deep),
        Refused("metadata.too_deep"),
    );
    let mut brackets_in_text = base.clone();
    brackets_in_text["description"] = json!("[".repeat(5_000));
    c.meta(
        "5000 [ inside a string",
        &doc(&brackets_in_text),
        Accepted("metadata"),
    );

    let valid = doc(base);
    let mut bad_byte = valid.clone();
    let at = find(&bad_byte, b"Harbour");
    bad_byte[at] = 0xFF;
    c.meta("0xFF in name", &bad_byte, Refused("metadata.not_utf8"));
    let mut overlong = valid.clone();
    overlong.splice(at..at + 1, [0xC0, 0xAF]);
    c.meta("overlong UTF-8 /", &overlong, Refused("metadata.not_utf8"));
    let mut surrogate = valid.clone();
    surrogate.splice(at..at + 1, [0xED, 0xA0, 0x80]);
    c.meta("CESU surrogate", &surrogate, Refused("metadata.not_utf8"));
    let utf16: Vec<u8> = std::iter::once(0xFEFFu16)
        .chain(String::from_utf8(valid.clone()).unwrap().encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    c.meta("UTF-16 document", &utf16, Refused("metadata.not_utf8"));
    c.meta(
        "UTF-8 BOM",
        &[b"\xEF\xBB\xBF".as_slice(), &valid].concat(),
        Refused("metadata.malformed"),
    );
    c.meta("empty", b"", Refused("metadata.malformed"));
    c.meta(
        "html page",
        b"<html><script>alert(1)</script></html>",
        Refused("metadata.malformed"),
    );
    c.meta(
        "truncated",
        &valid[..valid.len() / 2],
        Refused("metadata.malformed"),
    );
    c.meta(
        "lone escaped surrogate \\ud800",
        &String::from_utf8(valid.clone())
            .unwrap()
            .replacen("Harbour", "\\ud800", 1)
            .into_bytes(),
        Refused("metadata.malformed"),
    );

    let field = |path: &[&str], value: Value| {
        let mut d = base.clone();
        let mut at = &mut d;
        for p in &path[..path.len() - 1] {
            at = &mut at[*p];
        }
        at[path[path.len() - 1]] = value;
        doc(&d)
    };
    let invalid = Refused("metadata.invalid_field");
    c.meta(
        "image javascript:",
        &field(&["image"], json!("javascript:alert(1)")),
        invalid.clone(),
    );
    c.meta(
        "image data: URL",
        &field(
            &["image"],
            json!("data:text/html,<script>alert(1)</script>"),
        ),
        invalid.clone(),
    );
    c.meta(
        "image ipfs://<script>",
        &field(&["image"], json!("ipfs://<script>")),
        invalid.clone(),
    );
    c.meta(
        "external_url javascript:",
        &field(&["external_url"], json!("javascript:alert(1)")),
        invalid.clone(),
    );
    c.meta(
        "external_url http:",
        &field(&["external_url"], json!("http://example.org")),
        invalid.clone(),
    );
    c.meta(
        "name NUL",
        &field(&["name"], json!("a\u{0}b")),
        invalid.clone(),
    );
    c.meta(
        "name ESC (terminal)",
        &field(&["name"], json!("\u{1b}[31mred")),
        invalid.clone(),
    );
    c.meta(
        "name 201 chars",
        &field(&["name"], json!("<".repeat(201))),
        invalid.clone(),
    );
    c.meta(
        "creator <script>",
        &field(&["hallmark", "creator"], json!("<script>")),
        invalid.clone(),
    );
    c.meta(
        "mime text/html",
        &field(&["hallmark", "mime"], json!("text/html")),
        invalid.clone(),
    );
    c.meta(
        "mime image/svg+xml",
        &field(&["hallmark", "mime"], json!("image/svg+xml")),
        invalid.clone(),
    );
    let attrs: Vec<Value> = (0..65)
        .map(|i| json!({"trait_type": format!("t{i}"), "value": i}))
        .collect();
    c.meta(
        "65 attributes",
        &field(&["attributes"], json!(attrs)),
        invalid,
    );
    // A field Hallmark does not know is kept as data (other marketplaces write their own) and
    // never displayed.
    c.meta(
        "unknown field onload",
        &field(&["onload"], json!("alert(1)")),
        Accepted("metadata"),
    );
    let malformed = Refused("metadata.malformed");
    c.meta(
        "name is an object",
        &field(&["name"], json!({"__proto__": {"x": 1}})),
        malformed.clone(),
    );
    c.meta(
        "size -1",
        &field(&["hallmark", "size"], json!(-1)),
        malformed.clone(),
    );
    let text = String::from_utf8(valid.clone()).unwrap();
    c.meta(
        "duplicate name",
        text.replacen("{", "{\"name\":\"a\",", 1).as_bytes(),
        malformed.clone(),
    );
    c.meta(
        "number 1e400",
        text.replacen(
            "{",
            "{\"attributes\":[{\"trait_type\":\"t\",\"value\":1e400}],",
            1,
        )
        .as_bytes(),
        malformed,
    );
}

/// Peak resident set size of this process, in KiB.
fn peak_kib() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The child: runs the one case named in the environment and prints one result line.
#[test]
fn child_runs_one_case() {
    let (Ok(path), Ok(kind)) = (std::env::var(ENV_CASE), std::env::var(ENV_KIND)) else {
        return; // not a child run
    };
    let path = PathBuf::from(path);
    let before = peak_kib();
    let started = Instant::now();
    let (outcome, message) = if kind == "media" {
        match ingest_with_sink(&path, &IngestOptions::default(), NullSink, |_, _| {}) {
            Ok((ingested, _)) => {
                // the bytes are intact: the hash covers the whole file
                let bytes = fs::read(&path).unwrap();
                assert_eq!(ingested.size, bytes.len() as u64);
                assert_eq!(ingested.sha256, hex::encode(Sha256::digest(&bytes)));
                (format!("accepted {}", ingested.mime), String::new())
            }
            Err(e) => (e.code().to_string(), e.to_string()),
        }
    } else {
        let bytes = fs::read(&path).unwrap();
        match WorkMetadata::from_json(&bytes) {
            Ok(doc) => {
                // parsed as plain text: canonical bytes round-trip to the same document
                let canonical = doc.to_canonical_json().unwrap();
                assert_eq!(WorkMetadata::from_json(&canonical).unwrap(), doc);
                let original: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(original["name"], json!(doc.name));
                assert_eq!(original["hallmark"]["licence"], json!(doc.hallmark.licence));
                ("accepted metadata".to_owned(), String::new())
            }
            Err(e) => (e.code().to_string(), e.to_string()),
        }
    };
    let ms = started.elapsed().as_millis();
    let peak = peak_kib();
    println!(
        "HOSTILE\t{outcome}\t{ms}\t{peak}\t{before}\t{}",
        message.replace(['\n', '\t'], " ")
    );
}

/// A message is a clear sentence: not empty, no Rust debug dump.
fn clear_sentence(message: &str) -> bool {
    !message.trim().is_empty()
        && !["{ kind:", "Os {", "Custom {", "Error {", "Some(", "\\\""]
            .iter()
            .any(|dump| message.contains(dump))
}

#[test]
fn hostile_corpus_is_refused_clearly_quickly_in_bounded_memory() {
    if std::env::var(ENV_CASE).is_ok() {
        return;
    }
    let mut corpus = Corpus {
        dir: TempDir::new().unwrap(),
        cases: Vec::new(),
    };
    media_corpus(&mut corpus);
    let base = valid_document(corpus.dir.path());
    meta_corpus(&mut corpus, &base);

    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut failures = Vec::new();
    eprintln!(
        "{:<40} {:<28} {:>6} {:>9} {:>9}",
        "case", "outcome", "ms", "peak MiB", "+MiB"
    );
    for case in &corpus.cases {
        let output = Command::new(&exe)
            .args([
                "--exact",
                "child_runs_one_case",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ENV_CASE, &case.path)
            .env(ENV_KIND, case.kind)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let Some(line) = stdout
            .lines()
            .find_map(|l| l.find("HOSTILE\t").map(|at| &l[at..]))
        else {
            failures.push(format!(
                "{}: the child crashed ({}): {}",
                case.name,
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        };
        let fields: Vec<&str> = line.splitn(6, '\t').collect();
        let (outcome, ms, peak, before, message) = (
            fields[1],
            fields[2].parse::<u128>().unwrap(),
            fields[3].parse::<u64>().unwrap() / 1024,
            fields[4].parse::<u64>().unwrap() / 1024,
            fields[5],
        );
        eprintln!(
            "{:<40} {:<28} {:>6} {:>9} {:>9}",
            case.name,
            outcome,
            ms,
            peak,
            peak - before
        );
        let expected = match &case.expect {
            Refused(code) => (*code).to_owned(),
            Accepted(mime) => format!("accepted {mime}"),
        };
        if outcome != expected {
            failures.push(format!(
                "{}: expected {expected}, got {outcome}: {message}",
                case.name
            ));
        }
        if matches!(case.expect, Refused(_)) && !clear_sentence(message) {
            failures.push(format!("{}: unclear message: {message:?}", case.name));
        }
        if ms > case.max_ms {
            failures.push(format!(
                "{}: took {ms} ms (bound {})",
                case.name, case.max_ms
            ));
        }
        if peak > MAX_PEAK_MIB + case.extra_mib {
            failures.push(format!("{}: peak RSS {peak} MiB", case.name));
        }
    }
    eprintln!(
        "{} hostile inputs in {:.1} s",
        corpus.cases.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
