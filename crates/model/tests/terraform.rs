//! Terraform export: the output parses as HCL, every reference resolves to a block of the
//! same file, the design's resources are all there, and hostile names stay string literals.
//! (terraform itself is not available here, so the parser and these checks stand in for
//! `terraform validate`.)

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use hcl::expr::{Expression, Operation, TraversalOperator};
use hcl::{Block, Body, Structure};
use moat_model::Design;
use moat_model::element::{Element, ElementProps, SubnetRole};
use moat_model::export::terraform::{quote, sanitise, terraform};

fn designs() -> Vec<(&'static str, Design)> {
    vec![
        ("n-tier", common::example()),
        ("clean", common::design("rules/clean.moat.json")),
        ("every-kind", common::design("format/v1/every-kind.moat.json")),
    ]
}

fn parse(name: &str, text: &str) -> Body {
    hcl::parse(text).unwrap_or_else(|e| panic!("{name}: output does not parse: {e}\n{text}"))
}

fn label(block: &Block, i: usize) -> String {
    block.labels.get(i).map(|l| l.as_str().to_owned()).unwrap_or_default()
}

/// Top-level blocks of one kind (`resource`, `variable`, `data`) with their labels.
fn blocks<'a>(body: &'a Body, kind: &str) -> Vec<&'a Block> {
    body.blocks().filter(|b| b.identifier.as_str() == kind).collect()
}

fn resources<'a>(body: &'a Body, ty: &str) -> Vec<&'a Block> {
    blocks(body, "resource").into_iter().filter(|b| label(b, 0) == ty).collect()
}

fn resource<'a>(body: &'a Body, ty: &str, name: &str) -> Option<&'a Block> {
    resources(body, ty).into_iter().find(|b| label(b, 1) == name)
}

fn attr<'a>(body: &'a Body, key: &str) -> Option<&'a Expression> {
    body.attributes().find(|a| a.key.as_str() == key).map(|a| &a.expr)
}

/// Calls `f` on every expression of the body, nested ones included.
fn walk_body(body: &Body, f: &mut dyn FnMut(&Expression)) {
    for structure in body.iter() {
        match structure {
            Structure::Attribute(a) => walk(&a.expr, f),
            Structure::Block(b) => walk_body(&b.body, f),
        }
    }
}

fn walk(expr: &Expression, f: &mut dyn FnMut(&Expression)) {
    f(expr);
    match expr {
        Expression::Array(items) => items.iter().for_each(|e| walk(e, f)),
        Expression::Object(object) => object.values().for_each(|e| walk(e, f)),
        Expression::Traversal(t) => {
            // The root variable is reported with the traversal, not on its own.
            if !matches!(t.expr, Expression::Variable(_)) {
                walk(&t.expr, f);
            }
            for op in &t.operators {
                if let TraversalOperator::Index(e) = op {
                    walk(e, f);
                }
            }
        }
        Expression::FuncCall(call) => call.args.iter().for_each(|e| walk(e, f)),
        Expression::Parenthesis(e) => walk(e, f),
        Expression::Conditional(c) => {
            walk(&c.cond_expr, f);
            walk(&c.true_expr, f);
            walk(&c.false_expr, f);
        }
        Expression::Operation(op) => match op.as_ref() {
            Operation::Unary(u) => walk(&u.expr, f),
            Operation::Binary(b) => {
                walk(&b.lhs_expr, f);
                walk(&b.rhs_expr, f);
            }
        },
        Expression::ForExpr(e) => {
            walk(&e.collection_expr, f);
            walk(&e.value_expr, f);
        }
        _ => {}
    }
}

/// Every `root.a.b` reference: the root name and the attribute names after it.
fn references(body: &Body) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    walk_body(body, &mut |expr| match expr {
        Expression::Traversal(t) => {
            if let Expression::Variable(root) = &t.expr {
                let attrs = t
                    .operators
                    .iter()
                    .map_while(|op| match op {
                        TraversalOperator::GetAttr(id) => Some(id.as_str().to_owned()),
                        _ => None,
                    })
                    .collect();
                found.push((root.as_str().to_owned(), attrs));
            }
        }
        Expression::Variable(v) => found.push((v.as_str().to_owned(), Vec::new())),
        _ => {}
    });
    found
}

