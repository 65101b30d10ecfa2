//! The Python source a CLI is read from: a `.py` file or a package folder, its modules
//! parsed lazily with Ruff's parser (through `autodoc::parse`, so the same depth limits
//! apply), and the name resolution every framework reader needs: a name to its
//! module-level definition, following `import`s that stay inside the package.
//!
//! Nothing is imported or run: a name bound to something outside the package (`click`,
//! `os.getcwd`) simply does not resolve, and the readers keep its source text.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};

use crate::autodoc::parse::{SourceText, one_line, parse};
use crate::reference::ReferenceError;

/// Most modules listed in a package folder; a folder past it is not a package to document.
const MAX_MODULES: usize = 20_000;
/// Most `import` hops followed to find one name (a re-export of a re-export...).
const MAX_IMPORT_HOPS: usize = 8;

/// One parsed module.
pub(crate) struct Module {
    /// Dotted name (`mkdocs.__main__`; a package's `__init__.py` is the package).
    pub(crate) name: String,
    /// Site-relative file, for messages and source locations.
    pub(crate) file: String,
    /// True for a package's `__init__.py`.
    pub(crate) is_package: bool,
    pub(crate) source: String,
    pub(crate) body: Vec<Stmt>,
    lines: LineIndex,
}

impl Module {
    /// 1-based line of a node.
    pub(crate) fn line(&self, node: &impl Ranged) -> u32 {
        let offset = node.range().start().min(TextSize::of(self.source.as_str()));
        u32::try_from(self.lines.line_index(offset).get()).unwrap_or(u32::MAX)
    }

    /// The source under a node, on one line.
    pub(crate) fn expr(&self, node: &impl Ranged) -> String {
        let range = node.range();
        let raw = self
            .source
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or("");
        one_line(raw).into_owned()
    }

    /// The module-level definition of `name`: the first `def`, `class`, assignment or
    /// import binding it, looking into `if`/`try`/`with` blocks.
    pub(crate) fn find(&self, name: &str) -> Option<Binding<'_>> {
        find_in(&self.body, name)
    }
}

