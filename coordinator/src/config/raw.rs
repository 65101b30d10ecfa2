//! `ssg.toml` as written (the private `Raw*` types, the only place serde touches the
//! configuration) and its validation into [`Config`].
//!
//! Values that need checking beyond their type keep their span, so that a bad value is
//! reported on its own line; validated values are normalised here once (`base_url` and
//! autodoc URLs end with `/`, package paths lose `.` and trailing slashes).

use super::{
    BuildConfig, CliConfig, Config, InventoryConfig, InventorySource, MarkdownConfig,
    OpenApiConfig, OutputsConfig, PythonPackageConfig, TaxonomiesConfig, VersionsConfig,
};
use serde::Deserialize;
use std::path::{Component, Path};
use toml::Spanned;

mod sources;

/// A value of the right type that is still unusable, at a byte offset of the file.
pub(super) struct Invalid {
    pub(super) offset: usize,
    pub(super) message: String,
    pub(super) hint: Option<String>,
}

impl Invalid {
    fn at<T>(value: &Spanned<T>, message: String, hint: &str) -> Invalid {
        Invalid {
            offset: value.span().start,
            message,
            hint: Some(hint.to_string()),
        }
    }
}

/// `ssg.toml` as written. Values that need validation keep their span for the error line.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RawConfig {
    title: Option<String>,
    base_url: Option<Spanned<String>>,
    description: Option<String>,
    language: Option<Spanned<String>>,
    build: RawBuild,
    autodoc: RawAutodoc,
    taxonomies: RawTaxonomies,
    outputs: RawOutputs,
    versions: RawVersions,
    markdown: RawMarkdown,
    /// Free-form: any keys, for templates.
    extra: toml::Table,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawMarkdown {
    dialect: Option<Spanned<String>>,
    snippet_base_paths: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawVersions {
    latest: Option<Spanned<String>>,
    latest_at_root: Option<bool>,
    labels: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawBuild {
    content_dir: Option<Spanned<String>>,
    output_dir: Option<Spanned<String>>,
    paginate: Option<Spanned<i64>>,
    ignored_content: Vec<Spanned<String>>,
    cache_url: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawAutodoc {
    python: Vec<RawPythonPackage>,
    inventories: Vec<Spanned<RawInventory>>,
    openapi: Vec<sources::RawOpenApi>,
    cli: Vec<sources::RawCli>,
}

#[derive(Debug, Deserialize)]
struct RawInventory {
    #[serde(default)]
    url: Option<Spanned<String>>,
    #[serde(default)]
    path: Option<Spanned<String>>,
    #[serde(default)]
    base_url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
struct RawPythonPackage {
    name: Spanned<String>,
    path: Spanned<String>,
    #[serde(default)]
    url: Option<Spanned<String>>,
    #[serde(default)]
    include_private: bool,
    #[serde(default)]
    merge_init_into_class: bool,
    #[serde(default)]
    source_url: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawTaxonomies {
    tags: Option<bool>,
    categories: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawOutputs {
    html: Option<bool>,
    json: Option<bool>,
    txt: Option<Spanned<bool>>,
    sitemap: Option<bool>,
    search_index: Option<bool>,
    rss: Option<bool>,
    llm_full: Option<Spanned<bool>>,
}

impl RawConfig {
    pub(super) fn validate(self) -> Result<Config, Invalid> {
        let defaults = Config::default();
        let base_url = match self.base_url {
            Some(base_url) => validate_base_url(&base_url)?,
            None => defaults.base_url,
        };
        let language = match self.language {
            Some(language) => validate_language(&language)?,
            None => defaults.language,
        };
        let mut autodoc_python: Vec<PythonPackageConfig> = Vec::new();
        for raw in self.autodoc.python {
            let name_offset = raw.name.span().start;
            let package = raw.validate()?;
            if autodoc_python.iter().any(|seen| seen.name == package.name) {
                return Err(Invalid {
                    offset: name_offset,
                    message: format!(
                        "package `{}` is listed twice in [[autodoc.python]]",
                        package.name
                    ),
                    hint: Some("remove one of the two entries".to_string()),
                });
            }
            autodoc_python.push(package);
        }
        let mut autodoc_openapi: Vec<OpenApiConfig> = Vec::new();
        for raw in self.autodoc.openapi {
            let name_offset = raw.name.span().start;
            let description = raw.validate()?;
            if let Some(taken) = autodoc_openapi
                .iter()
                .find(|seen| seen.name == description.name || seen.url == description.url)
            {
                let what = if taken.name == description.name {
                    format!("name `{}`", description.name)
                } else {
                    format!("url `{}`", description.url)
                };
                return Err(Invalid {
                    offset: name_offset,
                    message: format!("two [[autodoc.openapi]] entries have the {what}"),
                    hint: Some("give each description its own `name` and `url`".to_string()),
                });
            }
            autodoc_openapi.push(description);
        }
        let mut autodoc_cli: Vec<CliConfig> = Vec::new();
        for raw in self.autodoc.cli {
            let name_offset = raw.name.span().start;
            let cli = raw.validate()?;
            if autodoc_cli
                .iter()
                .any(|seen| seen.name == cli.name || seen.url == cli.url)
            {
                return Err(Invalid {
                    offset: name_offset,
                    message: format!(
                        "two [[autodoc.cli]] entries have the name `{}` or the url `{}`",
                        cli.name, cli.url
                    ),
                    hint: Some("give each CLI its own `name` and `url`".to_string()),
                });
            }
            autodoc_cli.push(cli);
        }
        let autodoc_inventories = self
            .autodoc
            .inventories
            .iter()
            .map(validate_inventory)
            .collect::<Result<_, _>>()?;
        Ok(Config {
            title: self.title.unwrap_or(defaults.title),
            base_url,
            description: self.description,
            language,
            build: self.build.validate()?,
            autodoc_python,
            autodoc_inventories,
            autodoc_openapi,
            autodoc_cli,
            taxonomies: TaxonomiesConfig {
                tags: self.taxonomies.tags.unwrap_or(true),
                categories: self.taxonomies.categories.unwrap_or(true),
            },
            outputs: self.outputs.validate()?,
            versions: self.versions.validate()?,
            markdown: self.markdown.validate()?,
            extra: self
                .extra
                .into_iter()
                .map(|(key, value)| (key, toml_to_json(value)))
                .collect(),
            ..defaults
        })
    }
}

impl RawMarkdown {
    fn validate(self) -> Result<MarkdownConfig, Invalid> {
        // (mkdocs, mdx)
        let (mkdocs, mdx) = match &self.dialect {
            None => (false, false),
            Some(dialect) => match dialect.get_ref().as_str() {
                "default" => (false, false),
                "mkdocs" => (true, false),
                "docusaurus" => (false, true),
                other => {
                    return Err(Invalid::at(
                        dialect,
                        format!("unknown markdown dialect `{other}`"),
                        "write `dialect = \"default\"`, `\"mkdocs\"` or `\"docusaurus\"`",
                    ));
                }
            },
        };
        let snippet_base_paths = match self.snippet_base_paths {
            None => MarkdownConfig::default().snippet_base_paths,
            Some(paths) => paths
                .iter()
                .map(|path| {
                    let value = path.get_ref().trim().trim_end_matches('/');
                    let escapes = Path::new(value)
                        .components()
                        .any(|part| !matches!(part, Component::Normal(_) | Component::CurDir));
                    if value.is_empty() || escapes {
                        return Err(Invalid::at(
                            path,
                            format!(
                                "`snippet_base_paths` in [markdown] must name folders inside \
                                 the site, but `{value}` does not"
                            ),
                            "give folders relative to the site root, such as `docs` or `.`",
                        ));
                    }
                    Ok(value.to_string())
                })
                .collect::<Result<_, _>>()?,
        };
        Ok(MarkdownConfig {
            mkdocs,
            mdx,
            snippet_base_paths,
        })
    }
}

impl RawBuild {
    fn validate(self) -> Result<BuildConfig, Invalid> {
        let defaults = BuildConfig::default();
        let content_dir = match self.content_dir {
            Some(dir) => validate_dir(&dir, "content_dir")?,
            None => defaults.content_dir,
        };
        let output_dir = match self.output_dir {
            Some(dir) => {
                let output_dir = validate_dir(&dir, "output_dir")?;
                // The output folder is cleaned and rewritten by every build; pointing it at
                // the sources would destroy them.
                let normalised = output_dir.trim_end_matches('/');
                if normalised == "." || normalised == content_dir.trim_end_matches('/') {
                    return Err(Invalid::at(
                        &dir,
                        format!(
                            "`output_dir` in [build] cannot be `{output_dir}`: the build would overwrite the site's sources"
                        ),
                        "use a folder of its own, such as `public`",
                    ));
                }
                output_dir
            }
            None => defaults.output_dir,
        };
        let paginate = match self.paginate {
            Some(paginate) => match u32::try_from(*paginate.get_ref()) {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(Invalid::at(
                        &paginate,
                        format!(
                            "`paginate` in [build] must be at least 1, not {}",
                            paginate.get_ref()
                        ),
                        "it is the number of entries per listing page, such as 10",
                    ));
                }
            },
            None => defaults.paginate,
        };
        let mut ignored_content = Vec::with_capacity(self.ignored_content.len());
        for pattern in &self.ignored_content {
            if let Err(why) = super::IgnoredContent::check_pattern(pattern.get_ref()) {
                return Err(Invalid::at(
                    pattern,
                    format!("invalid pattern in `ignored_content` in [build]: {why}"),
                    "use gitignore patterns relative to the content folder, such as `drafts/` or `**/*.tmp.md`",
                ));
            }
            ignored_content.push(pattern.get_ref().clone());
        }
        let cache_url = match &self.cache_url {
            Some(url) => Some(crate::cache_url::CacheUrl::parse(url.get_ref()).map_err(|why| {
                Invalid::at(
                    url,
                    format!("`cache_url` in [build]: {why}"),
                    "name a shared shard cache, such as `http://cache.internal:8080/ssg` or `s3://bucket/ssg`, or remove the key",
                )
            })?),
            None => None,
        };
        Ok(BuildConfig {
            content_dir,
            output_dir,
            paginate,
            ignored_content,
            url_style: super::UrlStyle::Folders,
            cache_url,
        })
    }
}

impl RawPythonPackage {
    fn validate(self) -> Result<PythonPackageConfig, Invalid> {
        let name = self.name.get_ref().trim();
        let is_identifier = |part: &str| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|first| first == '_' || first.is_alphabetic())
                && chars.all(|ch| ch == '_' || ch.is_alphanumeric())
        };
        if !name.split('.').all(is_identifier) {
            return Err(Invalid::at(
                &self.name,
                format!("`name` in [[autodoc.python]] must be a Python import name, not `{name}`"),
                "use the dotted name you would import, such as `mypkg` or `mypkg.sub`",
            ));
        }
        let path = validate_package_path(&self.path)?;
        let url = match self.url {
            Some(url) => validate_url_prefix(&url)?,
            None => "/api/".to_string(),
        };
        Ok(PythonPackageConfig {
            name: name.to_string(),
            path,
            url,
            include_private: self.include_private,
            merge_init_into_class: self.merge_init_into_class,
            source_url: self
                .source_url
                .as_ref()
                .map(validate_source_url)
                .transpose()?,
        })
    }
}

impl RawOutputs {
    fn validate(self) -> Result<OutputsConfig, Invalid> {
        let txt = self.txt.as_ref().is_none_or(|txt| *txt.get_ref());
        let llm_full = self
            .llm_full
            .as_ref()
            .is_none_or(|llm_full| *llm_full.get_ref());
        if llm_full && !txt {
            // Point at `llm_full` when it is written out, else at the `txt = false` that
            // turned the default `llm_full` into a contradiction.
            let offset = match (&self.llm_full, &self.txt) {
                (Some(llm_full), _) => llm_full.span().start,
                (None, Some(txt)) => txt.span().start,
                (None, None) => 0,
            };
            return Err(Invalid {
                offset,
                message: "`llm_full` in [outputs] needs `txt`: llm-full.txt is built from the per-page text files".to_string(),
                hint: Some("set `txt = true`, or add `llm_full = false` to [outputs]".to_string()),
            });
        }
        Ok(OutputsConfig {
            html: self.html.unwrap_or(true),
            json: self.json.unwrap_or(true),
            txt,
            sitemap: self.sitemap.unwrap_or(true),
            search_index: self.search_index.unwrap_or(true),
            rss: self.rss.unwrap_or(true),
            llm_full,
        })
    }
}

/// `base_url`: an absolute http(s) URL or a site-absolute path, normalised to end with `/`
/// so that joining a page path never doubles or drops a slash.
fn validate_base_url(base_url: &Spanned<String>) -> Result<String, Invalid> {
    let value = base_url.get_ref().trim();
    let hint =
        "use an absolute URL such as `https://example.org/docs/`, or a path such as `/docs/`";
    let host_and_path = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let valid = match host_and_path {
        Some(rest) => !rest.is_empty() && !rest.starts_with('/'),
        None => value.starts_with('/') && !value.starts_with("//"),
    };
    if !valid
        || value
            .chars()
            .any(|ch| ch.is_whitespace() || ch == '?' || ch == '#')
    {
        return Err(Invalid::at(
            base_url,
            format!("invalid `base_url` `{value}`"),
            hint,
        ));
    }
    Ok(with_trailing_slash(value))
}

/// `language`: a language tag (`en`, `pt-BR`), which goes into `<html lang>` and feeds.
fn validate_language(language: &Spanned<String>) -> Result<String, Invalid> {
    let value = language.get_ref().trim();
    let valid = !value.is_empty()
        && value
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|ch| ch.is_ascii_alphanumeric()));
    if !valid {
        return Err(Invalid::at(
            language,
            format!("invalid `language` `{value}`"),
            "use a language tag such as `en` or `pt-BR`",
        ));
    }
    Ok(value.to_string())
}

/// `content_dir` / `output_dir`: any non-empty path (an output folder outside the site is
/// common in CI), without a trailing slash.
fn validate_dir(dir: &Spanned<String>, key: &str) -> Result<String, Invalid> {
    let value = dir.get_ref().trim();
    if value.is_empty() {
        return Err(Invalid::at(
            dir,
            format!("`{key}` in [build] cannot be empty"),
            "name a folder relative to the site root",
        ));
    }
    let trimmed = value.trim_end_matches('/');
    Ok(if trimmed.is_empty() {
        value.to_string()
    } else {
        trimmed.to_string()
    })
}

/// An autodoc package `path`: relative to the site root and staying inside it, normalised
/// to `/`-separated components without `.`.
fn validate_package_path(path: &Spanned<String>) -> Result<String, Invalid> {
    let value = path.get_ref().trim();
    if value.is_empty() {
        return Err(Invalid::at(
            path,
            "`path` in [[autodoc.python]] is empty".to_string(),
            "give the package folder relative to the site root, such as `src/mypkg` or `../src/mypkg`",
        ));
    }
    // Normalised lexically: `.` parts dropped, `a/..` folded, leading `..` kept (the
    // package may sit beside the site, `docs/` next to `src/mypkg`). Only read, never written.
    let mut absolute = false;
    let mut parts: Vec<String> = Vec::new();
    for component in Path::new(value).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|last| last != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..".to_string());
                }
            }
            Component::RootDir | Component::Prefix(_) => absolute = true,
        }
    }
    let joined = parts.join("/");
    Ok(if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    })
}

