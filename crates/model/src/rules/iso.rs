//! Compute isolation rules (guidance: "Compute isolation" — isolated VM sizes or dedicated
//! hosts for sensitive workloads, DMZ VMs on their own host, VMs still spread over zones, and
//! isolated sizes that live only as long as their hardware). The facts about sizes and host
//! SKUs come from `assets/compute.json` ([`crate::compute`]).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{Area, Context, Hit, Rule, Severity};
use crate::compute;
use crate::design::Sensitivity;
use crate::element::{DedicatedHost, Element, ElementKind, ElementProps, SubnetRole, Vm};

pub const RULES: &[&Rule] = &[&ISO_01, &ISO_02, &ISO_03, &ISO_04, &ISO_05];

pub const ISO_01: Rule = Rule {
    id: "ISO-01",
    severity: Severity::Info,
    standard: None,
    area: Area::Isolation,
    title: "A VM runs on shared hardware",
    rationale: doc!(
        "Unless told otherwise, Azure places the VMs of many customers on the same physical servers, kept \
                apart only by the hypervisor and the root OS. For a sensitive workload the guidance asks for \
                hardware that no other customer uses: an isolated VM size, where the VM is alone on its server, or \
                a dedicated host, a whole server reserved for the subscription. A VM whose `host` names nothing \
                that is a dedicated host counts as shared. Designs of `standard` sensitivity are not held to this, \
                so the rule does not look at them."
    ),
    fix: doc!(
        "Place the VM on a dedicated host (`vm.host` naming a `dedicatedHost` whose `sku` runs the VM's series), \
          or choose an isolated size in `vm.size` (for example `Standard_E104is_v5`). Both cost more than shared \
          hardware; the isolation estimate shows how much."
    ),
    check: iso_01,
};

pub const ISO_02: Rule = Rule {
    id: "ISO-02",
    severity: Severity::Error,
    standard: Some(Severity::Warning),
    area: Area::Isolation,
    title: "A dedicated host carries DMZ VMs and VMs of other tiers",
    rationale: doc!(
        "VMs on one dedicated host share its processors, caches and memory. The DMZ takes traffic from \
                outside and is where an attacker most likely gets a first foothold; from a compromised DMZ VM, \
                side-channel attacks could reach the application and data VMs on the same server. The guidance \
                therefore keeps DMZ VMs on a host of their own. A VM is in the DMZ when its tier (its own `tier`, \
                else its subnet's role) is `dmz`. For a design of `standard` sensitivity this is a warning."
    ),
    fix: doc!(
        "Add a second `dedicatedHost` for the DMZ and point the `host` of the DMZ VMs at it, leaving the VMs of the \
          other tiers where they are (or move those instead)."
    ),
    check: iso_02,
};

pub const ISO_03: Rule = Rule {
    id: "ISO-03",
    severity: Severity::Warning,
    standard: None,
    area: Area::Isolation,
    title: "Isolated compute keeps a tier in a single zone",
    rationale: doc!(
        "Isolation does not replace availability: when tiers are consolidated on isolated VM sizes or \
                dedicated hosts, the guidance still spreads them over availability zones. A dedicated host \
                pinned to one `zone` puts every tier it carries in that zone, and a single host (`count` below 2, \
                no zone) puts them on one server. Tiers are compared within one VNet (one workload): the rule \
                fires on such a host only when no other isolated placement of the same tier is elsewhere, that is \
                on a host in a different zone, on a regional host group of 2 or more hosts, or on isolated VMs in \
                another zone. An isolated-size VM outside a dedicated host is held to the same test: in a region \
                with zones its instances must cover 2 or more zones; in a region without zones, 2 or more \
                instances are enough."
    ),
    fix: doc!(
        "Add a `dedicatedHost` pinned to another `zone` and place VMs of the same tiers on it, or raise the host's \
          `count` to 2 or more and leave its `zone` unset. For an isolated size, set `vm.count` to 2 or more and \
          list 2 or more availability zones in `vm.zones`."
    ),
    check: iso_03,
};

