//! CLI extraction and rendering on the fixtures in `tests/fixtures/reference/cli/`: a click
//! package shaped like mkdocs's, a typer app and an argparse builder. The models are insta
//! snapshots (`snapshots/`); the pages are checked for what a reader relies on.

use std::path::PathBuf;

use super::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/reference/cli")
        .join(name)
}

fn extract(program: &str, path: &str, object: &str) -> Result<CliDoc, ReferenceError> {
    let disk = fixture(path);
    let display = format!("cli/{path}");
    extract_cli(&CliSource {
        program,
        path: &disk,
        display_path: &display,
        object,
        framework: None,
    })
}

fn render_all(doc: &CliDoc) -> Vec<ReferencePage> {
    doc.pages()
        .iter()
        .map(|key| render_command_page(doc, key, "/cli/").expect("every listed page renders"))
        .collect()
}

fn page<'a>(pages: &'a [ReferencePage], url: &str) -> &'a ReferencePage {
    pages
        .iter()
        .find(|page| page.url == url)
        .unwrap_or_else(|| panic!("no page {url}"))
}

#[test]
fn click_model() {
    let doc = extract("clickapp", "clickapp", "clickapp.cli:cli").expect("reads");
    assert_eq!(doc.framework, Framework::Click);
    insta::assert_debug_snapshot!("click_model", doc);
}

#[test]
fn click_pages() {
    let doc = extract("clickapp", "clickapp", "clickapp.cli.cli").expect("reads");
    let urls: Vec<String> = doc.pages().into_iter().map(|key| key.url).collect();
    // Sorted by name as click lists them; the hidden command has no page.
    assert_eq!(
        urls,
        [
            "",
            "build/",
            "plugins/",
            "remote/",
            "remote/add/",
            "remote/remove/",
            "serve/"
        ]
    );
    let pages = render_all(&doc);
    let top = page(&pages, "");
    assert_eq!(top.title, "clickapp");
    assert!(
        top.html
            .contains("Usage: clickapp [OPTIONS] COMMAND [ARGS]...")
    );
    assert!(
        top.html
            .contains("<a href=\"/cli/remote/add/\"><code>add</code></a>")
    );
    assert!(top.html.contains("Command tree"));
    assert!(!top.html.contains("debug-dump"));
    let build = page(&pages, "build/");
    assert_eq!(build.title, "clickapp build");
    assert!(
        build
            .html
            .contains("Usage: clickapp build [OPTIONS]</code>")
    );
    // A help text from a module constant, through a helper decorator of another module.
    assert!(
        build
            .html
            .contains("Provide a specific config file. This can be a file name")
    );
    assert!(build.html.contains("-c, --clean / --dirty"));
    assert!(build.html.contains("-t, --theme [mkdocs|readthedocs]"));
    // Computed at run time: shown as written.
    assert!(
        build
            .html
            .contains("title=\"computed when the program runs\">os.getcwd()</code>")
    );
    assert!(!build.html.contains("--theme-dir"));
    assert!(build.html.contains("See the guide for more."));
    let serve = page(&pages, "serve/");
    assert!(serve.plain_text.contains("Run the development server."));
    assert!(!serve.plain_text.contains("form feed"));
    let add = page(&pages, "remote/add/");
    assert!(
        add.html
            .contains("Usage: clickapp remote add [OPTIONS] NAME [URLS]...</code>")
    );
    let headings: Vec<&str> = add.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(headings, ["Arguments", "Options"]);
    assert!(
        page(&pages, "remote/remove/")
            .html
            .contains("reference-cli-deprecated")
    );
}

#[test]
fn typer_model() {
    let doc = extract("inv", "typer_app.py", "app").expect("reads");
    assert_eq!(doc.framework, Framework::Typer);
    insta::assert_debug_snapshot!("typer_model", doc);
}

#[test]
fn typer_pages() {
    let doc = extract("inv", "typer_app.py", "typer_app:app").expect("reads");
    let urls: Vec<String> = doc.pages().into_iter().map(|key| key.url).collect();
    assert_eq!(urls, ["", "add/", "rm/", "users/", "users/create/"]);
    let pages = render_all(&doc);
    let add = page(&pages, "add/");
    assert!(add.html.contains("Usage: inv add [OPTIONS] NAME</code>"));
    assert!(add.html.contains("--color [red|green]"));
    assert!(add.html.contains("-f, --force"));
    // An enum member as default: its value.
    assert!(add.html.contains("<td><code>red</code></td>"));
    assert!(add.html.contains("INTEGER RANGE"));
    let top = page(&pages, "");
    assert!(top.html.contains("--install-completion"));
    assert!(top.html.contains("Manage the inventory."));
    let users = page(&pages, "users/");
    assert!(
        users
            .html
            .contains("Usage: inv users [OPTIONS] COMMAND [ARGS]...")
    );
    let create = page(&pages, "users/create/");
    assert!(create.html.contains("--admin / --no-admin"));
}

