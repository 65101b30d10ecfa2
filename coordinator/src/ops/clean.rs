//! `ssg-coord clean`: removes the build cache and the output directory of a site.

use super::build::{BuildError, output_dir};
use crate::discover::Site;
use std::path::{Path, PathBuf};

/// What `clean` removed.
#[derive(Debug, Default)]
pub struct Cleaned {
    /// The cache folder, when there was one.
    pub cache: Option<PathBuf>,
    /// The output directory, when there was one.
    pub output: Option<PathBuf>,
}

/// Removes `<site>/.ssg-cache` and the output directory (`out`, or `build.output_dir`).
/// The output directory is checked exactly as `build` checks it, so `clean` can never
/// remove the site's own sources.
pub fn clean(site_dir: &Path, out: Option<&Path>) -> Result<Cleaned, BuildError> {
    let site = Site::load(site_dir, false, &crate::discover::NothingKnown)?;
    let mut cleaned = Cleaned::default();
    let cache_dir = site.root.join(crate::cache::CACHE_DIR);
    if crate::cache::remove(&site.root)
        .map_err(|e| BuildError::Output(format!("{}: {e}", cache_dir.display())))?
    {
        cleaned.cache = Some(cache_dir);
    }
    let existed = match out {
        Some(path) => path.exists(),
        None => site.root.join(&site.config.build.output_dir).exists(),
    };
    if existed {
        let out_dir = output_dir(&site.root, &site.config, out)?;
        std::fs::remove_dir_all(&out_dir).map_err(|e| {
            BuildError::Output(format!("{}: cannot remove: {e}", out_dir.display()))
        })?;
        cleaned.output = Some(out_dir);
    }
    Ok(cleaned)
}
