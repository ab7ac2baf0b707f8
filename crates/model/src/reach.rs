//! Reachability (SPEC §5): what traffic the design lets through, decided on the drawing as
//! Azure's Network Watcher decides it on deployed resources ("IP flow verify", "next hop",
//! "effective security rules").
//!
//! A query carries a set of traffic (protocols and ports, see [`Traffic`]) from the source
//! along the path the routes choose: the source's NSGs outbound (NIC, then subnet), each
//! firewall or NVA a route sends the packet to, and the destination's NSGs inbound (subnet,
//! then NIC). Whatever survives every filter is allowed, if its reply gets back: filters are
//! stateful, but the reply is routed from the destination's subnet and must pass the same
//! firewalls and NVAs as the request ([`Network::reply`]).
//!
//! Address semantics: a VM stands for any of its instances (its `privateIp`, else any
//! address of its subnet), a subnet for any address in it, an on-premises site for its
//! address space. A rule or route applies to an endpoint only when it covers all of the
//! endpoint's addresses.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

use ipnet::IpNet;
use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

use crate::check::{IMPLIED_INTERNET, is_service_tag, parse_cidr};
use crate::design::Design;
use crate::element::{
    Access, AppGateway, Direction, Element, ElementKind, ElementProps, FirewallRule, LoadBalancer, NextHop, NsgRule,
    RouteTable, RuleProtocol, Vm,
};
use crate::link::{FlowProtocol, Link, LinkProps};
use crate::traffic::Traffic;

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allow,
    Deny,
}

/// The element and rule that decided a deny (a default rule by its Azure name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeniedBy {
    pub element: String,
    pub rule: String,
}

/// The answer to "may this traffic go from A to B?".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub verdict: Verdict,
    /// The elements the packet traverses, source first: appliances, gateways and load
    /// balancers on the way, and the destination when it gets there.
    pub path: Vec<String>,
    /// The way the reply takes back, destination first, when the request gets there: routed
    /// from the destination's subnet (or the request's path reversed when the reply starts on
    /// the internet or on-premises). On a deny of the reply, as far as it got.
    pub return_path: Vec<String>,
    pub denied_by: Option<DeniedBy>,
    pub reason: String,
    /// What gets through, e.g. `["tcp/443"]`; empty on a deny.
    pub allowed: Vec<String>,
}

/// A query that names no endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    Unknown(String),
    NotAnEndpoint { id: String, kind: ElementKind },
    NotA { id: String, wanted: &'static str },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Unknown(id) => write!(f, "\"{id}\" is no element of the design"),
            QueryError::NotAnEndpoint { id, kind } => {
                write!(
                    f,
                    "\"{id}\" is a {kind}; traffic starts and ends at a vm, a subnet, an onPremises or the internet"
                )
            }
            QueryError::NotA { id, wanted } => write!(f, "\"{id}\" is not a {wanted}"),
        }
    }
}

impl std::error::Error for QueryError {}

/// May `protocol` traffic on `port` (any port when `None`) go from `from` to `to`?
pub fn verify(
    design: &Design,
    from: &str,
    to: &str,
    protocol: FlowProtocol,
    port: Option<u16>,
) -> Result<Answer, QueryError> {
    let net = Network::new(design);
    net.verify(from, to, &Traffic::of(protocol, port))
}

/// The live verdict of every declared `flow` link, in document order.
pub fn flow_verdicts(design: &Design) -> Vec<(String, Answer)> {
    let net = Network::new(design);
    design
        .links
        .iter()
        .filter_map(|link| match &link.props {
            LinkProps::Flow(flow) => {
                let traffic = Traffic::of(flow.protocol, flow.port);
                net.verify(link.from.as_str(), link.to.as_str(), &traffic).ok().map(|a| (link.id.0.clone(), a))
            }
            _ => None,
        })
        .collect()
}

/// The elements a query may start or end at: VMs, subnets, on-premises sites and the internet.
pub fn endpoints(design: &Design) -> Vec<String> {
    let mut out: Vec<String> = design
        .elements
        .iter()
        .filter(|e| crate::link::FLOW_ENDPOINTS.contains(&e.kind()))
        .map(|e| e.id.0.clone())
        .collect();
    if design.element(IMPLIED_INTERNET).is_none() {
        out.push(IMPLIED_INTERNET.to_owned());
    }
    out
}

/// One cell of the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub answer: Answer,
}

/// Every tier and endpoint against every other (a tier of several VMs also against itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub endpoints: Vec<String>,
    pub cells: Vec<Cell>,
}

impl Matrix {
    /// The cell of one pair. A linear search: to look up many (a whole table), use
    /// [`Matrix::by_pair`].
    pub fn cell(&self, from: &str, to: &str) -> Option<&Cell> {
        self.cells.iter().find(|c| c.from == from && c.to == to)
    }

    /// Every cell by its (from, to) pair, for lookups in constant time.
    pub fn by_pair(&self) -> HashMap<(&str, &str), &Cell> {
        let mut cells = HashMap::with_capacity(self.cells.len());
        for cell in &self.cells {
            // The first of repeated pairs, as `cell` finds it.
            cells.entry((cell.from.as_str(), cell.to.as_str())).or_insert(cell);
        }
        cells
    }
}

/// The endpoints the matrix shows: VM tiers, on-premises sites and the internet.
pub fn matrix_endpoints(design: &Design) -> Vec<String> {
    let mut endpoints: Vec<String> = design
        .elements
        .iter()
        .filter(|e| matches!(e.kind(), ElementKind::Vm | ElementKind::OnPremises | ElementKind::Internet))
        .map(|e| e.id.0.clone())
        .collect();
    if !design.elements.iter().any(|e| e.kind() == ElementKind::Internet) {
        endpoints.push(IMPLIED_INTERNET.to_owned());
    }
    endpoints
}

/// TCP on `port` (any protocol and port when `None`) between every pair of endpoints.
pub fn matrix(design: &Design, port: Option<u16>) -> Matrix {
    let net = Network::new(design);
    let endpoints = matrix_endpoints(design);
    let traffic = match port {
        Some(port) => Traffic::of(FlowProtocol::Tcp, Some(port)),
        None => Traffic::of(FlowProtocol::Any, None),
    };
    let mut cells = Vec::new();
    for from in &endpoints {
        let several =
            net.elements.get(from.as_str()).is_some_and(|e| matches!(&e.props, ElementProps::Vm(vm) if vm.count >= 2));
        for to in &endpoints {
            if from == to && !several {
                continue;
            }
            if let Ok(answer) = net.verify(from, to, &traffic) {
                cells.push(Cell { from: from.clone(), to: to.clone(), answer });
            }
        }
    }
    Matrix { endpoints, cells }
}

/// Where a subnet sends a packet for `address` (Network Watcher's "next hop").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NextHopAnswer {
    /// Azure's name: `VnetLocal`, `VNetPeering`, `VirtualNetworkGateway`, `Internet`,
    /// `VirtualAppliance` or `None`.
    pub next_hop_type: String,
    pub next_hop_element: Option<String>,
    /// The route that decided: its prefix and where it comes from.
    pub prefix: String,
    pub route: String,
}

/// The next hop from `subnet` for `address` (an IP address or a CIDR).
pub fn next_hop(design: &Design, subnet: &str, address: &str) -> Result<NextHopAnswer, QueryError> {
    Network::new(design).next_hop(subnet, address)
}

/// One route of a subnet's effective routes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveRoute {
    pub prefix: String,
    pub next_hop_type: String,
    pub next_hop_element: Option<String>,
    /// `system`, or `user: <route table>/<route>`.
    pub source: String,
    /// `Active`, or `Invalid` for a system route a user route removed (Azure's word): one of
    /// the same prefix, or the `None` route of a private range when the route table has a
    /// route for `0.0.0.0/0`.
    pub state: String,
}

/// The routes of a subnet, longest prefix first, as Azure's effective routes list them:
/// those in force, and the system routes a user route made invalid.
pub fn effective_routes(design: &Design, subnet: &str) -> Result<Vec<EffectiveRoute>, QueryError> {
    let net = Network::new(design);
    if net.element(subnet)?.kind() != ElementKind::Subnet {
        return Err(QueryError::NotA { id: subnet.to_owned(), wanted: "subnet" });
    }
    let routes = net.routes(subnet);
    let mut listed: Vec<(&Route, &str)> = routes.list.iter().map(|r| (r, "Active")).collect();
    listed.extend(routes.invalid.iter().map(|r| (r, "Invalid")));
    crate::sorting::sort_by_key(&mut listed, |(r, _)| std::cmp::Reverse(r.prefix.prefix_len()));
    Ok(listed
        .iter()
        .map(|(r, state)| EffectiveRoute {
            prefix: r.prefix.to_string(),
            next_hop_type: r.hop.azure_name().to_owned(),
            next_hop_element: r.hop.element(),
            source: r.origin.describe(),
            state: (*state).to_owned(),
        })
        .collect())
}

/// One NSG rule as it applies to a VM, in evaluation order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveRule {
    pub nsg: String,
    /// `nic` or `subnet`.
    pub scope: String,
    pub direction: Direction,
    pub priority: u32,
    pub name: String,
    pub access: Access,
    pub protocol: RuleProtocol,
    pub source: String,
    pub destination: String,
    pub destination_ports: String,
    /// One of Azure's default rules.
    pub default: bool,
    /// The prefixes the `VirtualNetwork` tag stands for in `source`, when it names the tag
    /// (Azure's "expanded address prefix"), for this VM's subnet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expanded_source: Vec<String>,
    /// The same for `destination`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expanded_destination: Vec<String>,
}

