//! The pack builder: reads the raw public sources and writes one binary pack
//! (see `territoire::schema`) that the viewer loads in the browser.
//!
//! Pipeline: [`sources`] reads and fingerprints the raw files (every error
//! names file and line) → [`territories`] builds the territory list and
//! hierarchy → [`indicators`] builds the [`catalogue`]'s series, applying
//! the aggregation rules (counts sum, rates are Σnum/Σden, medians and
//! FILOSOFI rates are only taken from published rows) → [`geometry`]
//! projects the commune polygons to Lambert-93, builds shared arcs,
//! dissolves them into EPCI, départements and régions and simplifies them
//! per level of detail → [`build`] assembles and writes the pack.
//! [`export_json`] writes a built pack as GeoJSON and JSON for `make bench`'s
//! JavaScript side.

pub mod build;
pub mod catalogue;
pub mod error;
pub mod export_json;
pub mod geometry;
pub mod indicators;
pub mod sources;
pub mod territories;
pub mod typologies;

pub use error::{BuildError, Result};
