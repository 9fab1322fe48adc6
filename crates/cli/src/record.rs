//! The record commands: `ingest` and the listings over the store (`timeline`, `events`, `show`,
//! `actors`, `places`, `documents`, `document`, `conditions`, `search`, `export`).
//!
//! `ingest` reads and extracts documents in parallel (rayon, one batch at a time so memory stays
//! flat in corpus size) while a writer thread stores the previous batch in one transaction; a
//! document that cannot be read is reported as `PATH: problem` and the rest are stored.

use crate::extract::{exit_code, guarded, report};
use crate::output::{Listing, clip, print};
use crate::{IngestArgs, ListingArgs, QueryArgs, ReviewArgs};
use anyhow::Context as _;
use peacetrack_extract::pipeline::{self, Engines};
use peacetrack_read::{ReadOptions, collect_inputs, read_input};
use peacetrack_store::{
    BatchSummary, DocOutcome, EventChanges, EventFilter, EventRecord, Prepared, ReviewAction,
    ReviewEntry, ReviewRequest, ReviewTarget, Store, prepare,
};
use rayon::prelude::*;
use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

/// Bytes in a MiB.
const MIB: u64 = 1024 * 1024;

/// Runs `peacetrack ingest`.
pub fn ingest(db: &str, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut store = Store::open(db)?;
    // Memory stays flat however large the store grows; the log is checkpointed in larger steps.
    store.for_bulk_writes()?;
    let rules = store.rules().clone();
    let engines = Engines::load()?;
    let opts = ReadOptions {
        max_bytes: args.max_size.saturating_mul(MIB),
    };
    let (inputs, errors) = collect_inputs(&args.paths);
    let mut failed: Vec<String> = Vec::new();
    for error in &errors {
        report(&error.to_string());
        failed.push(error.to_string());
    }
    let bar = if std::io::stderr().is_terminal() && !args.quiet {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} documents ({per_sec}, eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };

    // The writer thread stores batch N while the workers extract batch N+1.
    let (tx, rx) = mpsc::sync_channel::<Vec<Prepared>>(1);
    let writer = std::thread::spawn(move || -> Result<(Store, BatchSummary), anyhow::Error> {
        let mut total = BatchSummary::default();
        for batch in rx {
            let s = store.write_batch(&batch)?;
            total.outcomes.extend(s.outcomes);
            total.claims += s.claims;
            total.blocks += s.blocks;
        }
        Ok((store, total))
    });
    let batch_size = args.batch.max(1);
    let mut writer_gone = false;
    for chunk in inputs.chunks(batch_size) {
        let results: Vec<Result<(Prepared, Vec<String>), String>> = chunk
            .par_iter()
            .map(|input| {
                let doc = read_input(input, &opts).map_err(|e| e.to_string())?;
                let analysis = guarded(|| pipeline::analyse(&engines, &doc, args.doc_date))
                    .map_err(|panic| {
                        format!(
                            "{}: extraction failed on this document (a bug: {panic})",
                            doc.path
                        )
                    })?;
                let warnings = doc
                    .warnings
                    .iter()
                    .map(|w| format!("{}: warning: {w}", doc.path))
                    .collect();
                Ok((prepare(&doc, &analysis, &rules), warnings))
            })
            .collect();
        let mut batch = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok((p, warnings)) => {
                    for w in warnings {
                        bar.suspend(|| report(&w));
                    }
                    batch.push(p);
                }
                Err(e) => {
                    bar.suspend(|| report(&e));
                    failed.push(e);
                }
            }
        }
        bar.inc(chunk.len() as u64);
        if tx.send(batch).is_err() {
            writer_gone = true;
            break;
        }
    }
    drop(tx);
    bar.finish_and_clear();
    let (mut store, total) = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the store writer failed"))?
        .with_context(|| format!("writing to {}", store_name(db)))?;
    if writer_gone {
        anyhow::bail!("the store writer stopped early");
    }
    let counts = store.counts()?;
    let merged = store
        .conn()
        .query_one("SELECT COUNT(*) FROM events WHERE n_docs > 1", &[])?
        .map_or(0, |r| r[0].int());
    let count = |o: DocOutcome| total.outcomes.iter().filter(|&&x| x == o).count();
    let summary = serde_json::json!({
        "store": store.location().display(),
        "documents": {
            "new": count(DocOutcome::New),
            "replaced": count(DocOutcome::Replaced),
            "unchanged": count(DocOutcome::Unchanged),
            "failed": failed.len(),
        },
        "claims_written": total.claims,
        "store_totals": counts,
        "events_from_several_documents": merged,
        "seconds": (started.elapsed().as_secs_f64() * 100.0).round() / 100.0,
    });
    if args.json {
        println!("{summary}");
    } else {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "ingested into {}: {} new, {} replaced, {} unchanged, {} failed documents; {} event claims written; \
             the store holds {} documents, {} events ({} reported by several documents), {} conditions; {:.1} s",
            store.location().display(),
            count(DocOutcome::New),
            count(DocOutcome::Replaced),
            count(DocOutcome::Unchanged),
            failed.len(),
            total.claims,
            counts.documents,
            counts.events,
            merged,
            counts.conditions,
            started.elapsed().as_secs_f64()
        );
        if !failed.is_empty() {
            let _ = writeln!(err, "failed:");
            for f in &failed {
                let _ = writeln!(err, "  {f}");
            }
        }
    }
    Ok(exit_code(!failed.is_empty()))
}

