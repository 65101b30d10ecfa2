//! A page's cross-references: every name it mentions, resolved through the site's
//! [`Resolver`] (markdown reference links, docstring roles, types in signatures), recorded
//! as `LinkDep`s so the cache re-renders the page when one resolves differently, and the
//! explicit references that did not resolve, as warnings with their line.

use crate::autodoc::ApiLinks;
use crate::markdown::References;
use crate::xref::{InheritedFrom, Lookup, Resolver, Scope};
use protocol::{LinkDep, PageWarning, WarningKind};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The cross-references of one page while it renders.
pub(crate) struct PageRefs<'a> {
    resolver: &'a Resolver,
    /// Base path prefixed to site URLs that no link rewriter will see (docstrings).
    href_prefix: Option<&'a str>,
    /// The module a Python page documents; empty on guide pages.
    module: String,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Class scope and line of the object being rendered (Python pages).
    class: String,
    line: u32,
    /// Every lookup made, with the URL it found.
    lookups: BTreeMap<Lookup, Option<String>>,
    /// Explicit references that did not resolve: (line, name); line 0 when it is to be
    /// found in the source (reference links, which comrak reports without a position).
    unresolved: Vec<(u32, String)>,
    /// Other recorded dependencies (a class's inherited members): target → digest.
    other_deps: BTreeMap<String, Option<String>>,
}

