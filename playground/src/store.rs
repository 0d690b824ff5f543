//! What the app keeps in the browser, and the one way it is encoded: JSON written and read
//! by hand ([`crate::write`], [`crate::read`], both checked against the types' serde
//! derives: the first app's wasm carries no serde serializer or deserializer), every
//! stored type `#[serde(default)]` so a field added later (or missing in older data) reads
//! as its default and old data keeps loading. Each stored type names its
//! key with [`Stored`]; the keys are all here, as the first playground wrote them.
//!
//! Never the API key in localStorage: it goes to sessionStorage, and only when asked.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::read::Read;
use crate::write::Write;

/// The connection settings ([`crate::connection::Settings`]), in localStorage.
pub const SETTINGS: &str = "seedance.playground.settings";
/// The prices typed in ([`crate::prices::Prices`]), in localStorage.
pub const PRICES: &str = "seedance.playground.prices";
/// Past tasks ([`crate::history::History`]), in localStorage.
pub const HISTORY: &str = "seedance.playground.history";
/// This browser's id for a proxy, a plain string in localStorage.
pub const CLIENT_ID: &str = "seedance.playground.client-id";
/// The API key, a plain string in sessionStorage (this tab), only when the user asks.
pub const SESSION_KEY: &str = "seedance.playground.key";

/// A value kept in localStorage under its own key.
pub trait Stored: Write + Read + Default {
    /// Its localStorage key (one of this module's constants).
    const KEY: &'static str;
}

/// The value in `raw`; what is missing or unreadable gives the default.
///
/// Parsed by [`seedance::parse_json`] (in the browser, the engine's `JSON.parse`) and read by
/// hand from the `serde_json::Value` ([`Read`]): the first app's wasm then carries neither
/// serde_json's parser nor a derived reader per stored type.
pub fn decode<T: Read + Default>(raw: Option<&str>) -> T {
    raw.and_then(seedance::parse_json)
        .and_then(|v| T::read(&v))
        .unwrap_or_default()
}

/// The value in `raw` through its serde derive (the jobs app's types, and the check of the
/// hand readers in `tests/stored.rs`).
pub fn decode_serde<T: DeserializeOwned + Default>(raw: Option<&str>) -> T {
    raw.and_then(seedance::parse_json)
        .and_then(|v| T::deserialize(&v).ok())
        .unwrap_or_default()
}

/// The value as JSON, through its serde derive (the jobs app's types, and the check of the
/// hand writers in `tests/stored.rs`; what the first app stores is written by
/// [`crate::write::to_json`]).
pub fn encode<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Read a field that may not be readable (`#[serde(deserialize_with = "store::lenient")]`):
/// a value of another shape gives the default instead of failing what holds it.
pub fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(
    d: D,
) -> Result<T, D::Error> {
    Ok(T::deserialize(Value::deserialize(d)?).unwrap_or_default())
}

#[cfg(target_arch = "wasm32")]
pub use browser::*;

/// The Web Storage calls.
#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{decode, Stored};
    use crate::write::to_json;

    /// Which Web Storage.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Area {
        /// `localStorage`: this browser, until cleared.
        Local,
        /// `sessionStorage`: this tab.
        Session,
    }

    fn storage(area: Area) -> Option<web_sys::Storage> {
        let w = web_sys::window()?;
        match area {
            Area::Local => w.local_storage(),
            Area::Session => w.session_storage(),
        }
        .ok()
        .flatten()
    }

    /// The string under `key`.
    pub fn get(area: Area, key: &str) -> Option<String> {
        storage(area)?.get_item(key).ok().flatten()
    }

    /// Keep `value` under `key` (storage full or refused: nothing happens).
    pub fn set(area: Area, key: &str, value: &str) {
        if let Some(s) = storage(area) {
            let _ = s.set_item(key, value);
        }
    }

    /// Forget `key`.
    pub fn remove(area: Area, key: &str) {
        if let Some(s) = storage(area) {
            let _ = s.remove_item(key);
        }
    }

    /// The stored value, or its default.
    pub fn load<T: Stored>() -> T {
        decode(get(Area::Local, T::KEY).as_deref())
    }

    /// Keep the value.
    pub fn save<T: Stored>(value: &T) {
        set(Area::Local, T::KEY, &to_json(value));
    }

    /// Forget the value.
    pub fn forget<T: Stored>() {
        remove(Area::Local, T::KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Sample {
        name: String,
        #[serde(deserialize_with = "lenient")]
        count: u32,
    }

    #[test]
    fn unreadable_data_gives_defaults() {
        assert_eq!(decode_serde::<Sample>(None), Sample::default());
        assert_eq!(decode_serde::<Sample>(Some("not json")), Sample::default());
        let s: Sample = decode_serde(Some(r#"{"name":"a","count":"three","extra":1}"#));
        assert_eq!(
            (s.name.as_str(), s.count),
            ("a", 0),
            "one bad field keeps the rest"
        );
        let back: Sample = decode_serde(Some(&encode(&Sample {
            name: "b".into(),
            count: 2,
        })));
        assert_eq!(back.count, 2);
    }
}
