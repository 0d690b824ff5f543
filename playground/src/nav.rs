//! The views the nav lists, in order. The first (one video) is in the first load, but for
//! its task side (run, result, history); the others (films, variations, batches: the job
//! engine and three views) and that task side are a second app, `jobs` (`jobs_app`),
//! loaded the first time one is needed.

/// The views' names, in the nav's order.
pub const VIEWS: [&str; 4] = ["One video", "Film", "Variations", "Batch"];

/// The position of the view named `label` (the first when unknown).
pub fn view_index(label: &str) -> usize {
    VIEWS.iter().position(|v| *v == label).unwrap_or(0)
}

/// Whether view `i` is in the jobs app (loaded on first use).
pub fn is_lazy(i: usize) -> bool {
    i > 0 && i < VIEWS.len()
}

/// The global through which the first app shares its state with the jobs app
/// (`crate::bridge`).
pub const GLOBAL: &str = "__seedance";

/// The global the jobs app sets up once loaded (`show`, `start`, `watch`: see `jobs_app`).
pub const JOBS_GLOBAL: &str = "__seedanceJobs";
