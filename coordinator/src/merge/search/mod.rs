//! The site search index under `search/`, read by the theme's `search-worker.js`.
//!
//! Built from what the workers reported: each page's body terms with their counts
//! (`RenderedPage::search_terms`, counted while it rendered), its title, headings and, for
//! API pages, the anchors of its documented objects. The coordinator never sees a body.
//!
//! Entries: every page, every heading of a guide page and every documented object of an
//! API page (`click.core.Context.invoke`, linked to its anchor). A term's postings name
//! (page, entry) with a score precomputed here: title > heading > API name > body, the body
//! scored with BM25. Files, all deterministic (pages sorted by version, kind, section, URL):
//!
//! - `search/manifest.json`: sizes, the dictionary buckets, the first page of each page
//!   chunk, the facets (versions, kinds) as page ranges. Read first, small.
//! - `search/t/<name>.txt`: the dictionary bucket of the terms sharing a prefix, named by
//!   the prefix's FNV-1a hash (`layout::bucket_name`; the manifest's `renamed` maps the
//!   rare prefix named otherwise), one line per term:
//!   `term count chunk`, where `count` is its number of postings and `chunk` the name of the
//!   postings chunk holding them; a line without `chunk` has the line above's.
//! - `search/p/<chunk>.bin`: a postings chunk, named by a hash of its first term
//!   (`postings.rs` documents the encoding, `layout.rs` the cuts).
//! - `search/d/<n>.json`: the page chunk starting at page `n`: per page `[url, title, kind,
//!   section, summary, [[anchor, text, type], …]]` (type 1 heading, 2 API object).
//!
//! A query downloads the manifest, the buckets of its words, the chunks of the terms it
//! matched and the page chunks of the results it shows. Bump [`SEARCH_FORMAT`] when the
//! shape changes; the theme's script checks it.

mod encoded;
mod layout;
mod name_scores;
mod part;
mod parts;
mod postings;
mod precomputed;
mod varint;

pub use parts::SearchCache;
pub use precomputed::PrecomputedParts;
use protocol::{Heading, OutputFile, SearchTerms};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// Version of the files' shape, written into the manifest.
pub const SEARCH_FORMAT: u32 = 4;

/// The facet a page is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SearchKind {
    /// A markdown page.
    Guide,
    /// A markdown page of a command-line section (`cli` in its URL, or a top-level section
    /// named "CLI" or "Command line").
    Cli,
    /// A Python module page.
    Api,
}

impl SearchKind {
    /// The name in the manifest and the facet buttons.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Guide => "guide",
            SearchKind::Cli => "cli",
            SearchKind::Api => "api",
        }
    }

    /// The kind of a markdown page, from its URL and top-level section.
    pub fn of_guide(url: &str, section: &str) -> SearchKind {
        let section = worker::search_terms::fold(section);
        let cli_section = section == "cli"
            || section.contains("command line")
            || section.contains("command-line");
        if cli_section || url.split('/').any(|segment| segment == "cli") {
            SearchKind::Cli
        } else {
            SearchKind::Guide
        }
    }
}

/// One searchable page, borrowed from the build.
#[derive(Debug, Clone)]
pub struct SearchPage<'a> {
    /// Site-absolute URL path.
    pub url: &'a str,
    /// Title (for API pages, the module's dotted name).
    pub title: &'a str,
    /// Facet.
    pub kind: SearchKind,
    /// Title of the page's top-level section (empty at the root).
    pub section: &'a str,
    /// Index into [`SearchSite::versions`], for versioned docs.
    pub version: Option<u16>,
    /// Plain-text excerpt, shown when the page's text is not at hand.
    pub summary: &'a str,
    /// Headings in document order.
    pub headings: &'a [Heading],
    /// Every element id of the body (API pages: the documented objects).
    pub anchors: &'a [String],
    /// Body terms as the worker counted them.
    pub terms: &'a SearchTerms,
    /// The shard the page belongs to: each shard's pages make one cached part.
    pub shard: &'a str,
}

