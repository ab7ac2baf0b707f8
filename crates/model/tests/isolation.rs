//! Isolation per tier and its cost.

mod common;

use common::{example, fixture_text};
use moat_model::cost::PriceBook;
use moat_model::isolation::{ComputeIsolation, isolation};

fn clean() -> moat_model::Design {
    moat_model::load(&fixture_text("rules/clean.moat.json")).unwrap().design
}

#[test]
fn the_clean_design_is_on_dedicated_hosts_segmented_and_tunnelled() {
    let report = isolation(&clean(), &PriceBook::builtin());
    let web = &report.tiers["web"];
    assert_eq!(web.compute, ComputeIsolation::DedicatedHost);
    assert!(web.asg && web.forced_tunnelling && web.own_subnet && !web.public_endpoint && !web.side_channel_exposure);
    assert!(!web.own_spoke, "the spoke holds three tiers");
    // On hosts, VM compute is free and the hosts cost: isolation costs more than shared hardware.
    assert!(report.cost.overhead > 0.0, "{:?}", report.cost);
    assert!(!report.cost.incomplete);
}

#[test]
fn a_dmz_vm_on_a_host_with_other_tiers_is_exposed_to_side_channels() {
    let mut design = clean();
    moat_model::edit::set_field(&mut design, "web", "tier", serde_json::json!("dmz")).unwrap();
    let report = isolation(&design, &PriceBook::builtin());
    assert!(report.tiers["web"].side_channel_exposure && report.tiers["biz"].side_channel_exposure);
    assert!(!report.tiers["db"].side_channel_exposure, "db runs on its own host");
}

#[test]
fn shared_hardware_costs_nothing_extra_and_consolidation_is_priced() {
    let report = isolation(&example(), &PriceBook::builtin());
    assert_eq!(report.tiers["db"].compute, ComputeIsolation::Shared);
    assert_eq!(report.cost.overhead, 0.0);
    let consolidation = report.cost.consolidation.as_ref().unwrap();
    assert_eq!(consolidation.vcpus_per_vm, 16, "(4×2 + 4×2 + 8×2) vCPUs over two VMs");
    assert!(consolidation.size.as_deref().is_some_and(moat_model::compute::is_isolated));
    assert!(consolidation.monthly.is_some_and(|m| m > 0.0));
    insta::assert_json_snapshot!(report);
}
