//! Shared by the PDF tests: fonts, poppler, and comparing renders.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use territoire_pdf::PdfOptions;

pub fn options() -> PdfOptions {
    let read = |name: &str| {
        let path = format!("/usr/share/fonts/truetype/dejavu/{name}");
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (fonts-dejavu-core, scripts/setup.sh)"))
    };
    PdfOptions { regular_font: read("DejaVuSans.ttf"), bold_font: read("DejaVuSans-Bold.ttf") }
}

pub fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e} (poppler-utils, installed by scripts/setup.sh)"));
    assert!(out.status.success(), "{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn field<'a>(info: &'a str, name: &str) -> &'a str {
    info.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(':')))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {name} in\n{info}"))
}

/// (width, height, RGB bytes)
pub fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let rgb = match info.color_type {
        png::ColorType::Rgb => buf,
        png::ColorType::Rgba => buf.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|g| [*g, *g, *g]).collect(),
        other => panic!("{}: unexpected colour type {other:?}", path.display()),
    };
    (info.width, info.height, rgb)
}

pub fn mean_difference(a: &(u32, u32, Vec<u8>), b: &(u32, u32, Vec<u8>)) -> f64 {
    assert_eq!((a.0, a.1), (b.0, b.1), "render size differs from the reference");
    let total: u64 = a.2.iter().zip(&b.2).map(|(x, y)| x.abs_diff(*y) as u64).sum();
    total as f64 / a.2.len() as f64
}

/// Renders page `page` of `pdf` at 50 dpi and compares it with
/// `tests/reference/<name>.png` (mean difference per channel below
/// `tolerance`). `UPDATE_REFERENCES=1` rewrites the reference; a missing one
/// is written, except under `CI=true`, where it fails.
pub fn assert_page_matches(pdf: &Path, page: usize, name: &str, tolerance: f64) {
    let dir = pdf.parent().unwrap();
    let prefix = dir.join(format!("{name}-render"));
    let p = page.to_string();
    run(
        "pdftoppm",
        &["-r", "50", "-png", "-f", &p, "-l", &p, "-singlefile", pdf.to_str().unwrap(), prefix.to_str().unwrap()],
    );
    let got = prefix.with_extension("png");
    let refs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let reference = refs.join(format!("{name}.png"));
    let update = std::env::var("UPDATE_REFERENCES").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if update || (!reference.exists() && !ci) {
        std::fs::create_dir_all(&refs).unwrap();
        std::fs::copy(&got, &reference).unwrap();
        eprintln!("wrote {}", reference.display());
        return;
    }
    assert!(reference.exists(), "missing reference {} (UPDATE_REFERENCES=1 writes it)", reference.display());
    let diff = mean_difference(&decode(&got), &decode(&reference));
    assert!(diff < tolerance, "{name}: mean difference {diff:.3} per channel (see {})", got.display());
}
