//! Tests of the search index: entries, scores, files and their determinism.

use super::name_scores::{API_NAME, HEADING, TITLE};
use super::part::SearchPart;
use super::postings::Posting;
use super::*;
use protocol::Heading;

fn terms(text: &str) -> SearchTerms {
    worker::search_terms::body_terms(text)
}

fn page<'a>(url: &'a str, title: &'a str, terms: &'a SearchTerms) -> SearchPage<'a> {
    SearchPage {
        url,
        title,
        kind: SearchKind::Guide,
        section: "",
        version: None,
        summary: "",
        headings: &[],
        anchors: &[],
        terms,
        shard: "s",
    }
}

/// One part per shard of `pages` (already in index order), with its page numbers.
fn shard_parts(
    pages: &[&SearchPage<'_>],
    entries: &[Vec<SubEntry<'_>>],
) -> Vec<(SearchPart, Vec<u32>)> {
    let mut by_shard: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (number, page) in pages.iter().enumerate() {
        by_shard.entry(page.shard).or_default().push(number as u32);
    }
    let parts: Vec<(SearchPart, Vec<u32>)> = by_shard
        .into_values()
        .map(|numbers| (part::compute(0, pages, entries, &numbers), numbers))
        .collect();
    for (part, numbers) in &parts {
        assert!(part.is_sound(numbers.len()));
    }
    parts
}

fn placed(parts: &[(SearchPart, Vec<u32>)]) -> Vec<postings::PlacedPart<'_>> {
    parts
        .iter()
        .map(|(part, numbers)| postings::PlacedPart {
            part,
            pages: numbers,
        })
        .collect()
}

/// Every term with its scored postings, built as a build does: one part per shard of
/// `pages` (already in index order), merged.
fn build_index(
    pages: &[&SearchPage<'_>],
    entries: &[Vec<SubEntry<'_>>],
) -> Vec<(String, Vec<Posting>)> {
    build_index_with_bodies(pages, entries)
        .into_iter()
        .map(|(term, postings, _)| (term, postings))
        .collect()
}

/// [`build_index`] with each term's number of pages holding it in their body.
fn build_index_with_bodies(
    pages: &[&SearchPage<'_>],
    entries: &[Vec<SubEntry<'_>>],
) -> Vec<(String, Vec<Posting>, u32)> {
    let parts = shard_parts(pages, entries);
    let lengths: Vec<u32> = pages.iter().map(|page| page.terms.length()).collect();
    let ranges = postings::merge(
        &placed(&parts),
        &postings::Scoring::of(&lengths),
        |range: &mut Vec<(String, Vec<Posting>, u32)>, term, postings, in_bodies| {
            range.push((term.to_string(), postings.to_vec(), in_bodies));
        },
    )
    .expect("merged");
    ranges.concat()
}

/// The index merged range by range and encoded where each range was merged is the one a
/// single pass gives: every term once, in byte order, with the same record.
#[test]
fn an_index_encoded_by_ranges_equals_one_encoded_term_by_term() {
    let bodies: Vec<String> = (0..300)
        .map(|n| {
            format!(
                "page{n} words{} shared alpha{} zeta{}",
                n % 11,
                n % 37,
                n * 7
            )
        })
        .collect();
    let terms: Vec<SearchTerms> = bodies.iter().map(|body| terms(body)).collect();
    let urls: Vec<String> = (0..bodies.len()).map(|n| format!("/p{n:03}/")).collect();
    let shards: Vec<String> = (0..bodies.len()).map(|n| format!("s{}", n % 6)).collect();
    let pages: Vec<SearchPage<'_>> = (0..bodies.len())
        .map(|n| SearchPage {
            shard: &shards[n],
            ..page(&urls[n], "Page", &terms[n])
        })
        .collect();
    let pages: Vec<&SearchPage<'_>> = pages.iter().collect();
    let entries: Vec<Vec<SubEntry>> = pages.iter().map(|p| sub_entries(p)).collect();
    let parts = shard_parts(&pages, &entries);
    let lengths: Vec<u32> = pages.iter().map(|page| page.terms.length()).collect();
    let scoring = postings::Scoring::of(&lengths);
    let by_ranges = encoded::EncodedIndex::merged(&placed(&parts), &scoring).expect("merged");
    let mut one_pass = encoded::EncodedIndex::default();
    for (term, postings, in_bodies) in build_index_with_bodies(&pages, &entries) {
        one_pass.push(&term, &postings, in_bodies);
    }
    assert!(by_ranges.len() > 300, "{}", by_ranges.len());
    assert_eq!(by_ranges, one_pass);
}

fn postings_of<'a>(index: &'a [(String, Vec<Posting>)], term: &str) -> &'a [Posting] {
    index
        .iter()
        .find(|(t, _)| t == term)
        .map(|(_, p)| p.as_slice())
        .unwrap_or(&[])
}

#[test]
fn api_objects_link_to_their_anchors_and_rank_by_field() {
    let body = terms("Invoke the context. invoke invoke");
    let anchors = [
        "click.core.Context".to_string(),
        "click.core.Context.invoke".to_string(),
        "not-an-object".to_string(),
    ];
    let api = SearchPage {
        kind: SearchKind::Api,
        anchors: &anchors,
        ..page("/api/click/core/", "click.core", &body)
    };
    let headings = [Heading {
        level: 2,
        text: "Invoke callbacks".into(),
        id: "invoke-callbacks".into(),
    }];
    let guide_terms = terms("nothing here");
    let guide = SearchPage {
        headings: &headings,
        ..page("/guide/", "Invoke guide", &guide_terms)
    };
    let pages = [&guide, &api];
    let entries: Vec<Vec<SubEntry>> = pages.iter().map(|p| sub_entries(p)).collect();
    assert_eq!(
        entries[1].len(),
        2,
        "the two dotted anchors are API objects"
    );
    assert_eq!(entries[1][1].anchor, "click.core.Context.invoke");
    let index = build_index(&pages, &entries);
    let invoke = postings_of(&index, "invoke");
    let score = |page: u32, entry: u32| {
        invoke
            .iter()
            .find(|p| p.page == page && p.entry == entry)
            .map(|p| p.score)
    };
    // Title > heading > API name > body.
    assert_eq!(score(0, 0), Some(TITLE));
    assert_eq!(score(0, 1), Some(HEADING));
    assert_eq!(score(1, 2), Some(API_NAME));
    let body = score(1, 0).expect("body posting");
    assert!(body > 0 && body < API_NAME, "{body}");
    // `Context.invoke` is a term of the object only.
    let dotted = postings_of(&index, "context.invoke");
    assert_eq!(dotted.len(), 1);
    assert_eq!((dotted[0].page, dotted[0].entry), (1, 2));
    assert!(!postings_of(&index, "click.core.context.invoke").is_empty());
}

#[test]
fn bm25_prefers_more_occurrences_and_rarer_terms() {
    let once = terms("alpha beta gamma delta");
    let thrice = terms("alpha alpha alpha beta");
    let other = terms("beta");
    let (a, b, c) = (
        page("/a/", "A", &once),
        page("/b/", "B", &thrice),
        page("/c/", "C", &other),
    );
    let pages = [&a, &b, &c];
    let entries = vec![Vec::new(); 3];
    let index = build_index(&pages, &entries);
    let alpha = postings_of(&index, "alpha");
    assert!(alpha[1].score > alpha[0].score, "{alpha:?}");
    let beta_in_a = postings_of(&index, "beta")[0].score;
    let gamma_in_a = postings_of(&index, "gamma")[0].score;
    assert!(gamma_in_a > beta_in_a, "rarer term scores higher");
}

fn write(site: &SearchSite<'_>) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let written = write_search_index(out.path(), site, None).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = written
        .iter()
        .map(|o| {
            (
                o.path.clone(),
                std::fs::read(out.path().join(&o.path)).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn files_do_not_depend_on_page_order_and_cut_by_size() {
    let bodies: Vec<SearchTerms> = (0..800)
        .map(|n| {
            terms(&format!(
                "page{n} common words shared term{} extra{}",
                n % 7,
                n * 31
            ))
        })
        .collect();
    let urls: Vec<String> = (0..800).map(|n| format!("/p{n}/")).collect();
    let mut pages: Vec<SearchPage> = bodies
        .iter()
        .zip(&urls)
        .map(|(t, u)| page(u, "Title", t))
        .collect();
    fn site(pages: Vec<SearchPage<'_>>) -> SearchSite<'_> {
        SearchSite {
            versions: Vec::new(),
            page_text: true,
            pages,
            precomputed: None,
            fresh_output: false,
        }
    }
    let forward = write(&site(pages.clone()));
    pages.reverse();
    assert_eq!(write(&site(pages)), forward);
    let manifest = forward
        .iter()
        .find(|(p, _)| p == "search/manifest.json")
        .unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&manifest.1).unwrap();
    assert_eq!(manifest["format"], SEARCH_FORMAT);
    assert_eq!(manifest["pages"], 800);
    assert!(
        manifest["docs"].as_array().unwrap().len() > 1,
        "page chunks cut"
    );
    let buckets = manifest["buckets"].as_array().unwrap();
    assert!(
        buckets
            .iter()
            .any(|b| b.as_str().unwrap().chars().count() > 2),
        "the big `pa`/`ex` buckets are split: {buckets:?}"
    );
    for (path, bytes) in &forward {
        if path.starts_with("search/t/") {
            assert!(bytes.len() <= layout::BUCKET_BYTES * 2, "{path}");
        }
    }
}

/// Files of `after` that are not byte for byte in `before` (new or changed).
fn changed_files(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) -> Vec<String> {
    let before: BTreeMap<&str, &[u8]> = before
        .iter()
        .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
        .collect();
    after
        .iter()
        .filter(|(path, bytes)| before.get(path.as_str()) != Some(&bytes.as_slice()))
        .map(|(path, _)| path.clone())
        .collect()
}

/// An edit that adds a word the site did not have, or changes one page's summary, rewrites
/// the chunk holding it and its bucket, not every chunk after it (content-defined cuts,
/// chunks named by content).
#[test]
fn a_new_word_or_summary_changes_a_few_files_not_every_one_after_it() {
    let words: Vec<String> = (0..3000).map(|n| format!("word{n:04}")).collect();
    // Page 7 holds three words, all in one postings chunk: its edit rescores only those.
    let bodies: Vec<String> = (0..1500)
        .map(|n| {
            if n == 7 {
                return "word2990 word2991 word2992".to_string();
            }
            (0..40)
                .map(|k| words[(n * 37 + k * 101) % words.len()].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let urls: Vec<String> = (0..1500).map(|n| format!("/p{n:04}/")).collect();
    let summaries: Vec<String> = (0..1500).map(|n| format!("Summary of page {n}.")).collect();
    let write_with = |edited_body: &str, edited_summary: &str| {
        let terms: Vec<SearchTerms> = bodies
            .iter()
            .enumerate()
            .map(|(n, body)| terms(if n == 7 { edited_body } else { body }))
            .collect();
        let pages = urls
            .iter()
            .zip(&terms)
            .enumerate()
            .map(|(n, (url, terms))| SearchPage {
                summary: if n == 7 {
                    edited_summary
                } else {
                    &summaries[n]
                },
                ..page(url, "Title", terms)
            })
            .collect();
        write(&site_of(pages))
    };
    let before = write_with(&bodies[7], &summaries[7]);
    let postings = |files: &[(String, Vec<u8>)]| {
        files
            .iter()
            .filter(|(path, _)| path.starts_with("search/p/"))
            .count()
    };
    assert!(
        postings(&before) > 8,
        "{} postings chunks",
        postings(&before)
    );

    // `word0000` sorts first: a word before it would shift every cut in a numbered layout.
    let with_new_word = format!("{} aardvark", bodies[7]);
    let after = write_with(&with_new_word, &summaries[7]);
    let changed = changed_files(&before, &after);
    let changed_postings = changed
        .iter()
        .filter(|p| p.starts_with("search/p/"))
        .count();
    let changed_buckets = changed
        .iter()
        .filter(|p| p.starts_with("search/t/"))
        .count();
    // The chunk now starting with the new word (renamed), the chunk of page 7's words.
    assert!(changed_postings <= 3, "{changed:?}");
    // The new word's bucket and the buckets naming those chunks.
    assert!(changed_buckets <= 3, "{changed:?}");

    let longer_summary = format!("{} {}", summaries[7], "A much longer summary. ".repeat(20));
    let after = write_with(&bodies[7], &longer_summary);
    let changed = changed_files(&before, &after);
    let changed_docs = changed
        .iter()
        .filter(|p| p.starts_with("search/d/"))
        .count();
    assert!(changed_docs <= 2, "{changed:?}");
    assert!(
        changed.iter().all(|p| p.starts_with("search/d/")),
        "{changed:?}"
    );
}

#[test]
fn facets_are_page_ranges() {
    let t = terms("x");
    let mut a = page("/b/", "B", &t);
    a.version = Some(1);
    let mut b = page("/a/", "A", &t);
    b.kind = SearchKind::Api;
    let c = page("/c/", "C", &t);
    let site = SearchSite {
        versions: vec!["2.0", "1.0"],
        page_text: false,
        pages: vec![a, b, c],
        precomputed: None,
        fresh_output: false,
    };
    let files = write(&site);
    let manifest = &files
        .iter()
        .find(|(p, _)| p == "search/manifest.json")
        .unwrap()
        .1;
    let manifest: serde_json::Value = serde_json::from_slice(manifest).unwrap();
    assert_eq!(
        manifest["groups"],
        serde_json::json!([[0, -1, 0], [1, -1, 2], [2, 1, 0]])
    );
    let docs = &files
        .iter()
        .find(|(p, _)| p == "search/d/0.json")
        .unwrap()
        .1;
    let docs: serde_json::Value = serde_json::from_slice(docs).unwrap();
    assert_eq!(docs[0][0], "/c/");
    assert_eq!(docs[1][0], "/a/");
    assert_eq!(docs[2][0], "/b/");
}

#[test]
fn cli_pages_by_url_or_section() {
    assert_eq!(SearchKind::of_guide("/cli/run/", ""), SearchKind::Cli);
    assert_eq!(SearchKind::of_guide("/x/", "Command Line"), SearchKind::Cli);
    assert_eq!(SearchKind::of_guide("/client/", "Guide"), SearchKind::Guide);
}

/// Pages spread over shards in several ways: the merged index is the same.
#[test]
fn the_index_does_not_depend_on_how_pages_are_cut_into_parts() {
    let bodies: Vec<SearchTerms> = (0..60)
        .map(|n| {
            terms(&format!(
                "page{n} common words shared term{} extra{} read_file getElementById",
                n % 7,
                n * 31
            ))
        })
        .collect();
    let urls: Vec<String> = (0..60).map(|n| format!("/p{n:02}/")).collect();
    let headings = [Heading {
        level: 2,
        text: "Common heading".into(),
        id: "common-heading".into(),
    }];
    let shard_names: Vec<String> = (0..60).map(|n| format!("shard-{n}")).collect();
    let index_with = |shard_of: &dyn Fn(usize) -> usize| {
        let pages: Vec<SearchPage<'_>> = (0..60)
            .map(|n| SearchPage {
                headings: if n % 3 == 0 { &headings } else { &[] },
                shard: &shard_names[shard_of(n)],
                ..page(&urls[n], "Title words", &bodies[n])
            })
            .collect();
        let pages: Vec<&SearchPage<'_>> = pages.iter().collect();
        let entries: Vec<Vec<SubEntry<'_>>> = pages.iter().map(|p| sub_entries(p)).collect();
        build_index(&pages, &entries)
    };
    let one_part = index_with(&|_| 0);
    // Every body, and the heading of every third page.
    assert_eq!(postings_of(&one_part, "common").len(), 80);
    assert_eq!(index_with(&|n| n), one_part, "a part per page");
    assert_eq!(index_with(&|n| n % 5), one_part, "interleaved parts");
    assert_eq!(index_with(&|n| n / 20), one_part, "runs of pages");
    assert_eq!(index_with(&|n| (n * 7919) % 13), one_part, "scattered");
}

fn site_of<'a>(pages: Vec<SearchPage<'a>>) -> SearchSite<'a> {
    SearchSite {
        versions: Vec::new(),
        page_text: true,
        pages,
        precomputed: None,
        fresh_output: false,
    }
}

/// The files under `out/search`, by path.
fn read_tree(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out.join("search"))
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let path = entry
                .path()
                .strip_prefix(out)
                .unwrap()
                .display()
                .to_string();
            (path, std::fs::read(entry.path()).unwrap())
        })
        .collect()
}

/// A cache folder in a temporary site folder (kept alive by the first value).
fn cache_store() -> (tempfile::TempDir, crate::cache::CacheStore) {
    let site_dir = tempfile::tempdir().unwrap();
    let store = crate::cache::CacheStore::open(site_dir.path()).unwrap();
    (site_dir, store)
}

/// Search parts read and written in `store`, reused when they fit.
fn reusing_cache(store: &crate::cache::CacheStore) -> SearchCache<'_> {
    SearchCache {
        store,
        reuse: true,
        binary: 7,
    }
}

#[test]
fn cached_parts_are_reused_only_for_unchanged_shards_and_give_the_same_files() {
    use std::os::unix::fs::MetadataExt;
    let (site_dir, store) = cache_store();
    let cache = reusing_cache(&store);
    let part_inodes = || -> BTreeMap<String, u64> {
        std::fs::read_dir(site_dir.path().join(crate::cache::CACHE_DIR).join("search"))
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, entry.metadata().unwrap().ino())
            })
            .filter(|(name, _)| name != "files.bin" && name != "index.bin")
            .collect()
    };
    let (alpha, beta, gamma) = (
        terms("alpha shared words"),
        terms("beta shared"),
        terms("gamma words"),
    );
    let edited = terms("beta edited with a brand new word");
    fn three<'a>(
        alpha: &'a SearchTerms,
        beta: &'a SearchTerms,
        gamma: &'a SearchTerms,
    ) -> Vec<SearchPage<'a>> {
        vec![
            SearchPage {
                shard: "one",
                ..page("/a/", "Alpha", alpha)
            },
            SearchPage {
                shard: "two",
                ..page("/b/", "Beta", beta)
            },
            SearchPage {
                shard: "one",
                ..page("/c/", "Gamma", gamma)
            },
        ]
    }
    let pages = |beta_terms| three(&alpha, beta_terms, &gamma);

    let out = tempfile::tempdir().unwrap();
    write_search_index(out.path(), &site_of(pages(&beta)), Some(&cache)).unwrap();
    let first = part_inodes();
    assert_eq!(first.len(), 2, "one part per shard: {first:?}");

    // Unchanged: same files, no part written again.
    write_search_index(out.path(), &site_of(pages(&beta)), Some(&cache)).unwrap();
    assert_eq!(part_inodes(), first);

    // One page edited: only its shard's part is written again, and the files equal a
    // build without any cache.
    write_search_index(out.path(), &site_of(pages(&edited)), Some(&cache)).unwrap();
    let second = part_inodes();
    let changed: Vec<&String> = second
        .iter()
        .filter(|(name, inode)| first.get(*name) != Some(inode))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(changed.len(), 1, "{first:?} {second:?}");
    let clean = tempfile::tempdir().unwrap();
    write_search_index(clean.path(), &site_of(pages(&edited)), None).unwrap();
    assert_eq!(read_tree(out.path()), read_tree(clean.path()));
    assert!(
        read_tree(out.path())
            .iter()
            .any(|(path, bytes)| path.contains("/t/") && bytes.windows(5).any(|w| w == b"brand")),
        "the new word is in the dictionary"
    );

    // A damaged part is computed again, with the same result.
    for name in second.keys() {
        let path = site_dir
            .path()
            .join(crate::cache::CACHE_DIR)
            .join("search")
            .join(name);
        std::fs::write(&path, b"garbage").unwrap();
    }
    let again = tempfile::tempdir().unwrap();
    write_search_index(again.path(), &site_of(pages(&edited)), Some(&cache)).unwrap();
    assert_eq!(read_tree(again.path()), read_tree(clean.path()));

    // A shard that is gone loses its part.
    let only_one: Vec<SearchPage<'_>> = pages(&edited)
        .into_iter()
        .filter(|page| page.shard == "one")
        .collect();
    write_search_index(out.path(), &site_of(only_one), Some(&cache)).unwrap();
    assert_eq!(part_inodes().len(), 1);
}

