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
pub mod mentions;
pub mod people;
pub mod sentences;

pub use conditions::{Condition, ConditionFinder};
pub use events::{Event, EventFinder};
pub use gazetteer::Gazetteer;
pub use mentions::{Entity, Mention, MentionKind, Source};
pub use people::PeopleFinder;
pub use sentences::{Splitter, sentences};

use peacetrack_time::Timex;
use serde::Serialize;
use std::path::Path;

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

/// Sentences, gazetteer mentions and people found from context, with one set of data files.
#[derive(Clone, Debug)]
pub struct Extractor {
    splitter: Splitter,
    gazetteer: Gazetteer,
    people: PeopleFinder,
    events: EventFinder,
    conditions: ConditionFinder,
}

impl Extractor {
    /// The extractor with the data shipped in `crates/extract/data/`.
    pub fn load_default() -> Result<Extractor, DataError> {
        Ok(Extractor {
            splitter: Splitter::load_default(),
            gazetteer: Gazetteer::load_default()?,
            people: PeopleFinder::load_default()?,
            events: EventFinder::load_default()?,
            conditions: ConditionFinder::load_default()?,
        })
    }

    /// An extractor with data read from a folder laid out like `crates/extract/data/`:
    /// `abbreviations.toml`, `people_cues.toml`, `events.toml`, `conditions.toml` and `gazetteer/`
    /// with its four files.
    pub fn from_dir(dir: &Path) -> Result<Extractor, DataError> {
        Ok(Extractor {
            splitter: Splitter::from_file(&dir.join("abbreviations.toml"))?,
            gazetteer: Gazetteer::from_dir(&dir.join("gazetteer"))?,
            people: PeopleFinder::from_file(&dir.join("people_cues.toml"))?,
            events: EventFinder::from_file(&dir.join("events.toml"))?,
            conditions: ConditionFinder::from_file(&dir.join("conditions.toml"))?,
        })
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The sentences of `text`.
    pub fn sentences(&self, text: &str) -> Vec<Span> {
        self.splitter.split(text)
    }

    /// All mentions in `text`, in order and not overlapping: the gazetteer's, then people found from
    /// context cues where the gazetteer found nothing.
    pub fn find_mentions(&self, text: &str) -> Vec<Mention> {
        let mut mentions = self.gazetteer.find_mentions(text);
        let sentences = self.splitter.split(text);
        let people = self.people.find(text, &sentences, &mentions);
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
