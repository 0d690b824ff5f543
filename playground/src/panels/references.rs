//! Reference mode's inputs: up to 9 reference images (files, drops, pastes, URLs), and
//! reference videos and audio by URL.

use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::Limits;

use crate::check::{Checked, Control};
use crate::fields::{Problems, UrlList};
use crate::form::Form;
use crate::panels::drop_zone::DropZone;
use crate::panels::picker::{thumb, FixOffer};
use crate::web::image;

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
                match image::read(file).await {
                    Ok(p) => form.update(|f| f.ref_images.push(p)),
                    Err(e) => errors.push(e),
                }
            }
            error.set((!errors.is_empty()).then(|| errors.join("; ")));
        });
    };
    view! {
        <DropZone
            name="Reference images"
            file_id="ref-files".to_owned()
            file_label="Reference images (up to 9)".to_owned()
            multiple=true
            describedby="ref-problems"
            hint="or drop images here, or focus this box and paste"
            take
        >
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
                state=form
                id="ref-image-urls"
                label="Reference image URLs (one per line)"
                placeholder=""
                get=|f| &f.ref_image_urls
                set=|f, v| f.ref_image_urls = v
            />
            {move || error.get().map(|e| view! { <p class="problem error" role="alert">{e}</p> })}
            <Problems checked control=Control::RefImages attempted id="ref-problems" />
            <UrlList
                state=form
                id="ref-video-urls"
                label="Reference video URLs (one per line)"
                placeholder="https://…/clip.mp4 or asset://…"
                get=|f| &f.ref_video_urls
                set=|f, v| f.ref_video_urls = v
            />
            <Problems checked control=Control::RefVideos attempted id="ref-video-problems" />
            <UrlList
                state=form
                id="ref-audio-urls"
                label="Reference audio URLs (one per line)"
                placeholder="https://…/sound.mp3"
                get=|f| &f.ref_audio_urls
                set=|f, v| f.ref_audio_urls = v
            />
            <Problems checked control=Control::RefAudios attempted id="ref-audio-problems" />
        </DropZone>
    }
}
