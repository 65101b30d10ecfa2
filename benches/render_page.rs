//! The whole per-page pipeline (`worker::render_one`: body, nav slice, context, template,
//! `index.{html,json,txt}` written atomically) on the `gen-site` `reference` preset, the
//! function every executor calls.
//!
//! - `<kind>/fresh`: one page of each kind (content, section listing, taxonomy term, module)
//!   with its output files deleted before each iteration (a clean build);
//! - `<kind>/unchanged`: the same page over its own identical outputs (the write is skipped
//!   after reading and hashing the old file, as in a rebuild);
//! - `all_pages/fresh`: every page of the plan in plan order into an emptied output folder,
//!   one thread: per-element time is the mean render cost per page of `--no-shard`, without
//!   discovery, planning and the merge.
//!
//! The `RenderContext` (templates, syntax set, nav lookups) is built once, as in a worker, so
//! code blocks seen before are highlighter cache hits, as they are in a real build of this
//! preset (its pages reuse eight snippets). Outputs go to a tmpfs when there is one (see
//! `PlannedSite::output_dir`). Run: `cargo bench -p coordinator --bench render_page`.

#[path = "planned_site.rs"]
mod planned_site;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use worker::{RenderContext, output_stem, render_one};

/// Deletes the per-page output files of `url` under `out`, if any.
fn remove_outputs(out: &Path, url: &str) {
    if let Some(stem) = output_stem(url) {
        for name in ["index.html", "index.json", "index.txt"] {
            let _ = std::fs::remove_file(out.join(&stem).join(name));
        }
    }
}

fn bench_render_page(c: &mut Criterion) {
    let planned = planned_site::PlannedSite::new(gen_site::Preset::Reference);
    let out = planned_site::PlannedSite::output_dir();
    let context = RenderContext::new(planned.setup(out.path()));

    let mut group = c.benchmark_group("render_page");
    for (label, index) in planned.representative_pages() {
        let page = planned.page_data(index);
        group.bench_function(format!("{label}/fresh"), |b| {
            b.iter_batched(
                || remove_outputs(out.path(), &page.url),
                |()| render_one(&context, black_box(&page)),
                BatchSize::PerIteration,
            );
        });
        group.bench_function(format!("{label}/unchanged"), |b| {
            b.iter(|| render_one(&context, black_box(&page)));
        });
    }
    group.finish();

    let pages: Vec<_> = (0..planned.plan.pages.len())
        .map(|index| planned.page_data(index))
        .collect();
    let mut group = c.benchmark_group("render_page/all_pages");
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.sample_size(10);
    group.bench_function("fresh", |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_dir_all(out.path());
                let _ = std::fs::create_dir_all(out.path());
            },
            |()| {
                for page in &pages {
                    black_box(render_one(&context, page));
                }
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, bench_render_page);
criterion_main!(benches);
