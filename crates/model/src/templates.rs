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
    /// The template's file, under `assets/`; the web app reads it from the same path of
    /// its site when the template is first shown or chosen.
    pub file: &'static str,
}

const TEMPLATES: &[Template] = &[
    Template {
        name: "n-tier",
        title: "Three-tier app in one region",
        description: "Web, business and data tiers across zones behind load balancers, NSGs with deny-all at 4096, \
                      Bastion, Key Vault with a key-encryption key, backup.",
        file: "examples/n-tier.moat.json",
    },
    Template {
        name: "hub-spoke-dmz",
        title: "Hub-spoke with DMZ and VPN over ExpressRoute",
        description: "A hub with a DMZ appliance pair, a zone-redundant Azure Firewall, VPN over ExpressRoute with VPN \
                      failover, Bastion and Key Vault, serving two forced-tunnelled application spokes.",
        file: "templates/hub-spoke-dmz.moat.json",
    },
    Template {
        name: "multi-region",
        title: "Multi-region hub-spoke in a region pair",
        description: "The hub-spoke design in West Europe and North Europe, globally peered through VPN appliances in \
                      both hubs, with SQL Server Always On replication and on-premises DNS failover.",
        file: "templates/multi-region.moat.json",
    },
    Template {
        name: "isolated-consolidated",
        title: "Tiers consolidated on isolated VM sizes",
        description: "The application tiers consolidated on isolated VM sizes spread over zones, with the DMZ reverse \
                      proxies on isolated VMs of their own.",
        file: "templates/isolated-consolidated.moat.json",
    },
    Template {
        name: "dedicated-host",
        title: "DMZ and application on separate dedicated hosts",
        description: "DMZ VMs and application VMs on separate dedicated hosts whose SKUs match the VM series, so a \
                      compromised DMZ VM shares no hardware with the application.",
        file: "templates/dedicated-host.moat.json",
    },
];

/// Every built-in template, in menu order.
pub fn templates() -> &'static [Template] {
    TEMPLATES
}

/// Each template's file and its text, built into the program for the command line. Apart
/// from [`TEMPLATES`] so that the web app, which reads the files from its site, does not
/// carry the texts; a test checks every template's file is here.
macro_rules! built_in {
    ($($file:literal),* $(,)?) => { &[$(($file, include_str!(concat!("../../../assets/", $file)))),*] };
}
const BUILT_IN: &[(&str, &str)] = built_in![
    "examples/n-tier.moat.json",
    "templates/hub-spoke-dmz.moat.json",
    "templates/multi-region.moat.json",
    "templates/isolated-consolidated.moat.json",
    "templates/dedicated-host.moat.json",
];

/// A new design from the template `name`, laid out.
pub fn instantiate(name: &str) -> Option<Design> {
    let template = TEMPLATES.iter().find(|t| t.name == name)?;
    let (_, text) = BUILT_IN.iter().find(|(file, _)| *file == template.file)?;
    from_text(text).ok()
}

/// A new design from the text of a template's file, laid out.
pub fn from_text(text: &str) -> Result<Design, String> {
    let mut design = format::load(text).map_err(|e| e.to_string())?.design;
    pin_layout(&mut design);
    Ok(design)
}
