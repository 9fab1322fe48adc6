//! TimeML reading and TempEval-3 Task A scoring.
//!
//! # Reading
//! [`parse`] turns one TimeML 1.2 document into a [`TimemlDoc`]: the content of `<TEXT>` with every tag
//! removed and XML entities decoded (the text a tagger sees), the gold `<TIMEX3>` annotations as byte
//! offsets into that text, and the document creation time (DCT) taken from the `CREATION_TIME` timex.
//! The tag scanner is hand-rolled and lenient: it never panics, tolerates stray `<` and unknown entities
//! in text, and reports a [`TimemlError`] with a line number only when the document's structure makes the
//! gold annotations unusable (no `<TEXT>`, an unterminated tag, unbalanced `<TIMEX3>`, a missing
//! `type`/`value`). Empty (non-consuming) `<TIMEX3 … />` elements have no span and are not gold.
//! [`read_dir`] reads files and directories (recursively, `.tml` files, sorted).
//!
//! # Scoring
//! [`score`] runs a system over the documents and compares its output with the gold annotations as in
//! TempEval-3 Task A:
//! - spans are compared after trimming surrounding whitespace;
//! - gold and system expressions are matched one to one, greedily: exact-span pairs first, then by
//!   decreasing overlap (ties broken by position), so each gold and each system expression is used once;
//! - relaxed span: the matched pairs (any overlap); strict span: matched pairs with identical offsets;
//! - value (and type) P/R/F1: relaxed matches whose value (type) equals gold's, over the system count
//!   (precision) and the gold count (recall); accuracies are the same over the relaxed matches.
//!
//! [`Scores`] also keeps per-document counts and the error lists (missed, spurious, wrong value, wrong
//! type) for error reports, and serialises with serde.

use crate::{Timex, TimexType};
use jiff::civil::Date;
use serde::Serialize;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// One TimeML document: the plain text of `<TEXT>` and its gold temporal expressions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimemlDoc {
    /// The `<DOCID>` content, or the file stem when the document has none.
    pub id: String,
    /// The path the document was read from (as given for messages).
    pub path: String,
    /// Date of the document creation time (the `CREATION_TIME` timex), if it has a parseable one.
    pub dct: Option<Date>,
    /// Content of `<TEXT>`: tags removed, entities decoded.
    pub text: String,
    /// Gold `<TIMEX3>` annotations inside `<TEXT>`, in document order.
    pub gold: Vec<GoldTimex>,
}

/// One gold `<TIMEX3>` annotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoldTimex {
    /// Byte offset of the first byte in [`TimemlDoc::text`].
    pub start: usize,
    /// Byte offset one past the last byte in [`TimemlDoc::text`].
    pub end: usize,
    /// TIMEX3 `type`.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// TIMEX3 `value`.
    pub value: String,
    /// TIMEX3 `mod`, when annotated.
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// The annotated text (`text[start..end]`).
    pub text: String,
}

