//! Scenario results against hand-computed expectations (`tests/data/scenarios.toml`, where each
//! case's hand computation is written out), plus limits and errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use peacetrack_model::{
    Case, ConditionGraph, ModelError, Outcome, ScenarioOptions, goal_probability, parse_outcomes,
    scenario, scenario_with,
};
use serde::Deserialize;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    case: String,
    assume: Vec<String>,
    goal: String,
    satisfied: Vec<String>,
    unblocked: Vec<String>,
    blocked: Vec<String>,
    open_leaves: Vec<String>,
    cycles: Vec<Vec<String>>,
    path: Option<Vec<String>>,
    probability: f64,
    sensitivity: Vec<String>,
    importance: Vec<f64>,
}

#[derive(Deserialize)]
struct File {
    scenario: Vec<Expect>,
}

fn strs(v: &[Outcome]) -> Vec<String> {
    v.iter().map(|o| o.to_string()).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn scenarios_match_hand_computations() {
    let src = std::fs::read_to_string(data().join("scenarios.toml")).unwrap();
    let file: File = toml::from_str(&src).unwrap();
    assert!(file.scenario.len() >= 10);
    for (i, x) in file.scenario.iter().enumerate() {
        let what = format!("scenario #{} ({} assuming {:?})", i + 1, x.case, x.assume);
        let case = Case::load(data().join(&x.case)).unwrap();
        let graph = ConditionGraph::from_case(&case);
        let assume = parse_outcomes(&x.assume).unwrap();
        let goal: Outcome = x.goal.parse().unwrap();
        let s = scenario(&graph, &assume, Some(&goal)).unwrap();
        assert_eq!(strs(&s.satisfied), x.satisfied, "{what}: satisfied");
        assert_eq!(strs(&s.unblocked), x.unblocked, "{what}: unblocked");
        let blocked: Vec<String> = s.blocked.iter().map(|b| b.outcome.to_string()).collect();
        assert_eq!(blocked, x.blocked, "{what}: blocked");
        assert_eq!(strs(&s.open_leaves), x.open_leaves, "{what}: open leaves");
        let cycles: Vec<Vec<String>> = s.cycles.iter().map(|c| strs(c)).collect();
        assert_eq!(cycles, x.cycles, "{what}: cycles");
        let g = s.goal.as_ref().unwrap();
        assert_eq!(g.path.as_deref().map(strs), x.path, "{what}: path");
        assert!(g.path_exact, "{what}");
        assert_eq!(g.path.is_none(), g.unreachable_because.is_some(), "{what}");
        let p = g
            .probability
            .as_ref()
            .unwrap_or_else(|| panic!("{what}: {:?}", g.probability_error));
        assert!(
            close(p.probability, x.probability),
            "{what}: P = {} ≠ {}",
            p.probability,
            x.probability
        );
        let names: Vec<&str> = p
            .sensitivity
            .iter()
            .map(|s| s.variable.name.as_str())
            .collect();
        assert_eq!(names, x.sensitivity, "{what}: sensitivity order");
        for (s, want) in p.sensitivity.iter().zip(&x.importance) {
            assert!(
                close(s.importance, *want),
                "{what}: importance of {} = {} ≠ {want}",
                s.variable.name,
                s.importance
            );
            assert!(close(s.importance, s.if_true - s.if_false), "{what}");
        }
        assert_eq!(p.sensitivity.len(), x.importance.len(), "{what}");
        // The result serialises for `--json`, and the same input gives the same output.
        let again = scenario(&graph, &assume, Some(&goal)).unwrap();
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            serde_json::to_string(&again).unwrap()
        );
    }
}

#[test]
fn unmet_conditions_name_what_is_missing() {
    let case = Case::load(data().join("cycle.toml")).unwrap();
    let graph = ConditionGraph::from_case(&case);
    let s = scenario(&graph, &[], None).unwrap();
    assert!(s.goal.is_none());
    let b = s.blocked.iter().find(|b| b.outcome.issue == "b").unwrap();
    assert!(b.in_cycle);
    assert_eq!(b.unmet[0].condition, "cb");
    assert_eq!(strs(&b.unmet[0].missing), ["a=implemented"]);
    let g = s.blocked.iter().find(|b| b.outcome.issue == "g").unwrap();
    assert!(!g.in_cycle);
    let a = s.blocked.iter().find(|b| b.outcome.issue == "a").unwrap();
    assert_eq!(strs(&a.unmet[0].missing), ["b=implemented"]);
}

#[test]
fn no_path_through_a_pure_cycle_is_explained() {
    let case = Case::load(data().join("pure_cycle.toml")).unwrap();
    let graph = ConditionGraph::from_case(&case);
    let goal: Outcome = "g=implemented".parse().unwrap();
    let s = scenario(&graph, &[], Some(&goal)).unwrap();
    let g = s.goal.unwrap();
    assert_eq!(g.path, None);
    let why = g.unreachable_because.unwrap();
    assert!(why.contains("[a=implemented, b=implemented]"), "{why}");
}

