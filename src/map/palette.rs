//! Colour palettes for maps: class colours and the special legend entries.
//!
//! Class colours are ColorBrewer's published schemes (Cynthia A. Brewer,
//! Mark Harrower and The Pennsylvania State University, colorbrewer2.org,
//! Apache License 2.0; the hex values as d3-scale-chromatic ships them),
//! written here per number of classes because ColorBrewer designed each
//! size on its own (the 5-class blues are not 5 of the 9-class blues):
//! - sequential single-hue ramps for levels (Blues, Oranges, Greens,
//!   Purples, Reds, Greys), light to dark, darker = higher, 3 to 9 classes;
//! - diverging ramps for evolutions (RdBu, PuOr, BrBG, 3 to 11 classes),
//!   the three ColorBrewer marks colour-blind safe at every size;
//! - a qualitative palette for typologies and density-grid classes:
//!   Okabe & Ito's (2008, "Color Universal Design"), designed to stay
//!   distinct under the three kinds of colour-vision deficiency, black left
//!   out (the map's outlines and text use it): 7 colours.
//!
//! A palette asked for with 1 or 2 classes (a classification with fewer
//! distinct values than classes) takes them from the 3-class scheme, as
//! ColorBrewer publishes none smaller: its middle for 1, its ends for 2.
//!
//! The special legend entries are never class colours: secret (grey,
//! hatched), not available (light grey, hatched), bottom-coded "≤ 5 %" (a
//! pale yellow no ramp contains, so it does not read as the lowest class)
//! and unknown.

use serde::Serialize;

use crate::scene::{Color, Fill};
use crate::schema::Status;

/// What a palette is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Levels: light to dark.
    Sequential,
    /// Evolutions: two hues meeting at a pale centre.
    Diverging,
    /// Categories: distinct hues, no order.
    Qualitative,
}

/// One palette for the page's select.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PaletteInfo {
    pub id: &'static str,
    /// French name shown to users.
    pub name: &'static str,
    pub kind: Kind,
}

/// Default palette of levels.
pub const DEFAULT_SEQUENTIAL: &str = "bleus";
/// Default palette of evolutions: falls in blue, rises in red.
pub const DEFAULT_DIVERGING: &str = "rouge_bleu";
/// The qualitative palette's id.
pub const QUALITATIVE: &str = "okabe_ito";

const PALETTES: [PaletteInfo; 12] = [
    PaletteInfo { id: "bleus", name: "Bleus", kind: Kind::Sequential },
    PaletteInfo { id: "oranges", name: "Oranges", kind: Kind::Sequential },
    PaletteInfo { id: "verts", name: "Verts", kind: Kind::Sequential },
    PaletteInfo { id: "violets", name: "Violets", kind: Kind::Sequential },
    PaletteInfo { id: "rouges", name: "Rouges", kind: Kind::Sequential },
    PaletteInfo { id: "gris", name: "Gris", kind: Kind::Sequential },
    PaletteInfo { id: "rouge_bleu", name: "Rouge-bleu (hausses en rouge)", kind: Kind::Diverging },
    PaletteInfo { id: "bleu_rouge", name: "Rouge-bleu (hausses en bleu)", kind: Kind::Diverging },
    PaletteInfo { id: "violet_orange", name: "Violet-orange (hausses en orange)", kind: Kind::Diverging },
    PaletteInfo { id: "orange_violet", name: "Violet-orange (hausses en violet)", kind: Kind::Diverging },
    PaletteInfo { id: "brun_vert", name: "Brun-vert (hausses en brun)", kind: Kind::Diverging },
    PaletteInfo { id: QUALITATIVE, name: "Couleurs distinctes (Okabe–Ito)", kind: Kind::Qualitative },
];

/// The palettes, with their French names, in the order of the page's select.
///
/// ```
/// use territoire::map::palette::{ids, Kind};
/// assert_eq!(ids()[0].id, "bleus");
/// assert!(ids().iter().any(|p| p.id == "rouge_bleu" && p.kind == Kind::Diverging));
/// ```
pub fn ids() -> &'static [PaletteInfo] {
    &PALETTES
}

