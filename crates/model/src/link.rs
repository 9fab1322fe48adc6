//! Linking events and condition statements to a case's tracks and issues.
//!
//! Pure functions of the case and the item: cue phrases are matched on folded text (case and
//! diacritics ignored, whole words; see [`crate::fold`]), each link carries its evidence (which cue
//! matched at which bytes of which text, or which actor or party rule fired), and analyst
//! [`LinkOverride`]s are applied on top: `add` creates or confirms a link, `remove` deletes it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::Case;
use crate::fold::{CueMatch, CueSet, same_name};
use crate::outcome::Outcome;
use crate::rules::Rules;

/// What a link points at.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// A track, by id.
    Track(String),
    /// An issue, by id.
    Issue(String),
}

/// Add or remove a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideAction {
    /// Create the link (or confirm an automatic one).
    Add,
    /// Delete the link.
    Remove,
}

/// Which text of a condition statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The `what` text: the goal.
    What,
    /// The `requires` text: the requirement.
    Requires,
}

/// An analyst's correction of the automatic links of one event or statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkOverride {
    /// The event or statement id.
    pub item: String,
    /// The track or issue.
    pub target: Target,
    /// Add or remove.
    pub action: OverrideAction,
    /// For statements: which side (`what` or `requires`); `None` = both sides (remove) or the
    /// `what` side (add).
    pub side: Option<Side>,
    /// Why.
    pub note: Option<String>,
}

/// An event to link, as the extractor or the store gives it (extra JSON fields are ignored;
/// `text` is accepted for `evidence`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventInput {
    /// Event id, unique in the batch (status steps and positions cite it).
    #[serde(default)]
    pub id: String,
    /// Document id (file stem), if known.
    #[serde(default)]
    pub doc: Option<String>,
    /// PLOVER type: CONSULT, AGREE, REQUEST, REJECT ….
    #[serde(rename = "type")]
    pub event_type: String,
    /// Mode: meeting, signing, proposal, demand, statement ….
    #[serde(default)]
    pub mode: Option<String>,
    /// ISO date at any precision, or none.
    #[serde(default)]
    pub date: Option<String>,
    /// Canonical actor names.
    #[serde(default)]
    pub actors: Vec<String>,
    /// ISO3 codes (or EU …) of the parties involved, the acting one first.
    #[serde(default)]
    pub countries: Vec<String>,
    /// The party whose position the event states, when known; else the first of `countries` that is
    /// a party or mediator of the case.
    #[serde(default)]
    pub agent: Option<String>,
    /// The text that states the event.
    #[serde(default, alias = "text")]
    pub evidence: String,
    /// Byte offset of `evidence` in its document, to report cue matches in document offsets too.
    #[serde(default)]
    pub start: Option<usize>,
    /// The event is denied ("did not sign"): no status step or stance.
    #[serde(default)]
    pub negated: bool,
    /// The event is speculative: no status step or stance.
    #[serde(default)]
    pub hypothetical: bool,
    /// The event lies after the time of writing: no status step or stance.
    #[serde(default)]
    pub future: bool,
}

/// A condition statement extracted from a text ("X depends on Y").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConditionStatement {
    /// Statement id, unique in the batch.
    #[serde(default)]
    pub id: String,
    /// Document id (file stem), if known.
    #[serde(default)]
    pub doc: Option<String>,
    /// What depends on something.
    pub what: String,
    /// What it depends on.
    pub requires: String,
    /// Who says so.
    #[serde(default)]
    pub asserted_by: Option<String>,
    /// The text that states it.
    #[serde(default, alias = "text")]
    pub evidence: Option<String>,
}

/// Which text a cue matched in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// An event's evidence text.
    Evidence,
    /// A statement's `what` text.
    What,
    /// A statement's `requires` text.
    Requires,
}

/// Why a link exists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A cue phrase of the target matched.
    Cue {
        /// Which text.
        field: Field,
        /// The match (offsets into that text).
        #[serde(flatten)]
        m: CueMatch,
        /// The match's offsets in the document, when the event's `start` is known.
        doc_start: Option<usize>,
        /// End of the match in the document.
        doc_end: Option<usize>,
    },
    /// One of the track's actors takes part in the event.
    Actor {
        /// The actor's name.
        actor: String,
    },
    /// The event's type is one of the track's `party_types` and its countries include every party
    /// of the track.
    PartyRule {
        /// The event type.
        event_type: String,
        /// The track's parties.
        parties: Vec<String>,
    },
    /// The item is linked to an issue of the track.
    ViaIssue {
        /// The issue.
        issue: String,
    },
    /// An analyst's override added the link.
    Override {
        /// The override's note.
        note: Option<String>,
    },
}

