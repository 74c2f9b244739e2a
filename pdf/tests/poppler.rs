//! The PDF writer checked from the outside, with poppler (Debian's
//! `poppler-utils`, installed by scripts/setup.sh): what a reader's viewer,
//! a screen reader's text extraction and a search index will see.
//!
//! Renders are compared with `tests/reference/*.png` (mean absolute
//! difference per channel). `UPDATE_REFERENCES=1` rewrites them; a missing
//! reference is written on the fly, except under `CI=true` where it fails.

use std::path::{Path, PathBuf};
use std::time::Instant;

use territoire::document::{Block, Document, Page, Role, A4_HEIGHT_PT, A4_WIDTH_PT};
use territoire::scene::{Anchor, Color, Fill, Item, PathCmd, Scene, Stroke, Weight};
use territoire_pdf::{pdf, PdfError, PdfOptions};

mod common;
use common::{decode, field, mean_difference, options, run};

const HOSTILE: &str = "<script>alert(1)</script> ]]> \"quotes\" & 'apos'";
const FRENCH: &str = "Évolution de la pauvreté : 12,8 % ≤ 15 % ≈ 24 950 € « record » à Châteaubriant";
const FOREIGN: &str = "Ελληνικά, العربية, 中文";

fn text(x: f64, y: f64, s: &str, size: f64, weight: Weight, anchor: Anchor) -> Item {
    Item::Text { x, y, text: s.to_string(), size, weight, anchor, color: Color(0x22, 0x22, 0x22) }
}

fn scene(width: f64, height: f64, items: Vec<Item>) -> Scene {
    Scene { width, height, title: "Scène".into(), description: String::new(), items }
}

fn block(x_pt: f64, y_pt: f64, role: Role, scene: Scene) -> Block {
    Block { x_pt, y_pt, scale: 0.75, role, scene }
}

fn a4(blocks: Vec<Block>) -> Page {
    Page { width_pt: A4_WIDTH_PT, height_pt: A4_HEIGHT_PT, blocks }
}

/// A cover: the title, a paragraph with the comment lines.
fn cover() -> Page {
    let title = scene(
        700.0,
        40.0,
        vec![text(0.0, 30.0, "Portrait de territoire — Nantes Métropole", 26.0, Weight::Bold, Anchor::Start)],
    );
    let lines = [HOSTILE, FRENCH, FOREIGN];
    let para = scene(
        700.0,
        90.0,
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| text(0.0, 20.0 + 24.0 * i as f64, l, 14.0, Weight::Regular, Anchor::Start))
            .collect(),
    );
    a4(vec![block(48.0, 60.0, Role::Title, title), block(48.0, 110.0, Role::Paragraph, para)])
}

