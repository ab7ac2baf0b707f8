//! Generated designs, for benchmarks and scale tests: realistic hub-spoke networks of any
//! size, built the way `assets/templates/hub-spoke-dmz.moat.json` is, so the analyses are
//! measured on the kind of design they are written for.

use std::net::Ipv4Addr;

use crate::design::{DefenderPlan, Design, Governance, Meta, Sensitivity};
use crate::edit::pin_layout;
use crate::element::Direction::{Inbound, Outbound};
use crate::element::{
    Access, Bastion, BastionSku, DataDisks, DiskEncryption, Element, ElementKind, ElementProps, ExpressRouteGateway,
    Firewall, FirewallRule, FirewallTier, Kek, KeyVault, KeyVaultSku, LoadBalancer, NextHop, Nsg, NsgRule, Nva,
    OnPremises, Os, PrivateDnsZone, Region, Route, RouteTable, RuleProtocol, Subnet, SubnetRole, TlsCerts, Vm, Vnet,
    VpnGateway,
};
use crate::ids::{ElementId, LinkId};
use crate::link::{ExpressRoute, Flow, Link, LinkKind, LinkProps, Peering, Vpn};
use crate::record::Fields;

/// The on-premises address space of generated designs.
const ON_PREMISES: &str = "192.168.0.0/16";

/// A hub-spoke design in West Europe with `spokes` application spokes, laid out.
///
/// The hub VNet (`10.0.0.0/16`) holds a GatewaySubnet with an ExpressRoute and a VPN
/// gateway, an AzureFirewallSubnet with a zone-redundant premium Azure Firewall, an
/// AzureBastionSubnet with Bastion, and a DMZ subnet (NSG, route table) with a pair of
/// NVAs across two zones. An on-premises site (`192.168.0.0/16`) connects over
/// ExpressRoute, with a VPN over the circuit and a VPN failover.
///
/// Spoke `i` (1-based) is the `/22` at `10.1.0.0 + (i - 1) × 1024`, carved out of
/// `10.0.0.0/8` beyond the hub (valid up to 16,320 spokes). It has web, business and data
/// `/24` subnets, each with its own NSG (ASG-based tier rules, intra-tier deny, deny-all
/// at 4096 both ways), a VM tier of 2 instances over zones 1–2 (`Standard_D4s_v5`, data
/// tier `Standard_E8s_v5` with data disks) encrypted with a KEK in the shared premium Key
/// Vault and backed up, and an internal load balancer; a route table forcing 0.0.0.0/0,
/// the private ranges and on-premises through the firewall; a hub → spoke peering with
/// gateway transit; and declared flows on-premises → web → business → data (TLS). The
/// gateway and DMZ route tables send each spoke's range through the DMZ NVAs and the
/// firewall, whose rules let on-premises reach each spoke's web tier on 443.
///
/// It has `19 + 17 × spokes` elements and `4 + 5 × spokes` links: linear in `spokes`.
pub fn hub_spoke(spokes: usize) -> Design {
    let mut g = Generator::default();
    g.hub(spokes);
    for i in 1..=spokes {
        g.spoke(i);
    }
    let mut design = Design {
        meta: Meta {
            title: format!("Generated hub-spoke, {spokes} spokes"),
            sensitivity: Sensitivity::High,
            sla_target: 99.9,
            currency: "USD".to_owned(),
            extra: Fields::new(),
        },
        governance: Governance {
            rbac: true,
            pim: true,
            policy: true,
            blueprint: Some("iso27001".to_owned()),
            defender_for_servers: DefenderPlan::P2,
            monitor: true,
            sentinel: true,
            entra_logs: true,
            log_gb_per_day: None,
            extra: Fields::new(),
        },
        elements: g.elements.into_iter().map(std::sync::Arc::new).collect(),
        links: g.links,
        ..Design::default()
    };
    pin_layout(&mut design);
    design
}

