//! The core on the real pack (`build/pack.bin`, made by `make pack`, or
//! `PACK_FILE`): lookup by name and code, and loading bad bytes.

mod common;
use common::{pack, pack_bytes, Rng};

use territoire::pack::PackError;
use territoire::schema::{FORMAT_VERSION, PREFIX_LEN};
use territoire::search::search;
use territoire::{Pack, TerritoryKind};

fn first(query: &str, kinds: &[TerritoryKind]) -> Vec<String> {
    search(pack(), query, kinds, 5).iter().map(|m| m.territory.name().to_string()).collect()
}

#[test]
fn finds_territories_by_name_like_people_type_them() {
    let epci = [TerritoryKind::Epci];
    assert_eq!(first("nantes", &epci)[0], "Nantes Métropole");
    assert_eq!(first("NANTES métropole", &[])[0], "Nantes Métropole");
    // Through its main town: Sablé-sur-Sarthe is in the Pays Sabolien.
    let sable = search(pack(), "sable", &epci, 5);
    let hit = sable
        .iter()
        .find(|m| m.territory.name() == "Communauté de communes du Pays Sabolien")
        .expect("Pays Sabolien found");
    assert_eq!(hit.via.as_deref(), Some("Sablé-sur-Sarthe"));
    assert_eq!(first("cc du pays sabolien", &epci)[0], "Communauté de communes du Pays Sabolien");
    assert_eq!(first("Sablé-sur-Sarthe", &epci)[0], "Communauté de communes du Pays Sabolien");
    // Accents, hyphens and legal forms are ignored.
    assert_eq!(first("loire atlantique", &[TerritoryKind::Departement])[0], "Loire-Atlantique");
    assert_eq!(first("pays de la loire", &[])[0], "Pays de la Loire");
    assert!(first("saint nazaire", &epci)[0].contains("Nazairienne"), "{:?}", first("saint nazaire", &epci));
    assert!(first("xqzw", &[]).is_empty());
    // A code finds its territory first.
    assert_eq!(first("244400404", &[])[0], "Nantes Métropole");
}

#[test]
fn codes_resolve_in_context() {
    let p = pack();
    let nm = p.territory_by_code("244400404", None).unwrap();
    assert_eq!(nm.name(), "Nantes Métropole");
    // 52: the Pays de la Loire for Nantes Métropole, Haute-Marne otherwise.
    assert_eq!(p.territory_by_code("52", Some(nm)).unwrap().name(), "Pays de la Loire");
    assert_eq!(p.territory_by_code("44", Some(nm)).unwrap().name(), "Loire-Atlantique");
    assert_eq!(p.territory_by_code("52", None).unwrap().name(), "Haute-Marne");
    assert_eq!(p.territory_by_code("reg:52", None).unwrap().name(), "Pays de la Loire");
    assert_eq!(p.territory_by_code("FRM", None).unwrap().name(), "France métropolitaine");
    assert_eq!(p.territory_by_code("frm", None).unwrap().name(), "France métropolitaine");
    assert_eq!(p.territory_by_code("2a", None).unwrap().name(), "Corse-du-Sud");
    assert_eq!(p.territory_by_code(" dep:2B ", None).unwrap().name(), "Haute-Corse");
    assert_eq!(p.territory_by_code("999", None).unwrap_err(), PackError::UnknownTerritory("999".into()));
    assert!(matches!(p.indicator("nope"), Err(PackError::UnknownIndicator(_))));
}

#[test]
fn default_comparisons_name_each_territory_once() {
    let p = pack();
    let keys = |code: &str| {
        p.territory_by_code(code, None).unwrap().default_comparisons().iter().map(|t| t.key()).collect::<Vec<_>>()
    };
    assert_eq!(keys("244400404"), ["dep:44", "reg:52", "pays:FRM"]);
    // Mayotte is a département and a région of one name: once, and no
    // France métropolitaine for a DROM.
    assert_eq!(keys("200050532"), ["dep:976"]);
    assert_eq!(keys("dep:44"), ["reg:52", "pays:FRM"]);
    assert_eq!(keys("reg:52"), ["pays:FRM"]);
    assert!(keys("FRM").is_empty());
}

#[test]
fn key_figures_compare_like_with_like() {
    let p = pack();
    let nm = p.territory_by_code("244400404", None).unwrap();
    let kf = territoire::report::key_figures(p, nm, &nm.default_comparisons()).unwrap();
    let names: Vec<&str> = kf.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Nantes Métropole", "Loire-Atlantique", "Pays de la Loire", "France métropolitaine"]);
    let row = |id: &str| kf.rows.iter().find(|r| r.indicator == id).unwrap();
    // Each column at its most recent vintage: poverty 2021 is published
    // for EPCI and PdL départements, 2019 for régions and France.
    let years = |id: &str| row(id).figures.iter().map(|f| f.year).collect::<Vec<_>>();
    assert_eq!(row("taux_pauvrete").figures[0].text, "12,8\u{a0}%");
    assert_eq!(years("taux_pauvrete"), [2021, 2021, 2019, 2019]);
    // RP 2023 covers the PdL only; France has RP 2018.
    assert_eq!(years("population"), [2023, 2023, 2023, 2018]);
    for r in &kf.rows {
        for f in &r.figures {
            assert!(!f.source.is_empty(), "{} {}", r.indicator, f.text);
        }
    }
}