/// A link from an event or statement to a track or issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The event or statement id.
    pub item: String,
    /// What it is linked to.
    pub target: Target,
    /// Why, best first (cue matches by position, then rules, then overrides).
    pub evidence: Vec<Evidence>,
}

impl Link {
    /// Whether an analyst override added this link.
    pub fn overridden(&self) -> bool {
        self.evidence
            .iter()
            .any(|e| matches!(e, Evidence::Override { .. }))
    }

    fn cue_count(&self) -> usize {
        self.evidence
            .iter()
            .filter(|e| matches!(e, Evidence::Cue { .. }))
            .count()
    }

    fn longest_cue(&self) -> usize {
        self.evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Cue { m, .. } => Some(m.end - m.start),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    fn first_cue(&self) -> usize {
        self.evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Cue { m, .. } => Some(m.start),
                _ => None,
            })
            .min()
            .unwrap_or(usize::MAX)
    }
}

/// A statement's outcome: the issue picked for one side and its state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MappedOutcome {
    /// The outcome.
    pub outcome: Outcome,
    /// The state word that named the state, or `None` when the issue's default state was used.
    pub state_cue: Option<CueMatch>,
}

/// The links of one condition statement and the condition they give.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementLinks {
    /// The statement id.
    pub statement: String,
    /// Links of the `what` text.
    pub what: Vec<Link>,
    /// Links of the `requires` text.
    pub requires: Vec<Link>,
    /// The goal outcome: the best issue link of `what` (override-added first, then most cue
    /// matches, then the longest match, then the earliest, then case order) and its state.
    pub goal: Option<MappedOutcome>,
    /// The requirement outcome, picked the same way from `requires`.
    pub requirement: Option<MappedOutcome>,
}

/// Links items to one case. Compile once, link many.
#[derive(Clone, Debug)]
pub struct Linker<'c> {
    case: &'c Case,
    issue_cues: CueSet,
    track_cues: CueSet,
    overrides: Vec<LinkOverride>,
}

impl<'c> Linker<'c> {
    /// A linker for `case`, with the case's own overrides.
    pub fn new(case: &'c Case) -> Linker<'c> {
        let mut issue_cues = CueSet::new();
        for (i, issue) in case.issues.iter().enumerate() {
            for c in &issue.cues {
                issue_cues.add(c, i);
            }
        }
        let mut track_cues = CueSet::new();
        for (i, t) in case.tracks.iter().enumerate() {
            for c in &t.cues {
                track_cues.add(c, i);
            }
        }
        Linker {
            case,
            issue_cues,
            track_cues,
            overrides: case.overrides.clone(),
        }
    }

    /// Adds overrides after the case's own (later overrides win).
    pub fn with_overrides(mut self, extra: &[LinkOverride]) -> Linker<'c> {
        self.overrides.extend_from_slice(extra);
        self
    }

