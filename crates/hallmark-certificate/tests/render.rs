//! End-to-end tests of the certificate: PNG decoding, the QR code read back with a pure-Rust
//! decoder, extreme inputs, field validation, the PDF's structure, and poppler as an oracle.
//!
//! The poppler checks (`pdfinfo`, `pdftotext`, `pdftoppm`) are skipped with a note when poppler
//! is not installed, unless `HALLMARK_REQUIRE_ORACLES` is set: then they fail. Set
//! `HALLMARK_CERTIFICATE_DUMP=<dir>` to keep the rendered files for a look.

use std::path::{Path, PathBuf};
use std::process::Command;

use hallmark_certificate::{
    CertificateError, CertificateFields, PAGE_HEIGHT_PX, PAGE_WIDTH_PX, fallback_font_path,
    qr_payload, render_pdf, render_png,
};
use image::{DynamicImage, GenericImageView, GrayImage, Rgb, RgbImage, Rgba, RgbaImage};

type TestResult = Result<(), Box<dyn std::error::Error>>;
type Mutation = Box<dyn Fn(&mut CertificateFields)>;

const BUNDLE: &str = "e3b98a4da31a127d4bde6e43033f66ba274cab0eb7eb1c70ec41402bf6273dd8";
const CONTENT: &str = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
const TX: &str = "0x9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
const METADATA_CID: &str = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

fn fields() -> CertificateFields {
    CertificateFields {
        title: "Dawn over the river".to_owned(),
        creator: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".to_owned(),
        owner: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC".to_owned(),
        token_id: "1000042".to_owned(),
        edition: "1 of 10".to_owned(),
        contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3".to_owned(),
        chain_id: 1337,
        registered_at: "2026-11-29 00:41:07 UTC".to_owned(),
        registration_block: 48_213,
        registration_tx: TX.to_owned(),
        content_sha256: CONTENT.to_owned(),
        content_cid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".to_owned(),
        metadata_cid: METADATA_CID.to_owned(),
        bundle_sha256: BUNDLE.to_owned(),
        issued_at: "2026-11-29 09:12:55 UTC".to_owned(),
        demo_chain: false,
    }
}

fn sample(name: &str) -> Result<DynamicImage, image::ImageError> {
    image::open(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../assets/samples")
            .join(name),
    )
}

fn dump(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("HALLMARK_CERTIFICATE_DUMP") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(PathBuf::from(dir).join(name), bytes);
    }
}

fn decode_qrs(gray: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        gray.width() as usize,
        gray.height() as usize,
        |x, y| gray.get_pixel(x as u32, y as u32).0[0],
    );
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, content)| content))
        .collect()
}

fn render_checked_png(
    f: &CertificateFields,
    thumb: Option<&DynamicImage>,
) -> Result<RgbImage, Box<dyn std::error::Error>> {
    let png = render_png(f, thumb)?;
    let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png)?;
    assert_eq!(img.dimensions(), (PAGE_WIDTH_PX, PAGE_HEIGHT_PX));
    Ok(img.to_rgb8())
}

#[test]
fn png_decodes_at_a4_150_dpi_with_a_readable_qr() -> TestResult {
    let thumb = sample("dawn.png")?;
    let png = render_png(&fields(), Some(&thumb))?;
    dump("basic.png", &png);
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // pHYs right after IHDR: 5906 px/m = 150 dpi.
    assert_eq!(&png[37..41], b"pHYs");
    assert_eq!(
        u32::from_be_bytes([png[41], png[42], png[43], png[44]]),
        5906
    );
    let img = image::load_from_memory(&png)?;
    assert_eq!(img.dimensions(), (1240, 1754));
    assert_eq!(decode_qrs(&img.to_luma8()), vec![qr_payload(BUNDLE)]);
    assert_eq!(
        qr_payload(BUNDLE),
        format!("hallmark-bundle:sha256:{BUNDLE}")
    );
    Ok(())
}

#[test]
fn an_uppercase_bundle_hash_is_encoded_in_lowercase() -> TestResult {
    let mut f = fields();
    f.bundle_sha256 = BUNDLE.to_ascii_uppercase();
    let img = render_checked_png(&f, None)?;
    let luma = DynamicImage::ImageRgb8(img).to_luma8();
    assert_eq!(
        decode_qrs(&luma),
        vec![format!("hallmark-bundle:sha256:{BUNDLE}")]
    );
    Ok(())
}

