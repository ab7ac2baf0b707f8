//! The design document (SPEC §2): what is saved. Session state (selection, viewport,
//! hover) never lives here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::element::Element;
use crate::ids::ElementId;
use crate::link::Link;
use crate::record::Fields;

/// A whole design. The envelope (`format`, `version`) is added and checked by [`crate::format`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Design {
    pub meta: Meta,
    pub governance: Governance,
    pub elements: Vec<Element>,
    pub links: Vec<Link>,
    pub suppressions: Vec<Suppression>,
    /// Monthly prices the authors entered where no price source has one (an ExpressRoute
    /// circuit, a provider's quote).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prices: Vec<CustomPrice>,
    /// Positions and sizes on the canvas; absent means "lay out automatically".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
    /// Fields this version does not know: kept and written back.
    #[serde(flatten)]
    pub extra: Fields,
}

impl Design {
    pub fn element(&self, id: &str) -> Option<&Element> {
        self.elements.iter().find(|element| element.id.as_str() == id)
    }

    pub fn link(&self, id: &str) -> Option<&Link> {
        self.links.iter().find(|link| link.id.as_str() == id)
    }

    /// The elements whose parent is `id`, in document order.
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements.iter().filter(move |element| element.parent.as_ref().is_some_and(|p| p.as_str() == id))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Meta {
    pub title: String,
    pub sensitivity: Sensitivity,
    /// The availability the workload must reach, in percent.
    pub sla_target: f64,
    /// ISO 4217 code the estimates are shown in.
    pub currency: String,
    #[serde(flatten)]
    pub extra: Fields,
}

impl Default for Meta {
    fn default() -> Self {
        Meta {
            title: String::new(),
            sensitivity: Sensitivity::High,
            sla_target: 99.9,
            currency: "USD".to_owned(),
            extra: Fields::new(),
        }
    }
}

/// How sensitive the workload is; Moat is made for `high`, the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Sensitivity {
    Standard,
    #[default]
    High,
}

/// Subscription-wide controls the guidance asks for (identity, policy, monitoring).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Governance {
    /// Least-privilege role assignments.
    pub rbac: bool,
    /// Privileged Identity Management for elevated roles.
    pub pim: bool,
    /// Azure Policy assignments.
    pub policy: bool,
    /// A blueprint or policy initiative, e.g. `iso27001`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blueprint: Option<String>,
    pub defender_for_servers: DefenderPlan,
    pub monitor: bool,
    pub sentinel: bool,
    pub entra_logs: bool,
    /// Log data sent to Log Analytics (and Sentinel) a day, in GB, for the estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_gb_per_day: Option<f64>,
    #[serde(flatten)]
    pub extra: Fields,
}

/// Microsoft Defender for Servers plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DefenderPlan {
    #[default]
    Off,
    P1,
    P2,
}

/// A finding the authors accepted, with their reason, kept in the file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Suppression {
    /// The rule id, e.g. `ISO-01`.
    pub rule: String,
    /// The element or link the finding is on.
    pub target: String,
    pub reason: String,
    #[serde(flatten)]
    pub extra: Fields,
}

/// A monthly price entered by the authors for an element or link.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CustomPrice {
    /// The element or link id.
    pub element: String,
    /// In the estimate's currency, per month.
    pub monthly: f64,
    /// Where the figure comes from (a quote, a contract).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(flatten)]
    pub extra: Fields,
}

/// Canvas geometry per element id.
pub type Layout = BTreeMap<ElementId, Rect>;

/// A box on the canvas, in canvas units; a child's box is in canvas coordinates too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rect {
    #[serde(with = "coordinate")]
    pub x: f64,
    #[serde(with = "coordinate")]
    pub y: f64,
    #[serde(with = "coordinate")]
    pub w: f64,
    #[serde(with = "coordinate")]
    pub h: f64,
}

impl Rect {
    pub fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

/// Whole coordinates are written as integers (`120`, not `120.0`), as people write them.
mod coordinate {
    use serde::{Deserialize, Deserializer, Serializer};

    const LARGEST_EXACT: f64 = 9_007_199_254_740_992.0;

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if value.fract() == 0.0 && value.abs() < LARGEST_EXACT {
            // Exact: the value is whole and within f64's integer range.
            serializer.serialize_i64(*value as i64)
        } else {
            serializer.serialize_f64(*value)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        f64::deserialize(deserializer)
    }
}
