//! The condition graph: outcomes (`ISSUE=STATE`) as nodes, an edge from each requirement to the
//! goal that requires it, every edge with its sources.
//!
//! Conditions come from the case file (with its citations) and from extracted condition statements
//! mapped to outcomes by the cue linking ([`Linker::link_statement`]). Conditions with the same goal
//! and the same requirement sets are merged into one, with all their ids and sources; an edge
//! between two outcomes carries the sources of every condition that makes it. Cycles (strongly
//! connected components of more than one node) are detected and reported, never followed forever.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;

use crate::case::Case;
use crate::error::ModelError;
use crate::link::{ConditionStatement, Linker};
use crate::outcome::{Outcome, States};
use crate::rules::Rules;

/// Where a condition comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A citation of a case-file condition.
    Citation {
        /// The case condition's id.
        condition: String,
        /// The cited document id.
        doc: String,
        /// The citation's note.
        note: Option<String>,
        /// Who states the condition, per the case.
        asserted_by: Option<String>,
    },
    /// A case-file condition with no citation: the analyst's own judgement.
    Analyst {
        /// The case condition's id.
        condition: String,
        /// Its note.
        note: Option<String>,
    },
    /// An extracted condition statement.
    Statement {
        /// The statement id.
        statement: String,
        /// Its document.
        doc: Option<String>,
        /// Who states it.
        asserted_by: Option<String>,
        /// Its `what` text.
        what: String,
        /// Its `requires` text.
        requires: String,
        /// Its evidence text.
        evidence: Option<String>,
    },
}

impl Source {
    /// The document id, if the source has one.
    pub fn doc(&self) -> Option<&str> {
        match self {
            Source::Citation { doc, .. } => Some(doc),
            Source::Statement { doc, .. } => doc.as_deref(),
            Source::Analyst { .. } => None,
        }
    }
}

/// A condition of the graph: one or more merged case conditions or statements.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphCondition {
    /// Its id: the first merged id (case ids as written; statements as `statement:ID`).
    pub id: String,
    /// Every merged id, in order of appearance.
    pub ids: Vec<String>,
    /// The goal.
    pub goal: Outcome,
    /// Alternative requirement sets (OR of ANDs), each sorted, the list sorted.
    pub alternatives: Vec<Vec<Outcome>>,
    /// Probability that the goal follows once the requirements are met (`None` = 1).
    pub probability: Option<f64>,
    /// All sources, in order of appearance.
    pub sources: Vec<Source>,
}

/// An edge: `from` is required (by at least one condition) for `to`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphEdge {
    /// The requirement.
    pub from: Outcome,
    /// The goal.
    pub to: Outcome,
    /// Ids of the conditions that make this edge.
    pub conditions: Vec<String>,
    /// Their sources.
    pub sources: Vec<Source>,
}

/// The weight of an edge of [`ConditionGraph::petgraph`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EdgeWeight {
    /// Indices into [`ConditionGraph::conditions`] of the conditions that make the edge.
    pub conditions: Vec<usize>,
}

/// A statement that gave no condition, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    /// The statement id.
    pub statement: String,
    /// Why it was not used.
    pub reason: String,
}

/// The condition graph of a case.
#[derive(Clone, Debug)]
pub struct ConditionGraph {
    graph: DiGraph<Outcome, EdgeWeight>,
    index: BTreeMap<Outcome, NodeIndex>,
    conditions: Vec<GraphCondition>,
    by_goal: BTreeMap<Outcome, Vec<usize>>,
    cycles: Vec<Vec<Outcome>>,
    in_cycle: BTreeSet<Outcome>,
    unmapped: Vec<Unmapped>,
    warnings: Vec<String>,
    states: BTreeMap<String, States>,
    priors: BTreeMap<Outcome, f64>,
}

#[derive(Serialize)]
struct GraphView<'a> {
    nodes: Vec<&'a Outcome>,
    edges: Vec<GraphEdge>,
    conditions: &'a [GraphCondition],
    cycles: &'a [Vec<Outcome>],
    priors: &'a BTreeMap<Outcome, f64>,
    unmapped: &'a [Unmapped],
    warnings: &'a [String],
}

