//! Scores the shipped tagger on TimeML and writes the errors as JSON Lines, for rule development:
//! `cargo run --release -p peacetrack-time --example timeml_errors -- DIR... > errors.jsonl`.
//! The summary goes to stderr.

use std::path::PathBuf;

fn main() {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let docs = match peacetrack_time::timeml::read_dir(&dirs) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let tagger = peacetrack_time::Tagger::new().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let scores = peacetrack_time::timeml::score(&docs, |d| tagger.tag(&d.text, d.dct));
    eprintln!(
        "docs {} gold {} system {} | relaxed P {:.2} R {:.2} F1 {:.2} | strict F1 {:.2} | value F1 {:.2}",
        scores.documents,
        scores.counts.gold,
        scores.counts.system,
        100.0 * scores.relaxed.precision,
        100.0 * scores.relaxed.recall,
        100.0 * scores.relaxed.f1,
        100.0 * scores.strict.f1,
        100.0 * scores.value.f1
    );
    let e = &scores.errors;
    for m in &e.missed {
        println!(
            "{}",
            serde_json::json!({"err":"missed","text":m.text,"value":m.value,"ctx":m.context,"doc":m.doc})
        );
    }
    for s in &e.spurious {
        println!(
            "{}",
            serde_json::json!({"err":"spurious","text":s.text,"value":s.value,"rule":s.rule,"ctx":s.context,"doc":s.doc})
        );
    }
    for w in &e.wrong_value {
        println!(
            "{}",
            serde_json::json!({"err":"value","text":w.text,"sys_text":w.system_text,"gold":w.gold_value,"sys":w.system_value,"rule":w.rule,"ctx":w.context,"doc":w.doc})
        );
    }
}
