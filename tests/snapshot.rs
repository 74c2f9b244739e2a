//! The snapshot on the real pack.

mod common;
use common::pack;

use std::path::PathBuf;

use territoire::snapshot::{self, Chart, Snapshot};
use territoire::TerritoryRef;

fn territory(code: &str) -> TerritoryRef<'static> {
    pack().territory_by_code(code, None).unwrap()
}

fn snap(code: &str) -> Snapshot {
    let t = territory(code);
    snapshot::build(pack(), t, &t.default_comparisons()).unwrap()
}

#[test]
#[ignore]
fn dump() {
    let code = std::env::var("SNAP").unwrap_or_else(|_| "244400404".into());
    println!("{}", serde_json::to_string_pretty(&snap(&code)).unwrap());
}

// ---- reading the raw sources, independently of the builder --------------

fn data_dir() -> PathBuf {
    std::env::var_os("DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// A CSV file as (header, rows), split on `sep` (no quoted separators in
/// the columns these tests read).
fn csv(path: &str, sep: char) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(data_dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(sep).map(|s| s.trim_matches('"').to_string()).collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(sep).map(|s| s.trim_matches('"').to_string()).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name} missing"))
}

fn num(s: &str) -> f64 {
    s.replace(',', ".").parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// FILOSOFI 2021, EPCI: (taux_pauvrete, revenu_median, decile1, decile9)
/// by code.
type Filosofi = std::collections::HashMap<String, (Option<f64>, Option<f64>, Option<f64>, Option<f64>)>;

fn filosofi_2021_epci() -> Filosofi {
    let (h, rows) = csv("filosofi/epci_2021/filosofi_2021_epci.csv", ',');
    let (c, tp, med, d1, d9) =
        (col(&h, "codgeo"), col(&h, "taux_pauvrete"), col(&h, "revenu_median"), col(&h, "decile1"), col(&h, "decile9"));
    let opt = |s: &String| if s.is_empty() { None } else { Some(num(s)) };
    rows.iter().map(|r| (r[c].clone(), (opt(&r[tp]), opt(&r[med]), opt(&r[d1]), opt(&r[d9])))).collect()
}

/// Members of an EPCI in COG 2025.
fn members(epci: &str) -> Vec<String> {
    let (h, rows) = csv("geometry/commune_epci_2025.csv", ',');
    let (c, e, t) = (col(&h, "code_commune"), col(&h, "epci_code"), col(&h, "type"));
    rows.iter().filter(|r| r.len() > e && r[e] == epci && r[t] == "COM").map(|r| r[c].clone()).collect()
}

fn panel<'a>(s: &'a Snapshot, id: &str) -> &'a territoire::snapshot::Panel {
    s.panels.iter().find(|p| p.id == id).unwrap()
}

fn key<'a>(s: &'a Snapshot, panel_id: &str, indicator: &str) -> &'a territoire::report::Figure {
    &panel(s, panel_id)
        .key_figures
        .iter()
        .find(|k| k.figure.indicator == indicator)
        .unwrap_or_else(|| panic!("{panel_id}: no key figure {indicator}"))
        .figure
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

const NANTES: &str = "244400404";
/// A rural CC of Mayenne, unchanged since COG 2021.
const BOCAGE_MAYENNAIS: &str = "245300389";
const REDON: &str = "243500741";
/// Haute-Savoie: outside the PdL.
const FAUCIGNY: &str = "200000172";

