//! Cross-reference resolution: a dotted Python name, as a page mentions it, → the URL of
//! the object's documentation, through the site's [`ApiInventory`].
//!
//! Both sides use this one resolver: workers while rendering (guide references, docstring
//! roles, types in signatures), the coordinator when it checks whether a cached page's
//! references still resolve as they did ([`Resolver::recheck`] on each recorded
//! [`Lookup`]), so a page is reused only when none of its targets moved.
//!
//! Rules, in order, for a name `N` mentioned in module `M` (and class `C` of it):
//! 1. `~` and `!` prefixes are display marks, not part of the name;
//! 2. inside a class, `M.C.N` (a method or attribute named from a sibling), then up the
//!    enclosing classes;
//! 3. `M.N` through `M`'s namespace (what `M` defines or imports);
//! 4. `N` from the top: the longest documented package prefix, then each step through the
//!    module's namespace: a name a module defines or imports wins over a submodule of the
//!    same name (as in Python, where `from .thing import thing` shadows the submodule),
//!    except for a `:mod:` reference, which wants the module; imports are followed to their
//!    origin (`click.Command` → `click.core.Command`), at most [`MAX_HOPS`] times, so a
//!    cycle of re-exports ends unresolved;
//! 5. the external inventories (`str`, `pathlib.Path`), by exact name.

use index::ApiIndex;
use protocol::{ApiInventory, ApiModule, ObjectKind};
use std::sync::Arc;

mod backlinks;
mod index;
mod inherited;

pub use backlinks::BACKLINKS_DEP_PREFIX;
pub use inherited::{InheritedFrom, InheritedMember};

/// How many imports one lookup may follow (re-export chains are short; cycles end here).
pub const MAX_HOPS: usize = 16;

/// Where a name resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The object's canonical dotted name (`click.core.Command`).
    pub name: String,
    /// Site-absolute URL path with its anchor (`/api/click/core/#click.core.Command`),
    /// without the base path; or an absolute URL for external objects.
    pub url: String,
    /// What it is.
    pub kind: ObjectKind,
}

/// Where a name is mentioned: the module and the class around it, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    /// Dotted module name, empty on guide pages.
    pub module: String,
    /// Qualified class name inside the module (`Outer.Inner`), empty outside classes.
    pub class: String,
}

/// One lookup a page made: enough to make it again and compare.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lookup {
    /// Where the name was mentioned.
    pub scope: Scope,
    /// `true` for a `:mod:` reference (modules win over same-named attributes).
    pub wants_module: bool,
    /// The name as mentioned, display marks removed.
    pub name: String,
}

impl Lookup {
    /// Prefix of the `LinkDep::target` of a lookup.
    pub const DEP_PREFIX: &'static str = "py:";

    /// The lookup as a `LinkDep` target: `py:<module>|<class>|<m or ->|<name>`.
    pub fn to_dep_target(&self) -> String {
        format!(
            "{}{}|{}|{}|{}",
            Self::DEP_PREFIX,
            self.scope.module,
            self.scope.class,
            if self.wants_module { "m" } else { "-" },
            self.name
        )
    }

    /// A lookup read back from a `LinkDep` target; `None` for other targets.
    pub fn from_dep_target(target: &str) -> Option<Lookup> {
        let rest = target.strip_prefix(Self::DEP_PREFIX)?;
        let mut parts = rest.splitn(4, '|');
        let module = parts.next()?.to_string();
        let class = parts.next()?.to_string();
        let wants_module = parts.next()? == "m";
        let name = parts.next()?.to_string();
        Some(Lookup {
            scope: Scope { module, class },
            wants_module,
            name,
        })
    }
}

/// True when `target` (a `LinkDep::target`) is an API reference, one that
/// [`Resolver::recheck_target`] answers: a name lookup, a class's inherited members or a
/// module's backlinks.
pub fn is_api_target(target: &str) -> bool {
    Lookup::from_dep_target(target).is_some()
        || inherited::is_inherited_target(target)
        || target.starts_with(BACKLINKS_DEP_PREFIX)
}

/// The site's objects and the external ones, indexed for lookups.
#[derive(Debug, Default)]
pub struct Resolver {
    /// The inventory and its tables of ids into it.
    index: ApiIndex,
    /// The guide pages mentioning each object, once known.
    backlinks: Option<backlinks::BacklinkIndex>,
}

