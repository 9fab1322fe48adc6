//! The analysis view of a text: the same bytes, with what only gets in the way of analysis replaced by
//! ASCII spaces, so that every offset in the view is an offset in the text.
//!
//! Two stages:
//! - the *base* view blanks a leading byte-order mark, `\r`, other control characters (tab and line
//!   feed aside) and non-ASCII spaces (U+00A0, U+2000–U+200A, U+202F, U+205F, U+3000, U+2028, U+2029);
//!   its lines are the text's lines, which is what header and title detection look at;
//! - the final view also blanks markdown link syntax (`[text](url)` keeps `text`), footnote marks right
//!   after a word or punctuation (`word[3]`, `end.[12]`, `x[3][4]`), and hard line breaks inside
//!   paragraphs that were wrapped at a fixed width (see [`unwrap_breaks`]).

use regex::Regex;
use std::sync::LazyLock;

/// The two views of a text.
pub(crate) struct Views {
    /// Text with BOM, `\r`, control characters and non-ASCII spaces blanked.
    pub(crate) base: String,
    /// The analysis view.
    pub(crate) view: String,
}

impl Views {
    /// Builds both views of `text`; both have exactly `text.len()` bytes.
    pub(crate) fn build(text: &str) -> Views {
        let mut bytes = text.as_bytes().to_vec();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                // ASCII without decoding: the control characters are 0x00–0x1F and 0x7F.
                if (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f {
                    bytes[i] = b' ';
                }
                i += 1;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let blank = (i == 0 && c == '\u{feff}') || c.is_control() || is_odd_space(c);
            if blank {
                bytes[i..i + c.len_utf8()].fill(b' ');
            }
            i += c.len_utf8();
        }
        let base = into_string(bytes.clone(), text);
        blank_markdown_links(text, &mut bytes);
        blank_footnote_marks(text, &mut bytes);
        for at in unwrap_breaks(&base) {
            bytes[at] = b' ';
        }
        let view = into_string(bytes, text);
        Views { base, view }
    }
}

/// Spaces other than the ASCII space and tab, and the Unicode line and paragraph separators.
fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{2028}' | '\u{2029}'
    )
}

/// Whole characters were replaced by ASCII spaces, so the bytes are still UTF-8; should that ever not
/// hold, the text itself is a valid (if unnormalised) view.
fn into_string(bytes: Vec<u8>, text: &str) -> String {
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// A markdown link: `[label](url)`, with `!` before it for an image. The label is 1 to
/// [`MAX_LABEL`] characters and the URL at most [`MAX_URL`]: [`blank_markdown_links`] checks the
/// lengths, so that the pattern has no counted repetitions (which make it slow to compile).
static MARKDOWN_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(!?)\[([^\[\]\n]+)\]\(([^()\s]*)\)").expect("link pattern compiles")
});

/// The longest link label, in characters.
const MAX_LABEL: usize = 500;

/// The longest link URL, in characters.
const MAX_URL: usize = 2048;

static FOOTNOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\[[0-9]{1,3}\])+").expect("footnote pattern compiles"));

