//! The `peacetrack` binary: the command line, and the glue between the library crates.
//!
//! `main` only parses flags and turns the outcome into an exit code: 0 when everything went well, 1 when
//! some input failed (each failure was reported on stderr as `PATH: problem`), 2 for usage errors.

mod bench;
mod eval;
mod event_eval;
mod extract;
mod pipeline;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// peacetrack: a sourced, queryable record of a peace process from the articles written about it.
#[derive(Parser, Debug)]
#[command(name = "peacetrack", version, about, long_about = None)]
struct Cli {
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

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse::<jiff::civil::Date>()
        .map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Bench(args) => bench::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("peacetrack: {err:#}");
            ExitCode::from(2)
        }
    }
}
