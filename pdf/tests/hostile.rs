//! Hostile comments in the PDF: every payload of `tests/payloads.txt`
//! (markup, PDF syntax such as `) Tj (`, `\\`, `>> endobj`, `%%EOF`,
//! `/OpenAction`, bidi overrides, control and invisible characters, emoji,
//! other scripts, CSV formulas) plus very long generated strings, as the
//! comments of the real snapshot of Nantes Métropole (`build/pack.bin`),
//! sent as the page sends them (JSON to `request::document`).
//!
//! The PDF must be written without panic, be read by poppler (`pdfinfo`:
//! no JavaScript, tagged; no action, JavaScript, launch or URI entry
//! outside the streams), and give back, through `pdftotext`, every payload
//! the embedded DejaVu Sans can draw literally (its characters all in the
//! font, left-to-right, no format characters); the others (emoji, CJK,
//! Arabic, Hebrew, bidi and zero-width characters) only have to go through
//! without panic.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use territoire::export::Comments;
use territoire::Pack;
use territoire_pdf::pdf;
use territoire_pdf::request::document;

mod common;
use common::{field, options, run};
#[path = "../../tests/common/payloads.rs"]
mod payloads;
use payloads::comment_text;

/// The core's `tests/payloads.txt`, plus very long generated strings.
fn payloads() -> Vec<String> {
    let mut all = payloads::file_payloads();
    assert!(all.len() >= 40, "{} payloads in tests/payloads.txt", all.len());
    all.extend([
        "A".repeat(5_000),
        "<script>".repeat(500),
        ") Tj (".repeat(500),
        "\\".repeat(2_000),
        "Communauté de communes ".repeat(100).trim_end().to_string(),
        "🇫🇷".repeat(500),
    ]);
    all
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect()
}

