//! Reading serde types from JSON values in place, with the path to the first thing that is
//! wrong (`elements[3]`, `meta.slaTarget`), written as `serde_path_to_error` writes it.
//!
//! Every reader of designs (the careful and the quick read, the per-kind fields, edits) comes
//! through this one deserializer type, so each type's deserializer is compiled once. The path
//! is kept where values are handed out (object members, array items) instead of by wrapping
//! every visitor, as `serde_path_to_error` must for any deserializer: that wrapping cost the
//! browser's download about 5 KB gzip. Otherwise it reads as serde_json's `&Value`
//! deserializer does, messages included.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Error, Value};

use crate::record::{Fields, entries_passing};

/// A value that could not be read: where, and why.
#[derive(Debug)]
pub(crate) struct PathError {
    /// The path of the value, `.` for the top level.
    pub path: String,
    pub error: Error,
}

/// Reads a `T` from the members of `object` other than `skip`. Also returns the field names
/// (aliases included) that serde's derive gave for the struct read at the top level: the
/// members with other names are the ones it does not know.
pub(crate) fn from_members<'v, T: Deserialize<'v>>(
    object: &'v Fields,
    skip: &'v [&'v str],
) -> Result<(T, &'static [&'static str]), PathError> {
    let track = Track::default();
    let read = T::deserialize(Top { object, skip, track: &track });
    finish(read, &track).map(|value| (value, track.fields.get()))
}

/// Reads a `T` from `value`.
pub(crate) fn from_value<'v, T: Deserialize<'v>>(value: &'v Value) -> Result<T, PathError> {
    let track = Track::default();
    let read = T::deserialize(Tracked { value, at: &Chain::Root, track: &track });
    finish(read, &track)
}

fn finish<T>(read: Result<T, Error>, track: &Track) -> Result<T, PathError> {
    read.map_err(|error| PathError { path: track.path.take().unwrap_or_else(|| Chain::Root.to_string()), error })
}

#[derive(Default)]
struct Track {
    /// The path of the innermost value that failed: noted first, never replaced.
    path: RefCell<Option<String>>,
    /// The field names `deserialize_struct` was given at the top level.
    fields: Cell<&'static [&'static str]>,
}

impl Track {
    fn note(&self, at: &Chain) {
        let mut path = self.path.borrow_mut();
        if path.is_none() {
            *path = Some(at.to_string());
        }
    }
}

/// Where a value sits in the document.
enum Chain<'a> {
    Root,
    Member { parent: &'a Chain<'a>, key: &'a str },
    Item { parent: &'a Chain<'a>, index: usize },
}

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chain::Root => f.write_str("."),
            Chain::Member { parent: Chain::Root, key } => f.write_str(key),
            Chain::Member { parent, key } => write!(f, "{parent}.{key}"),
            Chain::Item { parent: Chain::Root, index } => write!(f, "[{index}]"),
            Chain::Item { parent, index } => write!(f, "{parent}[{index}]"),
        }
    }
}

/// The top level: the members of an object, some passed over.
struct Top<'v, 't> {
    object: &'v Fields,
    skip: &'v [&'v str],
    track: &'t Track,
}

impl<'de> Deserializer<'de> for Top<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visit_object(self.object, self.skip, &Chain::Root, self.track, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.track.fields.set(fields);
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// A value with where it sits.
struct Tracked<'v, 'a> {
    value: &'v Value,
    at: &'a Chain<'a>,
    track: &'a Track,
}

/// As serde_json's `visit_array_ref`, with the index of each item kept.
fn visit_array<'v, V: Visitor<'v>>(
    items: &'v [Value],
    at: &Chain,
    track: &Track,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut access = Items { items: items.iter().enumerate(), at, track };
    let read = visitor.visit_seq(&mut access)?;
    if access.items.len() == 0 {
        Ok(read)
    } else {
        Err(de::Error::invalid_length(items.len(), &"fewer elements in array"))
    }
}

/// As serde_json's `visit_object_ref`, with the key of each member kept.
fn visit_object<'v, V: Visitor<'v>>(
    object: &'v Fields,
    skip: &'v [&'v str],
    at: &Chain,
    track: &Track,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut access = Members { members: entries_passing(object, skip), pending: None, at, track };
    let read = visitor.visit_map(&mut access)?;
    if access.members.next().is_none() {
        Ok(read)
    } else {
        Err(de::Error::invalid_length(object.len(), &"fewer elements in map"))
    }
}