/// Everything the index is built from.
#[derive(Debug, Clone, Default)]
pub struct SearchSite<'a> {
    /// Version labels, in the site's order.
    pub versions: Vec<&'a str>,
    /// Whether each page has an `index.txt` beside it (snippets are cut from it).
    pub page_text: bool,
    /// The pages, in any order.
    pub pages: Vec<SearchPage<'a>>,
    /// Parts computed where the pages were rendered (a distributed build's parts), taken
    /// instead of computing them when their pages give the same key.
    pub precomputed: Option<&'a PrecomputedParts>,
    /// The output folder holds none of the index's files (a merge's, emptied for it):
    /// they are created in place ([`worker::outputs::write_new_output`]).
    pub fresh_output: bool,
}

/// What an entry below a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryType {
    Heading = 1,
    Api = 2,
}

/// A heading or API object of a page: its own search result, linked to its anchor.
#[derive(Debug, Clone)]
pub(crate) struct SubEntry<'a> {
    pub anchor: &'a str,
    /// Heading text; for API objects the dotted name.
    pub text: &'a str,
    pub kind: EntryType,
}

/// The entries below a page: the documented objects of an API page (anchors under the
/// module's name), the headings of any other page.
pub(crate) fn sub_entries<'a>(page: &SearchPage<'a>) -> Vec<SubEntry<'a>> {
    if page.kind == SearchKind::Api {
        let prefix = format!("{}.", page.title);
        return page
            .anchors
            .iter()
            .filter(|anchor| anchor.starts_with(&prefix) && anchor.len() > prefix.len())
            .map(|anchor| SubEntry {
                anchor,
                text: anchor,
                kind: EntryType::Api,
            })
            .collect();
    }
    page.headings
        .iter()
        .filter(|h| !h.id.is_empty() && !h.text.trim().is_empty())
        .filter(|h| !(h.level == 1 && h.text.trim() == page.title.trim()))
        .map(|h| SubEntry {
            anchor: &h.id,
            text: &h.text,
            kind: EntryType::Heading,
        })
        .collect()
}

/// Writes `search/`: the manifest, dictionary buckets, postings chunks and page chunks.
///
/// Each shard's pages make one part (`part.rs`): taken from `site.precomputed` or reused
/// from `cache` when the shard's pages are unchanged, else computed (on all cores) and
/// saved there. The parts are then merged and scored site-wide, so the files are the same
/// whatever was reused; when the cache holds the previous build's merged index and only a
/// few pages changed, only those pages' terms are merged again (`encoded.rs`).
pub fn write_search_index(
    out_dir: &Path,
    site: &SearchSite<'_>,
    cache: Option<&SearchCache<'_>>,
) -> io::Result<Vec<OutputFile>> {
    write_index(out_dir, site, cache).map(|(written, _)| written)
}

