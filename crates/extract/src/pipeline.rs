//! The per-document pipeline shared by `extract`, `eval --gold` and `bench`: choose the document's date,
//! tag its temporal expressions against it, then find its events and conditions.
//!
//! The document date (the reference for relative expressions) is, in order: the date the caller gives
//! (`--doc-date`, source `given`), the date the document states for itself (`stated`), one inferred
//! from its content by [`peacetrack_time::docdate`] (`inferred`, at the precision the text
//! supports: `2024`, `2022-04`), else none (`unknown`). The expressions are tagged on the document's
//! analysis view, so their byte offsets are offsets into its canonical text.
//!
//! Events and conditions come from this crate on the same view: sentences, mentions, then
//! [`Extractor::events`] (with the temporal expressions and the document's date) and
//! [`Extractor::conditions`]. The view is split into sentences once, folded once and walked once for
//! the gazetteer's names and every event and condition cue (one trie over all of them), and the
//! stages share the results; they give exactly what the stages called one by one give (tested in
//! `tests/robustness.rs`). The engines ([`Engines`]: the temporal tagger and the extractor) are
//! built once per run.
//!
//! Keeping this in one place means the evaluation scores exactly what `extract` prints.

use crate::fold::Folded;
use crate::{Condition, DataError, Event, Extractor};
use jiff::civil::Date;
use peacetrack_read::Document;
use peacetrack_time::{Tagger, Timex};
use serde::Serialize;

/// What the pipeline runs with: the temporal tagger and the extractor, each compiled once from its
/// data files.
#[derive(Debug)]
pub struct Engines {
    /// The temporal tagger.
    pub tagger: Tagger,
    /// Sentences, mentions, events and conditions.
    pub extractor: Extractor,
}

impl Engines {
    /// Both engines with the shipped data.
    pub fn load() -> Result<Engines, EngineError> {
        Ok(Engines {
            tagger: Tagger::new().map_err(EngineError::Rules)?,
            extractor: Extractor::load_default().map_err(EngineError::Data)?,
        })
    }
}

/// Why the engines could not be built from their data files.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The temporal rules or lexicons are wrong.
    #[error("loading the temporal rules: {0}")]
    Rules(peacetrack_time::RuleError),
    /// The extraction data (gazetteer, cue lexicons) is wrong.
    #[error("loading the extraction data: {0}")]
    Data(DataError),
}

/// Where a document's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// Given by the caller (`--doc-date`).
    Given,
    /// Stated by the document itself (header line, dateline, HTML metadata …).
    Stated,
    /// Inferred from the document's content.
    Inferred,
    /// Neither given, stated nor inferable.
    Unknown,
}

impl DateSource {
    /// `given`, `stated`, `inferred` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Given => "given",
            DateSource::Stated => "stated",
            DateSource::Inferred => "inferred",
            DateSource::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for DateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document's date, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocDate {
    /// ISO value: a day, or a month or year when inferred at that precision; `None` when unknown.
    pub value: Option<String>,
    /// Where the date came from.
    pub source: DateSource,
    /// The reference date relative expressions are resolved against.
    pub reference: Option<Date>,
    /// The dated milestone that moved an inferred date ([`redate`]), with its evidence.
    pub milestone: Option<DatedBy>,
}

/// The milestone a document reports without its year, which dates the document after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatedBy {
    /// The milestone's label (`data/milestones.toml`).
    pub label: String,
    /// The day of the milestone.
    pub date: Date,
    /// First byte of the evidence: the sentence reporting it.
    pub start: usize,
    /// One past the last byte of the evidence.
    pub end: usize,
}

/// What the pipeline makes of one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    /// The document's date.
    pub date: DocDate,
    /// Its temporal expressions, in text order, resolved against `date.reference`.
    pub timexes: Vec<Timex>,
    /// Its events, in text order (flagged ones included: see [`Event::asserted`]).
    pub events: Vec<Event>,
    /// Its conditions, in text order.
    pub conditions: Vec<Condition>,
}

/// Runs the pipeline on one document: its date (`given`, else the date the document states, else one
/// inferred from its content, else unknown), then its temporal expressions tagged on the analysis view
/// against that date (one matching pass serves the inference and the tagging:
/// [`Tagger::tag_document`]), then its events and conditions; last, for a document whose date was not
/// given or stated, [`redate`].
pub fn analyse(engines: &Engines, doc: &Document, given: Option<Date>) -> Analysis {
    let (date, timexes) = date_and_time(engines, doc, given);
    let (events, conditions) = who_what_where(engines, doc, &date, &timexes);
    redate(
        engines,
        doc,
        Analysis {
            date,
            timexes,
            events,
            conditions,
        },
    )
}

