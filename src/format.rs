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

// ---- letter case ------------------------------------------------------------

/// `c` in lower case, for the letters of French text: ASCII, Latin-1
/// (`É` → `é`) and `Œ`, `Ÿ`; any other character is returned as it is.
/// The core's labels and sentences are French: std's full Unicode case
/// mapping would add its conversion tables (~10 KB gzipped) to the wasm.
///
/// ```
/// use territoire::format::lower;
/// assert_eq!(lower('É'), 'é');
/// assert_eq!(lower('Œ'), 'œ');
/// assert_eq!(lower('×'), '×');
/// ```
pub fn lower(c: char) -> char {
    match c {
        'A'..='Z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{de}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        '\u{152}' => '\u{153}',
        '\u{178}' => '\u{ff}',
        _ => c,
    }
}

/// `c` in upper case, the inverse of [`lower`] (`ß` stays `ß`).
///
/// ```
/// use territoire::format::upper;
/// assert_eq!(upper('é'), 'É');
/// assert_eq!(upper('ÿ'), 'Ÿ');
/// assert_eq!(upper('÷'), '÷');
/// ```
pub fn upper(c: char) -> char {
    match c {
        'a'..='z' | '\u{e0}'..='\u{f6}' | '\u{f8}'..='\u{fe}' => char::from_u32(c as u32 - 0x20).unwrap_or(c),
        '\u{153}' => '\u{152}',
        '\u{ff}' => '\u{178}',
        _ => c,
    }
}

/// `s` with its first letter in upper case ([`upper`]).
///
/// ```
/// use territoire::format::capitalise;
/// assert_eq!(capitalise("évolution de la population"), "Évolution de la population");
/// assert_eq!(capitalise(""), "");
/// ```
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => std::iter::once(upper(first)).chain(chars).collect(),
        None => String::new(),
    }
}

/// `s` with its first letter in lower case ([`lower`]).
pub fn uncapitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => std::iter::once(lower(first)).chain(chars).collect(),
        None => String::new(),
    }
}

/// `s` in lower case ([`lower`], letter by letter).
///
/// ```
/// use territoire::format::lowercase;
/// assert_eq!(lowercase("Rural à habitat très dispersé"), "rural à habitat très dispersé");
/// assert_eq!(lowercase("ÎLE-DE-FRANCE"), "île-de-france");
/// ```
pub fn lowercase(s: &str) -> String {
    s.chars().map(lower).collect()
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