pub const ISO_04: Rule = Rule {
    id: "ISO-04",
    severity: Severity::Info,
    standard: None,
    area: Area::Isolation,
    title: "An isolated VM size is used",
    rationale: doc!(
        "An isolated size is bound to one hardware generation. When Azure retires that hardware it withdraws \
                the size (or only its isolation), announcing it 12 months ahead; the VM then has to be resized to a \
                successor or moved to a dedicated host. A design that relies on the size should plan for that \
                day. Sizes whose retirement is already announced say when."
    ),
    fix: doc!(
        "Nothing to change now: note the dependency, watch Azure's retirement announcements and plan the move to \
          the successor isolated size or to a dedicated host (`vm.host`). Once that plan exists, suppress the \
          finding with its reason."
    ),
    check: iso_04,
};

pub const ISO_05: Rule = Rule {
    id: "ISO-05",
    severity: Severity::Error,
    standard: None,
    area: Area::Isolation,
    title: "A VM does not fit its dedicated host",
    rationale: doc!(
        "A dedicated host SKU is one hardware type for one VM series (a `Dsv5-Type1` host runs only Dsv5 \
                VMs) and offers a fixed number of vCPUs. A VM of another series cannot be placed on it, and VMs \
                whose vCPUs (the size's vCPUs times `count`) exceed the SKU's vCPUs times the host `count` do not \
                fit: either way the deployment fails. The series of a size is read from the size table, else from \
                its ARM name; a host SKU or size missing from the table is not judged. Only vCPUs are counted, and \
                each host keeps part of its resources for itself, so real packings are somewhat tighter."
    ),
    fix: doc!(
        "Choose a `vm.size` of a series the host's `sku` runs, or a `dedicatedHost.sku` for the VM's series. When \
          the capacity is exceeded, raise `dedicatedHost.count`, move VMs to another host, or pick smaller sizes."
    ),
    check: iso_05,
};

/// The dedicated host a VM's `host` names, when it names one.
fn host_of<'a>(context: &Context<'a>, vm: &Vm) -> Option<(&'a Element, &'a DedicatedHost)> {
    let element = context.element(vm.host.as_ref()?.as_str())?;
    match &element.props {
        ElementProps::DedicatedHost(host) => Some((element, host)),
        _ => None,
    }
}

/// A dedicated host with the VMs placed on it.
type Hosted<'a> = (&'a Element, &'a DedicatedHost, Vec<(&'a Element, &'a Vm)>);

/// Every dedicated host with the VMs placed on it, in document order.
fn hosts_with_vms<'a>(context: &Context<'a>) -> Vec<Hosted<'a>> {
    context
        .design
        .elements
        .iter()
        .map(std::sync::Arc::as_ref)
        .filter_map(|element| match &element.props {
            ElementProps::DedicatedHost(host) => Some((element, host)),
            _ => None,
        })
        .map(|(element, host)| (element, host, context.vms_on(element.id.as_str()).to_vec()))
        .collect()
}

fn is_isolated(vm: &Vm) -> bool {
    vm.size.as_deref().is_some_and(compute::is_isolated)
}

fn names(vms: &[(&Element, &Vm)]) -> String {
    vms.iter().map(|(element, _)| element.display_name()).collect::<Vec<_>>().join(", ")
}

fn iso_01(context: &Context) -> Vec<Hit> {
    if context.design.meta.sensitivity != Sensitivity::High {
        return Vec::new();
    }
    context
        .vms()
        .filter(|(_, vm)| !is_isolated(vm) && host_of(context, vm).is_none())
        .map(|(element, vm)| {
            let size = match vm.size.as_deref() {
                Some(size) => format!("its size {size} is not an isolated size"),
                None => "it has no size".to_owned(),
            };
            let host = match &vm.host {
                Some(id) => format!("its host `{id}` is no dedicated host of the design"),
                None => "it is not placed on a dedicated host".to_owned(),
            };
            Hit::new(
                element.id.as_str(),
                format!("{} runs on shared hardware: {size} and {host}", element.display_name()),
            )
        })
        .collect()
}

