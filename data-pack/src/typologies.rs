//! The typologies stored in the pack: the default fragility typology of the
//! EPCI, computed here with the core's own code ([`territoire::typology`])
//! so the page and the builder classify identically.
//!
//! The builder step serialises the pack built so far, loads it back as a
//! [`Pack`] (the same validated view the browser gets), classifies, and
//! returns the [`Typology`] for `PackData.typologies`.

use std::time::Instant;

use territoire::schema::{PackData, Typology};
use territoire::typology::{self, TypologyResult};
use territoire::{Pack, TerritoryKind, TerritoryRef};

use crate::error::{BuildError, Result};

pub const FRAGILITY_ID: &str = "fragilites";
pub const FRAGILITY_LABEL: &str = "Typologie des fragilités des intercommunalités";

/// Five classes: on the seven variables below the share of inertia between
/// classes goes 0.56 (k = 4) → 0.63 (5) → 0.65 (6) → 0.67 (7): the elbow is
/// at 5, and the fifth class is the one that matters, splitting the poorer
/// EPCI into growing ones (low vacancy) and shrinking ones (high vacancy).
/// Beyond 5, classes split the average group into shades a map reader
/// cannot tell apart.
pub const FRAGILITY_CLASSES: usize = 5;

/// The variables (indicator id, year), in the order the classes are
/// described. All are published (or computed) for every EPCI of France
/// métropolitaine; each captures one fragility:
///
/// - `taux_pauvrete` 2021 (FILOSOFI): how widespread monetary poverty is.
///   First, so classes are numbered from the poorest. Bottom-coded "≤ 5 %"
///   rates (18 EPCI, all affluent suburbs) count as 5 %.
/// - `d1` 2021: how low the lowest incomes are (depth rather than extent
///   of poverty; with the poverty rate and the minima it makes monetary
///   poverty the core of the typology, deliberately).
/// - `part_minima_sociaux` 2021: dependence on minimum incomes (RSA, AAH,
///   minimum vieillesse) in disposable income: poverty cushioned by
///   solidarity.
/// - `taux_chomage` 2018 (RP, the only census vintage published for all of
///   France in the sources): exclusion from employment.
/// - `part_jeunes_non_inseres` 2018 (ANCT): young people neither in
///   employment nor in education, the fragility of the next generation.
/// - `evolution_population` 2013–2018 (RP): demographic decline, the
///   territorial fragility that poverty figures miss (shrinking services,
///   ageing, falling tax base).
/// - `taux_vacance` 2018 (RP): vacant dwellings, the housing-market sign of
///   that decline (r = −0.59 with population change, but it tells a
///   declining small town from a growing but poor suburb).
///
/// Left out, and why:
/// - `part_prestations_sociales`: r = 0.95 with the minima, it would count
///   the same thing twice (and family benefits follow family size, not
///   fragility).
/// - `revenu_median`, `part_menages_imposes`: they measure overall
///   affluence (r ≈ 0.75–0.8 with D1 and the poverty rate) rather than
///   fragility.
/// - `rapport_interdecile`, `gini`, `s80s20`: inequality is driven by the
///   top incomes; with it, the rich western suburbs of Paris form a class
///   of their own ("inequality high") that says nothing about fragility.
/// - `part_pensions`: ageing, but mixed up with retirees' affluence.
/// - FILOSOFI poverty by age or tenure: secret for hundreds of EPCI.
/// - CAF recipients, jobseekers, private jobs, RP 2022/2023 figures: the
///   sources cover the Pays de la Loire only, so they cannot enter a
///   France-wide typology.
/// - The density grid: a class code, and a context (urban/rural) rather
///   than a fragility; with it the classes would follow density.
pub const FRAGILITY_VARIABLES: [(&str, u16); 7] = [
    ("taux_pauvrete", 2021),
    ("d1", 2021),
    ("part_minima_sociaux", 2021),
    ("taux_chomage", 2018),
    ("part_jeunes_non_inseres", 2018),
    ("evolution_population", 2018),
    ("taux_vacance", 2018),
];

/// How the method text names each variable: the catalogue's labels are
/// written for a table ("dont minima sociaux" under "Part des prestations
/// sociales"), not for a sentence.
fn variable_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "taux_pauvrete" => "taux de pauvreté au seuil de 60 %",
        "d1" => "1er décile de niveau de vie",
        "part_minima_sociaux" => "part des minima sociaux dans le revenu disponible",
        "taux_chomage" => "taux de chômage des 15-64 ans au sens du recensement",
        "part_jeunes_non_inseres" => "part des 15-24 ans ni en emploi ni en études",
        "evolution_population" => "évolution de la population de 2013 à 2018",
        "taux_vacance" => "taux de vacance des logements",
        _ => return None,
    })
}

/// The EPCI the fragility typology classifies: those of France
/// métropolitaine. The DROM are left out because (1) FILOSOFI 2021 has no
/// figures for 12 of their 23 EPCI (Guyane, Mayotte…), and (2) where it
/// does, their poverty rates (25 to 44 %) and unemployment rates (22 to
/// 52 %) lie far outside the metropolitan range: they would take classes of
/// their own, stretch the standardisation and flatten the metropolitan
/// contrasts the typology is for. They deserve their own typology.
pub fn fragility_territories(pack: &Pack) -> Vec<TerritoryRef<'_>> {
    pack.territories_of_kind(TerritoryKind::Epci).filter(|t| t.metro()).collect()
}

