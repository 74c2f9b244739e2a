//! The builder on the real sources (`DATA_DIR`, default `../shared/data`):
//! the pack holds every EPCI with its hierarchy and polygon, and its figures
//! match the source rows, read here independently of the builder's code.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};
use territoire::schema::{PackData, PdlCoverage, Status, TerritoryKind};
use territoire::{Observation, Pack};

fn data_dir() -> PathBuf {
    std::env::var_os("DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"))
}

struct Built {
    data: PackData,
    bytes: Vec<u8>,
}

/// The pack is built once per test binary.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (data, _log) =
            data_pack::build::build(&data_dir(), &Default::default()).unwrap_or_else(|e| panic!("build failed: {e}"));
        let bytes = territoire::pack::to_bytes(&data).expect("serialise");
        Built { data, bytes }
    })
}

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| Pack::from_bytes(&built().bytes).expect("the built pack loads"))
}

/// A source CSV as header → column index and rows of fields.
fn csv_rows(rel: &str) -> (HashMap<String, usize>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(data_dir().join(rel)).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let header = text.lines().next().unwrap();
    let sep = if header.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(sep).from_reader(text.as_bytes());
    let cols = reader.headers().unwrap().iter().enumerate().map(|(i, h)| (h.trim().to_string(), i)).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(|f| f.trim().to_string()).collect()).collect();
    (cols, rows)
}

fn num(s: &str) -> f64 {
    s.replace(',', ".").parse().unwrap_or_else(|_| panic!("`{s}` is not a number"))
}

fn obs(code: &str, indicator: &str, year: u16) -> Observation {
    let p = pack();
    let t = p.territory_by_code(code, None).unwrap();
    let i = p.indicator(indicator).unwrap();
    p.value(t, i, year).unwrap_or_else(|| panic!("no {indicator} series for {year}"))
}

/// COG 2025 member communes of an EPCI, from the membership file.
fn members(epci: &str) -> HashSet<String> {
    let (c, rows) = csv_rows("geometry/commune_epci_2025.csv");
    rows.iter()
        .filter(|r| r[c["type"]] == "COM" && r[c["epci_code"]] == epci)
        .map(|r| r[c["code_commune"]].clone())
        .collect()
}

#[test]
fn holds_every_epci_of_2025_with_its_hierarchy() {
    let p = pack();
    let (c, rows) = csv_rows("geometry/epci_2025.csv");
    assert_eq!(rows.len(), 1253);
    for r in &rows {
        let t = p.territory_by_code(&r[c["epci_code"]], None).unwrap();
        assert_eq!(t.kind(), TerritoryKind::Epci);
        assert_eq!(t.epci_type(), r[c["type"]]);
        assert!(t.departements().next().is_some(), "{t:?} has no département");
        assert!(t.regions().next().is_some(), "{t:?} has no région");
    }
    assert_eq!(p.territories_of_kind(TerritoryKind::Epci).count(), 1253);
    assert_eq!(p.territories_of_kind(TerritoryKind::Departement).count(), 101);
    assert_eq!(p.territories_of_kind(TerritoryKind::Region).count(), 18);
    // The PdL communes of COG 2025 (L'Île-d'Yeu included, without EPCI).
    let pdl: Vec<_> = p.territories_of_kind(TerritoryKind::Commune).collect();
    assert_eq!(pdl.len(), 1228);
    let yeu = p.territory_by_code("85113", None).unwrap();
    assert!(yeu.epci().is_none());
    let nantes = p.territory_by_code("44109", None).unwrap();
    assert_eq!(nantes.epci().unwrap().name(), "Nantes Métropole");

    let nm = p.territory_by_code("244400404", None).unwrap();
    assert_eq!(nm.departements().map(|d| d.code()).collect::<Vec<_>>(), ["44"]);
    assert_eq!(nm.regions().map(|r| r.name()).collect::<Vec<_>>(), ["Pays de la Loire"]);
    assert_eq!(nm.pdl(), PdlCoverage::Full);
    // Redon Agglomération: mostly in Ille-et-Vilaine (Bretagne), partly in
    // Loire-Atlantique: majority first.
    let redon = p.territory_by_code("243500741", None).unwrap();
    let deps: Vec<&str> = redon.departements().map(|d| d.code()).collect();
    assert_eq!(deps[0], "35");
    assert!(deps.contains(&"44"), "{deps:?}");
    assert_eq!(redon.regions().next().unwrap().code(), "53");
    assert_eq!(redon.pdl(), PdlCoverage::Partial);
    // The default comparisons: département, région, France.
    let cmp: Vec<String> = nm.default_comparisons().iter().map(|t| t.key()).collect();
    assert_eq!(cmp, ["dep:44", "reg:52", "pays:FRM"]);
}