/// A figure: every kind of item and fill.
fn figure_page() -> Page {
    let stroke = Some(Stroke { color: Color(0x33, 0x33, 0x33), width: 1.0, dash: 0.0 });
    let items = vec![
        Item::Rect {
            x: 0.0,
            y: 0.0,
            width: 700.0,
            height: 420.0,
            fill: Fill::Solid(Color(0xf4, 0xf1, 0xea)),
            stroke: None,
            id: None,
        },
        text(350.0, 28.0, "Taux de pauvreté (%)", 18.0, Weight::Bold, Anchor::Middle),
        Item::Group {
            label: Some("Barres".into()),
            items: vec![
                Item::Rect {
                    x: 60.0,
                    y: 80.0,
                    width: 120.0,
                    height: 240.0,
                    fill: Fill::Solid(Color(0x1b, 0x9e, 0x77)),
                    stroke,
                    id: Some("a".into()),
                },
                Item::Rect {
                    x: 220.0,
                    y: 140.0,
                    width: 120.0,
                    height: 180.0,
                    fill: Fill::Hatched { background: Color(0xff, 0xff, 0xff), lines: Color(0x66, 0x66, 0x66) },
                    stroke,
                    id: Some("secret".into()),
                },
                Item::Rect {
                    x: 380.0,
                    y: 200.0,
                    width: 120.0,
                    height: 120.0,
                    fill: Fill::Solid(Color(0xd9, 0x5f, 0x02)),
                    stroke: None,
                    id: None,
                },
            ],
        },
        Item::Circle {
            cx: 560.0,
            cy: 200.0,
            r: 70.0,
            fill: Fill::Translucent { color: Color(0x75, 0x70, 0xb3), opacity: 0.5 },
            stroke,
            id: None,
        },
        Item::Circle {
            cx: 610.0,
            cy: 250.0,
            r: 60.0,
            fill: Fill::Translucent { color: Color(0xe7, 0x29, 0x8a), opacity: 0.5 },
            stroke: None,
            id: None,
        },
        Item::Line {
            x1: 40.0,
            y1: 160.0,
            x2: 660.0,
            y2: 160.0,
            stroke: Stroke { color: Color(0, 0, 0), width: 2.0, dash: 6.0 },
        },
        Item::Path {
            commands: vec![
                PathCmd::MoveTo(40.0, 400.0),
                PathCmd::LineTo(200.0, 340.0),
                PathCmd::LineTo(360.0, 390.0),
                PathCmd::LineTo(200.0, 410.0),
                PathCmd::Close,
            ],
            fill: Fill::Hatched { background: Color(0xee, 0xee, 0xee), lines: Color(0x1b, 0x9e, 0x77) },
            stroke: Some(Stroke { color: Color(0x1b, 0x9e, 0x77), width: 2.0, dash: 0.0 }),
            id: None,
        },
        text(120.0, 340.0, "18,2 %", 14.0, Weight::Bold, Anchor::Middle),
        text(660.0, 400.0, "Source : Insee, Filosofi 2021", 12.0, Weight::Regular, Anchor::End),
    ];
    let heading = scene(700.0, 30.0, vec![text(0.0, 22.0, "Pauvreté", 20.0, Weight::Bold, Anchor::Start)]);
    a4(vec![
        block(48.0, 48.0, Role::Heading, heading),
        block(
            48.0,
            90.0,
            Role::Figure { alt: "Taux de pauvreté : 18,2 % dans l’EPCI.".into() },
            scene(700.0, 420.0, items),
        ),
    ])
}

/// A choropleth-like page: `n` polygons of `points` vertices each, some
/// hatched (secret values), with borders and labels.
fn map_page(n: usize, points: usize) -> Page {
    let mut items = Vec::with_capacity(n + 10);
    let side = (n as f64).sqrt().ceil() as usize;
    let cell = 700.0 / side as f64;
    for i in 0..n {
        let (cx, cy) = ((i % side) as f64 * cell + cell / 2.0, (i / side) as f64 * cell + cell / 2.0);
        let mut commands = Vec::with_capacity(points + 1);
        for k in 0..points {
            let a = k as f64 / points as f64 * std::f64::consts::TAU;
            let r = cell * (0.45 + 0.05 * ((k * 7 + i) % 5) as f64 / 5.0);
            let p = (cx + r * a.cos(), cy + r * a.sin());
            commands.push(if k == 0 { PathCmd::MoveTo(p.0, p.1) } else { PathCmd::LineTo(p.0, p.1) });
        }
        commands.push(PathCmd::Close);
        let shade = (40 + (i * 37) % 180) as u8;
        let fill = if i % 17 == 0 {
            Fill::Hatched { background: Color::WHITE, lines: Color(0x88, 0x88, 0x88) }
        } else {
            Fill::Solid(Color(shade, 0x60, 0xff - shade))
        };
        let stroke = Some(Stroke { color: Color::WHITE, width: 0.3, dash: 0.0 });
        items.push(Item::Path { commands, fill, stroke, id: Some(format!("epci:{i}")) });
    }
    items.push(text(350.0, 690.0, "Taux de chômage (%) par EPCI", 14.0, Weight::Bold, Anchor::Middle));
    a4(vec![block(48.0, 48.0, Role::Figure { alt: "Carte des EPCI.".into() }, scene(700.0, 700.0, items))])
}

fn document(pages: Vec<Page>) -> Document {
    Document {
        title: "Portrait de territoire — Nantes Métropole".into(),
        lang: "fr-FR".into(),
        subject: "Indicateurs sociaux".into(),
        date: "2025-11-21".into(),
        pages,
    }
}

