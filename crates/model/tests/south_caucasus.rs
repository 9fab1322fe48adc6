//! The shipped south-caucasus case: it loads, its chain for the Türkiye–Armenia border runs
//! border ← treaty ← constitutional amendment ← referendum with citations to corpus documents, and
//! the gold conditions and events of the sample corpus link to it as expected.
//!
//! Tests that need `shared/` (the corpus and gold files beside the repository) skip when it is
//! absent, unless PEACETRACK_REQUIRE_SHARED=1.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use peacetrack_model::{
    Case, ChainNode, ConditionGraph, ConditionStatement, EventInput, Linker, Outcome, Rules,
    ScenarioOptions, Source, Stance, current_outcomes, goal_probability, positions, scenario,
    status_history,
};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.join("corpus").is_dir() {
        return Some(p);
    }
    if std::env::var("PEACETRACK_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!(
            "PEACETRACK_REQUIRE_SHARED=1 but {} has no corpus",
            p.display()
        );
    }
    eprintln!("skipping: {} not found", p.display());
    None
}

fn case() -> Case {
    Case::load(repo().join("cases/south-caucasus")).unwrap_or_else(|e| panic!("{e}"))
}

fn o(s: &str) -> Outcome {
    s.parse().unwrap()
}

fn is_doc_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b[..3].iter().all(u8::is_ascii_digit)
        && b[3] == b'_'
        && b[4..]
            .iter()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

#[test]
fn every_shipped_case_loads() {
    let mut n = 0;
    for entry in std::fs::read_dir(repo().join("cases")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("case.toml").is_file() {
            let c = Case::load(&dir).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(c.name, dir.file_name().unwrap().to_string_lossy());
            n += 1;
        }
    }
    assert!(n >= 1);
}

#[test]
fn south_caucasus_is_complete() {
    let c = case();
    assert_eq!(c.name, "south-caucasus");
    let codes: Vec<&str> = c.parties.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["ARM", "AZE", "TUR"]);
    for m in ["EU", "USA", "RUS"] {
        assert!(c.mediators.iter().any(|x| x.code == m), "{m}");
    }
    let tracks: Vec<&str> = c.tracks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        tracks,
        [
            "peace_treaty",
            "tr_normalization",
            "border_commission",
            "connectivity"
        ]
    );
    for issue in [
        "treaty",
        "territorial_integrity",
        "no_territorial_claims",
        "non_use_of_force",
        "delimitation",
        "diplomatic_relations",
        "transport_links",
        "route_regime",
        "constitution",
        "referendum",
        "third_party_forces",
        "detainees",
        "legal_disputes",
        "tr_border",
    ] {
        let i = c
            .issue(issue)
            .unwrap_or_else(|| panic!("missing issue {issue}"));
        assert!(!i.cues.is_empty(), "{issue} has no cues");
    }
    // Every condition, prior and milestone cites at least one document by its id.
    for x in &c.conditions {
        assert!(!x.citations.is_empty(), "{}", x.id);
        assert!(x.citations.iter().all(|d| is_doc_id(&d.doc)), "{}", x.id);
    }
    for x in &c.milestones {
        assert!(
            !x.citations.is_empty() && x.citations.iter().all(|d| is_doc_id(&d.doc)),
            "{}",
            x.id
        );
    }
    for x in &c.priors {
        assert!(
            x.citations.iter().all(|d| is_doc_id(&d.doc)),
            "{}",
            x.outcome
        );
    }
    let g = ConditionGraph::from_case(&c);
    assert!(g.cycles().is_empty());
    assert!(g.warnings().is_empty());
    // Every leaf of the graph has a prior, so every goal has a probability.
    for n in g.nodes() {
        if g.is_leaf(n) {
            assert!(g.priors().contains_key(n), "no prior for leaf {n}");
        }
    }
}

