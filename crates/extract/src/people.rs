//! People who are not in the gazetteer, found from the words around their names.
//!
//! A *name* is a run of capitalised words (diacritics, inner hyphens and apostrophes allowed:
//! `Ter-Petrosyan`, `O'Neill`), with one-letter initials (`J.`) and lower-case particles (`van`, `de`)
//! between them, at most six words, none of them in the `not_names` list. A name is a person when a
//! cue from `data/people_cues.toml` stands next to it, inside one sentence:
//!
//! | cue | example | country from |
//! |---|---|---|
//! | title before | `Foreign Minister X`, `Armenian leader X`, `EU envoy X`, `Minister of Foreign Affairs of Armenia X` | the country word, capital or organisation right before the title (or after its `of`) |
//! | apposition after | `X, director of …`, `X, a senior fellow at …` | the first gazetteer mention with a country in that clause |
//! | verb of saying | `said X`, `X said`, `according to X` | a country word right before the name |
//!
//! Titles accept one-word names (`Ambassador Lind`); appositions and verbs of saying need two words,
//! which keeps `Officials said` and `Baku said` out. A name directly after `the`/`a`/`an` is not a
//! person, and no name may overlap a gazetteer mention (gazetteer people are already found; a place
//! or country is not a person), except a first name right after a title that the gazetteer took for
//! a place (`Dr. Sofia Martins`): that person replaces the place. Once a person is found, later occurrences of the full name or of the
//! last word of it (`Ersavci`) are reported too, with the same id ([`Source::Surname`]).
//!
//! The id of such a person is the name as first written, blanks normalised; the same name spelt with
//! or without diacritics is one person.

use crate::fold::fold_key;
use crate::mentions::{Mention, MentionKind, Source};
use crate::{DataError, Span};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

const DEFAULT_CUES: &str = include_str!("../data/people_cues.toml");

/// `people_cues.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueFile {
    titles: Vec<String>,
    modifiers: Vec<String>,
    apposition_roles: Vec<String>,
    speech_verbs: Vec<String>,
    particles: Vec<String>,
    not_names: Vec<String>,
}

/// Finds people from context cues. Build once, use for every text.
#[derive(Clone, Debug)]
pub struct PeopleFinder {
    titles: Phrases,
    modifiers: HashSet<String>,
    roles: Phrases,
    speech: Phrases,
    particles: HashSet<String>,
    /// Lower-cased.
    not_names: HashSet<String>,
}

impl PeopleFinder {
    /// The finder with the shipped `data/people_cues.toml`.
    pub fn load_default() -> Result<PeopleFinder, DataError> {
        PeopleFinder::from_toml("people_cues.toml", DEFAULT_CUES)
    }

    /// A finder with the cue file at `path` (same schema as the shipped file).
    pub fn from_file(path: &Path) -> Result<PeopleFinder, DataError> {
        let src = std::fs::read_to_string(path).map_err(|source| DataError::Io {
            path: path.display().to_string(),
            source,
        })?;
        PeopleFinder::from_toml(&path.display().to_string(), &src)
    }

