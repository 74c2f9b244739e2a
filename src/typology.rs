//! Typologies: territories grouped into a few classes by their profile on
//! several indicators.
//!
//! Method, in order:
//! 1. **Values.** Each territory's value of each variable (indicator, year).
//!    A published value, an approximate one ("ordre de grandeur") or a
//!    bottom-coded FILOSOFI poverty rate counts: "≤ 5 %" is stored with its
//!    published upper bound 5.0, the best single figure for a rate known to
//!    lie in [0, 5] (dropping those territories would remove the least poor
//!    ones and bias the whole typology). A secret, unavailable or partial
//!    value (a PdL-only source for an EPCI crossing the région's border
//!    covers part of it only) does not: the territory is left unclassified
//!    and reported in [`TypologyResult::unclassified`], since imputing a
//!    value would put it in a class on a figure nobody published.
//! 2. **Standardisation.** Each variable becomes z-scores over the
//!    classified territories, `(x − mean) / sd` with the population
//!    standard deviation (divide by n): every variable then weighs the same
//!    whatever its unit (euros, %), and the total inertia is exactly
//!    n × (number of variables).
//! 3. **Ward.** Exact hierarchical agglomerative clustering with Ward's
//!    criterion on the z-scores ([`ward`]): the nearest-neighbour-chain
//!    algorithm with Lance–Williams updates, O(n²) time and memory (about
//!    6 MB and a few milliseconds for the ~1,250 EPCI, also in wasm).
//! 4. **Cut** into k classes (4 to 7, [`cut`]), numbered by decreasing mean
//!    of the first variable (ties: larger class first, then the class whose
//!    first territory comes first), so the first variable (the poverty rate
//!    in the default typology) reads down the legend.
//! 5. **Profiles and labels**: each class's mean z-score per variable and a
//!    French label generated from it ([`label_classes`]).
//!
//! Everything is deterministic: the same territories and variables give the
//! same classes, numbers and labels, natively and in wasm (no randomness,
//! no hashing, ties broken by index, the floating-point operations run in
//! one fixed order).

use std::fmt;

use serde::Serialize;

use crate::pack::{IndicatorRef, Pack, TerritoryRef};
use crate::schema::{self, IndicatorKind, Status};

/// Fewest classes a typology may have: fewer says little a map does not.
pub const MIN_CLASSES: usize = 4;
/// Most classes: beyond 7 colours a map legend is no longer readable.
pub const MAX_CLASSES: usize = 7;
/// A class mean below this many standard deviations (in absolute value) is
/// "close to the average" and does not enter the class's label.
pub const NEAR_AVERAGE: f64 = 0.5;

/// A class of a computed typology.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassSummary {
    pub label: String,
    /// Mean standardised value of each variable.
    pub profile: Vec<f64>,
    pub size: usize,
}

/// A variable of a computed typology, with the mean and standard deviation
/// used to standardise it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariableSummary {
    /// Index into the pack's indicators.
    pub indicator: u32,
    pub id: String,
    pub label: String,
    pub year: u16,
    /// Mean over the classified territories (indicator's unit).
    pub mean: f64,
    /// Population standard deviation over the classified territories.
    pub sd: f64,
}

/// A territory left out of the typology, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unclassified {
    /// Territory index.
    pub territory: u32,
    /// The variables (indices into [`TypologyResult::variables`]) it has no
    /// usable value for, with the status it has instead.
    pub missing: Vec<(usize, Status)>,
}

/// A computed typology.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypologyResult {
    pub variables: Vec<VariableSummary>,
    pub classes: Vec<ClassSummary>,
    /// Classified territories (indices, increasing).
    pub territories: Vec<u32>,
    /// Class (index into `classes`) of each classified territory.
    pub class_of: Vec<usize>,
    /// Territories asked for but missing a variable, by increasing index.
    pub unclassified: Vec<Unclassified>,
    /// Share of the total inertia between classes (R², 0 to 1): how much of
    /// the differences between territories the classes account for.
    pub between_share: f64,
}

