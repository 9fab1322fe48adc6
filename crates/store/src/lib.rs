//! The record: one store across documents. SQLite by default (a file, no server), PostgreSQL for
//! teams, with the same schema, behaviour and tests.
//!
//! - [`Store::open`] opens or creates a store from a location (`sqlite:PATH`, a bare path, or
//!   `postgres://…`), refusing files that are not peacetrack stores and stores from a newer
//!   peacetrack, and applies the schema migrations (`migrations/`, refinery).
//! - [`ingest`]: documents are keyed by content hash. A batch is written in one transaction: new
//!   documents with every extracted item, changed documents (same path, new content) replacing their
//!   old facts, and the events of the touched blocks re-clustered ([`merge`]). Ingesting the same
//!   files again changes nothing; a killed run leaves only whole batches.
//! - [`query`]: timeline, events, one event with its sources, actors, places, documents.
//! - [`search`]: full text over documents and event evidence, folded (`kilic` finds `Kılıç`).
//! - [`export`]: JSON Lines, ACLED-style CSV, GeoJSON, PLOVER.

#![warn(missing_docs)]

pub mod dates;
pub mod db;
pub mod export;
pub mod ingest;
pub mod merge;
pub mod query;
pub mod review;
pub mod search;
pub mod synth;

use db::{Backend, Conn, Value};
use std::path::{Path, PathBuf};

pub use ingest::{BatchSummary, DocOutcome, Prepared, prepare};
pub use merge::MergeRules;
pub use query::{EventFilter, EventRecord, Source};
pub use review::{EventChanges, ReviewAction, ReviewEntry, ReviewRequest, ReviewTarget};

mod sqlite_migrations {
    refinery::embed_migrations!("migrations/sqlite");
}

mod postgres_migrations {
    refinery::embed_migrations!("migrations/postgres");
}

/// What can go wrong with a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The location holds something that is not a peacetrack store; it is left untouched.
    #[error("{location}: not a peacetrack store ({why}); refusing to touch it")]
    NotAStore {
        /// The location.
        location: String,
        /// What was found.
        why: String,
    },
    /// The store was written by a newer peacetrack.
    #[error(
        "{location}: the store has schema version {found}, newer than this peacetrack knows (up to {known}); use a newer peacetrack"
    )]
    TooNew {
        /// The location.
        location: String,
        /// Its schema version.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// There is no store at the location yet.
    #[error("{location}: no store here yet (run `peacetrack ingest PATH...` first)")]
    Missing {
        /// The location.
        location: String,
    },
    /// An SQLite error.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A PostgreSQL error.
    #[error("PostgreSQL: {}", pg_message(.0))]
    Postgres(#[from] postgres::Error),
    /// A migration failed.
    #[error("migrating the store: {0}")]
    Migration(String),
    /// A request the store cannot answer (unknown event id …).
    #[error("{0}")]
    Invalid(String),
}

fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(cause) = src {
                s.push_str(": ");
                s.push_str(&cause.to_string());
                src = cause.source();
            }
            s
        }
    }
}

/// Where a store lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl Location {
    /// `postgres://…` / `postgresql://…` → PostgreSQL; `sqlite:PATH` or a bare path → SQLite.
    pub fn parse(url: &str) -> Location {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Location::Postgres(url.to_string())
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            Location::Sqlite(PathBuf::from(path))
        }
    }

    /// For messages: the path, or the URL without its password.
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(p) => p.display().to_string(),
            Location::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(s), Some(at)) if at > s => {
                    let creds = &url[s + 3..at];
                    match creds.find(':') {
                        Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                        None => url.clone(),
                    }
                }
                _ => url.clone(),
            },
        }
    }
}

