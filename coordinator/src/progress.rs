//! Progress on stderr: an overall bar plus one line per worker showing the page it is
//! rendering, when stderr is a terminal; nothing otherwise (and nothing with `--quiet` or
//! `--json`), so logs and CI output stay clean.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use protocol::PageId;
use std::io::IsTerminal;
use std::sync::Mutex;

/// Build progress.
pub struct Progress {
    display: Option<Display>,
}

struct Display {
    multi: MultiProgress,
    overall: ProgressBar,
    workers: Mutex<Vec<ProgressBar>>,
}

impl Progress {
    /// A progress display for `total` pages; hidden unless `enabled` and stderr is a terminal.
    pub fn new(enabled: bool, total: usize) -> Progress {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress { display: None };
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let overall = multi.add(ProgressBar::new(total as u64));
        let style = ProgressStyle::with_template(
            "rendering {bar:30} {pos}/{len} pages ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        overall.set_style(style);
        Progress {
            display: Some(Display {
                multi,
                overall,
                workers: Mutex::new(Vec::new()),
            }),
        }
    }

    /// One more page finished.
    pub fn page_done(&self, _page: &PageId) {
        if let Some(display) = &self.display {
            display.overall.inc(1);
        }
    }

    /// Shows what worker `slot` is doing.
    pub fn worker_line(&self, slot: usize, text: &str) {
        let Some(display) = &self.display else { return };
        let Ok(mut workers) = display.workers.lock() else {
            return;
        };
        while workers.len() <= slot {
            let line = display.multi.add(ProgressBar::new_spinner());
            line.set_style(
                ProgressStyle::with_template("  {prefix} {wide_msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            line.set_prefix(format!("worker {}", workers.len()));
            workers.push(line);
        }
        workers[slot].set_message(text.to_string());
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Some(display) = &self.display {
            if let Ok(workers) = display.workers.lock() {
                for line in workers.iter() {
                    line.finish_and_clear();
                }
            }
            display.overall.finish_and_clear();
        }
    }
}
