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

/// The map's highlight outlines group `<g data-outlines="">…</g>` (it holds
/// paths only) in `svg`, and how many such groups there are.
fn outlines_group(svg: &str) -> (&str, usize) {
    const OPEN: &str = "<g data-outlines=\"\"";
    let count = svg.matches(OPEN).count();
    let start = svg.find(OPEN).unwrap_or_else(|| panic!("no outlines group in {}…", &svg[..svg.len().min(300)]));
    let end = start + svg[start..].find("</g>").expect("the group is closed") + "</g>".len();
    (&svg[start..end], count)
}

/// (width, height, viewBox) of an SVG document's root.
fn size_of(svg: &str) -> (String, String, String) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}"));
    let root = doc.root_element();
    let a = |n: &str| root.attribute(n).unwrap_or_else(|| panic!("no {n}")).to_string();
    (a("width"), a("height"), a("viewBox"))
}

#[test]
fn outlines_alone_are_the_full_maps_group_byte_for_byte() {
    let p = pack();
    // Le Mans Métropole and the Métropole du Grand Paris: the second is
    // outside the Pays de la Loire views.
    let paris = p.territories_by_code("epci:200054781");
    assert_eq!(paris.len(), 1, "the pack has the Métropole du Grand Paris");
    let paris_name = paris[0].name().to_string();
    let highlights: [&[&str]; 6] = [
        &["epci:244400404", "dep:44", "reg:52", "FRM"],
        &["epci:244900015", "epci:244400404"],
        &["epci:200054781", "epci:244900015"],
        &["epci:200054781"],
        &[],
        &["244400404"],
    ];
    let dep49 = View::DepartementEpci { departement: "49".into() };
    let maps = [
        (View::PdlEpci, choropleth("taux_pauvrete", Method::Quantiles, 5, true), 900.0, 720.0),
        (View::FranceEpci, choropleth("taux_pauvrete", Method::Quantiles, 5, false), 960.0, 960.0),
        (dep49, Layer::DensityGrid, 700.0, 560.0),
        (View::PdlCommunes, Layer::DensityGrid, 900.0, 720.0),
        (View::PdlEpci, Layer::Typology { id: Some("fragilites".into()), variables: vec![], classes: 5 }, 640.0, 512.0),
    ];
    let cache = MapCache::new();
    for (view, layer, w, h) in &maps {
        let mut previous: Option<String> = None;
        for hl in highlights {
            let r = req(view.clone(), layer.clone(), hl, *w, *h);
            let what = format!("{view:?} {hl:?}");
            let full = map::draw_cached(p, &cache, &r).unwrap_or_else(|e| panic!("{what}: {e}"));
            // Through the cache (the geometry of the map just drawn) and afresh.
            let alone = map::outlines_cached(p, &cache, &r).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(alone == map::outlines(p, &r).unwrap(), "{what}: the cached outlines differ from fresh ones");
            let (in_full, n_full) = outlines_group(&full.svg);
            let (in_alone, n_alone) = outlines_group(&alone);
            assert_eq!((n_full, n_alone), (1, 1), "{what}: one outlines group in each document");
            assert!(in_full == in_alone, "{what}: the outlines differ from the full map's:\n{in_alone}\nvs\n{in_full}");
            assert_eq!(size_of(&alone), size_of(&full.svg), "{what}: same size and viewBox as the map");
            // The document draws the outlines only.
            let doc = roxmltree::Document::parse(&alone).unwrap();
            let drawn: Vec<&str> = doc
                .descendants()
                .filter(|n| n.is_element() && !matches!(n.tag_name().name(), "svg" | "title" | "desc"))
                .map(|n| n.tag_name().name())
                .collect();
            assert!(drawn.first() == Some(&"g") && drawn[1..].iter().all(|t| *t == "path"), "{what}: {drawn:?}");
            // What is outlined: two strokes (halo + line) per territory in the view.
            let paths = in_full.matches("<path").count();
            if hl.is_empty() {
                assert_eq!(in_full, "<g data-outlines=\"\"></g>", "{what}: empty, and no accessible label");
            } else if in_full.contains("aria-label") {
                assert!(in_full
                    .starts_with("<g data-outlines=\"\" role=\"group\" aria-label=\"Territoires mis en évidence : "));
                assert!(paths >= 2 && paths % 2 == 0, "{what}: {paths} paths");
            } else {
                assert_eq!(paths, 0, "{what}: paths in an unlabelled group");
            }
            let paris_outlined = in_full.contains(&paris_name);
            assert_eq!(paris_outlined, hl.contains(&"epci:200054781") && *view == View::FranceEpci, "{what}");
            let nantes_in_view = !matches!(view, View::DepartementEpci { .. });
            if nantes_in_view && (hl.first() == Some(&"epci:244400404") || hl.first() == Some(&"244400404")) {
                assert!(in_full.contains("Nantes Métropole"), "{what}: the study is outlined");
                assert!(in_full.contains(" stroke-width=\"2.6\""), "{what}: the study's thick stroke");
            }
            // Swapping the group into the previous map (another highlight)
            // gives this map, byte for byte.
            if let Some(prev) = previous.take() {
                let (old, _) = outlines_group(&prev);
                let at = prev.find(old).unwrap();
                let swapped = format!("{}{}{}", &prev[..at], in_alone, &prev[at + old.len()..]);
                assert!(swapped == full.svg, "{what}: swapping the outlines in does not give the full map");
            }
            previous = Some(full.svg);
        }
    }
    // A highlight the pack does not know: the same French error as the map.
    let bad = req(View::PdlEpci, Layer::DensityGrid, &["epci:000000000"], 900.0, 720.0);
    let e = map::outlines_cached(p, &cache, &bad).unwrap_err().to_string();
    assert_eq!(e, map::draw(p, &bad).unwrap_err().to_string());
}

