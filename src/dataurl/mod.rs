//! `data:` URLs: encoding bytes, reading them back, and what the bytes are.
//!
//! Sniffing and dimensions read only headers, so validation can check an image's pixels and
//! aspect before anything is uploaded without decoding the whole payload.

//!
//! `sniff.rs` tells what bytes are (format, pixel size, WAV length) from their headers;
//! `url.rs` encodes bytes as a data URL (whole or in pieces) and reads one back.

mod base64;
mod sniff;
mod url;

pub use sniff::{image_size, sniff, wav_duration, MediaType};
pub use url::{encode, encode_part, encode_sniffed, parse, sniffed_mime, DataUrl, DataUrlError};
