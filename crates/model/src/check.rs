//! The structural check (`moat check`): is this a well-formed design? Ids unique, every
//! reference resolves to an element of the right kind, parents of the right kind, CIDRs,
//! addresses and ports that parse. It never fails: it returns the problems it found.
//!
//! Whether the design is *wise* is the rule catalogue's business, not this module's.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

use crate::design::Design;
use crate::element::{Element, ElementKind, ElementProps, FirewallRule, NextHop, NsgRule, Placement};
use crate::link::{Link, LinkKind, LinkProps};
use crate::regions::regions;

/// One structural problem: which element, link or suppression, which field, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The id of the element or link, or `suppressions[i]` / `elements[i]` where there is no id.
    pub target: String,
    /// The field, dotted and indexed as in the file (`rules[2].priority`); empty for the record.
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.target, self.message)
        } else {
            write!(f, "{}: {}: {}", self.target, self.field, self.message)
        }
    }
}

/// The id a design may name in flows and queries without drawing it.
pub const IMPLIED_INTERNET: &str = "internet";

/// Checks the structure of a design. An empty list means it is well formed.
pub fn check(design: &Design) -> Vec<Problem> {
    let mut checker = Checker::new(design);
    checker.unique_ids();
    for element in &design.elements {
        checker.element(element);
    }
    for link in &design.links {
        checker.link(link);
    }
    checker.suppressions();
    checker.problems
}

/// The kind of element an id names, counting the implied internet.
pub fn element_kind_of(design: &Design, id: &str) -> Option<ElementKind> {
    design.element(id).map(Element::kind).or_else(|| (id == IMPLIED_INTERNET).then_some(ElementKind::Internet))
}

