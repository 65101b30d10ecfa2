//! HTML writing: comrak's formatter, with our markup for the nodes where the site needs
//! more than comrak's default.
//!
//! - Headings carry the page-unique id computed in `anchors` and a self-link:
//!   `<h2 id="usage">Usage<a class="heading-anchor" href="#usage" aria-label="Link to this section">#</a></h2>`.
//! - GitHub alerts and admonition fences share `admonitions`' markup.
//! - Code blocks go through the shared [`Highlighter`] (and its cache).
//!
//! comrak's formatter walks the tree with an explicit stack, so deep nesting is safe here.

use std::fmt::{self, Write as _};

use comrak::html::{ChildRendering, Context, format_document_with_formatter, format_node_default};
use comrak::nodes::{AstNode, NodeValue};
use comrak::options::{AlertStyleType, Plugins};
use protocol::Heading;

use super::admonitions;
use crate::highlight::Highlighter;

/// What the formatter needs besides the tree.
struct FormatState<'r> {
    highlighter: &'r Highlighter,
    headings: &'r [Heading],
    /// Index in `headings` of the next heading to open.
    next_heading: usize,
}

/// Writes the document under `root` as an HTML fragment. `headings` are the headings of
/// the document in order, as `anchors::assign_heading_ids` returned them.
pub(super) fn write_html<'a>(
    root: &'a AstNode<'a>,
    options: &comrak::Options<'_>,
    highlighter: &Highlighter,
    headings: &[Heading],
    html: &mut String,
) -> fmt::Result {
    let state = FormatState {
        highlighter,
        headings,
        next_heading: 0,
    };
    let plugins = Plugins::default();
    format_document_with_formatter(root, options, html, &plugins, format_node, state).map(|_| ())
}

fn format_node<'a>(
    context: &mut Context<'_, '_, FormatState<'_>>,
    node: &'a AstNode<'a>,
    entering: bool,
) -> Result<ChildRendering, fmt::Error> {
    match &node.data().value {
        NodeValue::Heading(heading) => {
            // The slice outlives the context borrow, so the id can be read while writing.
            let headings = context.user.headings;
            if entering {
                let id = headings
                    .get(context.user.next_heading)
                    .map(|heading| heading.id.as_str());
                context.user.next_heading += 1;
                context.cr()?;
                write!(context, "<h{}", heading.level)?;
                if let Some(id) = id {
                    context.write_str(" id=\"")?;
                    context.escape(id)?;
                    context.write_str("\"")?;
                }
                context.write_str(">")?;
            } else {
                let id = context
                    .user
                    .next_heading
                    .checked_sub(1)
                    .and_then(|idx| headings.get(idx))
                    .map(|heading| heading.id.as_str());
                if let Some(id) = id {
                    context.write_str("<a class=\"heading-anchor\" href=\"#")?;
                    context.escape(id)?;
                    context.write_str("\" aria-label=\"Link to this section\">#</a>")?;
                }
                write!(context, "</h{}>", heading.level)?;
                context.lf()?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::Alert(alert) => {
            if entering {
                let kind = alert.alert_type.css_class(AlertStyleType::Semantic);
                let title = alert
                    .title
                    .as_deref()
                    .unwrap_or(alert.alert_type.default_title());
                context.cr()?;
                admonitions::write_open(context, kind, title)?;
            } else {
                context.cr()?;
                admonitions::write_close(context)?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::BlockDirective(directive) => {
            // A fence with no info string is not an admonition (the caller warns about it):
            // its content is rendered in place.
            if let Some(head) = admonitions::parse_info(&directive.info) {
                context.cr()?;
                if entering {
                    admonitions::write_open(context, &head.kind, &head.title)?;
                } else {
                    admonitions::write_close(context)?;
                }
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::CodeBlock(block) => {
            if entering {
                let highlighter = context.user.highlighter;
                context.cr()?;
                let info = if block.fenced {
                    block.info.as_str()
                } else {
                    ""
                };
                if let Some(title) = super::pymdown::fence_title(info) {
                    context.write_str("<div class=\"code-title\">")?;
                    context.escape(title)?;
                    context.write_str("</div>\n")?;
                }
                highlighter.write_code_block(context, info, &block.literal)?;
            }
            Ok(ChildRendering::HTML)
        }
        _ => format_node_default(context, node, entering),
    }
}
