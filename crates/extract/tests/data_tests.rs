//! Table-driven tests from `tests/data/*.toml`: invented sentences and what the extractor must find
//! in them. Each file documents its schema at the top; every failing case is reported, not just the
//! first.

use peacetrack_extract::{Extractor, Gazetteer, Mention, MentionKind, Source, sentences};
use serde::Deserialize;
use std::sync::LazyLock;

static EXTRACTOR: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::load_default().expect("the shipped data loads"));

mod common;
use common::{check, read};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SentenceFile {
    case: Vec<SentenceCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SentenceCase {
    text: String,
    sentences: Vec<String>,
}

#[test]
fn sentence_cases() {
    let file: SentenceFile = read("sentences.toml");
    let mut failures = Vec::new();
    for c in &file.case {
        let got: Vec<&str> = sentences(&c.text)
            .iter()
            .map(|s| s.as_str(&c.text))
            .collect();
        if got != c.sentences {
            failures.push(format!(
                "{:?}\n  want {:?}\n  got  {:?}",
                c.text, c.sentences, got
            ));
        }
    }
    check(failures);
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MentionFile {
    case: Vec<MentionCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MentionCase {
    text: String,
    mentions: Vec<Expected>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Expected {
    text: String,
    kind: String,
    id: String,
    #[serde(default)]
    country: Option<String>,
}

fn kind_name(k: MentionKind) -> &'static str {
    match k {
        MentionKind::Country => "country",
        MentionKind::Organisation => "organisation",
        MentionKind::Person => "person",
        MentionKind::Place => "place",
        MentionKind::Demonym => "demonym",
        MentionKind::Capital => "capital",
    }
}

fn as_expected(text: &str, m: &Mention) -> Expected {
    Expected {
        text: text[m.start..m.end].to_string(),
        kind: kind_name(m.kind).to_string(),
        id: m.id.clone(),
        country: m.country.clone(),
    }
}

#[test]
fn gazetteer_mention_cases() {
    let file: MentionFile = read("mentions.toml");
    let gazetteer = Gazetteer::load_default().expect("the shipped gazetteer loads");
    let mut failures = Vec::new();
    for c in &file.case {
        let got: Vec<Expected> = gazetteer
            .find_mentions(&c.text)
            .iter()
            .map(|m| as_expected(&c.text, m))
            .collect();
        if got != c.mentions {
            failures.push(format!(
                "{:?}\n  want {:?}\n  got  {:?}",
                c.text, c.mentions, got
            ));
        }
    }
    check(failures);
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    case: Vec<PeopleCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleCase {
    text: String,
    people: Vec<ExpectedPerson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedPerson {
    text: String,
    id: String,
    source: String,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    role: Option<String>,
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::Gazetteer => "gazetteer",
        Source::Title => "title",
        Source::Apposition => "apposition",
        Source::Speech => "speech",
        Source::Surname => "surname",
    }
}

#[test]
fn people_cases() {
    let file: PeopleFile = read("people.toml");
    let mut failures = Vec::new();
    for c in &file.case {
        let got: Vec<Mention> = EXTRACTOR
            .find_mentions(&c.text)
            .into_iter()
            .filter(|m| m.kind == MentionKind::Person)
            .collect();
        let ok = got.len() == c.people.len()
            && got.iter().zip(&c.people).all(|(m, w)| {
                c.text[m.start..m.end] == w.text
                    && m.id == w.id
                    && source_name(m.source) == w.source
                    && m.country == w.country
                    && (w.role.is_none() || m.role == w.role)
            });
        if !ok {
            let got: Vec<String> = got
                .iter()
                .map(|m| {
                    format!(
                        "{:?}={} ({}, {:?}, {:?})",
                        &c.text[m.start..m.end],
                        m.id,
                        source_name(m.source),
                        m.country,
                        m.role
                    )
                })
                .collect();
            failures.push(format!(
                "{:?}\n  want {:?}\n  got  {:?}",
                c.text, c.people, got
            ));
        }
    }
    check(failures);
}