fn iso_02(context: &Context) -> Vec<Hit> {
    hosts_with_vms(context)
        .into_iter()
        .filter_map(|(host, _, vms)| {
            let (dmz, others): (Vec<_>, Vec<_>) =
                vms.into_iter().partition(|(element, _)| context.tier(element) == SubnetRole::Dmz);
            (!dmz.is_empty() && !others.is_empty()).then(|| {
                Hit::new(
                    host.id.as_str(),
                    format!(
                        "{} carries DMZ VMs ({}) and VMs of other tiers ({}) on the same hardware",
                        host.display_name(),
                        names(&dmz),
                        names(&others)
                    ),
                )
            })
        })
        .collect()
}

/// Where a placement of isolated compute keeps the instances of a tier.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// Over two or more zones or servers: survives the loss of one.
    Spread,
    /// All in one availability zone.
    Zone(u8),
    /// On one server, or in a zone no one chose: identified by the element.
    Single(String),
}

/// The element a placement finding is about: the host, or the isolated-size VM.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Owner {
    Host(String),
    Vm(String),
}

fn place_on_host(element: &Element, host: &DedicatedHost) -> Place {
    match host.zone {
        Some(zone) => Place::Zone(zone),
        None if host.count >= 2 => Place::Spread,
        None => Place::Single(element.id.0.clone()),
    }
}

fn place_isolated_vm(context: &Context, element: &Element, vm: &Vm) -> Place {
    let zoned = context.region_of(element).is_some_and(|(_, region)| context.has_zones(region));
    let zones: Vec<u8> = crate::sorting::distinct(vm.zones.iter().copied());
    // Each instance is in one zone: n instances cover at most n of the listed zones.
    let covered = zones.len().min(usize::try_from(vm.count).unwrap_or(usize::MAX));
    match (zoned, zones.first()) {
        (false, _) if vm.count >= 2 => Place::Spread,
        (true, _) if covered >= 2 => Place::Spread,
        (true, Some(zone)) if vm.count >= 1 => Place::Zone(*zone),
        _ => Place::Single(element.id.0.clone()),
    }
}

