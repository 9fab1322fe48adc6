//! `peacetrack extract` end to end: event and condition lines (JSON Lines) and the events table, on an
//! invented document.

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Command;

const TEXT: &str = "Armenia and Georgia met in Vienna on 14 January 2022. \
    They did not sign the accord. The accord depends on a vote in both parliaments.\n";

fn run(args: &[&str], file: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_peacetrack"))
        .arg("extract")
        .args(args)
        .arg(file)
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

#[test]
fn events_and_conditions_are_printed_with_their_spans() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("extract_events");
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("invented.txt");
    fs::write(&file, TEXT).unwrap();

    let lines: Vec<Value> = run(&["--jsonl"], &file)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let of = |kind: &str| -> Vec<&Value> { lines.iter().filter(|l| l["kind"] == kind).collect() };
    let events = of("event");
    assert_eq!(events.len(), 2, "{lines:?}");
    let met = events[0];
    assert_eq!(met["type"], "CONSULT");
    assert_eq!(met["mode"], "meeting");
    assert_eq!(met["date"], "2022-01-14");
    assert_eq!(met["countries"], serde_json::json!(["ARM", "GEO"]));
    assert_eq!(met["place"], "Vienna");
    assert_eq!(met["negated"], false);
    let signed = events[1];
    assert_eq!(signed["type"], "AGREE");
    assert_eq!(signed["negated"], true);
    // "They" refers back to the meeting's parties, date and place.
    assert_eq!(signed["countries"], serde_json::json!(["ARM", "GEO"]));
    for e in &events {
        let (start, end) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&TEXT[start..end], e["text"].as_str().unwrap());
    }

    let conditions = of("condition");
    assert_eq!(conditions.len(), 1, "{lines:?}");
    let c = conditions[0];
    assert_eq!(c["what"], "The accord");
    assert_eq!(c["requires"], "a vote in both parliaments");
    assert_eq!(c["asserted_by"], Value::Null);
    let (start, end) = (
        c["start"].as_u64().unwrap() as usize,
        c["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&TEXT[start..end], c["text"].as_str().unwrap());

    let table = run(&["--table"], &file);
    assert!(table.contains("CONSULT/meeting"), "{table}");
    assert!(table.contains("negated"), "{table}");
    assert!(
        table.contains("condition: The accord ⇐ a vote in both parliaments"),
        "{table}"
    );
}