struct Checker<'a> {
    design: &'a Design,
    elements: HashMap<&'a str, &'a Element>,
    links: HashMap<&'a str, &'a Link>,
    problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    fn new(design: &'a Design) -> Self {
        // The first of duplicate ids wins; duplicates are reported by `unique_ids`.
        let mut elements = HashMap::new();
        for element in design.elements.iter().map(std::sync::Arc::as_ref) {
            elements.entry(element.id.as_str()).or_insert(element);
        }
        let mut links = HashMap::new();
        for link in &design.links {
            links.entry(link.id.as_str()).or_insert(link);
        }
        Checker { design, elements, links, problems: Vec::new() }
    }

    fn problem(&mut self, target: &str, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem { target: target.to_owned(), field: field.into(), message: message.into() });
    }

    fn unique_ids(&mut self) {
        let mut first_use: HashMap<&str, String> = HashMap::new();
        let uses = self.design.elements.iter().enumerate().map(|(i, e)| (e.id.as_str(), format!("elements[{i}]")));
        let uses =
            uses.chain(self.design.links.iter().enumerate().map(|(i, l)| (l.id.as_str(), format!("links[{i}]"))));
        let uses: Vec<_> = uses.collect();
        for (id, place) in uses {
            if id.trim().is_empty() {
                self.problem(&place, "id", "is empty; every element and link needs an id");
            } else if let Some(first) = first_use.get(id) {
                let message = format!(
                    "\"{id}\" is used twice, by {first} and by {place}; ids must be unique across elements and links"
                );
                self.problem(id, "id", message);
            } else {
                first_use.insert(id, place);
            }
        }
    }

    fn kind_of(&self, id: &str) -> Option<ElementKind> {
        self.elements.get(id).map(|e| e.kind()).or_else(|| (id == IMPLIED_INTERNET).then_some(ElementKind::Internet))
    }

    /// Checks that `target` names an element of one of the `allowed` kinds.
    fn reference(&mut self, owner: &str, field: &str, target: &str, allowed: &[ElementKind]) {
        match self.kind_of(target) {
            None => self.problem(owner, field, format!("refers to \"{target}\", which does not exist")),
            Some(kind) if !allowed.contains(&kind) => self.problem(
                owner,
                field,
                format!("must name {}, but \"{target}\" is {}", kinds_phrase(allowed), a(kind)),
            ),
            Some(_) => {}
        }
    }

    fn element(&mut self, element: &'a Element) {
        let id = element.id.as_str();
        self.placement(element);
        match &element.props {
            ElementProps::Region(region) => self.region(id, region),
            ElementProps::OnPremises(site) => self.address_space(id, &site.address_space),
            ElementProps::Vnet(vnet) => self.address_space(id, &vnet.address_space),
            ElementProps::Subnet(subnet) => {
                match &subnet.prefix {
                    None => self.problem(id, "prefix", "is missing; a subnet needs an address prefix"),
                    Some(prefix) => {
                        self.cidr(id, "prefix", prefix);
                    }
                }
                if let Some(nsg) = &subnet.nsg {
                    self.reference(id, "nsg", nsg.as_str(), &[ElementKind::Nsg]);
                }
                if let Some(table) = &subnet.route_table {
                    self.reference(id, "routeTable", table.as_str(), &[ElementKind::RouteTable]);
                }
            }
            ElementProps::Vm(vm) => {
                self.at_least_one(id, "count", vm.count);
                self.zones(id, "zones", &vm.zones);
                if let Some(nsg) = &vm.nsg {
                    self.reference(id, "nsg", nsg.as_str(), &[ElementKind::Nsg]);
                }
                for (i, asg) in vm.asgs.iter().enumerate() {
                    self.reference(id, &format!("asgs[{i}]"), asg.as_str(), &[ElementKind::Asg]);
                }
                if let Some(host) = &vm.host {
                    self.reference(id, "host", host.as_str(), &[ElementKind::DedicatedHost]);
                }
                if let Some(vault) = &vm.disk_encryption.key_vault {
                    self.reference(id, "diskEncryption.keyVault", vault.as_str(), &[ElementKind::KeyVault]);
                }
                if let Some(vault) = &vm.backup {
                    self.reference(id, "backup", vault.as_str(), &[ElementKind::RecoveryVault]);
                }
                if let Some(address) = &vm.private_ip {
                    self.private_ip(element, address);
                }
            }
            ElementProps::DedicatedHost(host) => {
                self.at_least_one(id, "count", host.count);
                if let Some(zone) = host.zone {
                    self.zones(id, "zone", &[zone]);
                }
            }
            ElementProps::Nsg(nsg) => self.nsg_rules(id, &nsg.rules),
            ElementProps::RouteTable(table) => {
                for (i, route) in table.routes.iter().enumerate() {
                    let field = format!("routes[{i}]");
                    if route.prefix.is_empty() {
                        self.problem(id, format!("{field}.prefix"), "is missing");
                    } else if !is_service_tag(&route.prefix) {
                        self.cidr(id, &format!("{field}.prefix"), &route.prefix);
                    }
                    match (&route.next_hop, &route.next_hop_element) {
                        (NextHop::VirtualAppliance, None) => self.problem(
                            id,
                            format!("{field}.nextHopElement"),
                            "is missing; a virtualAppliance route names the firewall or NVA it sends to",
                        ),
                        (NextHop::VirtualAppliance, Some(target)) => self.reference(
                            id,
                            &format!("{field}.nextHopElement"),
                            target.as_str(),
                            &[ElementKind::Firewall, ElementKind::Nva],
                        ),
                        (_, Some(_)) => self.problem(
                            id,
                            format!("{field}.nextHopElement"),
                            "only a virtualAppliance route names a next-hop element",
                        ),
                        (_, None) => {}
                    }
                }
            }
            ElementProps::Firewall(firewall) => {
                self.zones(id, "zones", &firewall.zones);
                self.firewall_rules(id, &firewall.rules);
            }
            ElementProps::Nva(nva) => {
                self.at_least_one(id, "count", nva.count);
                self.zones(id, "zones", &nva.zones);
                self.firewall_rules(id, &nva.rules);
            }
            ElementProps::LoadBalancer(lb) => self.frontend(id, &lb.backends, &lb.ports),
            ElementProps::AppGateway(gateway) => self.frontend(id, &gateway.backends, &gateway.ports),
            ElementProps::Internet(_)
            | ElementProps::Asg(_)
            | ElementProps::VpnGateway(_)
            | ElementProps::ExpressRouteGateway(_)
            | ElementProps::Bastion(_)
            | ElementProps::KeyVault(_)
            | ElementProps::RecoveryVault(_)
            | ElementProps::PrivateDnsZone(_)
            | ElementProps::TrafficManager(_)
            | ElementProps::FrontDoor(_) => {}
        }
    }

    fn placement(&mut self, element: &Element) {
        let id = element.id.as_str();
        let kind = element.kind();
        let parent = element.parent.as_ref().map(|p| p.as_str());
        let wanted = match kind.placement() {
            Placement::TopLevel => {
                if let Some(parent) = parent {
                    self.problem(
                        id,
                        "parent",
                        format!("{} stands at the top level and has no parent, but names \"{parent}\"", a(kind)),
                    );
                }
                return;
            }
            Placement::In(container) => container,
            Placement::InSubnetWithRole(_) => ElementKind::Subnet,
        };
        let Some(parent) = parent else {
            self.problem(id, "parent", format!("is missing; {} goes in {}", a(kind), placement_phrase(kind)));
            return;
        };
        let Some(container) = self.elements.get(parent).copied() else {
            self.problem(id, "parent", format!("refers to \"{parent}\", which does not exist"));
            return;
        };
        if container.kind() != wanted {
            let message =
                format!("{} goes in {}, but \"{parent}\" is {}", a(kind), placement_phrase(kind), a(container.kind()));
            self.problem(id, "parent", message);
            return;
        }
        if let (Placement::InSubnetWithRole(role), ElementProps::Subnet(subnet)) = (kind.placement(), &container.props)
            && subnet.role != role
        {
            let message = format!(
                "{} goes in {}, but subnet \"{parent}\" has role {}",
                a(kind),
                placement_phrase(kind),
                subnet.role.as_str()
            );
            self.problem(id, "parent", message);
        }
    }

    fn region(&mut self, id: &str, region: &crate::element::Region) {
        let Some(location) = &region.location else {
            self.problem(id, "location", "is missing; name the Azure region, e.g. westeurope");
            return;
        };
        let table = regions();
        let Some(info) = table.get(location) else {
            self.problem(
                id,
                "location",
                format!("\"{location}\" is not an Azure public region (use the ARM name, e.g. westeurope)"),
            );
            return;
        };
        if region.zones == Some(true) && !info.zones {
            self.problem(id, "zones", format!("{} has no availability zones", info.display_name));
        }
        if let Some(pair) = &region.paired_with
            && table.get(pair).is_none()
        {
            self.problem(id, "pairedWith", format!("\"{pair}\" is not an Azure public region"));
        }
    }

    fn address_space(&mut self, id: &str, prefixes: &[String]) {
        for (i, prefix) in prefixes.iter().enumerate() {
            self.cidr(id, &format!("addressSpace[{i}]"), prefix);
        }
    }

    fn cidr(&mut self, owner: &str, field: &str, text: &str) -> Option<IpNet> {
        match parse_cidr(text) {
            Ok(net) => Some(net),
            Err(message) => {
                self.problem(owner, field, message);
                None
            }
        }
    }

    fn private_ip(&mut self, vm: &Element, text: &str) {
        let id = vm.id.as_str();
        let Ok(address) = text.parse::<IpAddr>() else {
            self.problem(id, "privateIp", format!("\"{text}\" is not an IP address"));
            return;
        };
        let subnet_prefix = vm
            .parent
            .as_ref()
            .and_then(|parent| self.elements.get(parent.as_str()))
            .and_then(|subnet| subnet.props.as_subnet())
            .and_then(|subnet| subnet.prefix.as_deref())
            .and_then(|prefix| parse_cidr(prefix).ok());
        let Some(net) = subnet_prefix else { return };
        if !net.contains(&address) {
            self.problem(id, "privateIp", format!("{address} is outside its subnet {net}"));
        } else if let Some(why) = azure_reserved(&net, &address) {
            self.problem(id, "privateIp", format!("{address} is reserved by Azure in {net} ({why})"));
        }
    }

    fn at_least_one(&mut self, id: &str, field: &str, count: u32) {
        if count == 0 {
            self.problem(id, field, "must be at least 1");
        }
    }

    fn zones(&mut self, id: &str, field: &str, zones: &[u8]) {
        for (i, zone) in zones.iter().enumerate() {
            if !(1..=3).contains(zone) {
                self.problem(id, field, format!("zone {zone} does not exist; Azure zones are 1, 2 and 3"));
            } else if zones[..i].contains(zone) {
                self.problem(id, field, format!("zone {zone} is listed twice"));
            }
        }
    }

    fn frontend(&mut self, id: &str, backends: &[crate::ids::ElementId], ports: &[u16]) {
        for (i, backend) in backends.iter().enumerate() {
            self.reference(id, &format!("backends[{i}]"), backend.as_str(), &[ElementKind::Vm]);
        }
        for (i, port) in ports.iter().enumerate() {
            if *port == 0 {
                self.problem(id, format!("ports[{i}]"), "0 is not a port; use 1 to 65535");
            }
        }
    }

    fn nsg_rules(&mut self, id: &str, rules: &[NsgRule]) {
        for (i, rule) in rules.iter().enumerate() {
            let field = |name: &str| format!("rules[{i}].{name}");
            if rule.name.trim().is_empty() {
                self.problem(id, field("name"), "is empty; every NSG rule needs a name");
            } else if let Some(j) = rules[..i].iter().position(|other| other.name == rule.name) {
                self.problem(
                    id,
                    field("name"),
                    format!("\"{}\" is also the name of rules[{j}]; names are unique in an NSG", rule.name),
                );
            }
            if !(100..=4096).contains(&rule.priority) {
                self.problem(id, field("priority"), format!("{} is outside 100..4096", rule.priority));
            } else if let Some(j) =
                rules[..i].iter().position(|other| other.priority == rule.priority && other.direction == rule.direction)
            {
                let message = format!(
                    "{} is also the priority of rules[{j}] in the same direction; Azure refuses both",
                    rule.priority
                );
                self.problem(id, field("priority"), message);
            }
            self.address(id, &field("source"), &rule.source, false);
            self.address(id, &field("destination"), &rule.destination, false);
            self.ports(id, &field("sourcePorts"), &rule.source_ports);
            self.ports(id, &field("destinationPorts"), &rule.destination_ports);
        }
    }

    fn firewall_rules(&mut self, id: &str, rules: &[FirewallRule]) {
        for (i, rule) in rules.iter().enumerate() {
            let field = |name: &str| format!("rules[{i}].{name}");
            if rule.name.trim().is_empty() {
                self.problem(id, field("name"), "is empty; every firewall rule needs a name");
            }
            self.address(id, &field("source"), &rule.source, true);
            self.address(id, &field("destination"), &rule.destination, true);
            self.ports(id, &field("destinationPorts"), &rule.destination_ports);
        }
    }

    /// Address forms of SPEC §2.3; `el:` element references only in firewall/NVA rules.
    fn address(&mut self, owner: &str, field: &str, text: &str, elements_allowed: bool) {
        for part in text.split(',').map(str::trim) {
            if part == "*" {
                continue;
            }
            if let Some(asg) = part.strip_prefix("asg:") {
                self.reference(owner, field, asg, &[ElementKind::Asg]);
            } else if let Some(element) = part.strip_prefix("el:") {
                if elements_allowed {
                    self.reference(owner, field, element, &[ElementKind::Subnet, ElementKind::Vm]);
                } else {
                    self.problem(
                        owner,
                        field,
                        format!("\"{part}\": NSG rules cannot name elements; use an ASG (asg:<id>) or a prefix"),
                    );
                }
            } else if part.parse::<IpAddr>().is_ok() || is_service_tag(part) {
                continue;
            } else if part.contains('/') {
                self.cidr(owner, field, part);
            } else {
                let message = format!(
                    "\"{part}\" is not an address: use *, an IP address, a CIDR, a service tag, asg:<id>{}",
                    if elements_allowed { " or el:<id>" } else { "" }
                );
                self.problem(owner, field, message);
            }
        }
    }

    fn ports(&mut self, owner: &str, field: &str, text: &str) {
        if let Err(message) = parse_ports(text) {
            self.problem(owner, field, message);
        }
    }

    fn link(&mut self, link: &Link) {
        let id = link.id.as_str();
        let (from_kinds, to_kinds) = link.kind().ends();
        self.reference(id, "from", link.from.as_str(), from_kinds);
        self.reference(id, "to", link.to.as_str(), to_kinds);
        if link.from == link.to {
            self.problem(id, "to", "a link cannot join an element to itself");
        }
        match &link.props {
            LinkProps::Vpn(vpn) => {
                if let Some(circuit) = &vpn.over_express_route {
                    match self.links.get(circuit.as_str()).map(|l| l.kind()) {
                        None => self.problem(
                            id,
                            "overExpressRoute",
                            format!("refers to \"{circuit}\", which is not a link"),
                        ),
                        Some(LinkKind::ExpressRoute) => {}
                        Some(kind) => self.problem(
                            id,
                            "overExpressRoute",
                            format!("must name an expressRoute link, but \"{circuit}\" is a {kind} link"),
                        ),
                    }
                }
            }
            LinkProps::Flow(flow) => {
                if flow.port == Some(0) {
                    self.problem(id, "port", "0 is not a port; use 1 to 65535");
                }
                if flow.protocol == crate::link::FlowProtocol::Icmp && flow.port.is_some() {
                    self.problem(id, "port", "ICMP has no ports; remove the port or change the protocol");
                }
            }
            LinkProps::Peering(_) | LinkProps::ExpressRoute(_) | LinkProps::Replication(_) | LinkProps::DnsLink(_) => {}
        }
    }

    fn suppressions(&mut self) {
        for (i, suppression) in self.design.suppressions.iter().enumerate() {
            let place = format!("suppressions[{i}]");
            if suppression.rule.trim().is_empty() {
                self.problem(&place, "rule", "is empty; name the rule id, e.g. ISO-01");
            }
            let target = suppression.target.as_str();
            if self.kind_of(target).is_none() && !self.links.contains_key(target) {
                self.problem(&place, "target", format!("refers to \"{target}\", which is no element or link"));
            }
            if suppression.reason.trim().is_empty() {
                self.problem(&place, "reason", "is empty; a suppression needs a written reason");
            }
        }
    }
}

