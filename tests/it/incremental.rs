//! Incremental builds through the shard cache: each kind of edit re-renders exactly what
//! it must, and the result is byte-identical to a clean full build of the same inputs.

use crate::support::{
    Run, TempSite, assert_same_tree, binary, build, copy_site, example_site, read,
};
use std::path::Path;
use std::process::Command;

/// A site with its output folder inside it (`public/`), built once to fill the cache.
struct Scenario {
    site: TempSite,
}

impl Scenario {
    fn new() -> Scenario {
        let scenario = Scenario {
            site: example_site(),
        };
        let first = scenario.build(&[]);
        assert_eq!(first.code(), 0, "{:#?}", first.errors());
        assert_eq!(first.count("cached", "content"), 0);
        scenario
    }

    fn out(&self) -> std::path::PathBuf {
        self.site.join("public")
    }

    fn build(&self, extra: &[&str]) -> Run {
        build(&self.site, &self.out(), extra)
    }

    fn edit(&self, rel: &str, change: impl FnOnce(String) -> String) {
        let path = self.site.join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        std::fs::write(&path, change(text)).expect("write edit");
    }

    /// Asserts the incremental output equals a full build of a pristine copy of the site.
    fn assert_matches_clean_build(&self) {
        let pristine = copy_site(&self.site);
        let clean_out = tempfile::tempdir().expect("temp dir");
        let run = build(&pristine, clean_out.path(), &["--no-cache"]);
        assert_eq!(run.code(), 0, "{:#?}", run.errors());
        assert_same_tree(clean_out.path(), &self.out(), "incremental vs clean build");
    }
}

fn rendered(run: &Run) -> (u64, u64, u64) {
    (
        run.count("rendered", "content"),
        run.count("rendered", "autodoc"),
        run.count("rendered", "generated"),
    )
}

#[test]
fn a_no_change_rebuild_renders_nothing() {
    let scenario = Scenario::new();
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0);
    assert_eq!(rendered(&run), (0, 0, 0));
    assert_eq!(run.count("cached", "content"), 15);
    assert_eq!(run.count("cached", "autodoc"), 6);
    scenario.assert_matches_clean_build();
}

#[test]
fn editing_one_markdown_body_rerenders_that_page_and_no_autodoc_page() {
    let scenario = Scenario::new();
    scenario.edit("content/guides/testing.md", |t| {
        t + "\nOne more sentence about fixtures.\n"
    });
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert_eq!(rendered(&run), (1, 0, 0), "{}", run.json);
    assert!(
        read(&scenario.out(), "guides/testing/index.html")
            .contains("One more sentence about fixtures.")
    );
    scenario.assert_matches_clean_build();
}

#[test]
fn a_new_title_rerenders_the_pages_that_show_it_but_no_autodoc_page() {
    let scenario = Scenario::new();
    scenario.edit("content/guides/testing.md", |t| {
        t.replace("title: Testing tasks", "title: Testing your tasks")
    });
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let (content, autodoc, generated) = rendered(&run);
    assert_eq!(autodoc, 0, "{}", run.json);
    // The page, its section siblings (sidebar), the section page (listing) at least.
    assert!((5..15).contains(&content), "{}", run.json);
    assert!(generated >= 1, "tag pages list the title: {}", run.json);
    assert!(read(&scenario.out(), "guides/deployment/index.html").contains("Testing your tasks"));
    scenario.assert_matches_clean_build();
}

#[test]
fn a_page_linking_to_a_moved_page_is_rendered_again_with_the_new_url() {
    let scenario = Scenario::new();
    // `getting-started/first-task.md` links to `../guides/retries.md#backoff`, from
    // another section: the link alone ties it to that page's URL.
    let before = read(&scenario.out(), "getting-started/first-task/index.html");
    assert!(before.contains("/guides/retries/#backoff"), "{before}");
    scenario.edit("content/guides/retries.md", |t| {
        t.replacen("---\n", "---\nslug: retrying\n", 1)
    });
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let after = read(&scenario.out(), "getting-started/first-task/index.html");
    assert!(after.contains("/guides/retrying/#backoff"), "{after}");
    assert!(!after.contains("/guides/retries/"), "{after}");
    scenario.assert_matches_clean_build();
}

#[test]
fn editing_one_python_module_rerenders_only_its_page() {
    let scenario = Scenario::new();
    scenario.edit("src/tidepool/retry.py", |t| {
        t.replace(
            "\"\"\"Retry policies (Sphinx-style docstrings).\"\"\"",
            "\"\"\"Retry policies, edited.\"\"\"",
        )
    });
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert_eq!(rendered(&run), (0, 1, 0), "{}", run.json);
    assert!(
        read(&scenario.out(), "api/tidepool/retry/index.html").contains("Retry policies, edited.")
    );
    scenario.assert_matches_clean_build();
}

