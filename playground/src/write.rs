//! Writing what the app stores (and hands the jobs app), by hand: the JSON text serde_json
//! writes for the types' derives (same keys in the same order, same escapes, same numbers),
//! without serde's serializer in the first app's wasm (`tests/stored.rs` compares the two
//! on every stored type). The reading side is [`crate::read`].

/// A type written as stored JSON.
pub trait Write {
    /// Append this value's JSON to `out`.
    fn write(&self, out: &mut String);
}

/// The value as JSON text.
pub fn to_json<T: Write + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write(&mut out);
    out
}

/// A JSON object being written: `{`, then `field` per entry, then `end`.
pub struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    /// Open an object in `out`.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Obj { out, first: true }
    }

    /// Write `"key":value`.
    pub fn field(&mut self, key: &str, value: &(impl Write + ?Sized)) -> &mut Self {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        key.write(self.out);
        self.out.push(':');
        value.write(self.out);
        self
    }

    /// Close the object.
    pub fn end(&mut self) {
        self.out.push('}');
    }
}

impl Write for str {
    /// A string as serde_json escapes it: `"`, `\`, the short escapes `\b \t \n \f \r`,
    /// `\u00XX` (lower-case hex) for the other control characters; the rest as is.
    fn write(&self, out: &mut String) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        out.reserve(self.len() + 2);
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{8}' => out.push_str("\\b"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\u{c}' => out.push_str("\\f"),
                '\r' => out.push_str("\\r"),
                c if (c as u32) < 0x20 => {
                    out.push_str("\\u00");
                    out.push(HEX[(c as usize) >> 4] as char);
                    out.push(HEX[(c as usize) & 15] as char);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl Write for String {
    fn write(&self, out: &mut String) {
        self.as_str().write(out);
    }
}

impl Write for std::sync::Arc<str> {
    fn write(&self, out: &mut String) {
        (**self).write(out);
    }
}

impl Write for bool {
    fn write(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl Write for u64 {
    fn write(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl Write for u32 {
    fn write(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl Write for i64 {
    fn write(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl Write for f64 {
    /// As serde_json writes an `f64`: `null` when not finite, a whole number below 10^16
    /// with `.0` (a timestamp in ms: `1780000000123.0`), else the shortest text that reads
    /// back the same (in the browser the engine's, whose exponent is written `e+21` where
    /// serde_json writes `e21`: both read back the same).
    fn write(&self, out: &mut String) {
        let x = *self;
        if !x.is_finite() {
            out.push_str("null");
        } else if x == x.trunc() && x.abs() < 1e16 {
            if x == 0.0 && x.is_sign_negative() {
                out.push('-');
            }
            out.push_str(&(x as i64).to_string());
            out.push_str(".0");
        } else {
            #[cfg(target_arch = "wasm32")]
            out.push_str(
                &js_sys::JSON::stringify(&wasm_bindgen::JsValue::from_f64(x))
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_else(|| "null".to_owned()),
            );
            #[cfg(not(target_arch = "wasm32"))]
            out.push_str(&serde_json::to_string(&x).unwrap_or_else(|_| "null".to_owned()));
        }
    }
}

impl<T: Write> Write for Option<T> {
    fn write(&self, out: &mut String) {
        match self {
            Some(v) => v.write(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: Write> Write for Vec<T> {
    fn write(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write(out);
        }
        out.push(']');
    }
}

impl Write for seedance::Model {
    fn write(&self, out: &mut String) {
        self.as_str().write(out);
    }
}

impl Write for seedance::Resolution {
    fn write(&self, out: &mut String) {
        self.as_str().write(out);
    }
}

impl Write for seedance::Ratio {
    fn write(&self, out: &mut String) {
        self.as_str().write(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_as_serde_json_writes_them() {
        for s in [
            "",
            "plain",
            "q\"b\\s",
            "\u{0}\u{8}\t\n\u{b}\u{c}\r\u{1f}\u{7f}",
            "é ✓ 🎬",
            "</script>",
        ] {
            assert_eq!(to_json(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
        for x in [
            0.0,
            -0.0,
            1.5,
            -2.0,
            1_780_000_000_123.0,
            1e16,
            1e21,
            0.1,
            123.456e-9,
            f64::NAN,
            f64::INFINITY,
        ] {
            let hand: serde_json::Value = serde_json::from_str(&to_json(&x)).unwrap();
            let serde: serde_json::Value =
                serde_json::from_str(&serde_json::to_string(&x).unwrap()).unwrap();
            assert_eq!(hand, serde, "{x}");
            assert_eq!(to_json(&x), serde_json::to_string(&x).unwrap(), "{x}");
        }
        assert_eq!(to_json(&u64::MAX), u64::MAX.to_string());
        assert_eq!(to_json(&i64::MIN), i64::MIN.to_string());
        assert_eq!(to_json(&Some(vec![true, false])), "[true,false]");
        assert_eq!(to_json(&None::<u32>), "null");
    }
}
