//! From the pack's arcs (Lambert-93 metres) to screen paths.
//!
//! A [`Frame`] fits the view's bounding box into the map area with one
//! scale for x and y (no distortion), y flipped. [`Arcs`] projects each
//! needed arc once, rounded to 0.1 px with consecutive duplicates dropped,
//! so a France map stays small (the 500 m level of detail has several
//! points per pixel).

use crate::scene::PathCmd;
use crate::schema::{ArchivedFeature, ArchivedLod};

/// A screen rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Bounding box in metres: [min x, min y, max x, max y].
pub type BBox = [f64; 4];

pub fn bbox_of(f: &ArchivedFeature) -> BBox {
    let b = &f.bbox;
    [b[0].to_native() as f64, b[1].to_native() as f64, b[2].to_native() as f64, b[3].to_native() as f64]
}

pub fn union(a: BBox, b: BBox) -> BBox {
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

/// Share of `b`'s area inside `view` (0 to 1).
pub fn overlap(b: BBox, view: BBox) -> f64 {
    let w = (b[2].min(view[2]) - b[0].max(view[0])).max(0.0);
    let h = (b[3].min(view[3]) - b[1].max(view[1])).max(0.0);
    let area = ((b[2] - b[0]) * (b[3] - b[1])).max(1.0);
    w * h / area
}

/// Lambert-93 metres → CSS px.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// px per metre.
    pub scale: f64,
    x0: f64,
    y0: f64,
    left: f64,
    top: f64,
}

impl Frame {
    /// Fits `bbox` into `area`, centred, equal scale on both axes.
    pub fn fit(bbox: BBox, area: Rect) -> Frame {
        let (bw, bh) = ((bbox[2] - bbox[0]).max(1.0), (bbox[3] - bbox[1]).max(1.0));
        let scale = (area.width / bw).min(area.height / bh).max(1e-9);
        let left = area.x + (area.width - bw * scale) / 2.0;
        let top = area.y + (area.height - bh * scale) / 2.0;
        Frame { scale, x0: bbox[0], y0: bbox[3], left, top }
    }

    /// A point in metres on screen, rounded to 0.1 px.
    pub fn point(&self, x: f64, y: f64) -> (f64, f64) {
        let (x, y) = self.raw(x, y);
        (round1(x), round1(y))
    }

    /// The frame's exact parameters, as bits: two frames with the same key
    /// project every point alike (a key for cached geometry).
    pub fn key(&self) -> [u64; 5] {
        [self.scale, self.x0, self.y0, self.left, self.top].map(f64::to_bits)
    }

