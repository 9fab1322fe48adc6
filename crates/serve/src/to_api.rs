//! The JSON the API speaks: one type per answer, with its OpenAPI schema, converted explicitly from
//! the store's row types (one `From` each), so the store can change without the API changing
//! silently. Offsets (`start`, `end`) are byte offsets into the document's canonical text.

use peacetrack_store::query::{
    ActorRow, ConditionRecord, DocumentDetail, DocumentRow, Item, PlaceRow,
};
use peacetrack_store::search::Hit;
use peacetrack_store::{Counts, EventRecord, Source};
use serde::Serialize;
use utoipa::ToSchema;

/// A merged event with every source that reports it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Event {
    /// Stable id (`ev-…`).
    pub id: String,
    /// PLOVER type (CONSULT, AGREE …).
    #[serde(rename = "type")]
    pub kind: String,
    /// PLOVER mode (meeting, visit …).
    pub mode: String,
    /// ISO date at its precision (`2022-01-14`, `2022-01`, `2022`), or null.
    pub date: Option<String>,
    /// `day`, `week`, `month`, `year` … or `none`.
    pub precision: String,
    /// Actors.
    pub actors: Vec<String>,
    /// Party codes (ISO alpha-3, or EU).
    pub countries: Vec<String>,
    /// Place.
    pub place: Option<String>,
    /// `reported`, `scheduled`, `negated`, `hypothetical` or `future`.
    pub status: String,
    /// Every source: one claim of one document.
    pub sources: Vec<EventSource>,
    /// Where the sources disagree.
    pub conflicts: Vec<Conflict>,
    /// The analyst's review of the event.
    pub review: EventReview,
}

/// The analyst's review of an event (`POST /api/review`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventReview {
    /// `accepted`, `rejected`, `edited`, `merged`, or null when not reviewed.
    pub state: Option<String>,
    /// With `merged`: the event this one is part of.
    pub merged_into: Option<String>,
    /// Events merged into this one; their sources are listed with this event's.
    pub merged_from: Vec<String>,
}

/// One document's report of an event.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventSource {
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
    /// The evidence (the sentence).
    pub text: String,
    /// The date this source gives.
    pub date: Option<String>,
    /// The PLOVER type this source gives.
    #[serde(rename = "type")]
    pub kind: String,
    /// The mode this source gives.
    pub mode: String,
}

/// A disagreement between the sources of an event.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Conflict {
    /// What they disagree on (`date`).
    pub field: String,
    /// Each value with the claims stating it.
    pub values: Vec<ClaimedValue>,
}

/// A value some claims state.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ClaimedValue {
    /// The value.
    pub value: String,
    /// Ids of the claims.
    pub claims: Vec<String>,
}

/// A page of events.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// The events, by (first day, id).
    pub items: Vec<Event>,
    /// The page size used.
    pub limit: usize,
    /// How many were skipped.
    pub offset: usize,
    /// The `offset` of the next page, or null on the last one.
    pub next_offset: Option<usize>,
}

/// A stored document.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Document {
    /// Id (`doc-` and 16 hex digits of the content hash).
    pub id: String,
    /// File name.
    pub name: String,
    /// The path (or upload name) it was read from.
    pub path: String,
    /// Title.
    pub title: Option<String>,
    /// Document date.
    pub date: Option<String>,
    /// Where the date came from: `given`, `stated`, `inferred` or `unknown`.
    pub date_source: String,
    /// Size of the text in bytes.
    pub bytes: i64,
    /// When it was stored (UTC).
    pub ingested_at: String,
    /// Event claims extracted.
    pub claims: i64,
    /// Conditions extracted.
    pub conditions: i64,
    /// Temporal expressions extracted.
    pub timexes: i64,
}

/// A page of documents.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DocumentPage {
    /// The documents, by (name, id).
    pub items: Vec<Document>,
    /// The page size used.
    pub limit: usize,
    /// How many were skipped.
    pub offset: usize,
    /// The `offset` of the next page, or null on the last one.
    pub next_offset: Option<usize>,
}

/// A document's text with every item extracted from it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DocumentDetails {
    /// What the listing says of it.
    #[serde(flatten)]
    pub document: Document,
    /// The canonical text; every span is a byte range of it.
    pub text: String,
    /// Every extracted item, by span.
    pub items: Vec<Span>,
}

/// An extracted item of a document.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Span {
    /// `event`, `condition` or `timex`.
    pub kind: String,
    /// The event id, the condition id, or the TIMEX3 type.
    pub id: String,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Type and mode, the requirement, or the TIMEX3 value.
    pub label: String,
}

/// An actor of the record.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Actor {
    /// Canonical name.
    pub name: String,
    /// Events naming them.
    pub events: i64,
    /// Date of the first dated one.
    pub first: Option<String>,
    /// Date of the last dated one.
    pub last: Option<String>,
}

/// A place of the record, located by the gazetteer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Place {
    /// Canonical name.
    pub name: String,
    /// Its kind in the gazetteer (`capital`, `city`, `region`, `crossing` …), if it is there.
    pub kind: Option<String>,
    /// The country it lies in.
    pub country: Option<String>,
    /// Latitude (WGS 84).
    pub lat: Option<f64>,
    /// Longitude (WGS 84).
    pub lon: Option<f64>,
    /// Events there.
    pub events: i64,
}

/// A condition a document states.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Condition {
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
    /// The cue (`depends on` …).
    pub cue: String,
    /// First byte of the evidence.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The evidence.
    pub text: String,
    /// The analyst's verdict: `accepted`, `rejected`, or null when not reviewed.
    pub review: Option<String>,
}

/// A list answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ActorList {
    /// By events, most first, then name.
    pub items: Vec<Actor>,
}

