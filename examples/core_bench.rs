//! Native timings of the core's two interactive calls on a pack (printed,
//! for `make bench`; the browser counterpart is bench/core-timings.mjs): the
//! snapshot of an EPCI, a département and a région with their default
//! comparisons (built and written as SVG, as `Viewer::snapshot` does before
//! the JS conversion), and the France EPCI choropleth by phase, uncached and
//! through the viewer's geometry cache.
//!
//! ```text
//! cargo run --release --example core_bench -- [build/pack.bin] [runs]
//! CORE_DUMP=/dir cargo run --release --example core_bench   # also writes the SVGs, to compare bytes (cmp -r)
//! ```

use std::time::Instant;

use territoire::classify::Method;
use territoire::map::{self, Layer, MapRequest, View};
use territoire::render::patch::Shown;
use territoire::report::{InfographicsView, SnapshotView};
use territoire::schema::TerritoryKind;
use territoire::Pack;

/// Median in ms of `runs` calls of `f` after one warm-up call.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn snapshot_svgs(p: &Pack, code: &str) -> Vec<String> {
    let t = p.territory_by_code(code, None).unwrap();
    let s = territoire::snapshot::build(p, t, &t.default_comparisons()).unwrap();
    SnapshotView::of(s).panels.into_iter().map(|p| p.svg).collect()
}

fn france(indicator: &str, highlight: &str) -> MapRequest {
    MapRequest {
        view: View::FranceEpci,
        layer: Layer::Choropleth {
            indicator: indicator.into(),
            year: None,
            method: Method::Quantiles,
            classes: 5,
            palette: None,
            circles: false,
        },
        highlight: vec![highlight.into()],
        width: 960.0,
        height: 960.0,
    }
}

fn snapshot_timings(p: &Pack, runs: usize) {
    for code in ["epci:244400404", "dep:44", "reg:52"] {
        let first = snapshot_svgs(p, code);
        let t = p.territory_by_code(code, None).unwrap();
        let comparisons = t.default_comparisons();
        let build = median_ms(runs, || {
            std::hint::black_box(territoire::snapshot::build(p, t, &comparisons).unwrap());
        });
        let whole = median_ms(runs, || {
            std::hint::black_box(snapshot_svgs(p, code));
        });
        let bytes: usize = first.iter().map(String::len).sum();
        println!(
            "snapshot {code:<16} native median of {runs}: build {build:.2} ms, build + 9 scenes + SVG {whole:.2} ms ({} KiB of SVG)",
            bytes / 1024
        );
    }
}

fn france_choropleth_timings(p: &Pack, runs: usize) {
    let req = france("taux_pauvrete", "epci:244400404");
    for (label, req) in [
        ("France EPCI taux_pauvrete", req.clone()),
        ("France EPCI revenu_median", france("revenu_median", "epci:244400404")),
        ("France EPCI, Angers outlined", france("taux_pauvrete", "epci:244900015")),
    ] {
        let scene = median_ms(runs, || {
            std::hint::black_box(map::draw_scene(p, &req).unwrap());
        });
        // As the viewer draws: through its cache, warm with the France view.
        let cache = map::MapCache::new();
        map::draw_cached(p, &cache, &france("taux_pauvrete", "epci:244400404")).unwrap();
        let cached = median_ms(runs, || {
            std::hint::black_box(map::draw_cached(p, &cache, &req).unwrap());
        });
        let d = map::draw_scene(p, &req).unwrap();
        let svg = median_ms(runs, || {
            std::hint::black_box(territoire::render::svg::to_svg(&d.scene));
        });
        // The features as the JSON text the viewer hands the page.
        let json = median_ms(runs, || {
            std::hint::black_box(territoire::json::features(&d.response.features));
        });
        println!(
            "map {label:<30} native median of {runs}: map::draw {scene:.2} ms (of which scene → SVG {svg:.2} ms), \
             with the geometry cached {cached:.2} ms; SVG {} KiB; features as JSON {json:.2} ms",
            d.response.svg.len() / 1024
        );
    }
}

/// What a territory switch costs on the page: the France EPCI map drawn
/// once through the viewer's cache, then only its highlight outlines for
/// other territories (`Viewer::map_outlines`).
fn france_outlines_timings(p: &Pack, runs: usize) {
    let cache = map::MapCache::new();
    map::draw_cached(p, &cache, &france("taux_pauvrete", "epci:244400404")).unwrap();
    let highlights = ["epci:244900015", "epci:244400404", "epci:200054781"];
    let mut i = 0;
    let cached = median_ms(runs, || {
        let req = france("taux_pauvrete", highlights[i % highlights.len()]);
        i += 1;
        std::hint::black_box(map::outlines_cached(p, &cache, &req).unwrap());
    });
    let fresh = median_ms(runs, || {
        std::hint::black_box(map::outlines(p, &france("taux_pauvrete", "epci:244900015")).unwrap());
    });
    println!(
        "map outlines only, France EPCI, cached: native median of {runs}: {cached:.3} ms (uncached map::outlines {fresh:.2} ms)"
    );
}

