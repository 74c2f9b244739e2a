//! Classification of values into classes for choropleth maps.
//!
//! Small pure functions in the manner of d3-scale: each method computes the
//! inner bounds of its classes from the sorted values ([`quantiles`],
//! [`equal`], [`jenks`], [`stddev`], [`manual`]), and [`classify`] turns
//! them into [`Classes`] the same way for all of them.
//!
//! Conventions shared by every method:
//! - `breaks` holds k + 1 bounds: the minimum, the k − 1 inner bounds, the
//!   maximum. Class 0 is `breaks[0] ≤ v ≤ breaks[1]`, class i > 0 is
//!   `breaks[i] < v ≤ breaks[i + 1]`: **a value equal to an inner bound goes
//!   to the lower class** ([`class_of`]), so inner bounds are the largest
//!   values of their classes where the method picks data values (Jenks).
//! - Only finite values are classified: secret and missing values are legend
//!   entries of their own (see `map::palette`), never a class, so a NaN or an
//!   infinity reaching [`classify`] is a caller's bug reported as an error.
//! - 3 to 9 classes are asked for ([`MIN_CLASSES`], [`MAX_CLASSES`]). With
//!   fewer distinct values than classes, there are fewer classes (one per
//!   distinct value at most); quantile and Jenks classes that would be empty
//!   (ties) are merged. Equal-interval and standard-deviation classes keep
//!   their definition, so one of their middle classes may hold no value
//!   (its count says 0). Only manual bounds may leave the outer classes empty.
//! - When the lowest class holds the minimum only, its upper bound is moved
//!   halfway to the next value: the partition is the same and the bounds
//!   stay strictly increasing, which a legend needs.

use serde::{Deserialize, Serialize};

pub mod equal;
pub mod jenks;
pub mod manual;
pub mod quantiles;
pub mod stddev;

/// Fewest classes a caller may ask for.
pub const MIN_CLASSES: usize = 3;
/// Most classes a caller may ask for: beyond 9, ColorBrewer's ramps stop
/// and readers no longer tell the colours apart.
pub const MAX_CLASSES: usize = 9;

/// A classification method.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// Classes of about equal counts (R-7 quantiles, see [`quantiles`]).
    Quantiles,
    /// Classes of equal width between the minimum and the maximum.
    EqualIntervals,
    /// Exact natural breaks (Fisher / ckmeans, see [`jenks`]).
    Jenks,
    /// Mean ± standard deviation (see [`stddev`]).
    StdDev,
    /// The user's own bounds (k − 1 inner bounds, increasing).
    Manual { breaks: Vec<f64> },
}

/// Classes of a set of values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classes {
    /// k + 1 strictly increasing bounds, from the minimum to the maximum
    /// (two equal bounds only for a single class of equal values, or for
    /// manual bounds beyond the values' range).
    pub breaks: Vec<f64>,
    /// Values per class (k).
    pub counts: Vec<usize>,
}

