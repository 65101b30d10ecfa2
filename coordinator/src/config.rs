//! `ssg.toml`: loading, defaults and validation.
//!
//! Every key is optional; a site without `ssg.toml` builds with [`Config::default`].
//! The file is read through private `Raw*` types (the only place serde touches the
//! configuration), then validated into [`Config`], whose values are normalised
//! (`base_url` and autodoc URLs end with `/`) so that nothing downstream re-checks them.
//!
//! Every error names the line: invalid TOML and type errors through the parser's spans,
//! unknown keys through `serde_ignored` and the spanned document (see `keys`), which also
//! suggests the closest valid key of the same table:
//! ``ssg.toml:3: unknown key `titel` (did you mean `title`?)``.
// Used by ops::build once integrated.

pub mod docusaurus;
mod keys;
pub mod mkdocs;
mod raw;

use keys::Segment;
use raw::RawConfig;
use std::path::{Path, PathBuf};

/// The site configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `title`, default "Documentation".
    pub title: String,
    /// `base_url`, normalised to end with `/`; default `/`.
    pub base_url: String,
    /// `description`.
    pub description: Option<String>,
    /// `language`, default `en`.
    pub language: String,
    /// `[build]`.
    pub build: BuildConfig,
    /// `[[autodoc.python]]`.
    pub autodoc_python: Vec<PythonPackageConfig>,
    /// `[[autodoc.inventories]]`: other projects' `objects.inv`, for cross-references.
    pub autodoc_inventories: Vec<InventoryConfig>,
    /// `[[autodoc.openapi]]`: OpenAPI descriptions.
    pub autodoc_openapi: Vec<OpenApiConfig>,
    /// `[[autodoc.cli]]`: command-line interfaces.
    pub autodoc_cli: Vec<CliConfig>,
    /// `[taxonomies]`.
    pub taxonomies: TaxonomiesConfig,
    /// `[outputs]`.
    pub outputs: OutputsConfig,
    /// `[versions]`.
    pub versions: VersionsConfig,
    /// `[markdown]`.
    pub markdown: MarkdownConfig,
    /// Which file the configuration came from.
    pub source: ConfigSource,
    /// Per-page settings the configuration gives (MkDocs' `nav` and redirects, Docusaurus'
    /// sidebars), by path relative to the content directory (`guide/install.md`), or to
    /// the site root for a page outside it (`versioned_docs/version-1.0/intro.md`).
    pub page_overrides: std::collections::BTreeMap<String, PageOverride>,
    /// Things worth one warning that did not stop the configuration from loading.
    pub notes: Vec<String>,
    /// A Docusaurus site's docs folders and sidebars (`ConfigSource::Docusaurus`).
    pub docusaurus: Option<docusaurus::DocusaurusDocs>,
    /// `[extra]`: any values, for templates (`site.extra`); MkDocs' `extra`.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The file a configuration came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConfigSource {
    /// `ssg.toml`, or nothing (the defaults).
    #[default]
    SsgToml,
    /// `mkdocs.yml`, in a folder without `ssg.toml`.
    MkDocs,
    /// `docusaurus.config.js` (or `.ts`, …), in a folder without `ssg.toml` or `mkdocs.yml`.
    Docusaurus,
}

/// What a configuration says about one page; front matter wins over it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageOverride {
    /// Weight, when the page has none of its own.
    pub weight: Option<i64>,
    /// Title, when the page has none of its own.
    pub title: Option<String>,
    /// Title in navigation (a Docusaurus sidebar's label), when the page has none.
    pub nav_title: Option<String>,
    /// Extra aliases (old URLs that redirect to the page).
    pub aliases: Vec<String>,
}

/// `[markdown]`: the Markdown dialect of the pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownConfig {
    /// `dialect = "mkdocs"`: all of Python-Markdown + pymdown-extensions (definition lists,
    /// abbreviations, `attr_list`, `md_in_html`, math, icons); default `"default"`, which
    /// has only the blocks that cannot mean anything else in CommonMark.
    pub mkdocs: bool,
    /// `dialect = "docusaurus"`: MDX (imports and exports dropped, `<Tabs>` as content
    /// tabs, other JSX components dropped with their children kept).
    pub mdx: bool,
    /// `snippet_base_paths`: folders, relative to the site root, where `--8<--` snippets
    /// are looked up; default `["."]` (the site root), as pymdownx.snippets.
    pub snippet_base_paths: Vec<String>,
}

impl Default for MarkdownConfig {
    fn default() -> MarkdownConfig {
        MarkdownConfig {
            mkdocs: false,
            mdx: false,
            snippet_base_paths: vec![".".to_string()],
        }
    }
}

/// `[versions]`: versioned docs live in `content/_versions/<id>/`, and `content/_shared/`
/// is part of every version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionsConfig {
    /// `latest`: id of the latest version; default: the highest id in natural order
    /// (`v10` after `v9`).
    pub latest: Option<String>,
    /// `latest_at_root`: serve the latest version at `/` (default) or at `/latest/`.
    pub latest_at_root: bool,
    /// `[versions.labels]`: display label per version id; default: the id.
    pub labels: std::collections::BTreeMap<String, String>,
}

