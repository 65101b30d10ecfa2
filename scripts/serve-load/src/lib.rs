//! A load test of `ssg-coord serve`, on loopback only and bounded in count and time.
//!
//! [`run`] keeps `connections` keep-alive HTTP/1.1 connections busy requesting the site's
//! pages (taken from its `sitemap.xml`, round robin) for `duration`, while `streams` event
//! streams (`/__ssg/events`) stay open beside them, as open tabs would. It counts requests
//! sent, answered (with 200) and failed, keeps every answer's latency, and checks that each
//! event stream got its `hello` and was still open at the end.
//!
//! Standard library only: one thread per connection and per stream (at most
//! [`MAX_CONNECTIONS`] + [`MAX_STREAMS`]), a small HTTP/1.1 client reading `Content-Length`
//! and chunked bodies.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most concurrent connections [`run`] accepts.
pub const MAX_CONNECTIONS: usize = 1000;
/// Most event streams [`run`] accepts.
pub const MAX_STREAMS: usize = 1000;
/// Longest run [`run`] accepts.
pub const MAX_DURATION: Duration = Duration::from_secs(120);
/// Longest wait for one answer or one greeting.
const ANSWER_WAIT: Duration = Duration::from_secs(30);
/// Errors kept verbatim in the report (all are counted).
const KEPT_ERRORS: usize = 10;

/// What to run.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The server (a loopback address).
    pub address: SocketAddr,
    /// Concurrent keep-alive connections requesting pages.
    pub connections: usize,
    /// Event streams held open meanwhile.
    pub streams: usize,
    /// How long the connections keep requesting.
    pub duration: Duration,
    /// Paths to request; empty: the paths of the site's `sitemap.xml` (or `/`).
    pub paths: Vec<String>,
}

/// What happened.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// Distinct paths requested.
    pub paths: usize,
    /// Requests sent.
    pub sent: u64,
    /// Requests answered with 200 and a whole body.
    pub answered: u64,
    /// Requests that failed (an I/O error, a timeout, another status).
    pub errors: u64,
    /// The first few errors, verbatim.
    pub first_errors: Vec<String>,
    /// Latency of every answered request, sorted.
    pub latencies: Vec<Duration>,
    /// Event streams that got their `hello`.
    pub greeted_streams: usize,
    /// Event streams still open when the run ended.
    pub open_streams: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
}

impl LoadReport {
    /// The latency below which `fraction` of the answers fall (nearest rank).
    pub fn percentile(&self, fraction: f64) -> Option<Duration> {
        if self.latencies.is_empty() {
            return None;
        }
        let rank = (fraction * self.latencies.len() as f64).ceil() as usize;
        Some(self.latencies[rank.clamp(1, self.latencies.len()) - 1])
    }

    /// One paragraph for people.
    pub fn summary(&self, options: &LoadOptions) -> String {
        let ms = |d: Option<Duration>| {
            d.map_or("-".to_string(), |d| {
                format!("{:.2}", d.as_secs_f64() * 1000.0)
            })
        };
        format!(
            "{} connections, {} event streams, {:.1} s, {} paths\n\
             requests: {} sent, {} answered, {} errors ({:.0} answers/s)\n\
             latency: p50 {} ms, p99 {} ms, max {} ms\n\
             event streams: {} greeted, {} still open at the end",
            options.connections,
            options.streams,
            self.elapsed.as_secs_f64(),
            self.paths,
            self.sent,
            self.answered,
            self.errors,
            self.answered as f64 / self.elapsed.as_secs_f64().max(0.001),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.99)),
            ms(self.latencies.last().copied()),
            self.greeted_streams,
            self.open_streams,
        )
    }
}

/// One HTTP response: status and body.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

