//! Management rules (guidance: "DMZ" — a perimeter network, Azure Bastion instead of public
//! IPs, just-in-time VM access, hub-spoke without spoke-to-spoke peering).

use ipnet::IpNet;

use crate::check::{parse_cidr, parse_ports};
use crate::element::{Access, Direction, Element, ElementKind, ElementProps, NsgRule, RuleProtocol, SubnetRole, Vm};
use crate::ids::ElementId;
use crate::link::LinkKind;

use super::hyb::public_endpoints;
use super::{Area, Context, Hit, Rule, Severity};

pub const RULES: &[&Rule] = &[&MGT_01, &MGT_02, &MGT_03, &MGT_04, &MGT_05];

/// The ports of remote administration: SSH and RDP.
const ADMIN_PORTS: [u16; 2] = [22, 3389];

pub const MGT_01: Rule = Rule {
    id: "MGT-01",
    severity: Severity::Warning,
    standard: Some(Severity::Info),
    area: Area::Management,
    title: "Outside connections arrive without a DMZ",
    rationale: doc!(
        "The guidance puts a perimeter network (DMZ) between the outside world and a sensitive workload: \
                traffic from on-premises or the internet lands in the DMZ, where appliances inspect it, before it \
                may reach the application subnets."
    ),
    fix: doc!(
        "Add a subnet with `role` `dmz` to the hub VNet, place the inspecting firewall or NVA in it, and route the \
          traffic from the gateways and public endpoints through it with a `routeTable`."
    ),
    check: mgt_01,
};

fn mgt_01(context: &Context) -> Vec<Hit> {
    if context.subnets().any(|(_, s)| s.role == SubnetRole::Dmz) {
        return Vec::new();
    }
    // Where the outside comes in: the gateways of hybrid links first, then public endpoints.
    let gateways = context
        .design
        .links
        .iter()
        .filter(|l| matches!(l.kind(), LinkKind::Vpn | LinkKind::ExpressRoute))
        .filter_map(|l| context.element(l.to.as_str()))
        .map(|gateway| (gateway, "on-premises"));
    let exposed = public_endpoints(context).into_iter().map(|endpoint| (endpoint, "the internet"));
    let Some((entry, outside)) = gateways.chain(exposed).next() else { return Vec::new() };
    let target = context.ancestor(entry, ElementKind::Vnet).unwrap_or(entry);
    vec![Hit::new(
        target.id.as_str(),
        format!(
            "traffic from {outside} arrives through {}, but the design has no DMZ subnet to inspect it",
            entry.display_name()
        ),
    )]
}

pub const MGT_02: Rule = Rule {
    id: "MGT-02",
    severity: Severity::Error,
    standard: None,
    area: Area::Management,
    title: "A management host has a public IP",
    rationale: doc!(
        "Management hosts hold the keys to every tier. The guidance keeps them off the internet (a management \
                subnet reachable from outside only as an emergency bypass) and prefers Azure Bastion, which needs no \
                public IP on any VM."
    ),
    fix: doc!(
        "Set `publicIp` to false on the management VM (or `public` to false on the load balancer or application \
          gateway in front of it) and reach it through Azure Bastion or the VPN."
    ),
    check: mgt_02,
};

fn mgt_02(context: &Context) -> Vec<Hit> {
    let in_management_subnet =
        |e: &Element| context.subnet_of(e).is_some_and(|(_, s)| s.role == SubnetRole::Management);
    let is_management_vm = |e: &Element| {
        e.kind() == ElementKind::Vm && (context.tier(e) == SubnetRole::Management || in_management_subnet(e))
    };
    let fronts_management =
        |backends: &[ElementId]| backends.iter().filter_map(|b| context.element(b.as_str())).any(is_management_vm);
    context
        .design
        .elements
        .iter()
        .filter(|e| match &e.props {
            ElementProps::Vm(vm) => vm.public_ip && is_management_vm(e),
            ElementProps::LoadBalancer(lb) => lb.public && (in_management_subnet(e) || fronts_management(&lb.backends)),
            ElementProps::AppGateway(agw) => {
                agw.public && (in_management_subnet(e) || fronts_management(&agw.backends))
            }
            _ => false,
        })
        .map(|e| {
            let message = match e.kind() {
                ElementKind::Vm => format!("management VM {} has a public IP", e.display_name()),
                _ => format!("{} gives the management hosts a public IP", e.display_name()),
            };
            Hit::new(e.id.as_str(), message)
        })
        .collect()
}

