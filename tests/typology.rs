//! Typologies (`territoire::typology`): Ward's clustering against results
//! computed independently, standardisation, profiles, the missing-value
//! rule and the errors, then the default fragility typology stored in the
//! real pack (`build/pack.bin`, or `PACK_FILE`).

mod common;
use common::pack;

use std::time::Instant;

use territoire::typology::{self, cut, standardise, ward, Merge, TypologyError, TypologyResult};
use territoire::{IndicatorRef, Status, TerritoryKind, TerritoryRef};

fn metro_epci() -> Vec<TerritoryRef<'static>> {
    pack().territories_of_kind(TerritoryKind::Epci).filter(|t| t.metro()).collect()
}

/// The default typology's variables as the pack stores them.
fn stored_variables() -> Vec<(IndicatorRef<'static>, u16)> {
    let ty = stored();
    ty.variables
        .iter()
        .map(|v| {
            let ind = pack().indicators().nth(v.indicator.to_native() as usize).expect("indicator in range");
            (ind, v.year.to_native())
        })
        .collect()
}

fn stored() -> &'static territoire::schema::ArchivedTypology {
    pack()
        .data()
        .typologies
        .iter()
        .find(|t| t.id.as_str() == "fragilites")
        .expect("the pack holds the default typology `fragilites` (rebuild it with `make pack`)")
}

