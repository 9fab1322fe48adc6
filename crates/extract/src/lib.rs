//! Who, what, where — part one: sentence spans, a gazetteer, and the mentions of countries,
//! organisations, people and places in a text, each with a byte span into the text.
//!
//! # Brief overview
//! - [`sentences()`] splits a text into sentence [`Span`]s, robust to abbreviations (`U.S.`, `Dr.`,
//!   `St. Petersburg`, initials), quotes, footnote marks, ellipses and decimals
//!   ([`Splitter`] for another abbreviation list).
//! - [`Gazetteer`] holds countries, organisations, people and places (TOML in `data/gazetteer/`,
//!   embedded; [`Gazetteer::from_dir`] for an analyst's copy) and finds their names in a text in one
//!   pass: [`Gazetteer::find_mentions`]. Matching runs on a folded copy of the text (`Kılıç` =
//!   `Kilic`, `Türkiye` = `Turkiye`) and maps every match back to the original bytes ([`fold`]).
//! - [`PeopleFinder`] finds people the gazetteer does not know from cues around their names
//!   (`Foreign Minister X`, `X, director of …`, `said X`).
//! - [`Extractor`] bundles them and returns all [`Mention`]s of a text in order.
//! - [`EventFinder`] finds events (who did what, when, where: PLOVER type and mode, date, actors,
//!   countries, place, negated/hypothetical/future flags) from the cues in `data/events.toml`;
//!   [`ConditionFinder`] finds conditions ("X depends on Y") from `data/conditions.toml`. Both are
//!   in the [`Extractor`] too: [`Extractor::events`], [`Extractor::conditions`].
//! - [`Milestones`] (`data/milestones.toml`) are dated occurrences that date a document which states
//!   no date but reports one of them by its month or day alone ([`pipeline`]).
//!
//! Everything here is a pure function of the text and the data files: no IO after loading, no clock.
//!
//! ```
//! use peacetrack_extract::{Extractor, MentionKind};
//! let x = Extractor::load_default().unwrap();
//! let text = "Turkish Foreign Minister Mevlut Cavusoglu met Ararat Mirzoyan in Antalya.";
//! let mentions = x.find_mentions(text);
//! let found: Vec<(MentionKind, &str)> = mentions.iter().map(|m| (m.kind, m.id.as_str())).collect();
//! assert_eq!(found, [
//!     (MentionKind::Demonym, "TUR"),
//!     (MentionKind::Person, "Mevlüt Çavuşoğlu"),
//!     (MentionKind::Person, "Ararat Mirzoyan"),
//!     (MentionKind::Place, "Antalya"),
//! ]);
//! ```

#![warn(missing_docs)]

pub mod conditions;
mod cues;
pub mod events;
pub mod fold;
pub mod gazetteer;
mod hash;
pub mod mentions;
pub mod milestones;
pub mod people;
pub mod pipeline;
pub mod sentences;
mod trie;

pub use conditions::{Condition, ConditionFinder};
pub use events::{Event, EventFinder};
pub use gazetteer::Gazetteer;
pub use mentions::{Entity, Mention, MentionKind, Source};
pub use milestones::Milestones;
pub use people::PeopleFinder;
pub use sentences::{Splitter, sentences};

use cues::{CueHit, CueSet};
use fold::Folded;
use peacetrack_time::Timex;
use serde::Serialize;
use std::path::Path;
use trie::KeyTrie;

/// A byte range of a text: `text[start..end]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The text of the span. Panics if the span is not a char-boundary range of `text`.
    pub fn as_str<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// Whether `other` lies inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A problem with a data file: the gazetteer, the abbreviation list or the people cues.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A data file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A data file is not valid TOML or does not follow its schema.
    #[error("{file}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// What is wrong, as the TOML parser says it.
        message: String,
    },
    /// An entry of a data file is wrong.
    #[error("{file}: {entry}: {problem}")]
    Invalid {
        /// The file.
        file: String,
        /// The entry, as its kind and name or code: `place "Yerevan"`.
        entry: String,
        /// What is wrong.
        problem: String,
    },
}

/// The text of the data file at `path`, and its name for errors; an unreadable file is a
/// [`DataError::Io`] naming it.
pub(crate) fn read_data(path: &Path) -> Result<(String, String), DataError> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(src) => Ok((file, src)),
        Err(source) => Err(DataError::Io { path: file, source }),
    }
}

/// Sentences, gazetteer mentions and people found from context, with one set of data files.
#[derive(Clone, Debug)]
pub struct Extractor {
    splitter: Splitter,
    gazetteer: Gazetteer,
    people: PeopleFinder,
    events: EventFinder,
    conditions: ConditionFinder,
    milestones: Milestones,
    /// Every key of the gazetteer and of the event and condition cue lists, in one trie, so that one
    /// walk of the text finds them all ([`Extractor::scan`]).
    all_keys: KeyTrie,
}

/// Everything [`Extractor::scan`] finds in one walk: the gazetteer's mentions and the hits of the
/// event and condition cue lists.
pub(crate) struct Scan {
    pub gazetteer: Vec<Mention>,
    pub events: [Vec<CueHit>; 7],
    pub conditions: [Vec<CueHit>; 2],
}

impl Extractor {
    /// The extractor with the data shipped in `crates/extract/data/`.
    pub fn load_default() -> Result<Extractor, DataError> {
        let gazetteer = Gazetteer::load_default()?;
        let milestones = Milestones::load_default(&gazetteer)?;
        Ok(Extractor::new(
            Splitter::load_default(),
            gazetteer,
            PeopleFinder::load_default()?,
            EventFinder::load_default()?,
            ConditionFinder::load_default()?,
            milestones,
        ))
    }

