//! The condition graph: merging, cycles, chains, and deterministic DOT / Mermaid output.

use std::path::{Path, PathBuf};

use peacetrack_model::{
    Case, ConditionGraph, ConditionStatement, Linker, ModelError, Outcome, Rules, Source,
};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn o(s: &str) -> Outcome {
    s.parse().unwrap()
}

const MERGE: &str = r#"
[process]
id = "merge"
name = "Merge"
[[track]]
id = "t"
name = "T"
[[issue]]
id = "border"
name = "Border"
track = "t"
cues = ["border"]
[[issue]]
id = "treaty"
name = "Treaty"
track = "t"
cues = ["treaty"]
default_state = "signed"
[[issue]]
id = "vote"
name = "Vote"
track = "t"
cues = ["vote"]
[[condition]]
id = "c1"
goal = "border=implemented"
requires = ["treaty=signed"]
probability = 0.6
citations = [{ doc = "d1" }, { doc = "d2", note = "again" }]
[[condition]]
id = "c2"
goal = "border=implemented"
requires = ["treaty=signed", "treaty=signed"]
probability = 0.7
citations = [{ doc = "d3" }]
[[condition]]
id = "c3"
goal = "treaty=signed"
any_of = [["vote=implemented"], ["border=proposed"]]
[[condition]]
id = "c4"
goal = "treaty=signed"
any_of = [["border=proposed"], ["vote=implemented"]]
"#;

#[test]
fn duplicates_merge_with_all_sources() {
    let case = Case::from_toml_str("merge", MERGE).unwrap();
    let statements = [
        ConditionStatement {
            id: "s1".into(),
            doc: Some("d9".into()),
            what: "opening of the border".into(),
            requires: "the treaty".into(),
            asserted_by: Some("officials".into()),
            evidence: Some("…".into()),
        },
        ConditionStatement {
            id: "s2".into(),
            what: "the weather".into(),
            requires: "the treaty".into(),
            ..Default::default()
        },
        ConditionStatement {
            id: "s3".into(),
            what: "signing the treaty".into(),
            requires: "ratifying the treaty".into(),
            ..Default::default()
        },
    ];
    let g = ConditionGraph::build(&Linker::new(&case), &statements, &Rules::embedded());
    // c1, c2 (its duplicate requirement collapses) and s1 are one condition; c3 and c4 (same
    // alternatives in another order) are one.
    let conds = g.conditions();
    assert_eq!(conds.len(), 2, "{conds:#?}");
    assert_eq!(conds[0].ids, ["c1", "c2", "statement:s1"]);
    assert_eq!(conds[0].probability, Some(0.6));
    let docs: Vec<Option<&str>> = conds[0].sources.iter().map(Source::doc).collect();
    assert_eq!(docs, [Some("d1"), Some("d2"), Some("d3"), Some("d9")]);
    assert_eq!(conds[1].ids, ["c3", "c4"]);
    assert_eq!(
        conds[1].alternatives,
        [vec![o("border=proposed")], vec![o("vote=implemented")]]
    );
    // The conflicting probabilities of c1 and c2 are reported.
    assert_eq!(g.warnings().len(), 1);
    assert!(
        g.warnings()[0].contains("`c1` and `c2`"),
        "{:?}",
        g.warnings()
    );
    // Unmapped statements say why.
    let u = g.unmapped();
    assert_eq!(u.len(), 2);
    assert_eq!(u[0].statement, "s2");
    assert!(u[0].reason.contains("`what`"), "{}", u[0].reason);
    assert_eq!(u[1].statement, "s3");
    assert!(u[1].reason.contains("both sides"), "{}", u[1].reason);
    // Edges: one per (requirement, goal) pair, sorted, with the merged sources.
    let edges: Vec<(String, String, Vec<String>)> = g
        .edges()
        .into_iter()
        .map(|e| (e.from.to_string(), e.to.to_string(), e.conditions))
        .collect();
    assert_eq!(
        edges,
        [
            (
                "border=proposed".into(),
                "treaty=signed".into(),
                vec!["c3".into()]
            ),
            (
                "treaty=signed".into(),
                "border=implemented".into(),
                vec!["c1".into()]
            ),
            (
                "vote=implemented".into(),
                "treaty=signed".into(),
                vec!["c3".into()]
            ),
        ]
    );
    assert_eq!(g.petgraph().node_count(), 4);
    assert_eq!(g.petgraph().edge_count(), 3);
    // No cycle: border=proposed and border=implemented are different outcomes.
    assert!(g.cycles().is_empty());
    let json = serde_json::to_value(&g).unwrap();
    assert_eq!(json["nodes"].as_array().unwrap().len(), 4);
    assert_eq!(json["conditions"][0]["sources"][3]["kind"], "statement");
}

