//! Listing the modules of each `[[autodoc.python]]` package from paths alone. Sources are
//! hashed here (for fingerprints) but parsed only by workers; nothing is imported.

use super::walk::relative;
use super::{KnownFiles, LoadError, Site};
use crate::config::{ConfigError, PythonPackageConfig};
use walkdir::WalkDir;

/// One Python module to document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonModule {
    /// Index of its package in `config.autodoc_python`.
    pub package: usize,
    /// Dotted module name (`mypkg.sub.mod`; a package's `__init__.py` is `mypkg.sub`).
    pub name: String,
    /// Source file relative to the site root (`src/mypkg/core.py`, `../src/mypkg/core.py`;
    /// absolute when the package's `path` is).
    pub rel_path: String,
    /// True for `__init__.py`.
    pub is_package: bool,
    /// Hash of the source bytes.
    pub hash: u128,
    /// Size of the source in bytes (expensive pages are scheduled first).
    pub len: u64,
    /// Modification time (nanoseconds since the epoch).
    pub mtime: u128,
}

impl PythonModule {
    /// The module's file from its top package's parent folder (`click/core.py`,
    /// `click/__init__.py`): what `{path}` stands for in a `source_url`.
    pub fn import_path(&self) -> String {
        let folders = self.name.replace('.', "/");
        if self.is_package {
            format!("{folders}/__init__.py")
        } else {
            format!("{folders}.py")
        }
    }

    /// The package's `source_url` with `{path}` filled in for this module; `{line}` and
    /// `{end_line}` are left for the renderer, which knows each object's lines.
    pub fn source_url(&self, package: &PythonPackageConfig) -> Option<String> {
        let template = package.source_url.as_deref()?;
        Some(template.replace("{path}", &self.import_path()))
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Fills `site.modules` from the configured packages.
/// A Python file the walk found to be a module, to be looked at.
struct FoundModule {
    package: usize,
    name: String,
    rel_path: String,
    is_package: bool,
    path: std::path::PathBuf,
}

pub(super) fn discover(site: &mut Site, known: &dyn KnownFiles) -> Result<(), LoadError> {
    let mut found = Vec::new();
    for (package_idx, package) in site.config.autodoc_python.iter().enumerate() {
        let package_dir = site.root.join(&package.path);
        if !package_dir.is_dir() {
            return Err(LoadError::Config(ConfigError {
                file: site.root.join("ssg.toml"),
                line: None,
                message: format!(
                    "autodoc package `{}`: folder `{}` does not exist",
                    package.name, package.path
                ),
                hint: Some(
                    "set `path` to the package folder, relative to the site root (`src/mypkg`, `../src/mypkg`) or absolute"
                        .into(),
                ),
            }));
        }
        let walker = WalkDir::new(&package_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                e.depth() == 0 || !(name.starts_with('.') || name == "__pycache__")
            });
        for entry in walker.flatten() {
            if !entry.file_type().is_file()
                || entry.path().extension().is_none_or(|ext| ext != "py")
            {
                continue;
            }
            let Some(rel_to_package) = relative(entry.path(), &package_dir) else {
                continue;
            };
            // As the configuration spells the folder, so a package beside the site
            // (`../src/mypkg`) keeps its `..`: read from there, never written.
            let rel_path = if package.path == "." {
                rel_to_package.clone()
            } else {
                format!("{}/{rel_to_package}", package.path)
            };
            let mut parts: Vec<&str> = rel_to_package.trim_end_matches(".py").split('/').collect();
            let is_package = parts.last() == Some(&"__init__");
            if is_package {
                parts.pop();
            }
            // Files that cannot be imported (`my-script.py`) are not modules.
            if !parts.iter().all(|p| is_identifier(p)) {
                continue;
            }
            let private = parts
                .iter()
                .any(|p| p.starts_with('_') && !(p.starts_with("__") && p.ends_with("__")));
            if private && !package.include_private {
                continue;
            }
            let name = std::iter::once(package.name.as_str())
                .chain(parts.iter().copied())
                .collect::<Vec<_>>()
                .join(".");
            found.push(FoundModule {
                package: package_idx,
                name,
                rel_path,
                is_package,
                path: entry.into_path(),
            });
        }
    }
    // Looking at, reading and hashing the files is most of the work: on all cores, in the
    // walk's order.
    let hashed = crate::parallel::par_map(
        found.len(),
        |i| {
            let module = &found[i];
            let (len, mtime) = known.stamp(&module.path).unwrap_or((0, 0));
            let hash = match known.module_hash(&module.rel_path, len, mtime) {
                Some(hash) => hash,
                None => protocol::content_hash(&std::fs::read(&module.path)?),
            };
            Ok((len, mtime, hash))
        },
        |_| Err(std::io::Error::other("hashing the module failed (a bug)")),
    );
    for (module, hashed) in found.into_iter().zip(hashed) {
        match hashed {
            Ok((len, mtime, hash)) => site.modules.push(PythonModule {
                package: module.package,
                name: module.name,
                rel_path: module.rel_path,
                is_package: module.is_package,
                hash,
                len,
                mtime,
            }),
            Err(e) => site.warnings.push(crate::diagnostics::Diagnostic::in_file(
                module.rel_path,
                format!("cannot read: {e}"),
            )),
        }
    }
    site.modules
        .sort_by(|a, b| (a.package, &a.name).cmp(&(b.package, &b.name)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{PythonModule, is_identifier};
    use crate::config::PythonPackageConfig;

    #[test]
    fn source_urls_name_the_file_from_the_top_package_parent() {
        let package = PythonPackageConfig {
            name: "click".into(),
            path: "../src/click".into(),
            url: "/api/".into(),
            include_private: false,
            merge_init_into_class: false,
            source_url: Some(
                "https://github.com/pallets/click/blob/8.1.7/src/{path}#L{line}-L{end_line}".into(),
            ),
        };
        let module = |name: &str, is_package: bool| PythonModule {
            package: 0,
            name: name.into(),
            rel_path: String::new(),
            is_package,
            hash: 0,
            len: 0,
            mtime: 0,
        };
        assert_eq!(
            module("click.core", false).source_url(&package).as_deref(),
            Some(
                "https://github.com/pallets/click/blob/8.1.7/src/click/core.py#L{line}-L{end_line}"
            )
        );
        assert_eq!(
            module("click.sub", true).import_path(),
            "click/sub/__init__.py"
        );
        let without = PythonPackageConfig {
            source_url: None,
            ..package
        };
        assert_eq!(module("click.core", false).source_url(&without), None);
    }

    #[test]
    fn identifiers() {
        for (name, ok) in [
            ("mod", true),
            ("_private", true),
            ("my-script", false),
            ("2fa", false),
            ("ünï", true),
        ] {
            assert_eq!(is_identifier(name), ok, "{name}");
        }
    }
}
