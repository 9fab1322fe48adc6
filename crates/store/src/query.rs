//! Asking the record: the timeline with filters, one event with all its sources, and the actors,
//! places and documents it holds.
//!
//! Filters run on indexes: a country, actor or document filter walks its own index in date order
//! (`event_countries`, `event_actors`, `event_docs`: key, first day, event id, last day), a type or
//! place filter the events' `(kind, date_lo, id, date_hi)` / `(place_key, date_lo, id, date_hi)`
//! indexes, and the rest are checked on the rows found, so a page of a filtered timeline costs the
//! same over a thousand events or a million. A date range looks back before its first day for events
//! still going on; their last day is in the index, so those that ended earlier are dropped there.

use crate::dates::{filter_hi, filter_lo};
use crate::db::Value;
use crate::merge::Conflict;
use crate::{Store, StoreError, parse_list};
use peacetrack_extract::fold::fold_key;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which events to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// An actor: a full name or any word of it, folded (`kilic`).
    pub actor: Option<String>,
    /// An ISO alpha-3 party code (or `EU`).
    pub country: Option<String>,
    /// A PLOVER type.
    pub kind: Option<String>,
    /// Events on or after this date (any precision: `2022`, `2022-01`).
    pub from: Option<String>,
    /// Events on or before this date.
    pub to: Option<String>,
    /// A place, folded.
    pub place: Option<String>,
    /// A document: its id, or its file name with or without extension.
    pub doc: Option<String>,
    /// Also events that are not reported as having happened (negated, hypothetical, undated future).
    pub all: bool,
    /// Also events without a date (a timeline leaves them out).
    pub undated: bool,
    /// Also events a reviewer rejected or merged into another one.
    pub reviewed_out: bool,
    /// At most this many.
    pub limit: Option<usize>,
    /// Skip this many first.
    pub offset: usize,
}

/// Where an event is reported: one claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The document's file name.
    pub doc: String,
    /// The document's id.
    pub doc_id: String,
    /// The claim's id.
    pub claim: String,
    /// First byte of the evidence in the document's text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The evidence.
    pub text: String,
    /// The date this source gives, if any.
    pub date: Option<String>,
    /// PLOVER type this source gives.
    #[serde(rename = "type")]
    pub kind: String,
    /// Mode this source gives.
    pub mode: String,
}

/// A merged event with its sources.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventRecord {
    /// Stable id.
    pub id: String,
    /// PLOVER type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Mode.
    pub mode: String,
    /// ISO date at its precision, or null.
    pub date: Option<String>,
    /// `day`, `month`, `year` … or `none`.
    pub precision: String,
    /// Actors.
    pub actors: Vec<String>,
    /// Party codes.
    pub countries: Vec<String>,
    /// Place.
    pub place: Option<String>,
    /// `reported`, `scheduled`, `negated`, `hypothetical` or `future`.
    pub status: String,
    /// Every source.
    pub sources: Vec<Source>,
    /// Disagreements between sources.
    pub conflicts: Vec<Conflict>,
    /// The analyst's review: `accepted`, `rejected`, `edited`, `merged` or null.
    pub review: Option<String>,
    /// With `merged`: the event this one is part of.
    pub merged_into: Option<String>,
    /// Events a reviewer merged into this one (their sources are listed too).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
}

const EVENT_COLUMNS: &str = "e.id, e.kind, e.mode, e.date, e.precision, e.actors, e.countries, e.place, e.status, e.conflicts, e.review, e.merged_into";

impl Store {
    /// Ids of the documents a `--doc` value names.
    pub fn resolve_doc(&mut self, doc: &str) -> Result<Vec<String>, StoreError> {
        let rows = self.conn.query(
            "SELECT id, name FROM documents WHERE id = ? OR name = ? OR id LIKE ? ORDER BY id",
            &[doc.into(), doc.into(), format!("{doc}%").into()],
        )?;
        let mut ids: Vec<String> = rows.iter().map(|r| r[0].string()).collect();
        if ids.is_empty() {
            // The name without its extension.
            for r in self
                .conn
                .query("SELECT id, name FROM documents ORDER BY id", &[])?
            {
                let name = r[1].string();
                if name.rsplit_once('.').is_some_and(|(stem, _)| stem == doc) {
                    ids.push(r[0].string());
                }
            }
        }
        Ok(ids)
    }

