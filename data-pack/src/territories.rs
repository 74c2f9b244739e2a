//! The territories of the pack and their hierarchy.
//!
//! France métropolitaine, the 18 régions and 101 départements (COG, from
//! `cog/`), the 1,253 EPCI of 2025 (`geometry/epci_2025.csv`) with their
//! départements and régions ordered by population (majority first, from the
//! COG 2025 commune list), and the 1,228 COG 2025 communes of the Pays de la
//! Loire. Commune codes of older geographies (census COG 2021, FILOSOFI and
//! density grid COG 2024) are mapped to COG 2025 so counts land in the right
//! 2025 EPCI.

use std::collections::{BTreeMap, HashMap, HashSet};

use territoire::schema::{PdlCoverage, Territory, TerritoryKind, NO_TERRITORY};
use territoire::search::name_key;

use crate::error::{BuildError, Result};
use crate::geometry::CommuneGeometry;
use crate::sources::Sources;

/// Départements of the Pays de la Loire.
pub const PDL_DEPS: [&str; 5] = ["44", "49", "53", "72", "85"];
/// Code of the Pays de la Loire région.
pub const PDL_REGION: &str = "52";
/// France métropolitaine.
pub const FRM: &str = "FRM";
/// France entière, for the few sources that publish only that total
/// (RP 2023 "FRANCE" rows).
pub const FRA: &str = "FRA";

/// A COG 2025 commune.
#[derive(Debug, Clone)]
pub struct Commune {
    pub code: String,
    pub name: String,
    pub dep: String,
    pub population: f64,
    /// Empty for communes in no EPCI (L'Île-d'Yeu, Île-de-Sein...).
    pub epci: String,
}

pub struct Territories {
    pub list: Vec<Territory>,
    by_key: HashMap<(TerritoryKind, String), u32>,
    /// COG 2025 communes (type COM) by code.
    pub communes: HashMap<String, Commune>,
    /// Older commune codes (merged, delegated, associated) → COG 2025 code.
    renamed: HashMap<String, String>,
    /// Municipal arrondissements (Paris, Lyon, Marseille): the census also
    /// has their parent commune, so they are skipped to avoid counting twice.
    pub arrondissements: HashSet<String>,
    /// Number of PdL COG 2025 communes under each territory (for coverage).
    pub pdl_communes_under: HashMap<u32, usize>,
}

impl Territories {
    pub fn idx(&self, kind: TerritoryKind, code: &str) -> Option<u32> {
        self.by_key.get(&(kind, code.to_string())).copied()
    }

    pub fn kind(&self, idx: u32) -> TerritoryKind {
        TerritoryKind::from_u8(self.list[idx as usize].kind).expect("kinds are set by this module")
    }

    pub fn pdl(&self, idx: u32) -> PdlCoverage {
        PdlCoverage::from_u8(self.list[idx as usize].pdl).expect("coverage is set by this module")
    }

    /// The COG 2025 commune a code of any recent vintage stands for.
    pub fn commune(&self, code: &str) -> Option<&Commune> {
        if let Some(c) = self.communes.get(code) {
            return Some(c);
        }
        self.renamed.get(code).and_then(|c| self.communes.get(c))
    }

    pub fn is_pdl_dep(dep: &str) -> bool {
        PDL_DEPS.contains(&dep)
    }

    /// Where a commune's counts go: the commune itself (if in the pack), its
    /// EPCI, département, région and, for metropolitan communes,
    /// France métropolitaine.
    pub fn targets(&self, commune: &Commune) -> Vec<u32> {
        let mut out = Vec::with_capacity(5);
        out.extend(self.idx(TerritoryKind::Commune, &commune.code));
        if !commune.epci.is_empty() {
            out.extend(self.idx(TerritoryKind::Epci, &commune.epci));
        }
        if let Some(dep) = self.idx(TerritoryKind::Departement, &commune.dep) {
            out.push(dep);
            let d = &self.list[dep as usize];
            out.extend(d.regions.iter().copied());
            if d.metro {
                out.extend(self.idx(TerritoryKind::Country, FRM));
            }
        }
        out
    }

