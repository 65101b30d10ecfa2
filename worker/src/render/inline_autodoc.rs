//! mkdocstrings blocks in Markdown pages: a line `::: dotted.path`, with an optional
//! indented YAML block (`options:` …), renders that object's API documentation in the page
//! (module, class, function, property, attribute), from the same static autodoc as the API
//! pages, with ids named by the dotted path (`id="pkg.core.Command"`).
//!
//! The block's lines are replaced, before the Markdown is parsed, by a placeholder
//! `<div>` on the `:::` line and empty lines for the options (line numbers stay those of
//! the file), and each placeholder is replaced by the object's HTML afterwards. In the
//! `mkdocs` dialect every such line is a block; elsewhere one with a dotted name or naming
//! a documented object (`::: note` stays an admonition). The page records the name's lookup and the
//! module's source hash, so it renders again when the object moves or its module changes.
//! An unknown name and unsupported options are warnings with the block's line.

use super::RenderContext;
use super::xrefs::PageRefs;
use crate::autodoc::{self, AutodocOptions, InlineOptions, ModulePageInfo, NameFilter};
use crate::markdown::{KeepLinks, is_dotted_name};

use crate::markdown::RenderedMarkdown;
use protocol::{Heading, LinkDep, PageWarning, WarningKind};

/// One `:::` block found in a page.
pub(super) struct Block {
    /// 1-based line in the source file.
    line: u32,
    identifier: String,
    options_yaml: String,
    placeholder: String,
}

/// A block rendered: what replaces its placeholder and what the page learns.
#[derive(Default)]
pub(super) struct Rendered {
    pub(super) headings: Vec<Heading>,
    pub(super) anchors: Vec<String>,
    pub(super) plain_text: Vec<String>,
    pub(super) link_deps: Vec<LinkDep>,
    pub(super) warnings: Vec<PageWarning>,
}

impl Rendered {
    /// Adds what the blocks gave to the page's: headings in the order their ids appear in
    /// the HTML, anchors, plain text (after the page's), dependencies and warnings.
    pub(super) fn merge_into(
        self,
        page: &mut RenderedMarkdown,
        link_deps: &mut Vec<LinkDep>,
        warnings: &mut Vec<PageWarning>,
    ) {
        let html = &page.html;
        let mut headings: Vec<(usize, Heading)> = std::mem::take(&mut page.headings)
            .into_iter()
            .chain(self.headings)
            .map(|heading| {
                let at = html
                    .find(&format!("id=\"{}\"", autodoc::escape_html(&heading.id)))
                    .unwrap_or(usize::MAX);
                (at, heading)
            })
            .collect();
        headings.sort_by_key(|(at, _)| *at);
        page.headings = headings.into_iter().map(|(_, heading)| heading).collect();
        page.anchors.extend(self.anchors);
        for text in self.plain_text {
            if !page.plain_text.is_empty() {
                page.plain_text.push_str("\n\n");
            }
            page.plain_text.push_str(&text);
        }
        link_deps.extend(self.link_deps);
        warnings.extend(self.warnings);
    }
}

/// The page's blocks, and its text with each replaced by a placeholder line (same number
/// of lines); `None` when it has none.
pub(super) fn find_blocks(
    text: &str,
    first_line: u32,
    mkdocs: bool,
    references: Option<&PageRefs<'_>>,
) -> Option<(String, Vec<Block>)> {
    if !text.contains("::: ") {
        return None;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut blocks = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        if let Some((marker, len)) = fence {
            if trimmed.starts_with(&marker.to_string().repeat(len)) {
                fence = None;
            }
            out.push(line.to_string());
            index += 1;
            continue;
        }
        if let Some(marker) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') {
            let run = trimmed.chars().take_while(|c| *c == marker).count();
            if run >= 3 {
                fence = Some((marker, run));
            }
        }
        let identifier = trimmed
            .strip_prefix("::: ")
            .map(str::trim)
            .filter(|name| is_dotted_name(name) && !name.starts_with(['~', '!']));
        let is_block = identifier.is_some_and(|name| {
            mkdocs || name.contains('.') || references.is_some_and(|refs| refs.knows_object(name))
        });
        let (Some(identifier), true) = (identifier, is_block) else {
            out.push(line.to_string());
            index += 1;
            continue;
        };
        let indent = line.len() - trimmed.len();
        let mut end = index + 1;
        let mut options = Vec::new();
        while end < lines.len() {
            let next = lines[end];
            let deeper = next.len() - next.trim_start().len() > indent;
            if next.trim().is_empty() {
                // A blank line belongs to the options only when they go on after it.
                let goes_on = lines[end + 1..]
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.len() - l.trim_start().len() > indent);
                if !goes_on || options.is_empty() {
                    break;
                }
            } else if !deeper {
                break;
            }
            options.push(next);
            end += 1;
        }
        let placeholder = format!("<div data-ssg-autodoc=\"{}\"></div>", blocks.len());
        out.push(format!("{}{placeholder}", &line[..indent]));
        out.extend(std::iter::repeat_n(String::new(), end - index - 1));
        blocks.push(Block {
            line: first_line.max(1) + index as u32,
            identifier: identifier.to_string(),
            options_yaml: dedent(&options),
            placeholder,
        });
        index = end;
    }
    (!blocks.is_empty()).then(|| (out.join("\n"), blocks))
}

