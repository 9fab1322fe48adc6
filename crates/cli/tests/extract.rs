//! End-to-end tests of `peacetrack extract`: the binary is run on invented documents (and on the shared
//! sample corpus when it is checked out beside the workspace), and its JSON Lines, table output, stderr
//! and exit codes are checked.

use serde_json::Value;
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a run printed and how it ended.
struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

impl Run {
    fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    fn documents(&self) -> Vec<Value> {
        self.lines()
            .into_iter()
            .filter(|l| l["kind"] == "document")
            .collect()
    }
}

fn peacetrack(args: &[&OsStr], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peacetrack"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // A run that ends before reading stdin (a usage error) closes the pipe: that is not a failure
        // of the test, the exit code and stderr say what happened.
        match pipe.write_all(bytes) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => panic!("writing stdin failed: {e}"),
        }
    }
    let output = child.wait_with_output().expect("the binary ends");
    Run {
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        code: output.status.code().expect("an exit code"),
    }
}

fn extract(args: &[&Path]) -> Run {
    let mut all: Vec<&OsStr> = vec![OsStr::new("extract"), OsStr::new("--jsonl")];
    all.extend(args.iter().map(|p| p.as_os_str()));
    peacetrack(&all, None)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("fixture written");
    path
}

/// Every timex, event and condition line's text is the bytes of its file at its offsets (`.txt`
/// inputs).
fn assert_spans_are_file_bytes(run: &Run) -> usize {
    let mut files = std::collections::HashMap::new();
    let mut current: Option<PathBuf> = None;
    let mut checked = 0;
    for line in run.lines() {
        if line["kind"] == "document" {
            current = Some(PathBuf::from(line["path"].as_str().unwrap()));
            continue;
        }
        assert!(
            matches!(line["kind"].as_str(), Some("timex" | "event" | "condition")),
            "{line}"
        );
        let path = current.clone().expect("a document line comes first");
        let bytes = files
            .entry(path.clone())
            .or_insert_with(|| fs::read(&path).unwrap());
        let (start, end) = (
            line["start"].as_u64().unwrap() as usize,
            line["end"].as_u64().unwrap() as usize,
        );
        assert!(start < end && end <= bytes.len(), "{line}");
        assert_eq!(
            &bytes[start..end],
            line["text"].as_str().unwrap().as_bytes(),
            "{line}"
        );
        checked += 1;
    }
    checked
}

const REPORT: &str = "Date: 2024-03-12\n\n\
    The delegations of two invented republics met again on Monday, two weeks after the first\n\
    round of talks in February 2024, and agreed to meet every month until the summer.\n";

#[test]
fn jsonl_lines_have_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "report.txt", REPORT.as_bytes());
    let run = extract(&[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let lines = run.lines();
    let doc = &lines[0];
    let keys: BTreeSet<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = [
        "kind",
        "doc",
        "path",
        "format",
        "date",
        "date_source",
        "title",
        "author",
        "bytes",
        "warnings",
    ]
    .into();
    assert_eq!(keys, expected);
    assert_eq!(doc["kind"], "document");
    assert_eq!(doc["doc"], "report.txt");
    assert_eq!(doc["path"], path.display().to_string());
    assert_eq!(doc["format"], "text");
    assert_eq!(doc["date"], "2024-03-12");
    assert_eq!(doc["date_source"], "stated");
    assert_eq!(doc["title"], Value::Null);
    assert_eq!(doc["author"], Value::Null);
    assert_eq!(doc["bytes"], REPORT.len());
    assert_eq!(doc["warnings"], Value::Array(vec![]));
    for timex in &lines[1..] {
        let keys: BTreeSet<&str> = timex
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let required: BTreeSet<&str> =
            ["kind", "doc", "start", "end", "text", "type", "value"].into();
        assert!(keys.is_superset(&required), "{timex}");
        assert!(keys.difference(&required).all(|k| *k == "mod"), "{timex}");
        assert_eq!(timex["doc"], "report.txt");
        assert!(
            ["DATE", "TIME", "DURATION", "SET"].contains(&timex["type"].as_str().unwrap()),
            "{timex}"
        );
    }
    assert_spans_are_file_bytes(&run);
}

#[test]
fn jsonl_is_the_default_when_stdout_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "report.txt", REPORT.as_bytes());
    let run = peacetrack(&[OsStr::new("extract"), path.as_os_str()], None);
    assert_eq!(run.code, 0);
    assert_eq!(run.documents().len(), 1);
}