/// `[text](url)` keeps `text`; `!`, `[` and `](url)` become spaces.
///
/// A link whose label or URL is too long is no link. The label and URL runs of the pattern cannot
/// stop early (each ends at the first character it excludes, which must be the `]` or `)` that
/// follows), so such a match means there is no link *starting there*: the search goes on one
/// character later, as a search with the lengths in the pattern would.
fn blank_markdown_links(text: &str, bytes: &mut [u8]) {
    // Every link has `](`: without one the pattern is never needed.
    if !text.contains("](") {
        return;
    }
    let mut at = 0;
    while let Some(caps) = MARKDOWN_LINK.captures_at(text, at) {
        let (Some(whole), Some(label), Some(url)) = (caps.get(0), caps.get(2), caps.get(3)) else {
            break;
        };
        let fits = label.as_str().chars().nth(MAX_LABEL).is_none()
            && url.as_str().chars().nth(MAX_URL).is_none();
        if !fits {
            at = whole.start()
                + text[whole.start()..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
            continue;
        }
        at = whole.end();
        if label.as_str().trim().is_empty() {
            continue;
        }
        bytes[whole.start()..label.start()].fill(b' ');
        bytes[label.end()..whole.end()].fill(b' ');
    }
}

/// `[3]`, `[12]`, `[3][4]` directly after a non-space character become spaces; a mark that starts a
/// line or follows a space (a footnote list, a bracketed number in prose) is kept.
fn blank_footnote_marks(text: &str, bytes: &mut [u8]) {
    if !text.contains('[') {
        return;
    }
    for m in FOOTNOTE.find_iter(text) {
        let Some(prev) = text[..m.start()].chars().next_back() else {
            continue;
        };
        if prev.is_whitespace() || prev == '[' || prev == '(' {
            continue;
        }
        // Leave it alone if something (a markdown link) already changed it.
        if bytes[m.range()] != text.as_bytes()[m.range()] {
            continue;
        }
        bytes[m.range()].fill(b' ');
    }
}

/// One line of a text.
struct LineInfo {
    /// Byte offset of the line's `\n`, if it has one.
    newline: Option<usize>,
    /// The line's length in characters, without surrounding whitespace.
    len: usize,
    /// The line without surrounding whitespace.
    trimmed_start: usize,
    trimmed_end: usize,
}

/// The `\n`s that are hard line breaks inside paragraphs wrapped at a fixed width (text copied from a
/// PDF, e-mail, wrapped markdown), to be replaced by spaces.
///
/// The heuristic, in `base` (where `\r` is already a space):
/// 1. A document is *wrapped* if at least three lines that are followed by another non-blank line are
///    20 characters or longer, their lengths cluster below a width `W` (the 90th percentile of those
///    lengths, 45 to 200 characters: the median is 0.7 W or more and at least 60 % of them are 0.6 W
///    or longer), and fewer than half of them end a sentence. Documents with a paragraph per line, or
///    only short lines, are left alone.
/// 2. In a wrapped document, the break after line `a` followed by non-blank line `b` is joined when
///    `b` does not start a list item (`- `, `* `, `• `, `1. `, `(a) `, `[1]`) and either `a` is long
///    (0.7 W or more) — unless `a` ends a sentence and `b` is short (under 0.5 W) and does not start in
///    lower case, as a caption followed by its credit — or `b` starts in lower case and `a` is at least
///    0.4 W long (a line cut short by a long word).
///
/// Blank-line paragraph breaks, short lines (headings, list items, the last line of a paragraph) and
/// the break after a sentence followed by a short line are kept.
pub(crate) fn unwrap_breaks(base: &str) -> Vec<usize> {
    let lines = line_infos(base);
    let followed: Vec<&LineInfo> = lines
        .windows(2)
        .filter(|w| w[0].len >= 20 && w[1].len > 0)
        .map(|w| &w[0])
        .collect();
    if followed.len() < 3 {
        return Vec::new();
    }
    let mut lens: Vec<usize> = followed.iter().map(|l| l.len).collect();
    lens.sort_unstable();
    let width = lens[(lens.len() - 1) * 9 / 10] as f64;
    let median = lens[(lens.len() - 1) / 2] as f64;
    if !(45.0..=200.0).contains(&width) || median < 0.7 * width {
        return Vec::new();
    }
    let clustered = lens
        .iter()
        .filter(|&&len| len as f64 >= 0.6 * width)
        .count();
    let sentence_ends = followed
        .iter()
        .filter(|l| ends_sentence(&base[l.trimmed_start..l.trimmed_end]))
        .count();
    if (clustered as f64) < 0.6 * lens.len() as f64 || sentence_ends * 2 >= followed.len() {
        return Vec::new();
    }
    let mut breaks = Vec::new();
    for w in lines.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let Some(newline) = a.newline else { continue };
        if a.len == 0 || b.len == 0 {
            continue;
        }
        let a_text = &base[a.trimmed_start..a.trimmed_end];
        let b_text = &base[b.trimmed_start..b.trimmed_end];
        if starts_list_item(b_text) {
            continue;
        }
        let a_len = a.len as f64;
        let long = a_len >= 0.7 * width;
        let lower = b_text.starts_with(|c: char| c.is_lowercase());
        let short_next = (b.len as f64) < 0.5 * width;
        let join = (long && !(ends_sentence(a_text) && short_next && !lower))
            || (lower && a_len >= 0.4 * width);
        if join {
            breaks.push(newline);
        }
    }
    breaks
}

