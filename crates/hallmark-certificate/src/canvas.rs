//! An RGB page with text (ab_glyph, per-character font fallback), rectangles and images, which
//! also records where every printable-ASCII run of text went (for the PDF's invisible text layer).

use ab_glyph::{Font, GlyphId, OutlinedGlyph, PxScale, PxScaleFactor, point};
use image::{Rgb, RgbImage};

use crate::fonts::{Face, Fonts, Source};

/// An RGB colour.
pub(crate) type Color = [u8; 3];

/// A run of printable ASCII text as drawn on the page, in page pixels (origin top left).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TextRun {
    pub(crate) text: String,
    /// Left edge of the first glyph's advance box.
    pub(crate) x: f32,
    pub(crate) baseline: f32,
    /// Em size in pixels.
    pub(crate) em: f32,
    /// Advance width of the run, in pixels.
    pub(crate) width: f32,
    pub(crate) mono: bool,
}

/// One laid-out character.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Placed {
    pub(crate) ch: char,
    pub(crate) x: f32,
    pub(crate) advance: f32,
    source: Source,
    id: GlyphId,
}

/// A laid-out line of text.
#[derive(Clone, Debug)]
pub(crate) struct Shaped {
    pub(crate) glyphs: Vec<Placed>,
    pub(crate) width: f32,
    face: Face,
    em: f32,
}

/// Text style: face, em size in pixels, extra spacing between characters, colour.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub(crate) face: Face,
    pub(crate) em: f32,
    pub(crate) tracking: f32,
    pub(crate) color: Color,
}

impl Style {
    pub(crate) const fn new(face: Face, em: f32, color: Color) -> Self {
        Self {
            face,
            em,
            tracking: 0.0,
            color,
        }
    }

    pub(crate) const fn tracked(self, tracking: f32) -> Self {
        Self { tracking, ..self }
    }

    pub(crate) const fn sized(self, em: f32) -> Self {
        Self { em, ..self }
    }
}

fn units_per_em(font: &dyn Font) -> f32 {
    font.units_per_em().filter(|u| *u > 0.0).unwrap_or(1000.0)
}

/// Printable ASCII: what the PDF's Helvetica / Courier text layer can carry.
pub(crate) fn is_pdf_ascii(c: char) -> bool {
    (' '..='~').contains(&c)
}

pub(crate) struct Canvas<'f> {
    pub(crate) img: RgbImage,
    fonts: &'f Fonts,
    pub(crate) runs: Vec<TextRun>,
}

impl<'f> Canvas<'f> {
    pub(crate) fn new(width: u32, height: u32, background: Color, fonts: &'f Fonts) -> Self {
        Self {
            img: RgbImage::from_pixel(width, height, Rgb(background)),
            fonts,
            runs: Vec::new(),
        }
    }

    /// Lays out `text` on one line (control characters become spaces).
    pub(crate) fn shape(&self, text: &str, style: Style) -> Shaped {
        let em = style.em;
        let mut glyphs = Vec::with_capacity(text.len());
        let mut x = 0.0f32;
        let mut prev: Option<(Source, GlyphId)> = None;
        for ch in text.chars() {
            let ch = if ch.is_control() { ' ' } else { ch };
            let (source, id) = self.fonts.resolve(style.face, ch);
            let advance = match self.fonts.font(style.face, source) {
                Some(font) => {
                    let factor = em / units_per_em(font);
                    if let Some((prev_source, prev_id)) = prev
                        && prev_source == source
                    {
                        x += font.kern_unscaled(prev_id, id) * factor;
                    }
                    font.h_advance_unscaled(id) * factor
                }
                None => em * 0.72,
            };
            glyphs.push(Placed {
                ch,
                x,
                advance,
                source,
                id,
            });
            x += advance + style.tracking;
            prev = Some((source, id));
        }
        let width = glyphs.last().map_or(0.0, |g| g.x + g.advance);
        Shaped {
            glyphs,
            width,
            face: style.face,
            em,
        }
    }

    pub(crate) fn measure(&self, text: &str, style: Style) -> f32 {
        self.shape(text, style).width
    }

    /// Draws `text` with its left edge at `x`.
    pub(crate) fn text(&mut self, text: &str, x: f32, baseline: f32, style: Style) -> f32 {
        let shaped = self.shape(text, style);
        self.draw_shaped(&shaped, x, baseline, style.color);
        shaped.width
    }

    /// Draws `text` centred on `cx`.
    pub(crate) fn text_centered(&mut self, text: &str, cx: f32, baseline: f32, style: Style) {
        let shaped = self.shape(text, style);
        self.draw_shaped(&shaped, cx - shaped.width / 2.0, baseline, style.color);
    }

