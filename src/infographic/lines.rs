//! Values over the years, one line per territory, with a gap wherever a
//! year has no value.

use super::{data_id, drawable, nice_step, step_decimals, Canvas, GRID, INK, LEFT, MUTED, RIGHT, RULE};
use crate::format;
use crate::render::text;
use crate::scene::{Anchor, Color, Fill, Item, PathCmd, Stroke, Weight};
use crate::snapshot::{FigureSeries, Panel};

const TICK_SIZE: f64 = 9.5;
const PLOT_HEIGHT: f64 = 150.0;

/// Words for a unit key above the y axis.
fn unit_caption(unit: &str) -> String {
    match unit {
        "" => String::new(),
        "%" => "en %".into(),
        "€" => "en euros".into(),
        "hab." => "en habitants".into(),
        "hab./km²" => "en habitants par km²".into(),
        u => format!("en {u}"),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn draw(
    c: &mut Canvas,
    panel: &Panel,
    unit: &str,
    years: &[u16],
    series: &[FigureSeries],
    colors: &[Color],
    top: f64,
) -> f64 {
    let values: Vec<f64> = series.iter().flat_map(|s| s.figures.iter().filter_map(drawable)).collect();
    if years.is_empty() || values.is_empty() {
        let wording =
            series.iter().flat_map(|s| s.figures.first()).map(super::shown).next().unwrap_or("non disponible");
        return c.paragraph(wording, LEFT, top, 12.0, 15.0, Weight::Regular, MUTED, RIGHT - LEFT);
    }
    let (mut lo, mut hi) = values.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    // Rates read against zero when it is not far off; counts (populations)
    // would be a flat line from zero, so they keep their own range.
    if lo > 0.0 && lo < hi * 0.5 {
        lo = 0.0;
    }
    // A tiny range would blow 0,1 point up to the whole height: the axis
    // spans at least a fifth of the largest magnitude.
    let min_span = 0.2 * hi.abs().max(lo.abs());
    if hi - lo < min_span {
        let floor = if lo >= 0.0 { 0.0 } else { f64::MIN };
        lo = (hi - min_span).max(floor);
        hi = lo + min_span;
    }
    let step = nice_step(hi - lo, 4.0).max(if hi == lo { nice_step(hi.abs().max(1.0), 4.0) } else { 0.0 });
    lo = (lo / step).floor() * step;
    hi = (hi / step).ceil() * step;
    if hi - lo < step * 0.5 {
        hi = lo + step;
    }
    let decimals = step_decimals(step);
    let ticks: Vec<f64> = (0..=((hi - lo) / step).round() as usize).map(|i| lo + i as f64 * step).collect();
    let labels: Vec<String> = ticks.iter().map(|t| format::number(*t, decimals)).collect();
    let label_w = labels.iter().map(|l| text::width(l, TICK_SIZE, Weight::Regular)).fold(0.0, f64::max);

    let mut y = top;
    let caption = unit_caption(unit);
    if !caption.is_empty() {
        y = c.paragraph(&caption, LEFT, y, TICK_SIZE, 12.0, Weight::Regular, MUTED, RIGHT - LEFT) + 4.0;
    }
    let first = *years.first().unwrap_or(&0) as f64;
    let last = *years.last().unwrap_or(&0) as f64;
    let year_w = text::width("0000", TICK_SIZE, Weight::Regular);
    let (x_left, x_right) = (LEFT + label_w + 8.0 + year_w / 2.0, RIGHT - year_w / 2.0 - 2.0);
    let x_of = |year: u16| {
        if last > first {
            x_left + (year as f64 - first) / (last - first) * (x_right - x_left)
        } else {
            (x_left + x_right) / 2.0
        }
    };
    let plot_bottom = y + 6.0 + PLOT_HEIGHT;
    let y_of = |v: f64| plot_bottom - (v - lo) / (hi - lo) * PLOT_HEIGHT;
    for (t, label) in ticks.iter().zip(&labels) {
        let ty = y_of(*t);
        c.line(x_left - year_w / 2.0, ty, RIGHT, ty, if *t == lo { RULE } else { GRID }, 1.0);
        c.text(x_left - year_w / 2.0 - 4.0, ty + 3.5, label, TICK_SIZE, Weight::Regular, Anchor::End, MUTED);
    }
    // Year labels, thinned so that they never touch.
    let mut last_end = f64::MIN;
    for (i, year) in years.iter().enumerate() {
        let x = x_of(*year);
        let is_last = i + 1 == years.len();
        if x - year_w / 2.0 < last_end + 6.0 {
            continue;
        }
        // Keep room for the last year, which always shows.
        if !is_last && x + year_w / 2.0 + 6.0 > x_of(*years.last().unwrap_or(year)) - year_w / 2.0 {
            continue;
        }
        c.text(x, plot_bottom + 13.0, &year.to_string(), TICK_SIZE, Weight::Regular, Anchor::Middle, MUTED);
        c.line(x, plot_bottom, x, plot_bottom + 3.0, RULE, 1.0);
        last_end = x + year_w / 2.0;
    }
    // The comparisons first, the study on top.
    let order =
        series.iter().enumerate().filter(|(_, s)| !s.study).chain(series.iter().enumerate().filter(|(_, s)| s.study));
    for (si, s) in order {
        let color = colors.get(si).copied().unwrap_or(INK);
        let width = if s.study { 2.5 } else { 1.75 };
        let points: Vec<Option<(f64, f64)>> = years
            .iter()
            .enumerate()
            .map(|(i, year)| s.figures.get(i).and_then(drawable).map(|v| (x_of(*year), y_of(v))))
            .collect();
        let mut cmds = Vec::new();
        let mut open = false;
        for p in &points {
            match p {
                Some((x, y)) => {
                    cmds.push(if open { PathCmd::LineTo(*x, *y) } else { PathCmd::MoveTo(*x, *y) });
                    open = true;
                }
                None => open = false,
            }
        }
        if cmds.iter().filter(|c| matches!(c, PathCmd::LineTo(..))).count() > 0 {
            c.items.push(Item::Path {
                commands: cmds,
                fill: Fill::None,
                stroke: Some(Stroke { color, width, dash: 0.0 }),
                id: None,
            });
        }
        for (i, p) in points.iter().enumerate() {
            if let (Some((x, y)), Some(f)) = (p, s.figures.get(i)) {
                let key = format!("{} {}", if f.indicator.is_empty() { "valeur" } else { &f.indicator }, years[i]);
                c.items.push(Item::Circle {
                    cx: *x,
                    cy: *y,
                    r: if s.study { 3.5 } else { 3.0 },
                    fill: Fill::Solid(color),
                    stroke: Some(Stroke { color: Color::WHITE, width: 1.0, dash: 0.0 }),
                    id: data_id(panel, &key, &s.name),
                });
            }
        }
    }
    plot_bottom + 18.0
}
