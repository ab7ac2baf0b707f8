//! Reading JSON into the model's types, with the path to the first thing that is wrong
//! (`elements[3]`, `rules[2].priority`).
//!
//! Text is parsed once into a `serde_json::Value` ([`parse`], which refuses a key given twice),
//! and every type is read from values in place by one deserializer of our own: the body of a
//! design, each record's per-kind fields, an edited element, the built-in tables, a
//! translation. So the deserialisers of the model's many types are compiled once, for that
//! one deserializer. Reading text directly compiles each again for serde_json's text reader,
//! and a wrapper around serde_json's deserializer (as `serde_path_to_error` is) again behind
//! every layer it adds: tens of KB of the browser's download.
//!
//! It reads what serde_json's own deserializer of a `&Value` reads, with the same messages,
//! but for one thing: a struct is read only from an object (serde_json also takes an array of
//! the fields in order, which no file of ours is).

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
use serde_json::{Map, Value};

/// Reads a `T` from JSON text: a syntax error gives line and column (serde_json's message),
/// any other its path (`HA-01.title: invalid type: ...`). The way to read JSON other than a
/// design's (built-in tables, translations, files of the site, browser storage): through the
/// one deserializer rather than serde_json's text reader, compiled for each type read.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    from_value(&parse(text)?)
}

/// Reads a `T` from a JSON value; the error names the path (`rules[2].priority: ...`).
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    read(value).map_err(|e| e.located(""))
}

/// Parses JSON text as designs are parsed (a key given twice is an error), with line and
/// column in the error. The one parser of JSON text in the model, compiled once.
pub fn parse(text: &str) -> Result<Value, String> {
    crate::format::parse_strict(text).map_err(|e| crate::format::plain_message(&e))
}

/// What is wrong with a value, and where it is. Boxed: every reader of every type returns
/// it, and one pointer keeps their results small.
#[derive(Debug)]
pub(crate) struct ReadError(Box<Wrong>);

#[derive(Debug)]
struct Wrong {
    path: Option<String>,
    message: String,
}

impl ReadError {
    /// The path from the value read to what is wrong, as `elements[3].name`; `.` for the
    /// value itself.
    pub(crate) fn path(&self) -> &str {
        self.0.path.as_deref().unwrap_or(".")
    }

    /// What is wrong, without the path.
    pub(crate) fn message(&self) -> &str {
        &self.0.message
    }

    /// The message after its path and `lead` (`field rules[2].priority: ...`), or alone when
    /// the value itself is wrong.
    pub(crate) fn located(&self, lead: &str) -> String {
        match self.path() {
            "." => self.message().to_owned(),
            path => format!("{lead}{path}: {}", self.message()),
        }
    }

    /// Names where the error is, unless a deeper part already did.
    fn at(mut self, path: &Path) -> ReadError {
        if self.0.path.is_none() {
            self.0.path = Some(path.to_string());
        }
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(message: T) -> ReadError {
        ReadError(Box::new(Wrong { path: None, message: message.to_string() }))
    }

    fn invalid_type(unexpected: de::Unexpected, expected: &dyn de::Expected) -> ReadError {
        de::Error::custom(format_args!("invalid type: {}, expected {expected}", AsJson(unexpected)))
    }

    fn invalid_value(unexpected: de::Unexpected, expected: &dyn de::Expected) -> ReadError {
        de::Error::custom(format_args!("invalid value: {}, expected {expected}", AsJson(unexpected)))
    }
}

/// What was found, in JSON's words as serde_json puts them (`null`, not serde's `unit value`).
struct AsJson<'a>(de::Unexpected<'a>);

impl fmt::Display for AsJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            de::Unexpected::Unit => f.write_str("null"),
            de::Unexpected::Float(value) => match serde_json::Number::from_f64(value) {
                Some(number) => write!(f, "floating point `{number}`"),
                None => self.0.fmt(f),
            },
            other => other.fmt(f),
        }
    }
}

/// Reads a `T` from `value`.
pub(crate) fn read<T: DeserializeOwned>(value: &Value) -> Result<T, ReadError> {
    T::deserialize(Node { value: Of::Value(value), path: &Path::Root, known: None })
}

/// Reads a `T` from the fields of `object` other than `skip`, which stay where they are.
pub(crate) fn read_object<T: DeserializeOwned>(object: &Map<String, Value>, skip: &[&str]) -> Result<T, ReadError> {
    T::deserialize(Node { value: Of::Object(object, skip), path: &Path::Root, known: None })
}

