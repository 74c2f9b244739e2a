//! Plain serialisable views of a pack, shared by the browser layer and the
//! builder's `inspect --json`: what crosses to JavaScript is exactly what a
//! developer inspects.

use serde::Serialize;

use crate::format;
use crate::pack::{Observation, Pack, PackError, TerritoryRef};
use rkyv::rancor::BoxedError;

use crate::schema::{Source, SourceFile, Status, TerritoryKind};

/// The pack's header and contents at a glance.
#[derive(Debug, Serialize)]
pub struct PackInfo {
    pub format_version: u32,
    pub build_date: String,
    pub builder: String,
    pub archive_bytes: usize,
    pub territories: Counts,
    pub indicators: usize,
    pub series: usize,
    pub values: usize,
    pub geometry: GeometryInfo,
    pub sources: Vec<Source>,
    pub source_files: Vec<SourceFile>,
}

#[derive(Debug, Serialize, Default)]
pub struct Counts {
    pub pays: usize,
    pub reg: usize,
    pub dep: usize,
    pub epci: usize,
    pub com: usize,
}

#[derive(Debug, Serialize)]
pub struct GeometryInfo {
    pub crs: String,
    pub arcs: usize,
    pub lods: Vec<LodInfo>,
    pub layers: Vec<LayerInfo>,
}

#[derive(Debug, Serialize)]
pub struct LodInfo {
    pub name: String,
    pub tolerance_m: f64,
    pub points: usize,
}

#[derive(Debug, Serialize)]
pub struct LayerInfo {
    pub kind: &'static str,
    pub features: usize,
}

impl PackInfo {
    pub fn of(pack: &Pack) -> PackInfo {
        let d = pack.data();
        let mut counts = Counts::default();
        for t in pack.territories() {
            match t.kind() {
                TerritoryKind::Country => counts.pays += 1,
                TerritoryKind::Region => counts.reg += 1,
                TerritoryKind::Departement => counts.dep += 1,
                TerritoryKind::Epci => counts.epci += 1,
                TerritoryKind::Commune => counts.com += 1,
            }
        }
        let g = &d.geometry;
        PackInfo {
            format_version: crate::schema::FORMAT_VERSION,
            build_date: pack.build_date().to_string(),
            builder: pack.builder().to_string(),
            archive_bytes: pack.archive_len(),
            territories: counts,
            indicators: d.indicators.len(),
            series: d.series.len(),
            values: d.series.iter().map(|s| s.territories.len()).sum(),
            geometry: GeometryInfo {
                crs: g.crs.to_string(),
                arcs: g.lods.first().map(|l| l.arc_offsets.len().saturating_sub(1)).unwrap_or(0),
                lods: g
                    .lods
                    .iter()
                    .map(|l| LodInfo {
                        name: l.name.to_string(),
                        tolerance_m: l.tolerance_m.to_native(),
                        points: l.coords.len() / 2,
                    })
                    .collect(),
                layers: g
                    .layers
                    .iter()
                    .map(|l| LayerInfo {
                        kind: TerritoryKind::from_u8(l.kind).map(|k| k.key()).unwrap_or("?"),
                        features: l.features.len(),
                    })
                    .collect(),
            },
            sources: d.sources.iter().filter_map(|s| rkyv::deserialize::<Source, BoxedError>(s).ok()).collect(),
            source_files: d
                .header
                .source_files
                .iter()
                .filter_map(|f| rkyv::deserialize::<SourceFile, BoxedError>(f).ok())
                .collect(),
        }
    }
}

/// A territory as listed in search results.
#[derive(Debug, Clone, Serialize)]
pub struct TerritoryInfo {
    /// Unambiguous key (`epci:244400404`, `reg:52`).
    pub key: String,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub epci_type: String,
    /// Names of its départements, majority first.
    pub departements: Vec<String>,
    pub regions: Vec<String>,
    /// The member town through which a search matched.
    pub via: Option<String>,
}

impl TerritoryInfo {
    pub fn of(t: TerritoryRef<'_>, via: Option<String>) -> TerritoryInfo {
        TerritoryInfo {
            key: t.key(),
            code: t.code().into(),
            name: t.name().into(),
            kind: t.kind().key(),
            kind_label: t.kind().label_fr(),
            epci_type: t.epci_type().into(),
            departements: t.departements().map(|d| d.name().to_string()).collect(),
            regions: t.regions().map(|r| r.name().to_string()).collect(),
            via,
        }
    }
}

