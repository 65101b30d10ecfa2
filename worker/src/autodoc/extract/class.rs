//! Classes: kind (dataclass, named tuple, typed dict, enum, protocol), bases, the calling
//! signature, and members through the same [`Scope`] walker as modules.
//!
//! The signature is `__init__`'s (or `__new__`'s) without `self`; a dataclass or named
//! tuple without either gets one built from its fields, as Python itself would generate.
//! Entries of the class docstring's `Attributes` section move onto the attributes they
//! describe, so each attribute is documented in one place.

use ruff_python_ast::{self as ast, Expr};

use super::{Context, Scope, ScopeKind, docstring_of};
use crate::autodoc::decorators::{Decorators, last_name};
use crate::autodoc::docstring::{Docstring, cleandoc};
use crate::autodoc::model::{AttributeDoc, ClassDoc, ClassKind};
use crate::autodoc::parse::SourceText;
use crate::autodoc::signature::{Param, ParamKind, Signature, type_params};

/// Longest field default shown in a generated signature, in characters.
const DEFAULT_MAX_CHARS: usize = 80;

/// An annotated class attribute, as a dataclass or named tuple field.
#[derive(Debug)]
pub(crate) struct FieldSpec {
    name: String,
    annotation: String,
    default: Option<String>,
    /// `field(init=False)` leaves the field out of `__init__`.
    init: bool,
    /// `field(kw_only=...)`, overriding the class default.
    kw_only: Option<bool>,
    /// `ClassVar[...]` annotations are not fields.
    is_class_var: bool,
    /// `_: KW_ONLY` makes the following fields keyword-only.
    is_kw_only_marker: bool,
}

impl FieldSpec {
    pub(crate) fn read(
        name: &str,
        annotation: &Expr,
        value: Option<&Expr>,
        source: &SourceText<'_>,
    ) -> FieldSpec {
        let base = match annotation {
            Expr::Subscript(subscript) => &*subscript.value,
            other => other,
        };
        let mut spec = FieldSpec {
            name: name.to_owned(),
            annotation: source.expr(annotation),
            default: None,
            init: true,
            kw_only: None,
            is_class_var: last_name(base) == Some("ClassVar"),
            is_kw_only_marker: last_name(annotation) == Some("KW_ONLY"),
        };
        match value {
            Some(Expr::Call(call)) if last_name(&call.func) == Some("field") => {
                for keyword in &call.arguments.keywords {
                    let literal = match &keyword.value {
                        Expr::BooleanLiteral(literal) => Some(literal.value),
                        _ => None,
                    };
                    match keyword.arg.as_ref().map(|arg| arg.as_str()) {
                        Some("default") => {
                            spec.default =
                                Some(source.expr_capped(&keyword.value, DEFAULT_MAX_CHARS))
                        }
                        // What `inspect.signature` shows for a dataclass default factory.
                        Some("default_factory") => spec.default = Some("<factory>".to_owned()),
                        Some("init") => spec.init = literal != Some(false),
                        Some("kw_only") => spec.kw_only = literal,
                        _ => {}
                    }
                }
            }
            Some(value) => spec.default = Some(source.expr_capped(value, DEFAULT_MAX_CHARS)),
            None => {}
        }
        spec
    }
}

