//! Data-driven tests: `tests/data/cases.toml` lists invented sentences with the complete list of
//! temporal expressions the tagger must find (text, value, and optionally type and mod). Every case is
//! checked and all failures are reported together.

use peacetrack_time::Tagger;
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    reference: Option<String>,
    expect: Vec<Expected>,
}

#[derive(Deserialize, Debug)]
struct Expected {
    text: String,
    value: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "mod")]
    modifier: Option<String>,
}

#[test]
fn tagger_cases_from_data_file() {
    let src = include_str!("data/cases.toml");
    let file: File = toml::from_str(src).expect("tests/data/cases.toml is valid");
    let tagger = Tagger::new().expect("the shipped rules compile");
    let mut failures = Vec::new();
    for (i, case) in file.case.iter().enumerate() {
        let reference = case
            .reference
            .as_deref()
            .map(|r| r.parse().expect("reference is YYYY-MM-DD"));
        let got = tagger.tag(&case.text, reference);
        let got_view: Vec<String> = got
            .iter()
            .map(|t| {
                format!(
                    "{:?}={} {}{}",
                    &case.text[t.start..t.end],
                    t.value,
                    t.kind.as_str(),
                    t.modifier
                        .as_deref()
                        .map(|m| format!(" mod={m}"))
                        .unwrap_or_default()
                )
            })
            .collect();
        let matches = got.len() == case.expect.len()
            && got.iter().zip(&case.expect).all(|(g, e)| {
                case.text[g.start..g.end] == e.text
                    && g.value == e.value
                    && e.kind.as_deref().is_none_or(|k| k == g.kind.as_str())
                    && e.modifier
                        .as_deref()
                        .is_none_or(|m| g.modifier.as_deref() == Some(m))
            });
        if !matches {
            failures.push(format!(
                "case {} ({:?}):\n  expected {:?}\n  got      {:?}",
                i + 1,
                case.text,
                case.expect,
                got_view
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        file.case.len(),
        failures.join("\n")
    );
}
