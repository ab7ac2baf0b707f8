//! Availability estimate (SPEC §6): how much of a month the design's request path is up,
//! composed from the service levels Microsoft publishes (`assets/sla.json`).
//!
//! # What is on the request path
//!
//! A request comes in through an *entry* and walks the tiers:
//!
//! - **Entries.** Each on-premises site with hybrid links is an entry. Its connectivity is
//!   the chance that at least one of its links is up: an ExpressRoute link is its circuit and
//!   the ExpressRoute gateway in series; a `vpn` link is its VPN gateway (the internet under
//!   it has no SLA and counts as up); a VPN over ExpressRoute is the circuit, the ExpressRoute
//!   gateway and the VPN gateway in series (the tunnel adds encryption, not redundancy: the
//!   circuit under it is a way in by itself, as SPEC §2.2's failover pair takes it). Links that share a part (two tunnels on one VPN
//!   gateway) are composed exactly, so a shared gateway stays a single point of failure and
//!   ExpressRoute with VPN failover composes as `1 − (1 − a_ER)(1 − a_VPN)`. The internet is
//!   an entry when the design has a public endpoint; Traffic Manager and Front Door are on
//!   its path in series. With no entry drawn, the path starts at the first tier.
//! - **Tiers.** Every VM tier except management ones (Bastion, Key Vault and backup are not
//!   on the request path either), in the order DMZ → web → business → data → other. A tier
//!   counts with its placement SLA (≥ 2 instances over ≥ 2 zones of a zoned region 99.99%,
//!   ≥ 2 in an availability set or a dedicated host group 99.95%, otherwise one instance:
//!   99.9% / 99.5% / 95% by its weakest disk) times the load balancer or application gateway
//!   listing it as a backend (the weakest one when several do: a request passes one).
//! - **Appliances.** A firewall or NVA is on the path when the routes send request traffic
//!   to it: the first tier's subnets toward the entry (the site's address space; 0.0.0.0/0
//!   for internet users), the entry's gateway subnets toward the first tier, and each tier's
//!   subnet toward the next tier, following appliance after appliance.
//! - **Workloads.** The request path runs along the declared flows: tiers joined by `flow`
//!   (or `replication`) links, directly or through other tiers, are one workload, a chain of
//!   tiers that one request passes. Tiers no such link names make one more workload, all of
//!   them needed (nothing says which requests pass them). Each workload is composed on its
//!   own: two applications in two spokes are not one serial chain, since one's outage does
//!   not stop the other.
//! - **Regions.** Within a workload, regions whose VMs are joined by `replication` links fail
//!   over to each other: their stacks are alternatives (a region lacking a tier borrows it
//!   from the others). Regions without replication are all needed: their tiers count in
//!   series.
//!
//! Alternatives compose as `P(at least one path up)` over the parts they use (inclusion and
//! exclusion, exact when paths share parts), series as a product. The composite is the
//! availability of the worst-served workload from its worst-served entry. Components are
//! taken as independent, as SLA arithmetic does; downtime is per month of 730 hours.
//!
//! Routes are followed through one reachability network built per estimate, between tiers
//! of consecutive ranks within each workload: linear in the design when its workloads are
//! small (an application per spoke), quadratic in the tiers of one large workload (many
//! tiers and no flows drawn).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::design::Design;
use crate::element::{Element, ElementKind, ElementProps, SubnetRole, Vm};
use crate::link::LinkProps;
use crate::rules::Context;

/// Minutes in a month of 730 hours.
pub const MINUTES_PER_MONTH: f64 = 730.0 * 60.0;

// ---- the SLA table ----------------------------------------------------------------------

/// One published service level.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaEntry {
    /// The key the model looks it up by, e.g. `vm-multi-zone`.
    pub id: String,
    pub service: String,
    /// Monthly uptime, percent.
    pub sla: f64,
    /// When it applies.
    pub condition: String,
    /// Microsoft's SLA page.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub see_also: Option<String>,
    /// When the figure was checked (ISO date).
    pub checked: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The SLA table with where it came from.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SlaTable {
    pub description: String,
    pub services: Vec<SlaEntry>,
}

impl SlaTable {
    pub fn get(&self, id: &str) -> Option<&SlaEntry> {
        self.services.iter().find(|s| s.id == id)
    }
}

/// Every table entry the model looks up (each is checked by a test).
pub const USED_SLAS: &[&str] = &[
    VM_MULTI_ZONE,
    VM_AVAILABILITY_SET,
    VM_HOST_GROUP,
    VM_SINGLE_PREMIUM,
    VM_SINGLE_STANDARD_SSD,
    VM_SINGLE_STANDARD_HDD,
    FIREWALL_SINGLE_ZONE,
    FIREWALL_MULTI_ZONE,
    EXPRESSROUTE_CIRCUIT,
    EXPRESSROUTE_GATEWAY,
    VPN_GATEWAY_BASIC,
    VPN_GATEWAY,
    LOAD_BALANCER,
    APP_GATEWAY,
    BASTION,
    KEY_VAULT,
    TRAFFIC_MANAGER,
    FRONT_DOOR,
];

