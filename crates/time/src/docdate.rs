//! Document-date inference from content, for documents that state no date.
//!
//! The document was written after the last thing it reports. The inference therefore:
//! 1. tags the text without a reference date, so only explicit calendar values come out resolved;
//! 2. keeps the explicit values that are reported, not looked forward to (no cue such as "by", "until",
//!    "due to" or a future tense just before them) and not in a reference list (`[8] "Title", 3 May 2022.`);
//! 3. takes the latest of them; its year is the baseline;
//! 4. places month-days given without a year ("December 26") in that year and takes the latest again;
//! 5. moves to January of the next year when the text opens the new year ("the new year") after a
//!    latest date late in the year;
//! 6. otherwise moves to the next year when the text speaks of "last October" / "last autumn" (news
//!    style names the previous year's months that way).
//!
//! The result is the value at month precision at most (the text proves only a lower bound) and the date
//! that relative expressions are resolved against.

use crate::tagger::{Tagger, floor_boundary, normalise_phrase};
use crate::{Timex, TimexType};
use jiff::civil::Date;
use serde::Serialize;

/// A document date inferred from content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InferredDate {
    /// ISO value at the precision the text supports: `2024`, `2022-04`.
    pub value: String,
    /// The date relative expressions are resolved against (the latest date the text reports).
    pub date: Date,
}

/// A calendar value read from a tagged expression: year, and month and day where given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Explicit {
    year: i16,
    month: i8,
    day: i8,
}

impl Explicit {
    /// The date to resolve against: the day itself, else the middle of the month or year.
    fn date(&self) -> Option<Date> {
        match (self.month, self.day) {
            (0, _) => Date::new(self.year, 7, 1).ok(),
            (m, 0) => Date::new(self.year, m, 15).ok(),
            (m, d) => Date::new(self.year, m, d).ok(),
        }
    }

    fn value(&self) -> String {
        if self.month == 0 {
            format!("{:04}", self.year)
        } else {
            format!("{:04}-{:02}", self.year, self.month)
        }
    }
}

/// Infers the date of `text` from what it reports; `None` when it reports no dated event.
/// ([`Tagger::tag_document`] does this and the tagging in one matching pass.)
pub fn infer(tagger: &Tagger, text: &str) -> Option<InferredDate> {
    infer_from(tagger, text, &tagger.tag(text, None))
}

/// Infers the date of `text` from its expressions tagged without a reference date.
pub(crate) fn infer_from(tagger: &Tagger, text: &str, timexes: &[Timex]) -> Option<InferredDate> {
    infer_reporting(tagger, text, timexes, None)
}

/// [`infer_from`] for a text known to report an occurrence on `reported` as well (a dated milestone
/// the text names without its year): that date counts as one more explicit date the text reports.
pub(crate) fn infer_reporting(
    tagger: &Tagger,
    text: &str,
    timexes: &[Timex],
    reported: Option<Date>,
) -> Option<InferredDate> {
    let mut explicit: Vec<Explicit> = reported
        .map(|d| Explicit {
            year: d.year(),
            month: d.month(),
            day: d.day(),
        })
        .into_iter()
        .collect();
    let mut yearless: Vec<(i8, i8)> = Vec::new();
    let mut last_named = false;
    let mut new_year = false;
    for t in timexes {
        if !matches!(t.kind, TimexType::Date | TimexType::Time) || in_reference_list(text, t.start)
        {
            continue;
        }
        if t.rule == "the_new_year" {
            new_year = true;
            continue;
        }
        if (t.rule == "dir_month" || t.rule == "dir_season")
            && normalise_phrase(&text[t.start..t.end]).starts_with("last")
        {
            last_named = true;
            continue;
        }
        // Ranges count by their end. An expression looked forward to does not count (asked only of
        // the values that would: finding the tense means searching the text around it).
        let value = t.value.rsplit('/').next().unwrap_or(&t.value);
        if let Some(e) = parse_explicit(value) {
            if !looks_ahead(tagger, text, t) {
                explicit.push(e);
            }
        } else if let Some(md) = parse_yearless(value)
            && !looks_ahead(tagger, text, t)
        {
            yearless.push(md);
        }
    }
    let base = explicit.iter().copied().max()?;
    let mut latest = base;
    for (month, day) in yearless {
        let e = Explicit {
            year: base.year,
            month,
            day,
        };
        if e > latest {
            latest = e;
        }
    }
    if new_year && latest.month >= 10 {
        latest = Explicit {
            year: latest.year + 1,
            month: 1,
            day: 1,
        };
    }
    if last_named && latest.year == base.year {
        latest = Explicit {
            year: base.year + 1,
            month: 0,
            day: 0,
        };
    }
    Some(InferredDate {
        value: latest.value(),
        date: latest.date()?,
    })
}

