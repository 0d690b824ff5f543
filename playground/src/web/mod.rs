//! Browser glue the views share: the clock, the page's URL, the clipboard, scrolling, a
//! confirmation, and (in submodules) IndexedDB, downloads and images. Nothing here decides
//! anything: the decisions are in the plain modules, tested natively.

pub mod download;
pub mod idb;
pub mod image;
pub mod lazy;
pub mod lock;
pub mod muxer;

/// `GET url` through the global `fetch` (no credentials beyond the browser's defaults): the
/// response, whatever its status; `Err` when the request could not be made or was refused.
pub async fn fetch_get(url: &str) -> Result<web_sys::Response, wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or("no window")?;
    let resp = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url)).await?;
    Ok(resp.unchecked_into())
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A path relative to the page (works under any path prefix), made absolute.
pub fn page_url(relative: &str) -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    web_sys::Url::new_with_base(relative, &href)
        .ok()
        .map(|u| u.href())
}

/// A file that loads on first use (the jobs app, the muxer worker) by this build's name for
/// it, as [`page_url`] gives it: `jobs.js` is `jobs-HASH.js`, `jobs_bg.wasm`
/// `jobs-HASH_bg.wasm` (HASH from `<meta name="seedance-build">`; Trunk's hook
/// `scripts/post-build` renames the files and writes the tag), so that no cache pairs them
/// with another build's first app. Without the tag (a build without the hook), the plain
/// name.
pub fn build_url(name: &str) -> Option<String> {
    match meta("seedance-build").filter(|v| !v.is_empty()) {
        Some(v) => page_url(&crate::nav::built_name(name, &v)),
        None => page_url(name),
    }
}

/// The `content` of the page's `<meta name="{name}">`, if it has one (what the build or the
/// server serving the page tells it).
pub fn meta(name: &str) -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(&format!(r#"meta[name="{name}"]"#))
        .ok()
        .flatten()?
        .get_attribute("content")
}

/// Put text on the clipboard (the browser may refuse: nothing happens then).
pub fn copy_text(text: String) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(&text);
    }
}

/// Ask the user (a modal `confirm`); `false` when the browser can't ask.
pub fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(message).ok())
        .unwrap_or(false)
}

/// Bring an element to the top when it is below the fold (a phone, where the task panel is
/// under the form); on a wide screen both columns show and the page must not jump.
pub fn scroll_to(id: &str) {
    let Some(w) = web_sys::window() else { return };
    let Some(el) = w.document().and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let fold = w
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    if el.get_bounding_client_rect().bottom() > fold {
        el.scroll_into_view();
    }
}

/// A blob URL for bytes kept in IndexedDB (a `Uint8Array`), typed `mime`.
pub fn blob_url(bytes: &wasm_bindgen::JsValue, mime: &str) -> Option<String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(bytes);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}
