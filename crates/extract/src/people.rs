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
//!
//! Most sentences are never tokenized: a quick look at their bytes rules out the sentences where
//! no cue can find a person (no trigger word of a cue with what it needs around it) and where no
//! later occurrence of a name can be (no run of letters that ends a known name), with the same
//! results as reading every sentence in full.

use crate::fold::{fold_key, fold_key_into};
use crate::hash::{FastMap, FastSet};
use crate::mentions::{Mention, MentionKind, Source};
use crate::{DataError, Span};
use serde::Deserialize;
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
    /// Every word of the cue lists, lower-cased, and what it is: a token is looked up here once.
    vocab: Vocab,
    titles: Phrases,
    roles: Phrases,
    speech: Phrases,
    /// One trigger run of every cue phrase ([`triggers`]), for [`PeopleFinder::glance`]; `None`
    /// when some phrase has no word that the quick look can find (then every sentence is read in
    /// full by the cue passes).
    triggers: Option<RunSet>,
    /// The most tokens between an apposition's comma and a token of its role: four fillers and all
    /// but one word of the longest role.
    role_reach: usize,
}

/// The words of the cue lists, numbered, with what each word is ([`MODIFIER`], [`PARTICLE`],
/// [`NOT_NAME`]). `of`, `the`, `a` and `an` always have the numbers [`OF`], [`THE`], [`A`], [`AN`].
#[derive(Clone, Debug, Default)]
struct Vocab {
    /// The words of up to eight bytes (without NUL), by [`short_key`].
    short: FastMap<u64, u32>,
    /// The longer words.
    ids: FastMap<String, u32>,
    flags: Vec<u8>,
    /// A quick test before the lookup of an ASCII word: bit `min(len, 31)` of entry
    /// [`filter_slot`]`(first, last)` is set when some word of that length starts and ends with
    /// those bytes. Most words of a text are in no cue list and fail it.
    filter: Vec<u32>,
}

/// The entry of [`Vocab::filter`] for a word's first and last bytes (lower-cased ASCII).
fn filter_slot(first: u8, last: u8) -> usize {
    (usize::from(first & 0x1F) << 5) | usize::from(last & 0x1F)
}

/// The bit of [`Vocab::filter`] for a word of `len` bytes.
fn filter_bit(len: usize) -> u32 {
    1 << len.min(31)
}

/// A word of the `modifiers` list.
const MODIFIER: u8 = 1;
/// A word of the `particles` list.
const PARTICLE: u8 = 2;
/// A word of the `not_names` list, or of a title.
const NOT_NAME: u8 = 4;

const OF: u32 = 0;
const THE: u32 = 1;
const A: u32 = 2;
const AN: u32 = 3;
/// Not a word of the vocabulary.
const UNKNOWN: u32 = u32::MAX;

impl Vocab {
    fn new() -> Vocab {
        let mut v = Vocab {
            filter: vec![0; 1 << 10],
            ..Vocab::default()
        };
        for w in ["of", "the", "a", "an"] {
            v.id(w);
        }
        v
    }

    /// The number of `word` (lower-cased already), added if new.
    fn id(&mut self, word: &str) -> u32 {
        let known = self.get(word);
        if known != UNKNOWN {
            return known;
        }
        let id = u32::try_from(self.flags.len()).expect("fewer than 4 billion cue words");
        match short_key(word.as_bytes()) {
            Some(key) => self.short.insert(key, id),
            None => self.ids.insert(word.to_string(), id),
        };
        if let (Some(&first), Some(&last)) = (word.as_bytes().first(), word.as_bytes().last()) {
            self.filter[filter_slot(first, last)] |= filter_bit(word.len());
        }
        self.flags.push(0);
        id
    }

    /// Whether an ASCII word of `len` bytes that starts with `first` and ends with `last` (both
    /// lower-cased) may be in the vocabulary: `false` means it certainly is not.
    #[inline]
    fn may_have(&self, first: u8, last: u8, len: usize) -> bool {
        self.filter[filter_slot(first, last)] & filter_bit(len) != 0
    }

    fn mark(&mut self, word: &str, flag: u8) {
        let id = self.id(word) as usize;
        self.flags[id] |= flag;
    }

    /// The number of a lower-cased word, or [`UNKNOWN`].
    fn get(&self, lower: &str) -> u32 {
        match short_key(lower.as_bytes()) {
            Some(key) => self.short.get(&key),
            None => self.ids.get(lower),
        }
        .copied()
        .unwrap_or(UNKNOWN)
    }

    fn is(&self, id: u32, flag: u8) -> bool {
        self.flags.get(id as usize).is_some_and(|f| f & flag != 0)
    }
}

impl PeopleFinder {
    /// The finder with the shipped `data/people_cues.toml`.
    pub fn load_default() -> Result<PeopleFinder, DataError> {
        PeopleFinder::from_toml("people_cues.toml", DEFAULT_CUES)
    }

    /// A finder with the cue file at `path` (same schema as the shipped file).
    pub fn from_file(path: &Path) -> Result<PeopleFinder, DataError> {
        let (file, src) = crate::read_data(path)?;
        PeopleFinder::from_toml(&file, &src)
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
        let mut vocab = Vocab::new();
        let mut mark = |list: &[String], flag: u8| {
            for w in list {
                vocab.mark(&w.trim().to_lowercase(), flag);
            }
        };
        mark(&cues.not_names, NOT_NAME);
        mark(&cues.modifiers, MODIFIER);
        mark(&cues.particles, PARTICLE);
        let titles = phrases(&cues.titles, "titles")?;
        for t in &titles {
            for w in t {
                vocab.mark(w, NOT_NAME);
            }
        }
        let roles = phrases(&cues.apposition_roles, "apposition_roles")?;
        let speech = phrases(&cues.speech_verbs, "speech_verbs")?;
        let triggers = triggers(&titles, &speech, &roles);
        let role_reach = 4 + roles
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(1)
            .saturating_sub(1);
        Ok(PeopleFinder {
            triggers,
            role_reach,
            titles: Phrases::new(titles, &mut vocab),
            roles: Phrases::new(roles, &mut vocab),
            speech: Phrases::new(speech, &mut vocab),
            vocab,
        })
    }

