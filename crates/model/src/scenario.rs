//! Scenarios on the condition graph: what the assumptions unblock, what still blocks, the shortest
//! remaining path to a goal, and the goal's probability with a sensitivity ranking.
//!
//! # Semantics
//!
//! - **Satisfied.** An outcome is satisfied when an assumption reaches it: the same issue at the
//!   same state, or at a higher state of the issue's ladder (`treaty=ratified` satisfies
//!   `treaty=signed`; off-ladder states such as `rejected` satisfy only themselves).
//! - **Conditions.** A condition is met when every outcome of at least one of its alternative
//!   requirement sets is satisfied. An outcome with conditions is **unblocked** when it is not
//!   satisfied and all its conditions are met (each condition is a necessary condition, so several
//!   conditions on one goal must all hold). Leaves (outcomes no condition explains) are external:
//!   they are listed as open, never as blocked.
//! - **Cycles.** An outcome on a cycle of requirements can only become reachable through an
//!   assumption that breaks the cycle (or through an alternative outside it): the model takes the
//!   least fixed point, so no outcome is its own (indirect) requirement. Such outcomes are flagged
//!   `in_cycle`, their remaining path is `None` when every way to them runs into the cycle, and their
//!   probability is computed on the same least-fixed-point semantics.
//! - **Shortest remaining path.** The fewest outcomes still to realise for the goal to be reached:
//!   each unsatisfied requirement, recursively, counted once even when several goals need it, plus
//!   the goal itself; listed requirements first. When conditions offer alternatives, every
//!   combination of choices is tried (up to [`ScenarioOptions::max_path_choices`]; beyond that the
//!   alternative with the fewest unmet requirements is taken and `path_exact` is false). A
//!   requirement `I=S`, and the goal itself, may be realised by `I=S` or by any higher state of `I`
//!   in the graph (one realised outcome can serve several requirements, and a higher state reached
//!   by its own conditions satisfies the lower one, as in the probability model); these choices are
//!   tried the same way. The path lists the outcomes to realise, the last one satisfying the goal. Ties
//!   go to the lexicographically smallest set of outcomes.
//!
//! # Probability model
//!
//! - Each condition holds with its probability `p` (the analyst's estimate that the goal follows
//!   once that condition's requirements are met; `1` when none is given). A goal with conditions is
//!   reached exactly when every one of its conditions holds and has one alternative whose
//!   requirements are all reached.
//! - Each leaf outcome is reached with its prior (options, then the case's `[[prior]]`, then
//!   [`ScenarioOptions::default_prior`]; a missing prior is an error naming the leaves).
//!   Assumed outcomes are reached with probability 1.
//! - **Independence:** all condition variables and all leaf variables are mutually independent.
//!   Dependence between outcomes arises only through the graph (shared requirements), and that is
//!   counted exactly: the goal is unfolded into a monotone formula over these variables, variables
//!   that occur more than once (a requirement shared by two goals, a diamond) are enumerated by
//!   Shannon expansion, and the rest is read-once, where products are exact. More than
//!   [`ScenarioOptions::max_shared`] shared variables is an error rather than a slow answer.
//! - **Sensitivity:** for each variable, the Birnbaum importance `P(goal | X=1) − P(goal | X=0)`,
//!   sorted by importance (largest first; equal to 1e-12 counts as a tie), then conditions before
//!   leaves, then by name.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::ModelError;
use crate::graph::ConditionGraph;
use crate::outcome::Outcome;

/// The deepest requirement chain (goal → requirement → … → leaf) the path search and the
/// probability follow; deeper chains give [`ModelError::TooDeep`] or no path, never a stack
/// overflow.
pub const MAX_DEPTH: usize = 256;

/// Limits and probability overrides for a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioOptions {
    /// Priors for leaf outcomes, over the case's.
    pub priors: BTreeMap<Outcome, f64>,
    /// Probabilities of conditions by graph condition id, over the case's.
    pub condition_probabilities: BTreeMap<String, f64>,
    /// The prior of a leaf that has none; `None` = a missing prior is an error.
    pub default_prior: Option<f64>,
    /// Most shared variables exact inference enumerates (2^n evaluations at worst). Default 20.
    pub max_shared: usize,
    /// Most terms of the goal's unfolded formula. Default 200 000.
    pub max_formula: usize,
    /// Most combinations of alternatives the path search tries exactly. Default 4096.
    pub max_path_choices: usize,
    /// Compute the sensitivity ranking. Default true.
    pub sensitivity: bool,
}

