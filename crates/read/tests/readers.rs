//! End-to-end tests of the readers through the public API: text, HTML and PDF fixtures (all invented
//! or hand-built, in `tests/data/`), input collection, and every error users can run into.

use jiff::civil::date;
use peacetrack_read::{
    Document, Format, Input, ReadOptions, collect_inputs, read_bytes, read_input,
};
use std::fs;
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn read_path(path: &Path) -> Result<Document, peacetrack_read::ReadError> {
    read_input(&Input::Path(path.to_path_buf()), &ReadOptions::default())
}

fn read_text(bytes: &[u8]) -> Document {
    read_bytes("t.txt", bytes, Format::Text, &ReadOptions::default()).expect("readable text")
}

/// The invariant every document keeps: same length, and the view differs only by ASCII spaces.
fn assert_view_invariant(doc: &Document) {
    assert_eq!(doc.view.len(), doc.text.len(), "{}", doc.path);
    for (i, (t, v)) in doc.text.bytes().zip(doc.view.bytes()).enumerate() {
        assert!(
            t == v || v == b' ',
            "{}: byte {i} changed to {v:#x}",
            doc.path
        );
    }
}

#[test]
fn text_is_the_file_and_the_header_date_points_into_it() {
    let bytes = "\u{feff} date 2025-09-09 Two invented republics agreed on Monday to reopen a crossing.\r\n\r\nA second paragraph.[3]\r\n".as_bytes();
    let doc = read_text(bytes);
    assert_eq!(doc.text.as_bytes(), bytes);
    assert_view_invariant(&doc);
    assert!(doc.view.starts_with("    date 2025-09-09 Two"));
    assert!(doc.view.contains("paragraph.   "));
    let stated = doc.stated_date.expect("a header date");
    assert_eq!(stated.date, date(2025, 9, 9));
    assert_eq!(stated.source, "header line");
    let (start, end) = (stated.start.unwrap(), stated.end.unwrap());
    assert_eq!(&bytes[start..end], b"2025-09-09");
    assert_eq!(doc.format, Format::Text);
    assert_eq!(doc.name, "t.txt");
    assert!(doc.warnings.is_empty());
}

#[test]
fn title_and_author_headers() {
    let doc = read_text(b"Title: An Invented Agreement\nAuthor: Jo Example\nDate: 12 March 2024\n\nThe text of the agreement was published today.\n");
    assert_eq!(doc.title.as_deref(), Some("An Invented Agreement"));
    assert_eq!(doc.author.as_deref(), Some("Jo Example"));
    assert_eq!(doc.stated_date.unwrap().date, date(2024, 3, 12));
}

#[test]
fn dateline_gives_a_date_only_with_a_year() {
    let doc = read_text(b"NORTHTOWN, March 4, 2024 (Example News) - The two ministers met for the first time in a year.\n");
    let stated = doc.stated_date.unwrap();
    assert_eq!(
        (stated.date, stated.source.as_str()),
        (date(2024, 3, 4), "dateline")
    );
    assert_eq!(
        &doc.text[stated.start.unwrap()..stated.end.unwrap()],
        "March 4, 2024"
    );
    let doc = read_text(b"NORTHTOWN, March 4 (Example News) - The two ministers met for the first time in a year.\n");
    assert!(doc.stated_date.is_none());
}

#[test]
fn hard_wrapped_text_is_unwrapped_in_the_view_only() {
    let text = "An Example Report\n\n\
        The commission that the two governments set up last year met again this week\n\
        in the capital and agreed on the order in which the remaining sections of the\n\
        border will be surveyed by the joint teams of engineers and map makers.\n\n\
        Its next meeting, according to a statement released after the talks, will be\n\
        held in the spring, once the first survey teams have reported their results.\n";
    let doc = read_text(text.as_bytes());
    assert_eq!(doc.text, text);
    assert_view_invariant(&doc);
    assert!(doc.view.contains("this week in the capital and agreed on the order in which the remaining sections of the border"));
    assert!(doc.view.contains("map makers.\n\nIts next"));
    assert!(doc.view.starts_with("An Example Report\n\n"));
    assert_eq!(doc.title.as_deref(), Some("An Example Report"));
}

#[test]
fn windows_1252_is_decoded_with_a_warning() {
    let doc = read_text(b"The caf\xe9 talks \x96 a first meeting.\n");
    assert_eq!(doc.text, "The café talks – a first meeting.\n");
    assert_eq!(
        doc.warnings,
        vec!["not valid UTF-8: decoded as Windows-1252"]
    );
    assert_view_invariant(&doc);
}

