//! `gen-site`: writes a deterministic documentation site for tests and benchmarks.
//!
//! ```text
//! cargo run --release -p gen-site -- --preset 4k --out /tmp/site-4k
//! cargo run --release -p gen-site -- --pages 500 --sections 5 --modules 50 --seed 7 --out /tmp/s
//! ```

use clap::Parser;
use gen_site::{Preset, SiteSpec, generate};
use std::path::PathBuf;
use std::process::ExitCode;

/// Generate a realistic documentation site (markdown pages with tags, code and links, and a
/// synthetic Python package), the same bytes for the same options.
#[derive(Debug, Parser)]
#[command(name = "gen-site", version)]
struct Args {
    /// Start from a preset: reference (156 pages + 455 modules), 4k, 10k (40% autodoc),
    /// 100k (40% autodoc). Other flags override its numbers.
    #[arg(long, value_enum)]
    preset: Option<Preset>,
    /// Markdown pages.
    #[arg(long)]
    pages: Option<usize>,
    /// Top-level sections the pages are spread over.
    #[arg(long)]
    sections: Option<usize>,
    /// Python modules of the synthetic package (0 for none).
    #[arg(long)]
    modules: Option<usize>,
    /// Seed of the generator.
    #[arg(long)]
    seed: Option<u64>,
    /// Folder to write the site into (created; must be empty or a previous gen-site output).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut spec = args.preset.map_or_else(SiteSpec::default, Preset::spec);
    if let Some(pages) = args.pages {
        spec.pages = pages;
    }
    if let Some(sections) = args.sections {
        spec.sections = sections.max(1);
    }
    if let Some(modules) = args.modules {
        spec.modules = modules;
    }
    if let Some(seed) = args.seed {
        spec.seed = seed;
    }
    match generate(&spec, &args.out) {
        Ok(summary) => {
            println!(
                "wrote {} markdown pages and {} python modules ({} files, {} KiB) to {}",
                summary.pages,
                summary.modules,
                summary.files,
                summary.bytes / 1024,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.out.display());
            ExitCode::from(1)
        }
    }
}
