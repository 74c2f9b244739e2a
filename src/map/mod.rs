//! Maps: choropleths, proportional circles and typologies drawn from the
//! pack's projected geometry as scenes.
//!
//! [`draw`] resolves the view (which territories, which level of detail),
//! computes the thematic layer ([`choropleth`], [`thematic`]), lays the
//! map out (title, map area, legend column or band, scale bar, sources),
//! projects the arcs ([`project`]) and writes the scene as SVG. Every
//! territory's path carries `data-id` = its key, and the response lists
//! them in drawing order with their figure and legend entry. The study
//! territory and its comparisons are outlined in one group, `<g
//! data-outlines="">` (always there, empty when nothing is outlined), that
//! [`outlines`] gives alone: a page swaps it when only the highlight
//! changes.

pub mod model;

mod choropleth;
mod colors;
mod legend;
pub mod palette;
pub mod project;
mod thematic;

pub use model::*;

use std::fmt;

use crate::pack::{Pack, PackError, TerritoryRef};
use crate::report::Figure;
use crate::scene::{Color, Fill, Item, Scene, Stroke, Weight};
use crate::schema::{ArchivedFeature, ArchivedLod, TerritoryKind};

use colors::{INK, MUTED};
use project::{Arcs, BBox, Frame, Rect};

/// Why a map cannot be drawn; the message is in French and reaches the
/// page's users as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct MapError(pub String);

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MapError {}

impl From<PackError> for MapError {
    fn from(e: PackError) -> Self {
        MapError(e.to_string())
    }
}

impl From<crate::classify::ClassifyError> for MapError {
    fn from(e: crate::classify::ClassifyError) -> Self {
        MapError(format!("classification impossible : {e}"))
    }
}

pub(crate) fn err<T>(m: impl Into<String>) -> Result<T, MapError> {
    Err(MapError(m.into()))
}

/// Outer margin.
const M: f64 = 16.0;

/// The territories a view shows.
pub(crate) struct ViewData<'p> {
    pub lod: &'p ArchivedLod,
    pub kind: TerritoryKind,
    pub features: Vec<(&'p ArchivedFeature, TerritoryRef<'p>)>,
    pub bbox: BBox,
    /// "Intercommunalités des Pays de la Loire"
    pub label: String,
    /// "par intercommunalité"
    pub per: &'static str,
}

fn layer(pack: &Pack, kind: TerritoryKind) -> &[ArchivedFeature] {
    pack.data().geometry.layers.iter().find(|l| l.kind == kind as u8).map(|l| &l.features[..]).unwrap_or(&[])
}

fn lod<'p>(pack: &'p Pack, name: &str) -> Result<&'p ArchivedLod, MapError> {
    let lods = &pack.data().geometry.lods;
    lods.iter()
        .find(|l| l.name == name)
        .or_else(|| lods.first())
        .ok_or_else(|| MapError("le pack ne contient aucun contour : carte impossible".into()))
}

fn resolve_view<'p>(pack: &'p Pack, view: &View) -> Result<ViewData<'p>, MapError> {
    let (kind, lod_name, label, per) = match view {
        View::PdlEpci => (
            TerritoryKind::Epci,
            "region",
            "Intercommunalités des Pays de la Loire".to_string(),
            "par intercommunalité",
        ),
        View::FranceEpci => (
            TerritoryKind::Epci,
            "france",
            "Intercommunalités de France métropolitaine".to_string(),
            "par intercommunalité",
        ),
        View::DepartementEpci { departement } => {
            let dep = departement_of(pack, departement)?;
            (
                TerritoryKind::Epci,
                "region",
                format!("Intercommunalités — {} ({})", dep.name(), dep.code()),
                "par intercommunalité",
            )
        }
        View::PdlCommunes => {
            (TerritoryKind::Commune, "region", "Communes des Pays de la Loire".to_string(), "par commune")
        }
    };
    let dep = match view {
        View::DepartementEpci { departement } => Some(departement_of(pack, departement)?.index),
        _ => None,
    };
    let mut features = Vec::new();
    for f in layer(pack, kind) {
        let Some(t) = pack.territory(f.territory.to_native()) else { continue };
        let keep = match view {
            View::PdlEpci => t.pdl() != crate::schema::PdlCoverage::Outside,
            View::FranceEpci => t.metro(),
            View::DepartementEpci { .. } => t.departements().any(|d| Some(d.index) == dep),
            View::PdlCommunes => true,
        };
        if keep {
            features.push((f, t));
        }
    }
    if features.is_empty() {
        return err(format!("aucun contour pour cette vue ({label}) dans le pack"));
    }
    let bbox = features.iter().map(|(f, _)| project::bbox_of(f)).reduce(project::union).unwrap_or([0.0; 4]);
    Ok(ViewData { lod: lod(pack, lod_name)?, kind, features, bbox, label, per })
}

