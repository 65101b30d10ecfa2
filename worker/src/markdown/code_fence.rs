//! Fenced code blocks as the line-based source passes see them (`admonitions.rs` and the
//! MkDocs dialect's `pymdown/blocks.rs`): both must skip what a code block holds, with the
//! same CommonMark rules for where one opens and closes.

/// An open fenced code block: its fence character and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeFence {
    fence_char: u8,
    fence_len: usize,
}

impl CodeFence {
    /// The fence `rest` opens (three or more backticks or tildes), if any. `rest` is the
    /// line after its container prefix (indentation, quote markers).
    pub(crate) fn opened_by(rest: &str) -> Option<CodeFence> {
        let fence_char = *rest.as_bytes().first()?;
        if fence_char != b'`' && fence_char != b'~' {
            return None;
        }
        let fence_len = rest.bytes().take_while(|&b| b == fence_char).count();
        // A backtick fence's info string may not contain backticks (CommonMark).
        if fence_len < 3 || (fence_char == b'`' && rest[fence_len..].contains('`')) {
            return None;
        }
        Some(CodeFence {
            fence_char,
            fence_len,
        })
    }

    /// Whether `rest` closes this fence: a run of the same character at least as long,
    /// followed by nothing but spaces.
    pub(crate) fn is_closed_by(&self, rest: &str) -> bool {
        let run = rest.bytes().take_while(|&b| b == self.fence_char).count();
        run >= self.fence_len && rest[run..].trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::CodeFence;

    #[test]
    fn fences_open_with_three_backticks_or_tildes() {
        assert!(CodeFence::opened_by("```python").is_some());
        assert!(CodeFence::opened_by("~~~~").is_some());
        assert!(CodeFence::opened_by("``").is_none());
        assert!(
            CodeFence::opened_by("``` a`b").is_none(),
            "backtick in info string"
        );
        assert!(
            CodeFence::opened_by("~~~ a`b").is_some(),
            "tilde fences allow backticks"
        );
    }

    #[test]
    fn a_fence_closes_with_a_run_at_least_as_long() {
        let fence = CodeFence::opened_by("````").expect("opens");
        assert!(!fence.is_closed_by("```"));
        assert!(fence.is_closed_by("`````  "));
        assert!(!fence.is_closed_by("```` text"));
        assert!(!fence.is_closed_by("~~~~"));
    }
}