/// Sends a GET on `stream` (kept alive) and reads the whole answer.
fn get(stream: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<Answer> {
    write!(
        stream.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )?;
    let mut line = String::new();
    stream.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        if stream.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            if name == "content-length" {
                length = value.parse::<usize>().ok();
            } else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            stream.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| std::io::Error::other(format!("bad chunk size {line:?}")))?;
            let mut chunk = vec![0; size + 2];
            stream.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = length {
        body.resize(length, 0);
        stream.read_exact(&mut body)?;
    }
    Ok(Answer { status, body })
}

fn connect(address: SocketAddr) -> std::io::Result<BufReader<TcpStream>> {
    let stream = TcpStream::connect_timeout(&address, ANSWER_WAIT)?;
    stream.set_read_timeout(Some(ANSWER_WAIT))?;
    stream.set_nodelay(true)?;
    Ok(BufReader::new(stream))
}

/// The paths of the pages in the site's `sitemap.xml`, or `/` when it has none.
pub fn sitemap_paths(address: SocketAddr) -> Vec<String> {
    let text = connect(address)
        .and_then(|mut stream| get(&mut stream, "/sitemap.xml"))
        .ok()
        .filter(|answer| answer.status == 200)
        .map(|answer| String::from_utf8_lossy(&answer.body).into_owned())
        .unwrap_or_default();
    let mut paths: Vec<String> = text
        .split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .filter_map(|url| {
            let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
            after_scheme
                .find('/')
                .map(|slash| after_scheme[slash..].to_string())
        })
        .collect();
    if paths.is_empty() {
        paths.push("/".to_string());
    }
    paths
}

/// What the connection threads share.
#[derive(Default)]
struct Tally {
    sent: u64,
    answered: u64,
    errors: u64,
    first_errors: Vec<String>,
    latencies: Vec<Duration>,
}

impl Tally {
    fn error(&mut self, what: String) {
        self.errors += 1;
        if self.first_errors.len() < KEPT_ERRORS {
            self.first_errors.push(what);
        }
    }
}

fn request_loop(
    address: SocketAddr,
    paths: &[String],
    first: usize,
    until: Instant,
    tally: &Mutex<Tally>,
) {
    let mut mine = Tally::default();
    let mut stream = None;
    let mut next = first;
    while Instant::now() < until {
        let path = &paths[next % paths.len()];
        next += 1;
        let connection = match stream.take() {
            Some(open) => Ok(open),
            None => connect(address),
        };
        let mut connection = match connection {
            Ok(connection) => connection,
            Err(e) => {
                mine.sent += 1;
                mine.error(format!("connect: {e}"));
                continue;
            }
        };
        mine.sent += 1;
        let started = Instant::now();
        match get(&mut connection, path) {
            Ok(answer) if answer.status == 200 => {
                mine.latencies.push(started.elapsed());
                mine.answered += 1;
                stream = Some(connection);
            }
            Ok(answer) => {
                mine.error(format!("GET {path}: status {}", answer.status));
                stream = Some(connection);
            }
            Err(e) => mine.error(format!("GET {path}: {e}")),
        }
    }
    let mut shared = tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    shared.sent += mine.sent;
    shared.answered += mine.answered;
    shared.latencies.extend(mine.latencies);
    for error in mine.first_errors {
        if shared.first_errors.len() < KEPT_ERRORS {
            shared.first_errors.push(error);
        }
    }
    shared.errors += mine.errors;
}

/// Holds one event stream open until `until`: (greeted, still open at the end).
fn hold_stream(address: SocketAddr, until: Instant) -> (bool, bool) {
    let Ok(mut stream) = connect(address) else {
        return (false, false);
    };
    if write!(
        stream.get_mut(),
        "GET /__ssg/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .is_err()
    {
        return (false, false);
    }
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + ANSWER_WAIT;
    let greeted = loop {
        if String::from_utf8_lossy(&seen).contains("event: hello") {
            break true;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break false,
            Ok(read) => seen.extend_from_slice(&buffer[..read]),
        }
        if Instant::now() > deadline {
            break false;
        }
    };
    if !greeted {
        return (false, false);
    }
    // Read (pings) until the end; an end of stream before it is a dropped stream.
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return (true, true);
        }
        let wait = left.min(Duration::from_millis(500));
        if stream.get_ref().set_read_timeout(Some(wait)).is_err() {
            return (true, false);
        }
        match stream.read(&mut buffer) {
            Ok(0) => return (true, false),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return (true, false),
        }
    }
}

