//! The file format's envelope: reading a design file (tolerantly), migrating older
//! versions, and writing it back.
//!
//! Reading goes in three steps so each kind of bad input gets its own clear message:
//! the text must be JSON (errors carry line and column), the envelope must say
//! `"format": "moat-design"` and a version this program reads, and the body must have
//! the shape of SPEC §2 (errors carry the path, e.g. `elements[3]`).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use thiserror::Error;

use crate::design::Design;
use crate::element::Element;
use crate::link::Link;
use crate::record::{Fields, json_type};

/// The `format` of every Moat design file.
pub const FORMAT: &str = "moat-design";
/// The version this program writes; older versions are migrated on load.
pub const CURRENT_VERSION: u64 = 1;

/// The largest file Moat opens, in bytes (32 MiB): far beyond any real design, small
/// enough that a hostile file cannot exhaust memory.
pub const MAX_BYTES: usize = 32 * MIB;
/// The deepest nesting of arrays and objects Moat reads. A design needs about six levels
/// (document, elements, element, rules, rule, ...); the limit keeps parsing off the stack's edge.
pub const MAX_DEPTH: usize = 64;
const MIB: usize = 1024 * 1024;

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
    #[error("the file is {} MiB; Moat opens designs up to {} MiB", mebibytes(*.bytes), MAX_BYTES / MIB)]
    TooLarge { bytes: usize },
    #[error("not UTF-8 text (save the file as UTF-8)")]
    NotUtf8,
    #[error("the JSON is nested {depth} levels deep; Moat reads up to {MAX_DEPTH}")]
    TooDeep { depth: usize },
    #[error(
        "not valid JSON at line {line}, column {column}: {literal} is not a JSON number (JSON has no NaN or Infinity; write a finite number)"
    )]
    NotFinite { line: usize, column: usize, literal: &'static str },
    #[error(
        "the key {key:?} appears twice in the same object at line {line}, column {column}; remove one so it is clear which value is meant"
    )]
    DuplicateKey { key: String, line: usize, column: usize },
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
///
/// Before any parsing the text is measured ([`MAX_BYTES`]) and its nesting counted
/// ([`MAX_DEPTH`]); a leading byte-order mark is ignored (RFC 8259 §8.1 allows it). Keys
/// repeated within one object are refused rather than silently resolved.
pub fn load(text: &str) -> Result<Loaded, LoadError> {
    if text.len() > MAX_BYTES {
        return Err(LoadError::TooLarge { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::Empty);
    }
    let depth = nesting_depth(text);
    if depth > MAX_DEPTH {
        return Err(LoadError::TooDeep { depth });
    }
    load_value(parse_strict(text).map_err(|error| syntax_error(text, error))?)
}

/// JSON text as a value, refusing a key given twice (see [`Strict`]).
pub(crate) fn parse_strict(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str(text).map(|Strict(value)| value)
}

/// Reads a design file's bytes as they come from a disk or a browser's file picker: the
/// size is checked before decoding, and text that is not UTF-8 is refused rather than
/// patched with replacement characters (or decoded as UTF-16 on a byte-order mark).
pub fn load_bytes(bytes: &[u8]) -> Result<Loaded, LoadError> {
    if bytes.len() > MAX_BYTES {
        return Err(LoadError::TooLarge { bytes: bytes.len() });
    }
    load(std::str::from_utf8(bytes).map_err(|_| LoadError::NotUtf8)?)
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

    let mut design = match read_quickly(&document) {
        Some(design) => design,
        None => read_carefully(document)?,
    };
    let repairs = repair(&mut design);
    Ok(Loaded { design, migrated_from: (version < CURRENT_VERSION).then_some(version), migrations, repairs })
}

/// Reads a design's body through serde, with the path to the first thing that is wrong.
fn read_carefully(document: Fields) -> Result<Design, LoadError> {
    read_body(&document, &[])
        .map_err(|error| LoadError::Shape { path: error.path().to_owned(), message: error.message().to_owned() })
}

/// Reads a design's body (the document without its envelope) in place, passing over the
/// fields `skip`, with the path to the first thing that is wrong. Every reader of a body
/// comes here (the careful read, the quick read, `edit`), so the deserialisers of the design's
/// parts are compiled for one deserializer type rather than one each.
pub(crate) fn read_body(document: &Fields, skip: &[&str]) -> Result<Design, crate::tracked::ReadError> {
    crate::tracked::read_object(document, skip)
}

/// Reads a design's body in place, the quick way: each element and link straight from its
/// record, the rest through serde. Serde alone reads `Design` through a buffer of the whole
/// document (it has flattened fields) and each record through a map of its own: three copies of
/// what is mostly elements and links. `None` when anything is wrong; the careful read then
/// reports it with its path, as always. Both give the same design when both succeed.
fn read_quickly(document: &Fields) -> Option<Design> {
    fn records<T>(document: &Fields, key: &str, read: fn(&Fields) -> Result<T, ()>) -> Option<Vec<T>> {
        match document.get(key) {
            None => Some(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::Object(record) => read(record).ok(),
                    _ => None,
                })
                .collect(),
            Some(_) => None,
        }
    }
    let elements = records(document, "elements", Element::read_record)?;
    let links = records(document, "links", Link::read_record)?;
    let mut design = read_body(document, &["elements", "links"]).ok()?;
    design.elements = elements.into_iter().map(std::sync::Arc::new).collect();
    design.links = links;
    Some(design)
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
    // `{:#}` writes as `to_string_pretty` does, through the one writer of JSON text the app has.
    format!("{:#}\n", to_value(design))
}