#[test]
fn argparse_model() {
    let doc = extract("tool", "argparse_tool.py", "build_parser").expect("reads");
    assert_eq!(doc.framework, Framework::Argparse);
    insta::assert_debug_snapshot!("argparse_model", doc);
}

#[test]
fn argparse_pages() {
    let doc = extract("tool", "argparse_tool.py", "build_parser").expect("reads");
    let urls: Vec<String> = doc.pages().into_iter().map(|key| key.url).collect();
    assert_eq!(urls, ["", "run/", "stop/"]);
    let pages = render_all(&doc);
    let top = page(&pages, "");
    assert!(top.html.contains(
        "usage: tool [-h] [--version] [--config FILE] [-v | -q] {run,r,stop,internal} ...</code>"
    ));
    assert!(
        top.html
            .contains("Mutually exclusive: at most one of <code>-v</code>, <code>-q</code>.")
    );
    let run = page(&pages, "run/");
    assert!(run.html.contains(
        "usage: tool run [-h] [-j JOBS] [--level {low,high}] [--color] --out DIR (--json | --text) targets [targets ...]</code>"
    ));
    assert!(run.html.contains("Aliases: <code>r</code>"));
    assert!(run.html.contains("id=\"options-output\""));
    assert!(run.html.contains("--color / --no-color"));
    let stop = page(&pages, "stop/");
    assert!(stop.html.contains(
        "usage: tool stop [-h] [--log-file LOG_FILE] [--pair KEY [VALUE ...]] [target]</code>"
    ));
    assert!(!stop.html.contains("--secret"));
}

#[test]
fn errors_name_the_file_line_and_fix() {
    let missing = extract("x", "clickapp", "clickapp.nowhere:cli").expect_err("no module");
    assert_eq!((missing.file.as_str(), missing.line), ("cli/clickapp", 1));
    assert!(missing.hint.contains("module:name"), "{missing}");

    let undefined = extract("x", "clickapp", "clickapp.cli:nothing").expect_err("no name");
    assert_eq!(undefined.file, "cli/clickapp/cli.py");
    assert!(
        undefined.message.contains("`nothing` is not defined"),
        "{undefined}"
    );

    let not_cli = extract("x", "clickapp", "clickapp.cli:theme_names").expect_err("not a CLI");
    assert_eq!(
        (not_cli.file.as_str(), not_cli.line),
        ("cli/clickapp/cli.py", 15)
    );
    assert!(not_cli.message.contains("not a click command"), "{not_cli}");

    let wrong = extract_cli(&CliSource {
        program: "x",
        path: &fixture("typer_app.py"),
        display_path: "cli/typer_app.py",
        object: "app",
        framework: Some(Framework::Click),
    })
    .expect_err("framework mismatch");
    assert!(wrong.message.contains("read as typer"), "{wrong}");
    assert_eq!(wrong.line, 9);

    let folder = tempfile::tempdir().expect("temp dir");
    let broken = folder.path().join("broken.py");
    std::fs::write(&broken, "import click\n\n\ndef cli(:\n    pass\n").expect("write");
    let syntax = extract_cli(&CliSource {
        program: "x",
        path: &broken,
        display_path: "broken.py",
        object: "cli",
        framework: None,
    })
    .expect_err("syntax error");
    assert_eq!(syntax.file, "broken.py");
    assert_eq!(syntax.line, 4);
    assert!(syntax.message.contains("syntax error"), "{syntax}");
}

#[test]
fn module_level_argparse_parser() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("tool.py");
    std::fs::write(
        &file,
        "import argparse\nparser = argparse.ArgumentParser(add_help=False)\n\
         parser.add_argument('files', nargs='*')\nparser.add_argument('-n', type=int, required=True)\n",
    )
    .expect("write");
    let doc = extract_cli(&CliSource {
        program: "tool",
        path: &file,
        display_path: "tool.py",
        object: "parser",
        framework: Some(Framework::Argparse),
    })
    .expect("reads");
    let key = &doc.pages()[0];
    let page = render_command_page(&doc, key, "/").expect("renders");
    assert!(
        page.html.contains("usage: tool -n N [files ...]</code>"),
        "{}",
        page.html
    );
}

