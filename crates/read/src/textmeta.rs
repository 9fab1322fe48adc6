//! Metadata a plain text states at its top: header lines (`date 2025-09-09`, `Date:`, `Published:`,
//! `Title:`, `Author:`, `By …`), a news dateline (`YEREVAN, Sept. 9, 2025 (Reuters) -`), and a
//! headline.
//!
//! Only the *leading lines* are looked at: the non-blank lines up to and including the first line that
//! reads like body text (12 words or more, or 6 or more ending a sentence), at most 12 of them. The
//! header text itself stays in the text and the view.

use crate::StatedDate;
use crate::dates::{self, date_at_start};
use regex::Regex;
use std::sync::LazyLock;

/// What the top of a text says about it.
#[derive(Debug, Default)]
pub(crate) struct TextMeta {
    pub(crate) title: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) stated_date: Option<StatedDate>,
}

/// How many non-blank lines at most are looked at.
const MAX_LEADING: usize = 12;

/// A header key at the start of a line, and the separator after it.
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t]*(?i:(?P<key>date|dated|published(?:[ \t]+on)?|publication[ \t]+date|posted(?:[ \t]+on)?|title|headline|authors?|by|written[ \t]+by))(?P<sep>[ \t]*[:=][ \t]*|[ \t]+)",
    )
    .expect("header pattern compiles")
});

/// A dateline: place (possibly `CITY, Country`), a date with a year, an optional agency in
/// parentheses, then a dash or colon.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let place = r"\p{Lu}[\p{L}.'’\-]*(?:[ \t]+\p{Lu}[\p{L}.'’\-]*){0,3}";
    Regex::new(&format!(
        r"^[ \t]*{place}(?:,[ \t]+{place})?,[ \t]+(?P<date>{date})[ \t]*(?:\([^()\n]{{1,60}}\)[ \t]*)?(?:--?|–|—|:)",
        date = dates::date_pattern(false)
    ))
    .expect("dateline pattern compiles")
});

/// Reads the metadata at the top of `text`; `base` is its base view (same offsets, `\r` and BOM
/// blanked).
pub(crate) fn analyse(text: &str, base: &str) -> TextMeta {
    let mut meta = TextMeta::default();
    let mut header_date: Option<StatedDate> = None;
    let mut dateline: Option<StatedDate> = None;
    let mut header_title: Option<String> = None;
    let mut headline: Option<String> = None;
    for (index, (start, line)) in leading_lines(base).into_iter().enumerate() {
        if let Some(caps) = HEADER.captures(line) {
            let (Some(key), Some(sep), Some(all)) =
                (caps.name("key"), caps.name("sep"), caps.get(0))
            else {
                continue;
            };
            let key = key.as_str().to_ascii_lowercase();
            let colon = sep.as_str().contains([':', '=']);
            let value_at = all.end();
            let value = &line[value_at..];
            let original = clean(&text[start + value_at..start + line.len()]);
            match key.split_whitespace().next().unwrap_or("") {
                "date" | "dated" | "published" | "publication" | "posted" => {
                    // Without a colon (`date 2025-09-09 …`), only the very first line is a header.
                    if header_date.is_none()
                        && (colon || index == 0)
                        && let Some(found) = date_at_start(value)
                    {
                        header_date = Some(StatedDate {
                            date: found.date,
                            source: "header line".to_string(),
                            start: Some(start + value_at + found.start),
                            end: Some(start + value_at + found.end),
                        });
                        continue;
                    }
                }
                "title" | "headline" if colon => {
                    if header_title.is_none() && !original.is_empty() && original.len() <= 300 {
                        header_title = Some(original);
                    }
                    continue;
                }
                "author" | "authors" | "by" | "written" => {
                    let name = original.trim_end_matches(['.', ',', ';', ':']).to_string();
                    let accept = if colon {
                        !name.is_empty() && name.chars().count() <= 150
                    } else {
                        is_name_like(&name)
                    };
                    if accept {
                        if meta.author.is_none() {
                            meta.author = Some(name);
                        }
                        continue;
                    }
                }
                _ => {}
            }
        }
        if dateline.is_none()
            && let Some(caps) = DATELINE.captures(line)
            && let Some(date) = caps.name("date")
            && let Some(found) = date_at_start(date.as_str())
        {
            dateline = Some(StatedDate {
                date: found.date,
                source: "dateline".to_string(),
                start: Some(start + date.start() + found.start),
                end: Some(start + date.start() + found.end),
            });
            continue;
        }
        if headline.is_none() && !is_body(line) && is_headline(line) {
            headline = Some(clean(&text[start..start + line.len()]));
        }
    }
    meta.stated_date = header_date.or(dateline);
    meta.title = header_title.or(headline);
    meta
}

/// The leading lines of `base` with their byte offsets: non-blank lines up to and including the first
/// body line, at most [`MAX_LEADING`].
fn leading_lines(base: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in base.split('\n') {
        let line_start = start;
        start += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        out.push((line_start, line));
        if is_body(line) || out.len() >= MAX_LEADING {
            break;
        }
    }
    out
}

/// A line that reads like running text rather than a heading or a label.
fn is_body(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let t = line.trim_end().trim_end_matches(['"', '\'', '”', '’', ')']);
    words >= 12 || (words >= 6 && t.ends_with(['.', '!', '?']))
}

/// Words a headline in title case writes in lower case.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "as", "vs", "via", "into", "over", "after", "per", "up", "off", "amid", "than", "is",
    "are", "its",
];

