//! Terraform export (SPEC §7): the design as azurerm (provider 4.x) configuration.
//!
//! Every string taken from the design is written through [`quote`], so a name can never
//! become an expression, an interpolation or a new block. Terraform names come from element
//! ids, sanitised to `[a-z0-9_]` and made unique. Half-drawn elements (a subnet without a
//! prefix, a VM without a size) are left out with a comment that says why: the output stays
//! valid configuration for whatever part of the design is complete. Secrets and facts the
//! design does not hold (admin credentials, shared keys, on-premises addresses, tenant) are
//! variables.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::net::IpAddr;

use ipnet::IpNet;

use crate::check::{is_service_tag, parse_cidr, parse_ports};
use crate::design::{Design, Index};
use crate::element::{
    Access, BastionSku, Direction, Element, ElementKind, ElementProps, FirewallRule, FirewallTier, Kek, KeyVaultSku,
    NextHop, Os, RuleProtocol, SubnetRole, Vm,
};
use crate::link::{ExpressRoutePlan, LinkProps};

/// The design as one Terraform file.
pub fn terraform(design: &Design) -> String {
    let mut export = Export::new(design);
    export.elements();
    export.links();
    export.finish()
}

/// An HCL string literal holding `text` exactly: quotes, backslashes and control characters
/// escaped, and `${` / `%{` doubled so they stay text instead of starting a template.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Terraform name: `[a-z0-9_]`, not starting with a digit, never empty.
pub fn sanitise(id: &str) -> String {
    let mut name: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    list(&items.iter().map(|s| quote(s.as_ref())).collect::<Vec<_>>())
}

/// A comment line: only a line break can end a `#` comment, so control characters go.
fn comment_text(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A name for Azure resources that refuse underscores (VMs, Key Vault): hyphens instead.
fn hyphenated(name: &str, max: usize) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = if c == '_' { '-' } else { c };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "m-");
    }
    out.truncate(max);
    out.trim_end_matches('-').to_owned()
}

/// Managed disk type and size of a premium/standard SSD/HDD tier such as `P10`, `E30`, `S4`.
fn disk(sku: &str) -> (&'static str, u32) {
    let sku = sku.trim().to_ascii_uppercase();
    let kind = match sku.chars().next() {
        Some('E') => "StandardSSD_LRS",
        Some('S') => "Standard_LRS",
        _ => "Premium_LRS",
    };
    let size = match sku.get(1..).and_then(|n| n.parse::<u32>().ok()) {
        Some(1) => 4,
        Some(2) => 8,
        Some(3) => 16,
        Some(4) => 32,
        Some(6) => 64,
        Some(10) => 128,
        Some(15) => 256,
        Some(20) => 512,
        Some(30) => 1024,
        Some(40) => 2048,
        Some(50) => 4096,
        Some(60) => 8192,
        Some(70) => 16384,
        Some(80) => 32767,
        _ => 128,
    };
    (kind, size)
}

fn protocol_nsg(p: RuleProtocol) -> &'static str {
    match p {
        RuleProtocol::Tcp => "Tcp",
        RuleProtocol::Udp => "Udp",
        RuleProtocol::Icmp => "Icmp",
        RuleProtocol::Any => "*",
    }
}

fn protocol_firewall(p: RuleProtocol) -> &'static str {
    match p {
        RuleProtocol::Tcp => "TCP",
        RuleProtocol::Udp => "UDP",
        RuleProtocol::Icmp => "ICMP",
        RuleProtocol::Any => "Any",
    }
}

/// Port ranges as Azure writes them; `None` for any port.
fn port_ranges(text: &str) -> Result<Option<Vec<String>>, String> {
    if text.trim() == "*" {
        return Ok(None);
    }
    let ranges = parse_ports(text)?;
    Ok(Some(ranges.iter().map(|&(lo, hi)| if lo == hi { lo.to_string() } else { format!("{lo}-{hi}") }).collect()))
}

fn is_address(text: &str) -> bool {
    text.parse::<IpAddr>().is_ok() || text.parse::<IpNet>().is_ok() || is_service_tag(text)
}

struct Variable {
    description: &'static str,
    sensitive: bool,
    default: Option<&'static str>,
}