impl Serialize for ConditionGraph {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        GraphView {
            nodes: self.nodes(),
            edges: self.edges(),
            conditions: &self.conditions,
            cycles: &self.cycles,
            priors: &self.priors,
            unmapped: &self.unmapped,
            warnings: &self.warnings,
        }
        .serialize(s)
    }
}

/// One node of a requirement tree ([`ConditionGraph::chain`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChainNode {
    /// The outcome.
    pub outcome: Outcome,
    /// No condition has it as goal.
    pub leaf: bool,
    /// Its prior, for a leaf with one in the case.
    pub prior: Option<f64>,
    /// The outcome already appears above on this branch (a cycle): not expanded again.
    pub repeated: bool,
    /// The tree grew past its size or depth limit here: not expanded.
    pub truncated: bool,
    /// The conditions on it, with their requirement subtrees.
    pub conditions: Vec<ChainCondition>,
}

/// A condition inside a requirement tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChainCondition {
    /// The condition id.
    pub id: String,
    /// Every merged id.
    pub ids: Vec<String>,
    /// Its probability.
    pub probability: Option<f64>,
    /// Its sources.
    pub sources: Vec<Source>,
    /// The requirement subtrees, per alternative.
    pub alternatives: Vec<Vec<ChainNode>>,
}

/// The most nodes a requirement tree expands.
pub const CHAIN_LIMIT: usize = 10_000;

fn key(goal: &Outcome, alts: &[Vec<Outcome>]) -> (Outcome, Vec<Vec<Outcome>>) {
    let mut a: Vec<Vec<Outcome>> = alts
        .iter()
        .map(|alt| {
            let s: BTreeSet<Outcome> = alt.iter().cloned().collect();
            s.into_iter().collect()
        })
        .collect();
    a.sort();
    a.dedup();
    (goal.clone(), a)
}

impl ConditionGraph {
    /// The graph of the case's own conditions.
    pub fn from_case(case: &Case) -> ConditionGraph {
        ConditionGraph::build(&Linker::new(case), &[], &Rules::embedded())
    }

