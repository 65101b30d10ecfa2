//! One worker process: this same executable started in its hidden `worker` mode, spoken to
//! with frames over its stdin/stdout (stderr is inherited, for its logs).
//!
//! A reader thread per worker turns its stdout into [`WorkerEvent`]s on a shared channel, so
//! the supervisor never blocks on a slow worker. [`WorkerProcess`] kills and reaps its child
//! on drop (like rust-analyzer's `JodChild`), so no path through the supervisor, including
//! a panic, can leave a worker running.

use crossbeam_channel::Sender;
use protocol::{FrameError, FromWorker, ToWorker, read_frame, write_frame, write_frame_streamed};
use std::fmt;
use std::io::{self, BufReader, BufWriter, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::logging::WORKER_LOG_ENV;

/// Something that happened to a worker.
#[derive(Debug)]
pub struct WorkerEvent {
    /// Pool slot of the worker.
    pub slot: usize,
    /// Which process in that slot (slots are refilled after a crash).
    pub generation: u64,
    /// What happened.
    pub kind: WorkerEventKind,
}

/// What happened to a worker.
#[derive(Debug)]
pub enum WorkerEventKind {
    /// A message arrived.
    Message(FromWorker),
    /// Its stdout closed (it exited or died); the error says why reading failed, if it did.
    Closed(Option<FrameError>),
}

/// Why a worker process ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExitReason {
    /// Killed by a signal (SIGKILL from the OOM killer or a user, SIGABRT, SIGSEGV...).
    Signal(i32),
    /// Exited with a status code.
    Code(i32),
    /// The supervisor killed it: the page took longer than the timeout.
    Timeout(Duration),
    /// The supervisor killed it: its memory passed the ceiling.
    Memory {
        /// Resident memory when it was killed.
        rss: u64,
        /// The ceiling.
        ceiling: u64,
    },
    /// The supervisor killed it: it wrote something that is not a valid frame (garbage on
    /// its stdout, a frame over the size limit).
    Protocol(String),
    /// It closed its pipe and could not be waited for.
    Unknown,
}

impl fmt::Display for ExitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExitReason::Signal(signal) => write!(
                f,
                "worker killed by signal {signal}{}",
                signal_name(*signal)
            ),
            ExitReason::Code(code) => write!(f, "worker exited with status {code}"),
            ExitReason::Timeout(limit) => write!(
                f,
                "page took longer than the {}s page timeout",
                limit.as_secs_f64()
            ),
            ExitReason::Memory { rss, ceiling } => write!(
                f,
                "worker passed its memory ceiling of {} (resident {})",
                super::sizing::human_bytes(*ceiling),
                super::sizing::human_bytes(*rss)
            ),
            ExitReason::Protocol(error) => {
                write!(f, "worker wrote something that is not a frame ({error})")
            }
            ExitReason::Unknown => write!(f, "worker closed its pipe"),
        }
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGKILL => " (SIGKILL)",
        libc::SIGABRT => " (SIGABRT)",
        libc::SIGSEGV => " (SIGSEGV)",
        libc::SIGBUS => " (SIGBUS)",
        libc::SIGTERM => " (SIGTERM)",
        libc::SIGINT => " (SIGINT)",
        _ => "",
    }
}

fn exit_reason(status: ExitStatus) -> ExitReason {
    use std::os::unix::process::ExitStatusExt;
    match (status.signal(), status.code()) {
        (Some(signal), _) => ExitReason::Signal(signal),
        (None, Some(code)) => ExitReason::Code(code),
        (None, None) => ExitReason::Unknown,
    }
}

/// A running worker process.
pub struct WorkerProcess {
    /// Its pid.
    pub pid: u32,
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    /// Set when the supervisor kills it, so the exit is reported for what it was.
    pub kill_reason: Option<ExitReason>,
    /// When it was started, to log how long a worker takes to become ready.
    pub started: Instant,
}

impl WorkerProcess {
    /// Starts a worker in `slot` and the thread that reads its stdout into `events`.
    pub fn spawn(
        slot: usize,
        generation: u64,
        log_filter: &str,
        events: Sender<WorkerEvent>,
    ) -> io::Result<WorkerProcess> {
        let started = Instant::now();
        let exe = std::env::current_exe()?;
        let mut child = Command::new(exe)
            .arg("worker")
            .arg("--parent-pid")
            .arg(std::process::id().to_string())
            .arg("--worker-id")
            .arg(slot.to_string())
            .env(WORKER_LOG_ENV, log_filter)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("worker started without pipes"));
        };
        let pid = child.id();
        std::thread::Builder::new()
            .name(format!("worker-{slot}-reader"))
            .spawn(move || {
                let mut reader = BufReader::with_capacity(1 << 16, stdout);
                loop {
                    let kind = match read_frame::<_, FromWorker>(&mut reader) {
                        Ok(Some(message)) => WorkerEventKind::Message(message),
                        Ok(None) => WorkerEventKind::Closed(None),
                        Err(e) => WorkerEventKind::Closed(Some(e)),
                    };
                    let closed = matches!(kind, WorkerEventKind::Closed(_));
                    if events
                        .send(WorkerEvent {
                            slot,
                            generation,
                            kind,
                        })
                        .is_err()
                        || closed
                    {
                        return;
                    }
                }
            })?;
        Ok(WorkerProcess {
            pid,
            child,
            stdin: Some(BufWriter::with_capacity(1 << 16, stdin)),
            kill_reason: None,
            started,
        })
    }

    /// Encodes and sends a large message (a setup) as it is encoded, without holding it
    /// whole ([`protocol::write_frame_streamed`]).
    pub fn send_streamed(&mut self, message: &ToWorker) -> Result<(), FrameError> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| FrameError::Io(io::Error::from(io::ErrorKind::BrokenPipe)))?;
        write_frame_streamed(stdin, message)?;
        stdin.flush()?;
        Ok(())
    }

    /// Encodes and sends a message.
    pub fn send(&mut self, message: &ToWorker) -> Result<(), FrameError> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| FrameError::Io(io::Error::from(io::ErrorKind::BrokenPipe)))?;
        write_frame(stdin, message)?;
        stdin.flush()?;
        Ok(())
    }

    /// Resident memory now, from `/proc/<pid>/statm` (`None` when unreadable).
    pub fn rss(&self) -> Option<u64> {
        let statm = std::fs::read_to_string(format!("/proc/{}/statm", self.pid)).ok()?;
        let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
        // SAFETY: sysconf has no preconditions.
        let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        Some(pages * u64::try_from(page_size).unwrap_or(4096))
    }

    /// Kills the process (SIGKILL), remembering why.
    pub fn kill(&mut self, reason: ExitReason) {
        self.kill_reason = Some(reason);
        let _ = self.child.kill();
    }

    /// Why the process ended, waiting up to `grace` for it to exit (then killing it).
    pub fn exit_reason(&mut self, grace: Duration) -> ExitReason {
        let status = self.wait_for(grace);
        match (self.kill_reason.clone(), status) {
            (Some(reason), _) => reason,
            (None, Some(status)) => exit_reason(status),
            (None, None) => ExitReason::Unknown,
        }
    }

    fn wait_for(&mut self, grace: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + grace;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Ok(None) | Err(_) => {
                    let _ = self.child.kill();
                    return self.child.wait().ok();
                }
            }
        }
    }

    /// Asks the worker to finish, closes its stdin, and waits up to `grace` before killing.
    pub fn shutdown(mut self, grace: Duration) {
        let _ = self.send(&ToWorker::Shutdown);
        self.stdin = None;
        let _ = self.wait_for(grace);
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        self.stdin = None;
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
