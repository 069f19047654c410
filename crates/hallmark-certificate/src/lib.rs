//! The certificate of a registered work: one A4 page a person can read, print and keep, made
//! in-process as a PNG ([`render_png`]) or a PDF ([`render_pdf`]).
//!
//! # What it shows
//!
//! A header ("Certificate of registration", the Hallmark name), the work's thumbnail fitted into a
//! box with its aspect kept (a neutral "no preview" box without one), the title, a table of the
//! facts that make the registration checkable (creator, owner, token, edition, contract, chain,
//! registration time, block and transaction, content SHA-256, content and metadata CIDs), a QR
//! code holding [`qr_payload`] — `hallmark-bundle:sha256:<hex>`, the SHA-256 of the evidence
//! bundle — with that hash printed beside it, and a footer saying how to verify. The certificate
//! proves nothing by itself: it points at the bundle and the chain, which do.
//!
//! The page is 1240 × 1754 px, A4 at 150 dpi. Long values wrap (hashes and CIDs may break
//! anywhere) and shrink to fit; free-form fields that would still not fit (a very long title) are
//! cut with an ellipsis, so nothing ever leaves the page. Fields are checked first
//! ([`CertificateError::InvalidField`]): hashes must be hex of the right length, addresses
//! `0x` + 40 hex, the token id decimal, and no field may exceed [`MAX_FIELD_CHARS`].
//!
//! # Fonts
//!
//! Text is rasterized with `ab_glyph` from DejaVu Sans, Sans Bold and Sans Mono (hashes,
//! addresses, CIDs), which are compiled into the crate from `assets/fonts/` (Bitstream Vera /
//! Arev licence, `assets/fonts/LICENSE-DejaVu.txt`). Characters DejaVu lacks — Chinese, Japanese
//! and Korean above all — fall back, per character, to one system font: the file named by
//! [`CJK_FONT_ENV`] (`HALLMARK_CJK_FONT`, optionally `path#face` for a `.ttc` collection), else the
//! first readable one of [`FALLBACK_FONT_PATHS`] (WenQuanYi Micro Hei, Noto Sans CJK SC, Droid Sans
//! Fallback). It is loaded once, lazily, on the first render. A character no font has is drawn as
//! a small hollow box: never dropped silently, never a panic. On Debian, `fonts-wqy-microhei`
//! provides the fallback.
//!
//! # PDF layout
//!
//! [`render_pdf`] writes a PDF 1.4 file by hand: one A4 page (595 × 842 pt) whose background is
//! the same raster as the PNG, embedded as a JPEG image XObject (`/DCTDecode`, quality 90) scaled
//! to the full page. On top of it:
//! - the QR code again, as vector rectangles at the same place, so it stays crisp in print;
//! - every run of printable ASCII on the page (labels, addresses, hashes, CIDs, token id, chain,
//!   dates, the footer, and the ASCII parts of the title) as real text in the standard Type 1
//!   fonts Helvetica and Courier (WinAnsi), in invisible render mode (`3 Tr`), positioned and
//!   horizontally scaled (`Tz`) to lie over the raster glyphs. The text can be searched, selected
//!   and copied; `pdftotext` reads it.
//!
//! Characters outside printable ASCII (a Chinese title, a display name in another script) are in
//! the raster only: the standard fonts cannot carry them and the crate embeds no font in the PDF.
//! The document information dictionary has `/Title` (UTF-16 when not ASCII), `/Subject`,
//! `/Creator` and `/Producer`. Output is deterministic for the same inputs.

mod canvas;
mod fonts;
mod layout;
mod pdf;
#[cfg(test)]
mod tests_support;

use std::io::Cursor;

use image::DynamicImage;

pub use fonts::{CJK_FONT_ENV, FALLBACK_FONT_PATHS, fallback_font_path};

/// The longest any single field may be, in characters.
pub const MAX_FIELD_CHARS: usize = 1024;