fn assert_references_resolve(name: &str, body: &Body) {
    let defined: HashSet<(String, String)> = body
        .blocks()
        .map(|b| match b.identifier.as_str() {
            "variable" => ("var".to_owned(), label(b, 0)),
            "data" => (format!("data.{}", label(b, 0)), label(b, 1)),
            "resource" => (label(b, 0), label(b, 1)),
            other => (other.to_owned(), label(b, 0)),
        })
        .collect();
    for (root, attrs) in references(body) {
        let key = match root.as_str() {
            "count" => {
                assert_eq!(attrs, ["index"], "{name}: count.{attrs:?}");
                continue;
            }
            // The type constraint of a variable block.
            "string" if attrs.is_empty() => continue,
            "var" => ("var".to_owned(), attrs.first().cloned().unwrap_or_default()),
            "data" => (
                format!("data.{}", attrs.first().cloned().unwrap_or_default()),
                attrs.get(1).cloned().unwrap_or_default(),
            ),
            r if r.starts_with("azurerm_") => (root.clone(), attrs.first().cloned().unwrap_or_default()),
            _ => panic!("{name}: reference to unknown root {root}.{attrs:?}"),
        };
        assert!(defined.contains(&key), "{name}: {}.{} is referenced but not defined", key.0, key.1);
    }
}

fn assert_unique_blocks(name: &str, body: &Body) {
    let mut seen = HashSet::new();
    for block in body.blocks() {
        let labels: Vec<String> = (0..block.labels.len()).map(|i| label(block, i)).collect();
        if block.identifier.as_str() == "resource" || block.identifier.as_str() == "variable" {
            assert!(seen.insert((block.identifier.to_string(), labels.clone())), "{name}: duplicate {labels:?}");
        }
    }
}

#[test]
fn the_three_designs_parse_and_every_reference_resolves() {
    for (name, design) in designs() {
        let text = terraform(&design);
        let body = parse(name, &text);
        assert_references_resolve(name, &body);
        assert_unique_blocks(name, &body);
        assert_eq!(blocks(&body, "terraform").len(), 1, "{name}");
        assert_eq!(blocks(&body, "provider").len(), 1, "{name}");
        assert!(text.contains("hashicorp/azurerm") && text.contains("~> 4.0"), "{name}");
        assert!(!text.contains("TODO"), "{name}");
    }
}

#[test]
fn the_export_is_deterministic() {
    for (name, design) in designs() {
        assert_eq!(terraform(&design), terraform(&design), "{name}");
    }
}

#[test]
fn nsg_rules_and_subnet_associations_match_the_design() {
    for (name, design) in designs() {
        let body = parse(name, &terraform(&design));
        for element in &design.elements {
            match &element.props {
                ElementProps::Nsg(nsg) => {
                    let block = resource(&body, "azurerm_network_security_group", &sanitise(element.id.as_str()))
                        .unwrap_or_else(|| panic!("{name}: no NSG {}", element.id));
                    let rules = block.body.blocks().filter(|b| b.identifier.as_str() == "security_rule").count();
                    assert_eq!(rules, nsg.rules.len(), "{name}: rules of {}", element.id);
                }
                ElementProps::Subnet(subnet) => {
                    let tf = sanitise(element.id.as_str());
                    let block = resource(&body, "azurerm_subnet", &tf)
                        .unwrap_or_else(|| panic!("{name}: no subnet {}", element.id));
                    if let Some(required) = subnet.role.azure_subnet_name() {
                        assert_eq!(attr(&block.body, "name"), Some(&Expression::String(required.into())), "{name}");
                    }
                    let association = resource(&body, "azurerm_subnet_network_security_group_association", &tf);
                    let expected = subnet.nsg.is_some() && subnet.role != SubnetRole::Firewall;
                    assert_eq!(association.is_some(), expected, "{name}: NSG association of {}", element.id);
                    let rt = resource(&body, "azurerm_subnet_route_table_association", &tf);
                    assert_eq!(rt.is_some(), subnet.route_table.is_some(), "{name}: route table of {}", element.id);
                }
                _ => {}
            }
        }
    }
}