/// The kind of palette `id`, or `None` if there is no such palette.
pub fn kind(id: &str) -> Option<Kind> {
    PALETTES.iter().find(|p| p.id == id).map(|p| p.kind)
}

/// `k` colours of palette `id`, lowest class first, whatever its kind.
pub fn colors(id: &str, k: usize) -> Option<Vec<Color>> {
    match kind(id)? {
        Kind::Sequential => sequential(id, k),
        Kind::Diverging => diverging(id, k),
        Kind::Qualitative => qualitative(k),
    }
}

/// `k` (1 to 9) colours of a sequential ramp, light to dark: darker = higher.
///
/// ```
/// use territoire::map::palette::sequential;
/// // ColorBrewer Blues, 5 classes.
/// let blues: Vec<String> = sequential("bleus", 5).unwrap().iter().map(|c| c.hex()).collect();
/// assert_eq!(blues, ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]);
/// assert!(sequential("bleus", 10).is_none());
/// assert!(sequential("arc-en-ciel", 5).is_none());
/// ```
pub fn sequential(id: &str, k: usize) -> Option<Vec<Color>> {
    let table: &[&[u32]; 7] = match id {
        "bleus" => &BLUES,
        "oranges" => &ORANGES,
        "verts" => &GREENS,
        "violets" => &PURPLES,
        "rouges" => &REDS,
        "gris" => &GREYS,
        _ => return None,
    };
    pick(table, k)
}

/// `k` (1 to 11) colours of a diverging ramp, lowest class first; odd `k`
/// has a neutral middle class. `rouge_bleu` goes from dark blue (strong
/// falls) to dark red (strong rises), ColorBrewer RdBu read backwards;
/// `bleu_rouge` is RdBu as published, for indicators whose rise is good
/// news (employment).
///
/// ```
/// use territoire::map::palette::diverging;
/// let c: Vec<String> = diverging("rouge_bleu", 5).unwrap().iter().map(|c| c.hex()).collect();
/// // ColorBrewer RdBu, 5 classes, reversed.
/// assert_eq!(c, ["#0571b0", "#92c5de", "#f7f7f7", "#f4a582", "#ca0020"]);
/// ```
pub fn diverging(id: &str, k: usize) -> Option<Vec<Color>> {
    let (table, reversed) = diverging_table(id)?;
    let mut colors = pick(table, k)?;
    if reversed {
        colors.reverse();
    }
    Some(colors)
}

/// Colours of classes around a centre (0 for evolutions): `below` classes
/// under it, a neutral class holding it if `neutral`, `above` classes over
/// it, lowest first. Both sides take their colours from the same
/// ColorBrewer scheme, sized for the longer side, so a class at the same
/// rank from the centre has the same strength on both sides. `None` when a
/// side has more than 5 classes (ColorBrewer's diverging schemes stop at
/// 11): use a sequential ramp for values mostly on one side.
///
/// ```
/// use territoire::map::palette::{diverging, diverging_around};
/// // One class of falls, three of rises: the 6-class scheme, less its two
/// // strongest falls.
/// let six = diverging("rouge_bleu", 6).unwrap();
/// assert_eq!(diverging_around("rouge_bleu", 1, false, 3).unwrap(), six[2..].to_vec());
/// // Symmetric with a neutral class: the plain odd scheme.
/// assert_eq!(diverging_around("rouge_bleu", 2, true, 2), diverging("rouge_bleu", 5));
/// ```
pub fn diverging_around(id: &str, below: usize, neutral: bool, above: usize) -> Option<Vec<Color>> {
    let m = below.max(above);
    let n = 2 * m + usize::from(neutral);
    if n == 0 || n > 11 {
        return None;
    }
    let all = diverging(id, n)?;
    let mut out = all[m - below..m].to_vec();
    if neutral {
        out.push(all[m]);
    }
    let up = m + usize::from(neutral);
    out.extend_from_slice(&all[up..up + above]);
    Some(out)
}

