//! A few JSON values written by hand, for the one large answer the page
//! asks for again and again: a map's features (1,230 for France, each with
//! its figure). Turned into JavaScript objects by serde-wasm-bindgen, that
//! is one call across the wasm boundary per field, ~25,000 of them, most
//! of a map's time in the browser; written as JSON text, it is one string
//! that the browser's `JSON.parse` reads natively. The output is what
//! serde would give the same values (checked by `tests/map_cache.rs`
//! against `serde_json`), so the page sees the same objects.

use std::fmt::Write;

use crate::map::MapFeature;
use crate::report::Figure;

/// A JSON string literal.
pub fn push_string(out: &mut String, s: &str) {
    out.push('"');
    // Most strings have nothing to escape: copied at once.
    if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push_str(escape);
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A JSON number: the shortest text that reads back as `v` (up to 17
/// digits, see [`crate::decimal::shortest`]), with `.0` kept on a whole
/// number as serde_json writes it, in exponent form below 1e-7 and from
/// 1e16 on; a non-finite number, which JSON cannot hold, is `null`.
pub fn push_f64(out: &mut String, v: f64) {
    if !v.is_finite() {
        out.push_str("null");
        return;
    }
    if v.is_sign_negative() {
        out.push('-');
    }
    let (c, x) = crate::decimal::shortest(v);
    let mut buf = [0u8; 20];
    let digits = std::str::from_utf8(crate::decimal::digits(c, &mut buf)).unwrap_or("0");
    let n = digits.len() as i32;
    // The power of ten of the first digit.
    let exp = x + n - 1;
    if c == 0 {
        out.push_str("0.0");
    } else if !(-7..16).contains(&exp) {
        out.push_str(&digits[..1]);
        if n > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{exp}");
    } else if x >= 0 {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', x as usize));
        out.push_str(".0");
    } else if exp >= 0 {
        let (int, frac) = digits.split_at((exp + 1) as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
        out.push_str(digits);
    }
}

fn push_opt_f64(out: &mut String, v: Option<f64>) {
    match v {
        Some(v) => push_f64(out, v),
        None => out.push_str("null"),
    }
}

fn key(out: &mut String, first: bool, name: &str) {
    if !first {
        out.push(',');
    }
    push_string(out, name);
    out.push(':');
}

/// [`Figure`] as its `Serialize` derive writes it (same fields, same order).
pub fn push_figure(out: &mut String, f: &Figure) {
    out.push('{');
    key(out, true, "indicator");
    push_string(out, &f.indicator);
    key(out, false, "label");
    push_string(out, &f.label);
    key(out, false, "unit");
    push_string(out, f.unit);
    key(out, false, "kind");
    push_string(out, f.kind);
    key(out, false, "year");
    let _ = write!(out, "{}", f.year);
    key(out, false, "status");
    push_string(out, f.status.key());
    key(out, false, "status_label");
    push_string(out, f.status_label);
    key(out, false, "value");
    push_opt_f64(out, f.value);
    key(out, false, "numerator");
    push_opt_f64(out, f.numerator);
    key(out, false, "denominator");
    push_opt_f64(out, f.denominator);
    key(out, false, "text");
    push_string(out, &f.text);
    key(out, false, "source");
    push_string(out, &f.source);
    key(out, false, "vintage");
    push_string(out, &f.vintage);
    out.push('}');
}

/// A map's features as a JSON array of [`MapFeature`] objects.
pub fn features(features: &[MapFeature]) -> String {
    let mut out = String::with_capacity(64 + features.len() * 320);
    out.push('[');
    for (i, f) in features.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        key(&mut out, true, "key");
        push_string(&mut out, &f.key);
        key(&mut out, false, "name");
        push_string(&mut out, &f.name);
        key(&mut out, false, "figure");
        match &f.figure {
            Some(fig) => push_figure(&mut out, fig),
            None => out.push_str("null"),
        }
        key(&mut out, false, "class");
        match f.class {
            Some(c) => {
                let _ = write!(out, "{c}");
            }
            None => out.push_str("null"),
        }
        key(&mut out, false, "legend");
        let _ = write!(out, "{}", f.legend);
        out.push('}');
    }
    out.push(']');
    out
}
