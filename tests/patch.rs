//! A territory switch sends patches of the infographics a page shows
//! (`territoire::render::patch`): applied to the document shown, each must
//! give the new document exactly, on real
//! territories of every kind, with other comparisons, and back again. The
//! patches are applied here by a small model of the page's `patchSvg`
//! (`www/svg-import.js`), whose browser test checks the DOM the same way.

mod common;
use common::pack;

use territoire::render::patch::{Shown, Update};
use territoire::report::InfographicsView;

/// An element of a document, as the page's DOM holds it.
#[derive(Debug, Clone)]
struct Node {
    /// Position in document order in the document the patch addresses.
    index: Option<usize>,
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
    /// Written `<name …/>`.
    empty: bool,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#9;", "\t")
        .replace("&#10;", "\n")
        .replace("&#13;", "\r")
        .replace("&amp;", "&")
}

/// The elements written in `s` (as `svg.rs` writes them), in order.
fn parse(s: &str) -> Vec<Node> {
    fn element(s: &str, at: &mut usize) -> Node {
        let b = s.as_bytes();
        assert_eq!(b[*at], b'<');
        let end_name = *at + s[*at..].find([' ', '>', '/']).unwrap();
        let mut node = Node {
            index: None,
            name: s[*at + 1..end_name].to_owned(),
            attrs: vec![],
            children: vec![],
            text: String::new(),
            empty: false,
        };
        *at = end_name;
        loop {
            match b[*at] {
                b' ' => *at += 1,
                b'/' => {
                    *at += 2;
                    node.empty = true;
                    return node;
                }
                b'>' => {
                    *at += 1;
                    break;
                }
                _ => {
                    let eq = *at + s[*at..].find('=').unwrap();
                    let close = eq + 2 + s[eq + 2..].find('"').unwrap();
                    node.attrs.push((s[*at..eq].to_owned(), unescape(&s[eq + 2..close])));
                    *at = close + 1;
                }
            }
        }
        loop {
            if s[*at..].starts_with("</") {
                *at += s[*at..].find('>').unwrap() + 1;
                return node;
            }
            if b[*at] == b'<' {
                node.children.push(element(s, at));
            } else {
                let end = *at + s[*at..].find('<').unwrap();
                node.text.push_str(&unescape(&s[*at..end]));
                *at = end;
            }
        }
    }
    let mut at = 0;
    let mut out = Vec::new();
    while at < s.len() {
        out.push(element(s, &mut at));
    }
    out
}

/// `node` written as `svg.rs` writes it, but its attributes sorted (a page
/// adds a new attribute after the others; their order means nothing).
fn write(node: &Node, out: &mut String) {
    let esc = territoire::render::svg::escape;
    out.push('<');
    out.push_str(&node.name);
    let mut attrs: Vec<_> = node.attrs.iter().collect();
    attrs.sort();
    for (name, value) in attrs {
        out.push_str(&format!(" {name}=\"{}\"", esc(value)));
    }
    if node.empty {
        out.push_str("/>");
        return;
    }
    out.push('>');
    out.push_str(&esc(&node.text));
    for c in &node.children {
        write(c, out);
    }
    out.push_str(&format!("</{}>", node.name));
}

fn written(node: &Node) -> String {
    let mut out = String::new();
    write(node, &mut out);
    out
}

fn number(node: &mut Node, next: &mut usize) {
    node.index = Some(*next);
    *next += 1;
    for c in &mut node.children {
        number(c, next);
    }
}

fn count(node: &Node) -> usize {
    1 + node.children.iter().map(count).sum::<usize>()
}

/// The parent of element `i` and its position there.
fn find_parent(node: &mut Node, i: usize) -> Option<(&mut Node, usize)> {
    if let Some(pos) = node.children.iter().position(|c| c.index == Some(i)) {
        return Some((node, pos));
    }
    node.children.iter_mut().find_map(|c| find_parent(c, i))
}

fn find(node: &mut Node, i: usize) -> Option<&mut Node> {
    if node.index == Some(i) {
        return Some(node);
    }
    node.children.iter_mut().find_map(|c| find(c, i))
}

/// `patch` applied to `root` as the page applies it.
fn apply(root: &mut Node, patch: &str) {
    let ops: Vec<serde_json::Value> = serde_json::from_str(patch).expect("patch is JSON");
    number(root, &mut 0);
    assert_eq!(ops[0].as_u64(), Some(count(root) as u64), "element count");
    for op in &ops[1..] {
        let kind = op[0].as_str().unwrap();
        let i = op[1].as_u64().unwrap() as usize;
        // Values and texts come escaped as in the SVG (markup too).
        let arg = |k: usize| op[k].as_str().unwrap().to_owned();
        let value = |k: usize| unescape(op[k].as_str().unwrap());
        match kind {
            "a" => {
                let el = find(root, i).expect("element");
                let (name, value) = (arg(2), value(3));
                match el.attrs.iter_mut().find(|(n, _)| *n == name) {
                    Some(a) => a.1 = value,
                    None => el.attrs.push((name, value)),
                }
            }
            "r" => find(root, i).expect("element").attrs.retain(|(n, _)| *n != arg(2)),
            "t" => {
                let el = find(root, i).expect("element");
                assert!(el.children.is_empty(), "text of an element with children");
                el.text = value(2);
            }
            "x" => {
                let (parent, pos) = find_parent(root, i).expect("parent");
                parent.children.remove(pos);
            }
            "b" => {
                let (parent, pos) = find_parent(root, i).expect("parent");
                let added = parse(&arg(2));
                parent.children.splice(pos..pos, added);
            }
            "e" => {
                let added = parse(&arg(2));
                find(root, i).expect("element").children.extend(added);
            }
            other => panic!("unknown op {other}"),
        }
    }
}

