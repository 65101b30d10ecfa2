//! `ssg-coord serve`: build, serve the output over HTTP, watch the sources, rebuild on
//! every change and tell the open pages what changed.
//!
//! ```text
//! Rebuild (first build) → HttpServer (serve::http) + SourceWatcher (serve::watch)
//! loop: ChangeSet → Rebuild::rebuild → changed outputs → PageChange → Broadcaster (serve::events)
//! Ctrl-C → stop watching → close event streams → stop the server → drop the Rebuild (and its workers)
//! ```
//!
//! A rebuild is one call through the [`Rebuild`] seam, so the HTTP, watch and reload code
//! does not know how the site is built. [`SessionRebuild`] runs incremental builds
//! (`ops::build::build_in`, through the shard cache) within one `BuildSession`, so worker
//! processes stay alive and warm between rebuilds, and takes the changed outputs from the
//! build's own report. Between builds it keeps the site resident (`ops::resident`): a
//! change set that only edits page bodies is rebuilt from memory, and the edited pages'
//! outputs are announced (the browser reloads) before the site-wide files are finished.
//!
//! A failed page writes nothing, so the last good version of every page stays served; the
//! build's errors go to every open page as an overlay until a build succeeds.

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::discover::LoadError;
use crate::ops::build::{BuildError, BuildOptions, BuildSession, build_in};
use crate::ops::resident::ResidentSite;
use crate::report::BuildReport;
use crate::serve::console;
use crate::serve::events::{Broadcaster, BuildUpdate, PageChange};
use crate::serve::http::HttpServer;
use crate::serve::resolve::Served;
use crate::serve::watch::{ChangeSet, SourceWatcher, WatchRoots};
use crate::teardown::drop_in_background;
use anyhow::Context;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Instant;

/// A validated `serve` invocation.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// How to build (site, output directory, drafts, executor).
    pub build: BuildOptions,
    /// Where to listen (`127.0.0.1:1313` by default; port 0 takes any free port).
    pub address: SocketAddr,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// A page being edited (its markdown file): `--open` opens it, and its URL is printed.
    pub page: Option<PathBuf>,
    /// Rebuild every change with a full incremental build, never from the resident site
    /// (`--full-rebuilds`).
    pub full_rebuilds: bool,
}

/// What one rebuild produced.
#[derive(Debug, Clone, Default)]
pub struct RebuildOutcome {
    /// The build's report; `report.output_dir` is the directory served from now on.
    pub report: BuildReport,
    /// Output files this build added, changed or removed: relative to the output
    /// directory, `/`-separated, sorted. Files rewritten with identical bytes are not
    /// changed.
    pub changed: Vec<String>,
    /// URL paths (`/guide/`, without the base path) of the pages that failed.
    pub failed_urls: Vec<String>,
}

/// The one thing the server asks of a builder.
///
/// `rebuild` is called first with an empty [`ChangeSet`] (the first build), then once per
/// debounced burst of source changes; changes that arrive while a rebuild runs are merged
/// into the next call. It returns `Ok` whenever the site could be built, even if pages
/// failed (their errors are in the report and their old output stays); `Err` only when
/// nothing could be built (a broken `ssg.toml`), and the server then keeps serving the
/// last good output. Dropping the builder must stop any worker process it keeps.
pub trait Rebuild {
    /// Builds the site again after `changes`.
    fn rebuild(&mut self, changes: &ChangeSet) -> Result<RebuildOutcome, BuildError>;

    /// Builds the site again after `changes`, and may call `pages_written` once, with the
    /// output files (as in [`RebuildOutcome::changed`]) of the edited pages, as soon as
    /// they are on disk and before the rest of the site is finished. The default never
    /// calls it.
    fn rebuild_announcing(
        &mut self,
        changes: &ChangeSet,
        pages_written: &mut dyn FnMut(&[String]),
    ) -> Result<RebuildOutcome, BuildError> {
        let _ = pages_written;
        self.rebuild(changes)
    }

