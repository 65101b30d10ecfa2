//! The same input gives byte-identical output in every execution mode.

use crate::support::{assert_same_tree, build, example_site};

#[test]
fn no_shard_and_threads_give_identical_trees() {
    let reference = tempfile::tempdir().expect("temp dir");
    let threads = tempfile::tempdir().expect("temp dir");
    assert_eq!(
        build(&example_site(), reference.path(), &["--no-shard"]).code(),
        0
    );
    assert_eq!(build(&example_site(), threads.path(), &[]).code(), 0);
    assert_same_tree(reference.path(), threads.path(), "--no-shard vs threads");
}
