//! The four generation modes as the page shows them: the core's [`Mode`] with a tab label
//! and a short stable key (tab ids, and the `mode` of a stored form).

pub use seedance::validate::Mode;

/// Every mode, in tab order.
pub const MODES: [Mode; 4] = [
    Mode::TextToVideo,
    Mode::FirstFrame,
    Mode::FirstLastFrame,
    Mode::Reference,
];

/// The tab's label.
pub fn label(mode: Mode) -> &'static str {
    match mode {
        Mode::TextToVideo => "Text to video",
        Mode::FirstFrame => "First frame",
        Mode::FirstLastFrame => "First + last frame",
        Mode::Reference => "Reference",
    }
}

/// A short stable name: the tab's id and a stored form's `mode` (kept as the first
/// playground wrote it, so stored forms keep loading).
pub fn key(mode: Mode) -> &'static str {
    match mode {
        Mode::TextToVideo => "text",
        Mode::FirstFrame => "first_frame",
        Mode::FirstLastFrame => "first_last",
        Mode::Reference => "reference",
    }
}

/// The mode of a [`key`].
pub fn from_key(key: &str) -> Option<Mode> {
    MODES.into_iter().find(|m| self::key(*m) == key)
}

/// Serde by [`key`] (`#[serde(with = "mode::by_key")]`); an unknown key reads as text to
/// video.
pub mod by_key {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Mode;

    /// Write the mode's key.
    pub fn serialize<S: Serializer>(mode: &Mode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(super::key(*mode))
    }

    /// Read a key; an unknown one is text to video.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Mode, D::Error> {
        let key = String::deserialize(d)?;
        Ok(super::from_key(&key).unwrap_or(Mode::TextToVideo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_read_back() {
        for m in MODES {
            assert_eq!(from_key(key(m)), Some(m));
        }
        assert_eq!(from_key("text_to_video"), None);
    }
}
