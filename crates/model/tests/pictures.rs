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

#[test]
fn the_report_says_when_and_with_what_it_was_made_and_lists_every_rule_and_route() {
    let design = moat_model::templates::instantiate("hub-spoke-dmz").expect("template");
    let book = moat_model::cost::PriceBook::builtin();
    let with = moat_model::export::With {
        book: &book,
        picture: Default::default(),
        date: Some("2026-12-07"),
        rule_texts: None,
    };
    let html = moat_model::export::report::report_made(&design, &with);
    assert!(html.contains(&format!("Made with Moat {} on 2026-12-07.", env!("CARGO_PKG_VERSION"))));
    for element in &design.elements {
        match &element.props {
            moat_model::ElementProps::Nsg(nsg) => {
                assert!(html.contains(&format!("data-rules-of=\"{}\"", element.id)), "{}", element.id);
                for rule in &nsg.rules {
                    assert!(
                        html.contains(&format!("<td class=\"num\">{}</td><td>{}</td>", rule.priority, rule.name)),
                        "{}",
                        rule.name
                    );
                }
            }
            moat_model::ElementProps::RouteTable(table) => {
                assert!(html.contains(&format!("data-routes-of=\"{}\"", element.id)), "{}", element.id);
                for route in &table.routes {
                    assert!(
                        html.contains(&format!("<td>{}</td><td>{}</td>", route.name, route.prefix)),
                        "{}",
                        route.name
                    );
                }
            }
            _ => {}
        }
    }
}

#[test]
fn pictures_draw_the_sites_icons_and_a_legend() {
    let sprite =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/icons/sprite.svg")).unwrap();
    let design = moat_model::templates::instantiate("hub-spoke-dmz").expect("template");
    let picture = moat_model::export::svg::Picture { icons: Some(&sprite), lang: Default::default() };
    let text = moat_model::export::svg::picture(&design, picture);
    let document = roxmltree::Document::parse(&text).expect("the SVG is XML");
    let symbols: Vec<&str> =
        document.descendants().filter(|n| n.has_tag_name("symbol")).filter_map(|n| n.attribute("id")).collect();
    for element in &design.elements {
        let drawn =
            document.descendants().find(|n| n.attribute("data-element-id") == Some(element.id.as_str())).unwrap();
        let icon = format!("#icon-{}", element.kind().as_str());
        assert!(
            drawn.children().any(|c| c.has_tag_name("use") && c.attribute("href") == Some(icon.as_str())),
            "{}",
            element.id
        );
        assert!(symbols.contains(&&icon[1..]), "{icon} is in the picture");
    }
    let legend = document.descendants().find(|n| n.attribute("data-testid") == Some("legend")).expect("a legend");
    let kinds: Vec<&str> = legend.descendants().filter_map(|n| n.attribute("data-legend-kind")).collect();
    assert_eq!(kinds, ["peering", "vpn", "expressRoute", "flow", "dnsLink", "vpnOverExpressRoute"]);
    for link in &design.links {
        let drawn = document.descendants().find(|n| n.attribute("data-link-id") == Some(link.id.as_str())).unwrap();
        assert_eq!(drawn.attribute("data-from"), Some(link.from.as_str()));
        assert!(drawn.children().any(|c| c.attribute("class") == Some("stroke")), "{}", link.id);
    }
}

#[test]
fn the_review_report_names_elements_as_the_design_does() {
    let design = moat_model::templates::instantiate("hub-spoke-dmz").expect("the template");
    let labels = moat_model::design::Labels::of(&design);
    let report = moat_model::export::report::report(&design);
    let findings = moat_model::rules::validate(&design).findings;
    let named = findings.iter().find(|f| labels.get(&f.element) != f.element).expect("a finding on a named element");
    assert!(report.contains(&format!("<td>{}</td>", labels.get(&named.element))), "the report names {}", named.element);
    let by_id = format!("<td>{}</td>", named.element);
    let at = report.find(&by_id).map(|i| &report[i.saturating_sub(300)..(i + 100).min(report.len())]);
    assert!(at.is_none(), "and not by its id: {at:?}");
}
