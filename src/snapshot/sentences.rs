//! Every French sentence of the snapshot, in one place: names with their
//! articles ("de la Loire-Atlantique", "du Maine-et-Loire", "des Pays de la
//! Loire", "de Nantes Métropole"), differences in points for rates and in
//! relative % for amounts, and the years of both figures whenever they
//! differ. A figure without a comparable value gives no comparison (never a
//! difference computed against a zero that stands for "missing").

use crate::format::number;
use crate::report::Figure;
use crate::schema::{Status, TerritoryKind};
use crate::TerritoryRef;

/// The article a name takes in running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Article {
    /// "le Maine-et-Loire"
    Le,
    /// "la Loire-Atlantique"
    La,
    /// "l'Ain"
    L,
    /// "les Pays de la Loire"
    Les,
    /// No article: "Paris", "Nantes Métropole", "Mayotte".
    None,
}

/// A territory as sentences name it.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub kind: TerritoryKind,
    pub code: String,
}

/// Articles of the 101 départements, by code.
const DEPARTEMENTS: [(&str, Article); 101] = {
    use Article::*;
    [
        ("01", L),
        ("02", L),
        ("03", L),
        ("04", Les),
        ("05", Les),
        ("06", Les),
        ("07", L),
        ("08", Les),
        ("09", L),
        ("10", L),
        ("11", L),
        ("12", L),
        ("13", Les),
        ("14", Le),
        ("15", Le),
        ("16", La),
        ("17", La),
        ("18", Le),
        ("19", La),
        ("2A", La),
        ("2B", La),
        ("21", La),
        ("22", Les),
        ("23", La),
        ("24", La),
        ("25", Le),
        ("26", La),
        ("27", L),
        ("28", L),
        ("29", Le),
        ("30", Le),
        ("31", La),
        ("32", Le),
        ("33", La),
        ("34", L),
        ("35", L),
        ("36", L),
        ("37", L),
        ("38", L),
        ("39", Le),
        ("40", Les),
        ("41", Le),
        ("42", La),
        ("43", La),
        ("44", La),
        ("45", Le),
        ("46", Le),
        ("47", Le),
        ("48", La),
        ("49", Le),
        ("50", La),
        ("51", La),
        ("52", La),
        ("53", La),
        ("54", La),
        ("55", La),
        ("56", Le),
        ("57", La),
        ("58", La),
        ("59", Le),
        ("60", L),
        ("61", L),
        ("62", Le),
        ("63", Le),
        ("64", Les),
        ("65", Les),
        ("66", Les),
        ("67", Le),
        ("68", Le),
        ("69", Le),
        ("70", La),
        ("71", La),
        ("72", La),
        ("73", La),
        ("74", La),
        ("75", None),
        ("76", La),
        ("77", La),
        ("78", Les),
        ("79", Les),
        ("80", La),
        ("81", Le),
        ("82", Le),
        ("83", Le),
        ("84", Le),
        ("85", La),
        ("86", La),
        ("87", La),
        ("88", Les),
        ("89", L),
        ("90", Le),
        ("91", L),
        ("92", Les),
        ("93", La),
        ("94", Le),
        ("95", Le),
        ("971", La),
        ("972", La),
        ("973", La),
        ("974", None),
        ("976", None),
    ]
};

/// Articles of the 18 régions, by code ("La Réunion" carries its own).
const REGIONS: [(&str, Article); 18] = {
    use Article::*;
    [
        ("01", La),
        ("02", La),
        ("03", La),
        ("04", None),
        ("06", None),
        ("11", L),
        ("24", Le),
        ("27", La),
        ("28", La),
        ("32", Les),
        ("44", Le),
        ("52", Les),
        ("53", La),
        ("75", La),
        ("76", L),
        ("84", L),
        ("93", La),
        ("94", La),
    ]
};

impl Place {
    pub fn of(t: TerritoryRef<'_>) -> Place {
        Place { name: t.name().to_string(), kind: t.kind(), code: t.code().to_string() }
    }