/// An `[[autodoc.inventories]]` entry: `url`, or `path` with `base_url`.
fn validate_inventory(raw: &Spanned<RawInventory>) -> Result<InventoryConfig, Invalid> {
    let hint = "write `url = \"https://docs.python.org/3/objects.inv\"`, or `path = \"x.inv\"` \
                with `base_url = \"https://docs.python.org/3/\"`";
    let inventory = raw.get_ref();
    let http_url = |value: &Spanned<String>, key: &str| {
        let text = value.get_ref().trim();
        let valid = (text.starts_with("https://") || text.starts_with("http://"))
            && !text.chars().any(char::is_whitespace);
        if valid {
            Ok(text.to_string())
        } else {
            Err(Invalid::at(
                value,
                format!("`{key}` in [[autodoc.inventories]] must be an http(s) URL, not `{text}`"),
                hint,
            ))
        }
    };
    let base_url = match &inventory.base_url {
        Some(base_url) => {
            let base = http_url(base_url, "base_url")?;
            Some(if base.ends_with('/') {
                base
            } else {
                format!("{base}/")
            })
        }
        None => None,
    };
    match (&inventory.url, &inventory.path) {
        (Some(url), None) => {
            let url = http_url(url, "url")?;
            let folder = match url.rfind('/') {
                Some(slash) if slash >= "https://".len() => url[..=slash].to_string(),
                _ => format!("{url}/"),
            };
            Ok(InventoryConfig {
                base_url: base_url.unwrap_or(folder),
                source: InventorySource::Url(url),
            })
        }
        (None, Some(path)) => {
            let Some(base_url) = base_url else {
                return Err(Invalid::at(
                    raw,
                    "[[autodoc.inventories]] with `path` needs `base_url`, what the inventory's links are relative to".to_string(),
                    hint,
                ));
            };
            let path = validate_package_path(path).map_err(|_| {
                Invalid::at(
                    path,
                    "`path` in [[autodoc.inventories]] is empty".to_string(),
                    hint,
                )
            })?;
            Ok(InventoryConfig {
                source: InventorySource::Path(path),
                base_url,
            })
        }
        (Some(_), Some(path)) => Err(Invalid::at(
            path,
            "[[autodoc.inventories]] has both `url` and `path`; give one".to_string(),
            hint,
        )),
        (None, None) => Err(Invalid::at(
            raw,
            "[[autodoc.inventories]] needs one of `url` and `path`".to_string(),
            hint,
        )),
    }
}

