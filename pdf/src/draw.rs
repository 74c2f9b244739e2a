//! Scene items → krilla drawing, mirroring `territoire::render::svg` item by
//! item so paper looks like the screen: same hatching tile, same dashes,
//! same joins, same clipping to the scene's box.
//!
//! Every number comes from data or layout code we do not control here, so
//! each one is checked: an item with a non-finite or absurd coordinate is
//! skipped (not drawn at the origin, which would put a spike on a map).

use krilla::geom::{Path, PathBuilder, Point, Rect, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill as PdfFill, FillRule, LineCap, LineJoin, Paint, Pattern, Stroke as PdfStroke, StrokeDash};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, Identifier, SpanTag};
use territoire::document::Block;
use territoire::scene::{Anchor, Color, Fill, Item, PathCmd, Scene, Stroke, Weight};

use crate::glyphs::Face;

/// Largest scene coordinate we accept, in px: a thousand A4 widths. Keeps
/// every product with a block scale far inside f32 range.
const MAX_COORD: f64 = 1.0e6;
/// Largest block scale (pt per px) and text size (px) we accept.
const MAX_SCALE: f64 = 1.0e3;
const MAX_TEXT_SIZE: f64 = 1.0e4;
/// The SVG's hatching tile: 6 px, turned 45°, one 1 px stripe per tile (a
/// 2 px line on the tile's edge, half of it clipped by the tile).
const HATCH_TILE: f32 = 6.0;
const HATCH_STRIPE: f32 = 1.0;
/// SVG's default miter limit (PDF's is 10): same corners on sharp angles.
const SVG_MITER_LIMIT: f32 = 4.0;
/// A quarter circle as one cubic Bézier: control points at this fraction
/// of the radius (error below 0.03 % of r).
const KAPPA: f32 = 0.552_284_8;

/// How the content of a block is marked for the structure tree.
pub(crate) enum Tagging<'v> {
    /// The caller wrapped the whole block in one marked sequence (figures).
    Inside,
    /// Each text line is its own Span (collected here, in order); other
    /// shapes are artifacts (headings and paragraphs).
    Spans(&'v mut Vec<Identifier>),
}

/// Place of a block on its page: translate then scale, y down like krilla.
pub(crate) fn block_transform(block: &Block) -> Option<Transform> {
    let pos_ok = |v: f64| v.is_finite() && v.abs() <= 1.0e5;
    if !pos_ok(block.x_pt) || !pos_ok(block.y_pt) {
        return None;
    }
    if !(block.scale.is_finite() && block.scale > 0.0 && block.scale <= MAX_SCALE) {
        return None;
    }
    let s = block.scale as f32;
    Some(Transform::from_row(s, 0.0, 0.0, s, block.x_pt as f32, block.y_pt as f32))
}

pub(crate) struct Painter<'f> {
    regular: &'f Face<'f>,
    bold: &'f Face<'f>,
    /// One tiling pattern per (background, lines) pair, shared by every page
    /// (krilla writes a resource once per distinct pattern).
    hatches: Vec<((Color, Color), Pattern)>,
}

impl<'f> Painter<'f> {
    pub(crate) fn new(regular: &'f Face<'f>, bold: &'f Face<'f>) -> Self {
        Painter { regular, bold, hatches: Vec::new() }
    }

    /// Draws `scene` with `transform`, clipped to the scene's box like an
    /// inline SVG (overflow hidden). A scene without a positive finite size
    /// shows nothing on screen, so nothing here either.
    pub(crate) fn draw_scene(&mut self, s: &mut Surface, scene: &Scene, transform: Transform, tagging: &mut Tagging) {
        let (Some(w), Some(h)) = (coord(scene.width), coord(scene.height)) else { return };
        let Some(clip) = Rect::from_xywh(0.0, 0.0, w, h).filter(|_| w > 0.0 && h > 0.0) else { return };
        let mut pb = PathBuilder::new();
        pb.push_rect(clip);
        let Some(clip) = pb.finish() else { return };
        s.push_transform(&transform);
        s.push_clip_path(&clip, &FillRule::NonZero);
        for item in &scene.items {
            self.item(s, item, tagging);
        }
        s.pop();
        s.pop();
    }

