//! The page's export request → document → PDF, as the PDF module's worker
//! runs it (`territoire_pdf::request::document`, then `pdf`), on the real
//! pack (`build/pack.bin`): comparisons resolved in the study's context,
//! comments and map requests read from JSON, and bad input refused with a
//! French message, never a panic.

use std::path::PathBuf;

use territoire::document::{Document, Role};
use territoire::scene::Item;
use territoire::Pack;
use territoire_pdf::{pdf, request};

mod common;
use common::options;

fn pack() -> Pack {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../build/pack.bin");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make pack` first)", path.display()));
    Pack::from_bytes(&bytes).expect("the real pack loads")
}

fn texts(items: &[Item], out: &mut String) {
    for item in items {
        match item {
            Item::Text { text, .. } => {
                out.push_str(text);
                out.push('\n');
            }
            Item::Group { items, .. } => texts(items, out),
            _ => {}
        }
    }
}

fn text_of(doc: &Document) -> String {
    let mut out = String::new();
    for page in &doc.pages {
        for block in &page.blocks {
            texts(&block.scene.items, &mut out);
        }
    }
    out
}

fn figures(doc: &Document) -> Vec<String> {
    doc.pages
        .iter()
        .flat_map(|p| &p.blocks)
        .filter_map(|b| match &b.role {
            Role::Figure { .. } => Some(b.scene.title.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_request_is_laid_out_and_written() {
    let pack = pack();
    let comments = r#"{"general": "Synthèse pour le comité", "panels": {"pauvrete": "À suivre de près"}}"#;
    let maps = r#"[{"view": "pdl_epci", "layer": {"kind": "density_grid"}, "highlight": ["epci:244400404"], "width": 700, "height": 560}]"#;
    // `52` is read in the study's context: the région Pays de la Loire.
    let doc = request::document(&pack, "epci:244400404", Some("44,52"), comments, Some(maps), "2026-11-21")
        .expect("document");
    let text = text_of(&doc);
    for want in
        ["Nantes Métropole", "Loire-Atlantique", "Pays de la Loire", "Synthèse pour le comité", "À suivre de près"]
    {
        assert!(text.contains(want), "« {want} » not in the document");
    }
    assert_eq!(doc.date, "2026-11-21");
    // The page's map first, then the two every document carries.
    let maps = figures(&doc);
    let grid = maps.iter().position(|t| t.contains("densité")).expect("density grid map");
    let poverty = maps.iter().position(|t| t.contains("pauvreté")).expect("poverty map");
    assert!(grid < poverty, "{maps:?}");
    let bytes = pdf(&doc, &options()).expect("PDF");
    assert!(bytes.starts_with(b"%PDF-"));

    // Same study, default comparisons, no comments, no maps: the same
    // pages count order of magnitude and the default maps only.
    let plain = request::document(&pack, "244400404", None, "", None, "2026-11-21").expect("document");
    assert!(!text_of(&plain).contains("Synthèse pour le comité"));
    assert!(figures(&plain).iter().all(|t| !t.contains("densité")), "{:?}", figures(&plain));
    // An empty comparison list: none at all.
    let alone = request::document(&pack, "244400404", Some(""), "", Some("[]"), "2026-11-21").expect("document");
    assert!(text_of(&alone).len() < text_of(&plain).len());
}

#[test]
fn bad_requests_are_refused_in_french() {
    let pack = pack();
    // (code, compare, comments, maps, what the message must say)
    type Case<'a> = (&'a str, Option<&'a str>, &'a str, Option<&'a str>, &'a str);
    let cases: [Case; 4] = [
        ("nulle-part", None, "", None, ""),
        ("244400404", Some("44,zzz"), "", None, ""),
        ("244400404", None, "{\"general\": 3}", None, "commentaires invalides"),
        ("244400404", None, "", Some("[{\"view\": \"lune\"}]"), "demandes de cartes invalides"),
    ];
    for (code, compare, comments, maps, want) in cases {
        let err = request::document(&pack, code, compare, comments, maps, "2026-11-21").expect_err(code);
        let message = err.to_string();
        assert!(!message.is_empty() && message.contains(want), "{code}: {message}");
    }
}
