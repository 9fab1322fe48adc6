//! Bytes to text: UTF-8 when valid, otherwise a declared or assumed legacy encoding, with a warning;
//! binary files are refused.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Text decoded from a file, and what the decoding had to assume.
pub(crate) struct Decoded {
    pub(crate) text: String,
    pub(crate) warnings: Vec<String>,
}

/// How many leading bytes the binary test looks at.
const SNIFF_LEN: usize = 64 * 1024;

const BINARY: &str = "binary file, not a document";

/// Decodes a plain-text file. Valid UTF-8 is kept byte for byte (a byte-order mark included); UTF-16
/// with a byte-order mark is decoded; anything else is decoded as Windows-1252.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some(decoded) = decode_utf16(bytes) {
        return decoded;
    }
    if looks_binary(bytes) {
        return Err(BINARY.to_string());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            warnings: Vec::new(),
        }),
        Err(_) => Ok(decode_with(WINDOWS_1252, bytes)),
    }
}

/// Decodes an HTML file: UTF-8 when valid, else the charset its `<meta>` declares, else Windows-1252
/// (what browsers assume).
pub(crate) fn decode_html(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some(decoded) = decode_utf16(bytes) {
        return decoded;
    }
    if looks_binary(bytes) {
        return Err(BINARY.to_string());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        return Ok(Decoded {
            text: text.to_string(),
            warnings: Vec::new(),
        });
    }
    let encoding = declared_charset(bytes)
        .filter(|e| *e != encoding_rs::UTF_8)
        .unwrap_or(WINDOWS_1252);
    Ok(decode_with(encoding, bytes))
}

/// UTF-16 text announced by a byte-order mark (it is full of NUL bytes, so it must be recognised
/// before the binary test).
fn decode_utf16(bytes: &[u8]) -> Option<Result<Decoded, String>> {
    let encoding = if bytes.starts_with(&[0xFF, 0xFE]) {
        UTF_16LE
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        UTF_16BE
    } else {
        return None;
    };
    let decoded = decode_with(encoding, &bytes[2..]);
    if looks_binary(decoded.text.as_bytes()) {
        return Some(Err(BINARY.to_string()));
    }
    Some(Ok(decoded))
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        warnings: vec![format!(
            "not valid UTF-8: decoded as {}",
            display_name(encoding)
        )],
    }
}

/// `Windows-1252` rather than the WHATWG label `windows-1252`; other names as the WHATWG spells them.
fn display_name(encoding: &'static Encoding) -> String {
    let name = encoding.name();
    match name.strip_prefix("windows-") {
        Some(rest) => format!("Windows-{rest}"),
        None => name.to_string(),
    }
}

/// A NUL byte, or more than one control character in ten (tab, line feed, carriage return and form
/// feed aside), in the first 64 KiB.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    controls * 10 > head.len()
}

/// The encoding named by `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…;
/// charset=…">` in the first KiB of an HTML file.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let at = head.find("charset")?;
    let rest = head[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_kept_byte_for_byte() {
        let bytes = "\u{feff}Kılıç met\r\nthem.".as_bytes();
        let d = decode_text(bytes).unwrap();
        assert_eq!(d.text.as_bytes(), bytes);
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn latin1_falls_back_to_windows_1252() {
        let d = decode_text(b"Caf\xe9 \x93quoted\x94").unwrap();
        assert_eq!(d.text, "Café \u{201c}quoted\u{201d}");
        assert_eq!(
            d.warnings,
            vec!["not valid UTF-8: decoded as Windows-1252".to_string()]
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Hi there".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let d = decode_text(&bytes).unwrap();
        assert_eq!(d.text, "Hi there");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode_text(b"ab\0cd").err().unwrap(), BINARY);
        assert_eq!(
            decode_text(&[1, 2, 3, 4, 5, b'a', b'b']).err().unwrap(),
            BINARY
        );
        assert!(decode_text(b"tab\tseparated\nlines\r\n").is_ok());
    }

    #[test]
    fn html_charset_is_honoured() {
        let page = b"<html><head><meta charset=\"iso-8859-2\"></head><body>\xb3\xf3d\xbc</body>";
        let d = decode_html(page).unwrap();
        assert!(d.text.contains("łódź"), "{}", d.text);
        assert_eq!(d.warnings, vec!["not valid UTF-8: decoded as ISO-8859-2"]);
    }
}
