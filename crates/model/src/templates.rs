//! Built-in templates: designs to start from. Each is a valid design; instantiating one
//! gives it a complete layout.

use crate::design::Design;
use crate::edit::pin_layout;
use crate::format;

/// A built-in template.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    /// The name used by `moat new` and in the editor's menu.
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    json: &'static str,
}

const TEMPLATES: &[Template] = &[Template {
    name: "n-tier",
    title: "Three-tier app in one region",
    description: "Web, business and data tiers across zones behind load balancers, NSGs with deny-all at 4096, \
                  Bastion, Key Vault with a key-encryption key, backup.",
    json: include_str!("../../../assets/examples/n-tier.moat.json"),
}];

/// Every built-in template, in menu order.
pub fn templates() -> &'static [Template] {
    TEMPLATES
}

/// A new design from the template `name`, laid out.
pub fn instantiate(name: &str) -> Option<Design> {
    let template = TEMPLATES.iter().find(|t| t.name == name)?;
    let mut design = format::load(template.json).ok()?.design;
    pin_layout(&mut design);
    Some(design)
}