/// A TimeML file could not be read or is malformed.
#[derive(Debug, thiserror::Error)]
pub enum TimemlError {
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The document is not usable TimeML.
    #[error("{path}:{line}: {message}")]
    Malformed {
        /// The file.
        path: String,
        /// 1-based line of the problem in the file.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A directory holds no `.tml` file.
    #[error("{path}: no .tml files found")]
    NoDocuments {
        /// The directory.
        path: String,
    },
}

// ---------------------------------------------------------------------------------------------------
// Tag scanner
// ---------------------------------------------------------------------------------------------------

/// What the scanner found at one place in the document.
#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    /// Character data (entities not yet decoded).
    Text(&'a str),
    /// A CDATA section's content (taken literally).
    CData(&'a str),
    /// `<name attr="v">`, or `<name … />` when `empty`.
    Start {
        name: &'a str,
        attrs: Vec<(&'a str, &'a str)>,
        empty: bool,
    },
    /// `</name>`.
    End(&'a str),
    /// Comment, processing instruction or declaration: ignored.
    Other,
}

/// A lenient XML tokenizer over a string; every slice it produces lies on char boundaries because it only
/// ever cuts at ASCII delimiters.
struct Scanner<'a> {
    src: &'a str,
    pos: usize,
}

/// A scanning problem: byte offset in the source and message.
type ScanError = (usize, String);

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80
}

fn is_name_end(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'>' | b'/' | b'=' | b'<' | b'"' | b'\'')
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str) -> Scanner<'a> {
        Scanner { src, pos: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn skip_ws(&mut self) {
        while self.pos < self.src.len() && self.bytes()[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn name(&mut self) -> &'a str {
        let start = self.pos;
        while self.pos < self.src.len() && !is_name_end(self.bytes()[self.pos]) {
            self.pos += 1;
        }
        &self.src[start..self.pos]
    }

    /// Skips to just past `delim`; returns the content before it, or an error if it never comes.
    fn until(&mut self, delim: &str, what: &str) -> Result<&'a str, ScanError> {
        let at = self.pos;
        match self.rest().find(delim) {
            Some(i) => {
                let content = &self.src[at..at + i];
                self.pos = at + i + delim.len();
                Ok(content)
            }
            None => Err((at, format!("unterminated {what}"))),
        }
    }

    /// The next token, or `None` at the end of the input.
    fn next_token(&mut self) -> Option<Result<(usize, Token<'a>), ScanError>> {
        if self.pos >= self.src.len() {
            return None;
        }
        let start = self.pos;
        let bytes = self.bytes();
        if bytes[start] != b'<' || !self.at_markup() {
            // Character data up to the next markup (a `<` that does not start markup stays text).
            // Skip the literal `<` (ASCII, so `end` stays on a char boundary).
            let mut end = if bytes[start] == b'<' {
                start + 1
            } else {
                start
            };
            loop {
                match self.src[end..].find('<') {
                    None => {
                        end = self.src.len();
                        break;
                    }
                    Some(i) => {
                        end += i;
                        self.pos = end;
                        if self.at_markup() {
                            break;
                        }
                        end += 1;
                    }
                }
            }
            self.pos = end;
            return Some(Ok((start, Token::Text(&self.src[start..end]))));
        }
        Some(self.markup().map(|t| (start, t)))
    }

    /// Whether the `<` at `pos` starts markup (a tag, comment, CDATA, declaration or PI).
    fn at_markup(&self) -> bool {
        let b = self.bytes();
        match b.get(self.pos + 1) {
            Some(&c) if is_name_start(c) => true,
            Some(b'/') => b.get(self.pos + 2).is_some_and(|&c| is_name_start(c)),
            Some(b'!') | Some(b'?') => true,
            _ => false,
        }
    }

    /// Scans the markup at `pos` (which is at a `<` for which [`Self::at_markup`] holds).
    fn markup(&mut self) -> Result<Token<'a>, ScanError> {
        let rest = self.rest();
        if rest.starts_with("<!--") {
            self.pos += 4;
            self.until("-->", "comment")?;
            return Ok(Token::Other);
        }
        if rest.starts_with("<![CDATA[") {
            self.pos += 9;
            return self.until("]]>", "CDATA section").map(Token::CData);
        }
        if rest.starts_with("<?") {
            self.pos += 2;
            self.until("?>", "processing instruction")?;
            return Ok(Token::Other);
        }
        if rest.starts_with("<!") {
            self.pos += 2;
            return self.declaration();
        }
        let tag_start = self.pos;
        if rest.starts_with("</") {
            self.pos += 2;
            let name = self.name();
            self.skip_ws();
            return if self.bytes().get(self.pos) == Some(&b'>') {
                self.pos += 1;
                Ok(Token::End(name))
            } else {
                Err((tag_start, format!("malformed end tag </{name}")))
            };
        }
        self.pos += 1;
        let name = self.name();
        let mut attrs = Vec::new();
        loop {
            self.skip_ws();
            let Some(&b) = self.bytes().get(self.pos) else {
                return Err((tag_start, format!("unterminated tag <{name}")));
            };
            match b {
                b'>' => {
                    self.pos += 1;
                    return Ok(Token::Start {
                        name,
                        attrs,
                        empty: false,
                    });
                }
                b'/' if self.bytes().get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    return Ok(Token::Start {
                        name,
                        attrs,
                        empty: true,
                    });
                }
                b'<' => return Err((tag_start, format!("unterminated tag <{name}"))),
                _ => {}
            }
            let attr = self.name();
            if attr.is_empty() {
                // A stray character (`/`, `=`, a quote): skip it so the scan always advances.
                self.pos += 1;
                continue;
            }
            self.skip_ws();
            if self.bytes().get(self.pos) != Some(&b'=') {
                attrs.push((attr, ""));
                continue;
            }
            self.pos += 1;
            self.skip_ws();
            let value = match self.bytes().get(self.pos) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    self.pos += 1;
                    let quote = if q == b'"' { "\"" } else { "'" };
                    self.until(quote, "attribute value").map_err(|_| {
                        (
                            tag_start,
                            format!("unterminated attribute value in <{name}"),
                        )
                    })?
                }
                _ => {
                    let start = self.pos;
                    while self.pos < self.src.len()
                        && !self.bytes()[self.pos].is_ascii_whitespace()
                        && self.bytes()[self.pos] != b'>'
                    {
                        self.pos += 1;
                    }
                    &self.src[start..self.pos]
                }
            };
            attrs.push((attr, value));
        }
    }

    /// Skips a `<!…>` declaration (such as DOCTYPE), including a bracketed internal subset.
    fn declaration(&mut self) -> Result<Token<'a>, ScanError> {
        let start = self.pos - 2;
        let mut depth = 0usize;
        let mut quote: Option<u8> = None;
        while let Some(&b) = self.bytes().get(self.pos) {
            self.pos += 1;
            match (quote, b) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'[') => depth += 1,
                (None, b']') => depth = depth.saturating_sub(1),
                (None, b'>') if depth == 0 => return Ok(Token::Other),
                _ => {}
            }
        }
        Err((start, "unterminated declaration".to_string()))
    }
}

