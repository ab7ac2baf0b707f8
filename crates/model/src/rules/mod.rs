//! The rule catalogue (SPEC §4): what the design gets wrong, by the security guidance.
//!
//! One rule, one unit: each [`Rule`] has an id that never changes and is never reused, a
//! severity, a title, its rationale from the guidance, how to fix it, and a check that
//! returns the elements it fires on. Rules live in one file per area; [`catalogue`] is the
//! registry. Validation never fails: a half-drawn design gets findings, never an error.

/// A rule's rationale or fix. Builds without the `rule-docs` feature (the web app) leave the
/// text out and read it from the site's `i18n/rules.en.json`, which a test keeps equal to
/// the catalogue: the texts are a fifth of the app's download and are read only on demand.
macro_rules! doc {
    ($text:literal) => {
        if cfg!(feature = "rule-docs") { $text } else { "" }
    };
}

mod bak;
mod enc;
mod gov;
mod ha;
mod hyb;
pub mod i18n;
mod iso;
mod mgt;
mod mon;
mod net;
mod reg;
mod sarif;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::check::IMPLIED_INTERNET;
use crate::design::{Design, Index, Sensitivity, Suppression};
use crate::element::{Element, ElementKind, ElementProps, Region, Subnet, SubnetRole, Vm};
use crate::link::{FlowProtocol, Link, LinkKind};
use crate::reach::{Answer, Network};
use crate::regions::{RegionInfo, regions};
use crate::traffic::Traffic;

pub use sarif::sarif;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The part of the guidance a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    Availability,
    Network,
    Hybrid,
    Management,
    Isolation,
    Encryption,
    Backup,
    Region,
    Governance,
    Monitoring,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Availability => "availability",
            Area::Network => "network",
            Area::Hybrid => "hybrid",
            Area::Management => "management",
            Area::Isolation => "isolation",
            Area::Encryption => "encryption",
            Area::Backup => "backup",
            Area::Region => "region",
            Area::Governance => "governance",
            Area::Monitoring => "monitoring",
        }
    }
}

/// One rule of the catalogue.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable id, e.g. `NET-01`; never changed, never reused.
    pub id: &'static str,
    /// Severity for a design of `high` sensitivity.
    pub severity: Severity,
    /// Severity for a design of `standard` sensitivity, when lower.
    pub standard: Option<Severity>,
    pub area: Area,
    pub title: &'static str,
    /// Why, from the guidance.
    pub rationale: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// The elements (or links) the rule fires on, each with a message.
    pub check: fn(&Context) -> Vec<Hit>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).field("severity", &self.severity).finish()
    }
}

impl Rule {
    /// The severity that applies to a design of this sensitivity.
    pub fn severity_for(&self, sensitivity: Sensitivity) -> Severity {
        match sensitivity {
            Sensitivity::High => self.severity,
            Sensitivity::Standard => self.standard.unwrap_or(self.severity),
        }
    }
}

/// Where a rule fires, and what it says there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The element or link id.
    pub element: String,
    pub message: String,
}

impl Hit {
    pub fn new(element: impl Into<String>, message: impl Into<String>) -> Hit {
        Hit { element: element.into(), message: message.into() }
    }
}

/// A rule firing on an element.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub element: String,
    pub message: String,
}

/// A finding the authors accepted, with their reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SuppressedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// The result of validating a design (SPEC §3 `validate` JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<SuppressedFinding>,
    /// Counts of the findings that are not suppressed.
    pub summary: Summary,
}

impl Report {
    /// The findings on one element or link.
    pub fn on<'r>(&'r self, id: &'r str) -> impl Iterator<Item = &'r Finding> + 'r {
        self.findings.iter().filter(move |f| f.element == id)
    }
}

/// Every rule, in catalogue order.
pub fn catalogue() -> Vec<&'static Rule> {
    [
        ha::RULES,
        net::RULES,
        hyb::RULES,
        mgt::RULES,
        iso::RULES,
        enc::RULES,
        bak::RULES,
        reg::RULES,
        gov::RULES,
        mon::RULES,
    ]
    .into_iter()
    .flatten()
    .copied()
    .collect()
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    catalogue().into_iter().find(|r| r.id == id)
}