#[test]
fn probability_overrides_and_missing_priors() {
    let case = Case::load(data().join("diamond.toml")).unwrap();
    let graph = ConditionGraph::from_case(&case);
    let goal: Outcome = "g=implemented".parse().unwrap();
    // Overriding s's prior and cg's probability: 0.5 · 0.8 · 0.5 · 1.0 = 0.2.
    let opts = ScenarioOptions {
        priors: BTreeMap::from([("s=implemented".parse().unwrap(), 0.5)]),
        condition_probabilities: BTreeMap::from([("cg".to_string(), 1.0)]),
        sensitivity: false,
        ..Default::default()
    };
    let p = goal_probability(&graph, &[], &goal, &opts).unwrap();
    assert!(close(p.probability, 0.2), "{}", p.probability);
    assert!(p.sensitivity.is_empty());
    assert_eq!(p.shared, 1); // s
    // Without the case's prior, the leaf is reported.
    let mut bare = case.clone();
    bare.priors.clear();
    let graph = ConditionGraph::from_case(&bare);
    let e = goal_probability(&graph, &[], &goal, &ScenarioOptions::default()).unwrap_err();
    assert_eq!(e, ModelError::MissingPriors(vec!["s=implemented".into()]));
    assert!(e.to_string().contains("s=implemented"));
    // The scenario still answers the rest and says why there is no probability.
    let s = scenario(&graph, &[], Some(&goal)).unwrap();
    let g = s.goal.unwrap();
    assert!(g.probability.is_none());
    assert!(g.probability_error.unwrap().contains("no probability"));
    // A default prior fills the gap: 0.9 · 0.8 · 0.5 · 0.25 = 0.09.
    let opts = ScenarioOptions {
        default_prior: Some(0.25),
        ..Default::default()
    };
    let p = goal_probability(&graph, &[], &goal, &opts).unwrap();
    assert!(close(p.probability, 0.09), "{}", p.probability);
    // Out-of-range probabilities are refused.
    let opts = ScenarioOptions {
        default_prior: Some(1.5),
        ..Default::default()
    };
    assert!(matches!(
        scenario_with(&graph, &[], Some(&goal), &opts),
        Err(ModelError::BadProbability { .. })
    ));
}

#[test]
fn unknown_outcomes_are_errors() {
    let case = Case::load(data().join("ladder.toml")).unwrap();
    let graph = ConditionGraph::from_case(&case);
    let e = scenario(&graph, &["v=signed".parse().unwrap()], None).unwrap_err();
    assert!(matches!(e, ModelError::UnknownOutcome { .. }), "{e}");
    let e = scenario(&graph, &[], Some(&"nope=signed".parse().unwrap())).unwrap_err();
    assert!(e.to_string().contains("no issue `nope`"), "{e}");
    // A valid outcome that no condition mentions is not in the graph.
    let e = scenario(&graph, &[], Some(&"v=held".parse().unwrap())).unwrap_err();
    assert_eq!(e, ModelError::NotInGraph("v=held".into()));
    // … unless an assumption satisfies it.
    let s = scenario(
        &graph,
        &["v=passed".parse().unwrap()],
        Some(&"v=held".parse().unwrap()),
    )
    .unwrap();
    assert!(s.goal.unwrap().satisfied);
    assert!(parse_outcomes(&["a=b", "oops"]).is_err());
}

/// A goal needing two intermediate goals that each need the same n leaves: n shared variables.
fn wide_case(n: usize) -> Case {
    let mut src = String::from(
        "[process]\nid = \"wide\"\nname = \"Wide\"\n[[track]]\nid = \"t\"\nname = \"T\"\n",
    );
    for i in 0..n {
        src += &format!(
            "[[issue]]\nid = \"l{i}\"\nname = \"L\"\ntrack = \"t\"\n[[prior]]\noutcome = \"l{i}=implemented\"\nprobability = 0.9\n"
        );
    }
    for id in ["g", "g1", "g2"] {
        src += &format!("[[issue]]\nid = \"{id}\"\nname = \"G\"\ntrack = \"t\"\n");
    }
    let leaves: Vec<String> = (0..n).map(|i| format!("\"l{i}=implemented\"")).collect();
    for id in ["g1", "g2"] {
        src += &format!(
            "[[condition]]\nid = \"c{id}\"\ngoal = \"{id}=implemented\"\nrequires = [{}]\n",
            leaves.join(", ")
        );
    }
    src += "[[condition]]\nid = \"cg\"\ngoal = \"g=implemented\"\nrequires = [\"g1=implemented\", \"g2=implemented\"]\n";
    Case::from_toml_str("wide", &src).unwrap()
}