fn iso_03(context: &Context) -> Vec<Hit> {
    // Placements of isolated compute per (VNet, tier): a tier of one workload.
    type Group = (Option<String>, SubnetRole);
    let mut groups: BTreeMap<Group, Vec<(Owner, Place)>> = BTreeMap::new();
    for (element, vm) in context.vms() {
        let placement = match host_of(context, vm) {
            Some((host_element, host)) => (Owner::Host(host_element.id.0.clone()), place_on_host(host_element, host)),
            None if is_isolated(vm) => (Owner::Vm(element.id.0.clone()), place_isolated_vm(context, element, vm)),
            None => continue,
        };
        let vnet = context.ancestor(element, ElementKind::Vnet).map(|v| v.id.0.clone());
        groups.entry((vnet, context.tier(element))).or_default().push(placement);
    }

    // The tiers each failing owner keeps in one place, and that place.
    let mut failing: BTreeMap<Owner, (BTreeSet<&'static str>, Place)> = BTreeMap::new();
    for ((_, tier), placements) in &groups {
        let places: Vec<&Place> = crate::sorting::distinct(placements.iter().map(|(_, place)| place));
        if places.contains(&&Place::Spread) || places.len() >= 2 {
            continue;
        }
        for (owner, place) in placements {
            failing.entry(owner.clone()).or_insert_with(|| (BTreeSet::new(), place.clone())).0.insert(tier.as_str());
        }
    }

    let mut hits = Vec::new();
    let mut done = HashSet::new();
    for element in &context.design.elements {
        let owner = match &element.props {
            ElementProps::DedicatedHost(_) => Owner::Host(element.id.0.clone()),
            ElementProps::Vm(_) => Owner::Vm(element.id.0.clone()),
            _ => continue,
        };
        let Some((tiers, place)) = failing.get(&owner) else { continue };
        if !done.insert(owner.clone()) {
            continue;
        }
        let tiers = tier_list(tiers);
        let name = element.display_name();
        let message = match (&element.props, place) {
            (ElementProps::Vm(vm), place) => {
                let size = vm.size.as_deref().unwrap_or_default();
                let where_ = match place {
                    _ if vm.count < 2 => "is a single instance".to_owned(),
                    Place::Zone(zone) => format!("runs all its instances in availability zone {zone}"),
                    _ => "lists fewer than 2 availability zones".to_owned(),
                };
                format!(
                    "{name} (isolated size {size}) {where_}, and no other isolated compute keeps its {tiers} elsewhere"
                )
            }
            (_, Place::Zone(zone)) => format!(
                "{name} is pinned to availability zone {zone}, and no dedicated host in another zone carries its {tiers}"
            ),
            _ => {
                format!("{name} is a single host without a zone, and no other dedicated host carries its {tiers}")
            }
        };
        hits.push(Hit::new(element.id.as_str(), message));
    }
    hits
}

/// `web tier`, `business and web tiers`, `business, data and web tiers`.
fn tier_list(tiers: &BTreeSet<&str>) -> String {
    let tiers: Vec<&str> = tiers.iter().copied().collect();
    match tiers.split_last() {
        Some((last, [])) => format!("{last} tier"),
        Some((last, rest)) => format!("{} and {last} tiers", rest.join(", ")),
        None => "tiers".to_owned(),
    }
}

fn iso_04(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter_map(|(element, vm)| {
            let size = vm.size.as_deref().filter(|size| compute::is_isolated(size))?;
            let retiring = match compute::isolation_retiring(size) {
                Some(date) => format!("; its retirement is announced for {date}"),
                None => String::new(),
            };
            Some(Hit::new(
                element.id.as_str(),
                format!(
                    "{} uses the isolated size {size}: its isolation lasts as long as its hardware generation and can \
                     be withdrawn with 12 months' notice{retiring}",
                    element.display_name()
                ),
            ))
        })
        .collect()
}

fn iso_05(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    // Series mismatches, on the VM, in document order.
    for (element, vm) in context.vms() {
        let Some((host_element, host)) = host_of(context, vm) else { continue };
        let Some(sku_name) = host.sku.as_deref() else { continue };
        let Some(sku) = compute::host_sku(sku_name) else { continue };
        let Some(size) = vm.size.as_deref() else { continue };
        let Some(series) = compute::series_of(size) else { continue };
        if !sku.hosts(&series) {
            hits.push(Hit::new(
                element.id.as_str(),
                format!(
                    "{} ({size}, series {series}) cannot run on {}: a {sku_name} host runs only {} VMs",
                    element.display_name(),
                    host_element.display_name(),
                    sku.series.join(" / ")
                ),
            ));
        }
    }
    // Capacity, on the host.
    for (host_element, host, vms) in hosts_with_vms(context) {
        let Some(sku_name) = host.sku.as_deref() else { continue };
        let Some(sku) = compute::host_sku(sku_name) else { continue };
        // What each VM of a known size takes: "db: 30 × Standard_E8s_v5".
        let mut needed: u64 = 0;
        let mut parts = Vec::new();
        for (element, vm) in &vms {
            let Some((size, info)) = vm.size.as_deref().and_then(|size| Some((size, compute::size(size)?))) else {
                continue;
            };
            needed = needed.saturating_add(u64::from(info.vcpus) * u64::from(vm.count));
            parts.push(format!("{}: {} × {size}", element.display_name(), vm.count));
        }
        let offered = u64::from(sku.vcpus) * u64::from(host.count);
        if needed > offered {
            hits.push(Hit::new(
                host_element.id.as_str(),
                format!(
                    "{} needs {needed} vCPUs ({}) but its {} {sku_name} host(s) offer {offered} ({} each)",
                    host_element.display_name(),
                    parts.join(", "),
                    host.count,
                    sku.vcpus
                ),
            ));
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::design::Design;

    /// A small design: West Europe (zones), one VNet with a web and a DMZ subnet, plus `extra`.
    fn design(sensitivity: &str, extra: Value) -> Design {
        let mut elements = vec![
            json!({ "id": "weu", "kind": "region", "location": "westeurope" }),
            json!({ "id": "spoke", "kind": "vnet", "parent": "weu", "addressSpace": ["10.1.0.0/16"] }),
            json!({ "id": "web-snet", "kind": "subnet", "parent": "spoke", "prefix": "10.1.1.0/24", "role": "web" }),
            json!({ "id": "dmz-snet", "kind": "subnet", "parent": "spoke", "prefix": "10.1.2.0/24", "role": "dmz" }),
        ];
        elements.extend(extra.as_array().cloned().unwrap_or_default());
        let document = json!({
            "format": "moat-design", "version": 1,
            "meta": { "title": "iso", "sensitivity": sensitivity },
            "elements": elements,
        });
        crate::format::load_value(document).unwrap().design
    }

    fn fired(rule: &Rule, design: &Design) -> Vec<String> {
        (rule.check)(&Context::new(design)).into_iter().map(|hit| hit.element).collect()
    }

    fn vm(id: &str, size: &str, count: u32, zones: Value, host: Option<&str>) -> Value {
        let mut vm =
            json!({ "id": id, "kind": "vm", "parent": "web-snet", "size": size, "count": count, "zones": zones });
        if let Some(host) = host {
            vm["host"] = json!(host);
        }
        vm
    }

    fn host(id: &str, sku: &str, count: u32, zone: Option<u8>) -> Value {
        let mut host = json!({ "id": id, "kind": "dedicatedHost", "parent": "weu", "sku": sku, "count": count });
        if let Some(zone) = zone {
            host["zone"] = json!(zone);
        }
        host
    }

    #[test]
    fn iso_01_leaves_standard_designs_alone_and_names_a_host_that_is_not_one() {
        let extra = json!([vm("web", "Standard_D4s_v5", 2, json!([1, 2]), Some("spoke"))]);
        assert_eq!(fired(&ISO_01, &design("standard", extra.clone())), Vec::<String>::new());
        let hits = (ISO_01.check)(&Context::new(&design("high", extra)));
        assert_eq!(hits.len(), 1);
        assert!(hits[0].message.contains("`spoke` is no dedicated host"), "{}", hits[0].message);
    }

    #[test]
    fn iso_03_wants_isolated_sizes_over_two_zones() {
        let cases = [
            (vm("web", "Standard_E104is_v5", 2, json!([1, 2]), None), false),
            (vm("web", "Standard_E104is_v5", 2, json!([1]), None), true),
            (vm("web", "Standard_E104is_v5", 1, json!([1, 2]), None), true),
            (vm("web", "Standard_E104is_v5", 2, json!([]), None), true),
            // Not isolated: HA-02's business, not this rule's.
            (vm("web", "Standard_E96s_v5", 1, json!([1]), None), false),
        ];
        for (vm, fires) in cases {
            let expected = if fires { vec!["web".to_owned()] } else { Vec::new() };
            assert_eq!(fired(&ISO_03, &design("high", json!([vm.clone()]))), expected, "{vm}");
        }
        // Isolated VMs of the same tier in two zones cover each other.
        let pair = json!([
            vm("web-1", "Standard_E104is_v5", 1, json!([1]), None),
            vm("web-2", "Standard_E104is_v5", 1, json!([2]), None)
        ]);
        assert_eq!(fired(&ISO_03, &design("high", pair)), Vec::<String>::new());
    }

    #[test]
    fn iso_03_in_a_region_without_zones_counts_instances() {
        let mut design = design("high", json!([vm("web", "Standard_E104is_v5", 2, json!([]), None)]));
        if let ElementProps::Region(region) = &mut std::sync::Arc::make_mut(&mut design.elements[0]).props {
            region.zones = Some(false);
        }
        assert_eq!(fired(&ISO_03, &design), Vec::<String>::new());
    }

    #[test]
    fn iso_03_single_regional_hosts_cover_each_other_but_not_themselves() {
        let one =
            json!([host("h1", "Dsv5-Type1", 1, None), vm("web", "Standard_D4s_v5", 2, json!([1, 2]), Some("h1"))]);
        assert_eq!(fired(&ISO_03, &design("high", one)), vec!["h1".to_owned()]);
        let two = json!([
            host("h1", "Dsv5-Type1", 1, None),
            host("h2", "Dsv5-Type1", 1, None),
            vm("web-1", "Standard_D4s_v5", 1, json!([1]), Some("h1")),
            vm("web-2", "Standard_D4s_v5", 1, json!([2]), Some("h2"))
        ]);
        assert_eq!(fired(&ISO_03, &design("high", two)), Vec::<String>::new());
        let same_zone = json!([
            host("h1", "Dsv5-Type1", 2, Some(1)),
            host("h2", "Dsv5-Type1", 2, Some(1)),
            vm("web-1", "Standard_D4s_v5", 1, json!([1]), Some("h1")),
            vm("web-2", "Standard_D4s_v5", 1, json!([1]), Some("h2"))
        ]);
        assert_eq!(fired(&ISO_03, &design("high", same_zone)), vec!["h1".to_owned(), "h2".to_owned()]);
    }

    #[test]
    fn iso_05_skips_what_the_table_does_not_know() {
        let extra = json!([
            host("h1", "Xyz-Type9", 1, None),
            host("h2", "Dsv5-Type1", 1, None),
            vm("a", "Standard_E4s_v5", 1, json!([]), Some("h1")),
            vm("b", "Standard_D4s_v7", 1, json!([]), Some("h2")),
            vm("c", "Standard_Q999_v1", 40, json!([]), Some("h2")),
            vm("d", "Standard_D64s_v5", 1, json!([]), Some("h2"))
        ]);
        // `a`: unknown SKU. `b` is a Dsv7 on a Dsv5 host (series read from its name), `c` a `Qv1`;
        // neither has known vCPUs, and `d` fits (64 of 119), so the host is within capacity.
        assert_eq!(fired(&ISO_05, &design("high", extra)), vec!["b".to_owned(), "c".to_owned()]);
    }

    #[test]
    fn half_drawn_designs_get_answers_not_panics() {
        let extra = json!([
            { "id": "h0", "kind": "dedicatedHost", "parent": "weu", "count": 0 },
            { "id": "h1", "kind": "dedicatedHost" },
            { "id": "v0", "kind": "vm", "host": "h0" },
            { "id": "v1", "kind": "vm", "parent": "nowhere", "size": "", "host": "h1", "zones": [9, 9] },
            { "id": "v2", "kind": "vm", "parent": "dmz-snet", "size": "Standard_E104i_v5", "host": "h0", "count": 0 },
            { "id": "v4", "kind": "vm", "parent": "dmz-snet", "host": "missing" },
            { "id": "v3", "kind": "vm", "parent": "web-snet", "size": "Standard_D4s_v5", "host": "h0", "count": 4294967295u32 }
        ]);
        let design = design("high", extra);
        for rule in RULES {
            let _ = (rule.check)(&Context::new(&design));
        }
        assert_eq!(fired(&ISO_02, &design), vec!["h0".to_owned()]);
    }
}
