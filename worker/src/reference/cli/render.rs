//! One command → one page: its usage line, help, arguments and options tables, links to
//! its subcommands, the epilog, where it is defined, and on the top command a tree of every
//! command. Hidden commands and parameters are left out, as the tools leave them out of
//! `--help`. Values kept as written (`Text::AsWritten`) are shown as code with a title
//! saying they are computed when the program runs.
//!
//! Class names (stable, for the theme): `reference-cli`, `reference-cli-usage`,
//! `reference-cli-help`, `reference-cli-epilog`, `reference-cli-deprecated`,
//! `reference-cli-params` (+ `reference-cli-arguments`, `reference-cli-options`),
//! `reference-cli-group-note`, `reference-cli-commands`, `reference-cli-tree`,
//! `reference-cli-source`, `reference-cli-badge` (+ `-required`, `-multiple`, `-flag`,
//! `-count`, `-deprecated`), `reference-cli-as-written`.

use std::fmt::Write as _;

use super::model::{
    CliDoc, CliPageKey, Command, Deprecation, Framework, Param, ParamKind, Text, command_url,
};
use super::usage::{argparse_option_metavar, click_option_metavar, usage_line};
use crate::reference::ReferencePage;
use crate::reference::html::{PageWriter, escape};

/// Renders the page of the command at `key`.
pub(crate) fn render_command(
    doc: &CliDoc,
    key: &CliPageKey,
    command: &Command,
    base_url: &str,
) -> ReferencePage {
    let path: Vec<&str> = std::iter::once(doc.root.name.as_str())
        .chain(key.path.iter().map(String::as_str))
        .collect();
    let title = path.join(" ");
    let mut page = PageWriter::new();
    page.raw("<div class=\"reference-cli\">\n");
    deprecation(&mut page, &command.deprecated);
    let usage = usage_line(doc.framework, &path, command);
    let _ = writeln!(
        page.html,
        "<pre class=\"reference-cli-usage\"><code>{}</code></pre>",
        escape(&usage)
    );
    page.plain(usage);
    if !command.aliases.is_empty() {
        let _ = writeln!(
            page.html,
            "<p class=\"reference-cli-aliases\">Aliases: {}</p>",
            command
                .aliases
                .iter()
                .map(|alias| format!("<code>{}</code>", escape(alias)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(help) = command.help.as_ref().or(command.short_help.as_ref()) {
        text_block(&mut page, help, "reference-cli-help");
    }

    let visible: Vec<&Param> = command
        .params
        .iter()
        .filter(|param| !param.hidden)
        .collect();
    let arguments: Vec<&Param> = visible
        .iter()
        .copied()
        .filter(|param| param.kind == ParamKind::Argument)
        .collect();
    if !arguments.is_empty() {
        page.heading(2, "Arguments", "arguments");
        params_table(
            &mut page,
            doc.framework,
            &arguments,
            "reference-cli-arguments",
        );
    }
    let options: Vec<&Param> = visible
        .iter()
        .copied()
        .filter(|param| param.kind == ParamKind::Option)
        .collect();
    if !options.is_empty() {
        page.heading(2, "Options", "options");
        // argparse groups: ungrouped and exclusive options first, titled groups after.
        let (plain, titled): (Vec<&Param>, Vec<&Param>) = options.iter().partition(|param| {
            param
                .group
                .and_then(|group| command.groups.get(group))
                .is_none_or(|group| group.title.is_none())
        });
        params_table(&mut page, doc.framework, &plain, "reference-cli-options");
        exclusive_notes(&mut page, command, &plain);
        for (index, group) in command.groups.iter().enumerate() {
            let Some(title) = &group.title else { continue };
            let members: Vec<&Param> = titled
                .iter()
                .copied()
                .filter(|param| param.group == Some(index))
                .collect();
            if members.is_empty() || group.exclusive {
                continue;
            }
            let heading = title.as_str().to_owned();
            page.heading(
                3,
                &heading,
                &format!("options-{}", protocol::slug::slugify(&heading)),
            );
            if let Some(description) = &group.description {
                text_block(&mut page, description, "reference-cli-help");
            }
            let with_exclusive: Vec<&Param> = titled
                .iter()
                .copied()
                .filter(|param| {
                    param.group == Some(index)
                        || param
                            .group
                            .and_then(|g| command.groups.get(g))
                            .is_some_and(|g| g.exclusive && g.title.as_ref() == Some(title))
                })
                .collect();
            params_table(
                &mut page,
                doc.framework,
                &with_exclusive,
                "reference-cli-options",
            );
        }
    }

    let subcommands: Vec<&Command> = command
        .subcommands
        .iter()
        .filter(|sub| !sub.hidden)
        .collect();
    if !subcommands.is_empty() {
        page.heading(2, "Commands", "commands");
        page.raw("<table class=\"reference-cli-commands\">\n<thead><tr><th>Command</th><th>Description</th></tr></thead>\n<tbody>\n");
        for sub in &subcommands {
            let mut sub_path = key.path.clone();
            sub_path.push(sub.name.clone());
            let href = format!("{base_url}{}", command_url(&sub_path));
            let summary = summary(sub);
            let _ = writeln!(
                page.html,
                "<tr><td><a href=\"{}\"><code>{}</code></a>{}</td><td>{}</td></tr>",
                escape(&href),
                escape(&sub.name),
                deprecated_badge(&sub.deprecated),
                escape(&summary)
            );
            page.plain(format!("{} {}: {summary}", title, sub.name));
        }
        page.raw("</tbody>\n</table>\n");
    }

    if let Some(epilog) = &command.epilog {
        text_block(&mut page, epilog, "reference-cli-epilog");
    }

    if key.path.is_empty() && command.subcommands.iter().any(|sub| !sub.hidden) {
        page.heading(2, "Command tree", "command-tree");
        page.raw("<ul class=\"reference-cli-tree\">\n");
        tree(&mut page, command, &mut Vec::new(), base_url, 0);
        page.raw("</ul>\n");
    }

    let _ = writeln!(
        page.html,
        "<p class=\"reference-cli-source\">Defined in <code>{}:{}</code> ({})</p>",
        escape(&command.source.file),
        command.source.line,
        doc.framework.name()
    );
    page.raw("</div>\n");
    page.finish(key.url.clone(), title)
}

fn deprecation(page: &mut PageWriter, deprecated: &Deprecation) {
    let message = match deprecated {
        Deprecation::No => return,
        Deprecation::Yes => String::new(),
        Deprecation::Message(message) => format!(": {}", message.as_str()),
    };
    let _ = writeln!(
        page.html,
        "<p class=\"reference-cli-deprecated\"><strong>Deprecated</strong>{}</p>",
        escape(&message)
    );
    page.plain(format!("Deprecated{message}"));
}

fn text_block(page: &mut PageWriter, text: &Text, class: &str) {
    match text {
        Text::Known(text) => page.paragraphs(text, class),
        Text::AsWritten(source) => {
            let _ = writeln!(
                page.html,
                "<div class=\"{class}\"><p>{}</p></div>",
                as_written(source)
            );
            page.plain(source.clone());
        }
    }
}

/// A value computed at run time, shown as its source.
fn as_written(source: &str) -> String {
    format!(
        "<code class=\"reference-cli-as-written\" title=\"computed when the program runs\">{}</code>",
        escape(source)
    )
}

fn cell(text: &Text) -> String {
    match text {
        Text::Known(text) => format!("<code>{}</code>", escape(text)),
        Text::AsWritten(source) => as_written(source),
    }
}

fn inline_text(text: &Text) -> String {
    match text {
        Text::Known(text) => escape(text).into_owned(),
        Text::AsWritten(source) => as_written(source),
    }
}

fn params_table(page: &mut PageWriter, framework: Framework, params: &[&Param], class: &str) {
    if params.is_empty() {
        return;
    }
    let _ = writeln!(
        page.html,
        "<table class=\"reference-cli-params {class}\">\n<thead><tr><th>Name</th><th>Type</th><th>Default</th><th>Description</th></tr></thead>\n<tbody>"
    );
    for param in params {
        let display_names = param_names(framework, param);
        let id = page.id(&format!(
            "{}-{}",
            match param.kind {
                ParamKind::Option => "option",
                ParamKind::Argument => "argument",
            },
            protocol::slug::slugify(param.names.last().map_or(&param.dest, |name| name))
        ));
        let type_cell = match (&param.value_type, param.is_flag) {
            (_, true) if param.count => "count".to_owned(),
            (_, true) => "flag".to_owned(),
            (Some(value_type), false) => cell(value_type),
            (None, false) => String::new(),
        };
        // A flag off by default says nothing the "flag" type does not.
        let default_cell = match &param.default {
            Some(Text::Known(value)) if param.is_flag && value == "False" => String::new(),
            Some(default) => cell(default),
            None => String::new(),
        };
        let mut description = String::new();
        let mut plain = vec![display_names.clone()];
        for (shown, badge) in [
            (param.required, "required"),
            (param.multiple, "multiple"),
            (param.deprecated != Deprecation::No, "deprecated"),
        ] {
            if shown {
                let _ = write!(
                    description,
                    "<span class=\"reference-cli-badge reference-cli-badge-{badge}\">{badge}</span> "
                );
                plain.push(badge.to_owned());
            }
        }
        if let Deprecation::Message(message) = &param.deprecated {
            let _ = write!(description, "{} ", inline_text(message));
        }
        if let Some(help) = &param.help {
            description.push_str(&inline_text(help));
            plain.push(help.as_str().to_owned());
        }
        if !param.choices.is_empty() {
            let choices: Vec<String> = param.choices.iter().map(cell).collect();
            let _ = write!(description, "<br>Choices: {}", choices.join(", "));
            plain.push(format!(
                "Choices: {}",
                param
                    .choices
                    .iter()
                    .map(Text::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !param.envvars.is_empty() {
            let envvars: Vec<String> = param.envvars.iter().map(cell).collect();
            let _ = write!(description, "<br>Environment: {}", envvars.join(", "));
            plain.push(format!(
                "Environment: {}",
                param
                    .envvars
                    .iter()
                    .map(Text::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let _ = writeln!(
            page.html,
            "<tr id=\"{}\"><td><code>{}</code></td><td>{type_cell}</td><td>{default_cell}</td><td>{description}</td></tr>",
            escape(&id),
            escape(&display_names)
        );
        page.plain(plain.join(" "));
    }
    page.raw("</tbody>\n</table>\n");
}

/// The names as `--help` shows them: `-f, --config-file FILENAME`, `--strict / --no-strict`,
/// `SRC`.
fn param_names(framework: Framework, param: &Param) -> String {
    if param.kind == ParamKind::Argument {
        return match framework {
            Framework::Argparse => param.names.join(", "),
            _ => param.dest.to_uppercase(),
        };
    }
    let metavar = match framework {
        Framework::Argparse => argparse_option_metavar(param),
        Framework::Click | Framework::Typer => click_option_metavar(param),
    };
    // click's `join_options`: shorter prefixes first (`-f, --force`), else as declared.
    let mut names = param.names.clone();
    if framework != Framework::Argparse {
        names.sort_by_key(|name| name.len() - name.trim_start_matches('-').len());
    }
    let mut shown = match (framework, &metavar) {
        (Framework::Argparse, Some(metavar)) => names
            .iter()
            .map(|name| format!("{name} {metavar}"))
            .collect::<Vec<_>>()
            .join(", "),
        (_, Some(metavar)) => format!("{} {metavar}", names.join(", ")),
        (_, None) => names.join(", "),
    };
    if !param.secondary_names.is_empty() {
        let _ = write!(shown, " / {}", param.secondary_names.join(", "));
    }
    shown
}

/// Under a table of options: which of them exclude each other.
fn exclusive_notes(page: &mut PageWriter, command: &Command, params: &[&Param]) {
    for (index, group) in command.groups.iter().enumerate() {
        if !group.exclusive {
            continue;
        }
        let members: Vec<String> = params
            .iter()
            .filter(|param| param.group == Some(index))
            .filter_map(|param| param.names.first().cloned())
            .collect();
        if members.len() < 2 {
            continue;
        }
        let list: Vec<String> = members
            .iter()
            .map(|name| format!("<code>{}</code>", escape(name)))
            .collect();
        let rule = if group.required {
            "exactly one of"
        } else {
            "at most one of"
        };
        let _ = writeln!(
            page.html,
            "<p class=\"reference-cli-group-note\">Mutually exclusive: {rule} {}.</p>",
            list.join(", ")
        );
        page.plain(format!(
            "Mutually exclusive: {rule} {}.",
            members.join(", ")
        ));
    }
}

/// The line a parent shows for a subcommand: `short_help`, else the help's first sentence.
pub(crate) fn summary(command: &Command) -> String {
    if let Some(short) = &command.short_help {
        return short.as_str().to_owned();
    }
    let Some(help) = &command.help else {
        return String::new();
    };
    let first_paragraph = help
        .as_str()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .replace('\n', " ");
    match first_paragraph.find(". ") {
        Some(end) => first_paragraph[..=end].to_owned(),
        None => first_paragraph,
    }
}

fn deprecated_badge(deprecated: &Deprecation) -> &'static str {
    match deprecated {
        Deprecation::No => "",
        _ => {
            " <span class=\"reference-cli-badge reference-cli-badge-deprecated\">deprecated</span>"
        }
    }
}

fn tree(
    page: &mut PageWriter,
    command: &Command,
    path: &mut Vec<String>,
    base_url: &str,
    depth: usize,
) {
    for sub in command.subcommands.iter().filter(|sub| !sub.hidden) {
        path.push(sub.name.clone());
        let href = format!("{base_url}{}", command_url(path));
        let _ = write!(
            page.html,
            "<li><a href=\"{}\"><code>{}</code></a>",
            escape(&href),
            escape(&sub.name)
        );
        let summary = summary(sub);
        if !summary.is_empty() {
            let _ = write!(page.html, " — {}", escape(&summary));
        }
        if depth < 64 && sub.subcommands.iter().any(|child| !child.hidden) {
            page.raw("\n<ul>\n");
            tree(page, sub, path, base_url, depth + 1);
            page.raw("</ul>\n");
        }
        page.raw("</li>\n");
        path.pop();
    }
}
