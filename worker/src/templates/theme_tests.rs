//! Tests of the built-in theme: every template rendered with a representative context built
//! from the `context` structs (so a field renamed there breaks these tests), key elements
//! asserted, two pages snapshotted. Long because each context is spelled out field by field.

use super::Templates;
use super::context::{
    EntryView, LinkView, ListingView, NavView, PageContext, PageView, PaginatorView, SidebarView,
    SiteView, TermLink, VersionView,
};
use minijinja::Value;
use protocol::{Heading, VersionInfo};

fn site<'a>(taxonomies: &'a [String], versions: &'a [VersionInfo]) -> SiteView<'a> {
    SiteView {
        title: "Acme Docs",
        base_url: "https://example.com/docs/",
        base_path: "/docs",
        description: Some("Documentation for Acme & friends"),
        language: "en",
        generator: "ssg-coord 0.1.0",
        taxonomies,
        versions,
        search_index: Some("/docs/search/manifest.json".into()),
        extra: Value::default(),
    }
}

fn page<'a>(title: &'a str, url: &str, template: &'a str, headings: &'a [Heading]) -> PageView<'a> {
    PageView {
        id: "content/guide/install.md",
        kind: "content",
        template,
        url: format!("/docs{url}"),
        permalink: format!("https://example.com/docs{url}"),
        title,
        description: None,
        date: None,
        tags: Vec::new(),
        categories: Vec::new(),
        params: Value::from(()),
        toc: true,
        content: Value::from_safe_string(String::new()),
        headings,
        word_count: 0,
        reading_minutes: 1,
        source_path: None,
        has_leading_h1: false,
        redirect_to: None,
        version: None,
    }
}

fn link(title: &str, url: &str) -> LinkView {
    LinkView {
        title: title.into(),
        url: url.into(),
    }
}

fn term(name: &str, taxonomy: &str) -> TermLink {
    TermLink {
        name: name.into(),
        url: format!("/docs{}", protocol::slug::taxonomy_term_url(taxonomy, name)),
    }
}

fn sidebar_item(
    title: &str,
    url: &str,
    depth: u16,
    kind: &'static str,
    active: bool,
    open: bool,
) -> SidebarView {
    SidebarView {
        title: title.into(),
        url: url.into(),
        depth,
        kind,
        hidden: 0,
        active,
        open,
    }
}

fn nav() -> NavView {
    NavView {
        breadcrumbs: vec![link("Acme Docs", "/docs/"), link("Guide", "/docs/guide/")],
        sidebar: vec![
            sidebar_item("Guide", "/docs/guide/", 0, "section", false, true),
            sidebar_item(
                "Advanced",
                "/docs/guide/advanced/",
                1,
                "section",
                false,
                false,
            ),
            sidebar_item("Overview", "/docs/guide/overview/", 1, "page", false, false),
            sidebar_item(
                "Installing the CLI",
                "/docs/guide/install/",
                1,
                "page",
                true,
                false,
            ),
            SidebarView {
                hidden: 12,
                ..sidebar_item("12 more", "/docs/guide/", 1, "more", false, false)
            },
            sidebar_item("Reference", "/docs/reference/", 0, "section", false, false),
        ],
        prev: Some(link("Overview", "/docs/guide/overview/")),
        next: Some(link("Configuration", "/docs/guide/config/")),
        versions: vec![
            VersionView {
                label: "2.x".into(),
                url: "/docs/guide/install/".into(),
                current: true,
                exact: true,
            },
            VersionView {
                label: "1.x".into(),
                url: "/docs/v1/".into(),
                current: false,
                exact: false,
            },
        ],
    }
}

fn entry(
    title: &str,
    url: &str,
    date: Option<&str>,
    tags: Vec<TermLink>,
    count: Option<u32>,
) -> EntryView {
    EntryView {
        title: title.into(),
        url: url.into(),
        description: Some(format!("All about {title}.")),
        date: date.map(str::to_owned),
        tags,
        count,
    }
}

fn to_value(ctx: &PageContext<'_>) -> Value {
    Value::from(minijinja::value::Serde(ctx))
}

