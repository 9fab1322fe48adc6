//! Events: who did what, when and where, each with the sentence that states it.
//!
//! The knowledge is in `data/events.toml` (schema at its top); this module holds the mechanism:
//!
//! 1. **Triggers.** Every cue of every `[[event]]` is matched on the folded text (whole words, the
//!    longest cue at a position); cues inside a `not_events` phrase are dropped. In each sentence the
//!    first trigger of each event type makes one event (see 5. for flagged ones); its evidence span is
//!    the sentence.
//! 2. **Participants.** `actors` are the canonical names of the people and organisations mentioned in
//!    the sentence; `countries` the parties of every mention there (countries, demonyms, capitals used
//!    as metonyms, people's and organisations' countries), except places. When the sentence refers back
//!    with an `anaphora` phrase ("they", "his Armenian counterpart") and names fewer than two actors,
//!    the event also takes the actors (and, when it names fewer than two countries, the countries) of
//!    the previous sentence's event, and, when its
//!    sentence gives no date, that event's date (and place, if it has none).
//! 3. **Place.** The first place or capital right after a `place_prepositions` word ("in Vienna"); a
//!    place merely mentioned is not where the event happened.
//! 4. **Date.** The `DATE` expression of the sentence nearest the trigger whose value is a calendar
//!    date (`2022`, `2022-01`, `2022-01-14`), else none. When one trigger is followed by several such
//!    dates each followed (within `max_gap` bytes) by a place — "met twice, on D1, in P1 and on D2, in
//!    P2" — each pair is one event.
//! 5. **Modality.** A `negation`, `hypothetical` or `future` cue among the `window` words before the
//!    trigger (same sentence, no `;` or `,` between) sets the flag; a date after the document's date
//!    also makes the event future, and so does an `intention` cue ("agreed to meet") when the event has
//!    no date, except for a trigger in the past tense (ending in "ed", or one of
//!    `past_forms`) with no future cue: the act is done and the date is that of its content
//!    ("proposed holding a referendum in 2027"), so the event keeps no date. A negated or
//!    hypothetical event does not take its type's place in the sentence: a later trigger of the type
//!    can still make an event ("did not sign any document, but agreed to meet again").
//! 6. **Dropped.** Events with neither actor nor country (headings, "talks were held"), events whose
//!    only participants are commentators (people found from a verb of saying or an apposition and tied
//!    to no country: an analyst quoted on "the talks"), and the
//!    sentences of footnote entries ("[8] “Title”, 3 December 2022.").
//! 7. **Duplicates.** An event of the same type and mode as an earlier one, with a compatible date
//!    (equal, one a prefix of the other, or either unknown), no conflicting place and a shared actor or
//!    country, is the same occurrence: it is merged into the earlier one (missing date and place
//!    filled in, participants joined).

use crate::cues::{CueHit, CueSet, word_count};
use crate::fold::{Folded, fold_key};
use crate::{DataError, Mention, MentionKind, Source, Span};
use peacetrack_time::{Timex, TimexType};
use serde::{Deserialize, Serialize};
use std::path::Path;

const DEFAULT_EVENTS: &str = include_str!("../data/events.toml");

/// `events.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFile {
    window: usize,
    max_gap: usize,
    place_prepositions: Vec<String>,
    negation: Vec<String>,
    hypothetical: Vec<String>,
    future: Vec<String>,
    #[serde(default)]
    intention: Vec<String>,
    #[serde(default)]
    past_forms: Vec<String>,
    #[serde(default)]
    name_heads: Vec<String>,
    anaphora: Vec<String>,
    not_events: Vec<String>,
    event: Vec<EventEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventEntry {
    #[serde(rename = "type")]
    kind: String,
    mode: String,
    cues: Vec<String>,
}

/// The event types PLOVER defines, plus `OTHER`.
pub(crate) const TYPES: &[&str] = &[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "OTHER",
];

