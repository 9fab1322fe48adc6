//! From the paths a user gives to inputs, and from an input to a [`Document`]: directory walking, file
//! and stdin reading, the size limit, and the file-system errors users see.

use crate::{Document, Format, Input, ReadError, ReadOptions, human_size, read_bytes, too_big};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The extensions read from inside directories.
const DIRECTORY_EXTENSIONS: &[&str] = &["txt", "html", "htm", "pdf"];

/// Expands the paths a user gives into inputs, in order.
///
/// - `-` is [`Input::Stdin`].
/// - A file given explicitly is kept whatever its extension (an unknown extension is read as text,
///   which fails cleanly if it is not text).
/// - A directory is walked recursively in file-name order (deterministic across machines), keeping
///   `.txt`, `.html`, `.htm` and `.pdf` files (any letter case) and skipping other files and hidden
///   entries (names starting with `.`); symbolic links to files are followed.
///
/// Problems do not stop the expansion; each is returned as a [`ReadError`]: a missing path
/// (`no such file or directory`), a directory with nothing readable in it, an unreadable directory
/// entry.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<ReadError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let shown = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => errors.push(ReadError::new(shown, io_problem(&e))),
            Ok(meta) if meta.is_dir() => {
                let found_before = inputs.len();
                walk_directory(path, &mut inputs, &mut errors);
                if inputs.len() == found_before {
                    errors.push(ReadError::new(
                        shown,
                        "no readable documents (.txt, .html, .htm, .pdf) in directory",
                    ));
                }
            }
            Ok(_) => inputs.push(Input::Path(path.clone())),
        }
    }
    (inputs, errors)
}

fn walk_directory(dir: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<ReadError>) {
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Err(e) => {
                let at = e.path().unwrap_or(dir).display().to_string();
                let problem = match e.io_error() {
                    Some(io) => io_problem(io),
                    None => e.to_string(),
                };
                errors.push(ReadError::new(at, problem));
            }
            Ok(entry) => {
                let path = entry.path();
                // `is_file` follows symbolic links.
                if entry.depth() > 0 && path.is_file() && has_document_extension(path) {
                    inputs.push(Input::Path(path.to_path_buf()));
                }
            }
        }
    }
}

fn has_document_extension(path: &Path) -> bool {
    path.extension().is_some_and(|ext| {
        let ext = ext.to_string_lossy().to_ascii_lowercase();
        DIRECTORY_EXTENSIONS.contains(&ext.as_str())
    })
}

/// Reads one input into a [`Document`].
///
/// The format comes from the file extension ([`Format::from_path`]); files with another extension and
/// stdin are sniffed ([`Format::sniff`]: PDF and HTML are recognised by their first bytes, anything else
/// is text).
///
/// # Errors
/// The file is missing, unreadable, a directory, over `opts.max_bytes`, empty, binary, or a PDF that
/// cannot be read.
pub fn read_input(input: &Input, opts: &ReadOptions) -> Result<Document, ReadError> {
    let shown = input.display_path();
    let err = |problem: String| ReadError::new(shown.clone(), problem);
    let (bytes, format) = match input {
        Input::Stdin => {
            let bytes = read_limited(io::stdin().lock(), opts.max_bytes, 0)
                .map_err(|e| err(io_problem(&e)))?;
            (bytes, None)
        }
        Input::Path(path) => {
            let meta = std::fs::metadata(path).map_err(|e| err(io_problem(&e)))?;
            if meta.is_dir() {
                return Err(err("is a directory".to_string()));
            }
            if meta.len() > opts.max_bytes {
                return Err(err(too_big(meta.len(), opts.max_bytes)));
            }
            let file = std::fs::File::open(path).map_err(|e| err(io_problem(&e)))?;
            let bytes =
                read_limited(file, opts.max_bytes, meta.len()).map_err(|e| err(io_problem(&e)))?;
            (bytes, Format::from_path(path))
        }
    };
    if bytes.len() as u64 > opts.max_bytes {
        return Err(err(format!(
            "input is over the {} limit (--max-size)",
            human_size(opts.max_bytes)
        )));
    }
    let format = format.unwrap_or_else(|| Format::sniff(&bytes));
    read_bytes(&shown, &bytes, format, opts)
}

/// Reads at most `max_bytes + 1` bytes (one more than allowed, so that [`read_bytes`] sees the excess
/// of a file that grew, or of stdin, and refuses it). `expected` is the size the file had (0 when
/// unknown): the buffer starts that large plus one byte (the read that finds the end), so a file
/// is read without growing it (`Take` gives `read_to_end` no size hint of its own).
fn read_limited(reader: impl Read, max_bytes: u64, expected: u64) -> io::Result<Vec<u8>> {
    let capacity = expected.min(max_bytes).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What users are told about an IO error.
fn io_problem(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        io::ErrorKind::InvalidData => "not readable as bytes".to_string(),
        _ => {
            let message = e.to_string();
            // Drop the "(os error N)" suffix of OS errors.
            match message.find(" (os error") {
                Some(at) => message[..at].to_lowercase(),
                None => message,
            }
        }
    }
}