    /// A finder from the text of a cue file; `file` names it in errors.
    pub fn from_toml(file: &str, src: &str) -> Result<PeopleFinder, DataError> {
        let cues: CueFile = toml::from_str(src).map_err(|e| DataError::Parse {
            file: file.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let phrases = |list: &[String], field: &str| -> Result<Vec<Vec<String>>, DataError> {
            let mut out: Vec<Vec<String>> = Vec::new();
            for p in list {
                let words: Vec<String> = p.split_whitespace().map(str::to_lowercase).collect();
                if words.is_empty() || words.iter().any(|w| !w.chars().any(char::is_alphanumeric)) {
                    return Err(DataError::Invalid {
                        file: file.to_string(),
                        entry: format!("{field}: {p:?}"),
                        problem: "each entry must be one or more words".to_string(),
                    });
                }
                out.push(words);
            }
            // Longest first, so "deputy foreign minister" is tried before "minister".
            out.sort_by_key(|w| std::cmp::Reverse(w.len()));
            Ok(out)
        };
        let words = |list: &[String]| -> HashSet<String> {
            list.iter().map(|w| w.trim().to_lowercase()).collect()
        };
        let titles = phrases(&cues.titles, "titles")?;
        let mut not_names = words(&cues.not_names);
        for t in &titles {
            not_names.extend(t.iter().cloned());
        }
        Ok(PeopleFinder {
            titles: Phrases::new(titles),
            modifiers: words(&cues.modifiers),
            roles: Phrases::new(phrases(&cues.apposition_roles, "apposition_roles")?),
            speech: Phrases::new(phrases(&cues.speech_verbs, "speech_verbs")?),
            particles: words(&cues.particles),
            not_names,
        })
    }

    /// People in `text` that `known` (the gazetteer mentions of the same text, in order) does not
    /// already cover, in order. `sentences` are the text's sentence spans: cues never cross them.
    /// A returned person may overlap a one-word place mention of `known` that is really a first name
    /// (see the module docs); the caller drops such place mentions ([`crate::Extractor`] does).
    pub fn find(&self, text: &str, sentences: &[Span], known: &[Mention]) -> Vec<Mention> {
        let mut found: Vec<Mention> = Vec::new();
        // Each sentence's tokens and their gazetteer coverage, built once for both passes.
        let tokenized: Vec<(Vec<Token>, Vec<Option<usize>>)> = sentences
            .iter()
            .map(|s| {
                let toks = tokenize(text, *s);
                let cover = coverage(&toks, known);
                (toks, cover)
            })
            .collect();
        for (toks, cover) in &tokenized {
            let ctx = Ctx {
                text,
                toks,
                cover,
                known,
            };
            self.by_title(&ctx, &mut found);
            self.by_apposition(&ctx, &mut found);
            self.by_speech(&ctx, &mut found);
        }
        // Different cues can find the same or overlapping names: keep titles first, then
        // appositions, then verbs of saying, each completed with what the others know.
        let rank = |m: &Mention| match m.source {
            Source::Title => 0,
            Source::Apposition => 1,
            _ => 2,
        };
        found.sort_by_key(|m| (rank(m), m.start));
        let mut kept: Vec<Mention> = Vec::with_capacity(found.len());
        for m in found {
            match kept.iter_mut().find(|k| k.start < m.end && m.start < k.end) {
                Some(k) if k.start == m.start && k.end == m.end => {
                    if k.country.is_none() {
                        k.country = m.country;
                    }
                    if k.role.is_none() {
                        k.role = m.role;
                    }
                }
                Some(_) => {}
                None => kept.push(m),
            }
        }
        kept.sort_by_key(|m| m.start);
        let mut found = kept;
        self.repeat_names(text, &tokenized, known, &mut found);
        found
    }

    /// `[modifier]* Title [.] Name`, optionally `Title of [the] <country> Name`.
    fn by_title(&self, ctx: &Ctx<'_>, out: &mut Vec<Mention>) {
        let toks = ctx.toks;
        let mut i = 0;
        while i < toks.len() {
            let Some(len) = match_phrase(&self.titles, toks, i) else {
                i += 1;
                continue;
            };
            let mut j = i + len;
            if j < toks.len() && toks[j].is_punct('.') {
                j += 1;
            }
            // "Minister of Foreign Affairs of Armenia X"
            let mut country_after = None;
            if j + 1 < toks.len() && toks[j].lower == "of" {
                let mut k = j + 1;
                if toks[k].lower == "the" {
                    k += 1;
                }
                if let Some(m) = ctx.mention_at(k).filter(|m| m.country.is_some()) {
                    let after = ctx.first_token_after(k, m.end);
                    country_after = m.country.clone();
                    j = after;
                }
            }
            let Some(end) = self
                .name_at(ctx, j, true)
                .or_else(|| self.name_after_place_word(ctx, j))
            else {
                i += len;
                continue;
            };
            // Modifiers before the title belong to the role; a country word before them gives the
            // country.
            let mut first = i;
            while first > 0 && self.modifiers.contains(&toks[first - 1].lower) {
                first -= 1;
            }
            let country = country_after.or_else(|| ctx.country_before(first));
            let role = ctx.text[toks[first].start..toks[i + len - 1].end].to_string();
            out.push(ctx.person(j, end, country, Source::Title, Some(role)));
            i = end;
        }
    }

    /// `Name , [det|modifier|country word|adjective]{0,4} role …`
    fn by_apposition(&self, ctx: &Ctx<'_>, out: &mut Vec<Mention>) {
        let toks = ctx.toks;
        for i in 0..toks.len() {
            if !toks[i].is_punct(',') || i == 0 {
                continue;
            }
            let Some(start) = self.name_ending_at(ctx, i) else {
                continue;
            };
            if !self.multiword(ctx, start, i) {
                continue;
            }
            // Find the role noun after the comma.
            let mut k = i + 1;
            let mut skipped = 0;
            let mut role_at = None;
            while k < toks.len() && skipped <= 4 {
                if let Some(len) = match_phrase(&self.roles, toks, k) {
                    role_at = Some((k, len));
                    break;
                }
                let t = &toks[k];
                let filler = matches!(t.lower.as_str(), "a" | "an" | "the")
                    || self.modifiers.contains(&t.lower)
                    || ctx.cover[k].is_some()
                    || (t.is_word() && t.text(ctx.text).starts_with(char::is_lowercase));
                if !filler {
                    break;
                }
                k += 1;
                skipped += 1;
            }
            let Some((r, _)) = role_at else {
                continue;
            };
            // The clause runs to the next comma, semicolon, colon, bracket or the sentence end.
            let clause_end = (r..toks.len())
                .find(|&x| toks[x].is_punct_any(&[',', ';', ':', '(', ')', '—', '.', '!', '?']))
                .unwrap_or(toks.len());
            let country = (i + 1..clause_end)
                .filter_map(|x| ctx.cover[x].map(|m| &ctx.known[m]))
                .find_map(|m| m.country.clone());
            let last = clause_end.max(r + 1) - 1;
            let role = ctx.text[toks[i + 1].start..toks[last].end].to_string();
            out.push(ctx.person(start, i, country, Source::Apposition, Some(role)));
        }
    }

    /// `said Name`, `according to Name`, `Name said`.
    fn by_speech(&self, ctx: &Ctx<'_>, out: &mut Vec<Mention>) {
        let toks = ctx.toks;
        let mut i = 0;
        while i < toks.len() {
            let Some(len) = match_phrase(&self.speech, toks, i) else {
                i += 1;
                continue;
            };
            // "said Name"
            if let Some(end) = self.name_at(ctx, i + len, false)
                && self.multiword(ctx, i + len, end)
            {
                out.push(ctx.person(i + len, end, None, Source::Speech, None));
            }
            // "Name said"
            if let Some(start) = self.name_ending_at(ctx, i)
                && self.multiword(ctx, start, i)
            {
                let country = ctx.country_before(start);
                out.push(ctx.person(start, i, country, Source::Speech, None));
            }
            i += len;
        }
    }

    /// Links one-word names to people named in full in the same text, and reports later occurrences
    /// of the full names and surnames of people found by cues.
    ///
    /// The people named in full are those found by cues and the gazetteer people mentioned in the
    /// text: after `Armen Grigoryan`, `Mr. Grigoryan` is Armen Grigoryan. A surname shared by two
    /// such people links to neither.
    fn repeat_names(
        &self,
        text: &str,
        tokenized: &[(Vec<Token>, Vec<Option<usize>>)],
        known: &[Mention],
        found: &mut Vec<Mention>,
    ) {
        type Who = (String, Option<String>);
        let mut full: HashMap<String, Who> = HashMap::new();
        let mut surname: HashMap<String, Option<Who>> = HashMap::new();
        let named = known
            .iter()
            .filter(|m| m.kind == MentionKind::Person)
            .chain(
                found
                    .iter()
                    .filter(|m| m.id.split_whitespace().count() >= 2),
            );
        for m in named {
            let who = (m.id.clone(), m.country.clone());
            full.entry(fold_key(&m.id)).or_insert_with(|| who.clone());
            let mut words = m.id.split_whitespace();
            if let (Some(last), Some(_)) = (words.next_back(), words.next()) {
                surname
                    .entry(fold_key(last))
                    .and_modify(|e| {
                        if e.as_ref().is_some_and(|(id, _)| *id != m.id) {
                            *e = None;
                        }
                    })
                    .or_insert(Some(who));
            }
        }
        // "Mr. Grigoryan" after "Armen Grigoryan".
        for m in found.iter_mut() {
            if m.id.split_whitespace().count() == 1
                && let Some(Some((id, country))) = surname.get(&fold_key(&m.id))
            {
                m.id.clone_from(id);
                m.name.clone_from(id);
                if m.country.is_none() {
                    m.country.clone_from(country);
                }
            }
        }
        let context_people: HashSet<String> = found.iter().map(|m| fold_key(&m.id)).collect();
        if full.is_empty() {
            return;
        }
        let mut extra = Vec::new();
        for (toks, cover) in tokenized {
            let ctx = Ctx {
                text,
                toks,
                cover,
                known,
            };
            let mut i = 0;
            while i < toks.len() {
                let Some(end) = self.name_at(&ctx, i, true) else {
                    i += 1;
                    continue;
                };
                let key = fold_key(&ctx.name_text(i, end));
                // Full names only for people found by cues (the gazetteer already matched its own).
                let hit = full
                    .get(&key)
                    .filter(|_| context_people.contains(&key))
                    .cloned()
                    .or_else(|| {
                        (end == i + 1)
                            .then(|| surname.get(&key).cloned().flatten())
                            .flatten()
                    });
                if let Some((id, country)) = hit {
                    let span = (toks[i].start, toks[end - 1].end);
                    let taken = found.iter().any(|m| m.start < span.1 && span.0 < m.end);
                    if !taken {
                        let mut m = ctx.person(i, end, country, Source::Surname, None);
                        m.id.clone_from(&id);
                        m.name = id;
                        extra.push(m);
                    }
                }
                i = end;
            }
        }
        found.extend(extra);
        found.sort_by_key(|m| m.start);
    }

    /// The end (exclusive token index) of a name starting at token `i`, if one starts there.
    /// `single` allows a one-word name.
    fn name_at(&self, ctx: &Ctx<'_>, i: usize, single: bool) -> Option<usize> {
        let toks = ctx.toks;
        if i >= toks.len() || !self.name_word(ctx, i) {
            return None;
        }
        if i > 0 && matches!(toks[i - 1].lower.as_str(), "the" | "a" | "an") {
            return None;
        }
        let mut end = i + 1;
        let mut words = 1;
        while end < toks.len() && words < 6 && !toks[end - 1].possessive {
            if self.name_word(ctx, end) {
                end += 1;
                words += 1;
                continue;
            }
            // A run of particles counts only when a name word follows it: "van der Berg".
            let mut q = end;
            while q < toks.len() && self.is_particle(ctx, q) {
                q += 1;
            }
            if q > end && q < toks.len() && self.name_word(ctx, q) {
                end = q + 1;
                words += 1;
            } else {
                break;
            }
        }
        // A name does not end on an initial: "J. K." alone is no name.
        while end > i && toks[end - 1].initial {
            end -= 1;
            words -= 1;
        }
        if end == i || (!single && words < 2) {
            return None;
        }
        Some(end)
    }

    /// After a title, a first name that the gazetteer took for a place (`Dr. Sofia Martins`,
    /// `Ambassador Georgia Lane`): one token that is a whole place, capital or country mention,
    /// followed by a surname. The caller's person then replaces the gazetteer mention.
    fn name_after_place_word(&self, ctx: &Ctx<'_>, i: usize) -> Option<usize> {
        let m = ctx.mention_at(i)?;
        let placey = matches!(
            m.kind,
            MentionKind::Place | MentionKind::Capital | MentionKind::Country
        );
        if !placey
            || m.end != ctx.toks[i].end
            || !ctx.toks[i].text(ctx.text).starts_with(char::is_uppercase)
        {
            return None;
        }
        let end = self.name_at(ctx, i + 1, true)?;
        Some(end)
    }

    /// The start of the name that ends right before token `end`, dropping words that cannot open
    /// a name ("Meanwhile John Smith said").
    fn name_ending_at(&self, ctx: &Ctx<'_>, end: usize) -> Option<usize> {
        let toks = ctx.toks;
        let mut start = end;
        // Names have at most six words; a longer run of capitalised words is not one name.
        while start > 0 && end - start <= 12 {
            let p = start - 1;
            let particle = self.is_particle(ctx, p) && start < end;
            if self.name_word(ctx, p) || particle {
                start = p;
            } else {
                break;
            }
        }
        // Never start on a particle; drop words before the last non-name word.
        while start < end && !self.name_word(ctx, start) {
            start += 1;
        }
        if start == end
            || (start > 0 && matches!(toks[start - 1].lower.as_str(), "the" | "a" | "an"))
        {
            return None;
        }
        if end - start > 6 {
            return None;
        }
        Some(start)
    }

    /// Whether token `i` is a lower-case name particle (`van`, `de`).
    fn is_particle(&self, ctx: &Ctx<'_>, i: usize) -> bool {
        let t = &ctx.toks[i];
        t.is_word()
            && self.particles.contains(&t.lower)
            && t.text(ctx.text).starts_with(char::is_lowercase)
    }

    /// Whether the name `start..end` has at least two words.
    fn multiword(&self, ctx: &Ctx<'_>, start: usize, end: usize) -> bool {
        (start..end).filter(|&k| self.name_word(ctx, k)).count() >= 2
    }

    /// Whether token `i` can be part of a person's name.
    fn name_word(&self, ctx: &Ctx<'_>, i: usize) -> bool {
        let t = &ctx.toks[i];
        if !t.is_word() || ctx.cover[i].is_some() || self.not_names.contains(&t.lower) {
            return false;
        }
        let s = t.text(ctx.text);
        let mut chars = s.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        if t.initial {
            return true;
        }
        // Capitalised, with lower-case letters after (not an acronym), letters only (no digits).
        first.is_uppercase()
            && s.chars().any(char::is_lowercase)
            && s.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’') || is_mark(c))
    }
}

/// One sentence's tokens and what the gazetteer found there.
struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    /// For every token, the index in `known` of the gazetteer mention covering it.
    cover: &'a [Option<usize>],
    known: &'a [Mention],
}

impl Ctx<'_> {
    /// The gazetteer mention that starts at token `k`.
    fn mention_at(&self, k: usize) -> Option<&Mention> {
        let m = &self.known[self.cover.get(k).copied().flatten()?];
        (m.start == self.toks[k].start).then_some(m)
    }

