//! Editing operations, as the editor performs them.

mod common;

use common::example;
use moat_model::design::Design;
use moat_model::edit::{
    self, add_element, connect, delete, link_kinds_between, move_elements, rename, set_field, settle,
};
use moat_model::element::{ElementKind, ElementProps};
use moat_model::history::History;
use moat_model::link::LinkKind;
use moat_model::schema::{Control, element_fields, link_fields};
use moat_model::{ElementId, Rect, check};
use serde_json::{Value, json};

fn rect(design: &Design, id: &str) -> Rect {
    design.layout.as_ref().unwrap()[id]
}

/// region-1 ⊃ vnet-1 ⊃ subnet-1 ⊃ vm-1, built as a person drops them.
fn drawn() -> Design {
    let mut design = Design::default();
    let region = add_element(&mut design, ElementKind::Region, None, (400.0, 300.0)).unwrap();
    let vnet = add_element(&mut design, ElementKind::Vnet, Some(region), (400.0, 300.0)).unwrap();
    let subnet = add_element(&mut design, ElementKind::Subnet, Some(vnet), (400.0, 300.0)).unwrap();
    add_element(&mut design, ElementKind::Vm, Some(subnet), (400.0, 300.0)).unwrap();
    design
}

#[test]
fn dropped_elements_get_readable_ids_usable_defaults_and_pass_the_check() {
    let design = drawn();
    let ids: Vec<&str> = design.elements.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["region-1", "vnet-1", "subnet-1", "vm-1"]);
    assert_eq!(edit::field_value(&design, "region-1", "location"), json!("westeurope"));
    assert_eq!(edit::field_value(&design, "vnet-1", "addressSpace"), json!(["10.0.0.0/16"]));
    assert_eq!(edit::field_value(&design, "subnet-1", "prefix"), json!("10.0.0.0/24"));
    assert_eq!(check(&design), []);
    // Each container holds what was dropped into it.
    let (vm, subnet) = (rect(&design, "vm-1"), rect(&design, "subnet-1"));
    assert!(subnet.x <= vm.x && vm.x + vm.w <= subnet.x + subnet.w);
}

#[test]
fn a_second_vnet_and_subnet_get_free_address_space() {
    let mut design = drawn();
    add_element(&mut design, ElementKind::Subnet, Some("vnet-1".into()), (0.0, 0.0)).unwrap();
    add_element(&mut design, ElementKind::Vnet, Some("region-1".into()), (0.0, 0.0)).unwrap();
    assert_eq!(edit::field_value(&design, "subnet-2", "prefix"), json!("10.0.1.0/24"));
    assert_eq!(edit::field_value(&design, "vnet-2", "addressSpace"), json!(["10.1.0.0/16"]));
}

#[test]
fn a_drop_where_the_kind_cannot_live_is_refused_with_a_hint() {
    let mut design = drawn();
    let cases = [
        (ElementKind::Vm, Some("region-1"), "a vm goes in a subnet"),
        (ElementKind::Subnet, None, "a subnet goes in a vnet"),
        (
            ElementKind::Firewall,
            Some("subnet-1"),
            "a firewall goes in a subnet with role firewall (AzureFirewallSubnet)",
        ),
        (ElementKind::OnPremises, Some("region-1"), "an onPremises stands at the top level, outside regions"),
    ];
    let before = design.clone();
    for (kind, parent, hint) in cases {
        assert_eq!(add_element(&mut design, kind, parent.map(ElementId::from), (0.0, 0.0)), Err(hint.to_owned()));
    }
    assert_eq!(design, before);
}

#[test]
fn moving_a_container_moves_what_is_inside() {
    let mut design = drawn();
    let before = rect(&design, "vm-1");
    move_elements(&mut design, &["vnet-1".into()], 30.0, -10.0);
    let after = rect(&design, "vm-1");
    assert_eq!((after.x, after.y), (before.x + 30.0, before.y - 10.0));
}

