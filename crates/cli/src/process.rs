//! The process commands: the record read through a case file (`peacetrack-model`).
//!
//! - `issues`: the board (issue × current status × last change × sources).
//! - `issue NAME`: status history, positions, linked events.
//! - `conditions --case …`: the condition graph (the case's conditions merged with those the
//!   documents state) with sources; `--goal` for one chain; `--dot` / `--mermaid`.
//! - `scenario --assume ISSUE=STATE … [--goal X]`: what is unblocked, what still blocks, the
//!   shortest remaining path, the goal's exact probability and its sensitivity ranking.
//! - `timeline --key N`: the N most important events for a briefing.
//!
//! The case is `--case PATH` (a case folder or its `case.toml`); the store remembers the last case
//! used with it (`store_info`), so later commands may leave `--case` out.

use crate::output::{Listing, clip, print};
use peacetrack_model::{
    Case, ChainNode, Linker, Outcome, Source, Target, parse_outcomes, record, scenario_with,
};
use peacetrack_store::Store;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the store and the case: `--case`, else the one the store remembers.
pub fn open(db: &str, case: Option<&PathBuf>) -> anyhow::Result<(Store, Case)> {
    let mut store = Store::open_existing(db)?;
    let case = record::case_for(&mut store, case.map(PathBuf::as_path))?;
    Ok((store, case))
}

