//! argparse, read by walking the code that builds the parser, statement by statement, as
//! it would run but without running it: `ArgumentParser(...)`, `add_argument(...)`,
//! `add_subparsers()` then `add_parser(...)`, `add_argument_group(...)`,
//! `add_mutually_exclusive_group(...)`, through the variables that hold them, and into
//! helper functions of the package that receive a parser (`add_common_args(parser)`).
//!
//! Loops are not unrolled: a parser built in a `for` loop is left out rather than guessed.

use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, Stmt};

use super::model::{
    Command, Deprecation, Nargs, Param, ParamGroup, ParamKind, SourceLocation, Text,
};
use super::source::{Module, Package, Resolution, keyword, last_name};
use super::values::Values;
use crate::reference::html::clean_doc;

/// Most helper-function levels followed.
const MAX_HELPER_DEPTH: usize = 8;
/// Most parsers read from one source (a guard against generated code).
const MAX_PARSERS: usize = 10_000;

/// What the code that builds the parser starts from.
pub(crate) enum ArgparseEntry<'p> {
    /// A function that builds (and usually returns) the parser.
    Function(&'p ast::StmtFunctionDef),
    /// A module-level `parser = argparse.ArgumentParser(...)`: the module body is walked.
    ModuleVariable(&'p str),
}

/// Reads the parser built by `entry` in `module`; `None` when no `ArgumentParser` is built.
pub(crate) fn read_argparse(
    package: &Package,
    module: &Module,
    entry: ArgparseEntry<'_>,
    program: &str,
) -> Option<Command> {
    let mut walker = Walker {
        package,
        values: Values { package },
        parsers: Vec::new(),
        children: Vec::new(),
        not_top: Vec::new(),
        variables: HashMap::new(),
        returned: None,
    };
    let wanted = match entry {
        ArgparseEntry::Function(function) => {
            walker.walk(module, &function.body, 0);
            walker
                .returned
                .or_else(|| walker.not_top.iter().position(|not_top| !not_top))
        }
        ArgparseEntry::ModuleVariable(name) => {
            walker.walk(module, &module.body, 0);
            match walker.variables.get(name) {
                Some(Handle::Parser(index)) => Some(*index),
                _ => None,
            }
        }
    }?;
    let mut root = walker.assemble(wanted, 0);
    root.name = program.to_owned();
    Some(root)
}

#[derive(Clone, Copy)]
enum Handle {
    Parser(usize),
    Subparsers(usize),
    Group { parser: usize, group: usize },
}

struct Walker<'p> {
    package: &'p Package,
    values: Values<'p>,
    /// Every parser built, in order; the tree is in `children`.
    parsers: Vec<Command>,
    children: Vec<Vec<usize>>,
    /// Parsers that are a subcommand, or a `parents=` of another: not the top parser.
    not_top: Vec<bool>,
    variables: HashMap<String, Handle>,
    returned: Option<usize>,
}

impl<'p> Walker<'p> {
    fn assemble(&mut self, index: usize, depth: usize) -> Command {
        let mut command = std::mem::replace(
            &mut self.parsers[index],
            Command::new(
                "",
                SourceLocation {
                    file: String::new(),
                    line: 0,
                },
            ),
        );
        if depth < 64 {
            let children = std::mem::take(&mut self.children[index]);
            for child in children {
                command.subcommands.push(self.assemble(child, depth + 1));
            }
        }
        command
    }

    fn walk(&mut self, module: &'p Module, body: &'p [Stmt], depth: usize) {
        for statement in body {
            match statement {
                Stmt::Assign(assign) => {
                    let handle = self.eval(module, &assign.value, depth);
                    for target in &assign.targets {
                        if let (Expr::Name(name), Some(handle)) = (target, handle) {
                            self.variables.insert(name.id.to_string(), handle);
                        }
                    }
                }
                Stmt::AnnAssign(assign) => {
                    if let (Expr::Name(name), Some(value)) = (&*assign.target, &assign.value)
                        && let Some(handle) = self.eval(module, value, depth)
                    {
                        self.variables.insert(name.id.to_string(), handle);
                    }
                }
                Stmt::Expr(expression) => {
                    self.eval(module, &expression.value, depth);
                }
                Stmt::Return(ret) => {
                    if let Some(value) = &ret.value
                        && let Some(Handle::Parser(index)) = self.eval(module, value, depth)
                    {
                        self.returned.get_or_insert(index);
                    }
                }
                Stmt::If(block) => {
                    self.walk(module, &block.body, depth);
                    for clause in &block.elif_else_clauses {
                        self.walk(module, &clause.body, depth);
                    }
                }
                Stmt::With(block) => self.walk(module, &block.body, depth),
                Stmt::Try(block) => {
                    self.walk(module, &block.body, depth);
                    self.walk(module, &block.orelse, depth);
                    self.walk(module, &block.finalbody, depth);
                }
                _ => {}
            }
        }
    }

