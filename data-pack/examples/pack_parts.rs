//! Prints each part of the pack's size, raw and gzipped, to see where the
//! bytes go: `cargo run --release -p data-pack --example pack_parts`.
use std::io::Write;
use std::process::{Command, Stdio};

fn gz(bytes: &[u8]) -> usize {
    let tmp = std::env::temp_dir().join("pack_parts.bin");
    std::fs::File::create(&tmp).unwrap().write_all(bytes).unwrap();
    Command::new("gzip").arg("-9c").arg(&tmp).stderr(Stdio::inherit()).output().expect("gzip").stdout.len()
}

fn main() {
    let dir = std::env::var("DATA_DIR").unwrap_or_else(|_| "../shared/data".into());
    let (p, _) = data_pack::build::build(dir.as_ref(), &Default::default()).expect("build");
    let show = |name: &str, b: Vec<u8>| println!("{name:<28} {:>10} {:>10}", b.len(), gz(&b));
    let r = |v: &dyn Fn() -> rkyv::util::AlignedVec| v().to_vec();
    show("territories", r(&|| rkyv::to_bytes::<rkyv::rancor::BoxedError>(&p.territories).unwrap()));
    show("geometry", r(&|| rkyv::to_bytes::<rkyv::rancor::BoxedError>(&p.geometry).unwrap()));
    for (i, lod) in p.geometry.lods.iter().enumerate() {
        show(&format!("  lod {i} coords"), lod.coords.iter().flat_map(|c| c.to_le_bytes()).collect());
    }
    show("series", r(&|| rkyv::to_bytes::<rkyv::rancor::BoxedError>(&p.series).unwrap()));
    let col = |f: &dyn Fn(&territoire::schema::Series) -> Vec<u8>| p.series.iter().flat_map(f).collect::<Vec<u8>>();
    show("  values", col(&|s| s.values.iter().flat_map(|v| v.to_le_bytes()).collect()));
    show("  territories", col(&|s| s.territories.iter().flat_map(|v| v.to_le_bytes()).collect()));
    show("  status", col(&|s| s.status.clone()));
    show("  num+den", col(&|s| s.numerators.iter().chain(&s.denominators).flat_map(|v| v.to_le_bytes()).collect()));
    let mut by_theme: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
    for s in &p.series {
        let t = &p.indicators[s.indicator as usize].theme;
        by_theme.entry(t.clone()).or_default().extend(rkyv::to_bytes::<rkyv::rancor::BoxedError>(s).unwrap().iter());
    }
    for (t, b) in by_theme {
        show(&format!("  theme {t}"), b);
    }
}
