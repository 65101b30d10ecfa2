//! Inherited members: the documented members a class gets from its documented base
//! classes, each with the base it comes from, for the class's summary on its page.
//!
//! Bases are resolved like any name in the class's module (imports, re-exports, relative
//! names); a base that is not a documented class of the site (`object`, `Generic[T]`, an
//! external class) contributes nothing. Bases are walked depth first, left to right, each
//! class once: a member is listed under the first class that defines it, and never when
//! the class itself defines a member of that name. A page records what it showed as a
//! `LinkDep` (`py-inherited:<module>|<class>` → a digest), so a change to a base's members
//! re-renders the pages of the classes that inherit them.

use super::index::SiteObject;
use super::{Lookup, MAX_HOPS, Resolver, Scope};
use protocol::ObjectKind;
use std::collections::HashSet;

/// Prefix of the `LinkDep::target` of a class's inherited members.
pub const INHERITED_DEP_PREFIX: &str = "py-inherited:";

/// Most base classes walked for one class (deep or wide hierarchies end here).
const MAX_BASES: usize = 64;

/// The members one base class gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InheritedFrom {
    /// The base's canonical dotted name (`pkg.base.Base`).
    pub base: String,
    /// Its URL with anchor, without the base path.
    pub url: String,
    /// The members it gives, in its page order.
    pub members: Vec<InheritedMember>,
}

/// One inherited member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InheritedMember {
    /// Its name (`run`).
    pub name: String,
    /// What it is.
    pub kind: ObjectKind,
    /// Its URL with anchor, on the base's page, without the base path.
    pub url: String,
}

impl Resolver {
    /// The members class `class` (qualified) of module `module` inherits from its
    /// documented bases, grouped by the base that defines them; empty for an unknown class.
    pub fn inherited(&self, module: &str, class: &str) -> Vec<InheritedFrom> {
        let start = format!("{module}.{class}");
        let Some(entry) = self.index.class_named(&start) else {
            return Vec::new();
        };
        let mut walk = Walk {
            resolver: self,
            names: self
                .index
                .members(entry)
                .map(|(name, _)| name.to_string())
                .collect(),
            visited: HashSet::from([start]),
            found: Vec::new(),
        };
        walk.bases_of(entry, 0);
        walk.found
    }

    /// The `LinkDep` of what [`Resolver::inherited`] gives for a class: its target and a
    /// digest of the list (`None` when the class inherits nothing documented).
    pub fn inherited_dep(&self, module: &str, class: &str) -> (String, Option<String>) {
        (
            format!("{INHERITED_DEP_PREFIX}{module}|{class}"),
            digest(&self.inherited(module, class)),
        )
    }
}

/// True when `target` names a class's inherited members (what [`recheck_inherited`]
/// answers).
pub(super) fn is_inherited_target(target: &str) -> bool {
    target
        .strip_prefix(INHERITED_DEP_PREFIX)
        .is_some_and(|rest| rest.contains('|'))
}

/// A recorded inherited-members target made again; `None` for other targets.
pub(super) fn recheck_inherited(resolver: &Resolver, target: &str) -> Option<Option<String>> {
    let (module, class) = target.strip_prefix(INHERITED_DEP_PREFIX)?.split_once('|')?;
    Some(resolver.inherited_dep(module, class).1)
}

/// A digest of everything the list shows, `None` for an empty list.
fn digest(list: &[InheritedFrom]) -> Option<String> {
    if list.is_empty() {
        return None;
    }
    let mut text = String::new();
    for from in list {
        text.push_str(&from.base);
        text.push('\u{1f}');
        text.push_str(&from.url);
        for member in &from.members {
            text.push('\u{1e}');
            text.push_str(&member.name);
            text.push('\u{1f}');
            text.push_str(member.kind.sphinx_role());
            text.push('\u{1f}');
            text.push_str(&member.url);
        }
        text.push('\u{1d}');
    }
    Some(format!("{:032x}", protocol::content_hash(text.as_bytes())))
}

struct Walk<'r> {
    resolver: &'r Resolver,
    /// Member names already defined (by the class or an earlier base).
    names: HashSet<String>,
    visited: HashSet<String>,
    found: Vec<InheritedFrom>,
}

