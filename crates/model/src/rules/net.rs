//! Network security rules (guidance: "Network security", "DMZ").

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use ipnet::IpNet;

use crate::check::{parse_cidr, parse_ports};
use crate::element::{
    Access, Direction, Element, ElementKind, ElementProps, Nsg, NsgRule, RuleProtocol, Subnet, SubnetRole,
};
use crate::link::{Flow, FlowProtocol, LinkKind, LinkProps};
use crate::reach::{Answer, Verdict};

use super::{Area, Context, Hit, Rule, Severity};

pub const RULES: &[&Rule] = &[
    &NET_01, &NET_02, &NET_03, &NET_04, &NET_05, &NET_06, &NET_07, &NET_08, &NET_09, &NET_10, &NET_11, &NET_12,
    &NET_13, &NET_14,
];

pub const NET_01: Rule = Rule {
    id: "NET-01",
    severity: Severity::Error,
    standard: None,
    area: Area::Network,
    title: "A subnet has no network security group",
    rationale: doc!(
        "NSGs are the first filter of traffic by address and port; without one on the subnet (or on the \
                NICs of its VMs) everything the routes deliver is allowed in and out."
    ),
    fix: doc!(
        "Attach an NSG to the subnet (`nsg`) with a deny-all rule at priority 4096 in both directions and allow \
          only the traffic the tier needs. Gateway, firewall and Bastion subnets are exempt."
    ),
    check: net_01,
};

fn net_01(context: &Context) -> Vec<Hit> {
    context
        .subnets()
        .filter(|(_, subnet)| !matches!(subnet.role, SubnetRole::Gateway | SubnetRole::Firewall | SubnetRole::Bastion))
        .filter(|(_, subnet)| subnet.nsg.is_none())
        .filter(|(element, _)| {
            let vms = context.vms_in(element.id.as_str());
            vms.is_empty() || vms.iter().any(|(_, vm)| vm.nsg.is_none())
        })
        .map(|(element, _)| Hit::new(element.id.as_str(), format!("subnet {} has no NSG", element.display_name())))
        .collect()
}

pub const NET_02: Rule = Rule {
    id: "NET-02",
    severity: Severity::Warning,
    standard: Some(Severity::Info),
    area: Area::Network,
    title: "An NSG has no deny-all rule at priority 4096",
    rationale: doc!(
        "Azure's default rules let traffic flow freely inside the virtual network and out to the internet. \
                The guidance closes each NSG with an explicit deny-all at the lowest custom priority, in both \
                directions, so that only the traffic allowed above it passes."
    ),
    fix: doc!(
        "Add to the NSG's `rules` two rules with `priority` 4096, `access` deny, `protocol` *, `source` and \
          `destination` * and `destinationPorts` *: one with `direction` inbound, one outbound. Allow what the \
          tier needs at lower priority numbers."
    ),
    check: net_02,
};

pub const NET_03: Rule = Rule {
    id: "NET-03",
    severity: Severity::Error,
    standard: None,
    area: Area::Network,
    title: "An NSG allows inbound traffic from the whole internet to a workload subnet",
    rationale: doc!(
        "A sensitive workload should have no public endpoint; it is reached over a VPN or a private \
                circuit. An NSG rule that opens a DMZ, web, business, data or management subnet to any source \
                invites attacks, and governance should forbid opening NSGs to the internet at all."
    ),
    fix: doc!(
        "Change the rule's `source` to the addresses that need access (an on-premises range, an `asg:` group \
          or the `VirtualNetwork` tag), or set its `access` to deny. Publish internet-facing services through \
          the DMZ's firewall or NVA instead."
    ),
    check: net_03,
};

pub const NET_04: Rule = Rule {
    id: "NET-04",
    severity: Severity::Error,
    standard: None,
    area: Area::Network,
    title: "SSH or RDP is reachable from the internet",
    rationale: doc!(
        "Management ports open to the internet are the first thing attackers scan for. The guidance keeps \
                SSH and RDP closed, administers VMs through Azure Bastion and opens ports only on request with \
                just-in-time access."
    ),
    fix: doc!(
        "Remove the VM's `publicIp` or the public load balancer in front of it, or deny TCP 22 and 3389 from \
          `Internet` in its NSG `rules`; reach the VM through Azure Bastion and enable `jit`."
    ),
    check: net_04,
};

