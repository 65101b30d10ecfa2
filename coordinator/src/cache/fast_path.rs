//! The fast path: what a successful build records so that the next one, finding the same
//! inputs (the same [`super::inputs::input_signature_and_stamps`]) and every output still in place, has
//! nothing to do and repeats the summary it reported.

use super::{NextCache, OutputFolder};
use crate::diagnostics::Diagnostic;
use protocol::OutputFile;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The record of a build that succeeded: if the next build reads the same inputs (same
/// signature) and every output below is still in place, it has nothing to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FastPath {
    /// [`super::inputs::input_signature_and_stamps`] of the build.
    pub signature: u128,
    /// Every output file with its size and modification time.
    pub outputs: Vec<(String, u64, u128)>,
    /// What the build reported, to report again.
    pub summary: CachedSummary,
}

/// The parts of a build report a no-change build repeats.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CachedSummary {
    /// Pages per kind: content, autodoc, generated.
    pub pages: [usize; 3],
    /// Output files.
    pub outputs: usize,
    /// Shards and their page counts.
    pub shards: Vec<(String, usize)>,
    /// Warnings.
    pub warnings: Vec<CachedWarning>,
}

/// A warning as the cache keeps it (a `Diagnostic`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedWarning {
    /// File.
    pub file: Option<String>,
    /// Line.
    pub line: Option<u32>,
    /// Message.
    pub message: String,
    /// Hint.
    pub hint: Option<String>,
}

impl From<&Diagnostic> for CachedWarning {
    fn from(d: &Diagnostic) -> Self {
        CachedWarning {
            file: d.file.clone(),
            line: d.line,
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

impl From<&CachedWarning> for Diagnostic {
    fn from(w: &CachedWarning) -> Self {
        Diagnostic {
            file: w.file.clone(),
            line: w.line,
            message: w.message.clone(),
            hint: w.hint.clone(),
        }
    }
}

impl FastPath {
    /// The record of a build with input `signature` that leaves `next_cache`'s page outputs
    /// and `site_outputs`, and reported `summary`.
    pub fn record(
        signature: u128,
        next_cache: &NextCache<'_>,
        site_outputs: &[OutputFile],
        summary: CachedSummary,
    ) -> FastPath {
        FastPath {
            signature,
            outputs: next_cache
                .output_records()
                .chain(
                    site_outputs
                        .iter()
                        .map(|o| (o.path.clone(), o.len, o.modified)),
                )
                .collect(),
            summary,
        }
    }

    /// True when every recorded output is still there, unchanged (checked on all cores).
    pub fn outputs_intact(&self, out_dir: &Path) -> bool {
        let folder = OutputFolder::open(out_dir);
        let intact = crate::parallel::par_map(
            self.outputs.len(),
            |i| {
                let (path, len, mtime) = &self.outputs[i];
                folder.intact(path, *len, *mtime)
            },
            |_| false,
        );
        intact.into_iter().all(|ok| ok)
    }
}
