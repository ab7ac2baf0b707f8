//! Multi-region rules (guidance: "Multi-region" — region pairs in one geography, replication
//! of data by the application, forced inspection of global peering, no public DNS failover).

use std::collections::{HashMap, HashSet};

use super::{Area, Context, Hit, Rule, Severity};
use crate::design::Sensitivity;
use crate::element::{Element, ElementKind, ElementProps, Region, SubnetRole};
use crate::link::LinkKind;

pub const RULES: &[&Rule] = &[&REG_01, &REG_02, &REG_03, &REG_04, &REG_05];

/// A region of the design: its element and fields.
struct Place<'a> {
    element: &'a Element,
    region: &'a Region,
}

/// A key that is the same for region elements of one location.
fn key_of(element: &Element, region: &Region) -> String {
    match &region.location {
        Some(location) => location.to_ascii_lowercase(),
        None => format!("#{}", element.id.as_str()),
    }
}

/// The design's regions, one per location (by [`key_of`]), in document order.
fn places<'a>(context: &Context<'a>) -> Vec<Place<'a>> {
    let mut out: Vec<Place<'a>> = Vec::new();
    let mut keys = HashSet::new();
    for element in context.of_kind(ElementKind::Region) {
        if let ElementProps::Region(region) = &element.props
            && keys.insert(key_of(element, region))
        {
            out.push(Place { element, region });
        }
    }
    out
}

/// The region key of any element, through its ancestors.
fn region_key(context: &Context, element: &Element) -> Option<String> {
    let mut current = Some(element);
    for _ in 0..8 {
        let here = current?;
        if let ElementProps::Region(region) = &here.props {
            return Some(key_of(here, region));
        }
        current = context.parent(here);
    }
    None
}

/// Whether two regions form a pair, by either one's `pairedWith` (field, else the table).
fn paired(context: &Context, a: &Place, b: &Place) -> bool {
    let names = |from: &Place, to: &Place| {
        context
            .paired_with(from.region)
            .zip(to.region.location.as_ref())
            .is_some_and(|(p, l)| p.eq_ignore_ascii_case(l))
    };
    names(a, b) || names(b, a)
}

pub const REG_01: Rule = Rule {
    id: "REG-01",
    severity: Severity::Warning,
    standard: None,
    area: Area::Region,
    title: "The design spans regions that are not a region pair",
    rationale: doc!(
        "Azure pairs each region with another of the same geography: the two are never updated at the same \
                time, and after a wide outage one of each pair is recovered first. The guidance deploys sensitive \
                workloads that need a second region to a region pair."
    ),
    fix: doc!(
        "Move the second region to the pair of the first (`location`: e.g. northeurope for westeurope); the pair \
          is in the region table, or set in the region's `pairedWith`."
    ),
    check: reg_01,
};

/// Fires on each region that is the pair of no region drawn before it.
fn reg_01(context: &Context) -> Vec<Hit> {
    let places: Vec<Place> = places(context).into_iter().filter(|p| p.region.location.is_some()).collect();
    let mut hits = Vec::new();
    for (i, place) in places.iter().enumerate().skip(1) {
        let earlier = &places[..i];
        if earlier.iter().any(|e| paired(context, e, place)) {
            continue;
        }
        let names: Vec<&str> = earlier.iter().map(|e| e.element.display_name()).collect();
        let pair = context.paired_with(place.region).map_or_else(
            || " (it has no pair)".to_owned(),
            |p| {
                let shown = crate::regions::regions().get(&p).map_or(p.clone(), |info| info.display_name.clone());
                format!(" (its pair is {shown})")
            },
        );
        hits.push(Hit::new(
            place.element.id.as_str(),
            format!("{} is not the region pair of {}{pair}", place.element.display_name(), names.join(" or ")),
        ));
    }
    hits
}

pub const REG_02: Rule = Rule {
    id: "REG-02",
    severity: Severity::Warning,
    standard: None,
    area: Area::Region,
    title: "The design spans geographies (data residency)",
    rationale: doc!(
        "A geography is the boundary within which Azure keeps customer data. The guidance warns to mind data \
                residency when a workload needs several regions: regions of different geographies move data across \
                that boundary, which sensitive data may not be allowed to cross."
    ),
    fix: doc!(
        "Keep every region of the design in one geography: set each region's `location` to a region of the first \
          region's geography (its pair is the natural choice)."
    ),
    check: reg_02,
};