fn dedent(lines: &[&str]) -> String {
    let margin = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(margin..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders every block into `html` (replacing its placeholder); what the page learns.
pub(super) fn render_blocks(
    context: &RenderContext,
    page_file: Option<&str>,
    blocks: &[Block],
    references: Option<&PageRefs<'_>>,
    html: &mut String,
) -> Rendered {
    let mut rendered = Rendered::default();
    let mut taken = std::collections::HashSet::new();
    for block in blocks {
        let warn = |rendered: &mut Rendered, message: String| {
            rendered.warnings.push(PageWarning {
                file: page_file.map(str::to_string),
                line: Some(block.line),
                message,
                kind: WarningKind::Markup,
            });
        };
        let (options, unsupported) = read_options(&block.options_yaml);
        if !unsupported.is_empty() {
            warn(
                &mut rendered,
                format!(
                    "mkdocstrings options not supported for `::: {}`, ignored: {}",
                    block.identifier,
                    unsupported.join(", ")
                ),
            );
        }
        let fragment = references
            .and_then(|refs| refs.object(&block.identifier))
            .and_then(|target| {
                object_html(context, &target.name, &options, &mut taken, &mut rendered)
            });
        let fragment = fragment.unwrap_or_else(|| {
            warn(
                &mut rendered,
                format!(
                    "mkdocstrings block `::: {}`: no documented object has that name; \
                     check the path, and that its package is in [[autodoc.python]] \
                     (or mkdocstrings' `paths`)",
                    block.identifier
                ),
            );
            format!(
                "<p><code>{}</code></p>\n",
                autodoc::escape_html(&block.identifier)
            )
        });
        *html = html.replacen(&block.placeholder, fragment.trim_end(), 1);
    }
    rendered
}

/// The HTML of the object with canonical name `name`, `None` when its module does not
/// document it (or cannot be read: its own page reports why).
fn object_html(
    context: &RenderContext,
    name: &str,
    options: &InlineOptions,
    taken: &mut std::collections::HashSet<String>,
    rendered: &mut Rendered,
) -> Option<String> {
    let resolver = &context.xref;
    let (module, qualname) = resolver.split_module(name)?;
    let source = resolver.module_source(module)?;
    let bytes = crate::limits::read_source(&context.site_root.join(&source.file)).ok()?;
    rendered.link_deps.push(LinkDep::included_file(
        &source.file,
        protocol::content_hash(&bytes),
    ));
    let text = crate::text::decode_utf8(&bytes).ok()?;
    let module_name = if source.is_package {
        format!("{module}.__init__")
    } else {
        module.to_string()
    };
    let doc = autodoc::document_module(
        text,
        &module_name,
        AutodocOptions {
            include_private: source.include_private,
            is_package: source.is_package,
            names_only: false,
            merge_init_into_class: options
                .merge_init_into_class
                .unwrap_or(source.merge_init_into_class),
        },
    )
    .ok()?;
    let refs = PageRefs::module(resolver, module, &context.base_path);
    let info = ModulePageInfo {
        source_file: &source.file,
        is_package: source.is_package,
        submodules: &[],
        source_url: None,
        links: Some(&refs),
    };
    let markdown = |text: &str| match crate::markdown::check_nesting(text) {
        Ok(()) => {
            context
                .markdown
                .render_with_references(text, 1, &mut KeepLinks, Some(&refs))
                .html
        }
        Err(_) => format!("<pre>{}</pre>\n", autodoc::escape_html(text)),
    };
    let out = autodoc::render_inline(&doc, qualname, &info, &markdown, options, taken)?;
    taken.extend(out.anchors.iter().cloned());
    let (deps, warnings) = refs.finish(Some(&source.file), None);
    rendered.link_deps.extend(deps);
    rendered.warnings.extend(warnings);
    rendered.headings.extend(out.headings);
    rendered.anchors.extend(out.anchors);
    rendered.plain_text.push(out.plain_text);
    Some(out.html)
}

/// Applies option `name`; false when it is not one autodoc honours (or its value is not
/// one it reads).
fn apply_option(options: &mut InlineOptions, name: &str, value: &serde_yaml_ng::Value) -> bool {
    use serde_yaml_ng::Value;
    match (name, value) {
        ("show_source", Value::Bool(show)) => options.show_source = *show,
        ("show_root_heading", Value::Bool(show)) => options.show_root_heading = *show,
        ("merge_init_into_class", Value::Bool(merge)) => {
            options.merge_init_into_class = Some(*merge)
        }
        ("heading_level", Value::Number(level)) => match level.as_u64() {
            Some(level) => options.heading_level = level.clamp(1, 6) as u8,
            None => return false,
        },
        ("members_order", Value::String(order)) => match order.as_str() {
            "alphabetical" => options.alphabetical = true,
            "source" => options.alphabetical = false,
            _ => return false,
        },
        ("members", Value::Bool(true) | Value::Null) => options.members = None,
        ("members", Value::Bool(false)) => options.members = Some(Vec::new()),
        ("members", Value::Sequence(names)) => {
            match names
                .iter()
                .map(|n| n.as_str().map(str::to_string))
                .collect()
            {
                Some(names) => options.members = Some(names),
                None => return false,
            }
        }
        ("filters", Value::Sequence(patterns)) => {
            match patterns
                .iter()
                .map(|p| p.as_str().and_then(NameFilter::parse))
                .collect()
            {
                Some(filters) => options.filters = filters,
                None => return false,
            }
        }
        _ => return false,
    }
    true
}

/// The options autodoc honours, and the names of the others (sorted).
fn read_options(yaml: &str) -> (InlineOptions, Vec<String>) {
    let mut options = InlineOptions::default();
    let mut unsupported = Vec::new();
    if yaml.trim().is_empty() {
        return (options, unsupported);
    }
    let Ok(serde_yaml_ng::Value::Mapping(block)) = serde_yaml_ng::from_str(yaml) else {
        return (options, vec!["(not a YAML mapping)".into()]);
    };
    for (key, value) in &block {
        let key = key.as_str().unwrap_or("?");
        if key != "options" {
            unsupported.push(key.to_string());
            continue;
        }
        let serde_yaml_ng::Value::Mapping(values) = value else {
            continue;
        };
        for (name, value) in values {
            let name = name.as_str().unwrap_or("?");
            if !apply_option(&mut options, name, value) {
                unsupported.push(name.to_string());
            }
        }
    }
    unsupported.sort();
    (options, unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_the_line_count_and_skip_code() {
        let text = "# T\n\n::: pkg.core.Command\n    options:\n      show_source: false\n\n      heading_level: 3\n\nAfter.\n\n```\n::: pkg.x\n```\n";
        let (out, blocks) = find_blocks(text, 5, true, None).unwrap();
        assert_eq!(out.lines().count(), text.lines().count());
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].line, 7);
        assert_eq!(blocks[0].identifier, "pkg.core.Command");
        assert_eq!(
            blocks[0].options_yaml,
            "options:\n  show_source: false\n\n  heading_level: 3"
        );
        assert!(
            out.contains("<div data-ssg-autodoc=\"0\"></div>\n\n\n\n\n\nAfter."),
            "{out}"
        );
        assert!(out.contains("```\n::: pkg.x\n```"));
        // Outside the mkdocs dialect, a plain word that is no documented object stays.
        assert!(find_blocks("::: note\nx\n:::\n", 1, false, None).is_none());
        assert!(find_blocks(text, 1, false, None).is_some());
    }

    #[test]
    fn options_read_and_the_others_are_named() {
        let (options, unsupported) = read_options(
            "options:\n  show_source: false\n  heading_level: 3\n  members: [a, b]\n  members_order: alphabetical\n  filters: [\"!^_\"]\n  show_root_heading: true\n  merge_init_into_class: true\n  docstring_style: numpy\n  show_bases: false\nhandler: python",
        );
        assert_eq!(unsupported, ["docstring_style", "handler", "show_bases"]);
        assert!(!options.show_source && options.show_root_heading && options.alphabetical);
        assert_eq!(options.heading_level, 3);
        assert_eq!(options.merge_init_into_class, Some(true));
        assert_eq!(
            read_options("options:\n  merge_init_into_class: false")
                .0
                .merge_init_into_class,
            Some(false)
        );
        assert_eq!(read_options("").0.merge_init_into_class, None);
        assert_eq!(
            options.members,
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(options.filters, vec![NameFilter::parse("!^_").unwrap()]);
        assert_eq!(read_options("").1, Vec::<String>::new());
        assert_eq!(
            read_options("options:\n  filters: [\"(a|b)\"]").1,
            ["filters"]
        );
    }
}
