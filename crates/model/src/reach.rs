//! Reachability (SPEC §5): what traffic the design lets through, decided on the drawing as
//! Azure's Network Watcher decides it on deployed resources ("IP flow verify", "next hop",
//! "effective security rules").
//!
//! A query carries a set of traffic (protocols and ports, see [`Traffic`]) from the source
//! along the path the routes choose: the source's NSGs outbound (NIC, then subnet), each
//! firewall or NVA a route sends the packet to, and the destination's NSGs inbound (subnet,
//! then NIC). Whatever survives every filter is allowed. Replies are not evaluated
//! (filters are stateful).
//!
//! Address semantics: a VM stands for any of its instances (its `privateIp`, else any
//! address of its subnet), a subnet for any address in it, an on-premises site for its
//! address space. A rule or route applies to an endpoint only when it covers all of the
//! endpoint's addresses.

use std::collections::{HashMap, HashSet};
use std::fmt;

use ipnet::IpNet;
use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

use crate::check::{IMPLIED_INTERNET, is_service_tag, parse_cidr};
use crate::design::Design;
use crate::element::{
    Access, Direction, Element, ElementKind, ElementProps, FirewallRule, NextHop, NsgRule, RuleProtocol, Vm,
};
use crate::link::{FlowProtocol, LinkProps};
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
    pub fn cell(&self, from: &str, to: &str) -> Option<&Cell> {
        self.cells.iter().find(|c| c.from == from && c.to == to)
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
        for to in &endpoints {
            let several =
                design.element(from).is_some_and(|e| matches!(&e.props, ElementProps::Vm(vm) if vm.count >= 2));
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
    let net = Network::new(design);
    let element = net.element(subnet)?;
    if element.kind() != ElementKind::Subnet {
        return Err(QueryError::NotA { id: subnet.to_owned(), wanted: "subnet" });
    }
    let target = address
        .parse::<std::net::IpAddr>()
        .map(IpNet::from)
        .or_else(|_| parse_cidr(address))
        .map_err(|_| QueryError::NotA { id: address.to_owned(), wanted: "IP address" })?;
    let routes = net.routes(subnet);
    let route = lookup(&routes, &Addr::Nets(vec![target]));
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

/// One route of a subnet's effective routes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveRoute {
    pub prefix: String,
    pub next_hop_type: String,
    pub next_hop_element: Option<String>,
    /// `system`, or `user: <route table>/<route>`.
    pub source: String,
}

/// The routes in force for a subnet, longest prefix first.
pub fn effective_routes(design: &Design, subnet: &str) -> Result<Vec<EffectiveRoute>, QueryError> {
    let net = Network::new(design);
    if net.element(subnet)?.kind() != ElementKind::Subnet {
        return Err(QueryError::NotA { id: subnet.to_owned(), wanted: "subnet" });
    }
    let mut routes = net.routes(subnet);
    routes.sort_by_key(|r| std::cmp::Reverse(r.prefix.prefix_len()));
    Ok(routes
        .iter()
        .map(|r| EffectiveRoute {
            prefix: r.prefix.to_string(),
            next_hop_type: r.hop.azure_name().to_owned(),
            next_hop_element: r.hop.element(),
            source: r.origin.describe(),
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

/// Longest prefix wins. At equal length Azure prefers a user route, then a route learned
/// from a gateway, then a system route; a VNet's own or peered space replaces the default
/// `None` route of a private range. Among equals, the first listed wins.
fn lookup<'r>(routes: &'r [Route], dest: &Addr) -> Option<&'r Route> {
    let applies = |route: &Route| match dest {
        Addr::Internet => route.prefix.prefix_len() == 0,
        Addr::Nets(nets) => !nets.is_empty() && nets.iter().all(|n| covers(&route.prefix, n)),
    };
    let rank = |route: &Route| match (&route.origin, &route.hop) {
        (Origin::User { .. }, _) => 3,
        (Origin::System, Hop::Gateway(_)) => 2,
        (Origin::System, Hop::VnetLocal | Hop::Peering(_)) => 1,
        (Origin::System, _) => 0,
    };
    let mut best: Option<&Route> = None;
    for route in routes.iter().filter(|r| applies(r)) {
        let better = best.is_none_or(|b| (route.prefix.prefix_len(), rank(route)) > (b.prefix.prefix_len(), rank(b)));
        if better {
            best = Some(route);
        }
    }
    best
}

fn covers(outer: &IpNet, inner: &IpNet) -> bool {
    outer.contains(inner)
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

/// The design's network prepared for many queries (the rules ask hundreds).
pub(crate) struct Network<'a> {
    design: &'a Design,
    elements: HashMap<&'a str, &'a Element>,
    peerings: UnGraph<&'a str, bool>,
    vnet_nodes: HashMap<&'a str, NodeIndex>,
}

impl<'a> Network<'a> {
    pub(crate) fn new(design: &'a Design) -> Self {
        let mut elements = HashMap::new();
        for element in &design.elements {
            elements.entry(element.id.as_str()).or_insert(element);
        }
        let mut peerings = UnGraph::new_undirected();
        let mut vnet_nodes = HashMap::new();
        for element in design.elements.iter().filter(|e| e.kind() == ElementKind::Vnet) {
            vnet_nodes.entry(element.id.as_str()).or_insert_with(|| peerings.add_node(element.id.as_str()));
        }
        for link in &design.links {
            if let (LinkProps::Peering(_), Some(a), Some(b)) =
                (&link.props, vnet_nodes.get(link.from.as_str()), vnet_nodes.get(link.to.as_str()))
            {
                peerings.add_edge(*a, *b, true);
            }
        }
        Network { design, elements, peerings, vnet_nodes }
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

    fn space(&self, vnet: &str) -> Vec<IpNet> {
        match self.elements.get(vnet).map(|e| &e.props) {
            Some(ElementProps::Vnet(v)) => v.address_space.iter().filter_map(|p| parse_cidr(p).ok()).collect(),
            Some(ElementProps::OnPremises(o)) => o.address_space.iter().filter_map(|p| parse_cidr(p).ok()).collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn peers(&self, vnet: &str) -> Vec<&'a str> {
        let Some(node) = self.vnet_nodes.get(vnet) else { return Vec::new() };
        let mut peers: Vec<&str> = self.peerings.neighbors(*node).map(|n| self.peerings[n]).collect();
        peers.sort_unstable();
        peers.dedup();
        peers
    }

    /// The gateways (VPN, ExpressRoute) in a VNet's subnets.
    fn gateways_in(&self, vnet: &str) -> Vec<&'a Element> {
        self.design
            .elements
            .iter()
            .filter(|e| matches!(e.kind(), ElementKind::VpnGateway | ElementKind::ExpressRouteGateway))
            .filter(|g| self.parent_of(g).and_then(|s| self.vnet_of_subnet(s)).is_some_and(|v| v.id.as_str() == vnet))
            .collect()
    }

    /// The VNet whose gateways serve `vnet`: itself, or a hub peered with gateway transit.
    pub(crate) fn gateway_vnet(&self, vnet: &str) -> Option<String> {
        if !self.gateways_in(vnet).is_empty() {
            return Some(vnet.to_owned());
        }
        self.design.links.iter().find_map(|link| match &link.props {
            LinkProps::Peering(p)
                if p.gateway_transit
                    && link.to.as_str() == vnet
                    && !self.gateways_in(link.from.as_str()).is_empty() =>
            {
                Some(link.from.0.clone())
            }
            _ => None,
        })
    }

    /// The on-premises sites a gateway connects, best path first: VPN over ExpressRoute,
    /// then ExpressRoute, then plain VPN.
    fn sites_of_gateway(&self, gateway: &str) -> Vec<(&'a str, u8)> {
        let mut sites: Vec<(&str, u8)> = self
            .design
            .links
            .iter()
            .filter(|l| l.to.as_str() == gateway)
            .filter_map(|l| match &l.props {
                LinkProps::Vpn(v) if v.over_express_route.is_some() => Some((l.from.as_str(), 0)),
                LinkProps::ExpressRoute(_) => Some((l.from.as_str(), 1)),
                LinkProps::Vpn(_) => Some((l.from.as_str(), 2)),
                _ => None,
            })
            .collect();
        sites.sort_by_key(|s| s.1);
        sites
    }

    /// The entry gateway of an on-premises site, best path first.
    fn entry_gateway(&self, site: &str) -> Option<&'a Element> {
        let mut candidates: Vec<(u8, &Element)> = self
            .design
            .links
            .iter()
            .filter(|l| l.from.as_str() == site)
            .filter_map(|l| {
                let rank = match &l.props {
                    LinkProps::Vpn(v) if v.over_express_route.is_some() => 0,
                    LinkProps::ExpressRoute(_) => 1,
                    LinkProps::Vpn(_) => 2,
                    _ => return None,
                };
                self.elements.get(l.to.as_str()).map(|g| (rank, *g))
            })
            .collect();
        candidates.sort_by_key(|c| c.0);
        candidates.first().map(|c| c.1)
    }

    /// On-premises prefixes reachable through the gateways of `gateway_vnet`, by gateway.
    fn gateway_routes(&self, gateway_vnet: &str) -> Vec<(IpNet, String)> {
        let mut gateways = self.gateways_in(gateway_vnet);
        // The gateway of the best connection first, so it wins ties.
        gateways.sort_by_key(|g| self.sites_of_gateway(g.id.as_str()).first().map_or(9, |s| s.1));
        let mut out = Vec::new();
        for gateway in gateways {
            for (site, _) in self.sites_of_gateway(gateway.id.as_str()) {
                for prefix in self.space(site) {
                    out.push((prefix, gateway.id.0.clone()));
                }
            }
        }
        out
    }

    /// Azure's `VirtualNetwork` service tag seen from `vnet`: its space, peered spaces and
    /// on-premises prefixes reached through its gateway.
    fn virtual_network(&self, vnet: &str) -> Vec<IpNet> {
        let mut nets = self.space(vnet);
        for peer in self.peers(vnet) {
            nets.extend(self.space(peer));
        }
        if let Some(gateway_vnet) = self.gateway_vnet(vnet) {
            nets.extend(self.gateway_routes(&gateway_vnet).into_iter().map(|(p, _)| p));
        }
        nets
    }

    /// What a gateway in `vnet` advertises to on-premises: its VNet and the spokes it serves.
    fn advertised(&self, vnet: &str) -> Vec<IpNet> {
        let mut nets = self.space(vnet);
        for link in &self.design.links {
            if let LinkProps::Peering(p) = &link.props
                && p.gateway_transit
                && link.from.as_str() == vnet
            {
                nets.extend(self.space(link.to.as_str()));
            }
        }
        nets
    }

    /// The effective routes of a subnet: system routes, then its route table's.
    fn routes(&self, subnet_id: &str) -> Vec<Route> {
        let Some(subnet) = self.elements.get(subnet_id) else { return Vec::new() };
        let table = subnet
            .props
            .as_subnet()
            .and_then(|s| s.route_table.as_ref())
            .and_then(|t| self.elements.get(t.as_str()))
            .and_then(|t| match &t.props {
                ElementProps::RouteTable(table) => Some((t.id.as_str(), table)),
                _ => None,
            });
        let mut routes = Vec::new();
        let system = |prefix: IpNet, hop: Hop| Route { prefix, hop, origin: Origin::System };
        if let Some(vnet) = self.vnet_of_subnet(subnet) {
            let vnet = vnet.id.as_str();
            routes.extend(self.space(vnet).into_iter().map(|p| system(p, Hop::VnetLocal)));
            for peer in self.peers(vnet) {
                routes.extend(self.space(peer).into_iter().map(|p| system(p, Hop::Peering(peer.to_owned()))));
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
                routes.push(Route {
                    prefix,
                    hop,
                    origin: Origin::User { table: table_id.to_owned(), name: route.name.clone() },
                });
            }
        }
        routes
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
            ElementProps::OnPremises(_) => endpoint(Addr::Nets(self.space(id)), None, None),
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

    /// Does an address expression of a rule cover the endpoint? `vnet` is the VNet whose
    /// view of `VirtualNetwork` applies.
    fn address_matches(&self, expression: &str, endpoint: &Endpoint, vnet: Option<&str>) -> bool {
        expression.split(',').map(str::trim).any(|part| self.part_matches(part, endpoint, vnet))
    }

    fn part_matches(&self, part: &str, endpoint: &Endpoint, vnet: Option<&str>) -> bool {
        if part == "*" {
            return true;
        }
        if let Some(asg) = part.strip_prefix("asg:") {
            return endpoint.vm.is_some_and(|vm| vm.asgs.iter().any(|a| a.as_str() == asg));
        }
        if let Some(id) = part.strip_prefix("el:") {
            return endpoint.id == id || endpoint.subnet.is_some_and(|s| s.id.as_str() == id);
        }
        if let Ok(net) = part.parse::<std::net::IpAddr>().map(IpNet::from).or_else(|_| part.parse::<IpNet>()) {
            return match &endpoint.addr {
                Addr::Internet => net.prefix_len() == 0,
                Addr::Nets(nets) => !nets.is_empty() && nets.iter().all(|n| covers(&net.trunc(), n)),
            };
        }
        if !is_service_tag(part) {
            return false;
        }
        let virtual_network = || vnet.map(|v| self.virtual_network(v)).unwrap_or_default();
        match part.to_ascii_lowercase().as_str() {
            "virtualnetwork" => match &endpoint.addr {
                Addr::Internet => false,
                Addr::Nets(nets) => {
                    let space = virtual_network();
                    !nets.is_empty() && nets.iter().all(|n| space.iter().any(|s| covers(s, n)))
                }
            },
            "internet" => match &endpoint.addr {
                Addr::Internet => true,
                Addr::Nets(nets) => {
                    let space = virtual_network();
                    !nets.is_empty() && nets.iter().all(|n| !is_private(n) && !space.iter().any(|s| covers(s, n)))
                }
            },
            // Other tags (AzureLoadBalancer, AzureKeyVault, Storage, ...) name Azure
            // services, which are not endpoints of a design.
            _ => false,
        }
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
        let vnet = match direction {
            Direction::Outbound => self.vnet_id_of(src),
            Direction::Inbound => self.vnet_id_of(dst),
        };
        let mut remaining = traffic.clone();
        let mut allowed = Traffic::default();
        let mut denied_by = None;
        for (rule, _) in rules_in_order(self.nsg_rules(nsg), direction) {
            if remaining.is_empty() {
                break;
            }
            if !source_ports_match(&rule.source_ports)
                || !self.address_matches(&rule.source, src, vnet)
                || !self.address_matches(&rule.destination, dst, vnet)
            {
                continue;
            }
            let matched = remaining.intersect(&Traffic::of_rule(rule.protocol, &rule.destination_ports));
            if matched.is_empty() {
                continue;
            }
            match rule.access {
                Access::Allow => allowed = allowed.union(&matched),
                Access::Deny => denied_by = Some(rule.name.clone()),
            }
            remaining = remaining.subtract(&matched);
        }
        let denied_by = if allowed.is_empty() { denied_by.or(Some("DenyAll".into())) } else { None };
        Filtered { allowed, denied_by }
    }

    /// Runs traffic through a firewall's or NVA's rules: in order, first match, no match denies.
    fn through_appliance(&self, appliance: &Element, src: &Endpoint, dst: &Endpoint, traffic: &Traffic) -> Filtered {
        let rules: &[FirewallRule] = match &appliance.props {
            ElementProps::Firewall(f) => &f.rules,
            ElementProps::Nva(n) => &n.rules,
            _ => &[],
        };
        let mut remaining = traffic.clone();
        let mut allowed = Traffic::default();
        let mut denied_by = None;
        for rule in rules {
            if remaining.is_empty() {
                break;
            }
            if !self.address_matches(&rule.source, src, None) || !self.address_matches(&rule.destination, dst, None) {
                continue;
            }
            let matched = remaining.intersect(&Traffic::of_rule(rule.protocol, &rule.destination_ports));
            if matched.is_empty() {
                continue;
            }
            match rule.action {
                Access::Allow => allowed = allowed.union(&matched),
                Access::Deny => denied_by = Some(rule.name.clone()),
            }
            remaining = remaining.subtract(&matched);
        }
        let denied_by = if allowed.is_empty() { denied_by.or(Some(DEFAULT_DENY.into())) } else { None };
        Filtered { allowed, denied_by }
    }

    pub(crate) fn verify(&self, from: &str, to: &str, traffic: &Traffic) -> Result<Answer, QueryError> {
        let src = self.endpoint(from)?;
        let dst = self.endpoint(to)?;
        let mut trip = Trip { path: vec![src.id.clone()], traffic: traffic.clone() };
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
            return self.deliver(src, dst, trip);
        }
        let frontend = self.design.elements.iter().find(|e| match &e.props {
            ElementProps::LoadBalancer(lb) => lb.public && lb.backends.iter().any(|b| b.as_str() == dst.id),
            ElementProps::AppGateway(gw) => gw.public && gw.backends.iter().any(|b| b.as_str() == dst.id),
            _ => false,
        });
        match frontend {
            Some(frontend) => {
                trip.path.push(frontend.id.0.clone());
                // An application gateway is a proxy: the backend sees its subnet as the source.
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
                    return self.deliver(&proxy, dst, trip);
                }
                self.deliver(src, dst, trip)
            }
            None => trip.deny_plain(format!(
                "the internet reaches only public endpoints; {} has no public IP and no public load balancer or application gateway",
                dst.id
            )),
        }
    }

    fn inbound_from_premises(&self, src: &Endpoint, dst: &Endpoint, mut trip: Trip) -> Answer {
        let Some(gateway) = self.entry_gateway(&src.id) else {
            return trip.deny_plain(format!("{} is connected to no gateway", src.id));
        };
        trip.path.push(gateway.id.0.clone());
        let Some(gateway_subnet) = self.parent_of(gateway) else {
            return trip.deny(gateway.id.as_str(), "no subnet", format!("{} is in no subnet", gateway.id));
        };
        let vnet = self.vnet_of_subnet(gateway_subnet).map(|v| v.id.as_str()).unwrap_or_default();
        let advertised = self.advertised(vnet);
        let reached = match &dst.addr {
            Addr::Nets(nets) => !nets.is_empty() && nets.iter().all(|n| advertised.iter().any(|a| covers(a, n))),
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
        let mut visited: HashSet<String> = HashSet::new();
        loop {
            let routes = self.routes(subnet.id.as_str());
            let Some(route) = lookup(&routes, &dst.addr).cloned() else {
                let reason = format!("no route from {} covers {}", subnet.id, dst.id);
                return trip.deny(subnet.id.as_str(), "no route", reason);
            };
            let vnet_of = |e: &Endpoint| self.vnet_id_of(e).map(str::to_owned);
            match &route.hop {
                Hop::Drop => {
                    let (element, rule) = match &route.origin {
                        Origin::User { table, name } => (table.clone(), name.clone()),
                        Origin::System => (subnet.id.0.clone(), "None".to_owned()),
                    };
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
                    let here = self.vnet_of_subnet(subnet).map(|v| v.id.0.clone());
                    if here.is_some() && vnet_of(dst) == here {
                        return self.deliver(src, dst, trip);
                    }
                    let reason =
                        format!("{} routes {} inside its VNet, but {} is not there", subnet.id, route.prefix, dst.id);
                    return trip.deny(subnet.id.as_str(), "VnetLocal", reason);
                }
                Hop::Peering(peer) => {
                    if vnet_of(dst).as_deref() == Some(peer.as_str()) {
                        return self.deliver(src, dst, trip);
                    }
                    let reason = format!("the peering to {peer} does not lead to {}", dst.id);
                    return trip.deny(subnet.id.as_str(), "VNetPeering", reason);
                }
                Hop::Gateway(gateway) => {
                    trip.path.push(gateway.clone());
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
                    let (element, rule) = match &route.origin {
                        Origin::User { table, name } => (table.clone(), name.clone()),
                        Origin::System => (subnet.id.0.clone(), "Internet".to_owned()),
                    };
                    let reason =
                        format!("{} sends {} to the internet, where {} is not", subnet.id, route.prefix, dst.id);
                    return trip.deny(&element, &rule, reason);
                }
                Hop::Appliance(id) => {
                    if !visited.insert(id.clone()) {
                        let reason = format!("routing loop through {id}");
                        return trip.deny(id, "loop", reason);
                    }
                    let Some(appliance) = self.elements.get(id.as_str()).copied() else {
                        return trip.deny(subnet.id.as_str(), "missing appliance", format!("{id} does not exist"));
                    };
                    trip.path.push(id.clone());
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

    /// The packet reaches the destination's subnet: its NSGs inbound decide.
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
        let route = trip.path.join(" → ");
        trip.allow(format!("allowed along {route}"))
    }
}

/// The name of the implicit last rule of a firewall or NVA.
pub const DEFAULT_DENY: &str = "DefaultDeny";

/// A packet on its way.
struct Trip {
    path: Vec<String>,
    traffic: Traffic,
}

impl Trip {
    fn allow(self, reason: String) -> Answer {
        Answer { verdict: Verdict::Allow, path: self.path, denied_by: None, reason, allowed: self.traffic.describe() }
    }

    fn deny(self, element: &str, rule: &str, reason: String) -> Answer {
        let denied_by = Some(DeniedBy { element: element.to_owned(), rule: rule.to_owned() });
        Answer { verdict: Verdict::Deny, path: self.path, denied_by, reason, allowed: Vec::new() }
    }

    /// A deny no element or rule decides (the internet has no way in).
    fn deny_plain(self, reason: String) -> Answer {
        Answer { verdict: Verdict::Deny, path: self.path, denied_by: None, reason, allowed: Vec::new() }
    }
}

/// An NSG's custom rules of one direction by priority, then Azure's default rules.
fn rules_in_order(custom: &[NsgRule], direction: Direction) -> Vec<(NsgRule, bool)> {
    let mut rules: Vec<(NsgRule, bool)> =
        custom.iter().filter(|r| r.direction == direction).cloned().map(|r| (r, false)).collect();
    rules.sort_by_key(|(r, _)| r.priority);
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

/// Clients use ephemeral source ports; a rule's source ports match when they include some.
fn source_ports_match(ports: &str) -> bool {
    crate::check::parse_ports(ports).is_ok_and(|ranges| ranges.iter().any(|(_, high)| *high >= 1024))
}
