//! Syntax highlighting alone (`worker::highlight::Highlighter::write_code_block`): the eight
//! code snippets `gen-site` puts in its pages (one per language), every fenced block of the
//! real markdown samples in `../shared/samples/markdown`, and Django's `functional.py` as one
//! large Python block.
//!
//! `cold` runs give every block a fresh first line, so the highlighter's content-hash cache
//! misses (the cost a real site pays once per distinct block); `cached` runs repeat one block,
//! so they measure the cache lookup (hashing the block and cloning an `Arc`) and the write.
//! The highlighter (syntax set) is built once, outside the measurement.
//!
//! Run: `cargo bench -p worker --bench highlight` (filter: `-- gen_site`, `-- samples`).

#[path = "inputs.rs"]
mod inputs;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use worker::highlight::Highlighter;

/// Fenced code blocks of `markdown` as (info string, code), in document order.
fn code_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(char, usize, String, String)> = None;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
        match (&mut open, fence_char) {
            (None, Some(c)) if run >= 3 => {
                open = Some((c, run, trimmed[run..].trim().to_string(), String::new()));
            }
            (Some((open_char, open_run, _, _)), Some(c))
                if c == *open_char && run >= *open_run && trimmed[run..].trim().is_empty() =>
            {
                if let Some((_, _, info, code)) = open.take() {
                    blocks.push((info, code));
                }
            }
            (Some((_, _, _, code)), _) => code.push_str(line),
            _ => {}
        }
    }
    blocks
}

/// The first block of each language in a small generated site: the eight snippets every
/// `gen-site` page draws from.
fn gen_site_snippets() -> Vec<(String, String)> {
    let site = inputs::generated_site(gen_site::SiteSpec {
        pages: 60,
        sections: 2,
        modules: 0,
        seed: 1,
    });
    let mut snippets: Vec<(String, String)> = Vec::new();
    for (_, text) in inputs::files_under(&site.path().join("content"), "md") {
        for (info, code) in code_blocks(&text) {
            if !snippets.iter().any(|(known, _)| *known == info) {
                snippets.push((info, code));
            }
        }
    }
    snippets.sort();
    snippets
}

fn bench_gen_site_snippets(c: &mut Criterion, highlighter: &Highlighter, stamp: &mut u64) {
    let mut group = c.benchmark_group("highlight/gen_site");
    for (language, code) in gen_site_snippets() {
        group.throughput(Throughput::Bytes(code.len() as u64));
        group.bench_function(format!("{language}/cold"), |b| {
            b.iter_batched(
                || {
                    *stamp += 1;
                    format!("{stamp}\n{code}")
                },
                |code| {
                    let mut html = String::with_capacity(code.len() * 4);
                    highlighter
                        .write_code_block(&mut html, black_box(&language), black_box(&code))
                        .map(|()| html)
                },
                BatchSize::SmallInput,
            );
        });
        if language == "python" {
            group.bench_function(format!("{language}/cached"), |b| {
                b.iter(|| {
                    let mut html = String::with_capacity(code.len() * 4);
                    highlighter
                        .write_code_block(&mut html, black_box(&language), black_box(&code))
                        .map(|()| html)
                });
            });
        }
    }
    group.finish();
}

fn bench_real_code(c: &mut Criterion, highlighter: &Highlighter, stamp: &mut u64) {
    let mut group = c.benchmark_group("highlight/samples");
    let sample_blocks: Vec<(String, String)> = inputs::samples_in("markdown", "md")
        .iter()
        .flat_map(|(_, text)| code_blocks(text))
        .collect();
    let total_bytes: usize = sample_blocks.iter().map(|(_, code)| code.len()).sum();
    eprintln!(
        "highlight/samples: {} fenced blocks, {total_bytes} bytes of code",
        sample_blocks.len()
    );
    group.throughput(Throughput::Bytes(total_bytes as u64));
    group.sample_size(20);
    group.bench_function("every_markdown_block/cold", |b| {
        b.iter_batched(
            || {
                *stamp += 1;
                sample_blocks
                    .iter()
                    .map(|(info, code)| (info.clone(), format!("{stamp}\n{code}")))
                    .collect::<Vec<_>>()
            },
            |blocks| {
                let mut html = String::with_capacity(total_bytes * 4);
                for (info, code) in &blocks {
                    let _ = highlighter.write_code_block(&mut html, info, code);
                }
                html
            },
            BatchSize::LargeInput,
        );
    });

    let django = inputs::read_sample("python/django/django_utils_functional.py");
    group.throughput(Throughput::Bytes(django.len() as u64));
    group.bench_function("django_functional_py/cold", |b| {
        b.iter_batched(
            || {
                *stamp += 1;
                format!("# {stamp}\n{django}")
            },
            |code| {
                let mut html = String::with_capacity(code.len() * 4);
                highlighter
                    .write_code_block(&mut html, "python", black_box(&code))
                    .map(|()| html)
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

fn bench_highlight(c: &mut Criterion) {
    let highlighter = Highlighter::new();
    let mut stamp = 0u64;
    bench_gen_site_snippets(c, &highlighter, &mut stamp);
    bench_real_code(c, &highlighter, &mut stamp);
}

criterion_group!(benches, bench_highlight);
criterion_main!(benches);
