//! The Film view's storyboard as plain data: shots the user adds, removes, reorders and
//! edits (prompt, duration, continue or cut, an image for the first shot and cuts), the
//! core's [`Film`] they make with the compose form's settings, and its problems placed
//! beside the shot they concern (`shots[k].…`). The view (`pages::film`) only binds it.

use serde::{Deserialize, Serialize};

use seedance::jobs::Film;
use seedance::validate::{Limits, Severity};
use seedance::{estimate, Estimate, PriceTable};

use crate::check::describe;
use crate::form::{Form, ImageSlot};

/// One shot being edited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShotDraft {
    /// A stable id for the view's list (shots move; their ids don't).
    pub id: u32,
    /// What happens in the shot.
    pub prompt: String,
    /// Whole seconds, 4..=15.
    pub duration: i64,
    /// A fresh shot instead of continuing from the previous one's last frame.
    pub cut: bool,
    /// The first frame of a fresh shot (the first shot, or a cut).
    pub image: ImageSlot,
}

impl Default for ShotDraft {
    fn default() -> Self {
        ShotDraft {
            id: 0,
            prompt: String::new(),
            duration: 5,
            cut: false,
            image: ImageSlot::default(),
        }
    }
}

/// The shots, in order, and the next id to give.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Storyboard {
    /// The shots (at least one).
    pub shots: Vec<ShotDraft>,
    /// The id the next added shot gets.
    pub next_id: u32,
}

impl Default for Storyboard {
    fn default() -> Self {
        Storyboard {
            shots: vec![ShotDraft::default()],
            next_id: 1,
        }
    }
}

/// A problem of the film, beside a shot (`Some(k)`) or the film as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct ShotProblem {
    /// The shot it concerns, by position.
    pub shot: Option<usize>,
    /// The issue's path, such as `shots[2].duration`.
    pub path: String,
    /// What to show.
    pub message: String,
    /// Blocks running the film.
    pub blocking: bool,
    /// Shown only once Run was pressed (a new shot's empty prompt is not an error yet).
    pub quiet: bool,
}

/// The film the storyboard makes, checked: what the Film view shows before running.
#[derive(Clone, Debug, PartialEq)]
pub struct FilmCheck {
    /// The film (run only when `ok`).
    pub film: Film,
    /// Every problem, each with its shot.
    pub problems: Vec<ShotProblem>,
    /// The whole film's estimate (money too when prices are set).
    pub estimate: Estimate,
}

impl FilmCheck {
    /// Whether the film may run.
    pub fn ok(&self) -> bool {
        !self.problems.iter().any(|p| p.blocking)
    }

    /// The problems beside shot `k` (`None`: the film's own).
    pub fn at(&self, k: Option<usize>) -> Vec<ShotProblem> {
        self.problems
            .iter()
            .filter(|p| p.shot == k)
            .cloned()
            .collect()
    }
}

impl Storyboard {
    /// The position of the shot with this id.
    pub fn index_of(&self, id: u32) -> Option<usize> {
        self.shots.iter().position(|s| s.id == id)
    }

    /// Add a shot at the end (it continues the one before).
    pub fn add(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        let duration = self.shots.last().map_or(5, |s| s.duration);
        self.shots.push(ShotDraft {
            id,
            duration,
            ..ShotDraft::default()
        });
        id
    }

    /// Remove shot `id` (the last one stays: a film has at least one shot).
    pub fn remove(&mut self, id: u32) {
        if self.shots.len() > 1 {
            self.shots.retain(|s| s.id != id);
        }
    }

    /// Move shot `id` one place earlier (`-1`) or later (`1`); at an end, nothing moves.
    pub fn step(&mut self, id: u32, by: isize) {
        let Some(k) = self.index_of(id) else { return };
        let to = k as isize + by;
        if to >= 0 && (to as usize) < self.shots.len() {
            self.shots.swap(k, to as usize);
        }
    }

    /// Change shot `id` in place.
    pub fn edit(&mut self, id: u32, f: impl FnOnce(&mut ShotDraft)) {
        if let Some(s) = self.shots.iter_mut().find(|s| s.id == id) {
            f(s);
        }
    }

    /// Whether the shot at `k` starts fresh (the first, or a cut): only those take an image.
    pub fn is_fresh(&self, k: usize) -> bool {
        k == 0 || self.shots.get(k).is_some_and(|s| s.cut)
    }

    /// The film: these shots with the compose form's shared settings (model, resolution,
    /// ratio, audio, seed, watermark).
    pub fn film(&self, form: &Form) -> Film {
        Film {
            model: form.model.clone(),
            resolution: form.resolution.clone(),
            ratio: form.ratio.clone(),
            generate_audio: form.audio,
            seed: form.seed.trim().parse().ok(),
            watermark: form.watermark.then_some(true),
            shots: self
                .shots
                .iter()
                .enumerate()
                .map(|(k, s)| seedance::jobs::Shot {
                    prompt: s.prompt.trim().to_owned(),
                    duration: s.duration,
                    cut: k > 0 && s.cut,
                    image: s.image.effective(),
                })
                .collect(),
        }
    }

    /// Make the film, validate it and estimate it.
    pub fn check(&self, form: &Form, limits: &Limits, prices: Option<&PriceTable>) -> FilmCheck {
        let film = self.film(form);
        let problems = film
            .validate(limits)
            .issues
            .iter()
            .map(|issue| ShotProblem {
                shot: shot_of(&issue.field),
                path: issue.field.clone(),
                message: if matches!(issue.rule.as_str(), "content.text_empty" | "content.empty") {
                    "Write a prompt (or give the shot an image).".to_owned()
                } else {
                    describe(issue)
                },
                blocking: issue.severity == Severity::Error,
                quiet: matches!(issue.rule.as_str(), "content.text_empty" | "content.empty"),
            })
            .collect();
        let plan = film.plan();
        let estimate =
            seedance::jobs::sum_estimates(plan.jobs.iter().map(|j| estimate(&j.request, prices)));
        FilmCheck {
            film,
            problems,
            estimate,
        }
    }

    /// The storyboard a film was made from (after a reload: the saved film's shots).
    pub fn from_film(film: &Film) -> Storyboard {
        let shots: Vec<ShotDraft> = film
            .shots
            .iter()
            .enumerate()
            .map(|(k, s)| ShotDraft {
                id: k as u32,
                prompt: s.prompt.clone(),
                duration: s.duration,
                cut: s.cut,
                image: ImageSlot::from_url(s.image.clone().unwrap_or_default()),
            })
            .collect();
        Storyboard {
            next_id: shots.len() as u32,
            shots,
        }
    }
}

/// `shots[2].duration` → `Some(2)`; a film-wide field → `None`.
pub fn shot_of(field: &str) -> Option<usize> {
    field
        .strip_prefix("shots[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

/// The shot's label in the view: "Shot 2 · continues" / "Shot 3 · cut".
pub fn shot_label(board: &Storyboard, k: usize) -> String {
    let how = if k == 0 {
        "opens the film"
    } else if board.is_fresh(k) {
        "cut"
    } else {
        "continues from shot before"
    };
    format!("Shot {} · {how}", k + 1)
}