const VM_MULTI_ZONE: &str = "vm-multi-zone";
const VM_AVAILABILITY_SET: &str = "vm-availability-set";
const VM_HOST_GROUP: &str = "vm-dedicated-host-group";
const VM_SINGLE_PREMIUM: &str = "vm-single-premium";
const VM_SINGLE_STANDARD_SSD: &str = "vm-single-standard-ssd";
const VM_SINGLE_STANDARD_HDD: &str = "vm-single-standard-hdd";
const FIREWALL_SINGLE_ZONE: &str = "firewall-single-zone";
const FIREWALL_MULTI_ZONE: &str = "firewall-multi-zone";
const EXPRESSROUTE_CIRCUIT: &str = "expressroute-circuit";
const EXPRESSROUTE_GATEWAY: &str = "expressroute-gateway";
const VPN_GATEWAY_BASIC: &str = "vpn-gateway-basic";
const VPN_GATEWAY: &str = "vpn-gateway";
const LOAD_BALANCER: &str = "load-balancer-standard";
const APP_GATEWAY: &str = "app-gateway-v2";
const BASTION: &str = "bastion";
const KEY_VAULT: &str = "key-vault";
const TRAFFIC_MANAGER: &str = "traffic-manager";
const FRONT_DOOR: &str = "front-door";

static SLA_TABLE: OnceLock<SlaTable> = OnceLock::new();

/// The SLA table: built in, or read from the site (see [`crate::tables`]).
pub fn sla_table() -> &'static SlaTable {
    SLA_TABLE.get_or_init(|| crate::tables::built_in!("sla.json"))
}

/// Makes `text` (the content of `sla.json`) the table the estimate uses, unless one is in use
/// already; a table without every entry the model looks up is refused. See [`crate::tables`].
pub(crate) fn install_slas(text: &str) -> Result<(), String> {
    let table: SlaTable = crate::tracked::from_json(text)?;
    if let Some(missing) = USED_SLAS.iter().find(|id| table.get(id).is_none()) {
        return Err(format!("has no service level \"{missing}\""));
    }
    let _ = SLA_TABLE.set(table);
    Ok(())
}

fn entry(id: &str) -> &'static SlaEntry {
    sla_table().get(id).expect("every SLA the model uses is in assets/sla.json (tested)")
}

// ---- the estimate -------------------------------------------------------------------------

/// The availability estimate of a design (SPEC §3 `estimate` JSON, `availability`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    /// Percent: the worst-served workload's request path composed, seen from its worst-served entry.
    pub composite: f64,
    pub downtime_minutes_per_month: f64,
    /// `meta.slaTarget`, percent.
    pub target: f64,
    pub meets_target: bool,
    /// The part of that path with the lowest SLA (element or link id).
    pub weakest: Option<String>,
    /// Per VM tier, by element id.
    pub tiers: BTreeMap<String, TierAvailability>,
    /// Per entry (on-premises site, `internet`, or `design` when none is drawn), for the
    /// workload it serves worst.
    pub entries: Vec<EntryAvailability>,
    /// Per workload (tiers joined by declared flows or replication), from its worst-served entry.
    pub workloads: Vec<WorkloadAvailability>,
    /// Every priced-in service of the design with its SLA and source.
    pub services: Vec<ServiceSla>,
    /// The model in words.
    pub basis: Vec<String>,
}

/// How a tier's VMs are placed, which decides their SLA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Placement {
    Zones,
    AvailabilitySet,
    HostGroup,
    SingleInstance,
    NoInstances,
}

/// One VM tier.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TierAvailability {
    pub name: String,
    /// The VMs' SLA, percent.
    pub sla: f64,
    pub downtime_minutes_per_month: f64,
    pub placement: Placement,
    pub basis: String,
    /// The load balancer or application gateway in front, and its SLA.
    pub front: Option<String>,
    pub front_sla: Option<f64>,
    /// The tier with its front, percent.
    pub with_front: f64,
    /// The region element the tier is in.
    pub region: Option<String>,
    pub on_path: bool,
    pub source: String,
}

/// The path from one entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryAvailability {
    pub entry: String,
    pub name: String,
    /// The entry's links and gateways (or global services), percent.
    pub connectivity: f64,
    /// Appliances and tiers, percent.
    pub workload: f64,
    /// Both in series, percent.
    pub availability: f64,
    pub downtime_minutes_per_month: f64,
    /// The alternative ways in, each as the ids of its parts.
    pub connections: Vec<Vec<String>>,
    /// The alternative paths through that workload (one per choice of failover region).
    pub workloads: Vec<Vec<String>>,
}

/// One workload: VM tiers a request passes together.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadAvailability {
    /// Its VM tiers (element ids), in document order.
    pub tiers: Vec<String>,
    /// Percent, from its worst-served entry: that entry's connectivity and the workload in series.
    pub availability: f64,
    pub downtime_minutes_per_month: f64,
    /// The worst-served entry.
    pub entry: String,
    /// The alternative paths through it from that entry, each as the ids of its parts.
    pub paths: Vec<Vec<String>>,
}

/// A service with a published SLA.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSla {
    pub element: String,
    pub name: String,
    pub service: String,
    pub sla: f64,
    pub condition: String,
    pub source: String,
    pub on_path: bool,
}

/// The availability estimate of a design.
pub fn availability(design: &Design) -> Availability {
    availability_in(&Context::new(design))
}

/// The estimate over a prepared context (the rules share theirs).
pub(crate) fn availability_in(context: &Context) -> Availability {
    Estimate::new(context).run()
}

/// Percent, rounded to 6 decimals (what is reported, so that rules compare what users see).
fn percent(fraction: f64) -> f64 {
    (fraction * 100.0 * 1_000_000.0).round() / 1_000_000.0
}

fn downtime(fraction: f64) -> f64 {
    ((1.0 - fraction) * MINUTES_PER_MONTH * 100.0).round() / 100.0
}

