//! # territoire — the core of the territorial snapshot viewer
//!
//! The viewer runs entirely in the browser: the host page fetches one binary
//! *pack* (built offline by the `data-pack` crate from INSEE, CAF, DARES,
//! URSSAF and ANCT sources) and hands its bytes to this crate, compiled to
//! WebAssembly. The core touches no file and no network.
//!
//! Pipeline:
//! 1. [`schema`] defines the pack format once; the builder writes it, the
//!    viewer reads it.
//! 2. [`Pack::from_bytes`] checks the prefix (magic, format version, length,
//!    CRC-32), copies the archive once into a 16-aligned buffer and validates
//!    it; any fault is a readable [`PackError`], never a panic.
//! 3. [`Pack`] answers queries in place on the archive: territories by code
//!    or by name ([`search`]), indicator values by territory and year with
//!    their status, source and vintage ([`Observation`]).
//! 4. [`format`] writes figures the French way ("12,8 %", "24 950 €").
//! 5. [`snapshot`] computes a territory's nine panels against its
//!    comparison territories; [`infographic`] lays each panel out as a
//!    renderer-neutral [`scene`]; [`render`] exports scenes (SVG for the
//!    screen, with text measured by metrics the core knows).
//! 6. `wasm` (wasm32 only) is the thin `wasm-bindgen` layer the page calls.

pub mod classify;
pub mod document;
pub mod export;
pub mod format;
pub mod geometry;
pub mod infographic;
pub mod map;
pub mod pack;
pub mod render;
pub mod report;
pub mod scene;
pub mod schema;
pub mod search;
pub mod snapshot;
pub mod typology;

#[cfg(all(target_arch = "wasm32", feature = "viewer"))]
pub mod wasm;

pub use pack::{IndicatorRef, Observation, Pack, PackError, SourceRef, TerritoryRef};
pub use schema::{IndicatorKind, Status, TerritoryKind, Unit};