pub const NET_05: Rule = Rule {
    id: "NET-05",
    severity: Severity::Info,
    standard: None,
    area: Area::Network,
    title: "An NSG rule names addresses of the design's own networks",
    rationale: doc!(
        "Rules written with IP ranges break silently when subnets are renumbered or VMs move. The \
                guidance prefers application security groups, which follow the VMs, and service tags, which \
                Azure keeps up to date."
    ),
    fix: doc!(
        "Replace the range in the rule's `source` or `destination` with `asg:<asg id>` (and list that ASG in the \
          VMs' `asgs`) or with a service tag such as `VirtualNetwork`."
    ),
    check: net_05,
};

pub const NET_06: Rule = Rule {
    id: "NET-06",
    severity: Severity::Warning,
    standard: Some(Severity::Info),
    area: Area::Network,
    title: "VMs of one tier can reach each other",
    rationale: doc!(
        "When one VM of a tier is compromised, its siblings are the easiest next target. Application \
                security groups allow micro-segmentation: traffic inside a tier can be blocked so that a \
                compromised VM stays contained."
    ),
    fix: doc!(
        "Put the tier's VMs in an ASG (`asgs`) and add NSG `rules` that deny traffic from that ASG to itself, \
          inbound and outbound, at a priority below the rules that allow the tier's real traffic."
    ),
    check: net_06,
};

pub const NET_07: Rule = Rule {
    id: "NET-07",
    severity: Severity::Error,
    standard: None,
    area: Area::Network,
    title: "Connected networks have overlapping address spaces",
    rationale: doc!(
        "Peering and gateway routes need address spaces that do not overlap: Azure refuses to peer \
                overlapping VNets, and an on-premises range that overlaps a VNet makes traffic go to the wrong \
                side, so the segmentation the design relies on no longer holds."
    ),
    fix: doc!(
        "Give the VNet and the network it connects to distinct `addressSpace` ranges (renumber one side), then \
          adjust the subnets' `prefix` to fit."
    ),
    check: net_07,
};

pub const NET_08: Rule = Rule {
    id: "NET-08",
    severity: Severity::Error,
    standard: None,
    area: Area::Network,
    title: "A subnet lies outside its VNet or overlaps another subnet",
    rationale: doc!(
        "Azure can only create a subnet inside its VNet's address space and apart from its other subnets; \
                segmentation into subnets is the base of every NSG and route in the design."
    ),
    fix: doc!(
        "Change the subnet's `prefix` to a range inside the VNet's `addressSpace` that no other subnet of the VNet \
          uses, or widen the VNet's `addressSpace`."
    ),
    check: net_08,
};

pub const NET_09: Rule = Rule {
    id: "NET-09",
    severity: Severity::Error,
    standard: None,
    area: Area::Network,
    title: "A firewall, Bastion or gateway subnet is too small or carries an NSG",
    rationale: doc!(
        "Azure Firewall and Azure Bastion need a subnet of at least /26, and virtual network gateways a \
                GatewaySubnet of at least /27, to scale and to place their instances across zones; an NSG on \
                the GatewaySubnet is not supported and breaks the gateway."
    ),
    fix: doc!(
        "Set the `prefix` of a firewall or bastion subnet to /26 or larger and of a gateway subnet to /27 or \
          larger; remove the `nsg` of the gateway subnet."
    ),
    check: net_09,
};

pub const NET_10: Rule = Rule {
    id: "NET-10",
    severity: Severity::Warning,
    standard: Some(Severity::Info),
    area: Area::Network,
    title: "A tier subnet sends internet traffic out directly (no forced tunnelling)",
    rationale: doc!(
        "System routes send anything not local straight to the internet. The guidance overrides them with \
                user-defined routes so that outbound traffic of the tiers passes a firewall or NVA that can \
                inspect and block it, which also limits what a compromised VM can send out."
    ),
    fix: doc!(
        "Attach a `routeTable` to the subnet with a route of `prefix` 0.0.0.0/0, `nextHop` virtualAppliance and \
          `nextHopElement` the firewall or NVA."
    ),
    check: net_10,
};

