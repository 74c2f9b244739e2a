//! The changes that turn an SVG document a page shows into the next one.
//!
//! A territory switch redraws nine infographics whose structure barely
//! changes: the same charts, other figures and names. Handed nine new
//! documents, the browser parses and cleans them, then styles and lays out
//! every text again (about 11 µs per SVG text in Chromium, ~700 texts),
//! although a third of them are the same as before. Handed only the
//! differences, the page sets the few attributes and texts that changed,
//! the way a d3 data join updates its elements in place, and the browser
//! lays out only those.
//!
//! [`Shown`] keeps the documents given to a page, each under a key. Asked
//! for a new document against the key of the one the page shows, it
//! answers a patch; without a usable base, the whole document. The patch
//! is a JSON array `[count, op, op, …]`: `count` is the number of elements
//! of the document shown (its root and every descendant element), which
//! the page checks first; each op addresses element `i` by its position in
//! document order (the order of `getElementsByTagName("*")` after the root,
//! which is 0), counted before any change:
//! - `["a", i, name, value]` sets an attribute;
//! - `["r", i, name]` removes one;
//! - `["t", i, text]` replaces the text of an element without child
//!   elements;
//! - `["b", i, markup]` inserts the elements written in `markup` before
//!   element `i`;
//! - `["e", i, markup]` appends them to element `i`'s children;
//! - `["x", i]` removes element `i`.
//!
//! Values, texts and markup are as [`super::svg`] writes them, escaped
//! (`&amp;`, `&lt;`, `&#10;`…): the page reads the entities back. It
//! applies the patch with `patchSvg` (`www/svg-import.js`), which cleans
//! what comes in as it cleans a whole document.
//!
//! Ids: a document names its ids after its scene (`h1a2b3c4d-t`, see
//! [`super::svg`]), so the patch between two documents sets every id and
//! every reference to one (a few per infographic); the page applies the
//! ids first, then the references, renamed as it renamed the document's.
//!
//! The diff reads only documents written by [`super::svg`] (double-quoted
//! attributes, no comments, no text beside child elements); anything else
//! is not a base, and the whole document is sent.

use std::cell::RefCell;
use std::fmt::Write;

use crate::json::push_string;

/// A document parsed into its elements (ranges into its text).
#[derive(Debug)]
struct Doc {
    text: String,
    elements: Vec<Element>,
    attrs: Vec<Attr>,
}

const NONE: u32 = u32::MAX;

#[derive(Debug)]
struct Element {
    /// From `<` to the end of the closing tag (or of `/>`).
    span: (u32, u32),
    /// Between the start tag and the closing tag (empty when self-closed).
    content: (u32, u32),
    name: (u32, u32),
    /// Range in [`Doc::attrs`].
    attrs: (u32, u32),
    first_child: u32,
    next_sibling: u32,
    /// Some text of its own (then no child element: the writer never
    /// mixes them, and a document that does is not parsed).
    has_text: bool,
}

#[derive(Debug)]
struct Attr {
    name: (u32, u32),
    value: (u32, u32),
}

impl Doc {
    /// Parses a document as [`super::svg`] writes it; the text given back
    /// for anything else (a comment, a single-quoted attribute, unbalanced
    /// tags, text outside the root, more than one root).
    #[inline(never)]
    fn parse(text: String) -> Result<Doc, String> {
        match Doc::index(&text) {
            Some((elements, attrs)) => Ok(Doc { text, elements, attrs }),
            None => Err(text),
        }
    }

