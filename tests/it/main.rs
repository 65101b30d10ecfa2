//! Integration tests: the real `ssg-coord` binary on real sites.
//!
//! One test binary with modules (declared as `[[test]] name = "it"` in
//! `coordinator/Cargo.toml`), so the binary and its dependencies link once.

mod api_members;
mod api_reference;
mod bad_input;
mod build_example;
mod cli_reference;
mod deep_input;
mod determinism;
mod distributed;
mod distributed_cache;
mod docusaurus;
mod incremental;
mod init_check;
mod inline_autodoc;
mod kill_storm;
mod limits;
mod merge_init;
mod mkdocs;
mod openapi_reference;
mod output_folder;
mod processes;
mod recipes;
mod samples;
mod search;
mod serve;
mod shared_cache;
mod snapshot;
mod support;
mod third_party;
mod tidy;
mod versions;
