//! The indicator catalogue: id, French label, unit, kind, theme, definition.
//! Catalogue order is display order within a theme.

use territoire::schema::{Indicator, IndicatorKind as K, Unit as U};

/// (id, label, unit, kind, theme, definition)
type Def = (&'static str, &'static str, U, K, &'static str, &'static str);

const DEFS: &[Def] = &[
    // --- population et territoire ----------------------------------------
    ("population", "Population", U::Inhabitants, K::Count, "population", "Population municipale, somme des communes du territoire."),
    ("population_hommes", "Hommes", U::Inhabitants, K::Count, "population", "Population masculine (estimation du recensement)."),
    ("population_femmes", "Femmes", U::Inhabitants, K::Count, "population", "Population féminine (estimation du recensement)."),
    ("evolution_population", "Évolution de la population 2013-2018", U::Percent, K::Rate, "population", "(population 2018 − population 2013) / population 2013, en % ; sommes des communes."),
    ("superficie", "Superficie", U::SquareKm, K::Count, "population", "Superficie en km², somme des communes."),
    ("densite", "Densité de population", U::PerSquareKm, K::Rate, "population", "Population / superficie, calculées après sommation des communes."),
    ("naissances", "Naissances 2013-2018", U::Number, K::Count, "population", "Naissances domiciliées cumulées du 1er janvier 2013 au 31 décembre 2018 (état civil)."),
    ("deces", "Décès 2013-2018", U::Number, K::Count, "population", "Décès domiciliés cumulés du 1er janvier 2013 au 31 décembre 2018 (état civil)."),
    ("population_historique", "Population (séries historiques)", U::Inhabitants, K::Count, "population", "Population des recensements de 1876 à 2023 dans la géographie communale 2025."),
    ("grille_densite", "Niveau de la grille de densité", U::Class, K::Class, "population", "Grille communale de densité à 7 niveaux (1 = grands centres urbains … 7 = rural à habitat très dispersé) ; pour un regroupement, le niveau où vit la plus grande part de la population."),
    ("part_pop_densite_1", "Part de la population en grands centres urbains", U::Percent, K::Share, "population", "Part de la population vivant dans des zones de niveau 1 de la grille de densité (Σ part × population municipale 2021 / Σ population)."),
    ("part_pop_densite_2", "Part de la population en centres urbains intermédiaires", U::Percent, K::Share, "population", "Niveau 2 de la grille de densité."),
    ("part_pop_densite_3", "Part de la population en ceintures urbaines", U::Percent, K::Share, "population", "Niveau 3 de la grille de densité."),
    ("part_pop_densite_4", "Part de la population en petites villes", U::Percent, K::Share, "population", "Niveau 4 de la grille de densité."),
    ("part_pop_densite_5", "Part de la population en bourgs ruraux", U::Percent, K::Share, "population", "Niveau 5 de la grille de densité."),
    ("part_pop_densite_6", "Part de la population en rural à habitat dispersé", U::Percent, K::Share, "population", "Niveau 6 de la grille de densité."),
    ("part_pop_densite_7", "Part de la population en rural à habitat très dispersé", U::Percent, K::Share, "population", "Niveau 7 de la grille de densité."),
    // --- âges --------------------------------------------------------------
    ("pop_0014", "Population de 0 à 14 ans", U::Inhabitants, K::Count, "ages", "Population de 0 à 14 ans."),
    ("pop_1529", "Population de 15 à 29 ans", U::Inhabitants, K::Count, "ages", "Population de 15 à 29 ans."),
    ("pop_6074", "Population de 60 à 74 ans", U::Inhabitants, K::Count, "ages", "Population de 60 à 74 ans."),
    ("pop_75p", "Population de 75 ans ou plus", U::Inhabitants, K::Count, "ages", "Population de 75 ans ou plus."),
    ("part_0014", "Part des 0-14 ans", U::Percent, K::Rate, "ages", "Population de 0 à 14 ans / population, en %."),
    ("part_1529", "Part des 15-29 ans", U::Percent, K::Rate, "ages", "Population de 15 à 29 ans / population, en %."),
    ("part_6074", "Part des 60-74 ans", U::Percent, K::Rate, "ages", "Population de 60 à 74 ans / population, en %."),
    ("part_75p", "Part des 75 ans ou plus", U::Percent, K::Rate, "ages", "Population de 75 ans ou plus / population, en %."),
    // --- ménages et familles ---------------------------------------------
    ("menages", "Ménages", U::Number, K::Count, "menages", "Nombre de ménages (résidences principales)."),
    ("menages_seuls", "Ménages d'une personne", U::Number, K::Count, "menages", "Ménages composés d'une seule personne ; 2022 : ordre de grandeur reconstitué à partir de pourcentages IRIS arrondis."),
    ("familles_monoparentales", "Familles monoparentales", U::Number, K::Count, "menages", "Ménages dont la famille principale est monoparentale ; 2022 : ordre de grandeur."),
    ("couples_avec_enfants", "Couples avec enfant(s)", U::Number, K::Count, "menages", "Ménages dont la famille principale est un couple avec enfant(s) ; 2022 : ordre de grandeur."),
    ("couples_sans_enfant", "Couples sans enfant", U::Number, K::Count, "menages", "Ménages dont la famille principale est un couple sans enfant ; 2022 : ordre de grandeur."),
    ("personnes_80p_seules", "Personnes de 80 ans ou plus vivant seules", U::Number, K::Count, "menages", "Personnes de 80 ans ou plus vivant seules ; 2022 : ordre de grandeur."),
    ("part_menages_seuls", "Part des ménages d'une personne", U::Percent, K::Rate, "menages", "Ménages d'une personne / ménages, en %."),
    ("part_familles_monoparentales", "Part des familles monoparentales", U::Percent, K::Rate, "menages", "Familles monoparentales / ménages, en %."),
    ("part_couples_avec_enfants", "Part des couples avec enfant(s)", U::Percent, K::Rate, "menages", "Couples avec enfant(s) / ménages, en %."),
    // --- jeunesse -------------------------------------------------------------
    ("part_jeunes_non_inseres", "Part des 15-24 ans non insérés", U::Percent, K::Rate, "jeunesse", "Part des 15-24 ans ni en emploi ni en études (ni scolarisés), publiée par l'ANCT (Observatoire des territoires) à partir du recensement ; non agrégeable."),
    ("pop_non_scolarisee_15p", "Population non scolarisée de 15 ans ou plus", U::Inhabitants, K::Count, "jeunesse", "Population de 15 ans ou plus non scolarisée, base des parts de diplômés."),
    ("part_sans_diplome", "Sans diplôme ou CEP", U::Percent, K::Rate, "jeunesse", "Part des non-scolarisés de 15 ans ou plus sans diplôme ou avec au plus le certificat d'études primaires."),
    ("part_brevet", "BEPC, brevet des collèges, DNB", U::Percent, K::Rate, "jeunesse", "Part des non-scolarisés de 15 ans ou plus dont le plus haut diplôme est le brevet."),
    ("part_cap_bep", "CAP, BEP ou équivalent", U::Percent, K::Rate, "jeunesse", "Part des non-scolarisés de 15 ans ou plus dont le plus haut diplôme est un CAP ou un BEP."),
    ("part_bac", "Baccalauréat, brevet professionnel", U::Percent, K::Rate, "jeunesse", "Part des non-scolarisés de 15 ans ou plus dont le plus haut diplôme est le baccalauréat."),
    ("part_bac2", "Bac + 2", U::Percent, K::Rate, "jeunesse", "Part des non-scolarisés de 15 ans ou plus diplômés d'un bac + 2."),
    ("part_bac34", "Bac + 3 ou 4", U::Percent, K::Rate, "jeunesse", "Part des non-scolarisés de 15 ans ou plus diplômés d'un bac + 3 ou 4."),
    ("part_bac5p", "Bac + 5 ou plus", U::Percent, K::Rate, "jeunesse", "Part des non-scolarisés de 15 ans ou plus diplômés d'un bac + 5 ou plus."),
    ("part_diplome_superieur", "Diplômés du supérieur", U::Percent, K::Rate, "jeunesse", "Part des non-scolarisés de 15 ans ou plus diplômés de l'enseignement supérieur (bac + 2 ou plus)."),
    // --- emploi et activité ---------------------------------------------------
    ("pop_1564", "Population de 15 à 64 ans", U::Inhabitants, K::Count, "emploi", "Population de 15 à 64 ans."),
    ("actifs_1564", "Actifs de 15 à 64 ans", U::Number, K::Count, "emploi", "Actifs (en emploi ou au chômage au sens du recensement) de 15 à 64 ans."),
    ("actifs_occupes_1564", "Actifs occupés de 15 à 64 ans", U::Number, K::Count, "emploi", "Actifs de 15 à 64 ans ayant un emploi."),
    ("chomeurs_1564", "Chômeurs de 15 à 64 ans", U::Number, K::Count, "emploi", "Chômeurs de 15 à 64 ans au sens du recensement."),
    ("retraites_1564", "Retraités de 15 à 64 ans", U::Number, K::Count, "emploi", "Retraités ou préretraités de 15 à 64 ans."),
    ("etudiants_1564", "Élèves et étudiants de 15 à 64 ans", U::Number, K::Count, "emploi", "Élèves, étudiants et stagiaires non rémunérés de 15 à 64 ans."),
    ("autres_inactifs_1564", "Autres inactifs de 15 à 64 ans", U::Number, K::Count, "emploi", "Autres inactifs de 15 à 64 ans."),
    ("taux_activite", "Taux d'activité des 15-64 ans", U::Percent, K::Rate, "emploi", "Actifs de 15 à 64 ans / population de 15 à 64 ans, en %."),
    ("taux_emploi", "Taux d'emploi des 15-64 ans", U::Percent, K::Rate, "emploi", "Actifs occupés de 15 à 64 ans / population de 15 à 64 ans, en %."),
    ("taux_chomage", "Taux de chômage des 15-64 ans", U::Percent, K::Rate, "emploi", "Chômeurs de 15 à 64 ans / actifs de 15 à 64 ans, en % (au sens du recensement)."),
    ("emplois", "Emplois au lieu de travail", U::Number, K::Count, "emploi", "Nombre d'emplois au lieu de travail."),
    ("demandeurs_emploi_abc", "Demandeurs d'emploi (cat. A, B, C)", U::Number, K::Count, "emploi", "Demandeurs d'emploi inscrits à France Travail en catégories A, B, C, moyenne du 4e trimestre, par commune de résidence."),
    ("emplois_salaries_prives", "Emplois salariés privés", U::Number, K::Count, "emploi", "Effectifs salariés du secteur privé au 31 décembre, par commune de l'établissement."),
    ("actifs_occupes_15p", "Actifs occupés de 15 ans ou plus", U::Number, K::Count, "emploi", "Actifs occupés de 15 ans ou plus, base des parts de navettes."),
    ("part_travail_commune", "Travaillent dans leur commune de résidence", U::Percent, K::Rate, "emploi", "Part des actifs occupés travaillant dans leur commune de résidence."),
    ("part_travail_autre_commune_dep", "Travaillent dans une autre commune du département", U::Percent, K::Rate, "emploi", "Part des actifs occupés travaillant dans une autre commune du département de résidence."),
    ("part_travail_autre_dep", "Travaillent dans un autre département de la région", U::Percent, K::Rate, "emploi", "Part des actifs occupés travaillant dans un autre département de la région de résidence."),
    ("part_travail_autre_region", "Travaillent dans une autre région", U::Percent, K::Rate, "emploi", "Part des actifs occupés travaillant dans une autre région."),
    ("part_travail_etranger", "Travaillent hors métropole ou à l'étranger", U::Percent, K::Rate, "emploi", "Part des actifs occupés travaillant hors de France métropolitaine."),
    ("part_mode_aucun", "Pas de transport", U::Percent, K::Rate, "emploi", "Part des actifs occupés n'utilisant pas de transport pour aller travailler."),
    ("part_mode_pied", "Marche à pied", U::Percent, K::Rate, "emploi", "Part des actifs occupés allant travailler à pied."),
    ("part_mode_velo", "Vélo", U::Percent, K::Rate, "emploi", "Part des actifs occupés allant travailler à vélo."),
    ("part_mode_deux_roues", "Deux-roues motorisé", U::Percent, K::Rate, "emploi", "Part des actifs occupés allant travailler en deux-roues motorisé."),
    ("part_mode_voiture", "Voiture, camion, fourgonnette", U::Percent, K::Rate, "emploi", "Part des actifs occupés allant travailler en voiture."),
    ("part_mode_transports_commun", "Transports en commun", U::Percent, K::Rate, "emploi", "Part des actifs occupés allant travailler en transports en commun."),
    // --- logement ---------------------------------------------------------------
    ("logements", "Logements", U::Number, K::Count, "logement", "Nombre de logements."),
    ("residences_principales", "Résidences principales", U::Number, K::Count, "logement", "Nombre de résidences principales."),
    ("residences_secondaires", "Résidences secondaires et logements occasionnels", U::Number, K::Count, "logement", "Résidences secondaires et logements occasionnels."),
    ("logements_vacants", "Logements vacants", U::Number, K::Count, "logement", "Logements vacants."),
    ("proprietaires", "Résidences principales occupées par leur propriétaire", U::Number, K::Count, "logement", "Résidences principales occupées par des propriétaires."),
    ("locataires_prives", "Locataires du parc privé (vide)", U::Number, K::Count, "logement", "Résidences principales louées vides hors HLM."),
    ("locataires_hlm", "Locataires HLM", U::Number, K::Count, "logement", "Résidences principales louées vides en HLM."),
    ("locataires_meubles", "Locataires de meublés", U::Number, K::Count, "logement", "Résidences principales louées meublées ou chambres d'hôtel."),
    ("loges_gratuitement", "Logés gratuitement", U::Number, K::Count, "logement", "Résidences principales occupées à titre gratuit."),
    ("taux_vacance", "Taux de vacance", U::Percent, K::Rate, "logement", "Logements vacants / logements, en %."),
    ("part_residences_secondaires", "Part des résidences secondaires", U::Percent, K::Rate, "logement", "Résidences secondaires et logements occasionnels / logements, en %."),
    ("part_proprietaires", "Part des propriétaires", U::Percent, K::Rate, "logement", "Résidences principales occupées par leur propriétaire / résidences principales, en %."),
    ("part_locataires_prives", "Part des locataires du parc privé", U::Percent, K::Rate, "logement", "Locataires du parc privé (vide) / résidences principales, en %."),
    ("part_locataires_hlm", "Part des locataires HLM", U::Percent, K::Rate, "logement", "Locataires HLM / résidences principales, en %."),
    // --- revenus ----------------------------------------------------------------
    ("revenu_median", "Niveau de vie médian", U::Euro, K::Median, "revenus", "Médiane du revenu disponible par unité de consommation (€ par an) ; publiée, jamais recalculée."),
    ("d1", "1er décile de niveau de vie", U::Euro, K::Median, "revenus", "Niveau de vie au-dessous duquel se situent 10 % des personnes (€ par an)."),
    ("d9", "9e décile de niveau de vie", U::Euro, K::Median, "revenus", "Niveau de vie au-dessus duquel se situent 10 % des personnes (€ par an)."),
    ("rapport_interdecile", "Rapport interdécile D9/D1", U::Ratio, K::Amount, "revenus", "9e décile / 1er décile de niveau de vie."),
    ("s80s20", "Rapport S80/S20", U::Ratio, K::Amount, "revenus", "Masse des niveaux de vie des 20 % les plus aisés / celle des 20 % les plus modestes."),
    ("gini", "Indice de Gini", U::Index, K::Amount, "revenus", "Indice de Gini des niveaux de vie (0 = égalité parfaite, 1 = inégalité maximale)."),
    ("part_menages_imposes", "Part des ménages fiscaux imposés", U::Percent, K::Share, "revenus", "Part des ménages fiscaux imposés."),
    ("menages_fiscaux", "Ménages fiscaux", U::Number, K::Count, "revenus", "Nombre de ménages fiscaux (publié)."),
    ("personnes_menages_fiscaux", "Personnes des ménages fiscaux", U::Inhabitants, K::Count, "revenus", "Nombre de personnes des ménages fiscaux (publié)."),
    ("part_revenus_activite", "Part des revenus d'activité", U::Percent, K::Share, "revenus", "Part des revenus d'activité dans le revenu disponible."),
    ("part_salaires", "dont salaires et traitements", U::Percent, K::Share, "revenus", "Part des salaires, traitements ou chômage dans le revenu disponible (hors indemnités de chômage à partir de 2015)."),
    ("part_indemnites_chomage", "dont indemnités de chômage", U::Percent, K::Share, "revenus", "Part des indemnités de chômage dans le revenu disponible."),
    ("part_revenus_non_salaries", "dont revenus des activités non salariées", U::Percent, K::Share, "revenus", "Part des revenus des activités non salariées."),
    ("part_pensions", "Part des pensions, retraites et rentes", U::Percent, K::Share, "revenus", "Part des pensions, retraites et rentes dans le revenu disponible."),
    ("part_revenus_patrimoine", "Part des revenus du patrimoine", U::Percent, K::Share, "revenus", "Part des revenus du patrimoine et autres revenus."),
    ("part_prestations_sociales", "Part des prestations sociales", U::Percent, K::Share, "revenus", "Part de l'ensemble des prestations sociales dans le revenu disponible."),
    ("part_prestations_familiales", "dont prestations familiales", U::Percent, K::Share, "revenus", "Part des prestations familiales."),
    ("part_minima_sociaux", "dont minima sociaux", U::Percent, K::Share, "revenus", "Part des minima sociaux."),
    ("part_prestations_logement", "dont prestations logement", U::Percent, K::Share, "revenus", "Part des prestations logement."),
    ("part_impots", "Part des impôts", U::Percent, K::Share, "revenus", "Part des impôts (négative) dans le revenu disponible."),
    ("filosofi2023_revenu_median", "Niveau de vie médian (Filosofi 2023)", U::Euro, K::Median, "revenus", "Niveau de vie médian, Filosofi 2023 : méthode modifiée, non comparable aux millésimes antérieurs."),
    // --- pauvreté ---------------------------------------------------------------
    ("taux_pauvrete", "Taux de pauvreté", U::Percent, K::Rate, "pauvrete", "Part des personnes dont le niveau de vie est inférieur à 60 % du niveau de vie médian national ; publié (seuil de diffusion : ≤ 5 %), jamais recalculé."),
    ("personnes_pauvres", "Personnes pauvres", U::Number, K::Count, "pauvrete", "Estimation : taux de pauvreté × personnes des ménages fiscaux ; majorant lorsque le taux est ≤ 5 %."),
    ("taux_pauvrete_age_moins30", "Taux de pauvreté, référent de moins de 30 ans", U::Percent, K::Rate, "pauvrete", "Taux de pauvreté des ménages dont le référent fiscal a moins de 30 ans."),
    ("taux_pauvrete_age_3039", "Taux de pauvreté, référent de 30 à 39 ans", U::Percent, K::Rate, "pauvrete", "Taux de pauvreté des ménages dont le référent fiscal a de 30 à 39 ans."),
    ("taux_pauvrete_age_4049", "Taux de pauvreté, référent de 40 à 49 ans", U::Percent, K::Rate, "pauvrete", "Taux de pauvreté des ménages dont le référent fiscal a de 40 à 49 ans."),
    ("taux_pauvrete_age_5059", "Taux de pauvreté, référent de 50 à 59 ans", U::Percent, K::Rate, "pauvrete", "Taux de pauvreté des ménages dont le référent fiscal a de 50 à 59 ans."),
    ("taux_pauvrete_age_6074", "Taux de pauvreté, référent de 60 à 74 ans", U::Percent, K::Rate, "pauvrete", "Taux de pauvreté des ménages dont le référent fiscal a de 60 à 74 ans."),
    ("taux_pauvrete_age_75p", "Taux de pauvreté, référent de 75 ans ou plus", U::Percent, K::Rate, "pauvrete", "Taux de pauvreté des ménages dont le référent fiscal a 75 ans ou plus."),
    ("taux_pauvrete_proprietaires", "Taux de pauvreté des propriétaires", U::Percent, K::Rate, "pauvrete", "Taux de pauvreté des ménages propriétaires de leur logement."),
    ("taux_pauvrete_locataires", "Taux de pauvreté des locataires", U::Percent, K::Rate, "pauvrete", "Taux de pauvreté des ménages locataires."),
    ("taux_pauvrete_40", "Taux de pauvreté au seuil de 40 %", U::Percent, K::Rate, "pauvrete", "Part des personnes sous 40 % du niveau de vie médian."),
    ("taux_pauvrete_50", "Taux de pauvreté au seuil de 50 %", U::Percent, K::Rate, "pauvrete", "Part des personnes sous 50 % du niveau de vie médian."),
    ("intensite_pauvrete", "Intensité de la pauvreté", U::Percent, K::Amount, "pauvrete", "Écart relatif entre le niveau de vie médian des personnes pauvres et le seuil de pauvreté, en %."),
    ("niveau_vie_median_pauvres", "Niveau de vie médian des personnes pauvres", U::Euro, K::Median, "pauvrete", "Médiane du niveau de vie des personnes sous le seuil de 60 %."),
    ("filosofi2023_taux_pauvrete", "Taux de pauvreté (Filosofi 2023)", U::Percent, K::Rate, "pauvrete", "Taux de pauvreté à 60 %, Filosofi 2023 : méthode modifiée, non comparable aux millésimes antérieurs."),
    // --- prestations sociales ---------------------------------------------------
    ("foyers_allocataires", "Foyers allocataires CAF", U::Number, K::Count, "prestations", "Foyers allocataires d'au moins une prestation CAF en décembre ; valeurs arrondies à 5, un 0 communal peut recouvrir un secret."),
    ("personnes_couvertes", "Personnes couvertes par la CAF", U::Number, K::Count, "prestations", "Allocataires, conjoints, enfants et autres personnes à charge."),
    ("foyers_rsa", "Foyers allocataires du RSA", U::Number, K::Count, "prestations", "Foyers percevant le revenu de solidarité active."),
    ("foyers_prime_activite", "Foyers allocataires de la prime d'activité", U::Number, K::Count, "prestations", "Foyers percevant la prime d'activité."),
    ("foyers_aide_logement", "Foyers allocataires d'une aide au logement", U::Number, K::Count, "prestations", "Foyers percevant une aide au logement (APL, ALF, ALS)."),
    ("foyers_alloc_familiales", "Foyers allocataires des allocations familiales", U::Number, K::Count, "prestations", "Foyers percevant les allocations familiales."),
    ("foyers_paje", "Foyers allocataires de la PAJE", U::Number, K::Count, "prestations", "Foyers percevant la prestation d'accueil du jeune enfant."),
];

