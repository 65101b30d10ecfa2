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
            slug.extend(ch.to_lowercase());
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
