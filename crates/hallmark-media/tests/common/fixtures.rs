//! Media fixtures generated in code: images through the `image` crate, audio and video as
//! minimal valid containers written byte by byte, each with a known duration.
//!
//! Shared by the hallmark-media and hallmark-cli integration tests (`#[path]` include).
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::io::Cursor;

use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb, Rgba};

/// A colourful RGB test picture.
pub fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |x, y| {
        Rgb([
            (x * 7 % 256) as u8,
            (y * 13 % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    }))
}

/// `image` encoded as `format`.
pub fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    let image = match format {
        ImageFormat::Jpeg => DynamicImage::ImageRgb8(image.to_rgb8()),
        _ => image.clone(),
    };
    image.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::Png)
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::Jpeg)
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::WebP)
}

/// An animated GIF with `frames` frames.
pub fn gif(width: u32, height: u32, frames: u32) -> Vec<u8> {
    use image::codecs::gif::{GifEncoder, Repeat};
    use image::{Delay, Frame};
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        for i in 0..frames {
            let buffer = ImageBuffer::from_fn(width, height, |x, y| {
                Rgba([
                    ((x + i * 5) % 256) as u8,
                    (y % 256) as u8,
                    (i * 40 % 256) as u8,
                    255,
                ])
            });
            encoder
                .encode_frame(Frame::from_parts(
                    buffer,
                    0,
                    0,
                    Delay::from_numer_denom_ms(100, 1),
                ))
                .unwrap();
        }
    }
    out
}

/// CRC-32 (IEEE, reflected), as PNG chunks use.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid small PNG whose IHDR claims `width`×`height` (CRC fixed up), as an attacker would
/// write it: decoding it would need width × height × 3 bytes.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(4, 4);
    // signature (8) + length (4) + "IHDR" (4) + width, height ...
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// PCM WAV: 16-bit, `channels`, `sample_rate`, lasting `ms`.
pub fn wav(sample_rate: u32, channels: u16, ms: u32) -> Vec<u8> {
    let frames = u64::from(sample_rate) * u64::from(ms) / 1000;
    let data_len = (frames * u64::from(channels) * 2) as u32;
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&channels.to_le_bytes());
    v.extend_from_slice(&sample_rate.to_le_bytes());
    v.extend_from_slice(&(sample_rate * u32::from(channels) * 2).to_le_bytes());
    v.extend_from_slice(&(channels * 2).to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..data_len / 2 {
        let sample = ((i as f32 * 0.05).sin() * 8000.0) as i16;
        v.extend_from_slice(&sample.to_le_bytes());
    }
    v
}

/// A FLAC STREAMINFO body.
pub fn streaminfo(sample_rate: u32, channels: u8, total_samples: u64) -> [u8; 34] {
    let mut s = [0u8; 34];
    s[0..2].copy_from_slice(&4096u16.to_be_bytes());
    s[2..4].copy_from_slice(&4096u16.to_be_bytes());
    let packed = (u64::from(sample_rate) << 44)
        | (u64::from(channels - 1) << 41)
        | (15u64 << 36)
        | (total_samples & 0xF_FFFF_FFFF);
    s[10..18].copy_from_slice(&packed.to_be_bytes());
    s
}

/// A native FLAC stream header (STREAMINFO only, then one frame's worth of bytes).
pub fn flac(sample_rate: u32, ms: u32) -> Vec<u8> {
    let total = u64::from(sample_rate) * u64::from(ms) / 1000;
    let mut v = b"fLaC".to_vec();
    v.extend_from_slice(&[0x80, 0, 0, 34]);
    v.extend_from_slice(&streaminfo(sample_rate, 2, total));
    v.extend_from_slice(&[0xFF, 0xF8, 0x69, 0x08, 0x00, 0x00]);
    v.resize(v.len() + 512, 0);
    v
}

/// An ID3v2.4 tag holding a title frame.
pub fn id3v2(title: &str) -> Vec<u8> {
    let mut frame = b"TIT2".to_vec();
    let body_len = title.len() as u32 + 1;
    frame.extend_from_slice(&body_len.to_be_bytes());
    frame.extend_from_slice(&[0, 0, 3]);
    frame.extend_from_slice(title.as_bytes());
    let size = frame.len() as u32;
    let syncsafe = [
        (size >> 21) as u8 & 0x7F,
        (size >> 14) as u8 & 0x7F,
        (size >> 7) as u8 & 0x7F,
        size as u8 & 0x7F,
    ];
    let mut tag = b"ID3\x04\x00\x00".to_vec();
    tag.extend_from_slice(&syncsafe);
    tag.extend(frame);
    tag
}

/// MPEG-1 layer III, 128 kbit/s, 44.1 kHz, stereo: 417-byte frames of 1152 samples.
const MP3_HEADER: [u8; 4] = [0xFF, 0xFB, 0x90, 0x00];
const MP3_FRAME_LEN: usize = 417;

