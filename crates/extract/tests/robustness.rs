//! Property tests of the event and condition stages on arbitrary input: whatever the text (arbitrary
//! Unicode, or cue words, names, dates and awkward characters glued together), and whatever temporal
//! expressions and document date they are given, they never panic and every span they return lies on
//! character boundaries inside the text, with its parts (trigger, `what`, `requires`) inside it and
//! its texts equal to the spans' texts.
//!
//! The per-document pipeline ([`pipeline::analyse`]) folds and scans a text once for every stage; the
//! stages called one by one ([`Extractor::find_mentions`], [`Extractor::events`],
//! [`Extractor::conditions`]) each do their own work. Both must give the same events and conditions,
//! so the properties also compare them.

use jiff::civil::Date;
use peacetrack_extract::pipeline::{self, Engines};
use peacetrack_extract::{Condition, Event, Extractor, Span};
use peacetrack_read::{Format, ReadOptions, read_bytes};
use peacetrack_time::{Timex, TimexType};
use proptest::prelude::*;
use std::sync::LazyLock;

static ENGINES: LazyLock<Engines> =
    LazyLock::new(|| Engines::load().expect("the shipped data loads"));

fn extractor() -> &'static Extractor {
    &ENGINES.extractor
}

/// Pieces that reach the cue lists, the gazetteer, the tagger and the sentence splitter, and the
/// characters that make folding and offsets hard.
const PIECES: &[&str] = &[
    "Armenia",
    "Azerbaijan’s",
    "Türkiye",
    "Serdar Kılıç",
    "Kilic\u{0327}",
    "Nikol Pashinyan",
    "Foreign Minister",
    "said",
    "met",
    "signed",
    "did not",
    "will",
    "could",
    "if",
    "they",
    "his counterpart",
    "in",
    "Vienna",
    "Nagorno-",
    "Karabakh",
    "on 3 May 2021",
    "14 January 2022",
    "yesterday",
    "depends on",
    "provided that",
    "Only if",
    "in order to",
    "requires",
    "that",
    "the",
    ",",
    ".",
    ";",
    ":",
    "(",
    ")",
    "—",
    "–",
    "-",
    "…",
    "“",
    "”",
    "'s",
    "\n",
    "\n\n",
    "\t",
    "\u{a0}",
    "\u{200b}",
    "\u{ad}",
    "\u{feff}",
    "[3]",
    "U.S.",
    "Dr.",
    "J.",
    "é",
    "ß",
    "İ",
    "ı",
    "\u{212a}",
    "ſ",
    "平",
    "習近平",
    "Москва",
    "ε",
    "🙂",
];

/// A text: arbitrary Unicode, or pieces glued with or without blanks.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.join(" ")),
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat()),
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(PIECES).prop_map(str::to_string),
                any::<char>().prop_map(String::from),
            ],
            0..40
        )
        .prop_map(|p| p.join(" ")),
    ]
}

/// The char boundaries of `text`, its end included.
fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect()
}

/// Temporal expressions at arbitrary char-boundary spans of `text` (what the event stage is given
/// is not always what the tagger would find), with calendar and other values.
fn timexes_in(text: &str, picks: &[(usize, usize, usize)]) -> Vec<Timex> {
    const VALUES: &[&str] = &[
        "2022",
        "2022-01",
        "2022-01-14",
        "2023-12-31",
        "PAST_REF",
        "2022-W03",
        "XXXX-05-03",
        "",
    ];
    let b = boundaries(text);
    let mut spans: Vec<(usize, usize, usize)> = picks
        .iter()
        .map(|&(x, y, v)| {
            let (s, e) = (b[x % b.len()], b[y % b.len()]);
            (s.min(e), s.max(e), v)
        })
        .filter(|&(s, e, _)| s < e)
        .collect();
    spans.sort_unstable();
    spans
        .into_iter()
        .map(|(start, end, v)| Timex {
            start,
            end,
            kind: if v % 5 == 4 {
                TimexType::Duration
            } else {
                TimexType::Date
            },
            value: VALUES[v % VALUES.len()].to_string(),
            modifier: None,
            rule: "test".to_string(),
        })
        .collect()
}