impl Default for ScenarioOptions {
    fn default() -> ScenarioOptions {
        ScenarioOptions {
            priors: BTreeMap::new(),
            condition_probabilities: BTreeMap::new(),
            default_prior: None,
            max_shared: 20,
            max_formula: 200_000,
            max_path_choices: 4096,
            sensitivity: true,
        }
    }
}

/// A condition that is not met, with what it still misses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnmetCondition {
    /// The condition id.
    pub condition: String,
    /// The unsatisfied requirements of its alternative with the fewest of them (the first such).
    pub missing: Vec<Outcome>,
}

/// An outcome whose conditions are not all met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Blocked {
    /// The outcome.
    pub outcome: Outcome,
    /// It lies on a cycle of requirements.
    pub in_cycle: bool,
    /// Its unmet conditions.
    pub unmet: Vec<UnmetCondition>,
}

/// What kind of random variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VariableKind {
    /// A condition holding.
    Condition,
    /// A leaf outcome being reached.
    Leaf,
}

/// A random variable of the goal's formula.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Variable {
    /// Condition id, or the leaf outcome as `ISSUE=STATE`.
    pub name: String,
    /// Condition or leaf.
    pub kind: VariableKind,
    /// Its probability.
    pub probability: f64,
}

/// The Birnbaum importance of one variable for the goal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The variable.
    pub variable: Variable,
    /// The goal's probability with the variable set to 1.
    pub if_true: f64,
    /// The goal's probability with the variable set to 0.
    pub if_false: f64,
    /// `if_true − if_false`.
    pub importance: f64,
}

/// The goal's probability.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProbabilityReport {
    /// The goal.
    pub goal: Outcome,
    /// Its probability under the assumptions.
    pub probability: f64,
    /// The variables it depends on, sorted by kind then name.
    pub variables: Vec<Variable>,
    /// How many of them are shared (enumerated exactly).
    pub shared: usize,
    /// The sensitivity ranking (empty when not asked for).
    pub sensitivity: Vec<Sensitivity>,
}

/// The goal part of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GoalReport {
    /// The goal.
    pub goal: Outcome,
    /// The assumptions satisfy it already.
    pub satisfied: bool,
    /// All its conditions are met.
    pub unblocked: bool,
    /// The fewest outcomes still to realise, requirements first, the goal (or a higher state of
    /// its issue that satisfies it) last (empty when
    /// satisfied); `None` when every way runs into a cycle.
    pub path: Option<Vec<Outcome>>,
    /// Whether the path is proven shortest (false when the alternatives were too many to try all).
    pub path_exact: bool,
    /// Why there is no path.
    pub unreachable_because: Option<String>,
    /// The probability, when it could be computed.
    pub probability: Option<ProbabilityReport>,
    /// Why it could not (missing priors, too many shared variables).
    pub probability_error: Option<String>,
}

/// The result of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// The assumptions, sorted.
    pub assumptions: Vec<Outcome>,
    /// Graph outcomes the assumptions satisfy.
    pub satisfied: Vec<Outcome>,
    /// Outcomes with conditions, not satisfied, whose conditions are all met.
    pub unblocked: Vec<Outcome>,
    /// Outcomes with conditions that are not all met.
    pub blocked: Vec<Blocked>,
    /// Leaf outcomes not satisfied.
    pub open_leaves: Vec<Outcome>,
    /// The graph's cycles.
    pub cycles: Vec<Vec<Outcome>>,
    /// The goal analysis, if a goal was given.
    pub goal: Option<GoalReport>,
}

/// Parses `ISSUE=STATE` strings.
pub fn parse_outcomes<S: AsRef<str>>(v: &[S]) -> Result<Vec<Outcome>, ModelError> {
    v.iter()
        .map(|s| {
            s.as_ref()
                .parse()
                .map_err(|e: crate::outcome::OutcomeSyntaxError| ModelError::Syntax(e.to_string()))
        })
        .collect()
}

struct Ctx<'g> {
    g: &'g ConditionGraph,
    assumptions: Vec<Outcome>,
}