    pub fn load(src: &Sources, geometry: &[CommuneGeometry]) -> Result<Territories> {
        // --- COG: régions and départements (metro and DROM only) ---------
        let regions_file = "cog/regions.json";
        let deps_file = "cog/departements.json";
        let mut regions: BTreeMap<String, (String, bool)> = BTreeMap::new();
        for (i, (line, r)) in src.json_entries(regions_file)?.iter().enumerate() {
            let field = |key: &str| json_str(regions_file, *line, i, r, key);
            let zone = field("zone")?;
            if zone == "metro" || zone == "drom" {
                regions.insert(field("code")?, (field("nom")?, zone == "metro"));
            }
        }
        let mut deps: BTreeMap<String, (String, String, bool)> = BTreeMap::new();
        for (i, (line, d)) in src.json_entries(deps_file)?.iter().enumerate() {
            let field = |key: &str| json_str(deps_file, *line, i, d, key);
            let zone = field("zone")?;
            if zone == "metro" || zone == "drom" {
                let region = field("region")?;
                if !regions.contains_key(&region) {
                    return Err(BuildError::at(deps_file, *line, format!("entry {i}: unknown région `{region}`")));
                }
                deps.insert(field("code")?, (field("nom")?, region, zone == "metro"));
            }
        }

        // --- COG 2025 communes and EPCI membership -----------------------
        let members_file = "geometry/commune_epci_2025.csv";
        let t = src.table(members_file)?;
        let (c_code, c_name, c_type, c_dep, c_pop, c_epci, c_parent) = (
            t.col("code_commune")?,
            t.col("nom")?,
            t.col("type")?,
            t.col("dep")?,
            t.col("population_municipale")?,
            t.col("epci_code")?,
            t.col("commune_parent")?,
        );
        let mut communes = HashMap::new();
        let mut renamed = HashMap::new();
        let mut arrondissements = HashSet::new();
        for row in &t.rows {
            let code = t.text(row, c_code).to_string();
            match t.text(row, c_type) {
                "COM" => {
                    let dep = t.text(row, c_dep).to_string();
                    if !deps.contains_key(&dep) {
                        // Saint-Pierre-et-Miquelon and other COM: out of scope.
                        continue;
                    }
                    // Only used to order an EPCI's départements; new 2025
                    // communes and Mayotte have none published.
                    let population = match t.cell(row, c_pop)? {
                        crate::sources::Cell::Number(v) => v,
                        _ => 0.0,
                    };
                    communes.insert(
                        code.clone(),
                        Commune {
                            code,
                            name: t.text(row, c_name).to_string(),
                            dep,
                            population,
                            epci: t.text(row, c_epci).to_string(),
                        },
                    );
                }
                "COMD" | "COMA" => {
                    let parent = t.text(row, c_parent);
                    if parent.is_empty() {
                        return Err(BuildError::at(
                            members_file,
                            row.line,
                            "delegated/associated commune without `commune_parent`",
                        ));
                    }
                    if parent != code {
                        renamed.insert(code, parent.to_string());
                    }
                }
                "ARM" => {
                    arrondissements.insert(code);
                }
                _ => {}
            }
        }
        // COG 2024 codes merged by 2025, from the geometry's `com2025`.
        for g in geometry {
            if g.code != g.com2025 && !communes.contains_key(&g.code) {
                renamed.entry(g.code.clone()).or_insert_with(|| g.com2025.clone());
            }
        }
        // Chains (a 2021 code renamed to a 2024 code renamed again) resolve
        // to their end.
        let keys: Vec<String> = renamed.keys().cloned().collect();
        for k in keys {
            let mut target = renamed[&k].clone();
            for _ in 0..5 {
                match renamed.get(&target) {
                    Some(next) if !communes.contains_key(&target) => target = next.clone(),
                    _ => break,
                }
            }
            renamed.insert(k, target);
        }

        // --- EPCI --------------------------------------------------------
        let epci_file = "geometry/epci_2025.csv";
        let e = src.table(epci_file)?;
        let (e_code, e_name, e_type) = (e.col("epci_code")?, e.col("nom")?, e.col("type")?);
        let mut epcis: BTreeMap<String, (String, String, u64)> = BTreeMap::new();
        for row in &e.rows {
            let code = e.text(row, e_code);
            if code.len() != 9 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(BuildError::at(epci_file, row.line, format!("`{code}` is not a 9-digit SIREN code")));
            }
            if epcis
                .insert(code.to_string(), (e.text(row, e_name).to_string(), e.text(row, e_type).to_string(), row.line))
                .is_some()
            {
                return Err(BuildError::at(epci_file, row.line, format!("EPCI {code} listed twice")));
            }
        }
        for c in communes.values() {
            if !c.epci.is_empty() && !epcis.contains_key(&c.epci) {
                return Err(BuildError::file(
                    members_file,
                    format!("commune {} names EPCI {} absent from {epci_file}", c.code, c.epci),
                ));
            }
        }

