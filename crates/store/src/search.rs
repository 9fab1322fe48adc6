//! Full-text search over documents and event evidence.
//!
//! Both backends index a *folded* copy of the text (deunicode per character, then lower case, the
//! same fold the gazetteer matches with), so `kilic` finds `Kılıç`, `turkiye` finds `Türkiye` and
//! `istanbul` finds `İstanbul`. SQLite ranks with FTS5's BM25, PostgreSQL with `ts_rank` over a
//! `simple` tsvector. A query is words and `"quoted phrases"`, all of which must match. Snippets
//! are cut from the original text around the first hit and mark every hit, found through the fold's
//! byte map, so they show the text as written.

use crate::db::{Backend, Value};
use crate::{Store, StoreError};
use peacetrack_extract::fold::Folded;
use serde::Serialize;

/// A parsed query: phrases of folded words (a single word is a phrase of one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// Each phrase's folded words.
    pub phrases: Vec<Vec<String>>,
}

impl Query {
    /// Parses words and `"quoted phrases"`; folds them. Punctuation separates words.
    pub fn parse(q: &str) -> Query {
        let mut phrases = Vec::new();
        for (i, part) in q.split('"').enumerate() {
            let words: Vec<String> = Folded::new(part)
                .as_str()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            if i % 2 == 1 {
                if !words.is_empty() {
                    phrases.push(words);
                }
            } else {
                phrases.extend(words.into_iter().map(|w| vec![w]));
            }
        }
        Query { phrases }
    }

