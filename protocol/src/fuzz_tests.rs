//! Property tests (`fuzz_*`, bounded by `PROPTEST_CASES`; `scripts/fuzz` runs them long):
//! the frame decoder takes any bytes a worker could write without panicking or allocating
//! past the frame limit, and slugs keep their shape whatever the text.

use crate::{FromWorker, MAX_FRAME_BYTES, ToWorker, read_frame, slug};
use proptest::prelude::*;

/// Frames as a broken worker would write them: a plausible length, then any body.
fn framed(body: Vec<u8>, claimed: u32) -> Vec<u8> {
    let mut bytes = claimed.to_le_bytes().to_vec();
    bytes.extend(body);
    bytes
}

proptest! {
    #[test]
    fn fuzz_frame_decoder_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let mut cursor = &bytes[..];
        // Read until the stream ends or breaks, as the coordinator's reader thread does.
        for _ in 0..bytes.len() + 1 {
            match read_frame::<_, FromWorker>(&mut cursor) {
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        let mut cursor = &bytes[..];
        let _ = read_frame::<_, ToWorker>(&mut cursor);
    }

    #[test]
    fn fuzz_frame_bodies_with_valid_lengths(
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        slack in 0u32..8,
    ) {
        let claimed = (body.len() as u32).saturating_sub(slack);
        let bytes = framed(body, claimed);
        let _ = read_frame::<_, FromWorker>(&mut &bytes[..]);
        let _ = read_frame::<_, ToWorker>(&mut &bytes[..]);
    }

    #[test]
    fn fuzz_frame_lengths_over_the_limit_are_refused(extra in 1u32..1024, tail in proptest::collection::vec(any::<u8>(), 0..64)) {
        let bytes = framed(tail, MAX_FRAME_BYTES.saturating_add(extra));
        let refused = matches!(
            read_frame::<_, FromWorker>(&mut &bytes[..]),
            Err(crate::FrameError::TooLarge { .. })
        );
        prop_assert!(refused);
    }

    #[test]
    fn fuzz_slugs_keep_their_shape(text in "\\PC{0,64}") {
        let slug = slug::slugify(&text);
        prop_assert!(!slug.is_empty());
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
        prop_assert!(slug == "_" || slug.chars().all(|c| c == '-' || c.is_alphanumeric()));
        prop_assert!(!slug.contains("--"));
        prop_assert_eq!(slug::slugify(&slug), slug.clone());
        let url = slug::taxonomy_term_url(&text, &text);
        prop_assert!(url.starts_with('/') && url.ends_with('/'));
        prop_assert!(!url.split('/').any(|segment| segment == ".." || segment == "."));
    }
}
