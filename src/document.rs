//! A printable document: A4 pages of positioned scenes in reading order,
//! built by the core and written to PDF by the separate `pdf` wasm module
//! (loaded on first export, so the viewer stays small). The same scenes as
//! the screen: no second drawing code.

use serde::{Deserialize, Serialize};

use crate::scene::Scene;

/// A4 portrait in PDF points.
pub const A4_WIDTH_PT: f64 = 595.28;
pub const A4_HEIGHT_PT: f64 = 841.89;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Document title (PDF metadata and the viewer's window title).
    pub title: String,
    /// BCP 47 language tag, `fr-FR`.
    pub lang: String,
    /// Subject line for the metadata.
    pub subject: String,
    /// Creation date, `YYYY-MM-DD` (the page passes its own date: the core
    /// has no clock).
    pub date: String,
    pub pages: Vec<Page>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub width_pt: f64,
    pub height_pt: f64,
    /// In reading order.
    pub blocks: Vec<Block>,
}

/// A scene placed on a page: scene px × `scale` = points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub x_pt: f64,
    pub y_pt: f64,
    pub scale: f64,
    pub role: Role,
    pub scene: Scene,
}

/// What a block is in the document's structure (tagged PDF).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// Level-1 heading (the document's title).
    Title,
    /// Level-2 heading (a section: an infographic, a map, the methods).
    Heading,
    /// Running text (a comment, a method's explanation).
    Paragraph,
    /// A figure (infographic, map); `alt` is its text alternative.
    Figure { alt: String },
}
