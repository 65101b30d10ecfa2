//! `ssg-coord build`: discover → plan → render → merge → report.

use crate::diagnostics::{Diagnostic, PageFailure};
use crate::discover::{LoadError, Site};
use crate::merge::{self, MergedPage};
use crate::plan::{BuildPlan, PlanOptions};
use crate::pool::{self, Executor, ProcessOptions, RenderRequest};
use crate::progress::Progress;
use crate::report::BuildReport;
use protocol::{WarningKind, WorkerSetup};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How many of the slowest pages the report lists.
const SLOWEST_PAGES: usize = 5;

/// A validated `build` invocation.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root.
    pub site_dir: PathBuf,
    /// Output directory overriding `build.output_dir` (relative to the current directory).
    pub out_dir: Option<PathBuf>,
    /// Build draft pages too.
    pub drafts: bool,
    /// Dead links are errors.
    pub strict: bool,
    /// Stop at the first failed page.
    pub fail_fast: bool,
    /// Who renders.
    pub executor: ExecutorChoice,
    /// Show a progress bar on a terminal.
    pub progress: bool,
}

/// The executor asked for on the command line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExecutorChoice {
    /// `--no-shard`.
    Inline,
    /// `--threads`, with this many threads.
    Threads(usize),
    /// `--process-parallel`.
    Processes(ProcessOptions),
    /// Neither: threads below [`pool::AUTO_PROCESS_THRESHOLD`] pages, processes from it.
    Auto {
        /// Threads for small sites.
        threads: usize,
        /// Process settings for large ones.
        processes: ProcessOptions,
    },
}

impl ExecutorChoice {
    /// The executor for a build of `pages` pages.
    pub fn resolve(self, pages: usize) -> Executor {
        match self {
            ExecutorChoice::Inline => Executor::Inline,
            ExecutorChoice::Threads(threads) => Executor::Threads { threads },
            ExecutorChoice::Processes(options) => Executor::Processes(options),
            ExecutorChoice::Auto { threads, processes } => {
                if pages >= pool::AUTO_PROCESS_THRESHOLD {
                    Executor::Processes(processes)
                } else {
                    Executor::Threads { threads }
                }
            }
        }
    }
}

/// Why a build could not even start (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The site or its configuration is unusable.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The output directory is unusable.
    #[error("{0}")]
    Output(String),
}

/// Runs a build. Page failures are in the report; only unusable input is an `Err`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let site = Site::load(&options.site_dir, options.drafts)?;
    let out_dir = output_dir(&site, options.out_dir.as_deref())?;
    let plan = BuildPlan::new(&site, PlanOptions::default());

    let mut report = BuildReport {
        output_dir: out_dir.display().to_string(),
        ..BuildReport::default()
    };
    let failures: Vec<&PageFailure> = site.failures.iter().chain(&plan.failures).collect();
    for failure in &failures {
        report.pages.add(failure.kind);
        report.errors.push(Diagnostic::from(&failure.error));
        report.failed_pages.push(failure.id.to_string());
    }
    report.errors.extend(site.errors.iter().cloned());
    report.warnings.extend(site.warnings.iter().cloned());
    report.warnings.extend(plan.warnings.iter().cloned());
    for page in &plan.pages {
        report.pages.add(page.kind);
    }
    if options.fail_fast && !report.errors.is_empty() {
        return Ok(finish(report, started));
    }

    let setup = WorkerSetup {
        worker_id: 0,
        site_root: site.root.display().to_string(),
        output_dir: out_dir.display().to_string(),
        site: plan.site.clone(),
        nav: plan.nav.clone(),
        templates: site.templates.clone(),
    };
    let pages: Vec<usize> = (0..plan.pages.len()).collect();
    let progress = Progress::new(options.progress, pages.len());
    let request = RenderRequest {
        plan: &plan,
        site: &site,
        pages,
        setup,
        fail_fast: options.fail_fast,
    };
    let executor = options.executor.resolve(request.pages.len());
    tracing::info!("rendering {} pages with {executor:?}", request.pages.len());
    let outcome = pool::render(executor, request, &progress);
    progress.finish();
    report.workers = outcome.workers;
    report.worker_restarts = outcome.worker_restarts;
    report.worker_peak_rss = outcome.worker_peak_rss;

    let mut merged = Vec::new();
    let mut failed = Vec::new();
    let mut timings = Vec::new();
    for (index, result) in &outcome.results {
        let planned = &plan.pages[*index];
        timings.push((result.elapsed_micros, planned.id.to_string()));
        match &result.outcome {
            Ok(rendered) => {
                report.rendered.add(planned.kind);
                report.outputs += rendered.outputs.len();
                for warning in &rendered.warnings {
                    if options.strict && warning.kind == WarningKind::DeadLink {
                        report.errors.push(Diagnostic::from(warning));
                    } else {
                        report.warnings.push(Diagnostic::from(warning));
                    }
                }

                merged.push(MergedPage {
                    index: *index,
                    rendered,
                });
            }
            Err(error) => {
                report.errors.push(Diagnostic::from(error));
                report.failed_pages.push(planned.id.to_string());
                failed.push(*index);
            }
        }
    }
    timings.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    report.slowest = timings
        .into_iter()
        .take(SLOWEST_PAGES)
        .map(|(micros, id)| (id, micros))
        .collect();

    if options.fail_fast && !report.errors.is_empty() {
        return Ok(finish(report, started));
    }
    match merge::merge(&site, &plan, &merged, &failed, &out_dir) {
        Ok(merge_outcome) => {
            report.outputs += merge_outcome.outputs.len();
            if options.strict {
                report.errors.extend(merge_outcome.link_problems);
            } else {
                report.warnings.extend(merge_outcome.link_problems);
            }
        }
        Err(e) => report.errors.push(Diagnostic {
            file: None,
            line: None,
            message: format!("writing site-wide files failed: {e}"),
            hint: Some(
                "check that the output directory is writable and the disk is not full".into(),
            ),
        }),
    }
    Ok(finish(report, started))
}

fn finish(mut report: BuildReport, started: Instant) -> BuildReport {
    report.errors.sort();
    report.errors.dedup();
    report.warnings.sort();
    report.warnings.dedup();
    report.failed_pages.sort();
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report
}

/// The output directory: `--out` (relative to the current directory) or `build.output_dir`
/// (relative to the site). It must not be the site itself, contain it, or lie inside the
/// content, template or static folders, since a build writes and (with the cache) deletes
/// files there.
fn output_dir(site: &Site, out: Option<&Path>) -> Result<PathBuf, BuildError> {
    let requested = match out {
        Some(path) => std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
        None => site.root.join(&site.config.build.output_dir),
    };
    std::fs::create_dir_all(&requested).map_err(|e| {
        BuildError::Output(format!(
            "{}: cannot create output directory: {e}",
            requested.display()
        ))
    })?;
    let out_dir = std::fs::canonicalize(&requested).map_err(|e| {
        BuildError::Output(format!(
            "{}: cannot open output directory: {e}",
            requested.display()
        ))
    })?;
    let protected = [
        site.root.clone(),
        site.root.join(site.content_dir()),
        site.root.join("templates"),
        site.root.join("static"),
    ];
    for folder in &protected {
        if out_dir == *folder
            || folder.starts_with(&out_dir)
            || (out_dir.starts_with(folder) && *folder != site.root)
        {
            return Err(BuildError::Output(format!(
                "{}: refusing to use this output directory: it overlaps the site's sources ({})",
                out_dir.display(),
                folder.display()
            )));
        }
    }
    Ok(out_dir)
}