/// A content page with headings (levels 1 to 4), tags, categories, a date and
/// `{{`/`{%` in its text.
pub(super) fn content_page_context() -> Value {
    let taxonomies = vec!["tags".to_owned(), "categories".to_owned()];
    let headings = vec![
        Heading {
            level: 2,
            text: "Requirements".into(),
            id: "requirements".into(),
        },
        Heading {
            level: 3,
            text: "On Linux".into(),
            id: "on-linux".into(),
        },
        Heading {
            level: 4,
            text: "Too deep".into(),
            id: "too-deep".into(),
        },
        Heading {
            level: 2,
            text: "Run the installer".into(),
            id: "run-the-installer".into(),
        },
    ];
    let mut page = page(
        "Installing the CLI",
        "/guide/install/",
        "page.html",
        &headings,
    );
    page.description = Some("How to install <acme>");
    page.date = Some("2024-03-05T10:00:00Z");
    page.reading_minutes = 3;
    page.tags = vec![term("CLI", "tags"), term("Getting Started", "tags")];
    page.categories = vec![term("Tutorials", "categories")];
    page.content = Value::from_safe_string(
        "<h2 id=\"requirements\"><a href=\"#requirements\" class=\"anchor\" aria-hidden=\"true\"></a>Requirements</h2>\n\
         <p>Use <code>{{ domxref(\"Window\") }}</code> and {% raw %} as text.</p>\n\
         <h2 id=\"run-the-installer\">Run the installer</h2>\n"
            .into(),
    );
    let ctx = PageContext {
        site: site(&taxonomies, &[]),
        page,
        nav: nav(),
        listing: None,
    };
    to_value(&ctx)
}

fn render(name: &str, ctx: &Value) -> String {
    match Templates::new(&[]).render(name, ctx) {
        Ok(html) => html,
        Err(error) => panic!("{name}: {error}"),
    }
}

/// Asserts that `html` contains every one of `parts`.
fn check(html: &str, parts: &[&str]) {
    for part in parts {
        assert!(html.contains(part), "missing {part:?} in:\n{html}");
    }
}

const LAYOUT: &[&str] = &[
    "<!doctype html>",
    "<html lang=\"en\">",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    "<meta name=\"generator\" content=\"ssg-coord 0.1.0\">",
    "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Acme Docs\" href=\"/docs/rss.xml\">",
    "<link rel=\"stylesheet\" href=\"/docs/assets/style.css\">\n<link rel=\"stylesheet\" href=\"/docs/assets/highlight.css\">\n<link rel=\"stylesheet\" href=\"/docs/assets/autodoc.css\">",
    "<a class=\"skip-link\" href=\"#main\">Skip to content</a>",
    "<main id=\"main\"",
    "<nav id=\"sidebar\" class=\"sidebar\" aria-label=\"Site\">",
    "<button class=\"menu-button\" type=\"button\" aria-controls=\"sidebar\" aria-expanded=\"false\">",
    "<button class=\"theme-toggle\"",
    "localStorage.getItem(\"ssg-theme\")",
    "data-search-index=\"/docs/search/manifest.json\" data-base-path=\"/docs\"",
    "<script src=\"/docs/assets/search.js\" defer></script>",
    "<script src=\"/docs/assets/theme.js\" defer></script>",
    "<footer class=\"site-footer\">",
];

#[test]
fn content_page_has_layout_navigation_toc_and_terms() {
    let html = render("page.html", &content_page_context());
    check(&html, LAYOUT);
    check(
        &html,
        &[
            "<title>Installing the CLI – Acme Docs</title>",
            "<meta name=\"description\" content=\"How to install &lt;acme&gt;\">",
            "<link rel=\"canonical\" href=\"https://example.com/docs/guide/install/\">",
            "<h1>Installing the CLI</h1>",
            "<time datetime=\"2024-03-05T10:00:00Z\">Mar 05, 2024</time> · 3 min read",
            // Sidebar: nested list, active entry.
            "<a href=\"/docs/guide/install/\" aria-current=\"page\">Installing the CLI</a>",
            "<li class=\"nav-section is-open\">",
            "<a class=\"nav-more\" href=\"/docs/guide/\">12 more</a>",
            // Breadcrumbs.
            "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">",
            "<li><a href=\"/docs/guide/\">Guide</a></li>",
            "<li><span aria-current=\"page\">Installing the CLI</span></li>",
            // TOC: levels 2 and 3 only.
            "<p id=\"toc-title\" class=\"toc-title\">On this page</p>",
            "<li class=\"toc-level-2\"><a href=\"#requirements\">Requirements</a></li>",
            "<li class=\"toc-level-3\"><a href=\"#on-linux\">On Linux</a></li>",
            "<li class=\"toc-level-2\"><a href=\"#run-the-installer\">Run the installer</a></li>",
            // Prev/next.
            "<a class=\"page-nav-prev\" rel=\"prev\" href=\"/docs/guide/overview/\">",
            "<a class=\"page-nav-next\" rel=\"next\" href=\"/docs/guide/config/\">",
            // Terms.
            "<a href=\"/docs/tags/cli/\" class=\"term\" rel=\"tag\">CLI</a>",
            "<a href=\"/docs/tags/getting-started/\" class=\"term\" rel=\"tag\">Getting Started</a>",
            "<a href=\"/docs/categories/tutorials/\" class=\"term\">Tutorials</a>",
            // Version switcher.
            "<details class=\"versions\">",
            "<a href=\"/docs/guide/install/\" aria-current=\"true\">2.x</a>",
            // Content is data: template syntax in it is output as is.
            "<code>{{ domxref(\"Window\") }}</code> and {% raw %} as text.",
        ],
    );
    assert!(
        !html.contains("Too deep</a>"),
        "level-4 headings stay out of the TOC"
    );
    assert_eq!(
        html.matches("aria-current=\"page\"").count(),
        2,
        "sidebar entry and breadcrumb"
    );
    insta::assert_snapshot!("content_page", html);
}

