//! What the inspector shows for each kind: every field of SPEC §2 with the control that
//! edits it. Paths are dotted as SPEC names fields (`diskEncryption.enabled`).

use serde_json::Value;

use crate::check::{parse_cidr, parse_ports};
use crate::element::ElementKind;
use crate::link::LinkKind;

/// One editable field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldSpec {
    pub path: &'static str,
    pub label: &'static str,
    pub control: Control,
}

/// How a field is edited, and how text typed into it becomes a value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Control {
    /// Free text; empty removes an optional field.
    Text,
    /// Free text that must be set.
    RequiredText,
    Bool,
    /// A whole number in a range.
    Integer {
        min: i64,
        max: i64,
    },
    /// A whole number in a range, or empty for none.
    OptionalInteger {
        min: i64,
        max: i64,
    },
    /// A decimal number (percent).
    Number,
    /// A decimal number, or empty for none.
    OptionalNumber,
    /// One of the listed values.
    Choice(&'static [&'static str]),
    /// One of the listed values, or none.
    OptionalChoice(&'static [&'static str]),
    /// The id of an element of one of these kinds, or none.
    Reference(&'static [ElementKind]),
    /// Ids of elements of these kinds.
    References(&'static [ElementKind]),
    /// The id of a link of this kind, or none.
    LinkReference(LinkKind),
    /// One CIDR prefix.
    Cidr,
    /// A comma-separated list of CIDR prefixes.
    CidrList,
    /// Availability zones, e.g. `1, 2, 3`.
    Zones,
    /// A list of ports, e.g. `443, 8443`.
    PortList,
    /// The table of NSG rules.
    NsgRules,
    /// The table of firewall or NVA rules.
    FirewallRules,
    /// The table of user-defined routes.
    Routes,
    /// The list of data disks.
    DataDisks,
}

const ROLES: &[&str] = &["dmz", "web", "business", "data", "management", "gateway", "firewall", "bastion", "other"];

macro_rules! fields {
    ($($path:literal, $label:literal => $control:expr);* $(;)?) => {
        &[$(FieldSpec { path: $path, label: $label, control: $control }),*]
    };
}

/// The fields of an element of `kind`, common ones first.
pub fn element_fields(kind: ElementKind) -> Vec<FieldSpec> {
    use Control::*;
    use ElementKind as K;
    let common: &[FieldSpec] = fields! { "id", "Id" => RequiredText; "name", "Name" => Text };
    let parent: &[FieldSpec] = match kind.placement() {
        crate::element::Placement::TopLevel => &[],
        _ => fields! { "parent", "Inside" => Reference(&[K::Region, K::Vnet, K::Subnet]) },
    };
    let own: &[FieldSpec] = match kind {
        K::Region => fields! {
            "location", "Location" => Text;
            "zones", "Availability zones" => OptionalChoice(&["true", "false"]);
            "pairedWith", "Paired with" => Text;
        },
        K::OnPremises => fields! {
            "addressSpace", "Address space" => CidrList;
            "hsm", "On-premises HSM" => Bool;
            "dns", "On-premises DNS" => Bool;
        },
        K::Internet | K::Asg | K::TrafficManager | K::FrontDoor => &[],
        K::Vnet => fields! {
            "addressSpace", "Address space" => CidrList;
            "ddosProtection", "DDoS protection" => Bool;
        },
        K::Subnet => fields! {
            "prefix", "Prefix" => Cidr;
            "role", "Role" => Choice(ROLES);
            "nsg", "NSG" => Reference(&[K::Nsg]);
            "routeTable", "Route table" => Reference(&[K::RouteTable]);
        },
        K::Vm => fields! {
            "size", "Size" => Text;
            "count", "Instances" => Integer { min: 1, max: 1000 };
            "zones", "Zones" => Zones;
            "availabilitySet", "Availability set" => Bool;
            "os", "OS" => Choice(&["linux", "windows"]);
            "tier", "Tier" => OptionalChoice(ROLES);
            "osDisk", "OS disk" => RequiredText;
            "dataDisks", "Data disks" => DataDisks;
            "diskEncryption.enabled", "Disk encryption" => Bool;
            "diskEncryption.kek", "Key-encryption key" => Choice(&["none", "keyVault", "byok"]);
            "diskEncryption.keyVault", "Key Vault" => Reference(&[K::KeyVault]);
            "backup", "Backup vault" => Reference(&[K::RecoveryVault]);
            "publicIp", "Public IP" => Bool;
            "nsg", "NIC NSG" => Reference(&[K::Nsg]);
            "asgs", "ASGs" => References(&[K::Asg]);
            "host", "Dedicated host" => Reference(&[K::DedicatedHost]);
            "scaleSet", "Scale set" => Bool;
            "autoscale", "Autoscale" => Bool;
            "jit", "Just-in-time access" => Bool;
            "antimalware", "Antimalware" => Bool;
            "patching", "Patching" => Bool;
            "tlsCerts", "TLS certificates" => Choice(&["keyVaultExtension", "manual", "none"]);
            "privateIp", "Private IP" => Text;
        },
        K::DedicatedHost => fields! {
            "sku", "SKU" => Text;
            "zone", "Zone" => OptionalInteger { min: 1, max: 3 };
            "count", "Hosts" => Integer { min: 1, max: 1000 };
        },
        K::Nsg => fields! { "rules", "Security rules" => NsgRules },
        K::RouteTable => fields! {
            "routes", "Routes" => Routes;
            "disableGatewayPropagation", "Disable gateway route propagation" => Bool;
        },
        K::Firewall => fields! {
            "tier", "Tier" => Choice(&["basic", "standard", "premium"]);
            "zones", "Zones" => Zones;
            "rules", "Rules" => FirewallRules;
        },
        K::Nva => fields! {
            "count", "Instances" => Integer { min: 1, max: 100 };
            "zones", "Zones" => Zones;
            "vendor", "Vendor" => Text;
            "rules", "Rules" => FirewallRules;
        },
        K::VpnGateway | K::ExpressRouteGateway => fields! { "sku", "SKU" => RequiredText },
        K::Bastion => fields! { "sku", "SKU" => Choice(&["basic", "standard"]) },
        K::LoadBalancer => fields! {
            "public", "Public" => Bool;
            "backends", "Backends" => References(&[K::Vm]);
            "ports", "Ports" => PortList;
        },
        K::AppGateway => fields! {
            "public", "Public" => Bool;
            "waf", "WAF" => Bool;
            "backends", "Backends" => References(&[K::Vm]);
            "ports", "Ports" => PortList;
        },
        K::KeyVault => fields! {
            "sku", "SKU" => Choice(&["standard", "premium", "managedHsm"]);
            "softDelete", "Soft delete" => Bool;
            "purgeProtection", "Purge protection" => Bool;
            "keyBackup", "Keys backed up" => Bool;
            "publicAccess", "Public network access" => Bool;
        },
        K::RecoveryVault => fields! { "keyVaultAccess", "May read disk-encryption keys" => Bool },
        K::PrivateDnsZone => fields! { "zone", "Zone" => Text },
    };
    [common, parent, own].concat()
}

/// The fields of the design itself, shown when nothing is selected.
pub fn design_fields() -> Vec<FieldSpec> {
    use Control::*;
    fields! {
        "meta.title", "Title" => Text;
        "meta.sensitivity", "Sensitivity" => Choice(&["high", "standard"]);
        "meta.slaTarget", "SLA target (%)" => Number;
        "meta.currency", "Currency" => RequiredText;
        "governance.rbac", "Least-privilege RBAC" => Bool;
        "governance.pim", "Privileged Identity Management" => Bool;
        "governance.policy", "Azure Policy" => Bool;
        "governance.blueprint", "Blueprint / initiative" => Text;
        "governance.defenderForServers", "Defender for Servers" => Choice(&["off", "p1", "p2"]);
        "governance.monitor", "Azure Monitor" => Bool;
        "governance.sentinel", "Microsoft Sentinel" => Bool;
        "governance.entraLogs", "Entra ID logs" => Bool;
        "governance.logGbPerDay", "Log data a day (GB, for the estimate)" => OptionalNumber;
    }
    .to_vec()
}

/// The fields of a link of `kind`.
pub fn link_fields(kind: LinkKind) -> Vec<FieldSpec> {
    use Control::*;
    let common: &[FieldSpec] = fields! { "id", "Id" => RequiredText; "name", "Name" => Text };
    let own: &[FieldSpec] = match kind {
        LinkKind::Peering => fields! {
            "allowForwardedTraffic", "Allow forwarded traffic" => Bool;
            "gatewayTransit", "Gateway transit (from's gateways serve to)" => Bool;
        },
        LinkKind::Vpn => fields! { "overExpressRoute", "Over ExpressRoute" => LinkReference(LinkKind::ExpressRoute) },
        LinkKind::ExpressRoute => fields! {
            "bandwidthMbps", "Bandwidth (Mbps)" => Integer { min: 50, max: 100_000 };
            "plan", "Plan" => Choice(&["metered", "unlimited"]);
            "premium", "Premium" => Bool;
        },
        LinkKind::Flow => fields! {
            "protocol", "Protocol" => Choice(&["tcp", "udp", "icmp", "any"]);
            "port", "Port" => OptionalInteger { min: 1, max: 65535 };
            "tls", "TLS" => Bool;
        },
        LinkKind::Replication => fields! {
            "technology", "Technology" => Choice(&["sqlAlwaysOn", "oracleDataGuard", "mysql", "other"]);
        },
        LinkKind::DnsLink => &[],
    };
    [common, own].concat()
}

impl Control {
    /// Turns what a person typed or picked into the field's value, or says what is wrong.
    /// Tables (rules, routes, disks) take their JSON as edited by their own editors.
    pub fn parse(self, text: &str) -> Result<Value, String> {
        let text = text.trim();
        let list = || text.split(',').map(str::trim).filter(|part| !part.is_empty());
        match self {
            Control::Text | Control::Reference(_) | Control::LinkReference(_) | Control::OptionalChoice(_)
                if text.is_empty() =>
            {
                Ok(Value::Null)
            }
            Control::OptionalChoice(options) | Control::Choice(options) => {
                if !options.contains(&text) {
                    return Err(format!("choose one of {}", options.join(", ")));
                }
                Ok(match text {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::from(text),
                })
            }
            Control::Text | Control::Reference(_) | Control::LinkReference(_) => Ok(Value::from(text)),
            Control::RequiredText => {
                if text.is_empty() {
                    Err("cannot be empty".into())
                } else {
                    Ok(Value::from(text))
                }
            }
            Control::Bool => match text {
                "true" | "on" => Ok(Value::Bool(true)),
                "false" | "off" | "" => Ok(Value::Bool(false)),
                _ => Err("true or false".into()),
            },
            Control::OptionalInteger { .. } if text.is_empty() => Ok(Value::Null),
            Control::Integer { min, max } | Control::OptionalInteger { min, max } => match text.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(Value::from(n)),
                _ => Err(format!("a whole number from {min} to {max}")),
            },
            Control::OptionalNumber if text.is_empty() => Ok(Value::Null),
            Control::Number | Control::OptionalNumber => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(Value::from)
                .ok_or_else(|| "a number, e.g. 99.95".to_owned()),
            Control::Cidr => parse_cidr(text).map(|_| Value::from(text)),
            Control::CidrList => {
                let prefixes: Vec<String> = list().map(str::to_owned).collect();
                for prefix in &prefixes {
                    parse_cidr(prefix)?;
                }
                Ok(Value::from(prefixes))
            }
            Control::References(_) => Ok(Value::from(list().collect::<Vec<_>>())),
            Control::Zones => {
                let zones: Result<Vec<u8>, String> = list()
                    .map(|z| {
                        z.parse::<u8>()
                            .ok()
                            .filter(|z| (1..=3).contains(z))
                            .ok_or(format!("zone {z}: zones are 1, 2 and 3"))
                    })
                    .collect();
                Ok(Value::from(zones?))
            }
            Control::PortList => {
                let ports: Result<Vec<u16>, String> = list()
                    .map(|p| {
                        parse_ports(p)?;
                        p.parse::<u16>().ok().filter(|p| *p > 0).ok_or(format!("\"{p}\" is not a port from 1 to 65535"))
                    })
                    .collect();
                Ok(Value::from(ports?))
            }
            Control::NsgRules | Control::FirewallRules | Control::Routes | Control::DataDisks => {
                serde_json::from_str(text).map_err(|e| e.to_string())
            }
        }
    }

    /// The text a field's value is shown as in its input.
    pub fn display(self, value: &Value) -> String {
        match value {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Array(items)
                if !matches!(
                    self,
                    Control::NsgRules | Control::FirewallRules | Control::Routes | Control::DataDisks
                ) =>
            {
                items
                    .iter()
                    .map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            other => other.to_string(),
        }
    }
}

/// One column of a table field (NSG rules, routes, firewall rules, data disks).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    pub cell: Cell,
}