#[test]
fn nine_panels_in_order_with_two_to_four_key_figures() {
    for code in [NANTES, BOCAGE_MAYENNAIS, REDON, FAUCIGNY, "44", "reg:52"] {
        let t = territory(code);
        let s = snap(code);
        let ids: Vec<&str> = s.panels.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, snapshot::PANEL_IDS, "{code}");
        assert_eq!(s.comparisons.len(), t.default_comparisons().len());
        for (i, p) in s.panels.iter().enumerate() {
            assert_eq!(p.number as usize, i + 1);
            assert!((2..=4).contains(&p.key_figures.len()), "{code} {}: {} key figures", p.id, p.key_figures.len());
            assert!(!p.charts.is_empty(), "{code} {}: no chart", p.id);
            assert!(p.sentences.len() <= 2, "{code} {}: {:?}", p.id, p.sentences);
            assert!(!p.sources.is_empty(), "{code} {}: no source", p.id);
            assert!(p.sources.iter().all(|s| s.starts_with("Source : ")), "{:?}", p.sources);
            let n = 2 + 1 + s.comparisons.len();
            assert_eq!(p.table.columns.len(), n);
            assert!(!p.table.rows.is_empty());
            assert!(p.table.rows.iter().all(|r| r.len() == n), "{code} {}", p.id);
            // Every key figure of the study is in the table.
            for k in &p.key_figures {
                let text = &k.figure.text;
                assert!(p.table.rows.iter().any(|r| &r[2] == text), "{code} {}: {} not in the table", p.id, k.label);
                assert!(k.label.contains(&k.figure.year.to_string()), "{}", k.label);
            }
            // Charts: study first, one series per territory.
            for c in &p.charts {
                match c {
                    Chart::Bars { categories, series, .. } => {
                        assert_eq!(series.len(), n - 2);
                        assert!(series[0].study && series.iter().skip(1).all(|s| !s.study));
                        assert_eq!(series[0].name, t.name());
                        assert!(series.iter().all(|s| s.figures.len() == categories.len()));
                    }
                    Chart::Lines { years, series, .. } => {
                        assert_eq!(series.len(), n - 2);
                        assert!(series[0].study);
                        assert!(series.iter().all(|s| s.figures.len() == years.len()));
                        assert!(years.windows(2).all(|w| w[0] < w[1]));
                    }
                    Chart::Pyramid { bands, study, .. } => {
                        assert_eq!(bands.len(), 20);
                        assert!(study.men.is_empty() || study.men.len() == 20);
                    }
                }
            }
        }
        // A PdL territory has a sentence in every panel.
        if t.pdl() == territoire::schema::PdlCoverage::Full {
            for p in &s.panels {
                assert!(!p.sentences.is_empty(), "{code} {}: no sentence", p.id);
            }
        }
    }
}

#[test]
fn nantes_matches_filosofi_2021_and_rp_2023() {
    let s = snap(NANTES);
    let f = filosofi_2021_epci();
    let (tp, med, d1, d9) = f[NANTES];
    let rate = key(&s, "pauvrete", "taux_pauvrete");
    assert_eq!((rate.year, rate.value, rate.source.as_str()), (2021, tp, "Insee, Filosofi 2021"));
    assert_eq!(rate.text, "12,8\u{a0}%");
    let m = key(&s, "revenus", "revenu_median");
    assert_eq!((m.year, m.value), (2021, med));
    assert_eq!(m.text, "24\u{a0}950\u{a0}€");
    assert_eq!(key(&s, "revenus", "d1").value, d1);
    assert_eq!(key(&s, "revenus", "d9").value, d9);

    // The pyramid: women aged 20-24 as a share of the 40 bands, summed from
    // the RP 2023 commune rows; the overlay is the Loire-Atlantique's.
    let (h, rows) = csv("census/rp2023_pdl/rp2023_pop_sexe_age5_communes_pdl.csv", ',');
    let e = col(&h, "epci2025");
    let bands: Vec<usize> =
        h.iter().enumerate().filter(|(_, c)| c.starts_with("H_") || c.starts_with("F_")).map(|(i, _)| i).collect();
    assert_eq!(bands.len(), 40);
    let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[e] == NANTES).collect();
    assert_eq!(mine.len(), 24);
    let total: f64 = mine.iter().flat_map(|r| bands.iter().map(|b| num(&r[*b]))).sum();
    let f2024: f64 = mine.iter().map(|r| num(&r[col(&h, "F_20_24")])).sum();
    let pop: f64 = mine.iter().map(|r| num(&r[col(&h, "P23_POP")])).sum();
    let ages = panel(&s, "ages");
    let Some(Chart::Pyramid { study, comparison, status, .. }) =
        ages.charts.iter().find(|c| matches!(c, Chart::Pyramid { .. }))
    else {
        panic!("no pyramid")
    };
    assert!(close(study.women[4], f2024 / total * 100.0, 1e-6), "{} vs {}", study.women[4], f2024 / total * 100.0);
    let sum: f64 = study.men.iter().chain(study.women.iter()).sum();
    assert!(close(sum, 100.0, 1e-6));
    assert_eq!(status.year, 2023);
    assert_eq!(status.status, territoire::Status::Value);
    let comparison = comparison.as_ref().expect("Loire-Atlantique overlaid");
    assert_eq!(comparison.name, "Loire-Atlantique");
    let (hd, drows) = csv("census/rp2023_pdl/rp2023_pop_sexe_age5_departements_pdl.csv", ',');
    let r44 = drows.iter().find(|r| r[0] == "44").unwrap();
    let dep_total: f64 = hd
        .iter()
        .enumerate()
        .filter(|(_, c)| c.starts_with("H_") || c.starts_with("F_"))
        .map(|(i, _)| num(&r44[i]))
        .sum();
    let h95 = num(&r44[col(&hd, "H_95P")]);
    assert!(close(comparison.men[19], h95 / dep_total * 100.0, 1e-6));
    // Population 2023 key figure: the sum of the communes.
    let p = key(&s, "population", "population");
    assert_eq!(p.year, 2023);
    assert!(close(p.value.unwrap(), pop, 0.01), "{:?} vs {pop}", p.value);
}

