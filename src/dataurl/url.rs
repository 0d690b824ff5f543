//! Bytes to a base64 `data:` URL and back, checking every payload character.

use super::sniff::{sniff, MediaType};
use crate::types::MediaKind;

/// Encode bytes as a `data:<mime>;base64,…` URL.
///
/// ```
/// assert_eq!(seedance::dataurl::encode(b"hi", "text/plain"), "data:text/plain;base64,aGk=");
/// ```
pub fn encode(bytes: &[u8], mime: &str) -> String {
    let mut out = String::with_capacity(13 + mime.len() + bytes.len().div_ceil(3) * 4);
    out.push_str("data:");
    out.push_str(mime);
    out.push_str(";base64,");
    encode_part(bytes, &mut out);
    out
}

/// Append the base64 of `bytes` to `out`: a data URL's payload a piece at a time, so a large
/// file never has to sit whole in memory (the JS `toDataUrl` reads a `Blob` this way).
///
/// Pieces join into the payload of their concatenation when every piece but the last has a
/// length that is a multiple of 3 (only the last may end in `=` padding).
///
/// ```
/// use seedance::dataurl::{encode, encode_part};
/// let mut url = String::from("data:text/plain;base64,");
/// encode_part(b"abc", &mut url);
/// encode_part(b"de", &mut url);
/// assert_eq!(url, encode(b"abcde", "text/plain"));
/// ```
pub fn encode_part(bytes: &[u8], out: &mut String) {
    super::base64::encode_into(bytes, out);
}

/// The MIME type a data URL of these bytes gets, sniffed from its first bytes (a dozen are
/// enough for all but MP3 with tags), with the errors of [`encode_sniffed`].
pub fn sniffed_mime(bytes: &[u8]) -> Result<&'static str, DataUrlError> {
    match sniff(bytes) {
        Some(t) if t.kind() != MediaKind::Video => Ok(t.mime()),
        Some(t) => Err(DataUrlError::VideoBytes { format: t.name() }),
        None => Err(DataUrlError::UnknownBytes),
    }
}

/// Encode bytes as a data URL, with the MIME type sniffed from the bytes.
///
/// Errors: [`DataUrlError::UnknownBytes`] when the bytes are no image or audio format the
/// API takes (PNG, JPEG, WebP, GIF, BMP, TIFF, MP3, WAV); [`DataUrlError::VideoBytes`] for
/// video, which can't be sent as a data URL. Both become
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for field `bytes` with `?`.
///
/// ```
/// let err = seedance::dataurl::encode_sniffed(b"plain text").unwrap_err();
/// assert!(err.to_string().contains("not a PNG, JPEG"));
/// assert!(seedance::Error::from(err).to_string().starts_with("invalid bytes: "));
/// ```
pub fn encode_sniffed(bytes: &[u8]) -> Result<String, DataUrlError> {
    Ok(encode(bytes, sniffed_mime(bytes)?))
}

/// A parsed `data:` URL, borrowing from the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataUrl<'a> {
    /// The MIME type as written (may be empty).
    pub mime: &'a str,
    /// The base64 payload.
    pub payload: &'a str,
}

/// Why a string is not a usable base64 `data:` URL, or bytes can't become one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DataUrlError {
    /// It does not start with `data:`.
    #[error("does not start with `data:`")]
    NotDataUrl,
    /// There is no `,` before the payload.
    #[error("has no `,` between the header and the data")]
    MissingComma,
    /// The header does not say `;base64`.
    #[error("is not base64 (the header must end with `;base64`)")]
    NotBase64,
    /// The header names no MIME type.
    #[error("names no MIME type (`data:image/png;base64,…`)")]
    MissingMime,
    /// Nothing after the comma.
    #[error("has no data after the comma")]
    Empty,
    /// A character outside standard base64 or a misplaced `=`.
    #[error("has a character that is not standard base64 at payload offset {offset}")]
    BadBase64 {
        /// Where in the payload.
        offset: usize,
    },
    /// The payload length is not possible for base64.
    #[error("has a base64 payload of impossible length {len}")]
    BadLength {
        /// The payload length.
        len: usize,
    },
    /// Bytes to encode are a video, which the API takes only by URL.
    #[error("{format} video can't be sent as a data URL; upload it and pass its https:// or asset:// URL")]
    VideoBytes {
        /// The video format found (`MP4`, `QuickTime`, …).
        format: &'static str,
    },
    /// Bytes to encode are no image or audio format the API takes.
    #[error("not a PNG, JPEG, WebP, GIF, BMP, TIFF, MP3 or WAV file (checked by its first bytes)")]
    UnknownBytes,
}

impl DataUrlError {
    /// Whether this is about bytes to encode ([`encode_sniffed`]) rather than a URL to read.
    pub fn is_about_bytes(&self) -> bool {
        matches!(
            self,
            DataUrlError::VideoBytes { .. } | DataUrlError::UnknownBytes
        )
    }
}

