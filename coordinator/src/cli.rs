//! Command-line flags (clap) and their validation into the options the operations take.
//! Nothing below this module sees clap.

use crate::ops::build::BuildOptions;
use crate::pool::Executor;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
    /// Render sequentially in this process (the reference output; for debugging).
    #[arg(long)]
    pub no_shard: bool,
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

impl BuildArgs {
    /// Validated options and the report mode.
    pub fn into_options(self) -> (BuildOptions, ReportMode) {
        let mode = if self.json {
            ReportMode::Json
        } else if self.quiet {
            ReportMode::Quiet
        } else {
            ReportMode::Human
        };
        let executor = if self.no_shard {
            Executor::Inline
        } else {
            Executor::Threads {
                threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            }
        };
        let options = BuildOptions {
            site_dir: self.site_dir,
            out_dir: self.out,
            drafts: self.drafts,
            strict: self.strict,
            fail_fast: self.fail_fast,
            executor,
            progress: mode == ReportMode::Human,
        };
        (options, mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("ssg-coord").chain(args.iter().copied()))
    }

    #[test]
    fn build_flags() {
        let Ok(Cli {
            command: Command::Build(args),
            ..
        }) = parse(&["build", "site", "--out", "o", "--strict", "--json"])
        else {
            panic!("build should parse");
        };
        let (options, mode) = args.into_options();
        assert_eq!(options.site_dir, PathBuf::from("site"));
        assert_eq!(options.out_dir, Some(PathBuf::from("o")));
        assert!(options.strict && !options.drafts && !options.fail_fast);
        assert_eq!(mode, ReportMode::Json);
        assert!(!options.progress);
    }

    #[test]
    fn no_shard_is_inline() {
        let Ok(Cli {
            command: Command::Build(args),
            ..
        }) = parse(&["build", "--no-shard"])
        else {
            panic!("build should parse");
        };
        assert_eq!(args.into_options().0.executor, Executor::Inline);
    }

    #[test]
    fn unknown_flags_are_usage_errors() {
        assert!(parse(&["build", "--nope"]).is_err());
    }
}