/// An event found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// First byte of the evidence (the sentence stating the event).
    pub start: usize,
    /// One past the last byte of the evidence.
    pub end: usize,
    /// PLOVER type: `CONSULT`, `AGREE` … or `OTHER`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Mode: `meeting`, `signing`, `demand` …
    pub mode: String,
    /// ISO date at the precision the text gives (`2022`, `2022-01`, `2022-01-14`), if any.
    pub date: Option<String>,
    /// Canonical names of the people and organisations taking part.
    pub actors: Vec<String>,
    /// The parties: ISO alpha-3 codes, `EU` for the European Union.
    pub countries: Vec<String>,
    /// Canonical name of the place, if the sentence gives one.
    pub place: Option<String>,
    /// The text denies the event ("did not meet").
    pub negated: bool,
    /// The text only supposes the event ("if they meet", "could sign").
    pub hypothetical: bool,
    /// The event lies after the time of writing ("will meet", a date after the document's).
    pub future: bool,
    /// The trigger as written in the text.
    pub trigger: String,
    /// Byte range of the trigger.
    pub trigger_span: Span,
}

impl Event {
    /// Whether the text asserts that the event happened or is scheduled with a date: not negated,
    /// not hypothetical, and not future unless dated. Gold files list only these.
    pub fn asserted(&self) -> bool {
        !self.negated && !self.hypothetical && (!self.future || self.date.is_some())
    }
}

/// The event cue lexicon, compiled.
#[derive(Clone, Debug)]
pub struct EventFinder {
    window: usize,
    max_gap: usize,
    /// `(type, mode)` of each `[[event]]` entry.
    kinds: Vec<(String, String)>,
    /// Every cue of every entry; `trigger_kind[i]` is the entry of cue `i`.
    triggers: CueSet,
    trigger_kind: Vec<usize>,
    not_events: CueSet,
    negation: CueSet,
    hypothetical: CueSet,
    future: CueSet,
    intention: CueSet,
    anaphora: CueSet,
    prepositions: Vec<String>,
    /// Folded past tenses that do not end in "ed".
    past_forms: Vec<String>,
    /// Words that, capitalised right after a capital's name, make it part of a document's or
    /// process's name ("Rome Statute", "Madrid Principles"), not the party it stands for.
    name_heads: Vec<String>,
}

impl EventFinder {
    /// The finder with the shipped `data/events.toml`.
    pub fn load_default() -> Result<EventFinder, DataError> {
        EventFinder::from_toml("events.toml", DEFAULT_EVENTS)
    }

    /// A finder with the lexicon at `path` (same schema as the shipped file).
    pub fn from_file(path: &Path) -> Result<EventFinder, DataError> {
        let (file, src) = crate::read_data(path)?;
        EventFinder::from_toml(&file, &src)
    }

