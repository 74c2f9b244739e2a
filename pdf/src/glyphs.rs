//! Text → positioned glyphs, without a shaper.
//!
//! The core measured every line with DejaVu Sans advance widths, no kerning
//! and no ligatures (`territoire::render::text`), and the SVG switches both
//! off. So a line is one glyph per character, looked up in the font's cmap
//! and advanced by the font's own advance width: what the browser does with
//! the same font, and, for every character the core's table covers, exactly
//! the core's width (the table was generated from these fonts; a test
//! checks it). Anchors use the sum of those advances, hence
//! `territoire::render::text::width` for all the text the core lays out.
//!
//! A character the font lacks (CJK: DejaVu has none) is drawn as the
//! font's U+FFFD replacement glyph "�" (the .notdef box if even that is
//! missing) with the core's width for it, so the line keeps its measured
//! length. Its text survives copy and search: the replacement glyph's
//! ToUnicode entry takes the first missing character, and krilla wraps
//! later, different ones in `/ActualText`. (With .notdef, glyph 0, the
//! first one would be lost: a font's glyph 0 gets no ToUnicode entry.)

use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Data;
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};
use territoire::render::text::width;
use territoire::scene::Weight;

/// Longest line we draw, in characters: a line is one line of a layout, so
/// anything longer is a bug upstream and is cut rather than slowing the
/// export down (or overflowing coordinates).
pub(crate) const MAX_CHARS: usize = 4_000;

/// One embedded font and its character map.
pub(crate) struct Face<'a> {
    pub(crate) font: Font,
    charmap: Charmap<'a>,
    metrics: GlyphMetrics<'a>,
    units_per_em: f32,
    /// Drawn for characters the font lacks.
    replacement: u32,
    pub(crate) weight: Weight,
}

impl<'a> Face<'a> {
    /// None when the bytes are not a font with a Unicode cmap (a truncated
    /// download, an HTML error page…).
    pub(crate) fn new(bytes: &'a [u8], weight: Weight) -> Option<Self> {
        let font_ref = FontRef::new(bytes).ok()?;
        let charmap = font_ref.charmap();
        // A font without a Unicode cmap would draw every character as a box.
        charmap.map('a')?;
        let units_per_em = font_ref.metrics(Size::unscaled(), LocationRef::default()).units_per_em as f32;
        if units_per_em < 16.0 {
            return None;
        }
        let metrics = font_ref.glyph_metrics(Size::unscaled(), LocationRef::default());
        let replacement = charmap.map('\u{fffd}').map_or(0, |g| g.to_u32());
        let font = Font::new(Data::from(bytes.to_vec()), 0)?;
        Some(Face { font, charmap, metrics, units_per_em, replacement, weight })
    }

    /// The glyphs of `text` (advances in em, krilla scales them by the
    /// size), their total advance in em, and the text they were made from
    /// (cut at [`MAX_CHARS`]).
    pub(crate) fn glyphs<'t>(&self, text: &'t str) -> (Vec<KrillaGlyph>, f32, &'t str) {
        let text = match text.char_indices().nth(MAX_CHARS) {
            Some((cut, _)) => &text[..cut],
            None => text,
        };
        let mut glyphs = Vec::with_capacity(text.len());
        let mut buf = [0u8; 4];
        let mut total = 0.0;
        for (i, c) in text.char_indices() {
            // Control characters take no room in the layout either.
            if (c as u32) < 0x20 {
                continue;
            }
            let (gid, advance) = match self.charmap.map(c) {
                Some(g) => {
                    let advance = self.metrics.advance_width(g).unwrap_or(0.0) / self.units_per_em;
                    (g.to_u32(), advance)
                }
                None => {
                    let advance = width(c.encode_utf8(&mut buf), 1.0, self.weight) as f32;
                    // A missing zero-width character (a joiner, a BOM)
                    // would be a stray mark over its neighbour: leave it out.
                    if advance == 0.0 {
                        continue;
                    }
                    (self.replacement, advance)
                }
            };
            total += advance;
            glyphs.push(KrillaGlyph {
                glyph_id: GlyphId::new(gid),
                text_range: i..i + c.len_utf8(),
                x_advance: advance,
                x_offset: 0.0,
                y_offset: 0.0,
                y_advance: 0.0,
                location: None,
            });
        }
        (glyphs, total, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The advances we draw are the core's widths for the text it lays out:
    /// the core's table and the fonts the page passes are the same DejaVu.
    #[test]
    fn advances_are_the_core_widths() {
        let text = "Évolution de la pauvreté : 12,8\u{202f}% ≤ 15 % ≈ 24\u{a0}950 € « record » — l’EPCI…";
        for (file, weight) in [("DejaVuSans.ttf", Weight::Regular), ("DejaVuSans-Bold.ttf", Weight::Bold)] {
            let Ok(bytes) = std::fs::read(format!("/usr/share/fonts/truetype/dejavu/{file}")) else {
                panic!("fonts-dejavu-core is missing (scripts/setup.sh installs it)");
            };
            let face = Face::new(&bytes, weight).unwrap();
            let (glyphs, total, _) = face.glyphs(text);
            assert_eq!(glyphs.len(), text.chars().count());
            assert!(glyphs.iter().all(|g| g.glyph_id.to_u32() != 0));
            let core = width(text, 1.0, weight) as f32;
            assert!((total - core).abs() < 1e-4, "{file}: {total} vs {core}");
        }
    }

    #[test]
    fn missing_characters_keep_the_measured_width() {
        let bytes = std::fs::read("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").unwrap();
        let face = Face::new(&bytes, Weight::Regular).unwrap();
        let (glyphs, total, _) = face.glyphs("中文");
        assert_eq!(glyphs.len(), 2);
        assert!(face.replacement != 0);
        assert!(glyphs.iter().all(|g| g.glyph_id.to_u32() == face.replacement));
        assert!((total - width("中文", 1.0, Weight::Regular) as f32).abs() < 1e-6);
    }

    #[test]
    fn not_a_font() {
        assert!(Face::new(b"<html>404</html>", Weight::Regular).is_none());
        assert!(Face::new(&[], Weight::Bold).is_none());
    }
}