    /// The article the name takes.
    pub fn article(&self) -> Article {
        let table: &[(&str, Article)] = match self.kind {
            TerritoryKind::Departement => &DEPARTEMENTS,
            TerritoryKind::Region => &REGIONS,
            TerritoryKind::Country => return Article::La,
            // "la Communauté de communes du Pays Sabolien", "la Métropole
            // du Grand Paris"; "Nantes Métropole" and "Redon Agglomération"
            // as they are.
            TerritoryKind::Epci => {
                let first = self.name.split([' ', '-']).next().unwrap_or("");
                return if matches!(first, "Communauté" | "Métropole" | "Eurométropole") {
                    Article::La
                } else {
                    Article::None
                };
            }
            TerritoryKind::Commune => return Article::None,
        };
        table.iter().find(|(c, _)| *c == self.code).map(|(_, a)| *a).unwrap_or(Article::None)
    }

    /// With its article, not starting a sentence: "la Loire-Atlantique",
    /// "l'Ain", "Nantes Métropole".
    pub fn nom(&self) -> String {
        match self.article() {
            Article::Le => format!("le {}", self.name),
            Article::La => format!("la {}", self.name),
            Article::L => format!("l'{}", self.name),
            Article::Les => format!("les {}", self.name),
            Article::None => self.name.clone(),
        }
    }

    /// "de la Loire-Atlantique", "du Maine-et-Loire", "des Pays de la
    /// Loire", "de l'Ain", "de Nantes Métropole", "du Mans" for "Le Mans".
    pub fn de(&self) -> String {
        self.with("de", "du", "des", "d'")
    }

    /// "à la Loire-Atlantique", "au Maine-et-Loire", "aux Pays de la Loire".
    pub fn a(&self) -> String {
        self.with("à", "au", "aux", "à ")
    }

    fn with(&self, plain: &str, masc: &str, plural: &str, elided: &str) -> String {
        match self.article() {
            Article::Le => format!("{masc} {}", self.name),
            Article::La => format!("{plain} la {}", self.name),
            Article::L => format!("{plain} l'{}", self.name),
            Article::Les => format!("{plural} {}", self.name),
            Article::None => {
                // A name carrying its own article: "Le Mans Métropole",
                // "Les Herbiers"; "La Réunion" keeps it ("de La Réunion").
                if let Some(rest) = self.name.strip_prefix("Le ") {
                    format!("{masc} {rest}")
                } else if let Some(rest) = self.name.strip_prefix("Les ") {
                    format!("{plural} {rest}")
                } else if elided.ends_with(' ') || self.name.starts_with(['A', 'E', 'I', 'O', 'U', 'É', 'Î']) {
                    // "d'Angers Loire Métropole", "à Angers Loire Métropole".
                    format!("{elided}{}", self.name)
                } else {
                    format!("{plain} {}", self.name)
                }
            }
        }
    }
}

/// What a sentence talks about: "le taux de pauvreté" (masculine) or "la
/// part des 75 ans ou plus" (feminine), lower case.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub text: &'static str,
    pub feminine: bool,
}

pub const fn le(text: &'static str) -> Subject {
    Subject { text, feminine: false }
}

pub const fn la(text: &'static str) -> Subject {
    Subject { text, feminine: true }
}

impl Subject {
    fn pronoun(&self) -> &'static str {
        if self.feminine {
            "celle"
        } else {
            "celui"
        }
    }
    fn agree(&self, adjective: &str) -> String {
        if self.feminine {
            format!("{adjective}e")
        } else {
            adjective.to_string()
        }
    }
}

fn capitalize(s: &str) -> String {
    crate::format::capitalise(s)
}

/// "1er", "2e", "23e".
pub fn ordinal(n: usize) -> String {
    if n == 1 {
        "1er".to_string()
    } else {
        format!("{n}e")
    }
}

/// "0,4 point", "1,9 point", "2,3 points" (French: plural from 2).
pub fn points(d: f64) -> String {
    let d = (d.abs() * 10.0).round() / 10.0;
    format!("{}{}point{}", number(d, 1), crate::format::NBSP, if d >= 2.0 { "s" } else { "" })
}

/// How two figures compare.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// Rates and shares: difference in points.
    Points,
    /// Amounts and counts: relative difference in %.
    Relative,
    /// Ratios and indices: the two values side by side.
    Plain,
}

