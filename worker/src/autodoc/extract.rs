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

use super::AutodocOptions;
use super::class::{FieldSpec, extract_class};
use super::decorators::{Accessor, Decorators, PropertyDecorator, last_name};
use super::docstring::{Docstring, parse_docstring};
use super::model::{
    AttributeDoc, AttributeKind, ClassDoc, ClassKind, FunctionDoc, FunctionKind, ModuleDoc,
    PropertyDoc, ReExport,
};
use super::parse::SourceText;
use super::signature::{Signature, type_params};

/// Longest attribute value shown, in characters.
const VALUE_MAX_CHARS: usize = 160;

/// What every scope needs: the source and the options.
pub(crate) struct Context<'s> {
    pub(crate) source: &'s SourceText<'s>,
    pub(crate) options: AutodocOptions,
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
        docstring: docstring_of(&module.body).map(parse_docstring),
        all,
        classes: members.classes,
        functions: members.functions,
        attributes: members.attributes,
        reexports,
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
        let docstring = raw_docstring.map(parse_docstring);

        if let Some(&index) = self.names.get(name) {
            // Only an overload chain may define a name twice; otherwise the first wins.
            if let Entry::Function {
                doc,
                has_implementation,
            } = &mut self.entries[index]
                && !*has_implementation
            {
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
        if self.in_class()
            && let Some(property) = decorators.property
        {
            self.push(Entry::Property(PropertyDoc {
                name: name.to_owned(),
                qualname: self.qualname(name),
                line,
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

    fn annotated_assignment(&mut self, assign: &ast::StmtAnnAssign, next: Option<&Stmt>) {
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
            kind,
            annotation: Some(source.expr(&*assign.annotation)),
            value,
            type_params: Vec::new(),
            docstring,
        }));
    }

    fn assignment(&mut self, assign: &ast::StmtAssign, next: Option<&Stmt>) {
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
                kind,
                annotation: None,
                value: Some(value),
                type_params: Vec::new(),
                docstring,
            }));
        }
    }

    fn type_alias(&mut self, alias: &ast::StmtTypeAlias, next: Option<&Stmt>) {
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
            return Some(parse_docstring(literal.value.to_str()));
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
            return Some(parse_docstring(comment.trim()));
        }
        comments.reverse();
        Some(parse_docstring(&comments.join("\n")))
    }

    fn import_from(&mut self, import: &ast::StmtImportFrom) {
        let ScopeKind::Module {
            name: module,
            is_package,
            ..
        } = self.kind
        else {
            return;
        };
        let base = resolve_relative(
            module,
            is_package,
            import.level,
            import.module.as_ref().map(|module| module.as_str()),
        );
        let line = self.source().line(import.start());
        for alias in &import.names {
            let name = alias.name.as_str();
            if name == "*" {
                continue;
            }
            let bound = alias.asname.as_ref().map_or(name, |asname| asname.as_str());
            let origin = if base.is_empty() || base.ends_with('.') {
                format!("{base}{name}")
            } else {
                format!("{base}.{name}")
            };
            self.record_import(bound, origin, line);
        }
    }

    fn import(&mut self, import: &ast::StmtImport) {
        if !matches!(self.kind, ScopeKind::Module { .. }) {
            return;
        }
        let line = self.source().line(import.start());
        for alias in &import.names {
            let name = alias.name.as_str();
            match &alias.asname {
                Some(asname) => self.record_import(asname.as_str(), name.to_owned(), line),
                None => {
                    let first = name.split('.').next().unwrap_or(name);
                    self.record_import(first, first.to_owned(), line);
                }
            }
        }
    }

    fn record_import(&mut self, name: &str, origin: String, line: u32) {
        if self
            .members
            .imports
            .iter()
            .all(|import| import.name != name)
        {
            self.members.imports.push(Import {
                name: name.to_owned(),
                origin,
                line,
            });
        }
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

/// The dotted module a `from` import names: relative levels resolved against `module`
/// (whose own package, for a package's `__init__`, is itself).
fn resolve_relative(module: &str, is_package: bool, level: u32, target: Option<&str>) -> String {
    if level == 0 {
        return target.unwrap_or("").to_owned();
    }
    let mut parts: Vec<&str> = module.split('.').collect();
    if !is_package {
        parts.pop();
    }
    for _ in 1..level {
        if parts.pop().is_none() {
            // More dots than the module has packages: keep the import as written.
            return format!("{}{}", ".".repeat(level as usize), target.unwrap_or(""));
        }
    }
    if let Some(target) = target {
        parts.push(target);
    }
    parts.join(".")
}

/// `__all__` from list/tuple literals: `__all__ = [...]`, `__all__: list[str] = [...]`,
/// `__all__ += [...]`, `__all__.extend([...])`, `__all__.append("x")`, and `+` of those.
/// Names keep their first position when listed twice.
fn collect_all(body: &[Stmt], source: &SourceText<'_>) -> Option<Vec<String>> {
    let mut all: Option<Vec<String>> = None;
    collect_all_into(body, source, &mut all);
    let mut seen = HashSet::new();
    all.map(|mut names| {
        names.retain(|name| seen.insert(name.clone()));
        names
    })
}

fn collect_all_into(body: &[Stmt], source: &SourceText<'_>, all: &mut Option<Vec<String>>) {
    let is_all =
        |target: &Expr| matches!(target, Expr::Name(name) if name.id.as_str() == "__all__");
    for statement in body {
        match statement {
            Stmt::Assign(assign) if assign.targets.iter().any(is_all) => {
                let names = all.insert(Vec::new());
                string_literals(&assign.value, names);
            }
            Stmt::AnnAssign(assign) if is_all(&assign.target) => {
                if let Some(value) = &assign.value {
                    let names = all.insert(Vec::new());
                    string_literals(value, names);
                }
            }
            Stmt::AugAssign(assign) if is_all(&assign.target) => {
                string_literals(&assign.value, all.get_or_insert_with(Vec::new))
            }
            Stmt::Expr(expression) => {
                if let Expr::Call(call) = &*expression.value
                    && let Expr::Attribute(method) = &*call.func
                    && is_all(&method.value)
                    && matches!(method.attr.as_str(), "extend" | "append")
                    && let Some(argument) = call.arguments.args.first()
                {
                    string_literals(argument, all.get_or_insert_with(Vec::new));
                }
            }
            Stmt::If(branch) if is_conditional_definition(source.slice(&*branch.test)) => {
                collect_all_into(&branch.body, source, all);
                for clause in &branch.elif_else_clauses {
                    collect_all_into(&clause.body, source, all);
                }
            }
            Stmt::Try(block) => {
                collect_all_into(&block.body, source, all);
                collect_all_into(&block.orelse, source, all);
            }
            _ => {}
        }
    }
}

/// Appends the string literals of a literal list, tuple or `a + b` of them. Iterative, so
/// a long `+` chain cannot exhaust the stack.
fn string_literals(expression: &Expr, names: &mut Vec<String>) {
    let mut pending = vec![expression];
    while let Some(expression) = pending.pop() {
        let elements = match expression {
            Expr::List(list) => &list.elts,
            Expr::Tuple(tuple) => &tuple.elts,
            Expr::StringLiteral(literal) => {
                names.push(literal.value.to_str().to_owned());
                continue;
            }
            Expr::BinOp(operation) if operation.op == ast::Operator::Add => {
                // Right first, so the left operand is popped (and listed) first.
                pending.push(&operation.right);
                pending.push(&operation.left);
                continue;
            }
            _ => continue,
        };
        for element in elements {
            if let Expr::StringLiteral(literal) = element {
                names.push(literal.value.to_str().to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests;
