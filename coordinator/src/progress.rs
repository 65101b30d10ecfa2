//! Progress on stderr: an indicatif bar when stderr is a terminal, nothing otherwise (and
//! nothing with `--quiet` or `--json`), so logs and CI output stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use protocol::PageId;
use std::io::IsTerminal;

/// Build progress.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A progress display for `total` pages; hidden unless `enabled` and stderr is a terminal.
    pub fn new(enabled: bool, total: usize) -> Progress {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} rendering {bar:30} {pos}/{len} pages {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Progress { bar: Some(bar) }
    }

    /// A progress display that shows nothing.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// One more page finished.
    pub fn page_done(&self, page: &PageId) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(page.to_string());
        }
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