fn vars(ids: &[(&str, u16)]) -> Vec<(IndicatorRef<'static>, u16)> {
    let v: Vec<(&str, Option<u16>)> = ids.iter().map(|(i, y)| (*i, Some(*y))).collect();
    typology::resolve(pack(), &v).expect("known indicators")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

// ---- Ward on small data, against independent computations ----------------

/// Four points on a line, 0, 1, 3, 7, worked by hand with Ward's criterion
/// Δ(A, B) = nA·nB/(nA + nB)·(cA − cB)²:
/// - singletons: Δ(0,1) = ½, Δ(1,3) = 2, Δ(3,7) = 8 → merge {0, 1} at ½;
/// - Δ({0,1}, 3) = 2/3 · 2.5² = 25/6, Δ(3, 7) = 8, Δ({0,1}, 7) = 2/3 · 6.5²
///   → merge {0, 1, 3} at 25/6;
/// - Δ({0,1,3}, 7) = 3/4 · (7 − 4/3)² = 289/12.
///
/// The heights add up to the total sum of squares around 2.75: 28.75.
#[test]
fn ward_matches_a_hand_computed_example() {
    let merges = ward(&[0.0, 1.0, 3.0, 7.0], 1);
    let want = [
        Merge { left: 0, right: 1, height: 0.5, size: 2 },
        Merge { left: 2, right: 4, height: 25.0 / 6.0, size: 3 },
        Merge { left: 3, right: 5, height: 289.0 / 12.0, size: 4 },
    ];
    assert_eq!(merges.len(), 3);
    for (got, want) in merges.iter().zip(&want) {
        assert_eq!((got.left, got.right, got.size), (want.left, want.right, want.size), "{merges:?}");
        assert!(close(got.height, want.height), "{got:?} vs {want:?}");
    }
    assert!(close(merges.iter().map(|m| m.height).sum(), 28.75));
    assert_eq!(cut(&merges, 4, 2), vec![0, 0, 0, 1]);
    assert_eq!(cut(&merges, 4, 3), vec![0, 0, 1, 2]);
    assert_eq!(cut(&merges, 4, 4), vec![0, 1, 2, 3]);
}

/// A two-dimensional example: two tight pairs and a far point.
/// A = (0,0), B = (0,2), C = (10,0), D = (10,1), E = (30,0).
/// Δ(C,D) = ½ · 1 = 0.5; Δ(A,B) = ½ · 4 = 2; then the pairs' centroids
/// (0,1) and (10,0.5): Δ = 2·2/4 · (100 + 0.25) = 100.25; Δ({C,D}, E) =
/// 2/3 · (20² + 0.5²) = 266.83… so {A,B} ∪ {C,D} at 100.25; last, centroid
/// (5, 0.75) of 4 points with E: 4/5 · (25² + 0.75²) = 500.45.
#[test]
fn ward_matches_a_two_dimensional_hand_example() {
    let pts = [0.0, 0.0, 0.0, 2.0, 10.0, 0.0, 10.0, 1.0, 30.0, 0.0];
    let m = ward(&pts, 2);
    let heights: Vec<f64> = m.iter().map(|m| m.height).collect();
    for (g, w) in heights.iter().zip([0.5, 2.0, 100.25, 0.8 * (625.0 + 0.5625)]) {
        assert!(close(*g, w), "{heights:?}");
    }
    assert_eq!((m[0].left, m[0].right), (2, 3));
    assert_eq!((m[1].left, m[1].right), (0, 1));
    assert_eq!((m[2].left, m[2].right), (5, 6));
    assert_eq!((m[3].left, m[3].right), (4, 7));
    assert_eq!(cut(&m, 5, 2), vec![0, 0, 0, 0, 1]);
    assert_eq!(cut(&m, 5, 3), vec![0, 0, 1, 1, 2]);
}

/// A deterministic pseudo-random generator (no dependency, same numbers on
/// every machine).
fn lcg(seed: &mut u64) -> f64 {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    ((*seed >> 11) as f64) / ((1u64 << 53) as f64)
}

/// The textbook greedy algorithm, written independently: at each step,
/// merge the pair of clusters whose union increases the within-class sum of
/// squares least, computed from the members directly (no Lance–Williams).
/// Returns the heights in merge order and the partition at every k.
fn naive_ward(points: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<Vec<usize>>>) {
    let sse = |members: &[usize]| -> f64 {
        let p = points[0].len();
        let n = members.len() as f64;
        (0..p)
            .map(|j| {
                let mean = members.iter().map(|i| points[*i][j]).sum::<f64>() / n;
                members.iter().map(|i| (points[*i][j] - mean).powi(2)).sum::<f64>()
            })
            .sum()
    };
    let mut clusters: Vec<Vec<usize>> = (0..points.len()).map(|i| vec![i]).collect();
    let mut heights = Vec::new();
    let mut partitions = vec![clusters.clone()];
    while clusters.len() > 1 {
        let mut best = (f64::INFINITY, 0, 0);
        for a in 0..clusters.len() {
            for b in a + 1..clusters.len() {
                let mut u = clusters[a].clone();
                u.extend(&clusters[b]);
                let delta = sse(&u) - sse(&clusters[a]) - sse(&clusters[b]);
                if delta < best.0 {
                    best = (delta, a, b);
                }
            }
        }
        let (h, a, b) = best;
        let mb = clusters.remove(b);
        clusters[a].extend(mb);
        clusters[a].sort();
        heights.push(h);
        partitions.push(clusters.clone());
    }
    (heights, partitions)
}

/// Groups points by cluster label, as sorted member lists in a sorted list.
fn groups(labels: &[usize]) -> Vec<Vec<usize>> {
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut g: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, l) in labels.iter().enumerate() {
        g[*l].push(i);
    }
    g.sort();
    g
}

#[test]
fn ward_equals_the_greedy_algorithm_on_random_data() {
    let mut seed = 42;
    for (n, p) in [(40, 2), (60, 3), (25, 5)] {
        // Three blobs plus noise, so the tree has structure at every level.
        let points: Vec<Vec<f64>> =
            (0..n).map(|i| (0..p).map(|j| ((i % 3) * (j + 1)) as f64 * 2.0 + lcg(&mut seed) * 1.5).collect()).collect();
        let flat: Vec<f64> = points.iter().flatten().copied().collect();
        let merges = ward(&flat, p);
        let (heights, partitions) = naive_ward(&points);
        assert_eq!(merges.len(), n - 1);
        for (m, h) in merges.iter().zip(&heights) {
            assert!(close(m.height, *h), "n={n}: {} vs {h}", m.height);
        }
        for k in 1..=n {
            let mut want = partitions[n - k].clone();
            want.sort();
            assert_eq!(groups(&cut(&merges, n, k)), want, "n={n}, k={k}");
        }
    }
}

