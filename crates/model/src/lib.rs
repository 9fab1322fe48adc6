//! The process model: where each negotiation issue of a peace process stands, what is conditional
//! on what, and what a step would unblock. Pure computations (no IO beyond reading a case file, no
//! clock) over events and statements; [`record`] alone reads them from a store.
//!
//! # Overview
//! - [`Case`]: a process described by an analyst in TOML (`cases/NAME/case.toml`; schema in
//!   `crates/model/SCHEMA.md`): parties, mediators, tracks, agenda issues with cue phrases and
//!   states, conditions (`goal = "ISSUE=STATE"`, `requires = [...]`, optional probability and
//!   citations), priors and milestones. [`Case::load`] and [`Case::from_toml_str`] validate it and
//!   name the file and line of every problem ([`LoadError`]).
//! - [`Linker`]: links events ([`EventInput`]) and extracted condition statements
//!   ([`ConditionStatement`]) to tracks and issues, every [`Link`] with its [`Evidence`] (cue phrase
//!   and byte offsets, actor or party rule); analyst [`LinkOverride`]s add or remove links.
//! - [`status_history`] and [`positions`]: per issue, the dated status steps from linked events and
//!   milestones (the event → state mapping is data: `data/status.toml`, [`Rules`]); per issue and
//!   party, what it demands, proposes, accepts or rejects.
//! - [`ConditionGraph`]: outcomes as nodes, requirement → goal edges with their sources (case
//!   citations and statements), merged duplicates, cycles, [`ConditionGraph::chain`], DOT and
//!   Mermaid output.
//! - [`scenario()`]: what assumptions unblock, what still blocks, the shortest remaining path to a
//!   goal, and the goal's exact probability with a Birnbaum sensitivity ranking
//!   ([`goal_probability`]).
//!
//! ```
//! use peacetrack_model::{Case, ConditionGraph, Outcome, scenario};
//! let case = Case::from_toml_str("demo", r#"
//! [process]
//! id = "demo"
//! name = "Demo"
//! [[party]]
//! code = "AAA"
//! name = "A"
//! [[track]]
//! id = "t"
//! name = "Talks"
//! [[issue]]
//! id = "treaty"
//! name = "Treaty"
//! track = "t"
//! [[issue]]
//! id = "border"
//! name = "Border opening"
//! track = "t"
//! [[condition]]
//! id = "c1"
//! goal = "border=implemented"
//! requires = ["treaty=signed"]
//! probability = 0.8
//! "#).unwrap();
//! let graph = ConditionGraph::from_case(&case);
//! let goal = Outcome::new("border", "implemented");
//! let s = scenario(&graph, &[Outcome::new("treaty", "ratified")], Some(&goal)).unwrap();
//! assert_eq!(s.unblocked, [goal.clone()]); // ratified satisfies signed
//! let p = s.goal.unwrap().probability.unwrap().probability;
//! assert!((p - 0.8).abs() < 1e-12);
//! ```

#![warn(missing_docs)]

pub mod case;
pub mod error;
pub mod fold;
pub mod graph;
pub mod link;
pub mod outcome;
pub mod record;
pub mod rules;
pub mod scenario;
pub mod status;

pub use case::{Actor, Case, Citation, Condition, Issue, Milestone, Prior, Process, Track};
pub use error::{LoadError, ModelError, Problem};
pub use graph::{
    ChainCondition, ChainNode, ConditionGraph, EdgeWeight, GraphCondition, GraphEdge, Source,
    Unmapped,
};
pub use link::{
    ConditionStatement, EventInput, Evidence, Field, Link, LinkOverride, Linker, MappedOutcome,
    OverrideAction, Side, StatementLinks, Target, link_event, link_statement,
};
pub use outcome::{Outcome, PartialDate, Precision, States};
pub use rules::{Rules, Stance};
pub use scenario::{
    Blocked, GoalReport, ProbabilityReport, Scenario, ScenarioOptions, Sensitivity, UnmetCondition,
    Variable, VariableKind, goal_probability, parse_outcomes, scenario, scenario_with,
};
pub use status::{
    IssueHistory, Position, StanceRecord, StatusStep, current_outcomes, positions, status_history,
};