/// Runs every rule on the design. Never fails: a half-drawn design gets findings.
pub fn validate(design: &Design) -> Report {
    let context = Context::new(design);
    let mut report = Report::default();
    // The first suppression of each (rule, target).
    let mut suppressions: HashMap<(&str, &str), &Suppression> = HashMap::new();
    for s in &design.suppressions {
        suppressions.entry((s.rule.as_str(), s.target.as_str())).or_insert(s);
    }
    for rule in catalogue() {
        let severity = rule.severity_for(design.meta.sensitivity);
        for hit in (rule.check)(&context) {
            let finding = Finding { rule: rule.id.to_owned(), severity, element: hit.element, message: hit.message };
            let suppression = suppressions.get(&(finding.rule.as_str(), finding.element.as_str())).copied();
            match suppression {
                Some(s) => report.suppressed.push(SuppressedFinding { finding, reason: s.reason.clone() }),
                None => report.findings.push(finding),
            }
        }
    }
    for finding in &report.findings {
        match finding.severity {
            Severity::Error => report.summary.error += 1,
            Severity::Warning => report.summary.warning += 1,
            Severity::Info => report.summary.info += 1,
        }
    }
    report
}

/// The documentation page of a rule (`docs/rules/<ID>.md`), with an example: a design it
/// fires on and one it does not (from the rule's test fixtures).
pub fn doc_page(rule: &Rule, fires: &str, passes: &str) -> String {
    let standard = match rule.standard {
        Some(lower) => format!("{} for a design of `standard` sensitivity", lower.as_str()),
        None => "the same for a design of `standard` sensitivity".to_owned(),
    };
    format!(
        "# {id}: {title}\n\n\
         | | |\n|---|---|\n| Severity | {severity} ({standard}) |\n| Area | {area} |\n\n\
         ## Why\n\n{rationale}\n\n## How to fix\n\n{fix}\n\n\
         ## Example\n\n- Fires: {fires}\n- Stays silent: {passes}\n\n\
         Suppress a finding you accept with a written reason in the design's `suppressions` \
         (`{{ \"rule\": \"{id}\", \"target\": \"<element id>\", \"reason\": \"...\" }}`).\n",
        id = rule.id,
        title = rule.title,
        severity = rule.severity.as_str(),
        area = rule.area.as_str(),
        rationale = rule.rationale,
        fix = rule.fix,
    )
}

/// The index of the rule pages (`docs/rules/README.md`).
pub fn doc_index() -> String {
    let mut out = String::from(
        "# Rule catalogue\n\nEvery rule Moat checks, from Microsoft's guidance for sensitive IaaS workloads. \
         Generated from the catalogue in `crates/model/src/rules/` (a test keeps these pages in sync).\n\n\
         | id | severity | area | title |\n|---|---|---|---|\n",
    );
    for rule in catalogue() {
        out.push_str(&format!(
            "| [{id}]({id}.md) | {} | {} | {} |\n",
            rule.severity.as_str(),
            rule.area.as_str(),
            rule.title,
            id = rule.id
        ));
    }
    out
}

/// What rules see: the design, with the lookups they all need, and the reachability engine.
///
/// Every lookup is indexed (built once, or on first use), so that a rule asking about each
/// element stays linear in the size of the design. The context borrows the design: build one
/// per analysis.
pub struct Context<'a> {
    pub design: &'a Design,
    index: Index<'a>,
    network: Network<'a>,
    hubs: HashSet<&'a str>,
    vms_by_subnet: HashMap<&'a str, Vec<(&'a Element, &'a Vm)>>,
    vms_by_host: HashMap<&'a str, Vec<(&'a Element, &'a Vm)>>,
    fronts: HashMap<&'a str, Vec<&'a Element>>,
}

