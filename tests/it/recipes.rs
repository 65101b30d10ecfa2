//! The CI recipes in `recipes/` (README, "Beyond one machine"): each parses as YAML, runs
//! one part per index of the right total and merges after every part; the parts and the
//! one-machine jobs pass the shared cache URL when one is set. A recipe that drifts from the CLI it documents fails
//! here.

use crate::support::workspace;
use serde_yaml_ng::Value;

fn documents(name: &str) -> Vec<Value> {
    let path = workspace().join("recipes").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml_ng::Deserializer::from_str(&text)
        .map(|document| {
            serde::Deserialize::deserialize(document)
                .unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"))
        })
        .collect()
}

fn text_of(value: &Value) -> String {
    serde_yaml_ng::to_string(value).expect("YAML prints")
}

#[test]
fn github_actions_runs_a_matrix_of_parts_then_a_merge() {
    let workflow = &documents("github-actions.yml")[0];
    let parts = workflow["env"]["PARTS"].as_u64().expect("env.PARTS");
    let matrix: Vec<u64> = workflow["jobs"]["part"]["strategy"]["matrix"]["part"]
        .as_sequence()
        .expect("a matrix of parts")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(matrix, (1..=parts).collect::<Vec<_>>());
    let part = text_of(&workflow["jobs"]["part"]);
    assert!(
        part.contains(
            "--shard \"${{ matrix.part }}/$PARTS\" --emit \"part-${{ matrix.part }}.tar.zst\""
        ),
        "{part}"
    );
    let preview = text_of(&workflow["jobs"]["preview"]);
    assert!(preview.contains("--cache-url"), "{preview}");
    assert!(
        part.contains("${SSG_CACHE_URL:+--cache-url \"$SSG_CACHE_URL\"}"),
        "{part}"
    );
    assert!(part.contains("actions/upload-artifact"), "{part}");
    let merge = &workflow["jobs"]["merge"];
    assert_eq!(merge["needs"].as_str(), Some("part"));
    let merge = text_of(merge);
    assert!(
        merge.contains("ssg-coord merge \"$SITE\" parts/part-*.tar.zst --out site"),
        "{merge}"
    );
}

#[test]
fn gitlab_runs_parallel_parts_then_a_merge() {
    let pipeline = &documents("gitlab-ci.yml")[0];
    let part = &pipeline["docs-part"];
    assert!(part["parallel"].as_u64().is_some_and(|n| n > 1));
    let script = text_of(&part["script"]);
    assert!(
        script.contains(
            "--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\" --emit \"part-$CI_NODE_INDEX.tar.zst\""
        ),
        "{script}"
    );
    assert!(text_of(&pipeline["docs-preview"]["script"]).contains("--cache-url"));
    assert!(
        script.contains("${SSG_CACHE_URL:+--cache-url \"$SSG_CACHE_URL\"}"),
        "{script}"
    );
    let merge = &pipeline["pages"];
    assert_eq!(merge["needs"][0].as_str(), Some("docs-part"));
    assert!(text_of(&merge["script"]).contains("ssg-coord merge"));
}

#[test]
fn kubernetes_runs_an_indexed_job_then_a_merge_job() {
    let objects = documents("kubernetes.yml");
    let job = |name: &str| {
        objects
            .iter()
            .find(|o| o["kind"] == "Job" && o["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("no Job {name}"))
    };
    let parts = job("docs-parts");
    assert_eq!(parts["spec"]["completionMode"].as_str(), Some("Indexed"));
    let completions = parts["spec"]["completions"].as_u64().expect("completions");
    let container = &parts["spec"]["template"]["spec"]["containers"][0];
    let declared = text_of(&container["env"]);
    assert!(declared.contains(&format!("'{completions}'")), "{declared}");
    let script = text_of(&container["args"]);
    assert!(
        script.contains("K=$((JOB_COMPLETION_INDEX + 1))"),
        "{script}"
    );
    assert!(
        script.contains("--shard \"$K/$PARTS\" --emit \"/parts/$K\""),
        "{script}"
    );
    assert!(declared.contains("SSG_CACHE_URL"), "{declared}");
    assert!(
        script.contains("${SSG_CACHE_URL:+--cache-url \"$SSG_CACHE_URL\"}"),
        "{script}"
    );
    let merge = text_of(&job("docs-merge")["spec"]);
    assert!(merge.contains("ssg-coord merge /src/docs"), "{merge}");
}
