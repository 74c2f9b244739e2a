//! The printable snapshot: a [`Document`] of A4 pages built from the same
//! scenes as the screen (the nine infographics, the maps), with a cover,
//! the user's comments and the sources and methods, for the separate PDF
//! writer (`pdf/`).
//!
//! Layout, top to bottom, in points, margins of [`MARGIN_PT`]:
//! 1. the cover: title, study territory, comparisons, date, the pack's
//!    vintage, the general comment;
//! 2. each infographic: its own header as the section heading, the rest of
//!    its scene as a figure scaled to the page width, cut across pages only
//!    where no item straddles ([`Scene::gaps`], [`Scene::slice`]), then the
//!    user's comment;
//! 3. the maps (the page's requests, or by default the poverty-rate
//!    choropleth with circles of poor people and the fragility typology with
//!    its class profiles), each fitted to the page;
//! 4. sources and methods: every source with its vintage, the definitions
//!    of the indicators shown, the status conventions, the classification of
//!    each map and the typology's method.
//!
//! Text of the document (comments, names, sources) is laid out as wrapped
//! lines ([`text::wrap`], DejaVu Sans metrics), one [`Item::Text`] per line,
//! plain text that no renderer interprets.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::classify::Method;
use crate::document::{Block, Document, Page, Role, A4_HEIGHT_PT, A4_WIDTH_PT};
use crate::infographic::{ACCENT, ACCENT_TEXT, INK, MUTED};
use crate::map::{self, Layer, MapRequest, View};
use crate::pack::{Pack, PackError, TerritoryRef};
use crate::render::text;
use crate::report::Figure;
use crate::scene::{Anchor, Color, Fill, Item, Scene, Weight};
use crate::schema::Status;
use crate::snapshot::{self, Chart, Panel, Snapshot};

/// Page margins, in points.
pub const MARGIN_PT: f64 = 40.0;
/// Width of the text and figures, in points.
pub const CONTENT_WIDTH_PT: f64 = A4_WIDTH_PT - 2.0 * MARGIN_PT;
/// Height available on a page, in points.
pub const CONTENT_HEIGHT_PT: f64 = A4_HEIGHT_PT - 2.0 * MARGIN_PT;
const BOTTOM: f64 = A4_HEIGHT_PT - MARGIN_PT;

/// What the user typed: a general comment and one per infographic (panel
/// id → text). Plain text; empty ones are left out of the document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Comments {
    #[serde(default)]
    pub general: String,
    #[serde(default)]
    pub panels: BTreeMap<String, String>,
}

/// Why a document cannot be built; the message is in French.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportError(pub String);

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExportError {}

impl From<PackError> for ExportError {
    fn from(e: PackError) -> Self {
        ExportError(e.to_string())
    }
}

/// Width in px of the maps drawn when the page passes no request.
const DEFAULT_MAP_WIDTH: f64 = 800.0;

/// The maps of a document when the page asks for none: the poverty rate of
/// the EPCI of the Pays de la Loire with circles of poor people, and the
/// stored fragility typology; `study` and `comparisons` outlined.
pub fn default_maps(study: TerritoryRef<'_>, comparisons: &[TerritoryRef<'_>]) -> Vec<MapRequest> {
    let highlight: Vec<String> = std::iter::once(study).chain(comparisons.iter().copied()).map(|t| t.key()).collect();
    let request = |layer| MapRequest {
        view: View::PdlEpci,
        layer,
        highlight: highlight.clone(),
        width: DEFAULT_MAP_WIDTH,
        height: DEFAULT_MAP_WIDTH * 0.8,
    };
    vec![
        request(Layer::Choropleth {
            indicator: "taux_pauvrete".into(),
            year: None,
            method: Method::Quantiles,
            classes: 5,
            palette: None,
            circles: true,
        }),
        request(Layer::Typology { id: Some("fragilites".into()), variables: Vec::new(), classes: 5 }),
    ]
}

