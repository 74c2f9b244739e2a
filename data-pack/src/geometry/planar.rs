//! Turning the commune polygons into an exact planar partition.
//!
//! The source's shared borders are identical almost everywhere, but not
//! quite: in ~200 places one commune's version of a border crosses its
//! neighbour's, or has a vertex on or a few metres beside the neighbour's
//! straight edge, which leaves a sliver of gap or overlap between the two
//! (the widest, ~11 m, near Herbignac). Dissolving by "cancel the edges both
//! neighbours share" then leaves dangling sliver borders, and an overlap
//! cannot even be chained into rings. So before dissolving we rebuild the
//! mosaic the robust way, with exact integer arithmetic:
//!
//! 1. **Noding**: every edge is split where another edge's vertex lies on it
//!    or where two edges cross (the crossing point rounded to the grid;
//!    repeated until nothing intersects), so the edges form a planar graph.
//! 2. **Faces**: the faces of that graph are traced (at each vertex, turn to
//!    the next edge clockwise), and each face is given to the commune that
//!    claims most of its outline, a commune claiming the side of an edge its
//!    own ring runs along with its interior there. An overlap sliver goes to
//!    one of the two communes; a gap enclosed by communes goes to the
//!    neighbour sharing most of its outline, unless it is big enough to be a
//!    real hole ([`MAX_GAP_M2`]).
//! 3. Every edge then knows the commune on each side, and the rest of the
//!    pipeline dissolves them exactly.
//!
//! This is done on the *final* grid: each source vertex is first put on the
//! source's own 1e-5° grid (so vertices equal at the source's precision are
//! one vertex), then projected to Lambert-93 and rounded to the metre. Equal
//! source vertices give equal metre points, so shared borders stay shared;
//! and since the graph is made planar after rounding, rounding cannot leave
//! a self-intersection behind (two vertices closer than a metre merge, a
//! sliver thinner than a metre collapses). Nothing moves by more than the
//! rounding, except crossing points, which are new vertices rounded to the
//! grid too.

use super::grid::overlapping_pairs;
use super::lambert::lambert93;
use super::topology::{point_key, quantise_deg, ring_area2, Edge, IntMap, Topology, NONE, TOPO_FILE};
use super::CommuneGeometry;
use crate::error::{BuildError, Result};

/// What cleaning the mosaic had to do; all small on the real data.
#[derive(Debug, Clone, Default)]
pub struct CleanStats {
    /// Noding rounds (1 when the input was already planar).
    pub noding_rounds: usize,
    /// Edge splits at a vertex of another edge lying on it.
    pub vertex_on_edge: usize,
    /// Edge pairs crossing away from their vertices.
    pub crossings: usize,
    /// Faces claimed by more than one commune (overlaps), given to one.
    pub overlap_faces: usize,
    /// Unclaimed faces enclosed by communes (gaps), given to a neighbour.
    pub gap_faces_filled: usize,
    /// Their total area, in m².
    pub gap_area_filled_m2: f64,
    /// Unclaimed bounded faces left as holes (not enclosed, or too big).
    pub gap_faces_left: usize,
    /// Source rings smaller than the metre grid (fewer than 3 distinct
    /// points or no area once rounded), dropped.
    pub collapsed_rings: usize,
}

/// Gaps larger than this (m²) are left alone: a real hole in the coverage
/// must not be papered over. In the source, the enclosed gaps are slivers
/// of under 1,000 m² and a few coastal gaps of 16,000 to 95,000 m²; the one
/// real hole is Llívia, the Spanish exclave in the Pyrénées-Orientales
/// (13 km²), which stays a hole.
const MAX_GAP_M2: f64 = 1_000_000.0;

/// Grid cell for finding intersecting edges: a few times the typical edge
/// length of the source (a few hundred metres).
const NODING_CELL_M: i32 = 2_000;

