//! Substring search by a plain scan: the library's `str::find(&str)` and
//! `str::contains(&str)` bring its two-way searcher into the wasm (about 3 KB, as the core
//! found), for searches in a few short strings (an error code, a curl command, a URL list).

/// The byte offset of the first `needle` in `haystack` (`str::find` with a `&str`).
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| &h[i..i + n.len()] == n)
}

/// Whether `needle` occurs in `haystack` (`str::contains` with a `&str`).
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_as_the_library_does() {
        for (h, n) in [
            ("", ""),
            ("abc", ""),
            ("", "a"),
            ("abc", "c"),
            ("aab", "ab"),
            ("x data: y", "data:"),
            ("dat", "data:"),
            ("é data:", "data:"),
        ] {
            assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
            assert_eq!(contains(h, n), h.contains(n));
        }
    }
}
