//! Sentence spans: byte ranges of the sentences of a text.
//!
//! # Why our own splitter
//! STACK.md recommends sentencex and names its gaps (`Conf.`, `Fri.` split; no Turkish list) and that
//! the fix is a project abbreviation list applied as a merge pass. We need that list anyway, and once it
//! exists the rest of a splitter for our input (English news and analysis) is a page of code: full
//! stops, `?`/`!`, ellipses, closing quotes, footnote marks, and paragraph breaks. Owning it keeps every
//! decision in one place and in data (`data/abbreviations.toml`), returns byte spans directly in one
//! pass with no second segmentation to reconcile, and avoids the dependency's bundled binary and `clap`.
//!
//! # Rules
//! A sentence ends
//! - at a paragraph break (`\n`, optional blanks, `\n`), always;
//! - after a run of `.`, `!`, `?` or `…`, plus any closing quotes or brackets and footnote marks
//!   (`[12]`, `¹²`), when whitespace or the end of the text follows and the next word does not start
//!   with a lower-case letter (`“Really?” he asked` stays one sentence);
//! - but a single `.` after an abbreviation ends a sentence only as `data/abbreviations.toml` says:
//!   never after titles (`Dr.`, `Gen.`, `St.`), after `U.S.`/`Jan.`/one-letter initials only before a
//!   typical sentence opener (`The`, `He` …), after `No.`/`p.` only when no number follows.
//!
//! Decimals (`3.5`) and dotted abbreviations (`U.S.`) never split because a period must be followed by
//! whitespace. Spans exclude the surrounding whitespace; text that is only whitespace has no sentences.

use crate::hash::FastSet;
use crate::{DataError, Span};
use serde::Deserialize;
use std::path::Path;
use std::sync::LazyLock;

const DEFAULT_ABBREVIATIONS: &str = include_str!("../data/abbreviations.toml");

static DEFAULT: LazyLock<Splitter> = LazyLock::new(|| {
    Splitter::from_toml("abbreviations.toml", DEFAULT_ABBREVIATIONS)
        .expect("the shipped data/abbreviations.toml is valid (checked by the crate's tests)")
});

/// The sentences of `text`, as byte spans, in order, using the shipped abbreviation list.
///
/// ```
/// let text = "Dr. Smith met Gen. Jones in St. Petersburg. They talked.";
/// let spans = peacetrack_extract::sentences(text);
/// assert_eq!(spans.len(), 2);
/// assert_eq!(spans[1].as_str(text), "They talked.");
/// ```
pub fn sentences(text: &str) -> Vec<Span> {
    DEFAULT.split(text)
}

/// A sentence splitter configured by an abbreviation list.
#[derive(Clone, Debug)]
pub struct Splitter {
    never_final: FastSet<String>,
    may_end: FastSet<String>,
    before_number: FastSet<String>,
    starters: FastSet<String>,
}

/// `abbreviations.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbbreviationFile {
    never_final: Vec<String>,
    may_end: Vec<String>,
    before_number: Vec<String>,
    sentence_starters: Vec<String>,
}

impl Splitter {
    /// The splitter with the shipped `data/abbreviations.toml`.
    pub fn load_default() -> Splitter {
        DEFAULT.clone()
    }

    /// A splitter with the abbreviation list at `path` (same schema as the shipped file).
    pub fn from_file(path: &Path) -> Result<Splitter, DataError> {
        let (file, src) = crate::read_data(path)?;
        Splitter::from_toml(&file, &src)
    }

