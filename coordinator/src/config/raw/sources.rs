//! `[[autodoc.openapi]]` and `[[autodoc.cli]]` as written, and their validation.

use super::{Invalid, validate_package_path, validate_url_prefix};
use crate::config::{CliConfig, OpenApiConfig};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
pub(super) struct RawCli {
    pub(super) name: Spanned<String>,
    path: Spanned<String>,
    object: Spanned<String>,
    #[serde(default)]
    framework: Option<Spanned<String>>,
    #[serde(default)]
    url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawOpenApi {
    pub(super) name: Spanned<String>,
    path: Spanned<String>,
    #[serde(default)]
    url: Option<Spanned<String>>,
}

impl RawCli {
    pub(super) fn validate(self) -> Result<CliConfig, Invalid> {
        let name = self.name.get_ref().trim();
        if name.is_empty() || name.chars().any(|ch| ch.is_whitespace() || ch == '/') {
            return Err(Invalid::at(
                &self.name,
                format!("`name` in [[autodoc.cli]] must be the program's name, not `{name}`"),
                "write the name users type, such as `mkdocs`",
            ));
        }
        let object = self.object.get_ref().trim();
        if object.is_empty() {
            return Err(Invalid::at(
                &self.object,
                "`object` in [[autodoc.cli]] is empty".to_string(),
                "name the click group, typer app or argparse parser, such as `mkdocs.__main__:cli`",
            ));
        }
        let framework = match &self.framework {
            None => None,
            Some(framework) => {
                let value = framework.get_ref().trim();
                if worker::reference::cli::Framework::from_name(value).is_none() {
                    return Err(Invalid::at(
                        framework,
                        format!("unknown framework `{value}` in [[autodoc.cli]]"),
                        "write `click`, `typer` or `argparse`, or leave `framework` out to detect it",
                    ));
                }
                Some(value.to_string())
            }
        };
        let path = validate_package_path(&self.path)?;
        let url = match self.url {
            Some(url) => validate_url_prefix(&url)?,
            None => format!("/cli/{name}/"),
        };
        Ok(CliConfig {
            name: name.to_string(),
            path,
            object: object.to_string(),
            framework,
            url,
        })
    }
}

impl RawOpenApi {
    pub(super) fn validate(self) -> Result<OpenApiConfig, Invalid> {
        let name = self.name.get_ref().trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        {
            return Err(Invalid::at(
                &self.name,
                format!(
                    "`name` in [[autodoc.openapi]] must be letters, digits, `-` or `_`, not `{name}`"
                ),
                "use a short name such as `rest` or `petstore`",
            ));
        }
        let path = validate_package_path(&self.path)?;
        let url = match self.url {
            Some(url) => validate_url_prefix(&url)?,
            None => format!("/{name}/"),
        };
        Ok(OpenApiConfig {
            name: name.to_string(),
            path,
            url,
        })
    }
}
