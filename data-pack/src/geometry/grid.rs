//! Finding the pairs of segments whose bounding boxes overlap, with a
//! uniform grid: each box is listed in every cell it covers, and a pair is
//! reported once, by the cell holding the lower-left corner of the two
//! boxes' intersection. About linear in the number of segments, where a
//! sweep over x degrades on a country that is as tall as it is wide.

/// Calls `visit(i, j)` (i < j) once for every pair of boxes
/// (`[min x, min y, max x, max y]`) that overlap or touch.
pub(crate) fn overlapping_pairs(boxes: &[[i32; 4]], cell: i32, mut visit: impl FnMut(usize, usize)) {
    let cell = cell.max(1) as i64;
    let c = |v: i32| (v as i64).div_euclid(cell);
    let key = |cx: i64, cy: i64| ((cx as u64) << 32) ^ (cy as u64 & 0xffff_ffff);
    let mut entries: Vec<(u64, u32)> = Vec::with_capacity(boxes.len() * 2);
    for (i, b) in boxes.iter().enumerate() {
        for cx in c(b[0])..=c(b[2]) {
            for cy in c(b[1])..=c(b[3]) {
                entries.push((key(cx, cy), i as u32));
            }
        }
    }
    entries.sort_unstable();
    let mut s = 0;
    while s < entries.len() {
        let k = entries[s].0;
        let mut e = s + 1;
        while e < entries.len() && entries[e].0 == k {
            e += 1;
        }
        let run = &entries[s..e];
        for (x, &(_, i)) in run.iter().enumerate() {
            let i = i as usize;
            let bi = boxes[i];
            for &(_, j) in &run[x + 1..] {
                let j = j as usize;
                let bj = boxes[j];
                if bi[0] > bj[2] || bj[0] > bi[2] || bi[1] > bj[3] || bj[1] > bi[3] {
                    continue;
                }
                // Report the pair only in the cell of the intersection's
                // lower-left corner, which both boxes cover.
                if key(c(bi[0].max(bj[0])), c(bi[1].max(bj[1]))) != k {
                    continue;
                }
                visit(i.min(j), i.max(j));
            }
        }
        s = e;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_pairs_as_brute_force() {
        // Deterministic pseudo-random boxes of mixed sizes, some negative.
        let mut seed = 12345u64;
        let mut rnd = |m: i32| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % m as u64) as i32
        };
        let boxes: Vec<[i32; 4]> = (0..400)
            .map(|_| {
                let (x, y) = (rnd(20_000) - 10_000, rnd(20_000) - 10_000);
                let (w, h) = (rnd(3_000), rnd(300));
                [x, y, x + w, y + h]
            })
            .collect();
        let mut got = Vec::new();
        overlapping_pairs(&boxes, 700, |i, j| got.push((i, j)));
        got.sort();
        let mut want = Vec::new();
        for i in 0..boxes.len() {
            for j in i + 1..boxes.len() {
                let (a, b) = (boxes[i], boxes[j]);
                if !(a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3]) {
                    want.push((i, j));
                }
            }
        }
        assert_eq!(got, want);
    }
}
