//! Typed reads of a [`Json`] value with serde's rules and serde_json's messages
//! (`invalid type: string "x", expected u64`, `missing field `model``, …), so an argument a
//! JS caller got wrong is reported as the serde path reports it. Primitives, containers and
//! [`Shape`] only: the codecs of the crate's types (`types::codec`, …) are built from them.

use super::{debug_str, float_text, i64_text, u64_text, Json};

/// A read's outcome: the value, or serde_json's message.
pub(crate) type Read<T> = Result<T, String>;

/// serde_json's description of an unexpected value.
fn unexpected(v: &Json) -> String {
    match v {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => [if *b {
            "boolean `true`"
        } else {
            "boolean `false`"
        }]
        .concat(),
        Json::U(n) => ["integer `", &u64_text(*n), "`"].concat(),
        Json::I(n) => ["integer `", &i64_text(*n), "`"].concat(),
        Json::F(x) => ["floating point `", &float_text(*x), "`"].concat(),
        Json::Str(s) => ["string ", &debug_str(s)].concat(),
        Json::Arr(_) => "sequence".to_owned(),
        Json::Obj(_) => "map".to_owned(),
    }
}

/// `invalid type: <what v is>, expected <expected>`.
pub(crate) fn invalid_type(v: &Json, expected: &str) -> String {
    ["invalid type: ", &unexpected(v), ", expected ", expected].concat()
}

/// `invalid value: <what v is>, expected <expected>`.
fn invalid_value(v: &Json, expected: &str) -> String {
    ["invalid value: ", &unexpected(v), ", expected ", expected].concat()
}

/// `invalid length <n>, expected <expected>`.
fn invalid_length(n: usize, expected: &str) -> String {
    [
        "invalid length ",
        &u64_text(n as u64),
        ", expected ",
        expected,
    ]
    .concat()
}

/// `missing field `<name>``.
pub(crate) fn missing_field(name: &str) -> String {
    ["missing field `", name, "`"].concat()
}

/// serde's list of what was expected: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| ["`", n, "`"].concat()).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        2 => [quoted[0].as_str(), " or ", &quoted[1]].concat(),
        _ => ["one of ", &quoted.join(", ")].concat(),
    }
}

/// `unknown variant `<v>`, expected one of …`.
pub(crate) fn unknown_variant(v: &str, variants: &[&str]) -> String {
    if variants.is_empty() {
        return ["unknown variant `", v, "`, there are no variants"].concat();
    }
    ["unknown variant `", v, "`, expected ", &one_of(variants)].concat()
}

fn unknown_field(k: &str, fields: &[&str]) -> String {
    if fields.is_empty() {
        return ["unknown field `", k, "`, there are no fields"].concat();
    }
    ["unknown field `", k, "`, expected ", &one_of(fields)].concat()
}

/// A string.
pub(crate) fn string(v: Json) -> Read<String> {
    match v {
        Json::Str(s) => Ok(s),
        other => Err(invalid_type(&other, "a string")),
    }
}

/// A boolean.
pub(crate) fn boolean(v: Json) -> Read<bool> {
    match v {
        Json::Bool(b) => Ok(b),
        other => Err(invalid_type(&other, "a boolean")),
    }
}

/// An integer of a type named `name` (`u64`, `i64`, `u32`, `usize`), from any number that
/// is an integer in its range, as serde's primitive visitors read one.
fn integer<T: TryFrom<u64> + TryFrom<i64>>(v: Json, name: &str) -> Read<T> {
    let ok = match &v {
        Json::U(n) => T::try_from(*n).ok(),
        Json::I(n) => T::try_from(*n).ok(),
        other => return Err(invalid_type(other, name)),
    };
    ok.ok_or_else(|| invalid_value(&v, name))
}

/// A `u64`.
pub(crate) fn u64_(v: Json) -> Read<u64> {
    integer(v, "u64")
}

/// An `i64`.
pub(crate) fn i64_(v: Json) -> Read<i64> {
    integer(v, "i64")
}

