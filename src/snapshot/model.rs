//! What a snapshot is made of: plain data, computed from the pack by
//! [`super::build`], drawn by [`crate::infographic`] and shown as tables by
//! the page. Nothing here knows about pixels.

use serde::Serialize;

use crate::report::{Figure, TerritoryInfo};

/// The identity card of a study territory compared with others.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    pub study: TerritoryInfo,
    /// The comparison territories, in the user's order (at most
    /// [`MAX_COMPARISONS`]).
    pub comparisons: Vec<TerritoryInfo>,
    /// The nine panels, in [`PANEL_IDS`] order.
    pub panels: Vec<Panel>,
}

/// How many comparison territories a snapshot takes at most.
pub const MAX_COMPARISONS: usize = 5;

/// The nine infographics, in display order.
pub const PANEL_IDS: [&str; 9] =
    ["population", "ages", "menages", "jeunesse", "emploi", "logement", "revenus", "pauvrete", "prestations"];

/// One infographic's content.
#[derive(Debug, Clone, Serialize)]
pub struct Panel {
    /// One of [`PANEL_IDS`].
    pub id: String,
    /// 1 to 9.
    pub number: u8,
    /// "Population et territoire", "Âges"...
    pub title: String,
    /// Two to four figures of the study territory, shown in large type. A
    /// figure without a value shows its status wording ("non disponible",
    /// "secret statistique"...), never a zero.
    pub key_figures: Vec<KeyFigure>,
    /// The comparison chart(s) against the comparison territories.
    pub charts: Vec<Chart>,
    /// One or two reading sentences in plain French.
    pub sentences: Vec<String>,
    /// "Source : Insee, RP 2018", one per distinct source, sorted.
    pub sources: Vec<String>,
    /// Every figure of the panel as a table (screen readers, copy-paste,
    /// CSV).
    pub table: DataTable,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    /// Short label under the big figure ("Taux de pauvreté 2021").
    pub label: String,
    pub figure: Figure,
    /// A short comparison line ("+2,3 points par rapport à la
    /// Loire-Atlantique"), or empty.
    pub note: String,
}

/// A comparison chart; renderer-neutral.
// A panel holds one or two charts: the variants' size difference costs
// nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Chart {
    /// Grouped horizontal bars: for each category (an indicator), one bar
    /// per territory (study first).
    Bars {
        title: String,
        /// Unit key of every value ("%", "€", "hab."...).
        unit: String,
        categories: Vec<String>,
        /// `series[t].figures[c]` is territory `t`'s figure for category `c`.
        series: Vec<FigureSeries>,
    },
    /// Age pyramid: shares of the population (%) by sex and five-year
    /// band, the study territory as bars, one comparison as an outline.
    Pyramid {
        title: String,
        /// "0-4", "5-9"... "95+", youngest first.
        bands: Vec<String>,
        study: PyramidSide,
        comparison: Option<PyramidSide>,
        /// Figure behind the pyramid (year, source, status), for the
        /// "non disponible" case.
        status: Figure,
    },
    /// Values over the years, one line per territory.
    Lines { title: String, unit: String, years: Vec<u16>, series: Vec<FigureSeries> },
}

/// One territory's figures along a chart's categories or years.
#[derive(Debug, Clone, Serialize)]
pub struct FigureSeries {
    /// Territory name.
    pub name: String,
    /// True for the study territory (drawn in the accent colour).
    pub study: bool,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PyramidSide {
    pub name: String,
    /// % of the total population, one per band.
    pub men: Vec<f64>,
    pub women: Vec<f64>,
}

/// A plain table: what a screen reader reads and what CSV exports.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DataTable {
    pub caption: String,
    pub columns: Vec<String>,
    /// Cells as shown ("12,8 %", "secret statistique").
    pub rows: Vec<Vec<String>>,
}

impl DataTable {
    /// RFC 4180 CSV with `;` separators (what French spreadsheets expect),
    /// fields quoted when they hold `;`, `"` or a line break, and cells
    /// that a spreadsheet would run as formulas (`=`, `+`, `@`, or `-` not
    /// followed by a digit) prefixed with `'`.
    pub fn csv(&self) -> String {
        let rows = || std::iter::once(&self.columns).chain(self.rows.iter());
        // Written in place, sized once: every panel's table is exported.
        let size: usize = rows().map(|r| r.iter().map(|c| c.len() + 1).sum::<usize>() + 2).sum();
        let mut out = String::with_capacity(size + size / 16);
        for row in rows() {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    out.push(';');
                }
                push_csv_field(&mut out, cell);
            }
            out.push_str("\r\n");
        }
        out
    }
}

/// One CSV field appended to `out`: `'`-prefixed if a spreadsheet would
/// run it, quoted (with doubled quotes) if it holds `;`, `"` or a line
/// break (the `'` never does).
fn push_csv_field(out: &mut String, s: &str) {
    let defused = match s.chars().next() {
        Some('=' | '+' | '@') => true,
        // A negative number stays a number; "-cmd" does not.
        Some('-') => !s[1..].starts_with(|c: char| c.is_ascii_digit()),
        _ => false,
    };
    // Bytes, not chars: these are ASCII, which no byte of a multi-byte
    // character can be.
    let quoted = s.bytes().any(|b| matches!(b, b';' | b'"' | b'\n' | b'\r'));
    if quoted {
        out.push('"');
    }
    if defused {
        out.push('\'');
    }
    if quoted {
        for (i, part) in s.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses() {
        let t = DataTable {
            caption: "x".into(),
            columns: vec!["Territoire".into(), "Valeur".into()],
            rows: vec![
                vec!["Nantes; \"Métropole\"".into(), "12,8\u{a0}%".into()],
                vec!["=HYPERLINK(\"x\")".into(), "-15,3".into()],
                vec!["-cmd".into(), "ligne\nsuivante".into()],
            ],
        };
        assert_eq!(
            t.csv(),
            "Territoire;Valeur\r\n\"Nantes; \"\"Métropole\"\"\";12,8\u{a0}%\r\n\"'=HYPERLINK(\"\"x\"\")\";-15,3\r\n'-cmd;\"ligne\nsuivante\"\r\n"
        );
    }
}