fn mode(f: &Figure) -> Mode {
    match f.unit {
        "%" => Mode::Points,
        "ratio" | "indice" | "classe" | "rang" | "hab./km²" => Mode::Plain,
        _ => Mode::Relative,
    }
}

/// A number that may be compared: a value or an order of magnitude of the
/// same kind. Partial figures (part of the territory), bottom-coded,
/// secret and missing ones are not.
fn comparable(f: &Figure) -> Option<f64> {
    match f.status {
        Status::Value | Status::Approximate => f.value,
        _ => None,
    }
}

/// Rounded as displayed, so that the difference matches the figures read.
fn shown(f: &Figure, v: f64) -> f64 {
    let decimals = match f.unit {
        "%" | "ratio" | "km²" | "hab./km²" => 1,
        "indice" => 3,
        _ => 0,
    };
    let p = 10f64.powi(decimals);
    (v * p).round() / p
}

/// The difference of `study` to `reference`: (signed amount, text without
/// sign) in points or in relative %; `None` when not comparable.
fn difference(study: &Figure, reference: &Figure) -> Option<(f64, String)> {
    let (a, b) = (shown(study, comparable(study)?), shown(reference, comparable(reference)?));
    match mode(study) {
        Mode::Points => {
            let d = ((a - b) * 10.0).round() / 10.0;
            Some((d, points(d)))
        }
        Mode::Relative if b != 0.0 => {
            let d = ((a - b) / b.abs() * 1000.0).round() / 10.0;
            Some((d, format!("{}{}%", number(d.abs(), 1), crate::format::NBSP)))
        }
        _ => None,
    }
}

/// "(12,8 %)" or, when the years differ, "(12,8 % en 2021)".
fn paren(f: &Figure, with_year: bool) -> String {
    if with_year {
        format!("({} en {})", f.text, f.year)
    } else {
        format!("({})", f.text)
    }
}

/// A reading sentence comparing the study territory's figure with a
/// reference territory's: "En 2021, le taux de pauvreté (12,8 %) dépasse de
/// 2,3 points celui de la Loire-Atlantique (10,5 %)." When the years differ,
/// both are given: "Le niveau de vie médian (24 950 € en 2021) est
/// supérieur de 8,4 % à celui de la Loire-Atlantique (23 020 € en 2019)."
/// `None` when either figure has no comparable value.
pub fn compare(subject: Subject, study: &Figure, reference: &Figure, place: &Place) -> Option<String> {
    // Counts of territories of different sizes say nothing side by side.
    if study.kind == "count" {
        return None;
    }
    let same_year = study.year == reference.year;
    let (lead, s) = if same_year {
        (format!("En {}, {}", study.year, subject.text), paren(study, false))
    } else {
        (capitalize(subject.text), paren(study, true))
    };
    let r = paren(reference, !same_year);
    let de = place.de();
    let pron = subject.pronoun();
    // A bottom-coded rate is still "at most 5 %": it compares with a
    // published rate above 5 %, without a difference.
    if study.status == Status::BottomCoded || reference.status == Status::BottomCoded {
        let (a, b) = (study.value?, reference.value?);
        if !matches!(study.status, Status::Value | Status::BottomCoded)
            || !matches!(reference.status, Status::Value | Status::BottomCoded)
        {
            return None;
        }
        return if study.status == Status::BottomCoded && reference.status == Status::Value && b > a {
            Some(format!("{lead} {s} est {} à {pron} {de} {r}.", subject.agree("inférieur")))
        } else if reference.status == Status::BottomCoded && study.status == Status::Value && a > b {
            Some(format!("{lead} {s} est {} à {pron} {de} {r}.", subject.agree("supérieur")))
        } else {
            None
        };
    }
    match mode(study) {
        Mode::Plain => {
            comparable(study)?;
            comparable(reference)?;
            Some(if same_year {
                format!("{lead} s'établit à {}, contre {} pour {}.", study.text, reference.text, place.nom())
            } else {
                format!(
                    "{lead} s'établit à {} en {}, contre {} pour {} en {}.",
                    study.text,
                    study.year,
                    reference.text,
                    place.nom(),
                    reference.year
                )
            })
        }
        Mode::Points => {
            let (d, text) = difference(study, reference)?;
            Some(if d > 0.0 {
                format!("{lead} {s} dépasse de {text} {pron} {de} {r}.")
            } else if d < 0.0 {
                format!("{lead} {s} est {} de {text} à {pron} {de} {r}.", subject.agree("inférieur"))
            } else {
                format!("{lead} {s} est {} à {pron} {de} {r}.", subject.agree("égal"))
            })
        }
        Mode::Relative => {
            let (d, text) = difference(study, reference)?;
            Some(if d > 0.0 {
                format!("{lead} {s} est {} de {text} à {pron} {de} {r}.", subject.agree("supérieur"))
            } else if d < 0.0 {
                format!("{lead} {s} est {} de {text} à {pron} {de} {r}.", subject.agree("inférieur"))
            } else {
                format!("{lead} {s} est {} à {pron} {de} {r}.", subject.agree("égal"))
            })
        }
    }
}

