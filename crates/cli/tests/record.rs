//! End-to-end tests of the record (`ingest`, `timeline`, `events`, `show`, `search`, `export` …),
//! run against both backends: an SQLite file always, and PostgreSQL when `PEACETRACK_PG_URL` names a
//! server (each test creates and drops its own database). CI sets `PEACETRACK_REQUIRE_PG=1`, so the
//! PostgreSQL runs cannot be skipped there.

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

impl Run {
    fn json(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "stderr: {}\nstdout: {}",
            self.stderr, self.stdout
        );
        self
    }
}

fn run(db: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_peacetrack"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PEACETRACK_DB")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    Run {
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
        code: out.status.code().unwrap_or(-1),
    }
}

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.join("corpus").is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var_os("PEACETRACK_REQUIRE_SHARED").is_none(),
            "PEACETRACK_REQUIRE_SHARED is set but ../shared/corpus is missing"
        );
        eprintln!("skipping: ../shared/corpus is not checked out beside the workspace");
        None
    }
}

/// A fresh store location per test: an SQLite file in `dir`, or a new PostgreSQL database.
enum Db {
    Sqlite(PathBuf),
    Postgres {
        admin: String,
        url: String,
        name: String,
    },
}

impl Db {
    fn url(&self) -> String {
        match self {
            Db::Sqlite(p) => format!("sqlite:{}", p.display()),
            Db::Postgres { url, .. } => url.clone(),
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Db::Postgres { admin, name, .. } = self
            && let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls)
        {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

static N: AtomicUsize = AtomicUsize::new(0);

/// The stores each test runs against.
fn stores(dir: &Path) -> Vec<Db> {
    let n = N.fetch_add(1, Ordering::SeqCst);
    let mut out = vec![Db::Sqlite(dir.join(format!("store{n}.db")))];
    match std::env::var("PEACETRACK_PG_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("peacetrack_test_{}_{n}", std::process::id());
            let mut c = postgres::Client::connect(&admin, postgres::NoTls)
                .unwrap_or_else(|e| panic!("PEACETRACK_PG_URL={admin}: {e}"));
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .expect("an old test database can be dropped");
            c.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("a test database can be created");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            let url = format!("{base}/{name}");
            out.push(Db::Postgres { admin, url, name });
        }
        _ => {
            assert!(
                std::env::var_os("PEACETRACK_REQUIRE_PG").is_none(),
                "PEACETRACK_REQUIRE_PG is set but PEACETRACK_PG_URL is not"
            );
            eprintln!("PostgreSQL skipped: PEACETRACK_PG_URL is not set");
        }
    }
    out
}

fn counts(db: &str) -> Value {
    let docs = run(db, &["documents", "--json"]).ok().json();
    let events = run(db, &["events", "--all", "--json"]).ok().json();
    let conditions = run(db, &["conditions", "--json"]).ok().json();
    let sources: usize = events
        .iter()
        .map(|e| e["sources"].as_array().map_or(0, Vec::len))
        .sum();
    let ids: BTreeSet<String> = events
        .iter()
        .map(|e| e["id"].as_str().unwrap_or_default().to_string())
        .collect();
    serde_json::json!({
        "documents": docs.len(),
        "events": events.len(),
        "sources": sources,
        "conditions": conditions.len(),
        "ids": ids,
    })
}

#[test]
fn the_sample_corpus_becomes_one_record_and_reingesting_changes_nothing() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let tmp = tempfile::tempdir().unwrap();
    for store in stores(tmp.path()) {
        let db = store.url();
        let first = run(&db, &["ingest", "--json", corpus.to_str().unwrap()]).ok();
        let summary: Value = serde_json::from_str(first.stdout.trim()).unwrap();
        assert_eq!(summary["documents"]["new"], 5, "{db}: {summary}");
        let before = counts(&db);
        assert_eq!(before["documents"], 5);
        assert!(before["events"].as_u64().unwrap() > 50, "{before}");

        // Again: nothing new, the same record.
        let again = run(&db, &["ingest", "--json", corpus.to_str().unwrap()]).ok();
        let summary: Value = serde_json::from_str(again.stdout.trim()).unwrap();
        assert_eq!(summary["documents"]["unchanged"], 5, "{db}: {summary}");
        assert_eq!(summary["documents"]["new"], 0);
        assert_eq!(summary["claims_written"], 0);
        assert_eq!(counts(&db), before, "{db}: re-ingesting changed the record");

        // The Kılıç–Rubinyan meeting in Moscow: one event, sources in two documents.
        let moscow = run(
            &db,
            &[
                "timeline", "--actor", "kilic", "--place", "Moscow", "--type", "consult", "--json",
            ],
        )
        .ok()
        .json();
        let meeting: Vec<&Value> = moscow
            .iter()
            .filter(|e| {
                let docs: BTreeSet<&str> = e["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["doc"].as_str().unwrap())
                    .collect();
                docs.len() >= 2
            })
            .collect();
        assert_eq!(meeting.len(), 1, "{db}: {moscow:#?}");
        let m = meeting[0];
        assert_eq!(m["date"], "2022-01-14");
        assert_eq!(m["precision"], "day");
        assert_eq!(m["place"], "Moscow");
        for key in [
            "id",
            "type",
            "mode",
            "date",
            "precision",
            "actors",
            "countries",
            "place",
            "sources",
            "conflicts",
        ] {
            assert!(m.get(key).is_some(), "{key} missing: {m}");
        }
        // Every source's span is its text, in its document.
        for s in m["sources"].as_array().unwrap() {
            let path = corpus.join(s["doc"].as_str().unwrap());
            let text = fs::read_to_string(&path).unwrap();
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(text[a..b].trim(), s["text"].as_str().unwrap());
        }
        // `show` has every source with its quote.
        let id = m["id"].as_str().unwrap();
        let shown = run(&db, &["show", &id[..10]]).ok().stdout;
        assert!(
            shown.contains(id) && shown.contains("2 sources") || shown.contains("sources:"),
            "{shown}"
        );
        assert!(shown.matches("“").count() >= 2, "{shown}");

        // A timeline is in date order and shows precision; filters narrow it.
        let all = run(&db, &["timeline", "--json"]).ok().json();
        let firsts: Vec<String> = all
            .iter()
            .map(|e| e["date"].as_str().unwrap_or_default().to_string())
            .collect();
        assert!(all.iter().all(|e| !e["date"].is_null()));
        let year_only = all
            .iter()
            .find(|e| e["precision"] == "year")
            .expect("a year-only event");
        assert_eq!(
            year_only["date"].as_str().unwrap().len(),
            4,
            "shown as a year, not 1 January"
        );
        assert!(firsts.len() > 20);
        let narrowed = run(
            &db,
            &[
                "timeline",
                "--country",
                "TUR",
                "--from",
                "2022",
                "--to",
                "2022-06",
                "--json",
            ],
        )
        .ok()
        .json();
        assert!(!narrowed.is_empty());
        for e in &narrowed {
            let d = e["date"].as_str().unwrap();
            assert!(d.starts_with("2022"), "{e}");
            assert!(
                e["countries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c == "TUR")
            );
        }
        let page = run(
            &db,
            &["timeline", "--limit", "3", "--offset", "2", "--json"],
        )
        .ok()
        .json();
        let ids = |v: &[Value]| v.iter().map(|e| e["id"].clone()).collect::<Vec<_>>();
        assert_eq!(ids(&page), ids(&all[2..5]));
        let by_doc = run(
            &db,
            &["timeline", "--doc", "002_50caa1aed49d2e81", "--json"],
        )
        .ok()
        .json();
        assert!(!by_doc.is_empty());
        assert!(by_doc.iter().all(|e| {
            e["sources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["doc"] == "002_50caa1aed49d2e81.txt")
        }));

        // Listings in all three forms.
        let table = run(&db, &["actors"]).ok().stdout;
        assert!(table.contains("Serdar Kılıç"), "{table}");
        let csv = run(&db, &["places", "--csv"]).ok().stdout;
        assert!(
            csv.starts_with("place,kind,country,lat,lon,events"),
            "{csv}"
        );
        assert!(
            csv.lines().any(|l| l.starts_with("Moscow,capital,RUS,55.")),
            "{csv}"
        );
        // With --all, the gazetteer's places without events too (the border crossings).
        let all = run(&db, &["places", "--all", "--json"]).ok().json();
        assert!(all.len() > csv.lines().count() - 1);
        assert!(
            all.iter()
                .any(|p| p["kind"] == "crossing" && p["events"] == 0 && p["lat"].is_f64()),
            "{all:?}"
        );
        let docs = run(&db, &["documents", "--json"]).ok().json();
        assert!(
            docs.iter()
                .all(|d| d["id"].as_str().unwrap().starts_with("doc-"))
        );
        let detail: Value = serde_json::from_str(
            &run(&db, &["document", "002_50caa1aed49d2e81", "--json"])
                .ok()
                .stdout,
        )
        .unwrap();
        let text = detail["text"].as_str().unwrap();
        for item in detail["items"].as_array().unwrap() {
            let (a, b) = (
                item["start"].as_u64().unwrap() as usize,
                item["end"].as_u64().unwrap() as usize,
            );
            assert!(
                a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b)
            );
        }
    }
}

#[test]
fn search_is_ranked_folded_and_highlighted() {
    let Some(shared) = shared() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for store in stores(tmp.path()) {
        let db = store.url();
        run(
            &db,
            &["ingest", "--quiet", shared.join("corpus").to_str().unwrap()],
        )
        .ok();
        for q in ["kilic", "Kılıç", "KILIC"] {
            let hits = run(&db, &["search", q, "--json"]).ok().json();
            assert!(hits.iter().any(|h| h["kind"] == "document"), "{db} {q}");
            assert!(hits.iter().any(|h| h["kind"] == "event"), "{db} {q}");
            for h in &hits {
                let s = h["snippet"].as_str().unwrap();
                let marks = h["highlights"].as_array().unwrap();
                // An event may be found by its actors (resolved from "his counterpart") rather
                // than by its evidence; a document is always found by its text.
                assert!(!marks.is_empty() || h["kind"] == "event", "{h}");
                for m in marks {
                    let (a, b) = (
                        m[0].as_u64().unwrap() as usize,
                        m[1].as_u64().unwrap() as usize,
                    );
                    let word = &s[a..b];
                    assert!(
                        ["Kılıç", "Kilic", "KILIC", "Kılıç's", "Kiliç"]
                            .iter()
                            .any(|w| word.starts_with(&w[..1])),
                        "{word}"
                    );
                }
            }
            let scores: Vec<f64> = hits
                .iter()
                .filter(|h| h["kind"] == "document")
                .map(|h| h["score"].as_f64().unwrap())
                .collect();
            assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        }
        // A phrase must match as a phrase.
        let phrase = run(&db, &["search", "\"Serdar Kılıç\"", "--json"])
            .ok()
            .json();
        assert!(!phrase.is_empty());
        let reversed = run(&db, &["search", "\"Kılıç Serdar\"", "--json"])
            .ok()
            .json();
        assert!(reversed.is_empty(), "{reversed:?}");
        let none = run(&db, &["search", "zzqxv", "--json"]).ok().json();
        assert!(none.is_empty());
    }
}

#[test]
fn exports_follow_their_formats() {
    let Some(shared) = shared() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for store in stores(tmp.path()) {
        let db = store.url();
        run(
            &db,
            &["ingest", "--quiet", shared.join("corpus").to_str().unwrap()],
        )
        .ok();
        let events = run(&db, &["events", "--json"]).ok().json();

        let csv_path = tmp.path().join("events.csv");
        run(
            &db,
            &[
                "export",
                "--format",
                "csv",
                "--out",
                csv_path.to_str().unwrap(),
            ],
        )
        .ok();
        let csv = fs::read_to_string(&csv_path).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        for col in [
            "event_id",
            "event_date",
            "time_precision",
            "event_type",
            "sub_event_type",
            "actor1",
            "assoc_actor_1",
            "actor2",
            "country",
            "location",
            "latitude",
            "longitude",
            "source",
            "notes",
        ] {
            assert!(
                header.iter().any(|h| h == col),
                "{col} missing from {header:?}"
            );
        }
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), events.len());
        let moscow = rows
            .iter()
            .find(|r| &r[10] == "Moscow")
            .expect("a Moscow row");
        assert!(
            moscow[11].starts_with("55.") && moscow[12].starts_with("37."),
            "{moscow:?}"
        );

        let geo: Value =
            serde_json::from_str(&run(&db, &["export", "--format", "geojson"]).ok().stdout)
                .unwrap();
        assert_eq!(geo["type"], "FeatureCollection");
        let features = geo["features"].as_array().unwrap();
        assert!(!features.is_empty());
        for f in features {
            let c = f["geometry"]["coordinates"].as_array().unwrap();
            assert!(c[0].as_f64().unwrap().abs() <= 180.0 && c[1].as_f64().unwrap().abs() <= 90.0);
        }

        let plover = run(&db, &["export", "--format", "plover"]).ok().json();
        assert_eq!(plover.len(), events.len());
        for p in &plover {
            for key in [
                "id",
                "date",
                "source",
                "recipient",
                "event",
                "mode",
                "event_loc",
                "event_text",
                "cite_info",
            ] {
                assert!(p.get(key).is_some(), "{key} missing: {p}");
            }
        }
        let jsonl = run(&db, &["export"]).ok().json();
        assert_eq!(jsonl, events);
        let bad = run(&db, &["export", "--format", "xml"]);
        assert_eq!(bad.code, 2, "{}", bad.stderr);
    }
}

/// Copies of the sample articles, each made distinct by an invented closing line.
fn many_documents(corpus: &Path, dir: &Path, copies: usize) -> usize {
    fs::create_dir_all(dir).unwrap();
    let mut n = 0;
    for entry in fs::read_dir(corpus).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        for i in 0..copies {
            let body =
                format!("{text}\n\nEditor's note {i}: this copy is number {i} of the test set.\n");
            fs::write(dir.join(format!("{stem}_{i:03}.txt")), body).unwrap();
            n += 1;
        }
    }
    n
}

