//! Search terms: the one tokenizer of the site search. The worker counts a page's body
//! terms while it renders ([`body_terms`], sent in `RenderedPage::search_terms`); the merge
//! tokenizes titles, headings and API names with [`for_each_term`]. The theme's
//! `search-worker.js` tokenizes queries with the same rules (`scanWords`, `splitParts`,
//! `fold`): change both together.
//!
//! Rules: a *word* is a run of letters, digits and `_`, with `.` kept between two letters or
//! digits (`Context.invoke`, `os.path`, `1.5`). Its *parts* are split at `.`, `_` and camel
//! case (`getElementById` → `get`, `element`, `by`, `id`; `HTMLParser` → `html`, `parser`).
//! Every part is a term, and so is the whole word when it has more than one part, so
//! `read_file`, `read` and `file` all find `read_file`. Terms are folded: diacritics removed
//! (NFD, combining marks dropped), then lower case, `ß` as `ss`. Terms of one character or longer than
//! [`MAX_TERM_CHARS`] are left out. Chinese, Japanese and Korean text has no spaces to split
//! at (or, in Korean, words people search by pieces): a run of those characters
//! ([`is_cjk`]) is a word of its own whose terms are its overlapping pairs of characters, so
//! `東京都` is found by `東京` and `京都`, and a lone character is a term by itself.

use protocol::SearchTerms;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest term kept, in characters.
pub const MAX_TERM_CHARS: usize = 40;

/// Whether a term is a whole word or one part of a word made of several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermRole {
    /// A word with one part, or a whole word of several parts (`read_file`).
    Whole,
    /// One part of a word made of several (`read`).
    Part,
}

/// Lower case with diacritics removed: `Été` → `ete`, `Straße` → `strasse`.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        // One sigma: JavaScript's toLowerCase writes a final one, Rust's per-char one never.
        .map(|c| if c == 'ς' { 'σ' } else { c })
        .collect();
    if folded.contains('ß') {
        folded.replace('ß', "ss")
    } else {
        folded
    }
}

/// Whether `c` belongs to a script written without spaces between words (Chinese,
/// Japanese) or whose words are best found by pieces (Korean). Runs of such characters
/// are words of their own, indexed as overlapping pairs of characters.
pub fn is_cjk(c: char) -> bool {
    matches!(
        u32::from(c),
        0x3040..=0x30FF // Hiragana, Katakana
            | 0x31F0..=0x31FF // Katakana phonetic extensions
            | 0x3400..=0x4DBF // CJK ideographs, extension A
            | 0x4E00..=0x9FFF // CJK unified ideographs
            | 0xAC00..=0xD7AF // Hangul syllables
            | 0xF900..=0xFAFF // CJK compatibility ideographs
            | 0xFF66..=0xFF9D // Half-width Katakana
            | 0x20000..=0x2FFFF // CJK ideographs, extensions B and later
    )
}

/// Calls `emit` with every term of `text`, in text order: for each word its parts, then the
/// whole word when it has several parts; for a run of CJK characters, each pair of
/// neighbours (`東京都` → `東京`, `京都`), or the character alone when the run has one.
pub fn for_each_term(text: &str, mut emit: impl FnMut(&str, TermRole)) {
    let mut parts: Vec<&str> = Vec::new();
    for word in words(text) {
        if word.starts_with(is_cjk) {
            emit_pairs(word, &mut emit);
            continue;
        }
        parts.clear();
        split_parts(word, &mut parts);
        let role = if parts.len() > 1 {
            TermRole::Part
        } else {
            TermRole::Whole
        };
        for part in &parts {
            emit_folded(part, role, &mut emit);
        }
        if parts.len() > 1 {
            emit_folded(word, TermRole::Whole, &mut emit);
        }
    }
}

/// The terms of a run of CJK characters: every two neighbours, or the one character. They
/// are not folded (these scripts have no case; kana keep their voicing marks).
fn emit_pairs(run: &str, emit: &mut impl FnMut(&str, TermRole)) {
    let mut starts = run.char_indices().map(|(at, _)| at).peekable();
    let mut pairs = 0;
    while let Some(start) = starts.next() {
        let Some(&second) = starts.peek() else { break };
        let end = run[second..]
            .chars()
            .next()
            .map_or(run.len(), |c| second + c.len_utf8());
        emit(&run[start..end], TermRole::Whole);
        pairs += 1;
    }
    if pairs == 0 && !run.is_empty() {
        emit(run, TermRole::Whole);
    }
}

fn emit_folded(raw: &str, role: TermRole, emit: &mut impl FnMut(&str, TermRole)) {
    let term = fold(raw);
    let chars = term.chars().count();
    if (2..=MAX_TERM_CHARS).contains(&chars) {
        emit(&term, role);
    }
}