/// The last stage, for a document whose date was inferred or is unknown: when its events report a
/// dated milestone by month or day alone ([`crate::milestones`]) and that milestone lies after the
/// date inferred so far, the document is dated again with the milestone among the dates it reports
/// ([`Tagger::tag_document_reporting`]) and its expressions, events and conditions follow the new
/// date. Any other analysis is returned as it is.
pub fn redate(engines: &Engines, doc: &Document, analysis: Analysis) -> Analysis {
    if !matches!(
        analysis.date.source,
        DateSource::Inferred | DateSource::Unknown
    ) {
        return analysis;
    }
    let milestones = engines.extractor.milestones();
    // Nothing to find when no milestone lies after the date inferred so far.
    let reference = analysis.date.reference;
    if !milestones
        .list()
        .iter()
        .any(|m| reference.is_none_or(|r| r < m.date))
    {
        return analysis;
    }
    let text = doc.view.as_str();
    let Some((milestone, event)) =
        milestones.latest_reported(text, &analysis.events, &analysis.timexes)
    else {
        return analysis;
    };
    if reference.is_some_and(|r| r >= milestone.date) {
        return analysis;
    }
    let (timexes, inferred) = engines.tagger.tag_document_reporting(text, milestone.date);
    let Some(inferred) = inferred else {
        return analysis;
    };
    let date = DocDate {
        value: Some(inferred.value),
        source: DateSource::Inferred,
        reference: Some(inferred.date),
        milestone: Some(DatedBy {
            label: milestone.label.clone(),
            date: milestone.date,
            start: event.start,
            end: event.end,
        }),
    };
    let (events, conditions) = who_what_where(engines, doc, &date, &timexes);
    Analysis {
        date,
        timexes,
        events,
        conditions,
    }
}

/// The first stage: the document's date and its temporal expressions, from one matching pass.
pub fn date_and_time(
    engines: &Engines,
    doc: &Document,
    given: Option<Date>,
) -> (DocDate, Vec<Timex>) {
    let tagger = &engines.tagger;
    let known = given.map(|d| (d, DateSource::Given)).or_else(|| {
        doc.stated_date
            .as_ref()
            .map(|s| (s.date, DateSource::Stated))
    });
    let (timexes, inferred) = tagger.tag_document(&doc.view, known.map(|(d, _)| d));
    let date = match (known, inferred) {
        (Some((date, source)), _) => DocDate {
            value: Some(date.to_string()),
            source,
            reference: Some(date),
            milestone: None,
        },
        (None, Some(inferred)) => DocDate {
            value: Some(inferred.value),
            source: DateSource::Inferred,
            reference: Some(inferred.date),
            milestone: None,
        },
        (None, None) => DocDate {
            value: None,
            source: DateSource::Unknown,
            reference: None,
            milestone: None,
        },
    };
    (date, timexes)
}