impl<'a> PageRefs<'a> {
    /// References of a guide page: its links go through the page's link rewriter, which
    /// adds the base path and checks them.
    pub(crate) fn guide(resolver: &'a Resolver) -> PageRefs<'a> {
        PageRefs {
            resolver,
            href_prefix: None,
            module: String::new(),
            state: Mutex::default(),
        }
    }

    /// References of the page of `module`, whose hrefs are final (base path `prefix`).
    pub(crate) fn module(resolver: &'a Resolver, module: &str, prefix: &'a str) -> PageRefs<'a> {
        PageRefs {
            resolver,
            href_prefix: Some(prefix),
            module: module.to_string(),
            state: Mutex::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock fails the page anyway; its data is still usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Resolves `name`, records the lookup, and for an explicit reference that does not
    /// resolve, remembers it for a warning.
    /// True when `name` (from the top) is a documented object of the site.
    pub(crate) fn knows_object(&self, name: &str) -> bool {
        let lookup = Lookup {
            scope: Scope::default(),
            wants_module: false,
            name: name.to_string(),
        };
        self.resolver
            .resolve(&lookup)
            .is_some_and(|target| target.url.starts_with('/'))
    }

    /// The object a mkdocstrings block names (`::: pkg.Command`, on 1-based `line`), looked
    /// up from the top like a reference link and recorded, so the page renders again when
    /// it moves or goes; `None` (and nothing recorded as a warning: the caller says why)
    /// when it is not a site object.
    pub(crate) fn object(&self, name: &str) -> Option<crate::xref::Target> {
        let lookup = Lookup {
            scope: Scope::default(),
            wants_module: false,
            name: name.to_string(),
        };
        let target = self.resolver.resolve(&lookup);
        self.state()
            .lookups
            .insert(lookup, target.as_ref().map(|t| t.url.clone()));
        target.filter(|t| t.url.starts_with('/'))
    }

    /// A site URL as the page writes it: with the base path when no link rewriter adds it.
    fn href(&self, url: String) -> String {
        match self.href_prefix {
            Some(prefix) if url.starts_with('/') => format!("{prefix}{url}"),
            _ => url,
        }
    }

    fn link(&self, name: &str, wants_module: bool, explicit: Option<u32>) -> Option<String> {
        let mut state = self.state();
        let lookup = Lookup {
            scope: Scope {
                module: self.module.clone(),
                class: state.class.clone(),
            },
            wants_module,
            name: name.trim_start_matches(['~', '!']).to_string(),
        };
        let url = self.resolver.resolve(&lookup).map(|target| target.url);
        if url.is_none()
            && let Some(line) = explicit
        {
            state.unresolved.push((line, lookup.name.clone()));
        }
        state.lookups.insert(lookup, url.clone());
        drop(state);
        url.map(|url| self.href(url))
    }

    /// The lookups as link dependencies, and a warning per unresolved explicit reference
    /// (a dead link: `--strict` makes it an error). `source` (text, first line) finds the
    /// lines of reference links.
    pub(crate) fn finish(
        self,
        file: Option<&str>,
        source: Option<(&str, u32)>,
    ) -> (Vec<LinkDep>, Vec<PageWarning>) {
        let mut state = self
            .state
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A module page shows its objects' backlinks once they are known.
        if !self.module.is_empty()
            && let Some((target, digest)) = self.resolver.backlinks_dep(&self.module)
        {
            state.other_deps.insert(target, digest);
        }
        let deps = state
            .lookups
            .into_iter()
            .map(|(lookup, url)| LinkDep {
                target: lookup.to_dep_target(),
                url,
            })
            .chain(
                state
                    .other_deps
                    .into_iter()
                    .map(|(target, url)| LinkDep { target, url }),
            )
            .collect();
        let mut search_from = 0;
        let mut warnings: Vec<PageWarning> = Vec::new();
        for (line, name) in state.unresolved {
            let line = match (line, source) {
                (0, Some((text, first_line))) => {
                    let found = text[search_from..]
                        .find(&format!("[{name}]"))
                        .map(|offset| search_from + offset);
                    found.map(|at| {
                        search_from = at + 1;
                        first_line.max(1) + text[..at].matches('\n').count() as u32
                    })
                }
                (0, None) => None,
                (line, _) => Some(line),
            };
            // Comrak may offer one reference twice; its second report finds no new place.
            if line.is_none()
                && warnings
                    .iter()
                    .any(|w| w.message.contains(&format!("`{name}`")))
            {
                continue;
            }
            let warning = PageWarning {
                file: file.map(str::to_string),
                line,
                message: format!(
                    "unresolved cross-reference `{name}`: no documented object or inventory entry has that name"
                ),
                kind: WarningKind::DeadLink,
            };
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
        (deps, warnings)
    }
}

impl References for PageRefs<'_> {
    fn reference(&self, label: &str) -> Option<String> {
        // Only dotted names are meant as references; a bare `[word]` is left alone quietly.
        // In a docstring the line is the object's; in a guide page it is found afterwards.
        let line = if self.module.is_empty() {
            0
        } else {
            self.state().line
        };
        let explicit = label.contains('.').then_some(line);
        self.link(label, false, explicit)
    }

    fn role(&self, role: &str, target: &str, line: u32) -> Option<String> {
        // In a docstring the line is the object's; in a guide page, the role's own.
        let line = if self.module.is_empty() {
            line
        } else {
            self.state().line
        };
        self.link(target, role == "mod", Some(line))
    }
}

impl ApiLinks for PageRefs<'_> {
    fn enter(&self, line: u32, class: &str) {
        let mut state = self.state();
        state.line = line;
        if state.class != class {
            state.class = class.to_string();
        }
    }

    fn type_href(&self, name: &str) -> Option<String> {
        // Unresolved names in types stay plain text, without a warning.
        self.link(name, false, None)
    }

    fn referenced_by(&self, id: &str) -> Vec<(String, String)> {
        let Some(module_url) = self.resolver.module_url(&self.module) else {
            return Vec::new();
        };
        let object_url = if id.is_empty() {
            module_url.to_string()
        } else {
            format!("{module_url}#{id}")
        };
        self.resolver
            .referenced_by(&object_url)
            .iter()
            .map(|page| (page.title.clone(), self.href(page.url.clone())))
            .collect()
    }

    fn inherited(&self, class: &str) -> Vec<InheritedFrom> {
        let (target, digest) = self.resolver.inherited_dep(&self.module, class);
        self.state().other_deps.insert(target, digest);
        let mut inherited = self.resolver.inherited(&self.module, class);
        for from in &mut inherited {
            from.url = self.href(std::mem::take(&mut from.url));
            for member in &mut from.members {
                member.url = self.href(std::mem::take(&mut member.url));
            }
        }
        inherited
    }
}
