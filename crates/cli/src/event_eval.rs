//! Scoring events and conditions against gold files (part of `eval --gold`).
//!
//! - **Events.** Only system events the text asserts are scored ([`Event::asserted`]: not negated,
//!   not hypothetical, not future unless dated), since gold lists only those. A system event and a
//!   gold event match
//!   - *relaxed* when their dates are compatible (equal, one a prefix of the other at a `-` boundary,
//!     or either null) and they share an actor or a country;
//!   - *strict* when, besides, the dates are equal (both null counts as equal), the types are equal,
//!     and the places are equal (both null counts as equal).
//!
//!   Each kind of match is one-to-one: a maximum bipartite matching (augmenting paths, gold in order).
//!   Precision = matched / system events, recall = matched / gold events, F1 their harmonic mean.
//!   Names are compared after folding case.
//! - **Conditions.** A gold condition is *found* when a system condition's span overlaps an occurrence
//!   of its evidence in the text; a system condition is *matched* when it overlaps the evidence of some
//!   gold condition. Recall = found / gold, precision = matched / system.

use peacetrack_extract::{Condition, Event};
use serde::{Deserialize, Serialize};

/// A gold event (`shared/gold/SCHEMA.md`); missing fields are empty.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct GoldEvent {
    #[serde(default)]
    pub id: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub evidence: String,
}

/// A gold condition; missing fields are empty.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct GoldCondition {
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub requires: String,
    #[serde(default)]
    pub asserted_by: Option<String>,
    #[serde(default)]
    pub evidence: String,
}

/// Whether two optional ISO values agree: equal, one a prefix of the other at a `-`, or either null.
fn compatible(a: Option<&str>, b: Option<&str>) -> bool {
    peacetrack_extract::events::dates_compatible(a, b)
}

fn shares(a: &[String], b: &[String]) -> bool {
    a.iter()
        .any(|x| b.iter().any(|y| x.to_lowercase() == y.to_lowercase()))
}

/// Relaxed match: compatible dates and a shared actor or country.
pub fn relaxed(gold: &GoldEvent, system: &Event) -> bool {
    compatible(gold.date.as_deref(), system.date.as_deref())
        && (shares(&gold.actors, &system.actors) || shares(&gold.countries, &system.countries))
}

/// Strict match: relaxed, plus the same date, type and place.
pub fn strict(gold: &GoldEvent, system: &Event) -> bool {
    relaxed(gold, system)
        && gold.date == system.date
        && gold.kind == system.kind
        && gold.place.as_deref().map(str::to_lowercase)
            == system.place.as_deref().map(str::to_lowercase)
}

