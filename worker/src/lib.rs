//! Page rendering for ssg-coord.
//!
//! One function renders pages, whoever calls it: [`render_batch`] takes a batch of
//! [`protocol::PageData`] and a [`RenderContext`] (built once per worker from
//! [`protocol::WorkerSetup`]), writes each page's outputs into the output directory and
//! returns a [`protocol::ShardResult`]. The coordinator calls it inline (`--no-shard`), from a
//! thread pool, or in worker processes through [`serve_stdio`].
//!
//! - `render`: the per-page pipeline (body → template → outputs), panics caught per page.
//! - `markdown`: comrak with GFM extensions, alerts, MyST/Docusaurus admonitions, heading
//!   ids, plain text extraction; `page_links`: link rewriting and recording.
//! - `highlight`: syntect with CSS classes, cached by content hash.
//! - `autodoc`: Ruff's Python parser → `ModuleDoc` → HTML; never imports user code.
//! - `templates`: built-in theme + user overrides (minijinja); `views` builds the template
//!   context from a page.
//! - `outputs`: atomic, confined writes of output files.
//! - `xref`: cross-reference resolution against the site's API inventory; `id_table`: the
//!   compact tables (ids into the inventory and the nav tree) it and the nav lookups use.
//! - `search_terms`: the site search's tokenizer (a page's body terms; titles, headings
//!   and API names in the merge).
//! - `stdio_loop`: the worker process's stdio loop; `fault`: test-only fault injection.
//! - `limits`: the bounds on one page (render stack, source and output size, template
//!   fuel), so that no page takes down its renderer.
#![deny(missing_docs)]

mod code_lines;
mod fault;
mod heap;
mod id_table;
mod limits;
mod peak_rss;
mod render;
mod stdio_loop;
mod text;

pub mod xref;

pub mod autodoc;
pub mod highlight;
pub mod markdown;
pub mod outputs;
pub mod reference;
pub mod search_terms;
pub mod templates;

#[cfg(test)]
mod fuzz_tests;

pub use heap::{return_free_memory, tune_heap_for_builds};
pub use limits::RENDER_STACK_BYTES;
pub use peak_rss::bytes as peak_rss_bytes;
pub use render::{
    NavLookups, PageStages, RenderContext, base_path, output_stem, render_batch, render_one,
};
pub use stdio_loop::{ServeError, die_with_parent, ignore_interrupts, serve_stdio};
pub use templates::builtin_templates;
pub use text::decode_utf8;

/// Theme assets to write into the output directory, as (relative path, bytes): the theme's
/// own files, the syntax highlighting stylesheet and the autodoc stylesheet.
pub fn theme_assets() -> Vec<(String, Vec<u8>)> {
    let mut assets: Vec<(String, Vec<u8>)> = templates::theme_assets()
        .into_iter()
        .map(|(path, bytes)| (path.to_string(), bytes.into_owned()))
        .collect();
    assets.push((
        "assets/highlight.css".to_string(),
        highlight::highlight_css().into_bytes(),
    ));
    assets.push((
        "assets/autodoc.css".to_string(),
        include_bytes!("../theme/static/autodoc.css").to_vec(),
    ));
    assets.sort();
    assets
}