/// The address space of spoke `i` (1-based): a `/22` after the hub's `/16`.
fn spoke_base(i: usize) -> Ipv4Addr {
    let offset = u32::try_from(i - 1).unwrap_or(u32::MAX).saturating_mul(1024);
    Ipv4Addr::from(u32::from(Ipv4Addr::new(10, 1, 0, 0)).saturating_add(offset))
}

fn cidr(base: Ipv4Addr, plus: u32, bits: u8) -> String {
    format!("{}/{bits}", Ipv4Addr::from(u32::from(base) + plus))
}

#[derive(Default)]
struct Generator {
    elements: Vec<Element>,
    links: Vec<Link>,
}

impl Generator {
    fn add(&mut self, id: &str, name: &str, parent: Option<&str>, props: ElementProps) {
        self.elements.push(Element {
            id: ElementId::from(id),
            name: Some(name.to_owned()),
            parent: parent.map(ElementId::from),
            props,
            extra: Fields::new(),
        });
    }

    fn link(&mut self, id: &str, name: Option<&str>, from: &str, to: &str, props: LinkProps) {
        let mut link = Link::new(LinkId::from(id), props.kind(), from, to);
        link.name = name.map(str::to_owned);
        link.props = props;
        self.links.push(link);
    }

    /// A subnet of `vnet`, with its NSG and route table.
    fn subnet(
        &mut self,
        id: &str,
        name: &str,
        vnet: &str,
        prefix: String,
        role: SubnetRole,
        (nsg, rt): (Option<&str>, Option<&str>),
    ) {
        let subnet =
            Subnet { prefix: Some(prefix), role, nsg: nsg.map(ElementId::from), route_table: rt.map(ElementId::from) };
        self.add(id, name, Some(vnet), ElementProps::Subnet(subnet));
    }