/// How a table cell is edited.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    Text,
    Number,
    Choice(&'static [&'static str]),
    /// The id of an element of these kinds, or none.
    Reference(&'static [ElementKind]),
}

const PROTOCOLS: &[&str] = &["tcp", "udp", "icmp", "*"];

const fn col(key: &'static str, label: &'static str, cell: Cell) -> Column {
    Column { key, label, cell }
}

const NSG_RULE_COLUMNS: &[Column] = &[
    col("priority", "Priority", Cell::Number),
    col("name", "Name", Cell::Text),
    col("direction", "Direction", Cell::Choice(&["inbound", "outbound"])),
    col("access", "Access", Cell::Choice(&["allow", "deny"])),
    col("protocol", "Protocol", Cell::Choice(PROTOCOLS)),
    col("source", "Source", Cell::Text),
    col("sourcePorts", "Source ports", Cell::Text),
    col("destination", "Destination", Cell::Text),
    col("destinationPorts", "Destination ports", Cell::Text),
];
const FIREWALL_RULE_COLUMNS: &[Column] = &[
    col("name", "Name", Cell::Text),
    col("action", "Action", Cell::Choice(&["allow", "deny"])),
    col("protocol", "Protocol", Cell::Choice(PROTOCOLS)),
    col("source", "Source", Cell::Text),
    col("destination", "Destination", Cell::Text),
    col("destinationPorts", "Ports", Cell::Text),
];
const ROUTE_COLUMNS: &[Column] = &[
    col("name", "Name", Cell::Text),
    col("prefix", "Prefix", Cell::Text),
    col(
        "nextHop",
        "Next hop",
        Cell::Choice(&["virtualAppliance", "virtualNetworkGateway", "vnetLocal", "internet", "none"]),
    ),
    col("nextHopElement", "Appliance", Cell::Reference(&[ElementKind::Firewall, ElementKind::Nva])),
];
const DATA_DISK_COLUMNS: &[Column] = &[col("sku", "SKU", Cell::Text), col("count", "Disks", Cell::Number)];