pub const NET_11: Rule = Rule {
    id: "NET-11",
    severity: Severity::Warning,
    standard: None,
    area: Area::Network,
    title: "A spoke reaches another spoke without passing a firewall",
    rationale: doc!(
        "In a hub-spoke network the applications live in separate spokes so that they are isolated from \
                each other; traffic between spokes should only pass the hub's firewall or NVA, where it is \
                filtered and logged."
    ),
    fix: doc!(
        "Remove any direct `peering` between the spokes and route traffic for the other spoke's range to the \
          hub's firewall or NVA (`routeTable` with `nextHop` virtualAppliance), whose `rules` then decide."
    ),
    check: net_11,
};

pub const NET_12: Rule = Rule {
    id: "NET-12",
    severity: Severity::Error,
    standard: None,
    area: Area::Network,
    title: "A declared flow is denied",
    rationale: doc!(
        "A `flow` states traffic the workload needs. If the NSGs, routes or firewall rules of the design \
                block it, the design will not work as drawn, and someone will loosen the rules in a hurry later."
    ),
    fix: doc!(
        "Allow the flow at the element and rule the finding names (an NSG rule, a firewall or NVA rule, a route), \
          as narrowly as its `protocol` and `port`; or correct the flow if it is not needed."
    ),
    check: net_12,
};

pub const NET_13: Rule = Rule {
    id: "NET-13",
    severity: Severity::Error,
    standard: None,
    area: Area::Network,
    title: "The internet reaches the data tier",
    rationale: doc!(
        "The data tier holds what the workload protects. It should sit behind the web and business tiers \
                with no public endpoint at all, so that no packet from the internet can get to it."
    ),
    fix: doc!(
        "Remove the data VM's `publicIp` and any public load balancer or application gateway that lists it in \
          `backends`, and deny `Internet` in its NSG `rules`."
    ),
    check: net_13,
};

pub const NET_14: Rule = Rule {
    id: "NET-14",
    severity: Severity::Warning,
    standard: None,
    area: Area::Network,
    title: "The DMZ reaches the data tier directly",
    rationale: doc!(
        "The DMZ faces the outside world and is the part most likely to be compromised. The guidance \
                layers the application so that the DMZ talks only to the web tier, the web tier to the business \
                tier and the business tier to the data tier. A DMZ that can open connections to the data tier \
                skips the web and business tiers: \"directly\" means that. A firewall or NVA on the way does not \
                make it indirect when its rules allow the connection; it only logs it."
    ),
    fix: doc!(
        "Deny the DMZ subnet's range in the data tier's NSG `rules` and outbound in the DMZ's NSG, and let the \
          firewall or NVA that the DMZ's routes pass (`routeTable`, `nextHop` virtualAppliance) allow the DMZ to \
          reach only the web tier."
    ),
    check: net_14,
};

// ---- helpers ---------------------------------------------------------------------------

/// The prefixes of an address space that parse; the structural check reports the others.
fn nets(prefixes: &[String]) -> Vec<IpNet> {
    prefixes.iter().filter_map(|p| parse_cidr(p).ok()).collect()
}

