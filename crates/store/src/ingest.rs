//! Writing documents. [`prepare`] turns a read document and its analysis into rows (a pure
//! function, run in parallel by the caller); [`Store::write_batch`] writes a batch of them in one
//! transaction and re-clusters the events of every block the batch touched.
//!
//! - A document is keyed by the SHA-256 of its canonical text: the same content again is
//!   `unchanged` and adds nothing.
//! - A document whose path is already stored with other content is `replaced`: the old document and
//!   all its facts go, in the same transaction as the new ones arrive.
//! - Claim ids derive from the document hash and the evidence span, event ids from their smallest
//!   claim id ([`crate::merge`]), so ids do not depend on when or in which order documents arrive.
//! - On PostgreSQL each batch holds a transaction-scoped advisory lock while it writes and
//!   re-clusters, so several ingest processes never create the same document or event twice.

use crate::dates::Period;
use crate::db::{Backend, Value};
use crate::merge::{self, ClaimKey, MergeRules};
use crate::{Store, StoreError, json_list, parse_list};
use peacetrack_extract::fold::Folded;
use peacetrack_extract::pipeline::Analysis;
use peacetrack_read::Document;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A document ready to be written.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// `doc-` and the first 16 hex digits of the hash.
    pub id: String,
    /// SHA-256 of the canonical text.
    pub hash: String,
    /// The path it was read from (the key for replacing changed documents).
    pub path: String,
    /// File name.
    pub name: String,
    /// `text`, `html` or `pdf`.
    pub format: String,
    /// Title, if known.
    pub title: Option<String>,
    /// Author, if known.
    pub author: Option<String>,
    /// The document's date value.
    pub doc_date: Option<String>,
    /// Where it came from: given, stated, inferred or unknown.
    pub doc_date_source: String,
    /// Reader warnings.
    pub warnings: Vec<String>,
    /// The canonical text.
    pub body: String,
    /// Temporal expressions.
    pub timexes: Vec<TimexRow>,
    /// Event claims.
    pub claims: Vec<ClaimRow>,
    /// Conditions.
    pub conditions: Vec<ConditionRow>,
}

/// A temporal expression row.
#[derive(Clone, Debug)]
pub struct TimexRow {
    /// Span.
    pub start: usize,
    /// Span end.
    pub end: usize,
    /// DATE, TIME, DURATION, SET.
    pub kind: String,
    /// TIMEX3 value.
    pub value: String,
    /// TIMEX3 mod.
    pub modifier: Option<String>,
}

/// An event as one document reports it.
#[derive(Clone, Debug)]
pub struct ClaimRow {
    /// Stable id.
    pub id: String,
    /// PLOVER type.
    pub kind: String,
    /// Its merge family.
    pub family: String,
    /// Mode.
    pub mode: String,
    /// Date value.
    pub date: Option<String>,
    /// Its period.
    pub period: Option<Period>,
    /// Actors.
    pub actors: Vec<String>,
    /// Countries.
    pub countries: Vec<String>,
    /// Place.
    pub place: Option<String>,
    /// Evidence span.
    pub start: usize,
    /// Evidence end.
    pub end: usize,
    /// Trigger span.
    pub trigger_start: usize,
    /// Trigger end.
    pub trigger_end: usize,
    /// The evidence text.
    pub quote: String,
    /// Flags.
    pub negated: bool,
    /// Flags.
    pub hypothetical: bool,
    /// Flags.
    pub future: bool,
}

impl ClaimRow {
    /// `reported` (asserted as having happened), `scheduled` (future, with a date), or why it is
    /// not reported as having happened: `negated`, `hypothetical`, `future`.
    pub fn status(&self) -> &'static str {
        if self.negated {
            "negated"
        } else if self.hypothetical {
            "hypothetical"
        } else if self.future && self.date.is_none() {
            "future"
        } else if self.future {
            "scheduled"
        } else {
            "reported"
        }
    }

    /// The merge block: status, family and year; undated claims are alone in their own block.
    pub fn block(&self) -> String {
        match self.period {
            Some(p) => format!("{}|{}|{}", self.status(), self.family, p.lo.year()),
            None => format!("{}|{}|-|{}", self.status(), self.family, self.id),
        }
    }
}

