//! The rule pages in docs/rules/ are generated from the catalogue and the rules' fixtures,
//! and the rules' English texts the web app reads (assets/i18n/rules.en.json);
//! this test keeps them in sync. `MOAT_UPDATE_DOCS=1 cargo test -p moat-model --test docs`
//! rewrites them.

mod common;

use std::path::{Path, PathBuf};

use common::fixture_path;
use moat_model::rules::{catalogue, doc_index, doc_page};

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
}

fn expected_pages() -> Vec<(PathBuf, String)> {
    let mut pages = vec![(docs_dir().join("README.md"), doc_index())];
    for rule in catalogue() {
        let text = std::fs::read_to_string(fixture_path(&format!("rules/{}.json", rule.id))).unwrap_or_default();
        let fixture: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let describe = |case: &str| fixture[case]["description"].as_str().unwrap_or("").to_owned();
        pages.push((
            docs_dir().join(format!("{}.md", rule.id)),
            doc_page(rule, &describe("fires"), &describe("passes")),
        ));
    }
    // The web app is built without the rules' rationale and fix, and reads them from here.
    pages.push((
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/i18n/rules.en.json"),
        moat_model::rules::i18n::english_file(),
    ));
    pages
}

#[test]
fn rule_pages_match_the_catalogue() {
    let update = std::env::var_os("MOAT_UPDATE_DOCS").is_some();
    if update {
        std::fs::create_dir_all(docs_dir()).unwrap();
    }
    for (path, text) in expected_pages() {
        if update {
            std::fs::write(&path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == text,
            "{} is out of date: run MOAT_UPDATE_DOCS=1 cargo test -p moat-model --test docs",
            path.display()
        );
    }
    let pages = std::fs::read_dir(docs_dir()).unwrap().count();
    assert_eq!(pages, catalogue().len() + 1, "no page for a rule that does not exist");
}