fn reg_02(context: &Context) -> Vec<Hit> {
    let known: Vec<(Place, &str)> = places(context)
        .into_iter()
        .filter_map(|p| context.region_info(p.region).map(|info| (p, info.geography.as_str())))
        .collect();
    let Some((home, geography)) = known.first() else { return Vec::new() };
    known
        .iter()
        .skip(1)
        .filter(|(_, g)| g != geography)
        .map(|(place, g)| {
            Hit::new(
                place.element.id.as_str(),
                format!(
                    "{} is in the {g} geography, {} in {geography}: data would leave its geography",
                    place.element.display_name(),
                    home.element.display_name()
                ),
            )
        })
        .collect()
}

pub const REG_03: Rule = Rule {
    id: "REG-03",
    severity: Severity::Warning,
    standard: None,
    area: Area::Region,
    title: "A data tier of a multi-region design is not replicated to another region",
    rationale: doc!(
        "On IaaS, copying data to the other region is the application's job (SQL Server Always On, Oracle \
                Data Guard, MySQL replication). Without it a second region has nothing to serve after a failover, \
                and the data of the lost region is gone."
    ),
    fix: doc!(
        "Draw a `replication` link from the data-tier VM to its counterpart in the other region and set its \
          `technology`."
    ),
    check: reg_03,
};

fn reg_03(context: &Context) -> Vec<Hit> {
    if places(context).len() < 2 {
        return Vec::new();
    }
    let region_of_vm = |id: &str| context.element(id).and_then(|e| region_key(context, e));
    // The other end of each replication link, by VM.
    let mut partners: HashMap<&str, Vec<&str>> = HashMap::new();
    for link in context.links(LinkKind::Replication) {
        let (from, to) = (link.from.as_str(), link.to.as_str());
        partners.entry(from).or_default().push(to);
        if to != from {
            partners.entry(to).or_default().push(from);
        }
    }
    context
        .vms()
        .filter(|(element, _)| context.tier(element) == SubnetRole::Data)
        .filter_map(|(element, _)| {
            let home = region_key(context, element)?;
            let id = element.id.as_str();
            let replicated = partners.get(id).into_iter().flatten().any(|other| {
                context.element(other).is_some_and(|e| e.kind() == ElementKind::Vm)
                    && region_of_vm(other).is_some_and(|k| k != home)
            });
            (!replicated).then(|| {
                Hit::new(
                    id,
                    format!(
                        "data-tier VM {} has no replication link to a VM in another region of the design",
                        element.display_name()
                    ),
                )
            })
        })
        .collect()
}

pub const REG_04: Rule = Rule {
    id: "REG-04",
    severity: Severity::Warning,
    standard: None,
    area: Area::Region,
    title: "Traffic Manager or Front Door fronts a sensitive workload",
    rationale: doc!(
        "Traffic Manager and Front Door switch regions through public DNS and need public endpoints, which a \
                sensitive workload should not have. The guidance keeps DNS on premises instead and points its \
                entries at the active region when failing over."
    ),
    fix: doc!(
        "Remove the `trafficManager` / `frontDoor`, keep the workload private, and fail over with on-premises DNS \
          (`onPremises.dns`), switching the records to the surviving region."
    ),
    check: reg_04,
};

fn reg_04(context: &Context) -> Vec<Hit> {
    // Only a sensitive workload must stay off public DNS.
    if context.design.meta.sensitivity != Sensitivity::High {
        return Vec::new();
    }
    let dns_on_premises = context.of_kind(ElementKind::OnPremises).any(|e| match &e.props {
        ElementProps::OnPremises(site) => site.dns,
        _ => false,
    });
    let advice = if dns_on_premises {
        "switch the on-premises DNS records on failover instead"
    } else {
        "run DNS on premises and switch its records on failover instead"
    };
    context
        .design
        .elements
        .iter()
        .filter(|e| matches!(e.kind(), ElementKind::TrafficManager | ElementKind::FrontDoor))
        .map(|e| {
            let what = if e.kind() == ElementKind::TrafficManager { "Traffic Manager" } else { "Front Door" };
            Hit::new(
                e.id.as_str(),
                format!(
                    "{what} {} puts the sensitive workload behind a public endpoint and public DNS; {advice}",
                    e.display_name()
                ),
            )
        })
        .collect()
}