/// A condition row.
#[derive(Clone, Debug)]
pub struct ConditionRow {
    /// Stable id.
    pub id: String,
    /// What is conditioned.
    pub what: String,
    /// Its span.
    pub what_span: (usize, usize),
    /// What it requires.
    pub requires: String,
    /// Its span.
    pub requires_span: (usize, usize),
    /// Who states it.
    pub asserted_by: Option<String>,
    /// The cue.
    pub cue: String,
    /// Evidence span.
    pub start: usize,
    /// Evidence end.
    pub end: usize,
    /// The evidence text.
    pub quote: String,
}

/// Builds the rows of one document. Pure: the same document and analysis give the same rows.
pub fn prepare(doc: &Document, analysis: &Analysis, rules: &MergeRules) -> Prepared {
    let hash = crate::hex_digest(doc.text.as_bytes());
    let id = format!("doc-{}", &hash[..16]);
    let quote = |s: usize, e: usize| doc.text.get(s..e).unwrap_or_default().trim().to_string();
    let claims = analysis
        .events
        .iter()
        .map(|e| {
            let cid = format!(
                "cl-{}",
                &crate::hex_digest(
                    format!("{hash}\0{}\0{}\0{}\0{}", e.start, e.end, e.kind, e.mode).as_bytes()
                )[..16]
            );
            ClaimRow {
                id: cid,
                family: rules.family(&e.kind),
                kind: e.kind.clone(),
                mode: e.mode.clone(),
                period: e.date.as_deref().and_then(Period::parse),
                date: e.date.clone(),
                actors: e.actors.clone(),
                countries: e.countries.clone(),
                place: e.place.clone(),
                start: e.start,
                end: e.end,
                trigger_start: e.trigger_span.start,
                trigger_end: e.trigger_span.end,
                quote: quote(e.start, e.end),
                negated: e.negated,
                hypothetical: e.hypothetical,
                future: e.future,
            }
        })
        .collect();
    let conditions = analysis
        .conditions
        .iter()
        .map(|c| ConditionRow {
            id: format!(
                "co-{}",
                &crate::hex_digest(format!("{hash}\0{}\0{}\0{}", c.start, c.end, c.cue).as_bytes())
                    [..16]
            ),
            what: c.what.clone(),
            what_span: (c.what_span.start, c.what_span.end),
            requires: c.requires.clone(),
            requires_span: (c.requires_span.start, c.requires_span.end),
            asserted_by: c.asserted_by.clone(),
            cue: c.cue.clone(),
            start: c.start,
            end: c.end,
            quote: quote(c.start, c.end),
        })
        .collect();
    Prepared {
        id,
        hash,
        path: doc.path.clone(),
        name: doc.name.clone(),
        format: doc.format.to_string(),
        title: doc.title.clone(),
        author: doc.author.clone(),
        doc_date: analysis.date.value.clone(),
        doc_date_source: analysis.date.source.to_string(),
        warnings: doc.warnings.clone(),
        body: doc.text.clone(),
        timexes: analysis
            .timexes
            .iter()
            .map(|t| TimexRow {
                start: t.start,
                end: t.end,
                kind: t.kind.as_str().to_string(),
                value: t.value.clone(),
                modifier: t.modifier.clone(),
            })
            .collect(),
        claims,
        conditions,
    }
}

/// What happened to one document of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocOutcome {
    /// Stored for the first time.
    New,
    /// Already stored with the same content: nothing written.
    Unchanged,
    /// Its path was stored with other content, which it replaced.
    Replaced,
}

/// What a batch did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchSummary {
    /// Outcome per document, in batch order.
    pub outcomes: Vec<DocOutcome>,
    /// Claims written.
    pub claims: usize,
    /// Blocks re-clustered.
    pub blocks: usize,
}

