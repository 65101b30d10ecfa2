//! NumPy-style docstrings: section titles underlined with dashes, `name : type` entries
//! with their description indented below, as numpydoc writes them.

use super::{
    DocField, Parts, SectionKind, Target, clean_type, dedent, field_colon, field_description,
    indent_of, is_blank, split_entries, target_for_title,
};

/// True when `lines[index]` is a title and the next line underlines it with dashes.
fn is_header(lines: &[&str], index: usize) -> bool {
    let (Some(title), Some(underline)) = (lines.get(index), lines.get(index + 1)) else {
        return false;
    };
    let underline = underline.trim();
    !is_blank(title)
        && underline.len() >= 3
        && underline.bytes().all(|byte| byte == b'-')
        && indent_of(title) == indent_of(lines[index + 1])
}

/// True when the docstring has at least one known NumPy section.
pub(super) fn detect(lines: &[&str]) -> bool {
    (0..lines.len())
        .any(|index| is_header(lines, index) && target_for_title(lines[index].trim()).is_some())
}

pub(super) fn parse<'a>(lines: &[&'a str], parts: &mut Parts<'a>) {
    let mut index = 0;
    let mut free_start = 0;
    while index < lines.len() {
        if !is_header(lines, index) {
            index += 1;
            continue;
        }
        parts.push_free(&lines[free_start..index]);
        let title = lines[index].trim();
        let start = index + 2;
        let mut end = start;
        while end < lines.len() && !is_header(lines, end) {
            end += 1;
        }
        let content = dedent(&lines[start..end]);
        let target = target_for_title(title).unwrap_or(Target::Section(SectionKind::Other));
        match target {
            Target::Params | Target::Attributes => {
                let fields = split_entries(&content)
                    .into_iter()
                    .map(|(head, continuation)| {
                        let (name, ty) = split_head(head);
                        DocField {
                            name: name.to_owned(),
                            ty: ty.and_then(clean_type),
                            description: field_description("", &continuation),
                        }
                    });
                if let Some(list) = parts.fields_mut(target) {
                    list.extend(fields);
                }
            }
            Target::Returns | Target::Yields => {
                // `name : type`, or a bare type.
                let fields = split_entries(&content)
                    .into_iter()
                    .map(|(head, continuation)| {
                        let (name, ty) = match split_head(head) {
                            (name, Some(ty)) => (name, Some(ty)),
                            (ty, None) => ("", Some(ty)),
                        };
                        DocField {
                            name: name.to_owned(),
                            ty: ty.and_then(clean_type),
                            description: field_description("", &continuation),
                        }
                    });
                if let Some(list) = parts.fields_mut(target) {
                    list.extend(fields);
                }
            }
            Target::Raises => {
                let fields = split_entries(&content)
                    .into_iter()
                    .map(|(head, continuation)| DocField {
                        name: head.to_owned(),
                        ty: None,
                        description: field_description("", &continuation),
                    });
                parts.raises.extend(fields);
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

/// `name : type` into its two halves; a head without a colon is all name.
fn split_head(head: &str) -> (&str, Option<&str>) {
    // numpydoc writes ` : `; a colon followed by whitespace or the end also counts.
    match head
        .find(" : ")
        .map(|space| space + 1)
        .or_else(|| field_colon(head))
    {
        Some(colon) => (
            head[..colon].trim(),
            Some(head[colon + 1..].trim()).filter(|ty| !ty.is_empty()),
        ),
        None => (head.trim(), None),
    }
}
