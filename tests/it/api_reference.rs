//! The Python API reference on a typical project layout: `docs/` beside `src/mypkg`
//! (`path = "../src/mypkg"`), source links, and the API objects' inventory.

use crate::support::{assert_same_tree, binary, build, read, site_from, tree};
use std::path::Path;

const CORE: &str = r#""""Core objects."""


class Command:
    """A command.

    Runs things.
    """

    def invoke(self, ctx: "Context") -> int:
        """Runs the command."""
        return 0


def main(args: list[str]) -> None:
    """Entry point."""
"#;

/// A project folder: `docs/` (the site, with `ssg.toml` naming `package_path`) beside
/// `src/mypkg`.
fn project(package_path: &str, extra_toml: &str) -> tempfile::TempDir {
    let toml = format!(
        "title = \"P\"\n\n[[autodoc.python]]\nname = \"mypkg\"\npath = \"{package_path}\"\n\
         source_url = \"https://github.com/o/p/blob/v1/src/{{path}}#L{{line}}-L{{end_line}}\"\n{extra_toml}"
    );
    site_from(&[
        ("docs/ssg.toml", &toml),
        ("docs/content/_index.md", "# Home\n"),
        ("src/mypkg/__init__.py", "\"\"\"My package.\"\"\"\n"),
        ("src/mypkg/core.py", CORE),
    ])
}

/// Every file of the project outside `docs/public` (the output).
fn sources(project: &Path) -> Vec<String> {
    tree(project)
        .into_keys()
        .filter(|path| !path.starts_with("docs/public/") && !path.starts_with("docs/.ssg-cache/"))
        .collect()
}

#[test]
fn a_package_beside_the_site_is_documented_and_nothing_is_written_outside_the_output() {
    let project = project("../src/mypkg", "");
    let site = project.path().join("docs");
    let out = site.join("public");
    let before = sources(project.path());
    let run = build(&site, &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}\n{}", run.errors(), run.stderr());
    assert_eq!(run.count("pages", "autodoc"), 2);
    assert_eq!(
        sources(project.path()),
        before,
        "only the output and the cache are new"
    );

    let page = read(&out, "api/mypkg/core/index.html");
    assert!(
        page.contains("<code>../src/mypkg/core.py:4</code>"),
        "{page}"
    );
    // The class spans lines 4-12, the method 10-12, the function 15-16.
    for link in ["core.py#L4-L12", "core.py#L10-L12", "core.py#L15-L16"] {
        let href = format!(
            "<a class=\"autodoc-source-link\" href=\"https://github.com/o/p/blob/v1/src/mypkg/{link}\">source</a>"
        );
        assert!(page.contains(&href), "{href} in\n{page}");
    }
    let package = read(&out, "api/mypkg/index.html");
    assert!(
        !package.contains("autodoc-source-link"),
        "the package defines nothing"
    );

    // Editing the module outside the site re-renders its page only.
    let core = project.path().join("src/mypkg/core.py");
    std::fs::write(&core, CORE.replace("Runs things.", "Runs other things.")).unwrap();
    let again = build(&site, &out, &[]);
    assert_eq!(again.code(), 0, "{:#?}", again.errors());
    assert_eq!(again.count("rendered", "autodoc"), 1);
    assert!(read(&out, "api/mypkg/core/index.html").contains("Runs other things."));
}

#[test]
fn an_absolute_package_path_builds_the_same_pages_in_every_mode() {
    let relative = project("../src/mypkg", "");
    let absolute_path = relative.path().join("src/mypkg");
    let absolute = project(&absolute_path.display().to_string(), "");
    let outs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    for (out, mode) in outs
        .iter()
        .zip(["--no-shard", "--threads", "--process-parallel"])
    {
        let run = build(
            &absolute.path().join("docs"),
            out.path(),
            &[mode, "--no-cache"],
        );
        assert_eq!(run.code(), 0, "{mode}: {:#?}", run.errors());
    }
    assert_same_tree(outs[0].path(), outs[1].path(), "--no-shard vs --threads");
    assert_same_tree(
        outs[0].path(),
        outs[2].path(),
        "--no-shard vs --process-parallel",
    );
    let page = read(outs[0].path(), "api/mypkg/core/index.html");
    let shown = format!("<code>{}/core.py:4</code>", absolute_path.display());
    assert!(page.contains(&shown), "{shown} in\n{page}");
    assert!(page.contains("src/mypkg/core.py#L4-L12\">source</a>"));
}