/// A percent for messages: `99.99`, `95`, `99.94`; more decimals only where 4 would show 100.
pub fn show(percent: f64) -> String {
    let mut decimals = 4;
    let mut text = format!("{percent:.decimals$}");
    while percent < 100.0 && text.starts_with("100") && decimals < 8 {
        decimals += 1;
        text = format!("{percent:.decimals$}");
    }
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An address or a prefix, as `next_hop` reads one.
fn parse_address(text: &str) -> Option<IpNet> {
    text.parse::<std::net::IpAddr>().map(IpNet::from).or_else(|_| crate::check::parse_cidr(text)).ok()
}

/// The outcome with the lowest availability (the first of equals).
fn worst_of<'o, 'e>(outcomes: &'o [Outcome<'e>]) -> Option<&'o Outcome<'e>> {
    outcomes.iter().min_by(|a, b| a.total.total_cmp(&b.total))
}

/// `P(at least one path is up)`, each path up when all its parts are; exact by inclusion and
/// exclusion when paths share parts.
fn any_up(paths: &[BTreeSet<String>], parts: &HashMap<String, f64>) -> f64 {
    // A path containing another adds nothing: whenever it is up, so is the smaller one.
    let mut minimal: Vec<&BTreeSet<String>> = Vec::new();
    let mut sorted: Vec<&BTreeSet<String>> = paths.iter().collect();
    crate::sorting::sort_by_key(&mut sorted, |p| p.len());
    for path in sorted {
        if !minimal.iter().any(|m| m.is_subset(path)) {
            minimal.push(path);
        }
    }
    let up = |ids: &mut dyn Iterator<Item = &String>| ids.map(|id| parts.get(id).copied().unwrap_or(1.0)).product();
    match minimal.len() {
        0 => 0.0,
        // Inclusion and exclusion is exponential; beyond a dozen alternatives, take them as independent.
        n if n > 12 => 1.0 - minimal.iter().map(|p| 1.0 - up(&mut p.iter())).product::<f64>(),
        n => {
            let mut total = 0.0;
            for mask in 1u32..(1 << n) {
                let union = crate::sorting::distinct(
                    minimal.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).flat_map(|(_, path)| path.iter()),
                );
                let term: f64 = up(&mut union.into_iter());
                total += if mask.count_ones() % 2 == 1 { term } else { -term };
            }
            total
        }
    }
}

/// The weakest kind of disk of a single-instance VM decides its SLA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Disk {
    Unknown,
    StandardHdd,
    StandardSsd,
    Premium,
}

fn disk_class(sku: &str) -> Disk {
    let sku = sku.trim().to_ascii_lowercase();
    // Managed disk tiers: P (Premium SSD), E (Standard SSD), S (Standard HDD), then a size number.
    let numbered = |prefix: char| {
        sku.strip_prefix(prefix).and_then(|rest| rest.chars().next()).is_some_and(|c| c.is_ascii_digit())
    };
    if numbered('p') || sku.contains("premium") || sku.contains("ultra") {
        Disk::Premium
    } else if numbered('e') || sku.contains("standardssd") {
        Disk::StandardSsd
    } else if numbered('s') || sku.contains("standard") {
        Disk::StandardHdd
    } else {
        Disk::Unknown
    }
}

/// Where a tier comes on the request path; `None` for tiers off it.
fn rank(role: SubnetRole) -> Option<u8> {
    match role {
        SubnetRole::Dmz => Some(0),
        SubnetRole::Web => Some(1),
        SubnetRole::Business => Some(2),
        SubnetRole::Data => Some(3),
        SubnetRole::Other | SubnetRole::Firewall => Some(4),
        SubnetRole::Management | SubnetRole::Gateway | SubnetRole::Bastion => None,
    }
}

/// One way into the workload.
struct Entry {
    id: String,
    name: String,
    connections: Vec<BTreeSet<String>>,
    /// Where the entry's users are, as routes see them.
    destinations: Vec<String>,
    /// The subnets of the entry's gateways.
    gateway_subnets: Vec<String>,
}

/// What one entry sees of one workload.
struct Outcome<'e> {
    entry: &'e Entry,
    /// The index of the workload.
    workload: usize,
    connectivity: f64,
    /// The workload's availability, its alternative paths composed.
    up: f64,
    /// Connectivity and workload in series.
    total: f64,
    /// The alternative paths through the workload (one per choice of failover region).
    paths: Vec<BTreeSet<String>>,
}

/// Tiers a request passes together, with the failover groups of their regions.
struct Workload<'t, 'a> {
    tiers: Vec<&'t Tier<'a>>,
    groups: BTreeMap<usize, Vec<Option<String>>>,
    replicated: bool,
    /// Every way through it: the tiers of one region of each failover group.
    choices: Vec<Vec<&'t Tier<'a>>>,
}

/// Disjoint sets of indices (union by size, path halving).
struct DisjointSets {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets { parent: (0..n).collect(), size: vec![1; n] }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.root(a), self.root(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

struct Tier<'a> {
    element: &'a Element,
    rank: u8,
    region: Option<String>,
}

struct Estimate<'c, 'a> {
    context: &'c Context<'a>,
    /// Every part with its availability (a fraction).
    parts: HashMap<String, f64>,
}

impl<'c, 'a> Estimate<'c, 'a> {
    fn new(context: &'c Context<'a>) -> Self {
        Estimate { context, parts: HashMap::new() }
    }

    fn design(&self) -> &'a Design {
        self.context.design
    }

    fn name(&self, id: &str) -> String {
        self.context
            .element(id)
            .map(|e| e.display_name().to_owned())
            .or_else(|| self.context.link(id).map(|l| l.name.clone().unwrap_or_else(|| l.id.0.clone())))
            .unwrap_or_else(|| id.to_owned())
    }

    /// Whether an element's region has availability zones; unknown regions trust the design.
    fn zoned(&self, element: &'a Element) -> bool {
        self.context.region_of(element).is_none_or(|(_, region)| self.context.has_zones(region))
    }

