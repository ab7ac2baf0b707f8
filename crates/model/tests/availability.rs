//! The availability estimate (SPEC §6) on designs whose numbers are worked out by hand, and
//! the SLA table in assets/sla.json.

mod common;

use moat_model::Design;
use moat_model::availability::{Availability, MINUTES_PER_MONTH, Placement, USED_SLAS, availability, sla_table};
use serde_json::{Value, json};

/// Percent as the estimate reports it (6 decimals).
fn percent(fraction: f64) -> f64 {
    (fraction * 100.0 * 1_000_000.0).round() / 1_000_000.0
}

fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-6, "{actual} != {expected}");
}

fn design(elements: Value, links: Value) -> Design {
    let document = json!({
        "format": "moat-design",
        "version": 1,
        "meta": { "title": "availability", "sensitivity": "high", "slaTarget": 99.9 },
        "elements": elements,
        "links": links,
    });
    moat_model::format::load_value(document).unwrap().design
}

/// One region with one VNet and a subnet per role given, plus `extra` elements.
fn region(location: &str, extra: Value) -> Vec<Value> {
    let mut elements = vec![
        json!({ "id": "r", "kind": "region", "location": location }),
        json!({ "id": "net", "kind": "vnet", "parent": "r", "addressSpace": ["10.0.0.0/16"] }),
        json!({ "id": "web-snet", "kind": "subnet", "parent": "net", "prefix": "10.0.1.0/24", "role": "web" }),
        json!({ "id": "data-snet", "kind": "subnet", "parent": "net", "prefix": "10.0.3.0/24", "role": "data" }),
        json!({ "id": "gw-snet", "kind": "subnet", "parent": "net", "prefix": "10.0.0.0/27", "role": "gateway" }),
        json!({ "id": "fw-snet", "kind": "subnet", "parent": "net", "prefix": "10.0.2.0/26", "role": "firewall" }),
    ];
    elements.extend(extra.as_array().unwrap().iter().cloned());
    elements
}

fn vm(id: &str, subnet: &str, fields: Value) -> Value {
    let mut vm = json!({ "id": id, "kind": "vm", "parent": subnet });
    vm.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    vm
}

#[test]
fn the_sla_table_loads_with_sources_and_dates_for_everything_the_model_uses() {
    let table = sla_table();
    assert!(table.description.contains("Service Level Agreements"));
    for id in USED_SLAS {
        let entry = table.get(id).unwrap_or_else(|| panic!("{id} is missing from assets/sla.json"));
        assert!(entry.sla > 0.0 && entry.sla <= 100.0, "{id}: {}", entry.sla);
        assert!(entry.source.starts_with("https://") && entry.source.contains("microsoft.com"), "{id}");
        let date = entry.checked.as_bytes();
        assert!(date.len() == 10 && date[4] == b'-' && date[7] == b'-', "{id}: checked {}", entry.checked);
        assert!(!entry.service.is_empty() && !entry.condition.is_empty(), "{id}");
    }
    let figures: Vec<(&str, f64)> =
        ["vm-multi-zone", "vm-availability-set", "vm-single-premium", "firewall-multi-zone"]
            .iter()
            .map(|id| (*id, table.get(id).unwrap().sla))
            .collect();
    assert_eq!(
        figures,
        [
            ("vm-multi-zone", 99.99),
            ("vm-availability-set", 99.95),
            ("vm-single-premium", 99.9),
            ("firewall-multi-zone", 99.99)
        ]
    );
}

