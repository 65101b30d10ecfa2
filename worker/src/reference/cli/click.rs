//! click, read from decorators: `@click.group()`/`@click.command()` functions,
//! subcommands added with `@group.command()`, `@group.group()` or `group.add_command(cmd)`
//! anywhere in the package, and parameters from `@click.option(...)`/`@click.argument(...)`
//! decorators, also when they come through names: a module-level `opt = click.option(…)`,
//! a helper function that applies `click.option(…)(f)`, or a helper that bundles
//! decorators (`add_options(quiet_option, verbose_option)`, as mkdocs does).
//!
//! Click lists subcommands sorted by name and options in decorator order, with `--help`
//! last; this reader does the same.

use ruff_python_ast::{self as ast, Expr, Stmt};

use super::model::{Command, Deprecation, Nargs, Param, ParamKind, SourceLocation, Text};
use super::source::{Module, Package, Resolution, docstring, keyword, last_name, root_name};
use super::values::Values;
use crate::reference::html::clean_doc;

/// Most levels of helper decorators followed for one parameter list.
const MAX_DECORATOR_DEPTH: usize = 12;
/// Deepest group nesting read.
const MAX_GROUP_DEPTH: usize = 32;

/// Reads the click command or group defined by `function` in `module`.
pub(crate) fn read_click(
    package: &Package,
    module: &Module,
    function: &ast::StmtFunctionDef,
    program: &str,
) -> Command {
    let reader = ClickReader {
        package,
        values: Values { package },
    };
    let help_names = vec!["--help".to_owned()];
    reader.command(module, function, Some(program.to_owned()), &help_names, &[])
}

/// The decorator that makes a function a click command: `@click.command`,
/// `@click.group(...)`, `@cli.command(...)`; with the call when it has one, and whether it
/// makes a group.
pub(crate) fn command_decorator(
    function: &ast::StmtFunctionDef,
) -> Option<(&Expr, Option<&ast::ExprCall>, bool)> {
    function.decorator_list.iter().find_map(|decorator| {
        let (target, call) = match &decorator.expression {
            Expr::Call(call) => (&*call.func, Some(call)),
            other => (other, None),
        };
        match last_name(target)? {
            "command" => Some((target, call, false)),
            "group" => Some((target, call, true)),
            _ => None,
        }
    })
}

struct ClickReader<'p> {
    package: &'p Package,
    values: Values<'p>,
}

impl<'p> ClickReader<'p> {
    fn command(
        &self,
        module: &'p Module,
        function: &'p ast::StmtFunctionDef,
        name: Option<String>,
        inherited_help_names: &[String],
        ancestors: &[*const ast::StmtFunctionDef],
    ) -> Command {
        let decorator = command_decorator(function);
        let call = decorator.and_then(|(_, call, _)| call);
        let is_group = decorator.is_some_and(|(_, _, is_group)| is_group);
        let name = name
            .or_else(|| call.and_then(|call| self.name_argument(module, call)))
            .unwrap_or_else(|| command_name(function.name.as_str()));
        let mut command = Command::new(
            name,
            SourceLocation {
                file: module.file.clone(),
                line: module.line(function),
            },
        );
        command.is_group = is_group;
        let mut help_names = inherited_help_names.to_vec();
        let mut add_help = true;
        if let Some(call) = call {
            let text = |key: &str| keyword(call, key).map(|value| self.values.text(module, value));
            command.help = text("help");
            command.short_help = text("short_help");
            command.epilog = text("epilog");
            command.hidden = keyword(call, "hidden")
                .and_then(|value| self.values.boolean(module, value))
                .unwrap_or(false);
            command.deprecated = self.deprecation(module, keyword(call, "deprecated"));
            if let Some(names) = self.help_option_names(module, call) {
                help_names = names;
            }
            if keyword(call, "add_help_option").and_then(|value| self.values.boolean(module, value))
                == Some(false)
            {
                add_help = false;
            }
        }
        if command.help.is_none() {
            command.help = docstring(&function.body)
                .map(|text| Text::Known(click_help(text)))
                .filter(|text| !text.as_str().is_empty());
        }
        for decorator in &function.decorator_list {
            if is_command(decorator) {
                continue;
            }
            self.decorator_params(
                module,
                &decorator.expression,
                &mut command.params,
                &mut help_names,
                0,
            );
        }
        if add_help {
            let line = module.line(function);
            let mut help = Param::new(ParamKind::Option, help_names.clone(), "help".into(), line);
            help.is_flag = true;
            help.help = Some(Text::Known("Show this message and exit.".to_owned()));
            command.params.push(help);
        }
        if is_group && ancestors.len() < MAX_GROUP_DEPTH {
            let mut chain = ancestors.to_vec();
            chain.push(function);
            let mut subcommands = Vec::new();
            for (sub_module, sub_function, sub_name) in self.subcommands(module, function) {
                // A group added below itself would nest forever: click would recurse too.
                if chain.contains(&(sub_function as *const _)) {
                    continue;
                }
                subcommands.push(self.command(
                    sub_module,
                    sub_function,
                    sub_name,
                    &help_names,
                    &chain,
                ));
            }
            subcommands.sort_by(|left, right| left.name.cmp(&right.name));
            command.subcommands = subcommands;
        }
        command
    }

