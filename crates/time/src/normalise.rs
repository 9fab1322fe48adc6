//! Normalisation of a rule's named groups: the group's name says what it holds (`month`, `day`, `year`,
//! `num`, `unit`, …; a trailing digit is ignored, so `month2` is a month too) and the lexicons say what
//! its words mean. Each normaliser returns `None` when the text is not what the group expects, which
//! drops the match.

use crate::tagger::{Lexicon, normalise_phrase};

/// Normalises the text of the group `name`.
pub(crate) fn group(name: &str, text: &str, lex: &Lexicon) -> Option<String> {
    let kind = name.trim_end_matches(|c: char| c.is_ascii_digit());
    match kind {
        "month" => month(text, lex).map(|m| format!("{m:02}")),
        "day" => day(text, lex).map(|d| format!("{d:02}")),
        "year" => year(text),
        "num" => number(text, lex),
        "ord" => ordinal(text, lex).map(|o| o.to_string()),
        "decade" => decade(text, lex),
        "hour" => digits(text).filter(|h| *h <= 24).map(|h| h.to_string()),
        "minute" => digits(text).filter(|m| *m < 60).map(|m| format!("{m:02}")),
        "ampm" => Some(normalise_phrase(text).replace(['.', ' '], "")),
        "raw" => Some(normalise_phrase(text)),
        // Two digits of a year spelled out ("ninety-six" in "nineteen ninety-six").
        "yy" => number(text, lex)
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| *n < 100)
            .map(|n| format!("{n:02}")),
        "cent" => match normalise_phrase(text).as_str() {
            "nineteen" => Some("19".to_string()),
            "eighteen" => Some("18".to_string()),
            _ => None,
        },
        // Lexicon-backed groups: unit, season, weekday, tod, part, holiday, …
        table => lex.get(table, text).map(str::to_string),
    }
}

fn digits(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

fn month(text: &str, lex: &Lexicon) -> Option<u32> {
    let t = text.trim().trim_end_matches('.');
    if let Ok(n) = t.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    lex.get("month", t)?.parse().ok()
}

fn day(text: &str, lex: &Lexicon) -> Option<u32> {
    let t = normalise_phrase(text);
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let n = if digits.is_empty() {
        lex.get("ordinal", &t)?.parse().ok()?
    } else {
        digits.parse().ok()?
    };
    (1..=31).contains(&n).then_some(n)
}

fn ordinal(text: &str, lex: &Lexicon) -> Option<i64> {
    let t = normalise_phrase(text);
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        lex.get("ordinal", &t)?.parse().ok()
    } else {
        digits.parse().ok()
    }
}

/// A year: four digits as written; two digits after an apostrophe (`'98`) or alone are placed in the
/// 20th century from 30 on and in the 21st below.
fn year(text: &str) -> Option<String> {
    let t: String = text.chars().filter(char::is_ascii_digit).collect();
    match t.len() {
        4 => Some(t),
        3 => Some(format!("0{t}")),
        2 => {
            let n: u32 = t.parse().ok()?;
            Some(if n >= 30 {
                format!("19{t}")
            } else {
                format!("20{t}")
            })
        }
        _ => None,
    }
}

/// A decade as the TIMEX3 three-digit prefix: `1990s` → `199`, `'80s` → `198`, `nineties` → `199`.
fn decade(text: &str, lex: &Lexicon) -> Option<String> {
    let t = normalise_phrase(text);
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        4 => Some(digits[..3].to_string()),
        2 => {
            let n: u32 = digits.parse().ok()?;
            Some(if n >= 30 {
                format!("19{}", &digits[..1])
            } else {
                format!("20{}", &digits[..1])
            })
        }
        0 => lex.get("decadeword", &t).map(|d| format!("19{d}")),
        _ => None,
    }
}

/// A cardinal number from digits (`12`, `1,000`, `2.5`) or words (`twenty-four`, `a couple of`,
/// `several` → `X`).
pub(crate) fn number(text: &str, lex: &Lexicon) -> Option<String> {
    let t = normalise_phrase(text);
    let plain: String = t.chars().filter(|c| *c != ',').collect();
    if let Ok(n) = plain.parse::<f64>() {
        return Some(format_number(n));
    }
    if let Some(v) = lex.get("number", &t).or_else(|| lex.get("article", &t)) {
        return Some(v.to_string());
    }
    // Compound number words: "twenty four", "twenty-four", "one hundred and fifty".
    let mut total = 0.0;
    let mut current = 0.0;
    let mut any = false;
    for word in t.split([' ', '-']) {
        if word.is_empty() || word == "and" {
            continue;
        }
        let v: f64 = lex.get("number", word)?.parse().ok()?;
        any = true;
        if v == 100.0 {
            current = if current == 0.0 {
                100.0
            } else {
                current * 100.0
            };
        } else if v == 1000.0 {
            total += if current == 0.0 {
                1000.0
            } else {
                current * 1000.0
            };
            current = 0.0;
        } else {
            current += v;
        }
    }
    any.then(|| format_number(total + current))
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
