//! A guard against pathologically deep HTML: HTML parsers spend time proportional to the depth of the
//! open-element stack on many tags, so a page of 200 000 nested `<div>`s takes minutes to parse.
//!
//! [`flatten_deep_nesting`] scans the markup once, keeping a model of the open-element stack, and
//! replaces by spaces every start tag that would open an element deeper than [`MAX_DEPTH`]. The text
//! is untouched, so nothing of the content is lost; only the structure below that depth is. Real pages
//! stay far below the limit and are never changed.
//!
//! The model is deliberately simple and linear: void elements and elements whose end tag may be
//! omitted (`p`, `li`, `td`, …) are not counted (they cannot nest without a counted element between
//! them); an end tag closes the innermost open element of its name among the last 64 opened and
//! everything opened after it — except formatting elements (`b`, `i`, `a`, …), which the parser
//! reopens — and is ignored when there is none; the content of raw-text elements (`script`,
//! `style`, `textarea`, …) and comments is skipped; inside `svg`/`math`, `<x/>` closes itself.

/// Deepest element nesting kept.
pub(crate) const MAX_DEPTH: usize = 512;

/// Elements without content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound", "image",
];

/// Elements whose end tag may be omitted: a sibling closes them, so they do not nest by themselves.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
    "colgroup", "caption", "rb", "rt", "rp", "rtc",
];

/// How far down the open-element stack an end tag looks for its element; an end tag whose element
/// is deeper is ignored. This keeps the scan linear.
const END_TAG_REACH: usize = 64;

/// Formatting elements: when an end tag closes them implicitly, the parser reopens them (the
/// adoption agency), so they stay on the stack.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

fn is_foreign_root(name: &str) -> bool {
    name == "svg" || name == "math"
}

/// The markup with start tags deeper than [`MAX_DEPTH`] replaced by spaces, or `None` when no tag is
/// that deep.
pub(crate) fn flatten_deep_nesting(source: &str) -> Option<String> {
    let bytes = source.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut foreign = 0usize;
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(offset) = memchr(b'<', &bytes[i..]) {
        let start = i + offset;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr(b'>', &bytes[start..]).map_or(bytes.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.starts_with(b"</");
        let name_at = start + if closing { 2 } else { 1 };
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_end = name_at
            + bytes[name_at..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_')))
                .unwrap_or(bytes.len() - name_at);
        let name = source[name_at..name_end].to_ascii_lowercase();
        let Some(end) = tag_end(bytes, name_end) else {
            break;
        };
        i = end + 1;
        if closing {
            // The innermost open element of that name, among the last few opened.
            let window = stack.len().saturating_sub(END_TAG_REACH);
            if let Some(at) = stack[window..].iter().rposition(|n| *n == name) {
                let closed = stack.split_off(window + at);
                foreign =
                    foreign.saturating_sub(closed.iter().filter(|n| is_foreign_root(n)).count());
                // Formatting elements closed implicitly are reopened by the parser.
                for inner in closed.into_iter().skip(1) {
                    if FORMATTING.contains(&inner.as_str()) && stack.len() < MAX_DEPTH {
                        stack.push(inner);
                    }
                }
            }
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) && foreign == 0 {
            let close = format!("</{name}");
            i = find_ignore_case(bytes, i, close.as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        if name == "plaintext" {
            break;
        }
        let self_closing = end > 0 && bytes[end - 1] == b'/';
        if VOID.contains(&name.as_str())
            || OPTIONAL_END.contains(&name.as_str())
            || (self_closing && foreign > 0)
        {
            continue;
        }
        if stack.len() >= MAX_DEPTH {
            blanks.push((start, end + 1));
            continue;
        }
        if is_foreign_root(&name) {
            foreign += 1;
        }
        stack.push(name);
    }
    if blanks.is_empty() {
        return None;
    }
    let mut out = bytes.to_vec();
    for (from, to) in blanks {
        out[from..to].fill(b' ');
    }
    // Whole tags (ASCII `<` to `>`) were replaced, so the bytes are still UTF-8.
    String::from_utf8(out).ok()
}

/// The offset of the `>` ending a tag whose name ends at `from`, skipping quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (offset, &b) in bytes[from..].iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(from + offset),
            None => {}
        }
    }
    None
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_left_alone() {
        let page = "<html><body><div><p>a<p>b<ul><li>x<li>y</ul><br><img src=x></div>\
                    <script>if (a < b) { '<div>'.repeat(9999) }</script></body></html>";
        assert_eq!(flatten_deep_nesting(page), None);
        let many_siblings = "<div>x</div>".repeat(5000);
        assert_eq!(flatten_deep_nesting(&many_siblings), None);
        let unclosed_paragraphs = "<p>x".repeat(5000);
        assert_eq!(flatten_deep_nesting(&unclosed_paragraphs), None);
    }

    #[test]
    fn deep_nesting_is_cut_at_the_limit() {
        let page = format!(
            "{}text{}",
            "<div class=\"a>b\">".repeat(600),
            "</div>".repeat(600)
        );
        let flat = flatten_deep_nesting(&page).unwrap();
        assert_eq!(flat.len(), page.len());
        assert_eq!(flat.matches("<div").count(), MAX_DEPTH);
        assert!(flat.contains("text"));
    }

    #[test]
    fn unmatched_end_tags_do_not_hide_depth() {
        let page = "<em>x</b>".repeat(MAX_DEPTH + 10);
        let flat = flatten_deep_nesting(&page).unwrap();
        assert_eq!(flat.matches("<em>").count(), MAX_DEPTH);
    }

    #[test]
    fn reopened_formatting_elements_count() {
        let page = "<i><b>x</i>".repeat(MAX_DEPTH + 10);
        assert!(flatten_deep_nesting(&page).is_some());
    }

    #[test]
    fn end_tags_close_what_was_opened_inside() {
        // Each section closes the unclosed spans opened in it.
        let page = "<section><span><span></section>".repeat(2000);
        assert_eq!(flatten_deep_nesting(&page), None);
    }
}