/// Whether pdftotext can give `s` back as typed: every character drawn by
/// DejaVu Sans (regular and bold), none right-to-left (poppler reorders),
/// no format character (bidi controls, zero-width ones, soft hyphen), no
/// combining mark (extraction may compose it).
fn literal(s: &str, fonts: &[skrifa::FontRef<'_>]) -> bool {
    use skrifa::MetadataProvider;
    s.chars().all(|c| {
        let cp = c as u32;
        let rtl = (0x0590..=0x08ff).contains(&cp) || (0xfb1d..=0xfeff).contains(&cp);
        let format = matches!(cp, 0xad | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f | 0xfeff);
        let combining = (0x0300..=0x036f).contains(&cp);
        c.is_whitespace()
            || (!rtl
                && !format
                && !combining
                && fonts.iter().all(|f| f.charmap().map(c).is_some_and(|g| g.to_u32() != 0)))
    })
}

/// The PDF's bytes outside its streams (dictionaries, names, strings that
/// a reader acts on); stream data is compressed and would match by chance.
fn outside_streams(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"stream") && (i == 0 || !bytes[i - 1].is_ascii_alphabetic()) {
            match bytes[i..].windows(9).position(|w| w == b"endstream") {
                Some(end) => {
                    i += end + 9;
                    continue;
                }
                None => break,
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[test]
fn hostile_comments_are_extracted_literally_and_add_no_action_to_the_pdf() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../build/pack.bin");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make pack` first)", path.display()));
    let pack = Pack::from_bytes(&bytes).expect("the real pack loads");
    let opts = options();
    let fonts = [skrifa::FontRef::new(&opts.regular_font).unwrap(), skrifa::FontRef::new(&opts.bold_font).unwrap()];

    // Every payload once, one per line: the general comment and the nine
    // panels' comments share them.
    let payloads = payloads();
    let panels =
        ["population", "ages", "menages", "jeunesse", "emploi", "logement", "revenus", "pauvrete", "prestations"];
    let mut comments = Comments::default();
    let mut panel_comments: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, p) in payloads.iter().enumerate() {
        match i % 10 {
            0 => {
                comments.general.push_str(p);
                comments.general.push('\n');
            }
            k => panel_comments.entry(panels[k - 1].to_string()).or_default().push(p.clone()),
        }
    }
    comments.panels = panel_comments.into_iter().map(|(k, v)| (k, v.join("\n"))).collect();

    // As the worker gets them: the page's comments as JSON, the document
    // laid out by the PDF module (`request::document`).
    let comments_json = serde_json::to_string(&comments).unwrap();
    let doc = document(&pack, "244400404", None, &comments_json, None, "2026-11-21").expect("document");
    let written = catch_unwind(AssertUnwindSafe(|| pdf(&doc, &opts)));
    let pdf_bytes = match written {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => panic!("the PDF was not written: {e}"),
        Err(_) => panic!("writing the PDF panicked on hostile comments"),
    };
    let dir = std::env::temp_dir().join("territoire-pdf-hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hostile-comments.pdf");
    std::fs::write(&file, &pdf_bytes).unwrap();

    // poppler reads it: pages, tags, no JavaScript.
    let info = run("pdfinfo", &[file.to_str().unwrap()]);
    assert_eq!(field(&info, "JavaScript"), "no", "{info}");
    assert_eq!(field(&info, "Tagged"), "yes", "{info}");
    assert_eq!(field(&info, "Encrypted"), "no", "{info}");
    let pages: usize = field(&info, "Pages").parse().unwrap();
    assert!(pages >= 12, "{pages} pages");
    // Nothing a reader would act on, outside the (compressed) streams.
    let plain = String::from_utf8_lossy(&outside_streams(&pdf_bytes)).into_owned();
    for name in
        ["/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/EmbeddedFile"]
    {
        let found = plain.match_indices(name).any(|(at, _)| {
            // A whole name: followed by a delimiter, not a longer name.
            plain[at + name.len()..].chars().next().is_none_or(|c| !c.is_ascii_alphanumeric())
        });
        assert!(!found, "{name} in the PDF's objects");
    }
    assert!(pdf_bytes.starts_with(b"%PDF-"), "header");
    // Every %%EOF ends a genuine trailer (the writer appends one
    // incremental update, pdf/src/prefs.rs): none comes from a comment.
    for (at, _) in pdf_bytes.windows(5).enumerate().filter(|(_, w)| *w == b"%%EOF") {
        let before = String::from_utf8_lossy(&pdf_bytes[at.saturating_sub(24)..at]);
        let xref = before.rsplit_once("startxref").map(|(_, n)| n.trim());
        assert!(
            xref.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
            "%%EOF at byte {at} does not end a trailer: …{before}"
        );
    }

    // The text as extracted: every drawable payload literally.
    let text = run("pdftotext", &["-enc", "UTF-8", file.to_str().unwrap(), "-"]);
    let flat = no_space(&text);
    let (mut literal_n, mut others) = (0, Vec::new());
    for p in &payloads {
        let shown = comment_text(p);
        if literal(&shown, &fonts) {
            assert!(flat.contains(&no_space(&shown)), "payload {p:?} not extracted literally");
            literal_n += 1;
        } else {
            others.push(p.chars().take(24).collect::<String>());
        }
    }
    assert!(literal_n >= 30, "only {literal_n} payloads checked literally");
    println!(
        "pdf hostile: {} payloads in one {pages}-page PDF ({} KB): {literal_n} extracted literally, {} written \
         without panic: {others:?}",
        payloads.len(),
        pdf_bytes.len() / 1024,
        others.len()
    );
}

#[test]
fn each_hostile_comment_alone_writes_a_pdf_without_panic() {
    // One payload as the only comment of a small document (the cover and
    // one infographic): a fault that the shared document would hide shows.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../build/pack.bin");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make pack` first)", path.display()));
    let pack = Pack::from_bytes(&bytes).expect("the real pack loads");
    let opts = options();
    let base = document(&pack, "244400404", Some(""), "", None, "2026-11-21").expect("document");
    let mut failures = Vec::new();
    for (i, p) in payloads().iter().enumerate() {
        let c = serde_json::to_string(&Comments { general: p.clone(), panels: BTreeMap::new() }).unwrap();
        let doc = document(&pack, "244400404", Some(""), &c, None, "2026-11-21").expect("document");
        // The cover page (where the general comment goes) only.
        let mut small = doc.clone();
        small.pages.truncate(2.min(doc.pages.len()));
        match catch_unwind(AssertUnwindSafe(|| pdf(&small, &opts))) {
            Ok(Ok(b)) => assert!(b.starts_with(b"%PDF-")),
            Ok(Err(e)) => failures.push(format!("payload {i} {p:?}: {e}")),
            Err(_) => failures.push(format!("payload {i} {p:?}: panicked")),
        }
    }
    assert!(base.pages.len() > 2);
    assert!(failures.is_empty(), "{failures:#?}");
}
