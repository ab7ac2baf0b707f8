//! Rules of this area. Each rule is a `Rule` constant with its check function.

use super::Rule;

pub const RULES: &[&Rule] = &[];
