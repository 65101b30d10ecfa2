//! `mkdocs.yml` read as the site configuration, for a folder that has no `ssg.toml`.
//!
//! YAML tags (`!ENV [VAR, default]`, `!!python/name:…`, `!relative`) are read as data and
//! never run: `!ENV` takes its default (the environment is not read, so that a build does
//! not depend on it), every other tagged value is ignored. What maps onto ssg-coord:
//! `site_name`, `site_url`, `site_description`, `docs_dir`, `site_dir`, `exclude_docs`
//! (as `ignored_content`), `extra` (as `[extra]`), `nav` (order and titles, see [`NavEntry`]), the `redirects` plugin's `redirect_maps` (aliases),
//! `pymdownx.snippets`' `base_path`, `use_directory_urls: false` (pages at `foo.html`,
//! [`UrlStyle::HtmlFiles`]); Markdown is read in the `mkdocs` dialect. Everything else that
//! changes the output (plugins, hooks, other extensions, `theme` features) is named in one
//! note, shown as one warning.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml_ng::Value;

use super::{
    Config, ConfigError, ConfigSource, InventoryConfig, InventorySource, MarkdownConfig,
    PageOverride, PythonPackageConfig, UrlStyle,
};

/// The file name MkDocs reads.
pub const MKDOCS_FILE: &str = "mkdocs.yml";

/// Markdown extensions whose syntax ssg-coord reads (`markdown_extensions` entries).
const KNOWN_EXTENSIONS: &[&str] = &[
    "admonition",
    "attr_list",
    "abbr",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "meta",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.snippets",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
    "pymdownx.blocks.tab",
    "pymdownx.blocks.html",
    "pymdownx.arithmatex",
    "pymdownx.emoji",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.tasklist",
];
/// Plugins whose effect ssg-coord has built in or maps (`search`, `redirects`).
const KNOWN_PLUGINS: &[&str] = &["search", "redirects", "tags", "offline"];

