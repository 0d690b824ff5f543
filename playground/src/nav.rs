//! The views the nav lists, in order, and the names the two apps find each other by. The
//! first view (one video) is in the first load, but for its run and result; the others
//! (films, variations, batches: the job engine and three views) and that run and result
//! are a second app, `jobs` (`jobs_app`), loaded the first time one is needed.

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

/// `name` as a build named `hash` calls it (`scripts/post-build`): the hash before `_bg.wasm`
/// or else before the extension.
///
/// ```
/// use seedance_playground::nav::built_name;
/// assert_eq!(built_name("jobs.js", "ab12"), "jobs-ab12.js");
/// assert_eq!(built_name("jobs_bg.wasm", "ab12"), "jobs-ab12_bg.wasm");
/// assert_eq!(built_name("muxer_loader.js", "ab12"), "muxer_loader-ab12.js");
/// ```
pub fn built_name(name: &str, hash: &str) -> String {
    let at = name
        .strip_suffix("_bg.wasm")
        .map(str::len)
        .or_else(|| name.rfind('.'))
        .unwrap_or(name.len());
    format!("{}-{hash}{}", &name[..at], &name[at..])
}
