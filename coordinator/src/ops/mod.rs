//! One orchestration per subcommand.

pub mod build;
pub mod serve;
