//! Cue phrases found in a folded text: one Aho-Corasick automaton per cue list, whole words only,
//! the longest cue at a position winning. Shared by [`crate::events`] and [`crate::conditions`].

use crate::DataError;
use crate::fold::{Folded, fold_key};
use aho_corasick::{AhoCorasick, MatchKind};

/// A compiled list of cue phrases; each match reports the index of its phrase in the list.
#[derive(Clone, Debug)]
pub(crate) struct CueSet {
    matcher: Option<AhoCorasick>,
}

/// A cue found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CueHit {
    /// Byte range in the original text.
    pub start: usize,
    /// One past the last byte in the original text.
    pub end: usize,
    /// Index of the phrase in the list the set was built from.
    pub index: usize,
}

impl CueSet {
    /// Compiles `phrases`; `what` names the list in errors (`events.toml: negation`).
    pub fn new(file: &str, what: &str, phrases: &[String]) -> Result<CueSet, DataError> {
        let keys: Vec<String> = phrases.iter().map(|p| fold_key(p)).collect();
        if let Some(i) = keys.iter().position(|k| k.is_empty()) {
            return Err(DataError::Invalid {
                file: file.to_string(),
                entry: format!("{what} {:?}", phrases[i]),
                problem: "the cue is empty once folded".to_string(),
            });
        }
        let matcher = if keys.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&keys)
                    .map_err(|e| DataError::Invalid {
                        file: file.to_string(),
                        entry: what.to_string(),
                        problem: e.to_string(),
                    })?,
            )
        };
        Ok(CueSet { matcher })
    }

    /// Every whole-word match in `folded`, in text order, not overlapping. When the longest cue at a
    /// position is not a whole word, the search resumes one byte later.
    pub fn find(&self, folded: &Folded) -> Vec<CueHit> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let hay = folded.as_str();
        let mut hits = Vec::new();
        let mut at = 0;
        while at < hay.len() {
            let input = aho_corasick::Input::new(hay).range(at..);
            let Some(m) = matcher.find(input) else {
                break;
            };
            let range = m.start()..m.end();
            if folded.is_whole_word(range.clone())
                && folded.starts_char(range.start)
                && folded.ends_char(range.end)
            {
                let src = folded.source(range.clone());
                hits.push(CueHit {
                    start: src.start,
                    end: src.end,
                    index: m.pattern().as_usize(),
                });
                at = range.end;
            } else {
                at = m.start() + 1;
            }
        }
        hits
    }
}

/// The number of words in `text` (runs of letters, digits and apostrophes).
pub(crate) fn word_count(text: &str) -> usize {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .count()
}
