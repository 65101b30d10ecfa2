//! Signature blocks: `<pre class="autodoc-signature">` with decorators, keyword, name,
//! type parameters, parameters and return annotation, each in its own span; long ones get
//! one parameter per line, as black would format them.

use std::fmt::Write as _;

use super::{Renderer, escape};
use crate::autodoc::signature::{Signature, SignaturePart, TypeParam, format_type_params};

/// Signatures longer than this (in characters, on one line) get one parameter per line.
const SIGNATURE_WRAP_CHARS: usize = 88;

/// What a definition's signature block shows.
pub(super) struct SignatureLine<'a> {
    pub(super) decorators: &'a [String],
    pub(super) keyword: &'a str,
    pub(super) name: &'a str,
    pub(super) type_params: &'a [TypeParam],
    pub(super) signature: Option<&'a Signature>,
    pub(super) extra_class: &'a str,
}

impl Renderer<'_> {
    /// A `<pre>` signature block, on one line or one parameter per line when long.
    pub(super) fn signature(&mut self, line: &SignatureLine<'_>, returns: Option<&str>) {
        let type_params = format_type_params(line.type_params);
        let mut plain = String::new();
        for decorator in line.decorators {
            let _ = writeln!(plain, "@{decorator}");
        }
        let _ = write!(plain, "{} {}{type_params}", line.keyword, line.name);
        if let Some(signature) = line.signature {
            plain.push_str(&signature.format_params());
        }
        if let Some(returns) = returns {
            let _ = write!(plain, " -> {returns}");
        }
        let last_line_chars = plain.rsplit('\n').next().unwrap_or("").chars().count();
        let wrap = last_line_chars > SIGNATURE_WRAP_CHARS
            && line
                .signature
                .is_some_and(|signature| !signature.params.is_empty());

        let _ = write!(
            self.html,
            "<pre class=\"autodoc-signature{}\"><code>",
            line.extra_class
        );
        for decorator in line.decorators {
            let _ = writeln!(
                self.html,
                "<span class=\"autodoc-decorator\">@{}</span>",
                escape(decorator)
            );
        }
        let _ = write!(
            self.html,
            "<span class=\"autodoc-keyword\">{}</span> <span class=\"autodoc-name\">{}</span>",
            line.keyword,
            escape(line.name)
        );
        if !type_params.is_empty() {
            let _ = write!(
                self.html,
                "<span class=\"autodoc-type-params\">{}</span>",
                escape(&type_params)
            );
        }
        if let Some(signature) = line.signature {
            self.html.push('(');
            for (index, part) in signature.parts().enumerate() {
                if wrap {
                    self.html.push_str("\n    ");
                } else if index > 0 {
                    self.html.push_str(", ");
                }
                self.param(part);
                if wrap {
                    self.html.push(',');
                }
            }
            if wrap {
                self.html.push('\n');
            }
            self.html.push(')');
        }
        if let Some(returns) = returns {
            let _ = write!(
                self.html,
                " -&gt; <span class=\"autodoc-return\">{}</span>",
                self.type_html(returns)
            );
        }
        self.html.push_str("</code></pre>\n");
        self.plain.push(plain);
    }

    fn param(&mut self, part: SignaturePart<'_>) {
        let param = match part {
            SignaturePart::Param(param) => param,
            SignaturePart::PositionalOnlyMarker | SignaturePart::KeywordOnlyMarker => {
                let _ = write!(
                    self.html,
                    "<span class=\"autodoc-param autodoc-param-marker\">{part}</span>"
                );
                return;
            }
        };
        let _ = write!(
            self.html,
            "<span class=\"autodoc-param\">{}<span class=\"autodoc-param-name\">{}</span>",
            param.stars(),
            escape(&param.name)
        );
        if let Some(annotation) = &param.annotation {
            let _ = write!(
                self.html,
                ": <span class=\"autodoc-annotation\">{}</span>",
                self.type_html(annotation)
            );
        }
        if let Some(default) = &param.default {
            let equals = if param.annotation.is_some() {
                " = "
            } else {
                "="
            };
            let _ = write!(
                self.html,
                "{equals}<span class=\"autodoc-default\">{}</span>",
                escape(default)
            );
        }
        self.html.push_str("</span>");
    }
}
