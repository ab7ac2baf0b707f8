//! The generated hub-spoke designs (`generate::hub_spoke`) that the benchmarks measure are
//! valid, laid out, free of error and warning findings, and grow linearly with the number of
//! spokes.

use moat_model::generate::hub_spoke;
use moat_model::rules::{Severity, validate};
use moat_model::{ElementKind, LinkKind, check, format};

#[test]
fn generated_designs_pass_check_and_have_no_error_findings() {
    for spokes in [1, 10, 100] {
        let design = hub_spoke(spokes);
        assert_eq!(check(&design), [], "{spokes} spokes: structural problems");
        let report = validate(&design);
        let errors: Vec<_> = report.findings.iter().filter(|f| f.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{spokes} spokes: error findings {errors:#?}");
        // Each spoke is its own workload, so adding spokes does not lower the availability
        // (HA-05); what is left are the ISO-01 infos, one per VM tier.
        let warnings: Vec<_> = report.findings.iter().filter(|f| f.severity == Severity::Warning).collect();
        assert!(warnings.is_empty(), "{spokes} spokes: warnings {warnings:#?}");
        assert_eq!(report.summary.info, 3 * spokes, "{spokes} spokes");
        let layout = design.layout.as_ref().expect("laid out");
        assert!(design.elements.iter().all(|e| layout.contains_key(&e.id)), "{spokes} spokes: every element placed");
    }
}

#[test]
fn the_element_count_grows_linearly() {
    let size = |spokes: usize| {
        let design = hub_spoke(spokes);
        (design.elements.len(), design.links.len())
    };
    let (e1, l1) = size(1);
    let (e10, l10) = size(10);
    let (e100, l100) = size(100);
    // 19 hub elements and 17 per spoke; 4 hub links and 5 per spoke.
    assert_eq!((e1, l1), (19 + 17, 4 + 5));
    assert_eq!((e10, l10), (19 + 17 * 10, 4 + 5 * 10));
    assert_eq!((e100, l100), (19 + 17 * 100, 4 + 5 * 100));
    println!("elements + links: 1 spoke {}, 10 spokes {}, 100 spokes {}", e1 + l1, e10 + l10, e100 + l100);
}

#[test]
fn a_spoke_has_three_tiers_a_peering_and_the_declared_flows() {
    let design = hub_spoke(3);
    let count = |kind| design.elements.iter().filter(|e| e.kind() == kind).count();
    assert_eq!(count(ElementKind::Vnet), 4, "hub and three spokes");
    assert_eq!(count(ElementKind::Vm), 9);
    assert_eq!(count(ElementKind::LoadBalancer), 9);
    assert_eq!(count(ElementKind::Nsg), 10, "one per tier and the DMZ's");
    for kind in [ElementKind::Firewall, ElementKind::Bastion, ElementKind::VpnGateway, ElementKind::ExpressRouteGateway]
    {
        assert_eq!(count(kind), 1, "{kind:?}");
    }
    let links = |kind| design.links.iter().filter(|l| l.kind() == kind).count();
    assert_eq!(links(LinkKind::Peering), 3);
    assert_eq!(links(LinkKind::Flow), 9, "on-premises → web → business → data, per spoke");
    let verdicts = moat_model::reach::flow_verdicts(&design);
    assert_eq!(verdicts.len(), 9);
    for (flow, answer) in verdicts {
        assert_eq!(answer.verdict, moat_model::reach::Verdict::Allow, "{flow}: {}", answer.reason);
    }
}

#[test]
fn spoke_address_spaces_stay_valid_up_to_a_thousand_spokes() {
    let design = hub_spoke(1000);
    assert_eq!(check(&design), []);
    let last = design.element("spoke1000").expect("the last spoke");
    let moat_model::ElementProps::Vnet(vnet) = &last.props else { panic!("a vnet") };
    assert_eq!(vnet.address_space, ["10.16.156.0/22"]);
    // The design survives a round trip through its file format.
    let loaded = format::load(&format::to_json(&design)).expect("loads").design;
    assert_eq!(loaded, design);
}
