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
        ("not-utf8.moat.json", "moat: not-utf8.moat.json: not UTF-8 text"),
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
