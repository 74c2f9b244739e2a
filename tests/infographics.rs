//! Reference SVGs of real infographics, from the real pack: a metropolis,
//! a rural CC and a territory outside the Pays de la Loire. Regenerate with
//! `UPDATE_REFERENCES=1 cargo test --release -p territoire --test
//! infographics` after a deliberate change (a new pack vintage, a layout
//! change) and review the diff; under `CI=true` a missing reference fails.

mod common;
use common::pack;

use territoire::report::SnapshotView;

fn view(code: &str) -> SnapshotView {
    let p = pack();
    let t = p.territory_by_code(code, None).unwrap();
    SnapshotView::of(territoire::snapshot::build(p, t, &t.default_comparisons()).unwrap())
}

fn panel_svg(v: &SnapshotView, id: &str) -> String {
    v.panels.iter().find(|p| p.panel.id == id).unwrap_or_else(|| panic!("no panel {id}")).svg.clone()
}

#[test]
fn nantes_metropole_poverty_and_ages() {
    let v = view("244400404");
    common::assert_reference("real_nantes_pauvrete", &panel_svg(&v, "pauvrete"));
    common::assert_reference("real_nantes_ages", &panel_svg(&v, "ages"));
}

#[test]
fn rural_cc_population() {
    // CC du Bocage Mayennais (Mayenne).
    let v = view("245300389");
    common::assert_reference("real_bocage_mayennais_population", &panel_svg(&v, "population"));
}

#[test]
fn outside_the_pays_de_la_loire_says_non_disponible() {
    // CC Faucigny-Glières (Haute-Savoie): PdL-only figures are missing.
    let v = view("200000172");
    let svg = panel_svg(&v, "ages");
    assert!(svg.contains("non disponible"), "the ages panel must say the figures are not available");
    common::assert_reference("real_faucigny_glieres_ages", &svg);
}

#[test]
fn every_panel_of_every_kind_of_territory_is_well_formed() {
    for code in ["244400404", "245300389", "243500741", "200000172", "dep:44", "reg:52", "FRM", "200050532"] {
        let v = view(code);
        assert_eq!(v.panels.len(), 9, "{code}");
        for p in &v.panels {
            common::check_svg(&p.svg).unwrap_or_else(|e| panic!("{code} {}: {e}", p.panel.id));
            assert!(p.svg.contains("Source"), "{code} {}: no source line", p.panel.id);
        }
    }
}
