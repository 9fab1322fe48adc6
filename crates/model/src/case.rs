//! Case files: a peace process described by an analyst in TOML (schema in `SCHEMA.md`).
//!
//! [`Case::load`] reads `cases/NAME/case.toml` (or the folder itself); [`Case::from_toml_str`]
//! parses a string. Both validate everything and report every problem with its line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{LineIndex, LoadError, Problem};
use crate::link::{LinkOverride, OverrideAction, Side, Target};
use crate::outcome::{Outcome, PartialDate, States};

type S = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    process: RawProcess,
    #[serde(default)]
    party: Vec<RawActor>,
    #[serde(default)]
    mediator: Vec<RawActor>,
    #[serde(default)]
    track: Vec<RawTrack>,
    #[serde(default)]
    issue: Vec<RawIssue>,
    #[serde(default)]
    condition: Vec<RawCondition>,
    #[serde(default)]
    prior: Vec<RawPrior>,
    #[serde(default)]
    milestone: Vec<RawMilestone>,
    #[serde(default)]
    link_override: Vec<RawOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProcess {
    id: S,
    name: S,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActor {
    code: S,
    name: S,
    #[serde(default)]
    cues: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrack {
    id: S,
    name: S,
    #[serde(default)]
    parties: Vec<S>,
    #[serde(default)]
    cues: Vec<S>,
    #[serde(default)]
    actors: Vec<S>,
    #[serde(default)]
    party_types: Vec<S>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssue {
    id: S,
    name: S,
    track: S,
    #[serde(default)]
    cues: Vec<S>,
    states: Option<Vec<S>>,
    off_ladder: Option<Vec<S>>,
    default_state: Option<S>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCitation {
    doc: S,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    id: S,
    goal: S,
    #[serde(default)]
    requires: Vec<S>,
    #[serde(default)]
    any_of: Vec<Vec<S>>,
    probability: Option<Spanned<f64>>,
    asserted_by: Option<String>,
    note: Option<String>,
    #[serde(default)]
    citations: Vec<RawCitation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrior {
    outcome: S,
    probability: Spanned<f64>,
    note: Option<String>,
    #[serde(default)]
    citations: Vec<RawCitation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    id: Option<S>,
    outcome: S,
    date: Option<S>,
    note: Option<String>,
    #[serde(default)]
    citations: Vec<RawCitation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    item: S,
    issue: Option<S>,
    track: Option<S>,
    action: Spanned<OverrideAction>,
    side: Option<Side>,
    note: Option<String>,
}

/// The process as a whole.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Process {
    /// Short id (`south-caucasus`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
}

/// A party or mediator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Actor {
    /// ISO 3166-1 alpha-3 code, or `EU`, `UN`, `OSCE` ….
    pub code: String,
    /// Name.
    pub name: String,
    /// Extra names (capitals, demonyms) for the analyst; not used for issue linking.
    pub cues: Vec<String>,
}

/// A negotiation track: a forum or channel where some of the issues are negotiated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Track {
    /// Id, unique among tracks.
    pub id: String,
    /// Name.
    pub name: String,
    /// Codes of the parties (and mediators) in the track.
    pub parties: Vec<String>,
    /// Cue phrases: an event or statement whose text contains one is linked to the track.
    pub cues: Vec<String>,
    /// People whose involvement links an event to the track (special envoys, commission chairs).
    pub actors: Vec<String>,
    /// PLOVER types for the party rule: an event of one of these types whose countries include
    /// every party of the track is linked to it. Empty: no party rule.
    pub party_types: Vec<String>,
    /// Free text.
    pub description: Option<String>,
    /// Line of the track's id in the case file.
    pub line: usize,
}

/// An agenda issue: something the parties negotiate, which moves through states.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Issue {
    /// Id, unique among issues (`treaty`, `tr_border`).
    pub id: String,
    /// Name.
    pub name: String,
    /// The track it is negotiated in.
    pub track: String,
    /// Cue phrases for linking events and statements to it.
    pub cues: Vec<String>,
    /// Its states: the ladder and the off-ladder states.
    pub states: States,
    /// The state meant when a statement names the issue without a state word (`a peace treaty` as a
    /// requirement means `treaty=signed` if that is the default state). Defaults to the ladder's top.
    pub default_state: String,
    /// Free text.
    pub description: Option<String>,
    /// Line of the issue's id in the case file.
    pub line: usize,
}

/// A source document cited for a fact.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Citation {
    /// Document id: the file stem of the article (`000_831c6c09c60e4747`).
    pub doc: String,
    /// What the document says, in the analyst's words.
    pub note: Option<String>,
}

