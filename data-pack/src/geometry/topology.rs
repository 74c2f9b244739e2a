//! Exact planar topology of the commune polygons, and dissolving it into
//! larger territories.
//!
//! Everything here works on integer Lambert-93 metres, on a planar graph
//! built by [`super::planar`]: an edge is an unordered pair of vertex ids and
//! knows the commune on each side, so the union of a group of communes is
//! exactly "the edges whose two sides belong to different groups". No
//! floating-point snapping or tolerance is involved.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::error::{BuildError, Result};

/// Pseudo-file named in errors raised while building the topology: the
/// caller's commune geometry (the GeoJSON file) is the only input.
pub(crate) const TOPO_FILE: &str = "geometry";

/// "No commune / no territory" marker on an edge side.
pub(crate) const NONE: u32 = u32::MAX;

/// A fast hasher for integer keys (SplitMix64 finaliser): the default
/// SipHash costs more than the rest of the topology build on a million
/// lookups, and the keys are not attacker-controlled.
#[derive(Default, Clone, Copy)]
pub(crate) struct IntHasher(u64);

impl Hasher for IntHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
    fn write_u32(&mut self, n: u32) {
        self.0 ^= n as u64;
    }
    fn finish(&self) -> u64 {
        let mut z = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

pub(crate) type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

pub(crate) fn point_key(p: [i32; 2]) -> u64 {
    ((p[0] as u32 as u64) << 32) | p[1] as u32 as u64
}

/// Degrees to the source's integer grid (1e-5°).
pub(crate) fn quantise_deg(v: f64) -> i32 {
    (v * 1e5).round() as i32
}

/// An undirected edge between two distinct vertices, `a < b`, with the
/// commune lying on each side: `left` is on the left when walking `a → b`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub a: u32,
    pub b: u32,
    pub left: u32,
    pub right: u32,
}

impl Edge {
    pub fn other(&self, v: u32) -> u32 {
        if v == self.a {
            self.b
        } else {
            self.a
        }
    }
}

pub(crate) struct Topology {
    /// Lambert-93 position of each vertex, whole metres.
    pub points: Vec<[i32; 2]>,
    pub edges: Vec<Edge>,
}

/// Twice the signed area of a ring of vertex ids (positive when
/// counter-clockwise), exact.
pub(crate) fn ring_area2(points: &[[i32; 2]], ring: &[u32]) -> i128 {
    let n = ring.len();
    let mut s: i128 = 0;
    for i in 0..n {
        let p = points[ring[i] as usize];
        let q = points[ring[(i + 1) % n] as usize];
        s += p[0] as i128 * q[1] as i128 - q[0] as i128 * p[1] as i128;
    }
    s
}

/// A vertex for error messages: lon/lat, which is what one looks up.
pub(crate) fn fmt_point(p: [i32; 2]) -> String {
    let (lon, lat) = super::lambert::lambert93_inverse(p[0] as f64, p[1] as f64);
    format!("(lon {lon:.5}, lat {lat:.5})")
}

/// A closed ring of a dissolved territory: `verts[i] → verts[i + 1]` (and
/// the last back to the first) runs along topology edge `edges[i]`, with the
/// territory on the left.
#[derive(Debug, Clone)]
pub(crate) struct DRing {
    pub verts: Vec<u32>,
    pub edges: Vec<u32>,
    /// Twice the signed area, m².
    pub area2: i128,
}

#[derive(Debug, Clone)]
pub(crate) struct DPolygon {
    pub exterior: DRing,
    pub holes: Vec<DRing>,
}

#[derive(Debug, Clone, Copy)]
struct HalfEdge {
    terr: u32,
    from: u32,
    to: u32,
    edge: u32,
}