/// [`write_search_index`], also saying whether the index was updated from the previous
/// build's (only the changed pages' terms merged again) rather than merged whole.
fn write_index(
    out_dir: &Path,
    site: &SearchSite<'_>,
    cache: Option<&SearchCache<'_>>,
) -> io::Result<(Vec<OutputFile>, bool)> {
    let started = std::time::Instant::now();
    let Ordered {
        pages,
        entries,
        shards,
    } = Ordered::of(site);
    let binary = cache.map_or(0, |cache| cache.binary);
    let digests: Vec<u128> =
        crate::parallel::par_map(pages.len(), |i| Some(part::page_digest(pages[i])), |_| None)
            .into_iter()
            .collect::<Option<_>>()
            .ok_or_else(|| io::Error::other("digesting the search index's pages failed (a bug)"))?;
    // Each shard's part now, whether it was reused, and the part the cache held before when
    // it was computed from other pages.
    type Obtained<'p> = (Cow<'p, part::SearchPart>, bool, Option<part::SearchPart>);
    let obtain = |i: usize| -> Obtained<'_> {
        let (shard, numbers) = &shards[i];
        let key = part::part_key(binary, &digests, numbers);
        if let Some(part) = site
            .precomputed
            .and_then(|parts| parts.get(shard, key, numbers.len()))
        {
            return (Cow::Borrowed(part), true, None);
        }
        let before = match cache.map(|cache| cache.read(shard, key, numbers.len())) {
            Some(parts::CachedPart::Current(part)) => return (Cow::Owned(part), true, None),
            Some(parts::CachedPart::Previous(part)) => Some(part),
            _ => None,
        };
        let part = part::compute(key, &pages, &entries, numbers);
        if let Some(cache) = cache {
            cache.write(shard, &part);
        }
        (Cow::Owned(part), false, before)
    };
    let lengths: Vec<u32> = pages.iter().map(|page| page.terms.length()).collect();
    let scoring = postings::Scoring::of(&lengths);
    let scoring_digest = encoded::scoring_digest(binary, &scoring, &shards);
    let memo = cache
        .and_then(SearchCache::read_memo)
        .filter(|memo| memo.scoring == scoring_digest && memo.is_sound(pages.len()));
    // Past a few changed pages in a hundred, merging everything costs less.
    let max_changed = 16 + pages.len() / 64;
    let changed = memo
        .as_ref()
        .map(|memo| encoded::changed_pages(memo, &digests))
        .filter(|changed| changed.len() <= max_changed);
    // The parts an update of the memo needs first: the shards with a changed page. The
    // others are read only if a term must be merged again, or the index merged whole.
    let first: Vec<usize> = match &changed {
        Some(changed) => (0..shards.len())
            .filter(|&i| {
                shards[i]
                    .1
                    .iter()
                    .any(|page| changed.binary_search(page).is_ok())
            })
            .collect(),
        None => (0..shards.len()).collect(),
    };
    let obtain_each = |wanted: &[usize]| -> io::Result<Vec<(usize, Obtained<'_>)>> {
        crate::parallel::par_map(wanted.len(), |k| Some(obtain(wanted[k])), |_| None)
            .into_iter()
            .zip(wanted)
            .map(|(part, &i)| {
                part.map(|part| (i, part)).ok_or_else(|| {
                    io::Error::other(format!(
                        "computing the search index part of shard {} failed (a bug)",
                        shards[i].0
                    ))
                })
            })
            .collect()
    };
    let first_parts = obtain_each(&first)?;
    let rest: std::cell::OnceCell<io::Result<Vec<(usize, Obtained<'_>)>>> =
        std::cell::OnceCell::new();
    // Every shard's part placed site-wide, in shard order, the others obtained on first use.
    let all_parts = || -> io::Result<Vec<postings::PlacedPart<'_>>> {
        let rest = rest.get_or_init(|| {
            let others: Vec<usize> = (0..shards.len())
                .filter(|i| first.binary_search(i).is_err())
                .collect();
            obtain_each(&others)
        });
        let rest = rest
            .as_ref()
            .map_err(|e| io::Error::new(e.kind(), e.to_string()))?;
        let mut all: Vec<&(usize, Obtained<'_>)> = first_parts.iter().chain(rest).collect();
        all.sort_unstable_by_key(|(i, _)| *i);
        Ok(all
            .into_iter()
            .map(|(i, (part, _, _))| postings::PlacedPart {
                part: part.as_ref(),
                pages: &shards[*i].1,
            })
            .collect())
    };
    if let Some(cache) = cache {
        cache.keep_only(shards.iter().map(|(shard, _)| *shard));
    }
    let parts_done = started.elapsed();
    let updated = memo
        .as_ref()
        .zip(changed.as_deref())
        .and_then(|(memo, changed)| {
            let touched: Vec<encoded::ShardParts<'_>> = first_parts
                .iter()
                .map(|(i, (part, _, before))| encoded::ShardParts {
                    now: postings::PlacedPart {
                        part: part.as_ref(),
                        pages: &shards[*i].1,
                    },
                    before: before.as_ref(),
                })
                .collect();
            encoded::updated(
                memo,
                changed,
                binary,
                &touched,
                &|| all_parts().ok(),
                &scoring,
            )
        });
    let incremental = updated.is_some();
    let index = match updated {
        Some(index) => index,
        None => encoded::EncodedIndex::merged(&all_parts()?, &scoring)
            .ok_or_else(|| io::Error::other("merging the search index parts failed (a bug)"))?,
    };
    // The parts obtained: those with changed pages, and the others when they were needed.
    let obtained: Vec<&Obtained<'_>> = first_parts
        .iter()
        .chain(
            rest.get()
                .and_then(|rest| rest.as_ref().ok())
                .into_iter()
                .flatten(),
        )
        .map(|(_, obtained)| obtained)
        .collect();
    let read = obtained.len();
    let reused = obtained
        .iter()
        .filter(|(_, was_cached, _)| *was_cached)
        .count();
    drop(obtained);
    drop(first_parts);
    drop(rest);
    let merged = started.elapsed();
    let before: FxHashMap<String, OutputFile> = cache
        .map(|cache| cache.written_files(out_dir))
        .unwrap_or_default()
        .into_iter()
        .map(|file| (file.path.clone(), file))
        .collect();
    // An updated index's memo is saved while the files are laid out (both only read the
    // index): an edit would otherwise wait for it. A whole merge's is saved after them,
    // so that its encoding (the size of the index) never sits beside the layout's buffers
    // and the other site-wide files at a full build's peak.
    let memo_changed = memo
        .as_ref()
        .is_none_or(|memo| memo.index != index || memo.pages != digests);
    drop(memo);
    let memo = encoded::IndexMemo {
        scoring: scoring_digest,
        pages: digests,
        index,
    };
    let memo_cache = cache.filter(|_| memo_changed);
    let emit = |path: &str, bytes: &[u8]| {
        if site.fresh_output {
            worker::outputs::write_new_output(out_dir, path, bytes)
        } else {
            write_unless_unchanged(out_dir, path, bytes, before.get(path))
        }
    };
    let written = std::thread::scope(|scope| {
        if let Some(cache) = memo_cache.filter(|_| incremental) {
            scope.spawn(|| cache.write_memo(&memo));
        }
        layout::lay_out(site, &pages, &entries, &memo.index, &emit)
    })?;
    if let Some(cache) = memo_cache.filter(|_| !incremental) {
        cache.write_memo(&memo);
    }
    let unchanged = written.len() == before.len()
        && written
            .iter()
            .all(|file| before.get(&file.path) == Some(file));
    if let Some(cache) = cache.filter(|_| !unchanged) {
        cache.write_files(out_dir, written.clone());
    }
    tracing::debug!(
        pages = pages.len(),
        parts = shards.len(),
        reused,
        read,
        incremental,
        files = written.len(),
        "search index: parts {parts_done:?}, merged {merged:?}, files laid out and written \
         {:?}",
        started.elapsed()
    );
    Ok((written, incremental))
}

