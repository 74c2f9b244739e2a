//! Real snapshots to PDF: the document the core lays out from the real pack
//! (`build/pack.bin`, made by `make pack`) for several kinds of territory,
//! written by the PDF module and read back with poppler: page count, title
//! and tags, embedded subset fonts, the names, key figures and comments as
//! text, and the cover and first infographic page against reference
//! renders.

use std::collections::BTreeMap;
use std::path::PathBuf;

use territoire::export::{snapshot_document, Comments};
use territoire::Pack;
use territoire_pdf::pdf;

mod common;
use common::{assert_page_matches, field, options, run};

fn pack() -> Pack {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../build/pack.bin");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make pack` first)", path.display()));
    Pack::from_bytes(&bytes).expect("the real pack loads")
}

/// Writes the PDF of `code`'s snapshot with its default comparisons and
/// returns its path.
fn export(pack: &Pack, code: &str, comments: &Comments) -> PathBuf {
    let t = pack.territory_by_code(code, None).unwrap();
    let doc = snapshot_document(pack, t, &t.default_comparisons(), comments, &[], "2026-11-21").expect("document");
    let bytes = pdf(&doc, &options()).expect("PDF written");
    let dir = std::env::temp_dir().join("territoire-pdf-territories");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.pdf", code.replace(':', "-")));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn text_of(path: &std::path::Path) -> String {
    // Any kind of space as one space: figures use no-break spaces.
    let raw = run("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"]);
    raw.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[test]
fn several_territories_export_with_their_names_figures_and_comments() {
    let pack = pack();
    let comment = "Hausse à surveiller <script>alert(1)</script> & « suivi » – Ελληνικά";
    let comments = Comments {
        general: "Note de synthèse pour le comité de pilotage.".into(),
        panels: BTreeMap::from([("pauvrete".to_string(), comment.to_string())]),
    };
    // (code, name, a key figure as shown, a reference name or none)
    let cases = [
        ("244400404", "Nantes Métropole", "12,8 %", Some("nantes")),
        ("200000172", "Communauté de communes Faucigny-Glières", "non disponible", Some("faucigny")),
        ("dep:44", "Loire-Atlantique", "Pays de la Loire", None),
        ("245300389", "Communauté de communes du Bocage Mayennais", "Mayenne", None),
    ];
    for (code, name, figure, reference) in cases {
        let path = export(&pack, code, &comments);
        let info = run("pdfinfo", &[path.to_str().unwrap()]);
        assert!(field(&info, "Title").contains(name), "{code}: {info}");
        assert_eq!(field(&info, "Tagged"), "yes", "{code}");
        assert!(field(&info, "Page size").starts_with("595.28 x 841.89"), "{code}: A4");
        let pages: usize = field(&info, "Pages").parse().unwrap();
        assert!(pages >= 12, "{code}: {pages} pages");

        let fonts = run("pdffonts", &[path.to_str().unwrap()]);
        let dejavu: Vec<&str> = fonts.lines().filter(|l| l.contains("DejaVuSans")).collect();
        assert!(dejavu.len() >= 2 && dejavu.iter().all(|l| l.contains("+DejaVuSans")), "{code}: subsets\n{fonts}");
        assert!(
            dejavu.iter().all(|l| l.split_whitespace().rev().take(5).filter(|w| *w == "yes").count() == 3),
            "{code}: embedded\n{fonts}"
        );

        let text = text_of(&path);
        for needle in
            [name, figure, "Source", "Insee, Filosofi 2021", comment, "Note de synthèse pour le comité de pilotage."]
        {
            assert!(text.contains(needle), "{code}: « {needle} » not found in the PDF text");
        }
        if let Some(reference) = reference {
            assert_page_matches(&path, 1, &format!("{reference}-cover"), 1.5);
            assert_page_matches(&path, 2, &format!("{reference}-page2"), 1.5);
        }
    }
}
