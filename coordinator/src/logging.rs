//! Logging setup: `tracing` to stderr, `-v` for more, `RUST_LOG` to override. Workers
//! inherit the coordinator's filter and tag every line with their id.

use std::sync::OnceLock;

static FILTER: OnceLock<String> = OnceLock::new();

/// Environment variable carrying the coordinator's log filter to its workers.
pub const WORKER_LOG_ENV: &str = "SSG_COORD_WORKER_LOG";

/// Initialises logging for the coordinator.
pub fn init(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| default.to_string());
    install(&filter);
    let _ = FILTER.set(filter);
}

/// Initialises logging in a worker process from the filter its coordinator passed down.
pub fn init_worker() {
    let filter = std::env::var(WORKER_LOG_ENV).unwrap_or_else(|_| "warn".to_string());
    install(&filter);
}

/// The filter workers should use.
pub fn worker_filter() -> String {
    FILTER.get().cloned().unwrap_or_else(|| "warn".to_string())
}

fn install(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .try_init();
}
