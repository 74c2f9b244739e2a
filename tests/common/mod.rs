//! Shared checks for rendered scenes: the reference-file harness and the
//! properties every infographic must have. `mod common;` in a test file.
#![allow(dead_code)]

pub mod payloads;

use std::path::PathBuf;

use territoire::render::text;
use territoire::scene::{Anchor, Item, Scene};

/// Compares `svg` with `tests/reference/<name>.svg` after normalisation
/// (numbers rounded to one decimal, whitespace collapsed, one tag per
/// line), so sub-pixel layout noise does not fail a test but any real
/// change does, with a diff of the first lines that differ.
///
/// `UPDATE_REFERENCES=1` rewrites the file. A missing file is written
/// (and the test passes) except when `CI=true`, where it fails: a
/// reference must be reviewed and committed, never made up by CI.
pub fn assert_reference(name: &str, svg: &str) {
    let path = reference_path(name);
    let update = std::env::var("UPDATE_REFERENCES").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if update {
        write(&path, svg);
        return;
    }
    let Ok(expected) = std::fs::read_to_string(&path) else {
        if ci {
            panic!(
                "reference {} is missing (CI=true: references are never created in CI); \
                 run the tests locally with UPDATE_REFERENCES=1, review the SVG and commit it",
                path.display()
            );
        }
        write(&path, svg);
        eprintln!("reference {} was missing: written, review and commit it", path.display());
        return;
    };
    let (want, got) = (normalize(&expected), normalize(svg));
    if want == got {
        return;
    }
    let (want_lines, got_lines): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let differing = (0..want_lines.len().max(got_lines.len()))
        .filter(|i| want_lines.get(*i) != got_lines.get(*i))
        .collect::<Vec<_>>();
    let mut diff = String::new();
    for i in differing.iter().take(12) {
        diff.push_str(&format!(
            "  line {}:\n    - {}\n    + {}\n",
            i + 1,
            want_lines.get(*i).unwrap_or(&"(none)"),
            got_lines.get(*i).unwrap_or(&"(none)")
        ));
    }
    if differing.len() > 12 {
        diff.push_str("  …\n");
    }
    panic!(
        "rendering differs from reference {} ({} of {} normalised lines differ; - reference, + now):\n{diff}\
         If the change is intended, rerun with UPDATE_REFERENCES=1 and review the new SVG.",
        path.display(),
        differing.len(),
        want_lines.len().max(got_lines.len()),
    );
}

pub fn reference_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference").join(format!("{name}.svg"))
}

fn write(path: &PathBuf, svg: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create tests/reference");
    }
    // One element per line, so that a reviewed change is a readable diff;
    // whitespace between elements changes nothing in an SVG (text content
    // never holds a raw '<').
    let pretty = svg.replace("><", ">\n<") + "\n";
    std::fs::write(path, pretty).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Numbers rounded to one decimal, whitespace runs collapsed to one
/// space, a line break before every tag, the id prefix replaced.
pub fn normalize(svg: &str) -> String {
    // The document's id prefix hashes the exact scene: the sub-pixel noise
    // ignored below would change it, so it is compared as a placeholder.
    let mut svg = svg.to_string();
    if let Some(start) = svg.find("<title id=\"").map(|i| i + 11) {
        if let Some(len) = svg[start..].find("-t\"") {
            let prefix = svg[start..start + len].to_string();
            if !prefix.is_empty() {
                svg = svg.replace(&format!("{prefix}-"), "ID-");
            }
        }
    }
    let mut out = String::with_capacity(svg.len());
    let chars: Vec<char> = svg.chars().collect();
    let mut i = 0;
    let mut space = false;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
            space = true;
            i += 1;
            continue;
        }
        if space {
            if !out.is_empty() && !out.ends_with('\n') && c != '<' {
                out.push(' ');
            }
            space = false;
        }
        // A number starts at a digit (or a minus before one) not glued to a
        // name or a hex colour; path commands (M, L) may precede it.
        let prev = out.chars().last();
        let free =
            prev.is_none_or(|p| !(p.is_alphanumeric() || p == '#' || p == '_' || p == '.') || p == 'M' || p == 'L');
        let starts_number =
            free && (c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())));
        if starts_number {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            match token.parse::<f64>() {
                Ok(v) => {
                    let r = format!("{:.1}", v);
                    out.push_str(if r == "-0.0" { "0.0" } else { &r });
                }
                Err(_) => out.push_str(&token),
            }
            continue;
        }
        if c == '<' && !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Parses the SVG as XML (a real parser, not a pattern) and checks what an
/// embeddable SVG must not hold; returns the parsed document's text.
pub fn check_svg(svg: &str) -> Result<(), String> {
    let doc = roxmltree::Document::parse(svg).map_err(|e| format!("not well-formed XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some("http://www.w3.org/2000/svg") {
        return Err("root is not an SVG element".into());
    }
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        if matches!(tag, "script" | "foreignObject" | "iframe" | "image" | "use" | "a" | "style") {
            return Err(format!("<{tag}> in an embeddable SVG"));
        }
        for a in n.attributes() {
            if a.name().starts_with("on") || a.name() == "href" {
                return Err(format!("attribute {} on <{tag}>", a.name()));
            }
            if a.value().contains("url(") && !a.value().starts_with("url(#") {
                return Err(format!("external reference {}", a.value()));
            }
        }
    }
    if svg.contains("<script") || svg.contains("<![CDATA[") {
        return Err("raw <script or CDATA".into());
    }
    let mut ids: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("id")).collect();
    ids.sort();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(format!("duplicate ids: {ids:?}"));
    }
    Ok(())
}

/// Every text item, flattened from groups.
pub fn texts(items: &[Item]) -> Vec<&Item> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Group { items, .. } => out.extend(texts(items)),
            Item::Text { .. } => out.push(item),
            _ => {}
        }
    }
    out
}

/// Text items that stick out of the scene, as measured by the core's own
/// metrics; empty when everything fits.
pub fn overflowing_texts(scene: &Scene) -> Vec<String> {
    let mut bad = Vec::new();
    for item in texts(&scene.items) {
        if let Item::Text { x, y, text: s, size, weight, anchor, .. } = item {
            let w = text::width(s, *size, *weight);
            let (left, right) = match anchor {
                Anchor::Start => (*x, x + w),
                Anchor::Middle => (x - w / 2.0, x + w / 2.0),
                Anchor::End => (x - w, *x),
            };
            if left < -0.01 || right > scene.width + 0.01 || *y < *size * 0.7 || *y > scene.height {
                bad.push(format!("{s:?} spans {left:.1}..{right:.1} at y {y:.1} in {}×{}", scene.width, scene.height));
            }
        }
    }
    bad
}

/// The real pack's bytes: `PACK_FILE`, or `build/pack.bin` (made by
/// `make pack`), read once per test binary.
pub fn pack_bytes() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let path = std::env::var_os("PACK_FILE")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("build/pack.bin"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make pack` first)", path.display()))
    })
}

/// The real pack, loaded once per test binary.
pub fn pack() -> &'static territoire::Pack {
    static PACK: std::sync::OnceLock<territoire::Pack> = std::sync::OnceLock::new();
    PACK.get_or_init(|| territoire::Pack::from_bytes(pack_bytes()).expect("the real pack loads"))
}

/// A small deterministic generator (xorshift64, no dependency), so that a
/// failing random input reproduces.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform enough in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}
