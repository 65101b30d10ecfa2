//! Limits that protect the machine: a worker announcing a frame over `MAX_FRAME_BYTES`, a
//! worker writing garbage on its stdout, a template writing gigabytes and a template
//! looping without end each fail one page with a clear error, never hang the build or
//! exhaust the coordinator's memory.

use crate::support::{build, build_with_env, example_site, site_from};

const VICTIM: &str = "content/guides/retries.md";

/// Builds the example in worker processes with `fault` on the retries page: that page
/// alone fails, with `reason` in its error, and every worker is gone afterwards.
fn broken_worker(fault: &str, reason: &str) {
    let site = example_site();
    let out = tempfile::tempdir().expect("temp dir");
    let run = build_with_env(
        &site,
        out.path(),
        &["--process-parallel", "--max-processes", "2"],
        &[("SSG_COORD_FAULT", &format!("{fault}:{VICTIM}"))],
    );
    assert_eq!(run.code(), 1, "{fault}: {}\n{}", run.json, run.stderr());
    assert_eq!(
        run.json["failed_pages"],
        serde_json::json!([VICTIM]),
        "{fault}: {}",
        run.json
    );
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(VICTIM) && e.contains(reason)),
        "{fault}: {errors:#?}"
    );
    assert_eq!(run.count("rendered", "content"), 14, "{fault}");
    assert!(out.path().join("guides/deployment/index.html").is_file());
}

#[test]
fn a_frame_over_the_size_limit_costs_its_page() {
    broken_worker("bigframe", "exceeds the 536870912 byte limit");
}

#[test]
fn garbage_on_a_workers_stdout_costs_its_page() {
    broken_worker("garbage", "not a frame");
}

fn template_site(template: &str) -> tempfile::TempDir {
    site_from(&[
        ("ssg.toml", "title = \"Limits\"\n"),
        ("content/_index.md", "# Home\n"),
        ("content/good.md", "---\ntitle: Good\n---\nFine.\n"),
        (
            "content/bad.md",
            "---\ntitle: Bad\ntemplate: bad.html\n---\nBody.\n",
        ),
        ("templates/bad.html", template),
    ])
}

fn assert_only_bad_page_fails(template: &str, reason: &str) {
    let site = template_site(template);
    for mode in ["--threads", "--process-parallel"] {
        let out = tempfile::tempdir().expect("temp dir");
        let run = build(site.path(), out.path(), &[mode, "--page-timeout", "600"]);
        assert_eq!(run.code(), 1, "{mode}: {}\n{}", run.json, run.stderr());
        assert_eq!(
            run.json["failed_pages"],
            serde_json::json!(["content/bad.md"]),
            "{mode}: {}",
            run.json
        );
        let errors = run.errors();
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("templates/bad.html") && e.contains(reason)),
            "{mode}: {errors:#?}"
        );
        assert!(out.path().join("good/index.html").is_file(), "{mode}");
        assert!(!out.path().join("bad/index.html").exists(), "{mode}");
    }
}

#[test]
fn a_template_that_writes_gigabytes_fails_its_page() {
    // 100,000 × 100,000 bytes: 10 GB if nothing stopped it.
    assert_only_bad_page_fails(
        "{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
        "MiB, the most one page may write",
    );
}

#[test]
fn a_template_that_loops_without_end_fails_its_page() {
    // 10^15 iterations, writing nothing.
    assert_only_bad_page_fails(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% for k in range(100000) %}{% endfor %}{% endfor %}{% endfor %}",
        "ran out of fuel",
    );
}
