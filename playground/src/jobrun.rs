//! Runs a film, a batch or variations in the page: the core's engine (`run_jobs`) over the
//! `Client`, with the journal and the clips in IndexedDB, so a reload resumes and never
//! creates a job whose task exists. What to show is in signals; the decisions are the
//! core's and [`crate::runs`]'s.

use std::collections::HashMap;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::jobs::{run_jobs, JobState, JobStore, Journal, RunEvent, RunOptions};
use seedance::{Client, Error, Task};

use crate::runs::{self, RunSource};
use crate::web::{blob_url, idb, lock, now_ms};

/// One view's run: its journal, the tasks as last seen, the clips' blob URLs, and notes.
#[derive(Clone, Copy)]
pub struct JobRun {
    /// The IndexedDB prefix: `film`, `batch`, `variations`.
    pub prefix: &'static str,
    /// What runs (kept to resume).
    pub source: RwSignal<Option<RunSource>>,
    /// The journal as last saved.
    pub journal: RwSignal<Option<Journal>>,
    /// Each job's task as last seen (by job index).
    pub tasks: RwSignal<HashMap<usize, Task>>,
    /// Blob URLs of kept clips and frames, by their IndexedDB key.
    pub media: RwSignal<HashMap<String, String>>,
    /// What happened that the user should read (problems, stops, cancels).
    pub notes: RwSignal<Vec<String>>,
    /// Whether the engine runs now.
    pub busy: RwSignal<bool>,
    abort: StoredValue<Option<AbortHandle>>,
    /// A create is on its way (its POST sent, no answer yet).
    creating: StoredValue<bool>,
    /// Cancel was asked for while a create was on its way: it happens once the answer is
    /// in the journal, so the new task is deleted too rather than left queued and billed.
    cancelling: StoredValue<bool>,
    client: StoredValue<Option<(Client, RunOptions)>, LocalStorage>,
}

impl JobRun {
    /// A run kept under `prefix`, nothing loaded yet.
    pub fn new(prefix: &'static str) -> Self {
        JobRun {
            prefix,
            source: RwSignal::new(None),
            journal: RwSignal::new(None),
            tasks: RwSignal::new(HashMap::new()),
            media: RwSignal::new(HashMap::new()),
            notes: RwSignal::new(Vec::new()),
            busy: RwSignal::new(false),
            abort: StoredValue::new(None),
            creating: StoredValue::new(false),
            cancelling: StoredValue::new(false),
            client: StoredValue::new_local(None),
        }
    }

    fn key(self, what: &str) -> String {
        format!("{}.{what}", self.prefix)
    }

    /// Tell the user something about the run.
    pub fn note(self, text: impl Into<String>) {
        self.notes.update(|n| n.push(text.into()));
    }

    /// The saved run, brought in line with its plan, shown; `None` when there is none.
    pub async fn restore(self) -> Option<RunSource> {
        let source: RunSource = serde_json::from_str(&idb::get(&self.key("source")).await?).ok()?;
        let saved = idb::get(&self.key("journal"))
            .await
            .and_then(|t| serde_json::from_str::<Journal>(&t).ok());
        let journal = source.journal(saved).ok()?;
        for r in &journal.jobs {
            for k in [&r.file, &r.frame_file].into_iter().flatten() {
                self.load_media(k.clone()).await;
            }
        }
        self.journal.set(Some(journal));
        self.source.set(Some(source.clone()));
        Some(source)
    }

    async fn load_media(self, key: String) {
        if let Some(bytes) = idb::get_value(&key).await {
            let mime = if key.contains(".frame.") {
                "image/png"
            } else {
                "video/mp4"
            };
            if let Some(url) = blob_url(&bytes, mime) {
                self.media.update(|m| {
                    m.insert(key, url);
                });
            }
        }
    }