impl TypologyResult {
    /// The class of a territory, `None` if it is not classified.
    pub fn class_of_territory(&self, territory: u32) -> Option<usize> {
        self.territories.binary_search(&territory).ok().map(|i| self.class_of[i])
    }

    /// The pack form, as the builder stores it.
    pub fn to_schema(&self, id: &str, label: &str, method: &str) -> schema::Typology {
        schema::Typology {
            id: id.to_string(),
            label: label.to_string(),
            method: method.to_string(),
            variables: self
                .variables
                .iter()
                .map(|v| schema::TypologyVariable { indicator: v.indicator, year: v.year })
                .collect(),
            classes: self
                .classes
                .iter()
                .map(|c| schema::TypologyClass {
                    label: c.label.clone(),
                    profile: c.profile.clone(),
                    size: c.size as u32,
                })
                .collect(),
            territories: self.territories.clone(),
            // At most MAX_CLASSES (7) classes: always fits.
            class_of: self.class_of.iter().map(|c| *c as u8).collect(),
        }
    }
}

/// Why a typology could not be computed. Messages are in French: the page
/// shows them as they are.
#[derive(Debug, Clone, PartialEq)]
pub enum TypologyError {
    ClassCount(usize),
    NoVariables,
    UnknownIndicator(String),
    /// A class code (the density-grid level) has no meaningful mean.
    NotNumeric(String),
    NoData {
        indicator: String,
        year: u16,
    },
    /// The indicator has no figures at all in this pack.
    NoSeries(String),
    DuplicateVariable {
        indicator: String,
        year: u16,
    },
    TooFewTerritories {
        classified: usize,
        classes: usize,
        unclassified: usize,
    },
    /// Every classified territory has the same value: it cannot be
    /// standardised and separates nothing.
    Constant {
        indicator: String,
        year: u16,
    },
}

impl fmt::Display for TypologyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypologyError::ClassCount(k) => write!(
                f,
                "nombre de classes invalide : {k} (une typologie compte de {MIN_CLASSES} à {MAX_CLASSES} classes)"
            ),
            TypologyError::NoVariables => write!(f, "choisissez au moins une variable pour la typologie"),
            TypologyError::UnknownIndicator(id) => write!(f, "indicateur inconnu : « {id} »"),
            TypologyError::NotNumeric(label) => {
                write!(
                    f,
                    "« {label} » est un code de classe, pas une mesure : il ne peut pas entrer dans une typologie"
                )
            }
            TypologyError::NoData { indicator, year } => {
                write!(f, "« {indicator} » n'a pas de données pour l'année {year}")
            }
            TypologyError::NoSeries(indicator) => write!(f, "« {indicator} » n'a aucune donnée dans ce pack"),
            TypologyError::DuplicateVariable { indicator, year } => {
                write!(f, "la variable « {indicator} » ({year}) est choisie deux fois")
            }
            TypologyError::TooFewTerritories { classified, classes, unclassified } => {
                write!(f, "trop peu de territoires pour {classes} classes : {classified} territoire")?;
                write!(f, "{} toutes les variables", if *classified > 1 { "s ont" } else { " a" })?;
                if *unclassified > 0 {
                    write!(
                        f,
                        " ({unclassified} non classé{} faute de données)",
                        if *unclassified > 1 { "s" } else { "" }
                    )?;
                }
                Ok(())
            }
            TypologyError::Constant { indicator, year } => write!(
                f,
                "« {indicator} » ({year}) a la même valeur pour tous les territoires : elle ne distingue aucune classe"
            ),
        }
    }
}

impl std::error::Error for TypologyError {}

/// Resolves variables given by indicator id, with a year or (`None`) the
/// indicator's latest year.
pub fn resolve<'a>(
    pack: &'a Pack,
    variables: &[(&str, Option<u16>)],
) -> Result<Vec<(IndicatorRef<'a>, u16)>, TypologyError> {
    variables
        .iter()
        .map(|(id, year)| {
            let ind = pack.indicator(id).map_err(|_| TypologyError::UnknownIndicator(id.to_string()))?;
            let year = match year {
                Some(y) => *y,
                None => *pack.years(ind).last().ok_or_else(|| TypologyError::NoSeries(ind.label().to_string()))?,
            };
            Ok((ind, year))
        })
        .collect()
}

