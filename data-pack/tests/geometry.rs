//! Geometry stage tests: the projection against independent reference
//! values, the topology on small synthetic inputs with known answers, and
//! the whole build on the real commune file
//! (`$DATA_DIR/geometry/communes_cog2024.geojson`, default
//! `../shared/data` beside the workspace).
//!
//! Run in release: `cargo test -p data-pack --release --test geometry`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use data_pack::geometry::*;
use geo::Validation;
use territoire::schema::{Geometry, Layer, TerritoryKind, NO_TERRITORY};

// ---------------------------------------------------------------------------
// Projection

/// Reference values computed independently with PROJ 9 (pyproj,
/// `Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)`, whose
/// RGF93→WGS84 step is the null transformation): lon, lat, x, y.
const PROJ_REFERENCE: [(f64, f64, f64, f64); 8] = [
    (3.0, 46.5, 700000.0000, 6600000.0000),
    // Paris, Notre-Dame (point zéro des routes de France).
    (2.349014, 48.852968, 652231.9324, 6861633.3360),
    (-1.553621, 47.218371, 355576.0293, 6689719.9786), // Nantes
    (-4.486009, 48.390394, 146639.6219, 6836261.0250), // Brest
    (7.261953, 43.710173, 1043406.5383, 6299396.8424), // Nice
    (9.45, 42.95, 1226277.5539, 6227130.2735),         // Corsica
    (55.45, -20.88, 10180217.3163, 546828.4876),       // La Réunion (far off, still defined)
    (-52.33, 4.93, -6422421.5654, 4211795.2714),       // Guyane
];

#[test]
fn lambert93_matches_proj_reference_points() {
    for (lon, lat, x, y) in PROJ_REFERENCE {
        let (px, py) = lambert93(lon, lat);
        // Metropolitan points to the millimetre; the DROM, tens of thousands
        // of km from the cone's apex, to a centimetre.
        let tol = if x.abs() > 2e6 { 0.01 } else { 0.001 };
        assert!((px - x).abs() < tol && (py - y).abs() < tol, "({lon}, {lat}) → ({px}, {py}), PROJ says ({x}, {y})");
    }
}

