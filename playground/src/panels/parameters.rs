//! The request's parameters: model, resolution, ratio, duration, seed, and the switches
//! (audio, watermark, last frame), each with its problems beside it.

use leptos::prelude::*;

use seedance::validate::DURATION_RANGE;
use seedance::{Model, Ratio, Resolution};

use crate::check::{Checked, Control};
use crate::fields::{Check, Problems, Select, TextField};
use crate::form::Form;
use crate::words::{model_label, resolution_note};

/// Named values as select options, their wire string as the text.
fn wire<V: std::fmt::Display>(all: &[V]) -> Vec<(String, String)> {
    all.iter().map(|v| (v.to_string(), v.to_string())).collect()
}

/// Model, resolution, ratio, duration, audio, seed, watermark, last frame.
#[component]
pub fn Parameters(
    form: RwSignal<Form>,
    checked: Memo<Checked>,
    attempted: RwSignal<bool>,
) -> impl IntoView {
    let models = [Model::Fast, Model::Standard]
        .into_iter()
        .map(|m| {
            let label = model_label(&m);
            (m.to_string(), label)
        })
        .collect();
    let (first, last) = (*DURATION_RANGE.start(), *DURATION_RANGE.end());
    let durations = std::iter::once(("-1".into(), format!("Auto (model picks {first}–{last} s)")))
        .chain(DURATION_RANGE.map(|d| (d.to_string(), format!("{d} s"))))
        .collect();
    let note = move || form.with(|f| resolution_note(&f.model, &Resolution::P1080));
    view! {
        <div class="params">
            <div class="field">
                <Select
                    state=form
                    id="model"
                    label="Model"
                    options=models
                    get=|f| f.model.to_string()
                    set=|f, m| {
                        f.model = Model::from(m);
                        if !f.model.resolutions().contains(&f.resolution) {
                            f.resolution = Resolution::P720;
                        }
                    }
                />
                <Problems checked control=Control::Model attempted id="model-problems" />
            </div>
            <div class="field">
                <Select
                    state=form
                    id="resolution"
                    label="Resolution"
                    options=wire(Resolution::ALL)
                    get=|f| f.resolution.to_string()
                    set=|f, r| f.resolution = Resolution::from(r)
                    disabled=|f, r| !f.model.resolutions().contains(&Resolution::from(r))
                    describedby="resolution-note resolution-problems"
                />
                <p class="note" id="resolution-note">{note}</p>
                <Problems checked control=Control::Resolution attempted id="resolution-problems" />
            </div>
            <div class="field">
                <Select
                    state=form
                    id="ratio"
                    label="Ratio"
                    options=wire(Ratio::ALL)
                    get=|f| f.ratio.to_string()
                    set=|f, r| f.ratio = Ratio::from(r)
                />
                <Problems checked control=Control::Ratio attempted id="ratio-problems" />
            </div>
            <div class="field">
                <Select
                    state=form
                    id="duration"
                    label="Duration"
                    options=durations
                    get=|f| f.duration.to_string()
                    set=|f, d| f.duration = d.parse().unwrap_or(5)
                />
                <Problems checked control=Control::Duration attempted id="duration-problems" />
            </div>
            <div class="field">
                <TextField
                    state=form
                    id="seed"
                    label="Seed"
                    get=|f| &f.seed
                    set=|f, v| f.seed = v
                    inputmode="numeric"
                    placeholder="random"
                    describedby="seed-problems"
                />
                <Problems checked control=Control::Seed attempted id="seed-problems" />
            </div>
            <div class="checks">
                <Check state=form get=|f| f.audio set=|f, on| f.audio = on label=" Generate audio" />
                <Check state=form get=|f| f.watermark set=|f, on| f.watermark = on label=" Watermark" />
                <Check
                    state=form
                    get=|f| f.last_frame
                    set=|f, on| f.last_frame = on
                    label=" Return last frame (to continue from it)"
                />
            </div>
        </div>
    }
}
