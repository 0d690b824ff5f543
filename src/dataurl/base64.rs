//! Standard base64 (RFC 4648 alphabet, `=` padding), written out: the `base64` crate's
//! general-purpose engine is about 6 KB of the npm wasm for two loops. `encode` gives the
//! crate's `STANDARD` output; `decode` accepts exactly what its lenient engine (padding
//! optional, trailing bits ignored) accepts, with the same bytes; the tests below compare
//! both with the crate over generated input.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Append the padded base64 of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    let sym = |n: u32, shift: u32| ALPHABET[(n >> shift & 63) as usize];
    let start = out.len();
    // SAFETY: only bytes from ALPHABET and `=` are written, all ASCII, so `out` stays UTF-8.
    // (Building a Vec and converting it validates the payload again, and copies it: at
    // opt-level z that doubled the time of encoding a 30 MB file.)
    let buf = unsafe { out.as_mut_vec() };
    buf.resize(start + bytes.len().div_ceil(3) * 4, b'=');
    let text = &mut buf[start..];
    // 24 bytes (32 symbols) a step, as four 48-bit groups written out: a 30 MB file encodes
    // about as fast as with the base64 crate (three bytes a step took 1.7 times as long).
    let (blocks, _) = bytes.as_chunks::<24>();
    let (slots, _) = text.as_chunks_mut::<32>();
    for (b, t) in blocks.iter().zip(slots.iter_mut()) {
        for k in 0..4 {
            let n = u64::from_be_bytes([
                b[6 * k],
                b[6 * k + 1],
                b[6 * k + 2],
                b[6 * k + 3],
                b[6 * k + 4],
                b[6 * k + 5],
                0,
                0,
            ]);
            for j in 0..8 {
                t[8 * k + j] = ALPHABET[(n >> (58 - 6 * j) & 63) as usize];
            }
        }
    }
    let done = blocks.len();
    let (bytes, text) = (&bytes[done * 24..], &mut text[done * 32..]);
    let whole = bytes.chunks_exact(3);
    let rest = whole.remainder();
    for (b, t) in whole.zip(text.chunks_exact_mut(4)) {
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        t.copy_from_slice(&[sym(n, 18), sym(n, 12), sym(n, 6), sym(n, 0)]);
    }
    if let (Some(t), false) = (text.rchunks_exact_mut(4).next(), rest.is_empty()) {
        let n = u32::from(rest[0]) << 16 | u32::from(rest.get(1).copied().unwrap_or(0)) << 8;
        t[0] = sym(n, 18);
        t[1] = sym(n, 12);
        if rest.len() == 2 {
            t[2] = sym(n, 6);
        }
    }
}

/// Each byte's 6-bit value, or `INVALID`.
const VALUES: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};
const INVALID: u8 = 0xff;

/// The 6-bit value of a base64 symbol.
fn value(c: u8) -> Option<u32> {
    let v = VALUES[c as usize];
    (v != INVALID).then_some(u32::from(v))
}

/// Decode `input`; `None` where the crate's lenient engine refuses it: a byte outside the
/// alphabet, `=` anywhere but the last two places of the final group, a symbol after `=`,
/// or a final group of a single symbol.
pub(crate) fn decode(input: &[u8]) -> Option<Vec<u8>> {
    // Every group but the last is four symbols; the last has 1 to 4 bytes.
    let last = match input.len() % 4 {
        0 => input.len().saturating_sub(4),
        r => input.len() - r,
    };
    let mut out = vec![0u8; last / 4 * 3];
    for (quad, o) in input[..last].chunks_exact(4).zip(out.chunks_exact_mut(3)) {
        let v = [0, 1, 2, 3].map(|i| VALUES[quad[i] as usize]);
        // Valid values are below 64, INVALID is not.
        if (v[0] | v[1] | v[2] | v[3]) >= 64 {
            return None;
        }
        let n =
            u32::from(v[0]) << 18 | u32::from(v[1]) << 12 | u32::from(v[2]) << 6 | u32::from(v[3]);
        o.copy_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    let (mut n, mut symbols, mut padding) = (0u32, 0, 0);
    for (i, &c) in input[last..].iter().enumerate() {
        if c == b'=' {
            if i < 2 {
                return None;
            }
            padding += 1;
        } else if padding > 0 {
            return None;
        } else {
            n = n << 6 | value(c)?;
            symbols += 1;
        }
    }
    if !input.is_empty() && symbols < 2 {
        return None;
    }
    // The group's bits, left-aligned in 24; bits past the last whole byte are ignored.
    n <<= 6 * (4 - symbols);
    out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8][..symbols * 6 / 8]);
    Some(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
    use base64::engine::DecodePaddingMode;
    use base64::{alphabet, Engine as _};
    use proptest::prelude::*;

    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );

    fn cases() -> ProptestConfig {
        ProptestConfig {
            cases: 5000,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(cases())]

        #[test]
        fn encodes_as_the_crate(bytes in prop::collection::vec(any::<u8>(), 0..100)) {
            let mut ours = String::from("x");
            encode_into(&bytes, &mut ours);
            prop_assert_eq!(ours, format!("x{}", STANDARD.encode(&bytes)));
        }

        #[test]
        fn decodes_as_the_crate(text in prop_oneof![
            "[A-Za-z0-9+/]{0,12}={0,3}",
            "[A-Za-z0-9+/=]{0,12}",
            "[A-Za-z0-9+/= \\n.-]{0,9}",
        ]) {
            prop_assert_eq!(decode(text.as_bytes()), LENIENT.decode(text.as_bytes()).ok(), "{:?}", text);
        }

        #[test]
        fn reads_back_what_it_writes(bytes in prop::collection::vec(any::<u8>(), 0..100)) {
            let mut text = String::new();
            encode_into(&bytes, &mut text);
            prop_assert_eq!(decode(text.as_bytes()), Some(bytes.clone()));
            prop_assert_eq!(decode(text.trim_end_matches('=').as_bytes()), Some(bytes));
        }
    }
}
