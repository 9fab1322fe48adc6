//! Folding and whole-word cue matching.
//!
//! Cue phrases and texts are compared on a *folded* copy: every character is transliterated with
//! `deunicode` **before** it is lower-cased (`Türkiye` → `turkiye`, `Kılıç` → `kilic`; lower-casing
//! first would turn `İ` into `i` plus a combining dot), runs of whitespace, hyphens and dashes become
//! one space (`Armenia–Türkiye` = `Armenia Turkiye`, a line break inside a phrase does not stop it),
//! and characters that transliterate to nothing (combining marks, soft hyphens) join the character
//! before them. A match must start and end on word boundaries of the folded text. Every folded byte
//! remembers the original bytes it came from, so matches are reported as byte ranges of the
//! original text, always on `char` boundaries.

use serde::Serialize;

/// A folded copy of a text with a map back to the original bytes.
#[derive(Clone, Debug)]
pub struct Folded {
    text: String,
    /// For each folded byte, the original byte range of the character that produced it.
    src: Vec<(usize, usize)>,
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

impl Folded {
    /// Folds `text` (linear in its length).
    pub fn new(text: &str) -> Folded {
        let mut out = Folded {
            text: String::with_capacity(text.len()),
            src: Vec::with_capacity(text.len()),
        };
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            if c.is_whitespace() || is_dash(c) || c == '_' {
                out.push_space(i, end);
            } else if c.is_ascii() {
                out.push_char(c.to_ascii_lowercase(), i, end);
            } else {
                match deunicode::deunicode_char(c) {
                    Some(t) if !t.is_empty() => {
                        for t in t.chars() {
                            if t.is_whitespace() || is_dash(t) {
                                out.push_space(i, end);
                            } else {
                                out.push_char(t.to_ascii_lowercase(), i, end);
                            }
                        }
                    }
                    Some(_) => out.absorb(end),
                    None => {
                        if c.is_alphanumeric() {
                            for l in c.to_lowercase() {
                                out.push_char(l, i, end);
                            }
                        } else {
                            out.absorb(end);
                        }
                    }
                }
            }
        }
        out
    }

    fn push_char(&mut self, c: char, start: usize, end: usize) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.src.push((start, end));
        }
    }

    fn push_space(&mut self, start: usize, end: usize) {
        if self.text.ends_with(' ') {
            if let Some(last) = self.src.last_mut() {
                last.1 = end;
            }
        } else {
            self.push_char(' ', start, end);
        }
    }

    /// A character that folds to nothing belongs to the character before it.
    fn absorb(&mut self, end: usize) {
        if let Some(&(s, _)) = self.src.last() {
            for r in self.src.iter_mut().rev() {
                if r.0 != s {
                    break;
                }
                r.1 = end;
            }
        }
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The original byte range of the folded byte range `start..end` (non-empty, in bounds).
    pub fn source(&self, start: usize, end: usize) -> (usize, usize) {
        let a = self.src.get(start).map_or(0, |r| r.0);
        let b = self
            .src
            .get(end.saturating_sub(1))
            .map_or(a, |r| r.1)
            .max(a);
        (a, b)
    }

    /// Whole-word occurrences of an already folded `key` in the folded text, as folded byte ranges.
    pub fn find_words(&self, key: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        if key.is_empty() {
            return out;
        }
        let t = self.text.as_str();
        for (at, m) in t.match_indices(key) {
            let end = at + m.len();
            let before = t[..at].chars().next_back();
            let after = t[end..].chars().next();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
            // A key that starts/ends with a non-word character needs no boundary on that side.
            let key_first = key.chars().next().is_some_and(char::is_alphanumeric);
            let key_last = key.chars().next_back().is_some_and(char::is_alphanumeric);
            if (key_first && word(before)) || (key_last && word(after)) {
                continue;
            }
            out.push((at, end));
        }
        out
    }
}

/// Folds a cue phrase into its match key: the folded text, trimmed.
pub fn fold_key(phrase: &str) -> String {
    Folded::new(phrase).as_str().trim().to_string()
}

/// Where a cue phrase matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CueMatch {
    /// The cue as written in the data.
    pub cue: String,
    /// Start byte of the match in the text it was found in.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// The matched original text (`text[start..end]`).
    pub text: String,
}

