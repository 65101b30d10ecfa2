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

impl ToWorker {
    /// True when `body`, a frame body or its first bytes, holds a [`ToWorker::Setup`]
    /// (postcard writes a variant's index first, and `Setup`'s is 0): a worker frees the
    /// setup it has before decoding the next one, so it never holds two.
    pub fn frame_is_setup(body: &[u8]) -> bool {
        body.first() == Some(&0)
    }
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
    /// The navigation tree (shared: the coordinator's plan holds the one copy, which every
    /// setup it sends refers to; on the wire it is the tree itself).
    pub nav: std::sync::Arc<NavTree>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{MarkdownDialect, OutputFormats};
    use crate::{read_body, read_frame_len, write_frame};

    fn body_of(message: &ToWorker) -> Vec<u8> {
        let mut frame = Vec::new();
        write_frame(&mut frame, message).expect("encode");
        let mut stream = frame.as_slice();
        let len = read_frame_len(&mut stream)
            .expect("read")
            .expect("one frame");
        read_body(&mut stream, len).expect("read")
    }

    #[test]
    fn only_a_setup_frame_is_taken_for_one() {
        let setup = WorkerSetup {
            worker_id: 3,
            site_root: "/site".into(),
            output_dir: "/site/public".into(),
            site: SiteMeta {
                title: "Docs".into(),
                base_url: "https://docs.example.org/".into(),
                description: None,
                language: "en".into(),
                outputs: OutputFormats {
                    html: true,
                    json: true,
                    txt: true,
                },
                taxonomies: vec!["tags".into()],
                versions: Vec::new(),
                generator: "ssg-coord".into(),
                content_dir: "content".into(),
                search_index: true,
                markdown: MarkdownDialect::default(),
                extra_json: String::new(),
            },
            nav: Default::default(),
            templates: Vec::new(),
            api: std::sync::Arc::default(),
            purpose: RenderPurpose::Mentions,
        };
        assert!(ToWorker::frame_is_setup(&body_of(&ToWorker::Setup(
            Box::new(setup)
        ))));
        let batch = ToWorker::Batch(Batch {
            id: BatchId(0),
            shard: ShardId("hash-00".into()),
            pages: Vec::new(),
        });
        assert!(!ToWorker::frame_is_setup(&body_of(&batch)));
        assert!(!ToWorker::frame_is_setup(&body_of(&ToWorker::Shutdown)));
        assert!(!ToWorker::frame_is_setup(&[]));
    }
}