/// The short line under a key figure: "+2,3 points par rapport à la
/// Loire-Atlantique", "-3,1 % par rapport au Maine-et-Loire (2019)",
/// "3,1 pour la Loire-Atlantique"; empty when not comparable.
pub fn note(study: &Figure, reference: &Figure, place: &Place) -> String {
    if study.kind == "count" {
        return String::new();
    }
    let year = if study.year == reference.year { String::new() } else { format!(" ({})", reference.year) };
    if mode(study) == Mode::Plain {
        return match (comparable(study), comparable(reference)) {
            (Some(_), Some(_)) => format!("{} pour {}{year}", reference.text, place.nom()),
            _ => String::new(),
        };
    }
    match difference(study, reference) {
        Some((d, text)) => {
            let sign = if d > 0.0 {
                "+"
            } else if d < 0.0 {
                "-"
            } else {
                ""
            };
            if d == 0.0 {
                format!("même valeur que {}{year}", place.nom())
            } else {
                format!("{sign}{text} par rapport {}{year}", place.a())
            }
        }
        None => String::new(),
    }
}

/// The study's figure alone, when no comparison has one: "En 2023, la part
/// des 75 ans ou plus s'établit à 10,4 %."
pub fn state(subject: Subject, f: &Figure) -> Option<String> {
    if f.kind == "count" || !matches!(f.status, Status::Value | Status::Approximate | Status::BottomCoded) {
        return None;
    }
    Some(format!("En {}, {} s'établit à {}.", f.year, subject.text, f.text))
}

/// How a figure changed between two years of the same territory: "Le taux
/// de pauvreté passe de 11,9 % en 2015 à 12,8 % en 2021 (+0,9 point)."
pub fn evolution(subject: Subject, from: &Figure, to: &Figure) -> Option<String> {
    if from.year >= to.year {
        return None;
    }
    let (d, text) = difference(to, from)?;
    let sign = if d > 0.0 {
        "+"
    } else if d < 0.0 {
        "-"
    } else {
        ""
    };
    Some(format!(
        "{} passe de {} en {} à {} en {} ({sign}{text}).",
        capitalize(subject.text),
        from.text,
        from.year,
        to.text,
        to.year
    ))
}

/// Says that a figure of the study territory is missing, and why when the
/// status tells: "Le taux de pauvreté n'est pas disponible pour la
/// Communauté de communes Faucigny-Glières (source limitée aux Pays de la
/// Loire)."; `None` when the figure has a comparable value.
///
/// A partial figure says what it covers: `scope` is "la partie du
/// territoire située dans les Pays de la Loire" for an EPCI crossing the
/// border, "les communes présentes dans la source" otherwise.
pub fn unavailable(subject: Subject, f: &Figure, place: &Place, why: &str) -> Option<String> {
    unavailable_in(subject, f, place, why, PDL_PART)
}

/// The part of an EPCI crossing the région's border that PdL-only sources
/// cover.
pub const PDL_PART: &str = "la partie du territoire située dans les Pays de la Loire";
/// What a partial figure covers for a territory inside the région.
pub const SOURCE_PART: &str = "les communes présentes dans la source";

