//! Grouped horizontal bars: per category, one bar per territory.

use super::{data_id, drawable, shown, Canvas, INK, LEFT, MUTED, RIGHT, RULE};
use crate::render::text;
use crate::scene::{Anchor, Color, Fill, Item, Stroke, Weight};
use crate::schema::Status;
use crate::snapshot::{FigureSeries, Panel};

const BAR: f64 = 12.0;
const GAP: f64 = 3.0;
const VALUE_SIZE: f64 = 10.5;
const LABEL_SIZE: f64 = 11.5;

/// Draws the bars from `top`; returns the y below them.
pub(super) fn draw(
    c: &mut Canvas,
    panel: &Panel,
    categories: &[String],
    series: &[FigureSeries],
    colors: &[Color],
    top: f64,
) -> f64 {
    // One scale for the whole chart, chosen so that every bar plus its
    // value text fits: the widest texts beside the longest bars bound it
    // (conservative when they belong to different bars, never overflowing).
    let mut pos = 0.0f64;
    let mut neg = 0.0f64;
    let mut pos_text = 0.0f64;
    let mut neg_text = 0.0f64;
    for s in series {
        for f in &s.figures {
            if let Some(v) = drawable(f) {
                let w = text::width(shown(f), VALUE_SIZE, Weight::Regular) + 4.0;
                if v < 0.0 {
                    neg = neg.max(-v);
                    neg_text = neg_text.max(w);
                } else {
                    pos = pos.max(v);
                    pos_text = pos_text.max(w);
                }
            }
        }
    }
    let span = RIGHT - LEFT - pos_text - neg_text;
    let k = if pos + neg > 0.0 { span / (pos + neg) } else { 0.0 };
    let x0 = LEFT + neg_text + neg * k;

    let mut y = top;
    for (ci, category) in categories.iter().enumerate() {
        if ci > 0 {
            y += 10.0;
        }
        y = c.paragraph(category, LEFT, y, LABEL_SIZE, 14.0, Weight::Regular, INK, RIGHT - LEFT) + 3.0;
        let group_top = y;
        for (si, s) in series.iter().enumerate() {
            let Some(f) = s.figures.get(ci) else {
                continue;
            };
            let key = if f.indicator.is_empty() { category.as_str() } else { f.indicator.as_str() };
            let id = data_id(panel, key, &s.name);
            let baseline = y + BAR - 2.5;
            match drawable(f) {
                Some(v) => {
                    let color = colors.get(si).copied().unwrap_or(INK);
                    let w = v.abs() * k;
                    let x = if v < 0.0 { x0 - w } else { x0 };
                    // "≤ 5 %" is a ceiling, not a value: hatched, so it
                    // never reads as a measured 5 %.
                    let (fill, stroke) = if f.status == Status::BottomCoded {
                        (
                            Fill::Hatched { background: Color::WHITE, lines: color },
                            Some(Stroke { color, width: 1.0, dash: 0.0 }),
                        )
                    } else {
                        (Fill::Solid(color), None)
                    };
                    c.items.push(Item::Rect { x, y, width: w, height: BAR, fill, stroke, id });
                    if v < 0.0 {
                        c.text(x - 4.0, baseline, shown(f), VALUE_SIZE, Weight::Regular, Anchor::End, INK);
                    } else {
                        let weight = if s.study { Weight::Bold } else { Weight::Regular };
                        // Bold is wider than what the scale reserved: only
                        // when it still fits.
                        let weight = if x + w + 4.0 + text::width(shown(f), VALUE_SIZE, weight) <= RIGHT {
                            weight
                        } else {
                            Weight::Regular
                        };
                        c.text(x + w + 4.0, baseline, shown(f), VALUE_SIZE, weight, Anchor::Start, INK);
                    }
                }
                None => {
                    // No bar, never a zero bar: the status in words.
                    let wording = text::ellipsize(shown(f), VALUE_SIZE, Weight::Regular, RIGHT - x0 - 4.0);
                    c.text(x0 + 4.0, baseline, &wording, VALUE_SIZE, Weight::Regular, Anchor::Start, MUTED);
                }
            }
            y += BAR + GAP;
        }
        y -= GAP;
        if !series.is_empty() {
            c.line(x0, group_top - 2.0, x0, y + 2.0, RULE, 1.0);
        }
    }
    y
}
