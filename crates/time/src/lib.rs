//! Temporal tagging for peacetrack: finds DATE, TIME, DURATION and SET expressions in English text and
//! normalises them to TIMEX3 values (TimeML 1.2) against a reference date.
//!
//! # Brief overview
//! - [`Tagger`] holds the compiled rules and lexicons. Build it once ([`Tagger::new`] for the rules shipped
//!   in `data/`, [`Tagger::from_dir`] for an analyst's copy) and call [`Tagger::tag`] for every text.
//! - Tagging is a pure function of the text and the reference date: no IO, no clock.
//! - [`timeml`] reads TimeML documents and scores a tagger against them (TempEval-3 Task A).
//! - [`docdate`] infers a document's date from its content when the document does not state one.

pub mod docdate;
pub mod timeml;

mod normalise;
mod resolve;
mod tagger;

pub use tagger::{RuleError, Tagger};

use serde::Serialize;

/// The four TIMEX3 types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    /// A calendar date or period: `2022-01-14`, `2022-03`, `199`, `2023-FA`, `PAST_REF`.
    Date,
    /// A time of day: `2013-03-22T10:00`, `1998-02-13TMO`.
    Time,
    /// A length of time: `P4Y`, `PT2H`, `PXM`.
    Duration,
    /// A recurring time: `P1D` (daily), `XXXX-WI` (every winter).
    Set,
}

impl TimexType {
    /// The TIMEX3 spelling: `DATE`, `TIME`, `DURATION` or `SET`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }

    /// Parses the TIMEX3 spelling (case-insensitive).
    pub fn parse(s: &str) -> Option<TimexType> {
        match s.to_ascii_uppercase().as_str() {
            "DATE" => Some(TimexType::Date),
            "TIME" => Some(TimexType::Time),
            "DURATION" => Some(TimexType::Duration),
            "SET" => Some(TimexType::Set),
            _ => None,
        }
    }
}

/// One temporal expression found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Timex {
    /// Byte offset of the first byte of the expression in the tagged text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// TIMEX3 type.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// Normalised TIMEX3 value, e.g. `2022-01-14`, `P4Y`, `PAST_REF`, `XXXX-WI`.
    pub value: String,
    /// TIMEX3 `mod` (`START`, `MID`, `END`, `APPROX`, `MORE_THAN`, …) where the text gives one.
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// Name of the rule that found it (for debugging and evaluation reports).
    #[serde(skip)]
    pub rule: String,
}