/// Width of the rendered page in pixels (A4 at 150 dpi).
pub const PAGE_WIDTH_PX: u32 = layout::PAGE_W;
/// Height of the rendered page in pixels (A4 at 150 dpi).
pub const PAGE_HEIGHT_PX: u32 = layout::PAGE_H;

/// The facts printed on a certificate. All are plain text, already formatted by the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateFields {
    /// The work's title: any Unicode (e.g. `山水 · 数字藏品`).
    pub title: String,
    /// The creator: a `0x…` address, optionally with a display name (`Ada (0x…)`).
    pub creator: String,
    /// The current owner: a `0x…` address.
    pub owner: String,
    /// The token id, in decimal.
    pub token_id: String,
    /// The edition, e.g. `1 of 10`.
    pub edition: String,
    /// The works contract: a `0x…` address.
    pub contract: String,
    /// The chain id.
    pub chain_id: u64,
    /// When the work was registered, already formatted (`2026-11-29 00:41:07 UTC`).
    pub registered_at: String,
    /// The block that holds the registration.
    pub registration_block: u64,
    /// The registration transaction hash: `0x` + 64 hex.
    pub registration_tx: String,
    /// SHA-256 of the work's content: 64 hex.
    pub content_sha256: String,
    /// The content's CID.
    pub content_cid: String,
    /// The metadata document's CID.
    pub metadata_cid: String,
    /// SHA-256 of the evidence bundle: 64 hex. The QR code holds [`qr_payload`] of it.
    pub bundle_sha256: String,
    /// When the certificate was made, already formatted.
    pub issued_at: String,
    /// The chain is a local development chain (see [`is_demo_chain`]): the page carries a red
    /// "demo chain — not evidence" band and says that it proves nothing.
    pub demo_chain: bool,
}

/// Whether `chain_id` is one that local development chains use (anvil and Hardhat 31337,
/// Ganache and geth `--dev` 1337): anyone can run such a chain with any history, so a
/// registration on it is no evidence of anything.
pub fn is_demo_chain(chain_id: u64) -> bool {
    matches!(chain_id, 1337 | 31337)
}

/// Why a certificate could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    /// A field is malformed (e.g. a SHA-256 that is not 64 hex digits).
    #[error("invalid certificate field `{field}`: {reason}")]
    InvalidField {
        /// The field's name in [`CertificateFields`].
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A bundled font could not be parsed (a broken build).
    #[error("font error: {0}")]
    Font(String),
    /// The QR code could not be made.
    #[error("QR code: {0}")]
    Qr(String),
    /// Encoding the PNG or the PDF's JPEG failed.
    #[error("encoding the certificate failed: {0}")]
    Encode(String),
}

/// What the certificate's QR code holds: `hallmark-bundle:sha256:<hex>` (hex in lower case).
pub fn qr_payload(bundle_sha256: &str) -> String {
    format!(
        "hallmark-bundle:sha256:{}",
        bundle_sha256.trim().to_ascii_lowercase()
    )
}

/// Renders the certificate as a PNG (1240 × 1754, A4 at 150 dpi, with a `pHYs` chunk saying so).
pub fn render_png(
    fields: &CertificateFields,
    thumbnail: Option<&DynamicImage>,
) -> Result<Vec<u8>, CertificateError> {
    let page = render(fields, thumbnail)?;
    let mut out = Vec::new();
    page.image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| CertificateError::Encode(e.to_string()))?;
    Ok(pdf::with_png_dpi(out, 150))
}

/// Renders the certificate as a one-page A4 PDF: the raster plus an invisible, searchable text
/// layer for every printable-ASCII run (see the crate docs).
pub fn render_pdf(
    fields: &CertificateFields,
    thumbnail: Option<&DynamicImage>,
) -> Result<Vec<u8>, CertificateError> {
    let page = render(fields, thumbnail)?;
    pdf::write(fields, &page)
}

