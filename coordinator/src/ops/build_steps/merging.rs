//! Step 6 of a build: the site-wide files (sitemap, search index, RSS, `llm-full.txt`,
//! assets) and the link check, over cached and fresh pages alike, in plan order.

use super::Build;
use super::collect::Collected;
use crate::cache::CacheSession;
use crate::diagnostics::Diagnostic;
use crate::merge::llm_full::LlmIndex;
use crate::merge::{self, MergeSite, MergedPage};
use crate::report::BuildReport;
use protocol::OutputFile;

/// Writes the site-wide files; returns them (none when writing failed, which is an error
/// in the report).
pub(crate) fn merge_site(
    build: &Build<'_>,
    cache: &CacheSession,
    collected: &Collected<'_>,
    report: &mut BuildReport,
) -> Vec<OutputFile> {
    let mut merged: Vec<MergedPage<'_>> = collected
        .cached
        .iter()
        .map(|&(index, entry)| MergedPage {
            index,
            rendered: &entry.result,
        })
        .chain(collected.fresh.iter().map(|(index, entry)| MergedPage {
            index: *index,
            rendered: &entry.result,
        }))
        .collect();
    merged.sort_by_key(|page| page.index);
    let previous_llm = LlmIndex::previous(cache);
    let search_cache = cache.store().map(|store| merge::search::SearchCache {
        store,
        reuse: cache.reuses(),
        binary: cache.binary_identity(),
    });
    let site = MergeSite::new(build.site, build.plan, &build.plan.shards);
    match merge::merge(
        &site,
        &merged,
        &collected.failed,
        build.out_dir,
        previous_llm.as_ref(),
        search_cache.as_ref(),
        build.api,
    ) {
        Ok(merge_outcome) => {
            if let Some(index) = &merge_outcome.llm_index {
                index.save(cache);
            }
            report.outputs += merge_outcome.outputs.len();
            if build.options.strict {
                report.errors.extend(merge_outcome.link_problems);
            } else {
                report.warnings.extend(merge_outcome.link_problems);
            }
            merge_outcome.outputs
        }
        Err(e) => {
            report.errors.push(Diagnostic {
                file: None,
                line: None,
                message: format!("writing site-wide files failed: {e}"),
                hint: Some(
                    "check that the output directory is writable and the disk is not full".into(),
                ),
            });
            Vec::new()
        }
    }
}