/// The NSG rules that apply to a VM (Azure's "effective security rules"): inbound subnet
/// then NIC, outbound NIC then subnet; each NSG's rules by priority, then its defaults.
pub fn effective_rules(design: &Design, vm: &str) -> Result<Vec<EffectiveRule>, QueryError> {
    let net = Network::new(design);
    let element = net.element(vm)?;
    if element.kind() != ElementKind::Vm {
        return Err(QueryError::NotA { id: vm.to_owned(), wanted: "vm" });
    }
    let endpoint = net.endpoint(vm)?;
    let tag = endpoint.subnet.map(|subnet| net.virtual_network_of_subnet(subnet).prefixes()).unwrap_or_default();
    let expand = |expression: &str| {
        let names_tag = Part::parse_all(expression).iter().any(|p| matches!(p, Part::VirtualNetwork));
        if names_tag { tag.clone() } else { Vec::new() }
    };
    let mut out = Vec::new();
    for direction in [Direction::Inbound, Direction::Outbound] {
        for (nsg, scope) in net.nsg_chain(&endpoint, direction) {
            for (rule, default) in rules_in_order(net.nsg_rules(&nsg), direction) {
                out.push(EffectiveRule {
                    nsg: nsg.clone(),
                    scope: scope.to_owned(),
                    direction,
                    priority: rule.priority,
                    name: rule.name.clone(),
                    access: rule.access,
                    protocol: rule.protocol,
                    source: rule.source.clone(),
                    destination: rule.destination.clone(),
                    destination_ports: rule.destination_ports.clone(),
                    default,
                    expanded_source: expand(&rule.source),
                    expanded_destination: expand(&rule.destination),
                });
            }
        }
    }
    Ok(out)
}

// ---- the network, as the engine sees it ----------------------------------------------------

/// The private ranges Azure drops (system route `None`) unless something more specific covers them.
const PRIVATE_RANGES: &[&str] = &["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/// Addresses of an endpoint.
#[derive(Clone, Debug, PartialEq)]
enum Addr {
    Nets(Vec<IpNet>),
    /// Anywhere on the public internet.
    Internet,
}

#[derive(Clone, Debug)]
struct Endpoint<'a> {
    id: String,
    kind: ElementKind,
    addr: Addr,
    /// The VM, for ASG and NIC NSG matching.
    vm: Option<&'a Vm>,
    /// The subnet the endpoint is in (or is).
    subnet: Option<&'a Element>,
}

#[derive(Clone, Debug, PartialEq)]
enum Hop {
    VnetLocal,
    Peering(String),
    Gateway(String),
    Internet,
    Drop,
    Appliance(String),
}

impl Hop {
    fn azure_name(&self) -> &'static str {
        match self {
            Hop::VnetLocal => "VnetLocal",
            Hop::Peering(_) => "VNetPeering",
            Hop::Gateway(_) => "VirtualNetworkGateway",
            Hop::Internet => "Internet",
            Hop::Drop => "None",
            Hop::Appliance(_) => "VirtualAppliance",
        }
    }

    fn element(&self) -> Option<String> {
        match self {
            Hop::Peering(id) | Hop::Gateway(id) | Hop::Appliance(id) => Some(id.clone()),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Origin {
    System,
    User { table: String, name: String },
}

impl Origin {
    fn describe(&self) -> String {
        match self {
            Origin::System => "system".to_owned(),
            Origin::User { table, name } => format!("user: {table}/{name}"),
        }
    }
}

#[derive(Clone, Debug)]
struct Route {
    prefix: IpNet,
    hop: Hop,
    origin: Origin,
}

/// Where a packet goes, borrowed from an [`Addr`] or from a single network.
#[derive(Clone, Copy)]
enum Dest<'d> {
    Internet,
    Nets(&'d [IpNet]),
}

impl<'d> Dest<'d> {
    fn of(addr: &'d Addr) -> Self {
        match addr {
            Addr::Internet => Dest::Internet,
            Addr::Nets(nets) => Dest::Nets(nets),
        }
    }
}

/// The route of `routes` (a subnet's, or some of them in their order) for `dest`. Longest
/// prefix wins. At equal length Azure prefers a user route, then a route learned
/// from a gateway, then a system route; a VNet's own or peered space replaces the default
/// `None` route of a private range. A VNet or peering system route that covers `dest` beats
/// every gateway route, even a more specific one. Among equals, the first listed wins.
fn best_route<'r>(routes: impl Iterator<Item = &'r Route> + Clone, dest: Dest) -> Option<&'r Route> {
    let gateways = !routes.clone().any(|r| r.is_vnet_or_peering() && r.applies(dest));
    choose_route(routes, dest, gateways)
}

/// Longest prefix, then rank, then the first listed, among the routes that apply to `dest`;
/// gateway routes only when `gateways` (no VNet or peering route covers `dest`).
fn choose_route<'r>(routes: impl Iterator<Item = &'r Route>, dest: Dest, gateways: bool) -> Option<&'r Route> {
    let rank = |route: &Route| match (&route.origin, &route.hop) {
        (Origin::User { .. }, _) => 3,
        (Origin::System, Hop::Gateway(_)) => 2,
        (Origin::System, Hop::VnetLocal | Hop::Peering(_)) => 1,
        (Origin::System, _) => 0,
    };
    let mut best: Option<&Route> = None;
    for route in routes.filter(|r| r.applies(dest) && (gateways || !r.is_from_gateway())) {
        let better = best.is_none_or(|b| (route.prefix.prefix_len(), rank(route)) > (b.prefix.prefix_len(), rank(b)));
        if better {
            best = Some(route);
        }
    }
    best
}

impl Route {
    /// Whether the route covers all of `dest`.
    fn applies(&self, dest: Dest) -> bool {
        match dest {
            Dest::Internet => self.prefix.prefix_len() == 0,
            Dest::Nets(nets) => !nets.is_empty() && nets.iter().all(|n| covers(&self.prefix, n)),
        }
    }

    /// A system route of the VNet's own space or of a peered space.
    fn is_vnet_or_peering(&self) -> bool {
        self.origin == Origin::System && matches!(self.hop, Hop::VnetLocal | Hop::Peering(_))
    }

    /// A route learned from a gateway (BGP, or the local network gateway's prefixes).
    fn is_from_gateway(&self) -> bool {
        self.origin == Origin::System && matches!(self.hop, Hop::Gateway(_))
    }
}

/// The effective routes of a subnet, indexed by prefix when there are many (a hub's subnets
/// have a peering route, and often a user route, per spoke).
pub(crate) struct Routes {
    /// The routes in force.
    list: Vec<Route>,
    /// System routes a user route invalidated (Azure lists them with the state `Invalid`):
    /// those of the same prefix, and the `None` routes of the private ranges when the
    /// route table has a route for `0.0.0.0/0`.
    invalid: Vec<Route>,
    /// Route positions by prefix (truncated); empty for short lists, which are scanned.
    by_prefix: HashMap<IpNet, Vec<usize>>,
    /// The distinct prefix lengths, longest first, IPv4 and IPv6 apart.
    lengths: Vec<(bool, u8)>,
}

impl Routes {
    /// Below this many routes a scan is as fast as the index.
    const SCAN: usize = 16;

    fn new(list: Vec<Route>, invalid: Vec<Route>) -> Self {
        let mut by_prefix: HashMap<IpNet, Vec<usize>> = HashMap::new();
        let mut lengths = Vec::new();
        if list.len() > Self::SCAN {
            for (i, route) in list.iter().enumerate() {
                by_prefix.entry(route.prefix.trunc()).or_default().push(i);
                lengths.push((matches!(route.prefix, IpNet::V4(_)), route.prefix.prefix_len()));
            }
            crate::sorting::sort_by(&mut lengths, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            lengths.dedup();
        }
        Routes { list, invalid, by_prefix, lengths }
    }

    /// The route for `dest`, as [`best_route`] decides, without scanning every route.
    fn lookup(&self, dest: &Addr) -> Option<&Route> {
        self.lookup_dest(Dest::of(dest))
    }

    fn lookup_dest(&self, dest: Dest) -> Option<&Route> {
        let first = match dest {
            Dest::Nets(nets) if self.list.len() > Self::SCAN => nets.first(),
            _ => return best_route(self.list.iter(), dest),
        };
        let first = first?;
        let v4 = matches!(first, IpNet::V4(_));
        // The routes of each length that could cover `dest`, longest first.
        let at_length = |len: u8| {
            IpNet::new(first.addr(), len)
                .ok()
                .and_then(|supernet| self.by_prefix.get(&supernet.trunc()))
                .into_iter()
                .flatten()
                .map(|&i| &self.list[i])
        };
        let lengths = || self.lengths.iter().filter(|(family, len)| *family == v4 && *len <= first.prefix_len());
        let gateways = !lengths().any(|(_, len)| at_length(*len).any(|r| r.is_vnet_or_peering() && r.applies(dest)));
        // The longest prefix wins whatever the rank: the first length with a route that applies
        // decides; among its routes the rank, then the order.
        lengths().find_map(|(_, len)| choose_route(at_length(*len), dest, gateways))
    }
}

/// Whether `outer` contains all of `inner` (as `IpNet::contains`; IPv4 with integer
/// arithmetic, the queries' hot path).
fn covers(outer: &IpNet, inner: &IpNet) -> bool {
    match (outer, inner) {
        (IpNet::V4(outer), IpNet::V4(inner)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(outer.prefix_len())).unwrap_or(0);
            outer.prefix_len() <= inner.prefix_len() && (u32::from(inner.addr()) ^ u32::from(outer.addr())) & mask == 0
        }
        _ => outer.contains(inner),
    }
}

/// The prefixes of a list that parse.
fn parse_all(prefixes: &[String]) -> Vec<IpNet> {
    prefixes.iter().filter_map(|p| parse_cidr(p).ok()).collect()
}

/// Prefixes that answer "does one of them cover this network?" with one hash lookup per
/// distinct prefix length instead of a scan: a hub's `VirtualNetwork` and what its gateway
/// advertises hold every spoke.
#[derive(Debug, Default)]
struct PrefixSet {
    networks: HashSet<IpNet>,
    /// The distinct prefix lengths of the members, IPv4 and IPv6 apart.
    lengths: Vec<(bool, u8)>,
}

impl PrefixSet {
    fn new(nets: Vec<IpNet>) -> Self {
        let mut lengths: Vec<(bool, u8)> = nets.iter().map(|n| (matches!(n, IpNet::V4(_)), n.prefix_len())).collect();
        crate::sorting::sort(&mut lengths);
        lengths.dedup();
        PrefixSet { networks: nets.iter().map(IpNet::trunc).collect(), lengths }
    }

    /// Whether a member contains all of `net` (as `covers`).
    fn covers(&self, net: &IpNet) -> bool {
        let v4 = matches!(net, IpNet::V4(_));
        self.lengths.iter().filter(|(family, len)| *family == v4 && *len <= net.prefix_len()).any(|(_, len)| {
            IpNet::new(net.addr(), *len).is_ok_and(|supernet| self.networks.contains(&supernet.trunc()))
        })
    }
}

