//! `serve-load`: load-tests `ssg-coord serve` on loopback.
//!
//! ```text
//! cargo run --release -p serve-load -- --site target/bench-sites/reference
//! cargo run --release -p serve-load -- --url http://127.0.0.1:1313/ --connections 50 --seconds 5
//! ```
//!
//! With `--site`, it starts `ssg-coord serve SITE --port 0` itself (the release binary beside
//! this one unless `--binary` says otherwise), waits for its `serving` line, runs the load
//! and stops it with Ctrl-C. The exit code is 1 when a request failed or an event stream
//! was lost.

use clap::Parser;
use serve_load::{LoadOptions, run};
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

/// Load-test a running (or started) `ssg-coord serve` on 127.0.0.1: keep-alive connections
/// requesting the site's pages, plus open event streams, for a bounded time.
#[derive(Debug, Parser)]
#[command(name = "serve-load")]
struct Args {
    /// A running server, `http://127.0.0.1:PORT/`.
    #[arg(long, conflicts_with = "site", required_unless_present = "site")]
    url: Option<String>,
    /// Start `ssg-coord serve` on this site folder (output in a temporary folder).
    #[arg(long)]
    site: Option<PathBuf>,
    /// The `ssg-coord` binary for `--site` (default: beside this one).
    #[arg(long)]
    binary: Option<PathBuf>,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 200)]
    connections: usize,
    /// Event streams held open meanwhile.
    #[arg(long, default_value_t = 50)]
    streams: usize,
    /// Seconds the connections keep requesting.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
}

/// `127.0.0.1:PORT` of `http://127.0.0.1:PORT/…`.
fn address_of(url: &str) -> Result<SocketAddr, String> {
    let host = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: give an http:// URL"))?
        .split('/')
        .next()
        .unwrap_or_default();
    host.to_socket_addrs()
        .map_err(|e| format!("{url}: {e}"))?
        .next()
        .ok_or_else(|| format!("{url}: no address"))
}

/// A started server, stopped (Ctrl-C, then kill) on drop.
struct Server {
    child: std::process::Child,
    _out: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        // SAFETY: kill(2) on our own child: Ctrl-C, so it stops its workers.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                let _ = std::fs::remove_dir_all(&self._out);
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._out);
    }
}

fn start(site: &PathBuf, binary: Option<PathBuf>) -> Result<(Server, String), String> {
    let binary = match binary {
        Some(binary) => binary,
        None => std::env::current_exe()
            .map_err(|e| format!("cannot find this binary: {e}"))?
            .with_file_name("ssg-coord"),
    };
    let out = std::env::temp_dir().join(format!("serve-load-{}", std::process::id()));
    let mut child = Command::new(&binary)
        .arg("serve")
        .arg(site)
        .args(["--port", "0", "--out"])
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("{}: cannot start: {e}", binary.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server { child, _out: out };
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.strip_prefix("serving ") {
                    break url.to_string();
                }
            }
            _ => return Err("ssg-coord serve stopped before serving".into()),
        }
    };
    // Keep draining its stdout (one line per rebuild) so it never blocks.
    std::thread::spawn(move || lines.for_each(drop));
    Ok((server, url))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = match &args.site {
        Some(site) => match start(site, args.binary.clone()) {
            Ok((server, url)) => Some((server, url)),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let Some(url) = started
        .as_ref()
        .map(|(_, url)| url.clone())
        .or(args.url.clone())
    else {
        eprintln!("error: give --url or --site");
        return ExitCode::from(2);
    };
    let address = match address_of(&url) {
        Ok(address) => address,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let options = LoadOptions {
        address,
        connections: args.connections,
        streams: args.streams,
        duration: Duration::from_secs_f64(args.seconds.max(0.0)),
        paths: Vec::new(),
    };
    match run(&options) {
        Ok(report) => {
            println!("{}", report.summary(&options));
            for error in &report.first_errors {
                println!("error: {error}");
            }
            drop(started);
            if report.errors == 0 && report.open_streams == options.streams {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