#[test]
fn an_element_dragged_into_another_container_moves_into_it_where_it_can_live() {
    let mut design = drawn();
    add_element(&mut design, ElementKind::Subnet, Some("vnet-1".into()), (400.0, 900.0)).unwrap();
    let target = rect(&design, "subnet-2");
    let vm = rect(&design, "vm-1");
    let (cx, cy) = target.center();
    let (dx, dy) = (cx - vm.center().0, cy - vm.center().1);
    let mut dropped = design.clone();
    move_elements(&mut design, &["vm-1".into()], dx, dy);
    assert_eq!(settle(&mut design, &["vm-1".into()]), Vec::<String>::new());
    assert_eq!(design.element("vm-1").unwrap().parent, Some("subnet-2".into()));
    // The editor's drop does both in one call.
    assert_eq!(edit::move_and_settle(&mut dropped, &["vm-1".into()], dx, dy), Vec::<String>::new());
    assert_eq!(dropped, design);

    // Dropped on the VNet's margin, a VM stays in its subnet and the user is told why.
    let vnet = rect(&design, "vnet-1");
    let vm = rect(&design, "vm-1");
    move_elements(&mut design, &["vm-1".into()], vnet.x + 5.0 - vm.center().0, vnet.y + 5.0 - vm.center().1);
    assert_eq!(settle(&mut design, &["vm-1".into()]), ["a vm goes in a subnet"]);
    assert_eq!(design.element("vm-1").unwrap().parent, Some("subnet-2".into()));
}

#[test]
fn deleting_takes_what_is_inside_links_and_references_with_it() {
    let mut design = example();
    delete(&mut design, &["web-snet".into(), "nsg-data".into(), "f-biz-db".into()]);
    for gone in ["web-snet", "web", "web-lb", "nsg-data"] {
        assert!(design.element(gone).is_none(), "{gone} is deleted");
    }
    assert!(design.links.is_empty(), "the flow from web and the deleted flow are gone");
    assert_eq!(edit::field_value(&design, "data-snet", "nsg"), Value::Null);
    assert_eq!(check(&design).iter().filter(|p| p.message.contains("does not exist")).count(), 0);
}

#[test]
fn renaming_follows_every_reference() {
    let mut design = example();
    rename(&mut design, "asg-web", "asg-front").unwrap();
    rename(&mut design, "web", "frontend").unwrap();
    rename(&mut design, "f-web-biz", "front-to-biz").unwrap();
    assert_eq!(check(&design), []);
    assert_eq!(edit::field_value(&design, "nsg-web", "rules"), {
        let rules = edit::field_value(&example(), "nsg-web", "rules").to_string();
        serde_json::from_str::<Value>(&rules.replace("asg:asg-web", "asg:asg-front")).unwrap()
    });
    assert_eq!(design.link("front-to-biz").unwrap().from, "frontend".into());
    assert_eq!(edit::field_value(&design, "web-lb", "backends"), json!(["frontend"]));
    assert_eq!(edit::field_value(&design, "web-lb", "backends.0"), json!("frontend"), "an item of a list");
    assert_eq!(edit::field_value(&design, "web-lb", "backends.7"), Value::Null);
    assert_eq!(rename(&mut design, "biz", "db"), Err("\"db\" is already used".to_owned()));
}

#[test]
fn setting_a_field_changes_only_that_field_or_says_why_not() {
    let mut design = drawn();
    set_field(&mut design, "vm-1", "diskEncryption.enabled", json!(true)).unwrap();
    set_field(&mut design, "vm-1", "zones", json!([1, 2])).unwrap();
    let ElementProps::Vm(vm) = &design.element("vm-1").unwrap().props else { panic!() };
    assert!(vm.disk_encryption.enabled);
    assert_eq!(vm.zones, [1, 2]);

    let before = design.clone();
    let error = set_field(&mut design, "vm-1", "count", json!("two")).unwrap_err();
    assert_eq!(error, "invalid type: string \"two\", expected u32");
    assert_eq!(set_field(&mut design, "vm-1", "parent", json!("region-1")), Err("a vm goes in a subnet".into()));
    assert_eq!(design, before);

    set_field(&mut design, "subnet-1", "role", json!("data")).unwrap();
    set_field(&mut design, "vm-1", "size", json!("Standard_D2s_v5")).unwrap();
    set_field(&mut design, "vm-1", "size", Value::Null).unwrap();
    assert_eq!(edit::field_value(&design, "vm-1", "size"), Value::Null);
}