fn check_span(text: &str, span: Span, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} {span:?} outside a text of {} bytes",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} not on char boundaries of {text:?}"
    );
    Ok(())
}

fn check_events(text: &str, events: &[Event]) -> Result<(), TestCaseError> {
    for e in events {
        let whole = Span {
            start: e.start,
            end: e.end,
        };
        check_span(text, whole, "event")?;
        prop_assert!(e.start < e.end, "empty event evidence {e:?}");
        check_span(text, e.trigger_span, "trigger")?;
        prop_assert!(
            whole.contains(e.trigger_span),
            "trigger outside its evidence: {e:?}"
        );
        prop_assert_eq!(e.trigger_span.as_str(text), e.trigger.as_str());
        prop_assert!(!e.actors.is_empty() || !e.countries.is_empty());
    }
    Ok(())
}

fn check_conditions(text: &str, conditions: &[Condition]) -> Result<(), TestCaseError> {
    for c in conditions {
        let whole = Span {
            start: c.start,
            end: c.end,
        };
        check_span(text, whole, "condition")?;
        check_span(text, c.what_span, "what")?;
        check_span(text, c.requires_span, "requires")?;
        prop_assert!(whole.contains(c.what_span) && whole.contains(c.requires_span));
        prop_assert_eq!(c.what_span.as_str(text), c.what.as_str());
        prop_assert_eq!(c.requires_span.as_str(text), c.requires.as_str());
        prop_assert!(!c.what.is_empty() && !c.requires.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The stages one by one, with the tagger's expressions or arbitrary ones and any document
    /// date: no panic, valid spans.
    #[test]
    fn events_and_conditions_of_any_text_have_valid_spans(
        text in text(),
        picks in prop::collection::vec((any::<usize>(), any::<usize>(), any::<usize>()), 0..8),
        tagged in any::<bool>(),
        doc_date in prop::sample::select(vec![None, Some("2022"), Some("2022-01-14"), Some("")]),
    ) {
        let x = extractor();
        let sentences = x.sentences(&text);
        for s in &sentences {
            check_span(&text, *s, "sentence")?;
        }
        let mentions = x.find_mentions(&text);
        for m in &mentions {
            check_span(&text, Span { start: m.start, end: m.end }, "mention")?;
        }
        let timexes = if tagged {
            ENGINES.tagger.tag(&text, Date::new(2022, 1, 14).ok())
        } else {
            timexes_in(&text, &picks)
        };
        let events = x.events(&text, &sentences, &mentions, &timexes, doc_date);
        check_events(&text, &events)?;
        let conditions = x.conditions(&text, &sentences, &mentions);
        check_conditions(&text, &conditions)?;
    }

    /// The pipeline on a document read from the text: no panic, valid spans, and the same events
    /// and conditions as the stages called one by one.
    #[test]
    fn the_pipeline_agrees_with_the_stages(text in text(), given in any::<bool>()) {
        let Ok(doc) = read_bytes("t.txt", text.as_bytes(), Format::Text, &ReadOptions::default())
        else {
            return Ok(());
        };
        let view = doc.view.as_str();
        let analysis = pipeline::analyse(&ENGINES, &doc, given.then(|| Date::new(2023, 5, 1).ok()).flatten());
        check_events(view, &analysis.events)?;
        check_conditions(view, &analysis.conditions)?;

        let x = extractor();
        let sentences = x.sentences(view);
        let mentions = x.find_mentions(view);
        let events = x.events(
            view,
            &sentences,
            &mentions,
            &analysis.timexes,
            analysis.date.value.as_deref(),
        );
        prop_assert_eq!(&analysis.events, &events);
        prop_assert_eq!(&analysis.conditions, &x.conditions(view, &sentences, &mentions));
    }
}