/// Decodes the five predefined XML entities and numeric character references; anything else that looks
/// like an entity (unknown names, invalid code points, a bare `&`) is kept as written.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // Entity names are short; look for the `;` within a bounded window.
        let semi = rest.as_bytes().iter().take(12).position(|&b| b == b';');
        let decoded = semi.and_then(|j| decode_entity(&rest[1..j]).map(|c| (c, j)));
        match decoded {
            Some((c, j)) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let (digits, radix) = match num.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16),
                None => (num, 10),
            };
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return None;
            }
            char::from_u32(u32::from_str_radix(digits, radix).ok()?)
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------

fn attr<'a>(attrs: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|&(_, v)| v)
}

fn line_of(xml: &str, offset: usize) -> usize {
    let offset = offset.min(xml.len());
    xml.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The date part of a TIMEX3 date or datetime value (`1998-01-08`, `1999-10-24T20:00`).
fn dct_date(value: &str) -> Option<Date> {
    let date = value.trim().split('T').next()?;
    date.parse::<Date>().ok()
}

/// A TIMEX3 opened inside `<TEXT>` and not yet closed.
struct OpenTimex {
    start: usize,
    kind: TimexType,
    value: String,
    modifier: Option<String>,
    xml_offset: usize,
}

/// Parses one TimeML document. `path_for_messages` is stored in [`TimemlDoc::path`], used in errors and
/// gives the document id when there is no `<DOCID>`.
pub fn parse(path_for_messages: &str, xml: &str) -> Result<TimemlDoc, TimemlError> {
    let malformed = |offset: usize, message: String| TimemlError::Malformed {
        path: path_for_messages.to_string(),
        line: line_of(xml, offset),
        message,
    };
    // Skip a byte-order mark.
    let body = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let base = xml.len() - body.len();

    let mut scanner = Scanner::new(body);
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut open: Vec<OpenTimex> = Vec::new();
    let mut in_text = false;
    let mut text_done = false;
    let mut text_open_at = 0usize;
    let mut in_docid = false;
    let mut docid = String::new();
    let mut dct_value: Option<String> = None;

    while let Some(token) = scanner.next_token() {
        let (at, token) = token.map_err(|(at, msg)| malformed(base + at, msg))?;
        let at = base + at;
        match token {
            Token::Text(raw) => {
                if in_text {
                    text.push_str(&decode_entities(raw));
                } else if in_docid {
                    docid.push_str(&decode_entities(raw));
                }
            }
            Token::CData(raw) => {
                if in_text {
                    text.push_str(raw);
                } else if in_docid {
                    docid.push_str(raw);
                }
            }
            Token::Other => {}
            Token::Start { name, attrs, empty } => {
                if name.eq_ignore_ascii_case("TEXT") {
                    if in_text || text_done {
                        return Err(malformed(at, "more than one <TEXT> element".into()));
                    }
                    if empty {
                        text_done = true;
                    } else {
                        in_text = true;
                        text_open_at = at;
                    }
                } else if name.eq_ignore_ascii_case("DOCID") && !empty && !in_text {
                    in_docid = true;
                } else if name.eq_ignore_ascii_case("TIMEX3") {
                    let function = attr(&attrs, "functionInDocument").unwrap_or("");
                    if function.eq_ignore_ascii_case("CREATION_TIME") && dct_value.is_none() {
                        dct_value =
                            Some(decode_entities(attr(&attrs, "value").unwrap_or("")).into());
                    }
                    if in_text && !empty {
                        let kind = match attr(&attrs, "type") {
                            None => return Err(malformed(at, "<TIMEX3> without a type".into())),
                            Some(t) => TimexType::parse(t.trim()).ok_or_else(|| {
                                malformed(at, format!("<TIMEX3> with unknown type \"{t}\""))
                            })?,
                        };
                        let value = attr(&attrs, "value")
                            .ok_or_else(|| malformed(at, "<TIMEX3> without a value".into()))?;
                        let modifier = attr(&attrs, "mod")
                            .map(|m| decode_entities(m.trim()).into_owned())
                            .filter(|m| !m.is_empty());
                        open.push(OpenTimex {
                            start: text.len(),
                            kind,
                            value: decode_entities(value.trim()).into_owned(),
                            modifier,
                            xml_offset: at,
                        });
                    }
                }
            }
            Token::End(name) => {
                if name.eq_ignore_ascii_case("TEXT") && in_text {
                    if let Some(t) = open.first() {
                        return Err(malformed(
                            t.xml_offset,
                            "<TIMEX3> not closed before </TEXT>".into(),
                        ));
                    }
                    in_text = false;
                    text_done = true;
                } else if name.eq_ignore_ascii_case("DOCID") {
                    in_docid = false;
                } else if name.eq_ignore_ascii_case("TIMEX3") && in_text {
                    let Some(t) = open.pop() else {
                        return Err(malformed(at, "</TIMEX3> without an opening tag".into()));
                    };
                    let end = text.len();
                    gold.push(GoldTimex {
                        start: t.start,
                        end,
                        kind: t.kind,
                        value: t.value,
                        modifier: t.modifier,
                        text: text[t.start..end].to_string(),
                    });
                }
            }
        }
    }
    if in_text {
        return Err(malformed(text_open_at, "<TEXT> is never closed".into()));
    }
    if !text_done {
        return Err(malformed(0, "no <TEXT> element".into()));
    }
    // Nested timexes close inner-first; keep document order.
    gold.sort_by_key(|g| (g.start, std::cmp::Reverse(g.end)));

    let id = match docid.trim() {
        "" => Path::new(path_for_messages)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| path_for_messages.to_string()),
        d => d.to_string(),
    };
    Ok(TimemlDoc {
        id,
        path: path_for_messages.to_string(),
        dct: dct_value.as_deref().and_then(dct_date),
        text,
        gold,
    })
}