impl Ctx<'_> {
    fn sat(&self, o: &Outcome) -> bool {
        self.assumptions.iter().any(|a| self.g.satisfies(a, o))
    }

    fn missing(&self, alt: &[Outcome]) -> Vec<Outcome> {
        alt.iter().filter(|r| !self.sat(r)).cloned().collect()
    }
}

/// [`scenario_with`] with default options.
pub fn scenario(
    graph: &ConditionGraph,
    assumptions: &[Outcome],
    goal: Option<&Outcome>,
) -> Result<Scenario, ModelError> {
    scenario_with(graph, assumptions, goal, &ScenarioOptions::default())
}

fn check_inputs(
    graph: &ConditionGraph,
    assumptions: &[Outcome],
    goal: Option<&Outcome>,
    opts: &ScenarioOptions,
) -> Result<(), ModelError> {
    for a in assumptions.iter().chain(goal) {
        graph.check_outcome(a)?;
    }
    let bad = |what: String, value: f64| {
        if (0.0..=1.0).contains(&value) {
            Ok(())
        } else {
            Err(ModelError::BadProbability { what, value })
        }
    };
    for (o, p) in &opts.priors {
        bad(o.to_string(), *p)?;
    }
    for (c, p) in &opts.condition_probabilities {
        bad(c.clone(), *p)?;
    }
    if let Some(p) = opts.default_prior {
        bad("the default prior".to_string(), p)?;
    }
    Ok(())
}

/// Runs a scenario: given the assumptions, what is satisfied, unblocked, blocked and open, and for
/// the goal, the shortest remaining path and the probability. Errors only for outcomes the case
/// does not define, probabilities out of range, or a goal that is neither in the graph nor
/// satisfied; a probability that cannot be computed is reported in [`GoalReport::probability_error`].
pub fn scenario_with(
    graph: &ConditionGraph,
    assumptions: &[Outcome],
    goal: Option<&Outcome>,
    opts: &ScenarioOptions,
) -> Result<Scenario, ModelError> {
    check_inputs(graph, assumptions, goal, opts)?;
    let mut assumptions = assumptions.to_vec();
    assumptions.sort();
    assumptions.dedup();
    let ctx = Ctx {
        g: graph,
        assumptions: assumptions.clone(),
    };
    let mut out = Scenario {
        assumptions: assumptions.clone(),
        satisfied: Vec::new(),
        unblocked: Vec::new(),
        blocked: Vec::new(),
        open_leaves: Vec::new(),
        cycles: graph.cycles().to_vec(),
        goal: None,
    };
    for n in graph.nodes() {
        if ctx.sat(n) {
            out.satisfied.push(n.clone());
        } else if graph.is_leaf(n) {
            out.open_leaves.push(n.clone());
        } else {
            let unmet = unmet_conditions(&ctx, n);
            if unmet.is_empty() {
                out.unblocked.push(n.clone());
            } else {
                out.blocked.push(Blocked {
                    outcome: n.clone(),
                    in_cycle: graph.in_cycle(n),
                    unmet,
                });
            }
        }
    }
    if let Some(goal) = goal {
        let satisfied = ctx.sat(goal);
        if !satisfied && !graph.contains(goal) {
            return Err(ModelError::NotInGraph(goal.to_string()));
        }
        let unblocked = !satisfied && unmet_conditions(&ctx, goal).is_empty();
        let (path, path_exact, too_deep) = shortest_path(&ctx, goal, opts.max_path_choices);
        let unreachable_because = if too_deep {
            Some(format!(
                "the requirement chains under {goal} are deeper than {MAX_DEPTH} outcomes; no path was searched"
            ))
        } else if path.is_none() {
            let cyc: Vec<String> = graph
                .cycles()
                .iter()
                .map(|c| {
                    format!(
                        "[{}]",
                        c.iter()
                            .map(|o| o.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
                .collect();
            Some(format!(
                "every way to {goal} runs into a cycle of requirements that no assumption breaks: {}",
                cyc.join(" ")
            ))
        } else {
            None
        };
        let (probability, probability_error) =
            match goal_probability(graph, &assumptions, goal, opts) {
                Ok(p) => (Some(p), None),
                Err(e) => (None, Some(e.to_string())),
            };
        out.goal = Some(GoalReport {
            goal: goal.clone(),
            satisfied,
            unblocked,
            path,
            path_exact,
            unreachable_because,
            probability,
            probability_error,
        });
    }
    Ok(out)
}

fn unmet_conditions(ctx: &Ctx, n: &Outcome) -> Vec<UnmetCondition> {
    let mut unmet = Vec::new();
    for c in ctx.g.conditions_on(n) {
        let best = c
            .alternatives
            .iter()
            .map(|alt| ctx.missing(alt))
            .min_by_key(|m| m.len())
            .unwrap_or_default();
        if !best.is_empty() {
            unmet.push(UnmetCondition {
                condition: c.id.clone(),
                missing: best,
            });
        }
    }
    unmet
}

/// A decision of the path search: which alternative of a condition, or which graph outcome
/// realises a requirement (the requirement itself or a higher state of its issue).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Choice {
    Alternative(usize),
    Realiser(Outcome),
}

impl Ctx<'_> {
    /// The graph outcomes that would satisfy `o`, sorted, `o` itself among them when it is a node.
    fn realisers(&self, o: &Outcome) -> Vec<&Outcome> {
        self.g
            .nodes()
            .into_iter()
            .filter(|n| self.g.satisfies(n, o))
            .collect()
    }

    fn default_realiser<'a>(&self, o: &Outcome, cands: &[&'a Outcome]) -> Option<&'a Outcome> {
        cands.iter().find(|c| **c == o).or(cands.first()).copied()
    }
}

