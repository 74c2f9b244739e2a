//! The nine panels. Each reads its figures through [`Ctx`] (most recent
//! vintage per territory, statuses kept), lays them out as key figures,
//! charts and a table, and asks [`super::sentences`] for its reading
//! sentences.

use std::collections::BTreeSet;
use std::rc::Rc;

use super::build::{combine, computed, Ctx};
use super::model::{Chart, DataTable, FigureSeries, KeyFigure, Panel, PyramidSide, PANEL_IDS};
use super::sentences::{self, la, le, Subject};
use crate::format;
use crate::pack::ObservationRef;
use crate::report::Figure;
use crate::schema::{Status, TerritoryKind, Unit};

const TITLES: [&str; 9] = [
    "Population et territoire",
    "Âges",
    "Ménages et familles",
    "Jeunesse",
    "Emploi et activité",
    "Logement",
    "Revenus",
    "Pauvreté",
    "Prestations sociales",
];

/// Why a PdL-only figure is missing outside the région.
const PDL_ONLY: &str = "source limitée aux Pays de la Loire";

pub(super) fn all(c: &Ctx<'_>) -> Vec<Panel> {
    vec![
        population(c),
        ages(c),
        menages(c),
        jeunesse(c),
        emploi(c),
        logement(c),
        revenus(c),
        pauvrete(c),
        prestations(c),
    ]
}

/// What a table row reads of a figure.
trait Cell {
    fn year(&self) -> u16;
    fn status(&self) -> Status;
    fn text(&self) -> &str;
    fn source(&self) -> &str;
}

impl Cell for Rc<Figure> {
    fn year(&self) -> u16 {
        self.year
    }
    fn status(&self) -> Status {
        self.status
    }
    fn text(&self) -> &str {
        &self.text
    }
    fn source(&self) -> &str {
        &self.source
    }
}

/// A computed figure that only a table shows (the pyramid's shares, a
/// few hundred per snapshot): what [`Ctx::derived`] would show, without
/// the figure's other strings.
struct TableCell<'a> {
    year: u16,
    status: Status,
    text: String,
    source: &'a str,
}

impl<'a> TableCell<'a> {
    fn computed(year: u16, status: Status, value: Option<f64>, unit: Unit, source: &'a str) -> Self {
        let (status, value) = computed(status, value);
        TableCell { year, status, text: format::shown(status, value, unit), source }
    }
}

impl Cell for TableCell<'_> {
    fn year(&self) -> u16 {
        self.year
    }
    fn status(&self) -> Status {
        self.status
    }
    fn text(&self) -> &str {
        &self.text
    }
    fn source(&self) -> &str {
        self.source
    }
}

/// A panel being filled.
struct P<'c, 'p> {
    c: &'c Ctx<'p>,
    number: usize,
    key_figures: Vec<KeyFigure>,
    charts: Vec<Chart>,
    sentences: Vec<String>,
    rows: Vec<Vec<String>>,
    sources: BTreeSet<String>,
    fallback_sources: BTreeSet<String>,
}

impl<'c, 'p> P<'c, 'p> {
    fn new(c: &'c Ctx<'p>, number: usize) -> Self {
        P {
            c,
            number,
            key_figures: Vec::new(),
            charts: Vec::new(),
            sentences: Vec::new(),
            rows: Vec::new(),
            sources: BTreeSet::new(),
            fallback_sources: BTreeSet::new(),
        }
    }

    fn cols(&self) -> usize {
        self.c.cols.len()
    }

    /// The latest figure of `id` for every column.
    fn latest(&self, id: &str) -> Vec<Rc<Figure>> {
        self.c.latest_all(id)
    }

    /// A table row: label, the study's year, one cell per column (with its
    /// year when it differs from the study's). Each (label, year) once.
    fn row(&mut self, label: &str, figs: &[impl Cell]) {
        let Some(first) = figs.first() else { return };
        let year = if first.year() == 0 { String::new() } else { first.year().to_string() };
        // A panel has a few dozen rows: looking through them costs less
        // than a set of keys would.
        if self.rows.iter().any(|r| r[0] == label && r[1] == year) {
            return;
        }
        let mut row = Vec::with_capacity(2 + figs.len());
        row.push(label.to_string());
        row.push(year);
        let mut previous: Option<(&str, bool)> = None;
        for f in figs {
            // The columns of a row mostly share their source: read once.
            let missing = f.status() == Status::NotAvailable;
            if previous != Some((f.source(), missing)) {
                previous = Some((f.source(), missing));
                self.add_sources(f.source(), missing);
            }
            if f.year() != first.year() && !missing {
                row.push(format!("{} ({})", f.text(), f.year()));
            } else {
                row.push(f.text().to_string());
            }
        }
        self.rows.push(row);
    }

    /// The sources of a figure (`missing`: of a figure without a value,
    /// kept in case no figure of the panel has one).
    fn add_sources(&mut self, sources: &str, missing: bool) {
        for source in sources.split(" ; ").filter(|s| !s.is_empty()) {
            // Kept bare (one allocation per distinct source, not per
            // figure); "Source : " is prefixed in `finish`, which keeps
            // the order since every line starts alike.
            let set = if missing { &mut self.fallback_sources } else { &mut self.sources };
            if !set.contains(source) {
                set.insert(source.to_string());
            }
        }
    }