/// Reads TimeML documents. Each path is a file (read whatever its extension) or a directory (every
/// `.tml` file below it, recursively, sorted by path). Fails on the first unreadable or malformed file,
/// and on a directory without `.tml` files.
pub fn read_dir(paths: &[PathBuf]) -> Result<Vec<TimemlDoc>, TimemlError> {
    let mut docs = Vec::new();
    for path in paths {
        let io = |source| TimemlError::Io {
            path: path.display().to_string(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        let files = if meta.is_dir() {
            let mut files = Vec::new();
            collect_tml(path, &mut files, 0)?;
            if files.is_empty() {
                return Err(TimemlError::NoDocuments {
                    path: path.display().to_string(),
                });
            }
            files.sort();
            files
        } else {
            vec![path.clone()]
        };
        for file in files {
            let shown = file.display().to_string();
            let bytes = std::fs::read(&file).map_err(|source| TimemlError::Io {
                path: shown.clone(),
                source,
            })?;
            let xml = String::from_utf8_lossy(&bytes);
            docs.push(parse(&shown, &xml)?);
        }
    }
    Ok(docs)
}

/// Deepest directory nesting followed (guards against symbolic-link cycles).
const MAX_DEPTH: usize = 64;

fn collect_tml(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), TimemlError> {
    let io = |path: &Path, source| TimemlError::Io {
        path: path.display().to_string(),
        source,
    };
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        let meta = std::fs::metadata(&path).map_err(|e| io(&path, e))?;
        if meta.is_dir() {
            collect_tml(&path, out, depth + 1)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tml"))
        {
            out.push(path);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------------

/// Precision, recall and F1 of one measure (fractions in 0..=1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Number of correct system expressions under this measure.
    pub correct: usize,
    /// `correct / system` (0 when the system found nothing).
    pub precision: f64,
    /// `correct / gold` (0 when there is no gold).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

impl Prf {
    /// The figures for `correct` out of `system` system and `gold` gold expressions.
    pub fn new(correct: usize, system: usize, gold: usize) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(correct, system);
        let recall = ratio(correct, gold);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            correct,
            precision,
            recall,
            f1,
        }
    }
}

/// Raw counts for one document or a whole collection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Gold expressions.
    pub gold: usize,
    /// System expressions.
    pub system: usize,
    /// Matched pairs (overlapping spans).
    pub relaxed: usize,
    /// Matched pairs with identical (trimmed) spans.
    pub strict: usize,
    /// Matched pairs with the same value.
    pub value: usize,
    /// Matched pairs with the same type.
    #[serde(rename = "type")]
    pub kind: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.gold += other.gold;
        self.system += other.system;
        self.relaxed += other.relaxed;
        self.strict += other.strict;
        self.value += other.value;
        self.kind += other.kind;
    }
}

/// Counts for one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocCounts {
    /// Document id.
    pub id: String,
    /// File it was read from.
    pub path: String,
    /// The counts.
    #[serde(flatten)]
    pub counts: Counts,
}

/// A gold expression the system did not find.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Missed {
    /// Document id.
    pub doc: String,
    /// Byte offset of the gold expression in the document text.
    pub start: usize,
    /// Gold text.
    pub text: String,
    /// Gold type.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// Gold value.
    pub value: String,
    /// The surrounding text on one line.
    pub context: String,
}

