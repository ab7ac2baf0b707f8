//! The draw.io and Mermaid exports (SPEC §7): well-formed, complete, nested like the design,
//! and safe against hostile names.

mod common;

use std::collections::HashMap;

use moat_model::export::drawio::drawio;
use moat_model::export::mermaid::mermaid;
use moat_model::{Design, Element, ElementKind, Link, LinkKind};

const HOSTILE: &str = "<script>alert(1)</script> \"quoted\" 'single' ]]> & #quot; |pipe| end\nsecond line";

fn designs() -> Vec<(&'static str, Design)> {
    vec![
        ("n-tier", common::example()),
        ("clean", common::design("rules/clean.moat.json")),
        ("every-kind", common::design("format/v1/every-kind.moat.json")),
        ("defaults", common::design("format/v1/defaults.moat.json")),
        ("unknown-fields", common::design("format/v1/unknown-fields.moat.json")),
    ]
}

/// A small design whose every name and id is hostile.
fn hostile() -> Design {
    let mut design = Design::default();
    design.meta.title = HOSTILE.to_owned();
    let mut add = |id: &str, kind: ElementKind, parent: Option<&str>| {
        let mut element = Element::new(id, kind, parent.map(Into::into));
        element.name = Some(format!("{HOSTILE} {id}"));
        design.elements.push(element.into());
    };
    add("r\"<x>", ElementKind::Region, None);
    add("v]]>", ElementKind::Vnet, Some("r\"<x>"));
    add("s&amp;", ElementKind::Subnet, Some("v]]>"));
    add("end", ElementKind::Vm, Some("s&amp;"));
    add("a b", ElementKind::Vm, Some("s&amp;"));
    add("a_b", ElementKind::OnPremises, None);
    let mut flow = Link::new("f\"", LinkKind::Flow, "end", "a b");
    flow.name = Some(HOSTILE.to_owned());
    design.links.push(flow);
    design.links.push(Link::new("f2", LinkKind::Flow, "a_b", "end"));
    design
}

fn attr<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    node.attribute(name).unwrap_or_default()
}

// ---- draw.io -----------------------------------------------------------------------------

fn check_drawio(what: &str, design: &Design) -> String {
    let text = drawio(design);
    let document = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{what}: not XML: {e}\n{text}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "mxfile");
    let diagram = root.children().find(|n| n.has_tag_name("diagram")).expect("a diagram");
    assert_eq!(attr(diagram, "name"), if design.meta.title.is_empty() { "Moat design" } else { &design.meta.title });
    let model = diagram.children().find(|n| n.has_tag_name("mxGraphModel")).expect("an mxGraphModel");
    let cells_root = model.children().find(|n| n.has_tag_name("root")).expect("a root");
    let cells: Vec<_> = cells_root.children().filter(|n| n.has_tag_name("mxCell")).collect();
    assert_eq!(attr(cells[0], "id"), "0");
    assert_eq!((attr(cells[1], "id"), attr(cells[1], "parent")), ("1", "0"));

    let by_id: HashMap<&str, roxmltree::Node> = cells.iter().map(|c| (attr(*c, "id"), *c)).collect();
    assert_eq!(by_id.len(), cells.len(), "{what}: cell ids are unique");
    let vertices: Vec<_> = cells.iter().filter(|c| attr(**c, "vertex") == "1").collect();
    let edges: Vec<_> =
        cells.iter().filter(|c| attr(**c, "edge") == "1" && !attr(**c, "id").starts_with("legend")).collect();
    assert!(vertices.len() >= design.elements.len(), "{what}: a vertex per element");
    assert_eq!(edges.len(), design.links.len(), "{what}: an edge per link");

    // Every parent is drawn before its children and resolves.
    let mut seen = vec!["0"];
    for cell in &cells {
        let parent = attr(*cell, "parent");
        if attr(*cell, "id") != "0" {
            assert!(
                seen.contains(&parent),
                "{what}: cell {} has parent {parent} not drawn before it",
                attr(*cell, "id")
            );
        }
        seen.push(attr(*cell, "id"));
    }

    // One vertex per element, labelled with its name first, nested as in the design.
    let ids: HashMap<&str, usize> = design.elements.iter().enumerate().rev().map(|(i, e)| (e.id.as_str(), i)).collect();
    for (i, element) in design.elements.iter().enumerate() {
        let cell = by_id.get(format!("e{i}").as_str()).unwrap_or_else(|| panic!("{what}: no cell for {}", element.id));
        assert!(attr(*cell, "value").starts_with(element.display_name()), "{what}: label of {}", element.id);
        let geometry = cell.children().find(|n| n.has_tag_name("mxGeometry")).expect("geometry");
        for key in ["x", "y", "width", "height"] {
            attr(geometry, key).parse::<f64>().unwrap_or_else(|_| panic!("{what}: {key} of {}", element.id));
        }
        let expected_parent = match element.parent.as_ref().and_then(|p| ids.get(p.as_str())) {
            Some(p) => format!("e{p}"),
            None => "1".to_owned(),
        };
        assert_eq!(attr(*cell, "parent"), expected_parent, "{what}: parent of {}", element.id);
        if element.kind().is_container() {
            assert!(attr(*cell, "style").contains("container=1"), "{what}: {} is a container", element.id);
        }
    }
    for (i, link) in design.links.iter().enumerate() {
        let edge = by_id.get(format!("l{i}").as_str()).unwrap_or_else(|| panic!("{what}: no edge for {}", link.id));
        for (end, id) in [("source", &link.from), ("target", &link.to)] {
            let cell = by_id.get(attr(*edge, end)).unwrap_or_else(|| panic!("{what}: {end} of {} dangles", link.id));
            assert_eq!(attr(*cell, "vertex"), "1");
            if let Some(index) = ids.get(id.as_str()) {
                assert_eq!(attr(*cell, "id"), format!("e{index}"), "{what}: {end} of {}", link.id);
            }
        }
    }
    text
}