/// Reads the rings, nodes them and labels the faces (see the module doc).
pub(crate) fn build_topology(communes: &[CommuneGeometry]) -> Result<(Topology, CleanStats)> {
    if communes.len() >= NONE as usize {
        return Err(BuildError::file(TOPO_FILE, "too many communes"));
    }
    let mut stats = CleanStats::default();
    let mut pts = Points::default();
    // Source grid point → metre vertex id; each source vertex projected once.
    let mut projected: IntMap<u64, u32> = IntMap::default();
    // Directed edges u → v with commune c on their left.
    let mut claims: Vec<(u32, u32, u32)> = Vec::new();
    let mut grid: Vec<[i32; 2]> = Vec::new();
    let mut ids: Vec<u32> = Vec::new();
    for (ci, c) in communes.iter().enumerate() {
        for (pi, poly) in c.polygons.iter().enumerate() {
            for (ri, ring) in poly.iter().enumerate() {
                let fault =
                    |m: &str| BuildError::file(TOPO_FILE, format!("commune {}, polygon {pi}, ring {ri}: {m}", c.code));
                grid.clear();
                for p in ring {
                    if !p[0].is_finite() || !p[1].is_finite() {
                        return Err(fault("non-finite coordinate"));
                    }
                    grid.push([quantise_deg(p[0]), quantise_deg(p[1])]);
                }
                grid.dedup();
                while grid.len() > 1 && grid[0] == grid[grid.len() - 1] {
                    grid.pop();
                }
                if grid.len() < 3 {
                    return Err(fault("ring has fewer than 3 distinct points"));
                }
                ids.clear();
                for &q in &grid {
                    let id = match projected.get(&point_key(q)) {
                        Some(&id) => id,
                        None => {
                            let (x, y) = lambert93(q[0] as f64 / 1e5, q[1] as f64 / 1e5);
                            let ok = |v: f64| v.is_finite() && v.abs() < 1e9;
                            if !ok(x) || !ok(y) {
                                return Err(fault("point cannot be projected to Lambert-93"));
                            }
                            let id = pts.id([x.round() as i32, y.round() as i32]);
                            projected.insert(point_key(q), id);
                            id
                        }
                    };
                    ids.push(id);
                }
                // Closed rings repeat their first point, and points closer
                // than a metre merge: keep a plain cycle of distinct
                // consecutive vertices.
                ids.dedup();
                while ids.len() > 1 && ids[0] == ids[ids.len() - 1] {
                    ids.pop();
                }
                let area = if ids.len() < 3 { 0 } else { ring_area2(&pts.xy, &ids) };
                if area == 0 {
                    stats.collapsed_rings += 1;
                    continue;
                }
                // Orient so the commune is on the left of its edges:
                // exteriors counter-clockwise, holes clockwise.
                if (area > 0) != (ri == 0) {
                    ids.reverse();
                }
                let n = ids.len();
                for i in 0..n {
                    claims.push((ids[i], ids[(i + 1) % n], ci as u32));
                }
            }
        }
    }

    // 1. Noding.
    loop {
        stats.noding_rounds += 1;
        if stats.noding_rounds > 10 {
            return Err(BuildError::file(TOPO_FILE, "commune borders still intersect after 10 noding rounds"));
        }
        let (segs, _) = unique_segments(&claims);
        let splits = find_splits(&mut pts, &segs, &mut stats);
        if splits.is_empty() {
            break;
        }
        apply_splits(&pts.xy, &mut claims, &segs, splits);
    }

    // 2. Faces of the planar graph.
    let (segs, seg_of) = unique_segments(&claims);
    let ne = segs.len();
    let nh = 2 * ne;
    let from = |h: usize| {
        if h.is_multiple_of(2) {
            segs[h / 2][0]
        } else {
            segs[h / 2][1]
        }
    };
    let to = |h: usize| {
        if h.is_multiple_of(2) {
            segs[h / 2][1]
        } else {
            segs[h / 2][0]
        }
    };
    // Outgoing half-edges around each vertex, counter-clockwise.
    let nv = pts.xy.len();
    let mut start = vec![0usize; nv + 1];
    for h in 0..nh {
        start[from(h) as usize + 1] += 1;
    }
    for v in 0..nv {
        start[v + 1] += start[v];
    }
    let mut fill = start.clone();
    let mut around = vec![0u32; nh];
    for h in 0..nh {
        let v = from(h) as usize;
        around[fill[v]] = h as u32;
        fill[v] += 1;
    }
    let dir = |h: usize| {
        let (a, b) = (pts.xy[from(h) as usize], pts.xy[to(h) as usize]);
        [b[0] as i64 - a[0] as i64, b[1] as i64 - a[1] as i64]
    };
    let mut pos = vec![0u32; nh];
    for v in 0..nv {
        let list = &mut around[start[v]..start[v + 1]];
        list.sort_unstable_by(|&x, &y| ccw_cmp(dir(x as usize), dir(y as usize)));
        for (i, &h) in list.iter().enumerate() {
            pos[h as usize] = i as u32;
        }
    }
    // The face left of u → v continues along the edge leaving v just
    // clockwise of v → u.
    let next = |h: usize| -> usize {
        let t = h ^ 1;
        let v = from(t) as usize;
        let deg = start[v + 1] - start[v];
        around[start[v] + (pos[t] as usize + deg - 1) % deg] as usize
    };
    let mut face = vec![NONE; nh];
    let mut face_area: Vec<i128> = Vec::new();
    for h0 in 0..nh {
        if face[h0] != NONE {
            continue;
        }
        let f = face_area.len() as u32;
        let mut area: i128 = 0;
        let mut h = h0;
        loop {
            face[h] = f;
            let (a, b) = (pts.xy[from(h) as usize], pts.xy[to(h) as usize]);
            area += a[0] as i128 * b[1] as i128 - b[0] as i128 * a[1] as i128;
            h = next(h);
            if h == h0 {
                break;
            }
            if face[h] != NONE {
                return Err(BuildError::file(TOPO_FILE, "face tracing failed: the noded borders are not planar"));
            }
        }
        face_area.push(area);
    }
    let nf = face_area.len();
    let hlen = |h: usize| {
        let d = dir(h);
        ((d[0] * d[0] + d[1] * d[1]) as f64).sqrt()
    };

    // 3. Labels: the commune claiming most of each face's outline.
    let mut votes: Vec<(u32, u32, f64)> = claims
        .iter()
        .map(|&(u, v, c)| {
            let s = seg_of[&seg_key(u, v)] as usize;
            let h = 2 * s + usize::from(u > v);
            (face[h], c, hlen(h))
        })
        .collect();
    votes.sort_unstable_by_key(|&(f, c, _)| (f, c));
    let mut label = vec![NONE; nf];
    let mut best = vec![0.0f64; nf];
    let mut claimants = vec![0u32; nf];
    let mut i = 0;
    while i < votes.len() {
        let (f, c) = (votes[i].0, votes[i].1);
        let mut w = 0.0;
        while i < votes.len() && votes[i].0 == f && votes[i].1 == c {
            w += votes[i].2;
            i += 1;
        }
        let f = f as usize;
        claimants[f] += 1;
        if w > best[f] {
            best[f] = w;
            label[f] = c;
        }
    }
    stats.overlap_faces = claimants.iter().zip(&face_area).filter(|(&n, &a)| n > 1 && a > 0).count();

    // Gaps: bounded faces nobody claims. Small ones enclosed by communes go
    // to the neighbour sharing most of their outline.
    let mut border: Vec<(u32, u32, f64)> = Vec::new(); // (gap face, neighbour label, length)
    let mut open = vec![false; nf];
    for h in 0..nh {
        let f = face[h] as usize;
        if label[f] == NONE && face_area[f] > 0 {
            let nl = label[face[h ^ 1] as usize];
            if nl == NONE {
                open[f] = true;
            } else {
                border.push((f as u32, nl, hlen(h)));
            }
        }
    }
    border.sort_unstable_by_key(|&(f, c, _)| (f, c));
    let mut fill_to: Vec<(u32, u32, f64)> = Vec::new();
    let mut i = 0;
    while i < border.len() {
        let f = border[i].0;
        let (mut bl, mut bw) = (NONE, -1.0);
        while i < border.len() && border[i].0 == f {
            let c = border[i].1;
            let mut w = 0.0;
            while i < border.len() && border[i].0 == f && border[i].1 == c {
                w += border[i].2;
                i += 1;
            }
            if w > bw {
                (bl, bw) = (c, w);
            }
        }
        fill_to.push((f, bl, bw));
    }
    for &(f, c, _) in &fill_to {
        let f = f as usize;
        let m2 = (face_area[f] as f64 / 2.0).abs();
        if !open[f] && m2 <= MAX_GAP_M2 {
            label[f] = c;
            stats.gap_faces_filled += 1;
            stats.gap_area_filled_m2 += m2;
        }
    }
    stats.gap_faces_left = (0..nf).filter(|&f| label[f] == NONE && face_area[f] > 0).count();

    // A commune that lost every face to its neighbours would silently vanish.
    let mut alive = vec![false; communes.len()];
    for &l in &label {
        if l != NONE {
            alive[l as usize] = true;
        }
    }
    if let Some(c) = alive.iter().position(|&a| !a) {
        return Err(BuildError::file(
            TOPO_FILE,
            format!("commune {} is entirely covered by other communes", communes[c].code),
        ));
    }

    let mut edges = Vec::new();
    for (s, &[a, b]) in segs.iter().enumerate() {
        let (left, right) = (label[face[2 * s] as usize], label[face[2 * s + 1] as usize]);
        // A border inside one commune plays no part in any layer.
        if left != right {
            edges.push(Edge { a, b, left, right });
        }
    }
    Ok((Topology { points: pts.xy, edges }, stats))
}

