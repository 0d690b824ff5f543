//! One shot of the Film view's storyboard: its prompt, duration, continue or cut, an image
//! when it starts fresh, buttons to move it up or down or remove it (reachable by
//! keyboard, not only by dragging), and its problems (`shots[k].…`) beside it.

use leptos::prelude::*;

use seedance::validate::DURATION_RANGE;
use seedance::Limits;

use crate::panels::picker::ImageInput;
use crate::storyboard::{shot_label, FilmCheck, ShotDraft, Storyboard};

/// The editor of shot `id`; `locked` while its film runs.
#[component]
pub fn ShotCard(
    id: u32,
    board: RwSignal<Storyboard>,
    check: Memo<FilmCheck>,
    limits: Memo<Limits>,
    attempted: RwSignal<bool>,
    #[prop(into)] locked: Signal<bool>,
) -> impl IntoView {
    let k = Memo::new(move |_| board.with(|b| b.index_of(id).unwrap_or(0)));
    let count = Memo::new(move |_| board.with(|b| b.shots.len()));
    let fresh = Memo::new(move |_| board.with(|b| b.is_fresh(k.get())));
    let read = move |f: fn(&ShotDraft) -> String| {
        board.with(|b| {
            b.shots
                .iter()
                .find(|s| s.id == id)
                .map(f)
                .unwrap_or_default()
        })
    };
    let edit = move |f: &dyn Fn(&mut ShotDraft)| board.update(|b| b.edit(id, f));
    let n = move || k.get() + 1;
    let (prompt_id, duration_id, problems_id) = (
        format!("shot-{id}-prompt"),
        format!("shot-{id}-duration"),
        format!("shot-{id}-problems"),
    );
    let durations = DURATION_RANGE
        .map(|d| {
            let selected = move || read(|s| s.duration.to_string()) == d.to_string();
            view! { <option value=d.to_string() selected=selected>{format!("{d} s")}</option> }
        })
        .collect_view();
    let image = move || {
        fresh.get().then(|| {
            let label = format!("Shot {} first frame", n());
            view! {
                <ImageInput
                    label
                    id=format!("shot-{id}-image")
                    limits
                    value=Signal::derive(move || {
                        board.with(|b| b.shots.iter().find(|s| s.id == id).map(|s| s.image.clone()))
                            .unwrap_or_default()
                    })
                    set=move |slot| edit(&|s| s.image = slot.clone())
                    problems_id=format!("shot-{id}-image-problems")
                >
                    <p class="hint">"Optional: the shot starts from this image."</p>
                </ImageInput>
            }
        })
    };
    let problems = move || {
        let all = attempted.get();
        check
            .with(|c| c.at(Some(k.get())))
            .into_iter()
            .filter(|p| all || !p.quiet)
            .map(|p| {
                let class = if p.blocking {
                    "problem error"
                } else {
                    "problem warning"
                };
                view! { <li class=class><code>{p.path}</code>" " {p.message}</li> }
            })
            .collect_view()
    };
    let step = move |by: isize| board.update(|b| b.step(id, by));
    view! {
        <li class="shot" data-shot=id>
            <div class="shot-head">
                <h3>{move || board.with(|b| shot_label(b, k.get()))}</h3>
                <div class="shot-moves" role="group" aria-label=move || format!("Shot {} order", n())>
                    <button
                        type="button"
                        class="small"
                        aria-label=move || format!("Move shot {} up", n())
                        disabled=move || locked.get() || k.get() == 0
                        on:click=move |_| step(-1)
                    >
                        "↑ Up"
                    </button>
                    <button
                        type="button"
                        class="small"
                        aria-label=move || format!("Move shot {} down", n())
                        disabled=move || { locked.get() || k.get() + 1 >= count.get() }
                        on:click=move |_| step(1)
                    >
                        "↓ Down"
                    </button>
                    <button
                        type="button"
                        class="small danger"
                        aria-label=move || format!("Remove shot {}", n())
                        disabled=move || locked.get() || count.get() <= 1
                        on:click=move |_| board.update(|b| b.remove(id))
                    >
                        "Remove"
                    </button>
                </div>
            </div>
            <label for=prompt_id.clone()>{move || format!("Shot {} prompt", n())}</label>
            <textarea
                id=prompt_id
                rows="2"
                aria-describedby=problems_id.clone()
                disabled=move || locked.get()
                prop:value=move || read(|s| s.prompt.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    edit(&|s| s.prompt = v.clone());
                }
            ></textarea>
            <div class="shot-row">
                <div>
                    <label for=duration_id.clone()>{move || format!("Shot {} duration", n())}</label>
                    <select
                        id=duration_id
                        disabled=move || locked.get()
                        prop:value=move || read(|s| s.duration.to_string())
                        on:change=move |ev| {
                            let d = event_target_value(&ev).parse().unwrap_or(5);
                            edit(&|s| s.duration = d);
                        }
                    >
                        {durations}
                    </select>
                </div>
                {move || (k.get() > 0).then(|| view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            disabled=move || locked.get()
                            prop:checked=move || read(|s| s.cut.to_string()) == "true"
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                edit(&|s| s.cut = on);
                            }
                        />
                        {move || format!(" Shot {}: cut (a fresh start, not continuing)", n())}
                    </label>
                })}
            </div>
            {image}
            <ul class="problems" id=problems_id aria-live="polite">{problems}</ul>
        </li>
    }
}