    /// The latest figures of `id` as a table row; returns them.
    fn row_latest(&mut self, id: &str) -> Vec<Rc<Figure>> {
        let figs = self.latest(id);
        self.row(&figs[0].label, &figs);
        figs
    }

    /// A key figure of the study with its comparison note.
    fn key(&mut self, short: &str, figs: &[Rc<Figure>]) {
        let f = &figs[0];
        let note = match self.c.reference(figs) {
            Some(r) => sentences::note(f, &figs[r], &self.c.places[r]),
            None => String::new(),
        };
        // "Évolution 2013-2018" already says its year.
        let year = f.year.to_string();
        let label = if f.year == 0 || short.ends_with(&year) { short.to_string() } else { format!("{short} {year}") };
        self.key_figures.push(KeyFigure { label, figure: Figure::clone(f), note });
    }

    /// A key figure from an indicator's latest figures (also a table row).
    fn key_id(&mut self, short: &str, id: &str) -> Vec<Rc<Figure>> {
        let figs = self.row_latest(id);
        self.key(short, &figs);
        figs
    }

    /// A comparison sentence on `figs` against the reference column, or a
    /// sentence saying the study's figure is missing.
    fn compare(&mut self, subject: Subject, figs: &[Rc<Figure>]) {
        let s = match self.c.reference(figs) {
            Some(r) => sentences::compare(subject, &figs[0], &figs[r], &self.c.places[r]),
            None => None,
        };
        let s = s.or_else(|| sentences::state(subject, &figs[0])).or_else(|| {
            let why = if figs[0].status == Status::NotAvailable && self.pdl_only(&figs[0]) { PDL_ONLY } else { "" };
            sentences::unavailable_in(subject, &figs[0], &self.c.places[0], why, self.partial_scope())
        });
        self.sentence(s);
    }

    /// What a partial figure of the study covers.
    fn partial_scope(&self) -> &'static str {
        if self.c.study().pdl() == crate::schema::PdlCoverage::Partial {
            sentences::PDL_PART
        } else {
            sentences::SOURCE_PART
        }
    }

    /// Whether a missing figure is missing because its source covers the
    /// Pays de la Loire only (the région's own total has it).
    fn pdl_only(&self, f: &Figure) -> bool {
        f.status == Status::NotAvailable
            && self.c.study().pdl() == crate::schema::PdlCoverage::Outside
            && !f.source.is_empty()
            && ["RP 2023", "RP 2022", "Cnaf", "France Travail", "Urssaf", "séries historiques"]
                .iter()
                .any(|s| f.source.contains(s))
    }

    fn sentence(&mut self, s: Option<String>) {
        if let Some(s) = s {
            if self.sentences.len() < 2 && !self.sentences.contains(&s) {
                self.sentences.push(s);
            }
        }
    }

    /// Grouped bars: one category per indicator, latest figures.
    fn bars(&mut self, title: &str, unit: &str, items: &[(&str, &str)]) {
        let per_cat: Vec<Vec<Rc<Figure>>> = items.iter().map(|(id, _)| self.row_latest(id)).collect();
        let categories = items.iter().map(|(_, c)| c.to_string()).collect();
        self.bars_of(title, unit, categories, per_cat);
    }

    /// Grouped bars from figures per category (`per_cat[c][t]`).
    fn bars_of(&mut self, title: &str, unit: &str, categories: Vec<String>, per_cat: Vec<Vec<Rc<Figure>>>) {
        let series = self.series(per_cat);
        self.charts.push(Chart::Bars { title: title.into(), unit: unit.into(), categories, series });
    }

    /// One series per column from figures per category or year
    /// (`per_point[p][t]`). A figure only this chart holds (a computed
    /// one) moves into it; one the context also keeps is copied.
    fn series(&self, per_point: Vec<Vec<Rc<Figure>>>) -> Vec<FigureSeries> {
        let mut figures: Vec<Vec<Figure>> = (0..self.cols()).map(|_| Vec::with_capacity(per_point.len())).collect();
        for point in per_point {
            for (t, f) in point.into_iter().enumerate().take(figures.len()) {
                figures[t].push(Rc::unwrap_or_clone(f));
            }
        }
        figures
            .into_iter()
            .enumerate()
            .map(|(t, figures)| FigureSeries { name: self.c.cols[t].name().to_string(), study: t == 0, figures })
            .collect()
    }

    /// The figures of `id` for every column at every year, as table rows
    /// (one per year).
    fn by_year(&mut self, id: &str, years: &[u16]) -> Vec<Vec<Rc<Figure>>> {
        let per_year: Vec<Vec<Rc<Figure>>> =
            years.iter().map(|y| (0..self.cols()).map(|t| self.c.at(t, id, *y)).collect()).collect();
        for figs in &per_year {
            self.row(&figs[0].label, figs);
        }
        per_year
    }

    /// A line chart of `id` over its years, if any column has a value.
    fn lines(&mut self, title: &str, id: &str, years: &[u16]) -> Vec<Vec<Rc<Figure>>> {
        let per_year = self.by_year(id, years);
        self.lines_of(title, &figure_unit(&per_year), years, per_year.clone());
        per_year
    }

    fn lines_of(&mut self, title: &str, unit: &str, years: &[u16], per_year: Vec<Vec<Rc<Figure>>>) {
        if !per_year.iter().flatten().any(|f| f.status.has_value()) {
            return;
        }
        let series = self.series(per_year);
        self.charts.push(Chart::Lines { title: title.into(), unit: unit.into(), years: years.to_vec(), series });
    }

    /// Lines of `id` as an index, base 100 at the first year: territories
    /// of very different sizes on one scale. The table keeps the counts.
    fn lines_index(&mut self, title: &str, id: &str, years: &[u16]) -> Vec<Vec<Rc<Figure>>> {
        let per_year = self.by_year(id, years);
        let Some(base) = per_year.first() else { return per_year };
        let index: Vec<Vec<Rc<Figure>>> = per_year
            .iter()
            .map(|figs| {
                figs.iter()
                    .zip(base)
                    .map(|(f, b)| {
                        let v = match (f.value, b.value) {
                            (Some(v), Some(b)) if b > 0.0 => Some(v / b * 100.0),
                            _ => None,
                        };
                        let mut g = self.c.derived(
                            &format!("{}_indice", f.indicator),
                            &format!("{} (indice base 100 en {})", f.label, b.year),
                            Unit::Ratio,
                            f.year,
                            combine(f.status, b.status),
                            v,
                            f.value.zip(b.value),
                            &f.source,
                        );
                        g.unit = "indice base 100";
                        if let Some(v) = g.value {
                            g.text = format::number(v, 1);
                            if g.status == Status::Partial {
                                g.text.push_str(" (partiel)");
                            }
                        }
                        Rc::new(g)
                    })
                    .collect()
            })
            .collect();
        self.lines_of(title, "indice base 100", years, index);
        per_year
    }

    fn finish(self) -> Panel {
        let i = self.number - 1;
        let mut columns = vec!["Indicateur".to_string(), "Année".to_string()];
        columns.extend(self.c.cols.iter().map(|t| t.name().to_string()));
        let sources = if self.sources.is_empty() { self.fallback_sources } else { self.sources };
        Panel {
            id: PANEL_IDS[i].to_string(),
            number: self.number as u8,
            title: TITLES[i].to_string(),
            key_figures: self.key_figures,
            charts: self.charts,
            sentences: self.sentences,
            sources: super::sentences::merge_source_lines(sources.into_iter().map(|s| format!("Source : {s}"))),
            table: DataTable {
                caption: format!("{} : {}, comparaisons", TITLES[i], self.c.cols[0].name()),
                columns,
                rows: self.rows,
            },
        }
    }
}