#[test]
fn the_clean_base_design_composes_its_tiers_and_expressroute_with_vpn_failover() {
    let design = common::design("rules/clean.moat.json");
    let estimate = availability(&design);
    // Three tiers over two zones (99.99%), each behind a Standard load balancer (99.99%).
    let workload = 0.9999_f64.powi(6);
    // ExpressRoute (circuit × gateway) or the VPN failover (its gateway); the VPN over
    // ExpressRoute needs both, so it adds nothing.
    let expressroute = 0.9995 * 0.9995;
    let connectivity = 1.0 - (1.0 - expressroute) * (1.0 - 0.9995);
    close(estimate.composite, percent(workload * connectivity));
    assert!(estimate.meets_target, "{:?}", estimate.basis);
    let web = &estimate.tiers["web"];
    assert_eq!(
        (web.sla, web.placement, web.front.as_deref(), web.on_path),
        (99.99, Placement::Zones, Some("web-lb"), true)
    );
    // The spoke's default route goes to the firewall, but traffic to on-premises and between
    // tiers does not: the firewall is off the request path.
    let firewall = estimate.services.iter().find(|s| s.element == "fw").unwrap();
    assert_eq!((firewall.sla, firewall.on_path), (99.99, false));
    assert!(!estimate.services.iter().find(|s| s.element == "kv").unwrap().on_path);
    assert_eq!(estimate.entries.len(), 1);
    assert_eq!(estimate.entries[0].entry, "dc");
}

#[test]
fn a_single_vm_gets_the_sla_of_its_weakest_disk() {
    for (os, data, expected) in [("P10", "P30", 99.9), ("E10", "P30", 99.5), ("P10", "S30", 95.0), ("X9", "P30", 95.0)]
    {
        let elements = region(
            "westeurope",
            json!([vm("app", "web-snet", json!({ "osDisk": os, "dataDisks": [{ "sku": data, "count": 1 }] }))]),
        );
        let estimate = availability(&design(json!(elements), json!([])));
        assert_eq!(estimate.tiers["app"].placement, Placement::SingleInstance);
        close(estimate.composite, expected);
        close(
            estimate.downtime_minutes_per_month,
            ((1.0 - expected / 100.0) * MINUTES_PER_MONTH * 100.0).round() / 100.0,
        );
    }
}

#[test]
fn vm_placement_follows_the_vm_sla() {
    let cases = [
        // Two zones in a zoned region.
        ("westeurope", json!({ "count": 2, "zones": [1, 2] }), 99.99, Placement::Zones),
        // Zones listed in a region without zones do not count; the availability set does.
        ("westus", json!({ "count": 2, "zones": [1, 2], "availabilitySet": true }), 99.95, Placement::AvailabilitySet),
        // One zone only: no multi-instance SLA, counted as one instance with premium disks.
        ("westeurope", json!({ "count": 3, "zones": [1, 1] }), 99.9, Placement::SingleInstance),
        ("westeurope", json!({ "count": 0 }), 0.0, Placement::NoInstances),
    ];
    for (location, fields, expected, placement) in cases {
        let estimate =
            availability(&design(json!(region(location, json!([vm("app", "web-snet", fields)]))), json!([])));
        assert_eq!(estimate.tiers["app"].placement, placement, "{location}");
        close(estimate.tiers["app"].sla, expected);
        close(estimate.composite, expected);
    }
}

#[test]
fn a_dedicated_host_group_counts_like_an_availability_set() {
    let elements = region(
        "westus",
        json!([
            { "id": "host", "kind": "dedicatedHost", "parent": "r", "sku": "Dsv5-Type1", "count": 2 },
            vm("app", "web-snet", json!({ "count": 2, "host": "host" })),
            { "id": "lb", "kind": "loadBalancer", "parent": "web-snet", "backends": ["app"] },
        ]),
    );
    let estimate = availability(&design(json!(elements), json!([])));
    assert_eq!(estimate.tiers["app"].placement, Placement::HostGroup);
    close(estimate.tiers["app"].with_front, percent(0.9995 * 0.9999));
    close(estimate.composite, percent(0.9995 * 0.9999));
}

