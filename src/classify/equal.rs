//! Equal intervals: k classes of the same width from the minimum to the
//! maximum.
//!
//! The width is the method's point (a reader compares classes as steps of
//! the same size), so a class holding no value is kept with a count of 0
//! rather than merged: an outlier stretches the scale and the legend says
//! so.

/// The k − 1 inner bounds min + i·(max − min) / k.
///
/// By hand: from 2 to 14 in 3 classes the width is 4, bounds 6 and 10; the
/// values 2, 3, 5 are in the first class, 8 in the second, 14 in the third.
/// A value on a bound (6) goes to the lower class.
///
/// ```
/// use territoire::classify::{classify, equal, Method};
/// assert_eq!(equal::inner_bounds(2.0, 14.0, 3), [6.0, 10.0]);
/// let c = classify(&[2.0, 3.0, 5.0, 8.0, 14.0, 6.0], &Method::EqualIntervals, 3).unwrap();
/// assert_eq!(c.breaks, [2.0, 6.0, 10.0, 14.0]);
/// assert_eq!(c.counts, [4, 1, 1]);
/// // An outlier leaves a middle class empty, and the count says 0.
/// let c = classify(&[0.0, 1.0, 2.0, 100.0], &Method::EqualIntervals, 4).unwrap();
/// assert_eq!(c.breaks, [0.0, 25.0, 50.0, 75.0, 100.0]);
/// assert_eq!(c.counts, [3, 0, 0, 1]);
/// ```
pub fn inner_bounds(min: f64, max: f64, k: usize) -> Vec<f64> {
    // (max − min)·i / k rather than i·width: one rounding, and the bound of
    // 1 / 2 of 0..1 is 0.5 exactly.
    (1..k).map(|i| min + (max - min) * i as f64 / k as f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_equal() {
        let b = inner_bounds(-10.0, 30.0, 8);
        assert_eq!(b, [-5.0, 0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        let b = inner_bounds(0.1, 0.7, 3);
        assert!((b[0] - 0.3).abs() < 1e-15 && (b[1] - 0.5).abs() < 1e-15);
    }
}
