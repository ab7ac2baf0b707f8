//! Reachability: table-driven scenarios (fixtures/reach/*.json, each query with its expected
//! verdict, path, return path and deciding rule, each scenario with the sentence of Azure's
//! documentation it rests on), the other queries, and properties.

mod common;

use common::{example, fixture_path};
use moat_model::Design;
use moat_model::link::FlowProtocol;
use moat_model::reach::{self, Verdict, effective_rules, matrix, next_hop, verify};
use proptest::prelude::*;
use serde_json::{Value, json};

fn protocol(name: &str) -> FlowProtocol {
    serde_json::from_value(Value::from(name)).unwrap()
}

fn scenario(name: &str) -> (Design, Vec<Value>) {
    let text = std::fs::read_to_string(fixture_path(&format!("reach/{name}"))).unwrap();
    let fixture: Value = serde_json::from_str(&text).unwrap();
    for part in ["document", "section", "sentence"] {
        let text = fixture["basis"][part].as_str().unwrap_or("");
        assert!(!text.is_empty(), "{name} names the {part} of Azure's documentation it rests on (basis.{part})");
    }
    let design = moat_model::format::load_value(fixture["design"].clone()).unwrap().design;
    assert_eq!(moat_model::check(&design), [], "{name} is well formed");
    (design, fixture["queries"].as_array().unwrap().clone())
}

#[test]
fn every_scenario_answers_as_expected() {
    let mut names: Vec<String> = std::fs::read_dir(fixture_path("reach"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 15);
    for name in names {
        let (design, queries) = scenario(&name);
        let mut answers = Vec::new();
        for query in queries {
            let (from, to) = (query["from"].as_str().unwrap(), query["to"].as_str().unwrap());
            let port = query["port"].as_u64().map(|p| p as u16);
            let what = format!("{name}: {from} → {to} {} {port:?}", query["protocol"]);
            let result = verify(&design, from, to, protocol(query["protocol"].as_str().unwrap()), port);
            if query["verdict"] == "error" {
                assert!(result.is_err(), "{what} is not a valid query");
                continue;
            }
            let answer = result.unwrap_or_else(|e| panic!("{what}: {e}"));
            let verdict = serde_json::to_value(answer.verdict).unwrap();
            assert_eq!(verdict, query["verdict"], "{what}: {}", answer.reason);
            if let Some(path) = query.get("path") {
                assert_eq!(serde_json::to_value(&answer.path).unwrap(), *path, "{what}: path");
            }
            if let Some(return_path) = query.get("returnPath") {
                assert_eq!(serde_json::to_value(&answer.return_path).unwrap(), *return_path, "{what}: return path");
            }
            if let Some(denied_by) = query.get("deniedBy") {
                assert_eq!(serde_json::to_value(&answer.denied_by).unwrap(), *denied_by, "{what}: deciding rule");
            }
            if answer.verdict == Verdict::Deny && query.get("deniedBy").is_none() {
                assert_eq!(answer.denied_by, None, "{what}: no element decides");
            }
            answers.push(json!({ "query": format!("{from} → {to}"), "answer": answer }));
        }
        // The reasons in words, reviewed as snapshots.
        insta::assert_json_snapshot!(format!("reach-{}", name.trim_end_matches(".json")), answers);
    }
}

#[test]
fn the_example_allows_its_declared_flows_and_nothing_else_between_tiers() {
    let design = example();
    for (from, to, port) in [("web", "biz", 8443), ("biz", "db", 1433)] {
        let answer = verify(&design, from, to, FlowProtocol::Tcp, Some(port)).unwrap();
        assert_eq!(answer.verdict, Verdict::Allow, "{from} → {to}: {}", answer.reason);
        assert_eq!(answer.allowed, [format!("tcp/{port}")]);
    }
    let web_to_db = verify(&design, "web", "db", FlowProtocol::Any, None).unwrap();
    assert_eq!(web_to_db.verdict, Verdict::Deny);
    assert_eq!(web_to_db.denied_by.unwrap().element, "nsg-web");
    let intra = verify(&design, "web", "web", FlowProtocol::Tcp, Some(443)).unwrap();
    assert_eq!(intra.denied_by.map(|d| d.rule), Some("deny-all-out".to_owned()));
}

#[test]
fn next_hop_names_the_route_that_decides() {
    let (design, _) = scenario("hub-spoke-forced-tunnelling.json");
    let hop = next_hop(&design, "app1-snet", "10.2.1.4").unwrap();
    assert_eq!((hop.next_hop_type.as_str(), hop.next_hop_element.as_deref()), ("VirtualAppliance", Some("fw")));
    assert_eq!(hop.route, "user: rt-spoke/spokes-via-fw");
    let hop = next_hop(&design, "app1-snet", "10.1.1.9").unwrap();
    assert_eq!((hop.next_hop_type.as_str(), hop.prefix.as_str()), ("VnetLocal", "10.1.0.0/16"));
    let hop = next_hop(&design, "app1-snet", "192.168.4.1").unwrap();
    assert_eq!((hop.next_hop_type.as_str(), hop.next_hop_element.as_deref()), ("VirtualNetworkGateway", Some("vpngw")));
    let hop = next_hop(&design, "fw-snet", "10.2.1.4").unwrap();
    assert_eq!((hop.next_hop_type.as_str(), hop.next_hop_element.as_deref()), ("VNetPeering", Some("spoke2")));
    let hop = next_hop(&design, "fw-snet", "8.8.8.8").unwrap();
    assert_eq!(hop.next_hop_type, "Internet");
    assert!(next_hop(&design, "app1", "10.0.0.1").is_err(), "a VM is not a subnet");
}

#[test]
fn disabling_gateway_propagation_removes_the_on_premises_routes() {
    let (mut design, _) = scenario("hub-spoke-forced-tunnelling.json");
    moat_model::edit::set_field(&mut design, "rt-spoke", "disableGatewayPropagation", json!(true)).unwrap();
    // Without the gateway's route, on-premises follows the route table's 0.0.0.0/0 to the
    // firewall: that route removed the system None route of 192.168.0.0/16.
    let hop = next_hop(&design, "app1-snet", "192.168.4.1").unwrap();
    assert_eq!((hop.next_hop_type.as_str(), hop.route.as_str()), ("VirtualAppliance", "user: rt-spoke/default-via-fw"));
    let answer = verify(&design, "app1", "dc", FlowProtocol::Tcp, Some(22)).unwrap();
    assert_eq!(answer.path, ["app1", "fw"]);
    assert_eq!(answer.denied_by.map(|d| (d.element, d.rule)), Some(("fw".to_owned(), "block-ssh".to_owned())));
}

#[test]
fn a_default_route_invalidates_the_none_routes_as_azure_lists_them() {
    let (design, _) = scenario("default-route-removes-none-routes.json");
    let routes = reach::effective_routes(&design, "app1-snet").unwrap();
    let listed: Vec<String> =
        routes.iter().map(|r| format!("{} {} {} {}", r.prefix, r.next_hop_type, r.source, r.state)).collect();
    for private in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] {
        assert!(listed.contains(&format!("{private} None system Invalid")), "{private}: {listed:#?}");
    }
    assert!(listed.contains(&"0.0.0.0/0 Internet system Invalid".to_owned()), "{listed:#?}");
    assert!(listed.contains(&"0.0.0.0/0 VirtualAppliance user: rt-spokes/default-via-fw Active".to_owned()));
    let hop = next_hop(&design, "app1-snet", "10.2.1.4").unwrap();
    assert_eq!((hop.next_hop_type.as_str(), hop.next_hop_element.as_deref()), ("VirtualAppliance", Some("fw")));
    // Without a route table, the None routes stay in force.
    let none = reach::effective_routes(&design, "app3-snet").unwrap();
    assert!(none.iter().all(|r| r.state == "Active"));
    assert_eq!(next_hop(&design, "app3-snet", "10.1.1.4").unwrap().next_hop_type, "None");
}

