//! The printable design-review report (HTML, styled for print): the diagram, findings by
//! severity, reachability of the declared flows, costs, isolation and availability.

use std::fmt::Write;

use super::With;
use super::svg::{Picture, escape, picture};
use crate::availability::show;
use crate::cost::PriceBook;
use crate::design::Design;
use crate::estimate::estimate;
use crate::reach::{Verdict, flow_verdicts};
use crate::rules::{Severity, rule, validate};

const STYLE: &str = "body{font-family:Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2933;margin:24px;}\
h1{font-size:22px;margin:0 0 4px;}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #cbd2d9;}\
table{border-collapse:collapse;width:100%;font-size:12px;}th,td{border:1px solid #e4e9ef;padding:3px 6px;text-align:left;vertical-align:top;}\
td.num{text-align:right;font-variant-numeric:tabular-nums;}.error{color:#9b2c2c;}.warning{color:#7b341e;}.info{color:#2a4365;}\
.allow{color:#22543d;}.deny{color:#9b2c2c;}.diagram svg{max-width:100%;height:auto;}.muted{color:#52606d;}\
@media print{body{margin:0;}h2{page-break-after:avoid;}table,.diagram{page-break-inside:avoid;}}";

/// The report with the built-in prices.
pub fn report(design: &Design) -> String {
    report_with(design, &PriceBook::builtin())
}

/// The report with a price book.
pub fn report_with(design: &Design, book: &PriceBook) -> String {
    report_made(design, &With { book, picture: Picture::default(), date: None, rule_texts: None })
}

/// The report with a price book, its diagram drawn with icons, stamped with the day it is made.
pub fn report_made(design: &Design, with: &With) -> String {
    let book = with.book;
    let title = if design.meta.title.is_empty() { "Untitled design".to_owned() } else { design.meta.title.clone() };
    let findings = validate(design);
    let flows = flow_verdicts(design);
    let estimate = estimate(design, book);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Design review: {}</title><style>{STYLE}</style></head><body>",
        escape(&title)
    );
    let _ = write!(
        out,
        "<h1>Design review: {}</h1><p class=\"muted\">Sensitivity {}, availability target {}%. {} elements, {} links. \
         Findings: {} errors, {} warnings, {} info ({} suppressed).</p>",
        escape(&title),
        serde_json::to_value(design.meta.sensitivity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        show(design.meta.sla_target),
        design.elements.len(),
        design.links.len(),
        findings.summary.error,
        findings.summary.warning,
        findings.summary.info,
        findings.suppressed.len()
    );
    let made = match with.date {
        Some(date) => format!("Made with Moat {} on {}.", super::VERSION, escape(date)),
        None => format!("Made with Moat {}.", super::VERSION),
    };
    let _ = write!(out, "<p class=\"muted\" data-testid=\"made\">{made}</p>");
    let _ = write!(out, "<h2>Diagram</h2><div class=\"diagram\">{}</div>", picture(design, with.picture));

    // Elements by name, as the reader knows them (the id only where two share a name).
    let labels = crate::design::Labels::of(design);
    let named = |ids: &[String]| ids.iter().map(|id| labels.get(id)).collect::<Vec<_>>().join(" → ");
    out.push_str(
        "<h2>Findings</h2><table><tr><th>Severity</th><th>Rule</th><th>Element</th><th>Finding</th><th>Fix</th></tr>",
    );
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        for finding in findings.findings.iter().filter(|f| f.severity == severity) {
            let fix = rule(&finding.rule).map_or("", |r| crate::rules::i18n::fix_in(r, with.rule_texts));
            let _ = write!(
                out,
                "<tr class=\"{s}\"><td>{s}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&finding.rule),
                escape(labels.get(&finding.element)),
                escape(&finding.message),
                escape(fix),
                s = severity.as_str()
            );
        }
    }
    out.push_str("</table>");
    if !findings.suppressed.is_empty() {
        out.push_str(
            "<h2>Accepted findings</h2><table><tr><th>Rule</th><th>Element</th><th>Finding</th><th>Reason</th></tr>",
        );
        for s in &findings.suppressed {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&s.finding.rule),
                escape(labels.get(&s.finding.element)),
                escape(&s.finding.message),
                escape(&s.reason)
            );
        }
        out.push_str("</table>");
    }

    out.push_str("<h2>Declared flows</h2><table><tr><th>Flow</th><th>Verdict</th><th>Path</th><th>Why</th></tr>");
    for (id, answer) in &flows {
        let (class, word) = match answer.verdict {
            Verdict::Allow => ("allow", "allow"),
            Verdict::Deny => ("deny", "deny"),
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"{class}\">{word}</td><td>{}</td><td>{}</td></tr>",
            escape(id),
            escape(&named(&answer.path)),
            escape(&answer.reason)
        );
    }
    out.push_str("</table>");

    security_rules(&mut out, design);

    let cost = &estimate.cost;
    // While a line is unpriced the totals are lower bounds, and say so.
    let (at_least, unpriced) = match cost.unpriced_lines {
        0 => ("", String::new()),
        1 => ("at least ", "; 1 line unpriced, not counted".to_owned()),
        n => ("at least ", format!("; {n} lines unpriced, not counted")),
    };
    let _ = write!(
        out,
        "<h2>Cost</h2><p>{at_least}{} {} a month pay-as-you-go, {at_least}{} with a savings plan (730 hours a \
         month){unpriced}.</p><table><tr><th>Element</th><th>What</th><th>Monthly</th><th>Source</th></tr>",
        crate::cost::money(cost.monthly_total),
        escape(&cost.currency),
        crate::cost::money(cost.savings_plan_total)
    );
    for item in &cost.items {
        let monthly = item.monthly.map_or_else(|| "unknown".to_owned(), crate::cost::money);
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{monthly}</td><td class=\"muted\">{}</td></tr>",
            escape(labels.get(&item.element)),
            escape(&item.what),
            escape(&item.source)
        );
    }
    out.push_str("</table>");
    if !cost.assumptions.is_empty() {
        out.push_str("<p>Usage assumed:</p><ul>");
        for assumption in &cost.assumptions {
            let _ = write!(out, "<li>{}</li>", escape(&assumption.text()));
        }
        out.push_str("</ul>");
    }

    let availability = &estimate.availability;
    let _ = write!(
        out,
        "<h2>Availability</h2><p>{}% composite, {} minutes of downtime a month; target {}%.</p>\
         <table><tr><th>Tier</th><th>SLA</th><th>Basis</th></tr>",
        show(availability.composite),
        availability.downtime_minutes_per_month,
        show(availability.target)
    );
    for tier in availability.tiers.values() {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}%</td><td>{}</td></tr>",
            escape(&tier.name),
            show(tier.sla),
            escape(&tier.basis)
        );
    }
    out.push_str("</table>");

    out.push_str("<h2>Isolation</h2><table><tr><th>Tier</th><th>Compute</th><th>Own subnet</th><th>ASG</th><th>Forced tunnelling</th><th>Public endpoint</th><th>DMZ on same host</th></tr>");
    let yes = |b: bool| if b { "yes" } else { "no" };
    for (id, tier) in &estimate.isolation.tiers {
        let compute =
            serde_json::to_value(tier.compute).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{compute}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(labels.get(id)),
            yes(tier.own_subnet),
            yes(tier.asg),
            yes(tier.forced_tunnelling),
            yes(tier.public_endpoint),
            yes(tier.side_channel_exposure)
        );
    }
    let _ = writeln!(
        out,
        "</table><p>Isolation costs {} a month over the same design on shared hardware.</p></body></html>",
        crate::cost::money(estimate.isolation.cost.overhead)
    );
    out
}

