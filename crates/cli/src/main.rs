//! The `peacetrack` binary: the command line, and the glue between the library crates.
//!
//! `main` only parses flags and turns the outcome into an exit code: 0 when everything went well, 1 when
//! some input failed (each failure was reported on stderr as `PATH: problem`), 2 for usage errors.

mod bench;
mod eval;
mod event_eval;
mod extract;
mod output;
mod process;
mod record;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// peacetrack: a sourced, queryable record of a peace process from the articles written about it.
#[derive(Parser, Debug)]
#[command(name = "peacetrack", version, about, long_about = None)]
struct Cli {
    /// The store: an SQLite file (`sqlite:PATH` or a path) or `postgres://…`.
    #[arg(
        long,
        global = true,
        env = "PEACETRACK_DB",
        default_value = "peacetrack.db",
        value_name = "URL"
    )]
    db: String,
    /// The case file (a case folder or its case.toml) for `issues`, `issue`, `conditions`,
    /// `scenario` and `timeline --key`; the store remembers the last one used.
    #[arg(long, global = true, env = "PEACETRACK_CASE", value_name = "PATH")]
    case: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read documents and print what is extracted from them (document metadata, temporal expressions).
    Extract(ExtractArgs),
    /// Score the extractors against annotated data (TimeML for the temporal tagger, or gold annotation
    /// files for document dates and temporal expressions).
    Eval(EvalArgs),
    /// Measure extraction throughput (MB/s) and peak memory on a set of documents.
    Bench(BenchArgs),
    /// Serve the JSON API (and an index page) over the store; reads need no token on loopback, every
    /// write needs `Authorization: Bearer $PEACETRACK_TOKEN` (one is generated and printed if unset).
    Serve {
        /// Where to listen (a non-loopback address needs PEACETRACK_TOKEN).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Largest upload, in MiB.
        #[arg(long, value_name = "MIB", default_value_t = 50)]
        max_size: usize,
    },
    /// Measure filtered timeline queries over a store (a synthetic one of --events events is
    /// generated into an empty store first): latency percentiles.
    BenchTimeline(BenchTimelineArgs),
    /// Load benchmark of the server: the timeline endpoint (`GET /api/events` with the filters of
    /// bench-timeline) over loopback with keep-alive connections: requests/s and latency percentiles.
    BenchServe(BenchServeArgs),
    /// Extract documents and store them, with every extracted item, in the record.
    Ingest(IngestArgs),
    /// Dated events in date order, with their precision.
    Timeline(QueryArgs),
    /// Every event (dated ones in date order, then undated ones).
    Events(QueryArgs),
    /// One event with every source: its quote and document.
    Show {
        /// The event's id (or a unique prefix of it).
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Review an extracted event or condition: accept, reject, correct, merge (kept across re-ingests,
    /// every action audited).
    Review(ReviewArgs),
    /// The review audit trail (who, when, the item before and after), of one item or of all.
    Reviews {
        /// An event or condition id.
        id: Option<String>,
        /// Print JSON Lines.
        #[arg(long)]
        json: bool,
    },
    /// The actors of the record.
    Actors(ListingArgs),
    /// The places of the record, with coordinates.
    Places {
        #[command(flatten)]
        listing: ListingArgs,
        /// Also every gazetteer place without events (border crossings, regions …).
        #[arg(long)]
        all: bool,
    },
    /// The documents of the record.
    Documents(ListingArgs),
    /// One document's text and every item extracted from it.
    Document {
        /// The document's id, name, or name without extension.
        doc: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The condition graph of the case (its conditions merged with those the documents state), with
    /// sources; without a case, the conditions the documents state.
    Conditions(ConditionsArgs),
    /// The issue board: each agenda issue of the case with its status, last change and sources.
    Issues(ListingArgs),
    /// One agenda issue: status history, positions of the parties, linked events.
    Issue {
        /// The issue's id or name.
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// What assumptions unblock, what still blocks, the shortest path to a goal and its probability.
    Scenario(ScenarioArgs),
    /// Full-text search over documents and events (words and "quoted phrases"; `kilic` finds Kılıç).
    Search {
        /// What to look for.
        #[arg(required = true)]
        text: Vec<String>,
        /// At most this many documents and this many events.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        listing: ListingArgs,
    },
    /// Export the events: JSON Lines, ACLED-style CSV, GeoJSON or PLOVER.
    Export {
        /// jsonl, csv, geojson or plover.
        #[arg(long, default_value = "jsonl")]
        format: String,
        /// Write here instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(clap::Args, Debug)]
struct BenchTimelineArgs {
    /// Events to generate when the store is empty.
    #[arg(long, default_value_t = 1_000_000)]
    events: usize,
    /// Queries to time.
    #[arg(long, default_value_t = 2_000)]
    queries: usize,
    /// Events per page.
    #[arg(long, default_value_t = 100)]
    limit: usize,
}

#[derive(clap::Args, Debug)]
struct BenchServeArgs {
    /// Synthetic events to generate when the store is empty.
    #[arg(long, default_value_t = 100_000)]
    events: usize,
    /// Connections kept open at once (each sends its next request when the last is answered).
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// How long to send requests, in seconds (after a one-second warm-up).
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Events per page.
    #[arg(long, default_value_t = 100)]
    limit: usize,
}

#[derive(clap::Args, Debug)]
struct ConditionsArgs {
    /// Only the chain of requirements under this outcome (ISSUE=STATE).
    #[arg(long, value_name = "ISSUE=STATE")]
    goal: Option<String>,
    /// Graphviz DOT.
    #[arg(long, conflicts_with_all = ["mermaid", "statements"])]
    dot: bool,
    /// Mermaid.
    #[arg(long, conflicts_with = "statements")]
    mermaid: bool,
    /// The conditions as the documents state them, even with a case.
    #[arg(long)]
    statements: bool,
    #[command(flatten)]
    listing: ListingArgs,
}

#[derive(clap::Args, Debug)]
struct ScenarioArgs {
    /// An outcome taken as realised (ISSUE=STATE); repeat for several.
    #[arg(long, value_name = "ISSUE=STATE")]
    assume: Vec<String>,
    /// The outcome to reach.
    #[arg(long, value_name = "ISSUE=STATE")]
    goal: Option<String>,
    /// A probability: CONDITION_ID=P for a condition, ISSUE=STATE=P for a leaf outcome (over the
    /// case file's); repeat for several.
    #[arg(long = "prob", value_name = "NAME=P")]
    probabilities: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct IngestArgs {
    /// The documents' date (YYYY-MM-DD); overrides any date stated in or inferred from a document.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    doc_date: Option<jiff::civil::Date>,
    /// Largest file read, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 50)]
    max_size: u64,
    /// Documents per transaction.
    #[arg(long, default_value_t = 256)]
    batch: usize,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Files or directories (recursive) of .txt, .html/.htm and .pdf; `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// A review action.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("action").required(true).args(["accept", "reject", "reset", "merge_into", "set"])))]
struct ReviewArgs {
    /// The event's id (or a unique prefix), or with --condition the condition's id.
    id: String,
    /// The id names a condition statement (accept, reject or reset only).
    #[arg(long)]
    condition: bool,
    /// The item is right.
    #[arg(long)]
    accept: bool,
    /// The item is wrong: listings leave it out.
    #[arg(long)]
    reject: bool,
    /// Forget every review of the item.
    #[arg(long)]
    reset: bool,
    /// The event is the same as this other event.
    #[arg(long, value_name = "EVENT")]
    merge_into: Option<String>,
    /// Correct a field: type=PLOVER_TYPE, mode=…, date=ISO (any precision), place=…; an empty value
    /// removes the correction. Repeatable.
    #[arg(long, value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// Who reviews.
    #[arg(long, env = "PEACETRACK_REVIEWER")]
    reviewer: Option<String>,
    /// Why.
    #[arg(long)]
    note: Option<String>,
    /// Print the audit entry as JSON.
    #[arg(long)]
    json: bool,
}

/// How a listing is printed.
#[derive(clap::Args, Debug)]
struct ListingArgs {
    /// JSON Lines.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// CSV.
    #[arg(long)]
    csv: bool,
}

/// Event filters.
#[derive(clap::Args, Debug)]
struct QueryArgs {
    /// Only the N most important events (sources, type, issues touched), for a briefing.
    #[arg(long, value_name = "N")]
    key: Option<usize>,
    /// An actor: full name or any word of it (`kilic` finds Serdar Kılıç).
    #[arg(long)]
    actor: Option<String>,
    /// A party: ISO alpha-3 code, or EU.
    #[arg(long)]
    country: Option<String>,
    /// A PLOVER type (CONSULT, AGREE …).
    #[arg(long = "type")]
    r#type: Option<String>,
    /// On or after this date (2022, 2022-01 or 2022-01-14).
    #[arg(long)]
    from: Option<String>,
    /// On or before this date.
    #[arg(long)]
    to: Option<String>,
    /// A place.
    #[arg(long)]
    place: Option<String>,
    /// A document (id, name, or name without extension).
    #[arg(long)]
    doc: Option<String>,
    /// Also events not reported as having happened (negated, hypothetical, undated future).
    #[arg(long)]
    all: bool,
    /// At most this many.
    #[arg(long)]
    limit: Option<usize>,
    /// Skip this many first.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[command(flatten)]
    listing: ListingArgs,
}

/// Output format of `extract`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum OutputFormat {
    /// One JSON object per line.
    Jsonl,
    /// A readable summary per document.
    Table,
}

#[derive(clap::Args, Debug)]
struct ExtractArgs {
    /// Print JSON Lines (the default when stdout is not a terminal).
    #[arg(long, conflicts_with = "table")]
    jsonl: bool,
    /// Print a readable table per document (the default on a terminal).
    #[arg(long)]
    table: bool,
    /// The documents' date (YYYY-MM-DD); overrides any date stated in or inferred from a document.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    doc_date: Option<jiff::civil::Date>,
    /// Largest file read, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 50)]
    max_size: u64,
    /// Files or directories (recursive) of .txt, .html/.htm and .pdf; `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(clap::Args, Debug)]
#[command(
    group(
        clap::ArgGroup::new("annotations")
            .required(true)
            .args(["timeml", "gold"])
    ),
    override_usage = "peacetrack eval --timeml <DIR>... [--errors] [--json]\n       \
                      peacetrack eval --gold <DIR> <PATH>... [--errors] [--json]"
)]
struct EvalArgs {
    /// Directories (or files) of TimeML documents: runs the temporal tagger with each document's DCT as
    /// the reference date and prints TempEval-3 Task A figures.
    #[arg(long, value_name = "DIR", num_args = 1..)]
    timeml: Vec<PathBuf>,
    /// Directory of gold annotation files (`<document name without extension>.gold.json`) for the
    /// documents given as PATH: scores document dates and temporal expressions.
    #[arg(long, value_name = "DIR", requires = "paths")]
    gold: Option<PathBuf>,
    /// With --gold: the documents (files or directories, recursive) to extract from and score.
    #[arg(value_name = "PATH", requires = "gold")]
    paths: Vec<PathBuf>,
    /// Also list every missed, spurious and wrongly valued expression.
    #[arg(long)]
    errors: bool,
    /// Print the figures as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct BenchArgs {
    /// How many times the documents are processed (more repetitions, steadier figures).
    #[arg(long, default_value_t = 20)]
    repeat: usize,
    /// Files or directories of documents to process.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// `conditions`: the case's graph when a case is known, else the stated conditions.
fn conditions(cli: &Cli, c: &ConditionsArgs) -> anyhow::Result<ExitCode> {
    let has_case = cli.case.is_some()
        || peacetrack_store::Store::open_existing(&cli.db)
            .ok()
            .and_then(|mut s| s.info("case").ok().flatten())
            .is_some();
    if c.statements || !has_case {
        if c.goal.is_some() || c.dot || c.mermaid {
            anyhow::bail!("--goal, --dot and --mermaid need a case file: give --case PATH");
        }
        return record::conditions(&cli.db, &c.listing);
    }
    let format = if c.dot {
        process::GraphFormat::Dot
    } else if c.mermaid {
        process::GraphFormat::Mermaid
    } else if c.listing.json {
        process::GraphFormat::Json
    } else {
        process::GraphFormat::Text
    };
    process::conditions(&cli.db, cli.case.as_ref(), c.goal.as_deref(), format)
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse::<jiff::civil::Date>()
        .map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Serve { addr, max_size } => serve(&cli, *addr, *max_size),
        Command::BenchTimeline(args) => bench::timeline(&cli.db, args),
        Command::BenchServe(args) => bench::serve(&cli.db, args),
        Command::Ingest(args) => record::ingest(&cli.db, args),
        Command::Timeline(q) => match q.key {
            Some(n) => process::key_dates(&cli.db, cli.case.as_ref(), n, q.listing.json),
            None => record::events(&cli.db, q, true),
        },
        Command::Events(q) => record::events(&cli.db, q, false),
        Command::Show { id, json } => record::show(&cli.db, id, *json),
        Command::Review(r) => record::review(&cli.db, r),
        Command::Reviews { id, json } => record::reviews(&cli.db, id.as_deref(), *json),
        Command::Actors(l) => record::actors(&cli.db, l),
        Command::Places { listing, all } => record::places(&cli.db, listing, *all),
        Command::Documents(l) => record::documents(&cli.db, l),
        Command::Document { doc, json } => record::document(&cli.db, doc, *json),
        Command::Conditions(c) => conditions(&cli, c),
        Command::Issues(l) => process::issues(&cli.db, cli.case.as_ref(), l.json, l.csv),
        Command::Issue { name, json } => process::issue(&cli.db, cli.case.as_ref(), name, *json),
        Command::Scenario(s) => process::scenario(
            &cli.db,
            cli.case.as_ref(),
            &s.assume,
            s.goal.as_deref(),
            &s.probabilities,
            s.json,
        ),
        Command::Search {
            text,
            limit,
            listing,
        } => record::search(&cli.db, &text.join(" "), *limit, listing),
        Command::Export { format, out } => record::export(&cli.db, format, out.as_deref()),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("peacetrack: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// `serve`: remembers `--case` in the store (the server reads it from there), then serves.
fn serve(cli: &Cli, addr: std::net::SocketAddr, max_size: usize) -> anyhow::Result<ExitCode> {
    if let Some(case) = &cli.case {
        let mut store = peacetrack_store::Store::open(&cli.db)?;
        peacetrack_model::record::case_for(&mut store, Some(case))?;
    }
    let mut config = peacetrack_serve::ServeConfig::new(cli.db.clone(), addr);
    config.max_body = max_size.saturating_mul(1024 * 1024);
    peacetrack_serve::serve_blocking(config)?;
    Ok(ExitCode::SUCCESS)
}
