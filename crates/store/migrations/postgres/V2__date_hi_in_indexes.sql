-- peacetrack store, schema 2 (PostgreSQL). Keep in step with migrations/sqlite/V2__date_hi_in_indexes.sql.
--
-- A date-range query must look back before its first day for events that started earlier and are
-- still going on (a month or a year). Schema 2 keeps the last day (date_hi) in the filter tables'
-- keys' covering indexes and in the events indexes, so the candidates that end too early are
-- dropped while the index is scanned instead of after reading each events row.
ALTER TABLE event_countries ADD COLUMN date_hi TEXT NOT NULL DEFAULT '';
UPDATE event_countries x SET date_hi = e.date_hi FROM events e WHERE e.id = x.event_id;
ALTER TABLE event_countries ALTER COLUMN date_hi DROP DEFAULT;
ALTER TABLE event_countries DROP CONSTRAINT event_countries_pkey;
ALTER TABLE event_countries ADD PRIMARY KEY (code, date_lo, event_id) INCLUDE (date_hi);

ALTER TABLE event_actors ADD COLUMN date_hi TEXT NOT NULL DEFAULT '';
UPDATE event_actors x SET date_hi = e.date_hi FROM events e WHERE e.id = x.event_id;
ALTER TABLE event_actors ALTER COLUMN date_hi DROP DEFAULT;
ALTER TABLE event_actors DROP CONSTRAINT event_actors_pkey;
ALTER TABLE event_actors ADD PRIMARY KEY (actor, date_lo, event_id) INCLUDE (date_hi);

ALTER TABLE event_docs ADD COLUMN date_hi TEXT NOT NULL DEFAULT '';
UPDATE event_docs x SET date_hi = e.date_hi FROM events e WHERE e.id = x.event_id;
ALTER TABLE event_docs ALTER COLUMN date_hi DROP DEFAULT;
ALTER TABLE event_docs DROP CONSTRAINT event_docs_pkey;
ALTER TABLE event_docs ADD PRIMARY KEY (doc_id, date_lo, event_id) INCLUDE (date_hi);

DROP INDEX events_order;
DROP INDEX events_kind;
DROP INDEX events_place;
CREATE INDEX events_order ON events (date_lo, id) INCLUDE (date_hi);
CREATE INDEX events_kind ON events (kind, date_lo, id) INCLUDE (date_hi);
CREATE INDEX events_place ON events (place_key, date_lo, id) INCLUDE (date_hi);