/// The child of `node` reached through the condition `id`, whose only requirement is `next`.
fn step<'a>(node: &'a ChainNode, id: &str, next: &str) -> &'a ChainNode {
    let c = node
        .conditions
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{} has no condition {id}", node.outcome));
    assert!(!c.sources.is_empty(), "{id} has no sources");
    for s in &c.sources {
        match s {
            Source::Citation { doc, .. } => assert!(is_doc_id(doc), "{id}: {doc}"),
            other => panic!("{id}: expected citations, got {other:?}"),
        }
    }
    assert_eq!(c.alternatives.len(), 1);
    let child = c.alternatives[0]
        .iter()
        .find(|n| n.outcome.to_string() == next)
        .unwrap_or_else(|| panic!("{id} does not require {next}"));
    assert!(!child.repeated && !child.truncated);
    child
}

#[test]
fn border_opening_chain_runs_through_treaty_constitution_and_referendum() {
    let c = case();
    let g = ConditionGraph::from_case(&c);
    let chain = g.chain(&o("tr_border=implemented")).unwrap();
    assert_eq!(chain.outcome.to_string(), "tr_border=implemented");
    assert_eq!(chain.conditions.len(), 1);
    let treaty = step(&chain, "border-needs-treaty", "treaty=signed");
    let constitution = step(treaty, "treaty-needs-constitution", "constitution=adopted");
    let referendum = step(
        constitution,
        "constitution-needs-referendum",
        "referendum=passed",
    );
    assert!(referendum.leaf);
    assert_eq!(referendum.prior, Some(0.5));
    // The treaty also needs recognition of territorial integrity (a leaf).
    let ti = step(
        treaty,
        "treaty-needs-recognition",
        "territorial_integrity=agreed_in_principle",
    );
    assert!(ti.leaf);
    // Edge sources: the border ← treaty edge is cited from 001.
    let edge = g
        .edges()
        .into_iter()
        .find(|e| e.from == o("treaty=signed") && e.to == o("tr_border=implemented"))
        .unwrap();
    assert!(
        edge.sources
            .iter()
            .any(|s| s.doc() == Some("001_c872713e749bd534"))
    );
    // The DOT and Mermaid renderings contain the chain's edges.
    let dot = g.to_dot();
    assert!(
        dot.contains("\"treaty=signed\" -> \"tr_border=implemented\""),
        "{dot}"
    );
    assert!(
        dot.contains("\"referendum=passed\" -> \"constitution=adopted\""),
        "{dot}"
    );
    let mermaid = g.to_mermaid();
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert!(mermaid.contains("border-needs-treaty (p=0.6)"), "{mermaid}");
}

#[test]
fn citations_name_corpus_documents() {
    let Some(shared) = shared() else { return };
    let c = case();
    let mut docs = BTreeSet::new();
    for x in &c.conditions {
        docs.extend(x.citations.iter().map(|d| d.doc.clone()));
    }
    for x in &c.milestones {
        docs.extend(x.citations.iter().map(|d| d.doc.clone()));
    }
    for x in &c.priors {
        docs.extend(x.citations.iter().map(|d| d.doc.clone()));
    }
    assert_eq!(docs.len(), 5, "{docs:?}");
    for d in &docs {
        let f = shared.join("corpus").join(format!("{d}.txt"));
        assert!(f.is_file(), "citation {d}: no {}", f.display());
    }
}

