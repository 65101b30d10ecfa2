//! Versioned docs: the versions found under `content/_versions/`, their labels, order and
//! URL prefixes.
//!
//! The latest version (from `[versions] latest`, else the highest id in natural order) is
//! served at the root, or at `/latest/` with `latest_at_root = false`; every other version
//! at `/<id>/`. Versions are listed latest first, then newest to oldest.

use super::LoadError;
use crate::config::{Config, ConfigError};
use protocol::VersionInfo;
use std::cmp::Ordering;
use std::path::Path;

/// Compares version ids as a person would: `v2` < `v10`, `1.9` < `1.10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let a_end = a.find(|c: char| !c.is_ascii_digit()).unwrap_or(a.len());
                let b_end = b.find(|c: char| !c.is_ascii_digit()).unwrap_or(b.len());
                let (a_num, b_num) = (
                    a[..a_end].trim_start_matches('0'),
                    b[..b_end].trim_start_matches('0'),
                );
                let by_number = a_num.len().cmp(&b_num.len()).then_with(|| a_num.cmp(b_num));
                if by_number != Ordering::Equal {
                    return by_number;
                }
                a = &a[a_end..];
                b = &b[b_end..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                a = &a[x.len_utf8()..];
                b = &b[y.len_utf8()..];
            }
        }
    }
}

/// The versions of a site whose content has `_versions/<id>/` folders named `ids`.
pub fn resolve(
    config: &Config,
    site_root: &Path,
    ids: &[String],
) -> Result<Vec<VersionInfo>, LoadError> {
    let settings = &config.versions;
    let mut ids: Vec<&String> = ids.iter().collect();
    ids.sort_by(|a, b| natural_cmp(b, a));
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let latest = match &settings.latest {
        Some(latest) => ids.iter().position(|id| *id == latest).ok_or_else(|| {
            LoadError::Config(ConfigError {
                file: site_root.join(crate::config::CONFIG_FILE),
                line: None,
                message: format!(
                    "`latest` in [versions] is `{latest}`, but there is no folder {}/_versions/{latest}/",
                    config.build.content_dir
                ),
                hint: Some(format!(
                    "versions found: {}",
                    ids.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                )),
            })
        })?,
        None => 0,
    };
    let latest_id = ids.remove(latest);
    ids.insert(0, latest_id);
    Ok(ids
        .into_iter()
        .enumerate()
        .map(|(position, id)| {
            let is_latest = position == 0;
            VersionInfo {
                id: id.clone(),
                label: settings
                    .labels
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| id.clone()),
                url_prefix: match (is_latest, settings.latest_at_root) {
                    (true, true) => config.content_url_prefix().to_string(),
                    (true, false) => format!("{}/latest", config.content_url_prefix()),
                    (false, _) => format!("{}/{id}", config.content_url_prefix()),
                },
                latest: is_latest,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut ids = vec!["v10", "v2", "v1", "1.10", "1.9", "beta"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["1.9", "1.10", "beta", "v1", "v2", "v10"]);
    }

    #[test]
    fn latest_first_with_prefixes_and_labels() {
        let mut config = Config::default();
        config.versions.labels.insert("v2".into(), "2.x".into());
        let ids: Vec<String> = ["v1", "v10", "v2"].iter().map(|s| s.to_string()).collect();
        let versions = resolve(&config, Path::new("/site"), &ids).unwrap();
        let summary: Vec<(&str, &str, &str, bool)> = versions
            .iter()
            .map(|v| {
                (
                    v.id.as_str(),
                    v.label.as_str(),
                    v.url_prefix.as_str(),
                    v.latest,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("v10", "v10", "", true),
                ("v2", "2.x", "/v2", false),
                ("v1", "v1", "/v1", false)
            ]
        );

        config.versions.latest = Some("v2".into());
        config.versions.latest_at_root = false;
        let versions = resolve(&config, Path::new("/site"), &ids).unwrap();
        assert_eq!(
            (versions[0].id.as_str(), versions[0].url_prefix.as_str()),
            ("v2", "/latest")
        );
        assert_eq!(versions[1].id, "v10");

        config.versions.latest = Some("v9".into());
        assert!(resolve(&config, Path::new("/site"), &ids).is_err());
        assert!(
            resolve(&config, Path::new("/site"), &[])
                .unwrap()
                .is_empty()
        );
    }
}
