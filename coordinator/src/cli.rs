//! Command-line flags (clap) and their validation into the options the operations take.
//! Nothing below this module sees clap.

use crate::cache_url::CacheUrl;
use crate::ops::build::{BuildOptions, ExecutorChoice, SharedCacheUse};
use crate::ops::build_part::PartRequest;
use crate::ops::merge_parts::MergeOptions;
use crate::ops::serve::ServeOptions;
use crate::parts::PartOf;
use crate::plan::partition::ShardStrategy;
use crate::pool::ProcessOptions;
use clap::{Args, Parser, Subcommand};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// A static-site generator for documentation sites, sharded across worker processes.
#[derive(Debug, Parser)]
#[command(name = "ssg-coord", version, about, propagate_version = true)]
pub struct Cli {
    /// More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a site into its output directory.
    Build(BuildArgs),
    /// Remove a site's build cache (.ssg-cache) and output directory.
    Clean(CleanArgs),
    /// Build a site, serve it on localhost and rebuild it on every change, with live reload.
    Serve(ServeArgs),
    /// Build a site in full and check its links without writing its output or cache
    /// (exit codes as `build`).
    Check(CheckArgs),
    /// Put the parts of a distributed build (`build --shard K/N --emit DIR`) together into
    /// the site a one-machine build writes (exit codes as `build`).
    Merge(MergeArgs),
    /// Start a site: a commented ssg.toml, pages, a Python package and a CI recipe; or,
    /// with `--from mkdocs`, an ssg.toml for an MkDocs project (nothing is moved).
    Init(InitArgs),
    /// Internal: serve a coordinator as a worker process over stdin/stdout.
    #[command(hide = true)]
    Worker(WorkerArgs),
}

/// `ssg-coord clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// The site folder.
    #[arg(default_value = ".")]
    pub site_dir: PathBuf,
    /// The output directory to remove instead of build.output_dir.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `ssg-coord worker` (started by the coordinator, not by users).
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The coordinator's pid; the worker dies with it.
    #[arg(long)]
    pub parent_pid: u32,
    /// The worker's slot in the pool, for logs.
    #[arg(long)]
    pub worker_id: u32,
}

/// `ssg-coord build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder (holding ssg.toml and content/).
    #[arg(default_value = ".")]
    pub site_dir: PathBuf,
    /// Write the site here instead of build.output_dir.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Build pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Treat dead internal links and missing anchors as errors.
    #[arg(long)]
    pub strict: bool,
    /// Stop at the first page that fails (exit 1).
    #[arg(long)]
    pub fail_fast: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print one JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
    /// Who renders the pages.
    #[command(flatten)]
    pub executor: ExecutorArgs,
    /// Shard pages by kind: autodoc, content, generated.
    #[arg(long, conflicts_with = "inline_one_shard")]
    pub shard_autodoc: bool,
    /// Shard pages by doc version.
    #[arg(long, conflicts_with = "inline_one_shard")]
    pub shard_versions: bool,
    /// Shard pages by top-level section (very large sections are split by a stable hash).
    #[arg(long, conflicts_with = "inline_one_shard")]
    pub shard_sections: bool,
    /// Ignore the build cache and render every page (a fresh cache is still written).
    #[arg(long)]
    pub no_cache: bool,
    /// A shared shard cache (http://host/path for an HTTP GET/PUT store such as nginx
    /// WebDAV or bazel-remote, s3://bucket/prefix for an S3-compatible one): shards are
    /// looked up there before rendering and uploaded after (with --shard: the part's pages
    /// of each shard). Overrides [build] cache_url.
    #[arg(long, value_name = "URL")]
    pub cache_url: Option<String>,
    /// Build into a non-empty folder that ssg-coord did not create (no .ssg-coord-output
    /// marker). Its files are kept, but the folder is marked as ssg-coord's output, so
    /// `ssg-coord clean` may then delete it.
    #[arg(long)]
    pub force: bool,
    /// Render only part K of N of the site (1 <= K <= N; pages are split by cost, the same
    /// way on every machine) and write it with `--emit`, for `ssg-coord merge`.
    #[arg(long, value_name = "K/N", requires = "emit", conflicts_with = "out")]
    pub shard: Option<PartOf>,
    /// Where `--shard` writes the part: a folder, or an archive when it ends in `.tar.zst`.
    #[arg(long, value_name = "DIR", requires = "shard")]
    pub emit: Option<PathBuf>,
}

/// `ssg-coord merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The site folder the parts were built from.
    pub site_dir: PathBuf,
    /// The parts, in any order: folders or `.tar.zst` archives written by `ssg-coord build
    /// SITE --shard K/N --emit DIR`.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Write the site here (a folder ssg-coord made is emptied first).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Treat dead internal links and missing anchors as errors.
    #[arg(long)]
    pub strict: bool,
    /// Merge into a non-empty folder that ssg-coord did not create (its files are kept).
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print one JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
}