/// A constant-bitrate MP3 of `frames` frames with an ID3v2 tag in front (no frame count:
/// the duration must be estimated as `frames × 417 bytes / 16 000 bytes/s`).
pub fn mp3_cbr(frames: usize) -> Vec<u8> {
    let mut v = id3v2("Hallmark test tone");
    for _ in 0..frames {
        v.extend_from_slice(&MP3_HEADER);
        v.resize(v.len() + MP3_FRAME_LEN - 4, 0x55);
    }
    v
}

/// An MP3 whose first frame is a Xing header counting `frames` audio frames (exact duration
/// `frames × 1152 / 44 100` s), followed by those frames.
pub fn mp3_xing(frames: u32) -> Vec<u8> {
    let mut v = id3v2("Hallmark VBR");
    let start = v.len();
    v.extend_from_slice(&MP3_HEADER);
    v.resize(start + MP3_FRAME_LEN, 0);
    // stereo MPEG-1: 32 bytes of side information after the header
    v[start + 36..start + 40].copy_from_slice(b"Xing");
    v[start + 40..start + 44].copy_from_slice(&1u32.to_be_bytes());
    v[start + 44..start + 48].copy_from_slice(&frames.to_be_bytes());
    for _ in 0..frames {
        v.extend_from_slice(&MP3_HEADER);
        v.resize(v.len() + MP3_FRAME_LEN - 4, 0x33);
    }
    v
}

/// Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, initial 0).
pub fn ogg_crc(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &byte in data {
        crc ^= u32::from(byte) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04C1_1DB7
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// One Ogg page holding one packet (< 255 × 255 bytes).
pub fn ogg_page(
    header_type: u8,
    granule: u64,
    serial: u32,
    sequence: u32,
    packet: &[u8],
) -> Vec<u8> {
    let mut lacing = vec![255u8; packet.len() / 255];
    lacing.push((packet.len() % 255) as u8);
    let mut page = b"OggS\0".to_vec();
    page.push(header_type);
    page.extend_from_slice(&granule.to_le_bytes());
    page.extend_from_slice(&serial.to_le_bytes());
    page.extend_from_slice(&sequence.to_le_bytes());
    page.extend_from_slice(&[0; 4]);
    page.push(lacing.len() as u8);
    page.extend(lacing);
    page.extend_from_slice(packet);
    let crc = ogg_crc(&page);
    page[22..26].copy_from_slice(&crc.to_le_bytes());
    page
}

/// Ogg Vorbis framing: identification, comment and setup headers, then audio pages whose last
/// granule is `sample_rate × ms / 1000`.
pub fn ogg_vorbis(sample_rate: u32, ms: u32) -> Vec<u8> {
    let serial = 0x4841_4c4d;
    let mut id = b"\x01vorbis".to_vec();
    id.extend_from_slice(&0u32.to_le_bytes());
    id.push(2);
    id.extend_from_slice(&sample_rate.to_le_bytes());
    id.extend_from_slice(&[0; 12]);
    id.extend_from_slice(&[0xB8, 0x01]);
    let mut comment = b"\x03vorbis".to_vec();
    comment.extend_from_slice(&8u32.to_le_bytes());
    comment.extend_from_slice(b"hallmark");
    comment.extend_from_slice(&0u32.to_le_bytes());
    comment.push(1);
    let total = u64::from(sample_rate) * u64::from(ms) / 1000;
    let mut v = ogg_page(0x02, 0, serial, 0, &id);
    v.extend(ogg_page(0x00, 0, serial, 1, &comment));
    v.extend(ogg_page(0x00, total / 2, serial, 2, &[0x2A; 300]));
    v.extend(ogg_page(0x04, total, serial, 3, &[0x2A; 300]));
    v
}

/// Ogg Opus with a 312-sample pre-skip lasting `ms`.
pub fn ogg_opus(ms: u32) -> Vec<u8> {
    let serial = 7;
    let mut head = b"OpusHead\x01\x02".to_vec();
    head.extend_from_slice(&312u16.to_le_bytes());
    head.extend_from_slice(&48_000u32.to_le_bytes());
    head.extend_from_slice(&[0, 0, 0]);
    let mut tags = b"OpusTags".to_vec();
    tags.extend_from_slice(&0u32.to_le_bytes());
    tags.extend_from_slice(&0u32.to_le_bytes());
    let mut v = ogg_page(0x02, 0, serial, 0, &head);
    v.extend(ogg_page(0x00, 0, serial, 1, &tags));
    v.extend(ogg_page(
        0x04,
        48 * u64::from(ms) + 312,
        serial,
        2,
        &[0x11; 200],
    ));
    v
}

/// An ISO box.
pub fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

fn full_box(kind: &[u8; 4], version: u8, body: &[u8]) -> Vec<u8> {
    let mut b = vec![version, 0, 0, 0];
    b.extend_from_slice(body);
    mp4_box(kind, &b)
}

const MATRIX: [u32; 9] = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];

fn mvhd(version: u8, timescale: u32, duration: u64) -> Vec<u8> {
    let mut b = Vec::new();
    if version == 1 {
        b.extend_from_slice(&[0; 16]);
        b.extend_from_slice(&timescale.to_be_bytes());
        b.extend_from_slice(&duration.to_be_bytes());
    } else {
        b.extend_from_slice(&[0; 8]);
        b.extend_from_slice(&timescale.to_be_bytes());
        b.extend_from_slice(&(duration as u32).to_be_bytes());
    }
    b.extend_from_slice(&0x0001_0000u32.to_be_bytes()); // rate
    b.extend_from_slice(&0x0100u16.to_be_bytes()); // volume
    b.extend_from_slice(&[0; 10]);
    for m in MATRIX {
        b.extend_from_slice(&m.to_be_bytes());
    }
    b.extend_from_slice(&[0; 24]);
    b.extend_from_slice(&2u32.to_be_bytes()); // next track id
    full_box(b"mvhd", version, &b)
}

fn tkhd(width: u32, height: u32, duration: u32) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&[0; 8]);
    b.extend_from_slice(&1u32.to_be_bytes()); // track id
    b.extend_from_slice(&[0; 4]);
    b.extend_from_slice(&duration.to_be_bytes());
    b.extend_from_slice(&[0; 8]);
    b.extend_from_slice(&[0; 8]); // layer, alternate group, volume, reserved
    for m in MATRIX {
        b.extend_from_slice(&m.to_be_bytes());
    }
    b.extend_from_slice(&(width << 16).to_be_bytes());
    b.extend_from_slice(&(height << 16).to_be_bytes());
    full_box(b"tkhd", 0, &b)
}