#[test]
fn table_output_summarises_each_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "report.txt",
        b"Title: Invented Talks\n\nThe talks\nof the week.\n",
    );
    let run = peacetrack(
        &[
            OsStr::new("extract"),
            OsStr::new("--table"),
            path.as_os_str(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with(&format!("{} (text, ", path.display())),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("title:  Invented Talks"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("date:   "), "{}", run.stdout);
    assert!(serde_json::from_str::<Value>(run.stdout.lines().next().unwrap()).is_err());
}

#[test]
fn doc_date_wins_over_the_stated_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "report.txt", REPORT.as_bytes());
    let run = peacetrack(
        &[
            OsStr::new("extract"),
            OsStr::new("--jsonl"),
            OsStr::new("--doc-date"),
            OsStr::new("2020-01-31"),
            path.as_os_str(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = &run.documents()[0];
    assert_eq!(doc["date"], "2020-01-31");
    assert_eq!(doc["date_source"], "given");
}

#[test]
fn bad_doc_date_is_a_usage_error() {
    let run = peacetrack(
        &[
            OsStr::new("extract"),
            OsStr::new("--doc-date"),
            OsStr::new("yesterday"),
            OsStr::new("-"),
        ],
        Some(b"x"),
    );
    assert_eq!(run.code, 2);
}

#[test]
fn a_date_prefix_at_the_start_is_the_stated_date() {
    let dir = tempfile::tempdir().unwrap();
    let text = " date 2025-09-09 A delegation of one invented republic crossed the border today.\n";
    let path = write(dir.path(), "prefixed.txt", text.as_bytes());
    let run = extract(&[&path]);
    let doc = &run.documents()[0];
    assert_eq!(doc["date"], "2025-09-09");
    assert_eq!(doc["date_source"], "stated");
    assert_spans_are_file_bytes(&run);
}

#[test]
fn a_document_without_any_date_has_an_unknown_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "plain.txt",
        b"Nothing in here says when it was written.\n",
    );
    let doc = &extract(&[&path]).documents()[0];
    assert_eq!(doc["date"], Value::Null);
    assert_eq!(doc["date_source"], "unknown");
}

#[test]
fn a_milestone_named_without_its_year_dates_the_document_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The war of 2020 changed the region.\n\nIn mid-March, Armenia and Azerbaijan \
                announced they had agreed on the text of a peace treaty.\n";
    let path = write(dir.path(), "undated.txt", text.as_bytes());
    let run = extract(&[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = &run.documents()[0];
    assert_eq!(doc["date"], "2025-03");
    assert_eq!(doc["date_source"], "inferred");
    let m = &doc["date_milestone"];
    assert_eq!(m["date"], "2025-03-13");
    let (start, end) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
    assert_eq!(m["text"], text[start as usize..end as usize]);
    assert!(m["text"].as_str().unwrap().starts_with("In mid-March"));
    assert_spans_are_file_bytes(&run);

    let table = peacetrack(
        &[
            OsStr::new("extract"),
            OsStr::new("--table"),
            path.as_os_str(),
        ],
        None,
    );
    assert!(
        table.stdout.contains("2025-03 (inferred: after ") && table.stdout.contains("2025-03-13"),
        "{}",
        table.stdout
    );

    // A document with a date of its own has no milestone line.
    let dated = write(
        dir.path(),
        "dated.txt",
        format!("date 2025-04-01\n\n{text}").as_bytes(),
    );
    let doc = &extract(&[&dated]).documents()[0];
    assert_eq!(doc["date"], "2025-04-01");
    assert!(doc.get("date_milestone").is_none());
}

/// Runs `extract` on one bad input and returns its stderr, checking exit code 1 and empty stdout.
fn fails_with(args: &[&Path]) -> String {
    let run = extract(args);
    assert_eq!(run.code, 1, "stdout: {} stderr: {}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

#[test]
fn missing_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    assert_eq!(
        fails_with(&[&missing]),
        format!("{}: no such file or directory\n", missing.display())
    );
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.txt", b"");
    assert_eq!(
        fails_with(&[&path]),
        format!("{}: empty file\n", path.display())
    );
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    assert_eq!(
        fails_with(&[&path]),
        format!("{}: binary file, not a document\n", path.display())
    );
}

#[test]
fn directory_without_documents() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "picture.png", b"not a document");
    assert_eq!(
        fails_with(&[dir.path()]),
        format!(
            "{}: no readable documents (.txt, .html, .htm, .pdf) in directory\n",
            dir.path().display()
        )
    );
}

#[test]
fn broken_and_encrypted_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(
        dir.path(),
        "broken.pdf",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog",
    );
    let stderr = fails_with(&[&broken]);
    assert!(
        stderr.starts_with(&format!("{}: broken PDF", broken.display())),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let encrypted = read_fixture("encrypted.pdf");
    assert_eq!(
        fails_with(&[&encrypted]),
        format!("{}: encrypted PDF\n", encrypted.display())
    );
}

#[test]
fn file_over_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = write(
        dir.path(),
        "big.txt",
        "twelve bytes".repeat(180_000).as_bytes(),
    );
    let run = peacetrack(
        &[
            OsStr::new("extract"),
            OsStr::new("--max-size"),
            OsStr::new("1"),
            big.as_os_str(),
        ],
        None,
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "{}: file is 2.1 MiB, over the 1 MiB limit (--max-size)\n",
            big.display()
        )
    );
}