    /// The first token at or after `k` that starts at or after byte `end`.
    fn first_token_after(&self, k: usize, end: usize) -> usize {
        (k..self.toks.len())
            .find(|&x| self.toks[x].start >= end)
            .unwrap_or(self.toks.len())
    }

    /// The country of a gazetteer mention that ends right before token `k` (a country word, a
    /// capital's possessive, an organisation).
    fn country_before(&self, k: usize) -> Option<String> {
        let m = self.known[self.cover.get(k.checked_sub(1)?).copied().flatten()?].clone();
        m.country
    }

    /// The name spelled as in the text, blanks normalised.
    fn name_text(&self, start: usize, end: usize) -> String {
        let raw = &self.text[self.toks[start].start..self.toks[end - 1].end];
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn person(
        &self,
        start: usize,
        end: usize,
        country: Option<String>,
        source: Source,
        role: Option<String>,
    ) -> Mention {
        let name = self.name_text(start, end);
        Mention {
            start: self.toks[start].start,
            end: self.toks[end - 1].end,
            kind: MentionKind::Person,
            id: name.clone(),
            name,
            country,
            source,
            role: role.map(|r| r.split_whitespace().collect::<Vec<_>>().join(" ")),
        }
    }
}

/// A word or punctuation mark of a sentence.
#[derive(Clone, Debug)]
struct Token {
    start: usize,
    end: usize,
    /// Lower-cased text.
    lower: String,
    /// Punctuation (one character) rather than a word.
    punct: bool,
    /// A one-letter initial with its period: `J.`.
    initial: bool,
    /// The word was followed by `'s`/`’s`, which is not part of the token.
    possessive: bool,
}

impl Token {
    fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    fn is_word(&self) -> bool {
        !self.punct
    }

