//! The JSON Schema export (SPEC §7): in sync with the Rust types, published at a stable path,
//! and accepting every design the project ships, checked by an independent validator.

use std::path::{Path, PathBuf};

use moat_model::export::schema::{json_schema, json_schema_value};
use moat_model::{Element, ElementKind, Link, LinkKind};
use serde_json::{Map, Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&json_schema_value()).expect("the schema compiles")
}

/// The branch of `$defs/<def>/oneOf` whose `kind` is `const` `kind`.
fn branch<'a>(schema: &'a Value, def: &str, kind: &str) -> Option<&'a Map<String, Value>> {
    schema["$defs"][def]["oneOf"]
        .as_array()?
        .iter()
        .find(|b| b["properties"]["kind"]["const"] == kind)
        .and_then(|b| b["properties"].as_object())
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = json_schema_value();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    if let Err(error) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("not a valid 2020-12 schema: {error}");
    }
    let text = json_schema();
    assert!(text.ends_with('\n'));
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), schema);
}

#[test]
fn every_element_kind_has_a_branch_with_every_field_the_type_writes() {
    let schema = json_schema_value();
    assert_eq!(schema["$defs"]["element"]["oneOf"].as_array().unwrap().len(), ElementKind::ALL.len());
    for kind in ElementKind::ALL {
        let properties = branch(&schema, "element", kind.as_str()).unwrap_or_else(|| panic!("no branch for {kind}"));
        let written = serde_json::to_value(Element::new("x", *kind, None)).unwrap();
        for (field, value) in written.as_object().unwrap() {
            let property = properties.get(field).unwrap_or_else(|| panic!("{kind}: field {field} not in the schema"));
            if field != "id" && field != "kind" {
                assert_eq!(&property["default"], value, "{kind}.{field}: default differs from the Rust default");
            }
        }
    }
}

#[test]
fn every_link_kind_has_a_branch_with_every_field_the_type_writes() {
    let schema = json_schema_value();
    assert_eq!(schema["$defs"]["link"]["oneOf"].as_array().unwrap().len(), LinkKind::ALL.len());
    for kind in LinkKind::ALL {
        let properties = branch(&schema, "link", kind.as_str()).unwrap_or_else(|| panic!("no branch for {kind}"));
        let written = serde_json::to_value(Link::new("x", *kind, "a", "b")).unwrap();
        for (field, value) in written.as_object().unwrap() {
            let property = properties.get(field).unwrap_or_else(|| panic!("{kind}: field {field} not in the schema"));
            if !["id", "kind", "from", "to"].contains(&field.as_str()) {
                assert_eq!(&property["default"], value, "{kind}.{field}: default differs from the Rust default");
            }
        }
    }
}

/// Optional fields the Rust default leaves out: every field of the every-kind fixture, as the
/// Rust types write it back, is a property of its branch.
#[test]
fn every_field_written_for_the_every_kind_fixture_is_in_the_schema() {
    let schema = json_schema_value();
    let text =
        std::fs::read_to_string(root().join("crates/model/tests/fixtures/format/v1/every-kind.moat.json")).unwrap();
    let design = moat_model::load(&text).unwrap().design;
    let written = moat_model::format::to_value(&design);
    for (def, records) in [("element", &written["elements"]), ("link", &written["links"])] {
        for record in records.as_array().unwrap() {
            let kind = record["kind"].as_str().unwrap();
            let properties = branch(&schema, def, kind).unwrap();
            for field in record.as_object().unwrap().keys() {
                assert!(properties.contains_key(field), "{kind}: field {field} not in the schema");
            }
        }
    }
    for key in written.as_object().unwrap().keys() {
        assert!(schema["properties"].get(key).is_some(), "top-level field {key} not in the schema");
    }
}

