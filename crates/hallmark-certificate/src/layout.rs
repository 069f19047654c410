//! The certificate's page layout: one A4 page at 150 dpi (1240 × 1754 px).

use image::{DynamicImage, GenericImageView, Rgb, RgbImage, imageops::FilterType};
use qrcode::{Color as QrColor, EcLevel, QrCode};

use crate::canvas::{Canvas, Color, Style, TextRun, fit, wrap};
use crate::fonts::{Face, Fonts};
use crate::{CertificateError, CertificateFields};

/// Page width in pixels (A4 at 150 dpi).
pub(crate) const PAGE_W: u32 = 1240;
/// Page height in pixels (A4 at 150 dpi).
pub(crate) const PAGE_H: u32 = 1754;

const PAPER: Color = [253, 252, 248];
const WHITE: Color = [255, 255, 255];
const INK: Color = [26, 31, 38];
const MUTED: Color = [96, 104, 115];
const NAVY: Color = [27, 50, 82];
const GOLD: Color = [163, 131, 78];
const RULE: Color = [221, 223, 227];
const FRAME_LINE: Color = [196, 200, 207];
const PLACEHOLDER: Color = [239, 240, 242];
const DEMO_RED: Color = [176, 32, 32];

/// Content margins (inside the frame).
const LEFT: f32 = 104.0;
const RIGHT: f32 = PAGE_W as f32 - 104.0;
const CENTER: f32 = PAGE_W as f32 / 2.0;

/// Thumbnail box.
const THUMB_W: u32 = 560;
const THUMB_H: u32 = 330;
const THUMB_TOP: f32 = 284.0;

/// Footer rule; the QR block sits above it.
const FOOTER_RULE: f32 = 1634.0;
const QR_MODULE_PX: u32 = 5;
const QR_QUIET: u32 = 4;

/// The QR code as placed on the page (for the PDF's vector copy of it).
#[derive(Clone, Debug)]
pub(crate) struct QrPlacement {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) module_px: f32,
    /// Modules per side, quiet zone excluded.
    pub(crate) width: usize,
    /// Row-major, `true` = dark.
    pub(crate) dark: Vec<bool>,
}

/// A rendered certificate page.
pub(crate) struct Page {
    pub(crate) image: RgbImage,
    pub(crate) runs: Vec<TextRun>,
    pub(crate) qr: QrPlacement,
    /// Bottom of the facts table, in page pixels (tests check it stays above the QR block).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) table_bottom: f32,
}

pub(crate) fn render_page(
    fields: &CertificateFields,
    bundle_hex: &str,
    thumbnail: Option<&DynamicImage>,
) -> Result<Page, CertificateError> {
    let fonts = Fonts::load().map_err(|e| CertificateError::Font(e.to_string()))?;
    let mut c = Canvas::new(PAGE_W, PAGE_H, PAPER, &fonts);

    frame(&mut c);
    if fields.demo_chain {
        demo_band(&mut c);
    }
    header(&mut c, fields);
    thumbnail_box(&mut c, thumbnail);
    let title_bottom = title(&mut c, &fields.title, THUMB_TOP + THUMB_H as f32 + 62.0);
    let qr = qr_block(&mut c, fields, bundle_hex)?;
    let qr_top = qr.y - (QR_QUIET * QR_MODULE_PX) as f32;
    let table_bottom = facts_table(&mut c, fields, title_bottom + 26.0, qr_top - 30.0);
    footer(&mut c);

    Ok(Page {
        image: c.img,
        runs: c.runs,
        qr,
        table_bottom,
    })
}

fn frame(c: &mut Canvas<'_>) {
    let (w, h) = (PAGE_W as f32, PAGE_H as f32);
    c.stroke_rect(34.0, 34.0, w - 68.0, h - 68.0, 4.0, NAVY);
    c.stroke_rect(46.0, 46.0, w - 92.0, h - 92.0, 1.5, GOLD);
}

/// A red band across the top of a certificate from a local development chain.
fn demo_band(c: &mut Canvas<'_>) {
    c.fill_rect(LEFT - 40.0, 58.0, RIGHT - LEFT + 80.0, 40.0, DEMO_RED);
    let style = Style::new(Face::Bold, 20.0, WHITE).tracked(2.0);
    c.text_centered("DEMO CHAIN - NOT EVIDENCE", CENTER, 86.0, style);
}

