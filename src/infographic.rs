//! One panel of a snapshot laid out as an infographic: a [`Scene`] 480 px
//! wide whose height follows its content, drawn top to bottom: number and
//! title, key figures in large type, the comparison chart(s) with their
//! legend, the reading sentences, the sources.
//!
//! Every text is measured with [`crate::render::text`] and wrapped or
//! shortened to fit, so nothing overflows whatever the territory names. A
//! figure without a value is never drawn as a zero: it shows its status
//! wording ("secret statistique", "non disponible") where the bar or point
//! would be.

mod bars;
mod lines;
mod pyramid;

use crate::render::text;
use crate::report::Figure;
use crate::scene::{Anchor, Color, Fill, Item, Scene, Stroke, Weight};
use crate::schema::Status;
use crate::snapshot::{Chart, FigureSeries, KeyFigure, Panel};

/// Width of every infographic, in CSS px.
pub const WIDTH: f64 = 480.0;
/// Outer margin.
pub(crate) const MARGIN: f64 = 16.0;
/// Left and right edges of the content.
pub(crate) const LEFT: f64 = MARGIN;
pub(crate) const RIGHT: f64 = WIDTH - MARGIN;
pub(crate) const CONTENT: f64 = RIGHT - LEFT;

/// Body text.
pub(crate) const INK: Color = Color(0x22, 0x22, 0x22);
/// Secondary text (labels, notes, sources, status wording): 7:1 on white.
pub(crate) const MUTED: Color = Color(0x59, 0x59, 0x59);
/// Axes and separators.
pub(crate) const RULE: Color = Color(0xbd, 0xbd, 0xbd);
/// Grid lines.
pub(crate) const GRID: Color = Color(0xe8, 0xe8, 0xe8);
/// The study territory: an orange that stays apart from the blues and
/// greys of the comparisons for red-green colour-blind readers too.
pub(crate) const ACCENT: Color = Color(0xd9, 0x5f, 0x02);
/// The accent for large text (4.5:1 on white, which the bar orange is not).
pub(crate) const ACCENT_TEXT: Color = Color(0xa8, 0x45, 0x00);
/// Comparison territories, in order: blues and greys that differ in
/// lightness, so they stay distinct in grey-scale print and for
/// colour-blind readers; order in the bars matches the legend.
pub(crate) const PALETTE: [Color; 5] = [
    Color(0x1b, 0x3f, 0x6b),
    Color(0x5b, 0x9b, 0xd5),
    Color(0x80, 0x80, 0x80),
    Color(0xa9, 0xcc, 0xec),
    Color(0x3d, 0x3d, 0x3d),
];

/// Lays a panel out.
pub fn render(panel: &Panel) -> Scene {
    let colors = Colors::for_panel(panel);
    let mut c = Canvas::default();
    c.items.push(Item::Rect {
        x: 0.0,
        y: 0.0,
        width: WIDTH,
        height: 0.0, // set once the height is known
        fill: Fill::Solid(Color::WHITE),
        stroke: None,
        id: None,
    });
    let mut y = header(&mut c, panel, MARGIN);
    if !panel.key_figures.is_empty() {
        y = key_figures(&mut c, &panel.key_figures, y + 14.0);
    }
    for chart in &panel.charts {
        y = self::chart(&mut c, panel, chart, &colors, y + 20.0);
    }
    if !panel.sentences.is_empty() {
        y += 18.0;
        let mut group = Canvas::default();
        for sentence in &panel.sentences {
            y = group.paragraph(sentence, LEFT, y, 12.5, 17.0, Weight::Regular, INK, CONTENT) + 6.0;
        }
        y -= 6.0;
        c.items.push(Item::Group { label: None, items: group.items });
    }
    if !panel.sources.is_empty() {
        y += 14.0;
        c.line(LEFT, y, RIGHT, y, RULE, 0.5);
        y += 4.0;
        for source in &panel.sources {
            y = c.paragraph(source, LEFT, y, 10.0, 13.0, Weight::Regular, MUTED, CONTENT);
        }
    }
    let height = (y + MARGIN).ceil();
    if let Some(Item::Rect { height: h, .. }) = c.items.first_mut() {
        *h = height;
    }
    Scene {
        width: WIDTH,
        height,
        title: format!("{}. {}", panel.number, panel.title),
        description: description(panel),
        items: c.items,
    }
}

/// What a screen reader says of the picture: the key figures and the
/// reading sentences (the full table is next to it on the page).
fn description(panel: &Panel) -> String {
    let mut parts: Vec<String> = panel.key_figures.iter().map(|k| format!("{} : {}", k.label, k.figure.text)).collect();
    parts.extend(panel.sentences.iter().cloned());
    let mut d = parts.join(". ");
    d = d.replace("..", ".");
    d
}

