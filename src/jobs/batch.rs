//! A batch: many create requests run as one job list, and variations (one request, N seeds).

use serde::{Deserialize, Serialize};

use super::plan::{Job, JobPlan};
use crate::cost::{Estimate, PriceTable};
use crate::types::CreateTaskRequest;
use crate::validate::{validate, Issue, Limits, Validation};

/// One request of a [`Batch`], with an optional name (never sent: it names the result).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchJob {
    /// A name for the result; the journal key too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The request.
    pub request: CreateTaskRequest,
}

/// Many requests to run together.
///
/// ```
/// use seedance::jobs::Batch;
/// use seedance::{CreateTaskRequest, Limits, Model, Ratio, Resolution};
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "a lighthouse in a storm")
///     .with_resolution(Resolution::P720).with_ratio(Ratio::R16x9).with_duration(5);
/// let batch = Batch::variations(&req, 4, 7);
/// let seeds: Vec<_> = batch.jobs.iter().map(|j| j.request.seed.unwrap()).collect();
/// assert_eq!(seeds.len(), 4);
/// assert!(seeds.iter().all(|s| seeds.iter().filter(|t| *t == s).count() == 1));
/// assert!(batch.validate(&Limits::default()).is_ok());
/// assert_eq!(batch.estimate(None).tokens_max, 4 * 108_900);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// The requests, in order.
    pub jobs: Vec<BatchJob>,
}

impl Batch {
    /// A batch of unnamed requests.
    pub fn new(requests: impl IntoIterator<Item = CreateTaskRequest>) -> Self {
        Batch {
            jobs: requests
                .into_iter()
                .map(|request| BatchJob {
                    name: None,
                    request,
                })
                .collect(),
        }
    }

    /// `n` copies of `request` with distinct seeds, named `seed-<seed>`: counting up from
    /// the request's own seed when it has one (≥ 0), else drawn from `random` (any number:
    /// the caller's randomness; the same number gives the same seeds).
    pub fn variations(request: &CreateTaskRequest, n: usize, random: u64) -> Self {
        const SEEDS: u64 = 1 << 32;
        let first = match request.seed {
            Some(s) if s >= 0 => s as u64,
            _ => splitmix(random) % SEEDS,
        };
        let jobs = (0..n as u64)
            .map(|i| {
                let seed = ((first + i) % SEEDS) as i64;
                BatchJob {
                    name: Some(format!("seed-{seed}")),
                    request: request.clone().with_seed(seed),
                }
            })
            .collect();
        Batch { jobs }
    }

    /// The journal key of job `i`: its name, or `jobs[i]` (0-based).
    pub fn key(&self, i: usize) -> String {
        match &self.jobs[i].name {
            Some(name) => name.clone(),
            None => format!("jobs[{i}]"),
        }
    }

    /// Check every request at once: issues carry `jobs[i].` before the request's own field
    /// (`jobs[7].content[0].text`, 0-based); two jobs with one name are refused.
    pub fn validate(&self, limits: &Limits) -> Validation {
        let mut issues = Vec::new();
        if self.jobs.is_empty() {
            issues.push(Issue::error(
                "jobs",
                "batch.jobs",
                "none",
                "at least one job",
            ));
        }
        for (i, job) in self.jobs.iter().enumerate() {
            if let Some(name) = &job.name {
                let first = self.jobs.iter().position(|j| j.name.as_ref() == Some(name));
                if name.trim().is_empty() {
                    issues.push(Issue::error(
                        format!("jobs[{i}].name"),
                        "batch.name",
                        "an empty name",
                        "a name with at least one visible character, or no name",
                    ));
                } else if let Some(j) = first.filter(|&j| j < i) {
                    issues.push(Issue::error(
                        format!("jobs[{i}].name"),
                        "batch.name",
                        format!("{name:?}, already the name of jobs[{j}]"),
                        "a name no other job has (it names the result file)",
                    ));
                }
            }
            for mut issue in validate(&job.request, limits).issues {
                issue.field = format!("jobs[{i}].{}", issue.field);
                issues.push(issue);
            }
        }
        crate::validate::errors_first(&mut issues);
        Validation { mode: None, issues }
    }

    /// The jobs, keyed by [`key`](Self::key); none continues another.
    pub fn plan(&self) -> JobPlan {
        JobPlan::new(
            (0..self.jobs.len())
                .map(|i| Job::new(self.key(i), self.jobs[i].request.clone()))
                .collect(),
        )
    }

    /// The total estimate: `tokens_max` is the worst case.
    pub fn estimate(&self, prices: Option<&PriceTable>) -> Estimate {
        self.plan().estimate(prices)
    }
}

/// One step of SplitMix64: spreads any input over all 64 bits.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
