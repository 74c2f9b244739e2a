//! The printable document (`territoire::export`) built from the real pack
//! (`build/pack.bin`, or `PACK_FILE`): cover, nine infographics cut across
//! pages without cutting text, comments as plain text, maps, sources and
//! methods; every block inside its page; a JSON round trip.

mod common;
use common::pack;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use territoire::document::{Block, Document, Role, A4_HEIGHT_PT, A4_WIDTH_PT};
use territoire::export::{snapshot_document, Comments};
use territoire::scene::{Item, Scene};
use territoire::snapshot::PANEL_IDS;
use territoire::TerritoryRef;

const NANTES: &str = "244400404";
const HOSTILE: &str =
    "<script>alert('x')</script> ) Tj (BT /F1 99 Tf) \\(échappé\\) &amp; %PDF-1.7 {{}} ${x} \u{202e}inversé";

fn document(code: &str, comments: &Comments) -> Document {
    let p = pack();
    let t = p.territory_by_code(code, None).unwrap();
    let cmp: Vec<TerritoryRef<'_>> = t.default_comparisons();
    snapshot_document(p, t, &cmp, comments, &[], "2025-11-21").expect("document")
}

fn nantes() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut comments = Comments { general: "Une métropole jeune et dynamique.".into(), ..Default::default() };
        comments.panels.insert("pauvrete".into(), "La pauvreté recule depuis 2018, sauf dans le centre.".into());
        comments.panels.insert("logement".into(), HOSTILE.into());
        document(NANTES, &comments)
    })
}

fn texts_of(items: &[Item], out: &mut Vec<(String, f64, f64)>) {
    for i in items {
        match i {
            Item::Text { text, x, y, .. } => out.push((text.clone(), *x, *y)),
            Item::Group { items, .. } => texts_of(items, out),
            _ => {}
        }
    }
}

fn texts(scene: &Scene) -> Vec<String> {
    let mut out = Vec::new();
    texts_of(&scene.items, &mut out);
    out.into_iter().map(|t| t.0).collect()
}

/// Every block in reading order with its page number.
fn blocks(doc: &Document) -> Vec<(usize, &Block)> {
    doc.pages.iter().enumerate().flat_map(|(i, p)| p.blocks.iter().map(move |b| (i, b))).collect()
}

