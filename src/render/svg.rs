//! Scene → standalone SVG document.
//!
//! The output is meant to be inlined into a page next to other SVGs and to
//! carry text that comes from data (territory names), so: every text and
//! attribute is escaped, no CDATA, no script, no external reference, data
//! identifiers go to `data-id` (never `id`, which must be unique in a page),
//! and the one `id` the document needs (the hatching pattern) is derived
//! from the scene itself. Numbers have at most two decimals, so the same
//! scene always gives the same bytes.

use std::fmt::Write;

use crate::fnv::Fnv;
use crate::scene::{Anchor, Color, Fill, Item, PathCmd, Scene, Stroke, Weight};

/// The font the metrics of [`crate::render::text`] describe.
pub const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

/// The scene as an SVG document (UTF-8, no XML declaration needed).
pub fn to_svg(scene: &Scene) -> String {
    write_document(scene, None, false)
}

/// [`to_svg`], but every group moved to its top with a `transform`, its
/// items written relative to it: the same drawing, in which a part that
/// moves down as a whole (a chart below a legend that took one more line)
/// changes one attribute, not one per item. An infographic is written so:
/// a territory switch patches the one a page shows (see
/// [`super::patch`]), and a moved text costs the browser as much as a new
/// one, a moved group nearly nothing.
pub fn to_svg_grouped(scene: &Scene) -> String {
    write_document(scene, None, true)
}

/// [`to_svg`] of `scene` with `group` written just before the top-level
/// item `at` (at the end when `at` is past the last), its `<g>` carrying
/// ` data-{marker}=""`: a part of the document that a page finds by its
/// marker and replaces in place (the map's highlight outlines). The
/// document's ids are those of `scene` alone (`group` does not count in
/// them), so `group` must not use a hatched fill `scene` does not have.
/// `marker` is a plain attribute name (`[a-z-]`), not escaped.
pub fn to_svg_with_marked_group(scene: &Scene, at: usize, marker: &str, group: &Item) -> String {
    write_document(scene, Some(Marked { at, marker, group }), false)
}

/// A group written into a document apart from its scene's items.
struct Marked<'a> {
    at: usize,
    marker: &'a str,
    group: &'a Item,
}

fn write_document(scene: &Scene, marked: Option<Marked<'_>>, grouped: bool) -> String {
    let mut hatches: Vec<(Color, Color)> = Vec::new();
    collect_hatches(&scene.items, &mut hatches);
    let prefix = format!("h{:08x}", scene_hash(scene) as u32);

    // Sized once: a France map is most of a megabyte of path data, which
    // would otherwise be copied at every doubling.
    let mut out = String::with_capacity(1024 + size_hint(&scene.items));
    // The layout was measured without kerning and ligatures: the page's
    // stylesheet turns them off for `svg.infographic text` (an inline
    // `style` attribute would break a strict Content-Security-Policy).
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    push_num(&mut out, scene.width);
    out.push(' ');
    push_num(&mut out, scene.height);
    out.push_str("\" width=\"");
    push_num(&mut out, scene.width);
    out.push_str("\" height=\"");
    push_num(&mut out, scene.height);
    out.push_str("\" role=\"img\" aria-labelledby=\"");
    out.push_str(&prefix);
    out.push_str("-t ");
    out.push_str(&prefix);
    out.push_str("-d\" font-family=\"");
    out.push_str(FONT_FAMILY);
    out.push_str("\"><title id=\"");
    out.push_str(&prefix);
    out.push_str("-t\">");
    push_escaped(&mut out, &scene.title);
    out.push_str("</title><desc id=\"");
    out.push_str(&prefix);
    out.push_str("-d\">");
    push_escaped(&mut out, &scene.description);
    out.push_str("</desc>");
    if !hatches.is_empty() {
        out.push_str("<defs>");
        for (i, (bg, lines)) in hatches.iter().enumerate() {
            let _ = write!(
                out,
                "<pattern id=\"{prefix}-{i}\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" \
                 patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{}\"/>\
                 <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{}\" stroke-width=\"2\"/></pattern>",
                bg.hex(),
                lines.hex()
            );
        }
        out.push_str("</defs>");
    }
    let ctx = Ctx { prefix: &prefix, hatches: &hatches, grouped };
    let write_marked = |out: &mut String| {
        if let Some(Marked { marker, group, .. }) = &marked {
            match group {
                Item::Group { label, items } => write_group(out, label.as_deref(), items, &ctx, Some(marker), 0.0),
                other => write_item(out, other, &ctx, Inherited::NONE),
            }
        }
    };
    let at = marked.as_ref().map_or(usize::MAX, |m| m.at.min(scene.items.len()));
    for (i, item) in scene.items.iter().enumerate() {
        if i == at {
            write_marked(&mut out);
        }
        write_item(&mut out, item, &ctx, Inherited::NONE);
    }
    if at == scene.items.len() {
        write_marked(&mut out);
    }
    out.push_str("</svg>");
    out
}

