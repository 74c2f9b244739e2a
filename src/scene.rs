//! The renderer-neutral scene: what an infographic or a map looks like, as
//! shapes and text in a coordinate space of CSS pixels (y down). The SVG
//! exporter ([`crate::render::svg`]) writes it for the screen; the PDF
//! exporter will write the same scene, so screen and paper always agree.
//!
//! Text is positioned with metrics the core knows ([`crate::render::text`]),
//! never measured by a browser, so a layout is identical everywhere.

use serde::{Deserialize, Serialize};

/// A drawing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub const BLACK: Color = Color(0, 0, 0);
    pub const WHITE: Color = Color(255, 255, 255);

    /// `#rrggbb`
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stroke {
    pub color: Color,
    pub width: f64,
    /// Dash length (0: solid).
    pub dash: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A path command in absolute coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum PathCmd {
    MoveTo(f64, f64),
    LineTo(f64, f64),
    Close,
}

/// Fill of a closed shape: a colour, or hatching over a colour (secret and
/// missing values in maps, which must never look like the lowest class).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// Room above a text's baseline and below it, in em: DejaVu Sans' ascent
/// (0.928) and descent (0.236), rounded up so accents and descenders are
/// inside.
const TEXT_ASCENT: f64 = 0.95;
const TEXT_DESCENT: f64 = 0.25;

impl Item {
    /// The item's vertical extent `(top, bottom)` (strokes included), or
    /// `None` for an empty group.
    pub fn vertical_extent(&self) -> Option<(f64, f64)> {
        let half = |s: &Option<Stroke>| s.map_or(0.0, |s| s.width / 2.0);
        match self {
            Item::Rect { y, height, stroke, .. } => {
                let (a, b) = if *height >= 0.0 { (*y, y + height) } else { (y + height, *y) };
                Some((a - half(stroke), b + half(stroke)))
            }
            Item::Line { y1, y2, stroke, .. } => {
                Some((y1.min(*y2) - stroke.width / 2.0, y1.max(*y2) + stroke.width / 2.0))
            }
            Item::Path { commands, stroke, .. } => {
                let ys = commands.iter().filter_map(|c| match c {
                    PathCmd::MoveTo(_, y) | PathCmd::LineTo(_, y) => Some(*y),
                    PathCmd::Close => None,
                });
                let (a, b) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
                (a <= b).then(|| (a - half(stroke), b + half(stroke)))
            }
            Item::Circle { cy, r, stroke, .. } => Some((cy - r - half(stroke), cy + r + half(stroke))),
            Item::Text { y, size, .. } => Some((y - size * TEXT_ASCENT, y + size * TEXT_DESCENT)),
            Item::Group { items, .. } => {
                items.iter().filter_map(Item::vertical_extent).reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
            }
        }
    }

    /// The item moved up by `dy`.
    fn shifted(&self, dy: f64) -> Item {
        let mut item = self.clone();
        match &mut item {
            Item::Rect { y, .. } | Item::Text { y, .. } => *y -= dy,
            Item::Line { y1, y2, .. } => {
                *y1 -= dy;
                *y2 -= dy;
            }
            Item::Path { commands, .. } => {
                for c in commands {
                    if let PathCmd::MoveTo(_, y) | PathCmd::LineTo(_, y) = c {
                        *y -= dy;
                    }
                }
            }
            Item::Circle { cy, .. } => *cy -= dy,
            Item::Group { items, .. } => *items = items.iter().map(|i| i.shifted(dy)).collect(),
        }
        item
    }

    /// What of the item belongs to the band `y0..y1`, moved up by `y0`.
    /// `last`: the band is the scene's last (it keeps what starts at `y1`).
    fn sliced(&self, y0: f64, y1: f64, last: bool) -> Option<Item> {
        let starts_in = |y: f64| y >= y0 && (y < y1 || (last && y <= y1));
        match self {
            // A text line is never cut: it goes, whole, to the band that
            // holds its baseline.
            Item::Text { y, .. } => starts_in(*y).then(|| self.shifted(y0)),
            Item::Group { label, items } => {
                let items: Vec<Item> = items.iter().filter_map(|i| i.sliced(y0, y1, last)).collect();
                (!items.is_empty()).then(|| Item::Group { label: label.clone(), items })
            }
            // Rectangles and lines are clipped to the band.
            Item::Rect { x, y, width, height, fill, stroke, id } => {
                let (top, bottom) = if *height >= 0.0 { (*y, y + height) } else { (y + height, *y) };
                if top == bottom {
                    return starts_in(top).then(|| self.shifted(y0));
                }
                let (a, b) = (top.max(y0), bottom.min(y1));
                if b <= a {
                    return None;
                }
                Some(Item::Rect {
                    x: *x,
                    y: a - y0,
                    width: *width,
                    height: b - a,
                    fill: *fill,
                    stroke: *stroke,
                    id: id.clone(),
                })
            }
            Item::Line { x1, y1: ly1, x2, y2: ly2, stroke } => {
                let (top, bottom) = (ly1.min(*ly2), ly1.max(*ly2));
                if top == bottom {
                    return starts_in(top).then(|| self.shifted(y0));
                }
                let (a, b) = (top.max(y0), bottom.min(y1));
                if b <= a {
                    return None;
                }
                // The segment's points at heights a and b.
                let at = |y: f64| x1 + (x2 - x1) * (y - ly1) / (ly2 - ly1);
                let (xa, xb) = (at(a), at(b));
                let (p, q) = if ly1 <= ly2 { ((xa, a), (xb, b)) } else { ((xb, b), (xa, a)) };
                Some(Item::Line { x1: p.0, y1: p.1 - y0, x2: q.0, y2: q.1 - y0, stroke: *stroke })
            }
            // Circles and paths are not cut either: they go to the band
            // that holds their top.
            Item::Circle { .. } | Item::Path { .. } => {
                let (top, _) = self.vertical_extent()?;
                starts_in(top).then(|| self.shifted(y0))
            }
        }
    }
}

impl Scene {
    /// The items within the horizontal band `y0..y1`, moved up by `y0`, as a
    /// scene `y1 - y0` high (same width, title and description).
    ///
    /// Successive bands share every item out exactly once: a text line, a
    /// circle or a path goes whole to the band holding its baseline (its
    /// top), rectangles and lines are clipped to each band they cross (a
    /// background is cut into one piece per band). Cut where no item
    /// straddles ([`Scene::gaps`]) and nothing overflows its band.
    pub fn slice(&self, y0: f64, y1: f64) -> Scene {
        let last = y1 >= self.height;
        Scene {
            width: self.width,
            height: (y1 - y0).max(0.0),
            title: self.title.clone(),
            description: self.description.clone(),
            items: self.items.iter().filter_map(|i| i.sliced(y0, y1, last)).collect(),
        }
    }

    /// The heights where the scene can be cut without cutting an item:
    /// bands `(from, to)`, top to bottom, that no item's extent crosses
    /// (`from == to` for items that just touch). With `whole_groups`, a
    /// top-level group counts as one item (cut between the blocks of a
    /// layout, never inside a chart); otherwise only leaf items count. A
    /// top-level rectangle covering the whole scene (its background) never
    /// stops a cut.
    pub fn gaps(&self, whole_groups: bool) -> Vec<(f64, f64)> {
        let mut extents: Vec<(f64, f64)> = Vec::new();
        fn leaves(item: &Item, out: &mut Vec<(f64, f64)>) {
            match item {
                Item::Group { items, .. } => items.iter().for_each(|i| leaves(i, out)),
                _ => out.extend(item.vertical_extent()),
            }
        }
        for item in &self.items {
            if let Item::Rect { x, y, width, height, .. } = item {
                if *x <= 0.0 && *y <= 0.0 && *width >= self.width && y + height >= self.height {
                    continue;
                }
            }
            if whole_groups {
                extents.extend(item.vertical_extent());
            } else {
                leaves(item, &mut extents);
            }
        }
        crate::sort::by(&mut extents, |a, b| a.0.total_cmp(&b.0));
        let mut gaps = Vec::new();
        let mut reach = 0.0f64;
        for (top, bottom) in extents {
            if top >= reach {
                gaps.push((reach, top));
            }
            reach = reach.max(bottom);
        }
        if reach <= self.height {
            gaps.push((reach, self.height));
        }
        gaps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(y: f64, s: &str) -> Item {
        Item::Text {
            x: 10.0,
            y,
            text: s.into(),
            size: 10.0,
            weight: Weight::Regular,
            anchor: Anchor::Start,
            color: Color::BLACK,
        }
    }

    fn rect(y: f64, h: f64) -> Item {
        Item::Rect { x: 0.0, y, width: 50.0, height: h, fill: Fill::Solid(Color::BLACK), stroke: None, id: None }
    }

    fn scene() -> Scene {
        Scene {
            width: 100.0,
            height: 100.0,
            title: "t".into(),
            description: "d".into(),
            items: vec![
                Item::Rect {
                    x: 0.0,
                    y: 0.0,
                    width: 100.0,
                    height: 100.0,
                    fill: Fill::Solid(Color::WHITE),
                    stroke: None,
                    id: None,
                },
                text(12.0, "a"),
                Item::Group {
                    label: Some("g".into()),
                    items: vec![rect(20.0, 10.0), text(45.0, "b"), rect(50.0, 20.0)],
                },
                text(90.0, "c"),
                Item::Circle { cx: 5.0, cy: 60.0, r: 2.0, fill: Fill::None, stroke: None, id: None },
            ],
        }
    }

    fn texts(s: &Scene) -> Vec<(String, f64)> {
        fn walk(items: &[Item], out: &mut Vec<(String, f64)>) {
            for i in items {
                match i {
                    Item::Text { text, y, .. } => out.push((text.clone(), *y)),
                    Item::Group { items, .. } => walk(items, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&s.items, &mut out);
        out
    }

    #[test]
    fn extents() {
        let s = scene();
        assert_eq!(s.items[1].vertical_extent(), Some((12.0 - 9.5, 12.0 + 2.5)));
        assert_eq!(s.items[2].vertical_extent(), Some((20.0, 70.0)));
        assert_eq!(Item::Group { label: None, items: vec![] }.vertical_extent(), None);
    }

    #[test]
    fn gaps_skip_the_background_and_respect_groups() {
        let s = scene();
        let whole = s.gaps(true);
        // a: 2.5..14.5, group: 20..70, circle: 58..62, c: 80.5..92.5
        assert_eq!(whole, vec![(0.0, 2.5), (14.5, 20.0), (70.0, 80.5), (92.5, 100.0)]);
        let leaves = s.gaps(false);
        assert!(leaves.contains(&(30.0, 35.5)), "{leaves:?}");
        assert!(leaves.contains(&(47.5, 50.0)), "{leaves:?}");
    }

    #[test]
    fn slices_share_every_text_once_and_shift() {
        let s = scene();
        let cuts = [0.0, 17.0, 40.0, 75.0, 100.0];
        let slices: Vec<Scene> = cuts.windows(2).map(|w| s.slice(w[0], w[1])).collect();
        let mut seen = Vec::new();
        for (w, sl) in cuts.windows(2).zip(&slices) {
            assert_eq!(sl.height, w[1] - w[0]);
            for (t, y) in texts(sl) {
                assert!((0.0..sl.height).contains(&y));
                seen.push((t, y + w[0]));
            }
        }
        assert_eq!(seen, texts(&s));
        // The background is cut into one piece per band.
        for sl in &slices {
            assert!(matches!(sl.items[0], Item::Rect { y, height, .. } if y == 0.0 && height == sl.height));
        }
        // The rectangle 50..70 is clipped to 50..75's band whole, the
        // circle (top 58) is in the third band, moved up.
        let third = &slices[2];
        assert!(third.items.iter().any(|i| matches!(i, Item::Circle { cy, .. } if *cy == 20.0)));
        // The group keeps its label where it has items.
        assert!(third.items.iter().any(|i| matches!(i, Item::Group { label: Some(l), .. } if l == "g")));
        assert!(!slices[3].items.iter().any(|i| matches!(i, Item::Group { .. })));
    }

    #[test]
    fn lines_are_clipped() {
        let s = Scene {
            width: 10.0,
            height: 100.0,
            title: String::new(),
            description: String::new(),
            items: vec![Item::Line {
                x1: 0.0,
                y1: 0.0,
                x2: 10.0,
                y2: 100.0,
                stroke: Stroke { color: Color::BLACK, width: 1.0, dash: 0.0 },
            }],
        };
        let b = s.slice(50.0, 100.0);
        assert_eq!(
            b.items,
            vec![Item::Line {
                x1: 5.0,
                y1: 0.0,
                x2: 10.0,
                y2: 50.0,
                stroke: Stroke { color: Color::BLACK, width: 1.0, dash: 0.0 }
            }]
        );
    }
}
