//! Dates at the precision the text gives: `2022-01-14` is a day, `2022-01` a month, `2022` a year,
//! `2022-W03` a week, `2022-Q1` a quarter, `2022-SU` a season, `2022-H1` a half. A [`Period`] is the
//! span of days such a value stands for, so that events sort and filter by what their date means
//! (a year-only event is the whole year, not 1 January).

use jiff::civil::{Date, ISOWeekDate, Weekday};
use serde::Serialize;

/// How precise a date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// A day.
    Day,
    /// An ISO week.
    Week,
    /// A month.
    Month,
    /// A season (`SP`, `SU`, `FA`, `WI`).
    Season,
    /// A quarter.
    Quarter,
    /// A half year.
    Half,
    /// A year.
    Year,
}

impl Precision {
    /// Finer precisions rank lower.
    pub fn rank(self) -> u8 {
        match self {
            Precision::Day => 0,
            Precision::Week => 1,
            Precision::Month => 2,
            Precision::Season | Precision::Quarter => 3,
            Precision::Half => 4,
            Precision::Year => 5,
        }
    }

    /// `day`, `week`, `month` …
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Season => "season",
            Precision::Quarter => "quarter",
            Precision::Half => "half",
            Precision::Year => "year",
        }
    }
}

/// The days a date value stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    /// Its precision.
    pub precision: Precision,
    /// First day.
    pub lo: Date,
    /// Last day.
    pub hi: Date,
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn month_end(year: i16, month: i8) -> Option<Date> {
    Some(Date::new(year, month, 1).ok()?.last_of_month())
}

impl Period {
    /// The period of an ISO/TIMEX3 date value, or `None` for values that are not a calendar period
    /// of a year or less (`PAST_REF`, `199`, durations …).
    pub fn parse(value: &str) -> Option<Period> {
        let parts: Vec<&str> = value.split('-').collect();
        let year: i16 = if parts[0].len() == 4 {
            num(parts[0])?
        } else {
            return None;
        };
        let span = |precision, lo: Date, hi: Date| Some(Period { precision, lo, hi });
        match parts.as_slice() {
            [_] => span(
                Precision::Year,
                Date::new(year, 1, 1).ok()?,
                Date::new(year, 12, 31).ok()?,
            ),
            [_, m] if m.len() == 2 && num::<i8>(m).is_some() => {
                let m: i8 = num(m)?;
                span(
                    Precision::Month,
                    Date::new(year, m, 1).ok()?,
                    month_end(year, m)?,
                )
            }
            [_, m, d] if d.len() == 2 => {
                let day = Date::new(year, num(m)?, num(d)?).ok()?;
                span(Precision::Day, day, day)
            }
            [_, w] if w.starts_with('W') && num::<i8>(&w[1..]).is_some() => {
                let week: i8 = num(&w[1..])?;
                let lo = ISOWeekDate::new(year, week, Weekday::Monday).ok()?.date();
                let hi = ISOWeekDate::new(year, week, Weekday::Sunday).ok()?.date();
                span(Precision::Week, lo, hi)
            }
            [_, q] if q.starts_with('Q') => {
                let q: i8 = num(&q[1..])?;
                if !(1..=4).contains(&q) {
                    return None;
                }
                let first = (q - 1) * 3 + 1;
                span(
                    Precision::Quarter,
                    Date::new(year, first, 1).ok()?,
                    month_end(year, first + 2)?,
                )
            }
            [_, h] if h.starts_with('H') => {
                let h: i8 = num(&h[1..])?;
                let (a, b) = match h {
                    1 => (1, 6),
                    2 => (7, 12),
                    _ => return None,
                };
                span(
                    Precision::Half,
                    Date::new(year, a, 1).ok()?,
                    month_end(year, b)?,
                )
            }
            [_, s] => {
                let (lo, hi) = match *s {
                    "SP" => (Date::new(year, 3, 1).ok()?, month_end(year, 5)?),
                    "SU" => (Date::new(year, 6, 1).ok()?, month_end(year, 8)?),
                    "FA" => (Date::new(year, 9, 1).ok()?, month_end(year, 11)?),
                    "WI" => (
                        Date::new(year, 12, 1).ok()?,
                        month_end(year.checked_add(1)?, 2)?,
                    ),
                    _ => return None,
                };
                span(Precision::Season, lo, hi)
            }
            _ => None,
        }
    }

    /// Whether `other` lies inside this period.
    pub fn contains(&self, other: &Period) -> bool {
        self.lo <= other.lo && other.hi <= self.hi
    }

    /// Whether the two periods share a day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }
}

/// The first day of a date filter value (`2022` → 2022-01-01), if it is a date.
pub fn filter_lo(value: &str) -> Option<String> {
    Period::parse(value).map(|p| p.lo.to_string())
}

/// The last day of a date filter value (`2022` → 2022-12-31), if it is a date.
pub fn filter_hi(value: &str) -> Option<String> {
    Period::parse(value).map(|p| p.hi.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(v: &str) -> Option<(Precision, String, String)> {
        Period::parse(v).map(|p| (p.precision, p.lo.to_string(), p.hi.to_string()))
    }

    #[test]
    fn values_become_periods() {
        let p = |prec, lo: &str, hi: &str| Some((prec, lo.to_string(), hi.to_string()));
        assert_eq!(
            span("2022-01-14"),
            p(Precision::Day, "2022-01-14", "2022-01-14")
        );
        assert_eq!(
            span("2024-02"),
            p(Precision::Month, "2024-02-01", "2024-02-29")
        );
        assert_eq!(span("2022"), p(Precision::Year, "2022-01-01", "2022-12-31"));
        assert_eq!(
            span("2013-W11"),
            p(Precision::Week, "2013-03-11", "2013-03-17")
        );
        assert_eq!(
            span("2024-Q2"),
            p(Precision::Quarter, "2024-04-01", "2024-06-30")
        );
        assert_eq!(
            span("2023-WI"),
            p(Precision::Season, "2023-12-01", "2024-02-29")
        );
        assert_eq!(
            span("2023-H2"),
            p(Precision::Half, "2023-07-01", "2023-12-31")
        );
        for bad in [
            "PAST_REF",
            "199",
            "P4Y",
            "2022-13",
            "2022-02-30",
            "",
            "-",
            "2022-Q5",
            "x-y-z",
        ] {
            assert_eq!(span(bad), None, "{bad}");
        }
        let year = Period::parse("2022").unwrap();
        let day = Period::parse("2022-03-01").unwrap();
        assert!(year.contains(&day) && !day.contains(&year) && day.overlaps(&year));
        assert_eq!(filter_hi("2022-02").as_deref(), Some("2022-02-28"));
        assert_eq!(filter_lo("soon"), None);
    }
}