impl MergeArgs {
    /// Validated options and the report mode.
    pub fn into_options(self) -> (MergeOptions, ReportMode) {
        let mode = ReportMode::from_flags(self.json, self.quiet);
        let options = MergeOptions {
            site_dir: self.site_dir,
            parts: self.parts,
            out_dir: self.out,
            strict: self.strict,
            force: self.force,
        };
        (options, mode)
    }
}

/// `ssg-coord init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to start the site in (created if needed).
    #[arg(default_value = ".")]
    pub site_dir: PathBuf,
    /// Convert an existing project's configuration instead of writing a starter site.
    #[arg(long, value_enum, value_name = "KIND")]
    pub from: Option<InitFrom>,
}

/// What `init --from` converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InitFrom {
    /// An MkDocs project's mkdocs.yml.
    Mkdocs,
}

/// `ssg-coord check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder (holding ssg.toml and content/, or mkdocs.yml).
    #[arg(default_value = ".")]
    pub site_dir: PathBuf,
    /// Check pages marked `draft: true` too.
    #[arg(long)]
    pub drafts: bool,
    /// Treat dead internal links and missing anchors as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print one JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
    /// Who renders the pages.
    #[command(flatten)]
    pub executor: ExecutorArgs,
}

impl CheckArgs {
    /// Validated options (a full build that writes nothing the user keeps) and the report
    /// mode.
    pub fn into_options(self) -> Result<(BuildOptions, ReportMode), String> {
        let mode = ReportMode::from_flags(self.json, self.quiet);
        let one_shard = self.executor.inline_one_shard;
        let options = BuildOptions {
            site_dir: self.site_dir,
            out_dir: None,
            drafts: self.drafts,
            strict: self.strict,
            fail_fast: false,
            executor: self.executor.into_choice()?,
            progress: mode == ReportMode::Human,
            shards: ShardStrategy {
                one_shard,
                ..ShardStrategy::default()
            },
            use_cache: false,
            list_changes: false,
            write_cache: false,
            shared_cache: SharedCacheUse::Off,
            // `check` builds into a fresh temporary folder of its own.
            force: false,
        };
        Ok((options, mode))
    }
}

/// How pages are rendered: shared by `build`, `check` and `serve`.
#[derive(Debug, Args)]
pub struct ExecutorArgs {
    /// Render sequentially in this process, all pages in one shard (the reference output;
    /// for debugging).
    // The flag means two things, named apart inside: the inline executor
    // (`ExecutorChoice::Inline`) and one shard (`ShardStrategy::one_shard`).
    #[arg(long = "no-shard", group = "mode")]
    pub inline_one_shard: bool,
    /// Render with a thread pool in this process (the default below 2,000 pages to render).
    #[arg(long, group = "mode")]
    pub threads: bool,
    /// Render in worker processes (the default from 2,000 pages to render): memory-isolated and
    /// crash-resilient.
    #[arg(long, group = "mode")]
    pub process_parallel: bool,
    /// Most worker processes to run [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_processes: Option<u32>,
    /// Memory budget and ceiling of one worker process, in MiB: sizes the pool, and a worker
    /// above it is recycled (or killed mid-page and the page retried) [default: measured
    /// budget, 2048 MiB ceiling].
    #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(16..))]
    pub worker_memory: Option<u64>,
    /// Seconds one page may take in a worker process before the worker is replaced and the
    /// page retried.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub page_timeout: f64,
}

impl ExecutorArgs {
    /// The executor asked for, validated.
    pub fn into_choice(self) -> Result<ExecutorChoice, String> {
        if !(self.page_timeout.is_finite() && self.page_timeout > 0.0) {
            return Err(format!(
                "--page-timeout must be a positive number of seconds, not {}",
                self.page_timeout
            ));
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let processes = ProcessOptions {
            max_processes: self.max_processes.map_or(cores, |n| n as usize),
            worker_memory: self.worker_memory.map(|mb| mb * 1024 * 1024),
            page_timeout: Duration::from_secs_f64(self.page_timeout),
        };
        Ok(if self.inline_one_shard {
            ExecutorChoice::Inline
        } else if self.threads {
            ExecutorChoice::Threads(cores)
        } else if self.process_parallel {
            ExecutorChoice::Processes(processes)
        } else {
            ExecutorChoice::Auto {
                threads: cores,
                processes,
            }
        })
    }
}

/// How the end of a build is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportMode {
    /// Summary on stdout, diagnostics on stderr.
    Human,
    /// Diagnostics only.
    Quiet,
    /// One JSON object on stdout.
    Json,
}