/// Runs the load; `Err` when the options are out of bounds or the address is not loopback.
pub fn run(options: &LoadOptions) -> Result<LoadReport, String> {
    if !options.address.ip().is_loopback() {
        return Err(format!(
            "{}: the load test only runs against a loopback address (127.0.0.1)",
            options.address
        ));
    }
    if options.connections == 0 || options.connections > MAX_CONNECTIONS {
        return Err(format!("--connections must be 1 to {MAX_CONNECTIONS}"));
    }
    if options.streams > MAX_STREAMS {
        return Err(format!("--streams must be at most {MAX_STREAMS}"));
    }
    if options.duration.is_zero() || options.duration > MAX_DURATION {
        return Err(format!(
            "the duration must be above 0 and at most {} s",
            MAX_DURATION.as_secs()
        ));
    }
    let paths = if options.paths.is_empty() {
        sitemap_paths(options.address)
    } else {
        options.paths.clone()
    };
    let paths = Arc::new(paths);
    let started = Instant::now();
    // The streams open first, and stay open a little past the requests.
    let streams_until = started + options.duration + Duration::from_millis(500);
    let stream_threads: Vec<_> = (0..options.streams)
        .map(|_| {
            let address = options.address;
            std::thread::spawn(move || hold_stream(address, streams_until))
        })
        .collect();
    let until = Instant::now() + options.duration;
    let tally = Arc::new(Mutex::new(Tally::default()));
    let request_threads: Vec<_> = (0..options.connections)
        .map(|index| {
            let (paths, tally, address) = (Arc::clone(&paths), Arc::clone(&tally), options.address);
            std::thread::spawn(move || request_loop(address, &paths, index, until, &tally))
        })
        .collect();
    for thread in request_threads {
        if thread.join().is_err() {
            return Err("a request thread panicked".into());
        }
    }
    let elapsed = started.elapsed();
    let mut report = LoadReport {
        paths: paths.len(),
        elapsed,
        ..LoadReport::default()
    };
    for thread in stream_threads {
        let (greeted, open) = thread
            .join()
            .map_err(|_| "a stream thread panicked".to_string())?;
        report.greeted_streams += usize::from(greeted);
        report.open_streams += usize::from(open);
    }
    let mut tally = std::mem::take(
        &mut *tally
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    tally.latencies.sort_unstable();
    report.sent = tally.sent;
    report.answered = tally.answered;
    report.errors = tally.errors;
    report.first_errors = tally.first_errors;
    report.latencies = tally.latencies;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let report = LoadReport {
            latencies: (1..=100).map(Duration::from_millis).collect(),
            ..LoadReport::default()
        };
        assert_eq!(report.percentile(0.5), Some(Duration::from_millis(50)));
        assert_eq!(report.percentile(0.99), Some(Duration::from_millis(99)));
        assert_eq!(LoadReport::default().percentile(0.5), None);
    }

    #[test]
    fn only_loopback_and_bounded_runs() {
        let options = LoadOptions {
            address: "10.1.2.3:80".parse().expect("address"),
            connections: 1,
            streams: 0,
            duration: Duration::from_secs(1),
            paths: Vec::new(),
        };
        assert!(run(&options).is_err());
        let too_many = LoadOptions {
            address: "127.0.0.1:9".parse().expect("address"),
            connections: MAX_CONNECTIONS + 1,
            ..options.clone()
        };
        assert!(run(&too_many).is_err());
        let too_long = LoadOptions {
            address: "127.0.0.1:9".parse().expect("address"),
            duration: MAX_DURATION + Duration::from_secs(1),
            ..options
        };
        assert!(run(&too_long).is_err());
    }
}
