//! `peacetrack eval`: scores the temporal tagger against TimeML documents (TempEval-3 Task A).
//!
//! Every document is tagged with its creation time (DCT) as the reference date. The report gives the
//! relaxed and strict span figures, value F1 and type accuracy as percentages; `--errors` adds the missed,
//! spurious and wrongly valued (or typed) expressions, most frequent texts first and then in full;
//! `--json` prints the figures as one JSON object instead.

use crate::EvalArgs;
use peacetrack_time::Tagger;
use peacetrack_time::timeml::{self, Errors, Prf, Scores};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

/// Most frequent texts listed per error kind before the full list.
const TOP_GROUPS: usize = 25;

/// Runs `peacetrack eval`.
pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let docs = match timeml::read_dir(&args.timeml) {
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
