//! Conditions: one thing (`what`) that can happen only if another (`requires`) does, each side a span
//! of the text, with who asserts it where the sentence says.
//!
//! The cues are in `data/conditions.toml` (schema at its top), each with the side of the cue on which
//! `what` and `requires` stand. The mechanism, inside one sentence:
//!
//! - A clause ends at `,` `;` `:` `—` `–` `(` `)` or the sentence's ends. The `before` side of a cue is
//!   the clause before it; the `after` side runs from the cue to the next `;` `:` `—` `(` or the
//!   sentence end (commas do not end it: requirements are often lists).
//! - When a cue opens its clause ("Only if X, Y"; "Furthermore, in order to X, Y": a comma right
//!   before the cue and another after it), the `after` side ends at the first comma and the `before`
//!   side is the clause after that comma. Otherwise a comma right before the cue does not end the
//!   `before` side ("X, provided that Y").
//! - A leading "that" is trimmed from a side; a `before` side starts after its last `openers` word
//!   ("analysts noted that the deal depends on" → "the deal") and loses its `trailing_words`; an
//!   empty side drops the condition.
//! - `asserted_by` is the first person or organisation mentioned in the sentence before the cue and
//!   outside the requirement, else the first country, demonym or capital there.

use crate::cues::{CueHit, CueSet};
use crate::fold::Folded;
use crate::{DataError, Mention, MentionKind, Span};
use serde::{Deserialize, Serialize};
use std::path::Path;

const DEFAULT_CONDITIONS: &str = include_str!("../data/conditions.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionFile {
    openers: Vec<String>,
    trailing_words: Vec<String>,
    not_conditions: Vec<String>,
    cue: Vec<CueEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueEntry {
    phrase: String,
    what: Side,
    requires: Side,
}

/// Where one side of a condition stands relative to its cue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Side {
    Before,
    After,
}

/// A condition found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// First byte of the evidence (both sides and the cue).
    pub start: usize,
    /// One past the last byte of the evidence.
    pub end: usize,
    /// What is conditioned: its text.
    pub what: String,
    /// Byte range of `what`.
    pub what_span: Span,
    /// What it requires: its text.
    pub requires: String,
    /// Byte range of `requires`.
    pub requires_span: Span,
    /// Canonical name of who states the condition, if the sentence names them.
    pub asserted_by: Option<String>,
    /// The cue as written.
    pub cue: String,
}

/// The condition cue lexicon, compiled.
#[derive(Clone, Debug)]
pub struct ConditionFinder {
    cues: CueSet,
    sides: Vec<(Side, Side)>,
    not_conditions: CueSet,
    trailing_words: Vec<String>,
    openers: Vec<String>,
}

impl ConditionFinder {
    /// The finder with the shipped `data/conditions.toml`.
    pub fn load_default() -> Result<ConditionFinder, DataError> {
        ConditionFinder::from_toml("conditions.toml", DEFAULT_CONDITIONS)
    }

    /// A finder with the lexicon at `path` (same schema as the shipped file).
    pub fn from_file(path: &Path) -> Result<ConditionFinder, DataError> {
        let (file, src) = crate::read_data(path)?;
        ConditionFinder::from_toml(&file, &src)
    }

