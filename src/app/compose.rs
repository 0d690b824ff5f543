//! The compose form's controls: mode tabs, prompt, image pickers and parameters, each with
//! its problems beside it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use super::form::{
    group, human_bytes, model_label, resolution_note, Checked, Control, Form, ImageSlot, Mode,
    Picked, DURATIONS,
};
use super::resize;
use crate::dataurl;
use crate::{Limits, Model, Ratio, Resolution};

/// Read a picked file and encode it as a data URL, in the browser.
pub async fn read_image(file: web_sys::File) -> Result<Picked, String> {
    let name = file.name();
    let buf = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{name}: the browser could not read the file"))?;
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    let kind = dataurl::sniff(&bytes);
    match kind {
        Some(t) if t.mime().starts_with("image/") => {}
        Some(t) => return Err(format!("{name} is {}, not an image", t.name())),
        None => {
            return Err(format!(
            "{name} is not a PNG, JPEG, WebP, GIF, BMP or TIFF image (checked by its first bytes)"
        ))
        }
    }
    let url = dataurl::encode_sniffed(&bytes)
        .map_err(|e| format!("{name}: {}", crate::Error::from(e)))?;
    Ok(Picked {
        name,
        url: url.into(),
        bytes: bytes.len() as u64,
        size: dataurl::image_size(&bytes),
        mime: kind.map(|t| t.mime().to_owned()).unwrap_or_default(),
    })
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

/// Problems shown beside one control.
#[component]
pub fn Problems(
    checked: Memo<Checked>,
    control: Control,
    attempted: RwSignal<bool>,
    id: &'static str,
) -> impl IntoView {
    view! {
        <ul class="problems" id=id aria-live="polite">
            {move || {
                let shown_all = attempted.get();
                checked
                    .with(|c| c.at(control))
                    .into_iter()
                    .filter(|p| shown_all || !p.quiet)
                    .map(|p| {
                        let class = if p.blocking { "problem error" } else { "problem warning" };
                        view! { <li class=class>{p.message}</li> }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

fn thumb(p: &Picked) -> impl IntoView {
    let dims = p
        .size
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
fn FixOffer(
    picked: Picked,
    limits: Memo<Limits>,
    what: String,
    done: impl Fn(Picked) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let plan = limits.with_untracked(|l| resize::plan(&picked, l))?;
    let size = picked.size?;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let label = plan.label();
    let offer = plan.offer(size);
    let source = StoredValue::new((picked, plan));
    let fix = move |_| {
        busy.set(true);
        spawn_local(async move {
            let (p, plan) = source.get_value();
            let r = resize::apply(&p, &plan, &limits.get_untracked()).await;
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
    let dragging = RwSignal::new(false);
    let take = move |files: Vec<web_sys::File>| {
        let Some(file) = files.into_iter().next() else {
            return;
        };
        spawn_local(async move {
            match read_image(file).await {
                Ok(p) => {
                    error.set(None);
                    form.update(|f| get_mut(f).picked = Some(p));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let file_id = format!("{id}-file");
    let url_id = format!("{id}-url");
    let problems_id: &'static str = match control {
        Control::First => "first-problems",
        _ => "last-problems",
    };
    view! {
        <div
            class="picker"
            class:dragging=move || dragging.get()
            tabindex="0"
            role="group"
            aria-label=label
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
            <label for=file_id.clone()>{format!("{label} image")}</label>
            <input
                type="file"
                id=file_id
                accept="image/png,image/jpeg,image/webp,image/gif,image/bmp,image/tiff"
                aria-describedby=problems_id
                on:change=move |ev| {
                    let input = event_target::<web_sys::HtmlInputElement>(&ev);
                    take(files_of(input.files()));
                }
            />
            <p class="hint">"or drop an image here, or focus this box and paste"</p>
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
        </div>
    }
}

/// Reference images (up to 9 files, plus URLs), videos and audio.
#[component]
pub fn References(
    form: RwSignal<Form>,
    checked: Memo<Checked>,
    attempted: RwSignal<bool>,
    limits: Memo<Limits>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let take = move |files: Vec<web_sys::File>| {
        spawn_local(async move {
            let mut errors = Vec::new();
            for file in files {
                match read_image(file).await {
                    Ok(p) => form.update(|f| f.ref_images.push(p)),
                    Err(e) => errors.push(e),
                }
            }
            error.set((!errors.is_empty()).then(|| errors.join("; ")));
        });
    };
    view! {
        <div
            class="picker"
            tabindex="0"
            role="group"
            aria-label="Reference images"
            on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
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
            <label for="ref-files">"Reference images (up to 9)"</label>
            <input
                type="file"
                id="ref-files"
                multiple=true
                accept="image/png,image/jpeg,image/webp,image/gif,image/bmp,image/tiff"
                aria-describedby="ref-problems"
                on:change=move |ev| {
                    let input = event_target::<web_sys::HtmlInputElement>(&ev);
                    take(files_of(input.files()));
                    input.set_value("");
                }
            />
            <p class="hint">"or drop images here, or focus this box and paste"</p>
            <div class="thumbs">
                {move || {
                    form.with(|f| f.ref_images.clone())
                        .into_iter()
                        .enumerate()
                        .map(|(i, p)| {
                            let fix = view! {
                                <FixOffer
                                    picked=p.clone()
                                    limits
                                    what=format!("reference image {}", i + 1)
                                    done=move |new| form.update(|f| {
                                        if let Some(slot) = f.ref_images.get_mut(i) {
                                            *slot = new;
                                        }
                                    })
                                />
                            };
                            view! {
                                <div class="picked">
                                    {thumb(&p)}
                                    <button
                                        type="button"
                                        on:click=move |_| form.update(|f| {
                                            if i < f.ref_images.len() {
                                                f.ref_images.remove(i);
                                            }
                                        })
                                    >
                                        {format!("Remove reference image {}", i + 1)}
                                    </button>
                                    {fix}
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <UrlList
                form
                id="ref-image-urls"
                label="Reference image URLs (one per line)"
                placeholder=""
                get=|f| f.ref_image_urls.clone()
                set=|f, v| f.ref_image_urls = v
            />
            {move || error.get().map(|e| view! { <p class="problem error" role="alert">{e}</p> })}
            <Problems checked control=Control::RefImages attempted id="ref-problems" />
            <UrlList
                form
                id="ref-video-urls"
                label="Reference video URLs (one per line)"
                placeholder="https://…/clip.mp4 or asset://…"
                get=|f| f.ref_video_urls.clone()
                set=|f, v| f.ref_video_urls = v
            />
            <Problems checked control=Control::RefVideos attempted id="ref-video-problems" />
            <UrlList
                form
                id="ref-audio-urls"
                label="Reference audio URLs (one per line)"
                placeholder="https://…/sound.mp3"
                get=|f| f.ref_audio_urls.clone()
                set=|f, v| f.ref_audio_urls = v
            />
            <Problems checked control=Control::RefAudios attempted id="ref-audio-problems" />
        </div>
    }
}

/// A labelled textarea for a list of URLs, one per line, bound to one field of the form.
#[component]
fn UrlList(
    form: RwSignal<Form>,
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    get: fn(&Form) -> String,
    set: fn(&mut Form, String),
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <textarea
            id=id
            rows="2"
            placeholder=placeholder
            prop:value=move || form.with(get)
            on:input=move |ev| {
                let v = event_target_value(&ev);
                form.update(|f| set(f, v));
            }
        ></textarea>
    }
}

/// Model, resolution, ratio, duration, audio, seed, watermark, last frame.
#[component]
pub fn Parameters(
    form: RwSignal<Form>,
    checked: Memo<Checked>,
    attempted: RwSignal<bool>,
) -> impl IntoView {
    let models = [Model::Fast, Model::Standard];
    let note = move || form.with(|f| resolution_note(&f.model, &Resolution::P1080));
    view! {
        <div class="params">
            <div class="field">
                <label for="model">"Model"</label>
                <select
                    id="model"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        form.update(|f| {
                            f.model = Model::from(v);
                            if !f.model.resolutions().contains(&f.resolution) {
                                f.resolution = Resolution::P720;
                            }
                        });
                    }
                >
                    {models
                        .into_iter()
                        .map(|m| {
                            let value = m.as_str().to_owned();
                            let label = model_label(&m);
                            view! {
                                <option value=value selected=move || form.with(|f| f.model == m)>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <Problems checked control=Control::Model attempted id="model-problems" />
            </div>
            <div class="field">
                <label for="resolution">"Resolution"</label>
                <select
                    id="resolution"
                    aria-describedby="resolution-note resolution-problems"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        form.update(|f| f.resolution = Resolution::from(v));
                    }
                >
                    {Resolution::ALL
                        .iter()
                        .map(|r| {
                            let value = r.as_str().to_owned();
                            let text = value.clone();
                            let r2 = r.clone();
                            let r3 = r.clone();
                            view! {
                                <option
                                    value=value
                                    selected=move || form.with(|f| f.resolution == r2)
                                    disabled=move || form.with(|f| !f.model.resolutions().contains(&r3))
                                >
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="note" id="resolution-note">{note}</p>
                <Problems checked control=Control::Resolution attempted id="resolution-problems" />
            </div>
            <div class="field">
                <label for="ratio">"Ratio"</label>
                <select
                    id="ratio"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        form.update(|f| f.ratio = Ratio::from(v));
                    }
                >
                    {Ratio::ALL
                        .iter()
                        .map(|r| {
                            let value = r.as_str().to_owned();
                            let text = value.clone();
                            let r2 = r.clone();
                            view! {
                                <option value=value selected=move || form.with(|f| f.ratio == r2)>
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <Problems checked control=Control::Ratio attempted id="ratio-problems" />
            </div>
            <div class="field">
                <label for="duration">"Duration"</label>
                <select
                    id="duration"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        form.update(|f| f.duration = v.parse().unwrap_or(5));
                    }
                >
                    <option value="-1" selected=move || form.with(|f| f.duration == -1)>
                        "Auto (model picks 4–15 s)"
                    </option>
                    {DURATIONS
                        .map(|d| {
                            view! {
                                <option value=d.to_string() selected=move || form.with(|f| f.duration == d)>
                                    {format!("{d} s")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <Problems checked control=Control::Duration attempted id="duration-problems" />
            </div>
            <div class="field">
                <label for="seed">"Seed"</label>
                <input
                    type="text"
                    id="seed"
                    inputmode="numeric"
                    placeholder="random"
                    aria-describedby="seed-problems"
                    prop:value=move || form.with(|f| f.seed.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        form.update(|f| f.seed = v);
                    }
                />
                <Problems checked control=Control::Seed attempted id="seed-problems" />
            </div>
            <div class="checks">
                <Check form get=|f| f.audio set=|f, on| f.audio = on label=" Generate audio" />
                <Check form get=|f| f.watermark set=|f, on| f.watermark = on label=" Watermark" />
                <Check
                    form
                    get=|f| f.last_frame
                    set=|f, on| f.last_frame = on
                    label=" Return last frame (to continue from it)"
                />
            </div>
        </div>
    }
}

/// The mode tabs.
/// A labelled checkbox bound to one boolean of the form.
#[component]
fn Check(
    form: RwSignal<Form>,
    get: fn(&Form) -> bool,
    set: fn(&mut Form, bool),
    label: &'static str,
) -> impl IntoView {
    view! {
        <label>
            <input
                type="checkbox"
                prop:checked=move || form.with(get)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    form.update(|f| set(f, on));
                }
            />
            {label}
        </label>
    }
}

#[component]
pub fn ModeTabs(form: RwSignal<Form>) -> impl IntoView {
    view! {
        <div class="tabs" role="tablist" aria-label="Mode">
            {Mode::ALL
                .into_iter()
                .map(|m| {
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("tab-{}", m.key())
                            aria-selected=move || form.with(|f| f.mode == m).to_string()
                            on:click=move |_| form.update(|f| f.mode = m)
                        >
                            {m.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The prompt with its character count.
#[component]
pub fn Prompt(
    form: RwSignal<Form>,
    checked: Memo<Checked>,
    attempted: RwSignal<bool>,
) -> impl IntoView {
    let count = move || {
        let n = form.with(|f| f.prompt.chars().count());
        format!("{} characters", group(n as u64))
    };
    let label = move || {
        if form.with(|f| f.mode == Mode::Text) {
            "Prompt"
        } else {
            "Prompt (optional)"
        }
    };
    view! {
        <div class="field prompt">
            <label for="prompt">{label}</label>
            <textarea
                id="prompt"
                rows="4"
                aria-describedby="prompt-count prompt-problems"
                placeholder="A drone shot over an autumn valley, cinematic"
                prop:value=move || form.with(|f| f.prompt.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| f.prompt = v);
                }
            ></textarea>
            <p class="note" id="prompt-count">{count}</p>
            <Problems checked control=Control::Prompt attempted id="prompt-problems" />
        </div>
    }
}