#[test]
fn groups_and_apps_added_below_themselves_stop() {
    let folder = tempfile::tempdir().expect("temp dir");
    let click_file = folder.path().join("loop_click.py");
    std::fs::write(
        &click_file,
        "import click\n\n@click.group()\ndef a():\n    pass\n\n@a.group()\ndef b():\n    pass\n\n\
         b.add_command(a, 'again')\nb.add_command(b, 'self')\n",
    )
    .expect("write");
    let doc = extract_cli(&CliSource {
        program: "a",
        path: &click_file,
        display_path: "loop_click.py",
        object: "a",
        framework: None,
    })
    .expect("reads");
    let urls: Vec<String> = doc.pages().into_iter().map(|key| key.url).collect();
    assert_eq!(urls, ["", "b/"]);

    let typer_file = folder.path().join("loop_typer.py");
    std::fs::write(
        &typer_file,
        "import typer\napp = typer.Typer()\nsub = typer.Typer()\napp.add_typer(sub, name='s')\n\
         sub.add_typer(app, name='back')\nsub.add_typer(sub, name='me')\n\
         @sub.command()\ndef go():\n    pass\n",
    )
    .expect("write");
    let doc = extract_cli(&CliSource {
        program: "t",
        path: &typer_file,
        display_path: "loop_typer.py",
        object: "app",
        framework: None,
    })
    .expect("reads");
    let urls: Vec<String> = doc.pages().into_iter().map(|key| key.url).collect();
    assert_eq!(urls, ["", "s/", "s/go/"]);
}

#[test]
fn a_source_root_holds_top_level_modules() {
    // `tests/fixtures/reference/cli` has no `__init__.py`: it is read like `src/`.
    let doc = extract_cli(&CliSource {
        program: "clickapp",
        path: &fixture(""),
        display_path: "cli",
        object: "clickapp.cli:cli",
        framework: None,
    })
    .expect("reads");
    assert_eq!(doc.root.source.file, "cli/clickapp/cli.py");
    assert_eq!(doc.pages().len(), 7);
    let typer = extract_cli(&CliSource {
        program: "inv",
        path: &fixture(""),
        display_path: "cli",
        object: "typer_app:app",
        framework: None,
    })
    .expect("reads");
    assert_eq!(typer.framework, Framework::Typer);
}

#[test]
fn typer_run_makes_a_function_a_command() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("hello.py");
    std::fs::write(
        &file,
        "import typer\n\ndef main(name: str, loud: bool = False):\n    \"\"\"Say hello.\"\"\"\n\n\
         if __name__ == '__main__':\n    typer.run(main)\n",
    )
    .expect("write");
    let doc = extract_cli(&CliSource {
        program: "hello",
        path: &file,
        display_path: "hello.py",
        object: "main",
        framework: None,
    })
    .expect("reads");
    assert_eq!(doc.framework, Framework::Typer);
    let page = render_command_page(&doc, &doc.pages()[0], "/").expect("renders");
    assert!(
        page.html.contains("Usage: hello [OPTIONS] NAME</code>"),
        "{}",
        page.html
    );
    assert!(page.html.contains("--loud / --no-loud"));
    assert!(page.html.contains("Say hello."));
    assert!(!page.html.contains("--install-completion"));
}

#[test]
fn runaway_string_constants_are_kept_as_written() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("boom.py");
    std::fs::write(
        &file,
        "import click\nA = 'ab'\nB = A + A + A + A\nC = B + B + B + B\nD = C + C + C + C\n\
         E = D + D + D + D\nF = E + E + E + E\nG = F + F + F + F\n\n\
         @click.command(help=G)\n@click.option('--x', help=A + 'c')\ndef cli(x):\n    pass\n",
    )
    .expect("write");
    let doc = extract_cli(&CliSource {
        program: "boom",
        path: &file,
        display_path: "boom.py",
        object: "cli",
        framework: None,
    })
    .expect("reads");
    assert_eq!(doc.root.help, Some(Text::AsWritten("G".to_owned())));
    assert_eq!(doc.root.params[0].help, Some(Text::Known("abc".to_owned())));
}
