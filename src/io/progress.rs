//! Progress bars for long imports and exports, on stderr, only for a person watching.
//!
//! A bar appears once a job passes [`SHOW_AFTER`] rows, and only when stderr is a terminal
//! and `--quiet` was not given; pipes, files and tests never see it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Read};
use std::time::Duration;

/// Rows before a bar is worth showing.
pub const SHOW_AFTER: u64 = 5_000;

/// Whether anyone would see a bar: stderr is a terminal and `--quiet` was not given.
/// Callers use it to skip work (counting rows) that only a bar needs.
pub fn watched(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

pub struct Progress {
    bar: Option<ProgressBar>,
    verb: &'static str,
    rows: u64,
}

impl Progress {
    /// A bar measured in bytes of input (its ETA), or in rows when `total_bytes` is None
    /// and `total_rows` is known.
    pub fn new(verb: &'static str, quiet: bool, total_bytes: Option<u64>, total_rows: Option<u64>) -> Progress {
        let bar = watched(quiet).then(|| {
            let bar = ProgressBar::with_draw_target(total_bytes.or(total_rows), ProgressDrawTarget::hidden());
            let template = match (total_bytes, total_rows) {
                (Some(_), _) => "{msg} [{bar:30}] {percent}% ETA {eta}",
                (None, Some(_)) => "{msg} [{bar:30}] {pos}/{len} ETA {eta}",
                (None, None) => "{spinner} {msg}",
            };
            bar.set_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "));
            bar
        });
        Progress { bar, verb, rows: 0 }
    }

    /// No bar at all (built-in data, tests).
    pub fn hidden() -> Progress {
        Progress { bar: None, verb: "", rows: 0 }
    }

    /// Counts input bytes as they are read, for the bar's position and ETA.
    pub fn wrap_read(&self, reader: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
        match &self.bar {
            Some(bar) => Box::new(bar.wrap_read(reader)),
            None => reader,
        }
    }

    /// `count` more rows done.
    pub fn rows(&mut self, count: u64) {
        self.rows += count;
        let Some(bar) = &self.bar else { return };
        if bar.is_hidden() && self.rows >= SHOW_AFTER {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        if !bar.is_hidden() {
            let elapsed = bar.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!("{} {} rows ({:.0} rows/s)", self.verb, self.rows, self.rows as f64 / elapsed));
        }
    }

    /// Advances a row-measured bar.
    pub fn advance(&mut self, count: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(count);
        }
        self.rows(count);
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
