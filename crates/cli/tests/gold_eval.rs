//! End-to-end tests of `peacetrack eval --gold DIR PATH...`.
//!
//! - **Floors**: the binary is run on the sample corpus and its gold annotations (`shared/corpus`,
//!   `shared/gold`, next to the repository) with `--json`, and the figures must not fall below the
//!   floors in `tests/gold_floors.toml` (timex value accuracy, timex recall, document dates right,
//!   event relaxed and strict F1, condition recall).
//!   When the shared data is absent the test prints a note and passes, unless
//!   `PEACETRACK_REQUIRE_SHARED=1` is set (CI), in which case it fails.
//! - **Behaviour**: on invented documents and gold files written to a scratch directory: the JSON and
//!   readable reports, a missing gold file (exit code 1, the rest still scored) and the usage errors.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The floors of `tests/gold_floors.toml`.
#[derive(Debug, Default)]
struct Floors {
    timex_value_accuracy: f64,
    timex_recall: f64,
    doc_dates_right: f64,
    event_relaxed_f1: f64,
    event_strict_f1: f64,
    condition_recall: f64,
}

/// Reads `tests/gold_floors.toml`. The file is a flat table (`[gold]` and `key = number` lines, `#`
/// comments), read here without a TOML library; anything else in it is an error, as is a missing key.
fn floors() -> Floors {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gold_floors.toml");
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut floors = Floors::default();
    let mut seen = Vec::new();
    let mut in_gold = false;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        let at = || format!("{path}:{}: {raw:?}", n + 1);
        if line.is_empty() {
            continue;
        }
        if line == "[gold]" {
            in_gold = true;
            continue;
        }
        assert!(in_gold, "{}: expected the [gold] table first", at());
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{}: expected `key = number`", at()));
        let key = key.trim();
        let value: f64 = value
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", at()));
        let slot = match key {
            "timex_value_accuracy" => &mut floors.timex_value_accuracy,
            "timex_recall" => &mut floors.timex_recall,
            "doc_dates_right" => &mut floors.doc_dates_right,
            "event_relaxed_f1" => &mut floors.event_relaxed_f1,
            "event_strict_f1" => &mut floors.event_strict_f1,
            "condition_recall" => &mut floors.condition_recall,
            _ => panic!("{}: unknown key {key}", at()),
        };
        assert!(!seen.contains(&key), "{}: {key} given twice", at());
        seen.push(key);
        *slot = value;
    }
    assert_eq!(seen.len(), 6, "{path}: expected 6 floors, found {seen:?}");
    for (name, v) in [
        ("timex_value_accuracy", floors.timex_value_accuracy),
        ("timex_recall", floors.timex_recall),
        ("event_relaxed_f1", floors.event_relaxed_f1),
        ("event_strict_f1", floors.event_strict_f1),
        ("condition_recall", floors.condition_recall),
    ] {
        assert!(
            (0.0..=1.0).contains(&v),
            "{path}: {name} = {v} is not a fraction in 0..=1"
        );
    }
    assert!(
        floors.doc_dates_right >= 0.0 && floors.doc_dates_right.fract() == 0.0,
        "{path}: doc_dates_right = {} is not a count",
        floors.doc_dates_right
    );
    floors
}

fn peacetrack(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_peacetrack"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout_json(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {stdout:?}, stderr {:?}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn figure(report: &Value, pointer: &str) -> f64 {
    report
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("no number at {pointer} in the report"))
}

