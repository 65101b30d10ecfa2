//! URL slugs, shared so that the coordinator (which decides URLs) and workers (which link to
//! taxonomy terms) always agree.

/// Lower-cases `text` and turns every run of characters that are not letters or digits into
/// one `-`, trimming dashes at both ends. Letters outside ASCII are kept (lower-cased), so
/// `Überblick` becomes `überblick`. An input with no letters or digits gives `_`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            // Lower-casing may add a combining mark (`İ` → `i̇`): only letters and digits
            // are kept, so a slug is always made of them (found by fuzzing).
            slug.extend(ch.to_lowercase().filter(|lower| lower.is_alphanumeric()));
        } else {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        slug.push('_');
    }
    slug
}

/// URL path of a taxonomy term page: `/tags/rust-async/`.
pub fn taxonomy_term_url(taxonomy: &str, term: &str) -> String {
    format!("/{}/{}/", slugify(taxonomy), slugify(term))
}

/// URL path of a taxonomy's index page: `/tags/`.
pub fn taxonomy_index_url(taxonomy: &str) -> String {
    format!("/{}/", slugify(taxonomy))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression found by `fuzz_slugs_keep_their_shape`: `İ` lower-cases to `i` and a
    /// combining dot, which is not a letter, and slugified again to `i`.
    #[test]
    fn lower_casing_adds_no_combining_marks() {
        assert_eq!(slugify("İstanbul"), "istanbul");
        assert_eq!(slugify(&slugify("İ")), slugify("İ"));
    }

    #[test]
    fn slugs() {
        for (input, expected) in [
            ("Rust", "rust"),
            ("Getting Started!", "getting-started"),
            ("  C++ / FFI  ", "c-ffi"),
            ("Überblick", "überblick"),
            ("v1.2", "v1-2"),
            ("???", "_"),
        ] {
            assert_eq!(slugify(input), expected, "{input:?}");
        }
        assert_eq!(taxonomy_term_url("tags", "Async IO"), "/tags/async-io/");
    }
}
