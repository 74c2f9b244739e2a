//! Assembling the pack: territories, indicators and geometry in one
//! [`PackData`], written with its prefix by [`territoire::pack::to_bytes`].

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use territoire::schema::{Header, PackData, TerritoryKind, NO_TERRITORY};

use crate::error::{BuildError, Result};
use crate::geometry::{self, LayerSpec, LodSpec};
use crate::indicators::Indicators;
use crate::sources::Sources;
use crate::territories::{Territories, FRM};

/// The commune geometry file, relative to the sources directory.
pub const GEOMETRY_FILE: &str = "geometry/communes_cog2024.geojson";

/// Build options.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Levels of detail, coarsest first.
    pub lods: Vec<LodSpec>,
    /// ISO 8601 date written in the header; `None` for now (or
    /// `SOURCE_DATE_EPOCH` when set, for reproducible builds).
    pub build_date: Option<String>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            // France view: ~1 px per km at 1000 px for 1000 km, so 500 m
            // removes what cannot be seen. Région and département views
            // (PdL is ~300 km wide on ~1000 px, a département ~120 km on
            // ~800 px): 150 m stays under a pixel.
            lods: vec![
                LodSpec { name: "france".into(), tolerance_m: 500.0 },
                LodSpec { name: "region".into(), tolerance_m: 150.0 },
            ],
            build_date: None,
        }
    }
}

/// What the build did, for the log.
#[derive(Debug, Default)]
pub struct BuildLog {
    pub lines: Vec<String>,
}