/// The `VirtualNetwork` service tag as the NSG of one subnet sees it.
#[derive(Debug)]
struct VirtualNetworkTag {
    /// The VNet's space, peered spaces and on-premises prefixes reached through a gateway.
    base: Rc<PrefixSet>,
    /// The prefixes of the subnet's user routes.
    routes: PrefixSet,
}

impl VirtualNetworkTag {
    fn covers(&self, net: &IpNet) -> bool {
        self.base.covers(net) || self.routes.covers(net)
    }

    /// Whether the tag holds `0.0.0.0/0` (a user route for it), and so every address.
    fn covers_internet(&self) -> bool {
        self.routes.lengths.contains(&(true, 0))
    }

    /// The tag's prefixes, as Azure's effective security rules expand it.
    fn prefixes(&self) -> Vec<String> {
        let mut nets: Vec<IpNet> = self.base.networks.iter().chain(&self.routes.networks).copied().collect();
        crate::sorting::sort(&mut nets);
        nets.dedup();
        nets.iter().map(IpNet::to_string).collect()
    }
}

fn is_private(net: &IpNet) -> bool {
    PRIVATE_RANGES.iter().filter_map(|r| r.parse::<IpNet>().ok()).any(|r| covers(&r, net))
}

/// The result of running traffic through one filter (an NSG or an appliance).
struct Filtered {
    allowed: Traffic,
    /// The rule that denied the last of the traffic, when nothing got through.
    denied_by: Option<String>,
}

/// One part of a rule's address expression (`"10.0.0.0/8, asg:web"` has two), parsed.
#[derive(Debug)]
enum Part {
    /// `*`.
    Any,
    /// `asg:<id>`: the VMs that list the ASG.
    Asg(String),
    /// `el:<id>`: a subnet or VM of the design.
    Element(String),
    /// An address or a range (truncated).
    Net(IpNet),
    /// The `VirtualNetwork` service tag.
    VirtualNetwork,
    /// The `Internet` service tag.
    Internet,
    /// Anything else: other service tags name Azure services, which are no endpoints of a
    /// design; text that is no address matches nothing.
    Nothing,
}

impl Part {
    fn parse(part: &str) -> Part {
        if part == "*" {
            return Part::Any;
        }
        if let Some(asg) = part.strip_prefix("asg:") {
            return Part::Asg(asg.to_owned());
        }
        if let Some(id) = part.strip_prefix("el:") {
            return Part::Element(id.to_owned());
        }
        if let Ok(net) = part.parse::<std::net::IpAddr>().map(IpNet::from).or_else(|_| part.parse::<IpNet>()) {
            return Part::Net(net.trunc());
        }
        if !is_service_tag(part) {
            return Part::Nothing;
        }
        match part.to_ascii_lowercase().as_str() {
            "virtualnetwork" => Part::VirtualNetwork,
            "internet" => Part::Internet,
            _ => Part::Nothing,
        }
    }

    /// The parts of an address expression.
    fn parse_all(expression: &str) -> Vec<Part> {
        expression.split(',').map(str::trim).map(Part::parse).collect()
    }
}

/// An NSG, firewall or NVA rule ready to evaluate: its addresses parsed, its traffic computed.
#[derive(Debug)]
struct Compiled {
    name: String,
    access: Access,
    /// Whether the rule's source ports admit clients (always for appliance rules).
    source_ports: bool,
    source: Vec<Part>,
    destination: Vec<Part>,
    traffic: Traffic,
}

/// Rules in evaluation order. A long list (a firewall with a rule per spoke) is indexed by
/// the `el:` destinations of its rules, so a query skips the rules that name other elements.
#[derive(Debug)]
struct RuleList {
    rules: Vec<Compiled>,
    index: Option<RuleIndex>,
}

#[derive(Debug)]
struct RuleIndex {
    /// Rules whose destination names only elements (`el:`), by each element they name.
    by_element: HashMap<String, Vec<usize>>,
    /// The other rules.
    general: Vec<usize>,
}

impl RuleList {
    /// Below this many rules a scan is as fast as the index.
    const SCAN: usize = 16;

    fn new(rules: Vec<Compiled>) -> Self {
        let index = (rules.len() > Self::SCAN).then(|| {
            let mut by_element: HashMap<String, Vec<usize>> = HashMap::new();
            let mut general = Vec::new();
            for (i, rule) in rules.iter().enumerate() {
                let specific = rule.destination.iter().all(|p| matches!(p, Part::Element(_) | Part::Nothing));
                if !specific {
                    general.push(i);
                    continue;
                }
                for part in &rule.destination {
                    if let Part::Element(id) = part {
                        let list = by_element.entry(id.clone()).or_default();
                        if list.last() != Some(&i) {
                            list.push(i);
                        }
                    }
                }
            }
            RuleIndex { by_element, general }
        });
        RuleList { rules, index }
    }

    /// The positions of the rules whose destination may match `dst`, in order; `None` for all.
    fn candidates(&self, dst: &Endpoint) -> Option<Vec<usize>> {
        let index = self.index.as_ref()?;
        // An `el:` part matches the endpoint itself or its subnet.
        let named = [Some(dst.id.as_str()), dst.subnet.map(|s| s.id.as_str())];
        let mut positions = index.general.clone();
        for id in named.into_iter().flatten() {
            positions.extend(index.by_element.get(id).into_iter().flatten());
        }
        crate::sorting::sort(&mut positions);
        positions.dedup();
        Some(positions)
    }
}

impl Compiled {
    fn new(name: &str, access: Access, source_ports: bool, source: &str, destination: &str, traffic: Traffic) -> Self {
        Compiled {
            name: name.to_owned(),
            access,
            source_ports,
            source: Part::parse_all(source),
            destination: Part::parse_all(destination),
            traffic,
        }
    }
}

/// The design's network prepared for many queries (the rules ask thousands): everything a
/// query looks up by id is indexed once here, and what a query derives from the routing of a
/// subnet or a VNet (effective routes, the `VirtualNetwork` tag, what a gateway advertises) is
/// computed once per subnet or VNet and kept. A query then costs what its path costs, not what
/// the design costs. The network borrows the design: build one per analysis.
pub(crate) struct Network<'a> {
    elements: HashMap<&'a str, &'a Element>,
    /// The VNets peered with each VNet, sorted, without repeats (from the peering graph).
    peers: HashMap<&'a str, Vec<&'a str>>,
    /// The parsed address space of each VNet and on-premises site.
    spaces: HashMap<&'a str, Vec<IpNet>>,
    /// The VPN and ExpressRoute gateways in each VNet's subnets, in document order.
    gateways: HashMap<&'a str, Vec<&'a Element>>,
    /// The hub whose gateways serve a VNet without gateways of its own (gateway transit).
    transit_hub: HashMap<&'a str, &'a str>,
    /// The VNets a VNet serves with gateway transit, in link order.
    transit_spokes: HashMap<&'a str, Vec<&'a str>>,
    /// The on-premises sites of each gateway, best path first (see `sites_of_gateway`).
    sites: HashMap<&'a str, Vec<(&'a str, u8)>>,
    /// The entry gateway of each on-premises site, best path first.
    entry_gateways: HashMap<&'a str, &'a Element>,
    /// The first public load balancer or application gateway listing each backend.
    public_frontends: HashMap<&'a str, &'a Element>,
    /// The first peering link between two VNets, by the pair (see [`pair`]).
    peering_links: HashMap<(&'a str, &'a str), &'a Link>,
    /// Computed on first use, per subnet or VNet id.
    routes: RefCell<HashMap<String, Rc<Routes>>>,
    virtual_networks: RefCell<HashMap<String, Rc<PrefixSet>>>,
    subnet_virtual_networks: RefCell<HashMap<String, Rc<VirtualNetworkTag>>>,
    advertised: RefCell<HashMap<String, Rc<PrefixSet>>>,
    /// Each NSG's rules by direction (inbound, outbound), and each appliance's rules, parsed.
    compiled_nsgs: RefCell<HashMap<String, [Rc<RuleList>; 2]>>,
    compiled_appliances: RefCell<HashMap<String, Rc<RuleList>>>,
}