fn departement_of<'p>(pack: &'p Pack, code: &str) -> Result<TerritoryRef<'p>, MapError> {
    let bare = code.trim().strip_prefix("dep:").unwrap_or(code.trim());
    pack.territories_by_code(&format!("dep:{bare}"))
        .into_iter()
        .next()
        .ok_or_else(|| MapError(format!("département inconnu : « {} »", code.trim())))
}

/// A legend entry drawn with `fill` (hatched entries give their
/// background colour).
pub(crate) fn entry(label: impl Into<String>, fill: Fill) -> (LegendEntry, Fill) {
    let (color, hatched) = match fill {
        Fill::Solid(c) => (c.hex(), false),
        Fill::Hatched { background, .. } => (background.hex(), true),
        Fill::Translucent { color, opacity } => (blend(color, Color::WHITE, opacity).hex(), false),
        Fill::None => (Color::WHITE.hex(), false),
    };
    (LegendEntry { label: label.into(), color, hatched, count: 0 }, fill)
}

/// How one territory is drawn.
pub(crate) struct Styled {
    pub fill: Fill,
    pub figure: Option<Figure>,
    pub class: Option<usize>,
    pub legend: usize,
}

/// Proportional circles: (feature index, value), and what they count.
pub(crate) struct Circles {
    pub title: String,
    pub values: Vec<(usize, f64)>,
}

/// A thematic layer, ready to lay out.
pub(crate) struct Thematic {
    pub title: String,
    pub legend_title: String,
    pub sources: Vec<String>,
    /// One per feature of the view, same order.
    pub styles: Vec<Styled>,
    pub legend: Vec<(LegendEntry, Fill)>,
    pub breaks: Vec<f64>,
    pub circles: Option<Circles>,
    pub typology: Option<TypologyView>,
}

/// A map as a scene rather than SVG (the PDF export places the same scene
/// as the screen): the map, the class profiles of a typology, and the
/// response [`draw`] returns.
#[derive(Debug, Clone)]
pub struct MapDrawing {
    pub scene: Scene,
    /// For a typology: its class profiles ([`TypologyView::profiles_svg`]
    /// as a scene).
    pub profiles: Option<Scene>,
    pub response: MapResponse,
}

/// Draws a map.
pub fn draw(pack: &Pack, request: &MapRequest) -> Result<MapResponse, MapError> {
    draw_scene(pack, request).map(|d| d.response)
}

/// Draws a map reusing the geometry `cache` holds for `pack` (see
/// [`MapCache`]): the same bytes as [`draw`], faster when the view and the
/// map area are those of a recent draw (another indicator, classification,
/// palette or highlight).
pub fn draw_cached(pack: &Pack, cache: &MapCache, request: &MapRequest) -> Result<MapResponse, MapError> {
    draw_scene_with(pack, Some(cache), request).map(|d| d.response)
}

/// Draws a map and keeps its scenes.
pub fn draw_scene(pack: &Pack, request: &MapRequest) -> Result<MapDrawing, MapError> {
    draw_scene_with(pack, None, request)
}