/// The ids of the elements `after` holds as a copy of its own rather than sharing with `before`.
fn copied(before: &Design, after: &Design) -> Vec<String> {
    after
        .elements
        .iter()
        .filter(|element| !before.elements.iter().any(|old| std::sync::Arc::ptr_eq(old, element)))
        .map(|element| element.id.0.clone())
        .collect()
}

/// A design's versions (the undo history, the views) share the elements an edit leaves alone:
/// an edit of a large design copies only what it changes.
#[test]
fn an_edit_copies_only_the_elements_it_changes() {
    let before = example();

    let mut moved = before.clone();
    move_elements(&mut moved, &[ElementId::from("web")], 30.0, 0.0);
    settle(&mut moved, &[ElementId::from("web")]);
    assert_eq!(copied(&before, &moved), Vec::<String>::new(), "a move changes only the layout");

    let mut edited = before.clone();
    set_field(&mut edited, "nsg-web", "name", json!("Web tier rules")).unwrap();
    assert_eq!(copied(&before, &edited), ["nsg-web"]);
    assert_ne!(edited, before, "a copied element is compared by its content");

    let mut renamed = before.clone();
    rename(&mut renamed, "asg-web", "asg-front").unwrap();
    let mut changed = copied(&before, &renamed);
    changed.sort();
    assert_eq!(changed, ["asg-front", "nsg-biz", "nsg-web", "web"], "the element and those naming it");

    let mut deleted = before.clone();
    delete(&mut deleted, &["nsg-data".into()]);
    assert_eq!(copied(&before, &deleted), ["data-snet"], "the subnet that named the NSG");
}

#[test]
fn links_are_offered_and_made_only_between_ends_they_can_join() {
    let mut design = drawn();
    add_element(&mut design, ElementKind::Vnet, Some("region-1".into()), (0.0, 0.0)).unwrap();
    assert_eq!(link_kinds_between(&design, "vnet-1", "vnet-2"), [LinkKind::Peering]);
    assert_eq!(link_kinds_between(&design, "vm-1", "subnet-1"), [LinkKind::Flow]);
    assert_eq!(link_kinds_between(&design, "vm-1", "internet"), [LinkKind::Flow]);
    assert_eq!(connect(&mut design, LinkKind::Peering, "vnet-1", "vnet-2"), Ok("peering-1".into()));
    assert_eq!(
        connect(&mut design, LinkKind::Peering, "vm-1", "vnet-2"),
        Err("a peering link joins a vnet to a vnet".into())
    );
    assert_eq!(check(&design), []);
}

#[test]
fn pasting_copies_with_fresh_ids_and_references_among_the_copies() {
    let mut design = example();
    let clipboard = edit::copy(&design, &["web-snet".into()]);
    let tops = edit::paste(&mut design, &clipboard, (0.0, 40.0));
    assert_eq!(tops, [ElementId::from("subnet-1")]);
    assert_eq!(design.element("subnet-1").unwrap().parent, Some("app-vnet".into()));
    assert_eq!(design.element("vm-1").unwrap().parent, Some("subnet-1".into()));
    assert_eq!(edit::field_value(&design, "load-balancer-1", "backends"), json!(["vm-1"]));
    assert_eq!(design.elements.len(), example().elements.len() + 3);
}

#[test]
fn undo_and_redo_walk_the_history() {
    let mut history = History::default();
    let mut state = 1;
    for next in [2, 3] {
        history.record(state);
        state = next;
    }
    state = history.undo(state).unwrap();
    assert_eq!(state, 2);
    state = history.undo(state).unwrap();
    assert_eq!((state, history.can_undo(), history.can_redo()), (1, false, true));
    state = history.redo(state).unwrap();
    assert_eq!(state, 2);
    history.record(state);
    assert!(!history.can_redo(), "a new action drops what was undone");
}

#[test]
fn the_history_keeps_the_latest_undo_steps() {
    let mut history = History::default();
    let mut state = 0;
    for next in 1..=moat_model::history::UNDO_STEPS + 10 {
        history.record(state);
        state = next;
    }
    let mut undone = 0;
    while let Ok(previous) = history.undo(state) {
        state = previous;
        undone += 1;
    }
    assert_eq!(undone, moat_model::history::UNDO_STEPS);
    assert_eq!(state, 10, "the oldest states were let go");
}

