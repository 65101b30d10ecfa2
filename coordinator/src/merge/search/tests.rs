//! Tests of the search index: entries, scores, files and their determinism.

use super::postings::{API_NAME, HEADING, TITLE};
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
    }
}

fn postings_of<'a>(index: &'a postings::Index<'_>, term: &str) -> &'a [postings::Posting] {
    index
        .terms
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
    let index = postings::build(&pages, &entries);
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
    let index = postings::build(&pages, &entries);
    let alpha = postings_of(&index, "alpha");
    assert!(alpha[1].score > alpha[0].score, "{alpha:?}");
    let beta_in_a = postings_of(&index, "beta")[0].score;
    let gamma_in_a = postings_of(&index, "gamma")[0].score;
    assert!(gamma_in_a > beta_in_a, "rarer term scores higher");
}

fn write(site: &SearchSite<'_>) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let written = write_search_index(out.path(), site).unwrap();
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
