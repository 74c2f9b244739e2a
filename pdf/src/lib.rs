//! The snapshot document ([`territoire::document::Document`]) as a tagged
//! A4 PDF, written in the browser by a separate wasm module (loaded on the
//! first export, so the viewer itself stays small).
//!
//! Like typst's exporters, the whole API is one function and an options
//! struct: [`pdf`] with [`PdfOptions`]. The scenes are the ones the screen
//! shows (`territoire::scene`), drawn the way `territoire::render::svg`
//! draws them, so paper and screen agree:
//!
//! - everything is vector: paths, rectangles, circles (four Bézier arcs),
//!   dashed lines, solid, hatched (a tiling pattern like the SVG's) and
//!   translucent fills;
//! - text is real text in the two embedded DejaVu Sans fonts (krilla
//!   subsets them once for the whole document), placed glyph by glyph with
//!   the core's advance widths (`territoire::render::text`), so anchors
//!   and line breaks are exactly the measured ones, and kept selectable
//!   and searchable (ToUnicode, and ActualText where a glyph is missing);
//! - the structure tree follows the blocks in reading order: Title → H1,
//!   Heading → H2, Paragraph → P, Figure → Figure with its alternative.
//!
//! The module also lays the document out: [`request::document`] turns the
//! page's export request (territory, comparisons, comments, maps, date)
//! into a [`Document`] with `territoire::export`, from the data pack the
//! worker loads, so the viewer's core needs no layout code.
//!
//! Nothing in a [`Document`] can make it panic: non-finite or absurd
//! numbers skip the item they belong to, sizes are clamped, and what cannot
//! be written at all is a [`PdfError`] with a French message for the page.

mod draw;
mod glyphs;
mod prefs;
pub mod request;
#[cfg(target_arch = "wasm32")]
mod wasm;

use std::fmt;
use std::num::NonZeroU16;

use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::tagging::{ContentTag, Node, Tag, TagGroup, TagTree};
use krilla::SerializeSettings;
use territoire::document::{Block, Document, Role};
use territoire::scene::{Item, Weight};

use crate::draw::{Painter, Tagging};
use crate::glyphs::Face;

/// What [`pdf`] needs besides the document: the two fonts the layout was
/// measured with (the core's metrics are DejaVu Sans and DejaVu Sans Bold),
/// as TrueType bytes. The page already loads them for the screen.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    pub regular_font: Vec<u8>,
    pub bold_font: Vec<u8>,
}

/// Why no PDF could be written. `Display` is French: the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The font bytes are not a usable TrueType/OpenType font.
    Font { bold: bool },
    /// The document has no page (a PDF needs at least one).
    NoPages,
    /// A page's size is not a positive finite number (1-based page number).
    PageSize { page: usize },
    /// krilla refused to write the file (font subsetting, PDF limits…).
    Write(String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Font { bold } => write!(
                f,
                "Police {} illisible : les fichiers DejaVu Sans n’ont pas pu être chargés.",
                if *bold { "grasse" } else { "normale" }
            ),
            PdfError::NoPages => write!(f, "Le document à exporter ne contient aucune page."),
            PdfError::PageSize { page } => {
                write!(f, "La page {page} du document a des dimensions invalides.")
            }
            PdfError::Write(detail) => write!(f, "Le PDF n’a pas pu être écrit ({detail})."),
        }
    }
}

impl std::error::Error for PdfError {}

/// PDF limits page sides to 14 400 units (200 inches); 3 is its minimum.
const MAX_PAGE_PT: f64 = 14_400.0;
const MIN_PAGE_PT: f64 = 3.0;

