//! The web interface end to end in a real browser: a store holding the sample corpus and a hostile
//! article, served on a loopback port, driven by `web/e2e/ui.cjs` (node + playwright-core, with
//! Debian's Chromium). The script checks the timeline, the event page, the document view's
//! evidence highlighting, that nothing of the hostile article runs, the condition graph's
//! scenario, reviews with and without the token, the map, the issue board and search, and saves a
//! screenshot of each view in `target/ui-screenshots`.
//!
//! Skipped (with the reason printed) when node, Chromium, the npm modules or the corpus are
//! missing, unless `PEACETRACK_REQUIRE_BROWSER` is set: then a missing piece fails the test.

use peacetrack_extract::pipeline::{Engines, analyse};
use peacetrack_read::{Format, ReadOptions, read_bytes};
use peacetrack_serve::ServeConfig;
use peacetrack_store::{Store, prepare};
use std::io::Read as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "browser-test-token-0123456789";

/// An article that tries every way of running script through its text.
const HOSTILE: &str = "Talks in Vienna <script>window.__pwned = 'title'; alert('title')</script>\n\n\
On 14 March 2023, Serdar Kılıç met Ruben Rubinyan in Vienna <script>window.__pwned = 1; alert(1)</script> \
to discuss the border. <img src=x onerror=\"window.__pwned = 2; alert(2)\"> \
<a href=\"javascript:window.__pwned = 3\">read more</a> <svg onload=\"window.__pwned = 4\"></svg> \
<iframe src=\"javascript:parent.__pwned = 5\"></iframe> \"quoted\" & 'single' pwned.\n\n\
Türkiye's special envoy said the reopening of the border depends on a peace treaty \
</td></tr></table><script src=//evil.example/x.js></script><style>body{display:none}</style>.\n";

/// Why the test cannot run here, if it cannot.
fn missing_piece(root: &Path) -> Option<String> {
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => return Some("node is not installed".into()),
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).is_file() {
        return Some(format!(
            "{chromium} is missing (apt-get install -y chromium)"
        ));
    }
    let modules = env!("PEACETRACK_WEB_NODE_MODULES");
    if modules.is_empty() || !Path::new(modules).join("playwright-core").is_dir() {
        return Some(format!(
            "the npm modules were not installed by the build ({modules:?}); see the build's warnings"
        ));
    }
    if !root.join("../shared/corpus").is_dir() {
        return Some("../shared/corpus is absent".into());
    }
    None
}

/// Stores every file of `files` as the CLI's `ingest` would.
fn fill(db: &str, files: &[(String, Vec<u8>)]) {
    let engines = Engines::load().expect("the engines load");
    let mut store = Store::open(db).expect("the store opens");
    let mut batch = Vec::new();
    for (name, bytes) in files {
        let format = Format::from_path(Path::new(name)).unwrap_or(Format::Text);
        let doc = read_bytes(name, bytes, format, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {}", e.problem));
        let analysis = analyse(&engines, &doc, None);
        batch.push(prepare(&doc, &analysis, store.rules()));
    }
    store.write_batch(&batch).expect("the batch is written");
}

/// Runs `cmd`, killing it after `limit`; its status and its output (stdout then stderr).
fn run_with_limit(mut cmd: Command, limit: Duration) -> (Option<i32>, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut text = reader.join().unwrap_or_default();
    text.push_str(&err_reader.join().unwrap_or_default());
    (status, text)
}

#[test]
fn the_web_interface_works_in_a_browser() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    if let Some(why) = missing_piece(&root) {
        if std::env::var_os("PEACETRACK_REQUIRE_BROWSER").is_some() {
            panic!("the browser test cannot run and PEACETRACK_REQUIRE_BROWSER is set: {why}");
        }
        eprintln!("skipped: {why}");
        return;
    }

    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(root.join("../shared/corpus"))
        .expect("the corpus is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            Format::from_path(&p)?;
            Some((name, std::fs::read(&p).ok()?))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus has documents");
    files.push(("hostile.txt".into(), HOSTILE.as_bytes().to_vec()));

    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = format!("sqlite:{}", dir.path().join("ui.db").display());
    fill(&db, &files);
    let case = root.join("cases/south-caucasus");
    if case.is_dir() {
        let mut store = Store::open(&db).expect("the store opens");
        store
            .set_info(
                "case",
                &case.canonicalize().unwrap_or(case).display().to_string(),
            )
            .expect("the case is recorded");
    }

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let mut config = ServeConfig::new(db, SocketAddr::from(([127, 0, 0, 1], 0)));
    config.token = Some(TOKEN.into());
    let bound = rt
        .block_on(peacetrack_serve::bind(config))
        .expect("the server binds");
    let base = format!("http://{}", bound.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = rt.spawn(bound.run(async {
        let _ = stopped.await;
    }));

    let shots = root.join("target/ui-screenshots");
    std::fs::create_dir_all(&shots).expect("the screenshot directory");
    let mut cmd = Command::new("node");
    cmd.arg(root.join("web/e2e/ui.cjs"))
        .arg(&base)
        .arg(TOKEN)
        .arg(&shots)
        .env("NODE_PATH", env!("PEACETRACK_WEB_NODE_MODULES"))
        .current_dir(&root);
    let (status, output) = run_with_limit(cmd, Duration::from_secs(300));

    let _ = stop.send(());
    let _ = rt.block_on(server);
    println!("{output}");
    assert_eq!(
        status,
        Some(0),
        "the browser checks failed (screenshots in {}):\n{output}",
        shots.display()
    );
    for view in ["timeline", "event", "document", "map", "search"] {
        let png = shots.join(format!("{view}.png"));
        let bytes = std::fs::read(&png).unwrap_or_default();
        assert!(
            bytes.starts_with(b"\x89PNG"),
            "{} is not a PNG",
            png.display()
        );
    }
}

/// The web interface's pure modules (byte offsets → string indices, span nesting, dates at their
/// precision) under node's own test runner: `node --test web/test/`.
#[test]
fn the_web_modules_pass_their_unit_tests() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => {
            if std::env::var_os("PEACETRACK_REQUIRE_BROWSER").is_some() {
                panic!("node is not installed and PEACETRACK_REQUIRE_BROWSER is set");
            }
            eprintln!("skipped: node is not installed");
            return;
        }
    }
    let mut cmd = Command::new("node");
    cmd.arg("--test").arg("web/test/").current_dir(&root);
    let (status, output) = run_with_limit(cmd, Duration::from_secs(120));
    assert_eq!(status, Some(0), "node --test web/test/ failed:\n{output}");
    assert!(
        output.contains("# pass ") && output.contains("# fail 0"),
        "{output}"
    );
}
