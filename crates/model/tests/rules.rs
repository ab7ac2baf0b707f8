//! The rule catalogue: every rule fires on its fixture and stays silent on its near miss;
//! the clean design fires nothing; the registry matches SPEC §4.
//!
//! A fixture `fixtures/rules/<ID>.json` holds two cases, `fires` and `passes`. Each names
//! a base design (`"base": "clean"` is `fixtures/rules/clean.moat.json`) or carries one
//! inline (`"design"`), and changes it:
//! - `"set": { "/elements/<id>/<field>": value, "/links/<id>/<field>": value, "/meta/<field>": value }`
//!   (paths address elements and links by id, then descend like a JSON pointer);
//! - `"remove": ["/elements/<id>", "/elements/<id>/<field>", "/links/<id>"]`;
//! - `"add": { "elements": [...], "links": [...], "suppressions": [...] }`.
//!
//! `"expect"` lists the ids the rule must fire on (`[]` for `passes`).

mod common;

use std::collections::BTreeSet;

use common::fixture_path;
use moat_model::Design;
use moat_model::rules::{self, Severity, catalogue, validate};
use serde_json::{Map, Value};

/// The rule ids of SPEC §4, in its order.
const SPEC_IDS: &[&str] = &[
    "HA-01", "HA-02", "HA-03", "HA-04", "HA-05", "NET-01", "NET-02", "NET-03", "NET-04", "NET-05", "NET-06", "NET-07",
    "NET-08", "NET-09", "NET-10", "NET-11", "NET-12", "NET-13", "NET-14", "HYB-01", "HYB-02", "HYB-03", "HYB-04",
    "HYB-05", "MGT-01", "MGT-02", "MGT-03", "MGT-04", "MGT-05", "ISO-01", "ISO-02", "ISO-03", "ISO-04", "ISO-05",
    "ENC-01", "ENC-02", "ENC-03", "ENC-04", "ENC-05", "ENC-06", "ENC-07", "ENC-08", "ENC-09", "ENC-10", "BAK-01",
    "BAK-02", "BAK-03", "REG-01", "REG-02", "REG-03", "REG-04", "REG-05", "GOV-01", "GOV-02", "MON-01", "MON-02",
    "MON-03",
];

