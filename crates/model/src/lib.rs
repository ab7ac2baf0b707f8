//! moat-model: the semantics of Moat, pure Rust with no web dependencies.
//!
//! - [`design`], [`element`], [`link`]: the design document of SPEC §2.
//! - [`format`]: reading (tolerantly) and writing design files, migrations.
//! - [`check`]: the structural check behind `moat check`.
//! - [`regions`]: Azure's public regions.
//! - [`layout`]: automatic layout of designs drawn without positions.

pub mod availability;
pub mod check;
pub mod compute;
pub mod cost;
pub mod design;
pub mod drawing;
pub mod edit;
pub mod element;
pub mod estimate;
pub mod export;
pub mod format;
pub mod generate;
pub mod history;
pub mod ids;
pub mod isolation;
pub mod layout;
pub mod link;
pub mod reach;
mod record;
pub mod regions;
pub mod rules;
pub mod schema;
pub mod share;
pub mod sorting;
pub mod tables;
pub mod templates;
pub mod tracked;
pub mod traffic;

pub use check::{Problem, check};
pub use design::{Design, Layout, Meta, Rect};
pub use element::{Element, ElementKind, ElementProps};
pub use format::{LoadError, Loaded, load, to_json};
pub use ids::{ElementId, LinkId};
pub use link::{Link, LinkKind, LinkProps};
