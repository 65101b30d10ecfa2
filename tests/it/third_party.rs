//! The CLI and OpenAPI readers on real third-party code, as published on the package
//! registries: mkdocs 1.6.1 (a click CLI with shared option decorators and help texts in
//! module constants) and wheel 0.45.1 (an argparse parser with subparsers) from PyPI, and
//! GitHub's REST description (`@octokit/openapi` 23.0.2 on npm: 13 MB, 1,223 operations)
//! as JSON and as YAML. `scripts/fetch-third-party` (run by `.ci/run`) downloads them into
//! `target/third-party/` (or `$SSG_THIRD_PARTY_DIR`); without them these tests skip with a
//! message, unless CI requires them (`SSG_COORD_REQUIRE_THIRD_PARTY=1` or `CI=true`), then
//! they fail.

use crate::support::{Run, build, read, site_from, tree, workspace};
use std::path::{Path, PathBuf};

const MKDOCS: &str = "mkdocs-1.6.1";
const WHEEL: &str = "wheel-0.45.1";
const OCTOKIT: &str = "octokit-openapi-23.0.2";

/// The fetched folder `name`, or `None` (with a message on stderr) when it is missing and
/// nothing requires it.
fn third_party(name: &str) -> Option<PathBuf> {
    let base = std::env::var_os("SSG_THIRD_PARTY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/third-party"));
    let folder = base.join(name);
    if folder.join(".complete").is_file() {
        return Some(folder);
    }
    let required = std::env::var_os("SSG_COORD_REQUIRE_THIRD_PARTY").is_some()
        || std::env::var("CI").is_ok_and(|ci| ci == "true");
    assert!(
        !required,
        "{} is missing and CI requires it: run scripts/fetch-third-party",
        folder.display()
    );
    eprintln!(
        "\n*** SKIPPED: {} is missing; run scripts/fetch-third-party (needs PyPI and npm) ***\n",
        folder.display()
    );
    None
}

