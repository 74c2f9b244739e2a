//! Per-level-of-detail simplification of the shared arcs.
//!
//! Douglas–Peucker, with each arc's endpoints fixed. Why DP rather than
//! Visvalingam: its tolerance is a maximum distance in metres, which is what
//! "readable at 1 km per pixel" means, and its refinement step ("add back the
//! farthest dropped point of a shortcut") is exactly what the topology repair
//! below needs.
//!
//! Simplifying arcs one by one can make two arcs cross, swallow a small
//! island, or flatten a small ring. So after the plain DP pass we check the
//! whole simplified map and refine the offending shortcuts until none is
//! left:
//! 1. two simplified segments may only meet at a shared endpoint, and must
//!    not run along each other;
//! 2. the area swept by a shortcut (between it and the original points it
//!    replaces) must not contain any kept vertex of the map;
//! 3. every ring of every layer keeps a non-zero area of its original sign.
//!
//! Refinement only ever adds original points back, so the loop ends (in the
//! worst case on the unsimplified arcs). Because arcs are shared, a repaired
//! arc is repaired for every layer at once.

use super::grid::overlapping_pairs;
use super::topology::{point_key, IntMap};

/// The unsimplified arcs in whole metres, consecutive duplicates removed:
/// arc `i` is `pts[offsets[i]..offsets[i + 1]]`.
pub(crate) struct ArcPoints {
    pub offsets: Vec<usize>,
    pub pts: Vec<[i32; 2]>,
}

impl ArcPoints {
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }
    pub fn range(&self, arc: usize) -> std::ops::Range<usize> {
        self.offsets[arc]..self.offsets[arc + 1]
    }
}

/// A ring to keep alive: its arc references and whether it is an exterior
/// (positive area) or a hole.
pub(crate) struct RingCheck<'a> {
    pub refs: &'a [i32],
    pub exterior: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SimplifyStats {
    /// Rounds of checking and repair (1 when the plain DP result was fine,
    /// and always at tolerance 0).
    pub rounds: usize,
    /// Points put back by the repair.
    pub repaired_points: usize,
    /// Conflicts already present in the unsimplified arcs (nothing left to
    /// refine): expected 0.
    pub unfixable: usize,
}

/// Returns, for each point of `base.pts`, whether the level of detail with
/// tolerance `tol` (metres) keeps it.
pub(crate) fn simplify(base: &ArcPoints, rings: &[RingCheck], tol: f64) -> (Vec<bool>, SimplifyStats) {
    let pts = &base.pts;
    let mut kept = vec![false; pts.len()];
    let mut stats = SimplifyStats::default();
    for a in 0..base.len() {
        let r = base.range(a);
        let (s, e) = (r.start, r.end - 1);
        kept[s] = true;
        kept[e] = true;
        if tol <= 0.0 {
            kept[s..=e].iter_mut().for_each(|k| *k = true);
            continue;
        }
        if e - s + 1 >= 4 && pts[s] == pts[e] {
            // A closed arc: DP is undefined between identical endpoints, so
            // split at the point farthest from them, and keep at least three
            // distinct points so the ring never collapses to a line.
            let far = farthest(pts, s, e).0;
            kept[far] = true;
            dp(pts, s, far, tol, &mut kept);
            dp(pts, far, e, tol, &mut kept);
            if kept[s..=e].iter().filter(|&&k| k).count() < 4 {
                let (k1, d1) = farthest(pts, s, far);
                let (k2, d2) = farthest(pts, far, e);
                let k = if d1 >= d2 && k1 > s { k1 } else { k2 };
                kept[k] = true;
            }
        } else {
            dp(pts, s, e, tol, &mut kept);
        }
    }
    // At tolerance 0 nothing can be refined: the round only counts the
    // conflicts already in the unsimplified arcs (expected: none).
    let cell = (tol * 4.0).max(500.0);
    loop {
        stats.rounds += 1;
        let mut spans: Vec<usize> = Vec::new();
        let mut unfixable = 0;
        let segs = segments(base, &kept);
        crossing_conflicts(pts, &segs, (cell as i32).max(2_000), &mut spans, &mut unfixable);
        swept_conflicts(pts, &segs, &kept, cell, &mut spans);
        ring_conflicts(base, &kept, rings, &mut spans, &mut unfixable);
        stats.unfixable = unfixable;
        spans.sort_unstable();
        spans.dedup();
        let mut added = 0;
        for s in spans {
            let e = kept_end(&kept, s);
            if refine(pts, s, e, &mut kept) {
                added += 1;
            }
        }
        stats.repaired_points += added;
        if added == 0 {
            break;
        }
    }
    (kept, stats)
}

