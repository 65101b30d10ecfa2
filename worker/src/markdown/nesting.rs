//! A bound on how deeply a document's containers (block quotes, lists) nest, checked
//! before comrak parses it. Parsing and the passes over the tree take time that grows with
//! the square of the nesting: 20,000 nested `>` take a second, 200,000 take minutes. No
//! document nests a hundred levels on purpose; generated or hostile ones can nest far more.

/// Deepest container nesting rendered, counted as [`line_depth`] does.
pub const MAX_NESTING: usize = 1_000;

/// A line that nests containers deeper than [`MAX_NESTING`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    /// 1-based line in the text.
    pub line: usize,
    /// Its nesting, as counted.
    pub depth: usize,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "block quotes and lists nested {} levels deep, more than the {MAX_NESTING} ssg-coord renders",
            self.depth
        )
    }
}

/// Checks every line of `text` against [`MAX_NESTING`]; one pass, no parsing.
pub fn check_nesting(text: &str) -> Result<(), TooDeep> {
    for (index, line) in text.lines().enumerate() {
        let depth = line_depth(line);
        if depth > MAX_NESTING {
            return Err(TooDeep {
                line: index + 1,
                depth,
            });
        }
    }
    Ok(())
}

/// An upper bound on the containers a line sits in: every `>` and list marker of its
/// prefix, and a level per two columns of indentation (the least a nested list item is
/// indented by). The prefix ends at the first other character.
fn line_depth(line: &str) -> usize {
    let bytes = line.as_bytes();
    let (mut markers, mut columns) = (0usize, 0usize);
    let mut index = 0;
    while index < bytes.len() {
        let after = |i: usize| matches!(bytes.get(i), None | Some(b' ' | b'\t'));
        match bytes[index] {
            b' ' => columns += 1,
            b'\t' => columns += 4,
            b'>' => markers += 1,
            b'-' | b'*' | b'+' if after(index + 1) => markers += 1,
            b'0'..=b'9' => {
                let digits = bytes[index..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let marker = index + digits;
                if !(matches!(bytes.get(marker), Some(b'.' | b')')) && after(marker + 1)) {
                    break;
                }
                markers += 1;
                index = marker;
            }
            _ => break,
        }
        index += 1;
    }
    markers + columns / 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depths_of_lines() {
        for (line, depth) in [
            ("plain text", 0),
            ("> quote", 1),
            (">>> a doctest prompt", 3),
            ("> > > spaced", 4),
            ("- item", 1),
            ("  - nested item", 2),
            ("1. one", 1),
            ("12) twelve", 1),
            ("2024. a year", 1),
            ("3.14 is pi", 0),
            ("- - - x", 4),
            ("-not a marker", 0),
            ("\tcode", 2),
        ] {
            assert_eq!(line_depth(line), depth, "{line:?}");
        }
    }

    #[test]
    fn deep_documents_are_refused_at_the_first_deep_line() {
        assert_eq!(check_nesting("# Title\n\n> a\n"), Ok(()));
        let quotes = format!("# T\n\n{} deep\n", ">".repeat(200_000));
        assert_eq!(
            check_nesting(&quotes),
            Err(TooDeep {
                line: 3,
                depth: 200_000
            })
        );
        let lists: String = (0..3_000)
            .map(|level| format!("{}- item\n", "  ".repeat(level)))
            .collect();
        assert_eq!(check_nesting(&lists).map_err(|e| e.line), Err(1_001));
        let shallow: String = (0..200)
            .map(|level| format!("{}- item\n", "  ".repeat(level)))
            .collect();
        assert_eq!(check_nesting(&shallow), Ok(()));
    }
}