/// A system expression that matches no gold expression.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spurious {
    /// Document id.
    pub doc: String,
    /// Byte offset of the system expression in the document text.
    pub start: usize,
    /// System text.
    pub text: String,
    /// System type.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// System value.
    pub value: String,
    /// Rule that produced it.
    pub rule: String,
    /// The surrounding text on one line.
    pub context: String,
}

/// A matched pair whose value differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WrongValue {
    /// Document id.
    pub doc: String,
    /// Byte offset of the gold expression.
    pub start: usize,
    /// Gold text.
    pub text: String,
    /// System text (may differ from gold's under relaxed matching).
    pub system_text: String,
    /// Gold value.
    pub gold_value: String,
    /// System value.
    pub system_value: String,
    /// Rule that produced the system expression.
    pub rule: String,
    /// The surrounding text on one line.
    pub context: String,
}

/// A matched pair whose type differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WrongType {
    /// Document id.
    pub doc: String,
    /// Byte offset of the gold expression.
    pub start: usize,
    /// Gold text.
    pub text: String,
    /// Gold type.
    pub gold_type: TimexType,
    /// System type.
    pub system_type: TimexType,
    /// Rule that produced the system expression.
    pub rule: String,
}

/// Every error, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Errors {
    /// Gold expressions without a matching system expression.
    pub missed: Vec<Missed>,
    /// System expressions without a matching gold expression.
    pub spurious: Vec<Spurious>,
    /// Matched pairs with different values.
    pub wrong_value: Vec<WrongValue>,
    /// Matched pairs with different types.
    pub wrong_type: Vec<WrongType>,
}

/// TempEval-3 Task A figures over a collection of documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Number of documents scored.
    pub documents: usize,
    /// Totals over all documents.
    pub counts: Counts,
    /// Relaxed span match (overlap).
    pub relaxed: Prf,
    /// Strict span match (identical offsets after trimming whitespace).
    pub strict: Prf,
    /// Value: relaxed matches with the gold value.
    pub value: Prf,
    /// Type: relaxed matches with the gold type.
    #[serde(rename = "type")]
    pub kind: Prf,
    /// Share of relaxed matches with the gold value (0 without matches).
    pub value_accuracy: f64,
    /// Share of relaxed matches with the gold type (0 without matches).
    pub type_accuracy: f64,
    /// Counts per document, in the order scored.
    pub per_document: Vec<DocCounts>,
    /// The error lists.
    pub errors: Errors,
}

impl Scores {
    /// Recomputes the derived figures from [`Scores::counts`].
    fn finish(&mut self) {
        let c = self.counts;
        self.relaxed = Prf::new(c.relaxed, c.system, c.gold);
        self.strict = Prf::new(c.strict, c.system, c.gold);
        self.value = Prf::new(c.value, c.system, c.gold);
        self.kind = Prf::new(c.kind, c.system, c.gold);
        let acc = |n: usize| {
            if c.relaxed == 0 {
                0.0
            } else {
                n as f64 / c.relaxed as f64
            }
        };
        self.value_accuracy = acc(c.value);
        self.type_accuracy = acc(c.kind);
    }
}

/// Bytes of context shown either side of an error.
const CONTEXT_BYTES: usize = 40;

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// `text[start..end]`, clamped to the text and to char boundaries (never panics on bad offsets).
fn slice(text: &str, start: usize, end: usize) -> &str {
    let start = floor_boundary(text, start);
    let end = ceil_boundary(text, end.max(start));
    &text[start..end]
}

