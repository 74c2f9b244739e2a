//! Maps drawn from the real pack: what is drawn, the legend's counts, the
//! special entries, the circles, the views, errors in French, reference
//! SVGs. `MAP_OUT=/tmp` writes every map drawn here for a look.

mod common;
use common::pack;

use std::path::PathBuf;
use std::time::Instant;

use territoire::classify::Method;
use territoire::map::{self, Layer, MapRequest, MapResponse, View};
use territoire::schema::Status;
use territoire::TerritoryKind;

fn choropleth(indicator: &str, year: Option<u16>, method: Method, classes: usize, circles: bool) -> Layer {
    Layer::Choropleth { indicator: indicator.into(), year, method, classes, palette: None, circles }
}

fn request(view: View, layer: Layer) -> MapRequest {
    MapRequest { view, layer, highlight: vec![], width: 900.0, height: 700.0 }
}

fn draw(name: &str, r: &MapRequest) -> MapResponse {
    let m = map::draw(pack(), r).unwrap_or_else(|e| panic!("{name}: {e}"));
    common::check_svg(&m.svg).unwrap_or_else(|e| panic!("{name}: {e}"));
    if let Some(dir) = std::env::var_os("MAP_OUT") {
        std::fs::write(PathBuf::from(dir).join(format!("{name}.svg")), &m.svg).unwrap();
    }
    m
}

fn poverty(view: View, circles: bool) -> MapRequest {
    request(view, choropleth("taux_pauvrete", Some(2021), Method::Quantiles, 5, circles))
}

/// `data-id` values of the feature paths, in document order.
fn path_ids(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("path"))
        .filter_map(|n| n.attribute("data-id").map(String::from))
        .collect()
}

/// (data-id, r) of the circles, in document order.
fn circles(svg: &str) -> Vec<(String, f64)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("circle"))
        .filter_map(|n| Some((n.attribute("data-id")?.to_string(), n.attribute("r")?.parse().ok()?)))
        .collect()
}

#[test]
fn france_epci_poverty_choropleth() {
    let p = pack();
    let r = poverty(View::FranceEpci, false);
    let m = draw("map_france_pauvrete", &r);
    // Time it warm (the first draw pays page faults), print, never assert.
    let t = Instant::now();
    let runs = 5;
    for _ in 0..runs {
        std::hint::black_box(map::draw(p, &r).unwrap());
    }
    let ms = t.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!(
        "France EPCI choropleth: {ms:.1} ms per draw, SVG {} bytes ({} KB), {} features",
        m.svg.len(),
        m.svg.len() / 1024,
        m.features.len()
    );

    let metro: Vec<String> =
        p.territories_of_kind(TerritoryKind::Epci).filter(|t| t.metro()).map(|t| t.key()).collect();
    let ids = path_ids(&m.svg);
    assert_eq!(ids.len(), metro.len(), "one path per metropolitan EPCI");
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "no EPCI drawn twice");
    assert!(metro.iter().all(|k| ids.contains(k)));
    assert_eq!(m.features.iter().map(|f| f.key.clone()).collect::<Vec<_>>(), ids, "features in drawing order");
    assert!(m.features.iter().all(|f| f.figure.is_some()), "every EPCI has a value or a status");

    let total: usize = m.legend.iter().map(|e| e.count).sum();
    assert_eq!(total, m.features.len(), "legend counts add up to the territories drawn");
    let classes: Vec<_> = m.legend.iter().filter(|e| e.label.starts_with("de ")).collect();
    assert_eq!(classes.len(), 5);
    assert_eq!(m.breaks.len(), 6);
    assert!(m.breaks.windows(2).all(|w| w[0] < w[1]), "{:?}", m.breaks);
    for (i, f) in m.features.iter().enumerate() {
        assert!(m.legend[f.legend].count > 0, "{i}");
        if let Some(c) = f.class {
            let v = f.figure.as_ref().unwrap().value.unwrap();
            assert!(v >= m.breaks[c] - 1e-9 && v <= m.breaks[c + 1] + 1e-9, "{} {v} not in class {c}", f.key);
        }
    }
    // Quantiles: classes of roughly equal size.
    let counts: Vec<usize> = classes.iter().map(|e| e.count).collect();
    let (lo, hi) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
    assert!(*hi <= lo * 2, "{counts:?}");

    // Bottom-coded: its own entry, never a class.
    let bottom = m.features.iter().find(|f| f.key == "epci:200033090").expect("EPCI 200033090 drawn");
    assert_eq!(bottom.figure.as_ref().unwrap().status, Status::BottomCoded);
    assert_eq!(bottom.class, None);
    assert_eq!(m.legend[bottom.legend].label, "≤\u{a0}5\u{a0}%");
    let bottom_color = &m.legend[bottom.legend].color;
    assert!(classes.iter().all(|e| &e.color != bottom_color), "≤ 5 % never looks like a class");
    // Absent from FILOSOFI 2021: "non disponible".
    let missing = m
        .features
        .iter()
        .find(|f| f.figure.as_ref().is_some_and(|fig| fig.status == Status::NotAvailable))
        .expect("an EPCI absent from Filosofi 2021");
    assert_eq!(missing.class, None);
    assert_eq!(m.legend[missing.legend].label, "non disponible");
    assert_eq!(m.title, "Taux de pauvreté en 2021 par intercommunalité");
    assert!(m.sources.iter().any(|s| s == "Source : Insee, Filosofi 2021"), "{:?}", m.sources);
    assert!(m.svg.contains("de 1"), "class labels in the SVG");
    assert!(m.svg.contains("km</text>"), "a scale bar");
    assert!(!m.svg.contains("fill-opacity"), "no circles asked");
}

