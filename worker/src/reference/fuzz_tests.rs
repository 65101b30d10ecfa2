//! Property tests (`fuzz_*`, bounded by `PROPTEST_CASES`; `scripts/fuzz` runs them long):
//! the CLI reader takes any Python glued from the frameworks' pieces, and the OpenAPI
//! reader any YAML glued from a description's pieces, without panicking; every page they
//! list renders.

use proptest::prelude::*;

use super::cli::{CliSource, extract_cli, render_command_page};
use super::openapi::{SpecSource, load_spec};

fn glued(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..60).prop_map(|parts| parts.concat())
}

const PYTHON_PIECES: &[&str] = &[
    "import click\n",
    "import typer\n",
    "import argparse\n",
    "@click.group()\n",
    "@click.command()\n",
    "@cli.command()\n",
    "@cli.group()\n",
    "@sub.command('x')\n",
    "@click.option('-v', '--verbose/--quiet', count=True, help=H)\n",
    "@click.argument('src', nargs=-1)\n",
    "@opts\n",
    "opts = add(verbose, opts)\n",
    "H = 'help' + H\n",
    "def cli():\n    pass\n",
    "def sub():\n    pass\n",
    "def add(*o):\n    return o\n",
    "cli.add_command(cli)\n",
    "cli.add_command(sub, 'y')\n",
    "app = typer.Typer()\n",
    "app.add_typer(app)\n",
    "@app.command()\n",
    "@app.callback()\n",
    "def f(x: Annotated[int, typer.Option('--x')] = 1, y: bool = False):\n    pass\n",
    "def cli():\n    p = argparse.ArgumentParser()\n    s = p.add_subparsers()\n    q = s.add_parser('q')\n    g = q.add_mutually_exclusive_group()\n    g.add_argument('-a', nargs='+')\n    helper(q)\n    return p\n",
    "def helper(p):\n    helper(p)\n    p.add_argument('--b', action='count')\n",
    "    ",
    "\n",
    "(",
    ")",
];

const YAML_PIECES: &[&str] = &[
    "openapi: 3.1.0\n",
    "openapi: 3.0.0\n",
    "paths:\n",
    "  /a:\n",
    "    get:\n",
    "      tags: [t]\n",
    "      parameters:\n",
    "        - $ref: '#/components/parameters/P'\n",
    "      responses:\n",
    "        200:\n",
    "          $ref: '#/components/responses/R'\n",
    "          content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}\n",
    "components:\n",
    "  schemas:\n",
    "    A: {allOf: [{$ref: '#/components/schemas/B'}], properties: {a: {$ref: '#/components/schemas/A'}}}\n",
    "    B: {oneOf: [{$ref: '#/components/schemas/A'}, {type: [string, 'null']}], items: {$ref: '#/components/schemas/B'}}\n",
    "    C: {$ref: '#/components/schemas/C'}\n",
    "  parameters:\n",
    "    P: {name: p, in: query, schema: {$ref: '#/components/schemas/B'}}\n",
    "  responses:\n",
    "    R: {$ref: '#/components/responses/R'}\n",
    "security: [{k: []}]\n",
    "  ",
    "- ",
    "{",
    "}",
    "\n",
];

proptest! {
    #[test]
    fn fuzz_cli_reader_never_panics(source in glued(PYTHON_PIECES)) {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("tool.py");
        std::fs::write(&path, &source).expect("write");
        for object in ["cli", "app", "sub"] {
            if let Ok(doc) = extract_cli(&CliSource {
                program: "tool",
                path: &path,
                display_path: "tool.py",
                object,
                framework: None,
            }) {
                for key in doc.pages() {
                    prop_assert!(render_command_page(&doc, &key, "/cli/").is_some());
                }
            }
        }
    }

    #[test]
    fn fuzz_openapi_reader_never_panics(source in glued(YAML_PIECES)) {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("api.yaml");
        std::fs::write(&path, &source).expect("write");
        if let Ok(spec) = load_spec(&SpecSource {
            path: &path,
            display_path: "api.yaml",
            allowed_root: folder.path(),
        }) {
            for key in spec.pages() {
                let _ = spec.page_fingerprint(&key);
                prop_assert!(spec.render_page(&key, "/api/", &|text: &str| text.to_owned()).is_some());
            }
        }
    }
}