/// Number badge and title; returns the y below them.
fn header(c: &mut Canvas, panel: &Panel, top: f64) -> f64 {
    const BADGE: f64 = 28.0;
    c.items.push(Item::Rect {
        x: LEFT,
        y: top,
        width: BADGE,
        height: BADGE,
        fill: Fill::Solid(ACCENT_TEXT), // white on it: 5.97:1 (ACCENT gives 3.76:1, under WCAG AA)
        stroke: None,
        id: None,
    });
    c.text(LEFT + BADGE / 2.0, top + 20.0, &panel.number.to_string(), 17.0, Weight::Bold, Anchor::Middle, Color::WHITE);
    let x = LEFT + BADGE + 10.0;
    let lines = text::wrap_lines(&panel.title, 17.0, Weight::Bold, RIGHT - x, 3);
    // One line sits centred on the badge; more start at its top.
    let first = if lines.len() == 1 { top + 20.0 } else { top + 14.0 };
    for (i, l) in lines.iter().enumerate() {
        c.text(x, first + i as f64 * 21.0, l, 17.0, Weight::Bold, Anchor::Start, INK);
    }
    let bottom = (top + BADGE).max(first + (lines.len().max(1) - 1) as f64 * 21.0 + 5.0);
    c.line(LEFT, bottom + 8.0, RIGHT, bottom + 8.0, RULE, 1.0);
    bottom + 8.0
}

/// Whether a figure has a number worth drawing (a bar, a point).
pub(crate) fn drawable(f: &Figure) -> Option<f64> {
    match f.status {
        Status::Secret | Status::NotAvailable => None,
        _ => f.value.filter(|v| v.is_finite()),
    }
}

/// The text shown for a figure: its formatted text, else its status wording.
pub(crate) fn shown(f: &Figure) -> &str {
    if !f.text.is_empty() {
        &f.text
    } else if !f.status_label.is_empty() {
        f.status_label
    } else {
        "non disponible"
    }
}

const BIG: f64 = 24.0;
const BIG_MIN: f64 = 16.0;

/// Key figures in rows of up to four columns (fewer when a figure would
/// not fit in large type); returns the y below them.
fn key_figures(c: &mut Canvas, figures: &[KeyFigure], top: f64) -> f64 {
    let n = figures.len();
    let fits = |cols: usize| {
        let w = CONTENT / cols as f64 - 12.0;
        figures
            .iter()
            .all(|k| drawable(&k.figure).is_none() || text::width(shown(&k.figure), BIG_MIN, Weight::Bold) <= w)
    };
    let cols = [n.min(4), 2, 1].into_iter().find(|c| fits(*c)).unwrap_or(1);
    let col_w = CONTENT / cols as f64;
    let mut g = Canvas::default();
    let mut y = top;
    for row in figures.chunks(cols) {
        let mut bottom = y;
        for (i, k) in row.iter().enumerate() {
            let x = LEFT + i as f64 * col_w;
            let w = col_w - 12.0;
            let value = shown(&k.figure);
            let mut cy = if drawable(&k.figure).is_some() {
                // As large as fits, down to BIG_MIN, then wrapped.
                let mut size = BIG;
                while size > BIG_MIN && text::width(value, size, Weight::Bold) > w {
                    size -= 1.0;
                }
                g.paragraph(value, x, y, size, size * 1.15, Weight::Bold, ACCENT_TEXT, w)
            } else {
                // A status is not a figure: smaller and grey, so it never
                // reads as one.
                g.paragraph(value, x, y + 4.0, 14.0, 17.0, Weight::Bold, MUTED, w)
            };
            cy = g.paragraph(&k.label, x, cy + 3.0, 11.5, 14.0, Weight::Regular, INK, w);
            if !k.note.is_empty() {
                cy = g.paragraph(&k.note, x, cy + 2.0, 10.0, 12.5, Weight::Regular, MUTED, w);
            }
            bottom = bottom.max(cy);
        }
        // Thin separators as tall as the row's tallest column.
        for i in 1..row.len() {
            let x = LEFT + i as f64 * col_w - 6.0;
            g.line(x, y + 2.0, x, bottom, GRID, 1.0);
        }
        y = bottom + 10.0;
    }
    c.items.push(Item::Group { label: Some("Chiffres clés".into()), items: g.items });
    y - 10.0
}

