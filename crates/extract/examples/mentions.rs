//! Prints the sentences and mentions of text files: `cargo run -p peacetrack-extract --example
//! mentions -- FILE...` (a quick look at what the extractor finds; `-` reads stdin).

use peacetrack_extract::{Extractor, Mention};
use std::io::{BufWriter, Read, Write};

fn main() {
    let extractor = match Extractor::load_default() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    for path in std::env::args().skip(1) {
        let text = if path == "-" {
            let mut s = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                eprintln!("-: {e}");
                continue;
            }
            s
        } else {
            match std::fs::read_to_string(&path) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{path}: {e}");
                    continue;
                }
            }
        };
        let sentences = extractor.sentences(&text).len();
        let mentions = extractor.find_mentions(&text);
        // Stop quietly when the reader goes away (`| head`).
        if print(&mut out, &path, &text, sentences, &mentions).is_err() {
            return;
        }
    }
}

fn print(
    out: &mut impl Write,
    path: &str,
    text: &str,
    sentences: usize,
    mentions: &[Mention],
) -> std::io::Result<()> {
    writeln!(
        out,
        "== {path}: {sentences} sentences, {} mentions",
        mentions.len()
    )?;
    for m in mentions {
        writeln!(
            out,
            "{:>6}..{:<6} {:<12} {:<10} {:<28} {:<5} {:?}{}",
            m.start,
            m.end,
            format!("{:?}", m.kind),
            format!("{:?}", m.source),
            m.id,
            m.country.as_deref().unwrap_or("-"),
            &text[m.start..m.end],
            m.role
                .as_deref()
                .map(|r| format!("  [{r}]"))
                .unwrap_or_default(),
        )?;
    }
    out.flush()
}