    /// A command's name given as the decorator's first argument or `name=`.
    fn name_argument(&self, module: &'p Module, call: &'p ast::ExprCall) -> Option<String> {
        let expr = keyword(call, "name").or_else(|| call.arguments.args.first())?;
        match self.values.text(module, expr) {
            Text::Known(name) => Some(name),
            Text::AsWritten(_) => None,
        }
    }

    fn deprecation(&self, module: &'p Module, value: Option<&'p Expr>) -> Deprecation {
        let Some(value) = value else {
            return Deprecation::No;
        };
        match self.values.boolean(module, value) {
            Some(true) => Deprecation::Yes,
            Some(false) => Deprecation::No,
            None => Deprecation::Message(self.values.text(module, value)),
        }
    }

    /// `context_settings=dict(help_option_names=[...])` or `{"help_option_names": [...]}`.
    fn help_option_names(
        &self,
        module: &'p Module,
        call: &'p ast::ExprCall,
    ) -> Option<Vec<String>> {
        let settings = keyword(call, "context_settings")?;
        let names = match settings {
            Expr::Call(dict) if last_name(&dict.func) == Some("dict") => {
                keyword(dict, "help_option_names")?
            }
            Expr::Dict(dict) => dict.items.iter().find_map(|item| {
                let key = item.key.as_ref()?;
                matches!(key, Expr::StringLiteral(literal) if literal.value.to_str() == "help_option_names")
                    .then_some(&item.value)
            })?,
            _ => return None,
        };
        let names: Vec<String> = self
            .values
            .items(module, names)
            .into_iter()
            .filter_map(|text| match text {
                Text::Known(name) => Some(name),
                Text::AsWritten(_) => None,
            })
            .collect();
        (!names.is_empty()).then_some(names)
    }

    /// Subcommands of the group `function`: functions decorated `@group.command()` or
    /// `@group.group()`, and commands passed to `group.add_command()`, in this module and
    /// in the package's other modules that mention the group.
    fn subcommands(
        &self,
        module: &'p Module,
        group: &'p ast::StmtFunctionDef,
    ) -> Vec<(&'p Module, &'p ast::StmtFunctionDef, Option<String>)> {
        let mut found: Vec<(&'p Module, &'p ast::StmtFunctionDef, Option<String>)> = Vec::new();
        for scanned in self.package.scan_order(module) {
            self.scan_body(scanned, &scanned.body, group, &mut found);
        }
        found
    }

    fn scan_body(
        &self,
        module: &'p Module,
        body: &'p [Stmt],
        group: &'p ast::StmtFunctionDef,
        found: &mut Vec<(&'p Module, &'p ast::StmtFunctionDef, Option<String>)>,
    ) {
        let is_our_group = |owner: &Expr| {
            self.package
                .resolve_expr(module, owner)
                .is_some_and(|resolved| {
                    matches!(resolved.binding, Resolution::Function(function) if std::ptr::eq(function, group))
                })
        };
        for statement in body {
            match statement {
                Stmt::FunctionDef(function) if !std::ptr::eq(function, group) => {
                    if let Some((Expr::Attribute(target), _, _)) = command_decorator(function)
                        && is_our_group(&target.value)
                        && !found
                            .iter()
                            .any(|(_, seen, _)| std::ptr::eq(*seen, function))
                    {
                        found.push((module, function, None));
                    }
                }
                Stmt::Expr(expression) => {
                    if let Expr::Call(call) = &*expression.value
                        && let Expr::Attribute(method) = &*call.func
                        && method.attr.as_str() == "add_command"
                        && is_our_group(&method.value)
                        && let Some(added) = call.arguments.args.first()
                        && let Some(resolved) = self.package.resolve_expr(module, added)
                        && let Resolution::Function(function) = resolved.binding
                    {
                        let name = keyword(call, "name")
                            .or_else(|| call.arguments.args.get(1))
                            .and_then(|name| match self.values.text(module, name) {
                                Text::Known(name) => Some(name),
                                Text::AsWritten(_) => None,
                            });
                        if !found
                            .iter()
                            .any(|(_, seen, _)| std::ptr::eq(*seen, function))
                        {
                            found.push((resolved.module, function, name));
                        }
                    }
                }
                Stmt::If(block) => {
                    self.scan_body(module, &block.body, group, found);
                    for clause in &block.elif_else_clauses {
                        self.scan_body(module, &clause.body, group, found);
                    }
                }
                _ => {}
            }
        }
    }

