//! The viewer's map geometry cache ([`map::MapCache`]) never changes a
//! map: a sequence of draws through one cache, switching views, layers,
//! highlights and sizes and coming back, gives the same bytes (SVG and
//! response) as drawing each map afresh.

mod common;
use common::pack;

use territoire::classify::Method;
use territoire::map::{self, Layer, MapCache, MapRequest, View};

fn choropleth(indicator: &str, method: Method, classes: usize, circles: bool) -> Layer {
    Layer::Choropleth { indicator: indicator.into(), year: None, method, classes, palette: None, circles }
}

fn req(view: View, layer: Layer, highlight: &[&str], width: f64, height: f64) -> MapRequest {
    MapRequest { view, layer, highlight: highlight.iter().map(|h| h.to_string()).collect(), width, height }
}

#[test]
fn cached_draws_are_byte_identical_to_fresh_ones() {
    let p = pack();
    let nantes = ["epci:244400404", "dep:44", "reg:52"];
    let angers = ["epci:244900015"];
    let dep49 = View::DepartementEpci { departement: "49".into() };
    let typology = Layer::Typology { id: Some("fragilites".into()), variables: vec![], classes: 5 };
    let sequence = [
        req(View::FranceEpci, choropleth("taux_pauvrete", Method::Quantiles, 5, false), &nantes, 960.0, 960.0),
        // Same view and frame: a re-colour, a highlight change, circles.
        req(View::FranceEpci, choropleth("revenu_median", Method::Quantiles, 5, false), &nantes, 960.0, 960.0),
        req(View::FranceEpci, choropleth("taux_pauvrete", Method::Jenks, 7, true), &angers, 960.0, 960.0),
        req(View::FranceEpci, typology.clone(), &[], 960.0, 960.0),
        // Other views and sizes, then back to the first.
        req(View::PdlEpci, choropleth("taux_pauvrete", Method::Quantiles, 5, false), &nantes, 900.0, 720.0),
        req(View::PdlEpci, Layer::DensityGrid, &angers, 900.0, 720.0),
        req(dep49.clone(), choropleth("taux_pauvrete", Method::Quantiles, 4, true), &angers, 900.0, 720.0),
        req(View::PdlCommunes, Layer::DensityGrid, &nantes, 900.0, 720.0),
        req(View::FranceEpci, choropleth("taux_pauvrete", Method::Quantiles, 5, false), &nantes, 400.0, 400.0),
        req(View::FranceEpci, choropleth("taux_pauvrete", Method::Quantiles, 5, false), &nantes, 960.0, 960.0),
        req(dep49, typology, &nantes, 900.0, 720.0),
        req(View::PdlEpci, choropleth("taux_pauvrete", Method::Quantiles, 6, false), &[], 900.0, 720.0),
    ];
    let cache = MapCache::new();
    for (i, r) in sequence.iter().enumerate() {
        let fresh = map::draw(p, r).unwrap_or_else(|e| panic!("request {i}: {e}"));
        let cached = map::draw_cached(p, &cache, r).unwrap_or_else(|e| panic!("request {i} (cached): {e}"));
        assert!(fresh.svg == cached.svg, "request {i}: the cached draw's SVG differs");
        assert_eq!(format!("{:?}", fresh.features), format!("{:?}", cached.features), "request {i}");
        assert_eq!(format!("{:?}", fresh.legend), format!("{:?}", cached.legend), "request {i}");
        assert!(fresh.features.len() >= 5, "request {i}: {} features", fresh.features.len());
    }
    // An error through the cache is the same error, and leaves it usable.
    let bad = req(View::FranceEpci, choropleth("taux_pauvrete", Method::Quantiles, 12, false), &[], 960.0, 960.0);
    assert_eq!(map::draw(p, &bad).unwrap_err().to_string(), map::draw_cached(p, &cache, &bad).unwrap_err().to_string());
    assert_eq!(map::draw_cached(p, &cache, &sequence[0]).unwrap().svg, map::draw(p, &sequence[0]).unwrap().svg);
}
