//! French number formatting: "12,8 %", "24 950 €", "3 907 156 hab.".
//!
//! Thousands are grouped with a no-break space (U+00A0) and units are
//! separated by one too, so a figure never wraps between its digits and its
//! unit. U+202F (the narrow no-break space of French typography) is avoided
//! on purpose: many fonts lack it, and a missing glyph in the PDF is worse
//! than a slightly wide space.

use std::fmt::Write;

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
    let mut out = String::with_capacity(16);
    push_number(&mut out, value, decimals);
    out
}

/// [`number`] appended to `out`. A snapshot formats a few thousand
/// figures: writing them in place saves the intermediate strings.
pub fn push_number(out: &mut String, value: f64, decimals: usize) {
    if !value.is_finite() {
        out.push_str("non disponible");
        return;
    }
    // std's `{:.N}` digits (crate::decimal, without std's float
    // formatting), written to the stack: a heap string only for the rare
    // number longer than the buffer, e.g. 1e300.
    let mut digits = Digits::default();
    let heap;
    let text = if crate::decimal::write_fixed(&mut digits, value, decimals).is_ok() {
        digits.as_str()
    } else {
        let mut long = String::new();
        let _ = crate::decimal::write_fixed(&mut long, value, decimals);
        heap = long;
        heap.as_str()
    };
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    // "-0,0" reads oddly: only mark the sign when something non-zero shows.
    if value < 0.0 && text.bytes().any(|c| c.is_ascii_digit() && c != b'0') {
        out.push('-');
    }
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(NBSP);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
}

/// A fixed buffer for [`push_number`]'s digits; writing past its end fails
/// (and the caller falls back to the heap).
struct Digits {
    buf: [u8; 64],
    len: usize,
}

impl Default for Digits {
    fn default() -> Self {
        Digits { buf: [0; 64], len: 0 }
    }
}

impl Digits {
    fn as_str(&self) -> &str {
        // Only whole `&str`s are copied in: always UTF-8.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl Write for Digits {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let dest = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dest.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
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
    let mut out = String::with_capacity(24);
    push_value(&mut out, v, unit);
    out
}

/// [`value`] appended to `out`.
pub fn push_value(out: &mut String, v: f64, unit: Unit) {
    let (decimals, suffix) = match unit {
        Unit::Inhabitants => (0, "\u{a0}hab."),
        Unit::Number | Unit::Class => (0, ""),
        Unit::Percent => (1, "\u{a0}%"),
        Unit::Euro => (0, "\u{a0}€"),
        Unit::SquareKm => (1, "\u{a0}km²"),
        Unit::PerSquareKm => (1, "\u{a0}hab./km²"),
        Unit::Ratio => (1, ""),
        Unit::Index => (3, ""),
    };
    push_number(out, v, decimals);
    out.push_str(suffix);
}

/// An observation as shown: the figure, or what stands in for it.
/// Bottom-coded poverty rates read "≤ 5 %", approximate counts are prefixed
/// with "≈", partial ones suffixed; secret and missing values say so.
pub fn observation(o: &Observation) -> String {
    shown(o.status, o.value, o.unit)
}

/// [`observation`] from its three parts (what a figure computed without an
/// [`Observation`] has).
pub fn shown(status: Status, value: Option<f64>, unit: Unit) -> String {
    let mut out = String::with_capacity(24);
    match (status, value) {
        (Status::Secret, _) => out.push_str(Status::Secret.label_fr()),
        (Status::NotAvailable, _) | (_, None) => out.push_str(Status::NotAvailable.label_fr()),
        // The threshold is a round 5 %: "≤ 5 %", not "≤ 5,0 %".
        (Status::BottomCoded, Some(v)) if unit == Unit::Percent && v.fract() == 0.0 => {
            out.push_str("≤\u{a0}");
            push_number(&mut out, v, 0);
            out.push_str("\u{a0}%");
        }
        (Status::BottomCoded, Some(v)) => {
            out.push_str("≤\u{a0}");
            push_value(&mut out, v, unit);
        }
        (Status::Approximate, Some(v)) => {
            out.push_str("≈\u{a0}");
            push_value(&mut out, v, unit);
        }
        (Status::Partial, Some(v)) => {
            push_value(&mut out, v, unit);
            out.push_str(" (partiel)");
        }
        (Status::Value, Some(v)) => push_value(&mut out, v, unit),
    }
    out
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
    fn numbers_as_std_rounds_them() {
        // The digits as `format!("{:.N}")` writes them, grouped as before
        // `push_number` wrote in place.
        fn reference(value: f64, decimals: usize) -> String {
            let text = format!("{:.*}", decimals, value.abs());
            let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
            let mut out = String::new();
            if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
                out.push('-');
            }
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
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
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            2.5,
            -2.5,
            0.125,
            0.05,
            12.84,
            999.5,
            1000.0,
            3907156.0,
            -3907156.0,
            1e15,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            1e20,
            64_844_037.0,
            0.2941,
            -0.04,
            1234.5678,
        ];
        for v in values {
            for d in 0..=4 {
                assert_eq!(number(v, d), reference(v, d), "{v} {d}");
            }
        }
    }

    #[test]
    fn numbers_longer_than_the_stack_buffer() {
        // 1e70 has 71 digits: written through the heap fallback, grouped
        // like any other.
        let big = number(-1e70, 2);
        assert!(big.starts_with("-10\u{a0}000\u{a0}000"), "{big}");
        assert!(big.ends_with(",00"), "{big}");
        assert_eq!(big.chars().filter(char::is_ascii_digit).count(), 73);
        let mut out = String::from("x ");
        push_value(&mut out, 1234.56, Unit::Euro);
        assert_eq!(out, "x 1\u{a0}235\u{a0}€");
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
