//! Mean and standard deviation: classes bounded at the mean plus or minus
//! multiples of σ, for maps read as "above / below average".
//!
//! The bounds are one σ apart and symmetric about the mean:
//! - even k: a bound at the mean, then every σ: k = 4 gives m − σ, m, m + σ;
//! - odd k: a middle class m ± σ/2, then every σ: k = 3 gives m ± 0.5σ,
//!   k = 5 gives m ± 0.5σ and m ± 1.5σ.
//!
//! The outer classes are open (down to the minimum, up to the maximum). A
//! bound outside the values' range would close an empty outer class: it is
//! dropped, so a short-tailed set gets fewer classes. σ is the population
//! standard deviation (divided by n): the values are all the territories
//! mapped, not a sample of them.

/// The multiples of σ at which the k − 1 inner bounds lie, for a legend
/// ("moyenne + 1,5 σ").
///
/// ```
/// use territoire::classify::stddev::multiples;
/// assert_eq!(multiples(3), [-0.5, 0.5]);
/// assert_eq!(multiples(4), [-1.0, 0.0, 1.0]);
/// assert_eq!(multiples(5), [-1.5, -0.5, 0.5, 1.5]);
/// ```
pub fn multiples(k: usize) -> Vec<f64> {
    let half = (k as f64 - 2.0) / 2.0;
    (0..k.saturating_sub(1)).map(|i| i as f64 - half).collect()
}

/// Mean and population standard deviation of `values` (not empty).
///
/// ```
/// // The textbook set: mean 5, σ 2.
/// let (m, s) = territoire::classify::stddev::mean_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
/// assert_eq!((m, s), (5.0, 2.0));
/// ```
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    // Two passes: the sum of squared deviations does not lose digits the
    // way Σx² − n·m² does on incomes around 20 000 €.
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// The k − 1 inner bounds mean + multiple·σ (some may lie outside the
/// values' range; [`super::classify`] drops them).
///
/// By hand on 2, 4, 4, 4, 5, 5, 7, 9 (mean 5, σ 2): 4 classes are bounded at
/// 3, 5, 7, holding {2}, {4, 4, 4, 5, 5}, {7}, {9}; 3 classes at 4 and 6,
/// holding {2, 4, 4, 4}, {5, 5}, {7, 9}. Asked for 9 classes, the five
/// distinct values allow 5: bounds 5 ± 0.5·2 and 5 ± 1.5·2 = 2, 4, 6, 8;
/// the bound 2 is the minimum, alone in its class, so it moves halfway to
/// the next value (3) and the classes are {2}, {4, 4, 4}, {5, 5}, {7}, {9}.
///
/// ```
/// use territoire::classify::{classify, stddev, Method};
/// let x = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
/// assert_eq!(stddev::inner_bounds(&x, 4), [3.0, 5.0, 7.0]);
/// let c = classify(&x, &Method::StdDev, 4).unwrap();
/// assert_eq!(c.breaks, [2.0, 3.0, 5.0, 7.0, 9.0]);
/// assert_eq!(c.counts, [1, 5, 1, 1]);
/// let c = classify(&x, &Method::StdDev, 3).unwrap();
/// assert_eq!(c.breaks, [2.0, 4.0, 6.0, 9.0]);
/// assert_eq!(c.counts, [4, 2, 2]);
/// let c = classify(&x, &Method::StdDev, 9).unwrap();
/// assert_eq!(c.breaks, [2.0, 3.0, 4.0, 6.0, 8.0, 9.0]);
/// assert_eq!(c.counts, [1, 3, 2, 1, 1]);
/// ```
pub fn inner_bounds(sorted: &[f64], k: usize) -> Vec<f64> {
    let (mean, sd) = mean_sd(sorted);
    multiples(k).into_iter().map(|m| mean + m * sd).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiples_are_symmetric_and_one_sigma_apart() {
        for k in 3..=9 {
            let m = multiples(k);
            assert_eq!(m.len(), k - 1);
            for (a, b) in m.iter().zip(m.iter().rev()) {
                assert_eq!(*a, -*b);
            }
            assert!(m.windows(2).all(|w| w[1] - w[0] == 1.0));
        }
        assert_eq!(multiples(9), [-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5]);
    }

    #[test]
    fn outer_bounds_outside_the_range_are_dropped() {
        // Mean 4.9, σ = √3.69 ≈ 1.92; 7 distinct values allow 7 classes,
        // whose outer bounds 4.9 ± 2.5σ ≈ 0.10 and 9.70 lie outside 2 … 9.
        let x = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, 3.0, 6.0];
        let c = super::super::classify(&x, &super::super::Method::StdDev, 9).unwrap();
        assert!(c.breaks.windows(2).all(|w| w[1] > w[0]));
        assert_eq!(c.len(), 5);
        assert_eq!(c.counts, [1, 1, 5, 2, 1]);
    }
}