#[test]
fn cycles_are_found_and_chains_stop_at_them() {
    let case = Case::load(data().join("cycle.toml")).unwrap();
    let g = ConditionGraph::from_case(&case);
    assert_eq!(g.cycles(), [vec![o("a=implemented"), o("b=implemented")]]);
    assert!(g.in_cycle(&o("a=implemented")) && !g.in_cycle(&o("g=implemented")));
    let chain = g.chain(&o("g=implemented")).unwrap();
    // g ← b ← a ← (b again: repeated, not expanded | l: leaf)
    let b = &chain.conditions[0].alternatives[0][0];
    assert_eq!(b.outcome, o("b=implemented"));
    let a = &b.conditions[0].alternatives[0][0];
    assert_eq!(a.outcome, o("a=implemented"));
    let alts = &a.conditions[0].alternatives;
    assert_eq!(alts.len(), 2);
    assert!(alts[0][0].repeated && alts[0][0].conditions.is_empty());
    assert!(alts[1][0].leaf && alts[1][0].prior == Some(0.4));
    // Unknown or absent goals are errors, not panics.
    assert!(matches!(
        g.chain(&o("x=implemented")),
        Err(ModelError::UnknownOutcome { .. })
    ));
    assert_eq!(
        g.chain(&o("g=signed")),
        Err(ModelError::NotInGraph("g=signed".into()))
    );
}

#[test]
fn dot_and_mermaid_are_deterministic() {
    let case = Case::load(data().join("diamond.toml")).unwrap();
    let g = ConditionGraph::from_case(&case);
    let dot = g.to_dot();
    assert_eq!(
        dot,
        r#"digraph conditions {
  rankdir=LR;
  node [shape=ellipse];
  "a=implemented" [label="a=implemented"];
  "b=implemented" [label="b=implemented"];
  "g=implemented" [label="g=implemented"];
  "s=implemented" [label="s=implemented", shape=box];
  "a=implemented" -> "g=implemented" [label="cg (p=0.9); 1 source"];
  "b=implemented" -> "g=implemented" [label="cg (p=0.9); 1 source"];
  "s=implemented" -> "a=implemented" [label="ca (p=0.8); 1 source"];
  "s=implemented" -> "b=implemented" [label="cb (p=0.5); 1 source"];
}
"#
    );
    let mermaid = g.to_mermaid();
    assert_eq!(
        mermaid,
        r#"flowchart LR
  n0(["a=implemented"])
  n1(["b=implemented"])
  n2(["g=implemented"])
  n3["s=implemented"]
  n0 -->|"cg (p=0.9); 1 source"| n2
  n1 -->|"cg (p=0.9); 1 source"| n2
  n3 -->|"ca (p=0.8); 1 source"| n0
  n3 -->|"cb (p=0.5); 1 source"| n1
"#
    );
    // Same case, same text; cycles are marked.
    assert_eq!(ConditionGraph::from_case(&case).to_dot(), dot);
    let cyc = ConditionGraph::from_case(&Case::load(data().join("cycle.toml")).unwrap());
    assert!(
        cyc.to_dot()
            .contains("\"a=implemented\" [label=\"a=implemented\", color=red];")
    );
    assert!(
        cyc.to_mermaid().contains("  class n0,n1 cycle\n"),
        "{}",
        cyc.to_mermaid()
    );
}

#[test]
fn labels_are_escaped() {
    let src = MERGE.replace("id = \"c1\"", "id = \"c\\\"1\"");
    let case = Case::from_toml_str("merge", &src).unwrap();
    let g = ConditionGraph::from_case(&case);
    assert!(
        g.to_dot().contains("label=\"c\\\"1 (p=0.6); 3 sources\""),
        "{}",
        g.to_dot()
    );
    assert!(
        g.to_mermaid().contains("c#quot;1 (p=0.6)"),
        "{}",
        g.to_mermaid()
    );
}

#[test]
fn empty_case_gives_an_empty_graph() {
    let case = Case::from_toml_str("e", "[process]\nid = \"e\"\nname = \"E\"\n").unwrap();
    let g = ConditionGraph::from_case(&case);
    assert!(g.nodes().is_empty() && g.edges().is_empty() && g.cycles().is_empty());
    assert_eq!(
        g.to_dot(),
        "digraph conditions {\n  rankdir=LR;\n  node [shape=ellipse];\n}\n"
    );
    assert_eq!(g.to_mermaid(), "flowchart LR\n");
    let s = peacetrack_model::scenario(&g, &[], None).unwrap();
    assert!(s.blocked.is_empty() && s.unblocked.is_empty());
}