#[test]
fn sidebar_lists_are_balanced() {
    let html = render("page.html", &content_page_context());
    let start = html.find("<nav id=\"sidebar\"").unwrap_or(0);
    let end = start + html[start..].find("</nav>").unwrap_or(0);
    let sidebar = &html[start..end];
    let opened = sidebar.matches("<ul").count();
    assert_eq!(opened, 2, "{sidebar}");
    assert_eq!(sidebar.matches("</ul>").count(), opened, "{sidebar}");
    assert_eq!(
        sidebar.matches("<li").count(),
        sidebar.matches("</li>").count(),
        "{sidebar}"
    );
}

#[test]
fn toc_and_optional_parts_are_left_out_when_empty() {
    let taxonomies = Vec::new();
    let headings = vec![Heading {
        level: 2,
        text: "Only one".into(),
        id: "only-one".into(),
    }];
    let mut page = page("Bare", "/bare/", "page.html", &headings);
    page.has_leading_h1 = true;
    page.content = Value::from_safe_string("<h1>Bare</h1>".into());
    let mut site = site(&taxonomies, &[]);
    site.search_index = None;
    site.description = None;
    let nav = NavView {
        breadcrumbs: Vec::new(),
        sidebar: Vec::new(),
        prev: None,
        next: None,
        versions: Vec::new(),
    };
    let html = render(
        "page.html",
        &to_value(&PageContext {
            site,
            page,
            nav,
            listing: None,
        }),
    );
    for absent in [
        "class=\"toc\"",
        "<h1>Bare</h1>\n<h1>",
        "class=\"search\"",
        "search.js",
        "class=\"breadcrumbs\"",
        "class=\"page-nav\"",
        "class=\"versions\"",
        "class=\"page-terms\"",
        "name=\"description\"",
        "none",
    ] {
        assert!(!html.contains(absent), "unexpected {absent:?} in:\n{html}");
    }
    check(&html, &["<h1>Bare</h1>", "<title>Bare – Acme Docs</title>"]);
}

fn section_context() -> Value {
    let taxonomies = vec!["tags".to_owned()];
    let mut page = page("Guide", "/guide/", "section.html", &[]);
    page.kind = "generated";
    page.content = Value::from_safe_string("<p>Everything you need.</p>".into());
    let listing = ListingView {
        kind: "section",
        taxonomy: None,
        term: None,
        entries: vec![
            entry(
                "Overview",
                "/docs/guide/overview/",
                Some("2024-01-10"),
                vec![term("Intro", "tags")],
                None,
            ),
            entry(
                "Installing the CLI",
                "/docs/guide/install/",
                None,
                Vec::new(),
                None,
            ),
        ],
        subsections: vec![entry(
            "Advanced",
            "/docs/guide/advanced/",
            None,
            Vec::new(),
            None,
        )],
        paginator: Some(PaginatorView {
            current: 2,
            total_pages: 3,
            total_items: 25,
            first: "/docs/guide/".into(),
            last: "/docs/guide/page/3/".into(),
            prev: Some("/docs/guide/".into()),
            next: Some("/docs/guide/page/3/".into()),
        }),
    };
    let mut nav = nav();
    nav.breadcrumbs.truncate(1);
    to_value(&PageContext {
        site: site(&taxonomies, &[]),
        page,
        nav,
        listing: Some(listing),
    })
}

