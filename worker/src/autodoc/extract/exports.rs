//! What a module exports: `__all__` read from literals, and imported names with their
//! origin (relative imports resolved), for re-exports.

use std::collections::HashSet;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::{Import, Scope, ScopeKind, is_conditional_definition};
use crate::autodoc::parse::SourceText;

impl Scope<'_, '_> {
    pub(super) fn import_from(&mut self, import: &ast::StmtImportFrom) {
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

    pub(super) fn import(&mut self, import: &ast::StmtImport) {
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
pub(super) fn collect_all(body: &[Stmt], source: &SourceText<'_>) -> Option<Vec<String>> {
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
