//! The app's views, one file each; `App` lists them (one entry per view).

pub mod batch;
pub mod film;
pub mod task;
pub mod variations;
pub mod video;
