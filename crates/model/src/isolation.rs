//! How isolated each tier is (SPEC §6): compute isolation (shared hardware < isolated VM
//! size < dedicated host), side-channel exposure (DMZ VMs on the same host as other tiers),
//! network segmentation (own subnet, ASG micro-segmentation, forced tunnelling, a spoke of
//! its own), exposure (public endpoints); and what isolation costs against the same design
//! on shared hardware, with the guidance's consolidation option (the tiers on isolated VMs,
//! one per zone) priced.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::compute;
use crate::cost::{HOURS_PER_MONTH, PriceBook, estimate_cost};
use crate::design::Design;
use crate::element::{ElementKind, ElementProps, Os, SubnetRole};
use crate::rules::Context;

/// The compute isolation of a tier, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ComputeIsolation {
    Shared,
    IsolatedSize,
    DedicatedHost,
}

/// The isolation of one VM tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TierIsolation {
    pub tier: SubnetRole,
    pub compute: ComputeIsolation,
    /// A DMZ VM shares a dedicated host with VMs of other tiers (either side of it).
    pub side_channel_exposure: bool,
    /// No other VM tier shares the tier's subnet.
    pub own_subnet: bool,
    /// The tier's VMs are in an application security group (micro-segmentation).
    pub asg: bool,
    /// The subnet's default route goes to a firewall or NVA.
    pub forced_tunnelling: bool,
    /// The tier's VNet is a spoke that holds no other tier.
    pub own_spoke: bool,
    /// The tier has a public endpoint (public IP, public load balancer or app gateway).
    pub public_endpoint: bool,
}

/// The tiers on isolated VMs, one per zone, as the guidance suggests to contain the cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Consolidation {
    /// vCPUs each consolidated VM needs (the tiers' vCPUs shared over the VMs).
    pub vcpus_per_vm: u32,
    pub size: Option<String>,
    pub vms: u32,
    pub monthly: Option<f64>,
    pub note: String,
}

/// What isolation costs.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IsolationCost {
    /// Compute of the design as drawn (hosts, isolated and shared VMs), per month.
    pub as_designed: f64,
    /// The same VM tiers on shared hardware (hosts removed, isolated sizes at their
    /// non-isolated equivalents where known).
    pub shared_hardware: f64,
    pub overhead: f64,
    /// Some compute price is not known: the figures leave it out.
    pub incomplete: bool,
    pub consolidation: Option<Consolidation>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Isolation {
    pub tiers: BTreeMap<String, TierIsolation>,
    pub cost: IsolationCost,
}

/// How isolated the design's tiers are and what it costs.
pub fn isolation(design: &Design, book: &PriceBook) -> Isolation {
    let context = Context::new(design);
    // The tiers of the VMs in each VNet.
    let mut vnet_tiers: HashMap<&str, BTreeSet<SubnetRole>> = HashMap::new();
    for (element, _) in context.vms() {
        if let Some(vnet) = context.ancestor(element, ElementKind::Vnet) {
            vnet_tiers.entry(vnet.id.as_str()).or_default().insert(context.tier(element));
        }
    }
    let mut tiers = BTreeMap::new();
    for (element, vm) in context.vms() {
        let on_host = vm
            .host
            .as_ref()
            .and_then(|h| context.element(h.as_str()))
            .filter(|h| h.kind() == ElementKind::DedicatedHost);
        let isolated_size = vm.size.as_deref().is_some_and(compute::is_isolated);
        let compute = match (on_host, isolated_size) {
            (Some(_), _) => ComputeIsolation::DedicatedHost,
            (None, true) => ComputeIsolation::IsolatedSize,
            (None, false) => ComputeIsolation::Shared,
        };
        let tier = context.tier(element);
        let side_channel_exposure = on_host.is_some_and(|host| {
            let tiers_on_host: Vec<SubnetRole> =
                context.vms_on(host.id.as_str()).iter().map(|(other, _)| context.tier(other)).collect();
            tiers_on_host.contains(&SubnetRole::Dmz) && tiers_on_host.iter().any(|t| *t != SubnetRole::Dmz)
        });
        let subnet = context.subnet_of(element);
        let own_subnet = subnet.is_some_and(|(s, _)| context.vms_in(s.id.as_str()).len() == 1);
        let forced_tunnelling = subnet.is_some_and(|(s, _)| {
            context.next_hop(s.id.as_str(), "0.0.0.0/0").is_some_and(|hop| hop.next_hop_type == "VirtualAppliance")
        });
        let vnet = context.ancestor(element, ElementKind::Vnet);
        let own_spoke = vnet.is_some_and(|v| {
            !context.is_hub(v.id.as_str())
                && vnet_tiers.get(v.id.as_str()).is_none_or(|tiers| tiers.iter().all(|t| *t == tier))
        });
        let public_endpoint = vm.public_ip
            || context.fronts_of(element.id.as_str()).iter().any(|e| match &e.props {
                ElementProps::LoadBalancer(lb) => lb.public,
                ElementProps::AppGateway(gw) => gw.public,
                _ => false,
            });
        tiers.insert(
            element.id.0.clone(),
            TierIsolation {
                tier,
                compute,
                side_channel_exposure,
                own_subnet,
                asg: !vm.asgs.is_empty(),
                forced_tunnelling,
                own_spoke,
                public_endpoint,
            },
        );
    }
    Isolation { tiers, cost: isolation_cost(design, book) }
}