fn out_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("territoire-pdf-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The two-page sample, written once per test (tests run in parallel).
fn sample(name: &str) -> PathBuf {
    let bytes = pdf(&document(vec![cover(), figure_page()]), &options()).expect("PDF written");
    let path = out_dir().join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn pdfinfo_sees_pages_title_and_tags() {
    let path = sample("info");
    let info = run("pdfinfo", &[path.to_str().unwrap()]);
    assert_eq!(field(&info, "Pages"), "2", "{info}");
    assert_eq!(field(&info, "Title"), "Portrait de territoire — Nantes Métropole");
    assert_eq!(field(&info, "Subject"), "Indicateurs sociaux");
    assert_eq!(field(&info, "Tagged"), "yes");
    assert!(field(&info, "Page size").starts_with("595.28 x 841.89"), "{info}");
    assert!(field(&info, "CreationDate").contains("2025"), "{info}");
    // The structure tree in reading order, with the figure's alternative.
    let tree = run("pdfinfo", &["-struct-text", path.to_str().unwrap()]);
    let order: Vec<&str> = ["H1", "P", "H2", "Figure"]
        .iter()
        .map(|t| tree.find(t).map(|i| &tree[i..i + t.len()]).unwrap_or("?"))
        .collect();
    assert_eq!(order, ["H1", "P", "H2", "Figure"], "{tree}");
    let positions: Vec<usize> = ["H1", "\n  P", "H2", "Figure"].iter().map(|t| tree.find(t).unwrap_or(0)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "reading order:\n{tree}");
    // Headings and paragraphs hold their lines; the figure its content.
    assert!(tree.contains("\"Pauvreté\""), "{tree}");
    assert!(tree.contains(HOSTILE), "{tree}");
    // poppler prints neither /Alt nor non-ASCII /T: look for the figure's
    // alternative in the file (structure elements are not compressed;
    // pdf-writer writes non-ASCII text strings as UTF-16BE in hex).
    let bytes = std::fs::read(&path).unwrap();
    let alt: String = "Taux de pauvreté : 18,2 % dans l’EPCI.".encode_utf16().map(|u| format!("{u:04X}")).collect();
    let alt = format!("/Alt<FEFF{alt}>");
    assert!(bytes.windows(alt.len()).any(|w| w == alt.as_bytes()), "figure /Alt missing");
    // Viewers show the title rather than the file name.
    assert!(bytes.windows(22).any(|w| w == b"/DisplayDocTitle true>"), "DisplayDocTitle missing");
}

#[test]
fn pdffonts_sees_both_dejavu_fonts_embedded_and_subset() {
    let path = sample("fonts");
    let fonts = run("pdffonts", &[path.to_str().unwrap()]);
    for name in ["DejaVuSans ", "DejaVuSans-Bold "] {
        let line = fonts
            .lines()
            .find(|l| l.split_whitespace().next().is_some_and(|f| f.ends_with(name.trim()) && f.contains('+')))
            .unwrap_or_else(|| panic!("no subset of {name} in\n{fonts}"));
        // name type encoding emb sub uni object ID
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "emb/sub/uni in {line}");
    }
    // One subset per font for the whole document, not one per page.
    assert_eq!(fonts.lines().filter(|l| l.contains("DejaVuSans")).count(), 2, "{fonts}");
}

#[test]
fn pdftotext_gives_back_the_text_as_typed() {
    let path = sample("text");
    let txt = run("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"]);
    for expected in [
        HOSTILE,
        FRENCH,
        "Ελληνικά",
        "Portrait de territoire — Nantes Métropole",
        "Taux de pauvreté (%)",
        "18,2 %",
        "Source : Insee, Filosofi 2021",
    ] {
        assert!(txt.contains(expected), "{expected:?} missing in\n{txt}");
    }
    // Characters DejaVu lacks are drawn as .notdef boxes; their text is
    // kept through ActualText.
    assert!(txt.contains("中文"), "CJK text lost:\n{txt}");
}