fn header(c: &mut Canvas<'_>, fields: &CertificateFields) {
    let brand = Style::new(Face::Bold, 19.0, GOLD).tracked(7.0);
    c.text_centered("HALLMARK", CENTER, 122.0, brand);
    let heading = Style::new(Face::Bold, 50.0, NAVY);
    c.text_centered("Certificate of registration", CENTER, 188.0, heading);
    let sub = Style::new(Face::Regular, 18.0, MUTED);
    let line = if fields.demo_chain {
        format!(
            "Chain {} is a local development chain that anyone can run with any history: this page proves nothing.",
            fields.chain_id
        )
    } else {
        format!(
            "The work below is registered on chain {} by the transaction and contract stated.",
            fields.chain_id
        )
    };
    let lines = wrap(c, &line, sub, RIGHT - LEFT);
    let mut y = 226.0;
    for l in lines.iter().take(2) {
        c.text_centered(l, CENTER, y, sub);
        y += 24.0;
    }
    // Ornament rule with a small diamond.
    c.fill_rect(CENTER - 150.0, 253.0, 130.0, 1.0, GOLD);
    c.fill_rect(CENTER + 20.0, 253.0, 130.0, 1.0, GOLD);
    for i in 0..7 {
        let half = 6.0 - (i as f32 - 3.0).abs() * 2.0;
        c.fill_rect(CENTER - half, 247.0 + i as f32 * 2.0, half * 2.0, 2.0, GOLD);
    }
}

fn thumbnail_box(c: &mut Canvas<'_>, thumbnail: Option<&DynamicImage>) {
    let box_x = CENTER - THUMB_W as f32 / 2.0;
    match thumbnail.and_then(fit_thumbnail) {
        Some(img) => {
            let (w, h) = img.dimensions();
            let x = (CENTER - w as f32 / 2.0).round();
            let y = (THUMB_TOP + (THUMB_H - h) as f32 / 2.0).round();
            // Hairline mat around the picture.
            c.stroke_rect(
                x - 9.0,
                y - 9.0,
                w as f32 + 18.0,
                h as f32 + 18.0,
                1.0,
                FRAME_LINE,
            );
            c.fill_rect(x - 8.0, y - 8.0, w as f32 + 16.0, h as f32 + 16.0, WHITE);
            c.blit(&img, x as i64, y as i64);
        }
        None => {
            c.fill_rect(
                box_x,
                THUMB_TOP,
                THUMB_W as f32,
                THUMB_H as f32,
                PLACEHOLDER,
            );
            c.stroke_rect(
                box_x,
                THUMB_TOP,
                THUMB_W as f32,
                THUMB_H as f32,
                1.0,
                FRAME_LINE,
            );
            let style = Style::new(Face::Regular, 22.0, MUTED);
            c.text_centered(
                "no preview",
                CENTER,
                THUMB_TOP + THUMB_H as f32 / 2.0 + 8.0,
                style,
            );
        }
    }
}

/// Scales the thumbnail to fit the box (aspect kept, at least 1 px a side), flattened onto white.
fn fit_thumbnail(src: &DynamicImage) -> Option<RgbImage> {
    let (w, h) = src.dimensions();
    if w == 0 || h == 0 {
        return None;
    }
    let (bw, bh) = (f64::from(THUMB_W - 20), f64::from(THUMB_H - 20));
    let scale = (bw / f64::from(w)).min(bh / f64::from(h));
    let nw = ((f64::from(w) * scale).round() as u32).clamp(1, THUMB_W - 20);
    let nh = ((f64::from(h) * scale).round() as u32).clamp(1, THUMB_H - 20);
    let resized = if scale < 1.0 {
        src.thumbnail_exact(nw, nh)
    } else if w.min(h) < 32 {
        src.resize_exact(nw, nh, FilterType::Nearest)
    } else {
        src.resize_exact(nw, nh, FilterType::CatmullRom)
    };
    let rgba = resized.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = f32::from(p.0[3]) / 255.0;
        let mix = |v: u8| (f32::from(v) * a + 255.0 * (1.0 - a)).round() as u8;
        out.put_pixel(x, y, Rgb([mix(p.0[0]), mix(p.0[1]), mix(p.0[2])]));
    }
    Some(out)
}

/// The title, centred, on up to three lines. Returns its bottom.
fn title(c: &mut Canvas<'_>, title: &str, top: f32) -> f32 {
    let style = Style::new(Face::Bold, 42.0, INK);
    let text = if title.trim().is_empty() {
        "Untitled"
    } else {
        title
    };
    // Up to two lines from 42 down to 30 px; a longer title gets a third line and may shrink to
    // 22 px (a 200-character title fits whole); past that it is cut with an ellipsis.
    let width = RIGHT - LEFT;
    let (style, lines) = if wrap(c, text, style.sized(30.0), width).len() <= 2 {
        fit(c, text, style, 30.0, width, 2)
    } else {
        fit(c, text, style.sized(30.0), 22.0, width, 3)
    };
    let line_h = style.em * 1.25;
    let mut baseline = top + style.em * 0.8;
    for line in &lines {
        c.text_centered(line, CENTER, baseline, style);
        baseline += line_h;
    }
    baseline - line_h + style.em * 0.3
}

