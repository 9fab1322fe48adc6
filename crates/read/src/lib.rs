//! Document readers for peacetrack: plain text, HTML and PDF become one [`Document`] each.
//!
//! # Brief overview
//! - [`collect_inputs`] expands the paths a user gives (files, directories, `-` for stdin) into
//!   [`Input`]s, reporting what cannot be read as [`ReadError`]s without stopping.
//! - [`read_input`] turns one input into a [`Document`]: its canonical `text` (for `.txt`, the file's own
//!   text; for HTML and PDF, the extracted article text), an analysis `view` of the same byte length, and
//!   metadata (title, author, stated date). [`read_bytes`] does the same for bytes already in memory.
//! - No input makes a reader panic: malformed, binary, encrypted, empty or oversized files all come back
//!   as a [`ReadError`] whose `Display` is `PATH: problem`. The third-party parsers (dom_smoothie,
//!   pdf_oxide) run under `catch_unwind`, their panics becoming errors (or, for Readability, a fallback
//!   to the simple extractor); HTML nested more than 512 elements deep is flattened before parsing,
//!   as parsers slow down quadratically on it. `tests/robustness.rs` feeds arbitrary bytes to every
//!   reader, and `fuzz/` has cargo-fuzz targets for them.
//!
//! # Invariant: the view has the text's offsets
//! `view.len() == text.len()`, and the view differs from the text only where a byte was replaced by an
//! ASCII space (hard line breaks inside paragraphs, footnote marks such as `[3]`, markdown link syntax,
//! a byte-order mark, `\r`, other control characters and non-ASCII spaces such as U+00A0). Every byte
//! offset found in the view is therefore an offset into the text, and `text[a..b]` is the source of what
//! was found at `view[a..b]`.
//!
//! # Offsets of `.txt` files are file offsets
//! When a `.txt` file is valid UTF-8, `text` is exactly the file's bytes (a byte-order mark included),
//! so offsets into `text` are byte offsets into the file. Other encodings are decoded (and a warning
//! says so); offsets then refer to the decoded text.
//!
//! # Metadata
//! - `title`/`author`: `Title:`/`Author:`/`By …` header lines at the top of a text; a clearly
//!   headline-like first line; HTML `<title>`, Readability's byline, `<meta name="author">`, JSON-LD;
//!   the PDF Info dictionary.
//! - `stated_date`: the date a document states for itself ([`StatedDate::source`] says where it was
//!   found): a `date 2025-09-09` / `Date:` / `Published:` header line, a news dateline that includes a
//!   year (`YEREVAN, Sept. 9, 2025 (Reuters) -`), or HTML metadata (`article:published_time`,
//!   `<meta name="date">`, `itemprop="datePublished"`, JSON-LD `datePublished`, `<time datetime>`). The
//!   English month names it understands are listed in `data/months.toml`.

mod dates;
mod decode;
mod flatten;
mod guard;
mod html;
mod input;
mod pdf;
mod textmeta;
mod view;

pub use input::{collect_inputs, read_input};

use serde::Serialize;
use std::path::Path;
use std::path::PathBuf;

/// The default largest input read: 50 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 50 * MIB;

const MIB: u64 = 1024 * 1024;

/// How documents are read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReadOptions {
    /// Largest input read, in bytes; larger files are refused with a [`ReadError`].
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// The kind of document, chosen from the file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (`.txt`, stdin, files without a known extension).
    Text,
    /// HTML (`.html`, `.htm`).
    Html,
    /// PDF (`.pdf`).
    Pdf,
}