    /// The URL path (`/guide/x/`, without the base path) of the page with id `page_id`
    /// (a markdown page's id is its site-relative path, `content/guide/x.md`), if known.
    fn page_url(&mut self, page_id: &str) -> Option<String> {
        let _ = page_id;
        None
    }
}

impl<F> Rebuild for F
where
    F: FnMut(&ChangeSet) -> Result<RebuildOutcome, BuildError>,
{
    fn rebuild(&mut self, changes: &ChangeSet) -> Result<RebuildOutcome, BuildError> {
        self(changes)
    }
}

/// Rebuilds incrementally within one [`BuildSession`]: the shard cache skips what did not
/// change, worker processes (with `--process-parallel`) persist across rebuilds, and the
/// build reports which outputs it added, changed or removed. Unless told otherwise it
/// keeps the site resident between builds and rebuilds body edits from memory.
pub struct SessionRebuild {
    options: BuildOptions,
    session: BuildSession,
    /// The last build's site, plan and cache, while they can be trusted.
    resident: Option<ResidentSite>,
}

impl SessionRebuild {
    /// A builder running `options` (the progress bar is left off: rebuilds are short and
    /// the console gets one line each), keeping the site resident between rebuilds.
    pub fn new(options: BuildOptions) -> SessionRebuild {
        SessionRebuild {
            options: BuildOptions {
                progress: false,
                list_changes: true,
                ..options
            },
            session: BuildSession {
                keep_last_build: true,
                ..BuildSession::default()
            },
            resident: None,
        }
    }

    /// A builder that runs a full incremental build for every change (`--full-rebuilds`).
    pub fn without_resident_site(options: BuildOptions) -> SessionRebuild {
        SessionRebuild {
            session: BuildSession::default(),
            ..SessionRebuild::new(options)
        }
    }

    /// The report of a rebuild after `changes`: from the resident site when it can handle
    /// them, else by a full incremental build (which leaves a new resident site).
    fn build(
        &mut self,
        changes: &ChangeSet,
        pages_written: &mut dyn FnMut(&[String]),
    ) -> Result<BuildReport, BuildError> {
        let edits = self
            .resident
            .as_ref()
            .and_then(|resident| resident.edits(changes));
        if let (Some(edits), Some(resident)) = (edits, self.resident.as_mut()) {
            match resident.rebuild(&self.options, &mut self.session, edits, pages_written) {
                Ok(outcome) => {
                    if !outcome.still_resident {
                        tracing::info!("the resident site is dropped: the next change builds");
                        self.drop_resident();
                    }
                    return Ok(outcome.report);
                }
                Err(error) => {
                    self.drop_resident();
                    return Err(error);
                }
            }
        }
        self.drop_resident();
        let report = build_in(&self.options, &mut self.session)?;
        self.resident = self.session.last_build.take().and_then(|last| {
            ResidentSite::after_build(last, &self.options, report.errors.is_empty())
        });
        Ok(report)
    }

    fn drop_resident(&mut self) {
        if let Some(resident) = self.resident.take() {
            drop_in_background(resident);
        }
    }
}

impl Rebuild for SessionRebuild {
    fn rebuild(&mut self, changes: &ChangeSet) -> Result<RebuildOutcome, BuildError> {
        self.rebuild_announcing(changes, &mut |_| {})
    }

    fn rebuild_announcing(
        &mut self,
        changes: &ChangeSet,
        pages_written: &mut dyn FnMut(&[String]),
    ) -> Result<RebuildOutcome, BuildError> {
        let report = self.build(changes, pages_written)?;
        if let Err(e) = self.session.page_urls.learn(
            &self.options.site_dir,
            self.options.drafts,
            self.options.shards,
        ) {
            tracing::warn!("cannot plan the site to find its pages' URLs: {e}");
        }
        let changed = report.changed_outputs.clone();
        let failed_urls = report
            .failed_pages
            .iter()
            .filter_map(|id| self.session.page_urls.get(id).map(str::to_string))
            .collect();
        Ok(RebuildOutcome {
            report,
            changed,
            failed_urls,
        })
    }

