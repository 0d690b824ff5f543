//! The app's views, one file each; `App` lists them (one entry per view).

pub mod video;
