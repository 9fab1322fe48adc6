//! `peacetrack extract`: reads documents and prints what is extracted from them.
//!
//! Documents are streamed: each is read, dated, tagged, printed and dropped before the next is read,
//! so memory stays flat however large the corpus.
//!
//! - **Document date** (the reference for relative expressions): `--doc-date` (`given`), else the date
//!   the document states (`stated`), else one inferred from its content (`inferred`), else none
//!   (`unknown`). Dating and tagging are [`crate::pipeline::analyse`], shared with `eval --gold` and
//!   `bench`.
//! - **Output**: JSON Lines (`--jsonl`, the default when stdout is not a terminal) — per document a
//!   `{"kind":"document",…}` line, then a `{"kind":"timex",…}` line per temporal expression, whose
//!   `start`/`end` are byte offsets into the document text (the file's own bytes for UTF-8 `.txt`) and
//!   `text` is the text there; or a readable table per document (`--table`, the default on a terminal).
//! - **Failures**: each input that cannot be read is reported on stderr as `PATH: problem` (warnings as
//!   `PATH: warning: …`) and the others are still processed; the exit code is then 1. A panic of the
//!   temporal tagger on one document is caught and reported the same way (it is a bug to fix, but
//!   it costs one document, not the batch). A closed stdout (`| head`) ends the run quietly.

use crate::ExtractArgs;
use crate::pipeline::{self, Analysis, DocDate};
use anyhow::Context;
use comfy_table::{ContentArrangement, Table, presets};
use peacetrack_read::{Document, Format, ReadOptions, collect_inputs, read_input};
use peacetrack_time::{Tagger, Timex, TimexType};
use serde::Serialize;
use std::any::Any;
use std::cell::RefCell;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::sync::Once;

/// Bytes in a MiB (`--max-size` is given in MiB).
const MIB: u64 = 1024 * 1024;

/// Runs `peacetrack extract`.
pub fn run(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let tagger = Tagger::new().context("loading the temporal rules")?;
    let opts = ReadOptions {
        max_bytes: args.max_size.saturating_mul(MIB),
    };
    let stdout = io::stdout();
    let table = if args.jsonl {
        false
    } else {
        args.table || stdout.is_terminal()
    };
    let mut out = BufWriter::new(stdout.lock());
    let (inputs, errors) = collect_inputs(&args.paths);
    let mut failed = !errors.is_empty();
    for error in &errors {
        report(&error.to_string());
    }
    for input in &inputs {
        let doc = match read_input(input, &opts) {
            Ok(doc) => doc,
            Err(error) => {
                failed = true;
                report(&error.to_string());
                continue;
            }
        };
        for warning in &doc.warnings {
            report(&format!("{}: warning: {warning}", doc.path));
        }
        // A tagger bug must cost one document, not the batch.
        let Analysis { date, timexes } =
            match guarded(|| pipeline::analyse(&tagger, &doc, args.doc_date)) {
                Ok(analysis) => analysis,
                Err(panic) => {
                    failed = true;
                    report(&format!(
                        "{}: the temporal tagger failed on this document (a bug: {panic})",
                        doc.path
                    ));
                    continue;
                }
            };
        let written = if table {
            write_table(&mut out, &doc, &date, &timexes)
        } else {
            write_jsonl(&mut out, &doc, &date, &timexes)
        };
        match written.and_then(|()| out.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(exit_code(failed)),
            Err(e) => return Err(anyhow::anyhow!("writing the output: {e}")),
        }
    }
    Ok(exit_code(failed))
}

