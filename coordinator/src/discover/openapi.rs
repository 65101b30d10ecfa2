//! Listing the pages of each `[[autodoc.openapi]]` description. Unlike Python modules,
//! whose pages follow from file paths, a description's pages (its tags, operations and
//! schemas) are known only once it is read, so it is loaded here, on a thread with a
//! worker's render stack, and only what the plan needs is kept: each page's URL, title,
//! nav parent and fingerprint. Workers load the description again to render its pages.

use super::Site;
use super::reference_read::read_on_render_stack;
use worker::reference::openapi::{PageKind, Spec, SpecSource, load_spec};

/// One description, listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiDescription {
    /// Index of its entry in `config.autodoc_openapi`.
    pub entry: usize,
    /// Its pages, in the description's order (the index is the page's number).
    pub pages: Vec<OpenApiPage>,
}

/// One page of a description, as the plan needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiPage {
    /// URL relative to the description's `url` (`""`, `operations/get-pet/`).
    pub url: String,
    /// Page title.
    pub title: String,
    /// Where it sits in the nav.
    pub nav: OpenApiNav,
    /// Hash of what the page shows: only pages whose operation or schemas changed
    /// re-render.
    pub fingerprint: u128,
}

/// Where a page of a description sits in the nav.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenApiNav {
    /// The overview: the description's section page.
    Overview,
    /// A tag: a subsection of the description, with the tag page as its index.
    Tag,
    /// An operation, in the section of its first tag (`Some(tag page URL, tag title)`), or
    /// of the description when it has none.
    Operation(Option<(String, String)>),
    /// A component schema, in the description's `Schemas` subsection.
    Schema,
}

/// Fills `site.openapi` from the configured descriptions. A description that cannot be
/// read becomes a site error naming its file and line; the rest of the site builds.
pub(super) fn discover(site: &mut Site) {
    for entry in 0..site.config.autodoc_openapi.len() {
        let config = &site.config.autodoc_openapi[entry];
        let path = site.root.join(&config.path);
        let allowed_root = site.root.join(config.refs_folder());
        let display = config.path.clone();
        let listed = read_on_render_stack(
            "openapi-load",
            &config.path,
            "OpenAPI description",
            move || {
                load_spec(&SpecSource {
                    path: &path,
                    display_path: &display,
                    allowed_root: &allowed_root,
                })
                .map(|spec| list(&spec, entry))
            },
        );
        match listed {
            Ok(description) => site.openapi.push(description),
            Err(diagnostic) => site.errors.push(diagnostic),
        }
    }
}

/// What the plan keeps of a loaded description.
fn list(spec: &Spec, entry: usize) -> OpenApiDescription {
    let keys = spec.pages();
    let tag_pages: Vec<(String, String)> = keys
        .iter()
        .filter(|key| matches!(key.kind, PageKind::Tag(_)))
        .map(|key| (key.url.clone(), key.title.clone()))
        .collect();
    let pages = keys
        .iter()
        .map(|key| OpenApiPage {
            url: key.url.clone(),
            title: key.title.clone(),
            nav: match key.kind {
                PageKind::Overview => OpenApiNav::Overview,
                PageKind::Tag(_) => OpenApiNav::Tag,
                PageKind::Operation(index) => OpenApiNav::Operation(
                    spec.operation_tags(index)
                        .first()
                        .and_then(|&tag| tag_pages.get(tag).cloned()),
                ),
                PageKind::Schema(_) => OpenApiNav::Schema,
            },
            fingerprint: u128::from(spec.page_fingerprint(key)),
        })
        .collect();
    OpenApiDescription { entry, pages }
}