fn overlap(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// The address space of a VNet or an on-premises site.
fn space(element: &Element) -> Vec<IpNet> {
    match &element.props {
        ElementProps::Vnet(vnet) => nets(&vnet.address_space),
        ElementProps::OnPremises(site) => nets(&site.address_space),
        _ => Vec::new(),
    }
}

fn prefix_of(subnet: &Subnet) -> Option<IpNet> {
    subnet.prefix.as_deref().and_then(|p| parse_cidr(p).ok())
}

/// The parts of an address expression (`"10.0.0.0/8, asg:web"`).
fn parts(expression: &str) -> impl Iterator<Item = &str> {
    expression.split(',').map(str::trim)
}

/// An IP address or range written in a rule, if the part is one.
fn ip_range(part: &str) -> Option<IpNet> {
    part.parse::<IpAddr>().map(IpNet::from).or_else(|_| part.parse::<IpNet>()).ok().map(|n| n.trunc())
}

fn is_any_address(expression: &str) -> bool {
    parts(expression).any(|p| p == "*" || p == "0.0.0.0/0")
}

/// Port 0 carries no traffic, so `1-65535` means every port as much as `*` does.
fn is_any_port(expression: &str) -> bool {
    parse_ports(expression).is_ok_and(|ranges| ranges.iter().any(|(low, high)| *low <= 1 && *high == u16::MAX))
}

fn is_from_internet(expression: &str) -> bool {
    parts(expression).any(|p| p == "*" || p == "0.0.0.0/0" || p.eq_ignore_ascii_case("internet"))
}

/// A custom rule that denies everything in its direction.
fn is_deny_all(rule: &NsgRule) -> bool {
    rule.access == Access::Deny
        && rule.priority == 4096
        && rule.protocol == RuleProtocol::Any
        && is_any_address(&rule.source)
        && is_any_address(&rule.destination)
        && is_any_port(&rule.source_ports)
        && is_any_port(&rule.destination_ports)
}

fn nsgs<'a>(context: &'a Context) -> impl Iterator<Item = (&'a Element, &'a Nsg)> + 'a {
    context.design.elements.iter().map(std::sync::Arc::as_ref).filter_map(|e| match &e.props {
        ElementProps::Nsg(nsg) => Some((e, nsg)),
        _ => None,
    })
}

/// The name of an element for messages: its display name, or the id when it is not drawn.
fn name_of<'a>(context: &Context<'a>, id: &'a str) -> &'a str {
    context.element(id).map_or(id, Element::display_name)
}

fn vnet_of<'a>(context: &Context<'a>, element: &'a Element) -> Option<&'a Element> {
    context.ancestor(element, ElementKind::Vnet)
}

/// The ends traffic can start or stop at inside each VNet: its subnets and its VMs, in
/// document order.
fn endpoints_by_vnet<'a>(context: &Context<'a>) -> HashMap<&'a str, Vec<&'a Element>> {
    let mut out: HashMap<&str, Vec<&Element>> = HashMap::new();
    for element in context.design.elements.iter().filter(|e| matches!(e.kind(), ElementKind::Subnet | ElementKind::Vm))
    {
        if let Some(vnet) = vnet_of(context, element) {
            out.entry(vnet.id.as_str()).or_default().push(element);
        }
    }
    out
}

/// The address spaces of VNets, to find the first (in document order) that contains a range
/// with one lookup per distinct prefix length rather than a scan of every VNet.
struct Spaces<'a> {
    /// Each prefix (truncated) with the first VNet, by position, that has it.
    first: HashMap<IpNet, (usize, &'a Element)>,
    /// The distinct prefix lengths, IPv4 and IPv6 apart.
    lengths: Vec<(bool, u8)>,
}

impl<'a> Spaces<'a> {
    fn new(vnets: impl Iterator<Item = (&'a Element, Vec<IpNet>)>) -> Self {
        let mut first = HashMap::new();
        let mut lengths = Vec::new();
        for (position, (vnet, space)) in vnets.enumerate() {
            for prefix in space {
                lengths.push((matches!(prefix, IpNet::V4(_)), prefix.prefix_len()));
                first.entry(prefix.trunc()).or_insert((position, vnet));
            }
        }
        crate::sorting::sort(&mut lengths);
        lengths.dedup();
        Spaces { first, lengths }
    }

    /// The first VNet with a prefix that contains `range`.
    fn first_containing(&self, range: &IpNet) -> Option<&'a Element> {
        let v4 = matches!(range, IpNet::V4(_));
        self.lengths
            .iter()
            .filter(|(family, len)| *family == v4 && *len <= range.prefix_len())
            .filter_map(|(_, len)| IpNet::new(range.addr(), *len).ok())
            .filter_map(|supernet| self.first.get(&supernet.trunc()))
            .min_by_key(|(position, _)| *position)
            .map(|(_, vnet)| *vnet)
    }
}

/// A direct allow: traffic gets through without a firewall or an NVA on its path.
fn direct(context: &Context, answer: &Answer) -> bool {
    answer.verdict == Verdict::Allow && !context.through_appliance(answer)
}

