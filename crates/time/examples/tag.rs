//! Tags stdin with the shipped rules: `cargo run -p peacetrack-time --example tag -- 2024-01-15 < text`.
//! Prints one line per expression: span, type, value, mod, rule and text.

use std::io::Read;

fn main() {
    let reference = std::env::args().nth(1).and_then(|d| d.parse().ok());
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        eprintln!("stdin is not UTF-8 text");
        std::process::exit(1);
    }
    let tagger = match peacetrack_time::Tagger::new() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    for t in tagger.tag(&text, reference) {
        println!(
            "{:>6}-{:<6} {:<8} {:<14} {:<10} {:<22} {:?}",
            t.start,
            t.end,
            t.kind.as_str(),
            t.value,
            t.modifier.clone().unwrap_or_default(),
            t.rule,
            &text[t.start..t.end]
        );
    }
}
