//! Attribute statements of a scope: annotated and plain assignments, `type X = ...`
//! aliases, and their docstrings (a string literal after the assignment, or `#:` comments).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::class::FieldSpec;
use super::{Entry, Member, Scope};
use crate::autodoc::decorators::last_name;
use crate::autodoc::docstring::Docstring;
use crate::autodoc::model::{AttributeDoc, AttributeKind, ClassKind};
use crate::autodoc::signature::type_params;

/// Longest attribute value shown, in characters.
const VALUE_MAX_CHARS: usize = 160;

impl Scope<'_, '_> {
    pub(super) fn annotated_assignment(
        &mut self,
        assign: &ast::StmtAnnAssign,
        next: Option<&Stmt>,
    ) {
        let Expr::Name(target) = &*assign.target else {
            return;
        };
        let source = self.source();
        let name = target.id.as_str();
        if self.in_class() {
            self.members.fields.push(FieldSpec::read(
                name,
                &assign.annotation,
                assign.value.as_deref(),
                source,
            ));
        }
        let value = assign
            .value
            .as_deref()
            .map(|value| source.expr_capped(value, VALUE_MAX_CHARS));
        if !self.shows(name, Member::Attribute) || self.fill_value(name, value.as_ref()) {
            return;
        }
        let is_class_var = last_name(subscript_base(&assign.annotation)) == Some("ClassVar");
        let kind = if last_name(&assign.annotation) == Some("TypeAlias") {
            AttributeKind::TypeAlias
        } else if matches!(
            self.class_kind(),
            Some(ClassKind::Dataclass | ClassKind::NamedTuple | ClassKind::TypedDict)
        ) && !is_class_var
        {
            AttributeKind::Field
        } else if !self.in_class() && is_constant(name) {
            AttributeKind::Constant
        } else {
            AttributeKind::Variable
        };
        let docstring = self.attribute_docstring(assign, next);
        self.members.defined.insert(name.to_owned());
        self.push(Entry::Attribute(AttributeDoc {
            name: name.to_owned(),
            qualname: self.qualname(name),
            line: source.line(assign.start()),
            end_line: source.line(assign.end()),
            kind,
            annotation: Some(source.expr(&*assign.annotation)),
            value,
            type_params: Vec::new(),
            docstring,
        }));
    }

    pub(super) fn assignment(&mut self, assign: &ast::StmtAssign, next: Option<&Stmt>) {
        let source = self.source();
        let mut docstring: Option<Option<Docstring>> = None;
        for target in &assign.targets {
            let Expr::Name(target) = target else {
                continue;
            };
            let name = target.id.as_str();
            let called = match &*assign.value {
                Expr::Call(call) => last_name(&call.func),
                _ => None,
            };
            let kind = match called {
                Some("TypeVar" | "ParamSpec" | "TypeVarTuple") => AttributeKind::TypeVar,
                Some("NewType") => AttributeKind::NewType,
                Some("TypeAliasType") => AttributeKind::TypeAlias,
                _ if self.class_kind() == Some(ClassKind::Enum) && !name.starts_with('_') => {
                    AttributeKind::EnumMember
                }
                _ if !self.in_class() && is_constant(name) => AttributeKind::Constant,
                _ => AttributeKind::Variable,
            };
            let value = source.expr_capped(&*assign.value, VALUE_MAX_CHARS);
            if !self.shows(name, Member::Attribute) || self.fill_value(name, Some(&value)) {
                continue;
            }
            let docstring = docstring
                .get_or_insert_with(|| self.attribute_docstring(assign, next))
                .clone();
            // A module's plain lowercase variables are implementation details unless
            // documented or exported.
            if !self.in_class()
                && kind == AttributeKind::Variable
                && docstring.is_none()
                && !self.in_all(name)
            {
                continue;
            }
            self.members.defined.insert(name.to_owned());
            self.push(Entry::Attribute(AttributeDoc {
                name: name.to_owned(),
                qualname: self.qualname(name),
                line: source.line(assign.start()),
                end_line: source.line(assign.end()),
                kind,
                annotation: None,
                value: Some(value),
                type_params: Vec::new(),
                docstring,
            }));
        }
    }

    pub(super) fn type_alias(&mut self, alias: &ast::StmtTypeAlias, next: Option<&Stmt>) {
        let Expr::Name(target) = &*alias.name else {
            return;
        };
        let source = self.source();
        let name = target.id.as_str();
        if !self.shows(name, Member::Attribute) || self.names.contains_key(name) {
            return;
        }
        let docstring = self.attribute_docstring(alias, next);
        self.members.defined.insert(name.to_owned());
        self.push(Entry::Attribute(AttributeDoc {
            name: name.to_owned(),
            qualname: self.qualname(name),
            line: source.line(alias.start()),
            end_line: source.line(alias.end()),
            kind: AttributeKind::TypeAlias,
            annotation: None,
            value: Some(source.expr_capped(&*alias.value, VALUE_MAX_CHARS)),
            type_params: type_params(alias.type_params.as_deref(), source),
            docstring,
        }));
    }

    /// For a name defined already: fills an attribute's missing value (`x: int` then
    /// `x = 1`) and returns true, so the later definition is not added again.
    fn fill_value(&mut self, name: &str, value: Option<&String>) -> bool {
        let Some(&index) = self.names.get(name) else {
            return false;
        };
        if let Entry::Attribute(doc) = &mut self.entries[index]
            && doc.value.is_none()
        {
            doc.value = value.cloned();
        }
        true
    }

    /// An attribute's docstring: a string literal statement right after it, or `#:`
    /// comments on the lines right above it, or a `#:` comment at the end of its line.
    fn attribute_docstring(
        &self,
        statement: &impl Ranged,
        next: Option<&Stmt>,
    ) -> Option<Docstring> {
        if let Some(Stmt::Expr(expression)) = next
            && let Expr::StringLiteral(literal) = &*expression.value
        {
            return Some(self.context.docstring(literal.value.to_str()));
        }
        let source = self.source();
        let text = source.text();
        let line = source.line(statement.start());
        let mut comments = Vec::new();
        let mut above = line;
        while above > 1 {
            above -= 1;
            let line_text = text
                .get(source.line_start(above)..source.line_start(above + 1))
                .unwrap_or("")
                .trim();
            match line_text.strip_prefix("#:") {
                Some(comment) => comments.push(comment.strip_prefix(' ').unwrap_or(comment)),
                None => break,
            }
        }
        if comments.is_empty() {
            let end = statement.end().to_usize();
            let end_line = source.line(statement.end());
            let rest_of_line = text.get(end..source.line_start(end_line + 1)).unwrap_or("");
            let comment = rest_of_line.trim_start().strip_prefix("#:")?;
            return Some(self.context.docstring(comment.trim()));
        }
        comments.reverse();
        Some(self.context.docstring(&comments.join("\n")))
    }
}

/// `MAX_SIZE`, `_DEFAULT_TIMEOUT`, `T`: letters all uppercase.
fn is_constant(name: &str) -> bool {
    name.chars().any(|character| character.is_ascii_uppercase())
        && !name.chars().any(|character| character.is_lowercase())
}

/// `ClassVar` for `ClassVar[int]`, the expression itself otherwise.
fn subscript_base(expression: &Expr) -> &Expr {
    match expression {
        Expr::Subscript(subscript) => &subscript.value,
        other => other,
    }
}
