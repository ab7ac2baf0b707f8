//! Findings as SARIF 2.1.0, so code-scanning tools show them.

use serde_json::{Value, json};

use super::{Report, Severity, catalogue};

/// The report as a SARIF log for the design file at `uri`; every rule of the catalogue is
/// listed in `tool.driver.rules`, every finding is a result located at its element id.
pub fn sarif(report: &Report, uri: &str) -> Value {
    let rules: Vec<Value> = catalogue()
        .into_iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "name": rule.id.replace('-', ""),
                "shortDescription": { "text": rule.title },
                "fullDescription": { "text": rule.rationale },
                "help": { "text": rule.fix, "markdown": format!("**Fix:** {}", rule.fix) },
                "helpUri": format!("docs/rules/{}.md", rule.id),
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "area": rule.area.as_str(), "tags": ["security", rule.area.as_str()] }
            })
        })
        .collect();
    let index = |id: &str| catalogue().iter().position(|r| r.id == id).unwrap_or(0);
    let result = |finding: &super::Finding, suppressed: Option<&str>| {
        let mut result = json!({
            "ruleId": finding.rule,
            "ruleIndex": index(&finding.rule),
            "level": level(finding.severity),
            "message": { "text": finding.message },
            "locations": [{
                "physicalLocation": { "artifactLocation": { "uri": uri } },
                "logicalLocations": [{ "name": finding.element, "fullyQualifiedName": finding.element, "kind": "element" }]
            }],
            "partialFingerprints": { "moatElement/v1": format!("{}:{}", finding.rule, finding.element) }
        });
        if let Some(reason) = suppressed {
            result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
        }
        result
    };
    let mut results: Vec<Value> = report.findings.iter().map(|f| result(f, None)).collect();
    results.extend(report.suppressed.iter().map(|s| result(&s.finding, Some(&s.reason))));
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "moat",
                "informationUri": "https://github.com/moat/moat",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            } },
            "artifacts": [{ "location": { "uri": uri } }],
            "results": results
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