#[test]
fn every_inspector_field_reads_and_writes_back_its_value() {
    let mut design = moat_model::load(&common::fixture_text("format/v1/every-kind.moat.json")).unwrap().design;
    let targets: Vec<(String, Vec<moat_model::schema::FieldSpec>)> = design
        .elements
        .iter()
        .map(|e| (e.id.0.clone(), element_fields(e.kind())))
        .chain(design.links.iter().map(|l| (l.id.0.clone(), link_fields(l.kind()))))
        .collect();
    for (id, fields) in targets {
        for field in fields {
            let value = edit::field_value(&design, &id, field.path);
            let text = field.control.display(&value);
            let parsed = field.control.parse(&text).unwrap_or_else(|e| panic!("{id}.{}: {text:?}: {e}", field.path));
            let before = design.clone();
            set_field(&mut design, &id, field.path, parsed).unwrap_or_else(|e| panic!("{id}.{}: {e}", field.path));
            assert_eq!(design, before, "{id}.{} changed when written back unchanged", field.path);
        }
    }
}

#[test]
fn every_kind_has_fields_that_exist_in_its_record() {
    for kind in ElementKind::ALL {
        let element = moat_model::Element::new("x", *kind, None);
        let value = serde_json::to_value(&element).unwrap();
        for field in element_fields(*kind) {
            let optional = matches!(
                field.control,
                Control::Text
                    | Control::Reference(_)
                    | Control::OptionalChoice(_)
                    | Control::OptionalInteger { .. }
                    | Control::Cidr
            );
            let present = value.pointer(&format!("/{}", field.path.replace('.', "/"))).is_some();
            assert!(present || optional, "{kind}.{} is neither written nor optional", field.path);
        }
    }
}

#[test]
fn typed_values_are_checked_before_they_are_set() {
    assert_eq!(
        Control::Cidr.parse("10.0.0.5/24"),
        Err("\"10.0.0.5/24\" is not a network address; did you mean 10.0.0.0/24?".into())
    );
    assert_eq!(Control::CidrList.parse("10.0.0.0/16, 10.1.0.0/16"), Ok(json!(["10.0.0.0/16", "10.1.0.0/16"])));
    assert_eq!(Control::Zones.parse("1, 4"), Err("zone 4: zones are 1, 2 and 3".into()));
    assert_eq!(Control::Integer { min: 1, max: 10 }.parse("0"), Err("a whole number from 1 to 10".into()));
    assert_eq!(Control::PortList.parse("443, 8443"), Ok(json!([443, 8443])));
    assert_eq!(Control::Text.parse("  "), Ok(Value::Null));
}

#[test]
fn amounts_are_read_as_people_type_them() {
    use moat_model::schema::parse_amount;
    for (typed, read) in [
        ("99.95", 99.95),
        ("730", 730.0),
        (" .5 ", 0.5),
        ("5.", 5.0),
        ("007", 7.0),
        ("0", 0.0),
        ("+2", 2.0),
        ("1e3", 1000.0),
        ("0.096", 0.096),
    ] {
        assert_eq!(parse_amount(typed), Some(read), "{typed:?}");
    }
    for refused in ["", "-1", "abc", "1,5", "NaN", "inf", "1e999", "1.2.3"] {
        assert_eq!(parse_amount(refused), None, "{refused:?}");
    }
    assert_eq!(Control::Number.parse("12.5"), Ok(json!(12.5)));
    assert_eq!(Control::Number.parse("-3"), Err("a number, e.g. 99.95".into()));
}

