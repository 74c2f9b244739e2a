//! Text metrics: widths from the advance widths of DejaVu Sans (the font the
//! SVG asks for), so a layout never depends on what a browser measures and
//! is the same natively, in wasm and on paper.
//!
//! Kerning is ignored here and switched off in the SVG, so what is drawn is
//! exactly what was measured.

use super::metrics as m;
use crate::scene::Weight;

/// Advance width of one character in font units.
fn advance(c: char, weight: Weight) -> u16 {
    let (block, extra, fallback) = match weight {
        Weight::Regular => (&m::REGULAR_BLOCK[..], &m::REGULAR_EXTRA[..], m::REGULAR_FALLBACK),
        Weight::Bold => (&m::BOLD_BLOCK[..], &m::BOLD_EXTRA[..], m::BOLD_FALLBACK),
    };
    let cp = c as u32;
    if let Some(w) = cp.checked_sub(m::BLOCK_START).and_then(|i| block.get(i as usize)) {
        return *w;
    }
    match m::EXTRA.binary_search(&c) {
        Ok(i) => extra[i],
        // Combining marks and zero-width characters take no room.
        Err(_) if matches!(cp, 0x300..=0x36F | 0x200B..=0x200D | 0x2060 | 0xFEFF) => 0,
        Err(_) => fallback,
    }
}

/// Width in CSS px of `text` drawn at `size` px in DejaVu Sans.
pub fn width(text: &str, size: f64, weight: Weight) -> f64 {
    // One pass: control characters take no room, and a text of nothing
    // else is 0 wide whatever the size.
    let mut printable = false;
    let mut units: u32 = 0;
    for c in text.chars().filter(|c| (*c as u32) >= 0x20) {
        printable = true;
        units += advance(c, weight) as u32;
    }
    if !printable {
        return 0.0;
    }
    units as f64 * size / m::UNITS_PER_EM
}

/// `text` cut so that it fits in `max_width`, ending with "…" when it had to
/// be cut (for names in legends and labels that must stay on one line).
pub fn ellipsize(text: &str, size: f64, weight: Weight, max_width: f64) -> String {
    if width(text, size, weight) <= max_width {
        return text.to_string();
    }
    let ell = width("…", size, weight);
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]), size, weight);
        if w + cw + ell > max_width {
            break;
        }
        out.push(c);
        w += cw;
    }
    // "Saint- …" or "Pays de …" read badly: drop the trailing separator.
    let trimmed = out.trim_end_matches([' ', '\u{a0}', '-', ',', '(']).len();
    out.truncate(trimmed);
    out.push('…');
    out
}