fn flow_words(flow: &Flow) -> String {
    let protocol = match flow.protocol {
        FlowProtocol::Tcp => "tcp",
        FlowProtocol::Udp => "udp",
        FlowProtocol::Icmp => "icmp",
        FlowProtocol::Any => "any protocol",
    };
    match flow.port {
        Some(port) => format!("{protocol}/{port}"),
        None => format!("{protocol} on any port"),
    }
}

// ---- checks ----------------------------------------------------------------------------

fn net_02(context: &Context) -> Vec<Hit> {
    nsgs(context)
        .filter_map(|(element, nsg)| {
            let closed = |direction| nsg.rules.iter().any(|r| r.direction == direction && is_deny_all(r));
            let missing = match (closed(Direction::Inbound), closed(Direction::Outbound)) {
                (true, true) => return None,
                (false, true) => "inbound",
                (true, false) => "outbound",
                (false, false) => "inbound or outbound",
            };
            let message = format!("NSG {} has no deny-all rule at priority 4096 for {missing}", element.display_name());
            Some(Hit::new(element.id.as_str(), message))
        })
        .collect()
}

/// Roles of the subnets that hold the workload or its management.
const WORKLOAD_ROLES: &[SubnetRole] =
    &[SubnetRole::Dmz, SubnetRole::Web, SubnetRole::Business, SubnetRole::Data, SubnetRole::Management];

fn net_03(context: &Context) -> Vec<Hit> {
    // The subnets each NSG filters: attached to the subnet, then to the NIC of a VM in it.
    let mut by_subnet: HashMap<&str, Vec<&Element>> = HashMap::new();
    for (element, subnet) in context.subnets() {
        if let Some(nsg) = &subnet.nsg {
            by_subnet.entry(nsg.as_str()).or_default().push(element);
        }
    }
    let mut by_nic: HashMap<&str, Vec<&Element>> = HashMap::new();
    for (vm, fields) in context.vms() {
        if let (Some(nsg), Some((subnet, _))) = (&fields.nsg, context.subnet_of(vm)) {
            by_nic.entry(nsg.as_str()).or_default().push(subnet);
        }
    }
    let mut hits = Vec::new();
    for (element, nsg) in nsgs(context) {
        let id = element.id.as_str();
        // The workload subnets this NSG filters.
        let mut subnets: Vec<&Element> = by_subnet
            .get(id)
            .into_iter()
            .chain(by_nic.get(id))
            .flatten()
            .copied()
            .filter(|s| s.props.as_subnet().is_some_and(|s| WORKLOAD_ROLES.contains(&s.role)))
            .collect();
        crate::sorting::sort_by_key(&mut subnets, |s| s.id.as_str());
        subnets.dedup_by_key(|s| s.id.as_str());
        if subnets.is_empty() {
            continue;
        }
        let names: Vec<&str> = subnets.iter().map(|s| s.display_name()).collect();
        for rule in &nsg.rules {
            if rule.direction == Direction::Inbound && rule.access == Access::Allow && is_from_internet(&rule.source) {
                let message = format!(
                    "NSG {} rule {} allows inbound from {} to subnet {}",
                    element.display_name(),
                    rule.name,
                    rule.source,
                    names.join(", ")
                );
                hits.push(Hit::new(id, message));
            }
        }
    }
    hits
}

fn net_04(context: &Context) -> Vec<Hit> {
    let internet = context.internet();
    context
        .vms()
        .filter_map(|(element, _)| {
            let open: Vec<String> = [(22, "SSH"), (3389, "RDP")]
                .into_iter()
                .filter(|(port, _)| {
                    context
                        .verify(&internet, element.id.as_str(), FlowProtocol::Tcp, Some(*port))
                        .is_some_and(|a| a.verdict == Verdict::Allow)
                })
                .map(|(port, what)| format!("{what} (tcp/{port})"))
                .collect();
            (!open.is_empty()).then(|| {
                let message = format!("the internet reaches {} on {}", element.display_name(), open.join(" and "));
                Hit::new(element.id.as_str(), message)
            })
        })
        .collect()
}

