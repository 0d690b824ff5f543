//! Reading what the app stored, by hand, from the `serde_json::Value` the page parses
//! anyway: the same results as the types' serde derives (`tests/stored.rs` checks both
//! against each other on generated JSON), without a derived reader per type in the first
//! app's wasm. The rules are serde's for a `#[serde(default)]` struct: a missing field
//! keeps the struct's default, unknown fields are ignored, a field of the wrong shape makes
//! the whole struct unreadable (its holder then falls back to its own default), except
//! fields read leniently (`store::lenient`), which fall back to their default alone.

use serde_json::{Map, Value};

/// A type read from stored JSON.
pub trait Read: Sized {
    /// The value `v` holds, or `None` when it is not readable as one.
    fn read(v: &Value) -> Option<Self>;
}

/// The fields of a stored object, read one by one into a value that starts as its
/// default. Like serde, an array is read as the fields in their declared order (`names`),
/// missing ones at its end keeping their default, and no more items than fields.
pub enum Fields<'a> {
    /// A JSON object.
    Object(&'a Map<String, Value>),
    /// A JSON array, and the fields' names in order.
    Seq(&'a [Value], &'static [&'static str]),
}

impl<'a> Fields<'a> {
    /// The fields of `v` (an object, or an array of at most `names.len()` items).
    pub fn of(v: &'a Value, names: &'static [&'static str]) -> Option<Self> {
        match v {
            Value::Object(map) => Some(Fields::Object(map)),
            Value::Array(items) if items.len() <= names.len() => Some(Fields::Seq(items, names)),
            _ => None,
        }
    }

    /// Read field `key` with `f` into `out`: missing leaves `out` as it is; present but
    /// unreadable is `None` (the object is unreadable).
    pub fn get<T>(&self, key: &str, out: &mut T, f: impl Fn(&Value) -> Option<T>) -> Option<()> {
        let found = match self {
            Fields::Object(map) => map.get(key),
            Fields::Seq(items, names) => names
                .iter()
                .position(|n| *n == key)
                .and_then(|i| items.get(i)),
        };
        if let Some(v) = found {
            *out = f(v)?;
        }
        Some(())
    }
}

/// A string.
pub fn string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// A boolean.
pub fn boolean(v: &Value) -> Option<bool> {
    v.as_bool()
}

/// A whole number that fits an `i64` (no fraction, as serde reads it).
pub fn int(v: &Value) -> Option<i64> {
    v.as_i64()
}

/// A whole number ≥ 0 that fits a `u64`.
pub fn uint(v: &Value) -> Option<u64> {
    v.as_u64()
}

/// A whole number ≥ 0 that fits a `u32`.
pub fn uint32(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
}

/// Any number.
pub fn float(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// `null` as `None`, else what `f` reads.
pub fn opt<T>(f: impl Fn(&Value) -> Option<T>) -> impl Fn(&Value) -> Option<Option<T>> {
    move |v| {
        if v.is_null() {
            Some(None)
        } else {
            f(v).map(Some)
        }
    }
}

/// An array, each item read with `f` (one unreadable item: the array is unreadable).
pub fn list<T>(f: impl Fn(&Value) -> Option<T>) -> impl Fn(&Value) -> Option<Vec<T>> {
    move |v| v.as_array()?.iter().map(&f).collect()
}

/// A field read leniently: what can't be read is the default, and never fails its holder.
pub fn lenient<T: Default>(f: impl Fn(&Value) -> Option<T>) -> impl Fn(&Value) -> Option<T> {
    move |v| Some(f(v).unwrap_or_default())
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &Value) -> Option<Self> {
        list(T::read)(v)
    }
}