/// What a module-level name is bound to.
#[derive(Clone, Copy)]
pub(crate) enum Binding<'m> {
    Function(&'m ast::StmtFunctionDef),
    Class(&'m ast::StmtClassDef),
    /// `name = value` (the value) or `name: T = value`.
    Value(&'m Expr),
    /// `from module import original as name` (`module` resolved to an absolute name when
    /// relative), or `import module as name`.
    Import {
        module: &'m ast::StmtImportFrom,
        original: &'m str,
    },
    ImportModule(&'m str),
}

fn find_in<'m>(body: &'m [Stmt], name: &str) -> Option<Binding<'m>> {
    for statement in body {
        let found = match statement {
            Stmt::FunctionDef(function) if function.name.as_str() == name => {
                Some(Binding::Function(function))
            }
            Stmt::ClassDef(class) if class.name.as_str() == name => Some(Binding::Class(class)),
            Stmt::Assign(assign)
                if assign.targets.iter().any(
                    |target| matches!(target, Expr::Name(target) if target.id.as_str() == name),
                ) =>
            {
                Some(Binding::Value(&assign.value))
            }
            Stmt::AnnAssign(assign) => match (&*assign.target, &assign.value) {
                (Expr::Name(target), Some(value)) if target.id.as_str() == name => {
                    Some(Binding::Value(value))
                }
                _ => None,
            },
            Stmt::ImportFrom(import) => import.names.iter().find_map(|alias| {
                let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                (bound.as_str() == name).then_some(Binding::Import {
                    module: import,
                    original: alias.name.as_str(),
                })
            }),
            Stmt::Import(import) => import.names.iter().find_map(|alias| {
                let bound = match &alias.asname {
                    Some(asname) => asname.as_str(),
                    // `import a.b` binds `a`.
                    None => alias.name.as_str().split('.').next().unwrap_or(""),
                };
                (bound == name).then_some(Binding::ImportModule(alias.name.as_str()))
            }),
            Stmt::If(block) => find_in(&block.body, name).or_else(|| {
                block
                    .elif_else_clauses
                    .iter()
                    .find_map(|clause| find_in(&clause.body, name))
            }),
            Stmt::Try(block) => find_in(&block.body, name)
                .or_else(|| {
                    block.handlers.iter().find_map(|handler| match handler {
                        ast::ExceptHandler::ExceptHandler(handler) => find_in(&handler.body, name),
                    })
                })
                .or_else(|| find_in(&block.orelse, name)),
            Stmt::With(block) => find_in(&block.body, name),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// A module listed in the source, parsed on first use.
struct ModuleSlot {
    name: String,
    disk_path: PathBuf,
    file: String,
    is_package: bool,
    parsed: OnceCell<Result<Module, ReferenceError>>,
}

/// The `.py` file or package folder named by `path`.
pub(crate) struct Package {
    /// Sorted by name.
    slots: Vec<ModuleSlot>,
    /// Indexes into `slots` of [`Package::registering_modules`], found on first use.
    registering: OnceCell<Vec<usize>>,
}

/// What a name resolves to, with the module it is defined in.
#[derive(Clone, Copy)]
pub(crate) struct Resolved<'p> {
    pub(crate) module: &'p Module,
    pub(crate) binding: Resolution<'p>,
}

/// A resolved binding: imports followed.
#[derive(Clone, Copy)]
pub(crate) enum Resolution<'p> {
    Function(&'p ast::StmtFunctionDef),
    Class(&'p ast::StmtClassDef),
    Value(&'p Expr),
    Module(&'p Module),
}

impl Package {
    /// Lists the modules of `disk_path` (a `.py` file or a package folder, shown as
    /// `display_path`), without parsing any.
    pub(crate) fn open(disk_path: &Path, display_path: &str) -> Result<Package, ReferenceError> {
        let display = display_path.trim_end_matches('/');
        let not_found = |message: String| ReferenceError {
            file: display.to_owned(),
            line: 1,
            message,
            hint: "set `path` to the CLI's `.py` file or its package folder, relative to the site"
                .to_owned(),
        };
        let metadata = std::fs::metadata(disk_path)
            .map_err(|error| not_found(format!("cannot read the CLI source: {error}")))?;
        let mut slots = Vec::new();
        if metadata.is_file() {
            let stem = disk_path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .unwrap_or("cli");
            slots.push(ModuleSlot {
                name: stem.to_owned(),
                disk_path: disk_path.to_owned(),
                file: display.to_owned(),
                is_package: false,
                parsed: OnceCell::new(),
            });
        } else {
            // A package folder names its modules after itself (`mkdocs.__main__`); a folder
            // without `__init__.py` is a source root (`src/`) holding top-level modules.
            let package = if disk_path.join("__init__.py").is_file() {
                disk_path
                    .file_name()
                    .and_then(|name| name.to_str())
                    .unwrap_or("")
                    .to_owned()
            } else {
                String::new()
            };
            list_modules(disk_path, &package, display, &mut slots)
                .map_err(|error| not_found(format!("cannot list the package: {error}")))?;
            if slots.is_empty() {
                return Err(not_found("no `.py` file in this folder".to_owned()));
            }
            if slots.len() > MAX_MODULES {
                return Err(not_found(format!(
                    "more than {MAX_MODULES} Python files under this folder"
                )));
            }
        }
        slots.sort_by(|left, right| left.name.cmp(&right.name));
        Ok(Package {
            slots,
            registering: OnceCell::new(),
        })
    }

    /// Module names, sorted.
    pub(crate) fn module_names(&self) -> impl Iterator<Item = &str> {
        self.slots.iter().map(|slot| slot.name.as_str())
    }

    /// The only module, when the source is a single file.
    pub(crate) fn single_module(&self) -> Option<&str> {
        match self.slots.as_slice() {
            [only] => Some(&only.name),
            _ => None,
        }
    }

    /// The modules to scan for commands registered on an object defined in `defining`:
    /// `defining` first, then the package's other modules that may register commands.
    pub(crate) fn scan_order<'a>(&'a self, defining: &'a Module) -> Vec<&'a Module> {
        let mut modules = vec![defining];
        modules.extend(
            self.registering_modules()
                .into_iter()
                .filter(|other| other.name != defining.name),
        );
        modules
    }

    /// The modules that may register commands (their text mentions `.command`, `.group`,
    /// `.add_command`, `.callback` or `.add_typer`), parsed; read once per package, so a
    /// CLI of many groups does not read every file once per group. Modules that do not
    /// parse are left out: they register nothing that can be read.
    pub(crate) fn registering_modules(&self) -> Vec<&Module> {
        const MARKERS: [&str; 5] = [
            ".command",
            ".group",
            ".add_command",
            ".callback",
            ".add_typer",
        ];
        let indexes = self.registering.get_or_init(|| {
            let mut indexes = Vec::new();
            for (index, slot) in self.slots.iter().enumerate() {
                let mentions = match slot.parsed.get() {
                    Some(Ok(module)) => MARKERS.iter().any(|marker| module.source.contains(marker)),
                    Some(Err(_)) => false,
                    None => crate::limits::read_source(&slot.disk_path).is_ok_and(|bytes| {
                        MARKERS.iter().any(|marker| {
                            bytes.windows(marker.len()).any(|w| w == marker.as_bytes())
                        })
                    }),
                };
                if mentions && matches!(self.module(&slot.name), Some(Ok(_))) {
                    indexes.push(index);
                }
            }
            indexes
        });
        indexes
            .iter()
            .filter_map(|&index| match self.slots[index].parsed.get() {
                Some(Ok(module)) => Some(module),
                _ => None,
            })
            .collect()
    }

    fn slot(&self, name: &str) -> Option<&ModuleSlot> {
        self.slots
            .binary_search_by(|slot| slot.name.as_str().cmp(name))
            .ok()
            .map(|index| &self.slots[index])
    }

    /// The module `name`, parsed; `None` when it is not in the package.
    pub(crate) fn module(&self, name: &str) -> Option<Result<&Module, &ReferenceError>> {
        let slot = self.slot(name)?;
        Some(slot.parsed.get_or_init(|| load(slot)).as_ref())
    }

    /// Resolves `name` as seen from `module`, following imports inside the package.
    pub(crate) fn resolve<'p>(&'p self, module: &'p Module, name: &str) -> Option<Resolved<'p>> {
        self.resolve_hops(module, name, 0)
    }

    fn resolve_hops<'p>(
        &'p self,
        module: &'p Module,
        name: &str,
        hops: usize,
    ) -> Option<Resolved<'p>> {
        if hops > MAX_IMPORT_HOPS {
            return None;
        }
        let binding = match module.find(name)? {
            Binding::Function(function) => Resolution::Function(function),
            Binding::Class(class) => Resolution::Class(class),
            Binding::Value(value) => Resolution::Value(value),
            Binding::ImportModule(dotted) => {
                let target = self.module(dotted)?.ok()?;
                Resolution::Module(target)
            }
            Binding::Import {
                module: import,
                original,
            } => {
                let from = absolute_module(module, import)?;
                // `from pkg import sub` may name a submodule.
                let submodule = format!("{from}.{original}");
                if let Some(Ok(target)) = self.module(&submodule) {
                    Resolution::Module(target)
                } else {
                    let target = self.module(&from)?.ok()?;
                    return self.resolve_hops(target, original, hops + 1);
                }
            }
        };
        Some(Resolved { module, binding })
    }

    /// Resolves a name or a dotted attribute (`options.verbose`) as seen from `module`.
    pub(crate) fn resolve_expr<'p>(
        &'p self,
        module: &'p Module,
        expr: &Expr,
    ) -> Option<Resolved<'p>> {
        match expr {
            Expr::Name(name) => self.resolve(module, name.id.as_str()),
            Expr::Attribute(attribute) => {
                let owner = self.resolve_expr(module, &attribute.value)?;
                match owner.binding {
                    Resolution::Module(target) => self.resolve(target, attribute.attr.as_str()),
                    // `Color.red`: a class attribute (an enum member's value).
                    Resolution::Class(class) => {
                        match find_in(&class.body, attribute.attr.as_str())? {
                            Binding::Value(value) => Some(Resolved {
                                module: owner.module,
                                binding: Resolution::Value(value),
                            }),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// The absolute module an `from … import` names, relative imports resolved.
fn absolute_module(module: &Module, import: &ast::StmtImportFrom) -> Option<String> {
    let named = import.module.as_ref().map(|name| name.as_str());
    if import.level == 0 {
        return named.map(str::to_owned);
    }
    let mut parts: Vec<&str> = module.name.split('.').collect();
    // A plain module's level 1 is its package; a package's level 1 is itself.
    let drop = if module.is_package {
        import.level - 1
    } else {
        import.level
    };
    for _ in 0..drop {
        parts.pop()?;
    }
    let mut absolute = parts.join(".");
    if let Some(named) = named {
        if !absolute.is_empty() {
            absolute.push('.');
        }
        absolute.push_str(named);
    }
    Some(absolute)
}

fn load(slot: &ModuleSlot) -> Result<Module, ReferenceError> {
    let read_error = |message: String, hint: &str| ReferenceError {
        file: slot.file.clone(),
        line: 1,
        message,
        hint: hint.to_owned(),
    };
    let bytes = crate::limits::read_source(&slot.disk_path).map_err(|error| {
        read_error(
            format!("cannot read the module: {error}"),
            crate::limits::read_hint(&error),
        )
    })?;
    let source = String::from_utf8(bytes).map_err(|_| {
        read_error(
            "the module is not UTF-8".to_owned(),
            "save the file as UTF-8, as Python 3 expects",
        )
    })?;
    let text = SourceText::new(&source);
    let parsed = parse(&source, &text).map_err(|error| ReferenceError {
        file: slot.file.clone(),
        line: error.line,
        message: format!("Python syntax error: {}", error.message),
        hint: "fix the syntax error; the CLI is read from the source, never run".to_owned(),
    })?;
    drop(text);
    let lines = LineIndex::from_source_text(&source);
    Ok(Module {
        name: slot.name.clone(),
        file: slot.file.clone(),
        is_package: slot.is_package,
        body: parsed.into_syntax().body.into_iter().collect(),
        source,
        lines,
    })
}

fn list_modules(
    folder: &Path,
    dotted: &str,
    display: &str,
    slots: &mut Vec<ModuleSlot>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    entries.sort();
    for path in entries {
        if slots.len() > MAX_MODULES {
            return Ok(());
        }
        let Some(file_name) = path.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        if file_name.starts_with('.') || file_name == "__pycache__" {
            continue;
        }
        let child_display = format!("{display}/{file_name}");
        if path.is_dir() {
            if is_identifier(file_name) {
                list_modules(
                    &path,
                    &dotted_child(dotted, file_name),
                    &child_display,
                    slots,
                )?;
            }
        } else if let Some(stem) = file_name.strip_suffix(".py") {
            let (name, is_package) = if stem == "__init__" {
                (dotted.to_owned(), true)
            } else if is_identifier(stem) {
                (dotted_child(dotted, stem), false)
            } else {
                continue;
            };
            slots.push(ModuleSlot {
                name,
                disk_path: path,
                file: child_display,
                is_package,
                parsed: OnceCell::new(),
            });
        }
    }
    Ok(())
}

/// `parent.child`, or `child` at the top of a source root.
fn dotted_child(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_alphabetic() || first == '_')
        && chars.all(|rest| rest.is_alphanumeric() || rest == '_')
}

/// The last name of a dotted expression (`click.option` → `option`, `option` → `option`).
pub(crate) fn last_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

/// The first name of a dotted expression (`click.types.Path` → `click`).
pub(crate) fn root_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => root_name(&attribute.value),
        _ => None,
    }
}

/// A keyword argument of a call.
pub(crate) fn keyword<'a>(call: &'a ast::ExprCall, name: &str) -> Option<&'a Expr> {
    call.arguments
        .keywords
        .iter()
        .find(|keyword| keyword.arg.as_ref().is_some_and(|arg| arg.as_str() == name))
        .map(|keyword| &keyword.value)
}

/// The docstring of a body: its first statement, when that is a string literal.
pub(crate) fn docstring(body: &[Stmt]) -> Option<&str> {
    match body.first()? {
        Stmt::Expr(statement) => match &*statement.value {
            Expr::StringLiteral(literal) => Some(literal.value.to_str()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_imports_resolve_against_the_package() {
        let folder = tempfile::tempdir().expect("temp dir");
        let package = folder.path().join("pkg");
        std::fs::create_dir_all(package.join("sub")).expect("mkdir");
        std::fs::write(package.join("__init__.py"), "from .sub.texts import HELP\n")
            .expect("write");
        std::fs::write(package.join("sub/__init__.py"), "").expect("write");
        std::fs::write(
            package.join("sub/texts.py"),
            "from ..consts import VALUE as HELP\n",
        )
        .expect("write");
        std::fs::write(package.join("consts.py"), "VALUE = 'hello'\n").expect("write");
        let package = Package::open(&package, "src/pkg").expect("opens");
        assert_eq!(
            package.module_names().collect::<Vec<_>>(),
            ["pkg", "pkg.consts", "pkg.sub", "pkg.sub.texts"]
        );
        let init = package.module("pkg").expect("listed").expect("parses");
        let resolved = package.resolve(init, "HELP").expect("resolves");
        assert_eq!(resolved.module.file, "src/pkg/consts.py");
        match resolved.binding {
            Resolution::Value(value) => assert_eq!(resolved.module.expr(value), "'hello'"),
            _ => panic!("expected a value"),
        }
    }
}
