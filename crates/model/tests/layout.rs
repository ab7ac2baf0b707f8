//! Automatic layout: containers hold their content, siblings do not overlap.

mod common;

use common::{design, example};
use moat_model::Rect;
use moat_model::layout::{auto_layout, effective_layout, moved_boxes, same_geometry, same_structure};

fn inside(outer: &Rect, inner: &Rect) -> bool {
    outer.x <= inner.x
        && outer.y <= inner.y
        && inner.x + inner.w <= outer.x + outer.w
        && inner.y + inner.h <= outer.y + outer.h
}

fn overlap(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

fn assert_nested_without_overlap(design: &moat_model::Design) {
    let layout = auto_layout(design);
    for element in &design.elements {
        let rect = layout.get(&element.id).unwrap_or_else(|| panic!("{} has no box", element.id));
        if let Some(parent) = element.parent.as_ref().and_then(|p| layout.get(p)) {
            assert!(inside(parent, rect), "{} is not inside its parent", element.id);
        }
        for other in &design.elements {
            if other.id != element.id && other.parent == element.parent {
                assert!(!overlap(rect, &layout[&other.id]), "{} overlaps {}", element.id, other.id);
            }
        }
    }
}

#[test]
fn the_example_is_laid_out_nested_without_overlaps() {
    assert_nested_without_overlap(&example());
}

#[test]
fn a_design_of_every_kind_is_laid_out_nested_without_overlaps() {
    let mut design = design("format/v1/every-kind.moat.json");
    design.layout = None;
    assert_nested_without_overlap(&design);
}

#[test]
fn positions_in_the_design_win_over_automatic_ones() {
    let design = design("format/v1/every-kind.moat.json");
    let layout = effective_layout(&design);
    assert_eq!(layout["hub"], Rect { x: 0.0, y: 0.0, w: 600.0, h: 400.0 });
    assert_eq!(layout.len(), design.elements.len());
}

#[test]
fn a_parent_cycle_still_gets_every_element_a_box() {
    let text = r#"{ "format": "moat-design", "version": 1, "elements": [
        { "id": "a", "kind": "subnet", "parent": "b" }, { "id": "b", "kind": "vnet", "parent": "a" },
        { "id": "c", "kind": "vm", "parent": "c" } ] }"#;
    let design = moat_model::load(text).unwrap().design;
    let layout = auto_layout(&design);
    assert_eq!(layout.len(), 3);
}

#[test]
fn the_geometry_changes_with_places_and_structure_not_with_fields() {
    let original = example();
    let mut renamed = original.clone();
    std::sync::Arc::make_mut(&mut renamed.elements[0]).name = Some("Somewhere else".into());
    renamed.meta.title = "Another title".into();
    assert!(same_geometry(&original, &renamed), "names and titles are not geometry");

    let mut moved = original.clone();
    moat_model::edit::pin_layout(&mut moved);
    let mut moved_again = moved.clone();
    assert!(same_geometry(&moved, &moved_again));
    let first = moved_again.elements[1].id.clone();
    moved_again.layout.as_mut().unwrap().get_mut(&first).unwrap().x += 10.0;
    assert!(!same_geometry(&moved, &moved_again), "a moved element");
    assert!(same_structure(&moved, &moved_again), "a move keeps the structure");
    assert_eq!(moved_boxes(&moved, &moved_again), Some(vec![&first]), "the one box that moved");
    assert_eq!(moved_boxes(&moved, &moved), Some(vec![]));
    assert_eq!(moved_boxes(&original, &moved), None, "a design without a layout of its own");
    let mut dropped = moved.clone();
    dropped.layout.as_mut().unwrap().remove(&first);
    assert_eq!(moved_boxes(&moved, &dropped), None, "layouts with other elements");

    let mut reparented = original.clone();
    let leaf = reparented.elements.iter().position(|e| e.parent.is_some()).unwrap();
    std::sync::Arc::make_mut(&mut reparented.elements[leaf]).parent = None;
    assert!(!same_geometry(&original, &reparented), "another parent");
    assert!(!same_structure(&original, &reparented));

    let mut relinked = original.clone();
    if let Some(link) = relinked.links.first_mut() {
        link.to = link.from.clone();
        assert!(!same_geometry(&original, &relinked), "a link to another end");
    }
    let mut fewer = original.clone();
    fewer.elements.pop();
    assert!(!same_geometry(&original, &fewer), "an element fewer");
}

/// No analysis reads where things are drawn, so the app keeps the answers over a move (and
/// the inspector keeps its view) instead of running them again: a design with every
/// element moved and one laid out automatically get the same answers.
#[test]
fn the_analyses_do_not_depend_on_where_things_are_drawn() {
    let designs =
        moat_model::templates::templates().iter().map(|t| moat_model::templates::instantiate(t.name).unwrap());
    for drawn in designs.chain([example()]) {
        let mut moved = drawn.clone();
        moat_model::edit::pin_layout(&mut moved);
        for rect in moved.layout.as_mut().unwrap().values_mut() {
            rect.x += 17.0;
            rect.y -= 5.0;
            rect.w += 3.0;
        }
        let mut unplaced = drawn.clone();
        unplaced.layout = None;
        for other in [&moved, &unplaced] {
            assert!(drawn.same_apart_from_layout(other));
            assert_eq!(moat_model::check(&drawn), moat_model::check(other), "{}", drawn.meta.title);
            assert_eq!(moat_model::rules::validate(&drawn), moat_model::rules::validate(other));
            assert_eq!(moat_model::reach::flow_verdicts(&drawn), moat_model::reach::flow_verdicts(other));
            let book = moat_model::cost::PriceBook::builtin();
            assert_eq!(moat_model::estimate::estimate(&drawn, &book), moat_model::estimate::estimate(other, &book));
        }
        assert_ne!(drawn, moved, "a move is a change of the design");
    }
}
