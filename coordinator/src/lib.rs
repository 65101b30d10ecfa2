//! The ssg-coord coordinator: everything between the command line and the output tree.
//!
//! A build runs [`ops::build`]: [`discover`] reads the site (config, front matter, module
//! paths), [`plan`] decides every page (URL, template, nav position, listing), [`pool`]
//! renders them (inline, threads or worker processes, all through `worker::render_one`),
//! `merge` writes the site-wide files and checks links, and [`report`] tells the user.
//! `main.rs` only parses flags ([`cli`]) and maps the outcome to an exit code.
//! `ssg-coord serve` ([`ops::serve`]) builds the same way and serves the output with
//! live reload (`serve`: HTTP, events, file watching).
//!
//! The public surface is what `main.rs`, `benches/` and `tests/` use: [`cli`], [`ops`],
//! [`logging`] and [`report`] for the binary; [`discover`] (`Site::load`, front matter
//! parsing), [`plan`] (`BuildPlan`, `Dispatcher`) and [`pool`] (`plan_batches`) for the
//! benches. Every other module is the crate's own.

pub(crate) mod byte_buffer;
pub(crate) mod cache;
pub mod cache_url;
pub mod cli;
pub(crate) mod config;
pub(crate) mod diagnostics;
pub mod discover;
pub(crate) mod file_stamp;
pub mod logging;
pub(crate) mod merge;
pub mod ops;
pub(crate) mod parallel;
pub mod parts;
pub mod plan;
pub mod pool;
pub(crate) mod progress;
pub mod report;
pub(crate) mod serve;
pub mod teardown;
pub mod xref;
