//! Network security rules (guidance: "Network security", "DMZ").

use crate::element::SubnetRole;

use super::{Area, Context, Hit, Rule, Severity};

pub const RULES: &[&Rule] = &[&NET_01];

pub const NET_01: Rule = Rule {
    id: "NET-01",
    severity: Severity::Error,
    standard: None,
    area: Area::Network,
    title: "A subnet has no network security group",
    rationale: "NSGs are the first filter of traffic by address and port; without one on the subnet (or on the \
                NICs of its VMs) everything the routes deliver is allowed in and out.",
    fix: "Attach an NSG to the subnet (`nsg`) with a deny-all rule at priority 4096 in both directions and allow \
          only the traffic the tier needs. Gateway, firewall and Bastion subnets are exempt.",
    check: net_01,
};

fn net_01(context: &Context) -> Vec<Hit> {
    context
        .subnets()
        .filter(|(_, subnet)| !matches!(subnet.role, SubnetRole::Gateway | SubnetRole::Firewall | SubnetRole::Bastion))
        .filter(|(_, subnet)| subnet.nsg.is_none())
        .filter(|(element, _)| {
            let vms: Vec<_> = context
                .vms()
                .filter(|(vm, _)| context.subnet_of(vm).is_some_and(|(s, _)| s.id == element.id))
                .collect();
            vms.is_empty() || vms.iter().any(|(_, vm)| vm.nsg.is_none())
        })
        .map(|(element, _)| Hit::new(element.id.as_str(), format!("subnet {} has no NSG", element.display_name())))
        .collect()
}
