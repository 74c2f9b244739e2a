//! Age pyramid: men on the left, women on the right, youngest band at the
//! bottom; the study territory as bars, one comparison as a step outline.

use super::{data_id, nice_step, shown, step_decimals, Canvas, ACCENT, GRID, INK, LEFT, MUTED, RIGHT, RULE};
use crate::format;
use crate::render::text;
use crate::report::Figure;
use crate::scene::{Anchor, Color, Fill, Item, PathCmd, Stroke, Weight};
use crate::schema::Status;
use crate::snapshot::{Panel, PyramidSide};

const LABEL_SIZE: f64 = 9.5;
const TICK_SIZE: f64 = 9.5;

/// Whether there is a pyramid to draw (else its status is written).
pub(super) fn has_data(bands: &[String], study: &PyramidSide, status: &Figure) -> bool {
    !matches!(status.status, Status::Secret | Status::NotAvailable)
        && !bands.is_empty()
        && study.men.iter().chain(&study.women).any(|v| v.is_finite() && *v >= 0.0)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn draw(
    c: &mut Canvas,
    panel: &Panel,
    bands: &[String],
    study: &PyramidSide,
    comparison: Option<&PyramidSide>,
    line: Color,
    status: &Figure,
    top: f64,
) -> f64 {
    let finite = |v: &f64| v.is_finite() && *v >= 0.0;
    if !has_data(bands, study, status) {
        return c.paragraph(shown(status), LEFT, top, 12.0, 15.0, Weight::Regular, MUTED, RIGHT - LEFT);
    }
    let max = study
        .men
        .iter()
        .chain(&study.women)
        .chain(comparison.iter().flat_map(|s| s.men.iter().chain(&s.women)))
        .copied()
        .filter(finite)
        .fold(0.0f64, f64::max);
    let step = nice_step(max, 3.0);
    let axis_max = ((max / step).ceil() * step).max(step);
    let decimals = step_decimals(step);

    let gap = bands.iter().map(|b| text::width(b, LABEL_SIZE, Weight::Regular)).fold(0.0, f64::max) + 10.0;
    let cx = (LEFT + RIGHT) / 2.0;
    let (men_right, women_left) = (cx - gap / 2.0, cx + gap / 2.0);
    // Half the widest tick label may stick out at each end.
    let tick = |v: f64| format!("{}{}%", format::number(v, decimals), format::NBSP);
    let overhang = text::width(&tick(axis_max), TICK_SIZE, Weight::Regular) / 2.0;
    let half = men_right - LEFT - overhang;
    let k = half / axis_max;

    let mut y = top;
    c.text(men_right, y + 11.0, "Hommes", 11.0, Weight::Bold, Anchor::End, INK);
    c.text(women_left, y + 11.0, "Femmes", 11.0, Weight::Bold, Anchor::Start, INK);
    y += 18.0;

    let n = bands.len();
    let row = (220.0 / n as f64).clamp(8.0, 14.0);
    let plot_top = y;
    let plot_bottom = y + row * n as f64;
    // Grid first, under the bars.
    let mut t = step;
    while t <= axis_max + 1e-9 {
        for x in [men_right - t * k, women_left + t * k] {
            c.line(x, plot_top, x, plot_bottom, GRID, 1.0);
        }
        t += step;
    }
    let band_y = |i: usize| plot_bottom - (i + 1) as f64 * row;
    for (i, band) in bands.iter().enumerate() {
        let by = band_y(i);
        for (side, values) in [("hommes", &study.men), ("femmes", &study.women)] {
            let Some(v) = values.get(i).copied().filter(finite) else {
                continue;
            };
            let w = v * k;
            let x = if side == "hommes" { men_right - w } else { women_left };
            c.items.push(Item::Rect {
                x,
                y: by + 0.75,
                width: w,
                height: row - 1.5,
                fill: Fill::Solid(ACCENT),
                stroke: None,
                id: data_id(panel, &format!("{band} {side}"), &study.name),
            });
        }
        let ty = by + row / 2.0 + LABEL_SIZE * 0.35;
        c.text(cx, ty, band, LABEL_SIZE, Weight::Regular, Anchor::Middle, MUTED);
    }
    if let Some(cmp) = comparison {
        for (men, values) in [(true, &cmp.men), (false, &cmp.women)] {
            outline(c, values, n, band_y, row, |v| if men { men_right - v * k } else { women_left + v * k }, line);
        }
    }
    // Axes: the two baselines and the % ticks below.
    c.line(men_right, plot_top, men_right, plot_bottom, RULE, 1.0);
    c.line(women_left, plot_top, women_left, plot_bottom, RULE, 1.0);
    c.line(LEFT, plot_bottom, RIGHT, plot_bottom, RULE, 1.0);
    let ty = plot_bottom + 12.0;
    let mut t = 0.0;
    while t <= axis_max + 1e-9 {
        let label = tick(t);
        c.text(men_right - t * k, ty, &label, TICK_SIZE, Weight::Regular, Anchor::Middle, MUTED);
        c.text(women_left + t * k, ty, &label, TICK_SIZE, Weight::Regular, Anchor::Middle, MUTED);
        t += step;
    }
    c.text(cx, ty + 13.0, "en % de la population totale", TICK_SIZE, Weight::Regular, Anchor::Middle, MUTED);
    ty + 17.0
}

/// The comparison's profile on one side: a step line along the band ends,
/// broken where a band has no value.
fn outline(
    c: &mut Canvas,
    values: &[f64],
    n: usize,
    band_y: impl Fn(usize) -> f64,
    row: f64,
    x_of: impl Fn(f64) -> f64,
    color: Color,
) {
    let mut cmds: Vec<PathCmd> = Vec::new();
    let mut open = false;
    for i in 0..n {
        match values.get(i).copied().filter(|v| v.is_finite() && *v >= 0.0) {
            Some(v) => {
                let (x, bottom, top) = (x_of(v), band_y(i) + row, band_y(i));
                cmds.push(if open { PathCmd::LineTo(x, bottom) } else { PathCmd::MoveTo(x, bottom) });
                cmds.push(PathCmd::LineTo(x, top));
                open = true;
            }
            None => open = false,
        }
    }
    if !cmds.is_empty() {
        c.items.push(Item::Path {
            commands: cmds,
            fill: Fill::None,
            stroke: Some(Stroke { color, width: 1.5, dash: 0.0 }),
            id: None,
        });
    }
}
