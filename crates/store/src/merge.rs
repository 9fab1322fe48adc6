//! One event, many sources: which claims (an event as one document reports it) are the same
//! real-world event, and what the merged event says.
//!
//! Claims are compared only within a *block* (status, type family, year), so a new document touches
//! only the blocks its claims fall in, and the store re-clusters exactly those. Clustering is a pure
//! function of the set of claims in a block (never of the order they arrived in), and an event's id
//! is derived from the smallest claim id among its sources, so ids are stable across re-ingests and
//! across arrival orders.
//!
//! Two claims are the same event when they are of the same family, their participants overlap
//! (a shared named actor; or, when one of them names no actor, enough shared countries), their places agree when both give one, and
//! their dates are compatible:
//! - **Same precision.** Equal dates; or, for days, at most `conflict_days` apart when they also share
//!   a named actor and the same place — then they merge and the event carries a date *conflict*
//!   listing each claimed date with its sources, instead of choosing silently.
//! - **Coarser claims** (a month, a season, a year) join an event built from finer ones only when
//!   exactly one such event fits inside their period; a year-only report never glues two distinct
//!   meetings together. Otherwise they merge among themselves (equal periods).

use crate::dates::{Period, Precision};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Merging settings (`data/merge.toml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeRules {
    /// Largest day difference merged as a conflict.
    pub conflict_days: i32,
    /// Countries that must be shared when no actor is.
    pub min_shared_countries: usize,
    /// PLOVER type → family.
    pub families: HashMap<String, String>,
}

impl MergeRules {
    /// The shipped rules.
    pub fn shipped() -> MergeRules {
        toml::from_str(include_str!("../data/merge.toml")).expect("data/merge.toml is valid")
    }

    /// Rules from an analyst's file.
    pub fn from_toml(src: &str) -> Result<MergeRules, String> {
        toml::from_str(src).map_err(|e| e.to_string())
    }

    /// The family of a PLOVER type.
    pub fn family(&self, kind: &str) -> String {
        self.families
            .get(kind)
            .cloned()
            .unwrap_or_else(|| kind.to_string())
    }
}

/// A claim as the merger sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimKey {
    /// Claim id (stable: derived from the document's hash and the span).
    pub id: String,
    /// The document it comes from.
    pub doc_id: String,
    /// PLOVER type.
    pub kind: String,
    /// Mode.
    pub mode: String,
    /// The date as written (ISO at its precision), if any.
    pub date: Option<String>,
    /// The period the date stands for.
    pub period: Option<Period>,
    /// Canonical actor names.
    pub actors: Vec<String>,
    /// ISO alpha-3 codes.
    pub countries: Vec<String>,
    /// Canonical place.
    pub place: Option<String>,
}

/// One claimed value and the claims that make it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claimed {
    /// The value (a date).
    pub value: String,
    /// Ids of the claims that state it.
    pub claims: Vec<String>,
}

/// A disagreement between the sources of one event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// What they disagree on: `date`.
    pub field: String,
    /// Each claimed value with its claims.
    pub values: Vec<Claimed>,
}

/// A merged event: the summary of its claims.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// Stable id.
    pub id: String,
    /// Indices of its claims in the input.
    pub members: Vec<usize>,
    /// PLOVER type (the most frequent among the claims; ties alphabetically).
    pub kind: String,
    /// Mode (likewise).
    pub mode: String,
    /// The date (the most precise; among disagreeing days, the one most documents give, then the
    /// earliest).
    pub date: Option<String>,
    /// Its period.
    pub period: Option<Period>,
    /// All actors, sorted.
    pub actors: Vec<String>,
    /// All countries, sorted.
    pub countries: Vec<String>,
    /// The place (the most frequent given).
    pub place: Option<String>,
    /// Distinct documents.
    pub n_docs: usize,
    /// Disagreements.
    pub conflicts: Vec<Conflict>,
}

/// The stable id of the event whose smallest claim id is `claim`.
pub fn event_id(claim: &str) -> String {
    format!(
        "ev-{}",
        &crate::hex_digest(format!("event\0{claim}").as_bytes())[..12]
    )
}

fn shares_actor(a: &BTreeSet<&str>, b: &ClaimKey) -> bool {
    b.actors.iter().any(|x| a.contains(x.as_str()))
}

/// Whether the participants of `a` (actors and countries, as sets) overlap those of `b`.
fn overlap(rules: &MergeRules, a: &Side, b: &Side) -> bool {
    if a.actors.intersection(&b.actors).next().is_some() {
        return true;
    }
    if !a.actors.is_empty() && !b.actors.is_empty() {
        // Both name who took part, and nobody in common: not the same occasion.
        return false;
    }
    let need = rules
        .min_shared_countries
        .min(a.countries.len())
        .min(b.countries.len());
    need > 0 && a.countries.intersection(&b.countries).count() >= need
}

#[derive(Clone, Debug, Default)]
struct Side<'a> {
    actors: BTreeSet<&'a str>,
    countries: BTreeSet<&'a str>,
    places: BTreeSet<&'a str>,
}

impl<'a> Side<'a> {
    fn of(c: &'a ClaimKey) -> Side<'a> {
        let mut s = Side::default();
        s.add(c);
        s
    }

    fn add(&mut self, c: &'a ClaimKey) {
        self.actors.extend(c.actors.iter().map(String::as_str));
        self.countries
            .extend(c.countries.iter().map(String::as_str));
        self.places.extend(c.place.as_deref());
    }

    fn place_ok(&self, other: &Side<'_>) -> bool {
        self.places.is_empty() || other.places.is_empty() || self.places == other.places
    }
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, i: usize) -> usize {
        let mut r = i;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut j = i;
        while self.0[j] != r {
            let next = self.0[j];
            self.0[j] = r;
            j = next;
        }
        r
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.0[hi] = lo;
        }
    }
}

/// Whether two claims of the same precision are the same event (their sides given).
fn same_level(
    rules: &MergeRules,
    a: &ClaimKey,
    sa: &Side<'_>,
    b: &ClaimKey,
    sb: &Side<'_>,
) -> bool {
    let (Some(pa), Some(pb)) = (a.period, b.period) else {
        return false;
    };
    if !sa.place_ok(sb) || !overlap(rules, sa, sb) {
        return false;
    }
    if pa == pb {
        return true;
    }
    pa.precision == Precision::Day
        && pb.precision == Precision::Day
        && (pa.lo - pb.lo).get_days().abs() <= rules.conflict_days
        && shares_actor(&sa.actors, b)
        && a.place.is_some()
        && a.place == b.place
}

/// Days since 1970-01-01 of a claim's first day (for windowed comparisons).
fn day_number(c: &ClaimKey) -> i32 {
    c.period
        .map(|p| (p.lo - jiff::civil::date(1970, 1, 1)).get_days())
        .unwrap_or(i32::MIN)
}

/// Clusters the claims of one block. Returns the events, sorted by id. Deterministic in the set of
/// claims: the input order does not matter.
pub fn cluster(rules: &MergeRules, claims: &[ClaimKey]) -> Vec<Merged> {
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by(|&a, &b| claims[a].id.cmp(&claims[b].id));
    let mut dsu = Dsu((0..claims.len()).collect());
    let sides: Vec<Side<'_>> = claims.iter().map(Side::of).collect();
    let days: Vec<i32> = claims.iter().map(day_number).collect();

    // Levels from the finest precision to the coarsest; undated claims stay alone.
    let mut levels: BTreeMap<u8, Vec<usize>> = BTreeMap::new();
    for &i in &order {
        if let Some(p) = claims[i].period {
            levels.entry(p.precision.rank()).or_default().push(i);
        }
    }
    let mut placed: Vec<usize> = Vec::new();
    for members in levels.values() {
        // Clusters built from finer claims, as they stand before this level (a snapshot, so that
        // the order of the claims at this level does not matter).
        let mut finer: BTreeMap<usize, (Vec<usize>, Side<'_>)> = BTreeMap::new();
        for &i in &placed {
            let root = dsu.find(i);
            let entry = finer.entry(root).or_default();
            entry.0.push(i);
            entry.1.add(&claims[i]);
        }
        let mut unattached = Vec::new();
        let mut attach = Vec::new();
        for &i in members {
            let c = &claims[i];
            let p = c.period.expect("levels hold dated claims");
            let side = &sides[i];
            let fits: Vec<usize> = finer
                .iter()
                .filter(|(_, (ms, s))| {
                    ms.iter()
                        .all(|&m| claims[m].period.is_some_and(|q| p.contains(&q)))
                        && s.place_ok(side)
                        && overlap(rules, s, side)
                })
                .map(|(&root, _)| root)
                .collect();
            if fits.len() == 1 {
                attach.push((i, fits[0]));
            } else {
                unattached.push(i);
            }
        }
        for (i, root) in attach {
            dsu.union(i, root);
        }
        // Only claims whose first days lie within the conflict window can match: compare each
        // with the ones after it in date order until the window closes.
        let mut by_day: Vec<usize> = unattached.clone();
        by_day.sort_by_key(|&i| (days[i], i));
        for (x, &a) in by_day.iter().enumerate() {
            for &b in &by_day[x + 1..] {
                if days[b].saturating_sub(days[a]) > rules.conflict_days.max(0) {
                    break;
                }
                if same_level(rules, &claims[a], &sides[a], &claims[b], &sides[b]) {
                    dsu.union(a, b);
                }
            }
        }
        placed.extend(members.iter().copied());
    }

    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &order {
        groups.entry(dsu.find(i)).or_default().push(i);
    }
    let mut out: Vec<Merged> = groups.into_values().map(|m| summarise(claims, m)).collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn majority<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|&(_, n)| n == best)
        .map(|(v, _)| v.to_string())
}

fn summarise(claims: &[ClaimKey], members: Vec<usize>) -> Merged {
    let first = members
        .iter()
        .map(|&i| claims[i].id.as_str())
        .min()
        .unwrap_or_default();
    let id = event_id(first);
    let kind = majority(members.iter().map(|&i| claims[i].kind.as_str())).unwrap_or_default();
    let mode = majority(members.iter().map(|&i| claims[i].mode.as_str())).unwrap_or_default();
    let place = majority(members.iter().filter_map(|&i| claims[i].place.as_deref()));
    let actors: BTreeSet<&str> = members
        .iter()
        .flat_map(|&i| claims[i].actors.iter().map(String::as_str))
        .collect();
    let countries: BTreeSet<&str> = members
        .iter()
        .flat_map(|&i| claims[i].countries.iter().map(String::as_str))
        .collect();
    let docs: BTreeSet<&str> = members.iter().map(|&i| claims[i].doc_id.as_str()).collect();

    // The date: the finest precision present; disagreeing values at that precision are a conflict.
    let finest = members
        .iter()
        .filter_map(|&i| claims[i].period.map(|p| p.precision.rank()))
        .min();
    let mut by_value: BTreeMap<String, (BTreeSet<&str>, Vec<String>, Period)> = BTreeMap::new();
    for &i in &members {
        let c = &claims[i];
        if let (Some(p), Some(d)) = (c.period, c.date.as_ref())
            && Some(p.precision.rank()) == finest
        {
            let e = by_value
                .entry(d.clone())
                .or_insert_with(|| (BTreeSet::new(), Vec::new(), p));
            e.0.insert(c.doc_id.as_str());
            e.1.push(c.id.clone());
        }
    }
    let chosen = by_value
        .iter()
        .max_by(|a, b| {
            a.1.0
                .len()
                .cmp(&b.1.0.len())
                .then_with(|| b.1.2.lo.cmp(&a.1.2.lo))
        })
        .map(|(v, (_, _, p))| (v.clone(), *p));
    let conflicts = if by_value.len() > 1 {
        vec![Conflict {
            field: "date".into(),
            values: by_value
                .iter()
                .map(|(v, (_, ids, _))| {
                    let mut claims = ids.clone();
                    claims.sort();
                    Claimed {
                        value: v.clone(),
                        claims,
                    }
                })
                .collect(),
        }]
    } else {
        Vec::new()
    };
    Merged {
        id,
        kind,
        mode,
        date: chosen.as_ref().map(|(v, _)| v.clone()),
        period: chosen.map(|(_, p)| p),
        actors: actors.into_iter().map(str::to_string).collect(),
        countries: countries.into_iter().map(str::to_string).collect(),
        place,
        n_docs: docs.len(),
        conflicts,
        members,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(
        id: &str,
        doc: &str,
        date: &str,
        actors: &[&str],
        countries: &[&str],
        place: Option<&str>,
    ) -> ClaimKey {
        ClaimKey {
            id: id.into(),
            doc_id: doc.into(),
            kind: "CONSULT".into(),
            mode: "meeting".into(),
            date: (!date.is_empty()).then(|| date.to_string()),
            period: Period::parse(date),
            actors: actors.iter().map(|s| s.to_string()).collect(),
            countries: countries.iter().map(|s| s.to_string()).collect(),
            place: place.map(str::to_string),
        }
    }

    fn groups(events: &[Merged], claims: &[ClaimKey]) -> Vec<Vec<String>> {
        let mut g: Vec<Vec<String>> = events
            .iter()
            .map(|e| {
                let mut ids: Vec<String> =
                    e.members.iter().map(|&i| claims[i].id.clone()).collect();
                ids.sort();
                ids
            })
            .collect();
        g.sort();
        g
    }

    #[test]
    fn the_same_meeting_from_two_documents_is_one_event() {
        let rules = MergeRules::shipped();
        let claims = vec![
            claim(
                "a",
                "d1",
                "2022-01-14",
                &["Serdar Kılıç", "Ruben Rubinyan"],
                &["ARM", "TUR"],
                Some("Moscow"),
            ),
            claim(
                "b",
                "d2",
                "2022-01-14",
                &["Serdar Kılıç"],
                &["ARM", "TUR"],
                Some("Moscow"),
            ),
            claim(
                "c",
                "d2",
                "2022-02-24",
                &["Serdar Kılıç"],
                &["ARM", "TUR"],
                Some("Vienna"),
            ),
        ];
        let events = cluster(&rules, &claims);
        assert_eq!(groups(&events, &claims), [vec!["a", "b"], vec!["c"]]);
        let moscow = events.iter().find(|e| e.members.len() == 2).unwrap();
        assert_eq!(moscow.n_docs, 2);
        assert_eq!(moscow.date.as_deref(), Some("2022-01-14"));
        assert_eq!(moscow.actors, ["Ruben Rubinyan", "Serdar Kılıç"]);
        assert!(moscow.conflicts.is_empty());
    }

    #[test]
    fn disagreeing_days_merge_with_a_conflict() {
        let rules = MergeRules::shipped();
        let claims = vec![
            claim(
                "a",
                "d1",
                "2022-01-14",
                &["Serdar Kılıç"],
                &["ARM", "TUR"],
                Some("Moscow"),
            ),
            claim(
                "b",
                "d2",
                "2022-01-15",
                &["Serdar Kılıç"],
                &["ARM", "TUR"],
                Some("Moscow"),
            ),
            claim(
                "c",
                "d3",
                "2022-01-14",
                &["Serdar Kılıç"],
                &["ARM", "TUR"],
                Some("Moscow"),
            ),
        ];
        let events = cluster(&rules, &claims);
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(
            e.date.as_deref(),
            Some("2022-01-14"),
            "two documents against one"
        );
        assert_eq!(e.conflicts.len(), 1);
        assert_eq!(e.conflicts[0].values.len(), 2);
        assert_eq!(e.conflicts[0].values[1].value, "2022-01-15");
        assert_eq!(e.conflicts[0].values[1].claims, ["b"]);
    }

    #[test]
    fn a_coarse_report_joins_only_an_unambiguous_event() {
        let rules = MergeRules::shipped();
        // Two January meetings and a report that they met "in January": ambiguous, stays apart;
        // so does a report of a 2022 meeting in Vienna, which could also be that January one.
        let mut claims = vec![
            claim(
                "a",
                "d1",
                "2022-01-14",
                &["Serdar Kılıç"],
                &["ARM", "TUR"],
                Some("Moscow"),
            ),
            claim(
                "b",
                "d1",
                "2022-01-28",
                &["Serdar Kılıç"],
                &["ARM", "TUR"],
                Some("Vienna"),
            ),
            claim(
                "c",
                "d2",
                "2022-01",
                &["Serdar Kılıç"],
                &["ARM", "TUR"],
                None,
            ),
            claim(
                "e",
                "d4",
                "2022",
                &["Serdar Kılıç"],
                &["ARM", "TUR"],
                Some("Vienna"),
            ),
        ];
        let events = cluster(&rules, &claims);
        assert_eq!(
            groups(&events, &claims),
            [vec!["a"], vec!["b"], vec!["c"], vec!["e"]]
        );
        // Without the vague January report, the 2022 Vienna report fits one meeting only.
        claims.remove(2);
        let events = cluster(&rules, &claims);
        assert_eq!(groups(&events, &claims), [vec!["a"], vec!["b", "e"]]);
        let vienna = events.iter().find(|e| e.members.len() == 2).unwrap();
        assert_eq!(
            vienna.date.as_deref(),
            Some("2022-01-28"),
            "the finer date wins"
        );
    }

    #[test]
    fn clustering_ignores_arrival_order_and_ids_are_stable() {
        let rules = MergeRules::shipped();
        let mut claims = vec![
            claim(
                "x1",
                "d1",
                "2023-05-02",
                &[],
                &["ARM", "AZE"],
                Some("Washington"),
            ),
            claim("x2", "d2", "2023-05", &[], &["ARM", "AZE", "USA"], None),
            claim("x3", "d3", "2023-05-02", &[], &["AZE", "ARM"], None),
            claim("x4", "d4", "2023-05-02", &[], &["ARM", "TUR"], None),
        ];
        let a = cluster(&rules, &claims);
        claims.reverse();
        let b = cluster(&rules, &claims);
        let ids = |v: &[Merged]| v.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(
            groups(&a, &{
                let mut c = claims.clone();
                c.reverse();
                c
            }),
            groups(&b, &claims)
        );
        assert_eq!(
            a.len(),
            2,
            "ARM–TUR shares one country of two: not the same meeting"
        );
        assert!(
            a.iter()
                .all(|e| e.id.starts_with("ev-") && e.id.len() == 15)
        );
    }

    #[test]
    fn undated_claims_stay_alone() {
        let rules = MergeRules::shipped();
        let claims = vec![
            claim("a", "d1", "", &["Serdar Kılıç"], &["ARM", "TUR"], None),
            claim("b", "d2", "", &["Serdar Kılıç"], &["ARM", "TUR"], None),
        ];
        assert_eq!(cluster(&rules, &claims).len(), 2);
        assert_eq!(rules.family("CONCEDE"), "AGREE");
        assert_eq!(rules.family("NEWTYPE"), "NEWTYPE");
    }
}