/// [`unavailable`] with the scope of a partial figure.
pub fn unavailable_in(subject: Subject, f: &Figure, place: &Place, why: &str, scope: &str) -> Option<String> {
    let what = match f.status {
        Status::NotAvailable => "n'est pas disponible",
        Status::Secret => "est couvert par le secret statistique",
        Status::Partial => {
            return Some(format!(
                "{} n'est connu{} que pour {scope} ({}).",
                capitalize(subject.text),
                if subject.feminine { "e" } else { "" },
                f.text.trim_end_matches(" (partiel)")
            ))
        }
        _ => return None,
    };
    let why = if why.is_empty() || f.status != Status::NotAvailable { String::new() } else { format!(" ({why})") };
    Some(format!("{} {what} pour {}{why}.", capitalize(subject.text), place.nom()))
}

/// "Entre 2013 et 2018, la population a augmenté de 7,7 % (+3,1 % pour la
/// Loire-Atlantique)."
pub fn population_change(study: &Figure, reference: Option<(&Figure, &Place)>) -> Option<String> {
    let v = comparable(study)?;
    let verb = if v > 0.0 {
        "a augmenté de"
    } else if v < 0.0 {
        "a diminué de"
    } else {
        "est restée stable :"
    };
    let amount = format!("{}{}%", number(v.abs(), 1), crate::format::NBSP);
    let other = reference
        .and_then(|(r, p)| {
            let w = comparable(r)?;
            let sign = if w > 0.05 { "+" } else { "" };
            Some(format!(" ({sign}{} pour {})", r.text, p.nom()))
        })
        .unwrap_or_default();
    Some(format!("Entre 2013 et {}, la population {verb} {amount}{other}.", study.year))
}

/// "Nantes Métropole se classe 5e sur les 23 EPCI des Pays de la Loire dont
/// le taux de pauvreté 2021 est publié (1er = taux le plus élevé)."
pub fn rank(
    study: &Place,
    rank: usize,
    count: usize,
    group: &str,
    region: Option<&Place>,
    year: u16,
    tie: bool,
) -> String {
    let within = match region {
        Some(r) => format!(" {}", r.de()),
        None => String::new(),
    };
    let ex = if tie { " ex æquo" } else { "" };
    let verb = if study.article() == Article::Les { "se classent" } else { "se classe" };
    format!(
        "{} {verb} {}{ex} sur les {count} {group}{within} dont le taux de pauvreté {year} est publié (1er = taux le plus élevé).",
        capitalize(&study.nom()),
        ordinal(rank)
    )
}

/// Merges source lines that differ only by their final year, so a panel
/// credits "Source : Cnaf, allocataires CAF 2020 à 2024" once instead of
/// five times; non-consecutive years are listed ("Insee, Filosofi 2015,
/// 2016, 2018, 2019 et 2021"). Lines are returned sorted.
pub fn merge_source_lines(lines: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut by_stem: std::collections::BTreeMap<String, Vec<u16>> = std::collections::BTreeMap::new();
    let mut whole: Vec<String> = Vec::new();
    for line in lines {
        let year = line
            .rsplit_once(' ')
            .filter(|(_, y)| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|(stem, y)| Some((stem.to_string(), y.parse::<u16>().ok()?)));
        match year {
            Some((stem, y)) => by_stem.entry(stem).or_default().push(y),
            None => whole.push(line),
        }
    }
    for (stem, mut years) in by_stem {
        crate::sort::by(&mut years, |a, b| a.cmp(b));
        years.dedup();
        let consecutive = years.windows(2).all(|w| w[1] == w[0] + 1);
        let list = match years.as_slice() {
            [one] => one.to_string(),
            [a, b] => format!("{a} et {b}"),
            [first, .., last] if consecutive => format!("{first} à {last}"),
            [init @ .., last] => {
                let head: Vec<String> = init.iter().map(|y| y.to_string()).collect();
                format!("{} et {last}", head.join(", "))
            }
            [] => continue,
        };
        whole.push(format!("{stem} {list}"));
    }
    crate::sort::by(&mut whole, |a, b| a.cmp(b));
    whole
}