#[test]
fn the_virtual_network_tag_expands_to_the_user_routes_of_the_subnet() {
    let (design, _) = scenario("virtual-network-tag-and-user-routes.json");
    let expanded = |vm: &str| {
        let rules = effective_rules(&design, vm).unwrap();
        let rule = rules.iter().find(|r| r.name == "AllowVnetInBound").unwrap();
        assert_eq!(rule.expanded_source, rule.expanded_destination);
        rule.expanded_source.clone()
    };
    assert_eq!(expanded("a"), ["0.0.0.0/0", "10.0.0.0/16"]);
    assert_eq!(expanded("b"), ["10.0.0.0/16"]);
    let rules = effective_rules(&design, "a").unwrap();
    let deny_all = rules.iter().find(|r| r.name == "DenyAllInBound").unwrap();
    assert!(deny_all.expanded_source.is_empty(), "only the VirtualNetwork tag is expanded");
}

#[test]
fn effective_rules_list_subnet_then_nic_inbound_and_nic_then_subnet_outbound() {
    let (design, _) = scenario("nsg-evaluation.json");
    let rules = effective_rules(&design, "b").unwrap();
    let order: Vec<String> =
        rules.iter().map(|r| format!("{:?} {} {} {}", r.direction, r.nsg, r.priority, r.name)).collect();
    insta::assert_snapshot!(order.join("\n"));
    assert!(effective_rules(&design, "b-snet").is_err());
}

#[test]
fn the_matrix_covers_every_tier_and_endpoint_pair() {
    let design = example();
    let grid = matrix(&design, Some(8443));
    assert_eq!(grid.endpoints, ["web", "biz", "db", "internet"]);
    assert_eq!(grid.cell("web", "biz").unwrap().answer.verdict, Verdict::Allow);
    assert_eq!(grid.cell("biz", "web").unwrap().answer.verdict, Verdict::Deny);
    assert!(grid.cell("web", "web").is_some(), "a tier of two VMs is checked against itself");
    // 4 endpoints: 12 ordered pairs plus the diagonal of the three tiers of two VMs.
    assert_eq!(grid.cells.len(), 15);
}

