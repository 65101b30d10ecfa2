//! Python API docs: parse + extract (`worker::autodoc::document_module`) and render
//! (`worker::autodoc::render_module`, docstrings through the real `MarkdownRenderer`), on
//! Django's `db/models/query.py` (~105 KB, heavy docstrings), a small real module (Home
//! Assistant's `passive_update_coordinator.py`, ~3 KB), and every module of the `gen-site`
//! `reference` preset's synthetic package (455 modules + their `__init__.py` files), whose
//! per-element time is the autodoc cost per module of that preset.
//!
//! Run: `cargo bench -p worker --bench autodoc` (filter: `-- django`, `-- reference`).

#[path = "inputs.rs"]
mod inputs;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use worker::autodoc::{AutodocOptions, ModuleDoc, ModulePageInfo, document_module, render_module};
use worker::markdown::{KeepLinks, MarkdownRenderer};

/// A module to document: (dotted name, site-relative file, source).
struct Module {
    name: String,
    file: String,
    source: String,
}

fn real_module(name: &str, rel: &str) -> Module {
    Module {
        name: name.to_string(),
        file: format!("samples/{rel}"),
        source: inputs::read_sample(rel),
    }
}

/// Every module of the reference preset's `genpkg`, with the dotted names the coordinator
/// gives them (`genpkg.sub_00.mod_00000`, `genpkg.sub_00.__init__`).
fn reference_package() -> Vec<Module> {
    let site = inputs::generated_site(gen_site::Preset::Reference.spec());
    let src = site.path().join("src");
    inputs::files_under(&src, "py")
        .into_iter()
        .map(|(rel, source)| Module {
            name: rel.trim_end_matches(".py").replace('/', "."),
            file: format!("src/{rel}"),
            source,
        })
        .collect()
}

fn document(module: &Module) -> ModuleDoc {
    document_module(&module.source, &module.name, AutodocOptions::default())
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", module.file))
}

fn render(doc: &ModuleDoc, module: &Module, markdown: &MarkdownRenderer) -> String {
    let info = ModulePageInfo {
        links: None,
        source_url: None,
        source_file: &module.file,
        is_package: module.name.ends_with(".__init__"),
        submodules: &[],
    };
    let docstring = |text: &str| markdown.render(text, 1, &mut KeepLinks).html;
    render_module(doc, &info, &docstring).html
}

fn bench_single_modules(c: &mut Criterion, markdown: &MarkdownRenderer) {
    let modules = [
        (
            "django_query",
            real_module(
                "django.db.models.query",
                "python/django/django_db_models_query.py",
            ),
        ),
        (
            "homeassistant_passive_update_coordinator",
            real_module(
                "homeassistant.components.bluetooth.passive_update_coordinator",
                "python/homeassistant/homeassistant_components_bluetooth_passive_update_coordinator.py",
            ),
        ),
    ];
    for (label, module) in &modules {
        let mut group = c.benchmark_group(format!("autodoc/{label}"));
        group.throughput(Throughput::Bytes(module.source.len() as u64));
        group.bench_function("parse_extract", |b| b.iter(|| document(black_box(module))));
        let doc = document(module);
        group.bench_function("render", |b| {
            b.iter(|| render(black_box(&doc), module, markdown))
        });
        group.bench_function("parse_extract_render", |b| {
            b.iter(|| render(&document(black_box(module)), module, markdown))
        });
        group.finish();
    }
}

fn bench_reference_package(c: &mut Criterion, markdown: &MarkdownRenderer) {
    let modules = reference_package();
    let mut group = c.benchmark_group("autodoc/reference_preset_all_modules");
    group.throughput(Throughput::Elements(modules.len() as u64));
    group.sample_size(20);
    group.bench_function("parse_extract", |b| {
        b.iter(|| {
            for module in &modules {
                black_box(document(module));
            }
        })
    });
    group.bench_function("parse_extract_render", |b| {
        b.iter(|| {
            for module in &modules {
                black_box(render(&document(module), module, markdown));
            }
        })
    });
    group.finish();
}

fn bench_autodoc(c: &mut Criterion) {
    let markdown = MarkdownRenderer::new();
    bench_single_modules(c, &markdown);
    bench_reference_package(c, &markdown);
}

criterion_group!(benches, bench_autodoc);
criterion_main!(benches);