/// Computes a typology of `territories` (duplicates ignored) on
/// `variables` in `k` classes. See the module documentation for the method.
pub fn compute(
    pack: &Pack,
    territories: &[TerritoryRef<'_>],
    variables: &[(IndicatorRef<'_>, u16)],
    k: usize,
) -> Result<TypologyResult, TypologyError> {
    if !(MIN_CLASSES..=MAX_CLASSES).contains(&k) {
        return Err(TypologyError::ClassCount(k));
    }
    if variables.is_empty() {
        return Err(TypologyError::NoVariables);
    }
    for (i, (ind, year)) in variables.iter().enumerate() {
        if ind.kind() == IndicatorKind::Class {
            return Err(TypologyError::NotNumeric(ind.label().to_string()));
        }
        if variables[..i].iter().any(|(o, y)| o.index == ind.index && y == year) {
            return Err(TypologyError::DuplicateVariable { indicator: ind.label().to_string(), year: *year });
        }
        if !pack.years(*ind).contains(year) {
            return Err(TypologyError::NoData { indicator: ind.label().to_string(), year: *year });
        }
    }
    let mut order: Vec<TerritoryRef<'_>> = territories.to_vec();
    crate::sort::by(&mut order, |a, b| a.index.cmp(&b.index));
    order.dedup_by_key(|t| t.index);

    // Values, row-major (territory × variable), of the territories that
    // have all of them.
    let p = variables.len();
    let mut data: Vec<f64> = Vec::with_capacity(order.len() * p);
    let mut classified: Vec<u32> = Vec::with_capacity(order.len());
    let mut unclassified = Vec::new();
    let mut row = Vec::with_capacity(p);
    for t in &order {
        row.clear();
        let mut missing = Vec::new();
        for (j, (ind, year)) in variables.iter().enumerate() {
            let obs = pack.value(*t, *ind, *year).expect("series checked above");
            match (obs.status, obs.value) {
                (Status::Value | Status::Approximate | Status::BottomCoded, Some(v)) => row.push(v),
                (status, _) => missing.push((j, status)),
            }
        }
        if missing.is_empty() {
            data.extend_from_slice(&row);
            classified.push(t.index);
        } else {
            unclassified.push(Unclassified { territory: t.index, missing });
        }
    }
    let n = classified.len();
    if n < k {
        return Err(TypologyError::TooFewTerritories { classified: n, classes: k, unclassified: unclassified.len() });
    }

    let moments = standardise(&mut data, p);
    let mut summaries = Vec::with_capacity(p);
    for ((ind, year), (mean, sd)) in variables.iter().zip(&moments) {
        // Relative test: a spread that is rounding noise around the mean
        // is no spread.
        if *sd <= 1e-12 * mean.abs().max(1.0) {
            return Err(TypologyError::Constant { indicator: ind.label().to_string(), year: *year });
        }
        summaries.push(VariableSummary {
            indicator: ind.index,
            id: ind.id().to_string(),
            label: ind.label().to_string(),
            year: *year,
            mean: *mean,
            sd: *sd,
        });
    }

    let merges = ward(&data, p);
    let raw = cut(&merges, n, k);
    let (class_of, mut classes) = profiles(&data, p, &raw, k);
    let nouns: Vec<Noun> = variables.iter().map(|(ind, _)| noun(ind.id(), ind.label())).collect();
    let labels = label_classes(&classes.iter().map(|c| c.profile.clone()).collect::<Vec<_>>(), &nouns);
    for (c, l) in classes.iter_mut().zip(labels) {
        c.label = l;
    }
    let between_share = between_share(&data, p, &class_of, &classes);
    Ok(TypologyResult { variables: summaries, classes, territories: classified, class_of, unclassified, between_share })
}

/// Standardises each column of `data` (row-major, `p` columns) in place to
/// z-scores with the population standard deviation; returns each column's
/// (mean, sd). A column with sd 0 is left centred (all zeros).
pub fn standardise(data: &mut [f64], p: usize) -> Vec<(f64, f64)> {
    let n = data.len().checked_div(p).unwrap_or(0);
    let mut out = Vec::with_capacity(p);
    for j in 0..p {
        let mean = (0..n).map(|i| data[i * p + j]).sum::<f64>() / n as f64;
        // Two passes: numerically safer than Σx² − n·mean².
        let var = (0..n).map(|i| (data[i * p + j] - mean).powi(2)).sum::<f64>() / n as f64;
        let sd = var.sqrt();
        for i in 0..n {
            let x = &mut data[i * p + j];
            *x = if sd > 0.0 { (*x - mean) / sd } else { 0.0 };
        }
        out.push((mean, sd));
    }
    out
}

/// One merge of the dendrogram, in the usual linkage-matrix convention:
/// clusters `0..n` are the points, cluster `n + i` is the one made by
/// merge `i`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Merge {
    /// The smaller of the two cluster ids merged.
    pub left: usize,
    pub right: usize,
    /// Ward's criterion: the increase in within-class sum of squares the
    /// merge causes, `nA·nB / (nA + nB) · ‖cA − cB‖²`. They add up to the
    /// total sum of squares.
    pub height: f64,
    /// Points in the merged cluster.
    pub size: usize,
}

/// Exact Ward clustering of `n = data.len() / p` points (row-major): the
/// `n − 1` merges by increasing height (ties keep the order found).
///
/// Nearest-neighbour chain (Murtagh 1983; Müllner 2011): follow nearest
/// neighbours from a cluster until two clusters are each other's nearest
/// (reciprocal), merge them, and carry on from the rest of the chain.
/// Ward's criterion is reducible, so this gives the same tree as the greedy
/// algorithm that always merges the globally closest pair, in O(n²) time
/// instead of O(n³). Dissimilarities are kept as `d = 2Δ` (for two points,
/// the squared Euclidean distance) and updated by Lance–Williams:
/// `d(i∪j, k) = ((ni + nk) d(i,k) + (nj + nk) d(j,k) − nk d(i,j)) / (ni + nj + nk)`.
///
/// Ties: a nearest neighbour is the chain's previous cluster when it is at
/// the minimum distance (which guarantees progress), else the one with the
/// smallest index; so equal inputs always give equal trees.
pub fn ward(data: &[f64], p: usize) -> Vec<Merge> {
    let n = data.len().checked_div(p).unwrap_or(0);
    if n < 2 {
        return Vec::new();
    }
    // Condensed upper triangle (half the memory of a square matrix: 6 MB
    // for 1,250 points): pair (i, j), i < j, at i(2n − i − 1)/2 + j − i − 1,
    // the part depending on i precomputed (wrapping: it is "negative" for
    // i = 0, the sum never is) so a lookup costs one addition.
    let row: Vec<usize> = (0..n).map(|i| (i * (2 * n - i - 1) / 2).wrapping_sub(i + 1)).collect();
    let at = |i: usize, j: usize| -> usize {
        let (i, j) = if i < j { (i, j) } else { (j, i) };
        row[i].wrapping_add(j)
    };
    let mut d = vec![0f64; n * (n - 1) / 2];
    for i in 0..n {
        let xi = &data[i * p..(i + 1) * p];
        for j in i + 1..n {
            let xj = &data[j * p..(j + 1) * p];
            d[at(i, j)] = xi.iter().zip(xj).map(|(a, b)| (a - b) * (a - b)).sum();
        }
    }
    let mut size = vec![1usize; n];
    // Active clusters, increasing: scanning only these keeps each nearest-
    // neighbour search proportional to what is left.
    let mut active: Vec<usize> = (0..n).collect();
    let mut found: Vec<(usize, usize, f64)> = Vec::with_capacity(n - 1);
    let mut chain: Vec<usize> = Vec::with_capacity(n);
    while active.len() > 1 {
        if chain.is_empty() {
            chain.push(active[0]);
        }
        let (a, b) = loop {
            let a = chain[chain.len() - 1];
            let prev = (chain.len() >= 2).then(|| chain[chain.len() - 2]);
            let (mut best, mut best_d) = match prev {
                Some(q) => (q, d[at(a, q)]),
                None => (usize::MAX, f64::INFINITY),
            };
            for &c in &active {
                if c != a {
                    let dc = d[at(a, c)];
                    if dc < best_d {
                        best = c;
                        best_d = dc;
                    }
                }
            }
            if Some(best) == prev {
                chain.truncate(chain.len() - 2);
                break (a, best);
            }
            chain.push(best);
        };
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let dab = d[at(lo, hi)];
        found.push((lo, hi, dab));
        let (ni, nj) = (size[lo] as f64, size[hi] as f64);
        for &c in &active {
            if c == lo || c == hi {
                continue;
            }
            let nc = size[c] as f64;
            let v = ((ni + nc) * d[at(lo, c)] + (nj + nc) * d[at(hi, c)] - nc * dab) / (ni + nj + nc);
            // Rounding could make a near-zero dissimilarity negative.
            d[at(lo, c)] = v.max(0.0);
        }
        size[lo] += size[hi];
        let pos = active.binary_search(&hi).expect("merged cluster is active");
        active.remove(pos);
    }
    // The chain finds merges out of height order: sort them (stable, so a
    // merge stays after the ones that built its clusters even at equal
    // height: Ward has no inversions), then name clusters the linkage way
    // with a union-find over the slots.
    crate::sort::by(&mut found, |x, y| x.2.total_cmp(&y.2));
    let mut parent: Vec<usize> = (0..2 * n - 1).collect();
    let mut sizes = vec![1usize; 2 * n - 1];
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    found
        .iter()
        .enumerate()
        .map(|(m, &(a, b, dab))| {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            let id = n + m;
            parent[ra] = id;
            parent[rb] = id;
            sizes[id] = sizes[ra] + sizes[rb];
            Merge { left: ra.min(rb), right: ra.max(rb), height: dab / 2.0, size: sizes[id] }
        })
        .collect()
}

/// Cuts a dendrogram of `n` points into `k` clusters (applies its first
/// `n − k` merges). Returns each point's cluster, numbered by first
/// appearance (point 0 is in cluster 0).
pub fn cut(merges: &[Merge], n: usize, k: usize) -> Vec<usize> {
    let k = k.clamp(1, n.max(1));
    let mut parent: Vec<usize> = (0..n + merges.len()).collect();
    for (m, merge) in merges.iter().take(n - k).enumerate() {
        parent[merge.left] = n + m;
        parent[merge.right] = n + m;
    }
    let mut label = vec![usize::MAX; parent.len()];
    let mut next = 0;
    (0..n)
        .map(|i| {
            let mut r = i;
            while parent[r] != r {
                r = parent[r];
            }
            if label[r] == usize::MAX {
                label[r] = next;
                next += 1;
            }
            label[r]
        })
        .collect()
}

/// Renumbers clusters by the stable rule (decreasing mean of the first
/// variable, then larger first, then first member first) and computes
/// their profiles and sizes. Labels are filled in later.
fn profiles(z: &[f64], p: usize, raw: &[usize], k: usize) -> (Vec<usize>, Vec<ClassSummary>) {
    let mut sums = vec![vec![0f64; p]; k];
    let mut sizes = vec![0usize; k];
    for (i, c) in raw.iter().enumerate() {
        sizes[*c] += 1;
        for j in 0..p {
            sums[*c][j] += z[i * p + j];
        }
    }
    let means: Vec<Vec<f64>> =
        sums.iter().zip(&sizes).map(|(s, n)| s.iter().map(|v| v / *n as f64).collect()).collect();
    // Raw clusters are numbered by first appearance, so the raw number is
    // the "first member first" tie-break.
    let mut order: Vec<usize> = (0..k).collect();
    crate::sort::indices(&mut order, &|a, b| {
        means[b][0].total_cmp(&means[a][0]).then(sizes[b].cmp(&sizes[a])).then(a.cmp(&b))
    });
    let mut rank = vec![0; k];
    for (r, c) in order.iter().enumerate() {
        rank[*c] = r;
    }
    let classes = order
        .iter()
        .map(|c| ClassSummary { label: String::new(), profile: means[*c].clone(), size: sizes[*c] })
        .collect();
    (raw.iter().map(|c| rank[*c]).collect(), classes)
}

fn between_share(z: &[f64], p: usize, class_of: &[usize], classes: &[ClassSummary]) -> f64 {
    let total: f64 = z.iter().map(|v| v * v).sum();
    let within: f64 = class_of
        .iter()
        .enumerate()
        .map(|(i, c)| (0..p).map(|j| (z[i * p + j] - classes[*c].profile[j]).powi(2)).sum::<f64>())
        .sum();
    if total > 0.0 {
        1.0 - within / total
    } else {
        0.0
    }
}

// ---- labels ---------------------------------------------------------------

/// A French noun phrase naming a variable in a class label, with what the
/// adjective must agree with.
#[derive(Debug, Clone, PartialEq)]
pub struct Noun {
    /// Lower case, as it reads inside a label ("pauvreté").
    pub text: String,
    pub feminine: bool,
    pub plural: bool,
}

/// The noun naming an indicator in labels: a short name for the usual
/// typology variables, else the indicator's own label, its gender and
/// number guessed from its head word.
pub fn noun(id: &str, label: &str) -> Noun {
    let known = |text: &str, feminine: bool, plural: bool| Noun { text: text.to_string(), feminine, plural };
    match id {
        "taux_pauvrete" => known("pauvreté", true, false),
        "d1" => known("revenus des plus modestes", false, true),
        "d9" => known("revenus des plus aisés", false, true),
        "revenu_median" => known("niveau de vie médian", false, false),
        "part_minima_sociaux" => known("poids des minima sociaux", false, false),
        "part_prestations_sociales" => known("poids des prestations sociales", false, false),
        "taux_chomage" => known("chômage", false, false),
        "part_jeunes_non_inseres" => known("non-insertion des jeunes", true, false),
        "rapport_interdecile" | "gini" | "s80s20" => known("inégalités de revenus", true, true),
        "evolution_population" => known("croissance démographique", true, false),
        "taux_vacance" => known("vacance des logements", true, false),
        "part_menages_imposes" => known("part de ménages imposés", true, false),
        "taux_activite" => known("activité", true, false),
        "densite" => known("densité", true, false),
        "part_pensions" => known("poids des retraites", false, false),
        "part_residences_secondaires" => known("résidences secondaires", true, true),
        _ => {
            let text = if label.is_empty() { id.to_string() } else { crate::format::uncapitalise(label) };
            let head = text.split([' ', '\'', '’']).next().unwrap_or("").to_string();
            // Heads of the catalogue's labels that are feminine; every
            // other head word is masculine ("taux", "niveau", "rapport"…).
            const FEMININE: [&str; 12] = [
                "part",
                "population",
                "évolution",
                "densité",
                "superficie",
                "intensité",
                "personnes",
                "familles",
                "résidences",
                "naissances",
                "femmes",
                "grille",
            ];
            let feminine = FEMININE.contains(&head.as_str());
            let plural = (head.ends_with('s') || head.ends_with('x')) && !matches!(head.as_str(), "taux" | "prix");
            Noun { text, feminine, plural }
        }
    }
}

/// "élevé", "élevées", "faible"… agreeing with `feminine` and `plural`.
fn adjective(high: bool, feminine: bool, plural: bool) -> String {
    let mut a = String::from(if high { "élevé" } else { "faible" });
    if high && feminine {
        a.push('e');
    }
    if plural {
        a.push('s');
    }
    a
}

/// "pauvreté et chômage élevés": same-direction nouns share one adjective,
/// plural, masculine unless all are feminine.
fn group(nouns: &[&Noun], high: bool, hedge: bool) -> String {
    let names: Vec<&str> = nouns.iter().map(|n| n.text.as_str()).collect();
    let list = match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        m => format!("{} et {}", names[..m - 1].join(", "), names[m - 1]),
    };
    let (feminine, plural) =
        if nouns.len() == 1 { (nouns[0].feminine, nouns[0].plural) } else { (nouns.iter().all(|n| n.feminine), true) };
    let adj = adjective(high, feminine, plural);
    if hedge {
        format!("{list} plutôt {adj}")
    } else {
        format!("{list} {adj}")
    }
}

fn capitalise(s: &str) -> String {
    crate::format::capitalise(s)
}

/// The label of one profile using its `m` most marked variables (|mean| ≥
/// [`NEAR_AVERAGE`], largest first, ties by variable order), grouped by
/// direction in order of appearance. A profile with none is « Profil proche
/// de la moyenne », followed, when `m > 0` is needed to tell it apart, by
/// its `m` most marked variables "plutôt élevé(e)s / faibles".
fn describe(profile: &[f64], nouns: &[Noun], m: usize) -> String {
    let mut order: Vec<usize> = (0..profile.len()).collect();
    crate::sort::indices(&mut order, &|a, b| profile[b].abs().total_cmp(&profile[a].abs()).then(a.cmp(&b)));
    let marked: Vec<usize> = order.iter().copied().filter(|j| profile[*j].abs() >= NEAR_AVERAGE).collect();
    let (picked, hedge, prefix) = if marked.is_empty() {
        (order.iter().copied().take(m.saturating_sub(2)).collect::<Vec<_>>(), true, "Profil proche de la moyenne")
    } else {
        (marked.iter().copied().take(m).collect(), false, "")
    };
    // Directions in order of first appearance.
    let mut parts: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    for j in &picked {
        let high = profile[*j] >= 0.0;
        if seen.contains(&high) {
            continue;
        }
        seen.push(high);
        let same: Vec<&Noun> = picked.iter().filter(|i| (profile[**i] >= 0.0) == high).map(|i| &nouns[*i]).collect();
        parts.push(group(&same, high, hedge));
    }
    let body = parts.join(", ");
    match (prefix.is_empty(), body.is_empty()) {
        (true, _) => capitalise(&body),
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}, {body}"),
    }
}