/// Splits `text` into lines no wider than `max_width`: at spaces first
/// (no-break spaces hold, so "12,8 %" never splits), then after hyphens of
/// a long compound name, and as a last resort between characters. Explicit
/// line breaks are kept. Never returns an empty vector for non-empty text.
pub fn wrap(text: &str, size: f64, weight: Weight, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let space = width(" ", size, weight);
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        let mut place = |piece: &str, w: f64, continued: bool| {
            // A piece that continues a cut word joins without a space.
            let joiner = if line.is_empty() || continued { 0.0 } else { space };
            if !line.is_empty() && line_w + joiner + w > max_width {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if joiner > 0.0 && !line.is_empty() {
                line.push(' ');
                line_w += space;
            }
            line.push_str(piece);
            line_w += w;
        };
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            // Most words fit whole: measured once, nothing allocated.
            let w = width(word, size, weight);
            if w <= max_width {
                place(word, w, false);
                continue;
            }
            for (k, piece) in split_word(word, size, weight, max_width).into_iter().enumerate() {
                place(&piece, width(&piece, size, weight), k > 0);
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
    }
    if text.is_empty() {
        return Vec::new();
    }
    lines
}

/// A word as pieces that each fit `max_width`: the word itself when it fits,
/// else cut after its hyphens, else cut between characters.
fn split_word(word: &str, size: f64, weight: Weight, max_width: f64) -> Vec<String> {
    if width(word, size, weight) <= max_width {
        return vec![word.to_string()];
    }
    let mut pieces = Vec::new();
    let mut rest = word;
    while !rest.is_empty() {
        if width(rest, size, weight) <= max_width {
            pieces.push(rest.to_string());
            break;
        }
        // The longest prefix ending with '-' that fits, else as many
        // characters as fit (at least one, so the loop always advances).
        let mut best_hyphen = None;
        let mut best_char = 0;
        let mut w = 0.0;
        for (i, c) in rest.char_indices() {
            w += width(c.encode_utf8(&mut [0; 4]), size, weight);
            let end = i + c.len_utf8();
            if w > max_width {
                break;
            }
            best_char = end;
            if c == '-' {
                best_hyphen = Some(end);
            }
        }
        let cut = best_hyphen.unwrap_or(if best_char == 0 {
            rest.chars().next().map(char::len_utf8).unwrap_or(rest.len())
        } else {
            best_char
        });
        pieces.push(rest[..cut].to_string());
        rest = &rest[cut..];
    }
    pieces
}

/// [`wrap`], keeping at most `max_lines` lines; the last one kept ends with
/// "…" when text was dropped.
pub fn wrap_lines(text: &str, size: f64, weight: Weight, max_width: f64, max_lines: usize) -> Vec<String> {
    let mut lines = wrap(text, size, weight, max_width);
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        let last = lines.pop().unwrap_or_default();
        // Force the ellipsis even when the kept line would fit as it is.
        let target = (max_width - width("…", size, weight)).max(0.0);
        let mut cut = ellipsize(&last, size, weight, target);
        if cut.ends_with('…') {
            cut.pop();
        }
        lines.push(format!("{}…", cut.trim_end()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_match_dejavu() {
        // DejaVu Sans: "n" is 1298 units, at 2048 per em.
        assert!((width("n", 2048.0, Weight::Regular) - 1298.0).abs() < 1e-9);
        assert!(width("Taux de pauvreté", 12.0, Weight::Bold) > width("Taux de pauvreté", 12.0, Weight::Regular));
        // Every character of French wording is known (not the fallback).
        for c in "éèêëàâäîïôöùûüçœæÉÈÊÀÂÎÔÙÛÇŒÆ’«»…≤≈€–—\u{a0}\u{202f}²·“”".chars()
        {
            let w = advance(c, Weight::Regular);
            assert!(w > 0, "{c:?}");
        }
        assert_eq!(width("", 12.0, Weight::Regular), 0.0);
        // Unknown characters get a positive width, never zero.
        assert!(width("漢", 12.0, Weight::Regular) > 0.0);
    }

    #[test]
    fn wrap_fits_and_keeps_words() {
        let text = "Le taux de pauvreté de la Communauté de communes du Pays de Châteaubriant est supérieur de 2,3 points à celui de la Loire-Atlantique.";
        let lines = wrap(text, 12.0, Weight::Regular, 200.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(width(l, 12.0, Weight::Regular) <= 200.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
        // A no-break space holds a figure and its unit together.
        let lines = wrap("aaaa 12,8\u{a0}%", 12.0, Weight::Regular, width("aaaa 12,8", 12.0, Weight::Regular));
        assert_eq!(lines, vec!["aaaa".to_string(), "12,8\u{a0}%".to_string()]);
    }

    #[test]
    fn long_words_break_at_hyphens_then_anywhere() {
        let name = "Saint-Sébastien-sur-Loire-et-Environs-Communauté";
        let lines = wrap(name, 12.0, Weight::Regular, 90.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(width(l, 12.0, Weight::Regular) <= 90.0, "{l}");
        }
        assert_eq!(lines.concat(), name);
        assert!(lines[0].ends_with('-'));
        let lines = wrap("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 10.0, Weight::Bold, 50.0);
        assert!(lines.iter().all(|l| width(l, 10.0, Weight::Bold) <= 50.0));
        // Narrower than one character: one character per line, no endless loop.
        assert_eq!(wrap("abc", 12.0, Weight::Regular, 1.0).len(), 3);
    }

    #[test]
    fn ellipsis_fits() {
        let s = ellipsize(
            "Communauté d'agglomération de la Presqu'île de Guérande Atlantique",
            11.0,
            Weight::Regular,
            120.0,
        );
        assert!(s.ends_with('…'));
        assert!(width(&s, 11.0, Weight::Regular) <= 120.0);
        assert_eq!(ellipsize("Nantes", 11.0, Weight::Regular, 120.0), "Nantes");
        let lines = wrap_lines("un deux trois quatre cinq six sept huit", 12.0, Weight::Regular, 60.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(lines.iter().all(|l| width(l, 12.0, Weight::Regular) <= 60.0));
    }
}
