//! Reading the raw sources: every file read is fingerprinted (SHA-256) for
//! the pack header, and every fault names the file and the line.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use territoire::schema::SourceFile;

use crate::error::{BuildError, Result};

/// The sources directory and the files read from it so far.
pub struct Sources {
    root: PathBuf,
    read: RefCell<Vec<SourceFile>>,
}

impl Sources {
    pub fn open(root: &Path) -> Result<Sources> {
        if !root.is_dir() {
            return Err(BuildError::file(
                root.display().to_string(),
                "sources directory not found (pass --sources DIR or set DATA_DIR)",
            ));
        }
        Ok(Sources { root: root.to_path_buf(), read: RefCell::new(Vec::new()) })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Reads a whole file and records its fingerprint.
    pub fn bytes(&self, rel: &str) -> Result<Vec<u8>> {
        let bytes = std::fs::read(self.path(rel)).map_err(|e| BuildError::file(rel, format!("cannot read: {e}")))?;
        self.record(rel, &bytes);
        Ok(bytes)
    }

    /// Records a file read by someone else (the geometry reader streams it).
    pub fn record(&self, rel: &str, bytes: &[u8]) {
        let mut read = self.read.borrow_mut();
        if read.iter().any(|f| f.path == rel) {
            return;
        }
        let digest = Sha256::digest(bytes);
        let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
        read.push(SourceFile { path: rel.to_string(), sha256, bytes: bytes.len() as u64 });
    }

    /// Every file read so far, sorted by path.
    pub fn files(&self) -> Vec<SourceFile> {
        let mut files = self.read.borrow().clone();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    /// Reads a delimited text file (UTF-8, optional BOM) as a [`Table`].
    /// The delimiter is guessed from the header line (`;` or `,`).
    pub fn table(&self, rel: &str) -> Result<Table> {
        let bytes = self.bytes(rel)?;
        Table::parse(rel, &bytes)
    }

    /// Reads a JSON file.
    pub fn json(&self, rel: &str) -> Result<serde_json::Value> {
        let bytes = self.bytes(rel)?;
        let text = utf8(rel, &bytes)?;
        serde_json::from_str(text).map_err(|e| BuildError::at(rel, e.line() as u64, format!("invalid JSON: {e}")))
    }

    /// Reads a JSON file whose top level is an array, each element with the
    /// 1-based line it starts on, so that a fault in an entry names its line.
    pub fn json_entries(&self, rel: &str) -> Result<Vec<(u64, serde_json::Value)>> {
        let bytes = self.bytes(rel)?;
        let text = utf8(rel, &bytes)?;
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| BuildError::at(rel, e.line() as u64, format!("invalid JSON: {e}")))?;
        let serde_json::Value::Array(items) = value else {
            return Err(BuildError::at(rel, 1, "expected a JSON array at the top level"));
        };
        let lines = json_array_entry_lines(text.as_bytes(), None);
        Ok(items.into_iter().enumerate().map(|(i, v)| (lines.get(i).copied().unwrap_or(1), v)).collect())
    }
}

/// The 1-based line where each element of a JSON array starts: the
/// top-level array (`key` None), or the array under `key` in the top-level
/// object (a GeoJSON's `"features"`). Strings and nesting are followed,
/// nothing else is checked: on a cut or broken text, the lines found so far.
pub fn json_array_entry_lines(bytes: &[u8], key: Option<&[u8]>) -> Vec<u64> {
    let mut out = Vec::new();
    let target = if key.is_some() { 2 } else { 1 };
    let (mut line, mut depth, mut in_string, mut escaped) = (1u64, 0usize, false, false);
    // The last string seen at depth 1 (in an object: a key, then its value).
    let (mut string_start, mut last_top_string) = (0usize, (0usize, 0usize));
    let (mut in_array, mut expecting) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    if depth == 1 {
                        last_top_string = (string_start, i);
                    }
                }
                _ => {}
            }
            continue;
        }
        if expecting && !b.is_ascii_whitespace() && b != b']' {
            out.push(line);
            expecting = false;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b'[' | b'{' => {
                depth += 1;
                let named = key.is_none_or(|k| bytes[last_top_string.0..last_top_string.1] == *k);
                if depth == target && b == b'[' && !in_array && named {
                    in_array = true;
                    expecting = true;
                }
            }
            b']' | b'}' => {
                if depth == target && in_array {
                    break;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if depth == target && in_array => expecting = true,
            _ => {}
        }
    }
    out
}

/// Checks UTF-8 and strips a BOM; a wrong encoding names the first bad line.
pub fn utf8<'a>(rel: &str, bytes: &'a [u8]) -> Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        BuildError::at(rel, line, "not valid UTF-8 (wrong encoding? the sources are UTF-8)")
    })
}

/// A parsed CSV file: header and rows, with line numbers.
#[derive(Debug)]
pub struct Table {
    pub file: String,
    pub headers: Vec<String>,
    index: HashMap<String, usize>,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub struct Row {
    /// 1-based line in the file.
    pub line: u64,
    pub fields: Vec<String>,
}

/// One parsed cell: INSEE writes `s` for secrecy and leaves missing cells
/// empty; both stay distinct from zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Number(f64),
    Secret,
    Missing,
}

