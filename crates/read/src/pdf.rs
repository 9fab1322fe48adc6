//! PDF files: the text layer in reading order (pdf_oxide), pages separated by `\n\n`, and the title and
//! author of the Info dictionary. pdf_oxide runs under [`crate::guard`], so a parser panic is a
//! "broken PDF" error rather than a crash.

use crate::guard;
use pdf_oxide::PdfDocument;
use pdf_oxide::object::Object;

/// What is read from a PDF.
pub(crate) struct PdfText {
    pub(crate) text: String,
    pub(crate) title: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) warnings: Vec<String>,
}

/// Pages beyond this are not read (and a warning says so).
const MAX_PAGES: usize = 5000;

/// Reads the text layer of a PDF.
///
/// # Errors
/// `broken PDF: …` (no header, unparsable, parser panic), `encrypted PDF` (no empty user password),
/// `no text layer` (pages without text, e.g. scans).
pub(crate) fn extract(bytes: &[u8]) -> Result<PdfText, String> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err("broken PDF: no %PDF- header".to_string());
    }
    match guard::run_guarded(|| extract_unguarded(bytes)) {
        Ok(result) => result,
        Err(message) => Err(format!("broken PDF: the PDF parser failed ({message})")),
    }
}

fn extract_unguarded(bytes: &[u8]) -> Result<PdfText, String> {
    let declares_encryption = bytes.windows(8).any(|w| w == b"/Encrypt");
    let doc = PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| {
        if declares_encryption {
            "encrypted PDF".to_string()
        } else {
            format!("broken PDF: {e}")
        }
    })?;
    if doc.is_encrypted() {
        // Many encrypted PDFs only restrict permissions and open with an empty password.
        let _ = doc.authenticate(b"");
        if !doc.is_authenticated() {
            return Err("encrypted PDF".to_string());
        }
    }
    let pages = doc.page_count().map_err(|e| format!("broken PDF: {e}"))?;
    if pages == 0 {
        return Err("broken PDF: no pages".to_string());
    }
    let mut warnings = Vec::new();
    if pages > MAX_PAGES {
        warnings.push(format!(
            "only the first {MAX_PAGES} of {pages} pages were read"
        ));
    }
    let mut texts = Vec::new();
    let mut failures = Vec::new();
    for page in 0..pages.min(MAX_PAGES) {
        match doc.extract_text(page) {
            Ok(text) => {
                let text = clean_page(&text);
                if !text.is_empty() {
                    texts.push(text);
                }
            }
            Err(e) => failures.push(format!("page {}: {e}", page + 1)),
        }
    }
    if texts.is_empty() {
        return Err(match failures.first() {
            Some(failure) => format!("broken PDF: {failure}"),
            None if doc.is_encrypted() => "encrypted PDF".to_string(),
            None => "no text layer".to_string(),
        });
    }
    warnings.extend(
        failures
            .into_iter()
            .map(|f| format!("{f} (no text read from it)")),
    );
    Ok(PdfText {
        text: texts.join("\n\n"),
        title: info_string(&doc, "Title"),
        author: info_string(&doc, "Author"),
        warnings,
    })
}

/// A page's text without leading blank lines and trailing whitespace, control characters (tab and
/// line feed aside) replaced by spaces.
fn clean_page(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    let trimmed = text.trim_end();
    let first_line = trimmed
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .filter(|(_, c)| *c == '\n')
        .last()
        .map_or(0, |(i, _)| i + 1);
    trimmed[first_line..].to_string()
}

/// A text entry of the document Info dictionary.
fn info_string(doc: &PdfDocument, key: &str) -> Option<String> {
    let resolve = |o: &Object| match o.as_reference() {
        Some(r) => doc.load_object(r).ok(),
        None => Some(o.clone()),
    };
    let info = resolve(doc.trailer().as_dict()?.get("Info")?)?;
    let value = resolve(info.as_dict()?.get(key)?)?;
    let text = decode_text_string(value.as_string()?);
    let text = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!text.is_empty()).then_some(text)
}

/// A PDF text string: UTF-16BE or UTF-8 with a byte-order mark, else PDFDocEncoding (read as Latin-1,
/// which it matches for letters).
fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_trimmed() {
        assert_eq!(
            clean_page("\n \n  Indented first\nsecond\x00x \n\n"),
            "  Indented first\nsecond x"
        );
        assert_eq!(clean_page(" \n\t\n"), "");
    }

    #[test]
    fn text_strings() {
        assert_eq!(decode_text_string(b"\xFE\xFF\x00K\x011"), "Kı");
        assert_eq!(decode_text_string(b"Caf\xe9"), "Café");
        assert_eq!(decode_text_string(b"\xEF\xBB\xBFa\xc3\xa7"), "aç");
    }

    #[test]
    fn headerless_bytes_are_broken() {
        assert_eq!(
            extract(b"not a pdf").err().unwrap(),
            "broken PDF: no %PDF- header"
        );
    }
}