/// [`read_object`] for a struct, with the names of its fields (aliases included), which
/// serde's derive gives the deserializer: the fields of `object` with other names are the ones
/// the struct does not know.
pub(crate) fn read_struct<T: DeserializeOwned>(
    object: &Map<String, Value>,
    skip: &[&str],
) -> Result<(T, &'static [&'static str]), ReadError> {
    let known = Cell::new(&[][..]);
    let node = Node { value: Of::Object(object, skip), path: &Path::Root, known: Some(&known) };
    let read = T::deserialize(node)?;
    Ok((read, known.get()))
}

/// Where a value is, from the value read: a chain on the stack, written out only for errors.
enum Path<'p> {
    Root,
    Field(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

/// As `serde_path_to_error` writes paths (which our messages have always shown):
/// fields joined by `.`, indices as `[i]`.
impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("."),
            Path::Field(Path::Root, key) => f.write_str(key),
            Path::Index(Path::Root, index) => write!(f, "[{index}]"),
            Path::Field(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// A value in the document, or an object with some of its fields passed over.
#[derive(Clone, Copy)]
enum Of<'a> {
    Value(&'a Value),
    Object(&'a Map<String, Value>, &'a [&'a str]),
}

/// The deserializer: a value and its path.
struct Node<'a, 'p> {
    value: Of<'a>,
    path: &'p Path<'p>,
    /// Where to note the fields of the struct read from this node, if anywhere.
    known: Option<&'p Cell<&'static [&'static str]>>,
}

impl<'a, 'p> Node<'a, 'p> {
    /// The fields of an object, for a visitor that takes one; `None` for any other value.
    fn object(&self) -> Option<(&'a Map<String, Value>, &'a [&'a str])> {
        match self.value {
            Of::Object(object, skip) => Some((object, skip)),
            Of::Value(Value::Object(object)) => Some((object, &[])),
            Of::Value(_) => None,
        }
    }

    fn visit_object<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let Some((object, skip)) = self.object() else { return Err(self.invalid_type(&visitor)) };
        let mut entries = Entries { iter: object.iter(), skip, value: None, key: "", path: self.path };
        let read = visitor.visit_map(&mut entries)?;
        match entries.next_entry() {
            None => Ok(read),
            Some(_) => Err(de::Error::invalid_length(object.len(), &"fewer elements in map")),
        }
    }

    fn visit_array<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let Of::Value(Value::Array(items)) = self.value else { return Err(self.invalid_type(&visitor)) };
        let mut seq = Items { iter: items.iter().enumerate(), path: self.path };
        let read = visitor.visit_seq(&mut seq)?;
        match seq.iter.len() {
            0 => Ok(read),
            _ => Err(de::Error::invalid_length(items.len(), &"fewer elements in array")),
        }
    }

    fn visit_number<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let Of::Value(Value::Number(n)) = self.value else { return Err(self.invalid_type(&visitor)) };
        match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => visitor.visit_u64(u),
            (None, Some(i)) => visitor.visit_i64(i),
            (None, None) => visitor.visit_f64(n.as_f64().unwrap_or_default()),
        }
    }

    fn visit_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Of::Value(Value::String(s)) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    /// The error for a value that is not what `expected` takes, worded as serde_json's.
    fn invalid_type(&self, expected: &dyn de::Expected) -> ReadError {
        let unexpected = match self.value {
            Of::Value(Value::Null) => de::Unexpected::Unit,
            Of::Value(Value::Bool(b)) => de::Unexpected::Bool(*b),
            Of::Value(Value::Number(n)) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => de::Unexpected::Unsigned(u),
                (None, Some(i)) => de::Unexpected::Signed(i),
                (None, None) => de::Unexpected::Float(n.as_f64().unwrap_or_default()),
            },
            Of::Value(Value::String(s)) => de::Unexpected::Str(s),
            Of::Value(Value::Array(_)) => de::Unexpected::Seq,
            Of::Value(Value::Object(_)) | Of::Object(..) => de::Unexpected::Map,
        };
        de::Error::invalid_type(unexpected, expected)
    }
}

/// `deserialize_*` methods that each hand their visitor to the `Node` method reading their
/// JSON type (as `serde::forward_to_deserialize_any!` does for `deserialize_any`).
macro_rules! by_json_type {
    ($($reader:ident: $($method:ident)*;)*) => {
        $($(
            fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
                self.$reader(visitor)
            }
        )*)*
    };
}

