//! A deterministic generator of realistic documentation sites, for tests and benchmarks.
//!
//! A generated site has `sections` top-level sections (each with an `_index.md` and an
//! `advanced/` subsection), `pages` markdown pages of about 1 KB (front matter with a date,
//! weight, 1–4 tags from a pool and a category; prose under two or three headings, a list,
//! a code block in one of eight languages, relative `.md` links within and across sections,
//! some with `#anchors`), and when `modules > 0` a synthetic Python package `genpkg` of that
//! many modules (classes with methods and properties, functions with full signatures,
//! Google and NumPy docstrings, PEP 695 generics) documented under `/api/`.
//!
//! The same [`SiteSpec`] always gives the same bytes: the generator uses its own SplitMix64
//! rather than a crate whose output may change between versions, so a benchmark figure
//! quoted against a preset stays comparable.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteSpec {
    /// Markdown pages (section `_index.md` files not included).
    pub pages: usize,
    /// Top-level sections.
    pub sections: usize,
    /// Python modules (0: no autodoc).
    pub modules: usize,
    /// Seed.
    pub seed: u64,
}

impl Default for SiteSpec {
    fn default() -> Self {
        SiteSpec {
            pages: 100,
            sections: 5,
            modules: 0,
            seed: 1,
        }
    }
}

/// Named sizes used by the benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// The shape of a typical library docs site: 156 markdown pages + 455 modules.
    Reference,
    /// 4,000 markdown posts with tags.
    #[value(name = "4k")]
    FourK,
    /// 10,000 pages, 40% of them autodoc.
    #[value(name = "10k")]
    TenK,
    /// 100,000 pages, 40% of them autodoc.
    #[value(name = "100k")]
    HundredK,
}

impl Preset {
    /// The preset's numbers.
    pub fn spec(self) -> SiteSpec {
        let (pages, sections, modules) = match self {
            Preset::Reference => (156, 8, 455),
            Preset::FourK => (4_000, 20, 0),
            Preset::TenK => (6_000, 40, 4_000),
            Preset::HundredK => (60_000, 200, 40_000),
        };
        SiteSpec {
            pages,
            sections,
            modules,
            seed: 1,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Markdown pages.
    pub pages: usize,
    /// Python modules.
    pub modules: usize,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// SplitMix64: tiny, fast, and fixed forever.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "worker", "queue", "shard", "cache", "render", "template", "section", "page", "build", "merge",
    "config", "deploy", "latency", "request", "stream", "buffer", "signal", "process", "thread",
    "memory", "index", "search", "output", "input", "module", "function", "class", "method",
    "value", "error", "retry", "timeout", "backoff", "token", "schema", "field", "record", "batch",
    "commit", "review", "release", "version", "network", "storage", "volume", "cluster", "node",
    "service", "client", "server", "handler", "route", "policy", "metric", "trace", "the", "a",
    "of", "to", "and", "in", "is", "for", "with", "on", "that", "each", "every", "when", "then",
    "only",
];

const TAGS: &[&str] = &[
    "rust",
    "python",
    "performance",
    "caching",
    "deployment",
    "kubernetes",
    "testing",
    "security",
    "networking",
    "storage",
    "observability",
    "configuration",
    "cli",
    "api",
    "templates",
    "markdown",
    "search",
    "sitemap",
    "versions",
    "tutorial",
    "reference",
    "how-to",
    "concepts",
    "migration",
    "release-notes",
    "plugins",
    "themes",
    "i18n",
    "accessibility",
    "seo",
    "ci",
    "docker",
    "linux",
    "macos",
    "windows",
    "async",
    "memory",
    "profiling",
    "benchmarks",
    "errors",
];

const CATEGORIES: &[&str] = &[
    "guide",
    "tutorial",
    "reference",
    "explanation",
    "blog",
    "faq",
    "howto",
    "news",
];

const CODE: &[(&str, &str)] = &[
    (
        "python",
        "def handler(event: dict, context=None) -> int:\n    items = [x * 2 for x in event.get(\"items\", [])]\n    return sum(items)\n",
    ),
    (
        "rust",
        "fn handler(event: &Event) -> Result<u64, Error> {\n    let total: u64 = event.items.iter().map(|x| x * 2).sum();\n    Ok(total)\n}\n",
    ),
    (
        "javascript",
        "export async function handler(event) {\n  const items = event.items ?? [];\n  return items.reduce((a, x) => a + x * 2, 0);\n}\n",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.md; do\n  wc -w \"$f\"\ndone\n",
    ),
    (
        "yaml",
        "service:\n  name: worker\n  replicas: 3\n  env:\n    - name: LOG_LEVEL\n      value: info\n",
    ),
    (
        "json",
        "{\n  \"name\": \"worker\",\n  \"replicas\": 3,\n  \"tags\": [\"a\", \"b\"]\n}\n",
    ),
    ("toml", "[service]\nname = \"worker\"\nreplicas = 3\n"),
    (
        "go",
        "func Handler(e Event) (int, error) {\n\ttotal := 0\n\tfor _, x := range e.Items {\n\t\ttotal += x * 2\n\t}\n\treturn total, nil\n}\n",
    ),
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        let word = rng.pick(WORDS);
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
        } else {
            text.push(' ');
            text.push_str(word);
        }
    }
    text.push('.');
    text
}