/// The second stage: sentences, mentions, events and conditions.
pub fn who_what_where(
    engines: &Engines,
    doc: &Document,
    date: &DocDate,
    timexes: &[Timex],
) -> (Vec<Event>, Vec<Condition>) {
    let x = &engines.extractor;
    let text = doc.view.as_str();
    // One sentence split, one fold and one walk of the text serve every stage.
    let sentences = x.sentences(text);
    let folded = Folded::new(text);
    let scan = x.scan(text, &folded);
    let mentions = x.with_people(text, scan.gazetteer, &sentences);
    let events = x.events.find_with_cues(
        text,
        scan.events,
        &sentences,
        &mentions,
        timexes,
        date.value.as_deref(),
    );
    let conditions = x
        .conditions
        .find_with_cues(text, scan.conditions, &sentences, &mentions);
    (events, conditions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use peacetrack_read::{Format, ReadOptions, StatedDate, read_bytes};

    /// An invented plain-text document, with a stated date when given.
    fn document(text: &str, stated: Option<Date>) -> Document {
        let mut doc = read_bytes(
            "t.txt",
            text.as_bytes(),
            Format::Text,
            &ReadOptions::default(),
        )
        .expect("the invented text reads");
        assert_eq!(doc.text, text);
        doc.stated_date = stated.map(|date| StatedDate {
            date,
            source: "header line".into(),
            start: None,
            end: None,
        });
        doc
    }

    #[test]
    fn the_date_comes_from_given_then_stated_then_content() {
        let engines = Engines::load().expect("the shipped data loads");
        let text = "The ministers met on 14 January 2022. They will meet again tomorrow.";
        let stated = Date::new(2022, 1, 20).unwrap();
        let given = Date::new(2023, 5, 1).unwrap();

        let a = analyse(&engines, &document(text, Some(stated)), Some(given));
        assert_eq!(a.date.source, DateSource::Given);
        assert_eq!(a.date.value.as_deref(), Some("2023-05-01"));
        assert_eq!(a.date.reference, Some(given));

        let a = analyse(&engines, &document(text, Some(stated)), None);
        assert_eq!(a.date.source, DateSource::Stated);
        assert_eq!(a.date.value.as_deref(), Some("2022-01-20"));
        let tomorrow = a
            .timexes
            .iter()
            .find(|t| &text[t.start..t.end] == "tomorrow");
        assert_eq!(tomorrow.map(|t| t.value.as_str()), Some("2022-01-21"));

        let a = analyse(&engines, &document(text, None), None);
        assert_eq!(a.date.source, DateSource::Inferred);
        assert!(
            a.date
                .value
                .as_deref()
                .is_some_and(|v| v.starts_with("2022")),
            "{:?}",
            a.date
        );
        assert!(a.timexes.iter().any(|t| t.value == "2022-01-14"));

        let a = analyse(
            &engines,
            &document(
                "Armenia and Georgia met in Vienna on 14 January 2022. \
                 The treaty depends on a vote.",
                None,
            ),
            None,
        );
        let met: Vec<_> = a
            .events
            .iter()
            .map(|e| (e.kind.as_str(), e.date.as_deref(), e.place.as_deref()))
            .collect();
        assert_eq!(met, [("CONSULT", Some("2022-01-14"), Some("Vienna"))]);
        assert_eq!(a.events[0].countries, ["ARM", "GEO"]);
        assert_eq!(a.conditions.len(), 1);
        assert_eq!(a.conditions[0].requires, "a vote");

        let a = analyse(&engines, &document("Nothing dated here.", None), None);
        assert!(a.events.is_empty() && a.conditions.is_empty());
        assert_eq!(a.date.source, DateSource::Unknown);
        assert_eq!(a.date.value, None);
        assert_eq!(a.date.reference, None);
        assert_eq!(DateSource::Unknown.to_string(), "unknown");
    }

    #[test]
    fn a_yearless_milestone_dates_an_undated_document() {
        let engines = Engines::load().expect("the shipped data loads");
        let text = "In 2023 the last Armenians left the region. In mid-March, Armenia and \
                    Azerbaijan announced they had finalized the text of a peace treaty.";
        let a = analyse(&engines, &document(text, None), None);
        assert_eq!(a.date.source, DateSource::Inferred);
        assert_eq!(a.date.value.as_deref(), Some("2025-03"));
        assert_eq!(a.date.reference, Date::new(2025, 3, 13).ok());
        let by = a.date.milestone.as_ref().expect("dated by a milestone");
        assert!(
            text[by.start..by.end].starts_with("In mid-March, Armenia"),
            "{by:?}"
        );
        assert_eq!(by.date, Date::new(2025, 3, 13).unwrap());
        let mid = a
            .timexes
            .iter()
            .find(|t| &text[t.start..t.end] == "mid-March");
        assert_eq!(mid.map(|t| t.value.as_str()), Some("2025-03"));
        assert!(
            a.events
                .iter()
                .any(|e| e.kind == "AGREE" && e.date.as_deref() == Some("2025-03")),
            "{:?}",
            a.events
        );
        // The last stage changes nothing when the text's own dates are later, or when the date is
        // stated.
        let later = format!("{text} Talks resumed on 4 May 2026.");
        let a = analyse(&engines, &document(&later, None), None);
        assert_eq!(a.date.value.as_deref(), Some("2026-05"));
        let stated = Date::new(2023, 4, 2).unwrap();
        let a = analyse(&engines, &document(text, Some(stated)), None);
        assert_eq!(a.date.value.as_deref(), Some("2023-04-02"));
        // Without a year anywhere, the milestone alone dates the document.
        let bare =
            "In mid-March, Armenia and Azerbaijan announced they had agreed on a peace treaty.";
        let a = analyse(&engines, &document(bare, None), None);
        assert_eq!(a.date.value.as_deref(), Some("2025-03"));
    }
}