#[cfg(test)]
mod tests {

    #[test]
    fn source_lines_merge_by_year() {
        let lines = [
            "Source : Cnaf, allocataires CAF 2021",
            "Source : Cnaf, allocataires CAF 2020",
            "Source : Cnaf, allocataires CAF 2022",
            "Source : Insee, Filosofi 2015",
            "Source : Insee, Filosofi 2016",
            "Source : Insee, Filosofi 2019",
            "Source : Insee, Filosofi 2021",
            "Source : Insee, RP 2018",
            "Source : Insee, RP 2023",
            "Source : Insee, RP, séries historiques 1876-2023",
            "Source : Insee, grille communale de densité 2024",
        ]
        .map(String::from);
        assert_eq!(
            super::merge_source_lines(lines),
            [
                "Source : Cnaf, allocataires CAF 2020 à 2022",
                "Source : Insee, Filosofi 2015, 2016, 2019 et 2021",
                "Source : Insee, RP 2018 et 2023",
                "Source : Insee, RP, séries historiques 1876-2023",
                "Source : Insee, grille communale de densité 2024",
            ]
        );
    }
    use super::*;

    fn place(name: &str, kind: TerritoryKind, code: &str) -> Place {
        Place { name: name.into(), kind, code: code.into() }
    }

    fn fig(value: Option<f64>, status: Status, unit: &'static str, year: u16, text: &str) -> Figure {
        Figure {
            indicator: "x".into(),
            label: "x".into(),
            unit,
            kind: "rate",
            year,
            status,
            status_label: status.label_fr(),
            value,
            numerator: None,
            denominator: None,
            text: text.into(),
            source: "Insee, Filosofi 2021".into(),
            vintage: year.to_string(),
        }
    }

    #[test]
    fn articles_and_prepositions() {
        use TerritoryKind::*;
        let la = place("Loire-Atlantique", Departement, "44");
        assert_eq!(la.de(), "de la Loire-Atlantique");
        assert_eq!(la.a(), "à la Loire-Atlantique");
        assert_eq!(place("Maine-et-Loire", Departement, "49").de(), "du Maine-et-Loire");
        assert_eq!(place("Maine-et-Loire", Departement, "49").a(), "au Maine-et-Loire");
        assert_eq!(place("Pays de la Loire", Region, "52").de(), "des Pays de la Loire");
        assert_eq!(place("Pays de la Loire", Region, "52").a(), "aux Pays de la Loire");
        assert_eq!(place("Pays de la Loire", Region, "52").nom(), "les Pays de la Loire");
        assert_eq!(place("Ille-et-Vilaine", Departement, "35").de(), "de l'Ille-et-Vilaine");
        assert_eq!(place("Île-de-France", Region, "11").a(), "à l'Île-de-France");
        assert_eq!(place("Yvelines", Departement, "78").de(), "des Yvelines");
        assert_eq!(place("Paris", Departement, "75").de(), "de Paris");
        assert_eq!(place("La Réunion", Region, "04").de(), "de La Réunion");
        assert_eq!(place("Mayotte", Departement, "976").a(), "à Mayotte");
        assert_eq!(place("France métropolitaine", Country, "FRM").de(), "de la France métropolitaine");
        assert_eq!(place("Nantes Métropole", Epci, "244400404").de(), "de Nantes Métropole");
        assert_eq!(place("Nantes Métropole", Epci, "244400404").a(), "à Nantes Métropole");
        assert_eq!(place("Le Mans Métropole", Epci, "247200132").de(), "du Mans Métropole");
        assert_eq!(place("Angers Loire Métropole", Epci, "244900015").de(), "d'Angers Loire Métropole");
        assert_eq!(
            place("Communauté de communes du Pays Sabolien", Epci, "247200058").de(),
            "de la Communauté de communes du Pays Sabolien"
        );
        // Every département and région code appears once.
        let mut d: Vec<&str> = DEPARTEMENTS.iter().map(|(c, _)| *c).collect();
        d.sort();
        d.dedup();
        assert_eq!(d.len(), 101);
        let mut r: Vec<&str> = REGIONS.iter().map(|(c, _)| *c).collect();
        r.sort();
        r.dedup();
        assert_eq!(r.len(), 18);
    }

