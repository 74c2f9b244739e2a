//! Indicator series from the raw sources, under the aggregation rules of the
//! data README:
//! - counts sum from communes (mapped to COG 2025) to EPCI, département,
//!   région and France métropolitaine;
//! - rates are Σ numerator / Σ denominator, computed after summing, and keep
//!   both;
//! - medians, deciles, D9/D1, Gini and FILOSOFI poverty rates are only taken
//!   from published rows, never recomputed;
//! - a source covering PdL communes only gives a *partial* value for an EPCI
//!   crossing the région's border, or for a territory some of whose
//!   communes the file lacks.
//!
//! Secret (`s`, or empty cells in FILOSOFI, where INSEE leaves secret cells
//! blank), not available (no row), bottom-coded (poverty rates at 5 %) and
//! approximate (RP 2022 IRIS rebuild) stay distinct statuses.
//!
//! When two files give the same indicator, year and territory, the first
//! loaded wins: published rows are loaded before sums.

use std::collections::{BTreeMap, HashMap, HashSet};

use territoire::schema::{Indicator, PdlCoverage, Series, Source, Status, TerritoryKind, MAX_SCALE, MISSING_VALUE};

use crate::catalogue::{self, AGE_BANDS};
use crate::error::{BuildError, Result};
use crate::sources::{Cell, Sources, Table};
use crate::territories::{Territories, FRA, FRM};

#[derive(Debug, Clone, Copy)]
struct Entry {
    value: f64,
    status: Status,
    num: Option<f64>,
    den: Option<f64>,
}

#[derive(Default)]
struct Acc {
    source: u32,
    rows: BTreeMap<u32, Entry>,
}

/// Which sums a commune file feeds.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    /// All communes of France: every level up to France métropolitaine.
    National,
    /// PdL communes only: communes, EPCI (partial where they cross the
    /// border), PdL départements and the région; never France.
    Pdl,
}

/// Per-territory sums of a commune file's columns.
struct Sums {
    cols: Vec<String>,
    scope: Scope,
    approximate: bool,
    per: HashMap<u32, SumAcc>,
}

#[derive(Default, Clone)]
struct SumAcc {
    values: Vec<f64>,
    /// Cells that were secret or missing, per column.
    gaps: Vec<u32>,
    /// Of those, the secret ones.
    secret: Vec<u32>,
    /// Cells seen per column.
    seen: Vec<u32>,
    communes: HashSet<String>,
}

pub struct Indicators<'a> {
    src: &'a Sources,
    terr: &'a Territories,
    catalogue: Vec<Indicator>,
    ids: HashMap<String, u32>,
    pub sources: Vec<Source>,
    source_ids: HashMap<String, u32>,
    series: BTreeMap<(u32, u16), Acc>,
    /// Notes for the build log (unmapped communes...).
    pub log: Vec<String>,
    /// COG 2025 communes that absorbed another commune on 1 January 2025:
    /// their published COG 2024 rows describe a smaller perimeter.
    merged_2025: HashSet<String>,
}

fn yy(year: u16) -> String {
    format!("{:02}", year % 100)
}

impl<'a> Indicators<'a> {
    pub fn new(src: &'a Sources, terr: &'a Territories, merged_2025: HashSet<String>) -> Self {
        let catalogue = catalogue::build();
        let ids = catalogue.iter().enumerate().map(|(i, c)| (c.id.clone(), i as u32)).collect();
        Indicators {
            src,
            terr,
            catalogue,
            ids,
            sources: Vec::new(),
            source_ids: HashMap::new(),
            series: BTreeMap::new(),
            log: Vec::new(),
            merged_2025,
        }
    }

    /// Registers (or finds) a bibliographic source and the file it is read
    /// from.
    #[allow(clippy::too_many_arguments)] // (indicator, year, source) triples read best flat at the call sites
    fn source(
        &mut self,
        id: &str,
        label: &str,
        producer: &str,
        vintage: &str,
        geography: &str,
        note: &str,
        file: &str,
    ) -> u32 {
        let i = *self.source_ids.entry(id.to_string()).or_insert_with(|| {
            self.sources.push(Source {
                id: id.into(),
                label: label.into(),
                producer: producer.into(),
                vintage: vintage.into(),
                geography: geography.into(),
                files: Vec::new(),
                note: note.into(),
            });
            (self.sources.len() - 1) as u32
        });
        let files = &mut self.sources[i as usize].files;
        if !files.iter().any(|f| f == file) {
            files.push(file.to_string());
        }
        i
    }

    fn filosofi_source(&mut self, year: u16, file: &str, geography: &str) -> u32 {
        let note = if year == 2023 {
            "Changement de méthode : non comparable aux millésimes antérieurs."
        } else {
            "Revenus de l'année ; périmètres des EPCI de la géographie indiquée."
        };
        self.source(
            &format!("filosofi-{year}"),
            &format!("Insee, Filosofi {year}"),
            "Insee",
            &year.to_string(),
            geography,
            note,
            file,
        )
    }

    fn set(&mut self, indicator: &str, year: u16, source: u32, territory: u32, e: Entry) {
        let ind =
            *self.ids.get(indicator).unwrap_or_else(|| panic!("indicator `{indicator}` missing from the catalogue"));
        let acc = self.series.entry((ind, year)).or_insert_with(|| Acc { source, rows: BTreeMap::new() });
        acc.rows.entry(territory).or_insert(e);
    }

    fn bottom_coded(indicator: &str) -> bool {
        indicator.starts_with("taux_pauvrete") || indicator == "filosofi2023_taux_pauvrete"
    }

    /// A published cell. `empty_is_secret`: FILOSOFI leaves secret cells
    /// empty.
    #[allow(clippy::too_many_arguments)] // (indicator, year, source) triples read best flat at the call sites
    fn set_cell(
        &mut self,
        indicator: &str,
        year: u16,
        source: u32,
        territory: u32,
        cell: Cell,
        empty_is_secret: bool,
        scale: f64,
    ) {
        let e = match cell {
            Cell::Number(v) if Self::bottom_coded(indicator) && v <= 5.0 => {
                Entry { value: 5.0, status: Status::BottomCoded, num: None, den: None }
            }
            Cell::Number(v) => Entry { value: v * scale, status: Status::Value, num: None, den: None },
            Cell::Secret => Entry { value: f64::NAN, status: Status::Secret, num: None, den: None },
            Cell::Missing if empty_is_secret => Entry { value: f64::NAN, status: Status::Secret, num: None, den: None },
            Cell::Missing => Entry { value: f64::NAN, status: Status::NotAvailable, num: None, den: None },
        };
        self.set(indicator, year, source, territory, e);
    }

    /// A published commune row belongs to a pack commune only when the
    /// commune's perimeter did not change in 2025.
    fn published_commune(&self, code: &str) -> Option<u32> {
        if self.merged_2025.contains(code) {
            return None;
        }
        self.terr.idx(TerritoryKind::Commune, code)
    }

    /// Resolves a code of a published file at a level.
    fn resolve(&self, kind: TerritoryKind, code: &str) -> Option<u32> {
        match kind {
            TerritoryKind::Commune => self.published_commune(code),
            TerritoryKind::Country => match code {
                "1" | "METRO" | "FRM" | "FRANCE_METROPOLITAINE" => self.terr.idx(TerritoryKind::Country, FRM),
                "FRANCE" => self.terr.idx(TerritoryKind::Country, FRA),
                _ => None,
            },
            k => self.terr.idx(k, code),
        }
    }