#[test]
fn pdl_epci_choropleth_with_circles() {
    let p = pack();
    let mut r = poverty(View::PdlEpci, false);
    r.highlight = vec!["244400404".into(), "dep:44".into(), "reg:52".into(), "FRM".into()];
    let m = draw("map_pdl_pauvrete", &r);
    assert!(path_ids(&m.svg).contains(&"epci:244400404".to_string()), "Nantes Métropole drawn");
    assert!(m.features.iter().all(|f| p
        .territories_by_code(&f.key)
        .first()
        .is_some_and(|t| t.pdl() != territoire::schema::PdlCoverage::Outside)));
    assert!(m.svg.contains("Territoires mis en évidence : Nantes Métropole, Loire-Atlantique, Pays de la Loire\""));
    common::assert_reference("map_pdl_pauvrete", &m.svg);

    let mut rc = poverty(View::PdlEpci, true);
    rc.highlight = r.highlight.clone();
    let mc = draw("map_pdl_pauvrete_cercles", &rc);
    assert!(mc.svg.contains("fill-opacity=\"0.55\""), "the circles are see-through");
    let cs = circles(&mc.svg);
    let on_map: Vec<&(String, f64)> = cs.iter().filter(|c| c.0.starts_with("epci:")).collect();
    assert!(on_map.len() > 50, "{}", on_map.len());
    assert!(on_map.windows(2).all(|w| w[0].1 >= w[1].1), "largest circles first");
    // Area ∝ value: radius ratio = sqrt of the value ratio.
    let poor = p.indicator("personnes_pauvres").unwrap();
    let value = |key: &str| {
        let t = p.territories_by_code(key)[0];
        p.value(t, poor, 2021).unwrap().value.unwrap()
    };
    let (a, b) = (on_map[0], on_map[on_map.len() / 2]);
    let expected = (value(&a.0) / value(&b.0)).sqrt();
    let got = a.1 / b.1;
    assert!((got / expected - 1.0).abs() < 0.02, "radius ratio {got} vs sqrt of value ratio {expected}");
    assert_eq!(a.0, "epci:244400404", "Nantes Métropole has the most poor people");
    assert!(mc.svg.contains("Personnes pauvres en 2021"));
    common::assert_reference("map_pdl_pauvrete_cercles", &mc.svg);
}

