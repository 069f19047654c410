//! Bundled DejaVu faces, the lazily loaded system fallback font, and per-character glyph lookup.

use std::path::PathBuf;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, FontVec, GlyphId, InvalidFont};

static SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
static MONO: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansMono.ttf");

/// The environment variable naming a fallback font file for glyphs DejaVu lacks (CJK above all).
///
/// Its value is a path, optionally followed by `#N` to pick face `N` of a `.ttc` collection
/// (`/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2`). It is tried before the
/// well-known paths in [`FALLBACK_FONT_PATHS`]. It is read once, on first use.
pub const CJK_FONT_ENV: &str = "HALLMARK_CJK_FONT";

/// Well-known system fonts tried, in order, for glyphs DejaVu lacks: `(path, face index)`.
///
/// Noto Sans CJK's collection is asked for face 2, its Simplified Chinese face.
pub const FALLBACK_FONT_PATHS: &[(&str, u32)] = &[
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    (
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        0,
    ),
];

static FALLBACK: OnceLock<Option<(PathBuf, FontVec)>> = OnceLock::new();

/// The path of the fallback font in use, if one was found (loading it on first call).
pub fn fallback_font_path() -> Option<PathBuf> {
    fallback_entry().map(|(path, _)| path.clone())
}

fn fallback_entry() -> Option<&'static (PathBuf, FontVec)> {
    FALLBACK.get_or_init(load_fallback).as_ref()
}

fn parse_env_value(value: &str) -> (PathBuf, u32) {
    if let Some((path, index)) = value.rsplit_once('#')
        && let Ok(index) = index.trim().parse::<u32>()
    {
        return (PathBuf::from(path), index);
    }
    (PathBuf::from(value), 0)
}

fn load_fallback() -> Option<(PathBuf, FontVec)> {
    let mut candidates: Vec<(PathBuf, u32, bool)> = Vec::new();
    if let Some(value) = std::env::var_os(CJK_FONT_ENV)
        && let Some(value) = value.to_str()
        && !value.trim().is_empty()
    {
        let (path, index) = parse_env_value(value.trim());
        candidates.push((path, index, true));
    }
    candidates.extend(
        FALLBACK_FONT_PATHS
            .iter()
            .map(|(path, index)| (PathBuf::from(path), *index, false)),
    );
    for (path, index, explicit) in candidates {
        let data = match std::fs::read(&path) {
            Ok(data) => data,
            Err(error) => {
                if explicit {
                    tracing::warn!(path = %path.display(), %error, "{CJK_FONT_ENV} font unreadable");
                }
                continue;
            }
        };
        match FontVec::try_from_vec_and_index(data, index) {
            Ok(font) => {
                tracing::debug!(path = %path.display(), index, "certificate fallback font loaded");
                return Some((path, font));
            }
            Err(error) => {
                tracing::warn!(path = %path.display(), index, %error, "fallback font not usable");
            }
        }
    }
    tracing::info!("no fallback font found: glyphs DejaVu lacks are drawn as hollow boxes");
    None
}

/// The three bundled faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
    Mono,
}

/// Which font a glyph comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Primary,
    /// The regular DejaVu face, for a glyph the bold or mono face lacks.
    Regular,
    Fallback,
    /// No font has it: drawn as a hollow box.
    Missing,
}

/// The fonts of one rendering: the bundled faces (parsed per render: cheap, parsing is lazy)
/// and the process-wide fallback.
pub(crate) struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
    mono: FontRef<'static>,
    fallback: Option<&'static FontVec>,
}

impl Fonts {
    pub(crate) fn load() -> Result<Self, InvalidFont> {
        Ok(Self {
            regular: FontRef::try_from_slice(SANS)?,
            bold: FontRef::try_from_slice(SANS_BOLD)?,
            mono: FontRef::try_from_slice(MONO)?,
            fallback: fallback_entry().map(|(_, font)| font),
        })
    }

    fn primary(&self, face: Face) -> &FontRef<'static> {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Mono => &self.mono,
        }
    }

    /// The font for `source` (none for [`Source::Missing`]).
    pub(crate) fn font(&self, face: Face, source: Source) -> Option<&dyn Font> {
        match source {
            Source::Primary => Some(self.primary(face)),
            Source::Regular => Some(&self.regular),
            Source::Fallback => self.fallback.map(|f| f as &dyn Font),
            Source::Missing => None,
        }
    }

    /// Finds `c` in the face, then in the fallback font.
    pub(crate) fn resolve(&self, face: Face, c: char) -> (Source, GlyphId) {
        let id = self.primary(face).glyph_id(c);
        if id.0 != 0 {
            return (Source::Primary, id);
        }
        // Bold and mono lack a few glyphs the regular face has; try it before the system font.
        if face != Face::Regular {
            let id = self.regular.glyph_id(c);
            if id.0 != 0 {
                return (Source::Regular, id);
            }
        }
        if let Some(fallback) = self.fallback {
            let id = fallback.glyph_id(c);
            if id.0 != 0 {
                return (Source::Fallback, id);
            }
        }
        (Source::Missing, GlyphId(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_value_parses_face_index() {
        assert_eq!(
            parse_env_value("/a/b.ttc#2"),
            (PathBuf::from("/a/b.ttc"), 2)
        );
        assert_eq!(parse_env_value("/a/b.ttf"), (PathBuf::from("/a/b.ttf"), 0));
        assert_eq!(
            parse_env_value("/a/x#y.ttf"),
            (PathBuf::from("/a/x#y.ttf"), 0)
        );
    }
}