    fn page_url(&mut self, page_id: &str) -> Option<String> {
        if let Err(e) = self.session.page_urls.learn(
            &self.options.site_dir,
            self.options.drafts,
            self.options.shards,
        ) {
            tracing::warn!("cannot plan the site to find its pages' URLs: {e}");
        }
        self.session.page_urls.get(page_id).map(str::to_string)
    }
}

/// The page id of the markdown file `page` (given relative to the current directory or to
/// the site), which must exist inside the site.
fn page_id(site_dir: &Path, page: &Path) -> anyhow::Result<String> {
    let site_root = std::fs::canonicalize(site_dir)
        .with_context(|| format!("{}: cannot open site folder", site_dir.display()))?;
    let candidates = [page.to_path_buf(), site_root.join(page)];
    let Some(found) = candidates
        .iter()
        .find_map(|candidate| std::fs::canonicalize(candidate).ok())
    else {
        anyhow::bail!(
            "{}: no such file; give the markdown file of a page, as content/guide/install.md",
            page.display()
        );
    };
    let rel = found.strip_prefix(&site_root).map_err(|_| {
        anyhow::anyhow!(
            "{}: not inside the site {}; give the markdown file of one of its pages",
            page.display(),
            site_root.display()
        )
    })?;
    Ok(rel.to_string_lossy().replace('\\', "/"))
}

/// URLs with the base path, from URL paths without it.
fn under_base(base_path: &str, urls: &[String]) -> Vec<String> {
    urls.iter().map(|url| format!("{base_path}{url}")).collect()
}

/// Runs the dev server with incremental rebuilds until Ctrl-C.
pub fn serve(options: &ServeOptions) -> anyhow::Result<()> {
    if options.full_rebuilds {
        serve_with(
            options,
            SessionRebuild::without_resident_site(options.build.clone()),
        )
    } else {
        serve_with(options, SessionRebuild::new(options.build.clone()))
    }
}