fn store_name(db: &str) -> String {
    peacetrack_store::Location::parse(db).display()
}

fn open(db: &str) -> anyhow::Result<Store> {
    Ok(Store::open_existing(db)?)
}

fn filter(q: &QueryArgs, undated: bool) -> EventFilter {
    EventFilter {
        actor: q.actor.clone(),
        country: q.country.clone(),
        kind: q.r#type.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        place: q.place.clone(),
        doc: q.doc.clone(),
        all: q.all,
        undated,
        reviewed_out: false,
        limit: q.limit,
        offset: q.offset,
    }
}

const EVENT_COLUMNS: [&str; 9] = [
    "date",
    "precision",
    "type",
    "mode",
    "actors",
    "countries",
    "place",
    "sources",
    "id",
];

fn event_row(e: &EventRecord) -> Vec<String> {
    let mut date = e.date.clone().unwrap_or_else(|| "—".into());
    if !e.conflicts.is_empty() {
        date.push_str(" (!)");
    }
    let mut docs: Vec<&str> = e.sources.iter().map(|s| s.doc.as_str()).collect();
    docs.dedup();
    vec![
        date,
        e.precision.clone(),
        e.kind.clone(),
        e.mode.clone(),
        e.actors.join(", "),
        e.countries.join(" "),
        e.place.clone().unwrap_or_default(),
        format!("{} ({})", e.sources.len(), docs.join(", ")),
        e.id.clone(),
    ]
}

/// `timeline` (dated events, in date order) and `events` (every event, undated last).
pub fn events(db: &str, q: &QueryArgs, timeline: bool) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let mut events = store.events(&filter(q, false))?;
    if !timeline {
        // Undated events follow the dated ones.
        let mut f = filter(q, true);
        f.limit = None;
        f.offset = 0;
        let undated: Vec<EventRecord> = store
            .events(&f)?
            .into_iter()
            .filter(|e| e.date.is_none())
            .collect();
        events.extend(undated);
    }
    let format = Listing::from_flags(q.listing.json, q.listing.csv);
    print(format, &events, &EVENT_COLUMNS, event_row)?;
    if format == Listing::Table && events.iter().any(|e| !e.conflicts.is_empty()) {
        eprintln!("(!) the sources disagree on the date: see `peacetrack show ID`");
    }
    Ok(ExitCode::SUCCESS)
}