impl<'a> Network<'a> {
    pub(crate) fn new(design: &'a Design) -> Self {
        let mut elements = HashMap::with_capacity(design.elements.len());
        for element in design.elements.iter().map(std::sync::Arc::as_ref) {
            elements.entry(element.id.as_str()).or_insert(element);
        }
        let parent_of = |element: &Element| element.parent.as_ref().and_then(|p| elements.get(p.as_str()).copied());

        // Peering is not transitive: a VNet's peers are its neighbours in the peering graph.
        let mut peerings: UnGraph<&str, bool> = UnGraph::new_undirected();
        let mut vnet_nodes: HashMap<&str, NodeIndex> = HashMap::new();
        for element in design.elements.iter().filter(|e| e.kind() == ElementKind::Vnet) {
            vnet_nodes.entry(element.id.as_str()).or_insert_with(|| peerings.add_node(element.id.as_str()));
        }
        let mut peering_links = HashMap::new();
        for link in &design.links {
            if let (LinkProps::Peering(_), Some(a), Some(b)) =
                (&link.props, vnet_nodes.get(link.from.as_str()), vnet_nodes.get(link.to.as_str()))
            {
                peerings.add_edge(*a, *b, true);
                peering_links.entry(pair(link.from.as_str(), link.to.as_str())).or_insert(link);
            }
        }
        let peers = vnet_nodes
            .iter()
            .map(|(vnet, node)| {
                let mut peers: Vec<&str> = peerings.neighbors(*node).map(|n| peerings[n]).collect();
                crate::sorting::sort(&mut peers);
                peers.dedup();
                (*vnet, peers)
            })
            .collect();

        let spaces = elements
            .iter()
            .filter_map(|(id, e)| match &e.props {
                ElementProps::Vnet(v) => Some((*id, parse_all(&v.address_space))),
                ElementProps::OnPremises(o) => Some((*id, parse_all(&o.address_space))),
                _ => None,
            })
            .collect();
        let mut gateways: HashMap<&str, Vec<&Element>> = HashMap::new();
        let mut public_frontends = HashMap::new();
        for element in design.elements.iter().map(std::sync::Arc::as_ref) {
            match &element.props {
                ElementProps::VpnGateway(_) | ElementProps::ExpressRouteGateway(_) => {
                    let vnet = parent_of(element).and_then(parent_of).filter(|v| v.kind() == ElementKind::Vnet);
                    if let Some(vnet) = vnet {
                        gateways.entry(vnet.id.as_str()).or_default().push(element);
                    }
                }
                ElementProps::LoadBalancer(LoadBalancer { public: true, backends, .. })
                | ElementProps::AppGateway(AppGateway { public: true, backends, .. }) => {
                    for backend in backends {
                        public_frontends.entry(backend.as_str()).or_insert(element);
                    }
                }
                _ => {}
            }
        }

        let mut transit_hub = HashMap::new();
        let mut transit_spokes: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut sites: HashMap<&str, Vec<(&str, u8)>> = HashMap::new();
        let mut entry_gateways: HashMap<&str, (u8, &Element)> = HashMap::new();
        for link in &design.links {
            let (from, to) = (link.from.as_str(), link.to.as_str());
            let rank = match &link.props {
                LinkProps::Peering(p) if p.gateway_transit => {
                    transit_spokes.entry(from).or_default().push(to);
                    if gateways.contains_key(from) {
                        transit_hub.entry(to).or_insert(from);
                    }
                    continue;
                }
                LinkProps::Vpn(v) if v.over_express_route.is_some() => 0,
                LinkProps::ExpressRoute(_) => 1,
                LinkProps::Vpn(_) => 2,
                _ => continue,
            };
            sites.entry(to).or_default().push((from, rank));
            if let Some(gateway) = elements.get(to) {
                // The best rank wins; among equals, the first link.
                let best = entry_gateways.entry(from).or_insert((rank, gateway));
                if rank < best.0 {
                    *best = (rank, gateway);
                }
            }
        }
        for list in sites.values_mut() {
            crate::sorting::sort_by_key(list, |s| s.1);
        }
        let entry_gateways = entry_gateways.into_iter().map(|(site, (_, gateway))| (site, gateway)).collect();

        Network {
            elements,
            peers,
            spaces,
            gateways,
            transit_hub,
            transit_spokes,
            sites,
            entry_gateways,
            public_frontends,
            peering_links,
            routes: RefCell::default(),
            virtual_networks: RefCell::default(),
            subnet_virtual_networks: RefCell::default(),
            advertised: RefCell::default(),
            compiled_nsgs: RefCell::default(),
            compiled_appliances: RefCell::default(),
        }
    }

