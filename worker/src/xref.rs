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

use protocol::{ApiInventory, ObjectKind};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

mod backlinks;
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

/// `first`, `separator` and `second` in one string (a dotted name, a URL with its anchor),
/// allocated once: [`Resolver::new`] makes two for each object of the site's API.
fn joined(first: &str, separator: char, second: &str) -> String {
    let mut text = String::with_capacity(first.len() + 1 + second.len());
    text.push_str(first);
    text.push(separator);
    text.push_str(second);
    text
}

/// A documented module: its page and its imports.
#[derive(Debug)]
struct ModuleEntry {
    url: String,
    imports: HashMap<String, String>,
    source: ModuleSource,
}

/// Where a documented module's source is, and how its package is documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSource {
    /// Site-relative path of the file.
    pub file: String,
    /// A package's `__init__.py`.
    pub is_package: bool,
    /// `_private` names are documented.
    pub include_private: bool,
    /// `__init__` is merged into its class (`merge_init_into_class`).
    pub merge_init_into_class: bool,
}

/// The site's objects and the external ones, indexed for lookups.
#[derive(Debug, Default)]
pub struct Resolver {
    modules: FxHashMap<String, ModuleEntry>,
    /// Full dotted name of each object a module documents → (URL with anchor, kind).
    objects: FxHashMap<String, (String, ObjectKind)>,
    external: FxHashMap<String, (String, ObjectKind)>,
    /// Full dotted name of each documented class → its bases and members, for inheritance.
    classes: FxHashMap<String, inherited::ClassEntry>,
    /// The guide pages mentioning each object, once known.
    backlinks: Option<backlinks::BacklinkIndex>,
}

impl Resolver {
    /// Indexes `inventory`. A name documented twice keeps its first entry.
    pub fn new(inventory: &ApiInventory) -> Resolver {
        let mut resolver = Resolver::default();
        for module in inventory.modules.iter() {
            for object in &module.objects {
                resolver
                    .objects
                    .entry(joined(&module.name, '.', &object.qualname))
                    .or_insert_with(|| (joined(&module.url, '#', &object.anchor), object.kind));
            }
            resolver.add_module(module);
        }
        resolver.classes = inherited::index_classes(inventory);
        resolver.backlinks = backlinks::index_backlinks(inventory.backlinks.as_deref());
        for object in inventory.external.iter() {
            resolver
                .external
                .entry(object.name.clone())
                .or_insert_with(|| (object.url.clone(), object.kind));
        }
        resolver
    }

    /// Only what rechecking a `py-backlinks:` dependency needs: the modules of `inventory`
    /// and the `backlinks` given. Objects, classes and external names are left out, so on
    /// a large API this costs a small part of [`Resolver::new`] (a build rechecks the
    /// cached module pages' backlinks with it).
    pub fn for_backlinks(inventory: &ApiInventory, backlinks: &[protocol::Backlink]) -> Resolver {
        let mut resolver = Resolver::default();
        for module in inventory.modules.iter() {
            resolver.add_module(module);
        }
        resolver.backlinks = backlinks::index_backlinks(Some(backlinks));
        resolver
    }

    /// Indexes `module` (its first entry wins).
    fn add_module(&mut self, module: &protocol::ApiModule) {
        self.modules
            .entry(module.name.clone())
            .or_insert_with(|| ModuleEntry {
                url: module.url.clone(),
                imports: module.imports.iter().cloned().collect(),
                source: ModuleSource {
                    file: module.file.clone(),
                    is_package: module.is_package,
                    include_private: module.include_private,
                    merge_init_into_class: module.merge_init_into_class,
                },
            });
    }

    /// True when there is nothing to resolve against.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty() && self.external.is_empty()
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
            if self.modules.contains_key(module) {
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
            if self.modules.contains_key(prefix) {
                let rest = name[end..].strip_prefix('.').unwrap_or("");
                return Some((prefix, rest));
            }
            end = prefix.rfind('.')?;
        }
    }

    /// The source of documented module `module`.
    pub fn module_source(&self, module: &str) -> Option<&ModuleSource> {
        self.modules.get(module).map(|entry| &entry.source)
    }

    fn site_object(&self, name: &str) -> Option<Target> {
        self.objects.get(name).map(|(url, kind)| Target {
            name: name.to_string(),
            url: url.clone(),
            kind: *kind,
        })
    }

    fn module(&self, name: &str) -> Option<Target> {
        self.modules.get(name).map(|module| Target {
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
            (1..=segments.len()).find(|&len| self.modules.contains_key(&segments[..len].join(".")))
        else {
            return self.external_object(name);
        };
        self.in_module(&segments[..top_len].join("."), &segments[top_len..], hops)
    }

    /// `rest` looked up in module `current`'s namespace: what it defines, then what it
    /// imports (followed), then its submodules.
    fn in_module(&self, current: &str, rest: &[&str], hops: usize) -> Option<Target> {
        let Some((&head, tail)) = rest.split_first() else {
            return self.module(current);
        };
        let bound = format!("{current}.{head}");
        if self.objects.contains_key(&bound) {
            let full = std::iter::once(bound.as_str())
                .chain(tail.iter().copied())
                .collect::<Vec<_>>()
                .join(".");
            return self.site_object(&full);
        }
        if let Some(origin) = self.modules.get(current).and_then(|m| m.imports.get(head)) {
            let followed = std::iter::once(origin.as_str())
                .chain(tail.iter().copied())
                .collect::<Vec<_>>()
                .join(".");
            return self.follow_origin(&followed, hops + 1);
        }
        if self.modules.contains_key(&bound) {
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
            .find(|&len| self.modules.contains_key(&segments[..len].join(".")))
        else {
            return self.external_object(origin);
        };
        self.in_module(
            &segments[..module_len].join("."),
            &segments[module_len..],
            hops,
        )
    }

    fn external_object(&self, name: &str) -> Option<Target> {
        self.external.get(name).map(|(url, kind)| Target {
            name: name.to_string(),
            url: url.clone(),
            kind: *kind,
        })
    }
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