    fn raw(&self, x: f64, y: f64) -> (f64, f64) {
        (self.left + (x - self.x0) * self.scale, self.top + (self.y0 - y) * self.scale)
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Screen points of the arcs of one level of detail, projected on demand.
pub struct Arcs<'a> {
    lod: &'a ArchivedLod,
    frame: Frame,
    cache: Vec<Option<Vec<(f64, f64)>>>,
    /// Scratch buffers of [`Arcs::points`], reused from arc to arc.
    raw: Vec<(f64, f64)>,
    keep: Vec<bool>,
    stack: Vec<(usize, usize)>,
}

impl<'a> Arcs<'a> {
    pub fn new(lod: &'a ArchivedLod, frame: Frame) -> Arcs<'a> {
        let n = lod.arc_offsets.len().saturating_sub(1);
        Arcs { lod, frame, cache: vec![None; n], raw: Vec::new(), keep: Vec::new(), stack: Vec::new() }
    }

    /// Like [`Arcs::new`], with the points already projected for this
    /// `lod` and `frame` ([`Arcs::into_points`] of an earlier `Arcs`).
    pub fn with_points(lod: &'a ArchivedLod, frame: Frame, points: Vec<Option<Vec<(f64, f64)>>>) -> Arcs<'a> {
        let n = lod.arc_offsets.len().saturating_sub(1);
        if points.len() == n {
            Arcs { lod, frame, cache: points, raw: Vec::new(), keep: Vec::new(), stack: Vec::new() }
        } else {
            Arcs::new(lod, frame)
        }
    }

    /// The points projected so far, to hand to [`Arcs::with_points`].
    pub fn into_points(self) -> Vec<Option<Vec<(f64, f64)>>> {
        self.cache
    }

    pub fn arc_count(&self) -> usize {
        self.cache.len()
    }

    /// Arc `i`'s screen points: simplified to [`SIMPLIFY_PX`] (each arc on
    /// its own, endpoints kept, so neighbours still share their borders),
    /// rounded to 0.1 px, consecutive duplicates dropped.
    pub fn points(&mut self, i: usize) -> &[(f64, f64)] {
        if self.cache[i].is_none() {
            let (a, b) =
                (self.lod.arc_offsets[i].to_native() as usize, self.lod.arc_offsets[i + 1].to_native() as usize);
            let coords = &self.lod.coords[a * 2..b * 2];
            let mut raw = std::mem::take(&mut self.raw);
            raw.clear();
            let (mut x, mut y) = (0i32, 0i32);
            for (k, pair) in coords.chunks_exact(2).enumerate() {
                let (dx, dy) = (pair[0].to_native(), pair[1].to_native());
                if k == 0 {
                    (x, y) = (dx, dy);
                } else {
                    (x, y) = (x.wrapping_add(dx), y.wrapping_add(dy));
                }
                raw.push(self.frame.raw(x as f64, y as f64));
            }
            let mut keep = std::mem::take(&mut self.keep);
            keep.clear();
            keep.resize(raw.len(), false);
            let kept = simplify(&raw, SIMPLIFY_PX * SIMPLIFY_PX, &mut keep, &mut self.stack);
            let mut out: Vec<(f64, f64)> = Vec::with_capacity(kept);
            for (p, k) in raw.iter().zip(&keep) {
                if *k {
                    let p = (round1(p.0), round1(p.1));
                    if out.last() != Some(&p) {
                        out.push(p);
                    }
                }
            }
            (self.raw, self.keep) = (raw, keep);
            self.cache[i] = Some(out);
        }
        self.cache[i].as_deref().unwrap_or(&[])
    }

    /// Arc `i`'s points in metres (for point-in-polygon tests).
    pub fn metres(&self, i: usize) -> Vec<[i32; 2]> {
        let (a, b) = (self.lod.arc_offsets[i].to_native() as usize, self.lod.arc_offsets[i + 1].to_native() as usize);
        crate::geometry::decode_arc(self.lod.coords[a * 2..b * 2].iter().map(|c| c.to_native()))
    }

    /// [`Arcs::metres`] appended to `out`.
    pub fn metres_into(&self, i: usize, out: &mut Vec<[i32; 2]>) {
        let (a, b) = (self.lod.arc_offsets[i].to_native() as usize, self.lod.arc_offsets[i + 1].to_native() as usize);
        crate::geometry::decode_arc_into(self.lod.coords[a * 2..b * 2].iter().map(|c| c.to_native()), out);
    }

    /// One ring (arc references) as screen points, closed implicitly.
    fn ring(&mut self, arcs: impl Iterator<Item = i32>, out: &mut Vec<(f64, f64)>) {
        out.clear();
        for r in arcs {
            let (i, reverse) = if r < 0 { (!r as usize, true) } else { (r as usize, false) };
            if i >= self.arc_count() {
                continue;
            }
            let pts = self.points(i);
            let mut push = |p: (f64, f64)| {
                if out.last() != Some(&p) {
                    out.push(p);
                }
            };
            if reverse {
                pts.iter().rev().for_each(|p| push(*p));
            } else {
                pts.iter().for_each(|p| push(*p));
            }
        }
        while out.len() > 1 && out.first() == out.last() {
            out.pop();
        }
    }

    /// A feature's polygons as one path (holes included; SVG's default
    /// non-zero rule fills them right since holes wind the other way).
    /// Rings that shrink below three points at this scale are dropped,
    /// unless that would leave the feature with nothing to draw.
    pub fn feature_path(&mut self, f: &ArchivedFeature) -> Vec<PathCmd> {
        let mut cmds = Vec::new();
        let mut ring = Vec::new();
        for min in [3, 1] {
            for p in f.polygons.iter() {
                for r in p.rings.iter() {
                    self.ring(r.arcs.iter().map(|a| a.to_native()), &mut ring);
                    if ring.len() < min {
                        continue;
                    }
                    push_ring(&mut cmds, &ring);
                }
            }
            if !cmds.is_empty() {
                break;
            }
        }
        cmds
    }

    /// Polylines of the arcs in `keep` (each arc once), as one open path.
    pub fn mesh(&mut self, keep: &[bool]) -> Vec<PathCmd> {
        let mut cmds = Vec::new();
        for (i, k) in keep.iter().enumerate() {
            if !*k || i >= self.arc_count() {
                continue;
            }
            let pts = self.points(i);
            if pts.len() < 2 {
                continue;
            }
            cmds.push(PathCmd::MoveTo(pts[0].0, pts[0].1));
            cmds.extend(pts[1..].iter().map(|p| PathCmd::LineTo(p.0, p.1)));
        }
        cmds
    }

    /// The outline of a feature restricted to the arcs in `keep`: whole
    /// rings where every arc is kept, open runs of kept arcs otherwise.
    pub fn outline(&mut self, f: &ArchivedFeature, keep: &[bool]) -> Vec<PathCmd> {
        let mut cmds = Vec::new();
        for r in f.polygons.iter().flat_map(|p| p.rings.iter()) {
            let refs: Vec<i32> = r.arcs.iter().map(|a| a.to_native()).collect();
            let kept = |a: i32| keep.get(if a < 0 { !a } else { a } as usize).copied().unwrap_or(false);
            if refs.iter().all(|a| kept(*a)) {
                let mut ring = Vec::new();
                self.ring(refs.iter().copied(), &mut ring);
                if ring.len() >= 2 {
                    push_ring(&mut cmds, &ring);
                }
                continue;
            }
            // Open runs, starting after a dropped arc so a run never wraps.
            let start = refs.iter().position(|a| !kept(*a)).unwrap_or(0);
            let mut run: Vec<(f64, f64)> = Vec::new();
            for k in 0..refs.len() {
                let a = refs[(start + k) % refs.len()];
                if !kept(a) {
                    flush(&mut cmds, &mut run);
                    continue;
                }
                let (i, reverse) = if a < 0 { (!a as usize, true) } else { (a as usize, false) };
                let pts: Vec<(f64, f64)> =
                    if reverse { self.points(i).iter().rev().copied().collect() } else { self.points(i).to_vec() };
                for p in pts {
                    if run.last() != Some(&p) {
                        run.push(p);
                    }
                }
            }
            flush(&mut cmds, &mut run);
        }
        cmds
    }
}

/// Screen tolerance of the simplification: well under a pixel, so nothing
/// visible changes, while a France map loses most of its points.
pub const SIMPLIFY_PX: f64 = 0.5;

/// Douglas-Peucker: marks in `keep` the points of `pts` to keep so that no
/// dropped point is farther than √`tol2` from the kept polyline. Endpoints
/// are always kept. Iterative (an arc may have thousands of points), on
/// the caller's `stack`. Returns how many points are kept.
fn simplify(pts: &[(f64, f64)], tol2: f64, keep: &mut [bool], stack: &mut Vec<(usize, usize)>) -> usize {
    let n = pts.len();
    if n == 0 {
        return 0;
    }
    keep[0] = true;
    keep[n - 1] = true;
    let mut kept = if n > 1 { 2 } else { 1 };
    stack.clear();
    stack.push((0usize, n - 1));
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (ax, ay) = pts[a];
        let (bx, by) = pts[b];
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let mut far = (0.0, a);
        for (i, p) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d2 = if len2 == 0.0 {
                (p.0 - ax).powi(2) + (p.1 - ay).powi(2)
            } else {
                let cross = dx * (p.1 - ay) - dy * (p.0 - ax);
                cross * cross / len2
            };
            if d2 > far.0 {
                far = (d2, i);
            }
        }
        if far.0 > tol2 {
            keep[far.1] = true;
            kept += 1;
            stack.push((a, far.1));
            stack.push((far.1, b));
        }
    }
    kept
}

fn push_ring(cmds: &mut Vec<PathCmd>, ring: &[(f64, f64)]) {
    cmds.push(PathCmd::MoveTo(ring[0].0, ring[0].1));
    cmds.extend(ring[1..].iter().map(|p| PathCmd::LineTo(p.0, p.1)));
    cmds.push(PathCmd::Close);
}

fn flush(cmds: &mut Vec<PathCmd>, run: &mut Vec<(f64, f64)>) {
    if run.len() >= 2 {
        cmds.push(PathCmd::MoveTo(run[0].0, run[0].1));
        cmds.extend(run[1..].iter().map(|p| PathCmd::LineTo(p.0, p.1)));
    }
    run.clear();
}

/// Arcs referenced by `features`, as a mask over all arcs.
pub fn arcs_of<'f>(features: impl Iterator<Item = &'f ArchivedFeature>, n: usize) -> Vec<bool> {
    let mut mask = vec![false; n];
    for f in features {
        for r in f.polygons.iter().flat_map(|p| p.rings.iter()).flat_map(|r| r.arcs.iter()) {
            let a = r.to_native();
            if let Some(m) = mask.get_mut(if a < 0 { !a } else { a } as usize) {
                *m = true;
            }
        }
    }
    mask
}

/// Whether point `p` (metres) is inside the feature (even-odd over all
/// its rings).
pub fn contains(arcs: &Arcs<'_>, f: &ArchivedFeature, p: [f64; 2]) -> bool {
    let b = bbox_of(f);
    if p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3] {
        return false;
    }
    let mut inside = false;
    let mut pts: Vec<[i32; 2]> = Vec::new();
    for r in f.polygons.iter().flat_map(|p| p.rings.iter()) {
        pts.clear();
        for a in r.arcs.iter() {
            let a = a.to_native();
            let (i, reverse) = if a < 0 { (!a as usize, true) } else { (a as usize, false) };
            let start = pts.len();
            arcs.metres_into(i, &mut pts);
            if reverse {
                pts[start..].reverse();
            }
        }
        let n = pts.len();
        for k in 0..n {
            let (a, b) = (pts[k], pts[(k + 1) % n]);
            let (ax, ay, bx, by) = (a[0] as f64, a[1] as f64, b[0] as f64, b[1] as f64);
            if (ay > p[1]) != (by > p[1]) && p[0] < ax + (p[1] - ay) * (bx - ax) / (by - ay) {
                inside = !inside;
            }
        }
    }
    inside
}