    fn element(&self, id: &str) -> Result<&'a Element, QueryError> {
        self.elements.get(id).copied().ok_or_else(|| QueryError::Unknown(id.to_owned()))
    }

    fn parent_of(&self, element: &Element) -> Option<&'a Element> {
        element.parent.as_ref().and_then(|p| self.elements.get(p.as_str()).copied())
    }

    fn vnet_of_subnet(&self, subnet: &Element) -> Option<&'a Element> {
        self.parent_of(subnet).filter(|v| v.kind() == ElementKind::Vnet)
    }

    /// The address space of a VNet or an on-premises site (the prefixes that parse).
    fn space(&self, vnet: &str) -> &[IpNet] {
        self.spaces.get(vnet).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn peers(&self, vnet: &str) -> Vec<&'a str> {
        self.peers.get(vnet).cloned().unwrap_or_default()
    }

    fn peers_of(&self, vnet: &str) -> &[&'a str] {
        self.peers.get(vnet).map_or(&[], Vec::as_slice)
    }

    /// The gateways (VPN, ExpressRoute) in a VNet's subnets.
    fn gateways_in(&self, vnet: &str) -> &[&'a Element] {
        self.gateways.get(vnet).map_or(&[], Vec::as_slice)
    }

    /// The VNet whose gateways serve `vnet`: itself, or a hub peered with gateway transit.
    pub(crate) fn gateway_vnet(&self, vnet: &str) -> Option<String> {
        if !self.gateways_in(vnet).is_empty() {
            return Some(vnet.to_owned());
        }
        self.transit_hub.get(vnet).map(|hub| (*hub).to_owned())
    }

    /// The on-premises sites a gateway connects, best path first: VPN over ExpressRoute,
    /// then ExpressRoute, then plain VPN.
    fn sites_of_gateway(&self, gateway: &str) -> &[(&'a str, u8)] {
        self.sites.get(gateway).map_or(&[], Vec::as_slice)
    }

    /// The entry gateway of an on-premises site, best path first.
    fn entry_gateway(&self, site: &str) -> Option<&'a Element> {
        self.entry_gateways.get(site).copied()
    }

    /// On-premises prefixes reachable through the gateways of `gateway_vnet`, by gateway.
    fn gateway_routes(&self, gateway_vnet: &str) -> Vec<(IpNet, String)> {
        let mut gateways = self.gateways_in(gateway_vnet).to_vec();
        // The gateway of the best connection first, so it wins ties.
        crate::sorting::sort_by_key(&mut gateways, |g| self.sites_of_gateway(g.id.as_str()).first().map_or(9, |s| s.1));
        let mut out = Vec::new();
        for gateway in gateways {
            for (site, _) in self.sites_of_gateway(gateway.id.as_str()) {
                for prefix in self.space(site) {
                    out.push((*prefix, gateway.id.0.clone()));
                }
            }
        }
        out
    }

    /// Azure's `VirtualNetwork` service tag seen from `vnet`: its space, peered spaces and
    /// on-premises prefixes reached through its gateway.
    fn virtual_network(&self, vnet: &str) -> Rc<PrefixSet> {
        cached(&self.virtual_networks, vnet, || {
            let mut nets = self.space(vnet).to_vec();
            for peer in self.peers_of(vnet) {
                nets.extend_from_slice(self.space(peer));
            }
            if let Some(gateway_vnet) = self.gateway_vnet(vnet) {
                nets.extend(self.gateway_routes(&gateway_vnet).into_iter().map(|(p, _)| p));
            }
            Rc::new(PrefixSet::new(nets))
        })
    }

    /// Azure's `VirtualNetwork` service tag for the NSG of a subnet or of a NIC in it: the
    /// VNet's view ([`Network::virtual_network`]) and the prefixes of the user routes in the
    /// subnet's route table, `0.0.0.0/0` included (the tag "might also contain default routes").
    fn virtual_network_of_subnet(&self, subnet: &'a Element) -> Rc<VirtualNetworkTag> {
        cached(&self.subnet_virtual_networks, subnet.id.as_str(), || {
            let base = match self.vnet_of_subnet(subnet) {
                Some(vnet) => self.virtual_network(vnet.id.as_str()),
                None => Rc::default(),
            };
            let routes = self.route_table_of(subnet).map_or_else(Vec::new, |(_, table)| {
                table.routes.iter().filter_map(|r| parse_cidr(&r.prefix).ok()).collect()
            });
            Rc::new(VirtualNetworkTag { base, routes: PrefixSet::new(routes) })
        })
    }

    /// What a gateway in `vnet` advertises to on-premises: its VNet and the spokes it serves.
    fn advertised(&self, vnet: &str) -> Rc<PrefixSet> {
        cached(&self.advertised, vnet, || {
            let mut nets = self.space(vnet).to_vec();
            for spoke in self.transit_spokes.get(vnet).map_or(&[][..], Vec::as_slice) {
                nets.extend_from_slice(self.space(spoke));
            }
            Rc::new(PrefixSet::new(nets))
        })
    }

    /// The effective routes of a subnet: system routes, then its route table's.
    fn routes(&self, subnet_id: &str) -> Rc<Routes> {
        cached(&self.routes, subnet_id, || {
            let (user, system) = self.compute_routes(subnet_id);
            // A user route for 0.0.0.0/0 removes the None routes of the private ranges; a user
            // route replaces the system routes of its own prefix.
            let default_route = user.iter().any(|r| r.prefix.prefix_len() == 0 && matches!(r.prefix, IpNet::V4(_)));
            let overridden: HashSet<IpNet> = user.iter().map(|r| r.prefix).collect();
            let (invalid, mut active): (Vec<Route>, Vec<Route>) = system
                .into_iter()
                .partition(|r| (default_route && r.hop == Hop::Drop) || overridden.contains(&r.prefix));
            active.extend(user);
            Rc::new(Routes::new(active, invalid))
        })
    }

    /// A subnet's route table, if it names one.
    fn route_table_of(&self, subnet: &Element) -> Option<(&'a str, &'a RouteTable)> {
        subnet
            .props
            .as_subnet()
            .and_then(|s| s.route_table.as_ref())
            .and_then(|t| self.elements.get(t.as_str()))
            .and_then(|t| match &t.props {
                ElementProps::RouteTable(table) => Some((t.id.as_str(), table)),
                _ => None,
            })
    }

    /// A subnet's user routes (its route table's) and system routes, before one overrides
    /// the other.
    fn compute_routes(&self, subnet_id: &str) -> (Vec<Route>, Vec<Route>) {
        let Some(subnet) = self.elements.get(subnet_id).copied() else { return (Vec::new(), Vec::new()) };
        let table = self.route_table_of(subnet);
        let mut routes = Vec::new();
        let system = |prefix: IpNet, hop: Hop| Route { prefix, hop, origin: Origin::System };
        if let Some(vnet) = self.vnet_of_subnet(subnet) {
            let vnet = vnet.id.as_str();
            routes.extend(self.space(vnet).iter().map(|p| system(*p, Hop::VnetLocal)));
            for peer in self.peers_of(vnet) {
                routes.extend(self.space(peer).iter().map(|p| system(*p, Hop::Peering((*peer).to_owned()))));
            }
            let propagate = !table.is_some_and(|(_, t)| t.disable_gateway_propagation);
            if propagate && let Some(gateway_vnet) = self.gateway_vnet(vnet) {
                routes.extend(self.gateway_routes(&gateway_vnet).into_iter().map(|(p, g)| system(p, Hop::Gateway(g))));
            }
        }
        if let Ok(default) = "0.0.0.0/0".parse() {
            routes.push(system(default, Hop::Internet));
        }
        routes.extend(PRIVATE_RANGES.iter().filter_map(|r| r.parse().ok()).map(|p| system(p, Hop::Drop)));
        let mut user = Vec::new();
        if let Some((table_id, table)) = table {
            for route in &table.routes {
                // Routes to service tags concern Azure services, not the design's endpoints.
                let Ok(prefix) = parse_cidr(&route.prefix) else { continue };
                let hop = match (&route.next_hop, &route.next_hop_element) {
                    (NextHop::VirtualAppliance, Some(target)) => Hop::Appliance(target.0.clone()),
                    (NextHop::VirtualAppliance, None) | (NextHop::None, _) => Hop::Drop,
                    (NextHop::VnetLocal, _) => Hop::VnetLocal,
                    (NextHop::Internet, _) => Hop::Internet,
                    (NextHop::VirtualNetworkGateway, _) => {
                        let gateway = self
                            .vnet_of_subnet(subnet)
                            .and_then(|v| self.gateway_vnet(v.id.as_str()))
                            .and_then(|g| self.gateways_in(&g).first().map(|e| e.id.0.clone()));
                        gateway.map_or(Hop::Drop, Hop::Gateway)
                    }
                };
                user.push(Route {
                    prefix,
                    hop,
                    origin: Origin::User { table: table_id.to_owned(), name: route.name.clone() },
                });
            }
        }
        (user, routes)
    }

    /// The next hop from `subnet` for `address` (an IP address or a CIDR).
    pub(crate) fn next_hop(&self, subnet: &str, address: &str) -> Result<NextHopAnswer, QueryError> {
        let element = self.element(subnet)?;
        if element.kind() != ElementKind::Subnet {
            return Err(QueryError::NotA { id: subnet.to_owned(), wanted: "subnet" });
        }
        let target = address
            .parse::<std::net::IpAddr>()
            .map(IpNet::from)
            .or_else(|_| parse_cidr(address))
            .map_err(|_| QueryError::NotA { id: address.to_owned(), wanted: "IP address" })?;
        let routes = self.routes(subnet);
        let route = routes.lookup(&Addr::Nets(vec![target]));
        Ok(match route {
            Some(route) => NextHopAnswer {
                next_hop_type: route.hop.azure_name().to_owned(),
                next_hop_element: route.hop.element(),
                prefix: route.prefix.to_string(),
                route: route.origin.describe(),
            },
            None => NextHopAnswer {
                next_hop_type: "None".into(),
                next_hop_element: None,
                prefix: String::new(),
                route: "no route".into(),
            },
        })
    }

    /// A subnet's routes, for many lookups; `None` when `subnet` is no subnet.
    pub(crate) fn subnet_routes(&self, subnet: &str) -> Option<Rc<Routes>> {
        self.elements.get(subnet).filter(|s| s.kind() == ElementKind::Subnet).map(|s| self.routes(s.id.as_str()))
    }

    /// The firewall or NVA these routes send `dest` to, if they send it to one.
    pub(crate) fn appliance_hop(&self, routes: &Routes, dest: &IpNet) -> Option<&'a Element> {
        let Route { hop: Hop::Appliance(id), .. } = routes.lookup_dest(Dest::Nets(std::slice::from_ref(dest)))? else {
            return None;
        };
        self.elements.get(id.as_str()).copied().filter(|a| matches!(a.kind(), ElementKind::Firewall | ElementKind::Nva))
    }

    /// `first`, then the appliances its subnet's routes send `dest` on to, appliance after
    /// appliance, as [`Network::next_hop`] answers hop by hop from each appliance's subnet: at
    /// most `hops` in all, none twice (a routing loop ends the walk).
    pub(crate) fn appliances_from(&self, first: &'a Element, dest: &IpNet, hops: usize) -> Vec<&'a Element> {
        let mut out: Vec<&'a Element> = vec![first];
        while out.len() < hops {
            let here = out.last().and_then(|a| self.subnet_of(a));
            let Some(routes) = here.and_then(|s| self.subnet_routes(s.id.as_str())) else { break };
            let Some(appliance) = self.appliance_hop(&routes, dest) else { break };
            if out.iter().any(|seen| seen.id == appliance.id) {
                break;
            }
            out.push(appliance);
        }
        out
    }

    /// The subnet an element is in (or is), through its parents.
    fn subnet_of(&self, element: &'a Element) -> Option<&'a Element> {
        let mut current = Some(element);
        for _ in 0..8 {
            let here = current?;
            if here.props.as_subnet().is_some() {
                return Some(here);
            }
            current = self.parent_of(here);
        }
        None
    }

    fn endpoint(&self, id: &str) -> Result<Endpoint<'a>, QueryError> {
        let element = match self.elements.get(id) {
            Some(element) => *element,
            None if id == IMPLIED_INTERNET => {
                return Ok(Endpoint {
                    id: id.to_owned(),
                    kind: ElementKind::Internet,
                    addr: Addr::Internet,
                    vm: None,
                    subnet: None,
                });
            }
            None => return Err(QueryError::Unknown(id.to_owned())),
        };
        let prefix_of = |subnet: &Element| {
            subnet.props.as_subnet().and_then(|s| s.prefix.as_deref()).and_then(|p| parse_cidr(p).ok())
        };
        let endpoint = |addr, vm, subnet| Endpoint { id: id.to_owned(), kind: element.kind(), addr, vm, subnet };
        Ok(match &element.props {
            ElementProps::Vm(vm) => {
                let subnet = self.parent_of(element).filter(|s| s.kind() == ElementKind::Subnet);
                let own = vm.private_ip.as_deref().and_then(|ip| ip.parse::<std::net::IpAddr>().ok()).map(IpNet::from);
                let nets = own.or_else(|| subnet.and_then(prefix_of)).into_iter().collect();
                endpoint(Addr::Nets(nets), Some(vm), subnet)
            }
            ElementProps::Subnet(_) => {
                endpoint(Addr::Nets(prefix_of(element).into_iter().collect()), None, Some(element))
            }
            ElementProps::OnPremises(_) => endpoint(Addr::Nets(self.space(id).to_vec()), None, None),
            ElementProps::Internet(_) => endpoint(Addr::Internet, None, None),
            _ => return Err(QueryError::NotAnEndpoint { id: id.to_owned(), kind: element.kind() }),
        })
    }

    /// The NSGs a packet meets at an endpoint in one direction, in order, with their scope.
    fn nsg_chain(&self, endpoint: &Endpoint, direction: Direction) -> Vec<(String, &'static str)> {
        let nic = endpoint.vm.and_then(|vm| vm.nsg.as_ref()).map(|n| (n.0.clone(), "nic"));
        let subnet = endpoint
            .subnet
            .and_then(|s| s.props.as_subnet())
            .and_then(|s| s.nsg.as_ref())
            .map(|n| (n.0.clone(), "subnet"));
        match direction {
            Direction::Outbound => nic.into_iter().chain(subnet).collect(),
            Direction::Inbound => subnet.into_iter().chain(nic).collect(),
        }
    }

    fn nsg_rules(&self, nsg: &str) -> &'a [NsgRule] {
        match self.elements.get(nsg).map(|e| &e.props) {
            Some(ElementProps::Nsg(nsg)) => &nsg.rules,
            _ => &[],
        }
    }

    fn vnet_id_of(&self, endpoint: &Endpoint) -> Option<&'a str> {
        endpoint.subnet.and_then(|s| self.vnet_of_subnet(s)).map(|v| v.id.as_str())
    }

    /// Does a parsed address expression of a rule cover the endpoint? `scope` is the subnet
    /// whose view of the service tags applies (an NSG's; none for a firewall's or an NVA's).
    fn address_matches(&self, expression: &[Part], endpoint: &Endpoint, scope: Option<&'a Element>) -> bool {
        expression.iter().any(|part| self.part_matches(part, endpoint, scope))
    }

    fn part_matches(&self, part: &Part, endpoint: &Endpoint, scope: Option<&'a Element>) -> bool {
        let tag = || scope.map(|subnet| self.virtual_network_of_subnet(subnet));
        match part {
            Part::Any => true,
            Part::Asg(asg) => endpoint.vm.is_some_and(|vm| vm.asgs.iter().any(|a| a.as_str() == asg)),
            Part::Element(id) => endpoint.id == *id || endpoint.subnet.is_some_and(|s| s.id.as_str() == id),
            Part::Net(net) => match &endpoint.addr {
                Addr::Internet => net.prefix_len() == 0,
                Addr::Nets(nets) => !nets.is_empty() && nets.iter().all(|n| covers(net, n)),
            },
            Part::VirtualNetwork => {
                let Some(tag) = tag() else { return false };
                match &endpoint.addr {
                    Addr::Internet => tag.covers_internet(),
                    Addr::Nets(nets) => !nets.is_empty() && nets.iter().all(|n| tag.covers(n)),
                }
            }
            // Public addresses outside the VNet's view (user routes do not make the internet private).
            Part::Internet => match &endpoint.addr {
                Addr::Internet => true,
                Addr::Nets(nets) => {
                    let tag = tag();
                    let inside = |n: &IpNet| tag.as_ref().is_some_and(|t| t.base.covers(n));
                    !nets.is_empty() && nets.iter().all(|n| !is_private(n) && !inside(n))
                }
            },
            Part::Nothing => false,
        }
    }

    /// An NSG's rules of one direction in evaluation order, parsed (once per NSG).
    fn nsg_rules_compiled(&self, nsg: &str, direction: Direction) -> Rc<RuleList> {
        let compile = |direction| {
            Rc::new(RuleList::new(
                rules_in_order(self.nsg_rules(nsg), direction)
                    .iter()
                    .map(|(rule, _)| {
                        Compiled::new(
                            &rule.name,
                            rule.access,
                            source_ports_match(&rule.source_ports),
                            &rule.source,
                            &rule.destination,
                            Traffic::of_rule(rule.protocol, &rule.destination_ports),
                        )
                    })
                    .collect(),
            ))
        };
        let [inbound, outbound] =
            cached(&self.compiled_nsgs, nsg, || [compile(Direction::Inbound), compile(Direction::Outbound)]);
        if direction == Direction::Outbound { outbound } else { inbound }
    }

    /// A firewall's or NVA's rules, parsed (once per appliance).
    fn appliance_rules_compiled(&self, appliance: &Element) -> Rc<RuleList> {
        cached(&self.compiled_appliances, appliance.id.as_str(), || {
            let rules: &[FirewallRule] = match &appliance.props {
                ElementProps::Firewall(f) => &f.rules,
                ElementProps::Nva(n) => &n.rules,
                _ => &[],
            };
            Rc::new(RuleList::new(
                rules
                    .iter()
                    .map(|rule| {
                        Compiled::new(
                            &rule.name,
                            rule.action,
                            true,
                            &rule.source,
                            &rule.destination,
                            Traffic::of_rule(rule.protocol, &rule.destination_ports),
                        )
                    })
                    .collect(),
            ))
        })
    }

    /// Runs traffic through one NSG in one direction.
    fn through_nsg(
        &self,
        nsg: &str,
        direction: Direction,
        src: &Endpoint,
        dst: &Endpoint,
        traffic: &Traffic,
    ) -> Filtered {
        let scope = match direction {
            Direction::Outbound => src.subnet,
            Direction::Inbound => dst.subnet,
        };
        let rules = self.nsg_rules_compiled(nsg, direction);
        let filtered = self.filter(&rules, src, dst, scope, traffic);
        let denied_by = if filtered.allowed.is_empty() { filtered.denied_by.or(Some("DenyAll".into())) } else { None };
        Filtered { allowed: filtered.allowed, denied_by }
    }

    /// Runs traffic through a firewall's or NVA's rules: in order, first match, no match denies.
    fn through_appliance(&self, appliance: &Element, src: &Endpoint, dst: &Endpoint, traffic: &Traffic) -> Filtered {
        let rules = self.appliance_rules_compiled(appliance);
        let filtered = self.filter(&rules, src, dst, None, traffic);
        let denied_by =
            if filtered.allowed.is_empty() { filtered.denied_by.or(Some(DEFAULT_DENY.into())) } else { None };
        Filtered { allowed: filtered.allowed, denied_by }
    }

    /// Runs traffic through rules in order: each takes what it matches of what is left; what
    /// is allowed, and the last rule that denied something.
    fn filter(
        &self,
        list: &RuleList,
        src: &Endpoint,
        dst: &Endpoint,
        scope: Option<&'a Element>,
        traffic: &Traffic,
    ) -> Filtered {
        let mut remaining = traffic.clone();
        let mut allowed = Traffic::default();
        let mut denied_by = None;
        // Rules whose destination cannot match are skipped, as the scan would skip them.
        let candidates = list.candidates(dst);
        let rules: Box<dyn Iterator<Item = &Compiled>> = match &candidates {
            Some(positions) => Box::new(positions.iter().map(|&i| &list.rules[i])),
            None => Box::new(list.rules.iter()),
        };
        for rule in rules {
            if remaining.is_empty() {
                break;
            }
            if !rule.source_ports
                || !self.address_matches(&rule.source, src, scope)
                || !self.address_matches(&rule.destination, dst, scope)
            {
                continue;
            }
            let matched = remaining.intersect(&rule.traffic);
            if matched.is_empty() {
                continue;
            }
            match rule.access {
                Access::Allow => allowed = allowed.union(&matched),
                Access::Deny => denied_by = Some(rule.name.clone()),
            }
            remaining = remaining.subtract(&matched);
        }
        Filtered { allowed, denied_by }
    }

    pub(crate) fn verify(&self, from: &str, to: &str, traffic: &Traffic) -> Result<Answer, QueryError> {
        let src = self.endpoint(from)?;
        let dst = self.endpoint(to)?;
        let mut trip = Trip::new(&src, traffic);
        Ok(match (src.kind, dst.kind) {
            (ElementKind::Internet, _) => self.inbound_from_internet(&src, &dst, trip),
            (ElementKind::OnPremises, _) => self.inbound_from_premises(&src, &dst, trip),
            (_, _) => {
                for (nsg, _) in self.nsg_chain(&src, Direction::Outbound) {
                    let filtered = self.through_nsg(&nsg, Direction::Outbound, &src, &dst, &trip.traffic);
                    if let Some(rule) = filtered.denied_by {
                        let reason = format!("denied by NSG {nsg} rule {rule}, outbound at {}", src.id);
                        return Ok(trip.deny(&nsg, &rule, reason));
                    }
                    trip.traffic = filtered.allowed;
                }
                match src.subnet {
                    Some(subnet) => self.forward(&src, &dst, subnet, trip),
                    None => trip.deny(&src.id, "no subnet", format!("{} is in no subnet", src.id)),
                }
            }
        })
    }

    fn inbound_from_internet(&self, src: &Endpoint, dst: &Endpoint, mut trip: Trip) -> Answer {
        let Some(vm) = dst.vm else {
            return trip.deny_plain(format!("the internet reaches only public endpoints; {} has none", dst.id));
        };
        if vm.public_ip {
            return self.closed_unless_nsg(src, dst, trip, None);
        }
        let Some(frontend) = self.public_frontends.get(dst.id.as_str()).copied() else {
            return trip.deny_plain(format!(
                "the internet reaches only public endpoints; {} has no public IP and no public load balancer or application gateway",
                dst.id
            ));
        };
        trip.path.push(frontend.id.0.clone());
        trip.frontend = Some(frontend.id.0.clone());
        // A frontend forwards only its ports (when it lists them): a load balancer's rules
        // carry TCP or UDP, an application gateway's listeners HTTP(S) over TCP.
        let (ports, protocols, missing) = match &frontend.props {
            ElementProps::LoadBalancer(lb) => {
                (&lb.ports, &[RuleProtocol::Tcp, RuleProtocol::Udp][..], "no load-balancing rule")
            }
            ElementProps::AppGateway(agw) => (&agw.ports, &[RuleProtocol::Tcp][..], "no listener"),
            _ => (&Vec::new(), &[][..], ""),
        };
        if !ports.is_empty() {
            let list = ports.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
            let forwarded = protocols.iter().fold(Traffic::default(), |all, p| all.union(&Traffic::of_rule(*p, &list)));
            trip.traffic = trip.traffic.intersect(&forwarded);
            if trip.traffic.is_empty() {
                let reason = format!("{} forwards only port {list} to {}", frontend.id, dst.id);
                return trip.deny(frontend.id.as_str(), missing, reason);
            }
        }
        // An application gateway is a proxy: the backend sees its subnet as the source, and
        // the reply goes back to it.
        if frontend.kind() == ElementKind::AppGateway
            && let Some(subnet) = self.parent_of(frontend)
        {
            let proxy = Endpoint {
                id: frontend.id.0.clone(),
                kind: ElementKind::Subnet,
                addr: self.endpoint(subnet.id.as_str()).map(|e| e.addr).unwrap_or(Addr::Nets(Vec::new())),
                vm: None,
                subnet: Some(subnet),
            };
            trip.behind_proxy = Some(src.id.clone());
            return self.deliver(&proxy, dst, trip);
        }
        self.closed_unless_nsg(src, dst, trip, Some(frontend))
    }

    /// Standard public IPs and load balancers are closed to inbound traffic unless an NSG
    /// allows it: with no NSG on the subnet nor the NIC, internet traffic is denied.
    fn closed_unless_nsg(&self, src: &Endpoint, dst: &Endpoint, mut trip: Trip, frontend: Option<&Element>) -> Answer {
        if !self.nsg_chain(dst, Direction::Inbound).is_empty() {
            return self.deliver(src, dst, trip);
        }
        let subnet = dst.subnet.map_or("its subnet", |s| s.id.as_str());
        let (element, what) = match frontend {
            Some(lb) => (lb.id.as_str(), format!("the Standard load balancer {}", lb.id)),
            None => (dst.id.as_str(), format!("the Standard public IP of {}", dst.id)),
        };
        let reason = format!(
            "{what} is closed to inbound traffic unless an NSG allows it, and neither {subnet} nor {}'s NIC has an NSG",
            dst.id
        );
        trip.path.push(dst.id.clone());
        trip.deny(element, "no NSG", reason)
    }

    fn inbound_from_premises(&self, src: &Endpoint, dst: &Endpoint, mut trip: Trip) -> Answer {
        let Some(gateway) = self.entry_gateway(&src.id) else {
            return trip.deny_plain(format!("{} is connected to no gateway", src.id));
        };
        trip.path.push(gateway.id.0.clone());
        trip.entry_gateway = Some(gateway.id.0.clone());
        let Some(gateway_subnet) = self.parent_of(gateway) else {
            return trip.deny(gateway.id.as_str(), "no subnet", format!("{} is in no subnet", gateway.id));
        };
        let vnet = self.vnet_of_subnet(gateway_subnet).map(|v| v.id.as_str()).unwrap_or_default();
        let advertised = self.advertised(vnet);
        let reached = match &dst.addr {
            Addr::Nets(nets) => !nets.is_empty() && nets.iter().all(|n| advertised.covers(n)),
            Addr::Internet => false,
        };
        if !reached {
            let reason = format!(
                "{} advertises to on-premises only {} and the spokes it serves with gateway transit; {} is not among them",
                gateway.id, vnet, dst.id
            );
            return trip.deny(gateway.id.as_str(), "not advertised", reason);
        }
        self.forward(src, dst, gateway_subnet, trip)
    }

    /// Follows the routes from `subnet` until the packet is delivered or dropped.
    fn forward(&self, src: &Endpoint, dst: &Endpoint, mut subnet: &'a Element, mut trip: Trip) -> Answer {
        let dst_vnet = self.vnet_id_of(dst);
        loop {
            let routes = self.routes(subnet.id.as_str());
            let Some(route) = routes.lookup(&dst.addr).cloned() else {
                let reason = format!("no route from {} covers {}", subnet.id, dst.id);
                return trip.deny(subnet.id.as_str(), "no route", reason);
            };
            // Past a firewall or an NVA, the packet is forwarded traffic.
            let forwarded = !trip.appliances.is_empty();
            match &route.hop {
                Hop::Drop => {
                    let (element, rule) = route.decided_by(subnet, "None");
                    let reason = format!(
                        "dropped at {}: the route for {} ({}) has next hop None, so {} is unreachable",
                        subnet.id,
                        route.prefix,
                        route.origin.describe(),
                        dst.id
                    );
                    return trip.deny(&element, &rule, reason);
                }
                Hop::VnetLocal => {
                    let here = self.vnet_of_subnet(subnet).map(|v| v.id.as_str());
                    if here.is_some() && dst_vnet == here {
                        return self.deliver(src, dst, trip);
                    }
                    let reason =
                        format!("{} routes {} inside its VNet, but {} is not there", subnet.id, route.prefix, dst.id);
                    return trip.deny(subnet.id.as_str(), "VnetLocal", reason);
                }
                Hop::Peering(peer) => {
                    if dst_vnet != Some(peer.as_str()) {
                        let reason = format!("the peering to {peer} does not lead to {}", dst.id);
                        return trip.deny(subnet.id.as_str(), "VNetPeering", reason);
                    }
                    if forwarded && let Some((link, reason)) = self.refuses_forwarded(subnet, peer) {
                        return trip.deny(link, FORWARDED_TRAFFIC, reason);
                    }
                    return self.deliver(src, dst, trip);
                }
                Hop::Gateway(gateway) => {
                    trip.path.push(gateway.clone());
                    if dst.kind == ElementKind::Internet {
                        let reason = format!(
                            "sent on-premises: {} sends {} to {gateway} (forced tunnelling), so traffic for the internet leaves through the on-premises network",
                            subnet.id, route.prefix
                        );
                        return trip.deny(gateway, SENT_ON_PREMISES, reason);
                    }
                    let connected = self.sites_of_gateway(gateway).iter().any(|(site, _)| *site == dst.id);
                    if dst.kind == ElementKind::OnPremises && connected {
                        trip.path.push(dst.id.clone());
                        return trip.allow(format!("allowed through {gateway} to {}", dst.id));
                    }
                    let reason = format!("{gateway} does not connect to {}", dst.id);
                    return trip.deny(gateway, "no connection", reason);
                }
                Hop::Internet => {
                    if dst.kind == ElementKind::Internet {
                        trip.path.push(dst.id.clone());
                        return trip.allow(format!("allowed from {} to the internet", src.id));
                    }
                    let (element, rule) = route.decided_by(subnet, "Internet");
                    let reason =
                        format!("{} sends {} to the internet, where {} is not", subnet.id, route.prefix, dst.id);
                    return trip.deny(&element, &rule, reason);
                }
                Hop::Appliance(id) => {
                    if trip.appliances.contains(id) {
                        let reason = format!("routing loop through {id}");
                        return trip.deny(id, "loop", reason);
                    }
                    let Some(appliance) = self.elements.get(id.as_str()).copied() else {
                        return trip.deny(subnet.id.as_str(), "missing appliance", format!("{id} does not exist"));
                    };
                    trip.path.push(id.clone());
                    trip.appliances.push(id.clone());
                    let filtered = self.through_appliance(appliance, src, dst, &trip.traffic);
                    if let Some(rule) = filtered.denied_by {
                        return trip.deny(id, &rule, format!("denied by {id} rule {rule}"));
                    }
                    trip.traffic = filtered.allowed;
                    let Some(next) = self.parent_of(appliance) else {
                        return trip.deny(id, "no subnet", format!("{id} is in no subnet"));
                    };
                    subnet = next;
                }
            }
        }
    }

    /// The peering from `subnet`'s VNet to `peer` when it drops forwarded traffic (its link and
    /// why): `allowForwardedTraffic: false` refuses what an appliance in `subnet`'s VNet forwards.
    fn refuses_forwarded(&self, subnet: &Element, peer: &str) -> Option<(&'a str, String)> {
        let here = self.vnet_of_subnet(subnet)?.id.as_str();
        let link = self.peering_links.get(&pair(here, peer)).copied()?;
        let LinkProps::Peering(peering) = &link.props else { return None };
        (!peering.allow_forwarded_traffic).then(|| {
            let reason = format!(
                "the peering {} between {here} and {peer} has allowForwardedTraffic false, so it drops what an appliance in {here} forwards into {peer}",
                link.id
            );
            (link.id.as_str(), reason)
        })
    }

    /// The packet reaches the destination's subnet: its NSGs inbound decide, then the reply
    /// must route back.
    fn deliver(&self, src: &Endpoint, dst: &Endpoint, mut trip: Trip) -> Answer {
        trip.path.push(dst.id.clone());
        for (nsg, _) in self.nsg_chain(dst, Direction::Inbound) {
            let filtered = self.through_nsg(&nsg, Direction::Inbound, src, dst, &trip.traffic);
            if let Some(rule) = filtered.denied_by {
                let reason = format!("denied by NSG {nsg} rule {rule}, inbound at {}", dst.id);
                return trip.deny(&nsg, &rule, reason);
            }
            trip.traffic = filtered.allowed;
        }
        match self.reply(src, dst, &trip) {
            Ok(return_path) => {
                let route = trip.path.join(" → ");
                let back = return_path.join(" → ");
                let mut answer = trip.allow(format!("allowed along {route}; the reply returns along {back}"));
                answer.return_path = return_path;
                answer
            }
            Err(failure) => {
                let mut answer = trip.deny(&failure.element, failure.rule, failure.reason);
                answer.return_path = failure.path;
                answer
            }
        }
    }

    /// The way the reply takes from the destination's subnet back to `client`, routed by each
    /// subnet's routes on the way, through the same firewalls and NVAs as the request (a
    /// stateful appliance drops a flow it sees only half of). Where it fails, the error says.
    fn reply(&self, client: &Endpoint, dst: &Endpoint, trip: &Trip) -> Result<Vec<String>, ReplyFailure> {
        let mut path = vec![dst.id.clone()];
        let fail = |path: &[String], element: &str, rule: &'static str, reason: String| ReplyFailure {
            element: element.to_owned(),
            rule,
            reason,
            path: path.to_vec(),
        };
        let Some(mut subnet) = dst.subnet else {
            return Err(fail(&path, &dst.id, NO_RETURN_ROUTE, format!("{} is in no subnet", dst.id)));
        };
        let client_vnet = self.vnet_id_of(client);
        let mut passed: Vec<String> = Vec::new();
        loop {
            let routes = self.routes(subnet.id.as_str());
            let Some(route) = routes.lookup(&client.addr) else {
                let reason = format!("no return route: no route from {} covers {}", subnet.id, client.id);
                return Err(fail(&path, subnet.id.as_str(), NO_RETURN_ROUTE, reason));
            };
            let lost = |path: &[String], what: String| {
                let reason =
                    format!("no return route: {what}, so the reply from {} never reaches {}", dst.id, client.id);
                Err(fail(path, subnet.id.as_str(), NO_RETURN_ROUTE, reason))
            };
            match &route.hop {
                Hop::Drop => {
                    return lost(
                        &path,
                        format!("{} routes {} to None ({})", subnet.id, route.prefix, route.origin.describe()),
                    );
                }
                Hop::VnetLocal => {
                    let here = self.vnet_of_subnet(subnet).map(|v| v.id.as_str());
                    if here.is_none() || client_vnet != here {
                        return lost(&path, format!("{} routes {} inside its VNet", subnet.id, route.prefix));
                    }
                    break;
                }
                Hop::Peering(peer) => {
                    if client_vnet != Some(peer.as_str()) {
                        return lost(
                            &path,
                            format!("{} routes {} to the peering with {peer}", subnet.id, route.prefix),
                        );
                    }
                    if !passed.is_empty()
                        && let Some((link, reason)) = self.refuses_forwarded(subnet, peer)
                    {
                        return Err(fail(&path, link, FORWARDED_TRAFFIC, format!("the reply is dropped: {reason}")));
                    }
                    break;
                }
                Hop::Gateway(gateway) => {
                    let connected = self.sites_of_gateway(gateway).iter().any(|(site, _)| *site == client.id);
                    if client.kind == ElementKind::Internet {
                        let reason = format!(
                            "asymmetric: {} sends the reply for the internet to {gateway} (forced tunnelling), not back the way the request came",
                            subnet.id
                        );
                        return Err(fail(&path, subnet.id.as_str(), ASYMMETRIC, reason));
                    }
                    if client.kind != ElementKind::OnPremises || !connected {
                        return lost(&path, format!("{} sends {} to {gateway}", subnet.id, route.prefix));
                    }
                    path.push(gateway.clone());
                    if let Some(entry) = trip.entry_gateway.as_deref().filter(|entry| *entry != gateway.as_str()) {
                        let reason = format!(
                            "asymmetric: the reply from {} leaves through {gateway}, not through {entry}, which the request came in by",
                            dst.id
                        );
                        return Err(fail(&path, entry, ASYMMETRIC, reason));
                    }
                    break;
                }
                Hop::Internet => {
                    if client.kind != ElementKind::Internet {
                        return lost(&path, format!("{} sends {} to the internet", subnet.id, route.prefix));
                    }
                    path.extend(trip.frontend.iter().cloned());
                    break;
                }
                Hop::Appliance(id) => {
                    if !trip.appliances.contains(id) {
                        let reason = format!(
                            "asymmetric: {} sends the reply from {} to {} through {id}, which the request did not pass; a stateful appliance drops a flow it sees only half of",
                            subnet.id, dst.id, client.id
                        );
                        return Err(fail(&path, subnet.id.as_str(), ASYMMETRIC, reason));
                    }
                    if passed.contains(id) {
                        let reason = format!("no return route: the reply loops through {id}");
                        return Err(fail(&path, id, NO_RETURN_ROUTE, reason));
                    }
                    path.push(id.clone());
                    passed.push(id.clone());
                    let Some(next) = self.elements.get(id.as_str()).and_then(|a| self.parent_of(a)) else {
                        return Err(fail(&path, id, NO_RETURN_ROUTE, format!("no return route: {id} is in no subnet")));
                    };
                    subnet = next;
                }
            }
        }
        if let Some(bypassed) = trip.appliances.iter().find(|a| !passed.contains(a)) {
            let reason = format!(
                "asymmetric: the reply from {} to {} does not pass {bypassed}, which the request passed; {bypassed} sees only half of the flow and the client drops the reply",
                dst.id, client.id
            );
            return Err(fail(&path, bypassed, ASYMMETRIC, reason));
        }
        path.push(client.id.clone());
        path.extend(trip.behind_proxy.iter().cloned());
        Ok(path)
    }
}

