//! [`sniff`]: the media type from the first bytes of a file. The file name is never consulted.

use std::path::PathBuf;

use crate::error::{MediaError, Refusal};
use crate::media_type::MediaType;
use crate::probe::{id3v2_len, mp3, webm};

/// Bytes of the head [`sniff`] looks at; pass at least this many when the file is that long.
pub const SNIFF_LEN: usize = 64 * 1024;

/// How many leading bytes are searched for markup (`<svg`, `<html` …).
const MARKUP_SCAN: usize = 4096;

/// The media type announced by the magic bytes at the start of `head`, or why it is refused.
///
/// `head` should hold the first [`SNIFF_LEN`] bytes (or the whole file when shorter). Errors
/// carry an empty path; use [`MediaError::at`] to name the file.
pub fn sniff(head: &[u8]) -> Result<MediaType, MediaError> {
    classify(head).map_err(|refusal| match refusal {
        None => MediaError::Empty {
            path: PathBuf::new(),
        },
        Some(refusal) => MediaError::UnsupportedType {
            path: PathBuf::new(),
            refusal,
        },
    })
}

/// `Err(None)` for empty input.
fn classify(head: &[u8]) -> Result<MediaType, Option<Refusal>> {
    if head.is_empty() {
        return Err(None);
    }
    let refuse = |r: Refusal| Err(Some(r));
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(MediaType::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(MediaType::Jpeg);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Ok(MediaType::Gif);
    }
    if head.starts_with(b"RIFF") && head.len() >= 12 {
        return match &head[8..12] {
            b"WEBP" => Ok(MediaType::WebP),
            b"WAVE" => Ok(MediaType::Wav),
            _ => refuse(Refusal::OtherRiff),
        };
    }
    if head.starts_with(b"fLaC") {
        return Ok(MediaType::Flac);
    }
    if head.starts_with(b"OggS") {
        return if contains(head, b"\x80theora") {
            refuse(Refusal::OggVideo)
        } else {
            Ok(MediaType::Ogg)
        };
    }
    if head.starts_with(&webm::EBML.to_be_bytes()) {
        return match webm::doc_type(head).as_deref() {
            Some("webm") => Ok(MediaType::WebM),
            Some("matroska") => refuse(Refusal::Matroska),
            _ => refuse(Refusal::Unknown),
        };
    }
    if head.get(4..8) == Some(b"ftyp") {
        return iso_brand(head).map_err(Some);
    }
    if let Some(tag_len) = id3v2_len(head) {
        // An ID3v2 tag is MP3's; a FLAC stream sometimes wears one too.
        let after = usize::try_from(tag_len).ok().and_then(|at| head.get(at..));
        return Ok(match after {
            Some(rest) if rest.starts_with(b"fLaC") => MediaType::Flac,
            _ => MediaType::Mp3,
        });
    }
    if let Some(refusal) = non_media(head) {
        return refuse(refusal);
    }
    if let Some(refusal) = markup(head) {
        return refuse(refusal);
    }
    if mp3::starts_with_frame(head) {
        return Ok(MediaType::Mp3);
    }
    refuse(Refusal::Unknown)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The type of an ISO base media file from its `ftyp` major and compatible brands.
fn iso_brand(head: &[u8]) -> Result<MediaType, Refusal> {
    const AUDIO: [&[u8; 4]; 5] = [b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "];
    const STILL: [&[u8; 4]; 10] = [
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis",
    ];
    const VIDEO: [&[u8; 4]; 24] = [
        b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9", b"mp41",
        b"mp42", b"mp71", b"avc1", b"dash", b"M4V ", b"M4VH", b"M4VP", b"MSNV", b"f4v ", b"f4p ",
        b"mmp4", b"3gp4", b"3gp5", b"3gp6",
    ];
    let box_len = crate::probe::bytes::be_u32(head, 0).map_or(0, |n| n as usize);
    let major: &[u8] = head.get(8..12).ok_or(Refusal::Unknown)?;
    let compatible = head.get(16..box_len.min(head.len())).unwrap_or_default();
    let is = |set: &[&[u8; 4]], brand: &[u8]| set.iter().any(|b| b.as_slice() == brand);
    if is(&AUDIO, major) {
        return Err(Refusal::M4a);
    }
    if is(&STILL, major) {
        return Err(Refusal::HeifImage);
    }
    if major == b"qt  " {
        return Err(Refusal::QuickTime);
    }
    if is(&VIDEO, major) || compatible.chunks_exact(4).any(|brand| is(&VIDEO, brand)) {
        return Ok(MediaType::Mp4);
    }
    Err(Refusal::Unknown)
}

/// Documents, archives and programs, recognised to say precisely why they are refused.
fn non_media(head: &[u8]) -> Option<Refusal> {
    const ARCHIVES: [(&[u8], &str); 6] = [
        (&[0x1F, 0x8B], "gzip"),
        (b"BZh", "bzip2"),
        (&[0xFD, b'7', b'z', b'X', b'Z', 0x00], "xz"),
        (&[0x28, 0xB5, 0x2F, 0xFD], "Zstandard"),
        (&[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C], "7-Zip"),
        (b"Rar!\x1A\x07", "RAR"),
    ];
    const PROGRAMS: [(&[u8], &str); 8] = [
        (b"\x7FELF", "ELF"),
        (b"MZ", "Windows executable"),
        (&[0xFE, 0xED, 0xFA, 0xCE], "Mach-O"),
        (&[0xFE, 0xED, 0xFA, 0xCF], "Mach-O"),
        (&[0xCE, 0xFA, 0xED, 0xFE], "Mach-O"),
        (&[0xCF, 0xFA, 0xED, 0xFE], "Mach-O"),
        (
            &[0xCA, 0xFE, 0xBA, 0xBE],
            "Mach-O universal binary or Java class",
        ),
        (b"\0asm", "WebAssembly"),
    ];
    if contains(&head[..head.len().min(1024)], b"%PDF-") {
        return Some(Refusal::Pdf);
    }
    if [&b"PK\x03\x04"[..], b"PK\x05\x06", b"PK\x07\x08"]
        .iter()
        .any(|magic| head.starts_with(magic))
    {
        return Some(Refusal::Zip);
    }
    if let Some((_, kind)) = ARCHIVES.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(Refusal::Archive(kind));
    }
    if head.get(257..262) == Some(b"ustar") {
        return Some(Refusal::Archive("tar"));
    }
    if let Some((_, kind)) = PROGRAMS.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(Refusal::Executable(kind));
    }
    if head.starts_with(b"#!") {
        return Some(Refusal::Script);
    }
    None
}