    /// Loads published columns of a file: `columns` is (column, indicator,
    /// scale). Unknown codes (old EPCI perimeters, COM) are skipped and
    /// counted in the log.
    #[allow(clippy::too_many_arguments)]
    fn published(
        &mut self,
        t: &Table,
        code_col: &str,
        kind: TerritoryKind,
        year: u16,
        source: u32,
        columns: &[(&str, &str, f64)],
        empty_is_secret: bool,
    ) -> Result<()> {
        let code = t.col(code_col)?;
        let cols: Vec<(usize, &str, f64)> = columns
            .iter()
            .filter(|(c, _, _)| t.has_col(c))
            .map(|(c, i, s)| Ok((t.col(c)?, *i, *s)))
            .collect::<Result<_>>()?;
        if cols.is_empty() {
            return Err(BuildError::at(&t.file, 1, format!("none of the expected columns ({})", columns[0].0)));
        }
        let mut skipped = 0;
        for row in &t.rows {
            let Some(terr) = self.resolve(kind, t.text(row, code)) else {
                skipped += 1;
                continue;
            };
            for (c, ind, scale) in &cols {
                let cell = t.cell(row, *c)?;
                self.set_cell(ind, year, source, terr, cell, empty_is_secret, *scale);
            }
        }
        if skipped > 0 {
            self.log.push(format!("{}: {skipped} rows of codes absent from the 2025 territories skipped", t.file));
        }
        Ok(())
    }

    /// Sums commune rows. `filter`: keep only rows whose column equals a
    /// value (the year of a long file). Secret or missing cells are counted
    /// as gaps: a sum with gaps is partial.
    fn sum(
        &mut self,
        t: &Table,
        code_col: &str,
        cols: &[&str],
        scope: Scope,
        approximate: bool,
        filter: Option<(&str, &str)>,
    ) -> Result<Sums> {
        let code = t.col(code_col)?;
        let idx: Vec<usize> = cols.iter().map(|c| t.col(c)).collect::<Result<_>>()?;
        let filter = match filter {
            Some((c, v)) => Some((t.col(c)?, v)),
            None => None,
        };
        let mut per: HashMap<u32, SumAcc> = HashMap::new();
        let (mut unmapped, mut unmapped_rows) = (0usize, Vec::new());
        let frm = self.terr.idx(TerritoryKind::Country, FRM);
        for row in &t.rows {
            if let Some((c, v)) = filter {
                if t.text(row, c) != v {
                    continue;
                }
            }
            let raw = t.text(row, code);
            if self.terr.arrondissements.contains(raw) {
                continue;
            }
            let Some(commune) = self.terr.commune(raw) else {
                unmapped += 1;
                if unmapped_rows.len() < 5 {
                    unmapped_rows.push(format!("{raw} (line {})", row.line));
                }
                continue;
            };
            let cells: Vec<Cell> = idx.iter().map(|c| t.cell(row, *c)).collect::<Result<_>>()?;
            for target in self.terr.targets(commune) {
                if scope == Scope::Pdl && Some(target) == frm {
                    continue;
                }
                let acc = per.entry(target).or_insert_with(|| SumAcc {
                    values: vec![0.0; cols.len()],
                    gaps: vec![0; cols.len()],
                    secret: vec![0; cols.len()],
                    seen: vec![0; cols.len()],
                    communes: HashSet::new(),
                });
                acc.communes.insert(commune.code.clone());
                for (i, cell) in cells.iter().enumerate() {
                    acc.seen[i] += 1;
                    match cell {
                        Cell::Number(v) => acc.values[i] += v,
                        Cell::Secret => {
                            acc.gaps[i] += 1;
                            acc.secret[i] += 1;
                        }
                        Cell::Missing => acc.gaps[i] += 1,
                    }
                }
            }
        }
        if unmapped > 0 {
            self.log.push(format!(
                "{}: {unmapped} commune rows with no COG 2025 commune (e.g. {}) left out of the sums",
                t.file,
                unmapped_rows.join(", ")
            ));
        }
        Ok(Sums { cols: cols.iter().map(|c| c.to_string()).collect(), scope, approximate, per })
    }

    /// The status of a sum over some columns for one territory.
    fn sum_status(&self, sums: &Sums, terr: u32, acc: &SumAcc, cols: &[usize]) -> Status {
        if cols.iter().all(|c| acc.gaps[*c] == acc.seen[*c]) {
            // Nothing to add up: secret if any cell was, else not published
            // (Mayotte in RP 2018).
            return if cols.iter().any(|c| acc.secret[*c] > 0) { Status::Secret } else { Status::NotAvailable };
        }
        let gaps = cols.iter().any(|c| acc.gaps[*c] > 0);
        let partial = gaps
            || (sums.scope == Scope::Pdl
                && (self.terr.pdl(terr) == PdlCoverage::Partial
                    || acc.communes.len() < self.terr.pdl_communes_under.get(&terr).copied().unwrap_or(0)));
        if partial {
            Status::Partial
        } else if sums.approximate {
            Status::Approximate
        } else {
            Status::Value
        }
    }

    fn col_of(sums: &Sums, name: &str) -> usize {
        sums.cols.iter().position(|c| c == name).unwrap_or_else(|| panic!("column `{name}` was not summed"))
    }

    /// Emits a summed count.
    fn emit_count(&mut self, sums: &Sums, col: &str, indicator: &str, year: u16, source: u32) {
        let c = Self::col_of(sums, col);
        let mut entries: Vec<(u32, Entry)> = Vec::new();
        for (terr, acc) in &sums.per {
            let status = self.sum_status(sums, *terr, acc, &[c]);
            let value = if status.has_value() { acc.values[c] } else { f64::NAN };
            entries.push((*terr, Entry { value, status, num: None, den: None }));
        }
        for (terr, e) in entries {
            self.set(indicator, year, source, terr, e);
        }
    }

    /// Emits a rate Σnum/Σden × 100 (or × `scale`), keeping both sums.
    #[allow(clippy::too_many_arguments)] // (indicator, year, source) triples read best flat at the call sites
    fn emit_rate(&mut self, sums: &Sums, num: &[&str], den: &str, indicator: &str, year: u16, source: u32, scale: f64) {
        let nc: Vec<usize> = num.iter().map(|n| Self::col_of(sums, n)).collect();
        let dc = Self::col_of(sums, den);
        let mut entries = Vec::new();
        for (terr, acc) in &sums.per {
            let mut cols = nc.clone();
            cols.push(dc);
            let status = self.sum_status(sums, *terr, acc, &cols);
            let n: f64 = nc.iter().map(|c| acc.values[*c]).sum();
            let d = acc.values[dc];
            let e = if !status.has_value() {
                Entry { value: f64::NAN, status, num: None, den: None }
            } else if d <= 0.0 {
                Entry { value: f64::NAN, status: Status::NotAvailable, num: Some(n), den: Some(d) }
            } else {
                Entry { value: n / d * scale, status, num: Some(n), den: Some(d) }
            };
            entries.push((*terr, e));
        }
        for (terr, e) in entries {
            self.set(indicator, year, source, terr, e);
        }
    }

    // ---------------------------------------------------------------------
    // Loaders
    // ---------------------------------------------------------------------

    pub fn load_all(&mut self) -> Result<()> {
        self.filosofi_2021()?;
        self.filosofi_cc()?;
        self.filosofi_disp()?;
        self.filosofi_2023()?;
        self.census_2018()?;
        self.rp2023()?;
        self.rp_history()?;
        self.rp2022_approx()?;
        self.caf_defm_urssaf()?;
        self.density_grid()?;
        self.neet()?;
        Ok(())
    }