#[test]
fn a_source_url_with_an_unknown_placeholder_is_a_config_error() {
    let project = site_from(&[(
        "docs/ssg.toml",
        "[[autodoc.python]]\nname = \"mypkg\"\npath = \"../src/mypkg\"\nsource_url = \"https://x.org/{file}#L{line}\"\n",
    )]);
    let site = project.path().join("docs");
    let output = std::process::Command::new(binary())
        .arg("build")
        .arg(&site)
        .output()
        .expect("run ssg-coord");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "ssg.toml:4: `source_url` in [[autodoc.python]] has an unknown placeholder `{file}`"
        ),
        "{stderr}"
    );
    assert!(!site.join("public").exists());
}

/// The body of an `objects.inv`, read per the Sphinx format (four header lines, then zlib).
pub(crate) fn inventory_lines(bytes: &[u8]) -> Vec<String> {
    use std::io::Read;
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# Sphinx inventory version 2"));
    assert_eq!(lines.next(), Some("# Project: P"));
    let header_len = text
        .match_indices('\n')
        .nth(3)
        .expect("four header lines")
        .0
        + 1;
    let mut body = String::new();
    flate2::read::ZlibDecoder::new(&bytes[header_len..])
        .read_to_string(&mut body)
        .expect("a zlib body");
    body.lines().map(str::to_owned).collect()
}

/// `sphobjinv` (Python), when installed (`.ci/run` installs it; `SSG_COORD_REQUIRE_SPHOBJINV=1`
/// makes its absence a failure), converts the inventory to plain text: Sphinx's own reader
/// rules applied to our file.
fn sphobjinv_lines(inventory: &Path) -> Option<Vec<String>> {
    let script = "import sys, sphobjinv\n\
                  inv = sphobjinv.Inventory(sys.argv[1])\n\
                  for o in inv.objects: print(o.name, o.domain + ':' + o.role, o.priority, o.uri_expanded)\n";
    let output = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(inventory)
        .output();
    match output {
        Ok(output) if output.status.success() => Some(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(str::to_owned)
                .collect(),
        ),
        _ if std::env::var_os("SSG_COORD_REQUIRE_SPHOBJINV").is_some() => {
            panic!("python3 with sphobjinv is required (pip install sphobjinv)")
        }
        _ => {
            eprintln!("skipping the sphobjinv check: python3 -m pip install sphobjinv to run it");
            None
        }
    }
}

