//! Hybrid network rules (guidance: "Hybrid network" — no public endpoint for sensitive
//! workloads, ExpressRoute with an encrypted VPN over it, VPN failover; "Compute" — DDoS
//! protection for public endpoints).

use std::collections::{HashMap, HashSet};

use crate::element::{Element, ElementKind, ElementProps};
use crate::link::{Link, LinkKind, LinkProps};

use super::{Area, Context, Hit, Rule, Severity};

pub const RULES: &[&Rule] = &[&HYB_01, &HYB_02, &HYB_03, &HYB_04, &HYB_05];

/// The elements that give the workload a public endpoint, in document order: VMs with a
/// public IP, public load balancers and application gateways, Traffic Manager, Front Door.
pub(super) fn public_endpoints<'a>(context: &Context<'a>) -> Vec<&'a Element> {
    context
        .design
        .elements
        .iter()
        .map(std::sync::Arc::as_ref)
        .filter(|e| match &e.props {
            ElementProps::Vm(vm) => vm.public_ip,
            ElementProps::LoadBalancer(lb) => lb.public,
            ElementProps::AppGateway(agw) => agw.public,
            ElementProps::TrafficManager(_) | ElementProps::FrontDoor(_) => true,
            _ => false,
        })
        .collect()
}

/// What kind of public endpoint an element is, in words.
fn endpoint_phrase(element: &Element) -> &'static str {
    match element.kind() {
        ElementKind::Vm => "has a public IP",
        ElementKind::LoadBalancer => "is a public load balancer",
        ElementKind::AppGateway => "is a public application gateway",
        ElementKind::TrafficManager => "is Traffic Manager, reached through public DNS",
        ElementKind::FrontDoor => "is Front Door, a public entry point",
        _ => "is reachable from the internet",
    }
}

/// The VNet a gateway element sits in.
fn vnet_of<'a>(context: &Context<'a>, element_id: &str) -> Option<&'a Element> {
    context.element(element_id).and_then(|e| context.ancestor(e, ElementKind::Vnet))
}

/// Whether a link is a plain VPN (not run over an ExpressRoute circuit).
fn is_plain_vpn(link: &Link) -> bool {
    matches!(&link.props, LinkProps::Vpn(vpn) if vpn.over_express_route.is_none())
}

pub const HYB_01: Rule = Rule {
    id: "HYB-01",
    severity: Severity::Warning,
    standard: Some(Severity::Info),
    area: Area::Hybrid,
    title: "The workload has a public endpoint",
    rationale: doc!(
        "For highly sensitive workloads the guidance advises against any endpoint on the public internet: \
                users and administrators should reach the workload only over a VPN or a private circuit, so that \
                the attack surface is not exposed to the whole internet."
    ),
    fix: doc!(
        "Remove the public entry: set the VM's `publicIp` to false, make the load balancer or application gateway \
          internal (`public`: false), and replace Traffic Manager or Front Door with on-premises DNS failover. \
          Reach the workload through a `vpn` or `expressRoute` link instead."
    ),
    check: hyb_01,
};

fn hyb_01(context: &Context) -> Vec<Hit> {
    public_endpoints(context)
        .into_iter()
        .map(|e| Hit::new(e.id.as_str(), format!("{} {}", e.display_name(), endpoint_phrase(e))))
        .collect()
}

pub const HYB_02: Rule = Rule {
    id: "HYB-02",
    severity: Severity::Info,
    standard: None,
    area: Area::Hybrid,
    title: "Hybrid connectivity is site-to-site VPN only",
    rationale: doc!(
        "A VPN gateway tunnels over the public internet, with no guaranteed bandwidth or latency. The \
                guidance prefers ExpressRoute, a private dedicated connection with a reliable SLA, ideally with an \
                encrypted VPN running over it."
    ),
    fix: doc!(
        "Add an `expressRoute` link from the on-premises site to an ExpressRoute gateway in the hub, and run the \
          VPN over it (`overExpressRoute` on the `vpn` link) or keep it as failover."
    ),
    check: hyb_02,
};

fn hyb_02(context: &Context) -> Vec<Hit> {
    let sites = |kind| context.links(kind).map(|l| l.from.as_str()).collect::<HashSet<&str>>();
    let (vpn_sites, expressroute_sites) = (sites(LinkKind::Vpn), sites(LinkKind::ExpressRoute));
    context
        .of_kind(ElementKind::OnPremises)
        .filter(|site| {
            let id = site.id.as_str();
            vpn_sites.contains(id) && !expressroute_sites.contains(id)
        })
        .map(|site| {
            Hit::new(
                site.id.as_str(),
                format!("{} connects only through site-to-site VPN over the internet", site.display_name()),
            )
        })
        .collect()
}

