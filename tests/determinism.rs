//! The core's interactive calls are deterministic on the real pack: the
//! same snapshot or the same France EPCI choropleth twice gives the same
//! bytes (the viewer and its caches rely on it). Their timings are in
//! `examples/core_bench.rs` (`make bench`).

mod common;
use common::pack;

use territoire::classify::Method;
use territoire::map::{self, Layer, MapRequest, View};
use territoire::report::SnapshotView;

fn snapshot_svgs(code: &str) -> Vec<String> {
    let p = pack();
    let t = p.territory_by_code(code, None).unwrap();
    let s = territoire::snapshot::build(p, t, &t.default_comparisons()).unwrap();
    SnapshotView::of(s).panels.into_iter().map(|p| p.svg).collect()
}

#[test]
fn the_same_snapshot_twice_gives_the_same_svg() {
    for code in ["epci:244400404", "dep:44", "reg:52"] {
        let first = snapshot_svgs(code);
        assert_eq!(first.len(), 9, "{code}: nine panels");
        assert_eq!(first, snapshot_svgs(code), "{code}: the same snapshot twice gives the same SVG");
    }
}

#[test]
fn the_same_map_twice_gives_the_same_svg() {
    let p = pack();
    let req = MapRequest {
        view: View::FranceEpci,
        layer: Layer::Choropleth {
            indicator: "taux_pauvrete".into(),
            year: None,
            method: Method::Quantiles,
            classes: 5,
            palette: None,
            circles: false,
        },
        highlight: vec!["epci:244400404".into()],
        width: 960.0,
        height: 960.0,
    };
    let first = map::draw(p, &req).unwrap();
    assert!(first.features.len() > 1000, "{} EPCI", first.features.len());
    assert_eq!(first.svg, map::draw(p, &req).unwrap().svg, "the same map twice gives the same SVG");
}
