//! French number formatting: "12,8 %", "24 950 €", "3 907 156 hab.".
//!
//! Thousands are grouped with a no-break space (U+00A0) and units are
//! separated by one too, so a figure never wraps between its digits and its
//! unit. U+202F (the narrow no-break space of French typography) is avoided
//! on purpose: many fonts lack it, and a missing glyph in the PDF is worse
//! than a slightly wide space.

use crate::pack::Observation;
use crate::schema::{Status, Unit};

/// No-break space.
pub const NBSP: char = '\u{a0}';

/// `value` with `decimals` decimals, a decimal comma and grouped thousands.
///
/// ```
/// use territoire::format::number;
/// assert_eq!(number(3907156.0, 0), "3\u{a0}907\u{a0}156");
/// assert_eq!(number(12.84, 1), "12,8");
/// assert_eq!(number(-15.3, 1), "-15,3");
/// ```
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "non disponible".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    // "-0,0" reads oddly: only mark the sign when something non-zero shows.
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    let digits = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(NBSP);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// A value in its unit.
///
/// ```
/// use territoire::format::value;
/// use territoire::Unit;
/// assert_eq!(value(12.84, Unit::Percent), "12,8\u{a0}%");
/// assert_eq!(value(24950.0, Unit::Euro), "24\u{a0}950\u{a0}€");
/// assert_eq!(value(3907156.0, Unit::Inhabitants), "3\u{a0}907\u{a0}156\u{a0}hab.");
/// assert_eq!(value(0.2941, Unit::Index), "0,294");
/// ```
pub fn value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Inhabitants => format!("{}{NBSP}hab.", number(v, 0)),
        Unit::Number | Unit::Class => number(v, 0),
        Unit::Percent => format!("{}{NBSP}%", number(v, 1)),
        Unit::Euro => format!("{}{NBSP}€", number(v, 0)),
        Unit::SquareKm => format!("{}{NBSP}km²", number(v, 1)),
        Unit::PerSquareKm => format!("{}{NBSP}hab./km²", number(v, 1)),
        Unit::Ratio => number(v, 1),
        Unit::Index => number(v, 3),
    }
}

/// An observation as shown: the figure, or what stands in for it.
/// Bottom-coded poverty rates read "≤ 5 %", approximate counts are prefixed
/// with "≈", partial ones suffixed; secret and missing values say so.
pub fn observation(o: &Observation) -> String {
    match (o.status, o.value) {
        (Status::Secret, _) => Status::Secret.label_fr().to_string(),
        (Status::NotAvailable, _) | (_, None) => Status::NotAvailable.label_fr().to_string(),
        // The threshold is a round 5 %: "≤ 5 %", not "≤ 5,0 %".
        (Status::BottomCoded, Some(v)) if o.unit == Unit::Percent && v.fract() == 0.0 => {
            format!("≤{NBSP}{}{NBSP}%", number(v, 0))
        }
        (Status::BottomCoded, Some(v)) => format!("≤{NBSP}{}", value(v, o.unit)),
        (Status::Approximate, Some(v)) => format!("≈{NBSP}{}", value(v, o.unit)),
        (Status::Partial, Some(v)) => format!("{} (partiel)", value(v, o.unit)),
        (Status::Value, Some(v)) => value(v, o.unit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(status: Status, v: Option<f64>, unit: Unit) -> Observation {
        Observation {
            territory: 0,
            indicator: 0,
            year: 2021,
            status,
            value: v,
            numerator: None,
            denominator: None,
            unit,
            source_label: "Insee, Filosofi 2021".into(),
            vintage: "2021".into(),
        }
    }

    #[test]
    fn groups_thousands_and_uses_decimal_comma() {
        assert_eq!(number(0.0, 0), "0");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(1000.0, 0), "1\u{a0}000");
        assert_eq!(number(64_844_037.0, 0), "64\u{a0}844\u{a0}037");
        assert_eq!(number(1234.56, 1), "1\u{a0}234,6");
        assert_eq!(number(-0.04, 1), "0,0");
        assert_eq!(number(f64::NAN, 1), "non disponible");
    }

    #[test]
    fn statuses_stay_distinct() {
        let texts: Vec<String> = [
            obs(Status::Value, Some(5.0), Unit::Percent),
            obs(Status::BottomCoded, Some(5.0), Unit::Percent),
            obs(Status::Secret, None, Unit::Percent),
            obs(Status::NotAvailable, None, Unit::Percent),
            obs(Status::Value, Some(0.0), Unit::Percent),
            obs(Status::Approximate, Some(1234.0), Unit::Number),
            obs(Status::Partial, Some(1234.0), Unit::Number),
        ]
        .iter()
        .map(observation)
        .collect();
        assert_eq!(texts[0], "5,0\u{a0}%");
        assert_eq!(texts[1], "≤\u{a0}5\u{a0}%");
        assert_eq!(texts[2], "secret statistique");
        assert_eq!(texts[3], "non disponible");
        assert_eq!(texts[4], "0,0\u{a0}%");
        assert_eq!(texts[5], "≈\u{a0}1\u{a0}234");
        assert_eq!(texts[6], "1\u{a0}234 (partiel)");
        let unique: std::collections::HashSet<_> = texts.iter().collect();
        assert_eq!(unique.len(), texts.len());
    }
}