pub const HYB_03: Rule = Rule {
    id: "HYB-03",
    severity: Severity::Warning,
    standard: Some(Severity::Info),
    area: Area::Hybrid,
    title: "ExpressRoute carries traffic unencrypted",
    rationale: doc!(
        "An ExpressRoute circuit is private but not encrypted. For sensitive workloads the guidance \
                recommends VPN over ExpressRoute: the private circuit plus an IPsec tunnel that ends in a specific \
                VNet."
    ),
    fix: doc!(
        "Add a `vpn` link from the same on-premises site to a VPN gateway in the hub and set its \
          `overExpressRoute` to this ExpressRoute link."
    ),
    check: hyb_03,
};

fn hyb_03(context: &Context) -> Vec<Hit> {
    let carried: HashSet<&str> = context
        .links(LinkKind::Vpn)
        .filter_map(|vpn| match &vpn.props {
            LinkProps::Vpn(v) => v.over_express_route.as_ref().map(|er| er.as_str()),
            _ => None,
        })
        .collect();
    context
        .links(LinkKind::ExpressRoute)
        .filter(|er| !carried.contains(er.id.as_str()))
        .map(|er| {
            Hit::new(
                er.id.as_str(),
                format!("ExpressRoute circuit {} carries traffic unencrypted: no VPN runs over it", link_name(er)),
            )
        })
        .collect()
}

pub const HYB_04: Rule = Rule {
    id: "HYB-04",
    severity: Severity::Info,
    standard: None,
    area: Area::Hybrid,
    title: "ExpressRoute has no VPN failover",
    rationale: doc!(
        "When the ExpressRoute circuit is lost, a site without a second path loses the workload. The \
                guidance describes ExpressRoute with VPN failover: a site-to-site VPN into the same hub takes over \
                when the circuit goes down."
    ),
    fix: doc!(
        "Add a plain `vpn` link (no `overExpressRoute`) from the same on-premises site to a VPN gateway in the \
          same hub VNet as the ExpressRoute gateway."
    ),
    check: hyb_04,
};

fn hyb_04(context: &Context) -> Vec<Hit> {
    // (site, hub VNet) of every plain VPN.
    let failovers: HashSet<(&str, &str)> = context
        .links(LinkKind::Vpn)
        .filter(|vpn| is_plain_vpn(vpn))
        .filter_map(|vpn| vnet_of(context, vpn.to.as_str()).map(|v| (vpn.from.as_str(), v.id.as_str())))
        .collect();
    context
        .links(LinkKind::ExpressRoute)
        .filter(|er| {
            let hub = vnet_of(context, er.to.as_str());
            !hub.is_some_and(|hub| failovers.contains(&(er.from.as_str(), hub.id.as_str())))
        })
        .map(|er| {
            Hit::new(
                er.id.as_str(),
                format!("ExpressRoute circuit {} has no VPN from the same site into the same hub", link_name(er)),
            )
        })
        .collect()
}

pub const HYB_05: Rule = Rule {
    id: "HYB-05",
    severity: Severity::Warning,
    standard: None,
    area: Area::Hybrid,
    title: "A public endpoint sits in a VNet without DDoS protection",
    rationale: doc!(
        "Azure's basic DDoS defence protects the platform, not a particular application. The guidance asks \
                that public endpoints be covered by DDoS Protection Standard, which tunes mitigation to the \
                VNet's public IPs."
    ),
    fix: doc!("Set `ddosProtection` to true on the VNet, or remove the public endpoint (`publicIp`, `public`)."),
    check: hyb_05,
};

fn hyb_05(context: &Context) -> Vec<Hit> {
    // Public endpoints grouped by the unprotected VNet they sit in, in document order.
    let mut exposed: Vec<(&Element, Vec<&str>)> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for endpoint in public_endpoints(context) {
        let Some(vnet) = context.ancestor(endpoint, ElementKind::Vnet) else { continue };
        if matches!(&vnet.props, ElementProps::Vnet(v) if v.ddos_protection) {
            continue;
        }
        match position.get(vnet.id.as_str()) {
            Some(&i) => exposed[i].1.push(endpoint.display_name()),
            None => {
                position.insert(vnet.id.as_str(), exposed.len());
                exposed.push((vnet, vec![endpoint.display_name()]));
            }
        }
    }
    exposed
        .into_iter()
        .map(|(vnet, names)| {
            Hit::new(
                vnet.id.as_str(),
                format!(
                    "VNet {} has no DDoS protection but holds public endpoints: {}",
                    vnet.display_name(),
                    names.join(", ")
                ),
            )
        })
        .collect()
}

fn link_name(link: &Link) -> &str {
    link.name.as_deref().unwrap_or(link.id.as_str())
}
