//! Finite `f64` → decimal digits, exactly, without std's float formatting.
//!
//! `format!("{:.1}", v)` or `format!("{v}")` links core's float-to-decimal
//! machinery (Grisu with its Dragon4 fallback, their tables, the padding
//! code): about 16 KB of wasm, 7.8 KB gzipped, 5 % of the core module, for
//! the few kinds of numbers the core writes as text. The same digits come
//! from integer arithmetic: a product and a shift in a `u128` for the
//! numbers a pack holds, and for the rest (results past a `u64`, tiny
//! values) the exact expansion of the binary value in a small base-10⁹ big
//! integer.
//!
//! - [`write_fixed`]: `|v|` with `d` decimals, as `format!("{:.d$}")`
//!   writes it (rounded half to even on the exact binary value);
//! - [`shortest`]: digits that read back as `v`: std's `{v}` digits when
//!   they number at most 15 (and 1e-8 ≤ |v| < 1e37), else 16 or 17.
//!
//! ```
//! use territoire::decimal::{shortest, write_fixed};
//! let mut s = String::new();
//! write_fixed(&mut s, 12.85, 1).unwrap(); // 12.8499999999999996447…
//! assert_eq!(s, "12.8");
//! assert_eq!(shortest(0.1), (1, -1));
//! assert_eq!(shortest(24950.0), (2495, 1));
//! ```

use std::fmt::{self, Write};

/// `abs` (finite, ≥ 0) as `m × 2^e`, `m < 2^53`.
fn parts(abs: f64) -> (u64, i32) {
    let bits = abs.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exponent - 1075)
    }
}

/// `n / 2^s` rounded half to even, by shifts (`s < 128`).
fn shift_round(n: u128, s: u32) -> u128 {
    if s == 0 {
        return n;
    }
    let q = n >> s;
    let r = n & ((1u128 << s) - 1);
    let half = 1u128 << (s - 1);
    if r > half || (r == half && q & 1 == 1) {
        q + 1
    } else {
        q
    }
}

/// 10^0 to 10^19, the powers of ten a `u64` holds.
const POW10: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// `abs × 10^k` rounded half to even to an integer, when it is a `u64`
/// and `0 ≤ k ≤ 19` (a multiplication and a shift in a `u128`: no division,
/// which would link a kilobyte of `u128` division); `None` otherwise, for
/// the caller to take the exact expansion.
fn scaled(abs: f64, k: i32) -> Option<u64> {
    let (m, e) = parts(abs);
    if m == 0 {
        return Some(0);
    }
    // m < 2^53 and 10^19 < 2^64: the product cannot overflow.
    let pow = *POW10.get(usize::try_from(k).ok()?)?;
    let n = u128::from(m) * u128::from(pow);
    let q = if e >= 0 {
        let e = e as u32;
        if e >= n.leading_zeros() {
            return None;
        }
        n << e
    } else {
        match e.unsigned_abs() {
            s @ 0..=127 => shift_round(n, s),
            // n < 2^128: over half a unit only above 2^127 when s = 128,
            // under half a unit beyond.
            128 => u128::from(n > 1u128 << 127),
            _ => 0,
        }
    };
    u64::try_from(q).ok()
}

/// The exact decimal expansion of `abs` (finite, ≥ 0): its digits (0 to
/// 9, most significant first, no leading zero; none for 0) and the power
/// of ten of the last one. `m × 2^e` is `m × 2^e × 10^0` or `m × 5^-e ×
/// 10^e`: one big integer product, at most 770 digits.
fn expansion(abs: f64) -> (Vec<u8>, i32) {
    const BASE: u64 = 1_000_000_000;
    let (m, e) = parts(abs);
    let mut limbs: Vec<u32> = vec![(m % BASE) as u32, (m / BASE) as u32];
    let (mut left, step, exp) = if e >= 0 { (e.unsigned_abs(), 31, 0) } else { (e.unsigned_abs(), 13, e) };
    while left > 0 {
        let k = left.min(step);
        // < 2^31 either way (5^13 = 1 220 703 125): limb × factor + carry
        // stays under 2^62.
        let factor: u64 = if e >= 0 { 1 << k } else { 5u64.pow(k) };
        let mut carry = 0u64;
        for limb in limbs.iter_mut() {
            let x = u64::from(*limb) * factor + carry;
            *limb = (x % BASE) as u32;
            carry = x / BASE;
        }
        while carry > 0 {
            limbs.push((carry % BASE) as u32);
            carry /= BASE;
        }
        left -= k;
    }
    let mut digits = Vec::with_capacity(limbs.len() * 9);
    for limb in limbs.iter().rev() {
        let mut chunk = [0u8; 9];
        let mut x = *limb;
        for d in chunk.iter_mut().rev() {
            *d = (x % 10) as u8;
            x /= 10;
        }
        digits.extend_from_slice(&chunk);
    }
    let zeros = digits.iter().take_while(|&&d| d == 0).count();
    digits.drain(..zeros);
    (digits, exp)
}