    /// A finder from the TOML source of a lexicon; `file` names it in errors.
    pub fn from_toml(file: &str, src: &str) -> Result<EventFinder, DataError> {
        let parsed: EventFile = toml::from_str(src).map_err(|e| DataError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let mut kinds = Vec::new();
        let mut cues = Vec::new();
        let mut trigger_kind = Vec::new();
        for (i, entry) in parsed.event.iter().enumerate() {
            if !TYPES.contains(&entry.kind.as_str()) {
                return Err(DataError::Invalid {
                    file: file.to_string(),
                    entry: format!("event {:?}", entry.mode),
                    problem: format!("{:?} is not a PLOVER type nor OTHER", entry.kind),
                });
            }
            kinds.push((entry.kind.clone(), entry.mode.clone()));
            for cue in &entry.cues {
                cues.push(cue.clone());
                trigger_kind.push(i);
            }
        }
        Ok(EventFinder {
            window: parsed.window,
            max_gap: parsed.max_gap,
            kinds,
            triggers: CueSet::new(file, "event cues", &cues)?,
            trigger_kind,
            not_events: CueSet::new(file, "not_events", &parsed.not_events)?,
            negation: CueSet::new(file, "negation", &parsed.negation)?,
            hypothetical: CueSet::new(file, "hypothetical", &parsed.hypothetical)?,
            future: CueSet::new(file, "future", &parsed.future)?,
            intention: CueSet::new(file, "intention", &parsed.intention)?,
            anaphora: CueSet::new(file, "anaphora", &parsed.anaphora)?,
            prepositions: parsed
                .place_prepositions
                .iter()
                .map(|p| p.to_lowercase())
                .collect(),
            past_forms: parsed.past_forms.iter().map(|p| fold_key(p)).collect(),
            name_heads: parsed.name_heads,
        })
    }

    /// The events of `text`, in text order. `sentences` are its sentence spans, `mentions` its
    /// mentions ([`crate::Extractor::find_mentions`]), `timexes` its temporal expressions (tagged on
    /// the same text), `doc_date` the document's date (ISO, any precision) if known.
    pub fn find(
        &self,
        text: &str,
        sentences: &[Span],
        mentions: &[Mention],
        timexes: &[Timex],
        doc_date: Option<&str>,
    ) -> Vec<Event> {
        let folded = Folded::new(text);
        let hits = self.cue_sets().map(|cues| cues.find(&folded));
        self.find_with_cues(text, hits, sentences, mentions, timexes, doc_date)
    }

    /// The cue lists, in the order [`EventFinder::find_with_cues`] takes their hits: `not_events`,
    /// the triggers, `negation`, `hypothetical`, `future`, `intention`, `anaphora`.
    pub(crate) fn cue_sets(&self) -> [&CueSet; 7] {
        [
            &self.not_events,
            &self.triggers,
            &self.negation,
            &self.hypothetical,
            &self.future,
            &self.intention,
            &self.anaphora,
        ]
    }

    /// [`EventFinder::find`] with the hits of [`EventFinder::cue_sets`] in the text already found.
    pub(crate) fn find_with_cues(
        &self,
        text: &str,
        hits: [Vec<CueHit>; 7],
        sentences: &[Span],
        mentions: &[Mention],
        timexes: &[Timex],
        doc_date: Option<&str>,
    ) -> Vec<Event> {
        let [
            blocked,
            triggers,
            negation,
            hypothetical,
            future,
            intention,
            anaphora,
        ] = hits;
        let triggers: Vec<CueHit> = triggers
            .into_iter()
            .filter(|t| !blocked.iter().any(|b| b.start <= t.start && t.end <= b.end))
            .collect();

        // Which lists are in text order (all are, as the pipeline makes them), so that each sentence
        // looks only at its own stretch of them.
        let by_start = (
            mentions.is_sorted_by_key(|m| m.start),
            timexes.is_sorted_by_key(|t| t.start),
            anaphora.is_sorted_by_key(|a| a.start),
            triggers.is_sorted_by_key(|t| t.start),
        );
        let mut events: Vec<Event> = Vec::new();
        // Actors and countries of the last event of an earlier sentence, for anaphora.
        let mut previous: Option<Event> = None;
        // Each sentence's mentions, dates and event types so far (the vectors serve every sentence).
        let mut in_sentence: Vec<&Mention> = Vec::new();
        let mut dates: Vec<&Timex> = Vec::new();
        let mut seen_types: Vec<&str> = Vec::new();
        let mut flagged_types: Vec<&str> = Vec::new();
        for sentence in sentences {
            if footnote(sentence.as_str(text)) {
                continue;
            }
            let inside = |s: usize, e: usize| sentence.start <= s && e <= sentence.end;
            in_sentence.clear();
            in_sentence.extend(
                near((mentions, by_start.0), sentence, |m| m.start)
                    .iter()
                    .filter(|m| inside(m.start, m.end)),
            );
            dates.clear();
            dates.extend(
                near((timexes, by_start.1), sentence, |t| t.start)
                    .iter()
                    .filter(|t| inside(t.start, t.end) && calendar_date(t)),
            );
            let refers_back = near((&anaphora, by_start.2), sentence, |a| a.start)
                .iter()
                .any(|a| inside(a.start, a.end));
            seen_types.clear();
            flagged_types.clear();
            let mut last_here: Option<Event> = None;
            for trigger in near((&triggers, by_start.3), sentence, |t| t.start)
                .iter()
                .filter(|t| inside(t.start, t.end))
            {
                let (kind, mode) = &self.kinds[self.trigger_kind[trigger.index]];
                if seen_types.contains(&kind.as_str()) {
                    continue;
                }
                let flags = |cues: &[CueHit]| self.before_trigger(text, sentence, trigger, cues);
                let negated = flags(&negation);
                let hypothetical = flags(&hypothetical);
                let future_cue = flags(&future);
                let intended = flags(&intention);
                // A denied or supposed event does not stand for its type in the sentence: a later
                // trigger of the type may still report one that happened ("did not sign any
                // document, but agreed to meet again").
                if negated || hypothetical {
                    if flagged_types.contains(&kind.as_str()) {
                        continue;
                    }
                    flagged_types.push(kind);
                } else {
                    seen_types.push(kind);
                }
                // Only people the text ties to no party (analysts quoted on the talks): no event.
                let (mut actors, mut countries, commentators) =
                    participants(text, &in_sentence, self);
                let mut date = nearest(&dates, trigger).map(|t| t.value.clone());
                let mut place = self.place(text, &in_sentence);
                if let (true, Some(prev)) = (refers_back, &previous) {
                    if actors.len() < 2 {
                        join(&mut actors, &prev.actors);
                        // "their shared frontier" after naming two parties refers to those two.
                        if countries.len() < 2 {
                            join(&mut countries, &prev.countries);
                        }
                    }
                    // "They signed …" after "X and Y met in Z on D": the same day, the same place.
                    if date.is_none() {
                        date.clone_from(&prev.date);
                        if place.is_none() {
                            place.clone_from(&prev.place);
                        }
                    }
                }
                let base = Event {
                    start: sentence.start,
                    end: sentence.end,
                    kind: kind.clone(),
                    mode: mode.clone(),
                    date,
                    actors,
                    countries,
                    place,
                    negated,
                    hypothetical,
                    future: false,
                    trigger: text[trigger.start..trigger.end].to_string(),
                    trigger_span: Span {
                        start: trigger.start,
                        end: trigger.end,
                    },
                };
                last_here = Some(base.clone());
                let pairs = self.date_place_pairs(text, trigger, &dates, &in_sentence);
                let occurrences: Vec<Event> = if pairs.len() >= 2 {
                    pairs
                        .into_iter()
                        .map(|(date, place)| Event {
                            date: Some(date),
                            place: Some(place),
                            ..base.clone()
                        })
                        .collect()
                } else {
                    vec![base]
                };
                for mut event in occurrences {
                    if (event.actors.is_empty() || commentators) && event.countries.is_empty() {
                        // Nobody takes part: a heading or a generic mention ("Talks were held").
                        continue;
                    }
                    let dated_after =
                        matches!((&event.date, doc_date), (Some(d), Some(doc)) if after(d, doc));
                    if dated_after && !future_cue && self.past_tense(&event.trigger) {
                        // An act already done, dated after the document: the date is that of
                        // what was agreed, proposed or demanded ("proposed holding a referendum
                        // in 2027"), not of the act.
                        event.date = None;
                    } else {
                        // What was agreed or decided to be done is future unless the text dates
                        // it no later than itself ("last September, Azerbaijan decided to launch
                        // an operation").
                        event.future =
                            future_cue || dated_after || (intended && event.date.is_none());
                    }
                    merge_or_push(&mut events, event);
                }
            }
            if last_here.is_some() {
                previous = last_here;
            }
        }
        events
    }

    /// Whether one of `cues` lies in `sentence` before `trigger`, at most `window` words before it,
    /// with no `;` or `,` between (a clause boundary ends the cue's scope: "If X, Y").
    fn before_trigger(
        &self,
        text: &str,
        sentence: &Span,
        trigger: &CueHit,
        cues: &[CueHit],
    ) -> bool {
        cues.iter().any(|c| {
            c.start >= sentence.start
                && c.end <= trigger.start
                && text
                    .get(c.end..trigger.start)
                    .is_some_and(|gap| !gap.contains([';', ',']) && word_count(gap) <= self.window)
        })
    }

    /// Whether a trigger reports an act already done: its last word ends in "ed" or it is one of
    /// the `past_forms` ("met", "put forward").
    fn past_tense(&self, trigger: &str) -> bool {
        let folded = fold_key(trigger);
        let last = folded.rsplit(' ').next().unwrap_or("");
        (last.len() > 3 && last.ends_with("ed"))
            || self
                .past_forms
                .iter()
                .any(|p| *p == folded || p.as_str() == last)
    }

    /// The event's place: the first place or capital right after a place preposition.
    fn place(&self, text: &str, mentions: &[&Mention]) -> Option<String> {
        mentions
            .iter()
            .find(|m| {
                matches!(m.kind, MentionKind::Place | MentionKind::Capital)
                    && self.after_preposition(text, m)
            })
            .map(|m| m.name.clone())
    }

    /// Whether the mention begins a name with one of the `name_heads` right after it, written with
    /// its capital: "the Rome Statute", "the Madrid Principles".
    fn in_a_name(&self, text: &str, m: &Mention) -> bool {
        let after = text.get(m.end..).unwrap_or("");
        let Some(rest) = after.strip_prefix(' ') else {
            return false;
        };
        let word: &str = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        word.starts_with(|c: char| c.is_uppercase()) && self.name_heads.iter().any(|h| h == word)
    }

    /// Whether the word before the mention (skipping "the", and a first name of a double name:
    /// "at the Alican/Margara crossing") is a place preposition.
    fn after_preposition(&self, text: &str, m: &Mention) -> bool {
        let mut before = text.get(..m.start).unwrap_or("");
        if let Some(rest) = before.strip_suffix('/') {
            before = rest.trim_end_matches(|c: char| c.is_alphanumeric() || c == '-');
        }
        let mut words = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty());
        let mut word = words.next();
        if word.is_some_and(|w| lower_case_is(w, "the")) {
            word = words.next();
        }
        word.is_some_and(|w| {
            if w.is_ascii() {
                self.prepositions.iter().any(|p| lower_case_is(w, p))
            } else {
                self.prepositions.contains(&w.to_lowercase())
            }
        })
    }

