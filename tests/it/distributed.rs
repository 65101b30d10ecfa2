//! Distributed builds: `build --shard K/N --emit DIR` on copies of a site in different
//! folders (as on different machines), then `merge SITE DIR... --out OUT`, give the tree a
//! one-machine build gives, byte for byte; a missing, duplicated or foreign part is named
//! and refused; parts travel as folders or `.tar.zst` archives.

use crate::samples::samples_site;
use crate::support::{TempSite, assert_same_tree, binary, build, copy_site, example_site};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary with `args`; returns its output.
fn run(args: &[&Path]) -> Output {
    Command::new(binary())
        .args(args)
        .output()
        .expect("run ssg-coord")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `build SITE --shard PART --emit EMIT --json`.
fn run_part(site: &Path, part: &str, emit: &Path) -> Output {
    run_part_with(site, part, emit, &[])
}

/// [`run_part`] with more arguments.
fn run_part_with(site: &Path, part: &str, emit: &Path, more: &[&str]) -> Output {
    let mut args = vec![
        Path::new("build"),
        site,
        Path::new("--shard"),
        Path::new(part),
        Path::new("--emit"),
        emit,
        Path::new("--json"),
    ];
    args.extend(more.iter().map(Path::new));
    run(&args)
}

/// Builds part `number` of `of` from a fresh copy of `site` into `emit`.
fn build_part(site: &Path, number: u32, of: u32, emit: &Path) {
    build_part_with(site, number, of, emit, &[]);
}

/// [`build_part`] with more arguments.
fn build_part_with(site: &Path, number: u32, of: u32, emit: &Path, more: &[&str]) {
    let copy = copy_site(site);
    let part = format!("{number}/{of}");
    let output = run_part_with(&copy, &part, emit, more);
    assert_eq!(
        output.status.code(),
        Some(0),
        "part {part}: {}",
        stderr(&output)
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON summary");
    assert!(
        summary["errors"].as_array().is_some_and(Vec::is_empty),
        "{summary}"
    );
    assert!(
        !copy.join(".ssg-cache").exists(),
        "a part build leaves the site's cache alone"
    );
}

/// Builds every part of `of` into folders under `dir` (part 2 as an archive when asked).
fn build_parts(site: &Path, of: u32, dir: &Path, archive_part: Option<u32>) -> Vec<PathBuf> {
    build_parts_with(site, of, dir, archive_part, &[])
}

/// [`build_parts`] with more arguments for each part build.
fn build_parts_with(
    site: &Path,
    of: u32,
    dir: &Path,
    archive_part: Option<u32>,
    more: &[&str],
) -> Vec<PathBuf> {
    (1..=of)
        .map(|number| {
            let name = if archive_part == Some(number) {
                format!("part-{number}.tar.zst")
            } else {
                format!("part-{number}")
            };
            let emit = dir.join(name);
            build_part_with(site, number, of, &emit, more);
            emit
        })
        .collect()
}

fn merge(site: &Path, parts: &[PathBuf], out: &Path) -> Output {
    let mut args: Vec<&Path> = vec![Path::new("merge"), site];
    args.extend(parts.iter().map(PathBuf::as_path));
    args.extend([Path::new("--out"), out]);
    run(&args)
}

/// Builds `site` in `counts` ways of splitting it and checks each merge against a
/// one-machine build.
fn check_splits(site: &Path, counts: &[u32]) {
    check_splits_with(site, counts, &[]);
}

/// [`check_splits`] with more arguments for each part build.
fn check_splits_with(site: &Path, counts: &[u32], more: &[&str]) {
    let reference = tempfile::tempdir().expect("temp dir");
    let run = build(site, reference.path(), &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    for &of in counts {
        let dir = tempfile::tempdir().expect("temp dir");
        let parts = build_parts_with(site, of, dir.path(), None, more);
        let out = dir.path().join("merged");
        let output = merge(site, &parts, &out);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{of} parts: {}",
            stderr(&output)
        );
        assert_same_tree(reference.path(), &out, &format!("merge of {of} parts"));
    }
}

#[test]
fn the_example_site_in_1_2_3_and_7_parts_merges_to_a_one_machine_build() {
    check_splits(&example_site(), &[1, 2, 3, 7]);
}

#[test]
fn the_samples_in_1_2_3_and_7_parts_merge_to_a_one_machine_build() {
    let site = samples_site();
    check_splits(site.path(), &[1, 2, 3, 7]);
}

/// The example site, with a guide that mentions the API's `Queue` class.
fn site_with_a_guide_mentioning_the_queue() -> TempSite {
    let site = copy_site(&example_site());
    let guide = site.join("content/guides/retries.md");
    let mut text = std::fs::read_to_string(&guide).expect("read guide");
    text.push_str("\nSee [the queue][tidepool.queue.Queue].\n");
    std::fs::write(&guide, text).expect("write guide");
    site
}

#[test]
fn api_backlinks_from_guides_in_other_parts_merge_to_a_one_machine_build() {
    // A guide that mentions an API object puts it in the object's "Referenced by" list:
    // the part holding the module page must know the guides of every part.
    let site = site_with_a_guide_mentioning_the_queue();
    check_splits(&site, &[2, 3, 7]);
}

#[test]
fn parts_rendered_by_worker_processes_merge_to_a_one_machine_build() {
    // A small site's parts render on threads; here worker processes render them, and the
    // part keeps their results packed until the workers are gone (`pool::PackedResults`):
    // guides, the other parts' guides read for their mentions, then the module pages.
    let site = site_with_a_guide_mentioning_the_queue();
    check_splits_with(
        &site,
        &[1, 3],
        &["--process-parallel", "--max-processes", "2"],
    );
}

#[test]
fn a_guide_that_fails_is_in_no_backlinks_list_as_in_a_one_machine_build() {
    // The other parts' guides are only read for their mentions, yet a guide whose template
    // fails mentions nothing, as when the whole site is built on one machine: the module
    // page does not link to a page that does not exist.
    let site = copy_site(&example_site());
    let guide = site.join("content/guides/retries.md");
    let text = std::fs::read_to_string(&guide).expect("read guide");
    let text = text.replacen("---\n", "---\ntemplate: fragile.html\n", 1)
        + "\nSee [the queue][tidepool.queue.Queue].\n";
    std::fs::write(&guide, text).expect("write guide");
    std::fs::create_dir_all(site.join("templates")).expect("mkdir templates");
    std::fs::write(
        site.join("templates/fragile.html"),
        "{% extends \"page.html\" %}{% block page_footer %}{% include \"gone.html\" %}{% endblock %}",
    )
    .expect("write template");

    let reference = tempfile::tempdir().expect("temp dir");
    let run = build(&site, reference.path(), &[]);
    assert_eq!(run.code(), 1, "the guide fails");
    let queue = std::fs::read_to_string(reference.path().join("api/tidepool/queue/index.html"))
        .expect("the module page is built");
    assert!(queue.contains("Queue"), "the module page shows its class");
    assert!(
        !queue.contains("/guides/retries/"),
        "no backlink to the failed guide"
    );
    for of in [2, 3] {
        let dir = tempfile::tempdir().expect("temp dir");
        let parts: Vec<PathBuf> = (1..=of)
            .map(|number| {
                let emit = dir.path().join(format!("part-{number}"));
                let part = format!("{number}/{of}");
                let output = run_part(&copy_site(&site), &part, &emit);
                assert!(
                    matches!(output.status.code(), Some(0 | 1)),
                    "part {part}: {}",
                    stderr(&output)
                );
                emit
            })
            .collect();
        let out = dir.path().join("merged");
        let output = merge(&site, &parts, &out);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("retries.md"),
            "{}",
            stderr(&output)
        );
        assert_same_tree(reference.path(), &out, &format!("merge of {of} parts"));
    }
}

#[test]
fn parts_travel_as_tar_zst_archives() {
    let site = example_site();
    let reference = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(&site, reference.path(), &[]).code(), 0);
    let dir = tempfile::tempdir().expect("temp dir");
    // Part 2 emitted as an archive; part 1 packed by hand as CI would (`tar -C DIR .`:
    // `./` names, the manifest not first).
    let mut parts = build_parts(&site, 3, dir.path(), Some(2));
    assert!(parts[1].is_file(), "--emit X.tar.zst writes one file");
    let packed = dir.path().join("packed-1.tar.zst");
    pack(&parts[0], &packed);
    parts[0] = packed;
    // The output folder holds an earlier build with a page this site does not have: the
    // merge empties it first, as a build into a new folder starts empty.
    let out = dir.path().join("merged");
    let earlier = copy_site(&site);
    std::fs::write(earlier.join("content/gone.md"), "# Gone\n").expect("write page");
    assert_eq!(build(&earlier, &out, &[]).code(), 0);
    assert!(out.join("gone/index.html").is_file());
    let output = merge(&site, &parts, &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_same_tree(reference.path(), &out, "merge of archived parts");

    // A folder ssg-coord did not make is refused, and left alone.
    let foreign = dir.path().join("foreign");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("notes.txt"), "mine").expect("write");
    let output = merge(&site, &parts, &foreign);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).expect("kept"),
        "mine"
    );
}

