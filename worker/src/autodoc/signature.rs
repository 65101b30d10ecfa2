//! Function signatures and PEP 695 type parameters: read from Ruff's AST as source text,
//! and formatted back the way Python writes them (`def f[T](x: T, /, *, y=1) -> T`).
//!
//! Annotations and defaults are never re-printed from the AST: the source under each node
//! is exact, and slicing it is cheaper than printing.

use std::fmt::{self, Write as _};

use ruff_python_ast as ast;

use super::parse::SourceText;

/// A function's parameters, type parameters and return annotation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    /// PEP 695 type parameters (`def f[T](...)`).
    pub type_params: Vec<TypeParam>,
    /// Parameters in declaration order.
    pub params: Vec<Param>,
    /// Return annotation as source text.
    pub returns: Option<String>,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Name without `*`/`**`.
    pub name: String,
    /// How the parameter binds.
    pub kind: ParamKind,
    /// Annotation as source text.
    pub annotation: Option<String>,
    /// Default value as source text.
    pub default: Option<String>,
}

/// How a parameter binds to arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Before `/`.
    PositionalOnly,
    /// Ordinary.
    PositionalOrKeyword,
    /// `*args`.
    VarPositional,
    /// After `*` or `*args`.
    KeywordOnly,
    /// `**kwargs`.
    VarKeyword,
}

/// One PEP 695 type parameter, with its PEP 696 default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeParam {
    /// `T`, `*Ts` or `**P`.
    pub kind: TypeParamKind,
    /// Name without `*`/`**`.
    pub name: String,
    /// Bound or constraints (`T: int`, `T: (int, str)`) as source text.
    pub bound: Option<String>,
    /// Default (`T = int`) as source text.
    pub default: Option<String>,
}

/// Kind of a [`TypeParam`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeParamKind {
    /// `T`.
    TypeVar,
    /// `*Ts`.
    TypeVarTuple,
    /// `**P`.
    ParamSpec,
}

impl Signature {
    /// Reads a `def`'s parameters, type parameters and return annotation.
    pub(crate) fn from_function(
        function: &ast::StmtFunctionDef,
        source: &SourceText<'_>,
    ) -> Signature {
        let parameters = &function.parameters;
        let mut params = Vec::with_capacity(parameters.len());
        let with_default = |parameter: &ast::ParameterWithDefault, kind: ParamKind| Param {
            name: parameter.parameter.name.as_str().to_owned(),
            kind,
            annotation: parameter
                .parameter
                .annotation
                .as_deref()
                .map(|annotation| source.expr(annotation)),
            default: parameter
                .default
                .as_deref()
                .map(|default| source.expr(default)),
        };
        let variadic = |parameter: &ast::Parameter, kind: ParamKind| Param {
            name: parameter.name.as_str().to_owned(),
            kind,
            annotation: parameter
                .annotation
                .as_deref()
                .map(|annotation| source.expr(annotation)),
            default: None,
        };
        params.extend(
            parameters
                .posonlyargs
                .iter()
                .map(|p| with_default(p, ParamKind::PositionalOnly)),
        );
        params.extend(
            parameters
                .args
                .iter()
                .map(|p| with_default(p, ParamKind::PositionalOrKeyword)),
        );
        params.extend(
            parameters
                .vararg
                .as_deref()
                .map(|p| variadic(p, ParamKind::VarPositional)),
        );
        params.extend(
            parameters
                .kwonlyargs
                .iter()
                .map(|p| with_default(p, ParamKind::KeywordOnly)),
        );
        params.extend(
            parameters
                .kwarg
                .as_deref()
                .map(|p| variadic(p, ParamKind::VarKeyword)),
        );
        Signature {
            type_params: type_params(function.type_params.as_deref(), source),
            params,
            returns: function
                .returns
                .as_deref()
                .map(|returns| source.expr(returns)),
        }
    }

    /// Drops the bound first parameter (`self`, `cls`) of a method, if it has one.
    pub(crate) fn drop_bound_parameter(&mut self) {
        if let Some(first) = self.params.first()
            && matches!(
                first.kind,
                ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword
            )
        {
            self.params.remove(0);
        }
    }