/// The decisions with more than one option reachable from `goal` through unsatisfied outcomes, with
/// their number of options.
fn choice_points(ctx: &Ctx, goal: &Outcome) -> Vec<(Choice, usize)> {
    let mut seen_req = BTreeSet::new();
    let mut seen_node = BTreeSet::new();
    let mut stack = vec![goal.clone()];
    let mut points = BTreeMap::new();
    while let Some(r) = stack.pop() {
        if ctx.sat(&r) || !seen_req.insert(r.clone()) {
            continue;
        }
        let cands = ctx.realisers(&r);
        if cands.len() > 1 {
            points.insert(Choice::Realiser(r.clone()), cands.len());
        }
        for n in cands {
            if !seen_node.insert(n.clone()) {
                continue;
            }
            for &ci in ctx.g.condition_indices_on(n) {
                let c = &ctx.g.conditions()[ci];
                if c.alternatives.len() > 1 {
                    points.insert(Choice::Alternative(ci), c.alternatives.len());
                }
                stack.extend(c.alternatives.iter().flatten().cloned());
            }
        }
    }
    points.into_iter().collect()
}

struct Planner<'a, 'g> {
    ctx: &'a Ctx<'g>,
    choice: &'a BTreeMap<Choice, usize>,
    stack: Vec<Outcome>,
    done: Vec<Outcome>,
    too_deep: bool,
}

impl Planner<'_, '_> {
    /// Makes the requirement `o` hold; false when a cycle is hit.
    fn require(&mut self, o: &Outcome) -> bool {
        if self.ctx.sat(o) || self.done.iter().any(|d| self.ctx.g.satisfies(d, o)) {
            return true;
        }
        let cands = self.ctx.realisers(o);
        let pick = match self.choice.get(&Choice::Realiser(o.clone())) {
            Some(&k) => cands.get(k).copied(),
            None => self.ctx.default_realiser(o, &cands),
        };
        match pick {
            Some(n) => {
                let n = n.clone();
                self.realise(&n)
            }
            None => false,
        }
    }

    /// Realises the graph outcome `n` after its requirements.
    fn realise(&mut self, n: &Outcome) -> bool {
        if self.ctx.sat(n) || self.done.contains(n) {
            return true;
        }
        if self.stack.contains(n) {
            return false;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.too_deep = true;
            return false;
        }
        self.stack.push(n.clone());
        for &ci in self.ctx.g.condition_indices_on(n) {
            let c = &self.ctx.g.conditions()[ci];
            let k = self
                .choice
                .get(&Choice::Alternative(ci))
                .copied()
                .unwrap_or(0);
            let Some(alt) = c.alternatives.get(k) else {
                continue;
            };
            for r in alt {
                if !self.require(r) {
                    self.stack.pop();
                    return false;
                }
            }
        }
        self.stack.pop();
        self.done.push(n.clone());
        true
    }
}

