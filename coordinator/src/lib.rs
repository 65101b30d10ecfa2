//! The ssg-coord coordinator: everything between the command line and the output tree.
//!
//! A build runs [`ops::build`]: [`discover`] reads the site (config, front matter, module
//! paths), [`plan`] decides every page (URL, template, nav position, listing), [`pool`]
//! renders them (inline, threads or worker processes, all through `worker::render_one`),
//! [`merge`] writes the site-wide files and checks links, and [`report`] tells the user.
//! `main.rs` only parses flags ([`cli`]) and maps the outcome to an exit code.
//! `ssg-coord serve` ([`ops::serve`]) builds the same way and serves the output with
//! live reload ([`serve`]: HTTP, events, file watching).

pub mod cache;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod discover;
pub mod file_stamp;
pub mod logging;
pub mod merge;
pub mod ops;
pub mod parallel;
pub mod plan;
pub mod pool;
pub mod progress;
pub mod report;
pub mod serve;
pub mod xref;
