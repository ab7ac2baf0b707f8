//! The design document (SPEC §2): what is saved. Session state (selection, viewport,
//! hover) never lives here.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::element::{Element, ElementKind, ElementProps};
use crate::ids::ElementId;
use crate::link::Link;
use crate::record::Fields;

/// A whole design. The envelope (`format`, `version`) is added and checked by [`crate::format`].
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Design {
    pub meta: Meta,
    pub governance: Governance,
    /// Each element shared between versions of the design: an edit copies only the
    /// elements it changes (`Arc::make_mut`), so undo history and views keep the rest.
    pub elements: Vec<Arc<Element>>,
    pub links: Vec<Link>,
    pub suppressions: Vec<Suppression>,
    /// Monthly prices the authors entered where no price source has one (an ExpressRoute
    /// circuit, a provider's quote).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prices: Vec<CustomPrice>,
    /// The authors' figures for the usage-driven meters (GB processed, operations), by the
    /// names [`crate::cost::Assumption`] reads (`firewallGbPerMonth`, ...); a missing one takes
    /// its stated default. Kept as a plain object so names this version does not know stay.
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub usage: Fields,
    /// Positions and sizes on the canvas; absent means "lay out automatically".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
    /// Fields this version does not know: kept and written back.
    #[serde(flatten)]
    pub extra: Fields,
}

/// Whether two versions of an element are the same: at once when the versions of the design
/// share it (the same `Arc`), else by value.
pub fn same_element(a: &Arc<Element>, b: &Arc<Element>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// Two designs are equal when they hold the same content. Elements shared by the two (the same
/// `Arc`, as after an edit) are not compared: only what the edit touched is.
impl PartialEq for Design {
    fn eq(&self, other: &Design) -> bool {
        self.layout == other.layout && self.same_apart_from_layout(other)
    }
}

/// What each element is called where people read it (lists, tables, messages): its name, or
/// its name and id, `name (id)`, when another element has the same name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Labels(HashMap<String, String>);

impl Labels {
    pub fn of(design: &Design) -> Labels {
        // The names two elements or more share, sorted (searched by halves).
        let mut names: Vec<&str> = design.elements.iter().map(|e| e.display_name()).collect();
        crate::sorting::sort(&mut names);
        let mut shared: Vec<&str> = names.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
        shared.dedup();
        let label = |element: &Element| match element.display_name() {
            name if name != element.id.as_str() && shared.binary_search(&name).is_ok() => {
                format!("{name} ({})", element.id)
            }
            name => name.to_owned(),
        };
        Labels(design.elements.iter().map(|e| (e.id.0.clone(), label(e))).collect())
    }

    /// The label of element `id`; the id itself for no element.
    pub fn get<'a>(&'a self, id: &'a str) -> &'a str {
        self.0.get(id).map_or(id, String::as_str)
    }
}

impl Design {
    /// Whether the two designs differ at most in where things are drawn (a move): then
    /// what shows no positions (the inspector, the analyses) has nothing new to show.
    /// Elements shared by the two (the same `Arc`) are not compared.
    pub fn same_apart_from_layout(&self, other: &Design) -> bool {
        if std::ptr::eq(self, other) {
            return true;
        }
        let Design { meta, governance, elements, links, suppressions, prices, usage, layout: _, extra } = self;
        elements.len() == other.elements.len()
            && elements.iter().zip(&other.elements).all(|(a, b)| same_element(a, b))
            && links == &other.links
            && meta == &other.meta
            && governance == &other.governance
            && suppressions == &other.suppressions
            && prices == &other.prices
            && usage == &other.usage
            && extra == &other.extra
    }

    /// The element with this id (the first, if ids repeat). A linear search: code that looks
    /// up many ids builds an [`Index`] once with [`Design::index`].
    pub fn element(&self, id: &str) -> Option<&Element> {
        self.elements.iter().map(Arc::as_ref).find(|element| element.id.as_str() == id)
    }

    /// The subnets and VMs that the NSGs, route tables and ASGs among `ids` apply to: a subnet
    /// through its `nsg` or `routeTable`, a VM through its NIC's `nsg` or its `asgs`. Other
    /// ids are passed over; nothing applies when none of them names such an element.
    pub fn protected_by(&self, ids: &BTreeSet<String>) -> BTreeSet<String> {
        let protectors: BTreeSet<&str> = crate::sorting::set_of(
            self.elements
                .iter()
                .filter(|e| matches!(e.kind(), ElementKind::Nsg | ElementKind::RouteTable | ElementKind::Asg))
                .map(|e| e.id.as_str())
                .filter(|id| ids.contains(*id)),
        );
        if protectors.is_empty() {
            return BTreeSet::new();
        }
        let names = |id: &Option<ElementId>| id.as_ref().is_some_and(|id| protectors.contains(id.as_str()));
        crate::sorting::set_of(
            self.elements
                .iter()
                .filter(|e| match &e.props {
                    ElementProps::Subnet(subnet) => names(&subnet.nsg) || names(&subnet.route_table),
                    ElementProps::Vm(vm) => {
                        names(&vm.nsg) || vm.asgs.iter().any(|asg| protectors.contains(asg.as_str()))
                    }
                    _ => false,
                })
                .map(|e| e.id.0.clone()),
        )
    }

    /// The element `id` and every container it is in, by id (bounded: a malformed design may
    /// nest in a circle). A linear search per level, like [`Design::element`].
    pub fn with_containers<'a>(&'a self, id: &'a str) -> BTreeSet<&'a str> {
        let mut found = BTreeSet::from([id]);
        let mut at = self.element(id);
        while let Some(parent) = at.and_then(|e| e.parent.as_ref()) {
            if !found.insert(parent.as_str()) {
                break;
            }
            at = self.element(parent.as_str());
        }
        found
    }

    /// The link with this id (the first, if ids repeat). A linear search, like [`Design::element`].
    pub fn link(&self, id: &str) -> Option<&Link> {
        self.links.iter().find(|link| link.id.as_str() == id)
    }

    /// The elements whose parent is `id`, in document order. A linear search, like [`Design::element`].
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements
            .iter()
            .map(Arc::as_ref)
            .filter(move |element| element.parent.as_ref().is_some_and(|p| p.as_str() == id))
    }

    /// Lookups by id in constant time, for code that asks many (analyses, exports). The index
    /// borrows the design, so the design cannot change while it is in use: build one per
    /// analysis, never keep one across edits.
    pub fn index(&self) -> Index<'_> {
        Index::new(self)
    }
}

