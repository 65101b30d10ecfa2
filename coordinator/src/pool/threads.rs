//! The in-process executors: `threads` threads (1 for `--no-shard`) sharing one
//! `RenderContext`, pulling batches from a shared cursor.
//!
//! Pages are never rendered on the calling thread: render threads get
//! [`worker::RENDER_STACK_BYTES`] of stack, like a worker process's render thread, so a
//! deeply nested page costs that page, in every mode, never the build.

use super::{KeptResults, RenderOutcome, RenderRequest, plan_batches};
use crate::progress::Progress;
use protocol::{PageError, PageErrorKind, PageResult};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use worker::{RenderContext, render_one};

pub(super) fn render(
    request: RenderRequest<'_>,
    threads: usize,
    progress: &Progress,
) -> RenderOutcome {
    let mut kept = KeptResults::new(&request);
    let RenderRequest {
        dispatcher,
        pages,
        setup,
        fail_fast,
        pack_results: _,
    } = request;
    let context = RenderContext::new(setup);
    let batches = plan_batches(&dispatcher, &pages, threads);
    let next_batch = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = crossbeam_channel::unbounded::<(usize, PageResult)>();
    let mut spawn_error = None;
    std::thread::scope(|scope| {
        for thread in 0..threads {
            let sender = sender.clone();
            let (context, batches, next_batch, stop) = (&context, &batches, &next_batch, &stop);
            let spawned = std::thread::Builder::new()
                .name(format!("render-{thread}"))
                .stack_size(worker::RENDER_STACK_BYTES)
                .spawn_scoped(scope, move || {
                    while !stop.load(Ordering::Relaxed) {
                        let Some(batch) = batches.get(next_batch.fetch_add(1, Ordering::Relaxed))
                        else {
                            break;
                        };
                        for &index in batch {
                            let result = render_one(context, &dispatcher.page_data(index));
                            if fail_fast && result.outcome.is_err() {
                                stop.store(true, Ordering::Relaxed);
                            }
                            if sender.send((index, result)).is_err() {
                                return;
                            }
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::warn!("cannot start render thread {thread}: {e}");
                spawn_error = Some(e);
            }
        }
        drop(sender);
        for (index, result) in receiver {
            progress.page_done(dispatcher.id(index));
            kept.push(index, result);
        }
    });
    // Only when not a single render thread could start: every page fails with the reason.
    let (mut results, packed) = kept.into_parts();
    if let Some(e) = spawn_error.filter(|_| results.is_empty() && packed.is_empty()) {
        results = pages
            .iter()
            .map(|&index| {
                let error = PageError {
                    file: None,
                    line: None,
                    kind: PageErrorKind::Internal,
                    message: format!("cannot start a render thread: {e}"),
                    hint: Some("the machine is out of threads or memory; build again".into()),
                };
                let id = dispatcher.id(index).clone();
                (
                    index,
                    PageResult {
                        id,
                        elapsed_micros: 0,
                        outcome: Err(error),
                    },
                )
            })
            .collect();
    }
    crate::teardown::drop_in_background(context);
    RenderOutcome {
        results,
        packed,
        workers: threads,
        worker_restarts: 0, // Threads share the coordinator's memory: its own peak is the honest figure.
        worker_peak_rss: worker::peak_rss_bytes(),
    }
}
