//! Resolution of value templates into TIMEX3 values.
//!
//! A filled template is literal TIMEX3 text with directives in it, each `@name(arg,arg)`:
//!
//! | directive | meaning | example (reference 1998-02-13) |
//! |---|---|---|
//! | `@rel(U,N)` | the unit `U` that is `N` units from the reference | `@rel(Y,-1)` → `1997` |
//! | `@anc(U,N)` | the same from the narrative's last date (the anchor) | `@anc(D,1)` "the next day" |
//! | `@shift(U,N)` | the anchor moved by `N` units, at the anchor's precision | `@shift(Y,-1)` "a year earlier" |
//! | `@md(M,D)` | month and day, year inferred | `@md(03,12)` → `1998-03-12` |
//! | `@wmd(M,D)` / `@wymd(Y,M,D)` | the week holding a month-day (year inferred) / a date | `@wmd(03,06)` → `1998-W10` |
//! | `@m(M)` | a month, year inferred | `@m(10)` → `1997-10` |
//! | `@mon(M,DIR)` | a month `last`, `next` or `this` | `@mon(10,last)` → `1997-10` |
//! | `@wd(N,DIR)` | a weekday, `news` (tense decides), `last`, `next`, `this` | `@wd(2,news)` → `1998-02-10` |
//! | `@season(S,DIR)` | a season, `infer`, `last`, `next`, `this` | `@season(FA,last)` → `1997-FA` |
//! | `@q(N,DIR)` / `@half(N,DIR)` | a quarter / half-year of the reference year (`infer`), or `last`/`next`/`this` | `@q(3,infer)` → `1998-Q3` |
//! | `@qago(N,DIR)` | the quarter `@q` names, a year before (a comparison: the anchor stays) | `@qago(3,infer)` → `1997-Q3` |
//! | `@dur(N,U)` | a duration | `@dur(2,H)` → `PT2H`, `@dur(X,Y)` → `PXY` |
//! | `@hm(H,M,AMPM)` | a clock time | `@hm(3,,pm)` → `15:00` |
//! | `@ref(D)` / `@anchor(D)` | the reference / anchor itself at day precision | |
//!
//! Units: `Y M W D Q HALF DE CE WE FN`. `N` may be `X` or `-X` (an unknown number): a relative point
//! then becomes `PAST_REF` / `FUTURE_REF`. Without a reference date, relative values keep `X`s in the
//! places the reference would have filled (`XXXX-10`).

use crate::TimexType;
use jiff::civil::{Date, Weekday};
use jiff::{Span, ToSpan};

/// Tense of the sentence an expression stands in, from cue words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Future,
    Unknown,
}

/// Precision of a calendar point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gran {
    Century,
    Decade,
    Year,
    Half,
    Quarter,
    Season,
    Month,
    Week,
    Weekend,
    Day,
}

/// A calendar period: a date inside it and its precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Point {
    pub date: Date,
    pub gran: Gran,
}

const SEASONS: [&str; 4] = ["SP", "SU", "FA", "WI"];