    /// The elements and attributes of `text`, if the writer wrote it.
    fn index(text: &str) -> Option<(Vec<Element>, Vec<Attr>)> {
        let b = text.as_bytes();
        if b.len() >= NONE as usize {
            return None;
        }
        // About one element per 150 bytes, four attributes each.
        let mut elements: Vec<Element> = Vec::with_capacity(b.len() / 150 + 8);
        let mut attrs: Vec<Attr> = Vec::with_capacity(b.len() / 35 + 8);
        // Open elements, each with its last child so far.
        let mut stack: Vec<(u32, u32)> = Vec::new();
        let mut i = 0usize;
        let find = |from: usize, byte: u8| b[from..].iter().position(|&c| c == byte).map(|p| from + p);
        while i < b.len() {
            if b[i] != b'<' {
                let end = find(i, b'<').unwrap_or(b.len());
                let &(open, _) = stack.last()?;
                // Text beside child elements: not what the writer writes.
                let e = &mut elements[open as usize];
                if e.first_child != NONE || e.has_text {
                    return None;
                }
                e.has_text = true;
                i = end;
                continue;
            }
            if b.get(i + 1) == Some(&b'/') {
                let close = find(i, b'>')?;
                let (open, _) = stack.pop()?;
                let e = &mut elements[open as usize];
                if b[i + 2..close] != b[e.name.0 as usize..e.name.1 as usize] {
                    return None;
                }
                e.content.1 = i as u32;
                e.span.1 = close as u32 + 1;
                i = close + 1;
                continue;
            }
            // A start tag: its name, then ` name="value"` pairs.
            let start = i;
            i += 1;
            let name_start = i;
            while i < b.len() && !matches!(b[i], b' ' | b'/' | b'>' | b'<') {
                i += 1;
            }
            if i == name_start {
                return None;
            }
            let name = (name_start as u32, i as u32);
            let first_attr = attrs.len() as u32;
            let self_closed = loop {
                match b.get(i)? {
                    b' ' => i += 1,
                    b'/' if b.get(i + 1) == Some(&b'>') => {
                        i += 2;
                        break true;
                    }
                    b'>' => {
                        i += 1;
                        break false;
                    }
                    _ => {
                        let eq = find(i, b'=')?;
                        if b.get(eq + 1) != Some(&b'"') {
                            return None;
                        }
                        let value_end = find(eq + 2, b'"')?;
                        attrs.push(Attr { name: (i as u32, eq as u32), value: (eq as u32 + 2, value_end as u32) });
                        i = value_end + 1;
                    }
                }
            };
            let index = elements.len() as u32;
            match stack.last_mut() {
                Some((parent, last)) => {
                    if *last == NONE {
                        elements[*parent as usize].first_child = index;
                    } else {
                        elements[*last as usize].next_sibling = index;
                    }
                    *last = index;
                    if elements[*parent as usize].has_text {
                        return None;
                    }
                }
                // One root only.
                None if index > 0 => return None,
                None => {}
            }
            elements.push(Element {
                span: (start as u32, i as u32),
                content: (i as u32, i as u32),
                name,
                attrs: (first_attr, attrs.len() as u32),
                first_child: NONE,
                next_sibling: NONE,
                has_text: false,
            });
            if !self_closed {
                stack.push((index, NONE));
            }
        }
        if !stack.is_empty() || elements.is_empty() {
            return None;
        }
        Some((elements, attrs))
    }

    /// How many elements it has (root included).
    fn len(&self) -> usize {
        self.elements.len()
    }

    /// A range of the text, to compare (bytes: no char boundary to check).
    fn bytes(&self, (a, b): (u32, u32)) -> &[u8] {
        self.text.as_bytes().get(a as usize..b as usize).unwrap_or_default()
    }

    /// A range of the text, to send (the parser's ranges fall between
    /// ASCII markup characters, so on char boundaries).
    fn slice(&self, (a, b): (u32, u32)) -> &str {
        self.text.get(a as usize..b as usize).unwrap_or_default()
    }

    fn name(&self, e: u32) -> &[u8] {
        self.bytes(self.elements[e as usize].name)
    }

    fn attrs(&self, e: u32) -> &[Attr] {
        let (a, b) = self.elements[e as usize].attrs;
        &self.attrs[a as usize..b as usize]
    }

    fn attr(&self, e: u32, name: &[u8]) -> Option<&[u8]> {
        self.attrs(e).iter().find(|a| self.bytes(a.name) == name).map(|a| self.bytes(a.value))
    }

    fn children(&self, e: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut c = self.elements[e as usize].first_child;
        while c != NONE {
            out.push(c);
            c = self.elements[c as usize].next_sibling;
        }
        out
    }
}

/// The ops turning `old` into `new`, as the JSON array described above;
/// `None` when their roots differ (a page's root element stays).
fn diff(old: &Doc, new: &Doc) -> Option<String> {
    if old.name(0) != new.name(0) {
        return None;
    }
    let mut ops = Ops { out: String::with_capacity(new.text.len() / 4) };
    ops.out.push('[');
    ops.index(old.len() as u32);
    element(old, 0, new, 0, &mut ops);
    ops.out.push(']');
    Some(ops.out)
}

struct Ops {
    out: String,
}

impl Ops {
    fn index(&mut self, i: u32) {
        let _ = write!(self.out, "{i}");
    }