impl ReportMode {
    /// The mode `--json` and `--quiet` ask for (`--json` wins).
    fn from_flags(json: bool, quiet: bool) -> ReportMode {
        if json {
            ReportMode::Json
        } else if quiet {
            ReportMode::Quiet
        } else {
            ReportMode::Human
        }
    }
}

impl BuildArgs {
    /// The part to build (`--shard K/N --emit DIR`), if any.
    pub fn part_request(&self) -> Option<PartRequest> {
        let (part, emit) = (self.shard?, self.emit.clone()?);
        Some(PartRequest { part, emit })
    }

    /// Validated options and the report mode.
    pub fn into_options(self) -> Result<(BuildOptions, ReportMode), String> {
        let mode = ReportMode::from_flags(self.json, self.quiet);
        let one_shard = self.executor.inline_one_shard;
        let executor = self.executor.into_choice()?;
        let options = BuildOptions {
            site_dir: self.site_dir,
            out_dir: self.out,
            drafts: self.drafts,
            strict: self.strict,
            fail_fast: self.fail_fast,
            executor,
            progress: mode == ReportMode::Human,
            shards: ShardStrategy {
                one_shard,
                by_kind: self.shard_autodoc,
                by_version: self.shard_versions,
                by_section: self.shard_sections,
            },
            use_cache: !self.no_cache,
            force: self.force,
            list_changes: false,
            write_cache: true,
            shared_cache: match self.cache_url {
                Some(url) => SharedCacheUse::Url(
                    CacheUrl::parse(&url).map_err(|why| format!("--cache-url: {why}"))?,
                ),
                None => SharedCacheUse::FromConfig,
            },
        };
        Ok((options, mode))
    }
}

/// `ssg-coord serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder (holding ssg.toml and content/).
    #[arg(default_value = ".")]
    pub site_dir: PathBuf,
    /// The markdown file of the page being edited (`content/guide/x.md`, relative to the
    /// site or to the current folder): its URL is printed, and `--open` opens it.
    #[arg(value_name = "PAGE")]
    pub page: Option<PathBuf>,
    /// Port to listen on (0 takes any free port).
    #[arg(long, default_value_t = 1313)]
    pub port: u16,
    /// Address to listen on; the default keeps the site on this machine.
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
    /// Write the site here instead of build.output_dir.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Build pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Rebuild every change with a full incremental build (as `ssg-coord build` does)
    /// instead of from the site kept in memory; slower on a large site.
    #[arg(long)]
    pub full_rebuilds: bool,
    /// Who renders the pages (worker processes keep serving: a page that crashes its worker
    /// does not stop the server).
    #[command(flatten)]
    pub executor: ExecutorArgs,
}

