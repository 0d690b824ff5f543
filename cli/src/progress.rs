//! The progress display on stderr: one line rewritten in place (`\r`) on a terminal, one
//! plain line per poll otherwise (logs, CI, pipes). No dependency: a mutex and a 1 s tick.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use seedance::Progress as Poll;

use crate::fmt::{clock, span};

pub struct Display {
    tty: bool,
    state: Mutex<State>,
}

struct State {
    start: Instant,
    status: Option<String>,
    polls: u32,
    next_at: Option<Instant>,
    error: Option<String>,
    /// A line is drawn and not yet cleared (terminal only).
    drawn: bool,
}

impl Display {
    pub fn new() -> Self {
        Display {
            tty: std::io::stderr().is_terminal(),
            state: Mutex::new(State {
                start: Instant::now(),
                status: None,
                polls: 0,
                next_at: None,
                error: None,
                drawn: false,
            }),
        }
    }

    /// Whether the line is redrawn in place (and should be ticked).
    pub fn is_live(&self) -> bool {
        self.tty
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Print a message line, keeping the progress line below it on a terminal.
    pub fn say(&self, msg: &str) {
        let mut st = self.lock();
        let mut err = std::io::stderr().lock();
        if st.drawn {
            let _ = write!(err, "\r\x1b[2K");
            st.drawn = false;
        }
        let _ = writeln!(err, "{msg}");
        if self.tty {
            let line = st.line();
            let _ = write!(err, "{line}");
            st.drawn = true;
        }
        let _ = err.flush();
    }

    /// Set the status shown until the next poll (`creating`, `created`, …).
    pub fn set_status(&self, status: &str) {
        self.lock().status = Some(status.to_owned());
    }

    /// After a poll: update, and draw (terminal) or print a line (otherwise).
    pub fn update(&self, p: &Poll) {
        let mut st = self.lock();
        st.polls = p.polls;
        if let Some(s) = &p.status {
            st.status = Some(s.as_str().to_owned());
        }
        st.error = p.error.clone();
        st.next_at = p.next_poll_in.map(|d| Instant::now() + d);
        let line = st.line();
        let mut err = std::io::stderr().lock();
        if self.tty {
            let _ = write!(err, "\r\x1b[2K{line}");
            st.drawn = true;
        } else {
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
    }

    /// Redraw with the current elapsed time and countdown (terminal only).
    pub fn tick(&self) {
        if !self.tty {
            return;
        }
        let mut st = self.lock();
        let line = st.line();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        st.drawn = true;
    }

    /// Remove the progress line (terminal only), before the final messages.
    pub fn finish(&self) {
        let mut st = self.lock();
        if st.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            st.drawn = false;
        }
    }

    /// Time since the display started.
    pub fn elapsed(&self) -> Duration {
        self.lock().start.elapsed()
    }
}

impl State {
    fn line(&self) -> String {
        let status = self.status.as_deref().unwrap_or("waiting");
        let mut line = format!(
            "{status} · {} elapsed · {} poll{}",
            clock(self.start.elapsed()),
            self.polls,
            if self.polls == 1 { "" } else { "s" }
        );
        if let Some(at) = self.next_at {
            let left = at.saturating_duration_since(Instant::now());
            line.push_str(&format!(" · next poll in {}", span_rounded(left)));
        }
        if let Some(e) = &self.error {
            line.push_str(&format!(" · retrying after: {e}"));
        }
        line
    }
}

/// Whole seconds, or tenths under ten seconds.
fn span_rounded(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        span(Duration::from_secs(d.as_secs()))
    }
}
