//! A list of jobs to run: what each creates, what it waits for, and what it costs.
//!
//! Films, batches and variations all become a [`JobPlan`]; the engine and the journal know
//! nothing else about them.

use serde::Serialize;

use crate::cost::{estimate, Estimate, PriceTable};
use crate::types::{CreateTaskRequest, Ratio, Task};

/// One task to create.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Job {
    /// A stable key for the journal: `shots[2]`, `jobs[7]`, a batch line's name.
    pub key: String,
    /// The request. For a job that [`continues`](Self::continues) another, it carries no
    /// first frame yet: the runner adds the predecessor's last frame before the create.
    pub request: CreateTaskRequest,
    /// The index of the job whose last frame this one starts from.
    pub continues: Option<usize>,
}

impl Job {
    /// A job with no predecessor.
    pub fn new(key: impl Into<String>, request: CreateTaskRequest) -> Self {
        Job {
            key: key.into(),
            request,
            continues: None,
        }
    }

    /// A fingerprint of what this job asks for, to tell an edited job from the one a
    /// journal ran (FNV-1a 64 of the request's JSON and the predecessor's key; not a
    /// security hash). For a continued job the predecessor's *task* is checked apart, by
    /// the journal's `from_task`.
    pub fn fingerprint(&self) -> String {
        let mut h = Fnv::default();
        h.write(crate::types::codec::request::request_text(&self.request).as_bytes());
        if let Some(p) = self.continues {
            h.write(b"\x00continues\x00");
            h.write(p.to_string().as_bytes());
        }
        format!("{:016x}", h.0)
    }

    /// Whether a listed task could be the one this job's create made: every setting the
    /// task reports agrees with the request's (those the server picks are not compared).
    pub fn could_have_made(&self, task: &Task) -> bool {
        fn agrees<T: PartialEq>(reported: &Option<T>, asked: Option<&T>) -> bool {
            match (reported, asked) {
                (Some(r), Some(a)) => r == a,
                _ => true,
            }
        }
        let request = &self.request;
        let fixed_ratio = request.ratio.as_ref().filter(|r| **r != Ratio::Adaptive);
        let fixed_duration = request.duration.as_ref().filter(|d| **d > 0);
        let fixed_seed = request.seed.as_ref().filter(|s| **s >= 0);
        agrees(&task.resolution, request.resolution.as_ref())
            && agrees(&task.ratio, fixed_ratio)
            && agrees(&task.duration, fixed_duration)
            && agrees(&task.seed, fixed_seed)
            && agrees(&task.generate_audio, Some(&request.generate_audio))
    }
}

/// The jobs of one run, in order, with what their tasks may cost.
///
/// ```
/// use seedance::jobs::{Job, JobPlan};
/// use seedance::{CreateTaskRequest, Model, Resolution, Ratio};
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "waves")
///     .with_resolution(Resolution::P720).with_ratio(Ratio::R16x9).with_duration(5);
/// let plan = JobPlan::new(vec![Job::new("jobs[0]", req.clone()), Job::new("jobs[1]", req)]);
/// assert_eq!(plan.estimate(None).tokens_max, 2 * 108_900);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct JobPlan {
    /// The jobs; a job continues only from an earlier one.
    pub jobs: Vec<Job>,
}

impl JobPlan {
    /// A plan of these jobs.
    pub fn new(jobs: Vec<Job>) -> Self {
        JobPlan { jobs }
    }

    /// The whole plan's estimate: the sum of its jobs' (money too when every job has a
    /// price in the table).
    pub fn estimate(&self, prices: Option<&PriceTable>) -> Estimate {
        sum_estimates(self.jobs.iter().map(|j| estimate(&j.request, prices)))
    }

    /// The jobs that another job continues from: they must return their last frame.
    pub fn continued_from(&self) -> impl Iterator<Item = usize> + '_ {
        self.jobs.iter().filter_map(|j| j.continues)
    }
}

/// The sum of several estimates: tokens, seconds and money add up; the size is the first's.
pub fn sum_estimates(estimates: impl IntoIterator<Item = Estimate>) -> Estimate {
    let mut total: Option<Estimate> = None;
    for e in estimates {
        total = Some(match total {
            None => e,
            Some(mut t) => {
                t.tokens_min += e.tokens_min;
                t.tokens_max += e.tokens_max;
                t.seconds_min += e.seconds_min;
                t.seconds_max += e.seconds_max;
                t.price = match (t.price, e.price) {
                    (Some(mut a), Some(b)) if a.currency == b.currency => {
                        a.min += b.min;
                        a.max += b.max;
                        Some(a)
                    }
                    _ => None,
                };
                t
            }
        });
    }
    total.unwrap_or(Estimate {
        tokens_min: 0,
        tokens_max: 0,
        seconds_min: 0,
        seconds_max: 0,
        width: 0,
        height: 0,
        price: None,
    })
}

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}
