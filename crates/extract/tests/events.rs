//! Table-driven tests of events and conditions from `tests/data/events.toml` and
//! `tests/data/conditions.toml`: invented sentences and everything the extractor must find in them.
//! Each file documents its schema at the top; every failing case is reported, not just the first.

use peacetrack_extract::{Condition, Event, Extractor};
use peacetrack_time::Tagger;
use proptest::prelude::*;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static EXTRACTOR: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::load_default().expect("the shipped data loads"));
static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new().expect("the rules compile"));

mod common;
use common::{check, read};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFile {
    case: Vec<EventCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventCase {
    text: String,
    doc_date: Option<String>,
    #[serde(default)]
    event: Vec<WantEvent>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct WantEvent {
    #[serde(rename = "type")]
    kind: String,
    mode: String,
    date: Option<String>,
    #[serde(default)]
    actors: BTreeSet<String>,
    #[serde(default)]
    countries: BTreeSet<String>,
    place: Option<String>,
    #[serde(default)]
    negated: bool,
    #[serde(default)]
    hypothetical: bool,
    #[serde(default)]
    future: bool,
}

impl From<&Event> for WantEvent {
    fn from(e: &Event) -> WantEvent {
        WantEvent {
            kind: e.kind.clone(),
            mode: e.mode.clone(),
            date: e.date.clone(),
            actors: e.actors.iter().cloned().collect(),
            countries: e.countries.iter().cloned().collect(),
            place: e.place.clone(),
            negated: e.negated,
            hypothetical: e.hypothetical,
            future: e.future,
        }
    }
}

fn events_of(text: &str, doc_date: Option<&str>) -> Vec<Event> {
    let reference = doc_date.map(|d| d.parse().expect("doc_date is an ISO day"));
    let timexes = TAGGER.tag(text, reference);
    let sentences = EXTRACTOR.sentences(text);
    let mentions = EXTRACTOR.find_mentions(text);
    EXTRACTOR.events(text, &sentences, &mentions, &timexes, doc_date)
}

#[test]
fn event_cases() {
    let file: EventFile = read("events.toml");
    let mut failures = Vec::new();
    for c in &file.case {
        let events = events_of(&c.text, c.doc_date.as_deref());
        for e in &events {
            assert_eq!(&c.text[e.start..e.end], {
                let s = EXTRACTOR
                    .sentences(&c.text)
                    .into_iter()
                    .find(|s| s.start <= e.trigger_span.start && e.trigger_span.end <= s.end)
                    .expect("the trigger lies in a sentence");
                &c.text[s.start..s.end]
            });
            assert_eq!(&c.text[e.trigger_span.start..e.trigger_span.end], e.trigger);
        }
        let got: Vec<WantEvent> = events.iter().map(WantEvent::from).collect();
        if got != c.event {
            failures.push(format!(
                "{:?}\n  want {:#?}\n  got  {:#?}",
                c.text, c.event, got
            ));
        }
    }
    check(failures);
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionFile {
    case: Vec<ConditionCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionCase {
    text: String,
    #[serde(default)]
    condition: Vec<WantCondition>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct WantCondition {
    what: String,
    requires: String,
    cue: String,
    asserted_by: Option<String>,
}

impl From<&Condition> for WantCondition {
    fn from(c: &Condition) -> WantCondition {
        WantCondition {
            what: c.what.clone(),
            requires: c.requires.clone(),
            cue: c.cue.clone(),
            asserted_by: c.asserted_by.clone(),
        }
    }
}

#[test]
fn condition_cases() {
    let file: ConditionFile = read("conditions.toml");
    let mut failures = Vec::new();
    for c in &file.case {
        let sentences = EXTRACTOR.sentences(&c.text);
        let mentions = EXTRACTOR.find_mentions(&c.text);
        let conditions = EXTRACTOR.conditions(&c.text, &sentences, &mentions);
        for k in &conditions {
            // Both sides are spans of the text, inside the condition's evidence.
            assert_eq!(k.what_span.as_str(&c.text), k.what);
            assert_eq!(k.requires_span.as_str(&c.text), k.requires);
            assert!(k.start <= k.what_span.start && k.what_span.end <= k.end);
            assert!(k.start <= k.requires_span.start && k.requires_span.end <= k.end);
        }
        let got: Vec<WantCondition> = conditions.iter().map(WantCondition::from).collect();
        if got != c.condition {
            failures.push(format!(
                "{:?}\n  want {:#?}\n  got  {:#?}",
                c.text, c.condition, got
            ));
        }
    }
    check(failures);
}

#[test]
fn the_free_functions_use_the_shipped_lexicons() {
    let text =
        "Armenia and Georgia signed a deal in Tbilisi in 2019, provided that it is ratified.";
    let sentences = EXTRACTOR.sentences(text);
    let mentions = EXTRACTOR.find_mentions(text);
    let timexes = TAGGER.tag(text, None);
    let events = peacetrack_extract::extract_events(text, &sentences, &mentions, &timexes, None);
    assert_eq!(
        events,
        EXTRACTOR.events(text, &sentences, &mentions, &timexes, None)
    );
    assert_eq!(events[0].kind, "AGREE");
    let conditions = peacetrack_extract::extract_conditions(text, &sentences, &mentions);
    assert_eq!(conditions.len(), 1);
    assert_eq!(conditions[0].requires, "it is ratified");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any text built from cue words, names, dates, punctuation and odd characters: no panic, and
    /// every event and condition span is a char-boundary span of the text with its parts inside.
    #[test]
    fn arbitrary_texts_give_valid_spans(parts in prop::collection::vec(prop::sample::select(vec![
        "Armenia", "Azerbaijan's", "Nikol Pashinyan", "met", "signed", "did not", "if", "will",
        "they", "in", "Vienna", "on 3 May 2021", "depends on", "provided that", "Only if", "requires",
        "precondition for", "in order to", ",", ".", ";", "—", "\u{a0}", "é", "Kılıç", "“", "”", "\n",
        "[3]", "talks", "the", "is", "that", "2020", "ε", "平",
    ]), 0..40)) {
        let text = parts.join(" ");
        let events = events_of(&text, Some("2022-01-01"));
        for e in &events {
            prop_assert!(text.get(e.start..e.end).is_some());
            prop_assert!(e.start <= e.trigger_span.start && e.trigger_span.end <= e.end);
        }
        let sentences = EXTRACTOR.sentences(&text);
        let mentions = EXTRACTOR.find_mentions(&text);
        for c in EXTRACTOR.conditions(&text, &sentences, &mentions) {
            prop_assert!(text.get(c.start..c.end).is_some());
            prop_assert_eq!(c.what_span.as_str(&text), c.what.as_str());
            prop_assert_eq!(c.requires_span.as_str(&text), c.requires.as_str());
            prop_assert!(!c.what.is_empty() && !c.requires.is_empty());
        }
    }
}
