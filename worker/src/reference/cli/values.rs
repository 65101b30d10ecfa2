//! Reading values out of expressions without running them: string literals, module
//! constants (also imported from elsewhere in the package), `"a" "b"` and `"a" + "b"`,
//! `_("…")` and `textwrap.dedent("…")`, lists of literals. Anything else is kept as
//! [`Text::AsWritten`], the source text.

use ruff_python_ast::{self as ast, Expr, Number};

use super::model::Text;
use super::source::{Module, Package, Resolution, last_name};

/// Most constant-to-constant hops followed for one value.
const MAX_VALUE_DEPTH: usize = 16;
/// Most expression nodes visited to evaluate one string (a help text of 500 pieces).
const MAX_STRING_STEPS: u32 = 512;
/// Longest string built by concatenation; past it the text is shown as written.
const MAX_STRING_BYTES: usize = 256 * 1024;

/// Reads expressions of one package.
#[derive(Clone, Copy)]
pub(crate) struct Values<'p> {
    pub(crate) package: &'p Package,
}

impl<'p> Values<'p> {
    /// A string value: `Known` when it is a string the source fixes, else as written.
    pub(crate) fn text(&self, module: &'p Module, expr: &'p Expr) -> Text {
        match self.string_of(module, expr) {
            Some(text) => Text::Known(text),
            None => Text::AsWritten(module.expr(expr)),
        }
    }

    fn string_of(&self, module: &'p Module, expr: &'p Expr) -> Option<String> {
        let mut budget = MAX_STRING_STEPS;
        self.string(module, expr, &mut budget)
    }