impl Classes {
    /// Number of classes.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// Why values cannot be classified. The message is French: it reaches users.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassifyError(pub String);

impl std::fmt::Display for ClassifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ClassifyError {}

/// Classifies finite `values` into `k` classes (3 to 9; for
/// [`Method::Manual`] the bounds give the number of classes and `k` is not
/// used). The values need not be sorted.
///
/// ```
/// use territoire::classify::{classify, Method};
/// let values = [8.0, 3.0, 1.0, 2.0, 5.0, 9.0, 4.0, 10.0, 7.0, 6.0];
/// let c = classify(&values, &Method::Quantiles, 4).unwrap();
/// assert_eq!(c.breaks, [1.0, 3.25, 5.5, 7.75, 10.0]);
/// assert_eq!(c.counts, [3, 2, 2, 3]);
/// // Two distinct values: two classes, not three with one pretending.
/// let c = classify(&[1.0, 1.0, 2.0], &Method::Jenks, 3).unwrap();
/// assert_eq!(c.counts, [2, 1]);
/// assert!(classify(&[1.0, f64::NAN], &Method::Jenks, 3).is_err());
/// ```
pub fn classify(values: &[f64], method: &Method, k: usize) -> Result<Classes, ClassifyError> {
    let sorted = sorted_finite(values)?;
    if let Method::Manual { breaks } = method {
        return manual::classify(&sorted, breaks);
    }
    if !(MIN_CLASSES..=MAX_CLASSES).contains(&k) {
        return Err(ClassifyError(format!(
            "le nombre de classes doit être compris entre {MIN_CLASSES} et {MAX_CLASSES} (demandé : {k})"
        )));
    }
    let k = k.min(distinct_count(&sorted));
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    if k == 1 {
        // All values equal: one class, its bounds both that value.
        return Ok(Classes { breaks: vec![min, max], counts: vec![sorted.len()] });
    }
    let (inner, merge_empty) = match method {
        Method::Quantiles => (quantiles::inner_bounds(&sorted, k), true),
        Method::EqualIntervals => (equal::inner_bounds(min, max, k), false),
        Method::Jenks => (jenks::inner_bounds(&sorted, k), true),
        Method::StdDev => (stddev::inner_bounds(&sorted, k), false),
        Method::Manual { .. } => unreachable!("handled above"),
    };
    Ok(finish(&sorted, &inner, merge_empty))
}

/// The class of `v` given k + 1 bounds: class i holds breaks[i] ≤ v ≤
/// breaks[i + 1] (lower classes win ties), clamped to 0..k: a value under
/// the minimum is in class 0, over the maximum in class k − 1.
///
/// ```
/// use territoire::classify::class_of;
/// let breaks = [0.0, 10.0, 20.0, 30.0];
/// assert_eq!(class_of(&breaks, 0.0), 0);
/// assert_eq!(class_of(&breaks, 10.0), 0); // on a bound: the lower class
/// assert_eq!(class_of(&breaks, 10.5), 1);
/// assert_eq!(class_of(&breaks, 30.0), 2);
/// assert_eq!(class_of(&breaks, 99.0), 2);
/// ```
pub fn class_of(breaks: &[f64], v: f64) -> usize {
    if breaks.len() < 3 {
        return 0;
    }
    // Inner bounds strictly below v = the class index.
    breaks[1..breaks.len() - 1].partition_point(|b| *b < v)
}

/// Bounds rounded for reading (a legend says "10,0 – 12,5 %", not
/// "10,0317 – 12,4981 %"), still increasing and still enclosing the values.
///
/// The rounding step is the power of ten that leaves the spread (last −
/// first bound) two significant digits, made ten times finer while it is
/// more than a quarter of the narrowest class, so no bound moves by more
/// than an eighth of a class. The first bound is floored, the last ceiled, the
/// inner ones rounded to the nearest step; bounds strictly increasing on
/// input stay so. [`reading_decimals`] gives the decimals to print them with.
///
/// A legend built from these bounds may place a value lying within half a
/// step of an inner bound on the other side of it; to make the map follow
/// the rounded legend exactly, classify again with [`Method::Manual`] and
/// the rounded inner bounds.
///
/// ```
/// use territoire::classify::{reading_decimals, round_for_reading};
/// let b = [10.0317, 10.9442, 11.5, 12.4981];
/// assert_eq!(round_for_reading(&b), [10.0, 10.9, 11.5, 12.5]);
/// assert_eq!(reading_decimals(&b), 1);
/// let euros = [15234.0, 19876.0, 21432.0, 23011.0, 38765.0];
/// assert_eq!(round_for_reading(&euros), [15200.0, 19900.0, 21400.0, 23000.0, 38800.0]);
/// assert_eq!(reading_decimals(&euros), 0);
/// ```
pub fn round_for_reading(breaks: &[f64]) -> Vec<f64> {
    match reading_exponent(breaks) {
        Some(e) => rounded(breaks, e),
        None => breaks.to_vec(),
    }
}

/// Decimals needed to print [`round_for_reading`]'s bounds (0 for steps of
/// 1 or more).
pub fn reading_decimals(breaks: &[f64]) -> usize {
    reading_exponent(breaks).map_or(0, |e| (-e).max(0) as usize)
}

/// The exponent of the rounding step (10^e), or `None` when the bounds are
/// too few, not finite or all equal (they are then returned as they are).
fn reading_exponent(breaks: &[f64]) -> Option<i32> {
    if breaks.len() < 2 || breaks.iter().any(|b| !b.is_finite()) {
        return None;
    }
    let spread = breaks[breaks.len() - 1] - breaks[0];
    if spread <= 0.0 {
        return None;
    }
    let min_gap = breaks.windows(2).map(|w| w[1] - w[0]).filter(|g| *g > 0.0).fold(f64::INFINITY, f64::min);
    // Past 17 digits f64 holds nothing more: stop there and keep what we have.
    let floor_e = spread.log10().floor() as i32 - 17;
    let mut e = spread.log10().floor() as i32 - 1;
    while e > floor_e && pow10(e) > min_gap / 4.0 {
        e -= 1;
    }
    // Floating-point rounding could still merge two bounds; a finer step
    // then keeps them apart.
    while e > floor_e && !keeps_order(breaks, &rounded(breaks, e)) {
        e -= 1;
    }
    Some(e)
}

fn keeps_order(original: &[f64], rounded: &[f64]) -> bool {
    original.windows(2).zip(rounded.windows(2)).all(|(o, r)| if o[1] > o[0] { r[1] > r[0] } else { r[1] >= r[0] })
}

fn pow10(e: i32) -> f64 {
    10f64.powi(e)
}

#[derive(Clone, Copy)]
enum Rounding {
    Down,
    Nearest,
    Up,
}

/// `x` rounded to a multiple of 10^e. Scaling by an integer power of ten
/// (multiply for e < 0, divide for e ≥ 0) gives the double nearest to the
/// decimal, so 12.5 prints as 12.5 and not 12.500000000000002.
fn round_to(x: f64, e: i32, how: Rounding) -> f64 {
    let scaled = if e < 0 { x * pow10(-e) } else { x / pow10(e) };
    // A bound that is a multiple of the step up to float noise (12.5 seen as
    // 124.99999999999999 tenths) is that multiple: flooring it would lose a step.
    let nearest = scaled.round();
    let snapped = if (scaled - nearest).abs() <= 1e-9 * nearest.abs().max(1.0) { nearest } else { scaled };
    let y = match how {
        Rounding::Down => snapped.floor(),
        Rounding::Nearest => snapped.round(),
        Rounding::Up => snapped.ceil(),
    };
    let back = if e < 0 { y / pow10(-e) } else { y * pow10(e) };
    back + 0.0 // + 0.0 turns −0 into 0
}

fn rounded(breaks: &[f64], e: i32) -> Vec<f64> {
    let last = breaks.len() - 1;
    let step = pow10(e);
    breaks
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if i == 0 {
                let r = round_to(b, e, Rounding::Down);
                // The snapping above may land a hair over the minimum.
                if r > b {
                    round_to(r - step, e, Rounding::Nearest)
                } else {
                    r
                }
            } else if i == last {
                let r = round_to(b, e, Rounding::Up);
                if r < b {
                    round_to(r + step, e, Rounding::Nearest)
                } else {
                    r
                }
            } else {
                round_to(b, e, Rounding::Nearest)
            }
        })
        .collect()
}