pub const REG_05: Rule = Rule {
    id: "REG-05",
    severity: Severity::Info,
    standard: None,
    area: Area::Region,
    title: "Global peering is not forced through a firewall or NVA in each region",
    rationale: doc!(
        "Global VNet peering carries traffic between regions over the Microsoft backbone, uninspected. For \
                more protection the guidance places VPN appliances (or firewalls) in both regions and makes \
                user-defined routes send inter-region traffic through them."
    ),
    fix: doc!(
        "In each of the two regions, add a `firewall` or `nva` and give the subnets of the peered VNets a \
          `routeTable` with a route for the other region's address space (`nextHop`: `virtualAppliance`, \
          `nextHopElement`: that appliance)."
    ),
    check: reg_05,
};

/// The subnets of a VNet whose traffic goes straight out of it (not gateways, firewalls,
/// Bastion, nor the subnets of appliances, which forward what they inspected).
fn sources<'a>(context: &Context<'a>, vnet: &'a Element) -> Vec<&'a Element> {
    context
        .children(vnet.id.as_str())
        .iter()
        .copied()
        .filter(|s| {
            s.props.as_subnet().is_some_and(|subnet| {
                !matches!(subnet.role, SubnetRole::Gateway | SubnetRole::Firewall | SubnetRole::Bastion)
            })
        })
        .filter(|s| {
            !context
                .children(s.id.as_str())
                .iter()
                .any(|c| matches!(c.kind(), ElementKind::Firewall | ElementKind::Nva))
        })
        .collect()
}

/// The subnets of `side` that send traffic for `other`'s address space anywhere but to a
/// firewall or NVA in `side`'s region, with where they send it.
fn unforced<'a>(context: &Context<'a>, side: &'a Element, home: &str, other: &Element) -> Vec<String> {
    let space = match &other.props {
        ElementProps::Vnet(vnet) => vnet.address_space.clone(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for subnet in sources(context, side) {
        for prefix in &space {
            let Some(hop) = context.next_hop(subnet.id.as_str(), prefix) else { continue };
            let through = hop.next_hop_type == "VirtualAppliance"
                && hop.next_hop_element.as_deref().and_then(|id| context.element(id)).is_some_and(|a| {
                    matches!(a.kind(), ElementKind::Firewall | ElementKind::Nva)
                        && region_key(context, a).as_deref() == Some(home)
                });
            if !through {
                let appliance = hop.next_hop_element.as_deref().and_then(|id| context.element(id));
                let to = match (hop.next_hop_type.as_str(), appliance) {
                    ("VirtualAppliance", Some(a)) => format!("to {}, which is not in its own region", a.display_name()),
                    ("VNetPeering", _) => "straight over the peering".to_owned(),
                    (other, _) => format!("to {other}"),
                };
                out.push(format!("{} sends {prefix} {to}", subnet.display_name()));
            }
        }
    }
    out
}

fn reg_05(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    for link in context.links(LinkKind::Peering) {
        let (Some(a), Some(b)) = (context.element(link.from.as_str()), context.element(link.to.as_str())) else {
            continue;
        };
        if a.kind() != ElementKind::Vnet || b.kind() != ElementKind::Vnet {
            continue;
        }
        let (Some(region_a), Some(region_b)) = (region_key(context, a), region_key(context, b)) else { continue };
        if region_a == region_b {
            continue;
        }
        let mut problems = unforced(context, a, &region_a, b);
        problems.extend(unforced(context, b, &region_b, a));
        if !problems.is_empty() {
            hits.push(Hit::new(
                link.id.as_str(),
                format!(
                    "global peering {} ↔ {} is not forced through a firewall or NVA in each region: {}",
                    a.display_name(),
                    b.display_name(),
                    problems.join("; ")
                ),
            ));
        }
    }
    hits
}