/// Each `deserialize_*` takes only the JSON type its visitor reads (a struct only from an
/// object), so a visitor's code for the other types is never compiled in.
impl<'a> de::Deserializer<'a> for Node<'a, '_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Of::Value(Value::Null) => visitor.visit_unit(),
            Of::Value(Value::Bool(b)) => visitor.visit_bool(*b),
            Of::Value(Value::Number(_)) => self.visit_number(visitor),
            Of::Value(Value::String(s)) => visitor.visit_borrowed_str(s),
            Of::Value(Value::Array(_)) => self.visit_array(visitor),
            Of::Value(Value::Object(_)) | Of::Object(..) => self.visit_object(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Of::Value(Value::Bool(b)) => visitor.visit_bool(*b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Of::Value(Value::Null) => visitor.visit_unit(),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(self, _name: &'static str, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Of::Value(Value::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.visit_array(visitor)
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, ReadError> {
        self.visit_array(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.visit_array(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.visit_object(visitor)
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        if let Some(known) = self.known {
            known.set(fields);
        }
        self.visit_object(visitor)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.value {
            Of::Value(Value::String(variant)) => {
                visitor.visit_enum(Variant { name: variant, value: None, path: self.path })
            }
            Of::Value(Value::Object(object)) => match object.iter().next() {
                Some((variant, value)) if object.len() == 1 => {
                    visitor.visit_enum(Variant { name: variant, value: Some(value), path: self.path })
                }
                _ => Err(de::Error::invalid_value(de::Unexpected::Map, &"map with a single key")),
            },
            _ => Err(self.invalid_type(&"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_unit()
    }

    by_json_type! {
        visit_number: deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8 deserialize_u16
            deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64;
        visit_string: deserialize_char deserialize_str deserialize_string deserialize_identifier;
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        i128 u128 bytes byte_buf
    }
}

/// The entries of an object, each value read with its key on the path.
struct Entries<'a, 'p> {
    iter: serde_json::map::Iter<'a>,
    skip: &'a [&'a str],
    value: Option<&'a Value>,
    key: &'a str,
    path: &'p Path<'p>,
}

impl<'a> Entries<'a, '_> {
    fn next_entry(&mut self) -> Option<(&'a String, &'a Value)> {
        self.iter.by_ref().find(|(key, _)| !self.skip.contains(&key.as_str()))
    }
}

impl<'a> de::MapAccess<'a> for Entries<'a, '_> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, ReadError> {
        let Some((key, value)) = self.next_entry() else { return Ok(None) };
        self.key = key;
        self.value = Some(value);
        let key = de::value::BorrowedStrDeserializer::<ReadError>::new(key);
        seed.deserialize(key).map(Some).map_err(|e| e.at(&Path::Field(self.path, self.key)))
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> Result<S::Value, ReadError> {
        let value = self.value.take().ok_or_else(|| de::Error::custom("value is missing"))?;
        let path = Path::Field(self.path, self.key);
        seed.deserialize(Node { value: Of::Value(value), path: &path, known: None }).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// The items of an array, each read with its index on the path.
struct Items<'a, 'p> {
    iter: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    path: &'p Path<'p>,
}

impl<'a> de::SeqAccess<'a> for Items<'a, '_> {
    type Error = ReadError;

    fn next_element_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> Result<Option<S::Value>, ReadError> {
        let Some((index, value)) = self.iter.next() else { return Ok(None) };
        let path = Path::Index(self.path, index);
        seed.deserialize(Node { value: Of::Value(value), path: &path, known: None }).map(Some).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An enum written as its variant's name, or as an object of one field: the variant's name
/// and its data.
struct Variant<'a, 'p> {
    name: &'a str,
    value: Option<&'a Value>,
    path: &'p Path<'p>,
}

impl<'a, 'p> de::EnumAccess<'a> for Variant<'a, 'p> {
    type Error = ReadError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'a>>(self, seed: S) -> Result<(S::Value, Self), ReadError> {
        let name = de::value::BorrowedStrDeserializer::<ReadError>::new(self.name);
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'a> de::VariantAccess<'a> for Variant<'a, '_> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(Node { value: Of::Value(other), path: self.path, known: None }.invalid_type(&"unit")),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'a>>(self, seed: S) -> Result<S::Value, ReadError> {
        match self.value {
            Some(value) => {
                let path = Path::Field(self.path, self.name);
                seed.deserialize(Node { value: Of::Value(value), path: &path, known: None }).map_err(|e| e.at(&path))
            }
            None => Err(de::Error::invalid_type(de::Unexpected::UnitVariant, &"newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, ReadError> {
        self.struct_variant(&[], visitor)
    }

    fn struct_variant<V: Visitor<'a>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.value {
            Some(value) => {
                let path = Path::Field(self.path, self.name);
                Node { value: Of::Value(value), path: &path, known: None }
                    .visit_object(visitor)
                    .map_err(|e| e.at(&path))
            }
            None => Err(de::Error::invalid_type(de::Unexpected::UnitVariant, &"struct variant")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Nsg {
        rules: Vec<Rule>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Rule {
        name: String,
        priority: u16,
        #[serde(default)]
        ports: Vec<u16>,
        tier: Option<Tier>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Tier {
        Web,
        Data,
    }

    /// What is wrong, where, for each value: the path, and the message serde_json gives.
    const WRONG: &[(&str, &str)] = &[
        (r#"{"rules": [{"name": "a", "priority": 100}, {"name": "b", "priority": "high"}]}"#, "rules[1].priority"),
        (r#"{"rules": [{"name": "a", "priority": 70000}]}"#, "rules[0].priority"),
        (r#"{"rules": [{"name": "a", "priority": 1.5}]}"#, "rules[0].priority"),
        (r#"{"rules": [{"priority": 1}]}"#, "rules[0]"),
        (r#"{"rules": [{"name": "a", "priority": 1, "ports": [80, "x"]}]}"#, "rules[0].ports[1]"),
        (r#"{"rules": [{"name": "a", "priority": 1, "tier": "dmz"}]}"#, "rules[0].tier"),
        (r#"{"rules": [{"name": "a", "priority": 1, "tier": 3}]}"#, "rules[0].tier"),
        (r#"{"rules": [{"name": null, "priority": 1}]}"#, "rules[0].name"),
        (r#"{"rules": {}}"#, "rules"),
        (r#""rules""#, "."),
    ];

    #[test]
    fn an_error_names_the_path_to_what_is_wrong_with_serde_json_s_message() {
        for (text, path) in WRONG {
            let value: Value = serde_json::from_str(text).unwrap();
            let error = read::<Nsg>(&value).unwrap_err();
            let theirs = serde_json::from_value::<Nsg>(value.clone()).unwrap_err().to_string();
            assert_eq!((error.path(), error.message()), (*path, theirs.as_str()), "{text}");
        }
        // The one difference: a struct is read from an object only, never from an array.
        let error = read::<Nsg>(&json!({"rules": [["a", 100, [], null]]})).unwrap_err();
        assert_eq!((error.path(), error.message()), ("rules[0]", "invalid type: sequence, expected struct Rule"));
    }

    #[test]
    fn what_reads_well_reads_as_serde_json_reads_it() {
        let text = r#"{"rules": [{"name": "a", "priority": 100, "ports": [80, 443], "tier": "web"},
                                 {"name": "b", "priority": 200, "tier": null, "note": "kept aside"}]}"#;
        let value: Value = serde_json::from_str(text).unwrap();
        let ours = format!("{:?}", read::<Nsg>(&value).unwrap());
        assert_eq!(ours, format!("{:?}", serde_json::from_value::<Nsg>(value).unwrap()));
        assert_eq!(format!("{:?}", read::<Vec<Tier>>(&json!(["data", "web"])).unwrap()), "[Data, Web]");
    }

    #[test]
    fn a_struct_notes_its_fields_and_passes_over_those_skipped() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Subnet {
            cidr: String,
        }
        let record = json!({"id": 7, "kind": "subnet", "cidr": "10.0.1.0/24"});
        let Value::Object(record) = record else { unreachable!() };
        let (subnet, known) = read_struct::<Subnet>(&record, &["id", "kind"]).unwrap();
        assert_eq!((subnet.cidr.as_str(), known), ("10.0.1.0/24", &["cidr"][..]));
        let error = read_object::<Subnet>(&record, &["id"]).unwrap_err();
        assert_eq!((error.path(), error.message()), ("kind", "unknown field `kind`, expected `cidr`"));
    }

    #[test]
    fn text_is_read_with_line_and_column_or_with_the_path() {
        let read = |text: &str| from_json::<Nsg>(text).unwrap_err();
        assert_eq!(read(r#"{"rules": [}"#), "expected value at line 1 column 12");
        assert_eq!(read(r#"{"rules": [], "rules": []}"#), "duplicate key: rules at line 1 column 21");
        assert_eq!(read(r#"{"rules": [{"name": "a"}]}"#), "rules[0]: missing field `priority`");
        assert_eq!(read(r#"[]"#), "invalid type: sequence, expected struct Nsg");
    }
}