    fn hub(&mut self, spokes: usize) {
        self.add(
            "weu",
            "West Europe",
            None,
            ElementProps::Region(Region { location: Some("westeurope".to_owned()), ..Region::default() }),
        );
        self.add(
            "dc",
            "On-premises datacentre",
            None,
            ElementProps::OnPremises(OnPremises { address_space: vec![ON_PREMISES.to_owned()], hsm: false, dns: true }),
        );
        let vnet = Vnet { address_space: vec!["10.0.0.0/16".to_owned()], ddos_protection: false };
        self.add("hub", "Hub VNet", Some("weu"), ElementProps::Vnet(vnet));

        // Gateways.
        self.subnet(
            "gw-snet",
            "GatewaySubnet",
            "hub",
            "10.0.0.0/27".into(),
            SubnetRole::Gateway,
            (None, Some("rt-gateway")),
        );
        let er = ExpressRouteGateway { sku: "ErGw1AZ".to_owned() };
        self.add("ergw", "ExpressRoute gateway", Some("gw-snet"), ElementProps::ExpressRouteGateway(er));
        let vpn = VpnGateway { sku: "VpnGw2AZ".to_owned() };
        self.add("vpngw", "VPN gateway", Some("gw-snet"), ElementProps::VpnGateway(vpn));

        // Azure Firewall: on-premises may open HTTPS to each spoke's web tier.
        self.subnet(
            "fw-snet",
            "AzureFirewallSubnet",
            "hub",
            "10.0.1.0/26".into(),
            SubnetRole::Firewall,
            (None, Some("rt-firewall")),
        );
        let rules = (1..=spokes)
            .map(|i| FirewallRule {
                name: format!("allow-onprem-to-web{i}"),
                action: Access::Allow,
                protocol: RuleProtocol::Tcp,
                source: ON_PREMISES.to_owned(),
                destination: format!("el:web{i}-snet"),
                destination_ports: "443".to_owned(),
                extra: Fields::new(),
            })
            .collect();
        let firewall = Firewall { tier: FirewallTier::Premium, zones: vec![1, 2, 3], rules };
        self.add("fw", "Azure Firewall", Some("fw-snet"), ElementProps::Firewall(firewall));

        // Bastion.
        self.subnet(
            "bastion-snet",
            "AzureBastionSubnet",
            "hub",
            "10.0.2.0/26".into(),
            SubnetRole::Bastion,
            (None, None),
        );
        let bastion = Bastion { sku: BastionSku::Standard };
        self.add("bastion", "Azure Bastion", Some("bastion-snet"), ElementProps::Bastion(bastion));

        // DMZ with a pair of perimeter appliances.
        self.subnet(
            "dmz-snet",
            "DMZ subnet",
            "hub",
            "10.0.3.0/24".into(),
            SubnetRole::Dmz,
            (Some("nsg-dmz"), Some("rt-dmz")),
        );
        let nva = Nva {
            count: 2,
            zones: vec![1, 2],
            rules: vec![FirewallRule {
                name: "allow-onprem-https-to-spokes".to_owned(),
                action: Access::Allow,
                protocol: RuleProtocol::Tcp,
                source: ON_PREMISES.to_owned(),
                destination: "10.0.0.0/8".to_owned(),
                destination_ports: "443".to_owned(),
                extra: Fields::new(),
            }],
            vendor: Some("Perimeter NGFW (marketplace)".to_owned()),
        };
        self.add("dmz-nva", "DMZ firewall appliances", Some("dmz-snet"), ElementProps::Nva(nva));
        let dmz_rules = vec![
            rule("allow-https-from-onprem", 110, Inbound, Access::Allow, RuleProtocol::Tcp, ON_PREMISES, "*", "443"),
            lb_probes(),
            rule(
                "allow-https-to-spokes",
                110,
                Outbound,
                Access::Allow,
                RuleProtocol::Tcp,
                "*",
                "VirtualNetwork",
                "443",
            ),
            rule("allow-keyvault", 180, Outbound, Access::Allow, RuleProtocol::Tcp, "*", "AzureKeyVault", "443"),
            rule("allow-backup", 181, Outbound, Access::Allow, RuleProtocol::Tcp, "*", "AzureBackup", "443"),
            deny_all(Inbound),
            deny_all(Outbound),
        ];
        self.add("nsg-dmz", "NSG DMZ", Some("weu"), ElementProps::Nsg(Nsg { rules: dmz_rules }));

        // Traffic from on-premises to a spoke passes the DMZ appliances, then the firewall.
        let via = |name: &str, prefix: String, to: &str| Route {
            name: name.to_owned(),
            prefix,
            next_hop: NextHop::VirtualAppliance,
            next_hop_element: Some(ElementId::from(to)),
            extra: Fields::new(),
        };
        let gateway_routes =
            (1..=spokes).map(|i| via(&format!("spoke{i}-via-dmz"), cidr(spoke_base(i), 0, 22), "dmz-nva")).collect();
        let rt = RouteTable { routes: gateway_routes, disable_gateway_propagation: false };
        self.add("rt-gateway", "Routes GatewaySubnet", Some("weu"), ElementProps::RouteTable(rt));
        let mut dmz_routes = vec![via("default-via-firewall", "0.0.0.0/0".to_owned(), "fw")];
        dmz_routes
            .extend((1..=spokes).map(|i| via(&format!("spoke{i}-via-firewall"), cidr(spoke_base(i), 0, 22), "fw")));
        let rt = RouteTable { routes: dmz_routes, disable_gateway_propagation: false };
        self.add("rt-dmz", "Routes DMZ", Some("weu"), ElementProps::RouteTable(rt));
        // Replies to on-premises go back through the DMZ appliances, as the requests came.
        let rt = RouteTable {
            routes: vec![via("onprem-via-dmz", ON_PREMISES.to_owned(), "dmz-nva")],
            disable_gateway_propagation: false,
        };
        self.add("rt-firewall", "Routes AzureFirewallSubnet", Some("weu"), ElementProps::RouteTable(rt));

        // Shared services.
        let kv = KeyVault {
            sku: KeyVaultSku::Premium,
            soft_delete: true,
            purge_protection: true,
            key_backup: true,
            public_access: false,
        };
        self.add("kv", "Key Vault (KEKs)", Some("weu"), ElementProps::KeyVault(kv));
        self.add("rsv", "Recovery Services vault", Some("weu"), ElementProps::default_for(ElementKind::RecoveryVault));
        let zone = PrivateDnsZone { zone: Some("contoso.internal".to_owned()) };
        self.add("dns", "Private DNS zone", Some("weu"), ElementProps::PrivateDnsZone(zone));

        // Hybrid connectivity: ExpressRoute, VPN over it, and VPN failover over the internet.
        self.link("er", Some("ExpressRoute circuit"), "dc", "ergw", LinkProps::ExpressRoute(ExpressRoute::default()));
        let over = Vpn { over_express_route: Some(LinkId::from("er")) };
        self.link("vpn-over-er", Some("VPN over ExpressRoute"), "dc", "vpngw", LinkProps::Vpn(over));
        self.link("vpn-failover", Some("VPN failover"), "dc", "vpngw", LinkProps::Vpn(Vpn::default()));
        self.link("dns-hub", None, "dns", "hub", LinkProps::default_for(LinkKind::DnsLink));
    }