#[test]
fn rural_cc_population_is_the_sum_of_its_communes() {
    let s = snap(BOCAGE_MAYENNAIS);
    let t = territory(BOCAGE_MAYENNAIS);
    assert_eq!(t.departements().next().unwrap().code(), "53");
    let m = members(BOCAGE_MAYENNAIS);
    assert!(m.len() > 20);
    // RP 2018, comparateur (COG 2021): every member exists there unchanged.
    let (h, rows) = csv("census/comparateur_2022/base_cc_comparateur.csv", ';');
    let (c, p18) = (col(&h, "CODGEO"), col(&h, "P18_POP"));
    let pop18: f64 = m
        .iter()
        .map(|code| num(&rows.iter().find(|r| &r[c] == code).unwrap_or_else(|| panic!("{code} not in RP 2018"))[p18]))
        .sum();
    let table = &panel(&s, "population").table;
    // RP 2018 shows in the persons-per-household computation only when
    // 2023 is missing; read it from the pack for the row check instead.
    let pop = territoire::Pack::value(pack(), t, pack().indicator("population").unwrap(), 2018).unwrap();
    assert!(close(pop.value.unwrap(), pop18, 0.5), "{:?} vs {pop18}", pop.value);
    // The key figure is RP 2023, summed from the RP 2023 commune rows.
    let (h, rows) = csv("census/rp2023_pdl/rp2023_pop_sexe_age5_communes_pdl.csv", ',');
    let (e, p23) = (col(&h, "epci2025"), col(&h, "P23_POP"));
    let pop23: f64 = rows.iter().filter(|r| r[e] == BOCAGE_MAYENNAIS).map(|r| num(&r[p23])).sum();
    let k = key(&s, "population", "population");
    assert_eq!(k.year, 2023);
    assert!(close(k.value.unwrap(), pop23, 0.01));
    assert_eq!(table.rows[0][2], k.text);
    // FILOSOFI 2021 as published.
    let (tp, med, _, _) = filosofi_2021_epci()[BOCAGE_MAYENNAIS];
    assert_eq!(key(&s, "pauvrete", "taux_pauvrete").value, tp);
    assert_eq!(key(&s, "revenus", "revenu_median").value, med);
    // Outside-the-PdL comparisons never show up: Mayenne, PdL, France.
    let names: Vec<&str> = s.comparisons.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Mayenne", "Pays de la Loire", "France métropolitaine"]);
    let pauvrete = panel(&s, "pauvrete");
    assert!(pauvrete.sentences[0].contains("celui de la Mayenne"), "{:?}", pauvrete.sentences);
}