    /// Parameters a decorator adds, in the order click lists them.
    fn decorator_params(
        &self,
        module: &'p Module,
        expr: &'p Expr,
        params: &mut Vec<Param>,
        help_names: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > MAX_DECORATOR_DEPTH {
            return;
        }
        match expr {
            Expr::Call(call) => {
                let callee = last_name(&call.func);
                let from_click = root_name(&call.func) == Some("click")
                    || self.package.resolve_expr(module, &call.func).is_none();
                match callee {
                    Some("option") if from_click => params.push(self.option(module, call)),
                    Some("argument") if from_click => params.push(self.argument(module, call)),
                    Some("version_option") if from_click => {
                        params.push(self.version_option(module, call));
                    }
                    Some("help_option") if from_click => {
                        let names = self.flag_names(module, call);
                        if !names.is_empty() {
                            *help_names = names;
                        }
                    }
                    Some("confirmation_option") if from_click => {
                        let mut param = self.builtin_flag(module, call, "--yes", "yes");
                        param.help.get_or_insert(Text::Known(
                            "Confirm the action without prompting.".to_owned(),
                        ));
                        params.push(param);
                    }
                    Some("password_option") if from_click => {
                        let mut param = self.option(module, call);
                        if param.names.is_empty() {
                            param.names.push("--password".to_owned());
                            param.dest = "password".to_owned();
                        }
                        params.push(param);
                    }
                    _ => {
                        // A helper of the package: the decorators passed to it, or the
                        // click calls in its body.
                        let before = params.len();
                        for argument in &call.arguments.args {
                            self.decorator_params(module, argument, params, help_names, depth + 1);
                        }
                        if params.len() == before
                            && let Some(resolved) = self.package.resolve_expr(module, &call.func)
                            && let Resolution::Function(helper) = resolved.binding
                        {
                            self.body_params(resolved.module, &helper.body, params, depth + 1);
                        }
                    }
                }
            }
            Expr::Name(_) | Expr::Attribute(_) => {
                let Some(resolved) = self.package.resolve_expr(module, expr) else {
                    return;
                };
                match resolved.binding {
                    Resolution::Value(value) => {
                        self.decorator_params(resolved.module, value, params, help_names, depth + 1)
                    }
                    Resolution::Function(helper) => {
                        self.body_params(resolved.module, &helper.body, params, depth + 1);
                    }
                    Resolution::Class(_) | Resolution::Module(_) => {}
                }
            }
            _ => {}
        }
    }

    /// The `click.option(...)`/`click.argument(...)` calls in a helper's body, in order.
    fn body_params(
        &self,
        module: &'p Module,
        body: &'p [Stmt],
        params: &mut Vec<Param>,
        depth: usize,
    ) {
        let mut calls = Vec::new();
        for statement in body {
            collect_click_calls(statement, &mut calls);
        }
        let mut ignored_help_names = Vec::new();
        for call in calls {
            self.decorator_params(module, call, params, &mut ignored_help_names, depth);
        }
    }

    fn flag_names(&self, module: &'p Module, call: &'p ast::ExprCall) -> Vec<String> {
        call.arguments
            .args
            .iter()
            .filter_map(|argument| match self.values.text(module, argument) {
                Text::Known(name) if name.starts_with('-') => Some(name),
                _ => None,
            })
            .collect()
    }

    fn builtin_flag(
        &self,
        module: &'p Module,
        call: &'p ast::ExprCall,
        default_name: &str,
        dest: &str,
    ) -> Param {
        let mut names = self.flag_names(module, call);
        if names.is_empty() {
            names.push(default_name.to_owned());
        }
        let mut param = Param::new(ParamKind::Option, names, dest.to_owned(), module.line(call));
        param.is_flag = true;
        param.help = keyword(call, "help").map(|help| self.values.text(module, help));
        param.hidden = keyword(call, "hidden")
            .and_then(|value| self.values.boolean(module, value))
            .unwrap_or(false);
        param
    }