impl ServeArgs {
    /// Validated options; the executor flags are validated exactly as `build`'s.
    pub fn into_options(self) -> Result<ServeOptions, String> {
        let address = SocketAddr::new(self.bind, self.port);
        let open = self.open;
        let one_shard = self.executor.inline_one_shard;
        let build = BuildOptions {
            site_dir: self.site_dir,
            out_dir: self.out,
            drafts: self.drafts,
            strict: false,
            fail_fast: false,
            executor: self.executor.into_choice()?,
            progress: true,
            shards: ShardStrategy {
                one_shard,
                ..ShardStrategy::default()
            },
            use_cache: true,
            force: false,
            list_changes: false,
            write_cache: true,
            shared_cache: SharedCacheUse::Off,
        };
        Ok(ServeOptions {
            build,
            address,
            open,
            page: self.page,
            full_rebuilds: self.full_rebuilds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("ssg-coord").chain(args.iter().copied()))
    }

    fn build_args(args: &[&str]) -> BuildArgs {
        match parse(args) {
            Ok(Cli {
                command: Command::Build(build),
                ..
            }) => build,
            other => panic!("{args:?} should parse as build: {other:?}"),
        }
    }

    fn executor(args: &[&str]) -> ExecutorChoice {
        build_args(args).into_options().expect("valid").0.executor
    }

    #[test]
    fn build_flags() {
        let (options, mode) = build_args(&["build", "site", "--out", "o", "--strict", "--json"])
            .into_options()
            .expect("valid");
        assert_eq!(options.site_dir, PathBuf::from("site"));
        assert_eq!(options.out_dir, Some(PathBuf::from("o")));
        assert!(options.strict && !options.drafts && !options.fail_fast && !options.force);
        assert!(
            build_args(&["build", "--force"])
                .into_options()
                .expect("valid")
                .0
                .force
        );
        assert_eq!(mode, ReportMode::Json);
        assert!(!options.progress);
    }

    #[test]
    fn part_and_merge_flags() {
        let request = build_args(&["build", "site", "--shard", "2/4", "--emit", "p2"])
            .part_request()
            .expect("a part");
        assert_eq!(request.part, PartOf { number: 2, of: 4 });
        assert_eq!(request.emit, PathBuf::from("p2"));
        assert!(build_args(&["build"]).part_request().is_none());
        assert!(parse(&["build", "--shard", "2/4"]).is_err());
        assert!(parse(&["build", "--emit", "p"]).is_err());
        assert!(parse(&["build", "--shard", "5/4", "--emit", "p"]).is_err());
        assert!(parse(&["build", "--shard", "1/2", "--emit", "p", "--out", "o"]).is_err());
        let Ok(Cli {
            command: Command::Merge(merge),
            ..
        }) = parse(&[
            "merge",
            "site",
            "p1",
            "p2.tar.zst",
            "--out",
            "o",
            "--strict",
        ])
        else {
            panic!("merge should parse");
        };
        let (options, mode) = merge.into_options();
        assert_eq!(
            options.parts,
            [PathBuf::from("p1"), PathBuf::from("p2.tar.zst")]
        );
        assert_eq!(options.out_dir, PathBuf::from("o"));
        assert!(options.strict && mode == ReportMode::Human);
        assert!(parse(&["merge", "site", "--out", "o"]).is_err());
        assert!(parse(&["merge", "site", "p1"]).is_err());
    }

    #[test]
    fn mode_flags_pick_the_executor() {
        assert_eq!(executor(&["build", "--no-shard"]), ExecutorChoice::Inline);
        assert!(matches!(
            executor(&["build", "--threads"]),
            ExecutorChoice::Threads(_)
        ));
        let ExecutorChoice::Processes(options) = executor(&[
            "build",
            "--process-parallel",
            "--max-processes",
            "3",
            "--worker-memory",
            "300",
            "--page-timeout",
            "2.5",
        ]) else {
            panic!("processes expected");
        };
        assert_eq!(options.max_processes, 3);
        assert_eq!(options.worker_memory, Some(300 * 1024 * 1024));
        assert_eq!(options.page_timeout, Duration::from_millis(2500));
        assert!(matches!(executor(&["build"]), ExecutorChoice::Auto { .. }));
    }

    #[test]
    fn mode_flags_exclude_each_other_and_are_validated() {
        assert!(parse(&["build", "--no-shard", "--process-parallel"]).is_err());
        assert!(parse(&["build", "--max-processes", "0"]).is_err());
        assert!(parse(&["build", "--nope"]).is_err());
        assert!(
            build_args(&["build", "--page-timeout", "0"])
                .into_options()
                .is_err()
        );
    }

    fn serve_options(args: &[&str]) -> Result<ServeOptions, String> {
        match parse(args) {
            Ok(Cli {
                command: Command::Serve(serve),
                ..
            }) => serve.into_options(),
            other => panic!("{args:?} should parse as serve: {other:?}"),
        }
    }

    #[test]
    fn serve_flags() {
        let options = serve_options(&["serve"]).expect("valid");
        assert_eq!(options.address, "127.0.0.1:1313".parse().expect("address"));
        assert_eq!(options.build.site_dir, PathBuf::from("."));
        assert!(!options.open);
        assert!(!options.full_rebuilds);
        assert!(matches!(
            options.build.executor,
            ExecutorChoice::Auto { .. }
        ));
        let options = serve_options(&[
            "serve",
            "site",
            "--port",
            "0",
            "--bind",
            "::1",
            "--open",
            "--out",
            "o",
            "--process-parallel",
            "--max-processes",
            "2",
            "--full-rebuilds",
        ])
        .expect("valid");
        assert_eq!(options.address, "[::1]:0".parse().expect("address"));
        assert!(options.open);
        assert!(options.full_rebuilds);
        assert_eq!(options.build.out_dir, Some(PathBuf::from("o")));
        assert!(matches!(
            options.build.executor,
            ExecutorChoice::Processes(ProcessOptions {
                max_processes: 2,
                ..
            })
        ));
        assert!(parse(&["serve", "--port", "70000"]).is_err());
        assert!(parse(&["serve", "--bind", "localhost"]).is_err());
        assert!(parse(&["serve", "--threads", "--no-shard"]).is_err());
        assert!(serve_options(&["serve", "--page-timeout", "0"]).is_err());
    }

    #[test]
    fn the_worker_subcommand_is_hidden() {
        let help = <Cli as clap::CommandFactory>::command()
            .render_help()
            .to_string();
        assert!(
            !help
                .lines()
                .any(|line| line.trim_start().starts_with("worker")),
            "{help}"
        );
        assert!(parse(&["worker", "--parent-pid", "1", "--worker-id", "0"]).is_ok());
    }
}