#[test]
fn dropping_an_nsg_route_table_or_asg_on_what_it_protects_associates_it() {
    let mut design = example();
    let before = design.clone();
    moat_model::edit::associate(&mut design, "nsg-biz", "web-snet").unwrap();
    let nsg_of = |design: &Design, id: &str| match &design.element(id).unwrap().props {
        ElementProps::Subnet(subnet) => subnet.nsg.clone(),
        ElementProps::Vm(vm) => vm.nsg.clone(),
        _ => None,
    };
    assert_eq!(nsg_of(&design, "web-snet"), Some(ElementId::from("nsg-biz")));
    assert_eq!(design.layout, before.layout, "nothing moves");
    moat_model::edit::associate(&mut design, "nsg-web", "web").unwrap();
    assert_eq!(nsg_of(&design, "web"), Some(ElementId::from("nsg-web")), "a VM's NIC NSG");

    // An ASG joins the VM's ASGs, once.
    for _ in 0..2 {
        moat_model::edit::associate(&mut design, "asg-biz", "web").unwrap();
    }
    let ElementProps::Vm(vm) = &design.element("web").unwrap().props else { panic!("web is a VM") };
    assert_eq!(vm.asgs, [ElementId::from("asg-web"), ElementId::from("asg-biz")]);

    // What does not associate is refused and changes nothing.
    let unchanged = design.clone();
    let refused = moat_model::edit::associate(&mut design, "asg-web", "web-snet").unwrap_err();
    assert_eq!(refused, "an asg is not associated with a subnet");
    assert!(moat_model::edit::associate(&mut design, "kv", "web").is_err());
    assert_eq!(design, unchanged);
    assert_eq!(check(&design), []);
}

#[test]
fn an_nsg_dropped_from_the_palette_on_a_subnet_is_added_to_its_region_and_associated() {
    let mut design = example();
    let id = moat_model::edit::add_associated(&mut design, ElementKind::Nsg, "data-snet").unwrap();
    let element = design.element(id.as_str()).unwrap();
    assert_eq!(element.parent, Some(ElementId::from("weu")));
    let ElementProps::Subnet(subnet) = &design.element("data-snet").unwrap().props else { panic!("a subnet") };
    assert_eq!(subnet.nsg.as_ref(), Some(&id));
    // It goes under what the region held, inside the region, over nothing.
    let (added, region) = (rect(&design, id.as_str()), rect(&design, "weu"));
    assert!(added.x >= region.x && added.y + added.h <= region.y + region.h, "{added:?} in {region:?}");
    for other in design.children("weu").filter(|e| e.id != id) {
        let r = rect(&design, other.id.as_str());
        assert!(
            r.y + r.h <= added.y || added.y + added.h <= r.y || r.x + r.w <= added.x || added.x + added.w <= r.x,
            "{} at {r:?} overlaps the new NSG at {added:?}",
            other.id
        );
    }
    assert_eq!(check(&design), []);
    assert!(moat_model::edit::add_associated(&mut design, ElementKind::RouteTable, "web").is_err());
}

#[test]
fn a_refused_link_can_name_every_way_an_element_is_linked() {
    use moat_model::edit::{link_ways, protected_kinds};
    use moat_model::element::ElementKind as K;
    use moat_model::link::LinkKind as L;
    // A VPN gateway is linked only from an on-premises site, by a site-to-site VPN.
    assert_eq!(link_ways(K::VpnGateway), vec![(L::Vpn, vec![K::OnPremises])]);
    // A VNet: peered with VNets, and linked to private DNS zones.
    assert_eq!(link_ways(K::Vnet), vec![(L::Peering, vec![K::Vnet]), (L::DnsLink, vec![K::PrivateDnsZone])]);
    // An NSG takes no link: it protects subnets and VMs instead.
    assert!(link_ways(K::Nsg).is_empty());
    assert_eq!(protected_kinds(K::Nsg), &[K::Subnet, K::Vm]);
    assert_eq!(protected_kinds(K::RouteTable), &[K::Subnet]);
    assert!(protected_kinds(K::Vm).is_empty());
}

#[test]
fn elements_are_labelled_by_name_and_by_id_only_where_names_repeat() {
    use moat_model::design::Labels;
    let mut design = common::example();
    moat_model::edit::set_field(&mut design, "web", "name", serde_json::json!("Web tier")).unwrap();
    moat_model::edit::set_field(&mut design, "biz", "name", serde_json::json!("App tier")).unwrap();
    moat_model::edit::set_field(&mut design, "db", "name", serde_json::json!("App tier")).unwrap();
    let labels = Labels::of(&design);
    assert_eq!(labels.get("web"), "Web tier");
    assert_eq!(labels.get("biz"), "App tier (biz)");
    assert_eq!(labels.get("db"), "App tier (db)");
    assert_eq!(labels.get("kv"), design.element("kv").unwrap().display_name(), "no name: the id");
    assert_eq!(labels.get("gone"), "gone");
}