    fn op(&mut self, kind: &str, i: u32, arg: Option<&str>) {
        self.out.push_str(",[\"");
        self.out.push_str(kind);
        self.out.push_str("\",");
        self.index(i);
        if let Some(arg) = arg {
            self.out.push(',');
            push_string(&mut self.out, arg);
        }
        self.out.push(']');
    }

    fn set(&mut self, i: u32, name: &str, value: &str) {
        self.out.push_str(",[\"a\",");
        self.index(i);
        self.out.push(',');
        push_string(&mut self.out, name);
        self.out.push(',');
        push_string(&mut self.out, value);
        self.out.push(']');
    }

    fn replace(&mut self, i: u32, markup: &str) {
        self.op("b", i, Some(markup));
        self.op("x", i, None);
    }
}

/// Element `o` of `old` made `n` of `new` (same name).
fn element(old: &Doc, o: u32, new: &Doc, n: u32, ops: &mut Ops) {
    let (eo, en) = (&old.elements[o as usize], &new.elements[n as usize]);
    let (o_leaf, n_leaf) = (eo.first_child == NONE, en.first_child == NONE);
    // A leaf is compared whole; an element with children is not (its
    // children are, one by one: comparing every subtree whole as well
    // would read the document once per level of nesting).
    let content_differs = !(o_leaf && n_leaf) || old.bytes(eo.content) != new.bytes(en.content);
    if o_leaf && n_leaf && !content_differs && old.bytes(eo.span) == new.bytes(en.span) {
        return;
    }
    if o_leaf != n_leaf {
        ops.replace(o, new.slice(en.span));
        return;
    }
    // The attributes, unless the start tags are the same (most are).
    // (A start tag ends where the content starts, or the element does.)
    if old.bytes((eo.span.0, eo.content.0)) != new.bytes((en.span.0, en.content.0)) {
        let (oa, na) = (old.attrs(o), new.attrs(n));
        for (k, a) in na.iter().enumerate() {
            let name = new.bytes(a.name);
            let value = new.bytes(a.value);
            // The writer puts them in the same order: look there first.
            let before = match oa.get(k) {
                Some(b) if old.bytes(b.name) == name => Some(old.bytes(b.value)),
                _ => old.attr(o, name),
            };
            if before != Some(value) {
                ops.set(o, new.slice(a.name), new.slice(a.value));
            }
        }
        for a in oa {
            if new.attr(n, old.bytes(a.name)).is_none() {
                ops.op("r", o, Some(old.slice(a.name)));
            }
        }
    }
    if !content_differs {
        return;
    }
    if n_leaf {
        ops.op("t", o, Some(new.slice(en.content)));
        return;
    }
    // The children: those that keep their place at the start and at the
    // end (same element names) are paired; between, the longest common
    // run of names is (a row drawn as a bar in one document and as "non
    // disponible" in the other is then one removal and one insertion, not
    // every row after it rewritten). Paired elements are diffed; the rest
    // is removed, or inserted in its place.
    let (oc, nc) = (old.children(o), new.children(n));
    let same = |a: u32, b: u32| old.name(a) == new.name(b);
    let shorter = oc.len().min(nc.len());
    let mut head = 0;
    while head < shorter && same(oc[head], nc[head]) {
        head += 1;
    }
    let mut tail = 0;
    while tail < shorter - head && same(oc[oc.len() - 1 - tail], nc[nc.len() - 1 - tail]) {
        tail += 1;
    }
    for k in 0..head {
        element(old, oc[k], new, nc[k], ops);
    }
    let (om, nm) = (&oc[head..oc.len() - tail], &nc[head..nc.len() - tail]);
    // Where the new elements after the middle go: before the first of
    // the tail, or at the end.
    let after = oc.get(oc.len() - tail).copied();
    let insert = |ops: &mut Ops, run: &[u32], before: Option<u32>| {
        if let (Some(&first), Some(&last)) = (run.first(), run.last()) {
            let (a, b) = (new.elements[first as usize].span.0, new.elements[last as usize].span.1);
            let markup = new.slice((a, b));
            match before {
                Some(e) => ops.op("b", e, Some(markup)),
                None => ops.op("e", o, Some(markup)),
            }
        }
    };
    let (mut oi, mut ni) = (0, 0);
    for (a, b) in common_run(om, nm, same).into_iter().chain([(om.len(), nm.len())]) {
        for &gone in &om[oi..a] {
            ops.op("x", gone, None);
        }
        insert(ops, &nm[ni..b], om.get(a).copied().or(after));
        if a < om.len() {
            element(old, om[a], new, nm[b], ops);
        }
        (oi, ni) = (a + 1, b + 1);
    }
    for k in 0..tail {
        element(old, oc[oc.len() - tail + k], new, nc[nc.len() - tail + k], ops);
    }
}

