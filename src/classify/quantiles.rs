//! Quantiles: k classes of about equal counts.
//!
//! The inner bounds are the quantiles of order i / k (i = 1 … k − 1) by the
//! R-7 definition, the default of R's `quantile()`, of `d3.quantile` and of
//! NumPy: with the n values sorted (0-based), h = (n − 1)·p and the quantile
//! is x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]), interpolating between the two
//! values around rank h. A value equal to a bound goes to the lower class.
//!
//! Ties can make two bounds equal; [`super::classify`] then merges the empty
//! class, so a map of many zeros has fewer classes rather than empty ones.

/// The k − 1 inner bounds of `sorted` (finite, ascending, not empty).
///
/// Expected values by hand, and as R gives them:
/// `quantile(1:10, c(.25, .5, .75))` is `3.25 5.50 7.75` (h = 9·0.25 = 2.25:
/// x[2] + 0.25·(x[3] − x[2]) = 3 + 0.25; h = 4.5: 5.5; h = 6.75: 7.75).
/// Counts follow with ties going down: {1, 2, 3}, {4, 5}, {6, 7}, {8, 9, 10}.
///
/// ```
/// use territoire::classify::{classify, quantiles, Method};
/// let x: Vec<f64> = (1..=10).map(f64::from).collect();
/// assert_eq!(quantiles::inner_bounds(&x, 4), [3.25, 5.5, 7.75]);
/// let c = classify(&x, &Method::Quantiles, 4).unwrap();
/// assert_eq!(c.breaks, [1.0, 3.25, 5.5, 7.75, 10.0]);
/// assert_eq!(c.counts, [3, 2, 2, 3]);
///
/// // Terciles of 0, 10, 30 (d3.quantile([0, 10, 30], 1/3) = 20/3:
/// // h = 2/3, 0 + 2/3·(10 − 0)); h = 4/3: 10 + 1/3·20 = 50/3.
/// let t = quantiles::inner_bounds(&[0.0, 10.0, 30.0], 3);
/// assert!((t[0] - 20.0 / 3.0).abs() < 1e-12 && (t[1] - 50.0 / 3.0).abs() < 1e-12);
/// ```
pub fn inner_bounds(sorted: &[f64], k: usize) -> Vec<f64> {
    (1..k).map(|i| quantile(sorted, i, k)).collect()
}

/// The R-7 quantile of order i / k. The rank is computed as (n − 1)·i / k
/// with one division, so that medians of odd counts fall exactly on a value.
fn quantile(sorted: &[f64], i: usize, k: usize) -> f64 {
    let n = sorted.len();
    if n == 1 {
        return sorted[0];
    }
    let h = ((n - 1) * i) as f64 / k as f64;
    let lo = h.floor() as usize;
    if lo + 1 >= n {
        return sorted[n - 1];
    }
    let frac = h - lo as f64;
    let (a, b) = (sorted[lo], sorted[lo + 1]);
    // a + frac·(b − a) with a == b gives a exactly, so ties stay ties.
    if frac == 0.0 {
        a
    } else {
        a + frac * (b - a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(inner_bounds(&[1.0, 2.0, 3.0, 4.0, 5.0], 2), [3.0]);
        assert_eq!(inner_bounds(&[1.0, 2.0, 3.0, 4.0], 2), [2.5]);
        assert_eq!(inner_bounds(&[7.0], 3), [7.0, 7.0]);
    }

    #[test]
    fn counts_are_nearly_equal() {
        let x: Vec<f64> = (0..1240).map(|i| f64::from(i).sqrt()).collect();
        for k in 3..=9 {
            let c = super::super::classify(&x, &super::super::Method::Quantiles, k).unwrap();
            let (lo, hi) = (c.counts.iter().min().unwrap(), c.counts.iter().max().unwrap());
            assert!(hi - lo <= 1, "{k}: {:?}", c.counts);
        }
    }
}