struct Export<'a> {
    design: &'a Design,
    index: Index<'a>,
    /// The load balancers listing each VM as a backend, in document order.
    pools: HashMap<&'a str, Vec<&'a Element>>,
    /// The VPN and ExpressRoute gateways in each VNet (by their subnet's parent), in document order.
    gateways: HashMap<&'a str, Vec<&'a Element>>,
    /// The gateways a VPN over ExpressRoute ends at.
    private_vpns: HashSet<&'a str>,
    /// The key-encryption key kinds of the VMs encrypting with each Key Vault.
    keks: HashMap<&'a str, Vec<Kek>>,
    /// The position of the first element with each id, and of the first subnet of each role in
    /// each parent: a VNet takes one subnet of a reserved role.
    first_position: HashMap<&'a str, usize>,
    first_subnet: HashMap<(&'a str, SubnetRole), usize>,
    /// Element and link id to Terraform name, unique across both.
    names: HashMap<&'a str, String>,
    /// Why an element is left out, for those that are.
    skipped: HashMap<&'a str, String>,
    vars: BTreeMap<String, Variable>,
    /// Names taken per resource type for resources derived from two ids.
    taken: HashSet<(&'static str, String)>,
    client_config: bool,
    out: String,
    depth: usize,
}

impl<'a> Export<'a> {
    fn new(design: &'a Design) -> Self {
        let mut names = HashMap::new();
        let mut used = HashSet::new();
        let ids = design.elements.iter().map(|e| e.id.as_str()).chain(design.links.iter().map(|l| l.id.as_str()));
        for id in ids {
            if names.contains_key(id) {
                continue;
            }
            let base = sanitise(id);
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = format!("{base}_{n}");
                n += 1;
            }
            names.insert(id, name);
        }
        let index = design.index();
        let mut pools: HashMap<&str, Vec<&Element>> = HashMap::new();
        let mut gateways: HashMap<&str, Vec<&Element>> = HashMap::new();
        let mut keks: HashMap<&str, Vec<Kek>> = HashMap::new();
        let mut first_position = HashMap::new();
        let mut first_subnet = HashMap::new();
        for (position, element) in design.elements.iter().enumerate() {
            first_position.entry(element.id.as_str()).or_insert(position);
            match &element.props {
                ElementProps::LoadBalancer(lb) => {
                    let mut listed = HashSet::new();
                    for backend in &lb.backends {
                        if listed.insert(backend.as_str()) {
                            pools.entry(backend.as_str()).or_default().push(element);
                        }
                    }
                }
                ElementProps::VpnGateway(_) | ElementProps::ExpressRouteGateway(_) => {
                    if let Some(vnet) = index.parent(element).and_then(|s| s.parent.as_ref()) {
                        gateways.entry(vnet.as_str()).or_default().push(element);
                    }
                }
                ElementProps::Vm(vm) => {
                    if let Some(vault) = &vm.disk_encryption.key_vault {
                        keks.entry(vault.as_str()).or_default().push(vm.disk_encryption.kek);
                    }
                }
                ElementProps::Subnet(subnet) => {
                    if let Some(parent) = &element.parent {
                        first_subnet.entry((parent.as_str(), subnet.role)).or_insert(position);
                    }
                }
                _ => {}
            }
        }
        let private_vpns = design
            .links
            .iter()
            .filter(|l| matches!(&l.props, LinkProps::Vpn(v) if v.over_express_route.is_some()))
            .map(|l| l.to.as_str())
            .collect();
        let mut export = Export {
            design,
            index,
            pools,
            gateways,
            private_vpns,
            keks,
            first_position,
            first_subnet,
            names,
            skipped: HashMap::new(),
            vars: BTreeMap::new(),
            taken: HashSet::new(),
            client_config: false,
            out: String::new(),
            depth: 0,
        };
        for element in &design.elements {
            if let Some(why) = export.problem(element, 0) {
                export.skipped.entry(element.id.as_str()).or_insert(why);
            }
        }
        export
    }

    // ---- writing -------------------------------------------------------------------------

    fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn open(&mut self, header: &str) {
        self.line(&format!("{header} {{"));
        self.depth += 1;
    }

    fn close(&mut self) {
        self.depth -= 1;
        self.line("}");
        if self.depth == 0 {
            self.out.push('\n');
        }
    }

    fn attr(&mut self, key: &str, value: &str) {
        self.line(&format!("{key} = {value}"));
    }

    fn comment(&mut self, text: &str) {
        self.line(&format!("# {}", comment_text(text)));
    }

    fn resource(&mut self, ty: &str, name: &str) {
        self.open(&format!("resource \"{ty}\" \"{name}\""));
    }

    fn var(&mut self, name: &str, description: &'static str, sensitive: bool, default: Option<&'static str>) -> String {
        self.vars.entry(name.to_owned()).or_insert(Variable { description, sensitive, default });
        format!("var.{name}")
    }

    /// A fresh name for a resource of `ty` derived from several ids.
    fn fresh(&mut self, ty: &'static str, base: String) -> String {
        let mut name = base.clone();
        let mut n = 2;
        while !self.taken.insert((ty, name.clone())) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }

    fn finish(mut self) -> String {
        let mut head = String::new();
        let title = comment_text(&self.design.meta.title);
        let _ = writeln!(head, "# Generated by Moat from the design \"{title}\". Review before applying.");
        head.push_str(
            "terraform {\n  required_providers {\n    azurerm = {\n      source  = \"hashicorp/azurerm\"\n      \
             version = \"~> 4.0\"\n    }\n  }\n}\n\n",
        );
        head.push_str("provider \"azurerm\" {\n  features {}\n  subscription_id = var.subscription_id\n}\n\n");
        self.vars.insert(
            "subscription_id".to_owned(),
            Variable { description: "Azure subscription to deploy into", sensitive: false, default: None },
        );
        if self.client_config {
            head.push_str("data \"azurerm_client_config\" \"current\" {}\n\n");
        }
        for (name, v) in &self.vars {
            let _ = writeln!(head, "variable \"{name}\" {{");
            let _ = writeln!(head, "  type        = string");
            let _ = writeln!(head, "  description = {}", quote(v.description));
            if v.sensitive {
                let _ = writeln!(head, "  sensitive   = true");
            }
            if let Some(default) = v.default {
                let _ = writeln!(head, "  default     = {}", quote(default));
            }
            head.push_str("}\n\n");
        }
        head.push_str(&self.out);
        while head.ends_with("\n\n") {
            head.pop();
        }
        head
    }

    // ---- the design ----------------------------------------------------------------------

    fn name(&self, id: &str) -> String {
        self.names.get(id).cloned().unwrap_or_else(|| sanitise(id))
    }

    fn ok(&self, id: &str) -> bool {
        self.index.element(id).is_some() && !self.skipped.contains_key(id)
    }

    /// The element `id` when it is of `kind` and exported.
    fn exported(&self, id: &str, kind: ElementKind) -> Option<&'a Element> {
        self.index.element(id).filter(|e| e.kind() == kind && self.ok(id))
    }

    fn parent(&self, element: &Element) -> Option<&'a Element> {
        self.index.parent(element)
    }

    fn region_of(&self, element: &'a Element) -> Option<&'a Element> {
        let mut current = element;
        for _ in 0..8 {
            if current.kind() == ElementKind::Region {
                return Some(current);
            }
            current = self.parent(current)?;
        }
        None
    }

    /// Why `element` cannot be exported, if it cannot.
    fn problem(&self, element: &Element, depth: usize) -> Option<String> {
        use ElementProps as P;
        if depth > 8 {
            return Some("its parents form a cycle".to_owned());
        }
        let parent_of = |kind: ElementKind| -> Option<String> {
            let Some(pid) = &element.parent else { return Some(format!("it has no parent {}", kind.as_str())) };
            let Some(parent) = self.index.element(pid.as_str()) else {
                return Some(format!("its parent \"{pid}\" does not exist"));
            };
            if parent.kind() != kind {
                return Some(format!("its parent \"{pid}\" is not a {}", kind.as_str()));
            }
            self.problem(parent, depth + 1).map(|_| format!("its parent \"{pid}\" is left out"))
        };
        let in_subnet_with = |role: SubnetRole| -> Option<String> {
            parent_of(ElementKind::Subnet).or_else(|| {
                let subnet = self.parent(element).and_then(|p| p.props.as_subnet())?;
                (subnet.role != role).then(|| format!("its subnet's role is not {}", role.as_str()))
            })
        };
        match &element.props {
            P::Region(r) => {
                r.location.as_deref().is_none_or(|l| l.trim().is_empty()).then(|| "it has no location".into())
            }
            P::OnPremises(_) | P::Internet(_) => Some("it is not an Azure resource".into()),
            P::Vnet(v) => parent_of(ElementKind::Region).or_else(|| {
                if v.address_space.is_empty() {
                    return Some("it has no address space".into());
                }
                v.address_space.iter().find_map(|a| parse_cidr(a).err())
            }),
            P::Subnet(s) => parent_of(ElementKind::Vnet).or_else(|| {
                let Some(prefix) = &s.prefix else { return Some("it has no prefix".into()) };
                if let Err(e) = parse_cidr(prefix) {
                    return Some(e);
                }
                let reserved = s.role.azure_subnet_name()?;
                // A subnet of the same role under the same parent before the first element with this id.
                let first = self.first_position.get(element.id.as_str()).copied().unwrap_or(usize::MAX);
                let earlier = element
                    .parent
                    .as_ref()
                    .and_then(|parent| self.first_subnet.get(&(parent.as_str(), s.role)))
                    .is_some_and(|&position| position < first);
                earlier.then(|| format!("its VNet already has a {reserved}"))
            }),
            P::Vm(vm) => parent_of(ElementKind::Subnet).or_else(|| {
                if vm.size.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    Some("it has no size".into())
                } else if vm.count == 0 {
                    Some("its count is 0".into())
                } else {
                    None
                }
            }),
            P::Nva(n) => parent_of(ElementKind::Subnet).or_else(|| (n.count == 0).then(|| "its count is 0".into())),
            P::LoadBalancer(_) => parent_of(ElementKind::Subnet),
            P::Firewall(f) => in_subnet_with(SubnetRole::Firewall).or_else(|| {
                (f.tier == FirewallTier::Basic).then(|| {
                    "a Basic firewall needs an AzureFirewallManagementSubnet, which the design has no role for".into()
                })
            }),
            P::VpnGateway(_) | P::ExpressRouteGateway(_) => in_subnet_with(SubnetRole::Gateway),
            P::Bastion(_) => in_subnet_with(SubnetRole::Bastion),
            P::Nsg(_) | P::Asg(_) | P::RouteTable(_) | P::RecoveryVault(_) => parent_of(ElementKind::Region),
            P::KeyVault(kv) => parent_of(ElementKind::Region).or_else(|| {
                (kv.sku == KeyVaultSku::ManagedHsm).then(|| {
                    "a Managed HSM needs its administrators and security domain chosen; create it by hand".into()
                })
            }),
            P::PrivateDnsZone(z) => parent_of(ElementKind::Region)
                .or_else(|| z.zone.as_deref().is_none_or(|z| z.trim().is_empty()).then(|| "it has no zone".into())),
            P::DedicatedHost(h) => parent_of(ElementKind::Region).or_else(|| {
                if h.sku.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    Some("it has no SKU".into())
                } else if h.count == 0 {
                    Some("its count is 0".into())
                } else {
                    None
                }
            }),
            P::AppGateway(_) => Some("listeners, certificates and routing are not in the design; not exported".into()),
            P::TrafficManager(_) | P::FrontDoor(_) => {
                Some("global profiles need endpoints the design does not record; not exported".into())
            }
        }
    }

    /// `location` and `resource_group_name` of the region the element is in, plus its tags.
    fn placed(&mut self, element: &'a Element) {
        let rg = self.region_of(element).map(|r| self.name(r.id.as_str())).unwrap_or_default();
        self.attr("location", &format!("azurerm_resource_group.{rg}.location"));
        self.attr("resource_group_name", &format!("azurerm_resource_group.{rg}.name"));
    }

    fn tags(&mut self, element: &Element) {
        let mut tags = format!("{{ moat_id = {}", quote(element.id.as_str()));
        if let Some(name) = &element.name {
            let _ = write!(tags, ", moat_name = {}", quote(name));
        }
        tags.push_str(" }");
        self.attr("tags", &tags);
    }

    fn public_ip(&mut self, name: &str, element: &'a Element, zones: &[u8], count: Option<u32>) {
        self.resource("azurerm_public_ip", name);
        if let Some(count) = count {
            self.attr("count", &count.to_string());
        }
        self.attr("name", &quote(name));
        self.placed(element);
        self.attr("allocation_method", "\"Static\"");
        self.attr("sku", "\"Standard\"");
        if !zones.is_empty() {
            self.attr("zones", &quoted_list(&zones.iter().map(u8::to_string).collect::<Vec<_>>()));
        }
        self.tags(element);
        self.close();
    }

    fn elements(&mut self) {
        let design = self.design;
        for element in &design.elements {
            let kind = element.kind();
            if let Some(why) = self.skipped.get(element.id.as_str()).cloned() {
                if !matches!(kind, ElementKind::OnPremises | ElementKind::Internet) {
                    self.comment(&format!("{} \"{}\" left out: {why}.", kind.as_str(), element.id));
                    self.out.push('\n');
                }
                continue;
            }
            let name = self.name(element.id.as_str());
            match &element.props {
                ElementProps::Region(r) => {
                    self.resource("azurerm_resource_group", &name);
                    self.attr("name", &quote(&format!("rg-{name}")));
                    self.attr("location", &quote(r.location.as_deref().unwrap_or_default().trim()));
                    self.tags(element);
                    self.close();
                    let ddos = self.index.children(element.id.as_str()).iter().any(|v| {
                        matches!(&v.props, ElementProps::Vnet(v) if v.ddos_protection) && self.ok(v.id.as_str())
                    });
                    if ddos {
                        self.resource("azurerm_network_ddos_protection_plan", &name);
                        self.attr("name", &quote(&format!("ddos-{name}")));
                        self.placed(element);
                        self.close();
                    }
                }
                ElementProps::Vnet(v) => {
                    self.resource("azurerm_virtual_network", &name);
                    self.attr("name", &quote(&name));
                    self.placed(element);
                    self.attr("address_space", &quoted_list(&v.address_space));
                    if v.ddos_protection {
                        let region = self.region_of(element).map(|r| self.name(r.id.as_str())).unwrap_or_default();
                        self.open("ddos_protection_plan");
                        self.attr("id", &format!("azurerm_network_ddos_protection_plan.{region}.id"));
                        self.attr("enable", "true");
                        self.close();
                    }
                    self.tags(element);
                    self.close();
                }
                ElementProps::Subnet(_) => self.subnet(element, &name),
                ElementProps::Nsg(_) => self.nsg(element, &name),
                ElementProps::Asg(_) => {
                    self.resource("azurerm_application_security_group", &name);
                    self.attr("name", &quote(&name));
                    self.placed(element);
                    self.tags(element);
                    self.close();
                }
                ElementProps::RouteTable(_) => self.route_table(element, &name),
                ElementProps::Firewall(_) => self.firewall(element, &name),
                ElementProps::Nva(n) => {
                    let subnet = self.name(element.parent.as_ref().map(|p| p.as_str()).unwrap_or_default());
                    self.comment(&format!(
                        "NVA \"{}\": the appliance VMs come from the vendor's image; these are their forwarding NICs.",
                        element.id
                    ));
                    self.resource("azurerm_network_interface", &name);
                    self.attr("count", &n.count.to_string());
                    self.attr("name", &format!("format(\"%s-nic-%d\", {}, count.index)", quote(&name)));
                    self.placed(element);
                    self.attr("ip_forwarding_enabled", "true");
                    self.open("ip_configuration");
                    self.attr("name", "\"internal\"");
                    self.attr("subnet_id", &format!("azurerm_subnet.{subnet}.id"));
                    self.attr("private_ip_address_allocation", "\"Dynamic\"");
                    self.close();
                    self.tags(element);
                    self.close();
                }
                ElementProps::VpnGateway(g) => self.gateway(element, &name, "Vpn", &g.sku),
                ElementProps::ExpressRouteGateway(g) => self.gateway(element, &name, "ExpressRoute", &g.sku),
                ElementProps::Bastion(b) => {
                    let subnet = self.name(element.parent.as_ref().map(|p| p.as_str()).unwrap_or_default());
                    let pip = format!("{name}_pip");
                    self.public_ip(&pip, element, &[], None);
                    self.resource("azurerm_bastion_host", &name);
                    self.attr("name", &quote(&name));
                    self.placed(element);
                    self.attr("sku", if b.sku == BastionSku::Basic { "\"Basic\"" } else { "\"Standard\"" });
                    self.open("ip_configuration");
                    self.attr("name", "\"ipconfig\"");
                    self.attr("subnet_id", &format!("azurerm_subnet.{subnet}.id"));
                    self.attr("public_ip_address_id", &format!("azurerm_public_ip.{pip}.id"));
                    self.close();
                    self.tags(element);
                    self.close();
                }
                ElementProps::LoadBalancer(_) => self.load_balancer(element, &name),
                ElementProps::Vm(vm) => self.vm(element, vm, &name),
                ElementProps::DedicatedHost(h) => {
                    self.resource("azurerm_dedicated_host_group", &name);
                    self.attr("name", &quote(&name));
                    self.placed(element);
                    self.attr("platform_fault_domain_count", "1");
                    // VMs ask for the group and Azure picks the host.
                    self.attr("automatic_placement_enabled", "true");
                    if let Some(zone) = h.zone {
                        self.attr("zone", &quote(&zone.to_string()));
                    }
                    self.tags(element);
                    self.close();
                    self.resource("azurerm_dedicated_host", &name);
                    self.attr("count", &h.count.to_string());
                    self.attr("name", &format!("format(\"%s-%d\", {}, count.index)", quote(&name)));
                    self.attr("location", &format!("azurerm_dedicated_host_group.{name}.location"));
                    self.attr("dedicated_host_group_id", &format!("azurerm_dedicated_host_group.{name}.id"));
                    self.attr("sku_name", &quote(h.sku.as_deref().unwrap_or_default().trim()));
                    self.attr("platform_fault_domain", "0");
                    self.tags(element);
                    self.close();
                }
                ElementProps::KeyVault(_) => self.key_vault(element, &name),
                ElementProps::RecoveryVault(_) => {
                    self.resource("azurerm_recovery_services_vault", &name);
                    self.attr("name", &quote(&hyphenated(&name, 50)));
                    self.placed(element);
                    self.attr("sku", "\"Standard\"");
                    self.attr("soft_delete_enabled", "true");
                    self.tags(element);
                    self.close();
                    self.resource("azurerm_backup_policy_vm", &name);
                    self.attr("name", "\"daily\"");
                    self.attr(
                        "resource_group_name",
                        &format!("azurerm_recovery_services_vault.{name}.resource_group_name"),
                    );
                    self.attr("recovery_vault_name", &format!("azurerm_recovery_services_vault.{name}.name"));
                    self.attr("timezone", "\"UTC\"");
                    self.open("backup");
                    self.attr("frequency", "\"Daily\"");
                    self.attr("time", "\"23:00\"");
                    self.close();
                    self.open("retention_daily");
                    self.attr("count", "30");
                    self.close();
                    self.close();
                }
                ElementProps::PrivateDnsZone(z) => {
                    let rg = self.region_of(element).map(|r| self.name(r.id.as_str())).unwrap_or_default();
                    self.resource("azurerm_private_dns_zone", &name);
                    self.attr("name", &quote(z.zone.as_deref().unwrap_or_default().trim()));
                    self.attr("resource_group_name", &format!("azurerm_resource_group.{rg}.name"));
                    self.tags(element);
                    self.close();
                }
                ElementProps::OnPremises(_)
                | ElementProps::Internet(_)
                | ElementProps::AppGateway(_)
                | ElementProps::TrafficManager(_)
                | ElementProps::FrontDoor(_) => {}
            }
        }
    }

    fn subnet(&mut self, element: &'a Element, name: &str) {
        let Some(s) = element.props.as_subnet() else { return };
        let vnet = self.name(element.parent.as_ref().map(|p| p.as_str()).unwrap_or_default());
        self.resource("azurerm_subnet", name);
        self.attr("name", &quote(s.role.azure_subnet_name().unwrap_or(name)));
        self.attr("resource_group_name", &format!("azurerm_virtual_network.{vnet}.resource_group_name"));
        self.attr("virtual_network_name", &format!("azurerm_virtual_network.{vnet}.name"));
        self.attr("address_prefixes", &quoted_list(&[s.prefix.as_deref().unwrap_or_default().trim()]));
        self.close();
        if let Some(nsg) = &s.nsg {
            if s.role == SubnetRole::Firewall {
                self.comment(&format!("subnet \"{}\": Azure refuses an NSG on AzureFirewallSubnet.", element.id));
                self.out.push('\n');
            } else if self.exported(nsg.as_str(), ElementKind::Nsg).is_some() {
                let nsg = self.name(nsg.as_str());
                self.resource("azurerm_subnet_network_security_group_association", name);
                self.attr("subnet_id", &format!("azurerm_subnet.{name}.id"));
                self.attr("network_security_group_id", &format!("azurerm_network_security_group.{nsg}.id"));
                self.close();
            } else {
                self.comment(&format!("subnet \"{}\": NSG \"{nsg}\" is not exported; no association.", element.id));
                self.out.push('\n');
            }
        }
        if let Some(rt) = &s.route_table {
            if self.exported(rt.as_str(), ElementKind::RouteTable).is_some() {
                let rt = self.name(rt.as_str());
                self.resource("azurerm_subnet_route_table_association", name);
                self.attr("subnet_id", &format!("azurerm_subnet.{name}.id"));
                self.attr("route_table_id", &format!("azurerm_route_table.{rt}.id"));
                self.close();
            } else {
                self.comment(&format!("subnet \"{}\": route table \"{rt}\" is not exported.", element.id));
                self.out.push('\n');
            }
        }
    }

    /// NSG address: `(attribute suffix, value)`, e.g. `("address_prefix", "\"*\"")`.
    fn nsg_address(&self, text: &str) -> Result<(&'static str, String), String> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        if parts == ["*"] {
            return Ok(("address_prefix", quote("*")));
        }
        let mut asgs = Vec::new();
        let mut prefixes = Vec::new();
        for part in parts {
            if let Some(asg) = part.strip_prefix("asg:") {
                if self.exported(asg, ElementKind::Asg).is_none() {
                    return Err(format!("ASG \"{asg}\" is not exported"));
                }
                asgs.push(format!("azurerm_application_security_group.{}.id", self.name(asg)));
            } else if is_address(part) {
                prefixes.push(quote(part));
            } else {
                return Err(format!("\"{part}\" is not an address, prefix, service tag or asg:<id>"));
            }
        }
        match (asgs.is_empty(), prefixes.len()) {
            (false, 0) => Ok(("application_security_group_ids", list(&asgs))),
            (false, _) => Err("it mixes ASGs and addresses, which Azure does not allow in one rule".into()),
            (true, 1) => Ok(("address_prefix", prefixes.remove(0))),
            (true, _) => Ok(("address_prefixes", list(&prefixes))),
        }
    }

    fn nsg(&mut self, element: &'a Element, name: &str) {
        let ElementProps::Nsg(nsg) = &element.props else { return };
        self.resource("azurerm_network_security_group", name);
        self.attr("name", &quote(name));
        self.placed(element);
        let mut names = HashSet::new();
        let mut priorities = HashSet::new();
        for (i, rule) in nsg.rules.iter().enumerate() {
            let rule_name = if rule.name.trim().is_empty() { format!("rule-{}", i + 1) } else { rule.name.clone() };
            let direction = if rule.direction == Direction::Inbound { "Inbound" } else { "Outbound" };
            let parts = (|| -> Result<_, String> {
                if !(100..=4096).contains(&rule.priority) {
                    return Err(format!("priority {} is outside 100..4096", rule.priority));
                }
                if !priorities.insert((direction, rule.priority)) {
                    return Err(format!("priority {} is already used {direction}", rule.priority));
                }
                let source = self.nsg_address(&rule.source)?;
                let destination = self.nsg_address(&rule.destination)?;
                let source_ports = port_ranges(&rule.source_ports)?;
                let destination_ports = port_ranges(&rule.destination_ports)?;
                Ok((source, destination, source_ports, destination_ports))
            })();
            let (source, destination, source_ports, destination_ports) = match parts {
                Ok(parts) => parts,
                Err(why) => {
                    self.comment(&format!("rule \"{rule_name}\" left out: {why}."));
                    continue;
                }
            };
            let rule_name = if names.insert(rule_name.clone()) { rule_name } else { format!("{rule_name}-{}", i + 1) };
            self.open("security_rule");
            self.attr("name", &quote(&rule_name));
            self.attr("priority", &rule.priority.to_string());
            self.attr("direction", &quote(direction));
            self.attr("access", if rule.access == Access::Allow { "\"Allow\"" } else { "\"Deny\"" });
            self.attr("protocol", &quote(protocol_nsg(rule.protocol)));
            for (prefix, ports) in [("source", source_ports), ("destination", destination_ports)] {
                match ports {
                    None => self.attr(&format!("{prefix}_port_range"), "\"*\""),
                    Some(ports) if ports.len() == 1 => self.attr(&format!("{prefix}_port_range"), &quote(&ports[0])),
                    Some(ports) => self.attr(&format!("{prefix}_port_ranges"), &quoted_list(&ports)),
                }
            }
            self.attr(&format!("source_{}", source.0), &source.1);
            self.attr(&format!("destination_{}", destination.0), &destination.1);
            self.close();
        }
        self.tags(element);
        self.close();
    }

    /// The private address of a firewall or NVA, as an expression.
    fn appliance_address(&self, id: &str) -> Option<String> {
        let element = self.index.element(id).filter(|_| self.ok(id))?;
        match element.kind() {
            ElementKind::Firewall => {
                Some(format!("azurerm_firewall.{}.ip_configuration[0].private_ip_address", self.name(id)))
            }
            ElementKind::Nva => Some(format!("azurerm_network_interface.{}[0].private_ip_address", self.name(id))),
            _ => None,
        }
    }

    fn route_table(&mut self, element: &'a Element, name: &str) {
        let ElementProps::RouteTable(rt) = &element.props else { return };
        self.resource("azurerm_route_table", name);
        self.attr("name", &quote(name));
        self.placed(element);
        self.attr("bgp_route_propagation_enabled", if rt.disable_gateway_propagation { "false" } else { "true" });
        let mut names = HashSet::new();
        for (i, route) in rt.routes.iter().enumerate() {
            let route_name = if route.name.trim().is_empty() { format!("route-{}", i + 1) } else { route.name.clone() };
            if let Err(why) = parse_cidr(&route.prefix) {
                self.comment(&format!("route \"{route_name}\" left out: {why}."));
                continue;
            }
            let (hop, address) = match route.next_hop {
                NextHop::VirtualAppliance => {
                    let address = route.next_hop_element.as_ref().and_then(|id| self.appliance_address(id.as_str()));
                    let Some(address) = address else {
                        self.comment(&format!("route \"{route_name}\" left out: its appliance is not exported."));
                        continue;
                    };
                    ("VirtualAppliance", Some(address))
                }
                NextHop::VirtualNetworkGateway => ("VirtualNetworkGateway", None),
                NextHop::VnetLocal => ("VnetLocal", None),
                NextHop::Internet => ("Internet", None),
                NextHop::None => ("None", None),
            };
            let route_name =
                if names.insert(route_name.clone()) { route_name } else { format!("{route_name}-{}", i + 1) };
            self.open("route");
            self.attr("name", &quote(&route_name));
            self.attr("address_prefix", &quote(route.prefix.trim()));
            self.attr("next_hop_type", &quote(hop));
            if let Some(address) = address {
                self.attr("next_hop_in_ip_address", &address);
            }
            self.close();
        }
        self.tags(element);
        self.close();
    }

    /// Firewall address list: literals, plus the NIC addresses of VMs named by `el:`.
    fn firewall_addresses(&self, text: &str) -> Result<String, String> {
        let mut literals = Vec::new();
        let mut lists = Vec::new();
        for part in text.split(',').map(str::trim) {
            if part == "*" || is_address(part) {
                literals.push(quote(part));
            } else if let Some(id) = part.strip_prefix("el:") {
                let Some(element) = self.index.element(id).filter(|_| self.ok(id)) else {
                    return Err(format!("\"{id}\" is not an exported subnet or VM"));
                };
                match &element.props {
                    ElementProps::Subnet(s) => literals.push(quote(s.prefix.as_deref().unwrap_or_default())),
                    ElementProps::Vm(vm) if vm.private_ip.is_some() && vm.count == 1 && !vm.scale_set => {
                        literals.push(quote(vm.private_ip.as_deref().unwrap_or_default()))
                    }
                    // Scale-set instances have no fixed address: their subnet stands for them.
                    ElementProps::Vm(vm) if vm.scale_set => {
                        let subnet = self.parent(element).and_then(|p| p.props.as_subnet());
                        literals.push(quote(subnet.and_then(|s| s.prefix.as_deref()).unwrap_or_default()));
                    }
                    ElementProps::Vm(_) => {
                        lists.push(format!("azurerm_network_interface.{}[*].private_ip_address", self.name(id)))
                    }
                    _ => return Err(format!("\"{id}\" is not an exported subnet or VM")),
                }
            } else {
                return Err(format!("\"{part}\" is not an address, prefix, service tag or el:<id>"));
            }
        }
        if lists.is_empty() {
            return Ok(list(&literals));
        }
        let mut args = vec![list(&literals)];
        args.extend(lists);
        Ok(format!("concat({})", args.join(", ")))
    }

    fn firewall_rule(&mut self, rule: &FirewallRule, name: &str) {
        let parts = (|| -> Result<_, String> {
            let source = self.firewall_addresses(&rule.source)?;
            let destination = self.firewall_addresses(&rule.destination)?;
            let ports = port_ranges(&rule.destination_ports)?.unwrap_or_else(|| vec!["*".to_owned()]);
            Ok((source, destination, ports))
        })();
        match parts {
            Ok((source, destination, ports)) => {
                self.open("rule");
                self.attr("name", &quote(name));
                self.attr("protocols", &quoted_list(&[protocol_firewall(rule.protocol)]));
                self.attr("source_addresses", &source);
                self.attr("destination_addresses", &destination);
                self.attr("destination_ports", &quoted_list(&ports));
                self.close();
            }
            Err(why) => self.comment(&format!("rule \"{name}\" left out: {why}.")),
        }
    }

    fn firewall(&mut self, element: &'a Element, name: &str) {
        let ElementProps::Firewall(fw) = &element.props else { return };
        let subnet = self.name(element.parent.as_ref().map(|p| p.as_str()).unwrap_or_default());
        let pip = format!("{name}_pip");
        self.public_ip(&pip, element, &fw.zones, None);
        let tier = if fw.tier == FirewallTier::Premium { "Premium" } else { "Standard" };
        // Premium takes its rules from a policy only; Standard keeps classic collections.
        let policy = fw.tier == FirewallTier::Premium;
        if policy {
            self.resource("azurerm_firewall_policy", name);
            self.attr("name", &quote(name));
            self.placed(element);
            self.attr("sku", &quote(tier));
            self.tags(element);
            self.close();
        }
        self.resource("azurerm_firewall", name);
        self.attr("name", &quote(name));
        self.placed(element);
        self.attr("sku_name", "\"AZFW_VNet\"");
        self.attr("sku_tier", &quote(tier));
        if !fw.zones.is_empty() {
            self.attr("zones", &quoted_list(&fw.zones.iter().map(u8::to_string).collect::<Vec<_>>()));
        }
        if policy {
            self.attr("firewall_policy_id", &format!("azurerm_firewall_policy.{name}.id"));
        }
        self.open("ip_configuration");
        self.attr("name", "\"ipconfig\"");
        self.attr("subnet_id", &format!("azurerm_subnet.{subnet}.id"));
        self.attr("public_ip_address_id", &format!("azurerm_public_ip.{pip}.id"));
        self.close();
        self.tags(element);
        self.close();
        if fw.rules.is_empty() {
            self.comment(&format!("firewall \"{}\" has no rules: it denies everything.", element.id));
            self.out.push('\n');
            return;
        }
        // Consecutive rules with the same action form one collection; rising priorities keep
        // the design's first-match order.
        let mut runs: Vec<(Access, Vec<(usize, &FirewallRule)>)> = Vec::new();
        for (i, rule) in fw.rules.iter().enumerate() {
            match runs.last_mut() {
                Some((action, rules)) if *action == rule.action => rules.push((i, rule)),
                _ => runs.push((rule.action, vec![(i, rule)])),
            }
        }
        if policy {
            self.resource("azurerm_firewall_policy_rule_collection_group", name);
            self.attr("name", "\"moat\"");
            self.attr("firewall_policy_id", &format!("azurerm_firewall_policy.{name}.id"));
            self.attr("priority", "100");
        }
        let mut names = HashSet::new();
        for (n, (action, rules)) in runs.iter().enumerate() {
            let action = if *action == Access::Allow { "Allow" } else { "Deny" };
            let priority = (100 + n * 10).to_string();
            if policy {
                self.open("network_rule_collection");
                self.attr("name", &quote(&format!("rules-{}", n + 1)));
            } else {
                let collection = self.fresh("azurerm_firewall_network_rule_collection", format!("{name}_{}", n + 1));
                self.resource("azurerm_firewall_network_rule_collection", &collection);
                self.attr("name", &quote(&format!("rules-{}", n + 1)));
                self.attr("azure_firewall_name", &format!("azurerm_firewall.{name}.name"));
                self.attr("resource_group_name", &format!("azurerm_firewall.{name}.resource_group_name"));
            }
            self.attr("priority", &priority);
            self.attr("action", &quote(action));
            for (i, rule) in rules {
                let base = if rule.name.trim().is_empty() { format!("rule-{}", i + 1) } else { rule.name.clone() };
                let rule_name = if names.insert(base.clone()) { base } else { format!("{base}-{}", i + 1) };
                self.firewall_rule(rule, &rule_name);
            }
            self.close();
        }
        if policy {
            self.close();
        }
    }

    /// Whether a VPN link over ExpressRoute ends at this gateway (it then needs a private IP).
    fn private_vpn(&self, gateway: &str) -> bool {
        self.private_vpns.contains(gateway)
    }

    fn gateway(&mut self, element: &'a Element, name: &str, kind: &str, sku: &str) {
        let subnet = self.name(element.parent.as_ref().map(|p| p.as_str()).unwrap_or_default());
        let sku = if sku.trim().is_empty() { if kind == "Vpn" { "VpnGw1AZ" } else { "ErGw1AZ" } } else { sku.trim() };
        let pip = format!("{name}_pip");
        if kind == "Vpn" {
            let zones: &[u8] = if sku.ends_with("AZ") { &[1, 2, 3] } else { &[] };
            self.public_ip(&pip, element, zones, None);
        }
        self.resource("azurerm_virtual_network_gateway", name);
        self.attr("name", &quote(name));
        self.placed(element);
        self.attr("type", &quote(kind));
        if kind == "Vpn" {
            self.attr("vpn_type", "\"RouteBased\"");
            if self.private_vpn(element.id.as_str()) {
                self.attr("private_ip_address_enabled", "true");
            }
        }
        self.attr("sku", &quote(sku));
        self.open("ip_configuration");
        self.attr("name", "\"gateway\"");
        self.attr("subnet_id", &format!("azurerm_subnet.{subnet}.id"));
        self.attr("private_ip_address_allocation", "\"Dynamic\"");
        if kind == "Vpn" {
            self.attr("public_ip_address_id", &format!("azurerm_public_ip.{pip}.id"));
        }
        self.close();
        self.tags(element);
        self.close();
    }

    /// The VMs a load balancer's backends name that are exported.
    fn backends(&self, ids: &[crate::ids::ElementId]) -> Vec<&'a Element> {
        ids.iter().filter_map(|id| self.exported(id.as_str(), ElementKind::Vm)).collect()
    }

    fn load_balancer(&mut self, element: &'a Element, name: &str) {
        let ElementProps::LoadBalancer(lb) = &element.props else { return };
        let subnet = self.name(element.parent.as_ref().map(|p| p.as_str()).unwrap_or_default());
        let pip = format!("{name}_pip");
        if lb.public {
            self.public_ip(&pip, element, &[], None);
        }
        self.resource("azurerm_lb", name);
        self.attr("name", &quote(name));
        self.placed(element);
        self.attr("sku", "\"Standard\"");
        self.open("frontend_ip_configuration");
        self.attr("name", "\"frontend\"");
        if lb.public {
            self.attr("public_ip_address_id", &format!("azurerm_public_ip.{pip}.id"));
        } else {
            self.attr("subnet_id", &format!("azurerm_subnet.{subnet}.id"));
            self.attr("private_ip_address_allocation", "\"Dynamic\"");
        }
        self.close();
        self.tags(element);
        self.close();
        self.resource("azurerm_lb_backend_address_pool", name);
        self.attr("name", "\"backend\"");
        self.attr("loadbalancer_id", &format!("azurerm_lb.{name}.id"));
        self.close();
        let mut ports = lb.ports.clone();
        ports.dedup();
        for port in ports {
            let rule = format!("{name}_{port}");
            self.resource("azurerm_lb_probe", &rule);
            self.attr("name", &quote(&format!("probe-{port}")));
            self.attr("loadbalancer_id", &format!("azurerm_lb.{name}.id"));
            self.attr("protocol", "\"Tcp\"");
            self.attr("port", &port.to_string());
            self.close();
            self.resource("azurerm_lb_rule", &rule);
            self.attr("name", &quote(&format!("rule-{port}")));
            self.attr("loadbalancer_id", &format!("azurerm_lb.{name}.id"));
            self.attr("protocol", "\"Tcp\"");
            self.attr("frontend_port", &port.to_string());
            self.attr("backend_port", &port.to_string());
            self.attr("frontend_ip_configuration_name", "\"frontend\"");
            self.attr("backend_address_pool_ids", &format!("[azurerm_lb_backend_address_pool.{name}.id]"));
            self.attr("probe_id", &format!("azurerm_lb_probe.{rule}.id"));
            self.close();
        }
        for vm in self.backends(&lb.backends) {
            let ElementProps::Vm(props) = &vm.props else { continue };
            if props.scale_set {
                continue; // The scale set names the pool in its own IP configuration.
            }
            let vm_name = self.name(vm.id.as_str());
            let assoc =
                self.fresh("azurerm_network_interface_backend_address_pool_association", format!("{name}_{vm_name}"));
            self.resource("azurerm_network_interface_backend_address_pool_association", &assoc);
            self.attr("count", &props.count.to_string());
            self.attr("network_interface_id", &format!("azurerm_network_interface.{vm_name}[count.index].id"));
            self.attr("ip_configuration_name", "\"internal\"");
            self.attr("backend_address_pool_id", &format!("azurerm_lb_backend_address_pool.{name}.id"));
            self.close();
        }
    }

    /// Backend pools of exported load balancers that list `vm`.
    fn pools_of(&self, vm: &str) -> Vec<String> {
        self.pools
            .get(vm)
            .into_iter()
            .flatten()
            .filter(|e| self.ok(e.id.as_str()))
            .map(|e| format!("azurerm_lb_backend_address_pool.{}.id", self.name(e.id.as_str())))
            .collect()
    }

    fn key_vault(&mut self, element: &'a Element, name: &str) {
        let ElementProps::KeyVault(kv) = &element.props else { return };
        self.client_config = true;
        let tenant = self.var("tenant_id", "Microsoft Entra tenant of the Key Vaults", false, None);
        self.resource("azurerm_key_vault", name);
        self.attr("name", &quote(&hyphenated(name, 24)));
        self.placed(element);
        self.attr("tenant_id", &tenant);
        self.attr("sku_name", if kv.sku == KeyVaultSku::Standard { "\"standard\"" } else { "\"premium\"" });
        if !kv.soft_delete {
            self.comment("The design turns soft delete off; Azure no longer allows that, so it stays on.");
        }
        self.attr("soft_delete_retention_days", "90");
        self.attr("purge_protection_enabled", if kv.purge_protection { "true" } else { "false" });
        self.attr("public_network_access_enabled", if kv.public_access { "true" } else { "false" });
        self.attr("enabled_for_disk_encryption", "true");
        self.attr("enable_rbac_authorization", "true");
        self.open("network_acls");
        self.attr("default_action", if kv.public_access { "\"Allow\"" } else { "\"Deny\"" });
        self.attr("bypass", "\"AzureServices\"");
        self.close();
        self.tags(element);
        self.close();
        // A BYOK key is imported from the on-premises HSM, so only generated KEKs are created here.
        let byok_only = {
            let users: &[Kek] = self.keks.get(element.id.as_str()).map_or(&[], Vec::as_slice);
            !users.is_empty() && users.iter().all(|k| *k == Kek::Byok)
        };
        if byok_only {
            return;
        }
        self.resource("azurerm_role_assignment", &format!("{name}_crypto_officer"));
        self.attr("scope", &format!("azurerm_key_vault.{name}.id"));
        self.attr("role_definition_name", "\"Key Vault Crypto Officer\"");
        self.attr("principal_id", "data.azurerm_client_config.current.object_id");
        self.close();
        self.comment("Creating the key needs a network path to the vault when public access is off.");
        self.resource("azurerm_key_vault_key", &format!("{name}_kek"));
        self.attr("name", "\"kek\"");
        self.attr("key_vault_id", &format!("azurerm_key_vault.{name}.id"));
        self.attr("key_type", if kv.sku == KeyVaultSku::Standard { "\"RSA\"" } else { "\"RSA-HSM\"" });
        self.attr("key_size", "3072");
        self.attr("key_opts", &quoted_list(&["wrapKey", "unwrapKey"]));
        self.attr("depends_on", &format!("[azurerm_role_assignment.{name}_crypto_officer]"));
        self.close();
    }

    /// Azure Disk Encryption settings as a `jsonencode({...})` expression.
    fn ade_settings(&mut self, vm: &Vm) -> String {
        let de = &vm.disk_encryption;
        let vault = de.key_vault.as_ref().and_then(|k| self.exported(k.as_str(), ElementKind::KeyVault));
        let (url, id) = match vault {
            Some(v) => {
                let n = self.name(v.id.as_str());
                (format!("azurerm_key_vault.{n}.vault_uri"), format!("azurerm_key_vault.{n}.id"))
            }
            None => (
                self.var("disk_encryption_key_vault_url", "URI of the Key Vault for disk encryption", false, None),
                self.var(
                    "disk_encryption_key_vault_id",
                    "Resource id of the Key Vault for disk encryption",
                    false,
                    None,
                ),
            ),
        };
        let mut settings = vec![
            "EncryptionOperation = \"EnableEncryption\"".to_owned(),
            format!("KeyVaultURL = {url}"),
            format!("KeyVaultResourceId = {id}"),
            "VolumeType = \"All\"".to_owned(),
        ];
        let kek = match (de.kek, vault) {
            (Kek::None, _) => None,
            (Kek::KeyVault, Some(v)) => Some(format!("azurerm_key_vault_key.{}_kek.id", self.name(v.id.as_str()))),
            (Kek::Byok, Some(v)) => {
                let var = format!("{}_byok_kek_url", self.name(v.id.as_str()));
                Some(self.var(&var, "Versioned URL of the KEK imported from the on-premises HSM", false, None))
            }
            (_, None) => {
                Some(self.var("disk_encryption_kek_url", "Versioned URL of the key-encryption key", false, None))
            }
        };
        if let Some(kek) = kek {
            settings.push(format!("KeyEncryptionKeyURL = {kek}"));
            settings.push(format!("KekVaultResourceId = {id}"));
            settings.push("KeyEncryptionAlgorithm = \"RSA-OAEP\"".to_owned());
        }
        format!("jsonencode({{ {} }})", settings.join(", "))
    }

    fn vm(&mut self, element: &'a Element, vm: &Vm, name: &str) {
        let subnet = self.name(element.parent.as_ref().map(|p| p.as_str()).unwrap_or_default());
        let windows = vm.os == Os::Windows;
        let size = vm.size.as_deref().unwrap_or_default().trim().to_owned();
        let username = self.var("admin_username", "Administrator account of the VMs", false, Some("azureuser"));
        let credential = if windows {
            self.var("admin_password", "Administrator password of the Windows VMs", true, None)
        } else {
            self.var("admin_ssh_public_key", "SSH public key of the Linux VMs' administrator", false, None)
        };
        let host = vm.host.as_ref().and_then(|h| self.exported(h.as_str(), ElementKind::DedicatedHost));
        let host_zone = host.and_then(|h| match &h.props {
            ElementProps::DedicatedHost(h) => h.zone,
            _ => None,
        });
        let zones: Vec<String> = match (host, host_zone) {
            // A dedicated host group fixes the zone of everything placed on it.
            (Some(_), Some(z)) => vec![z.to_string()],
            (Some(_), None) => Vec::new(),
            (None, _) => vm.zones.iter().map(u8::to_string).collect(),
        };
        let asgs: Vec<String> = vm
            .asgs
            .iter()
            .filter(|a| self.exported(a.as_str(), ElementKind::Asg).is_some())
            .map(|a| format!("azurerm_application_security_group.{}.id", self.name(a.as_str())))
            .collect();
        let nsg = vm
            .nsg
            .as_ref()
            .filter(|n| self.exported(n.as_str(), ElementKind::Nsg).is_some())
            .map(|n| format!("azurerm_network_security_group.{}.id", self.name(n.as_str())));
        let (os_disk_type, os_disk_size) = disk(&vm.os_disk);
        let image = if windows {
            ["MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition", "latest"]
        } else {
            ["Canonical", "ubuntu-24_04-lts", "server", "latest"]
        };
        let write_image = |this: &mut Self| {
            this.open("source_image_reference");
            for (key, value) in ["publisher", "offer", "sku", "version"].iter().zip(image) {
                this.attr(key, &quote(value));
            }
            this.close();
        };
        let write_os_disk = |this: &mut Self| {
            this.open("os_disk");
            this.attr("caching", "\"ReadWrite\"");
            this.attr("storage_account_type", &quote(os_disk_type));
            this.attr("disk_size_gb", &os_disk_size.to_string());
            this.close();
        };
        let azure_name = hyphenated(name, if windows { 13 } else { 60 });

        if vm.scale_set {
            let ty = if windows {
                "azurerm_windows_virtual_machine_scale_set"
            } else {
                "azurerm_linux_virtual_machine_scale_set"
            };
            self.resource(ty, name);
            self.attr("name", &quote(&azure_name));
            self.placed(element);
            self.attr("sku", &quote(&size));
            self.attr("instances", &vm.count.to_string());
            if !zones.is_empty() {
                self.attr("zones", &quoted_list(&zones));
            }
            self.attr("admin_username", &username);
            if windows {
                self.attr("admin_password", &credential);
                self.attr("computer_name_prefix", &quote(&hyphenated(name, 9)));
            } else {
                self.attr("disable_password_authentication", "true");
                self.open("admin_ssh_key");
                self.attr("username", &username);
                self.attr("public_key", &credential);
                self.close();
            }
            if let Some(h) = host {
                self.attr("host_group_id", &format!("azurerm_dedicated_host_group.{}.id", self.name(h.id.as_str())));
            }
            write_image(self);
            write_os_disk(self);
            let mut lun = 0;
            for disks in &vm.data_disks {
                let (kind, size) = disk(&disks.sku);
                for _ in 0..disks.count {
                    self.open("data_disk");
                    self.attr("lun", &lun.to_string());
                    self.attr("caching", "\"ReadOnly\"");
                    self.attr("storage_account_type", &quote(kind));
                    self.attr("disk_size_gb", &size.to_string());
                    self.close();
                    lun += 1;
                }
            }
            self.open("network_interface");
            self.attr("name", "\"nic\"");
            self.attr("primary", "true");
            if let Some(nsg) = &nsg {
                self.attr("network_security_group_id", nsg);
            }
            self.open("ip_configuration");
            self.attr("name", "\"internal\"");
            self.attr("primary", "true");
            self.attr("subnet_id", &format!("azurerm_subnet.{subnet}.id"));
            if !asgs.is_empty() {
                self.attr("application_security_group_ids", &list(&asgs));
            }
            let pools = self.pools_of(element.id.as_str());
            if !pools.is_empty() {
                self.attr("load_balancer_backend_address_pool_ids", &list(&pools));
            }
            self.close();
            self.close();
            if vm.disk_encryption.enabled {
                let settings = self.ade_settings(vm);
                self.open("extension");
                self.attr("name", "\"AzureDiskEncryption\"");
                self.attr("publisher", "\"Microsoft.Azure.Security\"");
                let (ty, version) =
                    if windows { ("AzureDiskEncryption", "2.2") } else { ("AzureDiskEncryptionForLinux", "1.1") };
                self.attr("type", &quote(ty));
                self.attr("type_handler_version", &quote(version));
                self.attr("auto_upgrade_minor_version", "true");
                self.attr("settings", &settings);
                self.close();
            }
            self.tags(element);
            self.close();
            if vm.backup.is_some() {
                self.comment(&format!("VM \"{}\": Azure Backup does not protect scale-set instances.", element.id));
                self.out.push('\n');
            }
            return;
        }

        let count = vm.count.to_string();
        let zone_expr = (!zones.is_empty()).then(|| format!("element({}, count.index)", quoted_list(&zones)));
        if vm.public_ip {
            let pip = format!("{name}_pip");
            self.resource("azurerm_public_ip", &pip);
            self.attr("count", &count);
            self.attr("name", &format!("format(\"%s-pip-%d\", {}, count.index)", quote(name)));
            self.placed(element);
            self.attr("allocation_method", "\"Static\"");
            self.attr("sku", "\"Standard\"");
            if let Some(zone) = &zone_expr {
                self.attr("zones", &format!("[{zone}]"));
            }
            self.tags(element);
            self.close();
        }
        let fixed_ip = vm.private_ip.as_deref().map(str::trim).filter(|ip| ip.parse::<IpAddr>().is_ok());
        self.resource("azurerm_network_interface", name);
        self.attr("count", &count);
        self.attr("name", &format!("format(\"%s-nic-%d\", {}, count.index)", quote(name)));
        self.placed(element);
        self.open("ip_configuration");
        self.attr("name", "\"internal\"");
        self.attr("subnet_id", &format!("azurerm_subnet.{subnet}.id"));
        match fixed_ip {
            Some(ip) if vm.count == 1 => {
                self.attr("private_ip_address_allocation", "\"Static\"");
                self.attr("private_ip_address", &quote(ip));
            }
            _ => self.attr("private_ip_address_allocation", "\"Dynamic\""),
        }
        if vm.public_ip {
            self.attr("public_ip_address_id", &format!("azurerm_public_ip.{name}_pip[count.index].id"));
        }
        self.close();
        self.tags(element);
        self.close();
        if let Some(nsg) = &nsg {
            self.resource("azurerm_network_interface_security_group_association", name);
            self.attr("count", &count);
            self.attr("network_interface_id", &format!("azurerm_network_interface.{name}[count.index].id"));
            self.attr("network_security_group_id", nsg);
            self.close();
        }
        for (asg_id, asg) in vm.asgs.iter().zip(&asgs) {
            let assoc = self.fresh(
                "azurerm_network_interface_application_security_group_association",
                format!("{name}_{}", self.name(asg_id.as_str())),
            );
            self.resource("azurerm_network_interface_application_security_group_association", &assoc);
            self.attr("count", &count);
            self.attr("network_interface_id", &format!("azurerm_network_interface.{name}[count.index].id"));
            self.attr("application_security_group_id", asg);
            self.close();
        }
        let ty = if windows { "azurerm_windows_virtual_machine" } else { "azurerm_linux_virtual_machine" };
        self.resource(ty, name);
        self.attr("count", &count);
        self.attr("name", &format!("format(\"%s-%d\", {}, count.index)", quote(&azure_name)));
        self.placed(element);
        self.attr("size", &quote(&size));
        if let Some(zone) = &zone_expr {
            self.attr("zone", zone);
        }
        self.attr("network_interface_ids", &format!("[azurerm_network_interface.{name}[count.index].id]"));
        self.attr("admin_username", &username);
        if windows {
            self.attr("admin_password", &credential);
        } else {
            self.attr("disable_password_authentication", "true");
            self.open("admin_ssh_key");
            self.attr("username", &username);
            self.attr("public_key", &credential);
            self.close();
        }
        if let Some(h) = host {
            self.attr(
                "dedicated_host_group_id",
                &format!("azurerm_dedicated_host_group.{}.id", self.name(h.id.as_str())),
            );
        }
        write_os_disk(self);
        write_image(self);
        self.tags(element);
        self.close();

        let mut lun = 0u32;
        let mut attachments = Vec::new();
        for (j, disks) in vm.data_disks.iter().enumerate() {
            if disks.count == 0 {
                continue;
            }
            let (kind, size) = disk(&disks.sku);
            let disk_name = format!("{name}_data{j}");
            let per_vm = disks.count;
            self.resource("azurerm_managed_disk", &disk_name);
            self.attr("count", &(vm.count * per_vm).to_string());
            self.attr("name", &format!("format(\"%s-data{j}-%d\", {}, count.index)", quote(name)));
            self.placed(element);
            self.attr("storage_account_type", &quote(kind));
            self.attr("create_option", "\"Empty\"");
            self.attr("disk_size_gb", &size.to_string());
            if !zones.is_empty() {
                self.attr("zone", &format!("element({}, floor(count.index / {per_vm}))", quoted_list(&zones)));
            }
            self.tags(element);
            self.close();
            self.resource("azurerm_virtual_machine_data_disk_attachment", &disk_name);
            self.attr("count", &(vm.count * per_vm).to_string());
            self.attr("managed_disk_id", &format!("azurerm_managed_disk.{disk_name}[count.index].id"));
            self.attr("virtual_machine_id", &format!("{ty}.{name}[floor(count.index / {per_vm})].id"));
            self.attr("lun", &format!("{lun} + count.index % {per_vm}"));
            self.attr("caching", "\"ReadOnly\"");
            self.close();
            attachments.push(format!("azurerm_virtual_machine_data_disk_attachment.{disk_name}"));
            lun += per_vm;
        }
        if vm.disk_encryption.enabled {
            let settings = self.ade_settings(vm);
            let (ext, version) =
                if windows { ("AzureDiskEncryption", "2.2") } else { ("AzureDiskEncryptionForLinux", "1.1") };
            self.resource("azurerm_virtual_machine_extension", &format!("{name}_ade"));
            self.attr("count", &count);
            self.attr("name", "\"AzureDiskEncryption\"");
            self.attr("virtual_machine_id", &format!("{ty}.{name}[count.index].id"));
            self.attr("publisher", "\"Microsoft.Azure.Security\"");
            self.attr("type", &quote(ext));
            self.attr("type_handler_version", &quote(version));
            self.attr("auto_upgrade_minor_version", "true");
            self.attr("settings", &settings);
            if !attachments.is_empty() {
                // Encrypt once the data disks are attached, so they are encrypted too.
                self.attr("depends_on", &list(&attachments));
            }
            self.close();
        }
        if let Some(vault) = &vm.backup {
            if let Some(rsv) = self.exported(vault.as_str(), ElementKind::RecoveryVault) {
                let rsv = self.name(rsv.id.as_str());
                self.resource("azurerm_backup_protected_vm", name);
                self.attr("count", &count);
                self.attr("resource_group_name", &format!("azurerm_recovery_services_vault.{rsv}.resource_group_name"));
                self.attr("recovery_vault_name", &format!("azurerm_recovery_services_vault.{rsv}.name"));
                self.attr("source_vm_id", &format!("{ty}.{name}[count.index].id"));
                self.attr("backup_policy_id", &format!("azurerm_backup_policy_vm.{rsv}.id"));
                self.close();
            } else {
                self.comment(&format!("VM \"{}\": recovery vault \"{vault}\" is not exported; no backup.", element.id));
                self.out.push('\n');
            }
        }
    }

    // ---- links ---------------------------------------------------------------------------

    fn links(&mut self) {
        let design = self.design;
        for link in &design.links {
            let name = self.name(link.id.as_str());
            let from = self.index.element(link.from.as_str());
            match &link.props {
                LinkProps::Peering(p) => {
                    let (Some(a), Some(b)) = (
                        self.exported(link.from.as_str(), ElementKind::Vnet),
                        self.exported(link.to.as_str(), ElementKind::Vnet),
                    ) else {
                        self.comment(&format!("peering \"{}\" left out: one of its VNets is not exported.", link.id));
                        self.out.push('\n');
                        continue;
                    };
                    let (an, bn) = (self.name(a.id.as_str()), self.name(b.id.as_str()));
                    // With gateway transit, the spoke uses the hub's gateways: they must exist first.
                    let gateways: Vec<String> = self
                        .gateways
                        .get(a.id.as_str())
                        .into_iter()
                        .flatten()
                        .filter(|g| self.ok(g.id.as_str()))
                        .map(|g| format!("azurerm_virtual_network_gateway.{}", self.name(g.id.as_str())))
                        .collect();
                    for (suffix, local, remote, forward) in [("forward", &an, &bn, true), ("reverse", &bn, &an, false)]
                    {
                        self.resource("azurerm_virtual_network_peering", &format!("{name}_{suffix}"));
                        self.attr("name", &quote(&format!("{local}-to-{remote}")));
                        self.attr(
                            "resource_group_name",
                            &format!("azurerm_virtual_network.{local}.resource_group_name"),
                        );
                        self.attr("virtual_network_name", &format!("azurerm_virtual_network.{local}.name"));
                        self.attr("remote_virtual_network_id", &format!("azurerm_virtual_network.{remote}.id"));
                        self.attr("allow_virtual_network_access", "true");
                        self.attr("allow_forwarded_traffic", if p.allow_forwarded_traffic { "true" } else { "false" });
                        let transit = p.gateway_transit;
                        self.attr("allow_gateway_transit", if transit && forward { "true" } else { "false" });
                        self.attr("use_remote_gateways", if transit && !forward { "true" } else { "false" });
                        if transit && !gateways.is_empty() {
                            self.attr("depends_on", &list(&gateways));
                        }
                        self.close();
                    }
                }
                LinkProps::Vpn(v) => {
                    let gateway = self.exported(link.to.as_str(), ElementKind::VpnGateway);
                    let site = from.filter(|f| f.kind() == ElementKind::OnPremises);
                    let space = match site.map(|s| &s.props) {
                        Some(ElementProps::OnPremises(o)) => o.address_space.clone(),
                        _ => Vec::new(),
                    };
                    let problem = if gateway.is_none() {
                        Some("its VPN gateway is not exported".to_owned())
                    } else if site.is_none() {
                        Some("it does not start at an on-premises site".to_owned())
                    } else if space.is_empty() {
                        Some("the on-premises site has no address space".to_owned())
                    } else {
                        space.iter().find_map(|a| parse_cidr(a).err())
                    };
                    let (Some(gateway), None) = (gateway, problem.clone()) else {
                        let why = problem.unwrap_or_default();
                        self.comment(&format!("vpn \"{}\" left out: {why}.", link.id));
                        self.out.push('\n');
                        continue;
                    };
                    let gw = self.name(gateway.id.as_str());
                    // Per link: over ExpressRoute the device is reached at a private address.
                    let address = self.var(
                        &format!("{name}_onprem_address"),
                        "Address of the on-premises VPN device (private when over ExpressRoute)",
                        false,
                        None,
                    );
                    let key = self.var("vpn_shared_key", "IPsec pre-shared key of the VPN connections", true, None);
                    self.resource("azurerm_local_network_gateway", &name);
                    self.attr("name", &quote(&name));
                    self.placed(gateway);
                    self.attr("gateway_address", &address);
                    self.attr("address_space", &quoted_list(&space));
                    self.close();
                    self.resource("azurerm_virtual_network_gateway_connection", &name);
                    self.attr("name", &quote(&name));
                    self.placed(gateway);
                    self.attr("type", "\"IPsec\"");
                    self.attr("virtual_network_gateway_id", &format!("azurerm_virtual_network_gateway.{gw}.id"));
                    self.attr("local_network_gateway_id", &format!("azurerm_local_network_gateway.{name}.id"));
                    self.attr("shared_key", &key);
                    if v.over_express_route.is_some() {
                        // IPsec over the private circuit uses the gateway's private address.
                        self.attr("local_azure_ip_address_enabled", "true");
                    }
                    self.close();
                }
                LinkProps::ExpressRoute(er) => {
                    let Some(gateway) = self.exported(link.to.as_str(), ElementKind::ExpressRouteGateway) else {
                        self.comment(&format!("expressRoute \"{}\" left out: its gateway is not exported.", link.id));
                        self.out.push('\n');
                        continue;
                    };
                    let gw = self.name(gateway.id.as_str());
                    let provider = self.var(
                        &format!("{name}_service_provider"),
                        "ExpressRoute connectivity provider",
                        false,
                        None,
                    );
                    let location =
                        self.var(&format!("{name}_peering_location"), "ExpressRoute peering location", false, None);
                    self.resource("azurerm_express_route_circuit", &name);
                    self.attr("name", &quote(&name));
                    self.placed(gateway);
                    self.attr("service_provider_name", &provider);
                    self.attr("peering_location", &location);
                    self.attr("bandwidth_in_mbps", &er.bandwidth_mbps.max(50).to_string());
                    self.open("sku");
                    self.attr("tier", if er.premium { "\"Premium\"" } else { "\"Standard\"" });
                    let family =
                        if er.plan == ExpressRoutePlan::Unlimited { "\"UnlimitedData\"" } else { "\"MeteredData\"" };
                    self.attr("family", family);
                    self.close();
                    self.close();
                    self.comment(
                        "The connection succeeds once the provider has provisioned the circuit and private peering.",
                    );
                    self.resource("azurerm_virtual_network_gateway_connection", &name);
                    self.attr("name", &quote(&name));
                    self.placed(gateway);
                    self.attr("type", "\"ExpressRoute\"");
                    self.attr("virtual_network_gateway_id", &format!("azurerm_virtual_network_gateway.{gw}.id"));
                    self.attr("express_route_circuit_id", &format!("azurerm_express_route_circuit.{name}.id"));
                    self.close();
                }
                LinkProps::DnsLink(_) => {
                    let (Some(zone), Some(vnet)) = (
                        self.exported(link.from.as_str(), ElementKind::PrivateDnsZone),
                        self.exported(link.to.as_str(), ElementKind::Vnet),
                    ) else {
                        self.comment(&format!("dnsLink \"{}\" left out: its zone or VNet is not exported.", link.id));
                        self.out.push('\n');
                        continue;
                    };
                    let (zn, vn) = (self.name(zone.id.as_str()), self.name(vnet.id.as_str()));
                    self.resource("azurerm_private_dns_zone_virtual_network_link", &name);
                    self.attr("name", &quote(&name));
                    self.attr("resource_group_name", &format!("azurerm_private_dns_zone.{zn}.resource_group_name"));
                    self.attr("private_dns_zone_name", &format!("azurerm_private_dns_zone.{zn}.name"));
                    self.attr("virtual_network_id", &format!("azurerm_virtual_network.{vn}.id"));
                    self.attr("registration_enabled", "false");
                    self.close();
                }
                // Flows are intent (NSG rules carry them); replication is inside the VMs.
                LinkProps::Flow(_) | LinkProps::Replication(_) => {}
            }
        }
    }
}
