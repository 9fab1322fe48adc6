//! How listings are printed: a readable table (the default), JSON Lines (`--json`) or CSV (`--csv`).

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use std::io::{self, Write};

/// The output format of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// A table for people.
    Table,
    /// One JSON object per line.
    Json,
    /// CSV with a header line.
    Csv,
}

impl Listing {
    /// From the `--json` / `--csv` flags.
    pub fn from_flags(json: bool, csv: bool) -> Listing {
        if json {
            Listing::Json
        } else if csv {
            Listing::Csv
        } else {
            Listing::Table
        }
    }
}

/// A table that fits the terminal (or 120 columns when the width is unknown).
pub fn new_table() -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if t.width().is_none_or(|w| w < 60) {
        t.set_width(120);
    }
    t
}

/// Prints `items` in the chosen format: JSON from the items themselves, table and CSV from
/// `columns` (header) and `row` (cells of one item).
pub fn print<T: Serialize>(
    format: Listing,
    items: &[T],
    columns: &[&str],
    row: impl Fn(&T) -> Vec<String>,
) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = (|| -> anyhow::Result<()> {
        match format {
            Listing::Json => {
                for item in items {
                    serde_json::to_writer(&mut out, item)?;
                    out.write_all(b"\n")?;
                }
            }
            Listing::Csv => {
                let mut w = csv::Writer::from_writer(&mut out);
                w.write_record(columns)?;
                for item in items {
                    w.write_record(row(item))?;
                }
                w.flush()?;
            }
            Listing::Table => {
                let mut t = new_table();
                t.set_header(columns.to_vec());
                for item in items {
                    t.add_row(row(item));
                }
                writeln!(out, "{t}")?;
                writeln!(
                    out,
                    "{} {}",
                    items.len(),
                    if items.len() == 1 { "row" } else { "rows" }
                )?;
            }
        }
        out.flush()?;
        Ok(())
    })();
    match result {
        Err(e)
            if e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// Shortens `s` to at most `n` characters, with an ellipsis, on one line.
pub fn clip(s: &str, n: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= n {
        one
    } else {
        let mut t: String = one.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