fn figure_unit(per_year: &[Vec<Rc<Figure>>]) -> String {
    per_year.first().and_then(|f| f.first()).map(|f| f.unit.to_string()).unwrap_or_default()
}

/// Years of `id` within `from..=to`.
fn years_in(c: &Ctx<'_>, id: &str, from: u16, to: u16) -> Vec<u16> {
    c.years(id).into_iter().filter(|y| (from..=to).contains(y)).collect()
}

// ---- 1. Population et territoire ------------------------------------------

fn population(c: &Ctx<'_>) -> Panel {
    let mut p = P::new(c, 1);
    p.key_id("Population", "population");
    let evo = p.key_id("Évolution 2013-2018", "evolution_population");
    p.key_id("Densité", "densite");
    let r = c.reference(&evo);
    p.sentence(sentences::population_change(&evo[0], r.map(|r| (&*evo[r], &c.places[r]))));
    p.bars("Évolution de la population 2013-2018", "%", &[("evolution_population", "Évolution 2013-2018")]);
    const GRID: [(&str, &str); 7] = [
        ("part_pop_densite_1", "Grands centres urbains"),
        ("part_pop_densite_2", "Centres urbains intermédiaires"),
        ("part_pop_densite_3", "Ceintures urbaines"),
        ("part_pop_densite_4", "Petites villes"),
        ("part_pop_densite_5", "Bourgs ruraux"),
        ("part_pop_densite_6", "Rural à habitat dispersé"),
        ("part_pop_densite_7", "Rural à habitat très dispersé"),
    ];
    p.bars("Répartition de la population selon la grille de densité", "%", &GRID);
    let level = p.row_latest("grille_densite");
    // The level where most of the population lives, with its share.
    if let Some(l) = level[0].value.filter(|_| level[0].status == Status::Value) {
        let i = (l as usize).clamp(1, 7) - 1;
        let share = c.latest(0, GRID[i].0);
        if share.status == Status::Value {
            p.sentence(Some(format!(
                "{} de la population vit en « {} », le niveau de la grille de densité le plus peuplé du territoire ({}).",
                share.text,
                crate::format::lowercase(GRID[i].1),
                share.year
            )));
        }
    }
    for id in ["superficie", "naissances", "deces", "population_hommes", "population_femmes"] {
        p.row_latest(id);
    }
    let births = c.latest(0, "naissances");
    let deaths = c.latest(0, "deces");
    if let (Some(b), Some(d), Status::Value, Status::Value) = (births.value, deaths.value, births.status, deaths.status)
    {
        let balance = b - d;
        p.sentence(Some(format!(
            "De 2013 à 2018, {} naissances et {} décès : un solde naturel {} de {}.",
            births.text,
            deaths.text,
            if balance >= 0.0 { "positif" } else { "négatif" },
            format::number(balance.abs(), 0)
        )));
    }
    let years = c.years("population_historique");
    p.lines("Population depuis 1876 (géographie 2025)", "population_historique", &years);
    p.finish()
}

