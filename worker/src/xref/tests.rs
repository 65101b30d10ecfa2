//! Name resolution: re-exports, relative names, shadowing, cycles, a name that is both a
//! module and an attribute, external objects.

use super::*;
use protocol::{ApiModule, ApiObject, ExternalObject};
use std::sync::Arc;

fn module(name: &str, objects: &[(&str, ObjectKind)], imports: &[(&str, &str)]) -> ApiModule {
    ApiModule {
        name: name.into(),
        url: format!("/api/{}/", name.replace('.', "/")),
        objects: objects
            .iter()
            .map(|(qualname, kind)| ApiObject {
                qualname: (*qualname).into(),
                kind: *kind,
                anchor_suffix: 0,
            })
            .collect(),
        class_bases: Vec::new(),
        imports: imports
            .iter()
            .map(|(bound, origin)| ((*bound).into(), (*origin).into()))
            .collect(),
        file: String::new(),
        is_package: false,
        include_private: false,
        merge_init_into_class: false,
    }
}

/// `pkg` re-exports `Command` from `pkg.core`; `pkg.core` imports `Path` from pathlib;
/// `pkg.thing` is a submodule shadowed in `pkg` by the function `thing` it defines;
/// `pkg.a` and `pkg.b` import `Loop` from each other (a cycle).
fn resolver() -> Resolver {
    use ObjectKind::*;
    Resolver::new(&Arc::new(ApiInventory {
        modules: vec![
            module(
                "pkg",
                &[("VERSION", Data)],
                &[
                    ("Command", "pkg.core.Command"),
                    ("thing", "pkg.thing.thing"),
                    ("core", "pkg.core"),
                ],
            ),
            module(
                "pkg.core",
                &[
                    ("Command", Class),
                    ("Command.invoke", Method),
                    ("Command.name", Attribute),
                    ("Command.Inner", Class),
                    ("Command.Inner.run", Method),
                    ("Context", Class),
                    ("main", Function),
                ],
                &[("Path", "pathlib.Path"), ("Missing", "pkg.nowhere.Missing")],
            ),
            module(
                "pkg.thing",
                &[("thing", Function), ("helper", Function)],
                &[],
            ),
            module("pkg.a", &[], &[("Loop", "pkg.b.Loop")]),
            module("pkg.b", &[], &[("Loop", "pkg.a.Loop")]),
        ]
        .into(),
        external: vec![
            ExternalObject {
                name: "pathlib.Path".into(),
                kind: Class,
                url: "https://docs.python.org/3/library/pathlib.html#pathlib.Path".into(),
            },
            ExternalObject {
                name: "str".into(),
                kind: Class,
                url: "https://docs.python.org/3/library/stdtypes.html#str".into(),
            },
        ]
        .into(),
        backlinks: None,
    }))
}

fn lookup(module: &str, class: &str, name: &str) -> Lookup {
    Lookup {
        scope: Scope {
            module: module.into(),
            class: class.into(),
        },
        wants_module: false,
        name: name.into(),
    }
}

fn resolved(resolver: &Resolver, lookup: &Lookup) -> Option<String> {
    resolver.resolve(lookup).map(|target| target.name)
}

#[test]
fn re_exports_resolve_to_their_origin() {
    let r = resolver();
    assert_eq!(
        resolved(&r, &lookup("", "", "pkg.Command")).as_deref(),
        Some("pkg.core.Command")
    );
    assert_eq!(
        r.resolve(&lookup("", "", "pkg.Command.invoke"))
            .map(|t| t.url)
            .as_deref(),
        Some("/api/pkg/core/#pkg.core.Command.invoke")
    );
    // Through an imported module.
    assert_eq!(
        resolved(&r, &lookup("", "", "pkg.core.Context")).as_deref(),
        Some("pkg.core.Context")
    );
}