    fn is_punct(&self, c: char) -> bool {
        self.punct && self.lower.starts_with(c)
    }

    fn is_punct_any(&self, cs: &[char]) -> bool {
        cs.iter().any(|&c| self.is_punct(c))
    }
}

/// Combining marks of decomposed text stay inside words.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Splits one sentence into words and punctuation marks. Words keep inner hyphens and apostrophes
/// (`Ter-Petrosyan`, `O'Neill`); a possessive `'s` is cut off and remembered; `J.` is an initial.
fn tokenize(text: &str, span: Span) -> Vec<Token> {
    let s = &text[span.start..span.end];
    let mut out = Vec::new();
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        let start = span.start + i;
        if !c.is_alphanumeric() {
            out.push(Token {
                start,
                end: start + c.len_utf8(),
                lower: c.to_string(),
                punct: true,
                initial: false,
                possessive: false,
            });
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut possessive = false;
        while let Some(&(j, d)) = it.peek() {
            if d.is_alphanumeric() || is_mark(d) {
                end = j + d.len_utf8();
                it.next();
                continue;
            }
            let after = &s[j + d.len_utf8()..];
            let next_is_letter = after.starts_with(char::is_alphabetic);
            if is_apostrophe(d) && next_is_letter {
                let rest = after.trim_start_matches(['s', 'S']);
                let len_s = after.len() - rest.len();
                if len_s == 1 && !rest.starts_with(char::is_alphanumeric) {
                    // Possessive: skip "'s".
                    possessive = true;
                    it.next();
                    it.next();
                    break;
                }
                end = j + d.len_utf8();
                it.next();
                continue;
            }
            if matches!(d, '-' | '‐' | '‑') && next_is_letter {
                end = j + d.len_utf8();
                it.next();
                continue;
            }
            break;
        }
        let word = &s[i..end];
        let mut initial = false;
        if word.chars().count() == 1
            && c.is_uppercase()
            && let Some(&(j, '.')) = it.peek()
        {
            it.next();
            end = j + 1;
            initial = true;
        }
        out.push(Token {
            start,
            end: span.start + end,
            lower: word.to_lowercase(),
            punct: false,
            initial,
            possessive,
        });
    }
    out
}

/// For every token, the gazetteer mention (index into `known`) that covers it.
fn coverage(toks: &[Token], known: &[Mention]) -> Vec<Option<usize>> {
    let first = toks.first().map_or(0, |t| t.start);
    let mut m = known.partition_point(|k| k.end <= first);
    toks.iter()
        .map(|t| {
            while m < known.len() && known[m].end <= t.start {
                m += 1;
            }
            (m < known.len() && known[m].start < t.end && t.start < known[m].end).then_some(m)
        })
        .collect()
}

/// Cue phrases as lower-case word lists, indexed by their first word so that a token is compared
/// only with the phrases that can start there (longest first within each first word).
#[derive(Clone, Debug, Default)]
struct Phrases {
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl Phrases {
    /// `list` must be sorted longest first; the order is kept within each first word.
    fn new(list: Vec<Vec<String>>) -> Phrases {
        let mut by_first: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for p in list {
            if let Some(first) = p.first() {
                by_first.entry(first.clone()).or_default().push(p);
            }
        }
        Phrases { by_first }
    }
}

/// The length in tokens of the longest phrase of `phrases` at token `i`.
fn match_phrase(phrases: &Phrases, toks: &[Token], i: usize) -> Option<usize> {
    let first = toks.get(i).filter(|t| t.is_word())?;
    phrases.by_first.get(&first.lower)?.iter().find_map(|p| {
        let fits = i + p.len() <= toks.len()
            && p.iter()
                .zip(&toks[i..])
                .all(|(w, t)| t.is_word() && *w == t.lower);
        fits.then_some(p.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Gazetteer, sentences};
    use std::sync::LazyLock;

    static GAZ: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::load_default().unwrap());
    static FINDER: LazyLock<PeopleFinder> = LazyLock::new(|| PeopleFinder::load_default().unwrap());

    fn people(text: &str) -> Vec<(String, Option<String>, Source)> {
        let known = GAZ.find_mentions(text);
        FINDER
            .find(text, &sentences(text), &known)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.country, m.source))
            .collect()
    }