#[test]
fn too_many_shared_variables_is_a_clear_error() {
    let case = wide_case(25);
    let graph = ConditionGraph::from_case(&case);
    let goal: Outcome = "g=implemented".parse().unwrap();
    let e = goal_probability(&graph, &[], &goal, &ScenarioOptions::default()).unwrap_err();
    assert_eq!(
        e,
        ModelError::TooManySharedVariables {
            count: 25,
            limit: 20
        }
    );
    assert!(e.to_string().contains("25 shared variables"));
    // With a higher limit the exact answer comes out: every leaf must hold, 0.9^25.
    let opts = ScenarioOptions {
        max_shared: 30,
        sensitivity: false,
        ..Default::default()
    };
    let p = goal_probability(&graph, &[], &goal, &opts).unwrap();
    assert!(
        (p.probability - 0.9f64.powi(25)).abs() < 1e-12,
        "{}",
        p.probability
    );
    // The formula size limit is enforced too.
    let opts = ScenarioOptions {
        max_formula: 10,
        ..Default::default()
    };
    assert_eq!(
        goal_probability(&graph, &[], &goal, &opts).unwrap_err(),
        ModelError::FormulaTooLarge { limit: 10 }
    );
}

#[test]
fn path_search_falls_back_when_alternatives_explode() {
    let case = Case::load(data().join("or_diamond.toml")).unwrap();
    let graph = ConditionGraph::from_case(&case);
    let goal: Outcome = "g=implemented".parse().unwrap();
    let opts = ScenarioOptions {
        max_path_choices: 1,
        ..Default::default()
    };
    let s = scenario_with(&graph, &[], Some(&goal), &opts).unwrap();
    let g = s.goal.unwrap();
    assert!(!g.path_exact);
    assert_eq!(g.path.unwrap().len(), 3);
}

/// A chain c0 ← c1 ← … ← c{n-1}, each step with probability 0.99, the last a leaf with prior 0.5.
fn long_chain(n: usize) -> Case {
    let mut src = String::from(
        "[process]\nid = \"long\"\nname = \"Long\"\n[[track]]\nid = \"t\"\nname = \"T\"\n",
    );
    for i in 0..n {
        src += &format!("[[issue]]\nid = \"c{i}\"\nname = \"C\"\ntrack = \"t\"\n");
    }
    for i in 0..n - 1 {
        src += &format!(
            "[[condition]]\nid = \"k{i}\"\ngoal = \"c{i}=implemented\"\nrequires = [\"c{}=implemented\"]\nprobability = 0.99\n",
            i + 1
        );
    }
    src += &format!(
        "[[prior]]\noutcome = \"c{}=implemented\"\nprobability = 0.5\n",
        n - 1
    );
    Case::from_toml_str("long", &src).unwrap()
}

#[test]
fn long_chains_work_and_too_long_ones_are_refused_without_overflow() {
    let goal: Outcome = "c0=implemented".parse().unwrap();
    // 200 outcomes: 199 conditions at 0.99 and a leaf at 0.5.
    let g = ConditionGraph::from_case(&long_chain(200));
    let s = scenario(&g, &[], Some(&goal)).unwrap();
    let r = s.goal.unwrap();
    assert_eq!(r.path.unwrap().len(), 200);
    let p = r.probability.unwrap().probability;
    assert!((p - 0.5 * 0.99f64.powi(199)).abs() < 1e-12, "{p}");
    // 2 000 outcomes: deeper than MAX_DEPTH; errors, a truncated chain, no crash.
    let g = ConditionGraph::from_case(&long_chain(2000));
    let s = scenario(&g, &[], Some(&goal)).unwrap();
    let r = s.goal.unwrap();
    assert!(r.path.is_none());
    assert!(r.unreachable_because.unwrap().contains("deeper than 256"));
    assert_eq!(
        goal_probability(&g, &[], &goal, &ScenarioOptions::default()).unwrap_err(),
        ModelError::TooDeep {
            limit: peacetrack_model::scenario::MAX_DEPTH
        }
    );
    let mut node = &g.chain(&goal).unwrap();
    let mut depth = 0;
    while let Some(c) = node.conditions.first() {
        node = &c.alternatives[0][0];
        depth += 1;
    }
    assert!(node.truncated);
    assert_eq!(depth, peacetrack_model::scenario::MAX_DEPTH);
    // Assuming a state near the end brings the rest within reach.
    let near: Outcome = "c100=implemented".parse().unwrap();
    let s = scenario(&g, &[near], Some(&goal)).unwrap();
    assert_eq!(s.goal.unwrap().path.unwrap().len(), 100);
}