/// The core's share of a territory switch on the page (`Viewer::infographics`
/// with the keys shown): across 21 EPCI of the pack in turn, the snapshot,
/// its nine infographics written as SVG, and the patches against the ones
/// shown before, by phase (medians per switch).
fn switch_timings(p: &Pack, runs: usize) {
    let epci: Vec<_> = p.territories_of_kind(TerritoryKind::Epci).collect();
    let codes: Vec<&str> = (0..21).map(|i| epci[i * epci.len() / 21].code()).collect();
    let shown = Shown::new();
    let mut keys: Vec<u32> = Vec::new();
    let (mut build, mut write, mut patch, mut bytes) = (Vec::new(), Vec::new(), Vec::new(), 0usize);
    for round in 0..=runs.div_ceil(codes.len()).max(1) {
        for code in &codes {
            let t = p.territory_by_code(code, None).unwrap();
            let t0 = Instant::now();
            let s = territoire::snapshot::build(p, t, &t.default_comparisons()).unwrap();
            let t1 = Instant::now();
            let view = InfographicsView::of(s);
            let t2 = Instant::now();
            let view = view.against(&shown, &keys);
            let t3 = Instant::now();
            keys = view.panels.iter().map(|p| p.key.unwrap()).collect();
            if round > 0 {
                build.push((t1 - t0).as_secs_f64() * 1000.0);
                write.push((t2 - t1).as_secs_f64() * 1000.0);
                patch.push((t3 - t2).as_secs_f64() * 1000.0);
                bytes += view
                    .panels
                    .iter()
                    .map(|p| p.patch.as_ref().or(p.svg.as_ref()).map_or(0, String::len))
                    .sum::<usize>();
            }
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let n = build.len();
    println!(
        "switch between 21 EPCI, native median of {n}: snapshot {:.2} ms, 9 scenes + SVG {:.2} ms, patches {:.2} ms; \
         {} KiB sent per switch",
        median(build),
        median(write),
        median(patch),
        bytes / n / 1024
    );
}

/// `CORE_DUMP=/dir` writes the SVG of a set of snapshots and maps there, to
/// compare the bytes before and after an optimisation (`cmp -r`).
fn dump_for_comparison(p: &Pack) {
    let Some(dir) = std::env::var_os("CORE_DUMP") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    for code in ["epci:244400404", "dep:44", "reg:52", "epci:244900015", "com:44109", "dep:2A", "pays:FRM"] {
        let Ok(t) = p.territory_by_code(code, None) else { continue };
        let s = territoire::snapshot::build(p, t, &t.default_comparisons()).unwrap();
        for (i, panel) in SnapshotView::of(s).panels.iter().enumerate() {
            std::fs::write(dir.join(format!("snapshot-{}-{i}.svg", code.replace(':', "_"))), &panel.svg).unwrap();
            std::fs::write(dir.join(format!("snapshot-{}-{i}.csv", code.replace(':', "_"))), &panel.csv).unwrap();
        }
    }
    let views = [
        ("france", View::FranceEpci),
        ("pdl", View::PdlEpci),
        ("dep49", View::DepartementEpci { departement: "49".into() }),
        ("communes", View::PdlCommunes),
    ];
    let layers = [
        ("pauvrete", france("taux_pauvrete", "epci:244400404").layer),
        (
            "circles",
            Layer::Choropleth {
                indicator: "taux_pauvrete".into(),
                year: None,
                method: Method::Jenks,
                classes: 6,
                palette: None,
                circles: true,
            },
        ),
        ("density", Layer::DensityGrid),
        ("typology", Layer::Typology { id: Some("fragilites".into()), variables: vec![], classes: 5 }),
    ];
    for (vn, view) in &views {
        for (ln, layer) in &layers {
            for (w, h) in [(960.0, 960.0), (400.0, 500.0)] {
                let req = MapRequest {
                    view: view.clone(),
                    layer: layer.clone(),
                    highlight: vec!["epci:244400404".into(), "dep:44".into(), "epci:244900015".into()],
                    width: w,
                    height: h,
                };
                let name = format!("map-{vn}-{ln}-{w}");
                match map::draw(p, &req) {
                    Ok(m) => {
                        std::fs::write(dir.join(format!("{name}.svg")), &m.svg).unwrap();
                        let rest = format!("{:?}{:?}{:?}{:?}", m.features, m.legend, m.breaks, m.typology);
                        std::fs::write(dir.join(format!("{name}.txt")), rest).unwrap();
                    }
                    Err(e) => std::fs::write(dir.join(format!("{name}.err")), e.to_string()).unwrap(),
                }
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().cloned().unwrap_or_else(|| "build/pack.bin".to_string());
    let runs = match args.get(1).map(|r| r.parse::<usize>()) {
        None => 11,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("core_bench: the number of runs must be a positive integer");
            std::process::exit(2);
        }
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("core_bench: cannot read {path}: {e}");
        std::process::exit(1);
    });
    let pack = Pack::from_bytes(&bytes).unwrap_or_else(|e| {
        eprintln!("core_bench: {path}: {e}");
        std::process::exit(1);
    });
    snapshot_timings(&pack, runs);
    switch_timings(&pack, runs);
    france_choropleth_timings(&pack, runs);
    france_outlines_timings(&pack, runs);
    dump_for_comparison(&pack);
}
