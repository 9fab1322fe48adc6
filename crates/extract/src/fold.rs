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
    /// For every folded byte `i`, the original byte range of the character that produced it
    /// ([`Sources::get`]). Bytes from one character share one range; the spaces that stand for
    /// leading or trailing blanks of a transliteration (`平` → `Ping `) get an empty range at the
    /// character's start or end.
    src: Sources,
    /// Where a whole word can start ([`Folded::word_starts`]), computed when first asked for.
    starts: std::sync::OnceLock<Vec<u32>>,
}

impl Folded {
    /// Folds `text`. Linear in the length of the text.
    ///
    /// Texts longer than `u32::MAX` bytes are not supported (offsets are stored as `u32`); callers
    /// should split such texts (the reader caps documents far below that).
    pub fn new(text: &str) -> Folded {
        let mut folded = Vec::with_capacity(text.len() + text.len() / 8);
        let mut src = Sources::default();
        fold_into(text, &mut folded, &mut src);
        Folded {
            text: utf8(folded),
            src,
            starts: std::sync::OnceLock::new(),
        }
    }

    /// The folded text: lower-case, mostly ASCII.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The byte range of the original text that the folded range `range` came from. Both ends lie on
    /// `char` boundaries of the original text. `range` must be non-empty and within the folded text.
    pub fn source(&self, range: Range<usize>) -> Range<usize> {
        debug_assert!(range.start < range.end && range.end <= self.text.len());
        let s = self.src.get(range.start).0 as usize;
        let e = self.src.get(range.end - 1).1 as usize;
        // A space that stands for the leading blank of a transliteration has an empty range at its
        // character's start; never return an inverted range.
        s..e.max(s)
    }

    /// The byte range of the original text that the folded range `range` came from ([`Folded::source`]),
    /// if the range is a whole word ([`Folded::is_whole_word`]) of whole characters
    /// ([`Folded::starts_char`], [`Folded::ends_char`]). `range` must be non-empty and within the
    /// folded text.
    pub fn whole_source(&self, range: Range<usize>) -> Option<Range<usize>> {
        if !self.is_whole_word(range.clone()) {
            return None;
        }
        let (s, e) = (range.start, range.end);
        let first = self.src.piece(s as u32);
        // The other pieces are the first or a few after it: a word spans few pieces.
        let later = |i: usize| {
            let mut k = first;
            while self
                .src
                .pieces
                .get(k + 1)
                .is_some_and(|p| p.at as usize <= i)
            {
                k += 1;
            }
            k
        };
        let last = later(e - 1);
        let whole_start = s == 0 || self.src.starts_char_in(s, first);
        let whole_end = e >= self.text.len() || self.src.starts_char_in(e, later(e));
        if !(whole_start && whole_end) {
            return None;
        }
        let start = self.src.pieces.get(first)?.source(s as u32).0 as usize;
        let end = self.src.pieces.get(last)?.source((e - 1) as u32).1 as usize;
        Some(start..end.max(start))
    }

    /// Whether a folded range starting at `i` starts on a whole original character.
    pub fn starts_char(&self, i: usize) -> bool {
        i == 0 || i >= self.text.len() || self.src.starts_char(i)
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
        let before = range.start == 0 || !is_word_byte(bytes[range.start - 1]);
        let after = range.end >= bytes.len() || !is_word_byte(bytes[range.end]);
        before && after
    }

    /// The folded positions where a whole word can start ([`Folded::is_whole_word`]): 0 and every
    /// position after a byte that is not a word byte, in order. Computed once, when first asked for.
    pub(crate) fn word_starts(&self) -> &[u32] {
        self.starts
            .get_or_init(|| word_starts_in(self.text.as_bytes(), Vec::new()))
    }
}

/// [`Folded::word_starts`] of the folded bytes `bytes`, in the memory of `starts`.
fn word_starts_in(bytes: &[u8], mut starts: Vec<u32>) -> Vec<u32> {
    starts.clear();
    let Some((_, head)) = bytes.split_last() else {
        return starts;
    };
    starts.reserve(bytes.len() / 4 + 1);
    starts.push(0);
    for (i, &b) in (1u32..).zip(head) {
        if !is_word_byte(b) {
            starts.push(i);
        }
    }
    starts
}