fn net_05(context: &Context) -> Vec<Hit> {
    let spaces = Spaces::new(context.of_kind(ElementKind::Vnet).map(|v| (v, space(v))));
    let own = |part: &str| {
        let range = ip_range(part)?;
        spaces.first_containing(&range).map(|v| (range, v))
    };
    let mut hits = Vec::new();
    for (element, nsg) in nsgs(context) {
        for rule in &nsg.rules {
            let named = parts(&rule.source).chain(parts(&rule.destination)).find_map(own);
            if let Some((range, vnet)) = named {
                let message = format!(
                    "NSG {} rule {} names {range}, inside VNet {}; an ASG or a service tag would follow the VMs",
                    element.display_name(),
                    rule.name,
                    vnet.display_name()
                );
                hits.push(Hit::new(element.id.as_str(), message));
            }
        }
    }
    hits
}

fn net_06(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter(|(_, vm)| vm.count >= 2)
        .filter_map(|(element, _)| {
            let id = element.id.as_str();
            let answer = context.verify(id, id, FlowProtocol::Any, None)?;
            (answer.verdict == Verdict::Allow).then(|| {
                let message = format!(
                    "the instances of {} can reach each other ({})",
                    element.display_name(),
                    answer.allowed.join(", ")
                );
                Hit::new(id, message)
            })
        })
        .collect()
}

fn net_07(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    let overlapping = |a: &Element, b: &Element| {
        let b_space = space(b);
        space(a).into_iter().find_map(|x| b_space.iter().find(|y| overlap(&x, y)).map(|y| (x, *y)))
    };
    for link in context.links(LinkKind::Peering).filter(|l| l.from != l.to) {
        let (Some(a), Some(b)) = (context.element(link.from.as_str()), context.element(link.to.as_str())) else {
            continue;
        };
        if let Some((x, y)) = overlapping(a, b) {
            let message = format!("peered VNets {} ({x}) and {} ({y}) overlap", a.display_name(), b.display_name());
            hits.push(Hit::new(link.id.as_str(), message));
        }
    }
    // Each on-premises site with the VNets its gateways serve: the gateway's own and its transit spokes.
    let mut transit: HashMap<&str, Vec<&Element>> = HashMap::new();
    for link in &context.design.links {
        if let LinkProps::Peering(p) = &link.props
            && p.gateway_transit
            && let Some(spoke) = context.element(link.to.as_str())
        {
            transit.entry(link.from.as_str()).or_default().push(spoke);
        }
    }
    let mut connected: Vec<(&Element, &Element)> = Vec::new();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for link in context.links(LinkKind::Vpn).chain(context.links(LinkKind::ExpressRoute)) {
        let site = context.element(link.from.as_str()).filter(|e| e.kind() == ElementKind::OnPremises);
        let hub = context.element(link.to.as_str()).and_then(|g| vnet_of(context, g));
        let (Some(site), Some(hub)) = (site, hub) else { continue };
        let spokes = transit.get(hub.id.as_str()).into_iter().flatten().copied();
        for vnet in std::iter::once(hub).chain(spokes) {
            if seen.insert((site.id.as_str(), vnet.id.as_str())) {
                connected.push((site, vnet));
            }
        }
    }
    for (site, vnet) in connected {
        if let Some((x, y)) = overlapping(vnet, site) {
            let message = format!(
                "VNet {} ({x}) overlaps on-premises {} ({y}), to which it is connected",
                vnet.display_name(),
                site.display_name()
            );
            hits.push(Hit::new(vnet.id.as_str(), message));
        }
    }
    hits
}