// ---- 2. Âges ----------------------------------------------------------------

/// The pyramid bands: (label, suffix of `pop_h_*` / `pop_f_*`).
const BANDS: [(&str, &str); 20] = [
    ("0-4", "00_04"),
    ("5-9", "05_09"),
    ("10-14", "10_14"),
    ("15-19", "15_19"),
    ("20-24", "20_24"),
    ("25-29", "25_29"),
    ("30-34", "30_34"),
    ("35-39", "35_39"),
    ("40-44", "40_44"),
    ("45-49", "45_49"),
    ("50-54", "50_54"),
    ("55-59", "55_59"),
    ("60-64", "60_64"),
    ("65-69", "65_69"),
    ("70-74", "70_74"),
    ("75-79", "75_79"),
    ("80-84", "80_84"),
    ("85-89", "85_89"),
    ("90-94", "90_94"),
    ("95+", "95p"),
];

/// One column's pyramid: band figures (men then women), shares of their
/// total in %, the combined status. `None` if a band has no value or the
/// bands are of different years.
struct Pyramid<'p> {
    men: Vec<f64>,
    women: Vec<f64>,
    total: f64,
    status: Status,
    year: u16,
    source: &'p str,
}

/// The ids of the pyramid's figures, `pop_h_*` (men) then `pop_f_*`, in
/// [`BANDS`] order.
fn band_ids() -> Vec<String> {
    ["h", "f"].iter().flat_map(|sex| BANDS.iter().map(move |(_, band)| format!("pop_{sex}_{band}"))).collect()
}

fn pyramid_of<'p>(c: &Ctx<'p>, col: usize, ids: &[String]) -> Option<Pyramid<'p>> {
    // Read from the pack, not as figures: only their numbers are used.
    let figs: Vec<ObservationRef<'p>> = ids.iter().map(|id| c.latest_obs(col, id)).collect();
    let year = figs[0].year;
    if figs.iter().any(|f| f.value.is_none() || !f.status.has_value() || f.year != year) {
        return None;
    }
    let total: f64 = figs.iter().filter_map(|f| f.value).sum();
    if total <= 0.0 {
        return None;
    }
    let status = figs.iter().fold(Status::Value, |s, f| combine(s, f.status));
    let share = |f: &ObservationRef<'_>| f.value.unwrap_or(0.0) / total * 100.0;
    Some(Pyramid {
        men: figs[..20].iter().map(share).collect(),
        women: figs[20..].iter().map(share).collect(),
        total,
        status,
        year,
        source: figs[0].source_label,
    })
}

fn ages(c: &Ctx<'_>) -> Panel {
    let mut p = P::new(c, 2);
    const SHARES: [(&str, &str); 4] = [
        ("part_0014", "0-14 ans"),
        ("part_1529", "15-29 ans"),
        ("part_6074", "60-74 ans"),
        ("part_75p", "75 ans ou plus"),
    ];
    let figs: Vec<Vec<Rc<Figure>>> =
        SHARES.iter().map(|(id, short)| p.key_id(&format!("Part des {short}"), id)).collect();
    p.compare(la("la part des 75 ans ou plus"), &figs[3]);
    p.compare(la("la part des moins de 15 ans"), &figs[0]);
    let ids = band_ids();
    let pyramids: Vec<Option<Pyramid>> = (0..p.cols()).map(|t| pyramid_of(c, t, &ids)).collect();
    let study = pyramids[0].as_ref();
    let template = c.latest_obs(0, "pop_h_00_04");
    let status = match study {
        Some(py) => c.derived(
            "pyramide_des_ages",
            "Population par sexe et tranche d'âge de cinq ans",
            Unit::Inhabitants,
            py.year,
            py.status,
            Some(py.total),
            None,
            py.source,
        ),
        None => c.derived(
            "pyramide_des_ages",
            "Population par sexe et tranche d'âge de cinq ans",
            Unit::Inhabitants,
            template.year,
            if template.status == Status::Secret { Status::Secret } else { Status::NotAvailable },
            None,
            None,
            template.source_label,
        ),
    };
    let side = |t: usize, py: &Pyramid| PyramidSide {
        name: c.cols[t].name().to_string(),
        men: py.men.clone(),
        women: py.women.clone(),
    };
    let comparison = study.and_then(|_| (1..p.cols()).find_map(|t| pyramids[t].as_ref().map(|py| side(t, py))));
    p.charts.push(Chart::Pyramid {
        title: "Pyramide des âges (part de la population totale, en %)".into(),
        bands: BANDS.iter().map(|(l, _)| l.to_string()).collect(),
        study: match study {
            Some(py) => side(0, py),
            None => PyramidSide { name: c.cols[0].name().to_string(), men: Vec::new(), women: Vec::new() },
        },
        comparison,
        status,
    });
    p.bars("Structure par âge", "%", &SHARES);
    // The shares behind the pyramid, for every column.
    for (half, who) in ["Hommes", "Femmes"].into_iter().enumerate() {
        for (b, (label, _)) in BANDS.iter().enumerate() {
            let id = &ids[half * BANDS.len() + b];
            // Named once per row, not once per column.
            // Shown in the table only: cells, not figures.
            let cells: Vec<TableCell<'_>> = (0..p.cols())
                .map(|t| match &pyramids[t] {
                    Some(py) => TableCell::computed(
                        py.year,
                        py.status,
                        Some(if half == 0 { py.men[b] } else { py.women[b] }),
                        Unit::Percent,
                        py.source,
                    ),
                    None => {
                        let f = c.latest_obs(t, id);
                        let status = if f.status == Status::Secret { Status::Secret } else { Status::NotAvailable };
                        TableCell::computed(f.year, status, None, Unit::Percent, f.source_label)
                    }
                })
                .collect();
            let label = format!(
                "{who} de {} ans, part de la population (%)",
                label.replace('-', " à ").replace('+', " ou plus")
            );
            p.row(&label.replace(" ou plus ans", " ans ou plus"), &cells);
        }
    }
    p.finish()
}