    fn p(name: &str, country: Option<&str>, source: Source) -> (String, Option<String>, Source) {
        (name.to_string(), country.map(str::to_string), source)
    }

    #[test]
    fn tokens() {
        let text = "Mr. O'Neill met J. R. Ter-Petrosyan’s aide, Ankara's envoy.";
        let toks = tokenize(
            text,
            Span {
                start: 0,
                end: text.len(),
            },
        );
        let words: Vec<&str> = toks.iter().map(|t| t.text(text)).collect();
        assert_eq!(
            words,
            [
                "Mr",
                ".",
                "O'Neill",
                "met",
                "J.",
                "R.",
                "Ter-Petrosyan",
                "aide",
                ",",
                "Ankara",
                "envoy",
                "."
            ]
        );
        assert!(toks[6].possessive && toks[9].possessive);
        assert!(toks[4].initial);
    }

    #[test]
    fn titles_give_names_and_countries() {
        assert_eq!(
            people("Armenian Deputy Foreign Minister Vahan Kostanyan arrived."),
            [p("Vahan Kostanyan", Some("ARM"), Source::Title)]
        );
        assert_eq!(
            people("Ankara's special envoy Talat Yalcin met former Ambassador Lind."),
            [
                p("Talat Yalcin", Some("TUR"), Source::Title),
                p("Lind", None, Source::Title)
            ]
        );
        assert_eq!(
            people("The Minister of Foreign Affairs of Georgia Nino Tsereteli spoke."),
            [p("Nino Tsereteli", Some("GEO"), Source::Title)]
        );
    }

