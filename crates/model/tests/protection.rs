//! What an NSG, a route table or an ASG protects: the subnets and VMs the canvas highlights
//! when one is selected (`Design::protected_by`).

mod common;

use std::collections::BTreeSet;

use common::example;

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| (*id).to_owned()).collect()
}

#[test]
fn an_nsg_protects_its_subnets_and_an_asg_its_vms() {
    let design = example();
    assert_eq!(design.protected_by(&set(&["nsg-web"])), set(&["web-snet"]));
    assert_eq!(design.protected_by(&set(&["asg-web"])), set(&["web"]));
    assert_eq!(design.protected_by(&set(&["nsg-web", "asg-db"])), set(&["db", "web-snet"]));
}

#[test]
fn a_route_table_protects_every_subnet_it_is_on_and_a_nic_nsg_its_vm() {
    let template = moat_model::templates::instantiate("hub-spoke-dmz").unwrap();
    let spokes = template.protected_by(&set(&["rt-spokes"]));
    assert_eq!(spokes, set(&["biz1-snet", "biz2-snet", "db1-snet", "db2-snet", "web1-snet", "web2-snet"]));
    let mut design = example();
    moat_model::edit::set_field(&mut design, "biz", "nsg", serde_json::json!("nsg-web")).unwrap();
    assert_eq!(design.protected_by(&set(&["nsg-web"])), set(&["biz", "web-snet"]));
}

#[test]
fn other_elements_protect_nothing() {
    let design = example();
    assert!(design.protected_by(&set(&["web", "web-snet", "nowhere"])).is_empty());
    assert!(design.protected_by(&BTreeSet::new()).is_empty());
}
