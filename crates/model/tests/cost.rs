//! Cost estimates from the price book.

mod common;

use common::example;
use moat_model::cost::{Assumption, AssumptionUsed, HOURS_PER_MONTH, Imported, PriceBook, estimate_cost};
use moat_model::format::load_value;
use serde_json::json;

fn design(elements: serde_json::Value, links: serde_json::Value) -> moat_model::Design {
    load_value(json!({ "format": "moat-design", "version": 1, "elements": elements, "links": links })).unwrap().design
}

fn two_vms(extra: serde_json::Value) -> moat_model::Design {
    let mut vm = json!({ "id": "app", "kind": "vm", "parent": "snet", "size": "Standard_D4s_v5", "count": 2 });
    vm.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    design(
        json!([
            { "id": "weu", "kind": "region", "location": "westeurope" },
            { "id": "vnet", "kind": "vnet", "parent": "weu", "addressSpace": ["10.0.0.0/16"] },
            { "id": "snet", "kind": "subnet", "parent": "vnet", "prefix": "10.0.1.0/24" },
            vm,
            { "id": "host", "kind": "dedicatedHost", "parent": "weu", "sku": "Dsv5-Type1", "count": 1 }
        ]),
        json!([]),
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.006
}

#[test]
fn the_builtin_book_has_both_regions_and_real_prices() {
    let book = PriceBook::builtin();
    assert_eq!(book.regions().collect::<Vec<_>>(), ["northeurope", "westeurope"]);
    // The README of the price data quotes D4s v5 Linux at 0.23/h (savings plan 0.1748/h).
    let estimate = estimate_cost(&two_vms(json!({})), &book);
    let compute = estimate.items.iter().find(|i| i.what.starts_with("compute")).unwrap();
    assert!(close(compute.monthly.unwrap(), 0.23 * HOURS_PER_MONTH * 2.0));
    assert!(close(compute.savings_plan_monthly.unwrap(), 0.1748 * HOURS_PER_MONTH * 2.0));
    assert!(compute.source.contains("westeurope"), "{}", compute.source);
    let disks = estimate.items.iter().find(|i| i.what.starts_with("disks")).unwrap();
    assert!(close(disks.monthly.unwrap(), 21.68 * 2.0), "two P10 OS disks");
    let host = estimate.items.iter().find(|i| i.element == "host").unwrap();
    assert!(close(host.monthly.unwrap(), 6.325 * HOURS_PER_MONTH), "Dsv5 Type1 at 6.325/h");
}

#[test]
fn vms_on_a_dedicated_host_are_not_charged_for_compute() {
    let estimate = estimate_cost(&two_vms(json!({ "host": "host" })), &PriceBook::builtin());
    assert!(!estimate.items.iter().any(|i| i.element == "app" && i.what.starts_with("compute")));
    assert!(estimate.items.iter().any(|i| i.element == "host"));
}

#[test]
fn unknown_prices_are_listed_never_counted_as_zero() {
    let estimate = estimate_cost(&two_vms(json!({ "size": "Standard_Imaginary_v9" })), &PriceBook::builtin());
    let compute = estimate.items.iter().find(|i| i.what.starts_with("compute")).unwrap();
    assert_eq!(compute.monthly, None);
    assert_eq!(estimate.unpriced, ["app"]);
    let known: f64 = estimate.items.iter().filter_map(|i| i.monthly).sum();
    assert!(close(estimate.monthly_total, known));
}

#[test]
fn an_imported_retail_prices_export_overrides_the_book() {
    let mut book = PriceBook::builtin();
    let export = json!({ "BillingCurrency": "USD", "Items": [
        { "currencyCode": "USD", "retailPrice": 0.30, "unitPrice": 0.30, "armRegionName": "westeurope", "meterName": "D4s v5",
          "productName": "Virtual Machines Dsv5 Series", "skuName": "D4s v5", "serviceName": "Virtual Machines",
          "unitOfMeasure": "1 Hour", "type": "Consumption", "armSkuName": "Standard_D4s_v5", "effectiveStartDate": "2026-10-01T00:00:00Z" },
        { "retailPrice": 0.09, "armRegionName": "westeurope", "meterName": "D4s v5 Spot", "productName": "Virtual Machines Dsv5 Series",
          "skuName": "D4s v5 Spot", "serviceName": "Virtual Machines", "unitOfMeasure": "1 Hour", "type": "Consumption", "armSkuName": "Standard_D4s_v5" }
    ] });
    let imported = book.import("prices.json", &export.to_string()).unwrap();
    assert_eq!((imported.used, imported.not_pay_as_you_go, imported.ignored()), (1, 1, 1), "Spot prices are left out");
    let estimate = estimate_cost(&two_vms(json!({})), &book);
    let compute = estimate.items.iter().find(|i| i.what.starts_with("compute")).unwrap();
    assert!(close(compute.monthly.unwrap(), 0.30 * HOURS_PER_MONTH * 2.0));
    assert!(compute.source.contains("imported from prices.json"), "{}", compute.source);

    assert_eq!(
        book.import("bad.json", "{ nope"),
        Err("bad.json: not valid JSON: key must be a string at line 1 column 3".into())
    );
    assert_eq!(
        book.import("other.json", "{}"),
        Err("other.json: not an Azure Retail Prices export (no \"Items\" list)".into())
    );
}

#[test]
fn the_example_costs_what_its_parts_cost() {
    let estimate = estimate_cost(&example(), &PriceBook::builtin());
    insta::assert_json_snapshot!(estimate);
}

#[test]
fn an_export_in_another_currency_replaces_the_book_and_units_are_understood() {
    let mut book = PriceBook::builtin();
    let export = json!({ "BillingCurrency": "EUR", "Items": [
        { "currencyCode": "EUR", "retailPrice": 0.21, "armRegionName": "westeurope", "productName": "Virtual Machines Dsv5 Series",
          "skuName": "D4s v5", "meterName": "D4s v5", "serviceName": "Virtual Machines", "unitOfMeasure": "1 Hour", "armSkuName": "Standard_D4s_v5" },
        { "currencyCode": "EUR", "retailPrice": 20.0, "armRegionName": "westeurope", "productName": "Premium SSD Managed Disks",
          "skuName": "P10 LRS", "meterName": "P10 LRS Disk", "serviceName": "Storage", "unitOfMeasure": "1/Month" },
        { "currencyCode": "EUR", "retailPrice": 0.01, "armRegionName": "westeurope", "productName": "Bandwidth",
          "skuName": "Standard", "meterName": "Data Transfer Out", "serviceName": "Bandwidth", "unitOfMeasure": "1 GB" }
    ] });
    let imported = book.import("eur.json", &export.to_string()).unwrap();
    assert_eq!((imported.used, imported.not_used), (2, 1), "a meter the estimate does not price is passed over");
    assert_eq!(book.currency(), "EUR");
    let estimate = estimate_cost(&two_vms(json!({})), &book);
    assert_eq!(estimate.currency, "EUR");
    let compute = estimate.items.iter().find(|i| i.what.starts_with("compute")).unwrap();
    assert!(close(compute.monthly.unwrap(), 0.21 * HOURS_PER_MONTH * 2.0));
    assert_eq!(compute.savings_plan_monthly, None, "no USD savings plan mixed into EUR");
    let host = estimate.items.iter().find(|i| i.element == "host").unwrap();
    assert_eq!(host.monthly, None, "the USD host price is not used in a EUR book");
}

#[test]
fn a_malformed_export_leaves_the_prices_in_use() {
    let mut book = PriceBook::builtin();
    let before = estimate_cost(&two_vms(json!({})), &book);
    assert!(book.import("empty.json", r#"{ "Items": [] }"#).is_err());
    assert!(book.import("broken.json", "{").is_err());
    assert_eq!(estimate_cost(&two_vms(json!({})), &book), before);
}

#[test]
fn prices_entered_by_the_authors_stand_in_for_unknown_ones() {
    let mut design = example();
    design.prices.push(moat_model::design::CustomPrice {
        element: "web-lb".into(),
        monthly: 18.25,
        note: "5 rules at 0.025/h".into(),
        extra: Default::default(),
    });
    let estimate = estimate_cost(&design, &PriceBook::builtin());
    let lb = estimate.items.iter().find(|i| i.element == "web-lb").unwrap();
    assert_eq!((lb.monthly, lb.source.as_str()), (Some(18.25), "entered by the authors: 5 rules at 0.025/h"));
    assert!(!estimate.unpriced.contains(&"web-lb".to_owned()));
}

#[test]
fn key_vault_keys_log_ingestion_and_tiers_are_priced() {
    let mut design = example();
    design.governance.log_gb_per_day = Some(2.0);
    let estimate = estimate_cost(&design, &PriceBook::builtin());
    let keys = estimate.items.iter().find(|i| i.element == "kv").unwrap();
    assert_eq!((keys.what.as_str(), keys.monthly), ("HSM-protected keys: 3", Some(3.0)));
    // Ingestion is tiered: the first 5 GB of the month are free, the rest 2.99 USD a GB.
    let logs = estimate.items.iter().find(|i| i.what.starts_with("Log Analytics ingestion")).unwrap();
    assert_eq!(logs.what, "Log Analytics ingestion: 2 GB a day");
    assert!(close(logs.monthly.unwrap(), 2.99 * (2.0 * HOURS_PER_MONTH / 24.0 - 5.0)), "{logs:?}");
    assert!(!estimate.unpriced.contains(&"design".to_owned()));
    // The web tier: two D4s v5 and two P10 disks.
    assert!(close(estimate.tiers["web"], 0.23 * HOURS_PER_MONTH * 2.0 + 21.68 * 2.0));
}

#[test]
fn the_price_book_files_read_as_the_built_in_book_and_a_broken_one_is_named() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/prices");
    let read = |name: &str| std::fs::read_to_string(root.join(name)).unwrap();
    let (vm_and_disk, services) = (read("vm-and-disk.json"), read("services.json"));
    let book = PriceBook::from_files(&vm_and_disk, &services).unwrap();
    let design = moat_model::templates::instantiate("hub-spoke-dmz").unwrap();
    let builtin = PriceBook::builtin();
    let total = estimate_cost(&design, &book).monthly_total;
    assert!(total > 1000.0, "{total}");
    assert_eq!(total, estimate_cost(&design, &builtin).monthly_total);
    let broken = PriceBook::from_files("{", &services).unwrap_err();
    assert!(broken.starts_with("vm-and-disk.json: not valid JSON"), "{broken}");
}

#[test]
fn an_empty_book_knows_no_price() {
    let design = moat_model::templates::instantiate("n-tier").unwrap();
    let cost = estimate_cost(&design, &PriceBook::empty());
    assert_eq!(cost.monthly_total, 0.0);
    assert_eq!(cost.currency, "USD");
    assert!(!cost.unpriced.is_empty());
}

#[test]
fn the_inspector_offers_every_size_priced_where_the_vm_runs() {
    use moat_model::cost::size_choices;
    let design = example();
    let book = PriceBook::builtin();
    let choices = size_choices(&design, &book, "web");
    assert!(choices.len() > 100, "{}", choices.len());
    let d4 = choices.iter().find(|c| c.name == "Standard_D4s_v5").expect("the web VMs' size is offered");
    assert_eq!((d4.vcpus, d4.memory_gib), (4, 16.0));
    assert!(!d4.isolated);
    let hourly = book.vm_hourly("westeurope", "Standard_D4s_v5", false).unwrap();
    assert_eq!(d4.monthly, Some(hourly * 730.0), "one Linux VM in West Europe, a month");
    assert!(choices.iter().any(|c| c.isolated), "isolated sizes are marked");
    assert!(choices.windows(2).all(|w| w[0].vcpus <= w[1].vcpus), "smallest first");
}

/// A VPN gateway of `sku` in a region at `location`.
fn gateway_in(location: &str, sku: &str) -> moat_model::Design {
    design(
        json!([
            { "id": "region", "kind": "region", "location": location },
            { "id": "hub", "kind": "vnet", "parent": "region", "addressSpace": ["10.0.0.0/16"] },
            { "id": "gw-snet", "kind": "subnet", "parent": "hub", "name": "GatewaySubnet", "prefix": "10.0.0.0/27" },
            { "id": "vpn", "kind": "vpnGateway", "parent": "gw-snet", "sku": sku }
        ]),
        json!([]),
    )
}

#[test]
fn a_service_is_priced_from_retail_data_of_its_own_region() {
    let book = PriceBook::builtin();
    let item = |location: &str, sku: &str| {
        let estimate = estimate_cost(&gateway_in(location, sku), &book);
        estimate.items.into_iter().find(|i| i.element == "vpn").unwrap()
    };
    let west = item("westeurope", "VpnGw2AZ");
    assert!(close(west.monthly.unwrap(), 0.54 * HOURS_PER_MONTH), "{west:?}");
    assert_eq!(
        west.source,
        "Azure Retail Prices API, westeurope, VPN Gateway VpnGw2AZ, effective 2025-01-01, snapshot 2026-08-15"
    );
    let north = item("northeurope", "VpnGw2AZ");
    assert!(north.source.starts_with("Azure Retail Prices API, northeurope, VPN Gateway VpnGw2AZ"), "{north:?}");
    // Elsewhere the book has no retail price: another region's, shown as indicative with it.
    let east = item("eastus", "VpnGw2AZ");
    assert!(close(east.monthly.unwrap(), 0.54 * HOURS_PER_MONTH), "{east:?}");
    assert!(east.source.ends_with("(northeurope, 2026-08-15, indicative)"), "{east:?}");
    // An indicative price of the design's own region comes before another region's.
    let east_gw1 = item("eastus", "VpnGw1");
    assert_eq!(
        east_gw1.source,
        "infracost test data virtual_network_gateway_test (commit 95ba4f4) (eastus, 2025-01, indicative)"
    );
}

#[test]
fn an_api_page_of_services_is_read_meter_by_meter_and_says_what_it_passed_over() {
    // A page of the Retail Prices API (West Europe's VPN Gateway items, some tiered Key Vault
    // and Log Analytics meters), as `services-eu.json` keeps them.
    let page = include_str!("fixtures/prices-page.json");
    let mut book = PriceBook::builtin();
    let imported = book.import("page.json", page).unwrap();
    // 11 gateways, 9 S2S tunnel meters, Log Analytics ingestion (two tiers) and retention;
    // the P2S connections, the add-on and the advanced-key meters are not priced.
    assert_eq!(imported, Imported { used: 23, not_pay_as_you_go: 0, not_used: 17, other: 0 });
    assert_eq!(imported.used + imported.ignored(), 40, "every item is counted once");
    // A connection meter is not the gateway's price (both carry the gateway's SKU).
    let estimate = estimate_cost(&gateway_in("westeurope", "VpnGw1"), &book);
    let vpn = estimate.items.iter().find(|i| i.element == "vpn").unwrap();
    assert!(close(vpn.monthly.unwrap(), 0.19 * HOURS_PER_MONTH), "{vpn:?}");
    assert!(vpn.source.starts_with("imported from page.json (westeurope"), "{vpn:?}");
}

#[test]
fn an_application_gateway_has_its_fixed_price_and_its_capacity_units_by_assumption() {
    let design = design(
        json!([
            { "id": "region", "kind": "region", "location": "westeurope" },
            { "id": "vnet", "kind": "vnet", "parent": "region", "addressSpace": ["10.0.0.0/16"] },
            { "id": "agw-snet", "kind": "subnet", "parent": "vnet", "prefix": "10.0.0.0/24" },
            { "id": "agw", "kind": "appGateway", "parent": "agw-snet", "waf": true }
        ]),
        json!([]),
    );
    let mut design = design;
    let estimate = estimate_cost(&design, &PriceBook::builtin());
    let lines: Vec<_> = estimate.items.iter().filter(|i| i.element == "agw").collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].what, "application gateway WAF v2: fixed");
    assert!(close(lines[0].monthly.unwrap(), 0.468 * HOURS_PER_MONTH), "{:?}", lines[0]);
    assert!(lines[0].source.starts_with("Azure Retail Prices API, westeurope, Application Gateway WAF v2"));
    // The capacity units follow the traffic: the stated default until the authors set theirs.
    assert_eq!(
        (lines[1].what.as_str(), lines[1].monthly),
        ("application gateway WAF v2: 10 capacity units", Some(105.12))
    );
    assert!(estimate.complete);
    assert_eq!(
        estimate.assumptions,
        [AssumptionUsed { name: Assumption::AppGatewayCapacityUnits, value: 10.0, default: 10.0, set: false }]
    );
    design.usage.insert("appGatewayCapacityUnits".into(), json!(25));
    let estimate = estimate_cost(&design, &PriceBook::builtin());
    let units = estimate.items.iter().find(|i| i.what.contains("capacity units")).unwrap();
    assert_eq!((units.what.as_str(), units.monthly), ("application gateway WAF v2: 25 capacity units", Some(262.8)));
    assert!(estimate.assumptions[0].set);
}

