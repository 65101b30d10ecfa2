//! `ssg-coord`: parse the command line, run the subcommand, map the outcome to an exit code
//! (0 success, 1 a page failed, 2 a usage or configuration error).

mod cli;
mod config;
mod diagnostics;
mod discover;
mod merge;
mod ops;
mod plan;
mod pool;
mod progress;
mod report;

use clap::Parser;
use cli::{Cli, Command, ReportMode};
use std::io::Write;
use std::process::ExitCode;

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging(cli.verbose);
    match cli.command {
        Command::Build(args) => {
            let (options, mode) = args.into_options();
            match ops::build::build(&options) {
                Ok(report) => {
                    let mut stdout = std::io::stdout().lock();
                    let mut stderr = std::io::stderr().lock();
                    match mode {
                        ReportMode::Json => {
                            let _ = writeln!(stdout, "{}", report.to_json());
                        }
                        ReportMode::Quiet => {
                            for error in &report.errors {
                                let _ = writeln!(stderr, "error: {error}");
                            }
                        }
                        ReportMode::Human => {
                            report.print_diagnostics(&mut stderr);
                            report.print_summary(&mut stdout);
                        }
                    }
                    if report.succeeded() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