#[test]
fn an_element_dropped_where_it_cannot_live_gets_the_containers_it_needs() {
    use moat_model::edit::{add_with_containers, containers_needed};
    use moat_model::element::{ElementKind as K, SubnetRole};
    let mut design = example();
    // A VM on the blank canvas: a region, a VNet and a subnet.
    let needed = containers_needed(&design, K::Vm, None).expect("containers help");
    assert_eq!(needed, (None, vec![(K::Region, None), (K::Vnet, None), (K::Subnet, None)]));
    let before = design.elements.len();
    let vm = add_with_containers(&mut design, K::Vm, (needed.0, &needed.1), (3000.0, 3000.0)).unwrap();
    assert_eq!(design.elements.len(), before + 4);
    assert!(moat_model::check::check(&design).is_empty(), "{:?}", moat_model::check::check(&design));
    let subnet = design.element(vm.as_str()).unwrap().parent.clone().unwrap();
    let vnet = design.element(subnet.as_str()).unwrap().parent.clone().unwrap();
    assert_eq!(design.element(vnet.as_str()).unwrap().kind(), K::Vnet);
    // Each container holds the next, below its header.
    let layout = design.layout.as_ref().unwrap();
    for (inner, outer) in [(vm.as_str(), subnet.as_str()), (subnet.as_str(), vnet.as_str())] {
        let (i, o) = (layout[inner], layout[outer]);
        assert!(
            i.x >= o.x && i.x + i.w <= o.x + o.w && i.y >= o.y + 36.0 && i.y + i.h <= o.y + o.h,
            "{inner} in {outer}"
        );
    }

    // A firewall dropped in the web subnet: an AzureFirewallSubnet in the web subnet's VNet.
    let needed = containers_needed(&design, K::Firewall, Some("web-snet")).expect("a subnet helps");
    assert_eq!(needed, (Some("app-vnet".into()), vec![(K::Subnet, Some(SubnetRole::Firewall))]));
    // What fits needs nothing; what stands at the top level is not helped by a container.
    assert_eq!(containers_needed(&design, K::Vm, Some("web-snet")), None);
    assert_eq!(containers_needed(&design, K::Region, Some("web-snet")), None);
    // An NSG dropped on a VNet fits the region around it: nothing to make.
    assert_eq!(containers_needed(&design, K::Nsg, Some("app-vnet")), None);
}

#[test]
fn an_element_dropped_near_a_container_it_fits_can_go_into_it() {
    use moat_model::edit::nearest_container_for;
    use moat_model::element::ElementKind as K;
    let design = example();
    let layout = moat_model::layout::effective_layout(&design);
    let vnet = layout["app-vnet"];
    // Just right of the VNet: the nearest subnet, at a point inside it.
    let at = (vnet.x + vnet.w + 40.0, vnet.y + 60.0);
    let (subnet, point) = nearest_container_for(&design, &layout, K::Vm, at).expect("a subnet");
    assert_eq!(design.element(subnet.as_str()).unwrap().kind(), K::Subnet);
    let rect = layout[subnet.as_str()];
    assert!(point.0 > rect.x && point.0 < rect.x + rect.w && point.1 > rect.y + 36.0 && point.1 < rect.y + rect.h);
}

#[test]
fn a_usage_assumption_is_set_removed_and_never_negative() {
    let mut design = example();
    edit::set_design_field(&mut design, "usage.peeringGbPerMonth", json!(250)).unwrap();
    assert_eq!(design.usage["peeringGbPerMonth"], json!(250));
    let refused = edit::set_design_field(&mut design, "usage.peeringGbPerMonth", json!(-5));
    assert_eq!(refused, Err("a usage figure is a number of at least 0".to_owned()));
    assert_eq!(design.usage["peeringGbPerMonth"], json!(250), "a refused figure changes nothing");
    edit::set_design_field(&mut design, "usage.peeringGbPerMonth", Value::Null).unwrap();
    assert!(design.usage.is_empty(), "back to the stated default");
    edit::set_design_field(&mut design, "governance.logGbPerDay", json!(12.5)).unwrap();
    assert_eq!(design.governance.log_gb_per_day, Some(12.5));
}