fn folded(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        s.push_str(Folded::new(p).as_str());
        s.push(' ');
    }
    s
}

/// The text a claim is found by: its evidence, type, mode, actors and place.
fn claim_search_text(c: &ClaimRow) -> String {
    let actors = c.actors.join(" ");
    let countries = c.countries.join(" ");
    folded(&[
        &c.quote,
        &c.kind,
        &c.mode,
        &actors,
        &countries,
        c.place.as_deref().unwrap_or(""),
    ])
}

impl Store {
    /// Writes a batch of documents in one transaction: all of it lands, or none.
    pub fn write_batch(&mut self, batch: &[Prepared]) -> Result<BatchSummary, StoreError> {
        self.conn.begin()?;
        match self.write_batch_inner(batch) {
            Ok(summary) => {
                self.conn.commit()?;
                Ok(summary)
            }
            Err(e) => {
                self.conn.rollback();
                Err(e)
            }
        }
    }

    fn write_batch_inner(&mut self, batch: &[Prepared]) -> Result<BatchSummary, StoreError> {
        if self.conn.backend() == Backend::Postgres {
            self.conn
                .exec("SELECT pg_advisory_xact_lock(7274002)", &[])?;
        }
        let now = crate::now_utc();
        let mut summary = BatchSummary::default();
        let mut blocks: BTreeSet<String> = BTreeSet::new();
        // Blocks of one new undated claim each: their event is that claim alone.
        let mut new_blocks: Vec<(String, ClaimKey)> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for p in batch {
            if !seen.insert(p.hash.as_str())
                || self
                    .conn
                    .query_one(
                        "SELECT 1 FROM documents WHERE hash = ?",
                        &[p.hash.as_str().into()],
                    )?
                    .is_some()
            {
                summary.outcomes.push(DocOutcome::Unchanged);
                continue;
            }
            let stdin = p.path == "-" || p.path.starts_with("<stdin");
            let old: Vec<String> = if stdin {
                Vec::new()
            } else {
                self.conn
                    .query(
                        "SELECT id FROM documents WHERE path = ?",
                        &[p.path.as_str().into()],
                    )?
                    .into_iter()
                    .map(|r| r[0].string())
                    .collect()
            };
            for old_id in &old {
                for r in self.conn.query(
                    "SELECT block FROM claims WHERE doc_id = ?",
                    &[old_id.into()],
                )? {
                    blocks.insert(r[0].string());
                }
                self.delete_document(old_id)?;
            }
            summary.outcomes.push(if old.is_empty() {
                DocOutcome::New
            } else {
                DocOutcome::Replaced
            });
            let alone = self.insert_document(p, &now)?;
            self.apply_condition_reviews(&p.id)?;
            summary.claims += p.claims.len();
            blocks.extend(
                p.claims
                    .iter()
                    .filter(|k| !alone.iter().any(|(_, a)| a.id == k.id))
                    .map(ClaimRow::block),
            );
            new_blocks.extend(alone);
        }
        for block in &blocks {
            self.recluster(block)?;
        }
        summary.blocks = blocks.len() + new_blocks.len();
        for (block, claim) in new_blocks {
            self.recluster_new(&block, claim)?;
        }
        if summary
            .outcomes
            .iter()
            .any(|o| !matches!(o, DocOutcome::Unchanged))
        {
            self.bump_generation()?;
        }
        Ok(summary)
    }

    fn delete_document(&mut self, id: &str) -> Result<(), StoreError> {
        let v: Value = id.into();
        let c = &mut self.conn;
        c.exec(
            "DELETE FROM search WHERE kind = 'claim' AND ref IN (SELECT id FROM claims WHERE doc_id = ?)",
            std::slice::from_ref(&v),
        )?;
        c.exec(
            "DELETE FROM search WHERE kind = 'doc' AND ref = ?",
            std::slice::from_ref(&v),
        )?;
        for t in ["timexes", "claims", "conditions"] {
            c.exec(
                &format!("DELETE FROM {t} WHERE doc_id = ?"),
                std::slice::from_ref(&v),
            )?;
        }
        c.exec("DELETE FROM documents WHERE id = ?", &[v])?;
        Ok(())
    }