    /// FILOSOFI 2021: EPCI (geo 2025), PdL départements (poverty detail) and
    /// communes (geo 2024, pack communes only).
    fn filosofi_2021(&mut self) -> Result<()> {
        let f = "filosofi/epci_2021/filosofi_2021_epci.csv";
        let t = self.src.table(f)?;
        let s = self.filosofi_source(2021, f, "EPCI au 1er janvier 2025");
        let cols: &[(&str, &str, f64)] = &[
            ("taux_pauvrete", "taux_pauvrete", 1.0),
            ("revenu_median", "revenu_median", 1.0),
            ("decile1", "d1", 1.0),
            ("decile9", "d9", 1.0),
            ("rapport_interdecile", "rapport_interdecile", 1.0),
            ("part_imposes", "part_menages_imposes", 1.0),
            ("nb_menages", "menages_fiscaux", 1.0),
            ("nb_personnes", "personnes_menages_fiscaux", 1.0),
            ("part_rev_activite", "part_revenus_activite", 1.0),
            ("part_salaires", "part_salaires", 1.0),
            ("part_chomage", "part_indemnites_chomage", 1.0),
            ("part_non_salaries", "part_revenus_non_salaries", 1.0),
            ("part_retraites", "part_pensions", 1.0),
            ("part_patrimoine", "part_revenus_patrimoine", 1.0),
            ("part_presta_sociales", "part_prestations_sociales", 1.0),
            ("part_presta_familiales", "part_prestations_familiales", 1.0),
            ("part_presta_logement", "part_prestations_logement", 1.0),
            ("part_minima_sociaux", "part_minima_sociaux", 1.0),
            ("part_impots", "part_impots", 1.0),
        ];
        for (c, _, _) in cols {
            t.col(c)?;
        }
        self.published(&t, "codgeo", TerritoryKind::Epci, 2021, s, cols, true)?;
        self.poor_people(&t, "codgeo", TerritoryKind::Epci, "taux_pauvrete", "nb_personnes", 2021, s)?;

        let f = "filosofi/dep_2021_pdl/FILO2021_DISP_PAUVRES_DEP__PdL_extract.csv";
        let t = self.src.table(f)?;
        let s = self.filosofi_source(2021, f, "EPCI au 1er janvier 2025");
        let mut cols: Vec<(String, &str, f64)> = vec![
            ("TP6021".into(), "taux_pauvrete", 1.0),
            ("TP4021".into(), "taux_pauvrete_40", 1.0),
            ("TP5021".into(), "taux_pauvrete_50", 1.0),
            ("TP60IP21".into(), "intensite_pauvrete", 100.0),
            ("TP60Q221".into(), "niveau_vie_median_pauvres", 1.0),
            ("TOL1TP6021".into(), "taux_pauvrete_proprietaires", 1.0),
            ("TOL2TP6021".into(), "taux_pauvrete_locataires", 1.0),
        ];
        for (k, ind) in AGE_POVERTY.iter().enumerate() {
            cols.push((format!("AGE{}TP6021", k + 1), ind, 1.0));
        }
        let cols: Vec<(&str, &str, f64)> = cols.iter().map(|(a, b, c)| (a.as_str(), *b, *c)).collect();
        for (c, _, _) in &cols {
            t.col(c)?;
        }
        self.published(&t, "CODGEO", TerritoryKind::Departement, 2021, s, &cols, true)?;

        let f = "filosofi/communes_2021/cc_filosofi_2021_COM.csv";
        let t = self.src.table(f)?;
        let s = self.filosofi_source(2021, f, "EPCI au 1er janvier 2025");
        let cols = cc_columns(2021);
        let cols: Vec<(&str, &str, f64)> = cols.iter().map(|(a, b)| (a.as_str(), *b, 1.0)).collect();
        self.published(&t, "CODGEO", TerritoryKind::Commune, 2021, s, &cols, true)?;
        self.poor_people(&t, "CODGEO", TerritoryKind::Commune, "TP6021", "NBPERSMENFISC21", 2021, s)?;
        Ok(())
    }

    /// Number of poor people = published rate × published persons; an upper
    /// bound when the rate is bottom-coded.
    #[allow(clippy::too_many_arguments)]
    fn poor_people(
        &mut self,
        t: &Table,
        code_col: &str,
        kind: TerritoryKind,
        rate: &str,
        persons: &str,
        year: u16,
        source: u32,
    ) -> Result<()> {
        let (c, r, p) = (t.col(code_col)?, t.col(rate)?, t.col(persons)?);
        for row in &t.rows {
            let Some(terr) = self.resolve(kind, t.text(row, c)) else { continue };
            let e = match (t.cell(row, r)?, t.cell(row, p)?) {
                (Cell::Number(rate), Cell::Number(pers)) => Entry {
                    value: (rate.max(5.0) * pers / 100.0).round(),
                    status: if rate <= 5.0 { Status::BottomCoded } else { Status::Value },
                    num: None,
                    den: None,
                },
                (Cell::Number(_), _) | (_, Cell::Number(_)) | (Cell::Secret, _) | (_, Cell::Secret) => {
                    Entry { value: f64::NAN, status: Status::Secret, num: None, den: None }
                }
                _ => Entry { value: f64::NAN, status: Status::Secret, num: None, den: None },
            };
            self.set("personnes_pauvres", year, source, terr, e);
        }
        Ok(())
    }

    /// FILOSOFI "cc" files: poverty rates (overall, by age, by tenure) and
    /// the share of taxed households; medians and deciles come from the DISP
    /// files loaded next.
    fn filosofi_cc(&mut self) -> Result<()> {
        let files: &[(u16, &str, TerritoryKind, &str)] = &[
            (2019, "filosofi/cc_2019/cc_filosofi_2019_EPCI.csv", TerritoryKind::Epci, "EPCI au 1er janvier 2021"),
            (2019, "filosofi/cc_2019/cc_filosofi_2019_DEP.csv", TerritoryKind::Departement, "géographie 2021"),
            (2019, "filosofi/cc_2019/cc_filosofi_2019_REG.csv", TerritoryKind::Region, "géographie 2021"),
            (2019, "filosofi/cc_2019/cc_filosofi_2019_METRO.csv", TerritoryKind::Country, "géographie 2021"),
            (2018, "filosofi/cc_2018/cc_filosofi_2018_DEP-geo2021.CSV", TerritoryKind::Departement, "géographie 2021"),
            (2018, "filosofi/cc_2018/cc_filosofi_2018_REG-geo2021.CSV", TerritoryKind::Region, "géographie 2021"),
            (2018, "filosofi/cc_2018/cc_filosofi_2018_METRO-geo2021.CSV", TerritoryKind::Country, "géographie 2021"),
            (2016, "filosofi/cc_2016/cc_filosofi_2016_EPCI.csv", TerritoryKind::Epci, "EPCI au 1er janvier 2019"),
            (2016, "filosofi/cc_2016/cc_filosofi_2016_DEP.csv", TerritoryKind::Departement, "géographie 2019"),
            (2016, "filosofi/cc_2016/cc_filosofi_2016_REG.csv", TerritoryKind::Region, "géographie 2019"),
            (2016, "filosofi/cc_2016/cc_filosofi_2016_METRO.csv", TerritoryKind::Country, "géographie 2019"),
            (2015, "filosofi/cc_2015/cc_filosofi_2015_EPCI.csv", TerritoryKind::Epci, "EPCI au 1er janvier 2016"),
        ];
        for (year, f, kind, geo) in files {
            let t = self.src.table(f)?;
            let s = self.filosofi_source(*year, f, geo);
            let y = yy(*year);
            let mut cols: Vec<(String, &str, f64)> = vec![
                (format!("TP60{y}"), "taux_pauvrete", 1.0),
                (format!("PIMP{y}"), "part_menages_imposes", 1.0),
                (format!("TP60TOL1{y}"), "taux_pauvrete_proprietaires", 1.0),
                (format!("TP60TOL2{y}"), "taux_pauvrete_locataires", 1.0),
            ];
            for (k, ind) in AGE_POVERTY.iter().enumerate() {
                cols.push((format!("TP60AGE{}{y}", k + 1), ind, 1.0));
            }
            t.col(&cols[0].0)?;
            let cols: Vec<(&str, &str, f64)> = cols.iter().map(|(a, b, c)| (a.as_str(), *b, *c)).collect();
            self.published(&t, "CODGEO", *kind, *year, s, &cols, true)?;
            self.poor_people(&t, "CODGEO", *kind, &format!("TP60{y}"), &format!("NBPERSMENFISC{y}"), *year, s)?;
        }
        Ok(())
    }

