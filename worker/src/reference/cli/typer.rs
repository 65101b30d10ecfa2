//! typer, read from an app and function signatures: `app = typer.Typer(...)`, commands
//! from `@app.command()`, the group's own help and options from `@app.callback()`, sub-apps
//! from `app.add_typer(sub, name=...)`, and each command's parameters from its signature,
//! in both styles: `x: Annotated[int, typer.Option("--x", help=…)] = 1` and
//! `x: int = typer.Option(1, "--x", help=…)`. A parameter without a default is an argument,
//! one with a plain default an option; `bool` options are `--x/--no-x` flags.
//!
//! As typer does, an app with one command and no callback is that command, and the top
//! app gets `--install-completion`/`--show-completion` unless `add_completion=False`.

use ruff_python_ast::{self as ast, Expr, Stmt};

use super::model::{Command, Deprecation, Param, ParamKind, SourceLocation, Text};
use super::source::{Module, Package, Resolution, docstring, keyword, last_name};
use super::values::Values;
use crate::reference::html::clean_doc;

/// Deepest `add_typer` nesting read.
const MAX_APP_DEPTH: usize = 32;

/// Reads the typer app `app` (the `typer.Typer(...)` call bound at module level in
/// `module`) as the program `program`.
pub(crate) fn read_typer(package: &Package, module: &Module, app: &Expr, program: &str) -> Command {
    let reader = TyperReader {
        package,
        values: Values { package },
    };
    let Expr::Call(call) = app else {
        return Command::new(program, location(module, app));
    };
    let mut root = reader.app(module, call, program.to_owned(), &[]);
    let add_completion = keyword(call, "add_completion")
        .and_then(|value| reader.values.boolean(module, value))
        .unwrap_or(true);
    if add_completion {
        let line = module.line(call);
        // `--help` stays last.
        let help = root.params.pop_if(|param| param.dest == "help");
        for (name, help) in [
            (
                "--install-completion",
                "Install completion for the current shell.",
            ),
            (
                "--show-completion",
                "Show completion for the current shell, to copy it or customize the installation.",
            ),
        ] {
            let mut param = Param::new(
                ParamKind::Option,
                vec![name.to_owned()],
                name.trim_start_matches('-').replace('-', "_"),
                line,
            );
            param.is_flag = true;
            param.help = Some(Text::Known(help.to_owned()));
            root.params.push(param);
        }
        root.params.extend(help);
    }
    root
}

/// Reads a function run with `typer.run(function)`: a one-command app without
/// completion options, as `typer.run` builds it.
pub(crate) fn read_typer_function(
    package: &Package,
    module: &Module,
    function: &ast::StmtFunctionDef,
    program: &str,
) -> Command {
    let reader = TyperReader {
        package,
        values: Values { package },
    };
    let mut command = Command::new(program, location(module, function));
    command.help = docstring(&function.body)
        .map(|text| Text::Known(clean_doc(text)))
        .filter(|text| !text.as_str().is_empty());
    command.params = reader.params(module, function);
    command
}

/// Whether `expr` builds a typer app.
pub(crate) fn is_typer_app(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(call) if last_name(&call.func) == Some("Typer"))
}

fn location(module: &Module, node: &impl ruff_text_size::Ranged) -> SourceLocation {
    SourceLocation {
        file: module.file.clone(),
        line: module.line(node),
    }
}

struct TyperReader<'p> {
    package: &'p Package,
    values: Values<'p>,
}