    /// `(date, place)` pairs after the trigger: a calendar date followed within `max_gap` bytes by a
    /// place or capital.
    fn date_place_pairs(
        &self,
        text: &str,
        trigger: &CueHit,
        dates: &[&Timex],
        mentions: &[&Mention],
    ) -> Vec<(String, String)> {
        dates
            .iter()
            .filter(|d| d.start >= trigger.end)
            .filter_map(|d| {
                let place = mentions.iter().find(|m| {
                    matches!(m.kind, MentionKind::Place | MentionKind::Capital)
                        && m.start >= d.end
                        && m.start - d.end <= self.max_gap
                        && text.get(d.end..m.start).is_some_and(|gap| {
                            gap.chars()
                                .all(|c| !c.is_alphanumeric() || c.is_lowercase())
                        })
                })?;
                Some((d.value.clone(), place.name.clone()))
            })
            .collect()
    }
}

/// The items of `items` that may lie in `sentence`: those starting inside it (or at its end) when
/// `items` is in order of `start` (`sorted`), else all of them. The caller still tests each item; this only
/// saves looking at every item of the text for every sentence.
fn near<'a, T>(
    (items, sorted): (&'a [T], bool),
    sentence: &Span,
    start: impl Fn(&T) -> usize,
) -> &'a [T] {
    if !sorted {
        return items;
    }
    let from = items.partition_point(|x| start(x) < sentence.start);
    let to = items.partition_point(|x| start(x) <= sentence.end);
    &items[from..to.max(from)]
}

