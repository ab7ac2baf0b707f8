//! The file format's envelope: reading a design file (tolerantly), migrating older
//! versions, and writing it back.
//!
//! Reading goes in three steps so each kind of bad input gets its own clear message:
//! the text must be JSON (errors carry line and column), the envelope must say
//! `"format": "moat-design"` and a version this program reads, and the body must have
//! the shape of SPEC §2 (errors carry the path, e.g. `elements[3]`).

use serde_json::Value;
use thiserror::Error;

use crate::design::Design;
use crate::record::{Fields, json_type};

/// The `format` of every Moat design file.
pub const FORMAT: &str = "moat-design";
/// The version this program writes; older versions are migrated on load.
pub const CURRENT_VERSION: u64 = 1;

/// One step of the format's history: rewrites a document of `from_version` into
/// `from_version + 1`. Steps are never edited once released; each has a before/after
/// fixture under `crates/model/tests/fixtures/migrations/<name>/`.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    pub name: &'static str,
    pub from_version: u64,
    pub apply: fn(&mut Fields) -> Result<(), String>,
}

/// Every migration, in order. Version 1 is the first released version, so none exist yet.
pub const MIGRATIONS: &[Migration] = &[];

/// A design read from a file, with what was done to it on the way in.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub design: Design,
    /// The version the file was written at, when it was older than [`CURRENT_VERSION`].
    pub migrated_from: Option<u64>,
    /// The migrations applied, in order.
    pub migrations: Vec<&'static str>,
    /// Dangling references that were repaired, in words.
    pub repairs: Vec<String>,
}

/// Why a file could not be used as a design. Messages do not name the file: the caller,
/// who knows it, puts its name in front.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LoadError {
    #[error("the file is empty")]
    Empty,
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Syntax { line: usize, column: usize, message: String },
    #[error("not a Moat design: the top level is {found}, not a JSON object")]
    NotAnObject { found: &'static str },
    #[error("not a Moat design: there is no \"format\" field (expected \"{FORMAT}\")")]
    MissingFormat,
    #[error("not a Moat design: \"format\" is {found}, expected \"{FORMAT}\"")]
    WrongFormat { found: String },
    #[error(
        "\"version\" is {found}; expected a whole number of at least 1 (this Moat writes version {CURRENT_VERSION})"
    )]
    BadVersion { found: String },
    #[error(
        "the design is format version {found}, newer than this version of Moat reads (up to {supported}); update Moat to open it"
    )]
    NewerVersion { found: u64, supported: u64 },
    #[error("migration \"{name}\" failed: {message}")]
    Migration { name: &'static str, message: String },
    #[error("at {path}: {message}")]
    Shape { path: String, message: String },
}

/// Reads a design file's text.
pub fn load(text: &str) -> Result<Loaded, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::Empty);
    }
    let value: Value = serde_json::from_str(text).map_err(syntax_error)?;
    load_value(value)
}

/// Reads a design already parsed as JSON.
pub fn load_value(value: Value) -> Result<Loaded, LoadError> {
    let Value::Object(mut document) = value else {
        return Err(LoadError::NotAnObject { found: json_type(&value) });
    };
    match document.get("format") {
        None => return Err(LoadError::MissingFormat),
        Some(Value::String(format)) if format == FORMAT => {}
        Some(other) => return Err(LoadError::WrongFormat { found: other.to_string() }),
    }
    let version = match document.get("version") {
        Some(Value::Number(number)) => number.as_u64().filter(|v| *v >= 1),
        _ => None,
    }
    .ok_or_else(|| LoadError::BadVersion {
        found: document.get("version").map_or_else(|| "missing".to_owned(), Value::to_string),
    })?;
    if version > CURRENT_VERSION {
        return Err(LoadError::NewerVersion { found: version, supported: CURRENT_VERSION });
    }
    let migrations = migrate(&mut document, version, CURRENT_VERSION, MIGRATIONS)?;
    document.remove("format");
    document.remove("version");

    let mut design: Design = serde_path_to_error::deserialize(Value::Object(document))
        .map_err(|error| LoadError::Shape { path: error.path().to_string(), message: error.inner().to_string() })?;
    let repairs = repair(&mut design);
    Ok(Loaded { design, migrated_from: (version < CURRENT_VERSION).then_some(version), migrations, repairs })
}

/// Applies `migrations` to bring `document` from version `from` to version `to`, and sets
/// its `version`. Returns the names of the steps applied.
pub fn migrate(
    document: &mut Fields,
    from: u64,
    to: u64,
    migrations: &[Migration],
) -> Result<Vec<&'static str>, LoadError> {
    let mut applied = Vec::new();
    for version in from..to {
        let step = migrations
            .iter()
            .find(|m| m.from_version == version)
            .ok_or_else(|| LoadError::BadVersion { found: format!("{version}, which no migration upgrades") })?;
        (step.apply)(document).map_err(|message| LoadError::Migration { name: step.name, message })?;
        applied.push(step.name);
    }
    document.insert("version".into(), Value::from(to));
    Ok(applied)
}

/// The design as the JSON document written to disk: envelope first, then the body.
pub fn to_value(design: &Design) -> Value {
    let mut document = Fields::new();
    document.insert("format".into(), Value::from(FORMAT));
    document.insert("version".into(), Value::from(CURRENT_VERSION));
    if let Ok(Value::Object(body)) = serde_json::to_value(design) {
        document.extend(body);
    }
    Value::Object(document)
}

/// The design as the text of a `.moat.json` file (two-space indented, final newline).
pub fn to_json(design: &Design) -> String {
    let mut text = serde_json::to_string_pretty(&to_value(design)).unwrap_or_default();
    text.push('\n');
    text
}

fn syntax_error(error: serde_json::Error) -> LoadError {
    let full = error.to_string();
    // serde_json appends " at line L column C"; we say it our own way.
    let message = full.rsplit_once(" at line ").map_or(full.as_str(), |(message, _)| message).to_owned();
    LoadError::Syntax { line: error.line(), column: error.column(), message }
}

/// Repairs what can be repaired without losing the author's work: layout entries for
/// elements that no longer exist are dropped.
fn repair(design: &mut Design) -> Vec<String> {
    let mut repairs = Vec::new();
    if let Some(layout) = &mut design.layout {
        let ids: std::collections::HashSet<&str> = design.elements.iter().map(|e| e.id.as_str()).collect();
        layout.retain(|id, _| {
            let keep = ids.contains(id.as_str());
            if !keep {
                repairs.push(format!("layout entry \"{id}\" names no element; dropped"));
            }
            keep
        });
    }
    repairs
}
