//! One orchestration per subcommand.

pub mod build;
pub mod check;
pub mod clean;
pub mod init;
pub mod output_folder;
pub mod page_urls;
pub mod serve;