impl Point {
    fn format(&self) -> String {
        let d = self.date;
        let y = d.year();
        match self.gran {
            Gran::Century => format!("{:02}", y.div_euclid(100)),
            Gran::Decade => format!("{:03}", y.div_euclid(10)),
            Gran::Year => format!("{y:04}"),
            Gran::Half => format!("{y:04}-H{}", if d.month() <= 6 { 1 } else { 2 }),
            Gran::Quarter => format!("{y:04}-Q{}", (d.month() - 1) / 3 + 1),
            Gran::Season => {
                let (sy, s) = season_of(d);
                format!("{sy:04}-{}", SEASONS[s])
            }
            Gran::Month => format!("{y:04}-{:02}", d.month()),
            Gran::Week => {
                let w = d.iso_week_date();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Gran::Weekend => {
                let w = d.iso_week_date();
                format!("{:04}-W{:02}-WE", w.year(), w.week())
            }
            Gran::Day => format!("{y:04}-{:02}-{:02}", d.month(), d.day()),
        }
    }

    /// The same shape with `X`s for the unknown reference.
    fn unknown(gran: Gran) -> String {
        match gran {
            Gran::Century => "XX".into(),
            Gran::Decade => "XXX".into(),
            Gran::Year => "XXXX".into(),
            Gran::Half => "XXXX-HX".into(),
            Gran::Quarter => "XXXX-QX".into(),
            Gran::Season => "XXXX-XX".into(),
            Gran::Month => "XXXX-XX".into(),
            Gran::Week => "XXXX-WXX".into(),
            Gran::Weekend => "XXXX-WXX-WE".into(),
            Gran::Day => "XXXX-XX-XX".into(),
        }
    }
}

/// The season a date falls in: (year, index into SEASONS). January and February belong to the winter
/// of the year before.
fn season_of(d: Date) -> (i16, usize) {
    match d.month() {
        3..=5 => (d.year(), 0),
        6..=8 => (d.year(), 1),
        9..=11 => (d.year(), 2),
        12 => (d.year(), 3),
        _ => (d.year() - 1, 3),
    }
}

fn season_start(year: i16, index: usize) -> Option<Date> {
    let month = [3, 6, 9, 12][index];
    Date::new(year, month, 1).ok()
}

fn unit_gran(unit: &str) -> Option<Gran> {
    Some(match unit {
        "Y" => Gran::Year,
        "M" => Gran::Month,
        "W" | "FN" => Gran::Week,
        "D" => Gran::Day,
        "Q" => Gran::Quarter,
        "HALF" => Gran::Half,
        "DE" => Gran::Decade,
        "CE" => Gran::Century,
        "WE" => Gran::Weekend,
        "SE" => Gran::Season,
        _ => return None,
    })
}

fn unit_span(unit: &str, n: i64) -> Option<Span> {
    // The fallible constructors: "9999 centuries ago" must not panic on jiff's span limits.
    let s = Span::new();
    match unit {
        "Y" => s.try_years(n).ok(),
        "M" => s.try_months(n).ok(),
        "W" | "WE" => s.try_weeks(n).ok(),
        "FN" => s.try_weeks(n.checked_mul(2)?).ok(),
        "D" => s.try_days(n).ok(),
        "Q" | "SE" => s.try_months(n.checked_mul(3)?).ok(),
        "HALF" => s.try_months(n.checked_mul(6)?).ok(),
        "DE" => s.try_years(n.checked_mul(10)?).ok(),
        "CE" => s.try_years(n.checked_mul(100)?).ok(),
        _ => None,
    }
}

/// Start of the period of `gran` containing `d` (weeks start on Monday).
fn period_start(d: Date, gran: Gran) -> Date {
    let first_of = |m: i8| Date::new(d.year(), m, 1).unwrap_or(d);
    match gran {
        Gran::Century => Date::new(d.year() - d.year().rem_euclid(100), 1, 1).unwrap_or(d),
        Gran::Decade => Date::new(d.year() - d.year().rem_euclid(10), 1, 1).unwrap_or(d),
        Gran::Year => first_of(1),
        Gran::Half => first_of(if d.month() <= 6 { 1 } else { 7 }),
        Gran::Quarter => first_of((d.month() - 1) / 3 * 3 + 1),
        Gran::Season => {
            let (y, s) = season_of(d);
            season_start(y, s).unwrap_or(d)
        }
        Gran::Month => first_of(d.month()),
        Gran::Week | Gran::Weekend => {
            let back = i64::from(d.weekday().to_monday_zero_offset());
            d.checked_sub(back.days()).unwrap_or(d)
        }
        Gran::Day => d,
    }
}

/// Resolves templates in text order, keeping the narrative anchor.
pub(crate) struct Resolver {
    reference: Option<Date>,
    anchor: Option<Point>,
}

impl Resolver {
    pub(crate) fn new(reference: Option<Date>) -> Resolver {
        Resolver {
            reference,
            anchor: None,
        }
    }

    /// Resolves one filled template. `None` drops the expression (a template that makes no sense, such
    /// as 31 February).
    #[cfg(test)]
    pub(crate) fn resolve(
        &mut self,
        template: &str,
        tense: Tense,
        kind: TimexType,
    ) -> Option<String> {
        self.resolve_lazy(template, &|| tense, kind)
    }

