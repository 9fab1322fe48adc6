//! Property tests: the tagger never panics, whatever the text and the reference date, and every
//! expression it returns is a non-empty span on character boundaries, in text order, not overlapping
//! the next one. Text is drawn both from arbitrary Unicode and from temporal vocabulary glued together,
//! which reaches the resolver's date arithmetic far more often than random characters do.

use jiff::civil::Date;
use peacetrack_time::Tagger;
use proptest::prelude::*;
use std::sync::OnceLock;

fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| Tagger::new().expect("the shipped rules compile"))
}

const WORDS: &[&str] = &[
    "last",
    "next",
    "this",
    "the",
    "a",
    "year",
    "years",
    "month",
    "week",
    "weekend",
    "day",
    "ago",
    "earlier",
    "later",
    "before",
    "after",
    "quarter",
    "third",
    "fourth",
    "first",
    "fiscal",
    "March",
    "May",
    "December",
    "Dec.",
    "Sept.",
    "31",
    "29",
    "30",
    "February",
    "14",
    "2022",
    "1999",
    "9999",
    "1000",
    "Friday",
    "Tuesday",
    "morning",
    "night",
    "3",
    "p.m.",
    "12",
    "a.m.",
    "mid",
    "late",
    "early",
    "the end of",
    "1990s",
    "'80s",
    "century",
    "20th",
    "decades",
    "three",
    "twenty-four",
    "a few",
    "several",
    "half",
    "1/2",
    "and a half",
    "every",
    "winter",
    "autumn",
    "fall",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "recently",
    "future",
    "past",
    "-",
    "/",
    ",",
    ".",
    "\n\n",
    "Thanksgiving",
    "nineteen",
    "ninety-six",
    "two thousand",
    "that",
    "same",
    "following",
    "Q3",
    "2024-02-30",
    "2023-13-01",
    "10:75",
    "25:00",
    "99/99/99",
    "İstanbul",
    "Kılıç",
    "’s",
    "\u{a0}",
];

fn vocabulary_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(WORDS).prop_map(str::to_string),
            1 => "\\PC{0,3}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.join(" "))
}

fn reference() -> impl Strategy<Value = Option<Date>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(Date::MIN)),
        1 => Just(Some(Date::MAX)),
        6 => (-9999i16..=9999, 1i8..=12, 1i8..=28)
            .prop_map(|(y, m, d)| Date::new(y, m, d).ok()),
    ]
}

fn check(text: &str, reference: Option<Date>) {
    let timexes = tagger().tag(text, reference);
    let mut last_end = 0;
    for t in &timexes {
        assert!(t.start < t.end, "empty span {t:?}");
        assert!(
            t.start >= last_end,
            "overlapping or unordered spans {timexes:?}"
        );
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        assert!(!t.value.is_empty(), "empty value {t:?}");
        last_end = t.end;
    }
    // With a known date, tagging a document is plain tagging and infers nothing.
    let (as_document, inferred) = tagger().tag_document(text, reference);
    if reference.is_some() {
        assert_eq!(as_document, timexes);
        assert!(inferred.is_none());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}", r in reference()) {
        check(&text, r);
    }

    #[test]
    fn temporal_vocabulary_never_panics(text in vocabulary_text(), r in reference()) {
        check(&text, r);
    }
}

/// Found by `temporal_vocabulary_never_panics`: offsets beyond jiff's span limits panicked.
#[test]
fn huge_offsets_do_not_panic() {
    let text = "9999 centuries ago, 9999 decades later, 1000 years earlier, 99999 weeks ago";
    for r in [
        None,
        Some(Date::constant(2024, 1, 15)),
        Some(Date::MAX),
        Some(Date::MIN),
    ] {
        check(text, r);
    }
}

#[test]
fn extreme_reference_dates_resolve_without_panicking() {
    let text = "Last year, next month, the third quarter, last autumn, Friday, a year earlier, \
                two centuries ago, the 1990s, March 3, Thanksgiving, the weekend, 3 p.m.";
    for r in [
        Date::MIN,
        Date::MAX,
        Date::constant(0, 1, 1),
        Date::constant(-1, 12, 31),
    ] {
        check(text, Some(r));
    }
}