    /// A key that is the same for region elements of one location.
    fn region_key(&self, element: &'a Element) -> Option<String> {
        self.context.region_of(element).map(|(r, region)| match &region.location {
            Some(location) => location.to_ascii_lowercase(),
            None => format!("#{}", r.id.as_str()),
        })
    }

    fn region_name(&self, key: &Option<String>) -> String {
        let Some(key) = key else { return "no region".to_owned() };
        self.context
            .of_kind(ElementKind::Region)
            .find(|r| self.region_key(r).as_deref() == Some(key.as_str()))
            .map_or_else(|| key.clone(), |r| r.display_name().to_owned())
    }

    /// The SLA of a VM tier's placement: (percent, placement, table entry, words).
    fn placement(&self, element: &'a Element, vm: &Vm) -> (f64, Placement, Option<&'static SlaEntry>, String) {
        if vm.count == 0 {
            return (0.0, Placement::NoInstances, None, "no instances (count 0)".to_owned());
        }
        let zones: Vec<u8> = crate::sorting::distinct(vm.zones.iter().copied());
        let on_host = vm
            .host
            .as_ref()
            .and_then(|h| self.context.element(h.as_str()))
            .is_some_and(|h| h.kind() == ElementKind::DedicatedHost);
        if vm.count >= 2 && zones.len() >= 2 && self.zoned(element) {
            let e = entry(VM_MULTI_ZONE);
            return (e.sla, Placement::Zones, Some(e), format!("{} instances over {} zones", vm.count, zones.len()));
        }
        if vm.count >= 2 && vm.availability_set {
            let e = entry(VM_AVAILABILITY_SET);
            return (
                e.sla,
                Placement::AvailabilitySet,
                Some(e),
                format!("{} instances in an availability set", vm.count),
            );
        }
        if vm.count >= 2 && on_host {
            let e = entry(VM_HOST_GROUP);
            return (e.sla, Placement::HostGroup, Some(e), format!("{} instances in a dedicated host group", vm.count));
        }
        let disks = std::iter::once(vm.os_disk.as_str())
            .chain(vm.data_disks.iter().filter(|d| d.count > 0).map(|d| d.sku.as_str()))
            .map(disk_class)
            .min()
            .unwrap_or(Disk::Premium);
        let (id, what) = match disks {
            Disk::Premium => (VM_SINGLE_PREMIUM, "Premium SSD disks"),
            Disk::StandardSsd => (VM_SINGLE_STANDARD_SSD, "a Standard SSD disk"),
            Disk::StandardHdd => (VM_SINGLE_STANDARD_HDD, "a Standard HDD disk"),
            Disk::Unknown => (VM_SINGLE_STANDARD_HDD, "a disk SKU Moat does not recognise (counted as Standard HDD)"),
        };
        let e = entry(id);
        let words = if vm.count >= 2 {
            format!(
                "{} instances without zones, availability set or host group get no multi-instance SLA: one instance with {what}",
                vm.count
            )
        } else {
            format!("a single instance with {what}")
        };
        (e.sla, Placement::SingleInstance, Some(e), words)
    }

    /// The SLA of a non-VM element or link with one, with its table entry and condition.
    fn service(&self, id: &str) -> Option<(f64, &'static SlaEntry, String)> {
        if let Some(link) = self.context.link(id) {
            return match &link.props {
                LinkProps::ExpressRoute(_) => {
                    let e = entry(EXPRESSROUTE_CIRCUIT);
                    Some((e.sla, e, e.condition.clone()))
                }
                _ => None,
            };
        }
        let element = self.context.element(id)?;
        let simple = |key: &str| {
            let e = entry(key);
            Some((e.sla, e, e.condition.clone()))
        };
        match &element.props {
            ElementProps::Firewall(fw) => {
                let zones: Vec<u8> = crate::sorting::distinct(fw.zones.iter().copied());
                simple(if zones.len() >= 2 && self.zoned(element) { FIREWALL_MULTI_ZONE } else { FIREWALL_SINGLE_ZONE })
            }
            ElementProps::Nva(nva) => {
                // An NVA is VMs running the vendor's image: the Virtual Machines SLA applies.
                let zones: Vec<u8> = crate::sorting::distinct(nva.zones.iter().copied());
                if nva.count == 0 {
                    let e = entry(VM_SINGLE_PREMIUM);
                    Some((0.0, e, "no instances (count 0)".to_owned()))
                } else if nva.count >= 2 && zones.len() >= 2 && self.zoned(element) {
                    simple(VM_MULTI_ZONE)
                } else if nva.count >= 2 {
                    let e = entry(VM_AVAILABILITY_SET);
                    Some((
                        e.sla,
                        e,
                        format!("{} (assumed: the instances are spread like an availability set)", e.condition),
                    ))
                } else {
                    let e = entry(VM_SINGLE_PREMIUM);
                    Some((e.sla, e, format!("{} (assumed)", e.condition)))
                }
            }
            ElementProps::VpnGateway(gw) => {
                simple(if gw.sku.eq_ignore_ascii_case("basic") { VPN_GATEWAY_BASIC } else { VPN_GATEWAY })
            }
            ElementProps::ExpressRouteGateway(_) => simple(EXPRESSROUTE_GATEWAY),
            ElementProps::LoadBalancer(_) => simple(LOAD_BALANCER),
            ElementProps::AppGateway(_) => simple(APP_GATEWAY),
            ElementProps::Bastion(_) => simple(BASTION),
            ElementProps::KeyVault(_) => simple(KEY_VAULT),
            ElementProps::TrafficManager(_) => simple(TRAFFIC_MANAGER),
            ElementProps::FrontDoor(_) => simple(FRONT_DOOR),
            _ => None,
        }
    }

