//! `territoire::json`, the hand-written JSON of a map's features that the
//! wasm layer hands the browser instead of serde-wasm-bindgen's objects:
//! it must read back as exactly what serde writes for the same values, on
//! real maps and on hostile text.

mod common;
use common::pack;
use common::payloads::file_payloads;

use territoire::classify::Method;
use territoire::map::{self, Layer, MapRequest, View};

fn request(view: View, layer: Layer) -> MapRequest {
    MapRequest { view, layer, highlight: vec!["epci:244400404".into()], width: 900.0, height: 720.0 }
}

#[test]
fn map_features_read_back_as_serde_writes_them() {
    let p = pack();
    let choropleth = |indicator: &str, circles| Layer::Choropleth {
        indicator: indicator.into(),
        year: None,
        method: Method::Quantiles,
        classes: 5,
        palette: None,
        circles,
    };
    let maps = [
        request(View::FranceEpci, choropleth("taux_pauvrete", false)),
        request(View::FranceEpci, choropleth("revenu_median", true)),
        request(View::PdlEpci, Layer::Typology { id: None, variables: vec![], classes: 5 }),
        request(View::PdlCommunes, Layer::DensityGrid),
        request(View::PdlCommunes, choropleth("part_locataires_hlm", false)),
    ];
    let mut statuses = std::collections::BTreeSet::new();
    for req in maps {
        let response = map::draw(p, &req).expect("map");
        assert!(response.features.len() > 60, "{:?}: {} features", req.view, response.features.len());
        let text = territoire::json::features(&response.features);
        let ours: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let serde = serde_json::to_value(&response.features).unwrap();
        assert_eq!(ours, serde, "{:?} {:?}", req.view, req.layer);
        for f in &response.features {
            if let Some(fig) = &f.figure {
                statuses.insert(fig.status.key());
            }
        }
    }
    // The maps cover figures with and without a value.
    assert!(statuses.len() >= 2, "{statuses:?}");
}

#[test]
fn strings_and_numbers_survive_whatever_they_hold() {
    let mut texts = file_payloads();
    texts.extend(
        ["", "\"", "\\", "\u{0}\u{1}\u{1f}\u{7f}", "tab\there\r\nline", "é ≤ 5 % 日本 🙂", "\u{2028}\u{2029}"]
            .map(String::from),
    );
    for s in &texts {
        let mut out = String::new();
        territoire::json::push_string(&mut out, s);
        let back: String = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{s:?} → {out}: {e}"));
        assert_eq!(&back, s);
    }
    for v in [
        0.0,
        -0.0,
        12.8,
        12.0,
        1e21,
        1e16,
        9_007_199_254_740_993.0,
        -2.5e17,
        1.5e-7,
        -3.25,
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
        // 17 digits, exponent forms, the smallest subnormal.
        0.1 + 0.2,
        1.0 / 3.0,
        -2.0 / 3.0 * 1e-9,
        1.25e-8,
        5e-324,
        123_456_789.012_345_67,
    ] {
        let mut out = String::new();
        territoire::json::push_f64(&mut out, v);
        let _: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{v} → {out}: not JSON: {e}"));
        // Read back by std, exact as the browser's JSON.parse (serde_json's
        // default reader is best effort past 15 digits).
        assert_eq!(out.parse::<f64>(), Ok(v), "{v} → {out}");
    }
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut out = String::new();
        territoire::json::push_f64(&mut out, v);
        assert_eq!(out, "null");
    }
}
