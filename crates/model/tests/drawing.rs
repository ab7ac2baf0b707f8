//! The drawing every picture shares: labels inside their boxes, links around the boxes they
//! do not join, on every template and on a generated design of ten spokes.

use std::collections::HashSet;

use moat_model::Design;
use moat_model::design::Rect;
use moat_model::drawing::route::{Routes, segment_enters};
use moat_model::drawing::text::width;
use moat_model::drawing::{face, link_style};
use moat_model::layout::effective_layout;
use moat_model::rules::i18n::Lang;

fn designs() -> Vec<(String, Design)> {
    let mut all: Vec<(String, Design)> = moat_model::templates::templates()
        .iter()
        .map(|t| (t.name.to_owned(), moat_model::templates::instantiate(t.name).expect("template")))
        .collect();
    all.push(("10 spokes".into(), moat_model::generate::hub_spoke(10)));
    all
}

#[test]
fn every_link_runs_around_the_boxes_it_does_not_join() {
    for (name, design) in designs() {
        let layout = effective_layout(&design);
        let routes = Routes::new(&design, &layout);
        for (link, route) in design.links.iter().zip(&routes.drawn) {
            let route = route.as_ref().expect("both ends are drawn");
            assert!(route.points.len() >= 2);
            for (a, b) in route.segments() {
                assert!(
                    (a.0 - b.0).abs() < 1e-9 || (a.1 - b.1).abs() < 1e-9,
                    "{name}: {} is orthogonal: {:?}",
                    link.id,
                    route.points
                );
            }
            let related: HashSet<&str> = design
                .with_containers(link.from.as_str())
                .union(&design.with_containers(link.to.as_str()))
                .copied()
                .collect();
            for element in &design.elements {
                let inside_an_end = design
                    .with_containers(element.id.as_str())
                    .iter()
                    .any(|c| *c == link.from.as_str() || *c == link.to.as_str());
                if related.contains(element.id.as_str()) || inside_an_end {
                    continue;
                }
                let rect = layout[&element.id];
                for (a, b) in route.segments() {
                    assert!(
                        !segment_enters(a, b, &rect, 0.0),
                        "{name}: {} ({}) runs through {}: {:?}",
                        link.id,
                        link.kind().as_str(),
                        element.id,
                        route.points
                    );
                }
            }
        }
    }
}

#[test]
fn links_between_the_same_boxes_are_drawn_apart() {
    for (name, design) in designs() {
        let layout = effective_layout(&design);
        let routes = Routes::new(&design, &layout);
        for (i, a) in design.links.iter().enumerate() {
            for (j, b) in design.links.iter().enumerate().skip(i + 1) {
                if (a.from == b.from && a.to == b.to) || (a.from == b.to && a.to == b.from) {
                    assert_ne!(routes.drawn[i], routes.drawn[j], "{name}: {} and {} are drawn apart", a.id, b.id);
                }
            }
        }
    }
}