/// Dissolves the communes into territories: `assign[c]` is the territory of
/// commune `c` (or [`NONE`]). Returns, sorted by territory, each territory's
/// polygons.
pub(crate) fn dissolve(topo: &Topology, assign: &[u32]) -> Result<Vec<(u32, Vec<DPolygon>)>> {
    let terr = |c: u32| if c == NONE { NONE } else { assign[c as usize] };
    // The boundary of a union: edges with different territories on each
    // side, each seen from the side(s) that belong to a territory.
    let mut half: Vec<HalfEdge> = Vec::new();
    for (ei, e) in topo.edges.iter().enumerate() {
        let (tl, tr) = (terr(e.left), terr(e.right));
        if tl == tr {
            continue;
        }
        if tl != NONE {
            half.push(HalfEdge { terr: tl, from: e.a, to: e.b, edge: ei as u32 });
        }
        if tr != NONE {
            half.push(HalfEdge { terr: tr, from: e.b, to: e.a, edge: ei as u32 });
        }
    }
    half.sort_unstable_by_key(|h| (h.terr, h.from, h.to));

    let mut out = Vec::new();
    let mut used = vec![false; half.len()];
    // Position of a vertex on the ring being split (NONE when absent);
    // sized once, reset after each ring.
    let mut pos = vec![NONE; topo.points.len()];
    let mut g0 = 0;
    while g0 < half.len() {
        let t = half[g0].terr;
        let g1 = g0 + half[g0..].partition_point(|h| h.terr == t);
        let group = &half[g0..g1];
        let used = &mut used[g0..g1];
        let mut exteriors: Vec<DRing> = Vec::new();
        let mut holes: Vec<DRing> = Vec::new();
        for start in 0..group.len() {
            if used[start] {
                continue;
            }
            let (verts, edges) = chain(topo, group, used, start, t)?;
            for (v, e) in split_loops(&verts, &edges, &mut pos) {
                let area2 = ring_area2(&topo.points, &v);
                let ring = DRing { verts: v, edges: e, area2 };
                match area2.signum() {
                    1 => exteriors.push(ring),
                    -1 => holes.push(ring),
                    // A zero-area loop would need an edge walked both ways,
                    // which the boundary never contains.
                    _ => {
                        return Err(BuildError::file(TOPO_FILE, format!("territory {t}: dissolved ring of zero area")))
                    }
                }
            }
        }
        out.push((t, assemble(topo, t, exteriors, holes)?));
        g0 = g1;
    }
    Ok(out)
}

/// Follows half-edges from `start` until the ring closes. Where several
/// boundary edges leave the same vertex (two parts of the territory touching
/// at a point, or a hole touching the outline), the next edge is the first
/// one met turning clockwise from the edge we came along: this pairs every
/// incoming edge with the outgoing edge bounding the same interior sector,
/// so rings never cross each other.
fn chain(topo: &Topology, group: &[HalfEdge], used: &mut [bool], start: usize, t: u32) -> Result<(Vec<u32>, Vec<u32>)> {
    let mut verts = Vec::new();
    let mut edges = Vec::new();
    let mut cur = start;
    loop {
        used[cur] = true;
        verts.push(group[cur].from);
        edges.push(group[cur].edge);
        let (u, v) = (group[cur].from, group[cur].to);
        let lo = group.partition_point(|h| h.from < v);
        let hi = group.partition_point(|h| h.from <= v);
        let next = match hi - lo {
            0 => {
                return Err(BuildError::file(
                    TOPO_FILE,
                    format!(
                        "territory {t}: boundary ends at {} (inconsistent commune borders)",
                        fmt_point(topo.points[v as usize])
                    ),
                ))
            }
            1 => lo,
            _ => {
                let pv = topo.points[v as usize];
                let pu = topo.points[u as usize];
                let r = [(pu[0] - pv[0]) as f64, (pu[1] - pv[1]) as f64];
                let mut best = lo;
                let mut best_angle = f64::INFINITY;
                for (k, h) in group.iter().enumerate().take(hi).skip(lo) {
                    let pw = topo.points[h.to as usize];
                    let d = [(pw[0] - pv[0]) as f64, (pw[1] - pv[1]) as f64];
                    // Clockwise angle from r to d in (0, 2π]. Integer
                    // differences below 2^26 make cross and dot exact.
                    let cross = r[0] * d[1] - r[1] * d[0];
                    let dot = r[0] * d[0] + r[1] * d[1];
                    let mut a = -cross.atan2(dot);
                    if a <= 0.0 {
                        a += std::f64::consts::TAU;
                    }
                    if a < best_angle {
                        best_angle = a;
                        best = k;
                    }
                }
                best
            }
        };
        if next == start {
            return Ok((verts, edges));
        }
        if used[next] {
            return Err(BuildError::file(
                TOPO_FILE,
                format!(
                    "territory {t}: boundary revisits an edge at {} (inconsistent commune borders)",
                    fmt_point(topo.points[v as usize])
                ),
            ));
        }
        cur = next;
    }
}

