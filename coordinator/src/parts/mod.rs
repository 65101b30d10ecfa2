//! Parts of a distributed build: `ssg-coord build SITE --shard K/N --emit DIR` renders
//! part K of N on one machine, `ssg-coord merge SITE DIR... --out OUT` puts the N parts
//! together into the site a one-machine build writes, byte for byte.
//!
//! - [`assign`]: which part renders each page ([`PartOf`], `assign_parts`): cost-balanced,
//!   from the plan alone, so every machine agrees without talking.
//! - [`stamp`]: what a plan was made from ([`PlanStamp`]), compared across parts and with
//!   the merge's own plan, naming the pages that differ.
//! - [`manifest`]: a part's manifest ([`PartManifest`], `ssg-part.bin`): its pages' results
//!   as the merge consumes them.
//! - [`archive`]: part folders and `.tar.zst` archives ([`PartSource`]), and installing a
//!   part's files into the merged site.
//! - [`verify`]: parts 1..N present once each, planned alike, every page in one part.
//!
//! The orchestration is in `ops::build_part` and `ops::merge_parts`; the merge itself is
//! `merge::merge`, the one a one-machine build runs.

pub mod archive;
pub mod assign;
pub mod manifest;
pub mod stamp;
pub mod verify;

pub use archive::PartSource;
pub use assign::PartOf;
pub use manifest::PartManifest;
pub use stamp::PlanStamp;