/// Whether `word` lower-cased is `lower` (lower-cased already): `word.to_lowercase() == lower`,
/// without building the lower-cased word when it is ASCII.
fn lower_case_is(word: &str, lower: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(lower)
    } else {
        word.to_lowercase() == lower
    }
}

/// Whether a sentence is a footnote entry: it opens with a bracketed number ("[8] “Title”, 2022.").
fn footnote(sentence: &str) -> bool {
    let s = sentence.trim_start();
    s.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a timex is a `DATE` with a calendar value: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn calendar_date(t: &Timex) -> bool {
    t.kind == TimexType::Date && is_calendar(&t.value)
}

fn is_calendar(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// The date nearest the trigger, by bytes between them.
fn nearest<'a>(dates: &[&'a Timex], trigger: &CueHit) -> Option<&'a Timex> {
    dates.iter().copied().min_by_key(|t| {
        if t.end <= trigger.start {
            trigger.start - t.end
        } else {
            t.start.saturating_sub(trigger.end)
        }
    })
}

/// Whether calendar value `a` lies after `b` at the precision both give ("2024-05" after "2024-04-30"
/// is not decided: only whole components are compared).
fn after(a: &str, b: &str) -> bool {
    let n = a.len().min(b.len());
    a.get(..n) > b.get(..n)
}