/// Parse a base64 `data:` URL, checking every payload character (no decoding).
///
/// ```
/// let url = seedance::dataurl::parse("data:image/png;base64,iVBORw0KGgo=").unwrap();
/// assert_eq!(url.mime, "image/png");
/// assert_eq!(url.decoded_len(), 8);
/// ```
pub fn parse(url: &str) -> Result<DataUrl<'_>, DataUrlError> {
    let rest = url
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("data:"))
        .map(|_| &url[5..])
        .ok_or(DataUrlError::NotDataUrl)?;
    let (header, payload) = rest.split_once(',').ok_or(DataUrlError::MissingComma)?;
    let mut params = header.split(';');
    let mime = params.next().unwrap_or("").trim();
    if !params.any(|p| p.trim().eq_ignore_ascii_case("base64")) {
        return Err(DataUrlError::NotBase64);
    }
    if mime.is_empty() {
        return Err(DataUrlError::MissingMime);
    }
    if payload.is_empty() {
        return Err(DataUrlError::Empty);
    }
    check_base64(payload)?;
    Ok(DataUrl { mime, payload })
}

fn check_base64(p: &str) -> Result<(), DataUrlError> {
    let bytes = p.as_bytes();
    let body_len = bytes.len()
        - bytes
            .iter()
            .rev()
            .take(2)
            .take_while(|&&c| c == b'=')
            .count();
    if let Some(offset) = bytes[..body_len]
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'+' || c == b'/'))
    {
        return Err(DataUrlError::BadBase64 { offset });
    }
    let padded = body_len != bytes.len();
    if (padded && !bytes.len().is_multiple_of(4)) || body_len % 4 == 1 {
        return Err(DataUrlError::BadLength { len: bytes.len() });
    }
    Ok(())
}

impl DataUrl<'_> {
    /// The size of the decoded bytes, computed from the payload length.
    pub fn decoded_len(&self) -> usize {
        let p = self.payload.as_bytes();
        let body = p.len() - p.iter().rev().take(2).take_while(|&&c| c == b'=').count();
        body / 4 * 3 + (body % 4).saturating_sub(1)
    }

    /// Decode at most the first `max` bytes (rounded up to a whole base64 group): enough to
    /// sniff the format and read an image's size without decoding a 30 MB payload.
    pub fn decode_prefix(&self, max: usize) -> Vec<u8> {
        let payload = self.payload.as_bytes();
        let end = max.div_ceil(3).saturating_mul(4).min(payload.len());
        // Padded or not, non-zero trailing bits (which some encoders leave) ignored. Empty
        // when the payload is not base64 (only possible for a hand-built `DataUrl`).
        super::base64::decode(&payload[..end]).unwrap_or_default()
    }

    /// Decode the whole payload.
    pub fn decode(&self) -> Vec<u8> {
        self.decode_prefix(self.payload.len())
    }

    /// The format the MIME type names, if it is one the API knows.
    pub fn media_type(&self) -> Option<MediaType> {
        MediaType::from_mime(self.mime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_lengths() {
        for n in 0..20usize {
            let bytes: Vec<u8> = (0..n as u8).collect();
            let url = encode(&bytes, "image/png");
            if n == 0 {
                assert_eq!(parse(&url), Err(DataUrlError::Empty));
                continue;
            }
            let parsed = parse(&url).unwrap();
            assert_eq!(parsed.decoded_len(), n);
            assert_eq!(parsed.decode(), bytes);
            assert_eq!(parsed.decode_prefix(3), bytes[..n.min(3)].to_vec());
            assert_eq!(parsed.decode_prefix(usize::MAX), bytes);
        }
        // Non-canonical trailing bits decode instead of coming back empty.
        assert_eq!(parse("data:a/b;base64,aGl=").unwrap().decode(), b"hi");
        assert_eq!(parse("data:a/b;base64,aGk").unwrap().decode(), b"hi");
    }

    #[test]
    fn pieces_join_into_the_whole() {
        let bytes: Vec<u8> = (0..200u8).collect();
        for piece in [3, 6, 99, 198] {
            let mut url = String::from("data:a/b;base64,");
            for chunk in bytes.chunks(piece) {
                encode_part(chunk, &mut url);
            }
            assert_eq!(url, encode(&bytes, "a/b"), "pieces of {piece}");
        }
    }

    #[test]
    fn parse_errors() {
        assert_eq!(parse("https://x"), Err(DataUrlError::NotDataUrl));
        assert_eq!(
            parse("data:image/png;base64"),
            Err(DataUrlError::MissingComma)
        );
        assert_eq!(parse("data:image/png,abc"), Err(DataUrlError::NotBase64));
        assert_eq!(parse("data:;base64,aGk="), Err(DataUrlError::MissingMime));
        assert_eq!(
            parse("data:image/png;base64,aG k="),
            Err(DataUrlError::BadBase64 { offset: 2 })
        );
        assert_eq!(
            parse("data:image/png;base64,a-_b"),
            Err(DataUrlError::BadBase64 { offset: 1 })
        );
        assert_eq!(
            parse("data:image/png;base64,aGk=="),
            Err(DataUrlError::BadLength { len: 5 })
        );
        assert_eq!(
            parse("data:image/png;base64,aGlhb"),
            Err(DataUrlError::BadLength { len: 5 })
        );
        assert!(parse("DATA:image/png;base64,aGk").is_ok());
    }
}
