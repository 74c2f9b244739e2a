//! Hostile text through the core: every payload of `tests/payloads.txt`
//! (markup, entities, CDATA, `javascript:` URLs, bidi overrides,
//! invisible and control characters, emoji and other scripts, PDF syntax,
//! CSV formulas) plus generated very long strings, as the name of the study
//! territory and of its département in a pack crafted from the real one,
//! and as the user's comments in the export document.
//!
//! Every SVG the core writes for them (the nine infographics, the maps, the
//! typology's class profiles, each block of the document) must parse as
//! XML with no element or attribute coming from the text, and give the
//! text back verbatim (minus the control characters XML cannot carry) in
//! a text node or, for the maps, in the group's `aria-label`. Comments must
//! come back as literal text in the [`Document`].
//!
//! (`data-pack/tests/hostile.rs` builds such packs from the raw sources;
//! here the real pack is deserialised, renamed and serialised again, which
//! takes a fraction of a second.)

mod common;
use common::pack;
use common::payloads::{comment_text, file_payloads};

use std::collections::BTreeMap;

use territoire::document::Document;
use territoire::export::{default_maps, snapshot_document, Comments};
use territoire::map::{self, View};
use territoire::render::svg::to_svg;
use territoire::report::SnapshotView;
use territoire::scene::Item;
use territoire::schema::PackData;
use territoire::{Pack, TerritoryKind};

/// The file's payloads and very long ones made here.
fn payloads() -> Vec<String> {
    let mut all = file_payloads();
    assert!(all.len() >= 40, "{} payloads in tests/payloads.txt", all.len());
    all.extend([
        "Communauté de communes ".repeat(400).trim_end().to_string(),
        "A".repeat(20_000),
        "<script>".repeat(2_000),
        "&amp;".repeat(2_000),
        "é\u{301}".repeat(3_000),
        "🇫🇷".repeat(2_000),
        "\u{202E}".repeat(1_000) + "fin",
    ]);
    all
}

/// What XML can carry of `s`: the C0 controls other than tab and line
/// breaks, U+FFFE and U+FFFF dropped (as the SVG writer does).
fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The real pack as plain data, deserialised once.
fn real_data() -> &'static PackData {
    static DATA: std::sync::OnceLock<PackData> = std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        rkyv::deserialize::<PackData, rkyv::rancor::Error>(pack().data()).expect("the real pack deserialises")
    })
}

/// The real pack with Nantes Métropole named `study` and Loire-Atlantique
/// named `departement`, serialised and loaded again (through the same
/// checks as any pack).
fn crafted(study: &str, departement: &str) -> Pack {
    let mut data = real_data().clone();
    for (code, kind, name) in
        [("244400404", TerritoryKind::Epci, study), ("44", TerritoryKind::Departement, departement)]
    {
        let t = data.territories.iter_mut().find(|t| t.code == code && t.kind == kind as u8).expect(code);
        t.name = name.to_string();
        t.search_key = territoire::search::name_key(name);
    }
    let bytes = territoire::pack::to_bytes(&data).expect("crafted pack serialises");
    Pack::from_bytes(&bytes).expect("the crafted pack loads")
}

/// The elements the SVG writer emits: anything else came from text.
const ELEMENTS: [&str; 11] = ["svg", "title", "desc", "defs", "pattern", "rect", "line", "path", "circle", "text", "g"];

/// Parses `svg` and checks that no element or attribute came from text:
/// SVG elements the writer emits only, no event handler, no link, no
/// style, no external `url(…)` in a presentation attribute (`data-*` and
/// `aria-*` values carry names and are inert); returns its text nodes and
/// attribute values. (`common::check_svg` treats any `url(` in any
/// attribute as a reference, which a territory named `fill:url(…)` in a
/// bar's `data-id` trips although it is inert: hence this check.)
fn parse(what: &str, svg: &str) -> (Vec<String>, Vec<String>) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what}: not well-formed XML: {e}"));
    let ns = Some("http://www.w3.org/2000/svg");
    assert!(doc.root_element().has_tag_name(("http://www.w3.org/2000/svg", "svg")), "{what}: root is not <svg>");
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name();
        assert!(
            tag.namespace() == ns && ELEMENTS.contains(&tag.name()),
            "{what}: element <{}> ({:?})",
            tag.name(),
            tag.namespace()
        );
        for a in n.attributes() {
            let name = a.name();
            // xml:space="preserve" keeps a name's spaces; no other namespace.
            let xml_space = a.namespace() == Some("http://www.w3.org/XML/1998/namespace") && name == "space";
            assert!(a.namespace().is_none() || xml_space, "{what}: namespaced attribute {name} on <{}>", tag.name());
            assert!(
                !name.starts_with("on") && !matches!(name, "href" | "style" | "src"),
                "{what}: attribute {name} on <{}>",
                tag.name()
            );
            let inert = name.starts_with("data-") || name.starts_with("aria-");
            if !inert {
                assert!(
                    !a.value().contains("url(") || a.value().starts_with("url(#"),
                    "{what}: {name}=\"{}\"",
                    a.value()
                );
                assert!(!a.value().contains("javascript:"), "{what}: {name}=\"{}\"", a.value());
            }
        }
    }
    assert!(!doc.descendants().any(|n| n.is_pi()), "{what}: processing instruction");
    assert!(
        !svg.contains("<![CDATA[") && !svg.contains("<!DOCTYPE") && !svg.contains("<!--"),
        "{what}: CDATA, DOCTYPE or comment"
    );
    let texts = doc.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).map(String::from).collect();
    let attrs = doc.descendants().flat_map(|n| n.attributes().map(|a| a.value().to_string())).collect();
    (texts, attrs)
}