/// The age-pyramid bands of RP 2023, as (column suffix, label).
pub const AGE_BANDS: [&str; 20] = [
    "00_04", "05_09", "10_14", "15_19", "20_24", "25_29", "30_34", "35_39", "40_44", "45_49", "50_54", "55_59",
    "60_64", "65_69", "70_74", "75_79", "80_84", "85_89", "90_94", "95P",
];

pub fn age_band_id(sex: char, band: &str) -> String {
    format!("pop_{}_{}", sex.to_ascii_lowercase(), band.to_ascii_lowercase())
}

fn age_band_label(sex: char, band: &str) -> String {
    let who = if sex == 'H' { "Hommes" } else { "Femmes" };
    if band == "95P" {
        format!("{who} de 95 ans ou plus")
    } else {
        let (a, b) = band.split_once('_').unwrap_or((band, band));
        format!(
            "{who} de {} à {} ans",
            a.trim_start_matches('0').to_string() + if a == "00" { "0" } else { "" },
            b.trim_start_matches('0')
        )
    }
}

pub fn build() -> Vec<Indicator> {
    let mut out: Vec<Indicator> = DEFS
        .iter()
        .map(|(id, label, unit, kind, theme, definition)| Indicator {
            id: id.to_string(),
            label: label.to_string(),
            definition: definition.to_string(),
            unit: *unit as u8,
            kind: *kind as u8,
            theme: theme.to_string(),
        })
        .collect();
    // The pyramid bands go right after the grouped ages.
    let at = out.iter().position(|i| i.id == "pop_0014").unwrap_or(out.len());
    let mut bands = Vec::new();
    for sex in ['H', 'F'] {
        for band in AGE_BANDS {
            bands.push(Indicator {
                id: age_band_id(sex, band),
                label: age_band_label(sex, band),
                definition: "Population par sexe et tranche d'âge quinquennale (pyramide des âges).".into(),
                unit: U::Inhabitants as u8,
                kind: K::Count as u8,
                theme: "ages".into(),
            });
        }
    }
    out.splice(at..at, bands);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_bands_labelled() {
        let c = super::build();
        let mut ids: Vec<&str> = c.iter().map(|i| i.id.as_str()).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        let l = |id: &str| c.iter().find(|i| i.id == id).unwrap().label.clone();
        assert_eq!(l("pop_h_00_04"), "Hommes de 0 à 4 ans");
        assert_eq!(l("pop_f_25_29"), "Femmes de 25 à 29 ans");
        assert_eq!(l("pop_f_95p"), "Femmes de 95 ans ou plus");
    }
}
