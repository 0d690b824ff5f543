//! Save the video as a file. A cross-origin `<a download>` is ignored by browsers (it just
//! opens the link), so the page fetches the bytes (possible when the host sends CORS, as
//! signed TOS links do) and saves them from a blob URL; when the fetch is refused the caller
//! shows a plain link that opens the file instead.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Fetch `url` (no credentials, no key: the link is signed) and save it as `file`.
///
/// Errors say why, in words, when the host refuses the page (no CORS) or the link died.
pub async fn save(url: &str, file: &str) -> Result<(), String> {
    let resp = super::fetch_get(url)
        .await
        .map_err(|_| "the host does not let this page read the file (no CORS)".to_owned())?;
    if !resp.ok() {
        return Err(format!(
            "the host answered HTTP {} (the link may have expired)",
            resp.status()
        ));
    }
    let promise = resp.blob().map_err(|_| "no body".to_owned())?;
    let blob: web_sys::Blob = JsFuture::from(promise)
        .await
        .map_err(|_| "the download broke off".to_owned())?
        .unchecked_into();
    let href = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "no blob URL")?;
    let a: web_sys::HtmlAnchorElement = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .ok_or("no document")?
        .unchecked_into();
    a.set_href(&href);
    a.set_download(file);
    a.click();
    // The click starts the download asynchronously: free the blob a little later.
    gloo_timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&href);
    })
    .forget();
    Ok(())
}
