//! A page's render cut into its stages, for benchmarks that time one of them
//! (`benches/templates.rs`): the body, the template context, the template. Each stage is
//! the function [`render_one`](super::render_one) runs, so a benchmark cannot drift from
//! the pipeline it measures.

use super::{RenderContext, RenderedBody, nav_slice, render_body, views};
use crate::templates::TemplateError;
use protocol::{NavSlice, PageData, PageError};

/// One page with its body rendered and its nav slice computed, ready for the template.
pub struct PageStages<'a> {
    context: &'a RenderContext,
    page: &'a PageData,
    body: RenderedBody,
    slice: NavSlice,
}

impl RenderContext {
    /// Renders `page`'s body and computes its nav slice, as `render_one` does first.
    pub fn page_stages<'a>(&'a self, page: &'a PageData) -> Result<PageStages<'a>, PageError> {
        Ok(PageStages {
            context: self,
            page,
            body: render_body(self, page)?,
            slice: nav_slice(self, page),
        })
    }
}

impl PageStages<'_> {
    /// The template context (`views::page_context`) as the value the template receives.
    pub fn template_context(&self) -> minijinja::Value {
        let context = views::page_context(self.context, self.page, &self.body, &self.slice);
        minijinja::Value::from(minijinja::value::Serde(&context))
    }

    /// Renders the page's template with `value` (from [`Self::template_context`]).
    pub fn render_template(&self, value: &minijinja::Value) -> Result<String, TemplateError> {
        self.context.templates.render(&self.page.template, value)
    }

    /// Empties the sidebar, to measure what the sidebar costs.
    pub fn clear_sidebar(&mut self) {
        self.slice.sidebar.clear();
    }

    /// Entries in the page's sidebar.
    pub fn sidebar_entries(&self) -> usize {
        self.slice.sidebar.len()
    }

    /// Bytes of the rendered body.
    pub fn body_bytes(&self) -> usize {
        self.body.html.len()
    }
}