#[test]
fn every_epci_has_a_polygon() {
    let d = &built().data;
    let layer = d.geometry.layers.iter().find(|l| l.kind == TerritoryKind::Epci as u8).expect("EPCI layer");
    let drawn: HashSet<u32> = layer
        .features
        .iter()
        .filter(|f| f.polygons.iter().any(|p| !p.rings.is_empty() && !p.rings[0].arcs.is_empty()))
        .map(|f| f.territory)
        .collect();
    let epci: Vec<u32> = (0..d.territories.len() as u32)
        .filter(|i| d.territories[*i as usize].kind == TerritoryKind::Epci as u8)
        .collect();
    assert_eq!(epci.len(), 1253);
    let missing: Vec<&str> =
        epci.iter().filter(|i| !drawn.contains(i)).map(|i| d.territories[*i as usize].code.as_str()).collect();
    assert!(missing.is_empty(), "EPCI without polygon: {missing:?}");
    assert_eq!(d.geometry.crs, "EPSG:2154");
    assert!(d.geometry.lods.len() >= 2, "a France view and a région view");
    // Valid at every level of detail the pack ships, for every layer.
    use geo::Validation;
    for (lod, l) in d.geometry.lods.iter().enumerate() {
        for layer in &d.geometry.layers {
            for f in &layer.features {
                let mp = data_pack::geometry::feature_multipolygon(&d.geometry, lod, f);
                assert!(
                    mp.is_valid(),
                    "{} {} invalid at lod {}",
                    layer.kind,
                    d.territories[f.territory as usize].code,
                    l.name
                );
            }
        }
    }
}