    fn draw_shaped(&mut self, shaped: &Shaped, x0: f32, baseline: f32, color: Color) {
        let em = shaped.em;
        for g in &shaped.glyphs {
            let gx = x0 + g.x;
            match self.fonts.font(shaped.face, g.source) {
                Some(font) => {
                    let Some(outline) = font.outline(g.id) else {
                        continue; // whitespace
                    };
                    let factor = em / units_per_em(font);
                    let scale = PxScale::from(em * font.height_unscaled() / units_per_em(font));
                    // The fallback font has no bold face: embolden it by drawing it twice.
                    let passes: &[f32] =
                        if shaped.face == Face::Bold && g.source == Source::Fallback {
                            &[0.0, em / 30.0]
                        } else {
                            &[0.0]
                        };
                    for dx in passes {
                        let glyph =
                            g.id.with_scale_and_position(scale, point(gx + dx, baseline));
                        let outlined = OutlinedGlyph::new(
                            glyph,
                            outline.clone(),
                            PxScaleFactor {
                                horizontal: factor,
                                vertical: factor,
                            },
                        );
                        let bounds = outlined.px_bounds();
                        let (bx, by) = (bounds.min.x as i64, bounds.min.y as i64);
                        let img = &mut self.img;
                        outlined.draw(|px, py, coverage| {
                            blend(img, bx + i64::from(px), by + i64::from(py), color, coverage);
                        });
                    }
                }
                None => {
                    // No font has it: a hollow box, so nothing disappears silently.
                    let stroke = (em / 16.0).max(1.0);
                    let left = gx + em * 0.1;
                    let w = g.advance - em * 0.2;
                    let top = baseline - em * 0.72;
                    self.stroke_rect(left, top, w, em * 0.72, stroke, color);
                }
            }
        }
        self.record_runs(shaped, x0, baseline);
    }