/// The values sorted, or an error if there are none or one is not finite.
fn sorted_finite(values: &[f64]) -> Result<Vec<f64>, ClassifyError> {
    if values.is_empty() {
        return Err(ClassifyError("aucune valeur à classer".into()));
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(ClassifyError(format!(
            "valeur non numérique (n° {}) : les valeurs secrètes ou manquantes ne se classent pas",
            i + 1
        )));
    }
    let mut sorted = values.to_vec();
    crate::sort::by(&mut sorted, f64::total_cmp);
    Ok(sorted)
}

fn distinct_count(sorted: &[f64]) -> usize {
    1 + sorted.windows(2).filter(|w| w[1] > w[0]).count()
}

/// Classes from a method's candidate inner bounds: bounds outside
/// [min, max) or not above the previous one are dropped (the class they
/// close would be empty), and so are those closing an empty class when
/// `merge_empty`.
fn finish(sorted: &[f64], inner: &[f64], merge_empty: bool) -> Classes {
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let mut kept: Vec<f64> = Vec::with_capacity(inner.len());
    // Values up to the last kept bound are in classes already.
    let mut placed = 0;
    for &b in inner {
        if !(b >= min && b < max) || kept.last().is_some_and(|&last| b <= last) {
            continue;
        }
        let upto = sorted.partition_point(|v| *v <= b);
        if merge_empty && upto == placed {
            continue;
        }
        kept.push(b);
        placed = upto;
    }
    if kept.first() == Some(&min) {
        let next = sorted[sorted.partition_point(|v| *v <= min)];
        let ceiling = kept.get(1).map_or(next, |&b| b.min(next));
        let mid = min + (ceiling - min) / 2.0;
        if mid > min {
            kept[0] = mid;
        }
    }
    let mut breaks = Vec::with_capacity(kept.len() + 2);
    breaks.push(min);
    breaks.extend_from_slice(&kept);
    breaks.push(max);
    let counts = counts(sorted, &breaks);
    Classes { breaks, counts }
}

