//! `peacetrack extract`: reads documents and prints what is extracted from them.
//!
//! Documents are streamed: each is read, dated, tagged, printed and dropped before the next is read,
//! so memory stays flat however large the corpus.
//!
//! - **Document date** (the reference for relative expressions): `--doc-date` (`given`), else the date
//!   the document states (`stated`), else one inferred from its content (`inferred`), else none
//!   (`unknown`). Dating and tagging are [`peacetrack_extract::pipeline::analyse`], shared with `eval --gold` and
//!   `bench`.
//! - **Output**: JSON Lines (`--jsonl`, the default when stdout is not a terminal) — per document a
//!   `{"kind":"document",…}` line, then a `{"kind":"timex",…}` line per temporal expression, whose
//!   `start`/`end` are byte offsets into the document text (the file's own bytes for UTF-8 `.txt`) and
//!   `text` is the text there; then a `{"kind":"event",…}` line per event (type, mode, date, actors,
//!   countries, place, the evidence sentence's span and text, the negated/hypothetical/future flags)
//!   and a `{"kind":"condition",…}` line per condition (what, requires, asserted_by, span, text); or
//!   readable tables per document (`--table`, the default on a terminal).
//! - **Failures**: each input that cannot be read is reported on stderr as `PATH: problem` (warnings as
//!   `PATH: warning: …`) and the others are still processed; the exit code is then 1. A panic of the
//!   temporal tagger on one document is caught and reported the same way (it is a bug to fix, but
//!   it costs one document, not the batch). A closed stdout (`| head`) ends the run quietly.

use crate::ExtractArgs;
use comfy_table::{ContentArrangement, Table, presets};
use peacetrack_extract::pipeline::{self, Analysis};
use peacetrack_extract::{Condition, Event};
use peacetrack_read::{Document, Format, ReadOptions, collect_inputs, read_input};
use peacetrack_time::{Timex, TimexType};
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
    let engines = pipeline::Engines::load()?;
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
        let analysis = match guarded(|| pipeline::analyse(&engines, &doc, args.doc_date)) {
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
            write_table(&mut out, &doc, &analysis)
        } else {
            write_jsonl(&mut out, &doc, &analysis)
        };
        match written.and_then(|()| out.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(exit_code(failed)),
            Err(e) => return Err(anyhow::anyhow!("writing the output: {e}")),
        }
    }
    Ok(exit_code(failed))
}

pub(crate) fn exit_code(failed: bool) -> ExitCode {
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
pub(crate) fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, String> {
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
pub(crate) fn report(line: &str) {
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
    /// The milestone that dated the document, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    date_milestone: Option<MilestoneLine<'a>>,
    title: Option<&'a str>,
    author: Option<&'a str>,
    bytes: usize,
    warnings: &'a [String],
}

/// The `date_milestone` of a document line: the dated milestone the document reports without its
/// year, which dated the document after it, with the evidence.
#[derive(Serialize)]
struct MilestoneLine<'a> {
    label: &'a str,
    date: String,
    start: usize,
    end: usize,
    text: &'a str,
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

/// An `{"kind":"event",…}` line.
#[derive(Serialize)]
struct EventLine<'a> {
    kind: &'static str,
    doc: &'a str,
    #[serde(rename = "type")]
    event_type: &'a str,
    mode: &'a str,
    date: Option<&'a str>,
    actors: &'a [String],
    countries: &'a [String],
    place: Option<&'a str>,
    start: usize,
    end: usize,
    text: &'a str,
    trigger: &'a str,
    negated: bool,
    hypothetical: bool,
    future: bool,
}

/// A `{"kind":"condition",…}` line.
#[derive(Serialize)]
struct ConditionLine<'a> {
    kind: &'static str,
    doc: &'a str,
    what: &'a str,
    requires: &'a str,
    asserted_by: Option<&'a str>,
    cue: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
}

/// The text of a timex's span, or `""` (with a warning) for a span the text does not have.
fn span_text<'a>(doc: &'a Document, timex: &Timex) -> &'a str {
    text_at(doc, timex.start, timex.end, "the tagger")
}

/// The text of `start..end`, or `""` (with a warning naming `who` found it) when the text does not
/// have that span.
fn text_at<'a>(doc: &'a Document, start: usize, end: usize, who: &str) -> &'a str {
    match doc.text.get(start..end) {
        Some(text) => text,
        None => {
            report(&format!(
                "{}: warning: {who} returned the span {start}..{end}, which is not in the text",
                doc.path
            ));
            ""
        }
    }
}