/// Extracts a class and its members. `prefix` is the enclosing class path (`Outer.`).
pub(crate) fn extract_class(
    class: &ast::StmtClassDef,
    context: &Context<'_>,
    prefix: &str,
) -> ClassDoc {
    let source = context.source;
    let name = class.name.as_str();
    let qualname = format!("{prefix}{name}");
    let decorators = Decorators::read(&class.decorator_list, source);
    let (bases, keywords) = match class.arguments.as_deref() {
        Some(arguments) => (
            arguments
                .args
                .iter()
                .map(|base| source.expr(base))
                .collect(),
            arguments
                .keywords
                .iter()
                .map(|keyword| source.expr(keyword))
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let kind = class_kind(&decorators, class.arguments.as_deref());

    let mut scope = Scope::new(context, ScopeKind::Class { kind }, format!("{qualname}."));
    scope.walk(&class.body);
    let members = scope.finish();

    let signature = members
        .init
        .or(members.new)
        .map(|constructor| constructor.signature)
        .or_else(|| generated_signature(kind, &members.fields, decorators.dataclass_kw_only));
    let own = docstring_of(&class.body);
    let init = members.init_docstring.raw.as_deref();
    let mut docstring = if !context.options.merge_init_into_class {
        own.map(|raw| context.docstring(raw))
    } else if context.options.names_only {
        (own.is_some() || init.is_some()).then(Docstring::default)
    } else {
        merged_docstring(own, init).map(|raw| context.docstring(&raw))
    };
    let mut attributes = members.attributes;
    if let Some(docstring) = &mut docstring {
        if let Some(signature) = &signature {
            docstring.fill_types(signature);
        }
        fold_attributes(docstring, &mut attributes);
    }
    ClassDoc {
        name: name.to_owned(),
        qualname,
        line: source.line(class.name.range.start()),
        end_line: source.line(ruff_text_size::Ranged::end(class)),
        decorators: decorators.shown,
        kind,
        type_params: type_params(class.type_params.as_deref(), source),
        bases,
        keywords,
        signature,
        docstring,
        deprecated: decorators.deprecated,
        is_final: decorators.is_final,
        attributes,
        properties: members.properties,
        methods: members.functions,
        classes: members.classes,
    }
}

/// `merge_init_into_class`: the class's docstring followed by `__init__`'s, each cleaned
/// like `inspect.cleandoc` and joined by a blank line, so that the two are parsed as one
/// (`__init__`'s `Args:` document the class); either alone when the other is missing.
/// Cleaning the joined text again changes nothing, since the second part starts unindented.
fn merged_docstring(class: Option<&str>, init: Option<&str>) -> Option<String> {
    match (class.map(cleandoc), init.map(cleandoc)) {
        (Some(class), Some(init)) if !class.is_empty() && !init.is_empty() => {
            Some(format!("{class}\n\n{init}"))
        }
        (Some(class), Some(init)) if class.is_empty() => Some(init),
        (Some(class), _) => Some(class),
        (None, init) => init,
    }
}

/// A class's kind from `@dataclass` or its bases' last names.
fn class_kind(decorators: &Decorators, arguments: Option<&ast::Arguments>) -> ClassKind {
    if decorators.is_dataclass {
        return ClassKind::Dataclass;
    }
    let bases = arguments
        .map(|arguments| &arguments.args[..])
        .unwrap_or(&[]);
    for base in bases {
        let base = match base {
            Expr::Subscript(subscript) => &*subscript.value,
            other => other,
        };
        let kind = match last_name(base) {
            Some("NamedTuple") => ClassKind::NamedTuple,
            Some("TypedDict") => ClassKind::TypedDict,
            Some("Enum" | "IntEnum" | "StrEnum" | "Flag" | "IntFlag" | "ReprEnum") => {
                ClassKind::Enum
            }
            Some("Protocol") => ClassKind::Protocol,
            _ => continue,
        };
        return kind;
    }
    ClassKind::Class
}

/// The `__init__` Python generates for a dataclass or named tuple, from its own fields
/// (fields inherited from base classes are not visible without importing them).
fn generated_signature(
    kind: ClassKind,
    fields: &[FieldSpec],
    kw_only_default: bool,
) -> Option<Signature> {
    if !matches!(kind, ClassKind::Dataclass | ClassKind::NamedTuple) {
        return None;
    }
    let mut positional = Vec::new();
    let mut keyword = Vec::new();
    let mut kw_only = kw_only_default && kind == ClassKind::Dataclass;
    for field in fields {
        if field.is_kw_only_marker {
            kw_only = true;
            continue;
        }
        let duplicate = positional
            .iter()
            .chain(&keyword)
            .any(|param: &Param| param.name == field.name);
        if field.is_class_var || !field.init || duplicate {
            continue;
        }
        let is_keyword = kind == ClassKind::Dataclass && field.kw_only.unwrap_or(kw_only);
        let param = Param {
            name: field.name.clone(),
            kind: if is_keyword {
                ParamKind::KeywordOnly
            } else {
                ParamKind::PositionalOrKeyword
            },
            annotation: Some(field.annotation.clone()),
            default: field.default.clone(),
        };
        if is_keyword {
            keyword.push(param)
        } else {
            positional.push(param)
        }
    }
    positional.extend(keyword);
    Some(Signature {
        type_params: Vec::new(),
        params: positional,
        returns: None,
    })
}

/// Moves `Attributes:` entries of a class docstring onto the undocumented attributes they
/// name; entries naming nothing in the class body (instance attributes) stay in the table.
fn fold_attributes(docstring: &mut Docstring, attributes: &mut [AttributeDoc]) {
    docstring.attributes.retain(|field| {
        let Some(attribute) = attributes
            .iter_mut()
            .find(|attribute| attribute.name == field.name && attribute.docstring.is_none())
        else {
            return true;
        };
        attribute.docstring = Some(Docstring {
            text: field.description.clone(),
            body: field.description.clone(),
            ..Docstring::default()
        });
        if attribute.annotation.is_none() {
            attribute.annotation.clone_from(&field.ty);
        }
        false
    });
}
