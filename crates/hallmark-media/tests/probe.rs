//! Container variants the ingest fixtures do not cover: fragmented MP4, live WebM, ID3-tagged
//! FLAC, tagged MP3 with an ID3v1 trailer.
#![allow(clippy::unwrap_used)]

#[path = "common/fixtures.rs"]
mod fixtures;

use std::io::Cursor;

use hallmark_media::probe::probe_av;
use hallmark_media::{MediaType, sniff};

fn probe(bytes: &[u8]) -> hallmark_media::AvInfo {
    probe_av(sniff(bytes).unwrap(), &mut Cursor::new(bytes))
}

#[test]
fn fragmented_mp4_takes_the_duration_from_mehd() {
    let mut mvhd = vec![0u8; 4 + 8];
    mvhd.extend_from_slice(&1000u32.to_be_bytes());
    mvhd.extend_from_slice(&0u32.to_be_bytes()); // duration 0: fragmented
    mvhd.resize(100, 0);
    let mut mehd = vec![0u8; 4];
    mehd.extend_from_slice(&12_345u32.to_be_bytes());
    let mvex = fixtures::mp4_box(b"mvex", &fixtures::mp4_box(b"mehd", &mehd));
    let mut moov = fixtures::mp4_box(b"mvhd", &mvhd);
    moov.extend(mvex);
    let mut file = fixtures::mp4_box(b"ftyp", b"iso6\0\0\0\0iso6dash");
    file.extend(fixtures::mp4_box(b"moov", &moov));
    file.extend(fixtures::mp4_box(b"moof", &[0; 16]));
    let info = probe(&file);
    assert_eq!(info.duration_ms, Some(12_345));
    assert_eq!(info.width, None);
}

#[test]
fn live_webm_with_unknown_segment_size_still_has_info() {
    let mut file = fixtures::webm(640, 360, 1_000);
    // EBML header element: 4-byte id + 8-byte size + body; the Segment size follows its id.
    let header_len = 4
        + 8
        + u64::from_be_bytes([
            0, file[5], file[6], file[7], file[8], file[9], file[10], file[11],
        ]) as usize;
    assert_eq!(&file[header_len..header_len + 4], &[0x18, 0x53, 0x80, 0x67]);
    file[header_len + 4..header_len + 12]
        .copy_from_slice(&[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
    let info = probe(&file);
    assert_eq!(info.duration_ms, Some(1_000));
    assert_eq!((info.width, info.height), (Some(640), Some(360)));
}

#[test]
fn id3_tagged_flac_is_flac() {
    let mut file = fixtures::id3v2("tagged");
    file.extend(fixtures::flac(44_100, 2_000));
    assert_eq!(sniff(&file).unwrap(), MediaType::Flac);
    assert_eq!(probe(&file).duration_ms, Some(2_000));
}

#[test]
fn id3v1_trailer_is_not_counted_as_audio() {
    let mut file = fixtures::mp3_cbr(100);
    let without = probe(&file).duration_ms.unwrap();
    file.extend_from_slice(b"TAG");
    file.resize(file.len() + 125, b' ');
    assert_eq!(probe(&file).duration_ms, Some(without));
    assert!(probe(&file).duration_estimated);
}