fn joined(scene: &Scene) -> String {
    texts(scene).join(" ")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn cover_names_the_territory_and_its_comparisons() {
    let doc = nantes();
    assert_eq!(doc.title, "Instantané territorial – Nantes Métropole");
    assert_eq!(doc.lang, "fr-FR");
    assert!(doc.subject.contains("Nantes Métropole") && doc.subject.contains("Loire-Atlantique"), "{}", doc.subject);
    assert_eq!(doc.date, "2025-11-21");
    let cover = &doc.pages[0];
    assert!(matches!(cover.blocks[0].role, Role::Title));
    assert_eq!(joined(&cover.blocks[0].scene), "Instantané territorial");
    let all: String = cover.blocks.iter().map(|b| joined(&b.scene)).collect::<Vec<_>>().join(" ");
    let heading = cover.blocks.iter().find(|b| matches!(b.role, Role::Heading)).unwrap();
    assert!(joined(&heading.scene).contains("Nantes Métropole"), "{}", joined(&heading.scene));
    assert!(joined(&heading.scene).contains("Intercommunalité"), "{}", joined(&heading.scene));
    for name in ["Loire-Atlantique", "Pays de la Loire", "France métropolitaine"] {
        assert!(all.contains(name), "cover lacks {name}: {all}");
    }
    assert!(all.contains("21 novembre 2025"), "{all}");
    let squashed = squash(&all);
    assert!(squashed.contains("Insee, Filosofi"), "{all}");
    assert!(squashed.contains("Une métropole jeune et dynamique."), "{all}");
}

#[test]
fn nine_infographic_headings_in_order_each_followed_by_its_figure() {
    let doc = nantes();
    let p = pack();
    let t = p.territory_by_code(NANTES, None).unwrap();
    let snap = territoire::snapshot::build(p, t, &t.default_comparisons()).unwrap();
    let all = blocks(doc);
    let mut at = 0;
    for panel in &snap.panels {
        let i = all[at..]
            .iter()
            .position(|(_, b)| {
                matches!(b.role, Role::Heading) && squash(&joined(&b.scene)).contains(&squash(&panel.title))
            })
            .unwrap_or_else(|| panic!("no heading for panel {} after block {at}", panel.number))
            + at;
        let heading = joined(&all[i].1.scene);
        assert!(heading.starts_with(&panel.number.to_string()), "{heading}");
        let (page, next) = all[i + 1];
        assert_eq!(page, all[i].0, "heading {} alone at the bottom of a page", panel.number);
        match &next.role {
            Role::Figure { alt } => {
                assert!(alt.contains(&panel.title), "{alt}");
                for s in &panel.sentences {
                    assert!(alt.contains(s.as_str()), "alt lacks a reading sentence: {alt}");
                }
            }
            r => panic!("panel {}: {r:?} after the heading", panel.number),
        }
        at = i + 1;
    }
    assert_eq!(snap.panels.len(), PANEL_IDS.len());
}

#[test]
fn slices_share_out_every_text_of_the_infographic_once() {
    let doc = nantes();
    let p = pack();
    let t = p.territory_by_code(NANTES, None).unwrap();
    let snap = territoire::snapshot::build(p, t, &t.default_comparisons()).unwrap();
    let all = blocks(doc);
    let mut split = 0;
    for panel in &snap.panels {
        let scene = territoire::infographic::render(panel);
        // The heading and figure blocks cut from this scene, in order.
        let start = all
            .iter()
            .position(|(_, b)| matches!(b.role, Role::Heading) && b.scene.title == scene.title)
            .unwrap_or_else(|| panic!("no heading slice for {}", scene.title));
        let mut pieces = vec![all[start].1];
        for (_, b) in &all[start + 1..] {
            match &b.role {
                Role::Figure { .. } if b.scene.title == scene.title => pieces.push(b),
                _ => break,
            }
        }
        if pieces.len() > 2 {
            split += 1;
        }
        // Heights add up; each piece's texts lie inside it and, shifted
        // back, give the original's texts exactly once, in order.
        let total: f64 = pieces.iter().map(|b| b.scene.height).sum();
        assert!((total - scene.height).abs() < 1e-6, "{}: {total} vs {}", scene.title, scene.height);
        let mut offset = 0.0;
        let mut got = Vec::new();
        for b in &pieces {
            let mut ts = Vec::new();
            texts_of(&b.scene.items, &mut ts);
            for (text, x, y) in ts {
                assert!(y > 0.0 && y < b.scene.height, "{}: text {text:?} at {y} outside its slice", scene.title);
                got.push((text, x, ((y + offset) * 1000.0).round()));
            }
            offset += b.scene.height;
        }
        let mut want = Vec::new();
        texts_of(&scene.items, &mut want);
        let want: Vec<_> = want.into_iter().map(|(t, x, y)| (t, x, (y * 1000.0).round())).collect();
        assert_eq!(got, want, "{}", scene.title);
        // No text line crosses a cut.
        let mut cut = 0.0;
        for b in &pieces[..pieces.len() - 1] {
            cut += b.scene.height;
            let mut all_items = Vec::new();
            fn leaves<'a>(items: &'a [Item], out: &mut Vec<&'a Item>) {
                for i in items {
                    match i {
                        Item::Group { items, .. } => leaves(items, out),
                        _ => out.push(i),
                    }
                }
            }
            leaves(&scene.items, &mut all_items);
            for i in all_items {
                if let Item::Text { text, .. } = i {
                    let (top, bottom) = i.vertical_extent().unwrap();
                    assert!(!(top < cut && cut < bottom), "{}: the cut at {cut} crosses {text:?}", scene.title);
                }
            }
        }
    }
    assert!(split > 0, "no infographic was taller than a page: the splitting is not exercised");
}

