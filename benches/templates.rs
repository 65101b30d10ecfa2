//! Template rendering alone (the built-in theme's templates) for each kind of page of the
//! `gen-site` `reference` preset: a content page, a section listing, a taxonomy term page
//! and a Python module page.
//!
//! Each page goes through `worker::PageStages`, the stages `render_one` runs: its real
//! `PageData` (dispatched from a real plan), its body (markdown, or autodoc for the module
//! page) and its `NavSlice`. Building the template context (and converting it to a
//! `minijinja::Value`) is measured separately from the render itself;
//! `render_without_sidebar` renders the same page with an empty sidebar, to show what the
//! sidebar loop costs.
//!
//! Run: `cargo bench -p coordinator --bench templates`.

#[path = "planned_site.rs"]
mod planned_site;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use worker::RenderContext;

fn bench_templates(c: &mut Criterion) {
    let planned = planned_site::PlannedSite::new(gen_site::Preset::Reference);
    let out = tempfile::tempdir().expect("temp dir");
    let context = RenderContext::new(planned.setup(out.path()));
    let mut group = c.benchmark_group("templates");
    for (label, index) in planned.representative_pages() {
        let page = planned.page_data(index);
        let stages = context
            .page_stages(&page)
            .unwrap_or_else(|e| panic!("{label}: {}", e.message));
        let html = stages
            .render_template(&stages.template_context())
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        eprintln!(
            "templates/{label}: {} with {} sidebar entries, {} listing entries, {} bytes of body, {} bytes of HTML",
            page.template,
            stages.sidebar_entries(),
            page.listing.as_ref().map_or(0, |l| l.entries.len()),
            stages.body_bytes(),
            html.len()
        );
        group.bench_function(format!("{label}/build_context"), |b| {
            b.iter(|| stages.template_context())
        });
        let value = stages.template_context();
        group.bench_function(format!("{label}/render"), |b| {
            b.iter(|| stages.render_template(black_box(&value)))
        });
        // The same page with an empty sidebar: the difference is what the sidebar costs.
        let mut bare = context
            .page_stages(&page)
            .unwrap_or_else(|e| panic!("{label}: {}", e.message));
        bare.clear_sidebar();
        let bare_value = bare.template_context();
        group.bench_function(format!("{label}/render_without_sidebar"), |b| {
            b.iter(|| bare.render_template(black_box(&bare_value)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_templates);
criterion_main!(benches);
