//! Lambert-93 (EPSG:2154): Lambert conformal conic with two standard
//! parallels on the GRS80 ellipsoid, as defined by IGN.
//!
//! Formulas: Snyder, *Map Projections — A Working Manual* (USGS PP 1395),
//! §15, eqs. 15-7 to 15-11 (forward) and 7-9, 14-4, 15-11 (inverse). RGF93
//! and WGS84 coincide to a few centimetres, well below our 1 m grid, so no
//! datum shift is applied.

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};
use std::sync::OnceLock;

/// GRS80 semi-major axis, metres.
const A: f64 = 6_378_137.0;
/// GRS80 flattening.
const F: f64 = 1.0 / 298.257_222_101;
const LAT0_DEG: f64 = 46.5;
const LON0_DEG: f64 = 3.0;
const LAT1_DEG: f64 = 44.0;
const LAT2_DEG: f64 = 49.0;
const FALSE_EASTING: f64 = 700_000.0;
const FALSE_NORTHING: f64 = 6_600_000.0;

/// Constants derived once from the definition above.
struct Lcc {
    e: f64,
    n: f64,
    /// a·F in Snyder's notation.
    af: f64,
    rho0: f64,
    lon0: f64,
}

fn lcc() -> &'static Lcc {
    static LCC: OnceLock<Lcc> = OnceLock::new();
    LCC.get_or_init(|| {
        let e = (2.0 * F - F * F).sqrt();
        let m = |phi: f64| phi.cos() / (1.0 - e * e * phi.sin().powi(2)).sqrt();
        let (p1, p2) = (LAT1_DEG.to_radians(), LAT2_DEG.to_radians());
        let (m1, m2) = (m(p1), m(p2));
        let (t1, t2) = (t(p1, e), t(p2, e));
        let n = (m1.ln() - m2.ln()) / (t1.ln() - t2.ln());
        let big_f = m1 / (n * t1.powf(n));
        let af = A * big_f;
        let rho0 = af * t(LAT0_DEG.to_radians(), e).powf(n);
        Lcc { e, n, af, rho0, lon0: LON0_DEG.to_radians() }
    })
}

/// Snyder's t (15-9): exp(-isometric latitude).
fn t(phi: f64, e: f64) -> f64 {
    let es = e * phi.sin();
    (FRAC_PI_4 - phi / 2.0).tan() / ((1.0 - es) / (1.0 + es)).powf(e / 2.0)
}

/// Projects WGS84/RGF93 longitude and latitude (degrees) to Lambert-93
/// easting and northing (metres).
///
/// Valid for any latitude above -90°; far from France (the DROM) the result
/// is strongly distorted but still a proper, orientation-preserving map.
pub fn lambert93(lon: f64, lat: f64) -> (f64, f64) {
    let p = lcc();
    let rho = p.af * t(lat.to_radians(), p.e).powf(p.n);
    let theta = p.n * (lon.to_radians() - p.lon0);
    (FALSE_EASTING + rho * theta.sin(), FALSE_NORTHING + p.rho0 - rho * theta.cos())
}

/// Inverse of [`lambert93`]: easting and northing (metres) to longitude and
/// latitude (degrees): the builder's checks, and `export-json`'s GeoJSON.
pub fn lambert93_inverse(x: f64, y: f64) -> (f64, f64) {
    let p = lcc();
    let dx = x - FALSE_EASTING;
    let dy = p.rho0 - (y - FALSE_NORTHING);
    // n > 0 for a cone opening towards the south pole, so rho keeps its sign.
    let rho = (dx * dx + dy * dy).sqrt();
    let theta = dx.atan2(dy);
    let tt = (rho / p.af).powf(1.0 / p.n);
    // Fixed-point iteration on the latitude (Snyder 7-9); converges to
    // 1e-12 rad in a handful of steps at these eccentricities.
    let mut phi = FRAC_PI_2 - 2.0 * tt.atan();
    for _ in 0..20 {
        let es = p.e * phi.sin();
        let next = FRAC_PI_2 - 2.0 * (tt * ((1.0 - es) / (1.0 + es)).powf(p.e / 2.0)).atan();
        let done = (next - phi).abs() < 1e-14;
        phi = next;
        if done {
            break;
        }
    }
    ((theta / p.n + p.lon0).to_degrees(), phi.to_degrees())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The projection's natural origin maps to the false origin, exactly.
    #[test]
    fn origin() {
        let (x, y) = lambert93(3.0, 46.5);
        assert!((x - 700_000.0).abs() < 1e-6 && (y - 6_600_000.0).abs() < 1e-6, "{x} {y}");
    }
}