#[test]
fn published_rates_and_medians_are_the_source_rows() {
    let (c, rows) = csv_rows("filosofi/epci_2021/filosofi_2021_epci.csv");
    let p = pack();
    let mut checked = 0;
    for r in rows.iter().step_by(97) {
        let code = &r[c["codgeo"]];
        if p.territory_by_code(code, None).is_err() {
            continue;
        }
        let tp = obs(code, "taux_pauvrete", 2021);
        let src = num(&r[c["taux_pauvrete"]]);
        if src <= 5.0 {
            assert_eq!(tp.status, Status::BottomCoded, "{code}");
        } else {
            assert_eq!((tp.status, tp.value), (Status::Value, Some(src)), "{code}");
        }
        let med = obs(code, "revenu_median", 2021);
        assert_eq!(med.value, Some(num(&r[c["revenu_median"]])), "{code}");
        assert_eq!(obs(code, "d1", 2021).value, Some(num(&r[c["decile1"]])));
        assert_eq!(obs(code, "rapport_interdecile", 2021).value, Some(num(&r[c["rapport_interdecile"]])));
        assert_eq!(med.source_label, "Insee, Filosofi 2021");
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
    // Nantes Métropole, as shown.
    let tp = obs("244400404", "taux_pauvrete", 2021);
    assert_eq!(tp.display(), "12,8\u{a0}%");
    assert_eq!(obs("244400404", "revenu_median", 2021).display(), "24\u{a0}950\u{a0}€");
    // Gini 2019 for France métropolitaine, from the DISP file.
    let (c, rows) = csv_rows("filosofi/disp_2014_2019/FILO2019_DISP_METROPOLE.csv");
    assert_eq!(obs("FRM", "gini", 2019).value, Some(num(&rows[0][c["GI19"]])));
}

#[test]
fn counts_are_summed_and_rates_recomputed_from_the_sums() {
    // Nantes Métropole's 24 communes have not changed since COG 2021.
    let nm = members("244400404");
    assert_eq!(nm.len(), 24);
    let (c, rows) = csv_rows("census/comparateur_2022/base_cc_comparateur.csv");
    let (mut pop, mut chom, mut act) = (0.0, 0.0, 0.0);
    for r in rows.iter().filter(|r| nm.contains(&r[c["CODGEO"]])) {
        pop += num(&r[c["P18_POP"]]);
        chom += num(&r[c["P18_CHOM1564"]]);
        act += num(&r[c["P18_ACT1564"]]);
    }
    let p18 = obs("244400404", "population", 2018);
    assert_eq!(p18.status, Status::Value);
    assert!((p18.value.unwrap() - pop).abs() < 0.5, "{p18:?} vs {pop}");
    assert_eq!(p18.display(), "656\u{a0}275\u{a0}hab.");
    let u = obs("244400404", "taux_chomage", 2018);
    assert!((u.numerator.unwrap() - chom).abs() < 0.1 && (u.denominator.unwrap() - act).abs() < 0.1, "{u:?}");
    assert!((u.value.unwrap() - chom / act * 100.0).abs() < 1e-3, "{u:?}");
    // France métropolitaine = every metropolitan commune (arrondissements
    // skipped, so Paris counts once).
    let arrondissement = |c: &str| c.starts_with("751") || c.starts_with("132") || c.starts_with("6938");
    let metro: f64 = rows
        .iter()
        .filter(|r| !r[c["CODGEO"]].starts_with("97") && !arrondissement(&r[c["CODGEO"]]))
        .map(|r| num(&r[c["P18_POP"]]))
        .sum();
    let frm = obs("FRM", "population", 2018).value.unwrap();
    // A handful of COG 2021 communes have no 2025 successor in the files
    // (reported in the build log): the totals agree to 0.01 %.
    assert!((frm - metro).abs() / metro < 1e-4, "{frm} vs {metro}");
}

#[test]
fn statuses_stay_distinct() {
    // Secret: Aigrefeuille-sur-Maine's 2021 poverty rate is `s`.
    let s = obs("44002", "taux_pauvrete", 2021);
    assert_eq!((s.status, s.value), (Status::Secret, None));
    assert_eq!(s.display(), "secret statistique");
    // ... while its median is published.
    assert_eq!(obs("44002", "revenu_median", 2021).value, Some(24830.0));
    // An EPCI: CC Faucigny-Glières' 2019 poverty rate for a reference
    // person of 75 or more is `s` in the source, its overall rate is not.
    let (c, rows) = csv_rows("filosofi/cc_2019/cc_filosofi_2019_EPCI.csv");
    let row = rows.iter().find(|r| r[c["CODGEO"]] == "200000172").unwrap();
    assert_eq!(row[c["TP60AGE619"]], "s");
    assert_eq!(obs("200000172", "taux_pauvrete_age_75p", 2019).status, Status::Secret);
    assert_eq!(obs("200000172", "taux_pauvrete", 2019).value, Some(num(&row[c["TP6019"]])));
    // Bottom-coded: published as 5.0, shown as "≤ 5 %".
    let b = obs("200033090", "taux_pauvrete", 2021);
    assert_eq!(b.status, Status::BottomCoded);
    assert_eq!(b.display(), "≤\u{a0}5\u{a0}%");
    // Not available: Mayotte's EPCI have no FILOSOFI 2021 row.
    let n = obs("200050532", "taux_pauvrete", 2021);
    assert_eq!((n.status, n.value), (Status::NotAvailable, None));
    // Approximate: RP 2022 household types.
    let a = obs("244400404", "menages_seuls", 2022);
    assert_eq!(a.status, Status::Approximate);
    assert!(a.display().starts_with('≈'), "{}", a.display());
    // Partial: Redon Agglomération, PdL-only CAF file.
    let r = obs("243500741", "foyers_allocataires", 2024);
    assert_eq!(r.status, Status::Partial);
    // Its PdL communes' sum, exactly.
    let redon = members("243500741");
    let (c, rows) = csv_rows("benefits_employment_pdl/caf_allocataires_communes_pdl_2020_2024.csv");
    let sum: f64 = rows
        .iter()
        .filter(|r| r.len() == c.len() && r[c["annee"]] == "2024" && redon.contains(&r[c["codgeo"]]))
        .map(|r| num(&r[c["foyers_allocataires"]]))
        .sum();
    assert!(sum > 0.0);
    assert_eq!(r.value, Some(sum));
    // Outside the PdL: not available, not zero.
    let out = obs("200000172", "foyers_allocataires", 2024);
    assert_eq!((out.status, out.value), (Status::NotAvailable, None));
}

#[test]
fn header_lists_source_files_with_their_sha256() {
    let d = &built().data;
    let files = &d.header.source_files;
    assert!(files.len() >= 40, "{}", files.len());
    let f = files.iter().find(|f| f.path == "filosofi/epci_2021/filosofi_2021_epci.csv").expect("listed");
    let bytes = std::fs::read(data_dir().join(&f.path)).unwrap();
    let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(f.sha256, hex);
    assert_eq!(f.bytes, bytes.len() as u64);
    assert!(d.header.build_date.len() == 20 && d.header.build_date.ends_with('Z'), "{}", d.header.build_date);
}

#[test]
fn round_trip_build_bytes_load_gives_the_same_values() {
    let d = &built().data;
    let p = pack();
    assert_eq!(p.territory_count(), d.territories.len());
    for (s, a) in d.series.iter().zip(p.data().series.iter()) {
        assert_eq!(s.indicator, a.indicator.to_native());
        assert_eq!(s.year, a.year.to_native());
        assert_eq!(s.scale, a.scale);
        assert_eq!(s.territories.len(), a.territories.len());
        assert!(s.values.iter().zip(a.values.iter()).all(|(x, y)| *x == y.to_native()));
        assert_eq!(s.status.as_slice(), a.status.as_slice());
    }
    assert_eq!(d.series.len(), p.data().series.len());
    let back: PackData = rkyv::deserialize::<PackData, rkyv::rancor::BoxedError>(p.data()).unwrap();
    assert!(back == *d, "deserialised pack differs from the built one");
}