    #[test]
    fn compares_rates_in_points() {
        let la = place("Loire-Atlantique", TerritoryKind::Departement, "44");
        let s = fig(Some(12.8), Status::Value, "%", 2021, "12,8\u{a0}%");
        let r = fig(Some(10.5), Status::Value, "%", 2021, "10,5\u{a0}%");
        assert_eq!(
            compare(le("le taux de pauvreté"), &s, &r, &la).unwrap(),
            "En 2021, le taux de pauvreté (12,8\u{a0}%) dépasse de 2,3\u{a0}points celui de la Loire-Atlantique (10,5\u{a0}%)."
        );
        assert_eq!(note(&s, &r, &la), "+2,3\u{a0}points par rapport à la Loire-Atlantique");
        let r2 = fig(Some(14.0), Status::Value, "%", 2019, "14,0\u{a0}%");
        let m = place("Maine-et-Loire", TerritoryKind::Departement, "49");
        assert_eq!(
            compare(la_("la part des 75 ans ou plus"), &s, &r2, &m).unwrap(),
            "La part des 75 ans ou plus (12,8\u{a0}% en 2021) est inférieure de 1,2\u{a0}point à celle du Maine-et-Loire (14,0\u{a0}% en 2019)."
        );
        assert_eq!(note(&s, &r2, &m), "-1,2\u{a0}point par rapport au Maine-et-Loire (2019)");
        // Rounded as shown: 12.84 vs 10.46 reads 12,8 vs 10,5, so 2,3.
        let a = fig(Some(12.84), Status::Value, "%", 2021, "12,8\u{a0}%");
        let b = fig(Some(10.46), Status::Value, "%", 2021, "10,5\u{a0}%");
        assert!(compare(le("le taux"), &a, &b, &la).unwrap().contains("2,3\u{a0}points"));
        let e = fig(Some(10.5), Status::Value, "%", 2021, "10,5\u{a0}%");
        assert!(compare(le("le taux"), &e, &r, &la).unwrap().contains("est égal à celui"));
    }

    fn la_(text: &'static str) -> Subject {
        la(text)
    }

    #[test]
    fn compares_amounts_in_relative_percent() {
        let la = place("Loire-Atlantique", TerritoryKind::Departement, "44");
        let s = fig(Some(24950.0), Status::Value, "€", 2021, "24\u{a0}950\u{a0}€");
        let r = fig(Some(23020.0), Status::Value, "€", 2019, "23\u{a0}020\u{a0}€");
        assert_eq!(
            compare(le("le niveau de vie médian"), &s, &r, &la).unwrap(),
            "Le niveau de vie médian (24\u{a0}950\u{a0}€ en 2021) est supérieur de 8,4\u{a0}% à celui de la Loire-Atlantique (23\u{a0}020\u{a0}€ en 2019)."
        );
        let p = fig(Some(3.4), Status::Value, "ratio", 2021, "3,4");
        let q = fig(Some(3.1), Status::Value, "ratio", 2021, "3,1");
        assert_eq!(
            compare(le("le rapport interdécile"), &p, &q, &la).unwrap(),
            "En 2021, le rapport interdécile s'établit à 3,4, contre 3,1 pour la Loire-Atlantique."
        );
        let q19 = fig(Some(3.1), Status::Value, "ratio", 2019, "3,1");
        assert_eq!(
            compare(le("le rapport interdécile"), &p, &q19, &la).unwrap(),
            "Le rapport interdécile s'établit à 3,4 en 2021, contre 3,1 pour la Loire-Atlantique en 2019."
        );
        assert_eq!(note(&p, &q19, &la), "3,1 pour la Loire-Atlantique (2019)");
    }