// ---- 3. Ménages et familles -------------------------------------------------

/// Persons per household of one column: population municipale / main
/// homes (= households) of the same census year, the latest year with both
/// complete, else the latest with both partial.
fn persons_per_household(c: &Ctx<'_>, col: usize) -> Figure {
    const LABEL: &str = "Personnes par ménage (population municipale / ménages, même recensement)";
    let years = c.years("population");
    for allow_partial in [false, true] {
        for y in years.iter().rev() {
            let pop = c.at(col, "population", *y);
            let mut den = c.at(col, "menages", *y);
            if !den.status.has_value() {
                den = c.at(col, "residences_principales", *y);
            }
            let ok = |f: &Figure| {
                f.value.is_some_and(|v| v > 0.0)
                    && match f.status {
                        Status::Value => true,
                        Status::Partial => allow_partial,
                        _ => false,
                    }
            };
            if ok(&pop) && ok(&den) {
                let (n, d) = (pop.value.unwrap_or(0.0), den.value.unwrap_or(1.0));
                return c.derived(
                    "personnes_par_menage",
                    LABEL,
                    Unit::Ratio,
                    *y,
                    combine(pop.status, den.status),
                    Some(n / d),
                    Some((n, d)),
                    &pop.source,
                );
            }
        }
    }
    let y = years.last().copied().unwrap_or(0);
    let pop = c.at(col, "population", y);
    c.derived("personnes_par_menage", LABEL, Unit::Ratio, y, Status::NotAvailable, None, None, &pop.source)
}

fn menages(c: &Ctx<'_>) -> Panel {
    let mut p = P::new(c, 3);
    p.key_id("Ménages", "menages");
    let pph: Vec<Rc<Figure>> = (0..p.cols()).map(|t| Rc::new(persons_per_household(c, t))).collect();
    p.row(&pph[0].label, &pph);
    p.key("Personnes par ménage", &pph);
    let alone = p.key_id("Ménages d'une personne", "part_menages_seuls");
    p.key_id("Familles monoparentales", "part_familles_monoparentales");
    p.compare(la("la part des ménages d'une personne"), &alone);
    if let Some(r) = c.reference(&pph) {
        p.sentence(sentences::compare(le("le nombre moyen de personnes par ménage"), &pph[0], &pph[r], &c.places[r]));
    } else {
        p.sentence(sentences::unavailable(le("le nombre moyen de personnes par ménage"), &pph[0], &c.places[0], ""));
    }
    p.bars(
        "Composition des ménages (RP 2022, ordre de grandeur)",
        "%",
        &[
            ("part_menages_seuls", "Personnes seules"),
            ("part_familles_monoparentales", "Familles monoparentales"),
            ("part_couples_avec_enfants", "Couples avec enfant(s)"),
        ],
    );
    p.bars_of("Personnes par ménage", "ratio", vec!["Personnes par ménage".into()], vec![pph]);
    for id in [
        "menages_seuls",
        "familles_monoparentales",
        "couples_avec_enfants",
        "couples_sans_enfant",
        "personnes_80p_seules",
    ] {
        p.row_latest(id);
    }
    p.finish()
}

// ---- 4. Jeunesse ----------------------------------------------------------------

fn jeunesse(c: &Ctx<'_>) -> Panel {
    let mut p = P::new(c, 4);
    let young = p.key_id("Part des 15-29 ans", "part_1529");
    let neet = p.key_id("15-24 ans ni en emploi ni en études", "part_jeunes_non_inseres");
    let poor = p.key_id("Taux de pauvreté, moins de 30 ans", "taux_pauvrete_age_moins30");
    p.key_id("Diplômés du supérieur", "part_diplome_superieur");
    let subject_neet = la("la part des 15-24 ans ni en emploi ni en études");
    let before_neet =
        c.reference(&neet).and_then(|r| sentences::compare(subject_neet, &neet[0], &neet[r], &c.places[r]));
    match before_neet {
        Some(s) => p.sentence(Some(s)),
        None => {
            // Published for EPCI and communes only: say how it moved.
            let years = c.years("part_jeunes_non_inseres");
            let first = years.first().map(|y| c.at(0, "part_jeunes_non_inseres", *y));
            match first.and_then(|f| sentences::evolution(subject_neet, &f, &neet[0])) {
                Some(s) => p.sentence(Some(s)),
                None => p.compare(subject_neet, &neet),
            }
        }
    }
    p.compare(le("le taux de pauvreté des ménages dont le référent a moins de 30 ans"), &poor);
    p.compare(la("la part des 15-29 ans"), &young);
    p.bars(
        "Plus haut diplôme des 15 ans ou plus non scolarisés",
        "%",
        &[
            ("part_sans_diplome", "Sans diplôme ou CEP"),
            ("part_brevet", "Brevet"),
            ("part_cap_bep", "CAP, BEP"),
            ("part_bac", "Baccalauréat"),
            ("part_bac2", "Bac + 2"),
            ("part_bac34", "Bac + 3 ou 4"),
            ("part_bac5p", "Bac + 5 ou plus"),
        ],
    );
    let years = c.years("part_jeunes_non_inseres");
    p.lines("Part des 15-24 ans ni en emploi ni en études", "part_jeunes_non_inseres", &years);
    p.finish()
}

