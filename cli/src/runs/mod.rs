//! Many tasks as one run (`batch`, `film`, `generate --variations`) on the core's job
//! engine (`seedance::jobs`): the run options (`args`), the journal and the results on disk
//! (`store`, `lock`), the run from journal to end (`session`), Ctrl-C (`drive`), progress
//! (`show`), the end and its exit code (`conclude`), and `--cancel` (`cancel`). A command
//! builds a [`Spec`] (its plan and how its jobs are named and kept) and drives a
//! [`Session`]. Imports no command.

mod args;
mod cancel;
mod conclude;
mod drive;
mod lock;
mod session;
mod show;
mod store;

pub use args::{RunArgs, RunFlags};
pub use conclude::FilmOut;
pub use session::{Session, Spec};
pub use store::{safe_name, write_atomic};