/// The default store: `PEACETRACK_DB`, else `peacetrack.db` in the working directory.
pub fn default_location() -> String {
    std::env::var("PEACETRACK_DB").unwrap_or_else(|_| "peacetrack.db".to_string())
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Conn,
    location: Location,
    rules: MergeRules,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The newest schema version this build knows.
pub fn schema_version() -> i64 {
    sqlite_migrations::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

/// 64 hex digits: the SHA-256 of `bytes`.
pub fn hex_digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

impl Store {
    /// Opens the store at `url`, creating it (and applying migrations) if needed.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_at(Location::parse(url), true)
    }

    /// Opens an existing store; a missing SQLite file is [`StoreError::Missing`], not created.
    pub fn open_existing(url: &str) -> Result<Store, StoreError> {
        Store::open_at(Location::parse(url), false)
    }

    fn open_at(location: Location, create: bool) -> Result<Store, StoreError> {
        let shown = location.display();
        let conn = match &location {
            Location::Sqlite(path) => open_sqlite(path, create, &shown)?,
            Location::Postgres(url) => {
                let client = postgres::Client::connect(url, postgres::NoTls)?;
                Conn::Postgres(Box::new(client), Default::default())
            }
        };
        let mut store = Store {
            conn,
            location,
            rules: MergeRules::shipped(),
        };
        store.check_and_migrate()?;
        Ok(store)
    }

    /// Where the store lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Sets a SQLite connection up for a long write such as an ingest: the file is no longer mapped
    /// into memory (see `open_sqlite`), so resident memory does not grow with the file, and the
    /// write-ahead log is copied back into the file every 16,384 pages (64 MiB at the default page
    /// size) instead of every 1,000, so a page written by many batches is copied once, not each
    /// time. Nothing on PostgreSQL.
    pub fn for_bulk_writes(&mut self) -> Result<(), StoreError> {
        if self.conn.backend() == Backend::Sqlite {
            self.conn
                .batch("PRAGMA mmap_size = 0; PRAGMA wal_autocheckpoint = 16384;")?;
        }
        Ok(())
    }

    /// Which backend it uses.
    pub fn backend(&self) -> Backend {
        self.conn.backend()
    }

    /// The merging rules in use.
    pub fn rules(&self) -> &MergeRules {
        &self.rules
    }

    /// The raw connection (for the benchmark generator and tests).
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.conn
    }

    fn tables(&mut self) -> Result<Vec<String>, StoreError> {
        let sql = match self.conn.backend() {
            Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
            Backend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()"
            }
        };
        Ok(self
            .conn
            .query(sql, &[])?
            .into_iter()
            .map(|r| r[0].string())
            .collect())
    }

    fn check_and_migrate(&mut self) -> Result<(), StoreError> {
        let shown = self.location.display();
        let pg = self.conn.backend() == Backend::Postgres;
        if pg {
            // Several processes may open a new database at once: one migrates, the others wait.
            self.conn.batch("SELECT pg_advisory_lock(7274001)")?;
        }
        let result = self.check_and_migrate_locked(&shown);
        if pg {
            let _ = self.conn.batch("SELECT pg_advisory_unlock(7274001)");
        }
        result
    }

    fn check_and_migrate_locked(&mut self, shown: &str) -> Result<(), StoreError> {
        let tables = self.tables().map_err(|e| match e {
            StoreError::Sqlite(e) => StoreError::NotAStore {
                location: shown.to_string(),
                why: e.to_string(),
            },
            e => e,
        })?;
        let ours = tables.iter().any(|t| t == "store_info");
        let history = tables.iter().any(|t| t == "refinery_schema_history");
        let sqlite = self.conn.backend() == Backend::Sqlite;
        if !ours
            && (history || tables.iter().any(|t| t == "documents") || sqlite && !tables.is_empty())
        {
            return Err(StoreError::NotAStore {
                location: shown.to_string(),
                why: format!("it holds other tables: {}", tables.join(", ")),
            });
        }
        let known = schema_version();
        if ours && history {
            let found = self
                .conn
                .query_one("SELECT MAX(version) FROM refinery_schema_history", &[])?
                .map_or(0, |r| r[0].int());
            if found > known {
                return Err(StoreError::TooNew {
                    location: shown.to_string(),
                    found,
                    known,
                });
            }
            if found == known {
                return Ok(());
            }
        }
        match &mut self.conn {
            Conn::Sqlite(c) => sqlite_migrations::migrations::runner()
                .run(c)
                .map(|_| ())
                .map_err(|e| StoreError::Migration(e.to_string())),
            Conn::Postgres(c, _) => postgres_migrations::migrations::runner()
                .run(c.as_mut())
                .map(|_| ())
                .map_err(|e| StoreError::Migration(e.to_string())),
        }
    }

    /// A setting kept in the store (`store_info`), such as the case file last used with it.
    pub fn info(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_one("SELECT value FROM store_info WHERE key = ?", &[key.into()])?
            .map(|r| r[0].string()))
    }

    /// Keeps a setting in the store (a change of the record: see [`Store::generation`]).
    pub fn set_info(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if self.info(key)?.as_deref() == Some(value) {
            return Ok(());
        }
        self.conn.exec(
            "INSERT INTO store_info (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[key.into(), value.into()],
        )?;
        self.bump_generation()
    }

    /// A number that changes whenever the record does (documents stored or replaced, reviews,
    /// settings), whichever process wrote: readers that keep answers compare it to know they are
    /// still right.
    pub fn generation(&mut self) -> Result<i64, StoreError> {
        Ok(self
            .info("generation")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Counts a change of the record, inside the writer's transaction.
    pub(crate) fn bump_generation(&mut self) -> Result<(), StoreError> {
        self.conn.exec(
            "INSERT INTO store_info (key, value) VALUES ('generation', '1') ON CONFLICT (key) \
             DO UPDATE SET value = CAST(CAST(store_info.value AS BIGINT) + 1 AS TEXT)",
            &[],
        )?;
        Ok(())
    }

    /// Counts of rows per table, for summaries and tests.
    pub fn counts(&mut self) -> Result<Counts, StoreError> {
        let mut n = |t: &str| -> Result<i64, StoreError> {
            Ok(self
                .conn
                .query_one(&format!("SELECT COUNT(*) FROM {t}"), &[])?
                .map_or(0, |r| r[0].int()))
        };
        Ok(Counts {
            documents: n("documents")?,
            timexes: n("timexes")?,
            claims: n("claims")?,
            events: n("events")?,
            conditions: n("conditions")?,
            search_entries: n("search")?,
        })
    }
}

/// How many rows each table holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Documents.
    pub documents: i64,
    /// Temporal expressions.
    pub timexes: i64,
    /// Event claims (an event as one document reports it).
    pub claims: i64,
    /// Merged events.
    pub events: i64,
    /// Conditions.
    pub conditions: i64,
    /// Full-text entries.
    pub search_entries: i64,
}

