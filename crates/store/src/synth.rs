//! A synthetic record for benchmarks: `n` events with plausible dates, types, parties, actors and
//! places, each with one claim in one of `n / 1000 + 1` documents, written straight into the tables
//! the queries read (no extraction). Deterministic in its seed.

use crate::db::Value;
use crate::ingest::actor_keys;
use crate::{Store, StoreError, json_list};

const TYPES: [(&str, &str); 8] = [
    ("CONSULT", "meeting"),
    ("CONSULT", "talks"),
    ("AGREE", "signing"),
    ("REQUEST", "demand"),
    ("REJECT", "rejection"),
    ("ASSAULT", "military_operation"),
    ("SUPPORT", "statement"),
    ("COOPERATE", "cooperation"),
];
const COUNTRIES: [&str; 12] = [
    "ARM", "AZE", "TUR", "RUS", "USA", "EU", "IRN", "GEO", "FRA", "DEU", "KAZ", "UKR",
];
const PLACES: [&str; 10] = [
    "Moscow",
    "Vienna",
    "Brussels",
    "Washington",
    "Baku",
    "Yerevan",
    "Ankara",
    "Tbilisi",
    "Almaty",
    "Geneva",
];

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Names of the synthetic actors.
pub fn actor_name(i: usize) -> String {
    format!("Synthetic Actor{i:03}")
}

