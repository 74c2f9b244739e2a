//! Cutting the rings of every layer into shared arcs (TopoJSON-style).
//!
//! All layers' rings are made of topology edges. Take the union of those
//! edges as one graph: a vertex where other than exactly two of them meet is
//! a junction (three territories meet, a border leaves a coastline, a ring
//! touches itself...). Every maximal chain of edges between junctions is one
//! arc, stored once; an isolated ring with no junction at all (an island) is
//! one closed arc starting at its lowest-left vertex. Because the cut depends
//! on the union of all layers, a département border is made of exactly the
//! same arcs as the EPCI and commune borders that run along it.

use super::topology::{DPolygon, Topology, NONE, TOPO_FILE};
use crate::error::{BuildError, Result};

pub(crate) struct Arcs {
    /// Vertex ids of each arc, in its stored direction.
    pub verts: Vec<Vec<u32>>,
}

/// Arc references (`i` forward, `!i` backward) per layer, feature,
/// polygon, ring: `[layer][feature].1[polygon][ring]`.
pub(crate) type LayerRefs = Vec<Vec<(u32, Vec<Vec<Vec<i32>>>)>>;

pub(crate) fn build_arcs(topo: &Topology, layers: &[Vec<(u32, Vec<DPolygon>)>]) -> Result<(Arcs, LayerRefs)> {
    let nv = topo.points.len();
    let ne = topo.edges.len();
    let mut used = vec![false; ne];
    for layer in layers {
        for (_, polys) in layer {
            for p in polys {
                for r in std::iter::once(&p.exterior).chain(&p.holes) {
                    for &e in &r.edges {
                        used[e as usize] = true;
                    }
                }
            }
        }
    }
    // Incidence lists of the used edges (compressed rows).
    let mut deg = vec![0u32; nv];
    for (e, edge) in topo.edges.iter().enumerate() {
        if used[e] {
            deg[edge.a as usize] += 1;
            deg[edge.b as usize] += 1;
        }
    }
    let mut start = vec![0usize; nv + 1];
    for v in 0..nv {
        start[v + 1] = start[v] + deg[v] as usize;
    }
    let mut fill = start.clone();
    let mut inc = vec![0u32; start[nv]];
    for (e, edge) in topo.edges.iter().enumerate() {
        if used[e] {
            for v in [edge.a, edge.b] {
                inc[fill[v as usize]] = e as u32;
                fill[v as usize] += 1;
            }
        }
    }
    // Arc endpoints: junctions, plus the chosen start of each closed loop.
    let mut is_end: Vec<bool> = deg.iter().map(|&d| d > 0 && d != 2).collect();
    let mut edge_arc = vec![NONE; ne];
    let mut edge_pos = vec![0u32; ne];
    let mut arcs: Vec<Vec<u32>> = Vec::new();

    let walk = |from: u32,
                first: u32,
                is_end: &[bool],
                edge_arc: &mut [u32],
                edge_pos: &mut [u32],
                arcs: &mut Vec<Vec<u32>>| {
        let id = arcs.len() as u32;
        let mut verts = vec![from];
        let (mut prev, mut cur) = (from, first);
        loop {
            edge_arc[cur as usize] = id;
            edge_pos[cur as usize] = (verts.len() - 1) as u32;
            let w = topo.edges[cur as usize].other(prev);
            verts.push(w);
            if is_end[w as usize] {
                break;
            }
            // Not an endpoint: exactly two used edges meet here.
            let s = start[w as usize];
            cur = if inc[s] == cur { inc[s + 1] } else { inc[s] };
            prev = w;
        }
        arcs.push(verts);
    };

    for v in 0..nv {
        if !is_end[v] {
            continue;
        }
        for &e in &inc[start[v]..start[v + 1]] {
            if edge_arc[e as usize] == NONE {
                walk(v as u32, e, &is_end, &mut edge_arc, &mut edge_pos, &mut arcs);
            }
        }
    }
    // What is left are closed loops through degree-2 vertices only.
    for e in 0..ne {
        if !used[e] || edge_arc[e] != NONE {
            continue;
        }
        let a = topo.edges[e].a;
        let mut lowest = a;
        let (mut prev, mut cur) = (a, e as u32);
        loop {
            let w = topo.edges[cur as usize].other(prev);
            if w == a {
                break;
            }
            if topo.points[w as usize] < topo.points[lowest as usize] {
                lowest = w;
            }
            let s = start[w as usize];
            cur = if inc[s] == cur { inc[s + 1] } else { inc[s] };
            prev = w;
        }
        is_end[lowest as usize] = true;
        let s = start[lowest as usize];
        let first = inc[s].min(inc[s + 1]);
        walk(lowest, first, &is_end, &mut edge_arc, &mut edge_pos, &mut arcs);
    }

    let mut refs: LayerRefs = Vec::with_capacity(layers.len());
    for layer in layers {
        let mut lr = Vec::with_capacity(layer.len());
        for (t, polys) in layer {
            let mut pr = Vec::with_capacity(polys.len());
            for p in polys {
                let mut rr = Vec::with_capacity(1 + p.holes.len());
                for r in std::iter::once(&p.exterior).chain(&p.holes) {
                    rr.push(ring_refs(
                        r.verts.as_slice(),
                        r.edges.as_slice(),
                        &is_end,
                        &edge_arc,
                        &edge_pos,
                        &arcs,
                        *t,
                    )?);
                }
                pr.push(rr);
            }
            lr.push((*t, pr));
        }
        refs.push(lr);
    }
    Ok((Arcs { verts: arcs }, refs))
}

/// Rewrites one ring (vertex cycle) as a sequence of arc references,
/// starting at its first arc endpoint.
fn ring_refs(
    verts: &[u32],
    edges: &[u32],
    is_end: &[bool],
    edge_arc: &[u32],
    edge_pos: &[u32],
    arcs: &[Vec<u32>],
    t: u32,
) -> Result<Vec<i32>> {
    let n = verts.len();
    let broken =
        |what: &str| BuildError::file(TOPO_FILE, format!("territory {t}: ring does not follow the arcs ({what})"));
    let s = (0..n).find(|&i| is_end[verts[i] as usize]).ok_or_else(|| broken("no endpoint"))?;
    let mut refs = Vec::new();
    let mut i = s;
    let mut walked = 0;
    while walked < n {
        let (v, e) = (verts[i], edges[i]);
        let a = edge_arc[e as usize];
        if a == NONE {
            return Err(broken("edge without arc"));
        }
        let av = &arcs[a as usize];
        let k = av.len() - 1;
        let p = edge_pos[e as usize] as usize;
        let end = if av[p] == v {
            if p != 0 {
                return Err(broken("enters an arc midway"));
            }
            refs.push(a as i32);
            av[k]
        } else {
            if p != k - 1 {
                return Err(broken("enters an arc midway"));
            }
            refs.push(!(a as i32));
            av[0]
        };
        walked += k;
        i = (i + k) % n;
        if walked > n || verts[i] != end {
            return Err(broken("arc and ring disagree"));
        }
    }
    Ok(refs)
}