/// The text of an output page's `<article>`, tags removed and entities of the usage line
/// decoded.
fn article_text(html: &str) -> String {
    let start = html.find("<article").unwrap_or(0);
    let end = html[start..]
        .find("</article>")
        .map_or(html.len(), |e| start + e);
    let mut text = String::new();
    let mut in_tag = false;
    for ch in html[start..end].chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn assert_clean(run: &Run) {
    assert_eq!(run.code(), 0, "{:#?}\n{}", run.errors(), run.stderr());
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
}

#[test]
fn mkdocs_and_wheel_command_lines_read_as_their_help_prints_them() {
    let (Some(mkdocs), Some(wheel)) = (third_party(MKDOCS), third_party(WHEEL)) else {
        return;
    };
    let toml = format!(
        "title = \"T\"\n\n[[autodoc.cli]]\nname = \"mkdocs\"\npath = \"{}\"\n\
         object = \"mkdocs.__main__:cli\"\n\n[[autodoc.cli]]\nname = \"wheel\"\n\
         path = \"{}\"\nobject = \"wheel.cli:parser\"\n",
        mkdocs.join("mkdocs").display(),
        wheel.join("wheel").display()
    );
    let site = site_from(&[("ssg.toml", &toml), ("content/_index.md", "# Home\n")]);
    let out = site.path().join("public");
    let run = build(site.path(), &out, &[]);
    assert_clean(&run);
    assert!(run.warnings().is_empty(), "{:#?}", run.warnings());
    // mkdocs' five commands and wheel's six, and each top command.
    assert_eq!(run.count("pages", "autodoc"), 13, "{}", run.json);

    let top = read(&out, "cli/mkdocs/index.html");
    assert!(
        article_text(&top).contains("Usage: mkdocs [OPTIONS] COMMAND [ARGS]..."),
        "{top}"
    );
    for command in ["build", "serve", "gh-deploy", "new", "get-deps"] {
        assert!(
            top.contains(&format!("href=\"/cli/mkdocs/{command}/\"")),
            "a link to `mkdocs {command}` on the top page"
        );
    }
    let build_page = article_text(&read(&out, "cli/mkdocs/build/index.html"));
    for expected in [
        "Usage: mkdocs build [OPTIONS]",
        "Build the MkDocs documentation.",
        // A shared decorator (`clean_option`) whose help is a module constant.
        "-c, --clean / --dirty",
        "Remove old files from the site_dir before building (the default).",
        "-f, --config-file FILENAME",
        "--use-directory-urls / --no-directory-urls",
        // Choices computed at run time are shown as written.
        "sorted(utils.get_theme_names())",
    ] {
        assert!(
            build_page.contains(expected),
            "{expected:?} in\n{build_page}"
        );
    }
    let serve = article_text(&read(&out, "cli/mkdocs/serve/index.html"));
    for expected in ["Usage: mkdocs serve [OPTIONS]", "-a, --dev-addr <IP:PORT>"] {
        assert!(serve.contains(expected), "{expected:?} in\n{serve}");
    }
    let tags = article_text(&read(&out, "cli/wheel/tags/index.html"));
    for expected in [
        "usage: wheel tags [-h] [--remove] [--python-tag TAG] [--abi-tag TAG] \
         [--platform-tag TAG] [--build BUILD] [wheel ...]",
        "Existing wheel(s) to retag",
        "--python-tag TAG",
    ] {
        assert!(tags.contains(expected), "{expected:?} in\n{tags}");
    }
    let wheel_top = read(&out, "cli/wheel/index.html");
    for command in ["unpack", "pack", "convert", "tags", "version", "help"] {
        assert!(wheel_top.contains(&format!("href=\"/cli/wheel/{command}/\"")));
    }
    crate::support::assert_same_sequentially_and_in_processes(site.path(), &out);
}

/// A site documenting `spec` (copied into `api/`) at `/github/`.
fn github_site(spec: &Path) -> tempfile::TempDir {
    let name = spec
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name");
    let toml = format!(
        "title = \"GitHub\"\n\n[[autodoc.openapi]]\nname = \"github\"\npath = \"api/{name}\"\n"
    );
    let site = site_from(&[("ssg.toml", &toml), ("content/_index.md", "# Home\n")]);
    std::fs::create_dir_all(site.path().join("api")).expect("mkdir api");
    std::fs::copy(spec, site.path().join("api").join(name)).expect("copy the description");
    site
}

/// The operations of the description, counted from its `paths`.
fn operations_in(spec: &Path) -> usize {
    let text = std::fs::read_to_string(spec).expect("read the description");
    let document: serde_json::Value = serde_json::from_str(&text).expect("the description parses");
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    document["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| methods.iter().filter(|m| item.get(**m).is_some()).count())
        .sum()
}

#[test]
fn github_rest_description_builds_as_json_and_yaml_with_a_page_per_operation() {
    let Some(octokit) = third_party(OCTOKIT) else {
        return;
    };
    let json_spec = octokit.join("api.github.com.json");
    let operations = operations_in(&json_spec);
    assert!(operations > 1_000, "{operations} operations");

    let json_site = github_site(&json_spec);
    let json_out = json_site.path().join("public");
    let json_run = build(json_site.path(), &json_out, &[]);
    assert_clean(&json_run);
    // The only warnings are links to docs.github.com pages written as site paths.
    for warning in json_run.warnings() {
        assert!(
            warning.starts_with("api/api.github.com.json:") && warning.contains("dead link"),
            "{warning}"
        );
    }
    let pages = std::fs::read_dir(json_out.join("github/operations"))
        .expect("operations folder")
        .count();
    assert_eq!(pages, operations, "a page per operation");
    assert!(
        json_run.count("pages", "autodoc") > 2_000,
        "{}",
        json_run.json
    );
    let approve = read(
        &json_out,
        "github/operations/actions-approve-workflow-run/index.html",
    );
    let approve_text = article_text(&approve);
    assert!(
        approve_text.contains("/repos/{owner}/{repo}/actions/runs/{run_id}/approve"),
        "{approve_text}"
    );
    assert!(approve.contains("href=\"/github/tags/actions/\""));
    // Bounded output: no page grows with the size of the description.
    let files = tree(&json_out);
    let total: usize = files.values().map(Vec::len).sum();
    let (largest, largest_len) = files
        .iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, bytes)| (name.clone(), bytes.len()))
        .max_by_key(|(_, len)| *len)
        .expect("html pages");
    assert!(largest_len < 1 << 20, "{largest} is {largest_len} bytes");
    assert!(total < 200 << 20, "{total} bytes of output");

    // The YAML copy, built by threads in this process (the JSON build, over 2,000 pages, ran
    // in worker processes), gives the same bytes; only the source file named in each page's
    // JSON differs.
    let yaml_site = github_site(&octokit.join("api.github.com.yaml"));
    let yaml_out = yaml_site.path().join("public");
    let yaml_run = build(yaml_site.path(), &yaml_out, &["--threads"]);
    assert_clean(&yaml_run);
    let yaml_files = tree(&yaml_out);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        yaml_files.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &files {
        let yaml_bytes = &yaml_files[name];
        if bytes != yaml_bytes {
            let as_json = String::from_utf8_lossy(yaml_bytes)
                .replace("api/api.github.com.yaml", "api/api.github.com.json");
            assert!(
                as_json.as_bytes() == bytes.as_slice(),
                "{name} differs between the JSON and the YAML build"
            );
        }
    }

    // One operation's description edited: its page is rendered again, no other.
    let spec = json_site.path().join("api/api.github.com.json");
    let text = std::fs::read_to_string(&spec).expect("read the description");
    let before = "Approves a workflow run for a pull request from a public fork of a first time contributor.";
    assert_eq!(
        text.matches(before).count(),
        1,
        "the edited sentence is unique"
    );
    std::fs::write(
        &spec,
        text.replace(before, "Approves a run of a first-time contributor's fork."),
    )
    .expect("write the description");
    let again = build(json_site.path(), &json_out, &[]);
    assert_clean(&again);
    assert_eq!(again.count("rendered", "autodoc"), 1, "{}", again.json);
    let approve = read(
        &json_out,
        "github/operations/actions-approve-workflow-run/index.html",
    );
    assert!(approve.contains("first-time contributor"), "{approve}");
}