fn hybrid(links: Value, vpn_sku: &str) -> Availability {
    let elements = region(
        "westeurope",
        json!([
            { "id": "dc", "kind": "onPremises", "addressSpace": ["192.168.0.0/16"] },
            { "id": "ergw", "kind": "expressRouteGateway", "parent": "gw-snet" },
            { "id": "vpngw", "kind": "vpnGateway", "parent": "gw-snet", "sku": vpn_sku },
            vm("app", "web-snet", json!({ "count": 2, "zones": [1, 2] })),
        ]),
    );
    availability(&design(json!(elements), links))
}

#[test]
fn hybrid_links_compose_in_series_and_as_failover_pairs() {
    let er = json!({ "id": "er", "kind": "expressRoute", "from": "dc", "to": "ergw" });
    let vpn = json!({ "id": "vpn", "kind": "vpn", "from": "dc", "to": "vpngw" });
    let vpn2 = json!({ "id": "vpn2", "kind": "vpn", "from": "dc", "to": "vpngw" });
    let over = json!({ "id": "over", "kind": "vpn", "from": "dc", "to": "vpngw", "overExpressRoute": "er" });
    let tier = 0.9999;
    let circuit = 0.9995 * 0.9995;
    // ExpressRoute alone: circuit and gateway in series.
    close(hybrid(json!([er.clone()]), "VpnGw1AZ").composite, percent(circuit * tier));
    // ExpressRoute with VPN failover: a redundant pair.
    let pair = 1.0 - (1.0 - circuit) * (1.0 - 0.9995);
    close(hybrid(json!([er.clone(), vpn.clone()]), "VpnGw1AZ").composite, percent(pair * tier));
    // VPN over ExpressRoute: the tunnel needs the circuit, its gateway and the VPN gateway,
    // but the circuit is a way in by itself; encryption adds no redundancy and takes none away.
    close(hybrid(json!([er.clone(), over]), "VpnGw1AZ").composite, percent(circuit * tier));
    // Two tunnels on one gateway: the shared gateway stays a single point of failure.
    close(hybrid(json!([vpn.clone(), vpn2]), "VpnGw1AZ").composite, percent(0.9995 * tier));
    // A Basic VPN gateway has the lower SLA.
    close(hybrid(json!([vpn]), "Basic").composite, percent(0.999 * tier));
}

#[test]
fn a_firewall_that_routes_send_requests_through_is_on_the_path() {
    let elements = region(
        "westeurope",
        json!([
            { "id": "dc", "kind": "onPremises", "addressSpace": ["192.168.0.0/16"] },
            { "id": "vpngw", "kind": "vpnGateway", "parent": "gw-snet" },
            { "id": "fw", "kind": "firewall", "parent": "fw-snet", "zones": [] },
            { "id": "rt-gw", "kind": "routeTable", "parent": "r",
              "routes": [{ "name": "web", "prefix": "10.0.1.0/24", "nextHop": "virtualAppliance", "nextHopElement": "fw" }] },
            vm("app", "web-snet", json!({ "count": 2, "zones": [1, 2] })),
        ]),
    );
    let mut elements = elements;
    for element in &mut elements {
        if element["id"] == "gw-snet" {
            element["routeTable"] = json!("rt-gw");
        }
    }
    let links = json!([{ "id": "vpn", "kind": "vpn", "from": "dc", "to": "vpngw" }]);
    let estimate = availability(&design(json!(elements), links));
    // VPN gateway × firewall in one zone × the tier.
    close(estimate.composite, percent(0.9995 * 0.9995 * 0.9999));
    assert!(estimate.services.iter().find(|s| s.element == "fw").unwrap().on_path);
}