#[test]
fn lambert93_inverse_round_trip() {
    for lon in [-5.5, -1.0, 0.0, 2.5, 3.0, 6.0, 9.6] {
        for lat in [41.3, 43.0, 44.0, 46.5, 49.0, 51.1] {
            let (x, y) = lambert93(lon, lat);
            let (lon2, lat2) = lambert93_inverse(x, y);
            assert!((lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9, "({lon}, {lat}) → ({lon2}, {lat2})");
        }
    }
}

/// A property of the definition, checked without any reference figure: the
/// scale factor along the two standard parallels (44° and 49°) is exactly 1,
/// and below 1 between them.
#[test]
fn lambert93_scale_is_one_on_standard_parallels() {
    let a = 6378137.0;
    let f = 1.0 / 298.257222101;
    let e2 = 2.0 * f - f * f;
    let scale = |lat: f64| {
        let phi = f64::to_radians(lat);
        let n = a / (1.0 - e2 * phi.sin().powi(2)).sqrt();
        let dl = 1e-4_f64; // degrees
        let (x1, y1) = lambert93(3.0 - dl / 2.0, lat);
        let (x2, y2) = lambert93(3.0 + dl / 2.0, lat);
        // Chord of a parallel arc this short equals its length to 1e-12.
        let map = ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt();
        map / (n * phi.cos() * dl.to_radians())
    };
    for lat in [44.0, 49.0] {
        assert!((scale(lat) - 1.0).abs() < 1e-8, "scale at {lat}° = {}", scale(lat));
    }
    assert!(scale(46.5) < 0.9995, "scale at 46.5° = {}", scale(46.5));
}

// ---------------------------------------------------------------------------
// Synthetic inputs

/// A commune made of one lon/lat square ring, given as its lower-left corner
/// and side, in degrees.
fn square(code: &str, x: f64, y: f64, side: f64) -> CommuneGeometry {
    let ring = vec![[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]];
    CommuneGeometry {
        code: code.into(),
        com2025: code.into(),
        epci2025: String::new(),
        dep: "44".into(),
        polygons: vec![vec![ring]],
    }
}

fn proj(lon: f64, lat: f64) -> [i64; 2] {
    let (x, y) = lambert93(lon, lat);
    [x.round() as i64, y.round() as i64]
}

fn lods(tolerances: &[f64]) -> Vec<LodSpec> {
    tolerances.iter().map(|&t| LodSpec { name: format!("t{t}"), tolerance_m: t }).collect()
}

/// Rotates a closed ring so that it starts at its smallest point, to compare
/// rings regardless of their start.
fn canonical(ring: &[[i64; 2]]) -> Vec<[i64; 2]> {
    let open = &ring[..ring.len() - 1];
    let k = (0..open.len()).min_by_key(|&i| open[i]).unwrap();
    open[k..].iter().chain(&open[..k]).copied().collect()
}

fn all_valid(g: &Geometry, layer: usize) {
    for lod in 0..g.lods.len() {
        for f in &g.layers[layer].features {
            let mp = feature_multipolygon(g, lod, f);
            assert!(mp.is_valid(), "lod {lod} feature {}: {:?}", f.territory, mp.validation_errors());
        }
    }
}

#[test]
fn two_by_two_grid_dissolves_to_one_square() {
    let (x0, y0, d) = (-1.6, 47.2, 0.01);
    let communes: Vec<_> =
        (0..4).map(|i| square(&format!("c{i}"), x0 + d * (i % 2) as f64, y0 + d * (i / 2) as f64, d)).collect();
    let layers = vec![LayerSpec { kind: TerritoryKind::Epci, assign: vec![7; 4] }];
    let g = build_geometry(&communes, &layers, &lods(&[0.0, 100.0])).unwrap();
    assert_eq!(g.crs, "EPSG:2154");
    let fs = &g.layers[0].features;
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].territory, 7);
    assert_eq!(fs[0].polygons.len(), 1);
    assert_eq!(fs[0].polygons[0].rings.len(), 1, "no hole, no interior border");

    // Tolerance 0: the 8 outline vertices of the grid (corners and the ends
    // of the two interior borders), projected and rounded, counter-clockwise.
    let outline = [(0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (1, 2), (0, 2), (0, 1)];
    let expected: Vec<[i64; 2]> = outline.iter().map(|&(i, j)| proj(x0 + d * i as f64, y0 + d * j as f64)).collect();
    let got = ring_points(&g, 0, &fs[0].polygons[0].rings[0]);
    assert_eq!(canonical(&got), canonical(&[expected.clone(), vec![expected[0]]].concat()));

    // Simplified: the mid-side points are (nearly) on the sides, so only the
    // four corners remain, exactly.
    let corners: Vec<[i64; 2]> = [(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]
        .iter()
        .map(|&(i, j)| proj(x0 + d * i as f64, y0 + d * j as f64))
        .collect();
    let got = ring_points(&g, 1, &fs[0].polygons[0].rings[0]);
    assert_eq!(canonical(&got), canonical(&corners));

    let area = polygon_area_m2(&g, 0, &fs[0].polygons[0]);
    assert!(area > 0.0);
    // Bbox is the corners' extent.
    let xs = expected.iter().map(|p| p[0]);
    let ys = expected.iter().map(|p| p[1]);
    assert_eq!(
        fs[0].bbox.map(i64::from),
        [xs.clone().min().unwrap(), ys.clone().min().unwrap(), xs.max().unwrap(), ys.max().unwrap()]
    );
}

#[test]
fn two_territories_share_their_border_arc() {
    let (x0, y0, d) = (0.5, 47.0, 0.02);
    let communes: Vec<_> =
        (0..4).map(|i| square(&format!("c{i}"), x0 + d * (i % 2) as f64, y0 + d * (i / 2) as f64, d)).collect();
    // Left column → territory 3, right column → territory 1; and a second
    // layer with everything in one territory.
    let layers = vec![
        LayerSpec { kind: TerritoryKind::Epci, assign: vec![3, 1, 3, 1] },
        LayerSpec { kind: TerritoryKind::Departement, assign: vec![0; 4] },
    ];
    let g = build_geometry(&communes, &layers, &lods(&[0.0, 500.0])).unwrap();
    let fs = &g.layers[0].features;
    assert_eq!(fs.iter().map(|f| f.territory).collect::<Vec<_>>(), vec![1, 3], "sorted by territory");
    let arcs = |f: &territoire::schema::Feature| -> Vec<i32> { f.polygons[0].rings[0].arcs.clone() };
    let (a1, a3) = (arcs(&fs[0]), arcs(&fs[1]));
    // The shared border is one arc, walked forward by one side and backward
    // by the other.
    let shared: Vec<i32> = a1.iter().copied().filter(|r| a3.contains(&!r)).collect();
    assert_eq!(shared.len(), 1, "{a1:?} {a3:?}");
    // The outer layer uses the other arcs of both, in the same direction.
    let outer = arcs(&g.layers[1].features[0]);
    let mut union: Vec<i32> =
        a1.iter().chain(&a3).copied().filter(|r| !shared.contains(r) && !shared.contains(&!r)).collect();
    let mut o = outer.clone();
    union.sort();
    o.sort();
    assert_eq!(union, o);
    // Both layers agree point for point at every level of detail.
    for lod in 0..2 {
        let total: f64 = fs.iter().map(|f| feature_area_m2(&g, lod, f)).sum();
        let whole = feature_area_m2(&g, lod, &g.layers[1].features[0]);
        assert_eq!(total, whole, "lod {lod}");
    }
    all_valid(&g, 0);
    all_valid(&g, 1);
}

#[test]
fn ring_of_communes_around_a_left_out_one_makes_a_hole() {
    // 3×3 grid; the centre commune is left out of the layer.
    let (x0, y0, d) = (4.0, 45.0, 0.01);
    let communes: Vec<_> =
        (0..9).map(|i| square(&format!("c{i}"), x0 + d * (i % 3) as f64, y0 + d * (i / 3) as f64, d)).collect();
    let mut assign = vec![0; 9];
    assign[4] = NO_TERRITORY;
    let layers = vec![LayerSpec { kind: TerritoryKind::Epci, assign }];
    let g = build_geometry(&communes, &layers, &lods(&[0.0, 50.0])).unwrap();
    let f = &g.layers[0].features[0];
    assert_eq!(f.polygons.len(), 1);
    assert_eq!(f.polygons[0].rings.len(), 2);
    let ext = ring_points(&g, 0, &f.polygons[0].rings[0]);
    let hole = ring_points(&g, 0, &f.polygons[0].rings[1]);
    assert!(ring_area_m2(&ext) > 0.0, "exterior counter-clockwise");
    assert!(ring_area_m2(&hole) < 0.0, "hole clockwise");
    // The hole is exactly the centre square.
    let centre: Vec<[i64; 2]> = [(1, 1), (1, 2), (2, 2), (2, 1), (1, 1)]
        .iter()
        .map(|&(i, j)| proj(x0 + d * i as f64, y0 + d * j as f64))
        .collect();
    assert_eq!(canonical(&hole), canonical(&centre));
    all_valid(&g, 0);
}

#[test]
fn pinch_points_give_valid_polygons() {
    // Communes on a 3×3 grid; a territory made of two squares touching at
    // one corner must become two polygons, and a ring of squares whose hole
    // touches the outline at one corner must stay one polygon with a hole.
    let (x0, y0, d) = (2.0, 48.0, 0.01);
    let communes: Vec<_> =
        (0..9).map(|i| square(&format!("c{i}"), x0 + d * (i % 3) as f64, y0 + d * (i / 3) as f64, d)).collect();
    // Layer 0: cells 0 and 4 (diagonal) → territory 0; the rest out.
    let mut diag = vec![NO_TERRITORY; 9];
    diag[0] = 0;
    diag[4] = 0;
    // Layer 1: all but the centre (cell 4) and the lower-left corner (cell
    // 0): the hole left by the centre touches the outline at one point, the
    // centre's lower-left corner.
    let mut around = vec![0; 9];
    around[4] = NO_TERRITORY;
    around[0] = NO_TERRITORY;
    let layers = vec![
        LayerSpec { kind: TerritoryKind::Epci, assign: diag },
        LayerSpec { kind: TerritoryKind::Departement, assign: around },
    ];
    let g = build_geometry(&communes, &layers, &lods(&[0.0, 30.0])).unwrap();
    let f = &g.layers[0].features[0];
    assert_eq!(f.polygons.len(), 2);
    assert!(f.polygons.iter().all(|p| p.rings.len() == 1));
    let f = &g.layers[1].features[0];
    assert_eq!(f.polygons.len(), 1);
    assert_eq!(f.polygons[0].rings.len(), 2, "outline and a hole touching it at one point");
    all_valid(&g, 0);
    all_valid(&g, 1);
}

/// Two side-by-side squares whose shared border the source gets slightly
/// wrong, as it does in ~200 places: `right_border` is commune A's version
/// of the border, from (1, 0) up to (1, 1) in grid units; B has it straight.
fn near_miss(right_border: &[[f64; 2]]) -> Vec<CommuneGeometry> {
    let (x0, y0, d) = (-0.5, 47.5, 0.01);
    let p = |x: f64, y: f64| [x0 + d * x, y0 + d * y];
    let mut a = vec![p(0.0, 0.0), p(1.0, 0.0)];
    a.extend(right_border.iter().map(|q| p(q[0], q[1])));
    a.extend([p(1.0, 1.0), p(0.0, 1.0), p(0.0, 0.0)]);
    let b = vec![p(1.0, 0.0), p(2.0, 0.0), p(2.0, 1.0), p(1.0, 1.0), p(1.0, 0.0)];
    let commune = |code: &str, ring| CommuneGeometry {
        code: code.into(),
        com2025: code.into(),
        epci2025: String::new(),
        dep: "44".into(),
        polygons: vec![vec![ring]],
    };
    vec![commune("A", a), commune("B", b)]
}

#[test]
fn inconsistent_shared_borders_are_repaired() {
    let outline: Vec<[i64; 2]> = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
        .iter()
        .map(|&(x, y)| proj(-0.5 + 0.01 * x, 47.5 + 0.01 * y))
        .collect();
    let cases: [(&str, Vec<[f64; 2]>); 5] = [
        ("vertex exactly on the neighbour's edge", vec![[1.0, 0.5]]),
        ("vertex 4 m inside the neighbour (overlap)", vec![[1.005, 0.5]]),
        ("vertex 4 m short of the neighbour (gap)", vec![[0.995, 0.5]]),
        ("border crossing the neighbour's", vec![[1.004, 0.3], [0.996, 0.7]]),
        ("several vertices beside the edge", vec![[1.001, 0.2], [0.999, 0.4], [1.0, 0.6], [1.002, 0.8]]),
    ];
    for (what, border) in cases {
        let communes = near_miss(&border);
        let layers = vec![
            LayerSpec { kind: TerritoryKind::Epci, assign: vec![0, 0] },
            LayerSpec { kind: TerritoryKind::Commune, assign: vec![0, 1] },
        ];
        let (g, report) = build_geometry_report(&communes, &layers, &lods(&[0.0, 200.0])).unwrap();
        let union = &g.layers[0].features[0];
        assert_eq!(union.polygons.len(), 1, "{what}");
        assert_eq!(union.polygons[0].rings.len(), 1, "{what}: no sliver hole");
        let ring = ring_points(&g, 0, &union.polygons[0].rings[0]);
        assert_eq!(canonical(&ring), canonical(&outline), "{what}");
        // The two communes tile the union exactly: no gap, no overlap.
        for lod in 0..2 {
            let parts: f64 = g.layers[1].features.iter().map(|f| feature_area_m2(&g, lod, f)).sum();
            assert_eq!(parts, feature_area_m2(&g, lod, union), "{what}, lod {lod}");
        }
        assert_eq!(g.layers[1].features.len(), 2, "{what}");
        all_valid(&g, 0);
        all_valid(&g, 1);
        eprintln!("{what}: {:?}", report.clean);
    }
}

#[test]
fn gaps_in_the_coverage_small_are_filled_large_stay_holes() {
    // A 3×3 grid with no commune at all in the centre cell: a gap in the
    // coverage, enclosed by communes. A 0.005° cell (~0.2 km²) is taken for
    // a digitising gap and filled; a 0.03° cell (~7 km², like Llívia's
    // 13 km²) is a real hole and stays one.
    for (d, hole) in [(0.005, false), (0.03, true)] {
        let communes: Vec<_> = (0..9)
            .filter(|&i| i != 4)
            .map(|i| square(&format!("c{i}"), 3.0 + d * (i % 3) as f64, 46.0 + d * (i / 3) as f64, d))
            .collect();
        let layers = vec![LayerSpec { kind: TerritoryKind::Epci, assign: vec![0; 8] }];
        let (g, report) = build_geometry_report(&communes, &layers, &lods(&[0.0])).unwrap();
        let f = &g.layers[0].features[0];
        assert_eq!(f.polygons.len(), 1);
        assert_eq!(f.polygons[0].rings.len(), if hole { 2 } else { 1 }, "cell {d}°: {:?}", report.clean);
        assert_eq!(report.clean.gap_faces_filled, usize::from(!hole));
        all_valid(&g, 0);
    }
}

#[test]
fn bad_layer_spec_is_an_error() {
    let communes = vec![square("a", 0.0, 45.0, 0.1)];
    let layers = vec![LayerSpec { kind: TerritoryKind::Epci, assign: vec![0, 0] }];
    assert!(build_geometry(&communes, &layers, &lods(&[0.0])).is_err());
    let layers = vec![LayerSpec { kind: TerritoryKind::Epci, assign: vec![0] }];
    assert!(build_geometry(&communes, &layers, &lods(&[f64::NAN])).is_err());
    // Overlapping communes cannot be dissolved exactly.
    let communes = vec![square("a", 0.0, 45.0, 0.1), square("b", 0.0, 45.0, 0.1)];
    let layers = vec![LayerSpec { kind: TerritoryKind::Epci, assign: vec![0, 0] }];
    let e = build_geometry(&communes, &layers, &lods(&[0.0])).unwrap_err();
    assert!(e.message.contains("covered"), "{e}");
}

// ---------------------------------------------------------------------------
// Malformed files

fn feature_json(props: &str, geometry: &str) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{props},"geometry":{geometry}}}]}}"#
    )
}

