//! One image input (a first or last frame): a file, a drop, a paste or a URL, with the
//! chosen image's thumbnail and facts, and an offer to fix it when it breaks a limit.

use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::Limits;

use crate::check::{Checked, Control};
use crate::fields::Problems;
use crate::form::{Form, ImageSlot, Picked};
use crate::panels::drop_zone::DropZone;
use crate::resize;
use crate::web::image;
use crate::words::human_bytes;

/// A chosen image: its thumbnail, name, size and pixels.
pub fn thumb(p: &Picked) -> impl IntoView {
    let dims = p
        .size()
        .map(|(w, h)| format!("{w}×{h} px"))
        .unwrap_or_else(|| "size unknown".into());
    let caption = format!("{} · {} · {}", p.name, human_bytes(p.bytes), dims);
    view! {
        <figure class="thumb">
            <img src=p.url.to_string() alt=format!("Chosen image {}", p.name) />
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

/// The offer to fix an image that breaks a limit, in the browser; `done` gets the new one.
#[component]
pub fn FixOffer(
    picked: Picked,
    limits: Memo<Limits>,
    what: String,
    done: impl Fn(Picked) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let plan = limits.with_untracked(|l| resize::plan(&picked, l))?;
    let size = picked.size()?;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let label = plan.label();
    let offer = plan.offer(size);
    let source = StoredValue::new((picked, plan));
    let fix = move |_| {
        busy.set(true);
        spawn_local(async move {
            let (p, plan) = source.get_value();
            let r = image::apply(&p, &plan, &limits.get_untracked()).await;
            busy.set(false);
            match r {
                Ok(new) => done(new),
                Err(e) => error.set(Some(format!("Could not fix it: {e}."))),
            }
        });
    };
    Some(view! {
        <div class="fix" role="group" aria-label=format!("Fix {what}")>
            <p>{offer}</p>
            <button type="button" disabled=move || busy.get() on:click=fix>
                {move || if busy.get() { "Working…".to_owned() } else { label.clone() }}
            </button>
            {move || error.get().map(|e| view! { <p class="problem error" role="alert">{e}</p> })}
        </div>
    })
}

/// One image input (first or last frame): file, drop, paste, or a URL.
#[component]
pub fn ImagePicker(
    form: RwSignal<Form>,
    checked: Memo<Checked>,
    attempted: RwSignal<bool>,
    limits: Memo<Limits>,
    label: &'static str,
    id: &'static str,
    control: Control,
    get: fn(&Form) -> &ImageSlot,
    get_mut: fn(&mut Form) -> &mut ImageSlot,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let take = move |files: Vec<web_sys::File>| {
        let Some(file) = files.into_iter().next() else {
            return;
        };
        spawn_local(async move {
            match image::read(file).await {
                Ok(p) => {
                    error.set(None);
                    form.update(|f| get_mut(f).picked = Some(p));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let url_id = format!("{id}-url");
    let problems_id: &'static str = match control {
        Control::First => "first-problems",
        _ => "last-problems",
    };
    view! {
        <DropZone
            name=label
            file_id=format!("{id}-file")
            file_label=format!("{label} image")
            describedby=problems_id
            hint="or drop an image here, or focus this box and paste"
            take
        >
            {move || {
                form.with(|f| get(f).picked.clone())
                    .map(|p| {
                        view! {
                            <div class="picked">
                                {thumb(&p)}
                                <button
                                    type="button"
                                    on:click=move |_| form.update(|f| get_mut(f).picked = None)
                                >
                                    {format!("Remove {label} image")}
                                </button>
                            </div>
                            <FixOffer
                                picked=p
                                limits
                                what=format!("{label} image")
                                done=move |new| form.update(|f| get_mut(f).picked = Some(new))
                            />
                        }
                    })
            }}
            <label for=url_id.clone()>{format!("{label} URL")}</label>
            <input
                type="text"
                id=url_id
                placeholder="https://… or asset://…"
                aria-describedby=problems_id
                prop:value=move || form.with(|f| get(f).url.clone())
                disabled=move || form.with(|f| get(f).picked.is_some())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| get_mut(f).url = v);
                }
            />
            {move || error.get().map(|e| view! { <p class="problem error" role="alert">{e}</p> })}
            <Problems checked control attempted id=problems_id />
        </DropZone>
    }
}