/// Runs the dev server with `rebuild` until Ctrl-C (or SIGTERM); returns once the watcher
/// has stopped, the server no longer accepts requests, every event stream is closed and
/// `rebuild` has been dropped (with any worker it kept). An `Err` means it could not start:
/// the first build was impossible, or the address or the watcher is unusable.
pub fn serve_with(options: &ServeOptions, mut rebuild: impl Rebuild) -> anyhow::Result<()> {
    let stop_signal = stop_on_ctrl_c()?;
    let stop = &stop_signal.receiver;
    let edited_page = match &options.page {
        Some(page) => Some(page_id(&options.build.site_dir, page)?),
        None => None,
    };
    let listener = HttpServer::bind(options.address)?;

    let first = rebuild.rebuild(&ChangeSet::default())?;
    console::first_build(&first.report);
    if stop.try_recv().is_ok() {
        console::stopping();
        return Ok(());
    }
    let site_root = std::fs::canonicalize(&options.build.site_dir).with_context(|| {
        format!(
            "{}: cannot open site folder",
            options.build.site_dir.display()
        )
    })?;
    let config = Config::load(&site_root).unwrap_or_default();
    let mut served = Served {
        out_dir: PathBuf::from(&first.report.output_dir),
        base_path: worker::base_path(&config.base_url),
    };

    let events = Arc::new(Broadcaster::new(server_id()));
    events.publish(&BuildUpdate {
        errors: first.report.errors.clone(),
        change: None,
        failed_pages: under_base(&served.base_path, &first.failed_urls),
    });
    let (change_sender, changes) = crossbeam_channel::unbounded::<ChangeSet>();
    let mut watcher = SourceWatcher::start(
        WatchRoots::new(&site_root, &config, &served.out_dir),
        change_sender,
    )?;
    let server = HttpServer::start(listener, served.clone(), Arc::clone(&events))?;
    console::serving(&server.url(), server.address(), watcher.watched());
    let origin = crate::serve::http::origin(server.address());
    let mut opened = server.url();
    if let Some(id) = &edited_page {
        match rebuild.page_url(id) {
            Some(url) => {
                opened = format!("{origin}{}{url}", served.base_path);
                console::page(id, &opened);
            }
            None => console::warning(&format!(
                "{id}: not a page of this site (a markdown file under the content folder); \
                 {} the home page",
                if options.open { "opening" } else { "serving" }
            )),
        }
    }
    if options.open {
        open_browser(&opened);
    }

    loop {
        let mut batch = crossbeam_channel::select! {
            recv(stop) -> _ => break,
            recv(changes) -> batch => match batch {
                Ok(batch) => batch,
                Err(_) => break,
            },
        };
        // Everything that arrived meanwhile goes into the same rebuild.
        while let Ok(more) = changes.try_recv() {
            batch.extend(more);
        }
        if stop.try_recv().is_ok() {
            break;
        }
        let started = Instant::now();
        let trigger = batch.describe(&site_root);
        let config = Config::load(&site_root).ok();
        // The edited pages, announced while the rest of the site is finished.
        let mut announced: Vec<String> = Vec::new();
        let mut announced_after = None;
        let rebuilt = rebuild.rebuild_announcing(&batch, &mut |outputs| {
            announced_after = Some(started.elapsed());
            announced.extend_from_slice(outputs);
            let change = PageChange::from_outputs(outputs, &served.base_path);
            if change.is_some() {
                events.publish(&BuildUpdate {
                    change,
                    ..BuildUpdate::default()
                });
            }
        });
        match rebuilt {
            Ok(outcome) => {
                let now_served = Served {
                    out_dir: PathBuf::from(&outcome.report.output_dir),
                    base_path: config.as_ref().map_or_else(
                        || served.base_path.clone(),
                        |config| worker::base_path(&config.base_url),
                    ),
                };
                if now_served != served {
                    server.set_served(now_served.clone());
                    served = now_served;
                }
                let not_announced: Vec<String> = outcome
                    .changed
                    .iter()
                    .filter(|output| !announced.contains(output))
                    .cloned()
                    .collect();
                let change = PageChange::from_outputs(&not_announced, &served.base_path);
                let all_changed = PageChange::from_outputs(&outcome.changed, &served.base_path);
                let changed_pages = all_changed.as_ref().map_or(&[][..], |c| &c.pages[..]);
                let changed_urls: Vec<String> = changed_pages
                    .iter()
                    .map(|page| format!("{origin}{page}"))
                    .collect();
                events.publish(&BuildUpdate {
                    errors: outcome.report.errors.clone(),
                    failed_pages: under_base(&served.base_path, &outcome.failed_urls),
                    change,
                });
                console::rebuilt(
                    &trigger,
                    &outcome.report,
                    &changed_urls,
                    announced_after,
                    started.elapsed(),
                );
            }
            Err(error) => {
                let errors = diagnostics_of(&error, &site_root);
                events.publish(&BuildUpdate {
                    errors: errors.clone(),
                    ..BuildUpdate::default()
                });
                console::rebuild_refused(&trigger, &errors);
            }
        }
        // The configuration may have moved the sources, or a source folder appeared.
        if let Some(config) = config
            && let Err(e) = watcher.update(
                WatchRoots::new(&site_root, &config, &served.out_dir),
                &batch,
            )
        {
            console::warning(&format!("{e:#}"));
        }
    }

    console::stopping();
    drop(watcher);
    tracing::debug!("stopped watching");
    events.close();
    server.stop();
    tracing::debug!("stopped the HTTP server");
    drop(rebuild);
    tracing::debug!("stopped the builder");
    Ok(())
}

