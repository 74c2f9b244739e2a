//! Decoding the arc-based geometry back to point lists: what the viewer
//! does, written once here for tests and for the builder's own checks.

use territoire::schema::{Feature, Geometry, Lod, Polygon, Ring};

/// The points of arc `arc` in `lod`, in stored order (coordinates are
/// delta-encoded within an arc: see `territoire::schema::Lod`).
pub fn arc_points(lod: &Lod, arc: usize) -> impl DoubleEndedIterator<Item = [i32; 2]> + '_ {
    let (s, e) = (lod.arc_offsets[arc] as usize, lod.arc_offsets[arc + 1] as usize);
    territoire::geometry::decode_arc(lod.coords[2 * s..2 * e].iter().copied()).into_iter()
}

/// Decodes a ring of level of detail `lod` to its points: arcs are chained
/// (an arc's first point is the previous arc's last one), consecutive
/// duplicates are dropped, and the ring is closed (first point repeated at
/// the end), as in GeoJSON. Coordinates are Lambert-93 metres.
pub fn ring_points(geometry: &Geometry, lod: usize, ring: &Ring) -> Vec<[i64; 2]> {
    let lod = &geometry.lods[lod];
    let mut out: Vec<[i64; 2]> = Vec::new();
    let mut push = |p: [i32; 2]| {
        let p = [p[0] as i64, p[1] as i64];
        if out.last() != Some(&p) {
            out.push(p);
        }
    };
    for &r in &ring.arcs {
        if r >= 0 {
            arc_points(lod, r as usize).for_each(&mut push);
        } else {
            arc_points(lod, !r as usize).rev().for_each(&mut push);
        }
    }
    if let (Some(&first), Some(&last)) = (out.first(), out.last()) {
        if first != last {
            out.push(first);
        }
    }
    out
}

/// Twice the signed area of a point ring (open or closed), exact.
pub(crate) fn ring_area2_i64(ring: &[[i32; 2]]) -> i128 {
    let n = ring.len();
    let mut s: i128 = 0;
    for i in 0..n {
        let (p, q) = (ring[i], ring[(i + 1) % n]);
        s += p[0] as i128 * q[1] as i128 - q[0] as i128 * p[1] as i128;
    }
    s
}

/// Signed area in m² of a point ring (positive when counter-clockwise).
pub fn ring_area_m2(points: &[[i64; 2]]) -> f64 {
    let n = points.len();
    let mut s: i128 = 0;
    for i in 0..n {
        let (p, q) = (points[i], points[(i + 1) % n]);
        s += p[0] as i128 * q[1] as i128 - q[0] as i128 * p[1] as i128;
    }
    s as f64 / 2.0
}

/// Area in m² of a polygon: its exterior minus its holes (holes are
/// clockwise, so this is the plain sum of signed ring areas).
pub fn polygon_area_m2(geometry: &Geometry, lod: usize, polygon: &Polygon) -> f64 {
    polygon.rings.iter().map(|r| ring_area_m2(&ring_points(geometry, lod, r))).sum()
}

/// Area in m² of a whole feature.
pub fn feature_area_m2(geometry: &Geometry, lod: usize, feature: &Feature) -> f64 {
    feature.polygons.iter().map(|p| polygon_area_m2(geometry, lod, p)).sum()
}

/// A feature as a `geo` multipolygon (Lambert-93 metres), e.g. to run
/// `geo::Validation` on it.
pub fn feature_multipolygon(geometry: &Geometry, lod: usize, feature: &Feature) -> geo::MultiPolygon<f64> {
    let ring = |r: &Ring| -> geo::LineString<f64> {
        ring_points(geometry, lod, r).into_iter().map(|p| geo::Coord { x: p[0] as f64, y: p[1] as f64 }).collect()
    };
    geo::MultiPolygon(
        feature
            .polygons
            .iter()
            .map(|p| {
                let exterior = p.rings.first().map(ring).unwrap_or_else(|| geo::LineString(Vec::new()));
                geo::Polygon::new(exterior, p.rings.iter().skip(1).map(ring).collect())
            })
            .collect(),
    )
}
