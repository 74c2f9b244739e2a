//! Bounded, deterministic mutation fuzz of the pack loader
//! ([`Pack::from_bytes`]): the real pack (`build/pack.bin`) and a small
//! hand-made valid pack, truncated, bit-flipped, resized, re-versioned,
//! re-signed, and random bytes. Every input is loaded under
//! `catch_unwind`: a panic fails the test naming the input.
//!
//! Inputs that touch the prefix, the length or the magic must be refused
//! with a non-empty message (and another version with one naming the
//! version the viewer expects). Mutations inside the archive with the
//! CRC and the length recomputed (what a crafted file can do) reach rkyv's
//! validation and the consistency checks: they must be refused, or, when
//! the mutation only changed a figure or a letter of a name (which no
//! structural check can see), load and then answer every query the page
//! makes (snapshot, infographics, maps, document) without panicking.
//! Structured faults of the small pack (every cross-reference the
//! consistency checks know, and values they cannot judge: NaN, extremes,
//! empty collections) are re-serialised and loaded too; an empty pack
//! must be refused.
//!
//! Counts per kind and times are printed (`--nocapture`); the seeds are
//! fixed so a failure reproduces.

mod common;
use common::{pack_bytes, Rng};

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use territoire::pack::{to_bytes, PackError};
use territoire::schema::{
    Feature, Geometry, Header, Indicator, Layer, Lod, PackData, Polygon, Ring, Series, Source, Territory, Typology,
    TypologyClass, TypologyVariable, FORMAT_VERSION, MAGIC, MISSING_VALUE, NO_TERRITORY, PREFIX_LEN,
};
use territoire::Pack;

// ---- panics as data ------------------------------------------------------

