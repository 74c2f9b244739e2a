//! `data-pack export-json`: the pack's data as plain GeoJSON and JSON, for
//! the JavaScript comparison stack of `make bench` (d3-geo, d3-scale,
//! jspdf), so both sides draw the same data.
//!
//! It reads a built pack through [`territoire::Pack`] (the viewer's own
//! reader) and writes two files:
//!
//! - `epci.geojson`: the EPCI of France métropolitaine (the `france_epci`
//!   map view, `france` level of detail), inverse-projected from
//!   Lambert-93 to WGS84 longitude / latitude (the builder's own
//!   [`crate::geometry::lambert93_inverse`]), 5 decimals. Exterior rings are clockwise and holes
//!   counter-clockwise, the winding d3-geo's spherical polygons expect
//!   (as TopoJSON and shapefiles have it), not RFC 7946's.
//! - `indicators.json`: the territories the viewer compares (France
//!   métropolitaine, régions, départements, EPCI, not communes) with their
//!   default comparisons, the catalogue, the sources, and every series as
//!   columns aligned on the territory list: `values` (number or null) and
//!   `status` (index into `statuses`), with its source.

use std::path::Path;

use serde_json::{json, Map, Value};
use territoire::schema::{ArchivedFeature, ArchivedLod, TerritoryKind};
use territoire::{Pack, Status, TerritoryRef};

/// What was written, for the command's summary line.
pub struct Summary {
    pub features: usize,
    pub territories: usize,
    pub series: usize,
    pub geojson_bytes: usize,
    pub json_bytes: usize,
}

/// Writes `epci.geojson` and `indicators.json` into `out_dir` (created).
pub fn export(pack: &Pack, out_dir: &Path) -> Result<Summary, String> {
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: cannot create: {e}", out_dir.display()))?;
    let geo = epci_geojson(pack)?;
    let features = geo["features"].as_array().map_or(0, Vec::len);
    let data = indicators_json(pack);
    let territories = data["territories"].as_array().map_or(0, Vec::len);
    let series =
        data["indicators"].as_array().map_or(0, |a| a.iter().map(|i| i["series"].as_array().map_or(0, Vec::len)).sum());
    let write = |name: &str, v: &Value| -> Result<usize, String> {
        let path = out_dir.join(name);
        let text = serde_json::to_string(v).map_err(|e| format!("{name}: {e}"))?;
        std::fs::write(&path, &text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        Ok(text.len())
    };
    let geojson_bytes = write("epci.geojson", &geo)?;
    let json_bytes = write("indicators.json", &data)?;
    Ok(Summary { features, territories, series, geojson_bytes, json_bytes })
}

// ---- geometry ------------------------------------------------------------------------

fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

/// Arc `i` of a level of detail as absolute points in metres (empty if the
/// index is out of range: a crafted pack gives a missing ring, not a panic).
fn arc_points(lod: &ArchivedLod, i: usize) -> Vec<[i32; 2]> {
    let offsets = &lod.arc_offsets;
    if i + 1 >= offsets.len() {
        return Vec::new();
    }
    let (a, b) = (offsets[i].to_native() as usize, offsets[i + 1].to_native() as usize);
    match lod.coords.get(a * 2..b * 2) {
        Some(c) => territoire::geometry::decode_arc(c.iter().map(|v| v.to_native())),
        None => Vec::new(),
    }
}

/// Signed area (shoelace) of a closed ring of [x, y]: > 0 counter-clockwise
/// with y up.
fn signed_area(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2).map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1]).sum::<f64>() / 2.0
}