#[test]
fn arrival_order_and_changed_documents() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let tmp = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for (a, b) in stores(tmp.path()).into_iter().zip(stores(tmp.path())) {
        // One by one in reverse order gives the same events and ids as all at once.
        run(&a.url(), &["ingest", "--quiet", corpus.to_str().unwrap()]).ok();
        for f in files.iter().rev() {
            run(&b.url(), &["ingest", "--quiet", f.to_str().unwrap()]).ok();
        }
        assert_eq!(counts(&a.url()), counts(&b.url()));
        // The same events, ids, sources and conflicts, whether re-clustered once or five times.
        let listing = |url: &str| run(url, &["events", "--all", "--json"]).ok().stdout;
        let all_at_once = listing(&a.url());
        assert!(all_at_once.lines().count() > 50, "{all_at_once}");
        assert_eq!(all_at_once, listing(&b.url()));

        // A changed document (same path, new content) replaces its facts.
        let dir = tmp.path().join(format!("changing-{}", a.url().len()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("article.txt");
        let original = fs::read_to_string(&files[2]).unwrap();
        fs::write(&path, format!("{original}\n\nA line only this copy has.\n")).unwrap();
        let db = a.url();
        run(&db, &["ingest", "--quiet", path.to_str().unwrap()]).ok();
        let with = counts(&db);
        assert_eq!(with["documents"], 6);
        let text = fs::read_to_string(&files[2]).unwrap();
        let cut = &text[..text.len() / 3];
        fs::write(&path, cut).unwrap();
        let r = run(&db, &["ingest", "--json", path.to_str().unwrap()]).ok();
        let summary: Value = serde_json::from_str(r.stdout.trim()).unwrap();
        assert_eq!(summary["documents"]["replaced"], 1, "{summary}");
        let after = counts(&db);
        assert_eq!(after["documents"], 6);
        assert!(
            after["sources"].as_u64() < with["sources"].as_u64(),
            "{with} {after}"
        );
        let detail: Value =
            serde_json::from_str(&run(&db, &["document", "article", "--json"]).ok().stdout)
                .unwrap();
        assert_eq!(detail["text"].as_str().unwrap(), cut);
    }
}

#[test]
fn bad_inputs_and_foreign_files_are_refused_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("a.txt");
    fs::write(
        &doc,
        "Armenia and Azerbaijan met in Vienna on 14 January 2022.",
    )
    .unwrap();
    let missing = tmp.path().join("missing.txt");

    for store in stores(tmp.path()) {
        let db = store.url();
        // A missing file fails; the rest is stored; exit 1.
        let r = run(
            &db,
            &[
                "ingest",
                "--quiet",
                missing.to_str().unwrap(),
                doc.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("missing.txt"), "{}", r.stderr);
        assert_eq!(counts(&db)["documents"], 1);
        // An unknown event id is a clear error.
        let r = run(&db, &["show", "ev-nothing"]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("no such event"), "{}", r.stderr);
    }

    // Not a database: refused, never overwritten.
    let junk = tmp.path().join("notes.db");
    fs::write(&junk, "these are my notes, not a database\n").unwrap();
    let r = run(junk.to_str().unwrap(), &["ingest", doc.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a peacetrack store"), "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(&junk).unwrap(),
        "these are my notes, not a database\n"
    );

    // Another application's SQLite database: refused, untouched.
    let other = tmp.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let r = run(other.to_str().unwrap(), &["ingest", doc.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a peacetrack store"), "{}", r.stderr);

    // A store from a newer peacetrack: refused with a clear message.
    let newer = tmp.path().join("newer.db");
    run(
        newer.to_str().unwrap(),
        &["ingest", "--quiet", doc.to_str().unwrap()],
    )
    .ok();
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (999, 'future', '', '0')",
            [],
        )
        .unwrap();
    }
    let r = run(newer.to_str().unwrap(), &["timeline"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("newer than this peacetrack"),
        "{}",
        r.stderr
    );

    // Reading a store that does not exist does not create one.
    let none = tmp.path().join("none.db");
    let r = run(none.to_str().unwrap(), &["timeline"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no store here yet"), "{}", r.stderr);
    assert!(!none.exists());
}

#[test]
fn a_killed_ingest_loses_nothing_and_a_rerun_completes_it() {
    let Some(shared) = shared() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("many");
    let total = many_documents(&shared.join("corpus"), &docs, 40);
    for (interrupted, reference) in stores(tmp.path()).into_iter().zip(stores(tmp.path())) {
        let db = interrupted.url();
        let mut child = Command::new(env!("CARGO_BIN_EXE_peacetrack"))
            .args([
                "--db",
                &db,
                "ingest",
                "--quiet",
                "--batch",
                "4",
                docs.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until some documents (not all) are committed, then kill -9.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
        let mut seen = 0;
        while std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
            let r = run(&db, &["documents", "--json"]);
            if r.code == 0 {
                seen = r.json().len();
                if seen >= 8 {
                    break;
                }
            }
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
        }
        child.kill().ok(); // SIGKILL
        child.wait().ok();
        assert!(
            seen > 0 && seen < total,
            "{db}: the kill came at {seen} of {total} documents"
        );

        // The store opens cleanly and holds only whole documents.
        let partial = counts(&db);
        assert!(partial["documents"].as_u64().unwrap() < total as u64);
        // A re-run completes it: the same record as an uninterrupted run.
        run(&db, &["ingest", "--quiet", docs.to_str().unwrap()]).ok();
        run(
            &reference.url(),
            &["ingest", "--quiet", docs.to_str().unwrap()],
        )
        .ok();
        let done = counts(&db);
        assert_eq!(done["documents"], total);
        assert_eq!(done, counts(&reference.url()), "{db}");
    }
}

#[test]
fn reviews_apply_survive_reingest_and_are_audited() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let tmp = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for store in stores(tmp.path()) {
        let db = store.url();
        run(&db, &["ingest", "--quiet", corpus.to_str().unwrap()]).ok();
        let events = run(&db, &["events", "--json"]).ok().json();
        let single: Vec<&Value> = events
            .iter()
            .filter(|e| e["sources"].as_array().map_or(0, Vec::len) == 1)
            .collect();
        let id = |e: &Value| e["id"].as_str().unwrap().to_string();
        let first_claim = |e: &Value| {
            e["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["claim"].as_str().unwrap().to_string())
                .min()
                .unwrap()
        };
        // Three events of the first document: one edited, one rejected, one merged into a fourth.
        let doc0 = files[0].file_name().unwrap().to_str().unwrap();
        let of_doc0: Vec<&&Value> = single
            .iter()
            .filter(|e| e["sources"][0]["doc"] == doc0)
            .collect();
        assert!(of_doc0.len() >= 4, "{}", of_doc0.len());
        let (edited, rejected, merged, kept) = (of_doc0[0], of_doc0[1], of_doc0[2], of_doc0[3]);
        let anchor = first_claim(edited);

        let e = run(
            &db,
            &[
                "review",
                &id(edited),
                "--set",
                "date=2021-03",
                "--set",
                "place=Testville",
                "--reviewer",
                "alice",
                "--note",
                "checked against the source",
                "--json",
            ],
        )
        .ok()
        .json();
        assert_eq!(e[0]["reviewer"], "alice");
        assert_eq!(e[0]["before"]["review"], Value::Null);
        assert_eq!(e[0]["after"]["date"], "2021-03");
        assert_eq!(e[0]["after"]["precision"], "month");
        assert_eq!(e[0]["after"]["review"], "edited");
        run(
            &db,
            &["review", &id(rejected), "--reject", "--reviewer", "bob"],
        )
        .ok();
        run(
            &db,
            &[
                "review",
                &id(merged),
                "--merge-into",
                &id(kept),
                "--reviewer",
                "bob",
            ],
        )
        .ok();
        // A bad edit changes nothing and logs nothing.
        let bad = run(
            &db,
            &[
                "review",
                &id(kept),
                "--set",
                "type=NOPE",
                "--reviewer",
                "eve",
            ],
        );
        assert_ne!(bad.code, 0);
        assert!(
            bad.stderr.contains("NOPE is not a PLOVER type"),
            "{}",
            bad.stderr
        );
        assert_eq!(run(&db, &["reviews", "--json"]).ok().json().len(), 3);

        let check = |db: &str| {
            let listed = run(db, &["events", "--json"]).ok().json();
            let holding = |claim: &str| {
                listed.iter().find(|e| {
                    e["sources"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|s| s["claim"] == claim)
                })
            };
            let ed = holding(&anchor).expect("the edited event is listed");
            assert_eq!(ed["date"], "2021-03", "{ed}");
            assert_eq!(ed["place"], "Testville");
            assert_eq!(ed["review"], "edited");
            let at_place = run(db, &["timeline", "--place", "testville", "--json"])
                .ok()
                .json();
            assert!(at_place.iter().any(|e| e["id"] == ed["id"]));
            assert!(
                holding(&first_claim(rejected)).is_none(),
                "rejected is hidden"
            );
            let merged_claim = first_claim(merged);
            assert!(
                listed
                    .iter()
                    .all(|e| e["review"] != "merged" && e["review"] != "rejected")
            );
            // The merged event's sources are listed with the event it was merged into.
            let kept_now = holding(&first_claim(kept)).expect("kept is listed");
            let shown: Value = serde_json::from_str(
                &run(db, &["show", kept_now["id"].as_str().unwrap(), "--json"])
                    .ok()
                    .stdout,
            )
            .unwrap();
            assert!(
                shown["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["claim"] == merged_claim.as_str()),
                "{shown}"
            );
            assert_eq!(shown["merged_from"].as_array().map_or(0, Vec::len), 1);
            let all = run(db, &["events", "--json", "--all"]).ok().json();
            assert!(all.len() < events.len() + 20);
        };
        check(&db);

        // Re-ingesting the same files changes nothing; a copy of the first document (new path,
        // one more line) re-clusters its blocks, and the reviews are applied again.
        run(&db, &["ingest", "--quiet", corpus.to_str().unwrap()]).ok();
        check(&db);
        let copy = tmp.path().join(format!("copy-{}.txt", db.len()));
        let text = fs::read_to_string(&files[0]).unwrap();
        fs::write(&copy, format!("{text}\n\nOne line only the copy has.\n")).unwrap();
        run(&db, &["ingest", "--quiet", copy.to_str().unwrap()]).ok();
        check(&db);

        // The audit trail of an item, under its current id.
        let listed = run(&db, &["events", "--json"]).ok().json();
        let now = listed
            .iter()
            .find(|e| {
                e["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["claim"] == anchor.as_str())
            })
            .unwrap();
        let trail = run(&db, &["reviews", now["id"].as_str().unwrap(), "--json"])
            .ok()
            .json();
        assert_eq!(trail.len(), 1, "{trail:?}");
        assert_eq!(trail[0]["note"], "checked against the source");

        // Conditions: accept or reject only; a rejected one stays listed with its verdict.
        let conditions = run(&db, &["conditions", "--json"]).ok().json();
        let cid = conditions[0]["id"].as_str().unwrap().to_string();
        let no = run(
            &db,
            &[
                "review",
                &cid,
                "--condition",
                "--set",
                "date=2020",
                "--reviewer",
                "bob",
            ],
        );
        assert_ne!(no.code, 0);
        run(
            &db,
            &[
                "review",
                &cid,
                "--condition",
                "--reject",
                "--reviewer",
                "bob",
            ],
        )
        .ok();
        let conditions = run(&db, &["conditions", "--json"]).ok().json();
        let c = conditions.iter().find(|c| c["id"] == cid.as_str()).unwrap();
        assert_eq!(c["review"], "rejected");
    }
}
