//! Command-line interfaces read statically: Ruff's parser → [`CliDoc`] → one page per
//! command. click (`click.rs`), typer (`typer.rs`) and argparse (`argparse.rs`) are read from
//! the package's source (`source.rs`, values in `values.rs`); the model is `model.rs`, the
//! usage lines `usage.rs`, the pages `render.rs`. The program is never imported or run.
//!
//! `object` names what to document, as `module:name` (`mkdocs.__main__:cli`), as a dotted
//! path (`mkdocs.__main__.cli`), or as a bare `name` when `path` is one `.py` file. The
//! framework is detected from what `name` is when `framework` is not given: a function
//! decorated `@click.group()`/`@click.command()` (or `@group.command()`) is click, a
//! `typer.Typer()` app is typer, a function that builds an `argparse.ArgumentParser` (or a
//! module-level parser) is argparse.

mod argparse;
mod click;
mod model;
mod render;
mod source;
mod typer;
mod usage;
mod values;

#[cfg(test)]
mod tests;

use std::path::Path;

use ruff_python_ast::Expr;

pub use model::{
    CliDoc, CliPageKey, Command, Deprecation, Framework, Nargs, Param, ParamGroup, ParamKind,
    SourceLocation, Text, command_url,
};

use self::argparse::{ArgparseEntry, read_argparse};
use self::source::{Module, Package, Resolution};
use super::{ReferenceError, ReferencePage};

/// One `[[autodoc.cli]]` entry.
#[derive(Debug, Clone, Copy)]
pub struct CliSource<'a> {
    /// The program's name as users type it (`mkdocs`): the top command's name.
    pub program: &'a str,
    /// The `.py` file, package folder or source root (a folder without `__init__.py`,
    /// such as `src/`, whose packages are top-level) on disk.
    pub path: &'a Path,
    /// The same path relative to the site, for messages and "defined in" lines.
    pub display_path: &'a str,
    /// What to document: `module:name`, `module.name`, or `name` for a single file.
    pub object: &'a str,
    /// The framework, or `None` to detect it.
    pub framework: Option<Framework>,
}

/// Reads the CLI `source` names. Errors name the file and line at fault: a module that
/// does not parse, an `object` that is not found, or one that is not a CLI.
pub fn extract_cli(source: &CliSource<'_>) -> Result<CliDoc, ReferenceError> {
    let package = Package::open(source.path, source.display_path)?;
    let (module_name, name) = locate(&package, source)?;
    let module = match package.module(&module_name) {
        Some(Ok(module)) => module,
        Some(Err(error)) => return Err(error.clone()),
        None => return Err(object_not_found(source, &package, &module_name)),
    };
    let Some(resolved) = package.resolve(module, &name) else {
        return Err(ReferenceError {
            file: module.file.clone(),
            line: 1,
            message: format!("`{name}` is not defined at module level in `{module_name}`"),
            hint: format!(
                "set `object` to the CLI's module and name (`{module_name}:cli`); imports from \
                 outside the package are not followed"
            ),
        });
    };
    let (framework, root) = read(&package, resolved.module, resolved.binding, &name, source)?;
    Ok(CliDoc { framework, root })
}

/// Where `object` points: module name and attribute name.
fn locate(package: &Package, source: &CliSource<'_>) -> Result<(String, String), ReferenceError> {
    let object = source.object.trim();
    if let Some((module, name)) = object.split_once(':') {
        return Ok((module.trim().to_owned(), name.trim().to_owned()));
    }
    if let Some(single) = package.single_module()
        && !object.contains('.')
    {
        return Ok((single.to_owned(), object.to_owned()));
    }
    if let Some((module, name)) = object.rsplit_once('.')
        && package.module(module).is_some()
    {
        return Ok((module.to_owned(), name.to_owned()));
    }
    Err(object_not_found(source, package, object))
}

fn object_not_found(source: &CliSource<'_>, package: &Package, wanted: &str) -> ReferenceError {
    let modules: Vec<&str> = package.module_names().take(8).collect();
    ReferenceError {
        file: source.display_path.to_owned(),
        line: 1,
        message: format!(
            "`object = \"{}\"`: no module `{wanted}` under this path (modules: {}{})",
            source.object,
            modules.join(", "),
            if package.module_names().count() > modules.len() {
                ", …"
            } else {
                ""
            }
        ),
        hint: "write `object` as `module:name`, e.g. `mkdocs.__main__:cli`".to_owned(),
    }
}

fn read(
    package: &Package,
    module: &Module,
    binding: Resolution<'_>,
    name: &str,
    source: &CliSource<'_>,
) -> Result<(Framework, Command), ReferenceError> {
    let detected = detect(package, module, binding);
    let line = match binding {
        Resolution::Function(function) => module.line(function),
        Resolution::Class(class) => module.line(class),
        Resolution::Value(value) => module.line(value),
        Resolution::Module(_) => 1,
    };
    let not_a_cli = |message: String| ReferenceError {
        file: module.file.clone(),
        line,
        message,
        hint: "name the @click.group()/@click.command() function, the typer.Typer() app, or \
               the function that builds the argparse.ArgumentParser"
            .to_owned(),
    };
    let Some(detected) = detected else {
        return Err(not_a_cli(format!(
            "`{name}` is not a click command, a typer app or an argparse parser"
        )));
    };
    let framework = source.framework.unwrap_or(detected);
    if framework != detected {
        return Err(not_a_cli(format!(
            "`{name}` is read as {}, but `framework = \"{}\"`",
            detected.name(),
            framework.name()
        )));
    }
    let command = match (framework, binding) {
        (Framework::Click, Resolution::Function(function)) => {
            click::read_click(package, module, function, source.program)
        }
        (Framework::Typer, Resolution::Value(app)) => {
            typer::read_typer(package, module, app, source.program)
        }
        (Framework::Typer, Resolution::Function(function)) => {
            typer::read_typer_function(package, module, function, source.program)
        }
        (Framework::Argparse, Resolution::Function(function)) => read_argparse(
            package,
            module,
            ArgparseEntry::Function(function),
            source.program,
        )
        .ok_or_else(|| not_a_cli(format!("`{name}` builds no argparse.ArgumentParser")))?,
        (Framework::Argparse, Resolution::Value(_)) => read_argparse(
            package,
            module,
            ArgparseEntry::ModuleVariable(name),
            source.program,
        )
        .ok_or_else(|| not_a_cli(format!("`{name}` is not an argparse.ArgumentParser")))?,
        _ => {
            return Err(not_a_cli(format!(
                "`{name}` is not a {} CLI object",
                framework.name()
            )));
        }
    };
    Ok((framework, command))
}