/// Each NSG's security rules and each route table's routes, as tables, with what they apply to.
fn security_rules(out: &mut String, design: &Design) {
    use crate::element::ElementProps;
    let applies_to = |id: &str| {
        let set = std::collections::BTreeSet::from([id.to_owned()]);
        let names: Vec<String> = design.protected_by(&set).into_iter().collect();
        if names.is_empty() { "nothing".to_owned() } else { names.join(", ") }
    };
    let nsgs: Vec<_> = design.elements.iter().filter(|e| matches!(e.props, ElementProps::Nsg(_))).collect();
    if !nsgs.is_empty() {
        out.push_str("<h2>Network security groups</h2>");
    }
    for element in nsgs {
        let ElementProps::Nsg(nsg) = &element.props else { continue };
        let _ = write!(
            out,
            "<h3 data-rules-of=\"{}\">{} <span class=\"muted\">applies to {}</span></h3>\
             <table><tr><th>Priority</th><th>Name</th><th>Direction</th><th>Access</th><th>Protocol</th>\
             <th>Source</th><th>Destination</th><th>Destination ports</th></tr>",
            escape(element.id.as_str()),
            escape(element.display_name()),
            escape(&applies_to(element.id.as_str()))
        );
        if nsg.rules.is_empty() {
            out.push_str(
                "<tr><td colspan=\"8\" class=\"muted\">No rules of its own: Azure's default rules apply.</td></tr>",
            );
        }
        for rule in &nsg.rules {
            let access = word(&rule.access);
            let _ = write!(
                out,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"{}\">{access}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                rule.priority,
                escape(&rule.name),
                word(&rule.direction),
                if access == "allow" { "allow" } else { "deny" },
                word(&rule.protocol),
                escape(&rule.source),
                escape(&rule.destination),
                escape(&rule.destination_ports),
            );
        }
        out.push_str("</table>");
    }
    let tables: Vec<_> = design.elements.iter().filter(|e| matches!(e.props, ElementProps::RouteTable(_))).collect();
    if !tables.is_empty() {
        out.push_str("<h2>Route tables</h2>");
    }
    for element in tables {
        let ElementProps::RouteTable(table) = &element.props else { continue };
        let _ = write!(
            out,
            "<h3 data-routes-of=\"{}\">{} <span class=\"muted\">applies to {}</span></h3>\
             <table><tr><th>Name</th><th>Address prefix</th><th>Next hop</th><th>Next hop element</th></tr>",
            escape(element.id.as_str()),
            escape(element.display_name()),
            escape(&applies_to(element.id.as_str()))
        );
        if table.routes.is_empty() {
            out.push_str("<tr><td colspan=\"4\" class=\"muted\">No routes.</td></tr>");
        }
        for route in &table.routes {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&route.name),
                escape(&route.prefix),
                word(&route.next_hop),
                escape(route.next_hop_element.as_ref().map_or("", |id| id.as_str())),
            );
        }
        out.push_str("</table>");
    }
}

/// An enum value as the file format writes it (`allow`, `inbound`, `virtualAppliance`).
fn word<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => escape(&text),
        _ => String::new(),
    }
}
