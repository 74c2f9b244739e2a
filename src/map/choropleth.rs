//! Choropleths of rates, shares and amounts, with proportional circles of
//! poor people over them.
//!
//! Only figures with a number (value, approximate, partial) are
//! classified; secret, missing and bottom-coded (≤ 5 %) figures get their
//! own legend entries and never the lowest class's colour.

use crate::classify::{self, Method};
use crate::format;
use crate::infographic::step_decimals;
use crate::pack::{Observation, Pack};
use crate::report::Figure;
use crate::scene::Fill;
use crate::schema::{IndicatorKind, Status, Unit};

use super::palette;
use super::{err, Circles, LegendEntry, MapError, Styled, Thematic, ViewData};

/// Kinds a choropleth can show: counts go to circles, classes to their
/// own maps.
pub(crate) fn mappable(kind: IndicatorKind) -> bool {
    matches!(kind, IndicatorKind::Rate | IndicatorKind::Share | IndicatorKind::Amount | IndicatorKind::Median)
}

/// An evolution is drawn on a diverging palette centred on 0.
pub(crate) fn is_evolution(id: &str) -> bool {
    id.starts_with("evolution_") || id.starts_with("variation_")
}

/// The indicator counted by the circles.
pub(crate) const CIRCLES_INDICATOR: &str = "personnes_pauvres";

/// Decimals of a legend bound in `unit` (at least what the rounded
/// bounds need, so two bounds never read the same).
fn decimals(unit: Unit, breaks: &[f64]) -> usize {
    let base = match unit {
        Unit::Percent | Unit::Ratio | Unit::SquareKm => 1,
        Unit::Index => 3,
        Unit::PerSquareKm if breaks.iter().all(|b| b.abs() >= 100.0) => 0,
        Unit::PerSquareKm => 1,
        _ => 0,
    };
    let needed = breaks.iter().map(|b| step_decimals(b.abs())).max().unwrap_or(0);
    needed.clamp(base, base + 2)
}

fn unit_suffix(unit: Unit) -> String {
    match unit {
        Unit::Number | Unit::Class | Unit::Ratio | Unit::Index => String::new(),
        u => format!("{}{}", format::NBSP, u.key()),
    }
}

/// "de 10,0 à 12,5 %"
pub(crate) fn class_label(lo: f64, hi: f64, unit: Unit, d: usize) -> String {
    format!("de {} à {}{}", format::number(lo, d), format::number(hi, d), unit_suffix(unit))
}