    /// A finder from the TOML source of a lexicon; `file` names it in errors.
    pub fn from_toml(file: &str, src: &str) -> Result<ConditionFinder, DataError> {
        let parsed: ConditionFile = toml::from_str(src).map_err(|e| DataError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        if let Some(c) = parsed.cue.iter().find(|c| c.what == c.requires) {
            return Err(DataError::Invalid {
                file: file.to_string(),
                entry: format!("cue {:?}", c.phrase),
                problem: "`what` and `requires` are on the same side".to_string(),
            });
        }
        let phrases: Vec<String> = parsed.cue.iter().map(|c| c.phrase.clone()).collect();
        Ok(ConditionFinder {
            cues: CueSet::new(file, "cue", &phrases)?,
            sides: parsed.cue.iter().map(|c| (c.what, c.requires)).collect(),
            not_conditions: CueSet::new(file, "not_conditions", &parsed.not_conditions)?,
            openers: parsed.openers.iter().map(|w| w.to_lowercase()).collect(),
            trailing_words: parsed
                .trailing_words
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
        })
    }

    /// The conditions of `text`, in text order; `sentences` are its sentence spans and `mentions` its
    /// mentions.
    pub fn find(&self, text: &str, sentences: &[Span], mentions: &[Mention]) -> Vec<Condition> {
        let folded = Folded::new(text);
        let hits = self.cue_sets().map(|cues| cues.find(&folded));
        self.find_with_cues(text, hits, sentences, mentions)
    }

    /// The cue lists, in the order [`ConditionFinder::find_with_cues`] takes their hits:
    /// `not_conditions`, the cues.
    pub(crate) fn cue_sets(&self) -> [&CueSet; 2] {
        [&self.not_conditions, &self.cues]
    }

    /// [`ConditionFinder::find`] with the hits of [`ConditionFinder::cue_sets`] in the text already
    /// found.
    pub(crate) fn find_with_cues(
        &self,
        text: &str,
        hits: [Vec<CueHit>; 2],
        sentences: &[Span],
        mentions: &[Mention],
    ) -> Vec<Condition> {
        let [blocked, cues] = hits;
        let mut out = Vec::new();
        for hit in cues {
            if blocked
                .iter()
                .any(|b| b.start <= hit.start && hit.end <= b.end)
            {
                continue;
            }
            let Some(sentence) = sentences
                .iter()
                .find(|s| s.start <= hit.start && hit.end <= s.end)
            else {
                continue;
            };
            let before = clause_before(text, sentence.start, hit.start);
            let before = self.drop_trailing(text, self.after_opener(text, before));
            let (before, after) = if opens_clause(text, sentence, hit.start, hit.end) {
                // The cue opens its clause: "Only if X, Y", "Furthermore, in order to X, Y".
                let after = clause_after(text, hit.end, sentence.end, true);
                let rest = clause_after(text, after.end, sentence.end, false);
                (rest, after)
            } else {
                (before, clause_after(text, hit.end, sentence.end, false))
            };
            let (what_side, requires_side) = self.sides[hit.index];
            let pick = |side: Side| if side == Side::Before { before } else { after };
            let (what_span, requires_span) = (pick(what_side), pick(requires_side));
            if what_span.start == what_span.end || requires_span.start == requires_span.end {
                continue;
            }
            let start = what_span.start.min(requires_span.start).min(hit.start);
            let end = what_span.end.max(requires_span.end).max(hit.end);
            out.push(Condition {
                start,
                end,
                what: what_span.as_str(text).to_string(),
                what_span,
                requires: requires_span.as_str(text).to_string(),
                requires_span,
                asserted_by: asserted_by(mentions, sentence.start, hit.start, requires_span),
                cue: text[hit.start..hit.end].to_string(),
            });
        }
        out
    }
}

impl ConditionFinder {
    /// `span` from after its last `openers` word ("X said that Y" → "Y"), if that leaves text.
    fn after_opener(&self, text: &str, span: Span) -> Span {
        let s = span.as_str(text);
        let mut cut = None;
        let mut offset = 0;
        for word in s.split_inclusive(char::is_whitespace) {
            offset += word.len();
            if self
                .openers
                .iter()
                .any(|o| o.eq_ignore_ascii_case(word.trim()))
                && offset < s.len()
            {
                cut = Some(offset);
            }
        }
        match cut {
            Some(c) => trim(text, span.start + c, span.end),
            None => span,
        }
    }

    /// `span` without the `trailing_words` at its end.
    fn drop_trailing(&self, text: &str, span: Span) -> Span {
        let mut end = span.end;
        loop {
            let s = text[span.start..end].trim_end();
            let cut = s
                .char_indices()
                .rfind(|&(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let word = &s[cut..];
            if cut == 0
                || !self
                    .trailing_words
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(word))
            {
                return Span {
                    start: span.start,
                    end: span.start + s.len(),
                };
            }
            end = span.start + cut;
        }
    }
}

/// Whether the cue at `start..end` opens a clause whose requirement ends at a comma: nothing but
/// blanks and quotes before it in the sentence, or a comma right before it and another after it
/// ("Furthermore, in order to X, Y"; but "X, provided that Y" continues the clause before).
fn opens_clause(text: &str, sentence: &Span, start: usize, end: usize) -> bool {
    let before = text[sentence.start..start].trim_end();
    let opening = before
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '"' | '“' | '‘' | '\''));
    opening || (before.ends_with(',') && text[end..sentence.end].contains(','))
}

