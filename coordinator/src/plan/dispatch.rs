//! Turning a planned page into the [`PageData`] a worker renders, and the [`Dispatcher`]:
//! all the pool knows of the plan. Sources are not read here: a page names its file (with
//! the body's offset and the file's hash) and the worker reads it, so the coordinator never
//! holds or copies the site's sources, and reading is spread over the workers.

use super::{BuildPlan, PageSource, PlannedPage};
use protocol::{PageBody, PageData, PageId, ShardId};

/// What the pool sees of the plan, by plan index: each page's id, shard, cost and name,
/// and the `PageData` to send. Everything was decided at plan time; nothing here looks at
/// the site.
#[derive(Debug, Clone, Copy)]
pub struct Dispatcher<'p> {
    pages: &'p [PlannedPage],
    shards: &'p [ShardId],
}

impl<'p> Dispatcher<'p> {
    /// The dispatcher of `plan`.
    pub fn new(plan: &'p BuildPlan) -> Dispatcher<'p> {
        Dispatcher {
            pages: &plan.pages,
            shards: &plan.shards,
        }
    }

    /// The page's id.
    pub fn id(&self, index: usize) -> &'p PageId {
        &self.pages[index].id
    }

    /// The page's shard.
    pub fn shard(&self, index: usize) -> &'p ShardId {
        &self.shards[index]
    }

    /// The page's relative cost (expensive pages are scheduled first).
    pub fn cost(&self, index: usize) -> u64 {
        self.pages[index].cost()
    }

    /// How progress lines and errors name the page: its source file, else its id.
    pub fn name(&self, index: usize) -> &'p str {
        let page = &self.pages[index];
        page.source_path().unwrap_or(page.id.as_str())
    }

    /// The worker's view of the page.
    pub fn page_data(&self, index: usize) -> PageData {
        page_data(&self.pages[index])
    }
}

/// The worker's view of a planned page.
fn page_data(page: &PlannedPage) -> PageData {
    let body = match &page.source {
        PageSource::Markdown(source) => PageBody::MarkdownFile {
            path: source.rel_path.clone(),
            offset: source.body_offset,
            first_line: source.body_first_line,
            hash: source.hash,
        },
        PageSource::Reference(reference) => PageBody::Reference(reference.body.clone()),
        PageSource::Listing | PageSource::NotFound => PageBody::Empty,
        PageSource::Redirect { to } => PageBody::Redirect { to: to.clone() },
    };
    PageData {
        id: page.id.clone(),
        kind: page.kind,
        url: page.url.clone(),
        source_path: page.source_path().map(str::to_string),
        template: page.template.to_string(),
        meta: page.meta.clone(),
        body,
        listing: page.listing.clone(),
        nav: page.nav,
    }
}