/// `k` (1 to 7) distinct colours for categories: Okabe–Ito, in its
/// published order (orange, sky blue, bluish green, yellow, blue,
/// vermillion, reddish purple).
///
/// ```
/// use territoire::map::palette::qualitative;
/// assert_eq!(qualitative(3).unwrap().iter().map(|c| c.hex()).collect::<Vec<_>>(), ["#e69f00", "#56b4e9", "#009e73"]);
/// assert!(qualitative(8).is_none());
/// ```
pub fn qualitative(k: usize) -> Option<Vec<Color>> {
    if k == 0 || k > OKABE_ITO.len() {
        return None;
    }
    Some(OKABE_ITO[..k].iter().map(|&c| rgb(c)).collect())
}

/// "secret statistique": mid grey, hatched.
pub const SECRET: Fill = Fill::Hatched { background: rgb(0xbdbdbd), lines: rgb(0x636363) };
/// "non disponible": light grey, hatched more faintly than secret.
pub const NOT_AVAILABLE: Fill = Fill::Hatched { background: rgb(0xf0f0f0), lines: rgb(0xbdbdbd) };
/// "≤ 5 %" (FILOSOFI bottom coding): a pale yellow that no ramp holds (at
/// least 18 CIE76 units from every class colour, 29 from every lowest
/// class), so it is never taken for the lowest class.
pub const BOTTOM_CODED: Fill = Fill::Solid(rgb(0xfff3a0));
/// A territory the data says nothing about (no row at all): a muted khaki,
/// at least 18 CIE76 units from every class colour.
pub const UNKNOWN: Fill = Fill::Solid(rgb(0xb8a888));

/// The fill of a status that is a legend entry of its own, or `None` for
/// statuses that carry a value and take their class colour.
///
/// ```
/// use territoire::map::palette::{special, SECRET};
/// use territoire::Status;
/// assert_eq!(special(Status::Secret), Some(SECRET));
/// assert_eq!(special(Status::Value), None);
/// ```
pub fn special(status: Status) -> Option<Fill> {
    match status {
        Status::Secret => Some(SECRET),
        Status::NotAvailable => Some(NOT_AVAILABLE),
        Status::BottomCoded => Some(BOTTOM_CODED),
        Status::Value | Status::Approximate | Status::Partial => None,
    }
}