    /// People in `text` that `known` (the gazetteer mentions of the same text, in order) does not
    /// already cover, in order. `sentences` are the text's sentence spans: cues never cross them.
    /// A returned person may overlap a one-word place mention of `known` that is really a first name
    /// (see the module docs); the caller drops such place mentions ([`crate::Extractor`] does).
    pub fn find(&self, text: &str, sentences: &[Span], known: &[Mention]) -> Vec<Mention> {
        self.find_glancing(text, sentences, known, true)
    }

    /// [`PeopleFinder::find`]; without `quick`, every sentence is tokenized and read by every pass
    /// (the tests compare both ways).
    fn find_glancing(
        &self,
        text: &str,
        sentences: &[Span],
        known: &[Mention],
        quick: bool,
    ) -> Vec<Mention> {
        let mut found: Vec<Mention> = Vec::new();
        // Each sentence's tokens and their gazetteer coverage, built once for both passes, and only
        // for the sentences that a quick look at their bytes does not rule out.
        let mut tokenized = Tokenized::new(sentences.len());
        let cover = Cover::new(known);
        let glances = if quick {
            self.glance(text, sentences, &cover)
        } else {
            Glances::all(sentences.len())
        };
        for (k, &span) in sentences.iter().enumerate() {
            if !glances.sentences[k].cue {
                continue;
            }
            let r = tokenized.ensure(k, text, span, known, &self.vocab);
            let ctx = &tokenized.ctx(r, text, known, &self.vocab);
            self.by_title(ctx, &mut found);
            self.by_apposition(ctx, &mut found);
            self.by_speech(ctx, &mut found);
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
        self.repeat_names(
            text,
            sentences,
            &glances,
            &cover,
            &mut tokenized,
            &mut found,
        );
        found
    }

    /// One quick look at the bytes of every sentence, which rules out most sentences for the cue
    /// passes and for `repeat_names` without tokenizing them ([`Glance`]).
    ///
    /// A cue phrase matches only where its trigger word ([`triggers`]) is a token. Such a token is
    /// either ASCII, and then the trigger is a whole run of ASCII letters and digits of the
    /// sentence (in any case), or it holds a Kelvin sign (`K`, the only non-ASCII character that
    /// lower-cases to ASCII). Around the trigger, [`cue_may_hold`] looks for what the cue needs.
    fn glance(&self, text: &str, sentences: &[Span], cover: &Cover<'_>) -> Glances {
        let bytes = text.as_bytes();
        let mut glances = Glances {
            sentences: Vec::with_capacity(sentences.len()),
            runs: Vec::new(),
        };
        for &span in sentences {
            let (mut cue, mut odd, mut kelvin) = (self.triggers.is_none(), false, false);
            let from = glances.runs.len();
            scan_runs(
                bytes,
                span.start,
                span.end,
                |start, end| {
                    if !cue && let Some(triggers) = &self.triggers {
                        let tag = triggers.get(&bytes[start..end]);
                        cue = tag != 0
                            && cue_may_hold(bytes, span, start, end, tag, self.role_reach, cover);
                    }
                    // The last run of a name word that is ASCII letters, hyphens and apostrophes
                    // (`’` ends with byte 0x99) is capitalised or follows one of them.
                    if bytes[start].is_ascii_uppercase()
                        || (start > span.start && matches!(bytes[start - 1], b'-' | b'\'' | 0x99))
                    {
                        glances.runs.push((start, end));
                    }
                },
                |i| {
                    if let Some(c) = text[i..].chars().next()
                        && (c.is_alphanumeric() || is_mark(c))
                    {
                        odd = true;
                        kelvin |= c == '\u{212A}';
                    }
                },
            );
            glances.sentences.push(Glance {
                cue: cue || kelvin,
                odd,
                runs: (from, glances.runs.len()),
            });
        }
        glances
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
            if j + 1 < toks.len() && toks[j].word == OF {
                let mut k = j + 1;
                if toks[k].word == THE {
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
            while first > 0 && self.vocab.is(toks[first - 1].word, MODIFIER) {
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
                let filler = matches!(t.word, A | AN | THE)
                    || self.vocab.is(t.word, MODIFIER)
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
        sentences: &[Span],
        glances: &Glances,
        cover: &Cover<'_>,
        tokenized: &mut Tokenized,
        found: &mut Vec<Mention>,
    ) {
        let known = cover.all;
        type Who = (String, Option<String>);
        let mut full: FastMap<String, Who> = FastMap::default();
        let mut surname: FastMap<String, Option<Who>> = FastMap::default();
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
        let context_people: FastSet<String> = found.iter().map(|m| fold_key(&m.id)).collect();
        if full.is_empty() {
            return;
        }
        // The first and last byte of every key that can be hit, so that most names need no folding:
        // a name that starts and ends with ASCII letters or digits folds to a key that starts and
        // ends with them in lower case.
        let mut ends = vec![0u64; 1 << 10];
        let hittable = full
            .keys()
            .filter(|k| context_people.contains(*k))
            .chain(surname.iter().filter(|(_, w)| w.is_some()).map(|(k, _)| k));
        // The last runs of letters and digits of the keys, to rule sentences out ([`Glance::runs`]).
        let mut last_runs = Vec::new();
        let mut keys = 0;
        for key in hittable {
            keys += 1;
            if let (Some(&f), Some(&l)) = (key.as_bytes().first(), key.as_bytes().last()) {
                let bit = (usize::from(f) << 8) | usize::from(l);
                ends[bit >> 6] |= 1 << (bit & 63);
            }
            let run = last_run(key.as_bytes());
            if !run.is_empty() {
                last_runs.push((run, 1));
            }
        }
        if keys == 0 {
            return;
        }
        let last_runs = RunSet::new(last_runs);
        let may_hit = |first: u8, last: u8| {
            if !(first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric()) {
                return true;
            }
            let bit = (usize::from(first.to_ascii_lowercase()) << 8)
                | usize::from(last.to_ascii_lowercase());
            ends[bit >> 6] & (1 << (bit & 63)) != 0
        };
        let mut extra = Vec::new();
        let (mut name, mut key) = (String::new(), String::new());
        for (k, &span) in sentences.iter().enumerate() {
            let glance = &glances.sentences[k];
            let (from, to) = glance.runs;
            let hittable = glance.odd
                || glances.runs[from..to].iter().any(|&(start, end)| {
                    // A run in a mention is in a covered token, which is no name word.
                    last_runs.get(&text.as_bytes()[start..end]) != 0 && !cover.overlaps(start, end)
                });
            if !hittable {
                continue;
            }
            let r = tokenized.ensure(k, text, span, known, &self.vocab);
            let ctx = tokenized.ctx(r, text, known, &self.vocab);
            let toks = ctx.toks;
            let mut i = 0;
            while i < toks.len() {
                let Some(end) = self.name_at(&ctx, i, true) else {
                    i += 1;
                    continue;
                };
                let bytes = text.as_bytes();
                if !may_hit(bytes[toks[i].start], bytes[toks[end - 1].end - 1]) {
                    i = end;
                    continue;
                }
                ctx.name_text_into(i, end, &mut name);
                fold_key_into(&name, &mut key);
                let key = key.as_str();
                // Full names only for people found by cues (the gazetteer already matched its own).
                let hit = full
                    .get(key)
                    .filter(|_| context_people.contains(key))
                    .cloned()
                    .or_else(|| {
                        (end == i + 1)
                            .then(|| surname.get(key).cloned().flatten())
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
        if i > 0 && matches!(toks[i - 1].word, THE | A | AN) {
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
        if start == end || (start > 0 && matches!(toks[start - 1].word, THE | A | AN)) {
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
            && self.vocab.is(t.word, PARTICLE)
            && t.text(ctx.text).starts_with(char::is_lowercase)
    }

    /// Whether the name `start..end` has at least two words.
    fn multiword(&self, ctx: &Ctx<'_>, start: usize, end: usize) -> bool {
        (start..end).filter(|&k| self.name_word(ctx, k)).count() >= 2
    }

    /// Whether token `i` can be part of a person's name.
    fn name_word(&self, ctx: &Ctx<'_>, i: usize) -> bool {
        ctx.vocab.name_word(&ctx.toks[i], ctx.cover[i].is_some())
    }
}

impl Vocab {
    /// Whether the token (covered by a gazetteer mention or not: `covered`) can be part of a
    /// person's name ([`PeopleFinder::name_word`]).
    fn name_word(&self, t: &Token, covered: bool) -> bool {
        t.is_word() && !covered && !self.is(t.word, NOT_NAME) && t.shape
    }
}

/// Whether a word is shaped like part of a name: capitalised, with lower-case letters after the
/// first (not an acronym), and letters only (no digits; hyphens and apostrophes allowed).
fn name_shape(s: &str) -> bool {
    if s.is_ascii() {
        // The same test on bytes, in one pass.
        let Some(&first) = s.as_bytes().first() else {
            return false;
        };
        let (mut lower, mut letters) = (false, true);
        for &c in s.as_bytes() {
            lower |= c.is_ascii_lowercase();
            letters &= c.is_ascii_alphabetic() || matches!(c, b'-' | b'\'');
        }
        return first.is_ascii_uppercase() && lower && letters;
    }
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_uppercase()
        && s.chars().any(char::is_lowercase)
        && s.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’') || is_mark(c))
}

/// One sentence's tokens and what the gazetteer found there.
struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    /// For every token, the index in `known` of the gazetteer mention covering it.
    cover: &'a [Option<usize>],
    known: &'a [Mention],
    vocab: &'a Vocab,
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
        let mut name = String::new();
        self.name_text_into(start, end, &mut name);
        name
    }

    /// [`Ctx::name_text`] into `buf` (its content replaced).
    fn name_text_into(&self, start: usize, end: usize, buf: &mut String) {
        let raw = &self.text[self.toks[start].start..self.toks[end - 1].end];
        buf.clear();
        for (k, word) in raw.split_whitespace().enumerate() {
            if k > 0 {
                buf.push(' ');
            }
            buf.push_str(word);
        }
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

/// The tokens of the sentences of a text that need them, and their gazetteer coverage, in one pair
/// of vectors. A sentence is tokenized when first asked for ([`Tokenized::ensure`]).
struct Tokenized {
    toks: Vec<Token>,
    /// For every token, the index in `known` of the gazetteer mention covering it.
    cover: Vec<Option<usize>>,
    /// Each sentence's range of `toks` (and of `cover`), once it is tokenized.
    sentences: Vec<Option<std::ops::Range<usize>>>,
    /// Scratch space for [`tokenize`].
    lower: String,
}

impl Tokenized {
    /// Nothing tokenized yet, room for `sentences` sentences.
    fn new(sentences: usize) -> Tokenized {
        Tokenized {
            toks: Vec::new(),
            cover: Vec::new(),
            sentences: vec![None; sentences],
            lower: String::new(),
        }
    }

    /// Tokenizes sentence `k` (`span`) unless it already is, and returns its range of `toks`.
    fn ensure(
        &mut self,
        k: usize,
        text: &str,
        span: Span,
        known: &[Mention],
        vocab: &Vocab,
    ) -> std::ops::Range<usize> {
        if let Some(r) = &self.sentences[k] {
            return r.clone();
        }
        let from = self.toks.len();
        tokenize(text, span, vocab, &mut self.lower, &mut self.toks);
        coverage(&self.toks[from..], known, &mut self.cover);
        self.sentences[k] = Some(from..self.toks.len());
        from..self.toks.len()
    }

    /// The context of the tokens `r` (one sentence's, from [`Tokenized::ensure`]).
    fn ctx<'a>(
        &'a self,
        r: std::ops::Range<usize>,
        text: &'a str,
        known: &'a [Mention],
        vocab: &'a Vocab,
    ) -> Ctx<'a> {
        Ctx {
            text,
            toks: &self.toks[r.clone()],
            cover: &self.cover[r],
            vocab,
            known,
        }
    }
}

/// A word or punctuation mark of a sentence.
#[derive(Clone, Debug)]
struct Token {
    start: usize,
    end: usize,
    /// The number of the lower-cased text in the cue vocabulary, or [`UNKNOWN`] (punctuation is
    /// looked up as written).
    word: u32,
    /// Punctuation (one character) rather than a word.
    punct: bool,
    /// A one-letter initial with its period: `J.`.
    initial: bool,
    /// The word was followed by `'s`/`’s`, which is not part of the token.
    possessive: bool,
    /// A word that looks like part of a name: an initial, or [`name_shape`].
    shape: bool,
    /// The punctuation character (for words: their first character).
    first: char,
}

impl Token {
    fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    fn is_word(&self) -> bool {
        !self.punct
    }

    fn is_punct(&self, c: char) -> bool {
        self.punct && self.first == c
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

/// The vocabulary number of `word` lower-cased; `buf` is scratch space.
fn lookup(vocab: &Vocab, word: &str, buf: &mut String) -> u32 {
    let bytes = word.as_bytes();
    if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last())
        && first.is_ascii()
        && last.is_ascii()
        && !vocab.may_have(
            first.to_ascii_lowercase(),
            last.to_ascii_lowercase(),
            bytes.len(),
        )
        && word.is_ascii()
    {
        return UNKNOWN;
    }
    if bytes.len() <= 8 {
        // The common case: ASCII without NUL, the key straight from the bytes, lower-cased on the
        // way.
        let mut key = [0; 8];
        let mut plain = true;
        for (k, &b) in key.iter_mut().zip(bytes) {
            plain &= b.is_ascii() && b != 0;
            *k = b.to_ascii_lowercase();
        }
        if plain {
            return vocab
                .short
                .get(&u64::from_le_bytes(key))
                .copied()
                .unwrap_or(UNKNOWN);
        }
    }
    if word.is_ascii() {
        buf.clear();
        buf.push_str(word);
        buf.make_ascii_lowercase();
        vocab.get(buf)
    } else {
        vocab.get(&word.to_lowercase())
    }
}

/// A word of up to eight bytes, none of them NUL, as one number: its bytes, zero-padded.
fn short_key(bytes: &[u8]) -> Option<u64> {
    if bytes.len() > 8 || bytes.contains(&0) {
        return None;
    }
    let mut key = [0; 8];
    key[..bytes.len()].copy_from_slice(bytes);
    Some(u64::from_le_bytes(key))
}

/// Splits one sentence into words and punctuation marks, appended to `out`. Words keep inner hyphens
/// and apostrophes (`Ter-Petrosyan`, `O'Neill`); a possessive `'s` is cut off and remembered; `J.` is
/// an initial. `buf` is scratch space.
fn tokenize(text: &str, span: Span, vocab: &Vocab, buf: &mut String, out: &mut Vec<Token>) {
    let s = &text[span.start..span.end];
    let len = s.len();
    // The character at byte `k` (a char boundary below `len`) and its length; ASCII without decoding.
    let char_at = |k: usize| -> (char, usize) {
        let b = s.as_bytes()[k];
        if b.is_ascii() {
            (char::from(b), 1)
        } else {
            s[k..]
                .chars()
                .next()
                .map_or((char::REPLACEMENT_CHARACTER, 1), |c| (c, c.len_utf8()))
        }
    };
    let starts_with = |k: usize, f: fn(char) -> bool| k < len && f(char_at(k).0);
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < len {
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let (c, clen) = char_at(i);
        if c.is_whitespace() {
            i += clen;
            continue;
        }
        let start = span.start + i;
        if !c.is_alphanumeric() {
            let mut utf8 = [0; 4];
            out.push(Token {
                start,
                end: start + clen,
                word: vocab.get(c.encode_utf8(&mut utf8)),
                punct: true,
                initial: false,
                possessive: false,
                shape: false,
                first: c,
            });
            i += clen;
            continue;
        }
        // `end` is the end of the word so far, `next` the first character not yet consumed.
        let mut end = i + clen;
        let mut next = end;
        let mut possessive = false;
        while next < len {
            let b = bytes[next];
            if b.is_ascii_alphanumeric() {
                next += 1;
                end = next;
                continue;
            }
            // Other ASCII ends the word, except an apostrophe or hyphen (decided below).
            if b.is_ascii() && b != b'\'' && b != b'-' {
                break;
            }
            let (d, dlen) = char_at(next);
            if d.is_alphanumeric() || is_mark(d) {
                end = next + dlen;
                next = end;
                continue;
            }
            let after = next + dlen;
            let next_is_letter = starts_with(after, char::is_alphabetic);
            if is_apostrophe(d) && next_is_letter {
                let mut rest = after;
                while rest < len && matches!(bytes[rest], b's' | b'S') {
                    rest += 1;
                }
                if rest - after == 1 && !starts_with(rest, char::is_alphanumeric) {
                    // Possessive: skip "'s".
                    possessive = true;
                    next = rest;
                    break;
                }
                end = after;
                next = end;
                continue;
            }
            if matches!(d, '-' | '‐' | '‑') && next_is_letter {
                end = after;
                next = end;
                continue;
            }
            break;
        }
        let word = &s[i..end];
        let mut initial = false;
        if end == i + clen && c.is_uppercase() && next < len && s.as_bytes()[next] == b'.' {
            next += 1;
            end = next;
            initial = true;
        }
        out.push(Token {
            start,
            end: span.start + end,
            word: lookup(vocab, word, buf),
            punct: false,
            initial,
            possessive,
            shape: initial || name_shape(&s[i..end]),
            first: c,
        });
        i = next;
    }
}

/// For every token of one sentence, the gazetteer mention (index into `known`) that covers it,
/// appended to `out`.
fn coverage(toks: &[Token], known: &[Mention], out: &mut Vec<Option<usize>>) {
    let first = toks.first().map_or(0, |t| t.start);
    let mut m = known.partition_point(|k| k.end <= first);
    out.extend(toks.iter().map(|t| {
        while m < known.len() && known[m].end <= t.start {
            m += 1;
        }
        (m < known.len() && known[m].start < t.end && t.start < known[m].end).then_some(m)
    }));
}

/// A tag of [`PeopleFinder::triggers`]: a sentence with the trigger may hold a cue, whatever
/// stands around it.
const ANY_TRIGGER: u8 = 1;
/// A tag of [`PeopleFinder::triggers`]: the trigger is the last run of letters and digits of the
/// last word of a title, and the title needs a name, a place word or `of` after it.
const TITLE_TRIGGER: u8 = 2;
/// A tag of [`PeopleFinder::triggers`]: the trigger is a one-word verb of saying, which needs a
/// name right after it or right before it.
const SPEECH_TRIGGER: u8 = 4;
/// A tag of [`PeopleFinder::triggers`]: the trigger is a word of an apposition role, which needs a
/// comma before it.
const ROLE_TRIGGER: u8 = 8;

/// One trigger for each cue phrase: a run of ASCII letters and digits of one of its words, tagged
/// with what the phrase needs around it ([`ANY_TRIGGER`], [`TITLE_TRIGGER`], [`SPEECH_TRIGGER`],
/// [`ROLE_TRIGGER`]). A phrase can only match where its trigger is a whole run of the text. `None`
/// when some phrase has no ASCII word that starts with a letter or digit.
///
/// A title's trigger is the last run of its last word when that word is ASCII and ends with a
/// letter or digit (the run then ends where the title ends); a one-word verb of saying of letters
/// and digits is its own trigger; any other phrase's trigger is the longest leading run of its
/// ASCII words (the leading run of a token starts where the token starts).
fn triggers(
    titles: &[Vec<String>],
    speech: &[Vec<String>],
    roles: &[Vec<String>],
) -> Option<RunSet> {
    fn lead(w: &str) -> Option<&[u8]> {
        let b = w.as_bytes();
        let n = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        (w.is_ascii() && n > 0).then(|| &b[..n])
    }
    fn longest_lead(phrase: &[String]) -> Option<&[u8]> {
        phrase
            .iter()
            .filter_map(|w| lead(w))
            .max_by_key(|l| l.len())
    }
    let mut chosen: Vec<(&[u8], u8)> = Vec::new();
    for phrase in titles {
        let last = phrase.last().map_or(&[][..], |w| w.as_bytes());
        let run = last_run(last);
        chosen.push(if !run.is_empty() && last.is_ascii() {
            (run, TITLE_TRIGGER)
        } else {
            (longest_lead(phrase)?, ANY_TRIGGER)
        });
    }
    for phrase in speech {
        chosen.push(match &phrase[..] {
            [w] if !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                (w.as_bytes(), SPEECH_TRIGGER)
            }
            _ => (longest_lead(phrase)?, ANY_TRIGGER),
        });
    }
    for phrase in roles {
        chosen.push((longest_lead(phrase)?, ROLE_TRIGGER));
    }
    Some(RunSet::new(chosen))
}

/// Whether the trigger run `start..end` of sentence `span`, tagged `tag` ([`triggers`]), may be
/// part of a cue that finds a person: `false` only when it certainly is not.
///
/// What follows a token ends with its run `start..end` is, in the text: a possessive `'s`/`’s`
/// (not part of the token), blanks, then the next token; what precedes a token that starts at
/// `start` is blanks, before them the previous token (and its possessive) without blanks. A name
/// word starts with an upper-case letter and lies in no mention of `cover`. A non-ASCII byte where
/// it matters (perhaps a blank or a letter) keeps the sentence.
fn cue_may_hold(
    bytes: &[u8],
    span: Span,
    start: usize,
    end: usize,
    tag: u8,
    role_reach: usize,
    cover: &Cover<'_>,
) -> bool {
    if tag & ANY_TRIGGER != 0 {
        return true;
    }
    // A role comes after the comma of its apposition, at most `role_reach` tokens after it; every
    // blank-free stretch of bytes in between holds a token.
    if tag & ROLE_TRIGGER != 0 {
        let (mut stretches, mut in_stretch) = (0, false);
        for &b in bytes[span.start..start].iter().rev() {
            if b == b',' {
                return true;
            }
            if is_blank(b) {
                in_stretch = false;
            } else if !in_stretch {
                in_stretch = true;
                stretches += 1;
                if stretches > role_reach {
                    break;
                }
            }
        }
    }
    let to = span.end;
    let Some(next) = next_token(bytes, to, after_possessive(bytes, to, end)) else {
        return true;
    };
    // A name word in no mention.
    let name_at = |p: usize| p < to && bytes[p].is_ascii_uppercase() && cover.at(p).is_none();
    if tag & TITLE_TRIGGER != 0 {
        // `Title [.] Name`, `Title [.] Place-word Name`, `Title [.] of …`.
        let mut p = next;
        if p < to && bytes[p] == b'.' {
            let Some(q) = next_token(bytes, to, p + 1) else {
                return true;
            };
            p = q;
        }
        let place_word = |p: usize| {
            cover.at(p).is_some_and(|m| {
                m.start == p
                    && matches!(
                        m.kind,
                        MentionKind::Place | MentionKind::Capital | MentionKind::Country
                    )
            })
        };
        if p < to
            && (matches!(bytes[p], b'o' | b'O')
                || name_at(p)
                || (bytes[p].is_ascii_uppercase() && place_word(p)))
        {
            return true;
        }
    }
    if tag & SPEECH_TRIGGER != 0 {
        // `said Name`
        if name_at(next) {
            return true;
        }
        // `Name said`: the previous token lies in the blank-free bytes before the blanks.
        let mut q = start;
        while q > span.start && is_blank(bytes[q - 1]) {
            q -= 1;
        }
        let mut c = q;
        while c > span.start && !is_blank(bytes[c - 1]) {
            c -= 1;
        }
        if (c..q).any(|p| !bytes[p].is_ascii() || name_at(p)) {
            return true;
        }
    }
    false
}

/// The run of ASCII letters and digits that ends `bytes` (empty if none).
fn last_run(bytes: &[u8]) -> &[u8] {
    let len = bytes
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    &bytes[bytes.len() - len..]
}

/// Whether `b` is an ASCII blank (`char::is_whitespace`), which the tokenizer skips.
fn is_blank(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// `p`, past a possessive `'s`/`’s` that starts there (before `to`).
fn after_possessive(bytes: &[u8], to: usize, p: usize) -> usize {
    let rest = &bytes[p..to];
    if matches!(rest, [b'\'', b's' | b'S', ..]) {
        p + 2
    } else if matches!(rest, [0xE2, 0x80, 0x99, b's' | b'S', ..]) {
        p + 4
    } else {
        p
    }
}

/// The first byte at or after `p` that is no ASCII blank (`to` if none before `to`), or `None` when
/// it is not ASCII (it may be a blank).
fn next_token(bytes: &[u8], to: usize, mut p: usize) -> Option<usize> {
    while p < to && is_blank(bytes[p]) {
        p += 1;
    }
    (p >= to || bytes[p].is_ascii()).then_some(p)
}

/// The gazetteer's mentions of a text, found by byte. Only when they are in order and do not
/// overlap (as the gazetteer gives them): then a token that shares a byte with a mention is covered
/// (see [`coverage`]). Otherwise no byte is known to be in a mention.
struct Cover<'a> {
    /// All the mentions.
    all: &'a [Mention],
    /// The mentions if they are in order and do not overlap, else none.
    tidy: &'a [Mention],
}

impl<'a> Cover<'a> {
    fn new(known: &'a [Mention]) -> Cover<'a> {
        let tidy = known
            .windows(2)
            .all(|w| w[0].start < w[0].end && w[0].end <= w[1].start)
            && known.last().is_none_or(|m| m.start < m.end);
        Cover {
            all: known,
            tidy: if tidy { known } else { &[] },
        }
    }

    /// The mention that holds byte `i`.
    fn at(&self, i: usize) -> Option<&'a Mention> {
        let m = self.tidy.partition_point(|m| m.end <= i);
        self.tidy.get(m).filter(|m| m.start <= i)
    }

    /// Whether a mention shares a byte with `start..end`.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let m = self.tidy.partition_point(|m| m.end <= start);
        self.tidy.get(m).is_some_and(|m| m.start < end)
    }
}

/// What [`PeopleFinder::glance`] found in the sentences of a text.
struct Glances {
    /// One per sentence.
    sentences: Vec<Glance>,
    /// The runs of ASCII letters and digits (byte ranges of the text) that may be the last run of a
    /// name word, sentence by sentence.
    runs: Vec<(usize, usize)>,
}

impl Glances {
    /// Glances that rule nothing out, for `count` sentences.
    fn all(count: usize) -> Glances {
        let all = Glance {
            cue: true,
            odd: true,
            runs: (0, 0),
        };
        Glances {
            sentences: (0..count).map(|_| all.clone()).collect(),
            runs: Vec::new(),
        }
    }
}

/// What [`PeopleFinder::glance`] found in one sentence.
#[derive(Clone)]
struct Glance {
    /// The sentence may hold a cue phrase: `false` only when none of the three cue passes can find
    /// anything in it.
    cue: bool,
    /// The sentence holds a non-ASCII letter, digit or combining mark.
    odd: bool,
    /// The sentence's range of [`Glances::runs`]: every run of ASCII letters and digits that is
    /// capitalised or follows a hyphen or an apostrophe.
    ///
    /// When the sentence is not `odd`, a name word is ASCII letters, hyphens and apostrophes (`'`,
    /// `’`) and ends with a letter; its last run of letters and digits is one of these runs and,
    /// lower-cased, the last run of letters and digits of the name's key (hyphens fold to spaces,
    /// apostrophes to `'`). So a name can hit a key of `repeat_names` only if one of these runs is
    /// the last run of a key, outside the gazetteer's mentions.
    runs: (usize, usize),
}

/// Eight bytes with only their high bits.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of every byte of `x` (eight bytes, little-endian) that is an ASCII letter or digit.
#[inline]
fn alnum_bits(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // `v + (0x80 - c)` sets the high bit of each byte (below 0x80) of `v` that is at least `c`,
    // without carries between bytes.
    let at_least = |v: u64, c: u8| v + u64::from(0x80 - c) * ONES;
    let low = x & !HIGH;
    let folded = (x | 0x2020_2020_2020_2020) & !HIGH;
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    let digit = at_least(low, b'0') & !at_least(low, b'9' + 1);
    (letter | digit) & !x & HIGH
}

/// Calls `run(start, end)` for every maximal run of ASCII letters and digits of `bytes[from..to]`,
/// in order, and `lead(i)` for the first byte of every non-ASCII character there (`i` is a char
/// boundary when `bytes` is a `str`'s). Eight bytes at a time.
#[inline]
fn scan_runs(
    bytes: &[u8],
    from: usize,
    to: usize,
    mut run: impl FnMut(usize, usize),
    mut lead: impl FnMut(usize),
) {
    // The start of the run that reaches the end of the previous eight bytes, if any.
    let mut open: Option<usize> = None;
    let mut i = from;
    while i < to {
        let n = (to - i).min(8);
        let x = match bytes.get(i..i + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
            None => {
                let mut eight = [0; 8];
                eight[..n].copy_from_slice(&bytes[i..i + n]);
                u64::from_le_bytes(eight)
            }
        };
        // Bytes past `to` read as NUL, which is no letter and no lead byte.
        let x = if n == 8 { x } else { x & ((1 << (8 * n)) - 1) };
        let alnum = alnum_bits(x);
        let after_alnum = (alnum << 8) | if open.is_some() { 0x80 } else { 0 };
        let starts = alnum & !after_alnum;
        let mut events = starts | (!alnum & after_alnum & HIGH);
        while events != 0 {
            let bit = events.trailing_zeros();
            let at = i + (bit / 8) as usize;
            if starts & (1 << bit) != 0 {
                open = Some(at);
            } else if let Some(start) = open.take() {
                run(start, at);
            }
            events &= events - 1;
        }
        let mut leads = x & (x << 1) & HIGH;
        while leads != 0 {
            lead(i + (leads.trailing_zeros() / 8) as usize);
            leads &= leads - 1;
        }
        i += 8;
    }
    if let Some(start) = open {
        run(start, to);
    }
}

/// Lower-case ASCII words of letters and digits, each with a tag, and a quick test of whether a run
/// of ASCII letters and digits is one of them, in any case.
#[derive(Clone, Debug)]
struct RunSet {
    /// Bit [`run_bit`] of every word is set.
    filter: [u64; 128],
    /// The words and their tags (of all entries of the word, or-ed), sorted by [`run_bit`].
    words: Vec<(u16, Box<[u8]>, u8)>,
}

/// The bit of [`RunSet::filter`] for a word's first and last bytes (either case) and length.
#[inline]
fn run_bit(first: u8, last: u8, len: usize) -> u16 {
    (u16::from(first & 0x1F) << 8) | (u16::from(last & 0x1F) << 3) | (len & 7) as u16
}

impl RunSet {
    /// The set of `words` (lower-cased ASCII letters and digits) with their tags.
    fn new<'w>(words: impl IntoIterator<Item = (&'w [u8], u8)>) -> RunSet {
        let mut set = RunSet {
            filter: [0; 128],
            words: Vec::new(),
        };
        for (w, tag) in words {
            let (Some(&first), Some(&last)) = (w.first(), w.last()) else {
                continue;
            };
            let bit = run_bit(first, last, w.len());
            set.filter[usize::from(bit >> 6)] |= 1 << (bit & 63);
            match set.words.iter_mut().find(|(_, x, _)| **x == *w) {
                Some(entry) => entry.2 |= tag,
                None => set.words.push((bit, w.into(), tag)),
            }
        }
        set.words.sort_by_key(|w| w.0);
        set
    }

    /// The tag of the word `run` (ASCII letters and digits, any case), or 0.
    #[inline]
    fn get(&self, run: &[u8]) -> u8 {
        let bit = run_bit(run[0], run[run.len() - 1], run.len());
        if self.filter[usize::from(bit >> 6)] & (1 << (bit & 63)) == 0 {
            return 0;
        }
        self.get_slow(bit, run)
    }

    #[cold]
    fn get_slow(&self, bit: u16, run: &[u8]) -> u8 {
        let from = self.words.partition_point(|w| w.0 < bit);
        self.words[from..]
            .iter()
            .take_while(|w| w.0 == bit)
            .find(|w| w.1.eq_ignore_ascii_case(run))
            .map_or(0, |w| w.2)
    }
}

/// Cue phrases as word-number lists, indexed by their first word so that a token is compared only
/// with the phrases that can start there (longest first within each first word).
#[derive(Clone, Debug, Default)]
struct Phrases {
    /// By the number of the first word.
    by_first: Vec<Vec<Vec<u32>>>,
}

impl Phrases {
    /// `list` must be sorted longest first; the order is kept within each first word. Its words are
    /// added to `vocab`.
    fn new(list: Vec<Vec<String>>, vocab: &mut Vocab) -> Phrases {
        let mut by_first: Vec<Vec<Vec<u32>>> = Vec::new();
        for p in list {
            let ids: Vec<u32> = p.iter().map(|w| vocab.id(w)).collect();
            if let Some(&first) = ids.first() {
                let first = first as usize;
                if by_first.len() <= first {
                    by_first.resize_with(first + 1, Vec::new);
                }
                by_first[first].push(ids);
            }
        }
        Phrases { by_first }
    }
}

/// The length in tokens of the longest phrase of `phrases` at token `i`.
fn match_phrase(phrases: &Phrases, toks: &[Token], i: usize) -> Option<usize> {
    let first = toks.get(i).filter(|t| t.is_word())?;
    phrases
        .by_first
        .get(first.word as usize)?
        .iter()
        .find_map(|p| {
            let fits = i + p.len() <= toks.len()
                && p.iter()
                    .zip(&toks[i..])
                    .all(|(w, t)| t.is_word() && *w == t.word);
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

    /// The quick filter before a lookup never turns a vocabulary word away, however it is
    /// capitalised, and turns away words that are not in the vocabulary only.
    #[test]
    fn the_lookup_filter_keeps_every_cue_word() {
        let vocab = &FINDER.vocab;
        let mut buf = String::new();
        let words = vocab
            .ids
            .keys()
            .cloned()
            .chain(vocab.short.keys().map(|k| {
                let bytes = k.to_le_bytes();
                let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
                String::from_utf8(bytes[..len].to_vec()).unwrap()
            }))
            .collect::<Vec<_>>();
        assert!(words.len() > 100, "{}", words.len());
        for w in &words {
            let id = vocab.get(w);
            assert_ne!(id, UNKNOWN, "{w}");
            let upper = w.to_uppercase();
            let title: String = w
                .chars()
                .take(1)
                .flat_map(char::to_uppercase)
                .chain(w.chars().skip(1))
                .collect();
            for form in [w.as_str(), upper.as_str(), title.as_str()] {
                if form.to_lowercase() == *w {
                    assert_eq!(lookup(vocab, form, &mut buf), id, "{form}");
                }
            }
        }
        for w in ["Grigoryan", "x", "talks", "2022", "Ülke"] {
            assert_eq!(
                lookup(vocab, w, &mut buf),
                vocab.get(&w.to_lowercase()),
                "{w}"
            );
        }
    }

    #[test]
    fn tokens() {
        let text = "Mr. O'Neill met J. R. Ter-Petrosyan’s aide, Ankara's envoy.";
        let mut toks = Vec::new();
        tokenize(
            text,
            Span {
                start: 0,
                end: text.len(),
            },
            &FINDER.vocab,
            &mut String::new(),
            &mut toks,
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

    /// Letters of several scripts, digits, blanks, hyphens, apostrophes and the Kelvin sign.
    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        "[a-zA-Z0-9 ,.'’\\-çığüşİÇ\u{212A}\u{0301}é日]{0,40}"
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// Eight bytes at a time, `scan_runs` finds the same runs and lead bytes as a byte walk.
        #[test]
        fn runs_are_found_eight_bytes_at_a_time(text in mixed_text(), cut in 0usize..8) {
            let bytes = text.as_bytes();
            let from = (0..=cut.min(text.len())).rev().find(|&k| text.is_char_boundary(k)).unwrap_or(0);
            let (mut runs, mut leads) = (Vec::new(), Vec::new());
            scan_runs(bytes, from, text.len(), |s, e| runs.push((s, e)), |i| leads.push(i));
            let mut want = Vec::new();
            let mut k = from;
            while k < bytes.len() {
                if bytes[k].is_ascii_alphanumeric() {
                    let s = k;
                    while k < bytes.len() && bytes[k].is_ascii_alphanumeric() {
                        k += 1;
                    }
                    want.push((s, k));
                } else {
                    k += 1;
                }
            }
            let want_leads: Vec<usize> = (from..bytes.len()).filter(|&k| bytes[k] >= 0xC0).collect();
            proptest::prop_assert_eq!(runs, want);
            proptest::prop_assert_eq!(leads, want_leads);
        }

        /// The quick look at each sentence never rules out a sentence that would give a person: the
        /// finder gives the same people with it as when it reads every sentence in full.
        #[test]
        fn glancing_changes_nothing(parts in proptest::collection::vec(glance_piece(), 0..40)) {
            let text: String = parts.concat();
            let known = GAZ.find_mentions(&text);
            let spans = sentences(&text);
            let quick = FINDER.find_glancing(&text, &spans, &known, true);
            let full = FINDER.find_glancing(&text, &spans, &known, false);
            proptest::prop_assert_eq!(quick, full, "{:?}", text);
        }
    }

    /// The cases the quick look must not miss: names after hyphens and apostrophes, non-ASCII
    /// letters and combining marks, the Kelvin sign, cues in capitals.
    #[test]
    fn glancing_keeps_the_hard_cases() {
        let texts = [
            "Ambassador Vahan Ter-vardanyan arrived. Ter-vardanyan left.",
            "Dr. Sean O’neill arrived. Later O’neill left.",
            "Dr. Sean O'neill arrived. Later O'neill left.",
            "Dr. Ali Kılıçkaya arrived. Kılıçkaya left.",
            "Dr. Ali Kilic\u{0327}kaya arrived. Kilic\u{0327}kaya left.",
            "Foreign Minister Mevlüt Kaplanı spoke. Kaplanı left.",
            "Foreign Minister Mevlüt Kaplanı spoke. Kaplani left.",
            "Foreign Minister Mevlüt Kaplani spoke. Kaplanı left.",
            "\u{212A}ing Abdullah spoke.",
            "Anna Marie Holt, a senior fellow at a think tank, spoke. Holt left.",
            "JOHN SMITH SAID so. John Smith SAID so. Smith left.",
            "Minister of Foreign Affairs of Georgia Nino Tsereteli spoke.",
            "Dr. Sofia Martins spoke.",
            "Dr .Sofia Martins spoke.",
            "Ambassador’s Karen Lusyan spoke.",
            "Ambassador's Karen Lusyan spoke.",
            "Karen Lusyan's said no.",
            "Karen Lusyan said.",
            "Karen Lusyan\tsaid.",
            "Karen Lusyan\u{A0}said no.",
            "It was said\u{A0}Karen Lusyan.",
            "It was said Karen Lusyan.",
            "Karen Émile said no.",
            "No, said Karen Lusyan.",
            "Secretary-General Karen Lusyan spoke.",
            "Yes, Karen Lusyan, an analyst, spoke.",
            "Yes, Karen Lusyan,a very senior former vice president, spoke.",
            "Yes, Karen Lusyan, a very senior former vice president, spoke.",
            "J. K. Lusyan said no.",
            "Ambassador Émile Lusyan spoke.",
        ];
        for text in texts {
            let known = GAZ.find_mentions(text);
            let spans = sentences(text);
            let full = FINDER.find_glancing(text, &spans, &known, false);
            assert!(!full.is_empty(), "{text}");
            let quick = FINDER.find_glancing(text, &spans, &known, true);
            assert_eq!(quick, full, "{text}");
        }
    }

    /// The pieces of [`glancing_changes_nothing`]: cues, names that come back, and the characters that
    /// the quick look treats specially.
    fn glance_piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            piece(),
            Just("Ambassador ".to_string()),
            Just("SAID ".to_string()),
            Just("\u{212A}ing ".to_string()),
            Just(", a senior fellow at ".to_string()),
            Just("according to ".to_string()),
            Just("Lind ".to_string()),
            Just("Toganyan ".to_string()),
            Just("Kılıç ".to_string()),
            Just("Ersavcı ".to_string()),
            Just("O’neill ".to_string()),
            Just("Ter-vardanyan ".to_string()),
            Just("Ambassador Vahan Ter-vardanyan ".to_string()),
            Just("Dr. Sean O’neill ".to_string()),
            Just("Dr. Ali Kılıçkaya ".to_string()),
            Just("Kılıçkaya ".to_string()),
            Just("Nikol Pashinyan ".to_string()),
            Just("Pashinyan ".to_string()),
            Just("Kilic\u{0327} ".to_string()),
            Just("Minister of Foreign Affairs of ".to_string()),
            Just("Georgia ".to_string()),
            Just("Karen Émile ".to_string()),
            Just(", an analyst, ".to_string()),
            Just("\u{A0}".to_string()),
            Just("\t".to_string()),
            Just("Armenia ".to_string()),
            Just("-".to_string()),
            Just("'".to_string()),
            mixed_text(),
        ]
    }

    /// What [`Glance::runs`] relies on: hyphens fold to spaces and both apostrophes to `'`, so the
    /// last run of letters of an ASCII name word is the last run of its key.
    #[test]
    fn names_fold_to_their_runs() {
        assert_eq!(
            fold_key("Ter-Petrosyan O'Neill O’Neill"),
            "ter petrosyan o'neill o'neill"
        );
    }

    /// Every cue phrase has a trigger word, and one-word phrases are their own triggers.
    #[test]
    fn every_phrase_has_a_trigger() {
        let triggers = FINDER.triggers.as_ref().unwrap();
        assert_eq!(triggers.get(b"Said"), SPEECH_TRIGGER);
        assert_eq!(triggers.get(b"MINISTER"), TITLE_TRIGGER | ROLE_TRIGGER);
        assert_eq!(triggers.get(b"fellow"), ROLE_TRIGGER);
        assert_eq!(triggers.get(b"according"), ANY_TRIGGER);
        assert_eq!(triggers.get(b"general"), TITLE_TRIGGER);
        assert_eq!(triggers.get(b"talks"), 0);
        let bad = "titles = [\"'s man\"]\nmodifiers = []\napposition_roles = [\"x\"]\nspeech_verbs = [\"é\"]\nparticles = []\nnot_names = []\n";
        let finder = PeopleFinder::from_toml("cues.toml", bad).unwrap();
        assert!(finder.triggers.is_none());
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