/// A short line in title case (or capitals) of three words or more, which does not end like a
/// sentence and is not a label (`Image source: …`, `Photo: …`, `Note: …`) or a site name
/// (`Site - Tagline`, `A | B`).
fn is_headline(line: &str) -> bool {
    let t = line.trim();
    let chars = t.chars().count();
    if !(10..=150).contains(&chars) || t.ends_with(['.', ',', ';', ':']) {
        return false;
    }
    if t.contains(" | ") || t.contains(" - ") {
        return false;
    }
    if let Some((label, _)) = t.split_once(':') {
        let label: Vec<&str> = label.split_whitespace().collect();
        let first = label.first().map(|w| w.to_lowercase()).unwrap_or_default();
        let short_label =
            label.len() == 1 || (label.len() == 2 && label[1].starts_with(char::is_lowercase));
        if LABEL_WORDS.contains(&first.as_str()) || short_label {
            return false;
        }
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if !(3..=20).contains(&words.len()) {
        return false;
    }
    if !words[0].starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    let significant: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.starts_with(char::is_alphabetic))
        .filter(|w| !SMALL_WORDS.contains(&w.to_lowercase().as_str()))
        .collect();
    let capitalised = significant
        .iter()
        .filter(|w| w.starts_with(char::is_uppercase))
        .count();
    significant.len() >= 2 && capitalised * 4 >= significant.len() * 3
}

/// First words of labels such as `Image source:` or `Photo:`.
const LABEL_WORDS: &[&str] = &[
    "image",
    "photo",
    "photograph",
    "picture",
    "source",
    "credit",
    "credits",
    "caption",
    "video",
    "file",
    "illustration",
    "cover",
    "related",
    "read",
    "see",
    "note",
    "editor",
    "update",
    "updated",
];

/// Particles that names write in lower case.
const NAME_PARTICLES: &[&str] = &[
    "and", "de", "da", "di", "van", "von", "der", "den", "la", "le", "al", "el", "bin", "ibn",
];

/// `Jane Roe`, `J. R. Doe and Ann Smith`: one to eight words, each capitalised or a particle.
fn is_name_like(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 8
        && words[0].starts_with(char::is_uppercase)
        && words.iter().all(|w| {
            let w = w.trim_end_matches(',');
            (w.starts_with(char::is_uppercase) || NAME_PARTICLES.contains(&w))
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
        })
}

/// Whitespace runs collapsed to one space, ends trimmed.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn meta(text: &str) -> TextMeta {
        let base = crate::view::Views::build(text).base;
        analyse(text, &base)
    }

    #[test]
    fn date_prefix_on_the_first_line() {
        let text =
            " date 2025-09-09 A delegation crossed the border on Tuesday to hold the talks.\n";
        let m = meta(text);
        let d = m.stated_date.unwrap();
        assert_eq!(d.date, date(2025, 9, 9));
        assert_eq!(d.source, "header line");
        assert_eq!(&text[d.start.unwrap()..d.end.unwrap()], "2025-09-09");
        assert_eq!(m.title, None);
    }

    #[test]
    fn header_block() {
        let text = "Title: Border Talks Resume\r\nAuthor: Jane Roe\r\nPublished: March 3, 2024\r\n\r\nThe talks resumed.\r\n";
        let m = meta(text);
        assert_eq!(m.title.as_deref(), Some("Border Talks Resume"));
        assert_eq!(m.author.as_deref(), Some("Jane Roe"));
        let d = m.stated_date.unwrap();
        assert_eq!(d.date, date(2024, 3, 3));
        assert_eq!(&text[d.start.unwrap()..d.end.unwrap()], "March 3, 2024");
    }

    #[test]
    fn date_without_colon_only_on_the_first_line() {
        let text = "Some Long Headline Here\n\nDate 2024-01-02 was mentioned in a sentence of words that go on.\n";
        assert!(meta(text).stated_date.is_none());
    }

    #[test]
    fn datelines() {
        let text =
            "YEREVAN, Sept. 9, 2025 (Reuters) - Ministers met on Tuesday to discuss the border.";
        let d = meta(text).stated_date.unwrap();
        assert_eq!(d.date, date(2025, 9, 9));
        assert_eq!(d.source, "dateline");
        assert_eq!(&text[d.start.unwrap()..d.end.unwrap()], "Sept. 9, 2025");
        let text = "Talks Begin in the Capital\n\nBAKU, 9 September 2025 — Talks began.";
        let m = meta(text);
        assert_eq!(m.stated_date.unwrap().date, date(2025, 9, 9));
        assert_eq!(m.title.as_deref(), Some("Talks Begin in the Capital"));
        assert!(
            meta("BAKU, Sept. 9 (Reuters) - No year here at all in this dateline, so no date.")
                .stated_date
                .is_none()
        );
    }

    #[test]
    fn headlines_are_picked_conservatively() {
        let m = meta(
            "Site Name - The Best News\n\nsome lower case tagline here\n\nImage source: Press Office of Somewhere\n\nPeace Talks Yield Little Results\n\nBody text that goes on for a while and reads like a sentence of an article.\n",
        );
        assert_eq!(m.title.as_deref(), Some("Peace Talks Yield Little Results"));
        let m = meta(
            "A caption that runs as a full sentence, long enough to count as body text.\nA Credit Line Here\n",
        );
        assert_eq!(m.title, None);
        let m = meta(
            "Independent analysis on global affairs and more\nTowards Rapprochement: Initial Steps\n\nBody.",
        );
        assert_eq!(
            m.title.as_deref(),
            Some("Towards Rapprochement: Initial Steps")
        );
    }

    #[test]
    fn bylines() {
        assert_eq!(
            meta("Headline Of Some Sort\nBy Jane van Roe\n\nText.")
                .author
                .as_deref(),
            Some("Jane van Roe")
        );
        assert_eq!(
            meta("By 2025 the border will open, officials said in a long statement today.").author,
            None
        );
    }
}