/// Splits a closed walk that passes a vertex more than once into simple
/// loops (each vertex once), so every output ring is simple: a hole that
/// touches the outline at one point becomes a separate hole, as OGC wants.
fn split_loops(verts: &[u32], edges: &[u32], pos: &mut [u32]) -> Vec<(Vec<u32>, Vec<u32>)> {
    let mut out = Vec::new();
    let mut sv: Vec<u32> = Vec::with_capacity(verts.len());
    let mut se: Vec<u32> = Vec::with_capacity(verts.len());
    for (&v, &e) in verts.iter().zip(edges) {
        let p = pos[v as usize];
        if p != NONE {
            let p = p as usize;
            let lv: Vec<u32> = sv.drain(p..).collect();
            let le: Vec<u32> = se.drain(p..).collect();
            for &x in &lv {
                pos[x as usize] = NONE;
            }
            out.push((lv, le));
        }
        pos[v as usize] = sv.len() as u32;
        sv.push(v);
        se.push(e);
    }
    for &x in &sv {
        pos[x as usize] = NONE;
    }
    if !sv.is_empty() {
        out.push((sv, se));
    }
    out
}

fn bbox(points: &[[i32; 2]], ring: &[u32]) -> [i32; 4] {
    let mut b = [i32::MAX, i32::MAX, i32::MIN, i32::MIN];
    for &v in ring {
        let p = points[v as usize];
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    b
}

/// Even-odd point-in-ring test in doubled integer coordinates (so an edge
/// midpoint is exact). The query point never lies on the ring here.
fn contains2(points: &[[i32; 2]], ring: &[u32], q: [i64; 2]) -> bool {
    let n = ring.len();
    let mut inside = false;
    for i in 0..n {
        let a = points[ring[i] as usize];
        let b = points[ring[(i + 1) % n] as usize];
        let (ax, ay) = (2 * a[0] as i64, 2 * a[1] as i64);
        let (bx, by) = (2 * b[0] as i64, 2 * b[1] as i64);
        if (ay > q[1]) != (by > q[1]) {
            // q.x < ax + (q.y - ay) (bx - ax) / (by - ay), multiplied out by
            // (by - ay) with its sign.
            let lhs = (q[0] - ax) as i128 * (by - ay) as i128;
            let rhs = (q[1] - ay) as i128 * (bx - ax) as i128;
            if (by > ay && lhs < rhs) || (by < ay && lhs > rhs) {
                inside = !inside;
            }
        }
    }
    inside
}

/// Gives each hole to the smallest exterior that contains it (exteriors can
/// nest: an enclave of the territory inside a hole of itself), then orders
/// polygons by decreasing area so the main body comes first.
fn assemble(topo: &Topology, t: u32, exteriors: Vec<DRing>, holes: Vec<DRing>) -> Result<Vec<DPolygon>> {
    let pts = &topo.points;
    let mut order: Vec<usize> = (0..exteriors.len()).collect();
    order.sort_by(|&i, &j| exteriors[i].area2.cmp(&exteriors[j].area2)); // smallest first
    let boxes: Vec<[i32; 4]> = exteriors.iter().map(|r| bbox(pts, &r.verts)).collect();
    let mut polys: Vec<DPolygon> =
        exteriors.into_iter().map(|exterior| DPolygon { exterior, holes: Vec::new() }).collect();
    for hole in holes {
        let hb = bbox(pts, &hole.verts);
        let (p0, p1) = (pts[hole.verts[0] as usize], pts[hole.verts[1] as usize]);
        let q = [p0[0] as i64 + p1[0] as i64, p0[1] as i64 + p1[1] as i64];
        let owner = order.iter().copied().find(|&i| {
            let b = boxes[i];
            b[0] <= hb[0]
                && b[1] <= hb[1]
                && b[2] >= hb[2]
                && b[3] >= hb[3]
                && contains2(pts, &polys[i].exterior.verts, q)
        });
        match owner {
            Some(i) => polys[i].holes.push(hole),
            None => {
                return Err(BuildError::file(
                    TOPO_FILE,
                    format!(
                        "territory {t}: hole at {} lies in no exterior ring",
                        fmt_point(pts[hole.verts[0] as usize])
                    ),
                ))
            }
        }
    }
    polys.sort_by_key(|p| std::cmp::Reverse(p.exterior.area2));
    for p in &mut polys {
        // Holes have negative area: ascending order puts the largest first.
        p.holes.sort_by_key(|h| h.area2);
    }
    Ok(polys)
}
