//! Outcomes (`ISSUE=STATE`), the ladders of states an issue climbs, and partial ISO dates.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The default ladder of an issue's states, lowest first: a state satisfies every state below it.
pub const DEFAULT_LADDER: [&str; 6] = [
    "proposed",
    "agreed_in_principle",
    "initialled",
    "signed",
    "ratified",
    "implemented",
];

/// The default states outside the ladder: each satisfies only itself.
pub const DEFAULT_OFF_LADDER: [&str; 2] = ["rejected", "stalled"];

/// One state of one issue, written `ISSUE=STATE` (`treaty=signed`). The nodes of the condition
/// graph. Serialised as that string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome {
    /// The issue id.
    pub issue: String,
    /// The state id.
    pub state: String,
}

impl Outcome {
    /// An outcome from its two parts.
    pub fn new(issue: impl Into<String>, state: impl Into<String>) -> Outcome {
        Outcome {
            issue: issue.into(),
            state: state.into(),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.issue, self.state)
    }
}

/// Why a string is not an `ISSUE=STATE` outcome.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not of the form ISSUE=STATE (one `=`, both sides non-empty, no spaces)")]
pub struct OutcomeSyntaxError(pub String);

impl FromStr for Outcome {
    type Err = OutcomeSyntaxError;

    fn from_str(s: &str) -> Result<Outcome, OutcomeSyntaxError> {
        let bad = || OutcomeSyntaxError(s.to_string());
        let (issue, state) = s.split_once('=').ok_or_else(bad)?;
        let (issue, state) = (issue.trim(), state.trim());
        let ok = |p: &str| !p.is_empty() && !p.contains('=') && !p.contains(char::is_whitespace);
        if !ok(issue) || !ok(state) {
            return Err(bad());
        }
        Ok(Outcome::new(issue, state))
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Outcome, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The states of one issue: the ladder (ordered, lowest first) and the states off the ladder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct States {
    /// Ladder states, lowest first. A state on the ladder satisfies itself and every lower one.
    pub ladder: Vec<String>,
    /// States off the ladder (`rejected`, `stalled`): each satisfies only itself.
    pub off_ladder: Vec<String>,
}

impl Default for States {
    fn default() -> States {
        States {
            ladder: DEFAULT_LADDER.iter().map(|s| s.to_string()).collect(),
            off_ladder: DEFAULT_OFF_LADDER.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl States {
    /// Whether `state` is one of the issue's states.
    pub fn contains(&self, state: &str) -> bool {
        self.rank(state).is_some()
    }

    /// A total order of the states for deterministic sorting: ladder states by position, then the
    /// off-ladder states in their declared order.
    pub fn rank(&self, state: &str) -> Option<usize> {
        if let Some(i) = self.ladder.iter().position(|s| s == state) {
            return Some(i);
        }
        self.off_ladder
            .iter()
            .position(|s| s == state)
            .map(|i| self.ladder.len() + i)
    }

    /// Whether an issue that reached `have` thereby satisfies a requirement for `need`: the same
    /// state, or both on the ladder with `have` at or above `need`.
    pub fn satisfies(&self, have: &str, need: &str) -> bool {
        if have == need {
            return self.contains(have);
        }
        let pos = |s: &str| self.ladder.iter().position(|x| x == s);
        matches!((pos(have), pos(need)), (Some(h), Some(n)) if h >= n)
    }

    /// All states, ladder first.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.ladder
            .iter()
            .chain(self.off_ladder.iter())
            .map(|s| s.as_str())
    }
}

/// How precise a date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// No usable date (absent, vague like `PAST_REF`, or not ISO).
    None,
    /// `YYYY`.
    Year,
    /// `YYYY-MM`.
    Month,
    /// `YYYY-MM-DD`.
    Day,
}

/// An ISO date at year, month or day precision (`2022`, `2022-03`, `2022-03-14`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct PartialDate {
    /// Year.
    pub year: i32,
    /// Month 1–12, if known.
    pub month: Option<u8>,
    /// Day 1–31, if known (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (four-digit year, month 1–12, day valid for the
    /// month, leap years included). Anything else gives `None`.
    pub fn parse(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        let mut parts = s.split('-');
        let y = parts.next()?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let num = |p: &str| -> Option<u8> {
            if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        };
        let month = match parts.next() {
            None => None,
            Some(m) => Some(num(m).filter(|m| (1..=12).contains(m))?),
        };
        let day = match parts.next() {
            None => None,
            Some(d) => {
                let d = num(d)?;
                let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                let max = match month? {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                Some(Some(d).filter(|d| (1..=max).contains(d))?)
            }
        };
        if parts.next().is_some() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// The precision of this date.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The sort key: the first day of the period, then the coarser precision first (a step dated
    /// only `2022` sorts before one dated `2022-01-01`, since it says less about when).
    pub fn sort_key(&self) -> (i32, u8, u8, Precision) {
        (
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1),
            self.precision(),
        )
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_parse_and_print() {
        let o: Outcome = "treaty=signed".parse().unwrap();
        assert_eq!(o, Outcome::new("treaty", "signed"));
        assert_eq!(o.to_string(), "treaty=signed");
        assert_eq!(
            " a = b ".parse::<Outcome>().unwrap(),
            Outcome::new("a", "b")
        );
        for bad in ["", "treaty", "=signed", "treaty=", "a=b=c", "a b=c"] {
            assert!(bad.parse::<Outcome>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&o).unwrap();
        assert_eq!(json, "\"treaty=signed\"");
        assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), o);
    }

    #[test]
    fn ladder_satisfaction() {
        let s = States::default();
        assert!(s.satisfies("ratified", "signed"));
        assert!(s.satisfies("signed", "signed"));
        assert!(!s.satisfies("signed", "ratified"));
        assert!(!s.satisfies("rejected", "proposed"));
        assert!(!s.satisfies("implemented", "rejected"));
        assert!(s.satisfies("rejected", "rejected"));
        assert!(!s.satisfies("unknown", "unknown"));
        assert_eq!(s.rank("proposed"), Some(0));
        assert_eq!(s.rank("rejected"), Some(6));
        assert_eq!(s.rank("stalled"), Some(7));
        assert_eq!(s.rank("held"), None);
    }

    #[test]
    fn dates_parse_with_precision_and_order() {
        let d = |s| PartialDate::parse(s);
        assert_eq!(d("2022").unwrap().precision(), Precision::Year);
        assert_eq!(d("2022-03").unwrap().precision(), Precision::Month);
        assert_eq!(d("2022-03-14").unwrap().precision(), Precision::Day);
        assert_eq!(d("2022-03-14").unwrap().to_string(), "2022-03-14");
        assert_eq!(d("2024-02-29").unwrap().day, Some(29));
        for bad in [
            "",
            "22",
            "2022-3",
            "2022-13",
            "2023-02-29",
            "2022-04-31",
            "PAST_REF",
            "2022-01-01-01",
            "2022-W03",
            "२०२२",
        ] {
            assert!(d(bad).is_none(), "{bad}");
        }
        assert!(d("2022").unwrap() < d("2022-01-01").unwrap());
        assert!(d("2022-01").unwrap() < d("2022-01-01").unwrap());
        assert!(d("2022-12").unwrap() < d("2023").unwrap());
    }
}
