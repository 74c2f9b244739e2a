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
pub mod crc;
pub mod decimal;
pub mod document;
pub mod export;
pub mod fnv;
pub mod format;
pub mod geometry;
pub mod infographic;
pub mod json;
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

/// Stable sorts through ONE instance of the standard library's sort: every
/// `sort_by` on another element type or with another closure adds its own
/// copy of driftsort (~3–4 KB of wasm each, ~40 KB in all before). Sorting
/// indices with a `dyn` comparison shares one; the cost is an indirect call
/// per comparison, nothing next to what the callers do with the result.
pub mod sort {
    use std::cmp::Ordering;

    /// Sorts `order` (stable) by `cmp` on its items.
    #[inline(never)]
    pub fn indices(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
        order.sort_by(|a, b| cmp(*a, *b));
    }

    /// Sorts `v` (stable) by `cmp`, as `v.sort_by(cmp)`.
    ///
    /// ```
    /// let mut v = vec![(2, "b"), (1, "z"), (2, "a"), (0, "c")];
    /// territoire::sort::by(&mut v, |x, y| x.0.cmp(&y.0));
    /// assert_eq!(v, [(0, "c"), (1, "z"), (2, "b"), (2, "a")]);
    /// ```
    pub fn by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
        let mut order: Vec<usize> = (0..v.len()).collect();
        indices(&mut order, &|a, b| cmp(&v[a], &v[b]));
        let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
        v.extend(order.into_iter().filter_map(|i| slots[i].take()));
    }
}
pub use schema::{IndicatorKind, Status, TerritoryKind, Unit};
