//! Analyst review: accept, reject, edit or merge extracted events, accept or reject conditions.
//!
//! A review is kept in `reviews`, one row per reviewed item, and every action is appended to
//! `review_log` with who did it, when, and the item before and after. Reviews survive re-ingest:
//! an event is anchored on the smallest of its claim ids when it is reviewed (claim ids follow the
//! document text, event ids follow the clustering), and every re-clustering of a block re-applies
//! the reviews anchored in it; a condition is anchored on its id, and a document's conditions get
//! their verdicts back when it is stored again.
//!
//! Applying a review rewrites the event's row: an edit sets the type, mode, date (with its
//! precision and period) and place it names; `review` is `merged` (with `merged_into`), `rejected`,
//! `edited`, `accepted` or null. Listings leave rejected and merged events out unless asked
//! ([`crate::EventFilter::reviewed_out`]); an event lists the sources of the events merged into it.

use crate::dates::Period;
use crate::db::{Backend, Value};
use crate::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is reviewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewTarget {
    /// A (merged) event.
    Event,
    /// A condition statement.
    Condition,
}

impl ReviewTarget {
    fn as_str(self) -> &'static str {
        match self {
            ReviewTarget::Event => "event",
            ReviewTarget::Condition => "condition",
        }
    }
}

/// What the reviewer does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// The item is right.
    Accept,
    /// The item is wrong: listings leave it out.
    Reject,
    /// Correct fields of an event (type, mode, date, place).
    Edit,
    /// The event is the same as another one: it becomes one of its sources.
    Merge,
    /// Forget every review of the item: it is as extracted again.
    Reset,
}

impl ReviewAction {
    fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Accept => "accept",
            ReviewAction::Reject => "reject",
            ReviewAction::Edit => "edit",
            ReviewAction::Merge => "merge",
            ReviewAction::Reset => "reset",
        }
    }
}

/// Corrected fields of an event; an empty string removes an earlier correction.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventChanges {
    /// PLOVER type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// ISO date at any precision (`2022`, `2022-03`, `2022-03-14`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

impl EventChanges {
    fn is_empty(&self) -> bool {
        self.kind.is_none() && self.mode.is_none() && self.date.is_none() && self.place.is_none()
    }
}

/// One review action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRequest {
    /// Event or condition.
    pub target: ReviewTarget,
    /// The item's id (an event id may be a unique prefix).
    pub id: String,
    /// What to do.
    pub action: ReviewAction,
    /// Who reviews (a name; the server has checked the token).
    pub reviewer: String,
    /// For `edit`: the corrected fields.
    #[serde(default)]
    pub changes: EventChanges,
    /// For `merge`: the event this one is part of.
    #[serde(default)]
    pub into: Option<String>,
    /// Why, in the reviewer's words.
    #[serde(default)]
    pub note: Option<String>,
}

/// One entry of the audit trail.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewEntry {
    /// Order of the entry.
    pub seq: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who.
    pub reviewer: String,
    /// `event` or `condition`.
    pub target: String,
    /// The item's id when reviewed.
    pub id: String,
    /// The anchor the review is kept on (see the module documentation).
    pub anchor: String,
    /// `accept`, `reject`, `edit`, `merge` or `reset`.
    pub action: String,
    /// The item before.
    pub before: serde_json::Value,
    /// The item after.
    pub after: serde_json::Value,
    /// The reviewer's note.
    pub note: Option<String>,
}

/// A stored review.
#[derive(Clone, Debug, Default)]
struct Stored {
    verdict: Option<String>,
    changes: EventChanges,
    merged_into: Option<String>,
}

impl Stored {
    /// From `verdict, changes, merged_into` columns.
    fn from_row(r: &[Value]) -> Stored {
        Stored {
            verdict: r[0].opt_text(),
            changes: r[1]
                .text()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default(),
            merged_into: r[2].opt_text(),
        }
    }
}

/// Longest reviewer name and note accepted.
const MAX_NAME: usize = 200;
const MAX_NOTE: usize = 4000;

impl Store {
    /// Performs one review action in one transaction and returns its audit entry.
    pub fn review(&mut self, req: &ReviewRequest) -> Result<ReviewEntry, StoreError> {
        let reviewer = req.reviewer.trim();
        if reviewer.is_empty() || reviewer.len() > MAX_NAME {
            return Err(StoreError::Invalid(format!(
                "the reviewer's name must be 1 to {MAX_NAME} bytes"
            )));
        }
        if req.note.as_ref().is_some_and(|n| n.len() > MAX_NOTE) {
            return Err(StoreError::Invalid(format!(
                "the note is longer than {MAX_NOTE} bytes"
            )));
        }
        self.conn.begin()?;
        let out = self.review_inner(req, reviewer);
        match out {
            Ok(entry) => {
                self.conn.commit()?;
                Ok(entry)
            }
            Err(e) => {
                self.conn.rollback();
                Err(e)
            }
        }
    }