/// Parses a CIDR prefix as Azure accepts it: a network address and a prefix length.
pub fn parse_cidr(text: &str) -> Result<IpNet, String> {
    let net: IpNet = text.trim().parse().map_err(|_| format!("\"{text}\" is not a CIDR prefix (e.g. 10.0.0.0/16)"))?;
    if net.trunc() != net {
        return Err(format!("\"{text}\" is not a network address; did you mean {}?", net.trunc()));
    }
    Ok(net)
}

/// Parses a port expression: `*`, `443`, `1000-2000` or a comma list of those.
/// Returns the inclusive ranges it covers.
pub fn parse_ports(text: &str) -> Result<Vec<(u16, u16)>, String> {
    let text = text.trim();
    if text == "*" {
        return Ok(vec![(0, u16::MAX)]);
    }
    let port = |part: &str| {
        part.trim().parse::<u16>().map_err(|_| format!("\"{part}\" is not a port; use *, 443, 1000-2000 or 80,443"))
    };
    text.split(',')
        .map(|part| match part.split_once('-') {
            Some((low, high)) => {
                let (low, high) = (port(low)?, port(high)?);
                if low > high {
                    return Err(format!("\"{}\" is an empty range; write the lower port first", part.trim()));
                }
                Ok((low, high))
            }
            None => port(part).map(|p| (p, p)),
        })
        .collect()
}