    /// Run `source` (resuming `journal`). **This spends money.**
    pub fn start(self, client: Client, options: RunOptions, source: RunSource, journal: Journal) {
        self.stop();
        let (handle, registration) = AbortHandle::new_pair();
        self.abort.set_value(Some(handle));
        self.client
            .set_value(Some((client.clone(), options.clone())));
        self.source.set(Some(source.clone()));
        self.journal.set(Some(journal.clone()));
        self.busy.set(true);
        spawn_local(async move {
            // One run per journal in this browser: another tab may be running this one.
            // (A run of this page that just stopped lets go of it within milliseconds.)
            let name = format!("seedance-playground.{}", self.prefix);
            let mut held = None;
            for _ in 0..10 {
                held = lock::try_lock(&name).await;
                if held.is_some() {
                    break;
                }
                gloo_timers::future::sleep(std::time::Duration::from_millis(100)).await;
            }
            let Some(_lock) = held else {
                self.note("This run goes on in another tab of this browser: watch it there (nothing is created twice). Close that tab, then Resume here.");
                self.busy.set(false);
                return;
            };
            let text = serde_json::to_string(&source).unwrap_or_default();
            if let Err(e) = idb::put(&self.key("source"), &text).await {
                self.note(format!(
                    "The browser refused to keep the run ({e:?}): nothing was sent."
                ));
                self.busy.set(false);
                return;
            }
            let plan = source.plan();
            let mut journal = journal;
            let mut store = Store(self);
            let mut on_event = |e: &RunEvent| self.event(e);
            let work = run_jobs(
                &plan,
                &mut journal,
                &client,
                &mut store,
                &options,
                &mut on_event,
            );
            let Ok(result) = Abortable::new(work, registration).await else {
                return;
            };
            self.busy.set(false);
            match result {
                Ok(report) => {
                    for (i, e) in report.given_up {
                        let key = plan
                            .jobs
                            .get(i)
                            .map_or(String::new(), |j| runs::key_words(&j.key));
                        self.note(format!("{key}: gave up for now ({e})."));
                    }
                    let unread = journal.count(JobState::Succeeded);
                    if unread > 0 {
                        self.note(format!(
                            "The page could not read {unread} finished video(s): the result host may send no CORS headers, so a page can't read its files. They play by URL here. To keep or join clips in the page, make them through \"Your proxy\": it relays results through media links a page can read. (A network hiccup? Resume tries again, creating nothing twice.)"
                        ));
                    }
                }
                Err(Error::Aborted { .. }) => {}
                Err(e) => self.note(format!("The run stopped: {e}")),
            }
        });
    }

    fn event(self, e: &RunEvent) {
        // The engine acts one step at a time: the event after `Creating` is that create's
        // answer (or its failure).
        self.creating
            .set_value(matches!(e, RunEvent::Creating { .. }));
        match e {
            RunEvent::Status { job, task } => self.tasks.update(|t| {
                t.insert(*job, task.as_ref().clone());
            }),
            RunEvent::Problem { message, .. } => self.note(message.clone()),
            RunEvent::StoppedCreating { reason } => {
                self.note(format!("Creating stopped: {reason}"))
            }
            RunEvent::CreateDelayed { wait, reason, .. } => self.note(format!(
                "The server asked to wait {} s before the next create ({reason}).",
                wait.as_secs().max(1)
            )),
            _ => {}
        }
    }

    /// Stop the engine here (the journal keeps where each job stands).
    pub fn stop(self) {
        if let Some(h) = self.abort.get_value() {
            h.abort();
        }
        self.abort.set_value(None);
        self.busy.set(false);
    }

    /// Cancel: create nothing more, DELETE the queued tasks (free), and name the running
    /// ones (they finish and are billed; the run goes on waiting for them).
    ///
    /// While a create is on its way, the cancel waits for its answer (dropping the engine
    /// then would leave that task unknown to the journal, queued and later billed).
    pub fn cancel(self) {
        if self.busy.get_untracked() && self.creating.get_value() {
            if !self.cancelling.get_value() {
                self.cancelling.set_value(true);
                self.note("Cancelling: a create is on its way; its task is deleted as soon as it is answered.");
            }
            return;
        }
        self.cancelling.set_value(false);
        self.stop();
        let Some(mut journal) = self.journal.get_untracked() else {
            return;
        };
        let Some((client, options)) = self.client.get_value() else {
            return;
        };
        spawn_local(async move {
            let plan = runs::cancel_plan(&journal);
            runs::cancel_pending(&mut journal, now_ms() as u64);
            let mut running = plan.running;
            let mut deleted = 0;
            for (i, id) in plan.delete {
                match client.delete_task(&id).await {
                    Ok(()) => {
                        runs::deleted(&mut journal, i, now_ms() as u64);
                        deleted += 1;
                    }
                    Err(Error::NotCancellable { .. }) => {
                        running.push(runs::key_words(&journal.jobs[i].key))
                    }
                    Err(e) => self.note(format!(
                        "{}: the cancel failed ({e}).",
                        runs::key_words(&journal.jobs[i].key)
                    )),
                }
            }
            let _ = Store(self).save_journal(&journal).await;
            let mut text = format!("Cancelled: nothing more is created; {deleted} queued task(s) deleted (not billed).");
            if !running.is_empty() {
                text += &format!(
                    " Already running, so they finish and are billed: {}.",
                    running.join(", ")
                );
            }
            self.note(text);
            if let (Some(source), true) = (self.source.get_untracked(), runs::unfinished(&journal))
            {
                self.start(client, options, source, journal);
            }
        });
    }

