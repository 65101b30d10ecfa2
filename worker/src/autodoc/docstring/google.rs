//! Google-style docstrings: a known title alone on its line with a colon (`Args:`), and
//! the section's content indented below it, as Sphinx's napoleon reads them.

use super::{
    DocField, Parts, Target, clean_type, dedent, field_colon, field_description, indent_of,
    is_blank, looks_like_type, split_entries, target_for_title,
};

/// The section a line opens, if it is a known title followed by a colon.
fn header(line: &str) -> Option<Target> {
    let title = line.trim().strip_suffix(':')?.trim_end();
    target_for_title(title)
}

/// End (exclusive) of the indented content of the header at `index`, or `None` when the
/// header has no indented content and so is ordinary text.
fn content_end(lines: &[&str], index: usize) -> Option<usize> {
    let header_indent = indent_of(lines[index]);
    let mut end = index + 1;
    let mut last_content = None;
    while end < lines.len() && (is_blank(lines[end]) || indent_of(lines[end]) > header_indent) {
        if !is_blank(lines[end]) {
            last_content = Some(end);
        }
        end += 1;
    }
    last_content.map(|last| last + 1)
}

/// True when the docstring has at least one Google section with content.
pub(super) fn detect(lines: &[&str]) -> bool {
    (0..lines.len())
        .any(|index| header(lines[index]).is_some() && content_end(lines, index).is_some())
}

pub(super) fn parse<'a>(lines: &[&'a str], parts: &mut Parts<'a>) {
    let mut index = 0;
    let mut free_start = 0;
    while index < lines.len() {
        let (Some(target), Some(end)) = (header(lines[index]), content_end(lines, index)) else {
            index += 1;
            continue;
        };
        parts.push_free(&lines[free_start..index]);
        let title = lines[index].trim().trim_end_matches(':').trim_end();
        let content = dedent(&lines[index + 1..end]);
        match target {
            Target::Returns | Target::Yields => {
                let field = return_field(&content);
                if let Some(fields) = parts.fields_mut(target) {
                    fields.push(field);
                }
            }
            Target::Params | Target::Raises | Target::Attributes => {
                let fields: Vec<DocField> = split_entries(&content)
                    .into_iter()
                    .map(|(head, continuation)| named_field(head, &continuation))
                    .collect();
                if let Some(list) = parts.fields_mut(target) {
                    list.extend(fields);
                }
            }
            Target::Examples | Target::Section(_) => {
                parts.push_text_section(target, title, &content)
            }
        }
        index = end;
        free_start = end;
    }
    parts.push_free(&lines[free_start..]);
}

/// `name (type): description`, `name: description` or a bare `name`.
fn named_field(head: &str, continuation: &[&str]) -> DocField {
    let (left, first) = match field_colon(head) {
        Some(colon) => (head[..colon].trim(), &head[colon + 1..]),
        None => (head, ""),
    };
    let (name, ty) = match (left.find('('), left.strip_suffix(')')) {
        (Some(open), Some(inner)) => (left[..open].trim(), clean_type(&inner[open + 1..])),
        _ => (left, None),
    };
    DocField {
        name: name.to_owned(),
        ty,
        description: field_description(first, continuation),
    }
}

/// A `Returns:` block: `type: description` when the text before the colon reads as a
/// type, otherwise all description.
fn return_field(content: &[&str]) -> DocField {
    let Some((first, rest)) = content.split_first() else {
        return DocField::default();
    };
    if let Some(colon) = field_colon(first) {
        let left = &first[..colon];
        if indent_of(first) == 0 && looks_like_type(left) {
            return DocField {
                name: String::new(),
                ty: clean_type(left),
                description: field_description(&first[colon + 1..], &dedent(rest)),
            };
        }
    }
    DocField {
        name: String::new(),
        ty: None,
        description: field_description("", content),
    }
}