    /// The FTS5 MATCH expression: every phrase quoted.
    fn fts5(&self) -> String {
        self.phrases
            .iter()
            .map(|p| format!("\"{}\"", p.join(" ")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// `document` or `event`.
    pub kind: String,
    /// The document id or event id.
    pub id: String,
    /// A title: the document's name and title, or the event's type, date and actors.
    pub title: String,
    /// Relevance (higher is better).
    pub score: f64,
    /// Text around the first match.
    pub snippet: String,
    /// Byte ranges of the matches inside `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// Finds every match of the query's words in `text` (folded, whole words) and cuts a snippet of
/// about `width` bytes around the first one.
pub fn snippet(text: &str, query: &Query, width: usize) -> (String, Vec<(usize, usize)>) {
    let folded = Folded::new(text);
    let f = folded.as_str();
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for phrase in &query.phrases {
        let needle = phrase.join(" ");
        if needle.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(pos) = f[from..].find(&needle) {
            let s = from + pos;
            let e = s + needle.len();
            let before = f[..s]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after = f[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if before && after {
                let r = folded.source(s..e);
                hits.push((r.start, r.end));
            }
            from = e;
        }
    }
    hits.sort();
    hits.dedup();
    let Some(&(first, _)) = hits.first() else {
        let end = floor_char(text, width.min(text.len()));
        return (collapse(&text[..end]).0, Vec::new());
    };
    let mut start = floor_char(text, first.saturating_sub(width / 3));
    if let Some(space) = text[start..first].find(' ')
        && start > 0
    {
        start += space + 1;
    }
    let mut end = floor_char(text, (start + width).min(text.len()));
    if end < text.len()
        && let Some(space) = text[..end].rfind(' ')
        && space > first
    {
        end = space;
    }
    let window = &text[start..end];
    let (clean, map) = collapse(window);
    let marks = hits
        .iter()
        .filter(|&&(s, e)| s >= start && e <= end)
        .map(|&(s, e)| (map[s - start], map[e - start]))
        .collect();
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let shift = prefix.len();
    (
        format!("{prefix}{clean}{suffix}"),
        marks_shift(marks, shift),
    )
}

fn marks_shift(marks: Vec<(usize, usize)>, by: usize) -> Vec<(usize, usize)> {
    marks.into_iter().map(|(s, e)| (s + by, e + by)).collect()
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whitespace runs → one space; returns the text and a map from each input byte offset (and the
/// end) to the output offset.
fn collapse(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = vec![0; s.len() + 1];
    let mut prev_space = false;
    for (i, c) in s.char_indices() {
        for m in map.iter_mut().skip(i).take(c.len_utf8()) {
            *m = out.len();
        }
        if c.is_whitespace() {
            if !prev_space {
                out.push(' ');
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
    map[s.len()] = out.len();
    (out, map)
}

impl Store {
    /// Searches documents and events; best first, at most `limit` of each kind.
    pub fn search(&mut self, q: &str, limit: usize) -> Result<Vec<Hit>, StoreError> {
        let query = Query::parse(q);
        if query.phrases.is_empty() {
            return Err(StoreError::Invalid(format!("{q:?}: nothing to search for")));
        }
        let mut hits = Vec::new();
        for kind in ["doc", "claim"] {
            let want = if kind == "doc" { limit } else { limit * 4 };
            let rows = match self.backend() {
                Backend::Sqlite => self.conn.query(
                    &format!(
                        "SELECT ref, -bm25(search) FROM search WHERE search MATCH ? AND kind = ? \
                         ORDER BY bm25(search), ref LIMIT {want}"
                    ),
                    &[query.fts5().into(), kind.into()],
                )?,
                Backend::Postgres => {
                    let tsq = (0..query.phrases.len())
                        .map(|_| "phraseto_tsquery('simple', ?)")
                        .collect::<Vec<_>>()
                        .join(" && ");
                    // Parameters in the order the statement names them: the rank's phrases, the
                    // kind, the match's phrases.
                    let phrases: Vec<Value> = query
                        .phrases
                        .iter()
                        .map(|p| Value::from(p.join(" ")))
                        .collect();
                    let mut params = phrases.clone();
                    params.push(kind.into());
                    params.extend(phrases);
                    self.conn.query(
                        &format!(
                            "SELECT ref, ts_rank(tsv, {tsq})::float8 FROM search WHERE kind = ? AND tsv @@ ({tsq}) \
                             ORDER BY 2 DESC, ref LIMIT {want}"
                        ),
                        &params,
                    )?
                }
            };
            if kind == "doc" {
                for r in rows {
                    let id = r[0].string();
                    let Some(d) = self.conn.query_one(
                        "SELECT name, title, body FROM documents WHERE id = ?",
                        &[id.as_str().into()],
                    )?
                    else {
                        continue;
                    };
                    let (snip, marks) = snippet(&d[2].string(), &query, 200);
                    let title = match d[1].opt_text() {
                        Some(t) => format!("{} — {t}", d[0].string()),
                        None => d[0].string(),
                    };
                    hits.push(Hit {
                        kind: "document".into(),
                        id,
                        title,
                        score: r[1].real(),
                        snippet: snip,
                        highlights: marks,
                    });
                }
            } else {
                let mut seen = std::collections::BTreeSet::new();
                for r in rows {
                    let Some(c) = self.conn.query_one(
                        "SELECT c.event_id, c.quote, e.kind, e.date, e.actors FROM claims c \
                         JOIN events e ON e.id = c.event_id WHERE c.id = ?",
                        &[r[0].clone()],
                    )?
                    else {
                        continue;
                    };
                    let event = c[0].string();
                    if !seen.insert(event.clone()) || seen.len() > limit {
                        continue;
                    }
                    let (snip, marks) = snippet(&c[1].string(), &query, 200);
                    let actors = crate::parse_list(&c[4]).join(", ");
                    hits.push(Hit {
                        kind: "event".into(),
                        id: event,
                        title: format!(
                            "{} {} {}",
                            c[2].string(),
                            c[3].opt_text().unwrap_or_else(|| "(undated)".into()),
                            actors
                        )
                        .trim()
                        .to_string(),
                        score: r[1].real(),
                        snippet: snip,
                        highlights: marks,
                    });
                }
            }
        }
        hits.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.kind.cmp(&b.kind))
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_fold_and_keep_phrases() {
        let q = Query::parse("Kılıç \"Hakan  Fidan\" İstanbul");
        assert_eq!(
            q.phrases,
            [
                vec!["kilic".to_string()],
                vec!["hakan".into(), "fidan".into()],
                vec!["istanbul".into()]
            ]
        );
        assert_eq!(q.fts5(), "\"kilic\" \"hakan fidan\" \"istanbul\"");
        assert!(Query::parse("  \"\" ").phrases.is_empty());
        assert_eq!(
            Query::parse("a\"b").phrases,
            [vec!["a".to_string()], vec!["b".to_string()]]
        );
    }

    #[test]
    fn snippets_mark_hits_in_the_original_text() {
        let text = "Talks were held.\nSerdar Kılıç met the envoy in İstanbul; Kilic said so.";
        let (s, marks) = snippet(text, &Query::parse("kilic istanbul"), 200);
        let marked: Vec<&str> = marks.iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(marked, ["Kılıç", "İstanbul", "Kilic"]);
        assert!(!s.contains('\n'));
        let (s, marks) = snippet(text, &Query::parse("nothing"), 10);
        assert!(marks.is_empty() && s.len() <= 10);
        // Partial words do not count.
        let (_, marks) = snippet("Kilicdaroglu spoke", &Query::parse("kilic"), 50);
        assert!(marks.is_empty());
    }
}