#[test]
fn gold_scores_stay_above_the_floors() {
    let floors = floors();
    let shared = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    let (gold, corpus) = (shared.join("gold"), shared.join("corpus"));
    if !gold.is_dir() || !corpus.is_dir() {
        let required = std::env::var("PEACETRACK_REQUIRE_SHARED").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "PEACETRACK_REQUIRE_SHARED=1 but the sample corpus or its gold is missing at {}",
            shared.display()
        );
        println!(
            "note: sample corpus or gold not found at {}; floor check skipped",
            shared.display()
        );
        return;
    }

    let output = peacetrack(&[
        Path::new("eval"),
        Path::new("--gold"),
        &gold,
        &corpus,
        Path::new("--json"),
    ]);
    assert!(
        output.status.success(),
        "eval --gold failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report = stdout_json(&output);
    let documents = report["documents"].as_u64().unwrap_or(0);
    let texts = fs::read_dir(&corpus)
        .expect("the corpus lists")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .count();
    assert_eq!(documents, texts as u64, "every corpus document is scored");

    let value_accuracy = figure(&report, "/timexes/value_accuracy");
    let recall = figure(&report, "/timexes/recall");
    let precision = figure(&report, "/timexes/precision");
    let dates_right = figure(&report, "/doc_dates/right");
    let dates_scored = figure(&report, "/doc_dates/scored");
    let relaxed_f1 = figure(&report, "/events/relaxed/f1");
    let strict_f1 = figure(&report, "/events/strict/f1");
    let condition_recall = figure(&report, "/conditions/recall");
    println!(
        "events: relaxed F1 {:.2}%, strict F1 {:.2}%; conditions: recall {:.2}% \
         (floors {:.2}%, {:.2}%, {:.2}%)",
        100.0 * relaxed_f1,
        100.0 * strict_f1,
        100.0 * condition_recall,
        100.0 * floors.event_relaxed_f1,
        100.0 * floors.event_strict_f1,
        100.0 * floors.condition_recall
    );
    println!(
        "gold: {documents} documents; timexes: value accuracy {:.2}%, recall {:.2}%, precision {:.2}%; \
         document dates right {dates_right} of {dates_scored}",
        100.0 * value_accuracy,
        100.0 * recall,
        100.0 * precision
    );
    println!(
        "floors: value accuracy {:.2}%, recall {:.2}%, document dates right {}",
        100.0 * floors.timex_value_accuracy,
        100.0 * floors.timex_recall,
        floors.doc_dates_right
    );

    let mut failures = Vec::new();
    for (name, got, floor) in [
        (
            "timex value accuracy",
            value_accuracy,
            floors.timex_value_accuracy,
        ),
        ("timex recall", recall, floors.timex_recall),
        ("document dates right", dates_right, floors.doc_dates_right),
        ("event relaxed F1", relaxed_f1, floors.event_relaxed_f1),
        ("event strict F1", strict_f1, floors.event_strict_f1),
        (
            "condition recall",
            condition_recall,
            floors.condition_recall,
        ),
    ] {
        if got < floor {
            failures.push(format!("{name} {got:.4} is below the floor {floor:.4}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} (run `peacetrack eval --gold ../shared/gold ../shared/corpus --errors` for the list)",
        failures.join("; ")
    );
}

/// A fresh scratch directory under Cargo's per-test-target temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("docs")).expect("the scratch directory is created");
    fs::create_dir_all(dir.join("gold")).expect("the scratch directory is created");
    dir
}

#[test]
fn invented_documents_are_scored() {
    let dir = scratch("gold_eval_invented");
    let docs = dir.join("docs");
    let gold = dir.join("gold");
    fs::write(
        docs.join("a.txt"),
        "The foreign ministers of Armenia and Georgia met in Vienna on 14 January 2022.\n\n\
         They met again on 20 January 2022, officials said.\n\n\
         The next round depends on a new budget.\n",
    )
    .unwrap();
    fs::write(
        gold.join("a.gold.json"),
        r#"{"doc": "a.txt", "doc_date": null, "doc_date_inferred": "2022-01", "notes": "invented",
            "events": [{"id": "e1", "type": "CONSULT", "mode": "meeting", "date": "2022-01-14",
                        "actors": [], "countries": ["ARM", "GEO"], "place": "Vienna",
                        "evidence": "met in Vienna"}],
            "timexes": [{"text": "14 January 2022", "value": "2022-01-14"},
                        {"text": "20 January 2022", "value": "2022-01-21"},
                        {"text": "the spring of 1990", "value": "1990-SP"}],
            "conditions": [{"what": "next round", "requires": "a new budget",
                            "asserted_by": null, "evidence": "depends on a new budget"}]}"#,
    )
    .unwrap();
    fs::write(
        docs.join("b.txt"),
        "Nothing annotated for this one, 3 May 2021.\n",
    )
    .unwrap();

    let output = peacetrack(&[
        Path::new("eval"),
        Path::new("--gold"),
        &gold,
        &docs.join("a.txt"),
        Path::new("--json"),
        Path::new("--errors"),
    ]);
    assert!(output.status.success(), "{output:?}");
    let report = stdout_json(&output);
    assert_eq!(report["documents"], 1);
    assert_eq!(report["timexes"]["gold"], 3);
    assert_eq!(report["timexes"]["not_in_text"], 1);
    assert_eq!(report["timexes"]["found"], 2, "{report}");
    assert_eq!(report["timexes"]["right_value"], 1, "{report}");
    assert_eq!(report["doc_dates"]["right"], 1, "{report}");
    assert_eq!(report["per_document"][0]["date"]["source"], "inferred");
    assert_eq!(report["per_document"][0]["date"]["gold"], "2022-01");
    // Two meetings found (the second on 20 January, not in the gold): one matches, relaxed and strict.
    assert_eq!(report["events"]["gold"], 1, "{report}");
    assert_eq!(report["events"]["system"], 2, "{report}");
    assert_eq!(report["events"]["relaxed_matched"], 1, "{report}");
    assert_eq!(report["events"]["strict_matched"], 1, "{report}");
    assert_eq!(report["events"]["relaxed"]["precision"], 0.5, "{report}");
    assert_eq!(report["events"]["strict"]["recall"], 1.0, "{report}");
    assert_eq!(report["conditions"]["found"], 1, "{report}");
    assert_eq!(report["conditions"]["recall"], 1.0, "{report}");
    let items = report["errors"]["items"].as_array().expect("items listed");
    assert_eq!(items.len(), 1, "{report}");
    assert_eq!(items[0]["kind"], "spurious_event");
    assert!(
        items[0]["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("CONSULT/meeting 2022-01-20")),
        "{report}"
    );
    let errors = report["errors"]["timexes"]
        .as_array()
        .expect("errors listed");
    assert_eq!(errors.len(), 2, "{report}");
    assert_eq!(errors[0]["kind"], "wrong_value");
    assert_eq!(errors[0]["gold_value"], "2022-01-21");
    assert_eq!(errors[0]["system_value"], "2022-01-20");
    assert_eq!(errors[1]["kind"], "not_in_text");
    assert_eq!(errors[1]["text"], "the spring of 1990");

    // A readable report; a document without a gold file is reported and the rest still scored.
    let output = peacetrack(&[Path::new("eval"), Path::new("--gold"), &gold, &docs]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("b.txt: no gold file"), "{stderr}");
    assert!(
        stdout.contains("Document dates: 1 of 1 right (100.00%)"),
        "{stdout}"
    );
    assert!(stdout.contains("value accuracy    33.33%"), "{stdout}");
    assert!(!stdout.contains("Missed gold expressions"), "{stdout}");
}

#[test]
fn timeml_and_gold_are_alternatives() {
    let dir = scratch("gold_eval_usage");
    let (docs, gold) = (dir.join("docs"), dir.join("gold"));
    let eval = Path::new("eval");
    for args in [
        vec![eval],
        vec![eval, Path::new("--gold"), &gold],
        vec![
            eval,
            Path::new("--timeml"),
            &docs,
            Path::new("--gold"),
            &gold,
        ],
        vec![eval, &docs],
    ] {
        let output = peacetrack(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    }
}
