//! The snapshot: a study territory's nine panels compared with the
//! territories the user picked, computed from the pack (never in
//! JavaScript).

mod build;
pub mod model;
mod panels;
pub mod sentences;

pub use build::build;
pub use model::*;