impl<'r> Walk<'r> {
    fn bases_of(&mut self, class: SiteObject<'r>, depth: usize) {
        if depth > MAX_HOPS {
            return;
        }
        let outer = class
            .object
            .qualname
            .rsplit_once('.')
            .map_or("", |(outer, _)| outer);
        for base in class.bases() {
            // `Base[T]` inherits from `Base`; keywords (`metaclass=…`) are not bases.
            let name = base.split('[').next().unwrap_or(base).trim();
            if !crate::markdown::is_dotted_name(name) || self.visited.len() >= MAX_BASES {
                continue;
            }
            let lookup = Lookup {
                scope: Scope {
                    module: class.module.name.clone(),
                    class: outer.to_string(),
                },
                wants_module: false,
                name: name.to_string(),
            };
            let Some(target) = self.resolver.resolve(&lookup) else {
                continue;
            };
            let Some(base_entry) = self.resolver.index.class_named(&target.name) else {
                continue;
            };
            if !self.visited.insert(target.name.clone()) {
                continue;
            }
            let members: Vec<InheritedMember> = self
                .resolver
                .index
                .members(base_entry)
                .filter(|(name, _)| self.names.insert((*name).to_string()))
                .map(|(name, member)| InheritedMember {
                    name: name.to_string(),
                    kind: member.object.kind,
                    url: member.url(),
                })
                .collect();
            if !members.is_empty() {
                self.found.push(InheritedFrom {
                    base: target.name.clone(),
                    url: target.url.clone(),
                    members,
                });
            }
            self.bases_of(base_entry, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xref::tests::module_at;
    use protocol::{ApiInventory, ApiModule};
    use std::sync::Arc;

    /// `pkg.base` defines `Base(Root)` and `Root`; `pkg.core` imports `Base` and defines
    /// `Child(Base, Mixin)` overriding `run`, `Mixin` and a cycle `A(B)`, `B(A)`.
    fn resolver() -> Resolver {
        use ObjectKind::*;
        let base = module_at(
            "pkg.base",
            "/api/pkg/base/",
            &[
                ("Root", Class, &["object"]),
                ("Root.close", Method, &[]),
                ("Root.run", Method, &[]),
                ("Base", Class, &["Root"]),
                ("Base.run", Method, &[]),
                ("Base.size", Property, &[]),
            ],
        );
        let core = ApiModule {
            imports: vec![("Base".into(), "pkg.base.Base".into())],
            ..module_at(
                "pkg.core",
                "/api/pkg/core/",
                &[
                    ("Mixin", Class, &[]),
                    ("Mixin.close", Method, &[]),
                    ("Mixin.extra", Attribute, &[]),
                    ("Child", Class, &["Base[int]", "Mixin", "metaclass=Meta"]),
                    ("Child.run", Method, &[]),
                    ("A", Class, &["B"]),
                    ("A.a", Method, &[]),
                    ("B", Class, &["A"]),
                    ("B.b", Method, &[]),
                ],
            )
        };
        Resolver::new(&Arc::new(ApiInventory {
            modules: vec![base, core].into(),
            external: Vec::new().into(),
            backlinks: None,
        }))
    }

    fn names(list: &[InheritedFrom]) -> Vec<(String, Vec<String>)> {
        list.iter()
            .map(|from| {
                (
                    from.base.clone(),
                    from.members.iter().map(|m| m.name.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn members_come_from_the_first_base_defining_them_depth_first() {
        let resolver = resolver();
        let inherited = resolver.inherited("pkg.core", "Child");
        let owned = |base: &str, members: &[&str]| {
            (
                base.to_string(),
                members.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            names(&inherited),
            [
                owned("pkg.base.Base", &["size"]),
                owned("pkg.base.Root", &["close"]),
                owned("pkg.core.Mixin", &["extra"]),
            ]
        );
        assert_eq!(inherited[0].url, "/api/pkg/base/#pkg.base.Base");
        assert_eq!(
            inherited[0].members[0].url,
            "/api/pkg/base/#pkg.base.Base.size"
        );
        assert_eq!(inherited[0].members[0].kind, ObjectKind::Property);
    }

    #[test]
    fn cycles_end_and_unknown_classes_inherit_nothing() {
        let resolver = resolver();
        assert_eq!(
            names(&resolver.inherited("pkg.core", "A")),
            [("pkg.core.B".to_string(), vec!["b".to_string()])]
        );
        assert!(resolver.inherited("pkg.core", "Nowhere").is_empty());
        assert!(resolver.inherited("pkg.base", "Root").is_empty());
    }

    #[test]
    fn the_dependency_changes_with_what_is_inherited() {
        let resolver = resolver();
        let (target, digest) = resolver.inherited_dep("pkg.core", "Child");
        assert_eq!(target, "py-inherited:pkg.core|Child");
        assert!(digest.is_some());
        assert_eq!(resolver.recheck_target(&target), Some(digest.clone()));
        assert_eq!(resolver.recheck_target("content/x.md"), None);
        assert_eq!(
            resolver.recheck_target("py-inherited:pkg.base|Root"),
            Some(None)
        );
        // Without `Base.size`, `Child` inherits less: the digest differs.
        let mut base = module_at(
            "pkg.base",
            "/api/pkg/base/",
            &[
                ("Base", ObjectKind::Class, &[]),
                ("Base.run", ObjectKind::Method, &[]),
            ],
        );
        let core = module_at(
            "pkg.core",
            "/api/pkg/core/",
            &[("Child", ObjectKind::Class, &["pkg.base.Base"])],
        );
        let inventory_of = |modules: Vec<ApiModule>| {
            Arc::new(ApiInventory {
                modules: modules.into(),
                ..ApiInventory::default()
            })
        };
        let inventory_less = inventory_of(vec![base.clone(), core.clone()]);
        let before = Resolver::new(&inventory_less).inherited_dep("pkg.core", "Child");
        base.objects.push(protocol::ApiObject {
            qualname: "Base.size".into(),
            kind: ObjectKind::Property,
            anchor_suffix: 0,
        });
        let inventory_more = inventory_of(vec![base, core]);
        let after = Resolver::new(&inventory_more).inherited_dep("pkg.core", "Child");
        assert_ne!(before.1, after.1);
    }
}