    #[test]
    fn appositions() {
        assert_eq!(
            people("Anna Marie Holt, director of the Armenian Center for Policy, disagreed."),
            [p("Anna Marie Holt", Some("ARM"), Source::Apposition)]
        );
        assert_eq!(
            people("Said Rahimov, a senior fellow at a think tank, agreed."),
            [p("Said Rahimov", None, Source::Apposition)]
        );
        // One capitalised word before the comma is not enough.
        assert!(people("Yesterday, officials met.").is_empty());
    }

    #[test]
    fn speech_and_repeats() {
        let text = "“It will open,” said Leyla Guliyeva. Guliyeva later added details. Dmitri Orlov told reporters.";
        assert_eq!(
            people(text),
            [
                p("Leyla Guliyeva", None, Source::Speech),
                p("Guliyeva", None, Source::Surname),
                p("Dmitri Orlov", None, Source::Speech)
            ]
        );
        // Institutions, places and single words are not people.
        assert!(
            people("The Foreign Ministry said so. Baku said no. Officials said yes.").is_empty()
        );
    }

    #[test]
    fn particles_and_initials() {
        assert_eq!(
            people("According to Jan van der Berg, talks stalled. President J. K. Lomo said yes."),
            [
                p("Jan van der Berg", None, Source::Speech),
                p("J. K. Lomo", None, Source::Title)
            ]
        );
    }

