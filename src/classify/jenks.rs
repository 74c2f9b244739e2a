//! Jenks natural breaks, exact: the k classes of contiguous sorted values
//! that minimise the total within-class sum of squared deviations.
//!
//! Implemented: the ckmeans dynamic programme of Wang & Song (2011, "Ckmeans.1d.dp:
//! optimal k-means clustering in one dimension by dynamic programming", The
//! R Journal 3/2), which is Fisher's (1958) exact algorithm, with each row of
//! the table filled by divide and conquer: the best start of the last class
//! never decreases as the end moves right (the cost is a Monge array), so
//! the row costs O(n log n) and the whole O(k·n log n) in time, O(k·n) in
//! memory. Class sums of squares come from prefix sums in O(1).
//! For the 1,240 EPCI of France and 9 classes that is about 10⁵ cost
//! evaluations: well under a millisecond.
//!
//! Inner bounds are the largest value of each class but the last, the
//! convention of R's `classInt` ("fisher") and of `simple-statistics`.

/// Start indices (into `sorted`) of the k optimal classes: the first is 0.
/// `sorted` is finite and ascending; `k` is at least 1 and at most the
/// number of values (at most the number of distinct values for classes
/// that [`super::class_of`] can tell apart).
///
/// The published example of `simple-statistics` (`ckmeans`) and of R's
/// `Ckmeans.1d.dp` (sizes 4, 3, 3; centres −1, 2, 5):
/// `ckmeans([-1, 2, -1, 2, 4, 5, 6, -1, 2, -1], 3)` is
/// `[[-1, -1, -1, -1], [2, 2, 2], [4, 5, 6]]`.
///
/// ```
/// use territoire::classify::jenks::clusters;
/// let mut x = [-1.0, 2.0, -1.0, 2.0, 4.0, 5.0, 6.0, -1.0, 2.0, -1.0];
/// x.sort_by(f64::total_cmp);
/// assert_eq!(clusters(&x, 3), [0, 4, 7]);
/// ```
pub fn clusters(sorted: &[f64], k: usize) -> Vec<usize> {
    let n = sorted.len();
    let k = k.clamp(1, n.max(1));
    if n == 0 {
        return vec![0];
    }
    let ssq = Ssq::new(sorted);
    // cost[q][i]: least cost of q + 1 classes over sorted[0..=i];
    // start[q][i]: where the last of them starts.
    let mut cost = vec![vec![0.0; n]; k];
    let mut start = vec![vec![0usize; n]; k];
    for (i, c) in cost[0].iter_mut().enumerate() {
        *c = ssq.get(0, i);
    }
    for q in 1..k {
        let (done, rest) = cost.split_at_mut(q);
        let mut row = Row { prev: &done[q - 1], cost: &mut rest[0], start: &mut start[q], ssq: &ssq };
        // q + 1 classes need i ≥ q, and the last class starts at j ≥ q.
        row.fill(q, n - 1, q, n - 1);
    }
    let mut starts = vec![0; k];
    let mut end = n - 1;
    for q in (1..k).rev() {
        starts[q] = start[q][end];
        end = starts[q] - 1;
    }
    starts
}

/// The k − 1 inner bounds: the largest value of every class but the last.
///
/// By hand, 1, 2, 4, 5, 7, 9, 10, 20 in 3 classes: {1, 2, 4, 5} (mean 3,
/// squares 4 + 1 + 1 + 4 = 10), {7, 9, 10} (mean 26/3, squares 42/9 ≈ 4.67)
/// and {20} (0), total ≈ 14.67; the next best, {1, 2, 4}, {5, 7, 9, 10},
/// {20}, costs ≈ 19.42 (all 21 partitions were enumerated).
///
/// ```
/// use territoire::classify::{classify, jenks, Method};
/// let x = [1.0, 2.0, 4.0, 5.0, 7.0, 9.0, 10.0, 20.0];
/// assert_eq!(jenks::inner_bounds(&x, 3), [5.0, 10.0]);
/// let c = classify(&x, &Method::Jenks, 3).unwrap();
/// assert_eq!(c.breaks, [1.0, 5.0, 10.0, 20.0]);
/// assert_eq!(c.counts, [4, 3, 1]);
///
/// // The ckmeans example: the first class is −1 alone, so its bound moves
/// // halfway to the next value (0.5) and the bounds stay increasing.
/// let c = classify(&[-1.0, 2.0, -1.0, 2.0, 4.0, 5.0, 6.0, -1.0, 2.0, -1.0], &Method::Jenks, 3).unwrap();
/// assert_eq!(c.breaks, [-1.0, 0.5, 2.0, 6.0]);
/// assert_eq!(c.counts, [4, 3, 3]);
/// ```
pub fn inner_bounds(sorted: &[f64], k: usize) -> Vec<f64> {
    clusters(sorted, k).iter().skip(1).map(|&s| sorted[s - 1]).collect()
}

/// Sums of squared deviations of any run of the sorted values in O(1).
struct Ssq {
    /// Prefix sums of (x − shift) and of its square; the shift (the median)
    /// keeps the squares small, so Σx² − (Σx)²/n does not cancel away the
    /// digits of incomes around 20 000 €.
    sum: Vec<f64>,
    sum2: Vec<f64>,
}

impl Ssq {
    fn new(sorted: &[f64]) -> Self {
        let shift = sorted[sorted.len() / 2];
        let mut sum = Vec::with_capacity(sorted.len() + 1);
        let mut sum2 = Vec::with_capacity(sorted.len() + 1);
        let (mut s, mut s2) = (0.0, 0.0);
        sum.push(s);
        sum2.push(s2);
        for &x in sorted {
            let d = x - shift;
            s += d;
            s2 += d * d;
            sum.push(s);
            sum2.push(s2);
        }
        Ssq { sum, sum2 }
    }

