//! JSON Schema (draft 2020-12) of the design file format (SPEC §2).
//!
//! Built by hand from small helpers so it reads like the SPEC tables. It stays in sync with
//! the Rust types in two ways: the per-kind `match`es below are exhaustive (a new kind does
//! not compile without a branch), and every `default` is taken from the Rust `Default` of the
//! type rather than written twice. Unknown fields are allowed everywhere, as the format keeps
//! them (forward compatibility).

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::design::{CustomPrice, Governance, Meta, Rect, Suppression};
use crate::element::{DataDisks, DiskEncryption, Element, ElementKind, FirewallRule, NsgRule, Route};
use crate::format::{CURRENT_VERSION, FORMAT};
use crate::link::{Link, LinkKind};

/// Where the schema is published on the static site: the web app links to it there.
pub const SCHEMA_PATH: &str = "design.schema.json";

/// The schema as published in `web/design.schema.json`, which a test keeps equal to
/// [`json_schema`]: what `moat export --to json-schema` writes. The web app links to the
/// site's copy instead, so neither the text nor the code that builds it is in its download.
pub const PUBLISHED: &str = include_str!("../../../../web/design.schema.json");

/// The schema as pretty JSON text with a final newline (the content of `web/design.schema.json`).
pub fn json_schema() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema_value()).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema as a JSON value.
pub fn json_schema_value() -> Value {
    let elements: Vec<Value> = ElementKind::ALL.iter().map(|kind| element_branch(*kind)).collect();
    let links: Vec<Value> = LinkKind::ALL.iter().map(|kind| link_branch(*kind)).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Moat design",
        "description": "A Moat design file (format moat-design). Unknown fields are allowed: Moat keeps them.",
        "type": "object",
        "required": ["format", "version"],
        "properties": {
            "format": { "const": FORMAT },
            "version": {
                "type": "integer",
                "minimum": 1,
                "maximum": CURRENT_VERSION,
                "description": "Format version; older versions are migrated on load, newer ones refused."
            },
            "meta": with_defaults(meta(), &Meta::default()),
            "governance": with_defaults(governance(), &Governance::default()),
            "elements": { "type": "array", "items": { "$ref": "#/$defs/element" } },
            "links": { "type": "array", "items": { "$ref": "#/$defs/link" } },
            "suppressions": { "type": "array", "items": { "$ref": "#/$defs/suppression" } },
            "prices": { "type": "array", "items": { "$ref": "#/$defs/price" } },
            "usage": usage(),
            "layout": nullable(json!({
                "type": "object",
                "description": "Canvas boxes per element id; absent means laid out automatically.",
                "additionalProperties": { "$ref": "#/$defs/rect" }
            }))
        },
        "$defs": {
            "element": { "oneOf": elements },
            "link": { "oneOf": links },
            "suppression": with_defaults(suppression(), &Suppression::default()),
            "price": with_defaults(price(), &CustomPrice::default()),
            "rect": with_defaults(rect(), &Rect::default()),
            "nsgRule": with_defaults(nsg_rule(), &NsgRule::default()),
            "firewallRule": with_defaults(firewall_rule(), &FirewallRule::default()),
            "route": with_defaults(route(), &Route::default()),
            "dataDisks": with_defaults(data_disks(), &DataDisks::default()),
            "diskEncryption": with_defaults(disk_encryption(), &DiskEncryption::default())
        }
    })
}

// ---- helpers -----------------------------------------------------------------------------