/// A list answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PlaceList {
    /// By events, most first, then name.
    pub items: Vec<Place>,
}

/// A list answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ConditionList {
    /// By document, then position.
    pub items: Vec<Condition>,
}

/// A search result.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// `document` or `event`.
    pub kind: String,
    /// The document id or event id.
    pub id: String,
    /// The document's name and title, or the event's type, date and actors.
    pub title: String,
    /// Relevance, higher is better.
    pub score: f64,
    /// The text around the first match.
    pub snippet: String,
    /// Byte ranges of the matches in `snippet`.
    pub highlights: Vec<Highlight>,
}

/// A match inside a snippet.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct Highlight {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Search results.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Best first; at most `limit` documents and `limit` events.
    pub items: Vec<SearchHit>,
}

/// What the store holds.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct StoreCounts {
    /// Documents.
    pub documents: i64,
    /// Temporal expressions.
    pub timexes: i64,
    /// Event claims.
    pub claims: i64,
    /// Merged events.
    pub events: i64,
    /// Conditions.
    pub conditions: i64,
}

/// What happened to one uploaded file.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FileOutcome {
    /// The file name as uploaded.
    pub name: String,
    /// `new`, `unchanged` or `replaced`; null when the file failed.
    pub outcome: Option<String>,
    /// The document's id; null when the file failed.
    pub doc_id: Option<String>,
    /// Why the file failed; null when it was stored.
    pub error: Option<String>,
    /// Reader warnings.
    pub warnings: Vec<String>,
}

/// How many files had each outcome.
#[derive(Clone, Copy, Debug, Default, Serialize, ToSchema)]
pub struct OutcomeCounts {
    /// Stored for the first time.
    pub new: usize,
    /// Already stored with the same content.
    pub unchanged: usize,
    /// Replaced a document of the same path.
    pub replaced: usize,
    /// Not stored.
    pub failed: usize,
}

/// The result of an upload.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IngestResult {
    /// One per uploaded file, in upload order.
    pub files: Vec<FileOutcome>,
    /// How many had each outcome.
    pub documents: OutcomeCounts,
    /// Event claims written.
    pub claims_written: usize,
    /// What the store holds afterwards.
    pub store_totals: StoreCounts,
}

impl From<Source> for EventSource {
    fn from(s: Source) -> EventSource {
        EventSource {
            doc: s.doc,
            doc_id: s.doc_id,
            claim: s.claim,
            start: s.start,
            end: s.end,
            text: s.text,
            date: s.date,
            kind: s.kind,
            mode: s.mode,
        }
    }
}

impl From<EventRecord> for Event {
    fn from(e: EventRecord) -> Event {
        Event {
            id: e.id,
            kind: e.kind,
            mode: e.mode,
            date: e.date,
            precision: e.precision,
            actors: e.actors,
            countries: e.countries,
            place: e.place,
            status: e.status,
            review: EventReview {
                state: e.review,
                merged_into: e.merged_into,
                merged_from: e.merged_from,
            },
            sources: e.sources.into_iter().map(EventSource::from).collect(),
            conflicts: e
                .conflicts
                .into_iter()
                .map(|c| Conflict {
                    field: c.field,
                    values: c
                        .values
                        .into_iter()
                        .map(|v| ClaimedValue {
                            value: v.value,
                            claims: v.claims,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<DocumentRow> for Document {
    fn from(d: DocumentRow) -> Document {
        Document {
            id: d.id,
            name: d.name,
            path: d.path,
            title: d.title,
            date: d.date,
            date_source: d.date_source,
            bytes: d.bytes,
            ingested_at: d.ingested_at,
            claims: d.claims,
            conditions: d.conditions,
            timexes: d.timexes,
        }
    }
}

impl From<Item> for Span {
    fn from(i: Item) -> Span {
        Span {
            kind: i.kind,
            id: i.id,
            start: i.start,
            end: i.end,
            label: i.label,
        }
    }
}

impl From<DocumentDetail> for DocumentDetails {
    fn from(d: DocumentDetail) -> DocumentDetails {
        DocumentDetails {
            document: d.info.into(),
            text: d.text,
            items: d.items.into_iter().map(Span::from).collect(),
        }
    }
}

impl From<ActorRow> for Actor {
    fn from(a: ActorRow) -> Actor {
        Actor {
            name: a.name,
            events: a.events,
            first: a.first,
            last: a.last,
        }
    }
}

impl From<PlaceRow> for Place {
    fn from(p: PlaceRow) -> Place {
        Place {
            name: p.name,
            kind: p.kind,
            country: p.country,
            lat: p.lat,
            lon: p.lon,
            events: p.events,
        }
    }
}

impl From<ConditionRecord> for Condition {
    fn from(c: ConditionRecord) -> Condition {
        Condition {
            id: c.id,
            doc: c.doc,
            doc_id: c.doc_id,
            what: c.what,
            requires: c.requires,
            asserted_by: c.asserted_by,
            cue: c.cue,
            start: c.start,
            end: c.end,
            text: c.text,
            review: c.review,
        }
    }
}

impl From<Hit> for SearchHit {
    fn from(h: Hit) -> SearchHit {
        SearchHit {
            kind: h.kind,
            id: h.id,
            title: h.title,
            score: h.score,
            snippet: h.snippet,
            highlights: h
                .highlights
                .into_iter()
                .map(|(start, end)| Highlight { start, end })
                .collect(),
        }
    }
}

impl From<Counts> for StoreCounts {
    fn from(c: Counts) -> StoreCounts {
        StoreCounts {
            documents: c.documents,
            timexes: c.timexes,
            claims: c.claims,
            events: c.events,
            conditions: c.conditions,
        }
    }
}