/// A maximum one-to-one matching between `g` gold and `s` system items; `fits(gold, system)` is
/// `None` when the pair cannot match, else a preference (higher first: each gold item tries its
/// candidates in that order). Returns, per gold item, the system item matched to it.
pub fn one_to_one(
    g: usize,
    s: usize,
    fits: impl Fn(usize, usize) -> Option<u32>,
) -> Vec<Option<usize>> {
    fn augment(
        gi: usize,
        candidates: &[Vec<usize>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for &si in &candidates[gi] {
            if seen[si] {
                continue;
            }
            seen[si] = true;
            if owner[si].is_none_or(|other| augment(other, candidates, seen, owner)) {
                owner[si] = Some(gi);
                return true;
            }
        }
        false
    }
    let candidates: Vec<Vec<usize>> = (0..g)
        .map(|gi| {
            let mut c: Vec<(u32, usize)> = (0..s)
                .filter_map(|si| fits(gi, si).map(|p| (p, si)))
                .collect();
            c.sort_by_key(|&(p, si)| (std::cmp::Reverse(p), si));
            c.into_iter().map(|(_, si)| si).collect()
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; s];
    for gi in 0..g {
        let mut seen = vec![false; s];
        augment(gi, &candidates, &mut seen, &mut owner);
    }
    let mut by_gold = vec![None; g];
    for (si, o) in owner.iter().enumerate() {
        if let Some(gi) = o {
            by_gold[*gi] = Some(si);
        }
    }
    by_gold
}

/// How well a relaxed pair agrees, for preferring pairs in the relaxed matching: the same type, date,
/// place and mode each count.
fn agreement(gold: &GoldEvent, system: &Event) -> u32 {
    u32::from(gold.kind == system.kind) * 4
        + u32::from(gold.date == system.date) * 2
        + u32::from(gold.place == system.place)
        + u32::from(gold.mode == system.mode)
}

/// Event counts of a document or of all.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct EventCounts {
    pub gold: usize,
    /// Asserted system events (the ones scored).
    pub system: usize,
    /// System events flagged negated, hypothetical or (undated) future: not scored.
    pub flagged: usize,
    pub relaxed_matched: usize,
    pub strict_matched: usize,
}

impl EventCounts {
    pub fn add(&mut self, o: &EventCounts) {
        self.gold += o.gold;
        self.system += o.system;
        self.flagged += o.flagged;
        self.relaxed_matched += o.relaxed_matched;
        self.strict_matched += o.strict_matched;
    }
}

/// Precision, recall and F1 (0..=1; null when undefined).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Prf {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

impl Prf {
    pub fn new(matched: usize, system: usize, gold: usize) -> Prf {
        let precision = (system > 0).then(|| matched as f64 / system as f64);
        let recall = (gold > 0).then(|| matched as f64 / gold as f64);
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// Event counts and figures.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct EventFigures {
    #[serde(flatten)]
    pub counts: EventCounts,
    pub relaxed: Prf,
    pub strict: Prf,
}

impl From<EventCounts> for EventFigures {
    fn from(c: EventCounts) -> EventFigures {
        EventFigures {
            relaxed: Prf::new(c.relaxed_matched, c.system, c.gold),
            strict: Prf::new(c.strict_matched, c.system, c.gold),
            counts: c,
        }
    }
}

/// Condition counts of a document or of all.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct ConditionCounts {
    pub gold: usize,
    pub system: usize,
    /// Gold conditions overlapped by a system condition.
    pub found: usize,
    /// System conditions overlapping some gold evidence.
    pub system_matched: usize,
}

impl ConditionCounts {
    pub fn add(&mut self, o: &ConditionCounts) {
        self.gold += o.gold;
        self.system += o.system;
        self.found += o.found;
        self.system_matched += o.system_matched;
    }
}

/// Condition counts and figures.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ConditionFigures {
    #[serde(flatten)]
    pub counts: ConditionCounts,
    pub recall: Option<f64>,
    pub precision: Option<f64>,
}

impl From<ConditionCounts> for ConditionFigures {
    fn from(c: ConditionCounts) -> ConditionFigures {
        ConditionFigures {
            recall: (c.gold > 0).then(|| c.found as f64 / c.gold as f64),
            precision: (c.system > 0).then(|| c.system_matched as f64 / c.system as f64),
            counts: c,
        }
    }
}