struct Row {
    label: &'static str,
    value: String,
    mono: bool,
}

fn rows(f: &CertificateFields) -> Vec<Row> {
    let row = |label, value: &str, mono| Row {
        label,
        value: value.to_owned(),
        mono,
    };
    vec![
        row("Creator", &f.creator, !f.creator.contains(' ')),
        row("Owner", &f.owner, true),
        row("Token", &f.token_id, false),
        row("Edition", &f.edition, false),
        row("Contract", &f.contract, true),
        row("Chain", &f.chain_id.to_string(), false),
        row("Registered", &f.registered_at, false),
        row("Block", &f.registration_block.to_string(), false),
        row("Transaction", &f.registration_tx, true),
        row("Content SHA-256", &f.content_sha256, true),
        row("Content CID", &f.content_cid, true),
        row("Metadata CID", &f.metadata_cid, true),
    ]
}

const LABEL_W: f32 = 214.0;
const ROW_PAD: f32 = 9.0;

/// Lays out the facts at value size `em`; returns (total height, per row: label style, value
/// style, lines).
fn table_layout(
    c: &Canvas<'_>,
    rows: &[Row],
    em: f32,
    max_lines: usize,
) -> (f32, Vec<(Style, Vec<String>)>) {
    let value_w = RIGHT - LEFT - LABEL_W;
    let mut total = 0.0;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let face = if row.mono { Face::Mono } else { Face::Regular };
        let style = Style::new(face, em, INK);
        let (style, lines) = fit(c, &row.value, style, em, value_w, max_lines);
        total += lines.len() as f32 * em * 1.35 + 2.0 * ROW_PAD;
        out.push((style, lines));
    }
    (total, out)
}

/// Draws the facts between `top` and `bottom`; returns where the table ends.
fn facts_table(c: &mut Canvas<'_>, fields: &CertificateFields, top: f32, bottom: f32) -> f32 {
    let rows = rows(fields);
    let available = bottom - top;
    // Largest size that fits with values wrapped to at most 3 lines; absurdly long values (only
    // free-form fields can be) are cut with an ellipsis at the smallest size rather than overflow.
    let mut attempts: Vec<(f32, usize)> = (14..=20).rev().map(|em| (em as f32, 3)).collect();
    attempts.extend([(13.0, 2), (13.0, 1)]);
    let mut chosen = None;
    for (em, max_lines) in attempts {
        let (height, laid) = table_layout(c, &rows, em, max_lines);
        chosen = Some((em, laid));
        if height <= available {
            break;
        }
    }
    let Some((em, laid)) = chosen else {
        return top;
    };
    let label_style = Style::new(Face::Bold, (em - 4.5).max(11.0), MUTED).tracked(1.2);
    let value_x = LEFT + LABEL_W;
    let mut y = top;
    c.fill_rect(LEFT, y, RIGHT - LEFT, 1.0, RULE);
    for (row, (style, lines)) in rows.iter().zip(&laid) {
        let line_h = em * 1.35;
        let first_baseline = y + ROW_PAD + em * 1.0;
        c.text(
            &row.label.to_uppercase(),
            LEFT,
            first_baseline - 1.0,
            label_style,
        );
        let mut baseline = first_baseline;
        for line in lines {
            c.text(line, value_x, baseline, *style);
            baseline += line_h;
        }
        y += lines.len() as f32 * line_h + 2.0 * ROW_PAD;
        c.fill_rect(LEFT, y, RIGHT - LEFT, 1.0, RULE);
    }
    y
}

