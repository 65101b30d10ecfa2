//! What a part was planned from: [`PlanStamp`], recorded in every part's manifest and
//! computed again by the merge from its own site, so a part planned from other sources
//! (another commit, an edited page, another ssg-coord, other options) is named and refused
//! rather than merged into a site it does not belong to.
//!
//! The stamp holds every planned page's fingerprint (`plan::fingerprint`: the binary,
//! `ssg.toml`, the page's source and data, its templates, and the nav tree with the page's
//! place in it, which make its nav slice), so it names the
//! pages that differ; it holds no path of the machine, so copies of the site in different
//! folders (different CI machines) agree.

use crate::discover::Site;
use crate::ops::build::BuildOptions;
use crate::parallel::par_map;
use crate::plan::BuildPlan;
use crate::plan::fingerprint::{FingerprintBase, nav_tree_hash, page_fingerprint};
use protocol::{ApiInventory, PageId};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// The build options that change the plan: a part and its merge must agree on them (the
/// merge plans the site with the options part 1 recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSettings {
    /// `--drafts`.
    pub drafts: bool,
    /// `--no-shard` (one plan shard).
    pub one_shard: bool,
    /// `--shard-autodoc`.
    pub by_kind: bool,
    /// `--shard-versions`.
    pub by_version: bool,
    /// `--shard-sections`.
    pub by_section: bool,
}

impl PlanSettings {
    /// The settings `options` plan with.
    pub fn of(options: &BuildOptions) -> PlanSettings {
        PlanSettings {
            drafts: options.drafts,
            one_shard: options.shards.one_shard,
            by_kind: options.shards.by_kind,
            by_version: options.shards.by_version,
            by_section: options.shards.by_section,
        }
    }

    /// Applies them to `options`.
    pub fn apply(&self, options: &mut BuildOptions) {
        options.drafts = self.drafts;
        options.shards.one_shard = self.one_shard;
        options.shards.by_kind = self.by_kind;
        options.shards.by_version = self.by_version;
        options.shards.by_section = self.by_section;
    }

    /// The flags, as a user would type them.
    fn flags(&self) -> String {
        let flags: Vec<&str> = [
            (self.drafts, "--drafts"),
            (self.one_shard, "--no-shard"),
            (self.by_kind, "--shard-autodoc"),
            (self.by_version, "--shard-versions"),
            (self.by_section, "--shard-sections"),
        ]
        .into_iter()
        .filter_map(|(on, flag)| on.then_some(flag))
        .collect();
        if flags.is_empty() {
            "no planning flags".to_string()
        } else {
            flags.join(" ")
        }
    }
}

/// What a plan was made from. See the module docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanStamp {
    /// `plan::fingerprint::binary_identity` of the ssg-coord that planned.
    pub binary: u128,
    /// The options that change the plan.
    pub settings: PlanSettings,
    /// Hash of the configuration file's bytes and the site settings workers get.
    pub config: u128,
    /// Every planned page's id and fingerprint, in plan order.
    pub pages: Vec<(PageId, u128)>,
    /// Pages that could not be planned (their errors are in every part's report).
    pub unplanned: Vec<PageId>,
}

impl PlanStamp {
    /// The stamp of `plan`, made from `site` with `settings` by the binary `binary`.
    pub fn of(site: &Site, plan: &BuildPlan, settings: PlanSettings, binary: u128) -> PlanStamp {
        let config_bytes = crate::config::Config::source_file(&site.root)
            .and_then(|file| std::fs::read(file).ok())
            .unwrap_or_default();
        let base = FingerprintBase::new(binary, &config_bytes, plan, &site.templates);
        // The whole nav tree's hash with the page's place in it stands for the page's nav
        // slice (which the tree and the place make): as strict, and hashed once rather than
        // a slice per page.
        let nav_tree = nav_tree_hash(plan);
        let fingerprints = par_map(
            plan.pages.len(),
            |index| {
                let mut nav = Xxh3::new();
                nav.update(&nav_tree.to_le_bytes());
                nav.update(&postcard::to_stdvec(&plan.pages[index].nav).unwrap_or_default());
                page_fingerprint(&base, plan, index, nav.digest128())
            },
            // A page whose fingerprint could not be computed matches no other.
            |_| 0,
        );
        let mut config = Xxh3::new();
        config.update(&config_bytes);
        config.update(&postcard::to_stdvec(&plan.site).unwrap_or_default());
        PlanStamp {
            binary,
            settings,
            config: config.digest128(),
            pages: plan
                .pages
                .iter()
                .zip(fingerprints)
                .map(|(page, fingerprint)| (page.id.clone(), fingerprint))
                .collect(),
            unplanned: site
                .failures
                .iter()
                .chain(&plan.failures)
                .map(|failure| failure.id.clone())
                .collect(),
        }
    }