#[test]
fn panel_comments_follow_their_figure_as_plain_text() {
    let doc = nantes();
    let all = blocks(doc);
    let fig = all
        .iter()
        .rposition(|(_, b)| matches!(b.role, Role::Figure { .. }) && b.scene.title.contains("Pauvreté"))
        .expect("the poverty infographic");
    let (_, next) = all[fig + 1];
    assert!(matches!(next.role, Role::Paragraph));
    let text = squash(&joined(&next.scene));
    assert!(text.starts_with("Commentaire"), "{text}");
    assert!(text.contains("La pauvreté recule depuis 2018, sauf dans le centre."), "{text}");

    // The hostile one is kept exactly as typed, as text items.
    let hostile = all
        .iter()
        .find(|(_, b)| matches!(b.role, Role::Paragraph) && joined(&b.scene).contains("<script>"))
        .expect("the hostile comment");
    let text = squash(&joined(&hostile.1.scene));
    assert!(text.contains(&squash(HOSTILE)), "{text}");
    let logement = all.iter().rposition(|(_, b)| b.scene.title.contains("Logement")).unwrap();
    let at = all.iter().position(|(_, b)| std::ptr::eq(*b, hostile.1)).unwrap();
    assert_eq!(at, logement + 1, "the comment comes right after its infographic");
}

#[test]
fn every_block_is_inside_its_page() {
    let doc = nantes();
    for (i, page) in doc.pages.iter().enumerate() {
        assert_eq!((page.width_pt, page.height_pt), (A4_WIDTH_PT, A4_HEIGHT_PT));
        assert!(!page.blocks.is_empty(), "page {} is empty", i + 1);
        for b in &page.blocks {
            let (w, h) = (b.scene.width * b.scale, b.scene.height * b.scale);
            assert!(b.scale > 0.0 && b.scale.is_finite());
            assert!(
                b.x_pt >= 39.9
                    && b.y_pt >= 39.9
                    && b.x_pt + w <= A4_WIDTH_PT - 39.9
                    && b.y_pt + h <= A4_HEIGHT_PT - 39.9,
                "page {}: block {:?} ({:?}) at {},{} of {w}×{h} pt leaves the page",
                i + 1,
                b.scene.title,
                b.role,
                b.x_pt,
                b.y_pt
            );
        }
        // Blocks do not overlap, in reading order.
        for pair in page.blocks.windows(2) {
            assert!(pair[1].y_pt >= pair[0].y_pt + pair[0].scene.height * pair[0].scale - 1e-6, "page {}", i + 1);
        }
    }
}

#[test]
fn maps_and_methods() {
    let doc = nantes();
    let all = blocks(doc);
    let figure_titles: Vec<&str> = all
        .iter()
        .filter(|(_, b)| matches!(b.role, Role::Figure { .. }))
        .map(|(_, b)| b.scene.title.as_str())
        .collect();
    assert!(figure_titles.iter().any(|t| t.contains("pauvreté")), "{figure_titles:?}");
    assert!(figure_titles.iter().any(|t| t.starts_with("Profil des classes")), "{figure_titles:?}");
    let poverty_map = all
        .iter()
        .find(|(_, b)| {
            matches!(b.role, Role::Figure { .. }) && b.scene.width > 600.0 && b.scene.title.contains("pauvreté")
        })
        .expect("the poverty map");
    fn has_circles(items: &[Item]) -> bool {
        items.iter().any(|i| match i {
            Item::Circle { .. } => true,
            Item::Group { items, .. } => has_circles(items),
            _ => false,
        })
    }
    assert!(has_circles(&poverty_map.1.scene.items), "the poverty map has circles of poor people");

    let text: String = squash(&all.iter().map(|(_, b)| joined(&b.scene)).collect::<Vec<_>>().join(" "));
    let methods = text.find("Sources et méthodes").expect("a sources and methods section");
    let rest = &text[methods..];
    for needle in [
        "Insee, Filosofi 2021",
        "Millésime 2021",
        "Taux de pauvreté",
        "« secret statistique »",
        "« non disponible »",
        "« ≤ 5 % »",
        "« ordre de grandeur »",
        "« couverture partielle »",
        "quantiles",
        "Ward",
    ] {
        assert!(rest.contains(needle), "sources and methods lack {needle:?}");
    }
    for s in pack().sources() {
        assert!(rest.contains(s.label()), "source {} missing", s.label());
    }
}