    /// The case.
    pub fn case(&self) -> &'c Case {
        self.case
    }

    fn order(&self, t: &Target) -> (usize, usize) {
        match t {
            Target::Track(id) => (
                0,
                self.case
                    .tracks
                    .iter()
                    .position(|x| &x.id == id)
                    .unwrap_or(usize::MAX),
            ),
            Target::Issue(id) => (
                1,
                self.case
                    .issues
                    .iter()
                    .position(|x| &x.id == id)
                    .unwrap_or(usize::MAX),
            ),
        }
    }

    fn cue_links(
        &self,
        text: &str,
        field: Field,
        offset: Option<usize>,
        acc: &mut BTreeMap<Target, Vec<Evidence>>,
    ) {
        let ev = |m: CueMatch| Evidence::Cue {
            field,
            doc_start: offset.map(|o| o + m.start),
            doc_end: offset.map(|o| o + m.end),
            m,
        };
        for (i, m) in self.issue_cues.find(text) {
            if let Some(issue) = self.case.issues.get(i) {
                acc.entry(Target::Issue(issue.id.clone()))
                    .or_default()
                    .push(ev(m));
            }
        }
        for (i, m) in self.track_cues.find(text) {
            if let Some(t) = self.case.tracks.get(i) {
                acc.entry(Target::Track(t.id.clone()))
                    .or_default()
                    .push(ev(m));
            }
        }
    }

    fn via_issues(&self, acc: &mut BTreeMap<Target, Vec<Evidence>>) {
        let issues: Vec<String> = acc
            .keys()
            .filter_map(|t| match t {
                Target::Issue(i) => Some(i.clone()),
                _ => None,
            })
            .collect();
        for i in issues {
            if let Some(issue) = self.case.issue(&i) {
                acc.entry(Target::Track(issue.track.clone()))
                    .or_default()
                    .push(Evidence::ViaIssue { issue: i });
            }
        }
    }

    fn finish(&self, item: &str, acc: BTreeMap<Target, Vec<Evidence>>) -> Vec<Link> {
        let mut links: Vec<Link> = acc
            .into_iter()
            .map(|(target, evidence)| Link {
                item: item.to_string(),
                target,
                evidence,
            })
            .collect();
        links.sort_by_key(|l| self.order(&l.target));
        links
    }

    /// The automatic links of an event, without overrides.
    pub fn link_event_auto(&self, e: &EventInput) -> Vec<Link> {
        let mut acc: BTreeMap<Target, Vec<Evidence>> = BTreeMap::new();
        self.cue_links(&e.evidence, Field::Evidence, e.start, &mut acc);
        self.via_issues(&mut acc);
        let event_type = e.event_type.to_ascii_uppercase();
        for t in &self.case.tracks {
            for a in &t.actors {
                if e.actors.iter().any(|x| same_name(x, a)) {
                    acc.entry(Target::Track(t.id.clone()))
                        .or_default()
                        .push(Evidence::Actor { actor: a.clone() });
                }
            }
            if !t.parties.is_empty()
                && t.party_types.contains(&event_type)
                && t.parties
                    .iter()
                    .all(|p| e.countries.iter().any(|c| c.eq_ignore_ascii_case(p)))
            {
                acc.entry(Target::Track(t.id.clone()))
                    .or_default()
                    .push(Evidence::PartyRule {
                        event_type: event_type.clone(),
                        parties: t.parties.clone(),
                    });
            }
        }
        self.finish(&e.id, acc)
    }

    /// The links of an event: automatic links with the overrides applied.
    pub fn link_event(&self, e: &EventInput) -> Vec<Link> {
        let links = self.link_event_auto(e);
        apply_overrides(links, &e.id, &self.overrides, None, |t| self.order(t))
    }

    /// Links a condition statement: both sides, and the goal and requirement outcomes.
    pub fn link_statement(&self, s: &ConditionStatement, rules: &Rules) -> StatementLinks {
        let side = |text: &str, field: Field, which: Side| {
            let mut acc = BTreeMap::new();
            self.cue_links(text, field, None, &mut acc);
            self.via_issues(&mut acc);
            let links = self.finish(&s.id, acc);
            apply_overrides(links, &s.id, &self.overrides, Some(which), |t| {
                self.order(t)
            })
        };
        let what = side(&s.what, Field::What, Side::What);
        let requires = side(&s.requires, Field::Requires, Side::Requires);
        let goal = self.best_outcome(&what, &s.what, rules);
        let requirement = self.best_outcome(&requires, &s.requires, rules);
        StatementLinks {
            statement: s.id.clone(),
            what,
            requires,
            goal,
            requirement,
        }
    }

    fn best_outcome(&self, links: &[Link], text: &str, rules: &Rules) -> Option<MappedOutcome> {
        let best = links
            .iter()
            .filter(|l| matches!(l.target, Target::Issue(_)))
            .min_by(|a, b| {
                (
                    !a.overridden(),
                    std::cmp::Reverse(a.cue_count()),
                    std::cmp::Reverse(a.longest_cue()),
                    a.first_cue(),
                    self.order(&a.target),
                )
                    .cmp(&(
                        !b.overridden(),
                        std::cmp::Reverse(b.cue_count()),
                        std::cmp::Reverse(b.longest_cue()),
                        b.first_cue(),
                        self.order(&b.target),
                    ))
            })?;
        let Target::Issue(id) = &best.target else {
            return None;
        };
        let issue = self.case.issue(id)?;
        let (state, state_cue) = match rules.state_in_text(text, &issue.states) {
            Some((s, m)) => (s, Some(m)),
            None => (issue.default_state.clone(), None),
        };
        Some(MappedOutcome {
            outcome: Outcome::new(id.clone(), state),
            state_cue,
        })
    }
}

