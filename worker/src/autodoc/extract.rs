//! Ruff's AST → [`ModuleDoc`], in one pass over each body.
//!
//! A [`Scope`] walks a module or class body in source order, descending into the blocks
//! that hold real definitions (`if TYPE_CHECKING:`, `if sys.version_info ...:`,
//! `try:`/`except ImportError:`); the first definition of a name wins, except that
//! `@overload` variants gather under their implementation and `@x.setter`/`@x.deleter` fold
//! into their property. Privacy is decided before any work is done on a name, so hidden
//! definitions cost no docstring parsing. Class bodies are read by `class.rs` with the same
//! walker.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use self::class::{FieldSpec, extract_class};
use self::exports::collect_all;
use super::AutodocOptions;
use super::decorators::{Accessor, Decorators, PropertyDecorator};
use super::docstring::parse_docstring;
use super::model::{
    AttributeDoc, ClassDoc, ClassKind, FunctionDoc, FunctionKind, ModuleDoc, PropertyDoc, ReExport,
};
use super::parse::SourceText;
use super::signature::Signature;

/// What every scope needs: the source and the options.
pub(crate) struct Context<'s> {
    pub(crate) source: &'s SourceText<'s>,
    pub(crate) options: AutodocOptions,
}

impl Context<'_> {
    /// A docstring read from `raw`, or an empty one when only names are wanted.
    pub(crate) fn docstring(&self, raw: &str) -> super::docstring::Docstring {
        if self.options.names_only {
            super::docstring::Docstring::default()
        } else {
            parse_docstring(raw)
        }
    }
}

/// Extracts a module's documentation from its AST.
pub(crate) fn extract(
    module: &ast::ModModule,
    source: &SourceText<'_>,
    name: &str,
    options: AutodocOptions,
) -> ModuleDoc {
    let context = Context { source, options };
    let all = collect_all(&module.body, source);
    let mut scope = Scope::new(
        &context,
        ScopeKind::Module {
            all: all.as_deref(),
            name,
            is_package: options.is_package,
        },
        String::new(),
    );
    scope.walk(&module.body);
    let members = scope.finish();

    let mut reexports = Vec::new();
    if let Some(all) = &all {
        for exported in all {
            if members.defined.contains(exported.as_str()) {
                continue;
            }
            if let Some(import) = members
                .imports
                .iter()
                .find(|import| &import.name == exported)
            {
                reexports.push(ReExport {
                    name: import.name.clone(),
                    origin: import.origin.clone(),
                    line: import.line,
                });
            }
        }
    }
    ModuleDoc {
        name: name.to_owned(),
        docstring: docstring_of(&module.body).map(|raw| context.docstring(raw)),
        all,
        classes: members.classes,
        functions: members.functions,
        attributes: members.attributes,
        reexports,
        imports: members
            .imports
            .into_iter()
            .map(|import| ReExport {
                name: import.name,
                origin: import.origin,
                line: import.line,
            })
            .collect(),
    }
}

/// The docstring of a body: its first statement, when that is a string literal.
pub(crate) fn docstring_of(body: &[Stmt]) -> Option<&str> {
    match body.first()? {
        Stmt::Expr(statement) => match &*statement.value {
            Expr::StringLiteral(literal) => Some(literal.value.to_str()),
            _ => None,
        },
        _ => None,
    }
}

/// What a scope is.
pub(crate) enum ScopeKind<'a> {
    Module {
        all: Option<&'a [String]>,
        name: &'a str,
        is_package: bool,
    },
    Class {
        kind: ClassKind,
    },
}

/// A definition found in a scope, before grouping.
enum Entry {
    Class(ClassDoc),
    Function {
        doc: FunctionDoc,
        has_implementation: bool,
    },
    Property(PropertyDoc),
    Attribute(AttributeDoc),
}