#[derive(Default)]
struct Points {
    xy: Vec<[i32; 2]>,
    ids: IntMap<u64, u32>,
}

impl Points {
    fn id(&mut self, p: [i32; 2]) -> u32 {
        let next = self.xy.len() as u32;
        let id = *self.ids.entry(point_key(p)).or_insert(next);
        if id == next {
            self.xy.push(p);
        }
        id
    }
}

fn seg_key(u: u32, v: u32) -> u64 {
    let (a, b) = if u < v { (u, v) } else { (v, u) };
    ((a as u64) << 32) | b as u64
}

/// The distinct undirected segments `[a, b]` (a < b) of the claims, and
/// their index by key.
fn unique_segments(claims: &[(u32, u32, u32)]) -> (Vec<[u32; 2]>, IntMap<u64, u32>) {
    let mut segs = Vec::new();
    let mut of: IntMap<u64, u32> = IntMap::default();
    of.reserve(claims.len() / 2 + 16);
    for &(u, v, _) in claims {
        let next = segs.len() as u32;
        if *of.entry(seg_key(u, v)).or_insert(next) == next {
            segs.push(if u < v { [u, v] } else { [v, u] });
        }
    }
    (segs, of)
}

fn orient(a: [i32; 2], b: [i32; 2], c: [i32; 2]) -> i64 {
    let v = (b[0] as i64 - a[0] as i64) * (c[1] as i64 - a[1] as i64)
        - (b[1] as i64 - a[1] as i64) * (c[0] as i64 - a[0] as i64);
    v.signum()
}