#[test]
fn objects_inv_lists_every_api_object_and_is_identical_in_every_mode() {
    let project = project("../src/mypkg", "");
    let site = project.path().join("docs");
    let outs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    for (out, mode) in outs.iter().zip(["--no-shard", "--process-parallel"]) {
        let run = build(&site, out.path(), &[mode, "--no-cache"]);
        assert_eq!(run.code(), 0, "{mode}: {:#?}", run.errors());
    }
    assert_same_tree(
        outs[0].path(),
        outs[1].path(),
        "--no-shard vs --process-parallel",
    );
    let inventory = outs[0].path().join("objects.inv");
    let lines = inventory_lines(&std::fs::read(&inventory).expect("objects.inv is written"));
    assert_eq!(
        lines,
        [
            "mypkg py:module 0 api/mypkg/ -",
            "mypkg.core py:module 0 api/mypkg/core/ -",
            "mypkg.core.Command py:class 1 api/mypkg/core/#$ -",
            "mypkg.core.Command.invoke py:method 1 api/mypkg/core/#$ -",
            "mypkg.core.main py:function 1 api/mypkg/core/#$ -",
        ]
    );
    // Every anchor the inventory names exists on its page.
    let page = read(outs[0].path(), "api/mypkg/core/index.html");
    for id in [
        "mypkg.core.Command",
        "mypkg.core.Command.invoke",
        "mypkg.core.main",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
    }
    if let Some(sphinx) = sphobjinv_lines(&inventory) {
        assert_eq!(
            sphinx,
            [
                "mypkg py:module 0 api/mypkg/",
                "mypkg.core py:module 0 api/mypkg/core/",
                "mypkg.core.Command py:class 1 api/mypkg/core/#mypkg.core.Command",
                "mypkg.core.Command.invoke py:method 1 api/mypkg/core/#mypkg.core.Command.invoke",
                "mypkg.core.main py:function 1 api/mypkg/core/#mypkg.core.main",
            ]
        );
    }
}

/// A site (`docs/` beside `src/mypkg`) whose guide and docstrings reference the API, with
/// an external inventory for `str` and `pathlib.Path` read from `inventory_toml`.
fn linked_project(inventory_toml: &str) -> tempfile::TempDir {
    const INIT: &str = "\"\"\"My package.\"\"\"\n\nfrom .core import Command, main\n\n__all__ = [\"Command\", \"main\"]\n";
    const CORE: &str = r#""""Core objects."""

from pathlib import Path


class Context:
    """What a command runs in."""


class Command:
    """A command; see :meth:`invoke` and :class:`~mypkg.core.Context`.

    Not :func:`mypkg.nowhere`.
    """

    def invoke(self, ctx: Context, path: Path) -> str:
        """Runs the command."""
        return ""


def main(args: list[str]) -> Command:
    """Entry point."""
"#;
    let toml = format!(
        "title = \"P\"\n\n[[autodoc.python]]\nname = \"mypkg\"\npath = \"../src/mypkg\"\n\n{inventory_toml}"
    );
    site_from(&[
        ("docs/ssg.toml", &toml),
        ("docs/content/_index.md", "# Home\n"),
        (
            "docs/content/guide.md",
            "# Guide\n\nUse [the Command class][mypkg.Command] or\n[mypkg.core.main][].\n\nA [plain] bracket stays, and [gone][mypkg.Gone] warns.\n",
        ),
        ("src/mypkg/__init__.py", INIT),
        ("src/mypkg/core.py", CORE),
    ])
}

/// A Sphinx inventory of a few Python standard names.
fn python_inventory() -> Vec<u8> {
    use std::io::Write;
    let mut bytes = b"# Sphinx inventory version 2\n# Project: Python\n# Version: 3.13\n# The remainder of this file is compressed using zlib.\n".to_vec();
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(b"str py:class 1 library/stdtypes.html#$ -\npathlib.Path py:class 1 library/pathlib.html#$ -\n")
        .unwrap();
    bytes.extend(encoder.finish().unwrap());
    bytes
}

const PATH_LINK: &str = "<a class=\"autodoc-xref\" href=\"https://docs.python.org/3/library/pathlib.html#pathlib.Path\">Path</a>";

