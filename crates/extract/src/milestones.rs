//! Dated milestones: occurrences of a process whose date is known apart from any one article, used to
//! date documents that state no date.
//!
//! An undated article often names a well-known occurrence by its month or day alone ("In mid-March,
//! Armenia and Azerbaijan announced they had finalized a peace treaty"). The year-less expression is
//! then resolved against a document date inferred from the explicit dates the article reports, which
//! may all be years older than the article. When such an event matches a milestone of
//! `data/milestones.toml` (schema at its top), the article was written after that milestone, and
//! [`crate::pipeline`] dates the document again with the milestone's date counted among the dates it
//! reports ([`peacetrack_time::Tagger::tag_document_reporting`]).
//!
//! An event matches a milestone when all of these hold:
//! - the event is asserted (not negated, hypothetical or future) and has one of the milestone's types;
//! - its countries include all of the milestone's countries;
//! - its sentence holds one of the milestone's words (folded, whole words);
//! - its sentence holds a calendar `DATE` expression that does not write its year (no four-digit
//!   number, no `'25`) and names the milestone's month, and its day when it gives one.
//!
//! An event that matches milestones of two different years says nothing (the text could mean either).
//! Among the events that match, the latest milestone wins.

use crate::cues::CueSet;
use crate::events::TYPES;
use crate::fold::Folded;
use crate::{DataError, Event, Gazetteer};
use jiff::civil::Date;
use peacetrack_time::{Timex, TimexType};
use serde::Deserialize;
use std::path::Path;

const DEFAULT_MILESTONES: &str = include_str!("../data/milestones.toml");

/// `milestones.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneFile {
    #[serde(default)]
    milestone: Vec<MilestoneEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneEntry {
    date: String,
    label: String,
    types: Vec<String>,
    countries: Vec<String>,
    words: Vec<String>,
}

/// One dated milestone.
#[derive(Clone, Debug)]
pub struct Milestone {
    /// The day it happened.
    pub date: Date,
    /// What happened, for people reading the data.
    pub label: String,
    /// The PLOVER types an event reporting it may have.
    pub types: Vec<String>,
    /// Parties an event reporting it names, all of them.
    pub countries: Vec<String>,
    words: CueSet,
}

/// The milestones of `data/milestones.toml`, compiled.
#[derive(Clone, Debug, Default)]
pub struct Milestones {
    list: Vec<Milestone>,
}

impl Milestones {
    /// The shipped `data/milestones.toml`, its parties checked against `gazetteer`.
    pub fn load_default(gazetteer: &Gazetteer) -> Result<Milestones, DataError> {
        Milestones::from_toml("milestones.toml", DEFAULT_MILESTONES, gazetteer)
    }

    /// The milestones in the file at `path` (same schema as the shipped file).
    pub fn from_file(path: &Path, gazetteer: &Gazetteer) -> Result<Milestones, DataError> {
        let (file, src) = crate::read_data(path)?;
        Milestones::from_toml(&file, &src, gazetteer)
    }

