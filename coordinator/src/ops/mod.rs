//! One orchestration per subcommand.

pub mod build;