/// Where the folded bytes come from: [`Folded`] keeps the source of every folded byte ([`Sources`]);
/// [`fold_key`] needs none. One folding routine serves both, so a key is exactly the folded text of its name.
trait SourceMap {
    /// The source of the next folded byte.
    fn push(&mut self, range: (u32, u32));
    /// The sources of the next folded bytes, one per original byte `start..end`.
    fn push_each(&mut self, start: u32, end: u32);
    /// Widens the source of the last folded byte to end at `end` (at least).
    fn widen_last(&mut self, end: u32);
    /// Makes the sources of the folded bytes `bytes` end at `end`.
    fn extend_to(&mut self, bytes: Range<usize>, end: u32);
}

/// The source map of a [`Folded`] text, stored by pieces rather than per byte: most folded bytes
/// come one to one from consecutive original bytes (ASCII letters, single spaces), so a piece
/// records only where such a stretch starts. Looking a byte up is a binary search over the pieces;
/// a mostly-ASCII text has a few pieces per line.
#[derive(Clone, Debug, Default)]
struct Sources {
    /// In folded order, each piece from its `at` up to the next piece's `at` (or `len`).
    pieces: Vec<Piece>,
    /// The number of folded bytes mapped.
    len: u32,
}

/// Folded bytes `at..` (up to the next piece): with `end == ONE_TO_ONE`, folded byte `at + k` comes
/// from the original byte `start + k`; otherwise every byte of the piece comes from `start..end`.
#[derive(Clone, Copy, Debug)]
struct Piece {
    at: u32,
    start: u32,
    end: u32,
}

/// [`Piece::end`] of a one-to-one piece. No original range ends there: texts are shorter.
const ONE_TO_ONE: u32 = u32::MAX;

impl Piece {
    /// The source of folded byte `i`, which the piece covers.
    fn source(&self, i: u32) -> (u32, u32) {
        if self.end == ONE_TO_ONE {
            let s = self.start + (i - self.at);
            (s, s + 1)
        } else {
            (self.start, self.end)
        }
    }
}

impl Sources {
    /// The index of the piece that covers folded byte `i` (`i < len`).
    fn piece(&self, i: u32) -> usize {
        self.pieces.partition_point(|p| p.at <= i).saturating_sub(1)
    }

    /// The source of folded byte `i` (`i < len`).
    fn get(&self, i: usize) -> (u32, u32) {
        let i = i as u32;
        self.pieces
            .get(self.piece(i))
            .map_or((0, 0), |p| p.source(i))
    }

    /// Whether folded byte `i` (`0 < i < len`) comes from another character than byte `i - 1`.
    fn starts_char(&self, i: usize) -> bool {
        self.starts_char_in(i, self.piece(i as u32))
    }

    /// [`Sources::starts_char`] with `k`, the index of the piece that covers `i`.
    fn starts_char_in(&self, i: usize, k: usize) -> bool {
        let i = i as u32;
        let Some(p) = self.pieces.get(k) else {
            return true;
        };
        if p.at < i {
            // Both bytes in one piece: one to one, or one character.
            return p.end == ONE_TO_ONE;
        }
        match k.checked_sub(1).and_then(|k| self.pieces.get(k)) {
            Some(before) => before.source(i - 1) != p.source(i),
            None => true,
        }
    }

    /// Replaces the sources of the folded bytes `from..len` with `f` of each.
    fn rewrite_tail(&mut self, from: usize, f: impl Fn(usize, (u32, u32)) -> (u32, u32)) {
        let len = self.len as usize;
        if from >= len {
            return;
        }
        let old: Vec<(u32, u32)> = (from..len).map(|k| self.get(k)).collect();
        let keep = self.pieces.partition_point(|p| (p.at as usize) < from);
        self.pieces.truncate(keep);
        self.len = from as u32;
        for (k, range) in (from..).zip(old) {
            SourceMap::push(self, f(k, range));
        }
    }
}