#[test]
fn departement_view_holds_its_epci_only() {
    let p = pack();
    let m = draw(
        "map_dep_85",
        &request(
            View::DepartementEpci { departement: "85".into() },
            choropleth("revenu_median", None, Method::Jenks, 4, false),
        ),
    );
    assert!(!m.features.is_empty());
    let dep = p.territories_by_code("dep:85")[0];
    for f in &m.features {
        let t = p.territories_by_code(&f.key)[0];
        assert!(t.departements().any(|d| d == dep), "{} is not in Vendée", f.key);
    }
    let expected = p.territories_of_kind(TerritoryKind::Epci).filter(|t| t.departements().any(|d| d == dep)).count();
    assert_eq!(m.features.len(), expected);
    assert!(m.legend.iter().any(|e| e.label.ends_with("€")), "{:?}", m.legend);
}

#[test]
fn density_grid_of_pdl_communes() {
    let m = draw(
        "map_pdl_communes_densite",
        &MapRequest {
            view: View::PdlCommunes,
            layer: Layer::DensityGrid,
            highlight: vec![],
            width: 900.0,
            height: 700.0,
        },
    );
    assert_eq!(m.features.len(), pack().territories_of_kind(TerritoryKind::Commune).count());
    assert!(m.legend.iter().any(|e| e.label == "1 – Grands centres urbains"));
    let total: usize = m.legend.iter().map(|e| e.count).sum();
    assert_eq!(total, m.features.len());
    let e = draw("map_pdl_epci_densite", &request(View::PdlEpci, Layer::DensityGrid));
    let nantes = e.features.iter().find(|f| f.key == "epci:244400404").unwrap();
    assert_eq!(nantes.class, Some(0), "Nantes Métropole is mostly a large urban centre");
    common::assert_reference("map_pdl_epci_densite", &e.svg);
}

#[test]
fn evolution_uses_a_diverging_palette() {
    let m = draw(
        "map_pdl_evolution",
        &request(View::PdlEpci, choropleth("evolution_population", None, Method::Quantiles, 6, false)),
    );
    assert_eq!(m.breaks.len(), 7);
    assert!(m.breaks[0] < 0.0 && *m.breaks.last().unwrap() > 0.0, "{:?}", m.breaks);
}

#[test]
fn typology_map() {
    let p = pack();
    assert!(p.data().typologies.iter().any(|t| t.id == "fragilites"), "the builder stores the fragility typology");
    let r = request(View::PdlEpci, Layer::Typology { id: None, variables: vec![], classes: 5 });
    let m = draw("map_pdl_typologie", &r);
    let ty = m.typology.as_ref().unwrap();
    assert_eq!(ty.id.as_deref(), Some("fragilites"));
    assert_eq!(ty.classes.len(), 5);
    common::check_svg(&ty.profiles_svg).unwrap();
    let total: usize = m.legend.iter().map(|e| e.count).sum();
    assert_eq!(total, m.features.len());
    common::assert_reference("map_pdl_typologie", &m.svg);
    common::assert_reference("map_typologie_profils", &ty.profiles_svg);
}