fn syntax_error(text: &str, error: serde_json::Error) -> LoadError {
    let full = error.to_string();
    // serde_json appends " at line L column C"; we say it our own way.
    let message = full.rsplit_once(" at line ").map_or(full.as_str(), |(message, _)| message).to_owned();
    let (line, column) = (error.line(), error.column());
    if let Some(key) = message.strip_prefix(DUPLICATE_KEY) {
        return LoadError::DuplicateKey { key: key.to_owned(), line, column };
    }
    if error.is_syntax()
        && let Some(literal) = non_finite_at(text, line, column)
    {
        return LoadError::NotFinite { line, column, literal };
    }
    LoadError::Syntax { line, column, message }
}

/// `40.0`: a size in MiB with one decimal, never rounded down to the limit itself.
fn mebibytes(bytes: usize) -> String {
    let shown = format!("{:.1}", bytes as f64 / MIB as f64);
    if bytes > MAX_BYTES && shown == format!("{}.0", MAX_BYTES / MIB) {
        format!("{:.6}", bytes as f64 / MIB as f64)
    } else {
        shown
    }
}

/// The deepest nesting of arrays and objects in `text`, counting brackets outside strings.
/// Runs before the parser so that a hostile file is refused without recursing into it.
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Whether the parser stopped on `NaN`, `Infinity` or `-Infinity` (which some JSON writers
/// emit but JSON does not have); serde_json only says "expected value".
fn non_finite_at(text: &str, line: usize, column: usize) -> Option<&'static str> {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let at = line_start + column.saturating_sub(1);
    let bytes = text.as_bytes();
    let window = |from: usize| bytes.get(from.min(bytes.len())..(from + 9).min(bytes.len())).unwrap_or_default();
    for from in [at.saturating_sub(1), at] {
        let word = window(from).to_ascii_lowercase();
        let negative = word.starts_with(b"-");
        let word = word.strip_prefix(b"-").or_else(|| word.strip_prefix(b"+")).unwrap_or(&word);
        if word.starts_with(b"nan") {
            return Some("NaN");
        }
        if word.starts_with(b"inf") {
            return Some(if negative { "-Infinity" } else { "Infinity" });
        }
    }
    None
}

/// Marks the message of a repeated key, so [`syntax_error`] can tell it from a parse error.
const DUPLICATE_KEY: &str = "\u{0}duplicate key: ";

/// serde_json's message for an error of [`parse_strict`], with a repeated key's mark taken
/// off (`duplicate key: name at line 1 column 9`).
pub(crate) fn plain_message(error: &serde_json::Error) -> String {
    error.to_string().replacen(DUPLICATE_KEY, &DUPLICATE_KEY[1..], 1)
}