impl Table {
    pub fn parse(rel: &str, bytes: &[u8]) -> Result<Table> {
        let text = utf8(rel, bytes)?;
        let first = text.lines().next().unwrap_or("");
        if first.trim().is_empty() {
            return Err(BuildError::at(rel, 1, "empty file or empty header line"));
        }
        let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
        // Line numbers come from byte offsets: the csv crate's own line
        // counter drifts on large inputs.
        let newlines: Vec<usize> = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
        // With CRLF the position may point at the `\n` ending the previous line.
        let line_at = |byte: u64| newlines.partition_point(|n| (*n as u64) <= byte) as u64 + 1;
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| BuildError::at(rel, 1, format!("unreadable header: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if !h.is_empty() {
                index.entry(h.clone()).or_insert(i);
            }
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| line_at(p.byte())).unwrap_or(0);
                let msg = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("{len} fields where the header has {expected_len} (truncated or malformed line)")
                    }
                    _ => format!("malformed line: {e}"),
                };
                BuildError::new(rel, Some(line), msg)
            })?;
            let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
            rows.push(Row { line, fields: record.iter().map(|f| f.trim().to_string()).collect() });
        }
        Ok(Table { file: rel.to_string(), headers, index, rows })
    }

    /// The index of a column, or an error naming the file and the column.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.index.get(name).copied().ok_or_else(|| BuildError::at(&self.file, 1, format!("missing column `{name}`")))
    }

    pub fn has_col(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// A text cell.
    pub fn text<'a>(&self, row: &'a Row, col: usize) -> &'a str {
        row.fields.get(col).map(String::as_str).unwrap_or("")
    }

    /// A numeric cell: decimal comma or point, `s` = secret, empty or
    /// `nd`/`NA` = missing; anything else is an error naming file, line
    /// and column.
    pub fn cell(&self, row: &Row, col: usize) -> Result<Cell> {
        let raw = self.text(row, col);
        parse_cell(raw).ok_or_else(|| {
            BuildError::at(
                &self.file,
                row.line,
                format!(
                    "column `{}`: `{raw}` is not a number",
                    self.headers.get(col).map(String::as_str).unwrap_or("?")
                ),
            )
        })
    }

    /// A numeric cell that must be a number (counts in complete files).
    pub fn number(&self, row: &Row, col: usize) -> Result<f64> {
        match self.cell(row, col)? {
            Cell::Number(v) => Ok(v),
            other => Err(BuildError::at(
                &self.file,
                row.line,
                format!("column `{}`: expected a number, found {other:?}", self.headers[col]),
            )),
        }
    }
}

pub fn parse_cell(raw: &str) -> Option<Cell> {
    let t = raw.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("nd") || t.eq_ignore_ascii_case("na") {
        return Some(Cell::Missing);
    }
    if t.eq_ignore_ascii_case("s") {
        return Some(Cell::Secret);
    }
    let v: f64 = t.replace(',', ".").parse().ok()?;
    v.is_finite().then_some(Cell::Number(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cells_keeping_secret_missing_and_zero_apart() {
        assert_eq!(parse_cell("12,5"), Some(Cell::Number(12.5)));
        assert_eq!(parse_cell("0"), Some(Cell::Number(0.0)));
        assert_eq!(parse_cell("s"), Some(Cell::Secret));
        assert_eq!(parse_cell(""), Some(Cell::Missing));
        assert_eq!(parse_cell("12x"), None);
        assert_eq!(parse_cell("inf"), None);
    }

    #[test]
    fn table_errors_name_file_and_line() {
        let t = Table::parse("x.csv", b"a;b\n1;2\n3;oops\n").unwrap();
        let b = t.col("b").unwrap();
        let e = t.number(&t.rows[1], b).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("x.csv", Some(3)));
        assert!(e.message.contains("oops"), "{e}");
        let e = t.col("c").unwrap_err();
        assert!(e.to_string().contains("missing column `c`"), "{e}");
        let e = Table::parse("y.csv", b"a;b\n1;2\n3\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let t = Table::parse("crlf.csv", b"a;b\r\n1;2\r\n3;4\r\n").unwrap();
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
        let e = Table::parse("crlf.csv", b"a;b\r\n1;2\r\n3\r\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = Table::parse("w.csv", b"a;b\n1;\xe9\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("UTF-8"), "{e}");
    }

    #[test]
    fn json_array_entries_know_their_line() {
        let text = "[\n{\"a\":\"x,[y\\\"]\"},\n{\"b\":[1,\n2]}, 3,\n\"s\"\n]";
        assert_eq!(json_array_entry_lines(text.as_bytes(), None), [2, 3, 4, 5]);
        assert_eq!(json_array_entry_lines(b"[]", None), Vec::<u64>::new());
        assert_eq!(json_array_entry_lines(b"[1]", None), [1]);
    }
}