    fn item(&mut self, s: &mut Surface, item: &Item, tagging: &mut Tagging) {
        match item {
            Item::Rect { x, y, width, height, fill, stroke, .. } => {
                let (Some(x), Some(y), Some(w), Some(h)) = (coord(*x), coord(*y), coord(*width), coord(*height)) else {
                    return;
                };
                // SVG draws nothing, not even the stroke, for an empty rect.
                if w <= 0.0 || h <= 0.0 {
                    return;
                }
                let Some(rect) = Rect::from_xywh(x, y, w, h) else { return };
                let mut pb = PathBuilder::new();
                pb.push_rect(rect);
                self.shape(s, pb.finish(), fill, stroke, LineJoin::Miter, tagging);
            }
            Item::Line { x1, y1, x2, y2, stroke } => {
                let (Some(x1), Some(y1), Some(x2), Some(y2)) = (coord(*x1), coord(*y1), coord(*x2), coord(*y2)) else {
                    return;
                };
                let mut pb = PathBuilder::new();
                pb.move_to(x1, y1);
                pb.line_to(x2, y2);
                self.shape(s, pb.finish(), &Fill::None, &Some(*stroke), LineJoin::Miter, tagging);
            }
            Item::Path { commands, fill, stroke, .. } => {
                // The SVG asks for round joins on stroked paths (borders).
                self.shape(s, path(commands), fill, stroke, LineJoin::Round, tagging);
            }
            Item::Circle { cx, cy, r, fill, stroke, .. } => {
                let (Some(cx), Some(cy), Some(r)) = (coord(*cx), coord(*cy), coord(*r)) else { return };
                if r <= 0.0 {
                    return;
                }
                self.shape(s, circle(cx, cy, r), fill, stroke, LineJoin::Miter, tagging);
            }
            Item::Text { x, y, text, size, weight, anchor, color } => {
                self.text(s, (*x, *y), text, *size, *weight, *anchor, *color, tagging);
            }
            Item::Group { items, .. } => {
                for item in items {
                    self.item(s, item, tagging);
                }
            }
        }
    }

    fn shape(
        &mut self,
        s: &mut Surface,
        path: Option<Path>,
        fill: &Fill,
        stroke: &Option<Stroke>,
        join: LineJoin,
        tagging: &mut Tagging,
    ) {
        let Some(path) = path else { return };
        // Built before any marked sequence starts: a hatch writes a pattern
        // stream of its own.
        let fill = self.fill(s, fill);
        let stroke = stroke.as_ref().and_then(|st| pdf_stroke(st, join));
        if fill.is_none() && stroke.is_none() {
            return;
        }
        s.set_fill(fill);
        s.set_stroke(stroke);
        let artifact = matches!(tagging, Tagging::Spans(_));
        if artifact {
            s.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)));
        }
        s.draw_path(&path);
        if artifact {
            s.end_tagged();
        }
    }

    fn fill(&mut self, s: &mut Surface, fill: &Fill) -> Option<PdfFill> {
        let (paint, opacity): (Paint, f32) = match *fill {
            Fill::None => return None,
            Fill::Solid(c) => (rgb(c).into(), 1.0),
            // The SVG writes a NaN opacity as 0: invisible there, here too.
            Fill::Translucent { color, opacity } => {
                (rgb(color).into(), if opacity.is_nan() { 0.0 } else { opacity.clamp(0.0, 1.0) as f32 })
            }
            Fill::Hatched { background, lines } => (self.hatch(s, background, lines).into(), 1.0),
        };
        Some(PdfFill {
            paint,
            opacity: NormalizedF32::new(opacity).unwrap_or(NormalizedF32::ONE),
            rule: FillRule::NonZero,
        })
    }

    /// The SVG's hatching as a PDF tiling pattern in scene space: a 6 px
    /// tile of the background with a 1 px stripe along its left edge,
    /// turned 45°, anchored at the scene's origin like `userSpaceOnUse`.
    fn hatch(&mut self, s: &mut Surface, background: Color, lines: Color) -> Pattern {
        if let Some((_, p)) = self.hatches.iter().find(|(k, _)| *k == (background, lines)) {
            return p.clone();
        }
        let mut builder = s.stream_builder();
        let mut tile = builder.surface();
        for (color, w) in [(background, HATCH_TILE), (lines, HATCH_STRIPE)] {
            let mut pb = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(0.0, 0.0, w, HATCH_TILE) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                tile.set_fill(Some(solid(color)));
                tile.set_stroke(None);
                tile.draw_path(&path);
            }
        }
        tile.finish();
        let pattern = Pattern {
            stream: builder.finish(),
            transform: Transform::from_rotate(45.0),
            width: HATCH_TILE,
            height: HATCH_TILE,
        };
        self.hatches.push(((background, lines), pattern.clone()));
        pattern
    }

    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        s: &mut Surface,
        (x, y): (f64, f64),
        text: &str,
        size: f64,
        weight: Weight,
        anchor: Anchor,
        color: Color,
        tagging: &mut Tagging,
    ) {
        let (Some(x), Some(y)) = (coord(x), coord(y)) else { return };
        if !(size.is_finite() && size > 0.0 && size <= MAX_TEXT_SIZE) {
            return;
        }
        let face = match weight {
            Weight::Regular => self.regular,
            Weight::Bold => self.bold,
        };
        let (glyphs, em, text) = face.glyphs(text);
        if glyphs.is_empty() {
            return;
        }
        // The anchor with the width of what is drawn, as the SVG's
        // text-anchor does with the same font: for the text the core lays
        // out this is `territoire::render::text::width` (see glyphs.rs).
        let w = em * size as f32;
        let x = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        s.set_fill(Some(solid(color)));
        s.set_stroke(None);
        let span = match tagging {
            Tagging::Spans(ids) => {
                ids.push(s.start_tagged(ContentTag::Span(SpanTag::empty())));
                true
            }
            Tagging::Inside => false,
        };
        s.draw_glyphs(Point::from_xy(x, y), &glyphs, face.font.clone(), text, size as f32, false);
        if span {
            s.end_tagged();
        }
    }
}