fn exit_code(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

thread_local! {
    /// `Some` while [`guarded`] runs; then holds the message of a panic caught there.
    static GUARD: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

static INSTALL_HOOK: Once = Once::new();

/// Runs `f`; a panic inside it becomes `Err("message at file:line:col")` and is not printed (the
/// caller reports it). Panics outside `guarded` reach the previously installed hook as before.
fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    INSTALL_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let caught = GUARD.with(|g| match g.borrow_mut().as_mut() {
                Some(slot) => {
                    let location = info
                        .location()
                        .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
                        .unwrap_or_default();
                    *slot = Some(format!("{}{location}", panic_text(info.payload())));
                    true
                }
                None => false,
            });
            if !caught {
                previous(info);
            }
        }));
    });
    GUARD.with(|g| *g.borrow_mut() = Some(None));
    let result = catch_unwind(AssertUnwindSafe(f));
    let message = GUARD.with(|g| g.borrow_mut().take()).flatten();
    result.map_err(|payload| message.unwrap_or_else(|| panic_text(&*payload)))
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// One line on stderr; a closed stderr is not worth a panic.
fn report(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// The `{"kind":"document",…}` line.
#[derive(Serialize)]
struct DocumentLine<'a> {
    kind: &'static str,
    doc: &'a str,
    path: &'a str,
    format: Format,
    date: Option<&'a str>,
    date_source: &'static str,
    title: Option<&'a str>,
    author: Option<&'a str>,
    bytes: usize,
    warnings: &'a [String],
}

/// A `{"kind":"timex",…}` line.
#[derive(Serialize)]
struct TimexLine<'a> {
    kind: &'static str,
    doc: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(rename = "type")]
    timex_type: TimexType,
    value: &'a str,
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    modifier: Option<&'a str>,
}

/// The text of a span, or `""` (with a warning) for a span the text does not have.
fn span_text<'a>(doc: &'a Document, timex: &Timex) -> &'a str {
    match doc.text.get(timex.start..timex.end) {
        Some(text) => text,
        None => {
            report(&format!(
                "{}: warning: the tagger returned the span {}..{}, which is not in the text",
                doc.path, timex.start, timex.end
            ));
            ""
        }
    }
}

fn write_jsonl(
    out: &mut impl Write,
    doc: &Document,
    dated: &DocDate,
    timexes: &[Timex],
) -> io::Result<()> {
    let line = DocumentLine {
        kind: "document",
        doc: &doc.name,
        path: &doc.path,
        format: doc.format,
        date: dated.value.as_deref(),
        date_source: dated.source.as_str(),
        title: doc.title.as_deref(),
        author: doc.author.as_deref(),
        bytes: doc.text.len(),
        warnings: &doc.warnings,
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")?;
    for timex in timexes {
        let line = TimexLine {
            kind: "timex",
            doc: &doc.name,
            start: timex.start,
            end: timex.end,
            text: span_text(doc, timex),
            timex_type: timex.kind,
            value: &timex.value,
            modifier: timex.modifier.as_deref(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn write_table(
    out: &mut impl Write,
    doc: &Document,
    dated: &DocDate,
    timexes: &[Timex],
) -> io::Result<()> {
    writeln!(
        out,
        "{} ({}, {} bytes)",
        doc.path,
        doc.format,
        doc.text.len()
    )?;
    match &dated.value {
        Some(value) => writeln!(out, "  date:   {value} ({})", dated.source)?,
        None => writeln!(out, "  date:   unknown")?,
    }
    if let Some(title) = &doc.title {
        writeln!(out, "  title:  {title}")?;
    }
    if let Some(author) = &doc.author {
        writeln!(out, "  author: {author}")?;
    }
    if timexes.is_empty() {
        writeln!(out, "  no temporal expressions found")?;
        return writeln!(out);
    }
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["text", "type", "value", "start", "end"]);
    for timex in timexes {
        let text = one_line(span_text(doc, timex));
        let value = match &timex.modifier {
            Some(modifier) => format!("{} (mod {modifier})", timex.value),
            None => timex.value.clone(),
        };
        table.add_row(vec![
            text,
            timex.kind.as_str().to_string(),
            value,
            timex.start.to_string(),
            timex.end.to_string(),
        ]);
    }
    writeln!(out, "{table}")?;
    writeln!(out)
}

/// Line breaks and tabs shown as spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}