    /// The annotation of the parameter `name` (`*args`/`**kwargs` match with or without stars).
    pub fn annotation_of(&self, name: &str) -> Option<&str> {
        let name = name.trim_start_matches('*');
        self.params
            .iter()
            .find(|param| param.name == name)?
            .annotation
            .as_deref()
    }

    /// The parameter list with its parentheses: `(x: int, /, *args, key=None, **kwargs)`.
    pub fn format_params(&self) -> String {
        let mut out = String::from("(");
        for (index, part) in self.parts().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            // Writing into a String cannot fail.
            let _ = write!(out, "{part}");
        }
        out.push(')');
        out
    }

    /// The parameter list split into displayable parts, markers (`/`, `*`) included.
    pub fn parts(&self) -> impl Iterator<Item = SignaturePart<'_>> {
        let mut parts = Vec::with_capacity(self.params.len() + 2);
        let has_var_positional = self
            .params
            .iter()
            .any(|param| param.kind == ParamKind::VarPositional);
        let mut keyword_marker_written = false;
        for (index, param) in self.params.iter().enumerate() {
            if param.kind == ParamKind::KeywordOnly
                && !has_var_positional
                && !keyword_marker_written
            {
                parts.push(SignaturePart::KeywordOnlyMarker);
                keyword_marker_written = true;
            }
            parts.push(SignaturePart::Param(param));
            let next_is_positional_only = self
                .params
                .get(index + 1)
                .is_some_and(|next| next.kind == ParamKind::PositionalOnly);
            if param.kind == ParamKind::PositionalOnly && !next_is_positional_only {
                parts.push(SignaturePart::PositionalOnlyMarker);
            }
        }
        parts.into_iter()
    }
}

/// A piece of a parameter list.
#[derive(Debug, Clone, Copy)]
pub enum SignaturePart<'a> {
    /// A parameter.
    Param(&'a Param),
    /// `/`, after the positional-only parameters.
    PositionalOnlyMarker,
    /// `*`, before keyword-only parameters when there is no `*args`.
    KeywordOnlyMarker,
}

impl fmt::Display for SignaturePart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignaturePart::Param(param) => write!(f, "{param}"),
            SignaturePart::PositionalOnlyMarker => f.write_str("/"),
            SignaturePart::KeywordOnlyMarker => f.write_str("*"),
        }
    }
}

impl Param {
    /// `*` or `**` for variadic parameters, empty otherwise.
    pub fn stars(&self) -> &'static str {
        match self.kind {
            ParamKind::VarPositional => "*",
            ParamKind::VarKeyword => "**",
            _ => "",
        }
    }
}

impl fmt::Display for Param {
    /// PEP 8 spacing: `x=1` without an annotation, `x: int = 1` with one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.stars(), self.name)?;
        if let Some(annotation) = &self.annotation {
            write!(f, ": {annotation}")?;
        }
        if let Some(default) = &self.default {
            let equals = if self.annotation.is_some() {
                " = "
            } else {
                "="
            };
            write!(f, "{equals}{default}")?;
        }
        Ok(())
    }
}

impl TypeParam {
    /// `*` or `**` for variadic type parameters, empty otherwise.
    pub fn stars(&self) -> &'static str {
        match self.kind {
            TypeParamKind::TypeVar => "",
            TypeParamKind::TypeVarTuple => "*",
            TypeParamKind::ParamSpec => "**",
        }
    }
}

impl fmt::Display for TypeParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.stars(), self.name)?;
        if let Some(bound) = &self.bound {
            write!(f, ": {bound}")?;
        }
        if let Some(default) = &self.default {
            write!(f, " = {default}")?;
        }
        Ok(())
    }
}

/// `[T, *Ts, **P]`, or nothing when there are no type parameters.
pub fn format_type_params(type_params: &[TypeParam]) -> String {
    if type_params.is_empty() {
        return String::new();
    }
    let mut out = String::from("[");
    for (index, type_param) in type_params.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{type_param}");
    }
    out.push(']');
    out
}