#[test]
fn extreme_thumbnails_render() -> TestResult {
    let f = fields();
    let wide = DynamicImage::ImageRgb8(RgbImage::from_fn(20_000, 40, |x, _| {
        Rgb([(x % 256) as u8, 90, 160])
    }));
    let tall = DynamicImage::ImageRgb8(RgbImage::from_pixel(3, 9_000, Rgb([200, 40, 40])));
    let one = DynamicImage::ImageRgb8(RgbImage::from_pixel(1, 1, Rgb([20, 120, 60])));
    let transparent = DynamicImage::ImageRgba8(RgbaImage::from_pixel(64, 48, Rgba([0, 0, 0, 0])));
    for (name, thumb) in [
        ("wide", wide),
        ("tall", tall),
        ("one", one),
        ("transparent", transparent),
    ] {
        let img = render_checked_png(&f, Some(&thumb))?;
        dump(&format!("thumb-{name}.png"), &encode(&img)?);
        // The QR stays readable whatever the picture.
        let luma = DynamicImage::ImageRgb8(img).to_luma8();
        assert_eq!(decode_qrs(&luma), vec![qr_payload(BUNDLE)], "{name}");
    }
    // The 1×1 picture is scaled up into the box, not left as a dot.
    let img = render_checked_png(
        &f,
        Some(&DynamicImage::ImageRgb8(RgbImage::from_pixel(
            1,
            1,
            Rgb([20, 120, 60]),
        ))),
    )?;
    let green = img.pixels().filter(|p| p.0 == [20, 120, 60]).count();
    assert!(green > 50_000, "{green}");
    Ok(())
}

fn encode(img: &RgbImage) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)?;
    Ok(out)
}

#[test]
fn long_chinese_and_html_looking_text_render() -> TestResult {
    let thumb = sample("tide.jpg")?;
    let cases = [
        ("long", "A very long title ".repeat(12)[..200].to_owned()),
        ("chinese", "山水数字藏品长卷之春夏秋冬四季图".repeat(8)),
        (
            "html",
            "<script>alert(1)</script> & \"quotes\" 'single' (paren) \\ back".to_owned(),
        ),
        (
            "mixed",
            "山水 · 数字藏品 — Mountains and Water ✓ 🏔 \u{10FFFD}".to_owned(),
        ),
    ];
    for (name, title) in cases {
        let mut f = fields();
        f.title = title.clone();
        f.edition = "<b>1</b> of 10 (proof)".to_owned();
        f.creator = format!("<img src=x onerror=alert(1)> ({})", fields().creator);
        let png = render_png(&f, Some(&thumb))?;
        dump(&format!("title-{name}.png"), &png);
        let img = image::load_from_memory(&png)?;
        assert_eq!(img.dimensions(), (1240, 1754));
        let pdf = render_pdf(&f, Some(&thumb))?;
        dump(&format!("title-{name}.pdf"), &pdf);
        check_structure(&pdf)?;
        if let Some(text) = poppler_text(&pdf)? {
            assert!(text.contains(CONTENT), "{name}");
            assert!(text.contains("<b>1</b> of 10 (proof)"), "{name}: {text}");
            if name == "html" {
                // The title wraps onto two lines; each part is there verbatim.
                assert!(
                    text.contains("<script>alert(1)</script> & \"quotes\""),
                    "{text}"
                );
                assert!(text.contains("'single' (paren) \\ back"), "{text}");
            }
        }
    }
    Ok(())
}

#[test]
fn cjk_text_uses_the_fallback_font_when_there_is_one() -> TestResult {
    match fallback_font_path() {
        Some(path) => println!("fallback font: {}", path.display()),
        None if require_oracles() => {
            return Err("HALLMARK_REQUIRE_ORACLES is set but no CJK fallback font was found (install fonts-wqy-microhei)".into());
        }
        None => {
            println!(
                "note: no CJK fallback font installed; Chinese renders as boxes (install fonts-wqy-microhei)"
            );
            return Ok(());
        }
    }
    // A CJK title must put ink in the title area, and differently for different characters
    // (boxes would all look alike).
    let mut a = fields();
    a.title = "山".repeat(6);
    let mut b = fields();
    b.title = "水".repeat(6);
    let (ia, ib) = (render_checked_png(&a, None)?, render_checked_png(&b, None)?);
    let differ = ia.pixels().zip(ib.pixels()).filter(|(p, q)| p != q).count();
    assert!(differ > 500, "{differ}");
    Ok(())
}