/// The pages in index order with their sub-entries, and each shard's page numbers.
struct Ordered<'s, 'a> {
    /// Ordered by version (unversioned pages first), kind, section, URL, title: facets
    /// become page ranges.
    pages: Vec<&'s SearchPage<'a>>,
    /// Each page's sub-entries, in the same order.
    entries: Vec<Vec<SubEntry<'a>>>,
    /// Every shard with its page numbers, increasing; shards in byte order.
    shards: Vec<(&'a str, Vec<u32>)>,
}

impl<'s, 'a> Ordered<'s, 'a> {
    fn of(site: &'s SearchSite<'a>) -> Ordered<'s, 'a> {
        let mut pages: Vec<&SearchPage<'_>> = site.pages.iter().collect();
        // Two pages never share a URL, so no two keys are equal: an unstable sort gives
        // the one order.
        pages.sort_unstable_by(|a, b| {
            (a.version, a.kind, a.section, a.url, a.title)
                .cmp(&(b.version, b.kind, b.section, b.url, b.title))
        });
        let entries = pages.iter().map(|page| sub_entries(page)).collect();
        let mut by_shard: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (number, page) in pages.iter().enumerate() {
            by_shard.entry(page.shard).or_default().push(number as u32);
        }
        Ordered {
            pages,
            entries,
            shards: by_shard.into_iter().collect(),
        }
    }
}

/// Writes an index file, unless `before` (what the last build wrote there) has the same
/// bytes and the file still has the size and modification time it was written with.
fn write_unless_unchanged(
    out_dir: &Path,
    path: &str,
    bytes: &[u8],
    before: Option<&OutputFile>,
) -> io::Result<OutputFile> {
    if let Some(before) = before
        && before.len == bytes.len() as u64
        && before.hash == protocol::content_hash(bytes)
        && std::fs::metadata(out_dir.join(path)).is_ok_and(|metadata| {
            metadata.len() == before.len
                && worker::outputs::modified_nanos(&metadata) == before.modified
        })
    {
        return Ok(before.clone());
    }
    worker::outputs::write_output(out_dir, path, bytes)
}

#[cfg(test)]
mod tests;
