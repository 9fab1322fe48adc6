//! Status histories and party positions per issue, from linked events and the case's milestones.
//!
//! An event linked to an issue (by cue or override; a link to a track only is not enough) becomes a
//! status step when a [`Rules`] step rule matches its type, mode and text and the issue has the
//! rule's state. Events flagged negated, hypothetical or future are skipped. Steps with the same
//! state and the same date are one step with all their events.
//!
//! **Order and current status.** Steps are sorted by date: undated steps first, then by the first
//! day of the dated period, a coarser date before a finer one starting the same day (`2022` before
//! `2022-01` before `2022-01-01`); on the same date a higher state comes later (by the issue's
//! [`States::rank`](crate::outcome::States::rank): ladder order, then off-ladder states), then by
//! state name, then by the first event or milestone id. The current status is the last step.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::case::{Case, Citation};
use crate::link::{EventInput, Linker, Target};
use crate::outcome::{Outcome, PartialDate, Precision};
use crate::rules::{Rules, Stance};

/// One step of an issue's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusStep {
    /// The state reached.
    pub state: String,
    /// The date (ISO at its precision), if known.
    pub date: Option<String>,
    /// The date's precision.
    pub precision: Precision,
    /// The supporting event ids, sorted.
    pub events: Vec<String>,
    /// The documents of those events, sorted, deduplicated.
    pub docs: Vec<String>,
    /// The supporting case milestones.
    pub milestones: Vec<String>,
    /// The milestones' citations.
    pub citations: Vec<Citation>,
    #[serde(skip)]
    sort_date: Option<PartialDate>,
    #[serde(skip)]
    rank: usize,
}

/// The history of one issue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IssueHistory {
    /// The issue id.
    pub issue: String,
    /// Its steps, in order.
    pub steps: Vec<StatusStep>,
    /// The current state: the last step's, if any.
    pub current: Option<String>,
}

/// One attributed statement of a party's stance on an issue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StanceRecord {
    /// The stance.
    pub stance: Stance,
    /// The event's date, if any.
    pub date: Option<String>,
    /// The event id.
    pub event: String,
    /// The event's document.
    pub doc: Option<String>,
    /// The event's evidence text.
    pub evidence: String,
}

/// A party's position on an issue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Position {
    /// The issue id.
    pub issue: String,
    /// The party or mediator code.
    pub party: String,
    /// The statements, in date order (same ordering as status steps, then event id).
    pub stances: Vec<StanceRecord>,
    /// The latest stance.
    pub current: Option<Stance>,
}

fn flagged(e: &EventInput) -> bool {
    e.negated || e.hypothetical || e.future
}

fn linked_issues(linker: &Linker, e: &EventInput) -> Vec<String> {
    linker
        .link_event(e)
        .into_iter()
        .filter_map(|l| match l.target {
            Target::Issue(i) => Some(i),
            Target::Track(_) => None,
        })
        .collect()
}

/// The status history of every issue of the linker's case that has at least one step, in case
/// order, from the case's milestones and the given events.
pub fn status_history(linker: &Linker, events: &[EventInput], rules: &Rules) -> Vec<IssueHistory> {
    let case = linker.case();
    // (issue, state, date string) -> step
    let mut steps = StepMap::new();
    for m in &case.milestones {
        let s = add_step(case, &mut steps, &m.outcome.issue, &m.outcome.state, m.date);
        s.milestones.push(m.id.clone());
        s.citations.extend(m.citations.iter().cloned());
        s.docs.extend(m.citations.iter().map(|c| c.doc.clone()));
    }
    for e in events.iter().filter(|e| !flagged(e)) {
        for issue_id in linked_issues(linker, e) {
            let Some(issue) = case.issue(&issue_id) else {
                continue;
            };
            let Some(state) =
                rules.step_state(&e.event_type, e.mode.as_deref(), &e.evidence, &issue.states)
            else {
                continue;
            };
            let date = e.date.as_deref().and_then(PartialDate::parse);
            let s = add_step(case, &mut steps, &issue_id, state, date);
            s.events.push(e.id.clone());
            if let Some(d) = &e.doc {
                s.docs.push(d.clone());
            }
        }
    }

    let mut by_issue: BTreeMap<String, Vec<StatusStep>> = BTreeMap::new();
    for ((issue, _, _), mut s) in steps {
        s.events.sort();
        s.events.dedup();
        s.docs.sort();
        s.docs.dedup();
        s.milestones.sort();
        s.citations.sort();
        s.citations.dedup();
        by_issue.entry(issue).or_default().push(s);
    }
    let mut out = Vec::new();
    for issue in &case.issues {
        let Some(mut steps) = by_issue.remove(&issue.id) else {
            continue;
        };
        steps.sort_by(|a, b| step_key(a).cmp(&step_key(b)));
        let current = steps.last().map(|s| s.state.clone());
        out.push(IssueHistory {
            issue: issue.id.clone(),
            steps,
            current,
        });
    }
    out
}