    /// Events matching a filter, in date order (first day, then id); each with its sources.
    pub fn events(&mut self, f: &EventFilter) -> Result<Vec<EventRecord>, StoreError> {
        let mut params: Vec<Value> = Vec::new();
        let mut wheres: Vec<String> = Vec::new();
        // The driving index and its key.
        let (from_clause, order_col) = if let Some(country) = &f.country {
            params.push(country.trim().to_uppercase().into());
            (
                "event_countries x JOIN events e ON e.id = x.event_id".to_string(),
                "x",
            )
        } else if let Some(actor) = &f.actor {
            params.push(fold_key(actor).into());
            (
                "event_actors x JOIN events e ON e.id = x.event_id".to_string(),
                "x",
            )
        } else if let Some(doc) = &f.doc {
            let ids = self.resolve_doc(doc)?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let marks = vec!["?"; ids.len()].join(", ");
            params.extend(ids.into_iter().map(Value::from));
            (
                format!(
                    "event_docs x JOIN events e ON e.id = x.event_id AND x.doc_id IN ({marks})"
                ),
                "x",
            )
        } else {
            ("events e".to_string(), "e")
        };
        if f.country.is_some() {
            wheres.push("x.code = ?".into());
            if let Some(actor) = &f.actor {
                wheres.push(
                    "EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.actor = ?)"
                        .into(),
                );
                params.push(fold_key(actor).into());
            }
        } else if f.actor.is_some() {
            wheres.push("x.actor = ?".into());
        }
        if f.doc.is_some() && (f.country.is_some() || f.actor.is_some()) {
            let ids = self.resolve_doc(f.doc.as_deref().unwrap_or_default())?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let marks = vec!["?"; ids.len()].join(", ");
            wheres.push(format!(
                "EXISTS (SELECT 1 FROM event_docs d WHERE d.event_id = e.id AND d.doc_id IN ({marks}))"
            ));
            params.extend(ids.into_iter().map(Value::from));
        }
        if let Some(kind) = &f.kind {
            wheres.push("e.kind = ?".into());
            params.push(kind.trim().to_uppercase().into());
        }
        if let Some(place) = &f.place {
            wheres.push("e.place_key = ?".into());
            params.push(fold_key(place).into());
        }
        if let Some(from) = &f.from {
            let lo = filter_lo(from)
                .ok_or_else(|| StoreError::Invalid(format!("--from {from}: not a date")))?;
            // An event lasts at most a year and a season, so its first day is at most 15 months
            // before any of its days: a bound the date index can use.
            let early = jiff::civil::Date::strptime("%Y-%m-%d", &lo)
                .ok()
                .and_then(|d| d.checked_sub(jiff::Span::new().months(15)).ok())
                .map_or_else(|| lo.clone(), |d| d.to_string());
            wheres.push(format!("{order_col}.date_lo >= ?"));
            params.push(early.into());
            wheres.push(format!("{order_col}.date_hi >= ?"));
            params.push(lo.into());
        }
        if let Some(to) = &f.to {
            let hi = filter_hi(to)
                .ok_or_else(|| StoreError::Invalid(format!("--to {to}: not a date")))?;
            wheres.push(format!("{order_col}.date_lo <= ?"));
            params.push(hi.into());
        }
        if !f.all {
            wheres.push("e.status IN ('reported', 'scheduled')".into());
        }
        if !f.undated {
            wheres.push(format!("{order_col}.date_lo > ''"));
        }
        if !f.reviewed_out {
            wheres.push("(e.review IS NULL OR e.review NOT IN ('rejected', 'merged'))".into());
        }
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM {from_clause}");
        if !wheres.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&wheres.join(" AND "));
        }
        sql.push_str(&format!(
            " ORDER BY {order_col}.date_lo, {}",
            if order_col == "x" {
                "x.event_id"
            } else {
                "e.id"
            }
        ));
        if let Some(limit) = f.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        if f.offset > 0 {
            if f.limit.is_none() {
                sql.push_str(" LIMIT -1");
                if self.backend() == crate::db::Backend::Postgres {
                    sql = sql.replace(" LIMIT -1", " LIMIT ALL");
                }
            }
            sql.push_str(&format!(" OFFSET {}", f.offset));
        }
        let rows = self.conn.query(&sql, &params)?;
        let mut events: Vec<EventRecord> = rows.iter().map(|r| event_from_row(r)).collect();
        self.attach_sources(&mut events)?;
        Ok(events)
    }

    /// Every event a listing shows: the dated ones in date order, then the undated ones (by id);
    /// `all` adds those not reported as having happened.
    pub fn all_events(&mut self, all: bool) -> Result<Vec<EventRecord>, StoreError> {
        let mut f = EventFilter {
            all,
            ..EventFilter::default()
        };
        let mut events = self.events(&f)?;
        f.undated = true;
        events.extend(self.events(&f)?.into_iter().filter(|e| e.date.is_none()));
        Ok(events)
    }

    fn attach_sources(&mut self, events: &mut [EventRecord]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let mut at: BTreeMap<String, usize> = BTreeMap::new();
        for (i, e) in events.iter().enumerate() {
            at.insert(e.id.clone(), i);
        }
        for chunk in events
            .iter()
            .map(|e| e.id.clone())
            .collect::<Vec<_>>()
            .chunks(500)
        {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT c.event_id, d.name, d.id, c.id, c.start_byte, c.end_byte, c.quote, c.date, c.kind, c.mode \
                 FROM claims c JOIN documents d ON d.id = c.doc_id WHERE c.event_id IN ({marks}) \
                 ORDER BY c.event_id, d.name, c.start_byte, c.id"
            );
            let params: Vec<Value> = chunk.iter().map(Value::from).collect();
            for r in self.conn.query(&sql, &params)? {
                if let Some(&i) = at.get(&r[0].string()) {
                    events[i].sources.push(Source {
                        doc: r[1].string(),
                        doc_id: r[2].string(),
                        claim: r[3].string(),
                        start: usize::try_from(r[4].int()).unwrap_or(0),
                        end: usize::try_from(r[5].int()).unwrap_or(0),
                        text: r[6].string(),
                        date: r[7].opt_text(),
                        kind: r[8].string(),
                        mode: r[9].string(),
                    });
                }
            }
        }
        Ok(())
    }

    /// One event with all its sources; `id` may be a unique prefix.
    pub fn event(&mut self, id: &str) -> Result<EventRecord, StoreError> {
        let rows = self.conn.query(
            &format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = ? OR e.id LIKE ? ORDER BY e.id LIMIT 2"),
            &[id.into(), format!("{id}%").into()],
        )?;
        let exact: Vec<&Vec<Value>> = rows.iter().filter(|r| r[0].text() == Some(id)).collect();
        let row = match (exact.first(), rows.len()) {
            (Some(r), _) => *r,
            (None, 1) => &rows[0],
            (None, 0) => return Err(StoreError::Invalid(format!("{id}: no such event"))),
            _ => {
                return Err(StoreError::Invalid(format!(
                    "{id}: more than one event starts so"
                )));
            }
        };
        let mut events = vec![event_from_row(row)];
        self.attach_sources(&mut events)?;
        let mut event = events.remove(0);
        // The events a reviewer merged into this one: their sources are this event's too.
        let merged: Vec<Vec<Value>> = self.conn.query(
            &format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.merged_into = ? ORDER BY e.id"),
            &[event.id.as_str().into()],
        )?;
        let mut parts: Vec<EventRecord> = merged.iter().map(|r| event_from_row(r)).collect();
        self.attach_sources(&mut parts)?;
        for p in parts {
            event.merged_from.push(p.id);
            event.sources.extend(p.sources);
        }
        Ok(event)
    }

    /// Actors with how many events name them and their first and last dates.
    pub fn actors(&mut self) -> Result<Vec<ActorRow>, StoreError> {
        let rows = self.conn.query(
            "SELECT actors, countries, date_lo, date FROM events WHERE status IN ('reported', 'scheduled') \
             AND (review IS NULL OR review NOT IN ('rejected', 'merged')) ORDER BY date_lo, id",
            &[],
        )?;
        let mut by: BTreeMap<String, ActorRow> = BTreeMap::new();
        for r in rows {
            let date = r[3].opt_text();
            for a in parse_list(&r[0]) {
                let row = by.entry(a.clone()).or_insert_with(|| ActorRow {
                    name: a.clone(),
                    events: 0,
                    first: None,
                    last: None,
                });
                row.events += 1;
                if date.is_some() {
                    if row.first.is_none() {
                        row.first = date.clone();
                    }
                    row.last = date.clone();
                }
            }
        }
        let mut out: Vec<ActorRow> = by.into_values().collect();
        out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
        Ok(out)
    }

    /// Places with how many events happened there, and their coordinates from the gazetteer:
    /// those with events (most first); with `all`, also every other place of the gazetteer
    /// (border crossings, regions …) with no event, after them.
    pub fn places(
        &mut self,
        gazetteer: &peacetrack_extract::Gazetteer,
        all: bool,
    ) -> Result<Vec<PlaceRow>, StoreError> {
        let kind = |p: &peacetrack_extract::gazetteer::Place| {
            serde_json::to_value(p.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let rows = self.conn.query(
            "SELECT place, COUNT(*) FROM events WHERE place IS NOT NULL AND status IN ('reported', 'scheduled') \
             GROUP BY place ORDER BY place",
            &[],
        )?;
        let mut out: Vec<PlaceRow> = rows
            .iter()
            .map(|r| {
                let name = r[0].string();
                let entry = gazetteer.place(&name);
                PlaceRow {
                    kind: entry.and_then(kind),
                    country: entry.and_then(|p| p.country.clone()),
                    lat: entry.map(|p| p.lat),
                    lon: entry.map(|p| p.lon),
                    events: r[1].int(),
                    name,
                }
            })
            .collect();
        out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
        if all {
            let have: std::collections::BTreeSet<String> =
                out.iter().map(|p| p.name.clone()).collect();
            let mut rest: Vec<PlaceRow> = gazetteer
                .places()
                .iter()
                .filter(|p| !have.contains(&p.name))
                .map(|p| PlaceRow {
                    name: p.name.clone(),
                    kind: kind(p),
                    country: p.country.clone(),
                    lat: Some(p.lat),
                    lon: Some(p.lon),
                    events: 0,
                })
                .collect();
            rest.sort_by(|a, b| a.name.cmp(&b.name));
            out.extend(rest);
        }
        Ok(out)
    }

    /// Documents with their dates and how many items were extracted from each.
    pub fn documents(&mut self) -> Result<Vec<DocumentRow>, StoreError> {
        let rows = self.conn.query(
            "SELECT d.id, d.name, d.path, d.title, d.doc_date, d.doc_date_source, d.bytes, d.ingested_at, \
             (SELECT COUNT(*) FROM claims c WHERE c.doc_id = d.id), \
             (SELECT COUNT(*) FROM conditions c WHERE c.doc_id = d.id), \
             (SELECT COUNT(*) FROM timexes t WHERE t.doc_id = d.id) \
             FROM documents d ORDER BY d.name, d.id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| DocumentRow {
                id: r[0].string(),
                name: r[1].string(),
                path: r[2].string(),
                title: r[3].opt_text(),
                date: r[4].opt_text(),
                date_source: r[5].string(),
                bytes: r[6].int(),
                ingested_at: r[7].string(),
                claims: r[8].int(),
                conditions: r[9].int(),
                timexes: r[10].int(),
            })
            .collect())
    }

    /// One document's text and every item extracted from it, with spans.
    pub fn document(&mut self, doc: &str) -> Result<DocumentDetail, StoreError> {
        let ids = self.resolve_doc(doc)?;
        let id = match ids.as_slice() {
            [id] => id.clone(),
            [] => return Err(StoreError::Invalid(format!("{doc}: no such document"))),
            _ => {
                return Err(StoreError::Invalid(format!(
                    "{doc}: names more than one document"
                )));
            }
        };
        let info = self
            .documents()?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| StoreError::Invalid(format!("{doc}: no such document")))?;
        let text = self
            .conn
            .query_one(
                "SELECT body FROM documents WHERE id = ?",
                &[id.as_str().into()],
            )?
            .map(|r| r[0].string())
            .unwrap_or_default();
        let items = |rows: Vec<Vec<Value>>, kind: &str| -> Vec<Item> {
            rows.iter()
                .map(|r| Item {
                    kind: kind.to_string(),
                    id: r[0].string(),
                    start: usize::try_from(r[1].int()).unwrap_or(0),
                    end: usize::try_from(r[2].int()).unwrap_or(0),
                    label: r[3].string(),
                })
                .collect()
        };
        let mut all = items(
            self.conn.query(
                "SELECT event_id, start_byte, end_byte, kind || ' ' || mode FROM claims WHERE doc_id = ? ORDER BY start_byte",
                &[id.as_str().into()],
            )?,
            "event",
        );
        all.extend(items(
            self.conn.query(
                "SELECT id, start_byte, end_byte, requires FROM conditions WHERE doc_id = ? ORDER BY start_byte",
                &[id.as_str().into()],
            )?,
            "condition",
        ));
        all.extend(items(
            self.conn.query(
                "SELECT kind, start_byte, end_byte, value FROM timexes WHERE doc_id = ? ORDER BY start_byte",
                &[id.as_str().into()],
            )?,
            "timex",
        ));
        all.sort_by(|a, b| (a.start, a.end, &a.kind).cmp(&(b.start, b.end, &b.kind)));
        Ok(DocumentDetail {
            info,
            text,
            items: all,
        })
    }

    /// Conditions stated in the documents.
    pub fn conditions(&mut self) -> Result<Vec<ConditionRecord>, StoreError> {
        let rows = self.conn.query(
            "SELECT c.id, d.name, d.id, c.what, c.requires, c.asserted_by, c.cue, c.start_byte, c.end_byte, c.quote, c.review \
             FROM conditions c JOIN documents d ON d.id = c.doc_id ORDER BY d.name, c.start_byte, c.id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| ConditionRecord {
                id: r[0].string(),
                doc: r[1].string(),
                doc_id: r[2].string(),
                what: r[3].string(),
                requires: r[4].string(),
                asserted_by: r[5].opt_text(),
                cue: r[6].string(),
                start: usize::try_from(r[7].int()).unwrap_or(0),
                end: usize::try_from(r[8].int()).unwrap_or(0),
                text: r[9].string(),
                review: r[10].opt_text(),
            })
            .collect())
    }
}