#[test]
fn outside_the_pdl_shows_national_figures_and_non_disponible() {
    let s = snap(FAUCIGNY);
    // National: FILOSOFI 2021 and RP 2018.
    let (tp, med, _, _) = filosofi_2021_epci()[FAUCIGNY];
    assert_eq!(key(&s, "pauvrete", "taux_pauvrete").value, tp);
    assert_eq!(key(&s, "revenus", "revenu_median").value, med);
    let (h, rows) = csv("census/comparateur_2022/base_cc_comparateur.csv", ';');
    let (c, p18) = (col(&h, "CODGEO"), col(&h, "P18_POP"));
    let pop18: f64 = members(FAUCIGNY).iter().map(|code| num(&rows.iter().find(|r| &r[c] == code).unwrap()[p18])).sum();
    let p = key(&s, "population", "population");
    assert_eq!(p.year, 2018);
    assert!(close(p.value.unwrap(), pop18, 0.5));
    // PdL-only: "non disponible", never a zero.
    for (panel_id, id) in [
        ("ages", "part_0014"),
        ("ages", "part_75p"),
        ("jeunesse", "part_1529"),
        ("emploi", "demandeurs_emploi_abc"),
        ("prestations", "foyers_allocataires"),
        ("prestations", "foyers_rsa"),
    ] {
        let f = key(&s, panel_id, id);
        assert_eq!(f.status, territoire::Status::NotAvailable, "{id}");
        assert_eq!(f.value, None);
        assert_eq!(f.text, "non disponible");
    }
    for p in &s.panels {
        for k in &p.key_figures {
            assert!(k.figure.value.is_some() || k.figure.text != "0", "{}", k.label);
        }
        for r in &p.table.rows {
            assert!(r[2..].iter().all(|c| c != "0" && c != "0,0\u{a0}%" || p.id == "population"), "{} {:?}", p.id, r);
        }
    }
    let ages = panel(&s, "ages");
    let Some(Chart::Pyramid { study, comparison, status, .. }) = ages.charts.first() else { panic!() };
    assert!(study.men.is_empty() && comparison.is_none());
    assert_eq!(status.text, "non disponible");
    let prest = panel(&s, "prestations");
    assert!(prest.key_figures.iter().all(|k| k.figure.text == "non disponible"));
    assert!(prest.sentences[0].contains("n'est pas disponible pour la Communauté de communes Faucigny-Glières"));
    assert!(prest.sentences[0].contains("Pays de la Loire"), "{:?}", prest.sentences);
    // Compared with Haute-Savoie.
    let pauvrete = panel(&s, "pauvrete");
    assert!(pauvrete.sentences.iter().any(|x| x.contains("de la Haute-Savoie")), "{:?}", pauvrete.sentences);
}

#[test]
fn redon_crossing_the_border_is_partial_where_sources_are_pdl_only() {
    let s = snap(REDON);
    let t = territory(REDON);
    assert_eq!(t.regions().next().unwrap().name(), "Bretagne");
    // Population: the complete RP 2018 rather than the partial RP 2023.
    let p = key(&s, "population", "population");
    assert_eq!((p.year, p.status), (2018, territoire::Status::Value));
    // CAF (PdL communes only): partial, marked so.
    let caf = key(&s, "prestations", "foyers_allocataires");
    assert_eq!(caf.status, territoire::Status::Partial);
    assert!(caf.text.ends_with("(partiel)"));
    let Some(Chart::Pyramid { status, .. }) = panel(&s, "ages").charts.first() else { panic!() };
    assert_eq!(status.status, territoire::Status::Partial);
    // FILOSOFI 2021 published for the whole EPCI.
    let (tp, _, _, _) = filosofi_2021_epci()[REDON];
    let rate = key(&s, "pauvrete", "taux_pauvrete");
    assert_eq!((rate.value, rate.status), (tp, territoire::Status::Value));
    // Partial figures never enter a comparison sentence or a note.
    for p in &s.panels {
        for k in &p.key_figures {
            if k.figure.status == territoire::Status::Partial {
                assert!(k.note.is_empty(), "{}: {}", k.label, k.note);
            }
        }
    }
}

