//! Time and peak RSS of reading and rendering a reference source, every page of it:
//!
//! ```text
//! cargo bench -p worker --bench reference -- cli PROGRAM PATH OBJECT
//! cargo bench -p worker --bench reference -- openapi SPEC_FILE
//! ```
//!
//! Without arguments it runs on the fixtures in `tests/fixtures/reference/`. Prints one
//! line per phase on stdout; peak RSS is the process's `VmHWM`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use worker::reference::cli::{CliSource, extract_cli, render_command_page};

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
        [] => cli(
            "clickapp",
            &fixtures.join("cli/clickapp"),
            "clickapp.cli:cli",
        ),
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
                println!("=== {} ({})\n{}", page.title, page.url, page.html);
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
