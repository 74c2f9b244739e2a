//! Category maps: the INSEE density grid and typologies, with the chart
//! of a typology's class profiles.

use crate::format;
use crate::pack::Pack;
use crate::render::text;
use crate::report::Figure;
use crate::scene::{Anchor, Color, Fill, Item, Scene, Stroke, Weight};
use crate::schema::{Status, TerritoryKind};
use crate::typology::{self, ClassSummary};

use super::choropleth::geometry_credit;
use super::colors::{self, INK, MUTED, RULE};
use super::legend::{paragraph, text as put};
use super::{entry, err, palette, LegendEntry, MapError, Styled, Thematic, TypologyView, VariableRef, ViewData};

/// The levels of the 2024 density grid, as INSEE names them.
pub const DENSITY_LEVELS: [&str; 7] = [
    "Grands centres urbains",
    "Centres urbains intermédiaires",
    "Ceintures urbaines",
    "Petites villes",
    "Bourgs ruraux",
    "Rural à habitat dispersé",
    "Rural à habitat très dispersé",
];

pub(crate) fn density_grid(pack: &Pack, view: &ViewData<'_>) -> Result<Thematic, MapError> {
    let grid = pack.indicator("grille_densite")?;
    let year = *pack.years(grid).last().ok_or_else(|| MapError("la grille de densité est absente du pack".into()))?;
    let shares: Vec<_> = (1..=7).filter_map(|l| pack.indicator(&format!("part_pop_densite_{l}")).ok()).collect();
    let level_colors = palette::qualitative(7).unwrap_or_default();
    let mut legend: Vec<(LegendEntry, Fill)> = DENSITY_LEVELS
        .iter()
        .zip(&level_colors)
        .enumerate()
        .map(|(i, (name, c))| entry(format!("{} – {name}", i + 1), Fill::Solid(*c)))
        .collect();
    let mut missing = None;
    let mut styles = Vec::new();
    let mut source = String::new();
    for (_, t) in &view.features {
        let o = pack.value(*t, grid, year);
        if source.is_empty() {
            if let Some(o) = &o {
                source = o.source_label.clone();
            }
        }
        let mut level = o.as_ref().filter(|o| o.status.has_value()).and_then(|o| o.value).map(|v| v.round() as usize);
        if level.is_none() {
            // A grouping without a stored level: the level where most of
            // its population lives.
            level = shares
                .iter()
                .enumerate()
                .filter_map(|(i, s)| pack.latest(*t, *s).and_then(|o| o.value).map(|v| (i + 1, v)))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(l, _)| l);
        }
        let figure = o.as_ref().map(|o| Figure::of(pack, o));
        let entry = match level.filter(|l| (1..=7).contains(l)) {
            Some(l) => l - 1,
            None => *missing.get_or_insert_with(|| {
                legend.push(entry(Status::NotAvailable.label_fr(), palette::NOT_AVAILABLE));
                legend.len() - 1
            }),
        };
        legend[entry].0.count += 1;
        let class = (entry < 7).then_some(entry);
        styles.push(Styled { fill: legend[entry].1, figure, class, legend: entry });
    }
    let epci = view.kind != TerritoryKind::Commune;
    let title = if epci {
        format!("Niveau de densité majoritaire en {year} {}", view.per)
    } else {
        format!("Niveau de densité en {year} {}", view.per)
    };
    let legend_title = if epci {
        "Niveau où vit la plus grande part de la population".to_string()
    } else {
        "Grille communale de densité".into()
    };
    let source = if source.is_empty() { format!("Insee, grille communale de densité {year}") } else { source };
    Ok(Thematic {
        title,
        legend_title,
        sources: vec![format!("Source : {source}"), geometry_credit(pack, view)],
        styles,
        legend,
        breaks: Vec::new(),
        circles: None,
        typology: None,
    })
}

