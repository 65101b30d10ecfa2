//! What the user sees at the end of a build: a short human report (stdout, with errors and
//! warnings on stderr) or one JSON summary on stdout with `--json`.

use crate::cache::{CACHE_DIR, CachedSummary, CachedWarning, remote};
use crate::diagnostics::Diagnostic;
use protocol::PageKind;
use serde::Serialize;
use std::io::Write;

/// Counts per page kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    /// Markdown pages.
    pub content: usize,
    /// Python module pages.
    pub autodoc: usize,
    /// Generated pages.
    pub generated: usize,
}

impl KindCounts {
    /// Adds one page of `kind`.
    pub fn add(&mut self, kind: PageKind) {
        match kind {
            PageKind::Content => self.content += 1,
            PageKind::Autodoc => self.autodoc += 1,
            PageKind::Generated => self.generated += 1,
        }
    }

    /// All kinds together.
    pub fn total(&self) -> usize {
        self.content + self.autodoc + self.generated
    }
}

/// One shard in the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ShardReport {
    /// Shard id.
    pub id: String,
    /// Pages in the shard.
    pub pages: usize,
    /// Pages taken from the cache.
    pub cached: usize,
    /// Pages rendered by this build.
    pub rendered: usize,
    /// Time spent rendering them (summed over workers), in microseconds.
    #[serde(skip)]
    pub render_micros: u64,
}

/// Most shards the human report lists (the slowest first).
const SHARDS_SHOWN: usize = 12;

/// The outcome of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Pages of the site, per kind (including failed ones).
    pub pages: KindCounts,
    /// Pages rendered by this build.
    pub rendered: KindCounts,
    /// Pages taken from the cache.
    pub cached: KindCounts,
    /// Files written into the output directory.
    pub outputs: usize,
    /// Errors: failed pages and site-level errors.
    pub errors: Vec<Diagnostic>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Wall time of the whole build.
    pub elapsed_ms: u64,
    /// The slowest pages: (page id, microseconds).
    pub slowest: Vec<(String, u64)>,
    /// Workers used.
    pub workers: usize,
    /// Workers replaced after dying.
    pub worker_restarts: usize,
    /// Ids of pages that failed.
    pub failed_pages: Vec<String>,
    /// Highest peak resident memory a worker reported, in bytes.
    pub worker_peak_rss: u64,
    /// Shards with their page counts, cache hits and render time, sorted by id.
    pub shards: Vec<ShardReport>,
    /// Output files this build added, changed or removed (relative to the output
    /// directory, sorted); not part of the JSON summary.
    pub changed_outputs: Vec<String>,
    /// Output directory.
    pub output_dir: String,
    /// The configuration file, when it is not `ssg.toml` (`mkdocs.yml`).
    pub config_file: Option<String>,
    /// What the shared shard cache gave and took, when the build used one.
    pub shared_cache: Option<SharedCacheReport>,
}

/// A build's use of the shared shard cache (`--cache-url`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SharedCacheReport {
    /// The store.
    pub url: String,
    /// Shards looked up (those with a page the local cache could not give).
    pub looked_up: usize,
    /// Shards found there and used.
    pub found: usize,
    /// Pages taken from them (counted as cached, not rendered).
    pub pages: usize,
    /// Shards this build rendered and uploaded.
    pub uploaded: usize,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    pages: KindCounts,
    rendered: KindCounts,
    cached: KindCounts,
    outputs: usize,
    errors: &'a [Diagnostic],
    warnings: &'a [Diagnostic],
    elapsed_ms: u64,
    workers: usize,
    worker_restarts: usize,
    failed_pages: &'a [String],
    worker_peak_rss: u64,
    shards: Vec<JsonShard<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shared_cache: Option<&'a SharedCacheReport>,
}

#[derive(Serialize)]
struct JsonShard<'a> {
    id: &'a str,
    pages: usize,
    cached: usize,
    rendered: usize,
    render_ms: u64,
}

/// A report and the summary the cache keeps of it, for a build that finds nothing to do
/// to report again.
impl BuildReport {
    /// The report of a build that found nothing to do, from the previous build's summary.
    pub fn unchanged(summary: &CachedSummary, output_dir: String) -> BuildReport {
        let pages = KindCounts {
            content: summary.pages[0],
            autodoc: summary.pages[1],
            generated: summary.pages[2],
        };
        BuildReport {
            pages,
            cached: pages,
            outputs: summary.outputs,
            warnings: summary.warnings.iter().map(Diagnostic::from).collect(),
            shards: summary
                .shards
                .iter()
                .map(|(id, pages)| ShardReport {
                    id: id.clone(),
                    pages: *pages,
                    cached: *pages,
                    ..ShardReport::default()
                })
                .collect(),
            output_dir,
            ..BuildReport::default()
        }
    }

    /// What the cache keeps of this report, for [`BuildReport::unchanged`].
    pub fn cached_summary(&self) -> CachedSummary {
        CachedSummary {
            pages: [self.pages.content, self.pages.autodoc, self.pages.generated],
            outputs: self.outputs,
            shards: self
                .shards
                .iter()
                .map(|s| (s.id.clone(), s.pages))
                .collect(),
            // Problems of the cache itself belong to this build only.
            warnings: self
                .warnings
                .iter()
                .filter(|w| !matches!(w.file.as_deref(), Some(CACHE_DIR | remote::WARNING_FILE)))
                .map(CachedWarning::from)
                .collect(),
        }
    }
}

impl BuildReport {
    /// True when nothing failed.
    pub fn succeeded(&self) -> bool {
        self.errors.is_empty()
    }

