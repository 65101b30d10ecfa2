//! Sphinx/reST field lists: `:param int x:`, `:type x:`, `:returns:`, `:rtype:`,
//! `:raises ValueError:`, `:ivar x:`/`:cvar:`/`:var:` and `:vartype x:`.
//! Unknown fields stay in the text.

use super::{DocField, Parts, clean_type, dedent, field_description, indent_of, is_blank};

/// What a field line means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Param,
    ParamType,
    Returns,
    ReturnType,
    Yields,
    YieldType,
    Raises,
    Attribute,
    AttributeType,
    /// `:meta ...:`, which only steers Sphinx.
    Meta,
}

fn field_kind(name: &str) -> Option<Field> {
    let field = match name {
        "param" | "parameter" | "arg" | "argument" | "key" | "keyword" | "kwarg" | "kwparam" => {
            Field::Param
        }
        "type" | "kwtype" => Field::ParamType,
        "returns" | "return" => Field::Returns,
        "rtype" => Field::ReturnType,
        "yields" | "yield" => Field::Yields,
        "ytype" => Field::YieldType,
        "raises" | "raise" | "except" | "exception" => Field::Raises,
        "ivar" | "cvar" | "var" => Field::Attribute,
        "vartype" => Field::AttributeType,
        "meta" => Field::Meta,
        _ => return None,
    };
    Some(field)
}

/// Splits `:name arg: rest` into the field, its argument and the text after it.
fn field_line(line: &str) -> Option<(Field, &str, &str)> {
    if indent_of(line) > 0 {
        return None;
    }
    let inner = line.strip_prefix(':')?;
    let close = inner.find(':')?;
    let marker = &inner[..close];
    let (name, argument) = marker
        .split_once(char::is_whitespace)
        .unwrap_or((marker, ""));
    let kind = field_kind(name)?;
    Some((kind, argument.trim(), &inner[close + 1..]))
}

/// True when the docstring has at least one known field.
pub(super) fn detect(lines: &[&str]) -> bool {
    lines
        .iter()
        .any(|line| field_line(line).is_some_and(|(kind, _, _)| kind != Field::Meta))
}

pub(super) fn parse<'a>(lines: &[&'a str], parts: &mut Parts<'a>) {
    let mut index = 0;
    let mut free_start = 0;
    while index < lines.len() {
        let Some((kind, argument, first)) = field_line(lines[index]) else {
            index += 1;
            continue;
        };
        parts.push_free(&lines[free_start..index]);
        let start = index + 1;
        let mut end = start;
        while end < lines.len()
            && (indent_of(lines[end]) > 0
                || is_blank(lines[end])
                    && lines.get(end + 1).is_some_and(|next| indent_of(next) > 0))
        {
            end += 1;
        }
        let continuation = dedent(&lines[start..end]);
        apply(parts, kind, argument, first, &continuation);
        index = end;
        free_start = end;
    }
    parts.push_free(&lines[free_start..]);
}

fn apply(parts: &mut Parts<'_>, kind: Field, argument: &str, first: &str, continuation: &[&str]) {
    let description = || field_description(first, continuation);
    // A type field's body is a type, read as plain text rather than markdown.
    let ty = || {
        let mut raw = first.trim().to_owned();
        for line in continuation {
            raw.push(' ');
            raw.push_str(line.trim());
        }
        clean_type(&raw)
    };
    match kind {
        Field::Param | Field::Attribute => {
            // `:param int x:` carries the type before the name.
            let (ty, name) = match argument.rsplit_once(char::is_whitespace) {
                Some((ty, name)) => (clean_type(ty), name),
                None => (None, argument),
            };
            let list = if kind == Field::Param {
                &mut parts.params
            } else {
                &mut parts.attributes
            };
            let field = named(list, name);
            field.description = description();
            if ty.is_some() {
                field.ty = ty;
            }
        }
        Field::ParamType => named(&mut parts.params, argument).ty = ty(),
        Field::AttributeType => named(&mut parts.attributes, argument).ty = ty(),
        Field::Returns => single(&mut parts.returns).description = description(),
        Field::ReturnType => single(&mut parts.returns).ty = ty(),
        Field::Yields => single(&mut parts.yields).description = description(),
        Field::YieldType => single(&mut parts.yields).ty = ty(),
        Field::Raises => parts.raises.push(DocField {
            name: argument.to_owned(),
            ty: None,
            description: description(),
        }),
        Field::Meta => {}
    }
}

/// The field named `name`, created at the end when it is new (`:type x:` may come first).
fn named<'a>(list: &'a mut Vec<DocField>, name: &str) -> &'a mut DocField {
    let index = match list.iter().position(|field| field.name == name) {
        Some(index) => index,
        None => {
            list.push(DocField {
                name: name.to_owned(),
                ty: None,
                description: String::new(),
            });
            list.len() - 1
        }
    };
    &mut list[index]
}

/// The one unnamed return/yield entry Sphinx fields describe.
fn single(list: &mut Vec<DocField>) -> &mut DocField {
    if list.is_empty() {
        list.push(DocField::default());
    }
    &mut list[0]
}
