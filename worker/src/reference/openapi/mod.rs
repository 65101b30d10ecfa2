//! OpenAPI 3.0 and 3.1 descriptions, JSON or YAML, over one or several files: read
//! (`load.rs`, into the compact trees of `node.rs`), listed as pages (`model.rs`: tags,
//! operations, component schemas, unique URLs), and rendered (`render.rs`, schema tables
//! in `schema.rs`). `$ref`s are followed where they are shown, never copied, so a
//! circular schema costs nothing and memory stays close to the size of the files.

mod load;
mod model;
mod node;
mod render;
mod schema;

#[cfg(test)]
mod tests;

pub use load::SpecSource;
pub use model::{PageKey, PageKind, Spec, SpecVersion, load_spec};

use super::ReferencePage;

impl Spec {
    /// Renders the page `key` (from [`Spec::pages`]). `base_url` is the source's `url`
    /// (`/api/rest/`), prefixed to every link to another page of the description;
    /// `markdown` renders the description's CommonMark fields (its output is trusted
    /// HTML). `None` when `key` is not a page of this description.
    pub fn render_page(
        &self,
        key: &PageKey,
        base_url: &str,
        markdown: &dyn Fn(&str) -> String,
    ) -> Option<ReferencePage> {
        render::render_page(self, key, base_url, markdown)
    }
}