    #[test]
    fn missing_secret_and_bottom_coded_never_compare_as_numbers() {
        let la = place("Loire-Atlantique", TerritoryKind::Departement, "44");
        let s = fig(Some(12.8), Status::Value, "%", 2021, "12,8\u{a0}%");
        let na = fig(None, Status::NotAvailable, "%", 2021, "non disponible");
        let secret = fig(None, Status::Secret, "%", 2021, "secret statistique");
        let partial = fig(Some(12.0), Status::Partial, "%", 2021, "12,0\u{a0}% (partiel)");
        for other in [&na, &secret, &partial] {
            assert_eq!(compare(le("le taux"), &s, other, &la), None);
            assert_eq!(compare(le("le taux"), other, &s, &la), None);
            assert_eq!(note(&s, other, &la), "");
        }
        let low = fig(Some(5.0), Status::BottomCoded, "%", 2021, "≤\u{a0}5\u{a0}%");
        assert_eq!(
            compare(le("le taux de pauvreté"), &low, &s, &la).unwrap(),
            "En 2021, le taux de pauvreté (≤\u{a0}5\u{a0}%) est inférieur à celui de la Loire-Atlantique (12,8\u{a0}%)."
        );
        assert_eq!(note(&low, &s, &la), "");
        let place = place("Communauté de communes Faucigny-Glières", TerritoryKind::Epci, "200000172");
        assert_eq!(
            unavailable(le("le nombre de foyers allocataires"), &na, &place, "source limitée aux Pays de la Loire")
                .unwrap(),
            "Le nombre de foyers allocataires n'est pas disponible pour la Communauté de communes Faucigny-Glières (source limitée aux Pays de la Loire)."
        );
        assert_eq!(unavailable(le("x"), &s, &place, ""), None);
        assert_eq!(
            unavailable(la_("la part des 75 ans ou plus"), &partial, &place, "").unwrap(),
            "La part des 75 ans ou plus n'est connue que pour la partie du territoire située dans les Pays de la Loire (12,0\u{a0}%)."
        );
    }

    #[test]
    fn evolutions_ranks_and_small_words() {
        let a = fig(Some(11.9), Status::Value, "%", 2015, "11,9\u{a0}%");
        let b = fig(Some(12.8), Status::Value, "%", 2021, "12,8\u{a0}%");
        assert_eq!(
            evolution(le("le taux de pauvreté"), &a, &b).unwrap(),
            "Le taux de pauvreté passe de 11,9\u{a0}% en 2015 à 12,8\u{a0}% en 2021 (+0,9\u{a0}point)."
        );
        assert_eq!(
            state(la("la part des 75 ans ou plus"), &b).unwrap(),
            "En 2021, la part des 75 ans ou plus s'établit à 12,8\u{a0}%."
        );
        assert_eq!(ordinal(1), "1er");
        assert_eq!(ordinal(23), "23e");
        assert_eq!(points(2.0), "2,0\u{a0}points");
        assert_eq!(points(-1.95), "2,0\u{a0}points");
        assert_eq!(points(0.4), "0,4\u{a0}point");
        let nm = place("Nantes Métropole", TerritoryKind::Epci, "244400404");
        let pdl = place("Pays de la Loire", TerritoryKind::Region, "52");
        assert!(rank(&pdl, 12, 13, "régions métropolitaines", None, 2019, true)
            .starts_with("Les Pays de la Loire se classent 12e ex æquo sur les 13"));
        assert_eq!(note(&b, &b, &pdl), "même valeur que les Pays de la Loire");
        assert_eq!(
            rank(&nm, 5, 69, "EPCI", Some(&pdl), 2021, false),
            "Nantes Métropole se classe 5e sur les 69 EPCI des Pays de la Loire dont le taux de pauvreté 2021 est publié (1er = taux le plus élevé)."
        );
        let ev = fig(Some(7.7), Status::Value, "%", 2018, "7,7\u{a0}%");
        let la = place("Loire-Atlantique", TerritoryKind::Departement, "44");
        let r = fig(Some(6.5), Status::Value, "%", 2018, "6,5\u{a0}%");
        assert_eq!(
            population_change(&ev, Some((&r, &la))).unwrap(),
            "Entre 2013 et 2018, la population a augmenté de 7,7\u{a0}% (+6,5\u{a0}% pour la Loire-Atlantique)."
        );
    }
}