/// Applies overrides for `item` to its automatic links, in order (a later override wins over an
/// earlier one). `side` is the statement side being linked (`None` for events): an override with a
/// side applies only to that side; one without applies to events, to both sides when removing, and
/// to the `what` side when adding.
pub fn apply_overrides(
    mut links: Vec<Link>,
    item: &str,
    overrides: &[LinkOverride],
    side: Option<Side>,
    order: impl Fn(&Target) -> (usize, usize),
) -> Vec<Link> {
    for o in overrides.iter().filter(|o| o.item == item) {
        let applies = match (side, o.side, o.action) {
            (None, _, _) => true,
            (Some(s), Some(os), _) => s == os,
            (Some(_), None, OverrideAction::Remove) => true,
            (Some(s), None, OverrideAction::Add) => s == Side::What,
        };
        if !applies {
            continue;
        }
        match o.action {
            OverrideAction::Remove => links.retain(|l| l.target != o.target),
            OverrideAction::Add => {
                let ev = Evidence::Override {
                    note: o.note.clone(),
                };
                match links.iter_mut().find(|l| l.target == o.target) {
                    Some(l) => l.evidence.push(ev),
                    None => links.push(Link {
                        item: item.to_string(),
                        target: o.target.clone(),
                        evidence: vec![ev],
                    }),
                }
            }
        }
    }
    links.sort_by_key(|l| order(&l.target));
    links
}

/// Links one event to a case (compiles the case's cues; use a [`Linker`] for many events).
pub fn link_event(case: &Case, e: &EventInput) -> Vec<Link> {
    Linker::new(case).link_event(e)
}

