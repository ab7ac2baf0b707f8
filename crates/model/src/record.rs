//! The shared shape of elements and links on disk: a base record (`id`, `kind`, `name`, ...)
//! plus per-kind fields, with fields this version does not know kept aside and written back.
//!
//! Serde's internally tagged enums cannot both dispatch on `kind` and collect unknown fields,
//! so the dispatch is generated here (`kinds!`) and unknown fields are found from the field
//! names serde gives while the per-kind struct is read.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A JSON object, in the order its fields were written.
pub type Fields = Map<String, Value>;

/// Reads a per-kind struct from a record in place, passing over its base fields (`base`).
/// Returns the struct and the names of the top-level fields it did not know; the error names
/// the path to the first thing that is wrong.
///
/// The quick and the careful read of `format::load_value` both come here, with one
/// deserializer type and one callback type for every kind, so the deserialisers of the
/// per-kind structs and of the types they nest are compiled once (each distinct deserializer
/// type would compile them all again, tens of KB of the browser's download).
pub(crate) fn read_fields<T: DeserializeOwned>(record: &Fields, base: &[&str]) -> Result<(T, Vec<String>), String> {
    let (parsed, known) = crate::tracked::read_struct::<T>(record, base).map_err(|e| e.located("field "))?;
    let unknown = entries_passing(record, base)
        .map(|(key, _)| key)
        .filter(|key| !known.contains(key))
        .map(str::to_owned)
        .collect();
    Ok((parsed, unknown))
}

/// The entries of a record other than its base fields.
pub(crate) fn entries_passing<'a>(
    record: &'a Fields,
    base: &'a [&'a str],
) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
    record.iter().filter(move |(key, _)| !base.contains(&key.as_str())).map(|(k, v)| (k.as_str(), v))
}

/// The fields of a record this version does not know (`unknown`), in the order the careful
/// read keeps them: it takes the base fields out one by one (`taken`, in its order) with
/// `Map::remove`, which under `preserve_order` moves the last field into each gap.
pub(crate) fn unknown_fields(record: &Fields, taken: &[&str], unknown: &[String]) -> Fields {
    let mut keys: Vec<&String> = record.keys().collect();
    for key in taken {
        if let Some(i) = keys.iter().position(|k| k.as_str() == *key) {
            keys.swap_remove(i);
        }
    }
    keys.into_iter().filter(|key| unknown.contains(key)).map(|key| (key.clone(), record[key].clone())).collect()
}

/// A string field of a record, read in place; `Err(())` when it is there but no string.
pub(crate) fn string_in(record: &Fields, key: &str) -> Result<Option<String>, ()> {
    match record.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(()),
    }
}

/// Writes a per-kind struct as the fields that follow the base record.
pub(crate) fn write_fields<T: Serialize>(value: &T) -> Fields {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        // Every per-kind struct serializes to an object; a kind without fields to `{}`.
        _ => Fields::new(),
    }
}

/// Writes a record: `id` and `kind` first, then the base fields that are set, the per-kind
/// fields, and last the fields this version does not know, so files read in a stable order.
pub(crate) fn write_record(
    id: &str,
    kind: &str,
    base: &[(&str, Option<&str>)],
    props: Fields,
    extra: &Fields,
) -> Fields {
    let mut out = Fields::new();
    out.insert("id".into(), Value::from(id));
    out.insert("kind".into(), Value::from(kind));
    for (key, value) in base {
        if let Some(value) = value {
            out.insert((*key).into(), Value::from(*value));
        }
    }
    out.extend(props);
    out.extend(extra.clone());
    out
}

/// Takes the `id` of a record (`noun` says what the record is, for the message).
pub(crate) fn take_id(fields: &mut Fields, noun: &str) -> Result<String, String> {
    take_string(fields, "id")?.ok_or_else(|| format!("{noun} has no \"id\""))
}

/// Takes an optional string field out of a record.
pub(crate) fn take_string(fields: &mut Fields, key: &str) -> Result<Option<String>, String> {
    match fields.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("field {key}: expected a string, found {}", json_type(&other))),
    }
}

pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Defines an enum of per-kind records, its `kind` names, and the dispatch between them.
macro_rules! kinds {
    (
        $(#[$doc:meta])* $props:ident, $(#[$kdoc:meta])* $kind:ident {
            $($variant:ident($ty:ty) = $name:literal),* $(,)?
        }
    ) => {
        $(#[$doc])*
        // The VM record is large, but a design holds few elements and boxing it would make
        // every match on the kinds clumsier.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        pub enum $props {
            $($variant($ty)),*
        }

        $(#[$kdoc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $kind {
            $(#[serde(rename = $name)] $variant),*
        }

        impl $kind {
            /// Every kind, in the order of SPEC §2.
            pub const ALL: &'static [$kind] = &[$($kind::$variant),*];

            /// The name used for `kind` in the file.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($kind::$variant => $name),*
                }
            }

            pub fn parse(name: &str) -> Option<Self> {
                match name {
                    $($name => Some($kind::$variant),)*
                    _ => None,
                }
            }

            /// Takes `kind` out of a record, with a message naming the known kinds if it is not one.
            pub(crate) fn take_from(fields: &mut $crate::record::Fields) -> Result<Self, String> {
                let name = match fields.remove("kind") {
                    Some(serde_json::Value::String(name)) => name,
                    Some(other) => {
                        return Err(format!("field kind: expected a string, found {}", $crate::record::json_type(&other)));
                    }
                    None => return Err("has no \"kind\"".to_owned()),
                };
                Self::parse(&name).ok_or_else(|| {
                    let known: Vec<&str> = Self::ALL.iter().map(|kind| kind.as_str()).collect();
                    format!("unknown kind \"{name}\" (known kinds: {})", known.join(", "))
                })
            }
        }

        impl std::fmt::Display for $kind {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $props {
            pub fn kind(&self) -> $kind {
                match self {
                    $($props::$variant(_) => $kind::$variant),*
                }
            }

            /// The fields a new record of this kind starts with (SPEC §2 defaults).
            pub fn default_for(kind: $kind) -> Self {
                match kind {
                    $($kind::$variant => $props::$variant(<$ty>::default())),*
                }
            }

            /// Reads `kind` and the per-kind fields from what is left of a record once its
            /// base fields are taken; returns them with the fields this version does not know.
            pub(crate) fn read_rest(mut fields: $crate::record::Fields) -> Result<(Self, $crate::record::Fields), String> {
                let kind = $kind::take_from(&mut fields)?;
                let (props, unknown) = Self::read(kind, &fields, &[])?;
                let extra = fields.into_iter().filter(|(key, _)| unknown.contains(key)).collect();
                Ok((props, extra))
            }

            /// [`Self::read_rest`] on a whole record, read in place: the kind and the per-kind
            /// fields, with the fields this version does not know. `taken` are the base fields,
            /// in the order the careful read takes them out. For the quick read of
            /// `format::load_value`, whose errors users never see: on any error the loader reads
            /// the design again the careful way, which reports it.
            pub(crate) fn read_record(
                record: &$crate::record::Fields,
                taken: &[&str],
            ) -> Result<(Self, $crate::record::Fields), ()> {
                let Some(serde_json::Value::String(name)) = record.get("kind") else { return Err(()) };
                let kind = $kind::parse(name).ok_or(())?;
                let (props, unknown) = Self::read(kind, record, taken).map_err(|_| ())?;
                Ok((props, $crate::record::unknown_fields(record, taken, &unknown)))
            }

            /// The per-kind fields of a record of `kind`, passing over its fields `base`.
            fn read(
                kind: $kind,
                record: &$crate::record::Fields,
                base: &[&str],
            ) -> Result<(Self, Vec<String>), String> {
                match kind {
                    $($kind::$variant => {
                        let (value, unknown) = $crate::record::read_fields::<$ty>(record, base)?;
                        Ok(($props::$variant(value), unknown))
                    })*
                }
            }

            pub(crate) fn write(&self) -> $crate::record::Fields {
                match self {
                    $($props::$variant(value) => $crate::record::write_fields(value)),*
                }
            }
        }
    };
}

pub(crate) use kinds;
