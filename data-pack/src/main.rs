//! `data-pack`: builds and inspects the viewer's data pack.
//!
//! ```text
//! data-pack build --sources DIR --out FILE     (DIR defaults to $DATA_DIR)
//! data-pack inspect FILE [--territory CODE] [--json]
//! data-pack export-json [--pack FILE] --out DIR
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use territoire::report::{PackInfo, TerritoryDetail};
use territoire::Pack;

const USAGE: &str = "usage:
  data-pack build [--sources DIR] --out FILE   build the pack from the raw sources
                                               (DIR defaults to $DATA_DIR, then ../shared/data)
  data-pack inspect FILE [--territory CODE] [--json]
                                               what a pack holds; with --territory, every
                                               figure of one territory (code, or reg:52 / dep:52)
  data-pack export-json [--pack FILE] --out DIR
                                               the pack as DIR/epci.geojson (metropolitan EPCI,
                                               WGS84) and DIR/indicators.json, for `make bench`
                                               (FILE defaults to build/pack.bin)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("data-pack: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("build") => {
            let sources = flag(args, "--sources")
                .or_else(|| std::env::var("DATA_DIR").ok())
                .unwrap_or_else(|| "../shared/data".into());
            let out = flag(args, "--out").ok_or(format!("build needs --out FILE\n{USAGE}"))?;
            let (pack, log) =
                data_pack::build::build(&PathBuf::from(&sources), &Default::default()).map_err(|e| e.to_string())?;
            for line in &log.lines {
                eprintln!("  {line}");
            }
            let n = data_pack::build::write(&pack, &PathBuf::from(&out)).map_err(|e| e.to_string())?;
            eprintln!("wrote {out} ({n} bytes) from {sources}");
            Ok(())
        }
        Some("inspect") => {
            let file = args.get(1).filter(|a| !a.starts_with("--")).ok_or(format!("inspect needs a FILE\n{USAGE}"))?;
            let bytes = std::fs::read(file).map_err(|e| format!("{file}: cannot read: {e}"))?;
            let pack = Pack::from_bytes(&bytes).map_err(|e| format!("{file}: {e}"))?;
            let json = args.iter().any(|a| a == "--json");
            let value = match flag(args, "--territory") {
                Some(code) => {
                    let t = pack.territory_by_code(&code, None).map_err(|e| e.to_string())?;
                    serde_json::to_value(TerritoryDetail::of(&pack, t))
                }
                None => serde_json::to_value(PackInfo::of(&pack)),
            }
            .map_err(|e| e.to_string())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
            } else {
                print_human(&value);
            }
            Ok(())
        }
        Some("export-json") => {
            let file = flag(args, "--pack").unwrap_or_else(|| "build/pack.bin".into());
            let out = flag(args, "--out").ok_or(format!("export-json needs --out DIR\n{USAGE}"))?;
            let bytes = std::fs::read(&file).map_err(|e| format!("{file}: cannot read: {e}"))?;
            let pack = Pack::from_bytes(&bytes).map_err(|e| format!("{file}: {e}"))?;
            let s = data_pack::export_json::export(&pack, &PathBuf::from(&out))?;
            eprintln!(
                "wrote {out}/epci.geojson ({} features, {} bytes) and {out}/indicators.json ({} territories, {} series, {} bytes) from {file}",
                s.features, s.geojson_bytes, s.territories, s.series, s.json_bytes
            );
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

/// A readable summary for a terminal.
fn print_human(v: &serde_json::Value) {
    if let Some(figures) = v.get("figures").and_then(|f| f.as_array()) {
        let t = &v["territory"];
        println!(
            "{} {} ({})",
            t["kind_label"].as_str().unwrap_or(""),
            t["name"].as_str().unwrap_or(""),
            t["code"].as_str().unwrap_or("")
        );
        for f in figures {
            println!(
                "  {:<45} {:>6}  {:<28} {}",
                f["indicator"].as_str().unwrap_or(""),
                f["year"],
                f["text"].as_str().unwrap_or(""),
                f["source"].as_str().unwrap_or("")
            );
        }
    } else {
        println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
    }
}
