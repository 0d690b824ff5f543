//! A box that takes image files: a file input, a drop onto the box, or a paste while it has
//! the focus. The image pickers are made of it.

use leptos::prelude::*;

use crate::web::image::files_of;

/// The image types the API takes, for the file input's `accept`.
const ACCEPT: &str = "image/png,image/jpeg,image/webp,image/gif,image/bmp,image/tiff";

/// A group named `name` with a file input (`file_id`, labelled `file_label`), taking the
/// files a user picks, drops or pastes into `take`; `children` follow the hint.
#[component]
pub fn DropZone(
    #[prop(into)] name: String,
    file_id: String,
    file_label: String,
    #[prop(optional)] multiple: bool,
    #[prop(into)] describedby: String,
    hint: &'static str,
    take: impl Fn(Vec<web_sys::File>) + Copy + Send + Sync + 'static,
    children: Children,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    view! {
        <div
            class="picker"
            class:dragging=move || dragging.get()
            tabindex="0"
            role="group"
            aria-label=name
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                take(files_of(ev.data_transfer().and_then(|d| d.files())));
            }
            on:paste=move |ev: web_sys::ClipboardEvent| {
                let files = files_of(ev.clipboard_data().and_then(|d| d.files()));
                if !files.is_empty() {
                    ev.prevent_default();
                    take(files);
                }
            }
        >
            <label for=file_id.clone()>{file_label}</label>
            <input
                type="file"
                id=file_id
                multiple=multiple
                accept=ACCEPT
                aria-describedby=describedby
                on:change=move |ev| {
                    let input = event_target::<web_sys::HtmlInputElement>(&ev);
                    take(files_of(input.files()));
                    // The same file picked again (after Remove) is a change too.
                    input.set_value("");
                }
            />
            <p class="hint">{hint}</p>
            {children()}
        </div>
    }
}