    fn spoke(&mut self, i: usize) {
        let base = spoke_base(i);
        let spoke = format!("spoke{i}");
        let vnet = Vnet { address_space: vec![cidr(base, 0, 22)], ddos_protection: false };
        self.add(&spoke, &format!("Application spoke {i}"), Some("weu"), ElementProps::Vnet(vnet));

        let rt = format!("rt-spoke{i}");
        let to_firewall = |name: &str, prefix: &str| Route {
            name: name.to_owned(),
            prefix: prefix.to_owned(),
            next_hop: NextHop::VirtualAppliance,
            next_hop_element: Some(ElementId::from("fw")),
            extra: Fields::new(),
        };
        let routes = vec![
            to_firewall("default-via-firewall", "0.0.0.0/0"),
            to_firewall("private-via-firewall", "10.0.0.0/8"),
            to_firewall("onprem-via-firewall", ON_PREMISES),
        ];
        let table = RouteTable { routes, disable_gateway_propagation: true };
        self.add(&rt, &format!("Routes spoke {i} (forced tunnelling)"), Some("weu"), ElementProps::RouteTable(table));

        // (id prefix, role, words, VM size, port served, data tier: data disks and no scale set)
        let tiers = [
            ("web", SubnetRole::Web, "Web", "Standard_D4s_v5", "443", false),
            ("biz", SubnetRole::Business, "Business", "Standard_D4s_v5", "8443", false),
            ("db", SubnetRole::Data, "Data", "Standard_E8s_v5", "1433", true),
        ];
        for (n, (tier, role, words, size, port, data)) in tiers.into_iter().enumerate() {
            let id = format!("{tier}{i}");
            let snet = format!("{id}-snet");
            let nsg = format!("nsg-{id}");
            let asg = format!("asg-{id}");
            let prefix = cidr(base, 256 * n as u32, 24);
            self.subnet(&snet, &format!("{words} tier subnet {i}"), &spoke, prefix, role, (Some(&nsg), Some(&rt)));
            let vm = Vm {
                size: Some(size.to_owned()),
                count: 2,
                zones: vec![1, 2],
                os: Os::Linux,
                tier: Some(role),
                data_disks: if data {
                    vec![DataDisks { sku: "P30".to_owned(), count: 2, extra: Fields::new() }]
                } else {
                    Vec::new()
                },
                disk_encryption: DiskEncryption {
                    enabled: true,
                    kek: Kek::KeyVault,
                    key_vault: Some(ElementId::from("kv")),
                    extra: Fields::new(),
                },
                backup: Some(ElementId::from("rsv")),
                asgs: vec![ElementId::from(asg.as_str())],
                scale_set: !data,
                autoscale: !data,
                jit: true,
                antimalware: true,
                patching: true,
                tls_certs: TlsCerts::KeyVaultExtension,
                ..Vm::default()
            };
            self.add(&id, &format!("{words} tier VMs {i}"), Some(&snet), ElementProps::Vm(vm));
            let lb = LoadBalancer {
                public: false,
                backends: vec![ElementId::from(id.as_str())],
                ports: vec![port.parse().unwrap_or(443)],
            };
            self.add(
                &format!("{id}-lb"),
                &format!("{words} tier load balancer {i}"),
                Some(&snet),
                ElementProps::LoadBalancer(lb),
            );
            self.add(&asg, &format!("ASG {tier} {i}"), Some("weu"), ElementProps::default_for(ElementKind::Asg));

            // Tier rules: who may come in, where this tier may go.
            let me = format!("asg:{asg}");
            let mut rules = vec![
                rule("deny-intra-tier-in", 100, Inbound, Access::Deny, RuleProtocol::Any, &me, &me, "*"),
                rule("deny-intra-tier-out", 100, Outbound, Access::Deny, RuleProtocol::Any, &me, &me, "*"),
            ];
            match n {
                0 => rules.push(rule(
                    "allow-https-in",
                    110,
                    Inbound,
                    Access::Allow,
                    RuleProtocol::Tcp,
                    ON_PREMISES,
                    &me,
                    port,
                )),
                _ => {
                    let caller = format!("asg:asg-{}{i}", tiers[n - 1].0);
                    rules.push(rule(
                        "allow-caller-in",
                        110,
                        Inbound,
                        Access::Allow,
                        RuleProtocol::Tcp,
                        &caller,
                        &me,
                        port,
                    ));
                }
            }
            if let Some(next) = tiers.get(n + 1) {
                let callee = format!("asg:asg-{}{i}", next.0);
                rules.push(rule(
                    "allow-next-tier-out",
                    110,
                    Outbound,
                    Access::Allow,
                    RuleProtocol::Tcp,
                    &me,
                    &callee,
                    next.4,
                ));
            }
            rules.extend([
                lb_probes(),
                rule("allow-keyvault", 180, Outbound, Access::Allow, RuleProtocol::Tcp, "*", "AzureKeyVault", "443"),
                rule("allow-backup", 181, Outbound, Access::Allow, RuleProtocol::Tcp, "*", "AzureBackup", "443"),
                deny_all(Inbound),
                deny_all(Outbound),
            ]);
            self.add(&nsg, &format!("NSG {tier} {i}"), Some("weu"), ElementProps::Nsg(Nsg { rules }));
        }

        let peering = Peering { allow_forwarded_traffic: true, gateway_transit: true };
        self.link(
            &format!("hub-{spoke}"),
            Some(&format!("Hub → spoke {i}")),
            "hub",
            &spoke,
            LinkProps::Peering(peering),
        );
        let flow = |port: u16| LinkProps::Flow(Flow { port: Some(port), ..Flow::default() });
        self.link(&format!("f-dc-web{i}"), None, "dc", &format!("web{i}"), flow(443));
        self.link(&format!("f-web{i}-biz{i}"), None, &format!("web{i}"), &format!("biz{i}"), flow(8443));
        self.link(&format!("f-biz{i}-db{i}"), None, &format!("biz{i}"), &format!("db{i}"), flow(1433));
        self.link(&format!("dns-{spoke}"), None, "dns", &spoke, LinkProps::default_for(LinkKind::DnsLink));
    }
}

#[allow(clippy::too_many_arguments)]
fn rule(
    name: &str,
    priority: u32,
    direction: crate::element::Direction,
    access: Access,
    protocol: RuleProtocol,
    source: &str,
    destination: &str,
    ports: &str,
) -> NsgRule {
    NsgRule {
        name: name.to_owned(),
        priority,
        direction,
        access,
        protocol,
        source: source.to_owned(),
        source_ports: "*".to_owned(),
        destination: destination.to_owned(),
        destination_ports: ports.to_owned(),
        extra: Fields::new(),
    }
}

fn lb_probes() -> NsgRule {
    rule("allow-lb-probes", 190, Inbound, Access::Allow, RuleProtocol::Any, "AzureLoadBalancer", "*", "*")
}

fn deny_all(direction: crate::element::Direction) -> NsgRule {
    let name = match direction {
        Inbound => "deny-all-in",
        Outbound => "deny-all-out",
    };
    rule(name, 4096, direction, Access::Deny, RuleProtocol::Any, "*", "*", "*")
}