#[test]
fn a_batch_goes_on_after_failures_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "a.txt", REPORT.as_bytes());
    let empty = write(dir.path(), "b.txt", b"");
    let missing = dir.path().join("c.txt");
    let last = write(
        dir.path(),
        "d.txt",
        b"Another invented note, written on a quiet day.\n",
    );
    let run = extract(&[&first, &empty, &missing, &last]);
    assert_eq!(run.code, 1);
    let docs: Vec<String> = run
        .documents()
        .iter()
        .map(|d| d["doc"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(docs, ["a.txt", "d.txt"]);
    let mut errors: Vec<&str> = run.stderr.lines().collect();
    errors.sort_unstable();
    assert_eq!(
        errors,
        [
            format!("{}: empty file", empty.display()),
            format!("{}: no such file or directory", missing.display()),
        ]
    );
}

#[test]
fn directories_are_read_recursively_in_order() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    write(dir.path(), "b.txt", b"Second note.\n");
    write(dir.path(), "sub/a.txt", b"Nested note.\n");
    write(dir.path(), "a.txt", b"First note.\n");
    write(dir.path(), "skip.csv", b"a,b\n");
    let run = extract(&[dir.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let paths: Vec<String> = run
        .documents()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = ["a.txt", "b.txt", "sub/a.txt"]
        .iter()
        .map(|n| dir.path().join(n).display().to_string())
        .collect();
    assert_eq!(paths, expected);
}

#[test]
fn stdin_is_read_as_text() {
    let run = peacetrack(
        &[
            OsStr::new("extract"),
            OsStr::new("--jsonl"),
            OsStr::new("-"),
        ],
        Some(REPORT.as_bytes()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(lines[0]["doc"], "stdin");
    assert_eq!(lines[0]["path"], "-");
    assert_eq!(lines[0]["format"], "text");
    assert_eq!(lines[0]["date"], "2024-03-12");
    assert_eq!(lines[0]["bytes"], REPORT.len());
    for timex in &lines[1..] {
        let (start, end) = (
            timex["start"].as_u64().unwrap() as usize,
            timex["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(REPORT.get(start..end), timex["text"].as_str());
    }
}

const ARTICLE_P1: &str = "The foreign ministers of two invented republics met in a border town on 3 March 2024 and agreed to open a second crossing before the end of the year.";
const ARTICLE_P2: &str = "Their deputies will meet again next month to settle the remaining questions about customs and the railway line that runs along the river.";

#[test]
fn html_input_keeps_only_the_article_text() {
    let dir = tempfile::tempdir().unwrap();
    let page = format!(
        r#"<!DOCTYPE html><html><head><title>Two Republics Agree on a Crossing</title>
        <script>var published = "January 5, 2001";</script><style>p {{ margin: 0 }}</style></head>
        <body><nav><a href="/">Home</a> <a href="/a">Archive of January 5, 2001</a></nav>
        <article><p>{ARTICLE_P1}</p>
        <p>{ARTICLE_P2}</p></article>
        <footer>Updated on January 5, 2001</footer></body></html>"#
    );
    let path = write(dir.path(), "page.html", page.as_bytes());
    let run = extract(&[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(lines[0]["format"], "html");
    assert_eq!(lines[0]["title"], "Two Republics Agree on a Crossing");
    assert_eq!(
        lines[0]["bytes"],
        ARTICLE_P1.len() + 2 + ARTICLE_P2.len(),
        "only the two paragraphs are the text"
    );
    let text = format!("{ARTICLE_P1}\n\n{ARTICLE_P2}");
    for timex in &lines[1..] {
        let (start, end) = (
            timex["start"].as_u64().unwrap() as usize,
            timex["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(text.get(start..end), timex["text"].as_str(), "{timex}");
        assert_ne!(timex["value"], "2001-01-05", "{timex}");
    }
}

#[test]
fn pdf_input_reads_the_text_layer() {
    let run = extract(&[&read_fixture("hello.pdf")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = &run.documents()[0];
    assert_eq!(doc["format"], "pdf");
    assert_eq!(doc["title"], "A Test Report");
    assert_eq!(doc["date"], "2024-03-12");
    assert_eq!(doc["date_source"], "stated");
}

#[test]
fn non_utf8_input_is_decoded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "legacy.txt",
        b"The caf\xe9 on the border reopened \x96 after years.\n",
    );
    let run = extract(&[&path]);
    assert_eq!(run.code, 0);
    let warning = "not valid UTF-8: decoded as Windows-1252";
    assert_eq!(
        run.stderr,
        format!("{}: warning: {warning}\n", path.display())
    );
    let doc = &run.documents()[0];
    assert_eq!(doc["warnings"], Value::Array(vec![Value::from(warning)]));
    assert_eq!(
        doc["bytes"],
        "The café on the border reopened – after years.\n".len()
    );
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "report.txt", REPORT.as_bytes());
    // Enough documents to overflow any pipe buffer.
    let mut child = Command::new(env!("CARGO_BIN_EXE_peacetrack"))
        .arg("extract")
        .arg("--jsonl")
        .args(std::iter::repeat_n(&path, 3000))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("{\"kind\":\"document\""), "{first}");
    // The reader is dropped here: the pipe is closed while the binary still writes.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Regression, found by fuzzing `tag_time`: a huge count of weeks ("5555556 weeks before") made jiff
/// panic inside the tagger, which killed the whole run. The document now fails alone with a
/// `PATH: …` line (exit 1) — or, once the tagger handles such counts, is read like any other (exit 0).
#[test]
fn a_tagger_failure_costs_one_document_not_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let huge = write(
        dir.path(),
        "huge.txt",
        b"date 2024-01-01 It happened 5555556 weeks before the talks.\n",
    );
    let good = write(dir.path(), "good.txt", REPORT.as_bytes());
    let run = extract(&[&huge, &good]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let docs: Vec<String> = run
        .documents()
        .iter()
        .map(|d| d["doc"].as_str().unwrap().to_string())
        .collect();
    match run.code {
        1 => {
            assert_eq!(docs, ["good.txt"]);
            assert!(
                run.stderr.starts_with(&format!(
                    "{}: the temporal tagger failed on this document",
                    huge.display()
                )),
                "{}",
                run.stderr
            );
        }
        0 => assert_eq!(docs, ["huge.txt", "good.txt"]),
        other => panic!("exit code {other}: {}", run.stderr),
    }
}

fn read_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../read/tests/data")
        .join(name)
}

/// The span invariant on the shared sample corpus (real articles), when it is present.
#[test]
fn spans_are_file_bytes_on_the_shared_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if !corpus.is_dir() {
        println!("note: {} not found; corpus check skipped", corpus.display());
        return;
    }
    let run = extract(&[&corpus]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.documents().is_empty());
    let checked = assert_spans_are_file_bytes(&run);
    println!("{checked} timex spans checked on the shared corpus");
}