const PROPS: &str = r#"{"code":"44109","nom":"Nantes","dep":"44","pop_mun":1,"epci2024":"244400404","com2025":"44109","epci2025":"244400404"}"#;
const POLY: &str = r#"{"type":"Polygon","coordinates":[[[-1.5,47.2],[-1.4,47.2],[-1.4,47.3],[-1.5,47.2]]]}"#;

fn write_tmp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("data-pack-geometry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn well_formed_small_file_reads() {
    let p = write_tmp("ok.geojson", feature_json(PROPS, POLY).as_bytes());
    let c = read_communes(&p, "geometry/ok.geojson").unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].code, "44109");
    assert_eq!(c[0].epci2025, "244400404");
    assert_eq!(c[0].polygons, vec![vec![vec![[-1.5, 47.2], [-1.4, 47.2], [-1.4, 47.3], [-1.5, 47.2]]]]);
    // A null EPCI reads as empty (L'Île-d'Yeu has none).
    let props = PROPS.replace(r#""epci2025":"244400404""#, r#""epci2025":null"#);
    let p = write_tmp("null.geojson", feature_json(&props, POLY).as_bytes());
    assert_eq!(read_communes(&p, "x").unwrap()[0].epci2025, "");
}

fn read_err(name: &str, content: &str) -> data_pack::BuildError {
    let p = write_tmp(name, content.as_bytes());
    let display = format!("geometry/{name}");
    let e = read_communes(&p, &display).unwrap_err();
    assert_eq!(e.file, display, "{e}");
    e
}