/// Computes the default fragility typology of a pack.
pub fn fragility(pack: &Pack) -> std::result::Result<TypologyResult, typology::TypologyError> {
    let variables: Vec<(&str, Option<u16>)> = FRAGILITY_VARIABLES.iter().map(|(id, y)| (*id, Some(*y))).collect();
    let variables = typology::resolve(pack, &variables)?;
    typology::compute(pack, &fragility_territories(pack), &variables, FRAGILITY_CLASSES)
}

/// "1 223", grouped the way the page writes numbers.
fn thousands(n: usize) -> String {
    territoire::format::number(n as f64, 0)
}

/// The French text of the sources and methods page.
pub fn method_text(pack: &Pack, r: &TypologyResult) -> String {
    let vars: Vec<String> = r
        .variables
        .iter()
        .map(|v| {
            let source = pack
                .indicator(&v.id)
                .ok()
                .and_then(|ind| pack.value(pack.territory(r.territories[0])?, ind, v.year))
                .map(|o| o.source_label)
                .unwrap_or_default();
            let name = variable_name(&v.id).map(str::to_string).unwrap_or_else(|| v.label.to_lowercase());
            format!("{name} ({source})")
        })
        .collect();
    let unclassified: Vec<String> =
        r.unclassified.iter().filter_map(|u| pack.territory(u.territory)).map(|t| t.name().to_string()).collect();
    let mut s = format!(
        "Classification ascendante hiérarchique (méthode de Ward) des {} intercommunalités de France \
         métropolitaine sur {} variables : {}. ",
        thousands(r.territories.len()),
        r.variables.len(),
        vars.join(" ; ")
    );
    s.push_str(
        "Chaque variable est centrée et réduite (écart à la moyenne des intercommunalités classées, divisé \
         par l'écart-type) pour que toutes pèsent autant, quelle que soit leur unité. La méthode de Ward \
         regroupe pas à pas les intercommunalités, puis les groupes, dont la réunion augmente le moins \
         la dispersion à l'intérieur des classes ; le calcul est exact et donne toujours le même résultat. ",
    );
    s.push_str(&format!(
        "L'arbre est coupé en {} classes, qui rendent compte de {} % des écarts entre intercommunalités \
         (part de l'inertie entre les classes) : au-delà, les classes ajoutées ne font que nuancer le profil \
         moyen. ",
        r.classes.len(),
        territoire::format::number(r.between_share * 100.0, 0)
    ));
    s.push_str(
        "Chaque classe est décrite par la moyenne de ses variables centrées réduites ; son nom reprend les \
         deux variables qui s'écartent le plus de la moyenne, d'au moins un demi écart-type. Les classes \
         sont numérotées du taux de pauvreté moyen le plus élevé au plus faible. ",
    );
    s.push_str(
        "Valeurs manquantes : un taux de pauvreté diffusé « ≤ 5 % » est compté pour 5 %, sa borne haute \
         publiée. ",
    );
    match unclassified.len() {
        0 => {}
        1 => s.push_str(&format!(
            "Une intercommunalité, faute d'une des variables (périmètre créé ou modifié après leur \
             publication), n'est pas classée : {}. ",
            unclassified[0]
        )),
        n => s.push_str(&format!(
            "{} intercommunalités, faute d'une des variables (périmètres créés ou modifiés après leur \
             publication), ne sont pas classées : {}. ",
            n,
            unclassified.join(", ")
        )),
    }
    s.push_str(
        "Les départements et régions d'outre-mer ne sont pas classés : Filosofi 2021 n'y couvre pas toutes \
         les intercommunalités, et leurs taux de pauvreté et de chômage, très supérieurs à ceux de la \
         métropole, formeraient des classes à part et effaceraient les contrastes métropolitains.",
    );
    s
}

/// The builder step: every typology of the pack (the fragility typology),
/// computed on `data` (without typologies) loaded back as a [`Pack`].
pub fn build(data: &PackData, log: &mut Vec<String>) -> Result<Vec<Typology>> {
    let t0 = Instant::now();
    let fail = |m: String| BuildError::file("typologies", m);
    let bytes = territoire::pack::to_bytes(data).map_err(|e| fail(e.to_string()))?;
    let pack = Pack::from_bytes(&bytes).map_err(|e| fail(e.to_string()))?;
    let t1 = Instant::now();
    let r = fragility(&pack).map_err(|e| fail(format!("typologie « {FRAGILITY_ID} » : {e}")))?;
    let ward = t1.elapsed();
    let method = method_text(&pack, &r);
    log.push(format!(
        "typology {FRAGILITY_ID}: {} EPCI in {} classes ({}), {} unclassified, R² {:.3}, computed in {:.1} ms \
         ({:.0} ms with the pack reload)",
        r.territories.len(),
        r.classes.len(),
        r.classes.iter().map(|c| format!("{} « {} »", c.size, c.label)).collect::<Vec<_>>().join(", "),
        r.unclassified.len(),
        r.between_share,
        ward.as_secs_f64() * 1000.0,
        t0.elapsed().as_secs_f64() * 1000.0
    ));
    Ok(vec![r.to_schema(FRAGILITY_ID, FRAGILITY_LABEL, &method)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragility_variables_are_in_the_catalogue_and_numeric() {
        let catalogue = crate::catalogue::build();
        for (id, _) in FRAGILITY_VARIABLES {
            let ind = catalogue.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("{id} not in the catalogue"));
            // A class code has no mean: it cannot be standardised.
            assert_ne!(ind.kind, territoire::IndicatorKind::Class as u8, "{id}");
        }
        assert!((typology::MIN_CLASSES..=typology::MAX_CLASSES).contains(&FRAGILITY_CLASSES));
        // Every variable has its name for the method text.
        assert!(FRAGILITY_VARIABLES.iter().all(|(id, _)| variable_name(id).is_some()));
    }
}
