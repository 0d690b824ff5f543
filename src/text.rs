//! Substring search and replace by a plain scan. The library's `str::contains(&str)` and
//! `str::replace` use the two-way searcher, about 3 KB of wasm, for the two places that
//! search text: an error message (for a phrase) and an error body (for the API key), both
//! a few KB at most.

/// The byte offset of the first `needle` in `haystack`.
pub(crate) fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| &h[i..i + n.len()] == n)
}

/// `text` with every `needle` (left to right, not overlapping) replaced by `with`, as
/// `str::replace` makes it; `None` when there is none (or `needle` is empty). The client's
/// only (a build without one, e.g. native without `native`, leaves it unused).
#[cfg_attr(not(any(target_arch = "wasm32", feature = "native")), allow(dead_code))]
pub(crate) fn replace(text: &str, needle: &str, with: &str) -> Option<String> {
    if needle.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = find(rest, needle) {
        // A match of valid UTF-8 starts and ends on character boundaries.
        out.push_str(&rest[..i]);
        out.push_str(with);
        rest = &rest[i + needle.len()..];
    }
    if out.is_empty() && rest.len() == text.len() {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

        /// The same answers as the library's searcher.
        #[test]
        fn finds_and_replaces_as_str_does(
            text in "[ab\u{e9}\u{1F600}]{0,12}",
            needle in "[ab\u{e9}\u{1F600}]{1,3}",
            with in "[xy]{0,3}",
        ) {
            prop_assert_eq!(super::find(&text, &needle), text.find(needle.as_str()));
            let expected = text.contains(needle.as_str()).then(|| text.replace(needle.as_str(), &with));
            prop_assert_eq!(super::replace(&text, &needle, &with), expected);
        }
    }
}
