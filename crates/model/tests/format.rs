//! The file format: round trips, defaults, unknown fields, bad input, migrations.

mod common;

use common::{design, fixture_path, fixture_text};
use moat_model::element::{ElementKind, ElementProps, Kek, KeyVaultSku, SubnetRole, TlsCerts};
use moat_model::format::{self, CURRENT_VERSION, LoadError, MIGRATIONS, Migration};
use moat_model::link::{FlowProtocol, LinkKind, LinkProps};
use moat_model::{Element, load, to_json};
use proptest::prelude::*;
use serde_json::Value;

#[test]
fn every_kind_round_trips_unchanged() {
    let text = fixture_text("format/v1/every-kind.moat.json");
    let loaded = load(&text).unwrap();
    assert_eq!(to_json(&loaded.design), text);
    assert!(loaded.repairs.is_empty() && loaded.migrated_from.is_none());
}

#[test]
fn the_every_kind_fixture_has_every_element_and_link_kind() {
    let design = design("format/v1/every-kind.moat.json");
    for kind in ElementKind::ALL {
        assert!(design.elements.iter().any(|e| e.kind() == *kind), "no {kind} in every-kind.moat.json");
    }
    for kind in LinkKind::ALL {
        assert!(design.links.iter().any(|l| l.kind() == *kind), "no {kind} link in every-kind.moat.json");
    }
}

#[test]
fn missing_fields_get_the_spec_defaults() {
    let design = design("format/v1/defaults.moat.json");
    let props = |id: &str| &design.element(id).unwrap().props;
    let ElementProps::Vm(vm) = props("vm") else { panic!("vm") };
    assert_eq!((vm.count, vm.os_disk.as_str(), vm.public_ip, vm.tls_certs), (1, "P10", false, TlsCerts::None));
    assert_eq!((vm.disk_encryption.enabled, vm.disk_encryption.kek), (false, Kek::None));
    let ElementProps::KeyVault(vault) = props("keyVault") else { panic!("keyVault") };
    assert_eq!((vault.sku, vault.soft_delete, vault.purge_protection), (KeyVaultSku::Premium, true, false));
    let ElementProps::Subnet(subnet) = props("s") else { panic!("subnet") };
    assert_eq!(subnet.role, SubnetRole::Other);
    let ElementProps::RecoveryVault(rsv) = props("recoveryVault") else { panic!("recoveryVault") };
    assert!(rsv.key_vault_access);
    let flow = design.link("l-flow").unwrap();
    let LinkProps::Flow(flow) = &flow.props else { panic!("flow") };
    assert_eq!((flow.protocol, flow.port, flow.tls), (FlowProtocol::Tcp, None, true));
    assert_eq!((design.meta.sla_target, design.meta.currency.as_str()), (99.9, "USD"));
    assert_eq!(design.meta.sensitivity, moat_model::design::Sensitivity::High);
    // The whole document as written back, every default spelled out.
    insta::assert_snapshot!("defaults_written_back", to_json(&design));
}

#[test]
fn unknown_fields_are_kept_and_written_back() {
    let text = fixture_text("format/v1/unknown-fields.moat.json");
    let original: Value = serde_json::from_str(&text).unwrap();
    let design = load(&text).unwrap().design;
    assert_eq!(format::to_value(&design), original);
    assert_eq!(design.extra["futureTopLevel"], serde_json::json!({ "a": [1, 2] }));
    assert_eq!(design.element("weu").unwrap().extra["tags"]["owner"], "net");
}

#[test]
fn a_new_element_of_each_kind_round_trips() {
    for kind in ElementKind::ALL {
        let element = Element::new("x", *kind, None);
        let value = serde_json::to_value(&element).unwrap();
        assert_eq!(value["kind"], kind.as_str());
        let back: Element = serde_json::from_value(value).unwrap();
        assert_eq!(back, element);
    }
}

#[test]
fn fixtures_of_every_released_version_still_load_cleanly() {
    let mut count = 0;
    for entry in std::fs::read_dir(fixture_path("format")).unwrap() {
        let version_dir = entry.unwrap().path();
        for file in std::fs::read_dir(&version_dir).unwrap() {
            let path = file.unwrap().path();
            let loaded = load(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert!(loaded.repairs.is_empty(), "{}: {:?}", path.display(), loaded.repairs);
            let problems = moat_model::check(&loaded.design);
            assert!(problems.is_empty(), "{}: {problems:?}", path.display());
            count += 1;
        }
    }
    assert!(count >= 3);
}

#[test]
fn bad_input_gets_a_clear_error() {
    insta::glob!("fixtures/load-errors/*.json", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let error = load(&text).expect_err("this fixture must not load");
        insta::assert_snapshot!(error.to_string());
    });
}