    /// The graph of the case's conditions plus extracted statements, linked with `linker` (its
    /// case and overrides) and `rules` (state words).
    pub fn build(
        linker: &Linker,
        statements: &[ConditionStatement],
        rules: &Rules,
    ) -> ConditionGraph {
        let case = linker.case();
        let mut conditions: Vec<GraphCondition> = Vec::new();
        let mut by_key: BTreeMap<(Outcome, Vec<Vec<Outcome>>), usize> = BTreeMap::new();
        let mut warnings = Vec::new();
        let mut unmapped = Vec::new();

        let mut merge = |id: String,
                         goal: &Outcome,
                         alts: &[Vec<Outcome>],
                         probability: Option<f64>,
                         sources: Vec<Source>,
                         warnings: &mut Vec<String>| {
            let k = key(goal, alts);
            match by_key.get(&k) {
                Some(&i) => {
                    let c = &mut conditions[i];
                    c.ids.push(id.clone());
                    for s in sources {
                        if !c.sources.contains(&s) {
                            c.sources.push(s);
                        }
                    }
                    match (c.probability, probability) {
                        (None, Some(p)) => c.probability = Some(p),
                        (Some(a), Some(b)) if a != b => warnings.push(format!(
                            "conditions `{}` and `{id}` (same goal and requirements) give different probabilities {a} and {b}; {a} is used",
                            c.id
                        )),
                        _ => {}
                    }
                }
                None => {
                    by_key.insert(k.clone(), conditions.len());
                    conditions.push(GraphCondition {
                        id: id.clone(),
                        ids: vec![id],
                        goal: k.0,
                        alternatives: k.1,
                        probability,
                        sources,
                    });
                }
            }
        };

        for c in &case.conditions {
            let mut sources: Vec<Source> = c
                .citations
                .iter()
                .map(|x| Source::Citation {
                    condition: c.id.clone(),
                    doc: x.doc.clone(),
                    note: x.note.clone(),
                    asserted_by: c.asserted_by.clone(),
                })
                .collect();
            if sources.is_empty() {
                sources.push(Source::Analyst {
                    condition: c.id.clone(),
                    note: c.note.clone(),
                });
            }
            merge(
                c.id.clone(),
                &c.goal,
                &c.alternatives,
                c.probability,
                sources,
                &mut warnings,
            );
        }
        for s in statements {
            let links = linker.link_statement(s, rules);
            let (goal, req) = match (links.goal, links.requirement) {
                (Some(g), Some(r)) => (g.outcome, r.outcome),
                (g, r) => {
                    let mut why = Vec::new();
                    if g.is_none() {
                        why.push(format!("`what` (\"{}\") names no issue", s.what));
                    }
                    if r.is_none() {
                        why.push(format!("`requires` (\"{}\") names no issue", s.requires));
                    }
                    unmapped.push(Unmapped {
                        statement: s.id.clone(),
                        reason: why.join("; "),
                    });
                    continue;
                }
            };
            if goal.issue == req.issue {
                unmapped.push(Unmapped {
                    statement: s.id.clone(),
                    reason: format!(
                        "both sides map to the issue `{}` ({goal} requires {req})",
                        goal.issue
                    ),
                });
                continue;
            }
            merge(
                format!("statement:{}", s.id),
                &goal,
                &[vec![req]],
                None,
                vec![Source::Statement {
                    statement: s.id.clone(),
                    doc: s.doc.clone(),
                    asserted_by: s.asserted_by.clone(),
                    what: s.what.clone(),
                    requires: s.requires.clone(),
                    evidence: s.evidence.clone(),
                }],
                &mut warnings,
            );
        }

        let mut nodes: BTreeSet<Outcome> = BTreeSet::new();
        let mut edges: BTreeMap<(Outcome, Outcome), EdgeWeight> = BTreeMap::new();
        let mut by_goal: BTreeMap<Outcome, Vec<usize>> = BTreeMap::new();
        for (i, c) in conditions.iter().enumerate() {
            nodes.insert(c.goal.clone());
            by_goal.entry(c.goal.clone()).or_default().push(i);
            for alt in &c.alternatives {
                for r in alt {
                    nodes.insert(r.clone());
                    let e = edges.entry((r.clone(), c.goal.clone())).or_default();
                    if !e.conditions.contains(&i) {
                        e.conditions.push(i);
                    }
                }
            }
        }
        let mut graph = DiGraph::new();
        let mut index = BTreeMap::new();
        for n in nodes {
            let ix = graph.add_node(n.clone());
            index.insert(n, ix);
        }
        for ((from, to), info) in edges {
            graph.add_edge(index[&from], index[&to], info);
        }
        let mut cycles: Vec<Vec<Outcome>> = petgraph::algo::tarjan_scc(&graph)
            .into_iter()
            .filter(|scc| scc.len() > 1 || graph.contains_edge(scc[0], scc[0]))
            .map(|scc| {
                let mut v: Vec<Outcome> = scc.iter().map(|&i| graph[i].clone()).collect();
                v.sort();
                v
            })
            .collect();
        cycles.sort();
        let in_cycle = cycles.iter().flatten().cloned().collect();
        ConditionGraph {
            graph,
            index,
            conditions,
            by_goal,
            cycles,
            in_cycle,
            unmapped,
            warnings,
            states: case.ladders(),
            priors: case
                .priors
                .iter()
                .map(|p| (p.outcome.clone(), p.probability))
                .collect(),
        }
    }

    /// The petgraph graph: node weights are outcomes, edge weights the conditions that make them.
    pub fn petgraph(&self) -> &DiGraph<Outcome, EdgeWeight> {
        &self.graph
    }

    /// All outcomes, sorted.
    pub fn nodes(&self) -> Vec<&Outcome> {
        self.index.keys().collect()
    }

    /// Whether the outcome is a node.
    pub fn contains(&self, o: &Outcome) -> bool {
        self.index.contains_key(o)
    }