/// `2022`, `2022-04`, `2022-04-12`, `2022-Q3`, `2023-FA`, `2022-04-12T10:00` as an [`Explicit`].
fn parse_explicit(v: &str) -> Option<Explicit> {
    let year: i16 = v.get(0..4)?.parse().ok()?;
    if !(1000..=2999).contains(&year) {
        return None;
    }
    let rest = &v[4..];
    if rest.is_empty() {
        return Some(Explicit {
            year,
            month: 0,
            day: 0,
        });
    }
    let rest = rest.strip_prefix('-')?;
    let month = match rest.get(0..2)? {
        "Q1" => 3,
        "Q2" => 6,
        "Q3" => 9,
        "Q4" => 12,
        "H1" => 6,
        "H2" => 12,
        "SP" => 5,
        "SU" => 8,
        "FA" => 11,
        "WI" => 12,
        m => m.parse().ok()?,
    };
    let day = rest
        .get(3..5)
        .filter(|_| rest.as_bytes().get(2) == Some(&b'-'))
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    Some(Explicit { year, month, day })
}

/// `XXXX-12-26` or `XXXX-03` (a month-day or month the text gave without its year).
fn parse_yearless(v: &str) -> Option<(i8, i8)> {
    let rest = v.strip_prefix("XXXX-")?;
    let month: i8 = rest.get(0..2)?.parse().ok()?;
    let day: i8 = match rest.get(2..) {
        Some("") | None => 0,
        Some(d) => d.strip_prefix('-')?.get(0..2)?.parse().ok()?,
    };
    (1..=12).contains(&month).then_some((month, day))
}

/// Whether the expression is looked forward to rather than reported: a future tense in its sentence, or a
/// deadline cue ("by", "until", "due to", "expire") just before it.
fn looks_ahead(tagger: &Tagger, text: &str, t: &Timex) -> bool {
    // The deadline cue first: it looks at 40 bytes, the tense at the sentence with two regexes.
    deadline_cue(text, t) || tagger.is_future_context(text, t)
}

/// Whether a deadline cue ("by", "until", "due to", "expire", …) stands in the clause just before the
/// expression.
fn deadline_cue(text: &str, t: &Timex) -> bool {
    let from = floor_boundary(text, t.start.saturating_sub(40));
    let before = text[from..t.start].to_lowercase();
    let clause = before
        .rsplit([',', ';', '.', '(', ')'])
        .next()
        .unwrap_or("");
    clause.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "by" | "until"
                | "till"
                | "before"
                | "due"
                | "expire"
                | "expires"
                | "deadline"
                | "upcoming"
        )
    })
}

/// Whether the position lies on a line that reads as a reference-list entry (`[8] …`, `8. "…"`), whose
/// dates are those of cited sources, not of reported events.
fn in_reference_list(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].trim_start();
    let digits = line
        .strip_prefix('[')
        .map(|l| l.chars().take_while(char::is_ascii_digit).count());
    match digits {
        Some(n) if n > 0 => line[1 + n..].starts_with(']'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer_str(text: &str) -> Option<String> {
        infer(&Tagger::new().unwrap(), text).map(|d| d.value)
    }

    #[test]
    fn the_latest_reported_date_wins() {
        assert_eq!(
            infer_str("Talks began on 11 January 2021. A second round followed on 12 April 2022.")
                .as_deref(),
            Some("2022-04")
        );
    }

    #[test]
    fn deadlines_and_references_do_not_count() {
        let text = "The ministers met on 5 May 2021. The mission expires by the end of 2025.\n\n[3] \"Report\", 3 December 2023.";
        assert_eq!(infer_str(text).as_deref(), Some("2021-05"));
    }

    #[test]
    fn last_october_means_the_year_after() {
        let text = "The fighting of September 2023 changed everything. Talks resumed last October, and on 17 April this year the commission met.";
        assert_eq!(infer_str(text).as_deref(), Some("2024"));
    }

    #[test]
    fn the_new_year_after_december() {
        let text = "The new year brings hope. In June 2023 talks stalled; on December 26 the leaders spoke.";
        assert_eq!(infer_str(text).as_deref(), Some("2024-01"));
    }

    #[test]
    fn a_reported_date_counts_as_explicit() {
        let tagger = Tagger::new().unwrap();
        let text = "In 2023 the region emptied. In mid-March the sides agreed on a text.";
        let timexes = tagger.tag(text, None);
        let plain = infer_from(&tagger, text, &timexes).unwrap();
        assert_eq!(plain.value, "2023-03");
        let reported = Date::new(2025, 3, 13).unwrap();
        let with = infer_reporting(&tagger, text, &timexes, Some(reported)).unwrap();
        assert_eq!((with.value.as_str(), with.date), ("2025-03", reported));
        // Nothing else dated: the reported date alone dates the text.
        let bare = "In mid-March the sides agreed on a text.";
        let with = infer_reporting(&tagger, bare, &tagger.tag(bare, None), Some(reported)).unwrap();
        assert_eq!(with.value, "2025-03");
    }

    #[test]
    fn nothing_dated_gives_nothing() {
        assert_eq!(infer_str("Talks continue without a date."), None);
    }
}