/// One figure, ready to show: value, status, text and credit line.
#[derive(Debug, Serialize, Clone)]
pub struct Figure {
    pub indicator: String,
    pub label: String,
    pub unit: &'static str,
    pub kind: &'static str,
    pub year: u16,
    pub status: Status,
    /// French wording of the status ("secret statistique"...), empty for a
    /// plain value.
    pub status_label: &'static str,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// As shown: "12,8 %", "≤ 5 %", "non disponible".
    pub text: String,
    /// "Insee, Filosofi 2021".
    pub source: String,
    /// "2021".
    pub vintage: String,
}

impl Figure {
    pub fn of(pack: &Pack, o: &Observation) -> Figure {
        match pack.indicator_at(o.indicator) {
            Some(ind) => Figure::with(ind, o),
            None => Figure { indicator: String::new(), label: String::new(), kind: "", ..Figure::bare(o) },
        }
    }

    /// When the caller already holds the indicator (no lookup).
    pub fn with(ind: crate::pack::IndicatorRef<'_>, o: &Observation) -> Figure {
        Figure {
            indicator: ind.id().to_string(),
            label: ind.label().to_string(),
            kind: ind.kind().key(),
            ..Figure::bare(o)
        }
    }

    /// [`Figure::with`] from an observation borrowed from the pack (the
    /// snapshot's figures): the strings are copied once, into the figure.
    pub(crate) fn with_ref(ind: crate::pack::IndicatorRef<'_>, o: &crate::pack::ObservationRef<'_>) -> Figure {
        Figure {
            indicator: ind.id().to_string(),
            label: ind.label().to_string(),
            unit: o.unit.key(),
            kind: ind.kind().key(),
            year: o.year,
            status: o.status,
            status_label: o.status.label_fr(),
            value: o.value,
            numerator: o.numerator,
            denominator: o.denominator,
            text: format::shown(o.status, o.value, o.unit),
            source: o.source_label.to_string(),
            vintage: o.vintage.to_string(),
        }
    }

    fn bare(o: &Observation) -> Figure {
        Figure {
            indicator: String::new(),
            label: String::new(),
            unit: o.unit.key(),
            kind: "",
            year: o.year,
            status: o.status,
            status_label: o.status.label_fr(),
            value: o.value,
            numerator: o.numerator,
            denominator: o.denominator,
            text: format::observation(o),
            source: o.source_label.clone(),
            vintage: o.vintage.clone(),
        }
    }
}

/// A territory with all its figures (for `inspect --territory`).
#[derive(Debug, Serialize)]
pub struct TerritoryDetail {
    pub territory: TerritoryInfo,
    pub pdl_coverage: crate::schema::PdlCoverage,
    pub metro: bool,
    pub epci: Option<String>,
    pub figures: Vec<Figure>,
}

impl TerritoryDetail {
    pub fn of(pack: &Pack, t: TerritoryRef<'_>) -> TerritoryDetail {
        TerritoryDetail {
            territory: TerritoryInfo::of(t, None),
            pdl_coverage: t.pdl(),
            metro: t.metro(),
            epci: t.epci().map(|e| e.key()),
            figures: pack.observations(t).iter().map(|o| Figure::of(pack, o)).collect(),
        }
    }
}

/// The indicators of the key-figures table, in display order.
pub const KEY_FIGURES: [&str; 4] = ["population", "taux_pauvrete", "revenu_median", "taux_chomage"];

/// Key figures of a study territory and its comparisons, each at the most
/// recent year the pack has for that territory.
#[derive(Debug, Serialize)]
pub struct KeyFigures {
    pub study: TerritoryInfo,
    pub columns: Vec<TerritoryInfo>,
    /// One row per indicator; `figures[i]` is for `columns[i]`.
    pub rows: Vec<KeyFigureRow>,
}

#[derive(Debug, Serialize)]
pub struct KeyFigureRow {
    pub indicator: String,
    pub label: String,
    pub figures: Vec<Figure>,
}

