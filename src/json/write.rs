//! JSON text exactly as `serde_json::to_string` writes it (compact, serde_json's escapes),
//! without serde: the [`Writer`], and a `serde_json::Value`. It knows none of the crate's
//! types; each type's writer is in its owner's codec (`types::codec`, `jobs::codec`, …),
//! which `tests.rs` compares with serde_json byte for byte.

use super::{float_text, i64_text, u64_text};

/// Writes JSON text, or only counts its bytes (a create body with data URLs can be 60 MB:
/// validation measures it without building it).
pub(crate) struct Writer {
    out: String,
    len: u64,
    count_only: bool,
    /// Whether the next value or key needs a `,` before it.
    comma: bool,
}

impl Writer {
    /// A writer that builds the text.
    pub(crate) fn new() -> Self {
        Writer {
            out: String::new(),
            len: 0,
            count_only: false,
            comma: false,
        }
    }

    /// A writer that only counts bytes.
    pub(crate) fn counter() -> Self {
        Writer {
            count_only: true,
            ..Writer::new()
        }
    }

    /// The text written.
    pub(crate) fn finish(self) -> String {
        self.out
    }

    /// The bytes written (or counted).
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    fn raw(&mut self, s: &str) {
        self.len += s.len() as u64;
        if !self.count_only {
            self.out.push_str(s);
        }
    }

    fn sep(&mut self) {
        if self.comma {
            self.raw(",");
        }
    }

    /// `{`
    pub(crate) fn open(&mut self) {
        self.sep();
        self.raw("{");
        self.comma = false;
    }

    /// `}`
    pub(crate) fn close(&mut self) {
        self.raw("}");
        self.comma = true;
    }

    /// `[`
    pub(crate) fn open_list(&mut self) {
        self.sep();
        self.raw("[");
        self.comma = false;
    }

    /// `]`
    pub(crate) fn close_list(&mut self) {
        self.raw("]");
        self.comma = true;
    }

    /// `"key":`
    pub(crate) fn key(&mut self, key: &str) {
        self.sep();
        self.quoted(key);
        self.raw(":");
        self.comma = false;
    }

    /// A string value.
    pub(crate) fn str(&mut self, s: &str) {
        self.sep();
        self.quoted(s);
        self.comma = true;
    }

    fn scalar(&mut self, text: &str) {
        self.sep();
        self.raw(text);
        self.comma = true;
    }

    /// `null`
    pub(crate) fn null(&mut self) {
        self.scalar("null");
    }

    /// `true` or `false`.
    pub(crate) fn bool(&mut self, b: bool) {
        self.scalar(if b { "true" } else { "false" });
    }

    /// An unsigned integer.
    pub(crate) fn u64(&mut self, n: u64) {
        self.scalar(&u64_text(n));
    }

    /// A signed integer.
    pub(crate) fn i64(&mut self, n: i64) {
        self.scalar(&i64_text(n));
    }

    /// A float (`null` when not finite, as serde_json writes it).
    pub(crate) fn f64(&mut self, x: f64) {
        self.scalar(&float_text(x));
    }

    /// `"key":"value"` when `value` is set (`skip_serializing_if = "Option::is_none"`).
    pub(crate) fn opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.key(key);
            self.str(v);
        }
    }

    /// `"key":n` when `n` is set.
    pub(crate) fn opt_i64(&mut self, key: &str, n: Option<i64>) {
        if let Some(n) = n {
            self.key(key);
            self.i64(n);
        }
    }

    /// `"key":n` when `n` is set.
    pub(crate) fn opt_u64(&mut self, key: &str, n: Option<u64>) {
        if let Some(n) = n {
            self.key(key);
            self.u64(n);
        }
    }

    /// `"key":b` when `b` is set.
    pub(crate) fn opt_bool(&mut self, key: &str, b: Option<bool>) {
        if let Some(b) = b {
            self.key(key);
            self.bool(b);
        }
    }

    /// A string in quotes with serde_json's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
    /// `\t`, other control characters as `\u00xx`; everything else as is.
    fn quoted(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.raw("\"");
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            let esc: &str = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                0x0c => "\\f",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0..=0x1f => "",
                _ => continue,
            };
            self.raw(&s[start..i]);
            if esc.is_empty() {
                let u = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 15) as usize],
                ];
                self.raw(core::str::from_utf8(&u).unwrap_or_default());
            } else {
                self.raw(esc);
            }
            start = i + 1;
        }
        self.raw(&s[start..]);
        self.raw("\"");
    }
}

#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
/// `serde_json::Value`, entries in the map's order (`Task::extra`).
pub(crate) fn value(w: &mut Writer, v: &serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Null => w.null(),
        Value::Bool(b) => w.bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => w.u64(u),
            (_, Some(i), _) => w.i64(i),
            (_, _, Some(x)) => w.f64(x),
            _ => w.null(),
        },
        Value::String(s) => w.str(s),
        Value::Array(items) => {
            w.open_list();
            for item in items {
                value(w, item);
            }
            w.close_list();
        }
        Value::Object(map) => {
            w.open();
            for (k, v) in map {
                w.key(k);
                value(w, v);
            }
            w.close();
        }
    }
}
