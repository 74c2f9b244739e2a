//! Manual bounds: the user's own k − 1 inner bounds, e.g. the same bounds
//! on the maps of two years so that their colours compare.
//!
//! The bounds must be finite and strictly increasing; 1 to 8 of them give
//! 2 to 9 classes (one bound is a legitimate map: "above / below the
//! national rate"). They are kept as given even when a class holds no
//! value: the user chose them, and the count 0 tells the truth. The outer
//! bounds are the minimum and the maximum of the values, pushed out to the
//! first and last inner bounds when the values do not reach them (the outer
//! class is then empty, and the bounds only non-decreasing). A value equal
//! to a bound goes to the lower class.
//!
//! Errors are French: they reach the user who typed the bounds.

use super::{class_of, french, Classes, ClassifyError, MAX_CLASSES};

/// Checks `bounds` and classifies `sorted` (finite, ascending, not empty).
///
/// By hand: values 1 to 10 with bounds 3 and 7 give {1, 2, 3}, {4 … 7},
/// {8, 9, 10}; bounds 20 and 30 on the same values leave the two upper
/// classes empty, the last bound becoming the maximum.
///
/// ```
/// use territoire::classify::{classify, Method};
/// let x: Vec<f64> = (1..=10).map(f64::from).collect();
/// let c = classify(&x, &Method::Manual { breaks: vec![3.0, 7.0] }, 3).unwrap();
/// assert_eq!(c.breaks, [1.0, 3.0, 7.0, 10.0]);
/// assert_eq!(c.counts, [3, 4, 3]);
/// let c = classify(&x, &Method::Manual { breaks: vec![5.0, 20.0, 30.0] }, 4).unwrap();
/// assert_eq!(c.breaks, [1.0, 5.0, 20.0, 30.0, 30.0]);
/// assert_eq!(c.counts, [5, 5, 0, 0]);
///
/// let e = classify(&x, &Method::Manual { breaks: vec![12.5, 10.0] }, 3).unwrap_err();
/// assert_eq!(e.to_string(), "les bornes doivent être croissantes (12,5 puis 10)");
/// ```
pub fn classify(sorted: &[f64], bounds: &[f64]) -> Result<Classes, ClassifyError> {
    validate(bounds)?;
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let mut breaks = Vec::with_capacity(bounds.len() + 2);
    breaks.push(min.min(bounds[0]));
    breaks.extend_from_slice(bounds);
    breaks.push(max.max(bounds[bounds.len() - 1]));
    let mut counts = vec![0; bounds.len() + 1];
    for &v in sorted {
        counts[class_of(&breaks, v)] += 1;
    }
    Ok(Classes { breaks, counts })
}

/// The checks on the user's bounds, with a message saying what to fix.
///
/// ```
/// use territoire::classify::manual::validate;
/// assert!(validate(&[5.0, 10.0, 15.0]).is_ok());
/// assert_eq!(validate(&[]).unwrap_err().0, "saisir de 1 à 8 bornes (2 à 9 classes)");
/// assert_eq!(validate(&[5.0, 5.0]).unwrap_err().0, "les bornes doivent être croissantes (5 puis 5)");
/// assert_eq!(validate(&[1.0, f64::NAN]).unwrap_err().0, "la borne n° 2 n'est pas un nombre");
/// ```
pub fn validate(bounds: &[f64]) -> Result<(), ClassifyError> {
    if bounds.is_empty() || bounds.len() > MAX_CLASSES - 1 {
        return Err(ClassifyError(format!("saisir de 1 à {} bornes (2 à {MAX_CLASSES} classes)", MAX_CLASSES - 1)));
    }
    if let Some(i) = bounds.iter().position(|b| !b.is_finite()) {
        return Err(ClassifyError(format!("la borne n° {} n'est pas un nombre", i + 1)));
    }
    if let Some(w) = bounds.windows(2).find(|w| w[1] <= w[0]) {
        return Err(ClassifyError(format!(
            "les bornes doivent être croissantes ({} puis {})",
            french(w[0]),
            french(w[1])
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{classify as classify_any, Method};

    #[test]
    fn bounds_below_the_values_and_on_them() {
        let x = [10.0, 11.0, 12.0];
        // Under the minimum: an empty first class, kept.
        let c = classify_any(&x, &Method::Manual { breaks: vec![5.0, 11.0] }, 3).unwrap();
        assert_eq!(c.breaks, [5.0, 5.0, 11.0, 12.0]);
        assert_eq!(c.counts, [0, 2, 1]);
        // On the minimum: the first class holds it.
        let c = classify_any(&x, &Method::Manual { breaks: vec![10.0] }, 3).unwrap();
        assert_eq!(c.breaks, [10.0, 10.0, 12.0]);
        assert_eq!(c.counts, [1, 2]);
        // k does not matter: the bounds decide.
        let c = classify_any(&x, &Method::Manual { breaks: vec![10.5, 11.5] }, 7).unwrap();
        assert_eq!(c.counts, [1, 1, 1]);
    }

    #[test]
    fn too_many_bounds_and_bad_values() {
        let x = [1.0, 2.0];
        let nine: Vec<f64> = (1..=9).map(f64::from).collect();
        assert!(classify_any(&x, &Method::Manual { breaks: nine }, 3).is_err());
        assert!(classify_any(&x, &Method::Manual { breaks: vec![f64::INFINITY] }, 3).is_err());
        // Values are checked before bounds.
        let e = classify_any(&[f64::NAN], &Method::Manual { breaks: vec![1.0] }, 3).unwrap_err();
        assert!(e.0.starts_with("valeur non numérique"));
    }
}