/// An analyst-entered condition: the goal outcome requires its requirements.
///
/// `alternatives` is a disjunction of conjunctions: the condition is met when every outcome of at
/// least one alternative is reached. Several conditions on one goal must all be met.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    /// Id, unique among conditions.
    pub id: String,
    /// The outcome that depends on the requirements.
    pub goal: Outcome,
    /// Alternative requirement sets (OR of ANDs). `requires = [...]` gives one alternative.
    pub alternatives: Vec<Vec<Outcome>>,
    /// Probability that the goal follows once the requirements are met (the analyst's estimate;
    /// `None` = 1 for the computations).
    pub probability: Option<f64>,
    /// Who states the condition.
    pub asserted_by: Option<String>,
    /// The analyst's note.
    pub note: Option<String>,
    /// The documents that state it.
    pub citations: Vec<Citation>,
    /// Line of the condition's id in the case file.
    pub line: usize,
}

/// The analyst's probability for an outcome that no condition explains (a leaf of the graph).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prior {
    /// The outcome.
    pub outcome: Outcome,
    /// Its probability in [0, 1].
    pub probability: f64,
    /// The analyst's note.
    pub note: Option<String>,
    /// Supporting documents.
    pub citations: Vec<Citation>,
    /// Line in the case file.
    pub line: usize,
}

/// A dated step an issue is known to have reached, entered by the analyst.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Milestone {
    /// Id (given, or `milestone-N` by position).
    pub id: String,
    /// The issue and the state it reached.
    pub outcome: Outcome,
    /// ISO date at any precision, if known.
    pub date: Option<PartialDate>,
    /// The analyst's note.
    pub note: Option<String>,
    /// Supporting documents.
    pub citations: Vec<Citation>,
    /// Line in the case file.
    pub line: usize,
}

/// A validated case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Case {
    /// The case's name: its folder name for `cases/NAME/case.toml`, else the file stem or the name
    /// given to [`Case::from_toml_str`].
    pub name: String,
    /// The file it was read from (or the name given).
    pub file: String,
    /// The process.
    pub process: Process,
    /// Parties.
    pub parties: Vec<Actor>,
    /// Mediators.
    pub mediators: Vec<Actor>,
    /// Tracks, in file order.
    pub tracks: Vec<Track>,
    /// Issues, in file order.
    pub issues: Vec<Issue>,
    /// Conditions, in file order.
    pub conditions: Vec<Condition>,
    /// Leaf priors.
    pub priors: Vec<Prior>,
    /// Milestones.
    pub milestones: Vec<Milestone>,
    /// Analyst link overrides applied on top of automatic links.
    pub overrides: Vec<LinkOverride>,
}

struct Checker<'a> {
    lines: LineIndex<'a>,
    problems: Vec<(usize, Problem)>,
}

impl Checker<'_> {
    fn at(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let (l, c) = self.lines.locate(span.start);
        self.problems.push((
            span.start,
            Problem {
                line: Some(l),
                column: Some(c),
                message: message.into(),
            },
        ));
    }

    fn line(&self, s: &S) -> usize {
        self.lines.locate(s.span().start).0
    }

    fn nonempty(&mut self, s: &S, what: &str) -> String {
        let v = s.get_ref().trim().to_string();
        if v.is_empty() {
            self.at(s.span(), format!("{what} is empty"));
        }
        v
    }
}

fn known_list(v: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let v: Vec<String> = v.into_iter().map(|s| s.as_ref().to_string()).collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join(", ")
    }
}

impl Case {
    /// Loads a case file, or `DIR/case.toml` when `path` is a folder.
    pub fn load(path: impl AsRef<Path>) -> Result<Case, LoadError> {
        let path = path.as_ref();
        let file = if path.is_dir() {
            path.join("case.toml")
        } else {
            path.to_path_buf()
        };
        let shown = file.display().to_string();
        let src = std::fs::read_to_string(&file)
            .map_err(|e| LoadError::whole_file(&shown, format!("cannot read: {e}")))?;
        let name = if file.file_name().is_some_and(|n| n == "case.toml") {
            file.parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        } else {
            None
        }
        .or_else(|| file.file_stem().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| shown.clone());
        let mut case = Case::parse(&shown, &src)?;
        case.name = name;
        Ok(case)
    }

