//! The builder on damaged copies of the real sources: every fault stops the
//! build with an error naming the file and the line. Covered: a missing
//! file, a missing column, a bad number (FILOSOFI, census), a broken
//! geometry (one-line source, and one feature a line to check the line is
//! the feature's), a file cut in the middle (CSV, JSON, GeoJSON), a wrong
//! encoding (Latin-1 in CSV and JSON), a missing JSON field, an unknown
//! status.
//! Each case links every real file into a temporary directory and replaces
//! one with a damaged version.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use data_pack::BuildError;

fn data_dir() -> PathBuf {
    std::env::var_os("DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"))
}

fn link_tree(from: &Path, to: &Path, skip: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src == skip {
            continue;
        }
        if src.is_dir() {
            link_tree(&src, &dst, skip);
        } else {
            std::os::unix::fs::symlink(&src, &dst).unwrap();
        }
    }
}

/// Builds from the sources with `rel` replaced by `damage(original)`
/// (`None` removes the file) and returns the error.
fn build_with(rel: &str, damage: impl Fn(Vec<u8>) -> Option<Vec<u8>>) -> BuildError {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir =
        std::env::temp_dir().join(format!("data-pack-bad-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    let real = data_dir();
    link_tree(&real, &dir, &real.join(rel));
    if let Some(bytes) = damage(std::fs::read(real.join(rel)).unwrap()) {
        std::fs::write(dir.join(rel), bytes).unwrap();
    }
    let result = data_pack::build::build(&dir, &Default::default());
    std::fs::remove_dir_all(&dir).ok();
    match result {
        Ok(_) => panic!("the build accepted a damaged {rel}"),
        Err(e) => e,
    }
}

/// Replaces the `n`-th line (1-based) of a text file.
fn edit_line(bytes: Vec<u8>, n: usize, f: impl Fn(&str) -> String) -> Vec<u8> {
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<String> =
        text.split('\n').enumerate().map(|(i, l)| if i + 1 == n { f(l) } else { l.to_string() }).collect();
    lines.join("\n").into_bytes()
}

const FILOSOFI_EPCI: &str = "filosofi/epci_2021/filosofi_2021_epci.csv";

#[test]
fn a_missing_source_file_is_named() {
    let e = build_with(FILOSOFI_EPCI, |_| None);
    assert_eq!(e.file, FILOSOFI_EPCI);
    assert!(e.message.contains("cannot read"), "{e}");
}

#[test]
fn a_missing_column_is_named() {
    let e = build_with(FILOSOFI_EPCI, |b| Some(edit_line(b, 1, |l| l.replace("revenu_median", "revenu_med"))));
    assert_eq!((e.file.as_str(), e.line), (FILOSOFI_EPCI, Some(1)));
    assert!(e.message.contains("missing column `revenu_median`"), "{e}");
}

#[test]
fn a_bad_number_names_file_line_and_column() {
    // Line 7: the 6th EPCI; column 3 is `revenu_median`.
    let e = build_with(FILOSOFI_EPCI, |b| {
        Some(edit_line(b, 7, |l| {
            let mut f: Vec<&str> = l.split(',').collect();
            f[2] = "24 9x0";
            f.join(",")
        }))
    });
    assert_eq!((e.file.as_str(), e.line), (FILOSOFI_EPCI, Some(7)));
    assert!(e.message.contains("revenu_median") && e.message.contains("24 9x0"), "{e}");
}

#[test]
fn a_file_cut_in_the_middle_of_a_line_is_caught() {
    let rel = "census/comparateur_2022/base_cc_comparateur.csv";
    let e = build_with(rel, |b| {
        // Cut in the middle of line 20 000, after a few fields.
        let mut line = 1;
        let mut cut = 0;
        for (i, c) in b.iter().enumerate() {
            if *c == b'\n' {
                line += 1;
                if line == 20_000 {
                    cut = i + 20;
                    break;
                }
            }
        }
        Some(b[..cut].to_vec())
    });
    assert_eq!((e.file.as_str(), e.line), (rel, Some(20_000)), "{e}");
    assert!(e.message.contains("fields"), "{e}");
}

#[test]
fn a_wrong_encoding_names_the_first_bad_line() {
    let rel = "geometry/epci_2025.csv";
    let e = build_with(rel, |b| {
        // Latin-1 instead of UTF-8: "é" (C3 A9) becomes E9.
        let text = String::from_utf8(b).unwrap();
        Some(text.chars().map(|c| if (c as u32) < 256 { c as u32 as u8 } else { b'?' }).collect())
    });
    assert_eq!(e.file, rel);
    assert!(e.message.contains("UTF-8"), "{e}");
    // Line 2 is "Communauté de communes Faucigny-Glières".
    assert_eq!(e.line, Some(2), "{e}");
}

const GEOMETRY: &str = "geometry/communes_cog2024.geojson";

#[test]
fn a_broken_geometry_is_named() {
    // The source holds the whole collection on line 1.
    let rel = GEOMETRY;
    let e = build_with(rel, |b| Some(b[..b.len() / 3].to_vec()));
    assert_eq!((e.file.as_str(), e.line), (rel, Some(1)), "{e}");
    assert!(e.message.contains("truncated"), "{e}");
    let e = build_with(rel, |b| {
        let text = String::from_utf8(b).unwrap();
        Some(text.replacen("\"MultiPolygon\"", "\"LineString\"", 1).into_bytes())
    });
    assert_eq!((e.file.as_str(), e.line), (rel, Some(1)), "{e}");
    assert!(e.message.contains("LineString"), "{e}");
}

/// The GeoJSON source with one feature a line (feature `k`, 0-based, on
/// line `k + 1`, the collection's header on line 1), so that a fault's
/// line says which feature it is; `damage` edits line `n`.
fn geometry_by_line(bytes: Vec<u8>, n: usize, damage: impl Fn(&str) -> String) -> Vec<u8> {
    let text = String::from_utf8(bytes).unwrap();
    let split = text.replace("},{\"type\":\"Feature\"", "},\n{\"type\":\"Feature\"");
    assert!(split.lines().count() > n, "fewer than {n} features");
    edit_line(split.into_bytes(), n, damage)
}

#[test]
fn a_broken_geometry_names_the_feature_and_its_line() {
    // A geometry type the builder does not draw, on feature #1000.
    let e = build_with(GEOMETRY, |b| {
        Some(geometry_by_line(b, 1001, |l| {
            l.replacen("{\"type\":\"MultiPolygon\"", "{\"type\":\"Point\"", 1).replacen(
                "{\"type\":\"Polygon\"",
                "{\"type\":\"Point\"",
                1,
            )
        }))
    });
    assert_eq!((e.file.as_str(), e.line), (GEOMETRY, Some(1001)), "{e}");
    // Coordinates that are not longitude/latitude (projected metres), on
    // feature #2000, named by its index and code.
    let e = build_with(GEOMETRY, |b| {
        Some(geometry_by_line(b, 2001, |l| {
            let at = l.find("\"coordinates\":").unwrap() + "\"coordinates\":".len();
            let start = at + l[at..].find(|c: char| c.is_ascii_digit() || c == '-').unwrap();
            format!("{}355000.5{}", &l[..start], &l[start + l[start..].find(',').unwrap()..])
        }))
    });
    assert_eq!((e.file.as_str(), e.line), (GEOMETRY, Some(2001)), "{e}");
    assert!(e.message.contains("feature #2000 (commune ") && e.message.contains("WGS84"), "{e}");
    // The file cut in the middle of feature #3000.
    let e = build_with(GEOMETRY, |b| {
        let text = String::from_utf8(geometry_by_line(b, 1, |l| l.to_string())).unwrap();
        let line_start: usize = text.split_inclusive('\n').take(3000).map(str::len).sum();
        Some(text.as_bytes()[..line_start + 200].to_vec())
    });
    assert_eq!((e.file.as_str(), e.line), (GEOMETRY, Some(3001)), "{e}");
    assert!(e.message.contains("truncated") && e.message.contains("after 3000 features"), "{e}");
}

const DEPARTEMENTS: &str = "cog/departements.json";

/// The 1-based line of the first byte above 0x7F (the first accented
/// letter), found in the file rather than assumed.
fn first_non_ascii_line(rel: &str) -> usize {
    let bytes = std::fs::read(data_dir().join(rel)).unwrap();
    let at = bytes.iter().position(|b| *b > 0x7f).expect("an accented letter");
    bytes[..at].iter().filter(|b| **b == b'\n').count() + 1
}

/// UTF-8 text re-encoded as Latin-1 (what a spreadsheet export may do).
fn latin1(bytes: Vec<u8>) -> Vec<u8> {
    String::from_utf8(bytes).unwrap().chars().map(|c| if (c as u32) < 256 { c as u32 as u8 } else { b'?' }).collect()
}

#[test]
fn a_json_source_cut_in_the_middle_names_file_and_line() {
    let e = build_with(DEPARTEMENTS, |b| {
        // Cut 20 bytes into line 50.
        let start: usize = b.split_inclusive(|c| *c == b'\n').take(49).map(<[u8]>::len).sum();
        Some(b[..start + 20].to_vec())
    });
    assert_eq!((e.file.as_str(), e.line), (DEPARTEMENTS, Some(50)), "{e}");
    assert!(e.message.contains("invalid JSON"), "{e}");
}

#[test]
fn a_json_entry_missing_a_field_names_its_line() {
    let e = build_with(DEPARTEMENTS, |b| Some(edit_line(b, 30, |l| l.replace("\"nom\":", "\"name\":"))));
    assert_eq!((e.file.as_str(), e.line), (DEPARTEMENTS, Some(30)), "{e}");
    assert!(e.message.contains("missing text field `nom`"), "{e}");
}

#[test]
fn a_wrong_encoding_names_the_line_in_json_and_indicator_files_too() {
    for rel in [DEPARTEMENTS, "census/rp2023_pdl/rp2023_pop_sexe_age5_communes_pdl.csv"] {
        let e = build_with(rel, |b| Some(latin1(b)));
        assert_eq!((e.file.as_str(), e.line), (rel, Some(first_non_ascii_line(rel) as u64)), "{e}");
        assert!(e.message.contains("UTF-8"), "{e}");
    }
}

#[test]
fn a_bad_number_in_a_census_file_names_file_line_and_column() {
    // The RP 2023 population by sex and age of the PdL communes: line 100,
    // the men aged 0 to 4 (a column the builder sums).
    let rel = "census/rp2023_pdl/rp2023_pop_sexe_age5_communes_pdl.csv";
    let header = String::from_utf8(std::fs::read(data_dir().join(rel)).unwrap()).unwrap();
    let col = header.lines().next().unwrap().split(',').position(|h| h == "H_00_04").expect("column H_00_04");
    let e = build_with(rel, |b| {
        Some(edit_line(b, 100, |l| {
            let mut f: Vec<&str> = l.split(',').collect();
            f[col] = "12O4";
            f.join(",")
        }))
    });
    assert_eq!((e.file.as_str(), e.line), (rel, Some(100)), "{e}");
    assert!(e.message.contains("12O4") && e.message.contains("H_00_04"), "{e}");
}

#[test]
fn an_unknown_status_in_filosofi_2023_is_refused() {
    let rel = "filosofi/communes_2023_pdl/filosofi2023_communes_pdl.csv";
    let e = build_with(rel, |b| Some(edit_line(b, 3, |l| l.replace(",diffuse,diffuse", ",diffuse,publié"))));
    assert_eq!((e.file.as_str(), e.line), (rel, Some(3)), "{e}");
    assert!(e.message.contains("publié"), "{e}");
}

#[test]
fn a_missing_sources_directory_says_how_to_point_at_one() {
    let e = data_pack::build::build(Path::new("/nonexistent/data"), &Default::default()).unwrap_err();
    assert!(e.message.contains("DATA_DIR"), "{e}");
}