/// French labels for class profiles (mean z-scores, one per variable,
/// named by `nouns`), unique within the typology.
///
/// Each class is named by its two most marked variables (|mean| ≥ 0.5),
/// or « Profil proche de la moyenne » when none is. Classes that would
/// share a label get one more variable at a time until they differ (for
/// near-average classes, their most marked ones "plutôt …"); a label still
/// shared after all variables is numbered « (2) », « (3) » in class order.
pub fn label_classes(profiles: &[Vec<f64>], nouns: &[Noun]) -> Vec<String> {
    let k = profiles.len();
    let p = nouns.len();
    let mut depth = vec![2usize; k];
    let mut labels: Vec<String> = profiles.iter().map(|pr| describe(pr, nouns, 2)).collect();
    loop {
        let mut changed = false;
        for c in 0..k {
            let clash = (0..k).any(|o| o != c && labels[o] == labels[c]);
            if clash && depth[c] < p + 2 {
                depth[c] += 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        // Depth is bounded, so this ends even when more depth adds nothing
        // (fewer marked variables than the depth).
        labels = (0..k).map(|c| describe(&profiles[c], nouns, depth[c])).collect();
    }
    let mut out = labels.clone();
    for c in 0..k {
        let same: Vec<usize> = (0..k).filter(|o| labels[*o] == labels[c]).collect();
        if same.len() > 1 {
            let rank = same.iter().position(|o| *o == c).expect("c is in its own group") + 1;
            if rank > 1 {
                out[c] = format!("{} ({rank})", labels[c]);
            }
        }
    }
    out
}
