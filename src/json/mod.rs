//! JSON without serde, for the wasm32 build: values cross to and from JavaScript through
//! the engine's own `JSON.parse`/`JSON.stringify`, so the wasm carries neither serde_json's
//! parser and formatter nor serde's generic visitors (about half of the npm package's wasm).
//!
//! This is the generic layer; it knows none of the crate's types (and imports nothing of
//! the crate):
//! - [`Json`]: a JSON value as serde_json's `Value` sees it (numbers classified as
//!   non-negative integer, negative integer or float), built from a `JsValue` on wasm32.
//! - `read`: typed reads of [`Json`] with serde's rules and serde_json's messages, and
//!   `Shape`, a struct as serde's derive reads one.
//! - `write`: JSON text exactly as `serde_json::to_string` writes it.
//!
//! Each type's codec (a decoder giving the results *and error messages* of
//! `serde_json::from_value`, and a writer giving `serde_json::to_string`'s bytes, its derive
//! and attributes mirrored by hand) lives with the module that owns the type:
//! `types::codec`, `validate::codec`, `cost::codec`, `jobs::codec`. The create body, a job's
//! fingerprint and validation's body size use the request's writer on every target.
//!
//! Natively the crate decodes with serde; the property tests in `tests.rs` run both over
//! generated values and require the same outcome, so the two paths can't drift. Whoever
//! edits a serde attribute of a type edits its codec too (the tests say so).

// Which functions a build uses depends on the target and features (the native build
// writes requests and reads error bodies; the JS API and the property tests use everything).
#![cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]

#[cfg(target_arch = "wasm32")]
pub(crate) mod js;
pub(crate) mod read;
pub(crate) mod write;

// proptest needs OS randomness: native only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

/// A JSON value. Numbers are classified as serde_json classifies the number's text:
/// `U` for a non-negative integer that fits `u64`, `I` for a negative one that fits `i64`,
/// `F` for everything else. Object entries keep their order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    U(u64),
    I(i64),
    F(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// A number from JavaScript, classified as serde_json classifies the text
    /// `JSON.stringify` gives it: integers below 1e21 are written as digits (`-0` as `0`),
    /// and parse as `u64`/`i64` when they fit; everything else is a float.
    pub(crate) fn number(x: f64) -> Json {
        const TWO_63: f64 = 9_223_372_036_854_775_808.0;
        const TWO_64: f64 = 18_446_744_073_709_551_616.0;
        if x.is_finite() && x == x.trunc() && x.abs() < 1e21 {
            if (0.0..TWO_64).contains(&x) {
                return Json::U(x as u64);
            }
            if (-TWO_63..0.0).contains(&x) {
                return Json::I(x as i64);
            }
        }
        Json::F(x)
    }

    /// The serde_json `Value` of this value (`Task::extra` keeps them).
    pub(crate) fn into_value(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::U(n) => Value::Number(n.into()),
            Json::I(n) => Value::Number(n.into()),
            Json::F(x) => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
            Json::Str(s) => Value::String(s),
            Json::Arr(items) => Value::Array(items.into_iter().map(Json::into_value).collect()),
            Json::Obj(entries) => {
                // Inserts, not `collect()`: building a map from an iterator sorts it with
                // the library's stable sort (3 KB of wasm).
                let mut map = serde_json::Map::new();
                for (k, v) in entries {
                    map.insert(k, v.into_value());
                }
                Value::Object(map)
            }
        }
    }
}

/// Parse JSON text into a `serde_json::Value`; `None` when it is not JSON.
///
/// On wasm32 the JS engine's `JSON.parse` reads the text, so the wasm carries no JSON
/// parser: numbers are what `JSON.parse` makes of them (integers exact up to 2^53, and a
/// whole number written `2.0` reads as the integer 2). Elsewhere serde_json reads it.
///
/// ```
/// let v = seedance::parse_json(r#"{"status":"ok","n":[1,-2,0.5]}"#).unwrap();
/// assert_eq!(v["status"], "ok");
/// assert_eq!(v["n"][1], -2);
/// assert!(seedance::parse_json("not json").is_none());
/// ```
pub fn parse_json(text: &str) -> Option<serde_json::Value> {
    #[cfg(target_arch = "wasm32")]
    {
        js::parse(text).ok().map(Json::into_value)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(text).ok()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl From<serde_json::Value> for Json {
    fn from(v: serde_json::Value) -> Json {
        use serde_json::Value;
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Json::U(u),
                (_, Some(i), _) => Json::I(i),
                (_, _, Some(f)) => Json::F(f),
                _ => Json::Null,
            },
            Value::String(s) => Json::Str(s),
            Value::Array(items) => Json::Arr(items.into_iter().map(Json::from).collect()),
            Value::Object(map) => Json::Obj(map.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

/// Decimal digits of an unsigned integer, without `core::fmt`.
pub(crate) fn u64_text(mut n: u64) -> String {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf[i..].iter().map(|&b| b as char).collect()
}

/// Decimal digits of a signed integer, without `core::fmt`.
pub(crate) fn i64_text(n: i64) -> String {
    if n < 0 {
        let mut s = String::from("-");
        s.push_str(&u64_text(n.unsigned_abs()));
        s
    } else {
        u64_text(n as u64)
    }
}

/// The shortest text that reads back as `x` (finite), as JSON writes numbers: JavaScript's
/// on wasm32 (`1e+21`), serde_json's elsewhere (`1e21`); `null` for NaN and infinities.
pub(crate) fn float_text(x: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::JSON::stringify(&wasm_bindgen::JsValue::from_f64(x))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "null".to_owned())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::Number::from_f64(x).map_or_else(|| "null".to_owned(), |n| n.to_string())
    }
}

/// `s` as Rust's `{:?}` writes a string (quotes, `\"`, `\\`, `\n`, `\u{…}` for what is not
/// printable), without `core::fmt`: validation shows the values it refuses this way.
pub(crate) fn debug_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '\'' {
            out.push(c);
        } else {
            out.extend(c.escape_debug());
        }
    }
    out.push('"');
    out
}