#[test]
fn asg_sources_become_asg_ids_and_port_lists_become_ranges() {
    let body = parse("clean", &terraform(&common::design("rules/clean.moat.json")));
    let nsg = resource(&body, "azurerm_network_security_group", "nsg_web").unwrap();
    let rule =
        nsg.body.blocks().find(|b| attr(&b.body, "name") == Some(&Expression::String("allow-web-to-biz".into())));
    let rule = rule.unwrap();
    assert!(attr(&rule.body, "source_application_security_group_ids").is_some());
    assert!(attr(&rule.body, "destination_application_security_group_ids").is_some());
    assert_eq!(attr(&rule.body, "destination_port_range"), Some(&Expression::String("8443".into())));

    let mut design = common::design("rules/clean.moat.json");
    for element in design.elements.iter_mut().map(Arc::make_mut) {
        if let ElementProps::Nsg(nsg) = &mut element.props {
            nsg.rules[0].destination_ports = "80,443,1000-2000".into();
            nsg.rules[0].source = "10.0.0.0/8,AzureLoadBalancer".into();
        }
    }
    let body = parse("ports", &terraform(&design));
    let nsg = resource(&body, "azurerm_network_security_group", "nsg_web").unwrap();
    let first = nsg.body.blocks().next().unwrap();
    let ranges = attr(&first.body, "destination_port_ranges").unwrap();
    assert_eq!(ranges, &Expression::Array(vec!["80".into(), "443".into(), "1000-2000".into()]));
    assert!(attr(&first.body, "source_address_prefixes").is_some());
}

#[test]
fn the_hub_spoke_design_has_its_hybrid_and_security_resources() {
    let design = common::design("rules/clean.moat.json");
    let body = parse("clean", &terraform(&design));
    let forward = resource(&body, "azurerm_virtual_network_peering", "hub_spoke_forward").unwrap();
    let reverse = resource(&body, "azurerm_virtual_network_peering", "hub_spoke_reverse").unwrap();
    assert_eq!(attr(&forward.body, "allow_gateway_transit"), Some(&Expression::Bool(true)));
    assert_eq!(attr(&reverse.body, "use_remote_gateways"), Some(&Expression::Bool(true)));
    assert_eq!(attr(&reverse.body, "allow_gateway_transit"), Some(&Expression::Bool(false)));
    for (ty, name) in [
        ("azurerm_virtual_network_gateway", "vpngw"),
        ("azurerm_virtual_network_gateway", "ergw"),
        ("azurerm_public_ip", "vpngw_pip"),
        ("azurerm_local_network_gateway", "vpn_over_er"),
        ("azurerm_virtual_network_gateway_connection", "vpn_over_er"),
        ("azurerm_virtual_network_gateway_connection", "vpn_failover"),
        ("azurerm_express_route_circuit", "er"),
        ("azurerm_virtual_network_gateway_connection", "er"),
        ("azurerm_firewall", "fw"),
        ("azurerm_public_ip", "fw_pip"),
        ("azurerm_bastion_host", "bastion"),
        ("azurerm_public_ip", "bastion_pip"),
        ("azurerm_route_table", "rt_spoke"),
        ("azurerm_dedicated_host_group", "host_app"),
        ("azurerm_dedicated_host", "host_data"),
        ("azurerm_key_vault", "kv"),
        ("azurerm_recovery_services_vault", "rsv"),
        ("azurerm_backup_policy_vm", "rsv"),
        ("azurerm_backup_protected_vm", "db"),
        ("azurerm_linux_virtual_machine_scale_set", "web"),
        ("azurerm_linux_virtual_machine", "db"),
        ("azurerm_managed_disk", "db_data0"),
        ("azurerm_virtual_machine_data_disk_attachment", "db_data0"),
        ("azurerm_virtual_machine_extension", "db_ade"),
        ("azurerm_private_dns_zone", "dns"),
        ("azurerm_private_dns_zone_virtual_network_link", "dns_hub"),
        ("azurerm_private_dns_zone_virtual_network_link", "dns_spoke"),
        ("azurerm_lb", "db_lb"),
        ("azurerm_lb_backend_address_pool", "db_lb"),
        ("azurerm_application_security_group", "asg_web"),
    ] {
        assert!(resource(&body, ty, name).is_some(), "clean: no {ty}.{name}");
    }
    let vars: HashSet<String> = blocks(&body, "variable").iter().map(|b| label(b, 0)).collect();
    for var in ["vpn_shared_key", "er_service_provider", "er_peering_location", "tenant_id", "admin_ssh_public_key"] {
        assert!(vars.contains(var), "clean: no variable {var}");
    }
    // BYOK: the KEK comes from the on-premises HSM, so it is a variable, not a generated key.
    assert!(vars.contains("kv_byok_kek_url"));
    assert!(resource(&body, "azurerm_key_vault_key", "kv_kek").is_none());
    let db = resource(&body, "azurerm_linux_virtual_machine", "db").unwrap();
    assert_eq!(attr(&db.body, "count"), Some(&Expression::Number(2.into())));
}

