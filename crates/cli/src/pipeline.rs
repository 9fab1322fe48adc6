//! The per-document pipeline shared by `extract`, `eval --gold` and `bench`: choose the document's date,
//! then tag its temporal expressions against it.
//!
//! The document date (the reference for relative expressions) is, in order: the date the caller gives
//! (`--doc-date`, source `given`), the date the document states for itself (`stated`), one inferred
//! from its content by [`peacetrack_time::docdate`] (`inferred`, at the precision the text
//! supports: `2024`, `2022-04`), else none (`unknown`). The expressions are tagged on the document's
//! analysis view, so their byte offsets are offsets into its canonical text.
//!
//! Keeping this in one place means the evaluation scores exactly what `extract` prints.

use jiff::civil::Date;
use peacetrack_read::Document;
use peacetrack_time::{Tagger, Timex};
use serde::Serialize;

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
}

/// What the pipeline makes of one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    /// The document's date.
    pub date: DocDate,
    /// Its temporal expressions, in text order, resolved against `date.reference`.
    pub timexes: Vec<Timex>,
}

/// Runs the pipeline on one document: its date (`given`, else the date the document states, else one
/// inferred from its content, else unknown), then its temporal expressions tagged on the analysis view
/// against that date. One matching pass serves the inference and the tagging
/// ([`Tagger::tag_document`]).
pub fn analyse(tagger: &Tagger, doc: &Document, given: Option<Date>) -> Analysis {
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
        },
        (None, Some(inferred)) => DocDate {
            value: Some(inferred.value),
            source: DateSource::Inferred,
            reference: Some(inferred.date),
        },
        (None, None) => DocDate {
            value: None,
            source: DateSource::Unknown,
            reference: None,
        },
    };
    Analysis { date, timexes }
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
        let tagger = Tagger::new().expect("the shipped rules compile");
        let text = "The ministers met on 14 January 2022. They will meet again tomorrow.";
        let stated = Date::new(2022, 1, 20).unwrap();
        let given = Date::new(2023, 5, 1).unwrap();

        let a = analyse(&tagger, &document(text, Some(stated)), Some(given));
        assert_eq!(a.date.source, DateSource::Given);
        assert_eq!(a.date.value.as_deref(), Some("2023-05-01"));
        assert_eq!(a.date.reference, Some(given));

        let a = analyse(&tagger, &document(text, Some(stated)), None);
        assert_eq!(a.date.source, DateSource::Stated);
        assert_eq!(a.date.value.as_deref(), Some("2022-01-20"));
        let tomorrow = a
            .timexes
            .iter()
            .find(|t| &text[t.start..t.end] == "tomorrow");
        assert_eq!(tomorrow.map(|t| t.value.as_str()), Some("2022-01-21"));

        let a = analyse(&tagger, &document(text, None), None);
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

        let a = analyse(&tagger, &document("Nothing dated here.", None), None);
        assert_eq!(a.date.source, DateSource::Unknown);
        assert_eq!(a.date.value, None);
        assert_eq!(a.date.reference, None);
        assert_eq!(DateSource::Unknown.to_string(), "unknown");
    }
}