fn open_sqlite(path: &Path, create: bool, shown: &str) -> Result<Conn, StoreError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(StoreError::NotAStore {
                location: shown.to_string(),
                why: "it is a directory".into(),
            });
        }
        Ok(meta) if meta.len() > 0 => {
            use std::io::Read as _;
            let mut head = [0u8; 16];
            let ok = std::fs::File::open(path)
                .and_then(|mut f| f.read_exact(&mut head))
                .is_ok();
            if !ok || &head != SQLITE_MAGIC {
                return Err(StoreError::NotAStore {
                    location: shown.to_string(),
                    why: "the file is not an SQLite database".into(),
                });
            }
        }
        Ok(_) => {}
        Err(_) if !create => {
            return Err(StoreError::Missing {
                location: shown.to_string(),
            });
        }
        Err(_) => {}
    }
    let c = rusqlite::Connection::open(path)?;
    c.busy_timeout(std::time::Duration::from_secs(30))?;
    let not_a_store = |e: rusqlite::Error| StoreError::NotAStore {
        location: shown.to_string(),
        why: e.to_string(),
    };
    c.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .map_err(not_a_store)?;
    // Reads map the file instead of copying each page through a system call, and each connection
    // keeps up to 16 MiB of pages: a timeline page touches a few hundred pages spread over the file.
    c.execute_batch(
        "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; \
         PRAGMA mmap_size = 2147418112; PRAGMA cache_size = -16384;",
    )
    .map_err(not_a_store)?;
    Ok(Conn::Sqlite(c))
}