    fn version_option(&self, module: &'p Module, call: &'p ast::ExprCall) -> Param {
        let mut param = self.builtin_flag(module, call, "--version", "version");
        param
            .help
            .get_or_insert(Text::Known("Show the version and exit.".to_owned()));
        param
    }

    fn option(&self, module: &'p Module, call: &'p ast::ExprCall) -> Param {
        let mut names = Vec::new();
        let mut secondary = Vec::new();
        let mut dest = None;
        for declaration in &call.arguments.args {
            let Text::Known(declaration) = self.values.text(module, declaration) else {
                continue;
            };
            if !declaration.starts_with('-') && !declaration.contains('/') {
                dest = Some(declaration);
                continue;
            }
            match declaration.split_once('/') {
                Some((first, second)) => {
                    let (first, second) = (first.trim(), second.trim());
                    if !first.is_empty() {
                        names.push(first.to_owned());
                    }
                    if !second.is_empty() {
                        secondary.push(second.to_owned());
                    }
                }
                None => names.push(declaration),
            }
        }
        let dest = dest.unwrap_or_else(|| option_dest(&names));
        let mut param = Param::new(ParamKind::Option, names, dest, module.line(call));
        param.secondary_names = secondary;
        self.common(module, call, &mut param);
        let flag_value = keyword(call, "flag_value").is_some();
        param.count = keyword(call, "count")
            .and_then(|value| self.values.boolean(module, value))
            .unwrap_or(false);
        param.is_flag = match keyword(call, "is_flag").and_then(|v| self.values.boolean(module, v))
        {
            Some(is_flag) => is_flag,
            None => flag_value || !param.secondary_names.is_empty(),
        } || param.count;
        param.multiple = keyword(call, "multiple")
            .and_then(|value| self.values.boolean(module, value))
            .unwrap_or(false);
        param.hidden = keyword(call, "hidden")
            .and_then(|value| self.values.boolean(module, value))
            .unwrap_or(false);
        param.help = keyword(call, "help").map(|help| self.values.text(module, help));
        param.envvars = keyword(call, "envvar")
            .map(|envvar| match envvar {
                Expr::List(_) | Expr::Tuple(_) => self.values.items(module, envvar),
                single => vec![self.values.text(module, single)],
            })
            .unwrap_or_default();
        param.deprecated = self.deprecation(module, keyword(call, "deprecated"));
        if param.is_flag {
            param.value_type = None;
        } else if param.value_type.is_none() {
            param.value_type = Some(Text::Known(
                keyword(call, "default")
                    .and_then(|default| self.values.literal_kind(module, default))
                    .map_or("TEXT", python_type_name)
                    .to_owned(),
            ));
        }
        param
    }

    fn argument(&self, module: &'p Module, call: &'p ast::ExprCall) -> Param {
        let name = call
            .arguments
            .args
            .first()
            .map(|name| self.values.text(module, name).as_str().to_owned())
            .unwrap_or_default();
        let mut param = Param::new(
            ParamKind::Argument,
            vec![name.clone()],
            name,
            module.line(call),
        );
        self.common(module, call, &mut param);
        if param.value_type.is_none() {
            param.value_type = Some(Text::Known(
                keyword(call, "default")
                    .and_then(|default| self.values.literal_kind(module, default))
                    .map_or("TEXT", python_type_name)
                    .to_owned(),
            ));
        }
        // click: an argument is required unless it has a default or takes any number.
        param.required =
            match keyword(call, "required").and_then(|v| self.values.boolean(module, v)) {
                Some(required) => required,
                None => param.default.is_none() && !matches!(param.nargs, Nargs::Any),
            };
        param
    }