pub const MGT_03: Rule = Rule {
    id: "MGT-03",
    severity: Severity::Warning,
    standard: None,
    area: Area::Management,
    title: "SSH or RDP is open permanently",
    rationale: doc!(
        "With just-in-time access, SSH and RDP stay blocked by the NSG and are opened only on request, for a \
                time window and a given source. A standing allow rule leaves the administration ports open to \
                anyone who reaches the network."
    ),
    fix: doc!(
        "Set `jit` to true on the VM and remove the NSG allow rule for TCP 22/3389 (JIT adds it when access is \
          granted); rules that admit only the Bastion subnet may stay."
    ),
    check: mgt_03,
};

fn mgt_03(context: &Context) -> Vec<Hit> {
    // Azure Bastion needs a standing rule from its own subnet: that one is the recommended path.
    let bastion_nets: Vec<IpNet> = context
        .subnets()
        .filter(|(_, s)| s.role == SubnetRole::Bastion)
        .filter_map(|(_, s)| s.prefix.as_deref().and_then(|p| parse_cidr(p).ok()))
        .collect();
    let mut hits = Vec::new();
    for (element, vm) in context.vms().filter(|(_, vm)| !vm.jit) {
        let addresses = vm_addresses(context, element, vm);
        let subnet_nsg = context.subnet_of(element).and_then(|(_, s)| s.nsg.as_ref());
        let nsgs = subnet_nsg.into_iter().chain(vm.nsg.as_ref()).filter_map(|id| context.element(id.as_str()));
        let opening = nsgs
            .filter_map(|nsg| match &nsg.props {
                ElementProps::Nsg(n) => Some((nsg, n)),
                _ => None,
            })
            .find_map(|(nsg, n)| {
                n.rules
                    .iter()
                    .filter(|rule| rule.direction == Direction::Inbound && rule.access == Access::Allow)
                    .filter(|rule| matches!(rule.protocol, RuleProtocol::Tcp | RuleProtocol::Any))
                    .filter(|rule| targets(&rule.destination, vm, &addresses))
                    .filter(|rule| admits_people(&rule.source, &bastion_nets))
                    .find_map(|rule| {
                        let ports = admin_ports(rule);
                        (!ports.is_empty()).then_some((nsg, rule, ports))
                    })
            });
        if let Some((nsg, rule, ports)) = opening {
            let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
            hits.push(Hit::new(
                element.id.as_str(),
                format!(
                    "{} has no just-in-time access and NSG {} rule \"{}\" allows TCP {} permanently",
                    element.display_name(),
                    nsg.display_name(),
                    rule.name,
                    ports.join(" and ")
                ),
            ));
        }
    }
    hits
}

/// The administration ports an NSG rule's destination ports cover.
fn admin_ports(rule: &NsgRule) -> Vec<u16> {
    let ranges = parse_ports(&rule.destination_ports).unwrap_or_default();
    ADMIN_PORTS.into_iter().filter(|p| ranges.iter().any(|(low, high)| (low..=high).contains(&p))).collect()
}

/// The addresses a VM may have: its `privateIp`, else its subnet's prefix.
fn vm_addresses(context: &Context, element: &Element, vm: &Vm) -> Vec<IpNet> {
    let own = vm.private_ip.as_deref().and_then(parse_address);
    let subnet = || context.subnet_of(element).and_then(|(_, s)| s.prefix.as_deref()).and_then(|p| parse_cidr(p).ok());
    own.or_else(subnet).into_iter().collect()
}

fn parse_address(text: &str) -> Option<IpNet> {
    text.parse::<std::net::IpAddr>().map(IpNet::from).ok().or_else(|| parse_cidr(text).ok())
}