    #[test]
    fn first_names_that_look_like_places() {
        assert_eq!(
            people("Dr. Sofia Martins spoke; Sofia is far."),
            [p("Sofia Martins", None, Source::Title)]
        );
    }

    #[test]
    fn surnames_link_to_people_named_in_full() {
        let text = "Armen Grigoryan arrived. Later Mr. Grigoryan and Ambassador Vardan Toganyan met. Toganyan left.";
        let known = GAZ.find_mentions(text);
        let found: Vec<(String, String, Source)> = FINDER
            .find(text, &sentences(text), &known)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.id, m.source))
            .collect();
        let want = [
            ("Grigoryan", "Armen Grigoryan", Source::Title),
            ("Vardan Toganyan", "Vardan Toganyan", Source::Title),
            ("Toganyan", "Vardan Toganyan", Source::Surname),
        ];
        let want: Vec<(String, String, Source)> = want
            .iter()
            .map(|(a, b, s)| (a.to_string(), b.to_string(), *s))
            .collect();
        assert_eq!(found, want);
    }

    #[test]
    fn gazetteer_people_are_not_repeated() {
        assert!(people("Foreign Minister Ararat Mirzoyan said Pashinyan would come.").is_empty());
    }

    fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            Just("Foreign Minister ".to_string()),
            Just("said ".to_string()),
            Just(", director of ".to_string()),
            Just("Armenian ".to_string()),
            Just("Mr. ".to_string()),
            Just("van ".to_string()),
            Just("J. ".to_string()),
            Just("’s ".to_string()),
            Just(". ".to_string()),
            Just("Sofia ".to_string()),
            "[A-Z][a-zçığüş]{1,6} ",
            any::<char>().prop_map(String::from),
        ]
    }

    proptest::proptest! {
        /// Never panics; every person is a char-boundary span of the text that overlaps no
        /// other person.
        #[test]
        fn people_spans_are_sound(parts in proptest::collection::vec(piece(), 0..30)) {
            let text: String = parts.concat();
            let known = GAZ.find_mentions(&text);
            let found = FINDER.find(&text, &sentences(&text), &known);
            let mut last = 0;
            for m in &found {
                proptest::prop_assert!(m.start < m.end && m.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                proptest::prop_assert!(m.start >= last, "overlap in {:?}", text);
                last = m.end;
            }
        }
    }

    #[test]
    fn bad_cue_files_are_rejected() {
        let src = "titles = [\"\"]\nmodifiers = []\napposition_roles = []\nspeech_verbs = []\nparticles = []\nnot_names = []\n";
        let e = PeopleFinder::from_toml("cues.toml", src)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("cues.toml: titles: \"\""), "{e}");
    }
}