#[test]
fn a_backed_up_vm_counts_protected_instance_units_by_its_size() {
    use moat_model::cost::backup_units;
    assert_eq!([30.0, 50.0, 51.0, 500.0, 501.0, 1000.0, 1001.0].map(backup_units), [0.5, 0.5, 1.0, 1.0, 2.0, 2.0, 3.0]);
    // The example's database VMs hold 2,176 GB of disks each: 5 units of 10 USD a month.
    let estimate = estimate_cost(&example(), &PriceBook::builtin());
    let backup = estimate.items.iter().find(|i| i.element == "db" && i.what.starts_with("backup")).unwrap();
    assert_eq!(backup.what, "backup: 2 protected instances of 2176 GB (5 units each)");
    assert!(close(backup.monthly.unwrap(), 2.0 * 5.0 * 10.0), "{backup:?}");
    assert!(backup.source.starts_with("Azure Retail Prices API, westeurope, Backup Azure VM Protected Instance"));
    // The vault keeps one full copy of the disks by default, geo-redundant.
    let storage = estimate.items.iter().find(|i| i.element == "db" && i.what.starts_with("backup storage")).unwrap();
    assert_eq!(storage.what, "backup storage: 4,352 GB GRS");
    assert!(close(storage.monthly.unwrap(), 4352.0 * 0.0448), "{storage:?}");
}

