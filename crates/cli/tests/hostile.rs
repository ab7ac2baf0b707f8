//! `moat` against hostile input: the corpus in `tests/hostile/` (repository root) and a few
//! files too big to commit, generated here. Whatever the input, `moat` never panics: it
//! exits 0, 1 or 2, and unusable input gets one line on stderr naming the file.
//!
//! The corpus names say what each file must do under `moat check`:
//! `unusable-*` exit 2, `problem-*` exit 1 (it loads, its structure is wrong),
//! `ok-*` exit 0.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile")
}

/// Runs `moat` in `dir`, so messages name files as a user typed them.
fn moat_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat")).args(args).current_dir(dir).output().expect("moat runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Never a panic: exit 0, 1 or 2 and no "panicked" on stderr. Returns the exit code.
fn no_panic(dir: &Path, args: &[&str]) -> (i32, Output) {
    let output = moat_in(dir, args);
    let stderr = text(&output.stderr);
    let code = output.status.code().unwrap_or_else(|| panic!("moat {args:?} was killed by a signal: {stderr}"));
    assert!(matches!(code, 0..=2), "moat {args:?} exited {code}: {stderr}");
    assert!(!stderr.contains("panicked"), "moat {args:?} panicked: {stderr}");
    (code, output)
}

/// Unusable input: exit 2 and one line on stderr, `moat: FILE: reason`.
fn unusable(dir: &Path, args: &[&str], file: &str) -> String {
    let (code, output) = no_panic(dir, args);
    let stderr = text(&output.stderr);
    assert_eq!(code, 2, "moat {args:?} should refuse {file}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "moat {args:?}: one line on stderr, got {stderr:?}");
    assert!(stderr.starts_with(&format!("moat: {file}: ")), "moat {args:?}: the line names {file}: {stderr:?}");
    assert!(stderr.len() < 600, "moat {args:?}: a short reason, got {} bytes", stderr.len());
    stderr
}

const EXPORTS: [&str; 5] = ["terraform", "drawio", "mermaid", "svg", "report"];

/// Every command on a file that loads: none panics, and each exits as it should.
fn every_command(dir: &Path, file: &str) {
    assert!(matches!(no_panic(dir, &["validate", file]).0, 0 | 1), "validate {file}");
    for format in ["json", "sarif"] {
        assert!(matches!(no_panic(dir, &["validate", file, "--format", format]).0, 0 | 1), "validate {file}");
    }
    assert_eq!(no_panic(dir, &["reach", file, "--matrix"]).0, 0, "reach --matrix {file}");
    assert_eq!(no_panic(dir, &["reach", file, "--matrix", "--json", "--port", "443"]).0, 0, "reach {file}");
    assert_eq!(no_panic(dir, &["estimate", file]).0, 0, "estimate {file}");
    assert_eq!(no_panic(dir, &["estimate", file, "--json"]).0, 0, "estimate --json {file}");
    assert_eq!(no_panic(dir, &["migrate", file]).0, 0, "migrate {file}");
    for format in EXPORTS {
        assert_eq!(no_panic(dir, &["export", file, "--to", format]).0, 0, "export {file} --to {format}");
    }
}

fn corpus_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[test]
fn the_corpus_is_large_and_every_file_says_what_it_expects() {
    let names = corpus_files();
    assert!(names.len() >= 30, "only {} hostile files", names.len());
    for name in &names {
        assert!(
            ["unusable-", "problem-", "ok-"].iter().any(|prefix| name.starts_with(prefix)),
            "{name}: name it unusable-*, problem-* or ok-*"
        );
    }
}

#[test]
fn unusable_files_exit_2_with_one_line_naming_the_file_whatever_the_command() {
    let dir = corpus();
    for name in corpus_files().iter().filter(|n| n.starts_with("unusable-")) {
        let file = name.as_str();
        let reason = unusable(&dir, &["check", file], file);
        for args in [
            vec!["validate", file],
            vec!["reach", file, "--matrix"],
            vec!["estimate", file],
            vec!["export", file, "--to", "svg"],
            vec!["migrate", file],
        ] {
            assert_eq!(unusable(&dir, &args, file), reason, "moat {args:?} says what check says");
        }
    }
}

#[test]
fn files_with_structural_problems_exit_1_and_every_command_copes() {
    let dir = corpus();
    for name in corpus_files().iter().filter(|n| n.starts_with("problem-")) {
        let (code, output) = no_panic(&dir, &["check", name]);
        assert_eq!(code, 1, "check {name}: {}", text(&output.stderr));
        every_command(&dir, name);
    }
}

#[test]
fn odd_but_sound_files_check_clean_and_every_command_copes() {
    let dir = corpus();
    for name in corpus_files().iter().filter(|n| n.starts_with("ok-")) {
        let (code, output) = no_panic(&dir, &["check", name]);
        assert_eq!(code, 0, "check {name}: {}{}", text(&output.stdout), text(&output.stderr));
        every_command(&dir, name);
    }
}

#[test]
fn markup_in_names_never_reaches_svg_drawio_or_the_report_unescaped() {
    let dir = corpus();
    for file in ["ok-markup-and-control-characters-in-names.json", "problem-markup-and-control-characters-in-ids.json"]
    {
        for format in ["svg", "drawio", "report"] {
            let (code, output) = no_panic(&dir, &["export", file, "--to", format]);
            assert_eq!(code, 0, "export {file} --to {format}");
            let out = text(&output.stdout);
            for markup in ["<script", "<svg onload", "<img", "<mxCell id=\"evil\"", "]]>"] {
                assert!(!out.contains(markup), "{format} export of {file} contains {markup:?} unescaped");
            }
            // Control characters are not allowed in XML 1.0 (nor wanted in HTML).
            let control = out.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
            assert!(control.is_none(), "{format} export of {file} contains {control:?}");
        }
    }
}

#[test]
fn a_design_given_as_a_price_file_is_refused_naming_the_price_file() {
    let dir = corpus();
    for prices in ["ok-minimal.json", "unusable-not-json.json", "unusable-empty.json", "unusable-top-level-array.json"]
    {
        let args = ["estimate", "ok-markup-and-control-characters-in-names.json", "--prices", prices];
        unusable(&dir, &args, prices);
    }
    // And a price file given as a design is refused as a design.
    unusable(&dir, &["check", "unusable-price-file-as-design.json"], "unusable-price-file-as-design.json");
}

/// A scratch folder of this test run, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("moat-hostile-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, file: &str, contents: &[u8]) {
        std::fs::write(self.0.join(file), contents).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_40_mib_file_is_refused_by_size() {
    let scratch = Scratch::new("size");
    // Valid JSON, so only the size can be the reason.
    let filler = "x".repeat(40 * 1024 * 1024);
    let design = format!(r#"{{ "format": "moat-design", "version": 1, "meta": {{ "title": "{filler}" }} }}"#);
    scratch.write("huge.moat.json", design.as_bytes());
    let reason = unusable(&scratch.0, &["check", "huge.moat.json"], "huge.moat.json");
    assert_eq!(reason, "moat: huge.moat.json: the file is 40.0 MiB; Moat opens designs up to 32 MiB\n");
}

#[test]
fn nesting_10000_deep_is_refused_by_depth() {
    let scratch = Scratch::new("deep");
    let design =
        format!(r#"{{ "format": "moat-design", "version": 1, "meta": {}{} }}"#, "[".repeat(9_999), "]".repeat(9_999));
    scratch.write("deep.moat.json", design.as_bytes());
    let reason = unusable(&scratch.0, &["check", "deep.moat.json"], "deep.moat.json");
    assert_eq!(reason, "moat: deep.moat.json: the JSON is nested 10000 levels deep; Moat reads up to 64\n");
    // Unclosed too: a truncated deep file is refused the same way, before any parsing.
    scratch.write("open.moat.json", "{".repeat(10_000).as_bytes());
    let reason = unusable(&scratch.0, &["check", "open.moat.json"], "open.moat.json");
    assert!(reason.contains("nested 10000 levels deep"), "{reason}");
}

#[test]
fn a_design_of_100000_elements_is_checked_without_trouble() {
    let scratch = Scratch::new("wide");
    let mut elements = vec![
        r#"{ "id": "weu", "kind": "region", "location": "westeurope" }"#.to_owned(),
        r#"{ "id": "vnet", "kind": "vnet", "parent": "weu", "addressSpace": ["10.0.0.0/8"] }"#.to_owned(),
    ];
    // Many elements, most of them asgs (cheap to analyse), some with dangling parents.
    for i in 0..99_998 {
        let parent = if i % 1000 == 0 { "ghost" } else { "weu" };
        elements.push(format!(r#"{{ "id": "asg-{i}", "kind": "asg", "parent": "{parent}", "name": "<b>{i}</b>" }}"#));
    }
    let design = format!(r#"{{ "format": "moat-design", "version": 1, "elements": [{}] }}"#, elements.join(",\n"));
    scratch.write("wide.moat.json", design.as_bytes());
    let (code, output) = no_panic(&scratch.0, &["check", "wide.moat.json"]);
    assert_eq!(code, 1, "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "wide.moat.json: 100 structural problems\n");
}

#[test]
fn control_characters_in_names_never_reach_the_terminal() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/hostile/ok-markup-and-control-characters-in-names.json");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_moat")).arg("validate").arg(&path).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains('\u{1b}') && !text.contains('\r'), "no raw escape or carriage return in {text:?}");
}