#[test]
fn recomputed_typology_of_pdl_epci() {
    let vars = ["taux_pauvrete", "taux_chomage", "part_75p", "evolution_population"];
    let r = request(
        View::PdlEpci,
        Layer::Typology {
            id: None,
            variables: vars.iter().map(|v| map::VariableRef { indicator: v.to_string(), year: None }).collect(),
            classes: 5,
        },
    );
    let m = draw("map_pdl_typologie_calculee", &r);
    let ty = m.typology.as_ref().unwrap();
    assert_eq!(ty.classes.len(), 5);
    assert_eq!(ty.variables.len(), 4);
    let classified = m.features.iter().filter(|f| f.class.is_some()).count();
    assert_eq!(ty.classes.iter().map(|c| c.size).sum::<usize>(), classified);
    let total: usize = m.legend.iter().map(|e| e.count).sum();
    assert_eq!(total, m.features.len());
    common::check_svg(&ty.profiles_svg).unwrap();
    assert!(ty.profiles_svg.contains("Taux de pauvreté"));
    if let Some(dir) = std::env::var_os("MAP_OUT") {
        std::fs::write(PathBuf::from(dir).join("profiles.svg"), &ty.profiles_svg).unwrap();
    }
    let bad = request(View::PdlEpci, Layer::Typology { id: None, variables: r.layer_variables(), classes: 9 });
    let e = map::draw(pack(), &bad).unwrap_err().to_string();
    assert!(e.contains("classes"), "{e}");
}

#[test]
fn invalid_requests_say_why_in_french() {
    let p = pack();
    let cases = [
        (
            poverty(View::PdlEpci, false).with_layer(choropleth("taux_de_rien", None, Method::Quantiles, 5, false)),
            "indicateur inconnu",
        ),
        (
            poverty(View::PdlEpci, false).with_layer(choropleth("taux_pauvrete", None, Method::Quantiles, 12, false)),
            "entre 3 et 9",
        ),
        (
            poverty(View::PdlEpci, false).with_layer(choropleth(
                "taux_pauvrete",
                None,
                Method::Manual { breaks: vec![10.0, 8.0, 12.0, 14.0] },
                5,
                false,
            )),
            "croissants",
        ),
        (poverty(View::DepartementEpci { departement: "999".into() }, false), "département inconnu"),
        (
            poverty(View::PdlEpci, false).with_layer(choropleth("population", None, Method::Quantiles, 5, false)),
            "effectif",
        ),
        (
            poverty(View::PdlEpci, false).with_layer(choropleth(
                "taux_pauvrete",
                Some(1990),
                Method::Quantiles,
                5,
                false,
            )),
            "années disponibles",
        ),
        (MapRequest { width: f64::NAN, ..poverty(View::PdlEpci, false) }, "taille de carte"),
        (MapRequest { highlight: vec!["nulle-part".into()], ..poverty(View::PdlEpci, false) }, "territoire inconnu"),
    ];
    for (r, want) in cases {
        let e = map::draw(p, &r).expect_err(want).to_string();
        assert!(e.contains(want), "{e:?} should say {want:?}");
    }
}

#[test]
fn requests_come_from_json() {
    let r: MapRequest = serde_json::from_str(
        r#"{"view":"departement_epci","departement":"44","layer":{"kind":"choropleth","indicator":"taux_pauvrete","year":null,
            "method":{"method":"quantiles"},"classes":5,"palette":null,"circles":true},"highlight":["244400404"],"width":640,"height":480}"#,
    )
    .unwrap();
    let m = draw("map_dep_44_json", &r);
    assert!(m.features.iter().any(|f| f.key == "epci:244400404"));
    let json = serde_json::to_value(map::indicators(pack())).unwrap();
    let list = json.as_array().unwrap();
    assert!(list.iter().any(|i| i["id"] == "taux_pauvrete" && i["years"].as_array().unwrap().contains(&2021.into())));
    assert!(list.iter().all(|i| i["kind"] != "count"));
}

trait Variables {
    fn layer_variables(&self) -> Vec<map::VariableRef>;
}

impl Variables for MapRequest {
    fn layer_variables(&self) -> Vec<map::VariableRef> {
        match &self.layer {
            Layer::Typology { variables, .. } => variables.clone(),
            _ => vec![],
        }
    }
}

trait WithLayer {
    fn with_layer(self, layer: Layer) -> Self;
}

impl WithLayer for MapRequest {
    fn with_layer(self, layer: Layer) -> Self {
        MapRequest { layer, ..self }
    }
}
