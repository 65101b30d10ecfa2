//! Test-only fault injection: makes the worker misbehave on one named page, so tests can
//! prove that a crashing, hanging or runaway worker costs a retry and never the build.
//!
//! Active only in debug builds (the integration tests run the debug binary); a release
//! build compiles [`inject`] to nothing. `SSG_COORD_FAULT=<mode>:<page>` where `<page>` is
//! the page's source path or id and `<mode>` is one of:
//! - `abort`: the process aborts (SIGABRT), as a crash in native code would;
//! - `hang`: the page never finishes (caught by `--page-timeout`);
//! - `oom`: allocates and touches memory without bound (caught by the memory ceiling);
//! - `panic`: a Rust panic (caught per page, the worker survives);
//! - `exit`: the process exits with status 3 (its pipe closes mid-batch);
//! - `delay`: the page takes 20 ms longer (with `<page>` = `*`, every page does), so tests
//!   can reliably act while a build is running;
//! - `garbage`: writes text that is not a frame to stdout, as a stray `print` in native
//!   code would (worker processes only: in the coordinator it would go to its stdout);
//! - `bigframe`: writes a frame header announcing more than `MAX_FRAME_BYTES` (worker
//!   processes only).

use protocol::PageData;

/// Misbehaves as `SSG_COORD_FAULT` asks if `page` is the named page; otherwise does nothing.
#[cfg(debug_assertions)]
pub fn inject(page: &PageData) {
    use std::sync::LazyLock;
    static FAULT: LazyLock<Option<(String, String)>> = LazyLock::new(|| {
        let spec = std::env::var("SSG_COORD_FAULT").ok()?;
        let (mode, target) = spec.split_once(':')?;
        Some((mode.to_string(), target.to_string()))
    });
    let Some((mode, target)) = FAULT.as_ref() else {
        return;
    };
    let every_page = target == "*";
    if !every_page
        && page.id.as_str() != target
        && page.source_path.as_deref() != Some(target.as_str())
    {
        return;
    }
    match mode.as_str() {
        "abort" => std::process::abort(),
        "hang" => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        "oom" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                // Touch every page so the memory is resident, not just reserved.
                hoard.push(vec![1u8; 64 * 1024 * 1024]);
                std::hint::black_box(&hoard);
            }
        }
        "panic" => panic!("injected panic on {target}"),
        "exit" => std::process::exit(3),
        "delay" => std::thread::sleep(std::time::Duration::from_millis(20)),
        "garbage" => write_stdout(b"<html>this is not a frame</html>\n"),
        "bigframe" => write_stdout(&(protocol::MAX_FRAME_BYTES + 1).to_le_bytes()),
        _ => {}
    }
}

/// Writes straight to file descriptor 1, past the frame writer's buffer.
#[cfg(debug_assertions)]
fn write_stdout(bytes: &[u8]) {
    // SAFETY: write(2) reads `bytes.len()` bytes from a live slice.
    let _ = unsafe { libc::write(1, bytes.as_ptr().cast(), bytes.len()) };
}

/// Release builds carry no fault switch.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn inject(_page: &PageData) {}