/// `search-worker.js` computes bucket names with the same FNV-1a: the published vectors.
#[test]
fn bucket_names_are_fnv1a_64_of_the_prefix() {
    assert_eq!(layout::bucket_name(""), "cbf29ce484222325");
    assert_eq!(layout::bucket_name("a"), "af63dc4c8601ec8c");
    assert_eq!(layout::bucket_name("foobar"), "85944171f73967e8");
}

/// A distributed build's parts compute their groups' parts where the pages rendered; the
/// merge, taking them, writes the files of one pass over every page. A group whose part
/// came from other pages is computed again, never taken.
#[test]
fn precomputed_parts_give_the_files_of_one_pass() {
    let bodies: Vec<SearchTerms> = (0..300)
        .map(|n| terms(&format!("page{n} shared words term{} tail{}", n % 5, n * 7)))
        .collect();
    let urls: Vec<String> = (0..300).map(|n| format!("/p{n}/")).collect();
    let groups: Vec<String> = (0..300).map(|n| format!("{}/s{}", n % 3, n % 2)).collect();
    let pages: Vec<SearchPage> = bodies
        .iter()
        .zip(&urls)
        .zip(&groups)
        .map(|((t, u), group)| SearchPage {
            shard: group,
            ..page(u, "Title", t)
        })
        .collect();
    let one_pass = write(&site_of(pages.clone()));

    // Each "part" (n % 3) computes the groups of its own pages only.
    let mut shipped = PrecomputedParts::default();
    for part in 0..3 {
        let own: Vec<SearchPage> = pages
            .iter()
            .filter(|p| p.shard.starts_with(&format!("{part}/")))
            .cloned()
            .collect();
        shipped.extend(PrecomputedParts::compute(&site_of(own)));
    }
    assert_eq!(shipped.len(), 6);
    let merged = write(&SearchSite {
        precomputed: Some(&shipped),
        ..site_of(pages.clone())
    });
    assert_eq!(merged, one_pass);
    // As a merge writes them, into a folder that has none of them.
    let created = write(&SearchSite {
        precomputed: Some(&shipped),
        fresh_output: true,
        ..site_of(pages.clone())
    });
    assert_eq!(created, one_pass);

    // Part 0 computed its groups from other pages: they are computed again.
    let mut foreign = PrecomputedParts::default();
    let edited: Vec<SearchTerms> = (0..300).map(|n| terms(&format!("other{n}"))).collect();
    let other_pages: Vec<SearchPage> = pages
        .iter()
        .zip(&edited)
        .map(|(p, t)| SearchPage {
            terms: t,
            ..p.clone()
        })
        .collect();
    foreign.extend(PrecomputedParts::compute(&site_of(other_pages)));
    let with_foreign = write(&SearchSite {
        precomputed: Some(&foreign),
        ..site_of(pages)
    });
    assert_eq!(with_foreign, one_pass);
}