/// `[build]`.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildConfig {
    /// `content_dir`, default `content`.
    pub content_dir: String,
    /// `output_dir`, default `public`.
    pub output_dir: String,
    /// `paginate`: entries per listing page, default 10, at least 1.
    pub paginate: u32,
    /// `ignored_content`: gitignore-style patterns, relative to the content folder, of
    /// files that are neither pages nor copied (MkDocs' `exclude_docs`).
    pub ignored_content: Vec<String>,
    /// `cache_url`: the shared shard cache (`cache::remote`), when set.
    pub cache_url: Option<crate::cache_url::CacheUrl>,
    /// How markdown pages' URLs end: folders (`/guide/install/`), or `.html` files
    /// (`/guide/install.html`) for an `mkdocs.yml` with `use_directory_urls: false`.
    pub url_style: UrlStyle,
}

/// How a markdown page's URL ends. A folder's own page (`index.md`, `_index.md`) is the
/// folder's URL either way, served from its `index.html`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UrlStyle {
    /// `guide/install.md` → `/guide/install/`, written to `guide/install/index.html`.
    #[default]
    Folders,
    /// `guide/install.md` → `/guide/install.html`, written to `guide/install.html` (with
    /// `install.json` and `install.txt` beside it), as MkDocs with `use_directory_urls: false`.
    HtmlFiles,
}

/// `[build] ignored_content` compiled: which content files the walk leaves out.
pub struct IgnoredContent {
    matcher: Option<ignore::gitignore::Gitignore>,
}

impl IgnoredContent {
    /// The patterns, matched against paths relative to `folder`. They were checked when
    /// the configuration was read; a pattern that does not compile now matches nothing.
    pub fn new(folder: &Path, patterns: &[String]) -> IgnoredContent {
        if patterns.is_empty() {
            return IgnoredContent { matcher: None };
        }
        let mut builder = ignore::gitignore::GitignoreBuilder::new(folder);
        for pattern in patterns {
            // Checked by `check_pattern` when the configuration was read.
            let _ = builder.add_line(None, pattern);
        }
        IgnoredContent {
            matcher: builder.build().ok(),
        }
    }

    /// Whether the file at `path` (inside the folder) is left out, by its own path or a
    /// parent folder's.
    pub fn is_ignored(&self, path: &Path) -> bool {
        self.matcher
            .as_ref()
            .is_some_and(|matcher| matcher.matched_path_or_any_parents(path, false).is_ignore())
    }

    /// Why `pattern` is not a valid gitignore pattern, if it is not.
    pub fn check_pattern(pattern: &str) -> Result<(), String> {
        let mut builder = ignore::gitignore::GitignoreBuilder::new("");
        builder
            .add_line(None, pattern)
            .map(|_| ())
            .map_err(|error| error.to_string())
    }
}

/// One `[[autodoc.cli]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliConfig {
    /// `name`: the program's name as users type it (`mkdocs`); unique among the entries.
    pub name: String,
    /// `path`: the `.py` file, package folder or source root, relative to the site root.
    pub path: String,
    /// `object`: the click group or command, typer app, or argparse parser (or the
    /// function building it): `module:name`, `module.name`, or `name` for a single file.
    pub object: String,
    /// `framework`: `click`, `typer` or `argparse`; detected when `None`.
    pub framework: Option<String>,
    /// `url`: URL prefix, normalised to start and end with `/`; default `/cli/<name>/`.
    pub url: String,
}

/// One `[[autodoc.openapi]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiConfig {
    /// `name`: identifies the description in messages; unique among the entries.
    pub name: String,
    /// `path`: the description's root file (JSON or YAML), relative to the site root.
    pub path: String,
    /// `url`: URL prefix, normalised to start and end with `/`; default `/<name>/`.
    pub url: String,
}

impl OpenApiConfig {
    /// The folder of the root file (site-relative; `$ref`d files must be inside it), or
    /// the file itself when it is in the site root.
    pub fn folder(&self) -> &str {
        match self.path.rsplit_once('/') {
            Some((folder, _)) if !folder.is_empty() => folder,
            _ => self.path.as_str(),
        }
    }

    /// The folder `$ref`s must stay inside: the root file's folder (`.` for the site root).
    pub fn refs_folder(&self) -> &str {
        match self.path.rsplit_once('/') {
            Some((folder, _)) if !folder.is_empty() => folder,
            _ => ".",
        }
    }
}

/// One `[[autodoc.python]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PythonPackageConfig {
    /// `name`: import name of the package (`mypkg`).
    pub name: String,
    /// `path`: package directory relative to the site root (`src/mypkg`).
    pub path: String,
    /// `url`: URL prefix, normalised to start and end with `/`; default `/api/`.
    pub url: String,
    /// `include_private`, default false.
    pub include_private: bool,
    /// `merge_init_into_class`, default false (as mkdocstrings'): a class's docstring is
    /// followed by its `__init__`'s, and `__init__` is no member of its own.
    pub merge_init_into_class: bool,
    /// `source_url`: a link to each object's source, with `{path}` (the module's file from
    /// its top package's parent folder, `click/core.py`), `{line}` and `{end_line}`.
    pub source_url: Option<String>,
}