/// Whether an NSG rule's destination (a comma list) may name the VM.
fn targets(destination: &str, vm: &Vm, addresses: &[IpNet]) -> bool {
    destination.split(',').map(str::trim).any(|part| {
        if part == "*" || part.eq_ignore_ascii_case("VirtualNetwork") {
            return true;
        }
        if let Some(asg) = part.strip_prefix("asg:") {
            return vm.asgs.iter().any(|a| a.as_str() == asg);
        }
        parse_address(part).is_some_and(|net| addresses.iter().any(|a| net.contains(a) || a.contains(&net)))
    })
}

/// Whether a rule's source (a comma list) may be an administrator's machine. The Bastion
/// subnet is the recommended path, and Azure service tags such as `AzureLoadBalancer` (the
/// health probes) carry no sessions.
fn admits_people(source: &str, bastion_nets: &[IpNet]) -> bool {
    source.split(',').map(str::trim).any(|part| {
        if part == "*" || part.starts_with("asg:") {
            return true;
        }
        if part.eq_ignore_ascii_case("Internet") || part.eq_ignore_ascii_case("VirtualNetwork") {
            return true;
        }
        parse_address(part).is_some_and(|net| !bastion_nets.iter().any(|b| b.contains(&net)))
    })
}

pub const MGT_04: Rule = Rule {
    id: "MGT-04",
    severity: Severity::Info,
    standard: None,
    area: Area::Management,
    title: "VMs are managed without Azure Bastion",
    rationale: doc!(
        "Azure Bastion gives administrators RDP and SSH from the portal over TLS, with no public IP on any VM \
                and no jump host to maintain; the guidance prefers it to a management subnet reachable from \
                outside."
    ),
    fix: doc!(
        "Add a `bastion` in a subnet with `role` `bastion` (Azure's AzureBastionSubnet, /26 or larger) in the hub \
          VNet, and allow TCP 22/3389 from that subnet in the VMs' NSGs."
    ),
    check: mgt_04,
};

fn mgt_04(context: &Context) -> Vec<Hit> {
    let Some((first_vm, _)) = context.vms().next() else { return Vec::new() };
    if context.of_kind(ElementKind::Bastion).next().is_some() {
        return Vec::new();
    }
    // Bastion belongs in the hub; without one, in the VNet of the VMs.
    let hub = context.of_kind(ElementKind::Vnet).find(|v| context.is_hub(v.id.as_str()));
    let target = hub.or_else(|| context.ancestor(first_vm, ElementKind::Vnet));
    let message = "the design has VMs but no Azure Bastion for remote administration";
    vec![match target {
        Some(vnet) => Hit::new(vnet.id.as_str(), format!("{message}; add one to {}", vnet.display_name())),
        None => Hit::new("design", message.to_owned()),
    }]
}

pub const MGT_05: Rule = Rule {
    id: "MGT-05",
    severity: Severity::Warning,
    standard: None,
    area: Area::Management,
    title: "Two spoke VNets are peered directly",
    rationale: doc!(
        "In a hub-spoke network the guidance isolates applications from each other: spoke-to-spoke traffic \
                passes only through the hub firewall. A direct peering between spokes bypasses that inspection."
    ),
    fix: doc!(
        "Delete the `peering` link between the spokes and let their traffic go through the hub: a `routeTable` on \
          each spoke subnet sending the other spoke's prefix to the hub firewall (`virtualAppliance`)."
    ),
    check: mgt_05,
};

fn mgt_05(context: &Context) -> Vec<Hit> {
    // A spoke is a VNet that is no hub itself but is peered with one.
    let is_spoke = |id: &str| {
        context.element(id).is_some_and(|e| e.kind() == ElementKind::Vnet)
            && !context.is_hub(id)
            && context.peers(id).into_iter().any(|peer| context.is_hub(peer))
    };
    context
        .links(LinkKind::Peering)
        .filter(|l| is_spoke(l.from.as_str()) && is_spoke(l.to.as_str()))
        .map(|l| {
            let name = |id: &str| context.element(id).map_or(id.to_owned(), |e| e.display_name().to_owned());
            Hit::new(
                l.id.as_str(),
                format!(
                    "spokes {} and {} are peered directly, bypassing the hub firewall",
                    name(l.from.as_str()),
                    name(l.to.as_str())
                ),
            )
        })
        .collect()
}
