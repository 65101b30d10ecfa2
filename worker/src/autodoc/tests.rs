//! Whole-module tests: syntax errors, the real-world samples, and an HTML snapshot.

use std::path::{Path, PathBuf};

use super::render::escape;
use super::{AutodocOptions, ModulePageInfo, document_module, render_module};

fn markdown(text: &str) -> String {
    format!("<p>{}</p>", escape(text))
}

/// Documents `source` and expects a syntax error at `line`:`column`.
fn check_error(source: &str, line: u32, column: u32, message_part: &str) {
    match document_module(source, "m", AutodocOptions::default()) {
        Ok(_) => panic!("{source:?} parsed"),
        Err(error) => {
            assert_eq!(
                (error.line, error.column),
                (line, column),
                "{source:?}: {error}"
            );
            assert!(error.message.contains(message_part), "{source:?}: {error}");
        }
    }
}

#[test]
fn syntax_errors_report_line_and_column() {
    check_error("x = 1\ndef f(:\n    pass\n", 2, 7, "");
    check_error("class A:\npass\n", 2, 1, "indent");
    check_error("a = (1,\nb = 2\n", 2, 3, "");
    check_error("s = 'unterminated\n", 1, 5, "");
    // Columns count characters, not bytes.
    check_error("é = 1\nπ = )\n", 2, 5, "");
}

#[test]
fn nesting_deeper_than_python_allows_is_an_error() {
    // CPython refuses more than 100 indentation levels; 100 nested classes are fine.
    let nested = |depth: usize| {
        let mut source = String::new();
        for level in 0..depth {
            source.push_str(&format!("{}class C{level}:\n", " ".repeat(level)));
        }
        source.push_str(&format!("{}pass\n", " ".repeat(depth)));
        source
    };
    let doc = document_module(&nested(100), "m", AutodocOptions::default());
    assert!(doc.is_ok(), "{doc:?}");
    check_error(&nested(101), 102, 1, "too many levels of indentation");
}

#[test]
fn expressions_deeper_than_python_compiles_are_refused_before_parsing() {
    let deep = format!(
        "\"\"\"M.\"\"\"\n\n\ndef f():\n    return {}1\n",
        "-".repeat(200_000)
    );
    check_error(&deep, 5, 100_012, "nested too deeply");
    // The 100,000th `+` is the one too many (`=` counts too).
    let chain = format!("x = {}1\n", "a + ".repeat(120_000));
    check_error(&chain, 1, 400_003, "nested too deeply");
    let brackets = format!(
        "# {}\nx = {}1{}\n",
        "-".repeat(100_000),
        "(".repeat(201),
        ")".repeat(201)
    );
    check_error(&brackets, 2, 205, "too many nested parentheses");
    // Brackets, operators and strings that only look deep are not.
    let flat = format!(
        "DATA = [{}]\nTEXT = '{}'\n# {}\n",
        (0..100_000)
            .map(|i| format!("-{i}.5"))
            .collect::<Vec<_>>()
            .join(", "),
        "(".repeat(300),
        "-".repeat(200_000)
    );
    assert!(document_module(&flat, "m", AutodocOptions::default()).is_ok());
}

#[test]
fn long_all_concatenations_do_not_recurse() {
    let terms: Vec<String> = (0..20_000).map(|index| format!("['n{index}']")).collect();
    let source = format!("__all__ = {}\n", terms.join(" + "));
    let doc = document_module(&source, "m", AutodocOptions::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let all = doc.all.unwrap_or_default();
    assert_eq!(
        (
            all.len(),
            all.first().map(String::as_str),
            all.last().map(String::as_str)
        ),
        (20_000, Some("n0"), Some("n19999"))
    );
}

#[test]
fn modern_syntax_parses() {
    let cases = [
        "try:\n    pass\nexcept ValueError, TypeError:\n    pass",
        "x = f\"{'a' + \"b\"}\"",
        "class C[T = int, *Ts = *tuple[int], **P = [int]]: pass",
        "type Pair[T] = tuple[T, T]",
        "def f[T](x: T) -> T: return x",
        "match x:\n    case [1, *rest]: pass",
    ];
    for source in cases {
        if let Err(error) = document_module(source, "m", AutodocOptions::default()) {
            panic!("{source:?}: {error}");
        }
    }
}

fn samples_dir() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/samples/python"
    ))
    .to_path_buf()
}

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            python_files(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "py") {
            out.push(path);
        }
    }
}

/// Names that must be documented, per sample file (file name, ids that must be anchors).
const SAMPLE_NAMES: &[(&str, &[&str])] = &[
    (
        "django_db_models_query.py",
        &[
            "QuerySet",
            "QuerySet.filter",
            "QuerySet.query",
            "Prefetch",
            "prefetch_related_objects",
            "MAX_GET_RESULTS",
            "RawQuerySet",
        ],
    ),
    (
        "django_utils_functional.py",
        &["cached_property", "lazy", "SimpleLazyObject", "keep_lazy"],
    ),
    (
        "bengal_build_provenance_assets.py",
        &["load_asset_hashes", "is_asset_changed"],
    ),
    (
        "bengal_build_contracts_dependency_index.py",
        &[
            "DependencyIndexEntry",
            "DependencyReadIndex",
            "build_dependency_read_index",
        ],
    ),
    (
        "bengal_analysis_links_suggestions.py",
        &["LinkSuggestion", "LinkSuggestionEngine", "suggest_links"],
    ),
    ("bengal_autodoc_extractors_cli.py", &["CLIExtractor"]),
    (
        "homeassistant_helpers_collection.py",
        &[
            "ObservableCollection",
            "StorageCollection",
            "ChangeListener",
            "STORAGE_VERSION",
        ],
    ),
    (
        "homeassistant_helpers_entity_component.py",
        &["EntityComponent", "async_update_entity"],
    ),
    (
        "homeassistant_components_broadlink_device.py",
        &["BroadlinkDevice", "get_domains"],
    ),
    (
        "homeassistant_helpers_update_coordinator.py",
        &["DataUpdateCoordinator", "UpdateFailed", "CoordinatorEntity"],
    ),
    (
        "homeassistant_components_webhook___init__.py",
        &["async_register", "DOMAIN"],
    ),
];