/// One `[[autodoc.inventories]]` entry: a Sphinx inventory to link names into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryConfig {
    /// Where the inventory is read from.
    pub source: InventorySource,
    /// What the inventory's URIs are relative to, ending with `/`: `base_url`, else the
    /// folder of `url` (`https://docs.python.org/3/`).
    pub base_url: String,
}

/// Where an inventory is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InventorySource {
    /// `url`: fetched once, then read from `.ssg-cache/inventories/`.
    Url(String),
    /// `path`: a file, relative to the site root (or absolute).
    Path(String),
}

/// `[taxonomies]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxonomiesConfig {
    /// `tags`, default true.
    pub tags: bool,
    /// `categories`, default true.
    pub categories: bool,
}

/// `[outputs]`: every output can be switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputsConfig {
    /// Per-page `index.html`, default true.
    pub html: bool,
    /// Per-page `index.json`, default true.
    pub json: bool,
    /// Per-page `index.txt`, default true.
    pub txt: bool,
    /// `sitemap.xml`, default true.
    pub sitemap: bool,
    /// Site-wide `index.json` search index, default true.
    pub search_index: bool,
    /// `rss.xml`, default true.
    pub rss: bool,
    /// `llm-full.txt` (built from the per-page text, so it needs `txt`), default true.
    pub llm_full: bool,
}

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}{}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default(), hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
pub struct ConfigError {
    /// The file (`<site>/ssg.toml`).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

/// The file name of the configuration, in the site root.
pub const CONFIG_FILE: &str = "ssg.toml";

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "Documentation".to_string(),
            base_url: "/".to_string(),
            description: None,
            language: "en".to_string(),
            build: BuildConfig::default(),
            autodoc_python: Vec::new(),
            autodoc_inventories: Vec::new(),
            autodoc_openapi: Vec::new(),
            autodoc_cli: Vec::new(),
            taxonomies: TaxonomiesConfig::default(),
            outputs: OutputsConfig::default(),
            versions: VersionsConfig {
                latest: None,
                latest_at_root: true,
                labels: Default::default(),
            },
            markdown: MarkdownConfig::default(),
            source: ConfigSource::SsgToml,
            page_overrides: Default::default(),
            notes: Vec::new(),
            docusaurus: None,
            extra: Default::default(),
        }
    }
}

impl Config {
    /// What every markdown page's URL starts with: a Docusaurus site's `routeBasePath`
    /// (`/docs`), else nothing. Versions' prefixes include it; static files do not.
    pub fn content_url_prefix(&self) -> &str {
        self.docusaurus
            .as_ref()
            .map_or("", |docs| docs.route_base.as_str())
    }
}

impl Default for BuildConfig {
    fn default() -> BuildConfig {
        BuildConfig {
            content_dir: "content".to_string(),
            output_dir: "public".to_string(),
            paginate: 10,
            ignored_content: Vec::new(),
            url_style: UrlStyle::Folders,
            cache_url: None,
        }
    }
}

impl Default for TaxonomiesConfig {
    fn default() -> TaxonomiesConfig {
        TaxonomiesConfig {
            tags: true,
            categories: true,
        }
    }
}

impl Default for OutputsConfig {
    fn default() -> OutputsConfig {
        OutputsConfig {
            html: true,
            json: true,
            txt: true,
            sitemap: true,
            search_index: true,
            rss: true,
            llm_full: true,
        }
    }
}

impl Config {
    /// The folders reference sources read, relative to the site root (each autodoc
    /// package's path): what the input signature stamps and the dev server watches.
    /// For an OpenAPI description, the folder of its root file (the files its `$ref`s
    /// reach must be inside it), or the file itself when it sits in the site root.
    pub fn reference_folders(&self) -> impl Iterator<Item = &str> {
        self.autodoc_python
            .iter()
            .map(|package| package.path.as_str())
            .chain(self.autodoc_openapi.iter().map(OpenApiConfig::folder))
            .chain(self.autodoc_cli.iter().map(|cli| cli.path.as_str()))
    }

    /// The local inventory files (`[[autodoc.inventories]] path`, mkdocstrings `import`
    /// of a file), relative to the site root: read by every build, watched by `serve`.
    pub fn local_inventories(&self) -> impl Iterator<Item = &str> {
        self.autodoc_inventories
            .iter()
            .filter_map(|inventory| match &inventory.source {
                InventorySource::Path(path) => Some(path.as_str()),
                InventorySource::Url(_) => None,
            })
    }

