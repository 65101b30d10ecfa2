//! Backlinks: the guide pages that mention each documented object, shown as "Referenced
//! by" on the object's section.
//!
//! The coordinator collects them from the names guide pages record (their `py:` link
//! dependencies that resolved to a site object) once the guides have rendered, and sends
//! them with the inventory to the API pages' render. An API page records one dependency,
//! `py-backlinks:<module>` with a digest of its module's backlinks, so a guide edit that
//! adds or removes a mention re-renders the page it mentions, and only that one.

use super::Resolver;
use protocol::{Backlink, BacklinkPage};
use std::collections::HashMap;

/// Prefix of the `LinkDep::target` of a module page's backlinks.
pub const BACKLINKS_DEP_PREFIX: &str = "py-backlinks:";

/// The backlinks of a build, indexed.
#[derive(Debug, Default)]
pub(super) struct BacklinkIndex {
    /// Object URL (with anchor, or a module's URL) → the pages mentioning it.
    by_object: HashMap<String, Vec<BacklinkPage>>,
    /// Module page URL → digest of the backlinks of its objects.
    digests: HashMap<String, String>,
}

/// Indexes an inventory's backlinks; `None` when they are not known yet.
pub(super) fn index_backlinks(backlinks: Option<&[Backlink]>) -> Option<BacklinkIndex> {
    let backlinks = backlinks?;
    let mut index = BacklinkIndex::default();
    let mut texts: HashMap<&str, String> = HashMap::new();
    for backlink in backlinks {
        let page = backlink
            .object_url
            .split_once('#')
            .map_or(backlink.object_url.as_str(), |(page, _)| page);
        let text = texts.entry(page).or_default();
        text.push_str(&backlink.object_url);
        for linking in &backlink.pages {
            text.push('\u{1f}');
            text.push_str(&linking.url);
            text.push('\u{1f}');
            text.push_str(&linking.title);
        }
        text.push('\u{1e}');
        index
            .by_object
            .insert(backlink.object_url.clone(), backlink.pages.clone());
    }
    index.digests = texts
        .into_iter()
        .map(|(page, text)| {
            let digest = protocol::content_hash(text.as_bytes());
            (page.to_string(), format!("{digest:032x}"))
        })
        .collect();
    Some(index)
}

impl Resolver {
    /// The guide pages that mention the object at `object_url` (site path with anchor).
    pub fn referenced_by(&self, object_url: &str) -> &[BacklinkPage] {
        self.backlinks
            .as_ref()
            .and_then(|index| index.by_object.get(object_url))
            .map_or(&[], Vec::as_slice)
    }

    /// True when this build's backlinks are known (the guides have rendered).
    pub fn has_backlinks(&self) -> bool {
        self.backlinks.is_some()
    }

    /// The page URL of documented module `module`.
    pub fn module_url(&self, module: &str) -> Option<&str> {
        self.modules.get(module).map(|entry| entry.url.as_str())
    }

    /// The `LinkDep` of module `module`'s backlinks: its target and the digest of what its
    /// page shows (`None`: no backlinks); `None` while backlinks are not known.
    pub fn backlinks_dep(&self, module: &str) -> Option<(String, Option<String>)> {
        let index = self.backlinks.as_ref()?;
        let digest = self
            .module_url(module)
            .and_then(|url| index.digests.get(url))
            .cloned();
        Some((format!("{BACKLINKS_DEP_PREFIX}{module}"), digest))
    }
}

/// A recorded backlinks target made again; `None` for other targets, `Some(None)` while
/// backlinks are not known.
pub(super) fn recheck_backlinks(resolver: &Resolver, target: &str) -> Option<Option<String>> {
    let module = target.strip_prefix(BACKLINKS_DEP_PREFIX)?;
    Some(
        resolver
            .backlinks_dep(module)
            .and_then(|(_, digest)| digest),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{ApiInventory, ApiModule, ApiObject, ObjectKind};

    fn inventory(backlinks: Option<Vec<Backlink>>) -> ApiInventory {
        ApiInventory {
            modules: vec![ApiModule {
                name: "pkg".into(),
                url: "/api/pkg/".into(),
                objects: vec![ApiObject {
                    qualname: "run".into(),
                    kind: ObjectKind::Function,
                    anchor: "pkg.run".into(),
                    bases: vec![],
                }],
                imports: vec![],
                file: String::new(),
                is_package: false,
                include_private: false,
                merge_init_into_class: false,
            }]
            .into(),
            external: vec![].into(),
            backlinks,
        }
    }

    fn page(url: &str, title: &str) -> BacklinkPage {
        BacklinkPage {
            url: url.into(),
            title: title.into(),
        }
    }

    #[test]
    fn objects_list_the_pages_mentioning_them_and_the_digest_follows_them() {
        assert!(!Resolver::new(&inventory(None)).has_backlinks());
        assert_eq!(Resolver::new(&inventory(None)).backlinks_dep("pkg"), None);
        let none = Resolver::new(&inventory(Some(vec![])));
        assert_eq!(
            none.backlinks_dep("pkg"),
            Some(("py-backlinks:pkg".to_string(), None))
        );
        let one = vec![Backlink {
            object_url: "/api/pkg/#pkg.run".into(),
            pages: vec![page("/guide/", "Guide")],
        }];
        let resolver = Resolver::new(&inventory(Some(one.clone())));
        assert_eq!(
            resolver.referenced_by("/api/pkg/#pkg.run"),
            [page("/guide/", "Guide")]
        );
        assert!(resolver.referenced_by("/api/pkg/#pkg.other").is_empty());
        let (target, digest) = resolver.backlinks_dep("pkg").unwrap();
        assert!(digest.is_some());
        assert_eq!(resolver.recheck_target(&target), Some(digest.clone()));
        let mut two = one;
        two[0].pages.push(page("/tutorial/", "Tutorial"));
        let more = Resolver::new(&inventory(Some(two)));
        assert_ne!(more.backlinks_dep("pkg").unwrap().1, digest);
    }

    #[test]
    fn a_resolver_for_backlinks_rechecks_them_as_the_full_one_does() {
        let one = vec![Backlink {
            object_url: "/api/pkg/#pkg.run".into(),
            pages: vec![page("/guide/", "Guide")],
        }];
        let full = Resolver::new(&inventory(Some(one.clone())));
        let light = Resolver::for_backlinks(&inventory(None), &one);
        let (target, digest) = full.backlinks_dep("pkg").unwrap();
        assert!(digest.is_some());
        assert_eq!(light.backlinks_dep("pkg"), Some((target.clone(), digest)));
        assert_eq!(light.recheck_target(&target), full.recheck_target(&target));
        let other = Resolver::for_backlinks(&inventory(None), &[]);
        assert_ne!(other.recheck_target(&target), full.recheck_target(&target));
        assert_eq!(light.backlinks_dep("missing").unwrap().1, None);
    }
}
