//! `peacetrack eval`: scores the extractors against annotated data.
//!
//! - **`--timeml DIR...`** scores the temporal tagger against TimeML documents (TempEval-3 Task A).
//!   Every document is tagged with its creation time (DCT) as the reference date. The report gives the
//!   relaxed and strict span figures, value F1 and type accuracy as percentages; `--errors` adds the
//!   missed, spurious and wrongly valued (or typed) expressions, most frequent texts first and then in
//!   full; `--json` prints the figures as one JSON object instead.
//! - **`--gold DIR PATH...`** scores the whole per-document pipeline (the one `extract` runs, see
//!   [`peacetrack_extract::pipeline`]) against gold annotation files: each document read from `PATH...` is scored
//!   against `DIR/<document name without extension>.gold.json`. See the `gold` module below for the
//!   figures.

use crate::EvalArgs;
use peacetrack_time::Tagger;
use peacetrack_time::timeml::{self, Errors, Prf, Scores};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Most frequent texts listed per error kind before the full list.
const TOP_GROUPS: usize = 25;

/// Runs `peacetrack eval`.
pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    match &args.gold {
        Some(dir) => gold::run(dir, &args.paths, args.errors, args.json),
        None => run_timeml(&args.timeml, args),
    }
}

/// Runs `peacetrack eval --timeml DIR...`.
fn run_timeml(dirs: &[PathBuf], args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let docs = match timeml::read_dir(dirs) {
        Ok(docs) => docs,
        Err(err) => {
            eprintln!("peacetrack: {err}");
            return Ok(ExitCode::from(1));
        }
    };
    let tagger = Tagger::new()?;
    let started = Instant::now();
    let mut scores = timeml::score(&docs, |doc| tagger.tag(&doc.text, doc.dct));
    let seconds = started.elapsed().as_secs_f64();
    let without_dct = docs.iter().filter(|d| d.dct.is_none()).count();

    if args.json {
        if !args.errors {
            scores.errors = Errors::default();
        }
        println!("{}", serde_json::to_string(&scores)?);
    } else {
        print!("{}", report(&scores, seconds, without_dct));
        if args.errors {
            print!("{}", error_report(&scores.errors));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn pct(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}

/// The figures as a readable report.
fn report(scores: &Scores, seconds: f64, without_dct: usize) -> String {
    let c = &scores.counts;
    let mut out = String::new();
    let _ = writeln!(out, "TimeML evaluation (TempEval-3 Task A)");
    let _ = writeln!(out, "  documents       {:>8}", scores.documents);
    if without_dct > 0 {
        let _ = writeln!(out, "  without DCT     {without_dct:>8}");
    }
    let _ = writeln!(out, "  gold timexes    {:>8}", c.gold);
    let _ = writeln!(out, "  system timexes  {:>8}", c.system);
    let _ = writeln!(out, "  tagging time    {seconds:>7.2}s");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  {:<14} {:>9} {:>9} {:>9} {:>8}",
        "", "precision", "recall", "F1", "correct"
    );
    let row = |out: &mut String, name: &str, p: &Prf| {
        let _ = writeln!(
            out,
            "  {:<14} {:>9} {:>9} {:>9} {:>8}",
            name,
            pct(p.precision),
            pct(p.recall),
            pct(p.f1),
            p.correct
        );
    };
    row(&mut out, "relaxed span", &scores.relaxed);
    row(&mut out, "strict span", &scores.strict);
    row(&mut out, "value", &scores.value);
    row(&mut out, "type", &scores.kind);
    let _ = writeln!(out);
    let _ = writeln!(out, "  value F1        {:>8}", pct(scores.value.f1));
    let _ = writeln!(
        out,
        "  value accuracy  {:>8}  (of relaxed matches)",
        pct(scores.value_accuracy)
    );
    let _ = writeln!(
        out,
        "  type accuracy   {:>8}  (of relaxed matches)",
        pct(scores.type_accuracy)
    );
    out
}

/// Lower case with whitespace collapsed: the key errors are grouped by.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Groups `items` by normalised text, most frequent first (ties alphabetically): (text, count, first
/// index).
fn groups<T>(items: &[T], text: impl Fn(&T) -> &str) -> Vec<(String, usize, usize)> {
    let mut by_text: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        by_text.entry(normalise(text(item))).or_insert((0, i)).0 += 1;
    }
    let mut groups: Vec<_> = by_text.into_iter().map(|(t, (n, i))| (t, n, i)).collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    groups
}

fn write_groups<T>(
    out: &mut String,
    items: &[T],
    text: impl Fn(&T) -> &str,
    example: impl Fn(&T) -> String,
) {
    let groups = groups(items, text);
    let shown = groups.len().min(TOP_GROUPS);
    let _ = writeln!(
        out,
        "  most frequent ({shown} of {} distinct texts):",
        groups.len()
    );
    for (t, n, first) in groups.iter().take(TOP_GROUPS) {
        let _ = writeln!(
            out,
            "  {n:>5}  {:<30} e.g. {}",
            format!("\"{t}\""),
            example(&items[*first])
        );
    }
}

/// The error lists: per kind, the most frequent texts, then every error.
fn error_report(errors: &Errors) -> String {
    let mut out = String::new();

    let _ = writeln!(out, "\nMissed gold expressions ({})", errors.missed.len());
    if !errors.missed.is_empty() {
        write_groups(
            &mut out,
            &errors.missed,
            |m| &m.text,
            |m| format!("{} {}", m.kind.as_str(), m.value),
        );
        let _ = writeln!(out, "  all:");
        for m in &errors.missed {
            let _ = writeln!(
                out,
                "    {}  \"{}\"  {} {}  | {}",
                m.doc,
                m.text,
                m.kind.as_str(),
                m.value,
                m.context
            );
        }
    }

    let _ = writeln!(
        out,
        "\nSpurious system expressions ({})",
        errors.spurious.len()
    );
    if !errors.spurious.is_empty() {
        write_groups(
            &mut out,
            &errors.spurious,
            |s| &s.text,
            |s| format!("{} {} [{}]", s.kind.as_str(), s.value, s.rule),
        );
        let _ = writeln!(out, "  all:");
        for s in &errors.spurious {
            let _ = writeln!(
                out,
                "    {}  \"{}\"  {} {}  [{}]  | {}",
                s.doc,
                s.text,
                s.kind.as_str(),
                s.value,
                s.rule,
                s.context
            );
        }
    }

    let _ = writeln!(out, "\nWrong values ({})", errors.wrong_value.len());
    if !errors.wrong_value.is_empty() {
        write_groups(
            &mut out,
            &errors.wrong_value,
            |w| &w.text,
            |w| {
                format!(
                    "gold {} system {} [{}]",
                    w.gold_value, w.system_value, w.rule
                )
            },
        );
        let _ = writeln!(out, "  all:");
        for w in &errors.wrong_value {
            let system_text = if w.system_text == w.text {
                String::new()
            } else {
                format!(" (system \"{}\")", w.system_text)
            };
            let _ = writeln!(
                out,
                "    {}  \"{}\"{}  gold {}  system {}  [{}]  | {}",
                w.doc, w.text, system_text, w.gold_value, w.system_value, w.rule, w.context
            );
        }
    }

    let _ = writeln!(out, "\nWrong types ({})", errors.wrong_type.len());
    for w in &errors.wrong_type {
        let _ = writeln!(
            out,
            "    {}  \"{}\"  gold {}  system {}  [{}]",
            w.doc,
            w.text,
            w.gold_type.as_str(),
            w.system_type.as_str(),
            w.rule
        );
    }
    out
}

/// `peacetrack eval --gold DIR PATH...`: the per-document pipeline scored against gold annotation files.
///
/// Each document read from `PATH...` is run through [`peacetrack_extract::pipeline::analyse`] (exactly what
/// `extract` does, without `--doc-date`) and scored against `DIR/<name without extension>.gold.json`
/// (schema: `shared/gold/SCHEMA.md`).
///
/// - **Temporal expressions.** Gold timexes carry a `text` and a `value` but no offsets, so each is
///   located in the document text: its *occurrences* are the places where its text appears exactly
///   (line breaks and no-break spaces included), as whole words where it begins or ends with a letter
///   or digit ("now" does not occur in "known"). Occurrences inside an occurrence of a longer gold text
///   ("January 2022" inside "24 January 2022") belong to that text: they are used only when the gold
///   lists a text more often than it occurs on its own, and then last. Gold entries are assigned
///   occurrences one-to-one, in order of occurrence: first every entry takes the first free occurrence
///   that a system expression with the gold value overlaps, then every entry left takes the first free
///   occurrence that any system expression overlaps. A gold timex is *found* when its occurrence is
///   overlapped by a system expression, *found with the right value* when that expression's value
///   equals the gold value. **Recall** = found / gold, **value accuracy** = right value / gold,
///   **precision** = system expressions overlapping an occurrence of some gold text / system
///   expressions.
/// - **Document dates.** The pipeline's date value is right when it is compatible with the gold
///   `doc_date`, or with `doc_date_inferred` when `doc_date` is null: equal, or one a prefix of the
///   other at a `-` boundary (`2022-04` and `2022-04-12`, `2024` and `2024-04`; not `2023` and `2024`).
///   Documents whose gold gives neither are not scored.
/// - **Events and conditions**: relaxed and strict event P/R/F1 with one-to-one matching, condition
///   recall and precision (the rules are in [`crate::event_eval`]); only events the text asserts are
///   scored.
///
/// A document that cannot be read or has no (readable) gold file is reported on stderr as
/// `PATH: problem`, the others are still scored, and the exit code is then 1.
mod gold {
    use super::pct;
    use crate::event_eval::{
        self, ConditionCounts, ConditionFigures, EventCounts, EventFigures, GoldCondition,
        GoldEvent, ItemError,
    };
    use peacetrack_extract::pipeline::{self, Analysis, DateSource, Engines};
    use peacetrack_read::{Document, ReadOptions, collect_inputs, read_input};
    use peacetrack_time::Timex;
    use serde::{Deserialize, Serialize};
    use std::collections::HashSet;
    use std::fmt::Write as _;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    /// Bytes of text shown on either side of an expression in the error lists.
    const CONTEXT_BYTES: usize = 40;

    /// One gold annotation file. Unknown fields (`notes`, …) are ignored.
    #[derive(Clone, Debug, Default, Deserialize)]
    pub(super) struct GoldFile {
        /// The file name of the annotated document.
        pub doc: String,
        /// The date the document states (ISO), if it states one.
        #[serde(default)]
        pub doc_date: Option<String>,
        /// The date inferred from the content (ISO, any precision) when `doc_date` is null.
        #[serde(default)]
        pub doc_date_inferred: Option<String>,
        /// Every temporal expression denoting a date or period, with its normalised value.
        #[serde(default)]
        pub timexes: Vec<GoldTimex>,
        /// Events the text asserts.
        #[serde(default)]
        pub events: Vec<GoldEvent>,
        /// Conditions.
        #[serde(default)]
        pub conditions: Vec<GoldCondition>,
    }

    /// A gold temporal expression: its text exactly as in the document, and its TIMEX3 value.
    #[derive(Clone, Debug, Deserialize)]
    pub(super) struct GoldTimex {
        pub text: String,
        pub value: String,
    }

    impl GoldFile {
        /// The expected document date and its kind (`stated` or `inferred`).
        fn expected_date(&self) -> Option<(&str, &'static str)> {
            match (&self.doc_date, &self.doc_date_inferred) {
                (Some(date), _) => Some((date, "stated")),
                (None, Some(date)) => Some((date, "inferred")),
                (None, None) => None,
            }
        }
    }

    /// The gold file of a document: `DIR/<file name without extension>.gold.json`.
    pub(super) fn gold_path(dir: &Path, doc_name: &str) -> PathBuf {
        let stem = Path::new(doc_name).file_stem().map_or_else(
            || doc_name.to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        dir.join(format!("{stem}.gold.json"))
    }

    fn load_gold(path: &Path) -> Result<GoldFile, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!("no gold file {}", path.display())
            } else {
                format!("gold file {}: {e}", path.display())
            }
        })?;
        serde_json::from_str(&text).map_err(|e| format!("gold file {}: {e}", path.display()))
    }

    /// Whether two ISO values agree at the precision both give: equal, or one a prefix of the other
    /// at a `-` boundary.
    pub(super) fn dates_compatible(a: &str, b: &str) -> bool {
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        !short.is_empty()
            && long.starts_with(short)
            && (long.len() == short.len() || long.as_bytes()[short.len()] == b'-')
    }

    /// A byte span `start..end` of the document text.
    pub(super) type Span = (usize, usize);

    fn is_word_char(c: char) -> bool {
        c.is_alphanumeric()
    }

    /// Where `needle` occurs in `text` (overlapping occurrences included), as whole words at an end
    /// that is a letter or digit.
    pub(super) fn occurrences(text: &str, needle: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let (Some(first), Some(last)) = (needle.chars().next(), needle.chars().next_back()) else {
            return out;
        };
        let mut from = 0;
        while let Some(pos) = text[from..].find(needle) {
            let start = from + pos;
            let end = start + needle.len();
            let clear_before = !is_word_char(first)
                || !text[..start].chars().next_back().is_some_and(is_word_char);
            let clear_after =
                !is_word_char(last) || !text[end..].chars().next().is_some_and(is_word_char);
            if clear_before && clear_after {
                out.push((start, end));
            }
            from = start + first.len_utf8();
        }
        out
    }

    /// How one gold timex was matched.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub(super) struct GoldMatch {
        /// The occurrence assigned to it; `None` when its text does not occur in the document.
        pub occurrence: Option<Span>,
        /// The system expression credited to it (index into the system list): one with the gold
        /// value, else the one overlapping the occurrence most; `None` when missed.
        pub system: Option<usize>,
        /// Whether the credited system expression has the gold value.
        pub right_value: bool,
    }

    /// The matching of a document's gold timexes with its system expressions.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub(super) struct Matching {
        /// Per gold timex, in gold order.
        pub gold: Vec<GoldMatch>,
        /// Per system expression: whether it overlaps an occurrence of some gold text.
        pub system_matched: Vec<bool>,
    }

    fn overlap(span: Span, t: &Timex) -> usize {
        t.end.min(span.1).saturating_sub(t.start.max(span.0))
    }

    /// The system expression overlapping `span` most (the first on ties).
    fn best_overlap(span: Span, system: &[Timex]) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (i, t) in system.iter().enumerate() {
            let o = overlap(span, t);
            if o > 0 && best.is_none_or(|(_, b)| o > b) {
                best = Some((i, o));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Matches gold timexes (located by text, see the module documentation) with system expressions.
    pub(super) fn match_timexes(text: &str, gold: &[GoldTimex], system: &[Timex]) -> Matching {
        let found: Vec<Vec<Span>> = gold.iter().map(|g| occurrences(text, &g.text)).collect();
        let inside_longer = |len: usize, o: Span| {
            gold.iter().zip(&found).any(|(h, spans)| {
                h.text.len() > len && spans.iter().any(|&(s, e)| s <= o.0 && o.1 <= e)
            })
        };
        // Per gold entry: its occurrences in text order, except those inside a longer gold text,
        // which are added (last) only when the gold lists the text more often than it occurs alone.
        let candidates: Vec<Vec<Span>> = gold
            .iter()
            .zip(&found)
            .map(|(g, spans)| {
                let (mut free, nested): (Vec<Span>, Vec<Span>) = spans
                    .iter()
                    .partition(|&&o| !inside_longer(g.text.len(), o));
                let listed = gold.iter().filter(|h| h.text == g.text).count();
                if free.len() < listed {
                    free.extend(nested);
                }
                free
            })
            .collect();

        let mut claimed: HashSet<Span> = HashSet::new();
        let mut matches: Vec<Option<GoldMatch>> = vec![None; gold.len()];
        // First the right values, then any overlap.
        for right_value in [true, false] {
            for (i, g) in gold.iter().enumerate() {
                if matches[i].is_some() {
                    continue;
                }
                let hit = candidates[i]
                    .iter()
                    .copied()
                    .filter(|o| !claimed.contains(o))
                    .find_map(|o| {
                        let s = if right_value {
                            system
                                .iter()
                                .position(|t| overlap(o, t) > 0 && t.value == g.value)
                        } else {
                            best_overlap(o, system)
                        };
                        s.map(|s| (o, s))
                    });
                if let Some((o, s)) = hit {
                    claimed.insert(o);
                    matches[i] = Some(GoldMatch {
                        occurrence: Some(o),
                        system: Some(s),
                        right_value,
                    });
                }
            }
        }
        // Missed: the first free occurrence (for the error report), else any.
        let gold_matches = matches
            .into_iter()
            .enumerate()
            .map(|(i, m)| {
                m.unwrap_or_else(|| {
                    let free = candidates[i].iter().copied().find(|o| !claimed.contains(o));
                    let occurrence = free.or_else(|| candidates[i].first().copied());
                    if let Some(o) = occurrence {
                        claimed.insert(o);
                    }
                    GoldMatch {
                        occurrence,
                        system: None,
                        right_value: false,
                    }
                })
            })
            .collect();
        let system_matched = system
            .iter()
            .map(|t| found.iter().flatten().any(|&o| overlap(o, t) > 0))
            .collect();
        Matching {
            gold: gold_matches,
            system_matched,
        }
    }

    /// Timex counts.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
    pub(super) struct TimexCounts {
        /// Gold timexes.
        pub gold: usize,
        /// System expressions.
        pub system: usize,
        /// Gold timexes overlapped by a system expression.
        pub found: usize,
        /// Gold timexes found with the gold value.
        pub right_value: usize,
        /// System expressions overlapping an occurrence of some gold text.
        pub system_matched: usize,
        /// Gold timexes whose text does not occur in the document (counted as missed).
        pub not_in_text: usize,
    }

    impl TimexCounts {
        fn add(&mut self, other: &TimexCounts) {
            self.gold += other.gold;
            self.system += other.system;
            self.found += other.found;
            self.right_value += other.right_value;
            self.system_matched += other.system_matched;
            self.not_in_text += other.not_in_text;
        }
    }

    /// `n / d`, or `None` when `d` is 0.
    fn ratio(n: usize, d: usize) -> Option<f64> {
        (d > 0).then(|| n as f64 / d as f64)
    }

    /// Timex counts and the fractions (0..=1; `null` when undefined) computed from them.
    #[derive(Clone, Debug, Serialize)]
    pub(super) struct TimexFigures {
        #[serde(flatten)]
        pub counts: TimexCounts,
        pub recall: Option<f64>,
        pub value_accuracy: Option<f64>,
        pub precision: Option<f64>,
    }

    impl From<TimexCounts> for TimexFigures {
        fn from(counts: TimexCounts) -> TimexFigures {
            TimexFigures {
                recall: ratio(counts.found, counts.gold),
                value_accuracy: ratio(counts.right_value, counts.gold),
                precision: ratio(counts.system_matched, counts.system),
                counts,
            }
        }
    }

    /// A document's date as the pipeline chose it, against gold.
    #[derive(Clone, Debug, Serialize)]
    pub(super) struct DateResult {
        /// The pipeline's date value.
        pub system: Option<String>,
        /// Where the pipeline's date came from.
        pub source: DateSource,
        /// The gold date (`doc_date`, else `doc_date_inferred`).
        pub gold: Option<String>,
        /// `stated` (gold `doc_date`) or `inferred` (gold `doc_date_inferred`).
        pub gold_source: Option<&'static str>,
        /// Whether the two are compatible; `None` when gold gives no date.
        pub right: Option<bool>,
    }

    /// A gold timex that was missed or found with another value.
    #[derive(Clone, Debug, Serialize)]
    pub(super) struct TimexError {
        pub doc: String,
        /// `missed`, `not_in_text` (its text does not occur in the document) or `wrong_value`.
        pub kind: &'static str,
        pub text: String,
        pub gold_value: String,
        /// The value of the system expression credited to it (`wrong_value` only).
        pub system_value: Option<String>,
        /// The text of that system expression.
        pub system_text: Option<String>,
        /// The text around the gold occurrence, on one line, the occurrence in `[…]`.
        pub context: Option<String>,
    }

    /// A system expression that overlaps no occurrence of any gold text.
    #[derive(Clone, Debug, Serialize)]
    pub(super) struct Unmatched {
        pub doc: String,
        pub text: String,
        pub value: String,
        pub rule: String,
        pub context: String,
    }

    /// One document's results.
    #[derive(Clone, Debug, Serialize)]
    pub(super) struct DocResult {
        pub doc: String,
        pub path: String,
        pub gold_file: String,
        pub date: DateResult,
        pub timexes: TimexFigures,
        pub events: EventFigures,
        pub conditions: ConditionFigures,
        #[serde(skip)]
        pub errors: Vec<TimexError>,
        #[serde(skip)]
        pub item_errors: Vec<ItemError>,
        #[serde(skip)]
        pub unmatched: Vec<Unmatched>,
    }

    /// The text around `span`, on one line, the span in `[…]`.
    fn context(text: &str, span: Span) -> String {
        let mut from = span.0.saturating_sub(CONTEXT_BYTES);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (span.1 + CONTEXT_BYTES).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        let (Some(before), Some(inside), Some(after)) = (
            text.get(from..span.0),
            text.get(span.0..span.1),
            text.get(span.1..to),
        ) else {
            return String::new();
        };
        one_line(&format!("{before}[{inside}]{after}"))
    }

    /// Line breaks, tabs and other spaces shown as plain spaces.
    fn one_line(s: &str) -> String {
        s.chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect()
    }

    /// Scores one document's analysis against its gold file.
    pub(super) fn score_document(
        doc: &Document,
        gold_file: &Path,
        gold: &GoldFile,
        analysis: &Analysis,
    ) -> DocResult {
        let expected = gold.expected_date();
        let date = DateResult {
            system: analysis.date.value.clone(),
            source: analysis.date.source,
            gold: expected.map(|(d, _)| d.to_string()),
            gold_source: expected.map(|(_, kind)| kind),
            right: expected.map(|(d, _)| {
                analysis
                    .date
                    .value
                    .as_deref()
                    .is_some_and(|v| dates_compatible(v, d))
            }),
        };

        let system = &analysis.timexes;
        let matching = match_timexes(&doc.text, &gold.timexes, system);
        let system_text = |t: &Timex| doc.text.get(t.start..t.end).unwrap_or("").to_string();
        let mut counts = TimexCounts {
            gold: gold.timexes.len(),
            system: system.len(),
            system_matched: matching.system_matched.iter().filter(|&&m| m).count(),
            ..TimexCounts::default()
        };
        let mut errors = Vec::new();
        for (g, m) in gold.timexes.iter().zip(&matching.gold) {
            if m.occurrence.is_none() {
                counts.not_in_text += 1;
            }
            if m.system.is_some() {
                counts.found += 1;
            }
            if m.right_value {
                counts.right_value += 1;
                continue;
            }
            let credited = m.system.map(|s| &system[s]);
            errors.push(TimexError {
                doc: doc.name.clone(),
                kind: match (m.occurrence, credited) {
                    (None, _) => "not_in_text",
                    (Some(_), None) => "missed",
                    (Some(_), Some(_)) => "wrong_value",
                },
                text: g.text.clone(),
                gold_value: g.value.clone(),
                system_value: credited.map(|t| t.value.clone()),
                system_text: credited.map(system_text),
                context: m.occurrence.map(|o| context(&doc.text, o)),
            });
        }
        let unmatched = system
            .iter()
            .zip(&matching.system_matched)
            .filter(|(_, matched)| !**matched)
            .map(|(t, _)| Unmatched {
                doc: doc.name.clone(),
                text: system_text(t),
                value: t.value.clone(),
                rule: t.rule.clone(),
                context: context(&doc.text, (t.start, t.end)),
            })
            .collect();

        let scored = event_eval::score(
            &doc.name,
            &doc.text,
            &gold.events,
            &gold.conditions,
            &analysis.events,
            &analysis.conditions,
            occurrences,
        );

        DocResult {
            doc: doc.name.clone(),
            path: doc.path.clone(),
            gold_file: gold_file.display().to_string(),
            date,
            timexes: counts.into(),
            events: scored.events.into(),
            conditions: scored.conditions.into(),
            errors,
            item_errors: scored.errors,
            unmatched,
        }
    }

    /// Document-date figures.
    #[derive(Clone, Debug, Default, Serialize)]
    pub(super) struct DateFigures {
        /// Documents whose gold gives a date.
        pub scored: usize,
        /// Of those, documents whose pipeline date is compatible with it.
        pub right: usize,
        /// `right / scored`.
        pub accuracy: Option<f64>,
    }

    /// The error lists (`--errors`).
    #[derive(Clone, Debug, Serialize)]
    pub(super) struct ErrorLists {
        /// Missed and wrongly valued gold timexes, in document and gold order.
        pub timexes: Vec<TimexError>,
        /// System expressions overlapping no gold text.
        pub unmatched: Vec<Unmatched>,
        /// Gold events matched by no system event (relaxed), system events matching no gold event,
        /// gold conditions missed, system conditions overlapping no gold evidence.
        pub items: Vec<ItemError>,
    }

    /// The whole evaluation; `--json` prints it as one object.
    #[derive(Clone, Debug, Serialize)]
    pub(super) struct Report {
        pub documents: usize,
        pub timexes: TimexFigures,
        pub doc_dates: DateFigures,
        pub events: EventFigures,
        pub conditions: ConditionFigures,
        pub per_document: Vec<DocResult>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub errors: Option<ErrorLists>,
    }

    impl Report {
        pub(super) fn new(per_document: Vec<DocResult>, with_errors: bool) -> Report {
            let mut counts = TimexCounts::default();
            let mut dates = DateFigures::default();
            let mut events = EventCounts::default();
            let mut conditions = ConditionCounts::default();
            for d in &per_document {
                counts.add(&d.timexes.counts);
                if let Some(right) = d.date.right {
                    dates.scored += 1;
                    dates.right += usize::from(right);
                }
                events.add(&d.events.counts);
                conditions.add(&d.conditions.counts);
            }
            dates.accuracy = ratio(dates.right, dates.scored);
            let errors = with_errors.then(|| ErrorLists {
                timexes: per_document.iter().flat_map(|d| d.errors.clone()).collect(),
                unmatched: per_document
                    .iter()
                    .flat_map(|d| d.unmatched.clone())
                    .collect(),
                items: per_document
                    .iter()
                    .flat_map(|d| d.item_errors.clone())
                    .collect(),
            });
            Report {
                documents: per_document.len(),
                timexes: counts.into(),
                doc_dates: dates,
                events: events.into(),
                conditions: conditions.into(),
                per_document,
                errors,
            }
        }
    }

    fn pct_or_dash(x: Option<f64>) -> String {
        x.map_or_else(|| "—".to_string(), pct)
    }

    /// The figures as a readable report.
    pub(super) fn text_report(report: &Report) -> String {
        let mut out = String::new();
        let docs = &report.per_document;
        let width = docs.iter().map(|d| d.doc.len()).max().unwrap_or(0).max(8);
        let _ = writeln!(
            out,
            "Gold evaluation: document dates, temporal expressions, events and conditions ({} documents)",
            report.documents
        );

        let d = &report.doc_dates;
        let _ = writeln!(
            out,
            "\nDocument dates: {} of {} right ({})",
            d.right,
            d.scored,
            pct_or_dash(d.accuracy)
        );
        let _ = writeln!(
            out,
            "  {:<width$}  {:<22}  {:<20}  result",
            "document", "system", "gold"
        );
        for doc in docs {
            let system = format!(
                "{} {}",
                doc.date.system.as_deref().unwrap_or("-"),
                doc.date.source
            );
            let gold = match (&doc.date.gold, doc.date.gold_source) {
                (Some(g), Some(kind)) => format!("{g} {kind}"),
                _ => "none".to_string(),
            };
            let result = match doc.date.right {
                Some(true) => "right",
                Some(false) => "WRONG",
                None => "not scored",
            };
            let _ = writeln!(
                out,
                "  {:<width$}  {system:<22}  {gold:<20}  {result}",
                doc.doc
            );
        }

        let t = &report.timexes;
        let c = &t.counts;
        let _ = writeln!(
            out,
            "\nTemporal expressions: {} gold, {} system",
            c.gold, c.system
        );
        let _ = writeln!(
            out,
            "  recall          {:>8}  ({} gold found)",
            pct_or_dash(t.recall),
            c.found
        );
        let _ = writeln!(
            out,
            "  value accuracy  {:>8}  ({} gold found with the gold value)",
            pct_or_dash(t.value_accuracy),
            c.right_value
        );
        let _ = writeln!(
            out,
            "  precision       {:>8}  ({} system expressions overlap a gold text)",
            pct_or_dash(t.precision),
            c.system_matched
        );
        if c.not_in_text > 0 {
            let _ = writeln!(
                out,
                "  gold texts not found in their document: {}",
                c.not_in_text
            );
        }
        let _ = writeln!(
            out,
            "\n  {:<width$}  {:>5}  {:>6}  {:>8}  {:>8}  {:>9}",
            "document", "gold", "system", "recall", "value", "precision"
        );
        let row = |out: &mut String, name: &str, f: &TimexFigures| {
            let _ = writeln!(
                out,
                "  {name:<width$}  {:>5}  {:>6}  {:>8}  {:>8}  {:>9}",
                f.counts.gold,
                f.counts.system,
                pct_or_dash(f.recall),
                pct_or_dash(f.value_accuracy),
                pct_or_dash(f.precision)
            );
        };
        for doc in docs {
            row(&mut out, &doc.doc, &doc.timexes);
        }
        row(&mut out, "all", t);

        let e = &report.events;
        let _ = writeln!(
            out,
            "\nEvents: {} gold, {} system asserted ({} flagged negated/hypothetical/future, not scored)",
            e.counts.gold, e.counts.system, e.counts.flagged
        );
        let _ = writeln!(
            out,
            "  {:<width$}  {:>5}  {:>6}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}",
            "document", "gold", "system", "rel P", "rel R", "rel F1", "str P", "str R", "str F1"
        );
        let row = |out: &mut String, name: &str, f: &EventFigures| {
            let _ = writeln!(
                out,
                "  {name:<width$}  {:>5}  {:>6}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}",
                f.counts.gold,
                f.counts.system,
                pct_or_dash(f.relaxed.precision),
                pct_or_dash(f.relaxed.recall),
                pct_or_dash(f.relaxed.f1),
                pct_or_dash(f.strict.precision),
                pct_or_dash(f.strict.recall),
                pct_or_dash(f.strict.f1)
            );
        };
        for doc in docs {
            row(&mut out, &doc.doc, &doc.events);
        }
        row(&mut out, "all", e);

        let c = &report.conditions;
        let _ = writeln!(
            out,
            "\nConditions: {} gold, {} system",
            c.counts.gold, c.counts.system
        );
        let _ = writeln!(
            out,
            "  {:<width$}  {:>5}  {:>6}  {:>8}  {:>9}",
            "document", "gold", "system", "recall", "precision"
        );
        let row = |out: &mut String, name: &str, f: &ConditionFigures| {
            let _ = writeln!(
                out,
                "  {name:<width$}  {:>5}  {:>6}  {:>8}  {:>9}",
                f.counts.gold,
                f.counts.system,
                pct_or_dash(f.recall),
                pct_or_dash(f.precision)
            );
        };
        for doc in docs {
            row(&mut out, &doc.doc, &doc.conditions);
        }
        row(&mut out, "all", c);
        out
    }

    /// The error lists as readable text.
    pub(super) fn error_report(errors: &ErrorLists) -> String {
        let mut out = String::new();
        let wrong: Vec<_> = errors
            .timexes
            .iter()
            .filter(|e| e.kind == "wrong_value")
            .collect();
        let missed: Vec<_> = errors
            .timexes
            .iter()
            .filter(|e| e.kind != "wrong_value")
            .collect();

        let _ = writeln!(out, "\nMissed gold expressions ({})", missed.len());
        for e in &missed {
            let _ = writeln!(
                out,
                "    {}  \"{}\"  gold {}  | {}",
                e.doc,
                one_line(&e.text),
                e.gold_value,
                e.context
                    .as_deref()
                    .unwrap_or("(text not found in the document)")
            );
        }

        let _ = writeln!(out, "\nWrong values ({})", wrong.len());
        for e in &wrong {
            let system_text = match &e.system_text {
                Some(s) if s != &e.text => format!(" (system \"{}\")", one_line(s)),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "    {}  \"{}\"{system_text}  gold {}  system {}  | {}",
                e.doc,
                one_line(&e.text),
                e.gold_value,
                e.system_value.as_deref().unwrap_or("-"),
                e.context.as_deref().unwrap_or("")
            );
        }

        let _ = writeln!(
            out,
            "\nSystem expressions overlapping no gold text ({})",
            errors.unmatched.len()
        );
        for u in &errors.unmatched {
            let _ = writeln!(
                out,
                "    {}  \"{}\"  {}  [{}]  | {}",
                u.doc,
                one_line(&u.text),
                u.value,
                u.rule,
                u.context
            );
        }

        for (kind, title) in [
            (
                "missed_event",
                "Gold events matched by no system event (relaxed)",
            ),
            (
                "not_strict",
                "Gold events matched relaxed but not strict (gold, then system)",
            ),
            (
                "spurious_event",
                "System events matching no gold event (relaxed)",
            ),
            (
                "missed_condition",
                "Gold conditions overlapped by no system condition",
            ),
            (
                "spurious_condition",
                "System conditions overlapping no gold evidence",
            ),
        ] {
            let items: Vec<_> = errors.items.iter().filter(|i| i.kind == kind).collect();
            let _ = writeln!(out, "\n{title} ({})", items.len());
            for i in items {
                let _ = writeln!(out, "    {}  {}  | {}", i.doc, i.summary, i.text);
            }
        }
        out
    }

    /// Runs `peacetrack eval --gold DIR PATH...`.
    pub(super) fn run(
        dir: &Path,
        paths: &[PathBuf],
        with_errors: bool,
        json: bool,
    ) -> anyhow::Result<ExitCode> {
        if !dir.is_dir() {
            eprintln!("{}: not a directory of gold files", dir.display());
            return Ok(ExitCode::from(1));
        }
        let engines = Engines::load()?;
        let (inputs, read_errors) = collect_inputs(paths);
        let mut failed = !read_errors.is_empty();
        for error in &read_errors {
            eprintln!("{error}");
        }
        let opts = ReadOptions::default();
        let mut results = Vec::new();
        for input in &inputs {
            let doc = match read_input(input, &opts) {
                Ok(doc) => doc,
                Err(error) => {
                    failed = true;
                    eprintln!("{error}");
                    continue;
                }
            };
            for warning in &doc.warnings {
                eprintln!("{}: warning: {warning}", doc.path);
            }
            let path = gold_path(dir, &doc.name);
            let gold = match load_gold(&path) {
                Ok(gold) => gold,
                Err(problem) => {
                    failed = true;
                    eprintln!("{}: {problem}", doc.path);
                    continue;
                }
            };
            if gold.doc != doc.name {
                eprintln!(
                    "{}: warning: {} annotates \"{}\"",
                    doc.path,
                    path.display(),
                    gold.doc
                );
            }
            let analysis = pipeline::analyse(&engines, &doc, None);
            results.push(score_document(&doc, &path, &gold, &analysis));
        }
        if results.is_empty() {
            eprintln!("peacetrack: no document could be scored");
            return Ok(ExitCode::from(1));
        }

        let report = Report::new(results, with_errors);
        if json {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            print!("{}", text_report(&report));
            if let Some(errors) = &report.errors {
                print!("{}", error_report(errors));
            }
        }
        Ok(if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use peacetrack_extract::pipeline::DocDate;
        use peacetrack_read::{Format, read_bytes};
        use peacetrack_time::TimexType;

        fn gold(entries: &[(&str, &str)]) -> Vec<GoldTimex> {
            entries
                .iter()
                .map(|(text, value)| GoldTimex {
                    text: text.to_string(),
                    value: value.to_string(),
                })
                .collect()
        }

        /// A system expression over the `nth` (0-based) occurrence of `what` in `text`.
        fn timex(text: &str, what: &str, nth: usize, value: &str) -> Timex {
            let start = text
                .match_indices(what)
                .nth(nth)
                .unwrap_or_else(|| panic!("{what:?} #{nth} not in {text:?}"))
                .0;
            Timex {
                start,
                end: start + what.len(),
                kind: TimexType::Date,
                value: value.to_string(),
                modifier: None,
                rule: "test".to_string(),
            }
        }

        fn span_of(text: &str, what: &str, nth: usize) -> Span {
            let start = text.match_indices(what).nth(nth).unwrap().0;
            (start, start + what.len())
        }

        #[test]
        fn dates_are_compatible_at_the_precision_both_give() {
            assert!(dates_compatible("2022-04", "2022-04"));
            assert!(dates_compatible("2022-04", "2022-04-12"));
            assert!(dates_compatible("2022-04-12", "2022-04"));
            assert!(dates_compatible("2024", "2024-04"));
            assert!(!dates_compatible("2023", "2024"));
            assert!(!dates_compatible("2022-1", "2022-12"));
            assert!(!dates_compatible("2022-04-1", "2022-04-12"));
            assert!(!dates_compatible("", "2024"));
        }

        #[test]
        fn occurrences_are_whole_words_and_exact() {
            let text = "known now, nowhere; Now (now)";
            assert_eq!(occurrences(text, "now"), vec![(6, 9), (25, 28)]);
            assert_eq!(occurrences("the 2020s, 2020.", "2020"), vec![(11, 15)]);
            let text = "on 14\u{a0}January and 14 January\n2022";
            assert_eq!(occurrences(text, "14\u{a0}January"), vec![(3, 14)]);
            assert_eq!(occurrences(text, "14 January\n2022").len(), 1);
            assert_eq!(occurrences(text, "14 January 2022"), vec![]);
            assert_eq!(occurrences("a, b", ", "), vec![(1, 3)]);
            assert_eq!(occurrences("abc", ""), vec![]);
        }

        #[test]
        fn nested_occurrences_are_tried_last() {
            let text = "It began on 6 April 2022 and on 6 April it ended.";
            let gold = gold(&[("6 April", "2022-04-06"), ("6 April 2022", "2022-04-06")]);
            let system = vec![
                timex(text, "6 April 2022", 0, "2022-04-06"),
                timex(text, "6 April", 1, "2022-04-06"),
            ];
            let m = match_timexes(text, &gold, &system);
            assert_eq!(m.gold[0].occurrence, Some(span_of(text, "6 April", 1)));
            assert_eq!(m.gold[0].system, Some(1));
            assert_eq!(m.gold[1].occurrence, Some(span_of(text, "6 April 2022", 0)));
            assert_eq!(m.gold[1].system, Some(0));
            assert!(m.gold.iter().all(|g| g.right_value));
            assert_eq!(m.system_matched, vec![true, true]);

            // With only the longer expression tagged, the shorter gold text is missed: it is not
            // credited through its occurrence inside the longer one.
            let m = match_timexes(text, &gold, &system[..1]);
            assert_eq!(m.gold[0].system, None);
            assert_eq!(m.gold[0].occurrence, Some(span_of(text, "6 April", 1)));
            assert!(m.gold[1].right_value);

            // A gold text listed more often than it occurs alone falls back on nested occurrences.
            let twice = [gold[0].clone(), gold[0].clone(), gold[1].clone()];
            let m = match_timexes(text, &twice, &system);
            assert_eq!(m.gold[0].occurrence, Some(span_of(text, "6 April", 1)));
            assert_eq!(m.gold[1].occurrence, Some(span_of(text, "6 April", 0)));
            assert_eq!(m.gold[1].system, Some(0));
            assert!(m.gold.iter().all(|g| g.right_value));
        }

        #[test]
        fn repeated_texts_are_assigned_one_to_one_in_order() {
            let text = "now and now and now";
            let gold = gold(&[("now", "PRESENT_REF"), ("now", "PRESENT_REF")]);
            let system = vec![
                timex(text, "now", 0, "PAST_REF"),
                timex(text, "now", 2, "PRESENT_REF"),
            ];
            let m = match_timexes(text, &gold, &system);
            // The right value is preferred: the first entry takes the third occurrence …
            assert_eq!(m.gold[0].occurrence, Some(span_of(text, "now", 2)));
            assert!(m.gold[0].right_value);
            // … and the second the first one, found with another value.
            assert_eq!(m.gold[1].occurrence, Some(span_of(text, "now", 0)));
            assert_eq!(m.gold[1].system, Some(0));
            assert!(!m.gold[1].right_value);

            // One system expression cannot serve two entries through the same occurrence.
            let m = match_timexes(text, &gold, &system[1..]);
            assert!(m.gold[0].right_value);
            assert_eq!(m.gold[1].system, None);
            assert_eq!(m.gold[1].occurrence, Some(span_of(text, "now", 0)));
        }

        #[test]
        fn partial_overlap_counts_and_the_largest_overlap_is_credited() {
            let text = "in the final years of the war";
            let gold = gold(&[("the final years of the war", "1988/1991")]);
            let system = vec![
                timex(text, "final", 0, "X"),
                timex(text, "years of the", 0, "PXY"),
                timex(text, "in", 0, "Y"),
            ];
            let m = match_timexes(text, &gold, &system);
            assert_eq!(m.gold[0].system, Some(1));
            assert!(!m.gold[0].right_value);
            assert_eq!(m.system_matched, vec![true, true, false]);
        }

        /// An invented plain-text document read as `dir/t.txt`.
        fn document(text: &str) -> Document {
            let opts = peacetrack_read::ReadOptions::default();
            let doc = read_bytes("dir/t.txt", text.as_bytes(), Format::Text, &opts)
                .expect("the invented text reads");
            assert_eq!((doc.text.as_str(), doc.name.as_str()), (text, "t.txt"));
            doc
        }

        #[test]
        fn a_document_is_scored_and_reported() {
            let text = "On 14 January 2022 they met; in recent years, and next week, too.";
            let doc = document(text);
            let gold = GoldFile {
                doc: "t.txt".into(),
                doc_date: None,
                doc_date_inferred: Some("2022-01".into()),
                timexes: gold(&[
                    ("14 January 2022", "2022-01-14"),
                    ("recent years", "PAST_REF"),
                    ("next week", "2022-W04"),
                    ("last spring", "2021-SP"),
                ]),
                events: vec![GoldEvent {
                    id: "e1".into(),
                    kind: "CONSULT".into(),
                    countries: vec!["ARM".into()],
                    ..GoldEvent::default()
                }],
                conditions: Vec::new(),
            };
            let analysis = Analysis {
                date: DocDate {
                    value: Some("2022-01-14".into()),
                    source: DateSource::Inferred,
                    reference: None,
                    milestone: None,
                },
                timexes: vec![
                    timex(text, "14 January 2022", 0, "2022-01-14"),
                    timex(text, "years", 0, "PXY"),
                    timex(text, "too", 0, "X"),
                ],
                events: Vec::new(),
                conditions: Vec::new(),
            };
            let path = gold_path(Path::new("gold"), &doc.name);
            assert_eq!(path, Path::new("gold/t.gold.json"));
            let result = score_document(&doc, &path, &gold, &analysis);
            assert_eq!(result.date.right, Some(true));
            assert_eq!(result.date.gold_source, Some("inferred"));
            let c = &result.timexes.counts;
            assert_eq!(
                (c.gold, c.system, c.found, c.right_value, c.system_matched),
                (4, 3, 2, 1, 2)
            );
            assert_eq!(c.not_in_text, 1);
            assert_eq!(result.timexes.recall, Some(0.5));
            assert_eq!(result.timexes.value_accuracy, Some(0.25));
            let kinds: Vec<_> = result
                .errors
                .iter()
                .map(|e| (e.kind, e.text.as_str(), e.system_value.as_deref()))
                .collect();
            assert_eq!(
                kinds,
                vec![
                    ("wrong_value", "recent years", Some("PXY")),
                    ("missed", "next week", None),
                    ("not_in_text", "last spring", None),
                ]
            );
            assert_eq!(
                result.errors[1].context.as_deref(),
                Some("ary 2022 they met; in recent years, and [next week], too.")
            );
            assert_eq!(result.unmatched.len(), 1);
            assert_eq!(result.unmatched[0].text, "too");

            let mut wrong_date = gold.clone();
            wrong_date.doc_date = Some("2023-01-02".into());
            let other = score_document(&doc, &path, &wrong_date, &analysis);
            assert_eq!(other.date.right, Some(false));
            assert_eq!(other.date.gold_source, Some("stated"));

            let report = Report::new(vec![result, other], true);
            assert_eq!(report.documents, 2);
            assert_eq!((report.doc_dates.scored, report.doc_dates.right), (2, 1));
            assert_eq!(report.timexes.counts.gold, 8);
            assert_eq!(report.events.counts.gold, 2);
            assert_eq!(report.events.relaxed.recall, Some(0.0));
            assert_eq!(report.events.relaxed.precision, None);
            let json = serde_json::to_value(&report).unwrap();
            assert_eq!(json["timexes"]["value_accuracy"], 0.25);
            assert_eq!(json["doc_dates"]["right"], 1);
            assert_eq!(json["per_document"][0]["date"]["source"], "inferred");
            assert_eq!(json["errors"]["timexes"].as_array().map(Vec::len), Some(6));

            let text = text_report(&report);
            assert!(
                text.contains("Document dates: 1 of 2 right (50.00%)"),
                "{text}"
            );
            assert!(
                text.contains("recall            50.00%  (4 gold found)"),
                "{text}"
            );
            assert!(text.contains("WRONG"), "{text}");
            let errors = error_report(report.errors.as_ref().unwrap());
            assert!(errors.contains("Missed gold expressions (4)"), "{errors}");
            assert!(
                errors.contains("\"recent years\" (system \"years\")  gold PAST_REF  system PXY"),
                "{errors}"
            );
            assert!(
                errors.contains("(text not found in the document)"),
                "{errors}"
            );
            assert!(errors.contains("\"too\"  X  [test]"), "{errors}");

            let without = Report::new(report.per_document.clone(), false);
            assert!(
                serde_json::to_value(&without)
                    .unwrap()
                    .get("errors")
                    .is_none()
            );
        }

        #[test]
        fn gold_files_keep_events_and_ignore_unknown_fields() {
            let file: GoldFile = serde_json::from_str(
                r#"{"doc": "a.txt", "doc_date": null, "notes": "n",
                    "events": [{"id": "e1", "type": "AGREE"}],
                    "timexes": [{"text": "2020", "value": "2020"}]}"#,
            )
            .unwrap();
            assert_eq!(file.expected_date(), None);
            assert_eq!(file.events.len(), 1);
            assert!(file.conditions.is_empty());
            assert_eq!(file.timexes[0].value, "2020");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use peacetrack_time::{Timex, TimexType};

    fn scored() -> Scores {
        let xml = "<TEXT>On <TIMEX3 type=\"DATE\" value=\"1998-01-07\">Wednesday</TIMEX3> and \
                   <TIMEX3 type=\"DATE\" value=\"1998-01-08\">wednesday</TIMEX3> and \
                   <TIMEX3 type=\"DURATION\" value=\"P2Y\">two years</TIMEX3> now.</TEXT>";
        let doc = timeml::parse("t.tml", xml).unwrap();
        let now = doc.text.find("now").unwrap();
        let system = vec![Timex {
            start: now,
            end: now + 3,
            kind: TimexType::Date,
            value: "PRESENT_REF".into(),
            modifier: None,
            rule: "now".into(),
        }];
        timeml::score(std::slice::from_ref(&doc), |_| system.clone())
    }

    #[test]
    fn report_shows_percentages() {
        let scores = scored();
        let text = report(&scores, 0.5, 0);
        assert!(text.contains("gold timexes           3"), "{text}");
        assert!(text.contains("system timexes         1"), "{text}");
        assert!(
            text.contains("relaxed span       0.00%     0.00%     0.00%"),
            "{text}"
        );
        assert!(!text.contains("without DCT"), "{text}");
    }

    #[test]
    fn error_report_groups_by_normalised_text() {
        let scores = scored();
        let text = error_report(&scores.errors);
        assert!(text.contains("Missed gold expressions (3)"), "{text}");
        assert!(text.contains("      2  \"wednesday\""), "{text}");
        assert!(text.contains("Spurious system expressions (1)"), "{text}");
        assert!(text.contains("\"now\"  DATE PRESENT_REF  [now]"), "{text}");
        assert!(text.contains("Wrong values (0)"), "{text}");
    }
}
