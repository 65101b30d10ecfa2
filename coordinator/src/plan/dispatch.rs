//! Turning a planned page into the [`PageData`] a worker renders. Markdown bodies are read
//! from disk here, at dispatch, so the coordinator never holds the site's sources in memory.

use super::{BuildPlan, Origin};
use crate::discover::{Site, read_body};
use protocol::{NavLink, PageBody, PageData, PageError};

/// The worker's view of plan page `index`.
pub fn page_data(plan: &BuildPlan, site: &Site, index: usize) -> Result<PageData, PageError> {
    build(plan, site, index, true).map(|(data, _)| data)
}

/// Plan page `index` as [`page_data`] gives it, but without reading the markdown body (its
/// text is left empty), and the hash of its source file: what a fingerprint needs.
pub fn page_shell(plan: &BuildPlan, site: &Site, index: usize) -> (PageData, u128) {
    match build(plan, site, index, false) {
        Ok(shell) => shell,
        // Unreachable: nothing is read from disk without the body.
        Err(_) => unreachable!("page_shell reads nothing"),
    }
}

fn build(
    plan: &BuildPlan,
    site: &Site,
    index: usize,
    with_body: bool,
) -> Result<(PageData, u128), PageError> {
    let page = &plan.pages[index];
    let mut source_hash = 0;
    let (source_path, body) = match &page.origin {
        Origin::Content(i) => {
            let source = &site.pages[*i];
            source_hash = source.hash;
            let (text, first_line) = if with_body {
                read_body(&site.root, source)?
            } else {
                (String::new(), source.body_first_line)
            };
            (
                Some(source.rel_path.clone()),
                PageBody::Markdown { text, first_line },
            )
        }
        Origin::Module(i) => {
            let module = &site.modules[*i];
            source_hash = module.hash;
            let package = &site.config.autodoc_python[module.package];
            (
                Some(module.rel_path.clone()),
                PageBody::Python {
                    file: module.rel_path.clone(),
                    module: module.name.clone(),
                    is_package: module.is_package,
                    submodules: if module.is_package {
                        submodules(plan, page.nav.section)
                    } else {
                        Vec::new()
                    },
                    include_private: package.include_private,
                },
            )
        }
        Origin::Listing | Origin::NotFound => (None, PageBody::Empty),
        Origin::Redirect { to } => (None, PageBody::Redirect { to: to.clone() }),
    };
    let data = PageData {
        id: page.id.clone(),
        kind: page.kind,
        url: page.url.clone(),
        source_path,
        template: page.template.clone(),
        meta: page.meta.clone(),
        body,
        listing: page.listing.clone(),
        nav: page.nav,
    };
    Ok((data, source_hash))
}

/// Direct submodules and subpackages of a package section, in name order.
fn submodules(plan: &BuildPlan, section: protocol::NavSectionIdx) -> Vec<NavLink> {
    let tree = &plan.nav;
    let section = tree.section(section);
    let mut links: Vec<NavLink> = section
        .subsections
        .iter()
        .map(|&s| NavLink {
            title: tree.section(s).title.clone(),
            url: tree.section(s).url.clone(),
        })
        .chain(section.pages.iter().map(|&p| NavLink {
            title: tree.page(p).title.clone(),
            url: tree.page(p).url.clone(),
        }))
        .collect();
    links.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.url.cmp(&b.url)));
    links
}