/// A chart with its title and legend; returns the y below it.
fn chart(c: &mut Canvas, panel: &Panel, chart: &Chart, colors: &Colors, top: f64) -> f64 {
    // Roughly the items the chart will have, reserved at once rather than
    // grown by doubling (an item is ~100 bytes, a chart up to ~200 items).
    let estimate = match chart {
        Chart::Bars { categories, series, .. } => 8 + 2 * series.len() + categories.len() * (2 + 2 * series.len()),
        Chart::Lines { years, series, .. } => 24 + 2 * years.len() + series.len() * (2 + years.len()),
        Chart::Pyramid { bands, .. } => 32 + 4 * bands.len(),
    };
    let mut g = Canvas::default();
    // The chart's body, below its legend, is a group of its own: when the
    // legend takes one more line (a longer name), the body moves as one
    // (one attribute in the SVG a page patches, see svg::to_svg_grouped).
    let mut body = Canvas { items: Vec::with_capacity(estimate) };
    let title = match chart {
        Chart::Bars { title, .. } | Chart::Pyramid { title, .. } | Chart::Lines { title, .. } => title,
    };
    let mut y = g.paragraph(title, LEFT, top, 13.0, 16.0, Weight::Bold, INK, CONTENT);
    y = match chart {
        Chart::Bars { categories, series, .. } => {
            let cols = colors.of_series(series);
            let entries: Vec<_> = series.iter().zip(&cols).map(|(s, c)| (s.name.as_str(), *c, Swatch::Box)).collect();
            y = legend(&mut g, &entries, y + 6.0);
            bars::draw(&mut body, panel, categories, series, &cols, y + 8.0)
        }
        Chart::Lines { unit, years, series, .. } => {
            let cols = colors.of_series(series);
            let entries: Vec<_> = series.iter().zip(&cols).map(|(s, c)| (s.name.as_str(), *c, Swatch::Line)).collect();
            y = legend(&mut g, &entries, y + 6.0);
            lines::draw(&mut body, panel, unit, years, series, &cols, y + 8.0)
        }
        Chart::Pyramid { bands, study, comparison, status, .. } => {
            let line = comparison.as_ref().map(|s| colors.line_of(&s.name));
            if pyramid::has_data(bands, study, status) {
                let mut entries = vec![(study.name.as_str(), ACCENT, Swatch::Box)];
                if let (Some(cmp), Some(col)) = (comparison, line) {
                    entries.push((cmp.name.as_str(), col, Swatch::Line));
                }
                y = legend(&mut g, &entries, y + 6.0);
            }
            pyramid::draw(
                &mut body,
                panel,
                bands,
                study,
                comparison.as_ref(),
                line.unwrap_or(PALETTE[0]),
                status,
                y + 8.0,
            )
        }
    };
    g.items.push(Item::Group { label: None, items: body.items });
    c.items.push(Item::Group { label: Some(title.clone()), items: g.items });
    y
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Swatch {
    Box,
    Line,
}

/// Territory names with their colour, flowing left to right; returns the
/// y below.
fn legend(c: &mut Canvas, entries: &[(&str, Color, Swatch)], top: f64) -> f64 {
    if entries.is_empty() {
        return top;
    }
    const SIZE: f64 = 11.0;
    const SW: f64 = 14.0;
    let mut x = LEFT;
    let mut y = top + 11.0;
    for (name, color, swatch) in entries {
        let label = text::ellipsize(name, SIZE, Weight::Regular, CONTENT - SW - 4.0);
        let w = SW + 4.0 + text::width(&label, SIZE, Weight::Regular);
        if x > LEFT && x + w > RIGHT {
            x = LEFT;
            y += 16.0;
        }
        match swatch {
            Swatch::Box => c.items.push(Item::Rect {
                x,
                y: y - 9.0,
                width: SW,
                height: 10.0,
                fill: Fill::Solid(*color),
                stroke: None,
                id: None,
            }),
            Swatch::Line => c.line(x, y - 4.0, x + SW, y - 4.0, *color, 2.0),
        }
        c.text(x + SW + 4.0, y, &label, SIZE, Weight::Regular, Anchor::Start, INK);
        x += w + 14.0;
    }
    y + 4.0
}

/// One colour per territory for the whole panel: the study in the accent,
/// the comparisons from [`PALETTE`] in the order of the panel's fullest
/// chart. Matched by name and rank, not by name alone: two comparisons may
/// share a name (Mayotte is a département and a région) and must still
/// differ.
pub(crate) struct Colors {
    names: Vec<String>,
}

impl Colors {
    fn for_panel(panel: &Panel) -> Colors {
        let mut names: Vec<String> = Vec::new();
        for chart in &panel.charts {
            let these: Vec<String> = match chart {
                Chart::Bars { series, .. } | Chart::Lines { series, .. } => {
                    series.iter().filter(|s| !s.study).map(|s| s.name.clone()).collect()
                }
                Chart::Pyramid { comparison: Some(c), .. } => vec![c.name.clone()],
                Chart::Pyramid { .. } => vec![],
            };
            if these.len() > names.len() {
                names = these;
            }
        }
        Colors { names }
    }

    /// The colour of each of `series`, in order.
    pub(crate) fn of_series(&self, series: &[FigureSeries]) -> Vec<Color> {
        let mut seen: Vec<&str> = Vec::new();
        let mut rank = 0;
        series
            .iter()
            .map(|s| {
                if s.study {
                    return ACCENT;
                }
                let k = seen.iter().filter(|n| **n == s.name).count();
                seen.push(&s.name);
                let i = self.names.iter().enumerate().filter(|(_, n)| **n == s.name).nth(k).map_or(rank, |(i, _)| i);
                rank += 1;
                PALETTE[i % PALETTE.len()]
            })
            .collect()
    }

    /// A comparison's colour as a thin line: the light tones of the
    /// palette would vanish, so they give way to the darkest.
    fn line_of(&self, name: &str) -> Color {
        let i = self.names.iter().position(|n| n == name).unwrap_or(0);
        let c = PALETTE[i % PALETTE.len()];
        if c == PALETTE[1] || c == PALETTE[3] {
            PALETTE[0]
        } else {
            c
        }
    }
}

/// Items being laid out, with shorthands.
#[derive(Default)]
pub(crate) struct Canvas {
    pub(crate) items: Vec<Item>,
}

impl Canvas {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(&mut self, x: f64, y: f64, s: &str, size: f64, weight: Weight, anchor: Anchor, color: Color) {
        if s.is_empty() {
            return;
        }
        self.items.push(Item::Text { x, y, text: s.to_string(), size, weight, anchor, color });
    }

    pub(crate) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, color: Color, width: f64) {
        self.items.push(Item::Line { x1, y1, x2, y2, stroke: Stroke { color, width, dash: 0.0 } });
    }

    /// `s` wrapped to `max_width` from `top` (the top of the first line's
    /// em box); returns the y below the last line.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn paragraph(
        &mut self,
        s: &str,
        x: f64,
        top: f64,
        size: f64,
        line_height: f64,
        weight: Weight,
        color: Color,
        max_width: f64,
    ) -> f64 {
        let lines = text::wrap(s, size, weight, max_width);
        let bottom = top + lines.len() as f64 * line_height;
        // Baseline of the first line: the ascent of DejaVu (0.93 em) minus
        // what the line height leaves above it.
        let mut y = top + size * 0.93 + (line_height - size * 1.17).max(0.0) / 2.0;
        for text in lines {
            // The wrapped lines move into the items (no copy).
            if !text.is_empty() {
                self.items.push(Item::Text { x, y, text, size, weight, anchor: Anchor::Start, color });
            }
            y += line_height;
        }
        bottom
    }
}

