//! The built-in theme, embedded in the binary: templates (`worker/theme/templates/`) and
//! static assets (`worker/theme/static/`).
//!
//! Embedding keeps one self-contained binary, and lets the coordinator fingerprint the theme
//! without reading files. `autodoc.css` and `highlight.css` are written by their own modules
//! and added to the output by the render pipeline.

use std::borrow::Cow;

/// Every built-in template as (name, source). Names are what pages and `{% include %}` use;
/// errors show them as `theme/<name>`.
pub(super) const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../theme/templates/base.html")),
    ("page.html", include_str!("../../theme/templates/page.html")),
    (
        "section.html",
        include_str!("../../theme/templates/section.html"),
    ),
    (
        "taxonomy_index.html",
        include_str!("../../theme/templates/taxonomy_index.html"),
    ),
    (
        "taxonomy_term.html",
        include_str!("../../theme/templates/taxonomy_term.html"),
    ),
    (
        "autodoc.html",
        include_str!("../../theme/templates/autodoc.html"),
    ),
    ("404.html", include_str!("../../theme/templates/404.html")),
    (
        "redirect.html",
        include_str!("../../theme/templates/redirect.html"),
    ),
    (
        "partials/breadcrumbs.html",
        include_str!("../../theme/templates/partials/breadcrumbs.html"),
    ),
    (
        "partials/entries.html",
        include_str!("../../theme/templates/partials/entries.html"),
    ),
    (
        "partials/page_nav.html",
        include_str!("../../theme/templates/partials/page_nav.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../theme/templates/partials/pagination.html"),
    ),
    (
        "partials/search.html",
        include_str!("../../theme/templates/partials/search.html"),
    ),
    (
        "partials/sidebar.html",
        include_str!("../../theme/templates/partials/sidebar.html"),
    ),
    (
        "partials/terms.html",
        include_str!("../../theme/templates/partials/terms.html"),
    ),
    (
        "partials/toc.html",
        include_str!("../../theme/templates/partials/toc.html"),
    ),
    (
        "partials/versions.html",
        include_str!("../../theme/templates/partials/versions.html"),
    ),
];

/// The theme's static files as (output path, bytes).
pub(super) fn assets() -> Vec<(&'static str, Cow<'static, [u8]>)> {
    vec![
        (
            "assets/style.css",
            Cow::Borrowed(include_bytes!("../../theme/static/style.css")),
        ),
        (
            "assets/theme.js",
            Cow::Borrowed(include_bytes!("../../theme/static/theme.js")),
        ),
        (
            "assets/search.js",
            Cow::Borrowed(include_bytes!("../../theme/static/search.js")),
        ),
        (
            "assets/search-worker.js",
            Cow::Borrowed(include_bytes!("../../theme/static/search-worker.js")),
        ),
    ]
}