fn load_err(bytes: &[u8]) -> PackError {
    Pack::from_bytes(bytes).expect_err("bad bytes must not load")
}

#[test]
fn refuses_truncated_resized_and_foreign_files_with_a_message() {
    let good = pack_bytes();
    for len in [0, 1, 7, 8, 23, PREFIX_LEN, PREFIX_LEN + 1, 1000, good.len() / 2, good.len() - 1] {
        let e = load_err(&good[..len]);
        assert!(!e.to_string().is_empty());
        assert!(
            matches!(e, PackError::TooShort { .. } | PackError::WrongLength { .. } | PackError::NotAPack),
            "len {len}: {e}"
        );
    }
    let mut longer = good.to_vec();
    longer.extend_from_slice(&[0; 16]);
    assert!(matches!(load_err(&longer), PackError::WrongLength { .. }));
    let e = load_err(b"<!doctype html><html>404 Not Found</html>");
    assert_eq!(e, PackError::NotAPack);
    assert!(e.to_string().contains("n'est pas un pack"), "{e}");
}

#[test]
fn refuses_another_format_version_saying_which_it_expects() {
    let mut other = pack_bytes().to_vec();
    other[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let e = load_err(&other);
    assert_eq!(e, PackError::WrongVersion { found: FORMAT_VERSION + 1, expected: FORMAT_VERSION });
    assert!(e.to_string().contains(&format!("attend la version {FORMAT_VERSION}")), "{e}");
}

#[test]
fn flipped_bytes_are_caught_by_the_checksum() {
    let good = pack_bytes();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..40 {
        let mut bad = good.to_vec();
        let at = PREFIX_LEN + rng.below(good.len() - PREFIX_LEN);
        bad[at] ^= 1 << rng.below(8);
        assert!(matches!(load_err(&bad), PackError::Corrupted { .. }), "flip at {at}");
    }
}

#[test]
fn structurally_bad_archives_with_a_valid_checksum_never_panic() {
    // Past the checksum (a crafted file), rkyv validation and the
    // consistency checks must refuse or accept, never panic.
    let good = pack_bytes();
    let mut rng = Rng(42);
    let (mut refused, mut tried) = (0, 0);
    for round in 0..60 {
        let mut bad = good.to_vec();
        let payload_len = bad.len() - PREFIX_LEN;
        // Corrupt the end of the archive (where rkyv puts the root and
        // the relative pointers of the last objects) more often.
        let tail = round % 2 == 0;
        for _ in 0..1 + rng.below(4) {
            let at = if tail {
                bad.len() - 1 - rng.below(4096.min(payload_len))
            } else {
                PREFIX_LEN + rng.below(payload_len)
            };
            bad[at] = rng.next() as u8;
        }
        let crc = crc32fast::hash(&bad[PREFIX_LEN..]);
        bad[12..16].copy_from_slice(&crc.to_le_bytes());
        tried += 1;
        match std::panic::catch_unwind(|| Pack::from_bytes(&bad)) {
            Ok(Ok(p)) => {
                // It loaded: every query must still answer without panic.
                let _ = p.territories().map(|t| p.observations(t).len()).sum::<usize>();
                let _ = search(&p, "nantes", &[], 5);
            }
            Ok(Err(e)) => {
                refused += 1;
                assert!(!e.to_string().is_empty());
            }
            Err(_) => panic!("round {round}: loading a crafted archive panicked"),
        }
    }
    assert!(refused > 0, "{refused}/{tried} refused: the mutations should hit structure sometimes");
}

#[test]
fn random_bytes_are_not_a_pack() {
    let mut rng = Rng(7);
    for len in [0usize, 3, 24, 25, 4096, 100_000] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let e = load_err(&bytes);
        assert!(matches!(e, PackError::NotAPack | PackError::TooShort { .. }), "{len}: {e}");
    }
    // Random bytes behind a valid prefix.
    let mut bytes = Vec::from(territoire::schema::MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    let payload: Vec<u8> = (0..50_000).map(|_| rng.next() as u8).collect();
    bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&payload);
    assert!(matches!(load_err(&bytes), PackError::Invalid(_)));
}

/// `Pack::latest` chooses from the status columns alone; a naive reading of
/// every year must choose the same (latest complete figure, else latest
/// partial, else the newest year as "non disponible").
#[test]
fn latest_agrees_with_reading_every_year() {
    use territoire::Status;
    let p = pack();
    let mut n = 0;
    for code in ["244400404", "243500741", "200000172", "245300389", "dep:44", "reg:52", "FRM", "dep:75"] {
        let t = p.territory_by_code(code, None).unwrap();
        for ind in p.indicators() {
            let all: Vec<_> = p.years(ind).iter().rev().filter_map(|y| p.value(t, ind, *y)).collect();
            let naive = all
                .iter()
                .find(|o| !matches!(o.status, Status::NotAvailable | Status::Partial))
                .or_else(|| all.iter().find(|o| o.status == Status::Partial))
                .or(all.first())
                .cloned();
            assert_eq!(p.latest(t, ind), naive, "{code} {}", ind.id());
            n += 1;
        }
    }
    assert!(n > 1000);
}