    /// FILOSOFI DISP 2014-2019: medians, deciles, Gini, income composition
    /// for EPCI, départements, régions and France métropolitaine.
    fn filosofi_disp(&mut self) -> Result<()> {
        for year in 2014u16..=2019 {
            let y = yy(year);
            for (level, kind) in [
                ("EPCI", TerritoryKind::Epci),
                ("DEP", TerritoryKind::Departement),
                ("REG", TerritoryKind::Region),
                ("METROPOLE", TerritoryKind::Country),
            ] {
                let f = format!("filosofi/disp_2014_2019/FILO{year}_DISP_{level}.csv");
                let t = self.src.table(&f)?;
                let geo = format!("géographie au 1er janvier {}", year + 2);
                let s = self.filosofi_source(year, &f, &geo);
                let cols: Vec<(String, &str)> = vec![
                    (format!("Q2{y}"), "revenu_median"),
                    (format!("D1{y}"), "d1"),
                    (format!("D9{y}"), "d9"),
                    ("RD".into(), "rapport_interdecile"),
                    (format!("S80S20{y}"), "s80s20"),
                    (format!("GI{y}"), "gini"),
                    (format!("NBMEN{y}"), "menages_fiscaux"),
                    (format!("NBPERS{y}"), "personnes_menages_fiscaux"),
                    (format!("PACT{y}"), "part_revenus_activite"),
                    (format!("PTSA{y}"), "part_salaires"),
                    (format!("PCHO{y}"), "part_indemnites_chomage"),
                    (format!("PBEN{y}"), "part_revenus_non_salaries"),
                    (format!("PPEN{y}"), "part_pensions"),
                    (format!("PPAT{y}"), "part_revenus_patrimoine"),
                    (format!("PPSOC{y}"), "part_prestations_sociales"),
                    (format!("PPFAM{y}"), "part_prestations_familiales"),
                    (format!("PPMINI{y}"), "part_minima_sociaux"),
                    (format!("PPLOGT{y}"), "part_prestations_logement"),
                    (format!("PIMPOT{y}"), "part_impots"),
                ];
                t.col(&cols[0].0)?;
                let cols: Vec<(&str, &str, f64)> = cols.iter().map(|(a, b)| (a.as_str(), *b, 1.0)).collect();
                self.published(&t, "CODGEO", kind, year, s, &cols, true)?;
            }
        }
        Ok(())
    }

    /// FILOSOFI 2023 (new method): PdL communes with a status column,
    /// départements and France métropolitaine.
    fn filosofi_2023(&mut self) -> Result<()> {
        let f = "filosofi/communes_2023_pdl/filosofi2023_communes_pdl.csv";
        let t = self.src.table(f)?;
        let s = self.filosofi_source(2023, f, "COG 2025");
        let (code, med, tp, smed, stp) = (
            t.col("codgeo")?,
            t.col("med_niveau_vie_2023_eur")?,
            t.col("taux_pauvrete60_2023_pct")?,
            t.col("statut_med_2023")?,
            t.col("statut_tp60_2023")?,
        );
        for row in &t.rows {
            let Some(terr) = self.terr.idx(TerritoryKind::Commune, t.text(row, code)) else {
                return Err(BuildError::at(
                    f,
                    row.line,
                    format!("`{}` is not a PdL commune of COG 2025", t.text(row, code)),
                ));
            };
            for (vc, sc, ind) in [(med, smed, "filosofi2023_revenu_median"), (tp, stp, "filosofi2023_taux_pauvrete")] {
                let cell = match t.text(row, sc) {
                    "diffuse" => t.cell(row, vc)?,
                    "secret" => Cell::Secret,
                    "absent" | "absent_source" => Cell::Missing,
                    other => {
                        return Err(BuildError::at(
                            f,
                            row.line,
                            format!("unknown status `{other}` (diffuse, secret, absent, absent_source)"),
                        ))
                    }
                };
                if matches!(cell, Cell::Missing) && t.text(row, sc) == "diffuse" {
                    return Err(BuildError::at(f, row.line, "status `diffuse` with an empty value"));
                }
                self.set_cell(ind, 2023, s, terr, cell, false, 1.0);
            }
        }
        let f = "filosofi/communes_2023_pdl/filosofi2023_departements_metropole.csv";
        let t = self.src.table(f)?;
        let s = self.filosofi_source(2023, f, "COG 2025");
        let code = t.col("territoire")?;
        let cols = [
            (t.col("med_niveau_vie_2023_eur")?, "filosofi2023_revenu_median"),
            (t.col("taux_pauvrete60_2023_pct")?, "filosofi2023_taux_pauvrete"),
        ];
        for row in &t.rows {
            let c = t.text(row, code);
            let terr = self
                .resolve(TerritoryKind::Departement, c)
                .or_else(|| self.resolve(TerritoryKind::Country, c))
                .ok_or_else(|| BuildError::at(f, row.line, format!("unknown territory `{c}`")))?;
            for (col, ind) in cols {
                let cell = t.cell(row, col)?;
                self.set_cell(ind, 2023, s, terr, cell, false, 1.0);
            }
        }
        Ok(())
    }

    /// RP 2018 (comparateur de territoires, COG 2021): counts summed to every
    /// level, rates recomputed from the sums.
    fn census_2018(&mut self) -> Result<()> {
        let f = "census/comparateur_2022/base_cc_comparateur.csv";
        let t = self.src.table(f)?;
        let rp18 = self.source(
            "rp-2018",
            "Insee, RP 2018",
            "Insee",
            "2018",
            "COG 2021 regroupé en COG 2025",
            "Recensement de la population 2018, exploitation principale.",
            f,
        );
        let rp13 = self.source(
            "rp-2013",
            "Insee, RP 2013",
            "Insee",
            "2013",
            "COG 2021 regroupé en COG 2025",
            "Recensement de la population 2013.",
            f,
        );
        let ec = self.source(
            "etat-civil-2013-2018",
            "Insee, état civil 2013-2018",
            "Insee",
            "2013-2018",
            "COG 2021 regroupé en COG 2025",
            "Naissances et décès domiciliés.",
            f,
        );
        let cols = [
            "P18_POP",
            "P13_POP",
            "SUPERF",
            "NAIS1318",
            "DECE1318",
            "P18_MEN",
            "P18_LOG",
            "P18_RP",
            "P18_RSECOCC",
            "P18_LOGVAC",
            "P18_RP_PROP",
            "P18_POP1564",
            "P18_CHOM1564",
            "P18_ACT1564",
            "P18_EMPLT",
        ];
        let sums = self.sum(&t, "CODGEO", &cols, Scope::National, false, None)?;
        self.emit_count(&sums, "P18_POP", "population", 2018, rp18);
        self.emit_count(&sums, "P13_POP", "population", 2013, rp13);
        self.emit_count(&sums, "SUPERF", "superficie", 2018, rp18);
        self.emit_count(&sums, "NAIS1318", "naissances", 2018, ec);
        self.emit_count(&sums, "DECE1318", "deces", 2018, ec);
        self.emit_count(&sums, "P18_MEN", "menages", 2018, rp18);
        self.emit_count(&sums, "P18_LOG", "logements", 2018, rp18);
        self.emit_count(&sums, "P18_RP", "residences_principales", 2018, rp18);
        self.emit_count(&sums, "P18_RSECOCC", "residences_secondaires", 2018, rp18);
        self.emit_count(&sums, "P18_LOGVAC", "logements_vacants", 2018, rp18);
        self.emit_count(&sums, "P18_RP_PROP", "proprietaires", 2018, rp18);
        self.emit_count(&sums, "P18_POP1564", "pop_1564", 2018, rp18);
        self.emit_count(&sums, "P18_CHOM1564", "chomeurs_1564", 2018, rp18);
        self.emit_count(&sums, "P18_ACT1564", "actifs_1564", 2018, rp18);
        self.emit_count(&sums, "P18_EMPLT", "emplois", 2018, rp18);
        self.emit_rate(&sums, &["P18_POP"], "SUPERF", "densite", 2018, rp18, 1.0);
        self.emit_rate(&sums, &["P18_LOGVAC"], "P18_LOG", "taux_vacance", 2018, rp18, 100.0);
        self.emit_rate(&sums, &["P18_RSECOCC"], "P18_LOG", "part_residences_secondaires", 2018, rp18, 100.0);
        self.emit_rate(&sums, &["P18_RP_PROP"], "P18_RP", "part_proprietaires", 2018, rp18, 100.0);
        self.emit_rate(&sums, &["P18_ACT1564"], "P18_POP1564", "taux_activite", 2018, rp18, 100.0);
        self.emit_rate(&sums, &["P18_CHOM1564"], "P18_ACT1564", "taux_chomage", 2018, rp18, 100.0);
        // Evolution: (P18 − P13) / P13.
        let mut entries = Vec::new();
        let (p18, p13) = (Self::col_of(&sums, "P18_POP"), Self::col_of(&sums, "P13_POP"));
        for (terr, acc) in &sums.per {
            let status = self.sum_status(&sums, *terr, acc, &[p18, p13]);
            let (a, b) = (acc.values[p18], acc.values[p13]);
            let e = if !status.has_value() || b <= 0.0 {
                Entry {
                    value: f64::NAN,
                    status: if b <= 0.0 { Status::NotAvailable } else { status },
                    num: None,
                    den: None,
                }
            } else {
                Entry { value: (a - b) / b * 100.0, status, num: Some(a - b), den: Some(b) }
            };
            entries.push((*terr, e));
        }
        for (terr, e) in entries {
            self.set("evolution_population", 2018, rp18, terr, e);
        }
        Ok(())
    }