#[test]
fn border_opening_probability_hand_computed() {
    let c = case();
    let g = ConditionGraph::from_case(&c);
    let goal = o("tr_border=implemented");
    // No assumptions. Read-once product along the chain:
    //   border-needs-treaty 0.6 × treaty-needs-constitution 0.7 × constitution-needs-referendum 0.95
    //   × referendum=passed 0.5 × treaty-needs-recognition 0.95 × territorial_integrity 0.95
    //   = 0.6 × 0.7 × 0.475 × 0.9025 = 0.18004875
    let p = goal_probability(&g, &[], &goal, &ScenarioOptions::default()).unwrap();
    assert!(
        (p.probability - 0.180_048_75).abs() < 1e-12,
        "{}",
        p.probability
    );
    assert_eq!(p.shared, 0);
    // Birnbaum importance of each factor is P / p: referendum 0.3601, border-needs-treaty 0.30008,
    // treaty-needs-constitution 0.257212…, then three ties at P/0.95 = 0.189525 (conditions first,
    // then by name).
    let names: Vec<&str> = p
        .sensitivity
        .iter()
        .map(|s| s.variable.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "referendum=passed",
            "border-needs-treaty",
            "treaty-needs-constitution",
            "constitution-needs-referendum",
            "treaty-needs-recognition",
            "territorial_integrity=agreed_in_principle",
        ]
    );
    assert!((p.sensitivity[0].importance - 0.360_097_5).abs() < 1e-12);
}

#[test]
fn scenario_from_the_current_status() {
    let c = case();
    let rules = Rules::embedded();
    let linker = Linker::new(&c);
    let histories = status_history(&linker, &[], &rules);
    let now = current_outcomes(&histories);
    let strs: Vec<String> = now.iter().map(|o| o.to_string()).collect();
    for want in [
        "territorial_integrity=agreed_in_principle",
        "treaty=agreed_in_principle",
        "route_regime=agreed_in_principle",
        "referendum=proposed",
        "tr_border=stalled",
    ] {
        assert!(strs.contains(&want.to_string()), "{want} not in {strs:?}");
    }
    let g = ConditionGraph::from_case(&c);
    let goal = o("tr_border=implemented");
    let s = scenario(&g, &now, Some(&goal)).unwrap();
    let unblocked: Vec<String> = s.unblocked.iter().map(|o| o.to_string()).collect();
    assert_eq!(
        unblocked,
        ["tr_relations=signed", "transport_links=implemented"]
    );
    let gr = s.goal.unwrap();
    assert!(!gr.satisfied && !gr.unblocked);
    let path: Vec<String> = gr.path.unwrap().iter().map(|o| o.to_string()).collect();
    assert_eq!(
        path,
        [
            "referendum=passed",
            "constitution=adopted",
            "treaty=signed",
            "tr_border=implemented"
        ]
    );
    // With territorial integrity agreed, its factor drops out: 0.6 × 0.7 × 0.95 × 0.5 × 0.95.
    let p = gr.probability.unwrap().probability;
    assert!((p - 0.189_525).abs() < 1e-12, "{p}");
}

fn gold_files(shared: &Path) -> Vec<(String, serde_json::Value)> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(shared.join("gold")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".gold.json") {
            let j: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            v.push((stem.to_string(), j));
        }
    }
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn gold_condition_statements_merge_into_case_conditions() {
    let Some(shared) = shared() else { return };
    let c = case();
    let mut statements = Vec::new();
    for (stem, j) in gold_files(&shared) {
        for (i, x) in j["conditions"].as_array().unwrap().iter().enumerate() {
            let mut s: ConditionStatement = serde_json::from_value(x.clone()).unwrap();
            s.id = format!("{stem}#{i}");
            s.doc = Some(stem.clone());
            statements.push(s);
        }
    }
    assert_eq!(statements.len(), 12);
    let g = ConditionGraph::build(&Linker::new(&c), &statements, &Rules::embedded());
    let ids = |cond: &str| -> Vec<String> {
        g.conditions()
            .iter()
            .find(|x| x.id == cond)
            .unwrap()
            .ids
            .clone()
    };
    assert_eq!(
        ids("border-needs-treaty"),
        [
            "border-needs-treaty",
            "statement:001_c872713e749bd534#0",
            "statement:001_c872713e749bd534#3"
        ]
    );
    assert_eq!(
        ids("treaty-needs-constitution")[1],
        "statement:001_c872713e749bd534#1"
    );
    assert_eq!(
        ids("constitution-needs-referendum")[1],
        "statement:001_c872713e749bd534#2"
    );
    assert_eq!(
        ids("treaty-needs-recognition")[1],
        "statement:002_50caa1aed49d2e81#0"
    );
    assert_eq!(
        ids("transport-needs-route-control")[1],
        "statement:004_0d0832f727e9c9b8#0"
    );
    assert_eq!(
        ids("transport-respects-integrity")[1],
        "statement:004_0d0832f727e9c9b8#1"
    );
    // The edge border ← treaty now has the case citations and the two statements as sources.
    let edge = g
        .edges()
        .into_iter()
        .find(|e| e.from == o("treaty=signed") && e.to == o("tr_border=implemented"))
        .unwrap();
    let statements_on_edge = edge
        .sources
        .iter()
        .filter(|s| matches!(s, Source::Statement { .. }))
        .count();
    assert_eq!(statements_on_edge, 2);
    // Statements whose sides name no issue are reported, not dropped silently.
    let unmapped: Vec<&str> = g.unmapped().iter().map(|u| u.statement.as_str()).collect();
    assert!(unmapped.contains(&"001_c872713e749bd534#4"), "{unmapped:?}"); // approval from Baku
    assert!(unmapped.contains(&"002_50caa1aed49d2e81#2"), "{unmapped:?}"); // fundamental myths
    assert!(g.cycles().is_empty());
}