#[test]
fn drawio_has_a_cell_per_element_and_an_edge_per_link_nested_as_the_design() {
    for (what, design) in designs() {
        check_drawio(what, &design);
    }
}

#[test]
fn drawio_children_are_placed_relative_to_their_container() {
    let design = common::example();
    let text = drawio(&design);
    let document = roxmltree::Document::parse(&text).unwrap();
    let layout = moat_model::layout::effective_layout(&design);
    let (vnet_index, vnet) = design.elements.iter().enumerate().find(|(_, e)| e.id.as_str() == "app-vnet").unwrap();
    let region = &layout[&design.element("weu").unwrap().id];
    let cell = document.descendants().find(|n| n.attribute("id") == Some(&format!("e{vnet_index}"))).unwrap();
    let geometry = cell.first_element_child().unwrap();
    let x: f64 = attr(geometry, "x").parse().unwrap();
    assert_eq!(x, layout[&vnet.id].x - region.x);
}

#[test]
fn drawio_escapes_hostile_names_and_they_round_trip() {
    let design = hostile();
    let text = check_drawio("hostile", &design);
    assert!(!text.contains("<script>"));
    let document = roxmltree::Document::parse(&text).unwrap();
    for (i, element) in design.elements.iter().enumerate() {
        let cell = document.descendants().find(|n| n.attribute("id") == Some(&format!("e{i}"))).unwrap();
        let label = attr(cell, "value");
        assert!(label.starts_with(element.name.as_deref().unwrap()), "name text round-trips: {label:?}");
    }
    let edge = document.descendants().find(|n| n.attribute("id") == Some("l0")).unwrap();
    assert_eq!(attr(edge, "value"), HOSTILE);
}

#[test]
fn drawio_draws_half_drawn_designs() {
    let mut design = Design::default();
    design.elements.push(Element::new("a", ElementKind::Subnet, Some("b".into())).into());
    design.elements.push(Element::new("b", ElementKind::Vnet, Some("a".into())).into());
    design.elements.push(Element::new("c", ElementKind::Vm, Some("missing".into())).into());
    design.elements.push(Element::new("c", ElementKind::Vm, Some("c".into())).into());
    design.links.push(Link::new("f", LinkKind::Flow, "internet", "c"));
    design.links.push(Link::new("g", LinkKind::Flow, "c", "nowhere"));
    let text = drawio(&design);
    let document = roxmltree::Document::parse(&text).unwrap();
    let cells = document.descendants().filter(|n| n.has_tag_name("mxCell")).count();
    // 2 roots, 4 elements, 2 implied ends, 2 links, and the legend of flows (its box, a line
    // and a name).
    assert_eq!(cells, 13);
    assert!(!mermaid(&design).is_empty());
    assert!(drawio(&Design::default()).contains("<mxCell id=\"1\" parent=\"0\"/>"));
}

#[test]
fn drawio_draws_links_along_their_routes_with_icons_and_a_legend() {
    let sprite =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/icons/sprite.svg")).unwrap();
    let design = moat_model::templates::instantiate("hub-spoke-dmz").expect("template");
    let text = moat_model::export::drawio::drawio_with(&design, Some(&sprite));
    let document = roxmltree::Document::parse(&text).unwrap();
    let layout = moat_model::layout::effective_layout(&design);
    let routes = moat_model::drawing::route::Routes::new(&design, &layout);
    for (i, link) in design.links.iter().enumerate() {
        let edge = document.descendants().find(|n| n.attribute("id") == Some(&format!("l{i}"))).unwrap();
        let style = attr(edge, "style");
        assert!(style.starts_with("edgeStyle=orthogonalEdgeStyle;"), "{}: {style}", link.id);
        let colour = moat_model::drawing::style_of(link).colour.to_uppercase();
        assert!(style.contains(&format!("strokeColor={colour};")), "{}: {style}", link.id);
        // The route's bends are the edge's waypoints.
        let points: Vec<(f64, f64)> = edge
            .descendants()
            .filter(|n| n.has_tag_name("mxPoint"))
            .map(|p| (attr(p, "x").parse().unwrap(), attr(p, "y").parse().unwrap()))
            .collect();
        let route = routes.drawn[i].as_ref().unwrap();
        let bends: Vec<(f64, f64)> = route.points[1..route.points.len() - 1].to_vec();
        assert_eq!(points.len(), bends.len(), "{}", link.id);
        for (p, b) in points.iter().zip(&bends) {
            assert!((p.0 - b.0).abs() < 0.01 && (p.1 - b.1).abs() < 0.01, "{}: {p:?} is {b:?}", link.id);
        }
    }
    for (i, element) in design.elements.iter().enumerate() {
        let cell = document.descendants().find(|n| n.attribute("id") == Some(&format!("e{i}"))).unwrap();
        assert!(attr(cell, "style").contains("image=data:image/svg+xml,"), "{} has its icon", element.id);
    }
    let legend_lines = document
        .descendants()
        .filter(|n| n.attribute("id").is_some_and(|id| id.starts_with("legend-") && !id.ends_with("-name")))
        .count();
    assert_eq!(legend_lines, moat_model::drawing::legend(&design, Default::default()).len());
}