    fn rp_source(&mut self, year: u16, file: &str) -> u32 {
        self.source(
            &format!("rp-{year}"),
            &format!("Insee, RP {year}"),
            "Insee",
            &year.to_string(),
            "COG 2025",
            "Estimations pondérées du recensement, sommées puis arrondies à l'affichage.",
            file,
        )
    }

    /// RP 2023 for the Pays de la Loire (and 2012 / 2017 comparison years):
    /// published département and France rows first, then commune sums.
    fn rp2023(&mut self) -> Result<()> {
        // Age pyramid (département file has the bands only).
        let f = "census/rp2023_pdl/rp2023_pop_sexe_age5_departements_pdl.csv";
        let t = self.src.table(f)?;
        let s = self.rp_source(2023, f);
        let mut band_cols = Vec::new();
        for sex in ['H', 'F'] {
            for band in AGE_BANDS {
                band_cols.push((format!("{sex}_{band}"), catalogue::age_band_id(sex, band)));
            }
        }
        let dep = t.col("dep")?;
        for row in &t.rows {
            let code = t.text(row, dep);
            let terr = self
                .resolve(TerritoryKind::Departement, code)
                .ok_or_else(|| BuildError::at(f, row.line, format!("unknown département `{code}`")))?;
            let mut by_col = HashMap::new();
            for (col, _) in &band_cols {
                by_col.insert(col.clone(), t.number(row, t.col(col)?)?);
            }
            self.emit_age_rows(terr, &by_col, 2023, s, Status::Value);
        }
        let f = "census/rp2023_pdl/rp2023_pop_sexe_age5_communes_pdl.csv";
        let t = self.src.table(f)?;
        let s = self.rp_source(2023, f);
        let cols: Vec<&str> = band_cols.iter().map(|(c, _)| c.as_str()).collect();
        let sums = self.sum(&t, "codgeo", &cols, Scope::Pdl, false, None)?;
        let mut rows = Vec::new();
        for (terr, acc) in &sums.per {
            let all: Vec<usize> = (0..cols.len()).collect();
            let status = self.sum_status(&sums, *terr, acc, &all);
            let by_col: HashMap<String, f64> =
                cols.iter().enumerate().map(|(i, c)| (c.to_string(), acc.values[i])).collect();
            rows.push((*terr, by_col, status));
        }
        for (terr, by_col, status) in rows {
            self.emit_age_rows(terr, &by_col, 2023, s, status);
        }

        // Housing, activity, diplomas, commuting.
        type Spec<'s> = (&'s str, &'s str, &'s [(&'s str, &'s str)], &'s [(&'s [&'s str], &'s str, &'s str)]);
        let logement_counts: &[(&str, &str)] = &[
            ("log", "logements"),
            ("rp", "residences_principales"),
            ("rsec_occ", "residences_secondaires"),
            ("log_vac", "logements_vacants"),
            ("rp_proprietaires", "proprietaires"),
            ("rp_loc_vide_prive", "locataires_prives"),
            ("rp_loc_vide_hlm", "locataires_hlm"),
            ("rp_loc_meuble", "locataires_meubles"),
            ("rp_loges_gratuit", "loges_gratuitement"),
        ];
        let logement_rates: &[(&[&str], &str, &str)] = &[
            (&["log_vac"], "log", "taux_vacance"),
            (&["rsec_occ"], "log", "part_residences_secondaires"),
            (&["rp_proprietaires"], "rp", "part_proprietaires"),
            (&["rp_loc_vide_prive"], "rp", "part_locataires_prives"),
            (&["rp_loc_vide_hlm"], "rp", "part_locataires_hlm"),
        ];
        let activite_counts: &[(&str, &str)] = &[
            ("pop1564", "pop_1564"),
            ("actocc1564", "actifs_occupes_1564"),
            ("chom1564", "chomeurs_1564"),
            ("retr1564", "retraites_1564"),
            ("etud1564", "etudiants_1564"),
            ("ainact1564", "autres_inactifs_1564"),
        ];
        let activite_rates: &[(&[&str], &str, &str)] = &[
            (&["actocc1564", "chom1564"], "pop1564", "taux_activite"),
            (&["actocc1564"], "pop1564", "taux_emploi"),
            (&["chom1564"], "actocc1564+chom1564", "taux_chomage"),
        ];
        let diplomes_counts: &[(&str, &str)] = &[("nscol15p", "pop_non_scolarisee_15p")];
        let diplomes_rates: &[(&[&str], &str, &str)] = &[
            (&["dipl_aucun_cep"], "nscol15p", "part_sans_diplome"),
            (&["dipl_brevet"], "nscol15p", "part_brevet"),
            (&["dipl_cap_bep"], "nscol15p", "part_cap_bep"),
            (&["dipl_bac_bp"], "nscol15p", "part_bac"),
            (&["dipl_bac2"], "nscol15p", "part_bac2"),
            (&["dipl_bac34"], "nscol15p", "part_bac34"),
            (&["dipl_bac5p"], "nscol15p", "part_bac5p"),
            (&["dipl_bac2", "dipl_bac34", "dipl_bac5p"], "nscol15p", "part_diplome_superieur"),
        ];
        let navettes_counts: &[(&str, &str)] = &[("actocc15p", "actifs_occupes_15p")];
        let navettes_rates: &[(&[&str], &str, &str)] = &[
            (&["lt_commune_residence"], "actocc15p", "part_travail_commune"),
            (&["lt_autre_commune_dep"], "actocc15p", "part_travail_autre_commune_dep"),
            (&["lt_autre_dep_region"], "actocc15p", "part_travail_autre_dep"),
            (&["lt_autre_region"], "actocc15p", "part_travail_autre_region"),
            (&["lt_hors_metropole_etranger"], "actocc15p", "part_travail_etranger"),
            (&["tr_sans_transport"], "actocc15p", "part_mode_aucun"),
            (&["tr_pied"], "actocc15p", "part_mode_pied"),
            (&["tr_velo"], "actocc15p", "part_mode_velo"),
            (&["tr_deux_roues_motorise"], "actocc15p", "part_mode_deux_roues"),
            (&["tr_voiture"], "actocc15p", "part_mode_voiture"),
            (&["tr_transports_commun"], "actocc15p", "part_mode_transports_commun"),
        ];
        let specs: [(Spec, &[u16]); 4] = [
            (("rp_logement_2023_2012", "", logement_counts, logement_rates), &[2023, 2012]),
            (("rp_activite_1564_2023_2012", "", activite_counts, activite_rates), &[2023, 2012]),
            (("rp_diplomes_nscol15p_2023_2017", "_calc", diplomes_counts, diplomes_rates), &[2023, 2017]),
            (("rp_navettes_actocc15p_2023", "", navettes_counts, navettes_rates), &[2023]),
        ];
        for ((stem, calc_suffix, counts, rates), years) in specs {
            for (file, code_col, kind) in [
                (
                    format!("census/rp2023_pdl/{stem}_departements_france.csv"),
                    "territoire",
                    Some(TerritoryKind::Departement),
                ),
                (format!("census/rp2023_pdl/{stem}_communes_pdl.csv"), "codgeo", None),
            ] {
                let t = self.src.table(&file)?;
                for &year in years {
                    let s = self.rp_source(year, &file);
                    // Column names: `<base>_<year>`, with `_calc` for the
                    // diplomas' computed total.
                    let col = |base: &str| {
                        if base == "nscol15p" {
                            format!("{base}_{year}{calc_suffix}")
                        } else {
                            format!("{base}_{year}")
                        }
                    };
                    let mut bases: Vec<&str> = counts.iter().map(|(b, _)| *b).collect();
                    for (nums, den, _) in rates {
                        bases.extend(nums.iter().copied());
                        if !den.contains('+') {
                            bases.push(den);
                        }
                    }
                    bases.sort();
                    bases.dedup();
                    let names: Vec<String> = bases.iter().map(|b| col(b)).collect();
                    let names_ref: Vec<&str> = names.iter().map(String::as_str).collect();
                    if kind.is_some() {
                        // Published rows (départements, France): a one-row "sum".
                        let code = t.col(code_col)?;
                        for row in &t.rows {
                            let c = t.text(row, code);
                            let terr = self
                                .resolve(TerritoryKind::Departement, c)
                                .or_else(|| self.resolve(TerritoryKind::Country, c))
                                .ok_or_else(|| BuildError::at(&file, row.line, format!("unknown territory `{c}`")))?;
                            let values: Vec<f64> =
                                names.iter().map(|n| t.number(row, t.col(n)?)).collect::<Result<_>>()?;
                            let n = values.len();
                            let acc = SumAcc {
                                values,
                                gaps: vec![0; n],
                                secret: vec![0; n],
                                seen: vec![1; n],
                                communes: HashSet::new(),
                            };
                            let sums = Sums {
                                cols: names.clone(),
                                scope: Scope::National,
                                approximate: false,
                                per: HashMap::from([(terr, acc)]),
                            };
                            self.emit_rp(&sums, counts, rates, &col, year, s);
                        }
                    } else {
                        let sums = self.sum(&t, code_col, &names_ref, Scope::Pdl, false, None)?;
                        self.emit_rp(&sums, counts, rates, &col, year, s);
                    }
                }
            }
        }
        Ok(())
    }

    fn emit_rp(
        &mut self,
        sums: &Sums,
        counts: &[(&str, &str)],
        rates: &[(&[&str], &str, &str)],
        col: &dyn Fn(&str) -> String,
        year: u16,
        s: u32,
    ) {
        for (base, ind) in counts {
            self.emit_count(sums, &col(base), ind, year, s);
        }
        for (nums, den, ind) in rates {
            let num_cols: Vec<String> = nums.iter().map(|n| col(n)).collect();
            let num_ref: Vec<&str> = num_cols.iter().map(String::as_str).collect();
            if let Some((a, b)) = den.split_once('+') {
                // Unemployment: active = employed + unemployed.
                let mut sums2 = Sums {
                    cols: sums.cols.clone(),
                    scope: sums.scope,
                    approximate: sums.approximate,
                    per: sums.per.clone(),
                };
                let (ca, cb) = (Self::col_of(sums, &col(a)), Self::col_of(sums, &col(b)));
                sums2.cols.push("__den".into());
                for acc in sums2.per.values_mut() {
                    acc.values.push(acc.values[ca] + acc.values[cb]);
                    acc.gaps.push(acc.gaps[ca].max(acc.gaps[cb]));
                    acc.secret.push(acc.secret[ca].max(acc.secret[cb]));
                    acc.seen.push(acc.seen[ca]);
                }
                self.emit_rate(&sums2, &num_ref, "__den", ind, year, s, 100.0);
                self.emit_count(&sums2, "__den", "actifs_1564", year, s);
            } else {
                self.emit_rate(sums, &num_ref, &col(den), ind, year, s, 100.0);
            }
        }
    }

    /// Age-pyramid bands, grouped ages, sexes and total for one territory.
    fn emit_age_rows(&mut self, terr: u32, by_col: &HashMap<String, f64>, year: u16, s: u32, status: Status) {
        let value = |c: &str| by_col.get(c).copied().unwrap_or(0.0);
        let entry = |v: f64, num: Option<f64>, den: Option<f64>| {
            if !status.has_value() {
                Entry { value: f64::NAN, status, num: None, den: None }
            } else {
                Entry { value: v, status, num, den }
            }
        };
        let mut total = 0.0;
        let mut by_sex = [0.0, 0.0];
        for (k, sex) in ['H', 'F'].iter().enumerate() {
            for band in AGE_BANDS {
                let v = value(&format!("{sex}_{band}"));
                total += v;
                by_sex[k] += v;
                self.set(&catalogue::age_band_id(*sex, band), year, s, terr, entry(v, None, None));
            }
        }
        self.set("population", year, s, terr, entry(total, None, None));
        self.set("population_hommes", year, s, terr, entry(by_sex[0], None, None));
        self.set("population_femmes", year, s, terr, entry(by_sex[1], None, None));
        let group =
            |bands: &[&str]| -> f64 { bands.iter().map(|b| value(&format!("H_{b}")) + value(&format!("F_{b}"))).sum() };
        for (count, share, bands) in [
            ("pop_0014", "part_0014", &["00_04", "05_09", "10_14"][..]),
            ("pop_1529", "part_1529", &["15_19", "20_24", "25_29"][..]),
            ("pop_6074", "part_6074", &["60_64", "65_69", "70_74"][..]),
            ("pop_75p", "part_75p", &["75_79", "80_84", "85_89", "90_94", "95P"][..]),
        ] {
            let v = group(bands);
            self.set(count, year, s, terr, entry(v, None, None));
            if total > 0.0 {
                self.set(share, year, s, terr, entry(v / total * 100.0, Some(v), Some(total)));
            }
        }
    }

    /// Historical population 1876-2023 (PdL communes, COG 2025).
    fn rp_history(&mut self) -> Result<()> {
        let f = "census/rp2023_pdl/population_historique_1876_2023_communes_pdl.csv";
        let t = self.src.table(f)?;
        let s = self.source(
            "rp-historique",
            "Insee, RP, séries historiques 1876-2023",
            "Insee",
            "1876-2023",
            "COG 2025",
            "Populations des recensements successifs dans la géographie 2025.",
            f,
        );
        let years: Vec<u16> = t.headers.iter().filter_map(|h| h.strip_prefix("pop_")?.parse().ok()).collect();
        if years.is_empty() {
            return Err(BuildError::at(f, 1, "no `pop_<year>` column"));
        }
        let names: Vec<String> = years.iter().map(|y| format!("pop_{y}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let sums = self.sum(&t, "codgeo", &refs, Scope::Pdl, false, None)?;
        for (y, n) in years.iter().zip(&names) {
            self.emit_count(&sums, n, "population_historique", *y, s);
        }
        Ok(())
    }

    /// RP 2022 household types: approximate counts ("ordre de grandeur").
    fn rp2022_approx(&mut self) -> Result<()> {
        let f = "census/rp2022_pdl_approx/communes_rp2022_comptes_approx_pdl.csv";
        let t = self.src.table(f)?;
        let s = self.source(
            "rp-2022-approx",
            "Insee, RP 2022 (IRIS), ordre de grandeur",
            "Insee",
            "2022",
            "COG 2025",
            "Comptes approchés reconstitués à partir de pourcentages IRIS arrondis : ordre de grandeur.",
            f,
        );
        let cols = [
            "C22_MEN",
            "men_seul_approx",
            "men_fammono_approx",
            "men_coupaenf_approx",
            "men_coupsenf_approx",
            "pop80p_seul_approx",
        ];
        let sums = self.sum(&t, "codgeo", &cols, Scope::Pdl, true, None)?;
        self.emit_count(&sums, "C22_MEN", "menages", 2022, s);
        self.emit_count(&sums, "men_seul_approx", "menages_seuls", 2022, s);
        self.emit_count(&sums, "men_fammono_approx", "familles_monoparentales", 2022, s);
        self.emit_count(&sums, "men_coupaenf_approx", "couples_avec_enfants", 2022, s);
        self.emit_count(&sums, "men_coupsenf_approx", "couples_sans_enfant", 2022, s);
        self.emit_count(&sums, "pop80p_seul_approx", "personnes_80p_seules", 2022, s);
        self.emit_rate(&sums, &["men_seul_approx"], "C22_MEN", "part_menages_seuls", 2022, s, 100.0);
        self.emit_rate(&sums, &["men_fammono_approx"], "C22_MEN", "part_familles_monoparentales", 2022, s, 100.0);
        self.emit_rate(&sums, &["men_coupaenf_approx"], "C22_MEN", "part_couples_avec_enfants", 2022, s, 100.0);
        Ok(())
    }

    /// CAF recipients, jobseekers and private jobs: yearly PdL commune files.
    fn caf_defm_urssaf(&mut self) -> Result<()> {
        // (file, source id, label, producer, (column, indicator) pairs)
        type YearlyFile<'s> = (&'s str, &'s str, &'s str, &'s str, &'s [(&'s str, &'s str)]);
        let files: [YearlyFile; 3] = [
            (
                "benefits_employment_pdl/caf_allocataires_communes_pdl_2020_2024.csv",
                "caf",
                "Cnaf, allocataires CAF",
                "Cnaf",
                &[
                    ("foyers_allocataires", "foyers_allocataires"),
                    ("personnes_couvertes", "personnes_couvertes"),
                    ("foyers_rsa", "foyers_rsa"),
                    ("foyers_prime_activite", "foyers_prime_activite"),
                    ("foyers_aide_logement", "foyers_aide_logement"),
                    ("foyers_alloc_familiales", "foyers_alloc_familiales"),
                    ("foyers_paje", "foyers_paje"),
                ],
            ),
            (
                "benefits_employment_pdl/defm_abc_communes_pdl_2015_2024.csv",
                "defm",
                "France Travail-Dares, demandeurs d'emploi",
                "France Travail, Dares",
                &[("defm_abc_moy_t4", "demandeurs_emploi_abc")],
            ),
            (
                "benefits_employment_pdl/urssaf_effectifs_communes_pdl_2015_2025.csv",
                "urssaf",
                "Urssaf, emploi salarié privé",
                "Urssaf",
                &[("effectifs_salaries_prives_31dec", "emplois_salaries_prives")],
            ),
        ];
        for (f, id, label, producer, cols) in files {
            let t = self.src.table(f)?;
            let year_col = t.col("annee")?;
            let mut years: Vec<String> = t.rows.iter().map(|r| t.text(r, year_col).to_string()).collect();
            years.sort();
            years.dedup();
            let names: Vec<&str> = cols.iter().map(|(c, _)| *c).collect();
            for y in years {
                let year: u16 =
                    y.parse().map_err(|_| BuildError::file(f, format!("`annee` value `{y}` is not a year")))?;
                let s = self.source(
                    &format!("{id}-{year}"),
                    &format!("{label} {year}"),
                    producer,
                    &year.to_string(),
                    "COG 2025",
                    "",
                    f,
                );
                let sums = self.sum(&t, "codgeo", &names, Scope::Pdl, false, Some(("annee", &y)))?;
                for (c, ind) in cols {
                    self.emit_count(&sums, c, ind, year, s);
                }
            }
        }
        Ok(())
    }

    /// INSEE density grid 2024: commune level as published; shares of the
    /// population by level summed for every grouping; the majority level.
    fn density_grid(&mut self) -> Result<()> {
        let f = "typologies/grille_densite_7_niveaux_2024.csv";
        let t = self.src.table(f)?;
        let s = self.source(
            "grille-densite-2024",
            "Insee, grille communale de densité 2024",
            "Insee",
            "2024",
            "COG 2024 regroupé en COG 2025",
            "Parts de population par niveau pondérées par la population municipale 2021.",
            f,
        );
        let (code, dens) = (t.col("CODGEO")?, t.col("DENS")?);
        for row in &t.rows {
            if let Some(terr) = self.published_commune(t.text(row, code)) {
                let cell = t.cell(row, dens)?;
                self.set_cell("grille_densite", 2024, s, terr, cell, false, 1.0);
            }
        }
        // Population in each level = P_k / 100 × PMUN21, summed.
        let pmun = t.col("PMUN21")?;
        let levels: Vec<usize> = (1..=7).map(|k| t.col(&format!("P{k}"))).collect::<Result<_>>()?;
        let mut per: HashMap<u32, [f64; 8]> = HashMap::new();
        for row in &t.rows {
            let Some(commune) = self.terr.commune(t.text(row, code)) else { continue };
            let pop = t.number(row, pmun)?;
            let mut v = [0.0; 8];
            v[0] = pop;
            for (k, c) in levels.iter().enumerate() {
                v[k + 1] = t.number(row, *c)? / 100.0 * pop;
            }
            for target in self.terr.targets(commune) {
                let acc = per.entry(target).or_insert([0.0; 8]);
                for i in 0..8 {
                    acc[i] += v[i];
                }
            }
        }
        let mut per: Vec<(u32, [f64; 8])> = per.into_iter().collect();
        per.sort_by_key(|(t, _)| *t);
        for (terr, v) in per {
            if v[0] <= 0.0 {
                continue;
            }
            let mut best = 1;
            for k in 1..=7 {
                self.set(
                    &format!("part_pop_densite_{k}"),
                    2024,
                    s,
                    terr,
                    Entry { value: v[k] / v[0] * 100.0, status: Status::Value, num: Some(v[k]), den: Some(v[0]) },
                );
                if v[k] > v[best] {
                    best = k;
                }
            }
            if self.terr.kind(terr) != TerritoryKind::Commune {
                self.set(
                    "grille_densite",
                    2024,
                    s,
                    terr,
                    Entry { value: best as f64, status: Status::Value, num: None, den: None },
                );
            }
        }
        Ok(())
    }

    /// Young people not in employment or education (ANCT): published EPCI
    /// and commune rates, 2008 / 2013 / 2018.
    fn neet(&mut self) -> Result<()> {
        for (f, kind) in [
            ("typologies/neet_epci_2018.csv", TerritoryKind::Epci),
            ("typologies/neet_communes_2018.csv", TerritoryKind::Commune),
        ] {
            let t = self.src.table(f)?;
            let (code, year, value) = (t.col("codgeo")?, t.col("an")?, t.col("part_non_inseres")?);
            for row in &t.rows {
                let y: u16 = t.text(row, year).parse().map_err(|_| {
                    BuildError::at(f, row.line, format!("`an` = `{}` is not a year", t.text(row, year)))
                })?;
                let s = self.source(
                    &format!("neet-{y}"),
                    &format!("ANCT-Insee, RP {y}"),
                    "ANCT, Observatoire des territoires",
                    &y.to_string(),
                    "géographie de l'ANCT",
                    "Part des 15-24 ans non insérés (ni en emploi, ni en études).",
                    f,
                );
                let Some(terr) = self.resolve(kind, t.text(row, code)) else { continue };
                let cell = t.cell(row, value)?;
                self.set_cell("part_jeunes_non_inseres", y, s, terr, cell, false, 1.0);
            }
        }
        Ok(())
    }

    /// The catalogue, the sources and the series, ready for the pack.
    pub fn finish(self) -> Result<(Vec<Indicator>, Vec<Source>, Vec<Series>)> {
        let mut series = Vec::with_capacity(self.series.len());
        for ((indicator, year), acc) in self.series {
            let computed = acc.rows.values().any(|e| e.num.is_some());
            let territories: Vec<u32> = acc.rows.keys().copied().collect();
            let values: Vec<f64> =
                acc.rows.values().map(|e| if e.status.has_value() { e.value } else { f64::NAN }).collect();
            let status: Vec<u8> = acc.rows.values().map(|e| e.status as u8).collect();
            let what = || format!("{} {year}", self.catalogue[indicator as usize].id);
            let (scale, values) = encode_fixed(&values, VALUE_DECIMALS)
                .map_err(|m| BuildError::file("pack", format!("{}: {m}", what())))?;
            let (fraction_scale, numerators, denominators) = if computed {
                let mut both: Vec<f64> = acc.rows.values().map(|e| e.num.unwrap_or(f64::NAN)).collect();
                let n = both.len();
                both.extend(acc.rows.values().map(|e| e.den.unwrap_or(f64::NAN)));
                let (k, mut fixed) = encode_fixed(&both, FRACTION_DECIMALS)
                    .map_err(|m| BuildError::file("pack", format!("{} (fractions): {m}", what())))?;
                let den = fixed.split_off(n);
                (k, fixed, den)
            } else {
                (0, Vec::new(), Vec::new())
            };
            series.push(Series {
                indicator,
                year,
                source: acc.source,
                territories,
                scale,
                values,
                status,
                fraction_scale,
                numerators,
                denominators,
            });
        }
        Ok((self.catalogue, self.sources, series))
    }
}

/// Encodes numbers as decimal fixed-point `i32`s: the smallest scale at
/// which all are exact (published figures), else the largest up to
/// `inexact_scale` that fits (computed rates, weighted census sums: their
/// further decimals are noise no one reads). See
/// [`territoire::schema::Series`]. NaN becomes [`MISSING_VALUE`].
pub fn encode_fixed(values: &[f64], inexact_scale: u8) -> std::result::Result<(u8, Vec<i32>), String> {
    let finite = || values.iter().filter(|v| v.is_finite());
    let max = finite().fold(0f64, |m, v| m.max(v.abs()));
    let fits = |k: u8| max * 10f64.powi(k as i32) < (i32::MAX - 1) as f64;
    let exact = |k: u8| {
        let f = 10f64.powi(k as i32);
        finite().all(|v| {
            let x = v * f;
            (x - x.round()).abs() <= 1e-6 * x.abs().max(1.0)
        })
    };
    let scale = (0..=MAX_SCALE)
        .find(|k| fits(*k) && exact(*k))
        .or_else(|| (0..=inexact_scale.min(MAX_SCALE)).rev().find(|k| fits(*k)))
        .ok_or_else(|| format!("value {max} too large for the pack's fixed-point columns"))?;
    let f = 10f64.powi(scale as i32);
    Ok((scale, values.iter().map(|v| if v.is_finite() { (v * f).round() as i32 } else { MISSING_VALUE }).collect()))
}

/// Decimals kept for computed values (rates shown with one decimal; the
/// second keeps rankings and class breaks honest).
const VALUE_DECIMALS: u8 = 2;
/// Decimals kept for numerators and denominators (weighted census counts).
const FRACTION_DECIMALS: u8 = 1;

/// Poverty rate by age of the fiscal reference person, in INSEE's order
/// (AGE1 = under 30 … AGE6 = 75 and over).
const AGE_POVERTY: [&str; 6] = [
    "taux_pauvrete_age_moins30",
    "taux_pauvrete_age_3039",
    "taux_pauvrete_age_4049",
    "taux_pauvrete_age_5059",
    "taux_pauvrete_age_6074",
    "taux_pauvrete_age_75p",
];

/// Columns of a FILOSOFI "cc" commune file of `year`.
fn cc_columns(year: u16) -> Vec<(String, &'static str)> {
    let y = yy(year);
    let mut v = vec![
        (format!("MED{y}"), "revenu_median"),
        (format!("TP60{y}"), "taux_pauvrete"),
        (format!("D1{y}"), "d1"),
        (format!("D9{y}"), "d9"),
        (format!("RD{y}"), "rapport_interdecile"),
        (format!("PIMP{y}"), "part_menages_imposes"),
        (format!("NBMENFISC{y}"), "menages_fiscaux"),
        (format!("NBPERSMENFISC{y}"), "personnes_menages_fiscaux"),
        (format!("TP60TOL1{y}"), "taux_pauvrete_proprietaires"),
        (format!("TP60TOL2{y}"), "taux_pauvrete_locataires"),
        (format!("PACT{y}"), "part_revenus_activite"),
        (format!("PTSA{y}"), "part_salaires"),
        (format!("PCHO{y}"), "part_indemnites_chomage"),
        (format!("PBEN{y}"), "part_revenus_non_salaries"),
        (format!("PPEN{y}"), "part_pensions"),
        (format!("PPAT{y}"), "part_revenus_patrimoine"),
        (format!("PPSOC{y}"), "part_prestations_sociales"),
        (format!("PPFAM{y}"), "part_prestations_familiales"),
        (format!("PPMINI{y}"), "part_minima_sociaux"),
        (format!("PPLOGT{y}"), "part_prestations_logement"),
        (format!("PIMPOT{y}"), "part_impots"),
    ];
    for (k, ind) in AGE_POVERTY.iter().enumerate() {
        v.push((format!("TP60AGE{}{y}", k + 1), ind));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_is_exact_for_published_figures() {
        let (k, v) = encode_fixed(&[12.8, 5.0, f64::NAN, 0.0], 2).unwrap();
        assert_eq!((k, v.clone()), (1, vec![128, 50, MISSING_VALUE, 0]));
        assert_eq!(territoire::schema::decode_fixed(v[0], k), Some(12.8));
        // Exact published figures keep their decimals, whatever the cap.
        assert_eq!(encode_fixed(&[0.294, 0.3], 1).unwrap(), (3, vec![294, 300]));
        assert_eq!(encode_fixed(&[24950.0], 2).unwrap(), (0, vec![24950]));
        // Inexact ones: as many decimals as fit, up to the cap.
        let (k, v) = encode_fixed(&[64_844_037.123_456, 1.25], 2).unwrap();
        assert_eq!((k, v), (1, vec![648_440_371, 13]));
        assert_eq!(encode_fixed(&[12.345_678, 1.0], 2).unwrap(), (2, vec![1235, 100]));
        assert!(encode_fixed(&[1e12], 2).is_err());
    }
}