fn event_line<'a>(doc: &'a Document, e: &'a Event) -> EventLine<'a> {
    EventLine {
        kind: "event",
        doc: &doc.name,
        event_type: &e.kind,
        mode: &e.mode,
        date: e.date.as_deref(),
        actors: &e.actors,
        countries: &e.countries,
        place: e.place.as_deref(),
        start: e.start,
        end: e.end,
        text: text_at(doc, e.start, e.end, "the event finder"),
        trigger: &e.trigger,
        negated: e.negated,
        hypothetical: e.hypothetical,
        future: e.future,
    }
}

fn condition_line<'a>(doc: &'a Document, c: &'a Condition) -> ConditionLine<'a> {
    ConditionLine {
        kind: "condition",
        doc: &doc.name,
        what: &c.what,
        requires: &c.requires,
        asserted_by: c.asserted_by.as_deref(),
        cue: &c.cue,
        start: c.start,
        end: c.end,
        text: text_at(doc, c.start, c.end, "the condition finder"),
    }
}

fn write_jsonl(out: &mut impl Write, doc: &Document, analysis: &Analysis) -> io::Result<()> {
    let dated = &analysis.date;
    let line = DocumentLine {
        kind: "document",
        doc: &doc.name,
        path: &doc.path,
        format: doc.format,
        date: dated.value.as_deref(),
        date_source: dated.source.as_str(),
        date_milestone: dated.milestone.as_ref().map(|m| MilestoneLine {
            label: &m.label,
            date: m.date.to_string(),
            start: m.start,
            end: m.end,
            text: text_at(doc, m.start, m.end, "the milestone dating"),
        }),
        title: doc.title.as_deref(),
        author: doc.author.as_deref(),
        bytes: doc.text.len(),
        warnings: &doc.warnings,
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")?;
    for timex in &analysis.timexes {
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
    for event in &analysis.events {
        serde_json::to_writer(&mut *out, &event_line(doc, event))?;
        out.write_all(b"\n")?;
    }
    for condition in &analysis.conditions {
        serde_json::to_writer(&mut *out, &condition_line(doc, condition))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn write_table(out: &mut impl Write, doc: &Document, analysis: &Analysis) -> io::Result<()> {
    let dated = &analysis.date;
    let timexes = &analysis.timexes;
    writeln!(
        out,
        "{} ({}, {} bytes)",
        doc.path,
        doc.format,
        doc.text.len()
    )?;
    match &dated.value {
        Some(value) => match &dated.milestone {
            Some(m) => writeln!(
                out,
                "  date:   {value} ({}: after {}, {}, reported at bytes {}-{})",
                dated.source, m.label, m.date, m.start, m.end
            )?,
            None => writeln!(out, "  date:   {value} ({})", dated.source)?,
        },
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
    } else {
        write_timex_table(out, doc, timexes)?;
    }
    write_event_table(out, doc, &analysis.events)?;
    for c in &analysis.conditions {
        writeln!(
            out,
            "  condition: {} ⇐ {}{}",
            one_line(&c.what),
            one_line(&c.requires),
            c.asserted_by
                .as_deref()
                .map(|a| format!(" (asserted by {a})"))
                .unwrap_or_default()
        )?;
    }
    writeln!(out)
}

/// A table that fits the terminal; when the terminal reports no usable width (a pipe to a pager, a
/// pseudo-terminal of width 0), 120 columns rather than one character per column.
fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if table.width().is_none_or(|w| w < 60) {
        table.set_width(120);
    }
    table
}

fn write_timex_table(out: &mut impl Write, doc: &Document, timexes: &[Timex]) -> io::Result<()> {
    let mut table = new_table();
    table.set_header(vec!["text", "type", "value", "start", "end"]);
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
    writeln!(out, "{table}")
}

/// The events as a table; flagged events show their flags.
fn write_event_table(out: &mut impl Write, doc: &Document, events: &[Event]) -> io::Result<()> {
    if events.is_empty() {
        return writeln!(out, "  no events found");
    }
    let mut table = new_table();
    table.set_header(vec![
        "event",
        "date",
        "actors",
        "countries",
        "place",
        "flags",
        "trigger",
        "start",
        "end",
    ]);
    for e in events {
        let flags: Vec<&str> = [
            (e.negated, "negated"),
            (e.hypothetical, "hypothetical"),
            (e.future, "future"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| *name)
        .collect();
        let trigger = one_line(text_at(
            doc,
            e.trigger_span.start,
            e.trigger_span.end,
            "the event finder",
        ));
        table.add_row(vec![
            format!("{}/{}", e.kind, e.mode),
            e.date.clone().unwrap_or_else(|| "-".into()),
            e.actors.join(", "),
            e.countries.join(", "),
            e.place.clone().unwrap_or_else(|| "-".into()),
            flags.join(", "),
            trigger,
            e.start.to_string(),
            e.end.to_string(),
        ]);
    }
    writeln!(out, "{table}")
}

/// Line breaks and tabs shown as spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}
