//! The parts of a map around the territories: legend entries, the nested
//! circles of proportional symbols, the scale bar, text blocks. Each
//! function draws from a top y and returns the y below what it drew, so
//! the layout can measure a block by drawing it into a scratch list.

use crate::format;
use crate::render::text;
use crate::scene::{Anchor, Color, Fill, Item, Stroke, Weight};

use super::colors::{INK, MUTED, RULE};

pub const LEGEND_SIZE: f64 = 11.5;
const ROW: f64 = 18.0;
const LINE: f64 = 14.0;
const SWATCH_W: f64 = 20.0;
const SWATCH_H: f64 = 12.0;

#[allow(clippy::too_many_arguments)]
pub fn text(items: &mut Vec<Item>, x: f64, y: f64, s: &str, size: f64, weight: Weight, anchor: Anchor, color: Color) {
    if !s.is_empty() {
        items.push(Item::Text { x, y, text: s.to_string(), size, weight, anchor, color });
    }
}

/// `s` wrapped to `width` from `top`; returns the y below.
#[allow(clippy::too_many_arguments)]
pub fn paragraph(
    items: &mut Vec<Item>,
    s: &str,
    x: f64,
    top: f64,
    size: f64,
    weight: Weight,
    color: Color,
    width: f64,
    max_lines: usize,
) -> f64 {
    let line_height = (size * 1.3).round();
    let lines = text::wrap_lines(s, size, weight, width, max_lines);
    let mut y = top + size * 0.93 + (line_height - size * 1.17).max(0.0) / 2.0;
    for l in &lines {
        text(items, x, y, l, size, weight, Anchor::Start, color);
        y += line_height;
    }
    top + lines.len() as f64 * line_height
}

/// One legend row: swatch, label, and the number of territories.
pub struct Row<'a> {
    pub fill: Fill,
    pub label: &'a str,
    pub count: Option<usize>,
}

/// A titled list of swatches; returns the y below.
pub fn entries(items: &mut Vec<Item>, title: &str, rows: &[Row<'_>], x: f64, top: f64, width: f64) -> f64 {
    let mut g = Vec::new();
    let mut y = paragraph(&mut g, title, x, top, 12.0, Weight::Bold, INK, width, 3) + 4.0;
    for row in rows {
        g.push(Item::Rect {
            x,
            y: y + (ROW - SWATCH_H) / 2.0,
            width: SWATCH_W,
            height: SWATCH_H,
            fill: row.fill,
            stroke: Some(Stroke { color: Color(0x8c, 0x8c, 0x8c), width: 0.5, dash: 0.0 }),
            id: None,
        });
        let count = row.count.map(|n| format::number(n as f64, 0)).unwrap_or_default();
        let count_w = if count.is_empty() { 0.0 } else { text::width(&count, LEGEND_SIZE, Weight::Regular) + 8.0 };
        let label_x = x + SWATCH_W + 6.0;
        // Long labels (typology classes) wrap on two lines.
        let lines =
            text::wrap_lines(row.label, LEGEND_SIZE, Weight::Regular, (x + width - count_w - label_x).max(10.0), 2);
        let base = y + ROW / 2.0 + LEGEND_SIZE * 0.36;
        for (i, l) in lines.iter().enumerate() {
            text(&mut g, label_x, base + i as f64 * LINE, l, LEGEND_SIZE, Weight::Regular, Anchor::Start, INK);
        }
        text(&mut g, x + width, base, &count, LEGEND_SIZE, Weight::Regular, Anchor::End, MUTED);
        y += ROW + (lines.len().max(1) - 1) as f64 * LINE + if lines.len() > 1 { 3.0 } else { 0.0 };
    }
    items.push(Item::Group { label: Some(format!("Légende : {title}")), items: g });
    y
}

/// The largest of 1, 2 or 5 × 10ⁿ not above `v` (> 0).
pub fn round_down(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    let m = v / p;
    // 10^floor(log10) can land just above v for exact powers.
    let r = if m >= 5.0 - 1e-9 {
        5.0
    } else if m >= 2.0 - 1e-9 {
        2.0
    } else {
        1.0
    };
    r * p
}

/// Three round values for the nested circles of a proportional-symbol
/// legend whose largest symbol stands for `max`: the largest round value
/// not above it (1, 2 or 5 × 10ⁿ), then about a fifth and a fiftieth of
/// it, rounded the same way.
pub fn circle_values(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return Vec::new();
    }
    let big = round_down(max);
    let mut out = vec![round_down(big / 50.0), round_down(big / 5.0), big];
    out.retain(|v| *v >= 1.0);
    out.dedup();
    out
}

