//! The model over the record: the store's events and condition statements as the model takes
//! them, the case a store remembers, and the reports the CLI and the server both give (issue board,
//! one issue's report, the condition graph, scenario options). The only part of this crate that
//! touches a store; everything it computes comes from the pure modules.

use crate::{
    Case, ConditionGraph, ConditionStatement, EventInput, Evidence, IssueHistory, Linker, Outcome,
    Position, Rules, ScenarioOptions, Target, positions, status_history,
};
use peacetrack_store::{EventRecord, Store, StoreError};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What can go wrong reading the model over a store.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No case given and none remembered.
    #[error(
        "no case file: give --case PATH (e.g. --case cases/south-caucasus); the store remembers it"
    )]
    NoCase,
    /// The case file does not load.
    #[error("{0}")]
    Case(String),
    /// A name that is no issue of the case.
    #[error("{name}: no such issue in case {case}; issues: {known}")]
    NoIssue {
        /// What was asked.
        name: String,
        /// The case's name.
        case: String,
        /// The case's issue ids.
        known: String,
    },
    /// A bad scenario argument.
    #[error("{0}")]
    Invalid(String),
}

/// The case of a store: `explicit` (remembered in the store from then on), else the one the store
/// remembers.
pub fn case_for(store: &mut Store, explicit: Option<&Path>) -> Result<Case, RecordError> {
    let path = match explicit {
        Some(p) => {
            let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            store.set_info("case", &abs.display().to_string())?;
            p.to_path_buf()
        }
        None => match store.info("case")? {
            Some(p) => PathBuf::from(p),
            None => return Err(RecordError::NoCase),
        },
    };
    Case::load(&path).map_err(|e| RecordError::Case(e.to_string()))
}

/// A document name without its extension (how case files cite documents).
pub fn stem(name: &str) -> String {
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
}

/// The store's events as the model takes them.
pub fn event_inputs(events: &[EventRecord]) -> Vec<EventInput> {
    events
        .iter()
        .map(|e| {
            let first = e.sources.first();
            EventInput {
                id: e.id.clone(),
                doc: first.map(|s| stem(&s.doc)),
                event_type: e.kind.clone(),
                mode: Some(e.mode.clone()),
                date: e.date.clone(),
                actors: e.actors.clone(),
                countries: e.countries.clone(),
                agent: None,
                evidence: first.map(|s| s.text.clone()).unwrap_or_default(),
                start: first.map(|s| s.start),
                negated: e.status == "negated",
                hypothetical: e.status == "hypothetical",
                future: e.status == "future",
            }
        })
        .collect()
}

/// The store's condition statements as the model takes them; those a reviewer rejected are left
/// out.
pub fn statements(store: &mut Store) -> Result<Vec<ConditionStatement>, StoreError> {
    Ok(store
        .conditions()?
        .into_iter()
        .filter(|c| c.review.as_deref() != Some("rejected"))
        .map(|c| ConditionStatement {
            id: c.id,
            doc: Some(stem(&c.doc)),
            what: c.what,
            requires: c.requires,
            asserted_by: c.asserted_by,
            evidence: Some(c.text),
        })
        .collect())
}

/// The condition graph: the case's conditions merged with the statements of the record.
pub fn graph(store: &mut Store, case: &Case) -> Result<ConditionGraph, StoreError> {
    let statements = statements(store)?;
    Ok(ConditionGraph::build(
        &Linker::new(case),
        &statements,
        &Rules::embedded(),
    ))
}

/// A row of the issue board.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoardRow {
    /// Issue id.
    pub issue: String,
    /// Issue name.
    pub name: String,
    /// Its track.
    pub track: String,
    /// Current status, if any step is known.
    pub status: Option<String>,
    /// Date of the last step.
    pub last_change: Option<String>,
    /// Events behind the steps.
    pub events: usize,
    /// Documents behind the steps.
    pub sources: Vec<String>,
}

/// The issue board: one row per issue of the case, in the case's order.
pub fn board(case: &Case, histories: &[IssueHistory]) -> Vec<BoardRow> {
    case.issues
        .iter()
        .map(|issue| {
            let h = histories.iter().find(|h| h.issue == issue.id);
            let last = h.and_then(|h| h.steps.last());
            let mut sources: Vec<String> = h
                .map(|h| {
                    h.steps
                        .iter()
                        .flat_map(|s| s.docs.iter().cloned())
                        .collect()
                })
                .unwrap_or_default();
            sources.sort();
            sources.dedup();
            BoardRow {
                issue: issue.id.clone(),
                name: issue.name.clone(),
                track: issue.track.clone(),
                status: h.and_then(|h| h.current.clone()),
                last_change: last.and_then(|s| s.date.clone()),
                events: h.map_or(0, |h| h.steps.iter().map(|s| s.events.len()).sum()),
                sources,
            }
        })
        .collect()
}