fn two_regions(replicated: bool) -> Availability {
    let elements = json!([
        { "id": "weu", "kind": "region", "location": "westeurope" },
        { "id": "a", "kind": "vnet", "parent": "weu", "addressSpace": ["10.1.0.0/16"] },
        { "id": "a-data", "kind": "subnet", "parent": "a", "prefix": "10.1.3.0/24", "role": "data" },
        vm("db-a", "a-data", json!({ "count": 2, "zones": [1, 2] })),
        { "id": "neu", "kind": "region", "location": "northeurope" },
        { "id": "b", "kind": "vnet", "parent": "neu", "addressSpace": ["10.2.0.0/16"] },
        { "id": "b-data", "kind": "subnet", "parent": "b", "prefix": "10.2.3.0/24", "role": "data" },
        vm("db-b", "b-data", json!({ "count": 2, "zones": [1, 2] })),
    ]);
    let links = if replicated {
        json!([{ "id": "repl", "kind": "replication", "from": "db-a", "to": "db-b", "technology": "sqlAlwaysOn" }])
    } else {
        json!([])
    };
    availability(&design(elements, links))
}

#[test]
fn replicated_regions_fail_over_and_unreplicated_ones_are_all_needed() {
    close(two_regions(true).composite, percent(1.0 - (1.0 - 0.9999_f64).powi(2)));
    close(two_regions(false).composite, percent(0.9999 * 0.9999));
}

#[test]
fn internet_users_pass_front_door_and_the_public_front() {
    let elements = region(
        "westeurope",
        json!([
            { "id": "fd", "kind": "frontDoor" },
            { "id": "agw", "kind": "appGateway", "parent": "web-snet", "public": true, "backends": ["app"] },
            vm("app", "web-snet", json!({ "count": 2, "zones": [1, 2] })),
            // A management VM is off the request path.
            { "id": "mgmt-snet", "kind": "subnet", "parent": "net", "prefix": "10.0.9.0/24", "role": "management" },
            vm("jump", "mgmt-snet", json!({ "count": 1 })),
        ]),
    );
    let estimate = availability(&design(json!(elements), json!([])));
    close(estimate.composite, percent(0.9999 * 0.9995 * 0.9999));
    assert_eq!(estimate.entries[0].entry, "internet");
    assert!(!estimate.tiers["jump"].on_path);
    assert_eq!(estimate.weakest.as_deref(), Some("agw"));
}

#[test]
fn the_estimate_serialises_as_spec_section_3_says() {
    let estimate = availability(&common::design("rules/clean.moat.json"));
    let value = serde_json::to_value(&estimate).unwrap();
    assert!(value["composite"].is_f64());
    assert_eq!(value["tiers"]["db"]["sla"], json!(99.99));
    assert!(value["downtimeMinutesPerMonth"].is_f64());
    assert!(value["basis"].as_array().is_some_and(|b| !b.is_empty()));
}

#[test]
fn an_empty_or_half_drawn_design_gets_an_estimate() {
    let empty = availability(&Design::default());
    close(empty.composite, 100.0);
    // A VM with no subnet, a link to nowhere, a load balancer naming a missing VM.
    let odd = design(
        json!([
            { "id": "lost", "kind": "vm", "count": 2, "zones": [1, 2] },
            { "id": "dc", "kind": "onPremises" },
        ]),
        json!([{ "id": "er", "kind": "expressRoute", "from": "dc", "to": "nowhere" }]),
    );
    close(availability(&odd).composite, 99.99);
}