#[test]
fn gold_events_give_status_steps_and_positions() {
    let Some(shared) = shared() else { return };
    let c = case();
    let mut events = Vec::new();
    for (stem, j) in gold_files(&shared) {
        for x in j["events"].as_array().unwrap() {
            let mut e: EventInput = serde_json::from_value(x.clone()).unwrap();
            e.id = format!("{stem}#{}", x["id"].as_str().unwrap());
            e.doc = Some(stem.clone());
            events.push(e);
        }
    }
    let rules = Rules::embedded();
    let linker = Linker::new(&c);
    let h = status_history(&linker, &events, &rules);
    let treaty = h.iter().find(|x| x.issue == "treaty").unwrap();
    // The March 2025 announcement that the text was finalised: event and milestone in one step.
    let step = treaty
        .steps
        .iter()
        .find(|s| s.date.as_deref() == Some("2025-03"))
        .unwrap();
    assert_eq!(step.state, "agreed_in_principle");
    assert_eq!(step.events, ["001_c872713e749bd534#e3"]);
    assert_eq!(step.milestones, ["treaty-text-finalised"]);
    assert_eq!(treaty.current.as_deref(), Some("agreed_in_principle"));
    let p = positions(&linker, &events, &rules);
    let on = |issue: &str, party: &str| {
        p.iter()
            .find(|x| x.issue == issue && x.party == party)
            .map(|x| x.stances.iter().map(|s| s.stance).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert!(on("constitution", "AZE").contains(&Stance::Demands));
    assert!(on("constitution", "ARM").contains(&Stance::Accepts));
    assert!(on("non_use_of_force", "ARM").contains(&Stance::Proposes));
}

/// Prints the model of the sample corpus (run with `--ignored --nocapture` to look at it).
#[test]
#[ignore]
fn print_model() {
    let Some(shared) = shared() else { return };
    let c = case();
    let mut events = Vec::new();
    for (stem, j) in gold_files(&shared) {
        for x in j["events"].as_array().unwrap() {
            let mut e: EventInput = serde_json::from_value(x.clone()).unwrap();
            e.id = format!("{stem}#{}", x["id"].as_str().unwrap());
            e.doc = Some(stem.clone());
            events.push(e);
        }
    }
    let rules = Rules::embedded();
    let linker = Linker::new(&c);
    for e in &events {
        let l: Vec<String> = linker
            .link_event(e)
            .iter()
            .map(|l| format!("{:?}", l.target))
            .collect();
        println!("{} {} {:?}: {}", e.id, e.event_type, e.mode, l.join(" "));
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&status_history(&linker, &events, &rules)).unwrap()
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&positions(&linker, &events, &rules)).unwrap()
    );
    println!("{}", ConditionGraph::from_case(&c).to_mermaid());
}
