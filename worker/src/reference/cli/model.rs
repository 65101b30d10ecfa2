//! What is known of a command-line interface: plain data, built by `click.rs`, `typer.rs`
//! and `argparse.rs`, read by `usage.rs` and `render.rs`. Nothing here refers to Ruff's AST.
//!
//! A value that could be read statically is [`Text::Known`]; one computed at run time (a
//! default from `os.getcwd()`, choices from a function call) is [`Text::AsWritten`], the
//! source text on one line, and is shown as code, never guessed.

/// The framework a CLI is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    /// `click` (`@click.group()`, `@click.command()`, `@click.option(...)`).
    Click,
    /// `typer` (`typer.Typer()`, `@app.command()`, parameters from the signature).
    Typer,
    /// `argparse` (a function or module that builds an `ArgumentParser`).
    Argparse,
}

impl Framework {
    /// Parses the `framework` setting.
    pub fn from_name(name: &str) -> Option<Framework> {
        match name {
            "click" => Some(Framework::Click),
            "typer" => Some(Framework::Typer),
            "argparse" => Some(Framework::Argparse),
            _ => None,
        }
    }

    /// The setting's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Framework::Click => "click",
            Framework::Typer => "typer",
            Framework::Argparse => "argparse",
        }
    }
}

/// A value read from the source: known, or kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// The value itself (a string literal's content, a constant's value).
    Known(String),
    /// Not knowable without running the program: the source text, on one line.
    AsWritten(String),
}

impl Text {
    /// The text, whichever kind.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Known(text) | Text::AsWritten(text) => text,
        }
    }
}

/// A whole CLI: its framework and its top command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliDoc {
    /// The framework it was read as.
    pub framework: Framework,
    /// The top command, named after the program.
    pub root: Command,
}

/// Where something is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// Site-relative file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

/// Deprecation of a command or parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deprecation {
    /// Not deprecated.
    No,
    /// Deprecated without a message.
    Yes,
    /// Deprecated with a message.
    Message(Text),
}

/// A command or group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The name typed on the command line (the program's name for the top command).
    pub name: String,
    /// Other names it answers to (argparse `aliases=`).
    pub aliases: Vec<String>,
    /// Help text, dedented (a function docstring or `help=`).
    pub help: Option<Text>,
    /// `short_help=` (click), or the subparser's `help=` (argparse): the line shown in the
    /// parent's list of commands.
    pub short_help: Option<Text>,
    /// `epilog=`.
    pub epilog: Option<Text>,
    /// `deprecated=`.
    pub deprecated: Deprecation,
    /// `hidden=True` (click, typer) or `help=argparse.SUPPRESS`: left out of the pages.
    pub hidden: bool,
    /// Options and arguments in the order the tool lists them.
    pub params: Vec<Param>,
    /// Subcommands in the order they were added.
    pub subcommands: Vec<Command>,
    /// Takes subcommands (a click group, a typer app, a parser with subparsers).
    pub is_group: bool,
    /// argparse: the title of the subcommands' group and the metavar shown in the usage
    /// (`{run,stop}` unless `metavar=` says otherwise).
    pub subcommand_metavar: Option<String>,
    /// argparse mutually exclusive groups, by index into this list from [`Param::group`].
    pub groups: Vec<ParamGroup>,
    /// Where the command is defined.
    pub source: SourceLocation,
}

impl Command {
    /// A command with nothing known yet.
    pub fn new(name: impl Into<String>, source: SourceLocation) -> Command {
        Command {
            name: name.into(),
            aliases: Vec::new(),
            help: None,
            short_help: None,
            epilog: None,
            deprecated: Deprecation::No,
            hidden: false,
            params: Vec::new(),
            subcommands: Vec::new(),
            is_group: false,
            subcommand_metavar: None,
            groups: Vec::new(),
            source,
        }
    }
}

