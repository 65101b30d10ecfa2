//! Frame encode and decode (`protocol::write_frame`, `protocol::read_frame`) of the messages
//! process mode sends, built from a real plan rather than by hand:
//! - `ToWorker::Batch`: a batch of the `4k` preset as `pool::plan_batches` cuts it for two
//!   workers (64 content and listing pages; workers read the markdown themselves), and an
//!   autodoc batch of
//!   the `reference` preset;
//! - `FromWorker::BatchDone`: the `ShardResult` a worker returns for each of those batches
//!   (rendered for real by `worker::render_batch` into a temporary folder);
//! - `ToWorker::Setup`: the once-per-worker setup of the `4k` preset (nav tree of every page).
//!
//! Throughput is in pages, so criterion's per-element time is the encode or decode cost per
//! page. Frame sizes are printed on stderr. The pipe itself (a copy through the kernel) is not
//! measured here; `scripts/bench` compares process mode with one worker against `--no-shard`
//! for the whole per-page overhead.
//!
//! Run: `cargo bench -p coordinator --bench frame`.

#[path = "planned_site.rs"]
mod planned_site;

use coordinator::plan::Dispatcher;
use coordinator::pool::plan_batches;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use protocol::{
    Batch, BatchId, FromWorker, PageBody, ReferenceBody, ShardId, ToWorker, read_frame, write_frame,
};
use std::hint::black_box;
use worker::{RenderContext, render_batch};

/// A batch and the result of rendering it.
struct Exchange {
    label: &'static str,
    batch: ToWorker,
    result: FromWorker,
    pages: usize,
}

/// The batch of `planned` that `pick` chooses among those cut for two workers, rendered.
fn exchange(
    label: &'static str,
    planned: &planned_site::PlannedSite,
    pick: impl Fn(&Batch) -> bool,
) -> Exchange {
    let all: Vec<usize> = (0..planned.plan.pages.len()).collect();
    let batch = plan_batches(&Dispatcher::new(&planned.plan), &all, 2)
        .into_iter()
        .enumerate()
        .map(|(n, indexes)| Batch {
            id: BatchId(n as u64),
            shard: ShardId("pages".into()),
            pages: indexes.iter().map(|&i| planned.page_data(i)).collect(),
        })
        .find(|batch| pick(batch))
        .unwrap_or_else(|| panic!("no {label} batch in the plan"));
    let out = planned_site::PlannedSite::output_dir();
    let context = RenderContext::new(planned.setup(out.path()));
    let result = render_batch(&context, &batch, &mut |_| {});
    let pages = batch.pages.len();
    Exchange {
        label,
        batch: ToWorker::Batch(batch),
        result: FromWorker::BatchDone(result),
        pages,
    }
}

fn encoded<T: serde::Serialize>(message: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_frame(&mut bytes, message).expect("encode a frame");
    bytes
}

fn bench_message<T>(c: &mut Criterion, name: &str, message: &T, pages: usize)
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let bytes = encoded(message);
    eprintln!(
        "{name}: {} bytes, {} bytes per page",
        bytes.len(),
        bytes.len() / pages.max(1)
    );
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(pages as u64));
    let mut buffer = Vec::with_capacity(bytes.len());
    group.bench_function("encode", |b| {
        b.iter(|| {
            buffer.clear();
            write_frame(&mut buffer, black_box(message))
        })
    });
    group.bench_function("decode", |b| {
        b.iter(|| {
            let mut reader = black_box(&bytes[..]);
            read_frame::<_, T>(&mut reader)
        })
    });
    group.finish();
}

fn bench_frames(c: &mut Criterion) {
    let four_k = planned_site::PlannedSite::new(gen_site::Preset::FourK);
    let reference = planned_site::PlannedSite::new(gen_site::Preset::Reference);
    // The middle of the plan: content pages of typical size (the first batches hold the
    // largest pages, the last ones the listing pages).
    let content = exchange("4k content", &four_k, |batch| {
        batch.id.0 >= 20
            && batch
                .pages
                .iter()
                .all(|p| matches!(p.body, PageBody::MarkdownFile { .. }))
    });
    let autodoc = exchange("reference autodoc", &reference, |batch| {
        batch
            .pages
            .iter()
            .all(|p| matches!(p.body, PageBody::Reference(ReferenceBody::Python { .. })))
    });
    for exchange in [&content, &autodoc] {
        let label = exchange.label.replace(' ', "_");
        bench_message(
            c,
            &format!("frame/{label}/batch"),
            &exchange.batch,
            exchange.pages,
        );
        bench_message(
            c,
            &format!("frame/{label}/shard_result"),
            &exchange.result,
            exchange.pages,
        );
    }
    let out = planned_site::PlannedSite::output_dir();
    let setup = ToWorker::Setup(Box::new(four_k.setup(out.path())));
    bench_message(c, "frame/4k_setup", &setup, four_k.plan.nav.pages.len());
}

criterion_group!(benches, bench_frames);
criterion_main!(benches);
