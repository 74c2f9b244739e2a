//! Hostile text in a crafted pack: the real pack with territory names
//! replaced by markup payloads. Every output that shows a name (the SVG of
//! each infographic, the tables and their CSV, the search) keeps it as
//! text, never as markup.

use std::path::{Path, PathBuf};

use territoire::report::SnapshotView;
use territoire::schema::PackData;
use territoire::Pack;

fn data_dir() -> PathBuf {
    std::env::var_os("DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"))
}

/// Names that break naive SVG, HTML, XML or CSV writers.
const PAYLOADS: [&str; 6] = [
    "<script>alert(1)</script>",
    "]]><svg onload=alert(2)>",
    "\"quoted\" & 'single' <b>bold</b>",
    "=HYPERLINK(\"http://x\";\"y\")",
    "A\u{0}B\u{8}C nul-and-backspace",
    "</text></svg><img src=x onerror=alert(3)>",
];

fn crafted(names: &[(&str, &str)]) -> Vec<u8> {
    static REAL: std::sync::OnceLock<PackData> = std::sync::OnceLock::new();
    let mut data =
        REAL.get_or_init(|| data_pack::build::build(&data_dir(), &Default::default()).expect("build").0).clone();
    for (code, name) in names {
        let t = data.territories.iter_mut().find(|t| t.code == *code).unwrap_or_else(|| panic!("{code}"));
        t.name = name.to_string();
    }
    territoire::pack::to_bytes(&data).unwrap()
}

/// Checks that an SVG document keeps `payload` as text: no element or
/// attribute comes out of it.
fn assert_svg_safe(svg: &str, payload: &str) {
    assert!(!svg.contains("<script"), "raw <script in SVG");
    assert!(!svg.contains("<img"), "raw <img in SVG");
    assert!(!svg.contains("<svg onload"), "raw onload in SVG");
    assert!(!svg.contains("]]>"), "raw ]]> in SVG");
    assert!(!svg.contains('\u{0}') && !svg.contains('\u{8}'), "control characters in SVG");
    // Where the payload's text shows, it is escaped.
    if payload.contains('<') {
        assert!(!svg.contains(payload), "payload unescaped: {payload}");
    }
}

#[test]
fn hostile_territory_names_stay_text_everywhere() {
    // Nantes Métropole is the study territory; Loire-Atlantique (its
    // département) a comparison: both names are shown in every panel.
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let dep_payload = PAYLOADS[(i + 1) % PAYLOADS.len()];
        let bytes = crafted(&[("244400404", payload), ("44", dep_payload)]);
        let pack = Pack::from_bytes(&bytes).expect("the crafted pack is well-formed");
        let study = pack.territory_by_code("244400404", None).unwrap();
        let comparisons = study.default_comparisons();
        let snapshot = territoire::snapshot::build(&pack, study, &comparisons).expect("snapshot");
        let view = SnapshotView::of(snapshot);
        assert_eq!(view.panels.len(), 9);
        for p in &view.panels {
            assert!(p.svg.starts_with("<svg") || p.svg.starts_with("<?xml"), "{}: not an SVG document", p.panel.id);
            assert_svg_safe(&p.svg, payload);
            assert_svg_safe(&p.svg, dep_payload);
            // The table keeps the name as typed (the page writes it with
            // textContent); the CSV defuses formulas and quotes.
            for line in p.csv.lines() {
                assert!(!line.starts_with('='), "{}: formula in CSV: {line}", p.panel.id);
                for field in line.split(';') {
                    assert!(!field.starts_with('='), "{}: formula in CSV: {line}", p.panel.id);
                }
            }
        }
        // JSON for the page: serde escapes, the page never uses innerHTML.
        let json = serde_json::to_string(&view).unwrap();
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        // Search still answers with the crafted name as data.
        let hits = territoire::search::search(&pack, "244400404", &[], 3);
        assert_eq!(hits[0].territory.name(), *payload);
    }
}