    /// Forget the run's clips and frames (IndexedDB and blob URLs); the next run's
    /// journal replaces this one's.
    pub fn forget_results(self) {
        let journal = self.journal.get_untracked();
        self.media.update(|m| {
            for url in m.values() {
                let _ = web_sys::Url::revoke_object_url(url);
            }
            m.clear();
        });
        self.tasks.set(HashMap::new());
        spawn_local(async move {
            for r in journal.iter().flat_map(|j| &j.jobs) {
                for k in [&r.file, &r.frame_file].into_iter().flatten() {
                    let _ = idb::delete(k).await;
                }
            }
        });
    }

    /// Forget the run: its journal, its clips, its notes.
    pub fn clear(self) {
        self.stop();
        self.forget_results();
        self.journal.set(None);
        self.source.set(None);
        self.notes.set(Vec::new());
        spawn_local(async move {
            let _ = idb::delete(&self.key("source")).await;
            let _ = idb::delete(&self.key("journal")).await;
        });
    }

    /// Where job `i`'s video and last frame can be shown from: the kept bytes (blob URLs),
    /// else the task's own links (a host the page can't read still plays by URL).
    pub fn media_of(self, i: usize) -> (Option<String>, Option<String>) {
        let rec = self
            .journal
            .with(|j| j.as_ref().and_then(|j| j.jobs.get(i).cloned()));
        let Some(rec) = rec else { return (None, None) };
        let kept = |k: &Option<String>| {
            k.as_ref()
                .and_then(|k| self.media.with(|m| m.get(k).cloned()))
        };
        let task = self.tasks.with(|t| t.get(&i).cloned());
        let remote = |f: fn(&Task) -> Option<&str>| {
            task.as_ref()
                .filter(|_| matches!(rec.state, JobState::Succeeded | JobState::Downloaded))
                .and_then(|t| f(t).map(str::to_owned))
        };
        (
            kept(&rec.file).or_else(|| remote(Task::video_url)),
            kept(&rec.frame_file).or_else(|| remote(Task::last_frame_url)),
        )
    }
}

/// The journal and the results in IndexedDB.
struct Store(JobRun);

impl JobStore for Store {
    async fn save_journal(&mut self, journal: &Journal) -> Result<(), String> {
        let text = serde_json::to_string(journal).map_err(|e| e.to_string())?;
        idb::put(&self.0.key("journal"), &text)
            .await
            .map_err(|e| format!("IndexedDB refused the journal ({e:?})"))?;
        self.0.journal.set(Some(journal.clone()));
        let run = self.0;
        if run.cancelling.get_value() && !run.creating.get_value() {
            // The create's answer is saved: stop the engine before its next create (it has
            // not sent one yet: the next await is that create's journal entry) and cancel.
            run.stop();
            spawn_local(async move { run.cancel() });
        }
        Ok(())
    }

    async fn save_result(
        &mut self,
        key: &str,
        task: &Task,
        video: Vec<u8>,
        frame: Option<Vec<u8>>,
    ) -> Result<(String, Option<String>), String> {
        let run = self.0;
        let put = |what: &'static str, bytes: Vec<u8>| async move {
            let k = run.key(&format!("{what}.{key}.{}", task.id));
            let value = js_sys::Uint8Array::from(&bytes[..]);
            idb::put_value(&k, &value)
                .await
                .map_err(|e| format!("IndexedDB refused the {what} ({e:?})"))?;
            run.load_media(k.clone()).await;
            Ok::<_, String>(k)
        };
        let file = put("clip", video).await?;
        let frame_file = match frame {
            Some(f) => Some(put("frame", f).await?),
            None => None,
        };
        Ok((file, frame_file))
    }
}