impl Format {
    /// The format named by a path's extension (case-insensitive), or `None` for any other extension.
    /// A path without an extension is [`Format::Text`].
    pub fn from_path(path: &Path) -> Option<Format> {
        let Some(ext) = path.extension() else {
            return Some(Format::Text);
        };
        match ext.to_string_lossy().to_ascii_lowercase().as_str() {
            "txt" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// Guesses the format of bytes whose name says nothing: `%PDF-` starts a PDF, `<!DOCTYPE html` or
    /// `<html` (after leading whitespace) starts HTML; anything else is text.
    pub fn sniff(bytes: &[u8]) -> Format {
        let head = &bytes[..bytes.len().min(1024)];
        if head.starts_with(b"%PDF-") {
            return Format::Pdf;
        }
        let start = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(head.len());
        let head = head[start..].to_ascii_lowercase();
        let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
        if head.starts_with(b"<!doctype html") || head.starts_with(b"<html") {
            Format::Html
        } else {
            Format::Text
        }
    }

    /// `text`, `html` or `pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing to read: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Input {
    /// A file, with the path as the user gave it (or as found under a directory the user gave).
    Path(PathBuf),
    /// Standard input (given as `-`), read as text.
    Stdin,
}

impl Input {
    /// The path as shown to users: the path given, or `-` for stdin.
    pub fn display_path(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// A document read into canonical text, an analysis view and metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The path as given (`-` for stdin).
    pub path: String,
    /// The file name (`stdin` for stdin).
    pub name: String,
    /// How the document was read.
    pub format: Format,
    /// Canonical text: every offset reported for this document is a byte offset into it.
    pub text: String,
    /// Analysis text: the same byte length as `text`, with some bytes replaced by ASCII spaces
    /// (see the crate documentation).
    pub view: String,
    /// The document's title, when it states one.
    pub title: Option<String>,
    /// The document's author(s), when it states them.
    pub author: Option<String>,
    /// The date the document states for itself.
    pub stated_date: Option<StatedDate>,
    /// What went less than perfectly but did not stop the reading, e.g.
    /// `not valid UTF-8: decoded as Windows-1252`.
    pub warnings: Vec<String>,
}

/// A date a document states for itself, and where it was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatedDate {
    /// The date.
    pub date: jiff::civil::Date,
    /// Where it was found: `header line`, `dateline`, `meta article:published_time`, `meta date`,
    /// `meta datePublished`, `json-ld datePublished` or `time element`.
    pub source: String,
    /// Byte offset in `text` where the date is written, when it comes from the text.
    pub start: Option<usize>,
    /// Byte offset one past its end, when it comes from the text.
    pub end: Option<usize>,
}

/// An input that could not be read. `Display` gives `PATH: problem`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct ReadError {
    /// The path as given (`-` for stdin).
    pub path: String,
    /// What is wrong, e.g. `no such file or directory`, `empty file`, `encrypted PDF`.
    pub problem: String,
}

impl ReadError {
    /// An error about `path`.
    pub fn new(path: impl Into<String>, problem: impl Into<String>) -> ReadError {
        ReadError {
            path: path.into(),
            problem: problem.into(),
        }
    }
}

/// Reads a document from bytes already in memory. `name` is used as the document's path (its last
/// path component as the name); `format` says how to read the bytes.
///
/// # Errors
/// The bytes are over `opts.max_bytes`, empty, binary (for text and HTML), or not a readable PDF.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    format: Format,
    opts: &ReadOptions,
) -> Result<Document, ReadError> {
    let err = |problem: String| ReadError::new(name, problem);
    let size = bytes.len() as u64;
    if size > opts.max_bytes {
        return Err(err(too_big(size, opts.max_bytes)));
    }
    if bytes.is_empty() {
        return Err(err("empty file".to_string()));
    }
    let read = match format {
        Format::Text => read_text(bytes),
        Format::Html => read_html(bytes),
        Format::Pdf => read_pdf(bytes),
    }
    .map_err(err)?;
    Ok(Document {
        path: name.to_string(),
        name: file_name(name),
        format,
        text: read.text,
        view: read.view,
        title: read.title,
        author: read.author,
        stated_date: read.stated_date,
        warnings: read.warnings,
    })
}

/// What a format reader produces (everything of a [`Document`] but its names).
struct Read {
    text: String,
    view: String,
    title: Option<String>,
    author: Option<String>,
    stated_date: Option<StatedDate>,
    warnings: Vec<String>,
}

