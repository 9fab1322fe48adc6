//! Checks shared by the reader fuzz targets: whatever a reader returns keeps the document invariants.

use peacetrack_read::{Document, Format, ReadOptions, read_bytes};

/// Reads `data` as `format` and checks the result; a panic anywhere is a finding.
pub fn read_and_check(data: &[u8], format: Format) {
    let Ok(doc) = read_bytes("fuzz", data, format, &ReadOptions::default()) else {
        return;
    };
    check(&doc, data);
}

fn check(doc: &Document, data: &[u8]) {
    assert_eq!(
        doc.view.len(),
        doc.text.len(),
        "view and text lengths differ"
    );
    for (t, v) in doc.text.bytes().zip(doc.view.bytes()) {
        assert!(
            t == v || v == b' ',
            "the view changed a byte to something other than a space"
        );
    }
    if let Some(stated) = &doc.stated_date
        && let (Some(start), Some(end)) = (stated.start, stated.end)
    {
        assert!(
            doc.text.get(start..end).is_some(),
            "stated date span outside the text"
        );
    }
    if doc.format == Format::Text
        && let Ok(s) = std::str::from_utf8(data)
    {
        assert_eq!(doc.text, s, "a UTF-8 text file must be kept byte for byte");
    }
}