fn qr_block(
    c: &mut Canvas<'_>,
    fields: &CertificateFields,
    bundle_hex: &str,
) -> Result<QrPlacement, CertificateError> {
    let payload = crate::qr_payload(bundle_hex);
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| CertificateError::Qr(e.to_string()))?;
    let width = code.width();
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|m| m == QrColor::Dark)
        .collect();
    let side = (width as u32 + 2 * QR_QUIET) * QR_MODULE_PX;
    let qx = LEFT;
    let qy = FOOTER_RULE - 26.0 - side as f32;
    c.fill_rect(qx, qy, side as f32, side as f32, WHITE);
    c.stroke_rect(qx, qy, side as f32, side as f32, 1.0, RULE);
    let origin_x = qx + (QR_QUIET * QR_MODULE_PX) as f32;
    let origin_y = qy + (QR_QUIET * QR_MODULE_PX) as f32;
    let m = QR_MODULE_PX as f32;
    for (i, is_dark) in dark.iter().enumerate() {
        if *is_dark {
            let (mx, my) = ((i % width) as f32, (i / width) as f32);
            c.fill_rect(origin_x + mx * m, origin_y + my * m, m, m, [0, 0, 0]);
        }
    }

    // Caption, hash and notes to the right of the code.
    let tx = qx + side as f32 + 34.0;
    let text_w = RIGHT - tx;
    let mut y = qy + 44.0;
    c.text(
        "Evidence bundle SHA-256",
        tx,
        y,
        Style::new(Face::Bold, 22.0, NAVY),
    );
    y += 38.0;
    let hex_style = Style::new(Face::Mono, 18.0, INK);
    let (hex_style, lines) = fit(c, bundle_hex, hex_style, 14.0, text_w, 2);
    for line in &lines {
        c.text(line, tx, y, hex_style);
        y += hex_style.em * 1.4;
    }
    y += 14.0;
    let note = Style::new(Face::Regular, 16.0, MUTED);
    let text = "The QR code holds hallmark-bundle:sha256:<hex>, the SHA-256 of the evidence \
                bundle file that proves every fact on this certificate.";
    for line in wrap(c, text, note, text_w).iter().take(3) {
        c.text(line, tx, y, note);
        y += 22.0;
    }
    y += 12.0;
    let issued = format!("Certificate issued {}", fields.issued_at);
    let (issued_style, issued_lines) = fit(c, &issued, note, 12.0, text_w, 2);
    for line in &issued_lines {
        c.text(line, tx, y, issued_style);
        y += 22.0;
    }

    Ok(QrPlacement {
        x: origin_x,
        y: origin_y,
        module_px: m,
        width,
        dark,
    })
}

fn footer(c: &mut Canvas<'_>) {
    c.fill_rect(LEFT, FOOTER_RULE, RIGHT - LEFT, 1.0, RULE);
    let style = Style::new(Face::Regular, 16.0, MUTED);
    let text = "To verify: run `hallmark verify <bundle>` or check the hashes with sha256sum and \
                any EVM node.";
    let mut y = FOOTER_RULE + 32.0;
    for line in wrap(c, text, style, RIGHT - LEFT).iter().take(2) {
        c.text_centered(line, CENTER, y, style);
        y += 22.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests_support::fields;
    use proptest::prelude::*;

    fn assert_inside(page: &Page) {
        for run in &page.runs {
            assert!(run.x >= LEFT - 0.5, "{run:?} starts left of the margin");
            assert!(
                run.x + run.width <= RIGHT + 0.5,
                "{run:?} ends right of the margin"
            );
            assert!(
                run.baseline < FOOTER_RULE + 80.0,
                "{run:?} below the footer"
            );
        }
        let qr_top = page.qr.y - (QR_QUIET * QR_MODULE_PX) as f32;
        assert!(
            page.table_bottom <= qr_top,
            "table {} over QR {qr_top}",
            page.table_bottom
        );
        // Nothing drawn between the page edge and the frame.
        for (x, y, p) in page.image.enumerate_pixels() {
            if x < 30 || y < 30 || x >= PAGE_W - 30 || y >= PAGE_H - 30 {
                assert_eq!(p.0, PAPER, "ink at ({x}, {y})");
            }
        }
    }

    #[test]
    fn the_example_fits() -> Result<(), CertificateError> {
        let f = fields();
        let page = render_page(&f, &f.bundle_sha256, None)?;
        assert_inside(&page);
        assert_eq!(page.qr.width, 41, "version 6");
        Ok(())
    }

    #[test]
    fn maximal_fields_still_fit() -> Result<(), CertificateError> {
        let mut f = fields();
        let long = "长".repeat(crate::MAX_FIELD_CHARS);
        f.title = long.clone();
        f.edition = "x".repeat(crate::MAX_FIELD_CHARS);
        f.registered_at = long.clone();
        f.issued_at = long;
        f.creator = format!("{} (0x{})", "名".repeat(900), "a".repeat(40));
        f.content_cid = "b".repeat(crate::MAX_FIELD_CHARS);
        f.metadata_cid = "c".repeat(crate::MAX_FIELD_CHARS);
        let page = render_page(&f, &f.bundle_sha256, None)?;
        assert_inside(&page);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]
        #[test]
        fn any_free_text_stays_on_the_page(
            title in "\\PC{0,240}",
            edition in "\\PC{0,80}",
            when in "[ -~]{0,120}",
        ) {
            let mut f = fields();
            f.title = title;
            f.edition = edition;
            f.registered_at = when;
            let page = render_page(&f, &f.bundle_sha256, None).map_err(|e| TestCaseError::fail(e.to_string()))?;
            assert_inside(&page);
        }
    }
}
