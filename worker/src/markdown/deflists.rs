//! MDN definition lists: a bullet list whose every item is a term followed by one nested
//! list of `- : definition` items becomes `<dl><dt>term</dt><dd>definition</dd></dl>`.
//!
//! ```markdown
//! - `active`
//!   - : Whether the tab is active.
//! ```
//!
//! This is MDN's own convention (its renderer does the same rewrite); ordinary nested lists,
//! and lists where only some items follow the convention, are left alone. The rewrite is an
//! AST transform to comrak's description-list nodes, so comrak writes the HTML.

use std::borrow::Cow;
use std::cell::RefCell;

use comrak::Arena;
use comrak::nodes::{Ast, AstNode, ListType, NodeDescriptionItem, NodeValue};

/// Rewrites every qualifying list under `root`.
pub(super) fn convert_definition_lists<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>) {
    let lists: Vec<_> = root
        .descendants()
        .filter(|node| matches!(node.data().value, NodeValue::List(list) if list.list_type == ListType::Bullet))
        .collect();
    for list in lists {
        // Definition lists nested in a converted list are still reached: conversion moves
        // nodes, it never drops them.
        if list.parent().is_some() && is_definition_list(list) {
            convert(arena, list);
        }
    }
}

fn is_definition_list<'a>(list: &'a AstNode<'a>) -> bool {
    list.first_child().is_some() && list.children().all(is_definition_item)
}

/// An item with at least one term block, then exactly one list, all of `: definition` items.
fn is_definition_item<'a>(item: &'a AstNode<'a>) -> bool {
    if !matches!(item.data().value, NodeValue::Item(_)) {
        return false;
    }
    let Some(definitions) = item.last_child() else {
        return false;
    };
    let is_bullet_list = matches!(definitions.data().value, NodeValue::List(list) if list.list_type == ListType::Bullet);
    let term_blocks_are_not_lists = definitions
        .preceding_siblings()
        .skip(1)
        .all(|block| !matches!(block.data().value, NodeValue::List(_)));
    is_bullet_list
        && definitions.previous_sibling().is_some()
        && term_blocks_are_not_lists
        && definitions
            .children()
            .all(|definition| definition_marker(definition).is_some())
}

/// The first text node of a `- : definition` item, which starts with `: `.
fn definition_marker<'a>(definition: &'a AstNode<'a>) -> Option<&'a AstNode<'a>> {
    if !matches!(definition.data().value, NodeValue::Item(_)) {
        return None;
    }
    let paragraph = definition.first_child()?;
    if !matches!(paragraph.data().value, NodeValue::Paragraph) {
        return None;
    }
    let text = paragraph.first_child()?;
    let starts_with_marker = match &text.data().value {
        NodeValue::Text(literal) => *literal == ":" || literal.starts_with(": "),
        _ => false,
    };
    starts_with_marker.then_some(text)
}

fn convert<'a>(arena: &'a Arena<'a>, list: &'a AstNode<'a>) {
    list.data_mut().value = NodeValue::DescriptionList;
    let items: Vec<_> = list.children().collect();
    for item in items {
        let NodeValue::Item(item_list) = item.data().value else {
            continue;
        };
        let Some(definitions) = item.last_child() else {
            continue;
        };
        item.data_mut().value = NodeValue::DescriptionItem(NodeDescriptionItem {
            marker_offset: item_list.marker_offset,
            padding: item_list.padding,
            // Loose, so definitions keep their paragraphs like MDN's own output.
            tight: false,
        });

        let term_blocks: Vec<_> = definitions.preceding_siblings().skip(1).collect();
        let term_sourcepos = term_blocks
            .last()
            .map_or(item.data().sourcepos, |first| first.data().sourcepos);
        let term = arena.alloc(AstNode::new(RefCell::new(Ast::new_with_sourcepos(
            NodeValue::DescriptionTerm,
            term_sourcepos,
        ))));
        // `preceding_siblings` runs backwards; append in document order.
        for block in term_blocks.into_iter().rev() {
            block.detach();
            term.append(block);
        }
        definitions.insert_before(term);

        let definition_items: Vec<_> = definitions.children().collect();
        for definition in definition_items {
            strip_marker(definition);
            definition.detach();
            definition.data_mut().value = NodeValue::DescriptionDetails;
            definitions.insert_before(definition);
        }
        definitions.detach();
    }
}

/// Removes the `: ` that marks a definition (and the text node, if nothing else is left).
fn strip_marker<'a>(definition: &'a AstNode<'a>) {
    let Some(text) = definition_marker(definition) else {
        return;
    };
    let mut ast = text.data_mut();
    if let NodeValue::Text(literal) = &mut ast.value {
        let stripped = literal.trim_start_matches(':').trim_start().to_string();
        if stripped.is_empty() {
            drop(ast);
            text.detach();
        } else {
            *literal = Cow::Owned(stripped);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(markdown: &str, expected_html: &str) {
        let arena = Arena::new();
        let options = comrak::Options::default();
        let root = comrak::parse_document(&arena, markdown, &options);
        convert_definition_lists(&arena, root);
        root.validate().expect("the rewritten tree is well-formed");
        let mut html = String::new();
        comrak::format_html(root, &options, &mut html).expect("writing to a String cannot fail");
        assert_eq!(html, expected_html, "markdown {markdown:?}");
    }

    #[test]
    fn mdn_definition_lists() {
        check(
            "- `active`\n  - : Whether the tab is *active*.\n- `audible` {{optional_inline}}\n  - : Sound.\n",
            "<dl>\n<dt><code>active</code></dt>\n<dd>\n<p>Whether the tab is <em>active</em>.</p>\n</dd>\n\
             <dt><code>audible</code> {{optional_inline}}</dt>\n<dd>\n<p>Sound.</p>\n</dd>\n</dl>\n",
        );
        // A definition with more paragraphs, and a nested definition list inside.
        check(
            "- term\n  - : First.\n\n    Second.\n\n    - inner\n      - : Inner def.\n",
            "<dl>\n<dt>term</dt>\n<dd>\n<p>First.</p>\n<p>Second.</p>\n<dl>\n<dt>inner</dt>\n<dd>\n<p>Inner def.</p>\n</dd>\n</dl>\n</dd>\n</dl>\n",
        );
    }

    #[test]
    fn ordinary_lists_are_untouched() {
        let cases = [
            "- a\n  - b\n",
            "- a\n  - : def\n- plain item\n",
            "- a\n  - : def\n  - not a def\n",
            "1. a\n   - : def\n",
            "- : no term\n",
        ];
        for markdown in cases {
            let arena = Arena::new();
            let options = comrak::Options::default();
            let root = comrak::parse_document(&arena, markdown, &options);
            let mut before = String::new();
            comrak::format_html(root, &options, &mut before)
                .expect("writing to a String cannot fail");
            check(markdown, &before);
        }
    }
}