// ---- 5. Emploi et activité ----------------------------------------------------

fn emploi(c: &Ctx<'_>) -> Panel {
    let mut p = P::new(c, 5);
    p.key_id("Taux d'activité des 15-64 ans", "taux_activite");
    let unemployment = p.key_id("Taux de chômage (recensement)", "taux_chomage");
    let jobseekers = p.key_id("Demandeurs d'emploi (cat. A, B, C)", "demandeurs_emploi_abc");
    p.key_id("Emplois salariés privés", "emplois_salaries_prives");
    p.compare(le("le taux de chômage des 15-64 ans"), &unemployment);
    let years = years_in(c, "demandeurs_emploi_abc", 2015, 2024);
    if let (Some(first), Some(last)) = (years.first(), years.last()) {
        let from = c.at(0, "demandeurs_emploi_abc", *first);
        let to = c.at(0, "demandeurs_emploi_abc", *last);
        if from.status == Status::Value && to.status == Status::Value {
            p.sentence(sentences::evolution(le("le nombre de demandeurs d'emploi (cat. A, B, C)"), &from, &to));
        } else {
            p.compare(le("le nombre de demandeurs d'emploi (cat. A, B, C)"), &jobseekers);
        }
    }
    p.bars(
        "Activité des 15-64 ans (recensement)",
        "%",
        &[("taux_activite", "Taux d'activité"), ("taux_emploi", "Taux d'emploi"), ("taux_chomage", "Taux de chômage")],
    );
    p.lines_index(
        &format!("Demandeurs d'emploi (cat. A, B, C), indice base 100 en {}", years.first().copied().unwrap_or(2015)),
        "demandeurs_emploi_abc",
        &years,
    );
    p.bars(
        "Mode de transport pour aller travailler",
        "%",
        &[
            ("part_mode_voiture", "Voiture"),
            ("part_mode_transports_commun", "Transports en commun"),
            ("part_mode_velo", "Vélo"),
            ("part_mode_pied", "Marche à pied"),
            ("part_mode_deux_roues", "Deux-roues motorisé"),
            ("part_mode_aucun", "Pas de transport"),
        ],
    );
    p.bars(
        "Lieu de travail des actifs occupés",
        "%",
        &[
            ("part_travail_commune", "Commune de résidence"),
            ("part_travail_autre_commune_dep", "Autre commune du département"),
            ("part_travail_autre_dep", "Autre département de la région"),
            ("part_travail_autre_region", "Autre région"),
            ("part_travail_etranger", "Hors métropole"),
        ],
    );
    for id in ["taux_emploi", "pop_1564", "actifs_1564", "chomeurs_1564", "emplois"] {
        p.row_latest(id);
    }
    p.by_year("emplois_salaries_prives", &c.years("emplois_salaries_prives"));
    p.finish()
}

// ---- 6. Logement ------------------------------------------------------------------

fn logement(c: &Ctx<'_>) -> Panel {
    let mut p = P::new(c, 6);
    let owners = p.key_id("Propriétaires", "part_proprietaires");
    let hlm = p.key_id("Locataires HLM", "part_locataires_hlm");
    let vacant = p.key_id("Logements vacants", "taux_vacance");
    p.key_id("Résidences secondaires", "part_residences_secondaires");
    p.compare(la("la part des ménages locataires d'un logement HLM"), &hlm);
    p.compare(la("la part des ménages propriétaires de leur logement"), &owners);
    p.compare(le("le taux de vacance des logements"), &vacant);
    p.bars(
        "Statut d'occupation des résidences principales",
        "%",
        &[
            ("part_proprietaires", "Propriétaires"),
            ("part_locataires_prives", "Locataires du parc privé"),
            ("part_locataires_hlm", "Locataires HLM"),
        ],
    );
    p.bars(
        "Logements vacants et résidences secondaires",
        "%",
        &[("taux_vacance", "Logements vacants"), ("part_residences_secondaires", "Résidences secondaires")],
    );
    for id in
        ["logements", "residences_principales", "logements_vacants", "residences_secondaires", "locataires_meubles"]
    {
        p.row_latest(id);
    }
    p.finish()
}

// ---- 7. Revenus -------------------------------------------------------------------