/// About how many bytes `items` take written (path data counted at ~13
/// bytes a command, the rest at a rough 120 bytes an item).
fn size_hint(items: &[Item]) -> usize {
    items
        .iter()
        .map(|item| match item {
            Item::Path { commands, .. } => 120 + commands.len() * 13,
            Item::Group { items, .. } => 64 + size_hint(items),
            Item::Text { text, .. } => 120 + text.len(),
            _ => 120,
        })
        .sum()
}

struct Ctx<'a> {
    prefix: &'a str,
    hatches: &'a [(Color, Color)],
    /// Groups moved to their top ([`to_svg_grouped`]).
    grouped: bool,
}

fn collect_hatches(items: &[Item], out: &mut Vec<(Color, Color)>) {
    for item in items {
        let fill = match item {
            Item::Rect { fill, .. } | Item::Path { fill, .. } | Item::Circle { fill, .. } => *fill,
            Item::Group { items, .. } => {
                collect_hatches(items, out);
                continue;
            }
            _ => continue,
        };
        if let Fill::Hatched { background, lines } = fill {
            if !out.contains(&(background, lines)) {
                out.push((background, lines));
            }
        }
    }
}

/// ` name="number"`
fn attr_num(out: &mut String, name: &str, v: f64) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_num(out, v);
    out.push('"');
}

/// ` name="#rrggbb"`
fn attr_color(out: &mut String, name: &str, c: Color) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_hex(out, c);
    out.push('"');
}

/// Attributes an item's group already carries (see [`shared_stroke`]), so
/// the item leaves them out and inherits them.
#[derive(Clone, Copy)]
struct Inherited {
    stroke: bool,
    linejoin: bool,
    /// Where the group's coordinates start, down the document (its
    /// `translate`, summed over its ancestors): subtracted from every y.
    top: f64,
}

impl Inherited {
    const NONE: Inherited = Inherited { stroke: false, linejoin: false, top: 0.0 };
}