/// `show EVENT_ID`.
pub fn show(db: &str, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let e = store.event(id)?;
    if json {
        println!("{}", serde_json::to_string(&e)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    out.push_str(&format!(
        "{}  {} / {}\n  date: {} ({})\n  actors: {}\n  countries: {}\n  place: {}\n  status: {}\n",
        e.id,
        e.kind,
        e.mode,
        e.date.as_deref().unwrap_or("—"),
        e.precision,
        e.actors.join(", "),
        e.countries.join(" "),
        e.place.as_deref().unwrap_or("—"),
        e.status
    ));
    for c in &e.conflicts {
        out.push_str(&format!("  conflict on {}:\n", c.field));
        for v in &c.values {
            out.push_str(&format!(
                "    {} — claimed by {}\n",
                v.value,
                v.claims.join(", ")
            ));
        }
    }
    out.push_str(&format!("  {} sources:\n", e.sources.len()));
    for s in &e.sources {
        out.push_str(&format!(
            "  - {} [{}..{}] {} {}{}\n    “{}”\n",
            s.doc,
            s.start,
            s.end,
            s.kind,
            s.mode,
            s.date
                .as_deref()
                .map(|d| format!(", {d}"))
                .unwrap_or_default(),
            clip(&s.text, 400)
        ));
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// `actors`.
pub fn actors(db: &str, l: &ListingArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let rows = store.actors()?;
    print(
        Listing::from_flags(l.json, l.csv),
        &rows,
        &["actor", "events", "first", "last"],
        |a| {
            vec![
                a.name.clone(),
                a.events.to_string(),
                a.first.clone().unwrap_or_default(),
                a.last.clone().unwrap_or_default(),
            ]
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `places`.
pub fn places(db: &str, l: &ListingArgs, all: bool) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let engines = peacetrack_extract::Extractor::load_default()?;
    let rows = store.places(engines.gazetteer(), all)?;
    print(
        Listing::from_flags(l.json, l.csv),
        &rows,
        &["place", "kind", "country", "lat", "lon", "events"],
        |p| {
            vec![
                p.name.clone(),
                p.kind.clone().unwrap_or_default(),
                p.country.clone().unwrap_or_default(),
                p.lat.map(|v| format!("{v:.4}")).unwrap_or_default(),
                p.lon.map(|v| format!("{v:.4}")).unwrap_or_default(),
                p.events.to_string(),
            ]
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `documents`.
pub fn documents(db: &str, l: &ListingArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let rows = store.documents()?;
    print(
        Listing::from_flags(l.json, l.csv),
        &rows,
        &[
            "name",
            "title",
            "date",
            "date source",
            "bytes",
            "events",
            "conditions",
            "id",
        ],
        |d| {
            vec![
                d.name.clone(),
                clip(d.title.as_deref().unwrap_or(""), 50),
                d.date.clone().unwrap_or_default(),
                d.date_source.clone(),
                d.bytes.to_string(),
                d.claims.to_string(),
                d.conditions.to_string(),
                d.id.clone(),
            ]
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `document DOC`: the text with its extracted items.
pub fn document(db: &str, doc: &str, json: bool) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let d = store.document(doc)?;
    if json {
        println!("{}", serde_json::to_string(&d)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} ({}), {} bytes, date {} ({})",
        d.info.name,
        d.info.id,
        d.info.bytes,
        d.info.date.as_deref().unwrap_or("unknown"),
        d.info.date_source
    );
    for item in &d.items {
        let text = d.text.get(item.start..item.end).unwrap_or_default();
        println!(
            "  {:>6}..{:<6} {:<9} {:<20} {}",
            item.start,
            item.end,
            item.kind,
            clip(&item.label, 20),
            clip(text, 70)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `conditions` as the documents state them.
pub fn conditions(db: &str, l: &ListingArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let rows = store.conditions()?;
    print(
        Listing::from_flags(l.json, l.csv),
        &rows,
        &["what", "requires", "asserted by", "doc", "span"],
        |c| {
            vec![
                clip(&c.what, 50),
                clip(&c.requires, 50),
                c.asserted_by.clone().unwrap_or_default(),
                c.doc.clone(),
                format!("{}..{}", c.start, c.end),
            ]
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `search TEXT`.
pub fn search(db: &str, text: &str, limit: usize, l: &ListingArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let hits = store.search(text, limit)?;
    let format = Listing::from_flags(l.json, l.csv);
    let marked = |h: &peacetrack_store::search::Hit| {
        // The snippet with every match between » «.
        let mut s = String::new();
        let mut at = 0;
        for &(a, b) in &h.highlights {
            if a < at || b > h.snippet.len() {
                continue;
            }
            s.push_str(&h.snippet[at..a]);
            s.push('»');
            s.push_str(&h.snippet[a..b]);
            s.push('«');
            at = b;
        }
        s.push_str(&h.snippet[at..]);
        s
    };
    print(
        format,
        &hits,
        &["kind", "title", "score", "snippet", "id"],
        |h| {
            vec![
                h.kind.clone(),
                clip(&h.title, 40),
                format!("{:.3}", h.score),
                if format == Listing::Csv {
                    h.snippet.clone()
                } else {
                    marked(h)
                },
                h.id.clone(),
            ]
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `export --format F [--out FILE]`.
pub fn export(db: &str, format: &str, out: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let fmt = peacetrack_store::export::Format::parse(format).ok_or_else(|| {
        anyhow::anyhow!("--format {format}: expected jsonl, csv, geojson or plover")
    })?;
    let mut store = open(db)?;
    let x = peacetrack_extract::Extractor::load_default()?;
    let n = match out {
        Some(path) => {
            // Written beside the target and renamed: never a half-written export.
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let mut tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("{}: cannot write here", path.display()))?;
            let n = {
                let mut w = std::io::BufWriter::new(tmp.as_file_mut());
                let n = store.export(fmt, x.gazetteer(), &mut w)?;
                w.flush()?;
                n
            };
            tmp.persist(path)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            n
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let n = store.export(fmt, x.gazetteer(), &mut w)?;
            w.flush()?;
            n
        }
    };
    eprintln!("exported {n} events");
    Ok(ExitCode::SUCCESS)
}

/// `review`.
pub fn review(db: &str, r: &ReviewArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let mut changes = EventChanges::default();
    for set in &r.set {
        let (field, value) = set
            .split_once('=')
            .with_context(|| format!("--set {set}: expected FIELD=VALUE"))?;
        let slot = match field.trim() {
            "type" => &mut changes.kind,
            "mode" => &mut changes.mode,
            "date" => &mut changes.date,
            "place" => &mut changes.place,
            other => anyhow::bail!("--set {set}: {other} is not a field (type, mode, date, place)"),
        };
        *slot = Some(value.to_string());
    }
    let action = if r.accept {
        ReviewAction::Accept
    } else if r.reject {
        ReviewAction::Reject
    } else if r.reset {
        ReviewAction::Reset
    } else if r.merge_into.is_some() {
        ReviewAction::Merge
    } else {
        ReviewAction::Edit
    };
    let reviewer = r
        .reviewer
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "analyst".into());
    let entry = store.review(&ReviewRequest {
        target: if r.condition {
            ReviewTarget::Condition
        } else {
            ReviewTarget::Event
        },
        id: r.id.clone(),
        action,
        reviewer,
        changes,
        into: r.merge_into.clone(),
        note: r.note.clone(),
    })?;
    if r.json {
        println!("{}", serde_json::to_string(&entry)?);
    } else {
        print_entry(&entry);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_entry(e: &ReviewEntry) {
    println!(
        "#{} {} {} {} {} {}{}",
        e.seq,
        e.at,
        e.reviewer,
        e.action,
        e.target,
        e.id,
        e.note
            .as_deref()
            .map(|n| format!("  ({})", clip(n, 80)))
            .unwrap_or_default()
    );
    println!("  before: {}", e.before);
    println!("  after:  {}", e.after);
}

/// `reviews`.
pub fn reviews(db: &str, id: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    for e in store.review_log(id)? {
        if json {
            println!("{}", serde_json::to_string(&e)?);
        } else {
            print_entry(&e);
        }
    }
    Ok(ExitCode::SUCCESS)
}
