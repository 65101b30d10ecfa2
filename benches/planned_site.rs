//! A `gen-site` site loaded and planned exactly as `ssg-coord build` does it
//! (`Site::load`, `BuildPlan::new`), for the coordinator benches that need real `PageData`,
//! nav slices, batches and shard results rather than hand-made ones.
//!
//! Included with `#[path = "planned_site.rs"] mod planned_site;` by each bench file (every
//! bench is its own crate), which is why each item is used by only some of them.
#![allow(dead_code)]

use coordinator::discover::Site;
use coordinator::plan::{BuildPlan, Dispatcher, PlanOptions};
use protocol::{PageBody, PageData, PageKind, ReferenceBody, RenderPurpose, WorkerSetup};
use std::path::Path;

/// A generated site, its discovery and its plan. The temporary folder lives as long as this.
pub struct PlannedSite {
    /// The site folder (deleted on drop).
    pub dir: tempfile::TempDir,
    /// What discovery found.
    pub site: Site,
    /// The plan.
    pub plan: BuildPlan,
}

impl PlannedSite {
    /// Generates the `preset` site into a temporary folder, loads and plans it.
    pub fn new(preset: gen_site::Preset) -> PlannedSite {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        gen_site::generate(&preset.spec(), dir.path()).expect("gen-site writes the site");
        let site = Site::load(dir.path(), false, &coordinator::discover::NothingKnown)
            .expect("a generated site loads");
        let plan = BuildPlan::new(&site, PlanOptions::default());
        PlannedSite { dir, site, plan }
    }

    /// The setup message a worker writing into `out_dir` receives, as `ops::build` makes it.
    pub fn setup(&self, out_dir: &Path) -> WorkerSetup {
        WorkerSetup {
            worker_id: 0,
            site_root: self.site.root.display().to_string(),
            output_dir: out_dir.display().to_string(),
            purpose: RenderPurpose::Outputs,
            site: self.plan.site.clone(),
            nav: self.plan.nav.clone(),
            templates: self.site.templates.clone(),
            api: std::sync::Arc::new(
                coordinator::xref::site_inventory(
                    &self.site,
                    &self.plan,
                    None,
                    &coordinator::xref::KnownSymbols::none(0),
                    false,
                )
                .0,
            ),
        }
    }

    /// A fresh output folder, on a tmpfs (`/dev/shm`) when there is one.
    ///
    /// On ext4, creating files right after deleting many (what `fresh` iterations do) makes
    /// the inode allocator skip the recently deleted ones (`find_inode_bit` →
    /// `recently_deleted` in the kernel), which made page renders 2-5x slower and erratic on
    /// the machine these benches were written on: a measure of the file system's history,
    /// not of rendering.
    pub fn output_dir() -> tempfile::TempDir {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        };
        dir.expect("create an output folder")
    }

    /// `PageData` of plan page `index`, as the executors dispatch it (body read from disk).
    pub fn page_data(&self, index: usize) -> PageData {
        Dispatcher::new(&self.plan).page_data(index)
    }

    /// Plan index of the first page that `wanted` accepts, in plan order.
    pub fn find(&self, what: &str, wanted: impl Fn(&PageData) -> bool) -> usize {
        (0..self.plan.pages.len())
            .find(|&index| wanted(&self.page_data(index)))
            .unwrap_or_else(|| panic!("the generated site has no {what}"))
    }

    /// Plan indexes of a representative page of each kind the theme renders differently:
    /// (label, plan index). The module page is the first non-package module (all modules of
    /// the synthetic package have the same shape), the listings are the first of their kind that lists pages.
    pub fn representative_pages(&self) -> Vec<(&'static str, usize)> {
        let mut pages = vec![
            (
                "content_page",
                self.find("content page", |p| {
                    p.kind == PageKind::Content && p.template == "page.html"
                }),
            ),
            (
                "section_listing",
                self.find("section listing with entries", |p| {
                    p.template == "section.html"
                        && p.listing.as_ref().is_some_and(|l| !l.entries.is_empty())
                }),
            ),
            (
                "taxonomy_term",
                self.find("taxonomy term page", |p| p.template == "taxonomy_term.html"),
            ),
        ];
        if !self.site.modules.is_empty() {
            pages.push((
                "autodoc_module",
                self.find("module page", |p| {
                    matches!(
                        p.body,
                        PageBody::Reference(ReferenceBody::Python {
                            is_package: false,
                            ..
                        })
                    )
                }),
            ));
        }
        pages
    }
}