    /// Parses and validates a case from TOML text; `name` names it in errors and in [`Case::name`].
    pub fn from_toml_str(name: &str, src: &str) -> Result<Case, LoadError> {
        Case::parse(name, src)
    }

    fn parse(file: &str, src: &str) -> Result<Case, LoadError> {
        let lines = LineIndex::new(src);
        let raw: RawCase = toml::from_str(src).map_err(|e| {
            let (line, column) = match e.span() {
                Some(s) => {
                    let (l, c) = lines.locate(s.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            LoadError {
                file: file.to_string(),
                problems: vec![Problem {
                    line,
                    column,
                    message: e.message().trim().to_string(),
                }],
            }
        })?;
        let mut ck = Checker {
            lines,
            problems: Vec::new(),
        };
        let case = validate(file, raw, &mut ck);
        if ck.problems.is_empty() {
            Ok(case)
        } else {
            ck.problems.sort_by_key(|p| p.0);
            Err(LoadError {
                file: file.to_string(),
                problems: ck.problems.into_iter().map(|p| p.1).collect(),
            })
        }
    }

    /// The issue with this id.
    pub fn issue(&self, id: &str) -> Option<&Issue> {
        self.issues.iter().find(|i| i.id == id)
    }

    /// The track with this id.
    pub fn track(&self, id: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.id == id)
    }

    /// Whether `code` is a party or a mediator.
    pub fn is_actor(&self, code: &str) -> bool {
        self.parties
            .iter()
            .chain(self.mediators.iter())
            .any(|a| a.code.eq_ignore_ascii_case(code))
    }

    /// Checks that an outcome names a known issue and one of its states.
    pub fn check_outcome(&self, o: &Outcome) -> Result<(), String> {
        match self.issue(&o.issue) {
            None => Err(format!(
                "unknown issue `{}` (known: {})",
                o.issue,
                known_list(self.issues.iter().map(|i| &i.id))
            )),
            Some(i) if !i.states.contains(&o.state) => Err(format!(
                "unknown state `{}` for issue `{}` (its states: {})",
                o.state,
                o.issue,
                known_list(i.states.all())
            )),
            Some(_) => Ok(()),
        }
    }

    /// The states of every issue, by issue id.
    pub fn ladders(&self) -> BTreeMap<String, States> {
        self.issues
            .iter()
            .map(|i| (i.id.clone(), i.states.clone()))
            .collect()
    }
}

fn citations(ck: &mut Checker, raw: Vec<RawCitation>) -> Vec<Citation> {
    raw.into_iter()
        .map(|c| Citation {
            doc: ck.nonempty(&c.doc, "citation doc"),
            note: c.note,
        })
        .collect()
}

fn probability(ck: &mut Checker, p: &Spanned<f64>) -> f64 {
    let v = *p.get_ref();
    if !(0.0..=1.0).contains(&v) {
        ck.at(p.span(), format!("probability {v} is out of range [0, 1]"));
    }
    v
}

fn outcome(ck: &mut Checker, issues: &BTreeMap<String, &Issue>, s: &S) -> Option<Outcome> {
    let o: Outcome = match s.get_ref().parse() {
        Ok(o) => o,
        Err(e) => {
            ck.at(s.span(), e.to_string());
            return None;
        }
    };
    match issues.get(&o.issue) {
        None => {
            ck.at(
                s.span(),
                format!(
                    "unknown issue `{}` in `{}` (known issues: {})",
                    o.issue,
                    s.get_ref(),
                    known_list(issues.keys())
                ),
            );
            None
        }
        Some(i) if !i.states.contains(&o.state) => {
            ck.at(
                s.span(),
                format!(
                    "unknown state `{}` for issue `{}` (its states: {})",
                    o.state,
                    o.issue,
                    known_list(i.states.all())
                ),
            );
            None
        }
        Some(_) => Some(o),
    }
}

fn unique(ck: &mut Checker, seen: &mut BTreeMap<String, usize>, id: &S, kind: &str) -> String {
    let v = ck.nonempty(id, &format!("{kind} id"));
    if v.is_empty() {
        return v;
    }
    let line = ck.line(id);
    if let Some(first) = seen.get(&v) {
        ck.at(
            id.span(),
            format!("duplicate {kind} id `{v}` (first defined on line {first})"),
        );
    } else {
        seen.insert(v.clone(), line);
    }
    v
}

fn strings(ck: &mut Checker, v: Vec<S>, what: &str) -> Vec<String> {
    v.iter().map(|s| ck.nonempty(s, what)).collect()
}

fn validate(file: &str, raw: RawCase, ck: &mut Checker) -> Case {
    let process = Process {
        id: ck.nonempty(&raw.process.id, "process id"),
        name: ck.nonempty(&raw.process.name, "process name"),
        description: raw.process.description,
    };

    let mut codes = BTreeMap::new();
    let mut actors = |ck: &mut Checker, v: Vec<RawActor>, kind: &str| -> Vec<Actor> {
        v.into_iter()
            .map(|a| Actor {
                code: unique(ck, &mut codes, &a.code, kind),
                name: ck.nonempty(&a.name, &format!("{kind} name")),
                cues: strings(ck, a.cues, "cue"),
            })
            .collect()
    };
    let parties = actors(ck, raw.party, "party/mediator");
    let mediators = actors(ck, raw.mediator, "party/mediator");

    let mut seen = BTreeMap::new();
    let mut tracks = Vec::new();
    for t in raw.track {
        let id = unique(ck, &mut seen, &t.id, "track");
        for p in &t.parties {
            if !codes.contains_key(p.get_ref().trim()) {
                ck.at(
                    p.span(),
                    format!(
                        "track `{id}`: unknown party `{}` (parties and mediators: {})",
                        p.get_ref(),
                        known_list(codes.keys())
                    ),
                );
            }
        }
        tracks.push(Track {
            line: ck.line(&t.id),
            name: ck.nonempty(&t.name, "track name"),
            parties: t
                .parties
                .iter()
                .map(|p| p.get_ref().trim().to_string())
                .collect(),
            cues: strings(ck, t.cues, "cue"),
            actors: strings(ck, t.actors, "actor"),
            party_types: strings(ck, t.party_types, "party type")
                .into_iter()
                .map(|s| s.to_ascii_uppercase())
                .collect(),
            description: t.description,
            id,
        });
    }

    let mut seen = BTreeMap::new();
    let mut issues = Vec::new();
    for i in raw.issue {
        let id = unique(ck, &mut seen, &i.id, "issue");
        if !tracks.iter().any(|t| t.id == *i.track.get_ref()) {
            ck.at(
                i.track.span(),
                format!(
                    "issue `{id}`: unknown track `{}` (known tracks: {})",
                    i.track.get_ref(),
                    known_list(tracks.iter().map(|t| &t.id))
                ),
            );
        }
        let mut states = States::default();
        let mut state_seen = BTreeMap::new();
        if let Some(v) = &i.states {
            if v.is_empty() {
                ck.at(i.id.span(), format!("issue `{id}`: `states` is empty"));
            }
            states.ladder = v
                .iter()
                .map(|s| unique(ck, &mut state_seen, s, "state"))
                .collect();
        } else {
            for s in &states.ladder {
                state_seen.insert(s.clone(), 0);
            }
        }
        if let Some(v) = &i.off_ladder {
            states.off_ladder = v
                .iter()
                .map(|s| unique(ck, &mut state_seen, s, "state"))
                .collect();
        } else {
            let ladder = states.ladder.clone();
            states.off_ladder.retain(|s| !ladder.contains(s));
        }
        let default_state = match &i.default_state {
            Some(d) => {
                if !states.contains(d.get_ref()) {
                    ck.at(
                        d.span(),
                        format!(
                            "issue `{id}`: default_state `{}` is not one of its states ({})",
                            d.get_ref(),
                            known_list(states.all())
                        ),
                    );
                }
                d.get_ref().clone()
            }
            None => states.ladder.last().cloned().unwrap_or_default(),
        };
        issues.push(Issue {
            line: ck.line(&i.id),
            name: ck.nonempty(&i.name, "issue name"),
            track: i.track.get_ref().clone(),
            cues: strings(ck, i.cues, "cue"),
            states,
            default_state,
            description: i.description,
            id,
        });
    }
    let by_id: BTreeMap<String, &Issue> = issues.iter().map(|i| (i.id.clone(), i)).collect();

    let mut seen = BTreeMap::new();
    let mut conditions = Vec::new();
    for c in raw.condition {
        let id = unique(ck, &mut seen, &c.id, "condition");
        let goal = outcome(ck, &by_id, &c.goal);
        let mut raw_alts: Vec<Vec<S>> = Vec::new();
        match (c.requires.is_empty(), c.any_of.is_empty()) {
            (false, true) => raw_alts.push(c.requires),
            (true, false) => raw_alts = c.any_of,
            (true, true) => ck.at(
                c.id.span(),
                format!("condition `{id}` has no requirements: give `requires` or `any_of`"),
            ),
            (false, false) => ck.at(
                c.id.span(),
                format!("condition `{id}` gives both `requires` and `any_of`: use one"),
            ),
        }
        let mut alternatives = Vec::new();
        for alt in &raw_alts {
            if alt.is_empty() {
                ck.at(
                    c.id.span(),
                    format!("condition `{id}`: an alternative in `any_of` is empty"),
                );
            }
            let mut set = BTreeSet::new();
            for r in alt {
                if let Some(o) = outcome(ck, &by_id, r) {
                    if goal.as_ref() == Some(&o) {
                        ck.at(
                            r.span(),
                            format!("condition `{id}` requires its own goal `{o}`"),
                        );
                    }
                    set.insert(o);
                }
            }
            alternatives.push(set.into_iter().collect::<Vec<_>>());
        }
        let probability = c.probability.as_ref().map(|p| probability(ck, p));
        let line = ck.line(&c.id);
        let citations = citations(ck, c.citations);
        if let Some(goal) = goal {
            conditions.push(Condition {
                id,
                goal,
                alternatives,
                probability,
                asserted_by: c.asserted_by,
                note: c.note,
                citations,
                line,
            });
        }
    }

    let mut prior_seen: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut priors = Vec::new();
    for p in raw.prior {
        let o = outcome(ck, &by_id, &p.outcome);
        let prob = probability(ck, &p.probability);
        let line = ck.line(&p.outcome);
        let cites = citations(ck, p.citations);
        if let Some(o) = o {
            if let Some(first) = prior_seen.get(&o) {
                ck.at(
                    p.outcome.span(),
                    format!("duplicate prior for `{o}` (first on line {first})"),
                );
                continue;
            }
            prior_seen.insert(o.clone(), line);
            priors.push(Prior {
                outcome: o,
                probability: prob,
                note: p.note,
                citations: cites,
                line,
            });
        }
    }

    let mut seen = BTreeMap::new();
    let mut milestones = Vec::new();
    for (n, m) in raw.milestone.into_iter().enumerate() {
        let id = match &m.id {
            Some(id) => unique(ck, &mut seen, id, "milestone"),
            None => format!("milestone-{}", n + 1),
        };
        let o = outcome(ck, &by_id, &m.outcome);
        let date = m.date.as_ref().and_then(|d| {
            let p = PartialDate::parse(d.get_ref());
            if p.is_none() {
                ck.at(
                    d.span(),
                    format!(
                        "milestone `{id}`: date `{}` is not YYYY, YYYY-MM or YYYY-MM-DD",
                        d.get_ref()
                    ),
                );
            }
            p
        });
        let line = ck.line(&m.outcome);
        let cites = citations(ck, m.citations);
        if let Some(o) = o {
            milestones.push(Milestone {
                id,
                outcome: o,
                date,
                note: m.note,
                citations: cites,
                line,
            });
        }
    }

    let mut overrides = Vec::new();
    for o in raw.link_override {
        let target = match (&o.issue, &o.track) {
            (Some(i), None) => {
                if !by_id.contains_key(i.get_ref()) {
                    ck.at(
                        i.span(),
                        format!("link_override: unknown issue `{}`", i.get_ref()),
                    );
                }
                Some(Target::Issue(i.get_ref().clone()))
            }
            (None, Some(t)) => {
                if !tracks.iter().any(|x| x.id == *t.get_ref()) {
                    ck.at(
                        t.span(),
                        format!("link_override: unknown track `{}`", t.get_ref()),
                    );
                }
                Some(Target::Track(t.get_ref().clone()))
            }
            _ => {
                ck.at(
                    o.item.span(),
                    "link_override: give exactly one of `issue` or `track`",
                );
                None
            }
        };
        let item = ck.nonempty(&o.item, "link_override item");
        if let Some(target) = target {
            overrides.push(LinkOverride {
                item,
                target,
                action: *o.action.get_ref(),
                side: o.side,
                note: o.note,
            });
        }
    }

    Case {
        name: file.to_string(),
        file: file.to_string(),
        process,
        parties,
        mediators,
        tracks,
        issues,
        conditions,
        priors,
        milestones,
        overrides,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r#"
[process]
id = "mini"
name = "Mini"

[[party]]
code = "AAA"
name = "Aland"

[[party]]
code = "BBB"
name = "Bland"

[[track]]
id = "t"
name = "Talks"
parties = ["AAA", "BBB"]

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
states = ["held", "passed"]

[[condition]]
id = "c1"
goal = "treaty=signed"
requires = ["vote=passed"]
probability = 0.5
citations = [{ doc = "d1", note = "says so" }]

[[prior]]
outcome = "vote=passed"
probability = 1

[[milestone]]
outcome = "treaty=proposed"
date = "2022-03"
"#;

    #[test]
    fn loads_a_small_case() {
        let c = Case::from_toml_str("mini.toml", MINI).unwrap();
        assert_eq!(c.name, "mini.toml");
        assert_eq!(c.issues.len(), 2);
        let vote = c.issue("vote").unwrap();
        assert_eq!(vote.states.ladder, ["held", "passed"]);
        assert_eq!(vote.states.off_ladder, ["rejected", "stalled"]);
        assert_eq!(vote.default_state, "passed");
        assert_eq!(c.issue("treaty").unwrap().default_state, "signed");
        assert_eq!(
            c.conditions[0].alternatives,
            [[Outcome::new("vote", "passed")]]
        );
        assert_eq!(c.conditions[0].line, 33);
        assert_eq!(c.priors[0].probability, 1.0);
        assert_eq!(c.milestones[0].id, "milestone-1");
        assert_eq!(c.milestones[0].date.unwrap().to_string(), "2022-03");
        assert!(c.check_outcome(&Outcome::new("vote", "signed")).is_err());
        assert!(c.check_outcome(&Outcome::new("vote", "held")).is_ok());
        // Serialises for `--json`.
        let j = serde_json::to_value(&c).unwrap();
        assert_eq!(j["conditions"][0]["goal"], "treaty=signed");
    }

    fn problems(src: &str) -> Vec<(Option<usize>, String)> {
        match Case::from_toml_str("bad.toml", src) {
            Ok(_) => panic!("expected an error"),
            Err(e) => {
                assert_eq!(e.file, "bad.toml");
                e.problems
                    .into_iter()
                    .map(|p| (p.line, p.message))
                    .collect()
            }
        }
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let src = MINI
            .replace(
                "requires = [\"vote=passed\"]",
                "requires = [\"vote=signed\", \"nope=held\"]",
            )
            .replace("probability = 0.5", "probability = 1.5")
            .replace("date = \"2022-03\"", "date = \"March 2022\"");
        let p = problems(&src);
        let lines: Vec<Option<usize>> = p.iter().map(|x| x.0).collect();
        assert_eq!(lines, [Some(35), Some(35), Some(36), Some(45)], "{p:?}");
        assert!(
            p[0].1.contains("unknown state `signed` for issue `vote`"),
            "{p:?}"
        );
        assert!(p[1].1.contains("unknown issue `nope`"), "{p:?}");
        assert!(p[2].1.contains("out of range"), "{p:?}");
        assert!(p[3].1.contains("March 2022"), "{p:?}");
    }

    #[test]
    fn unknown_fields_and_bad_toml_name_the_line() {
        let p = problems(&MINI.replace(
            "cues = [\"treaty\"]",
            "cues = [\"treaty\"]\ncolour = \"red\"",
        ));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, Some(24), "{p:?}");
        assert!(p[0].1.contains("colour"), "{p:?}");
        let p = problems("[process]\nid = \"x\"\nname = \n");
        assert_eq!(p[0].0, Some(3), "{p:?}");
        let p = problems("");
        assert!(p[0].1.contains("process"), "{p:?}");
    }

    #[test]
    fn duplicates_are_reported() {
        let src = format!(
            "{MINI}\n[[condition]]\nid = \"c1\"\ngoal = \"treaty=signed\"\nrequires = [\"treaty=signed\"]\n"
        );
        let p = problems(&src);
        assert!(
            p.iter().any(|x| x
                .1
                .contains("duplicate condition id `c1` (first defined on line 33)")),
            "{p:?}"
        );
        assert!(
            p.iter().any(|x| x.1.contains("requires its own goal")),
            "{p:?}"
        );
    }

    #[test]
    fn loads_a_folder() {
        let dir = std::env::temp_dir().join(format!("pt-model-case-{}", std::process::id()));
        let sub = dir.join("mini");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("case.toml"), MINI).unwrap();
        let c = Case::load(&sub).unwrap();
        assert_eq!(c.name, "mini");
        assert!(c.file.ends_with("case.toml"));
        let e = Case::load(dir.join("absent")).unwrap_err();
        assert!(e.to_string().contains("cannot read"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