fn write_item(out: &mut String, item: &Item, ctx: &Ctx, inherited: Inherited) {
    let stroke = |out: &mut String, s: &Option<Stroke>| {
        if let (Some(s), false) = (s, inherited.stroke) {
            stroke_attrs(out, s);
        }
    };
    match item {
        Item::Rect { x, y, width, height, fill, stroke: s, id } => {
            out.push_str("<rect");
            attr_num(out, "x", *x);
            attr_num(out, "y", y - inherited.top);
            attr_num(out, "width", width.max(0.0));
            attr_num(out, "height", height.max(0.0));
            fill_attrs(out, fill, ctx);
            stroke(out, s);
            data_id(out, id);
            out.push_str("/>");
        }
        Item::Line { x1, y1, x2, y2, stroke: s } => {
            out.push_str("<line");
            attr_num(out, "x1", *x1);
            attr_num(out, "y1", y1 - inherited.top);
            attr_num(out, "x2", *x2);
            attr_num(out, "y2", y2 - inherited.top);
            stroke(out, &Some(*s));
            out.push_str("/>");
        }
        Item::Path { commands, fill, stroke: s, id } => {
            out.push_str("<path d=\"");
            for (i, c) in commands.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                match c {
                    PathCmd::MoveTo(x, y) | PathCmd::LineTo(x, y) => {
                        out.push(if matches!(c, PathCmd::MoveTo(..)) { 'M' } else { 'L' });
                        push_num(out, *x);
                        out.push(' ');
                        push_num(out, y - inherited.top);
                    }
                    PathCmd::Close => out.push('Z'),
                }
            }
            out.push('"');
            fill_attrs(out, fill, ctx);
            stroke(out, s);
            if s.is_some() && !inherited.linejoin {
                out.push_str(" stroke-linejoin=\"round\"");
            }
            data_id(out, id);
            out.push_str("/>");
        }
        Item::Circle { cx, cy, r, fill, stroke: s, id } => {
            out.push_str("<circle");
            attr_num(out, "cx", *cx);
            attr_num(out, "cy", cy - inherited.top);
            attr_num(out, "r", r.max(0.0));
            fill_attrs(out, fill, ctx);
            stroke(out, s);
            data_id(out, id);
            out.push_str("/>");
        }
        Item::Text { x, y, text, size, weight, anchor, color } => {
            out.push_str("<text");
            attr_num(out, "x", *x);
            attr_num(out, "y", y - inherited.top);
            attr_num(out, "font-size", *size);
            if *weight == Weight::Bold {
                out.push_str(" font-weight=\"bold\"");
            }
            match anchor {
                Anchor::Start => {}
                Anchor::Middle => out.push_str(" text-anchor=\"middle\""),
                Anchor::End => out.push_str(" text-anchor=\"end\""),
            }
            if *color != Color::BLACK {
                attr_color(out, "fill", *color);
            }
            // Spaces as measured: runs of spaces are not collapsed.
            out.push_str(" xml:space=\"preserve\">");
            push_escaped(out, text);
            out.push_str("</text>");
        }
        Item::Group { label, items } => write_group(out, label.as_deref(), items, ctx, None, inherited.top),
    }
}

/// `<g>` with its label (a named group for assistive technology) and, for
/// a part a page replaces in place, ` data-{marker}=""`; `top` is where its
/// parent's coordinates start.
fn write_group(out: &mut String, label: Option<&str>, items: &[Item], ctx: &Ctx, marker: Option<&str>, top: f64) {
    out.push_str("<g");
    if let Some(marker) = marker {
        out.push_str(" data-");
        out.push_str(marker);
        out.push_str("=\"\"");
    }
    if let Some(label) = label {
        out.push_str(" role=\"group\" aria-label=\"");
        push_escaped(out, label);
        out.push('"');
    }
    let mut inherited = Inherited { top, ..Inherited::NONE };
    if ctx.grouped {
        // Its origin: where its first item is (any point that moves with
        // the group would do), in whole cents as numbers are written, so
        // that its items' coordinates read back exactly.
        if let Some(y) = first_y(items).filter(|y| y.is_finite()) {
            inherited.top = (y * 100.0).round() / 100.0;
        }
        out.push_str(" transform=\"translate(0 ");
        push_num(out, inherited.top - top);
        out.push_str(")\"");
    }
    if let Some((stroke, paths)) = shared_stroke(items) {
        stroke_attrs(out, &stroke);
        if paths {
            out.push_str(" stroke-linejoin=\"round\"");
        }
        inherited.stroke = true;
        inherited.linejoin = paths;
    }
    out.push('>');
    for item in items {
        write_item(out, item, ctx, inherited);
    }
    out.push_str("</g>");
}

/// The y of the first item of `items` (of the first item of the first
/// group, and so on), if any.
fn first_y(items: &[Item]) -> Option<f64> {
    match items.first()? {
        Item::Rect { y, .. } | Item::Text { y, .. } | Item::Line { y1: y, .. } | Item::Circle { cy: y, .. } => Some(*y),
        Item::Path { commands, .. } => commands.iter().find_map(|c| match c {
            PathCmd::MoveTo(_, y) | PathCmd::LineTo(_, y) => Some(*y),
            PathCmd::Close => None,
        }),
        Item::Group { items, .. } => first_y(items),
    }
}

