//! `moat` as a pipeline runs it: exit codes, what goes to stdout and stderr.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `moat` in the fixtures folder, so messages name files as a user typed them.
fn moat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
        .output()
        .expect("moat runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn check_accepts_the_example() {
    let output = moat(&["check", "n-tier.moat.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "n-tier.moat.json: ok (21 elements, 2 links)\n");
}

#[test]
fn check_lists_each_structural_problem_and_exits_1() {
    let output = moat(&["check", "problems.moat.json"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output), @r#"
    problems.moat.json: web-snet: prefix: "10.0.1.5/24" is not a network address; did you mean 10.0.1.0/24?
    problems.moat.json: web-snet: nsg: refers to "nsg-missing", which does not exist
    problems.moat.json: web: parent: a vm goes in a subnet, but "vnet" is a vnet
    "#);
    insta::assert_snapshot!(stderr(&output), @r#"
    problems.moat.json: repaired: layout entry "ghost" names no element; dropped
    problems.moat.json: 3 structural problems
    "#);
}

#[test]
fn unusable_input_exits_2_with_one_line_naming_the_file() {
    let cases = [
        ("not-json.moat.json", "moat: not-json.moat.json: not valid JSON at line 5, column 17: expected `,` or `}`"),
        ("empty.moat.json", "moat: empty.moat.json: the file is empty"),
        (
            "wrong-format.moat.json",
            "moat: wrong-format.moat.json: not a Moat design: \"format\" is \"drawio\", expected \"moat-design\"",
        ),
        (
            "newer-version.moat.json",
            "moat: newer-version.moat.json: the design is format version 3, newer than this version of Moat reads (up to 1); update Moat to open it",
        ),
        (
            "wrong-type.moat.json",
            "moat: wrong-type.moat.json: at elements[0]: element \"x\": field count: invalid value: integer `-1`, expected u32",
        ),
        ("not-utf8.moat.json", "moat: not-utf8.moat.json: not UTF-8 text (save the file as UTF-8)"),
        ("missing.moat.json", "moat: missing.moat.json: cannot read: No such file or directory (os error 2)"),
    ];
    for (file, message) in cases {
        for command in ["check", "migrate"] {
            let output = moat(&[command, file]);
            assert_eq!(output.status.code(), Some(2), "{command} {file}");
            assert_eq!(stderr(&output), format!("{message}\n"), "{command} {file}");
            assert_eq!(stdout(&output), "", "{command} {file}");
        }
    }
}

#[test]
fn migrate_writes_the_design_at_the_current_version() {
    let out = std::env::temp_dir().join(format!("moat-migrate-{}.moat.json", std::process::id()));
    let output = moat(&["migrate", "n-tier.moat.json", "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "n-tier.moat.json: already at version 1; written in canonical form\n");
    let written = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();

    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/n-tier.moat.json"));
    let original = moat_model::load(&original.unwrap()).unwrap().design;
    let migrated = moat_model::load(&written).unwrap();
    assert_eq!(migrated.design, original);
    assert!(written.starts_with("{\n  \"format\": \"moat-design\",\n  \"version\": 1,\n"));

    // Without -o the result goes to standard output, and nothing else does.
    let output = moat(&["migrate", "n-tier.moat.json"]);
    assert_eq!(stdout(&output), written);
}

#[test]
fn migrate_names_an_output_it_cannot_write() {
    let output = moat(&["migrate", "n-tier.moat.json", "-o", "no-such-dir/out.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("moat: no-such-dir/out.json: cannot write:"), "{}", stderr(&output));
}

#[test]
fn help_names_the_commands_and_usage_errors_exit_2() {
    let help = moat(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = stdout(&help);
    for word in ["check", "migrate", "Exit status"] {
        assert!(text.contains(word), "--help mentions {word}: {text}");
    }
    assert_eq!(moat(&[]).status.code(), Some(2));
    assert_eq!(moat(&["check"]).status.code(), Some(2));
}

#[test]
fn reach_answers_one_flow_in_text_and_json_as_the_engine_does() {
    let output = moat(&["reach", "n-tier.moat.json", "--from", "web", "--to", "db", "--port", "1433"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output), @r"
    web → db (tcp/1433): DENY
      path: web
      decided by: nsg-web rule deny-all-out
      denied by NSG nsg-web rule deny-all-out, outbound at web
    ");

    let output = moat(&["reach", "n-tier.moat.json", "--from", "biz", "--to", "db", "--port", "1433"]);
    insta::assert_snapshot!(stdout(&output), @r"
    biz → db (tcp/1433): ALLOW
      path: biz → db
      return path: db → biz
      allowed: tcp/1433
      allowed along biz → db; the reply returns along db → biz
    ");

    let output = moat(&["reach", "n-tier.moat.json", "--from", "biz", "--to", "db", "--port", "1433", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/n-tier.moat.json")).unwrap();
    let design = moat_model::load(&text).unwrap().design;
    let engine =
        moat_model::reach::verify(&design, "biz", "db", moat_model::link::FlowProtocol::Tcp, Some(1433)).unwrap();
    assert_eq!(json, serde_json::to_value(&engine).unwrap());
    assert_eq!(json["verdict"], "allow");
    assert_eq!(json["path"], serde_json::json!(["biz", "db"]));
    assert_eq!(json["returnPath"], serde_json::json!(["db", "biz"]));
    assert_eq!(json["deniedBy"], serde_json::Value::Null);
}

#[test]
fn reach_matrix_lists_every_pair() {
    let output = moat(&["reach", "n-tier.moat.json", "--matrix", "--port", "8443", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["endpoints"], serde_json::json!(["web", "biz", "db", "internet"]));
    let allowed: Vec<String> = json["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] == "allow")
        .map(|c| format!("{} → {}", c["from"].as_str().unwrap(), c["to"].as_str().unwrap()))
        .collect();
    assert_eq!(allowed, ["web → biz"]);
    let text = stdout(&moat(&["reach", "n-tier.moat.json", "--matrix", "--port", "8443"]));
    assert!(text.starts_with("tcp/8443 (rows: from, columns: to)\n"), "{text}");
}

#[test]
fn reach_refuses_ids_that_are_no_endpoint() {
    let output = moat(&["reach", "n-tier.moat.json", "--from", "kv", "--to", "db"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "moat: n-tier.moat.json: \"kv\" is a keyVault; traffic starts and ends at a vm, a subnet, an onPremises or the internet\n"
    );
    assert_eq!(moat(&["reach", "n-tier.moat.json", "--from", "web"]).status.code(), Some(2), "--to is required");
}

/// The model's clean design (every rule silent), changed by `change`, written to a file.
fn clean_with(name: &str, change: impl FnOnce(&mut serde_json::Value)) -> std::path::PathBuf {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/tests/fixtures/rules/clean.moat.json");
    let mut design: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(base).unwrap()).unwrap();
    change(&mut design);
    let path = std::env::temp_dir().join(format!("moat-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, design.to_string()).unwrap();
    path
}

fn element<'d>(design: &'d mut serde_json::Value, id: &str) -> &'d mut serde_json::Value {
    design["elements"].as_array_mut().unwrap().iter_mut().find(|e| e["id"] == id).unwrap()
}

#[test]
fn validate_passes_a_clean_design() {
    let file = clean_with("clean.moat.json", |_| {});
    let output = moat(&["validate", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), format!("{}: 0 errors, 0 warnings, 0 info\n", file.display()));
}

#[test]
fn validate_reports_findings_by_severity_and_fails_on_the_threshold() {
    // One web VM (HA-01, a warning) and a business subnet without NSG (NET-01, an error).
    let file = clean_with("findings.moat.json", |d| {
        element(d, "web")["count"] = serde_json::json!(1);
        element(d, "biz-snet").as_object_mut().unwrap().remove("nsg");
    });
    let path = file.to_str().unwrap();
    let output = moat(&["validate", path]);
    assert_eq!(output.status.code(), Some(1), "an error finding fails by default");
    let text = stdout(&output);
    assert!(text.contains("\n\nerror:\n  NET-01 biz-snet: subnet biz-snet has no NSG"), "{text}");
    assert!(text.contains("\n\nwarning:\n") && text.contains("HA-01 web:"), "{text}");
    assert_eq!(moat(&["validate", path, "--fail-on", "never"]).status.code(), Some(0));

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&moat(&["validate", path, "--format", "json"]))).unwrap();
    let fired: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["severity"].as_str().unwrap().into(),
                f["element"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(fired.contains(&("NET-01".into(), "error".into(), "biz-snet".into())), "{fired:?}");
    assert!(fired.contains(&("HA-01".into(), "warning".into(), "web".into())), "{fired:?}");
    let errors = fired.iter().filter(|f| f.1 == "error").count();
    assert_eq!(json["summary"]["error"], errors);
    assert_eq!(json["suppressed"], serde_json::json!([]));

    // Only warnings: passes by default, fails with --fail-on warning.
    let warnings_only = clean_with("warning.moat.json", |d| element(d, "web")["count"] = serde_json::json!(1));
    let path = warnings_only.to_str().unwrap();
    assert_eq!(moat(&["validate", path]).status.code(), Some(0));
    assert_eq!(moat(&["validate", path, "--fail-on", "warning"]).status.code(), Some(1));
}

#[test]
fn validate_writes_sarif_with_the_catalogue_and_located_results() {
    let file = clean_with("sarif.moat.json", |d| {
        element(d, "web")["count"] = serde_json::json!(1);
        d["suppressions"] = serde_json::json!([{ "rule": "HA-01", "target": "web", "reason": "pilot" }]);
        element(d, "biz")["count"] = serde_json::json!(1);
    });
    let sarif: serde_json::Value =
        serde_json::from_str(&stdout(&moat(&["validate", file.to_str().unwrap(), "--format", "sarif"]))).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "moat");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), moat_model::rules::catalogue().len());
    let results = run["results"].as_array().unwrap();
    let biz = results.iter().find(|r| r["ruleId"] == "HA-01" && r["suppressions"].is_null()).unwrap();
    assert_eq!(biz["level"], "warning");
    assert_eq!(biz["locations"][0]["logicalLocations"][0]["name"], "biz");
    assert_eq!(rules[biz["ruleIndex"].as_u64().unwrap() as usize]["id"], "HA-01");
    let web = results.iter().find(|r| r["ruleId"] == "HA-01" && !r["suppressions"].is_null()).unwrap();
    assert_eq!(web["suppressions"][0]["justification"], "pilot");
}

#[test]
fn rules_lists_the_catalogue() {
    let json: serde_json::Value = serde_json::from_str(&stdout(&moat(&["rules", "--json"]))).unwrap();
    let listed = json.as_array().unwrap();
    assert_eq!(listed.len(), moat_model::rules::catalogue().len());
    assert!(listed.iter().all(|r| r["id"].is_string() && r["rationale"].is_string() && r["fix"].is_string()));
    let text = stdout(&moat(&["rules"]));
    assert!(text.lines().any(|l| l.starts_with("NET-01  error    network")), "{text}");
}

#[test]
fn estimate_prints_cost_availability_and_isolation_and_takes_price_exports() {
    let output = moat(&["estimate", "n-tier.moat.json", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["currency"], "USD");
    assert!(json["monthlyTotal"].as_f64().unwrap() > 0.0);
    assert!(json["items"].as_array().unwrap().iter().all(|i| i["element"].is_string() && i["source"].is_string()));
    assert_eq!(
        json["unpriced"],
        serde_json::json!(["web-lb", "biz-lb", "db-lb"]),
        "a load balancer's rules have no public price"
    );
    assert!(json["availability"]["composite"].as_f64().unwrap() > 99.9);
    assert!(json["availability"]["tiers"]["db"]["sla"].is_number());
    assert_eq!(json["isolation"]["tiers"]["web"]["compute"], "shared");

    // Nothing is left out silently: the totals are lower bounds while a line is unpriced.
    assert_eq!(json["complete"], false);
    assert_eq!(json["unpricedLines"], 3);
    assert_eq!(
        json["assumptions"][0],
        serde_json::json!({ "name": "logGbPerDay", "value": 1.0, "default": 1.0, "set": false })
    );
    let text = stdout(&moat(&["estimate", "n-tier.moat.json"]));
    assert!(text.starts_with("n-tier.moat.json: at least 3,053.75 USD a month pay-as-you-go"), "{text}");
    assert!(text.contains("730 hours a month; 3 lines unpriced"), "{text}");
    assert!(text.contains("--prices): web-lb, biz-lb, db-lb"), "{text}");
    // The usage the lines assume is stated, with how to change it.
    assert!(
        text.contains("\nusage assumed:\n  Log data a day (GB): 1 (the stated default; set governance.logGbPerDay)\n"),
        "{text}"
    );

    let export = std::env::temp_dir().join(format!("moat-cli-prices-{}.json", std::process::id()));
    std::fs::write(
        &export,
        r#"{ "Items": [ { "retailPrice": 0.30, "armRegionName": "westeurope", "meterName": "D4s v5",
        "productName": "Virtual Machines Dsv5 Series", "skuName": "D4s v5", "serviceName": "Virtual Machines",
        "unitOfMeasure": "1 Hour", "type": "Consumption", "armSkuName": "Standard_D4s_v5" } ] }"#,
    )
    .unwrap();
    let priced = moat(&["estimate", "n-tier.moat.json", "--json", "--prices", export.to_str().unwrap()]);
    // What the import used is said on stderr, apart from the JSON.
    assert_eq!(stderr(&priced).trim_end(), format!("{}: used 1 price", export.display()));
    let json: serde_json::Value = serde_json::from_str(&stdout(&priced)).unwrap();
    let web = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["element"] == "web" && i["what"].as_str().unwrap().starts_with("compute"))
        .unwrap();
    assert_eq!(web["monthly"], 438.0, "0.30 × 730 × 2");

    let bad = moat(&["estimate", "n-tier.moat.json", "--prices", "not-json.moat.json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).starts_with("moat: not-json.moat.json: not valid JSON"), "{}", stderr(&bad));
}

#[test]
fn templates_are_listed_and_new_writes_a_well_formed_design() {
    let listed = stdout(&moat(&["templates"]));
    for template in moat_model::templates::templates() {
        assert!(listed.lines().any(|l| l.starts_with(template.name)), "{} is listed", template.name);
    }
    let out = std::env::temp_dir().join(format!("moat-new-{}.moat.json", std::process::id()));
    for template in moat_model::templates::templates() {
        let output = moat(&["new", template.name, "-o", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(moat(&["check", out.to_str().unwrap()]).status.code(), Some(0), "{} checks clean", template.name);
    }
    let unknown = moat(&["new", "no-such-template"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).starts_with("moat: no template \"no-such-template\"; the templates are n-tier"));
}

#[test]
fn export_writes_every_format() {
    let cases = [
        ("json", "{\n  \"format\": \"moat-design\""),
        ("json-schema", "{"),
        ("terraform", ""),
        ("drawio", "<mxfile"),
        ("mermaid", "flowchart"),
        ("svg", "<svg"),
        ("report", "<!DOCTYPE html>"),
    ];
    for (format, start) in cases {
        let output = moat(&["export", "n-tier.moat.json", "--to", format]);
        assert_eq!(output.status.code(), Some(0), "{format}: {}", stderr(&output));
        let text = stdout(&output);
        assert!(!text.trim().is_empty() && text.starts_with(start), "{format}: {}", &text[..text.len().min(120)]);
    }
    let terraform = stdout(&moat(&["export", "n-tier.moat.json", "--to", "terraform"]));
    assert!(terraform.contains("azurerm_virtual_network"), "terraform names azurerm resources");
    let schema: serde_json::Value =
        serde_json::from_str(&stdout(&moat(&["export", "-", "--to", "json-schema"]))).unwrap();
    assert!(schema["$schema"].as_str().is_some_and(|s| s.contains("2020-12")));
    let bad = moat(&["export", "n-tier.moat.json", "--to", "pdf"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn lang_ja_gives_japanese_rule_texts() {
    let japanese = |text: &str| text.chars().any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'));
    let listed = moat(&["rules", "--lang", "ja"]);
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    let text = stdout(&listed);
    assert_eq!(text.lines().count(), moat_model::rules::catalogue().len());
    assert!(text.lines().all(japanese), "every title is Japanese:\n{text}");
    assert!(text.contains("NET-01  error"), "ids and severities stay as they are:\n{text}");
    assert_eq!(stdout(&moat(&["rules"])), stdout(&moat(&["rules", "--lang", "en"])), "English is the default");

    let json: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&moat(&["rules", "--json", "--lang", "ja"]))).unwrap();
    assert_eq!(json.len(), moat_model::rules::catalogue().len());
    for rule in &json {
        for field in ["title", "rationale", "fix"] {
            assert!(japanese(rule[field].as_str().unwrap()), "{} {field} is Japanese", rule["id"]);
        }
    }

    let english = stdout(&moat(&["validate", "n-tier.moat.json"]));
    let output = moat(&["validate", "n-tier.moat.json", "--lang", "ja"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let net10 = lines.iter().position(|l| l.starts_with("  NET-10 web-snet: ")).expect("NET-10 is found");
    assert!(english.contains(lines[net10]), "the message is as in English: {}", lines[net10]);
    assert_eq!(
        lines[net10 + 1],
        "    層のサブネットがインターネット宛てのトラフィックを直接送信している (強制トンネリングなし)"
    );
    assert_eq!(text.lines().filter(|l| !japanese(l)).collect::<Vec<_>>(), english.lines().collect::<Vec<_>>());
    assert_eq!(
        stdout(&moat(&["validate", "n-tier.moat.json", "--format", "json", "--lang", "ja"])),
        stdout(&moat(&["validate", "n-tier.moat.json", "--format", "json"])),
        "JSON findings do not change with the language"
    );
    assert_eq!(moat(&["rules", "--lang", "fr"]).status.code(), Some(2));
}