// ---- Mermaid -----------------------------------------------------------------------------

/// Checks the structure and returns the label texts found (between quotes).
fn check_mermaid(what: &str, design: &Design) -> String {
    let text = mermaid(design);
    assert!(text.starts_with("flowchart LR\n"), "{what}");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let opened = lines.iter().filter(|l| l.starts_with("subgraph ")).count();
    let closed = lines.iter().filter(|l| **l == "end").count();
    assert_eq!(opened, closed, "{what}: balanced subgraph/end");
    let containers = design.elements.iter().filter(|e| e.kind().is_container()).count();
    assert_eq!(opened, containers, "{what}: a subgraph per region, VNet and subnet");
    let mut depth = 0i32;
    for line in &lines {
        if line.starts_with("subgraph ") {
            depth += 1;
        } else if *line == "end" {
            depth -= 1;
            assert!(depth >= 0, "{what}: end before subgraph");
        }
    }
    let edges = lines.iter().filter(|l| ["-->|", "-.->|", "==>|", "-.-|"].iter().any(|a| l.contains(a))).count();
    assert_eq!(edges, design.links.len(), "{what}: an edge per link");

    // Ids are [A-Za-z0-9_] and unique: the first token of each node/subgraph line.
    let mut ids = Vec::new();
    for line in &lines[1..] {
        let rest = line.strip_prefix("subgraph ").unwrap_or(line);
        if line.starts_with("class") || *line == "end" || line.contains("|\"") {
            continue;
        }
        let id: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        assert!(!id.is_empty(), "{what}: line {line:?}");
        ids.push(id);
    }
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{what}: ids are unique");
    assert!(ids.len() >= design.elements.len());

    // Labels hold no raw `<`, `>` or `"`: each quoted label is exactly two quotes.
    for line in &lines {
        assert!(line.matches('"').count() % 2 == 0, "{what}: {line}");
        for (i, label) in line.split('"').enumerate() {
            if i % 2 == 1 {
                assert!(!label.contains('<') && !label.contains('>'), "{what}: raw markup in {label:?}");
            }
        }
    }
    text
}

#[test]
fn mermaid_has_subgraphs_nodes_and_edges() {
    for (what, design) in designs() {
        check_mermaid(what, &design);
    }
    let text = mermaid(&common::example());
    assert!(text.contains("n_web -->|\"8443/tcp\"| n_biz"), "{text}");
    assert!(text.contains("subgraph n_app_vnet[\""), "{text}");
}

#[test]
fn mermaid_nests_subgraphs_as_the_design() {
    let text = mermaid(&common::example());
    let lines: Vec<&str> = text.lines().collect();
    let position = |needle: &str| lines.iter().position(|l| l.trim_start().starts_with(needle)).unwrap();
    let indent = |i: usize| lines[i].len() - lines[i].trim_start().len();
    let region = position("subgraph n_weu[");
    let vnet = position("subgraph n_app_vnet[");
    let subnet = position("subgraph n_web_snet[");
    let vm = position("n_web[");
    assert!(region < vnet && vnet < subnet && subnet < vm);
    assert!(indent(region) < indent(vnet) && indent(vnet) < indent(subnet) && indent(subnet) < indent(vm));
}

#[test]
fn mermaid_escapes_hostile_names() {
    let design = hostile();
    let text = check_mermaid("hostile", &design);
    assert!(!text.contains("<script>"));
    assert!(text.contains("#lt;script#gt;alert#40;1#41;#lt;/script#gt;"), "{text}");
    assert!(text.contains("#quot;quoted#quot;"));
    // The newline in a name does not start a new statement.
    assert!(!text.lines().any(|l| l.trim_start().starts_with("second line")));
    // A vm with the id `end` gets an id that is not the keyword.
    assert!(text.lines().filter(|l| l.trim() == "end").count() == 3);
    // `a b` and `a_b` sanitise alike but stay distinct.
    assert!(text.contains("n_a_b[") && text.contains("n_a_b_2[["), "{text}");
}