/// The expression in its surrounding text, marked with `[` `]`, on one line.
fn context(text: &str, start: usize, end: usize) -> String {
    let before = slice(text, start.saturating_sub(CONTEXT_BYTES), start);
    let inner = slice(text, start, end);
    let after = slice(text, end, end.saturating_add(CONTEXT_BYTES));
    let joined = format!("{before}[{inner}]{after}");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The span with surrounding whitespace trimmed (the original span when it is all whitespace).
fn trimmed(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = floor_boundary(text, start);
    let e = ceil_boundary(text, end.max(s));
    let inner = &text[s..e];
    let lead = inner.len() - inner.trim_start().len();
    let trail = inner.len() - inner.trim_end().len();
    if lead + trail >= inner.len() {
        (s, e)
    } else {
        (s + lead, e - trail)
    }
}

/// Greedy one-to-one matching of gold and system spans: pairs with identical spans first, then by
/// decreasing overlap, then by position. Returns `(gold index, system index)` pairs.
fn match_spans(gold: &[(usize, usize)], system: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut candidates = Vec::new();
    for (gi, &(gs, ge)) in gold.iter().enumerate() {
        for (si, &(ss, se)) in system.iter().enumerate() {
            let overlap = ge.min(se).saturating_sub(gs.max(ss));
            if overlap > 0 {
                let exact = gs == ss && ge == se;
                candidates.push((exact, overlap, gi, si));
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut gold_used = vec![false; gold.len()];
    let mut system_used = vec![false; system.len()];
    let mut pairs = Vec::new();
    for (_, _, gi, si) in candidates {
        if !gold_used[gi] && !system_used[si] {
            gold_used[gi] = true;
            system_used[si] = true;
            pairs.push((gi, si));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Scores one document's system output, adding its counts and errors to `scores`.
fn score_document(doc: &TimemlDoc, system: &[Timex], scores: &mut Scores) {
    let text = doc.text.as_str();
    let gold_spans: Vec<_> = doc
        .gold
        .iter()
        .map(|g| trimmed(text, g.start, g.end))
        .collect();
    let system_spans: Vec<_> = system
        .iter()
        .map(|t| trimmed(text, t.start, t.end))
        .collect();
    let pairs = match_spans(&gold_spans, &system_spans);

    let mut counts = Counts {
        gold: doc.gold.len(),
        system: system.len(),
        relaxed: pairs.len(),
        ..Counts::default()
    };
    let mut gold_matched = vec![false; doc.gold.len()];
    let mut system_matched = vec![false; system.len()];
    for &(gi, si) in &pairs {
        gold_matched[gi] = true;
        system_matched[si] = true;
        let (g, s) = (&doc.gold[gi], &system[si]);
        if gold_spans[gi] == system_spans[si] {
            counts.strict += 1;
        }
        if g.value == s.value.trim() {
            counts.value += 1;
        } else {
            scores.errors.wrong_value.push(WrongValue {
                doc: doc.id.clone(),
                start: g.start,
                text: g.text.clone(),
                system_text: slice(text, s.start, s.end).to_string(),
                gold_value: g.value.clone(),
                system_value: s.value.clone(),
                rule: s.rule.clone(),
                context: context(text, g.start, g.end),
            });
        }
        if g.kind == s.kind {
            counts.kind += 1;
        } else {
            scores.errors.wrong_type.push(WrongType {
                doc: doc.id.clone(),
                start: g.start,
                text: g.text.clone(),
                gold_type: g.kind,
                system_type: s.kind,
                rule: s.rule.clone(),
            });
        }
    }
    for (g, _) in doc.gold.iter().zip(&gold_matched).filter(|(_, m)| !**m) {
        scores.errors.missed.push(Missed {
            doc: doc.id.clone(),
            start: g.start,
            text: g.text.clone(),
            kind: g.kind,
            value: g.value.clone(),
            context: context(text, g.start, g.end),
        });
    }
    for (s, _) in system.iter().zip(&system_matched).filter(|(_, m)| !**m) {
        scores.errors.spurious.push(Spurious {
            doc: doc.id.clone(),
            start: s.start,
            text: slice(text, s.start, s.end).to_string(),
            kind: s.kind,
            value: s.value.clone(),
            rule: s.rule.clone(),
            context: context(text, s.start, s.end),
        });
    }
    scores.documents += 1;
    scores.counts.add(&counts);
    scores.per_document.push(DocCounts {
        id: doc.id.clone(),
        path: doc.path.clone(),
        counts,
    });
}

/// Runs `system` on every document and scores its output against the gold annotations (TempEval-3 Task
/// A; see the module documentation for the matching rules).
pub fn score<F>(docs: &[TimemlDoc], mut system: F) -> Scores
where
    F: FnMut(&TimemlDoc) -> Vec<Timex>,
{
    let mut scores = Scores::default();
    for doc in docs {
        let output = system(doc);
        score_document(doc, &output, &mut scores);
    }
    scores.finish();
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" ?>
<!DOCTYPE TimeML [ <!ENTITY x "y"> ]>
<TimeML>
<DOCID>TEST&amp;1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08T10:30" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
AT&amp;T <EVENT eid="e1">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07" mod="START">early <SIGNAL sid="s1">on</SIGNAL> Wednesday</TIMEX3> that 3 &lt; 4 &#233;t&#xE9; <!-- a comment --><TIMEX3 tid='t2' type='DURATION' value='P2Y'>two years</TIMEX3>.<TIMEX3 tid="t3" type="DATE" value="PRESENT_REF" temporalFunction="true"/>
</TEXT>
<TLINK lid="l1" relType="BEFORE" timeID="t1" relatedToTime="t0"/>
</TimeML>
"#;

    #[test]
    fn parses_text_offsets_entities_and_dct() {
        let doc = parse("test.tml", SAMPLE).unwrap();
        assert_eq!(doc.id, "TEST&1");
        assert_eq!(doc.path, "test.tml");
        assert_eq!(doc.dct, Some(jiff::civil::date(1998, 1, 8)));
        assert_eq!(
            doc.text,
            "\nAT&T said early on Wednesday that 3 < 4 été two years.\n"
        );
        assert_eq!(doc.gold.len(), 2, "the empty TIMEX3 has no span");

        let g = &doc.gold[0];
        assert_eq!((g.start, g.end), (11, 29));
        assert_eq!(&doc.text[g.start..g.end], "early on Wednesday");
        assert_eq!(g.text, "early on Wednesday");
        assert_eq!(g.kind, TimexType::Date);
        assert_eq!(g.value, "1998-01-07");
        assert_eq!(g.modifier.as_deref(), Some("START"));

        // "été" is 5 bytes: offsets are bytes, not chars.
        let g = &doc.gold[1];
        assert_eq!((g.start, g.end), (47, 56));
        assert_eq!(&doc.text[g.start..g.end], "two years");
        assert_eq!(g.kind, TimexType::Duration);
        assert_eq!(g.value, "P2Y");
        assert_eq!(g.modifier, None);
    }

    #[test]
    fn reports_malformed_documents_with_lines() {
        let err = parse("a.tml", "<TimeML>\n<DOCID>x</DOCID>\n</TimeML>").unwrap_err();
        assert!(err.to_string().contains("no <TEXT>"), "{err}");

        let err = parse(
            "b.tml",
            "<TEXT>\nfoo <TIMEX3 type=\"DATE\" value=\"X\">bar\n</TEXT>",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "b.tml:2: <TIMEX3> not closed before </TEXT>"
        );

        let err = parse("c.tml", "<TEXT>\n\nfoo </TIMEX3></TEXT>").unwrap_err();
        assert_eq!(err.to_string(), "c.tml:3: </TIMEX3> without an opening tag");

        let err = parse(
            "d.tml",
            "<TEXT><TIMEX3 type=\"WEEK\" value=\"X\">a</TIMEX3></TEXT>",
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown type \"WEEK\""), "{err}");

        let err = parse("e.tml", "<TEXT>foo <TIMEX3 type=\"DATE\"").unwrap_err();
        assert!(
            err.to_string().contains("unterminated tag <TIMEX3"),
            "{err}"
        );

        let err = parse("f.tml", "<TEXT>foo").unwrap_err();
        assert!(err.to_string().contains("never closed"), "{err}");
    }

    #[test]
    fn lenient_about_stray_markup_characters() {
        let doc = parse("g.tml", "<TEXT>a < b & c &bogus; &#xZZ; &#1114112;</TEXT>").unwrap();
        assert_eq!(doc.text, "a < b & c &bogus; &#xZZ; &#1114112;");
        assert_eq!(doc.id, "g");
        assert_eq!(doc.dct, None);
        assert!(doc.gold.is_empty());
    }

    #[test]
    fn scanner_never_panics_on_truncations() {
        // Every prefix of the sample, cut at any char boundary, parses or fails cleanly.
        for (i, _) in SAMPLE.char_indices() {
            let _ = parse("p.tml", &SAMPLE[..i]);
        }
        for junk in [
            "<",
            "</",
            "<!",
            "<!--",
            "<![CDATA[",
            "<a b='",
            "<a b=",
            "<a /",
            "&",
            "&#",
            "<TEXT><",
        ] {
            let _ = parse("j.tml", junk);
        }
        assert!(parse("whole.tml", SAMPLE).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(xml in "(<|>|/|!|\\?|-|\\[|\\]|&|#|;|=|\"|'| |a|é|TEXT|TIMEX3|type=\"DATE\"|value=\"X\"|amp|CDATA)*") {
            if let Ok(doc) = parse("prop.tml", &xml) {
                for g in &doc.gold {
                    proptest::prop_assert_eq!(doc.text.get(g.start..g.end), Some(g.text.as_str()));
                }
            }
        }
    }

    fn timex(start: usize, end: usize, kind: TimexType, value: &str) -> Timex {
        Timex {
            start,
            end,
            kind,
            value: value.to_string(),
            modifier: None,
            rule: "test".to_string(),
        }
    }

    #[test]
    fn scores_a_hand_made_case() {
        // Gold: four expressions. System: exact (right value), overlap (right value), exact (wrong
        // value), and one spurious; gold "in 2001" is missed.
        let xml = "<TEXT>On <TIMEX3 type=\"DATE\" value=\"1998-01-07\">Wednesday</TIMEX3>, \
                   for <TIMEX3 type=\"DURATION\" value=\"P2Y\">two years</TIMEX3>, \
                   <TIMEX3 type=\"DATE\" value=\"PRESENT_REF\">now</TIMEX3> \
                   and <TIMEX3 type=\"DATE\" value=\"2001\">2001</TIMEX3> last.</TEXT>";
        let doc = parse("h.tml", xml).unwrap();
        let t = &doc.text;
        assert_eq!(t, "On Wednesday, for two years, now and 2001 last.");
        let pos = |s: &str| t.find(s).unwrap();
        let system = vec![
            // Exact span, right value and type (surrounding whitespace is trimmed before comparing).
            timex(
                pos("Wednesday") - 1,
                pos("Wednesday") + 9,
                TimexType::Date,
                "1998-01-07",
            ),
            // Overlap only ("for two years" vs "two years"), right value.
            timex(
                pos("for two"),
                pos("two years") + 9,
                TimexType::Duration,
                "P2Y",
            ),
            // Exact span, wrong value and wrong type.
            timex(
                pos("now"),
                pos("now") + 3,
                TimexType::Time,
                "1998-01-08T10:00",
            ),
            // Spurious.
            timex(pos("last"), pos("last") + 4, TimexType::Date, "PAST_REF"),
        ];
        let scores = score(std::slice::from_ref(&doc), |_| system.clone());

        assert_eq!(scores.documents, 1);
        let c = scores.counts;
        assert_eq!(
            (c.gold, c.system, c.relaxed, c.strict, c.value, c.kind),
            (4, 4, 3, 2, 2, 2)
        );
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        // Relaxed: 3/4, 3/4.
        assert!(close(scores.relaxed.precision, 0.75) && close(scores.relaxed.recall, 0.75));
        assert!(close(scores.relaxed.f1, 0.75));
        // Strict: 2/4, 2/4.
        assert!(close(scores.strict.f1, 0.5));
        // Value: 2/4, 2/4; accuracy 2/3.
        assert!(close(scores.value.precision, 0.5) && close(scores.value.recall, 0.5));
        assert!(close(scores.value.f1, 0.5));
        assert!(close(scores.value_accuracy, 2.0 / 3.0));
        assert!(close(scores.type_accuracy, 2.0 / 3.0));

        let e = &scores.errors;
        assert_eq!(e.missed.len(), 1);
        assert_eq!(
            (e.missed[0].text.as_str(), e.missed[0].value.as_str()),
            ("2001", "2001")
        );
        assert_eq!(
            e.missed[0].context,
            "On Wednesday, for two years, now and [2001] last."
        );
        assert_eq!(e.spurious.len(), 1);
        assert_eq!(
            (e.spurious[0].text.as_str(), e.spurious[0].value.as_str()),
            ("last", "PAST_REF")
        );
        assert_eq!(e.wrong_value.len(), 1);
        let w = &e.wrong_value[0];
        assert_eq!(
            (w.text.as_str(), w.gold_value.as_str()),
            ("now", "PRESENT_REF")
        );
        assert_eq!(
            (w.system_value.as_str(), w.rule.as_str()),
            ("1998-01-08T10:00", "test")
        );
        assert_eq!(e.wrong_type.len(), 1);
        assert_eq!(e.wrong_type[0].system_type, TimexType::Time);

        assert_eq!(scores.per_document.len(), 1);
        assert_eq!(scores.per_document[0].counts, c);
        let json = serde_json::to_value(&scores).unwrap();
        assert_eq!(json["counts"]["strict"], 2);
        assert_eq!(json["type"]["correct"], 2);
        assert_eq!(
            json["errors"]["wrong_value"][0]["gold_value"],
            "PRESENT_REF"
        );
    }

    #[test]
    fn matching_is_one_to_one() {
        // One long system span covering two gold spans matches only one of them (the larger overlap);
        // two system spans on one gold span: only one is matched, the other is spurious.
        let gold = [(0, 5), (6, 20)];
        let system = [(0, 20)];
        assert_eq!(match_spans(&gold, &system), vec![(1, 0)]);
        let gold = [(0, 10)];
        let system = [(0, 4), (0, 10), (2, 10)];
        assert_eq!(match_spans(&gold, &system), vec![(0, 1)]);
    }

    #[test]
    fn bad_system_offsets_do_not_panic() {
        let doc = parse(
            "i.tml",
            "<TEXT>é <TIMEX3 type=\"DATE\" value=\"X\">now</TIMEX3></TEXT>",
        )
        .unwrap();
        let system = vec![
            timex(1, 2, TimexType::Date, "X"),
            timex(50, 40, TimexType::Date, "X"),
        ];
        let scores = score(std::slice::from_ref(&doc), |_| system.clone());
        assert_eq!(scores.counts.relaxed, 0);
        assert_eq!(scores.errors.spurious.len(), 2);
        assert_eq!(scores.errors.missed.len(), 1);
    }

    #[test]
    fn empty_collection_scores_zero() {
        let scores = score(&[], |_| Vec::new());
        assert_eq!(scores.documents, 0);
        assert_eq!(scores.relaxed, Prf::default());
        assert_eq!(scores.value_accuracy, 0.0);
    }
}