/// A round step for an axis spanning `span` in about `target` intervals:
/// 1, 2, 2.5 or 5 times a power of ten.
pub(crate) fn nice_step(span: f64, target: f64) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / target;
    let p = 10f64.powf(raw.log10().floor());
    let m = raw / p;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 2.5 {
        2.5
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * p
}

/// Decimals a tick label needs for `step` ("2,5", "0,25", "1 000").
pub(crate) fn step_decimals(step: f64) -> usize {
    let mut d = 0;
    while d < 4 && ((step * 10f64.powi(d as i32)).round() - step * 10f64.powi(d as i32)).abs() > 1e-6 {
        d += 1;
    }
    d
}

/// A data identifier: `panel/key/territory`.
pub(crate) fn data_id(panel: &Panel, key: &str, territory: &str) -> Option<String> {
    // Concatenated into one allocation of the right size (`format!` grows
    // its buffer as it goes); a panel has a hundred or so.
    let mut id = String::with_capacity(panel.id.len() + key.len() + territory.len() + 2);
    for (i, part) in [panel.id.as_str(), key, territory].into_iter().enumerate() {
        if i > 0 {
            id.push('/');
        }
        id.push_str(part);
    }
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(10.0, 4.0), 2.5);
        assert_eq!(nice_step(7.0, 4.0), 2.0);
        assert_eq!(nice_step(3_000_000.0, 4.0), 1_000_000.0);
        assert_eq!(nice_step(0.3, 4.0), 0.1);
        assert_eq!(step_decimals(2.5), 1);
        assert_eq!(step_decimals(0.25), 2);
        assert_eq!(step_decimals(1000.0), 0);
    }
}