/// The pairs `(i, j)` of a longest common subsequence of `a` and `b` under
/// `same`, in order; none when the table would be too large (the whole
/// run is then replaced).
fn common_run(a: &[u32], b: &[u32], same: impl Fn(u32, u32) -> bool) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 || n * m > 65_536 {
        return Vec::new();
    }
    // lengths[i][j]: the longest common run of a[i..] and b[j..].
    let w = m + 1;
    let mut lengths = vec![0u16; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[i * w + j] = if same(a[i], b[j]) {
                lengths[(i + 1) * w + j + 1] + 1
            } else {
                lengths[(i + 1) * w + j].max(lengths[i * w + j + 1])
            };
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if same(a[i], b[j]) {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if lengths[(i + 1) * w + j] >= lengths[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// The documents given to a page, each under a key, so that the next one
/// can be sent as a patch against the one it shows.
#[derive(Default)]
pub struct Shown {
    /// The most recent first.
    entries: RefCell<Vec<Entry>>,
}

/// The next key, shared by every [`Shown`] of the module: a key from one
/// viewer is never another's (a page that loads another pack, two widgets).
static NEXT_KEY: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

struct Entry {
    key: u32,
    /// What the document is (an infographic's id): a base only for the same.
    what: String,
    doc: Doc,
}

/// A document for a page: whole, or as a patch of the one it shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    Whole(String),
    Patch(String),
}

impl Shown {
    /// Documents kept: four switches of nine infographics, enough for a
    /// page to fall back on the last ones while memory stays bounded.
    pub const KEPT: usize = 36;

    pub fn new() -> Shown {
        Shown::default()
    }

    /// `svg`, the document `what` is now, for a page that shows the
    /// document `base` (a key this gave), if any: its key and either a
    /// patch of `base` or, when `base` is unknown, is another `what`, or
    /// the patch would be longer than the document, the whole document.
    pub fn show(&self, what: &str, base: Option<u32>, svg: String) -> (u32, Update) {
        let key = NEXT_KEY.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let doc = match Doc::parse(svg) {
            Ok(doc) => doc,
            Err(svg) => return (key, Update::Whole(svg)),
        };
        let mut entries = self.entries.borrow_mut();
        let patch = base
            .and_then(|b| entries.iter().find(|e| e.key == b && e.what == what))
            .and_then(|old| diff(&old.doc, &doc))
            .filter(|patch| patch.len() < doc.text.len());
        // The document is kept; a copy goes to the page only when whole.
        let update = patch.map_or_else(|| Update::Whole(doc.text.clone()), Update::Patch);
        entries.insert(0, Entry { key, what: what.to_owned(), doc });
        entries.truncate(Self::KEPT);
        (key, update)
    }

    /// The whole document kept under `key` (what the page shows once the
    /// patch that gave `key` is applied), for a page that could not apply it.
    pub fn document(&self, key: u32) -> Option<String> {
        self.entries.borrow().iter().find(|e| e.key == key).map(|e| e.doc.text.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_the_writer_does_not_write() {
        for bad in [
            "",
            "text",
            "<svg>",
            "<svg></g>",
            "<svg/><svg/>",
            "<svg a='1'/>",
            "<svg><!-- c --></svg>",
            "<svg a=\"1/>",
            "<svg>x</svg>y",
            "<svg>x<g/></svg>",
            "<svg><g/>x</svg>",
        ] {
            assert!(Doc::parse(bad.to_owned()).is_err(), "{bad}");
        }
        assert_eq!(Doc::parse("<svg a=\"1\"><g><rect/></g><text>t</text></svg>".into()).map(|d| d.len()), Ok(4));
    }

    #[test]
    fn a_changed_run_of_children_is_replaced_and_the_rest_updated() {
        let old = Doc::parse("<svg w=\"1\"><g><line x=\"1\"/><text>a</text><rect/></g><title>t</title></svg>".into())
            .unwrap();
        let new = Doc::parse(
            "<svg w=\"2\"><g><line x=\"2\"/><text>a &amp; b</text><line/><text>c</text><rect/></g><title>t</title></svg>".into(),
        )
        .unwrap();
        assert_eq!(
            diff(&old, &new).unwrap(),
            r#"[6,["a",0,"w","2"],["a",2,"x","2"],["t",3,"a &amp; b"],["b",4,"<line/><text>c</text>"]]"#
        );
    }
}
