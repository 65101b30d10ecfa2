//! Time and peak RSS of reading and rendering a reference source, every page of it:
//!
//! ```text
//! cargo bench -p worker --bench reference -- cli PROGRAM PATH OBJECT
//! cargo bench -p worker --bench reference -- openapi SPEC_FILE
//! ```
//!
//! Without arguments it runs on the fixtures in `tests/fixtures/reference/`. Prints one
//! line per phase on stdout; peak RSS is the process's `VmHWM`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use worker::markdown::{KeepLinks, MarkdownRenderer};
use worker::reference::cli::{CliSource, extract_cli, render_command_page};
use worker::reference::openapi::{SpecSource, load_spec};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/reference");
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["cli", program, path, object] => cli(program, Path::new(path), object),
        ["openapi", spec] => openapi(Path::new(spec)),
        [] => {
            cli(
                "clickapp",
                &fixtures.join("cli/clickapp"),
                "clickapp.cli:cli",
            );
            openapi(&fixtures.join("openapi/petstore.yaml"));
        }
        _ => {
            eprintln!("usage: reference [cli PROGRAM PATH OBJECT | openapi SPEC_FILE]");
            std::process::exit(2);
        }
    }
}

fn cli(program: &str, path: &Path, object: &str) {
    let start = Instant::now();
    let display = path.display().to_string();
    let doc = match extract_cli(&CliSource {
        program,
        path,
        display_path: &display,
        object,
        framework: None,
    }) {
        Ok(doc) => doc,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let extracted = start.elapsed();
    let mut bytes = 0;
    let pages = doc.pages();
    for key in &pages {
        if let Some(page) = render_command_page(&doc, key, "/cli/") {
            bytes += page.html.len();
            if std::env::var_os("SHOW").is_some() {
                let _ = writeln!(
                    std::io::stdout().lock(),
                    "=== {} ({})\n{}",
                    page.title,
                    page.url,
                    page.html
                );
            }
        }
    }
    println!(
        "cli {program} ({}): {} pages, {bytes} bytes of HTML; extract {:.1} ms, total {:.1} ms, \
         peak RSS {} MiB",
        doc.framework.name(),
        pages.len(),
        extracted.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3,
        worker::peak_rss_bytes() >> 20
    );
}

fn openapi(path: &Path) {
    let start = Instant::now();
    let display = path.display().to_string();
    let allowed_root = path.parent().unwrap_or(Path::new("/"));
    let spec = match load_spec(&SpecSource {
        path,
        display_path: &display,
        allowed_root,
    }) {
        Ok(spec) => spec,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let loaded = start.elapsed();
    let rss_loaded = worker::peak_rss_bytes();
    let pages = spec.pages();
    let fingerprint_start = Instant::now();
    let mut combined = 0u64;
    for key in &pages {
        combined ^= spec.page_fingerprint(key);
    }
    let fingerprinted = fingerprint_start.elapsed();
    // The real markdown renderer, as the build would pass it.
    let renderer = MarkdownRenderer::new();
    let markdown = |text: &str| renderer.render(text, 1, &mut KeepLinks).html;
    let render_start = Instant::now();
    let mut bytes = 0usize;
    let mut largest = (0usize, String::new());
    for key in &pages {
        if let Some(page) = spec.render_page(key, "/api/", &markdown) {
            bytes += page.html.len();
            if page.html.len() > largest.0 {
                let url = if page.url.is_empty() {
                    "(overview)"
                } else {
                    &page.url
                };
                largest = (page.html.len(), url.to_owned());
            }
            if std::env::var_os("SHOW").is_some_and(|url| url == page.url.as_str()) {
                let _ = writeln!(std::io::stdout().lock(), "{}", page.html);
            }
        }
    }
    let rendered = render_start.elapsed();
    println!(
        "openapi {display}: {} pages ({} operations), {} MiB of HTML (largest {} KiB: {}); \
         load {:.0} ms (peak RSS {} MiB), fingerprints {:.0} ms ({combined:x}), render {:.0} ms, \
         total {:.0} ms, peak RSS {} MiB",
        pages.len(),
        pages
            .iter()
            .filter(|key| matches!(key.kind, worker::reference::openapi::PageKind::Operation(_)))
            .count(),
        bytes >> 20,
        largest.0 >> 10,
        largest.1,
        loaded.as_secs_f64() * 1e3,
        rss_loaded >> 20,
        fingerprinted.as_secs_f64() * 1e3,
        rendered.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3,
        worker::peak_rss_bytes() >> 20
    );
}
