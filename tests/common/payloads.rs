//! The hostile text list `tests/payloads.txt`, read the same way by the
//! core's tests (`tests/hostile.rs`) and the PDF writer's
//! (`pdf/tests/hostile.rs`, which includes this file by path). The browser
//! tests read it too (`tests/browser/comments.test.mjs`).

/// `tests/payloads.txt`: one payload a line, `#` comments, `\u{HEX}`
/// escapes decoded (see the file's header).
pub fn file_payloads() -> Vec<String> {
    // The workspace root's tests/, from the core or from pdf/.
    let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = ["tests/payloads.txt", "../tests/payloads.txt"]
        .iter()
        .map(|p| crate_dir.join(p))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("tests/payloads.txt not found from {}", crate_dir.display()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(decode_escapes).collect()
}

fn decode_escapes(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find("\\u{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let end = after.find('}').unwrap_or_else(|| panic!("unclosed \\u{{ in {line:?}"));
        let code = u32::from_str_radix(&after[..end], 16).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        out.push(char::from_u32(code).unwrap_or_else(|| panic!("{line:?}: no character {code:x}")));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What a comment becomes in the export document (`territoire::export`'s
/// rule): control characters dropped, tabs as spaces, `\r` as line breaks.
pub fn comment_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}
