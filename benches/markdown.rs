//! Markdown to HTML (`worker::markdown::MarkdownRenderer::render`), with and without code
//! highlighting, on a typical `gen-site` page and on real MDN, Kubernetes and React Native
//! pages from `../shared/samples`.
//!
//! Each document is rendered three ways:
//! - `highlighted_cold`: every code block carries a fresh stamp line, so the highlighter's
//!   content-hash cache misses, as it does for a real site whose code blocks are all different;
//! - `highlighted_cached`: the same document again and again, so every code block is a cache
//!   hit (what the `gen-site` presets see after the first few pages: they reuse eight
//!   snippets);
//! - `plain`: every fence relabelled `text`, so code is escaped, not highlighted.
//!
//! The renderer (syntax set, comrak options) is built once, outside the measurement, as a
//! worker does. Run: `cargo bench -p worker --bench markdown` (add a filter such as
//! `-- kubernetes` to run one document).

#[path = "inputs.rs"]
mod inputs;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use worker::markdown::{KeepLinks, MarkdownRenderer};

/// (name, markdown body) of the documents measured.
fn documents() -> Vec<(&'static str, String)> {
    let site = inputs::generated_site(gen_site::SiteSpec {
        pages: 20,
        sections: 2,
        modules: 0,
        seed: 1,
    });
    let generated = std::fs::read_to_string(site.path().join("content/section-000/page-000000.md"))
        .expect("gen-site writes page 0");
    let sample = |rel: &str| inputs::markdown_body(&inputs::read_sample(rel)).to_string();
    vec![
        (
            "gen_site_page",
            inputs::markdown_body(&generated).to_string(),
        ),
        (
            "mdn_grid_template_columns",
            sample("markdown/mdn/web_css_reference_properties_grid-template-columns.md"),
        ),
        (
            "kubernetes_volumes",
            sample("markdown/kubernetes/docs_concepts_storage_volumes.md"),
        ),
        (
            "react_native_intro",
            sample("markdown/react-native/website_versioned_docs_version-0.80_intro-react.md"),
        ),
    ]
}

fn bench_markdown(c: &mut Criterion) {
    let renderer = MarkdownRenderer::new();
    let mut stamp = 0u64;
    for (name, body) in documents() {
        let mut group = c.benchmark_group(format!("markdown/{name}"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function("highlighted_cold", |b| {
            b.iter_batched(
                || {
                    stamp += 1;
                    inputs::stamp_code_blocks(&body, stamp)
                },
                |text| renderer.render(black_box(&text), 1, &mut KeepLinks),
                BatchSize::SmallInput,
            );
        });
        group.bench_function("highlighted_cached", |b| {
            b.iter(|| renderer.render(black_box(&body), 1, &mut KeepLinks));
        });
        let plain = inputs::unlabel_code_blocks(&body);
        group.bench_function("plain", |b| {
            b.iter(|| renderer.render(black_box(&plain), 1, &mut KeepLinks));
        });
        group.finish();
    }
}

criterion_group!(benches, bench_markdown);
criterion_main!(benches);