#[test]
fn the_n_tier_example_generates_its_kek_in_key_vault() {
    let body = parse("n-tier", &terraform(&common::example()));
    let key = resource(&body, "azurerm_key_vault_key", "kv_kek").unwrap();
    assert_eq!(attr(&key.body, "key_type"), Some(&Expression::String("RSA-HSM".into())));
    let vault = resource(&body, "azurerm_key_vault", "kv").unwrap();
    assert_eq!(attr(&vault.body, "purge_protection_enabled"), Some(&Expression::Bool(true)));
    assert_eq!(attr(&vault.body, "public_network_access_enabled"), Some(&Expression::Bool(false)));
    let lb = resource(&body, "azurerm_lb", "web_lb").unwrap();
    let frontend = lb.body.blocks().next().unwrap();
    assert!(attr(&frontend.body, "subnet_id").is_some(), "an internal load balancer sits in its subnet");
}

const HOSTILE: &str = "a\"b${x}<script>";

fn hostile_design() -> Design {
    let mut design = common::design("rules/clean.moat.json");
    for element in design.elements.iter_mut().map(Arc::make_mut) {
        element.name = Some(HOSTILE.to_owned());
        if let ElementProps::Nsg(nsg) = &mut element.props {
            for rule in &mut nsg.rules {
                rule.name = format!("{HOSTILE}%{{if true}}\\\n");
            }
        }
    }
    for id in ["weu", "hub"] {
        let element = Arc::make_mut(design.elements.iter_mut().find(|e| e.id.as_str() == id).unwrap());
        let new = format!("{HOSTILE}{id}");
        element.id = new.as_str().into();
        let old = id.to_owned();
        for other in design.elements.iter_mut().map(Arc::make_mut) {
            if other.parent.as_ref().is_some_and(|p| p.as_str() == old) {
                other.parent = Some(new.as_str().into());
            }
        }
        for link in &mut design.links {
            if link.from.as_str() == old {
                link.from = new.as_str().into();
            }
            if link.to.as_str() == old {
                link.to = new.as_str().into();
            }
        }
    }
    design
}