fn revenus(c: &Ctx<'_>) -> Panel {
    let mut p = P::new(c, 7);
    let median = p.key_id("Niveau de vie médian", "revenu_median");
    let d1 = p.row_latest("d1");
    let d9 = p.row_latest("d9");
    p.key("1er décile (D1)", &d1);
    p.key("9e décile (D9)", &d9);
    let ratio = p.key_id("Rapport D9/D1", "rapport_interdecile");
    p.compare(le("le niveau de vie médian"), &median);
    p.compare(le("le rapport interdécile D9/D1"), &ratio);
    p.row_latest("gini");
    p.bars_of(
        "Niveau de vie annuel : 1er décile, médiane, 9e décile",
        "€",
        vec!["1er décile".into(), "Médiane".into(), "9e décile".into()],
        vec![d1, median, d9],
    );
    p.bars(
        "Composition du revenu disponible",
        "%",
        &[
            ("part_revenus_activite", "Revenus d'activité"),
            ("part_pensions", "Pensions, retraites"),
            ("part_revenus_patrimoine", "Patrimoine"),
            ("part_prestations_sociales", "Prestations sociales"),
            ("part_impots", "Impôts"),
        ],
    );
    for id in ["part_menages_imposes", "s80s20", "part_minima_sociaux", "part_prestations_logement"] {
        p.row_latest(id);
    }
    let years = years_in(c, "revenu_median", 2014, 2021);
    p.lines("Niveau de vie médian", "revenu_median", &years);
    p.finish()
}

// ---- 8. Pauvreté ------------------------------------------------------------------

fn pauvrete(c: &Ctx<'_>) -> Panel {
    let mut p = P::new(c, 8);
    let rate = p.key_id("Taux de pauvreté", "taux_pauvrete");
    p.key_id("Personnes pauvres (estimation)", "personnes_pauvres");
    p.compare(le("le taux de pauvreté"), &rate);
    // The rank within the région.
    let study = c.study();
    let group = match study.kind() {
        TerritoryKind::Epci => "EPCI",
        TerritoryKind::Departement => "départements",
        _ => "régions métropolitaines",
    };
    let region = study.regions().next();
    let ranked = c.rank("taux_pauvrete", rate[0].year).filter(|_| rate[0].status.has_value());
    let rank_label = match study.kind() {
        TerritoryKind::Region => "Rang parmi les régions".to_string(),
        _ => "Rang dans la région".to_string(),
    };
    let within = match (study.kind(), region) {
        (TerritoryKind::Region, _) | (_, None) => String::new(),
        (_, Some(r)) => format!(" {}", sentences::Place::of(r).de()),
    };
    if matches!(study.kind(), TerritoryKind::Epci | TerritoryKind::Departement | TerritoryKind::Region) {
        let mut f = c.derived(
            "rang_taux_pauvrete",
            &format!("Rang du taux de pauvreté parmi les {group}{within} (1 = le plus élevé)"),
            Unit::Number,
            rate[0].year,
            if ranked.is_some() { Status::Value } else { Status::NotAvailable },
            ranked.map(|r| r.0 as f64),
            ranked.map(|r| (r.0 as f64, r.1 as f64)),
            &rate[0].source,
        );
        f.unit = "rang";
        f.kind = "rank";
        if let Some((rank, n, tie)) = ranked {
            f.text = format!("{}{} sur {n}", sentences::ordinal(rank), if tie { " ex æquo" } else { "" });
            let place = if study.kind() == TerritoryKind::Region { None } else { region.map(sentences::Place::of) };
            p.sentence(Some(sentences::rank(&c.places[0], rank, n, group, place.as_ref(), rate[0].year, tie)));
        }
        let label = f.label.clone();
        let mut cells = vec![Rc::new(f.clone())];
        cells.extend((1..p.cols()).map(|_| {
            Rc::new(c.derived(
                "rang_taux_pauvrete",
                &label,
                Unit::Number,
                rate[0].year,
                Status::NotAvailable,
                None,
                None,
                "",
            ))
        }));
        p.row(&label, &cells);
        p.key_figures.push(KeyFigure {
            label: format!("{rank_label} {}", rate[0].year),
            figure: f,
            note: format!("{group}{within} au taux publié ; « ≤ 5 % » classés ex æquo en dernier, secrets exclus"),
        });
    }
    let years = years_in(c, "taux_pauvrete", 2015, 2021);
    p.lines("Taux de pauvreté", "taux_pauvrete", &years);
    p.bars(
        "Taux de pauvreté selon l'âge du référent fiscal",
        "%",
        &[
            ("taux_pauvrete_age_moins30", "Moins de 30 ans"),
            ("taux_pauvrete_age_3039", "30-39 ans"),
            ("taux_pauvrete_age_4049", "40-49 ans"),
            ("taux_pauvrete_age_5059", "50-59 ans"),
            ("taux_pauvrete_age_6074", "60-74 ans"),
            ("taux_pauvrete_age_75p", "75 ans ou plus"),
        ],
    );
    p.bars(
        "Taux de pauvreté selon le statut d'occupation",
        "%",
        &[("taux_pauvrete_proprietaires", "Propriétaires"), ("taux_pauvrete_locataires", "Locataires")],
    );
    p.finish()
}

// ---- 9. Prestations sociales --------------------------------------------------------