    /// [`Resolver::resolve`] with the tense computed only if a directive needs it (most templates
    /// are plain values, and finding the tense means searching the text around the expression).
    pub(crate) fn resolve_lazy(
        &mut self,
        template: &str,
        tense: &dyn Fn() -> Tense,
        kind: TimexType,
    ) -> Option<String> {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        let mut last_point = None;
        while let Some(at) = rest.find('@') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let open = after.find('(')?;
            let close = after.find(')')?;
            let name = &after[..open];
            let args: Vec<&str> = after[open + 1..close].split(',').map(str::trim).collect();
            let (text, point) = self.directive(name, &args, tense)?;
            out.push_str(&text);
            if point.is_some() {
                last_point = point;
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        // Comparisons ("a year earlier", "a year ago") do not move the narrative.
        // (Checked at each `@`: most templates have none, and five substring searches cost more
        // than the rest of a plain value's resolution.)
        let comparison = template.match_indices('@').any(|(at, _)| {
            let after = &template[at + 1..];
            ["shift(", "shiftq(", "ago(", "inyear(", "qago("]
                .iter()
                .any(|d| after.starts_with(d))
        });
        if matches!(kind, TimexType::Date | TimexType::Time)
            && !comparison
            && let Some(p) = parse_point(&out).or(last_point)
        {
            self.anchor = Some(p);
        }
        Some(out)
    }

    fn anchor_or_reference(&self) -> Option<Point> {
        self.anchor.or(self.reference.map(|date| Point {
            date,
            gran: Gran::Day,
        }))
    }

    fn directive(
        &self,
        name: &str,
        args: &[&str],
        tense: &dyn Fn() -> Tense,
    ) -> Option<(String, Option<Point>)> {
        let arg = |i: usize| args.get(i).copied().unwrap_or("");
        let point = |p: Option<Point>, gran: Gran| match p {
            Some(p) => Some((p.format(), Some(p))),
            None => Some((Point::unknown(gran), None)),
        };
        match name {
            "rel" | "anc" => {
                let unit = arg(0);
                let gran = unit_gran(unit)?;
                let base = if name == "rel" {
                    self.reference.map(|date| Point {
                        date,
                        gran: Gran::Day,
                    })
                } else {
                    self.anchor_or_reference()
                };
                match parse_offset(arg(1))? {
                    Offset::Vague(sign) => Some((vague_ref(sign), None)),
                    Offset::Exact(n) => {
                        let p = base.and_then(|b| {
                            let d = period_start(b.date, gran)
                                .checked_add(unit_span(unit, n)?)
                                .ok()?;
                            Some(Point { date: d, gran })
                        });
                        point(p, gran)
                    }
                }
            }
            "shift" | "shiftq" | "ago" => {
                let unit = arg(0);
                let ugran = unit_gran(unit)?;
                // @shift(U,N), @shift(U,SIGN,N); @ago(U,N) is @shift(U,-1,N) from the reference.
                let (sign, n) = if name == "ago" {
                    ("-1", arg(1))
                } else if args.len() >= 3 {
                    (arg(1), arg(2))
                } else {
                    ("1", arg(1))
                };
                let negative = sign.starts_with('-');
                let offset = match parse_offset(n)? {
                    Offset::Exact(v) => Offset::Exact(if negative { -v } else { v }),
                    Offset::Vague(s) => Offset::Vague(if negative { -s } else { s }),
                };
                // "a year ago" in a text about quarters means the same quarter a year before.
                let base = match (name, self.anchor) {
                    ("ago", Some(a))
                        if unit == "Y" && matches!(a.gran, Gran::Quarter | Gran::Half) =>
                    {
                        Some(a)
                    }
                    ("ago", _) => None,
                    (_, a) => a,
                };
                match offset {
                    Offset::Vague(sign) => match base {
                        // "a few days later": the anchor, as precise as it was, if coarser than days.
                        Some(a) if a.gran < ugran => Some((a.format(), Some(a))),
                        _ => Some((vague_ref(sign), None)),
                    },
                    Offset::Exact(n) => {
                        let p = match base {
                            Some(b) => {
                                // @shiftq: "the year-ago quarter" is a quarter, however precise the anchor.
                                let gran = if name == "shiftq" {
                                    b.gran.min(Gran::Quarter)
                                } else {
                                    b.gran
                                };
                                b.date
                                    .checked_add(unit_span(unit, n)?)
                                    .ok()
                                    .map(|date| Point { date, gran })
                            }
                            None => self.reference.and_then(|r| {
                                let d = period_start(r, ugran)
                                    .checked_add(unit_span(unit, n)?)
                                    .ok()?;
                                Some(Point {
                                    date: d,
                                    gran: ugran,
                                })
                            }),
                        };
                        point(p, ugran)
                    }
                }
            }
            "inyear" => {
                // "the 1988 quarter": the quarter under discussion, in that year; else the year.
                let year: i16 = arg(0).parse().ok()?;
                let p = match self.anchor {
                    Some(a) if matches!(a.gran, Gran::Quarter | Gran::Half) => {
                        let month = a.date.month();
                        Date::new(year, month, 1)
                            .ok()
                            .map(|date| Point { date, gran: a.gran })
                    }
                    _ => Date::new(year, 1, 1).ok().map(|date| Point {
                        date,
                        gran: Gran::Year,
                    }),
                };
                point(p, Gran::Year)
            }
            "century" => {
                let n: i16 = arg(0).parse().ok()?;
                if !(1..=30).contains(&n) {
                    return None;
                }
                Some((format!("{:02}", n - 1), None))
            }
            "newyear" => {
                let Some(r) = self.reference else {
                    return Some(("XXXX".into(), None));
                };
                let year = if r.month() >= 10 {
                    r.year() + 1
                } else {
                    r.year()
                };
                let date = Date::new(year, 1, 1).ok()?;
                point(
                    Some(Point {
                        date,
                        gran: Gran::Year,
                    }),
                    Gran::Year,
                )
            }
            "ref" | "anchor" => {
                // The anchor only when it is a day: a clock time needs a day, not a month's first.
                let reference = self.reference.map(|date| Point {
                    date,
                    gran: Gran::Day,
                });
                let base = match (name, self.anchor) {
                    ("anchor", Some(a)) if a.gran == Gran::Day => Some(a),
                    _ => reference,
                };
                point(base, Gran::Day)
            }
            "md" | "wmd" => {
                let m: i8 = arg(0).parse().ok()?;
                let d: i8 = arg(1).parse().ok()?;
                // Reject impossible days in any year (31 February), allow 29 February.
                Date::new(2000, m, d).ok()?;
                // @wmd: the week that holds the day ("the week of March 6").
                let gran = if name == "wmd" { Gran::Week } else { Gran::Day };
                let Some(r) = self.year_base() else {
                    let unknown = if gran == Gran::Week {
                        Point::unknown(gran)
                    } else {
                        format!("XXXX-{m:02}-{d:02}")
                    };
                    return Some((unknown, None));
                };
                let best = self.closest_year(r, tense(), |y| Date::new(y, m, d).ok())?;
                point(Some(Point { date: best, gran }), gran)
            }
            "wymd" => {
                // The week that holds a full date.
                let y: i16 = arg(0).parse().ok()?;
                let m: i8 = arg(1).parse().ok()?;
                let d: i8 = arg(2).parse().ok()?;
                let date = Date::new(y, m, d).ok()?;
                point(
                    Some(Point {
                        date,
                        gran: Gran::Week,
                    }),
                    Gran::Week,
                )
            }
            "m" => {
                let m: i8 = arg(0).parse().ok()?;
                if !(1..=12).contains(&m) {
                    return None;
                }
                let Some(r) = self.year_base() else {
                    return Some((format!("XXXX-{m:02}"), None));
                };
                let best = self.closest_year(r, tense(), |y| Date::new(y, m, 15).ok())?;
                point(
                    Some(Point {
                        date: best,
                        gran: Gran::Month,
                    }),
                    Gran::Month,
                )
            }
            "mon" => {
                let m: i8 = arg(0).parse().ok()?;
                if !(1..=12).contains(&m) {
                    return None;
                }
                let Some(r) = self.reference else {
                    return Some((format!("XXXX-{m:02}"), None));
                };
                let year = match direction(arg(1)) {
                    "last" => {
                        if m < r.month() {
                            r.year()
                        } else {
                            r.year() - 1
                        }
                    }
                    "next" => {
                        if m > r.month() {
                            r.year()
                        } else {
                            r.year() + 1
                        }
                    }
                    _ => r.year(),
                };
                let date = Date::new(year, m, 1).ok()?;
                point(
                    Some(Point {
                        date,
                        gran: Gran::Month,
                    }),
                    Gran::Month,
                )
            }
            "wd" => {
                let n: i8 = arg(0).parse().ok()?;
                let wd = Weekday::from_monday_one_offset(n).ok()?;
                let Some(r) = self.weekday_base() else {
                    return Some((format!("XXXX-WXX-{n}"), None));
                };
                let dir = match (direction(arg(1)), tense()) {
                    ("news", Tense::Future) => "next_or_same",
                    ("news", _) => "last_or_same",
                    (other, _) => other,
                };
                let date = match dir {
                    "last" => r.nth_weekday(-1, wd).ok()?,
                    "next" => r.nth_weekday(1, wd).ok()?,
                    "next_or_same" if r.weekday() == wd => r,
                    "next_or_same" => r.nth_weekday(1, wd).ok()?,
                    "this" => {
                        let monday = period_start(r, Gran::Week);
                        monday
                            .checked_add(i64::from(wd.to_monday_zero_offset()).days())
                            .ok()?
                    }
                    _ if r.weekday() == wd => r,
                    _ => r.nth_weekday(-1, wd).ok()?,
                };
                point(
                    Some(Point {
                        date,
                        gran: Gran::Day,
                    }),
                    Gran::Day,
                )
            }
            "season" => {
                let s = SEASONS.iter().position(|c| *c == arg(0))?;
                let Some(r) = self.reference else {
                    return Some((format!("XXXX-{}", SEASONS[s]), None));
                };
                let (cy, cs) = season_of(r);
                let current = i32::from(cy) * 4 + cs as i32;
                let target = |k: i32| season_start(i16::try_from(k.div_euclid(4)).ok()?, s);
                let k = match direction(arg(1)) {
                    "last" => (current - 4..current).find(|k| k.rem_euclid(4) as usize == s)?,
                    "next" => {
                        (current + 1..=current + 4).find(|k| k.rem_euclid(4) as usize == s)?
                    }
                    "this" => i32::from(r.year()) * 4 + s as i32,
                    _ => {
                        let candidates =
                            (current - 3..=current + 3).filter(|k| k.rem_euclid(4) as usize == s);
                        match tense() {
                            Tense::Future => candidates.filter(|k| *k >= current).min()?,
                            _ => candidates.filter(|k| *k <= current).max()?,
                        }
                    }
                };
                point(
                    Some(Point {
                        date: target(k)?,
                        gran: Gran::Season,
                    }),
                    Gran::Season,
                )
            }
            "q" | "qago" | "half" => {
                let n: i8 = arg(0).parse().ok()?;
                let (gran, per, count) = if name != "half" {
                    (Gran::Quarter, 3, 4)
                } else {
                    (Gran::Half, 6, 2)
                };
                if !(1..=count).contains(&n) {
                    return None;
                }
                let Some(r) = self.year_base() else {
                    let letter = if name == "half" { 'H' } else { 'Q' };
                    return Some((format!("XXXX-{letter}{n}"), None));
                };
                let current = (r.month() - 1) / per + 1;
                let year = match direction(arg(1)) {
                    "last" if n >= current => r.year() - 1,
                    "next" if n <= current => r.year() + 1,
                    // A quarter still to come this year is last year's unless the sentence looks ahead.
                    "infer" if n > current && tense() != Tense::Future => r.year() - 1,
                    _ => r.year(),
                };
                // @qago: the same quarter a year before ("the year-ago third quarter").
                let year = if name == "qago" { year - 1 } else { year };
                let date = Date::new(year, (n - 1) * per + 1, 1).ok()?;
                point(Some(Point { date, gran }), gran)
            }
            "qctx" => {
                // "the quarter": the quarter under discussion, else the last completed one.
                let p = match (self.anchor, self.reference) {
                    (Some(a), Some(r)) if a.gran == Gran::Quarter && a.date.year() == r.year() => {
                        Some(a)
                    }
                    _ => self.reference.and_then(|r| {
                        let d = period_start(r, Gran::Quarter)
                            .checked_sub(3.months())
                            .ok()?;
                        Some(Point {
                            date: d,
                            gran: Gran::Quarter,
                        })
                    }),
                };
                point(p, Gran::Quarter)
            }
            "nthwd" => {
                // A floating holiday: the N-th weekday W of month M, year inferred as for @md.
                let m: i8 = arg(0).parse().ok()?;
                let n: i64 = arg(1).parse().ok()?;
                let wd = Weekday::from_monday_one_offset(arg(2).parse().ok()?).ok()?;
                let make = |y: i16| {
                    let first = Date::new(y, m, 1).ok()?;
                    let d = if first.weekday() == wd {
                        first
                    } else {
                        first.nth_weekday(1, wd).ok()?
                    };
                    d.checked_add(jiff::Span::new().weeks(n - 1)).ok()
                };
                let Some(r) = self.year_base() else {
                    return Some((format!("XXXX-{m:02}-XX"), None));
                };
                let best = self.closest_year(r, tense(), make)?;
                point(
                    Some(Point {
                        date: best,
                        gran: Gran::Day,
                    }),
                    Gran::Day,
                )
            }
            "lastweekend" => {
                // "the weekend": this week's when said on a Saturday or Sunday, else the one before.
                let p = self.reference.and_then(|r| {
                    let back = if r.weekday().to_monday_one_offset() >= 6 {
                        0
                    } else {
                        1
                    };
                    let date = r.checked_sub(jiff::Span::new().weeks(back)).ok()?;
                    Some(Point {
                        date,
                        gran: Gran::Weekend,
                    })
                });
                point(p, Gran::Weekend)
            }
            "dur" => Some((duration(arg(0), arg(1))?, None)),
            "hm" => {
                let mut h: i8 = arg(0).parse().ok()?;
                let m: i8 = if arg(1).is_empty() {
                    0
                } else {
                    arg(1).parse().ok()?
                };
                let ampm = arg(2);
                if ampm.starts_with('p') && h < 12 {
                    h += 12;
                } else if ampm.starts_with('a') && h == 12 {
                    h = 0;
                }
                if !(0..=24).contains(&h) || !(0..60).contains(&m) {
                    return None;
                }
                Some((format!("{h:02}:{m:02}"), None))
            }
            _ => None,
        }
    }

    /// The date whose year decides a month or month-day without a year: the reference (news style; a
    /// narrative anchor drifts too easily from one year to the next). Without a reference the year stays
    /// unknown (`XXXX`), which is what document-date inference needs.
    fn year_base(&self) -> Option<Date> {
        self.reference
    }

    fn weekday_base(&self) -> Option<Date> {
        self.reference.or(self.anchor.map(|a| a.date))
    }

    /// Among the same month-day in the years around `base`, the one nearest to it, the tense tipping
    /// the balance.
    fn closest_year(
        &self,
        base: Date,
        tense: Tense,
        make: impl Fn(i16) -> Option<Date>,
    ) -> Option<Date> {
        let candidates: Vec<Date> = (base.year() - 1..=base.year() + 1)
            .filter_map(make)
            .collect();
        let distance =
            |d: &Date| (d.to_jiff_timestamp_days() - base.to_jiff_timestamp_days()).abs();
        // News mostly reports: a tense cue tips the balance by four months towards its side (cues are
        // too rough to decide alone); without one, a date ahead must be five months nearer to win.
        let bias = |d: &Date| match tense {
            Tense::Past if *d > base => 120,
            Tense::Future if *d < base => 120,
            Tense::Unknown if *d > base => 150,
            _ => 0,
        };
        candidates
            .iter()
            .copied()
            .min_by_key(|d| distance(d) + bias(d))
    }
}

trait DaysSince {
    fn to_jiff_timestamp_days(&self) -> i64;
}

impl DaysSince for Date {
    fn to_jiff_timestamp_days(&self) -> i64 {
        let epoch = Date::constant(1970, 1, 1);
        self.since(epoch)
            .map(|s| i64::from(s.get_days()))
            .unwrap_or(0)
    }
}

/// Direction words and numbers alike: `-1`/`last`, `0`/`this`, `1`/`next`; anything else as it is.
fn direction(s: &str) -> &str {
    match s {
        "-1" => "last",
        "0" => "this",
        "1" => "next",
        other => other,
    }
}

enum Offset {
    Exact(i64),
    Vague(i8),
}

fn parse_offset(s: &str) -> Option<Offset> {
    let s = s.replace("--", "").replace("+-", "-").replace("-+", "-");
    let s = s.trim_start_matches('+');
    if s == "X" {
        return Some(Offset::Vague(1));
    }
    if s == "-X" {
        return Some(Offset::Vague(-1));
    }
    let v: f64 = s.parse().ok()?;
    if v.fract() != 0.0 {
        return Some(Offset::Vague(if v < 0.0 { -1 } else { 1 }));
    }
    Some(Offset::Exact(v as i64))
}

fn vague_ref(sign: i8) -> String {
    if sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.to_string()
}

/// A TIMEX3 duration: `P3Y`, `PT2H`, `PXM`; fractions move down a unit (`0.5,Y` → `P6M`).
fn duration(n: &str, unit: &str) -> Option<String> {
    let time_unit = matches!(unit, "H" | "MIN" | "S");
    let letter = match unit {
        "MIN" => "M",
        "FN" => "W",
        "HALF" => "M",
        "WE" => "WE",
        u => u,
    };
    let prefix = if time_unit { "PT" } else { "P" };
    if n == "X" {
        let letter = if matches!(unit, "DE" | "CE") {
            "Y"
        } else {
            letter
        };
        return Some(format!("{prefix}X{letter}"));
    }
    let v: f64 = n.parse().ok()?;
    let (v, letter, prefix) = match unit {
        "Q" => (v * 3.0, "M", prefix),
        "DE" => (v * 10.0, "Y", prefix),
        "CE" => (v * 100.0, "Y", prefix),
        "FN" => (v * 2.0, "W", prefix),
        "HALF" => (v * 6.0, "M", prefix),
        "WE" => (v * 2.0, "D", prefix),
        _ => (v, letter, prefix),
    };
    if v.fract() == 0.0 {
        return Some(format!("{prefix}{}{letter}", v as i64));
    }
    let (factor, smaller, p) = match unit {
        "Y" => (12.0, "M", "P"),
        "M" => (30.0, "D", "P"),
        "W" => (7.0, "D", "P"),
        "D" => (24.0, "H", "PT"),
        "H" => (60.0, "M", "PT"),
        "MIN" => (60.0, "S", "PT"),
        "DE" => (10.0, "Y", "P"),
        "CE" => (100.0, "Y", "P"),
        _ => return Some(format!("{prefix}{v}{letter}")),
    };
    // A fraction goes to the next smaller unit: 2.5 years is P2Y6M, 5.5 hours PT5H30M.
    let whole = v.trunc();
    let part = (v - whole) * factor;
    if part.fract().abs() > 1e-9 {
        return Some(format!("{prefix}{v}{letter}"));
    }
    let time = if p == "PT" && !time_unit { "T" } else { "" };
    Some(match (whole as i64, part as i64) {
        (0, n) => format!("{p}{n}{smaller}"),
        (w, n) => format!("{prefix}{w}{letter}{time}{n}{smaller}"),
    })
}

/// Reads back a literal TIMEX3 calendar value (so literal dates move the anchor too).
fn parse_point(v: &str) -> Option<Point> {
    let b = v.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i16> { v.get(r)?.parse().ok() };
    if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let y = num(0..4)?;
    if b.len() == 4 {
        return Some(Point {
            date: Date::new(y, 1, 1).ok()?,
            gran: Gran::Year,
        });
    }
    if b.get(4) != Some(&b'-') {
        return None;
    }
    let rest = &v[5..];
    if let Some(q) = rest.strip_prefix('Q') {
        let q: i8 = q.parse().ok()?;
        return Some(Point {
            date: Date::new(y, (q - 1) * 3 + 1, 1).ok()?,
            gran: Gran::Quarter,
        });
    }
    if let Some(s) = SEASONS.iter().position(|s| *s == rest) {
        return Some(Point {
            date: season_start(y, s)?,
            gran: Gran::Season,
        });
    }
    let m: i8 = v.get(5..7)?.parse().ok()?;
    if b.len() == 7 {
        return Some(Point {
            date: Date::new(y, m, 1).ok()?,
            gran: Gran::Month,
        });
    }
    let d: i8 = v.get(8..10)?.parse().ok()?;
    Some(Point {
        date: Date::new(y, m, d).ok()?,
        gran: Gran::Day,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(reference: &str, template: &str, tense: Tense) -> String {
        let mut res = Resolver::new(Some(reference.parse().unwrap()));
        res.resolve(template, tense, TimexType::Date).unwrap()
    }

    #[test]
    fn relative_units() {
        assert_eq!(r("1998-02-13", "@rel(Y,-1)", Tense::Unknown), "1997");
        assert_eq!(r("1998-02-13", "@rel(W,-1)", Tense::Unknown), "1998-W06");
        assert_eq!(r("1998-02-13", "@rel(Q,-1)", Tense::Unknown), "1997-Q4");
        assert_eq!(r("1998-02-13", "@rel(D,1)", Tense::Unknown), "1998-02-14");
        assert_eq!(r("1998-02-13", "@rel(Y,-X)", Tense::Unknown), "PAST_REF");
    }

    #[test]
    fn weekdays_in_news_are_the_most_recent_unless_future() {
        // 1998-02-13 is a Friday.
        assert_eq!(r("1998-02-13", "@wd(2,news)", Tense::Past), "1998-02-10");
        assert_eq!(r("1998-02-13", "@wd(5,news)", Tense::Past), "1998-02-13");
        assert_eq!(r("1998-02-13", "@wd(2,news)", Tense::Future), "1998-02-17");
    }

    #[test]
    fn months_and_seasons() {
        assert_eq!(r("1998-01-08", "@m(10)", Tense::Unknown), "1997-10");
        assert_eq!(r("2024-01-15", "@mon(10,last)", Tense::Unknown), "2023-10");
        assert_eq!(
            r("2024-02-01", "@season(FA,last)", Tense::Unknown),
            "2023-FA"
        );
        assert_eq!(r("2022-04-20", "@md(04,06)", Tense::Unknown), "2022-04-06");
        assert_eq!(r("2024-01-10", "@md(12,07)", Tense::Unknown), "2023-12-07");
    }

    #[test]
    fn the_same_quarter_a_year_before_leaves_the_anchor() {
        let mut res = Resolver::new(Some("1989-11-02".parse().unwrap()));
        let mut q = |t: &str| res.resolve(t, Tense::Past, TimexType::Date).unwrap();
        assert_eq!(q("@q(3,infer)"), "1989-Q3");
        assert_eq!(q("@qago(3,infer)"), "1988-Q3");
        // The narrative is still in the 1989 quarter.
        assert_eq!(q("@qctx()"), "1989-Q3");
        // In January the fourth quarter is last year's, and its year-ago quarter the one before.
        assert_eq!(r("1990-01-20", "@qago(4,infer)", Tense::Past), "1988-Q4");
    }

    #[test]
    fn the_week_holding_a_day() {
        // 2000-03-06 is the Monday of ISO week 10; 2021-01-01 is in week 53 of 2020.
        assert_eq!(r("2000-02-24", "@wmd(03,06)", Tense::Unknown), "2000-W10");
        assert_eq!(
            r("2021-05-01", "@wymd(2021,01,01)", Tense::Unknown),
            "2020-W53"
        );
        let mut res = Resolver::new(None);
        assert_eq!(
            res.resolve("@wmd(03,06)", Tense::Unknown, TimexType::Date)
                .unwrap(),
            "XXXX-WXX"
        );
        assert_eq!(
            res.resolve("@md(03,06)", Tense::Unknown, TimexType::Date)
                .unwrap(),
            "XXXX-03-06"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration("3", "Y").unwrap(), "P3Y");
        assert_eq!(duration("2", "H").unwrap(), "PT2H");
        assert_eq!(duration("0.5", "Y").unwrap(), "P6M");
        assert_eq!(duration("2.5", "Y").unwrap(), "P2Y6M");
        assert_eq!(duration("5.5", "H").unwrap(), "PT5H30M");
        assert_eq!(duration("1.5", "MIN").unwrap(), "PT1M30S");
        assert_eq!(duration("0.5", "MIN").unwrap(), "PT30S");
        assert_eq!(duration("1.5", "D").unwrap(), "P1DT12H");
        assert_eq!(duration("3", "DE").unwrap(), "P30Y");
        assert_eq!(duration("X", "M").unwrap(), "PXM");
    }

    #[test]
    fn anchors_follow_the_narrative() {
        let mut res = Resolver::new(Some("1989-10-26".parse().unwrap()));
        assert_eq!(
            res.resolve("@q(3,infer)", Tense::Past, TimexType::Date)
                .unwrap(),
            "1989-Q3"
        );
        assert_eq!(
            res.resolve("@shift(Y,-1)", Tense::Past, TimexType::Date)
                .unwrap(),
            "1988-Q3"
        );
        assert_eq!(
            res.resolve("2022-01-14", Tense::Past, TimexType::Date)
                .unwrap(),
            "2022-01-14"
        );
        assert_eq!(
            res.resolve("@anc(D,1)", Tense::Past, TimexType::Date)
                .unwrap(),
            "2022-01-15"
        );
    }
}