/// `digits × 10^exp` rounded half to even to a multiple of `10^at`: the
/// digits of the quotient (none for 0).
fn round_at(digits: &[u8], exp: i32, at: i32) -> Vec<u8> {
    if at <= exp {
        let mut out = digits.to_vec();
        out.resize(digits.len() + (exp - at) as usize, 0);
        return out;
    }
    let dropped = (at - exp) as usize;
    // Below a tenth of the unit: rounds to 0.
    if dropped > digits.len() {
        return Vec::new();
    }
    let keep = digits.len() - dropped;
    let mut out = digits[..keep].to_vec();
    let first = digits[keep];
    let odd = out.last().is_some_and(|d| d % 2 == 1);
    if first > 5 || (first == 5 && (odd || digits[keep + 1..].iter().any(|&d| d != 0))) {
        let mut i = out.len();
        loop {
            if i == 0 {
                out.insert(0, 1);
                break;
            }
            i -= 1;
            if out[i] == 9 {
                out[i] = 0;
            } else {
                out[i] += 1;
                break;
            }
        }
    }
    out
}

/// The decimal digits of `n` (ASCII), written at the end of `buf` (a
/// `u64` has at most 20): the part of `buf` that holds them.
pub fn digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

/// [`scaled`], through the exact expansion when it cannot; `None` only
/// when the result passes a `u64`.
fn scaled_exact(abs: f64, k: i32) -> Option<u64> {
    scaled(abs, k).or_else(|| {
        let (digits, exp) = expansion(abs);
        round_at(&digits, exp.saturating_add(k), 0)
            .iter()
            .try_fold(0u64, |c, &d| c.checked_mul(10)?.checked_add(u64::from(d)))
    })
}

/// `|v|` with `decimals` decimals after a `.`, rounded half to even on
/// its exact binary value: what `write!(out, "{:.decimals$}", v.abs())`
/// writes, `v` finite.
///
/// ```
/// use territoire::decimal::write_fixed;
/// let mut s = String::new();
/// write_fixed(&mut s, -0.125, 2).unwrap(); // a tie: to the even 0.12
/// assert_eq!(s, "0.12");
/// ```
pub fn write_fixed(out: &mut impl Write, v: f64, decimals: usize) -> fmt::Result {
    let abs = v.abs();
    let k = i32::try_from(decimals).map_err(|_| fmt::Error)?;
    match scaled(abs, k) {
        Some(q) => {
            let mut buf = [0u8; 20];
            with_point(out, digits(q, &mut buf), decimals)
        }
        None => {
            let (digits, exp) = expansion(abs);
            let mut text: Vec<u8> = round_at(&digits, exp.saturating_add(k), 0).iter().map(|d| b'0' + d).collect();
            if text.is_empty() {
                text.push(b'0');
            }
            with_point(out, &text, decimals)
        }
    }
}

/// `digits` (ASCII, at least one) with a `.` before the last `decimals`,
/// zeros put in front so that one digit comes before it.
fn with_point(out: &mut impl Write, digits: &[u8], decimals: usize) -> fmt::Result {
    let text = std::str::from_utf8(digits).map_err(|_| fmt::Error)?;
    if decimals == 0 {
        return out.write_str(text);
    }
    if text.len() > decimals {
        let (int, frac) = text.split_at(text.len() - decimals);
        out.write_str(int)?;
        out.write_char('.')?;
        return out.write_str(frac);
    }
    out.write_str("0.")?;
    for _ in text.len()..decimals {
        out.write_char('0')?;
    }
    out.write_str(text)
}

/// Powers of ten a `f64` holds exactly.
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Whether `c × 10^x` reads back as `abs`, when that can be told with one
/// correctly rounded operation on exact operands (`c < 2^53`, `|x| ≤ 22`);
/// `None` otherwise.
fn reads_back(c: u64, x: i32, abs: f64) -> Option<bool> {
    if c >= 1 << 53 {
        return None;
    }
    let p = *EXACT_POW10.get(x.unsigned_abs() as usize)?;
    Some(if x >= 0 { c as f64 * p } else { c as f64 / p } == abs)
}