impl<'a> Context<'a> {
    pub fn new(design: &'a Design) -> Self {
        let mut context = Context {
            design,
            index: design.index(),
            network: Network::new(design),
            hubs: HashSet::new(),
            vms_by_subnet: HashMap::new(),
            vms_by_host: HashMap::new(),
            fronts: HashMap::new(),
        };
        let mut hubs = HashSet::new();
        let mut vms_by_subnet: HashMap<&str, Vec<_>> = HashMap::new();
        let mut vms_by_host: HashMap<&str, Vec<_>> = HashMap::new();
        let mut fronts: HashMap<&str, Vec<&Element>> = HashMap::new();
        for element in design.elements.iter().map(Arc::as_ref) {
            let backends = match &element.props {
                ElementProps::Vm(vm) => {
                    if let Some((subnet, _)) = context.subnet_of(element) {
                        vms_by_subnet.entry(subnet.id.as_str()).or_default().push((element, vm));
                    }
                    if let Some(host) = &vm.host {
                        vms_by_host.entry(host.as_str()).or_default().push((element, vm));
                    }
                    continue;
                }
                ElementProps::LoadBalancer(lb) => &lb.backends,
                ElementProps::AppGateway(agw) => &agw.backends,
                _ => {
                    // A hub holds a gateway, a firewall, an NVA or a DMZ subnet.
                    let hub_part = matches!(
                        element.kind(),
                        ElementKind::VpnGateway
                            | ElementKind::ExpressRouteGateway
                            | ElementKind::Firewall
                            | ElementKind::Nva
                    ) || element.props.as_subnet().is_some_and(|s| s.role == SubnetRole::Dmz);
                    if hub_part && let Some(vnet) = context.ancestor(element, ElementKind::Vnet) {
                        hubs.insert(vnet.id.as_str());
                    }
                    continue;
                }
            };
            for backend in backends {
                let list = fronts.entry(backend.as_str()).or_default();
                // An element listing a backend twice fronts it once.
                if !list.last().is_some_and(|last| std::ptr::eq(*last, element)) {
                    list.push(element);
                }
            }
        }
        context.hubs = hubs;
        context.vms_by_subnet = vms_by_subnet;
        context.vms_by_host = vms_by_host;
        context.fronts = fronts;
        context
    }

