//! `scripts/serve-load` in a reduced form: 20 keep-alive connections and 5 open event
//! streams for one second against a real server. Every request must be answered and every
//! stream greeted and kept; the latency it prints is not asserted.

use super::TestSite;
use serve_load::{LoadOptions, run};
use std::time::Duration;

#[test]
fn every_request_under_load_is_answered() {
    let site = TestSite::new();
    let server = site.serve(&[], &[]);
    let options = LoadOptions {
        address: server.address,
        connections: 20,
        streams: 5,
        duration: Duration::from_secs(1),
        paths: Vec::new(),
    };
    let report = run(&options).expect("a bounded loopback run");
    eprintln!("{}", report.summary(&options));
    assert!(report.paths >= 3, "the sitemap's pages: {}", report.paths);
    assert!(report.sent >= 20, "{report:?}");
    assert_eq!(report.errors, 0, "{:?}", report.first_errors);
    assert_eq!(report.answered, report.sent);
    assert_eq!(report.greeted_streams, 5);
    assert_eq!(report.open_streams, 5);
    // And the server is fine afterwards.
    assert_eq!(server.get("/guide/").status, 200);
}