fn line_infos(base: &str) -> Vec<LineInfo> {
    let mut lines = Vec::new();
    let mut start = 0;
    loop {
        let rest = &base[start..];
        let (line, newline) = match rest.find('\n') {
            Some(i) => (&rest[..i], Some(start + i)),
            None => (rest, None),
        };
        let lead = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        lines.push(LineInfo {
            newline,
            len: trimmed.chars().count(),
            trimmed_start: start + lead,
            trimmed_end: start + lead + trimmed.len(),
        });
        match newline {
            Some(i) => start = i + 1,
            None => break,
        }
    }
    lines
}

/// Whether a line ends a sentence: `.`, `!`, `?` or `:`, possibly followed by closing quotes or
/// brackets.
fn ends_sentence(line: &str) -> bool {
    let core = line.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    core.ends_with(['.', '!', '?', ':', '…'])
}

static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-*•–—▪◦]\s|\d{1,3}[.)]\s|\(\w{1,3}\)\s|\[\d{1,3}\])")
        .expect("list pattern compiles")
});

fn starts_list_item(line: &str) -> bool {
    LIST_ITEM.is_match(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str) -> String {
        let v = Views::build(text);
        assert_eq!(v.view.len(), text.len());
        assert_eq!(v.base.len(), text.len());
        v.view
    }

    #[test]
    fn bom_cr_and_odd_spaces_become_spaces() {
        assert_eq!(view("\u{feff}a\r\nb"), "   a \nb");
        assert_eq!(view("11\u{a0}May"), "11  May");
        assert_eq!(view("x\u{feff}y"), "x\u{feff}y");
    }

    #[test]
    fn footnote_marks_after_words_are_blanked() {
        assert_eq!(view("unfriendliness.”[1] In"), "unfriendliness.”    In");
        assert_eq!(view("a claim[3][4], said"), "a claim      , said");
        assert_eq!(view("in 2020[12]."), "in 2020    .");
        assert_eq!(view("[2] A footnote line"), "[2] A footnote line");
        assert_eq!(view("see [3] below"), "see [3] below");
        assert_eq!(view("year [2022]"), "year [2022]");
    }

    #[test]
    fn markdown_links_keep_their_text() {
        assert_eq!(
            view("it took [full control](#) of"),
            "it took  full control     of"
        );
        assert_eq!(
            view("![a map](https://x.org/m.png) here"),
            format!("  a map{} here", " ".repeat("](https://x.org/m.png)".len()))
        );
        assert_eq!(view("[](#) empty"), "[](#) empty");
        assert_eq!(view("[1](#n1)"), " 1      ");
    }

    #[test]
    fn overlong_link_labels_and_urls_are_no_links() {
        let link = |label: &str, url: &str| format!("x [{label}]({url}) y");
        let url = "u".repeat(2048);
        let text = link("a", &url);
        assert_eq!(view(&text), format!("x  a{} y", " ".repeat(url.len() + 3)));
        let long_url = format!("{url}é");
        let text = link("a", &long_url);
        assert_eq!(view(&text), text);
        let label = "é".repeat(500);
        let text = link(&label, "#");
        assert_eq!(view(&text), format!("x  {label}     y"));
        let long_label = format!("{label}b");
        let text = link(&long_label, "#");
        assert_eq!(view(&text), text);
        // A link after the start of an overlong one is still found.
        let text = format!("[{long_label}](#) [in](#)");
        assert_eq!(view(&text), format!("[{long_label}](#)  in    "));
        for text in [&long_url, &url, &label, &long_label] {
            let text = format!("![{text}]({text}) [{text}](x)");
            assert_eq!(links(&text), reference_links(&text));
        }
    }

    /// The bytes [`blank_markdown_links`] blanks in `text`.
    fn links(text: &str) -> Vec<u8> {
        let mut bytes = text.as_bytes().to_vec();
        blank_markdown_links(text, &mut bytes);
        bytes
    }

    /// What the pattern with the lengths in it blanks.
    fn reference_links(text: &str) -> Vec<u8> {
        static RE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(!?)\[([^\[\]\n]{1,500})\]\([^()\s]{0,2048}\)").unwrap());
        let mut bytes = text.as_bytes().to_vec();
        for caps in RE.captures_iter(text) {
            let (whole, label) = (caps.get(0).unwrap(), caps.get(2).unwrap());
            if !label.as_str().trim().is_empty() {
                bytes[whole.start()..label.start()].fill(b' ');
                bytes[label.end()..whole.end()].fill(b' ');
            }
        }
        bytes
    }

    proptest::proptest! {
        #[test]
        fn links_are_found_as_with_the_lengths_in_the_pattern(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("["), proptest::strategy::Just("]"),
                proptest::strategy::Just("("), proptest::strategy::Just(")"),
                proptest::strategy::Just("!"), proptest::strategy::Just("a"),
                proptest::strategy::Just(" "), proptest::strategy::Just("\n"),
                proptest::strategy::Just("é"), proptest::strategy::Just("\u{a0}"),
                proptest::strategy::Just("](x)"),
            ], 0..40),
            long in 0usize..4,
        ) {
            let mut text: String = parts.concat();
            // Now and then a run at a length limit.
            match long {
                1 => text = format!("[{}]({text})", "é".repeat(500)),
                2 => text = format!("[a]({}){text}", "u".repeat(2049)),
                _ => {}
            }
            proptest::prop_assert_eq!(links(&text), reference_links(&text));
        }
    }

    #[test]
    fn wrapped_paragraphs_are_joined_but_structure_kept() {
        let text = "A Short Heading\n\
            \n\
            The delegates from the two capitals met again on the shore of the\n\
            lake and spent most of the week arguing about the wording of the\n\
            third article of the draft, which concerns the shared border and the\n\
            customs posts.\n\
            \n\
            Photo taken on the first day of the talks by a staff photographer.\n\
            Press Office\n\
            \n\
            The second paragraph continues with more words than the first line\n\
            can hold, so it wraps once before it finally ends here.\n";
        let v = view(text);
        assert!(v.contains("shore of the lake and spent"), "{v}");
        assert!(v.contains("of the draft, which"), "{v}");
        assert!(v.contains("border and the customs posts.\n\n"), "{v}");
        assert!(v.starts_with("A Short Heading\n\n"), "{v}");
        assert!(v.contains("photographer.\nPress Office"), "{v}");
        assert!(v.contains("can hold, so it wraps"), "{v}");
    }

    #[test]
    fn lists_and_unwrapped_paragraphs_are_left_alone() {
        let list = "The items agreed at the meeting of the two delegations were these:\n\
            - opening of the border crossing for third-country citizens soon\n\
            - restoring the railway between the two border towns by next year\n\
            - a joint commission on the delimitation of the common border line\n";
        assert_eq!(view(list), list);
        let paragraphs = "One paragraph per line, as news sites and most editors write them, of some length.\n\
            A second paragraph follows directly, of about the same length as the first one.\n\
            A third paragraph follows, again of about the same length as the other two.\n\
            A fourth one, shorter.\n";
        assert_eq!(view(paragraphs), paragraphs);
    }
}
