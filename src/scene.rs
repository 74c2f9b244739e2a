//! The renderer-neutral scene: what an infographic or a map looks like, as
//! shapes and text in a coordinate space of CSS pixels (y down). The SVG
//! exporter ([`crate::render::svg`]) writes it for the screen; the PDF
//! exporter will write the same scene, so screen and paper always agree.
//!
//! Text is positioned with metrics the core knows ([`crate::render::text`]),
//! never measured by a browser, so a layout is identical everywhere.

use serde::Serialize;

/// A drawing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    /// Accessible name (SVG `<title>`).
    pub title: String,
    /// Accessible description (SVG `<desc>`).
    pub description: String,
    pub items: Vec<Item>,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub const BLACK: Color = Color(0, 0, 0);
    pub const WHITE: Color = Color(255, 255, 255);

    /// `#rrggbb`
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stroke {
    pub color: Color,
    pub width: f64,
    /// Dash length (0: solid).
    pub dash: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A path command in absolute coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum PathCmd {
    MoveTo(f64, f64),
    LineTo(f64, f64),
    Close,
}

/// Fill of a closed shape: a colour, or hatching over a colour (secret and
/// missing values in maps, which must never look like the lowest class).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Fill {
    None,
    Solid(Color),
    Hatched {
        background: Color,
        lines: Color,
    },
    /// A colour letting what is under it show through (proportional
    /// circles over a choropleth); `opacity` in 0..=1.
    Translucent {
        color: Color,
        opacity: f64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    Rect {
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        fill: Fill,
        stroke: Option<Stroke>,
        /// Data identifier (e.g. `pauvrete/taux_pauvrete/epci:244400404`),
        /// kept in the output for tests, tooltips and hit-testing.
        id: Option<String>,
    },
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: Stroke,
    },
    Path {
        commands: Vec<PathCmd>,
        fill: Fill,
        stroke: Option<Stroke>,
        id: Option<String>,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        fill: Fill,
        stroke: Option<Stroke>,
        id: Option<String>,
    },
    /// One line of text; `y` is the baseline.
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        weight: Weight,
        anchor: Anchor,
        color: Color,
    },
    /// A group with an optional accessible label.
    Group {
        label: Option<String>,
        items: Vec<Item>,
    },
}