/// What registers on one app, in source order.
enum Registration<'p> {
    Command(&'p Module, &'p ast::StmtFunctionDef, &'p ast::ExprCall),
    Callback(
        &'p Module,
        &'p ast::StmtFunctionDef,
        Option<&'p ast::ExprCall>,
    ),
    SubApp(&'p Module, &'p ast::ExprCall, &'p ast::ExprCall),
}

impl<'p> TyperReader<'p> {
    fn app(
        &self,
        module: &'p Module,
        app: &'p ast::ExprCall,
        name: String,
        ancestors: &[*const ast::ExprCall],
    ) -> Command {
        let mut command = Command::new(
            keyword(app, "name")
                .and_then(|value| known(self.values.text(module, value)))
                .unwrap_or(name.clone()),
            location(module, app),
        );
        self.command_settings(module, app, &mut command);
        let mut registrations = self.registrations(module, app);
        // typer adds an app's commands first, then its sub-apps, each in source order.
        registrations.sort_by_key(|registration| matches!(registration, Registration::SubApp(..)));
        let n_commands = registrations
            .iter()
            .filter(|registration| !matches!(registration, Registration::Callback(..)))
            .count();
        let has_callback = registrations
            .iter()
            .any(|registration| matches!(registration, Registration::Callback(..)));
        // Only the top app collapses into its one command; a sub-app stays a group.
        if ancestors.is_empty()
            && n_commands == 1
            && !has_callback
            && let Some(Registration::Command(module, function, call)) = registrations.first()
        {
            let mut single = self.command(module, function, call);
            single.name = name;
            return single;
        }
        command.is_group = true;
        for registration in registrations {
            match registration {
                Registration::Callback(module, function, call) => {
                    if let Some(call) = call {
                        self.command_settings(module, call, &mut command);
                    }
                    if command.help.is_none() {
                        command.help = docstring(&function.body)
                            .map(|text| Text::Known(clean_doc(text)))
                            .filter(|text| !text.as_str().is_empty());
                    }
                    command.params = self.params(module, function);
                }
                Registration::Command(module, function, call) => {
                    command
                        .subcommands
                        .push(self.command(module, function, call));
                }
                // An app added below itself would nest forever: typer would recurse too.
                Registration::SubApp(module, call, sub_app)
                    if ancestors.len() < MAX_APP_DEPTH
                        && !std::ptr::eq(sub_app, app)
                        && !ancestors.contains(&(sub_app as *const _)) =>
                {
                    let sub_name = keyword(call, "name")
                        .and_then(|value| known(self.values.text(module, value)))
                        .unwrap_or_default();
                    let mut chain = ancestors.to_vec();
                    chain.push(app);
                    let mut sub = self.app(module, sub_app, sub_name, &chain);
                    self.command_settings(module, call, &mut sub);
                    sub.source = location(module, call);
                    command.subcommands.push(sub);
                }
                Registration::SubApp(..) => {}
            }
        }
        if command.params.is_empty() {
            command.params.push(help_param(module.line(app)));
        }
        command
    }

    /// `help=`, `epilog=`, `hidden=`, `deprecated=`, `short_help=` of a `Typer(...)`,
    /// `command(...)`, `callback(...)` or `add_typer(...)` call.
    fn command_settings(&self, module: &'p Module, call: &'p ast::ExprCall, command: &mut Command) {
        let text = |key: &str| keyword(call, key).map(|value| self.values.text(module, value));
        if let Some(help) = text("help") {
            command.help = Some(help);
        }
        if let Some(short_help) = text("short_help") {
            command.short_help = Some(short_help);
        }
        if let Some(epilog) = text("epilog") {
            command.epilog = Some(epilog);
        }
        if let Some(hidden) =
            keyword(call, "hidden").and_then(|value| self.values.boolean(module, value))
        {
            command.hidden = hidden;
        }
        if let Some(deprecated) =
            keyword(call, "deprecated").and_then(|value| self.values.boolean(module, value))
        {
            command.deprecated = if deprecated {
                Deprecation::Yes
            } else {
                Deprecation::No
            };
        }
    }

    /// Commands, callbacks and sub-apps registered on `app`, here and in the package's
    /// other modules that mention one of them.
    fn registrations(&self, module: &'p Module, app: &'p ast::ExprCall) -> Vec<Registration<'p>> {
        let mut found = Vec::new();
        for scanned in self.package.scan_order(module) {
            self.scan(scanned, &scanned.body, app, &mut found);
        }
        found
    }

    fn scan(
        &self,
        module: &'p Module,
        body: &'p [Stmt],
        app: &'p ast::ExprCall,
        found: &mut Vec<Registration<'p>>,
    ) {
        let is_our_app = |owner: &Expr| {
            self.package.resolve_expr(module, owner).is_some_and(|resolved| {
                matches!(resolved.binding, Resolution::Value(Expr::Call(call)) if std::ptr::eq(call, app))
            })
        };
        for statement in body {
            match statement {
                Stmt::FunctionDef(function) => {
                    for decorator in &function.decorator_list {
                        let (target, call) = match &decorator.expression {
                            Expr::Call(call) => (&*call.func, Some(call)),
                            other => (other, None),
                        };
                        let Expr::Attribute(method) = target else {
                            continue;
                        };
                        if !is_our_app(&method.value) {
                            continue;
                        }
                        match (method.attr.as_str(), call) {
                            ("command", Some(call)) => {
                                found.push(Registration::Command(module, function, call));
                            }
                            ("callback", call) => {
                                found.push(Registration::Callback(module, function, call));
                            }
                            _ => {}
                        }
                    }
                }
                Stmt::Expr(expression) => {
                    if let Expr::Call(call) = &*expression.value
                        && let Expr::Attribute(method) = &*call.func
                        && method.attr.as_str() == "add_typer"
                        && is_our_app(&method.value)
                        && let Some(sub) = call.arguments.args.first()
                        && let Some(resolved) = self.package.resolve_expr(module, sub)
                        && let Resolution::Value(Expr::Call(sub_app)) = resolved.binding
                        && last_name(&sub_app.func) == Some("Typer")
                    {
                        found.push(Registration::SubApp(module, call, sub_app));
                    }
                }
                Stmt::If(block) => {
                    self.scan(module, &block.body, app, found);
                    for clause in &block.elif_else_clauses {
                        self.scan(module, &clause.body, app, found);
                    }
                }
                _ => {}
            }
        }
    }

    fn command(
        &self,
        module: &'p Module,
        function: &'p ast::StmtFunctionDef,
        call: &'p ast::ExprCall,
    ) -> Command {
        let name = keyword(call, "name")
            .or_else(|| call.arguments.args.first())
            .and_then(|value| known(self.values.text(module, value)))
            .unwrap_or_else(|| command_name_typer(function.name.as_str()));
        let mut command = Command::new(name, location(module, function));
        self.command_settings(module, call, &mut command);
        if command.help.is_none() {
            command.help = docstring(&function.body)
                .map(|text| Text::Known(clean_doc(text)))
                .filter(|text| !text.as_str().is_empty());
        }
        command.params = self.params(module, function);
        command
    }

    /// Options and arguments from a function's signature, then `--help`.
    fn params(&self, module: &'p Module, function: &'p ast::StmtFunctionDef) -> Vec<Param> {
        let parameters = &function.parameters;
        let mut params = Vec::new();
        for parameter in parameters
            .posonlyargs
            .iter()
            .chain(&parameters.args)
            .chain(&parameters.kwonlyargs)
        {
            if let Some(param) = self.param(module, parameter) {
                params.push(param);
            }
        }
        // typer lists arguments' help apart, but options in signature order, then --help.
        params.push(help_param(module.line(function)));
        params
    }

    fn param(&self, module: &'p Module, parameter: &'p ast::ParameterWithDefault) -> Option<Param> {
        let name = parameter.parameter.name.as_str();
        let mut annotation = parameter.parameter.annotation.as_deref();
        let mut info: Option<&'p ast::ExprCall> = None;
        let mut default = parameter.default.as_deref();
        let mut default_from_info = false;
        // Annotated[T, typer.Option(...)]
        if let Some(Expr::Subscript(subscript)) = annotation
            && last_name(&subscript.value) == Some("Annotated")
            && let Expr::Tuple(items) = &*subscript.slice
        {
            annotation = items.elts.first();
            info = items.elts.iter().skip(1).find_map(|item| match item {
                Expr::Call(call) if is_param_info(call) => Some(call),
                _ => None,
            });
        }
        // x: int = typer.Option(default, "--x", ...)
        if let Some(Expr::Call(call)) = default
            && is_param_info(call)
        {
            info = Some(call);
            default = keyword(call, "default").or_else(|| call.arguments.args.first());
            default_from_info = true;
        }
        if let Some(annotation) = annotation
            && matches!(last_name(annotation), Some("Context"))
        {
            return None;
        }
        let kind = match info.and_then(|call| last_name(&call.func)) {
            Some("Argument") => ParamKind::Argument,
            Some("Option") => ParamKind::Option,
            _ if default.is_none() => ParamKind::Argument,
            _ => ParamKind::Option,
        };
        let is_ellipsis = default.is_some_and(|value| matches!(value, Expr::EllipsisLiteral(_)));
        let line = module.line(&parameter.parameter);
        let shape = annotation.map(|annotation| self.shape(module, annotation));
        let is_bool = shape.as_ref().is_some_and(|shape| shape.is_bool);
        let declarations: Vec<String> = info
            .map(|call| {
                call.arguments
                    .args
                    .iter()
                    .skip(usize::from(default_from_info))
                    .filter_map(|value| known(self.values.text(module, value)))
                    .filter(|text| text.starts_with('-'))
                    .collect()
            })
            .unwrap_or_default();
        let mut param = match kind {
            ParamKind::Argument => Param::new(kind, vec![name.to_owned()], name.to_owned(), line),
            ParamKind::Option => {
                let mut names = Vec::new();
                let mut secondary = Vec::new();
                for declaration in &declarations {
                    match declaration.split_once('/') {
                        Some((first, second)) => {
                            names.push(first.trim().to_owned());
                            secondary.push(second.trim().to_owned());
                        }
                        None => names.push(declaration.clone()),
                    }
                }
                if names.is_empty() {
                    let flag = name.replace('_', "-");
                    names.push(format!("--{flag}"));
                    if is_bool {
                        secondary.push(format!("--no-{flag}"));
                    }
                }
                let mut param = Param::new(kind, names, name.to_owned(), line);
                param.secondary_names = secondary;
                param
            }
        };
        if let Some(shape) = shape {
            param.multiple = shape.multiple && kind == ParamKind::Option;
            param.choices = shape.choices;
            param.is_flag = kind == ParamKind::Option && shape.is_bool;
            param.value_type = (!param.is_flag).then_some(shape.shown);
        } else if kind == ParamKind::Option || kind == ParamKind::Argument {
            param.value_type = Some(Text::Known("TEXT".to_owned()));
        }
        param.required = default.is_none() || is_ellipsis;
        param.default = default
            .filter(|value| !matches!(value, Expr::EllipsisLiteral(_) | Expr::NoneLiteral(_)))
            .map(|value| self.values.display(module, value));
        if let Some(call) = info {
            let text = |key: &str| keyword(call, key).map(|value| self.values.text(module, value));
            param.help = text("help");
            param.metavar = text("metavar");
            param.envvars = keyword(call, "envvar")
                .map(|envvar| match envvar {
                    Expr::List(_) | Expr::Tuple(_) => self.values.items(module, envvar),
                    single => vec![self.values.text(module, single)],
                })
                .unwrap_or_default();
            let flag = |key: &str| {
                keyword(call, key)
                    .and_then(|value| self.values.boolean(module, value))
                    .unwrap_or(false)
            };
            param.hidden = flag("hidden");
            param.count = flag("count");
            if param.count || flag("is_flag") {
                param.is_flag = true;
                param.value_type = None;
            }
            if keyword(call, "min").is_some() || keyword(call, "max").is_some() {
                param.value_type = param.value_type.map(|shown| match shown {
                    Text::Known(name) => Text::Known(format!("{name} RANGE")),
                    other => other,
                });
            }
            if flag("deprecated") {
                param.deprecated = Deprecation::Yes;
            }
        }
        Some(param)
    }

    /// What an annotation says: the type typer shows, repeated values, choices.
    fn shape(&self, module: &'p Module, annotation: &'p Expr) -> Shape {
        let mut annotation = annotation;
        let mut multiple = false;
        for _ in 0..4 {
            match annotation {
                // Optional[X], Union[X, None], X | None: X.
                Expr::Subscript(subscript)
                    if matches!(last_name(&subscript.value), Some("Optional")) =>
                {
                    annotation = &subscript.slice;
                }
                Expr::Subscript(subscript)
                    if matches!(last_name(&subscript.value), Some("Union")) =>
                {
                    match &*subscript.slice {
                        Expr::Tuple(items) => match non_none(&items.elts) {
                            Some(inner) => annotation = inner,
                            None => break,
                        },
                        _ => break,
                    }
                }
                Expr::BinOp(binary) if binary.op == ast::Operator::BitOr => {
                    if matches!(&*binary.right, Expr::NoneLiteral(_)) {
                        annotation = &binary.left;
                    } else if matches!(&*binary.left, Expr::NoneLiteral(_)) {
                        annotation = &binary.right;
                    } else {
                        break;
                    }
                }
                Expr::Subscript(subscript)
                    if matches!(
                        last_name(&subscript.value),
                        Some("List" | "list" | "Sequence" | "Set" | "set")
                    ) =>
                {
                    multiple = true;
                    annotation = &subscript.slice;
                }
                _ => break,
            }
        }
        let known = |name: &str| Shape {
            shown: Text::Known(name.to_owned()),
            choices: Vec::new(),
            is_bool: false,
            multiple,
        };
        match annotation {
            Expr::Subscript(subscript) if last_name(&subscript.value) == Some("Literal") => {
                let choices = match &*subscript.slice {
                    Expr::Tuple(items) => items
                        .elts
                        .iter()
                        .map(|item| self.values.display(module, item))
                        .collect(),
                    single => vec![self.values.display(module, single)],
                };
                Shape {
                    shown: Text::Known("CHOICE".to_owned()),
                    choices,
                    is_bool: false,
                    multiple,
                }
            }
            Expr::StringLiteral(literal) => {
                // A string annotation: read the type written inside it by name only.
                known(simple_type(literal.value.to_str()).unwrap_or("TEXT"))
            }
            _ => match last_name(annotation) {
                Some("bool") => Shape {
                    shown: Text::Known("BOOLEAN".to_owned()),
                    choices: Vec::new(),
                    is_bool: true,
                    multiple,
                },
                Some(name) if simple_type(name).is_some() => {
                    known(simple_type(name).unwrap_or("TEXT"))
                }
                _ => match self.enum_choices(module, annotation) {
                    Some(choices) => Shape {
                        shown: Text::Known("CHOICE".to_owned()),
                        choices,
                        is_bool: false,
                        multiple,
                    },
                    None => Shape {
                        shown: Text::AsWritten(module.expr(annotation)),
                        choices: Vec::new(),
                        is_bool: false,
                        multiple,
                    },
                },
            },
        }
    }

    /// The values of an `Enum` class of the package, in definition order.
    fn enum_choices(&self, module: &'p Module, annotation: &'p Expr) -> Option<Vec<Text>> {
        let resolved = self.package.resolve_expr(module, annotation)?;
        let Resolution::Class(class) = resolved.binding else {
            return None;
        };
        let is_enum = class.arguments.as_ref().is_some_and(|arguments| {
            arguments
                .args
                .iter()
                .any(|base| last_name(base).is_some_and(|base| base.ends_with("Enum")))
        });
        if !is_enum {
            return None;
        }
        let choices = class
            .body
            .iter()
            .filter_map(|statement| match statement {
                Stmt::Assign(assign) => Some(self.values.display(resolved.module, &assign.value)),
                _ => None,
            })
            .collect();
        Some(choices)
    }
}