    pub fn element(&self, id: &str) -> Option<&'a Element> {
        self.index.element(id)
    }

    pub fn link(&self, id: &str) -> Option<&'a Link> {
        self.index.link(id)
    }

    /// The elements whose parent is `id`, in document order.
    pub fn children(&self, id: &str) -> &[&'a Element] {
        self.index.children(id)
    }

    /// The VM tiers in a subnet (by [`Context::subnet_of`]), in document order.
    pub fn vms_in(&self, subnet: &str) -> &[(&'a Element, &'a Vm)] {
        self.vms_by_subnet.get(subnet).map_or(&[], Vec::as_slice)
    }

    /// The VM tiers whose `host` is `host`, in document order.
    pub fn vms_on(&self, host: &str) -> &[(&'a Element, &'a Vm)] {
        self.vms_by_host.get(host).map_or(&[], Vec::as_slice)
    }

    /// The load balancers and application gateways listing `vm` as a backend, in document order.
    pub fn fronts_of(&self, vm: &str) -> &[&'a Element] {
        self.fronts.get(vm).map_or(&[], Vec::as_slice)
    }

    /// Elements of one kind, in document order.
    pub fn of_kind(&self, kind: ElementKind) -> impl Iterator<Item = &'a Element> + '_ {
        self.design.elements.iter().map(Arc::as_ref).filter(move |e| e.kind() == kind)
    }

    /// Every VM tier with its fields.
    pub fn vms(&self) -> impl Iterator<Item = (&'a Element, &'a Vm)> + '_ {
        self.design.elements.iter().map(Arc::as_ref).filter_map(|e| match &e.props {
            ElementProps::Vm(vm) => Some((e, vm)),
            _ => None,
        })
    }

    /// Every subnet with its fields.
    pub fn subnets(&self) -> impl Iterator<Item = (&'a Element, &'a Subnet)> + '_ {
        self.design.elements.iter().map(Arc::as_ref).filter_map(|e| e.props.as_subnet().map(|s| (e, s)))
    }

    /// Links of one kind, in document order.
    pub fn links(&self, kind: LinkKind) -> impl Iterator<Item = &'a Link> + '_ {
        self.design.links.iter().filter(move |l| l.kind() == kind)
    }

    pub fn parent(&self, element: &Element) -> Option<&'a Element> {
        element.parent.as_ref().and_then(|p| self.element(p.as_str()))
    }

    /// The subnet an element is in (or is).
    pub fn subnet_of(&self, element: &'a Element) -> Option<(&'a Element, &'a Subnet)> {
        let mut current = Some(element);
        for _ in 0..8 {
            let here = current?;
            if let Some(subnet) = here.props.as_subnet() {
                return Some((here, subnet));
            }
            current = self.parent(here);
        }
        None
    }

    /// The nearest ancestor (or the element itself) of a kind.
    pub fn ancestor(&self, element: &'a Element, kind: ElementKind) -> Option<&'a Element> {
        let mut current = Some(element);
        for _ in 0..8 {
            let here = current?;
            if here.kind() == kind {
                return Some(here);
            }
            current = self.parent(here);
        }
        None
    }

    /// The region an element is in, with its fields.
    pub fn region_of(&self, element: &'a Element) -> Option<(&'a Element, &'a Region)> {
        self.ancestor(element, ElementKind::Region).and_then(|r| match &r.props {
            ElementProps::Region(region) => Some((r, region)),
            _ => None,
        })
    }

    /// The region table's entry for a region element.
    pub fn region_info(&self, region: &Region) -> Option<&'static RegionInfo> {
        region.location.as_deref().and_then(|l| regions().get(l))
    }

    /// Whether a region has availability zones (its own field, else the region table).
    pub fn has_zones(&self, region: &Region) -> bool {
        region.zones.unwrap_or_else(|| self.region_info(region).is_some_and(|i| i.zones))
    }

    /// The region pair of a region (its own field, else the region table).
    pub fn paired_with(&self, region: &Region) -> Option<String> {
        region.paired_with.clone().or_else(|| self.region_info(region).and_then(|i| i.paired_with.clone()))
    }

    /// The tier of a VM: its own `tier`, else its subnet's role.
    pub fn tier(&self, vm_element: &'a Element) -> SubnetRole {
        match &vm_element.props {
            ElementProps::Vm(vm) => {
                vm.tier.unwrap_or_else(|| self.subnet_of(vm_element).map_or(SubnetRole::Other, |(_, s)| s.role))
            }
            _ => SubnetRole::Other,
        }
    }

    /// Whether a VNet is a hub: it holds a gateway, a firewall, an NVA or a DMZ subnet.
    pub fn is_hub(&self, vnet: &str) -> bool {
        self.hubs.contains(vnet)
    }

    /// The reachability engine over this design.
    pub(crate) fn network(&self) -> &Network<'a> {
        &self.network
    }

    /// VNets peered with `vnet`.
    pub fn peers(&self, vnet: &str) -> Vec<&'a str> {
        self.network.peers(vnet)
    }

    /// May traffic go from one endpoint to another? `None` when either is no endpoint.
    pub fn verify(&self, from: &str, to: &str, protocol: FlowProtocol, port: Option<u16>) -> Option<Answer> {
        self.network.verify(from, to, &Traffic::of(protocol, port)).ok()
    }

    /// Where a subnet sends traffic for an address or prefix (e.g. `0.0.0.0/0`).
    pub fn next_hop(&self, subnet: &str, address: &str) -> Option<crate::reach::NextHopAnswer> {
        self.network.next_hop(subnet, address).ok()
    }

    /// The id the internet goes by in this design (drawn or implied).
    pub fn internet(&self) -> String {
        self.of_kind(ElementKind::Internet).next().map_or_else(|| IMPLIED_INTERNET.to_owned(), |e| e.id.0.clone())
    }

    /// Whether the path of an answer passes a firewall or an NVA.
    pub fn through_appliance(&self, answer: &Answer) -> bool {
        answer
            .path
            .iter()
            .any(|id| self.element(id).is_some_and(|e| matches!(e.kind(), ElementKind::Firewall | ElementKind::Nva)))
    }
}
