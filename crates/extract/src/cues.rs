//! Cue phrases found in a folded text: one key trie per cue list ([`crate::trie`]), whole words only,
//! the longest cue at a position winning. Shared by [`crate::events`] and [`crate::conditions`].

use crate::DataError;
use crate::fold::{Folded, fold_key};
use crate::trie::KeyTrie;

/// A compiled list of cue phrases; each match reports the index of its phrase in the list.
#[derive(Clone, Debug)]
pub(crate) struct CueSet {
    /// The folded phrases.
    keys: Vec<String>,
    matcher: KeyTrie,
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
        Ok(CueSet {
            matcher: KeyTrie::new(&keys),
            keys,
        })
    }

    /// The folded phrases, in the order of the list (for a [`KeyTrie`] over several lists).
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Every whole-word match in `folded`, in text order, not overlapping: at each position the
    /// longest cue; when it is not a whole word, the search resumes one byte later.
    pub fn find(&self, folded: &Folded) -> Vec<CueHit> {
        let mut hits = Vec::new();
        self.matcher.scan(folded, |_, start, end, index| {
            take(folded, start, end, index, &mut hits)
        });
        hits
    }
}

/// Takes the match of cue `index` at the folded range `start..end` into `hits` if it is a whole word
/// of whole characters (the test [`CueSet::find`] applies to the longest cue at each position).
pub(crate) fn take(
    folded: &Folded,
    start: usize,
    end: usize,
    index: usize,
    hits: &mut Vec<CueHit>,
) -> bool {
    let Some(src) = folded.whole_source(start..end) else {
        return false;
    };
    hits.push(CueHit {
        start: src.start,
        end: src.end,
        index,
    });
    true
}

/// The number of words in `text` (runs of letters, digits and apostrophes).
pub(crate) fn word_count(text: &str) -> usize {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .count()
}