impl Resolver {
    /// Indexes `inventory`, which the resolver keeps (shared, not copied). A name
    /// documented twice keeps its first entry.
    pub fn new(inventory: &Arc<ApiInventory>) -> Resolver {
        let index = ApiIndex::new(Arc::clone(inventory));
        let backlinks = backlinks::index_backlinks(&index, inventory.backlinks.as_deref());
        Resolver { index, backlinks }
    }

    /// Only what rechecking a `py-backlinks:` dependency needs: the modules of `inventory`
    /// and the digests of the `backlinks` given. Objects, classes and external names are
    /// left out, and [`Resolver::referenced_by`] answers from `inventory`'s own backlinks,
    /// so on a large API this costs a small part of [`Resolver::new`] (a build rechecks the
    /// cached module pages' backlinks with it).
    pub fn for_backlinks(
        inventory: &Arc<ApiInventory>,
        backlinks: &[protocol::Backlink],
    ) -> Resolver {
        let index = ApiIndex::modules_only(Arc::clone(inventory));
        let backlinks = backlinks::index_backlinks(&index, Some(backlinks));
        Resolver { index, backlinks }
    }

    /// True when there is nothing to resolve against.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Resolves `lookup` by the rules in the module documentation.
    pub fn resolve(&self, lookup: &Lookup) -> Option<Target> {
        let name = lookup.name.trim_start_matches(['~', '!']);
        if name.is_empty() {
            return None;
        }
        let module = lookup.scope.module.as_str();
        if !module.is_empty() {
            let mut class = lookup.scope.class.as_str();
            while !class.is_empty() {
                let candidate = format!("{module}.{class}.{name}");
                if let Some(target) = self.site_object(&candidate) {
                    return Some(target);
                }
                class = class.rsplit_once('.').map_or("", |(outer, _)| outer);
            }
            if self.index.is_module(module) {
                let segments: Vec<&str> = name.split('.').collect();
                if let Some(target) = self.in_module(module, &segments, 0) {
                    return Some(target);
                }
            }
        }
        self.absolute(name, lookup.wants_module, 0)
    }

    /// Makes a recorded lookup again: the URL it resolves to now (what `LinkDep::url`
    /// recorded), `None` when it no longer resolves.
    pub fn recheck(&self, lookup: &Lookup) -> Option<String> {
        self.resolve(lookup).map(|target| target.url)
    }

    /// What a recorded `LinkDep` target of a cross-reference (a lookup, a class's
    /// inherited members) gives now, to compare with its recorded `url`; `None` for a
    /// target that is not a cross-reference.
    pub fn recheck_target(&self, target: &str) -> Option<Option<String>> {
        if let Some(lookup) = Lookup::from_dep_target(target) {
            return Some(self.recheck(&lookup));
        }
        inherited::recheck_inherited(self, target)
            .or_else(|| backlinks::recheck_backlinks(self, target))
    }