type StepMap = BTreeMap<(String, String, Option<String>), StatusStep>;

fn add_step<'m>(
    case: &Case,
    steps: &'m mut StepMap,
    issue: &str,
    state: &str,
    date: Option<PartialDate>,
) -> &'m mut StatusStep {
    let rank = case
        .issue(issue)
        .and_then(|i| i.states.rank(state))
        .unwrap_or(usize::MAX);
    steps
        .entry((
            issue.to_string(),
            state.to_string(),
            date.map(|d| d.to_string()),
        ))
        .or_insert_with(|| StatusStep {
            state: state.to_string(),
            date: date.map(|d| d.to_string()),
            precision: date.map_or(Precision::None, |d| d.precision()),
            events: Vec::new(),
            docs: Vec::new(),
            milestones: Vec::new(),
            citations: Vec::new(),
            sort_date: date,
            rank,
        })
}

type StepKey<'a> = (
    Option<(i32, u8, u8, Precision)>,
    usize,
    &'a str,
    Option<&'a String>,
);

fn step_key(s: &StatusStep) -> StepKey<'_> {
    (
        s.sort_date.map(|d| d.sort_key()),
        s.rank,
        s.state.as_str(),
        s.events.first().or(s.milestones.first()),
    )
}

/// The current outcome of every issue that has a history: usable as scenario assumptions.
pub fn current_outcomes(histories: &[IssueHistory]) -> Vec<Outcome> {
    let mut v: Vec<Outcome> = histories
        .iter()
        .filter_map(|h| h.current.as_ref().map(|s| Outcome::new(&h.issue, s)))
        .collect();
    v.sort();
    v
}

/// The party an event's stance is attributed to: its `agent` if that is a party or mediator of the
/// case, else the first of its countries that is.
pub fn stance_holder(case: &Case, e: &EventInput) -> Option<String> {
    e.agent
        .iter()
        .chain(e.countries.iter())
        .find(|c| case.is_actor(c))
        .map(|c| c.to_ascii_uppercase())
}

/// Per issue and party, the stances stated by linked events of a stance type (REQUEST, AGREE,
/// CONCEDE, REJECT … per the rules), sorted by issue (case order) then party code.
pub fn positions(linker: &Linker, events: &[EventInput], rules: &Rules) -> Vec<Position> {
    let case = linker.case();
    type Dated = (Option<PartialDate>, StanceRecord);
    let mut acc: BTreeMap<(usize, String), Vec<Dated>> = BTreeMap::new();
    for e in events.iter().filter(|e| !flagged(e)) {
        let Some(stance) = rules.stance(&e.event_type, e.mode.as_deref(), &e.evidence) else {
            continue;
        };
        let Some(party) = stance_holder(case, e) else {
            continue;
        };
        for issue in linked_issues(linker, e) {
            let Some(pos) = case.issues.iter().position(|i| i.id == issue) else {
                continue;
            };
            acc.entry((pos, party.clone())).or_default().push((
                e.date.as_deref().and_then(PartialDate::parse),
                StanceRecord {
                    stance,
                    date: e.date.clone(),
                    event: e.id.clone(),
                    doc: e.doc.clone(),
                    evidence: e.evidence.clone(),
                },
            ));
        }
    }
    acc.into_iter()
        .map(|((pos, party), mut v)| {
            v.sort_by(|a, b| {
                (a.0.map(|d| d.sort_key()), &a.1.event)
                    .cmp(&(b.0.map(|d| d.sort_key()), &b.1.event))
            });
            let stances: Vec<StanceRecord> = v.into_iter().map(|x| x.1).collect();
            Position {
                issue: case.issues[pos].id.clone(),
                current: stances.last().map(|s| s.stance),
                party,
                stances,
            }
        })
        .collect()
}