#[test]
fn hostile_names_stay_inside_string_literals() {
    let design = hostile_design();
    let text = terraform(&design);
    let body = parse("hostile", &text);
    assert_references_resolve("hostile", &body);
    assert_unique_blocks("hostile", &body);
    // No template sequence survives unescaped outside comments, so nothing is interpolated.
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n");
    assert!(!code.replace("$${", "").contains("${"), "{text}");
    assert!(!code.replace("%%{", "").contains("%{"), "{text}");
    assert!(text.contains("# Generated"), "comments are kept");
    let mut literals = Vec::new();
    walk_body(&body, &mut |expr| match expr {
        Expression::String(s) => literals.push(s.clone()),
        Expression::TemplateExpr(t) => panic!("hostile: a template expression in the output: {t}"),
        _ => {}
    });
    assert!(literals.iter().any(|s| s == HOSTILE), "the hostile name reaches a literal intact");
    assert!(literals.iter().any(|s| s == &format!("{HOSTILE}%{{if true}}\\\n")), "rule names too");
    // Outside string literals nothing of it appears: labels and identifiers are sanitised.
    for block in body.blocks() {
        for i in 0..block.labels.len() {
            let l = label(block, i);
            assert!(l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "label {l}");
        }
    }
    for (root, attrs) in references(&body) {
        for part in std::iter::once(&root).chain(&attrs) {
            assert!(!part.contains("script") || part.contains('_'), "identifier {part}");
        }
    }
    let region = sanitise(&format!("{HOSTILE}weu"));
    assert!(resource(&body, "azurerm_resource_group", &region).is_some());
}

#[test]
fn quoting_and_sanitising() {
    assert_eq!(quote("a\"b${x}%{y}\\"), "\"a\\\"b$${x}%%{y}\\\\\"");
    assert_eq!(quote("$x %d"), "\"$x %d\"");
    assert_eq!(sanitise("Web-Tier.1"), "web_tier_1");
    assert_eq!(sanitise("1st"), "_1st");
    assert_eq!(sanitise(""), "_");
    let parsed = parse("quote", &format!("x = {}", quote("a\"b${x}\u{7}\n\\")));
    assert_eq!(attr(&parsed, "x"), Some(&Expression::String("a\"b${x}\u{7}\n\\".into())));
}

#[test]
fn colliding_ids_get_distinct_names() {
    let mut design = common::example();
    let asg = design.elements.iter().position(|e| e.id.as_str() == "asg-web").unwrap();
    let mut twin = Element::clone(&design.elements[asg]);
    twin.id = "asg_web".into();
    design.elements.push(Arc::new(twin));
    let body = parse("twins", &terraform(&design));
    assert!(resource(&body, "azurerm_application_security_group", "asg_web").is_some());
    assert!(resource(&body, "azurerm_application_security_group", "asg_web_2").is_some());
}

#[test]
fn half_drawn_elements_are_left_out_with_a_comment() {
    let mut design = common::example();
    for element in design.elements.iter_mut().map(Arc::make_mut) {
        match &mut element.props {
            ElementProps::Subnet(s) if element.id.as_str() == "web-snet" => s.prefix = None,
            ElementProps::Vm(vm) if element.id.as_str() == "db" => vm.size = None,
            _ => {}
        }
    }
    let text = terraform(&design);
    let body = parse("half-drawn", &text);
    assert_references_resolve("half-drawn", &body);
    assert!(text.contains("# subnet \"web-snet\" left out: it has no prefix."), "{text}");
    assert!(text.contains("# vm \"db\" left out: it has no size."), "{text}");
    assert!(text.contains("# vm \"web\" left out: its parent \"web-snet\" is left out."), "{text}");
    assert!(resource(&body, "azurerm_subnet", "web_snet").is_none());

    // An empty design and one made only of loose ends still give valid configuration.
    let body = parse("empty", &terraform(&Design::default()));
    assert_references_resolve("empty", &body);
    let mut loose = common::design("format/v1/every-kind.moat.json");
    for element in loose.elements.iter_mut().map(Arc::make_mut) {
        element.parent = None;
    }
    let body = parse("loose", &terraform(&loose));
    assert_references_resolve("loose", &body);
}
