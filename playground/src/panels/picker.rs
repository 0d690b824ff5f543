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

/// One image input (first or last frame): file, drop, paste, or a URL, bound to one slot
/// of the compose form, with the form's problems for it beside it.
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
    let problems_id: &'static str = match control {
        Control::First => "first-problems",
        _ => "last-problems",
    };
    view! {
        <ImageInput
            label=label
            id=id
            limits
            value=Signal::derive(move || form.with(|f| get(f).clone()))
            set=move |s| form.update(|f| *get_mut(f) = s)
            problems_id=problems_id
        >
            <Problems checked control attempted id=problems_id />
        </ImageInput>
    }
}

/// One image input: a file, a drop, a paste or a URL, for any slot (`value` reads it,
/// `set` replaces it); `children` (its problems, with id `problems_id`) follow the URL.
#[component]
pub fn ImageInput(
    #[prop(into)] label: String,
    #[prop(into)] id: String,
    limits: Memo<Limits>,
    value: Signal<ImageSlot>,
    set: impl Fn(ImageSlot) + Copy + Send + Sync + 'static,
    #[prop(into)] problems_id: String,
    children: Children,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let change = move |f: &dyn Fn(&mut ImageSlot)| {
        let mut s = value.get_untracked();
        f(&mut s);
        set(s);
    };
    let take = move |files: Vec<web_sys::File>| {
        let Some(file) = files.into_iter().next() else {
            return;
        };
        spawn_local(async move {
            match image::read(file).await {
                Ok(p) => {
                    error.set(None);
                    change(&|s| s.picked = Some(p.clone()));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let url_id = format!("{id}-url");
    let remove_label = format!("Remove {label} image");
    let fix_what = format!("{label} image");
    view! {
        <DropZone
            name=label.clone()
            file_id=format!("{id}-file")
            file_label=format!("{label} image")
            describedby=problems_id.clone()
            hint="or drop an image here, or focus this box and paste"
            take
        >
            {move || {
                value.with(|s| s.picked.clone())
                    .map(|p| {
                        let (remove_label, what) = (remove_label.clone(), fix_what.clone());
                        view! {
                            <div class="picked">
                                {thumb(&p)}
                                <button type="button" on:click=move |_| change(&|s| s.picked = None)>
                                    {remove_label}
                                </button>
                            </div>
                            <FixOffer
                                picked=p
                                limits
                                what
                                done=move |new| change(&|s| s.picked = Some(new.clone()))
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
                prop:value=move || value.with(|s| s.url.clone())
                disabled=move || value.with(|s| s.picked.is_some())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    change(&|s| s.url = v.clone());
                }
            />
            {move || error.get().map(|e| view! { <p class="problem error" role="alert">{e}</p> })}
            {children()}
        </DropZone>
    }
}