/// `issues`.
pub fn issues(db: &str, case: Option<&PathBuf>, json: bool, csv: bool) -> anyhow::Result<ExitCode> {
    let (mut store, case) = open(db, case)?;
    let rows = record::issue_board(&mut store, &case)?;
    print(
        Listing::from_flags(json, csv),
        &rows,
        &[
            "issue",
            "track",
            "status",
            "last change",
            "events",
            "sources",
        ],
        |r| {
            vec![
                format!("{} ({})", r.name, r.issue),
                r.track.clone(),
                r.status.clone().unwrap_or_else(|| "—".into()),
                r.last_change.clone().unwrap_or_default(),
                r.events.to_string(),
                clip(&r.sources.join(", "), 60),
            ]
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `issue NAME`.
pub fn issue(db: &str, case: Option<&PathBuf>, name: &str, json: bool) -> anyhow::Result<ExitCode> {
    let (mut store, case) = open(db, case)?;
    let report = record::issue_report(&mut store, &case, name)?;
    if json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} ({}) — track {}",
        report.name, report.issue, report.track
    );
    match &report.history {
        Some(h) => {
            println!("status: {}", h.current.as_deref().unwrap_or("—"));
            println!("history:");
            for s in &h.steps {
                let mut from: Vec<String> = s.docs.clone();
                from.extend(s.milestones.iter().map(|m| format!("milestone {m}")));
                println!(
                    "  {:<10} {:<20} {}",
                    s.date.as_deref().unwrap_or("undated"),
                    s.state,
                    clip(&from.join(", "), 80)
                );
            }
        }
        None => println!("status: — (no linked event or milestone)"),
    }
    if !report.positions.is_empty() {
        println!("positions:");
        for p in &report.positions {
            let current = p
                .current
                .map(|s| format!("{s:?}").to_lowercase())
                .unwrap_or_else(|| "—".into());
            println!(
                "  {:<5} {} ({} statements)",
                p.party,
                current,
                p.stances.len()
            );
        }
    }
    println!("linked events: {}", report.linked_events.len());
    for e in &report.linked_events {
        println!(
            "  {:<10} {:<8} {:<16} {}  “{}”",
            e.date.as_deref().unwrap_or("—"),
            e.kind,
            e.mode.as_deref().unwrap_or(""),
            e.id,
            clip(&e.evidence, 90)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn source_line(s: &Source) -> String {
    match s {
        Source::Citation { doc, note, .. } => match note {
            Some(n) => format!("{doc}: {}", clip(n, 100)),
            None => doc.clone(),
        },
        Source::Analyst { condition, .. } => format!("analyst ({condition})"),
        Source::Statement { doc, evidence, .. } => format!(
            "{}: “{}”",
            doc.as_deref().unwrap_or("?"),
            clip(evidence.as_deref().unwrap_or(""), 100)
        ),
    }
}

fn print_chain(node: &ChainNode, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    out.push_str(&format!(
        "{pad}{}{}{}\n",
        node.outcome,
        node.prior
            .map(|p| format!("  (prior {p})"))
            .unwrap_or_default(),
        if node.repeated { "  (cycle)" } else { "" }
    ));
    for c in &node.conditions {
        out.push_str(&format!(
            "{pad}  ← requires ({}{}):\n",
            c.id,
            c.probability
                .map(|p| format!(", p = {p}"))
                .unwrap_or_default()
        ));
        for s in &c.sources {
            out.push_str(&format!("{pad}      source: {}\n", source_line(s)));
        }
        for alt in &c.alternatives {
            for n in alt {
                print_chain(n, depth + 2, out);
            }
        }
    }
}

/// `conditions --case …` (the graph).
pub fn conditions(
    db: &str,
    case: Option<&PathBuf>,
    goal: Option<&str>,
    format: GraphFormat,
) -> anyhow::Result<ExitCode> {
    let (mut store, case) = open(db, case)?;
    let g = record::graph(&mut store, &case)?;
    match format {
        GraphFormat::Dot => print!("{}", g.to_dot()),
        GraphFormat::Mermaid => print!("{}", g.to_mermaid()),
        GraphFormat::Json => match goal {
            Some(goal) => {
                let o: Outcome = goal
                    .parse()
                    .map_err(|e| anyhow::anyhow!("--goal {goal}: {e}"))?;
                println!("{}", serde_json::to_string(&g.chain(&o)?)?);
            }
            None => {
                for e in g.edges() {
                    println!("{}", serde_json::to_string(&e)?);
                }
            }
        },
        GraphFormat::Text => {
            let mut out = String::new();
            match goal {
                Some(goal) => {
                    let o: Outcome = goal
                        .parse()
                        .map_err(|e| anyhow::anyhow!("--goal {goal}: {e}"))?;
                    print_chain(&g.chain(&o)?, 0, &mut out);
                }
                None => {
                    for e in g.edges() {
                        out.push_str(&format!(
                            "{} ← {}  [{}]\n",
                            e.to,
                            e.from,
                            e.conditions.join(", ")
                        ));
                        for s in &e.sources {
                            out.push_str(&format!("    source: {}\n", source_line(s)));
                        }
                    }
                }
            }
            for c in g.cycles() {
                out.push_str(&format!(
                    "cycle: {}\n",
                    c.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" → ")
                ));
            }
            if !g.unmapped().is_empty() {
                out.push_str(&format!(
                    "{} stated conditions could not be mapped to the case's issues (see --json of `peacetrack conditions` without --case)\n",
                    g.unmapped().len()
                ));
            }
            print!("{out}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// How the condition graph is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    /// Readable text.
    Text,
    /// JSON.
    Json,
    /// Graphviz DOT.
    Dot,
    /// Mermaid.
    Mermaid,
}

/// `scenario`.
pub fn scenario(
    db: &str,
    case: Option<&PathBuf>,
    assume: &[String],
    goal: Option<&str>,
    probabilities: &[String],
    json: bool,
) -> anyhow::Result<ExitCode> {
    let (mut store, case) = open(db, case)?;
    let g = record::graph(&mut store, &case)?;
    let assumptions = parse_outcomes(assume)?;
    let goal: Option<Outcome> = goal
        .map(|s| s.parse().map_err(|e| anyhow::anyhow!("--goal {s}: {e}")))
        .transpose()?;
    let options = record::scenario_options(probabilities)?;
    let s = scenario_with(&g, &assumptions, goal.as_ref(), &options)?;
    if json {
        println!("{}", serde_json::to_string(&s)?);
        return Ok(ExitCode::SUCCESS);
    }
    let list = |v: &[Outcome]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    println!("assuming: {}", list(&s.assumptions));
    println!("unblocked: {}", list(&s.unblocked));
    println!("still blocked:");
    for b in &s.blocked {
        let missing: Vec<String> = b
            .unmet
            .iter()
            .map(|u| format!("{} needs {}", u.condition, list(&u.missing)))
            .collect();
        println!(
            "  {}{}: {}",
            b.outcome,
            if b.in_cycle { " (in a cycle)" } else { "" },
            missing.join("; ")
        );
    }
    if let Some(r) = &s.goal {
        println!("goal {}:", r.goal);
        if r.satisfied {
            println!("  already satisfied by the assumptions");
        }
        match &r.path {
            Some(p) if !p.is_empty() => println!(
                "  shortest remaining path ({} steps{}): {}",
                p.len(),
                if r.path_exact {
                    ""
                } else {
                    ", not proven shortest"
                },
                list(p)
            ),
            Some(_) => {}
            None => println!(
                "  no path: {}",
                r.unreachable_because
                    .as_deref()
                    .unwrap_or("every way runs into a cycle")
            ),
        }
        match (&r.probability, &r.probability_error) {
            (Some(p), _) => {
                println!(
                    "  probability: {:.4} (conditions and leaf outcomes independent; exact over {} variables)",
                    p.probability,
                    p.variables.len()
                );
                println!("  sensitivity (goal probability if the variable holds / fails):");
                for v in p.sensitivity.iter().take(10) {
                    println!(
                        "    {:<45} {:.4} / {:.4}  importance {:.4}",
                        v.variable.name, v.if_true, v.if_false, v.importance
                    );
                }
            }
            (None, Some(e)) => println!("  probability: not computed ({e})"),
            (None, None) => {}
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line of a briefing.
#[derive(Serialize)]
struct KeyDate {
    rank: usize,
    score: f64,
    id: String,
    date: Option<String>,
    precision: String,
    r#type: String,
    mode: String,
    sources: usize,
    documents: usize,
    issues: Vec<String>,
    summary: String,
}

/// Weight of an event type in a briefing: agreements and force weigh most, statements least.
fn type_weight(kind: &str, mode: &str) -> f64 {
    let mode_weight = match mode {
        "signing" | "initialling" | "ratification" | "agreement" => 3.0,
        "meeting" | "talks" | "visit" => 1.5,
        "military_operation" | "border_opening" | "border_closure" | "withdrawal" => 2.5,
        _ => 0.0,
    };
    let kind_weight = match kind {
        "AGREE" | "ASSAULT" | "RETREAT" => 2.0,
        "CONSULT" | "REJECT" | "COERCE" | "MOBILIZE" | "SANCTION" => 1.0,
        _ => 0.5,
    };
    kind_weight + mode_weight
}

/// `timeline --key N`: the N most important dated events — by how many documents report them, their
/// type, and how many of the case's issues they touch (when a case is known) — in date order.
pub fn key_dates(
    db: &str,
    case: Option<&PathBuf>,
    n: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut store = Store::open_existing(db)?;
    let events = store.events(&peacetrack_store::EventFilter::default())?;
    let case = match case {
        Some(_) => Some(open(db, case)?.1),
        None => match store.info("case")? {
            Some(p) => Case::load(&p).ok(),
            None => None,
        },
    };
    let inputs = record::event_inputs(&events);
    let linker = case.as_ref().map(Linker::new);
    let mut rows: Vec<KeyDate> = events
        .iter()
        .zip(&inputs)
        .map(|(e, input)| {
            let mut docs: Vec<&str> = e.sources.iter().map(|s| s.doc.as_str()).collect();
            docs.sort();
            docs.dedup();
            let issues: Vec<String> = linker
                .as_ref()
                .map(|l| {
                    let mut v: Vec<String> = l
                        .link_event(input)
                        .into_iter()
                        .filter_map(|k| match k.target {
                            Target::Issue(i) => Some(i),
                            Target::Track(_) => None,
                        })
                        .collect();
                    v.sort();
                    v.dedup();
                    v
                })
                .unwrap_or_default();
            let precision_weight = match e.precision.as_str() {
                "day" => 1.0,
                "month" => 0.5,
                _ => 0.0,
            };
            let score = 4.0 * docs.len() as f64
                + e.sources.len() as f64
                + type_weight(&e.kind, &e.mode)
                + 1.5 * issues.len().min(3) as f64
                + precision_weight;
            let who = if e.actors.is_empty() {
                e.countries.join("–")
            } else {
                e.actors.join(", ")
            };
            let place = e
                .place
                .as_deref()
                .map(|p| format!(" in {p}"))
                .unwrap_or_default();
            KeyDate {
                rank: 0,
                score,
                id: e.id.clone(),
                date: e.date.clone(),
                precision: e.precision.clone(),
                r#type: e.kind.clone(),
                mode: e.mode.clone(),
                sources: e.sources.len(),
                documents: docs.len(),
                issues,
                summary: format!("{} {}: {}{}", e.kind, e.mode.replace('_', " "), who, place),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.id.cmp(&b.id))
    });
    rows.truncate(n);
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    let mut by_date: BTreeMap<(String, String), KeyDate> = BTreeMap::new();
    for r in rows {
        by_date.insert((r.date.clone().unwrap_or_default(), r.id.clone()), r);
    }
    let rows: Vec<KeyDate> = by_date.into_values().collect();
    if json {
        for r in &rows {
            println!("{}", serde_json::to_string(r)?);
        }
    } else {
        for r in &rows {
            let issues = if r.issues.is_empty() {
                String::new()
            } else {
                format!(" [{}]", r.issues.join(", "))
            };
            println!(
                "{:<10} {} ({} document{}){}  {}",
                r.date.as_deref().unwrap_or("—"),
                clip(&r.summary, 90),
                r.documents,
                if r.documents == 1 { "" } else { "s" },
                issues,
                r.id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