/// One ring (arc references, TopoJSON style) as closed lon/lat points.
fn ring_lonlat(lod: &ArchivedLod, arcs: impl Iterator<Item = i32>) -> Vec<[f64; 2]> {
    let mut metres: Vec<[i32; 2]> = Vec::new();
    for a in arcs {
        let (index, backward) = if a >= 0 { (a as usize, false) } else { ((!a) as usize, true) };
        let mut pts = arc_points(lod, index);
        if backward {
            pts.reverse();
        }
        let skip = usize::from(!metres.is_empty() && metres.last() == pts.first());
        metres.extend_from_slice(&pts[skip.min(pts.len())..]);
    }
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(metres.len() + 1);
    for p in metres {
        let (lon, lat) = crate::geometry::lambert93_inverse(p[0] as f64, p[1] as f64);
        let q = [round5(lon), round5(lat)];
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    if out.len() >= 2 && out.first() != out.last() {
        out.push(out[0]);
    }
    out
}

fn feature_geometry(lod: &ArchivedLod, f: &ArchivedFeature) -> Value {
    let mut polygons: Vec<Value> = Vec::new();
    for p in f.polygons.iter() {
        let mut rings: Vec<Value> = Vec::new();
        for (k, r) in p.rings.iter().enumerate() {
            let mut ring = ring_lonlat(lod, r.arcs.iter().map(|a| a.to_native()));
            if ring.len() < 4 {
                continue;
            }
            // d3-geo: exterior clockwise, holes counter-clockwise (on the
            // lon/lat plane, y up).
            let ccw = signed_area(&ring) > 0.0;
            if (k == 0) == ccw {
                ring.reverse();
            }
            if k > 0 && rings.is_empty() {
                continue; // a hole without its exterior
            }
            rings.push(json!(ring));
        }
        if !rings.is_empty() {
            polygons.push(Value::Array(rings));
        }
    }
    if polygons.len() == 1 {
        json!({ "type": "Polygon", "coordinates": polygons.pop().unwrap() })
    } else {
        json!({ "type": "MultiPolygon", "coordinates": polygons })
    }
}

/// The EPCI of France métropolitaine as a GeoJSON FeatureCollection, in
/// the pack's layer order (`properties`: `key`, `code`, `name`).
pub fn epci_geojson(pack: &Pack) -> Result<Value, String> {
    let geometry = &pack.data().geometry;
    let lod = geometry
        .lods
        .iter()
        .find(|l| l.name == "france")
        .or_else(|| geometry.lods.first())
        .ok_or("the pack has no geometry (no level of detail)")?;
    let layer =
        geometry.layers.iter().find(|l| l.kind == TerritoryKind::Epci as u8).ok_or("the pack has no EPCI layer")?;
    let mut features = Vec::new();
    for f in layer.features.iter() {
        let Some(t) = pack.territory(f.territory.to_native()) else { continue };
        if !t.metro() {
            continue;
        }
        features.push(json!({
            "type": "Feature",
            "id": t.key(),
            "properties": { "key": t.key(), "code": t.code(), "name": t.name() },
            "geometry": feature_geometry(lod, f),
        }));
    }
    if features.is_empty() {
        return Err("the pack has no metropolitan EPCI outline".into());
    }
    Ok(json!({ "type": "FeatureCollection", "features": features }))
}

// ---- indicators ----------------------------------------------------------------------

fn exported(t: &TerritoryRef<'_>) -> bool {
    t.kind() != TerritoryKind::Commune
}

/// Territories, catalogue, sources and every series as columns.
pub fn indicators_json(pack: &Pack) -> Value {
    let territories: Vec<TerritoryRef<'_>> = pack.territories().filter(exported).collect();
    let list: Vec<Value> = territories
        .iter()
        .map(|t| {
            json!({
                "key": t.key(),
                "code": t.code(),
                "name": t.name(),
                "kind": t.kind().key(),
                "epci_type": t.epci_type(),
                "metro": t.metro(),
                "departements": t.departements().map(|d| d.key()).collect::<Vec<_>>(),
                "regions": t.regions().map(|r| r.key()).collect::<Vec<_>>(),
                "comparisons": t.default_comparisons().iter().map(|c| c.key()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let sources: Vec<Value> = pack
        .sources()
        .map(|s| {
            json!({
                "id": s.id(), "label": s.label(), "producer": s.producer(), "vintage": s.vintage(),
                "geography": s.geography(), "note": s.note(),
            })
        })
        .collect();
    let mut indicators = Vec::new();
    for ind in pack.indicators() {
        let mut series = Vec::new();
        for year in pack.years(ind) {
            let mut values: Vec<Value> = Vec::with_capacity(territories.len());
            let mut status: Vec<u8> = Vec::with_capacity(territories.len());
            let mut source = String::new();
            let mut vintage = String::new();
            let mut any = false;
            for t in &territories {
                let Some(o) = pack.value(*t, ind, year) else { continue };
                if source.is_empty() {
                    source = o.source_label.clone();
                    vintage = o.vintage.clone();
                }
                any |= o.status != Status::NotAvailable;
                values.push(o.value.map_or(Value::Null, |v| json!(v)));
                status.push(o.status as u8);
            }
            if !any {
                continue; // a commune-only series
            }
            series.push(
                json!({ "year": year, "source": source, "vintage": vintage, "values": values, "status": status }),
            );
        }
        if series.is_empty() {
            continue;
        }
        indicators.push(json!({
            "id": ind.id(),
            "label": ind.label(),
            "definition": ind.definition(),
            "unit": ind.unit().key(),
            "kind": ind.kind().key(),
            "theme": ind.theme(),
            "series": series,
        }));
    }
    let mut out = Map::new();
    out.insert("build_date".into(), json!(pack.build_date()));
    out.insert("statuses".into(), json!(Status::ALL.iter().map(|s| s.key()).collect::<Vec<_>>()));
    out.insert("territories".into(), Value::Array(list));
    out.insert("sources".into(), Value::Array(sources));
    out.insert("indicators".into(), Value::Array(indicators));
    Value::Object(out)
}