/// The elements and links of a design by id, and the children of each element: the answers
/// of [`Design::element`], [`Design::link`] and [`Design::children`] without their linear
/// searches. Built in one pass over the design (see [`Design::index`]).
#[derive(Clone, Debug)]
pub struct Index<'a> {
    elements: HashMap<&'a str, &'a Element>,
    links: HashMap<&'a str, &'a Link>,
    children: HashMap<&'a str, Vec<&'a Element>>,
}

impl<'a> Index<'a> {
    pub fn new(design: &'a Design) -> Self {
        let mut elements = HashMap::with_capacity(design.elements.len());
        let mut children: HashMap<&str, Vec<&Element>> = HashMap::new();
        for element in design.elements.iter().map(Arc::as_ref) {
            // The first of repeated ids wins, as in `Design::element`.
            elements.entry(element.id.as_str()).or_insert(element);
            if let Some(parent) = &element.parent {
                children.entry(parent.as_str()).or_default().push(element);
            }
        }
        let mut links = HashMap::with_capacity(design.links.len());
        for link in &design.links {
            links.entry(link.id.as_str()).or_insert(link);
        }
        Index { elements, links, children }
    }

    /// The element with this id (the first, if ids repeat).
    pub fn element(&self, id: &str) -> Option<&'a Element> {
        self.elements.get(id).copied()
    }

    /// The link with this id (the first, if ids repeat).
    pub fn link(&self, id: &str) -> Option<&'a Link> {
        self.links.get(id).copied()
    }

    /// The elements whose parent is `id`, in document order.
    pub fn children(&self, id: &str) -> &[&'a Element] {
        self.children.get(id).map_or(&[], Vec::as_slice)
    }

    /// The element's parent, when it exists.
    pub fn parent(&self, element: &Element) -> Option<&'a Element> {
        element.parent.as_ref().and_then(|p| self.element(p.as_str()))
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

    /// The smallest box that holds both.
    /// The part two boxes share, if any.
    pub fn intersection(&self, other: &Rect) -> Option<Rect> {
        let (x0, y0) = (self.x.max(other.x), self.y.max(other.y));
        let (x1, y1) = ((self.x + self.w).min(other.x + other.w), (self.y + self.h).min(other.y + other.h));
        (x1 > x0 && y1 > y0).then_some(Rect { x: x0, y: y0, w: x1 - x0, h: y1 - y0 })
    }

    pub fn union(&self, other: &Rect) -> Rect {
        let (x0, y0) = (self.x.min(other.x), self.y.min(other.y));
        let (x1, y1) = ((self.x + self.w).max(other.x + other.w), (self.y + self.h).max(other.y + other.h));
        Rect { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::element::ElementProps;
    use crate::ids::LinkId;
    use crate::link::LinkKind;

    fn element(id: &str, parent: Option<&str>, kind: crate::element::ElementKind) -> Arc<Element> {
        Element {
            id: ElementId::from(id),
            name: Some(format!("{id} {}", kind.as_str())),
            parent: parent.map(ElementId::from),
            props: ElementProps::default_for(kind),
            extra: Fields::new(),
        }
        .into()
    }

    /// The index answers as the linear searches do, repeated ids included.
    #[test]
    fn the_index_answers_as_the_searches() {
        use crate::element::ElementKind::{Subnet, Vm, Vnet};
        let design = Design {
            elements: vec![
                element("net", None, Vnet),
                element("a", Some("net"), Subnet),
                element("vm", Some("a"), Vm),
                element("a", Some("net"), Vm),
                element("b", Some("net"), Subnet),
            ],
            links: vec![
                Link::new(LinkId::from("l"), LinkKind::Peering, "net", "net"),
                Link::new(LinkId::from("l"), LinkKind::Flow, "vm", "a"),
            ],
            ..Design::default()
        };
        let index = design.index();
        for id in ["net", "a", "vm", "b", "missing"] {
            assert_eq!(index.element(id).map(std::ptr::from_ref), design.element(id).map(std::ptr::from_ref), "{id}");
            let children: Vec<_> = design.children(id).map(std::ptr::from_ref).collect();
            assert_eq!(index.children(id).iter().map(|e| std::ptr::from_ref(*e)).collect::<Vec<_>>(), children, "{id}");
        }
        assert_eq!(index.link("l").map(std::ptr::from_ref), design.link("l").map(std::ptr::from_ref));
        assert!(index.link("m").is_none());
        assert_eq!(index.parent(&design.elements[2]).map(|p| p.kind()), Some(Subnet));
        assert!(index.parent(&design.elements[0]).is_none());
    }
}