#[test]
fn standardisation_gives_zero_mean_unit_population_sd() {
    // Column 1: 2, 4, 4, 4, 5, 5, 7, 9 has mean 5 and population sd 2.
    let mut data = vec![2.0, 10.0, 4.0, 10.0, 4.0, 20.0, 4.0, 20.0, 5.0, 30.0, 5.0, 30.0, 7.0, 40.0, 9.0, 40.0];
    let moments = standardise(&mut data, 2);
    assert_eq!(moments[0], (5.0, 2.0));
    assert!(close(moments[1].0, 25.0) && close(moments[1].1, 125f64.sqrt()));
    let col0: Vec<f64> = data.iter().step_by(2).copied().collect();
    assert_eq!(col0, vec![-1.5, -0.5, -0.5, -0.5, 0.0, 0.0, 1.0, 2.0]);
    for j in 0..2 {
        let c: Vec<f64> = data.iter().skip(j).step_by(2).copied().collect();
        let mean = c.iter().sum::<f64>() / 8.0;
        let var = c.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 8.0;
        assert!(mean.abs() < 1e-12 && close(var, 1.0), "column {j}: mean {mean}, var {var}");
    }
}

// ---- compute() on the real pack -------------------------------------------

fn default_vars() -> Vec<(IndicatorRef<'static>, u16)> {
    vars(&[
        ("taux_pauvrete", 2021),
        ("d1", 2021),
        ("part_minima_sociaux", 2021),
        ("taux_chomage", 2018),
        ("part_jeunes_non_inseres", 2018),
    ])
}