#[test]
fn adding_a_module_rerenders_its_package_page_too() {
    let scenario = Scenario::new();
    std::fs::write(
        scenario.site.join("src/tidepool/backends/redis.py"),
        "\"\"\"A Redis broker.\"\"\"\n",
    )
    .expect("write module");
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let (_, autodoc, _) = rendered(&run);
    // The new module, the package page whose member list changed, and its one sibling
    // module, whose sidebar now lists it; no module of another package.
    assert_eq!(autodoc, 3, "{}", run.json);

    assert!(read(&scenario.out(), "api/tidepool/backends/index.html").contains("redis"));
    scenario.assert_matches_clean_build();
}

#[test]
fn editing_a_template_rerenders_exactly_the_pages_using_it() {
    let scenario = Scenario::new();
    let template = "{% extends \"page.html\" %}{% block page_footer %}<p class=\"custom\">v1</p>{% endblock %}";
    std::fs::create_dir_all(scenario.site.join("templates")).expect("mkdir");
    std::fs::write(scenario.site.join("templates/custom.html"), template).expect("write template");
    for page in ["content/guides/testing.md", "content/guides/migrating.md"] {
        scenario.edit(page, |t| {
            t.replacen("---\n", "---\ntemplate: custom.html\n", 1)
        });
    }
    assert_eq!(scenario.build(&[]).code(), 0);

    scenario.edit("templates/custom.html", |t| t.replace("v1", "v2"));
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert_eq!(rendered(&run), (2, 0, 0), "{}", run.json);
    assert!(
        read(&scenario.out(), "guides/testing/index.html").contains("<p class=\"custom\">v2</p>")
    );
    scenario.assert_matches_clean_build();
}

#[test]
fn changing_the_config_rebuilds_everything() {
    let scenario = Scenario::new();
    scenario.edit("ssg.toml", |t| {
        t.replace("title = \"Tidepool\"", "title = \"Tidepool docs\"")
    });
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert_eq!(
        run.count("cached", "content") + run.count("cached", "autodoc"),
        0,
        "{}",
        run.json
    );
    assert_eq!(rendered(&run).0, 15);
    scenario.assert_matches_clean_build();
}

#[test]
fn adding_and_deleting_a_page_updates_outputs_and_site_files_without_leftovers() {
    let scenario = Scenario::new();
    let page =
        "---\ntitle: Scheduling\ndate: 2026-01-01\ntags: [cron]\n---\n\nRun tasks on a schedule.\n";
    std::fs::write(scenario.site.join("content/guides/scheduling.md"), page).expect("write page");
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let out = scenario.out();
    for file in ["guides/scheduling/index.html", "tags/cron/index.html"] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    assert!(read(&out, "sitemap.xml").contains("/guides/scheduling/"));
    let searched = |out: &std::path::Path| -> Vec<String> {
        crate::search::indexed_pages(out)
            .into_iter()
            .map(|(url, _, _)| url)
            .collect()
    };
    assert!(searched(&out).iter().any(|u| u == "/guides/scheduling/"));
    assert!(read(&out, "rss.xml").contains("Scheduling"));
    scenario.assert_matches_clean_build();

    std::fs::remove_file(scenario.site.join("content/guides/scheduling.md")).expect("delete page");
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(
        !out.join("guides/scheduling").exists(),
        "stale page folder left behind"
    );
    assert!(
        !out.join("tags/cron").exists(),
        "stale tag page left behind"
    );
    assert!(!read(&out, "sitemap.xml").contains("/guides/scheduling/"));
    assert!(!searched(&out).iter().any(|u| u == "/guides/scheduling/"));
    assert!(!read(&out, "rss.xml").contains("Scheduling"));
    scenario.assert_matches_clean_build();
}

#[test]
fn an_output_deleted_by_hand_is_restored() {
    let scenario = Scenario::new();
    std::fs::remove_file(scenario.out().join("guides/retries/index.json")).expect("delete output");
    std::fs::remove_file(scenario.out().join("sitemap.xml")).expect("delete sitemap");
    let run = scenario.build(&[]);
    assert_eq!(run.code(), 0);
    assert_eq!(rendered(&run), (1, 0, 0), "{}", run.json);
    scenario.assert_matches_clean_build();
}

#[test]
fn an_output_overwritten_by_hand_is_rendered_again() {
    let scenario = Scenario::new();
    let path = scenario.out().join("guides/retries/index.html");
    let original = std::fs::read(&path).expect("read output");
    // Same length, different bytes: only the modification time tells.
    let mut tampered = original.clone();
    tampered[0] = if tampered[0] == b'x' { b'y' } else { b'x' };
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&path, &tampered).expect("overwrite");
    let run = scenario.build(&[]);
    assert_eq!(rendered(&run), (1, 0, 0), "{}", run.json);
    assert_eq!(std::fs::read(&path).expect("read"), original);
}