fn net_08(context: &Context) -> Vec<Hit> {
    let subnets: Vec<(&Element, &Element, IpNet)> = context
        .subnets()
        .filter_map(|(e, s)| {
            let vnet = context.parent(e).filter(|v| v.kind() == ElementKind::Vnet)?;
            Some((e, vnet, prefix_of(s)?))
        })
        .collect();
    // Subnets can only overlap within their VNet: compare each with the others of its VNet.
    let mut by_vnet: HashMap<&str, Vec<(&Element, IpNet)>> = HashMap::new();
    for (subnet, vnet, prefix) in &subnets {
        by_vnet.entry(vnet.id.as_str()).or_default().push((subnet, *prefix));
    }
    let mut hits = Vec::new();
    for (subnet, vnet, prefix) in &subnets {
        let vnet_space = space(vnet);
        // A VNet drawn without an address space is half-drawn, not misnumbered.
        if !vnet_space.is_empty() && !vnet_space.iter().any(|s| s.contains(prefix)) {
            let message = format!(
                "subnet {} ({prefix}) lies outside the address space of VNet {}",
                subnet.display_name(),
                vnet.display_name()
            );
            hits.push(Hit::new(subnet.id.as_str(), message));
        }
        let others: Vec<String> = by_vnet[vnet.id.as_str()]
            .iter()
            .filter(|(other, p)| other.id != subnet.id && overlap(prefix, p))
            .map(|(other, p)| format!("{} ({p})", other.display_name()))
            .collect();
        if !others.is_empty() {
            let message =
                format!("subnet {} ({prefix}) overlaps {} in the same VNet", subnet.display_name(), others.join(", "));
            hits.push(Hit::new(subnet.id.as_str(), message));
        }
    }
    hits
}

fn net_09(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (element, subnet) in context.subnets() {
        let (smallest, what) = match subnet.role {
            SubnetRole::Firewall => (26, "an Azure Firewall subnet"),
            SubnetRole::Bastion => (26, "an Azure Bastion subnet"),
            SubnetRole::Gateway => (27, "a gateway subnet"),
            _ => continue,
        };
        // The sizes Azure documents are IPv4 prefix lengths.
        if let Some(IpNet::V4(prefix)) = prefix_of(subnet)
            && prefix.prefix_len() > smallest
        {
            let message = format!(
                "subnet {} is /{}; {what} needs /{smallest} or larger",
                element.display_name(),
                prefix.prefix_len()
            );
            hits.push(Hit::new(element.id.as_str(), message));
        }
        if subnet.role == SubnetRole::Gateway
            && let Some(nsg) = &subnet.nsg
        {
            let message = format!(
                "gateway subnet {} has NSG {} attached; gateway subnets must have none",
                element.display_name(),
                name_of(context, nsg.as_str())
            );
            hits.push(Hit::new(element.id.as_str(), message));
        }
    }
    hits
}

fn net_10(context: &Context) -> Vec<Hit> {
    context
        .subnets()
        .filter(|(_, s)| matches!(s.role, SubnetRole::Web | SubnetRole::Business | SubnetRole::Data))
        .filter_map(|(element, _)| {
            let hop = context.next_hop(element.id.as_str(), "0.0.0.0/0")?;
            let appliance = hop
                .next_hop_element
                .as_deref()
                .and_then(|id| context.element(id))
                .filter(|e| matches!(e.kind(), ElementKind::Firewall | ElementKind::Nva));
            if hop.next_hop_type == "VirtualAppliance" && appliance.is_some() {
                return None;
            }
            let to = match hop.next_hop_element.as_deref() {
                Some(id) => format!("{} {}", hop.next_hop_type, name_of(context, id)),
                None => hop.next_hop_type.clone(),
            };
            let message = format!(
                "subnet {} sends 0.0.0.0/0 to {to} ({}), not to a firewall or NVA",
                element.display_name(),
                hop.route
            );
            Some(Hit::new(element.id.as_str(), message))
        })
        .collect()
}