/// The placeholders a `source_url` may use.
pub(crate) const SOURCE_URL_PLACEHOLDERS: &[&str] = &["path", "line", "end_line"];

/// An autodoc `source_url`: an http(s) URL whose `{…}` placeholders are all known.
fn validate_source_url(url: &Spanned<String>) -> Result<String, Invalid> {
    let value = url.get_ref().trim();
    let hint = "the placeholders are {path}, {line} and {end_line}: \
                https://github.com/o/r/blob/v1/src/{path}#L{line}-L{end_line}";
    if !(value.starts_with("https://") || value.starts_with("http://"))
        || value.chars().any(char::is_whitespace)
    {
        return Err(Invalid::at(
            url,
            format!("`source_url` in [[autodoc.python]] must be an http(s) URL, not `{value}`"),
            hint,
        ));
    }
    let mut rest = value;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Err(Invalid::at(
                url,
                "`source_url` in [[autodoc.python]] has an unclosed `{`".to_string(),
                hint,
            ));
        };
        let name = &rest[open + 1..open + close];
        if !SOURCE_URL_PLACEHOLDERS.contains(&name) {
            return Err(Invalid::at(
                url,
                format!(
                    "`source_url` in [[autodoc.python]] has an unknown placeholder `{{{name}}}`"
                ),
                hint,
            ));
        }
        rest = &rest[open + close + 1..];
    }
    Ok(value.to_string())
}