    /// The string `expr` evaluates to; `budget` counts the nodes visited, so that
    /// `H = H + H + H` (each level quadrupling the work) gives up rather than run on.
    fn string(&self, module: &'p Module, expr: &'p Expr, budget: &mut u32) -> Option<String> {
        *budget = budget.checked_sub(1)?;
        match expr {
            Expr::StringLiteral(literal) => Some(literal.value.to_str().to_owned()),
            Expr::Name(_) | Expr::Attribute(_) => {
                let (module, value) = self.constant(module, expr)?;
                self.string(module, value, budget)
            }
            Expr::BinOp(binary) if binary.op == ast::Operator::Add => {
                let mut left = self.string(module, &binary.left, budget)?;
                left.push_str(&self.string(module, &binary.right, budget)?);
                (left.len() <= MAX_STRING_BYTES).then_some(left)
            }
            Expr::Call(call) => {
                let [argument] = &*call.arguments.args else {
                    return None;
                };
                match last_name(&call.func)? {
                    // gettext markers return their argument untranslated in the source.
                    "_" | "gettext" | "gettext_lazy" | "N_" => {
                        self.string(module, argument, budget)
                    }
                    "dedent" => {
                        let text = self.string(module, argument, budget)?;
                        Some(crate::reference::html::clean_doc(&format!("\n{text}")))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The module-level value a name or dotted name is bound to, with its module.
    pub(crate) fn constant(
        &self,
        module: &'p Module,
        expr: &Expr,
    ) -> Option<(&'p Module, &'p Expr)> {
        let resolved = self.package.resolve_expr(module, expr)?;
        match resolved.binding {
            Resolution::Value(value) => Some((resolved.module, value)),
            _ => None,
        }
    }

    /// A literal value shown as the tool would show it: strings without quotes, numbers
    /// and `True`/`False`/`None` as written, constants followed; anything else as written.
    pub(crate) fn display(&self, module: &'p Module, expr: &'p Expr) -> Text {
        self.display_depth(module, expr, 0)
            .unwrap_or_else(|| Text::AsWritten(module.expr(expr)))
    }

    fn display_depth(&self, module: &'p Module, expr: &'p Expr, depth: usize) -> Option<Text> {
        if depth > MAX_VALUE_DEPTH {
            return None;
        }
        match expr {
            Expr::StringLiteral(_) | Expr::BinOp(_) | Expr::Call(_) => {
                self.string_of(module, expr).map(Text::Known)
            }
            Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => Some(Text::Known(module.expr(expr))),
            Expr::UnaryOp(unary) if matches!(&*unary.operand, Expr::NumberLiteral(_)) => {
                Some(Text::Known(module.expr(expr)))
            }
            Expr::List(_) | Expr::Tuple(_) if is_literal_tree(expr) => {
                Some(Text::Known(module.expr(expr)))
            }
            Expr::Name(_) | Expr::Attribute(_) => {
                let (module, value) = self.constant(module, expr)?;
                self.display_depth(module, value, depth + 1)
            }
            _ => None,
        }
    }

    /// The items of a list or tuple literal (or a constant bound to one), each as a string;
    /// one `AsWritten` entry when the items are not a literal sequence.
    pub(crate) fn items(&self, module: &'p Module, expr: &'p Expr) -> Vec<Text> {
        match self.sequence(module, expr, 0) {
            Some((module, elements)) => elements
                .iter()
                .map(|element| self.display(module, element))
                .collect(),
            // A constant bound to a computation: show the computation, not the name.
            None => match self.constant(module, expr) {
                Some((module, value)) => vec![Text::AsWritten(module.expr(value))],
                None => vec![Text::AsWritten(module.expr(expr))],
            },
        }
    }

    fn sequence(
        &self,
        module: &'p Module,
        expr: &'p Expr,
        depth: usize,
    ) -> Option<(&'p Module, &'p [Expr])> {
        if depth > MAX_VALUE_DEPTH {
            return None;
        }
        match expr {
            Expr::List(list) => Some((module, &list.elts)),
            Expr::Tuple(tuple) => Some((module, &tuple.elts)),
            Expr::Set(set) => Some((module, &set.elts)),
            Expr::Name(_) | Expr::Attribute(_) => {
                let (module, value) = self.constant(module, expr)?;
                self.sequence(module, value, depth + 1)
            }
            _ => None,
        }
    }

    /// `True`/`False` literals, or a constant bound to one.
    pub(crate) fn boolean(&self, module: &'p Module, expr: &'p Expr) -> Option<bool> {
        match expr {
            Expr::BooleanLiteral(literal) => Some(literal.value),
            Expr::Name(_) | Expr::Attribute(_) => {
                let (_, value) = self.constant(module, expr)?;
                match value {
                    Expr::BooleanLiteral(literal) => Some(literal.value),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The kind of literal `expr` is, following constants (`default=DEFAULT_PORT`).
    pub(crate) fn literal_kind(&self, module: &'p Module, expr: &'p Expr) -> Option<&'static str> {
        let mut current = (module, expr);
        for _ in 0..MAX_VALUE_DEPTH {
            match current.1 {
                Expr::Name(_) | Expr::Attribute(_) => {
                    current = self.constant(current.0, current.1)?
                }
                other => return literal_kind(other),
            }
        }
        None
    }

    /// An integer literal (`-1` included).
    pub(crate) fn integer(&self, expr: &Expr) -> Option<i64> {
        match expr {
            Expr::NumberLiteral(literal) => match &literal.value {
                Number::Int(int) => int.as_i64(),
                _ => None,
            },
            Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::USub => {
                self.integer(&unary.operand).map(|value| -value)
            }
            _ => None,
        }
    }
}

/// A list or tuple made of literals only.
fn is_literal_tree(expr: &Expr) -> bool {
    match expr {
        Expr::List(list) => list.elts.iter().all(is_literal_tree),
        Expr::Tuple(tuple) => tuple.elts.iter().all(is_literal_tree),
        other => other.is_literal_expr(),
    }
}

/// The kind of Python literal a default is, for the type the tool infers from it.
pub(crate) fn literal_kind(expr: &Expr) -> Option<&'static str> {
    match expr {
        Expr::StringLiteral(_) => Some("str"),
        Expr::BooleanLiteral(_) => Some("bool"),
        Expr::NumberLiteral(literal) => match literal.value {
            Number::Int(_) => Some("int"),
            Number::Float(_) => Some("float"),
            Number::Complex { .. } => None,
        },
        _ => None,
    }
}