#[test]
fn a_long_general_comment_flows_onto_more_pages() {
    let short = document(NANTES, &Comments::default());
    let sentence = "Le territoire concentre une part importante des ménages à bas revenus, notamment dans les quartiers prioritaires ; ";
    let mut long = String::new();
    while long.chars().count() < 3000 {
        long.push_str(sentence);
    }
    let long = long.trim().to_string();
    let doc = document(NANTES, &Comments { general: long.clone(), ..Default::default() });
    assert!(doc.pages.len() > short.pages.len(), "{} vs {} pages", doc.pages.len(), short.pages.len());
    // The comment starts on the cover and goes on over the next page(s),
    // whole and in order.
    let all = blocks(&doc);
    let start = all.iter().position(|(_, b)| joined(&b.scene) == "Commentaire général").unwrap();
    let mut text = Vec::new();
    let mut pages = Vec::new();
    for (page, b) in &all[start + 1..] {
        if !matches!(b.role, Role::Paragraph) {
            break;
        }
        text.push(joined(&b.scene));
        pages.push(*page);
    }
    assert_eq!(squash(&text.join(" ")), squash(&long));
    assert_eq!(pages.first(), Some(&0));
    assert!(pages.last() > Some(&0));
}

/// `a` and `b` equal, numbers to within 1e-12 (relative): serde_json
/// without its `float_roundtrip` feature may read the last bit of a float
/// differently, which no page can show.
fn same(a: &serde_json::Value, b: &serde_json::Value, path: &str) {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0), "{path}: {x} vs {y}");
        }
        (Array(x), Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, &format!("{path}[{i}]"));
            }
        }
        (Object(x), Object(y)) => {
            assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>(), "{path}");
            for (k, p) in x {
                same(p, &y[k], &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

#[test]
fn json_round_trip() {
    let doc = nantes();
    let json = serde_json::to_string(doc).unwrap();
    let back: Document = serde_json::from_str(&json).unwrap();
    let again = serde_json::to_string(&back).unwrap();
    same(&serde_json::from_str(&json).unwrap(), &serde_json::from_str(&again).unwrap(), "document");
    // Everything but the last bits of some floats is identical.
    assert_eq!((&back.title, &back.lang, &back.subject, &back.date), (&doc.title, &doc.lang, &doc.subject, &doc.date));
    assert_eq!(back.pages.len(), doc.pages.len());
    assert!(json.contains("\"role\":\"figure\""));
    assert!(json.contains("\"role\":\"heading\""));
    eprintln!("document JSON: {} KB", json.len() / 1024);
}

#[test]
fn timing_and_shape() {
    let p = pack();
    let t = p.territory_by_code(NANTES, None).unwrap();
    let cmp = t.default_comparisons();
    let started = Instant::now();
    let doc = snapshot_document(p, t, &cmp, &Comments::default(), &[], "2025-11-21").unwrap();
    let built = started.elapsed();
    let json = serde_json::to_string(&doc).unwrap();
    let total = started.elapsed();
    let per_page: Vec<usize> = doc.pages.iter().map(|p| p.blocks.len()).collect();
    eprintln!(
        "Nantes Métropole: {} pages (blocks per page {per_page:?}), built in {:.1} ms, with JSON ({} KB) {:.1} ms",
        doc.pages.len(),
        built.as_secs_f64() * 1000.0,
        json.len() / 1024,
        total.as_secs_f64() * 1000.0
    );
    for (i, page) in doc.pages.iter().enumerate() {
        let used = page.blocks.last().map_or(0.0, |b| b.y_pt + b.scene.height * b.scale);
        let what: Vec<String> = page
            .blocks
            .iter()
            .map(|b| {
                let role = match b.role {
                    Role::Title => "T",
                    Role::Heading => "H",
                    Role::Paragraph => "P",
                    Role::Figure { .. } => "F",
                };
                format!("{role}:{}", b.scene.title.chars().take(28).collect::<String>())
            })
            .collect();
        eprintln!("  page {:2} (down to {:3.0} pt): {}", i + 1, used, what.join(" | "));
    }
    // A territory outside the Pays de la Loire and a région build too.
    for code in ["200000172", "reg:52", "FRM"] {
        let t = p.territory_by_code(code, None).unwrap();
        let started = Instant::now();
        let doc = snapshot_document(p, t, &t.default_comparisons(), &Comments::default(), &[], "2025-11-21").unwrap();
        eprintln!("{code}: {} pages in {:.1} ms", doc.pages.len(), started.elapsed().as_secs_f64() * 1000.0);
    }
}

/// The pages as SVG files, to look at: `EXPORT_SVG_DIR=/tmp/pages cargo
/// test --release -p territoire --test export -- --ignored pages_as_svg`.
#[test]
#[ignore]
fn pages_as_svg() {
    let Some(dir) = std::env::var_os("EXPORT_SVG_DIR").map(PathBuf::from) else { return };
    std::fs::create_dir_all(&dir).unwrap();
    for (i, page) in nantes().pages.iter().enumerate() {
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\">\
             <rect width=\"{0}\" height=\"{1}\" fill=\"#fff\"/>",
            page.width_pt, page.height_pt
        );
        for b in &page.blocks {
            svg.push_str(&format!(
                "<g transform=\"translate({} {}) scale({})\">{}</g>",
                b.x_pt,
                b.y_pt,
                b.scale,
                territoire::render::svg::to_svg(&b.scene)
            ));
        }
        svg.push_str("</svg>");
        std::fs::write(dir.join(format!("page-{:02}.svg", i + 1)), svg).unwrap();
    }
}

#[test]
fn the_required_maps_are_added_to_the_page_s_own() {
    // The page passes its current map: a poverty choropleth without
    // circles. The document keeps it and still carries the circles map and
    // the typology.
    let p = pack();
    let t = p.territory_by_code("244400404", None).unwrap();
    let cmp = t.default_comparisons();
    let own = territoire::map::MapRequest {
        view: territoire::map::View::DepartementEpci { departement: "44".into() },
        layer: territoire::map::Layer::Choropleth {
            indicator: "taux_pauvrete".into(),
            year: None,
            method: territoire::classify::Method::Jenks,
            classes: 4,
            palette: None,
            circles: false,
        },
        highlight: vec![t.key()],
        width: 800.0,
        height: 640.0,
    };
    let doc = snapshot_document(p, t, &cmp, &Comments::default(), &[own], "2025-11-21").unwrap();
    let maps: Vec<&Block> = blocks(&doc)
        .into_iter()
        .map(|(_, b)| b)
        .filter(|b| matches!(b.role, Role::Figure { .. }) && b.scene.width > 600.0)
        .collect();
    fn circles(items: &[Item]) -> usize {
        items
            .iter()
            .map(|i| match i {
                Item::Circle { .. } => 1,
                Item::Group { items, .. } => circles(items),
                _ => 0,
            })
            .sum()
    }
    let with_circles = maps.iter().filter(|b| circles(&b.scene.items) > 10).count();
    assert!(with_circles >= 1, "a poverty map with circles of poor people is added");
    assert!(maps.iter().any(|b| b.scene.title.contains("Typologie")), "the typology is added");
    // The page's own map comes first.
    assert!(maps[0].scene.title.contains("pauvreté") && circles(&maps[0].scene.items) == 0);
}
