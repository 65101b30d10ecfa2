//! The contract between the ssg-coord coordinator and its workers.
//!
//! Everything that crosses a process boundary is defined here, and nothing else is:
//!
//! - [`ids`]: `PageId`, `ShardId`, `BatchId`, the stable names of pages, shards and batches.
//! - [`page`]: `PageData` (one page to render), `SiteMeta` (site-wide settings a worker may
//!   know) and the listing data of generated pages.
//! - [`nav`]: `NavTree`, the one global input to rendering, and `NavSlice`, the part of it a
//!   single page shows. Both sides compute slices with the same code, so the coordinator can
//!   fingerprint exactly what a worker will render.
//! - [`result`]: `ShardResult` and `PageResult`, what a worker sends back for a batch.
//! - [`messages`]: `ToWorker` / `FromWorker`, the handshake and the session.
//! - [`frame`]: u32 little-endian length prefix + postcard body, with a size limit.
//! - [`slug`]: URL slugs and taxonomy URLs, shared so both sides agree.
//! - [`url_decode`]: percent-decoding of URL paths, shared for the same reason.
//! - [`absolute_url`]: a site path under the base URL (permalinks, sitemap, feeds).
//! - [`content_hash`]: the hash of sources, included files and outputs.
//! - [`xref`]: the site's API object inventory, for cross-references.
//!
//! postcard is not self-describing: every type here is a plain struct or an externally tagged
//! enum (no `flatten`, no `untagged`), and arbitrary user data (front matter params) travels
//! as a JSON string.
//!
//! Bump [`PROTOCOL_VERSION`] on any change to a type in this crate.
#![deny(missing_docs)]

pub mod absolute_url;
pub mod content_hash;
pub mod frame;
pub mod ids;
pub mod messages;
pub mod nav;
pub mod page;
pub mod result;
pub mod slug;
pub mod url_decode;
pub mod xref;

#[cfg(test)]
mod fuzz_tests;

pub use absolute_url::absolute_url;
pub use content_hash::{content_hash, file_content_hash};
pub use frame::{
    FrameError, MAX_FRAME_BYTES, decode_frame, decode_streamed, read_body, read_frame,
    read_frame_len, streamed_frame_len, write_frame, write_frame_streamed,
};
pub use ids::{BatchId, PageId, PageKind, ShardId};
pub use messages::{
    Batch, FromWorker, Handshake, RenderPurpose, TemplateSource, ToWorker, WorkerSetup,
};
pub use nav::{
    NavLink, NavPage, NavPageIdx, NavPosition, NavSection, NavSectionIdx, NavSlice, NavTree,
    SidebarItem, SidebarItemKind, VersionLink,
};
pub use page::{
    Listing, ListingEntry, ListingKind, MarkdownDialect, OutputFormats, PageBody, PageData,
    PageMeta, Paginator, ReferenceBody, SiteMeta, VersionInfo,
};
pub use result::{
    Heading, LinkDep, OutgoingLink, OutputFile, PageError, PageErrorKind, PageResult, PageWarning,
    RenderedPage, SearchTerms, ShardResult, WarningKind,
};
pub use xref::{
    ApiInventory, ApiModule, ApiObject, Backlink, BacklinkPage, ClassBases, CompactString,
    ExternalObject, ObjectKind, object_anchor, push_object_anchor,
};

/// Version of the wire protocol. A worker whose version differs from the coordinator's is
/// refused at the handshake with a clear error rather than mis-decoding frames.
pub const PROTOCOL_VERSION: u32 = 20;