/// Whether `map` already shows what `required` asks for: a poverty-rate
/// choropleth with circles, or a typology.
fn covers(map: &MapRequest, required: &MapRequest) -> bool {
    match (&map.layer, &required.layer) {
        (Layer::Choropleth { indicator: a, circles: ca, .. }, Layer::Choropleth { indicator: b, circles: cb, .. }) => {
            a == b && (*ca || !*cb)
        }
        (Layer::Typology { .. }, Layer::Typology { .. }) => true,
        _ => false,
    }
}

/// The snapshot of `study` compared with `comparisons` as a document:
/// cover, nine infographics with their comments, the maps of `maps` plus
/// the [`default_maps`] they lack, sources and methods. `date` is the day of
/// the export (`YYYY-MM-DD`, the page's clock). A map that cannot be drawn
/// is replaced by a line saying why; only a snapshot that cannot be built
/// is an error.
pub fn snapshot_document(
    pack: &Pack,
    study: TerritoryRef<'_>,
    comparisons: &[TerritoryRef<'_>],
    comments: &Comments,
    maps: &[MapRequest],
    date: &str,
) -> Result<Document, ExportError> {
    let snap = snapshot::build(pack, study, comparisons)?;
    // The page's own maps first; the two every snapshot document carries
    // (poverty rate with the circles of poor people, the fragility
    // typology) are added when the page's requests lack them.
    let mut all: Vec<MapRequest> = maps.to_vec();
    for required in default_maps(study, comparisons) {
        if !all.iter().any(|m| covers(m, &required)) {
            all.push(required);
        }
    }
    let maps = &all[..];
    let date = clean(date).trim().to_string();
    let mut w = Writer::new();

    cover(&mut w, pack, &snap, comments, &date);
    w.new_page();

    for panel in &snap.panels {
        let scene = crate::infographic::render(panel);
        let comment = comments.panels.get(&panel.id).map(|c| clean(c)).filter(|c| !c.trim().is_empty());
        infographic(&mut w, panel, &scene, comment.as_deref());
    }

    let mut drawn = Vec::new();
    w.new_page();
    w.heading_text("Cartes", 18.0);
    for request in maps {
        let result = map::draw_scene(pack, request);
        map_section(&mut w, &result);
        drawn.push((request, result));
    }

    methods(&mut w, pack, &snap, &drawn);

    let comparisons: Vec<&str> = snap.comparisons.iter().map(|c| c.name.as_str()).collect();
    let subject = if comparisons.is_empty() {
        format!("Portrait statistique de {} : infographies, cartes, sources et méthodes", snap.study.name)
    } else {
        format!(
            "Portrait statistique de {} comparé à {} : infographies, cartes, sources et méthodes",
            snap.study.name,
            comparisons.join(", ")
        )
    };
    Ok(Document {
        title: format!("Instantané territorial – {}", snap.study.name),
        lang: "fr-FR".into(),
        subject,
        date,
        pages: w.finish(),
    })
}

// ---- text --------------------------------------------------------------------

/// `s` without control characters (line breaks kept, tabs as spaces,
/// `\r\n` and `\r` as `\n`): what a user typed, safe to lay out.
fn clean(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\r' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// A text style.
#[derive(Clone, Copy)]
struct Style {
    size: f64,
    line_height: f64,
    weight: Weight,
    color: Color,
}

const BODY: Style = Style { size: 10.5, line_height: 14.5, weight: Weight::Regular, color: INK };
const BODY_BOLD: Style = Style { weight: Weight::Bold, ..BODY };
const NOTE: Style = Style { size: 9.5, line_height: 13.0, weight: Weight::Regular, color: MUTED };

/// One laid-out line of text.
#[derive(Clone)]
struct Line {
    text: String,
    style: Style,
    indent: f64,
}

/// `s` wrapped to the content width less `indent`, in `style`.
fn lines(s: &str, style: Style, indent: f64) -> Vec<Line> {
    text::wrap(s, style.size, style.weight, CONTENT_WIDTH_PT - indent)
        .into_iter()
        .map(|t| Line { text: t, style, indent })
        .collect()
}

/// Lines stacked as a scene `CONTENT_WIDTH_PT` wide (placed at scale 1).
fn text_scene(title: &str, lines: &[Line]) -> Scene {
    let mut items = Vec::new();
    let mut top = 0.0;
    for l in lines {
        let s = l.style;
        if !l.text.is_empty() {
            items.push(Item::Text {
                x: l.indent,
                // As infographic paragraphs: DejaVu's ascent below the top
                // of the line, centred in the line height.
                y: top + s.size * 0.93 + (s.line_height - s.size * 1.17).max(0.0) / 2.0,
                text: l.text.clone(),
                size: s.size,
                weight: s.weight,
                anchor: Anchor::Start,
                color: s.color,
            });
        }
        top += s.line_height;
    }
    Scene { width: CONTENT_WIDTH_PT, height: top, title: title.to_string(), description: String::new(), items }
}

// ---- pages -------------------------------------------------------------------

/// Pages being filled top to bottom.
struct Writer {
    pages: Vec<Page>,
    /// Where the next block goes on the last page, in points from its top.
    y: f64,
}

impl Writer {
    fn new() -> Writer {
        Writer { pages: vec![blank()], y: MARGIN_PT }
    }

    fn finish(mut self) -> Vec<Page> {
        if self.pages.len() > 1 && self.fresh() {
            self.pages.pop();
        }
        self.pages
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(blank());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Whether nothing is on the last page yet.
    fn fresh(&self) -> bool {
        self.pages.last().is_none_or(|p| p.blocks.is_empty())
    }

    fn remaining(&self) -> f64 {
        BOTTOM - self.y
    }

    fn new_page(&mut self) {
        if !self.fresh() {
            self.pages.push(blank());
        }
        self.y = MARGIN_PT;
    }

    /// A new page unless `h` points fit on this one.
    fn need(&mut self, h: f64) {
        if h > self.remaining() + 1e-6 {
            self.new_page();
        }
    }

    /// Vertical space, dropped at the top of a page.
    fn space(&mut self, h: f64) {
        if !self.fresh() {
            self.y = (self.y + h).min(BOTTOM);
        }
    }

    /// Places `scene` at the current height, `scale` pt per px, centred.
    fn put(&mut self, scene: Scene, scale: f64, role: Role) {
        let x = MARGIN_PT + ((CONTENT_WIDTH_PT - scene.width * scale) / 2.0).max(0.0);
        let h = scene.height * scale;
        let y = self.y;
        self.page().blocks.push(Block { x_pt: x, y_pt: y, scale, role, scene });
        self.y = y + h;
    }

    /// Lines as one block when they fit here, else (when `keep`, and they
    /// fit on a page) on the next page, else spread over as many pages as
    /// they need, one block per page.
    fn text(&mut self, title: &str, lines: &[Line], role: Role, keep: bool) {
        let total: f64 = lines.iter().map(|l| l.style.line_height).sum();
        if lines.is_empty() {
            return;
        }
        if keep && total <= CONTENT_HEIGHT_PT {
            self.need(total);
        }
        let mut rest = lines;
        while !rest.is_empty() {
            let mut h = 0.0;
            let mut n = 0;
            while n < rest.len() && h + rest[n].style.line_height <= self.remaining() + 1e-6 {
                h += rest[n].style.line_height;
                n += 1;
            }
            // Never leave a lone first line at the bottom of a page.
            if n == 0 || (n == 1 && rest.len() > 1 && !self.fresh()) {
                if self.fresh() {
                    // A line taller than a page: cannot happen with our
                    // styles; place it rather than loop.
                    n = 1;
                } else {
                    self.new_page();
                    continue;
                }
            }
            self.put(text_scene(title, &rest[..n]), 1.0, role.clone());
            rest = &rest[n..];
            if !rest.is_empty() {
                self.new_page();
            }
        }
    }

    fn paragraph(&mut self, s: &str, style: Style) {
        self.text("", &lines(s, style, 0.0), Role::Paragraph, false);
    }

    /// A section heading, kept with at least 120 pt of what follows.
    fn heading_text(&mut self, s: &str, size: f64) {
        let style = Style { size, line_height: size * 1.3, weight: Weight::Bold, color: INK };
        let ls = lines(s, style, 0.0);
        let h: f64 = ls.iter().map(|l| l.style.line_height).sum();
        self.need(h + 120.0);
        self.space(10.0);
        self.text(s, &ls, Role::Heading, true);
        self.y += 4.0;
    }

    /// A figure scaled by `scale`, cut across pages where no item
    /// straddles when it does not fit. The first piece carries `alt`, the
    /// others say they continue it.
    fn figure(&mut self, scene: &Scene, from: f64, scale: f64, alt: &str) {
        // Wide gaps part blocks and the rows of a chart (a category and its
        // bars); narrow ones may part a label from its bar, or a rule from
        // the lines it introduces.
        let wide = |gaps: Vec<(f64, f64)>| gaps.into_iter().filter(|(a, b)| b - a >= 5.0).collect::<Vec<_>>();
        let whole = wide(scene.gaps(true));
        let leaves = scene.gaps(false);
        let rows = wide(leaves.clone());
        let mut y0 = from;
        let mut first = true;
        let mut guard = 0;
        while y0 < scene.height - 0.5 && guard < 200 {
            guard += 1;
            let avail = self.remaining() / scale;
            let role = Role::Figure { alt: if first { alt.to_string() } else { format!("{} (suite)", scene.title) } };
            if scene.height - y0 <= avail + 1e-6 {
                self.put(scene.slice(y0, scene.height), scale, role);
                break;
            }
            let limit = y0 + avail;
            let cut = best_cut(&whole, y0, limit, avail * 0.5)
                .or_else(|| best_cut(&rows, y0, limit, avail * 0.15))
                .or_else(|| best_cut(&leaves, y0, limit, avail * 0.15));
            let cut = match cut {
                Some(c) => c,
                None if !self.fresh() => {
                    self.new_page();
                    continue;
                }
                // Nothing fits a whole page: cut where no text is cut.
                None => text_cut(scene, y0, limit),
            };
            self.put(scene.slice(y0, cut), scale, role);
            first = false;
            self.new_page();
            y0 = cut;
        }
    }
}

fn blank() -> Page {
    Page { width_pt: A4_WIDTH_PT, height_pt: A4_HEIGHT_PT, blocks: Vec::new() }
}

/// The lowest height in `gaps` within `(y0 + min, limit]`, a little below
/// the content above it.
fn best_cut(gaps: &[(f64, f64)], y0: f64, limit: f64, min: f64) -> Option<f64> {
    gaps.iter()
        .rev()
        .filter(|(a, _)| *a <= limit)
        .map(|(a, b)| (a + 4.0).min(*b).min(limit).max(*a))
        .find(|c| *c > y0 + min.max(1.0))
}

/// The lowest height in `(y0, limit]` that cuts no text line (a last resort
/// for a figure with no gap at all on a page).
fn text_cut(scene: &Scene, y0: f64, limit: f64) -> f64 {
    let mut texts = Vec::new();
    fn walk(items: &[Item], out: &mut Vec<(f64, f64)>) {
        for i in items {
            match i {
                Item::Text { .. } => out.extend(i.vertical_extent()),
                Item::Group { items, .. } => walk(items, out),
                _ => {}
            }
        }
    }
    walk(&scene.items, &mut texts);
    let mut c = limit;
    while let Some((top, _)) = texts.iter().find(|(t, b)| *t < c && c < *b) {
        c = *top;
    }
    if c > y0 + 1.0 {
        c
    } else {
        limit
    }
}

// ---- cover -------------------------------------------------------------------

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `2025-11-21` (or an ISO date-time) as « 21 novembre 2025 »; anything
/// else as it is.
pub fn french_date(date: &str) -> String {
    let d = date.trim();
    let parts: Vec<&str> = d.get(..10).unwrap_or("").split('-').collect();
    if let [y, m, day] = parts[..] {
        if let (Ok(y), Ok(m), Ok(day)) = (y.parse::<u32>(), m.parse::<usize>(), day.parse::<u32>()) {
            if (1..=12).contains(&m) && (1..=31).contains(&day) {
                let day = if day == 1 { "1er".to_string() } else { day.to_string() };
                return format!("{day} {} {y}", MONTHS[m - 1]);
            }
        }
    }
    d.to_string()
}

/// Every figure of a panel.
fn figures(panel: &Panel) -> Vec<&Figure> {
    let mut out: Vec<&Figure> = panel.key_figures.iter().map(|k| &k.figure).collect();
    for chart in &panel.charts {
        match chart {
            Chart::Bars { series, .. } | Chart::Lines { series, .. } => {
                out.extend(series.iter().flat_map(|s| s.figures.iter()))
            }
            Chart::Pyramid { status, .. } => out.push(status),
        }
    }
    out
}

/// « Insee, Filosofi 2021 ; RP 2018, 2023 ; Cnaf, allocataires CAF 2024 »:
/// the sources of the figures shown, by producer, series and vintage.
fn vintages(snap: &Snapshot) -> String {
    // producer → series → vintages, in order of first appearance.
    type Series = (String, Vec<String>);
    let mut producers: Vec<(String, Vec<Series>)> = Vec::new();
    // A computed figure credits its sources as « a ; b ».
    let mut labels: Vec<&str> =
        snap.panels.iter().flat_map(figures).flat_map(|f| f.source.split(" ; ")).map(str::trim).collect();
    labels.retain(|l| !l.is_empty());
    labels.sort();
    labels.dedup();
    for label in labels {
        let (producer, rest) = label.split_once(", ").unwrap_or(("", label));
        let (series, vintage) = match rest.rsplit_once(' ') {
            Some((s, v)) if v.starts_with(|c: char| c.is_ascii_digit()) => (s, v),
            _ => (rest, ""),
        };
        let p = match producers.iter().position(|(p, _)| p == producer) {
            Some(i) => i,
            None => {
                producers.push((producer.to_string(), Vec::new()));
                producers.len() - 1
            }
        };
        let list = &mut producers[p].1;
        match list.iter_mut().find(|(s, _)| s == series) {
            Some((_, v)) => {
                if !vintage.is_empty() && !v.iter().any(|x| x == vintage) {
                    v.push(vintage.to_string());
                }
            }
            None => list.push((series.to_string(), if vintage.is_empty() { vec![] } else { vec![vintage.into()] })),
        }
    }
    producers
        .iter()
        .map(|(p, series)| {
            let s: Vec<String> = series
                .iter()
                .map(|(s, v)| if v.is_empty() { s.clone() } else { format!("{s} {}", years(v)) })
                .collect();
            if p.is_empty() {
                s.join(" ; ")
            } else {
                format!("{p}, {}", s.join(" ; "))
            }
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// « Intercommunalité (métropole) · Loire-Atlantique · Pays de la Loire »,
/// as the page describes a territory.
/// Vintages in order, runs of three or more successive years as
/// « 2015 à 2024 »: « 2014 à 2019, 2021 ».
fn years(v: &[String]) -> String {
    let mut v: Vec<&String> = v.iter().collect();
    v.sort();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while let (Ok(a), Some(Ok(b))) = (v[j].parse::<u32>(), v.get(j + 1).map(|x| x.parse::<u32>())) {
            if b != a + 1 {
                break;
            }
            j += 1;
        }
        if j >= i + 2 {
            out.push(format!("{} à {}", v[i], v[j]));
        } else {
            out.extend(v[i..=j].iter().map(|s| s.to_string()));
        }
        i = j + 1;
    }
    out.join(", ")
}

fn kind_line(t: &crate::report::TerritoryInfo) -> String {
    let kind = match t.epci_type.as_str() {
        "CC" => Some("communauté de communes"),
        "CA" => Some("communauté d'agglomération"),
        "CU" => Some("communauté urbaine"),
        "ME" | "MET69" => Some("métropole"),
        _ => None,
    };
    let mut parts = vec![match kind {
        Some(k) if t.kind == "epci" => format!("{} ({k})", t.kind_label),
        _ => t.kind_label.to_string(),
    }];
    if t.kind == "epci" || t.kind == "com" {
        parts.push(t.departements.join(", "));
    }
    if t.kind != "reg" && t.kind != "pays" {
        parts.push(t.regions.join(", "));
    }
    parts.retain(|p| !p.is_empty());
    clean(&parts.join(" · "))
}

fn cover(w: &mut Writer, pack: &Pack, snap: &Snapshot, comments: &Comments, date: &str) {
    // Title, with an accent rule above it.
    let mut title = text_scene(
        "Instantané territorial",
        &lines(
            "Instantané territorial",
            Style { size: 30.0, line_height: 38.0, weight: Weight::Bold, color: ACCENT_TEXT },
            0.0,
        ),
    );
    for item in &mut title.items {
        if let Item::Text { y, .. } = item {
            *y += 14.0;
        }
    }
    title.items.insert(
        0,
        Item::Rect { x: 0.0, y: 0.0, width: 60.0, height: 5.0, fill: Fill::Solid(ACCENT), stroke: None, id: None },
    );
    title.height += 14.0;
    w.y = MARGIN_PT + 80.0;
    w.put(title, 1.0, Role::Title);
    w.y += 18.0;

    let name = Style { size: 22.0, line_height: 28.0, weight: Weight::Bold, color: INK };
    let mut head = lines(&clean(&snap.study.name), name, 0.0);
    head.extend(lines(
        &kind_line(&snap.study),
        Style { size: 13.0, line_height: 18.0, weight: Weight::Regular, color: MUTED },
        0.0,
    ));
    w.text(&snap.study.name, &head, Role::Heading, true);
    w.y += 18.0;

    let comparisons = if snap.comparisons.is_empty() {
        "Aucun territoire de comparaison.".to_string()
    } else {
        let names: Vec<String> =
            snap.comparisons.iter().map(|c| format!("{} ({})", clean(&c.name), c.kind_label.to_lowercase())).collect();
        format!("Comparé à : {}.", names.join(", "))
    };
    let mut ls = lines(&comparisons, BODY, 0.0);
    ls.extend(lines(&format!("Document établi le {}.", french_date(date)), BODY, 0.0));
    w.text("", &ls, Role::Paragraph, true);
    w.y += 10.0;
    let data =
        format!("Données : {} (pack de données construit le {}).", vintages(snap), french_date(pack.build_date()));
    w.text("", &lines(&data, NOTE, 0.0), Role::Paragraph, true);
    w.y += 6.0;
    let contents = "Sommaire : neuf infographies (population et territoire, âges, ménages et familles, jeunesse, \
                    emploi et activité, logement, revenus, pauvreté, prestations sociales), des cartes des \
                    intercommunalités, puis les sources, définitions et méthodes.";
    w.text("", &lines(contents, NOTE, 0.0), Role::Paragraph, true);

    let general = clean(&comments.general);
    if !general.trim().is_empty() {
        w.y += 12.0;
        w.heading_text("Commentaire général", 14.0);
        w.paragraph(general.trim(), BODY);
    }
}

// ---- infographics --------------------------------------------------------------

/// Where the infographic's header (number badge, title, rule) ends: just
/// below the first top-level rule, if it comes before any group.
fn header_end(scene: &Scene) -> Option<f64> {
    let mut saw_text = false;
    for item in &scene.items {
        match item {
            Item::Text { .. } => saw_text = true,
            Item::Line { .. } if saw_text => {
                let (_, bottom) = item.vertical_extent()?;
                return (bottom < scene.height && bottom < 160.0).then_some(bottom + 2.0);
            }
            Item::Group { .. } => return None,
            _ => {}
        }
    }
    None
}

fn infographic(w: &mut Writer, panel: &Panel, scene: &Scene, comment: Option<&str>) {
    let scale = CONTENT_WIDTH_PT / scene.width;
    let head = header_end(scene);
    let head_h = head.unwrap_or(0.0) * scale + if head.is_none() { 30.0 } else { 0.0 };
    let body_h = (scene.height - head.unwrap_or(0.0)) * scale;
    // A whole infographic goes on a page of its own when it fits one; a
    // taller one starts here when most of a page is left.
    if head_h + body_h <= CONTENT_HEIGHT_PT {
        w.need(head_h + body_h);
    } else {
        w.need(CONTENT_HEIGHT_PT * 0.45);
    }
    w.space(8.0);
    let from = match head {
        Some(end) => {
            let mut h = scene.slice(0.0, end);
            h.description = String::new();
            w.put(h, scale, Role::Heading);
            end
        }
        None => {
            w.heading_text(&scene.title, 15.0);
            0.0
        }
    };
    let mut alt = scene.title.clone();
    if !panel.sentences.is_empty() {
        alt = format!("{alt}. {}", panel.sentences.join(" "));
    }
    w.figure(scene, from, scale, &alt);
    if let Some(c) = comment {
        w.y += 8.0;
        let mut ls = lines("Commentaire", Style { color: ACCENT_TEXT, ..BODY_BOLD }, 0.0);
        ls.extend(lines(c.trim(), BODY, 0.0));
        // The label stays with the comment's first lines.
        w.need(ls.iter().take(3).map(|l| l.style.line_height).sum());
        w.text("Commentaire", &ls, Role::Paragraph, false);
    }
    w.y += 12.0;
}

// ---- maps --------------------------------------------------------------------

fn map_section(w: &mut Writer, drawing: &Result<map::MapDrawing, map::MapError>) {
    match drawing {
        Ok(d) => {
            let s = &d.scene;
            let scale = (CONTENT_WIDTH_PT / s.width).min(CONTENT_HEIGHT_PT / s.height);
            w.need(s.height * scale);
            w.space(8.0);
            w.need(s.height * scale);
            let alt = s.description.clone();
            w.put(s.clone(), scale, Role::Figure { alt });
            if let Some(p) = &d.profiles {
                let scale = CONTENT_WIDTH_PT / p.width;
                w.space(12.0);
                if p.height * scale <= CONTENT_HEIGHT_PT {
                    w.need(p.height * scale);
                } else {
                    w.need(CONTENT_HEIGHT_PT * 0.4);
                }
                let alt = format!("{}. {}", p.title, p.description);
                w.figure(p, 0.0, scale, &alt);
            }
            w.y += 10.0;
        }
        Err(e) => {
            w.space(8.0);
            w.paragraph(&format!("Carte non disponible : {e}"), NOTE);
        }
    }
}

fn method_name(m: &Method) -> &'static str {
    match m {
        Method::Quantiles => "quantiles (effectifs égaux)",
        Method::EqualIntervals => "intervalles égaux",
        Method::Jenks => "seuils naturels (Jenks)",
        Method::StdDev => "moyenne ± écart type",
        Method::Manual { .. } => "seuils manuels",
    }
}

// ---- sources and methods ---------------------------------------------------------

/// What each status means, for the conventions.
fn convention(s: Status) -> &'static str {
    match s {
        Status::Value => "",
        Status::Secret => {
            "la source ne diffuse pas la valeur, trop peu de personnes ou de ménages étant concernés ; \
             elle n'est jamais remplacée par zéro, ni dans les graphiques ni sur les cartes (hachures)."
        }
        Status::NotAvailable => "la source ne publie rien pour ce territoire ou cette année.",
        Status::BottomCoded => {
            "taux de pauvreté Filosofi publié sous ce seuil, sans valeur plus précise ; il est montré \
             comme tel et compté à part sur les cartes."
        }
        Status::Approximate => {
            "compte approché, reconstitué à partir de pourcentages arrondis (IRIS) : à lire comme un \
             ordre de grandeur."
        }
        Status::Partial => {
            "valeur calculée sur les seules communes des Pays de la Loire d'une intercommunalité qui \
             déborde la région : elle ne couvre qu'une partie du territoire."
        }
    }
}

/// A titled entry: a bold first line, then details, kept together.
fn entry(w: &mut Writer, title: &str, details: &[String]) {
    let mut ls = lines(title, Style { size: 10.0, line_height: 13.5, weight: Weight::Bold, color: INK }, 0.0);
    for d in details.iter().filter(|d| !d.trim().is_empty()) {
        ls.extend(lines(d, Style { size: 9.5, line_height: 12.5, weight: Weight::Regular, color: INK }, 10.0));
    }
    w.text(title, &ls, Role::Paragraph, true);
    w.y += 5.0;
}

type Drawn<'a> = (&'a MapRequest, Result<map::MapDrawing, map::MapError>);

fn methods(w: &mut Writer, pack: &Pack, snap: &Snapshot, maps: &[Drawn<'_>]) {
    w.new_page();
    w.heading_text("Sources et méthodes", 18.0);

    w.heading_text("Sources", 14.0);
    w.paragraph(
        "Toutes les sources du pack de données, avec leur millésime, leur géographie et leurs précautions \
         d'emploi. Chaque infographie et chaque carte indiquent les sources de leurs chiffres.",
        NOTE,
    );
    w.y += 4.0;
    for s in pack.sources() {
        let mut details = vec![format!("Millésime {} ; géographie : {}.", s.vintage(), s.geography())];
        if !s.note().is_empty() {
            details.push(s.note().to_string());
        }
        entry(w, s.label(), &details);
    }

    w.heading_text("Définitions des indicateurs", 14.0);
    let mut seen: Vec<&str> = Vec::new();
    for f in snap.panels.iter().flat_map(figures) {
        if f.indicator.is_empty() || seen.contains(&f.indicator.as_str()) {
            continue;
        }
        seen.push(&f.indicator);
        let Ok(ind) = pack.indicator(&f.indicator) else { continue };
        let definition = if ind.definition().is_empty() { "Définition non précisée." } else { ind.definition() };
        entry(w, ind.label(), &[definition.to_string()]);
    }

    w.heading_text("Conventions", 14.0);
    w.paragraph(
        "Une valeur absente n'est jamais montrée comme un zéro : elle est remplacée par la mention de son statut.",
        NOTE,
    );
    w.y += 4.0;
    for s in Status::ALL.into_iter().filter(|s| *s != Status::Value) {
        entry(w, &format!("« {} »", s.label_fr()), &[convention(s).to_string()]);
    }

    if !maps.is_empty() {
        w.heading_text("Méthodes des cartes", 14.0);
        for (request, result) in maps {
            let Ok(d) = result else { continue };
            let r = &d.response;
            let mut details = Vec::new();
            match &request.layer {
                Layer::Choropleth { method, classes, circles, .. } => {
                    let k = r.breaks.len().saturating_sub(1).max(1);
                    let mut m = format!("Classification : {}, {} classes", method_name(method), k);
                    if k != *classes && !matches!(method, Method::Manual { .. }) {
                        m.push_str(&format!(" ({classes} demandées)"));
                    }
                    m.push('.');
                    details.push(m);
                    let entries: Vec<String> = r
                        .legend
                        .iter()
                        .map(|e| {
                            let n = if e.count == 1 { "territoire" } else { "territoires" };
                            format!("{} : {} {n}", e.label, e.count)
                        })
                        .collect();
                    details.push(format!("Classes : {}.", entries.join(" ; ")));
                    if *circles {
                        details.push(
                            "Cercles proportionnels au nombre de personnes pauvres (surface proportionnelle à l'effectif)."
                                .into(),
                        );
                    }
                }
                Layer::DensityGrid => {
                    details.push("Grille communale de densité de l'Insee ; niveau majoritaire (en population) pour les intercommunalités.".into());
                }
                Layer::Typology { .. } => {
                    if let Some(t) = &r.typology {
                        details.push(format!("Méthode : {}", t.method));
                        let vars: Vec<String> = t.variables.iter().map(|(_, l, y)| format!("{l} ({y})")).collect();
                        details.push(format!("Variables : {}.", vars.join(" ; ")));
                        let classes: Vec<String> = t
                            .classes
                            .iter()
                            .enumerate()
                            .map(|(i, c)| format!("{} – {} ({} territoires)", i + 1, c.label, c.size))
                            .collect();
                        details.push(format!("Classes : {}.", classes.join(" ; ")));
                    }
                }
            }
            details.extend(r.sources.iter().cloned());
            entry(w, &r.title, &details);
        }
    }

    w.y += 12.0;
    w.paragraph(
        &format!(
            "Document produit par le portrait de territoire à partir du pack de données construit le {}. \
             Les chiffres sont ceux des sources citées ; les phrases de lecture sont calculées à partir d'eux.",
            french_date(pack.build_date())
        ),
        NOTE,
    );
}