/// The rank recomputed from the FILOSOFI 2021 file: EPCI whose majority
/// région (from the pack's territories) is the study's, with a published
/// rate; values at 5 or below are bottom-coded and tie at the bottom.
fn expected_rank(code: &str) -> (usize, usize, bool) {
    let f = filosofi_2021_epci();
    let study = territory(code);
    let region = study.regions().next().unwrap();
    let mut values = Vec::new();
    for (c, (tp, ..)) in &f {
        let Ok(t) = pack().territory_by_code(&format!("epci:{c}"), None) else { continue };
        if t.regions().next() != Some(region) {
            continue;
        }
        if let Some(v) = tp {
            values.push((c.clone(), if *v <= 5.0 { f64::NEG_INFINITY } else { *v }));
        }
    }
    let own = values.iter().find(|(c, _)| c == code).unwrap().1;
    let above = values.iter().filter(|(_, v)| *v > own).count();
    let tie = values.iter().filter(|(_, v)| *v == own).count() > 1;
    (above + 1, values.len(), tie)
}

#[test]
fn rank_matches_the_regions_epci() {
    for code in [NANTES, BOCAGE_MAYENNAIS, REDON, FAUCIGNY] {
        let s = snap(code);
        let (rank, n, tie) = expected_rank(code);
        let k = key(&s, "pauvrete", "rang_taux_pauvrete");
        assert_eq!(k.value, Some(rank as f64), "{code}");
        assert_eq!(k.denominator, Some(n as f64));
        let text = format!(
            "{}{} sur {n}",
            if rank == 1 { "1er".into() } else { format!("{rank}e") },
            if tie { " ex æquo" } else { "" }
        );
        assert_eq!(k.text, text);
        let region = territory(code).regions().next().unwrap();
        let sentence = panel(&s, "pauvrete").sentences.iter().find(|x| x.contains("se classe")).unwrap().clone();
        assert!(sentence.contains(&format!("sur les {n} EPCI")), "{sentence}");
        assert!(sentence.contains(region.name()), "{sentence}");
    }
    // Nantes: 69 EPCI of the PdL.
    assert_eq!(expected_rank(NANTES).1, 69);
}

#[test]
fn sentences_name_the_right_comparison_and_difference() {
    let s = snap(NANTES);
    // Loire-Atlantique's 2021 rate, from the PdL département file.
    let (h, rows) = csv("filosofi/dep_2021_pdl/FILO2021_DISP_PAUVRES_DEP__PdL_extract.csv", ';');
    let la = num(&rows.iter().find(|r| r[0] == "44").unwrap()[col(&h, "TP6021")]);
    let nm = filosofi_2021_epci()[NANTES].0.unwrap();
    let d = territoire::format::number(((nm - la) * 10.0).round() / 10.0, 1);
    let expected = format!(
        "En 2021, le taux de pauvreté ({}\u{a0}%) dépasse de {d}\u{a0}points celui de la Loire-Atlantique ({}\u{a0}%).",
        territoire::format::number(nm, 1),
        territoire::format::number(la, 1)
    );
    assert_eq!(panel(&s, "pauvrete").sentences[0], expected);
    assert_eq!(
        panel(&s, "pauvrete").key_figures[0].note,
        format!("+{d}\u{a0}points par rapport à la Loire-Atlantique")
    );
    // The median: the département's latest is 2019, and the sentence says so.
    let rev = &panel(&s, "revenus").sentences[0];
    assert!(rev.contains("en 2021") && rev.contains("de la Loire-Atlantique") && rev.contains("en 2019"), "{rev}");
    // Compared with the Maine-et-Loire for an Angers study: "du".
    let angers = territory("244900015");
    let s = snapshot::build(pack(), angers, &angers.default_comparisons()).unwrap();
    assert!(
        panel(&s, "pauvrete").sentences[0].contains("celui du Maine-et-Loire"),
        "{:?}",
        panel(&s, "pauvrete").sentences
    );
    // A département compares with its région: "des Pays de la Loire".
    let s = snap("44");
    assert!(
        panel(&s, "logement").sentences.iter().any(|x| x.contains("celle des Pays de la Loire")),
        "{:?}",
        panel(&s, "logement").sentences
    );
    // With the user's order: the first comparison of a higher level wins
    // over an EPCI listed first.
    let nm = territory(NANTES);
    let others = [territory("244900015"), pack().territory_by_code("reg:52", None).unwrap()];
    let s = snapshot::build(pack(), nm, &others).unwrap();
    assert!(
        panel(&s, "logement").sentences[0].contains("des Pays de la Loire"),
        "{:?}",
        panel(&s, "logement").sentences
    );
}