/// Whether a text node is `want`, or `want` cut to fit ("Communauté de
/// communes du Pa…").
fn shown(texts: &[String], want: &str) -> bool {
    // A name of control characters only has nothing XML can show.
    want.is_empty()
        || texts.iter().any(|t| {
            t == want
                || t.strip_suffix('…').is_some_and(|cut| !cut.trim().is_empty() && want.starts_with(cut.trim_end()))
        })
}

fn short(s: &str) -> String {
    let head: String = s.chars().take(60).collect();
    if head.len() < s.len() {
        format!("{head:?}… ({} chars)", s.chars().count())
    } else {
        format!("{head:?}")
    }
}

#[test]
fn hostile_territory_names_stay_text_in_every_infographic_and_map_svg() {
    let payloads = payloads();
    let mut checked = (0, 0, 0);
    for (i, name) in payloads.iter().enumerate() {
        // The département gets another payload: both names are on every
        // infographic (study and first comparison).
        let dep_name = &payloads[(i + 1) % payloads.len()];
        let p = crafted(name, dep_name);
        let study = p.territory_by_code("244400404", None).unwrap();
        assert_eq!(study.name(), name.as_str());
        let comparisons = study.default_comparisons();
        let snapshot = territoire::snapshot::build(&p, study, &comparisons).expect("snapshot");
        let view = SnapshotView::of(snapshot);
        assert_eq!(view.panels.len(), 9);
        let mut whole = 0;
        // A reading sentence that starts with the name capitalises it.
        let capitalised = {
            let w = xml_text(name);
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        };
        let (want, want_dep) = (xml_text(name), xml_text(dep_name));
        for panel in &view.panels {
            let what = format!("payload {i} {}, infographic {}", short(name), panel.panel.id);
            let (texts, _) = parse(&what, &panel.svg);
            // The legend names each column: verbatim, or cut with "…" to fit.
            assert!(shown(&texts, &want), "{what}: the name is not a text node of its own");
            assert!(shown(&texts, &want_dep), "{what}: the département's name {} is not a text node", short(dep_name));
            whole += texts.iter().filter(|t| t.contains(&want) || t.contains(&capitalised)).count();
            checked.0 += 1;
        }
        // Uncut at least once (in the title, the description or a reading
        // sentence) however long it is.
        assert!(whole > 0 || want.is_empty(), "payload {i} {}: never shown whole", short(name));

        // Maps: the study territory and its comparisons are outlined, the
        // group's aria-label names them.
        let mut requests = default_maps(study, &comparisons);
        let mut dep = requests[0].clone();
        dep.view = View::DepartementEpci { departement: "44".into() };
        requests.push(dep);
        for r in &requests {
            let drawing = map::draw(&p, r).unwrap_or_else(|e| panic!("payload {i}: map {r:?}: {e}"));
            let what = format!("payload {i} {}, map {:?}", short(name), r.layer);
            let (_, attrs) = parse(&what, &drawing.svg);
            assert!(attrs.iter().any(|a| a.contains(&want)), "{what}: the name is not in an attribute verbatim");
            if let Some(ty) = &drawing.typology {
                parse(&format!("{what}, class profiles"), &ty.profiles_svg);
            }
            checked.1 += 1;
        }
        // The map's features carry the name as data for the page.
        let drawing = map::draw(&p, &requests[0]).unwrap();
        assert!(drawing.features.iter().any(|f| f.name == *name), "payload {i}: not among the map's features");
        checked.2 += 1;
    }
    println!(
        "hostile: {} names ({} from tests/payloads.txt), {} infographic SVGs, {} map SVGs checked",
        payloads.len(),
        file_payloads().len(),
        checked.0,
        checked.1
    );
}

