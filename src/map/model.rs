//! What the page asks for and gets back when it draws a map. Plain serde
//! data: it crosses to JavaScript as is (`viewer.map(request)`).

use serde::{Deserialize, Serialize};

use crate::classify::Method;
use crate::report::Figure;

/// Which territories a map shows.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "view", rename_all = "snake_case")]
pub enum View {
    /// The EPCI touching the Pays de la Loire (default).
    PdlEpci,
    /// The EPCI of France métropolitaine.
    FranceEpci,
    /// The EPCI of one département (`"44"`).
    DepartementEpci { departement: String },
    /// The communes of the Pays de la Loire.
    PdlCommunes,
}

/// What is drawn.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Layer {
    /// A choropleth of a rate, share or amount indicator; optionally with
    /// proportional circles of poor people over it.
    Choropleth {
        indicator: String,
        /// `None`: the indicator's most recent year.
        year: Option<u16>,
        method: Method,
        /// 3 to 9.
        classes: usize,
        /// Palette id (see [`super::palette`]); `None`: the indicator's
        /// default (sequential for levels, diverging for evolutions).
        palette: Option<String>,
        /// Proportional circles of the number of poor people.
        circles: bool,
    },
    /// The INSEE density grid: communes by their level, EPCI by their
    /// majority level.
    DensityGrid,
    /// A typology: the pack's stored one (`id`), or one recomputed from
    /// these variables and number of classes.
    Typology {
        id: Option<String>,
        variables: Vec<VariableRef>,
        /// 4 to 7.
        classes: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct VariableRef {
    pub indicator: String,
    pub year: Option<u16>,
}

/// A map request from the page.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MapRequest {
    #[serde(flatten)]
    pub view: View,
    pub layer: Layer,
    /// Territories outlined: the study territory first, then its
    /// comparisons (keys like `epci:244400404` or codes).
    #[serde(default)]
    pub highlight: Vec<String>,
    /// Size of the drawing in CSS px.
    pub width: f64,
    pub height: f64,
}

/// What the page gets back.
#[derive(Debug, Clone, Serialize)]
pub struct MapResponse {
    /// The map as a standalone SVG document (paths carry `data-id` = the
    /// territory key). The highlight's outlines are always the one group
    /// `<g data-outlines="">` (empty and unlabelled when nothing is
    /// outlined), which [`super::outlines`] gives alone for another
    /// highlight: a page swaps it in place.
    pub svg: String,
    pub title: String,
    /// "Source : Insee, Filosofi 2021" lines.
    pub sources: Vec<String>,
    /// Every territory drawn, in drawing order: for tooltips, keyboard
    /// walking, click-to-select and the accessible table.
    pub features: Vec<MapFeature>,
    pub legend: Vec<LegendEntry>,
    /// For a choropleth: the class bounds as drawn (rounded for reading),
    /// k + 1 values.
    pub breaks: Vec<f64>,
    /// For a typology: its classes and variables.
    pub typology: Option<TypologyView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MapFeature {
    /// `epci:244400404`
    pub key: String,
    pub name: String,
    /// The figure drawn (value, status, text "12,8 %"), if any.
    pub figure: Option<Figure>,
    /// Class index, `None` for secret / missing / bottom-coded entries.
    pub class: Option<usize>,
    /// Legend entry index the feature belongs to.
    pub legend: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendEntry {
    /// "de 10,0 à 12,5 %", "secret statistique", "≤ 5 %"...
    pub label: String,
    /// `#rrggbb`; hatched entries give their background colour.
    pub color: String,
    pub hatched: bool,
    /// Territories in the entry.
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypologyView {
    pub id: Option<String>,
    pub label: String,
    pub method: String,
    /// (indicator id, French label, year)
    pub variables: Vec<(String, String, u16)>,
    pub classes: Vec<crate::typology::ClassSummary>,
    /// The class profiles drawn as bars (mean standardised values).
    pub profiles_svg: String,
}

/// An indicator a choropleth can show, for the page's select.
#[derive(Debug, Clone, Serialize)]
pub struct MapIndicator {
    pub id: String,
    /// French label ("Taux de pauvreté").
    pub label: String,
    /// Unit key ("%", "€", "hab./km²"...).
    pub unit: &'static str,
    /// `rate`, `share`, `amount` or `median`.
    pub kind: &'static str,
    /// Thematic group (`pauvrete`, `revenus`...).
    pub theme: String,
    /// Years with data, oldest first (the map's default is the last).
    pub years: Vec<u16>,
    /// An evolution: drawn on a diverging palette centred on 0.
    pub diverging: bool,
}
