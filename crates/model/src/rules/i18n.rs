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

const JA_JSON: &str = include_str!("../../../../assets/i18n/rules.ja.json");

/// The Japanese texts by rule id. The asset is checked by a test, so reading it cannot
/// fail in a released build.
fn japanese() -> &'static HashMap<String, Texts> {
    static TABLE: OnceLock<HashMap<String, Texts>> = OnceLock::new();
    TABLE.get_or_init(|| serde_json::from_str(JA_JSON).expect("assets/i18n/rules.ja.json is valid (tested)"))
}

fn translated(rule: &Rule, lang: Lang) -> Option<&'static Texts> {
    match lang {
        Lang::En => None,
        Lang::Ja => japanese().get(rule.id),
    }
}

/// The rule's title in `lang`.
pub fn title(rule: &Rule, lang: Lang) -> &'static str {
    translated(rule, lang).map_or(rule.title, |t| t.title.as_str())
}

/// Why the rule exists, in `lang`.
pub fn rationale(rule: &Rule, lang: Lang) -> &'static str {
    translated(rule, lang).map_or(rule.rationale, |t| t.rationale.as_str())
}

/// How to fix what the rule finds, in `lang`.
pub fn fix(rule: &Rule, lang: Lang) -> &'static str {
    translated(rule, lang).map_or(rule.fix, |t| t.fix.as_str())
}
