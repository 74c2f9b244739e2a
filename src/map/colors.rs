//! Colours of the map layers that do not depend on the data: text,
//! borders, outlines, circles. Class colours and the special entries come
//! from [`super::palette`].

use crate::scene::Color;

pub const INK: Color = Color(0x22, 0x22, 0x22);
pub const MUTED: Color = Color(0x59, 0x59, 0x59);
pub const RULE: Color = Color(0xbd, 0xbd, 0xbd);
/// Borders between the drawn territories.
pub const MESH: Color = Color(0xff, 0xff, 0xff);
pub const DEP_BORDER: Color = Color(0x55, 0x55, 0x55);
pub const REG_BORDER: Color = Color(0x1a, 0x1a, 0x1a);
/// The study territory's outline (and a lighter one for comparisons).
pub const STUDY: Color = Color(0x00, 0x00, 0x00);
pub const COMPARISON: Color = Color(0x1b, 0x3f, 0x6b);
/// Proportional circles.
pub const CIRCLE_FILL: Color = Color(0x3a, 0x3a, 0x3a);
pub const CIRCLE_STROKE: Color = Color(0xff, 0xff, 0xff);

pub fn darken(c: Color, by: f64) -> Color {
    let f = |v: u8| (v as f64 * (1.0 - by)).round().clamp(0.0, 255.0) as u8;
    Color(f(c.0), f(c.1), f(c.2))
}