/// What framework `binding` is written with, if any.
fn detect(package: &Package, module: &Module, binding: Resolution<'_>) -> Option<Framework> {
    match binding {
        Resolution::Function(function) => {
            if let Some((target, _, _)) = click::command_decorator(function) {
                // `@app.command()` of a typer app marks a typer command, not a click one.
                if let Expr::Attribute(attribute) = target
                    && let Some(owner) = package.resolve_expr(module, &attribute.value)
                    && let Resolution::Value(value) = owner.binding
                    && typer::is_typer_app(value)
                {
                    return None;
                }
                return Some(Framework::Click);
            }
            let range = ruff_text_size::Ranged::range(function);
            let body = module
                .source
                .get(range.start().to_usize()..range.end().to_usize())
                .unwrap_or("");
            if body.contains("ArgumentParser") {
                return Some(Framework::Argparse);
            }
            // `typer.run(main)`: a function made a one-command typer app.
            let run_call = format!("run({})", function.name.as_str());
            (module.source.contains("typer") && module.source.contains(&run_call))
                .then_some(Framework::Typer)
        }
        Resolution::Value(value) if typer::is_typer_app(value) => Some(Framework::Typer),
        Resolution::Value(Expr::Call(call))
            if source::last_name(&call.func) == Some("ArgumentParser") =>
        {
            Some(Framework::Argparse)
        }
        _ => None,
    }
}

impl CliDoc {
    /// Every page: the top command first, then each visible subcommand depth-first in the
    /// order the tool lists them. Hidden commands (and what is below them) have no page.
    pub fn pages(&self) -> Vec<CliPageKey> {
        let mut pages = Vec::new();
        collect_pages(&self.root, &self.root.name, &mut Vec::new(), &mut pages, 0);
        pages
    }

    /// A hash of everything `key`'s page shows: the framework, the command itself (help,
    /// parameters, where it is defined) and, of its subcommands, what the page lists (name,
    /// summary, hidden, deprecated); on the top command, that of every command in the tree.
    /// Equal fingerprints mean an identical page, so an edit to one command's source
    /// re-renders that command's page, and its parents' when its summary changed.
    pub fn page_fingerprint(&self, key: &CliPageKey) -> u128 {
        use std::fmt::Write as _;
        let mut text = format!("{:?}\n{key:?}\n", self.framework);
        if let Some(command) = self.command(&key.path) {
            let shallow = Command {
                subcommands: Vec::new(),
                ..command.clone()
            };
            let _ = writeln!(text, "{shallow:?}");
            let depth = if key.path.is_empty() { 64 } else { 1 };
            outline(&mut text, command, depth);
        }
        protocol::content_hash(text.as_bytes())
    }

    /// The command at `path` (subcommand names from the top).
    pub fn command(&self, path: &[String]) -> Option<&Command> {
        let mut command = &self.root;
        for name in path {
            command = command.subcommands.iter().find(|sub| &sub.name == name)?;
        }
        Some(command)
    }
}

/// What a page shows of `command`'s subcommands, `depth` levels down.
fn outline(text: &mut String, command: &Command, depth: usize) {
    use std::fmt::Write as _;
    if depth == 0 {
        return;
    }
    for sub in &command.subcommands {
        let _ = writeln!(
            text,
            "{:?} {:?} {} {:?}",
            sub.name,
            render::summary(sub),
            sub.hidden,
            sub.deprecated
        );
        outline(text, sub, depth - 1);
    }
    text.push_str("end\n");
}

fn collect_pages(
    command: &Command,
    program: &str,
    path: &mut Vec<String>,
    pages: &mut Vec<CliPageKey>,
    depth: usize,
) {
    let title = std::iter::once(program)
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    pages.push(CliPageKey {
        path: path.clone(),
        url: command_url(path),
        title,
    });
    if depth >= 64 {
        return;
    }
    for sub in command.subcommands.iter().filter(|sub| !sub.hidden) {
        path.push(sub.name.clone());
        collect_pages(sub, program, path, pages, depth + 1);
        path.pop();
    }
}

/// Renders the page of `key`; `base_url` is the source's `url` (`/cli/`), prefixed to every
/// link to another command. `None` when `key` is not a command of `doc`.
pub fn render_command_page(
    doc: &CliDoc,
    key: &CliPageKey,
    base_url: &str,
) -> Option<ReferencePage> {
    let command = doc.command(&key.path)?;
    Some(render::render_command(doc, key, command, base_url))
}