fn base(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_path(&format!("rules/{name}.moat.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Finds the JSON value a fixture path names, creating objects on the way for `set`.
fn locate<'v>(document: &'v mut Value, path: &str, create: bool) -> Option<&'v mut Value> {
    let mut parts = path.trim_start_matches('/').split('/');
    let first = parts.next()?;
    let mut current: &mut Value = match first {
        "elements" | "links" => {
            let id = parts.next()?;
            document[first].as_array_mut()?.iter_mut().find(|item| item["id"] == id)?
        }
        other => {
            if document.get(other).is_none() && create {
                document[other] = Value::Object(Map::new());
            }
            document.get_mut(other)?
        }
    };
    for part in parts {
        current = match current {
            Value::Array(items) => items.get_mut(part.parse::<usize>().ok()?)?,
            Value::Object(map) => {
                if !map.contains_key(part) && create {
                    map.insert(part.to_owned(), Value::Object(Map::new()));
                }
                map.get_mut(part)?
            }
            _ => return None,
        };
    }
    Some(current)
}

/// Builds the design of one case of a fixture.
fn build(case: &Value, what: &str) -> Design {
    let mut document = match (case.get("base"), case.get("design")) {
        (Some(Value::String(name)), _) => base(name),
        (_, Some(design)) => design.clone(),
        _ => panic!("{what}: a case names a base or carries a design"),
    };
    for (path, value) in case.get("set").and_then(Value::as_object).into_iter().flatten() {
        let slot = locate(&mut document, path, true).unwrap_or_else(|| panic!("{what}: set {path}: no such place"));
        *slot = value.clone();
    }
    for path in case.get("remove").and_then(Value::as_array).into_iter().flatten() {
        let path = path.as_str().unwrap();
        let (parent, last) = path.rsplit_once('/').unwrap();
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        if matches!(parts.as_slice(), ["elements" | "links", _]) {
            let items = document[parts[0]].as_array_mut().unwrap();
            let before = items.len();
            items.retain(|item| item["id"] != parts[1]);
            assert!(items.len() < before, "{what}: remove {path}: no such item");
        } else {
            let slot =
                locate(&mut document, parent, false).unwrap_or_else(|| panic!("{what}: remove {path}: no such place"));
            match slot {
                Value::Object(map) => assert!(map.remove(last).is_some(), "{what}: remove {path}: no such field"),
                Value::Array(items) => {
                    items.remove(last.parse::<usize>().unwrap());
                }
                _ => panic!("{what}: remove {path}"),
            }
        }
    }
    for (list, items) in case.get("add").and_then(Value::as_object).into_iter().flatten() {
        let target = document.as_object_mut().unwrap().entry(list.clone()).or_insert_with(|| Value::Array(Vec::new()));
        target.as_array_mut().unwrap().extend(items.as_array().unwrap().iter().cloned());
    }
    moat_model::format::load_value(document).unwrap_or_else(|e| panic!("{what}: {e}")).design
}

fn fixture(id: &str) -> Value {
    let path = fixture_path(&format!("rules/{id}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{id} has no fixture {}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{id}.json: {e}"))
}

/// `MOAT_RULES=NET-,HA-` limits the per-rule tests to those ids (while writing rules).
fn selected(id: &str) -> bool {
    std::env::var("MOAT_RULES").map_or(true, |only| only.split(',').any(|prefix| id.starts_with(prefix.trim())))
}

fn fired_on(design: &Design, id: &str) -> BTreeSet<String> {
    validate(design).findings.into_iter().filter(|f| f.rule == id).map(|f| f.element).collect()
}

#[test]
fn the_clean_design_fires_no_rule() {
    let design = build(&serde_json::json!({ "base": "clean" }), "clean");
    assert_eq!(moat_model::check(&design), []);
    let report = validate(&design);
    let findings: Vec<String> = report
        .findings
        .iter()
        .filter(|f| selected(&f.rule))
        .map(|f| format!("{} {}: {}", f.rule, f.element, f.message))
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn every_rule_fires_on_its_fixture_and_stays_silent_on_its_near_miss() {
    for rule in catalogue().into_iter().filter(|r| selected(r.id)) {
        let fixture = fixture(rule.id);
        // `alsoFires`, where a fixture has it, is a second firing case of another shape.
        for (case, expect_any) in [("fires", true), ("passes", false), ("alsoFires", true)] {
            let what = format!("{} {case}", rule.id);
            let Some(case_value) = fixture.get(case) else {
                assert_eq!(case, "alsoFires", "{what}: missing");
                continue;
            };
            let design = build(case_value, &what);
            let expected: BTreeSet<String> = case_value["expect"]
                .as_array()
                .unwrap_or_else(|| panic!("{what}: expect"))
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect();
            assert_eq!(!expected.is_empty(), expect_any, "{what}: fires on something, passes on nothing");
            assert_eq!(fired_on(&design, rule.id), expected, "{what}: {}", case_value["description"]);
        }
    }
}

#[test]
fn the_registry_holds_exactly_the_rules_of_the_spec_each_documented() {
    let ids: Vec<&str> = catalogue().iter().map(|r| r.id).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    assert_eq!(ids, SPEC_IDS, "the catalogue is SPEC §4, in order");
    for rule in catalogue() {
        assert!(
            !rule.title.is_empty() && rule.rationale.len() > 40 && rule.fix.len() > 20,
            "{} is documented",
            rule.id
        );
        assert!(rule.standard.is_none_or(|s| s < rule.severity), "{}: standard designs only lower", rule.id);
        assert!(fixture_path(&format!("rules/{}.json", rule.id)).exists(), "{} has fixtures", rule.id);
    }
}

#[test]
fn a_suppressed_finding_is_listed_apart_with_its_reason() {
    let fixture = fixture("HA-01");
    let mut design = build(&fixture["fires"], "HA-01 fires");
    let element = fired_on(&design, "HA-01").into_iter().next().unwrap();
    design.suppressions.push(moat_model::design::Suppression {
        rule: "HA-01".into(),
        target: element.clone(),
        reason: "single instance accepted for the pilot".into(),
        extra: Default::default(),
    });
    let report = validate(&design);
    assert!(report.findings.iter().all(|f| !(f.rule == "HA-01" && f.element == element)));
    let suppressed = report.suppressed.iter().find(|s| s.finding.rule == "HA-01").unwrap();
    assert_eq!(
        (suppressed.finding.element.as_str(), suppressed.reason.as_str()),
        (element.as_str(), "single instance accepted for the pilot")
    );
}

#[test]
fn a_standard_design_gets_the_lowered_severities() {
    for rule in catalogue().into_iter().filter(|r| r.standard.is_some()) {
        assert_eq!(rule.severity_for(moat_model::design::Sensitivity::Standard), rule.standard.unwrap());
    }
    assert!(rules::rule("NET-01").is_some_and(|r| r.severity == Severity::Error));
}

#[test]
fn validation_never_fails_on_half_drawn_or_malformed_designs() {
    for dir in ["check", "format/v1", "reach"] {
        for entry in std::fs::read_dir(fixture_path(dir)).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            let document = value.get("design").cloned().unwrap_or(value);
            if let Ok(loaded) = moat_model::format::load_value(document) {
                let _ = validate(&loaded.design);
            }
        }
    }
    // Every element of the clean design removed in turn: references dangle, rules still answer.
    let clean = base("clean");
    for id in clean["elements"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()) {
        let mut document = clean.clone();
        document["elements"].as_array_mut().unwrap().retain(|e| e["id"] != id.as_str());
        let design = moat_model::format::load_value(document).unwrap().design;
        let _ = validate(&design);
    }
    let _ = validate(&Design::default());
}

#[test]
fn the_shared_example_has_no_error_findings() {
    let report = validate(&common::example());
    let errors: Vec<_> = report.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// NET-11 queries only spokes peered with each other; checking every pair of spokes the slow
/// way finds the same. The design has a direct spoke-to-spoke peering, a spoke routed through
/// the hub firewall and one routed to a VM (no appliance), and no NSGs to stop anything.
#[test]
fn net_11_finds_what_checking_every_pair_of_spokes_finds() {
    let mut elements = vec![
        serde_json::json!({ "id": "weu", "kind": "region", "location": "westeurope" }),
        serde_json::json!({ "id": "hub", "kind": "vnet", "parent": "weu", "addressSpace": ["10.0.0.0/16"] }),
        serde_json::json!({ "id": "fw-snet", "kind": "subnet", "parent": "hub", "prefix": "10.0.1.0/26", "role": "firewall" }),
        serde_json::json!({ "id": "fw", "kind": "firewall", "parent": "fw-snet", "zones": [1, 2],
            "rules": [{ "name": "all", "action": "allow", "protocol": "*", "source": "*", "destination": "*", "destinationPorts": "*" }] }),
        serde_json::json!({ "id": "rt3", "kind": "routeTable", "parent": "weu",
            "routes": [{ "name": "to-vm", "prefix": "10.0.0.0/8", "nextHop": "virtualAppliance", "nextHopElement": "vm1" }] }),
        serde_json::json!({ "id": "rt4", "kind": "routeTable", "parent": "weu",
            "routes": [{ "name": "to-fw", "prefix": "10.0.0.0/8", "nextHop": "virtualAppliance", "nextHopElement": "fw" }] }),
    ];
    let mut links = Vec::new();
    for i in 1..=4 {
        let mut subnet = serde_json::json!({ "id": format!("s{i}-snet"), "kind": "subnet", "parent": format!("s{i}"),
            "prefix": format!("10.{i}.1.0/24"), "role": "other" });
        if i >= 3 {
            subnet["routeTable"] = Value::from(format!("rt{i}"));
        }
        elements.extend([
            serde_json::json!({ "id": format!("s{i}"), "kind": "vnet", "parent": "weu", "addressSpace": [format!("10.{i}.0.0/16")] }),
            subnet,
            serde_json::json!({ "id": format!("vm{i}"), "kind": "vm", "parent": format!("s{i}-snet"), "count": 2, "zones": [1, 2] }),
        ]);
        links.push(
            serde_json::json!({ "id": format!("hub-s{i}"), "kind": "peering", "from": "hub", "to": format!("s{i}") }),
        );
    }
    links.push(serde_json::json!({ "id": "s1-s2", "kind": "peering", "from": "s1", "to": "s2" }));
    let document = serde_json::json!({ "format": "moat-design", "version": 1, "meta": { "title": "spokes" },
        "elements": elements, "links": links });
    let design = moat_model::format::load_value(document).unwrap().design;

    let spokes = ["s1", "s2", "s3", "s4"];
    let inside = |vnet: &str| [format!("{vnet}-snet"), format!("vm{}", &vnet[1..])];
    let mut expected = Vec::new();
    for from in spokes {
        for to in spokes.iter().filter(|to| **to != from) {
            let direct = inside(from).iter().any(|s| {
                inside(to).iter().any(|t| {
                    let answer =
                        moat_model::reach::verify(&design, s, t, moat_model::link::FlowProtocol::Any, None).unwrap();
                    answer.verdict == moat_model::reach::Verdict::Allow && !answer.path.iter().any(|id| id == "fw")
                })
            });
            if direct {
                expected.push(from.to_owned());
            }
        }
    }
    assert_eq!(expected, ["s1", "s2"], "the design is built for one direct peering");
    let fired: Vec<String> =
        validate(&design).findings.into_iter().filter(|f| f.rule == "NET-11").map(|f| f.element).collect();
    assert_eq!(fired, expected);
}