/// The outcome of planning under fixed choices.
enum Plan {
    Path(Vec<Outcome>),
    Cycle,
    TooDeep,
}

/// Plans the outcomes to realise under fixed choices, in order.
fn plan(ctx: &Ctx, goal: &Outcome, choice: &BTreeMap<Choice, usize>) -> Plan {
    let mut p = Planner {
        ctx,
        choice,
        stack: Vec::new(),
        done: Vec::new(),
        too_deep: false,
    };
    if p.require(goal) {
        Plan::Path(p.done)
    } else if p.too_deep {
        Plan::TooDeep
    } else {
        Plan::Cycle
    }
}

/// The shortest path, whether it is proven shortest, and whether the search gave up on depth.
fn shortest_path(
    ctx: &Ctx,
    goal: &Outcome,
    max_choices: usize,
) -> (Option<Vec<Outcome>>, bool, bool) {
    if ctx.sat(goal) {
        return (Some(Vec::new()), true, false);
    }
    let points = choice_points(ctx, goal);
    let total = points
        .iter()
        .try_fold(1usize, |acc, (_, r)| acc.checked_mul(*r))
        .filter(|&t| t <= max_choices.max(1));
    let Some(total) = total else {
        // Too many combinations: the alternative with the fewest unmet requirements, and every
        // requirement realised as itself.
        let choice: BTreeMap<Choice, usize> = points
            .iter()
            .filter_map(|(p, _)| match p {
                Choice::Alternative(ci) => {
                    let c = &ctx.g.conditions()[*ci];
                    let k = (0..c.alternatives.len())
                        .min_by_key(|&k| ctx.missing(&c.alternatives[k]).len())
                        .unwrap_or(0);
                    Some((p.clone(), k))
                }
                Choice::Realiser(_) => None,
            })
            .collect();
        return match plan(ctx, goal, &choice) {
            Plan::Path(p) => (Some(p), false, false),
            Plan::Cycle => (None, false, false),
            Plan::TooDeep => (None, false, true),
        };
    };
    let mut best: Option<(Vec<Outcome>, Vec<Outcome>)> = None;
    for n in 0..total {
        let mut rest = n;
        let choice: BTreeMap<Choice, usize> = points
            .iter()
            .map(|(p, r)| {
                let k = rest % r;
                rest /= r;
                (p.clone(), k)
            })
            .collect();
        let order = match plan(ctx, goal, &choice) {
            Plan::Path(p) => p,
            Plan::Cycle => continue,
            Plan::TooDeep => return (None, false, true),
        };
        let mut sorted = order.clone();
        sorted.sort();
        let better = match &best {
            None => true,
            Some((s, o)) => (order.len(), &sorted) < (o.len(), s),
        };
        if better {
            best = Some((sorted, order));
        }
    }
    (best.map(|b| b.1), true, false)
}

// ---------------------------------------------------------------------------------------------
// Exact probability

#[derive(Clone, Debug, PartialEq)]
/// A monotone formula over the random variables.
enum Formula {
    True,
    False,
    Var(usize),
    And(Vec<Formula>),
    Or(Vec<Formula>),
}

struct Builder<'g, 'o> {
    ctx: Ctx<'g>,
    opts: &'o ScenarioOptions,
    vars: Vec<Variable>,
    cond_var: BTreeMap<usize, usize>,
    leaf_var: BTreeMap<Outcome, usize>,
    missing: BTreeSet<Outcome>,
    by_issue: BTreeMap<&'g str, Vec<&'g Outcome>>,
    size: usize,
    too_large: bool,
    too_deep: bool,
}