#[test]
fn the_average_length_is_rounded_to_two_significant_digits() {
    use postings::stable_average_length;
    assert_eq!(stable_average_length(0, 0), 1);
    assert_eq!(stable_average_length(7, 2), 4, "3.5 rounds to 4");
    assert_eq!(stable_average_length(97 * 3, 3), 97);
    assert_eq!(stable_average_length(4_440, 10), 440);
    assert_eq!(stable_average_length(4_451, 10), 450);
    assert_eq!(stable_average_length(123_456 * 4, 4), 120_000);
    // At 10,000 pages, an edit adding 200 words to one page keeps it.
    let total = 10_000 * 612;
    assert_eq!(
        stable_average_length(total, 10_000),
        stable_average_length(total + 200, 10_000)
    );
}

#[test]
fn an_edit_changes_only_the_postings_of_the_edited_pages_terms() {
    let bodies: Vec<String> = (0..40)
        .map(|n| {
            format!(
                "common words here page{n} filler filler text number{}",
                n % 7
            )
        })
        .collect();
    let mut edited = bodies.clone();
    edited[13].push_str(" common words appended again and again");
    let index_of = |bodies: &[String]| {
        let terms: Vec<SearchTerms> = bodies.iter().map(|body| terms(body)).collect();
        let urls: Vec<String> = (0..bodies.len()).map(|n| format!("/p{n:02}/")).collect();
        let pages: Vec<SearchPage<'_>> = terms
            .iter()
            .zip(&urls)
            .map(|(terms, url)| page(url, "Page", terms))
            .collect();
        let pages: Vec<&SearchPage<'_>> = pages.iter().collect();
        let entries: Vec<Vec<SubEntry>> = pages.iter().map(|p| sub_entries(p)).collect();
        build_index(&pages, &entries)
    };
    let (before, after) = (index_of(&bodies), index_of(&edited));
    let edited_terms = terms(&edited[13]);
    let edited_terms: Vec<&str> = edited_terms.iter().map(|(term, _)| term).collect();
    let mut unchanged = 0;
    for (term, postings) in &before {
        if !edited_terms.contains(&term.as_str()) {
            assert_eq!(postings, postings_of(&after, term), "{term}");
            unchanged += 1;
        }
    }
    assert!(unchanged > 40, "{unchanged}");
}