#[test]
fn names_resolve_relative_to_the_module_and_class() {
    let r = resolver();
    assert_eq!(
        resolved(&r, &lookup("pkg.core", "", "Context")).as_deref(),
        Some("pkg.core.Context")
    );
    assert_eq!(
        resolved(&r, &lookup("pkg.core", "Command", "invoke")).as_deref(),
        Some("pkg.core.Command.invoke")
    );
    // From a nested class, up to the enclosing one.
    assert_eq!(
        resolved(&r, &lookup("pkg.core", "Command.Inner", "name")).as_deref(),
        Some("pkg.core.Command.name")
    );
    assert_eq!(
        resolved(&r, &lookup("pkg.core", "Command.Inner", "run")).as_deref(),
        Some("pkg.core.Command.Inner.run")
    );
    // `~` is a display mark.
    assert_eq!(
        resolved(&r, &lookup("pkg.thing", "", "~pkg.core.main")).as_deref(),
        Some("pkg.core.main")
    );
    // An import of the module, followed to an external inventory.
    assert_eq!(
        r.resolve(&lookup("pkg.core", "", "Path"))
            .map(|t| t.url)
            .as_deref(),
        Some("https://docs.python.org/3/library/pathlib.html#pathlib.Path")
    );
    assert_eq!(
        resolved(&r, &lookup("pkg.core", "", "str")).as_deref(),
        Some("str")
    );
    assert_eq!(resolved(&r, &lookup("pkg.core", "", "Unknown")), None);
    assert_eq!(resolved(&r, &lookup("pkg.core", "", "Missing")), None);
    assert_eq!(resolved(&r, &lookup("pkg.core", "", "")), None);
}

#[test]
fn a_local_definition_shadows_a_global_name() {
    let r = resolver();
    // `main` relative to pkg.thing does not exist there; the absolute `main` neither.
    assert_eq!(resolved(&r, &lookup("pkg.thing", "", "main")), None);
    // `helper` inside pkg.thing is pkg.thing.helper, even though pkg.core is searched too.
    assert_eq!(
        resolved(&r, &lookup("pkg.thing", "", "helper")).as_deref(),
        Some("pkg.thing.helper")
    );
    // A module-level `Command` in scope pkg.core wins over `pkg.Command` (the same here).
    assert_eq!(
        resolved(&r, &lookup("pkg.core", "Command", "Command")).as_deref(),
        Some("pkg.core.Command")
    );
}

#[test]
fn a_name_both_module_and_attribute_is_the_attribute_unless_a_module_is_wanted() {
    let r = resolver();
    let target = r.resolve(&lookup("", "", "pkg.thing")).unwrap();
    assert_eq!(
        (target.name.as_str(), target.kind),
        ("pkg.thing.thing", ObjectKind::Function)
    );
    let module = Lookup {
        wants_module: true,
        ..lookup("", "", "pkg.thing")
    };
    let target = r.resolve(&module).unwrap();
    assert_eq!(
        (target.url.as_str(), target.kind),
        ("/api/pkg/thing/", ObjectKind::Module)
    );
    // A member of the submodule is still reachable through it.
    assert_eq!(
        resolved(&r, &lookup("", "", "pkg.thing.helper")).as_deref(),
        None,
        "pkg.thing is the function in pkg's namespace, which has no `helper`"
    );
}

#[test]
fn a_cycle_of_re_exports_ends_unresolved() {
    let r = resolver();
    assert_eq!(resolved(&r, &lookup("", "", "pkg.a.Loop")), None);
    assert_eq!(resolved(&r, &lookup("pkg.b", "", "Loop")), None);
}

#[test]
fn modules_resolve_to_their_page_and_lookups_survive_their_dep_encoding() {
    let r = resolver();
    assert_eq!(
        r.resolve(&lookup("", "", "pkg.core"))
            .map(|t| t.url)
            .as_deref(),
        Some("/api/pkg/core/")
    );
    let original = Lookup {
        wants_module: true,
        ..lookup("pkg.core", "Command.Inner", "a.b")
    };
    let target = original.to_dep_target();
    assert_eq!(target, "py:pkg.core|Command.Inner|m|a.b");
    assert_eq!(Lookup::from_dep_target(&target), Some(original));
    assert_eq!(Lookup::from_dep_target("content/a.md"), None);
}