#[test]
fn section_lists_intro_subsections_entries_and_pages() {
    let html = render("section.html", &section_context());
    check(&html, LAYOUT);
    check(
        &html,
        &[
            "<h1>Guide</h1>\n<p>Everything you need.</p>",
            "<a class=\"card-title\" href=\"/docs/guide/advanced/\">Advanced</a>",
            "<h3 class=\"entry-title\"><a href=\"/docs/guide/overview/\">Overview</a></h3>",
            "<time datetime=\"2024-01-10\">Jan 10, 2024</time>",
            "<p class=\"entry-description\">All about Overview.</p>",
            "<a href=\"/docs/tags/intro/\" class=\"term\" rel=\"tag\">Intro</a>",
            "<nav class=\"pagination\" aria-label=\"Pagination\">",
            "<a href=\"/docs/guide/\" rel=\"first\">First</a>",
            "<a href=\"/docs/guide/\" rel=\"prev\">Previous</a>",
            "Page 2 of 3",
            "<a href=\"/docs/guide/page/3/\" rel=\"next\">Next</a>",
            "<a href=\"/docs/guide/page/3/\" rel=\"last\">Last</a>",
        ],
    );
    insta::assert_snapshot!("section_page", html);
}

#[test]
fn taxonomy_index_lists_terms_with_counts() {
    let taxonomies = vec!["tags".to_owned()];
    let mut page = page("Tags", "/tags/", "taxonomy_index.html", &[]);
    page.kind = "generated";
    let listing = ListingView {
        kind: "taxonomy_index",
        taxonomy: Some("tags".into()),
        term: None,
        entries: vec![
            entry("CLI", "/docs/tags/cli/", None, Vec::new(), Some(1)),
            entry("Rust", "/docs/tags/rust/", None, Vec::new(), Some(14)),
        ],
        subsections: Vec::new(),
        paginator: None,
    };
    let ctx = to_value(&PageContext {
        site: site(&taxonomies, &[]),
        page,
        nav: nav(),
        listing: Some(listing),
    });
    let html = render("taxonomy_index.html", &ctx);
    check(&html, LAYOUT);
    check(
        &html,
        &[
            "<h1>Tags</h1>",
            "<li><a href=\"/docs/tags/cli/\" class=\"term\">CLI</a> <span class=\"term-count\" aria-label=\"1 page\">1</span></li>",
            "<a href=\"/docs/tags/rust/\" class=\"term\">Rust</a> <span class=\"term-count\" aria-label=\"14 pages\">14</span>",
        ],
    );
}

#[test]
fn taxonomy_term_lists_pages_with_the_term() {
    let taxonomies = vec!["tags".to_owned()];
    let mut page = page("Tagged “Rust”", "/tags/rust/", "taxonomy_term.html", &[]);
    page.kind = "generated";
    let listing = ListingView {
        kind: "taxonomy_term",
        taxonomy: Some("tags".into()),
        term: Some("Rust".into()),
        entries: vec![entry(
            "Async",
            "/docs/guide/async/",
            Some("2023-11-02"),
            vec![term("Rust", "tags")],
            None,
        )],
        subsections: Vec::new(),
        paginator: Some(PaginatorView {
            current: 1,
            total_pages: 2,
            total_items: 11,
            first: "/docs/tags/rust/".into(),
            last: "/docs/tags/rust/page/2/".into(),
            prev: None,
            next: Some("/docs/tags/rust/page/2/".into()),
        }),
    };
    let ctx = to_value(&PageContext {
        site: site(&taxonomies, &[]),
        page,
        nav: nav(),
        listing: Some(listing),
    });
    let html = render("taxonomy_term.html", &ctx);
    check(&html, LAYOUT);
    check(
        &html,
        &[
            "<h1>Tagged “Rust”</h1>",
            "<p class=\"page-byline\">11 pages</p>",
            "<a href=\"/docs/guide/async/\">Async</a>",
            "<time datetime=\"2023-11-02\">Nov 02, 2023</time>",
            "<a href=\"/docs/tags/rust/page/2/\" rel=\"next\">Next</a>",
            "Page 1 of 2",
        ],
    );
    assert!(
        !html.contains("rel=\"prev\">Previous"),
        "no previous link on the first page"
    );
}