/// The other direction: every property the schema names is one the Rust type knows (it is
/// not kept aside as an unknown field), and every `enum` value the schema allows loads.
#[test]
fn every_schema_property_and_enum_value_is_known_to_the_rust_types() {
    let schema = json_schema_value();
    for (def, kinds) in [
        ("element", ElementKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
        ("link", LinkKind::ALL.iter().map(|k| k.as_str()).collect()),
    ] {
        for kind in kinds {
            let properties = branch(&schema, def, kind).unwrap();
            for (field, property) in properties {
                if ["id", "kind", "name", "parent", "from", "to"].contains(&field.as_str()) {
                    continue;
                }
                let samples: Vec<Value> = match property["enum"].as_array() {
                    Some(values) => values.clone(),
                    None => vec![sample(&schema, property)],
                };
                for value in samples {
                    let mut record = json!({ "id": "x", "kind": kind });
                    if def == "link" {
                        record["from"] = json!("a");
                        record["to"] = json!("b");
                    }
                    record[field.as_str()] = value.clone();
                    let (elements, links) =
                        if def == "element" { (json!([record]), json!([])) } else { (json!([]), json!([record])) };
                    let document =
                        json!({ "format": "moat-design", "version": 1, "elements": elements, "links": links });
                    assert!(
                        validator().is_valid(&document),
                        "{kind}.{field} = {value}: the schema refuses its own sample"
                    );
                    let loaded = moat_model::load(&document.to_string())
                        .unwrap_or_else(|e| panic!("{kind}.{field} = {value}: {e}"))
                        .design;
                    let extra = if def == "element" { &loaded.elements[0].extra } else { &loaded.links[0].extra };
                    assert!(extra.is_empty(), "{kind}.{field}: the Rust type does not know it");
                }
            }
        }
    }
}

/// A value a property's schema accepts.
fn sample(schema: &Value, property: &Value) -> Value {
    if let Some(reference) = property["$ref"].as_str() {
        let name = reference.trim_start_matches("#/$defs/");
        return sample(schema, &schema["$defs"][name]);
    }
    let kind = match &property["type"] {
        Value::Array(kinds) => kinds[0].as_str().unwrap_or("null").to_owned(),
        Value::String(kind) => kind.clone(),
        _ => "null".to_owned(),
    };
    match kind.as_str() {
        "string" => json!("s"),
        "boolean" => json!(true),
        "integer" => property["minimum"].clone(),
        "number" => json!(1.5),
        "array" => json!([sample(schema, &property["items"])]),
        "object" => {
            let mut object = Map::new();
            for (key, value) in property["properties"].as_object().into_iter().flatten() {
                let value = match value["enum"].as_array() {
                    Some(values) => values[0].clone(),
                    None => sample(schema, value),
                };
                object.insert(key.clone(), value);
            }
            Value::Object(object)
        }
        _ => Value::Null,
    }
}

#[test]
fn the_published_schema_file_is_up_to_date() {
    let path = root().join("web/design.schema.json");
    let expected = json_schema();
    if std::env::var_os("MOAT_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(published == expected, "web/design.schema.json is stale: run with MOAT_UPDATE_SCHEMA=1 to regenerate it");
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    files
}

#[test]
fn every_shipped_design_validates() {
    let validator = validator();
    let mut files = Vec::new();
    files.extend(json_files(&root().join("assets/examples")));
    files.extend(json_files(&root().join("assets/templates")));
    files.extend(json_files(&root().join("crates/model/tests/fixtures/format/v1")));
    files.push(root().join("crates/model/tests/fixtures/rules/clean.moat.json"));
    assert!(files.len() >= 5, "fixtures not found: {files:?}");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let document: Value = serde_json::from_str(&text).unwrap();
        let problems = errors(&validator, &document);
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }
    for template in moat_model::templates::templates() {
        let design = moat_model::templates::instantiate(template.name).unwrap();
        let document = moat_model::format::to_value(&design);
        let problems = errors(&validator, &document);
        assert!(problems.is_empty(), "template {}: {problems:#?}", template.name);
    }
}

#[test]
fn a_default_element_and_link_of_every_kind_validates() {
    let mut design = moat_model::Design::default();
    for (i, kind) in ElementKind::ALL.iter().enumerate() {
        design.elements.push(Element::new(format!("e{i}").as_str(), *kind, None).into());
    }
    for (i, kind) in LinkKind::ALL.iter().enumerate() {
        design.links.push(Link::new(format!("l{i}").as_str(), *kind, "e0", "e1"));
    }
    let document = moat_model::format::to_value(&design);
    let problems = errors(&validator(), &document);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let validator = validator();
    let good = json!({ "format": "moat-design", "version": 1, "elements": [{ "id": "v", "kind": "vm", "count": 2 }] });
    assert!(validator.is_valid(&good));
    let cases = [
        json!({ "format": "other", "version": 1 }),
        json!({ "format": "moat-design" }),
        json!({ "format": "moat-design", "version": "1" }),
        json!({ "format": "moat-design", "version": 1, "elements": [{ "id": "v", "kind": "spaceship" }] }),
        json!({ "format": "moat-design", "version": 1, "elements": [{ "kind": "vm" }] }),
        json!({ "format": "moat-design", "version": 1, "elements": [{ "id": "v", "kind": "vm", "count": "two" }] }),
        json!({ "format": "moat-design", "version": 1, "elements": [{ "id": "s", "kind": "subnet", "role": "lab" }] }),
        json!({ "format": "moat-design", "version": 1, "links": [{ "id": "l", "kind": "flow", "from": "a" }] }),
        json!({ "format": "moat-design", "version": 1, "links": [{ "id": "l", "kind": "flow", "from": "a", "to": "b", "port": 70000 }] }),
    ];
    for case in cases {
        assert!(!validator.is_valid(&case), "accepted {case}");
        assert!(moat_model::load(&case.to_string()).is_err(), "the loader accepts {case}");
    }
    // Unknown fields are kept by the format, so the schema allows them.
    let unknown = json!({ "format": "moat-design", "version": 1, "future": 1,
        "elements": [{ "id": "r", "kind": "region", "colour": "red" }] });
    assert!(validator.is_valid(&unknown));
}

#[test]
fn a_fix_names_fields_by_the_inspectors_labels() {
    use moat_model::element::ElementKind as K;
    use moat_model::rules::i18n::Lang;
    use moat_model::schema::field_label;
    assert_eq!(field_label("diskEncryption.kek", Some(K::Vm), Lang::En), Some("Key-encryption key"));
    assert_eq!(field_label("diskEncryption.kek", Some(K::Vm), Lang::Ja), Some("キー暗号化キー (KEK)"));
    // The same path is labelled as the element's own kind shows it.
    assert_eq!(field_label("count", Some(K::DedicatedHost), Lang::En), Some("Hosts"));
    assert_eq!(field_label("count", Some(K::Vm), Lang::En), Some("Instances"));
    assert_eq!(field_label("count", None, Lang::En), Some("Instances"));
    // Values are not fields.
    assert_eq!(field_label("byok", Some(K::Vm), Lang::En), None);
}