#[test]
fn missing_property_is_reported_with_the_feature() {
    let props = PROPS.replace(r#""com2025":"44109","#, "");
    let e = read_err("noprop.geojson", &feature_json(&props, POLY));
    assert!(e.message.contains("com2025") && e.message.contains("44109") && e.message.contains("#0"), "{e}");
    let e = read_err("nocode.geojson", &feature_json(r#"{"dep":"44"}"#, POLY));
    assert!(e.message.contains("code"), "{e}");
}

#[test]
fn bad_geometry_type_is_reported() {
    let e = read_err("point.geojson", &feature_json(PROPS, r#"{"type":"Point","coordinates":[-1.5,47.2]}"#));
    assert!(e.message.contains("Point") && e.message.contains("44109"), "{e}");
    let e = read_err(
        "line.geojson",
        &feature_json(PROPS, r#"{"type":"LineString","coordinates":[[-1.5,47.2],[-1.4,47.2]]}"#),
    );
    assert!(e.message.contains("LineString"), "{e}");
    let e = read_err("nogeom.geojson", &feature_json(PROPS, "null"));
    assert!(e.message.contains("no geometry"), "{e}");
}

#[test]
fn bad_rings_are_reported() {
    let e = read_err("empty.geojson", &feature_json(PROPS, r#"{"type":"Polygon","coordinates":[[]]}"#));
    assert!(e.message.contains("empty ring"), "{e}");
    let e = read_err(
        "open.geojson",
        &feature_json(PROPS, r#"{"type":"Polygon","coordinates":[[[-1.5,47.2],[-1.4,47.2],[-1.4,47.3],[-1.5,47.3]]]}"#),
    );
    assert!(e.message.contains("not closed"), "{e}");
    let e = read_err(
        "range.geojson",
        &feature_json(
            PROPS,
            r#"{"type":"Polygon","coordinates":[[[350000,6700000],[351000,6700000],[351000,6701000],[350000,6700000]]]}"#,
        ),
    );
    assert!(e.message.contains("longitude/latitude"), "{e}");
    let e = read_err(
        "huge.geojson",
        &feature_json(
            PROPS,
            r#"{"type":"Polygon","coordinates":[[[1e999,47.2],[-1.4,47.2],[-1.4,47.3],[1e999,47.2]]]}"#,
        ),
    );
    assert!(!e.message.is_empty());
}

#[test]
fn truncated_and_non_json_files_are_errors() {
    let full = feature_json(PROPS, POLY);
    let e = read_err("cut.geojson", &full[..full.len() - 20]);
    assert!(e.message.contains("truncated"), "{e}");
    assert!(e.line.is_some());
    let e = read_err("notjson.geojson", "code;nom\n44109;Nantes\n");
    assert!(e.message.contains("invalid GeoJSON"), "{e}");
    let e = read_err("other.geojson", r#"{"type":"Feature","features":[]}"#);
    assert!(e.message.contains("FeatureCollection"), "{e}");
    let e = read_communes(std::path::Path::new("/nonexistent/x.geojson"), "geometry/x.geojson").unwrap_err();
    assert_eq!(e.file, "geometry/x.geojson");
}

// ---------------------------------------------------------------------------
// The real file

fn data_dir() -> PathBuf {
    match std::env::var_os("DATA_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data")),
    }
}

const PDL_DEPS: [&str; 5] = ["44", "49", "53", "72", "85"];
const LAYER_EPCI: usize = 0;
const LAYER_DEP: usize = 1;
const LAYER_REG: usize = 2;
const LAYER_COM: usize = 3;
/// A test-only layer: the union of the PdL EPCI, as one territory.
const LAYER_PDL_UNION: usize = 4;
const LOD_RAW: usize = 0;
const LOD_REGION: usize = 1;
const LOD_FRANCE: usize = 2;

struct Real {
    communes: Vec<CommuneGeometry>,
    /// EPCI codes of epci_2025.csv, sorted: the EPCI layer's territory ids.
    epci: Vec<String>,
    deps: Vec<String>,
    /// PdL COG 2025 communes, sorted: the commune layer's territory ids.
    com2025: Vec<String>,
    /// EPCI ids with at least one commune in the PdL.
    pdl_epci: BTreeSet<u32>,
    geometry: Geometry,
}

fn real() -> &'static Real {
    static REAL: OnceLock<Real> = OnceLock::new();
    REAL.get_or_init(|| {
        let dir = data_dir();
        let t = Instant::now();
        let communes =
            read_communes(&dir.join("geometry/communes_cog2024.geojson"), "geometry/communes_cog2024.geojson")
                .expect("read communes");
        let read_ms = t.elapsed().as_millis();

        let mut rdr = csv::Reader::from_path(dir.join("geometry/epci_2025.csv")).unwrap();
        let col = rdr.headers().unwrap().iter().position(|h| h == "epci_code").unwrap();
        let mut epci: Vec<String> = rdr.records().map(|r| r.unwrap()[col].to_string()).collect();
        epci.sort();
        let epci_id: HashMap<&str, u32> = epci.iter().enumerate().map(|(i, c)| (c.as_str(), i as u32)).collect();

        let deps_json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("cog/departements.json")).unwrap()).unwrap();
        let dep_region: HashMap<String, String> = deps_json
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["code"].as_str().unwrap().to_string(), d["region"].as_str().unwrap().to_string()))
            .collect();
        let deps: Vec<String> = communes.iter().map(|c| c.dep.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let regs: Vec<String> =
            deps.iter().map(|d| dep_region[d].clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let com2025: Vec<String> = communes
            .iter()
            .filter(|c| PDL_DEPS.contains(&c.dep.as_str()))
            .map(|c| c.com2025.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let index = |v: &[String], k: &str| v.binary_search_by(|x| x.as_str().cmp(k)).unwrap() as u32;

        let assign_epci: Vec<u32> = communes
            .iter()
            .map(|c| {
                if c.epci2025.is_empty() {
                    NO_TERRITORY
                } else {
                    *epci_id
                        .get(c.epci2025.as_str())
                        .unwrap_or_else(|| panic!("{}: unknown EPCI {}", c.code, c.epci2025))
                }
            })
            .collect();
        let pdl_epci: BTreeSet<u32> = communes
            .iter()
            .zip(&assign_epci)
            .filter(|(c, &e)| PDL_DEPS.contains(&c.dep.as_str()) && e != NO_TERRITORY)
            .map(|(_, &e)| e)
            .collect();
        let layers =
            vec![
                LayerSpec { kind: TerritoryKind::Epci, assign: assign_epci.clone() },
                LayerSpec {
                    kind: TerritoryKind::Departement,
                    assign: communes.iter().map(|c| index(&deps, &c.dep)).collect(),
                },
                LayerSpec {
                    kind: TerritoryKind::Region,
                    assign: communes.iter().map(|c| index(&regs, &dep_region[&c.dep])).collect(),
                },
                LayerSpec {
                    kind: TerritoryKind::Commune,
                    assign: communes
                        .iter()
                        .map(|c| {
                            if PDL_DEPS.contains(&c.dep.as_str()) {
                                index(&com2025, &c.com2025)
                            } else {
                                NO_TERRITORY
                            }
                        })
                        .collect(),
                },
                LayerSpec {
                    kind: TerritoryKind::Country,
                    assign: assign_epci.iter().map(|e| if pdl_epci.contains(e) { 0 } else { NO_TERRITORY }).collect(),
                },
            ];
        let lods = vec![
            LodSpec { name: "raw".into(), tolerance_m: 0.0 },
            LodSpec { name: "region".into(), tolerance_m: 50.0 },
            LodSpec { name: "france".into(), tolerance_m: 500.0 },
        ];
        let t = Instant::now();
        let (geometry, report) = build_geometry_report(&communes, &layers, &lods).expect("build geometry");
        eprintln!("read {read_ms} ms, build {} ms", t.elapsed().as_millis());
        eprintln!("{report:#?}");
        Real { communes, epci, deps, com2025, pdl_epci, geometry }
    })
}

fn feature(layer: &Layer, territory: u32) -> Option<&territoire::schema::Feature> {
    layer.features.binary_search_by_key(&territory, |f| f.territory).ok().map(|i| &layer.features[i])
}

#[test]
fn real_file_reads_completely() {
    let r = real();
    assert_eq!(r.communes.len(), 34_935);
    assert_eq!(r.epci.len(), 1_253);
    let yeu = r.communes.iter().find(|c| c.code == "85113").unwrap();
    assert_eq!(yeu.epci2025, "");
    assert_eq!(r.com2025.len(), 1_228, "PdL communes in COG 2025");
}

#[test]
fn every_epci_is_a_valid_non_empty_feature() {
    let r = real();
    let g = &r.geometry;
    let layer = &g.layers[LAYER_EPCI];
    assert_eq!(layer.kind, TerritoryKind::Epci as u8);
    assert_eq!(layer.features.len(), r.epci.len());
    assert!(layer.features.windows(2).all(|w| w[0].territory < w[1].territory));
    let mut invalid = Vec::new();
    for (i, code) in r.epci.iter().enumerate() {
        let f = feature(layer, i as u32).unwrap_or_else(|| panic!("EPCI {code} has no feature"));
        assert!(!f.polygons.is_empty(), "EPCI {code}");
        for lod in [LOD_RAW, LOD_REGION, LOD_FRANCE] {
            let mp = feature_multipolygon(g, lod, f);
            if let Err(e) = mp.check_validation() {
                invalid.push(format!("{code} at {}: {e}", g.lods[lod].name));
            }
            assert!(feature_area_m2(g, lod, f) > 0.0, "EPCI {code} empty at lod {lod}");
        }
    }
    assert!(invalid.is_empty(), "{} invalid: {:#?}", invalid.len(), invalid);
}

#[test]
fn other_layers_are_valid_too() {
    let r = real();
    let g = &r.geometry;
    let mut invalid = Vec::new();
    for layer in [LAYER_DEP, LAYER_REG, LAYER_COM, LAYER_PDL_UNION] {
        for f in &g.layers[layer].features {
            for lod in [LOD_RAW, LOD_REGION, LOD_FRANCE] {
                if let Err(e) = feature_multipolygon(g, lod, f).check_validation() {
                    invalid.push(format!("layer {layer} territory {} lod {lod}: {e}", f.territory));
                }
            }
        }
    }
    assert!(invalid.is_empty(), "{} invalid: {:#?}", invalid.len(), invalid);
    assert_eq!(g.layers[LAYER_DEP].features.len(), r.deps.len());
    assert_eq!(g.layers[LAYER_COM].features.len(), r.com2025.len());
}

#[test]
fn llivia_stays_a_hole_in_the_pyrenees_orientales() {
    // Llívia, a Spanish exclave (~13 km²) entirely surrounded by French
    // communes of the Pyrénées-Orientales: not covered by any commune, it
    // must not be filled like a digitising gap.
    use geo::Contains;
    let r = real();
    let g = &r.geometry;
    let d66 = r.deps.iter().position(|d| d == "66").unwrap() as u32;
    let f = feature(&g.layers[LAYER_DEP], d66).unwrap();
    let (x, y) = lambert93(1.9806, 42.4647); // Llívia's church
    let llivia = geo::Point::new(x, y);
    let (x, y) = lambert93(2.0105, 42.4800); // Saillagouse, next door
    let saillagouse = geo::Point::new(x, y);
    for lod in [LOD_RAW, LOD_REGION] {
        let mp = feature_multipolygon(g, lod, f);
        assert!(!mp.contains(&llivia), "lod {lod}");
        assert!(mp.contains(&saillagouse), "lod {lod}");
        assert!(f.polygons.iter().any(|p| p.rings.len() > 1), "a hole");
    }
}

/// Shoelace area of a source ring projected without rounding.
fn source_ring_area(ring: &[[f64; 2]]) -> f64 {
    let p: Vec<(f64, f64)> = ring.iter().map(|q| lambert93(q[0], q[1])).collect();
    let mut s = 0.0;
    for i in 0..p.len() - 1 {
        s += p[i].0 * p[i + 1].1 - p[i + 1].0 * p[i].1;
    }
    s / 2.0
}

fn source_commune_area(c: &CommuneGeometry) -> f64 {
    c.polygons
        .iter()
        .map(|poly| {
            poly.iter()
                .enumerate()
                .map(|(i, r)| if i == 0 { source_ring_area(r).abs() } else { -source_ring_area(r).abs() })
                .sum::<f64>()
        })
        .sum()
}

#[test]
fn pdl_epci_union_keeps_the_communes_area() {
    let r = real();
    let g = &r.geometry;
    let pdl_epci: HashSet<&str> = r.pdl_epci.iter().map(|&i| r.epci[i as usize].as_str()).collect();
    assert!(pdl_epci.len() >= 69 && pdl_epci.len() <= 75, "{} EPCI", pdl_epci.len());
    assert!(pdl_epci.contains("244400404") && pdl_epci.contains("243500741"));
    let expected: f64 =
        r.communes.iter().filter(|c| pdl_epci.contains(c.epci2025.as_str())).map(source_commune_area).sum();
    let union = &g.layers[LAYER_PDL_UNION].features;
    assert_eq!(union.len(), 1);
    let got = feature_area_m2(g, LOD_RAW, &union[0]);
    let rel = (got - expected).abs() / expected;
    assert!(rel < 1e-4, "union {got} m² vs communes {expected} m² ({rel:e})");
    // The same holds EPCI by EPCI.
    let sum: f64 =
        r.pdl_epci.iter().map(|&i| feature_area_m2(g, LOD_RAW, feature(&g.layers[LAYER_EPCI], i).unwrap())).sum();
    assert!((sum - expected).abs() / expected < 1e-4);
    // ~33,000 km² of PdL plus the outside parts of the crossing EPCI.
    assert!(expected > 3.2e10 && expected < 3.8e10, "{expected}");
}

#[test]
fn dissolving_removes_interior_borders() {
    let r = real();
    let g = &r.geometry;
    let nantes = r.epci.binary_search(&"244400404".to_string()).unwrap() as u32;
    let f = feature(&g.layers[LAYER_EPCI], nantes).unwrap();
    assert_eq!(f.polygons.len(), 1, "Nantes Métropole is one piece");
    assert_eq!(f.polygons[0].rings.len(), 1, "without hole");
    // Its 24 communes, in the commune layer, have more rings and arcs.
    let members: Vec<&CommuneGeometry> = r.communes.iter().filter(|c| c.epci2025 == "244400404").collect();
    assert_eq!(members.len(), 24);
    let com_layer = &g.layers[LAYER_COM];
    let (mut rings, mut arcs) = (0, 0);
    for c in &members {
        let id = r.com2025.binary_search(&c.com2025).unwrap() as u32;
        let cf = feature(com_layer, id).unwrap();
        rings += cf.polygons.iter().map(|p| p.rings.len()).sum::<usize>();
        arcs += cf.polygons.iter().flat_map(|p| &p.rings).map(|r| r.arcs.len()).sum::<usize>();
    }
    let own_arcs = f.polygons[0].rings[0].arcs.len();
    assert!(rings >= 24 && arcs > own_arcs, "communes: {rings} rings, {arcs} arcs; EPCI: {own_arcs} arcs");
    // The outline is the communes' outer edges only: its length is less
    // than the sum of the communes' perimeters.
    let perimeter = |pts: &[[i64; 2]]| -> f64 {
        pts.windows(2).map(|w| (((w[1][0] - w[0][0]).pow(2) + (w[1][1] - w[0][1]).pow(2)) as f64).sqrt()).sum()
    };
    let outline = perimeter(&ring_points(g, LOD_RAW, &f.polygons[0].rings[0]));
    let communes_perimeter: f64 = members
        .iter()
        .map(|c| {
            let id = r.com2025.binary_search(&c.com2025).unwrap() as u32;
            feature(com_layer, id)
                .unwrap()
                .polygons
                .iter()
                .flat_map(|p| &p.rings)
                .map(|r| perimeter(&ring_points(g, LOD_RAW, r)))
                .sum::<f64>()
        })
        .sum();
    assert!(outline < communes_perimeter / 2.0, "{outline} vs {communes_perimeter}");
}

#[test]
fn epci_and_departement_layers_share_arcs() {
    let r = real();
    let g = &r.geometry;
    // Départements whose EPCI all lie inside them and whose communes all
    // have an EPCI: their outline is made of EPCI borders.
    let mut epci_deps: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for c in &r.communes {
        epci_deps.entry(c.epci2025.as_str()).or_default().insert(c.dep.as_str());
    }
    let clean: Vec<&str> = r
        .deps
        .iter()
        .map(|d| d.as_str())
        .filter(|d| {
            r.communes
                .iter()
                .filter(|c| c.dep == *d)
                .all(|c| !c.epci2025.is_empty() && epci_deps[c.epci2025.as_str()].len() == 1)
        })
        .collect();
    // Most départements qualify (not the PdL ones: Pays d'Ancenis crosses
    // into 49, Sablé-sur-Sarthe's CC into 53, L'Île-d'Yeu has no EPCI).
    assert!(clean.len() > 15, "{} clean départements", clean.len());
    assert!(!clean.contains(&"85") && !clean.contains(&"49"));
    let refs = |f: &territoire::schema::Feature| -> Vec<i32> {
        f.polygons.iter().flat_map(|p| &p.rings).flat_map(|r| r.arcs.clone()).collect()
    };
    let epci_refs: HashSet<i32> = g.layers[LAYER_EPCI].features.iter().flat_map(refs).collect();
    let dep_refs: HashMap<&str, Vec<i32>> = r
        .deps
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), refs(feature(&g.layers[LAYER_DEP], i as u32).unwrap())))
        .collect();
    let mut shared_with_neighbour = 0;
    for d in &clean {
        for a in &dep_refs[d] {
            // Same arc, same direction: the EPCI inside walks its border the
            // way the département does.
            assert!(epci_refs.contains(a), "département {d}: arc {a} not used by any EPCI");
            if dep_refs.iter().any(|(o, v)| o != d && v.contains(&!a)) {
                shared_with_neighbour += 1;
            }
        }
    }
    assert!(shared_with_neighbour > 100, "{shared_with_neighbour}");
    // And the same points: at every level of detail, the EPCI of a clean
    // département cover exactly its area (same arcs, so same vertices).
    for d in &clean {
        let di = r.deps.iter().position(|x| x == d).unwrap() as u32;
        let dep_f = feature(&g.layers[LAYER_DEP], di).unwrap();
        let members: BTreeSet<u32> = r
            .communes
            .iter()
            .filter(|c| c.dep == *d)
            .map(|c| r.epci.binary_search(&c.epci2025).unwrap() as u32)
            .collect();
        for lod in [LOD_RAW, LOD_REGION, LOD_FRANCE] {
            let sum: f64 =
                members.iter().map(|&e| feature_area_m2(g, lod, feature(&g.layers[LAYER_EPCI], e).unwrap())).sum();
            let dep = feature_area_m2(g, lod, dep_f);
            assert!((sum - dep).abs() < 1.0, "{d} lod {lod}: EPCI {sum} vs département {dep}");
        }
    }
}

/// Whether the open ring `got` is the open ring `want` (same cyclic order)
/// plus extra points each lying within `tol` metres of the `want` segment
/// it was inserted into; returns the number of extra points.
fn embeds(got: &[[i64; 2]], want: &[[i64; 2]], tol: f64) -> Option<usize> {
    let k = got.iter().position(|p| *p == want[0])?;
    let (n, m) = (got.len(), want.len());
    let mut i = 1; // next want point to meet
    let mut extra = 0;
    for step in 1..=n {
        let p = got[(k + step) % n];
        let target = want[i % m];
        if p == target {
            i += 1;
            continue;
        }
        let (a, b) = (want[i - 1], target);
        let (dx, dy) = ((b[0] - a[0]) as f64, (b[1] - a[1]) as f64);
        let cross = dx * (p[1] - a[1]) as f64 - dy * (p[0] - a[0]) as f64;
        if cross.abs() / dx.hypot(dy) > tol {
            return None;
        }
        extra += 1;
    }
    (i == m + 1).then_some(extra)
}

/// The widest sliver between two communes' versions of their shared border
/// in the source, metres (measured: ~11 m near Herbignac, 44).
const SLIVER_M: f64 = 25.0;

#[test]
fn tolerance_zero_reproduces_the_quantised_input() {
    let r = real();
    let g = &r.geometry;
    // PdL communes not merged in 2025 are their own feature in the commune
    // layer: its rings must be the source rings, projected and rounded. The
    // only changes allowed are where the source's shared borders disagree
    // (a neighbour's vertex on or beside an edge the commune has straight, a
    // sliver of gap or overlap): the border then follows the neighbour's
    // vertices, which lie within a sliver's width of the commune's edge.
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &r.communes {
        *count.entry(c.com2025.as_str()).or_default() += 1;
    }
    let (mut checked, mut exact, mut extra_points) = (0, 0, 0);
    for c in r.communes.iter().filter(|c| PDL_DEPS.contains(&c.dep.as_str()) && count[c.com2025.as_str()] == 1) {
        let id = r.com2025.binary_search(&c.com2025).unwrap() as u32;
        let f = feature(&g.layers[LAYER_COM], id).unwrap();
        let got: Vec<Vec<[i64; 2]>> = f
            .polygons
            .iter()
            .flat_map(|p| &p.rings)
            .map(|ring| {
                let mut v = ring_points(g, LOD_RAW, ring);
                v.pop();
                v
            })
            .collect();
        let want: Vec<Vec<[i64; 2]>> = c
            .polygons
            .iter()
            .flat_map(|p| p.iter().enumerate())
            .map(|(i, ring)| {
                let mut pts: Vec<[i64; 2]> = ring.iter().map(|q| proj(q[0], q[1])).collect();
                pts.dedup();
                pts.pop(); // the closing point
                           // Orient as the pack does: exteriors counter-clockwise.
                let a = ring_area_m2(&pts);
                if (a > 0.0) != (i == 0) {
                    pts.reverse();
                }
                pts
            })
            .collect();
        assert_eq!(got.len(), want.len(), "commune {}: ring count", c.code);
        let mut extras = 0;
        for w in &want {
            let e = got.iter().find_map(|gr| embeds(gr, w, SLIVER_M));
            let e = e.unwrap_or_else(|| panic!("commune {}: source ring {w:?} not found in {got:?}", c.code));
            extras += e;
        }
        if extras == 0 {
            exact += 1;
        }
        extra_points += extras;
        checked += 1;
    }
    eprintln!("{checked} communes checked, {exact} exact, {extra_points} points added");
    assert!(checked > 1_100, "{checked}");
    assert!(exact * 20 > checked * 19, "{exact} of {checked} exact");
}

#[test]
fn merged_communes_dissolve_into_their_2025_commune() {
    let r = real();
    let g = &r.geometry;
    let mut parts: BTreeMap<&str, Vec<&CommuneGeometry>> = BTreeMap::new();
    for c in r.communes.iter().filter(|c| PDL_DEPS.contains(&c.dep.as_str())) {
        parts.entry(c.com2025.as_str()).or_default().push(c);
    }
    let merged: Vec<_> = parts.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(!merged.is_empty(), "COG 2025 merged some PdL communes");
    for (code, members) in merged {
        let id = r.com2025.binary_search(&code.to_string()).unwrap() as u32;
        let f = feature(&g.layers[LAYER_COM], id).unwrap();
        let expected: f64 = members.iter().map(|c| source_commune_area(c)).sum();
        let got = feature_area_m2(g, LOD_RAW, f);
        assert!((got - expected).abs() / expected < 1e-3, "{code}: {got} vs {expected}");
        let rings: usize = members.iter().map(|c| c.polygons.iter().map(|p| p.len()).sum::<usize>()).sum();
        let got_rings: usize = f.polygons.iter().map(|p| p.rings.len()).sum();
        assert!(got_rings < rings || rings == 1, "{code}: {got_rings} rings from {rings}");
    }
}

#[test]
fn build_is_deterministic() {
    // Same input, same bytes: the pack's checksum and diffs between builds
    // must not depend on hash-map order.
    let r = real();
    let communes: Vec<CommuneGeometry> =
        r.communes.iter().filter(|c| ["44", "49", "56"].contains(&c.dep.as_str())).cloned().collect();
    let layers = vec![
        LayerSpec {
            kind: TerritoryKind::Departement,
            assign: communes.iter().map(|c| if c.dep == "56" { 1 } else { 0 }).collect(),
        },
        LayerSpec { kind: TerritoryKind::Commune, assign: (0..communes.len() as u32).collect() },
    ];
    let a = build_geometry(&communes, &layers, &lods(&[0.0, 300.0])).unwrap();
    let b = build_geometry(&communes, &layers, &lods(&[0.0, 300.0])).unwrap();
    assert!(a == b);
}

#[test]
fn levels_of_detail_share_arcs_and_shrink() {
    let g = &real().geometry;
    let n = g.lods[0].arc_offsets.len();
    assert!(g.lods.iter().all(|l| l.arc_offsets.len() == n));
    let pts: Vec<usize> = g.lods.iter().map(|l| l.coords.len() / 2).collect();
    assert!(pts[LOD_FRANCE] < pts[LOD_REGION] && pts[LOD_REGION] < pts[LOD_RAW], "{pts:?}");
    for l in &g.lods {
        assert_eq!(*l.arc_offsets.last().unwrap() as usize * 2, l.coords.len());
        // No consecutive duplicate inside an arc.
        for a in 0..n - 1 {
            let v: Vec<[i32; 2]> = arc_points(l, a).collect();
            assert!(!v.is_empty());
            assert!(v.windows(2).all(|w| w[0] != w[1]), "lod {} arc {a}", l.name);
        }
    }
    // Simplified arcs keep their endpoints.
    for a in 0..n - 1 {
        let ends = |l: usize| {
            let v: Vec<[i32; 2]> = arc_points(&g.lods[l], a).collect();
            (v[0], v[v.len() - 1])
        };
        assert_eq!(ends(LOD_RAW), ends(LOD_FRANCE));
    }
}

/// Tuning aid, not a check: builds the real layers at a range of
/// tolerances and writes each level of detail's raw arrays to
/// `$GEOMETRY_DUMP_DIR` (default the temp dir) for size measurements.
#[test]
#[ignore]
fn lod_size_survey() {
    let r = real();
    let dir = std::env::var_os("GEOMETRY_DUMP_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let tolerances = [0.0, 20.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 500.0, 800.0];
    let lods: Vec<LodSpec> = tolerances.iter().map(|&t| LodSpec { name: format!("t{t}"), tolerance_m: t }).collect();
    // The same layers as real(), rebuilt from the geometry's own features.
    let layers: Vec<LayerSpec> = (0..4)
        .map(|li| {
            let kind = TerritoryKind::from_u8(r.geometry.layers[li].kind).unwrap();
            LayerSpec { kind, assign: layer_assign(r, li) }
        })
        .collect();
    let t = Instant::now();
    let (g, report) = build_geometry_report(&r.communes, &layers, &lods).unwrap();
    eprintln!("build with {} lods: {} ms", lods.len(), t.elapsed().as_millis());
    for (l, rep) in g.lods.iter().zip(&report.lods) {
        let mut bytes = Vec::new();
        for v in &l.arc_offsets {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        for v in &l.coords {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        std::fs::write(dir.join(format!("lod_{}.bin", rep.tolerance_m)), &bytes).unwrap();
        eprintln!(
            "tolerance {:>6} m: {:>7} points, {:>8} bytes raw, {} repaired, {} ms",
            rep.tolerance_m, rep.points, rep.bytes, rep.simplify.repaired_points, rep.ms
        );
    }
    let mut refs = Vec::new();
    for layer in &g.layers {
        for f in &layer.features {
            for p in &f.polygons {
                for ring in &p.rings {
                    for a in &ring.arcs {
                        refs.extend_from_slice(&a.to_le_bytes());
                    }
                }
            }
        }
    }
    std::fs::write(dir.join("arc_refs.bin"), &refs).unwrap();
    eprintln!("arc refs: {} bytes", refs.len());
}

/// The assignment that produced layer `li` of `real()` (recomputed).
fn layer_assign(r: &Real, li: usize) -> Vec<u32> {
    let epci_id: HashMap<&str, u32> = r.epci.iter().enumerate().map(|(i, c)| (c.as_str(), i as u32)).collect();
    let dir = data_dir();
    let deps_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("cog/departements.json")).unwrap()).unwrap();
    let dep_region: HashMap<String, String> = deps_json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["region"].as_str().unwrap().to_string()))
        .collect();
    let regs: Vec<String> = r.deps.iter().map(|d| dep_region[d].clone()).collect::<BTreeSet<_>>().into_iter().collect();
    r.communes
        .iter()
        .map(|c| match li {
            LAYER_EPCI => epci_id.get(c.epci2025.as_str()).copied().unwrap_or(NO_TERRITORY),
            LAYER_DEP => r.deps.binary_search(&c.dep).unwrap() as u32,
            LAYER_REG => regs.binary_search(&dep_region[&c.dep]).unwrap() as u32,
            _ => {
                if PDL_DEPS.contains(&c.dep.as_str()) {
                    r.com2025.binary_search(&c.com2025).unwrap() as u32
                } else {
                    NO_TERRITORY
                }
            }
        })
        .collect()
}