/// A scene coordinate as f32, if it is one we can draw.
fn coord(v: f64) -> Option<f32> {
    (v.is_finite() && v.abs() <= MAX_COORD).then_some(v as f32)
}

fn rgb(c: Color) -> krilla::color::rgb::Color {
    krilla::color::rgb::Color::new(c.0, c.1, c.2)
}

fn solid(c: Color) -> PdfFill {
    PdfFill { paint: rgb(c).into(), opacity: NormalizedF32::ONE, rule: FillRule::NonZero }
}

/// SVG stroke semantics: width ≤ 0 draws nothing, `stroke-dasharray="d"`
/// means d on, d off, butt caps.
fn pdf_stroke(st: &Stroke, join: LineJoin) -> Option<PdfStroke> {
    let w = coord(st.width).filter(|w| *w > 0.0)?;
    let dash = coord(st.dash).filter(|d| *d > 0.0).map(|d| StrokeDash { array: vec![d, d], offset: 0.0 });
    Some(PdfStroke {
        paint: rgb(st.color).into(),
        width: w,
        miter_limit: SVG_MITER_LIMIT,
        line_cap: LineCap::Butt,
        line_join: join,
        opacity: NormalizedF32::ONE,
        dash,
    })
}

/// Path commands → a path, with SVG's error rule: drawing stops at the
/// first command that has no current point (a path must start with a
/// move). A non-finite coordinate drops the whole path.
fn path(commands: &[PathCmd]) -> Option<Path> {
    let mut pb = PathBuilder::new();
    let mut started = false;
    for c in commands {
        match *c {
            PathCmd::MoveTo(x, y) => {
                pb.move_to(coord(x)?, coord(y)?);
                started = true;
            }
            PathCmd::LineTo(x, y) => {
                let (x, y) = (coord(x)?, coord(y)?);
                if !started {
                    break;
                }
                pb.line_to(x, y);
            }
            PathCmd::Close => {
                if !started {
                    break;
                }
                pb.close();
            }
        }
    }
    pb.finish()
}

fn circle(cx: f32, cy: f32, r: f32) -> Option<Path> {
    let k = KAPPA * r;
    let mut pb = PathBuilder::new();
    pb.move_to(cx + r, cy);
    pb.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    pb.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    pb.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    pb.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    pb.close();
    pb.finish()
}
