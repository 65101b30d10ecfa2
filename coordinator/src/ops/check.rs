//! `ssg-coord check`: the whole build (every page rendered, templates run, links checked)
//! into a temporary folder that is removed afterwards, with the site's cache neither read
//! nor written, so CI can validate a site without touching it. The report and exit codes
//! are the build's.

use super::build::{BuildError, BuildOptions, build};
use crate::report::BuildReport;

/// Checks the site of `options` (its `out_dir` and cache settings are replaced).
pub fn check(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let scratch = tempfile::Builder::new()
        .prefix("ssg-coord-check-")
        .tempdir()
        .map_err(|e| {
            BuildError::Output(format!(
                "cannot create a temporary folder to check the site in: {e} (set TMPDIR to a \
                 writable folder)"
            ))
        })?;
    let options = BuildOptions {
        out_dir: Some(scratch.path().to_path_buf()),
        use_cache: false,
        write_cache: false,
        ..options.clone()
    };
    let report = build(&options)?;
    // Dropping `scratch` removes what the build wrote.
    Ok(report)
}