#[test]
fn invalid_fields_are_refused_with_a_clear_error() {
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "bundle_sha256",
            Box::new(|f| f.bundle_sha256 = "not-hex".repeat(10)[..64].to_owned()),
        ),
        (
            "bundle_sha256",
            Box::new(|f| f.bundle_sha256 = "abcd".to_owned()),
        ),
        (
            "content_sha256",
            Box::new(|f| f.content_sha256 = format!("0x{CONTENT}")),
        ),
        (
            "registration_tx",
            Box::new(|f| f.registration_tx = TX[2..].to_owned()),
        ),
        ("owner", Box::new(|f| f.owner = "0x1234".to_owned())),
        (
            "contract",
            Box::new(|f| f.contract = "vitalik.eth".to_owned()),
        ),
        (
            "creator",
            Box::new(|f| f.creator = "Ada Lovelace".to_owned()),
        ),
        ("token_id", Box::new(|f| f.token_id = "0x2a".to_owned())),
        (
            "metadata_cid",
            Box::new(|f| f.metadata_cid = "bafy with spaces".to_owned()),
        ),
        ("title", Box::new(|f| f.title = "x".repeat(5000))),
    ];
    for (field, mutate) in cases {
        let mut f = fields();
        mutate(&mut f);
        for result in [render_png(&f, None), render_pdf(&f, None)] {
            match result {
                Err(CertificateError::InvalidField { field: got, reason }) => {
                    assert_eq!(got, field, "{reason}");
                    let message = CertificateError::InvalidField { field: got, reason }.to_string();
                    assert!(message.contains(field), "{message}");
                }
                other => panic!("{field}: expected InvalidField, got {other:?}"),
            }
        }
    }
    let mut f = fields();
    f.bundle_sha256 = "zz".repeat(32);
    let message = render_png(&f, None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("bundle_sha256") && message.contains("64 hex"),
        "{message}"
    );
}

#[test]
fn rendering_is_deterministic() -> TestResult {
    let thumb = sample("ember.webp")?;
    assert_eq!(
        render_png(&fields(), Some(&thumb))?,
        render_png(&fields(), Some(&thumb))?
    );
    assert_eq!(
        render_pdf(&fields(), Some(&thumb))?,
        render_pdf(&fields(), Some(&thumb))?
    );
    Ok(())
}

/// Checks the header, the trailer and that every xref offset points at its object.
fn check_structure(pdf: &[u8]) -> TestResult {
    assert!(pdf.starts_with(b"%PDF-1.4\n"));
    assert!(pdf.ends_with(b"%%EOF\n"));
    // One ASCII character per byte, so that string offsets are file offsets.
    let text: String = pdf
        .iter()
        .map(|&b| if b.is_ascii() { b as char } else { '?' })
        .collect();
    let startxref = text.rfind("startxref\n").ok_or("no startxref")?;
    let xref: usize = text[startxref + 10..]
        .lines()
        .next()
        .ok_or("no offset")?
        .trim()
        .parse()?;
    assert!(text[xref..].starts_with("xref\n0 "));
    let mut lines = text[xref..].lines().skip(1);
    let header = lines.next().ok_or("no subsection")?;
    let count: usize = header
        .split_whitespace()
        .nth(1)
        .ok_or("no count")?
        .parse()?;
    assert_eq!(lines.next(), Some("0000000000 65535 f "));
    for n in 1..count {
        let entry = lines.next().ok_or("short xref")?;
        assert_eq!(entry.len(), 19, "{entry:?}"); // 20 bytes with the newline
        let offset: usize = entry[..10].parse()?;
        assert!(
            text[offset..].starts_with(&format!("{n} 0 obj\n")),
            "object {n} not at {offset}"
        );
    }
    assert!(text.contains(&format!("/Size {count} ")));
    assert!(text.contains("/Filter /DCTDecode"));
    assert!(text.contains("/BaseFont /Helvetica"));
    assert!(text.contains("\n3 Tr\n"));
    Ok(())
}