/// Packs a part folder into a `.tar.zst` with `./` names, outputs before the manifest.
fn pack(folder: &Path, archive: &Path) {
    let file = std::fs::File::create(archive).expect("create archive");
    let encoder = zstd::Encoder::new(file, 3).expect("zstd");
    let mut builder = tar::Builder::new(encoder);
    builder
        .append_dir_all("./outputs", folder.join("outputs"))
        .expect("pack outputs");
    builder
        .append_path_with_name(folder.join("ssg-part.bin"), "./ssg-part.bin")
        .expect("pack manifest");
    builder
        .into_inner()
        .expect("tar")
        .finish()
        .expect("zstd finish");
}

#[test]
fn a_missing_or_duplicated_part_is_named_and_refused() {
    let site = example_site();
    let dir = tempfile::tempdir().expect("temp dir");
    let parts = build_parts(&site, 3, dir.path(), None);
    let out = dir.path().join("merged");

    let output = merge(&site, &[parts[0].clone(), parts[2].clone()], &out);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("part 2 of 3 is missing (given: 1, 3)"),
        "{}",
        stderr(&output)
    );

    let output = merge(&site, &[parts[0].clone(), parts[1].clone()], &out);
    assert!(
        stderr(&output).contains("part 3 of 3 is missing"),
        "{}",
        stderr(&output)
    );

    let twice = [
        parts[0].clone(),
        parts[1].clone(),
        parts[2].clone(),
        parts[0].clone(),
    ];
    let output = merge(&site, &twice, &out);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("part 1 of 3 is given twice"),
        "{}",
        stderr(&output)
    );

    // A part of another split.
    let other = dir.path().join("other-split");
    build_part(&site, 1, 2, &other);
    let output = merge(&site, &[parts[0].clone(), other, parts[2].clone()], &out);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("different splits"),
        "{}",
        stderr(&output)
    );

    // Not a part at all.
    let output = merge(&site, &[parts[0].clone(), site.join("content")], &out);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a part"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_part_planned_from_other_sources_is_named_and_refused() {
    let site = example_site();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut parts = build_parts(&site, 3, dir.path(), None);
    let page = "content/guides/retries.md";

    // Part 2 built from an edited copy of the site.
    let edited = copy_site(&site);
    let text = std::fs::read_to_string(edited.join(page)).expect("read page");
    std::fs::write(edited.join(page), format!("{text}\nOne more line.\n")).expect("edit");
    let foreign = dir.path().join("foreign-2");
    build_part(&edited, 2, 3, &foreign);
    parts[1] = foreign.clone();
    let out = dir.path().join("merged");
    let output = merge(&site, &parts, &out);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let expected = format!(
        "part 2 of 3 ({}) was planned from different sources than part 1: {page} differs",
        foreign.display()
    );
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));

    // Every part agrees, but the site given to the merge was edited since.
    let output = merge(
        &edited,
        &build_parts(&site, 2, &dir.path().join("two"), None),
        &out,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("was planned from different sources than")
            && stderr(&output).contains(&format!("{page} differs")),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_forced_merge_replaces_files_already_there_and_leaves_the_parts_alone() {
    // A foreign folder merged into with `--force`: its own files stay, a file a part also
    // has is replaced by the part's, and the part keeps its bytes.
    let site = example_site();
    let reference = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(&site, reference.path(), &[]).code(), 0);
    let dir = tempfile::tempdir().expect("temp dir");
    let parts = build_parts(&site, 2, dir.path(), None);
    let out = dir.path().join("foreign");
    std::fs::create_dir_all(out.join("guides")).expect("make folder");
    std::fs::write(out.join("index.html"), "not the site").expect("write file");
    std::fs::write(out.join("keep.txt"), "mine").expect("write file");
    let mut args: Vec<&Path> = vec![Path::new("merge"), &site];
    args.extend(parts.iter().map(PathBuf::as_path));
    args.extend([Path::new("--out"), &out, Path::new("--force")]);
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(out.join("index.html")).expect("read"),
        std::fs::read(reference.path().join("index.html")).expect("read"),
    );
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).expect("read"),
        "mine"
    );
    let in_part = parts
        .iter()
        .map(|part| part.join("outputs/index.html"))
        .find(|path| path.is_file())
        .expect("a part holds the home page");
    assert_eq!(
        std::fs::read(&in_part).expect("read"),
        std::fs::read(reference.path().join("index.html")).expect("read"),
        "the foreign file was not written into the part's"
    );
}