/// Where the Ctrl-C handler sends: the running server's stop channel, if any.
static STOP_SENDER: Mutex<Option<crossbeam_channel::Sender<()>>> = Mutex::new(None);
/// Set by the first Ctrl-C of a server's run.
static STOP_REQUESTED: AtomicBool = AtomicBool::new(false);
/// The process-wide handler, installed once (the `ctrlc` crate allows one per process).
static HANDLER: OnceLock<Result<(), String>> = OnceLock::new();

/// Receives once on the first Ctrl-C (or SIGTERM) while it lives; a second one exits at
/// once, and worker processes die with this process.
struct StopSignal {
    receiver: crossbeam_channel::Receiver<()>,
}

impl Drop for StopSignal {
    fn drop(&mut self) {
        // From now on a Ctrl-C has no server to stop: it exits.
        *STOP_SENDER.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

fn stop_on_ctrl_c() -> anyhow::Result<StopSignal> {
    let installed = HANDLER.get_or_init(|| {
        ctrlc::set_handler(|| {
            let sender = STOP_SENDER
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            match sender {
                Some(sender) if !STOP_REQUESTED.swap(true, Ordering::SeqCst) => {
                    let _ = sender.try_send(());
                }
                _ => std::process::exit(130),
            }
        })
        .map_err(|e| e.to_string())
    });
    if let Err(e) = installed {
        anyhow::bail!("cannot install the Ctrl-C handler: {e}");
    }
    let (sender, receiver) = crossbeam_channel::bounded(1);
    STOP_REQUESTED.store(false, Ordering::SeqCst);
    *STOP_SENDER.lock().unwrap_or_else(PoisonError::into_inner) = Some(sender);
    Ok(StopSignal { receiver })
}

/// Distinct for every start of the server, so an open page notices a restart.
fn server_id() -> String {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("{}-{started}", std::process::id())
}

/// The errors of a build that could not start, for the console and the overlay.
fn diagnostics_of(error: &BuildError, site_root: &Path) -> Vec<Diagnostic> {
    match error {
        BuildError::Load(LoadError::Config(config)) => vec![Diagnostic {
            file: Some(
                config
                    .file
                    .strip_prefix(site_root)
                    .unwrap_or(&config.file)
                    .display()
                    .to_string(),
            ),
            line: config.line,
            message: config.message.clone(),
            hint: config.hint.clone(),
        }],
        other => vec![Diagnostic {
            file: None,
            line: None,
            message: other.to_string(),
            hint: None,
        }],
    }
}

/// Opens `url` in the desktop's browser, saying so if that is impossible.
fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            let url = url.to_string();
            // Some openers return at once, others only when the browser does: wait aside.
            let _ =
                std::thread::Builder::new()
                    .name("serve-open".into())
                    .spawn(move || match child.wait() {
                        Ok(status) if status.success() => {}
                        Ok(status) => console::open_failed(&url, &format!("{program}: {status}")),
                        Err(e) => console::open_failed(&url, &format!("{program}: {e}")),
                    });
        }
        Err(e) => console::open_failed(url, &format!("cannot run {program}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigError;

    #[test]
    fn a_broken_configuration_is_one_located_error() {
        let error = BuildError::Load(LoadError::Config(ConfigError {
            file: PathBuf::from("/site/ssg.toml"),
            line: Some(3),
            message: "invalid TOML".into(),
            hint: Some("quote strings".into()),
        }));
        assert_eq!(
            diagnostics_of(&error, Path::new("/site")),
            [Diagnostic {
                file: Some("ssg.toml".into()),
                line: Some(3),
                message: "invalid TOML".into(),
                hint: Some("quote strings".into()),
            }]
        );
        let error = BuildError::Output("public: not writable".into());
        assert_eq!(
            diagnostics_of(&error, Path::new("/site"))[0].message,
            "public: not writable"
        );
    }
}