#[test]
fn queries_about_non_endpoints_are_errors() {
    let design = example();
    assert_eq!(
        verify(&design, "nsg-web", "db", FlowProtocol::Tcp, Some(1)).unwrap_err().to_string(),
        "\"nsg-web\" is a nsg; traffic starts and ends at a vm, a subnet, an onPremises or the internet"
    );
    assert!(verify(&design, "nowhere", "db", FlowProtocol::Tcp, Some(1)).is_err());
}

// ---- properties --------------------------------------------------------------------------

fn rule(
    name: &str,
    priority: u32,
    direction: &str,
    access: &str,
    source: &str,
    destination: &str,
    ports: &str,
) -> Value {
    json!({ "name": name, "priority": priority, "direction": direction, "access": access, "protocol": "*",
            "source": source, "sourcePorts": "*", "destination": destination, "destinationPorts": ports })
}

fn with_rule(design: &Design, nsg: &str, rule: Value) -> Design {
    let mut design = design.clone();
    let mut rules = moat_model::edit::field_value(&design, nsg, "rules");
    rules.as_array_mut().unwrap().push(rule);
    moat_model::edit::set_field(&mut design, nsg, "rules", rules).unwrap();
    design
}

fn addresses() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "*",
        "VirtualNetwork",
        "Internet",
        "10.10.1.0/24",
        "10.10.0.0/16",
        "asg:asg-a",
        "asg:asg-b",
        "10.20.0.0/16",
    ])
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Adding a deny rule never lets more traffic through.
    #[test]
    fn a_deny_rule_never_turns_a_deny_into_an_allow(
        nsg in prop::sample::select(vec!["nsg-b", "nsg-b-nic", "nsg-a-nic"]),
        priority in 100u32..4096,
        direction in prop::sample::select(vec!["inbound", "outbound"]),
        source in addresses(),
        destination in addresses(),
        ports in prop::sample::select(vec!["*", "22", "443", "1000-2000", "80,443"]),
        from in prop::sample::select(vec!["a", "a-other", "b", "c", "d", "internet"]),
        to in prop::sample::select(vec!["a", "b", "c", "d", "b-snet", "internet"]),
    ) {
        let (design, _) = scenario("nsg-evaluation.json");
        let denied = with_rule(&design, nsg, rule("added-deny", priority, direction, "deny", &source, &destination, ports));
        for port in [None, Some(22), Some(80), Some(443), Some(1433), Some(1500), Some(8443)] {
            let before = verify(&design, from, to, FlowProtocol::Tcp, port).unwrap();
            let after = verify(&denied, from, to, FlowProtocol::Tcp, port).unwrap();
            if before.verdict == Verdict::Deny {
                prop_assert_eq!(after.verdict, Verdict::Deny, "{:?}: {}", port, after.reason);
            }
        }
    }

    /// Without NSGs and route tables, everything inside one VNet reaches everything else.
    #[test]
    fn without_nsgs_and_route_tables_a_vnet_is_open(subnets in 1usize..5, vms in 1usize..4, port in 1u16..) {
        let mut elements = vec![
            json!({ "id": "weu", "kind": "region", "location": "westeurope" }),
            json!({ "id": "vnet", "kind": "vnet", "parent": "weu", "addressSpace": ["10.50.0.0/16"] }),
        ];
        let mut ids = Vec::new();
        for s in 0..subnets {
            elements.push(json!({ "id": format!("s{s}"), "kind": "subnet", "parent": "vnet", "prefix": format!("10.50.{s}.0/24") }));
            ids.push(format!("s{s}"));
            for v in 0..vms {
                elements.push(json!({ "id": format!("vm{s}-{v}"), "kind": "vm", "parent": format!("s{s}"), "count": 2 }));
                ids.push(format!("vm{s}-{v}"));
            }
        }
        let design = moat_model::format::load_value(json!({ "format": "moat-design", "version": 1, "elements": elements })).unwrap().design;
        for from in &ids {
            for to in &ids {
                let answer = verify(&design, from, to, FlowProtocol::Tcp, Some(port)).unwrap();
                prop_assert_eq!(answer.verdict, Verdict::Allow, "{} → {}: {}", from, to, answer.reason);
            }
        }
    }
}

#[test]
fn default_rules_carry_their_azure_names() {
    let names: Vec<String> =
        reach::default_rules(moat_model::element::Direction::Inbound).into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["AllowVnetInBound", "AllowAzureLoadBalancerInBound", "DenyAllInBound"]);
}

#[test]
fn declared_flows_get_live_verdicts() {
    let mut design = example();
    let verdicts: Vec<(String, Verdict)> =
        reach::flow_verdicts(&design).into_iter().map(|(id, a)| (id, a.verdict)).collect();
    assert_eq!(verdicts, [("f-web-biz".to_owned(), Verdict::Allow), ("f-biz-db".to_owned(), Verdict::Allow)]);
    moat_model::edit::set_field(&mut design, "f-biz-db", "port", json!(5432)).unwrap();
    let (_, answer) = &reach::flow_verdicts(&design)[1];
    assert_eq!(answer.verdict, Verdict::Deny);
    assert_eq!(answer.denied_by.as_ref().map(|d| d.element.as_str()), Some("nsg-biz"));
}