impl SourceMap for Sources {
    #[inline]
    fn push(&mut self, (start, end): (u32, u32)) {
        let at = self.len;
        self.len += 1;
        if let Some(p) = self.pieces.last() {
            let continues = if p.end == ONE_TO_ONE {
                end == start.wrapping_add(1) && p.start.wrapping_add(at - p.at) == start
            } else {
                (p.start, p.end) == (start, end)
            };
            if continues {
                return;
            }
        }
        let end = if end == start.wrapping_add(1) {
            ONE_TO_ONE
        } else {
            end
        };
        self.pieces.push(Piece { at, start, end });
    }

    #[inline]
    fn push_each(&mut self, start: u32, end: u32) {
        if end > start {
            SourceMap::push(self, (start, start + 1));
            self.len += end - start - 1;
        }
    }

    fn widen_last(&mut self, end: u32) {
        let Some(last) = (self.len as usize).checked_sub(1) else {
            return;
        };
        if self.get(last).1 < end {
            self.rewrite_tail(last, |_, (s, e)| (s, e.max(end)));
        }
    }

    fn extend_to(&mut self, bytes: Range<usize>, end: u32) {
        if bytes.is_empty() {
            return;
        }
        self.rewrite_tail(
            bytes.start,
            |k, (s, e)| {
                if k < bytes.end { (s, end) } else { (s, e) }
            },
        );
    }
}

/// A source range per folded byte: the plain form of [`Sources`], kept to test it against.
#[cfg(test)]
impl SourceMap for Vec<(u32, u32)> {
    #[inline]
    fn push(&mut self, range: (u32, u32)) {
        Vec::push(self, range);
    }

    #[inline]
    fn push_each(&mut self, start: u32, end: u32) {
        self.extend((start..end).map(|k| (k, k + 1)));
    }

    fn widen_last(&mut self, end: u32) {
        if let Some(last) = self.last_mut() {
            last.1 = last.1.max(end);
        }
    }

    fn extend_to(&mut self, bytes: Range<usize>, end: u32) {
        for s in &mut self[bytes] {
            s.1 = end;
        }
    }
}

/// No source map: only the folded text is wanted.
struct NoSources;

impl SourceMap for NoSources {
    #[inline]
    fn push(&mut self, _: (u32, u32)) {}
    #[inline]
    fn push_each(&mut self, _: u32, _: u32) {}
    fn widen_last(&mut self, _: u32) {}
    fn extend_to(&mut self, _: Range<usize>, _: u32) {}
}

/// Folds `text` into `out` (empty), recording the sources in `src`. `out` receives whole UTF-8
/// characters only.
fn fold_into<M: SourceMap>(text: &str, out: &mut Vec<u8>, src: &mut M) {
    let ascii = &*ASCII_FOLDS;
    let plain = &*PLAIN_FOLDS;
    let run_class = &*RUN_CLASS;
    // The folded bytes produced by the previous character, to absorb zero-width characters.
    let mut prev: Range<usize> = 0..0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let from = out.len();
        if b.is_ascii() {
            // The common case: ASCII, each byte's fold looked up in a table built with `fold_char`;
            // a run of bytes that fold to one byte each is copied in one go.
            if run_class[usize::from(b)] == RunClass::Plain {
                // The run goes on over bytes that fold to one byte, and over single spaces (a space
                // after a folded byte is pushed as it is: `push_space` would do the same).
                let run = i;
                let mut after_space = false;
                while let Some(&b) = bytes.get(i) {
                    match run_class[usize::from(b)] {
                        RunClass::Plain => after_space = false,
                        RunClass::Space if !after_space => after_space = true,
                        _ => break,
                    }
                    i += 1;
                }
                out.extend(bytes[run..i].iter().map(|&b| plain[usize::from(b)]));
                src.push_each(run as u32, i as u32);
                prev = out.len() - 1..out.len();
                continue;
            }
            let (start, end) = (i as u32, i as u32 + 1);
            i += 1;
            match ascii[usize::from(b)] {
                AsciiFold::Byte(l) => {
                    out.push(l);
                    src.push((start, end));
                }
                AsciiFold::Space => push_space(out, src, start, end),
                AsciiFold::Empty => {
                    src.extend_to(prev.clone(), end);
                    continue;
                }
                AsciiFold::Other(s) => push_transliteration(out, src, s, start, end),
            }
        } else {
            let c = text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            let start = i as u32;
            i += c.len_utf8();
            let end = i as u32;
            match fold_char(c) {
                Fold::Space => push_space(out, src, start, end),
                Fold::Empty => {
                    // Combining mark, soft hyphen, BOM...: belongs to the character before it.
                    src.extend_to(prev.clone(), end);
                    continue;
                }
                Fold::Ascii(s) => push_transliteration(out, src, s, start, end),
                Fold::Lower(lc) => {
                    for l in lc {
                        let mut utf8 = [0; 4];
                        out.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes());
                        for _ in 0..l.len_utf8() {
                            src.push((start, end));
                        }
                    }
                }
            }
        }
        prev = if out.len() > from {
            from..out.len()
        } else {
            // Collapsed into the space before: that space now covers this character too.
            out.len().saturating_sub(1)..out.len()
        };
    }
}