fn corrupt_cache(site: &Path, damage: impl Fn(&[u8]) -> Vec<u8>) {
    for entry in walkdir::WalkDir::new(site.join(".ssg-cache"))
        .into_iter()
        .flatten()
    {
        if entry.path().extension().is_some_and(|e| e == "bin") {
            let bytes = std::fs::read(entry.path()).expect("read cache file");
            std::fs::write(entry.path(), damage(&bytes)).expect("damage cache file");
        }
    }
}

#[test]
fn a_truncated_or_garbage_cache_is_ignored_with_one_warning() {
    for (what, damage) in [
        (
            "truncated",
            Box::new(|b: &[u8]| b[..b.len() / 2].to_vec()) as Box<dyn Fn(&[u8]) -> Vec<u8>>,
        ),
        ("garbage", Box::new(|b: &[u8]| vec![0xAB; b.len()])),
        ("empty", Box::new(|_: &[u8]| Vec::new())),
    ] {
        let scenario = Scenario::new();
        corrupt_cache(&scenario.site, damage);
        let run = scenario.build(&[]);
        assert_eq!(run.code(), 0, "{what}: {:#?}", run.errors());
        let cache_warnings: Vec<String> = run
            .warnings()
            .into_iter()
            .filter(|w| w.contains("cache"))
            .collect();
        assert_eq!(cache_warnings.len(), 1, "{what}: {:#?}", run.warnings());
        assert_eq!(rendered(&run).0, 15, "{what}: everything is rendered again");
        scenario.assert_matches_clean_build();
        // And the cache is healthy again afterwards.
        let again = scenario.build(&[]);
        assert!(
            again.warnings().iter().all(|w| !w.contains("cache")),
            "{what}"
        );
        assert_eq!(rendered(&again), (0, 0, 0), "{what}");
    }
}

#[test]
fn no_cache_renders_everything() {
    let scenario = Scenario::new();
    let run = scenario.build(&["--no-cache"]);
    assert_eq!(rendered(&run).0, 15);
    assert_eq!(run.count("cached", "content"), 0);
}

#[test]
fn shard_strategies_are_reported_and_do_not_change_output() {
    let scenario = Scenario::new();
    let run = scenario.build(&["--no-cache", "--shard-autodoc", "--shard-sections"]);
    assert_eq!(run.code(), 0);
    let ids: Vec<&str> = run.json["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    for expected in [
        "autodoc/api",
        "content/guides",
        "content/root",
        "generated/tags",
    ] {
        assert!(ids.contains(&expected), "{expected} not in {ids:?}");
    }
    let pages: u64 = run.json["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .map(|s| s["pages"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        pages,
        run.count("pages", "content")
            + run.count("pages", "autodoc")
            + run.count("pages", "generated")
    );
    scenario.assert_matches_clean_build();
}

#[test]
fn clean_removes_the_cache_and_the_output() {
    let scenario = Scenario::new();
    assert!(scenario.site.join(".ssg-cache").is_dir());
    let output = Command::new(binary())
        .arg("clean")
        .arg(&*scenario.site)
        .arg("--out")
        .arg(scenario.out())
        .output()
        .expect("run clean");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!scenario.site.join(".ssg-cache").exists());
    assert!(!scenario.out().exists());
    assert!(
        scenario.site.join("content/_index.md").is_file(),
        "clean touched the sources"
    );
}

#[test]
fn a_no_change_rebuild_repeats_the_warnings_of_the_build_before() {
    let site = crate::support::site_from(&[
        ("content/a.md", "# A\n\nA [dead link](/nowhere/).\n"),
        ("content/b.md", "# B\n"),
    ]);
    let out = site.path().join("public");
    let first = build(site.path(), &out, &[]);
    assert_eq!(first.code(), 0);
    assert_eq!(first.warnings().len(), 1, "{:#?}", first.warnings());
    let again = build(site.path(), &out, &[]);
    assert_eq!(rendered(&again), (0, 0, 0));
    assert_eq!(again.warnings(), first.warnings());
    assert_eq!(again.json["outputs"], first.json["outputs"]);
    // --strict changes the outcome, so it is not a no-change build.
    let strict = build(site.path(), &out, &["--strict"]);
    assert_eq!(strict.code(), 1, "{}", strict.json);
}

#[test]
fn a_page_whose_front_matter_breaks_keeps_its_last_good_output() {
    let scenario = Scenario::new();
    let good = read(&scenario.out(), "guides/testing/index.html");
    scenario.edit("content/guides/testing.md", |t| {
        t.replacen("title: Testing tasks", "title: [unclosed", 1)
    });
    let broken = scenario.build(&[]);
    assert_eq!(broken.code(), 1);
    assert_eq!(read(&scenario.out(), "guides/testing/index.html"), good);
    scenario.edit("content/guides/testing.md", |t| {
        t.replacen("title: [unclosed", "title: Testing tasks", 1)
    });
    let fixed = scenario.build(&[]);
    assert_eq!(fixed.code(), 0, "{:#?}", fixed.errors());
    scenario.assert_matches_clean_build();
}
