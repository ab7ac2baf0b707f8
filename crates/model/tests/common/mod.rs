//! Helpers shared by the model's tests: one per concern.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use moat_model::Design;

pub fn fixture_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(relative)
}

pub fn fixture_text(relative: &str) -> String {
    let path = fixture_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Loads a fixture that must load.
pub fn design(relative: &str) -> Design {
    moat_model::load(&fixture_text(relative)).unwrap_or_else(|e| panic!("{relative}: {e}")).design
}

/// The example shipped with the app (a copy of shared/examples/n-tier.moat.json).
pub fn example() -> Design {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/examples/n-tier.moat.json");
    let text = std::fs::read_to_string(&path).unwrap();
    moat_model::load(&text).unwrap().design
}