#[test]
fn guide_references_docstring_roles_and_types_link_to_their_objects() {
    let project = linked_project(
        "[[autodoc.inventories]]\npath = \"python.inv\"\nbase_url = \"https://docs.python.org/3/\"\n",
    );
    let site = project.path().join("docs");
    std::fs::write(site.join("python.inv"), python_inventory()).unwrap();
    let out = site.join("public");
    let run = build(&site, &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());

    let guide = read(&out, "guide/index.html");
    assert!(
        guide.contains("<a href=\"/api/mypkg/core/#mypkg.core.Command\">the Command class</a>"),
        "a re-export resolves to its origin:\n{guide}"
    );
    assert!(guide.contains("<a href=\"/api/mypkg/core/#mypkg.core.main\">mypkg.core.main</a>"));
    assert!(guide.contains("A [plain] bracket stays"), "{guide}");
    assert!(
        guide.contains("[gone][mypkg.Gone]"),
        "an unresolved reference stays text"
    );

    let api = read(&out, "api/mypkg/core/index.html");
    // Docstring roles, relative to the class and with the `~` short form.
    assert!(
        api.contains(
            "<a href=\"/api/mypkg/core/#mypkg.core.Command.invoke\"><code>invoke</code></a>"
        ),
        "{api}"
    );
    assert!(
        api.contains("<a href=\"/api/mypkg/core/#mypkg.core.Context\"><code>Context</code></a>")
    );
    // An unresolved role is the code span it was.
    assert!(api.contains("Not <code>mypkg.nowhere</code>."));
    // Types: site objects, an external inventory through the module's import, and a
    // builtin; unresolved names (`list`) stay plain.
    assert!(api.contains(
        "<span class=\"autodoc-annotation\"><a class=\"autodoc-xref\" href=\"/api/mypkg/core/#mypkg.core.Context\">Context</a></span>"
    ));
    assert!(api.contains(PATH_LINK), "{api}");
    assert!(api.contains(
        "<span class=\"autodoc-return\"><a class=\"autodoc-xref\" href=\"https://docs.python.org/3/library/stdtypes.html#str\">str</a></span>"
    ));
    assert!(api.contains("list[<a class=\"autodoc-xref\" href=\"https://docs.python.org/3/library/stdtypes.html#str\">str</a>]"));

    // Explicit references that do not resolve are warnings with file:line; --strict fails.
    let warnings = run.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/guide.md:6: unresolved cross-reference `mypkg.Gone`")),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|w| w
            .starts_with("../src/mypkg/core.py:10: unresolved cross-reference `mypkg.nowhere`")),
        "{warnings:#?}"
    );
    let strict = build(&site, &out, &["--strict", "--no-cache"]);
    assert_eq!(strict.code(), 1);

    // Byte-identical in every mode.
    let other = tempfile::tempdir().unwrap();
    let processes = build(&site, other.path(), &["--process-parallel", "--no-cache"]);
    assert_eq!(processes.code(), 0);
    assert_same_tree(&out, other.path(), "default vs --process-parallel");
}

#[test]
fn a_page_is_re_rendered_only_when_what_its_references_resolve_to_changes() {
    let project = linked_project("");
    let site = project.path().join("docs");
    let out = site.join("public");
    let first = build(&site, &out, &[]);
    assert_eq!(first.code(), 0, "{:#?}", first.errors());
    let core = project.path().join("src/mypkg/core.py");
    let source = std::fs::read_to_string(&core).unwrap();

    // A docstring edit moves no target: the module page re-renders, the guide does not.
    std::fs::write(&core, source.replace("Entry point.", "The entry point.")).unwrap();
    let edited = build(&site, &out, &[]);
    assert_eq!(edited.count("rendered", "autodoc"), 1);
    assert_eq!(edited.count("rendered", "content"), 0);

    // `main` removed: the guide re-renders, and its link becomes a warning, never stale.
    let without_main = source.split("\n\ndef main").next().unwrap().to_string() + "\n";
    std::fs::write(&core, without_main).unwrap();
    let removed = build(&site, &out, &[]);
    assert_eq!(
        removed.count("rendered", "content"),
        1,
        "{:#?}",
        removed.json
    );
    let guide = read(&out, "guide/index.html");
    assert!(!guide.contains("#mypkg.core.main"), "{guide}");
    assert!(
        removed
            .warnings()
            .iter()
            .any(|w| w
                .starts_with("content/guide.md:4: unresolved cross-reference `mypkg.core.main`")),
        "{:#?}",
        removed.warnings()
    );
}

