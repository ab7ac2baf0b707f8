//! Translations of the rule catalogue (`assets/i18n/rules.ja.json`): the title, rationale
//! and fix of each rule in Japanese, for people who read the findings in that language.
//! English is the catalogue itself; a rule missing from a translation falls back to it.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::Rule;

/// A language the rule texts are available in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    /// Reads a language code: `en` or `ja` (case-insensitive).
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }
}

/// One rule's texts in a translation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Texts {
    title: String,
    rationale: String,
    fix: String,
}

/// A translation of the rule catalogue: each rule's texts by id, as in
/// `assets/i18n/rules.<lang>.json`.
#[derive(Debug, Default)]
pub struct Translation(HashMap<String, Texts>);

impl Translation {
    /// Reads a translation file; the error says what is wrong and where (line and column, or
    /// the rule).
    pub fn parse(text: &str) -> Result<Translation, String> {
        crate::tracked::from_json(text).map(Translation).map_err(|e| format!("not a translation of the rules: {e}"))
    }
}

/// The catalogue's own texts as a translation file (`assets/i18n/rules.en.json`, kept equal
/// by a test). The web app is built without them (see `rules::doc!`) and reads this file.
#[cfg(feature = "rule-docs")]
pub fn english_file() -> String {
    let rules = super::catalogue().into_iter().map(|rule| {
        let texts = serde_json::json!({ "title": rule.title, "rationale": rule.rationale, "fix": rule.fix });
        (rule.id.to_owned(), texts)
    });
    let file: serde_json::Map<String, serde_json::Value> = rules.collect();
    serde_json::to_string_pretty(&file).expect("a map of strings serializes") + "\n"
}

const JA_JSON: &str = include_str!("../../../../assets/i18n/rules.ja.json");

/// The translation built into the program for `lang`; none for English, the catalogue's own
/// language. The web app reads the same file from its site instead, when it is needed. The
/// file is checked by a test, so reading it cannot fail in a released build.
pub fn built_in(lang: Lang) -> Option<&'static Translation> {
    static JAPANESE: OnceLock<Translation> = OnceLock::new();
    match lang {
        Lang::En => None,
        Lang::Ja => Some(
            JAPANESE.get_or_init(|| Translation::parse(JA_JSON).expect("assets/i18n/rules.ja.json is valid (tested)")),
        ),
    }
}

/// The rule's title in `lang`.
pub fn title(rule: &Rule, lang: Lang) -> &'static str {
    title_in(rule, built_in(lang))
}

/// Why the rule exists, in `lang`.
pub fn rationale(rule: &Rule, lang: Lang) -> &'static str {
    rationale_in(rule, built_in(lang))
}

/// How to fix what the rule finds, in `lang`.
pub fn fix(rule: &Rule, lang: Lang) -> &'static str {
    fix_in(rule, built_in(lang))
}

/// The rule's title in `translation` (English without one, or where it lacks the rule).
pub fn title_in<'a>(rule: &Rule, translation: Option<&'a Translation>) -> &'a str {
    texts(rule, translation).map_or(rule.title, |t| t.title.as_str())
}

/// Why the rule exists, in `translation`.
pub fn rationale_in<'a>(rule: &Rule, translation: Option<&'a Translation>) -> &'a str {
    texts(rule, translation).map_or(rule.rationale, |t| t.rationale.as_str())
}

/// How to fix what the rule finds, in `translation`.
pub fn fix_in<'a>(rule: &Rule, translation: Option<&'a Translation>) -> &'a str {
    texts(rule, translation).map_or(rule.fix, |t| t.fix.as_str())
}

fn texts<'a>(rule: &Rule, translation: Option<&'a Translation>) -> Option<&'a Texts> {
    translation?.0.get(rule.id)
}
