//! Exporters of [`crate::scene::Scene`] and the text metrics they share.

#[rustfmt::skip]
mod metrics;
pub mod patch;
pub mod svg;
pub mod text;