    /// Writes a document and its rows; returns the undated claims it added (each alone in a block
    /// that nothing else was stored in, see [`Store::recluster_new`]).
    fn insert_document(
        &mut self,
        p: &Prepared,
        now: &str,
    ) -> Result<Vec<(String, ClaimKey)>, StoreError> {
        let mut alone = Vec::new();
        let c = &mut self.conn;
        let id: Value = p.id.as_str().into();
        c.exec(
            "INSERT INTO documents (id, hash, path, name, format, title, author, doc_date, doc_date_source, \
             bytes, warnings, ingested_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &[
                id.clone(),
                p.hash.as_str().into(),
                p.path.as_str().into(),
                p.name.as_str().into(),
                p.format.as_str().into(),
                p.title.clone().into(),
                p.author.clone().into(),
                p.doc_date.clone().into(),
                p.doc_date_source.as_str().into(),
                p.body.len().into(),
                json_list(&p.warnings),
                now.into(),
                p.body.as_str().into(),
            ],
        )?;
        for t in &p.timexes {
            c.exec(
                "INSERT INTO timexes (doc_id, start_byte, end_byte, kind, value, modifier) VALUES (?, ?, ?, ?, ?, ?) \
                 ON CONFLICT DO NOTHING",
                &[
                    id.clone(),
                    t.start.into(),
                    t.end.into(),
                    t.kind.as_str().into(),
                    t.value.as_str().into(),
                    t.modifier.clone().into(),
                ],
            )?;
        }
        for k in &p.claims {
            let inserted = c.exec(
                "INSERT INTO claims (id, doc_id, kind, family, mode, date, precision, date_lo, date_hi, block, \
                 actors, countries, place, start_byte, end_byte, trigger_start, trigger_end, quote, negated, \
                 hypothetical, future, event_id) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                &[
                    k.id.as_str().into(),
                    id.clone(),
                    k.kind.as_str().into(),
                    k.family.as_str().into(),
                    k.mode.as_str().into(),
                    k.date.clone().into(),
                    k.period.map_or("none", |p| p.precision.as_str()).into(),
                    k.period.map(|p| p.lo.to_string()).into(),
                    k.period.map(|p| p.hi.to_string()).into(),
                    k.block().into(),
                    json_list(&k.actors),
                    json_list(&k.countries),
                    k.place.clone().into(),
                    k.start.into(),
                    k.end.into(),
                    k.trigger_start.into(),
                    k.trigger_end.into(),
                    k.quote.as_str().into(),
                    k.negated.into(),
                    k.hypothetical.into(),
                    k.future.into(),
                    // The event it forms alone; re-clustering changes this only for the claims
                    // that join another claim's event.
                    merge::event_id(&k.id).into(),
                ],
            )?;
            if inserted == 1 && k.period.is_none() {
                alone.push((
                    k.block(),
                    ClaimKey {
                        id: k.id.clone(),
                        doc_id: p.id.clone(),
                        kind: k.kind.clone(),
                        mode: k.mode.clone(),
                        period: None,
                        date: k.date.clone(),
                        actors: k.actors.clone(),
                        countries: k.countries.clone(),
                        place: k.place.clone(),
                    },
                ));
            }
            c.exec(
                "INSERT INTO search (kind, ref, folded) VALUES ('claim', ?, ?)",
                &[k.id.as_str().into(), claim_search_text(k).into()],
            )?;
        }
        for k in &p.conditions {
            c.exec(
                "INSERT INTO conditions (id, doc_id, what, what_start, what_end, requires, requires_start, \
                 requires_end, asserted_by, cue, start_byte, end_byte, quote) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                &[
                    k.id.as_str().into(),
                    id.clone(),
                    k.what.as_str().into(),
                    k.what_span.0.into(),
                    k.what_span.1.into(),
                    k.requires.as_str().into(),
                    k.requires_span.0.into(),
                    k.requires_span.1.into(),
                    k.asserted_by.clone().into(),
                    k.cue.as_str().into(),
                    k.start.into(),
                    k.end.into(),
                    k.quote.as_str().into(),
                ],
            )?;
        }
        let title = p.title.as_deref().unwrap_or("");
        c.exec(
            "INSERT INTO search (kind, ref, folded) VALUES ('doc', ?, ?)",
            &[id, folded(&[title, &p.name, &p.body]).into()],
        )?;
        Ok(alone)
    }

    /// Re-clusters one block: its claims → events. Events that come out as stored (same row, same
    /// documents, no review) are left alone; the others replace the block's old events.
    pub(crate) fn recluster(&mut self, block: &str) -> Result<(), StoreError> {
        let rows = self.conn.query(
            "SELECT id, doc_id, kind, mode, date, actors, countries, place, event_id, negated, hypothetical, \
             future FROM claims WHERE block = ? ORDER BY id",
            &[block.into()],
        )?;
        let claims: Vec<ClaimKey> = rows
            .iter()
            .map(|r| ClaimKey {
                id: r[0].string(),
                doc_id: r[1].string(),
                kind: r[2].string(),
                mode: r[3].string(),
                period: r[4].text().and_then(Period::parse),
                date: r[4].opt_text(),
                actors: parse_list(&r[5]),
                countries: parse_list(&r[6]),
                place: r[7].opt_text(),
            })
            .collect();
        let current: Vec<Option<String>> = rows.iter().map(|r| r[8].opt_text()).collect();
        self.write_events(block, &claims, &current, true)
    }

    /// The block of one undated claim just added: the claim is its only member and nothing was
    /// stored for the block before, so its event is written without reading the block back.
    fn recluster_new(&mut self, block: &str, claim: ClaimKey) -> Result<(), StoreError> {
        let current = vec![Some(merge::event_id(&claim.id))];
        self.write_events(block, &[claim], &current, false)
    }

    /// Clusters `claims` (the whole block, with the event each belongs to now) and writes the
    /// block's events; with `stored_too`, the events stored for the block are compared first and only
    /// those that changed are replaced.
    fn write_events(
        &mut self,
        block: &str,
        claims: &[ClaimKey],
        current: &[Option<String>],
        stored_too: bool,
    ) -> Result<(), StoreError> {
        let status = block.split('|').next().unwrap_or("reported").to_string();
        let events = merge::cluster(&self.rules, claims);
        let b: Value = block.into();
        let stored = if stored_too {
            self.stored_events(&b)?
        } else {
            StoredEvents::default()
        };
        let c = &mut self.conn;
        let mut keep: BTreeSet<String> = BTreeSet::new();
        let mut fresh = Vec::with_capacity(events.len());
        for e in &events {
            let (lo, hi) = e.period.map_or((String::new(), String::new()), |p| {
                (p.lo.to_string(), p.hi.to_string())
            });
            let conflicts = serde_json::to_string(&e.conflicts).unwrap_or_else(|_| "[]".into());
            let row: Vec<Value> = vec![
                e.kind.as_str().into(),
                e.mode.as_str().into(),
                e.date.clone().into(),
                e.period.map_or("none", |p| p.precision.as_str()).into(),
                lo.into(),
                hi.into(),
                json_list(&e.actors),
                json_list(&e.countries),
                e.place.clone().into(),
                e.members.len().into(),
                e.n_docs.into(),
                conflicts.into(),
            ];
            let docs: BTreeSet<String> = e
                .members
                .iter()
                .map(|&i| claims[i].doc_id.clone())
                .collect();
            if stored
                .unreviewed
                .get(&e.id)
                .is_some_and(|(r, d)| *r == row && *d == docs)
            {
                keep.insert(e.id.clone());
            }
            fresh.push((row, docs));
        }
        let gone: Vec<Value> = stored
            .ids
            .into_iter()
            .filter(|id| !keep.contains(id))
            .map(Value::from)
            .collect();
        for id in &gone {
            for t in ["event_countries", "event_actors", "event_docs", "events"] {
                let key = if t == "events" { "id" } else { "event_id" };
                c.exec(
                    &format!("DELETE FROM {t} WHERE {key} = ?"),
                    std::slice::from_ref(id),
                )?;
            }
        }
        for (e, (row, docs)) in events.iter().zip(fresh) {
            let ev: Value = e.id.as_str().into();
            for &i in &e.members {
                if current[i].as_deref() != Some(e.id.as_str()) {
                    c.exec(
                        "UPDATE claims SET event_id = ? WHERE id = ?",
                        &[ev.clone(), claims[i].id.as_str().into()],
                    )?;
                }
            }
            if keep.contains(&e.id) {
                continue;
            }
            let (lo, hi) = (row[4].clone(), row[5].clone());
            let mut params = vec![ev.clone(), b.clone()];
            params.extend(row);
            params.push(
                e.place
                    .as_deref()
                    .map(peacetrack_extract::fold::fold_key)
                    .into(),
            );
            params.push(status.as_str().into());
            c.exec(
                "INSERT INTO events (id, block, kind, mode, date, precision, date_lo, date_hi, actors, countries, \
                 place, n_sources, n_docs, conflicts, place_key, status) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &params,
            )?;
            for code in &e.countries {
                c.exec(
                    "INSERT INTO event_countries (code, date_lo, event_id, date_hi) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    &[code.as_str().into(), lo.clone(), ev.clone(), hi.clone()],
                )?;
            }
            for key in actor_keys(&e.actors) {
                c.exec(
                    "INSERT INTO event_actors (actor, date_lo, event_id, date_hi) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    &[key.into(), lo.clone(), ev.clone(), hi.clone()],
                )?;
            }
            for d in docs {
                c.exec(
                    "INSERT INTO event_docs (doc_id, date_lo, event_id, date_hi) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    &[d.into(), lo.clone(), ev.clone(), hi.clone()],
                )?;
            }
        }
        self.apply_block_reviews(block)
    }

    /// The events stored for block `b`: every id, and for those under no review their row (the
    /// columns `write_events` compares) and documents.
    fn stored_events(&mut self, b: &Value) -> Result<StoredEvents, StoreError> {
        let mut stored = StoredEvents::default();
        for r in self.conn.query(
            "SELECT id, review IS NULL, kind, mode, date, precision, date_lo, date_hi, actors, \
             countries, place, n_sources, n_docs, conflicts FROM events WHERE block = ?",
            std::slice::from_ref(b),
        )? {
            let id = r[0].string();
            if r[1].int() == 1 {
                stored
                    .unreviewed
                    .insert(id.clone(), (r[2..].to_vec(), BTreeSet::new()));
            }
            stored.ids.push(id);
        }
        if !stored.unreviewed.is_empty() {
            for r in self.conn.query(
                "SELECT x.event_id, x.doc_id FROM event_docs x JOIN events e ON e.id = x.event_id \
                 WHERE e.block = ?",
                std::slice::from_ref(b),
            )? {
                if let Some(s) = stored.unreviewed.get_mut(&r[0].string()) {
                    s.1.insert(r[1].string());
                }
            }
        }
        Ok(stored)
    }
}

/// A block's events as stored (see [`Store::stored_events`]): an event whose row and documents come
/// out the same again is left alone, so a batch writes only what it changed, however large the
/// block. An event under review is always rewritten (its review is applied again).
#[derive(Default)]
struct StoredEvents {
    ids: Vec<String>,
    unreviewed: BTreeMap<String, (Vec<Value>, BTreeSet<String>)>,
}

/// The keys an event is found by with `--actor`: each actor's folded full name and each folded word
/// of it of three letters or more (`kilic` finds `Serdar Kılıç`).
pub fn actor_keys(actors: &[String]) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for a in actors {
        let full = peacetrack_extract::fold::fold_key(a);
        for w in full.split(' ').filter(|w| w.len() >= 3) {
            keys.insert(w.to_string());
        }
        keys.insert(full);
    }
    keys
}