impl<'g> Builder<'g, '_> {
    fn tick(&mut self) -> bool {
        self.size += 1;
        if self.size > self.opts.max_formula {
            self.too_large = true;
        }
        !self.too_large
    }

    fn sat(&mut self, o: &Outcome, stack: &mut Vec<Outcome>) -> Formula {
        if self.ctx.sat(o) {
            return Formula::True;
        }
        let candidates: Vec<&'g Outcome> = self
            .by_issue
            .get(o.issue.as_str())
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|n| self.ctx.g.satisfies(n, o))
                    .collect()
            })
            .unwrap_or_default();
        let mut ors = Vec::new();
        for n in candidates {
            ors.push(self.base(n, stack));
        }
        Formula::Or(ors)
    }

    fn base(&mut self, n: &Outcome, stack: &mut Vec<Outcome>) -> Formula {
        if stack.len() >= MAX_DEPTH {
            self.too_deep = true;
        }
        if !self.tick() || self.too_deep || stack.contains(n) {
            return Formula::False;
        }
        let g = self.ctx.g;
        if g.is_leaf(n) {
            if let Some(&v) = self.leaf_var.get(n) {
                return Formula::Var(v);
            }
            let p = self
                .opts
                .priors
                .get(n)
                .or_else(|| g.priors().get(n))
                .copied()
                .or(self.opts.default_prior);
            if p.is_none() {
                self.missing.insert(n.clone());
            }
            let v = self.vars.len();
            self.vars.push(Variable {
                name: n.to_string(),
                kind: VariableKind::Leaf,
                probability: p.unwrap_or(0.0),
            });
            self.leaf_var.insert(n.clone(), v);
            return Formula::Var(v);
        }
        stack.push(n.clone());
        let mut ands = Vec::new();
        for &ci in g.condition_indices_on(n) {
            let c = &g.conditions()[ci];
            let v = match self.cond_var.get(&ci) {
                Some(&v) => v,
                None => {
                    let p = self
                        .opts
                        .condition_probabilities
                        .get(&c.id)
                        .copied()
                        .or(c.probability)
                        .unwrap_or(1.0);
                    let v = self.vars.len();
                    self.vars.push(Variable {
                        name: c.id.clone(),
                        kind: VariableKind::Condition,
                        probability: p,
                    });
                    self.cond_var.insert(ci, v);
                    v
                }
            };
            let mut ors = Vec::new();
            for alt in &c.alternatives {
                let mut all = Vec::new();
                for r in alt {
                    all.push(self.sat(r, stack));
                }
                ors.push(Formula::And(all));
            }
            ands.push(Formula::And(vec![Formula::Var(v), Formula::Or(ors)]));
        }
        stack.pop();
        Formula::And(ands)
    }
}

fn simplify(f: Formula) -> Formula {
    match f {
        Formula::And(v) => {
            let mut out = Vec::new();
            for x in v {
                match simplify(x) {
                    Formula::True => {}
                    Formula::False => return Formula::False,
                    Formula::And(inner) => out.extend(inner),
                    y => out.push(y),
                }
            }
            match out.len() {
                0 => Formula::True,
                1 => out.pop().unwrap_or(Formula::True),
                _ => Formula::And(out),
            }
        }
        Formula::Or(v) => {
            let mut out = Vec::new();
            for x in v {
                match simplify(x) {
                    Formula::False => {}
                    Formula::True => return Formula::True,
                    Formula::Or(inner) => out.extend(inner),
                    y => out.push(y),
                }
            }
            match out.len() {
                0 => Formula::False,
                1 => out.pop().unwrap_or(Formula::False),
                _ => Formula::Or(out),
            }
        }
        x => x,
    }
}

fn assign(f: &Formula, var: usize, val: bool) -> Formula {
    match f {
        Formula::Var(v) if *v == var => {
            if val {
                Formula::True
            } else {
                Formula::False
            }
        }
        Formula::And(v) => Formula::And(v.iter().map(|x| assign(x, var, val)).collect()),
        Formula::Or(v) => Formula::Or(v.iter().map(|x| assign(x, var, val)).collect()),
        x => x.clone(),
    }
}

fn count(f: &Formula, counts: &mut BTreeMap<usize, usize>) {
    match f {
        Formula::Var(v) => *counts.entry(*v).or_default() += 1,
        Formula::And(v) | Formula::Or(v) => v.iter().for_each(|x| count(x, counts)),
        _ => {}
    }
}

/// Probability of a formula in which every variable occurs at most once: siblings share no
/// variable, so they are independent and products are exact.
fn read_once(f: &Formula, p: &[f64]) -> f64 {
    match f {
        Formula::True => 1.0,
        Formula::False => 0.0,
        Formula::Var(v) => p.get(*v).copied().unwrap_or(0.0),
        Formula::And(v) => v.iter().map(|x| read_once(x, p)).product(),
        Formula::Or(v) => 1.0 - v.iter().map(|x| 1.0 - read_once(x, p)).product::<f64>(),
    }
}