    /// The `--json` summary.
    pub fn to_json(&self) -> String {
        let summary = JsonSummary {
            pages: self.pages,
            rendered: self.rendered,
            cached: self.cached,
            outputs: self.outputs,
            errors: &self.errors,
            warnings: &self.warnings,
            elapsed_ms: self.elapsed_ms,
            workers: self.workers,
            worker_restarts: self.worker_restarts,
            failed_pages: &self.failed_pages,
            worker_peak_rss: self.worker_peak_rss,
            config: self.config_file.as_deref(),
            shared_cache: self.shared_cache.as_ref(),
            shards: self
                .shards
                .iter()
                .map(|s| JsonShard {
                    id: &s.id,
                    pages: s.pages,
                    cached: s.cached,
                    rendered: s.rendered,
                    render_ms: s.render_micros / 1000,
                })
                .collect(),
        };

        serde_json::to_string(&summary).unwrap_or_default()
    }

    /// Errors and warnings on stderr, in a stable order.
    pub fn print_diagnostics(&self, err: &mut impl Write) {
        for warning in &self.warnings {
            let _ = writeln!(err, "warning: {warning}");
        }
        for error in &self.errors {
            let _ = writeln!(err, "error: {error}");
        }
    }

    /// Writes the one-line result of `ssg-coord check`.
    pub fn print_check_summary(&self, out: &mut dyn std::io::Write) {
        let from = match &self.config_file {
            Some(file) => format!(" (configured by {file})"),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{} {} pages{from}: {} error{}, {} warning{}; nothing written",
            if self.succeeded() {
                "checked"
            } else {
                "FAILED: checked"
            },
            self.pages.total(),
            self.errors.len(),
            if self.errors.len() == 1 { "" } else { "s" },
            self.warnings.len(),
            if self.warnings.len() == 1 { "" } else { "s" },
        );
    }

    /// The human summary on stdout.
    pub fn print_summary(&self, out: &mut impl Write) {
        let line = |label: &str, counts: KindCounts| {
            format!(
                "{label:<10} {:>6} content  {:>6} autodoc  {:>6} generated",
                counts.content, counts.autodoc, counts.generated
            )
        };
        let _ = writeln!(out, "{}", line("pages", self.pages));
        let _ = writeln!(out, "{}", line("rendered", self.rendered));
        if self.cached.total() > 0 {
            let _ = writeln!(out, "{}", line("cached", self.cached));
        }
        if let Some(shared) = &self.shared_cache {
            let _ = writeln!(
                out,
                "shared     {} of {} shards ({} pages) from {}, {} uploaded",
                shared.found, shared.looked_up, shared.pages, shared.url, shared.uploaded
            );
        }
        if self.shards.len() > 1 {
            let mut by_time: Vec<&ShardReport> = self.shards.iter().collect();
            by_time.sort_by(|a, b| {
                b.render_micros
                    .cmp(&a.render_micros)
                    .then_with(|| a.id.cmp(&b.id))
            });
            let _ = writeln!(out, "shards ({}, slowest first):", self.shards.len());
            for shard in by_time.iter().take(SHARDS_SHOWN) {
                let _ = writeln!(
                    out,
                    "  {:<28} {:>6} pages {:>6} cached {:>9.1} ms",
                    shard.id,
                    shard.pages,
                    shard.cached,
                    shard.render_micros as f64 / 1000.0
                );
            }
            if self.shards.len() > SHARDS_SHOWN {
                let _ = writeln!(out, "  … {} more", self.shards.len() - SHARDS_SHOWN);
            }
        }
        if !self.slowest.is_empty() {
            let _ = writeln!(out, "slowest pages:");
            for (id, micros) in &self.slowest {
                let _ = writeln!(out, "  {:>8.1} ms  {id}", *micros as f64 / 1000.0);
            }
        }
        let seconds = self.elapsed_ms as f64 / 1000.0;
        let rate = if seconds > 0.0 {
            self.rendered.total() as f64 / seconds
        } else {
            0.0
        };
        let restarts = match self.worker_restarts {
            0 => String::new(),
            n => format!(", {n} worker restart{}", if n == 1 { "" } else { "s" }),
        };
        let from = match &self.config_file {
            Some(file) => format!(" (configured by {file})"),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{} {} outputs in {}{from} in {seconds:.2}s ({rate:.0} pages/s, {} worker{}{restarts}); {} error{}, {} warning{}",
            if self.succeeded() { "built" } else { "FAILED:" },
            self.outputs,
            self.output_dir,
            self.workers,
            if self.workers == 1 { "" } else { "s" },
            self.errors.len(),
            if self.errors.len() == 1 { "" } else { "s" },
            self.warnings.len(),
            if self.warnings.len() == 1 { "" } else { "s" },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_summary_has_the_documented_shape() {
        let mut report = BuildReport::default();
        report.pages.add(PageKind::Content);
        report.rendered.add(PageKind::Autodoc);
        report.errors.push(Diagnostic {
            file: Some("content/a.md".into()),
            line: Some(3),
            message: "broken".into(),
            hint: None,
        });
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("valid json");
        assert_eq!(json["pages"]["content"], 1);
        assert_eq!(json["rendered"]["autodoc"], 1);
        assert_eq!(json["cached"]["generated"], 0);
        assert_eq!(json["errors"][0]["file"], "content/a.md");
        assert_eq!(json["errors"][0]["line"], 3);
        for key in [
            "outputs",
            "warnings",
            "elapsed_ms",
            "workers",
            "worker_restarts",
            "failed_pages",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
    }
}
