//! The `data-pack` command as a developer runs it: build, then inspect as
//! JSON; errors go to stderr with a non-zero exit.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data_dir() -> PathBuf {
    std::env::var_os("DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_data-pack")).args(args).output().expect("data-pack runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}

#[test]
fn builds_then_inspects_as_json() {
    let pack = std::env::temp_dir().join(format!("data-pack-cli-{}.bin", std::process::id()));
    let p = pack.to_str().unwrap();
    let out = run(&["build", "--sources", data_dir().to_str().unwrap(), "--out", p]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote"));

    let info = json(&run(&["inspect", p, "--json"]));
    assert_eq!(info["format_version"], territoire::schema::FORMAT_VERSION);
    assert_eq!(info["territories"]["epci"], 1253);
    assert_eq!(info["territories"]["com"], 1228);
    assert_eq!(info["geometry"]["crs"], "EPSG:2154");
    let files = info["source_files"].as_array().unwrap();
    assert!(files.iter().all(|f| f["sha256"].as_str().unwrap().len() == 64));
    assert!(files.iter().any(|f| f["path"] == "geometry/communes_cog2024.geojson"));
    assert!(info["sources"].as_array().unwrap().iter().any(|s| s["label"] == "Insee, Filosofi 2021"));

    let nm = json(&run(&["inspect", p, "--territory", "244400404", "--json"]));
    assert_eq!(nm["territory"]["name"], "Nantes Métropole");
    let figures = nm["figures"].as_array().unwrap();
    let tp = figures.iter().find(|f| f["indicator"] == "taux_pauvrete" && f["year"] == 2021).expect("poverty 2021");
    assert_eq!(tp["value"], 12.8);
    assert_eq!(tp["status"], "value");
    assert_eq!(tp["unit"], "%");
    assert_eq!(tp["source"], "Insee, Filosofi 2021");
    assert_eq!(tp["vintage"], "2021");
    assert_eq!(tp["text"], "12,8\u{a0}%");
    // Every figure carries its source and a status.
    assert!(figures.iter().all(|f| !f["source"].as_str().unwrap().is_empty() && f["status"].is_string()));

    // `reg:52` picks the région where `52` alone is Haute-Marne.
    let reg = json(&run(&["inspect", p, "--territory", "reg:52", "--json"]));
    assert_eq!(reg["territory"]["name"], "Pays de la Loire");
    std::fs::remove_file(&pack).ok();
}

#[test]
fn errors_are_messages_not_panics() {
    let out = run(&["inspect", "/nonexistent/pack.bin"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/pack.bin") && !err.contains("panicked"), "{err}");

    let out = run(&["build", "--sources", "/nonexistent/data", "--out", "/tmp/never.bin"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DATA_DIR"));

    let not_a_pack = std::env::temp_dir().join(format!("not-a-pack-{}.bin", std::process::id()));
    std::fs::write(&not_a_pack, b"<html>404</html> and then some more bytes").unwrap();
    let out = run(&["inspect", not_a_pack.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pas un pack"), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_file(&not_a_pack).ok();

    let out = run(&["frobnicate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));
}