    /// A splitter from the text of an abbreviation file; `file` names it in errors.
    pub fn from_toml(file: &str, src: &str) -> Result<Splitter, DataError> {
        let parsed: AbbreviationFile = toml::from_str(src).map_err(|e| DataError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let lower_set = |list: &[String], field: &str| -> Result<FastSet<String>, DataError> {
            let mut set = FastSet::default();
            for a in list {
                let a = a.trim();
                if a.is_empty() || a.ends_with('.') || a.chars().any(char::is_whitespace) {
                    return Err(DataError::Invalid {
                        file: file.to_string(),
                        entry: format!("{field}: {a:?}"),
                        problem: "write one word without its final period".to_string(),
                    });
                }
                set.insert(a.to_lowercase());
            }
            Ok(set)
        };
        Ok(Splitter {
            never_final: lower_set(&parsed.never_final, "never_final")?,
            may_end: lower_set(&parsed.may_end, "may_end")?,
            before_number: lower_set(&parsed.before_number, "before_number")?,
            starters: parsed
                .sentence_starters
                .iter()
                .map(|s| s.trim().to_string())
                .collect(),
        })
    }

    /// The sentences of `text`, as byte spans, in order. Linear in the length of the text.
    pub fn split(&self, text: &str) -> Vec<Span> {
        let bytes = text.as_bytes();
        let len = bytes.len();
        let mut out = Vec::new();
        let mut seg = 0;
        let mut i = 0;
        while i < len {
            let b = bytes[i];
            // Only line breaks and terminators matter (`…` starts with 0xE2): skip the rest quickly.
            if !matches!(b, b'\n' | b'.' | b'!' | b'?' | 0xE2) {
                i = next_special(bytes, i + 1);
                continue;
            }
            if b == b'\n' {
                let mut j = i + 1;
                while j < len && matches!(bytes[j], b' ' | b'\t' | b'\r') {
                    j += 1;
                }
                if j < len && bytes[j] == b'\n' {
                    push_trimmed(text, seg, i, &mut out);
                    seg = j + 1;
                    i = j + 1;
                } else {
                    i += 1;
                }
                continue;
            }
            if b == 0xE2 && !text[i..].starts_with('…') {
                i += 1;
                continue;
            }
            // A run of terminators: ".", "?!", "...", "…".
            let run_start = i;
            let mut j = i;
            let mut dots = 0;
            let mut strong = false;
            loop {
                if j < len && bytes[j] == b'.' {
                    dots += 1;
                    j += 1;
                } else if j < len && matches!(bytes[j], b'!' | b'?') {
                    strong = true;
                    j += 1;
                } else if text[j..].starts_with('…') {
                    dots += 3;
                    j += '…'.len_utf8();
                } else {
                    break;
                }
            }
            // "[...]" and "(…)" mark an omission inside a quotation, not an end.
            let bracketed = run_start > 0
                && matches!(bytes[run_start - 1], b'[' | b'(')
                && j < len
                && matches!(bytes[j], b']' | b')');
            let end = skip_closers(text, j);
            let followed_by_space = end >= len || text[end..].starts_with(char::is_whitespace);
            if bracketed || !followed_by_space {
                i = end.max(i + 1);
                continue;
            }
            let next = next_word(text, end);
            let ends = if next.starts_with(char::is_lowercase) {
                false
            } else if dots == 1 && !strong {
                self.period_ends(text, run_start, next)
            } else {
                true
            };
            if ends {
                push_trimmed(text, seg, end, &mut out);
                seg = end;
            }
            i = end;
        }
        push_trimmed(text, seg, len, &mut out);
        out
    }

    /// Whether the single period at `dot` ends its sentence, given the next word.
    fn period_ends(&self, text: &str, dot: usize, next: &str) -> bool {
        let token = word_before(text, dot);
        if token.is_empty() {
            return true;
        }
        let lower = token.to_lowercase();
        if self.never_final.contains(&lower) {
            return false;
        }
        if self.before_number.contains(&lower) {
            return !next.starts_with(|c: char| c.is_ascii_digit());
        }
        let initial = token.chars().count() == 1 && token.starts_with(char::is_alphabetic);
        if self.may_end.contains(&lower) || initial || is_dotted_acronym(token) {
            return self.starters.contains(next);
        }
        true
    }
}

/// The first byte at or after `i` that is a line break, a terminator or the first byte of `…`
/// (`bytes.len()` if none), eight bytes at a time.
fn next_special(bytes: &[u8], mut i: usize) -> usize {
    // A byte of `word` is zero where `word` has byte `b`; the classic test finds any zero byte.
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has = |word: u64, b: u8| {
        let x = word ^ (LOW * u64::from(b));
        x.wrapping_sub(LOW) & !x & HIGH != 0
    };
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        if has(word, b'\n')
            || has(word, b'.')
            || has(word, b'!')
            || has(word, b'?')
            || has(word, 0xE2)
        {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && !matches!(bytes[i], b'\n' | b'.' | b'!' | b'?' | 0xE2) {
        i += 1;
    }
    i
}

/// Pushes `text[start..end]` without surrounding whitespace, if anything is left.
fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let piece = &text[start..end];
    let trimmed_start = piece.trim_start();
    let s = start + (piece.len() - trimmed_start.len());
    let e = s + trimmed_start.trim_end().len();
    if e > s {
        out.push(Span { start: s, end: e });
    }
}

/// Skips closing quotes and brackets and footnote marks after a terminator.
fn skip_closers(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        let rest = &text[i..];
        let Some(c) = rest.chars().next() else {
            return i;
        };
        if matches!(
            c,
            '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›' | '」'
        ) || matches!(c, '¹' | '²' | '³' | '⁰'..='⁹')
        {
            i += c.len_utf8();
            continue;
        }
        // A footnote mark: "[12]".
        if c == '[' {
            let digits = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
            if (1..=4).contains(&digits) && bytes.get(i + 1 + digits) == Some(&b']') {
                i += digits + 2;
                continue;
            }
        }
        return i;
    }
}

/// The next word after `i`: skips whitespace and opening quotes or brackets, then takes letters and
/// digits. Empty when something else (a dash, a bullet, the end) comes first.
fn next_word(text: &str, i: usize) -> &str {
    let rest = text[i..].trim_start();
    let rest = rest.trim_start_matches(['"', '\'', '(', '[', '{', '“', '‘', '«', '‹', '„', '「']);
    let n = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(rest.len(), |(k, _)| k);
    &rest[..n]
}