    /// All edges, sorted by (from, to).
    pub fn edges(&self) -> Vec<GraphEdge> {
        let mut v: Vec<GraphEdge> = self
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                let info = &self.graph[e];
                let mut sources = Vec::new();
                for &c in &info.conditions {
                    for s in &self.conditions[c].sources {
                        if !sources.contains(s) {
                            sources.push(s.clone());
                        }
                    }
                }
                Some(GraphEdge {
                    from: self.graph[a].clone(),
                    to: self.graph[b].clone(),
                    conditions: info
                        .conditions
                        .iter()
                        .map(|&c| self.conditions[c].id.clone())
                        .collect(),
                    sources,
                })
            })
            .collect();
        v.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        v
    }

    /// The merged conditions, in order of first appearance (case, then statements).
    pub fn conditions(&self) -> &[GraphCondition] {
        &self.conditions
    }

    /// The conditions whose goal is `o`.
    pub fn conditions_on(&self, o: &Outcome) -> impl Iterator<Item = &GraphCondition> {
        self.by_goal
            .get(o)
            .into_iter()
            .flatten()
            .map(|&i| &self.conditions[i])
    }

    pub(crate) fn condition_indices_on(&self, o: &Outcome) -> &[usize] {
        self.by_goal.get(o).map_or(&[], |v| v.as_slice())
    }

    /// Whether no condition has `o` as goal.
    pub fn is_leaf(&self, o: &Outcome) -> bool {
        !self.by_goal.contains_key(o)
    }

    /// The cycles (each sorted), sorted.
    pub fn cycles(&self) -> &[Vec<Outcome>] {
        &self.cycles
    }

    /// Whether `o` lies on a cycle.
    pub fn in_cycle(&self, o: &Outcome) -> bool {
        self.in_cycle.contains(o)
    }

    /// Statements that gave no condition.
    pub fn unmapped(&self) -> &[Unmapped] {
        &self.unmapped
    }

    /// Merge warnings (conflicting probabilities).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The case's priors for leaf outcomes.
    pub fn priors(&self) -> &BTreeMap<Outcome, f64> {
        &self.priors
    }

    /// The states of an issue of the case.
    pub fn states(&self, issue: &str) -> Option<&States> {
        self.states.get(issue)
    }

    /// Checks that `o` names an issue of the case and one of its states.
    pub fn check_outcome(&self, o: &Outcome) -> Result<(), ModelError> {
        match self.states.get(&o.issue) {
            None => Err(ModelError::UnknownOutcome {
                outcome: o.to_string(),
                reason: format!("no issue `{}` in the case", o.issue),
            }),
            Some(s) if !s.contains(&o.state) => Err(ModelError::UnknownOutcome {
                outcome: o.to_string(),
                reason: format!(
                    "issue `{}` has no state `{}` (its states: {})",
                    o.issue,
                    o.state,
                    s.all().collect::<Vec<_>>().join(", ")
                ),
            }),
            Some(_) => Ok(()),
        }
    }

    /// Whether reaching `have` satisfies a requirement for `need` (same issue; ladder order).
    pub fn satisfies(&self, have: &Outcome, need: &Outcome) -> bool {
        have.issue == need.issue
            && self
                .states
                .get(&have.issue)
                .is_some_and(|s| s.satisfies(&have.state, &need.state))
    }

    /// The requirement tree under `goal`, with every condition's sources. A branch stops at an
    /// outcome already above it on the branch (`repeated`, a cycle) and the tree stops growing after
    /// [`CHAIN_LIMIT`] nodes or [`MAX_DEPTH`](crate::scenario::MAX_DEPTH) levels (`truncated`).
    pub fn chain(&self, goal: &Outcome) -> Result<ChainNode, ModelError> {
        self.check_outcome(goal)?;
        if !self.contains(goal) {
            return Err(ModelError::NotInGraph(goal.to_string()));
        }
        let mut budget = CHAIN_LIMIT;
        let mut path = Vec::new();
        Ok(self.chain_node(goal, &mut path, &mut budget))
    }

    fn chain_node(&self, o: &Outcome, path: &mut Vec<Outcome>, budget: &mut usize) -> ChainNode {
        let mut node = ChainNode {
            outcome: o.clone(),
            leaf: self.is_leaf(o),
            prior: self.priors.get(o).copied(),
            repeated: path.contains(o),
            truncated: false,
            conditions: Vec::new(),
        };
        if node.repeated || node.leaf {
            return node;
        }
        if *budget == 0 || path.len() >= crate::scenario::MAX_DEPTH {
            node.truncated = true;
            return node;
        }
        *budget -= 1;
        path.push(o.clone());
        for c in self.conditions_on(o) {
            let alternatives = c
                .alternatives
                .iter()
                .map(|alt| {
                    alt.iter()
                        .map(|r| self.chain_node(r, path, budget))
                        .collect()
                })
                .collect();
            node.conditions.push(ChainCondition {
                id: c.id.clone(),
                ids: c.ids.clone(),
                probability: c.probability,
                sources: c.sources.clone(),
                alternatives,
            });
        }
        path.pop();
        node
    }

    fn edge_label(&self, e: &GraphEdge) -> String {
        let mut parts = Vec::new();
        for id in &e.conditions {
            let c = self.conditions.iter().find(|c| &c.id == id);
            match c.and_then(|c| c.probability) {
                Some(p) => parts.push(format!("{id} (p={p})")),
                None => parts.push(id.clone()),
            }
        }
        let docs: BTreeSet<&str> = e.sources.iter().filter_map(|s| s.doc()).collect();
        if !docs.is_empty() {
            parts.push(format!(
                "{} source{}",
                docs.len(),
                if docs.len() == 1 { "" } else { "s" }
            ));
        }
        parts.join("; ")
    }

    /// The graph in Graphviz DOT, deterministic: nodes sorted, edges sorted; an edge's label lists
    /// its conditions (with probabilities) and how many documents support it; leaves are boxes,
    /// outcomes on a cycle are red.
    pub fn to_dot(&self) -> String {
        let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut out =
            String::from("digraph conditions {\n  rankdir=LR;\n  node [shape=ellipse];\n");
        for n in self.nodes() {
            let mut attrs = vec![format!("label={}", q(&n.to_string()))];
            if self.is_leaf(n) {
                attrs.push("shape=box".into());
            }
            if self.in_cycle(n) {
                attrs.push("color=red".into());
            }
            let _ = writeln!(out, "  {} [{}];", q(&n.to_string()), attrs.join(", "));
        }
        for e in self.edges() {
            let _ = writeln!(
                out,
                "  {} -> {} [label={}];",
                q(&e.from.to_string()),
                q(&e.to.to_string()),
                q(&self.edge_label(&e))
            );
        }
        out.push_str("}\n");
        out
    }

    /// The graph as a Mermaid flowchart, deterministic (nodes `n0`, `n1` … in sorted order).
    pub fn to_mermaid(&self) -> String {
        let esc = |s: &str| s.replace('"', "#quot;");
        let ids: BTreeMap<&Outcome, String> = self
            .nodes()
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n, format!("n{i}")))
            .collect();
        let mut out = String::from("flowchart LR\n");
        for (n, id) in &ids {
            let label = esc(&n.to_string());
            if self.is_leaf(n) {
                let _ = writeln!(out, "  {id}[\"{label}\"]");
            } else {
                let _ = writeln!(out, "  {id}([\"{label}\"])");
            }
        }
        for e in self.edges() {
            let _ = writeln!(
                out,
                "  {} -->|\"{}\"| {}",
                ids[&e.from],
                esc(&self.edge_label(&e)),
                ids[&e.to]
            );
        }
        let cyc: Vec<&str> = ids
            .iter()
            .filter(|(n, _)| self.in_cycle(n))
            .map(|(_, id)| id.as_str())
            .collect();
        if !cyc.is_empty() {
            out.push_str("  classDef cycle stroke:#c00,stroke-width:2px\n");
            let _ = writeln!(out, "  class {} cycle", cyc.join(","));
        }
        out
    }
}