/// The rule a deny names when the reply finds no way back to the client.
pub const NO_RETURN_ROUTE: &str = "no return route";
/// The rule a deny names when the reply takes other firewalls or NVAs than the request.
pub const ASYMMETRIC: &str = "asymmetric";
/// The rule a deny names when a peering drops forwarded traffic.
pub const FORWARDED_TRAFFIC: &str = "allowForwardedTraffic";
/// The rule a deny names when internet traffic is tunnelled to on-premises.
pub const SENT_ON_PREMISES: &str = "sent on-premises";

/// Where a reply fails: the deciding element and rule, why, and the way it took until then.
struct ReplyFailure {
    element: String,
    rule: &'static str,
    reason: String,
    path: Vec<String>,
}

/// The key of the peering between two VNets (one link stands for both directions).
fn pair<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    if a <= b { (a, b) } else { (b, a) }
}

impl Route {
    /// The element and rule a deny by this route names: the route table and the route's
    /// name, or the subnet and `system_rule` for a system route.
    fn decided_by(&self, subnet: &Element, system_rule: &str) -> (String, String) {
        match &self.origin {
            Origin::User { table, name } => (table.clone(), name.clone()),
            Origin::System => (subnet.id.0.clone(), system_rule.to_owned()),
        }
    }
}

