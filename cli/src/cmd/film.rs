//! `film PLAN.json --out FILM.mp4`: shots chained by their last frames, run on the core's
//! job engine, their clips joined into one MP4.

use std::path::{Path, PathBuf};

use seedance::jobs::Film;
use seedance::{Limits, MediaKind};

use crate::cost::PriceArgs;
use crate::ctx::Ctx;
use crate::failure::{Failure, EXIT_FAILED};
use crate::join::{self, join_files};
use crate::media;
use crate::request;
use crate::runs::{FilmOut, RunArgs, RunFlags, Session, Spec};

/// make a film: shots that continue from each other's last frame, joined into one MP4   [spends money]
#[derive(clap::Args, Debug)]
#[command(
    before_help = "\
PLAN.json names the model, resolution, ratio and sound of every shot and lists the shots:
each continues from the previous shot's last frame unless it is a cut (\"cut\": true; the
first shot always starts fresh, from its prompt or its \"image\"). Unknown fields are errors.
Every shot is checked first (nothing is sent if any problem), the estimate and the worst
case are printed and confirmed (or --yes). Clips go to FILM.mp4.shots/ (shots-<k>-<task
id>.mp4 and the last frame beside it), the journal to FILM.mp4.journal.json: the same
command again resumes and creates only what is missing or was edited. FILM.mp4 is written
once every shot succeeded, by joining the clips in order (no re-encoding). Ctrl-C stops
creating and waiting, keeps every task and says how to resume.",
    after_help = PLAN_HELP
)]
pub struct Args {
    /// the plan (JSON; see below)
    #[arg(value_name = "PLAN.json")]
    pub plan: PathBuf,
    /// the film to write once every shot succeeded
    #[arg(short, long, value_name = "FILM.mp4", required = true)]
    pub out: PathBuf,
    /// the journal [default: FILM.mp4.journal.json]
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub flags: RunFlags,
    #[command(flatten)]
    pub price: PriceArgs,
}

const PLAN_HELP: &str = "\
The plan:
  {
    \"model\": \"doubao-seedance-2-0-fast-260128\", \"resolution\": \"720p\", \"ratio\": \"16:9\",
    \"generate_audio\": false,
    \"seed\": 42,                      (optional: one seed for every shot)
    \"watermark\": false,              (optional)
    \"shots\": [
      { \"prompt\": \"a fox wakes up in its den\", \"duration\": 5, \"image\": \"den.png\" },
      { \"prompt\": \"it steps out into the snow\", \"duration\": 4 },
      { \"prompt\": \"an owl watches from a pine\", \"duration\": 6, \"cut\": true }
    ]
  }
An image is a file (relative to the plan; sent as a data: URL) or a URL, and only on the
first shot or a cut. Durations are whole seconds, 4..15. With \"ratio\": \"adaptive\" every
fresh shot needs an image, all of one ratio (clips of different sizes can't be joined).

Examples:
  seedance film fox.json --out fox.mp4 --yes
  seedance film fox.json --out fox.mp4 --max-tokens 400000 --json";

pub async fn run(ctx: &Ctx, a: Args) -> Result<(), Failure> {
    let film = read_plan(&a.plan, &ctx.limits())?;
    join::check_out(&a.out)?;
    let journal = a
        .journal
        .clone()
        .unwrap_or_else(|| suffixed(&a.out, ".journal.json"));
    let plan = film.plan();
    let keys: Vec<String> = plan.jobs.iter().map(|j| j.key.clone()).collect();
    let spec = Spec {
        kind: "film",
        noun: ("shot", "shots"),
        labels: keys.clone(),
        names: vec![None; keys.len()],
        stems: keys
            .iter()
            .map(|k| k.replace('[', "-").replace(']', ""))
            .collect(),
        journal,
        results: suffixed(&a.out, ".shots"),
        plan,
    };
    let client = ctx.client()?;
    if a.flags.cancel {
        return Session::open(spec, None)?.cancel(&client).await;
    }
    let mut session = Session::open(spec, Some(&a.run))?;
    session.check_budget(a.run.max_tokens)?;
    session.print_estimate(&a.price);
    session.confirm(a.flags.yes, "film")?;
    let ended = session.run(&client, &a.run, a.flags.poll_interval).await;
    let written = session.all_done().then(|| write_film(&session, &a.out));
    let film = FilmOut {
        path: &a.out,
        written,
    };
    session.conclude(ended, a.flags.json, Some(film))
}

/// The plan file as a checked [`Film`], its image files read into `data:` URLs.
fn read_plan(path: &Path, limits: &Limits) -> Result<Film, Failure> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("{shown}: can't read the plan: {e}")))?;
    let mut film: Film = serde_json::from_str(&text).map_err(|e| {
        Failure::usage(format!("{shown}: {e}; nothing was sent"))
            .hint("the plan's format: seedance film --help")
    })?;
    let dir = path.parent().unwrap_or(Path::new(""));
    film.resolve_images(|image| {
        media::file_url(&dir.join(image), MediaKind::Image, limits)
            .map_err(|e| format!("{image}: {}", e.why))
    })
    .map_err(|(field, why)| Failure::usage(format!("{shown}: {field}: {why}; nothing was sent")))?;
    let mut v = film.validate(limits);
    // A shot's field that breaks a film rule is not named again by the request's rule.
    let mut seen: Vec<String> = Vec::new();
    v.issues.retain(|i| {
        let again = i.is_error() && seen.contains(&i.field);
        if i.is_error() {
            seen.push(i.field.clone());
        }
        !again
    });
    request::check(&v, &[]).map_err(|f| Failure {
        message: f
            .message
            .replacen("invalid request", &format!("invalid film plan {shown}"), 1),
        ..f
    })?;
    Ok(film)
}

/// `film.mp4` + `.shots` → `film.mp4.shots`.
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Join the kept clips in shot order and write the film.
fn write_film(session: &Session, out: &Path) -> Result<(), Failure> {
    let clips: Vec<PathBuf> = session.files().into_iter().flatten().collect();
    join_files(&clips, out).map_err(|e| {
        let mut f = e.failure(EXIT_FAILED);
        f.message.push_str(&format!(
            "; the clips are kept in {}",
            session.spec.results.display()
        ));
        f
    })
}
