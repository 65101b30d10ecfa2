//! The conversation between the coordinator and one worker process.
//!
//! ```text
//! worker                              coordinator
//!   Hello(Handshake)          ──▶       checks protocol_version
//!                             ◀──       Setup(WorkerSetup)          once per worker
//!   Ready                     ──▶
//!                             ◀──       Batch(Batch)                repeatedly
//!   PageStarted (throttled)   ──▶       (progress; brackets the page if the worker dies)
//!   BatchDone(ShardResult)    ──▶
//!                             ◀──       Setup(WorkerSetup)          again for each new build of
//!   Ready                     ──▶                                   a persistent pool (dev server)
//!                             ◀──       Shutdown                    or the pipe closes
//! ```
//!
//! A worker exits when its stdin reaches end of file, so closing the pipe (including the
//! coordinator dying) always stops it.

use crate::ids::{BatchId, ShardId};
use crate::nav::NavTree;
use crate::page::{PageData, SiteMeta};
use crate::result::ShardResult;
use serde::{Deserialize, Serialize};

/// Messages the coordinator sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Everything global: first message of a worker, and again whenever a persistent pool
    /// starts another build.
    Setup(Box<WorkerSetup>),
    /// Pages to render.
    Batch(Batch),
    /// Finish and exit 0.
    Shutdown,
}

/// Messages a worker sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// First message of every worker.
    Hello(Handshake),
    /// Setup succeeded; the worker waits for batches.
    Ready,
    /// Setup failed (for example a user template does not parse); the worker exits.
    SetupFailed {
        /// What went wrong, naming the file and line.
        message: String,
    },
    /// The worker started rendering page `index` of `batch`. Sent for a batch's first page,
    /// then at most every few tens of milliseconds: if the worker dies, the page it died on
    /// is this one or one after it in the batch.
    PageStarted {
        /// The batch.
        batch: BatchId,
        /// Index of the page within the batch.
        index: u32,
    },
    /// A batch is finished.
    BatchDone(ShardResult),
}

/// Identifies a worker and the protocol it speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handshake {
    /// Must equal [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// The worker's process id.
    pub worker_pid: u32,
}

/// Everything global a worker needs, sent once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerSetup {
    /// The worker's number within the pool, for logs.
    pub worker_id: u32,
    /// Absolute path of the site root (Python sources are read relative to it).
    pub site_root: String,
    /// Absolute path of the output directory.
    pub output_dir: String,
    /// Site-wide settings.
    pub site: SiteMeta,
    /// The navigation tree.
    pub nav: NavTree,
    /// User templates that override or extend the built-in theme.
    pub templates: Vec<TemplateSource>,
    /// The site's API objects and the external ones, for cross-references (shared, so a
    /// pool's setups do not copy it).
    pub api: std::sync::Arc<crate::xref::ApiInventory>,
    /// What the pages are rendered for.
    pub purpose: RenderPurpose,
}

/// What a worker renders pages for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RenderPurpose {
    /// A build: each page's outputs are written into the output directory, and its result
    /// holds everything the merge reads.
    #[default]
    Outputs,
    /// Only the site objects each page mentions: nothing is written, and a page's result
    /// holds its title and the `py:` link dependencies that resolved to a page of the site,
    /// nothing else. A part build (`--shard K/N`) asks this of the other parts' guides for
    /// its module pages' "Referenced by" lists. A page fails exactly as it would when
    /// building (its body and its template are rendered), so the lists are a one-machine
    /// build's.
    Mentions,
}

/// A user template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSource {
    /// Template name as pages and other templates refer to it (`page.html`,
    /// `partials/footer.html`).
    pub name: String,
    /// Site-relative path, for error messages (`templates/page.html`).
    pub path: String,
    /// Template source.
    pub source: String,
}

/// Pages of one shard, sent to one worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// Batch number, echoed in the result.
    pub id: BatchId,
    /// The shard the pages belong to.
    pub shard: ShardId,
    /// The pages.
    pub pages: Vec<PageData>,
}