/// The name of the implicit last rule of a firewall or NVA.
pub const DEFAULT_DENY: &str = "DefaultDeny";

/// A packet on its way.
struct Trip {
    path: Vec<String>,
    traffic: Traffic,
    /// The firewalls and NVAs the request passed, in order.
    appliances: Vec<String>,
    /// The gateway a request from on-premises came in by.
    entry_gateway: Option<String>,
    /// The public load balancer or application gateway a request from the internet came in by.
    frontend: Option<String>,
    /// The client behind a proxy (an application gateway): the reply goes back to the proxy,
    /// which answers it.
    behind_proxy: Option<String>,
}

impl Trip {
    fn new(src: &Endpoint, traffic: &Traffic) -> Self {
        Trip {
            path: vec![src.id.clone()],
            traffic: traffic.clone(),
            appliances: Vec::new(),
            entry_gateway: None,
            frontend: None,
            behind_proxy: None,
        }
    }

    /// An allow whose reply starts outside Azure (the internet, on-premises), so it comes
    /// back the way the request left: the request's path reversed.
    fn allow(self, reason: String) -> Answer {
        let return_path = self.path.iter().rev().cloned().collect();
        Answer {
            verdict: Verdict::Allow,
            path: self.path,
            return_path,
            denied_by: None,
            reason,
            allowed: self.traffic.describe(),
        }
    }