/// The pack's typology `id` (default `fragilites`), or one recomputed
/// from `variables` on the territories of the view.
pub(crate) fn typology(
    pack: &Pack,
    view: &ViewData<'_>,
    id: Option<&str>,
    variables: &[VariableRef],
    k: usize,
) -> Result<Thematic, MapError> {
    if view.kind != TerritoryKind::Epci {
        return err("les typologies portent sur les intercommunalités : choisissez une vue par intercommunalité");
    }
    if id.is_none() && !variables.is_empty() {
        return recomputed(pack, view, variables, k);
    }
    let id = id.unwrap_or("fragilites");
    let Some(ty) = pack.data().typologies.iter().find(|t| t.id == id) else {
        return err(if pack.data().typologies.is_empty() {
            format!("typologie « {id} » absente : ce pack n'en contient aucune (reconstruisez-le)")
        } else {
            format!("typologie inconnue : « {id} »")
        });
    };
    let classes: Vec<ClassSummary> = ty
        .classes
        .iter()
        .map(|c| ClassSummary {
            label: c.label.to_string(),
            profile: c.profile.iter().map(|v| v.to_native()).collect(),
            size: c.size.to_native() as usize,
        })
        .collect();
    let vars: Vec<(String, String, u16)> = ty
        .variables
        .iter()
        .filter_map(|v| {
            let ind = pack.indicators().nth(v.indicator.to_native() as usize)?;
            Some((ind.id().to_string(), ind.label().to_string(), v.year.to_native()))
        })
        .collect();
    let class_of = |t: u32| {
        ty.territories
            .binary_search_by_key(&t, |x| x.to_native())
            .ok()
            .and_then(|i| ty.class_of.get(i))
            .map(|c| *c as usize)
    };
    let assigned: Vec<Option<usize>> = view.features.iter().map(|(_, t)| class_of(t.index)).collect();
    let sources = typology_sources(pack, &vars, view);
    Ok(assemble(
        TypologyView {
            id: Some(ty.id.to_string()),
            label: ty.label.to_string(),
            method: ty.method.to_string(),
            variables: vars,
            classes,
            profiles_svg: String::new(),
        },
        assigned,
        sources,
    ))
}

/// A typology recomputed on the view's EPCI with [`crate::typology`].
fn recomputed(pack: &Pack, view: &ViewData<'_>, variables: &[VariableRef], k: usize) -> Result<Thematic, MapError> {
    let asked: Vec<(&str, Option<u16>)> = variables.iter().map(|v| (v.indicator.as_str(), v.year)).collect();
    let vars = typology::resolve(pack, &asked).map_err(|e| MapError(e.to_string()))?;
    let territories: Vec<_> = view.features.iter().map(|(_, t)| *t).collect();
    let result = typology::compute(pack, &territories, &vars, k).map_err(|e| MapError(e.to_string()))?;
    let assigned: Vec<Option<usize>> = territories.iter().map(|t| result.class_of_territory(t.index)).collect();
    let variables: Vec<(String, String, u16)> =
        result.variables.iter().map(|v| (v.id.clone(), v.label.clone(), v.year)).collect();
    let sources = typology_sources(pack, &variables, view);
    let method = format!(
        "Classification ascendante hiérarchique (méthode de Ward) des {} intercommunalités de la vue ayant toutes les \
         variables, centrées et réduites, en {k} classes ; les classes expliquent {} % des écarts entre territoires{}.",
        result.territories.len(),
        format::number(result.between_share * 100.0, 0),
        match result.unclassified.len() {
            0 => String::new(),
            1 => " ; 1 intercommunalité non classée faute de données".to_string(),
            n => format!(" ; {n} intercommunalités non classées faute de données"),
        }
    );
    Ok(assemble(
        TypologyView {
            id: None,
            label: format!("Typologie en {k} classes des intercommunalités"),
            method,
            variables,
            classes: result.classes,
            profiles_svg: String::new(),
        },
        assigned,
        sources,
    ))
}

fn typology_sources(pack: &Pack, vars: &[(String, String, u16)], view: &ViewData<'_>) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for (id, _, year) in vars {
        let Ok(ind) = pack.indicator(id) else { continue };
        let Some((_, t)) = view.features.first() else { continue };
        if let Some(o) = pack.value(*t, ind, *year) {
            if !labels.contains(&o.source_label) {
                labels.push(o.source_label);
            }
        }
    }
    let mut out = Vec::new();
    if !labels.is_empty() {
        out.push(format!("Sources : {}", labels.join(" ; ")));
    }
    out.push(geometry_credit(pack, view));
    out
}

fn assemble(mut ty: TypologyView, assigned: Vec<Option<usize>>, sources: Vec<String>) -> Thematic {
    let k = ty.classes.len();
    let palette = class_palette(k);
    let mut legend: Vec<(LegendEntry, Fill)> = ty
        .classes
        .iter()
        .zip(&palette)
        .enumerate()
        .map(|(i, (c, col))| entry(format!("{} – {}", i + 1, c.label), Fill::Solid(*col)))
        .collect();
    let mut unclassified = None;
    let mut styles = Vec::new();
    for a in &assigned {
        let entry = match a.filter(|c| *c < k) {
            Some(c) => c,
            None => *unclassified.get_or_insert_with(|| {
                legend.push(entry("non classé (donnée manquante)", palette::NOT_AVAILABLE));
                legend.len() - 1
            }),
        };
        legend[entry].0.count += 1;
        styles.push(Styled { fill: legend[entry].1, figure: None, class: (entry < k).then_some(entry), legend: entry });
    }
    ty.profiles_svg = crate::render::svg::to_svg(&profiles(&ty, &palette));
    Thematic {
        title: ty.label.clone(),
        legend_title: "Classes (effectif dans la vue)".into(),
        sources,
        styles,
        legend,
        breaks: Vec::new(),
        circles: None,
        typology: Some(ty),
    }
}