fn dist_to_segment(p: [i32; 2], a: [i32; 2], b: [i32; 2]) -> f64 {
    let (px, py) = (p[0] as f64, p[1] as f64);
    let (ax, ay) = (a[0] as f64, a[1] as f64);
    let (dx, dy) = (b[0] as f64 - ax, b[1] as f64 - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 { 0.0 } else { (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0) };
    let (qx, qy) = (ax + t * dx, ay + t * dy);
    ((px - qx).powi(2) + (py - qy).powi(2)).sqrt()
}

/// The point strictly between `s` and `e` farthest from segment s–e, and its
/// distance; `s` when there is none.
fn farthest(pts: &[[i32; 2]], s: usize, e: usize) -> (usize, f64) {
    let mut best = (s, -1.0);
    for k in s + 1..e {
        let d = dist_to_segment(pts[k], pts[s], pts[e]);
        if d > best.1 {
            best = (k, d);
        }
    }
    best
}

fn dp(pts: &[[i32; 2]], s: usize, e: usize, tol: f64, kept: &mut [bool]) {
    let mut stack = vec![(s, e)];
    while let Some((s, e)) = stack.pop() {
        if e <= s + 1 {
            continue;
        }
        let (k, d) = farthest(pts, s, e);
        if d > tol {
            kept[k] = true;
            stack.push((s, k));
            stack.push((k, e));
        }
    }
}

/// The next kept index after `s` (arcs always keep their last point).
fn kept_end(kept: &[bool], s: usize) -> usize {
    let mut e = s + 1;
    while !kept[e] {
        e += 1;
    }
    e
}

/// Puts back the farthest dropped point of shortcut `s → e` (the middle one
/// when all are on the line). False when there is nothing to put back.
fn refine(pts: &[[i32; 2]], s: usize, e: usize, kept: &mut [bool]) -> bool {
    if e <= s + 1 {
        return false;
    }
    let (k, d) = farthest(pts, s, e);
    let k = if d > 0.0 { k } else { (s + e) / 2 };
    kept[k] = true;
    true
}

/// A simplified segment from kept point `s` to the next kept point `e`.
struct Seg {
    s: usize,
    e: usize,
    bbox: [i32; 4],
}

fn segments(base: &ArcPoints, kept: &[bool]) -> Vec<Seg> {
    let pts = &base.pts;
    let mut out = Vec::new();
    for a in 0..base.len() {
        let r = base.range(a);
        let mut s = r.start;
        for k in r.start + 1..r.end {
            if kept[k] {
                let (p, q) = (pts[s], pts[k]);
                out.push(Seg { s, e: k, bbox: [p[0].min(q[0]), p[1].min(q[1]), p[0].max(q[0]), p[1].max(q[1])] });
                s = k;
            }
        }
    }
    out
}

fn orient(a: [i32; 2], b: [i32; 2], c: [i32; 2]) -> i64 {
    let v = (b[0] as i64 - a[0] as i64) * (c[1] as i64 - a[1] as i64)
        - (b[1] as i64 - a[1] as i64) * (c[0] as i64 - a[0] as i64);
    v.signum()
}

/// Whether `c`, known to be collinear with a–b, lies on the closed segment.
fn on_segment(a: [i32; 2], b: [i32; 2], c: [i32; 2]) -> bool {
    c[0] >= a[0].min(b[0]) && c[0] <= a[0].max(b[0]) && c[1] >= a[1].min(b[1]) && c[1] <= a[1].max(b[1])
}

/// Whether two segments of the map meet anywhere but at a shared endpoint,
/// or run along each other from a shared endpoint. Exact integer test.
pub(crate) fn segments_conflict(p1: [i32; 2], p2: [i32; 2], q1: [i32; 2], q2: [i32; 2]) -> bool {
    let shared = [(p1, p2, q1, q2), (p1, p2, q2, q1), (p2, p1, q1, q2), (p2, p1, q2, q1)]
        .into_iter()
        .find(|(a, _, c, _)| a == c);
    if let Some((o, a, _, b)) = shared {
        if a == b {
            return true; // the same segment twice
        }
        // Two segments from one point meet elsewhere only if they overlap.
        let cross = orient(o, a, b);
        let dot = (a[0] as i64 - o[0] as i64) * (b[0] as i64 - o[0] as i64)
            + (a[1] as i64 - o[1] as i64) * (b[1] as i64 - o[1] as i64);
        return cross == 0 && dot > 0;
    }
    let (o1, o2) = (orient(p1, p2, q1), orient(p1, p2, q2));
    let (o3, o4) = (orient(q1, q2, p1), orient(q1, q2, p2));
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return true;
    }
    (o1 == 0 && on_segment(p1, p2, q1))
        || (o2 == 0 && on_segment(p1, p2, q2))
        || (o3 == 0 && on_segment(q1, q2, p1))
        || (o4 == 0 && on_segment(q1, q2, p2))
}

/// Check 1, over the pairs of segments whose boxes overlap.
fn crossing_conflicts(pts: &[[i32; 2]], segs: &[Seg], cell: i32, spans: &mut Vec<usize>, unfixable: &mut usize) {
    let boxes: Vec<[i32; 4]> = segs.iter().map(|s| s.bbox).collect();
    overlapping_pairs(&boxes, cell, |i, j| {
        let (si, sj) = (&segs[i], &segs[j]);
        if segments_conflict(pts[si.s], pts[si.e], pts[sj.s], pts[sj.e]) {
            let mut any = false;
            for s in [si, sj] {
                if s.e > s.s + 1 {
                    spans.push(s.s);
                    any = true;
                }
            }
            if !any {
                *unfixable += 1;
            }
        }
    });
}