fn net_11(context: &Context) -> Vec<Hit> {
    let spokes: Vec<&Element> = context.of_kind(ElementKind::Vnet).filter(|v| !context.is_hub(v.id.as_str())).collect();
    // Where each spoke is in that list (ids may repeat).
    let mut position: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, spoke) in spokes.iter().enumerate() {
        position.entry(spoke.id.as_str()).or_default().push(i);
    }
    let endpoints = endpoints_by_vnet(context);
    let none = Vec::new();
    let endpoints_in = |vnet: &Element| endpoints.get(vnet.id.as_str()).unwrap_or(&none);
    let mut hits = Vec::new();
    for from in &spokes {
        let sources = endpoints_in(from);
        // A packet leaves a spoke past no firewall or NVA only over a peering of its own: the
        // routes send it on a peering, or to an appliance (a firewall or NVA is on the path; an
        // element that is neither has no rules and drops it). So only the spokes peered with
        // `from` can be reached directly, and the others need no query.
        let mut peered: Vec<usize> = context
            .peers(from.id.as_str())
            .into_iter()
            .filter(|peer| *peer != from.id.as_str())
            .flat_map(|peer| position.get(peer).into_iter().flatten().copied())
            .collect();
        crate::sorting::sort(&mut peered);
        for to in peered.into_iter().map(|i| spokes[i]) {
            let targets = endpoints_in(to);
            let reached = sources.iter().flat_map(|s| targets.iter().map(move |t| (*s, *t))).find_map(|(s, t)| {
                let answer = context.verify(s.id.as_str(), t.id.as_str(), FlowProtocol::Any, None)?;
                direct(context, &answer).then_some((s, t, answer))
            });
            if let Some((source, target, answer)) = reached {
                let message = format!(
                    "spoke {} reaches spoke {} ({} → {}, {}) without passing a firewall or NVA",
                    from.display_name(),
                    to.display_name(),
                    source.display_name(),
                    target.display_name(),
                    answer.allowed.join(", ")
                );
                hits.push(Hit::new(from.id.as_str(), message));
            }
        }
    }
    hits
}

fn net_12(context: &Context) -> Vec<Hit> {
    context
        .design
        .links
        .iter()
        .filter_map(|link| {
            let LinkProps::Flow(flow) = &link.props else { return None };
            let answer = context.verify(link.from.as_str(), link.to.as_str(), flow.protocol, flow.port)?;
            if answer.verdict == Verdict::Allow {
                return None;
            }
            let decided = match &answer.denied_by {
                Some(by) => format!("by {} rule {}", name_of(context, by.element.as_str()), by.rule),
                None => format!("({})", answer.reason),
            };
            let message = format!(
                "flow {} → {} ({}) is denied {decided}",
                name_of(context, link.from.as_str()),
                name_of(context, link.to.as_str()),
                flow_words(flow)
            );
            Some(Hit::new(link.id.as_str(), message))
        })
        .collect()
}

fn net_13(context: &Context) -> Vec<Hit> {
    let internet = context.internet();
    context
        .vms()
        .filter(|(element, _)| context.tier(element) == SubnetRole::Data)
        .filter_map(|(element, _)| {
            let answer = context.verify(&internet, element.id.as_str(), FlowProtocol::Any, None)?;
            (answer.verdict == Verdict::Allow).then(|| {
                let message = format!(
                    "the internet reaches data-tier VM {} ({})",
                    element.display_name(),
                    answer.allowed.join(", ")
                );
                Hit::new(element.id.as_str(), message)
            })
        })
        .collect()
}

fn net_14(context: &Context) -> Vec<Hit> {
    let data: Vec<&Element> = context.vms().map(|(e, _)| e).filter(|e| context.tier(e) == SubnetRole::Data).collect();
    let mut hits = Vec::new();
    for (dmz, _) in context.subnets().filter(|(_, s)| s.role == SubnetRole::Dmz) {
        // The DMZ subnet itself and its VMs, whose ASGs and NIC NSGs may open more than the subnet's.
        let sources: Vec<&Element> = std::iter::once(dmz)
            .chain(context.children(dmz.id.as_str()).iter().copied().filter(|e| e.kind() == ElementKind::Vm))
            .collect();
        for target in &data {
            // Paths pass network elements, never VM tiers: any allow skips the web and business
            // tiers, whether or not a firewall on the way allowed it.
            let reached = sources.iter().filter(|s| s.id != target.id).find_map(|s| {
                let answer = context.verify(s.id.as_str(), target.id.as_str(), FlowProtocol::Any, None)?;
                (answer.verdict == Verdict::Allow).then_some((s, answer))
            });
            if let Some((source, answer)) = reached {
                let through = if context.through_appliance(&answer) { ", a firewall allowing it" } else { "" };
                let message = format!(
                    "{} in DMZ subnet {} reaches data-tier VM {} ({}) without passing the web and business tiers{through}",
                    source.display_name(),
                    dmz.display_name(),
                    target.display_name(),
                    answer.allowed.join(", ")
                );
                hits.push(Hit::new(dmz.id.as_str(), message));
            }
        }
    }
    hits
}
