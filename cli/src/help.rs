//! The `--help` texts, one per command.

const OVERVIEW: &str = "\
seedance — create, watch and download Seedance 2.0 videos

Usage: seedance [GLOBAL OPTIONS] <COMMAND> [OPTIONS]

Commands:
  generate   create a task, wait for it, print (and download) the video   [spends money]
  get        show one task
  wait       wait for a task to end, then print (and download) the video
  list       list recent tasks
  cancel     cancel a queued task, or delete a finished task's record
  estimate   tokens (and money) a request would cost; no key needed
  validate   check a request against every documented rule; no key needed
  help       this text, or `seedance help COMMAND`

Global options (before or after the command):
  --base-url URL       API base URL [env SEEDANCE_BASE_URL]
                       [default: https://api.apiyi.com/seedance/api/v3]
  --api-key-env NAME   read the API key from $NAME instead of $SEEDANCE_API_KEY
  --allow-http         allow a plain-http base URL and http:// media URLs (a local simulator)
  -h, --help           help (also after a command: `seedance generate --help`)
  -V, --version        version

The API key is read from SEEDANCE_API_KEY; it is never taken as an argument (it would
land in your shell history) and never printed.

Exit codes: 0 ok · 1 the API or the task failed · 2 usage or validation error (nothing was
sent) · 3 outcome unknown (a create whose answer was lost, or waiting timed out: the
message says how to look the task up) · 130 interrupted (Ctrl-C; the task id and how to
resume are printed).

Example:
  export SEEDANCE_API_KEY=sk-...
  seedance generate -p \"A drone shot over an autumn valley\" -r 720p --ratio 16:9 -d 5 \\
      --no-audio --out valley.mp4
";

const REQUEST_OPTIONS: &str = "\
Request options:
  -p, --prompt TEXT        the prompt (needed without images; optional with frames)
  -i, --image FILE|URL     a frame: once = first frame, twice = first and last frame
      --first-frame FILE|URL, --last-frame FILE|URL
                           the same, by name
      --ref-image FILE|URL reference image (repeatable, up to 9): multi-modal reference mode
      --ref-video URL      reference video (https:// or asset://; repeatable)
      --ref-audio FILE|URL reference audio, WAV or MP3 (repeatable; needs an image or video)
  -m, --model MODEL        fast | standard | a model id [default: fast]
                           (fast = doubao-seedance-2-0-fast-260128, up to 720p;
                            standard = doubao-seedance-2-0-260128, up to 1080p)
  -r, --resolution RES     480p | 720p | 1080p [server default: 720p]
      --ratio RATIO        16:9 | 4:3 | 1:1 | 3:4 | 9:16 | 21:9 | adaptive [server default: adaptive]
  -d, --duration N|auto    4..15 seconds, or auto (the model chooses) [server default: 5]
      --audio, --no-audio  generated sound on or off [server default: on]
      --seed N             -1 (random) .. 4294967295 [server default: -1]
      --watermark, --no-watermark
      --return-last-frame  also produce the last frame as a PNG (to chain clips)
      --expires-after SECS give up on the task after this long, 3600..259200 [default: 172800]
      --callback-url URL   the server POSTs task updates there

A FILE is read and sent inline as a data: URL (its type is recognised from its bytes:
PNG, JPEG, WebP, GIF, BMP, TIFF; WAV, MP3). Anything with a scheme (https://, asset://,
data:) is sent as given.
";

const PRICE_OPTIONS: &str = "\
Price options (prices change, so none are built in):
      --price-per-million X   price of one million tokens
      --currency C            its currency, e.g. USD or CNY
";

const WAIT_OPTIONS: &str = "\
Result options:
  -o, --out FILE           download the video to FILE (plain GET of the signed link, no key)
      --last-frame-out FILE
                           download the last frame (PNG) to FILE
      --json               print the final task as JSON on stdout
      --timeout SECS       stop waiting after this long (the task goes on) [default: 30 min,
                           longer for long videos]
      --poll-interval SECS poll at this fixed interval instead of the fitted schedule
";

pub fn text(command: Option<&str>) -> String {
    match command {
        None => OVERVIEW.to_owned(),
        Some("generate") => format!(
            "\
seedance generate — create a task, wait for it, print the video URL   [spends money]

Usage: seedance generate --prompt TEXT [MEDIA] [OPTIONS] [--out video.mp4] [--yes]

Checks the request first (every problem at once; nothing is sent if any), prints the
estimated tokens, asks for confirmation (or takes --yes; without a terminal --yes is
required), creates the task and prints its id at once, then shows progress until it ends.
On success the video URL goes to stdout (and its expiry to stderr); --out downloads it.
Ctrl-C stops waiting, not the task: the id and `seedance wait ID` are printed.
A create is never retried on its own: if its outcome is unknown you are told how to find
the task (exit code 3).

{REQUEST_OPTIONS}
{WAIT_OPTIONS}
  -y, --yes                create without asking

{PRICE_OPTIONS}
Examples:
  seedance generate -p \"Waves at dusk\" --no-audio -o waves.mp4
  seedance generate -p \"the camera pulls back\" --image start.png -m standard -r 1080p -o out.mp4
  seedance generate -p \"the cat from image 1 plays the piano\" --ref-image cat.png -d auto
"
        ),
        Some("estimate") => format!(
            "\
seedance estimate — how many tokens (and how much money) a request would cost

Usage: seedance estimate [REQUEST OPTIONS] [--price-per-million X --currency C] [--json]

Takes the same request options as `generate` and checks them the same way (exit 2 on
problems). No API key needed; nothing is sent. Tokens are (24 × seconds + 1) × width ×
height / 1024 for the tier's size (every ratio of a tier costs the same); with
--duration auto the range 4..15 s is shown.

{REQUEST_OPTIONS}
{PRICE_OPTIONS}      --json                  print the estimate as JSON

Example:
  seedance estimate -r 720p --ratio 16:9 -d 5 --price-per-million 46 --currency CNY
"
        ),
        Some("validate") => format!(
            "\
seedance validate — check a request against every documented rule

Usage: seedance validate [REQUEST OPTIONS] [--json]

Prints every problem (field, value given, what is allowed) and exits 2, or says which mode
the request is and exits 0. No API key needed; nothing is sent.

{REQUEST_OPTIONS}      --json               print the outcome as JSON
"
        ),
        Some("get") => "\
seedance get — show one task

Usage: seedance get ID [--json]

Shows status, parameters, billed tokens, and for a finished task the video URL and when
that link expires (each get signs a fresh link). Exit 0 whatever the task's status.

Options:
      --json   print the task as JSON
"
        .to_owned(),
        Some("wait") => format!(
            "\
seedance wait — wait for a task to end, then print (and download) the video

Usage: seedance wait ID [--out FILE] [--timeout SECS] [--json]

Resumes any task (one created elsewhere, or by an interrupted `generate`). Exit 0 when it
succeeded, 1 when it failed, expired or was cancelled, 3 when waiting timed out (the task
goes on: wait again).

{WAIT_OPTIONS}"
        ),
        Some("list") => "\
seedance list — list recent tasks, newest first

Usage: seedance list [--status S] [--model M] [--id ID]... [--page N] [--page-size N] [--json]

Options:
      --status S       queued | running | succeeded | failed | expired | cancelled
  -m, --model M        fast | standard | a model id
      --id ID          only these tasks (repeatable)
      --page N         page number, from 1 [default: 1]
      --page-size N    tasks per page, 1..500 [server default: 10]
      --json           print the page as JSON

Some servers (the reseller) may have no list route; you are told so plainly.
"
        .to_owned(),
        Some("cancel") => "\
seedance cancel — cancel a queued task, or delete a finished task's record

Usage: seedance cancel ID

A queued task becomes cancelled and is not billed. A running task can't be cancelled: the
server finishes and bills it (exit 1, says so). A finished task's record is deleted.
"
        .to_owned(),
        Some(other) => format!("no help for {other:?}\n\n{OVERVIEW}"),
    }
}