/// Pushes one space for the character at `start..end`, or widens the space already at the end.
fn push_space<M: SourceMap>(out: &mut Vec<u8>, src: &mut M, start: u32, end: u32) {
    if out.last() == Some(&b' ') {
        src.widen_last(end);
    } else {
        out.push(b' ');
        src.push((start, end));
    }
}

/// Pushes the ASCII transliteration `s` of the character at `start..end`: leading and trailing
/// blanks become (collapsed) spaces with empty source ranges, hyphens become spaces, the other
/// bytes are lower-cased and map to the character.
fn push_transliteration<M: SourceMap>(
    out: &mut Vec<u8>,
    src: &mut M,
    s: &str,
    start: u32,
    end: u32,
) {
    let core = s.trim_matches(' ');
    if core.is_empty() {
        if !s.is_empty() {
            push_space(out, src, start, end);
        }
        return;
    }
    if s.starts_with(' ') && out.last() != Some(&b' ') {
        out.push(b' ');
        src.push((start, start));
    }
    for b in core.bytes() {
        match b {
            b' ' | b'-' => push_space(out, src, start, end),
            _ => {
                out.push(b.to_ascii_lowercase());
                src.push((start, end));
            }
        }
    }
    if s.ends_with(' ') {
        out.push(b' ');
        src.push((end, end));
    }
}

/// Whether a folded byte belongs to a word: ASCII letters and digits, and the bytes of characters that
/// `deunicode` could not transliterate (those are treated as letters).
pub(crate) fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c >= 0x80;
        b += 1;
    }
    table
};

/// Folds a name (an alias in the gazetteer) into its match key: the folded text with surrounding
/// spaces removed.
pub fn fold_key(s: &str) -> String {
    let mut key = String::with_capacity(s.len());
    fold_key_into(s, &mut key);
    key
}

/// [`fold_key`] into `buf` (its content replaced), without allocating when `buf` is large enough.
pub(crate) fn fold_key_into(s: &str, buf: &mut String) {
    let mut bytes = std::mem::take(buf).into_bytes();
    bytes.clear();
    fold_into(s, &mut bytes, &mut NoSources);
    let end = bytes.len() - bytes.iter().rev().take_while(|&&b| b == b' ').count();
    bytes.truncate(end);
    let start = bytes.iter().take_while(|&&b| b == b' ').count();
    bytes.drain(..start);
    *buf = utf8(bytes);
}