/// Share of the population covered by the CAF: persons covered (latest) /
/// population of the census year closest to it, on the same perimeter
/// (partial with partial). Years differing: "ordre de grandeur".
fn caf_coverage(c: &Ctx<'_>, col: usize) -> Figure {
    let covered = c.latest(col, "personnes_couvertes");
    let label_for =
        |y: u16| format!("Part de la population couverte par la CAF (personnes couvertes / population {y})");
    if covered.value.is_some() && matches!(covered.status, Status::Value | Status::Partial) {
        let want_partial = covered.status == Status::Partial;
        let best = c
            .years("population")
            .into_iter()
            .map(|y| c.at(col, "population", y))
            .filter(|f| f.value.is_some_and(|v| v > 0.0) && (f.status == Status::Partial) == want_partial)
            .filter(|f| matches!(f.status, Status::Value | Status::Partial))
            .min_by_key(|f| (f.year.abs_diff(covered.year), std::cmp::Reverse(f.year)));
        if let Some(pop) = best {
            let (n, d) = (covered.value.unwrap_or(0.0), pop.value.unwrap_or(1.0));
            let status = if want_partial {
                Status::Partial
            } else if pop.year != covered.year {
                Status::Approximate
            } else {
                Status::Value
            };
            let mut f = c.derived(
                "part_population_couverte_caf",
                &label_for(pop.year),
                Unit::Percent,
                covered.year,
                status,
                Some(n / d * 100.0),
                Some((n, d)),
                &covered.source,
            );
            if pop.source != covered.source {
                f.source = format!("{} ; {}", covered.source, pop.source);
            }
            return f;
        }
    }
    let status = if covered.status == Status::Secret { Status::Secret } else { Status::NotAvailable };
    c.derived(
        "part_population_couverte_caf",
        &label_for(covered.year),
        Unit::Percent,
        covered.year,
        status,
        None,
        None,
        &covered.source,
    )
}

/// `id` / CAF recipient households of the same year, in %.
fn share_of_recipients(c: &Ctx<'_>, col: usize, id: &str, label: &str) -> Figure {
    let f = c.latest(col, id);
    let all = c.at(col, "foyers_allocataires", f.year);
    let v = match (f.value, all.value) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b * 100.0),
        _ => None,
    };
    c.derived(
        &format!("part_{id}"),
        &format!("{label}, part des foyers allocataires"),
        Unit::Percent,
        f.year,
        combine(f.status, all.status),
        v,
        f.value.zip(all.value),
        &f.source,
    )
}

fn prestations(c: &Ctx<'_>) -> Panel {
    let mut p = P::new(c, 9);
    let households = p.key_id("Foyers allocataires CAF", "foyers_allocataires");
    let coverage: Vec<Rc<Figure>> = (0..p.cols()).map(|t| Rc::new(caf_coverage(c, t))).collect();
    p.row_latest("personnes_couvertes");
    p.row(&coverage[0].label, &coverage);
    p.key("Population couverte par la CAF", &coverage);
    p.key_id("Foyers allocataires du RSA", "foyers_rsa");
    p.key_id("Foyers bénéficiaires de la prime d'activité", "foyers_prime_activite");
    p.row_latest("foyers_aide_logement");
    let pop_year = coverage[0].label.rsplit(' ').next().unwrap_or("").trim_end_matches(')').to_string();
    if coverage[0].status.has_value() {
        let approx = if coverage[0].status == Status::Approximate {
            format!(" (rapportées à la population {pop_year} : ordre de grandeur)")
        } else {
            String::new()
        };
        let partial = coverage[0].status == Status::Partial;
        p.sentence(Some(format!(
            "En {}, {}les prestations de la CAF couvrent {} personnes (allocataires, conjoints et enfants), soit {} de {}population{approx}.",
            coverage[0].year,
            if partial { format!("pour {}, ", p.partial_scope()) } else { String::new() },
            c.latest(0, "personnes_couvertes").text.trim_end_matches(" (partiel)"),
            coverage[0].text.trim_start_matches("≈\u{a0}").trim_end_matches(" (partiel)"),
            if partial { "sa " } else { "la " }
        )));
    } else {
        p.compare(le("le nombre de foyers allocataires de la CAF"), &households);
    }
    let rsa: Vec<Rc<Figure>> =
        (0..p.cols()).map(|t| Rc::new(share_of_recipients(c, t, "foyers_rsa", "Foyers allocataires du RSA"))).collect();
    if let Some(r) = c.reference(&rsa) {
        p.sentence(sentences::compare(
            la("la part des foyers allocataires percevant le RSA"),
            &rsa[0],
            &rsa[r],
            &c.places[r],
        ));
    }
    let pa: Vec<Rc<Figure>> = (0..p.cols())
        .map(|t| {
            Rc::new(share_of_recipients(c, t, "foyers_prime_activite", "Foyers bénéficiaires de la prime d'activité"))
        })
        .collect();
    let al: Vec<Rc<Figure>> = (0..p.cols())
        .map(|t| {
            Rc::new(share_of_recipients(c, t, "foyers_aide_logement", "Foyers bénéficiaires d'une aide au logement"))
        })
        .collect();
    for figs in [&rsa, &pa, &al] {
        p.row(&figs[0].label, figs);
    }
    p.bars_of("Population couverte par la CAF", "%", vec!["Population couverte".into()], vec![coverage]);
    p.bars_of(
        "Prestations perçues, en % des foyers allocataires",
        "%",
        vec!["RSA".into(), "Prime d'activité".into(), "Aide au logement".into()],
        vec![rsa, pa, al],
    );
    let years = years_in(c, "foyers_allocataires", 2020, 2024);
    p.lines_index(
        &format!("Foyers allocataires CAF, indice base 100 en {}", years.first().copied().unwrap_or(2020)),
        "foyers_allocataires",
        &years,
    );
    for id in ["foyers_rsa", "foyers_prime_activite", "foyers_aide_logement"] {
        p.by_year(id, &years);
    }
    p.finish()
}