/// Writes `doc` as a tagged PDF with the fonts of `opts` embedded.
pub fn pdf(doc: &Document, opts: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let regular = Face::new(&opts.regular_font, Weight::Regular).ok_or(PdfError::Font { bold: false })?;
    let bold = Face::new(&opts.bold_font, Weight::Bold).ok_or(PdfError::Font { bold: true })?;
    if doc.pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    // Check every page before drawing: a half-written document is of no use.
    let mut sizes = Vec::with_capacity(doc.pages.len());
    for (i, page) in doc.pages.iter().enumerate() {
        let ok = |v: f64| v.is_finite() && v > 0.0;
        if !ok(page.width_pt) || !ok(page.height_pt) {
            return Err(PdfError::PageSize { page: i + 1 });
        }
        let clamp = |v: f64| v.clamp(MIN_PAGE_PT, MAX_PAGE_PT) as f32;
        let settings = PageSettings::from_wh(clamp(page.width_pt), clamp(page.height_pt))
            .ok_or(PdfError::PageSize { page: i + 1 })?;
        sizes.push(settings);
    }

    let settings = SerializeSettings { enable_tagging: true, ..SerializeSettings::default() };
    let mut document = krilla::Document::new_with(settings);
    let mut tree = TagTree::new().with_lang(non_empty(&doc.lang));
    let mut painter = Painter::new(&regular, &bold);

    for (page, settings) in doc.pages.iter().zip(sizes) {
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        for block in &page.blocks {
            if let Some(group) = draw_block(&mut painter, &mut surface, block) {
                tree.push(group);
            }
        }
        surface.finish();
        pdf_page.finish();
    }

    document.set_tag_tree(tree);
    document.set_metadata(metadata(doc));
    let bytes = document.finish().map_err(|e| PdfError::Write(format!("{e:?}")))?;
    // krilla only asks viewers to show the title (not the file name) under
    // PDF/UA, whose validation would refuse notdef glyphs; add it ourselves.
    Ok(prefs::display_doc_title(bytes))
}

/// Draws one block and returns its structure element (None when nothing of
/// it could be drawn, e.g. a non-finite position).
fn draw_block(painter: &mut Painter, surface: &mut krilla::surface::Surface, block: &Block) -> Option<TagGroup> {
    let transform = draw::block_transform(block)?;
    let mut group = match &block.role {
        Role::Title => TagGroup::new(Tag::Hn(NonZeroU16::MIN, Some(scene_text(&block.scene.items)))),
        Role::Heading => TagGroup::new(Tag::Hn(NonZeroU16::new(2)?, Some(scene_text(&block.scene.items)))),
        Role::Paragraph => TagGroup::new(Tag::P),
        Role::Figure { alt } => {
            // A figure is one picture for assistive technology: its content
            // is one marked sequence and its alternative text speaks for it.
            let alt = if alt.trim().is_empty() { block.scene.title.clone() } else { alt.clone() };
            TagGroup::new(Tag::Figure(non_empty(&alt)))
        }
    };
    match block.role {
        Role::Figure { .. } => {
            let id = surface.start_tagged(ContentTag::Other);
            painter.draw_scene(surface, &block.scene, transform, &mut Tagging::Inside);
            surface.end_tagged();
            group.push(id);
        }
        _ => {
            // Text blocks: every line is a Span of the heading or paragraph,
            // every other shape (a rule, a background) an artifact.
            let mut ids = Vec::new();
            painter.draw_scene(surface, &block.scene, transform, &mut Tagging::Spans(&mut ids));
            for id in ids {
                group.push(Node::from(id));
            }
        }
    }
    Some(group)
}

/// The text a heading reads as (its `/T`), lines joined by spaces.
fn scene_text(items: &[Item]) -> String {
    fn walk(items: &[Item], out: &mut Vec<String>) {
        for item in items {
            match item {
                Item::Text { text, .. } if !text.trim().is_empty() => out.push(text.trim().to_string()),
                Item::Group { items, .. } => walk(items, out),
                _ => {}
            }
        }
    }
    let mut lines = Vec::new();
    walk(items, &mut lines);
    lines.join(" ")
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn metadata(doc: &Document) -> Metadata {
    let mut meta = Metadata::new().creator("Territoire — portrait de territoire".to_string());
    if let Some(title) = non_empty(&doc.title) {
        meta = meta.title(title);
    }
    if let Some(subject) = non_empty(&doc.subject) {
        meta = meta.description(subject);
    }
    if let Some(lang) = non_empty(&doc.lang) {
        meta = meta.language(lang);
    }
    if let Some(date) = parse_date(&doc.date) {
        meta = meta.creation_date(date);
    }
    meta
}

/// `YYYY-MM-DD` → a date; anything else is left out of the metadata (the
/// page passes its own clock, a wrong date must not block an export).
fn parse_date(s: &str) -> Option<DateTime> {
    let mut parts = s.trim().splitn(3, '-');
    let year: u16 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(DateTime::new(year).month(month).day(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(parse_date("2025-11-21").is_some());
        assert!(parse_date("2025-13-01").is_none());
        assert!(parse_date("hier").is_none());
        assert!(parse_date("").is_none());
    }

    #[test]
    fn errors_are_french() {
        assert!(PdfError::Font { bold: true }.to_string().contains("Police grasse"));
        assert!(PdfError::NoPages.to_string().contains("aucune page"));
    }
}