/// A `u32`.
pub(crate) fn u32_(v: Json) -> Read<u32> {
    integer(v, "u32")
}

/// A `usize`.
pub(crate) fn usize_(v: Json) -> Read<usize> {
    integer(v, "usize")
}

/// An `f64`: any number.
pub(crate) fn f64_(v: Json) -> Read<f64> {
    match v {
        Json::U(n) => Ok(n as f64),
        Json::I(n) => Ok(n as f64),
        Json::F(x) => Ok(x),
        other => Err(invalid_type(&other, "f64")),
    }
}

/// An `Option<T>`: `null` is `None`.
pub(crate) fn option<T>(v: Json, read: impl FnOnce(Json) -> Read<T>) -> Read<Option<T>> {
    match v {
        Json::Null => Ok(None),
        v => read(v).map(Some),
    }
}

/// A `Vec<T>`: an array, read element by element (the first error wins).
pub(crate) fn seq<T>(v: Json, mut read: impl FnMut(Json) -> Read<T>) -> Read<Vec<T>> {
    match v {
        Json::Arr(items) => {
            // A loop, not `collect::<Result<_, _>>()`: its adapter costs 1–4 KB per type.
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(read(item)?);
            }
            Ok(out)
        }
        other => Err(invalid_type(&other, "a sequence")),
    }
}

/// A `BTreeMap<String, T>`: an object (later keys replace earlier equal ones).
pub(crate) fn map<T>(
    v: Json,
    mut read: impl FnMut(Json) -> Read<T>,
) -> Read<std::collections::BTreeMap<String, T>> {
    match v {
        Json::Obj(entries) => {
            let mut out = std::collections::BTreeMap::new();
            for (k, v) in entries {
                out.insert(k, read(v)?);
            }
            Ok(out)
        }
        other => Err(invalid_type(&other, "a map")),
    }
}

/// Any of the crate's string enums (`Model`, `Ratio`, `TaskStatus`, …): a string, kept
/// when unknown.
pub(crate) fn text_enum<T: From<String>>(v: Json) -> Read<T> {
    string(v).map(T::from)
}

/// `#[serde(default, deserialize_with = "null_as_default")]`: `null` is the default.
pub(crate) fn or_default<T: Default>(v: Json, read: impl FnOnce(Json) -> Read<T>) -> Read<T> {
    option(v, read).map(Option::unwrap_or_default)
}

/// A list of strings (`taskIds`, `images`).
pub(crate) fn strings(v: Json) -> Read<Vec<String>> {
    seq(v, string)
}

/// A map of strings (`headers`).
pub(crate) fn string_map(v: Json) -> Read<std::collections::BTreeMap<String, String>> {
    map(v, string)
}

/// A 2-tuple: an array of exactly two elements.
pub(crate) fn pair<T>(v: Json, mut read: impl FnMut(Json) -> Read<T>) -> Read<(T, T)> {
    const EXPECTING: &str = "a tuple of size 2";
    match v {
        Json::Arr(items) => {
            let len = items.len();
            let mut it = items.into_iter();
            let a = read(it.next().ok_or_else(|| invalid_length(0, EXPECTING))?)?;
            let b = read(it.next().ok_or_else(|| invalid_length(1, EXPECTING))?)?;
            if len > 2 {
                return Err(invalid_length(len, "fewer elements in array"));
            }
            Ok((a, b))
        }
        other => Err(invalid_type(&other, EXPECTING)),
    }
}

