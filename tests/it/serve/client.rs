//! The test side of `ssg-coord serve`: starting the binary and reading its output, a tiny
//! HTTP/1.1 client on std `TcpStream` (no client crate), and an event-stream reader.

use crate::support::binary;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest wait for an event after an edit.
pub const EVENT_WAIT: Duration = Duration::from_secs(20);
/// Longest wait for the first build and the `serving` line (a debug binary, busy cores).
const START_WAIT: Duration = Duration::from_secs(120);
/// Longest wait for an event when worker processes are slowed down or killed.
pub const SLOW_WAIT: Duration = Duration::from_secs(60);

/// A running `ssg-coord serve`, killed on drop if a test did not stop it.
pub struct DevServer {
    child: Child,
    /// Where it listens.
    pub address: SocketAddr,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

fn collect_lines(stream: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            sink.lock().expect("lines").push(line);
        }
    });
    lines
}

impl DevServer {
    /// `ssg-coord serve <site> --port 0 --out <out> <extra>`, once it serves.
    pub fn start(site: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> DevServer {
        let mut command = Command::new(binary());
        command
            .arg("serve")
            .arg(site)
            .args(["--port", "0", "--out"])
            .arg(out)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("spawn ssg-coord serve");
        let stdout = collect_lines(child.stdout.take().expect("stdout"));
        let stderr = collect_lines(child.stderr.take().expect("stderr"));
        let deadline = Instant::now() + START_WAIT;
        let address = loop {
            let serving = stdout
                .lock()
                .expect("lines")
                .iter()
                .find_map(|line| line.strip_prefix("serving http://").map(str::to_string));
            if let Some(rest) = serving {
                let host = rest.split('/').next().unwrap_or_default();
                break host
                    .parse::<SocketAddr>()
                    .unwrap_or_else(|e| panic!("`serving http://{rest}`: {e}"));
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "serve exited with {status} before serving\nstdout: {:#?}\nstderr: {:#?}",
                    stdout.lock().expect("lines"),
                    stderr.lock().expect("lines")
                );
            }
            assert!(Instant::now() < deadline, "serve did not start serving");
            std::thread::sleep(Duration::from_millis(20));
        };
        DevServer {
            child,
            address,
            stdout,
            stderr,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn get(&self, target: &str) -> HttpResponse {
        request(self.address, "GET", target)
    }

    pub fn events(&self) -> EventStream {
        EventStream::open(self.address)
    }

    /// The first stdout line that `matches`, waiting for it.
    pub fn wait_for_stdout(&self, matches: impl Fn(&str) -> bool) -> String {
        self.wait_for_stdout_lines(EVENT_WAIT, |lines| {
            lines.iter().find(|line| matches(line)).cloned()
        })
    }

    /// Waits until `count` stdout lines match `matches`.
    pub fn wait_for_stdout_count(&self, count: usize, matches: impl Fn(&str) -> bool) {
        self.wait_for_stdout_lines(SLOW_WAIT, |lines| {
            (lines.iter().filter(|line| matches(line)).count() >= count).then_some(())
        })
    }

    /// What `found` finds in the stdout lines so far, polling until it finds something or
    /// `wait` has passed (then the test fails with the server's output).
    fn wait_for_stdout_lines<T>(
        &self,
        wait: Duration,
        found: impl Fn(&[String]) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(value) = found(&self.stdout.lock().expect("lines")) {
                return value;
            }
            assert!(Instant::now() < deadline, "{}", self.output());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn stderr(&self) -> Vec<String> {
        self.stderr.lock().expect("lines").clone()
    }

    pub fn output(&self) -> String {
        format!(
            "stdout: {:#?}\nstderr: {:#?}",
            self.stdout.lock().expect("lines"),
            self.stderr.lock().expect("lines")
        )
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit code.
    pub fn interrupt(&mut self) -> i32 {
        // SAFETY: kill(2) on our own child's pid.
        assert_eq!(unsafe { libc::kill(self.pid() as i32, libc::SIGINT) }, 0);
        let deadline = Instant::now() + SLOW_WAIT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code().unwrap_or(-1);
            }
            assert!(
                Instant::now() < deadline,
                "serve ignored Ctrl-C\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One HTTP response.
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    headers: Vec<(String, String)>,
    /// Body (empty for HEAD).
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `method target` as written (no normalisation, so escapes reach the server) and
/// reads the whole response.
pub fn request(address: SocketAddr, method: &str, target: &str) -> HttpResponse {
    request_with(address, method, target, &[])
}

/// [`request`] with extra request headers.
pub fn request_with(
    address: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> HttpResponse {
    let mut stream =
        TcpStream::connect_timeout(&address, Duration::from_secs(10)).expect("connect");
    stream
        .set_read_timeout(Some(EVENT_WAIT))
        .expect("read timeout");
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\n{extra}Connection: close\r\n\r\n"
    )
    .expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line in {head}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_string(), value.trim().to_string()))
        .collect();
    let chunked = headers.iter().any(|(key, value)| {
        key.eq_ignore_ascii_case("Transfer-Encoding") && value.eq_ignore_ascii_case("chunked")
    });
    let body = &raw[split + 4..];
    let body = if chunked {
        let mut decoded = Vec::new();
        Dechunk::new(body)
            .read_to_end(&mut decoded)
            .expect("chunked body");
        decoded
    } else {
        body.to_vec()
    };
    HttpResponse {
        status,
        headers,
        body,
    }
}

/// Reads the body of a `Transfer-Encoding: chunked` response from `inner` (positioned
/// after the headers).
pub struct Dechunk<R> {
    inner: BufReader<R>,
    left: usize,
    done: bool,
}

impl<R: Read> Dechunk<R> {
    pub fn new(inner: R) -> Dechunk<R> {
        Dechunk {
            inner: BufReader::new(inner),
            left: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for Dechunk<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            self.inner.read_line(&mut line)?;
            let size = line.trim().split(';').next().unwrap_or_default();
            self.left = usize::from_str_radix(size, 16).map_err(|_| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("chunk size {line:?}"),
                )
            })?;
            if self.left == 0 {
                self.done = true;
                return Ok(0);
            }
        }
        let wanted = out.len().min(self.left);
        let read = self.inner.read(&mut out[..wanted])?;
        if read == 0 {
            return Ok(0);
        }
        self.left -= read;
        if self.left == 0 {
            let mut end = [0u8; 2];
            self.inner.read_exact(&mut end)?;
        }
        Ok(read)
    }
}

/// An open `/__ssg/events` stream, parsed into (event, data) on a thread.
pub struct EventStream {
    events: crossbeam_channel::Receiver<(String, Value)>,
    /// Every event waited through so far, for failure messages.
    pub seen: Vec<(String, Value)>,
}

impl EventStream {
    pub fn open(address: SocketAddr) -> EventStream {
        let mut stream =
            TcpStream::connect_timeout(&address, Duration::from_secs(10)).expect("connect");
        write!(
            stream,
            "GET /__ssg/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send request");
        let (sender, events) = crossbeam_channel::unbounded();
        std::thread::spawn(move || {
            let mut head = BufReader::new(stream);
            let mut status = String::new();
            head.read_line(&mut status).expect("status line");
            assert!(status.contains(" 200 "), "event stream: {status}");
            let mut chunked = false;
            loop {
                let mut line = String::new();
                if head.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                let line = line.to_ascii_lowercase();
                chunked |= line.starts_with("transfer-encoding:") && line.contains("chunked");
            }
            let body: Box<dyn Read + Send> = if chunked {
                Box::new(Dechunk::new(head))
            } else {
                Box::new(head)
            };
            let lines = BufReader::new(body).lines().map_while(Result::ok);
            let (mut event, mut data) = (String::new(), String::new());
            for line in lines {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_string();
                } else if let Some(json) = line.strip_prefix("data: ") {
                    data = json.to_string();
                } else if line.is_empty() && !event.is_empty() {
                    let value = serde_json::from_str(&data).expect("event data is JSON");
                    if sender.send((std::mem::take(&mut event), value)).is_err() {
                        return;
                    }
                }
            }
        });
        let mut stream = EventStream {
            events,
            seen: Vec::new(),
        };
        stream.wait_for("hello", EVENT_WAIT, |name, _| name == "hello");
        stream
    }

    /// The first event (from now on) that `matches`, or a panic naming what was seen.
    pub fn wait_for(
        &mut self,
        what: &str,
        limit: Duration,
        matches: impl Fn(&str, &Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok((name, data)) => {
                    self.seen.push((name.clone(), data.clone()));
                    if matches(&name, &data) {
                        return data;
                    }
                }
                Err(_) => panic!("no {what} event; seen: {:#?}", self.seen),
            }
        }
    }

    /// Events that arrived so far and were not waited for.
    pub fn pending(&self) -> Vec<(String, Value)> {
        self.events.try_iter().collect()
    }
}