fn read_text(bytes: &[u8]) -> Result<Read, String> {
    let decoded = decode::decode_text(bytes)?;
    if decoded.text.trim().is_empty() {
        return Err("empty file (only whitespace)".to_string());
    }
    Ok(from_text(decoded.text, decoded.warnings))
}

/// Builds the view and the text metadata of a canonical text.
fn from_text(text: String, warnings: Vec<String>) -> Read {
    let views = view::Views::build(&text);
    let meta = textmeta::analyse(&text, &views.base);
    Read {
        view: views.view,
        text,
        title: meta.title,
        author: meta.author,
        stated_date: meta.stated_date,
        warnings,
    }
}

fn read_html(bytes: &[u8]) -> Result<Read, String> {
    let decoded = decode::decode_html(bytes)?;
    let page = html::extract(&decoded.text)?;
    let mut read = from_text(page.text, decoded.warnings);
    read.warnings.extend(page.warnings);
    // Metadata in the markup wins over what the text looks like.
    if page.title.is_some() {
        read.title = page.title;
    }
    if page.author.is_some() {
        read.author = page.author;
    }
    if page.stated_date.is_some() {
        read.stated_date = page.stated_date;
    }
    Ok(read)
}

fn read_pdf(bytes: &[u8]) -> Result<Read, String> {
    let pdf = pdf::extract(bytes)?;
    let mut read = from_text(pdf.text, pdf.warnings);
    if pdf.title.is_some() {
        read.title = pdf.title;
    }
    if pdf.author.is_some() {
        read.author = pdf.author;
    }
    Ok(read)
}

/// The last component of a path-like name (`stdin` for `-`).
fn file_name(name: &str) -> String {
    if name == "-" {
        return "stdin".to_string();
    }
    Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string())
}

/// The problem of an input over the size limit.
fn too_big(size: u64, max_bytes: u64) -> String {
    format!(
        "file is {}, over the {} limit (--max-size)",
        human_size(size),
        human_size(max_bytes)
    )
}

/// `12 MiB`, `1.5 MiB`, `300 KiB`, `12 bytes`.
fn human_size(bytes: u64) -> String {
    if bytes == 0 {
        return "0 MiB".to_string();
    }
    if bytes >= MIB {
        let tenths = (bytes * 10 + MIB / 2) / MIB;
        if tenths.is_multiple_of(10) || bytes >= 100 * MIB {
            format!("{} MiB", (bytes + MIB / 2) / MIB)
        } else {
            format!("{}.{} MiB", tenths / 10, tenths % 10)
        }
    } else if bytes >= 1024 {
        format!("{} KiB", (bytes + 512) / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(50 * MIB), "50 MiB");
        assert_eq!(human_size(3 * MIB / 2), "1.5 MiB");
        assert_eq!(human_size(2048), "2 KiB");
        assert_eq!(human_size(7), "7 bytes");
        assert_eq!(human_size(0), "0 MiB");
        assert_eq!(
            too_big(60 * MIB, 50 * MIB),
            "file is 60 MiB, over the 50 MiB limit (--max-size)"
        );
    }

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(Format::from_path(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("b.htm")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("b.Html")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("b.pdf")), Some(Format::Pdf));
        assert_eq!(Format::from_path(Path::new("README")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("notes.md")), None);
    }

    #[test]
    fn sniffing_recognises_pdf_and_html() {
        assert_eq!(Format::sniff(b"%PDF-1.7\n..."), Format::Pdf);
        assert_eq!(Format::sniff(b"  \n<!DOCTYPE html><p>x"), Format::Html);
        assert_eq!(Format::sniff(b"<HTML><body>"), Format::Html);
        assert_eq!(Format::sniff(b"Plain words <html> later"), Format::Text);
    }

    #[test]
    fn file_names() {
        assert_eq!(file_name("-"), "stdin");
        assert_eq!(file_name("dir/sub/a.txt"), "a.txt");
        assert_eq!(file_name("a.txt"), "a.txt");
    }

    #[test]
    fn errors_display_path_then_problem() {
        let e = ReadError::new("x/y.txt", "empty file");
        assert_eq!(e.to_string(), "x/y.txt: empty file");
    }
}