#[test]
fn bad_text_inputs_are_errors() {
    let opts = ReadOptions::default();
    let problem = |bytes: &[u8]| {
        read_bytes("x.txt", bytes, Format::Text, &opts)
            .unwrap_err()
            .problem
    };
    assert_eq!(problem(b""), "empty file");
    assert_eq!(problem(b" \n\t\r\n"), "empty file (only whitespace)");
    assert_eq!(
        problem(b"PK\x03\x04\x00\x00binary"),
        "binary file, not a document"
    );
    let small = ReadOptions { max_bytes: 10 };
    let err = read_bytes("x.txt", b"more than ten bytes", Format::Text, &small).unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.txt: file is 19 bytes, over the 10 bytes limit (--max-size)"
    );
}

#[test]
fn html_keeps_the_article_and_drops_the_furniture() {
    let doc = read_path(&data("article.html")).unwrap();
    assert_eq!(doc.format, Format::Html);
    assert_view_invariant(&doc);
    for absent in [
        "SCRIPT-TEXT",
        "NAV-TEXT",
        "COMMENT-TEXT",
        "ASIDE-TEXT",
        "FOOTER-TEXT",
        "font-family",
    ] {
        assert!(!doc.text.contains(absent), "{absent} in {:?}", doc.text);
    }
    assert!(
        doc.text.contains("parted on Thursday without signing"),
        "{}",
        doc.text
    );
    assert!(
        doc.text.contains("spring of 2025 & the other"),
        "entities decoded: {}",
        doc.text
    );
    assert!(doc.text.contains("\u{201c}technical\u{201d}"));
    assert!(
        doc.text.contains("\n\n"),
        "paragraphs separated: {}",
        doc.text
    );
    assert!(
        !doc.text.contains("   "),
        "whitespace collapsed: {}",
        doc.text
    );
    assert_eq!(doc.author.as_deref(), Some("Mira Testova"));
    assert!(
        doc.title
            .as_deref()
            .unwrap()
            .contains("Lakeside Talks End Without a Deal")
    );
    let stated = doc.stated_date.unwrap();
    assert_eq!(stated.date, date(2024, 3, 12));
    assert_eq!(stated.source, "meta article:published_time");
    assert_eq!((stated.start, stated.end), (None, None));
}

#[test]
fn html_fallback_extraction_and_charsets() {
    // Too little text for Readability to call anything an article.
    let page = b"<html><head><meta charset=\"windows-1252\"></head><body><nav>Menu</nav><p>Short caf\xe9 note.</p><footer>Foot</footer></body></html>";
    let doc = read_bytes("p.html", page, Format::Html, &ReadOptions::default()).unwrap();
    assert!(doc.text.contains("Short café note."), "{:?}", doc.text);
    assert!(!doc.text.contains("Menu"), "{:?}", doc.text);
    assert_eq!(
        doc.warnings,
        vec!["not valid UTF-8: decoded as Windows-1252"]
    );
    let err = read_bytes(
        "e.html",
        b"<html><body><script>x</script></body></html>",
        Format::Html,
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.problem, "no text in HTML document");
}

#[test]
fn html_json_ld_graph_date() {
    let page = r#"<html><head><script type="application/ld+json">{"@graph":[{"@type":"WebSite"},{"@type":"NewsArticle","datePublished":"2023-12-26T08:00:00+04:00"}]}</script></head>
        <body><article><p>Some paragraph of an invented news story, long enough to be an article body for the test.</p></article></body></html>"#;
    let doc = read_bytes(
        "ld.html",
        page.as_bytes(),
        Format::Html,
        &ReadOptions::default(),
    )
    .unwrap();
    let stated = doc.stated_date.unwrap();
    assert_eq!(
        (stated.date, stated.source.as_str()),
        (date(2023, 12, 26), "json-ld datePublished")
    );
}

#[test]
fn pdf_text_layer_title_and_header_date() {
    let doc = read_path(&data("hello.pdf")).unwrap();
    assert_eq!(doc.format, Format::Pdf);
    assert_view_invariant(&doc);
    assert!(
        doc.text
            .contains("Ministers from the two invented republics met"),
        "{:?}",
        doc.text
    );
    assert!(
        doc.view.contains("town on Monday and agreed to continue"),
        "{:?}",
        doc.view
    );
    assert!(
        doc.view.contains("end of the summer.\n\nA second"),
        "{:?}",
        doc.view
    );
    assert_eq!(doc.title.as_deref(), Some("A Test Report"));
    assert_eq!(doc.author.as_deref(), Some("Jane Roe"));
    let stated = doc.stated_date.unwrap();
    assert_eq!(stated.date, date(2024, 3, 12));
    assert_eq!(
        &doc.text[stated.start.unwrap()..stated.end.unwrap()],
        "2024-03-12"
    );
}