pub fn key_figures(
    pack: &Pack,
    study: TerritoryRef<'_>,
    comparisons: &[TerritoryRef<'_>],
) -> Result<KeyFigures, PackError> {
    let mut columns = vec![study];
    columns.extend(comparisons.iter().copied().filter(|c| *c != study));
    let mut rows = Vec::new();
    for id in KEY_FIGURES {
        let ind = pack.indicator(id)?;
        // Each column shows the most recent vintage the pack has for it,
        // with its year: RP 2023 exists for the PdL, RP 2018 for France.
        let Some(figures) =
            columns.iter().map(|t| pack.latest(*t, ind).map(|o| Figure::of(pack, &o))).collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        rows.push(KeyFigureRow { indicator: id.into(), label: ind.label().into(), figures });
    }
    Ok(KeyFigures {
        study: TerritoryInfo::of(study, None),
        columns: columns.iter().map(|t| TerritoryInfo::of(*t, None)).collect(),
        rows,
    })
}

/// A snapshot as the page receives it: each panel with its SVG and CSV.
#[derive(Debug, Serialize)]
pub struct SnapshotView {
    pub study: TerritoryInfo,
    pub comparisons: Vec<TerritoryInfo>,
    pub panels: Vec<PanelView>,
}

#[derive(Debug, Serialize)]
pub struct PanelView {
    #[serde(flatten)]
    pub panel: crate::snapshot::Panel,
    /// The infographic, as a standalone SVG document.
    pub svg: String,
    /// The panel's table as CSV.
    pub csv: String,
}

/// What a territory switch draws, and only that: each panel's infographic
/// with the texts the page keeps for screen readers (sentences, sources).
/// The tables, key figures and chart series stay in the core: turning them
/// into JavaScript objects, one call across the boundary per field, cost
/// more than building the snapshot ([`SnapshotView`] has them, for a table
/// the user opens or a CSV download).
#[derive(Debug, Serialize)]
pub struct InfographicsView {
    pub study: TerritoryInfo,
    pub comparisons: Vec<TerritoryInfo>,
    pub panels: Vec<InfographicPanel>,
}

#[derive(Debug, Serialize)]
pub struct InfographicPanel {
    pub id: String,
    pub number: u8,
    pub title: String,
    /// The infographic, as a standalone SVG document; `None` when sent as
    /// a `patch` of the one the page shows ([`InfographicsView::against`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svg: Option<String>,
    /// The changes that turn the document the page shows into this one
    /// (JSON text, see [`crate::render::patch`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
    /// The key of this document for the next switch's `against`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<u32>,
    pub sentences: Vec<String>,
    pub sources: Vec<String>,
}

impl InfographicsView {
    pub fn of(snapshot: crate::snapshot::Snapshot) -> InfographicsView {
        let panels = snapshot
            .panels
            .into_iter()
            .map(|panel| {
                let svg = crate::render::svg::to_svg_grouped(&crate::infographic::render(&panel));
                let crate::snapshot::Panel { id, number, title, sentences, sources, .. } = panel;
                InfographicPanel { id, number, title, svg: Some(svg), patch: None, key: None, sentences, sources }
            })
            .collect();
        InfographicsView { study: snapshot.study, comparisons: snapshot.comparisons, panels }
    }

    /// The view for a page that shows, panel by panel, the documents under
    /// `keys` (given by an earlier `against`; fewer keys, or none, for
    /// panels it does not show yet): each panel gets its `key` and, where
    /// `shown` can build on the document the page shows, a `patch` instead
    /// of its `svg`.
    pub fn against(mut self, shown: &crate::render::patch::Shown, keys: &[u32]) -> InfographicsView {
        use crate::render::patch::Update;
        for (i, panel) in self.panels.iter_mut().enumerate() {
            let Some(svg) = panel.svg.take() else { continue };
            let (key, update) = shown.show(&panel.id, keys.get(i).copied(), svg);
            panel.key = Some(key);
            match update {
                Update::Whole(svg) => panel.svg = Some(svg),
                Update::Patch(patch) => panel.patch = Some(patch),
            }
        }
        self
    }
}

impl SnapshotView {
    pub fn of(snapshot: crate::snapshot::Snapshot) -> SnapshotView {
        let panels = snapshot
            .panels
            .into_iter()
            .map(|panel| {
                let svg = crate::render::svg::to_svg_grouped(&crate::infographic::render(&panel));
                let csv = panel.table.csv();
                PanelView { panel, svg, csv }
            })
            .collect();
        SnapshotView { study: snapshot.study, comparisons: snapshot.comparisons, panels }
    }
}