/// The issue board of the record.
pub fn issue_board(store: &mut Store, case: &Case) -> Result<Vec<BoardRow>, StoreError> {
    let events = event_inputs(&store.all_events(false)?);
    let histories = status_history(&Linker::new(case), &events, &Rules::embedded());
    Ok(board(case, &histories))
}

/// An event linked to an issue, with why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkedEvent {
    /// Event id.
    pub id: String,
    /// Its date.
    pub date: Option<String>,
    /// PLOVER type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Mode.
    pub mode: Option<String>,
    /// The document of its first source.
    pub doc: Option<String>,
    /// The evidence of its first source.
    pub evidence: String,
    /// Why it is linked.
    pub why: Vec<Evidence>,
}

/// One issue: its history, the parties' positions, the linked events.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IssueReport {
    /// Issue id.
    pub issue: String,
    /// Issue name.
    pub name: String,
    /// Its track.
    pub track: String,
    /// Current status.
    pub status: Option<String>,
    /// Status history, if any step is known.
    pub history: Option<IssueHistory>,
    /// Positions of the parties.
    pub positions: Vec<Position>,
    /// Linked events.
    pub linked_events: Vec<LinkedEvent>,
}

/// The issue a name means: its id, its name (folded), or the one issue whose name contains it.
pub fn find_issue<'c>(case: &'c Case, name: &str) -> Result<&'c crate::Issue, RecordError> {
    let folded = crate::fold::fold_key;
    case.issues
        .iter()
        .find(|i| i.id == name || folded(&i.name) == folded(name))
        .or_else(|| {
            let hits: Vec<&crate::Issue> = case
                .issues
                .iter()
                .filter(|i| folded(&i.name).contains(&folded(name)))
                .collect();
            (hits.len() == 1).then(|| hits[0])
        })
        .ok_or_else(|| RecordError::NoIssue {
            name: name.to_string(),
            case: case.name.clone(),
            known: case
                .issues
                .iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The report on one issue.
pub fn issue_report(
    store: &mut Store,
    case: &Case,
    name: &str,
) -> Result<IssueReport, RecordError> {
    let issue = find_issue(case, name)?;
    let events = event_inputs(&store.all_events(false)?);
    let rules = Rules::embedded();
    let linker = Linker::new(case);
    let histories = status_history(&linker, &events, &rules);
    let all_positions = positions(&linker, &events, &rules);
    let mut linked = Vec::new();
    for e in &events {
        for link in linker.link_event(e) {
            if link.target == Target::Issue(issue.id.clone()) {
                linked.push(LinkedEvent {
                    id: e.id.clone(),
                    date: e.date.clone(),
                    kind: e.event_type.clone(),
                    mode: e.mode.clone(),
                    doc: e.doc.clone(),
                    evidence: e.evidence.clone(),
                    why: link.evidence.clone(),
                });
            }
        }
    }
    let history = histories.into_iter().find(|h| h.issue == issue.id);
    Ok(IssueReport {
        issue: issue.id.clone(),
        name: issue.name.clone(),
        track: issue.track.clone(),
        status: history.as_ref().and_then(|h| h.current.clone()),
        history,
        positions: all_positions
            .into_iter()
            .filter(|p| p.issue == issue.id)
            .collect(),
        linked_events: linked,
    })
}

/// Scenario options from `NAME=P` texts: a condition id, or an outcome `ISSUE=STATE=P` (its prior).
pub fn scenario_options(probabilities: &[String]) -> Result<ScenarioOptions, RecordError> {
    let mut options = ScenarioOptions::default();
    for p in probabilities {
        let (name, value) = p.rsplit_once('=').ok_or_else(|| {
            RecordError::Invalid(format!("{p}: expected CONDITION=P or ISSUE=STATE=P"))
        })?;
        let value: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| (0.0..=1.0).contains(v))
            .ok_or_else(|| {
                RecordError::Invalid(format!("{p}: the probability must be a number in [0, 1]"))
            })?;
        if name.contains('=') {
            let o: Outcome = name
                .parse()
                .map_err(|e| RecordError::Invalid(format!("{p}: {e}")))?;
            options.priors.insert(o, value);
        } else {
            options
                .condition_probabilities
                .insert(name.to_string(), value);
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_parse_or_name_the_problem() {
        let o = scenario_options(&["c1=0.25".into(), "treaty=signed=0.5".into()]).unwrap();
        assert_eq!(o.condition_probabilities.get("c1"), Some(&0.25));
        assert_eq!(o.priors.get(&Outcome::new("treaty", "signed")), Some(&0.5));
        for bad in ["c1", "c1=2", "c1=x", "=a=0.5"] {
            let e = scenario_options(&[bad.to_string()])
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn stems() {
        assert_eq!(stem("000_abc.txt"), "000_abc");
        assert_eq!(stem("noext"), "noext");
    }
}