/// Methods with nothing inside to track: they read as serde_json's `&Value` does.
macro_rules! scalars {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, Error> {
                self.value.$method(visitor)
            }
        )*
    };
}

impl<'v> Deserializer<'v> for Tracked<'v, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => visit_array(items, self.at, self.track, visitor),
            Value::Object(object) => visit_object(object, &[], self.at, self.track, visitor),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'v>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bytes<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => visit_array(items, self.at, self.track, visitor),
            other => other.deserialize_bytes(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_seq<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => visit_array(items, self.at, self.track, visitor),
            other => other.deserialize_seq(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'v>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'v>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(object) => visit_object(object, &[], self.at, self.track, visitor),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'v>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => visit_array(items, self.at, self.track, visitor),
            Value::Object(object) => visit_object(object, &[], self.at, self.track, visitor),
            other => other.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'v>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.value.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'v>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.value.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    scalars! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_unit
        deserialize_identifier
    }
}

struct Items<'v, 'a> {
    items: std::iter::Enumerate<std::slice::Iter<'v, Value>>,
    at: &'a Chain<'a>,
    track: &'a Track,
}

impl<'v> SeqAccess<'v> for Items<'v, '_> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'v>>(&mut self, seed: S) -> Result<Option<S::Value>, Error> {
        let Some((index, value)) = self.items.next() else { return Ok(None) };
        let at = Chain::Item { parent: self.at, index };
        seed.deserialize(Tracked { value, at: &at, track: self.track }).map(Some).inspect_err(|_| self.track.note(&at))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Members<'v, 'a, I> {
    members: I,
    pending: Option<(&'v str, &'v Value)>,
    at: &'a Chain<'a>,
    track: &'a Track,
}

impl<'v, I: Iterator<Item = (&'v str, &'v Value)>> MapAccess<'v> for Members<'v, '_, I> {
    type Error = Error;

    fn next_key_seed<S: DeserializeSeed<'v>>(&mut self, seed: S) -> Result<Option<S::Value>, Error> {
        let Some((key, value)) = self.members.next() else { return Ok(None) };
        self.pending = Some((key, value));
        seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'v>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let Some((key, value)) = self.pending.take() else { return Err(de::Error::custom("value is missing")) };
        let at = Chain::Member { parent: self.at, key };
        seed.deserialize(Tracked { value, at: &at, track: self.track }).inspect_err(|_| self.track.note(&at))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn path_of<T: for<'v> Deserialize<'v> + fmt::Debug>(value: &Value) -> (String, String) {
        let error = from_value::<T>(value).unwrap_err();
        (error.path, error.error.to_string())
    }

    #[test]
    fn paths_are_written_as_serde_path_to_error_writes_them() {
        let value = json!([[1], [2, "x"]]);
        assert_eq!(path_of::<Vec<Vec<u8>>>(&value).0, "[1][1]");
        let value = json!({ "a": { "b": [0, { "c": true }] } });
        type Nested = BTreeMap<String, BTreeMap<String, Vec<BTreeMap<String, u8>>>>;
        assert_eq!(path_of::<Nested>(&json!({ "a": { "b": [{}, { "c": true }] } })).0, "a.b[1].c");
        assert_eq!(path_of::<u8>(&value), (".".to_owned(), "invalid type: map, expected u8".to_owned()));
        assert_eq!(path_of::<(u8, u8)>(&json!([1, 2, 3])).1, "invalid length 3, expected fewer elements in array");
    }
}