#[test]
fn dotted_names_are_found_in_type_expressions() {
    fn names(text: &str) -> Vec<&str> {
        dotted_names(text)
            .into_iter()
            .map(|(_, name)| name)
            .collect()
    }
    assert_eq!(
        names("Optional[click.Context] | None"),
        ["Optional", "click.Context", "None"]
    );
    assert_eq!(
        names("dict[str, list[\"Path\"]]"),
        ["dict", "str", "list", "Path"]
    );
    assert_eq!(names("Literal[1.5, 'a']"), ["Literal", "a"]);
    assert_eq!(names("f().attr"), ["f"]);
    assert_eq!(names("a. b"), ["a", "b"]);
    for (range, name) in dotted_names("x: ünï.Cöde = 3") {
        assert_eq!(&"x: ünï.Cöde = 3"[range], name);
    }
}

/// A module at `url` whose objects have the bases given (empty for none).
pub(super) fn module_at(
    name: &str,
    url: &str,
    objects: &[(&str, ObjectKind, &[&str])],
) -> ApiModule {
    ApiModule {
        url: url.into(),
        objects: objects
            .iter()
            .map(|(qualname, kind, _)| ApiObject {
                qualname: (*qualname).into(),
                kind: *kind,
                anchor_suffix: 0,
            })
            .collect(),
        class_bases: (0u32..)
            .zip(objects)
            .filter(|(_, (_, _, bases))| !bases.is_empty())
            .map(|(object, (_, _, bases))| protocol::ClassBases {
                object,
                bases: bases.iter().map(|base| (*base).into()).collect(),
            })
            .collect(),
        ..module(name, &[], &[])
    }
}

fn resolver_of(modules: Vec<ApiModule>, external: Vec<ExternalObject>) -> Resolver {
    Resolver::new(&Arc::new(ApiInventory {
        modules: modules.into(),
        external: external.into(),
        backlinks: None,
    }))
}

fn url_and_kind(resolver: &Resolver, lookup: &Lookup) -> Option<(String, ObjectKind)> {
    resolver
        .resolve(lookup)
        .map(|target| (target.url, target.kind))
}

#[test]
fn a_full_name_spans_module_boundaries_and_its_first_entry_wins() {
    use ObjectKind::*;
    // `a.b.C` is both module `a`'s `b.C` (first) and module `a.b`'s `C`.
    let r = resolver_of(
        vec![
            module_at(
                "a",
                "/api/a/",
                &[("b", Class, &[]), ("b.C", Attribute, &[])],
            ),
            module_at(
                "a.b",
                "/api/a/b/",
                &[("C", Class, &[]), ("D", Function, &[])],
            ),
        ],
        vec![],
    );
    let first = Some(("/api/a/#a.b.C".to_string(), Attribute));
    assert_eq!(url_and_kind(&r, &lookup("", "", "a.b.C")), first);
    assert_eq!(url_and_kind(&r, &lookup("a.b", "", "C")), first);
    // Through class `a.b`'s namespace to an object module `a.b` documents.
    assert_eq!(
        url_and_kind(&r, &lookup("", "", "a.b.D")),
        Some(("/api/a/b/#a.b.D".to_string(), Function))
    );
    assert_eq!(url_and_kind(&r, &lookup("", "", "a.b.E")), None);
    let module = Lookup {
        wants_module: true,
        ..lookup("", "", "a.b")
    };
    assert_eq!(
        url_and_kind(&r, &module),
        Some(("/api/a/b/".to_string(), Module))
    );
    assert_eq!(r.split_module("a.b.C"), Some(("a.b", "C")));
    assert_eq!(r.split_module("a.x.y"), Some(("a", "x.y")));
    assert_eq!(r.split_module("z.a"), None);
}