/// One colour per class of a typology of `k` classes.
fn class_palette(k: usize) -> Vec<Color> {
    // Okabe–Ito has 7 colours, as many as a typology has classes at most;
    // a stored typology with more would repeat them rather than fail.
    let palette: Vec<Color> = palette::qualitative(k.clamp(1, 7)).unwrap_or_else(|| vec![MUTED]);
    (0..k).map(|i| palette[i % palette.len()]).collect()
}

/// The class profiles of `ty` in the colours its map uses (the scene
/// behind [`TypologyView::profiles_svg`], for the PDF export).
pub fn profiles_scene(ty: &TypologyView) -> Scene {
    profiles(ty, &class_palette(ty.classes.len()))
}

/// Each class's profile: the mean standardised value of each variable as
/// a horizontal bar left or right of 0.
pub fn profiles(ty: &TypologyView, palette: &[Color]) -> Scene {
    const W: f64 = 480.0;
    const L: f64 = 16.0;
    const LABEL_W: f64 = 200.0;
    const ROW: f64 = 15.0;
    let mut items = vec![Item::Rect {
        x: 0.0,
        y: 0.0,
        width: W,
        height: 0.0,
        fill: Fill::Solid(Color::WHITE),
        stroke: None,
        id: None,
    }];
    let title = format!("Profil des classes : {}", ty.label);
    let mut y = paragraph(&mut items, &title, L, 14.0, 14.0, Weight::Bold, INK, W - 2.0 * L, 2);
    y = paragraph(
        &mut items,
        "Écart à la moyenne des intercommunalités classées, en écarts-types",
        L,
        y + 2.0,
        10.5,
        Weight::Regular,
        MUTED,
        W - 2.0 * L,
        2,
    ) + 6.0;
    let span = ty.classes.iter().flat_map(|c| c.profile.iter()).fold(0.5f64, |m, v| m.max(v.abs()));
    let span = (span * 2.0).ceil() / 2.0;
    let (x0, x1) = (L + LABEL_W + 40.0, W - L - 40.0);
    let zero = (x0 + x1) / 2.0;
    let per = (x1 - x0) / 2.0 / span;
    for (i, c) in ty.classes.iter().enumerate() {
        let color = palette.get(i).copied().unwrap_or(MUTED);
        let mut g = Vec::new();
        g.push(Item::Rect {
            x: L,
            y: y + 3.0,
            width: 12.0,
            height: 12.0,
            fill: Fill::Solid(color),
            stroke: None,
            id: None,
        });
        let head = format!("{} – {} ({} territoires)", i + 1, c.label, format::number(c.size as f64, 0));
        let head = text::wrap_lines(&head, 12.0, Weight::Bold, W - 2.0 * L - 18.0, 2);
        for (l, line) in head.iter().enumerate() {
            put(&mut g, L + 18.0, y + 13.5 + l as f64 * 15.0, line, 12.0, Weight::Bold, Anchor::Start, INK);
        }
        y += 20.0 + (head.len().max(1) - 1) as f64 * 15.0;
        let top = y;
        for (j, v) in c.profile.iter().enumerate() {
            let label = ty.variables.get(j).map(|v| v.1.as_str()).unwrap_or("");
            let label = text::ellipsize(label, 10.5, Weight::Regular, LABEL_W);
            put(&mut g, L, y + 10.5, &label, 10.5, Weight::Regular, Anchor::Start, INK);
            let v = if v.is_finite() { *v } else { 0.0 };
            let (bx, bw) = if v >= 0.0 { (zero, v * per) } else { (zero + v * per, -v * per) };
            g.push(Item::Rect {
                x: bx,
                y: y + 3.0,
                width: bw,
                height: 9.0,
                fill: Fill::Solid(colors::darken(color, 0.15)),
                stroke: None,
                id: None,
            });
            let sign = if v > 0.05 { "+" } else { "" };
            let value = format!("{sign}{}", format::number(v, 1));
            let (tx, anchor) = if v >= 0.0 { (bx + bw + 3.0, Anchor::Start) } else { (bx - 3.0, Anchor::End) };
            put(&mut g, tx, y + 10.5, &value, 9.5, Weight::Regular, anchor, MUTED);
            y += ROW;
        }
        g.push(Item::Line {
            x1: zero,
            y1: top,
            x2: zero,
            y2: y,
            stroke: Stroke { color: RULE, width: 1.0, dash: 0.0 },
        });
        items.push(Item::Group { label: Some(format!("Classe {} : {}", i + 1, c.label)), items: g });
        y += 8.0;
    }
    let height = (y + 8.0).ceil();
    if let Some(Item::Rect { height: h, .. }) = items.first_mut() {
        *h = height;
    }
    let description = ty
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| format!("Classe {} ({}) : {} territoires", i + 1, c.label, c.size))
        .collect::<Vec<_>>()
        .join(" ; ");
    Scene { width: W, height, title, description, items }
}
