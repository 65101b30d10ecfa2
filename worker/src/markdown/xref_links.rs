//! Cross-references in Markdown: `[text][dotted.path]` and `[dotted.path][]` (reference
//! links with no definition, offered to the page's [`References`] through comrak's broken
//! link callback), and the links docstring roles become (`:class:`~pkg.Foo`` is written as
//! `` [`Foo`](ssg-xref:class:~pkg.Foo) `` by the docstring reader): resolved to their
//! object's URL, or unwrapped to their text when the name does not resolve.

use comrak::nodes::{AstNode, NodeValue};
use std::panic::RefUnwindSafe;

/// The scheme of the links docstring roles become.
pub const XREF_SCHEME: &str = "ssg-xref:";

/// Resolves the names a page mentions (implemented by the render pipeline).
pub trait References: Sync + RefUnwindSafe {
    /// A reference link label with no definition (`click.Command` in `[x][click.Command]`):
    /// the href to link to, or `None` to leave the text as written.
    fn reference(&self, label: &str) -> Option<String>;

    /// A docstring role (`class`, `meth`, `mod`…) naming `target` (`~pkg.Foo`), on 1-based
    /// line `line` of the Markdown: the href, or `None` to show the text unlinked.
    fn role(&self, role: &str, target: &str, line: u32) -> Option<String>;
}

/// True for a label that may name a Python object: dotted identifiers, optionally marked
/// `~` (short display) or `!`.
pub fn is_dotted_name(label: &str) -> bool {
    let name = label.trim_start_matches(['~', '!']);
    !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|first| first.is_alphabetic() || first == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
        })
}

/// Resolves or unwraps every `ssg-xref:` link under `root`. Without `references` (no API
/// inventory) every such link is unwrapped, so a role reads as the code span it was.
pub(super) fn resolve_role_links<'a>(
    root: &'a AstNode<'a>,
    references: Option<&dyn References>,
    source_line: &dyn Fn(usize) -> u32,
) {
    let role_links: Vec<&'a AstNode<'a>> = root
        .descendants()
        .filter(|node| {
            matches!(&node.data().value, NodeValue::Link(link) if link.url.starts_with(XREF_SCHEME))
        })
        .collect();
    for node in role_links {
        let line = source_line(node.data().sourcepos.start.line);
        let href = {
            let data = node.data();
            let NodeValue::Link(link) = &data.value else {
                continue;
            };
            let spec = &link.url[XREF_SCHEME.len()..];
            spec.split_once(':')
                .and_then(|(role, target)| references?.role(role, target, line))
        };
        match href {
            Some(href) => {
                if let NodeValue::Link(link) = &mut node.data_mut().value {
                    link.url = href;
                }
            }
            None => {
                let children: Vec<&'a AstNode<'a>> = node.children().collect();
                for child in children {
                    node.insert_before(child);
                }
                node.detach();
            }
        }
    }
}