#[test]
fn hostile_names_in_patches_stay_escaped_text() {
    // From one payload's infographics to the next one's, as a page that
    // switches between them receives them (src/render/patch.rs): the patch
    // is JSON, its values and texts come escaped as in the SVG, and the
    // markup it inserts is the writer's elements only.
    let payloads = payloads();
    let shown = territoire::render::patch::Shown::new();
    let mut keys: Vec<u32> = Vec::new();
    let mut patches = 0;
    for (i, name) in payloads.iter().enumerate() {
        let p = crafted(name, &payloads[(i + 1) % payloads.len()]);
        let study = p.territory_by_code("244400404", None).unwrap();
        let view = territoire::report::InfographicsView::of(
            territoire::snapshot::build(&p, study, &study.default_comparisons()).expect("snapshot"),
        )
        .against(&shown, &keys);
        keys = view.panels.iter().map(|panel| panel.key.expect("a key")).collect();
        for panel in &view.panels {
            let Some(patch) = &panel.patch else { continue };
            let what = format!("payload {i} {}, patch of {}", short(name), panel.id);
            let ops: Vec<serde_json::Value> =
                serde_json::from_str(patch).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
            for op in &ops[1..] {
                let kind = op[0].as_str().unwrap_or_else(|| panic!("{what}: {op}"));
                let text = op.as_array().and_then(|a| a.last()).and_then(|v| v.as_str()).unwrap_or("");
                match kind {
                    "a" | "t" => assert!(!text.contains(['<', '>', '"', '\'']), "{what}: unescaped {}", short(text)),
                    "b" | "e" => {
                        parse(&what, &format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{text}</svg>"));
                    }
                    _ => {}
                }
            }
            patches += 1;
        }
    }
    assert!(patches >= 8 * (payloads.len() - 1), "{patches} patches");
    println!("hostile: {patches} patches between {} crafted packs checked", payloads.len());
}

/// Every text item of a document, flattened.
fn document_texts(doc: &Document) -> Vec<String> {
    fn walk(items: &[Item], out: &mut Vec<String>) {
        for item in items {
            match item {
                Item::Group { items, .. } => walk(items, out),
                Item::Text { text, .. } => out.push(text.clone()),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for page in &doc.pages {
        for block in &page.blocks {
            walk(&block.scene.items, &mut out);
        }
    }
    out
}

#[test]
fn hostile_comments_and_names_come_back_as_literal_text_in_the_document() {
    let payloads = payloads();
    let panels =
        ["population", "ages", "menages", "jeunesse", "emploi", "logement", "revenus", "pauvrete", "prestations"];
    let mut documents = 0;
    // Ten payloads a document: the general comment and one per panel, the
    // study territory named after the general comment's payload.
    for (batch, chunk) in payloads.chunks(10).enumerate() {
        let general = &chunk[0];
        let p = crafted(general, "Loire-Atlantique");
        let study = p.territory_by_code("244400404", None).unwrap();
        let comparisons = study.default_comparisons();
        let comments = Comments {
            general: general.clone(),
            panels: panels
                .iter()
                .zip(&chunk[1..])
                .map(|(id, c)| (id.to_string(), c.clone()))
                .collect::<BTreeMap<_, _>>(),
        };
        let doc = snapshot_document(&p, study, &comparisons, &comments, &[], "2026-11-21").expect("document");
        assert!(doc.title.contains(general.as_str()), "batch {batch}: title {}", short(&doc.title));
        let all = no_space(&document_texts(&doc).concat());
        for c in chunk {
            let want = no_space(&comment_text(c));
            assert!(all.contains(&want), "batch {batch}: comment {} not in the document's text as typed", short(c));
        }
        // The document's scenes as SVG (what a renderer of the document
        // could write): still well-formed and inert.
        for (n, page) in doc.pages.iter().enumerate() {
            for block in &page.blocks {
                parse(&format!("batch {batch}, page {}", n + 1), &to_svg(&block.scene));
            }
        }
        documents += 1;
    }
    println!("hostile: {} comments in {documents} documents checked", payloads.len());
}

#[test]
fn hostile_names_are_found_by_search_as_data() {
    for name in payloads().iter().take(20) {
        let p = crafted(name, "Loire-Atlantique");
        let hits = territoire::search::search(&p, "244400404", &[], 3);
        assert_eq!(hits[0].territory.name(), name.as_str());
        // Searching for the payload itself never panics.
        let _ = territoire::search::search(&p, name, &[], 5);
    }
}

/// The check itself catches what an unescaped name would inject.
#[test]
fn the_svg_check_refuses_injected_markup() {
    let svg = |inner: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{inner}</text></svg>");
    assert_eq!(parse("clean", &svg("a &lt;b&gt; &amp; c")).0, ["a <b> & c"]);
    for injected in [
        "</text><script>alert(1)</script><text>",
        "</text><svg onload=\"alert(1)\"/><text>",
        "</text><foreignObject/><text>",
        "</text><a href=\"javascript:alert(1)\">x</a><text>",
        "</text><rect fill=\"url(http://evil.example/x)\"/><text>",
        "</text><rect style=\"fill:red\"/><text>",
        "<![CDATA[x]]>",
        "<!-- x -->",
        "</text></svg><svg xmlns=\"http://www.w3.org/2000/svg\"><text>",
    ] {
        let doc = svg(injected);
        let caught = std::panic::catch_unwind(|| parse("injected", &doc)).is_err();
        assert!(caught, "not caught: {injected}");
    }
}