/// Nested circles (bottom-aligned) with leader lines and values; `radius`
/// gives a value's radius on the map. Returns the y below.
#[allow(clippy::too_many_arguments)]
pub fn circles(
    items: &mut Vec<Item>,
    title: &str,
    values: &[f64],
    radius: impl Fn(f64) -> f64,
    fill: Color,
    x: f64,
    top: f64,
    width: f64,
) -> f64 {
    let mut g = Vec::new();
    let y = paragraph(&mut g, title, x, top, 12.0, Weight::Bold, INK, width, 3) + 6.0;
    let rmax = values.iter().map(|v| radius(*v)).fold(0.0, f64::max);
    let cx = x + rmax + 1.0;
    let base = y + 2.0 * rmax;
    for v in values.iter().rev() {
        let r = radius(*v);
        g.push(Item::Circle {
            cx,
            cy: base - r,
            r,
            fill: Fill::Solid(fill),
            stroke: Some(Stroke { color: Color(0xff, 0xff, 0xff), width: 0.8, dash: 0.0 }),
            id: None,
        });
    }
    // Leader lines from each circle's top to its value, kept apart.
    let mut last_label_y = f64::NEG_INFINITY;
    for v in values.iter().rev() {
        let r = radius(*v);
        let ty = (base - 2.0 * r).max(last_label_y + 13.0);
        last_label_y = ty;
        let lx = cx + rmax + 8.0;
        g.push(Item::Line {
            x1: cx,
            y1: base - 2.0 * r,
            x2: lx,
            y2: ty,
            stroke: Stroke { color: MUTED, width: 0.6, dash: 0.0 },
        });
        text(&mut g, lx + 3.0, ty + 4.0, &format::number(*v, 0), LEGEND_SIZE, Weight::Regular, Anchor::Start, INK);
    }
    items.push(Item::Group { label: Some(format!("Légende : {title}")), items: g });
    base.max(last_label_y + 6.0) + 4.0
}

/// A scale bar about `target_px` long at `frame_scale` px per metre, with
/// a round length in km; returns the y below.
pub fn scale_bar(items: &mut Vec<Item>, frame_scale: f64, target_px: f64, x: f64, top: f64) -> f64 {
    let metres = target_px / frame_scale.max(1e-12);
    let km = round_down(metres / 1000.0);
    let len = km * 1000.0 * frame_scale;
    let y = top + 14.0;
    let stroke = Stroke { color: INK, width: 1.2, dash: 0.0 };
    let mut g = vec![
        Item::Line { x1: x, y1: y, x2: x + len, y2: y, stroke },
        Item::Line { x1: x, y1: y - 4.0, x2: x, y2: y, stroke },
        Item::Line { x1: x + len, y1: y - 4.0, x2: x + len, y2: y, stroke },
    ];
    let label = format!("{}{}km", format::number(km, if km < 1.0 { 1 } else { 0 }), format::NBSP);
    text(&mut g, x + len + 6.0, y + 3.5, &label, 10.5, Weight::Regular, Anchor::Start, MUTED);
    items.push(Item::Group { label: Some(format!("Échelle : {label}")), items: g });
    y + 6.0
}

/// A thin horizontal rule.
pub fn rule(items: &mut Vec<Item>, x1: f64, x2: f64, y: f64) {
    items.push(Item::Line { x1, y1: y, x2, y2: y, stroke: Stroke { color: RULE, width: 0.5, dash: 0.0 } });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_circle_values() {
        assert_eq!(circle_values(86_000.0), vec![1_000.0, 10_000.0, 50_000.0]);
        assert_eq!(circle_values(1_234_567.0), vec![20_000.0, 200_000.0, 1_000_000.0]);
        assert_eq!(circle_values(30.0), vec![2.0, 20.0]);
        assert!(circle_values(0.0).is_empty());
    }
}