    /// Sum of squared deviations from their mean of sorted[j..=i].
    fn get(&self, j: usize, i: usize) -> f64 {
        let n = (i - j + 1) as f64;
        let s = self.sum[i + 1] - self.sum[j];
        let v = self.sum2[i + 1] - self.sum2[j] - s * s / n;
        // Rounding can leave a tiny negative for a run of equal values.
        v.max(0.0)
    }
}

/// One row of the table being filled from the previous one.
struct Row<'a> {
    prev: &'a [f64],
    cost: &'a mut [f64],
    start: &'a mut [usize],
    ssq: &'a Ssq,
}

impl Row<'_> {
    /// Fills ends i_lo..=i_hi knowing their best starts lie in j_lo..=j_hi:
    /// solve the middle end, then each half within the bounds it leaves.
    fn fill(&mut self, i_lo: usize, i_hi: usize, j_lo: usize, j_hi: usize) {
        if i_lo > i_hi {
            return;
        }
        let i = (i_lo + i_hi) / 2;
        let mut best = (f64::INFINITY, j_lo);
        for j in j_lo..=j_hi.min(i) {
            let c = self.prev[j - 1] + self.ssq.get(j, i);
            // Strictly less: the leftmost best start, whose monotonicity the
            // divide and conquer relies on.
            if c < best.0 {
                best = (c, j);
            }
        }
        self.cost[i] = best.0;
        self.start[i] = best.1;
        if i > i_lo {
            self.fill(i_lo, i - 1, j_lo, best.1);
        }
        self.fill(i + 1, i_hi, best.1, j_hi);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(sorted: &[f64], starts: &[usize]) -> f64 {
        let ssq = Ssq::new(sorted);
        let mut ends: Vec<usize> = starts.iter().skip(1).map(|s| s - 1).collect();
        ends.push(sorted.len() - 1);
        starts.iter().zip(&ends).map(|(&s, &e)| ssq.get(s, e)).sum()
    }

    /// Fisher's plain O(k·n²) programme, the reference.
    fn quadratic(sorted: &[f64], k: usize) -> f64 {
        let n = sorted.len();
        let ssq = Ssq::new(sorted);
        let mut prev: Vec<f64> = (0..n).map(|i| ssq.get(0, i)).collect();
        for q in 1..k {
            let mut row = vec![f64::INFINITY; n];
            for (i, r) in row.iter_mut().enumerate().skip(q) {
                for j in q..=i {
                    *r = r.min(prev[j - 1] + ssq.get(j, i));
                }
            }
            prev = row;
        }
        prev[n - 1]
    }

    /// Every way of cutting n values into k runs.
    fn exhaustive(sorted: &[f64], k: usize) -> f64 {
        fn go(ssq: &Ssq, from: usize, n: usize, k: usize) -> f64 {
            if k == 1 {
                return ssq.get(from, n - 1);
            }
            (from..=n - k).map(|end| ssq.get(from, end) + go(ssq, end + 1, n, k - 1)).fold(f64::INFINITY, f64::min)
        }
        go(&Ssq::new(sorted), 0, sorted.len(), k)
    }

    fn sorted_sample(n: usize, seed: u64) -> Vec<f64> {
        let mut v = super::super::tests::sample(n, seed);
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn optimal_against_exhaustive_search() {
        for seed in 1..40 {
            let x = sorted_sample(12, seed);
            for k in 1..=6 {
                let s = clusters(&x, k);
                assert_eq!(s.len(), k);
                assert!((total(&x, &s) - exhaustive(&x, k)).abs() < 1e-9, "seed {seed} k {k}");
            }
        }
        // The near tie of 1, 2, 4, 5, 7, 9, 10, 20 in 4 classes (17/3 both ways).
        let x = [1.0, 2.0, 4.0, 5.0, 7.0, 9.0, 10.0, 20.0];
        assert!((total(&x, &clusters(&x, 4)) - 17.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn optimal_against_the_quadratic_programme() {
        for seed in 1..6 {
            let x = sorted_sample(400, seed);
            for k in 3..=9 {
                let got = total(&x, &clusters(&x, k));
                let want = quadratic(&x, k);
                assert!((got - want).abs() <= 1e-9 * want.max(1.0), "seed {seed} k {k}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn large_shifted_values_keep_their_precision() {
        // Incomes: three clear groups around 15 000, 22 000 and 40 000 €.
        let mut x: Vec<f64> = (0..30).map(|i| 15_000.0 + f64::from(i)).collect();
        x.extend((0..30).map(|i| 22_000.0 + f64::from(i)));
        x.extend((0..30).map(|i| 40_000.0 + f64::from(i)));
        assert_eq!(clusters(&x, 3), [0, 30, 60]);
        assert_eq!(inner_bounds(&x, 3), [15_029.0, 22_029.0]);
    }

    #[test]
    fn degenerate_sizes() {
        assert_eq!(clusters(&[3.0], 4), [0]);
        assert_eq!(clusters(&[1.0, 2.0, 3.0], 3), [0, 1, 2]);
        assert_eq!(clusters(&[5.0, 5.0, 5.0], 1), [0]);
    }

    #[test]
    fn france_epci_size_is_fast() {
        let x = sorted_sample(1240, 7);
        let t = std::time::Instant::now();
        let runs = 20;
        for _ in 0..runs {
            std::hint::black_box(clusters(std::hint::black_box(&x), 9));
        }
        let per_run = t.elapsed() / runs;
        eprintln!("ckmeans n = 1240, k = 9: {per_run:?} per run");
        // Native and shared with other builds: a generous ceiling, the
        // point being the complexity (the quadratic programme is ~20× slower).
        assert!(per_run.as_millis() < 20, "{per_run:?}");
    }
}