#[test]
fn pdf_is_well_formed_small_and_searchable() -> TestResult {
    let thumb = sample("dawn.png")?;
    let mut f = fields();
    f.title = "山水 · 数字藏品 (Mountains) \\ and Water".to_owned();
    let pdf = render_pdf(&f, Some(&thumb))?;
    dump("example.pdf", &pdf);
    check_structure(&pdf)?;
    assert!(pdf.len() < 1_500_000, "{} bytes", pdf.len());
    // Every ASCII fact is in the text layer, escaped.
    let raw = String::from_utf8_lossy(&pdf);
    for needle in [
        CONTENT,
        TX,
        METADATA_CID,
        "(1000042) Tj",
        "(CONTENT SHA-256) Tj",
        "(\\(Mountains\\) \\\\ and Water) Tj",
    ] {
        assert!(raw.contains(needle), "{needle}");
    }
    // The non-ASCII title is in /Info as UTF-16.
    assert!(raw.contains("/Title <FEFF5C716C34"), "title not UTF-16");

    let Some(dir) = poppler_dir()? else {
        return Ok(());
    };
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, &pdf)?;
    let info = run("pdfinfo", &[path.as_os_str()])?;
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("595 x 842 pts (A4)"), "{info}");
    assert!(info.contains("PDF version:     1.4"), "{info}");
    assert!(
        info.contains("Title:           山水 · 数字藏品 (Mountains) \\ and Water"),
        "{info}"
    );
    let text = poppler_text(&pdf)?.ok_or("pdftotext vanished")?;
    for needle in [
        CONTENT,
        TX,
        "1000042",
        METADATA_CID,
        BUNDLE,
        "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle}:\n{text}");
    }
    // pdftoppm decodes the image stream; at 150 dpi the QR reads back.
    let prefix = dir.path().join("page");
    run(
        "pdftoppm",
        &[
            "-r".as_ref(),
            "50".as_ref(),
            "-png".as_ref(),
            path.as_os_str(),
            prefix.as_os_str(),
        ],
    )?;
    let small = image::open(dir.path().join("page-1.png"))?;
    let (w, h) = small.dimensions();
    assert!(
        (412..=414).contains(&w) && (584..=586).contains(&h),
        "{w}x{h}"
    );
    let prefix150 = dir.path().join("full");
    run(
        "pdftoppm",
        &[
            "-r".as_ref(),
            "150".as_ref(),
            "-png".as_ref(),
            path.as_os_str(),
            prefix150.as_os_str(),
        ],
    )?;
    let full = image::open(dir.path().join("full-1.png"))?;
    assert_eq!(decode_qrs(&full.to_luma8()), vec![qr_payload(BUNDLE)]);
    // The raster really is there: the page is not blank where the title is.
    let luma = full.to_luma8();
    let ink = luma.pixels().filter(|p| p.0[0] < 100).count();
    assert!(ink > 20_000, "{ink}");
    Ok(())
}

fn require_oracles() -> bool {
    std::env::var_os("HALLMARK_REQUIRE_ORACLES").is_some()
}

fn have_poppler() -> bool {
    Command::new("pdfinfo").arg("-v").output().is_ok()
}

/// A scratch directory when poppler is installed; `None` (with a note) when it is not and the
/// oracles are optional.
fn poppler_dir() -> Result<Option<tempfile::TempDir>, Box<dyn std::error::Error>> {
    if have_poppler() {
        return Ok(Some(tempfile::tempdir()?));
    }
    if require_oracles() {
        return Err("HALLMARK_REQUIRE_ORACLES is set but poppler (pdfinfo) is missing: apt-get install poppler-utils".into());
    }
    println!("note: poppler-utils not installed; skipping pdfinfo/pdftotext/pdftoppm checks");
    Ok(None)
}

fn poppler_text(pdf: &[u8]) -> Result<Option<String>, Box<dyn std::error::Error>> {
    let Some(dir) = poppler_dir()? else {
        return Ok(None);
    };
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, pdf)?;
    let out = dir.path().join("t.txt");
    run("pdftotext", &[path.as_os_str(), out.as_os_str()])?;
    Ok(Some(std::fs::read_to_string(out)?))
}

fn run(program: &str, args: &[&std::ffi::OsStr]) -> Result<String, Box<dyn std::error::Error>> {
    let output = Command::new(program).args(args).output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{program} failed: {stderr}").into());
    }
    // poppler reports recoverable syntax errors on stderr and carries on: treat them as failures.
    if stderr.contains("Syntax Error") || stderr.contains("Syntax Warning") {
        return Err(format!("{program} complained: {stderr}").into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Security finding 9's residue: a certificate from a local development chain (anyone can run
/// one with any history) says so in a red band and in its text, and nothing else does.
#[test]
fn a_demo_chain_certificate_says_it_is_not_evidence() -> TestResult {
    assert!(hallmark_certificate::is_demo_chain(31337));
    assert!(hallmark_certificate::is_demo_chain(1337));
    assert!(!hallmark_certificate::is_demo_chain(20_261_207));
    let red = |img: &RgbImage| {
        (60..96)
            .flat_map(|y| (100..1140).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y).0;
                p[0] > 150 && p[1] < 60 && p[2] < 60
            })
            .count()
    };
    let mut demo = fields();
    demo.demo_chain = true;
    let band = render_checked_png(&demo, None)?;
    assert!(red(&band) > 20_000, "the red band is drawn");
    assert_eq!(red(&render_checked_png(&fields(), None)?), 0);
    let pdf = String::from_utf8_lossy(&render_pdf(&demo, None)?).into_owned();
    assert!(
        pdf.contains("(DEMO CHAIN - NOT EVIDENCE) Tj"),
        "in the text layer"
    );
    assert!(
        pdf.contains("this page proves nothing"),
        "and in the heading"
    );
    dump("demo-chain.png", &render_png(&demo, None)?);
    Ok(())
}
