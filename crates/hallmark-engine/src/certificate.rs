//! Certificates from evidence bundles: a bundle that verifies offline is turned into a printable
//! page (PNG or PDF) whose QR code holds the bundle file's sha-256.

use std::io::Cursor;

use hallmark_certificate::{CertificateFields, render_pdf, render_png};
use hallmark_chain::format_utc;
use hallmark_evidence::{EvidenceError, Status, VerifyOptions, verify_bytes};
use image::{DynamicImage, ImageReader};

use crate::error::EngineError;

/// Side of the picture drawn on a certificate.
const THUMBNAIL_SIDE: u32 = 800;
/// Largest media decoded for the certificate's picture.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// PNG or PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateFormat {
    /// A 1240×1754 PNG (A4 at 150 dpi).
    Png,
    /// A one-page A4 PDF with searchable text.
    Pdf,
}

impl CertificateFormat {
    /// The format a file name asks for (`.png` or `.pdf`).
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "png" => Some(Self::Png),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }
}

/// Renders the certificate of a bundle, after checking it offline (a bundle that fails any
/// check gets no certificate). `issued_at` is unix seconds.
pub fn certificate_from_bundle(
    bundle: &[u8],
    format: CertificateFormat,
    issued_at: u64,
) -> Result<Vec<u8>, EngineError> {
    let (report, parsed) = verify_bytes(bundle, &VerifyOptions::default())?;
    if let Some(failed) = report.checks.iter().find(|c| c.status == Status::Fail) {
        return Err(EvidenceError::Invalid(format!(
            "the bundle does not verify ({}: {}), so it gets no certificate",
            failed.id, failed.detail
        ))
        .into());
    }
    let parsed =
        parsed.ok_or_else(|| EvidenceError::Invalid("the bundle has no evidence".to_owned()))?;
    let e = &parsed.evidence;
    let files = hallmark_evidence::BundleFiles::parse(bundle)?;
    let thumbnail = e
        .work
        .media_file
        .as_deref()
        .and_then(|path| files.get(path))
        .and_then(decode_picture);
    let fields = CertificateFields {
        title: e
            .work
            .title
            .clone()
            .unwrap_or_else(|| "(untitled)".to_owned()),
        creator: format!("{:#x}", e.work.creator),
        owner: format!("{:#x}", e.statement.holder),
        token_id: e.token.token_id.to_string(),
        edition: format!("{} of {}", e.token.edition, e.work.max_editions),
        contract: format!("{:#x}", e.chain.works),
        chain_id: e.chain.chain_id,
        registered_at: format_utc(e.registration.timestamp),
        registration_block: e.registration.block_number,
        registration_tx: format!("{:#x}", e.registration.tx_hash),
        content_sha256: hex::encode(e.work.content_hash),
        content_cid: e.work.content_cid.clone(),
        metadata_cid: e.work.metadata_cid.clone(),
        bundle_sha256: report.bundle_sha256.unwrap_or_default(),
        issued_at: format_utc(issued_at),
        demo_chain: hallmark_certificate::is_demo_chain(e.chain.chain_id),
    };
    Ok(match format {
        CertificateFormat::Png => render_png(&fields, thumbnail.as_ref())?,
        CertificateFormat::Pdf => render_pdf(&fields, thumbnail.as_ref())?,
    })
}

/// The media as a picture, when it is an image that decodes within bounds.
fn decode_picture(bytes: &[u8]) -> Option<DynamicImage> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    reader.limits(limits);
    let image = reader.decode().ok()?;
    Some(image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE))
}
