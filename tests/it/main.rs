//! Integration tests: the real `ssg-coord` binary on real sites.
//!
//! One test binary with modules (declared as `[[test]] name = "it"` in
//! `coordinator/Cargo.toml`), so the binary and its dependencies link once.

mod bad_input;
mod build_example;
mod determinism;
mod incremental;
mod init_check;
mod mkdocs;
mod processes;
mod samples;
mod serve;
mod support;
mod tidy;
mod versions;