/// The raw values of the classified territories, read from the pack here,
/// with the documented rule (bottom-coded "≤ 5 %" → 5).
fn raw_values(r: &TypologyResult, v: &[(IndicatorRef<'static>, u16)]) -> Vec<Vec<f64>> {
    r.territories
        .iter()
        .map(|t| {
            let t = pack().territory(*t).unwrap();
            v.iter()
                .map(|(ind, y)| {
                    let o = pack().value(t, *ind, *y).unwrap();
                    match o.status {
                        Status::BottomCoded => 5.0,
                        _ => o.value.unwrap(),
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn profiles_are_the_means_of_the_members_z_scores() {
    let v = default_vars();
    let r = typology::compute(pack(), &metro_epci(), &v, 5).unwrap();
    let rows = raw_values(&r, &v);
    let n = rows.len() as f64;
    // Standardise independently of the library.
    let p = v.len();
    let mut z = rows.clone();
    for j in 0..p {
        let mean = rows.iter().map(|x| x[j]).sum::<f64>() / n;
        let sd = (rows.iter().map(|x| (x[j] - mean).powi(2)).sum::<f64>() / n).sqrt();
        assert!(close(r.variables[j].mean, mean) && close(r.variables[j].sd, sd), "variable {j}");
        for row in z.iter_mut() {
            row[j] = (row[j] - mean) / sd;
        }
    }
    for (c, class) in r.classes.iter().enumerate() {
        let members: Vec<usize> = (0..z.len()).filter(|i| r.class_of[*i] == c).collect();
        assert_eq!(members.len(), class.size);
        for (j, got) in class.profile.iter().enumerate() {
            let mean = members.iter().map(|i| z[*i][j]).sum::<f64>() / members.len() as f64;
            assert!((got - mean).abs() < 1e-9, "class {c}, variable {j}: {got} vs {mean}");
        }
        assert_eq!(class.profile.len(), p);
    }
    // Classes are numbered by decreasing mean of the first variable.
    assert!(r.classes.windows(2).all(|w| w[0].profile[0] >= w[1].profile[0]));
    // R² computed here from the same z-scores.
    let total: f64 = z.iter().flatten().map(|x| x * x).sum();
    let within: f64 = z
        .iter()
        .enumerate()
        .map(|(i, row)| row.iter().zip(&r.classes[r.class_of[i]].profile).map(|(a, b)| (a - b).powi(2)).sum::<f64>())
        .sum();
    assert!((r.between_share - (1.0 - within / total)).abs() < 1e-9);
}

#[test]
fn classes_follow_ward_on_the_z_scores() {
    let v = default_vars();
    let r = typology::compute(pack(), &metro_epci(), &v, 6).unwrap();
    let mut z: Vec<f64> = raw_values(&r, &v).into_iter().flatten().collect();
    standardise(&mut z, v.len());
    let labels = cut(&ward(&z, v.len()), r.territories.len(), 6);
    // Same partition (class numbers may differ).
    assert_eq!(groups(&labels), groups(&r.class_of));
}

#[test]
fn every_k_from_4_to_7_gives_k_non_empty_classes_with_unique_labels() {
    let v = default_vars();
    let epci = metro_epci();
    let mut previous = 0.0;
    for k in 4..=7 {
        let r = typology::compute(pack(), &epci, &v, k).unwrap();
        assert_eq!(r.classes.len(), k);
        assert!(r.classes.iter().all(|c| c.size > 0));
        assert_eq!(r.classes.iter().map(|c| c.size).sum::<usize>(), r.territories.len());
        assert!((0..k).all(|c| r.class_of.contains(&c)));
        let mut labels: Vec<&str> = r.classes.iter().map(|c| c.label.as_str()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), k, "{:?}", r.classes);
        // Cutting a Ward tree lower can only explain more.
        assert!(r.between_share > previous);
        previous = r.between_share;
    }
}

#[test]
fn same_input_same_classes() {
    let v = default_vars();
    let epci = metro_epci();
    let a = typology::compute(pack(), &epci, &v, 5).unwrap();
    // Order and duplicates of the territories do not matter.
    let mut shuffled: Vec<TerritoryRef<'_>> = epci.iter().rev().copied().collect();
    shuffled.extend(epci.iter().take(10).copied());
    let b = typology::compute(pack(), &shuffled, &v, 5).unwrap();
    assert_eq!(a, b);
}

#[test]
fn territories_missing_a_variable_are_unclassified_and_reported() {
    let v = default_vars();
    let epci = metro_epci();
    let r = typology::compute(pack(), &epci, &v, 5).unwrap();
    assert_eq!(r.territories.len() + r.unclassified.len(), epci.len());
    assert!(r.territories.windows(2).all(|w| w[0] < w[1]));
    for u in &r.unclassified {
        assert!(!u.missing.is_empty());
        assert_eq!(r.class_of_territory(u.territory), None);
        let t = pack().territory(u.territory).unwrap();
        for (j, status) in &u.missing {
            let o = pack().value(t, v[*j].0, v[*j].1).unwrap();
            assert_eq!(o.status, *status);
            assert!(matches!(status, Status::Secret | Status::NotAvailable | Status::Partial), "{t:?}: {status:?}");
        }
    }
    // And the classified ones have every variable; bottom-coded poverty
    // rates (≤ 5 %) are classified, not dropped.
    let poverty = v[0];
    let mut bottom = 0;
    for t in &r.territories {
        let t = pack().territory(*t).unwrap();
        for (ind, y) in &v {
            let o = pack().value(t, *ind, *y).unwrap();
            assert!(matches!(o.status, Status::Value | Status::BottomCoded | Status::Approximate), "{t:?}");
        }
        bottom += (pack().value(t, poverty.0, poverty.1).unwrap().status == Status::BottomCoded) as usize;
    }
    assert!(bottom > 0, "the metropolitan EPCI include bottom-coded poverty rates");
    // A PdL-only source leaves every EPCI outside the région unclassified.
    let pdl = vars(&[("taux_pauvrete", 2021), ("foyers_rsa", 2024)]);
    let r = typology::compute(pack(), &epci, &pdl, 4).unwrap();
    assert!(r.territories.len() <= 80, "{} classified", r.territories.len());
    assert!(r.unclassified.len() > 1000);
}

#[test]
fn errors_are_french_messages() {
    let v = default_vars();
    let epci = metro_epci();
    for k in [0, 3, 8] {
        let e = typology::compute(pack(), &epci, &v, k).unwrap_err();
        assert_eq!(e, TypologyError::ClassCount(k));
        assert_eq!(e.to_string(), format!("nombre de classes invalide : {k} (une typologie compte de 4 à 7 classes)"));
    }
    let e = typology::resolve(pack(), &[("taux_pauvrete", Some(2021)), ("pas_un_indicateur", None)]).unwrap_err();
    assert_eq!(e.to_string(), "indicateur inconnu : « pas_un_indicateur »");
    let e = typology::compute(pack(), &epci, &vars(&[("taux_pauvrete", 1990)]), 5).unwrap_err();
    assert_eq!(e.to_string(), "« Taux de pauvreté » n'a pas de données pour l'année 1990");
    let ok = typology::compute(pack(), &epci, &v, 5).unwrap();
    let three: Vec<TerritoryRef<'_>> = ok.territories[..3].iter().map(|t| pack().territory(*t).unwrap()).collect();
    let e = typology::compute(pack(), &three, &v, 4).unwrap_err();
    assert!(matches!(e, TypologyError::TooFewTerritories { classified: 3, classes: 4, .. }));
    assert_eq!(e.to_string(), "trop peu de territoires pour 4 classes : 3 territoires ont toutes les variables");
    let e = typology::compute(pack(), &epci, &[], 5).unwrap_err();
    assert_eq!(e.to_string(), "choisissez au moins une variable pour la typologie");
    let twice = vars(&[("taux_pauvrete", 2021), ("taux_pauvrete", 2021)]);
    let e = typology::compute(pack(), &epci, &twice, 5).unwrap_err();
    assert_eq!(e.to_string(), "la variable « Taux de pauvreté » (2021) est choisie deux fois");
    let e = typology::compute(pack(), &epci, &vars(&[("grille_densite", 2024)]), 5).unwrap_err();
    assert!(e.to_string().contains("code de classe"), "{e}");
    // The country rows alone are too few, whatever their data.
    let france: Vec<TerritoryRef<'_>> = pack().territories_of_kind(TerritoryKind::Country).collect();
    let e = typology::compute(pack(), &france, &v, 4).unwrap_err();
    assert!(e.to_string().starts_with("trop peu de territoires pour 4 classes"), "{e}");
}

#[test]
fn labels_agree_in_gender_and_number() {
    let nouns: Vec<typology::Noun> =
        [("taux_pauvrete", ""), ("taux_chomage", ""), ("d1", "")].iter().map(|(i, l)| typology::noun(i, l)).collect();
    let labels = typology::label_classes(
        &[vec![1.2, 0.9, -0.3], vec![-0.2, -0.1, 0.3], vec![-1.0, 0.1, 1.4], vec![0.6, -0.8, 0.0]],
        &nouns,
    );
    assert_eq!(
        labels,
        vec![
            "Pauvreté et chômage élevés",
            "Profil proche de la moyenne",
            "Revenus des plus modestes élevés, pauvreté faible",
            "Chômage faible, pauvreté élevée",
        ]
    );
    // Two near-average classes are told apart by their most marked variable.
    let labels = typology::label_classes(&[vec![0.3, 0.1, 0.0], vec![-0.4, 0.0, 0.1]], &nouns);
    assert_eq!(
        labels,
        vec![
            "Profil proche de la moyenne, pauvreté plutôt élevée",
            "Profil proche de la moyenne, pauvreté plutôt faible"
        ]
    );
    // Identical profiles get numbered.
    let labels = typology::label_classes(&[vec![1.0, 1.0, 1.0], vec![1.0, 1.0, 1.0]], &nouns);
    assert_eq!(labels[1], format!("{} (2)", labels[0]));
    // Unknown indicators: gender and number from the head word.
    assert_eq!(
        typology::noun("x", "Part des 75 ans ou plus"),
        typology::Noun { text: "part des 75 ans ou plus".into(), feminine: true, plural: false }
    );
    assert!(typology::noun("x", "Logements vacants").plural);
}

// ---- the default typology stored by the builder -----------------------------

#[test]
fn the_stored_default_equals_a_recomputation() {
    let ty = stored();
    assert_eq!(ty.label.as_str(), "Typologie des fragilités des intercommunalités");
    let v = stored_variables();
    let ids: Vec<&str> = v.iter().map(|(i, _)| i.id()).collect();
    for needed in ["taux_pauvrete", "d1", "part_minima_sociaux", "taux_chomage", "part_jeunes_non_inseres"] {
        assert!(ids.contains(&needed), "{needed} missing from {ids:?}");
    }
    let k = ty.classes.len();
    let t0 = Instant::now();
    let r = typology::compute(pack(), &metro_epci(), &v, k).unwrap();
    let elapsed = t0.elapsed();
    println!("default typology recomputed on {} EPCI in {:.1} ms", r.territories.len(), elapsed.as_secs_f64() * 1e3);
    let again = r.to_schema(ty.id.as_str(), ty.label.as_str(), ty.method.as_str());
    let stored_classes: Vec<(String, Vec<f64>, u32)> = ty
        .classes
        .iter()
        .map(|c| (c.label.to_string(), c.profile.iter().map(|x| x.to_native()).collect(), c.size.to_native()))
        .collect();
    let recomputed: Vec<(String, Vec<f64>, u32)> =
        again.classes.iter().map(|c| (c.label.clone(), c.profile.clone(), c.size)).collect();
    assert_eq!(stored_classes, recomputed);
    assert_eq!(ty.territories.iter().map(|t| t.to_native()).collect::<Vec<_>>(), again.territories);
    assert_eq!(ty.class_of.as_slice(), again.class_of.as_slice());
    // A second run gives the very same result.
    assert_eq!(typology::compute(pack(), &metro_epci(), &v, k).unwrap(), r);
}

#[test]
fn the_default_classifies_nearly_every_metropolitan_epci() {
    let ty = stored();
    let metro = metro_epci();
    let n = ty.territories.len();
    assert!(n + 10 >= metro.len() && n <= metro.len(), "{n} of {} classified", metro.len());
    for t in ty.territories.iter() {
        let t = pack().territory(t.to_native()).unwrap();
        assert!(t.kind() == TerritoryKind::Epci && t.metro(), "{t:?}");
    }
    assert!((4..=7).contains(&ty.classes.len()));
    let mut labels: Vec<&str> = ty.classes.iter().map(|c| c.label.as_str()).collect();
    labels.sort();
    labels.dedup();
    assert_eq!(labels.len(), ty.classes.len());
    assert_eq!(ty.classes.iter().map(|c| c.size.to_native() as usize).sum::<usize>(), n);
    // The method text names the variables with their sources, and the
    // treatment of gaps.
    let method = ty.method.as_str();
    assert!(method.contains(&format!("sur {} variables", ty.variables.len())), "{method}");
    for source in ["Insee, Filosofi 2021", "Insee, RP 2018"] {
        assert!(method.contains(source), "method misses {source}");
    }
    assert!(method.contains("Ward") && method.contains("≤ 5 %") && method.contains("outre-mer"));
    // Nantes Métropole is classified.
    let nantes = pack().territory_by_code("244400404", None).unwrap();
    assert!(ty.territories.iter().any(|t| t.to_native() == nantes.index));
}

#[test]
fn ward_on_all_metropolitan_epci_is_fast() {
    let v = stored_variables();
    let r = typology::compute(pack(), &metro_epci(), &v, 5).unwrap();
    let mut z: Vec<f64> = raw_values(&r, &v).into_iter().flatten().collect();
    standardise(&mut z, v.len());
    let t0 = Instant::now();
    let merges = ward(&z, v.len());
    let elapsed = t0.elapsed();
    println!(
        "Ward on {} EPCI × {} variables: {:.1} ms native",
        r.territories.len(),
        v.len(),
        elapsed.as_secs_f64() * 1e3
    );
    assert_eq!(merges.len(), r.territories.len() - 1);
    // Heights add up to the total inertia n × p (z-scores, population sd).
    let total: f64 = merges.iter().map(|m| m.height).sum();
    assert!(close(total, (r.territories.len() * v.len()) as f64), "{total}");
    // Generous: a debug or loaded machine is far slower than release.
    assert!(elapsed.as_secs_f64() < 0.5, "{elapsed:?}");
}
