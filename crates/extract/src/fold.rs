//! Folding text into ASCII match keys while remembering where every folded byte came from.
//!
//! Names are matched on a *folded* copy of the text, never on the text itself: every character is
//! transliterated with `deunicode` **before** it is lower-cased (so Turkish `İ`/`ı` become `i`, and
//! `Kılıç` → `kilic`, `Türkiye` → `turkiye`, `Москва` → `moskva`), then ASCII-lower-cased. Lower-casing
//! first would turn `İ` into `i̇` (with a combining dot) and break the comparison.
//!
//! The folding also evens out spelling noise that should not stop a name from matching:
//! - every run of whitespace (including line breaks, tabs, no-break and zero-width spaces) becomes one
//!   space, so a name broken across a hard-wrapped line still matches;
//! - hyphens and dashes become spaces, so `Nagorno-Karabakh`, `Nagorno Karabakh` and a hyphenated line
//!   break (`Nagorno-⏎Karabakh`) fold to the same key;
//! - characters that transliterate to nothing (combining marks of decomposed text, soft hyphens, BOM)
//!   are absorbed into the character before them, so `Kilic` + U+0327 still reads `kilic` and the span
//!   covers the whole grapheme.
//!
//! [`Folded::source`] maps any range of folded bytes back to a byte range of the original text that
//! always lies on `char` boundaries. The invariant, tested with proptest in `mentions.rs`: for a match
//! that starts and ends on whole folded characters, folding `text[start..end]` gives the matched key.

use std::ops::Range;

/// A folded copy of a text with, for every folded byte, the byte range of the original character that
/// produced it.
#[derive(Clone, Debug)]
pub struct Folded {
    text: String,
    /// `src[i]` is the original byte range of the character that produced folded byte `i`. Bytes from
    /// one character share one range; the spaces that stand for leading or trailing blanks of a
    /// transliteration (`平` → `Ping `) get an empty range at the character's start or end.
    src: Vec<(u32, u32)>,
}

impl Folded {
    /// Folds `text`. Linear in the length of the text.
    ///
    /// Texts longer than `u32::MAX` bytes are not supported (offsets are stored as `u32`); callers
    /// should split such texts (the reader caps documents far below that).
    pub fn new(text: &str) -> Folded {
        let mut out = Folded {
            text: String::with_capacity(text.len() + text.len() / 8),
            src: Vec::with_capacity(text.len() + text.len() / 8),
        };
        // The folded bytes produced by the previous character, to absorb zero-width characters.
        let mut prev: Range<usize> = 0..0;
        for (i, c) in text.char_indices() {
            let start = i as u32;
            let end = (i + c.len_utf8()) as u32;
            let from = out.text.len();
            match fold_char(c) {
                Fold::Space => out.push_space(start, end),
                Fold::Empty => {
                    // Combining mark, soft hyphen, BOM...: belongs to the character before it.
                    for s in &mut out.src[prev.clone()] {
                        s.1 = end;
                    }
                    continue;
                }
                Fold::Ascii(s) => out.push_transliteration(s, start, end),
                Fold::Lower(lc) => {
                    for l in lc {
                        out.text.push(l);
                        for _ in 0..l.len_utf8() {
                            out.src.push((start, end));
                        }
                    }
                }
            }
            prev = if out.text.len() > from {
                from..out.text.len()
            } else {
                // Collapsed into the space before: that space now covers this character too.
                out.text.len().saturating_sub(1)..out.text.len()
            };
        }
        out
    }

    /// The folded text: lower-case, mostly ASCII.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The byte range of the original text that the folded range `range` came from. Both ends lie on
    /// `char` boundaries of the original text. `range` must be non-empty and within the folded text.
    pub fn source(&self, range: Range<usize>) -> Range<usize> {
        debug_assert!(range.start < range.end && range.end <= self.src.len());
        let s = self.src[range.start].0 as usize;
        let e = self.src[range.end - 1].1 as usize;
        // A space that stands for the leading blank of a transliteration has an empty range at its
        // character's start; never return an inverted range.
        s..e.max(s)
    }

    /// Whether a folded range starting at `i` starts on a whole original character.
    pub fn starts_char(&self, i: usize) -> bool {
        i == 0 || i >= self.src.len() || self.src[i] != self.src[i - 1]
    }

    /// Whether a folded range ending at `i` ends on a whole original character.
    pub fn ends_char(&self, i: usize) -> bool {
        self.starts_char(i)
    }

    /// Whether the folded range `range` stands alone as a word: the byte before it and the byte after it
    /// (if any) are not ASCII letters or digits, nor bytes of a character that `deunicode` could not
    /// transliterate (those are treated as letters).
    pub fn is_whole_word(&self, range: Range<usize>) -> bool {
        let bytes = self.text.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
        let before = range.start == 0 || !word(bytes[range.start - 1]);
        let after = range.end >= bytes.len() || !word(bytes[range.end]);
        before && after
    }