    /// The file the configuration of `site_root` comes from: `ssg.toml`, else
    /// `mkdocs.yml`, else `docusaurus.config.js` (`.ts`, …), else none (the defaults).
    pub fn source_file(site_root: &Path) -> Option<PathBuf> {
        [CONFIG_FILE, mkdocs::MKDOCS_FILE]
            .iter()
            .chain(docusaurus::DOCUSAURUS_FILES)
            .map(|name| site_root.join(name))
            .find(|path| path.is_file())
    }

    /// The name of the file the configuration came from (`ssg.toml`, `mkdocs.yml`,
    /// `docusaurus.config.ts`).
    pub fn source_file_name(&self) -> &str {
        match (&self.source, &self.docusaurus) {
            (ConfigSource::Docusaurus, Some(docs)) => &docs.config_file,
            (ConfigSource::MkDocs, _) => mkdocs::MKDOCS_FILE,
            _ => CONFIG_FILE,
        }
    }

    /// Folders and files, relative to the site root, that a build reads besides the
    /// configuration file, the content directory, `templates/` and `static/`: a
    /// Docusaurus site's versioned docs and sidebars.
    pub fn other_inputs(&self) -> Vec<String> {
        let Some(docs) = &self.docusaurus else {
            return Vec::new();
        };
        let mut inputs: Vec<String> = docs.roots.iter().map(|root| root.folder.clone()).collect();
        inputs.push("versioned_sidebars".to_string());
        inputs
    }

    /// Loads `<site_root>/ssg.toml`; without one, `mkdocs.yml`, else a Docusaurus
    /// configuration; without any, the defaults.
    pub fn load(site_root: &Path) -> Result<Config, ConfigError> {
        let file = site_root.join(CONFIG_FILE);
        if !file.exists() {
            let mkdocs_file = site_root.join(mkdocs::MKDOCS_FILE);
            if let Ok(text) = std::fs::read_to_string(&mkdocs_file) {
                return mkdocs::from_mkdocs_yml(&text, &mkdocs_file);
            }
            if let Some(docusaurus_file) = docusaurus::DOCUSAURUS_FILES
                .iter()
                .map(|name| site_root.join(name))
                .find(|path| path.is_file())
            {
                return docusaurus::from_docusaurus(site_root, &docusaurus_file);
            }
        }
        match std::fs::read(&file) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Config::from_toml_str(&text, &file),
                Err(error) => Err(ConfigError {
                    line: Some(line_of_utf8_error(error.as_bytes(), error.utf8_error())),
                    message: "the file is not valid UTF-8".to_string(),
                    hint: Some("save ssg.toml as UTF-8".to_string()),
                    file,
                }),
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(error) => Err(ConfigError {
                file,
                line: None,
                message: format!("cannot read the configuration: {error}"),
                hint: None,
            }),
        }
    }

    /// Parses the text of a configuration file; `file` is only used to name it in errors.
    pub fn from_toml_str(text: &str, file: &Path) -> Result<Config, ConfigError> {
        // A BOM is not TOML, but editors on Windows add one; it takes no line, so spans
        // past it still give the right line numbers.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let error_at = |offset: Option<usize>, message: String, hint: Option<String>| ConfigError {
            file: file.to_path_buf(),
            line: offset.map(|offset| keys::line_of(text, offset)),
            message,
            hint,
        };

        let document = toml::de::DeTable::parse(text).map_err(|error| {
            error_at(
                error.span().map(|span| span.start),
                format!("invalid TOML: {}", error.message().trim_end()),
                Some("see https://toml.io for the syntax; strings need quotes".to_string()),
            )
        })?;
        let mut unknown: Vec<Vec<Segment>> = Vec::new();
        let deserializer = toml::de::Deserializer::from(document.clone());
        let raw: RawConfig = serde_ignored::deserialize(deserializer, |path| {
            unknown.push(keys::segments_of(&path));
        })
        .map_err(|error| {
            let offset = error.span().map(|span| span.start);
            let path = offset
                .map(|offset| keys::path_at(document.get_ref(), offset))
                .unwrap_or_default();
            let (message, hint) = keys::describe_type_error(error.message(), &path);
            error_at(offset, message, hint)
        })?;

        let mut located: Vec<(Option<usize>, Vec<Segment>)> = unknown
            .into_iter()
            .map(|path| {
                (
                    keys::key_span(document.get_ref(), &path).map(|span| span.start),
                    path,
                )
            })
            .collect();
        located.sort_by_key(|(offset, _)| offset.unwrap_or(usize::MAX));
        if let Some((offset, path)) = located.first() {
            let (message, hint) = keys::describe_unknown_key(path, located.len());
            return Err(error_at(*offset, message, hint));
        }

        raw.validate()
            .map_err(|invalid| error_at(Some(invalid.offset), invalid.message, invalid.hint))
    }
}

/// Whether a file of this name in the site root configures the site: `ssg.toml`,
/// `mkdocs.yml`, a Docusaurus configuration, `sidebars.json` or `versions.json`.
pub fn is_config_file_name(name: &str) -> bool {
    name == CONFIG_FILE
        || name == mkdocs::MKDOCS_FILE
        || docusaurus::DOCUSAURUS_FILES.contains(&name)
        || name == "sidebars.json"
        || name == "versions.json"
}