fn render(
    fields: &CertificateFields,
    thumbnail: Option<&DynamicImage>,
) -> Result<layout::Page, CertificateError> {
    let bundle_hex = validate(fields)?;
    layout::render_page(fields, &bundle_hex, thumbnail)
}

fn invalid(field: &'static str, reason: impl Into<String>) -> CertificateError {
    CertificateError::InvalidField {
        field,
        reason: reason.into(),
    }
}

fn check_hex(
    field: &'static str,
    value: &str,
    digits: usize,
    prefixed: bool,
) -> Result<(), CertificateError> {
    let body = if prefixed {
        value
            .strip_prefix("0x")
            .or_else(|| value.strip_prefix("0X"))
            .ok_or_else(|| invalid(field, format!("must start with 0x, got {value:?}")))?
    } else {
        value
    };
    if body.len() != digits || !body.bytes().all(|b| b.is_ascii_hexdigit()) {
        let what = if prefixed { "0x + " } else { "" };
        return Err(invalid(
            field,
            format!("must be {what}{digits} hex digits, got {value:?}"),
        ));
    }
    Ok(())
}

/// Checks the fields; returns the bundle hash in lower case.
fn validate(f: &CertificateFields) -> Result<String, CertificateError> {
    let all = [
        ("title", &f.title),
        ("creator", &f.creator),
        ("owner", &f.owner),
        ("token_id", &f.token_id),
        ("edition", &f.edition),
        ("contract", &f.contract),
        ("registered_at", &f.registered_at),
        ("registration_tx", &f.registration_tx),
        ("content_sha256", &f.content_sha256),
        ("content_cid", &f.content_cid),
        ("metadata_cid", &f.metadata_cid),
        ("bundle_sha256", &f.bundle_sha256),
        ("issued_at", &f.issued_at),
    ];
    for (name, value) in all {
        let n = value.chars().count();
        if n > MAX_FIELD_CHARS {
            return Err(invalid(
                name,
                format!("{n} characters, at most {MAX_FIELD_CHARS}"),
            ));
        }
    }
    check_hex("bundle_sha256", f.bundle_sha256.trim(), 64, false)?;
    check_hex("content_sha256", f.content_sha256.trim(), 64, false)?;
    check_hex("registration_tx", f.registration_tx.trim(), 64, true)?;
    check_hex("owner", f.owner.trim(), 40, true)?;
    check_hex("contract", f.contract.trim(), 40, true)?;
    if !has_address(&f.creator) {
        return Err(invalid(
            "creator",
            format!("must hold a 0x + 40 hex address, got {:?}", f.creator),
        ));
    }
    let token = f.token_id.trim();
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "token_id",
            format!("must be decimal, got {token:?}"),
        ));
    }
    for (name, value) in [
        ("content_cid", &f.content_cid),
        ("metadata_cid", &f.metadata_cid),
    ] {
        let v = value.trim();
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid(
                name,
                format!("must be a CID (printable ASCII, no spaces), got {v:?}"),
            ));
        }
    }
    Ok(f.bundle_sha256.trim().to_ascii_lowercase())
}

/// Whether `s` contains `0x` followed by exactly 40 hex digits (not part of a longer hex run).
fn has_address(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(1)).any(|i| {
        b[i] == b'0'
            && (b[i + 1] == b'x' || b[i + 1] == b'X')
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && {
                let digits = b[i + 2..]
                    .iter()
                    .take_while(|c| c.is_ascii_hexdigit())
                    .count();
                digits == 40
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_found_in_display_names() {
        let a = "0x1111111111111111111111111111111111111111";
        assert!(has_address(a));
        assert!(has_address(&format!("Ada Lovelace ({a})")));
        assert!(!has_address("0x1234"));
        assert!(!has_address(&format!("{a}00")));
    }

    #[test]
    fn payload_is_lowercase() {
        assert_eq!(qr_payload(" ABCDEF "), "hallmark-bundle:sha256:abcdef");
    }
}