/// A service tag such as `Internet`, `VirtualNetwork` or `Storage.WestEurope`.
pub fn is_service_tag(text: &str) -> bool {
    let mut parts = text.split('.');
    let first_ok = parts.next().is_some_and(|p| {
        p.starts_with(|c: char| c.is_ascii_alphabetic()) && p.chars().all(|c| c.is_ascii_alphanumeric())
    });
    first_ok && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Azure reserves the network address, the next three and the broadcast address of a subnet.
fn azure_reserved(net: &IpNet, address: &IpAddr) -> Option<&'static str> {
    let (IpNet::V4(net), IpAddr::V4(address)) = (net, address) else { return None };
    let offset = u32::from(*address) - u32::from(net.network());
    let last = u32::from(net.broadcast()) - u32::from(net.network());
    match offset {
        0 => Some("network address"),
        1 => Some("default gateway"),
        2 | 3 => Some("Azure DNS"),
        _ if offset == last => Some("broadcast address"),
        _ => None,
    }
}

/// The kind with its article, as said aloud: "a vm", "an nsg", "an onPremises".
pub fn a(kind: ElementKind) -> String {
    let name = kind.as_str();
    // By sound: "an nsg" (en-es-gee), "an onPremises".
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) || matches!(kind, ElementKind::Nsg | ElementKind::Nva)
    {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

fn kinds_phrase(kinds: &[ElementKind]) -> String {
    let names: Vec<String> = kinds.iter().map(|k| a(*k)).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Where a kind goes, in words: "a subnet", "a subnet with role firewall (AzureFirewallSubnet)".
pub fn placement_phrase(kind: ElementKind) -> String {
    match kind.placement() {
        Placement::TopLevel => "the top level".to_owned(),
        Placement::In(container) => a(container),
        Placement::InSubnetWithRole(role) => {
            format!("a subnet with role {} ({})", role.as_str(), role.azure_subnet_name().unwrap_or("any name"))
        }
    }
}
