//! Step 1 of a build: its inputs. Opens the site folder, loads its configuration (the only
//! time a build reads `ssg.toml` as configuration), claims the output folder, opens the
//! cache session and signs the inputs. When the signature is the previous build's and
//! every output it recorded is still in place, the build has nothing to do.

use crate::cache::inputs::{ExeStamp, InputStamps, input_signature_and_stamps};
use crate::cache::{CacheSession, FastPath};
use crate::config::{Config, ConfigSource};
use crate::discover::LoadError;
use crate::ops::BuildError;
use crate::ops::build_options::BuildOptions;
use crate::ops::output_folder;
use crate::report::BuildReport;
use std::path::{Path, PathBuf};

/// What the rest of the build starts from.
pub(crate) struct Inputs {
    /// The site folder, canonical.
    pub root: PathBuf,
    /// Its configuration.
    pub config: Config,
    /// Where the output goes (claimed).
    pub out_dir: PathBuf,
    /// [`crate::cache::inputs::input_signature_and_stamps`] of this build.
    pub signature: u128,
    /// The stamps of the input files the signature took, for discovery.
    pub stamps: InputStamps,
    /// The cache, as this build uses it.
    pub cache: CacheSession,
}

/// Opens the inputs of the build `options` describe.
pub(crate) fn open_inputs(options: &BuildOptions) -> Result<Inputs, BuildError> {
    let root = std::fs::canonicalize(&options.site_dir).map_err(|e| LoadError::Site {
        path: options.site_dir.display().to_string(),
        message: format!("cannot open site folder: {e}"),
    })?;
    let config = Config::load(&root).map_err(LoadError::from)?;
    let out_dir = output_folder::output_dir(&root, &config, options.out_dir.as_deref())?;
    output_folder::claim(&out_dir, options.force)?;
    let cache = CacheSession::open(&root, options.cache_use());
    let (signature, stamps) = input_signature_and_stamps(
        &root,
        &config,
        &options_key(options, &out_dir, cache.exe_stamp()),
    );
    Ok(Inputs {
        root,
        config,
        out_dir,
        signature,
        stamps,
        cache,
    })
}

impl Inputs {
    /// The report of the previous build, repeated, when it read the same inputs and every
    /// output it recorded is still in place: this build has nothing to do.
    pub(crate) fn unchanged(&self) -> Option<BuildReport> {
        let fast = self.cache.fast_path(self.signature)?;
        fast.outputs_intact(&self.out_dir)
            .then(|| unchanged_report(fast, &self.config, &self.out_dir))
    }
}

/// The report of a build that found nothing to do.
fn unchanged_report(fast: &FastPath, config: &Config, out_dir: &Path) -> BuildReport {
    let mut report = BuildReport::unchanged(&fast.summary, out_dir.display().to_string());
    report.config_file = config_file_name(config);
    report
}

/// The configuration file to name in the summary, when it is not `ssg.toml`.
pub(crate) fn config_file_name(config: &Config) -> Option<String> {
    (config.source != ConfigSource::SsgToml).then(|| config.source_file_name().to_string())
}

/// The build options that change what a build writes, as bytes for the input signature.
fn options_key(options: &BuildOptions, out_dir: &Path, exe: Option<&ExeStamp>) -> Vec<u8> {
    format!(
        "drafts={} strict={} shards={:?} out={} exe={exe:?}",
        options.drafts,
        options.strict,
        options.shards,
        out_dir.display()
    )
    .into_bytes()
}
