//! `concat CLIP.mp4... --out FILM.mp4`: join clips without re-encoding (no key needed).

use std::path::PathBuf;

use crate::ctx::Ctx;
use crate::failure::{Failure, EXIT_USAGE};
use crate::join::{check_out, join_files};

/// join MP4 clips into one film without re-encoding (no key needed)
#[derive(clap::Args, Debug)]
#[command(
    before_help = "\
Joins the clips in the order given into one progressive MP4 (moov first), without
re-encoding: the video frames and the sound are copied, and the timestamps run on across
the seams. The clips must share one video encoding (same size and codec settings: clips of
one model, resolution and ratio do) and one audio format; a clip without sound gets
silence. Exit 2 when a clip can't be read or joined (the message names it).",
    after_help = "\
Examples:
  seedance concat fox.mp4.shots/shots-0-*.mp4 fox.mp4.shots/shots-1-*.mp4 --out fox.mp4
  seedance concat a.mp4 b.mp4 c.mp4 -o abc.mp4"
)]
pub struct Args {
    /// the clips, in order
    #[arg(value_name = "CLIP.mp4", required = true)]
    pub clips: Vec<PathBuf>,
    /// the film to write
    #[arg(short, long, value_name = "FILM.mp4", required = true)]
    pub out: PathBuf,
}

pub async fn run(_ctx: &Ctx, a: Args) -> Result<(), Failure> {
    check_out(&a.out)?;
    join_files(&a.clips, &a.out).map_err(|e| e.failure(EXIT_USAGE))?;
    println!("{}", a.out.display());
    Ok(())
}