struct Shape {
    shown: Text,
    choices: Vec<Text>,
    is_bool: bool,
    multiple: bool,
}

fn non_none(items: &[Expr]) -> Option<&Expr> {
    let mut rest = items
        .iter()
        .filter(|item| !matches!(item, Expr::NoneLiteral(_)));
    let first = rest.next()?;
    rest.next().is_none().then_some(first)
}

/// typer's type names for the types it converts.
fn simple_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "str" => "TEXT",
        "int" => "INTEGER",
        "float" => "FLOAT",
        "Path" | "PurePath" => "PATH",
        "UUID" => "UUID",
        "datetime" => "DATETIME",
        "FileText" | "FileTextWrite" | "FileBinaryRead" | "FileBinaryWrite" => "FILENAME",
        _ => return None,
    })
}

fn is_param_info(call: &ast::ExprCall) -> bool {
    matches!(last_name(&call.func), Some("Option" | "Argument"))
}

fn known(text: Text) -> Option<String> {
    match text {
        Text::Known(text) => Some(text),
        Text::AsWritten(_) => None,
    }
}

/// typer's command name for a function: `_` → `-`, lower-cased (no suffix dropped).
fn command_name_typer(function: &str) -> String {
    function.to_lowercase().replace('_', "-")
}

fn help_param(line: u32) -> Param {
    let mut help = Param::new(
        ParamKind::Option,
        vec!["--help".to_owned()],
        "help".into(),
        line,
    );
    help.is_flag = true;
    help.help = Some(Text::Known("Show this message and exit.".to_owned()));
    help
}