/// A JSON value read the way serde_json reads it, except that an object repeating a key is
/// an error (serde_json keeps the last value silently, so two authors' edits could merge
/// into a design neither wrote).
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Strict::deserialize(deserializer).map(|Strict(value)| value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Fields::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUPLICATE_KEY}{key}")));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
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

#[cfg(test)]
mod quick_read_tests {
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::*;

    /// A design document after its envelope is opened, as `load_value` reads its body.
    fn body(mut document: Fields) -> Option<Fields> {
        let version = document.get("version").and_then(Value::as_u64).filter(|v| (1..=CURRENT_VERSION).contains(v))?;
        migrate(&mut document, version, CURRENT_VERSION, MIGRATIONS).ok()?;
        document.remove("format");
        document.remove("version");
        Some(document)
    }

    /// The quick read gives what the careful read gives, field order included, and nothing
    /// where the careful read fails.
    fn same(document: &Fields) -> Result<(), String> {
        let quick = read_quickly(document);
        match read_carefully(document.clone()) {
            Ok(careful) => {
                let quick = quick.ok_or("the quick read failed where the careful read succeeded")?;
                if quick != careful || to_json(&quick) != to_json(&careful) {
                    return Err(format!("the reads differ:\n{}\n{}", to_json(&quick), to_json(&careful)));
                }
            }
            Err(_) if quick.is_some() => return Err("the quick read succeeded where the careful read failed".into()),
            Err(_) => {}
        }
        Ok(())
    }

    fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                json_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }

    /// Every design file of the repository: test fixtures, templates, examples.
    fn documents() -> &'static [Fields] {
        static DOCUMENTS: std::sync::OnceLock<Vec<Fields>> = std::sync::OnceLock::new();
        DOCUMENTS.get_or_init(read_documents)
    }

    fn read_documents() -> Vec<Fields> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["tests/fixtures", "../../assets/templates", "../../assets/examples"] {
            json_files(&root.join(dir), &mut files);
        }
        let documents: Vec<Fields> = files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .filter_map(|text| match serde_json::from_str(&text) {
                Ok(Value::Object(document)) => body(document),
                _ => None,
            })
            .collect();
        assert!(documents.len() > 20, "{} documents", documents.len());
        documents
    }

    #[test]
    fn the_quick_read_gives_what_the_careful_read_gives_on_every_file() {
        for document in documents() {
            if let Err(why) = same(document) {
                panic!("{why}");
            }
        }
        let generated = to_value(&crate::generate::hub_spoke(3));
        let Value::Object(generated) = generated else { panic!("a design is an object") };
        same(&body(generated).unwrap()).unwrap();
    }

    fn any_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (-3i64..70000).prop_map(Value::from),
            prop::sample::select(vec!["", "x", "web", "tcp", "inbound", "10.0.0.0/8", "vm"]).prop_map(Value::from),
            Just(serde_json::json!([1, "a"])),
            Just(serde_json::json!({ "k": 1 })),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Changed or added fields anywhere in a record: the two reads still agree.
        #[test]
        fn the_reads_agree_on_changed_records(
            file in any::<prop::sample::Index>(),
            array in prop::sample::select(vec!["elements", "links"]),
            record in any::<prop::sample::Index>(),
            key in prop::sample::select(vec!["id", "kind", "name", "parent", "from", "to", "count", "rules", "prefix", "unknownA", "unknownB", "zones"]),
            value in any_value(),
            second in prop::sample::select(vec!["unknownC", "name", "port"]),
        ) {
            let documents = documents();
            let mut document = documents[file.index(documents.len())].clone();
            if let Some(Value::Array(items)) = document.get_mut(array)
                && !items.is_empty()
            {
                let i = record.index(items.len());
                if let Value::Object(fields) = &mut items[i] {
                    fields.insert(key.to_owned(), value.clone());
                    fields.insert(second.to_owned(), Value::from(7));
                } else {
                    items[i] = value;
                }
            }
            prop_assert!(same(&document).is_ok(), "{:?}", same(&document));
        }
    }
}
