//! End-to-end tests of the process commands on the sample corpus with the shipped case file:
//! the condition chain with its sources, scenarios against hand-computed values, the issue board and
//! history, and the briefing timeline.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn run(db: &str, args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_peacetrack"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PEACETRACK_DB")
        .env_remove("PEACETRACK_CASE")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn ok(db: &str, args: &[&str]) -> String {
    let (out, err, code) = run(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(std::env::var_os("PEACETRACK_REQUIRE_SHARED").is_none());
        None
    }
}

fn case() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../cases/south-caucasus")
        .display()
        .to_string()
}

/// The outcomes down the first requirement of each level of a chain.
fn spine(node: &Value) -> Vec<String> {
    let mut out = vec![node["outcome"].as_str().unwrap().to_string()];
    let mut n = node;
    while let Some(c) = n["conditions"].as_array().and_then(|c| c.first()) {
        n = &c["alternatives"][0][0];
        out.push(n["outcome"].as_str().unwrap().to_string());
    }
    out
}

#[test]
fn the_chain_the_scenarios_and_the_board() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", tmp.path().join("p.db").display());
    ok(&db, &["ingest", "--quiet", corpus.to_str().unwrap()]);

    // Without a case, the process commands say what they need.
    let (_, err, code) = run(&db, &["issues"]);
    assert_eq!(code, 2);
    assert!(err.contains("--case"), "{err}");

    // The chain: border opening ← treaty ← constitutional amendment ← referendum, with sources
    // from the documents that state it.
    let chain: Value = serde_json::from_str(&ok(
        &db,
        &[
            "--case",
            &case(),
            "conditions",
            "--goal",
            "tr_border=implemented",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(
        spine(&chain),
        [
            "tr_border=implemented",
            "treaty=signed",
            "constitution=adopted",
            "referendum=passed"
        ]
    );
    let border = &chain["conditions"][0];
    let docs: Vec<&str> = border["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["doc"].as_str())
        .collect();
    assert!(docs.contains(&"001_c872713e749bd534"), "{border}");
    assert!(
        border["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.get("statement").is_some()),
        "an extracted statement supports the border condition: {border}"
    );

    // The store remembers the case from now on.
    let text = ok(&db, &["conditions", "--goal", "tr_border=implemented"]);
    assert!(text.contains("referendum=passed"), "{text}");
    let dot = ok(&db, &["conditions", "--dot"]);
    assert!(
        dot.starts_with("digraph") && dot.contains("tr_border"),
        "{dot}"
    );
    let mermaid = ok(&db, &["conditions", "--mermaid"]);
    assert!(mermaid.contains("-->"), "{mermaid}");

    // Scenario, checked by hand against the case file's illustrative probabilities:
    // with the referendum assumed passed, the border opens when border-needs-treaty (0.6),
    // treaty-needs-constitution (0.7), constitution-needs-referendum (0.95),
    // treaty-needs-recognition (0.95) hold and territorial integrity is agreed (prior 0.95):
    // 0.6 × 0.7 × 0.95 × 0.95 × 0.95 = 0.3600975.
    let s: Value = serde_json::from_str(&ok(
        &db,
        &[
            "scenario",
            "--assume",
            "referendum=passed",
            "--goal",
            "tr_border=implemented",
            "--json",
        ],
    ))
    .unwrap();
    assert!(
        s["unblocked"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "constitution=adopted"),
        "{s}"
    );
    let goal = &s["goal"];
    let p = goal["probability"]["probability"].as_f64().unwrap();
    assert!((p - 0.6 * 0.7 * 0.95 * 0.95 * 0.95).abs() < 1e-9, "{p}");
    let path: Vec<&str> = goal["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert_eq!(path.last(), Some(&"tr_border=implemented"));
    assert!(path.contains(&"treaty=signed") && path.contains(&"constitution=adopted"));
    assert!(
        !path.contains(&"referendum=passed"),
        "assumed outcomes are not steps: {path:?}"
    );
    // The most important single condition is the one every path goes through last.
    assert_eq!(
        goal["probability"]["sensitivity"][0]["variable"]["name"],
        "border-needs-treaty"
    );
    // A flag overrides a condition's probability: the same product with 0.6 → 1.
    let s: Value = serde_json::from_str(&ok(
        &db,
        &[
            "scenario",
            "--assume",
            "referendum=passed",
            "--goal",
            "tr_border=implemented",
            "--prob",
            "border-needs-treaty=1",
            "--json",
        ],
    ))
    .unwrap();
    let p = s["goal"]["probability"]["probability"].as_f64().unwrap();
    assert!((p - 0.7 * 0.95 * 0.95 * 0.95).abs() < 1e-9, "{p}");
    let (_, err, code) = run(
        &db,
        &[
            "scenario",
            "--assume",
            "nonsense",
            "--goal",
            "tr_border=implemented",
        ],
    );
    assert_eq!(code, 2, "{err}");

    // The board has every issue of the case; the treaty's history has dated, sourced steps.
    let board: Vec<Value> = ok(&db, &["issues", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(board.len() >= 10);
    let treaty = board.iter().find(|r| r["issue"] == "treaty").unwrap();
    assert!(
        !treaty["status"].is_null() && !treaty["sources"].as_array().unwrap().is_empty(),
        "{treaty}"
    );
    let issue: Value =
        serde_json::from_str(&ok(&db, &["issue", "constitution", "--json"])).unwrap();
    let steps = issue["history"]["steps"].as_array().unwrap();
    assert!(!steps.is_empty());
    assert!(
        steps
            .iter()
            .all(|s| !s["docs"].as_array().unwrap().is_empty()
                || !s["milestones"].as_array().unwrap().is_empty())
    );
    let (_, err, code) = run(&db, &["issue", "no-such-issue"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such issue"), "{err}");

    // A briefing: N lines, in date order, the two-source Moscow meeting among them.
    let key: Vec<Value> = ok(&db, &["timeline", "--key", "6", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(key.len(), 6);
    let dates: Vec<&str> = key
        .iter()
        .map(|k| k["date"].as_str().unwrap_or(""))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert!(
        key.iter()
            .any(|k| k["date"] == "2022-01-14" && k["documents"] == 2),
        "{key:?}"
    );
}
