//! Usage lines as the real tools print them: click and typer
//! (`Usage: mkdocs build [OPTIONS] SRC...`, `Usage: mkdocs [OPTIONS] COMMAND [ARGS]...`) and
//! argparse (`usage: tool run [-h] [-v | -q] [--level LEVEL] target [target ...]`), on one
//! line (the tools wrap to the terminal; a page does not need to).

use super::argparse::default_metavar;
use super::model::{Command, Framework, Nargs, Param, ParamKind, Text};

/// The usage line of `command`, reached through `path` (the program name, then each
/// subcommand name, this command's last).
pub(crate) fn usage_line(framework: Framework, path: &[&str], command: &Command) -> String {
    match framework {
        Framework::Click | Framework::Typer => click_usage(path, command),
        Framework::Argparse => argparse_usage(path, command),
    }
}

fn click_usage(path: &[&str], command: &Command) -> String {
    let mut pieces = vec![format!("Usage: {}", path.join(" ")), "[OPTIONS]".to_owned()];
    for param in command
        .params
        .iter()
        .filter(|param| param.kind == ParamKind::Argument && !param.hidden)
    {
        pieces.push(click_argument_metavar(param));
    }
    if command.is_group {
        pieces.push("COMMAND [ARGS]...".to_owned());
    }
    pieces.join(" ")
}

/// click's `Argument.make_metavar`: the metavar or the upper-cased name, in brackets when
/// optional, `...` when it takes several values.
pub(crate) fn click_argument_metavar(param: &Param) -> String {
    let mut metavar = match &param.metavar {
        Some(metavar) => metavar.as_str().to_owned(),
        None => param.dest.to_uppercase(),
    };
    if !param.required {
        metavar = format!("[{metavar}]");
    }
    if !matches!(param.nargs, Nargs::One) {
        metavar.push_str("...");
    }
    metavar
}

/// What follows an option's flags in click's help: its metavar or type name, nothing for
/// a flag.
pub(crate) fn click_option_metavar(param: &Param) -> Option<String> {
    if param.is_flag {
        return None;
    }
    if let Some(metavar) = &param.metavar {
        return Some(metavar.as_str().to_owned());
    }
    if !param.choices.is_empty() && param.choices.iter().all(|c| matches!(c, Text::Known(_))) {
        let choices: Vec<&str> = param.choices.iter().map(Text::as_str).collect();
        return Some(format!("[{}]", choices.join("|")));
    }
    let shown = match &param.value_type {
        Some(Text::Known(name)) => name.clone(),
        _ => "TEXT".to_owned(),
    };
    Some(match &param.nargs {
        Nargs::Exactly(count) => repeated(&shown, *count),
        _ => shown,
    })
}

fn argparse_usage(path: &[&str], command: &Command) -> String {
    let mut pieces = vec![format!("usage: {}", path.join(" "))];
    let visible: Vec<&Param> = command
        .params
        .iter()
        .filter(|param| !param.hidden)
        .collect();
    let mut done_groups: Vec<usize> = Vec::new();
    for param in visible
        .iter()
        .filter(|param| param.kind == ParamKind::Option)
    {
        match param.group.filter(|group| {
            command
                .groups
                .get(*group)
                .is_some_and(|group| group.exclusive)
        }) {
            Some(group) => {
                if done_groups.contains(&group) {
                    continue;
                }
                done_groups.push(group);
                let members: Vec<String> = visible
                    .iter()
                    .filter(|member| member.group == Some(group))
                    .map(|member| argparse_part(member))
                    .collect();
                let required = command.groups[group].required;
                let (open, close) = if required { ("(", ")") } else { ("[", "]") };
                pieces.push(format!("{open}{}{close}", members.join(" | ")));
            }
            None => {
                let part = argparse_part(param);
                pieces.push(if param.required {
                    part
                } else {
                    format!("[{part}]")
                });
            }
        }
    }
    for param in visible
        .iter()
        .filter(|param| param.kind == ParamKind::Argument)
    {
        pieces.push(argparse_part(param));
    }
    if command.is_group {
        let metavar = command.subcommand_metavar.clone().unwrap_or_else(|| {
            // argparse builds this from every choice, `help=SUPPRESS` ones included.
            let names: Vec<&str> = command
                .subcommands
                .iter()
                .flat_map(|sub| {
                    std::iter::once(sub.name.as_str()).chain(sub.aliases.iter().map(String::as_str))
                })
                .collect();
            format!("{{{}}}", names.join(","))
        });
        pieces.push(format!("{metavar} ..."));
    }
    pieces.join(" ")
}

/// One parameter in argparse's usage, without the brackets of an optional option.
fn argparse_part(param: &Param) -> String {
    let metavar = param
        .metavar
        .as_ref()
        .map(|metavar| metavar.as_str().to_owned())
        .or_else(|| {
            let known: Vec<&str> = param
                .choices
                .iter()
                .filter_map(|choice| match choice {
                    Text::Known(choice) => Some(choice.as_str()),
                    Text::AsWritten(_) => None,
                })
                .collect();
            (!param.choices.is_empty() && known.len() == param.choices.len())
                .then(|| format!("{{{}}}", known.join(",")))
        })
        .unwrap_or_else(|| default_metavar(param));
    // argparse's `_format_args`: a tuple metavar gives one name per value shown.
    let part = |index: usize| {
        param
            .metavar_tuple
            .get(index)
            .cloned()
            .unwrap_or_else(|| metavar.clone())
    };
    let values = match &param.nargs {
        _ if param.is_flag => String::new(),
        Nargs::Optional if !param.metavar_tuple.is_empty() => format!("[{}]", part(0)),
        Nargs::Any if !param.metavar_tuple.is_empty() => format!("[{} ...]", part(0)),
        Nargs::AtLeastOne if !param.metavar_tuple.is_empty() => {
            format!("{} [{} ...]", part(0), part(1))
        }
        Nargs::One => metavar,
        Nargs::Optional => format!("[{metavar}]"),
        Nargs::Any => format!("[{metavar} ...]"),
        Nargs::AtLeastOne => format!("{metavar} [{metavar} ...]"),
        Nargs::Remainder => "...".to_owned(),
        Nargs::Exactly(count) => repeated(&metavar, *count),
        Nargs::AsWritten(_) => format!("{metavar} ..."),
    };
    match param.kind {
        ParamKind::Argument => values,
        ParamKind::Option => {
            let flag = param.names.first().cloned().unwrap_or_default();
            if values.is_empty() {
                flag
            } else {
                format!("{flag} {values}")
            }
        }
    }
}

/// What follows an option's flags in argparse's help (`-l LEVEL, --level LEVEL`).
pub(crate) fn argparse_option_metavar(param: &Param) -> Option<String> {
    let part = argparse_part(param);
    let flag = param.names.first()?;
    part.strip_prefix(flag.as_str())
        .map(str::trim)
        .filter(|rest| !rest.is_empty())
        .map(str::to_owned)
}

/// Most times a metavar is repeated for a fixed number of values; past it the count is
/// written out (`X ... (1000 values)`), so `nargs=10**9` cannot fill memory.
const MAX_REPEATED_METAVARS: u32 = 16;

/// `X X X` for three values.
fn repeated(metavar: &str, count: u32) -> String {
    if count > MAX_REPEATED_METAVARS {
        return format!("{metavar} ... ({count} values)");
    }
    vec![metavar; count as usize].join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_counts_repeat_within_a_bound() {
        assert_eq!(repeated("X", 3), "X X X");
        assert_eq!(repeated("X", 4_000_000_000), "X ... (4000000000 values)");
    }
}