/// The index the previous build merged is updated term by term when few pages changed; the
/// files are those of a build without any cache, edit after edit.
#[test]
fn the_previous_index_is_updated_only_where_pages_changed_and_gives_the_same_files() {
    let (_site_dir, store) = cache_store();
    let cache = reusing_cache(&store);
    let mut bodies: Vec<String> = (0..200)
        .map(|n| format!("page{n} shared words term{} tail{} filler", n % 9, n * 13))
        .collect();
    let urls: Vec<String> = (0..201).map(|n| format!("/p{n:03}/")).collect();
    let shards: Vec<String> = (0..201).map(|n| format!("hash-{:02}", n * 7 % 5)).collect();
    let headings = [Heading {
        level: 2,
        text: "Shared heading".into(),
        id: "shared-heading".into(),
    }];
    let out = tempfile::tempdir().unwrap();
    let build = |bodies: &[String], title_of_7: &str| -> bool {
        let terms: Vec<SearchTerms> = bodies.iter().map(|body| terms(body)).collect();
        let pages: Vec<SearchPage<'_>> = (0..bodies.len())
            .map(|n| SearchPage {
                shard: &shards[n],
                headings: if n % 4 == 0 { &headings } else { &[] },
                ..page(
                    &urls[n],
                    if n == 7 { title_of_7 } else { "Page" },
                    &terms[n],
                )
            })
            .collect();
        let (written, incremental) =
            write_index(out.path(), &site_of(pages.clone()), Some(&cache)).expect("written");
        // The files this build wrote or kept (a build removes the others).
        let ours: BTreeMap<String, Vec<u8>> = written
            .iter()
            .map(|file| {
                (
                    file.path.clone(),
                    std::fs::read(out.path().join(&file.path)).unwrap(),
                )
            })
            .collect();
        let clean = tempfile::tempdir().unwrap();
        write_search_index(clean.path(), &site_of(pages), None).unwrap();
        assert!(
            ours == read_tree(clean.path()),
            "the files differ from a clean build's"
        );
        incremental
    };
    assert!(!build(&bodies, "Page"), "nothing to update from");
    assert!(build(&bodies, "Page"), "nothing changed");
    bodies[50].push_str(" shared words shared words again");
    assert!(build(&bodies, "Page"), "words repeated");
    bodies[51].push_str(" zzbrandnew aabrandnew");
    assert!(build(&bodies, "Page"), "new words");
    bodies[51] = "page51".into();
    bodies[120] = "page120 filler".into();
    assert!(build(&bodies, "Page"), "words gone");
    assert!(
        build(&bodies, "Renamed Seven"),
        "a title (and its sub-entries)"
    );
    for body in bodies.iter_mut().take(60) {
        body.push_str(" everywhere");
    }
    assert!(
        !build(&bodies, "Renamed Seven"),
        "too many pages changed: merged whole"
    );
    assert!(
        build(&bodies, "Renamed Seven"),
        "and from there on updated again"
    );
    bodies.push("page200 a new page".into());
    assert!(
        !build(&bodies, "Renamed Seven"),
        "a page added: merged whole"
    );
}