#[test]
fn renders_match_references() {
    let path = sample("render");
    let dir = out_dir();
    let refs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let update = std::env::var("UPDATE_REFERENCES").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    for page in 1..=2 {
        let prefix = dir.join(format!("render-{page}"));
        let p = page.to_string();
        run(
            "pdftoppm",
            &["-r", "50", "-png", "-f", &p, "-l", &p, "-singlefile", path.to_str().unwrap(), prefix.to_str().unwrap()],
        );
        let got = prefix.with_extension("png");
        let reference = refs.join(format!("sample-{page}.png"));
        if update || (!reference.exists() && !ci) {
            std::fs::create_dir_all(&refs).unwrap();
            std::fs::copy(&got, &reference).unwrap();
            eprintln!("wrote {}", reference.display());
            continue;
        }
        assert!(reference.exists(), "missing reference {} (UPDATE_REFERENCES=1 writes it)", reference.display());
        let diff = mean_difference(&decode(&got), &decode(&reference));
        assert!(diff < 1.5, "page {page}: mean difference {diff:.3} per channel (see {})", got.display());
    }
}

#[test]
fn hostile_documents_never_panic() {
    let opts = options();
    let nan = f64::NAN;
    let huge = "Très long commentaire ".repeat(5_000);
    let items = vec![
        Item::Rect {
            x: nan,
            y: 0.0,
            width: 10.0,
            height: 10.0,
            fill: Fill::Solid(Color::BLACK),
            stroke: None,
            id: None,
        },
        Item::Rect { x: 0.0, y: 0.0, width: 0.0, height: 0.0, fill: Fill::Solid(Color::BLACK), stroke: None, id: None },
        Item::Rect { x: 0.0, y: 0.0, width: -5.0, height: 1e300, fill: Fill::None, stroke: None, id: None },
        Item::Line {
            x1: 1.0,
            y1: 1.0,
            x2: 1.0,
            y2: 1.0,
            stroke: Stroke { color: Color::BLACK, width: nan, dash: f64::INFINITY },
        },
        Item::Line {
            x1: 1.0,
            y1: 1.0,
            x2: 1.0,
            y2: 1.0,
            stroke: Stroke { color: Color::BLACK, width: 1.0, dash: 1.0 },
        },
        Item::Path { commands: vec![], fill: Fill::Solid(Color::BLACK), stroke: None, id: None },
        Item::Path {
            commands: vec![PathCmd::Close, PathCmd::LineTo(1.0, 2.0)],
            fill: Fill::Solid(Color::BLACK),
            stroke: None,
            id: None,
        },
        Item::Path {
            commands: vec![PathCmd::MoveTo(1.0, 1.0)],
            fill: Fill::Solid(Color::BLACK),
            stroke: None,
            id: None,
        },
        Item::Path {
            commands: vec![PathCmd::MoveTo(1.0, nan), PathCmd::LineTo(3.0, 3.0)],
            fill: Fill::Solid(Color::BLACK),
            stroke: None,
            id: None,
        },
        Item::Circle { cx: 5.0, cy: 5.0, r: 0.0, fill: Fill::Solid(Color::BLACK), stroke: None, id: None },
        Item::Circle {
            cx: 5.0,
            cy: 5.0,
            r: 3.0,
            fill: Fill::Translucent { color: Color::BLACK, opacity: nan },
            stroke: None,
            id: None,
        },
        Item::Circle {
            cx: 5.0,
            cy: 5.0,
            r: 3.0,
            fill: Fill::Translucent { color: Color::BLACK, opacity: 7.0 },
            stroke: None,
            id: None,
        },
        text(0.0, 10.0, &huge, 12.0, Weight::Regular, Anchor::End),
        text(0.0, 10.0, "", 12.0, Weight::Regular, Anchor::Middle),
        text(0.0, 10.0, "\u{200b}\u{feff}\t\n", 12.0, Weight::Regular, Anchor::Middle),
        text(0.0, 10.0, "taille", nan, Weight::Bold, Anchor::Start),
        text(0.0, 10.0, "taille", 0.0, Weight::Bold, Anchor::Start),
        text(0.0, 10.0, "taille", 1e9, Weight::Bold, Anchor::Start),
        text(1e12, -1e12, "loin", 12.0, Weight::Bold, Anchor::Start),
        Item::Group { label: None, items: vec![] },
    ];
    let odd_blocks = vec![
        Block { x_pt: nan, y_pt: 0.0, scale: 1.0, role: Role::Title, scene: scene(10.0, 10.0, items.clone()) },
        Block { x_pt: 0.0, y_pt: 0.0, scale: 0.0, role: Role::Heading, scene: scene(10.0, 10.0, items.clone()) },
        Block { x_pt: 0.0, y_pt: 0.0, scale: 1.0, role: Role::Paragraph, scene: scene(nan, 0.0, items.clone()) },
        Block { x_pt: 0.0, y_pt: 0.0, scale: 1.0, role: Role::Paragraph, scene: scene(300.0, 300.0, items.clone()) },
        Block {
            x_pt: 0.0,
            y_pt: 0.0,
            scale: 1.0,
            role: Role::Figure { alt: String::new() },
            scene: scene(300.0, 300.0, items.clone()),
        },
        Block {
            x_pt: 0.0,
            y_pt: 0.0,
            scale: 1.0,
            role: Role::Figure { alt: "vide".into() },
            scene: scene(300.0, 300.0, vec![]),
        },
        Block { x_pt: 0.0, y_pt: 0.0, scale: 1.0, role: Role::Heading, scene: scene(300.0, 300.0, vec![]) },
    ];
    let doc = |pages| Document {
        title: String::new(),
        lang: String::new(),
        subject: String::new(),
        date: "n/a".into(),
        pages,
    };
    // Odd content still makes a PDF (what can be drawn is drawn).
    let bytes =
        pdf(&doc(vec![a4(odd_blocks), a4(vec![]), Page { width_pt: 1e9, height_pt: 1.0, blocks: vec![] }]), &opts)
            .expect("odd content is skipped, not refused");
    let path = out_dir().join("hostile.pdf");
    std::fs::write(&path, bytes).unwrap();
    let info = run("pdfinfo", &[path.to_str().unwrap()]);
    assert_eq!(field(&info, "Pages"), "3");

    // What cannot be a PDF is a French error.
    assert_eq!(pdf(&doc(vec![]), &opts), Err(PdfError::NoPages));
    let bad_page = Page { width_pt: nan, height_pt: A4_HEIGHT_PT, blocks: vec![] };
    assert_eq!(pdf(&doc(vec![a4(vec![]), bad_page]), &opts), Err(PdfError::PageSize { page: 2 }));
    let no_font = PdfOptions { regular_font: b"<html>404</html>".to_vec(), bold_font: opts.bold_font.clone() };
    let err = pdf(&doc(vec![a4(vec![])]), &no_font).unwrap_err();
    assert_eq!(err, PdfError::Font { bold: false });
    assert!(err.to_string().starts_with("Police normale illisible"), "{err}");
    let no_bold = PdfOptions { regular_font: opts.regular_font.clone(), bold_font: Vec::new() };
    assert_eq!(pdf(&doc(vec![a4(vec![])]), &no_bold), Err(PdfError::Font { bold: true }));
}

/// Native time for a 25-page document (about what a snapshot with maps and
/// comments makes): printed, and bounded loosely so a regression shows.
#[test]
fn twenty_five_pages_in_reasonable_time() {
    let opts = options();
    let mut pages = vec![cover()];
    while pages.len() < 25 {
        // Every fifth page a map the size of France's EPCI map.
        pages.push(if pages.len() % 5 == 0 { map_page(1_250, 48) } else { figure_page() });
    }
    let doc = document(pages);
    let start = Instant::now();
    let bytes = pdf(&doc, &opts).unwrap();
    let elapsed = start.elapsed();
    eprintln!("25 pages: {:.1} ms, {} KB", elapsed.as_secs_f64() * 1e3, bytes.len() / 1024);
    let path = out_dir().join("25.pdf");
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(field(&run("pdfinfo", &[path.to_str().unwrap()]), "Pages"), "25");
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
}