    /// Evaluates what an expression does to the parsers, and the handle it yields.
    fn eval(&mut self, module: &'p Module, expr: &'p Expr, depth: usize) -> Option<Handle> {
        match expr {
            Expr::Name(name) => self.variables.get(name.id.as_str()).copied(),
            Expr::Call(call) => self.call(module, call, depth),
            _ => None,
        }
    }

    fn call(
        &mut self,
        module: &'p Module,
        call: &'p ast::ExprCall,
        depth: usize,
    ) -> Option<Handle> {
        if last_name(&call.func) == Some("ArgumentParser") {
            let index = self.new_parser(module, call, "")?;
            return Some(Handle::Parser(index));
        }
        if let Expr::Attribute(method) = &*call.func
            && !matches!(&*method.value, Expr::Name(name) if name.id.as_str() == "argparse")
            && let Some(owner) = self.eval(module, &method.value, depth)
        {
            return self.method(module, owner, method.attr.as_str(), call);
        }
        // A helper of the package that receives a parser or a group.
        if depth < MAX_HELPER_DEPTH
            && let Some(resolved) = self.package.resolve_expr(module, &call.func)
            && let Resolution::Function(helper) = resolved.binding
        {
            let mut bound = Vec::new();
            let parameters = &helper.parameters;
            let names = parameters
                .posonlyargs
                .iter()
                .chain(&parameters.args)
                .map(|parameter| parameter.parameter.name.as_str());
            for (name, argument) in names.zip(call.arguments.args.iter()) {
                if let Some(handle) = self.eval(module, argument, depth) {
                    bound.push((name.to_owned(), handle));
                }
            }
            for keyword in &call.arguments.keywords {
                if let Some(name) = &keyword.arg
                    && let Some(handle) = self.eval(module, &keyword.value, depth)
                {
                    bound.push((name.to_string(), handle));
                }
            }
            if !bound.is_empty() {
                let saved = std::mem::take(&mut self.variables);
                self.variables.extend(bound);
                let returned = self.returned.take();
                self.walk(resolved.module, &helper.body, depth + 1);
                let helper_returned = self.returned.take();
                self.returned = returned;
                self.variables = saved;
                return helper_returned.map(Handle::Parser);
            }
        }
        None
    }

    fn method(
        &mut self,
        module: &'p Module,
        owner: Handle,
        method: &str,
        call: &'p ast::ExprCall,
    ) -> Option<Handle> {
        match (owner, method) {
            (Handle::Parser(parser), "add_argument") => {
                self.add_argument(module, call, parser, None);
                None
            }
            (Handle::Group { parser, group }, "add_argument") => {
                self.add_argument(module, call, parser, Some(group));
                None
            }
            (Handle::Parser(parser), "add_subparsers") => {
                let command = &mut self.parsers[parser];
                command.is_group = true;
                command.subcommand_metavar = keyword(call, "metavar")
                    .map(|metavar| self.values.text(module, metavar).as_str().to_owned());
                Some(Handle::Subparsers(parser))
            }
            (Handle::Subparsers(parent), "add_parser") => {
                let name = call
                    .arguments
                    .args
                    .first()
                    .or_else(|| keyword(call, "name"))
                    .map(|name| self.values.text(module, name).as_str().to_owned())
                    .unwrap_or_default();
                let child = self.new_parser(module, call, &name)?;
                self.children[parent].push(child);
                self.not_top[child] = true;
                let short_help = keyword(call, "help");
                let command = &mut self.parsers[child];
                if let Some(help) = short_help {
                    if is_suppress(help) {
                        command.hidden = true;
                    } else {
                        command.short_help = Some(self.values.text(module, help));
                    }
                }
                if let Some(aliases) = keyword(call, "aliases") {
                    command.aliases = self
                        .values
                        .items(module, aliases)
                        .into_iter()
                        .map(|alias| alias.as_str().to_owned())
                        .collect();
                }
                if keyword(call, "deprecated").and_then(|value| self.values.boolean(module, value))
                    == Some(true)
                {
                    command.deprecated = Deprecation::Yes;
                }
                Some(Handle::Parser(child))
            }
            (Handle::Parser(parser), "add_argument_group") => {
                let text = |key: &str, position: usize| {
                    keyword(call, key)
                        .or_else(|| call.arguments.args.get(position))
                        .map(|value| self.values.text(module, value))
                };
                let group = ParamGroup {
                    title: text("title", 0),
                    description: text("description", 1),
                    exclusive: false,
                    required: false,
                };
                Some(self.add_group(parser, group))
            }
            (
                Handle::Parser(parser) | Handle::Group { parser, .. },
                "add_mutually_exclusive_group",
            ) => {
                let required = keyword(call, "required")
                    .and_then(|value| self.values.boolean(module, value))
                    .unwrap_or(false);
                let title = match owner {
                    Handle::Group { group, .. } => self.parsers[parser].groups[group].title.clone(),
                    _ => None,
                };
                let group = ParamGroup {
                    title,
                    description: None,
                    exclusive: true,
                    required,
                };
                Some(self.add_group(parser, group))
            }
            _ => None,
        }
    }