#[test]
fn bad_pdfs_are_errors() {
    let problem = |name: &str| read_path(&data(name)).unwrap_err().problem;
    assert_eq!(problem("encrypted.pdf"), "encrypted PDF");
    assert_eq!(problem("notext.pdf"), "no text layer");
    let opts = ReadOptions::default();
    let broken = read_bytes(
        "b.pdf",
        b"%PDF-1.4\nnot really a pdf at all",
        Format::Pdf,
        &opts,
    )
    .unwrap_err();
    assert!(
        broken.problem.starts_with("broken PDF"),
        "{}",
        broken.problem
    );
    let whole = fs::read(data("hello.pdf")).unwrap();
    for cut in [10, 100, 300, 600, whole.len() - 20] {
        let result = read_bytes("cut.pdf", &whole[..cut], Format::Pdf, &opts);
        if let Err(e) = result {
            assert!(
                e.problem.starts_with("broken PDF") || e.problem == "no text layer",
                "{cut}: {}",
                e.problem
            );
        }
    }
}

#[test]
fn inputs_from_directories_are_sorted_and_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("b/inner")).unwrap();
    fs::create_dir_all(root.join(".hidden")).unwrap();
    for name in [
        "b/inner/z.txt",
        "b/a.HTML",
        "c.pdf",
        "a.txt",
        "notes.md",
        ".hidden/x.txt",
        ".dot.txt",
    ] {
        fs::write(root.join(name), "x").unwrap();
    }
    let explicit = root.join("notes.md");
    let (inputs, errors) =
        collect_inputs(&[root.to_path_buf(), explicit.clone(), PathBuf::from("-")]);
    assert!(errors.is_empty(), "{errors:?}");
    let expected: Vec<Input> = ["a.txt", "b/a.HTML", "b/inner/z.txt", "c.pdf"]
        .iter()
        .map(|n| Input::Path(root.join(n)))
        .chain([Input::Path(explicit), Input::Stdin])
        .collect();
    assert_eq!(inputs, expected);
}

#[test]
fn input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    fs::write(empty.join("image.png"), "x").unwrap();
    let missing = dir.path().join("missing.txt");
    let (inputs, errors) = collect_inputs(&[missing.clone(), empty.clone()]);
    assert!(inputs.is_empty());
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            format!("{}: no such file or directory", missing.display()),
            format!(
                "{}: no readable documents (.txt, .html, .htm, .pdf) in directory",
                empty.display()
            ),
        ]
    );
    assert_eq!(
        read_path(&missing).unwrap_err().problem,
        "no such file or directory"
    );
    assert_eq!(read_path(&empty).unwrap_err().problem, "is a directory");
}

#[test]
fn size_limit_is_checked_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    fs::write(&big, "word ".repeat(300_000)).unwrap();
    let opts = ReadOptions {
        max_bytes: 1024 * 1024,
    };
    let err = read_input(&Input::Path(big.clone()), &opts).unwrap_err();
    assert_eq!(
        err.problem,
        "file is 1.4 MiB, over the 1 MiB limit (--max-size)"
    );
    assert!(read_input(&Input::Path(big), &ReadOptions::default()).is_ok());
}

#[test]
fn unknown_extensions_are_sniffed_then_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.md");
    fs::write(&notes, "# Notes\n\nPlain words.\n").unwrap();
    let doc = read_path(&notes).unwrap();
    assert_eq!((doc.format, doc.name.as_str()), (Format::Text, "notes.md"));
    let pdf = dir.path().join("report.bin");
    fs::copy(data("hello.pdf"), &pdf).unwrap();
    assert_eq!(read_path(&pdf).unwrap().format, Format::Pdf);
    let binary = dir.path().join("blob.dat");
    fs::write(&binary, [0u8, 1, 2, 3, 255]).unwrap();
    assert_eq!(
        read_path(&binary).unwrap_err().problem,
        "binary file, not a document"
    );
}

/// The shared sample corpus, when it is checked out beside the workspace: every file reads, its text
/// is the file, and the view keeps the offsets.
#[test]
fn shared_corpus_reads_cleanly() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let Ok(entries) = fs::read_dir(&corpus) else {
        println!("note: {} not found; skipped", corpus.display());
        return;
    };
    let mut seen = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let doc = read_path(&path).unwrap();
        assert_eq!(doc.text.as_bytes(), fs::read(&path).unwrap().as_slice());
        assert_view_invariant(&doc);
        if let Some(stated) = &doc.stated_date
            && let (Some(start), Some(end)) = (stated.start, stated.end)
        {
            assert!(doc.text.get(start..end).is_some());
        }
        seen += 1;
    }
    assert!(seen > 0);
}