/// Shannon expansion on the most frequent shared variable until the formula is read-once.
fn factor(f: Formula, p: &[f64]) -> f64 {
    let f = simplify(f);
    match f {
        Formula::True => return 1.0,
        Formula::False => return 0.0,
        _ => {}
    }
    let mut counts = BTreeMap::new();
    count(&f, &mut counts);
    let pick = counts
        .iter()
        .filter(|(_, c)| **c > 1)
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(v, _)| *v);
    let Some(v) = pick else {
        return read_once(&f, p);
    };
    let pv = p.get(v).copied().unwrap_or(0.0);
    let mut r = 0.0;
    if pv > 0.0 {
        r += pv * factor(assign(&f, v, true), p);
    }
    if pv < 1.0 {
        r += (1.0 - pv) * factor(assign(&f, v, false), p);
    }
    r
}

/// The goal's exact probability under the assumptions, with the sensitivity ranking (see the
/// module docs for the model and its independence assumptions).
pub fn goal_probability(
    graph: &ConditionGraph,
    assumptions: &[Outcome],
    goal: &Outcome,
    opts: &ScenarioOptions,
) -> Result<ProbabilityReport, ModelError> {
    check_inputs(graph, assumptions, Some(goal), opts)?;
    let mut by_issue: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for n in graph.nodes() {
        by_issue.entry(n.issue.as_str()).or_default().push(n);
    }
    let mut b = Builder {
        ctx: Ctx {
            g: graph,
            assumptions: assumptions.to_vec(),
        },
        opts,
        vars: Vec::new(),
        cond_var: BTreeMap::new(),
        leaf_var: BTreeMap::new(),
        missing: BTreeSet::new(),
        by_issue,
        size: 0,
        too_large: false,
        too_deep: false,
    };
    if !b.ctx.sat(goal) && !graph.contains(goal) {
        return Err(ModelError::NotInGraph(goal.to_string()));
    }
    let f = b.sat(goal, &mut Vec::new());
    if b.too_deep {
        return Err(ModelError::TooDeep { limit: MAX_DEPTH });
    }
    if b.too_large {
        return Err(ModelError::FormulaTooLarge {
            limit: opts.max_formula,
        });
    }
    if !b.missing.is_empty() {
        return Err(ModelError::MissingPriors(
            b.missing.iter().map(|o| o.to_string()).collect(),
        ));
    }
    let f = simplify(f);
    let mut counts = BTreeMap::new();
    count(&f, &mut counts);
    let shared = counts.values().filter(|&&c| c > 1).count();
    if shared > opts.max_shared {
        return Err(ModelError::TooManySharedVariables {
            count: shared,
            limit: opts.max_shared,
        });
    }
    let probs: Vec<f64> = b.vars.iter().map(|v| v.probability).collect();
    let probability = factor(f.clone(), &probs);
    // Only the variables that survive simplification matter.
    let used: Vec<usize> = counts.keys().copied().collect();
    let mut sensitivity = Vec::new();
    if opts.sensitivity {
        for &v in &used {
            let mut p1 = probs.clone();
            p1[v] = 1.0;
            let mut p0 = probs.clone();
            p0[v] = 0.0;
            let if_true = factor(f.clone(), &p1);
            let if_false = factor(f.clone(), &p0);
            sensitivity.push(Sensitivity {
                variable: b.vars[v].clone(),
                if_true,
                if_false,
                importance: if_true - if_false,
            });
        }
        // Importances equal up to rounding noise (1e-12) count as ties, broken by name.
        let q = |x: f64| (x * 1e12).round() as i64;
        sensitivity.sort_by(|a, b| {
            q(b.importance).cmp(&q(a.importance)).then_with(|| {
                (a.variable.kind, &a.variable.name).cmp(&(b.variable.kind, &b.variable.name))
            })
        });
    }
    let mut variables: Vec<Variable> = used.iter().map(|&v| b.vars[v].clone()).collect();
    variables.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    Ok(ProbabilityReport {
        goal: goal.clone(),
        probability,
        variables,
        shared,
        sensitivity,
    })
}