#[test]
fn every_network_service_has_its_lines_with_usage_by_assumption() {
    let mut design = design(
        json!([
            { "id": "weu", "kind": "region", "location": "westeurope" },
            { "id": "neu", "kind": "region", "location": "northeurope" },
            { "id": "dc", "kind": "onPremises" },
            { "id": "hub", "kind": "vnet", "parent": "weu", "addressSpace": ["10.0.0.0/16"] },
            { "id": "spoke", "kind": "vnet", "parent": "weu", "addressSpace": ["10.1.0.0/16"] },
            { "id": "far", "kind": "vnet", "parent": "neu", "addressSpace": ["10.2.0.0/16"] },
            { "id": "gw-snet", "kind": "subnet", "parent": "hub", "prefix": "10.0.0.0/27", "role": "gateway" },
            { "id": "fw-snet", "kind": "subnet", "parent": "hub", "prefix": "10.0.1.0/26", "role": "firewall" },
            { "id": "app", "kind": "subnet", "parent": "spoke", "prefix": "10.1.0.0/24" },
            { "id": "vpn", "kind": "vpnGateway", "parent": "gw-snet", "sku": "VpnGw2AZ" },
            { "id": "fw", "kind": "firewall", "parent": "fw-snet", "tier": "premium" },
            { "id": "lb", "kind": "loadBalancer", "parent": "app", "ports": [443, 80] },
            { "id": "kv", "kind": "keyVault", "parent": "weu", "sku": "standard" }
        ]),
        json!([
            { "id": "s2s-1", "kind": "vpn", "from": "dc", "to": "vpn" },
            { "id": "s2s-2", "kind": "vpn", "from": "dc", "to": "vpn" },
            { "id": "local", "kind": "peering", "from": "hub", "to": "spoke" },
            { "id": "global", "kind": "peering", "from": "hub", "to": "far" }
        ]),
    );
    let lines = |design: &moat_model::Design| -> Vec<(String, String, Option<f64>)> {
        let estimate = estimate_cost(design, &PriceBook::builtin());
        estimate.items.into_iter().map(|i| (i.element, i.what, i.monthly)).collect()
    };
    let line = |lines: &[(String, String, Option<f64>)], what: &str| {
        lines.iter().find(|(_, w, _)| w == what).unwrap_or_else(|| panic!("no line {what}: {lines:#?}")).2
    };
    let before = lines(&design);
    // Two tunnels: within the ten the gateway's price includes.
    assert_eq!(line(&before, "VPN gateway VpnGw2AZ: 2 S2S tunnels (10 included)"), Some(0.0));
    assert_eq!(line(&before, "Azure Firewall premium: deployment"), Some(1277.5));
    assert_eq!(line(&before, "Azure Firewall premium: 0 extra capacity units"), Some(0.0));
    assert_eq!(line(&before, "Azure Firewall premium: data processed, 1,000 GB a month"), Some(16.0));
    // Both directions, each paying egress where it leaves and ingress where it arrives.
    assert_eq!(line(&before, "global peering: 100 GB a month each way"), Some(14.0));
    assert_eq!(line(&before, "peering: 100 GB a month each way"), Some(4.0));
    assert_eq!(line(&before, "load balancer: 2 rules"), None, "no public price: the authors enter one");
    assert_eq!(line(&before, "load balancer: data processed, 100 GB a month"), Some(0.5));
    assert_eq!(line(&before, "key vault: 100,000 operations a month"), Some(0.3));
    // The gateway's and the firewall's public IPs are billed apart; the internal balancer has none.
    let public_ips: Vec<&str> =
        before.iter().filter(|(_, what, _)| what == "public IP: 1").map(|(element, _, _)| element.as_str()).collect();
    assert_eq!(public_ips, ["vpn", "fw"]);
    assert_eq!(line(&before, "public IP: 1"), Some(3.65));

    for (name, figure) in [
        ("firewallGbPerMonth", 20_000),
        ("firewallCapacityUnits", 2),
        ("peeringGbPerMonth", 1_000),
        ("keyVaultOperationsPerMonth", 5_000_000),
    ] {
        design.usage.insert(name.into(), json!(figure));
    }
    let after = lines(&design);
    assert_eq!(line(&after, "Azure Firewall premium: 2 extra capacity units"), Some(160.6));
    assert_eq!(line(&after, "Azure Firewall premium: data processed, 20,000 GB a month"), Some(320.0));
    assert_eq!(line(&after, "global peering: 1,000 GB a month each way"), Some(140.0));
    assert_eq!(line(&after, "key vault: 5,000,000 operations a month"), Some(15.0));
    let estimate = estimate_cost(&design, &PriceBook::builtin());
    let used: Vec<(Assumption, f64, bool)> = estimate.assumptions.iter().map(|a| (a.name, a.value, a.set)).collect();
    assert_eq!(
        used,
        [
            (Assumption::FirewallGbPerMonth, 20_000.0, true),
            (Assumption::FirewallCapacityUnits, 2.0, true),
            (Assumption::LoadBalancerGbPerMonth, 100.0, false),
            (Assumption::PeeringGbPerMonth, 1_000.0, true),
            (Assumption::KeyVaultOperationsPerMonth, 5_000_000.0, true),
        ]
    );
}