    /// Pushes one space for the character at `start..end`, or widens the space already at the end.
    fn push_space(&mut self, start: u32, end: u32) {
        if self.text.ends_with(' ') {
            if let Some(last) = self.src.last_mut() {
                last.1 = last.1.max(end);
            }
        } else {
            self.text.push(' ');
            self.src.push((start, end));
        }
    }

    /// Pushes the ASCII transliteration `s` of the character at `start..end`: leading and trailing
    /// blanks become (collapsed) spaces with empty source ranges, hyphens become spaces, the other
    /// bytes are lower-cased and map to the character.
    fn push_transliteration(&mut self, s: &str, start: u32, end: u32) {
        let core = s.trim_matches(' ');
        if core.is_empty() {
            if !s.is_empty() {
                self.push_space(start, end);
            }
            return;
        }
        if s.starts_with(' ') && !self.text.ends_with(' ') {
            self.text.push(' ');
            self.src.push((start, start));
        }
        for b in core.bytes() {
            match b {
                b' ' | b'-' => self.push_space(start, end),
                _ => {
                    self.text.push(b.to_ascii_lowercase() as char);
                    self.src.push((start, end));
                }
            }
        }
        if s.ends_with(' ') {
            self.text.push(' ');
            self.src.push((end, end));
        }
    }
}

/// Folds a name (an alias in the gazetteer) into its match key: the folded text with surrounding
/// spaces removed.
pub fn fold_key(s: &str) -> String {
    Folded::new(s).as_str().trim_matches(' ').to_string()
}

enum Fold {
    /// Whitespace, or a character that separates words like it.
    Space,
    /// Produces nothing: absorbed into the previous character.
    Empty,
    /// An ASCII transliteration, not yet lower-cased.
    Ascii(&'static str),
    /// No transliteration known: the character's own lower case.
    Lower(std::char::ToLowercase),
}

fn fold_char(c: char) -> Fold {
    if c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}') {
        return Fold::Space;
    }
    match c {
        // Hyphens and dashes of every kind separate words like a space.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Fold::Ascii("-")
        }
        _ => match deunicode::deunicode_char(c) {
            Some("") => Fold::Empty,
            Some(s) if s.is_ascii() => Fold::Ascii(s),
            _ => Fold::Lower(c.to_lowercase()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_before_lower_casing() {
        let cases = [
            ("Kılıç", "kilic"),
            ("Türkiye", "turkiye"),
            ("İstanbul", "istanbul"),
            ("Mevlüt Çavuşoğlu", "mevlut cavusoglu"),
            ("Ersavcı", "ersavci"),
            ("Москва", "moskva"),
            ("Straße", "strasse"),
            ("Nagorno-Karabakh", "nagorno karabakh"),
            ("Nagorno-\n  Karabakh", "nagorno karabakh"),
            ("Nagorno–Karabakh", "nagorno karabakh"),
            ("a \t\n b", "a b"),
            ("Ankara’s", "ankara's"),
            ("Kilic\u{0327}", "kilic"),
            ("Pash\u{00AD}inyan", "pashinyan"),
        ];
        for (input, want) in cases {
            assert_eq!(fold_key(input), want, "fold of {input:?}");
        }
    }

    #[test]
    fn maps_back_to_whole_characters() {
        let text = "Mr. Kılıç met Çavuşoğlu";
        let f = Folded::new(text);
        let pos = f.as_str().find("kilic").unwrap();
        let r = f.source(pos..pos + 5);
        assert_eq!(&text[r], "Kılıç");
        let pos = f.as_str().find("cavusoglu").unwrap();
        let r = f.source(pos..pos + 9);
        assert_eq!(&text[r], "Çavuşoğlu");
    }

    #[test]
    fn combining_marks_stay_inside_the_span() {
        let text = "Kilic\u{0327} said";
        let f = Folded::new(text);
        let r = f.source(0..5);
        assert_eq!(&text[r], "Kilic\u{0327}");
    }

    #[test]
    fn transliterated_blanks_do_not_split_characters() {
        // deunicode gives "Xi Jin Ping " for these three characters.
        let text = "習近平 visited";
        let f = Folded::new(text);
        assert_eq!(f.as_str(), "xi jin ping visited");
        let end = "xi jin ping".len();
        assert!(f.ends_char(end));
        assert_eq!(&text[f.source(0..end)], "習近平");
        // The blank after "Xi" has its own (empty) source range, so "jin" starts on a whole character.
        assert!(f.starts_char(3));
        assert_eq!(&text[f.source(3..6)], "近");
    }

    #[test]
    fn whole_words() {
        let f = Folded::new("Armenians and Armenia's");
        assert!(!f.is_whole_word(0..7)); // "armenia" inside "armenians"
        assert!(f.is_whole_word(0..9));
        let p = f.as_str().rfind("armenia").unwrap();
        assert!(f.is_whole_word(p..p + 7)); // before the possessive
    }
}
