//! Availability rules (guidance: "N-tier" — HA of at least 99.9%, tiers over zones or an
//! availability set, a load balancer in front of multi-VM tiers).

use super::{Area, Context, Hit, Rule, Severity};
use crate::availability::{availability_in, show};
use crate::element::{Element, ElementKind, ElementProps};

pub const RULES: &[&Rule] = &[&HA_01, &HA_02, &HA_03, &HA_04, &HA_05];

pub const HA_01: Rule = Rule {
    id: "HA-01",
    severity: Severity::Warning,
    standard: None,
    area: Area::Availability,
    title: "A VM tier has a single instance",
    rationale: doc!(
        "The guidance runs each tier (web, business, data) on several VMs so that the workload reaches at \
                least 99.9% availability: one VM is a single point of failure for its tier."
    ),
    fix: doc!(
        "Set the tier's `count` to 2 or more and spread the instances over availability zones (or an \
          availability set where the region has no zones)."
    ),
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

pub const HA_02: Rule = Rule {
    id: "HA-02",
    severity: Severity::Warning,
    standard: None,
    area: Area::Availability,
    title: "A multi-VM tier is not spread over zones or fault domains",
    rationale: doc!(
        "Several VMs only keep a tier up when one failure cannot take them all down. The guidance spreads a \
                tier's VMs over availability zones, and over an availability set where the region has no zones; \
                VMs placed side by side with neither share their fate (and get no multi-instance SLA)."
    ),
    fix: doc!(
        "In a region with zones, list at least two zones in the VM's `zones` (e.g. [1, 2]). In a region without \
          zones, set `availabilitySet` to true or place the tier on a dedicated host group (`host`)."
    ),
    check: ha_02,
};

/// The distinct zones of a list.
fn zones(list: &[u8]) -> usize {
    crate::sorting::distinct(list).len()
}

/// Whether an element's region has zones: `None` when the region is not known.
fn region_zoned(context: &Context, element: &Element) -> Option<bool> {
    context.region_of(element).map(|(_, region)| context.has_zones(region))
}

fn ha_02(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (element, vm) in context.vms().filter(|(_, vm)| vm.count >= 2) {
        let spread = zones(&vm.zones);
        let on_host = vm
            .host
            .as_ref()
            .and_then(|h| context.element(h.as_str()))
            .is_some_and(|h| h.kind() == ElementKind::DedicatedHost);
        let name = element.display_name();
        match region_zoned(context, element) {
            Some(true) if spread < 2 => {
                let where_ = if spread == 0 { "without availability zones" } else { "all in one zone" };
                hits.push(Hit::new(
                    element.id.as_str(),
                    format!(
                        "{name} runs {} VMs {where_} in a region that has zones; spread them over at least 2",
                        vm.count
                    ),
                ))
            }
            // Without zones in the region (or a region not drawn), fault domains are the spread left.
            Some(false) | None if spread < 2 && !vm.availability_set && !on_host => hits.push(Hit::new(
                element.id.as_str(),
                format!(
                    "{name} runs {} VMs with neither zones, an availability set nor a dedicated host group",
                    vm.count
                ),
            )),
            Some(false) if !vm.availability_set && !on_host => hits.push(Hit::new(
                element.id.as_str(),
                format!(
                    "{name} lists zones but its region has none; put its {} VMs in an availability set or a \
                     dedicated host group",
                    vm.count
                ),
            )),
            _ => {}
        }
    }
    hits
}

pub const HA_03: Rule = Rule {
    id: "HA-03",
    severity: Severity::Warning,
    standard: None,
    area: Area::Availability,
    title: "A multi-VM tier has no load balancer",
    rationale: doc!(
        "The guidance puts a load balancer in front of every tier that runs on several VMs, so that requests \
                go to the instances that are up; without one, clients are tied to a single VM and the spare ones do \
                not help (unless the application balances itself)."
    ),
    fix: doc!(
        "Add a `loadBalancer` (or an `appGateway` for HTTP) in the tier's subnet and list the VM tier in its \
          `backends`."
    ),
    check: ha_03,
};

fn ha_03(context: &Context) -> Vec<Hit> {
    let fronted: Vec<&str> = crate::sorting::distinct(
        context
            .design
            .elements
            .iter()
            .flat_map(|e| match &e.props {
                ElementProps::LoadBalancer(lb) => lb.backends.as_slice(),
                ElementProps::AppGateway(agw) => agw.backends.as_slice(),
                _ => &[],
            })
            .map(|b| b.as_str()),
    );
    context
        .vms()
        .filter(|(element, vm)| vm.count >= 2 && fronted.binary_search(&element.id.as_str()).is_err())
        .map(|(element, vm)| {
            Hit::new(
                element.id.as_str(),
                format!(
                    "{} runs {} VMs but no load balancer or application gateway lists it as a backend",
                    element.display_name(),
                    vm.count
                ),
            )
        })
        .collect()
}

pub const HA_04: Rule = Rule {
    id: "HA-04",
    severity: Severity::Warning,
    standard: None,
    area: Area::Availability,
    title: "A firewall or NVA is a single instance",
    rationale: doc!(
        "Every packet the routes send to a firewall or NVA stops when it stops. The guidance asks for Azure \
                Firewall (highly available by itself, across zones where the region has them) or marketplace NVAs \
                deployed in a highly available way, never one appliance on its own."
    ),
    fix: doc!(
        "For an `nva`, set `count` to 2 or more (and spread its `zones`). For a `firewall` in a region with \
          availability zones, list at least two `zones` (e.g. [1, 2, 3])."
    ),
    check: ha_04,
};

fn ha_04(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    for element in &context.design.elements {
        let name = element.display_name();
        match &element.props {
            ElementProps::Nva(nva) if nva.count < 2 => hits.push(Hit::new(
                element.id.as_str(),
                format!("NVA {name} runs {} instance; run at least 2 behind a load balancer", nva.count),
            )),
            ElementProps::Firewall(fw) if zones(&fw.zones) < 2 && region_zoned(context, element) == Some(true) => {
                let where_ = if fw.zones.is_empty() { "without availability zones" } else { "in a single zone" };
                hits.push(Hit::new(
                    element.id.as_str(),
                    format!("firewall {name} is deployed {where_} in a region that has zones; use at least 2"),
                ))
            }
            _ => {}
        }
    }
    hits
}

pub const HA_05: Rule = Rule {
    id: "HA-05",
    severity: Severity::Warning,
    standard: None,
    area: Area::Availability,
    title: "The design's composite availability is below its target",
    rationale: doc!(
        "The guidance sets a bar of at least 99.9% for the workload. Whatever a single tier promises, users \
                see the product of everything their request passes (connectivity, appliances, each tier and its \
                load balancer), so the design as a whole must reach the target."
    ),
    fix: doc!(
        "Raise the weakest part named in the finding: spread tiers over `zones`, give single VMs a partner and a \
          load balancer, put firewalls in several zones, add a VPN failover (`vpn` link) next to ExpressRoute; or \
          set `meta.slaTarget` to what the business actually needs."
    ),
    check: ha_05,
};

fn ha_05(context: &Context) -> Vec<Hit> {
    let estimate = availability_in(context);
    let target = context.design.meta.sla_target;
    // A target that is no number cannot be missed.
    if !target.is_finite() || estimate.meets_target {
        return Vec::new();
    }
    let weakest = estimate
        .weakest
        .as_deref()
        .map(|id| {
            let name = context
                .element(id)
                .map(|e| e.display_name().to_owned())
                .or_else(|| context.design.link(id).map(|l| l.name.clone().unwrap_or_else(|| l.id.0.clone())))
                .unwrap_or_else(|| id.to_owned());
            let sla = estimate
                .tiers
                .get(id)
                .map(|t| t.sla)
                .or_else(|| estimate.services.iter().find(|s| s.element == id).map(|s| s.sla));
            match sla {
                Some(sla) => format!("; the weakest part of the path is {name} ({}%)", show(sla)),
                None => format!("; the weakest part of the path is {name}"),
            }
        })
        .unwrap_or_default();
    vec![Hit::new(
        "design",
        format!(
            "the composite availability is {}% (about {} minutes of downtime a month), below the target of {}%{weakest}",
            show(estimate.composite),
            estimate.downtime_minutes_per_month.round(),
            show(target)
        ),
    )]
}