#[test]
fn a_module_documented_twice_keeps_its_first_entry_and_lends_its_classes_members() {
    use ObjectKind::*;
    let r = resolver_of(
        vec![
            module_at(
                "dup",
                "/api/dup/",
                &[("K", Class, &[]), ("K.run", Method, &[])],
            ),
            module_at(
                "dup",
                "/api/dup2/",
                &[
                    ("K", Function, &[]),
                    ("K.stop", Method, &[]),
                    ("L", Class, &[]),
                    ("Sub", Class, &["K"]),
                ],
            ),
        ],
        vec![],
    );
    assert_eq!(
        url_and_kind(&r, &lookup("", "", "dup.K")),
        Some(("/api/dup/#dup.K".to_string(), Class))
    );
    assert_eq!(
        url_and_kind(&r, &lookup("", "", "dup")),
        Some(("/api/dup/".to_string(), Module))
    );
    // A name only the second entry documents still resolves, to its page.
    assert_eq!(
        url_and_kind(&r, &lookup("dup", "", "L")),
        Some(("/api/dup2/#dup.L".to_string(), Class))
    );
    assert_eq!(r.module_url("dup"), Some("/api/dup/"));
    assert_eq!(
        r.module_source("dup").map(|m| m.url.as_str()),
        Some("/api/dup/")
    );
    // `dup.K`'s members: its own module's, then the second entry's `K.stop`.
    let inherited = r.inherited("dup", "Sub");
    assert_eq!(inherited.len(), 1);
    assert_eq!(inherited[0].base, "dup.K");
    assert_eq!(inherited[0].url, "/api/dup/#dup.K");
    let members: Vec<(&str, &str)> = inherited[0]
        .members
        .iter()
        .map(|member| (member.name.as_str(), member.url.as_str()))
        .collect();
    assert_eq!(
        members,
        [
            ("run", "/api/dup/#dup.K.run"),
            ("stop", "/api/dup2/#dup.K.stop")
        ]
    );
}

#[test]
fn a_class_after_a_same_named_function_is_still_a_base() {
    use ObjectKind::*;
    // `m.B` is first a function, then (in the module's second entry) a class: a name
    // resolves to the function, and the class is the one inherited from.
    let r = resolver_of(
        vec![
            module_at(
                "m",
                "/api/m/",
                &[("B", Function, &[]), ("A", Class, &["B"])],
            ),
            module_at("m", "/api/m2/", &[("B", Class, &[]), ("B.go", Method, &[])]),
        ],
        vec![],
    );
    assert_eq!(
        url_and_kind(&r, &lookup("", "", "m.B")),
        Some(("/api/m/#m.B".to_string(), Function))
    );
    let inherited = r.inherited("m", "A");
    assert_eq!(inherited.len(), 1);
    assert_eq!(inherited[0].url, "/api/m/#m.B");
    assert_eq!(inherited[0].members[0].url, "/api/m2/#m.B.go");
}

#[test]
fn the_last_import_of_a_name_is_followed() {
    use ObjectKind::*;
    let r = resolver_of(
        vec![
            module(
                "pkg",
                &[],
                &[("X", "pkg.core.Command"), ("X", "pkg.core.Context")],
            ),
            module("pkg.core", &[("Command", Class), ("Context", Class)], &[]),
        ],
        vec![],
    );
    assert_eq!(
        resolved(&r, &lookup("", "", "pkg.X")).as_deref(),
        Some("pkg.core.Context")
    );
}

#[test]
fn external_objects_are_found_by_exact_name_the_first_of_a_name_winning() {
    let external = |name: &str, url: &str| ExternalObject {
        name: name.into(),
        kind: ObjectKind::Class,
        url: url.into(),
    };
    let sorted = vec![
        external("alpha", "https://x/alpha"),
        external("zeta", "https://x/zeta1"),
        external("zeta", "https://x/zeta2"),
    ];
    let unsorted = vec![
        external("zeta", "https://x/zeta1"),
        external("alpha", "https://x/alpha"),
        external("zeta", "https://x/zeta2"),
        external("mid", "https://x/mid"),
    ];
    for list in [sorted, unsorted] {
        let r = resolver_of(vec![], list);
        assert!(!r.is_empty());
        let url = |name: &str| r.resolve(&lookup("", "", name)).map(|t| t.url);
        assert_eq!(url("zeta").as_deref(), Some("https://x/zeta1"));
        assert_eq!(url("alpha").as_deref(), Some("https://x/alpha"));
        assert_eq!(url("alph"), None);
        assert_eq!(url("zz"), None);
    }
    assert!(resolver_of(vec![], vec![]).is_empty());
}