#[test]
fn references_trusted_on_an_unchanged_api_are_checked_again_when_it_changes_back() {
    let project = linked_project("");
    let site = project.path().join("docs");
    let out = site.join("public");
    assert_eq!(build(&site, &out, &[]).code(), 0);
    let core = project.path().join("src/mypkg/core.py");
    let source = std::fs::read_to_string(&core).unwrap();
    let digest = site.join(".ssg-cache/api-digest.bin");
    assert!(
        digest.exists(),
        "a build without errors records its API digest"
    );

    // `main` removed, then the guide edited on that API: its references are trusted.
    let without_main = source.split("\n\ndef main").next().unwrap().to_string() + "\n";
    std::fs::write(&core, without_main).unwrap();
    assert_eq!(build(&site, &out, &[]).count("rendered", "content"), 1);
    let guide_md = site.join("content/guide.md");
    let guide_source = std::fs::read_to_string(&guide_md).unwrap();
    std::fs::write(&guide_md, format!("{guide_source}\nOne more line.\n")).unwrap();
    let edited = build(&site, &out, &[]);
    assert_eq!(edited.count("rendered", "content"), 1);
    assert_eq!(edited.count("rendered", "autodoc"), 0);
    assert!(!read(&out, "guide/index.html").contains("#mypkg.core.main"));

    // `main` back: the API is the first build's again, not the one the cache was checked
    // against, so the guide's reference is resolved again and links once more.
    std::fs::write(&core, &source).unwrap();
    let restored = build(&site, &out, &[]);
    assert_eq!(
        restored.count("rendered", "content"),
        1,
        "{:#?}",
        restored.json
    );
    assert!(read(&out, "guide/index.html").contains("#mypkg.core.main"));
    let clean = tempfile::tempdir().unwrap();
    assert_eq!(build(&site, clean.path(), &["--no-cache"]).code(), 0);
    assert_same_tree(&out, clean.path(), "incremental vs clean");
}

/// A one-route HTTP server on 127.0.0.1 serving `body` to at most `limit` requests.
fn serve_once(body: Vec<u8>, limit: usize) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/3/objects.inv", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(limit) {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buffer = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    url
}

#[test]
fn an_inventory_url_is_fetched_once_and_a_server_that_is_down_is_a_warning() {
    let url = serve_once(python_inventory(), 1);
    let base = url.trim_end_matches("objects.inv");
    let project = linked_project(&format!(
        "[[autodoc.inventories]]\nurl = \"{url}\"\nbase_url = \"https://docs.python.org/3/\"\n"
    ));
    let site = project.path().join("docs");
    let out = site.join("public");
    let run = build(&site, &out, &["--no-shard"]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(read(&out, "api/mypkg/core/index.html").contains(PATH_LINK));
    // The server answers once; the second build (a full one) reads the kept copy.
    let again = build(&site, &out, &["--no-shard", "--no-cache"]);
    assert!(
        !again.warnings().iter().any(|w| w.contains("cannot fetch")),
        "{:#?}",
        again.warnings()
    );
    assert!(read(&out, "api/mypkg/core/index.html").contains(PATH_LINK));
    assert!(base.starts_with("http://127.0.0.1:"));

    // Nobody listens: a warning, the build goes on, `Path` is plain text.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = linked_project(&format!(
        "[[autodoc.inventories]]\nurl = \"http://127.0.0.1:{port}/objects.inv\"\n"
    ));
    let site = down.path().join("docs");
    let out = site.join("public");
    let run = build(&site, &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(
        run.warnings().iter().any(|w| w.starts_with("ssg.toml")
            && w.contains(&format!(
                "cannot fetch inventory `http://127.0.0.1:{port}/objects.inv`"
            ))),
        "{:#?}",
        run.warnings()
    );
    let api = read(&out, "api/mypkg/core/index.html");
    assert!(
        api.contains("path</span>: <span class=\"autodoc-annotation\">Path</span>"),
        "{api}"
    );
}