/// Values per class, by [`class_of`] so counts and colours always agree.
fn counts(values: &[f64], breaks: &[f64]) -> Vec<usize> {
    let mut counts = vec![0; breaks.len().saturating_sub(1).max(1)];
    for &v in values {
        counts[class_of(breaks, v)] += 1;
    }
    counts
}

/// A number the French way for error messages, with the decimals it needs.
fn french(v: f64) -> String {
    let (_, exp) = crate::decimal::shortest(v);
    let decimals = usize::try_from(-exp).unwrap_or(0).min(6);
    crate::format::number(v, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random values (xorshift), no dependency needed.
    pub(crate) fn sample(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed.max(1);
        (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                // Skewed like most rates (many low values, a long upper
                // tail), with three decimals so that ties occur.
                let u = (s >> 11) as f64 / (1u64 << 53) as f64;
                ((5.0 + 30.0 * u * u) * 1000.0).round() / 1000.0
            })
            .collect()
    }

    const AUTOMATIC: [Method; 4] = [Method::Quantiles, Method::EqualIntervals, Method::Jenks, Method::StdDev];

    fn check(values: &[f64], c: &Classes) {
        let (min, max) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        assert_eq!(c.breaks.len(), c.counts.len() + 1);
        assert_eq!(c.breaks[0], min);
        assert_eq!(*c.breaks.last().unwrap(), max);
        if c.counts.len() > 1 {
            assert!(c.breaks.windows(2).all(|w| w[1] > w[0]), "{:?}", c.breaks);
        }
        assert_eq!(c.counts.iter().sum::<usize>(), values.len());
        let mut by_class = vec![0; c.counts.len()];
        for &v in values {
            by_class[class_of(&c.breaks, v)] += 1;
        }
        assert_eq!(by_class, c.counts);
    }

    #[test]
    fn every_method_is_consistent_on_random_values() {
        for seed in 1..20 {
            let values = sample(50 + 37 * seed as usize, seed);
            for m in &AUTOMATIC {
                for k in MIN_CLASSES..=MAX_CLASSES {
                    let c = classify(&values, m, k).unwrap();
                    check(&values, &c);
                    assert!(c.len() <= k);
                    if matches!(m, Method::Quantiles | Method::Jenks) {
                        assert_eq!(c.len(), k, "{m:?} {k}");
                        assert!(c.counts.iter().all(|&n| n > 0));
                    }
                }
            }
        }
    }

    #[test]
    fn fewer_distinct_values_than_classes() {
        for m in &AUTOMATIC {
            let c = classify(&[4.0; 10], m, 5).unwrap();
            assert_eq!(c, Classes { breaks: vec![4.0, 4.0], counts: vec![10] });
            let values = [1.0, 1.0, 1.0, 3.0, 3.0, 7.0];
            let c = classify(&values, m, 5).unwrap();
            check(&values, &c);
            assert!(c.len() <= 3, "{m:?}");
        }
        // Quantiles and Jenks give one class per distinct value.
        let values = [1.0, 1.0, 1.0, 3.0, 3.0, 7.0];
        for m in [Method::Quantiles, Method::Jenks] {
            let c = classify(&values, &m, 5).unwrap();
            assert_eq!(c.counts, [3, 2, 1], "{m:?}");
            assert_eq!(c.breaks, [1.0, 2.0, 3.0, 7.0], "{m:?}");
        }
    }

    #[test]
    fn heavy_ties_merge_quantile_classes() {
        // 60 % zeros: the first quantile bounds all fall on 0.
        let mut values = vec![0.0; 60];
        values.extend((1..=40).map(f64::from));
        let c = classify(&values, &Method::Quantiles, 5).unwrap();
        check(&values, &c);
        assert_eq!(c.counts[0], 60);
        assert!(c.len() < 5 && c.counts.iter().all(|&n| n > 0));
    }

    #[test]
    fn errors_are_french_and_never_panics() {
        let e = classify(&[], &Method::Jenks, 4).unwrap_err();
        assert_eq!(e.0, "aucune valeur à classer");
        let e = classify(&[1.0, f64::INFINITY, 2.0], &Method::Quantiles, 4).unwrap_err();
        assert!(e.0.starts_with("valeur non numérique (n° 2)"), "{e}");
        assert!(classify(&[1.0, f64::NAN], &Method::StdDev, 4).is_err());
        let e = classify(&[1.0, 2.0, 3.0], &Method::Jenks, 2).unwrap_err();
        assert_eq!(e.0, "le nombre de classes doit être compris entre 3 et 9 (demandé : 2)");
        assert!(classify(&[1.0, 2.0, 3.0], &Method::Jenks, 10).is_err());
        // A single value, negative values, huge and tiny spreads.
        for m in &AUTOMATIC {
            for values in [
                vec![3.0],
                vec![-5.0, -2.0, -1.0, 0.0, 3.0],
                vec![1e-12, 2e-12, 3e-12, 4e-12],
                vec![-1e15, 0.0, 1e15, 2e15],
            ] {
                let c = classify(&values, m, 3).unwrap();
                check(&values, &c);
            }
        }
    }

    #[test]
    fn class_of_edges() {
        assert_eq!(class_of(&[], 1.0), 0);
        assert_eq!(class_of(&[1.0, 2.0], 5.0), 0);
        let b = [0.0, 1.0, 2.0];
        assert_eq!(class_of(&b, -1.0), 0);
        assert_eq!(class_of(&b, 1.0), 0);
        assert_eq!(class_of(&b, 1.0 + f64::EPSILON), 1);
        assert_eq!(class_of(&b, 3.0), 1);
    }

    #[test]
    fn minimum_alone_in_the_first_class_keeps_bounds_increasing() {
        let values = [0.0, 0.0, 0.0, 0.0, 10.0, 11.0, 12.0, 30.0, 31.0];
        let c = classify(&values, &Method::Jenks, 3).unwrap();
        assert_eq!(c.breaks, [0.0, 5.0, 12.0, 31.0]);
        assert_eq!(c.counts, [4, 3, 2]);
    }

    fn assert_reading(breaks: &[f64]) -> Vec<f64> {
        let r = round_for_reading(breaks);
        assert_eq!(r.len(), breaks.len());
        assert!(r[0] <= breaks[0], "{r:?} {breaks:?}");
        assert!(r[r.len() - 1] >= breaks[breaks.len() - 1], "{r:?} {breaks:?}");
        assert!(keeps_order(breaks, &r), "{r:?} {breaks:?}");
        r
    }

    #[test]
    fn rounding_for_reading() {
        assert_eq!(assert_reading(&[10.0317, 12.4981]), [10.0, 12.5]);
        // Percentages: a narrow class asks for a finer step than the spread.
        assert_eq!(assert_reading(&[3.2, 11.87, 14.02, 17.5, 42.9]), [3.2, 11.9, 14.0, 17.5, 42.9]);
        assert_eq!(reading_decimals(&[3.2, 11.87, 14.02, 17.5, 42.9]), 1);
        // Already round: unchanged.
        assert_eq!(assert_reading(&[0.0, 25.0, 50.0, 75.0, 100.0]), [0.0, 25.0, 50.0, 75.0, 100.0]);
        // Negative evolutions; no "−0".
        let r = assert_reading(&[-3.17, -0.0412, 1.2345, 2.75]);
        assert_eq!(r, [-3.2, 0.0, 1.2, 2.8]);
        assert!(r[1].is_sign_positive());
        // Large counts.
        assert_eq!(assert_reading(&[1234.0, 56789.0, 123456.0, 987654.0]), [0.0, 60000.0, 120000.0, 990000.0]);
        // Tiny shares.
        assert_eq!(assert_reading(&[0.001234, 0.002345, 0.003456]), [0.0012, 0.0023, 0.0035]);
        // Close bounds keep apart.
        let r = assert_reading(&[100.0, 100.001, 100.002, 200.0]);
        assert!(r[1] < r[2]);
        // Degenerate inputs come back unchanged.
        assert_eq!(round_for_reading(&[4.0, 4.0]), [4.0, 4.0]);
        assert_eq!(round_for_reading(&[4.0]), [4.0]);
        assert!(round_for_reading(&[]).is_empty());
        // Every automatic classification of random values rounds well.
        for seed in 1..10 {
            let values = sample(300, seed);
            for m in &AUTOMATIC {
                for k in MIN_CLASSES..=MAX_CLASSES {
                    assert_reading(&classify(&values, m, k).unwrap().breaks);
                }
            }
        }
    }

    #[test]
    fn french_numbers_in_messages() {
        assert_eq!(french(12.5), "12,5");
        assert_eq!(french(10.0), "10");
        assert_eq!(french(-3.25), "-3,25");
    }
}