/// Reads `mkdocs.yml`'s text; `file` names it in errors.
pub(super) fn from_mkdocs_yml(text: &str, file: &Path) -> Result<Config, ConfigError> {
    let error = |message: String, line: Option<u32>| ConfigError {
        file: file.to_path_buf(),
        line,
        message,
        hint: Some("fix mkdocs.yml, or write an ssg.toml (`ssg-coord init --from mkdocs`)".into()),
    };
    let yaml: Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let line = e
            .location()
            .map(|location| u32::try_from(location.line()).unwrap_or(u32::MAX));
        error(format!("invalid YAML: {e}"), line)
    })?;
    let Value::Mapping(_) = &yaml else {
        return Err(error("expected a mapping of settings".into(), None));
    };
    let text_of = |key: &str| yaml.get(key).and_then(plain_string);

    let mut config = Config::default();
    let mut ignored: Vec<String> = Vec::new();
    config.source = ConfigSource::MkDocs;
    config.title = text_of("site_name").unwrap_or(config.title);
    config.description = text_of("site_description");
    if let Some(url) = text_of("site_url").filter(|url| !url.is_empty()) {
        config.base_url = if url.ends_with('/') {
            url
        } else {
            format!("{url}/")
        };
    }
    config.build.content_dir = text_of("docs_dir")
        .map(|dir| dir.trim_end_matches('/').to_string())
        .unwrap_or_else(|| "docs".to_string());
    config.build.output_dir = text_of("site_dir").unwrap_or_else(|| "site".to_string());
    config.taxonomies.categories = false;
    // `exclude_docs`: gitignore lines, one pattern each.
    if let Some(patterns) = text_of("exclude_docs") {
        for pattern in patterns.lines().map(str::trim) {
            if pattern.is_empty() || pattern.starts_with('#') {
                continue;
            }
            match super::IgnoredContent::check_pattern(pattern) {
                Ok(()) => config.build.ignored_content.push(pattern.to_string()),
                Err(why) => ignored.push(format!("exclude_docs {pattern} ({why})")),
            }
        }
    }
    if let Some(Value::Mapping(extra)) = yaml.get("extra") {
        for (key, value) in extra {
            if let (Some(key), Some(value)) = (plain_string(key), yaml_to_json(value)) {
                config.extra.insert(key, value);
            }
        }
    }
    if yaml.get("use_directory_urls").and_then(Value::as_bool) == Some(false) {
        config.build.url_style = UrlStyle::HtmlFiles;
    }

    let mut markdown = MarkdownConfig {
        mkdocs: true,
        ..MarkdownConfig::default()
    };
    for (name, options) in named_entries(yaml.get("markdown_extensions")) {
        if name == "pymdownx.snippets"
            && let Some(base) = options.and_then(|options| options.get("base_path"))
        {
            let paths: Vec<String> = match base {
                Value::Sequence(items) => items.iter().filter_map(plain_string).collect(),
                other => plain_string(other).into_iter().collect(),
            };
            if !paths.is_empty() {
                markdown.snippet_base_paths = paths;
            }
        }
        if !KNOWN_EXTENSIONS.contains(&name.as_str()) {
            ignored.push(name);
        }
    }
    config.markdown = markdown;

    for (name, options) in named_entries(yaml.get("plugins")) {
        if name == "redirects"
            && let Some(Value::Mapping(map)) = options.and_then(|o| o.get("redirect_maps"))
        {
            for (from, to) in map {
                let (Some(from), Some(to)) = (plain_string(from), plain_string(to)) else {
                    continue;
                };
                if to.contains("://") {
                    ignored.push(format!("redirect {from} → {to} (external)"));
                    continue;
                }
                let alias = format!("/{}/", strip_md(&from).trim_end_matches("/index"));
                config
                    .page_overrides
                    .entry(to.trim_start_matches('/').to_string())
                    .or_default()
                    .aliases
                    .push(alias.replace("//", "/"));
            }
        } else if name == "mkdocstrings" {
            let python = options
                .and_then(|o| o.get("handlers"))
                .and_then(|handlers| handlers.get("python"));
            let site_root = file.parent().unwrap_or(Path::new("."));
            let options = python_options(python, &mut ignored);
            let packages = python_packages(site_root, python);
            if packages.is_empty() {
                ignored.push("mkdocstrings (no Python package found in its paths)".into());
            }
            config
                .autodoc_python
                .extend(packages.into_iter().map(|package| PythonPackageConfig {
                    include_private: options.include_private,
                    merge_init_into_class: options.merge_init_into_class,
                    ..package
                }));
            config
                .autodoc_inventories
                .extend(mkdocstrings_inventories(python, &mut ignored));
        } else if !KNOWN_PLUGINS.contains(&name.as_str()) {
            ignored.push(name);
        }
    }
    if let Some(hooks) = yaml.get("hooks") {
        for hook in named_entries(Some(hooks)) {
            ignored.push(format!("hooks {}", hook.0));
        }
    }

    if let Some(nav) = yaml.get("nav") {
        let mut order = 0;
        read_nav(nav, &mut config.page_overrides, &mut order, &mut ignored);
    }
    config.notes = if ignored.is_empty() {
        Vec::new()
    } else {
        vec![format!("ignored: {}", ignored.join(", "))]
    };
    Ok(config)
}

/// The python handler's `import` (or, in newer mkdocstrings, `inventories`) list as
/// `[[autodoc.inventories]]`: each entry a URL or `{url, base_url}`; an http(s) `url` is
/// fetched (its links relative to its folder, or to `base_url`), another `url` is a local
/// file relative to `mkdocs.yml` and needs `base_url`. Entries that cannot be read are
/// named in `ignored`.
fn mkdocstrings_inventories(
    python: Option<&Value>,
    ignored: &mut Vec<String>,
) -> Vec<InventoryConfig> {
    let entries = ["import", "inventories"]
        .iter()
        .filter_map(|key| python.and_then(|p| p.get(*key)))
        .filter_map(Value::as_sequence)
        .flatten();
    let mut inventories = Vec::new();
    for entry in entries {
        let (url, base_url) = match entry {
            Value::String(url) => (Some(url.as_str()), None),
            Value::Mapping(_) => (
                entry.get("url").and_then(Value::as_str),
                entry.get("base_url").and_then(Value::as_str),
            ),
            _ => (None, None),
        };
        let Some(url) = url.map(str::trim).filter(|url| !url.is_empty()) else {
            ignored.push("mkdocstrings import entry without a url".into());
            continue;
        };
        let is_http = url.starts_with("https://") || url.starts_with("http://");
        let base_url = base_url
            .map(|base| format!("{}/", base.trim().trim_end_matches('/')))
            .or_else(|| {
                is_http.then(|| match url.rfind('/') {
                    Some(slash) if slash >= "https://".len() => url[..=slash].to_string(),
                    _ => format!("{url}/"),
                })
            });
        let Some(base_url) = base_url else {
            ignored.push(format!(
                "mkdocstrings import {url} (a local inventory needs base_url)"
            ));
            continue;
        };
        let source = if is_http {
            InventorySource::Url(url.to_string())
        } else {
            InventorySource::Path(url.trim_start_matches("./").to_string())
        };
        inventories.push(InventoryConfig { source, base_url });
    }
    inventories
}