fn event_from_row(r: &[Value]) -> EventRecord {
    EventRecord {
        id: r[0].string(),
        kind: r[1].string(),
        mode: r[2].string(),
        date: r[3].opt_text(),
        precision: r[4].string(),
        actors: parse_list(&r[5]),
        countries: parse_list(&r[6]),
        place: r[7].opt_text(),
        status: r[8].string(),
        sources: Vec::new(),
        conflicts: r[9]
            .text()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default(),
        review: r[10].opt_text(),
        merged_into: r[11].opt_text(),
        merged_from: Vec::new(),
    }
}

/// An actor of the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActorRow {
    /// Canonical name.
    pub name: String,
    /// Events naming them.
    pub events: i64,
    /// Date of the first dated one.
    pub first: Option<String>,
    /// Date of the last dated one.
    pub last: Option<String>,
}

/// A place of the record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlaceRow {
    /// Canonical name.
    pub name: String,
    /// Its kind in the gazetteer (`capital`, `city`, `region`, `crossing` …), if it is there.
    pub kind: Option<String>,
    /// Country it lies in.
    pub country: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Events there.
    pub events: i64,
}

/// A stored document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentRow {
    /// Id.
    pub id: String,
    /// File name.
    pub name: String,
    /// Path read from.
    pub path: String,
    /// Title.
    pub title: Option<String>,
    /// Document date.
    pub date: Option<String>,
    /// Where the date came from.
    pub date_source: String,
    /// Size of the text.
    pub bytes: i64,
    /// When it was stored (UTC).
    pub ingested_at: String,
    /// Event claims.
    pub claims: i64,
    /// Conditions.
    pub conditions: i64,
    /// Temporal expressions.
    pub timexes: i64,
}

/// An extracted item of a document, by span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    /// `event`, `condition` or `timex`.
    pub kind: String,
    /// The event id, condition id or TIMEX3 type.
    pub id: String,
    /// Span.
    pub start: usize,
    /// Span end.
    pub end: usize,
    /// Type and mode, the requirement, or the TIMEX3 value.
    pub label: String,
}

/// A document with its text and items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentDetail {
    /// What the listing says of it.
    #[serde(flatten)]
    pub info: DocumentRow,
    /// Its canonical text.
    pub text: String,
    /// Every extracted item.
    pub items: Vec<Item>,
}

/// A condition stated in a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConditionRecord {
    /// Id.
    pub id: String,
    /// Document name.
    pub doc: String,
    /// Document id.
    pub doc_id: String,
    /// What is conditioned.
    pub what: String,
    /// What it requires.
    pub requires: String,
    /// Who states it.
    pub asserted_by: Option<String>,
    /// The cue.
    pub cue: String,
    /// Evidence span.
    pub start: usize,
    /// Evidence end.
    pub end: usize,
    /// Evidence.
    pub text: String,
    /// The analyst's verdict: `accepted`, `rejected` or null.
    pub review: Option<String>,
}