/// An argparse argument group or mutually exclusive group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamGroup {
    /// `add_argument_group("title")`, or `None` for an untitled mutually exclusive group.
    pub title: Option<Text>,
    /// `description=`.
    pub description: Option<Text>,
    /// A mutually exclusive group.
    pub exclusive: bool,
    /// `required=True` on a mutually exclusive group.
    pub required: bool,
}

/// Option or argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Named, starts with `-`.
    Option,
    /// Positional.
    Argument,
}

/// How many values a parameter takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nargs {
    /// One value (or none for a flag).
    One,
    /// Exactly this many.
    Exactly(u32),
    /// argparse `?`: zero or one.
    Optional,
    /// click `-1`, argparse `*`: any number.
    Any,
    /// argparse `+`: one or more.
    AtLeastOne,
    /// argparse `argparse.REMAINDER`.
    Remainder,
    /// Not a literal: as written.
    AsWritten(String),
}

/// One option or argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Option or argument.
    pub kind: ParamKind,
    /// The flags (`-f`, `--config-file`), or the argument's name.
    pub names: Vec<String>,
    /// The negative flags of a boolean option (`--no-strict` of `--strict/--no-strict`).
    pub secondary_names: Vec<String>,
    /// The Python name the value is stored under (`config_file`, argparse's `dest`).
    pub dest: String,
    /// The value type as the tool shows it (`TEXT`, `INTEGER`, `PATH`), or as written.
    pub value_type: Option<Text>,
    /// `metavar=`.
    pub metavar: Option<Text>,
    /// argparse `metavar=("a", "b")`: one name per value (`metavar` holds them joined).
    pub metavar_tuple: Vec<String>,
    /// `default=`; `None` when not given.
    pub default: Option<Text>,
    /// Must be given.
    pub required: bool,
    /// May be repeated (`multiple=True`, `action="append"`, a typer `list[...]`).
    pub multiple: bool,
    /// How many values it takes.
    pub nargs: Nargs,
    /// The allowed values (`click.Choice`, `choices=`, an `Enum`): each literal `Known`, or
    /// one `AsWritten` entry when they come from an expression.
    pub choices: Vec<Text>,
    /// Environment variables read (`envvar=`).
    pub envvars: Vec<Text>,
    /// A flag: takes no value (`is_flag`, `store_true`, `flag_value=`, a typer bool).
    pub is_flag: bool,
    /// Counts repetitions (`count=True`, `action="count"`).
    pub count: bool,
    /// Help text.
    pub help: Option<Text>,
    /// Left out of the help (`hidden=True`, `help=argparse.SUPPRESS`).
    pub hidden: bool,
    /// `deprecated=`.
    pub deprecated: Deprecation,
    /// argparse: index into [`Command::groups`].
    pub group: Option<usize>,
    /// 1-based line of the declaration.
    pub line: u32,
}

impl Param {
    /// A parameter with nothing known but its kind, names and line.
    pub fn new(kind: ParamKind, names: Vec<String>, dest: String, line: u32) -> Param {
        Param {
            kind,
            names,
            secondary_names: Vec::new(),
            dest,
            value_type: None,
            metavar: None,
            metavar_tuple: Vec::new(),
            default: None,
            required: false,
            multiple: false,
            nargs: Nargs::One,
            choices: Vec::new(),
            envvars: Vec::new(),
            is_flag: false,
            count: false,
            help: None,
            hidden: false,
            deprecated: Deprecation::No,
            group: None,
            line,
        }
    }
}

/// One command page: where it sits in the command tree and its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliPageKey {
    /// Subcommand names from the top command (empty for the top command).
    pub path: Vec<String>,
    /// URL relative to the source's `url` (`""`, `build/`, `remote/add/`).
    pub url: String,
    /// Page title: the command line that runs it (`mkdocs build`).
    pub title: String,
}

/// URL of a command page relative to the source's `url`: `""` for the top command,
/// `remote/add/` below it (each name slugified).
pub fn command_url(path: &[String]) -> String {
    path.iter()
        .map(|name| format!("{}/", protocol::slug::slugify(name)))
        .collect()
}
