//! Availability rules (guidance: "N-tier" — HA of at least 99.9%, tiers over zones or an
//! availability set, a load balancer in front of multi-VM tiers).

use super::{Area, Context, Hit, Rule, Severity};

pub const RULES: &[&Rule] = &[&HA_01];

pub const HA_01: Rule = Rule {
    id: "HA-01",
    severity: Severity::Warning,
    standard: None,
    area: Area::Availability,
    title: "A VM tier has a single instance",
    rationale: "The guidance runs each tier (web, business, data) on several VMs so that the workload reaches at \
                least 99.9% availability: one VM is a single point of failure for its tier.",
    fix: "Set the tier's `count` to 2 or more and spread the instances over availability zones (or an \
          availability set where the region has no zones).",
    check: ha_01,
};

fn ha_01(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter(|(_, vm)| vm.count < 2)
        .map(|(element, vm)| {
            Hit::new(
                element.id.as_str(),
                format!("{} runs {} instance; a tier needs at least 2", element.display_name(), vm.count),
            )
        })
        .collect()
}
