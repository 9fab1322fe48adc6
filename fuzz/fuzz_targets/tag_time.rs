//! Fuzz target: the temporal tagger on an arbitrary string with a reference date drawn from the input
//! must never panic, and every span it returns must lie inside the text on character boundaries.

#![no_main]

use libfuzzer_sys::fuzz_target;
use peacetrack_time::Tagger;
use std::sync::LazyLock;

static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new().expect("the shipped rules load"));

fuzz_target!(|input: (u16, &str)| {
    let (days, text) = input;
    // Reference dates from 1950 to about 2129.
    let Ok(reference) =
        jiff::civil::date(1950, 1, 1).checked_add(jiff::Span::new().days(i64::from(days)))
    else {
        return;
    };
    for timex in TAGGER.tag(text, Some(reference)) {
        assert!(timex.start < timex.end, "empty or reversed span {timex:?}");
        assert!(
            text.get(timex.start..timex.end).is_some(),
            "span outside the text {timex:?}"
        );
        assert!(!timex.value.is_empty(), "empty value {timex:?}");
    }
});