impl Store {
    /// Writes `n` synthetic events (in transactions of 50,000).
    pub fn generate_synthetic(&mut self, n: usize, seed: u64) -> Result<(), StoreError> {
        let mut rng = Rng(seed);
        let docs = n / 1000 + 1;
        self.conn.begin()?;
        for d in 0..docs {
            let id = format!("doc-synth{d:010}");
            self.conn.exec(
                "INSERT INTO documents (id, hash, path, name, format, title, author, doc_date, doc_date_source, \
                 bytes, warnings, ingested_at, body) VALUES (?, ?, ?, ?, 'text', NULL, NULL, NULL, 'unknown', 0, '[]', '', '')",
                &[
                    id.as_str().into(),
                    crate::hex_digest(id.as_bytes()).into(),
                    format!("synthetic/{d}.txt").into(),
                    format!("synthetic-{d}.txt").into(),
                ],
            )?;
        }
        for i in 0..n {
            if i > 0 && i % 50_000 == 0 {
                self.conn.commit()?;
                self.conn.begin()?;
            }
            let (kind, mode) = TYPES[rng.below(TYPES.len())];
            let year = 1995 + rng.below(31) as i16;
            let month = 1 + rng.below(12) as i8;
            let day = 1 + rng.below(28) as i8;
            let (date, precision, lo, hi) = match rng.below(10) {
                0 => (
                    format!("{year}"),
                    "year",
                    format!("{year}-01-01"),
                    format!("{year}-12-31"),
                ),
                1 | 2 => (
                    format!("{year}-{month:02}"),
                    "month",
                    format!("{year}-{month:02}-01"),
                    format!("{year}-{month:02}-28"),
                ),
                _ => {
                    let d = format!("{year}-{month:02}-{day:02}");
                    (d.clone(), "day", d.clone(), d)
                }
            };
            let a = rng.below(COUNTRIES.len());
            let mut b = rng.below(COUNTRIES.len());
            if b == a {
                b = (b + 1) % COUNTRIES.len();
            }
            let mut countries = vec![COUNTRIES[a].to_string(), COUNTRIES[b].to_string()];
            countries.sort();
            let mut actors = vec![actor_name(rng.below(500)), actor_name(rng.below(500))];
            actors.sort();
            actors.dedup();
            let place = (rng.below(3) > 0).then(|| PLACES[rng.below(PLACES.len())].to_string());
            let ev = format!(
                "ev-{}",
                &crate::hex_digest(format!("synth{seed}\0{i}").as_bytes())[..12]
            );
            let doc = format!("doc-synth{:010}", i % docs);
            let block = format!("reported|{kind}|{year}|synth");
            let ev_v: Value = ev.as_str().into();
            let lo_v: Value = lo.as_str().into();
            let hi_v: Value = hi.as_str().into();
            self.conn.exec(
                "INSERT INTO events (id, block, kind, mode, date, precision, date_lo, date_hi, actors, countries, \
                 place, place_key, status, n_sources, n_docs, conflicts) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported', 1, 1, '[]')",
                &[
                    ev_v.clone(),
                    block.as_str().into(),
                    kind.into(),
                    mode.into(),
                    date.as_str().into(),
                    precision.into(),
                    lo_v.clone(),
                    hi.as_str().into(),
                    json_list(&actors),
                    json_list(&countries),
                    place.clone().into(),
                    place.as_deref().map(peacetrack_extract::fold::fold_key).into(),
                ],
            )?;
            for c in &countries {
                self.conn.exec(
                    "INSERT INTO event_countries (code, date_lo, event_id, date_hi) VALUES (?, ?, ?, ?)",
                    &[c.as_str().into(), lo_v.clone(), ev_v.clone(), hi_v.clone()],
                )?;
            }
            for k in actor_keys(&actors) {
                self.conn.exec(
                    "INSERT INTO event_actors (actor, date_lo, event_id, date_hi) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    &[k.into(), lo_v.clone(), ev_v.clone(), hi_v.clone()],
                )?;
            }
            self.conn.exec(
                "INSERT INTO event_docs (doc_id, date_lo, event_id, date_hi) VALUES (?, ?, ?, ?)",
                &[
                    doc.as_str().into(),
                    lo_v.clone(),
                    ev_v.clone(),
                    hi_v.clone(),
                ],
            )?;
            self.conn.exec(
                "INSERT INTO claims (id, doc_id, kind, family, mode, date, precision, date_lo, date_hi, block, \
                 actors, countries, place, start_byte, end_byte, trigger_start, trigger_end, quote, negated, \
                 hypothetical, future, event_id) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 'synthetic', 0, 0, 0, ?)",
                &[
                    format!("cl-synth{i:010}").into(),
                    doc.as_str().into(),
                    kind.into(),
                    kind.into(),
                    mode.into(),
                    date.as_str().into(),
                    precision.into(),
                    lo_v,
                    hi.as_str().into(),
                    block.into(),
                    json_list(&actors),
                    json_list(&countries),
                    place.into(),
                    ev_v,
                ],
            )?;
        }
        self.conn.commit()?;
        // Fresh statistics, so the planner picks the filter's index.
        self.conn.batch("ANALYZE")?;
        if self.backend() == crate::db::Backend::Sqlite {
            // Move the write-ahead log into the file, so that the queries timed next read the file
            // as an ingest followed by a pause leaves it.
            self.conn.batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_synthetic_store_answers_filtered_timelines() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("s.db").display());
        let mut store = Store::open(&url).unwrap();
        store.generate_synthetic(2_000, 7).unwrap();
        assert_eq!(store.counts().unwrap().events, 2_000);
        let f = crate::EventFilter {
            country: Some("ARM".into()),
            from: Some("2010".into()),
            to: Some("2012".into()),
            limit: Some(50),
            ..Default::default()
        };
        let page = store.events(&f).unwrap();
        assert!(!page.is_empty() && page.len() <= 50);
        for e in &page {
            assert!(e.countries.iter().any(|c| c == "ARM"));
            let d = e.date.as_deref().unwrap();
            assert!(("2010".."2013").contains(&&d[..4]), "{d}");
            assert_eq!(e.sources.len(), 1);
        }
        let by_actor = store
            .events(&crate::EventFilter {
                actor: Some("actor007".into()),
                limit: Some(10),
                ..Default::default()
            })
            .unwrap();
        assert!(by_actor.iter().all(|e| e.actors.contains(&actor_name(7))));
    }
}
