//! A hand-written PDF 1.4 file: the page raster as a JPEG XObject, the QR code as vectors, and
//! an invisible (`3 Tr`) Helvetica / Courier text layer over every printable-ASCII run.

use std::fmt::Write as _;

use image::codecs::jpeg::JpegEncoder;

use crate::canvas::{TextRun, is_pdf_ascii};
use crate::layout::{PAGE_H, PAGE_W, Page, QrPlacement};
use crate::{CertificateError, CertificateFields};

/// A4 in points, as the page's media box.
const PAGE_W_PT: f32 = 595.0;
const PAGE_H_PT: f32 = 842.0;
const JPEG_QUALITY: u8 = 90;

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126, from Adobe's core-14 AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
/// Courier: every glyph is 600/1000 em.
const COURIER: u16 = 600;

fn sx() -> f32 {
    PAGE_W_PT / PAGE_W as f32
}

fn sy() -> f32 {
    PAGE_H_PT / PAGE_H as f32
}

/// Escapes a PDF literal string's body.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '(' | ')' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A PDF text string: a literal for printable ASCII, else UTF-16BE with a byte order mark.
fn text_string(text: &str) -> String {
    if text.chars().all(is_pdf_ascii) {
        format!("({})", escape(text))
    } else {
        let mut hex = String::from("<FEFF");
        for unit in text.encode_utf16() {
            let _ = write!(hex, "{unit:04X}");
        }
        hex.push('>');
        hex
    }
}

fn natural_width_units(run: &TextRun) -> u32 {
    run.text
        .bytes()
        .map(|b| {
            if run.mono {
                u32::from(COURIER)
            } else {
                HELVETICA
                    .get(usize::from(b.saturating_sub(32)))
                    .map_or(556, |w| u32::from(*w))
            }
        })
        .sum()
}

fn text_layer(runs: &[TextRun], out: &mut String) {
    out.push_str("BT\n3 Tr\n");
    for run in runs {
        if run.text.is_empty() || !run.text.chars().all(is_pdf_ascii) {
            continue;
        }
        let size = run.em * sy();
        let natural = natural_width_units(run) as f32 / 1000.0 * size;
        let target = run.width * sx();
        let tz = if natural > 0.0 {
            (100.0 * target / natural).clamp(10.0, 1000.0)
        } else {
            100.0
        };
        let font = if run.mono { "F2" } else { "F1" };
        let x = run.x * sx();
        let y = PAGE_H_PT - run.baseline * sy();
        let _ = writeln!(
            out,
            "/{font} {size:.3} Tf {tz:.3} Tz 1 0 0 1 {x:.3} {y:.3} Tm ({}) Tj",
            escape(&run.text)
        );
    }
    out.push_str("ET\n");
}

/// The QR code as filled rectangles (one per horizontal run of dark modules).
fn qr_vectors(qr: &QrPlacement, out: &mut String) {
    out.push_str("q 0 0 0 rg\n");
    let m = qr.module_px;
    for row in 0..qr.width {
        let mut col = 0;
        while col < qr.width {
            if !qr.dark[row * qr.width + col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < qr.width && qr.dark[row * qr.width + col] {
                col += 1;
            }
            let x = (qr.x + start as f32 * m) * sx();
            let y = PAGE_H_PT - (qr.y + (row + 1) as f32 * m) * sy();
            let w = (col - start) as f32 * m * sx();
            let h = m * sy();
            let _ = writeln!(out, "{x:.3} {y:.3} {w:.3} {h:.3} re");
        }
    }
    out.push_str("f\nQ\n");
}

pub(crate) fn write(fields: &CertificateFields, page: &Page) -> Result<Vec<u8>, CertificateError> {
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&page.image)
        .map_err(|e| CertificateError::Encode(e.to_string()))?;

    let mut content = String::new();
    let _ = writeln!(content, "q {PAGE_W_PT} 0 0 {PAGE_H_PT} 0 0 cm /Im0 Do Q");
    qr_vectors(&page.qr, &mut content);
    text_layer(&page.runs, &mut content);

    let title = if fields.title.trim().is_empty() {
        "Untitled".to_owned()
    } else {
        fields.title.trim().to_owned()
    };
    let subject = format!(
        "Certificate of registration: token {} of contract {} on chain {}",
        fields.token_id.trim(),
        fields.contract.trim(),
        fields.chain_id
    );
    let bundle = fields.bundle_sha256.trim().to_ascii_lowercase();
    let id = bundle
        .get(..32)
        .unwrap_or("00000000000000000000000000000000");

    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W_PT} {PAGE_H_PT}] \
             /Resources << /ProcSet [/PDF /Text /ImageC] /XObject << /Im0 5 0 R >> \
             /Font << /F1 6 0 R /F2 7 0 R >> >> /Contents 4 0 R >>"
        )
        .into_bytes(),
    );
    objects.push(stream(
        &format!("<< /Length {} >>", content.len()),
        content.as_bytes(),
    ));
    objects.push(stream(
        &format!(
            "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceRGB \
             /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>",
            page.image.width(),
            page.image.height(),
            jpeg.len()
        ),
        &jpeg,
    ));
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>".to_vec(),
    );
    objects.push(
        format!(
            "<< /Title {} /Subject {} /Creator (Hallmark) /Producer {} >>",
            text_string(&title),
            text_string(&subject),
            text_string(concat!("hallmark-certificate ", env!("CARGO_PKG_VERSION"))),
        )
        .into_bytes(),
    );

    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(tail, "{offset:010} 00000 n ");
    }
    let _ = write!(
        tail,
        "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1,
        objects.len(),
    );
    out.extend_from_slice(tail.as_bytes());
    Ok(out)
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(dict.len() + data.len() + 32);
    out.extend_from_slice(dict.as_bytes());
    out.extend_from_slice(b"\nstream\n");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Inserts a `pHYs` chunk (pixels per metre for `dpi`) right after the PNG's IHDR chunk, so the
/// PNG prints at A4. Returns the input unchanged if it does not start with a PNG IHDR.
pub(crate) fn with_png_dpi(png: Vec<u8>, dpi: u32) -> Vec<u8> {
    const IHDR_END: usize = 8 + 4 + 4 + 13 + 4;
    if png.len() < IHDR_END || &png[12..16] != b"IHDR" {
        return png;
    }
    let ppm = (f64::from(dpi) / 0.0254).round() as u32;
    let mut chunk = Vec::with_capacity(21);
    chunk.extend_from_slice(b"pHYs");
    chunk.extend_from_slice(&ppm.to_be_bytes());
    chunk.extend_from_slice(&ppm.to_be_bytes());
    chunk.push(1); // unit: metre
    let crc = crc32(&chunk);
    let mut out = Vec::with_capacity(png.len() + 21);
    out.extend_from_slice(&png[..IHDR_END]);
    out.extend_from_slice(&9u32.to_be_bytes());
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&crc.to_be_bytes());
    out.extend_from_slice(&png[IHDR_END..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(escape(r"a(b)c\d"), r"a\(b\)c\\d");
        assert_eq!(text_string("a)"), r"(a\))");
        assert_eq!(text_string("山"), "<FEFF5C71>");
    }

    #[test]
    fn crc_matches_the_png_reference() {
        // The CRC of an empty IEND chunk, as found at the end of every PNG.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }
}
