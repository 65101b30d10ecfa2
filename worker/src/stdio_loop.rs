//! The worker process's main loop: frames in on stdin, frames out on stdout.
//!
//! stdout carries frames only (logs go to stderr), so nothing else may print to it. The loop
//! ends on `Shutdown` or when stdin reaches end of file, which is how a worker notices that
//! its coordinator is gone. On Linux the worker also asks the kernel to kill it when the
//! coordinator dies ([`die_with_parent`]), which covers a worker stuck inside a page.

use crate::render::{RenderContext, render_batch};
use protocol::{
    FrameError, FromWorker, Handshake, PROTOCOL_VERSION, ToWorker, decode_frame, decode_streamed,
    read_body, read_frame_len, write_frame,
};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::time::{Duration, Instant};

/// A worker reports the page it starts for the first page of a batch, then only when this
/// long has passed since its last report: a frame per page would cost a system call and a
/// wake-up of the coordinator for every page, while a page worth watching (slow, hanging,
/// or crashing after the others) is still reported or bracketed.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(25);

/// Why the worker loop stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Reading or writing a frame failed.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The coordinator sent something out of order.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// The render thread could not be started.
    #[error("cannot start the render thread: {0}")]
    Thread(io::Error),
}

/// Serves the coordinator over this process's stdin/stdout until `Shutdown` or end of input.
/// Pages are rendered on a thread with [`crate::RENDER_STACK_BYTES`] of stack, as the
/// coordinator's own render threads are, so a deeply nested page fails alike in every mode.
pub fn serve_stdio() -> Result<(), ServeError> {
    let thread = std::thread::Builder::new()
        .name("render".into())
        .stack_size(crate::limits::RENDER_STACK_BYTES)
        .spawn(serve_loop)
        .map_err(ServeError::Thread)?;
    match thread.join() {
        Ok(result) => result,
        // A panic outside any page (pages catch their own): let it end the process as it
        // would have on the main thread.
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

fn serve_loop() -> Result<(), ServeError> {
    let mut input = BufReader::with_capacity(1 << 16, io::stdin().lock());
    let mut output = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    send(
        &mut output,
        &FromWorker::Hello(Handshake {
            protocol_version: PROTOCOL_VERSION,
            worker_pid: std::process::id(),
        }),
    )?;

    let Some(len) = read_frame_len(&mut input)? else {
        return Ok(());
    };
    let setup = match decode_streamed::<_, ToWorker>(&mut input, len)? {
        ToWorker::Setup(setup) => setup,
        ToWorker::Shutdown => return Ok(()),
        ToWorker::Batch(_) => return Err(ServeError::Protocol("batch before setup".into())),
    };
    let mut context = RenderContext::new(*setup);
    crate::heap::return_free_memory();
    tracing::debug!("ready");
    send(&mut output, &FromWorker::Ready)?;

    loop {
        let Some((len, is_setup)) = next_frame(&mut input)? else {
            return Ok(());
        };
        if is_setup {
            // A new build (a dev server's rebuild, a part's next pass): new nav tree,
            // templates and settings, with the markdown renderer kept warm. The old context
            // is freed before the new setup is decoded, so the worker never holds two.
            let markdown = context.into_markdown();
            // Handed back first, or the new setup lands beside the old one's freed pages.
            crate::heap::return_free_memory();
            let ToWorker::Setup(setup) = decode_streamed::<_, ToWorker>(&mut input, len)? else {
                return Err(ServeError::Protocol(
                    "a setup frame held another message".into(),
                ));
            };
            context = RenderContext::with_markdown(*setup, markdown);
            crate::heap::return_free_memory();
            send(&mut output, &FromWorker::Ready)?;
            continue;
        }
        let body = read_body(&mut input, len)?;
        match decode_frame::<ToWorker>(&body)? {
            ToWorker::Batch(batch) => {
                drop(body);
                let mut progress_error = None;
                let mut last_report: Option<Instant> = None;
                let result = render_batch(&context, &batch, &mut |index| {
                    let due = last_report.is_none_or(|at| at.elapsed() >= PROGRESS_INTERVAL);
                    if due {
                        last_report = Some(Instant::now());
                    }
                    if due
                        && progress_error.is_none()
                        && let Err(e) = send(
                            &mut output,
                            &FromWorker::PageStarted {
                                batch: batch.id,
                                index,
                            },
                        )
                    {
                        progress_error = Some(e);
                    }
                });
                if let Some(e) = progress_error {
                    return Err(e);
                }
                send(&mut output, &FromWorker::BatchDone(result))?;
            }
            ToWorker::Shutdown => return Ok(()),
            ToWorker::Setup(_) => {
                return Err(ServeError::Protocol(
                    "a setup frame not taken for one".into(),
                ));
            }
        }
    }
}

/// The next frame's body length, and whether it holds a setup (which is decoded as it
/// arrives: on a large site it is tens of MiB, and the worker should not hold it beside
/// what it decodes into). `None` when the coordinator closed the pipe between frames.
fn next_frame(input: &mut BufReader<io::StdinLock<'_>>) -> Result<Option<(u32, bool)>, ServeError> {
    let Some(len) = read_frame_len(input)? else {
        return Ok(None);
    };
    let is_setup = len > 0 && ToWorker::frame_is_setup(input.fill_buf().map_err(FrameError::Io)?);
    Ok(Some((len, is_setup)))
}

fn send(output: &mut impl Write, message: &FromWorker) -> Result<(), ServeError> {
    write_frame(output, message)?;
    output.flush().map_err(FrameError::Io)?;
    Ok(())
}

/// Ignores Ctrl-C (SIGINT). A terminal sends it to the whole process group; the
/// coordinator handles it and stops its workers in order, so a worker must not die of it
/// mid-page and look like a crash.
pub fn ignore_interrupts() {
    #[cfg(unix)]
    // SAFETY: installing SIG_IGN for SIGINT has no memory effects.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}

/// Asks the kernel to SIGKILL this process when `parent_pid` (the coordinator) exits, and
/// exits at once if it already has. Linux only; elsewhere the closed stdin ends the worker
/// at its next read.
pub fn die_with_parent(parent_pid: u32) {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl(PR_SET_PDEATHSIG) takes a signal number and has no memory effects.
        unsafe {
            libc::prctl(
                libc::PR_SET_PDEATHSIG,
                libc::SIGKILL as libc::c_ulong,
                0,
                0,
                0,
            );
        }
        // The parent may have died before prctl took effect: then we were re-parented.
        // SAFETY: getppid has no preconditions.
        if unsafe { libc::getppid() } as u32 != parent_pid {
            std::process::exit(0);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = parent_pid;
}
