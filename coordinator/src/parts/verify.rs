//! The checks before a merge: the parts given are parts 1..N of one split, each exactly
//! once, planned from the same sources, and together they account for every planned page
//! once. Each failure is a message naming the part (its number and path) and what to do.

use super::archive::PartSource;
use super::manifest::PartManifest;

/// A part given to the merge, with its manifest read.
pub struct OpenedPart {
    /// Where it is.
    pub source: PartSource,
    /// What it holds.
    pub manifest: PartManifest,
}

impl OpenedPart {
    /// "part 2 of 3 (DIR)".
    pub fn describe(&self) -> String {
        format!("{} ({})", self.manifest.part, self.source.path().display())
    }
}

/// Orders `parts` as 1..N, or says why they are not one complete split from one plan.
pub fn check_set(mut parts: Vec<OpenedPart>) -> Result<Vec<OpenedPart>, String> {
    let Some(first) = parts.first() else {
        return Err(
            "no parts given: pass the part folders (or .tar.zst archives) that \
                    `ssg-coord build SITE --shard K/N --emit DIR` wrote"
                .to_string(),
        );
    };
    let of = first.manifest.part.of;
    if let Some(other) = parts.iter().find(|part| part.manifest.part.of != of) {
        return Err(format!(
            "{} and {} come from different splits: every part must be built with \
             --shard K/{of} (the same N)",
            first.describe(),
            other.describe()
        ));
    }
    parts.sort_by_key(|part| part.manifest.part.number);
    for pair in parts.windows(2) {
        if pair[0].manifest.part.number == pair[1].manifest.part.number {
            return Err(format!(
                "{} is given twice: {} and {}; pass each part once",
                pair[0].manifest.part,
                pair[0].source.path().display(),
                pair[1].source.path().display()
            ));
        }
    }
    let given: Vec<u32> = parts.iter().map(|part| part.manifest.part.number).collect();
    let missing: Vec<u32> = (1..=of).filter(|number| !given.contains(number)).collect();
    if !missing.is_empty() {
        let numbers: Vec<String> = missing.iter().map(u32::to_string).collect();
        let (noun, verb) = if missing.len() == 1 {
            ("part", "is")
        } else {
            ("parts", "are")
        };
        let listed: Vec<String> = given.iter().map(u32::to_string).collect();
        return Err(format!(
            "{noun} {} of {of} {verb} missing (given: {}): build each with `ssg-coord build \
             SITE --shard K/{of} --emit DIR` and pass every part to the merge",
            numbers.join(", "),
            listed.join(", ")
        ));
    }
    let reference = &parts[0];
    for part in &parts[1..] {
        let name = format!("part {}", part.manifest.part.number);
        let difference = reference
            .manifest
            .stamp
            .difference(&part.manifest.stamp, &name)
            .or_else(|| {
                (reference.manifest.api_hash != part.manifest.api_hash).then(|| {
                    "the API inventory differs (an external inventory fetched differently?)"
                        .to_string()
                })
            });
        if let Some(difference) = difference {
            return Err(format!(
                "{} was planned from different sources than part 1: {difference}",
                part.describe()
            ));
        }
    }
    check_coverage(&parts)?;
    Ok(parts)
}

/// Every planned page is in exactly one part (rendered or failed), under its own id.
fn check_coverage(parts: &[OpenedPart]) -> Result<(), String> {
    let planned = &parts[0].manifest.stamp.pages;
    let mut owner: Vec<Option<u32>> = vec![None; planned.len()];
    for part in parts {
        let manifest = &part.manifest;
        let indexes = manifest
            .pages
            .iter()
            .map(|page| (page.index, Some(&page.id)))
            .chain(manifest.failed.iter().map(|failed| (failed.index, None)));
        for (index, id) in indexes {
            let corrupt = || {
                format!(
                    "{} is corrupt: it names page {index}, which its plan does not have as \
                     such; build the part again",
                    part.describe()
                )
            };
            let (planned_id, _) = planned.get(index as usize).ok_or_else(corrupt)?;
            if id.is_some_and(|id| id != planned_id) {
                return Err(corrupt());
            }
            if let Some(other) = owner[index as usize].replace(manifest.part.number) {
                return Err(format!(
                    "{planned_id} is in part {other} and in {}: the parts were not split by \
                     the same plan; build them again",
                    part.describe()
                ));
            }
        }
    }
    if let Some(index) = owner.iter().position(Option::is_none) {
        let n_missing = owner.iter().filter(|o| o.is_none()).count();
        return Err(format!(
            "{n_missing} planned pages are in no part, e.g. {}: a part stopped early \
             (--fail-fast?); build it again",
            planned[index].0
        ));
    }
    Ok(())
}