/// A whole `def` line without the colon: `async def fetch[T](url: str) -> T`.
#[cfg(test)]
pub fn format_def(name: &str, is_async: bool, signature: &Signature) -> String {
    let mut out = String::new();
    if is_async {
        out.push_str("async ");
    }
    out.push_str("def ");
    out.push_str(name);
    out.push_str(&format_type_params(&signature.type_params));
    out.push_str(&signature.format_params());
    if let Some(returns) = &signature.returns {
        out.push_str(" -> ");
        out.push_str(returns);
    }
    out
}

/// Reads PEP 695 type parameters.
pub(crate) fn type_params(
    type_params: Option<&ast::TypeParams>,
    source: &SourceText<'_>,
) -> Vec<TypeParam> {
    let Some(type_params) = type_params else {
        return Vec::new();
    };
    type_params
        .iter()
        .map(|type_param| {
            let (kind, bound) = match type_param {
                ast::TypeParam::TypeVar(type_var) => (
                    TypeParamKind::TypeVar,
                    type_var.bound.as_deref().map(|bound| source.expr(bound)),
                ),
                ast::TypeParam::TypeVarTuple(_) => (TypeParamKind::TypeVarTuple, None),
                ast::TypeParam::ParamSpec(_) => (TypeParamKind::ParamSpec, None),
            };
            TypeParam {
                kind,
                name: type_param.name().as_str().to_owned(),
                bound,
                default: type_param.default().map(|default| source.expr(default)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autodoc::{AutodocOptions, document_module};

    /// Documents `source` (one top-level `def`) and formats its signature.
    fn check(source: &str, expected: &str) {
        let doc = match document_module(source, "m", AutodocOptions::default()) {
            Ok(doc) => doc,
            Err(error) => panic!("{source:?} did not parse: {error:?}"),
        };
        let function = &doc.functions[0];
        assert_eq!(
            format_def(&function.name, function.is_async, &function.signature),
            expected,
            "source: {source}"
        );
    }

    #[test]
    fn signatures_format_like_python() {
        let cases = [
            ("def f(): pass", "def f()"),
            ("def f(a, b): pass", "def f(a, b)"),
            ("def f(a, /, b): pass", "def f(a, /, b)"),
            ("def f(a, b=1, /): pass", "def f(a, b=1, /)"),
            ("def f(a, *, b): pass", "def f(a, *, b)"),
            (
                "def f(*args, b, **kwargs): pass",
                "def f(*args, b, **kwargs)",
            ),
            ("def f(a, /, b, *, c): pass", "def f(a, /, b, *, c)"),
            (
                "def f(x: int = 1, y=2) -> None: pass",
                "def f(x: int = 1, y=2) -> None",
            ),
            (
                "def f(*args: int, **kwargs: str) -> dict[str, int]: pass",
                "def f(*args: int, **kwargs: str) -> dict[str, int]",
            ),
            (
                "async def f(url: str) -> bytes: pass",
                "async def f(url: str) -> bytes",
            ),
            ("def f[T](x: T) -> T: pass", "def f[T](x: T) -> T"),
            (
                "def f[T: (int, str), *Ts, **P](x: T) -> None: pass",
                "def f[T: (int, str), *Ts, **P](x: T) -> None",
            ),
            (
                "def f[T = int, *Ts = *tuple[int], **P = [int]](): pass",
                "def f[T = int, *Ts = *tuple[int], **P = [int]]()",
            ),
            (
                "def f(cb: Callable[\n    [int],\n    str,\n] = print): pass",
                "def f(cb: Callable[[int], str,] = print)",
            ),
            (
                "def f(s: str = f\"{'a'}\"): pass",
                "def f(s: str = f\"{'a'}\")",
            ),
            (
                "def f(x: 'Forward' = None) -> 'Forward': pass",
                "def f(x: 'Forward' = None) -> 'Forward'",
            ),
        ];
        for (source, expected) in cases {
            check(source, expected);
        }
    }
}