/// 1-based line of the first invalid UTF-8 byte.
fn line_of_utf8_error(bytes: &[u8], error: std::str::Utf8Error) -> u32 {
    let valid = &bytes[..error.valid_up_to()];
    let newlines = valid.iter().filter(|&&byte| byte == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a snippet of `ssg.toml` should give: the defaults changed by a function, or the
    /// full error text (`ssg.toml:LINE: message`, then the hint line if any).
    enum Expected {
        Config(fn(&mut Config)),
        Error(&'static str),
    }

    fn check(toml: &str, expected: Expected) {
        let actual = Config::from_toml_str(toml, Path::new("ssg.toml"));
        match expected {
            Expected::Config(change) => {
                let mut config = Config::default();
                change(&mut config);
                assert_eq!(actual, Ok(config), "for:\n{toml}");
            }
            Expected::Error(text) => match actual {
                Err(error) => assert_eq!(error.to_string(), text, "for:\n{toml}"),
                Ok(config) => panic!("expected an error for:\n{toml}\ngot {config:#?}"),
            },
        }
    }

    #[test]
    fn valid_configs() {
        use Expected::Config;
        let cases: Vec<(&str, Expected)> = vec![
            ("", Config(|_| {})),
            ("# only a comment\n", Config(|_| {})),
            ("\u{feff}title = 'X'\n", Config(|c| c.title = "X".into())),
            (
                "title = 'Guide'\ndescription = 'All of it'\nlanguage = 'pt-BR'\n",
                Config(|c| {
                    c.title = "Guide".into();
                    c.description = Some("All of it".into());
                    c.language = "pt-BR".into();
                }),
            ),
            (
                "base_url = 'https://example.org'",
                Config(|c| c.base_url = "https://example.org/".into()),
            ),
            (
                "base_url = 'https://example.org/docs/'",
                Config(|c| c.base_url = "https://example.org/docs/".into()),
            ),
            (
                "base_url = 'http://localhost:1111/x'",
                Config(|c| c.base_url = "http://localhost:1111/x/".into()),
            ),
            (
                "base_url = '/docs'",
                Config(|c| c.base_url = "/docs/".into()),
            ),
            (
                "[build]\ncontent_dir = 'docs/'\noutput_dir = '../dist'\npaginate = 25\n",
                Config(|c| {
                    c.build.content_dir = "docs".into();
                    c.build.output_dir = "../dist".into();
                    c.build.paginate = 25;
                }),
            ),
            ("build.paginate = 1", Config(|c| c.build.paginate = 1)),
            (
                "[build]\ncache_url = 's3://docs-cache/ci'\n",
                Config(|c| {
                    c.build.cache_url = Some(crate::cache_url::CacheUrl::S3 {
                        bucket: "docs-cache".into(),
                        prefix: "ci".into(),
                    })
                }),
            ),
            (
                "[[autodoc.inventories]]\nurl = 'https://docs.python.org/3/objects.inv'\n\
                 [[autodoc.inventories]]\npath = './inv/../inv/click.inv'\nbase_url = 'https://click.palletsprojects.com/en/8.1.x'\n",
                Config(|c| {
                    c.autodoc_inventories = vec![
                        InventoryConfig {
                            source: InventorySource::Url(
                                "https://docs.python.org/3/objects.inv".into(),
                            ),
                            base_url: "https://docs.python.org/3/".into(),
                        },
                        InventoryConfig {
                            source: InventorySource::Path("inv/click.inv".into()),
                            base_url: "https://click.palletsprojects.com/en/8.1.x/".into(),
                        },
                    ]
                }),
            ),
            (
                "[[autodoc.python]]\nname = 'click'\npath = '../src/./click/'\n\
                 source_url = 'https://github.com/pallets/click/blob/8.1.7/src/{path}#L{line}-L{end_line}'\n\
                 [[autodoc.python]]\nname = 'abs'\npath = '/opt/x/../lib/abs'\n",
                Config(|c| {
                    c.autodoc_python = vec![
                        PythonPackageConfig {
                            name: "click".into(),
                            path: "../src/click".into(),
                            url: "/api/".into(),
                            include_private: false,
                            merge_init_into_class: false,
                            source_url: Some(
                                "https://github.com/pallets/click/blob/8.1.7/src/{path}#L{line}-L{end_line}"
                                    .into(),
                            ),
                        },
                        PythonPackageConfig {
                            name: "abs".into(),
                            path: "/opt/lib/abs".into(),
                            url: "/api/".into(),
                            include_private: false,
                            merge_init_into_class: false,
                            source_url: None,
                        },
                    ]
                }),
            ),
            (
                "[build]\nignored_content = ['drafts/', '!drafts/keep.md']\n",
                Config(|c| {
                    c.build.ignored_content = vec!["drafts/".into(), "!drafts/keep.md".into()]
                }),
            ),
            (
                "[[autodoc.python]]\nname = 'mypkg'\npath = './src/mypkg/'\n",
                Config(|c| {
                    c.autodoc_python = vec![PythonPackageConfig {
                        name: "mypkg".into(),
                        path: "src/mypkg".into(),
                        url: "/api/".into(),
                        include_private: false,
                        merge_init_into_class: false,
                        source_url: None,
                    }]
                }),
            ),
            (
                "[[autodoc.python]]\nname = 'a.b_c'\npath = 'x/../lib/a'\nurl = 'reference'\ninclude_private = true\n\
                 merge_init_into_class = true\n[[autodoc.python]]\nname = 'cli'\npath = 'cli'\nurl = '/'\n",
                Config(|c| {
                    c.autodoc_python = vec![
                        PythonPackageConfig {
                            name: "a.b_c".into(),
                            path: "lib/a".into(),
                            url: "/reference/".into(),
                            include_private: true,
                            merge_init_into_class: true,
                            source_url: None,
                        },
                        PythonPackageConfig {
                            name: "cli".into(),
                            path: "cli".into(),
                            url: "/".into(),
                            include_private: false,
                            merge_init_into_class: false,
                            source_url: None,
                        },
                    ]
                }),
            ),
            (
                "[taxonomies]\ntags = false\n[outputs]\nrss = false\nsearch_index = false\n",
                Config(|c| {
                    c.taxonomies.tags = false;
                    c.outputs.rss = false;
                    c.outputs.search_index = false;
                }),
            ),
            (
                "[extra]\nsocial = { github = 'x' }\nsince = 2019-05-27\n",
                Config(|c| {
                    c.extra = serde_json::json!({"social": {"github": "x"}, "since": "2019-05-27"})
                        .as_object()
                        .cloned()
                        .unwrap_or_default()
                }),
            ),
            (
                "[outputs]\ntxt = false\nllm_full = false\n",
                Config(|c| {
                    c.outputs.txt = false;
                    c.outputs.llm_full = false;
                }),
            ),
        ];
        for (toml, expected) in cases {
            check(toml, expected);
        }
    }

    #[test]
    fn invalid_configs() {
        use Expected::Error;
        let cases: &[(&str, &str)] = &[
            (
                "title = 'x'\n\ntitel = 'y'\n",
                "ssg.toml:3: unknown key `titel` (did you mean `title`?)",
            ),
            (
                "title = 'x'\n\n[build]\npaginate = 3\n\n\noutptu_dir = 'out'\n",
                "ssg.toml:7: unknown key `outptu_dir` in [build] (did you mean `output_dir`?)",
            ),
            (
                "theme = 'dark'\n",
                "ssg.toml:1: unknown key `theme`\n  hint: valid keys in the top level: title, base_url, description, language, build, autodoc, taxonomies, outputs, versions, markdown, extra",
            ),
            (
                "[biuld]\npaginate = 3\n",
                "ssg.toml:1: unknown key `biuld` (did you mean `build`?)",
            ),
            (
                "[[autodoc.python]]\nname = 'a'\npath = 'a'\n[[autodoc.python]]\nname = 'b'\npath = 'b'\nincude_private = true\n",
                "ssg.toml:7: unknown key `incude_private` in [[autodoc.python]] (did you mean `include_private`?)",
            ),
            (
                "[outputs]\nrss = true\nfeed = true\n",
                "ssg.toml:3: unknown key `feed` in [outputs]\n  hint: valid keys in [outputs]: html, json, txt, sitemap, search_index, rss, llm_full",
            ),
            (
                "zzz = 1\nttle = 'x'\n",
                "ssg.toml:1: unknown key `zzz`\n  hint: valid keys in the top level: title, base_url, description, language, build, autodoc, taxonomies, outputs, versions, markdown, extra; 1 more unknown key follows",
            ),
            (
                "title = 5\n",
                "ssg.toml:1: `title`: expected a string, found integer `5`",
            ),
            (
                "[build]\npaginate = 'ten'\n",
                "ssg.toml:2: `paginate` in [build]: expected an integer, found string \"ten\"",
            ),
            (
                "[outputs]\nhtml = 'yes'\n",
                "ssg.toml:2: `html` in [outputs]: expected a boolean, found string \"yes\"",
            ),
            (
                "build = 3\n",
                "ssg.toml:1: `build`: expected a table, found integer `3`",
            ),
            (
                "[autodoc.python]\nname = 'x'\n",
                "ssg.toml:1: `python` in [autodoc]: expected an array, found a table",
            ),
            (
                "\n[[autodoc.python]]\npath = 'src'\n",
                "ssg.toml:2: missing key `name` in [[autodoc.python]]\n  hint: every [[autodoc.python]] entry needs `name` (the import name, `mypkg`) and `path` (the package folder, `src/mypkg`)",
            ),
            (
                "title = \n",
                "ssg.toml:1: invalid TOML: string values must be quoted, expected literal string\n  hint: see https://toml.io for the syntax; strings need quotes",
            ),
            (
                "title = 'a'\ntitle = 'b'\n",
                "ssg.toml:2: invalid TOML: duplicate key\n  hint: see https://toml.io for the syntax; strings need quotes",
            ),
            (
                "base_url = 'example.org'\n",
                "ssg.toml:1: invalid `base_url` `example.org`\n  hint: use an absolute URL such as `https://example.org/docs/`, or a path such as `/docs/`",
            ),
            (
                "base_url = 'ftp://example.org/'\n",
                "ssg.toml:1: invalid `base_url` `ftp://example.org/`\n  hint: use an absolute URL such as `https://example.org/docs/`, or a path such as `/docs/`",
            ),
            (
                "base_url = 'https://'\n",
                "ssg.toml:1: invalid `base_url` `https://`\n  hint: use an absolute URL such as `https://example.org/docs/`, or a path such as `/docs/`",
            ),
            (
                "language = 'en us'\n",
                "ssg.toml:1: invalid `language` `en us`\n  hint: use a language tag such as `en` or `pt-BR`",
            ),
            (
                "[build]\nignored_content = ['ok/', '[z-a]']\n",
                "ssg.toml:2: invalid pattern in `ignored_content` in [build]: error parsing glob '[z-a]': invalid range; 'z' > 'a'\n  hint: use gitignore patterns relative to the content folder, such as `drafts/` or `**/*.tmp.md`",
            ),
            (
                "[build]\ncache_url = 'ftp://cache/x'\n",
                "ssg.toml:2: `cache_url` in [build]: `ftp://cache/x` is not a cache URL: use http://host/path, https://host/path or s3://bucket/prefix\n  hint: name a shared shard cache, such as `http://cache.internal:8080/ssg` or `s3://bucket/ssg`, or remove the key",
            ),
            (
                "[build]\npaginate = 0\n",
                "ssg.toml:2: `paginate` in [build] must be at least 1, not 0\n  hint: it is the number of entries per listing page, such as 10",
            ),
            (
                "[build]\ncontent_dir = 'docs'\noutput_dir = 'docs/'\n",
                "ssg.toml:3: `output_dir` in [build] cannot be `docs`: the build would overwrite the site's sources\n  hint: use a folder of its own, such as `public`",
            ),
            (
                "[[autodoc.python]]\nname = 'my-pkg'\npath = 'src'\n",
                "ssg.toml:2: `name` in [[autodoc.python]] must be a Python import name, not `my-pkg`\n  hint: use the dotted name you would import, such as `mypkg` or `mypkg.sub`",
            ),
            (
                "[[autodoc.inventories]]\npath = 'x.inv'\n",
                "ssg.toml:1: [[autodoc.inventories]] with `path` needs `base_url`, what the inventory's links are relative to\n  hint: write `url = \"https://docs.python.org/3/objects.inv\"`, or `path = \"x.inv\"` with `base_url = \"https://docs.python.org/3/\"`",
            ),
            (
                "[[autodoc.inventories]]\nbase_url = 'https://x.org/'\n",
                "ssg.toml:1: [[autodoc.inventories]] needs one of `url` and `path`\n  hint: write `url = \"https://docs.python.org/3/objects.inv\"`, or `path = \"x.inv\"` with `base_url = \"https://docs.python.org/3/\"`",
            ),
            (
                "[[autodoc.inventories]]\nurl = 'ftp://x.org/objects.inv'\n",
                "ssg.toml:2: `url` in [[autodoc.inventories]] must be an http(s) URL, not `ftp://x.org/objects.inv`\n  hint: write `url = \"https://docs.python.org/3/objects.inv\"`, or `path = \"x.inv\"` with `base_url = \"https://docs.python.org/3/\"`",
            ),
            (
                "[[autodoc.python]]\nname = 'pkg'\npath = ' '\n",
                "ssg.toml:3: `path` in [[autodoc.python]] is empty\n  hint: give the package folder relative to the site root, such as `src/mypkg` or `../src/mypkg`",
            ),
            (
                "[[autodoc.python]]\nname = 'pkg'\npath = 'a'\nsource_url = 'https://x.org/{path}#L{lines}'\n",
                "ssg.toml:4: `source_url` in [[autodoc.python]] has an unknown placeholder `{lines}`\n  hint: the placeholders are {path}, {line} and {end_line}: https://github.com/o/r/blob/v1/src/{path}#L{line}-L{end_line}",
            ),
            (
                "[[autodoc.python]]\nname = 'pkg'\npath = 'a'\nsource_url = 'https://x.org/{path'\n",
                "ssg.toml:4: `source_url` in [[autodoc.python]] has an unclosed `{`\n  hint: the placeholders are {path}, {line} and {end_line}: https://github.com/o/r/blob/v1/src/{path}#L{line}-L{end_line}",
            ),
            (
                "[[autodoc.python]]\nname = 'pkg'\npath = 'a'\nsource_url = 'src/{path}'\n",
                "ssg.toml:4: `source_url` in [[autodoc.python]] must be an http(s) URL, not `src/{path}`\n  hint: the placeholders are {path}, {line} and {end_line}: https://github.com/o/r/blob/v1/src/{path}#L{line}-L{end_line}",
            ),
            (
                "[[autodoc.python]]\nname = 'pkg'\npath = 'a'\nurl = 'https://x.org/api'\n",
                "ssg.toml:4: `url` in [[autodoc.python]] must be a URL path, not `https://x.org/api`\n  hint: use a path such as `/api/`",
            ),
            (
                "[[autodoc.python]]\nname = 'pkg'\npath = 'a'\n[[autodoc.python]]\nname = 'pkg'\npath = 'b'\n",
                "ssg.toml:5: package `pkg` is listed twice in [[autodoc.python]]\n  hint: remove one of the two entries",
            ),
            (
                "[outputs]\ntxt = false\n",
                "ssg.toml:2: `llm_full` in [outputs] needs `txt`: llm-full.txt is built from the per-page text files\n  hint: set `txt = true`, or add `llm_full = false` to [outputs]",
            ),
            (
                "[outputs]\ntxt = false\nllm_full = true\n",
                "ssg.toml:3: `llm_full` in [outputs] needs `txt`: llm-full.txt is built from the per-page text files\n  hint: set `txt = true`, or add `llm_full = false` to [outputs]",
            ),
        ];
        for (toml, text) in cases {
            check(toml, Error(text));
        }
    }

    /// The key lists used for suggestions must be exactly the keys serde accepts, or a valid
    /// key would be reported as unknown (or a suggestion would name a key that is refused).
    #[test]
    fn key_lists_match_the_accepted_keys() {
        let value_for = |header: &str, key: &str| match key {
            "url" if header.contains("inventories") => "'https://x.org/objects.inv'",
            "build" | "autodoc" | "taxonomies" | "outputs" | "versions" | "labels" | "markdown"
            | "extra" => "{}",
            "snippet_base_paths" => "['docs']",
            "ignored_content" => "['drafts/', '*.tmp.md']",
            "dialect" => "'mkdocs'",
            "framework" => "'click'",
            "latest_at_root" => "false",
            "base_url" => "'/'",
            "paginate" => "3",
            "cache_url" => "'http://127.0.0.1:1/x'",
            "url" => "'/x/'",
            "source_url" => "'https://x.org/{path}'",
            "include_private" | "merge_init_into_class" | "tags" | "categories" => "true",
            table_key if keys::OUTPUTS_KEYS.contains(&table_key) => "true",
            _ => "'x'",
        };
        let tables: [(&str, &[&str]); 10] = [
            (
                "[[autodoc.cli]]\nname = 'p'\npath = 'p.py'\nobject = 'cli'\n",
                keys::CLI_KEYS,
            ),
            (
                "[[autodoc.openapi]]\nname = 'p'\npath = 'p.yaml'\n",
                keys::OPENAPI_KEYS,
            ),
            (
                "[[autodoc.inventories]]\nbase_url = 'https://x.org/'\n",
                keys::INVENTORY_KEYS,
            ),
            ("[markdown]\n", keys::MARKDOWN_KEYS),
            ("", keys::TOP_KEYS),
            ("[build]\n", keys::BUILD_KEYS),
            ("[taxonomies]\n", keys::TAXONOMIES_KEYS),
            ("[outputs]\n", keys::OUTPUTS_KEYS),
            ("[versions]\n", keys::VERSIONS_KEYS),
            (
                "[[autodoc.python]]\nname = 'p'\npath = 'p'\n",
                keys::PYTHON_KEYS,
            ),
        ];
        for (header, keys) in tables {
            for key in keys
                .iter()
                .filter(|key| !header.contains(&format!("{key} =")))
            {
                let toml = format!("{header}{key} = {}\n", value_for(header, key));
                if let Err(error) = Config::from_toml_str(&toml, Path::new("ssg.toml")) {
                    panic!("valid key refused:\n{toml}\n{error}");
                }
            }
        }
        assert_eq!(
            Config::from_toml_str("autodoc.python = []", Path::new("ssg.toml")),
            Ok(Config::default())
        );
    }

    #[test]
    fn missing_file_gives_defaults_and_errors_name_the_file() {
        let site = tempfile::tempdir().unwrap();
        assert_eq!(Config::load(site.path()), Ok(Config::default()));
        std::fs::write(
            site.path().join("ssg.toml"),
            "title = 'Site'\n[build]\npagenate = 3\n",
        )
        .unwrap();
        let error = Config::load(site.path()).unwrap_err();
        assert_eq!(error.file, site.path().join("ssg.toml"));
        assert_eq!(error.line, Some(3));
        assert!(
            error
                .to_string()
                .starts_with(&format!("{}:3: ", site.path().join("ssg.toml").display()))
        );
        std::fs::write(
            site.path().join("ssg.toml"),
            b"title = 'a'\ndescription = '\xff'\n",
        )
        .unwrap();
        let error = Config::load(site.path()).unwrap_err();
        assert_eq!(
            (error.line, error.message.as_str()),
            (Some(2), "the file is not valid UTF-8")
        );
    }
}