/// The screen geometry of the views drawn last, which does not depend on
/// what the map shows: the projected arcs, each territory's path, the
/// masks of the arcs drawn and the border meshes. A re-colour (indicator,
/// classes, palette, circles) or a highlight change over the same view and
/// map area then only recomputes fills, outlines and the legend.
///
/// It also remembers where the maps drawn last sit ([`Placement`]: their
/// projection frame, height and title, which depend on the legend and
/// the sources), so that [`outlines_cached`] of one of them with another
/// highlight skips the thematic layer and the layout.
///
/// A cache belongs to one pack (the viewer that owns both); an entry is
/// found by its view, its exact projection frame and the pack's address,
/// and at most [`MapCache::ENTRIES`] views are kept, the most recent first
/// (and [`MapCache::PLACEMENTS`] placements, found by the pack's address
/// and the whole request but its highlight).
#[derive(Default)]
pub struct MapCache {
    entries: std::cell::RefCell<Vec<Geometry>>,
    placements: std::cell::RefCell<Vec<Placement>>,
}

impl MapCache {
    /// Views kept: the page switches between at most a few.
    pub const ENTRIES: usize = 3;

    pub fn new() -> MapCache {
        MapCache::default()
    }

    fn take(&self, key: &GeometryKey) -> Option<Geometry> {
        let mut entries = self.entries.borrow_mut();
        let i = entries.iter().position(|g| g.key == *key)?;
        Some(entries.remove(i))
    }

    fn put(&self, geometry: Geometry) {
        let mut entries = self.entries.borrow_mut();
        entries.insert(0, geometry);
        entries.truncate(Self::ENTRIES);
    }

    /// Placements kept: a few layers and sizes of the views kept.
    pub const PLACEMENTS: usize = 6;

    /// Where the map `request` (whatever its highlight) was last laid out.
    fn placement(&self, pack: &Pack, request: &MapRequest) -> Option<Placement> {
        let key = PlacementKey::of(pack, request);
        let mut placements = self.placements.borrow_mut();
        let i = placements.iter().position(|p| p.key == key)?;
        let found = placements.remove(i);
        placements.insert(0, found.clone());
        Some(found)
    }

    fn place(&self, placement: Placement) {
        let mut placements = self.placements.borrow_mut();
        placements.retain(|p| p.key != placement.key);
        placements.insert(0, placement);
        placements.truncate(Self::PLACEMENTS);
    }
}

/// Where a map sits, as its layout found it: what [`outlines_cached`]
/// needs besides the geometry. A pure function of the pack and the request
/// without its highlight (the highlight only changes the outlines group),
/// hence its key.
#[derive(Clone)]
struct Placement {
    key: PlacementKey,
    frame: Frame,
    /// The map's height (the legend may lengthen it) and title.
    height: f64,
    title: String,
}

/// The pack's address and the request but its highlight, compared exactly
/// (sizes bit for bit).
#[derive(Clone, PartialEq)]
struct PlacementKey {
    pack: usize,
    view: View,
    layer: Layer,
    size: [u64; 2],
}

impl PlacementKey {
    fn of(pack: &Pack, request: &MapRequest) -> PlacementKey {
        PlacementKey {
            pack: pack_address(pack),
            view: request.view.clone(),
            layer: request.layer.clone(),
            size: [request.width.to_bits(), request.height.to_bits()],
        }
    }
}

impl Placement {
    fn new(pack: &Pack, request: &MapRequest, frame: Frame, height: f64, title: &str) -> Placement {
        Placement { key: PlacementKey::of(pack, request), frame, height, title: title.to_string() }
    }
}

/// The pack's address, which tells a cache's entries of another pack apart.
fn pack_address(pack: &Pack) -> usize {
    pack.data() as *const _ as usize
}

#[derive(Clone, PartialEq)]
struct GeometryKey {
    pack: usize,
    view: View,
    frame: [u64; 5],
}

/// What [`MapCache`] keeps of one view drawn in one frame.
struct Geometry {
    key: GeometryKey,
    /// [`Arcs::into_points`].
    points: Vec<Option<Vec<(f64, f64)>>>,
    /// One per feature of the view, in its order.
    paths: Vec<Vec<crate::scene::PathCmd>>,
    /// Arcs of the view's territories, and of their whole layer.
    drawn: Vec<bool>,
    whole: Vec<bool>,
    /// Départements then régions ("Limites administratives").
    borders: Vec<Item>,
}