#[test]
fn parts_built_with_planning_flags_merge_to_a_one_machine_build_with_them() {
    // The merge plans the site while it reads the parts, first without planning flags:
    // parts that had some (here a draft shown with `--drafts`, and sections as shards)
    // make it plan again with theirs.
    let site = copy_site(&example_site());
    std::fs::write(
        site.join("content/guides/upcoming.md"),
        "---\ntitle: Upcoming\ndraft: true\n---\n\nA draft page, shown with `--drafts`.\n",
    )
    .expect("write draft");
    let flags = ["--drafts", "--shard-sections"];
    let reference = tempfile::tempdir().expect("temp dir");
    let run = build(&site, reference.path(), &flags);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(reference.path().join("guides/upcoming/index.html").exists());
    let dir = tempfile::tempdir().expect("temp dir");
    let parts: Vec<PathBuf> = (1..=2)
        .map(|number| {
            let emit = dir.path().join(format!("part-{number}"));
            let output = Command::new(binary())
                .arg("build")
                .arg(&*site)
                .args(["--shard", &format!("{number}/2"), "--json"])
                .arg("--emit")
                .arg(&emit)
                .args(flags)
                .output()
                .expect("run ssg-coord");
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            emit
        })
        .collect();
    let out = dir.path().join("merged");
    let output = merge(&site, &parts, &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_same_tree(reference.path(), &out, "merge of parts built with flags");
}