/// The word that ends at byte `end` (exclusive): letters, digits and inner periods ("U.S", "e.g").
fn word_before(text: &str, end: usize) -> &str {
    let head = &text[..end];
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |(k, c)| k + c.len_utf8());
    head[start..].trim_start_matches('.')
}

/// "E.U", "A.B.C": single letters joined by periods.
fn is_dotted_acronym(token: &str) -> bool {
    token.contains('.')
        && token
            .split('.')
            .all(|part| part.chars().count() == 1 && part.starts_with(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits and returns the sentence texts.
    fn split(text: &str) -> Vec<&str> {
        sentences(text).iter().map(|s| s.as_str(text)).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two.", &["One.", "Two."]),
            ("", &[]),
            ("  \n\n ", &[]),
            ("No terminator at all", &["No terminator at all"]),
            (
                "The U.S. State Department spoke. Then it stopped.",
                &["The U.S. State Department spoke.", "Then it stopped."],
            ),
            (
                "Aid came from the U.S. The talks went on.",
                &["Aid came from the U.S.", "The talks went on."],
            ),
            (
                "Dr. Araz Quliyev met Gen. Tofiq Aslanov.",
                &["Dr. Araz Quliyev met Gen. Tofiq Aslanov."],
            ),
            (
                "They flew to St. Petersburg on Jan. 12. It snowed.",
                &["They flew to St. Petersburg on Jan. 12.", "It snowed."],
            ),
            (
                "Mr. Lind and Prof. Varga wrote Resolution No. 7 together.",
                &["Mr. Lind and Prof. Varga wrote Resolution No. 7 together."],
            ),
            (
                "Some cases, e.g. border towns, i.e. villages, differ.",
                &["Some cases, e.g. border towns, i.e. villages, differ."],
            ),
            (
                "The novel is by J. R. Ashworth. He wrote it in 1990.",
                &["The novel is by J. R. Ashworth.", "He wrote it in 1990."],
            ),
            (
                "Growth was 3.5 percent. Inflation fell.",
                &["Growth was 3.5 percent.", "Inflation fell."],
            ),
            (
                "He said: “We are ready.” Then he left.",
                &["He said: “We are ready.”", "Then he left."],
            ),
            (
                "“Are you ready?” he asked. “Yes!” she said.",
                &["“Are you ready?” he asked.", "“Yes!” she said."],
            ),
            (
                "The meeting was fruitful.”[8] The next one follows.",
                &["The meeting was fruitful.”[8]", "The next one follows."],
            ),
            (
                "The talks stalled… Then a deal came.",
                &["The talks stalled…", "Then a deal came."],
            ),
            (
                "He waited... and waited. Nothing.",
                &["He waited... and waited.", "Nothing."],
            ),
            (
                "He said “[...] the border stays shut” today.",
                &["He said “[...] the border stays shut” today."],
            ),
            ("A heading\n\nA paragraph.", &["A heading", "A paragraph."]),
            (
                "Line one goes on\nover a hard wrap. End.",
                &["Line one goes on\nover a hard wrap.", "End."],
            ),
            ("Really?! Yes.", &["Really?!", "Yes."]),
            (
                "Ends with an abbreviation, etc.",
                &["Ends with an abbreviation, etc."],
            ),
            (
                "The answer was no. Then we left.",
                &["The answer was no.", "Then we left."],
            ),
            ("(See above.) Next point.", &["(See above.)", "Next point."]),
        ];
        for (text, want) in cases {
            assert_eq!(split(text), *want, "splitting {text:?}");
        }
    }

    #[test]
    fn rejects_bad_entries() {
        let bad =
            "never_final = [\"Dr.\"]\nmay_end = []\nbefore_number = []\nsentence_starters = []\n";
        let err = Splitter::from_toml("abbr.toml", bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("abbr.toml") && err.contains("Dr."), "{err}");
    }

    proptest::proptest! {
        /// Spans are in order, on char boundaries, trimmed, and together cover every non-blank
        /// character of the text.
        #[test]
        fn spans_cover_the_text(text in r#"([A-Za-z]{1,6}|[ .!?…\n"”“’'\[\]0-9]|Dr\.|U\.S\.|İ|ç){0,60}"#) {
            let spans = sentences(&text);
            let mut covered = 0;
            let mut last = 0;
            for s in &spans {
                proptest::prop_assert!(s.start >= last && s.start < s.end && s.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                let piece = s.as_str(&text);
                proptest::prop_assert_eq!(piece, piece.trim());
                covered += piece.chars().filter(|c| !c.is_whitespace()).count();
                last = s.end;
            }
            proptest::prop_assert_eq!(covered, text.chars().filter(|c| !c.is_whitespace()).count());
        }
    }

    #[test]
    fn the_default_list_loads() {
        let s = Splitter::load_default();
        assert!(s.never_final.contains("dr"));
        assert!(s.may_end.contains("u.s"));
    }
}
