//! `/ViewerPreferences << /DisplayDocTitle true >>`: viewers then show the
//! document's title ("Portrait de territoire — Nantes Métropole") in their
//! title bar and tab instead of the file name, as accessibility guidance
//! (PDF/UA, WCAG PDF18) asks.
//!
//! krilla 0.8 writes that key only when validating PDF/UA-1, and that mode
//! refuses any .notdef glyph (a comment in Chinese would make the export
//! fail). So we add it after the fact with an *incremental update*, the
//! standard PDF mechanism for amending a file: the catalog is written again
//! with the key, followed by a one-entry cross-reference section and a
//! trailer pointing back (`/Prev`) to krilla's. krilla's bytes are left
//! untouched; if they are not laid out as expected, nothing is appended.

pub(crate) fn display_doc_title(mut pdf: Vec<u8>) -> Vec<u8> {
    if let Some(update) = update(&pdf) {
        pdf.extend_from_slice(&update);
    }
    pdf
}

fn update(pdf: &[u8]) -> Option<Vec<u8>> {
    // The last trailer: `trailer << … >> startxref N %%EOF`.
    let startxref = rfind(pdf, b"startxref")?;
    let trailer = rfind(&pdf[..startxref], b"trailer")?;
    let dict = std::str::from_utf8(&pdf[trailer + b"trailer".len()..startxref]).ok()?;
    let inner = dict.trim().strip_prefix("<<")?.strip_suffix(">>")?;
    let prev: usize =
        std::str::from_utf8(&pdf[startxref + b"startxref".len()..]).ok()?.split_whitespace().next()?.parse().ok()?;
    let (num, gen) = reference(inner, "/Root")?;

    // The catalog object as krilla wrote it (never in an object stream).
    let header = format!("{num} {gen} obj");
    let start = object_offset(pdf, prev, num)?;
    if !pdf.get(start..)?.starts_with(header.as_bytes()) {
        return None;
    }
    let start = start + header.len();
    let end = start + find(&pdf[start..], b"endobj")?;
    let body = std::str::from_utf8(&pdf[start..end]).ok()?.trim();
    if !body.starts_with("<<") || body.contains("/ViewerPreferences") {
        return None;
    }
    let body = format!("<</ViewerPreferences<</DisplayDocTitle true>>{}", &body[2..]);

    let mut out = Vec::new();
    if !pdf.ends_with(b"\n") {
        out.push(b'\n');
    }
    let object_offset = pdf.len() + out.len();
    out.extend_from_slice(format!("{header}\n{body}\nendobj\n").as_bytes());
    let xref_offset = pdf.len() + out.len();
    // Cross-reference entries are exactly 20 bytes: "oooooooooo ggggg n \n".
    out.extend_from_slice(
        format!(
            "xref\n{num} 1\n{object_offset:010} {gen:05} n \ntrailer\n<<{}/Prev {prev}>>\nstartxref\n{xref_offset}\n%%EOF\n",
            inner.trim_end()
        )
        .as_bytes(),
    );
    Some(out)
}

/// The indirect reference `n g R` after `key` in a dictionary's text
/// (written compactly by pdf-writer: `/Root 35 0 R/Info 33 0 R`).
fn reference(dict: &str, key: &str) -> Option<(u32, u16)> {
    let mut rest = dict;
    loop {
        let at = rest.find(key)?;
        rest = &rest[at + key.len()..];
        // `/Root` must not match `/RootSomething`.
        if !rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            break;
        }
    }
    let rest = rest.trim_start();
    let num_end = rest.find(|c: char| !c.is_ascii_digit())?;
    let num = rest[..num_end].parse().ok()?;
    let rest = rest[num_end..].trim_start();
    let gen_end = rest.find(|c: char| !c.is_ascii_digit())?;
    let gen = rest[..gen_end].parse().ok()?;
    rest[gen_end..].trim_start().starts_with('R').then_some((num, gen))
}

/// Where object `num` starts, from krilla's cross-reference table at
/// `xref` (one section `0 N`, entries of 20 bytes).
fn object_offset(pdf: &[u8], xref: usize, num: u32) -> Option<usize> {
    let table = pdf.get(xref..)?;
    let table = table.strip_prefix(b"xref")?;
    let first_line_end = 1 + find(&table[1..], b"\n")?;
    let section = std::str::from_utf8(&table[..first_line_end]).ok()?;
    let mut words = section.split_whitespace();
    let (first, count): (u32, u32) = (words.next()?.parse().ok()?, words.next()?.parse().ok()?);
    if first != 0 || num >= count {
        return None;
    }
    let entry = first_line_end + 1 + 20 * num as usize;
    let entry = std::str::from_utf8(table.get(entry..entry + 20)?).ok()?;
    if !entry.trim_end().ends_with('n') {
        return None;
    }
    entry.get(..10)?.parse().ok()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(reference("/Size 36/Root 35 0 R/Info 33 0 R", "/Root"), Some((35, 0)));
        assert_eq!(reference("/RootX 1 0 R /Root\n 7 2 R", "/Root"), Some((7, 2)));
        assert_eq!(reference("/Size 3", "/Root"), None);
    }

    #[test]
    fn anything_unexpected_is_left_alone() {
        for pdf in [&b""[..], b"%PDF-1.7\n", b"trailer<</Root 1 0 R>>startxref\n9\n%%EOF"] {
            assert_eq!(display_doc_title(pdf.to_vec()), pdf);
        }
    }
}