/// Whether two ISO values agree where both are known: equal, one a prefix of the other at a `-`
/// boundary, or either unknown.
pub fn dates_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
            long.starts_with(short)
                && (long.len() == short.len() || long.as_bytes()[short.len()] == b'-')
        }
        _ => true,
    }
}

/// The actors (people and organisations) and countries of a sentence's mentions. A place or a capital
/// right after a place preposition is where the event happens, not a party.
/// The actors and countries of a sentence's mentions, and whether they are only commentators: one
/// or more actors, no country, and every actor a person known only from a verb of saying or an
/// apposition ("according to Thomas de Waal of Carnegie Europe"; not a gazetteer entry, nor "Prime
/// Minister X").
fn participants(
    text: &str,
    mentions: &[&Mention],
    finder: &EventFinder,
) -> (Vec<String>, Vec<String>, bool) {
    let mut actors = Vec::new();
    let mut countries = Vec::new();
    let mut only_people_without_country = true;
    for m in mentions {
        match m.kind {
            MentionKind::Person | MentionKind::Organisation => {
                push_new(&mut actors, &m.name);
                only_people_without_country &= m.kind == MentionKind::Person
                    && m.country.is_none()
                    && matches!(m.source, Source::Speech | Source::Apposition);
            }
            MentionKind::Place => continue,
            MentionKind::Capital
                if finder.after_preposition(text, m) || finder.in_a_name(text, m) =>
            {
                continue;
            }
            _ => {}
        }
        if let Some(c) = &m.country {
            push_new(&mut countries, c);
        }
    }
    let commentators = only_people_without_country && !actors.is_empty() && countries.is_empty();
    (actors, countries, commentators)
}

fn push_new(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

fn join(list: &mut Vec<String>, other: &[String]) {
    for item in other {
        push_new(list, item);
    }
}

fn shares(a: &[String], b: &[String]) -> bool {
    a.iter().any(|x| b.contains(x))
}

/// Merges `event` into an earlier event of the same occurrence, or appends it.
fn merge_or_push(events: &mut Vec<Event>, event: Event) {
    let same = events.iter_mut().find(|e| {
        e.kind == event.kind
            && e.mode == event.mode
            && e.asserted() == event.asserted()
            && dates_compatible(e.date.as_deref(), event.date.as_deref())
            && (e.place.is_none() || event.place.is_none() || e.place == event.place)
            && (shares(&e.actors, &event.actors) || shares(&e.countries, &event.countries))
    });
    match same {
        Some(e) => {
            let more_precise = match (&e.date, &event.date) {
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b.len() > a.len(),
                _ => false,
            };
            if more_precise {
                e.date = event.date;
            }
            if e.place.is_none() {
                e.place = event.place;
            }
            join(&mut e.actors, &event.actors);
            join(&mut e.countries, &event.countries);
        }
        None => events.push(event),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_values_and_compatibility() {
        assert!(is_calendar("2022") && is_calendar("2022-01") && is_calendar("2022-01-14"));
        assert!(!is_calendar("PAST_REF") && !is_calendar("2022-W03") && !is_calendar("202"));
        assert!(dates_compatible(Some("2022"), Some("2022-01-14")));
        assert!(dates_compatible(None, Some("2022")));
        assert!(!dates_compatible(Some("2022-1"), Some("2022-11")));
        assert!(!dates_compatible(Some("2023"), Some("2022-01")));
        assert!(after("2024-05", "2024-04-30") && !after("2024", "2024-04-30"));
    }

    #[test]
    fn the_shipped_lexicon_loads_and_bad_types_are_refused() {
        assert!(EventFinder::load_default().is_ok());
        let bad = "window = 3\nmax_gap = 5\nplace_prepositions = []\nnegation = []\n\
                   hypothetical = []\nfuture = []\nanaphora = []\nnot_events = []\n\
                   [[event]]\ntype = \"MEET\"\nmode = \"meeting\"\ncues = [\"met\"]\n";
        let err = EventFinder::from_toml("x.toml", bad).unwrap_err();
        assert!(err.to_string().contains("MEET"), "{err}");
    }
}