fn fill_attrs(out: &mut String, fill: &Fill, ctx: &Ctx) {
    match fill {
        Fill::None => out.push_str(" fill=\"none\""),
        Fill::Solid(c) => attr_color(out, "fill", *c),
        Fill::Hatched { background, lines } => {
            let i = ctx.hatches.iter().position(|h| *h == (*background, *lines)).unwrap_or(0);
            let _ = write!(out, " fill=\"url(#{}-{i})\"", ctx.prefix);
        }
        Fill::Translucent { color, opacity } => {
            attr_color(out, "fill", *color);
            attr_num(out, "fill-opacity", opacity.clamp(0.0, 1.0));
        }
    }
}

/// The stroke every item of a group draws with, when they all have the
/// same one (the 1,230 territories of a France map share their thin white
/// border): the group then carries it once, and its items inherit it,
/// which makes the map's SVG about a tenth smaller and quicker for a page
/// to parse. Paths also share their round line joins; rectangles and
/// circles keep their own (none).
fn shared_stroke(items: &[Item]) -> Option<(Stroke, bool)> {
    let stroke_of = |item: &Item| match item {
        Item::Rect { stroke, .. } | Item::Path { stroke, .. } | Item::Circle { stroke, .. } => *stroke,
        Item::Line { stroke, .. } => Some(*stroke),
        Item::Text { .. } | Item::Group { .. } => None,
    };
    let first = stroke_of(items.first()?)?;
    if items.len() < 2 || !items.iter().all(|i| stroke_of(i) == Some(first)) {
        return None;
    }
    Some((first, items.iter().all(|i| matches!(i, Item::Path { .. }))))
}

fn stroke_attrs(out: &mut String, s: &Stroke) {
    attr_color(out, "stroke", s.color);
    attr_num(out, "stroke-width", s.width);
    if s.dash > 0.0 {
        attr_num(out, "stroke-dasharray", s.dash);
    }
}

fn data_id(out: &mut String, id: &Option<String>) {
    if let Some(id) = id {
        out.push_str(" data-id=\"");
        push_escaped(out, id);
        out.push('"');
    }
}

/// `#rrggbb`, as [`Color::hex`] writes it.
fn push_hex(out: &mut String, c: Color) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('#');
    for b in [c.0, c.1, c.2] {
        out.push(char::from(HEX[(b >> 4) as usize]));
        out.push(char::from(HEX[(b & 15) as usize]));
    }
}

/// A number with at most two decimals, no trailing zeros, no "-0"; a
/// non-finite number (a layout bug) is written 0 so the document stays valid.
pub fn num(v: f64) -> String {
    let mut s = String::with_capacity(12);
    push_num(&mut s, v);
    s
}

/// [`num`] appended to `out`, without an allocation of its own: a France
/// map writes a few hundred thousand numbers.
pub fn push_num(out: &mut String, v: f64) {
    // Whole cents as an integer, written by hand: `format!("{:.2}")` was
    // most of the time of a France map (tens of thousands of coordinates).
    let cents = (v * 100.0).round();
    if !cents.is_finite() || cents.abs() >= 1e15 {
        if v.is_finite() {
            // Past any drawing (a layout bug): whole, as `{}` writes it
            // (its shortest digits, then zeros).
            let r = v.round();
            if r < 0.0 {
                out.push('-');
            }
            let (digits, zeros) = crate::decimal::shortest(r);
            let _ = write!(out, "{digits}");
            out.extend(std::iter::repeat_n('0', zeros.max(0) as usize));
        } else {
            out.push('0');
        }
        return;
    }
    let c = cents as i64;
    if c == 0 {
        out.push('0');
        return;
    }
    let (int, frac) = (c.unsigned_abs() / 100, c.unsigned_abs() % 100);
    if c < 0 {
        out.push('-');
    }
    // The integer part's digits (at most 13: |c| < 1e15), pushed one by
    // one: a coordinate has a handful, fewer than a copy costs.
    let mut buf = [0u8; 20];
    for d in crate::decimal::digits(int, &mut buf) {
        out.push(char::from(*d));
    }
    if frac != 0 {
        out.push('.');
        out.push(char::from(b'0' + (frac / 10) as u8));
        if frac % 10 != 0 {
            out.push(char::from(b'0' + (frac % 10) as u8));
        }
    }
}