        // --- indices: France, France entière, régions, départements, EPCI, PdL communes
        let mut keys: Vec<(TerritoryKind, String)> =
            vec![(TerritoryKind::Country, FRM.into()), (TerritoryKind::Country, FRA.into())];
        keys.extend(regions.keys().map(|c| (TerritoryKind::Region, c.clone())));
        keys.extend(deps.keys().map(|c| (TerritoryKind::Departement, c.clone())));
        keys.extend(epcis.keys().map(|c| (TerritoryKind::Epci, c.clone())));
        let mut pdl_codes: Vec<&String> =
            communes.values().filter(|c| Self::is_pdl_dep(&c.dep)).map(|c| &c.code).collect();
        pdl_codes.sort();
        keys.extend(pdl_codes.iter().map(|c| (TerritoryKind::Commune, (*c).clone())));
        let by_key: HashMap<(TerritoryKind, String), u32> =
            keys.iter().cloned().enumerate().map(|(i, k)| (k, i as u32)).collect();
        let id = |k: TerritoryKind, c: &str| by_key[&(k, c.to_string())];

        // Population of each EPCI by département and région, to order them.
        let mut epci_deps: HashMap<&str, HashMap<&str, f64>> = HashMap::new();
        let mut epci_pdl: HashMap<&str, (usize, usize)> = HashMap::new();
        let mut epci_members: HashMap<&str, Vec<&Commune>> = HashMap::new();
        for c in communes.values() {
            if c.epci.is_empty() {
                continue;
            }
            *epci_deps.entry(&c.epci).or_default().entry(&c.dep).or_default() += c.population;
            let e = epci_pdl.entry(&c.epci).or_default();
            e.1 += 1;
            if Self::is_pdl_dep(&c.dep) {
                e.0 += 1;
            }
            epci_members.entry(&c.epci).or_default().push(c);
        }
        let ordered = |weights: HashMap<&str, f64>| -> Vec<String> {
            let mut v: Vec<(&str, f64)> = weights.into_iter().collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
            v.into_iter().map(|(k, _)| k.to_string()).collect()
        };