    /// What options and arguments share: type, default, metavar, nargs, required.
    fn common(&self, module: &'p Module, call: &'p ast::ExprCall, param: &mut Param) {
        if let Some(value_type) = keyword(call, "type") {
            let (shown, choices) = self.click_type(module, value_type);
            param.value_type = Some(shown);
            param.choices = choices;
        }
        param.default = keyword(call, "default")
            .filter(|value| !matches!(value, Expr::NoneLiteral(_)))
            .map(|value| self.values.display(module, value));
        param.metavar = keyword(call, "metavar").map(|value| self.values.text(module, value));
        param.required = keyword(call, "required")
            .and_then(|value| self.values.boolean(module, value))
            .unwrap_or(false);
        if let Some(nargs) = keyword(call, "nargs") {
            param.nargs = match self.values.integer(nargs) {
                Some(-1) => Nargs::Any,
                Some(1) => Nargs::One,
                Some(count) => u32::try_from(count).map_or(Nargs::Any, Nargs::Exactly),
                None => Nargs::AsWritten(module.expr(nargs)),
            };
        }
    }

    /// The type name click shows, and the choices of a `click.Choice`.
    fn click_type(&self, module: &'p Module, expr: &'p Expr) -> (Text, Vec<Text>) {
        let (callee, call) = match expr {
            Expr::Call(call) => (last_name(&call.func), Some(call)),
            other => (last_name(other), None),
        };
        let known = |name: &str| (Text::Known(name.to_owned()), Vec::new());
        match callee {
            Some("Choice") => {
                let choices = call
                    .and_then(|call| {
                        call.arguments
                            .args
                            .first()
                            .or_else(|| keyword(call, "choices"))
                    })
                    .map(|choices| self.values.items(module, choices))
                    .unwrap_or_default();
                (Text::Known("CHOICE".to_owned()), choices)
            }
            Some("Path") => known("PATH"),
            Some("File") => known("FILENAME"),
            Some("IntRange") => known("INTEGER RANGE"),
            Some("FloatRange") => known("FLOAT RANGE"),
            Some("DateTime") => known("DATETIME"),
            Some("UUID") => known("UUID"),
            Some("STRING") => known("TEXT"),
            Some("INT") => known("INTEGER"),
            Some("FLOAT") => known("FLOAT"),
            Some("BOOL") => known("BOOLEAN"),
            Some(name @ ("str" | "int" | "float" | "bool")) if call.is_none() => {
                known(python_type_name(name))
            }
            _ => (Text::AsWritten(module.expr(expr)), Vec::new()),
        }
    }
}

fn is_command(decorator: &ast::Decorator) -> bool {
    let target = match &decorator.expression {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    matches!(last_name(target), Some("command" | "group"))
}

/// click's type name for a Python type.
pub(crate) fn python_type_name(name: &str) -> &'static str {
    match name {
        "int" => "INTEGER",
        "float" => "FLOAT",
        "bool" => "BOOLEAN",
        _ => "TEXT",
    }
}

/// click's command name for a function: lower-cased, `_` → `-`, without a `_command`,
/// `_cmd`, `_group` or `_grp` suffix (click 8.2).
pub(crate) fn command_name(function: &str) -> String {
    let lower = function.to_lowercase();
    let stem = ["_command", "_cmd", "_group", "_grp"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix).filter(|stem| !stem.is_empty()))
        .unwrap_or(&lower);
    stem.replace('_', "-")
}

/// click's parameter name for an option without one: its longest `--` flag (or its
/// first flag) without dashes, `-` → `_`.
fn option_dest(names: &[String]) -> String {
    let longest = names
        .iter()
        .filter(|name| name.starts_with("--"))
        .max_by_key(|name| name.len())
        .or_else(|| names.first());
    longest
        .map(|name| {
            name.trim_start_matches('-')
                .replace('-', "_")
                .to_lowercase()
        })
        .unwrap_or_default()
}

/// Help text of a docstring as click shows it: dedented, cut at `\f`.
pub(crate) fn click_help(docstring: &str) -> String {
    let cut = docstring.split('\u{c}').next().unwrap_or("");
    clean_doc(cut)
}

/// The `click.option(...)`-like calls in a statement, outermost first, in source order.
fn collect_click_calls<'a>(statement: &'a Stmt, calls: &mut Vec<&'a Expr>) {
    use ruff_python_ast::visitor::{Visitor, walk_expr};
    struct Collector<'a, 'c> {
        calls: &'c mut Vec<&'a Expr>,
    }
    impl<'a> Visitor<'a> for Collector<'a, '_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && root_name(&call.func) == Some("click")
                && matches!(
                    last_name(&call.func),
                    Some(
                        "option"
                            | "argument"
                            | "version_option"
                            | "confirmation_option"
                            | "password_option"
                    )
                )
            {
                self.calls.push(expr);
                return;
            }
            walk_expr(self, expr);
        }
    }
    let mut collector = Collector { calls };
    collector.visit_stmt(statement);
}