#[test]
fn every_sample_documents_and_renders() {
    let mut files = Vec::new();
    python_files(&samples_dir(), &mut files);
    files.sort();
    assert!(files.len() >= 14, "found {} sample files", files.len());
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            panic!("cannot read {}", path.display());
        };
        let file_name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        let module = file_name.trim_end_matches(".py").replace('_', ".");
        let doc = match document_module(&source, &module, AutodocOptions::default()) {
            Ok(doc) => doc,
            Err(error) => panic!("{}: {error}", path.display()),
        };
        let info = ModulePageInfo {
            links: None,
            source_url: None,
            source_file: file_name,
            is_package: false,
            submodules: &[],
        };
        let out = render_module(&doc, &info, &markdown);
        assert!(
            !out.html.is_empty() && !out.plain_text.is_empty(),
            "{}",
            path.display()
        );
        let mut unique = out.anchors.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            out.anchors.len(),
            "{}: duplicate ids",
            path.display()
        );
        for (sample, names) in SAMPLE_NAMES {
            if *sample != file_name {
                continue;
            }
            for name in *names {
                let id = format!("{module}.{name}");
                assert!(out.anchors.contains(&id), "{}: no {id}", path.display());
            }
        }
    }
    for (sample, _) in SAMPLE_NAMES {
        assert!(
            files.iter().any(|path| path.ends_with(sample)),
            "sample {sample} is missing"
        );
    }
}

#[test]
fn samples_keep_their_quirks() {
    let read = |name: &str| {
        let path = samples_dir().join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    };
    // Django: QuerySet.query is a settable property; query.py's module constants.
    let source = read("django/django_db_models_query.py");
    let doc = document_module(&source, "django.db.models.query", AutodocOptions::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let queryset = doc
        .classes
        .iter()
        .find(|class| class.name == "QuerySet")
        .unwrap_or_else(|| panic!("no QuerySet"));
    let query = queryset
        .properties
        .iter()
        .find(|property| property.name == "query")
        .unwrap_or_else(|| panic!("no QuerySet.query"));
    assert!(query.settable);
    assert_eq!(
        queryset
            .signature
            .as_ref()
            .map(|signature| signature.format_params())
            .as_deref(),
        Some("(model=None, query=None, using=None, hints=None)")
    );
    assert!(
        queryset
            .methods
            .iter()
            .any(|method| method.name == "__deepcopy__"),
        "documented dunder"
    );

    // Home Assistant: PEP 695 class with a PEP 696 default.
    let source = read("homeassistant/homeassistant_components_broadlink_device.py");
    let doc = document_module(
        &source,
        "homeassistant.components.broadlink.device",
        AutodocOptions::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let device = doc
        .classes
        .iter()
        .find(|class| class.name == "BroadlinkDevice")
        .unwrap_or_else(|| panic!("no BroadlinkDevice"));
    assert_eq!(
        super::signature::format_type_params(&device.type_params),
        "[_ApiT: blk.Device = blk.Device]"
    );

    // Bengal: __all__ selects exactly three names, in its order.
    let source = read("bengal/bengal_build_contracts_dependency_index.py");
    let doc = document_module(
        &source,
        "bengal.build.contracts.dependency_index",
        AutodocOptions::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let classes: Vec<&str> = doc
        .classes
        .iter()
        .map(|class| class.name.as_str())
        .collect();
    let functions: Vec<&str> = doc
        .functions
        .iter()
        .map(|function| function.name.as_str())
        .collect();
    assert_eq!(classes, ["DependencyIndexEntry", "DependencyReadIndex"]);
    assert_eq!(functions, ["build_dependency_read_index"]);
}

#[test]
fn snapshot_of_a_small_module() {
    let source = include_str!("testdata/shapes.py");
    let options = AutodocOptions {
        is_package: false,
        include_private: false,
        merge_init_into_class: false,
        names_only: false,
    };
    let doc = document_module(source, "geometry.shapes", options)
        .unwrap_or_else(|error| panic!("{error}"));
    let info = ModulePageInfo {
        links: None,
        source_url: None,
        source_file: "src/geometry/shapes.py",
        is_package: false,
        submodules: &[],
    };
    let out = render_module(&doc, &info, &markdown);
    insta::assert_snapshot!("shapes_html", out.html);
    insta::assert_snapshot!("shapes_plain_text", out.plain_text);
    let headings: Vec<String> = out
        .headings
        .iter()
        .map(|heading| {
            format!(
                "{} {} #{}",
                "#".repeat(heading.level.into()),
                heading.text,
                heading.id
            )
        })
        .collect();
    insta::assert_snapshot!("shapes_headings", headings.join("\n"));
}