/// The folded bytes as a string. They always are UTF-8: [`fold_into`] writes whole characters.
fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// How an ASCII character folds: [`fold_char`] precomputed for the 128 of them.
#[derive(Clone, Copy)]
enum AsciiFold {
    /// One folded byte (already lower-cased) mapping to the character.
    Byte(u8),
    /// A space (collapsed with the space before it).
    Space,
    /// Nothing: absorbed into the previous character.
    Empty,
    /// Any other transliteration, pushed as [`Folded::push_transliteration`] does.
    Other(&'static str),
}

static ASCII_FOLDS: std::sync::LazyLock<[AsciiFold; 128]> = std::sync::LazyLock::new(|| {
    let mut table = [AsciiFold::Empty; 128];
    for (b, slot) in (0u8..128).zip(table.iter_mut()) {
        *slot = match fold_char(char::from(b)) {
            Fold::Space => AsciiFold::Space,
            Fold::Empty => AsciiFold::Empty,
            // `push_transliteration` of one byte: a space or hyphen is a space, any other byte is
            // pushed lower-cased.
            Fold::Ascii(s) if s.len() == 1 => match s.as_bytes()[0] {
                b' ' | b'-' => AsciiFold::Space,
                c => AsciiFold::Byte(c.to_ascii_lowercase()),
            },
            Fold::Ascii(s) => AsciiFold::Other(s),
            // An ASCII character lower-cases to one ASCII character.
            Fold::Lower(_) => AsciiFold::Byte(b.to_ascii_lowercase()),
        };
    }
    table
});

/// For each byte that a run of [`fold_into`]'s fast path copies ([`RunClass`]), its fold; 0 for the
/// others.
static PLAIN_FOLDS: std::sync::LazyLock<[u8; 256]> = std::sync::LazyLock::new(|| {
    let mut table = [0; 256];
    for (slot, fold) in table.iter_mut().zip(ASCII_FOLDS.iter()) {
        *slot = match fold {
            AsciiFold::Byte(l) => *l,
            _ => 0,
        };
    }
    // The plain space: [`RunClass::Space`] folds to itself inside a run.
    table[usize::from(b' ')] = b' ';
    table
});

/// What a byte does to a run of [`fold_into`]'s fast path.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RunClass {
    /// Folds to one byte ([`AsciiFold::Byte`]): goes on.
    Plain,
    /// The plain space: goes on unless the byte before it was one too.
    Space,
    /// Anything else ends the run.
    Stop,
}

static RUN_CLASS: std::sync::LazyLock<[RunClass; 256]> = std::sync::LazyLock::new(|| {
    let mut table = [RunClass::Stop; 256];
    for (b, (slot, fold)) in table.iter_mut().zip(ASCII_FOLDS.iter()).enumerate() {
        *slot = match fold {
            AsciiFold::Byte(_) => RunClass::Plain,
            AsciiFold::Space if b == usize::from(b' ') => RunClass::Space,
            _ => RunClass::Stop,
        };
    }
    table
});

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

    /// The pieces of [`Sources`] give every folded byte the range a plain per-byte map gives it.
    fn same_sources(text: &str) {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut plain: Vec<(u32, u32)> = Vec::new();
        let mut pieces = Sources::default();
        fold_into(text, &mut a, &mut plain);
        fold_into(text, &mut b, &mut pieces);
        assert_eq!(a, b);
        assert_eq!(pieces.len as usize, plain.len(), "{text:?}");
        for (i, &range) in plain.iter().enumerate() {
            assert_eq!(pieces.get(i), range, "byte {i} of {text:?}");
            if i > 0 {
                assert_eq!(
                    pieces.starts_char(i),
                    plain[i] != plain[i - 1],
                    "{i} {text:?}"
                );
            }
        }
        // `whole_source` is the three tests and `source` in one.
        let f = Folded::new(text);
        let n = f.as_str().len().min(48);
        for s in 0..n {
            for e in s + 1..=n {
                let want = (f.is_whole_word(s..e) && f.starts_char(s) && f.ends_char(e))
                    .then(|| f.source(s..e));
                assert_eq!(f.whole_source(s..e), want, "{s}..{e} of {text:?}");
            }
        }
    }

    #[test]
    fn pieces_map_like_a_byte_map() {
        for text in [
            "",
            " ",
            "a  b\n\nc - d",
            "Kilic\u{0327}  said",
            "\u{0301}start",
            "習近平 visited  Москва & co.\u{00AD}",
            "Nagorno-\n  Karabakh’s  “quote”",
            "x\u{00AD}\u{00AD} \u{200B}\u{200B}y",
        ] {
            same_sources(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn pieces_map_like_a_byte_map_on_any_text(text in "(?s)[ a-zA-Z\\-\n\t.&'’İıçЖ習\u{0301}\u{00AD}\u{200B}]{0,40}") {
            same_sources(&text);
        }

        #[test]
        fn pieces_map_like_a_byte_map_on_any_string(text in proptest::prelude::any::<String>()) {
            same_sources(&text);
        }
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