/// A unit-only enum (`#[serde(rename_all = "snake_case")]` variants): a string naming the
/// variant, or serde's other enum form, an object of one key whose value is `null`.
/// Returns the variant's index in `variants`.
pub(crate) fn unit_variant(v: Json, variants: &[&str]) -> Read<usize> {
    let name = match v {
        Json::Str(s) => s,
        Json::Obj(mut entries) if entries.len() == 1 => {
            let (k, value) = entries.remove(0);
            let i = variants
                .iter()
                .position(|n| *n == k)
                .ok_or_else(|| unknown_variant(&k, variants))?;
            return match value {
                Json::Null => Ok(i),
                other => Err(invalid_type(&other, "unit")),
            };
        }
        Json::Obj(_) => {
            return Err(invalid_value(
                &Json::Obj(Vec::new()),
                "map with a single key",
            ))
        }
        other => return Err(invalid_type(&other, "string or map")),
    };
    variants
        .iter()
        .position(|n| *n == name)
        .ok_or_else(|| unknown_variant(&name, variants))
}

/// How a struct may be given besides an object (serde's derives also read an array of the
/// fields in declaration order).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seq {
    /// Not at all (a struct with a `flatten` field).
    No,
    /// Yes, from a serde_json value: too many elements is `fewer elements in array`.
    Value,
    /// Yes, from serde's buffered content (an internally tagged enum's variant): too many
    /// elements is `N elements in sequence`.
    Content,
}

/// A struct's shape as its serde derive sees it.
pub(crate) struct Shape {
    /// What serde expects: `struct Task`, `struct variant ContentItem::Text`.
    pub expecting: &'static str,
    /// The fields, in declaration order, by their JSON names.
    pub fields: &'static [&'static str],
    /// `#[serde(deny_unknown_fields)]`.
    pub deny_unknown: bool,
    /// Whether an array is read as the fields in order.
    pub seq: Seq,
}

/// How a struct was given, to report a missing field as serde does.
pub(crate) enum Given {
    Map,
    /// An array.
    Seq,
}

impl Shape {
    /// Read a struct: call `field(index, key, value)` for every field present, in the
    /// input's order (`index` is `None` for an unknown key, which `field` may keep or
    /// ignore). The first error wins, as in serde.
    pub(crate) fn read(
        &self,
        v: Json,
        mut field: impl FnMut(Option<usize>, String, Json) -> Read<()>,
    ) -> Read<Given> {
        self.read_dyn(v, &mut field)
    }

    /// One copy of the walk for every struct (a generic one was compiled per struct).
    fn read_dyn(
        &self,
        v: Json,
        field: &mut dyn FnMut(Option<usize>, String, Json) -> Read<()>,
    ) -> Read<Given> {
        match v {
            Json::Obj(entries) => {
                for (k, value) in entries {
                    let i = self.fields.iter().position(|f| *f == k);
                    if i.is_none() && self.deny_unknown {
                        return Err(unknown_field(&k, self.fields));
                    }
                    field(i, k, value)?;
                }
                Ok(Given::Map)
            }
            Json::Arr(items) if self.seq != Seq::No => {
                let (len, n) = (items.len(), self.fields.len());
                for (i, value) in items.into_iter().enumerate().take(n) {
                    field(Some(i), String::new(), value)?;
                }
                if len > n {
                    return Err(match self.seq {
                        Seq::Content => invalid_length(
                            len,
                            &[
                                u64_text(n as u64).as_str(),
                                if n == 1 { " element" } else { " elements" },
                                " in sequence",
                            ]
                            .concat(),
                        ),
                        _ => invalid_length(len, "fewer elements in array"),
                    });
                }
                Ok(Given::Seq)
            }
            other => Err(invalid_type(&other, self.expecting)),
        }
    }

    /// The error for required field `index`, absent from what was `given`.
    pub(crate) fn missing(&self, given: &Given, index: usize) -> String {
        match given {
            Given::Map => missing_field(self.fields[index]),
            Given::Seq => {
                let n = self.fields.len();
                let count = if n == 1 {
                    " with 1 element".to_owned()
                } else {
                    [" with ", &u64_text(n as u64), " elements"].concat()
                };
                invalid_length(index, &[self.expecting, &count].concat())
            }
        }
    }

    /// `slot`, or the missing-field error for required field `index`.
    pub(crate) fn required<T>(&self, given: &Given, slot: Option<T>, index: usize) -> Read<T> {
        slot.ok_or_else(|| self.missing(given, index))
    }
}