    /// Registers a part of a path by its id; `false` when it has no SLA (nothing to count).
    fn part(&mut self, id: &str) -> bool {
        if self.parts.contains_key(id) {
            return true;
        }
        match self.service(id) {
            Some((sla, _, _)) => {
                self.parts.insert(id.to_owned(), sla / 100.0);
                true
            }
            None => false,
        }
    }

    /// The front (load balancer or application gateway) of a VM tier: the weakest listing it.
    fn front(&self, vm: &str) -> Option<(String, f64)> {
        self.context
            .fronts_of(vm)
            .iter()
            .filter_map(|e| self.service(e.id.as_str()).map(|(sla, _, _)| (e.id.0.clone(), sla)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The ways in: on-premises sites with hybrid links, the internet when a public endpoint
    /// exists, else the design itself.
    fn entries(&mut self) -> Vec<Entry> {
        let design = self.design();
        let mut entries = Vec::new();
        for site in self.context.of_kind(ElementKind::OnPremises) {
            let mut connections = Vec::new();
            let mut gateways = Vec::new();
            for link in design.links.iter().filter(|l| l.from.as_str() == site.id.as_str()) {
                let gateway = link.to.as_str();
                let connection: Option<BTreeSet<String>> = match &link.props {
                    LinkProps::ExpressRoute(_) if self.is(gateway, ElementKind::ExpressRouteGateway) => {
                        Some(crate::sorting::set_of([link.id.0.clone(), gateway.to_owned()]))
                    }
                    LinkProps::Vpn(vpn) if self.is(gateway, ElementKind::VpnGateway) => {
                        let mut parts: BTreeSet<String> = crate::sorting::set_of([gateway.to_owned()]);
                        // IPsec over the private circuit: the circuit and its gateway carry the tunnel.
                        if let Some(er) = vpn.over_express_route.as_ref().and_then(|id| self.context.link(id.as_str()))
                            && matches!(er.props, LinkProps::ExpressRoute(_))
                            && self.is(er.to.as_str(), ElementKind::ExpressRouteGateway)
                        {
                            parts.insert(er.id.0.clone());
                            parts.insert(er.to.0.clone());
                            gateways.push(er.to.0.clone());
                        }
                        Some(parts)
                    }
                    _ => None,
                };
                if let Some(connection) = connection {
                    gateways.push(gateway.to_owned());
                    for id in &connection {
                        self.part(id);
                    }
                    connections.push(connection);
                }
            }
            if connections.is_empty() {
                continue;
            }
            let destinations = match &site.props {
                ElementProps::OnPremises(o) => o.address_space.clone(),
                _ => Vec::new(),
            };
            let gateway_subnets = crate::sorting::set_of(
                gateways
                    .iter()
                    .filter_map(|g| self.context.element(g))
                    .filter_map(|g| self.context.subnet_of(g))
                    .map(|(s, _)| s.id.0.clone()),
            )
            .into_iter()
            .collect();
            entries.push(Entry {
                id: site.id.0.clone(),
                name: site.display_name().to_owned(),
                connections,
                destinations,
                gateway_subnets,
            });
        }
        let public = design.elements.iter().any(|e| match &e.props {
            ElementProps::Vm(vm) => vm.public_ip,
            ElementProps::LoadBalancer(lb) => lb.public,
            ElementProps::AppGateway(agw) => agw.public,
            ElementProps::TrafficManager(_) | ElementProps::FrontDoor(_) => true,
            _ => false,
        });
        if public {
            let global: BTreeSet<String> = crate::sorting::set_of(
                design
                    .elements
                    .iter()
                    .filter(|e| matches!(e.kind(), ElementKind::TrafficManager | ElementKind::FrontDoor))
                    .map(|e| e.id.0.clone()),
            );
            for id in &global {
                self.part(id);
            }
            entries.push(Entry {
                id: self.context.internet(),
                name: "the internet".to_owned(),
                connections: vec![global],
                destinations: vec!["0.0.0.0/0".to_owned()],
                gateway_subnets: Vec::new(),
            });
        }
        if entries.is_empty() {
            entries.push(Entry {
                id: "design".to_owned(),
                name: "inside Azure (no entry drawn)".to_owned(),
                connections: vec![BTreeSet::new()],
                destinations: Vec::new(),
                gateway_subnets: Vec::new(),
            });
        }
        entries
    }

    fn is(&self, id: &str, kind: ElementKind) -> bool {
        self.context.element(id).is_some_and(|e| e.kind() == kind)
    }

    /// Where a tier's VMs are addressed: their private IP, else their subnet.
    fn address(&self, tier: &'a Element) -> Option<String> {
        if let ElementProps::Vm(vm) = &tier.props
            && let Some(ip) = &vm.private_ip
        {
            return Some(ip.clone());
        }
        self.context.subnet_of(tier).and_then(|(_, s)| s.prefix.clone())
    }

    /// The appliances on the request path of one entry through these tiers: those the routes
    /// send a packet through, appliance after appliance (a few hops are enough for chained
    /// appliances; the bound also stops routing loops), from the first tiers' subnets toward
    /// the entry, from the entry's gateway subnets toward the first tiers, and from each tier's
    /// subnet toward the tiers of the next rank.
    fn appliances(&self, entry: &Entry, tiers: &[&Tier<'a>]) -> BTreeSet<String> {
        const HOPS: usize = 4;
        let network = self.context.network();
        let mut found: Vec<&'a Element> = Vec::new();
        let mut add = |chain: &[&'a Element]| {
            for appliance in chain {
                if !found.iter().any(|f| f.id == appliance.id) {
                    found.push(appliance);
                }
            }
        };
        let follow = |subnet: &str, destination: &IpNet| -> Vec<&'a Element> {
            let first = network.subnet_routes(subnet).and_then(|routes| network.appliance_hop(&routes, destination));
            first.map(|first| network.appliances_from(first, destination, HOPS)).unwrap_or_default()
        };
        let Some(first_rank) = tiers.iter().map(|t| t.rank).min() else { return BTreeSet::new() };
        let subnet = |t: &Tier<'a>| self.context.subnet_of(t.element).map(|(s, _)| s.id.as_str());
        let address = |t: &Tier<'a>| self.address(t.element).and_then(|a| parse_address(&a));
        let destinations: Vec<IpNet> = entry.destinations.iter().filter_map(|d| parse_address(d)).collect();
        for tier in tiers.iter().filter(|t| t.rank == first_rank) {
            if let Some(s) = subnet(tier) {
                for destination in &destinations {
                    add(&follow(s, destination));
                }
            }
            if let Some(address) = address(tier) {
                for gateway_subnet in &entry.gateway_subnets {
                    add(&follow(gateway_subnet, &address));
                }
            }
        }
        let ranks: Vec<u8> = crate::sorting::distinct(tiers.iter().map(|t| t.rank));
        for pair in ranks.windows(2) {
            let targets: Vec<IpNet> = tiers.iter().filter(|t| t.rank == pair[1]).filter_map(|t| address(t)).collect();
            // What follows the first appliance depends only on it and the target: worked out once
            // per (appliance, target), not once per source subnet.
            let mut chains: Vec<Vec<(&'a Element, Vec<&'a Element>)>> = vec![Vec::new(); targets.len()];
            for from in tiers.iter().filter(|t| t.rank == pair[0]) {
                let Some(routes) = subnet(from).and_then(|s| network.subnet_routes(s)) else { continue };
                for (k, target) in targets.iter().enumerate() {
                    let Some(first) = network.appliance_hop(&routes, target) else { continue };
                    match chains[k].iter().find(|(f, _)| std::ptr::eq(*f, first)) {
                        Some((_, chain)) => add(chain),
                        None => {
                            let chain = network.appliances_from(first, target, HOPS);
                            add(&chain);
                            chains[k].push((first, chain));
                        }
                    }
                }
            }
        }
        crate::sorting::set_of(found.into_iter().map(|a| a.id.0.clone()))
    }

    /// The workloads: tiers joined by declared `flow` or `replication` links, each group with
    /// every tier such links reach from it; the tiers no such link names make one more workload
    /// (nothing says which requests pass them, so all are taken as needed). In document order
    /// of their first tier; one empty workload when no tier is on the path.
    fn workloads<'t>(&self, path_tiers: &'t [Tier<'a>]) -> Vec<Vec<&'t Tier<'a>>> {
        let mut first: HashMap<&str, usize> = HashMap::new();
        let mut sets = DisjointSets::new(path_tiers.len());
        for (i, tier) in path_tiers.iter().enumerate() {
            // Elements that share an id are one tier to every link.
            match first.get(tier.element.id.as_str()) {
                Some(&j) => sets.join(i, j),
                None => {
                    first.insert(tier.element.id.as_str(), i);
                }
            }
        }
        let mut declared: HashSet<usize> = HashSet::new();
        for link in &self.design().links {
            if !matches!(link.props, LinkProps::Flow(_) | LinkProps::Replication(_)) {
                continue;
            }
            let (a, b) = (first.get(link.from.as_str()).copied(), first.get(link.to.as_str()).copied());
            declared.extend(a.into_iter().chain(b));
            if let (Some(a), Some(b)) = (a, b) {
                sets.join(a, b);
            }
        }
        let mut undeclared = None;
        for (i, tier) in path_tiers.iter().enumerate() {
            if !declared.contains(&first[tier.element.id.as_str()]) {
                let u = *undeclared.get_or_insert(i);
                sets.join(i, u);
            }
        }
        let mut groups: Vec<Vec<&Tier<'a>>> = Vec::new();
        let mut group_of_root: HashMap<usize, usize> = HashMap::new();
        for (i, tier) in path_tiers.iter().enumerate() {
            let index = *group_of_root.entry(sets.root(i)).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[index].push(tier);
        }
        if groups.is_empty() {
            groups.push(Vec::new());
        }
        groups
    }

    /// The failover groups of a workload's regions (regions joined by replication links between
    /// their VMs), and whether any replication joins two of them.
    fn failover_groups(
        &self,
        tiers: &[&Tier<'a>],
        replications: &[(String, String)],
    ) -> (BTreeMap<usize, Vec<Option<String>>>, bool) {
        let region_keys: Vec<Option<String>> = crate::sorting::distinct(tiers.iter().map(|t| t.region.clone()));
        // The group of each region key, by its position in `region_keys`.
        let mut group_of: Vec<usize> = (0..region_keys.len()).collect();
        let position = |key: &str| region_keys.binary_search_by(|k| k.as_deref().cmp(&Some(key))).ok();
        let mut replicated = false;
        for (ka, kb) in replications {
            let (Some(a), Some(b)) = (position(ka), position(kb)) else {
                continue;
            };
            let (ga, gb) = (group_of[a], group_of[b]);
            if ga != gb {
                replicated = true;
                for g in &mut group_of {
                    if *g == gb {
                        *g = ga;
                    }
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<Option<String>>> = BTreeMap::new();
        for (key, g) in region_keys.iter().zip(&group_of) {
            groups.entry(*g).or_default().push(key.clone());
        }
        (groups, replicated)
    }

    fn run(mut self) -> Availability {
        let context = self.context;
        let design = self.design();

        // Tiers, each with its placement and front.
        let mut tiers = BTreeMap::new();
        let mut path_tiers: Vec<Tier<'a>> = Vec::new();
        for (element, vm) in context.vms() {
            let id = element.id.0.clone();
            let (sla, placement, table, basis) = self.placement(element, vm);
            let front = self.front(&id);
            let mut with_front = sla / 100.0;
            if let Some((front_id, front_sla)) = &front {
                with_front *= front_sla / 100.0;
                self.part(front_id);
            }
            self.parts.insert(id.clone(), sla / 100.0);
            let tier_rank = rank(context.tier(element));
            if let Some(r) = tier_rank {
                path_tiers.push(Tier { element, rank: r, region: self.region_key(element) });
            }
            tiers.entry(id).or_insert(TierAvailability {
                name: element.display_name().to_owned(),
                sla,
                downtime_minutes_per_month: downtime(sla / 100.0),
                placement,
                basis,
                front_sla: front.as_ref().map(|f| f.1),
                front: front.map(|f| f.0),
                with_front: percent(with_front),
                region: context.region_of(element).map(|(r, _)| r.id.0.clone()),
                on_path: false,
                source: table.map_or_else(String::new, |t| t.source.clone()),
            });
        }

        // Replication links as pairs of region keys, in link order, each pair once.
        let mut replications: Vec<(String, String)> = Vec::new();
        let mut seen_pairs: HashSet<(String, String)> = HashSet::new();
        for link in &design.links {
            if !matches!(link.props, LinkProps::Replication(_)) {
                continue;
            }
            let ends = (context.element(link.from.as_str()), context.element(link.to.as_str()));
            let (Some(a), Some(b)) = ends else { continue };
            let (Some(ka), Some(kb)) = (self.region_key(a), self.region_key(b)) else { continue };
            if seen_pairs.insert((ka.clone(), kb.clone())) {
                replications.push((ka, kb));
            }
        }

        let workloads: Vec<Workload<'_, 'a>> = self
            .workloads(&path_tiers)
            .into_iter()
            .map(|members| {
                let (groups, replicated) = self.failover_groups(&members, &replications);
                // The tiers each choice of region uses: a region lacking a tier borrows it from its group.
                let stack = |region: &Option<String>, regions: &[Option<String>]| -> Vec<&Tier<'a>> {
                    let in_group: Vec<&Tier<'a>> =
                        members.iter().copied().filter(|t| regions.contains(&t.region)).collect();
                    let own: Vec<&Tier<'a>> = in_group.iter().copied().filter(|t| &t.region == region).collect();
                    let own_ranks: Vec<u8> = crate::sorting::distinct(own.iter().map(|t| t.rank));
                    let mut out = own;
                    out.extend(
                        in_group.iter().copied().filter(|t| &t.region != region && !own_ranks.contains(&t.rank)),
                    );
                    out
                };
                // Every way through the workload: one region of each group.
                let mut choices: Vec<Vec<&Tier<'a>>> = vec![Vec::new()];
                for regions in groups.values() {
                    let mut next = Vec::new();
                    for choice in &choices {
                        for region in regions {
                            let mut combined = choice.clone();
                            combined.extend(stack(region, regions));
                            next.push(combined);
                        }
                    }
                    choices = next;
                }
                Workload { tiers: members, groups, replicated, choices }
            })
            .collect();

        let entries = self.entries();
        let mut on_path: BTreeSet<String> = BTreeSet::new();
        // Per entry, what each workload sees from it.
        let mut results: Vec<Vec<Outcome>> = Vec::new();
        for entry in &entries {
            let connectivity = any_up(&entry.connections, &self.parts);
            for id in entry.connections.iter().flatten() {
                on_path.insert(id.clone());
            }
            let mut seen = Vec::new();
            for (index, workload) in workloads.iter().enumerate() {
                let mut paths: Vec<BTreeSet<String>> = Vec::new();
                for choice in &workload.choices {
                    let mut parts: BTreeSet<String> = BTreeSet::new();
                    for tier in choice {
                        parts.insert(tier.element.id.0.clone());
                        if let Some(front) = tiers.get(tier.element.id.as_str()).and_then(|t| t.front.clone()) {
                            parts.insert(front);
                        }
                    }
                    for appliance in self.appliances(entry, choice) {
                        if self.part(&appliance) {
                            parts.insert(appliance);
                        }
                    }
                    paths.push(parts);
                }
                let up = any_up(&paths, &self.parts);
                for id in paths.iter().flatten() {
                    on_path.insert(id.clone());
                }
                seen.push(Outcome { entry, workload: index, connectivity, up, total: connectivity * up, paths });
            }
            results.push(seen);
        }

        let worst = results.iter().filter_map(|seen| worst_of(seen)).min_by(|a, b| a.total.total_cmp(&b.total));
        let composite = worst.map_or(1.0, |w| w.total);
        let weakest = worst.and_then(|w| {
            let parts: Vec<&String> = crate::sorting::distinct(w.entry.connections.iter().chain(&w.paths).flatten());
            parts
                .into_iter()
                .filter_map(|id| self.parts.get(id).map(|a| (id.clone(), *a)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|w| w.0)
        });
        for (id, tier) in tiers.iter_mut() {
            tier.on_path = on_path.contains(id);
        }

        // Every element or link with a published SLA, in document order.
        let services: Vec<ServiceSla> = design
            .elements
            .iter()
            .map(|e| e.id.0.clone())
            .chain(design.links.iter().map(|l| l.id.0.clone()))
            .filter_map(|id| {
                let (sla, table, condition) = self.service(&id)?;
                let nva = self.context.element(&id).is_some_and(|e| e.kind() == ElementKind::Nva);
                Some(ServiceSla {
                    name: self.name(&id),
                    service: if nva {
                        format!("Network virtual appliance ({})", table.service)
                    } else {
                        table.service.clone()
                    },
                    sla,
                    condition,
                    source: table.source.clone(),
                    on_path: on_path.contains(&id),
                    element: id,
                })
            })
            .collect();

        let basis = self.basis(&results, &workloads, &tiers);
        let target = design.meta.sla_target;
        let composite_percent = percent(composite);
        let workload_results = workloads
            .iter()
            .enumerate()
            .filter(|(_, workload)| !workload.tiers.is_empty())
            .filter_map(|(index, workload)| {
                // Each entry saw every workload, in order.
                let seen = results.iter().filter_map(|r| r.get(index));
                let worst = seen.min_by(|a, b| a.total.total_cmp(&b.total))?;
                Some(WorkloadAvailability {
                    tiers: workload.tiers.iter().map(|t| t.element.id.0.clone()).collect(),
                    availability: percent(worst.total),
                    downtime_minutes_per_month: downtime(worst.total),
                    entry: worst.entry.id.clone(),
                    paths: worst.paths.iter().map(|w| w.iter().cloned().collect()).collect(),
                })
            })
            .collect();
        Availability {
            composite: composite_percent,
            downtime_minutes_per_month: downtime(composite),
            target,
            meets_target: composite_percent >= target,
            weakest,
            tiers,
            entries: results
                .iter()
                .filter_map(|seen| worst_of(seen))
                .map(|o| EntryAvailability {
                    entry: o.entry.id.clone(),
                    name: o.entry.name.clone(),
                    connectivity: percent(o.connectivity),
                    workload: percent(o.up),
                    availability: percent(o.total),
                    downtime_minutes_per_month: downtime(o.total),
                    connections: o.entry.connections.iter().map(|c| c.iter().cloned().collect()).collect(),
                    workloads: o.paths.iter().map(|w| w.iter().cloned().collect()).collect(),
                })
                .collect(),
            workloads: workload_results,
            services,
            basis,
        }
    }

    fn names(&self, ids: &BTreeSet<String>) -> String {
        let names: Vec<String> = ids
            .iter()
            .map(|id| match self.parts.get(id) {
                Some(a) => format!("{} {}%", self.name(id), show(percent(*a))),
                None => self.name(id),
            })
            .collect();
        names.join(" × ")
    }

    fn basis(
        &self,
        results: &[Vec<Outcome>],
        workloads: &[Workload<'_, 'a>],
        tiers: &BTreeMap<String, TierAvailability>,
    ) -> Vec<String> {
        let mut basis = vec![
            "Request path: from each entry (on-premises site, the internet) through the firewalls and NVAs the \
             routes send it to, then the tiers DMZ → web → business → data → other, each with its load balancer or \
             application gateway. Management VMs, Bastion, Key Vault and backup are off the path. Parts in series \
             multiply; alternatives count as up when any one is up."
                .to_owned(),
        ];
        let several = workloads.len() > 1;
        if several {
            basis.push(format!(
                "Workloads: tiers joined by declared flows or replication make one workload, and the tiers no flow \
                 or replication names make one more; each workload is composed on its own (one application's outage \
                 does not stop another), and the composite is that of the worst-served. {} workloads here.",
                workloads.len()
            ));
        }
        for (id, tier) in tiers {
            let front = match (&tier.front, tier.front_sla) {
                (Some(f), Some(s)) => format!(" behind {} {}%", self.name(f), show(s)),
                _ => String::new(),
            };
            let off = if tier.on_path { "" } else { " (off the request path)" };
            let label = if tier.name == *id { tier.name.clone() } else { format!("{} ({id})", tier.name) };
            basis.push(format!("{label}: {}: {}%{front}{off}.", tier.basis, show(tier.sla)));
        }
        for Outcome { entry, workload, connectivity, up, total, paths } in results.iter().flatten() {
            let ways: Vec<String> =
                entry.connections.iter().filter(|c| !c.is_empty()).map(|c| format!("({})", self.names(c))).collect();
            let ways = if ways.is_empty() { String::new() } else { format!(" via {}", ways.join(" or ")) };
            let through: Vec<String> = paths.iter().map(|w| format!("({})", self.names(w))).collect();
            let to = match workloads.get(*workload).filter(|_| several) {
                Some(w) => {
                    let names: Vec<&str> = w.tiers.iter().map(|t| t.element.display_name()).collect();
                    format!(" to the workload of {}", names.join(", "))
                }
                None => String::new(),
            };
            basis.push(format!(
                "From {}{to}: connectivity {}%{ways}; workload {}% through {}; together {}%.",
                entry.name,
                show(percent(*connectivity)),
                show(percent(*up)),
                through.join(" or "),
                show(percent(*total)),
            ));
        }
        let mut regions: Vec<String> = Vec::new();
        let mut unreplicated = false;
        for workload in workloads {
            let multi: Vec<String> = workload
                .groups
                .values()
                .filter(|m| m.len() > 1)
                .map(|m| m.iter().map(|k| self.region_name(k)).collect::<Vec<_>>().join(" and "))
                .collect();
            if workload.replicated {
                let line = format!(
                    "{} replicate their data and fail over to each other: their stacks are alternatives.",
                    multi.join("; ")
                );
                if !regions.contains(&line) {
                    regions.push(line);
                }
            }
            unreplicated |= workload.groups.len() > 1;
        }
        basis.extend(regions);
        if unreplicated {
            basis.push(
                "Regions without replication between them are all needed: their tiers count in series.".to_owned(),
            );
        }
        basis
    }
}