/// What autodoc reads of the mkdocstrings python handler's `options`.
#[derive(Debug, Default, PartialEq, Eq)]
struct PythonOptions {
    /// `filters` that do not hide `_private` names.
    include_private: bool,
    /// `merge_init_into_class`, default false as in mkdocstrings.
    merge_init_into_class: bool,
}

/// The mkdocstrings python handler's `options`, as far as autodoc has them: whether
/// private members are shown (`filters`) and `merge_init_into_class`. `members_order:
/// source` is what autodoc does anyway; every other option, or value, is named in
/// `ignored`.
fn python_options(python: Option<&Value>, ignored: &mut Vec<String>) -> PythonOptions {
    let mut read = PythonOptions::default();
    let Some(Value::Mapping(options)) = python.and_then(|p| p.get("options")) else {
        return read;
    };
    for (key, value) in options {
        let Some(key) = plain_string(key) else {
            continue;
        };
        let text = plain_string(value);
        match (key.as_str(), value) {
            // mkdocstrings' default is `["!^_[^_]"]`: no private members, dunders kept.
            ("filters", Value::Sequence(filters)) => {
                let filters: Vec<String> = filters.iter().filter_map(plain_string).collect();
                let hides_private = |filter: &String| filter.starts_with("!^_");
                read.include_private = !filters.iter().any(hides_private);
                let others: Vec<&String> = filters.iter().filter(|f| !hides_private(f)).collect();
                if !others.is_empty() {
                    ignored.push(format!(
                        "mkdocstrings filters {}",
                        others
                            .iter()
                            .map(|f| f.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    ));
                }
            }
            ("filters", _) if text.as_deref() == Some("public") => {}
            ("members_order", _) if text.as_deref() == Some("source") => {}
            ("merge_init_into_class", Value::Bool(merge)) => read.merge_init_into_class = *merge,
            _ => ignored.push(format!(
                "mkdocstrings {key}{}",
                text.map(|text| format!(": {text}")).unwrap_or_default()
            )),
        }
    }
    read
}

/// The packages (folders with `__init__.py`) in the mkdocstrings python handler's `paths`
/// (default: the site root), each documented by autodoc under `/api/`.
fn python_packages(site_root: &Path, python: Option<&Value>) -> Vec<PythonPackageConfig> {
    let paths: Vec<String> = match python.and_then(|p| p.get("paths")) {
        Some(Value::Sequence(items)) => items.iter().filter_map(plain_string).collect(),
        _ => vec![".".to_string()],
    };
    let mut packages = Vec::new();
    for path in paths {
        let path = path.trim_end_matches('/');
        if path.contains("..") || path.starts_with('/') {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(site_root.join(path)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|entry| entry.path().join("__init__.py").is_file())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with(['.', '_']) && name != "tests")
            .collect();
        names.sort();
        for name in names {
            let package_path = if path == "." || path.is_empty() {
                name.clone()
            } else {
                format!("{path}/{name}")
            };
            packages.push(PythonPackageConfig {
                name,
                path: package_path,
                url: "/api/".to_string(),
                include_private: false,
                merge_init_into_class: false,
                source_url: None,
            });
        }
    }
    packages
}

/// A string (or number) value; tagged values other than `!ENV` are not strings.
fn plain_string(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Tagged(tagged) if tagged.tag == "ENV" => match &tagged.value {
            // `!ENV [VAR, default]`: the default; `!ENV VAR`: nothing.
            Value::Sequence(items) => items.get(1).and_then(plain_string),
            _ => None,
        },
        _ => None,
    }
}

/// A YAML value as JSON; tagged values other than `!ENV` (with its default) are left out.
fn yaml_to_json(value: &Value) -> Option<serde_json::Value> {
    Some(match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(flag) => serde_json::Value::Bool(*flag),
        Value::Number(number) => match (number.as_i64(), number.as_f64()) {
            (Some(integer), _) => serde_json::Value::from(integer),
            (None, Some(float)) => serde_json::Value::from(float),
            _ => return None,
        },
        Value::String(text) => serde_json::Value::String(text.clone()),
        Value::Sequence(items) => items.iter().filter_map(yaml_to_json).collect(),
        Value::Mapping(map) => serde_json::Value::Object(
            map.iter()
                .filter_map(|(key, value)| Some((plain_string(key)?, yaml_to_json(value)?)))
                .collect(),
        ),
        Value::Tagged(_) => serde_json::Value::String(plain_string(value)?),
    })
}

