//! Exports of the merged events (those reported as having happened or scheduled, dated or not):
//!
//! - `jsonl`: one event per line, as `peacetrack events --json` prints it.
//! - `csv`: ACLED-style columns (event_id, event_date, time_precision, event_type, sub_event_type,
//!   actor1, assoc_actor_1, actor2, assoc_actor_2, country, location, latitude, longitude, source,
//!   source_count, notes …). ACLED's time_precision: 1 a day, 2 a week or a few days, 3 a month or
//!   longer.
//! - `geojson`: a FeatureCollection with one Point per event whose place the gazetteer locates.
//! - `plover`: one JSON object per line with the fields of the PLOVER interchange format (id, date,
//!   source, source_country, target/recipient, event, mode, context, event_loc, event_text, cite_info …).

use crate::query::EventRecord;
use crate::{Store, StoreError};
use peacetrack_extract::Gazetteer;
use serde_json::json;
use std::io::Write;

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines.
    Jsonl,
    /// ACLED-style CSV.
    Csv,
    /// GeoJSON.
    Geojson,
    /// PLOVER JSON Lines.
    Plover,
}

impl Format {
    /// Parses `jsonl`, `csv`, `geojson` or `plover`.
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "geojson" => Some(Format::Geojson),
            "plover" => Some(Format::Plover),
            _ => None,
        }
    }
}

/// ACLED's time precision code for a precision name.
pub fn acled_precision(precision: &str) -> u8 {
    match precision {
        "day" => 1,
        "week" => 2,
        _ => 3,
    }
}

/// The two sides of an event for tabular formats: actor 1 and its associates, actor 2 and its
/// associates. Named actors first; without them, the countries stand in.
fn sides(e: &EventRecord) -> (String, Vec<String>, String, Vec<String>) {
    let names: Vec<String> = if e.actors.is_empty() {
        e.countries.clone()
    } else {
        e.actors.clone()
    };
    let first = names.first().cloned().unwrap_or_default();
    let second = names.get(1).cloned().unwrap_or_default();
    let rest: Vec<String> = names.iter().skip(2).cloned().collect();
    let assoc1 = if e.actors.is_empty() {
        Vec::new()
    } else {
        e.countries.first().cloned().into_iter().collect()
    };
    let assoc2 = if e.actors.is_empty() {
        rest
    } else {
        e.countries
            .get(1)
            .cloned()
            .into_iter()
            .chain(rest)
            .collect()
    };
    (first, assoc1, second, assoc2)
}

fn location(e: &EventRecord, g: &Gazetteer) -> (Option<String>, Option<f64>, Option<f64>) {
    match e.place.as_deref().and_then(|p| g.place(p)) {
        Some(p) => (p.country.clone(), Some(p.lat), Some(p.lon)),
        None => (e.countries.first().cloned(), None, None),
    }
}

impl Store {
    /// Writes every event in `format`; returns how many.
    pub fn export(
        &mut self,
        format: Format,
        gazetteer: &Gazetteer,
        out: &mut dyn Write,
    ) -> Result<usize, StoreError> {
        let events = self.all_events(false)?;
        let io = |e: std::io::Error| StoreError::Invalid(format!("writing the export: {e}"));
        match format {
            Format::Jsonl => {
                for e in &events {
                    serde_json::to_writer(&mut *out, e).map_err(|e| io(e.into()))?;
                    out.write_all(b"\n").map_err(io)?;
                }
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(&mut *out);
                let header = [
                    "event_id",
                    "event_date",
                    "time_precision",
                    "event_type",
                    "sub_event_type",
                    "actor1",
                    "assoc_actor_1",
                    "actor2",
                    "assoc_actor_2",
                    "country",
                    "location",
                    "latitude",
                    "longitude",
                    "source",
                    "source_count",
                    "status",
                    "conflicts",
                    "notes",
                ];
                w.write_record(header)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                for e in &events {
                    let (a1, as1, a2, as2) = sides(e);
                    let (country, lat, lon) = location(e, gazetteer);
                    let mut docs: Vec<&str> = e.sources.iter().map(|s| s.doc.as_str()).collect();
                    docs.dedup();
                    let notes = e.sources.first().map(|s| s.text.as_str()).unwrap_or("");
                    let record = [
                        e.id.clone(),
                        e.date.clone().unwrap_or_default(),
                        if e.date.is_some() {
                            acled_precision(&e.precision).to_string()
                        } else {
                            String::new()
                        },
                        e.kind.clone(),
                        e.mode.clone(),
                        a1,
                        as1.join("; "),
                        a2,
                        as2.join("; "),
                        country.unwrap_or_default(),
                        e.place.clone().unwrap_or_default(),
                        lat.map(|v| v.to_string()).unwrap_or_default(),
                        lon.map(|v| v.to_string()).unwrap_or_default(),
                        docs.join("; "),
                        e.sources.len().to_string(),
                        e.status.clone(),
                        if e.conflicts.is_empty() {
                            String::new()
                        } else {
                            serde_json::to_string(&e.conflicts).unwrap_or_default()
                        },
                        notes.split_whitespace().collect::<Vec<_>>().join(" "),
                    ];
                    w.write_record(&record)
                        .map_err(|e| StoreError::Invalid(e.to_string()))?;
                }
                w.flush().map_err(io)?;
            }
            Format::Geojson => {
                let features: Vec<serde_json::Value> = events
                    .iter()
                    .filter_map(|e| {
                        let p = gazetteer.place(e.place.as_deref()?)?;
                        Some(json!({
                            "type": "Feature",
                            "id": e.id,
                            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                            "properties": {
                                "id": e.id, "type": e.kind, "mode": e.mode, "date": e.date,
                                "precision": e.precision, "actors": e.actors, "countries": e.countries,
                                "place": e.place, "sources": e.sources.len(),
                            }
                        }))
                    })
                    .collect();
                let n = features.len();
                serde_json::to_writer_pretty(
                    &mut *out,
                    &json!({"type": "FeatureCollection", "features": features}),
                )
                .map_err(|e| io(e.into()))?;
                out.write_all(b"\n").map_err(io)?;
                return Ok(n);
            }
            Format::Plover => {
                for e in &events {
                    let (a1, _, a2, _) = sides(e);
                    let (country, lat, lon) = location(e, gazetteer);
                    let record = json!({
                        "id": e.id,
                        "date": e.date,
                        "date_precision": e.precision,
                        "source": a1,
                        "source_country": e.countries.first(),
                        "target": a2,
                        "recipient": a2,
                        "recipient_country": e.countries.get(1),
                        "actors": e.actors,
                        "countries": e.countries,
                        "event": e.kind,
                        "mode": e.mode,
                        "context": [],
                        "event_loc": {"name": e.place, "country": country, "lat": lat, "lon": lon},
                        "event_text": e.sources.first().map(|s| s.text.as_str()),
                        "cite_info": e.sources.iter().map(|s| json!({
                            "doc": s.doc, "doc_id": s.doc_id, "start": s.start, "end": s.end,
                        })).collect::<Vec<_>>(),
                        "conflicts": e.conflicts,
                    });
                    serde_json::to_writer(&mut *out, &record).map_err(|e| io(e.into()))?;
                    out.write_all(b"\n").map_err(io)?;
                }
            }
        }
        Ok(events.len())
    }
}