/// A compiled list of cue phrases, each for one target (an index chosen by the caller).
#[derive(Clone, Debug, Default)]
pub struct CueSet {
    cues: Vec<(String, String, usize)>,
}

impl CueSet {
    /// An empty set.
    pub fn new() -> CueSet {
        CueSet::default()
    }

    /// Adds a cue phrase for `target`. Phrases that fold to nothing are ignored.
    pub fn add(&mut self, phrase: &str, target: usize) {
        let key = fold_key(phrase);
        if !key.is_empty() {
            self.cues.push((key, phrase.to_string(), target));
        }
    }

    /// All whole-word matches in `text`, per target, sorted by position. A match that lies inside a
    /// longer match for the same target is dropped (`treaty` inside `peace treaty`).
    pub fn find(&self, text: &str) -> Vec<(usize, CueMatch)> {
        let folded = Folded::new(text);
        let mut found: Vec<(usize, usize, usize, &str)> = Vec::new();
        for (key, phrase, target) in &self.cues {
            for (a, b) in folded.find_words(key) {
                found.push((*target, a, b, phrase.as_str()));
            }
        }
        // Longest first so that contained matches can be dropped.
        found.sort_by(|x, y| {
            (x.0, x.1, std::cmp::Reverse(x.2), x.3).cmp(&(y.0, y.1, std::cmp::Reverse(y.2), y.3))
        });
        let mut kept: Vec<(usize, usize, usize, &str)> = Vec::new();
        for f in found {
            let inside = kept.iter().any(|k| k.0 == f.0 && k.1 <= f.1 && f.2 <= k.2);
            if !inside {
                kept.push(f);
            }
        }
        kept.sort_by(|x, y| (x.1, x.2, x.0, x.3).cmp(&(y.1, y.2, y.0, y.3)));
        kept.into_iter()
            .map(|(target, a, b, phrase)| {
                let (s, e) = folded.source(a, b);
                (
                    target,
                    CueMatch {
                        cue: phrase.to_string(),
                        start: s,
                        end: e,
                        text: text.get(s..e).unwrap_or_default().to_string(),
                    },
                )
            })
            .collect()
    }
}

/// Whether two names are the same after folding (`Serdar Kılıç` = `serdar kilic`).
pub fn same_name(a: &str, b: &str) -> bool {
    fold_key(a) == fold_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_dashes_and_spaces() {
        assert_eq!(Folded::new("Türkiye–Armenia").as_str(), "turkiye armenia");
        assert_eq!(Folded::new("KILIÇ  İstanbul").as_str(), "kilic istanbul");
        assert_eq!(
            Folded::new("Nagorno-\nKarabakh").as_str(),
            "nagorno karabakh"
        );
        // A combining cedilla joins the c before it.
        assert_eq!(Folded::new("Kilic\u{0327}").as_str(), "kilic");
    }

    #[test]
    fn whole_words_only_with_original_offsets() {
        let mut set = CueSet::new();
        set.add("border", 0);
        set.add("Türkiye–Armenia border", 1);
        set.add("treaty", 2);
        set.add("peace treaty", 2);
        let text = "The Turkiye-Armenia  border; borders; a Peace Treaty, treatyless.";
        let m = set.find(text);
        let got: Vec<(usize, &str)> = m.iter().map(|(t, c)| (*t, c.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "Turkiye-Armenia  border"),
                (0, "border"),
                (2, "Peace Treaty"),
            ]
        );
        for (_, c) in &m {
            assert_eq!(&text[c.start..c.end], c.text);
        }
    }

    #[test]
    fn offsets_on_char_boundaries_with_non_ascii() {
        let mut set = CueSet::new();
        set.add("kilic", 0);
        set.add("turkiye", 1);
        let text = "«Serdar Kılıç» visited Türkiye’s border, 平和.";
        let m = set.find(text);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].1.text, "Kılıç");
        assert_eq!(m[1].1.text, "Türkiye");
        assert!(same_name("Serdar Kılıç", "serdar  KILIC"));
    }

    #[test]
    fn empty_and_odd_inputs_do_not_panic() {
        let mut set = CueSet::new();
        set.add("", 0);
        set.add("  - ", 0);
        set.add("a", 1);
        assert!(set.find("").is_empty());
        assert_eq!(set.find("\u{0301}a\u{00AD}").len(), 1);
        let _ = set.find("\u{FEFF}\u{200B}---   ");
    }
}