/// The outlines through the cache once the map is drawn (the page's
/// territory switch), then after drawing another layer of the same view and
/// at another size: byte for byte the fresh outlines and the group of the
/// full map of each request, never those of a map laid out otherwise.
#[test]
fn cached_outlines_follow_the_map_they_belong_to() {
    let p = pack();
    let highlights: [&[&str]; 5] = [
        &["epci:244400404", "dep:44"],
        &["epci:244900015", "epci:244400404"],
        &["epci:200054781"],
        &[],
        &["reg:52", "epci:244900015"],
    ];
    // A narrow map: the legend goes under it, so its height places the map
    // area and the layers below sit differently.
    let quantiles = choropleth("taux_pauvrete", Method::Quantiles, 5, false);
    let circles = choropleth("taux_pauvrete", Method::Jenks, 7, true);
    let typology = Layer::Typology { id: Some("fragilites".into()), variables: vec![], classes: 5 };
    let cache = MapCache::new();
    // Outlines for `hl` of the map (view, layer, size) through the cache,
    // checked against a fresh map and fresh outlines of the same request.
    let check = |view: &View, layer: &Layer, w: f64, h: f64, hl: &[&str], what: &str| -> String {
        let r = req(view.clone(), layer.clone(), hl, w, h);
        let what = format!("{what}: {view:?} {layer:?} {w}×{h} {hl:?}");
        let alone = map::outlines_cached(p, &cache, &r).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(alone == map::outlines(p, &r).unwrap(), "{what}: the cached outlines differ from fresh ones");
        let full = map::draw(p, &r).unwrap();
        assert!(outlines_group(&alone).0 == outlines_group(&full.svg).0, "{what}: not the full map's group");
        assert_eq!(size_of(&alone), size_of(&full.svg), "{what}: not the full map's size");
        alone
    };
    for view in [View::FranceEpci, View::PdlEpci] {
        let (w, h) = (420.0, 640.0);
        // The map drawn, then only its outlines for other territories.
        map::draw_cached(p, &cache, &req(view.clone(), quantiles.clone(), highlights[0], w, h)).unwrap();
        let first: Vec<String> = highlights.iter().map(|hl| check(&view, &quantiles, w, h, hl, "drawn")).collect();
        // Another layer of the same view drawn: its own placement.
        for other in [&circles, &typology] {
            map::draw_cached(p, &cache, &req(view.clone(), other.clone(), highlights[1], w, h)).unwrap();
            for (hl, before) in highlights.iter().zip(&first) {
                let now = check(&view, other, w, h, hl, "another layer");
                if !hl.is_empty() && outlines_group(before).0.contains("<path") {
                    assert!(
                        outlines_group(&now).0 != outlines_group(before).0,
                        "{view:?} {hl:?}: the layers place the map alike, the test proves nothing"
                    );
                }
            }
            // The first layer's outlines are still its own.
            check(&view, &quantiles, w, h, highlights[1], "back to the first layer");
        }
        // A layer never drawn through this cache, then another size (not
        // drawn, then drawn).
        check(&view, &choropleth("revenu_median", Method::Quantiles, 4, false), w, h, highlights[0], "not drawn");
        check(&view, &quantiles, 960.0, 720.0, highlights[2], "other size, not drawn");
        map::draw_cached(p, &cache, &req(view.clone(), quantiles.clone(), &[], 960.0, 720.0)).unwrap();
        for hl in highlights {
            check(&view, &quantiles, 960.0, 720.0, hl, "other size, drawn");
        }
        check(&view, &quantiles, w, h, highlights[4], "first size again");
    }
    // The errors of a placed map are those of the map.
    let bad = req(View::FranceEpci, quantiles.clone(), &["epci:000000000"], 960.0, 720.0);
    assert_eq!(
        map::outlines_cached(p, &cache, &bad).unwrap_err().to_string(),
        map::draw(p, &bad).unwrap_err().to_string()
    );
}
