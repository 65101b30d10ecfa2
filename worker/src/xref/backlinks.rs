//! Backlinks: the guide pages that mention each documented object, shown as "Referenced
//! by" on the object's section.
//!
//! The coordinator collects them from the names guide pages record (their `py:` link
//! dependencies that resolved to a site object) once the guides have rendered, and sends
//! them with the inventory to the API pages' render. An API page records one dependency,
//! `py-backlinks:<module>` with a digest of its module's backlinks, so a guide edit that
//! adds or removes a mention re-renders the page it mentions, and only that one.

use super::Resolver;
use super::index::{ApiIndex, id};
use protocol::{Backlink, BacklinkPage};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// Prefix of the `LinkDep::target` of a module page's backlinks.
pub const BACKLINKS_DEP_PREFIX: &str = "py-backlinks:";

/// The backlinks of a build, indexed.
#[derive(Debug, Default)]
pub(super) struct BacklinkIndex {
    /// How the inventory's backlinks are searched by object URL.
    order: BacklinkOrder,
    /// Module index (the first module of its name) → digest of the backlinks of the
    /// objects on its page; modules without backlinks are left out.
    digests: FxHashMap<u32, u128>,
}

/// How the inventory's backlinks are searched by object URL.
#[derive(Debug, Default)]
enum BacklinkOrder {
    /// Sorted by object URL, each URL once (as the coordinator sends them): searched as
    /// they are.
    #[default]
    AsSent,
    /// Their positions sorted by object URL, stably (of equal URLs, the last is the one
    /// found).
    Sorted(Vec<u32>),
}

/// Indexes a build's `backlinks` (`None` while they are not known) for the modules of
/// `index`; objects' backlinks are searched in `index`'s inventory.
pub(super) fn index_backlinks(
    index: &ApiIndex,
    backlinks: Option<&[Backlink]>,
) -> Option<BacklinkIndex> {
    let backlinks = backlinks?;
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
    }
    let by_page: HashMap<&str, u128> = texts
        .into_iter()
        .map(|(page, text)| (page, protocol::content_hash(text.as_bytes())))
        .collect();
    let mut digests = FxHashMap::default();
    if !by_page.is_empty() {
        for (module_index, module) in index.inventory().modules.iter().enumerate() {
            let module_index = id(module_index);
            if index.module_index(&module.name) == Some(module_index)
                && let Some(&digest) = by_page.get(module.url.as_str())
            {
                digests.insert(module_index, digest);
            }
        }
    }
    let searched = index.inventory().backlinks.as_deref().unwrap_or_default();
    let order = if searched
        .windows(2)
        .all(|pair| pair[0].object_url < pair[1].object_url)
    {
        BacklinkOrder::AsSent
    } else {
        let mut order: Vec<u32> = (0..id(searched.len())).collect();
        order.sort_by(|&a, &b| {
            searched[a as usize]
                .object_url
                .cmp(&searched[b as usize].object_url)
        });
        BacklinkOrder::Sorted(order)
    };
    Some(BacklinkIndex { order, digests })
}

impl Resolver {
    /// The guide pages that mention the object at `object_url` (site path with anchor).
    pub fn referenced_by(&self, object_url: &str) -> &[BacklinkPage] {
        let Some(index) = &self.backlinks else {
            return &[];
        };
        let searched = self
            .index
            .inventory()
            .backlinks
            .as_deref()
            .unwrap_or_default();
        let found = match &index.order {
            BacklinkOrder::AsSent => {
                let at = searched.partition_point(|b| b.object_url.as_str() < object_url);
                searched.get(at)
            }
            BacklinkOrder::Sorted(order) => {
                let after = order
                    .partition_point(|&i| searched[i as usize].object_url.as_str() <= object_url);
                after
                    .checked_sub(1)
                    .map(|last| &searched[order[last] as usize])
            }
        };
        found
            .filter(|backlink| backlink.object_url == object_url)
            .map_or(&[], |backlink| backlink.pages.as_slice())
    }

    /// True when this build's backlinks are known (the guides have rendered).
    pub fn has_backlinks(&self) -> bool {
        self.backlinks.is_some()
    }

    /// The page URL of documented module `module`.
    pub fn module_url(&self, module: &str) -> Option<&str> {
        self.index.module(module).map(|module| module.url.as_str())
    }

    /// The `LinkDep` of module `module`'s backlinks: its target and the digest of what its
    /// page shows (`None`: no backlinks); `None` while backlinks are not known.
    pub fn backlinks_dep(&self, module: &str) -> Option<(String, Option<String>)> {
        let index = self.backlinks.as_ref()?;
        let digest = self
            .index
            .module_index(module)
            .and_then(|module_index| index.digests.get(&module_index))
            .map(|digest| format!("{digest:032x}"));
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
    use std::sync::Arc;

    fn inventory(backlinks: Option<Vec<Backlink>>) -> Arc<ApiInventory> {
        Arc::new(ApiInventory {
            modules: vec![ApiModule {
                name: "pkg".into(),
                url: "/api/pkg/".into(),
                objects: vec![ApiObject {
                    qualname: "run".into(),
                    kind: ObjectKind::Function,
                    anchor_suffix: 0,
                }],
                class_bases: vec![],
                imports: vec![],
                file: String::new(),
                is_package: false,
                include_private: false,
                merge_init_into_class: false,
            }]
            .into(),
            external: vec![].into(),
            backlinks,
        })
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

    #[test]
    fn backlinks_sent_out_of_order_are_found_the_last_of_a_url_winning() {
        let backlink = |object_url: &str, title: &str| Backlink {
            object_url: object_url.into(),
            pages: vec![page(&format!("/{title}/"), title)],
        };
        let resolver = Resolver::new(&inventory(Some(vec![
            backlink("/api/pkg/#pkg.run", "Guide"),
            backlink("/api/pkg/", "Intro"),
            backlink("/api/pkg/#pkg.run", "Tutorial"),
        ])));
        assert_eq!(
            resolver.referenced_by("/api/pkg/#pkg.run"),
            [page("/Tutorial/", "Tutorial")]
        );
        assert_eq!(
            resolver.referenced_by("/api/pkg/"),
            [page("/Intro/", "Intro")]
        );
        assert!(resolver.referenced_by("/api/other/").is_empty());
        assert!(resolver.referenced_by("").is_empty());
        assert!(resolver.backlinks_dep("pkg").unwrap().1.is_some());
    }
}