/// Entries of a plugins / extensions / hooks list: `- name` or `- name: {options}` (or a
/// mapping of name to options).
fn named_entries(value: Option<&Value>) -> Vec<(String, Option<&Value>)> {
    let mut entries = Vec::new();
    match value {
        Some(Value::Sequence(items)) => {
            for item in items {
                match item {
                    Value::Mapping(map) => {
                        for (name, options) in map {
                            if let Some(name) = plain_string(name) {
                                entries.push((name, Some(options)));
                            }
                        }
                    }
                    other => entries.extend(plain_string(other).map(|name| (name, None))),
                }
            }
        }
        Some(Value::Mapping(map)) => {
            for (name, options) in map {
                if let Some(name) = plain_string(name) {
                    entries.push((name, Some(options)));
                }
            }
        }
        _ => {}
    }
    entries
}

/// `nav`: every page in it gets a weight in nav order (before pages not in `nav`) and its
/// nav title; external links are noted as ignored.
fn read_nav(
    nav: &Value,
    overrides: &mut BTreeMap<String, PageOverride>,
    order: &mut i64,
    ignored: &mut Vec<String>,
) {
    let Value::Sequence(items) = nav else {
        return;
    };
    for item in items {
        match item {
            Value::Mapping(map) => {
                for (title, target) in map {
                    let title = plain_string(title);
                    match target {
                        Value::Sequence(_) => read_nav(target, overrides, order, ignored),
                        other => {
                            if let Some(path) = plain_string(other) {
                                add_nav_page(&path, title, overrides, order, ignored);
                            }
                        }
                    }
                }
            }
            other => {
                if let Some(path) = plain_string(other) {
                    add_nav_page(&path, None, overrides, order, ignored);
                }
            }
        }
    }
}

fn add_nav_page(
    path: &str,
    title: Option<String>,
    overrides: &mut BTreeMap<String, PageOverride>,
    order: &mut i64,
    ignored: &mut Vec<String>,
) {
    if path.contains("://") || !path.ends_with(".md") {
        ignored.push(format!("nav link {path}"));
        return;
    }
    *order += 1;
    let entry = overrides
        .entry(path.trim_start_matches('/').to_string())
        .or_default();
    // Before every page outside `nav` (weight 0), in nav order.
    entry.weight = Some(*order - NAV_WEIGHT_BASE);
    entry.title = title;
}

/// Nav weights start this far below 0.
const NAV_WEIGHT_BASE: i64 = 1_000_000;