impl Control {
    /// The columns of a table field; empty for other fields.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Control::NsgRules => NSG_RULE_COLUMNS,
            Control::FirewallRules => FIREWALL_RULE_COLUMNS,
            Control::Routes => ROUTE_COLUMNS,
            Control::DataDisks => DATA_DISK_COLUMNS,
            _ => &[],
        }
    }

    /// A row to add to a table field that already has `rows`: named and numbered so the
    /// table stays valid (NSG priorities unique, below the deny-all rules at 4096).
    pub fn new_row(self, rows: &[Value]) -> Value {
        let n = rows.len() + 1;
        match self {
            Control::NsgRules => {
                let highest = rows
                    .iter()
                    .filter_map(|r| r["priority"].as_u64())
                    .filter(|p| *p < 4000)
                    .max()
                    .map_or(100, |p| p + 10);
                serde_json::json!({
                    "name": format!("rule-{n}"), "priority": highest, "direction": "inbound", "access": "allow",
                    "protocol": "tcp", "source": "VirtualNetwork", "sourcePorts": "*", "destination": "*",
                    "destinationPorts": "443"
                })
            }
            Control::FirewallRules => serde_json::json!({
                "name": format!("rule-{n}"), "action": "allow", "protocol": "tcp", "source": "*",
                "destination": "*", "destinationPorts": "443"
            }),
            Control::Routes => {
                serde_json::json!({ "name": format!("route-{n}"), "prefix": "0.0.0.0/0", "nextHop": "none" })
            }
            Control::DataDisks => serde_json::json!({ "sku": "P30", "count": 1 }),
            _ => Value::Null,
        }
    }
}
