//! Property tests: every reader takes arbitrary bytes without panicking, and whatever it returns keeps
//! the document invariants (the view has the text's length and differs only by ASCII spaces; stated
//! date spans lie inside the text; valid UTF-8 text files are kept byte for byte).

use peacetrack_read::{Document, Format, ReadOptions, read_bytes};
use proptest::prelude::*;

fn check(doc: &Document, input: &[u8], format: Format) {
    assert_eq!(doc.view.len(), doc.text.len());
    for (t, v) in doc.text.bytes().zip(doc.view.bytes()) {
        assert!(
            t == v || v == b' ',
            "view changed a byte to something other than a space"
        );
    }
    if let Some(stated) = &doc.stated_date {
        match (stated.start, stated.end) {
            (Some(start), Some(end)) => {
                assert!(start < end);
                assert!(doc.text.get(start..end).is_some(), "span {start}..{end}");
            }
            (None, None) => {}
            other => panic!("half a span: {other:?}"),
        }
    }
    if format == Format::Text
        && let Ok(s) = std::str::from_utf8(input)
    {
        assert_eq!(doc.text, s);
    }
}

fn read(bytes: &[u8], format: Format) {
    match read_bytes("p", bytes, format, &ReadOptions::default()) {
        Ok(doc) => check(&doc, bytes, format),
        Err(e) => assert!(!e.problem.is_empty()),
    }
}

/// Text made of the pieces the view and header logic care about.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{a0}".to_string()),
        Just("[3]".to_string()),
        Just("[12][4]".to_string()),
        Just("[link text](https://example.org/x)".to_string()),
        Just("![alt](#)".to_string()),
        Just("date 2025-09-09 ".to_string()),
        Just("Date: 9 September 2025\n".to_string()),
        Just("Title: Some Title\n".to_string()),
        Just("By Jane Roe\n".to_string()),
        Just("NORTHTOWN, Sept. 9, 2025 (Agency) - ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        "[a-zA-Z ,.;:!?\"'()\\[\\]]{0,40}",
        "\\PC{0,12}",
        "[a-z]{2,9}( [a-z]{2,9}){8,14}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Markup made of tags, attributes, entities and text, often unbalanced.
fn markup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "<(p|div|article|main|nav|header|footer|aside|script|style|pre|br|li|ul|td|tr|table|h1|time|meta|title|section|span|b)( [a-z]{1,8}=\"[^\"<>]{0,20}\")?/?>",
        "</(p|div|article|main|nav|header|footer|aside|script|style|pre|li|ul|td|tr|table|h1|section|span|b|time|title)>",
        Just("<meta property=\"article:published_time\" content=\"2024-03-12\">".to_string()),
        Just("<script type=\"application/ld+json\">{\"@graph\":[{\"datePublished\":\"2023-01-02\",\"author\":[{\"name\":\"A\"}]}]}</script>".to_string()),
        Just("<time datetime=\"2021-05-06\">".to_string()),
        Just("<!-- comment -->".to_string()),
        Just("&amp;&lt;&#x41;&nbsp;&bogus;".to_string()),
        "[a-zA-Z .,]{0,60}",
        "\\PC{0,20}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

fn hello_pdf() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hello.pdf")).expect("fixture")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn text_reader_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        read(&bytes, Format::Text);
    }

    #[test]
    fn text_reader_takes_any_string(s in "\\PC{0,400}") {
        read(s.as_bytes(), Format::Text);
    }

    #[test]
    fn text_reader_takes_texty_strings(s in texty()) {
        read(s.as_bytes(), Format::Text);
    }

    #[test]
    fn sniffing_never_fails(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let format = Format::sniff(&bytes);
        read(&bytes, format);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn html_reader_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1000)) {
        read(&bytes, Format::Html);
    }

    #[test]
    fn html_reader_takes_markup(s in markup()) {
        read(s.as_bytes(), Format::Html);
    }

    #[test]
    fn pdf_reader_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1000)) {
        read(&bytes, Format::Pdf);
        let mut with_header = b"%PDF-1.4\n".to_vec();
        with_header.extend(&bytes);
        read(&with_header, Format::Pdf);
    }

    #[test]
    fn pdf_reader_takes_damaged_pdfs(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut pdf = hello_pdf();
        for (at, byte) in edits {
            let i = at.index(pdf.len());
            pdf[i] = byte;
        }
        read(&pdf, Format::Pdf);
        let len = cut.index(pdf.len());
        read(&pdf[..len], Format::Pdf);
    }
}