#[test]
fn every_label_and_chip_stays_inside_its_box() {
    for lang in [Lang::En, Lang::Ja] {
        for (name, design) in designs() {
            let layout = effective_layout(&design);
            for element in &design.elements {
                let rect = layout[&element.id];
                let index = design.index();
                let face = face(element, &rect, lang, &moat_model::drawing::names_in(&index));
                let mut boxes: Vec<(String, Rect)> = face
                    .lines
                    .iter()
                    .map(|line| {
                        let w = width(&line.text, line.part.size(), line.part.weight());
                        (
                            line.text.clone(),
                            Rect { x: line.x, y: line.y - line.part.size(), w, h: line.part.size() * 1.2 },
                        )
                    })
                    .collect();
                boxes.extend(face.chips.iter().map(|chip| (chip.text.clone(), chip.rect)));
                for (text, b) in &boxes {
                    let inside =
                        b.x >= rect.x && b.y >= rect.y && b.x + b.w <= rect.x + rect.w && b.y + b.h <= rect.y + rect.h;
                    assert!(inside, "{name}: {text:?} of {} lies in its box {rect:?}: {b:?}", element.id);
                }
                for (i, (t1, b1)) in boxes.iter().enumerate() {
                    for (t2, b2) in &boxes[i + 1..] {
                        let apart =
                            b1.x + b1.w <= b2.x || b2.x + b2.w <= b1.x || b1.y + b1.h <= b2.y || b2.y + b2.h <= b1.y;
                        assert!(apart, "{name}: {t1:?} and {t2:?} of {} overlap", element.id);
                    }
                }
                if element.kind().is_container() {
                    for (text, b) in &boxes {
                        assert!(
                            b.y + b.h <= rect.y + moat_model::drawing::HEADER,
                            "{name}: {text:?} stays in the header"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_long_name_is_cut_with_the_whole_name_as_a_tooltip() {
    let mut design = moat_model::templates::instantiate("hub-spoke-dmz").expect("template");
    let vm = design.elements.iter().find(|e| e.kind() == moat_model::ElementKind::Vm).expect("a VM").id.clone();
    let long = "Business tier application server of the order processing system";
    moat_model::edit::set_field(&mut design, vm.as_str(), "name", serde_json::json!(long)).unwrap();
    let layout = effective_layout(&design);
    let element = design.element(vm.as_str()).unwrap();
    let index = design.index();
    let face = face(element, &layout[&vm], Lang::En, &moat_model::drawing::names_in(&index));
    assert_eq!(face.tooltip.as_deref(), Some(long));
    let shown: Vec<&str> =
        face.lines.iter().filter(|l| l.part == moat_model::drawing::Part::Name).map(|l| l.text.as_str()).collect();
    assert!(shown.last().unwrap().ends_with('…'), "{shown:?}");
}

#[test]
fn a_subnet_names_its_nsg_and_route_table_and_a_vm_its_nsg_and_asgs() {
    let design = moat_model::templates::instantiate("hub-spoke-dmz").expect("template");
    let layout = effective_layout(&design);
    let subnet = design
        .elements
        .iter()
        .find(|e| e.props.as_subnet().is_some_and(|s| s.nsg.is_some() && s.route_table.is_some()))
        .expect("a subnet with an NSG and a route table");
    let index = design.index();
    let chips = face(subnet, &layout[&subnet.id], Lang::En, &moat_model::drawing::names_in(&index)).chips;
    let kinds: Vec<&str> = chips.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["nsg", "routeTable"]);
    let nsg = subnet.props.as_subnet().unwrap().nsg.clone().unwrap();
    assert_eq!(chips[0].name, design.element(nsg.as_str()).unwrap().display_name());
}

#[test]
fn directed_links_have_arrowheads_at_their_end() {
    use moat_model::LinkKind;
    let directed: Vec<&str> = LinkKind::ALL.iter().filter(|k| link_style(**k).directed).map(|k| k.as_str()).collect();
    assert_eq!(directed, ["vpn", "expressRoute", "flow"]);
}

#[test]
fn the_tidy_layout_nests_without_overlaps_and_puts_protection_under_its_vnet() {
    for (name, mut design) in designs() {
        moat_model::edit::tidy_up(&mut design);
        let layout = design.layout.clone().expect("tidied");
        for element in &design.elements {
            let rect = layout[&element.id];
            if let Some(parent) = element.parent.as_ref() {
                let outer = layout[parent];
                let inside = rect.x >= outer.x
                    && rect.y >= outer.y + moat_model::drawing::HEADER
                    && rect.x + rect.w <= outer.x + outer.w
                    && rect.y + rect.h <= outer.y + outer.h;
                assert!(inside, "{name}: {} lies in {parent}, below its header", element.id);
            }
            for other in design.elements.iter().filter(|o| o.parent == element.parent && o.id > element.id) {
                let b = layout[&other.id];
                let apart =
                    rect.x + rect.w <= b.x || b.x + b.w <= rect.x || rect.y + rect.h <= b.y || b.y + b.h <= rect.y;
                assert!(apart, "{name}: {} and {} overlap", element.id, other.id);
            }
        }
        // Each subnet's NSG is drawn right under the VNet of the subnet.
        for subnet in design.elements.iter().filter(|e| e.props.as_subnet().is_some()) {
            let Some(nsg) = subnet.props.as_subnet().and_then(|s| s.nsg.clone()) else { continue };
            let vnet = layout[subnet.parent.as_ref().expect("a subnet's VNet")];
            let shield = layout[&nsg];
            let first_user = design
                .elements
                .iter()
                .find(|e| e.props.as_subnet().is_some_and(|s| s.nsg.as_ref() == Some(&nsg)))
                .unwrap();
            if first_user.parent == subnet.parent {
                let under = shield.y >= vnet.y + vnet.h && shield.x >= vnet.x - 1.0 && shield.x < vnet.x + vnet.w;
                let beside = shield.x >= vnet.x + vnet.w && shield.y >= vnet.y - 1.0 && shield.y < vnet.y + vnet.h;
                assert!(under || beside, "{name}: {nsg} is under or beside its VNet");
                let between = design.elements.iter().filter(|e| e.kind() == moat_model::ElementKind::Vnet).any(|v| {
                    let r = layout[&v.id];
                    let below_vnet =
                        r.y > vnet.y + vnet.h && r.y < shield.y && r.x < shield.x + shield.w && shield.x < r.x + r.w;
                    let right_of_vnet =
                        r.x > vnet.x + vnet.w && r.x < shield.x && r.y < shield.y + shield.h && shield.y < r.y + r.h;
                    below_vnet || right_of_vnet
                });
                assert!(!between, "{name}: no other VNet lies between {nsg} and its VNet");
            }
        }
    }
}

#[test]
fn the_hub_comes_first_and_its_spokes_beside_it() {
    let mut design = moat_model::generate::hub_spoke(10);
    moat_model::edit::tidy_up(&mut design);
    let layout = design.layout.clone().expect("tidied");
    let vnets: Vec<&moat_model::Element> =
        design.elements.iter().map(|e| &**e).filter(|e| e.kind() == moat_model::ElementKind::Vnet).collect();
    let hub =
        vnets.iter().max_by_key(|v| design.links.iter().filter(|l| l.from == v.id || l.to == v.id).count()).unwrap();
    let hub_box = layout[&hub.id];
    for spoke in vnets.iter().filter(|v| v.id != hub.id) {
        assert!(layout[&spoke.id].x > hub_box.x + hub_box.w, "{} is right of the hub", spoke.id);
    }
}