fn isolation_cost(design: &Design, book: &PriceBook) -> IsolationCost {
    let compute_of = |design: &Design| {
        let estimate = estimate_cost(design, book);
        let relevant: Vec<_> = estimate
            .items
            .iter()
            .filter(|i| i.what.starts_with("compute") || i.what.starts_with("dedicated host"))
            .collect();
        let total: f64 = relevant.iter().filter_map(|i| i.monthly).sum();
        (total, relevant.iter().any(|i| i.monthly.is_none()))
    };
    let (as_designed, unknown_here) = compute_of(design);
    let mut shared = design.clone();
    shared.elements.retain(|e| e.kind() != ElementKind::DedicatedHost);
    for element in &mut shared.elements {
        if let ElementProps::Vm(vm) = &mut std::sync::Arc::make_mut(element).props {
            vm.host = None;
            if let Some(size) = vm.size.as_deref().filter(|s| compute::is_isolated(s)) {
                vm.size = Some(shared_equivalent(size));
            }
        }
    }
    let (shared_hardware, unknown_shared) = compute_of(&shared);
    IsolationCost {
        as_designed: round(as_designed),
        shared_hardware: round(shared_hardware),
        overhead: round(as_designed - shared_hardware),
        incomplete: unknown_here || unknown_shared,
        consolidation: consolidation(design, book),
    }
}

/// The non-isolated size of the same family: `Standard_E104is_v5` → `Standard_E104s_v5`.
fn shared_equivalent(size: &str) -> String {
    let mut out = String::new();
    let mut after_digits = false;
    let mut dropped = false;
    for c in size.trim_start_matches("Standard_").chars() {
        if !dropped && after_digits && c == 'i' {
            dropped = true;
            continue;
        }
        after_digits = c.is_ascii_digit() || (after_digits && !c.is_ascii_alphabetic() && c != '_');
        out.push(c);
    }
    format!("Standard_{out}")
}

/// The non-DMZ tiers on the smallest isolated size that holds them, one VM per zone (two).
fn consolidation(design: &Design, book: &PriceBook) -> Option<Consolidation> {
    let tiers: Vec<(u32, u32, Os)> = design
        .elements
        .iter()
        .filter_map(|e| match &e.props {
            ElementProps::Vm(vm) if vm.tier != Some(SubnetRole::Dmz) => {
                Some((vm.size.as_deref().and_then(compute::size).map_or(0, |s| s.vcpus), vm.count, vm.os))
            }
            _ => None,
        })
        .collect();
    if tiers.is_empty() {
        return None;
    }
    let total: u32 = tiers.iter().map(|(vcpus, count, _)| vcpus * count).sum();
    let vms = 2;
    let per_vm = total.div_ceil(vms);
    let windows = tiers.iter().any(|t| t.2 == Os::Windows);
    let mut candidates: Vec<(&String, u32)> = compute::table()
        .isolated_sizes
        .iter()
        .filter_map(|name| compute::size(name).map(|s| (name, s.vcpus)))
        .filter(|(_, vcpus)| *vcpus >= per_vm)
        .collect();
    crate::sorting::sort_by_key(&mut candidates, |(name, vcpus)| (*vcpus, (*name).clone()));
    let size = candidates.first().map(|(name, _)| (*name).clone());
    let region = design.elements.iter().find_map(|e| match &e.props {
        ElementProps::Region(r) => r.location.clone(),
        _ => None,
    });
    let hourly =
        size.as_deref().zip(region.as_deref()).and_then(|(size, region)| book.vm_hourly(region, size, windows));
    Some(Consolidation {
        vcpus_per_vm: per_vm,
        size,
        vms,
        monthly: hourly.map(|h| round(h * HOURS_PER_MONTH * f64::from(vms))),
        note: "The guidance's option: run the tiers on isolated VMs with nested virtualization or containers, \
               still spread over zones, and keep DMZ appliances on their own VMs."
            .to_owned(),
    })
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