impl Geometry {
    fn build(pack: &Pack, view: &ViewData<'_>, frame: Frame, key: GeometryKey) -> Geometry {
        let mut arcs = Arcs::new(view.lod, frame);
        let n = arcs.arc_count();
        let paths = view.features.iter().map(|(f, _)| arcs.feature_path(f)).collect();
        // Départements, then régions, each clipped to what the view draws.
        let drawn = project::arcs_of(view.features.iter().map(|(f, _)| *f), n);
        let whole = project::arcs_of(layer(pack, view.kind).iter(), n);
        let mut borders = Vec::new();
        let region_arcs = clip(&mut arcs, view, &drawn, &whole, layer(pack, TerritoryKind::Region));
        let mut dep_arcs = clip(&mut arcs, view, &drawn, &whole, layer(pack, TerritoryKind::Departement));
        for (d, r) in dep_arcs.iter_mut().zip(&region_arcs) {
            *d &= !*r;
        }
        let (dep_w, reg_w) =
            if view.kind == TerritoryKind::Epci && frame.scale * 1000.0 < 1.0 { (0.6, 1.2) } else { (0.8, 1.5) };
        for (mask, color, width) in [(&dep_arcs, colors::DEP_BORDER, dep_w), (&region_arcs, colors::REG_BORDER, reg_w)]
        {
            let commands = arcs.mesh(mask);
            if !commands.is_empty() {
                borders.push(Item::Path {
                    commands,
                    fill: Fill::None,
                    stroke: Some(Stroke { color, width, dash: 0.0 }),
                    id: None,
                });
            }
        }
        Geometry { key, points: arcs.into_points(), paths, drawn, whole, borders }
    }
}

fn draw_scene_with(pack: &Pack, cache: Option<&MapCache>, request: &MapRequest) -> Result<MapDrawing, MapError> {
    let (view, highlights, mut them) = prepare(pack, request)?;
    let laid = layout(pack, cache, &request.view, &view, &mut them, &highlights, request.width, request.height, true);
    let Laid { mut scene, outlines, at, features, frame } = laid;
    if let Some(cache) = cache {
        cache.place(Placement::new(pack, request, frame, scene.height, &them.title));
    }
    let svg = crate::render::svg::to_svg_with_marked_group(&scene, at, OUTLINES_MARKER, &outlines);
    // The PDF draws the same scene: the outlines go in it (when there are).
    if matches!(&outlines, Item::Group { items, .. } if !items.is_empty()) {
        scene.items.insert(at, outlines);
    }
    let response = MapResponse {
        svg,
        title: them.title.clone(),
        sources: them.sources.clone(),
        features,
        legend: them.legend.iter().map(|(e, _)| e.clone()).collect(),
        breaks: them.breaks.clone(),
        typology: them.typology.clone(),
    };
    let profiles = them.typology.as_ref().map(thematic::profiles_scene);
    Ok(MapDrawing { scene, profiles, response })
}

/// The marker of the map's highlight outlines: the group `<g
/// data-outlines="">`, see [`MapResponse::svg`].
pub const OUTLINES_MARKER: &str = "outlines";

/// Only the highlight outlines of the map `request` asks for: a standalone
/// SVG document of the map's size (same `width`, `height` and `viewBox`)
/// whose one drawn element is the group `<g data-outlines="">`, byte for
/// byte the one [`draw`] writes in the map for the same request (empty,
/// with no label, when nothing is outlined). A page that shows the map
/// with another highlight swaps its group for this one instead of
/// redrawing the whole map.
pub fn outlines(pack: &Pack, request: &MapRequest) -> Result<String, MapError> {
    outlines_with(pack, None, request)
}

/// [`outlines`] reusing what `cache` holds (see [`MapCache`]): the same
/// bytes; when the same map (any highlight) was drawn or outlined through
/// it, neither the thematic layer nor the layout is computed again, only
/// the outlines (over the cached geometry of the view).
pub fn outlines_cached(pack: &Pack, cache: &MapCache, request: &MapRequest) -> Result<String, MapError> {
    outlines_with(pack, Some(cache), request)
}