/// An autodoc `url`: a URL path prefix, normalised to start and end with `/`.
fn validate_url_prefix(url: &Spanned<String>) -> Result<String, Invalid> {
    let value = url.get_ref().trim();
    if value.contains("://")
        || value
            .chars()
            .any(|ch| ch.is_whitespace() || ch == '?' || ch == '#')
    {
        return Err(Invalid::at(
            url,
            format!("`url` in [[autodoc.python]] must be a URL path, not `{value}`"),
            "use a path such as `/api/`",
        ));
    }
    let path = value.trim_matches('/');
    Ok(if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    })
}

fn with_trailing_slash(value: &str) -> String {
    if value.ends_with('/') {
        value.to_string()
    } else {
        format!("{value}/")
    }
}

impl RawVersions {
    fn validate(self) -> Result<VersionsConfig, Invalid> {
        let valid_id = |id: &str| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        };
        if let Some(latest) = &self.latest
            && !valid_id(latest.get_ref())
        {
            return Err(Invalid::at(
                latest,
                format!(
                    "`latest` in [versions] is not a version folder name: {:?}",
                    latest.get_ref()
                ),
                "use the name of a folder under content/_versions/ (letters, digits, `.`, `-`, `_`)",
            ));
        }
        Ok(VersionsConfig {
            latest: self.latest.map(Spanned::into_inner),
            latest_at_root: self.latest_at_root.unwrap_or(true),
            labels: self.labels,
        })
    }
}

/// A TOML value as JSON, dates and times as their RFC 3339 text.
fn toml_to_json(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(text) => serde_json::Value::String(text),
        toml::Value::Integer(number) => serde_json::Value::from(number),
        toml::Value::Float(number) => serde_json::Number::from_f64(number)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        toml::Value::Boolean(flag) => serde_json::Value::Bool(flag),
        toml::Value::Datetime(when) => serde_json::Value::String(when.to_string()),
        toml::Value::Array(items) => items.into_iter().map(toml_to_json).collect(),
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .into_iter()
                .map(|(key, value)| (key, toml_to_json(value)))
                .collect(),
        ),
    }
}
