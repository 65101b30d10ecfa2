//! Name resolution: re-exports, relative names, shadowing, cycles, a name that is both a
//! module and an attribute, external objects.

use super::*;
use protocol::{ApiModule, ApiObject, ExternalObject};

fn module(name: &str, objects: &[(&str, ObjectKind)], imports: &[(&str, &str)]) -> ApiModule {
    ApiModule {
        name: name.into(),
        url: format!("/api/{}/", name.replace('.', "/")),
        objects: objects
            .iter()
            .map(|(qualname, kind)| ApiObject {
                qualname: (*qualname).into(),
                kind: *kind,
                anchor: format!("{name}.{qualname}"),
                bases: Vec::new(),
            })
            .collect(),
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
    Resolver::new(&ApiInventory {
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
    })
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
