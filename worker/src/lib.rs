//! Page rendering for ssg-coord.
//!
//! One function renders pages, whoever calls it: [`render_batch`] takes a batch of
//! [`protocol::PageData`] and a [`RenderContext`] (built once per worker from
//! [`protocol::WorkerSetup`]), writes each page's outputs into the output directory and
//! returns a [`protocol::ShardResult`]. The coordinator calls it inline (`--no-shard`), from a
//! thread pool, or in worker processes through [`serve`]'s stdio loop.
//!
//! - `markdown`: comrak with GFM extensions, alerts, MyST/Docusaurus admonitions, heading
//!   ids, link rewriting, plain text extraction.
//! - `highlight`: syntect with CSS classes, cached by content hash.
//! - `autodoc`: Ruff's Python parser → `ModuleDoc` → HTML; never imports user code.
//! - `templates`: built-in theme + user overrides (minijinja), the template context.
//! - `render`: the per-page pipeline; `outputs`: writing HTML/JSON/TXT atomically.
#![deny(missing_docs)]

mod autodoc;
mod highlight;
mod markdown;
mod templates;

pub mod outputs;