    /// An extractor with data read from a folder laid out like `crates/extract/data/`:
    /// `abbreviations.toml`, `people_cues.toml`, `events.toml`, `conditions.toml`,
    /// `milestones.toml` and `gazetteer/` with its four files.
    pub fn from_dir(dir: &Path) -> Result<Extractor, DataError> {
        let gazetteer = Gazetteer::from_dir(&dir.join("gazetteer"))?;
        let milestones = Milestones::from_file(&dir.join("milestones.toml"), &gazetteer)?;
        Ok(Extractor::new(
            Splitter::from_file(&dir.join("abbreviations.toml"))?,
            gazetteer,
            PeopleFinder::from_file(&dir.join("people_cues.toml"))?,
            EventFinder::from_file(&dir.join("events.toml"))?,
            ConditionFinder::from_file(&dir.join("conditions.toml"))?,
            milestones,
        ))
    }

    fn new(
        splitter: Splitter,
        gazetteer: Gazetteer,
        people: PeopleFinder,
        events: EventFinder,
        conditions: ConditionFinder,
        milestones: Milestones,
    ) -> Extractor {
        let mut lists: Vec<&[String]> = vec![gazetteer.matcher.keys()];
        lists.extend(events.cue_sets().map(CueSet::keys));
        lists.extend(conditions.cue_sets().map(CueSet::keys));
        let all_keys = KeyTrie::of_lists(&lists);
        Extractor {
            splitter,
            gazetteer,
            people,
            events,
            conditions,
            milestones,
            all_keys,
        }
    }

    /// The gazetteer mentions and the event and condition cues of `text` (folded: `folded`), from one
    /// walk of the text: what [`Gazetteer::find_mentions`] and the cue searches of
    /// [`EventFinder::find`] and [`ConditionFinder::find`] find, each on its own.
    pub(crate) fn scan(&self, text: &str, folded: &Folded) -> Scan {
        let mut out = Scan {
            gazetteer: Vec::new(),
            events: Default::default(),
            conditions: Default::default(),
        };
        let matcher = &self.gazetteer.matcher;
        self.all_keys
            .scan(folded, |list, start, end, key| match list {
                0 => matcher.take(text, folded, start, end, key, &mut out.gazetteer),
                1..=7 => cues::take(folded, start, end, key, &mut out.events[list - 1]),
                _ => cues::take(folded, start, end, key, &mut out.conditions[list - 8]),
            });
        out
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The dated milestones that date undated documents ([`milestones`]).
    pub fn milestones(&self) -> &Milestones {
        &self.milestones
    }

    /// The sentences of `text`.
    pub fn sentences(&self, text: &str) -> Vec<Span> {
        self.splitter.split(text)
    }

    /// All mentions in `text`, in order and not overlapping: the gazetteer's, then people found from
    /// context cues where the gazetteer found nothing.
    pub fn find_mentions(&self, text: &str) -> Vec<Mention> {
        let gazetteer = self.gazetteer.find_mentions(text);
        self.with_people(text, gazetteer, &self.splitter.split(text))
    }

    /// [`Extractor::find_mentions`] from the gazetteer's mentions of `text` and its sentences (as
    /// this extractor finds them), so that one walk and one split serve every stage.
    pub(crate) fn with_people(
        &self,
        text: &str,
        mut mentions: Vec<Mention>,
        sentences: &[Span],
    ) -> Vec<Mention> {
        let people = self.people.find(text, sentences, &mentions);
        // A person found from context wins over a place word inside it ("Dr. Sofia Martins").
        mentions.retain(|m| !people.iter().any(|p| m.start < p.end && p.start < m.end));
        mentions.extend(people);
        mentions.sort_by_key(|m| (m.start, m.end));
        mentions
    }

    /// The events of `text` ([`EventFinder::find`]): `sentences` and `mentions` as this extractor
    /// gives them, `timexes` tagged on the same text, `doc_date` the document's date (ISO) if known.
    pub fn events(
        &self,
        text: &str,
        sentences: &[Span],
        mentions: &[Mention],
        timexes: &[Timex],
        doc_date: Option<&str>,
    ) -> Vec<Event> {
        self.events
            .find(text, sentences, mentions, timexes, doc_date)
    }

    /// The conditions of `text` ([`ConditionFinder::find`]).
    pub fn conditions(
        &self,
        text: &str,
        sentences: &[Span],
        mentions: &[Mention],
    ) -> Vec<Condition> {
        self.conditions.find(text, sentences, mentions)
    }
}

/// The events of `text` with the shipped lexicon ([`EventFinder::find`]).
pub fn extract_events(
    text: &str,
    sentences: &[Span],
    mentions: &[Mention],
    timexes: &[Timex],
    doc_date: Option<&str>,
) -> Vec<Event> {
    DEFAULT_EVENTS
        .as_ref()
        .map(|f| f.find(text, sentences, mentions, timexes, doc_date))
        .unwrap_or_default()
}

/// The conditions of `text` with the shipped lexicon ([`ConditionFinder::find`]).
pub fn extract_conditions(text: &str, sentences: &[Span], mentions: &[Mention]) -> Vec<Condition> {
    DEFAULT_CONDITIONS
        .as_ref()
        .map(|f| f.find(text, sentences, mentions))
        .unwrap_or_default()
}

/// The shipped event lexicon, compiled once (its loading is tested, so `Err` does not happen).
static DEFAULT_EVENTS: std::sync::LazyLock<Result<EventFinder, DataError>> =
    std::sync::LazyLock::new(EventFinder::load_default);

/// The shipped condition lexicon, compiled once.
static DEFAULT_CONDITIONS: std::sync::LazyLock<Result<ConditionFinder, DataError>> =
    std::sync::LazyLock::new(ConditionFinder::load_default);