    fn add_group(&mut self, parser: usize, group: ParamGroup) -> Handle {
        let groups = &mut self.parsers[parser].groups;
        groups.push(group);
        Handle::Group {
            parser,
            group: groups.len() - 1,
        }
    }

    /// A parser from `ArgumentParser(...)` or `add_parser(...)`, with `-h, --help` unless
    /// `add_help=False`.
    fn new_parser(
        &mut self,
        module: &'p Module,
        call: &'p ast::ExprCall,
        name: &str,
    ) -> Option<usize> {
        if self.parsers.len() >= MAX_PARSERS {
            return None;
        }
        let line = module.line(call);
        let mut command = Command::new(
            name,
            SourceLocation {
                file: module.file.clone(),
                line,
            },
        );
        let text = |key: &str| keyword(call, key).map(|value| self.values.text(module, value));
        command.help = text("description").map(|help| match help {
            Text::Known(help) => Text::Known(clean_doc(&help)),
            other => other,
        });
        command.epilog = text("epilog");
        let add_help = keyword(call, "add_help")
            .and_then(|value| self.values.boolean(module, value))
            .unwrap_or(true);
        if add_help {
            let mut help = Param::new(
                ParamKind::Option,
                vec!["-h".to_owned(), "--help".to_owned()],
                "help".to_owned(),
                line,
            );
            help.is_flag = true;
            help.help = Some(Text::Known("show this help message and exit".to_owned()));
            command.params.push(help);
        }
        // `parents=[common]`: their arguments and groups come first, as argparse copies them.
        if let Some(parents) = keyword(call, "parents") {
            let elements: &[Expr] = match parents {
                Expr::List(list) => &list.elts,
                Expr::Tuple(tuple) => &tuple.elts,
                _ => &[],
            };
            let mut inherited = Vec::new();
            for element in elements {
                if let Expr::Name(name) = element
                    && let Some(Handle::Parser(parent)) =
                        self.variables.get(name.id.as_str()).copied()
                {
                    self.not_top[parent] = true;
                    let offset = command.groups.len();
                    command
                        .groups
                        .extend(self.parsers[parent].groups.iter().cloned());
                    for param in &self.parsers[parent].params {
                        if param.dest == "help" {
                            continue;
                        }
                        let mut param = param.clone();
                        param.group = param.group.map(|group| group + offset);
                        inherited.push(param);
                    }
                }
            }
            command.params.extend(inherited);
        }
        self.parsers.push(command);
        self.children.push(Vec::new());
        self.not_top.push(false);
        Some(self.parsers.len() - 1)
    }

