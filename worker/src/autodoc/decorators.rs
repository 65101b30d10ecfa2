//! Decorators read for their meaning (`@staticmethod`, `@property`, `@overload`,
//! `@deprecated("...")`, `@x.setter`, `@dataclass`...) by their last dotted name, so
//! `functools.cached_property` and `typing_extensions.deprecated` count too. Decorators that
//! mean nothing to autodoc are kept as source text to show.

use ruff_python_ast::{self as ast, Expr};

use super::parse::SourceText;

/// What a decorator list says.
#[derive(Debug, Default)]
pub(crate) struct Decorators {
    /// Decorators with no badge, as source text without `@`.
    pub(crate) shown: Vec<String>,
    pub(crate) is_static: bool,
    pub(crate) is_class: bool,
    pub(crate) is_abstract: bool,
    pub(crate) is_overload: bool,
    pub(crate) is_final: bool,
    pub(crate) is_dataclass: bool,
    /// `@dataclass(kw_only=True)`.
    pub(crate) dataclass_kw_only: bool,
    pub(crate) property: Option<PropertyDecorator>,
    /// `@name.setter` / `@name.deleter`: the property's name and the accessor.
    pub(crate) accessor: Option<(String, Accessor)>,
    /// `Some(message)` for `@deprecated`, the message empty when there is none.
    pub(crate) deprecated: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PropertyDecorator {
    Property,
    Cached,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accessor {
    Getter,
    Setter,
    Deleter,
}

impl Decorators {
    pub(crate) fn read(decorators: &[ast::Decorator], source: &SourceText<'_>) -> Decorators {
        let mut out = Decorators::default();
        for decorator in decorators {
            let (target, call) = match &decorator.expression {
                Expr::Call(call) => (&*call.func, Some(call)),
                expression => (expression, None),
            };
            if let Expr::Attribute(attribute) = target
                && let Expr::Name(owner) = &*attribute.value
                && call.is_none()
            {
                let accessor = match attribute.attr.as_str() {
                    "setter" => Some(Accessor::Setter),
                    "deleter" => Some(Accessor::Deleter),
                    "getter" => Some(Accessor::Getter),
                    _ => None,
                };
                if let Some(accessor) = accessor {
                    out.accessor = Some((owner.id.as_str().to_owned(), accessor));
                    continue;
                }
            }
            match last_name(target) {
                Some("staticmethod") => out.is_static = true,
                Some("classmethod") => out.is_class = true,
                Some("abstractmethod") => out.is_abstract = true,
                Some("abstractproperty") => {
                    out.is_abstract = true;
                    out.property = Some(PropertyDecorator::Property);
                }
                Some("overload") => out.is_overload = true,
                Some("final") => out.is_final = true,
                Some("property") => out.property = Some(PropertyDecorator::Property),
                Some("cached_property") => out.property = Some(PropertyDecorator::Cached),
                Some("deprecated") => {
                    let message = call
                        .and_then(|call| call.arguments.args.first())
                        .and_then(|argument| match argument {
                            Expr::StringLiteral(literal) => Some(literal.value.to_str().to_owned()),
                            _ => None,
                        })
                        .unwrap_or_default();
                    out.deprecated = Some(message);
                }
                Some("dataclass") => {
                    out.is_dataclass = true;
                    if let Some(call) = call {
                        out.dataclass_kw_only = call.arguments.keywords.iter().any(|keyword| {
                            keyword.arg.as_ref().is_some_and(|arg| arg.as_str() == "kw_only") && matches!(&keyword.value, Expr::BooleanLiteral(value) if value.value)
                        });
                        // The options (`frozen=True`) are worth showing; the bare name is a badge.
                        out.shown.push(source.expr(&decorator.expression));
                    }
                }
                _ => out.shown.push(source.expr(&decorator.expression)),
            }
        }
        out
    }
}

/// The last name of a dotted expression: `cached_property` for `functools.cached_property`.
pub(crate) fn last_name(expression: &Expr) -> Option<&str> {
    match expression {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}
