//! Pathological input in every mode: a 200,000-deep Python expression, markdown with
//! 200,000 nested `>` and 3,000 nested list levels, and a 10 MB page each cost that page
//! at most (a clear error naming the file), never the build, whoever renders it.

use crate::support::{assert_same_tree, build, read, site_from};

/// Python that nests deeper than CPython compiles: `return ------…1`.
fn deep_python() -> String {
    format!(
        "\"\"\"Generated.\"\"\"\n\n\ndef f():\n    \"\"\"Deep.\"\"\"\n    return {}1\n",
        "-".repeat(200_000)
    )
}

/// The pathological site: three hostile pages, a hostile module, and good ones beside them.
fn pathological_site() -> tempfile::TempDir {
    let quotes = format!("---\ntitle: Quotes\n---\n{} deep\n", ">".repeat(200_000));
    let lists: String = (0..3_000)
        .map(|level| format!("{}- item {level}\n", "  ".repeat(level)))
        .collect();
    let lists = format!("---\ntitle: Lists\n---\n{lists}");
    let mut huge = String::from("---\ntitle: Huge\n---\n");
    let paragraph = "Lorem ipsum dolor sit amet, `code` and **bold** with a [link](/good/).\n\n";
    while huge.len() < 10 * 1024 * 1024 {
        huge.push_str(paragraph);
    }
    let python = deep_python();
    site_from(&[
        (
            "ssg.toml",
            "title = \"Deep\"\n\n[[autodoc.python]]\nname = \"pkg\"\npath = \"src/pkg\"\n",
        ),
        ("content/_index.md", "# Home\n"),
        ("content/good.md", "---\ntitle: Good\n---\nFine.\n"),
        ("content/quotes.md", &quotes),
        ("content/lists.md", &lists),
        ("content/huge.md", &huge),
        ("src/pkg/__init__.py", "\"\"\"A package.\"\"\"\n"),
        (
            "src/pkg/good.py",
            "\"\"\"Fine.\"\"\"\n\n\ndef g(x: int) -> int:\n    \"\"\"Return x.\"\"\"\n    return -x\n",
        ),
        ("src/pkg/deep.py", &python),
    ])
}

#[test]
fn pathological_pages_cost_only_themselves_in_every_mode() {
    let site = pathological_site();
    let mut outputs = Vec::new();
    for mode in ["--no-shard", "--threads", "--process-parallel"] {
        let out = tempfile::tempdir().expect("temp dir");
        // The 10 MB page takes seconds in a debug build, and more than the default page
        // timeout on a loaded machine: the bounds are what this test checks, not the timeout.
        let run = build(site.path(), out.path(), &[mode, "--page-timeout", "900"]);
        let stderr = run.stderr();
        assert!(
            !stderr.contains("panicked") && !stderr.contains("overflow"),
            "{mode}: {stderr}"
        );
        assert_eq!(run.code(), 1, "{mode}: {}\n{stderr}", run.json);
        // The pages past a bound fail alone, each with its file, line and why.
        assert_eq!(
            run.json["failed_pages"],
            serde_json::json!(["autodoc:pkg.deep", "content/lists.md", "content/quotes.md"]),
            "{mode}: {}",
            run.json
        );
        let errors = run.errors();
        for (location, why) in [
            ("src/pkg/deep.py:6:", "nested too deeply"),
            ("content/quotes.md:4:", "nested 200000 levels deep"),
            ("content/lists.md:1004:", "nested 1001 levels deep"),
        ] {
            assert!(
                errors
                    .iter()
                    .any(|e| e.starts_with(location) && e.contains(why)),
                "{mode}: no {location} {why}: {errors:#?}"
            );
        }
        assert_eq!(run.json["worker_restarts"], 0, "{mode}");
        assert_eq!(run.json["warnings"], serde_json::json!([]), "{mode}");
        for page in ["good", "huge", "api/pkg/good"] {
            assert!(
                out.path().join(page).join("index.html").is_file(),
                "{mode}: {page} was not built"
            );
        }
        assert!(read(out.path(), "huge/index.html").len() > 10 * 1024 * 1024);
        outputs.push((mode, out));
    }
    let (_, reference) = &outputs[0];
    for (mode, out) in &outputs[1..] {
        assert_same_tree(reference.path(), out.path(), mode);
    }
}