#[test]
fn json_errors_carry_line_and_column() {
    let error = load(&fixture_text("load-errors/not-json.json")).unwrap_err();
    assert!(matches!(error, LoadError::Syntax { line: 5, column: 17, .. }), "{error:?}");
}

#[test]
fn a_newer_version_is_refused_naming_it() {
    let error = load(r#"{ "format": "moat-design", "version": 7 }"#).unwrap_err();
    assert_eq!(error, LoadError::NewerVersion { found: 7, supported: CURRENT_VERSION });
    assert!(error.to_string().contains("version 7"));
}

#[test]
fn dangling_layout_entries_are_dropped_and_reported() {
    let text = r#"{ "format": "moat-design", "version": 1,
        "elements": [ { "id": "weu", "kind": "region", "location": "westeurope" } ],
        "layout": { "weu": { "x": 0, "y": 0, "w": 10, "h": 10 }, "gone": { "x": 1, "y": 1, "w": 1, "h": 1 } } }"#;
    let loaded = load(text).unwrap();
    let layout = loaded.design.layout.as_ref().unwrap();
    assert_eq!(layout.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["weu"]);
    assert_eq!(loaded.repairs, ["layout entry \"gone\" names no element; dropped"]);
}

// ---- migrations ----------------------------------------------------------------------

fn rename_title(document: &mut serde_json::Map<String, Value>) -> Result<(), String> {
    let meta = document.get_mut("meta").and_then(Value::as_object_mut).ok_or("no meta")?;
    if let Some(title) = meta.remove("name") {
        meta.insert("title".into(), title);
    }
    Ok(())
}

fn add_marker(document: &mut serde_json::Map<String, Value>) -> Result<(), String> {
    document.insert("marker".into(), Value::from("v3"));
    Ok(())
}

const HISTORY: &[Migration] = &[
    Migration { name: "meta-name-to-title", from_version: 1, apply: rename_title },
    Migration { name: "add-marker", from_version: 2, apply: add_marker },
];

#[test]
fn migrations_run_in_order_from_the_file_version() {
    let mut document = serde_json::json!({ "version": 1, "meta": { "name": "Payroll" } }).as_object().unwrap().clone();
    let applied = format::migrate(&mut document, 1, 3, HISTORY).unwrap();
    assert_eq!(applied, ["meta-name-to-title", "add-marker"]);
    assert_eq!(
        Value::Object(document),
        serde_json::json!({ "version": 3, "meta": { "title": "Payroll" }, "marker": "v3" })
    );

    let mut document = serde_json::json!({ "version": 2, "meta": {} }).as_object().unwrap().clone();
    assert_eq!(format::migrate(&mut document, 2, 3, HISTORY).unwrap(), ["add-marker"]);
}

#[test]
fn a_failing_migration_is_named() {
    let mut document = serde_json::Map::new();
    let error = format::migrate(&mut document, 1, 2, HISTORY).unwrap_err();
    assert_eq!(error.to_string(), "migration \"meta-name-to-title\" failed: no meta");
}

#[test]
fn released_migrations_are_ordered_named_and_have_before_after_fixtures() {
    for (i, migration) in MIGRATIONS.iter().enumerate() {
        assert_eq!(migration.from_version, i as u64 + 1, "{} is out of order", migration.name);
        let dir = fixture_path(&format!("migrations/{}", migration.name));
        let read = |name: &str| -> Value {
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
                .unwrap()
        };
        let Value::Object(mut before) = read("before.json") else { panic!("before.json is an object") };
        format::migrate(&mut before, migration.from_version, migration.from_version + 1, MIGRATIONS).unwrap();
        assert_eq!(Value::Object(before), read("after.json"), "{}", migration.name);
    }
    assert_eq!(MIGRATIONS.len() as u64, CURRENT_VERSION - 1, "one migration per version step");
}

proptest! {
    #[test]
    fn loading_never_panics_on_any_text(text in ".{0,200}") {
        let _ = load(&text);
    }

    #[test]
    fn loading_never_panics_on_designs_with_wrong_values(
        kind in prop::sample::select(ElementKind::ALL.to_vec()),
        field in "[a-zA-Z]{1,12}",
        value in prop_oneof![Just(Value::Null), any::<i64>().prop_map(Value::from), ".{0,8}".prop_map(Value::from),
                             any::<bool>().prop_map(Value::from), Just(serde_json::json!([1, "a", {}]))],
    ) {
        let mut element = serde_json::json!({ "id": "x", "kind": kind.as_str(), "parent": "y" });
        element[field] = value;
        let document = serde_json::json!({ "format": "moat-design", "version": 1, "elements": [element] });
        if let Ok(loaded) = load(&document.to_string()) {
            let _ = moat_model::check(&loaded.design);
            let _ = moat_model::layout::effective_layout(&loaded.design);
        }
    }
}
