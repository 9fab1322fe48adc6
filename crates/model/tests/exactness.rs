//! Random small cases (with cycles, diamonds, alternatives and ladders): the exact probability
//! equals brute-force enumeration of every variable on the least-fixed-point semantics, the
//! shortest path is valid and as short as any set of outcomes found by brute force, and nothing
//! panics.

use std::collections::BTreeSet;

use peacetrack_model::{
    Case, ConditionGraph, Outcome, ScenarioOptions, goal_probability, scenario,
};
use proptest::prelude::*;

const ISSUES: [&str; 3] = ["i0", "i1", "i2"];
const STATES: [&str; 2] = ["signed", "ratified"];
const PROBS: [Option<f64>; 4] = [None, Some(0.3), Some(0.5), Some(0.9)];
const PRIORS: [f64; 3] = [0.2, 0.5, 0.7];

fn outcome(k: usize) -> String {
    format!("{}={}", ISSUES[k / 2 % 3], STATES[k % 2])
}

#[derive(Debug, Clone)]
struct Spec {
    /// (goal, alternatives of requirement indices, probability index)
    conditions: Vec<(usize, Vec<Vec<usize>>, usize)>,
    priors: Vec<usize>,
    assume: Vec<usize>,
    goal: usize,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(
            (
                0usize..6,
                prop::collection::vec(prop::collection::vec(0usize..6, 1..3), 1..3),
                0usize..4,
            ),
            1..6,
        ),
        prop::collection::vec(0usize..3, 6),
        prop::collection::vec(0usize..7, 0..3),
        0usize..6,
    )
        .prop_map(|(conditions, priors, assume, goal)| Spec {
            conditions,
            priors,
            assume,
            goal,
        })
}