/// Check 2: no kept vertex may lie in the area a shortcut sweeps over, nor
/// on the shortcut itself.
fn swept_conflicts(pts: &[[i32; 2]], segs: &[Seg], kept: &[bool], cell: f64, spans: &mut Vec<usize>) {
    let cell_of = |v: i32| (v as f64 / cell).floor() as i32;
    let mut grid: IntMap<u64, Vec<[i32; 2]>> = IntMap::default();
    for (k, p) in pts.iter().enumerate() {
        if kept[k] {
            grid.entry(point_key([cell_of(p[0]), cell_of(p[1])])).or_default().push(*p);
        }
    }
    for g in grid.values_mut() {
        g.sort_unstable();
        g.dedup();
    }
    for seg in segs {
        let (s, e) = (seg.s, seg.e);
        if e <= s + 1 {
            continue;
        }
        let chain = &pts[s..=e];
        let mut b = [i32::MAX, i32::MAX, i32::MIN, i32::MIN];
        for p in chain {
            b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
        }
        let mut hit = false;
        'cells: for cx in cell_of(b[0])..=cell_of(b[2]) {
            for cy in cell_of(b[1])..=cell_of(b[3]) {
                let Some(list) = grid.get(&point_key([cx, cy])) else {
                    continue;
                };
                for &q in list {
                    if q[0] < b[0] || q[0] > b[2] || q[1] < b[1] || q[1] > b[3] {
                        continue;
                    }
                    if q == pts[s] || q == pts[e] {
                        continue;
                    }
                    if in_swept_area(chain, q) {
                        hit = true;
                        break 'cells;
                    }
                }
            }
        }
        if hit {
            spans.push(s);
        }
    }
}

/// Whether `q` lies on the shortcut `chain[0] → chain[last]` or strictly
/// inside the polygon closed by the original chain and that shortcut. A
/// point on the original chain itself is outside (it is a point of the map
/// the chain already touched).
fn in_swept_area(chain: &[[i32; 2]], q: [i32; 2]) -> bool {
    let n = chain.len();
    let (a, b) = (chain[0], chain[n - 1]);
    if orient(a, b, q) == 0 && on_segment(a, b, q) {
        return true;
    }
    let mut inside = false;
    for i in 0..n {
        let p1 = chain[i];
        let p2 = chain[(i + 1) % n];
        if i + 1 < n && orient(p1, p2, q) == 0 && on_segment(p1, p2, q) {
            return false;
        }
        if (p1[1] > q[1]) != (p2[1] > q[1]) {
            let lhs = (q[0] as i64 - p1[0] as i64) as i128 * (p2[1] as i64 - p1[1] as i64) as i128;
            let rhs = (q[1] as i64 - p1[1] as i64) as i128 * (p2[0] as i64 - p1[0] as i64) as i128;
            if (p2[1] > p1[1] && lhs < rhs) || (p2[1] < p1[1] && lhs > rhs) {
                inside = !inside;
            }
        }
    }
    inside
}

/// Check 3: every ring keeps a non-zero area of its original sign; if not,
/// the longest shortcut of the ring is refined.
fn ring_conflicts(base: &ArcPoints, kept: &[bool], rings: &[RingCheck], spans: &mut Vec<usize>, unfixable: &mut usize) {
    let pts = &base.pts;
    let mut ring: Vec<[i32; 2]> = Vec::new();
    for rc in rings {
        ring.clear();
        for &r in rc.refs {
            let (a, fwd) = if r >= 0 { (r as usize, true) } else { (!r as usize, false) };
            let range = base.range(a);
            let mut push = |p: [i32; 2]| {
                if ring.last() != Some(&p) {
                    ring.push(p);
                }
            };
            if fwd {
                range.filter(|&k| kept[k]).for_each(|k| push(pts[k]));
            } else {
                range.rev().filter(|&k| kept[k]).for_each(|k| push(pts[k]));
            }
        }
        let area = super::decode::ring_area2_i64(&ring);
        if (area > 0) == rc.exterior && area != 0 {
            continue;
        }
        // The longest shortcut of the ring's arcs.
        let mut best: Option<(usize, usize)> = None;
        for &r in rc.refs {
            let a = if r >= 0 { r as usize } else { !r as usize };
            let range = base.range(a);
            let mut s = range.start;
            for k in (range.start + 1..range.end).filter(|&k| kept[k]) {
                if k > s + 1 && best.is_none_or(|(_, len)| k - s > len) {
                    best = Some((s, k - s));
                }
                s = k;
            }
        }
        match best {
            Some((s, _)) => spans.push(s),
            None => *unfixable += 1,
        }
    }
}
