//! One orchestration per subcommand, and [`BuildError`], what stops a build before it starts.

use crate::discover::LoadError;

pub mod build;
mod build_options;
pub mod build_part;
mod build_steps;
pub mod check;
pub mod clean;
pub mod init;
pub mod merge_parts;
pub(crate) mod output_folder;
pub(crate) mod page_urls;
pub mod serve;

/// Why a build could not even start (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The site or its configuration is unusable.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The output directory is unusable.
    #[error("{0}")]
    Output(String),
    /// The parts given to `ssg-coord merge` do not make one site (or `--emit` cannot be
    /// written).
    #[error("{0}")]
    Parts(String),
}