fn outlines_with(pack: &Pack, cache: Option<&MapCache>, request: &MapRequest) -> Result<String, MapError> {
    if let Some((cache, placed)) = cache.and_then(|c| Some((c, c.placement(pack, request)?))) {
        // The map was laid out (for another highlight): the view, the
        // highlight and the outlines only. Same checks, in the same order,
        // as `prepare` (the size and the layer passed then).
        let view = resolve_view(pack, &request.view)?;
        let highlights = resolve_highlights(pack, &request.highlight)?;
        let key = GeometryKey { pack: pack_address(pack), view: request.view.clone(), frame: placed.frame.key() };
        let mut geometry = cache.take(&key).unwrap_or_else(|| Geometry::build(pack, &view, placed.frame, key.clone()));
        let mut arcs = Arcs::with_points(view.lod, placed.frame, std::mem::take(&mut geometry.points));
        let outlines = highlight_outlines(pack, &view, &mut arcs, &geometry.drawn, &geometry.whole, &highlights);
        geometry.points = arcs.into_points();
        cache.put(geometry);
        return Ok(outlines_page(request.width, placed.height, &placed.title, &outlines));
    }
    // The thematic layer too: the legend and the sources place the map area.
    let (view, highlights, mut them) = prepare(pack, request)?;
    let laid = layout(pack, cache, &request.view, &view, &mut them, &highlights, request.width, request.height, false);
    if let Some(cache) = cache {
        cache.place(Placement::new(pack, request, laid.frame, laid.scene.height, &them.title));
    }
    Ok(outlines_page(laid.scene.width, laid.scene.height, &them.title, &laid.outlines))
}

/// The standalone document of [`outlines`]: the map's size, the outlines
/// group alone.
fn outlines_page(width: f64, height: f64, map_title: &str, outlines: &Item) -> String {
    let label = match outlines {
        Item::Group { label: Some(l), .. } => l.clone(),
        _ => "Aucun territoire mis en évidence".to_string(),
    };
    let page = Scene {
        width,
        height,
        title: label,
        description: format!("Contours seuls de la carte « {map_title} »."),
        items: Vec::new(),
    };
    crate::render::svg::to_svg_with_marked_group(&page, 0, OUTLINES_MARKER, outlines)
}

/// What a request draws: its view, its highlight and its thematic layer
/// (its size checked first).
fn prepare<'p>(pack: &'p Pack, request: &MapRequest) -> Result<Prepared<'p>, MapError> {
    let (w, h) = (request.width, request.height);
    if !(w.is_finite() && h.is_finite() && (240.0..=4000.0).contains(&w) && (200.0..=4000.0).contains(&h)) {
        return err(format!(
            "taille de carte invalide ({} × {} px) : largeur de 240 à 4000 px, hauteur de 200 à 4000 px",
            crate::format::number(w, 0),
            crate::format::number(h, 0)
        ));
    }
    let view = resolve_view(pack, &request.view)?;
    let highlights = resolve_highlights(pack, &request.highlight)?;
    let them = match &request.layer {
        Layer::Choropleth { indicator, year, method, classes, palette, circles } => {
            choropleth::build(pack, &view, indicator, *year, method, *classes, palette.as_deref(), *circles)?
        }
        Layer::DensityGrid => thematic::density_grid(pack, &view)?,
        Layer::Typology { id, variables, classes } => {
            thematic::typology(pack, &view, id.as_deref(), variables, *classes)?
        }
    };
    Ok((view, highlights, them))
}

type Prepared<'p> = (ViewData<'p>, Vec<TerritoryRef<'p>>, Thematic);