    /// Every page's fingerprint, in plan order.
    pub fn fingerprints(&self) -> Vec<u128> {
        self.pages
            .iter()
            .map(|(_, fingerprint)| *fingerprint)
            .collect()
    }

    /// How `other` (`other_name`: "part 2", "SITE") differs from `self`, in a few words
    /// naming what to look at; `None` when they are the same plan.
    pub fn difference(&self, other: &PlanStamp, other_name: &str) -> Option<String> {
        if self == other {
            return None;
        }
        if self.binary != other.binary {
            return Some(format!(
                "{other_name} was planned by another ssg-coord binary (build every part and \
                 the merge with the same one)"
            ));
        }
        if self.settings != other.settings {
            return Some(format!(
                "{other_name} was planned with {}, this one with {}",
                other.settings.flags(),
                self.settings.flags()
            ));
        }
        if self.config != other.config {
            return Some(format!(
                "the configuration (ssg.toml) of {other_name} differs"
            ));
        }
        let mut differences = page_differences(&self.pages, &other.pages, other_name);
        if self.unplanned != other.unplanned {
            differences.push(format!(
                "the pages that could not be planned differ ({} here, {} in {other_name})",
                self.unplanned.len(),
                other.unplanned.len()
            ));
        }
        if differences.is_empty() {
            differences.push("the pages are planned in another order".to_string());
        }
        let total = differences.len();
        differences.truncate(SHOWN_DIFFERENCES);
        let mut text = differences.join("; ");
        if total > SHOWN_DIFFERENCES {
            text.push_str(&format!(" (and {} more)", total - SHOWN_DIFFERENCES));
        }
        Some(text)
    }
}

/// How many differing pages a message names.
const SHOWN_DIFFERENCES: usize = 3;

/// The pages that differ between two plans, in plan order: changed, only on one side.
fn page_differences(
    ours: &[(PageId, u128)],
    theirs: &[(PageId, u128)],
    other: &str,
) -> Vec<String> {
    let their_pages: FxHashMap<&PageId, u128> = theirs.iter().map(|(id, f)| (id, *f)).collect();
    let our_pages: FxHashMap<&PageId, u128> = ours.iter().map(|(id, f)| (id, *f)).collect();
    let mut differences = Vec::new();
    for (id, fingerprint) in ours {
        match their_pages.get(id) {
            Some(theirs) if theirs != fingerprint => {
                differences.push(format!("{id} differs"));
            }
            Some(_) => {}
            None => differences.push(format!("{id} is not in {other}")),
        }
    }
    for (id, _) in theirs {
        if !our_pages.contains_key(id) {
            differences.push(format!("{id} is only in {other}"));
        }
    }
    differences
}

/// Hash of an API inventory (parts must agree on it: it decides cross-reference links).
pub fn inventory_hash(inventory: &ApiInventory) -> u128 {
    xxhash_rust::xxh3::xxh3_128(&postcard::to_stdvec(inventory).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(pages: &[(&str, u128)]) -> PlanStamp {
        PlanStamp {
            binary: 1,
            settings: PlanSettings {
                drafts: false,
                one_shard: false,
                by_kind: false,
                by_version: false,
                by_section: false,
            },
            config: 2,
            pages: pages
                .iter()
                .map(|(id, f)| (PageId((*id).to_string()), *f))
                .collect(),
            unplanned: Vec::new(),
        }
    }

    #[test]
    fn differences_name_the_pages() {
        let a = stamp(&[
            ("content/a.md", 1),
            ("content/b.md", 2),
            ("content/c.md", 3),
        ]);
        assert_eq!(a.difference(&a.clone(), "part 2"), None);
        let b = stamp(&[
            ("content/a.md", 1),
            ("content/b.md", 9),
            ("content/d.md", 4),
        ]);
        assert_eq!(
            a.difference(&b, "part 2").expect("differs"),
            "content/b.md differs; content/c.md is not in part 2; content/d.md is only in part 2"
        );
        let mut other_binary = a.clone();
        other_binary.binary = 7;
        assert!(
            a.difference(&other_binary, "SITE")
                .expect("differs")
                .contains("binary")
        );
        let mut drafts = a.clone();
        drafts.settings.drafts = true;
        assert_eq!(
            a.difference(&drafts, "part 3").expect("differs"),
            "part 3 was planned with --drafts, this one with no planning flags"
        );
        let many: Vec<(String, u128)> = (0..6).map(|i| (format!("p{i}"), i)).collect();
        let many: Vec<(&str, u128)> = many.iter().map(|(id, f)| (id.as_str(), *f)).collect();
        let changed: Vec<(&str, u128)> = many.iter().map(|(id, f)| (*id, f + 10)).collect();
        let text = stamp(&many)
            .difference(&stamp(&changed), "part 2")
            .expect("differs");
        assert!(text.ends_with("(and 3 more)"), "{text}");
    }
}