fn infographics(code: &str, compare: Option<&[&str]>) -> InfographicsView {
    let p = pack();
    let t = p.territory_by_code(code, None).unwrap_or_else(|e| panic!("{code}: {e}"));
    let comparisons = match compare {
        None => t.default_comparisons(),
        Some(codes) => codes.iter().map(|c| p.territory_by_code(c, Some(t)).unwrap()).collect(),
    };
    InfographicsView::of(territoire::snapshot::build(p, t, &comparisons).unwrap())
}

#[test]
fn patches_turn_each_infographic_into_the_next_exactly() {
    // Every EPCI of the Pays de la Loire in turn, then a département, the
    // région, France, an EPCI elsewhere, other comparisons, none, and back.
    let p = pack();
    let mut codes: Vec<(String, Option<Vec<&str>>)> = p
        .territories_of_kind(territoire::TerritoryKind::Epci)
        .filter(|t| t.pdl() != territoire::schema::PdlCoverage::Outside)
        .map(|t| (t.code().to_owned(), None))
        .collect();
    assert!(codes.len() >= 60, "Pays de la Loire EPCIs: {}", codes.len());
    for (code, compare) in [
        ("44", None),
        ("52", None),
        ("FRM", None),
        ("200000172", None),
        ("244400404", Some(vec!["85", "FRM"])),
        ("244400404", Some(vec![])),
        ("245300389", None),
        ("244400404", None),
    ] {
        codes.push((code.to_owned(), compare));
    }
    let shown = Shown::new();
    // Per panel: its key and the document the page shows.
    let mut page: Vec<(u32, Node)> = Vec::new();
    let (mut patched, mut whole, mut patch_bytes, mut whole_bytes) = (0, 0, 0usize, 0usize);
    for (code, compare) in &codes {
        let view = infographics(code, compare.as_deref());
        for (i, panel) in view.panels.into_iter().enumerate() {
            let svg = panel.svg.clone().expect("the view carries whole documents");
            let base = page.get(i).map(|(k, _)| *k);
            let (key, update) = shown.show(&panel.id, base, svg.clone());
            whole_bytes += svg.len();
            let doc = match update {
                Update::Patch(patch) => {
                    let (_, mut doc) = page[i].clone();
                    apply(&mut doc, &patch);
                    let (got, wanted) = (written(&doc), written(&parse(&svg)[0]));
                    if got != wanted {
                        let at = got.bytes().zip(wanted.bytes()).position(|(a, b)| a != b).unwrap_or(0);
                        let around = |s: &str| {
                            s[s.floor_char_boundary(at.saturating_sub(200))
                                ..s.ceil_char_boundary((at + 200).min(s.len()))]
                                .to_owned()
                        };
                        panic!(
                            "{code} {compare:?}, panel {}:\n got  …{}…\n want …{}…",
                            panel.id,
                            around(&got),
                            around(&wanted)
                        );
                    }
                    assert!(shown.document(key).as_deref() == Some(svg.as_str()), "{code}: the document kept");
                    patched += 1;
                    patch_bytes += patch.len();
                    doc
                }
                Update::Whole(text) => {
                    assert!(text == svg, "{code} {compare:?}, panel {}: a whole document is sent as written", panel.id);
                    whole += 1;
                    parse(&text).remove(0)
                }
            };
            if i < page.len() {
                page[i] = (key, doc);
            } else {
                page.push((key, doc));
            }
        }
    }
    println!(
        "{} switches: {patched} patched, {whole} whole; patches {patch_bytes} bytes for {whole_bytes} bytes of SVG",
        codes.len()
    );
    // Nine whole documents first; between two EPCIs, infographics are the
    // same charts: most switches must be patches, much smaller than the SVG.
    assert!(patched >= 8 * (codes.len() - 1), "{patched} patched, {whole} whole");
    assert!(patch_bytes * 2 < whole_bytes, "{patch_bytes} / {whole_bytes}");
}

#[test]
fn without_a_known_base_the_whole_document_is_sent() {
    let shown = Shown::new();
    let view = infographics("244400404", None);
    let panel = &view.panels[0];
    let svg = panel.svg.clone().unwrap();
    let (first, update) = shown.show(&panel.id, None, svg.clone());
    assert_eq!(update, Update::Whole(svg.clone()));
    // Unknown key; a key of another infographic; a key evicted.
    assert_eq!(shown.show(&panel.id, Some(first + 1000), svg.clone()).1, Update::Whole(svg.clone()));
    let other = &view.panels[1];
    let (other_key, _) = shown.show(&other.id, None, other.svg.clone().unwrap());
    assert_eq!(shown.show(&panel.id, Some(other_key), svg.clone()).1, Update::Whole(svg.clone()));
    // The same document against itself: nothing to do.
    let (same, _) = shown.show(&panel.id, None, svg.clone());
    let (_, update) = shown.show(&panel.id, Some(same), svg.clone());
    let count = parse(&svg).iter().map(count).sum::<usize>();
    assert_eq!(update, Update::Patch(format!("[{count}]")));
    for _ in 0..Shown::KEPT {
        shown.show(&other.id, None, other.svg.clone().unwrap());
    }
    assert_eq!(shown.show(&panel.id, Some(same), svg.clone()).1, Update::Whole(svg.clone()));
    assert!(shown.document(same).is_none(), "evicted");
    // Not a document the writer wrote: never a base, always whole.
    let (odd, update) = shown.show(&panel.id, None, "<svg a='1'/>".into());
    assert_eq!(update, Update::Whole("<svg a='1'/>".into()));
    assert_eq!(shown.show(&panel.id, Some(odd), svg.clone()).1, Update::Whole(svg));
}