    fn review_inner(
        &mut self,
        req: &ReviewRequest,
        reviewer: &str,
    ) -> Result<ReviewEntry, StoreError> {
        if self.conn.backend() == Backend::Postgres {
            // The same lock as ingest: a review and a re-clustering never interleave.
            self.conn
                .exec("SELECT pg_advisory_xact_lock(7274002)", &[])?;
        }
        let now = crate::now_utc();
        let (item, anchor, before) = match req.target {
            ReviewTarget::Event => {
                let event = self.event(&req.id)?;
                let anchor = event
                    .sources
                    .iter()
                    .map(|s| s.claim.clone())
                    .min()
                    .ok_or_else(|| StoreError::Invalid(format!("{}: no sources", event.id)))?;
                let before = self.event_snapshot(&event.id)?;
                (event.id, anchor, before)
            }
            ReviewTarget::Condition => {
                let before = self.condition_snapshot(&req.id)?;
                (req.id.clone(), req.id.clone(), before)
            }
        };
        let target = req.target.as_str();
        let mut stored = self.stored_review(target, &anchor)?.unwrap_or_default();
        match (req.target, req.action) {
            (_, ReviewAction::Accept) => stored.verdict = Some("accepted".into()),
            (_, ReviewAction::Reject) => stored.verdict = Some("rejected".into()),
            (_, ReviewAction::Reset) => stored = Stored::default(),
            (ReviewTarget::Event, ReviewAction::Edit) => {
                let c = self.checked_changes(&req.changes)?;
                let merge = |old: &mut Option<String>, new: Option<String>| {
                    if let Some(v) = new {
                        *old = (!v.is_empty()).then_some(v);
                    }
                };
                merge(&mut stored.changes.kind, c.kind);
                merge(&mut stored.changes.mode, c.mode);
                merge(&mut stored.changes.date, c.date);
                merge(&mut stored.changes.place, c.place);
            }
            (ReviewTarget::Event, ReviewAction::Merge) => {
                let into = req.into.as_deref().ok_or_else(|| {
                    StoreError::Invalid("merge: name the event this one is part of (into)".into())
                })?;
                let other = self.event(into)?;
                if other.id == item {
                    return Err(StoreError::Invalid(
                        "merge: an event cannot be merged into itself".into(),
                    ));
                }
                if let Some(r) = self.conn.query_one(
                    "SELECT merged_into FROM events WHERE id = ?",
                    &[other.id.as_str().into()],
                )? && r[0].text().is_some()
                {
                    return Err(StoreError::Invalid(format!(
                        "merge: {} is itself merged into another event; merge into that one",
                        other.id
                    )));
                }
                let other_anchor = other.sources.iter().map(|s| s.claim.clone()).min();
                stored.merged_into = other_anchor;
            }
            (ReviewTarget::Condition, action) => {
                return Err(StoreError::Invalid(format!(
                    "a condition can be accepted, rejected or reset, not {}ed",
                    action.as_str().trim_end_matches('e')
                )));
            }
        }
        self.save_review(target, &anchor, &stored, reviewer, &now)?;
        let after = match req.target {
            ReviewTarget::Event => {
                let block = self
                    .conn
                    .query_one(
                        "SELECT block FROM claims WHERE id = ?",
                        &[anchor.as_str().into()],
                    )?
                    .map(|r| r[0].string())
                    .unwrap_or_default();
                // Re-cluster from the claims, then apply every review of the block (a removed
                // correction needs the extracted value back).
                self.recluster(&block)?;
                let id = self.anchor_event(&anchor)?.unwrap_or_else(|| item.clone());
                self.event_snapshot(&id)?
            }
            ReviewTarget::Condition => {
                self.conn.exec(
                    "UPDATE conditions SET review = ? WHERE id = ?",
                    &[stored.verdict.clone().into(), anchor.as_str().into()],
                )?;
                self.condition_snapshot(&anchor)?
            }
        };
        let note = req.note.clone().filter(|n| !n.trim().is_empty());
        let text = |v: &serde_json::Value| serde_json::to_string(v).unwrap_or_default();
        self.conn.exec(
            "INSERT INTO review_log (at, reviewer, target, item, anchor, action, before, after, note) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &[
                now.as_str().into(),
                reviewer.into(),
                target.into(),
                item.as_str().into(),
                anchor.as_str().into(),
                req.action.as_str().into(),
                text(&before).into(),
                text(&after).into(),
                note.clone().into(),
            ],
        )?;
        let seq = self
            .conn
            .query_one("SELECT MAX(seq) FROM review_log", &[])?
            .map_or(0, |r| r[0].int());
        self.bump_generation()?;
        Ok(ReviewEntry {
            seq,
            at: now,
            reviewer: reviewer.to_string(),
            target: target.to_string(),
            id: item,
            anchor,
            action: req.action.as_str().to_string(),
            before,
            after,
            note,
        })
    }

    /// The audit trail, oldest first: of one item (an event or condition id, as it is now or was
    /// when reviewed), or all of it.
    pub fn review_log(&mut self, item: Option<&str>) -> Result<Vec<ReviewEntry>, StoreError> {
        let rows = match item {
            None => self.conn.query(
                "SELECT seq, at, reviewer, target, item, anchor, action, before, after, note \
                 FROM review_log ORDER BY seq",
                &[],
            )?,
            Some(id) => {
                // The anchors of the item: those it was reviewed under, and for an event the
                // claims it now has (an id changes when its cluster does).
                let v: Value = id.into();
                self.conn.query(
                    "SELECT seq, at, reviewer, target, item, anchor, action, before, after, note \
                     FROM review_log WHERE item = ? OR anchor IN (SELECT id FROM claims WHERE event_id = ?) \
                     OR anchor = ? ORDER BY seq",
                    &[v.clone(), v.clone(), v],
                )?
            }
        };
        Ok(rows
            .iter()
            .map(|r| ReviewEntry {
                seq: r[0].int(),
                at: r[1].string(),
                reviewer: r[2].string(),
                target: r[3].string(),
                id: r[4].string(),
                anchor: r[5].string(),
                action: r[6].string(),
                before: json(&r[7]),
                after: json(&r[8]),
                note: r[9].opt_text(),
            })
            .collect())
    }

    /// Applies the event reviews anchored in `block`, or merged into an event anchored there
    /// (after the block was re-clustered).
    pub(crate) fn apply_block_reviews(&mut self, block: &str) -> Result<(), StoreError> {
        let b: Value = block.into();
        let rows = self.conn.query(
            "SELECT anchor, verdict, changes, merged_into FROM reviews WHERE target = 'event' AND \
             (anchor IN (SELECT id FROM claims WHERE block = ?) OR merged_into IN (SELECT id FROM claims WHERE block = ?)) \
             ORDER BY anchor",
            &[b.clone(), b],
        )?;
        for r in rows {
            self.apply_event_review(&r[0].string(), &Stored::from_row(&r[1..]))?;
        }
        Ok(())
    }

    /// Gives the conditions of a document stored again their verdicts back.
    pub(crate) fn apply_condition_reviews(&mut self, doc_id: &str) -> Result<(), StoreError> {
        self.conn.exec(
            "UPDATE conditions SET review = (SELECT r.verdict FROM reviews r \
             WHERE r.target = 'condition' AND r.anchor = conditions.id) WHERE doc_id = ?",
            &[doc_id.into()],
        )?;
        Ok(())
    }

    fn apply_event_review(&mut self, anchor: &str, stored: &Stored) -> Result<(), StoreError> {
        let Some(id) = self.anchor_event(anchor)? else {
            // The claim is gone (its document was replaced): the review waits, kept and logged.
            return Ok(());
        };
        let merged_into = match &stored.merged_into {
            Some(a) => self.anchor_event(a)?.filter(|other| *other != id),
            None => None,
        };
        let c = &stored.changes;
        let review = if merged_into.is_some() {
            Some("merged")
        } else if stored.verdict.as_deref() == Some("rejected") {
            Some("rejected")
        } else if !c.is_empty() {
            Some("edited")
        } else if stored.verdict.as_deref() == Some("accepted") {
            Some("accepted")
        } else {
            None
        };
        let mut sets: Vec<&str> = vec!["review = ?", "merged_into = ?"];
        let mut params: Vec<Value> = vec![review.into(), merged_into.into()];
        if let Some(kind) = &c.kind {
            sets.push("kind = ?");
            params.push(kind.as_str().into());
        }
        if let Some(mode) = &c.mode {
            sets.push("mode = ?");
            params.push(mode.as_str().into());
        }
        if let Some(place) = &c.place {
            sets.push("place = ?");
            params.push(place.as_str().into());
            sets.push("place_key = ?");
            params.push(peacetrack_extract::fold::fold_key(place).into());
        }
        let period = c.date.as_deref().and_then(Period::parse);
        if let (Some(date), Some(p)) = (&c.date, period) {
            sets.extend(["date = ?", "precision = ?", "date_lo = ?", "date_hi = ?"]);
            params.extend([
                date.as_str().into(),
                p.precision.as_str().into(),
                p.lo.to_string().into(),
                p.hi.to_string().into(),
            ]);
        }
        params.push(id.as_str().into());
        self.conn.exec(
            &format!("UPDATE events SET {} WHERE id = ?", sets.join(", ")),
            &params,
        )?;
        if let Some(p) = period {
            for t in ["event_countries", "event_actors", "event_docs"] {
                self.conn.exec(
                    &format!("UPDATE {t} SET date_lo = ?, date_hi = ? WHERE event_id = ?"),
                    &[
                        p.lo.to_string().into(),
                        p.hi.to_string().into(),
                        id.as_str().into(),
                    ],
                )?;
            }
        }
        Ok(())
    }

    /// The event a claim belongs to now.
    fn anchor_event(&mut self, anchor: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_one("SELECT event_id FROM claims WHERE id = ?", &[anchor.into()])?
            .map(|r| r[0].string()))
    }

    fn stored_review(&mut self, target: &str, anchor: &str) -> Result<Option<Stored>, StoreError> {
        Ok(self
            .conn
            .query_one(
                "SELECT verdict, changes, merged_into FROM reviews WHERE target = ? AND anchor = ?",
                &[target.into(), anchor.into()],
            )?
            .map(|r| Stored::from_row(&r)))
    }

    fn save_review(
        &mut self,
        target: &str,
        anchor: &str,
        s: &Stored,
        reviewer: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        let changes = serde_json::to_string(&s.changes).unwrap_or_else(|_| "{}".into());
        self.conn.exec(
            "DELETE FROM reviews WHERE target = ? AND anchor = ?",
            &[target.into(), anchor.into()],
        )?;
        self.conn.exec(
            "INSERT INTO reviews (target, anchor, verdict, changes, merged_into, reviewer, at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            &[
                target.into(),
                anchor.into(),
                s.verdict.clone().into(),
                changes.into(),
                s.merged_into.clone().into(),
                reviewer.into(),
                now.into(),
            ],
        )?;
        Ok(())
    }

    /// Validates an edit: a known PLOVER type (upper-cased), a date the store can place in time,
    /// short plain strings.
    fn checked_changes(&self, c: &EventChanges) -> Result<EventChanges, StoreError> {
        if c.is_empty() {
            return Err(StoreError::Invalid(
                "edit: give at least one of type, mode, date, place".into(),
            ));
        }
        let short = |name: &str, v: &Option<String>| -> Result<Option<String>, StoreError> {
            match v {
                Some(s) if s.len() > MAX_NAME || s.chars().any(char::is_control) => Err(
                    StoreError::Invalid(format!("edit: {name} must be a short line of text")),
                ),
                Some(s) => Ok(Some(s.trim().to_string())),
                None => Ok(None),
            }
        };
        let kind = short("type", &c.kind)?.map(|k| k.to_uppercase());
        if let Some(k) = kind.as_deref().filter(|k| !k.is_empty())
            && !self.rules().families.contains_key(k)
        {
            let mut known: Vec<&str> = self.rules().families.keys().map(String::as_str).collect();
            known.sort_unstable();
            return Err(StoreError::Invalid(format!(
                "edit: {k} is not a PLOVER type; one of {}",
                known.join(", ")
            )));
        }
        let date = short("date", &c.date)?;
        if let Some(d) = date.as_deref().filter(|d| !d.is_empty())
            && Period::parse(d).is_none()
        {
            return Err(StoreError::Invalid(format!(
                "edit: date {d} is not an ISO date (2022, 2022-03, 2022-03-14, 2022-Q1 …)"
            )));
        }
        Ok(EventChanges {
            kind,
            mode: short("mode", &c.mode)?,
            date,
            place: short("place", &c.place)?,
        })
    }

    fn event_snapshot(&mut self, id: &str) -> Result<serde_json::Value, StoreError> {
        let r = self
            .conn
            .query_one(
                "SELECT id, kind, mode, date, precision, place, review, merged_into FROM events WHERE id = ?",
                &[id.into()],
            )?
            .ok_or_else(|| StoreError::Invalid(format!("{id}: no such event")))?;
        let mut m = BTreeMap::new();
        for (i, k) in [
            "id",
            "type",
            "mode",
            "date",
            "precision",
            "place",
            "review",
            "merged_into",
        ]
        .iter()
        .enumerate()
        {
            m.insert(
                (*k).to_string(),
                r[i].opt_text().map_or(serde_json::Value::Null, Into::into),
            );
        }
        Ok(serde_json::to_value(m).unwrap_or_default())
    }

    fn condition_snapshot(&mut self, id: &str) -> Result<serde_json::Value, StoreError> {
        let r = self
            .conn
            .query_one(
                "SELECT id, what, requires, review FROM conditions WHERE id = ?",
                &[id.into()],
            )?
            .ok_or_else(|| StoreError::Invalid(format!("{id}: no such condition")))?;
        Ok(serde_json::json!({
            "id": r[0].string(),
            "what": r[1].string(),
            "requires": r[2].string(),
            "review": r[3].opt_text(),
        }))
    }
}

/// A JSON column, or null.
fn json(v: &Value) -> serde_json::Value {
    v.text()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}
