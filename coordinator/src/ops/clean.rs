//! `ssg-coord clean`: removes the build cache and the output directory of a site, if that
//! directory is ssg-coord's (see `output_folder`).

use super::BuildError;
use super::output_folder;
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
/// The output directory is checked as `build` checks it, so `clean` can never remove the
/// site's own sources, and it is removed only if it carries the output marker or is empty:
/// otherwise nothing is removed and the error says why.
pub fn clean(site_dir: &Path, out: Option<&Path>) -> Result<Cleaned, BuildError> {
    let site = Site::load(site_dir, false, &crate::discover::NothingKnown)?;
    let requested = output_folder::requested_dir(&site.root, &site.config, out);
    let out_dir = match std::fs::canonicalize(&requested) {
        Ok(out_dir) => {
            output_folder::check_not_sources(&site.root, &site.config, &out_dir)?;
            // Refused before anything is removed, the cache included.
            output_folder::check_removable(&out_dir)?;
            Some(out_dir)
        }
        Err(_) => None,
    };
    let mut cleaned = Cleaned::default();
    let cache_dir = site.root.join(crate::cache::CACHE_DIR);
    if crate::cache::remove(&site.root)
        .map_err(|e| BuildError::Output(format!("{}: {e}", cache_dir.display())))?
    {
        cleaned.cache = Some(cache_dir);
    }
    if let Some(out_dir) = out_dir
        && output_folder::remove_owned(&out_dir)?
    {
        cleaned.output = Some(out_dir);
    }
    Ok(cleaned)
}
