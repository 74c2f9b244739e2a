//! Geometry stage: commune polygons → Lambert-93 shared-arc layers at
//! several levels of detail ([`territoire::schema::Geometry`]).
//!
//! Pipeline:
//! 1. [`read_communes`] reads the COG 2024 commune polygons (WGS84).
//! 2. `planar`: each source vertex is put on the source's own 1e-5° grid
//!    (so vertices equal at the source's precision are one vertex), projected
//!    once to Lambert-93 and rounded to the metre. Neighbouring communes share
//!    bit-identical vertices, so shared borders stay shared. The few places
//!    where the source's two versions of a border disagree (crossings,
//!    T-junctions, slivers of gap or overlap) are repaired by noding the
//!    edges and labelling the faces of the resulting planar graph, so every
//!    edge knows the commune on each side.
//! 3. `topology`: each layer is dissolved from that one graph (keep the
//!    edges whose two sides belong to different territories, exactly); rings
//!    are chained, split at pinch points, classed as exterior/hole by signed
//!    area, holes given to their enclosing exterior.
//! 4. `arcs`: all layers' rings are cut into arcs at the junctions of their
//!    union, so every layer references the same arcs where borders coincide.
//! 5. `simplify`: arcs are simplified per level of detail (Douglas–Peucker
//!    with fixed endpoints, then a topology repair pass so that no ring
//!    self-intersects, collapses or swallows a neighbour).
//!
//! A level of detail with tolerance 0 is the unsimplified geometry: the
//! source vertices, projected and rounded, except where the source's shared
//! borders disagree (see [`CleanStats`]; 10 of the 1,224 unmerged PdL
//! communes get a vertex or two from their neighbour there).
//!
//! Decoding (what the viewer does) is in [`ring_points`] and friends.

mod arcs;
mod decode;
mod grid;
mod lambert;
mod planar;
mod read;
mod simplify;
mod topology;

use std::time::Instant;

use territoire::schema::{self, Feature, Geometry, Layer, Lod, Polygon, Ring, TerritoryKind};

use crate::error::{BuildError, Result};

pub use decode::{arc_points, feature_area_m2, feature_multipolygon, polygon_area_m2, ring_area_m2, ring_points};
pub use lambert::{lambert93, lambert93_inverse};
pub use planar::CleanStats;
pub use read::{parse_communes, read_communes, CommuneGeometry};
pub use simplify::SimplifyStats;

/// The coordinate reference system of every pack geometry.
pub const CRS: &str = "EPSG:2154";

/// One layer to build: which territory each commune belongs to.
#[derive(Debug, Clone)]
pub struct LayerSpec {
    pub kind: TerritoryKind,
    /// One entry per commune, in the order of the `communes` slice: the
    /// territory index of the feature the commune is part of, or
    /// [`schema::NO_TERRITORY`] to leave the commune out of this layer.
    pub assign: Vec<u32>,
}

/// One level of detail to build.
#[derive(Debug, Clone)]
pub struct LodSpec {
    pub name: String,
    /// Douglas–Peucker tolerance in metres; 0 keeps every vertex.
    pub tolerance_m: f64,
}

/// Figures about a build, for the builder's log and for tuning.
#[derive(Debug, Clone, Default)]
pub struct GeometryReport {
    pub communes: usize,
    /// Distinct source vertices and edges.
    pub vertices: usize,
    pub edges: usize,
    pub arcs: usize,
    /// What making the commune mosaic planar had to fix.
    pub clean: CleanStats,
    pub topology_ms: u128,
    pub layers: Vec<LayerReport>,
    pub lods: Vec<LodReport>,
}

#[derive(Debug, Clone)]
pub struct LayerReport {
    pub kind: TerritoryKind,
    pub features: usize,
    pub polygons: usize,
    pub rings: usize,
    /// Total arc references (the layer's size in the pack is ~4 bytes each).
    pub arc_refs: usize,
}

#[derive(Debug, Clone)]
pub struct LodReport {
    pub name: String,
    pub tolerance_m: f64,
    /// Stored points (shared points counted once per arc).
    pub points: usize,
    /// Raw size of `arc_offsets` and `coords` in bytes.
    pub bytes: usize,
    pub simplify: SimplifyStats,
    pub ms: u128,
}

/// Builds the pack geometry. See [`build_geometry_report`].
pub fn build_geometry(communes: &[CommuneGeometry], layers: &[LayerSpec], lods: &[LodSpec]) -> Result<Geometry> {
    build_geometry_report(communes, layers, lods).map(|(g, _)| g)
}