/// "Taux de pauvreté en 2021 par intercommunalité"; a label that already
/// holds a year ("Évolution de la population 2013-2018") keeps its own.
pub(crate) fn title(label: &str, year: u16, per: &str) -> String {
    let has_year = label.split(|c: char| !c.is_ascii_digit()).any(|w| w.len() == 4);
    if has_year {
        format!("{label} {per}")
    } else {
        format!("{label} en {year} {per}")
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    pack: &Pack,
    view: &ViewData<'_>,
    indicator: &str,
    year: Option<u16>,
    method: &Method,
    k: usize,
    palette: Option<&str>,
    circles: bool,
) -> Result<Thematic, MapError> {
    if !(3..=9).contains(&k) {
        return err(format!("le nombre de classes doit être compris entre 3 et 9 (demandé : {k})"));
    }
    let ind = pack.indicator(indicator)?;
    if !mappable(ind.kind()) {
        return err(match ind.kind() {
            IndicatorKind::Count => format!(
                "« {} » est un effectif : il ne se cartographie pas en aplats de couleur (choisissez un taux, une part ou un montant)",
                ind.label()
            ),
            _ => format!("« {} » n'est pas un taux, une part ni un montant : pas de carte en aplats", ind.label()),
        });
    }
    let years = pack.years(ind);
    let year = match year {
        Some(y) if years.contains(&y) => y,
        Some(y) => {
            let list: Vec<String> = years.iter().map(|y| y.to_string()).collect();
            return err(format!(
                "pas de données « {} » en {y} (années disponibles : {})",
                ind.label(),
                list.join(", ")
            ));
        }
        None => match years.last() {
            Some(y) => *y,
            None => return err(format!("aucune donnée pour « {} »", ind.label())),
        },
    };
    if let Method::Manual { breaks } = method {
        if breaks.iter().any(|b| !b.is_finite()) || breaks.windows(2).any(|w| w[0] >= w[1]) {
            return err("bornes manuelles : elles doivent être des nombres strictement croissants");
        }
        if !(2..=8).contains(&breaks.len()) {
            return err(format!(
                "bornes manuelles : il en faut de 2 à 8 (pour 3 à 9 classes), {} données",
                breaks.len()
            ));
        }
    }
    let palette_id = palette.unwrap_or(if is_evolution(ind.id()) {
        palette::DEFAULT_DIVERGING
    } else {
        palette::DEFAULT_SEQUENTIAL
    });
    let palette_kind = match palette::kind(palette_id) {
        Some(palette::Kind::Qualitative) => {
            return err(format!(
                "la palette « {palette_id} » sert aux catégories : choisissez une palette graduée pour des classes de valeurs"
            ))
        }
        Some(k) => k,
        None => {
            let ids: Vec<&str> = palette::ids().iter().filter(|p| p.kind != palette::Kind::Qualitative).map(|p| p.id).collect();
            return err(format!("palette inconnue : « {palette_id} » (palettes : {})", ids.join(", ")));
        }
    };

    let obs: Vec<Observation> = view
        .features
        .iter()
        .map(|(_, t)| pack.value(*t, ind, year))
        .collect::<Option<_>>()
        .ok_or_else(|| MapError(format!("pas de données « {} » en {year}", ind.label())))?;
    let classed = |o: &Observation| {
        matches!(o.status, Status::Value | Status::Approximate | Status::Partial) && o.value.is_some_and(f64::is_finite)
    };
    let values: Vec<f64> = obs.iter().filter(|o| classed(o)).filter_map(|o| o.value).collect();
    if values.is_empty() {
        return err(format!("aucune valeur de « {} » en {year} pour ces territoires", ind.label()));
    }
    let classes = classify::classify(&values, method, k)?;
    // Fewer distinct values than classes give fewer classes; the map
    // follows the rounded bounds the legend shows.
    let breaks = classify::round_for_reading(&classes.breaks);
    let k = breaks.len().saturating_sub(1);
    if k == 0 {
        return err("classification impossible : aucune borne obtenue");
    }
    let class_colors = if palette_kind == palette::Kind::Diverging {
        let centre = if is_evolution(ind.id()) { 0.0 } else { values.iter().sum::<f64>() / values.len() as f64 };
        let below = (0..k).filter(|i| breaks[i + 1] <= centre).count();
        let above = (0..k).filter(|i| breaks[*i] >= centre).count();
        palette::diverging_around(palette_id, below, below + above < k, above)
            .or_else(|| palette::diverging(palette_id, k))
    } else {
        palette::sequential(palette_id, k)
    }
    .ok_or_else(|| MapError(format!("la palette « {palette_id} » n'a pas de version en {k} classes")))?;

    // Legend: classes from the highest down, then the special entries
    // that occur, in a fixed order.
    let unit = ind.unit();
    let d = decimals(unit, &breaks).max(classify::reading_decimals(&classes.breaks).min(4));
    let mut legend: Vec<(LegendEntry, Fill)> = (0..k)
        .rev()
        .map(|c| super::entry(class_label(breaks[c], breaks[c + 1], unit, d), Fill::Solid(class_colors[c])))
        .collect();
    let specials = [
        (Status::BottomCoded, palette::BOTTOM_CODED),
        (Status::Secret, palette::SECRET),
        (Status::NotAvailable, palette::NOT_AVAILABLE),
    ];
    let mut special_at = [usize::MAX; 3];
    for (i, (status, fill)) in specials.iter().enumerate() {
        if obs.iter().any(|o| !classed(o) && special_of(o) == *status) {
            special_at[i] = legend.len();
            let label = match status {
                Status::BottomCoded => bottom_label(&obs),
                s => s.label_fr().to_string(),
            };
            legend.push(super::entry(label, *fill));
        }
    }
    let mut styles = Vec::with_capacity(obs.len());
    for o in &obs {
        let (class, entry) = if classed(o) {
            let c = classify::class_of(&breaks, o.value.unwrap_or(0.0)).min(k - 1);
            (Some(c), k - 1 - c)
        } else {
            let i = specials.iter().position(|(s, _)| *s == special_of(o)).unwrap_or(2);
            (None, special_at[i])
        };
        legend[entry].0.count += 1;
        styles.push(Styled { fill: legend[entry].1, figure: Some(Figure::of(pack, o)), class, legend: entry });
    }

    let mut sources = vec![format!("Source : {}", obs[0].source_label)];
    let mut them_circles = None;
    if circles {
        let (c, source) = poor_people(pack, view, year)?;
        if !sources.iter().any(|s| s.ends_with(&source)) {
            sources.push(format!("Cercles : {source}"));
        }
        them_circles = Some(c);
    }
    sources.push(geometry_credit(pack, view));
    Ok(Thematic {
        title: title(ind.label(), year, view.per),
        legend_title: title(ind.label(), year, "").trim_end().to_string(),
        sources,
        styles,
        legend,
        breaks,
        circles: them_circles,
        typology: None,
    })
}

/// The status a figure without a classed number is filed under.
fn special_of(o: &Observation) -> Status {
    match o.status {
        Status::BottomCoded if o.value.is_some() => Status::BottomCoded,
        Status::Secret => Status::Secret,
        _ => Status::NotAvailable,
    }
}

/// "≤ 5 %" as the figures say it.
fn bottom_label(obs: &[Observation]) -> String {
    obs.iter()
        .find(|o| o.status == Status::BottomCoded && o.value.is_some())
        .map(format::observation)
        .unwrap_or_else(|| Status::BottomCoded.label_fr().to_string())
}

/// Poor people per territory, the same year as the rate when there is
/// one, else the latest.
fn poor_people(pack: &Pack, view: &ViewData<'_>, year: u16) -> Result<(Circles, String), MapError> {
    let ind = pack.indicator(CIRCLES_INDICATOR)?;
    let years = pack.years(ind);
    let y = if years.contains(&year) {
        year
    } else {
        *years.last().ok_or_else(|| MapError("aucune donnée de personnes pauvres dans le pack".into()))?
    };
    let mut values = Vec::new();
    let mut source = String::new();
    for (i, (_, t)) in view.features.iter().enumerate() {
        let Some(o) = pack.value(*t, ind, y) else { continue };
        if source.is_empty() {
            source = o.source_label.clone();
        }
        if matches!(o.status, Status::Value | Status::Approximate | Status::Partial) {
            if let Some(v) = o.value.filter(|v| v.is_finite() && *v > 0.0) {
                values.push((i, v));
            }
        }
    }
    Ok((Circles { title: format!("{} en {y}", ind.label()), values }, source))
}

/// The credit line of the boundaries.
pub(crate) fn geometry_credit(pack: &Pack, view: &ViewData<'_>) -> String {
    let _ = pack;
    format!(
        "Fond de carte : contours des communes (COG 2025) en Lambert-93, simplifiés à {} m",
        format::number(view.lod.tolerance_m.to_native(), 0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_titles() {
        assert_eq!(class_label(10.0, 12.5, Unit::Percent, 1), "de 10,0 à 12,5\u{a0}%");
        assert_eq!(class_label(19000.0, 21000.0, Unit::Euro, 0), "de 19\u{a0}000 à 21\u{a0}000\u{a0}€");
        assert_eq!(decimals(Unit::Percent, &[10.0, 12.25]), 2);
        assert_eq!(decimals(Unit::Euro, &[19000.0, 21000.0]), 0);
        assert_eq!(
            title("Taux de pauvreté", 2021, "par intercommunalité"),
            "Taux de pauvreté en 2021 par intercommunalité"
        );
        assert_eq!(
            title("Évolution de la population 2013-2018", 2018, "par commune"),
            "Évolution de la population 2013-2018 par commune"
        );
    }
}