    fn deny(self, element: &str, rule: &str, reason: String) -> Answer {
        let denied_by = Some(DeniedBy { element: element.to_owned(), rule: rule.to_owned() });
        Answer {
            verdict: Verdict::Deny,
            path: self.path,
            return_path: Vec::new(),
            denied_by,
            reason,
            allowed: Vec::new(),
        }
    }

    /// A deny no element or rule decides (the internet has no way in).
    fn deny_plain(self, reason: String) -> Answer {
        Answer {
            verdict: Verdict::Deny,
            path: self.path,
            return_path: Vec::new(),
            denied_by: None,
            reason,
            allowed: Vec::new(),
        }
    }
}

/// An NSG's custom rules of one direction by priority, then Azure's default rules.
fn rules_in_order(custom: &[NsgRule], direction: Direction) -> Vec<(NsgRule, bool)> {
    let mut rules: Vec<(NsgRule, bool)> =
        custom.iter().filter(|r| r.direction == direction).cloned().map(|r| (r, false)).collect();
    crate::sorting::sort_by_key(&mut rules, |(r, _)| r.priority);
    rules.extend(default_rules(direction).into_iter().map(|r| (r, true)));
    rules
}

/// Azure's default security rules, by their names.
pub fn default_rules(direction: Direction) -> Vec<NsgRule> {
    let rule = |priority: u32, name: &str, access: Access, source: &str, destination: &str| NsgRule {
        name: name.to_owned(),
        priority,
        direction,
        access,
        protocol: RuleProtocol::Any,
        source: source.to_owned(),
        source_ports: "*".to_owned(),
        destination: destination.to_owned(),
        destination_ports: "*".to_owned(),
        extra: Default::default(),
    };
    match direction {
        Direction::Inbound => vec![
            rule(65000, "AllowVnetInBound", Access::Allow, "VirtualNetwork", "VirtualNetwork"),
            rule(65001, "AllowAzureLoadBalancerInBound", Access::Allow, "AzureLoadBalancer", "*"),
            rule(65500, "DenyAllInBound", Access::Deny, "*", "*"),
        ],
        Direction::Outbound => vec![
            rule(65000, "AllowVnetOutBound", Access::Allow, "VirtualNetwork", "VirtualNetwork"),
            rule(65001, "AllowInternetOutBound", Access::Allow, "*", "Internet"),
            rule(65500, "DenyAllOutBound", Access::Deny, "*", "*"),
        ],
    }
}

/// The ports a client picks its source port from.
const EPHEMERAL_PORTS: (u16, u16) = (1024, u16::MAX);

/// Clients use ephemeral source ports (any of 1024–65535); a rule's source ports apply to a
/// client only when they cover that whole range, as any other address or port must.
fn source_ports_match(ports: &str) -> bool {
    let Ok(mut ranges) = crate::check::parse_ports(ports) else { return false };
    crate::sorting::sort(&mut ranges);
    // The lowest ephemeral port not yet covered, walking the ranges in order.
    let mut next = u32::from(EPHEMERAL_PORTS.0);
    for (low, high) in ranges {
        if u32::from(low) > next {
            break;
        }
        next = next.max(u32::from(high) + 1);
    }
    next > u32::from(EPHEMERAL_PORTS.1)
}

/// The value `cache` keeps for `key`, computed on first use. The borrow is let go before
/// computing: filling one cache can fill others, or this one for another key.
fn cached<T: Clone>(cache: &RefCell<HashMap<String, T>>, key: &str, compute: impl FnOnce() -> T) -> T {
    if let Some(value) = cache.borrow().get(key) {
        return value.clone();
    }
    let value = compute();
    cache.borrow_mut().insert(key.to_owned(), value.clone());
    value
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Prefixes in a small space, so that they nest and overlap often.
    fn net() -> impl Strategy<Value = IpNet> {
        (0u8..4, 0u8..4, 0u8..=32)
            .prop_map(|(b, c, len)| IpNet::new(std::net::IpAddr::from([10, b, c, 0]), len).unwrap())
    }

    fn route() -> impl Strategy<Value = Route> {
        (net(), 0u8..4, any::<bool>()).prop_map(|(prefix, hop, user)| Route {
            prefix,
            hop: match hop {
                0 => Hop::VnetLocal,
                1 => Hop::Peering("p".into()),
                2 => Hop::Gateway("g".into()),
                _ => Hop::Drop,
            },
            origin: if user { Origin::User { table: "t".into(), name: "r".into() } } else { Origin::System },
        })
    }

    proptest! {
        /// The index of a long route list decides as the scan does, down to which of equal routes.
        #[test]
        fn indexed_routes_decide_as_the_scan(list in prop::collection::vec(route(), 0..60), dests in prop::collection::vec(net(), 0..3)) {
            let routes = Routes::new(list.clone(), Vec::new());
            let dest = Addr::Nets(dests);
            let position = |all: &[Route], found: Option<&Route>| found.and_then(|r| all.iter().position(|x| std::ptr::eq(x, r)));
            let scanned = best_route(list.iter(), Dest::of(&dest));
            prop_assert_eq!(position(&list, scanned), position(&routes.list, routes.lookup(&dest)));
            let internet = Addr::Internet;
            prop_assert_eq!(best_route(list.iter(), Dest::Internet).map(|r| r.prefix), routes.lookup(&internet).map(|r| r.prefix));
        }

        /// The integer test of containment agrees with ipnet's.
        #[test]
        fn covers_agrees_with_ipnet(outer in net(), inner in net()) {
            prop_assert_eq!(covers(&outer, &inner), outer.contains(&inner));
        }

        /// Skipping the rules whose `el:` destinations name other elements changes no verdict.
        #[test]
        fn indexed_rule_lists_filter_as_the_scan(
            specs in prop::collection::vec((0usize..6, 0usize..6, any::<bool>(), 0usize..4), 0..40),
            from in 0usize..4,
            to in 0usize..4,
        ) {
            let design = crate::format::load_value(serde_json::json!({
                "format": "moat-design", "version": 1,
                "elements": [
                    { "id": "net", "kind": "vnet", "addressSpace": ["10.0.0.0/16"] },
                    { "id": "a", "kind": "subnet", "parent": "net", "prefix": "10.0.1.0/24" },
                    { "id": "b", "kind": "subnet", "parent": "net", "prefix": "10.0.2.0/24" },
                    { "id": "vm-a", "kind": "vm", "parent": "a", "asgs": ["g"] },
                    { "id": "vm-b", "kind": "vm", "parent": "b" },
                ],
            }))
            .unwrap()
            .design;
            let net = Network::new(&design);
            let ids = ["a", "b", "vm-a", "vm-b"];
            let addresses = ["el:a", "el:b", "el:vm-a", "*", "asg:g", "10.0.2.0/24, el:vm-b"];
            let ports = ["*", "22", "443", "1000-2000"];
            let rules: Vec<Compiled> = specs
                .iter()
                .enumerate()
                .map(|(i, (source, destination, allow, port))| {
                    let access = if *allow { Access::Allow } else { Access::Deny };
                    let traffic = Traffic::of_rule(RuleProtocol::Tcp, ports[*port]);
                    Compiled::new(&format!("r{i}"), access, true, addresses[*source], addresses[*destination], traffic)
                })
                .collect();
            let indexed = RuleList::new(rules);
            let (src, dst) = (net.endpoint(ids[from]).unwrap(), net.endpoint(ids[to]).unwrap());
            let traffic = Traffic::of(FlowProtocol::Any, None);
            let with_index = net.filter(&indexed, &src, &dst, None, &traffic);
            let scan = RuleList { rules: indexed.rules, index: None };
            let without = net.filter(&scan, &src, &dst, None, &traffic);
            prop_assert_eq!(with_index.allowed, without.allowed);
            prop_assert_eq!(with_index.denied_by, without.denied_by);
        }

        /// A prefix set covers what one of its members covers.
        #[test]
        fn prefix_sets_cover_as_their_members(members in prop::collection::vec(net(), 0..30), probe in net()) {
            let set = PrefixSet::new(members.clone());
            prop_assert_eq!(set.covers(&probe), members.iter().any(|m| covers(m, &probe)));
        }
    }
}
