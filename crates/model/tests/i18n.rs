//! The Japanese rule texts (`assets/i18n/rules.ja.json`) cover the catalogue exactly and
//! keep the design's field names.

use std::collections::BTreeSet;

use moat_model::rules::i18n::{self, Lang};
use moat_model::rules::{Rule, catalogue};

const JA_JSON: &str = include_str!("../../../assets/i18n/rules.ja.json");

/// Whether the text has hiragana, katakana or CJK ideographs.
fn has_japanese(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'))
}

/// The backticked spans of a text, e.g. `count` or `diskEncryption.kek`.
fn backticked(text: &str) -> BTreeSet<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn texts(rule: &Rule, lang: Lang) -> [(&'static str, &'static str); 3] {
    [("title", i18n::title(rule, lang)), ("rationale", i18n::rationale(rule, lang)), ("fix", i18n::fix(rule, lang))]
}

#[test]
fn lang_parses_its_codes() {
    assert_eq!(Lang::parse("ja"), Some(Lang::Ja));
    assert_eq!(Lang::parse("en"), Some(Lang::En));
    assert_eq!(Lang::parse("JA"), Some(Lang::Ja));
    assert_eq!(Lang::parse("fr"), None);
}

#[test]
fn every_rule_has_japanese_texts() {
    for rule in catalogue() {
        for (field, text) in texts(rule, Lang::Ja) {
            assert!(!text.trim().is_empty(), "{} {field} is empty", rule.id);
            assert!(has_japanese(text), "{} {field} is not Japanese: {text}", rule.id);
        }
    }
}

#[test]
fn english_is_the_catalogue_itself() {
    for rule in catalogue() {
        assert_eq!(i18n::title(rule, Lang::En), rule.title);
        assert_eq!(i18n::rationale(rule, Lang::En), rule.rationale);
        assert_eq!(i18n::fix(rule, Lang::En), rule.fix);
    }
}

#[test]
fn the_file_names_no_rule_outside_the_catalogue() {
    let file: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(JA_JSON).expect("rules.ja.json is a JSON object");
    let ids: BTreeSet<&str> = catalogue().iter().map(|r| r.id).collect();
    let extra: Vec<&String> = file.keys().filter(|id| !ids.contains(id.as_str())).collect();
    assert!(extra.is_empty(), "ids not in the catalogue: {extra:?}");
    assert_eq!(file.len(), ids.len());
    for (id, entry) in &file {
        let fields: BTreeSet<&str> =
            entry.as_object().expect("an object per rule").keys().map(String::as_str).collect();
        assert_eq!(fields, BTreeSet::from(["title", "rationale", "fix"]), "{id}");
    }
}

#[test]
fn japanese_texts_keep_the_field_names() {
    for rule in catalogue() {
        for ((field, english), (_, japanese)) in texts(rule, Lang::En).into_iter().zip(texts(rule, Lang::Ja)) {
            let missing: Vec<&str> =
                backticked(english).into_iter().filter(|name| !japanese.contains(&format!("`{name}`"))).collect();
            assert!(missing.is_empty(), "{} {field} lacks {missing:?}", rule.id);
        }
    }
}

/// The web app reads the translation from its site: the file read there gives the texts
/// built into the command line, and a broken one says where it breaks.
#[test]
fn a_translation_read_from_its_file_gives_the_built_in_texts() {
    let read = i18n::Translation::parse(JA_JSON).unwrap();
    for rule in catalogue() {
        assert_eq!(i18n::title_in(rule, Some(&read)), i18n::title(rule, Lang::Ja));
        assert_eq!(i18n::rationale_in(rule, Some(&read)), i18n::rationale(rule, Lang::Ja));
        assert_eq!(i18n::fix_in(rule, Some(&read)), i18n::fix(rule, Lang::Ja));
        assert_eq!(i18n::title_in(rule, None), rule.title);
    }
    let broken = i18n::Translation::parse("{\"HA-01\": 3}").unwrap_err();
    assert!(broken.starts_with("not a translation of the rules: HA-01: invalid type"), "{broken}");
    let not_json = i18n::Translation::parse("{\"HA-01\": ").unwrap_err();
    assert!(not_json.contains("line 1 column"), "{not_json}");
}
