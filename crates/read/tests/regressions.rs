//! Regression tests for inputs that once made a reader misbehave (crash, hang, or break an invariant).

use peacetrack_read::{Format, ReadOptions, read_bytes};
use std::time::{Duration, Instant};

/// 200 000 nested `<div>`s took three minutes: the HTML parser's work per tag grows with the depth of
/// open elements. Nesting beyond 512 levels is now flattened before parsing, with a warning.
#[test]
fn deeply_nested_html_is_read_quickly() {
    for unit in ["<div>", "<ul><li>", "<i><b>x</i>", "<em>x</b>"] {
        let page = format!("{}Deep text.", unit.repeat(100_000));
        let started = Instant::now();
        let doc = read_bytes(
            "deep.html",
            page.as_bytes(),
            Format::Html,
            &ReadOptions::default(),
        )
        .expect("the deep page reads");
        let took = started.elapsed();
        assert!(took < Duration::from_secs(60), "{unit}: {took:?}");
        assert!(doc.text.contains("Deep text."), "{unit}: {:?}", doc.text);
        assert!(
            doc.warnings
                .iter()
                .any(|w| w.starts_with("HTML nested more than 512")),
            "{unit}: {:?}",
            doc.warnings
        );
    }
}

/// Found by fuzzing `read_pdf`: pdf_oxide slices a string inside a multi-byte character on this
/// damaged PDF and panics. The panic is caught and reported as a broken PDF, in one short line.
#[test]
fn pdf_parser_panic_is_a_broken_pdf() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/pdf-oxide-panic.pdf"
    ))
    .expect("fixture");
    let err = read_bytes("damaged.pdf", &bytes, Format::Pdf, &ReadOptions::default())
        .expect_err("the damaged PDF is refused");
    assert!(
        err.problem
            .starts_with("broken PDF: the PDF parser failed ("),
        "{}",
        err.problem
    );
    assert!(
        !err.problem.contains('\n') && err.problem.len() < 250,
        "{}",
        err.problem
    );
}