/// SVG, HTML and XML text (UTF-8, or UTF-16 with a byte order mark), after any leading
/// whitespace and comments.
fn markup(head: &[u8]) -> Option<Refusal> {
    let scan = &head[..head.len().min(MARKUP_SCAN)];
    let text: Vec<u8> = if let Some(rest) = scan.strip_prefix(&[0xFF, 0xFE]) {
        rest.iter().step_by(2).copied().collect()
    } else if let Some(rest) = scan.strip_prefix(&[0xFE, 0xFF]) {
        rest.iter().skip(1).step_by(2).copied().collect()
    } else {
        scan.strip_prefix(&[0xEF, 0xBB, 0xBF])
            .unwrap_or(scan)
            .to_vec()
    };
    let lower = text.to_ascii_lowercase();
    let start = lower.iter().position(|b| !b.is_ascii_whitespace())?;
    let lower = &lower[start..];
    if !lower.starts_with(b"<") {
        return None;
    }
    if contains(lower, b"<svg") {
        return Some(Refusal::Svg);
    }
    const HTML: [&[u8]; 7] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<script",
        b"<iframe",
        b"<meta",
    ];
    if HTML.iter().any(|tag| contains(lower, tag)) {
        return Some(Refusal::Html);
    }
    Some(Refusal::Xml)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn refusal(head: &[u8]) -> Refusal {
        match sniff(head) {
            Err(MediaError::UnsupportedType { refusal, .. }) => refusal,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn magic_bytes_decide() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap(),
            MediaType::Png
        );
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(), MediaType::Jpeg);
        assert_eq!(sniff(b"GIF89a....").unwrap(), MediaType::Gif);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), MediaType::WebP);
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt ").unwrap(), MediaType::Wav);
        assert_eq!(sniff(b"fLaC\0\0\0\x22").unwrap(), MediaType::Flac);
        assert_eq!(sniff(b"OggS\0\x02").unwrap(), MediaType::Ogg);
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\0rest").unwrap(), MediaType::Mp3);
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\0fLaC").unwrap(), MediaType::Flac);
        assert_eq!(
            sniff(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2").unwrap(),
            MediaType::Mp4
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypXXXX\0\0\x02\0mp42iso2").unwrap(),
            MediaType::Mp4
        );
        let webm = [
            0x1A, 0x45, 0xDF, 0xA3, 0x87, 0x42, 0x82, 0x84, b'w', b'e', b'b', b'm',
        ];
        assert_eq!(sniff(&webm).unwrap(), MediaType::WebM);
    }

    #[test]
    fn look_alikes_are_refused_precisely() {
        assert_eq!(
            refusal(b"\0\0\0\x18ftypM4A \0\0\x02\0isomM4A "),
            Refusal::M4a
        );
        assert_eq!(
            refusal(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
            Refusal::HeifImage
        );
        assert_eq!(
            refusal(b"\0\0\0\x14ftypqt  \0\0\x02\0qt  "),
            Refusal::QuickTime
        );
        let mkv = [
            0x1A, 0x45, 0xDF, 0xA3, 0x8B, 0x42, 0x82, 0x88, b'm', b'a', b't', b'r', b'o', b's',
            b'k', b'a',
        ];
        assert_eq!(refusal(&mkv), Refusal::Matroska);
        assert_eq!(refusal(b"RIFF\0\0\0\0AVI LIST"), Refusal::OtherRiff);
        assert_eq!(
            refusal(b"OggS\0\x02\0\0\0\0\0\0\0\0\x80theora"),
            Refusal::OggVideo
        );
    }

    #[test]
    fn documents_archives_and_programs_are_refused_with_reasons() {
        assert_eq!(
            refusal(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Refusal::Svg
        );
        assert_eq!(
            refusal(b"\xEF\xBB\xBF  <?xml version='1.0'?>\n<!-- c -->\n<SVG>"),
            Refusal::Svg
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<svg/>".bytes().flat_map(|b| [b, 0]))
            .collect();
        assert_eq!(refusal(&utf16), Refusal::Svg);
        assert_eq!(refusal(b"<!DOCTYPE html><html></html>"), Refusal::Html);
        assert_eq!(refusal(b"\n<html><script>alert(1)</script>"), Refusal::Html);
        assert_eq!(refusal(b"<?xml version='1.0'?><doc/>"), Refusal::Xml);
        assert_eq!(refusal(b"%PDF-1.7\n"), Refusal::Pdf);
        assert_eq!(refusal(b"PK\x03\x04\x14\0"), Refusal::Zip);
        assert_eq!(refusal(&[0x1F, 0x8B, 8, 0]), Refusal::Archive("gzip"));
        assert_eq!(refusal(b"\x7FELF\x02\x01"), Refusal::Executable("ELF"));
        assert_eq!(
            refusal(b"MZ\x90\0"),
            Refusal::Executable("Windows executable")
        );
        assert_eq!(refusal(b"#!/bin/sh\nrm -rf /"), Refusal::Script);
        assert_eq!(refusal(b"hello world"), Refusal::Unknown);
        assert!(matches!(sniff(b""), Err(MediaError::Empty { .. })));
        let svg = sniff(b"<svg/>").unwrap_err().to_string();
        assert!(
            svg.contains("SVG is not accepted: Hallmark never renders SVG documents"),
            "{svg}"
        );
    }
}
