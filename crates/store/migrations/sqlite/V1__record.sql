-- peacetrack store, schema 1 (SQLite). Keep in step with migrations/postgres/V1__record.sql.
CREATE TABLE store_info (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO store_info (key, value) VALUES ('application', 'peacetrack');

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT,
    author TEXT,
    doc_date TEXT,
    doc_date_source TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    warnings TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX documents_path ON documents (path);

CREATE TABLE timexes (
    doc_id TEXT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    modifier TEXT,
    PRIMARY KEY (doc_id, start_byte)
);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    family TEXT NOT NULL,
    mode TEXT NOT NULL,
    date TEXT,
    precision TEXT NOT NULL,
    date_lo TEXT,
    date_hi TEXT,
    block TEXT NOT NULL,
    actors TEXT NOT NULL,
    countries TEXT NOT NULL,
    place TEXT,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    trigger_start BIGINT NOT NULL,
    trigger_end BIGINT NOT NULL,
    quote TEXT NOT NULL,
    negated BIGINT NOT NULL,
    hypothetical BIGINT NOT NULL,
    future BIGINT NOT NULL,
    event_id TEXT NOT NULL
);
CREATE INDEX claims_doc ON claims (doc_id);
CREATE INDEX claims_block ON claims (block);
CREATE INDEX claims_event ON claims (event_id);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    block TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    date TEXT,
    precision TEXT NOT NULL,
    date_lo TEXT NOT NULL,
    date_hi TEXT NOT NULL,
    actors TEXT NOT NULL,
    countries TEXT NOT NULL,
    place TEXT,
    place_key TEXT,
    status TEXT NOT NULL,
    n_sources BIGINT NOT NULL,
    n_docs BIGINT NOT NULL,
    conflicts TEXT NOT NULL,
    -- The analyst's review as applied to this event (see the reviews table): null, accepted,
    -- rejected, edited or merged (then merged_into names the event it is part of).
    review TEXT,
    merged_into TEXT
);
CREATE INDEX events_order ON events (date_lo, id);
CREATE INDEX events_block ON events (block);
CREATE INDEX events_kind ON events (kind, date_lo, id);
CREATE INDEX events_place ON events (place_key, date_lo, id);

CREATE TABLE event_countries (
    code TEXT NOT NULL,
    date_lo TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (code, date_lo, event_id)
);
CREATE INDEX event_countries_event ON event_countries (event_id);

CREATE TABLE event_actors (
    actor TEXT NOT NULL,
    date_lo TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (actor, date_lo, event_id)
);
CREATE INDEX event_actors_event ON event_actors (event_id);

CREATE TABLE event_docs (
    doc_id TEXT NOT NULL,
    date_lo TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (doc_id, date_lo, event_id)
);
CREATE INDEX event_docs_event ON event_docs (event_id);

CREATE TABLE conditions (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    what TEXT NOT NULL,
    what_start BIGINT NOT NULL,
    what_end BIGINT NOT NULL,
    requires TEXT NOT NULL,
    requires_start BIGINT NOT NULL,
    requires_end BIGINT NOT NULL,
    asserted_by TEXT,
    cue TEXT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    quote TEXT NOT NULL,
    review TEXT
);
CREATE INDEX conditions_doc ON conditions (doc_id);

-- Analyst review: one row per reviewed item, kept across re-ingests. An event is anchored on the
-- smallest of its claim ids when it was reviewed (event ids follow the clustering; claim ids
-- follow the text), a condition on its id. Re-clustering re-applies the reviews of its claims.
CREATE TABLE reviews (
    target TEXT NOT NULL,
    anchor TEXT NOT NULL,
    verdict TEXT,
    changes TEXT NOT NULL,
    merged_into TEXT,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (target, anchor)
);

-- Every review action, never rewritten: who, when, what, the item before and after.
CREATE TABLE review_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    target TEXT NOT NULL,
    item TEXT NOT NULL,
    anchor TEXT NOT NULL,
    action TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    note TEXT
);
CREATE INDEX review_log_anchor ON review_log (target, anchor, seq);

-- Full-text search over folded text (deunicode, then lower case): `kilic` finds `Kılıç`.
CREATE VIRTUAL TABLE search USING fts5 (kind UNINDEXED, ref UNINDEXED, folded, tokenize = 'unicode61');
