-- peacetrack store, schema 2 (SQLite). Keep in step with migrations/postgres/V2__date_hi_in_indexes.sql.
--
-- A date-range query must look back before its first day for events that started earlier and are
-- still going on (a month or a year). Schema 1 had to read each such candidate's events row to see
-- its last day; schema 2 keeps the last day (date_hi) in the filter tables and the events indexes,
-- so the candidates that end too early are dropped while the index is scanned.
CREATE TABLE event_countries_v2 (
    code TEXT NOT NULL,
    date_lo TEXT NOT NULL,
    event_id TEXT NOT NULL,
    date_hi TEXT NOT NULL,
    PRIMARY KEY (code, date_lo, event_id)
) WITHOUT ROWID;
INSERT INTO event_countries_v2 (code, date_lo, event_id, date_hi)
    SELECT x.code, x.date_lo, x.event_id, e.date_hi FROM event_countries x JOIN events e ON e.id = x.event_id;
DROP TABLE event_countries;
ALTER TABLE event_countries_v2 RENAME TO event_countries;
CREATE INDEX event_countries_event ON event_countries (event_id);

CREATE TABLE event_actors_v2 (
    actor TEXT NOT NULL,
    date_lo TEXT NOT NULL,
    event_id TEXT NOT NULL,
    date_hi TEXT NOT NULL,
    PRIMARY KEY (actor, date_lo, event_id)
) WITHOUT ROWID;
INSERT INTO event_actors_v2 (actor, date_lo, event_id, date_hi)
    SELECT x.actor, x.date_lo, x.event_id, e.date_hi FROM event_actors x JOIN events e ON e.id = x.event_id;
DROP TABLE event_actors;
ALTER TABLE event_actors_v2 RENAME TO event_actors;
CREATE INDEX event_actors_event ON event_actors (event_id);

CREATE TABLE event_docs_v2 (
    doc_id TEXT NOT NULL,
    date_lo TEXT NOT NULL,
    event_id TEXT NOT NULL,
    date_hi TEXT NOT NULL,
    PRIMARY KEY (doc_id, date_lo, event_id)
) WITHOUT ROWID;
INSERT INTO event_docs_v2 (doc_id, date_lo, event_id, date_hi)
    SELECT x.doc_id, x.date_lo, x.event_id, e.date_hi FROM event_docs x JOIN events e ON e.id = x.event_id;
DROP TABLE event_docs;
ALTER TABLE event_docs_v2 RENAME TO event_docs;
CREATE INDEX event_docs_event ON event_docs (event_id);

DROP INDEX events_order;
DROP INDEX events_kind;
DROP INDEX events_place;
CREATE INDEX events_order ON events (date_lo, id, date_hi);
CREATE INDEX events_kind ON events (kind, date_lo, id, date_hi);
CREATE INDEX events_place ON events (place_key, date_lo, id, date_hi);