impl Entry {
    fn name(&self) -> &str {
        match self {
            Entry::Class(doc) => &doc.name,
            Entry::Function { doc, .. } => &doc.name,
            Entry::Property(doc) => &doc.name,
            Entry::Attribute(doc) => &doc.name,
        }
    }
}

/// An imported name, for re-exports.
pub(crate) struct Import {
    pub(crate) name: String,
    pub(crate) origin: String,
    pub(crate) line: u32,
}

/// `__init__` (or `__new__`), which gives a class its signature.
pub(crate) struct Constructor {
    pub(crate) signature: Signature,
}

/// `__init__`'s raw docstring, kept for `merge_init_into_class`: the implementation's,
/// else the first overload's that has one (as an overload chain's docstring is chosen).
#[derive(Default)]
pub(crate) struct InitDocstring {
    pub(crate) raw: Option<String>,
    /// The implementation was seen: later definitions of `__init__` are ignored.
    done: bool,
}

impl InitDocstring {
    fn offer(&mut self, raw: Option<&str>, is_overload: bool) {
        if self.done {
            return;
        }
        if !is_overload {
            self.done = true;
            if raw.is_some() {
                self.raw = raw.map(str::to_owned);
            }
        } else if self.raw.is_none() {
            self.raw = raw.map(str::to_owned);
        }
    }
}

/// A scope's definitions, grouped.
#[derive(Default)]
pub(crate) struct Members {
    pub(crate) classes: Vec<ClassDoc>,
    pub(crate) functions: Vec<FunctionDoc>,
    pub(crate) properties: Vec<PropertyDoc>,
    pub(crate) attributes: Vec<AttributeDoc>,
    pub(crate) imports: Vec<Import>,
    /// Every name defined in the scope, shown or not.
    pub(crate) defined: HashSet<String>,
    pub(crate) init: Option<Constructor>,
    pub(crate) new: Option<Constructor>,
    /// Only read with `merge_init_into_class`.
    pub(crate) init_docstring: InitDocstring,
    pub(crate) fields: Vec<FieldSpec>,
}

/// Whether a name is a class, a callable or a data attribute, for privacy rules.
#[derive(Clone, Copy)]
enum Member {
    Class,
    Callable { has_docstring: bool },
    Attribute,
}

/// Walks one module or class body.
pub(crate) struct Scope<'c, 's> {
    context: &'c Context<'s>,
    kind: ScopeKind<'c>,
    /// Qualified-name prefix of members: empty for a module, `Outer.` in class `Outer`.
    prefix: String,
    entries: Vec<Entry>,
    /// Name → index in `entries`, for first-definition-wins and folding.
    names: HashMap<String, usize>,
    /// Position of each `__all__` name (module scopes only), for privacy and order.
    all_positions: HashMap<&'c str, usize>,
    members: Members,
}

impl<'c, 's> Scope<'c, 's> {
    pub(crate) fn new(
        context: &'c Context<'s>,
        kind: ScopeKind<'c>,
        prefix: String,
    ) -> Scope<'c, 's> {
        let all_positions = match kind {
            ScopeKind::Module { all: Some(all), .. } => all
                .iter()
                .enumerate()
                .map(|(position, name)| (name.as_str(), position))
                .collect(),
            _ => HashMap::new(),
        };
        Scope {
            context,
            kind,
            prefix,
            entries: Vec::new(),
            names: HashMap::new(),
            all_positions,
            members: Members::default(),
        }
    }

    fn source(&self) -> &'s SourceText<'s> {
        self.context.source
    }

    fn in_class(&self) -> bool {
        matches!(self.kind, ScopeKind::Class { .. })
    }

    fn class_kind(&self) -> Option<ClassKind> {
        match self.kind {
            ScopeKind::Class { kind } => Some(kind),
            ScopeKind::Module { .. } => None,
        }
    }

    fn in_all(&self, name: &str) -> bool {
        self.all_positions.contains_key(name)
    }

