//! Property tests (`fuzz_*`, bounded by `PROPTEST_CASES`; `scripts/fuzz` runs them long):
//! whatever a page's `url` says, an accepted URL stays inside the site.

use super::{clean_url_path, url_segment};
use proptest::prelude::*;

proptest! {
    #[test]
    fn fuzz_urls_never_leave_the_site(raw in "[a-z./\\\\%?#:~ \u{0}é-]{0,24}") {
        if let Ok(url) = clean_url_path(&raw) {
            prop_assert!(url.starts_with('/'));
            prop_assert!(!url.contains("//"));
            prop_assert!(!url.contains(['\\', '\0', '?', '#']));
            prop_assert!(!url.split('/').any(|segment| segment == ".." || segment == "."));
        }
        prop_assert!(!url_segment(&raw).contains(char::is_whitespace));
    }
}

/// Regression found by `fuzz_urls_never_leave_the_site`: a segment of spaces gave `//`.
#[test]
fn segments_of_spaces_are_dropped() {
    assert_eq!(clean_url_path("/ /"), Ok("/".to_string()));
    assert_eq!(clean_url_path("/a/  /b"), Ok("/a/b/".to_string()));
}