#[test]
fn a_usage_assumption_is_kept_in_the_file_and_a_negative_one_takes_the_default() {
    let mut design = two_vms(json!({}));
    design.usage.insert("peeringGbPerMonth".into(), json!(250));
    // A name this version does not know is kept, as every unknown field is.
    design.usage.insert("natGatewayGbPerMonth".into(), json!(40));
    let saved = moat_model::format::to_json(&design);
    let loaded = moat_model::format::load(&saved).unwrap().design;
    assert_eq!(Assumption::PeeringGbPerMonth.set_in(&loaded), Some(250.0));
    assert_eq!(loaded.usage["natGatewayGbPerMonth"], json!(40));
    design.usage.insert("peeringGbPerMonth".into(), json!(-1));
    assert_eq!(Assumption::PeeringGbPerMonth.value_in(&design), 100.0);
}

#[test]
fn the_side_by_side_check_in_the_docs_quotes_the_current_totals() {
    let page =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/COST-CHECK.md"))
            .unwrap();
    let n_tier = example();
    let hub_spoke = moat_model::templates::instantiate("hub-spoke-dmz").unwrap();
    for design in [n_tier, hub_spoke] {
        let estimate = estimate_cost(&design, &PriceBook::builtin());
        let quoted = format!(
            "**at least {} USD; {} lines unpriced**",
            moat_model::cost::money(estimate.monthly_total),
            estimate.unpriced_lines
        );
        assert!(page.contains(&quoted), "docs/COST-CHECK.md should quote {quoted}: update it with the prices");
    }
}
