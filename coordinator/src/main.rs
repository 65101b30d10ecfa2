//! `ssg-coord`: parse the command line, run the subcommand, map the outcome to an exit code
//! (0 success, 1 a page failed, 2 a usage or configuration error).

use clap::Parser;
use coordinator::cli::{self, Cli, Command, ReportMode};
use coordinator::{logging, ops};
use std::io::Write;
use std::process::ExitCode;

/// mimalloc, not the system allocator, in the coordinator and its workers alike (set up by
/// `worker::tune_heap_for_builds`; `worker/src/heap.rs` says why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's settings, made before `main`: it reads them when it makes its first arena,
/// at the first allocation, which the runtime makes before `main` runs.
#[ctor::ctor(unsafe)]
fn tune_heap() {
    // Only stores settings: no allocation, no thread, nothing of std's runtime.
    worker::tune_heap_for_builds();
}

/// Worker mode: serve the coordinator over stdin/stdout until it says stop or goes away.
fn run_worker(args: &cli::WorkerArgs) -> ExitCode {
    logging::init_worker();
    worker::die_with_parent(args.parent_pid);
    worker::ignore_interrupts();

    let _span = tracing::info_span!("worker", id = args.worker_id).entered();
    match worker::serve_stdio() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::from(1)
        }
    }
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
    match cli.command {
        Command::Worker(args) => run_worker(&args),
        Command::Clean(args) => {
            logging::init(cli.verbose);
            match ops::clean::clean(&args.site_dir, args.out.as_deref()) {
                Ok(cleaned) => {
                    for removed in [cleaned.cache, cleaned.output].into_iter().flatten() {
                        println!("removed {}", removed.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Serve(args) => {
            logging::init(cli.verbose);
            let options = match args.into_options() {
                Ok(options) => options,
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
            };
            match ops::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Build(args) => {
            logging::init(cli.verbose);
            // This process ends with its build: the build's large values need not be freed.
            coordinator::teardown::exit_after_build();
            let part = args.part_request();
            match args.into_options() {
                Ok((options, mode)) => {
                    let outcome = match &part {
                        Some(part) => ops::build_part::build_part(&options, part),
                        None => ops::build::build(&options),
                    };
                    report_build(outcome, mode, false)
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Merge(args) => {
            logging::init(cli.verbose);
            // As for `build`: this process ends with its merge.
            coordinator::teardown::exit_after_build();
            let (options, mode) = args.into_options();
            report_build(ops::merge_parts::merge_parts(&options), mode, false)
        }
        Command::Init(args) => {
            logging::init(cli.verbose);
            let outcome = match args.from {
                Some(cli::InitFrom::Mkdocs) => {
                    ops::init::init_from_mkdocs(&args.site_dir).map(|file| vec![file])
                }
                None => ops::init::init_starter(&args.site_dir),
            };
            match outcome {
                Ok(written) => {
                    for file in written {
                        println!("wrote {}", file.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Check(args) => {
            logging::init(cli.verbose);
            match args.into_options() {
                Ok((options, mode)) => report_build(ops::check::check(&options), mode, true),
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// Prints a build's (or check's) report in `mode` and maps it to the exit code.
fn report_build(
    outcome: Result<coordinator::report::BuildReport, ops::build::BuildError>,
    mode: ReportMode,
    is_check: bool,
) -> ExitCode {
    let report = match outcome {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
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
            if is_check {
                report.print_check_summary(&mut stdout);
            } else {
                report.print_summary(&mut stdout);
            }
        }
    }
    if report.succeeded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
