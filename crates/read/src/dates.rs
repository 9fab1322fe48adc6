//! Calendar dates as documents state them in headers, datelines and HTML metadata: `2025-09-09`,
//! `9 September 2025`, `Sept. 9, 2025`, `Tue, 12 Mar 2024 09:30:00 GMT`. Only complete dates (with a
//! year) are recognised. Month names come from `data/months.toml`.

use jiff::civil::Date;
use regex::{Captures, Regex};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The month-name table shipped with the crate.
const MONTHS_TOML: &str = include_str!("../data/months.toml");

#[derive(Deserialize)]
struct MonthsFile {
    month: Vec<MonthEntry>,
}

#[derive(Deserialize)]
struct MonthEntry {
    number: i8,
    names: Vec<String>,
}

/// Month spellings (lower-cased) to month numbers, and a regex alternation of the spellings.
struct Months {
    by_name: HashMap<String, i8>,
    alternation: String,
}

static MONTHS: LazyLock<Months> = LazyLock::new(|| {
    // The file is part of the crate and covered by tests: failing to parse it is a build defect.
    let file: MonthsFile = toml::from_str(MONTHS_TOML).expect("data/months.toml is valid");
    let mut by_name = HashMap::new();
    for entry in file.month {
        for name in entry.names {
            by_name.insert(name.to_lowercase(), entry.number);
        }
    }
    let mut names: Vec<&String> = by_name.keys().collect();
    // Longest first, so that `September` is preferred to `Sep` in the alternation.
    names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let alternation = names
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|");
    Months {
        by_name,
        alternation,
    }
});

/// The regex source of one date with a year. With `named`, the parts are captured (`iy`/`im`/`id`,
/// `dd`/`dm`/`dy`, `mm`/`md`/`my`); without, the groups are non-capturing so that the source can be
/// embedded in a larger pattern.
pub(crate) fn date_pattern(named: bool) -> String {
    let g = |name: &str| {
        if named {
            format!("?P<{name}>")
        } else {
            "?:".to_string()
        }
    };
    let months = &MONTHS.alternation;
    let sp = r"[ \t\u{a0}]+";
    let weekday = format!(
        r"(?:\b(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?i:day|nesday|rsday|urday|sday)?\.?,?{sp})?"
    );
    let iso = format!(
        r"\b({}\d{{4}})[-/]({}\d{{1,2}})[-/]({}\d{{1,2}})",
        g("iy"),
        g("im"),
        g("id")
    );
    let dmy = format!(
        r"{weekday}\b({}\d{{1,2}})(?:st|nd|rd|th)?\.?{sp}(?:of{sp})?({}(?i:{months}))\b\.?,?{sp}({}\d{{4}})\b",
        g("dd"),
        g("dm"),
        g("dy")
    );
    let mdy = format!(
        r"{weekday}\b({}(?i:{months}))\b\.?{sp}({}\d{{1,2}})(?:st|nd|rd|th)?\b,?{sp}({}\d{{4}})\b",
        g("mm"),
        g("md"),
        g("my")
    );
    format!("(?:{iso}|{dmy}|{mdy})")
}

static DATE_ANYWHERE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&date_pattern(true)).expect("the date pattern compiles"));

static DATE_AT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("^{}", date_pattern(true))).expect("the date pattern compiles")
});

/// A date found in a string, with its byte range there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub(crate) date: Date,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// The date written at the very start of `s` (after no whitespace).
pub(crate) fn date_at_start(s: &str) -> Option<FoundDate> {
    let caps = DATE_AT_START.captures(s)?;
    to_found(s, &caps)
}

/// The first date written anywhere in `s`.
pub(crate) fn find_date(s: &str) -> Option<FoundDate> {
    DATE_ANYWHERE
        .captures_iter(s)
        .find_map(|caps| to_found(s, &caps))
}

fn to_found(s: &str, caps: &Captures<'_>) -> Option<FoundDate> {
    let whole = caps.get(0)?;
    let num = |name: &str| -> Option<i32> { caps.name(name)?.as_str().parse().ok() };
    let month = |name: &str| -> Option<i8> {
        let m = caps.name(name)?.as_str().to_lowercase();
        MONTHS.by_name.get(&m).copied()
    };
    let (year, month, day) = if caps.name("iy").is_some() {
        // An ISO date must not run on into more digits (`2025-09-091`).
        if s[whole.end()..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        (num("iy")?, i8::try_from(num("im")?).ok()?, num("id")?)
    } else if caps.name("dy").is_some() {
        (num("dy")?, month("dm")?, num("dd")?)
    } else {
        (num("my")?, month("mm")?, num("md")?)
    };
    if !(1000..=2999).contains(&year) {
        return None;
    }
    let date = Date::new(i16::try_from(year).ok()?, month, i8::try_from(day).ok()?).ok()?;
    Some(FoundDate {
        date,
        start: whole.start(),
        end: whole.end(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_month_table_loads() {
        assert_eq!(MONTHS.by_name.get("sept"), Some(&9));
        assert_eq!(MONTHS.by_name.get("may"), Some(&5));
        assert_eq!(MONTHS.by_name.len(), 25);
    }

    #[test]
    fn forms_of_dates() {
        let d = |s: &str| find_date(s).map(|f| f.date);
        assert_eq!(d("2025-09-09"), Some(date(2025, 9, 9)));
        assert_eq!(d("2024-03-12T09:30:00Z"), Some(date(2024, 3, 12)));
        assert_eq!(d("2024/3/2"), Some(date(2024, 3, 2)));
        assert_eq!(d("9 September 2025"), Some(date(2025, 9, 9)));
        assert_eq!(d("Sept. 9, 2025"), Some(date(2025, 9, 9)));
        assert_eq!(d("March 3rd, 2024"), Some(date(2024, 3, 3)));
        assert_eq!(d("3rd of March 2024"), Some(date(2024, 3, 3)));
        assert_eq!(d("Tue, 12 Mar 2024 09:30:00 GMT"), Some(date(2024, 3, 12)));
        assert_eq!(d("on 14 AUGUST 2021."), Some(date(2021, 8, 14)));
    }

    #[test]
    fn incomplete_or_impossible_dates_are_not_dates() {
        assert_eq!(find_date("September 2025"), None);
        assert_eq!(find_date("9 September"), None);
        assert_eq!(find_date("2025-02-30"), None);
        assert_eq!(find_date("2025-13-01"), None);
        assert_eq!(find_date("Mayor 3, 2024"), None);
        assert_eq!(find_date("2025-09-091"), None);
    }

    #[test]
    fn spans_and_anchoring() {
        let f = find_date("Published: Sept. 9, 2025 by x").unwrap();
        assert_eq!(f.start, 11);
        assert_eq!(f.end, 24);
        assert!(date_at_start("Published: Sept. 9, 2025").is_none());
        assert_eq!(date_at_start("2025-09-09 A delegation").unwrap().end, 10);
    }
}
