//! Turning a planned page into the [`PageData`] a worker renders. Sources are not read
//! here: a page names its file (with the body's offset and the file's hash) and the worker
//! reads it, so the coordinator never holds or copies the site's sources, and reading is
//! spread over the workers.

use super::{BuildPlan, Origin};
use crate::discover::Site;
use protocol::{NavLink, PageBody, PageData, PageError};

/// The worker's view of plan page `index`.
pub fn page_data(plan: &BuildPlan, site: &Site, index: usize) -> Result<PageData, PageError> {
    let page = &plan.pages[index];
    let (source_path, body) = match &page.origin {
        Origin::Content(i) => {
            let source = &site.pages[*i];
            (
                Some(source.rel_path.clone()),
                PageBody::MarkdownFile {
                    path: source.rel_path.clone(),
                    offset: source.body_offset as u64,
                    first_line: source.body_first_line,
                    hash: source.hash,
                },
            )
        }
        Origin::Module(i) => {
            let module = &site.modules[*i];
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
                    source_url: module.source_url(package),
                },
            )
        }
        Origin::Listing | Origin::NotFound => (None, PageBody::Empty),
        Origin::Redirect { to } => (None, PageBody::Redirect { to: to.clone() }),
    };
    Ok(PageData {
        id: page.id.clone(),
        kind: page.kind,
        url: page.url.clone(),
        source_path,
        template: page.template.clone(),
        meta: page.meta.clone(),
        body,
        listing: page.listing.clone(),
        nav: page.nav,
    })
}

/// Direct submodules and subpackages of a package section, in name order.
pub(super) fn submodules(plan: &BuildPlan, section: protocol::NavSectionIdx) -> Vec<NavLink> {
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