        let mut list = Vec::with_capacity(keys.len());
        for (kind, code) in &keys {
            let blank = |name: &str| Territory {
                code: code.clone(),
                name: name.to_string(),
                kind: *kind as u8,
                epci_type: String::new(),
                departements: Vec::new(),
                regions: Vec::new(),
                epci: NO_TERRITORY,
                pdl: PdlCoverage::Outside as u8,
                metro: true,
                search_key: name_key(name),
                alias_names: String::new(),
            };
            let t = match kind {
                TerritoryKind::Country if code == FRM => blank("France métropolitaine"),
                TerritoryKind::Country => Territory { metro: false, ..blank("France") },
                TerritoryKind::Region => {
                    let (name, metro) = &regions[code];
                    let pdl = if code == PDL_REGION { PdlCoverage::Full } else { PdlCoverage::Outside };
                    Territory { metro: *metro, pdl: pdl as u8, ..blank(name) }
                }
                TerritoryKind::Departement => {
                    let (name, region, metro) = &deps[code];
                    let pdl = if Self::is_pdl_dep(code) { PdlCoverage::Full } else { PdlCoverage::Outside };
                    Territory {
                        metro: *metro,
                        pdl: pdl as u8,
                        regions: vec![id(TerritoryKind::Region, region)],
                        ..blank(name)
                    }
                }
                TerritoryKind::Epci => {
                    let (name, epci_type, line) = &epcis[code];
                    let dep_weights = epci_deps.remove(code.as_str()).unwrap_or_default();
                    let mut reg_weights: HashMap<&str, f64> = HashMap::new();
                    for (dep, pop) in &dep_weights {
                        *reg_weights.entry(deps[*dep].1.as_str()).or_default() += pop;
                    }
                    let dep_codes = ordered(dep_weights);
                    if dep_codes.is_empty() {
                        return Err(BuildError::at(
                            epci_file,
                            *line,
                            format!("EPCI {code} has no member commune in {members_file}"),
                        ));
                    }
                    let (in_pdl, total) = epci_pdl.get(code.as_str()).copied().unwrap_or((0, 0));
                    let pdl = match in_pdl {
                        0 => PdlCoverage::Outside,
                        n if n == total => PdlCoverage::Full,
                        _ => PdlCoverage::Partial,
                    };
                    let mut members = epci_members.remove(code.as_str()).unwrap_or_default();
                    members.sort_by(|a, b| b.population.total_cmp(&a.population).then(a.code.cmp(&b.code)));
                    let alias_names: Vec<&str> = members.iter().map(|c| c.name.as_str()).collect();
                    Territory {
                        epci_type: epci_type.clone(),
                        metro: deps[&dep_codes[0]].2,
                        pdl: pdl as u8,
                        departements: dep_codes.iter().map(|d| id(TerritoryKind::Departement, d)).collect(),
                        regions: ordered(reg_weights).iter().map(|r| id(TerritoryKind::Region, r)).collect(),
                        alias_names: alias_names.join("|"),
                        ..blank(name)
                    }
                }
                TerritoryKind::Commune => {
                    let c = &communes[code];
                    let (_, region, metro) = &deps[&c.dep];
                    Territory {
                        metro: *metro,
                        pdl: PdlCoverage::Full as u8,
                        departements: vec![id(TerritoryKind::Departement, &c.dep)],
                        regions: vec![id(TerritoryKind::Region, region)],
                        epci: if c.epci.is_empty() { NO_TERRITORY } else { id(TerritoryKind::Epci, &c.epci) },
                        ..blank(&c.name)
                    }
                }
            };
            list.push(t);
        }

        let mut territories =
            Territories { list, by_key, communes, renamed, arrondissements, pdl_communes_under: HashMap::new() };
        let mut under: HashMap<u32, usize> = HashMap::new();
        for c in territories.communes.values().filter(|c| Self::is_pdl_dep(&c.dep)) {
            for t in territories.targets(c) {
                *under.entry(t).or_default() += 1;
            }
        }
        territories.pdl_communes_under = under;
        Ok(territories)
    }

    /// Territory indices sorted by (code, kind), for lookup by code.
    pub fn code_index(&self) -> Vec<u32> {
        let mut idx: Vec<u32> = (0..self.list.len() as u32).collect();
        idx.sort_by(|a, b| {
            let (ta, tb) = (&self.list[*a as usize], &self.list[*b as usize]);
            ta.code.cmp(&tb.code).then(ta.kind.cmp(&tb.kind))
        });
        idx
    }
}

/// A text field of entry `i` (starting on `line`) of a JSON array file.
fn json_str(file: &str, line: u64, i: usize, v: &serde_json::Value, key: &str) -> Result<String> {
    v.get(key)
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .ok_or_else(|| BuildError::at(file, line, format!("entry {i}: missing text field `{key}`")))
}