/// Builds the pack geometry: each layer's features sorted by territory
/// index, every level of detail over the same arcs.
pub fn build_geometry_report(
    communes: &[CommuneGeometry],
    layers: &[LayerSpec],
    lods: &[LodSpec],
) -> Result<(Geometry, GeometryReport)> {
    let err = |m: String| BuildError::file(topology::TOPO_FILE, m);
    for (i, l) in layers.iter().enumerate() {
        if l.assign.len() != communes.len() {
            return Err(err(format!(
                "layer {i} ({}): {} assignments for {} communes",
                l.kind.key(),
                l.assign.len(),
                communes.len()
            )));
        }
    }
    for l in lods {
        if !l.tolerance_m.is_finite() || l.tolerance_m < 0.0 {
            return Err(err(format!("level of detail {:?}: bad tolerance {}", l.name, l.tolerance_m)));
        }
    }
    let t0 = Instant::now();
    let (topo, clean) = planar::build_topology(communes)?;
    // NO_TERRITORY and the topology's "no commune" marker are the same
    // value, which dissolve() relies on.
    const _: () = assert!(schema::NO_TERRITORY == topology::NONE);
    let dissolved = layers.iter().map(|l| topology::dissolve(&topo, &l.assign)).collect::<Result<Vec<_>>>()?;
    let (arcs, refs) = arcs::build_arcs(&topo, &dissolved)?;

    // Arc points: the vertices are already Lambert-93 metres.
    let mut base = simplify::ArcPoints { offsets: vec![0], pts: Vec::new() };
    for verts in &arcs.verts {
        base.pts.extend(verts.iter().map(|&v| topo.points[v as usize]));
        base.offsets.push(base.pts.len());
    }
    if base.pts.len() >= u32::MAX as usize || arcs.verts.len() >= i32::MAX as usize {
        return Err(err("geometry too large for the pack format".into()));
    }
    let topology_ms = t0.elapsed().as_millis();

    let mut checks = Vec::new();
    for layer in &refs {
        for (_, polys) in layer {
            for rings in polys {
                for (i, r) in rings.iter().enumerate() {
                    checks.push(simplify::RingCheck { refs: r, exterior: i == 0 });
                }
            }
        }
    }

    let mut out_lods = Vec::with_capacity(lods.len());
    let mut lod_reports = Vec::with_capacity(lods.len());
    for spec in lods {
        let t = Instant::now();
        let (kept, stats) = simplify::simplify(&base, &checks, spec.tolerance_m);
        let mut arc_offsets = Vec::with_capacity(base.len() + 1);
        let mut coords: Vec<i32> = Vec::new();
        arc_offsets.push(0u32);
        for a in 0..base.len() {
            // First point absolute, the others as steps from the previous
            // one (see `schema::Lod::coords`): small numbers gzip well.
            let mut last: Option<[i32; 2]> = None;
            for k in base.range(a) {
                let p = base.pts[k];
                if kept[k] && last != Some(p) {
                    match last {
                        None => coords.extend_from_slice(&p),
                        Some(q) => coords.extend_from_slice(&[p[0] - q[0], p[1] - q[1]]),
                    }
                    last = Some(p);
                }
            }
            arc_offsets.push((coords.len() / 2) as u32);
        }
        lod_reports.push(LodReport {
            name: spec.name.clone(),
            tolerance_m: spec.tolerance_m,
            points: coords.len() / 2,
            bytes: 4 * (coords.len() + arc_offsets.len()),
            simplify: stats,
            ms: t.elapsed().as_millis(),
        });
        out_lods.push(Lod { name: spec.name.clone(), tolerance_m: spec.tolerance_m, arc_offsets, coords });
    }

    let mut out_layers = Vec::with_capacity(layers.len());
    let mut layer_reports = Vec::with_capacity(layers.len());
    for (spec, layer) in layers.iter().zip(refs) {
        let mut rep = LayerReport { kind: spec.kind, features: 0, polygons: 0, rings: 0, arc_refs: 0 };
        let mut features = Vec::with_capacity(layer.len());
        for (territory, polys) in layer {
            let mut bbox = [i32::MAX, i32::MAX, i32::MIN, i32::MIN];
            for rings in &polys {
                for &r in &rings[0] {
                    let a = if r >= 0 { r as usize } else { !r as usize };
                    for p in &base.pts[base.range(a)] {
                        bbox = [bbox[0].min(p[0]), bbox[1].min(p[1]), bbox[2].max(p[0]), bbox[3].max(p[1])];
                    }
                }
            }
            rep.features += 1;
            rep.polygons += polys.len();
            let polygons: Vec<Polygon> = polys
                .into_iter()
                .map(|rings| Polygon {
                    rings: rings
                        .into_iter()
                        .map(|arcs| {
                            rep.rings += 1;
                            rep.arc_refs += arcs.len();
                            Ring { arcs }
                        })
                        .collect(),
                })
                .collect();
            // The anchor is set below, once the arcs can be decoded.
            features.push(Feature { territory, bbox, anchor: [0, 0], polygons });
        }
        out_layers.push(Layer { kind: spec.kind as u8, features });
        layer_reports.push(rep);
    }

    let report = GeometryReport {
        communes: communes.len(),
        vertices: topo.points.len(),
        edges: topo.edges.len(),
        arcs: base.len(),
        clean,
        topology_ms,
        layers: layer_reports,
        lods: lod_reports,
    };
    let mut geometry = Geometry { crs: CRS.to_string(), lods: out_lods, layers: out_layers };
    set_anchors(&mut geometry);
    Ok((geometry, report))
}

/// Puts each feature's anchor inside its largest polygon, at the most
/// detailed level: `geo`'s interior point lies inside the polygon even for
/// a crescent, where a centroid may not.
fn set_anchors(geometry: &mut Geometry) {
    use geo::{Area, InteriorPoint};
    let Some(finest) = geometry.lods.len().checked_sub(1) else { return };
    let mut anchors: Vec<Vec<[i32; 2]>> = Vec::with_capacity(geometry.layers.len());
    for layer in &geometry.layers {
        anchors.push(
            layer
                .features
                .iter()
                .map(|f| {
                    let mp = decode::feature_multipolygon(geometry, finest, f);
                    let largest = mp.0.iter().max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
                    let point = largest.and_then(|p| p.interior_point());
                    match point {
                        Some(p) => [p.x().round() as i32, p.y().round() as i32],
                        None => [(f.bbox[0] + f.bbox[2]) / 2, (f.bbox[1] + f.bbox[3]) / 2],
                    }
                })
                .collect(),
        );
    }
    for (layer, anchors) in geometry.layers.iter_mut().zip(anchors) {
        for (f, a) in layer.features.iter_mut().zip(anchors) {
            f.anchor = a;
        }
    }
}