/// Characters that end a clause.
fn clause_break(c: char, commas: bool) -> bool {
    matches!(c, ';' | ':' | '—' | '–' | '(' | ')') || (commas && c == ',')
}

/// The clause before `at`, from the last clause break after `from` (a break right before `at` does
/// not count: "X, provided that Y"); trimmed, a leading "that" removed.
fn clause_before(text: &str, from: usize, at: usize) -> Span {
    let region =
        text[from..at].trim_end_matches(|c: char| c.is_whitespace() || clause_break(c, true));
    let at = from + region.len();
    let start = region
        .char_indices()
        .filter(|&(_, c)| clause_break(c, true))
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
        .unwrap_or(0);
    trim(text, from + start, at)
}

/// The clause after `from`, up to the next clause break (commas included when `commas`) or `to`.
fn clause_after(text: &str, from: usize, to: usize, commas: bool) -> Span {
    let region = &text[from..to];
    let mut end = region
        .char_indices()
        .find(|&(_, c)| clause_break(c, commas))
        .map_or(region.len(), |(i, _)| i);
    // A side does not run into the sentence's closing punctuation.
    end = region[..end]
        .trim_end_matches(['.', '!', '?', '"', '”', ' ', '\n'])
        .len();
    let skip = region[..end]
        .char_indices()
        .find(|&(_, c)| !(c.is_whitespace() || c == ','))
        .map_or(end, |(i, _)| i);
    trim(text, from + skip, from + end)
}

/// `start..end` without surrounding blanks and without a leading "that ".
fn trim(text: &str, start: usize, end: usize) -> Span {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let mut start = start + lead;
    let end = start + s.trim().len();
    let rest = &text[start..end];
    if rest.len() > 5
        && rest
            .get(..5)
            .is_some_and(|w| w.eq_ignore_ascii_case("that "))
    {
        start += 5;
    }
    Span { start, end }
}

/// Who states the condition: the first person or organisation mentioned in the sentence before the
/// cue and outside the requirement, else the first country, demonym or capital there (the subject
/// usually comes first: "Turkish officials say that X depends on Y").
fn asserted_by(mentions: &[Mention], from: usize, cue: usize, requires: Span) -> Option<String> {
    let here: Vec<&Mention> = mentions
        .iter()
        .filter(|m| m.start >= from && m.end <= cue)
        .filter(|m| !(requires.start <= m.start && m.end <= requires.end))
        .collect();
    here.iter()
        .find(|m| matches!(m.kind, MentionKind::Person | MentionKind::Organisation))
        .or_else(|| {
            here.iter().find(|m| {
                matches!(
                    m.kind,
                    MentionKind::Country | MentionKind::Demonym | MentionKind::Capital
                )
            })
        })
        .map(|m| m.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_are_clauses() {
        let text = "He said, however, that the deal depends on a vote.";
        let cue = text.find("depends").unwrap();
        let before = clause_before(text, 0, cue);
        assert_eq!(before.as_str(text), "the deal");
        let after = clause_after(text, cue + "depends on".len(), text.len(), false);
        assert_eq!(after.as_str(text), "a vote");
    }

    #[test]
    fn a_cue_on_both_sides_at_once_is_refused() {
        let bad = "openers = []\ntrailing_words = []\nnot_conditions = []\n[[cue]]\nphrase = \"if\"\nwhat = \"after\"\nrequires = \"after\"\n";
        let err = ConditionFinder::from_toml("c.toml", bad).unwrap_err();
        assert!(err.to_string().contains("same side"), "{err}");
        assert!(ConditionFinder::load_default().is_ok());
    }
}