    /// Splits the line into maximal printable-ASCII runs (spaces trimmed) for the PDF text layer.
    fn record_runs(&mut self, shaped: &Shaped, x0: f32, baseline: f32) {
        let mono = shaped.face == Face::Mono;
        let mut start: Option<usize> = None;
        let glyphs = &shaped.glyphs;
        for i in 0..=glyphs.len() {
            let ascii = glyphs.get(i).is_some_and(|g| is_pdf_ascii(g.ch));
            match (ascii, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let mut run = &glyphs[s..i];
                    while run.first().is_some_and(|g| g.ch == ' ') {
                        run = &run[1..];
                    }
                    while run.last().is_some_and(|g| g.ch == ' ') {
                        run = &run[..run.len() - 1];
                    }
                    if let (Some(first), Some(last)) = (run.first(), run.last()) {
                        self.runs.push(TextRun {
                            text: run.iter().map(|g| g.ch).collect(),
                            x: x0 + first.x,
                            baseline,
                            em: shaped.em,
                            width: last.x + last.advance - first.x,
                            mono,
                        });
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }

    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Color) {
        let (x0, y0) = (x.round() as i64, y.round() as i64);
        let (x1, y1) = ((x + w).round() as i64, (y + h).round() as i64);
        let (iw, ih) = (i64::from(self.img.width()), i64::from(self.img.height()));
        for py in y0.max(0)..y1.min(ih) {
            for px in x0.max(0)..x1.min(iw) {
                self.img.put_pixel(px as u32, py as u32, Rgb(color));
            }
        }
    }

    pub(crate) fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, t: f32, color: Color) {
        self.fill_rect(x, y, w, t, color);
        self.fill_rect(x, y + h - t, w, t, color);
        self.fill_rect(x, y, t, h, color);
        self.fill_rect(x + w - t, y, t, h, color);
    }

    /// Copies an RGB image with its top left corner at (x, y), clipped to the page.
    pub(crate) fn blit(&mut self, src: &RgbImage, x: i64, y: i64) {
        let (iw, ih) = (i64::from(self.img.width()), i64::from(self.img.height()));
        for (sx, sy, p) in src.enumerate_pixels() {
            let (px, py) = (x + i64::from(sx), y + i64::from(sy));
            if (0..iw).contains(&px) && (0..ih).contains(&py) {
                self.img.put_pixel(px as u32, py as u32, *p);
            }
        }
    }
}

fn blend(img: &mut RgbImage, x: i64, y: i64, color: Color, coverage: f32) {
    if x < 0 || y < 0 || x >= i64::from(img.width()) || y >= i64::from(img.height()) {
        return;
    }
    let c = coverage.clamp(0.0, 1.0);
    if c <= 0.0 {
        return;
    }
    let p = img.get_pixel_mut(x as u32, y as u32);
    for (channel, target) in p.0.iter_mut().zip(color) {
        let v = f32::from(*channel) * (1.0 - c) + f32::from(target) * c;
        *channel = v.round().clamp(0.0, 255.0) as u8;
    }
}

/// Wraps `text` into lines no wider than `max_width`: at spaces where it can, anywhere inside a
/// word (a hash, a CID, a run of CJK) where it must.
pub(crate) fn wrap(canvas: &Canvas<'_>, text: &str, style: Style, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if canvas.measure(&candidate, style) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let shaped = canvas.shape(word, style);
        if shaped.width <= max_width {
            line = word.to_owned();
            continue;
        }
        // Break inside the word, at character boundaries.
        let mut offset = 0.0f32;
        for g in &shaped.glyphs {
            if !line.is_empty() && g.x + g.advance - offset > max_width {
                lines.push(std::mem::take(&mut line));
                offset = g.x;
            }
            if line.is_empty() {
                offset = g.x;
            }
            line.push(g.ch);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Wraps at the largest em size in `min_em..=style.em` that needs at most `max_lines` lines; at
/// `min_em` the last line is cut with an ellipsis if the text still does not fit.
pub(crate) fn fit(
    canvas: &Canvas<'_>,
    text: &str,
    style: Style,
    min_em: f32,
    max_width: f32,
    max_lines: usize,
) -> (Style, Vec<String>) {
    let mut em = style.em;
    loop {
        let sized = style.sized(em);
        let lines = wrap(canvas, text, sized, max_width);
        if lines.len() <= max_lines {
            return (sized, lines);
        }
        if em - 1.0 < min_em {
            let mut lines = lines;
            lines.truncate(max_lines.max(1));
            if let Some(last) = lines.last_mut() {
                loop {
                    let candidate = format!("{}…", last.trim_end());
                    if canvas.measure(&candidate, sized) <= max_width || last.is_empty() {
                        *last = candidate;
                        break;
                    }
                    last.pop();
                }
            }
            return (sized, lines);
        }
        em -= 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dark_pixels(img: &RgbImage) -> usize {
        img.pixels().filter(|p| p.0[0] < 128).count()
    }

    #[test]
    fn a_character_no_font_has_is_a_hollow_box() -> Result<(), ab_glyph::InvalidFont> {
        let fonts = Fonts::load()?;
        let mut c = Canvas::new(200, 100, [255, 255, 255], &fonts);
        let style = Style::new(Face::Regular, 40.0, [0, 0, 0]);
        let shaped = c.shape("\u{10FFFD}", style);
        assert_eq!(shaped.glyphs.len(), 1);
        assert_eq!(shaped.glyphs[0].source, Source::Missing);
        assert!(shaped.width > 20.0);
        c.text("\u{10FFFD}", 10.0, 60.0, style);
        let dark = dark_pixels(&c.img);
        // A hollow outline: some ink, far less than a filled box.
        assert!(dark > 60, "{dark}");
        assert!(dark < 500, "{dark}");
        // Not printable ASCII: no run for the PDF text layer.
        assert!(c.runs.is_empty());
        Ok(())
    }

    #[test]
    fn runs_split_at_non_ascii_and_trim_spaces() -> Result<(), ab_glyph::InvalidFont> {
        let fonts = Fonts::load()?;
        let mut c = Canvas::new(800, 100, [255, 255, 255], &fonts);
        let style = Style::new(Face::Regular, 20.0, [0, 0, 0]);
        c.text("Ab 山水 cd é", 10.0, 50.0, style);
        let texts: Vec<&str> = c.runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["Ab", "cd"]);
        assert!((c.runs[0].x - 10.0).abs() < 0.01);
        assert!(c.runs[1].x > c.runs[0].x + c.runs[0].width);
        Ok(())
    }

    #[test]
    fn wrap_breaks_long_words_and_keeps_every_character() -> Result<(), ab_glyph::InvalidFont> {
        let fonts = Fonts::load()?;
        let c = Canvas::new(10, 10, [255, 255, 255], &fonts);
        let style = Style::new(Face::Mono, 20.0, [0, 0, 0]);
        let hex = "ab".repeat(64);
        let lines = wrap(&c, &format!("x {hex} y"), style, 300.0);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(c.measure(line, style) <= 300.0, "{line}");
        }
        assert_eq!(lines.concat().replace(' ', ""), format!("x{hex}y"));
        Ok(())
    }

    #[test]
    fn fit_shrinks_then_cuts_with_an_ellipsis() -> Result<(), ab_glyph::InvalidFont> {
        let fonts = Fonts::load()?;
        let c = Canvas::new(10, 10, [255, 255, 255], &fonts);
        let style = Style::new(Face::Bold, 40.0, [0, 0, 0]);
        let (s, lines) = fit(&c, "short", style, 20.0, 500.0, 2);
        assert_eq!((s.em, lines.len()), (40.0, 1));
        let long = "word ".repeat(200);
        let (s, lines) = fit(&c, &long, style, 20.0, 500.0, 2);
        assert_eq!(s.em, 20.0);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(c.measure(&lines[1], s) <= 500.0);
        Ok(())
    }
}
