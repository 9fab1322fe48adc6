//! `/record`: the timeline and the documents as a plain server-rendered HTML page, every byte from
//! the record escaped, no script and no inline style (the CSP allows neither), for browsers without
//! JavaScript and for quick checks. The web interface proper is the application at `/`
//! (`assets.rs`, `web/src`).

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use peacetrack_store::EventFilter;
use std::fmt::Write as _;

/// Timeline rows shown on the page.
const MAX_ROWS: usize = 500;

/// Text as HTML text or attribute value: `& < > " '` become references.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A path segment: everything but unreserved characters percent-encoded.
pub(crate) fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn clip(s: &str, max_chars: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// `GET /record`: the timeline (first [`MAX_ROWS`] dated events) and the documents.
pub(crate) async fn index(State(state): State<AppState>) -> Result<Response, ApiError> {
    let (events, docs) = state
        .read(|store, _| {
            let events = store.events(&EventFilter {
                limit: Some(MAX_ROWS + 1),
                ..EventFilter::default()
            })?;
            Ok((events, store.documents()?))
        })
        .await?;
    let mut h = String::with_capacity(16 * 1024);
    h.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>peacetrack</title>\n</head>\n<body>\n<h1>peacetrack</h1>\n\
         <p>The record as a plain page. The web interface is at <a href=\"/\">/</a>, and the JSON \
         API is described at <a href=\"/api/openapi.json\">/api/openapi.json</a>.</p>\n",
    );
    let shown = events.len().min(MAX_ROWS);
    let _ = writeln!(h, "<h2>Timeline</h2>");
    if events.len() > MAX_ROWS {
        let _ = writeln!(
            h,
            "<p>The first {MAX_ROWS} dated events; the rest through \
             <a href=\"/api/events?offset={MAX_ROWS}\">/api/events?offset={MAX_ROWS}</a>.</p>"
        );
    } else {
        let _ = writeln!(h, "<p>{shown} dated events.</p>");
    }
    h.push_str(
        "<table>\n<thead><tr><th>date</th><th>type</th><th>actors</th><th>place</th>\
         <th>sources</th><th>evidence</th></tr></thead>\n<tbody>\n",
    );
    for e in events.iter().take(MAX_ROWS) {
        let mut docs: Vec<&str> = e.sources.iter().map(|s| s.doc.as_str()).collect();
        docs.sort_unstable();
        docs.dedup();
        let evidence = e.sources.first().map(|s| s.text.as_str()).unwrap_or("");
        let _ = writeln!(
            h,
            "<tr><td><a href=\"/api/events/{}\">{}</a></td><td>{} / {}</td><td>{}</td><td>{}</td>\
             <td>{} ({})</td><td>{}</td></tr>",
            escape(&segment(&e.id)),
            escape(e.date.as_deref().unwrap_or("—")),
            escape(&e.kind),
            escape(&e.mode),
            escape(&e.actors.join(", ")),
            escape(e.place.as_deref().unwrap_or("")),
            e.sources.len(),
            escape(&docs.join(", ")),
            escape(&clip(evidence, 200)),
        );
    }
    h.push_str("</tbody>\n</table>\n");
    let _ = writeln!(
        h,
        "<h2>Documents</h2>\n<p>{} documents.</p>\n<ul>",
        docs.len()
    );
    for d in &docs {
        let _ = writeln!(
            h,
            "<li><a href=\"/api/documents/{}\">{}</a>{}{}</li>",
            escape(&segment(&d.id)),
            escape(&d.name),
            d.title
                .as_deref()
                .map(|t| format!(": {}", escape(&clip(t, 120))))
                .unwrap_or_default(),
            d.date
                .as_deref()
                .map(|t| format!(" ({})", escape(t)))
                .unwrap_or_default(),
        );
    }
    h.push_str("</ul>\n</body>\n</html>\n");
    let mut res = h.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(segment("ev-12ab"), "ev-12ab");
        assert_eq!(segment("a b/../\"c"), "a%20b%2F..%2F%22c");
        assert_eq!(segment("Kılıç"), "K%C4%B1l%C4%B1%C3%A7");
        assert_eq!(clip("a  b\nc", 10), "a b c");
        assert_eq!(clip("abcdef", 3), "abc…");
    }
}