    fn add_argument(
        &mut self,
        module: &'p Module,
        call: &'p ast::ExprCall,
        parser: usize,
        group: Option<usize>,
    ) {
        let names: Vec<String> = call
            .arguments
            .args
            .iter()
            .map(|name| self.values.text(module, name).as_str().to_owned())
            .collect();
        let kind = if names.first().is_some_and(|name| name.starts_with('-')) {
            ParamKind::Option
        } else {
            ParamKind::Argument
        };
        let dest = keyword(call, "dest")
            .map(|dest| self.values.text(module, dest).as_str().to_owned())
            .unwrap_or_else(|| argparse_dest(&names, kind));
        let mut param = Param::new(kind, names, dest, module.line(call));
        param.group = group;
        let action = keyword(call, "action");
        let action_name = action.map(|action| match action {
            Expr::StringLiteral(literal) => literal.value.to_str().to_owned(),
            other => last_name(other).unwrap_or("").to_owned(),
        });
        match action_name.as_deref() {
            Some(
                "store_true" | "store_false" | "store_const" | "append_const" | "help" | "version",
            ) => {
                param.is_flag = true;
                param.multiple = action_name.as_deref() == Some("append_const");
            }
            Some("count") => {
                param.is_flag = true;
                param.count = true;
            }
            Some("append" | "extend") => param.multiple = true,
            Some("BooleanOptionalAction") => {
                param.is_flag = true;
                param.secondary_names = param
                    .names
                    .iter()
                    .filter_map(|name| name.strip_prefix("--"))
                    .map(|name| format!("--no-{name}"))
                    .collect();
            }
            Some("store") | None => {}
            Some(_) => {
                // A custom Action class: whether it takes a value is not knowable.
                param.value_type = action.map(|action| Text::AsWritten(module.expr(action)));
            }
        }
        if let Some(nargs) = keyword(call, "nargs") {
            param.nargs = match nargs {
                Expr::StringLiteral(literal) => match literal.value.to_str() {
                    "?" => Nargs::Optional,
                    "*" => Nargs::Any,
                    "+" => Nargs::AtLeastOne,
                    other => Nargs::AsWritten(format!("{other:?}")),
                },
                other if last_name(other) == Some("REMAINDER") => Nargs::Remainder,
                other => match self.values.integer(other) {
                    Some(1) => Nargs::One,
                    Some(count) => u32::try_from(count)
                        .map_or_else(|_| Nargs::AsWritten(module.expr(other)), Nargs::Exactly),
                    None => Nargs::AsWritten(module.expr(other)),
                },
            };
        }
        if let Some(value_type) = keyword(call, "type") {
            param.value_type = Some(Text::Known(module.expr(value_type)));
        }
        if let Some(choices) = keyword(call, "choices") {
            param.choices = self.values.items(module, choices);
        }
        param.default = keyword(call, "default")
            .filter(|default| !is_suppress(default) && !matches!(default, Expr::NoneLiteral(_)))
            .map(|default| self.values.display(module, default));
        param.metavar = keyword(call, "metavar").map(|metavar| match metavar {
            Expr::Tuple(tuple) => {
                param.metavar_tuple = tuple
                    .elts
                    .iter()
                    .map(|item| self.values.text(module, item).as_str().to_owned())
                    .collect();
                Text::Known(param.metavar_tuple.join(" "))
            }
            other => self.values.text(module, other),
        });
        match keyword(call, "help") {
            Some(help) if is_suppress(help) => param.hidden = true,
            Some(help) => param.help = Some(self.values.text(module, help)),
            None => {}
        }
        if action_name.as_deref() == Some("version") && param.help.is_none() {
            param.help = Some(Text::Known(
                "show program's version number and exit".to_owned(),
            ));
        }
        param.required = match kind {
            ParamKind::Argument => {
                !matches!(param.nargs, Nargs::Optional | Nargs::Any | Nargs::Remainder)
            }
            ParamKind::Option => keyword(call, "required")
                .and_then(|value| self.values.boolean(module, value))
                .unwrap_or(false),
        };
        if keyword(call, "deprecated").and_then(|value| self.values.boolean(module, value))
            == Some(true)
        {
            param.deprecated = Deprecation::Yes;
        }
        self.parsers[parser].params.push(param);
    }
}

fn is_suppress(expr: &Expr) -> bool {
    last_name(expr) == Some("SUPPRESS")
}

/// argparse's `dest`: a positional's name; an option's first `--` flag (else its first
/// flag) without dashes, `-` → `_`.
fn argparse_dest(names: &[String], kind: ParamKind) -> String {
    match kind {
        ParamKind::Argument => names.first().cloned().unwrap_or_default(),
        ParamKind::Option => names
            .iter()
            .find(|name| name.starts_with("--"))
            .or_else(|| names.first())
            .map(|name| name.trim_start_matches('-').replace('-', "_"))
            .unwrap_or_default(),
    }
}

/// argparse's default metavar of a parameter.
pub(crate) fn default_metavar(param: &Param) -> String {
    match param.kind {
        ParamKind::Argument => param.dest.clone(),
        ParamKind::Option => param.dest.to_uppercase(),
    }
}