    /// Milestones from TOML source; `file` names it in errors. Every party must be a country or
    /// organisation code of `gazetteer`.
    pub fn from_toml(
        file: &str,
        src: &str,
        gazetteer: &Gazetteer,
    ) -> Result<Milestones, DataError> {
        let parsed: MilestoneFile = toml::from_str(src).map_err(|e| DataError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let mut list = Vec::with_capacity(parsed.milestone.len());
        for entry in parsed.milestone {
            let invalid = |problem: String| DataError::Invalid {
                file: file.to_string(),
                entry: format!("milestone {:?}", entry.label),
                problem,
            };
            let date: Date = entry
                .date
                .parse()
                .map_err(|_| invalid(format!("date {:?} is not YYYY-MM-DD", entry.date)))?;
            if entry.types.is_empty() || entry.countries.is_empty() || entry.words.is_empty() {
                return Err(invalid(
                    "types, countries and words must each name at least one".to_string(),
                ));
            }
            if let Some(t) = entry.types.iter().find(|t| !TYPES.contains(&t.as_str())) {
                return Err(invalid(format!("{t:?} is not a PLOVER type nor OTHER")));
            }
            if let Some(c) = entry.countries.iter().find(|c| !gazetteer.is_party(c)) {
                return Err(invalid(format!(
                    "{c:?} is not a country or organisation code of the gazetteer"
                )));
            }
            let words = CueSet::new(file, &format!("milestone {:?}", entry.label), &entry.words)?;
            list.push(Milestone {
                date,
                label: entry.label,
                types: entry.types,
                countries: entry.countries,
                words,
            });
        }
        Ok(Milestones { list })
    }

    /// The milestones, in file order.
    pub fn list(&self) -> &[Milestone] {
        &self.list
    }

    /// The latest milestone that `events` of `text` report with a year-less date (see the module
    /// documentation), and the first event reporting it, if any. `timexes` are the text's temporal
    /// expressions.
    pub fn latest_reported<'m, 'e>(
        &'m self,
        text: &str,
        events: &'e [Event],
        timexes: &[Timex],
    ) -> Option<(&'m Milestone, &'e Event)> {
        let mut latest: Option<(&Milestone, &Event)> = None;
        // The expressions come in text order (the tagger gives them so); each event looks only at
        // those of its sentence.
        let sorted = timexes.is_sorted_by_key(|t| t.start);
        let mut days: Vec<(i8, i8)> = Vec::new();
        let mut on_day: Vec<&Milestone> = Vec::new();
        for event in events.iter().filter(|e| e.asserted() && !e.future) {
            // Cheap tests first: a year-less date in the sentence, then type, parties and day; the
            // sentence is folded only for a milestone that passes them all.
            let from = if sorted {
                timexes.partition_point(|t| t.start < event.start)
            } else {
                0
            };
            days.clear();
            days.extend(
                timexes[from..]
                    .iter()
                    .take_while(|t| !sorted || t.start < event.end)
                    .filter(|t| t.start >= event.start && t.end <= event.end)
                    .filter_map(|t| yearless_month_day(text, t)),
            );
            if days.is_empty() {
                continue;
            }
            on_day.clear();
            on_day.extend(self.list.iter().filter(|m| {
                m.types.contains(&event.kind)
                    && m.countries.iter().all(|c| event.countries.contains(c))
                    && days.iter().any(|&(month, day)| {
                        month == m.date.month() && (day == 0 || day == m.date.day())
                    })
            }));
            if on_day.is_empty() {
                continue;
            }
            let folded = Folded::new(text.get(event.start..event.end).unwrap_or(""));
            let mut found: Option<&Milestone> = None;
            let mut years_differ = false;
            for &m in on_day.iter().filter(|m| !m.words.find(&folded).is_empty()) {
                years_differ |= found.is_some_and(|f| f.date.year() != m.date.year());
                if found.is_none_or(|f| f.date < m.date) {
                    found = Some(m);
                }
            }
            if let Some(m) = found.filter(|_| !years_differ)
                && latest.is_none_or(|(l, _)| l.date < m.date)
            {
                latest = Some((m, event));
            }
        }
        latest
    }
}

/// The month and day (0 when not given) of a calendar `DATE` expression that does not write its
/// year: "mid-March", "December 7", "last October" — not "March 2025", "7/12/25" or "in '25".
fn yearless_month_day(text: &str, t: &Timex) -> Option<(i8, i8)> {
    if t.kind != TimexType::Date {
        return None;
    }
    let written = text.get(t.start..t.end)?.as_bytes();
    let mut digits = 0;
    for (i, &b) in written.iter().enumerate() {
        if b.is_ascii_digit() {
            digits += 1;
            if digits == 4 {
                return None;
            }
        } else {
            digits = 0;
        }
        // An apostrophe year: '25, ’25.
        if matches!(b, b'\'' | 0x99)
            && written.get(i + 1).is_some_and(u8::is_ascii_digit)
            && written.get(i + 2).is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
    }
    // A slashed or dotted numeric date writes a year of two digits: 7/12/25.
    if written.iter().filter(|&&b| b == b'/').count() >= 2 {
        return None;
    }
    let v = t.value.as_bytes();
    let year_ok = v.len() >= 7
        && v[4] == b'-'
        && (v[..4].iter().all(u8::is_ascii_digit) || &v[..4] == b"XXXX");
    if !year_ok {
        return None;
    }
    let month: i8 = t.value.get(5..7)?.parse().ok()?;
    let day: i8 = match t.value.get(7..10) {
        Some(d) if d.starts_with('-') => d[1..].parse().ok()?,
        _ => 0,
    };
    ((1..=12).contains(&month)).then_some((month, day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Extractor;
    use peacetrack_time::Tagger;

    const DATA: &str = r#"
[[milestone]]
date = "2025-03-13"
label = "treaty text agreed"
types = ["AGREE"]
countries = ["ARM", "AZE"]
words = ["peace treaty", "peace agreement"]

[[milestone]]
date = "2023-09-19"
label = "offensive"
types = ["ASSAULT"]
countries = ["AZE"]
words = ["offensive"]

[[milestone]]
date = "2020-09-27"
label = "war"
types = ["ASSAULT"]
countries = ["AZE"]
words = ["offensive"]
"#;

    fn reported(text: &str) -> Option<String> {
        let x = Extractor::load_default().unwrap();
        let tagger = Tagger::new().unwrap();
        let milestones = Milestones::from_toml("t.toml", DATA, x.gazetteer()).unwrap();
        let sentences = x.sentences(text);
        let mentions = x.find_mentions(text);
        let (timexes, inferred) = tagger.tag_document(text, None);
        let events = x.events(
            text,
            &sentences,
            &mentions,
            &timexes,
            inferred.as_ref().map(|d| d.value.as_str()),
        );
        milestones
            .latest_reported(text, &events, &timexes)
            .map(|(m, e)| {
                assert!(e.start <= e.end && text.get(e.start..e.end).is_some());
                m.date.to_string()
            })
    }

    #[test]
    fn a_yearless_report_of_a_milestone_finds_it() {
        let text = "Fighting ended in 2020. In mid-March, Armenia and Azerbaijan announced they had agreed on a peace treaty.";
        assert_eq!(reported(text).as_deref(), Some("2025-03-13"));
    }

    #[test]
    fn a_written_year_a_wrong_month_or_missing_words_find_nothing() {
        for text in [
            "In March 2021, Armenia and Azerbaijan announced they had agreed on a peace treaty.",
            "In mid-May, Armenia and Azerbaijan announced they had agreed on a peace treaty.",
            "In mid-March, Armenia and Azerbaijan announced they had agreed on a grain deal.",
            "In mid-March, Armenia and Azerbaijan did not agree on a peace treaty.",
            "In mid-March, Armenia and Türkiye agreed on a peace treaty.",
        ] {
            assert_eq!(reported(text), None, "{text}");
        }
    }

    #[test]
    fn milestones_of_two_years_for_one_event_say_nothing() {
        let text = "In late September, Azerbaijan launched an offensive against Armenian forces.";
        assert_eq!(reported(text), None);
    }

    #[test]
    fn yearless_expressions() {
        let t = |text: &str, value: &str| Timex {
            start: 0,
            end: text.len(),
            kind: TimexType::Date,
            value: value.to_string(),
            modifier: None,
            rule: String::new(),
        };
        let cases = [
            ("mid-March", "2023-03", Some((3, 0))),
            ("December 7", "XXXX-12-07", Some((12, 7))),
            ("March 2025", "2025-03", None),
            ("March '25", "2025-03", None),
            ("March ’25", "2025-03", None),
            ("7/12/25", "2025-07-12", None),
            ("last year", "2024", None),
            ("now", "PRESENT_REF", None),
        ];
        for (text, value, want) in cases {
            assert_eq!(yearless_month_day(text, &t(text, value)), want, "{text}");
        }
    }

    #[test]
    fn bad_files_name_the_entry() {
        let g = Gazetteer::load_default().unwrap();
        let bad_type = DATA.replacen("\"AGREE\"", "\"AGREED\"", 1);
        let bad_party = DATA.replacen("\"ARM\"", "\"XXQ\"", 1);
        let bad_date = DATA.replacen("2025-03-13", "2025-13-13", 1);
        for src in [bad_type, bad_party, bad_date] {
            let err = Milestones::from_toml("m.toml", &src, &g)
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with("m.toml: milestone \"treaty text agreed\": "),
                "{err}"
            );
        }
        assert!(Milestones::from_toml("m.toml", "milestone = 3", &g).is_err());
        assert!(Milestones::load_default(&g).unwrap().list().len() >= 5);
    }
}