fn resolve_highlights<'p>(pack: &'p Pack, codes: &[String]) -> Result<Vec<TerritoryRef<'p>>, MapError> {
    let mut out: Vec<TerritoryRef<'p>> = Vec::new();
    for c in codes.iter().filter(|c| !c.trim().is_empty()) {
        let t = pack.territory_by_code(c, out.first().copied())?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// The indicators a choropleth can show (rates, shares, amounts, medians),
/// with their years, for the page's select.
pub fn indicators(pack: &Pack) -> Vec<MapIndicator> {
    pack.indicators()
        .filter(|i| choropleth::mappable(i.kind()))
        .map(|i| MapIndicator {
            id: i.id().to_string(),
            label: i.label().to_string(),
            unit: i.unit().key(),
            kind: i.kind().key(),
            theme: i.theme().to_string(),
            years: pack.years(i),
            diverging: choropleth::is_evolution(i.id()),
        })
        .filter(|i| !i.years.is_empty())
        .collect()
}

/// A map laid out: its scene without the highlight outlines, which go
/// before `scene.items[at]`, and its features.
struct Laid {
    scene: Scene,
    /// [`highlight_outlines`].
    outlines: Item,
    at: usize,
    features: Vec<MapFeature>,
    /// Where the map area sits (see [`Placement`]).
    frame: Frame,
}

/// Lays the map out. Without `whole`, only what places the outlines and
/// sizes the map (no territories, borders or circles: for [`outlines`]).
#[allow(clippy::too_many_arguments)]
fn layout(
    pack: &Pack,
    cache: Option<&MapCache>,
    request_view: &View,
    view: &ViewData<'_>,
    them: &mut Thematic,
    highlights: &[TerritoryRef<'_>],
    w: f64,
    h: f64,
    whole: bool,
) -> Laid {
    // The figures move to the response (1230 of them for France: no copy).
    let figures: Vec<Option<Figure>> = them.styles.iter_mut().map(|s| s.figure.take()).collect();
    let them = &*them;
    let mut items: Vec<Item> = vec![Item::Rect {
        x: 0.0,
        y: 0.0,
        width: w,
        height: h,
        fill: Fill::Solid(Color::WHITE),
        stroke: None,
        id: None,
    }];
    // Header.
    let mut y = legend::paragraph(&mut items, &them.title, M, M - 2.0, 17.0, Weight::Bold, INK, w - 2.0 * M, 2);
    y = legend::paragraph(&mut items, &view.label, M, y + 2.0, 12.0, Weight::Regular, MUTED, w - 2.0 * M, 2);
    let header = y + 10.0;
    // Sources, measured now, drawn at the bottom.
    let mut scratch = Vec::new();
    let sources_h: f64 = them
        .sources
        .iter()
        .map(|s| legend::paragraph(&mut scratch, s, 0.0, 0.0, 10.0, Weight::Regular, MUTED, w - 2.0 * M, 3))
        .sum();
    let side = w >= 620.0;
    let lw = if side { (w * 0.3).clamp(200.0, 280.0) } else { w - 2.0 * M };
    let map_w = if side { w - 3.0 * M - lw } else { w - 2.0 * M };
    let rmax = (map_w * 0.06).clamp(10.0, 40.0);
    let cmax = them.circles.as_ref().map(|c| c.values.iter().map(|v| v.1).fold(0.0, f64::max)).unwrap_or(0.0);
    let radius = move |v: f64| if cmax > 0.0 { rmax * (v.max(0.0) / cmax).sqrt() } else { 0.0 };
    // The legend block without the scale bar, measured.
    let legend_block = |items: &mut Vec<Item>, x: f64, top: f64| -> f64 {
        let rows: Vec<legend::Row<'_>> = them
            .legend
            .iter()
            .map(|(e, fill)| legend::Row { fill: *fill, label: &e.label, count: Some(e.count) })
            .collect();
        let mut y = legend::entries(items, &them.legend_title, &rows, x, top, lw);
        if let Some(c) = &them.circles {
            let values = legend::circle_values(cmax);
            if !values.is_empty() {
                let fill = blend(colors::CIRCLE_FILL, Color::WHITE, CIRCLE_OPACITY);
                y = legend::circles(items, &c.title, &values, radius, fill, x, y + 12.0, lw);
            }
        }
        y
    };
    let legend_h = legend_block(&mut scratch, 0.0, 0.0) + 34.0;
    let bottom = h - M - sources_h - 6.0;
    let (map, legend_x, legend_top) = if side {
        (Rect { x: M, y: header, width: map_w, height: (bottom - header).max(120.0) }, w - M - lw, header + 2.0)
    } else {
        let mh = (bottom - header - legend_h - 8.0).max(120.0);
        (Rect { x: M, y: header, width: map_w, height: mh }, M, header + mh + 8.0)
    };
    let frame = Frame::fit(view.bbox, map);
    let key = GeometryKey { pack: pack_address(pack), view: request_view.clone(), frame: frame.key() };
    let mut geometry =
        cache.and_then(|c| c.take(&key)).unwrap_or_else(|| Geometry::build(pack, view, frame, key.clone()));
    let points = std::mem::take(&mut geometry.points);
    let mut arcs = Arcs::with_points(view.lod, frame, points);

    // Territories, in layer order, each with its key and a thin white
    // border (drawn twice where two meet, but one mesh path would cost more
    // bytes than the stroke attributes).
    let fine = if view.kind == TerritoryKind::Commune || frame.scale * 1000.0 < 0.8 { 0.3 } else { 0.5 };
    let mesh = Stroke { color: colors::MESH, width: fine, dash: 0.0 };
    let mut features = Vec::new();
    if whole {
        let mut fills = Vec::with_capacity(view.features.len());
        features.reserve(view.features.len());
        for ((((_, t), s), path), figure) in view.features.iter().zip(&them.styles).zip(&geometry.paths).zip(figures) {
            let key = t.key();
            fills.push(Item::Path { commands: path.clone(), fill: s.fill, stroke: Some(mesh), id: Some(key.clone()) });
            features.push(MapFeature { key, name: t.name().to_string(), figure, class: s.class, legend: s.legend });
        }
        items.push(Item::Group { label: Some(format!("Territoires ({})", view.features.len())), items: fills });
        items.push(Item::Group { label: Some("Limites administratives".into()), items: geometry.borders.clone() });
    }

    // Proportional circles, largest first so small ones stay visible.
    if let (true, Some(c)) = (whole, &them.circles) {
        let mut order: Vec<&(usize, f64)> = c.values.iter().filter(|v| v.1 > 0.0).collect();
        crate::sort::by(&mut order, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let dots: Vec<Item> = order
            .iter()
            .map(|(i, v)| {
                let (f, t) = view.features[*i];
                let (cx, cy) = frame.point(f.anchor[0].to_native() as f64, f.anchor[1].to_native() as f64);
                Item::Circle {
                    cx,
                    cy,
                    r: radius(*v),
                    fill: Fill::Translucent { color: colors::CIRCLE_FILL, opacity: CIRCLE_OPACITY },
                    stroke: Some(Stroke { color: colors::CIRCLE_STROKE, width: 0.7, dash: 0.0 }),
                    id: Some(t.key()),
                }
            })
            .collect();
        items.push(Item::Group { label: Some(CIRCLES_LABEL.into()), items: dots });
    }

    // The study territory and its comparisons, outlined: written apart
    // from the scene (it goes here, after the circles).
    let at = items.len();
    let outlines = highlight_outlines(pack, view, &mut arcs, &geometry.drawn, &geometry.whole, highlights);

    if let Some(cache) = cache {
        geometry.points = arcs.into_points();
        cache.put(geometry);
    }

    // Legend, scale bar, sources.
    let mut y = legend_block(&mut items, legend_x, legend_top);
    y = legend::scale_bar(&mut items, frame.scale, (lw * 0.45).min(map.width * 0.25), legend_x, y + 8.0);
    let height = h.max((y + sources_h + M + 8.0).ceil());
    let mut sy = height - M - sources_h;
    legend::rule(&mut items, M, w - M, sy - 4.0);
    for s in &them.sources {
        sy = legend::paragraph(&mut items, s, M, sy, 10.0, Weight::Regular, MUTED, w - 2.0 * M, 3);
    }
    if let Some(Item::Rect { height: bg, .. }) = items.first_mut() {
        *bg = height;
    }

    let scene = Scene { width: w, height, title: them.title.clone(), description: description(view, them), items };
    Laid { scene, outlines, at, features, frame }
}

/// The study territory and its comparisons (`highlights`, study first),
/// outlined over the view: a white halo under a coloured stroke, the study
/// thicker and solid, comparisons dashed, each clipped to the arcs the view
/// draws (`drawn`, `whole`: see [`clip_mask`]). A territory mostly outside
/// the view is left out. Always a group, so that the map always has one to
/// swap ([`OUTLINES_MARKER`]): empty and unlabelled when nothing is
/// outlined.
fn highlight_outlines(
    pack: &Pack,
    view: &ViewData<'_>,
    arcs: &mut Arcs<'_>,
    drawn: &[bool],
    whole: &[bool],
    highlights: &[TerritoryRef<'_>],
) -> Item {
    let n = arcs.arc_count();
    let mut outlines = Vec::new();
    let mut outlined = Vec::new();
    for (i, t) in highlights.iter().enumerate().rev() {
        let Some(f) = layer(pack, t.kind()).iter().find(|f| f.territory.to_native() == t.index) else { continue };
        if project::overlap(project::bbox_of(f), view.bbox) < 0.5 {
            continue;
        }
        let own = project::arcs_of(std::iter::once(f), n);
        let keep = clip_mask(arcs, view, drawn, whole, &own);
        let commands = arcs.outline(f, &keep);
        if commands.is_empty() {
            continue;
        }
        let (color, width, dash) = if i == 0 { (colors::STUDY, 2.6, 0.0) } else { (colors::COMPARISON, 1.6, 4.0) };
        outlines.push(Item::Path {
            commands: commands.clone(),
            fill: Fill::None,
            stroke: Some(Stroke { color: Color::WHITE, width: width + 1.6, dash: 0.0 }),
            id: None,
        });
        outlines.push(Item::Path { commands, fill: Fill::None, stroke: Some(Stroke { color, width, dash }), id: None });
        outlined.insert(0, t.name());
    }
    let label = (!outlines.is_empty()).then(|| format!("Territoires mis en évidence : {}", outlined.join(", ")));
    Item::Group { label, items: outlines }
}

const CIRCLES_LABEL: &str = "Cercles proportionnels";
/// Circles let the choropleth under them show through.
const CIRCLE_OPACITY: f64 = 0.55;

fn blend(c: Color, over: Color, alpha: f64) -> Color {
    let m = |a: u8, b: u8| (a as f64 * alpha + b as f64 * (1.0 - alpha)).round() as u8;
    Color(m(c.0, over.0), m(c.1, over.1), m(c.2, over.2))
}

/// Arcs of `layer` to draw over the view: those the view's territories
/// share, and those inside a drawn territory (a département border that
/// crosses an EPCI straddling two départements belongs to no EPCI ring).
fn clip(
    arcs: &mut Arcs<'_>,
    view: &ViewData<'_>,
    drawn: &[bool],
    whole: &[bool],
    layer: &[ArchivedFeature],
) -> Vec<bool> {
    let own = project::arcs_of(layer.iter(), drawn.len());
    clip_mask(arcs, view, drawn, whole, &own)
}

fn clip_mask(arcs: &mut Arcs<'_>, view: &ViewData<'_>, drawn: &[bool], whole: &[bool], own: &[bool]) -> Vec<bool> {
    (0..own.len())
        .map(|a| {
            if !own[a] {
                return false;
            }
            if drawn[a] {
                return true;
            }
            if whole[a] {
                return false;
            }
            let pts = arcs.metres(a);
            let Some(mid) = pts.get(pts.len() / 2) else { return false };
            let p = [mid[0] as f64, mid[1] as f64];
            view.features.iter().any(|(f, _)| project::contains(arcs, f, p))
        })
        .collect()
}

/// What a screen reader says of the map: the title, the view and the
/// legend with its counts (the full table is next to it on the page).
fn description(view: &ViewData<'_>, them: &Thematic) -> String {
    let entries: Vec<String> = them.legend.iter().map(|(e, _)| format!("{} : {}", e.label, e.count)).collect();
    format!("{}. {}. Légende ({}) : {}.", them.title, view.label, them.legend_title, entries.join(" ; "))
}