fn build(s: &Spec) -> Option<Case> {
    let mut src =
        String::from("[process]\nid = \"r\"\nname = \"R\"\n[[track]]\nid = \"t\"\nname = \"T\"\n");
    for i in ISSUES {
        src += &format!("[[issue]]\nid = \"{i}\"\nname = \"I\"\ntrack = \"t\"\n");
    }
    for (n, (goal, alts, p)) in s.conditions.iter().enumerate() {
        let alts: Vec<Vec<usize>> = alts
            .iter()
            .map(|a| a.iter().copied().filter(|r| r != goal).collect())
            .collect();
        if alts.iter().any(|a| a.is_empty()) {
            continue;
        }
        let alts: Vec<String> = alts
            .iter()
            .map(|a| {
                format!(
                    "[{}]",
                    a.iter()
                        .map(|r| format!("\"{}\"", outcome(*r)))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        src += &format!(
            "[[condition]]\nid = \"c{n}\"\ngoal = \"{}\"\nany_of = [{}]\n",
            outcome(*goal),
            alts.join(", ")
        );
        if let Some(p) = PROBS[*p] {
            src += &format!("probability = {p}\n");
        }
    }
    for (k, p) in s.priors.iter().enumerate() {
        src += &format!(
            "[[prior]]\noutcome = \"{}\"\nprobability = {}\n",
            outcome(k),
            PRIORS[*p]
        );
    }
    Some(Case::from_toml_str("random", &src).unwrap_or_else(|e| panic!("{e}\n{src}")))
}

fn assumptions(s: &Spec) -> Vec<Outcome> {
    s.assume
        .iter()
        .map(|&k| {
            if k == 6 {
                "i0=rejected".parse().unwrap()
            } else {
                outcome(k).parse().unwrap()
            }
        })
        .collect()
}

/// Reached outcomes for one assignment of the variables, by forward chaining to the least fixed
/// point: leaves hold when their variable is true, goals when all their conditions hold and have
/// an alternative whose requirements are satisfied.
fn reached(
    g: &ConditionGraph,
    assume: &[Outcome],
    cond_on: &[bool],
    leaf_on: &BTreeSet<Outcome>,
) -> Vec<Outcome> {
    let mut r: Vec<Outcome> = assume.to_vec();
    let sat = |r: &[Outcome], o: &Outcome| r.iter().any(|x| g.satisfies(x, o));
    loop {
        let mut changed = false;
        for n in g.nodes() {
            if sat(&r, n) || r.contains(n) {
                continue;
            }
            let ok = if g.is_leaf(n) {
                leaf_on.contains(n)
            } else {
                g.conditions()
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| &c.goal == n)
                    .all(|(i, c)| {
                        cond_on[i]
                            && c.alternatives
                                .iter()
                                .any(|alt| alt.iter().all(|x| sat(&r, x)))
                    })
            };
            if ok {
                r.push(n.clone());
                changed = true;
            }
        }
        if !changed {
            return r;
        }
    }
}

fn brute_probability(g: &ConditionGraph, assume: &[Outcome], goal: &Outcome) -> f64 {
    let conds: Vec<f64> = g
        .conditions()
        .iter()
        .map(|c| c.probability.unwrap_or(1.0))
        .collect();
    let leaves: Vec<(&Outcome, f64)> = g
        .nodes()
        .into_iter()
        .filter(|n| g.is_leaf(n))
        .map(|n| (n, g.priors()[n]))
        .collect();
    let n = conds.len() + leaves.len();
    let mut total = 0.0;
    for mask in 0u32..(1 << n) {
        let bit = |i: usize| mask & (1 << i) != 0;
        let mut w = 1.0;
        let cond_on: Vec<bool> = (0..conds.len())
            .map(|i| {
                w *= if bit(i) { conds[i] } else { 1.0 - conds[i] };
                bit(i)
            })
            .collect();
        let mut leaf_on = BTreeSet::new();
        for (j, (o, p)) in leaves.iter().enumerate() {
            let on = bit(conds.len() + j);
            w *= if on { *p } else { 1.0 - *p };
            if on {
                leaf_on.insert((*o).clone());
            }
        }
        if w == 0.0 {
            continue;
        }
        let r = reached(g, assume, &cond_on, &leaf_on);
        if r.iter().any(|x| g.satisfies(x, goal)) {
            total += w;
        }
    }
    total
}

/// Whether realising the outcomes of `set` (in any workable order) reaches the goal.
fn set_reaches(g: &ConditionGraph, assume: &[Outcome], set: &[Outcome], goal: &Outcome) -> bool {
    let all_leaves: BTreeSet<Outcome> = set.iter().filter(|n| g.is_leaf(n)).cloned().collect();
    let cond_on = vec![true; g.conditions().len()];
    // Goals of the set are allowed to happen; goals outside it are not.
    let mut r: Vec<Outcome> = assume.to_vec();
    let sat = |r: &[Outcome], o: &Outcome| r.iter().any(|x| g.satisfies(x, o));
    loop {
        let mut changed = false;
        for n in set {
            if r.contains(n) {
                continue;
            }
            let ok = if g.is_leaf(n) {
                all_leaves.contains(n)
            } else {
                g.conditions()
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| &c.goal == n)
                    .all(|(i, c)| {
                        cond_on[i]
                            && c.alternatives
                                .iter()
                                .any(|alt| alt.iter().all(|x| sat(&r, x)))
                    })
            };
            if ok {
                r.push(n.clone());
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    sat(&r, goal)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn exact_probability_and_shortest_path(s in spec()) {
        let Some(case) = build(&s) else { return Ok(()) };
        let g = ConditionGraph::from_case(&case);
        let assume = assumptions(&s);
        let goal: Outcome = outcome(s.goal).parse().unwrap();
        let sat_goal = assume.iter().any(|a| g.satisfies(a, &goal));
        if !g.contains(&goal) && !sat_goal {
            prop_assert!(scenario(&g, &assume, Some(&goal)).is_err());
            return Ok(());
        }
        let sc = scenario(&g, &assume, Some(&goal)).unwrap();
        let report = sc.goal.unwrap();
        let p = goal_probability(&g, &assume, &goal, &ScenarioOptions::default()).unwrap();
        let want = brute_probability(&g, &assume, &goal);
        prop_assert!((p.probability - want).abs() < 1e-9, "exact {} vs brute {} for {:?}", p.probability, want, s);
        prop_assert!((0.0..=1.0 + 1e-12).contains(&p.probability));
        for x in &p.sensitivity {
            prop_assert!(x.importance >= -1e-12, "negative importance {:?}", x);
        }
        // The shortest path against brute force over all sets of graph outcomes.
        let nodes: Vec<Outcome> = g.nodes().into_iter().cloned().collect();
        let mut best: Option<usize> = None;
        for mask in 0u32..(1 << nodes.len()) {
            let set: Vec<Outcome> = nodes.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, n)| n.clone()).collect();
            if best.is_some_and(|b| set.len() >= b) {
                continue;
            }
            if set_reaches(&g, &assume, &set, &goal) {
                best = Some(set.len());
            }
        }
        prop_assert!(report.path_exact);
        match (&report.path, best) {
            (Some(path), Some(b)) => {
                prop_assert_eq!(path.len(), b, "path {:?} for {:?}", path, s);
                prop_assert!(set_reaches(&g, &assume, path, &goal));
            }
            (None, None) => {}
            (got, want) => prop_assert!(false, "path {:?} but brute force {:?} for {:?}", got, want, s),
        }
        if sat_goal {
            prop_assert_eq!(report.path.as_deref(), Some(&[][..]));
            prop_assert!((p.probability - 1.0).abs() < 1e-12);
        }
    }
}