#[test]
fn departement_44_matches_its_sources() {
    let s = snap("44");
    let (h, rows) = csv("filosofi/dep_2021_pdl/FILO2021_DISP_PAUVRES_DEP__PdL_extract.csv", ';');
    let la = num(&rows.iter().find(|r| r[0] == "44").unwrap()[col(&h, "TP6021")]);
    let rate = key(&s, "pauvrete", "taux_pauvrete");
    assert_eq!((rate.year, rate.value), (2021, Some(la)));
    // Ranked among the départements of the PdL that have a 2021 rate.
    let rank = key(&s, "pauvrete", "rang_taux_pauvrete");
    let values: Vec<f64> = rows.iter().map(|r| num(&r[col(&h, "TP6021")])).collect();
    let above = values.iter().filter(|v| **v > la).count();
    assert_eq!(rank.value, Some(above as f64 + 1.0));
    assert_eq!(rank.denominator, Some(values.len() as f64));
    // The pyramid from the département row.
    let (hd, drows) = csv("census/rp2023_pdl/rp2023_pop_sexe_age5_departements_pdl.csv", ',');
    let r44 = drows.iter().find(|r| r[0] == "44").unwrap();
    let total: f64 = hd
        .iter()
        .enumerate()
        .filter(|(_, c)| c.starts_with("H_") || c.starts_with("F_"))
        .map(|(i, _)| num(&r44[i]))
        .sum();
    let Some(Chart::Pyramid { study, comparison, .. }) = panel(&s, "ages").charts.first() else { panic!() };
    assert!(close(study.men[0], num(&r44[col(&hd, "H_00_04")]) / total * 100.0, 1e-6));
    assert_eq!(comparison.as_ref().unwrap().name, "Pays de la Loire");
}

#[test]
fn statuses_stay_distinct_in_tables() {
    // Nantes: "≤ 5 %" (owners' poverty), "≈" (RP 2022), plain values.
    let s = snap(NANTES);
    let cells: Vec<&String> = s.panels.iter().flat_map(|p| p.table.rows.iter().flat_map(|r| r[2..].iter())).collect();
    assert!(cells.iter().any(|c| c.starts_with("≤\u{a0}5")));
    assert!(cells.iter().any(|c| c.starts_with("≈\u{a0}")));
    assert!(cells.iter().any(|c| c.as_str() == "non disponible"));
    // Persons per household: same census year, unit ratio, computed.
    let pph = key(&s, "menages", "personnes_par_menage");
    assert_eq!(pph.year, 2023);
    let (n, d) = (pph.numerator.unwrap(), pph.denominator.unwrap());
    assert!(close(pph.value.unwrap(), n / d, 1e-9));
    assert!(pph.label.contains("même recensement"));
    // CAF coverage: 2024 persons over the 2023 population, an approximation.
    let cov = key(&s, "prestations", "part_population_couverte_caf");
    assert_eq!(cov.status, territoire::Status::Approximate);
    assert!(cov.label.contains("population 2023"), "{}", cov.label);
}

#[test]
fn builds_fast() {
    let t = territory(NANTES);
    let comps = [
        territory("44"),
        pack().territory_by_code("reg:52", None).unwrap(),
        territory("FRM"),
        territory("244900015"),
        territory(REDON),
    ];
    snapshot::build(pack(), t, &comps).unwrap();
    let n = 20;
    let start = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(snapshot::build(pack(), t, &comps).unwrap());
    }
    let per = start.elapsed() / n;
    eprintln!("snapshot with 6 territories: {per:?}");
    // Well under 5 ms in release; generous here for loaded CI machines and
    // debug builds.
    assert!(per.as_millis() < 50, "{per:?}");
}