#[test]
fn autodoc_page_wraps_the_fragment() {
    let headings = vec![
        Heading {
            level: 2,
            text: "Classes".into(),
            id: "classes".into(),
        },
        Heading {
            level: 3,
            text: "Client".into(),
            id: "acme.Client".into(),
        },
    ];
    let mut page = page(
        "acme.client",
        "/api/acme/client/",
        "autodoc.html",
        &headings,
    );
    page.kind = "autodoc";
    page.content = Value::from_safe_string(
        "<section class=\"py-module\"><p>Client {{ x }}.</p></section>".into(),
    );
    let ctx = to_value(&PageContext {
        site: site(&[], &[]),
        page,
        nav: nav(),
        listing: None,
    });
    let html = render("autodoc.html", &ctx);
    check(&html, LAYOUT);
    check(
        &html,
        &[
            "<body class=\"kind-autodoc\">",
            "<h1><code>acme.client</code></h1>",
            "<div class=\"autodoc\">\n<section class=\"py-module\"><p>Client {{ x }}.</p></section>\n</div>",
            "<a href=\"#acme.Client\">Client</a>",
        ],
    );
}

#[test]
fn not_found_page_links_home() {
    let mut page = page("Page not found", "/404.html", "404.html", &[]);
    page.kind = "generated";
    let ctx = to_value(&PageContext {
        site: site(&[], &[]),
        page,
        nav: nav(),
        listing: None,
    });
    let html = render("404.html", &ctx);
    check(&html, LAYOUT);
    check(
        &html,
        &[
            "<h1>Page not found</h1>",
            "<a href=\"/docs/\">Go to the home page</a>",
        ],
    );
    assert!(!html.contains("class=\"breadcrumbs\""), "{html}");
}

#[test]
fn redirect_page_is_standalone() {
    let mut page = page("Old install", "/old-install/", "redirect.html", &[]);
    page.kind = "generated";
    page.redirect_to = Some("/docs/guide/install/".into());
    let ctx = to_value(&PageContext {
        site: site(&[], &[]),
        page,
        nav: nav(),
        listing: None,
    });
    let html = render("redirect.html", &ctx);
    check(
        &html,
        &[
            "<meta http-equiv=\"refresh\" content=\"0; url=/docs/guide/install/\">",
            "<link rel=\"canonical\" href=\"https://example.com/docs/guide/install/\">",
            "<a href=\"/docs/guide/install/\">",
            "<meta name=\"robots\" content=\"noindex\">",
        ],
    );
    assert!(
        !html.contains("stylesheet") && !html.contains("sidebar"),
        "no layout: {html}"
    );

    // A site at the domain root, and an external target.
    let mut page = self::page("Old", "/old/", "redirect.html", &[]);
    page.redirect_to = Some("/new/".into());
    let mut root_site = site(&[], &[]);
    root_site.base_url = "https://example.com/";
    root_site.base_path = "";
    let html = render(
        "redirect.html",
        &to_value(&PageContext {
            site: root_site,
            page,
            nav: nav(),
            listing: None,
        }),
    );
    check(
        &html,
        &["<link rel=\"canonical\" href=\"https://example.com/new/\">"],
    );
}

#[test]
fn every_builtin_template_parses() {
    let templates = Templates::new(&[]);
    for (name, _) in super::theme::BUILTIN_TEMPLATES {
        assert!(templates.exists(name), "{name}");
        if let Err(error) = templates.env.get_template(name) {
            panic!("{name}: {error}");
        }
    }
}

#[test]
fn assets_are_the_documented_files() {
    let paths: Vec<&str> = super::theme::assets()
        .iter()
        .map(|(path, _)| *path)
        .collect();
    assert_eq!(
        paths,
        [
            "assets/style.css",
            "assets/theme.js",
            "assets/search.js",
            "assets/search-worker.js"
        ]
    );
    let css = String::from_utf8_lossy(&super::theme::assets()[0].1).into_owned();
    for variable in [
        "--fg:",
        "--bg:",
        "--muted:",
        "--border:",
        "--code-bg:",
        "--accent:",
    ] {
        assert_eq!(
            css.matches(variable).count(),
            3,
            "{variable} in light, dark (media) and dark (toggle)"
        );
    }
}
