//! Front matter parsing (`coordinator::discover::front_matter::parse`: split, YAML or TOML,
//! built-in fields) on every markdown file of the `gen-site` `4k` preset and of the real MDN,
//! Kubernetes and React Native samples in `../shared/samples/markdown`; and the whole of
//! discovery (`Site::load`: walk, read, hash, parse every file) of the `4k` preset, with the
//! files in the page cache.
//!
//! Throughput is in files, so criterion's per-element time is the cost per file. Files whose
//! front matter is broken on purpose (a few samples) are parsed all the same: their error
//! path is part of the cost.
//!
//! Run: `cargo bench -p coordinator --bench front_matter`.

#[path = "inputs.rs"]
mod inputs;

use coordinator::discover::Site;
use coordinator::discover::front_matter::parse;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench_parse(c: &mut Criterion, name: &str, files: &[(String, String)]) {
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    eprintln!(
        "front_matter/{name}: {} files, {} KiB",
        files.len(),
        bytes / 1024
    );
    let mut group = c.benchmark_group("front_matter");
    group.throughput(Throughput::Elements(files.len() as u64));
    group.bench_function(name, |b| {
        b.iter(|| {
            for (_, text) in files {
                let _ = black_box(parse(black_box(text)));
            }
        })
    });
    group.finish();
}

fn bench_front_matter(c: &mut Criterion) {
    let four_k = inputs::generated_site(gen_site::Preset::FourK.spec());
    let generated = inputs::files_under(&four_k.path().join("content"), "md");
    bench_parse(c, "gen_site_4k", &generated);
    for folder in ["mdn", "kubernetes", "react-native"] {
        let samples = inputs::samples_in(&format!("markdown/{folder}"), "md");
        bench_parse(
            c,
            &format!("samples_{}", folder.replace('-', "_")),
            &samples,
        );
    }

    let mut group = c.benchmark_group("discover");
    group.throughput(Throughput::Elements(generated.len() as u64));
    group.sample_size(20);
    group.bench_function("site_load_4k", |b| {
        b.iter(|| {
            Site::load(
                black_box(four_k.path()),
                false,
                &coordinator::discover::NothingKnown,
            )
            .map(|site| site.pages.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_front_matter);
criterion_main!(benches);
