//! Arbitrary designs: random elements of random kinds, parents among the generated ids
//! (or dangling, or themselves), field values of the right and the wrong shapes, random
//! links. Whatever loads goes through every analysis and every export without a panic.

use moat_model::cost::PriceBook;
use moat_model::element::ElementKind;
use moat_model::export::{self, Format};
use moat_model::format::load_value;
use moat_model::link::LinkKind;
use moat_model::{check, estimate, reach, rules};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Field names of SPEC §2, of every kind: each element gets a few, whatever its kind.
const FIELDS: &[&str] = &[
    "name",
    "location",
    "zones",
    "pairedWith",
    "addressSpace",
    "hsm",
    "dns",
    "ddosProtection",
    "prefix",
    "role",
    "nsg",
    "routeTable",
    "size",
    "count",
    "availabilitySet",
    "os",
    "tier",
    "osDisk",
    "dataDisks",
    "diskEncryption",
    "backup",
    "publicIp",
    "asgs",
    "host",
    "scaleSet",
    "autoscale",
    "jit",
    "tlsCerts",
    "privateIp",
    "sku",
    "zone",
    "rules",
    "routes",
    "disableGatewayPropagation",
    "vendor",
    "public",
    "waf",
    "backends",
    "ports",
    "softDelete",
    "purgeProtection",
    "keyBackup",
    "publicAccess",
    "keyVaultAccess",
];

const LINK_FIELDS: &[&str] = &[
    "allowForwardedTraffic",
    "gatewayTransit",
    "overExpressRoute",
    "bandwidthMbps",
    "plan",
    "premium",
    "protocol",
    "port",
    "tls",
    "technology",
];

/// Words that are meaningful somewhere: enum values, sizes, CIDRs, addresses, ports.
const WORDS: &[&str] = &[
    "westeurope",
    "northeurope",
    "eastus",
    "10.0.0.0/16",
    "10.0.1.0/24",
    "10.0.1.5/24",
    "0.0.0.0/0",
    "999.0.0.0/8",
    "10.0.1.4",
    "web",
    "data",
    "dmz",
    "gateway",
    "firewall",
    "bastion",
    "management",
    "Standard_D4s_v5",
    "Standard_E8s_v5",
    "Standard_B1s",
    "Dsv5-Type1",
    "premium",
    "standard",
    "basic",
    "managedHsm",
    "keyVault",
    "byok",
    "windows",
    "linux",
    "P30",
    "VpnGw1AZ",
    "ErGw1AZ",
    "*",
    "443",
    "1000-2000",
    "80,443",
    "Internet",
    "VirtualNetwork",
    "asg:a0",
    "el:e1",
    "tcp",
    "udp",
    "any",
    "virtualAppliance",
    "<script>alert(1)</script>",
    "",
];

fn id(n: usize) -> String {
    format!("e{n}")
}

/// A JSON value: often of a useful shape (a word, a number, a list of them, a rule),
/// sometimes anything at all.
fn value(ids: usize) -> impl Strategy<Value = Value> {
    let word = prop::sample::select(WORDS).prop_map(Value::from);
    let reference = (0..ids + 2).prop_map(|n| Value::from(id(n)));
    let number = prop_oneof![
        (0u64..5).prop_map(Value::from),
        (-3i64..70_000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::num::f64::NORMAL.prop_map(Value::from),
    ];
    let scalar = prop_oneof![
        3 => word,
        2 => reference.clone(),
        2 => number,
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
    ];
    let nsg_rule = (
        prop::sample::select(&["inbound", "outbound", "sideways"][..]),
        prop::sample::select(&["allow", "deny"][..]),
        prop::sample::select(WORDS),
        prop::sample::select(WORDS),
        prop::sample::select(WORDS),
        0i64..5000,
    )
        .prop_map(|(direction, access, source, destination, ports, priority)| {
            json!({ "name": "r", "priority": priority, "direction": direction, "access": access,
                    "action": access, "protocol": "*", "source": source, "sourcePorts": "*",
                    "destination": destination, "destinationPorts": ports })
        });
    let route = (prop::sample::select(WORDS), prop::sample::select(WORDS), reference.clone()).prop_map(
        |(prefix, hop, element)| json!({ "name": "r", "prefix": prefix, "nextHop": hop, "nextHopElement": element }),
    );
    prop_oneof![
        4 => scalar.clone(),
        2 => prop::collection::vec(scalar.clone(), 0..4).prop_map(Value::from),
        1 => prop::collection::vec(nsg_rule, 0..4).prop_map(Value::from),
        1 => prop::collection::vec(route, 0..3).prop_map(Value::from),
        1 => (any::<bool>(), prop::sample::select(WORDS), reference)
            .prop_map(|(enabled, kek, vault)| json!({ "enabled": enabled, "kek": kek, "keyVault": vault })),
        1 => (prop::sample::select(WORDS), 0u64..4).prop_map(|(sku, count)| json!([{ "sku": sku, "count": count }])),
    ]
}

/// An element of a random kind whose parent is another generated id, a dangling one, itself or none.
fn element(n: usize, ids: usize) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(ElementKind::ALL.to_vec()),
        prop::option::of(0..ids + 2),
        // Mostly few fields, so that a fair share of the designs loads and reaches the analyses.
        prop_oneof![
            2 => Just(Vec::new()),
            3 => prop::collection::vec((prop::sample::select(FIELDS), value(ids)), 0..5),
        ],
    )
        .prop_map(move |(kind, parent, fields)| {
            let mut element = json!({ "id": id(n), "kind": kind.as_str() });
            if let Some(parent) = parent {
                element["parent"] = Value::from(id(parent));
            }
            for (field, value) in fields {
                element[field] = value;
            }
            element
        })
}

fn link(n: usize, ids: usize) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(LinkKind::ALL.to_vec()),
        0..ids + 2,
        0..ids + 2,
        prop::collection::vec((prop::sample::select(LINK_FIELDS), value(ids)), 0..3),
    )
        .prop_map(move |(kind, from, to, fields)| {
            let mut link = json!({ "id": format!("l{n}"), "kind": kind.to_string(), "from": id(from), "to": id(to) });
            for (field, value) in fields {
                link[field] = value;
            }
            link
        })
}

fn design() -> impl Strategy<Value = Value> {
    (1usize..=25, 0usize..8)
        .prop_flat_map(|(elements, links)| {
            let elements_strategy: Vec<_> = (0..elements).map(|n| element(n, elements)).collect();
            let links_strategy: Vec<_> = (0..links).map(|n| link(n, elements)).collect();
            (elements_strategy, links_strategy, any::<bool>(), prop::option::of(0..elements + 1))
        })
        .prop_map(|(elements, links, high, suppressed)| {
            let mut document = json!({
                "format": "moat-design", "version": 1,
                "meta": { "sensitivity": if high { "high" } else { "standard" } },
                "elements": elements, "links": links,
            });
            if let Some(target) = suppressed {
                document["suppressions"] = json!([{ "rule": "NET-01", "target": id(target), "reason": "test" }]);
            }
            document
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn whatever_loads_survives_every_analysis_and_export(document in design()) {
        let Ok(loaded) = load_value(document) else { return Ok(()) };
        let design = &loaded.design;
        let _ = check(design);
        let _ = rules::validate(design);
        let _ = reach::matrix(design, None);
        let book = PriceBook::builtin();
        let _ = estimate::estimate(design, &book);
        for format in Format::ALL {
            let _ = export::export(design, *format, &book);
        }
    }
}