/// `abs` (finite, > 0) rounded to `p` (≤ 17) significant digits: `(c,
/// x)` with `10^(p-1) ≤ c < 10^p` and `c × 10^x` the nearest such number,
/// ties to even.
fn significant(abs: f64, p: u32) -> (u64, i32) {
    let (m, e) = parts(abs);
    // ⌊log2 abs⌋ × log10 2 (78913 / 2^18), floored: the decimal exponent,
    // or one off; corrected below.
    let log2 = e + 63 - m.leading_zeros() as i32;
    let mut exp10 = (log2 * 78913) >> 18;
    let (low, high) = (POW10[p as usize - 1], POW10[p as usize]);
    let p = p as i32;
    let mut c = low;
    for _ in 0..4 {
        c = scaled_exact(abs, p - 1 - exp10).unwrap_or(u64::MAX);
        if c == high {
            // Rounded up to the next power of ten: 10^(p-1), one up.
            return (low, exp10 + 2 - p);
        }
        if c > high {
            exp10 += 1;
        } else if c < low {
            exp10 -= 1;
        } else {
            break;
        }
    }
    (c.min(high - 1), exp10 + 1 - p)
}

/// The shortest decimal `c × 10^x` that reads back as `v` (finite), `c`
/// without trailing zeros (`(0, 0)` for ±0): std's `{v}` digits whenever
/// they number at most 15 and 1e-8 ≤ |v| < 1e37 (every figure of a pack);
/// else 16 or 17 digits that read back as `v` (17 always do; fewer only
/// when one correctly rounded operation on exact operands checks them).
///
/// ```
/// use territoire::decimal::shortest;
/// assert_eq!(shortest(12.8), (128, -1));
/// assert_eq!(shortest(-3.0e-7), (3, -7));
/// assert_eq!(shortest(1.0 / 3.0), (3333333333333333, -16));
/// assert_eq!(shortest(f64::MAX), (17976931348623157, 292));
/// ```
pub fn shortest(v: f64) -> (u64, i32) {
    let abs = v.abs();
    if abs == 0.0 || !abs.is_finite() {
        return (0, 0);
    }
    let (mut c, mut x) = (0, 0);
    for p in 15..=17 {
        (c, x) = significant(abs, p);
        if p == 17 || reads_back(c, x, abs) == Some(true) {
            break;
        }
    }
    while c > 0 && c % 10 == 0 {
        c /= 10;
        x += 1;
    }
    (c, x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finite values from a xorshift over the whole bit space, and over
    /// the magnitudes a pack holds.
    fn sample(n: usize) -> Vec<f64> {
        let mut s = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let mut out = Vec::new();
        while out.len() < n {
            let bits = f64::from_bits(next());
            if bits.is_finite() {
                out.push(bits);
            }
            let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
            let magnitude = 10f64.powi((next() % 24) as i32 - 8);
            out.push(u * magnitude);
            // Three decimals, as the pack's fixed-point values.
            out.push((next() % 10_000_000) as f64 / 1000.0);
        }
        out.extend([
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.125,
            0.375,
            1e22,
            1e23,
            9.5,
            99.95,
            0.05,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
        ]);
        out
    }

    #[test]
    fn fixed_is_std_fixed() {
        for v in sample(20_000) {
            for d in [0, 1, 2, 3, 6, 17, 30] {
                let mut ours = String::new();
                write_fixed(&mut ours, v, d).unwrap();
                assert_eq!(ours, format!("{:.*}", d, v.abs()), "{v:e} with {d} decimals");
            }
        }
    }

    #[test]
    fn shortest_reads_back_and_is_std_up_to_15_digits() {
        for v in sample(20_000) {
            let (c, x) = shortest(v);
            let text = format!("{c}e{x}");
            let back: f64 = text.parse().unwrap();
            assert_eq!(back, v.abs(), "{v:e} → {text}");
            assert!(c < 100_000_000_000_000_000, "{v:e} → {text}");
            let std = format!("{:e}", v.abs());
            let mantissa = std.split('e').next().unwrap().replace('.', "");
            // One correctly rounded operation checks a 15-digit candidate
            // from 1e-8 to 1e37; beyond, 17 digits are written.
            if mantissa.len() <= 15 && (1e-8..1e37).contains(&v.abs()) {
                assert_eq!(c.to_string(), mantissa, "{v:e}");
            } else {
                assert!(c.to_string().len() >= mantissa.len(), "{v:e} → {text}, std {std}");
            }
        }
    }
}
