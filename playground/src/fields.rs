//! The form fields every panel uses, each bound to one part of a state signal by a pair of
//! plain functions (`get`, `set`): a text input, a select, a checkbox, a URL list, and the
//! problems shown beside a control.

use leptos::prelude::*;

use crate::check::{Checked, Control};

/// A labelled text input bound to one string of `state`.
#[component]
pub fn TextField<T: Send + Sync + 'static>(
    state: RwSignal<T>,
    id: &'static str,
    label: &'static str,
    get: fn(&T) -> &String,
    set: fn(&mut T, String),
    /// The input's `type` (default `text`).
    #[prop(optional)]
    kind: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] describedby: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input
            type=kind.unwrap_or("text")
            id=id
            inputmode=inputmode
            autocomplete=autocomplete
            placeholder=placeholder
            aria-describedby=describedby
            prop:value=move || state.with(|s| get(s).clone())
            on:input=move |ev| {
                let v = event_target_value(&ev);
                state.update(|s| set(s, v));
            }
        />
    }
}

/// A labelled select of `options` (value, text) bound to one field of `state` through its
/// value as text (`get` gives it, `set` reads it back); an option is greyed out where
/// `disabled` says so.
#[component]
pub fn Select<T: Send + Sync + 'static>(
    state: RwSignal<T>,
    id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    get: fn(&T) -> String,
    set: fn(&mut T, &str),
    #[prop(optional)] disabled: Option<fn(&T, &str) -> bool>,
    #[prop(optional)] describedby: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <select
            id=id
            aria-describedby=describedby
            // The options' `selected` picks the first value; the property follows the
            // state after that (an attribute no longer moves a select the user touched).
            prop:value=move || state.with(get)
            on:change=move |ev| {
                let chosen = event_target_value(&ev);
                state.update(|s| set(s, &chosen));
            }
        >
            {options
                .into_iter()
                .map(|(value, text)| {
                    let (v1, v2) = (value.clone(), value.clone());
                    view! {
                        <option
                            value=value
                            selected=move || state.with(get) == v1
                            disabled=move || disabled.is_some_and(|off| state.with(|s| off(s, &v2)))
                        >
                            {text}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// A labelled checkbox bound to one boolean of `state`.
#[component]
pub fn Check<T: Send + Sync + 'static>(
    state: RwSignal<T>,
    get: fn(&T) -> bool,
    set: fn(&mut T, bool),
    label: &'static str,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class=class>
            <input
                type="checkbox"
                prop:checked=move || state.with(get)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    state.update(|s| set(s, on));
                }
            />
            {label}
        </label>
    }
}

/// A labelled textarea for a list of URLs, one per line, bound to one string of `state`.
#[component]
pub fn UrlList<T: Send + Sync + 'static>(
    state: RwSignal<T>,
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    get: fn(&T) -> &String,
    set: fn(&mut T, String),
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <textarea
            id=id
            rows="2"
            placeholder=placeholder
            prop:value=move || state.with(|s| get(s).clone())
            on:input=move |ev| {
                let v = event_target_value(&ev);
                state.update(|s| set(s, v));
            }
        ></textarea>
    }
}

/// The problems shown beside one control: quiet ones only once sending was attempted.
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