/// Links one condition statement to a case.
pub fn link_statement(case: &Case, s: &ConditionStatement, rules: &Rules) -> StatementLinks {
    Linker::new(case).link_statement(s, rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = r#"
[process]
id = "t"
name = "T"
[[party]]
code = "ARM"
name = "Armenia"
[[party]]
code = "TUR"
name = "Türkiye"
[[party]]
code = "AZE"
name = "Azerbaijan"
[[track]]
id = "norm"
name = "Normalisation"
parties = ["ARM", "TUR"]
actors = ["Serdar Kılıç"]
party_types = ["CONSULT"]
cues = ["normalization", "normalisation"]
[[track]]
id = "peace"
name = "Peace treaty"
parties = ["ARM", "AZE"]
[[issue]]
id = "border"
name = "Border opening"
track = "norm"
cues = ["Türkiye–Armenia border", "border with Turkey", "border with Türkiye"]
default_state = "implemented"
[[issue]]
id = "treaty"
name = "Peace treaty"
track = "peace"
cues = ["peace treaty", "agreement with Azerbaijan"]
default_state = "signed"
[[issue]]
id = "constitution"
name = "Constitution"
track = "peace"
cues = ["constitution"]
states = ["proposed", "adopted"]
"#;

    fn case() -> Case {
        Case::from_toml_str("t.toml", CASE).unwrap()
    }

    fn targets(links: &[Link]) -> Vec<String> {
        links
            .iter()
            .map(|l| match &l.target {
                Target::Track(t) => format!("track:{t}"),
                Target::Issue(i) => format!("issue:{i}"),
            })
            .collect()
    }

    #[test]
    fn event_links_by_cue_actor_and_party_rule() {
        let c = case();
        let e = EventInput {
            id: "e1".into(),
            event_type: "CONSULT".into(),
            mode: Some("meeting".into()),
            actors: vec!["Serdar Kilic".into()],
            countries: vec!["TUR".into(), "ARM".into()],
            evidence: "Kilic discussed the TURKIYE-Armenia border and normalisation.".into(),
            start: Some(100),
            ..Default::default()
        };
        let links = link_event(&c, &e);
        assert_eq!(targets(&links), ["track:norm", "issue:border"]);
        let norm = &links[0].evidence;
        assert!(
            matches!(&norm[0], Evidence::Cue { m, doc_start: Some(147), .. } if m.text == "normalisation")
        );
        assert!(norm.contains(&Evidence::ViaIssue {
            issue: "border".into()
        }));
        assert!(norm.contains(&Evidence::Actor {
            actor: "Serdar Kılıç".into()
        }));
        assert!(norm.iter().any(|e| matches!(e, Evidence::PartyRule { .. })));
        match &links[1].evidence[0] {
            Evidence::Cue {
                field,
                m,
                doc_start,
                doc_end,
                ..
            } => {
                assert_eq!(*field, Field::Evidence);
                assert_eq!(&e.evidence[m.start..m.end], "TURKIYE-Armenia border");
                assert_eq!(
                    (*doc_start, *doc_end),
                    (Some(100 + m.start), Some(100 + m.end))
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn overrides_add_and_remove() {
        let mut c = case();
        c.overrides.push(LinkOverride {
            item: "e1".into(),
            target: Target::Issue("border".into()),
            action: OverrideAction::Remove,
            side: None,
            note: None,
        });
        let extra = [LinkOverride {
            item: "e1".into(),
            target: Target::Issue("treaty".into()),
            action: OverrideAction::Add,
            side: None,
            note: Some("the article means the treaty".into()),
        }];
        let linker = Linker::new(&c).with_overrides(&extra);
        let e = EventInput {
            id: "e1".into(),
            event_type: "AGREE".into(),
            evidence: "talks on the border with Turkey".into(),
            ..Default::default()
        };
        let links = linker.link_event(&e);
        // The border link is removed, but the track link it implied stays (it is evidence-based;
        // remove it with its own override).
        assert_eq!(targets(&links), ["track:norm", "issue:treaty"]);
        assert!(links[1].overridden());
        // Another event is untouched.
        let other = EventInput {
            id: "e2".into(),
            ..e.clone()
        };
        assert_eq!(
            targets(&linker.link_event(&other)),
            ["track:norm", "issue:border"]
        );
        assert_eq!(
            targets(&linker.link_event_auto(&e)),
            ["track:norm", "issue:border"]
        );
    }

    #[test]
    fn statements_map_to_outcomes() {
        let c = case();
        let r = Rules::embedded();
        let s = ConditionStatement {
            id: "s1".into(),
            what: "Armenia opening its border with Turkey".into(),
            requires: "a peace treaty".into(),
            ..Default::default()
        };
        let l = link_statement(&c, &s, &r);
        assert_eq!(
            l.goal.as_ref().unwrap().outcome.to_string(),
            "border=implemented"
        );
        assert_eq!(
            l.goal.as_ref().unwrap().state_cue.as_ref().unwrap().text,
            "opening"
        );
        assert_eq!(
            l.requirement.as_ref().unwrap().outcome.to_string(),
            "treaty=signed"
        );
        assert!(l.requirement.as_ref().unwrap().state_cue.is_none());
        let s = ConditionStatement {
            id: "s2".into(),
            what: "the Signing of the peace treaty".into(),
            requires: "amending the constitution".into(),
            ..Default::default()
        };
        let l = link_statement(&c, &s, &r);
        assert_eq!(l.goal.unwrap().outcome.to_string(), "treaty=signed");
        // `amending` is a state word of `adopted`, a state this issue has.
        assert_eq!(
            l.requirement.unwrap().outcome.to_string(),
            "constitution=adopted"
        );
        let s = ConditionStatement {
            id: "s3".into(),
            what: "Turkey opening the border".into(),
            requires: "approval from Baku".into(),
            ..Default::default()
        };
        let l = link_statement(&c, &s, &r);
        assert!(l.goal.is_none() && l.requirement.is_none());
        // An override supplies the missing requirement.
        let o = [LinkOverride {
            item: "s3".into(),
            target: Target::Issue("treaty".into()),
            action: OverrideAction::Add,
            side: Some(Side::Requires),
            note: None,
        }];
        let l = Linker::new(&c).with_overrides(&o).link_statement(&s, &r);
        assert_eq!(l.requirement.unwrap().outcome.to_string(), "treaty=signed");
        assert!(l.goal.is_none());
    }

    #[test]
    fn links_serialise_to_json() {
        let c = case();
        let e = EventInput {
            id: "e1".into(),
            event_type: "AGREE".into(),
            evidence: "the peace treaty".into(),
            start: Some(10),
            ..Default::default()
        };
        let j = serde_json::to_value(link_event(&c, &e)).unwrap();
        assert_eq!(j[0]["target"], serde_json::json!({"track": "peace"}));
        assert_eq!(
            j[0]["evidence"][0],
            serde_json::json!({"kind": "via_issue", "issue": "treaty"})
        );
        assert_eq!(
            j[1]["evidence"][0],
            serde_json::json!({"kind": "cue", "field": "evidence", "cue": "peace treaty", "start": 4,
                "end": 16, "text": "peace treaty", "doc_start": 14, "doc_end": 26})
        );
    }

    #[test]
    fn events_deserialise_from_extractor_json() {
        let j = r#"{"kind":"event","doc":"a.txt","type":"AGREE","mode":"signing","date":"2022-01-14",
            "actors":["X"],"countries":["ARM"],"start":5,"end":9,"text":"they signed","trigger":"signed",
            "negated":false,"hypothetical":false,"future":false}"#;
        let e: EventInput = serde_json::from_str(j).unwrap();
        assert_eq!(e.evidence, "they signed");
        assert_eq!(e.event_type, "AGREE");
        assert_eq!(e.start, Some(5));
    }
}
