//! What `ssg-coord serve` prints while it runs: the first build's report, one
//! machine-readable `serving http://…/` line on stdout (tests and scripts read it), one line
//! per rebuild on stdout, and diagnostics, hints and shutdown notes on stderr.

use crate::diagnostics::Diagnostic;
use crate::report::BuildReport;
use std::io::Write;
use std::time::Duration;

/// The first build: the same report as `ssg-coord build`.
pub fn first_build(report: &BuildReport) {
    report.print_diagnostics(&mut std::io::stderr().lock());
    report.print_summary(&mut std::io::stdout().lock());
}

/// The server is up.
pub fn serving(url: &str, address: std::net::SocketAddr, watched: usize) {
    let _ = writeln!(std::io::stdout().lock(), "serving {url}");
    let mut stderr = std::io::stderr().lock();
    if !address.ip().is_loopback() {
        let reach = if address.ip().is_unspecified() {
            "every network interface of this machine".to_string()
        } else {
            address.ip().to_string()
        };
        let _ = writeln!(
            stderr,
            "warning: listening on {reach} (--bind {}): the site and its sources' error \
             messages are exposed to every machine that can reach it; keep the default \
             --bind 127.0.0.1 unless you mean to share it",
            address.ip()
        );
    }
    let _ = writeln!(
        stderr,
        "watching {watched} folders and files for changes; press Ctrl-C to stop"
    );
}

/// Changed pages listed by URL after a rebuild; more are counted.
const LISTED_PAGES: usize = 10;

/// The page given on the command line is at `url`.
pub fn page(id: &str, url: &str) {
    let _ = writeln!(std::io::stdout().lock(), "page {id}: {url}");
}

/// One rebuild: what triggered it, how long it took (and how long until the edited pages
/// were announced, when that came first), what it changed (with the URL of each changed
/// page, the first [`LISTED_PAGES`]) or why it failed.
pub fn rebuilt(
    trigger: &str,
    report: &BuildReport,
    changed_urls: &[String],
    announced_after: Option<Duration>,
    elapsed: Duration,
) {
    let millis = elapsed.as_millis();
    let announced = announced_after.map_or_else(String::new, |after| {
        format!(" (edited pages reloaded after {} ms)", after.as_millis())
    });
    let restarts = match report.worker_restarts {
        0 => String::new(),
        1 => " (1 worker restarted)".to_string(),
        n => format!(" ({n} workers restarted)"),
    };
    if report.succeeded() {
        let pages = match changed_urls.len() {
            0 => "no page changed".to_string(),
            1 => "1 page changed".to_string(),
            n => format!("{n} pages changed"),
        };
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(
            stdout,
            "{trigger} changed: rebuilt in {millis} ms{announced}, {pages}{restarts}"
        );
        for url in changed_urls.iter().take(LISTED_PAGES) {
            let _ = writeln!(stdout, "  {url}");
        }
        if changed_urls.len() > LISTED_PAGES {
            let _ = writeln!(stdout, "  and {} more", changed_urls.len() - LISTED_PAGES);
        }
    } else {
        report.print_diagnostics(&mut std::io::stderr().lock());
        let n = report.errors.len();
        let _ = writeln!(
            std::io::stdout().lock(),
            "{trigger} changed: rebuilt in {millis} ms{restarts} with {n} error{}; pages that failed keep their last good version",
            if n == 1 { "" } else { "s" }
        );
    }
}

/// A rebuild that could not start (the configuration broke).
pub fn rebuild_refused(trigger: &str, errors: &[Diagnostic]) {
    let mut stderr = std::io::stderr().lock();
    for error in errors {
        let _ = writeln!(stderr, "error: {error}");
    }
    let _ = writeln!(
        std::io::stdout().lock(),
        "{trigger} changed: not rebuilt; the last good site stays served until this is fixed"
    );
}

/// `--open` could not start a browser.
pub fn open_failed(url: &str, why: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "could not open a browser ({why}); open {url} yourself"
    );
}

/// A warning that does not stop the server.
pub fn warning(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "warning: {message}");
}

/// Shutdown was requested.
pub fn stopping() {
    let _ = writeln!(std::io::stderr().lock(), "stopping the server");
}