const fn rgb(hex: u32) -> Color {
    Color((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
}

/// `k` colours from a table of ColorBrewer schemes of 3, 4, … classes.
fn pick(table: &[&[u32]], k: usize) -> Option<Vec<Color>> {
    let three = table[0];
    let hex: Vec<u32> = match k {
        0 => return None,
        1 => vec![three[1]],
        2 => vec![three[0], three[2]],
        _ => table.get(k - 3)?.to_vec(),
    };
    Some(hex.into_iter().map(rgb).collect())
}

/// The scheme of a diverging id and whether it is read backwards.
fn diverging_table(id: &str) -> Option<(&'static [&'static [u32]; 9], bool)> {
    Some(match id {
        "rouge_bleu" => (&RDBU, true),
        "bleu_rouge" => (&RDBU, false),
        "violet_orange" => (&PUOR, true),
        "orange_violet" => (&PUOR, false),
        "brun_vert" => (&BRBG, true),
        _ => return None,
    })
}

/// Okabe & Ito (2008), less black.
const OKABE_ITO: [u32; 7] = [0xe69f00, 0x56b4e9, 0x009e73, 0xf0e442, 0x0072b2, 0xd55e00, 0xcc79a7];

// ColorBrewer schemes, 3 classes first, in ColorBrewer's order (light to
// dark; diverging from the red / orange / brown end).
const BLUES: [&[u32]; 7] = [
    &[0xdeebf7, 0x9ecae1, 0x3182bd],
    &[0xeff3ff, 0xbdd7e7, 0x6baed6, 0x2171b5],
    &[0xeff3ff, 0xbdd7e7, 0x6baed6, 0x3182bd, 0x08519c],
    &[0xeff3ff, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x3182bd, 0x08519c],
    &[0xeff3ff, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x084594],
    &[0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x084594],
    &[0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b],
];
const ORANGES: [&[u32]; 7] = [
    &[0xfee6ce, 0xfdae6b, 0xe6550d],
    &[0xfeedde, 0xfdbe85, 0xfd8d3c, 0xd94701],
    &[0xfeedde, 0xfdbe85, 0xfd8d3c, 0xe6550d, 0xa63603],
    &[0xfeedde, 0xfdd0a2, 0xfdae6b, 0xfd8d3c, 0xe6550d, 0xa63603],
    &[0xfeedde, 0xfdd0a2, 0xfdae6b, 0xfd8d3c, 0xf16913, 0xd94801, 0x8c2d04],
    &[0xfff5eb, 0xfee6ce, 0xfdd0a2, 0xfdae6b, 0xfd8d3c, 0xf16913, 0xd94801, 0x8c2d04],
    &[0xfff5eb, 0xfee6ce, 0xfdd0a2, 0xfdae6b, 0xfd8d3c, 0xf16913, 0xd94801, 0xa63603, 0x7f2704],
];
const GREENS: [&[u32]; 7] = [
    &[0xe5f5e0, 0xa1d99b, 0x31a354],
    &[0xedf8e9, 0xbae4b3, 0x74c476, 0x238b45],
    &[0xedf8e9, 0xbae4b3, 0x74c476, 0x31a354, 0x006d2c],
    &[0xedf8e9, 0xc7e9c0, 0xa1d99b, 0x74c476, 0x31a354, 0x006d2c],
    &[0xedf8e9, 0xc7e9c0, 0xa1d99b, 0x74c476, 0x41ab5d, 0x238b45, 0x005a32],
    &[0xf7fcf5, 0xe5f5e0, 0xc7e9c0, 0xa1d99b, 0x74c476, 0x41ab5d, 0x238b45, 0x005a32],
    &[0xf7fcf5, 0xe5f5e0, 0xc7e9c0, 0xa1d99b, 0x74c476, 0x41ab5d, 0x238b45, 0x006d2c, 0x00441b],
];
const PURPLES: [&[u32]; 7] = [
    &[0xefedf5, 0xbcbddc, 0x756bb1],
    &[0xf2f0f7, 0xcbc9e2, 0x9e9ac8, 0x6a51a3],
    &[0xf2f0f7, 0xcbc9e2, 0x9e9ac8, 0x756bb1, 0x54278f],
    &[0xf2f0f7, 0xdadaeb, 0xbcbddc, 0x9e9ac8, 0x756bb1, 0x54278f],
    &[0xf2f0f7, 0xdadaeb, 0xbcbddc, 0x9e9ac8, 0x807dba, 0x6a51a3, 0x4a1486],
    &[0xfcfbfd, 0xefedf5, 0xdadaeb, 0xbcbddc, 0x9e9ac8, 0x807dba, 0x6a51a3, 0x4a1486],
    &[0xfcfbfd, 0xefedf5, 0xdadaeb, 0xbcbddc, 0x9e9ac8, 0x807dba, 0x6a51a3, 0x54278f, 0x3f007d],
];
const REDS: [&[u32]; 7] = [
    &[0xfee0d2, 0xfc9272, 0xde2d26],
    &[0xfee5d9, 0xfcae91, 0xfb6a4a, 0xcb181d],
    &[0xfee5d9, 0xfcae91, 0xfb6a4a, 0xde2d26, 0xa50f15],
    &[0xfee5d9, 0xfcbba1, 0xfc9272, 0xfb6a4a, 0xde2d26, 0xa50f15],
    &[0xfee5d9, 0xfcbba1, 0xfc9272, 0xfb6a4a, 0xef3b2c, 0xcb181d, 0x99000d],
    &[0xfff5f0, 0xfee0d2, 0xfcbba1, 0xfc9272, 0xfb6a4a, 0xef3b2c, 0xcb181d, 0x99000d],
    &[0xfff5f0, 0xfee0d2, 0xfcbba1, 0xfc9272, 0xfb6a4a, 0xef3b2c, 0xcb181d, 0xa50f15, 0x67000d],
];
const GREYS: [&[u32]; 7] = [
    &[0xf0f0f0, 0xbdbdbd, 0x636363],
    &[0xf7f7f7, 0xcccccc, 0x969696, 0x525252],
    &[0xf7f7f7, 0xcccccc, 0x969696, 0x636363, 0x252525],
    &[0xf7f7f7, 0xd9d9d9, 0xbdbdbd, 0x969696, 0x636363, 0x252525],
    &[0xf7f7f7, 0xd9d9d9, 0xbdbdbd, 0x969696, 0x737373, 0x525252, 0x252525],
    &[0xffffff, 0xf0f0f0, 0xd9d9d9, 0xbdbdbd, 0x969696, 0x737373, 0x525252, 0x252525],
    &[0xffffff, 0xf0f0f0, 0xd9d9d9, 0xbdbdbd, 0x969696, 0x737373, 0x525252, 0x252525, 0x000000],
];
const RDBU: [&[u32]; 9] = [
    &[0xef8a62, 0xf7f7f7, 0x67a9cf],
    &[0xca0020, 0xf4a582, 0x92c5de, 0x0571b0],
    &[0xca0020, 0xf4a582, 0xf7f7f7, 0x92c5de, 0x0571b0],
    &[0xb2182b, 0xef8a62, 0xfddbc7, 0xd1e5f0, 0x67a9cf, 0x2166ac],
    &[0xb2182b, 0xef8a62, 0xfddbc7, 0xf7f7f7, 0xd1e5f0, 0x67a9cf, 0x2166ac],
    &[0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7, 0xd1e5f0, 0x92c5de, 0x4393c3, 0x2166ac],
    &[0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7, 0xf7f7f7, 0xd1e5f0, 0x92c5de, 0x4393c3, 0x2166ac],
    &[0x67001f, 0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7, 0xd1e5f0, 0x92c5de, 0x4393c3, 0x2166ac, 0x053061],
    &[0x67001f, 0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7, 0xf7f7f7, 0xd1e5f0, 0x92c5de, 0x4393c3, 0x2166ac, 0x053061],
];
const PUOR: [&[u32]; 9] = [
    &[0xf1a340, 0xf7f7f7, 0x998ec3],
    &[0xe66101, 0xfdb863, 0xb2abd2, 0x5e3c99],
    &[0xe66101, 0xfdb863, 0xf7f7f7, 0xb2abd2, 0x5e3c99],
    &[0xb35806, 0xf1a340, 0xfee0b6, 0xd8daeb, 0x998ec3, 0x542788],
    &[0xb35806, 0xf1a340, 0xfee0b6, 0xf7f7f7, 0xd8daeb, 0x998ec3, 0x542788],
    &[0xb35806, 0xe08214, 0xfdb863, 0xfee0b6, 0xd8daeb, 0xb2abd2, 0x8073ac, 0x542788],
    &[0xb35806, 0xe08214, 0xfdb863, 0xfee0b6, 0xf7f7f7, 0xd8daeb, 0xb2abd2, 0x8073ac, 0x542788],
    &[0x7f3b08, 0xb35806, 0xe08214, 0xfdb863, 0xfee0b6, 0xd8daeb, 0xb2abd2, 0x8073ac, 0x542788, 0x2d004b],
    &[0x7f3b08, 0xb35806, 0xe08214, 0xfdb863, 0xfee0b6, 0xf7f7f7, 0xd8daeb, 0xb2abd2, 0x8073ac, 0x542788, 0x2d004b],
];
const BRBG: [&[u32]; 9] = [
    &[0xd8b365, 0xf5f5f5, 0x5ab4ac],
    &[0xa6611a, 0xdfc27d, 0x80cdc1, 0x018571],
    &[0xa6611a, 0xdfc27d, 0xf5f5f5, 0x80cdc1, 0x018571],
    &[0x8c510a, 0xd8b365, 0xf6e8c3, 0xc7eae5, 0x5ab4ac, 0x01665e],
    &[0x8c510a, 0xd8b365, 0xf6e8c3, 0xf5f5f5, 0xc7eae5, 0x5ab4ac, 0x01665e],
    &[0x8c510a, 0xbf812d, 0xdfc27d, 0xf6e8c3, 0xc7eae5, 0x80cdc1, 0x35978f, 0x01665e],
    &[0x8c510a, 0xbf812d, 0xdfc27d, 0xf6e8c3, 0xf5f5f5, 0xc7eae5, 0x80cdc1, 0x35978f, 0x01665e],
    &[0x543005, 0x8c510a, 0xbf812d, 0xdfc27d, 0xf6e8c3, 0xc7eae5, 0x80cdc1, 0x35978f, 0x01665e, 0x003c30],
    &[0x543005, 0x8c510a, 0xbf812d, 0xdfc27d, 0xf6e8c3, 0xf5f5f5, 0xc7eae5, 0x80cdc1, 0x35978f, 0x01665e, 0x003c30],
];

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance.
    fn luminance(c: Color) -> f64 {
        let lin = |v: u8| {
            let c = v as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }

    /// CIE L*a*b* (D65), for colour differences.
    fn lab(c: Color) -> [f64; 3] {
        let lin = |v: u8| {
            let c = v as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let (r, g, b) = (lin(c.0), lin(c.1), lin(c.2));
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
        [116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))]
    }

    /// CIE76 ΔE.
    fn delta_e(a: Color, b: Color) -> f64 {
        let (a, b) = (lab(a), lab(b));
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    fn distinct(colors: &[Color]) -> bool {
        colors.iter().enumerate().all(|(i, a)| colors[i + 1..].iter().all(|b| a != b))
    }

    fn fill_color(f: Fill) -> Color {
        match f {
            Fill::Solid(c) | Fill::Hatched { background: c, .. } | Fill::Translucent { color: c, .. } => c,
            Fill::None => Color::WHITE,
        }
    }

    fn sequential_ids() -> impl Iterator<Item = &'static str> {
        ids().iter().filter(|p| p.kind == Kind::Sequential).map(|p| p.id)
    }

    fn diverging_ids() -> impl Iterator<Item = &'static str> {
        ids().iter().filter(|p| p.kind == Kind::Diverging).map(|p| p.id)
    }

    #[test]
    fn every_listed_palette_answers_with_the_right_count() {
        for p in ids() {
            let max = match p.kind {
                Kind::Sequential => 9,
                Kind::Diverging => 11,
                Kind::Qualitative => 7,
            };
            for k in 1..=max {
                let c = colors(p.id, k).unwrap_or_else(|| panic!("{} {k}", p.id));
                assert_eq!(c.len(), k, "{} {k}", p.id);
                assert!(distinct(&c), "{} {k}", p.id);
            }
            assert!(colors(p.id, 0).is_none());
            assert!(colors(p.id, max + 1).is_none(), "{}", p.id);
        }
        assert!(colors("nope", 3).is_none());
        let mut seen: Vec<&str> = ids().iter().map(|p| p.id).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), ids().len());
        assert_eq!(kind(DEFAULT_SEQUENTIAL), Some(Kind::Sequential));
        assert_eq!(kind(DEFAULT_DIVERGING), Some(Kind::Diverging));
        assert_eq!(kind(QUALITATIVE), Some(Kind::Qualitative));
    }

    #[test]
    fn sequential_ramps_darken_as_values_rise() {
        for id in sequential_ids() {
            for k in 1..=9 {
                let c = sequential(id, k).unwrap();
                let l: Vec<f64> = c.iter().map(|&c| luminance(c)).collect();
                assert!(l.windows(2).all(|w| w[1] < w[0]), "{id} {k}: {l:?}");
            }
        }
    }

    #[test]
    fn diverging_ramps_are_pale_in_the_middle_and_dark_at_the_ends() {
        for id in diverging_ids() {
            for k in 3..=11 {
                let l: Vec<f64> = diverging(id, k).unwrap().iter().map(|&c| luminance(c)).collect();
                let mid = (k - 1) / 2;
                // Lighter towards the centre from both ends.
                assert!(l[..=mid].windows(2).all(|w| w[1] > w[0]), "{id} {k}: {l:?}");
                assert!(l[k / 2..].windows(2).all(|w| w[1] < w[0]), "{id} {k}: {l:?}");
            }
        }
        // Reading backwards is the same scheme.
        let mut a = diverging("rouge_bleu", 7).unwrap();
        a.reverse();
        assert_eq!(Some(a), diverging("bleu_rouge", 7));
        // Falls in blue, rises in red.
        let c = diverging("rouge_bleu", 4).unwrap();
        assert!(c[0].2 > c[0].0 && c[3].0 > c[3].2);
    }

    #[test]
    fn diverging_around_a_centre() {
        for id in diverging_ids() {
            for below in 0..=5 {
                for above in 0..=5 {
                    for neutral in [false, true] {
                        let n = below + above + usize::from(neutral);
                        let got = diverging_around(id, below, neutral, above);
                        if n == 0 {
                            assert!(got.is_none());
                            continue;
                        }
                        let c = got.unwrap();
                        assert_eq!(c.len(), n);
                        assert!(distinct(&c));
                        // Same rank from the centre, same strength, both sides.
                        // (ColorBrewer's PuOr is 0.17 lighter on its orange side.)
                        if below > 0 && above > 0 {
                            let (lo, hi) = (luminance(c[below - 1]), luminance(c[n - above]));
                            assert!((lo - hi).abs() < 0.2, "{id} {below} {neutral} {above}");
                            let m = below.max(above);
                            let full = diverging(id, 2 * m + usize::from(neutral)).unwrap();
                            assert_eq!(c[below - 1], full[m - 1]);
                            assert_eq!(c[n - above], full[m + usize::from(neutral)]);
                        }
                    }
                }
            }
        }
        assert!(diverging_around("rouge_bleu", 6, false, 1).is_none());
        assert!(diverging_around("bleus", 1, false, 1).is_none());
    }

    #[test]
    fn qualitative_colours_stay_apart() {
        let c = qualitative(7).unwrap();
        for (i, a) in c.iter().enumerate() {
            for b in &c[i + 1..] {
                assert!(delta_e(*a, *b) > 20.0, "{} {}", a.hex(), b.hex());
            }
        }
    }

    #[test]
    fn special_entries_never_look_like_a_class() {
        let bottom = fill_color(BOTTOM_CODED);
        let unknown = fill_color(UNKNOWN);
        let mut every_class = Vec::new();
        for id in sequential_ids() {
            for k in 1..=9 {
                let c = sequential(id, k).unwrap();
                assert!(delta_e(bottom, c[0]) > 25.0, "{id} {k}: lowest {}", c[0].hex());
                every_class.extend(c);
            }
        }
        for id in diverging_ids() {
            for k in 1..=11 {
                every_class.extend(diverging(id, k).unwrap());
            }
        }
        for c in &every_class {
            assert!(delta_e(bottom, *c) > 15.0, "bottom-coded vs {}", c.hex());
            assert!(delta_e(unknown, *c) > 15.0, "unknown vs {}", c.hex());
        }
        // Secret and not available are hatched, the others plain; all differ.
        assert!(matches!(SECRET, Fill::Hatched { .. }) && matches!(NOT_AVAILABLE, Fill::Hatched { .. }));
        assert!(matches!(BOTTOM_CODED, Fill::Solid(_)) && matches!(UNKNOWN, Fill::Solid(_)));
        let specials = [SECRET, NOT_AVAILABLE, BOTTOM_CODED, UNKNOWN].map(fill_color);
        assert!(distinct(&specials));
        assert!(luminance(fill_color(NOT_AVAILABLE)) > luminance(fill_color(SECRET)));
        for s in Status::ALL {
            assert_eq!(special(s).is_some(), matches!(s, Status::Secret | Status::NotAvailable | Status::BottomCoded));
        }
    }
}