fn paragraph(rng: &mut Rng) -> String {
    let sentences = 2 + rng.below(3);
    (0..sentences)
        .map(|_| {
            let words = 8 + rng.below(8);
            sentence(rng, words)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where page `i` lives: (section number, in the `advanced/` subsection).
fn placement(spec: &SiteSpec, i: usize) -> (usize, bool) {
    let section = i % spec.sections.max(1);
    (section, (i / spec.sections.max(1)) % 5 == 4)
}

fn page_path(spec: &SiteSpec, i: usize) -> String {
    let (section, advanced) = placement(spec, i);
    if advanced {
        format!("section-{section:03}/advanced/page-{i:06}.md")
    } else {
        format!("section-{section:03}/page-{i:06}.md")
    }
}

/// Relative link from page `from` to page `to`, both `content/`-relative paths.
fn relative_link(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.split('/').count() - 1].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut link = "../".repeat(from_dir.len() - common);
    link.push_str(&to_parts[common..].join("/"));
    link
}

fn page(spec: &SiteSpec, i: usize, rng: &mut Rng) -> String {
    let mut text = String::with_capacity(1400);
    let tag_count = 1 + rng.below(4);
    let mut tags: Vec<&str> = Vec::new();
    while tags.len() < tag_count {
        let tag = rng.pick(TAGS);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let day = i % 2000;
    let (year, day_of_year) = (2019 + day / 365, day % 365);
    let (month, day_of_month) = (1 + day_of_year / 31 % 12, 1 + day_of_year % 28);
    let title_words = 3 + rng.below(3);
    let title = sentence(rng, title_words);
    let title = title.trim_end_matches('.');
    let _ = writeln!(text, "---");
    let _ = writeln!(text, "title: \"{title} {i}\"");
    let _ = writeln!(
        text,
        "description: \"{}\"",
        sentence(rng, 10).trim_end_matches('.')
    );
    let _ = writeln!(text, "date: {year:04}-{month:02}-{day_of_month:02}");
    let _ = writeln!(text, "weight: {}", i % 7);
    let _ = writeln!(text, "tags: [{}]", tags.join(", "));
    let _ = writeln!(text, "categories: [{}]", rng.pick(CATEGORIES));
    let _ = writeln!(text, "---\n");
    let _ = writeln!(text, "{}\n", paragraph(rng));
    let _ = writeln!(text, "## Overview\n\n{}\n", paragraph(rng));
    for _ in 0..3 {
        let _ = writeln!(text, "- {}", sentence(rng, 6));
    }
    let (language, code) = CODE[rng.below(CODE.len())];
    let _ = writeln!(text, "\n## Example\n\n```{language}\n{code}```\n");
    let here = page_path(spec, i);
    let neighbour = page_path(spec, (i + spec.sections) % spec.pages.max(1));
    let elsewhere = page_path(spec, (i * 7 + 3) % spec.pages.max(1));
    let _ = writeln!(
        text,
        "## Related\n\nSee [the next page]({}) and [its overview]({}#overview). {}",
        relative_link(&here, &neighbour),
        relative_link(&here, &elsewhere),
        paragraph(rng)
    );
    text
}

fn section_index(section: usize, rng: &mut Rng) -> String {
    format!(
        "---\ntitle: \"Section {section}\"\ndescription: \"{}\"\nweight: {section}\n---\n\n{}\n",
        sentence(rng, 8).trim_end_matches('.'),
        paragraph(rng)
    )
}

/// Module `m` of the synthetic package: `genpkg/sub_XX/mod_YYYY.py`.
fn module_path(m: usize) -> String {
    format!("sub_{:02}/mod_{m:05}.py", m / 20)
}

fn module(m: usize, rng: &mut Rng) -> String {
    let google = m.is_multiple_of(2);
    let mut text = String::with_capacity(4000);
    let _ = writeln!(
        text,
        "\"\"\"{}\n\n{}\n\"\"\"\n",
        sentence(rng, 6),
        paragraph(rng)
    );
    let _ = writeln!(
        text,
        "from __future__ import annotations\n\nimport asyncio\nfrom dataclasses import dataclass\n"
    );
    let _ = writeln!(
        text,
        "__all__ = [\"Client{m}\", \"Record{m}\", \"fetch_{m}\", \"transform_{m}\", \"LIMIT\"]\n"
    );
    let _ = writeln!(
        text,
        "LIMIT: int = {}\n\"\"\"Most items per request.\"\"\"\n",
        10 + m % 90
    );
    let doc_args = |rng: &mut Rng, params: &[(&str, &str)], returns: &str| {
        let mut doc = format!("{}\n\n", sentence(rng, 7));
        if google {
            doc.push_str("Args:\n");
            for (name, ty) in params {
                let _ = writeln!(doc, "    {name} ({ty}): {}", sentence(rng, 6));
            }
            let _ = write!(doc, "\nReturns:\n    {returns}: {}\n", sentence(rng, 5));
            let _ = write!(doc, "\nRaises:\n    ValueError: {}\n", sentence(rng, 5));
        } else {
            doc.push_str("Parameters\n----------\n");
            for (name, ty) in params {
                let _ = writeln!(doc, "{name} : {ty}\n    {}", sentence(rng, 6));
            }
            let _ = write!(
                doc,
                "\nReturns\n-------\n{returns}\n    {}\n",
                sentence(rng, 5)
            );
        }
        doc
    };
    let indent = |doc: &str, by: &str| {
        doc.lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("{by}{l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };

    let _ = writeln!(text, "class Client{m}[T = str]:");
    let _ = writeln!(
        text,
        "    \"\"\"{}\"\"\"\n",
        indent(
            &doc_args(rng, &[("url", "str"), ("timeout", "float")], "None"),
            "    "
        )
        .trim_start()
    );
    let _ = writeln!(
        text,
        "    def __init__(self, url: str, /, timeout: float = 5.0, *, retries: int = 3) -> None:"
    );
    let _ = writeln!(
        text,
        "        self.url = url\n        self._timeout = timeout\n"
    );
    let _ = writeln!(
        text,
        "    @property\n    def timeout(self) -> float:\n        \"\"\"{}\"\"\"\n        return self._timeout\n",
        sentence(rng, 5)
    );
    for method in 0..3 {
        let _ = writeln!(
            text,
            "    async def call_{method}(self, item: T, *extra: T, **options: object) -> list[T]:\n        \"\"\"{}\"\"\"\n        await asyncio.sleep(0)\n        return [item, *extra]\n",
            indent(
                &doc_args(rng, &[("item", "T"), ("options", "object")], "list[T]"),
                "        "
            )
            .trim_start()
        );
    }
    let _ = writeln!(
        text,
        "\n@dataclass(frozen=True)\nclass Record{m}:\n    \"\"\"{}\"\"\"\n\n    key: str\n    value: int = 0\n    tags: tuple[str, ...] = ()\n",
        sentence(rng, 6)
    );
    let _ = writeln!(
        text,
        "\ndef fetch_{m}(client: Client{m}, key: str, *, limit: int = LIMIT) -> Record{m} | None:\n    \"\"\"{}\"\"\"\n    return None\n",
        indent(
            &doc_args(
                rng,
                &[("client", "Client"), ("key", "str"), ("limit", "int")],
                "Record | None"
            ),
            "    "
        )
        .trim_start()
    );
    let _ = writeln!(
        text,
        "\ndef transform_{m}[K, V](items: dict[K, V], fn=lambda v: v, /) -> dict[K, V]:\n    \"\"\"{}\"\"\"\n    return {{k: fn(v) for k, v in items.items()}}\n",
        indent(
            &doc_args(rng, &[("items", "dict"), ("fn", "callable")], "dict"),
            "    "
        )
        .trim_start()
    );
    let _ = writeln!(text, "\ndef _private_{m}() -> None:\n    pass");
    text
}

fn write(root: &Path, rel: &str, text: &str, summary: &mut Summary) -> io::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, text)?;
    summary.files += 1;
    summary.bytes += text.len() as u64;
    Ok(())
}

/// Marker file that identifies a folder as gen-site output (so it may be overwritten).
const MARKER: &str = ".gen-site";

/// Writes the site described by `spec` into `out`.
pub fn generate(spec: &SiteSpec, out: &Path) -> io::Result<Summary> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() && !out.join(MARKER).exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "folder is not empty and was not written by gen-site; pick another --out",
        ));
    }
    if out.join(MARKER).exists() {
        for stale in ["content", "src"] {
            let path = out.join(stale);
            if path.exists() {
                std::fs::remove_dir_all(path)?;
            }
        }
    }
    std::fs::create_dir_all(out)?;
    let mut summary = Summary::default();
    write(out, MARKER, &format!("{spec:?}\n"), &mut summary)?;
    let mut config =
        String::from("title = \"Generated docs\"\nbase_url = \"https://docs.example.org/\"\n");
    if spec.modules > 0 {
        config.push_str(
            "\n[[autodoc.python]]\nname = \"genpkg\"\npath = \"src/genpkg\"\nurl = \"/api/\"\n",
        );
    }
    write(out, "ssg.toml", &config, &mut summary)?;

    let mut rng = Rng(spec.seed);
    write(
        out,
        "content/_index.md",
        &format!("# Generated docs\n\n{}\n", paragraph(&mut rng)),
        &mut summary,
    )?;
    for section in 0..spec.sections.max(1) {
        let index = section_index(section, &mut rng);
        write(
            out,
            &format!("content/section-{section:03}/_index.md"),
            &index,
            &mut summary,
        )?;
    }
    for i in 0..spec.pages {
        let text = page(spec, i, &mut rng);
        write(
            out,
            &format!("content/{}", page_path(spec, i)),
            &text,
            &mut summary,
        )?;
        summary.pages += 1;
    }
    if spec.modules > 0 {
        write(
            out,
            "src/genpkg/__init__.py",
            "\"\"\"A synthetic package for benchmarks.\"\"\"\n",
            &mut summary,
        )?;
        for sub in 0..spec.modules.div_ceil(20) {
            let init = format!("\"\"\"Subpackage {sub}.\"\"\"\n");
            write(
                out,
                &format!("src/genpkg/sub_{sub:02}/__init__.py"),
                &init,
                &mut summary,
            )?;
        }
        for m in 0..spec.modules {
            let text = module(m, &mut rng);
            write(
                out,
                &format!("src/genpkg/{}", module_path(m)),
                &text,
                &mut summary,
            )?;
            summary.modules += 1;
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_spec_same_bytes() {
        let spec = SiteSpec {
            pages: 30,
            sections: 3,
            modules: 5,
            seed: 9,
        };
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let summary = generate(&spec, a.path()).unwrap();
        generate(&spec, b.path()).unwrap();
        assert_eq!(summary.pages, 30);
        assert_eq!(summary.modules, 5);
        for rel in [
            "content/section-001/page-000001.md",
            "src/genpkg/sub_00/mod_00003.py",
            "ssg.toml",
        ] {
            assert_eq!(
                std::fs::read(a.path().join(rel)).unwrap(),
                std::fs::read(b.path().join(rel)).unwrap(),
                "{rel}"
            );
        }
    }

    #[test]
    fn links_point_at_generated_pages() {
        assert_eq!(
            relative_link("section-001/page-000001.md", "section-001/page-000004.md"),
            "page-000004.md"
        );
        assert_eq!(
            relative_link(
                "section-001/advanced/page-000016.md",
                "section-002/page-000002.md"
            ),
            "../../section-002/page-000002.md"
        );
        let spec = SiteSpec {
            pages: 40,
            sections: 4,
            modules: 0,
            seed: 3,
        };
        let dir = tempfile::tempdir().unwrap();
        generate(&spec, dir.path()).unwrap();
        let text =
            std::fs::read_to_string(dir.path().join("content").join(page_path(&spec, 19))).unwrap();
        let link = text
            .split("](")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap();
        let from_dir = dir.path().join("content").join(page_path(&spec, 19));
        assert!(
            from_dir.parent().unwrap().join(link).is_file(),
            "{link} does not exist"
        );
    }

    #[test]
    fn refuses_to_overwrite_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "x").unwrap();
        assert!(generate(&SiteSpec::default(), dir.path()).is_err());
    }
}