/// Whether `c`, collinear with a–b, lies strictly between them.
fn strictly_inside(a: [i32; 2], b: [i32; 2], c: [i32; 2]) -> bool {
    c != a
        && c != b
        && c[0] >= a[0].min(b[0])
        && c[0] <= a[0].max(b[0])
        && c[1] >= a[1].min(b[1])
        && c[1] <= a[1].max(b[1])
}

/// Exact counter-clockwise order of direction vectors, starting east.
fn ccw_cmp(a: [i64; 2], b: [i64; 2]) -> std::cmp::Ordering {
    let half = |d: [i64; 2]| u8::from(!(d[1] > 0 || (d[1] == 0 && d[0] > 0)));
    half(a).cmp(&half(b)).then_with(|| 0.cmp(&(a[0] * b[1] - a[1] * b[0])))
}

/// Finds every place where two segments meet other than at a shared
/// endpoint; returns (segment, vertex to split it at).
fn find_splits(pts: &mut Points, segs: &[[u32; 2]], stats: &mut CleanStats) -> Vec<(u32, u32)> {
    let xy = &pts.xy;
    let boxes: Vec<[i32; 4]> = segs
        .iter()
        .map(|s| {
            let (a, b) = (xy[s[0] as usize], xy[s[1] as usize]);
            [a[0].min(b[0]), a[1].min(b[1]), a[0].max(b[0]), a[1].max(b[1])]
        })
        .collect();
    // (segment, point to split it at); points become vertices afterwards.
    let mut found: Vec<(u32, [i32; 2])> = Vec::new();
    overlapping_pairs(&boxes, NODING_CELL_M, |i, j| {
        let (s, t) = (segs[i], segs[j]);
        let (p1, p2, q1, q2) = (xy[s[0] as usize], xy[s[1] as usize], xy[t[0] as usize], xy[t[1] as usize]);
        let (i, j) = (i as u32, j as u32);
        // Sharing an endpoint: they meet elsewhere only by overlapping.
        let shared = [(p1, p2, q1, q2), (p1, p2, q2, q1), (p2, p1, q1, q2), (p2, p1, q2, q1)]
            .into_iter()
            .find(|(x, _, y, _)| x == y);
        if let Some((o, a, _, b)) = shared {
            let d = |x: [i32; 2]| [x[0] as i64 - o[0] as i64, x[1] as i64 - o[1] as i64];
            let (da, db) = (d(a), d(b));
            if orient(o, a, b) == 0 && da[0] * db[0] + da[1] * db[1] > 0 {
                let (la, lb) = (da[0] * da[0] + da[1] * da[1], db[0] * db[0] + db[1] * db[1]);
                // The shorter one's far end lies on the longer one.
                found.push(if la < lb { (j, a) } else { (i, b) });
                stats.vertex_on_edge += 1;
            }
            return;
        }
        let (o1, o2) = (orient(p1, p2, q1), orient(p1, p2, q2));
        let (o3, o4) = (orient(q1, q2, p1), orient(q1, q2, p2));
        if o1 * o2 < 0 && o3 * o4 < 0 {
            // Proper crossing: split both at the rounded crossing point.
            // Integer differences are exact in f64; t is good to 1e-15.
            let (dx, dy) = ((p2[0] - p1[0]) as f64, (p2[1] - p1[1]) as f64);
            let (ex, ey) = ((q2[0] - q1[0]) as f64, (q2[1] - q1[1]) as f64);
            let den = dx * ey - dy * ex;
            let t = ((q1[0] - p1[0]) as f64 * ey - (q1[1] - p1[1]) as f64 * ex) / den;
            let x = [(p1[0] as f64 + t * dx).round() as i32, (p1[1] as f64 + t * dy).round() as i32];
            if x != p1 && x != p2 {
                found.push((i, x));
            }
            if x != q1 && x != q2 {
                found.push((j, x));
            }
            stats.crossings += 1;
            return;
        }
        for (seg, a, b, c, o) in [(i, p1, p2, q1, o1), (i, p1, p2, q2, o2), (j, q1, q2, p1, o3), (j, q1, q2, p2, o4)] {
            if o == 0 && strictly_inside(a, b, c) {
                found.push((seg, c));
                stats.vertex_on_edge += 1;
            }
        }
    });
    let mut out: Vec<(u32, u32)> = found.into_iter().map(|(s, p)| (s, pts.id(p))).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Rewrites every claim running along a split segment as the chain of its
/// pieces, in the claim's direction.
fn apply_splits(xy: &[[i32; 2]], claims: &mut Vec<(u32, u32, u32)>, segs: &[[u32; 2]], splits: Vec<(u32, u32)>) {
    let mut by_seg: IntMap<u64, Vec<u32>> = IntMap::default();
    for (s, v) in splits {
        let [a, b] = segs[s as usize];
        by_seg.entry(seg_key(a, b)).or_default().push(v);
    }
    for (key, list) in by_seg.iter_mut() {
        let a = xy[(key >> 32) as usize];
        let b = xy[(key & 0xffff_ffff) as usize];
        let (dx, dy) = (b[0] as i64 - a[0] as i64, b[1] as i64 - a[1] as i64);
        list.sort_unstable_by_key(|&v| {
            let p = xy[v as usize];
            (p[0] as i64 - a[0] as i64) * dx + (p[1] as i64 - a[1] as i64) * dy
        });
        list.dedup();
    }
    let old = std::mem::take(claims);
    for (u, v, c) in old {
        match by_seg.get(&seg_key(u, v)) {
            None => claims.push((u, v, c)),
            Some(list) => {
                let mut prev = u;
                let mut step = |w: u32| {
                    if w != prev {
                        claims.push((prev, w, c));
                        prev = w;
                    }
                };
                if u < v {
                    list.iter().for_each(|&w| step(w));
                } else {
                    list.iter().rev().for_each(|&w| step(w));
                }
                step(v);
            }
        }
    }
}