fn hdlr(handler: &[u8; 4]) -> Vec<u8> {
    let mut b = vec![0; 4];
    b.extend_from_slice(handler);
    b.extend_from_slice(&[0; 12]);
    b.extend_from_slice(b"Hallmark\0");
    full_box(b"hdlr", 0, &b)
}

/// An MP4: `ftyp`, `mdat`, then `moov` with a `version` movie header and one video track of
/// `width`×`height`, lasting `ms`.
pub fn mp4(width: u32, height: u32, ms: u32, version: u8) -> Vec<u8> {
    let timescale = 90_000u32;
    let duration = u64::from(timescale) * u64::from(ms) / 1000;
    let mut v = mp4_box(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41");
    v.extend(mp4_box(b"mdat", &[0x42; 2048]));
    let mdia = mp4_box(b"mdia", &hdlr(b"vide"));
    let mut trak = tkhd(width, height, duration as u32);
    trak.extend(mdia);
    let mut moov = mvhd(version, timescale, duration);
    moov.extend(mp4_box(b"trak", &trak));
    v.extend(mp4_box(b"moov", &moov));
    v
}

/// An EBML element with a 1–4 byte id and an 8-byte size.
pub fn ebml(id: u32, body: &[u8]) -> Vec<u8> {
    let id_bytes = id.to_be_bytes();
    let skip = id_bytes.iter().position(|&b| b != 0).unwrap();
    let mut v = id_bytes[skip..].to_vec();
    v.push(0x01);
    v.extend_from_slice(&(body.len() as u64).to_be_bytes()[1..]);
    v.extend_from_slice(body);
    v
}

fn ebml_uint(id: u32, value: u64) -> Vec<u8> {
    ebml(id, &value.to_be_bytes())
}

/// A WebM: EBML header (DocType webm), Segment with Info (TimecodeScale 1 ms, Duration as a
/// double), Tracks (one VP9 video track of `width`×`height`) and one Cluster.
pub fn webm(width: u32, height: u32, ms: u32) -> Vec<u8> {
    let mut header = ebml_uint(0x4286, 1);
    header.extend(ebml_uint(0x42F7, 1));
    header.extend(ebml(0x4282, b"webm"));
    header.extend(ebml_uint(0x4287, 4));
    header.extend(ebml_uint(0x4285, 2));
    let mut info = ebml_uint(0x2AD7B1, 1_000_000);
    info.extend(ebml(0x4489, &f64::from(ms).to_be_bytes()));
    info.extend(ebml(0x4D80, b"hallmark-tests"));
    let mut video = ebml_uint(0xB0, u64::from(width));
    video.extend(ebml_uint(0xBA, u64::from(height)));
    let mut entry = ebml_uint(0xD7, 1);
    entry.extend(ebml_uint(0x83, 1));
    entry.extend(ebml(0x86, b"V_VP9"));
    entry.extend(ebml(0xE0, &video));
    let tracks = ebml(0xAE, &entry);
    let mut cluster = ebml_uint(0xE7, 0);
    cluster.extend(ebml(0xA3, &[0x81, 0, 0, 0x80, 1, 2, 3, 4]));
    let mut segment = ebml(0x1549A966, &info);
    segment.extend(ebml(0x1654AE6B, &tracks));
    segment.extend(ebml(0x1F43B675, &cluster));
    let mut v = ebml(0x1A45DFA3, &header);
    v.extend(ebml(0x18538067, &segment));
    v
}

pub const SVG: &[u8] =
    b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n";
pub const HTML: &[u8] =
    b"<!DOCTYPE html>\n<html><body><img src=x onerror=alert(1)></body></html>\n";