/// Now, UTC, to the second (RFC 3339): when a document was stored or a review made.
pub(crate) fn now_utc() -> String {
    let now = jiff::Timestamp::now();
    now.round(jiff::Unit::Second).unwrap_or(now).to_string()
}

/// A value for a list of strings stored as JSON text.
pub(crate) fn json_list(items: &[String]) -> Value {
    Value::Text(serde_json::to_string(items).unwrap_or_else(|_| "[]".into()))
}

/// A list of strings from JSON text (empty on anything else).
pub(crate) fn parse_list(v: &Value) -> Vec<String> {
    v.text()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store written by schema 1 is migrated in place: the filter tables gain each event's last
    /// day, and date ranges still find events that began before the range and go on into it.
    #[test]
    fn a_schema_1_store_is_migrated_and_keeps_its_events() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        {
            let mut c = rusqlite::Connection::open(&path).unwrap();
            sqlite_migrations::migrations::runner()
                .set_target(refinery::Target::Version(1))
                .run(&mut c)
                .unwrap();
            for (id, date, precision, lo, hi) in [
                ("ev-year", "2020", "year", "2020-01-01", "2020-12-31"),
                ("ev-day", "2020-03-04", "day", "2020-03-04", "2020-03-04"),
            ] {
                c.execute(
                    "INSERT INTO events (id, block, kind, mode, date, precision, date_lo, date_hi, actors, \
                     countries, place, place_key, status, n_sources, n_docs, conflicts) VALUES \
                     (?1, 'reported|CONSULT|2020|x', 'CONSULT', 'meeting', ?2, ?3, ?4, ?5, '[]', '[\"ARM\"]', \
                     NULL, NULL, 'reported', 1, 1, '[]')",
                    rusqlite::params![id, date, precision, lo, hi],
                )
                .unwrap();
                c.execute(
                    "INSERT INTO event_countries (code, date_lo, event_id) VALUES ('ARM', ?1, ?2)",
                    rusqlite::params![lo, id],
                )
                .unwrap();
            }
        }
        let mut store = Store::open(&format!("sqlite:{}", path.display())).unwrap();
        let version = store
            .conn
            .query_one("SELECT MAX(version) FROM refinery_schema_history", &[])
            .unwrap()
            .unwrap()[0]
            .int();
        assert_eq!(version, schema_version());
        let kept = store
            .conn
            .query(
                "SELECT event_id, date_hi FROM event_countries ORDER BY event_id",
                &[],
            )
            .unwrap();
        let kept: Vec<(String, String)> = kept
            .iter()
            .map(|r| (r[0].string(), r[1].string()))
            .collect();
        assert_eq!(
            kept,
            [
                ("ev-day".to_string(), "2020-03-04".to_string()),
                ("ev-year".to_string(), "2020-12-31".to_string())
            ]
        );
        let ids = |store: &mut Store, country: Option<&str>, from: &str| -> Vec<String> {
            let f = EventFilter {
                country: country.map(str::to_string),
                from: Some(from.into()),
                to: Some("2021".into()),
                ..EventFilter::default()
            };
            store
                .events(&f)
                .unwrap()
                .into_iter()
                .map(|e| e.id)
                .collect()
        };
        for country in [Some("ARM"), None] {
            // The year began before June and goes on into it; the March day is over by then.
            assert_eq!(ids(&mut store, country, "2020-06"), ["ev-year"]);
            assert_eq!(ids(&mut store, country, "2020-03"), ["ev-year", "ev-day"]);
            assert!(ids(&mut store, country, "2021").is_empty());
        }
    }
}