fn strip_md(path: &str) -> &str {
    path.trim_start_matches('/')
        .strip_suffix(".md")
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_material_config() {
        let text = r#"
site_name: My Lib
site_url: https://example.org/lib
docs_dir: documentation
exclude_docs: |
  drafts/
  # a comment
  *.tmp.md
repo_url: !ENV [REPO, "https://github.com/x/y"]
extra:
  version: 2
  social:
    - icon: fontawesome/brands/github
      link: !ENV [SOCIAL, "https://github.com/x"]
  analytics: !!python/name:x.y
theme:
  name: material
  features: [content.tabs.link]
nav:
  - Home: index.md
  - Guide:
    - guide/install.md
    - Usage: guide/usage.md
  - GitHub: https://github.com/x/y
plugins:
  - search
  - social
  - redirects:
      redirect_maps:
        old.md: guide/usage.md
  - mkdocstrings:
      handlers:
        python:
          paths: [src]
          options:
            members_order: source
            merge_init_into_class: true
            filters: ["!^_[^_]", "!^test_"]
            show_source: false
hooks:
  - docs/plugins/main.py
markdown_extensions:
  - admonition
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
  - pymdownx.snippets:
      base_path: [".", "docs/includes"]
  - pymdownx.critic
"#;
        let config = from_mkdocs_yml(text, Path::new("mkdocs.yml")).expect("valid");
        assert_eq!(config.title, "My Lib");
        assert_eq!(config.base_url, "https://example.org/lib/");
        assert_eq!(config.build.content_dir, "documentation");
        assert_eq!(config.build.output_dir, "site");
        assert_eq!(config.build.ignored_content, ["drafts/", "*.tmp.md"]);
        assert_eq!(
            serde_json::Value::Object(config.extra.clone()),
            // A `!!python/name:…` value reads as empty: nothing is imported.
            serde_json::json!({"version": 2, "analytics": "", "social": [{"icon": "fontawesome/brands/github", "link": "https://github.com/x"}]})
        );
        assert!(config.markdown.mkdocs);
        assert_eq!(
            config.markdown.snippet_base_paths,
            vec![".", "docs/includes"]
        );
        let usage = &config.page_overrides["guide/usage.md"];
        assert_eq!(usage.title.as_deref(), Some("Usage"));
        assert_eq!(usage.aliases, vec!["/old/"]);
        let weights: Vec<i64> = ["index.md", "guide/install.md", "guide/usage.md"]
            .iter()
            .map(|path| config.page_overrides[*path].weight.expect("in nav"))
            .collect();
        assert!(
            weights
                .windows(2)
                .all(|pair| pair[0] < pair[1] && pair[1] < 0)
        );
        assert_eq!(
            config.notes,
            vec![
                "ignored: pymdownx.critic, social, mkdocstrings filters !^test_, mkdocstrings \
                 show_source: false, mkdocstrings (no Python package found in its paths), \
                 hooks docs/plugins/main.py, nav link https://github.com/x/y"
                    .to_string()
            ]
        );
    }

    #[test]
    fn mkdocstrings_import_inventories_are_read() {
        let text = "site_name: x\nplugins:\n  - mkdocstrings:\n      handlers:\n        python:\n          import:\n            - https://docs.python.org/3/objects.inv\n            - url: inv/requests.inv\n              base_url: https://requests.readthedocs.io/en/latest\n            - url: local.inv\n          inventories:\n            - url: https://x.org/api/objects.inv\n              base_url: https://x.org/docs/\n";
        let config = from_mkdocs_yml(text, Path::new("mkdocs.yml")).expect("valid");
        assert_eq!(
            config.autodoc_inventories,
            vec![
                InventoryConfig {
                    source: InventorySource::Url("https://docs.python.org/3/objects.inv".into()),
                    base_url: "https://docs.python.org/3/".into(),
                },
                InventoryConfig {
                    source: InventorySource::Path("inv/requests.inv".into()),
                    base_url: "https://requests.readthedocs.io/en/latest/".into(),
                },
                InventoryConfig {
                    source: InventorySource::Url("https://x.org/api/objects.inv".into()),
                    base_url: "https://x.org/docs/".into(),
                },
            ]
        );
        assert_eq!(
            config.local_inventories().collect::<Vec<_>>(),
            ["inv/requests.inv"]
        );
        assert!(
            config.notes[0]
                .contains("mkdocstrings import local.inv (a local inventory needs base_url)"),
            "{:?}",
            config.notes
        );
    }

    #[test]
    fn invalid_yaml_names_the_line() {
        let error = from_mkdocs_yml("site_name: x\nnav: [\n", Path::new("mkdocs.yml"))
            .expect_err("invalid");
        assert!(error.line.is_some(), "{error}");
    }
}

#[cfg(test)]
mod option_tests {
    use super::*;

    #[test]
    fn filters_decide_private_members() {
        let check = |options: &str, include_private: bool, noted: &[&str]| {
            let python: Value =
                serde_yaml_ng::from_str(&format!("options:\n{options}")).expect("yaml");
            let mut ignored = Vec::new();
            assert_eq!(
                python_options(Some(&python), &mut ignored).include_private,
                include_private,
                "{options}"
            );
            assert_eq!(ignored, noted, "{options}");
        };
        check("  filters: []", true, &[]);
        check("  filters: [\"!^_[^_]\"]", false, &[]);
        check("  filters: public", false, &[]);
        check(
            "  members_order: alphabetical\n  merge_init_into_class: false",
            false,
            &["mkdocstrings members_order: alphabetical"],
        );
    }

    #[test]
    fn merge_init_into_class_is_read_both_ways() {
        let read = |options: &str| {
            let python: Value =
                serde_yaml_ng::from_str(&format!("options:\n{options}")).expect("yaml");
            let mut ignored = Vec::new();
            let read = python_options(Some(&python), &mut ignored);
            (read.merge_init_into_class, ignored)
        };
        assert_eq!(read("  merge_init_into_class: true"), (true, vec![]));
        assert_eq!(read("  merge_init_into_class: false"), (false, vec![]));
        assert_eq!(
            read("  show_source: false"),
            (false, vec!["mkdocstrings show_source: false".to_string()])
        );
        // A value that is no boolean is named, not guessed.
        assert_eq!(
            read("  merge_init_into_class: maybe"),
            (
                false,
                vec!["mkdocstrings merge_init_into_class: maybe".to_string()]
            )
        );
    }
}
