//! Renders an example certificate (PNG and PDF) and prints how long each took.
//!
//! `cargo run --release -p hallmark-certificate --example certificate -- [OUT_STEM] [THUMBNAIL]`
//! writes `OUT_STEM.png` and `OUT_STEM.pdf` (default `/tmp/certificate-example`), with the
//! thumbnail `assets/samples/dawn.png` unless another image is named.

use std::time::Instant;

use hallmark_certificate::{CertificateFields, render_pdf, render_png};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let stem = args
        .next()
        .unwrap_or_else(|| "/tmp/certificate-example".to_owned());
    let thumb_path = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/samples/dawn.png").to_owned()
    });
    let thumbnail = image::open(&thumb_path)?;
    let fields = CertificateFields {
        title: "山水 · 数字藏品 — Mountains and Water, No. 3".to_owned(),
        creator: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".to_owned(),
        owner: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC".to_owned(),
        token_id: "1000042".to_owned(),
        edition: "1 of 10".to_owned(),
        contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3".to_owned(),
        chain_id: 1337,
        registered_at: "2026-11-29 00:41:07 UTC".to_owned(),
        registration_block: 48_213,
        registration_tx: "0x9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8"
            .to_owned(),
        content_sha256: "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"
            .to_owned(),
        content_cid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".to_owned(),
        metadata_cid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku".to_owned(),
        bundle_sha256: "e3b98a4da31a127d4bde6e43033f66ba274cab0eb7eb1c70ec41402bf6273dd8"
            .to_owned(),
        issued_at: "2026-11-29 09:12:55 UTC".to_owned(),
        demo_chain: false,
    };
    for round in 0..3 {
        let t = Instant::now();
        let png = render_png(&fields, Some(&thumbnail))?;
        let png_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let pdf = render_pdf(&fields, Some(&thumbnail))?;
        let pdf_ms = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "round {round}: png {png_ms:.1} ms ({} bytes), pdf {pdf_ms:.1} ms ({} bytes)",
            png.len(),
            pdf.len()
        );
        if round == 0 {
            std::fs::write(format!("{stem}.png"), &png)?;
            std::fs::write(format!("{stem}.pdf"), &pdf)?;
        }
    }
    println!("wrote {stem}.png and {stem}.pdf");
    Ok(())
}
