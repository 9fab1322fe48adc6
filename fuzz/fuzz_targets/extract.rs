//! Fuzz target: the whole per-document pipeline (document date, temporal expressions, sentences,
//! mentions, events, conditions) on arbitrary text read as a plain-text document, with or without a
//! given date drawn from the input, must never panic, and every span it returns must lie inside the
//! text on character boundaries.

#![no_main]

use libfuzzer_sys::fuzz_target;
use peacetrack_extract::pipeline::{Engines, analyse};
use peacetrack_read::{Format, ReadOptions, read_bytes};
use std::sync::LazyLock;

static ENGINES: LazyLock<Engines> =
    LazyLock::new(|| Engines::load().expect("the shipped data loads"));

fn inside(text: &str, start: usize, end: usize, what: &str) {
    assert!(start <= end, "{what}: reversed span {start}..{end}");
    assert!(
        text.get(start..end).is_some(),
        "{what}: span {start}..{end} outside the text or off a character boundary"
    );
}

fuzz_target!(|input: (Option<u16>, &[u8])| {
    let (days, data) = input;
    let Ok(doc) = read_bytes("fuzz.txt", data, Format::Text, &ReadOptions::default()) else {
        return;
    };
    let given = days.and_then(|d| {
        jiff::civil::date(1950, 1, 1)
            .checked_add(jiff::Span::new().days(i64::from(d)))
            .ok()
    });
    let analysis = analyse(&ENGINES, &doc, given);
    let text = doc.text.as_str();
    for t in &analysis.timexes {
        inside(text, t.start, t.end, "timex");
    }
    for e in &analysis.events {
        inside(text, e.start, e.end, "event");
        inside(text, e.trigger_span.start, e.trigger_span.end, "trigger");
        assert!(
            e.start <= e.trigger_span.start && e.trigger_span.end <= e.end,
            "the trigger lies outside its evidence: {e:?}"
        );
    }
    for c in &analysis.conditions {
        inside(text, c.start, c.end, "condition");
        inside(text, c.what_span.start, c.what_span.end, "condition's what");
        inside(text, c.requires_span.start, c.requires_span.end, "condition's requires");
    }
});