/// An object schema with these properties; other properties are allowed.
fn object(properties: Vec<(&str, Value)>) -> Value {
    let properties: Map<String, Value> = properties.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    json!({ "type": "object", "properties": properties })
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn boolean() -> Value {
    json!({ "type": "boolean" })
}

fn number() -> Value {
    json!({ "type": "number" })
}

fn integer(min: u64, max: u64) -> Value {
    json!({ "type": "integer", "minimum": min, "maximum": max })
}

fn count() -> Value {
    integer(0, u64::from(u32::MAX))
}

fn port() -> Value {
    integer(0, u64::from(u16::MAX))
}

fn zones() -> Value {
    array(integer(0, u64::from(u8::MAX)))
}

fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

fn strings() -> Value {
    array(string())
}

fn choice(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

/// The id of another element (or link) of the design.
fn id_of(what: &str) -> Value {
    json!({ "type": ["string", "null"], "description": format!("The id of {what}.") })
}

/// An optional field: serde reads `null` as absent.
fn nullable(mut schema: Value) -> Value {
    match schema.get_mut("type") {
        Some(Value::String(kind)) => {
            let kind = kind.clone();
            schema["type"] = json!([kind, "null"]);
        }
        Some(_) => {}
        None => schema = json!({ "anyOf": [schema, { "type": "null" }] }),
    }
    schema
}

fn described(mut schema: Value, description: &str) -> Value {
    schema["description"] = Value::from(description);
    schema
}

/// Sets `default` on every property that the Rust type writes for its `Default` value.
fn with_defaults<T: Serialize>(mut schema: Value, default: &T) -> Value {
    let Ok(Value::Object(defaults)) = serde_json::to_value(default) else {
        return schema;
    };
    set_defaults(&mut schema, &defaults);
    schema
}

fn set_defaults(schema: &mut Value, defaults: &Map<String, Value>) {
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for (key, value) in defaults {
            if let Some(Value::Object(property)) = properties.get_mut(key) {
                property.insert("default".into(), value.clone());
            }
        }
    }
}

// ---- envelope parts ----------------------------------------------------------------------

fn meta() -> Value {
    object(vec![
        ("title", string()),
        ("sensitivity", choice(&["standard", "high"])),
        ("slaTarget", described(number(), "The availability the workload must reach, in percent.")),
        ("currency", described(string(), "ISO 4217 code the estimates are shown in.")),
    ])
}

fn governance() -> Value {
    object(vec![
        ("rbac", boolean()),
        ("pim", boolean()),
        ("policy", boolean()),
        ("blueprint", nullable(string())),
        ("defenderForServers", choice(&["off", "p1", "p2"])),
        ("monitor", boolean()),
        ("sentinel", boolean()),
        ("entraLogs", boolean()),
        ("logGbPerDay", nullable(number())),
    ])
}

/// The usage assumptions of the estimate: each optional, with its stated default.
fn usage() -> Value {
    let fields = crate::cost::Assumption::ALL.into_iter().filter_map(|assumption| {
        let name = assumption.path().strip_prefix("usage.")?;
        let label = assumption.label_in(crate::rules::i18n::Lang::En);
        let mut schema =
            described(nullable(number()), &format!("{label}; the estimate takes the stated default when absent."));
        schema["default"] = Value::from(assumption.default_value());
        Some((name, schema))
    });
    described(object(fields.collect()), "Usage the estimate assumes for the meters priced by use.")
}

fn suppression() -> Value {
    object(vec![
        ("rule", described(string(), "The rule id, e.g. ISO-01.")),
        ("target", described(string(), "The element or link the finding is on.")),
        ("reason", string()),
    ])
}

fn price() -> Value {
    object(vec![
        ("element", described(string(), "The element or link id.")),
        ("monthly", described(number(), "In the estimate's currency, per month.")),
        ("note", string()),
    ])
}

fn rect() -> Value {
    object(vec![("x", number()), ("y", number()), ("w", number()), ("h", number())])
}

/// NSG and firewall rules accept any capitalisation serde's aliases accept.
const RULE_PROTOCOLS: &[&str] = &["tcp", "Tcp", "TCP", "udp", "Udp", "UDP", "icmp", "Icmp", "ICMP", "*", "any", "Any"];

fn nsg_rule() -> Value {
    object(vec![
        ("name", string()),
        ("priority", integer(0, u64::from(u32::MAX))),
        ("direction", choice(&["inbound", "outbound"])),
        ("access", choice(&["allow", "deny"])),
        ("protocol", choice(RULE_PROTOCOLS)),
        ("source", string()),
        ("sourcePorts", string()),
        ("destination", string()),
        ("destinationPorts", string()),
    ])
}

fn firewall_rule() -> Value {
    object(vec![
        ("name", string()),
        ("action", choice(&["allow", "deny"])),
        ("protocol", choice(RULE_PROTOCOLS)),
        ("source", string()),
        ("destination", string()),
        ("destinationPorts", string()),
    ])
}

fn route() -> Value {
    object(vec![
        ("name", string()),
        ("prefix", string()),
        ("nextHop", choice(&["virtualAppliance", "virtualNetworkGateway", "vnetLocal", "internet", "none"])),
        ("nextHopElement", id_of("the firewall or NVA a virtualAppliance route sends to")),
    ])
}

fn data_disks() -> Value {
    object(vec![("sku", string()), ("count", count())])
}

fn disk_encryption() -> Value {
    object(vec![
        ("enabled", boolean()),
        ("kek", choice(&["none", "keyVault", "byok"])),
        ("keyVault", id_of("a keyVault")),
    ])
}

const SUBNET_ROLES: &[&str] =
    &["dmz", "web", "business", "data", "management", "gateway", "firewall", "bastion", "other"];

// ---- elements ----------------------------------------------------------------------------

/// The fields of an element kind, after the base record.
fn element_fields(kind: ElementKind) -> Vec<(&'static str, Value)> {
    use ElementKind::*;
    match kind {
        Region => vec![
            ("location", nullable(described(string(), "ARM location name, e.g. westeurope."))),
            ("zones", nullable(described(boolean(), "Availability zones; absent means as the region table says."))),
            ("pairedWith", nullable(described(string(), "The region pair; absent means as the region table says."))),
        ],
        OnPremises => vec![("addressSpace", strings()), ("hsm", boolean()), ("dns", boolean())],
        Internet | Asg | TrafficManager | FrontDoor => vec![],
        Vnet => vec![("addressSpace", strings()), ("ddosProtection", boolean())],
        Subnet => vec![
            ("prefix", nullable(string())),
            ("role", choice(SUBNET_ROLES)),
            ("nsg", id_of("an nsg")),
            ("routeTable", id_of("a routeTable")),
        ],
        Vm => vec![
            ("size", nullable(described(string(), "ARM size, e.g. Standard_D4s_v5."))),
            ("count", count()),
            ("zones", zones()),
            ("availabilitySet", boolean()),
            ("os", choice(&["linux", "windows"])),
            ("tier", nullable(described(choice(SUBNET_ROLES), "Absent means the role of the subnet."))),
            ("osDisk", string()),
            ("dataDisks", array(reference("dataDisks"))),
            ("diskEncryption", reference("diskEncryption")),
            ("backup", id_of("a recoveryVault")),
            ("publicIp", boolean()),
            ("nsg", id_of("a NIC-level nsg")),
            ("asgs", strings()),
            ("host", id_of("a dedicatedHost")),
            ("scaleSet", boolean()),
            ("autoscale", boolean()),
            ("jit", boolean()),
            ("antimalware", boolean()),
            ("patching", boolean()),
            ("tlsCerts", choice(&["keyVaultExtension", "manual", "none"])),
            ("privateIp", nullable(string())),
        ],
        DedicatedHost => vec![
            ("sku", nullable(described(string(), "Host SKU, e.g. Dsv5-Type1."))),
            ("zone", nullable(integer(0, u64::from(u8::MAX)))),
            ("count", count()),
        ],
        Nsg => vec![("rules", array(reference("nsgRule")))],
        RouteTable => vec![("routes", array(reference("route"))), ("disableGatewayPropagation", boolean())],
        Firewall => vec![
            ("tier", choice(&["basic", "standard", "premium"])),
            ("zones", zones()),
            ("rules", described(array(reference("firewallRule")), "Evaluated in order; no match means deny.")),
        ],
        Nva => vec![
            ("count", count()),
            ("zones", zones()),
            ("rules", array(reference("firewallRule"))),
            ("vendor", nullable(string())),
        ],
        VpnGateway | ExpressRouteGateway => vec![("sku", string())],
        Bastion => vec![("sku", choice(&["basic", "standard"]))],
        LoadBalancer => vec![("public", boolean()), ("backends", strings()), ("ports", array(port()))],
        AppGateway => {
            vec![("public", boolean()), ("waf", boolean()), ("backends", strings()), ("ports", array(port()))]
        }
        KeyVault => vec![
            ("sku", choice(&["standard", "premium", "managedHsm"])),
            ("softDelete", boolean()),
            ("purgeProtection", boolean()),
            ("keyBackup", boolean()),
            ("publicAccess", boolean()),
        ],
        RecoveryVault => vec![("keyVaultAccess", boolean())],
        PrivateDnsZone => vec![("zone", nullable(described(string(), "The DNS zone, e.g. contoso.internal.")))],
    }
}

fn element_branch(kind: ElementKind) -> Value {
    let mut properties = vec![
        ("id", described(string(), "Unique across elements and links.")),
        ("kind", json!({ "const": kind.as_str() })),
        ("name", nullable(described(string(), "Display name; the id when absent."))),
        ("parent", nullable(described(string(), "The id of the containing element."))),
    ];
    properties.extend(element_fields(kind));
    let mut branch = with_defaults(object(properties), &Element::new("", kind, None));
    strip_base_defaults(&mut branch);
    branch["title"] = Value::from(kind.as_str());
    branch["required"] = json!(["id", "kind"]);
    branch
}

// ---- links -------------------------------------------------------------------------------

fn link_fields(kind: LinkKind) -> Vec<(&'static str, Value)> {
    match kind {
        LinkKind::Peering => vec![
            ("allowForwardedTraffic", boolean()),
            ("gatewayTransit", described(boolean(), "When true, from's gateways serve to.")),
        ],
        LinkKind::Vpn => vec![("overExpressRoute", id_of("an expressRoute link the VPN runs over"))],
        LinkKind::ExpressRoute => {
            vec![("bandwidthMbps", count()), ("plan", choice(&["metered", "unlimited"])), ("premium", boolean())]
        }
        LinkKind::Flow => vec![
            ("protocol", choice(&["tcp", "udp", "icmp", "any", "*"])),
            ("port", nullable(port())),
            ("tls", boolean()),
        ],
        LinkKind::Replication => {
            vec![("technology", choice(&["sqlAlwaysOn", "oracleDataGuard", "mysql", "other"]))]
        }
        LinkKind::DnsLink => vec![],
    }
}

fn link_branch(kind: LinkKind) -> Value {
    let mut properties = vec![
        ("id", described(string(), "Unique across elements and links.")),
        ("kind", json!({ "const": kind.as_str() })),
        ("name", nullable(string())),
        ("from", described(string(), "The id of the element the link starts at.")),
        ("to", described(string(), "The id of the element the link ends at.")),
    ];
    properties.extend(link_fields(kind));
    let mut branch = with_defaults(object(properties), &Link::new("", kind, "", ""));
    strip_base_defaults(&mut branch);
    branch["title"] = Value::from(kind.as_str());
    branch["required"] = json!(["id", "kind", "from", "to"]);
    branch
}

/// The base record of a default element or link carries placeholder ids, not defaults.
fn strip_base_defaults(branch: &mut Value) {
    if let Some(Value::Object(properties)) = branch.get_mut("properties") {
        for key in ["id", "kind", "from", "to"] {
            if let Some(Value::Object(property)) = properties.get_mut(key) {
                property.remove("default");
            }
        }
    }
}