    /// Privacy: `__all__` lists what a module shows; otherwise `_names` are hidden unless
    /// `include_private`, and dunders only show when they are documented callables.
    fn shows(&self, name: &str, member: Member) -> bool {
        if let ScopeKind::Module { all, .. } = self.kind {
            if name == "__all__" {
                return false;
            }
            if self.in_all(name) {
                return true;
            }
            if self.context.options.include_private {
                return true;
            }
            if all.is_some() {
                return false;
            }
        } else if self.context.options.include_private {
            return true;
        }
        if is_dunder(name) {
            return matches!(
                member,
                Member::Callable {
                    has_docstring: true
                }
            );
        }
        !name.starts_with('_')
    }

    fn qualname(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn push(&mut self, entry: Entry) {
        self.names
            .insert(entry.name().to_owned(), self.entries.len());
        self.entries.push(entry);
    }

    pub(crate) fn walk(&mut self, body: &[Stmt]) {
        for (index, statement) in body.iter().enumerate() {
            let next = body.get(index + 1);
            match statement {
                Stmt::FunctionDef(function) => self.function(function),
                Stmt::ClassDef(class) => self.class(class),
                Stmt::AnnAssign(assign) => self.annotated_assignment(assign, next),
                Stmt::Assign(assign) => self.assignment(assign, next),
                Stmt::TypeAlias(alias) => self.type_alias(alias, next),
                Stmt::If(branch)
                    if is_conditional_definition(self.source().slice(&*branch.test)) =>
                {
                    self.walk(&branch.body);
                    for clause in &branch.elif_else_clauses {
                        self.walk(&clause.body);
                    }
                }
                Stmt::Try(block) => {
                    self.walk(&block.body);
                    for ast::ExceptHandler::ExceptHandler(handler) in &block.handlers {
                        self.walk(&handler.body);
                    }
                    self.walk(&block.orelse);
                    self.walk(&block.finalbody);
                }
                Stmt::ImportFrom(import) => self.import_from(import),
                Stmt::Import(import) => self.import(import),
                _ => {}
            }
        }
    }

    fn function(&mut self, function: &ast::StmtFunctionDef) {
        let source = self.source();
        let name = function.name.as_str();
        self.members.defined.insert(name.to_owned());
        let decorators = Decorators::read(&function.decorator_list, source);
        if self.in_class()
            && let Some((property, accessor)) = &decorators.accessor
        {
            if let Some(&index) = self.names.get(property)
                && let Entry::Property(doc) = &mut self.entries[index]
            {
                match accessor {
                    Accessor::Setter => doc.settable = true,
                    Accessor::Deleter => doc.deletable = true,
                    Accessor::Getter => {}
                }
            }
            return;
        }
        let raw_docstring = docstring_of(&function.body);
        let bound = self.in_class() && !decorators.is_static;
        if self.in_class()
            && matches!(name, "__init__" | "__new__")
            && !self.names.contains_key(name)
        {
            let mut signature = Signature::from_function(function, source);
            signature.drop_bound_parameter();
            let slot = if name == "__init__" {
                &mut self.members.init
            } else {
                &mut self.members.new
            };
            if slot.is_none() {
                *slot = Some(Constructor { signature });
            }
        }
        if self.in_class() && name == "__init__" && self.context.options.merge_init_into_class {
            // Its docstring becomes part of the class's (`class.rs`); it is no member.
            self.members
                .init_docstring
                .offer(raw_docstring, decorators.is_overload);
            return;
        }
        if !self.shows(
            name,
            Member::Callable {
                has_docstring: raw_docstring.is_some(),
            },
        ) {
            return;
        }
        let mut signature = Signature::from_function(function, source);
        if bound {
            signature.drop_bound_parameter();
        }
        let docstring = raw_docstring.map(|raw| self.context.docstring(raw));

        if let Some(&index) = self.names.get(name) {
            // Only an overload chain may define a name twice; otherwise the first wins.
            if let Entry::Function {
                doc,
                has_implementation,
            } = &mut self.entries[index]
                && !*has_implementation
            {
                doc.end_line = source.line(function.end());
                if decorators.is_overload {
                    doc.overloads.push(signature);
                    if doc.docstring.is_none() {
                        doc.docstring = docstring;
                    }
                } else {
                    doc.signature = signature;
                    doc.docstring = docstring.or(doc.docstring.take());
                    doc.is_async = function.is_async;
                    doc.is_abstract |= decorators.is_abstract;
                    doc.is_final |= decorators.is_final;
                    doc.deprecated = doc.deprecated.take().or(decorators.deprecated);
                    doc.decorators = decorators.shown;
                    *has_implementation = true;
                }
            }
            return;
        }

        let line = source.line(function.name.start());
        let end_line = source.line(function.end());
        if self.in_class()
            && let Some(property) = decorators.property
        {
            self.push(Entry::Property(PropertyDoc {
                name: name.to_owned(),
                qualname: self.qualname(name),
                line,
                end_line,
                annotation: signature.returns.clone(),
                is_cached: property == PropertyDecorator::Cached,
                settable: false,
                deletable: false,
                is_abstract: decorators.is_abstract,
                deprecated: decorators.deprecated,
                docstring,
            }));
            return;
        }
        let kind = match (self.in_class(), decorators.is_static, decorators.is_class) {
            (false, _, _) => FunctionKind::Function,
            (true, true, _) => FunctionKind::StaticMethod,
            (true, false, true) => FunctionKind::ClassMethod,
            (true, false, false) => FunctionKind::Method,
        };
        let overloads = if decorators.is_overload {
            vec![signature.clone()]
        } else {
            Vec::new()
        };
        self.push(Entry::Function {
            doc: FunctionDoc {
                name: name.to_owned(),
                qualname: self.qualname(name),
                line,
                end_line,
                kind,
                is_async: function.is_async,
                is_abstract: decorators.is_abstract,
                is_final: decorators.is_final,
                deprecated: decorators.deprecated,
                decorators: decorators.shown,
                signature,
                overloads,
                docstring,
            },
            has_implementation: !decorators.is_overload,
        });
    }

    fn class(&mut self, class: &ast::StmtClassDef) {
        let name = class.name.as_str();
        let first = self.members.defined.insert(name.to_owned());
        if !first || !self.shows(name, Member::Class) {
            return;
        }
        let doc = extract_class(class, self.context, &self.prefix);
        self.push(Entry::Class(doc));
    }

    /// Groups the entries; a module with `__all__` is ordered by it.
    pub(crate) fn finish(mut self) -> Members {
        if !self.all_positions.is_empty() {
            let positions = &self.all_positions;
            self.entries
                .sort_by_key(|entry| positions.get(entry.name()).copied().unwrap_or(usize::MAX));
        }
        for entry in self.entries {
            match entry {
                Entry::Class(doc) => self.members.classes.push(doc),
                Entry::Function { mut doc, .. } => {
                    if let Some(docstring) = &mut doc.docstring {
                        docstring.fill_types(&doc.signature);
                    }
                    self.members.functions.push(doc);
                }
                Entry::Property(doc) => self.members.properties.push(doc),
                Entry::Attribute(doc) => self.members.attributes.push(doc),
            }
        }
        self.members
    }
}

/// `__name__` style.
fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

/// Top-level `if` blocks whose definitions are real API: type-checking imports and
/// version or platform switches. (`if __name__ == "__main__":` is not.)
fn is_conditional_definition(test: &str) -> bool {
    [
        "TYPE_CHECKING",
        "sys.version_info",
        "sys.platform",
        "os.name",
    ]
    .iter()
    .any(|marker| test.contains(marker))
}

mod attributes;
mod class;
mod exports;

#[cfg(test)]
mod tests;