/// Counts the terms of a page's text, and its length in terms, for the search index.
pub fn body_terms(text: &str) -> SearchTerms {
    let mut counts: HashMap<String, u32> = HashMap::new();
    let mut length = 0u32;
    for_each_term(text, |term, role| {
        if role == TermRole::Whole {
            length = length.saturating_add(1);
        }
        match counts.get_mut(term) {
            Some(count) => *count = count.saturating_add(1),
            None => {
                counts.insert(term.to_string(), 1);
            }
        }
    });
    let mut sorted: Vec<(String, u32)> = counts.into_iter().collect();
    sorted.sort_unstable();
    let mut terms = String::with_capacity(sorted.iter().map(|(t, _)| t.len() + 1).sum());
    let mut term_counts = Vec::with_capacity(sorted.len());
    for (term, count) in sorted {
        terms.push_str(&term);
        terms.push('\n');
        term_counts.push(u16::try_from(count).unwrap_or(u16::MAX));
    }
    SearchTerms::new(terms, term_counts, length)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The words of `text`: runs of letters, digits and `_`, with `.` kept between two letters
/// or digits; a run of CJK characters ([`is_cjk`]) is a word of its own.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(is_word_char)?;
        let tail = &rest[start..];
        let mut end = tail.len();
        let cjk = tail.starts_with(is_cjk);
        let mut chars = tail.char_indices().peekable();
        let mut previous_alnum = false;
        while let Some((at, c)) = chars.next() {
            if is_cjk(c) != cjk {
                end = at;
                break;
            }
            if is_word_char(c) {
                previous_alnum = c.is_alphanumeric();
                continue;
            }
            let next_alnum = chars
                .peek()
                .is_some_and(|&(_, n)| n.is_alphanumeric() && is_cjk(n) == cjk);
            if c == '.' && previous_alnum && next_alnum {
                previous_alnum = false;
                continue;
            }
            end = at;
            break;
        }
        let word = &tail[..end];
        rest = &tail[end..];
        Some(word)
    })
}

/// Splits a word at `.`, `_` and camel case into `parts` (empty parts left out).
fn split_parts<'a>(word: &'a str, parts: &mut Vec<&'a str>) {
    for piece in word.split(['.', '_']).filter(|p| !p.is_empty()) {
        let chars: Vec<(usize, char)> = piece.char_indices().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (at, c) = chars[i];
            let previous = chars[i - 1].1;
            let lower_to_upper = previous.is_lowercase() && c.is_uppercase();
            let acronym_end = previous.is_uppercase()
                && c.is_uppercase()
                && chars.get(i + 1).is_some_and(|&(_, n)| n.is_lowercase());
            if lower_to_upper || acronym_end {
                parts.push(&piece[start..at]);
                start = at;
            }
        }
        parts.push(&piece[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, |term, _| out.push(term.to_string()));
        out
    }

    #[test]
    fn plain_words_are_folded() {
        assert_eq!(terms("Hello, World! a"), ["hello", "world"]);
        assert_eq!(
            terms("Été à Zürich — déjà vu"),
            ["ete", "zurich", "deja", "vu"]
        );
        assert_eq!(terms("Straße"), ["strasse"]);
        assert_eq!(terms("React Native’s"), ["react", "native"]);
        assert_eq!(terms("ΣΊΣΥΦΟΣ σίσυφος"), ["σισυφοσ", "σισυφοσ"]);
    }

    #[test]
    fn identifiers_split_and_whole() {
        assert_eq!(
            terms("Context.invoke"),
            ["context", "invoke", "context.invoke"]
        );
        assert_eq!(terms("read_file"), ["read", "file", "read_file"]);
        assert_eq!(
            terms("getElementById"),
            ["get", "element", "by", "id", "getelementbyid"]
        );
        assert_eq!(terms("HTMLParser"), ["html", "parser", "htmlparser"]);
        assert_eq!(
            terms("click.core.Context.invoke()"),
            [
                "click",
                "core",
                "context",
                "invoke",
                "click.core.context.invoke"
            ]
        );
        // `__init__`: the underscores go, the word stays.
        assert_eq!(terms("__init__"), ["init"]);
    }

    #[test]
    fn sentence_dots_and_numbers() {
        assert_eq!(terms("End. Next"), ["end", "next"]);
        assert_eq!(
            terms("version 1.5 of utf8"),
            ["version", "1.5", "of", "utf8"]
        );
        assert_eq!(terms("a.b."), ["a.b"]);
        assert_eq!(terms("x"), Vec::<String>::new());
        let long = "x".repeat(MAX_TERM_CHARS + 1);
        assert_eq!(terms(&long), Vec::<String>::new());
    }

    #[test]
    fn cjk_runs_are_pairs_of_characters() {
        assert_eq!(
            terms("東京都に住む"),
            ["東京", "京都", "都に", "に住", "住む"]
        );
        assert_eq!(terms("猫"), ["猫"]);
        assert_eq!(
            terms("Python入門 ガイド"),
            ["python", "入門", "ガイ", "イド"]
        );
        assert_eq!(
            terms("人工智能。机器学习"),
            ["人工", "工智", "智能", "机器", "器学", "学习"]
        );
        assert_eq!(terms("한국어 검색"), ["한국", "국어", "검색"]);
        // A dot between Latin and CJK ends the Latin word.
        assert_eq!(terms("v1.日本"), ["v1", "日本"]);
        assert_eq!(terms("Zoë中文"), ["zoe", "中文"]);
        let counted = body_terms("東京 東京");
        assert_eq!(counted.terms(), "東京\n");
        assert_eq!(counted.counts(), [2]);
        assert_eq!(counted.length(), 2);
    }

    #[test]
    fn body_terms_count_and_sort() {
        let counted = body_terms("the cat and the Cat. read_file");
        assert_eq!(counted.terms(), "and\ncat\nfile\nread\nread_file\nthe\n");
        assert_eq!(counted.counts(), [1, 2, 1, 1, 1, 2]);
        assert_eq!(counted.length(), 6);
        assert_eq!(body_terms("").terms(), "");
    }
}