/// Builds the pack from the sources directory.
pub fn build(sources: &Path, options: &BuildOptions) -> Result<(PackData, BuildLog)> {
    let mut log = BuildLog::default();
    let t0 = Instant::now();
    let src = Sources::open(sources)?;
    let geo_bytes = src.bytes(GEOMETRY_FILE)?;
    let communes = geometry::parse_communes(&geo_bytes, GEOMETRY_FILE)?;
    drop(geo_bytes);
    log.lines.push(format!("read {} commune geometries in {:.1} s", communes.len(), t0.elapsed().as_secs_f64()));

    let terr = Territories::load(&src, &communes)?;
    let merged_2025: HashSet<String> =
        communes.iter().filter(|c| c.code != c.com2025).map(|c| c.com2025.clone()).collect();

    let t1 = Instant::now();
    let mut ind = Indicators::new(&src, &terr, merged_2025);
    ind.load_all()?;
    log.lines.append(&mut ind.log);
    let (indicators, bib, series) = ind.finish()?;
    log.lines.push(format!(
        "{} indicators, {} series, {} values in {:.1} s",
        indicators.len(),
        series.len(),
        series.iter().map(|s| s.territories.len()).sum::<usize>(),
        t1.elapsed().as_secs_f64()
    ));

    // Geometry layers: each COG 2024 commune polygon goes to its 2025
    // commune's EPCI, département, région and, for metropolitan ones,
    // France; PdL communes also form their own layer.
    let t2 = Instant::now();
    let frm = terr
        .idx(TerritoryKind::Country, FRM)
        .ok_or_else(|| BuildError::file("cog", "France métropolitaine missing"))?;
    let mut layers: Vec<LayerSpec> = [
        TerritoryKind::Country,
        TerritoryKind::Region,
        TerritoryKind::Departement,
        TerritoryKind::Epci,
        TerritoryKind::Commune,
    ]
    .iter()
    .map(|k| LayerSpec { kind: *k, assign: Vec::with_capacity(communes.len()) })
    .collect();
    let mut unmatched = Vec::new();
    for g in &communes {
        let c = terr.commune(&g.com2025);
        if c.is_none() {
            unmatched.push(g.code.clone());
        }
        let dep = c.and_then(|c| terr.idx(TerritoryKind::Departement, &c.dep));
        let region = dep.and_then(|d| terr.list[d as usize].regions.first().copied());
        let metro = dep.is_some_and(|d| terr.list[d as usize].metro);
        let epci = c.filter(|c| !c.epci.is_empty()).and_then(|c| terr.idx(TerritoryKind::Epci, &c.epci));
        let commune = c.and_then(|c| terr.idx(TerritoryKind::Commune, &c.code));
        let or_none = |o: Option<u32>| o.unwrap_or(NO_TERRITORY);
        layers[0].assign.push(if metro { frm } else { NO_TERRITORY });
        layers[1].assign.push(or_none(region));
        layers[2].assign.push(or_none(dep));
        layers[3].assign.push(or_none(epci));
        layers[4].assign.push(or_none(commune));
    }
    if !unmatched.is_empty() {
        log.lines.push(format!(
            "{GEOMETRY_FILE}: {} communes with no COG 2025 commune left out of the maps (e.g. {})",
            unmatched.len(),
            unmatched.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let (geometry, report) = geometry::build_geometry_report(&communes, &layers, &options.lods)?;
    log.lines.push(format!("geometry: {} arcs in {:.1} s", report.arcs, t2.elapsed().as_secs_f64()));
    for l in &report.lods {
        log.lines.push(format!("  lod {} ({} m): {} points, {} bytes raw", l.name, l.tolerance_m, l.points, l.bytes));
    }
    // Every EPCI must be drawn.
    let epci_layer =
        geometry.layers.iter().find(|l| l.kind == TerritoryKind::Epci as u8).expect("EPCI layer built above");
    let drawn: HashSet<u32> =
        epci_layer.features.iter().filter(|f| !f.polygons.is_empty()).map(|f| f.territory).collect();
    let missing: Vec<&str> = terr
        .list
        .iter()
        .enumerate()
        .filter(|(i, t)| t.kind == TerritoryKind::Epci as u8 && !drawn.contains(&(*i as u32)))
        .map(|(_, t)| t.code.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(BuildError::file(
            GEOMETRY_FILE,
            format!("{} EPCI without any polygon: {}", missing.len(), missing.join(", ")),
        ));
    }

    let code_index = terr.code_index();
    let header = Header {
        build_date: options.build_date.clone().unwrap_or_else(now_iso8601),
        builder: format!("data-pack {}", env!("CARGO_PKG_VERSION")),
        source_files: src.files(),
    };
    let mut pack = PackData {
        header,
        territories: terr.list,
        code_index,
        indicators,
        sources: bib,
        series,
        geometry,
        typologies: Vec::new(),
    };
    // Typologies are computed by the core on the pack itself, loaded back
    // as the browser loads it (see typologies.rs).
    pack.typologies = crate::typologies::build(&pack, &mut log.lines)?;
    log.lines.push(format!("built in {:.1} s", t0.elapsed().as_secs_f64()));
    Ok((pack, log))
}

/// Writes a pack file.
pub fn write(pack: &PackData, out: &Path) -> Result<usize> {
    let bytes =
        territoire::pack::to_bytes(pack).map_err(|e| BuildError::file(out.display().to_string(), e.to_string()))?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| BuildError::file(dir.display().to_string(), format!("cannot create: {e}")))?;
    }
    std::fs::write(out, &bytes)
        .map_err(|e| BuildError::file(out.display().to_string(), format!("cannot write: {e}")))?;
    Ok(bytes.len())
}

/// Now in UTC, or `SOURCE_DATE_EPOCH`, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_iso8601() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    });
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_epoch_dates() {
        std::env::set_var("SOURCE_DATE_EPOCH", "1763742000");
        assert_eq!(super::now_iso8601(), "2025-11-21T16:20:00Z");
        std::env::set_var("SOURCE_DATE_EPOCH", "0");
        assert_eq!(super::now_iso8601(), "1970-01-01T00:00:00Z");
        std::env::remove_var("SOURCE_DATE_EPOCH");
    }
}
