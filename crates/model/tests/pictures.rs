//! The SVG picture and the design-review report: well-formed, complete, and escaped.

mod common;

use common::example;
use moat_model::export::report::report;
use moat_model::export::svg::svg;

fn hostile() -> moat_model::Design {
    let mut design = example();
    design.meta.title = "<script>alert(1)</script> & \"quotes\"".into();
    moat_model::edit::set_field(&mut design, "web", "name", serde_json::json!("<img src=x onerror=alert(1)>")).unwrap();
    design
}

#[test]
fn the_svg_is_xml_with_every_element_and_link() {
    let design = example();
    let text = svg(&design);
    let document = roxmltree::Document::parse(&text).expect("the SVG is XML");
    for element in &design.elements {
        let found = document.descendants().any(|n| n.attribute("data-element-id") == Some(element.id.as_str()));
        assert!(found, "{} is drawn", element.id);
    }
    for link in &design.links {
        assert!(document.descendants().any(|n| n.attribute("data-link-id") == Some(link.id.as_str())), "{}", link.id);
    }
}

#[test]
fn hostile_names_stay_text_in_the_svg_and_the_report() {
    let design = hostile();
    let text = svg(&design);
    let document = roxmltree::Document::parse(&text).expect("still XML");
    assert!(!document.descendants().any(|n| n.has_tag_name("script") || n.has_tag_name("img")));
    assert!(document.descendants().any(|n| n.text() == Some("<img src=x onerror=alert(1)>")), "the name is text");

    let html = report(&design);
    assert!(!html.contains("<script>") && !html.contains("<img"), "no markup from the design");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
}

#[test]
fn the_report_covers_findings_flows_costs_isolation_and_availability() {
    let html = report(&example());
    for heading in ["Diagram", "Findings", "Declared flows", "Cost", "Availability", "Isolation"] {
        assert!(html.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    assert!(html.contains("f-web-biz") && html.contains("NET-10"));
    assert!(html.contains("@media print"));
}