/// Two applications, each in its own VNet with its own declared flows.
fn two_applications(extra_links: Value) -> Availability {
    let elements = json!([
        { "id": "weu", "kind": "region", "location": "westeurope" },
        { "id": "a", "kind": "vnet", "parent": "weu", "addressSpace": ["10.1.0.0/16"] },
        { "id": "a-web", "kind": "subnet", "parent": "a", "prefix": "10.1.1.0/24", "role": "web" },
        { "id": "a-data", "kind": "subnet", "parent": "a", "prefix": "10.1.3.0/24", "role": "data" },
        vm("web-a", "a-web", json!({ "count": 2, "zones": [1, 2] })),
        vm("db-a", "a-data", json!({ "count": 2, "zones": [1, 2] })),
        { "id": "b", "kind": "vnet", "parent": "weu", "addressSpace": ["10.2.0.0/16"] },
        { "id": "b-web", "kind": "subnet", "parent": "b", "prefix": "10.2.1.0/24", "role": "web" },
        { "id": "b-data", "kind": "subnet", "parent": "b", "prefix": "10.2.3.0/24", "role": "data" },
        // A single instance with premium disks: 99.9%.
        vm("web-b", "b-web", json!({ "count": 1 })),
        vm("db-b", "b-data", json!({ "count": 2, "zones": [1, 2] })),
    ]);
    let mut links = vec![
        json!({ "id": "fa", "kind": "flow", "from": "web-a", "to": "db-a", "port": 1433 }),
        json!({ "id": "fb", "kind": "flow", "from": "web-b", "to": "db-b", "port": 1433 }),
    ];
    links.extend(extra_links.as_array().unwrap().iter().cloned());
    availability(&design(elements, json!(links)))
}

#[test]
fn independent_applications_are_composed_apart_and_the_weakest_decides() {
    let estimate = two_applications(json!([]));
    // Not all four tiers in series: each application on its own, the weaker one reported.
    close(estimate.composite, percent(0.999 * 0.9999));
    let workloads: Vec<(Vec<&str>, f64)> =
        estimate.workloads.iter().map(|w| (w.tiers.iter().map(String::as_str).collect(), w.availability)).collect();
    assert_eq!(workloads.len(), 2, "{workloads:?}");
    assert_eq!(workloads[0].0, ["web-a", "db-a"]);
    close(workloads[0].1, percent(0.9999 * 0.9999));
    assert_eq!(workloads[1].0, ["web-b", "db-b"]);
    close(workloads[1].1, percent(0.999 * 0.9999));
    assert_eq!(estimate.weakest.as_deref(), Some("web-b"));
    assert!(estimate.basis.iter().any(|b| b.starts_with("Workloads:")), "{:?}", estimate.basis);
    // A flow between the applications makes them one workload: every tier counts in series.
    let joined = two_applications(json!([{ "id": "ab", "kind": "flow", "from": "db-a", "to": "web-b", "port": 443 }]));
    assert_eq!(joined.workloads.len(), 1);
    close(joined.composite, percent(0.9999_f64.powi(3) * 0.999));
}

#[test]
fn tiers_no_flow_names_are_one_workload_with_all_of_them_needed() {
    // Only web-a and db-a are joined by a flow; web-b and db-b, named by none, count together.
    let estimate = {
        let document = json!({
            "format": "moat-design", "version": 1,
            "meta": { "title": "availability", "sensitivity": "high", "slaTarget": 99.9 },
            "elements": [
                { "id": "weu", "kind": "region", "location": "westeurope" },
                { "id": "a", "kind": "vnet", "parent": "weu", "addressSpace": ["10.1.0.0/16"] },
                { "id": "a-web", "kind": "subnet", "parent": "a", "prefix": "10.1.1.0/24", "role": "web" },
                vm("web-a", "a-web", json!({ "count": 2, "zones": [1, 2] })),
                vm("db-a", "a-web", json!({ "count": 2, "zones": [1, 2], "tier": "data" })),
                vm("web-b", "a-web", json!({ "count": 1 })),
                vm("db-b", "a-web", json!({ "count": 1, "tier": "data" })),
            ],
            "links": [{ "id": "fa", "kind": "flow", "from": "web-a", "to": "db-a", "port": 1433 }],
        });
        availability(&moat_model::format::load_value(document).unwrap().design)
    };
    let tiers: Vec<Vec<&str>> =
        estimate.workloads.iter().map(|w| w.tiers.iter().map(String::as_str).collect()).collect();
    assert_eq!(tiers, [vec!["web-a", "db-a"], vec!["web-b", "db-b"]]);
    close(estimate.composite, percent(0.999 * 0.999));
}