/// A gold event not matched (relaxed), a system event matching nothing, or a gold condition missed /
/// a system condition matching nothing.
#[derive(Clone, Debug, Serialize)]
pub struct ItemError {
    pub doc: String,
    /// `missed_event`, `not_strict` (matched relaxed, not strict: gold and system shown),
    /// `spurious_event`, `missed_condition` or `spurious_condition`.
    pub kind: &'static str,
    /// The item in short: `CONSULT/meeting 2022-01-14 [Serdar Kılıç] [TUR, ARM] @Moscow`.
    pub summary: String,
    /// The evidence (gold) or the system span's text, on one line.
    pub text: String,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn summary(
    kind: &str,
    mode: &str,
    date: Option<&str>,
    actors: &[String],
    countries: &[String],
    place: Option<&str>,
) -> String {
    format!(
        "{kind}/{mode} {} [{}] [{}]{}",
        date.unwrap_or("-"),
        actors.join(", "),
        countries.join(", "),
        place.map(|p| format!(" @{p}")).unwrap_or_default()
    )
}

/// One document's event and condition scores and error items.
pub struct Scored {
    pub events: EventCounts,
    pub conditions: ConditionCounts,
    pub errors: Vec<ItemError>,
}

/// Scores a document's events and conditions against its gold.
pub fn score(
    doc: &str,
    text: &str,
    gold_events: &[GoldEvent],
    gold_conditions: &[GoldCondition],
    events: &[Event],
    conditions: &[Condition],
    occurrences: impl Fn(&str, &str) -> Vec<(usize, usize)>,
) -> Scored {
    let asserted: Vec<&Event> = events.iter().filter(|e| e.asserted()).collect();
    let rel = one_to_one(gold_events.len(), asserted.len(), |g, s| {
        let (g, s) = (&gold_events[g], asserted[s]);
        relaxed(g, s).then(|| agreement(g, s))
    });
    let strict_m = one_to_one(gold_events.len(), asserted.len(), |g, s| {
        strict(&gold_events[g], asserted[s]).then_some(0)
    });
    let mut errors = Vec::new();
    for (g, m) in gold_events.iter().zip(&rel) {
        if m.is_none() {
            errors.push(ItemError {
                doc: doc.to_string(),
                kind: "missed_event",
                summary: summary(
                    &g.kind,
                    &g.mode,
                    g.date.as_deref(),
                    &g.actors,
                    &g.countries,
                    g.place.as_deref(),
                ),
                text: one_line(&g.evidence),
            });
        }
    }
    for (g, (r, st)) in gold_events.iter().zip(rel.iter().zip(&strict_m)) {
        if let (Some(si), None) = (r, st) {
            let e = asserted[*si];
            errors.push(ItemError {
                doc: doc.to_string(),
                kind: "not_strict",
                summary: format!(
                    "gold {}  system {}",
                    summary(
                        &g.kind,
                        &g.mode,
                        g.date.as_deref(),
                        &g.actors,
                        &g.countries,
                        g.place.as_deref()
                    ),
                    summary(
                        &e.kind,
                        &e.mode,
                        e.date.as_deref(),
                        &e.actors,
                        &e.countries,
                        e.place.as_deref()
                    )
                ),
                text: one_line(&g.evidence),
            });
        }
    }
    for (si, e) in asserted.iter().enumerate() {
        if !rel.contains(&Some(si)) {
            errors.push(ItemError {
                doc: doc.to_string(),
                kind: "spurious_event",
                summary: format!(
                    "{} (trigger \"{}\")",
                    summary(
                        &e.kind,
                        &e.mode,
                        e.date.as_deref(),
                        &e.actors,
                        &e.countries,
                        e.place.as_deref()
                    ),
                    e.trigger
                ),
                text: one_line(text.get(e.start..e.end).unwrap_or("")),
            });
        }
    }

    let evidence: Vec<Vec<(usize, usize)>> = gold_conditions
        .iter()
        .map(|c| occurrences(text, &c.evidence))
        .collect();
    let overlaps = |c: &Condition, spans: &[(usize, usize)]| {
        spans.iter().any(|&(s, e)| c.start < e && s < c.end)
    };
    let mut found = 0;
    for (g, spans) in gold_conditions.iter().zip(&evidence) {
        if conditions.iter().any(|c| overlaps(c, spans)) {
            found += 1;
        } else {
            errors.push(ItemError {
                doc: doc.to_string(),
                kind: "missed_condition",
                summary: format!("{} <- {}", one_line(&g.what), one_line(&g.requires)),
                text: one_line(&g.evidence),
            });
        }
    }
    let mut system_matched = 0;
    for c in conditions {
        if evidence.iter().any(|spans| overlaps(c, spans)) {
            system_matched += 1;
        } else {
            errors.push(ItemError {
                doc: doc.to_string(),
                kind: "spurious_condition",
                summary: format!("{} <- {} (cue \"{}\")", c.what, c.requires, c.cue),
                text: one_line(text.get(c.start..c.end).unwrap_or("")),
            });
        }
    }
    Scored {
        events: EventCounts {
            gold: gold_events.len(),
            system: asserted.len(),
            flagged: events.len() - asserted.len(),
            relaxed_matched: rel.iter().flatten().count(),
            strict_matched: strict_m.iter().flatten().count(),
        },
        conditions: ConditionCounts {
            gold: gold_conditions.len(),
            system: conditions.len(),
            found,
            system_matched,
        },
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use peacetrack_extract::Span;

    fn event(kind: &str, date: Option<&str>, actors: &[&str], countries: &[&str]) -> Event {
        Event {
            start: 0,
            end: 10,
            kind: kind.into(),
            mode: "meeting".into(),
            date: date.map(Into::into),
            actors: actors.iter().map(|s| s.to_string()).collect(),
            countries: countries.iter().map(|s| s.to_string()).collect(),
            place: None,
            negated: false,
            hypothetical: false,
            future: false,
            trigger: "met".into(),
            trigger_span: Span { start: 0, end: 3 },
        }
    }

    fn gold(kind: &str, date: Option<&str>, actors: &[&str], countries: &[&str]) -> GoldEvent {
        GoldEvent {
            kind: kind.into(),
            date: date.map(Into::into),
            actors: actors.iter().map(|s| s.to_string()).collect(),
            countries: countries.iter().map(|s| s.to_string()).collect(),
            evidence: "They met".into(),
            ..GoldEvent::default()
        }
    }

    #[test]
    fn relaxed_and_strict_matching() {
        let g = gold("CONSULT", Some("2022-01-14"), &["Ana Lima"], &["ARM"]);
        assert!(relaxed(&g, &event("AGREE", Some("2022"), &[], &["arm"])));
        assert!(relaxed(&g, &event("AGREE", None, &["Ana Lima"], &[])));
        assert!(!relaxed(
            &g,
            &event("CONSULT", Some("2021"), &["Ana Lima"], &[])
        ));
        assert!(!relaxed(&g, &event("CONSULT", None, &[], &["AZE"])));
        assert!(strict(
            &g,
            &event("CONSULT", Some("2022-01-14"), &[], &["ARM"])
        ));
        assert!(!strict(
            &g,
            &event("CONSULT", Some("2022-01"), &[], &["ARM"])
        ));
        assert!(!strict(
            &g,
            &event("AGREE", Some("2022-01-14"), &[], &["ARM"])
        ));
    }

    #[test]
    fn matching_is_one_to_one_and_maximal() {
        // Gold 0 fits system 0 and 1, gold 1 fits only system 0: both are matched.
        let m = one_to_one(2, 2, |g, s| (g == 0 || s == 0).then_some(0));
        assert_eq!(m, vec![Some(1), Some(0)]);
        let m = one_to_one(3, 1, |_, _| Some(0));
        assert_eq!(m.iter().flatten().count(), 1);
        // Preferences decide among equally large matchings.
        let m = one_to_one(1, 3, |_, s| Some(s as u32 % 2));
        assert_eq!(m, vec![Some(1)]);
    }

    #[test]
    fn flagged_events_are_not_scored_and_conditions_overlap_evidence() {
        let text = "They met. The deal depends on a vote.";
        let mut future = event("CONSULT", None, &[], &["ARM"]);
        future.future = true;
        let events = vec![event("CONSULT", None, &[], &["ARM"]), future];
        let golds = vec![gold("CONSULT", None, &[], &["ARM"])];
        let condition = Condition {
            start: 14,
            end: 36,
            what: "deal".into(),
            what_span: Span { start: 14, end: 18 },
            requires: "a vote".into(),
            requires_span: Span { start: 30, end: 36 },
            asserted_by: None,
            cue: "depends on".into(),
        };
        let gold_conditions = vec![
            GoldCondition {
                evidence: "deal depends on a vote".into(),
                ..GoldCondition::default()
            },
            GoldCondition {
                evidence: "They met".into(),
                ..GoldCondition::default()
            },
        ];
        let s = score(
            "t.txt",
            text,
            &golds,
            &gold_conditions,
            &events,
            &[condition],
            |t, n| t.match_indices(n).map(|(i, m)| (i, i + m.len())).collect(),
        );
        assert_eq!((s.events.system, s.events.flagged), (1, 1));
        assert_eq!((s.events.relaxed_matched, s.events.strict_matched), (1, 1));
        assert_eq!((s.conditions.found, s.conditions.system_matched), (1, 1));
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        assert_eq!(s.errors[0].kind, "missed_condition");
        let f = EventFigures::from(s.events);
        assert_eq!(f.relaxed.f1, Some(1.0));
        let c = ConditionFigures::from(s.conditions);
        assert_eq!((c.recall, c.precision), (Some(0.5), Some(1.0)));
    }
}