/// Text safe in XML content and in double- or single-quoted attributes:
/// markup characters become entities, characters XML 1.0 forbids are
/// dropped, and tab and line breaks become character references so that
/// attribute normalisation cannot change them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    out
}

/// [`escape`] appended to `out`; text with nothing to escape (most of it)
/// is copied in one go.
pub fn push_escaped(out: &mut String, text: &str) {
    let plain = |c: char| !matches!(c, '&' | '<' | '>' | '"' | '\'' | '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if text.chars().all(plain) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

/// FNV-1a over everything the scene draws: two different scenes in one
/// page get different pattern ids, the same scene always the same one.
fn scene_hash(scene: &Scene) -> u64 {
    let mut h = Fnv::default();
    h.f(scene.width);
    h.f(scene.height);
    h.s(&scene.title);
    h.s(&scene.description);
    hash_items(&mut h, &scene.items);
    h.0
}

/// What a scene's fingerprint reads, field by field.
impl Fnv {
    fn f(&mut self, v: f64) {
        self.bytes(&v.to_bits().to_le_bytes());
    }
    fn s(&mut self, s: &str) {
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
    }
    fn fill(&mut self, fill: &Fill) {
        match fill {
            Fill::None => self.bytes(&[0]),
            Fill::Solid(c) => self.bytes(&[1, c.0, c.1, c.2]),
            Fill::Hatched { background: b, lines: l } => self.bytes(&[2, b.0, b.1, b.2, l.0, l.1, l.2]),
            Fill::Translucent { color: c, opacity } => {
                self.bytes(&[3, c.0, c.1, c.2]);
                self.bytes(&opacity.to_le_bytes());
            }
        }
    }
    fn id(&mut self, id: &Option<String>) {
        self.s(id.as_deref().unwrap_or(""));
    }
}

fn hash_items(h: &mut Fnv, items: &[Item]) {
    for item in items {
        match item {
            Item::Rect { x, y, width, height, fill, id, .. } => {
                h.bytes(b"r");
                for v in [x, y, width, height] {
                    h.f(*v);
                }
                h.fill(fill);
                h.id(id);
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                h.bytes(b"l");
                for v in [x1, y1, x2, y2] {
                    h.f(*v);
                }
            }
            Item::Path { commands, fill, id, .. } => {
                h.bytes(b"p");
                h.bytes(&(commands.len() as u64).to_le_bytes());
                h.fill(fill);
                h.id(id);
            }
            Item::Circle { cx, cy, r, fill, id, .. } => {
                h.bytes(b"c");
                for v in [cx, cy, r] {
                    h.f(*v);
                }
                h.fill(fill);
                h.id(id);
            }
            Item::Text { x, y, text, .. } => {
                h.bytes(b"t");
                h.f(*x);
                h.f(*y);
                h.s(text);
            }
            Item::Group { label, items } => {
                h.bytes(b"g");
                h.s(label.as_deref().unwrap_or(""));
                hash_items(h, items);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::Color;

    fn text(s: &str) -> Item {
        Item::Text {
            x: 1.0,
            y: 2.0,
            text: s.into(),
            size: 12.0,
            weight: Weight::Regular,
            anchor: Anchor::Start,
            color: Color(10, 20, 30),
        }
    }

    fn scene(items: Vec<Item>) -> Scene {
        Scene { width: 480.0, height: 100.5, title: "Titre".into(), description: "Desc".into(), items }
    }

    #[test]
    fn numbers_have_at_most_two_decimals() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(1.234_567), "1.23");
        assert_eq!(num(1.235_1), "1.24");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(-2.999), "-3");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::INFINITY), "0");
        assert_eq!(num(123456.789), "123456.79");
        assert_eq!(num(-0.05), "-0.05");
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(-1234.5), "-1234.5");
        assert_eq!(num(0.999), "1");
    }

    /// The writer before it wrote in place (one `String` per number).
    fn num_before(v: f64) -> String {
        let cents = (v * 100.0).round();
        if !cents.is_finite() || cents.abs() >= 1e15 {
            return if v.is_finite() { format!("{}", v.round()) } else { "0".to_string() };
        }
        let c = cents as i64;
        if c == 0 {
            return "0".to_string();
        }
        let (int, frac) = (c.unsigned_abs() / 100, c.unsigned_abs() % 100);
        let mut s = String::new();
        if c < 0 {
            s.push('-');
        }
        s.push_str(&int.to_string());
        if frac != 0 {
            s.push('.');
            s.push(char::from(b'0' + (frac / 10) as u8));
            if frac % 10 != 0 {
                s.push(char::from(b'0' + (frac % 10) as u8));
            }
        }
        s
    }

    #[test]
    fn in_place_numbers_match_the_allocating_writer() {
        let mut values =
            vec![0.0, -0.0, 0.004, 0.005, -0.005, 9.995, 99.999, 1e13, -1e13, 9.99e12, 1e15, -2e16, 123.4e20];
        // A sweep over magnitudes and signs, with awkward fractions.
        let mut v = 0.000_37;
        while v < 1e14 {
            for s in [1.0, -1.0] {
                values.extend([s * v, s * (v + 0.005), s * (v * 1.000_1 + 0.123)]);
            }
            v *= 1.37;
        }
        for v in values {
            let mut out = String::from("x");
            push_num(&mut out, v);
            assert_eq!(&out[1..], num_before(v), "{v}");
            assert_eq!(num(v), num_before(v), "{v}");
        }
    }

    const HOSTILE: [&str; 10] = [
        "<script>alert(1)</script>",
        "]]>",
        "\"'&",
        "&amp; &lt; &#60;",
        "<![CDATA[x]]>",
        "a\u{0}b\u{8}c\u{b}d\u{1f}e\u{fffe}",
        "\" onload=\"alert(1)",
        "' onmouseover='x",
        "<!-- -->",
        "ligne\nsuivante\ttab\rcr",
    ];

    /// Minimal well-formedness check: every '<' opens a tag, comment-free
    /// markup; every '&' starts a known entity or a character reference;
    /// no forbidden control character; tags balance.
    fn well_formed(svg: &str) -> Result<(), String> {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find(['<', '&']) {
            check_text(&rest[..i])?;
            let tail = &rest[i..];
            if tail.starts_with('&') {
                let end = tail.find(';').ok_or("unterminated entity")?;
                let ent = &tail[1..end];
                let ok = matches!(ent, "amp" | "lt" | "gt" | "quot" | "apos")
                    || ent.strip_prefix('#').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                if !ok {
                    return Err(format!("bad entity &{ent};"));
                }
                rest = &tail[end + 1..];
                continue;
            }
            let end = tag_end(tail).ok_or("unterminated tag")?;
            let tag = &tail[1..end];
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop().as_deref() != Some(name) {
                    return Err(format!("unbalanced </{name}>"));
                }
            } else {
                let self_closing = tag.ends_with('/');
                let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                if name.is_empty() {
                    return Err(format!("bad tag <{tag}>"));
                }
                check_attrs(&tag[name.len()..tag.len() - self_closing as usize])?;
                if !self_closing {
                    stack.push(name);
                }
            }
            rest = &tail[end + 1..];
        }
        check_text(rest)?;
        if stack.is_empty() {
            Ok(())
        } else {
            Err(format!("unclosed {stack:?}"))
        }
    }

    fn tag_end(tail: &str) -> Option<usize> {
        let mut quote = None;
        for (i, c) in tail.char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => return Some(i),
                _ => {}
            }
        }
        None
    }

    fn check_text(t: &str) -> Result<(), String> {
        if t.contains("]]>") || t.contains('>') {
            return Err(format!("raw '>' in text {t:?}"));
        }
        if t.chars().any(|c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}') {
            return Err(format!("forbidden character in {t:?}"));
        }
        Ok(())
    }

    fn check_attrs(a: &str) -> Result<(), String> {
        // name="value" pairs, values without '<' or raw '&' or quotes.
        let mut rest = a.trim();
        while !rest.is_empty() {
            let eq = rest.find('=').ok_or(format!("attribute without value in {a:?}"))?;
            let q = rest[eq + 1..].chars().next().ok_or("no quote")?;
            if q != '"' {
                return Err(format!("unquoted attribute in {a:?}"));
            }
            let close = rest[eq + 2..].find('"').ok_or("unterminated attribute")? + eq + 2;
            let value = &rest[eq + 2..close];
            if value.contains(['<', '\'', '\n', '\t', '\r']) || value.chars().any(|c| c < ' ') {
                return Err(format!("unsafe attribute value {value:?}"));
            }
            rest = rest[close + 1..].trim_start();
        }
        Ok(())
    }

    #[test]
    fn hostile_text_is_escaped() {
        for payload in HOSTILE {
            let s = Scene {
                title: payload.into(),
                description: payload.into(),
                items: vec![
                    text(payload),
                    Item::Group {
                        label: Some(payload.into()),
                        items: vec![Item::Rect {
                            x: 0.0,
                            y: 0.0,
                            width: 1.0,
                            height: 1.0,
                            fill: Fill::Solid(Color::BLACK),
                            stroke: None,
                            id: Some(payload.into()),
                        }],
                    },
                ],
                ..scene(vec![])
            };
            let svg = to_svg(&s);
            well_formed(&svg).unwrap_or_else(|e| panic!("{payload:?}: {e}\n{svg}"));
            assert!(!svg.contains("<script"), "{svg}");
            assert!(!svg.contains("<![CDATA["), "{svg}");
            assert!(!svg.contains("\u{0}"));
        }
        assert_eq!(escape("<a href='x'>\"&\"</a>"), "&lt;a href=&apos;x&apos;&gt;&quot;&amp;&quot;&lt;/a&gt;");
        assert_eq!(escape("a\u{1}b\u{ffff}"), "ab");
        // French text passes through untouched.
        assert_eq!(escape("Âges, ménages : 12,8\u{a0}% ≤ 5\u{a0}%"), "Âges, ménages : 12,8\u{a0}% ≤ 5\u{a0}%");
    }

    #[test]
    fn structure_and_accessibility() {
        let svg = to_svg(&scene(vec![text("Bonjour")]));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 100.5\" width=\"480\" height=\"100.5\" role=\"img\""));
        assert!(svg.contains("<title id=\"h"));
        assert!(svg.contains(">Titre</title>"));
        assert!(svg.contains(">Desc</desc>"));
        assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
        assert!(svg
            .contains("<text x=\"1\" y=\"2\" font-size=\"12\" fill=\"#0a141e\" xml:space=\"preserve\">Bonjour</text>"));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<defs>"), "no pattern when nothing is hatched");
        assert!(!svg.contains("href"));
        well_formed(&svg).unwrap();
    }

    #[test]
    fn hatching_has_a_per_scene_id() {
        let hatched = |w: f64| Item::Rect {
            x: 0.0,
            y: 0.0,
            width: w,
            height: 5.0,
            fill: Fill::Hatched { background: Color::WHITE, lines: Color(120, 120, 120) },
            stroke: None,
            id: Some("x".into()),
        };
        let a = to_svg(&scene(vec![hatched(10.0), hatched(20.0)]));
        let b = to_svg(&scene(vec![hatched(11.0)]));
        let id = |svg: &str| {
            let start = svg.find("<pattern id=\"").unwrap() + 13;
            svg[start..start + svg[start..].find('"').unwrap()].to_string()
        };
        assert_eq!(a.matches("<pattern ").count(), 1, "one pattern per distinct hatching");
        assert_eq!(a.matches(&format!("url(#{})", id(&a))).count(), 2);
        assert_ne!(id(&a), id(&b));
        assert_eq!(a, to_svg(&scene(vec![hatched(10.0), hatched(20.0)])), "deterministic");
        assert!(a.contains(" data-id=\"x\""));
        assert!(!a.contains(" id=\"x\""));
        well_formed(&a).unwrap();
    }
}