thread_local! {
    /// Set while a fuzz input runs: the panic hook records the message and
    /// location here instead of printing (thousands of inputs).
    static CAPTURE: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        *slot = Some(info.to_string());
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                default(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err(message with location)`.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    CAPTURE.with(|c| *c.borrow_mut() = Some(None));
    let r = catch_unwind(AssertUnwindSafe(f));
    let msg = CAPTURE.with(|c| c.borrow_mut().take().flatten());
    r.map_err(|_| msg.unwrap_or_else(|| "panic".into()))
}

// ---- tallies ---------------------------------------------------------------

/// One kind of input: how many were tried, refused, loaded; failures.
struct Kind {
    name: &'static str,
    tried: usize,
    refused: usize,
    /// Refusals by error variant: shows which check caught them (the
    /// prefix, the CRC, rkyv's validation, the consistency checks).
    by_variant: std::collections::BTreeMap<&'static str, usize>,
    loaded: usize,
    start: Instant,
    /// Whether a mutated input may load (a mutation inside the archive
    /// with the CRC recomputed can change a figure without breaking
    /// anything structural).
    may_load: bool,
    failures: Vec<String>,
}

impl Kind {
    fn new(name: &'static str, may_load: bool) -> Kind {
        Kind {
            name,
            tried: 0,
            refused: 0,
            by_variant: Default::default(),
            loaded: 0,
            start: Instant::now(),
            may_load,
            failures: Vec::new(),
        }
    }

    /// Loads `bytes`; returns the error when refused. `label` says which
    /// input it was, for the failure report.
    fn load(&mut self, label: impl Fn() -> String, bytes: &[u8], exercise: fn(&Pack)) -> Option<PackError> {
        self.tried += 1;
        match guarded(|| Pack::from_bytes(bytes)) {
            Err(panic) => {
                self.failures.push(format!("{} {}: loading panicked: {panic}", self.name, label()));
                None
            }
            Ok(Err(e)) => {
                self.refused += 1;
                *self.by_variant.entry(variant(&e)).or_default() += 1;
                if e.to_string().trim().is_empty() {
                    self.failures.push(format!("{} {}: empty error message ({e:?})", self.name, label()));
                }
                Some(e)
            }
            Ok(Ok(pack)) => {
                self.loaded += 1;
                if !self.may_load {
                    self.failures.push(format!("{} {}: loaded", self.name, label()));
                } else if let Err(panic) = guarded(|| exercise(&pack)) {
                    self.failures.push(format!("{} {}: loaded, then a query panicked: {panic}", self.name, label()));
                }
                None
            }
        }
    }

    fn fail(&mut self, label: String) {
        self.failures.push(format!("{} {label}", self.name));
    }

    /// Prints the tally and returns the failures.
    fn finish(self) -> Vec<String> {
        println!(
            "fuzz_pack: {:<48} {:>6} tried, {:>6} refused, {:>5} loaded, {:>6.2} s",
            self.name,
            self.tried,
            self.refused,
            self.loaded,
            self.start.elapsed().as_secs_f64()
        );
        let variants: Vec<String> = self.by_variant.iter().map(|(v, n)| format!("{v} {n}")).collect();
        if !variants.is_empty() {
            println!("fuzz_pack: {:<48} refused by: {}", "", variants.join(", "));
        }
        self.failures
    }
}

fn variant(e: &PackError) -> &'static str {
    match e {
        PackError::TooShort { .. } => "TooShort",
        PackError::NotAPack => "NotAPack",
        PackError::WrongVersion { .. } => "WrongVersion",
        PackError::WrongLength { .. } => "WrongLength",
        PackError::Corrupted { .. } => "Corrupted",
        PackError::Invalid(_) => "Invalid (rkyv)",
        PackError::Inconsistent(_) => "Inconsistent",
        PackError::UnknownTerritory(_) => "UnknownTerritory",
        PackError::UnknownIndicator(_) => "UnknownIndicator",
    }
}

fn report(failures: Vec<String>) {
    if !failures.is_empty() {
        let shown: Vec<&str> = failures.iter().take(20).map(String::as_str).collect();
        panic!("{} fuzz inputs failed:\n  {}", failures.len(), shown.join("\n  "));
    }
}

/// A pack file around `payload`: magic, `version`, CRC and length computed.
fn seal(payload: &[u8], version: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(PREFIX_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// Recomputes the CRC and length of `file` in place (after a mutation of
/// its archive).
fn reseal(file: &mut [u8]) {
    let crc = crc32fast::hash(&file[PREFIX_LEN..]);
    let len = (file.len() - PREFIX_LEN) as u64;
    file[12..16].copy_from_slice(&crc.to_le_bytes());
    file[16..24].copy_from_slice(&len.to_le_bytes());
}

// ---- what a loaded pack must answer ----------------------------------------------

/// The page's queries on a small pack: every territory's details and key
/// figures, the EPCI's snapshot with its infographics (compared with its
/// département, région and France: every column of the pack), its maps in
/// every view.
fn exercise_small(p: &Pack) {
    use territoire::map::{self, View};
    let _ = territoire::report::PackInfo::of(p);
    for q in ["nantes", "loire", "44", "a", ""] {
        let _ = territoire::search::search(p, q, &[], 5);
    }
    let _ = map::indicators(p);
    for t in p.territories() {
        let _ = territoire::report::TerritoryDetail::of(p, t);
        let _ = territoire::report::key_figures(p, t, &t.default_comparisons());
    }
    let Some(t) = p.territories_of_kind(territoire::TerritoryKind::Epci).next() else { return };
    let comparisons = t.default_comparisons();
    if let Ok(snap) = territoire::snapshot::build(p, t, &comparisons) {
        let _ = territoire::report::SnapshotView::of(snap);
    }
    let mut requests = territoire::export::default_maps(t, &comparisons);
    for view in [View::FranceEpci, View::PdlCommunes, View::DepartementEpci { departement: "44".into() }] {
        let mut r = requests[0].clone();
        r.view = view;
        requests.push(r);
    }
    for r in &requests {
        let _ = map::draw(p, r);
    }
}

/// [`exercise_small`], then every territory's snapshot and the EPCI's PDF
/// document (several milliseconds: for the random mutations only).
fn exercise_small_fully(p: &Pack) {
    exercise_small(p);
    for t in p.territories() {
        let comparisons = t.default_comparisons();
        if let Ok(snap) = territoire::snapshot::build(p, t, &comparisons) {
            let _ = territoire::report::SnapshotView::of(snap);
        }
    }
    if let Some(t) = p.territories_of_kind(territoire::TerritoryKind::Epci).next() {
        let comparisons = t.default_comparisons();
        let comments = territoire::export::Comments::default();
        let _ = territoire::export::snapshot_document(p, t, &comparisons, &comments, &[], "2026-11-21");
    }
}

/// What the page does first on the real pack: a snapshot of one EPCI with
/// its infographics, a search, a map (bounded: the real pack is large).
fn exercise_real(p: &Pack) {
    let _ = territoire::report::PackInfo::of(p);
    let _ = territoire::search::search(p, "nantes", &[], 5);
    for code in ["244400404", "FRM"] {
        if let Ok(t) = p.territory_by_code(code, None) {
            let comparisons = t.default_comparisons();
            if let Ok(snap) = territoire::snapshot::build(p, t, &comparisons) {
                let _ = territoire::report::SnapshotView::of(snap);
            }
            if code == "244400404" {
                for r in territoire::export::default_maps(t, &comparisons) {
                    let _ = territoire::map::draw(p, &r);
                }
            }
        }
    }
}

// ---- a small valid pack ----------------------------------------------------------

/// Five territories (France, a région, a département, an EPCI, a commune),
/// two indicators, one source, two series with every status column, one
/// square of geometry in every layer and a typology: every kind of
/// cross-reference the consistency checks know, in ~2 KB.
fn small_pack() -> PackData {
    let territory = |code: &str, name: &str, kind: u8, deps: Vec<u32>, regs: Vec<u32>, epci: u32| Territory {
        code: code.into(),
        name: name.into(),
        kind,
        epci_type: if kind == 3 { "ME".into() } else { String::new() },
        departements: deps,
        regions: regs,
        epci,
        pdl: if kind == 0 { 1 } else { 2 },
        metro: true,
        search_key: territoire::search::normalize(name),
        alias_names: if kind == 3 { "Nantes|Rezé".into() } else { String::new() },
    };
    let square = |x: i32, y: i32| vec![x, y, 1000, 0, 0, 1000, -1000, 0, 0, -1000];
    let lod = |name: &str| Lod {
        name: name.into(),
        tolerance_m: 100.0,
        arc_offsets: vec![0, 5],
        coords: square(350_000, 6_700_000),
    };
    let feature = |territory: u32| Feature {
        territory,
        bbox: [350_000, 6_700_000, 351_000, 6_701_000],
        anchor: [350_500, 6_700_500],
        polygons: vec![Polygon { rings: vec![Ring { arcs: vec![0] }] }],
    };
    let series = |indicator: u32, territories: Vec<u32>, values: Vec<i32>, status: Vec<u8>, scale: u8| {
        let n = territories.len();
        Series {
            indicator,
            year: 2021,
            source: 0,
            territories,
            scale,
            values,
            status,
            fraction_scale: 0,
            numerators: if indicator == 1 { vec![1; n] } else { Vec::new() },
            denominators: if indicator == 1 { vec![8; n] } else { Vec::new() },
        }
    };
    PackData {
        header: Header { build_date: "2026-11-21T00:00:00Z".into(), builder: "fuzz".into(), source_files: Vec::new() },
        territories: vec![
            territory("FRM", "France métropolitaine", 0, vec![], vec![], NO_TERRITORY),
            territory("52", "Pays de la Loire", 1, vec![], vec![], NO_TERRITORY),
            territory("44", "Loire-Atlantique", 2, vec![], vec![1], NO_TERRITORY),
            territory("244400404", "Nantes Métropole", 3, vec![2], vec![1], NO_TERRITORY),
            territory("44109", "Nantes", 4, vec![2], vec![1], 3),
        ],
        // Sorted by code: "244400404" < "44" < "44109" < "52" < "FRM".
        code_index: vec![3, 2, 4, 1, 0],
        indicators: vec![
            Indicator {
                id: "population".into(),
                label: "Population".into(),
                definition: "Population municipale.".into(),
                unit: 0,
                kind: 0,
                theme: "population".into(),
            },
            Indicator {
                id: "taux_pauvrete".into(),
                label: "Taux de pauvreté".into(),
                definition: "Part des personnes pauvres.".into(),
                unit: 2,
                kind: 1,
                theme: "pauvrete".into(),
            },
        ],
        sources: vec![Source {
            id: "filosofi_2021".into(),
            label: "Insee, Filosofi 2021".into(),
            producer: "Insee".into(),
            vintage: "2021".into(),
            geography: "COG 2025".into(),
            files: vec!["filosofi.csv".into()],
            note: String::new(),
        }],
        series: vec![
            series(0, vec![0, 1, 2, 3, 4], vec![62_000_000, 3_900_000, 1_470_000, 680_000, 320_000], vec![0; 5], 0),
            series(1, vec![0, 1, 2, 3, 4], vec![145, 110, 120, 128, MISSING_VALUE], vec![0, 0, 3, 0, 1], 1),
        ],
        geometry: Geometry {
            crs: "EPSG:2154".into(),
            lods: vec![lod("france"), lod("region")],
            layers: (1..=4).map(|kind| Layer { kind, features: vec![feature(kind as u32)] }).collect(),
        },
        typologies: vec![Typology {
            id: "fragilites".into(),
            label: "Typologie".into(),
            method: "Ward.".into(),
            variables: vec![TypologyVariable { indicator: 1, year: 2021 }],
            classes: vec![TypologyClass { label: "Classe".into(), profile: vec![0.5], size: 1 }],
            territories: vec![3],
            class_of: vec![0],
        }],
    }
}

// ---- the tests ---------------------------------------------------------------------

#[test]
fn fuzz_truncated_resized_resigned_reversioned_and_random_files_are_refused_with_a_message() {
    let good = pack_bytes();
    let payload_len = good.len() - PREFIX_LEN;
    let mut rng = Rng(0x5eed_0001);
    let mut failures = Vec::new();

    // Truncated: every length through the prefix and the first bytes of
    // the archive, then spread over the archive and near its end.
    let mut k = Kind::new("truncated", false);
    let mut lengths: Vec<usize> = (0..=PREFIX_LEN + 64).collect();
    lengths.extend((1..=64).map(|d| good.len() - d));
    lengths.extend((0..1000).map(|_| PREFIX_LEN + rng.below(payload_len)));
    for len in lengths {
        k.load(|| format!("to {len} bytes"), &good[..len], exercise_real);
    }
    failures.extend(k.finish());

    // Resized: the length field wrong (the bytes intact), bytes appended
    // (the length intact), and both (the length saying the new size, CRC
    // of the original payload).
    let mut k = Kind::new("resized (length field or size wrong)", false);
    let mut file = good.to_vec();
    let mut announced: Vec<u64> = vec![0, 1, payload_len as u64 - 1, payload_len as u64 + 1, u64::MAX, u64::MAX / 2];
    announced.extend((0..64).map(|b| (payload_len as u64) ^ (1 << b)));
    announced.extend((0..300).map(|_| rng.next()));
    for a in announced.into_iter().filter(|a| *a != payload_len as u64) {
        file[16..24].copy_from_slice(&a.to_le_bytes());
        if let Some(e) = k.load(|| format!("length field {a}"), &file, exercise_real) {
            if !matches!(e, PackError::WrongLength { .. }) {
                k.fail(format!("length field {a}: {e}"));
            }
        }
    }
    file[16..24].copy_from_slice(&good[16..24]);
    for n in (1..=64).chain([100, 4096, 65_536]) {
        let extra = rng.bytes(n);
        file.extend_from_slice(&extra);
        k.load(|| format!("{n} bytes appended"), &file, exercise_real);
        let new_len = (file.len() - PREFIX_LEN) as u64;
        file[16..24].copy_from_slice(&new_len.to_le_bytes());
        k.load(|| format!("{n} bytes appended, length updated"), &file, exercise_real);
        file.truncate(good.len());
        file[16..24].copy_from_slice(&good[16..24]);
    }
    failures.extend(k.finish());

    // Bit flips in the prefix: every single bit, then random multi-bit
    // flips (skipped when they cancel out).
    let mut k = Kind::new("prefix bit flips", false);
    for bit in 0..PREFIX_LEN * 8 {
        file[bit / 8] ^= 1 << (bit % 8);
        k.load(|| format!("bit {bit}"), &file, exercise_real);
        file[bit / 8] ^= 1 << (bit % 8);
    }
    for round in 0..600 {
        let flips: Vec<usize> = (0..2 + rng.below(7)).map(|_| rng.below(PREFIX_LEN * 8)).collect();
        for b in &flips {
            file[b / 8] ^= 1 << (b % 8);
        }
        if file[..PREFIX_LEN] != good[..PREFIX_LEN] {
            k.load(|| format!("round {round}, bits {flips:?}"), &file, exercise_real);
        }
        file[..PREFIX_LEN].copy_from_slice(&good[..PREFIX_LEN]);
    }
    failures.extend(k.finish());

    // Bit flips in the archive, CRC left as it was: the checksum refuses
    // every one.
    let mut k = Kind::new("archive bit flips (CRC kept)", false);
    for round in 0..300 {
        let at = PREFIX_LEN + rng.below(payload_len);
        let bit = 1u8 << rng.below(8);
        file[at] ^= bit;
        if let Some(e) = k.load(|| format!("round {round}, byte {at}"), &file, exercise_real) {
            if !matches!(e, PackError::Corrupted { .. }) {
                k.fail(format!("byte {at}: {e}"));
            }
        }
        file[at] ^= bit;
    }
    failures.extend(k.finish());

    // Another format version, on the whole file and on the prefix alone:
    // refused before anything else, saying which version the viewer wants
    // (tests/pack.rs checks FORMAT_VERSION + 1; here every kind of value).
    let mut k = Kind::new("wrong version", false);
    let mut versions: Vec<u32> = vec![0, 1, 3, 4, 10, 255, 256, 65_535, 1 << 24, 2 << 24, i32::MAX as u32, u32::MAX];
    versions.extend([FORMAT_VERSION.wrapping_sub(1), FORMAT_VERSION + 1, FORMAT_VERSION.swap_bytes()]);
    versions.extend((0..300).map(|_| rng.next() as u32));
    versions.retain(|v| *v != FORMAT_VERSION);
    for v in versions {
        file[8..12].copy_from_slice(&v.to_le_bytes());
        for len in [file.len(), PREFIX_LEN] {
            match k.load(|| format!("version {v}, {len} bytes"), &file[..len], exercise_real) {
                Some(e @ PackError::WrongVersion { .. }) => {
                    let m = e.to_string();
                    if !(m.contains(&format!("version {v},"))
                        && m.contains(&format!("attend la version {FORMAT_VERSION}")))
                    {
                        k.fail(format!("version {v}: message does not name both versions: {m}"));
                    }
                }
                Some(e) => k.fail(format!("version {v}: {e:?} instead of WrongVersion")),
                None => {}
            }
        }
    }
    file[8..12].copy_from_slice(&good[8..12]);
    failures.extend(k.finish());

    // Not our magic: every byte of it replaced by every other value, and
    // the starts of files a server might send instead (gzip, zip, HTML...).
    let mut k = Kind::new("wrong magic", false);
    for i in 0..MAGIC.len() {
        for b in 0..=255u8 {
            if b == MAGIC[i] {
                continue;
            }
            file[i] = b;
            if let Some(e) = k.load(|| format!("byte {i} = {b:#04x}"), &file, exercise_real) {
                if e != PackError::NotAPack {
                    k.fail(format!("byte {i} = {b:#04x}: {e:?}"));
                }
            }
        }
        file[i] = MAGIC[i];
    }
    let foreign: [&[u8]; 10] = [
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"PK\x03\x04\x14\x00\x00\x00",
        b"<!DOCTYPE html>",
        b"{\"error\":\"not found\"}",
        b"%PDF-1.7",
        b"\x89PNG\r\n\x1a\n",
        b"\0asm\x01\0\0\0",
        b"tsnapack",
        b"\xef\xbb\xbfTSNAPACK",
        b"T\0S\0N\0A\0P\0A\0C\0K\0",
    ];
    for f in foreign {
        let mut bad = f.to_vec();
        bad.extend_from_slice(&good[..4096]);
        k.load(|| format!("starts with {:?}", String::from_utf8_lossy(f)), &bad, exercise_real);
        let mut bad = good.to_vec();
        bad[..f.len().min(8)].copy_from_slice(&f[..f.len().min(8)]);
        k.load(|| format!("magic replaced by {:?}", String::from_utf8_lossy(f)), &bad, exercise_real);
    }
    failures.extend(k.finish());

    // Random bytes of many lengths, and random payloads behind a valid
    // prefix (these reach rkyv).
    let mut k = Kind::new("random bytes", false);
    for round in 0..3000 {
        let len = match round % 3 {
            0 => rng.below(PREFIX_LEN + 8),
            1 => rng.below(4096),
            _ => rng.below(100_000),
        };
        let bytes = rng.bytes(len);
        k.load(|| format!("round {round}, {len} bytes"), &bytes, exercise_real);
    }
    failures.extend(k.finish());
    let mut k = Kind::new("random payload behind a valid prefix", false);
    for round in 0..1500 {
        let len = if round < 256 { round } else { rng.below(if round % 10 == 0 { 100_000 } else { 4096 }) };
        let file = seal(&rng.bytes(len), FORMAT_VERSION);
        k.load(|| format!("round {round}, {len} bytes"), &file, exercise_real);
    }
    failures.extend(k.finish());

    report(failures);
}

#[test]
fn fuzz_real_pack_archive_mutations_with_the_crc_recomputed_are_refused_or_harmless() {
    let good = pack_bytes();
    let payload_len = good.len() - PREFIX_LEN;
    let mut rng = Rng(0x5eed_0002);
    let mut failures = Vec::new();
    let mut file = good.to_vec();

    // Truncated archives, resealed: the CRC and length say the cut size.
    let mut k = Kind::new("real: truncated archive, resealed", true);
    let mut cuts: Vec<usize> = [1, 2, 3, 4, 8, 16, 64, 256, 4096, 65_536].iter().map(|d| payload_len - d).collect();
    cuts.extend([0, 1, 8, 64, 1024]);
    cuts.extend((0..100).map(|_| rng.below(payload_len)));
    for cut in cuts {
        let mut f = good[..PREFIX_LEN + cut].to_vec();
        reseal(&mut f);
        k.load(|| format!("archive cut to {cut} bytes"), &f, exercise_real);
    }
    failures.extend(k.finish());

    // Bit flips, resealed: half in the last 64 KB (the root and the
    // top-level vectors' headers, where rkyv writes them), half anywhere.
    let mut k = Kind::new("real: archive bit flips, resealed", true);
    for round in 0..300 {
        let at = if round % 2 == 0 { good.len() - 1 - rng.below(65_536) } else { PREFIX_LEN + rng.below(payload_len) };
        let bit = 1u8 << rng.below(8);
        file[at] ^= bit;
        reseal(&mut file);
        k.load(|| format!("round {round}, byte {at} ^ {bit:#04x}"), &file, exercise_real);
        file[at] ^= bit;
    }
    file[..PREFIX_LEN].copy_from_slice(&good[..PREFIX_LEN]);
    failures.extend(k.finish());

    // 32-bit words (rkyv's relative pointers and lengths are 32-bit here)
    // overwritten with edge values, resealed, mostly near the end.
    let mut k = Kind::new("real: archive words overwritten, resealed", true);
    let edges = [0u32, 1, 0xffff_ffff, 0x7fff_ffff, 0x8000_0000, 0xffff_fff0, 0x0000_0010, 0x0100_0000];
    for round in 0..300 {
        let from_end = if round % 3 == 2 { rng.below(payload_len / 4) } else { rng.below(16_384) };
        let at = good.len() - 4 - 4 * from_end;
        let v = if round % 4 == 3 { rng.next() as u32 } else { edges[rng.below(edges.len())] };
        file[at..at + 4].copy_from_slice(&v.to_le_bytes());
        reseal(&mut file);
        k.load(|| format!("round {round}, word at {at} = {v:#x}"), &file, exercise_real);
        file[at..at + 4].copy_from_slice(&good[at..at + 4]);
    }
    failures.extend(k.finish());

    // Zeros appended after the archive, length and CRC updated: rkyv reads
    // its root from the end, so the zeros become the root.
    let mut k = Kind::new("real: zeros or the archive's tail appended, resealed", true);
    for n in [8, 16, 64, 128, 256, 512, 1024] {
        let mut f = good.to_vec();
        f.extend(std::iter::repeat_n(0u8, n));
        reseal(&mut f);
        k.load(|| format!("{n} zeros appended"), &f, exercise_real);
        let mut f = good.to_vec();
        f.extend_from_slice(&good[good.len() - n..]);
        reseal(&mut f);
        k.load(|| format!("last {n} bytes repeated"), &f, exercise_real);
    }
    failures.extend(k.finish());

    report(failures);
}

#[test]
fn fuzz_small_pack_every_bit_and_byte_mutated_with_the_crc_recomputed_never_panics() {
    let data = small_pack();
    let good = to_bytes(&data).expect("small pack serialises");
    let pack = Pack::from_bytes(&good).expect("the small pack is valid");
    // The small pack answers the page's queries (a baseline for the
    // mutations below, which must not panic either).
    exercise_small_fully(&pack);
    let t = pack.territory_by_code("244400404", None).unwrap();
    assert_eq!(t.name(), "Nantes Métropole");
    let payload_len = good.len() - PREFIX_LEN;
    println!("fuzz_pack: small pack archive is {payload_len} bytes");
    let mut failures = Vec::new();
    let mut file = good.clone();

    // Every single bit of the archive flipped.
    let mut k = Kind::new("small: every archive bit flipped, resealed", true);
    for bit in 0..payload_len * 8 {
        let at = PREFIX_LEN + bit / 8;
        file[at] ^= 1 << (bit % 8);
        reseal(&mut file);
        k.load(|| format!("archive bit {bit}"), &file, exercise_small);
        file[at] ^= 1 << (bit % 8);
    }
    failures.extend(k.finish());

    // Every byte set to edge values.
    let mut k = Kind::new("small: every archive byte set to 00/ff/7f/80", true);
    for i in 0..payload_len {
        let at = PREFIX_LEN + i;
        for v in [0x00u8, 0xff, 0x7f, 0x80] {
            if good[at] == v {
                continue;
            }
            file[at] = v;
            reseal(&mut file);
            k.load(|| format!("archive byte {i} = {v:#04x}"), &file, exercise_small);
        }
        file[at] = good[at];
    }
    failures.extend(k.finish());

    // Cut at every length, resealed; and the whole archive replaced by
    // zeros of every length up to its size.
    let mut k = Kind::new("small: archive cut or zeroed at every length", true);
    for cut in 0..payload_len {
        let mut f = good[..PREFIX_LEN + cut].to_vec();
        reseal(&mut f);
        k.load(|| format!("archive cut to {cut} bytes"), &f, exercise_small);
        let f = seal(&vec![0u8; cut + 1], FORMAT_VERSION);
        k.load(|| format!("{} zero bytes", cut + 1), &f, exercise_small);
    }
    failures.extend(k.finish());

    // Random multi-byte damage.
    let mut rng = Rng(0x5eed_0003);
    let mut k = Kind::new("small: 2 to 8 random bytes changed, resealed", true);
    for round in 0..5000 {
        let mut f = good.clone();
        for _ in 0..2 + rng.below(7) {
            let at = PREFIX_LEN + rng.below(payload_len);
            f[at] = rng.next() as u8;
        }
        reseal(&mut f);
        k.load(|| format!("round {round}"), &f, exercise_small_fully);
    }
    failures.extend(k.finish());

    report(failures);
}

/// The harness itself: a panic inside an input is reported with its
/// message and location, not swallowed.
#[test]
fn fuzz_harness_turns_a_panic_into_a_failure_naming_the_input() {
    let mut k = Kind::new("harness self-check", true);
    k.load(|| "the small pack".into(), &to_bytes(&small_pack()).unwrap(), |_| panic!("query exploded"));
    let failures = k.finish();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("the small pack") && failures[0].contains("query exploded"), "{failures:?}");
    assert!(failures[0].contains("fuzz_pack.rs"), "location missing: {failures:?}");
}

/// One structured fault of the small pack: a name, the change, and whether
/// the consistency checks must refuse it (`true`) or it may load (a value
/// no check can judge: the page must still answer without panicking).
type Fault = (&'static str, fn(&mut PackData), bool);

#[test]
fn fuzz_small_pack_structured_faults_are_refused_as_inconsistent_or_answer_without_panic() {
    let faults: &[Fault] = &[
        // Cross-references and codes the consistency checks know.
        ("territory kind 9", |d| d.territories[3].kind = 9, true),
        ("territory PdL coverage 7", |d| d.territories[3].pdl = 7, true),
        ("commune's EPCI out of range", |d| d.territories[4].epci = 99, true),
        ("département out of range", |d| d.territories[3].departements.push(99), true),
        ("région out of range", |d| d.territories[3].regions[0] = 5, true),
        ("code index too short", |d| d.code_index.truncate(4), true),
        ("code index out of range", |d| d.code_index[0] = 5, true),
        ("indicator unit 99", |d| d.indicators[1].unit = 99, true),
        ("indicator kind 99", |d| d.indicators[1].kind = 99, true),
        ("series indicator out of range", |d| d.series[1].indicator = 2, true),
        ("series source out of range", |d| d.series[0].source = 1, true),
        ("series unsorted", |d| d.series.swap(0, 1), true),
        ("series duplicated", |d| d.series[1].indicator = 0, true),
        ("values column short", |d| d.series[0].values.pop().map(|_| ()).unwrap_or(()), true),
        ("status column long", |d| d.series[0].status.push(0), true),
        ("scale 4", |d| d.series[1].scale = 4, true),
        ("fraction scale 255", |d| d.series[1].fraction_scale = 255, true),
        ("numerators incomplete", |d| d.series[1].numerators.truncate(2), true),
        ("series territory out of range", |d| d.series[0].territories[4] = 5, true),
        ("series territories unsorted", |d| d.series[0].territories.swap(1, 2), true),
        ("series territories repeated", |d| d.series[0].territories[2] = 1, true),
        ("status code 6", |d| d.series[0].status[2] = 6, true),
        ("typology class out of range", |d| d.typologies[0].class_of[0] = 1, true),
        ("typology classes short", |d| d.typologies[0].class_of.clear(), true),
        ("typology territory out of range", |d| d.typologies[0].territories[0] = 5, true),
        ("typology variable out of range", |d| d.typologies[0].variables[0].indicator = 2, true),
        ("typology profile short", |d| d.typologies[0].classes[0].profile.clear(), true),
        ("levels of detail with different arc counts", |d| d.geometry.lods[1].arc_offsets.push(5), true),
        ("arc offsets decreasing", |d| d.geometry.lods[0].arc_offsets = vec![3, 2], true),
        ("coordinates incomplete", |d| d.geometry.lods[0].coords.pop().map(|_| ()).unwrap_or(()), true),
        ("layer kind 9", |d| d.geometry.layers[0].kind = 9, true),
        ("feature territory out of range", |d| d.geometry.layers[2].features[0].territory = 5, true),
        ("ring arc out of range", |d| d.geometry.layers[2].features[0].polygons[0].rings[0].arcs[0] = 1, true),
        (
            "reversed ring arc out of range",
            |d| d.geometry.layers[2].features[0].polygons[0].rings[0].arcs[0] = !1,
            true,
        ),
        ("ring arc i32::MIN", |d| d.geometry.layers[2].features[0].polygons[0].rings[0].arcs[0] = i32::MIN, true),
        // Values no structural check can judge: they may load, and then
        // every query must answer without panicking.
        ("every value missing with a value status", |d| d.series[1].values.fill(MISSING_VALUE), false),
        ("extreme values", |d| d.series[1].values = vec![i32::MAX, i32::MIN + 1, 0, -1, i32::MAX], false),
        ("zero denominators", |d| d.series[1].denominators.fill(0), false),
        ("NaN typology profile", |d| d.typologies[0].classes[0].profile[0] = f64::NAN, false),
        ("infinite typology profile", |d| d.typologies[0].classes[0].profile[0] = f64::INFINITY, false),
        ("NaN simplification tolerance", |d| d.geometry.lods[0].tolerance_m = f64::NAN, false),
        (
            "coordinates at i32 limits",
            |d| d.geometry.lods[0].coords = vec![i32::MAX, i32::MIN, i32::MAX, i32::MAX, i32::MIN, 0, 7, -7, 1, 1],
            false,
        ),
        (
            "all arcs one point long",
            |d| {
                for l in &mut d.geometry.lods {
                    l.arc_offsets = vec![0, 1];
                    l.coords = vec![350_000, 6_700_000];
                }
            },
            false,
        ),
        (
            "empty arcs",
            |d| {
                for l in &mut d.geometry.lods {
                    l.arc_offsets = vec![0, 0];
                    l.coords.clear();
                }
            },
            false,
        ),
        (
            "no level of detail",
            |d| {
                d.geometry.lods.clear();
                d.geometry.layers.iter_mut().for_each(|l| l.features[0].polygons.clear());
            },
            false,
        ),
        (
            "inverted, degenerate bounding boxes",
            |d| {
                for l in &mut d.geometry.layers {
                    l.features[0].bbox = [i32::MAX, i32::MAX, i32::MIN, i32::MIN];
                    l.features[0].anchor = [i32::MIN, i32::MAX];
                }
            },
            false,
        ),
        ("no layers", |d| d.geometry.layers.clear(), false),
        ("no typology", |d| d.typologies.clear(), false),
        (
            "typology with no class",
            |d| {
                let t = &mut d.typologies[0];
                t.classes.clear();
                t.territories.clear();
                t.class_of.clear();
            },
            false,
        ),
        ("no series", |d| d.series.clear(), false),
        (
            "series with no territory",
            |d| {
                let s = &mut d.series[1];
                s.territories.clear();
                s.values.clear();
                s.status.clear();
                s.numerators.clear();
                s.denominators.clear();
            },
            false,
        ),
        (
            "year 0 and 65535",
            |d| {
                d.series[0].year = 0;
                d.series[1].year = u16::MAX;
            },
            false,
        ),
        ("every territory a commune", |d| d.territories.iter_mut().for_each(|t| t.kind = 4), false),
        ("a territory its own parent", |d| d.territories[2].departements = vec![2], false),
        (
            "codes duplicated and unsorted",
            |d| {
                d.territories.iter_mut().for_each(|t| t.code = "44".into());
                d.code_index.reverse();
            },
            false,
        ),
        (
            "empty names and codes",
            |d| {
                d.territories.iter_mut().for_each(|t| {
                    t.name.clear();
                    t.code.clear();
                    t.search_key.clear();
                })
            },
            false,
        ),
        ("aliases of separators only", |d| d.territories[3].alias_names = "||||".into(), false),
        (
            "no territory, indicator or series at all",
            |d| {
                d.territories.clear();
                d.code_index.clear();
                d.series.clear();
                d.typologies.clear();
                d.geometry.layers.clear();
            },
            false,
        ),
        (
            "an empty pack",
            |d| {
                *d = PackData {
                    header: d.header.clone(),
                    territories: Vec::new(),
                    code_index: Vec::new(),
                    indicators: Vec::new(),
                    sources: Vec::new(),
                    series: Vec::new(),
                    geometry: Geometry { crs: String::new(), lods: Vec::new(), layers: Vec::new() },
                    typologies: Vec::new(),
                }
            },
            true, // refused: nothing to show
        ),
    ];
    let mut k = Kind::new("small: structured faults (re-serialised)", true);
    let mut inconsistent = 0;
    for (name, fault, must_refuse) in faults {
        let mut data = small_pack();
        fault(&mut data);
        let bytes = match guarded(|| to_bytes(&data)) {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => {
                k.fail(format!("{name}: does not serialise: {e}"));
                continue;
            }
            Err(panic) => {
                k.fail(format!("{name}: serialising panicked: {panic}"));
                continue;
            }
        };
        match k.load(|| name.to_string(), &bytes, exercise_small_fully) {
            Some(PackError::Inconsistent(_)) => inconsistent += 1,
            Some(e) => k.fail(format!("{name}: {e:?} instead of Inconsistent")),
            None if *must_refuse => k.fail(format!("{name}: loaded, the consistency checks should refuse it")),
            None => {}
        }
    }
    let must = faults.iter().filter(|f| f.2).count();
    println!("fuzz_pack: {must} faults the consistency checks must catch, {inconsistent} refused as inconsistent");
    report(k.finish());
}