    /// The documented module a canonical name lives in and the name inside it: `("pkg.core",
    /// "Command.run")` for `pkg.core.Command.run`, `("pkg.core", "")` for the module.
    pub fn split_module<'n>(&self, name: &'n str) -> Option<(&'n str, &'n str)> {
        let mut end = name.len();
        loop {
            let prefix = &name[..end];
            if self.index.is_module(prefix) {
                let rest = name[end..].strip_prefix('.').unwrap_or("");
                return Some((prefix, rest));
            }
            end = prefix.rfind('.')?;
        }
    }

    /// Documented module `module`: its source file and how its package is documented.
    pub fn module_source(&self, module: &str) -> Option<&ApiModule> {
        self.index.module(module)
    }

    fn site_object(&self, name: &str) -> Option<Target> {
        self.index.object_named(name).map(|found| Target {
            name: name.to_string(),
            url: found.url(),
            kind: found.object.kind,
        })
    }

    fn module(&self, name: &str) -> Option<Target> {
        self.index.module(name).map(|module| Target {
            name: name.to_string(),
            url: module.url.clone(),
            kind: ObjectKind::Module,
        })
    }

    /// `name` from the top (rules 4 and 5).
    fn absolute(&self, name: &str, wants_module: bool, hops: usize) -> Option<Target> {
        if wants_module && let Some(target) = self.module(name) {
            return Some(target);
        }
        let segments: Vec<&str> = name.split('.').collect();
        // The top documented package: the shortest prefix that is a module (`a.b` when
        // the configured package is `a.b`).
        let Some(top_len) =
            (1..=segments.len()).find(|&len| self.index.is_module(dotted_prefix(name, len)))
        else {
            return self.external_object(name);
        };
        self.in_module(dotted_prefix(name, top_len), &segments[top_len..], hops)
    }

    /// `rest` looked up in module `current`'s namespace: what it defines, then what it
    /// imports (followed), then its submodules.
    fn in_module(&self, current: &str, rest: &[&str], hops: usize) -> Option<Target> {
        let Some((&head, tail)) = rest.split_first() else {
            return self.module(current);
        };
        let bound = format!("{current}.{head}");
        if self.index.object_named(&bound).is_some() {
            let full = std::iter::once(bound.as_str())
                .chain(tail.iter().copied())
                .collect::<Vec<_>>()
                .join(".");
            return self.site_object(&full);
        }
        // A module's imports, as a map from bound name to origin would keep them: the
        // last binding of a name.
        let origin = self.index.module(current).and_then(|module| {
            module
                .imports
                .iter()
                .rev()
                .find(|(name, _)| name == head)
                .map(|(_, origin)| origin)
        });
        if let Some(origin) = origin {
            let followed = std::iter::once(origin.as_str())
                .chain(tail.iter().copied())
                .collect::<Vec<_>>()
                .join(".");
            return self.follow_origin(&followed, hops + 1);
        }
        if self.index.is_module(&bound) {
            return self.in_module(&bound, tail, hops);
        }
        None
    }

    /// Where an import leads: `from X import Y` names module `X` (the longest documented
    /// prefix), then `Y` in its namespace; at most [`MAX_HOPS`] imports deep.
    fn follow_origin(&self, origin: &str, hops: usize) -> Option<Target> {
        if hops > MAX_HOPS {
            return None;
        }
        let segments: Vec<&str> = origin.split('.').collect();
        let Some(module_len) = (1..=segments.len())
            .rev()
            .find(|&len| self.index.is_module(dotted_prefix(origin, len)))
        else {
            return self.external_object(origin);
        };
        self.in_module(
            dotted_prefix(origin, module_len),
            &segments[module_len..],
            hops,
        )
    }

    fn external_object(&self, name: &str) -> Option<Target> {
        self.index.external(name).map(|object| Target {
            name: name.to_string(),
            url: object.url.clone(),
            kind: object.kind,
        })
    }
}

/// The first `n_segments` dot-separated segments of `name` (`a.b` of `a.b.c` for 2), as
/// `name.split('.')` numbers them: a prefix of `name`, not allocated.
fn dotted_prefix(name: &str, n_segments: usize) -> &str {
    name.match_indices('.')
        .nth(n_segments.saturating_sub(1))
        .map_or(name, |(dot, _)| &name[..dot])
}

/// The dotted names in a type expression as written (`Optional[click.Context]`,
/// `"Context" | None`), with their byte ranges, for linking each one.
pub fn dotted_names(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let bytes = text.as_bytes();
    let mut names = Vec::new();
    let mut index = 0;
    let is_start = |c: char| c.is_alphabetic() || c == '_';
    let is_part = |c: char| c.is_alphanumeric() || c == '_';
    while index < text.len() {
        let Some(character) = text[index..].chars().next() else {
            break;
        };
        // A name starts at an identifier character not preceded by one (nor by a digit
        // or a dot, which would make it part of a number or an attribute of a call).
        let preceded = text[..index]
            .chars()
            .next_back()
            .is_some_and(|c| is_part(c) || c == '.');
        if !is_start(character) || preceded {
            index += character.len_utf8();
            continue;
        }
        let start = index;
        let mut end = index;
        loop {
            let part_end = text[end..]
                .char_indices()
                .find(|&(_, c)| !is_part(c))
                .map_or(text.len(), |(offset, _)| end + offset);
            end = part_end;
            let continues = bytes.get(end) == Some(&b'.')
                && text[end + 1..].chars().next().is_some_and(is_start);
            if !continues {
                break;
            }
            end += 1;
        }
        names.push((start..end, &text[start..end]));
        index = end;
    }
    names
}

#[cfg(test)]
mod tests;
