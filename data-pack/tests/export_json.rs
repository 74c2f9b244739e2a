//! `data-pack export-json` on the real pack (build/pack.bin, `make pack`):
//! the GeoJSON and JSON the JavaScript side of `make bench` reads hold the
//! pack's own territories, outlines and figures.

use std::path::{Path, PathBuf};
use std::process::Command;

use territoire::{Pack, TerritoryKind};

fn pack_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../build/pack.bin")
}

fn export(out: &Path) {
    let res = Command::new(env!("CARGO_BIN_EXE_data-pack"))
        .args(["export-json", "--pack", pack_path().to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .expect("data-pack runs");
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).expect("file written")).expect("valid JSON")
}

/// Every [lon, lat] position of a Polygon or MultiPolygon.
fn positions(geometry: &serde_json::Value) -> Vec<[f64; 2]> {
    let mut out = Vec::new();
    let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
        Some("Polygon") => vec![&geometry["coordinates"]],
        Some("MultiPolygon") => geometry["coordinates"].as_array().unwrap().iter().collect(),
        other => panic!("unexpected geometry type {other:?}"),
    };
    for p in polygons {
        for ring in p.as_array().unwrap() {
            for pt in ring.as_array().unwrap() {
                out.push([pt[0].as_f64().unwrap(), pt[1].as_f64().unwrap()]);
            }
        }
    }
    out
}

#[test]
fn exports_the_packs_epci_outlines_and_figures() {
    let bytes = std::fs::read(pack_path()).expect("build/pack.bin exists: run `make pack` first");
    let pack = Pack::from_bytes(&bytes).expect("the pack loads");
    let out = std::env::temp_dir().join(format!("data-pack-export-json-{}", std::process::id()));
    export(&out);

    // One feature per metropolitan EPCI with an outline in the pack.
    let geo = read_json(&out.join("epci.geojson"));
    let features = geo["features"].as_array().unwrap();
    let metro_epci = pack.territories_of_kind(TerritoryKind::Epci).filter(|t| t.metro()).count();
    assert!(metro_epci > 1000, "{metro_epci} metropolitan EPCI");
    assert_eq!(features.len(), metro_epci);

    // WGS84 longitude / latitude inside France métropolitaine's box, closed
    // rings, exterior clockwise (d3-geo's winding).
    let mut all = Vec::new();
    for f in features {
        let pts = positions(&f["geometry"]);
        assert!(pts.len() >= 4, "{}", f["properties"]["key"]);
        all.extend(pts);
        let first_ring = match f["geometry"]["type"].as_str().unwrap() {
            "Polygon" => &f["geometry"]["coordinates"][0],
            _ => &f["geometry"]["coordinates"][0][0],
        };
        let ring: Vec<[f64; 2]> =
            first_ring.as_array().unwrap().iter().map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()]).collect();
        assert_eq!(ring.first(), ring.last(), "closed ring");
        let area: f64 = ring.windows(2).map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1]).sum();
        assert!(area < 0.0, "{}: exterior ring not clockwise", f["properties"]["key"]);
    }
    for [lon, lat] in &all {
        assert!((-5.3..=9.7).contains(lon) && (41.2..=51.2).contains(lat), "({lon}, {lat}) outside France");
    }

    // Nantes Métropole is around Nantes (47.22 N, 1.55 W).
    let nantes = features.iter().find(|f| f["properties"]["key"] == "epci:244400404").expect("Nantes Métropole");
    assert_eq!(nantes["properties"]["name"], pack.territory_by_code("244400404", None).unwrap().name());
    let pts = positions(&nantes["geometry"]);
    let (lon, lat) = (
        pts.iter().map(|p| p[0]).sum::<f64>() / pts.len() as f64,
        pts.iter().map(|p| p[1]).sum::<f64>() / pts.len() as f64,
    );
    assert!((lon + 1.55).abs() < 0.2 && (lat - 47.22).abs() < 0.15, "Nantes Métropole centred at ({lon}, {lat})");

    // Figures: the same values and statuses as the pack's.
    let data = read_json(&out.join("indicators.json"));
    let territories = data["territories"].as_array().unwrap();
    let non_communes = pack.territories().filter(|t| t.kind() != TerritoryKind::Commune).count();
    assert_eq!(territories.len(), non_communes);
    let at = territories.iter().position(|t| t["key"] == "epci:244400404").unwrap();
    assert_eq!(territories[at]["comparisons"], serde_json::json!(["dep:44", "reg:52", "pays:FRM"]));
    let statuses = data["statuses"].as_array().unwrap();
    let nm = pack.territory_by_code("244400404", None).unwrap();
    let indicators = data["indicators"].as_array().unwrap();
    for id in ["taux_pauvrete", "population", "revenu_median", "part_75p"] {
        let ind = pack.indicator(id).unwrap();
        let exported = indicators.iter().find(|i| i["id"] == id).unwrap_or_else(|| panic!("{id} exported"));
        let series = exported["series"].as_array().unwrap();
        assert_eq!(series.len(), pack.years(ind).len(), "{id}: one series per year");
        for s in series {
            let year = s["year"].as_u64().unwrap() as u16;
            let o = pack.value(nm, ind, year).unwrap();
            assert_eq!(s["values"][at].as_f64(), o.value, "{id} {year}");
            assert_eq!(statuses[s["status"][at].as_u64().unwrap() as usize], o.status.key(), "{id} {year}");
            assert_eq!(s["source"], o.source_label.as_str());
            assert_eq!(s["values"].as_array().unwrap().len(), territories.len());
        }
    }
    // Secret and missing figures keep their status (EPCI poverty rates have
    // some in FILOSOFI).
    let poverty = indicators.iter().find(|i| i["id"] == "taux_pauvrete").unwrap();
    let last = poverty["series"].as_array().unwrap().last().unwrap();
    let ind = pack.indicator("taux_pauvrete").unwrap();
    let year = last["year"].as_u64().unwrap() as u16;
    let mut checked = 0;
    for (i, t) in territories.iter().enumerate() {
        let code = t["key"].as_str().unwrap();
        let tr = pack.territories_by_code(code).into_iter().next().unwrap();
        let o = pack.value(tr, ind, year).unwrap();
        assert_eq!(statuses[last["status"][i].as_u64().unwrap() as usize], o.status.key(), "{code}");
        assert_eq!(last["values"][i].is_null(), o.value.is_none(), "{code}");
        checked += 1;
    }
    assert_eq!(checked, territories.len());
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_missing_pack_is_a_clear_error() {
    let out = std::env::temp_dir().join(format!("data-pack-export-json-missing-{}", std::process::id()));
    let res = Command::new(env!("CARGO_BIN_EXE_data-pack"))
        .args(["export-json", "--pack", "/nonexistent/pack.bin", "--out", out.to_str().unwrap()])
        .output()
        .expect("data-pack runs");
    assert!(!res.status.success());
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("/nonexistent/pack.bin: cannot read"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
