//! The hostile media corpus, generated at test time: truncated and damaged images, pixel and
//! frame bombs, sparse files of up to 1 TiB, documents, scripts and polyglots, each with the
//! outcome ingest must give.
//!
//! Shared by crates/hallmark-media/tests/hostile.rs (ingest in a child process, time and peak
//! memory bounded) and crates/hallmark-engine/tests/hostile_folder.rs (ingest through the engine
//! into a real data folder), both by a `#[path]` include next to `common/fixtures.rs`.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::fs::{self, File};
use std::io::Write as _;
use std::path::PathBuf;

use tempfile::TempDir;

use crate::fixtures;

/// Wall time allowed per case (debug profile, a loaded 2-core CI machine).
pub const MAX_MS: u128 = 2_000;

/// What a case must give.
#[derive(Debug, Clone)]
pub enum Expect {
    /// Refused with this code.
    Refused(&'static str),
    /// Accepted as this MIME type, with the hashes of the exact bytes (polyglots).
    Accepted(&'static str),
}

impl Expect {
    /// The outcome line a run of the case must print: the code, or `accepted <mime>`.
    pub fn outcome(&self) -> String {
        match self {
            Self::Refused(code) => (*code).to_owned(),
            Self::Accepted(mime) => format!("accepted {mime}"),
        }
    }
}

/// One input and what ingesting (or parsing) it must give.
pub struct Case {
    /// What the case is, for the report.
    pub name: String,
    /// `media` (ingest the file) or `meta` (parse the file as a metadata document).
    pub kind: &'static str,
    /// The input, in [`Corpus::dir`].
    pub path: PathBuf,
    /// The outcome it must give.
    pub expect: Expect,
    /// Extra peak memory allowed for this case (the input itself, for `meta`).
    pub extra_mib: u64,
    /// Wall time allowed.
    pub max_ms: u128,
}

/// The cases, written into a temporary folder.
pub struct Corpus {
    /// Where the inputs are.
    pub dir: TempDir,
    /// In the order they were added.
    pub cases: Vec<Case>,
}

impl Corpus {
    /// An empty corpus in a new temporary folder.
    pub fn new() -> Self {
        Self {
            dir: TempDir::new().unwrap(),
            cases: Vec::new(),
        }
    }

    /// A case of `kind` (`media` or `meta`) whose input is `bytes`.
    pub fn add(&mut self, kind: &'static str, name: &str, bytes: &[u8], expect: Expect) {
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

    /// A media file to ingest.
    pub fn media(&mut self, name: &str, bytes: &[u8], expect: Expect) {
        self.add("media", name, bytes, expect);
    }

    /// A metadata document to parse.
    pub fn meta(&mut self, name: &str, bytes: &[u8], expect: Expect) {
        self.add("meta", name, bytes, expect);
    }

    /// An image at the pixel limit (100 MP), decoded in full: allowed `extra_mib` over
    /// hostile.rs's `MAX_PEAK_MIB` (the decoded pixels, then a working copy of at most
    /// `WORKING_MAX_PIXELS` that is hashed after they are freed: about 10 % over the measured
    /// peak) and `max_ms` (about 3 times the time measured on an idle machine, 2 times on one
    /// loaded by a parallel build).
    pub fn large(
        &mut self,
        name: &str,
        bytes: &[u8],
        expect: Expect,
        extra_mib: u64,
        max_ms: u128,
    ) {
        self.add("media", name, bytes, expect);
        let case = self.cases.last_mut().unwrap();
        case.extra_mib = extra_mib;
        case.max_ms = max_ms;
    }

    /// A sparse file: `head`, then zeros up to `len` (costs no disk).
    pub fn sparse(&mut self, name: &str, head: &[u8], len: u64, expect: Expect) {
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

pub use Expect::{Accepted, Refused};

pub const UNSUPPORTED: Expect = Refused("media.unsupported_type");
pub const CORRUPT: Expect = Refused("media.corrupt");
pub const PIXELS: Expect = Refused("media.pixel_limit");

/// The first `at` bytes (all of them when shorter).
pub fn cut(bytes: &[u8], at: usize) -> Vec<u8> {
    bytes[..at.min(bytes.len())].to_vec()
}

/// `bytes` with the byte at `at` inverted.
pub fn flipped(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 0xFF;
    out
}

/// Where `needle` first occurs in `bytes` (panics when it does not).
pub fn find(bytes: &[u8], needle: &[u8]) -> usize {
    bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"))
}

/// Recomputes the CRC of the PNG chunk whose type starts at `type_at`.
pub fn fix_png_crc(bytes: &mut [u8], type_at: usize) {
    let len = u32::from_be_bytes(bytes[type_at - 4..type_at].try_into().unwrap()) as usize;
    let end = type_at + 4 + len;
    let crc = fixtures::crc32(&bytes[type_at..end]);
    bytes[end..end + 4].copy_from_slice(&crc.to_be_bytes());
}

/// A PNG chunk with its CRC.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = fixtures::crc32(&out[4..]);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// A PNG written chunk by chunk: `width`×`height` at `depth` bits of colour type `colour`,
/// `extra` chunks before the image data, and one row of zeros as the image data.
pub fn raw_png(width: u32, height: u32, depth: u8, colour: u8, extra: &[Vec<u8>]) -> Vec<u8> {
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
pub fn raw_gif(width: u16, height: u16, frames: usize) -> Vec<u8> {
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
pub fn flat_jpeg(width: u16, height: u16, components: u8) -> Vec<u8> {
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
pub fn webp_claiming(width: u32, height: u32) -> Vec<u8> {
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

/// The media cases: every image format truncated and damaged, decompression and frame bombs,
/// sizes up to 1 TiB (sparse), documents, scripts and polyglots.
pub fn media_corpus(c: &mut Corpus) {
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
