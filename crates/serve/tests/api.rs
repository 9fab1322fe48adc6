//! The API end to end on a temporary SQLite store: the sample corpus uploaded through
//! `POST /api/ingest`, then the listings, pagination, ETags, search, exports, the safety rules
//! (tokens, CSRF, loopback, limits, traversal, escaping), and the OpenAPI document against what the
//! router really does. One test goes over a real TCP socket.

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use peacetrack_extract::pipeline::Engines;
use peacetrack_serve::{AppState, ServeConfig, ServeError, router};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt as _;

const TOKEN: &str = "test-token-0123456789abcdef";
const LOOPBACK: ([u8; 4], u16) = ([127, 0, 0, 1], 40000);
/// A documentation address (TEST-NET-1): only a label for the peer, nothing is sent there.
const REMOTE: ([u8; 4], u16) = ([192, 0, 2, 7], 40000);

fn engines() -> Arc<Engines> {
    static ENGINES: OnceLock<Arc<Engines>> = OnceLock::new();
    ENGINES
        .get_or_init(|| Arc::new(Engines::load().expect("the engines load")))
        .clone()
}

/// The sample corpus, or `None` (the test is skipped) when `../shared` is absent, unless
/// `PEACETRACK_REQUIRE_SHARED` is set.
fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("PEACETRACK_REQUIRE_SHARED").is_some() {
        panic!(
            "{}: the sample corpus is missing and PEACETRACK_REQUIRE_SHARED is set",
            dir.display()
        );
    }
    eprintln!("skipped: {} is absent", dir.display());
    None
}

struct App {
    state: AppState,
    app: Router,
    _dir: tempfile::TempDir,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}), status {}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl App {
    fn new() -> App {
        App::with_limit(peacetrack_serve::DEFAULT_MAX_BODY)
    }

    fn with_limit(max_body: usize) -> App {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite:{}", dir.path().join("x.db").display());
        let state = AppState::open(&db, TOKEN.to_string(), engines())
            .unwrap()
            .with_max_body(max_body);
        let app = router(state.clone()).layer(MockConnectInfo(SocketAddr::from(LOOPBACK)));
        App {
            state,
            app,
            _dir: dir,
        }
    }

    /// The same application seen from another host.
    /// Sets the sample case for the store (as `peacetrack --case cases/south-caucasus serve` does).
    fn set_case(&self) {
        let db = format!("sqlite:{}", self._dir.path().join("x.db").display());
        let mut store = peacetrack_store::Store::open(&db).unwrap();
        let case = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cases/south-caucasus");
        peacetrack_model::record::case_for(&mut store, Some(&case)).unwrap();
    }

    async fn post_json(&self, uri: &str, body: &Value, token: Option<&str>) -> Answer {
        let mut r = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(r.body(Body::from(body.to_string())).unwrap())
            .await
    }

    fn remote(&self) -> Router {
        router(self.state.clone()).layer(MockConnectInfo(SocketAddr::from(REMOTE)))
    }

    async fn send(&self, req: Request<Body>) -> Answer {
        send(&self.app, req).await
    }

    async fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    async fn get_json(&self, uri: &str) -> Value {
        let a = self.get(uri).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.text());
        a.json()
    }

    async fn upload(&self, files: &[(&str, &[u8])]) -> Answer {
        let (content_type, body) = multipart(files);
        self.send(
            Request::post("/api/ingest")
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    async fn ingest_corpus(&self) -> Option<Value> {
        let dir = corpus()?;
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        assert!(!files.is_empty());
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let a = self.upload(&refs).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        Some(a.json())
    }
}

async fn send(app: &Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

fn multipart(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----peacetrack-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A short article the extractors find an event, a condition and dates in.
const ARTICLE: &str = "Talks in Moscow\n\nOn 14 January 2022, Serdar Kılıç met Ruben Rubinyan in Moscow \
to discuss the normalisation of relations between Türkiye and Armenia.\n\n\
The reopening of the border depends on a peace treaty, Türkiye said on 3 March 2022.\n";

// ---------------------------------------------------------------------------------------------
// A small JSON Schema check against the OpenAPI document: types, required and known properties
// (no undocumented field), items, $ref, allOf/oneOf/anyOf, enum.

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unexpected $ref {r}"));
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// Every property name an object schema allows (through $ref and allOf), or None when any is.
fn known_properties(doc: &Value, schema: &Value) -> Option<Vec<String>> {
    let schema = resolve(doc, schema);
    let mut names: Vec<String> = Vec::new();
    let mut any = false;
    if let Some(p) = schema.get("properties").and_then(Value::as_object) {
        names.extend(p.keys().cloned());
        any = true;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            names.extend(known_properties(doc, s)?);
            any = true;
        }
    }
    any.then_some(names)
}

fn check(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            check_inner(doc, s, v, at, false)?;
        }
    }
    check_inner(doc, schema, v, at, true)
}

fn check_inner(
    doc: &Value,
    schema: &Value,
    v: &Value,
    at: &str,
    strict: bool,
) -> Result<(), String> {
    let schema = resolve(doc, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let ok = alts.iter().any(|s| check(doc, s, v, at).is_ok());
            if !ok {
                return Err(format!("{at}: {v} fits none of {key}"));
            }
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = types.iter().any(|t| match *t {
            "null" => v.is_null(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        });
        if !fits {
            return Err(format!("{at}: {v} is not of type {t}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{at}: {v} is not one of {e:?}"));
    }
    if let Some(obj) = v.as_object() {
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    return Err(format!("{at}: the required field {r} is missing"));
                }
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        if strict && let Some(known) = known_properties(doc, schema) {
            for k in obj.keys() {
                if !known.contains(k) {
                    return Err(format!("{at}: the field {k} is not in the schema"));
                }
            }
        }
        if let Some(props) = props {
            for (k, s) in props {
                if let Some(x) = obj.get(k) {
                    check(doc, s, x, &format!("{at}.{k}"))?;
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// Checks an answer against the schema the document gives for its path, method and status.
fn conforms(doc: &Value, path: &str, method: &str, a: &Answer) {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is not in the document");
    let status = a.status.as_u16().to_string();
    let resp = &op["responses"][&status];
    assert!(
        resp.is_object(),
        "{method} {path} answered {status}, which the document does not list: {}",
        a.text()
    );
    let ct = a.header("content-type");
    let media = ct.split(';').next().unwrap_or("").trim();
    let content = &resp["content"];
    assert!(
        content.get(media).is_some(),
        "{method} {path} {status}: content type {media} is not documented ({content})"
    );
    if media == "application/json"
        && let Some(schema) = content[media].get("schema")
    {
        check(doc, schema, &a.json(), &format!("{method} {path} {status}")).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn corpus_ingested_through_the_api_gives_the_sourced_timeline() {
    let app = App::new();
    let Some(result) = app.ingest_corpus().await else {
        return;
    };
    let files = result["files"].as_array().unwrap();
    assert_eq!(files.len(), 5, "{result}");
    assert!(
        files
            .iter()
            .all(|f| f["outcome"] == "new" && f["error"].is_null()),
        "{result}"
    );
    assert_eq!(result["documents"]["new"], 5);
    assert_eq!(result["store_totals"]["documents"], 5);
    assert!(result["claims_written"].as_u64().unwrap() > 20, "{result}");

    // The Kılıç–Rubinyan meeting in Moscow, 14 January 2022, reported by two documents.
    let page = app.get_json("/api/events?limit=1000").await;
    let events = page["items"].as_array().unwrap();
    assert!(events.len() > 20);
    let meeting = events
        .iter()
        .find(|e| {
            e["date"] == "2022-01-14"
                && e["place"] == "Moscow"
                && e["actors"].as_array().is_some_and(|a| {
                    a.iter().any(|x| x == "Serdar Kılıç") && a.iter().any(|x| x == "Ruben Rubinyan")
                })
        })
        .unwrap_or_else(|| panic!("no Kılıç–Rubinyan meeting on 2022-01-14: {page:#}"));
    let mut docs: Vec<&str> = meeting["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["doc_id"].as_str().unwrap())
        .collect();
    docs.sort_unstable();
    docs.dedup();
    assert!(docs.len() >= 2, "{meeting:#}");
    assert_eq!(meeting["type"], "CONSULT");

    // The same event alone, and through filters.
    let id = meeting["id"].as_str().unwrap();
    let one = app.get_json(&format!("/api/events/{id}")).await;
    assert_eq!(&one, meeting);
    for q in [
        "actor=kilic&from=2022-01&to=2022-01",
        "country=ARM&type=CONSULT",
        "place=moscow",
        "doc=002_50caa1aed49d2e81",
    ] {
        let p = app.get_json(&format!("/api/events?{q}")).await;
        assert!(
            p["items"].as_array().unwrap().iter().any(|e| e["id"] == id),
            "{q}: {p:#}"
        );
    }
    // Every source quote is the document's text at its span.
    let source = &meeting["sources"][0];
    let d = app
        .get_json(&format!(
            "/api/documents/{}",
            source["doc_id"].as_str().unwrap()
        ))
        .await;
    let text = d["text"].as_str().unwrap();
    let (s, e) = (
        source["start"].as_u64().unwrap() as usize,
        source["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[s..e].trim(), source["text"].as_str().unwrap());
    for item in d["items"].as_array().unwrap() {
        let (s, e) = (
            item["start"].as_u64().unwrap() as usize,
            item["end"].as_u64().unwrap() as usize,
        );
        assert!(text.get(s..e).is_some(), "{item}");
    }

    // The other listings.
    let docs = app.get_json("/api/documents").await;
    assert_eq!(docs["items"].as_array().unwrap().len(), 5);
    assert!(docs["next_offset"].is_null());
    let actors = app.get_json("/api/actors").await;
    assert!(
        actors["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "Serdar Kılıç")
    );
    let places = app.get_json("/api/places").await;
    let moscow = places["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Moscow")
        .expect("Moscow is a place");
    assert!(
        (moscow["lat"].as_f64().unwrap() - 55.75).abs() < 0.5,
        "{moscow}"
    );
    assert!(
        (moscow["lon"].as_f64().unwrap() - 37.6).abs() < 0.5,
        "{moscow}"
    );
    let conditions = app.get_json("/api/conditions").await;
    assert!(!conditions["items"].as_array().unwrap().is_empty());

    // Search folds accents.
    let hits = app.get_json("/api/search?q=kilic&limit=5").await;
    let items = hits["items"].as_array().unwrap();
    assert!(items.iter().any(|h| h["kind"] == "document"), "{hits:#}");
    assert!(items.iter().any(|h| h["kind"] == "event"), "{hits:#}");
    assert!(
        items
            .iter()
            .all(|h| !h["highlights"].as_array().unwrap().is_empty())
    );
    assert_eq!(
        app.get("/api/search?q=").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.get("/api/search").await.status, StatusCode::BAD_REQUEST);

    // Uploading the same files again changes nothing.
    let again = app.ingest_corpus().await.unwrap();
    assert_eq!(again["documents"]["unchanged"], 5, "{again}");
    assert_eq!(again["claims_written"], 0);
    assert_eq!(again["store_totals"], result["store_totals"]);
}

#[tokio::test]
async fn pages_walk_the_whole_timeline_in_order() {
    let app = App::new();
    if app.ingest_corpus().await.is_none() {
        return;
    }
    let all = app.get_json("/api/events?limit=1000").await;
    assert!(all["next_offset"].is_null());
    let all: Vec<Value> = all["items"].as_array().unwrap().clone();
    let mut walked: Vec<Value> = Vec::new();
    let mut offset = Some(0);
    while let Some(o) = offset {
        let p = app
            .get_json(&format!("/api/events?limit=7&offset={o}"))
            .await;
        assert_eq!(p["limit"], 7);
        assert_eq!(p["offset"], o);
        let items = p["items"].as_array().unwrap();
        assert!(items.len() <= 7);
        walked.extend(items.iter().cloned());
        offset = p["next_offset"].as_u64();
        if offset.is_some() {
            assert_eq!(items.len(), 7);
        }
    }
    assert_eq!(walked, all);
    // Sorted by date (the first day), as the store gives.
    let dates: Vec<&str> = all.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert!(
        dates.windows(2).all(|w| w[0][..4] <= w[1][..4]),
        "{dates:?}"
    );
    // Past the end: empty, no next page.
    let past = app.get_json("/api/events?offset=100000").await;
    assert!(past["items"].as_array().unwrap().is_empty() && past["next_offset"].is_null());
    // Limits: clamped at 1000; 0, negatives, junk and unknown parameters are 400s.
    assert_eq!(app.get_json("/api/events?limit=5000").await["limit"], 1000);
    assert_eq!(app.get_json("/api/events").await["limit"], 100);
    for bad in [
        "/api/events?limit=0",
        "/api/events?limit=-1",
        "/api/events?limit=x",
        "/api/events?from=yesterday",
        "/api/events?actors=kilic",
        "/api/events?all=maybe",
        "/api/documents?offset=-3",
    ] {
        let a = app.get(bad).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.text());
        assert!(a.json()["error"].is_string());
    }
    // Documents page too.
    let d = app.get_json("/api/documents?limit=2&offset=2").await;
    assert_eq!(d["items"].as_array().unwrap().len(), 2);
    assert_eq!(d["next_offset"], 4);
    let last = app.get_json("/api/documents?limit=2&offset=4").await;
    assert_eq!(last["items"].as_array().unwrap().len(), 1);
    assert!(last["next_offset"].is_null());
    // `all` adds events not reported as having happened.
    let with_all = app.get_json("/api/events?limit=1000&all=true").await;
    assert!(with_all["items"].as_array().unwrap().len() >= all.len());
}

#[tokio::test]
async fn etags_answer_304_until_the_record_changes() {
    let app = App::new();
    assert_eq!(
        app.upload(&[("talks.txt", ARTICLE.as_bytes())])
            .await
            .status,
        StatusCode::OK
    );
    for uri in [
        "/api/events",
        "/api/documents",
        "/",
        "/api/openapi.json",
        "/api/export?format=csv",
    ] {
        let first = app.get(uri).await;
        assert_eq!(first.status, StatusCode::OK, "{uri}");
        let tag = first.header("etag").to_string();
        assert!(
            tag.starts_with('"') && tag.ends_with('"') && tag.len() == 34,
            "{uri}: a strong ETag, got {tag:?}"
        );
        assert_eq!(app.get(uri).await.header("etag"), tag, "{uri}: stable");
        for inm in [
            tag.clone(),
            format!("W/{tag}"),
            format!("\"nope\", {tag}"),
            "*".into(),
        ] {
            let again = app
                .send(
                    Request::get(uri)
                        .header(header::IF_NONE_MATCH, &inm)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri} {inm}");
            assert!(again.body.is_empty());
            assert_eq!(again.header("etag"), tag);
        }
        let other = app
            .send(
                Request::get(uri)
                    .header(header::IF_NONE_MATCH, "\"0123\"")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(other.status, StatusCode::OK);
    }
    // A new document changes the timeline, so its ETag.
    let before = app.get("/api/events").await.header("etag").to_string();
    let more = ARTICLE
        .replace("14 January 2022", "24 February 2022")
        .replace("Moscow", "Vienna");
    assert_eq!(
        app.upload(&[("vienna.txt", more.as_bytes())]).await.status,
        StatusCode::OK
    );
    let after = app
        .send(
            Request::get("/api/events")
                .header(header::IF_NONE_MATCH, &before)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(after.status, StatusCode::OK);
    assert_ne!(after.header("etag"), before);
    // Errors carry no ETag.
    assert!(
        app.get("/api/events/ev-none")
            .await
            .headers
            .get("etag")
            .is_none()
    );
}

#[tokio::test]
async fn writes_need_the_token_and_the_same_origin() {
    let app = App::new();
    let (ct, body) = multipart(&[("talks.txt", ARTICLE.as_bytes())]);
    let post = |auth: Option<&str>, extra: &[(&str, &str)]| {
        let mut r = Request::post("/api/ingest").header(header::CONTENT_TYPE, &ct);
        if let Some(a) = auth {
            r = r.header(header::AUTHORIZATION, a);
        }
        for (k, v) in extra {
            r = r.header(*k, *v);
        }
        r.body(Body::from(body.clone())).unwrap()
    };
    let bearer = format!("Bearer {TOKEN}");
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (post(None, &[]), StatusCode::UNAUTHORIZED, "no token"),
        (
            post(Some("Bearer wrong-token-0123456789"), &[]),
            StatusCode::UNAUTHORIZED,
            "wrong token",
        ),
        (
            post(Some(&format!("Basic {TOKEN}")), &[]),
            StatusCode::UNAUTHORIZED,
            "not bearer",
        ),
        (
            post(
                Some(&bearer),
                &[
                    ("origin", "http://evil.example"),
                    ("host", "127.0.0.1:8080"),
                ],
            ),
            StatusCode::FORBIDDEN,
            "cross-origin with the token",
        ),
        (
            post(
                None,
                &[
                    ("origin", "http://evil.example"),
                    ("host", "127.0.0.1:8080"),
                ],
            ),
            StatusCode::FORBIDDEN,
            "cross-origin without the token",
        ),
        (
            post(
                Some(&bearer),
                &[("origin", "null"), ("host", "127.0.0.1:8080")],
            ),
            StatusCode::FORBIDDEN,
            "opaque origin",
        ),
        (
            post(
                Some(&bearer),
                &[
                    ("origin", "http://127.0.0.1:9999"),
                    ("host", "127.0.0.1:8080"),
                ],
            ),
            StatusCode::FORBIDDEN,
            "another port",
        ),
        (
            post(Some(&bearer), &[("sec-fetch-site", "cross-site")]),
            StatusCode::FORBIDDEN,
            "Sec-Fetch-Site cross-site",
        ),
        (
            post(
                Some(&bearer),
                &[
                    ("origin", "http://127.0.0.1:8080"),
                    ("host", "127.0.0.1:8080"),
                ],
            ),
            StatusCode::OK,
            "same origin with the token",
        ),
        (
            post(Some(&bearer), &[]),
            StatusCode::OK,
            "no origin (curl) with the token",
        ),
    ];
    for (req, want, what) in cases {
        let a = app.send(req).await;
        assert_eq!(a.status, want, "{what}: {}", a.text());
        assert!(
            a.json()["error"].is_string() || want == StatusCode::OK,
            "{what}"
        );
        assert_eq!(a.header("x-content-type-options"), "nosniff");
    }
    // Other write methods: 401 without the token, 405 with it.
    for m in [Method::DELETE, Method::PUT, Method::PATCH] {
        let a = app
            .send(
                Request::builder()
                    .method(m.clone())
                    .uri("/api/events")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{m}");
        let a = app
            .send(
                Request::builder()
                    .method(m.clone())
                    .uri("/api/events")
                    .header(header::AUTHORIZATION, &bearer)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{m}");
        assert!(a.json()["error"].is_string());
    }
}

#[tokio::test]
async fn reads_are_open_on_loopback_only() {
    let app = App::new();
    // Loopback peer, loopback (or no) Host: no token needed.
    for host in [
        None,
        Some("127.0.0.1:8080"),
        Some("localhost:8080"),
        Some("[::1]:8080"),
    ] {
        let mut r = Request::get("/api/events");
        if let Some(h) = host {
            r = r.header(header::HOST, h);
        }
        assert_eq!(
            app.send(r.body(Body::empty()).unwrap()).await.status,
            StatusCode::OK,
            "{host:?}"
        );
    }
    // A loopback peer naming another host (DNS rebinding): the token is needed.
    let rebound = app
        .send(
            Request::get("/api/events")
                .header(header::HOST, "evil.example:8080")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(rebound.status, StatusCode::UNAUTHORIZED);
    // Another host: the token is needed, for the page too.
    let remote = app.remote();
    for uri in ["/api/events", "/", "/api/openapi.json"] {
        let a = send(&remote, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert!(a.json()["error"].as_str().unwrap().contains("Bearer"));
        let a = send(
            &remote,
            Request::get(uri)
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{uri}");
    }
    // A wrong token is refused even on loopback.
    let wrong = app
        .send(
            Request::get("/api/events")
                .header(header::AUTHORIZATION, "Bearer nope-nope-nope-nope")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unknown_paths_and_traversal_are_404s() {
    let app = App::new();
    assert_eq!(
        app.upload(&[("talks.txt", ARTICLE.as_bytes())])
            .await
            .status,
        StatusCode::OK
    );
    for uri in [
        "/nope",
        "/etc/passwd",
        "/api",
        "/api/",
        "/api/nope",
        "/api/events/",
        "/api/documents/../../etc/passwd",
        "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/api/documents/%25",
        "/api/events/%25",
        "/api/events/ev-does-not-exist",
        "/api/documents/nope.txt",
        "/api/documents/..",
        "/../../../../etc/passwd",
        "/static/../Cargo.toml",
        "/api/events/x/y",
    ] {
        let a = app.get(uri).await;
        assert!(
            a.status == StatusCode::NOT_FOUND || a.status == StatusCode::BAD_REQUEST,
            "{uri}: {} {}",
            a.status,
            a.text()
        );
        let text = a.text();
        assert!(
            !text.contains("root:") && !text.contains("[package]"),
            "{uri}: {text}"
        );
        assert!(a.json()["error"].is_string(), "{uri}");
    }
    // A document is found by its name and its stem, not by a wildcard.
    assert_eq!(
        app.get("/api/documents/talks.txt").await.status,
        StatusCode::OK
    );
    assert_eq!(app.get("/api/documents/talks").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/documents/ta%25").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bodies_over_the_limit_are_413s() {
    let app = App::with_limit(4096);
    let big = "On 14 January 2022, Serdar Kılıç met Ruben Rubinyan in Moscow. ".repeat(200);
    let (ct, body) = multipart(&[("big.txt", big.as_bytes())]);
    assert!(body.len() > 4096);
    // Announced by Content-Length.
    let a = app
        .send(
            Request::post("/api/ingest")
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .header(header::CONTENT_TYPE, &ct)
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.text());
    assert!(a.json()["error"].is_string());
    // Not announced (streamed).
    let a = app
        .send(
            Request::post("/api/ingest")
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .header(header::CONTENT_TYPE, &ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.text());
    assert!(a.json()["error"].is_string());
    // Under the limit: fine.
    let a = app.upload(&[("small.txt", ARTICLE.as_bytes())]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(
        app.get_json("/api/documents").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn ingest_reports_each_file() {
    let app = App::new();
    let a = app
        .upload(&[
            ("talks.txt", ARTICLE.as_bytes()),
            ("virus.exe", b"MZ\x90\x00"),
            ("empty.txt", b""),
            ("page.html", b"<html><head><title>Vienna talks</title></head><body><article><p>On 24 February 2022, Serdar K\xc4\xb1l\xc4\xb1\xc3\xa7 met Ruben Rubinyan in Vienna.</p></article></body></html>"),
            ("../../etc/cron.d/x.txt", b"Nothing happened here at all, said nobody."),
        ])
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let r = a.json();
    let files = r["files"].as_array().unwrap();
    let by = |n: &str| {
        files
            .iter()
            .find(|f| f["name"] == n)
            .unwrap_or_else(|| panic!("{n}: {r:#}"))
    };
    assert_eq!(by("talks.txt")["outcome"], "new");
    assert!(
        by("talks.txt")["doc_id"]
            .as_str()
            .unwrap()
            .starts_with("doc-")
    );
    assert!(
        by("virus.exe")["error"]
            .as_str()
            .unwrap()
            .contains("unsupported")
    );
    assert!(by("virus.exe")["outcome"].is_null());
    assert!(by("empty.txt")["error"].as_str().unwrap().contains("empty"));
    assert_eq!(by("page.html")["outcome"], "new");
    assert_eq!(by("x.txt")["outcome"], "new", "the path is cut to its name");
    assert_eq!(r["documents"]["new"], 3);
    assert_eq!(r["documents"]["failed"], 2);
    let html = app.get_json("/api/documents/page.html").await;
    assert_eq!(html["title"], "Vienna talks");
    assert_eq!(html["path"], "page.html");

    // The same name with other content replaces the document.
    let changed = ARTICLE.replace("3 March 2022", "4 March 2022");
    let r = app
        .upload(&[("talks.txt", changed.as_bytes())])
        .await
        .json();
    assert_eq!(r["files"][0]["outcome"], "replaced", "{r}");
    assert_eq!(r["store_totals"]["documents"], 3);

    // Nothing storable: 422 with each error.
    let a = app.upload(&[("a.docx", b"PK\x03\x04")]).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["documents"]["failed"], 1);

    // Malformed requests are 400s.
    let bearer = format!("Bearer {TOKEN}");
    let boundary = "b0undary";
    let requests = [
        ("no multipart", "application/json", b"{}".to_vec(), ""),
        ("no file", &*format!("multipart/form-data; boundary={boundary}"), format!("--{boundary}--\r\n").into_bytes(), ""),
        (
            "another field",
            &*format!("multipart/form-data; boundary={boundary}"),
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nhi\r\n--{boundary}--\r\n").into_bytes(),
            "",
        ),
        (
            "bad doc_date",
            &*format!("multipart/form-data; boundary={boundary}"),
            format!("--{boundary}--\r\n").into_bytes(),
            "?doc_date=14/01/2022",
        ),
    ];
    for (what, ct, body, q) in requests {
        let a = app
            .send(
                Request::post(format!("/api/ingest{q}"))
                    .header(header::AUTHORIZATION, &bearer)
                    .header(header::CONTENT_TYPE, ct)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{what}: {}", a.text());
        assert!(a.json()["error"].is_string(), "{what}");
    }

    // doc_date overrides the document's date.
    let (ct, body) = multipart(&[(
        "undated.txt",
        b"Serdar Kilic met Ruben Rubinyan in Vienna on Monday.",
    )]);
    let a = app
        .send(
            Request::post("/api/ingest?doc_date=2023-05-10")
                .header(header::AUTHORIZATION, &bearer)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let d = app.get_json("/api/documents/undated.txt").await;
    assert_eq!(d["date"], "2023-05-10");
    assert_eq!(d["date_source"], "given");
}

#[tokio::test]
async fn the_html_index_escapes_document_text() {
    let app = App::new();
    let evil = "Talks <script>alert('title')</script>\n\n\
        On 14 January 2022, Serdar Kılıç met Ruben Rubinyan in Moscow <script>alert(1)</script> \
        <img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">read more</a> \"quoted\" & 'single'.\n\n\
        On 24 February 2022, Serdar Kılıç met Ruben Rubinyan in Vienna </td></tr></table><script src=//evil.example/x.js></script>.\n";
    let a = app
        .upload(&[("<img src=x onerror=alert(4)>.txt", evil.as_bytes())])
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // `/` is the web interface's shell: static, the record reaches it only as JSON.
    let shell = app.get("/").await;
    assert_eq!(shell.status, StatusCode::OK);
    assert!(shell.header("content-type").starts_with("text/html"));
    assert!(
        shell
            .header("content-security-policy")
            .contains("default-src 'self'")
    );
    let shell = shell.text();
    assert!(
        shell.contains("<script type=\"module\" src=\"/app.js\">"),
        "{shell}"
    );
    assert!(
        !shell.contains("Kılıç") && !shell.contains("<script>"),
        "{shell}"
    );
    // `/record` is the same record as a plain page, escaped.
    let page = app.get("/record").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(
        page.header("content-security-policy")
            .contains("default-src 'self'")
    );
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    let html = page.text();
    // The document's text is on the page, escaped.
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(4)&gt;.txt"),
        "{html}"
    );
    assert!(html.contains("Serdar Kılıç"), "{html}");
    // Nothing of it is markup.
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("<img"), "{html}");
    assert!(!lower.contains("href=\"javascript:"), "{html}");
    assert!(!lower.contains("onerror=alert(2)>"), "{html}");
    assert_eq!(lower.matches("<table").count(), 1, "{html}");
    assert_eq!(lower.matches("</table>").count(), 1, "{html}");
    // Every link stays on this server.
    for href in html.split("href=\"").skip(1) {
        assert!(href.starts_with('/'), "{href}");
    }
    // JSON answers are data, with nosniff too.
    let events = app.get("/api/events").await;
    assert!(
        events
            .header("content-type")
            .starts_with("application/json")
    );
    assert_eq!(events.header("x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn exports_have_their_content_types() {
    let app = App::new();
    assert_eq!(
        app.upload(&[("talks.txt", ARTICLE.as_bytes())])
            .await
            .status,
        StatusCode::OK
    );
    for (format, ct, check) in [
        ("", "application/x-ndjson", "\"sources\""),
        ("?format=jsonl", "application/x-ndjson", "\"sources\""),
        ("?format=csv", "text/csv", "event_id,event_date"),
        (
            "?format=geojson",
            "application/geo+json",
            "FeatureCollection",
        ),
        ("?format=plover", "application/x-ndjson", "\"cite_info\""),
    ] {
        let a = app.get(&format!("/api/export{format}")).await;
        assert_eq!(a.status, StatusCode::OK, "{format}");
        assert!(
            a.header("content-type").starts_with(ct),
            "{format}: {}",
            a.header("content-type")
        );
        assert!(
            a.header("content-disposition").starts_with("attachment"),
            "{format}"
        );
        assert!(a.text().contains(check), "{format}: {}", a.text());
    }
    let geo: Value =
        serde_json::from_str(&app.get("/api/export?format=geojson").await.text()).unwrap();
    assert!(!geo["features"].as_array().unwrap().is_empty());
    assert_eq!(
        app.get("/api/export?format=xml").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_openapi_document_matches_the_router() {
    let app = App::new();
    assert_eq!(
        app.upload(&[("talks.txt", ARTICLE.as_bytes())])
            .await
            .status,
        StatusCode::OK
    );
    app.set_case();
    let doc = app.get_json("/api/openapi.json").await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc,
        serde_json::to_value(peacetrack_serve::openapi()).unwrap()
    );
    let event_id = app.get_json("/api/events").await["items"][0]["id"]
        .as_str()
        .expect("an event")
        .to_string();
    let doc_id = app.get_json("/api/documents").await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let methods = ["get", "post", "put", "patch", "delete"];
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        let uri = path.replace(
            "{id}",
            if path.starts_with("/api/events") {
                &event_id
            } else if path.starts_with("/api/issues") {
                "treaty"
            } else {
                &doc_id
            },
        );
        assert!(!uri.contains('{'), "{path}: an unknown path parameter");
        let uri = if path == "/api/search" {
            format!("{uri}?q=kilic")
        } else {
            uri
        };
        for m in methods {
            let req = Request::builder()
                .method(m.to_ascii_uppercase().as_str())
                .uri(&uri)
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .body(Body::empty())
                .unwrap();
            let a = app.send(req).await;
            if item.get(m).is_some() {
                operations += 1;
                assert!(
                    a.status != StatusCode::NOT_FOUND && a.status != StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path} is documented but answers {}: {}",
                    a.status,
                    a.text()
                );
                conforms(&doc, path, m, &a);
            } else {
                assert_eq!(
                    a.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path} is not documented but answers {}",
                    a.status
                );
            }
        }
    }
    assert_eq!(operations, 18);

    // Every route the source registers is documented: `/api` routes are registered only through
    // `routes!` from `#[utoipa::path]` attributes (each path one of the document's, one handler a
    // call), and any plain `.route(...)` is outside `/api`.
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let (mut attributes, mut registered) = (0, 0);
    for entry in std::fs::read_dir(&src).unwrap() {
        let file = entry.unwrap().path();
        let text = std::fs::read_to_string(&file).unwrap();
        let literal = |at: usize| {
            let rest = &text[at..];
            rest[..rest.find('"').unwrap()].to_string()
        };
        for (i, m) in text.match_indices("path = \"") {
            let lit = literal(i + m.len());
            attributes += 1;
            assert!(
                paths.contains_key(&lit),
                "{}: {lit} is not in the document",
                file.display()
            );
        }
        for (i, m) in text.match_indices(".route(\"") {
            let lit = literal(i + m.len());
            assert!(
                !lit.starts_with("/api"),
                "{}: {lit} is routed outside routes!",
                file.display()
            );
        }
        registered += text.matches(".routes(routes!(").count();
        for call in [
            ".nest(",
            ".nest_service(",
            ".route_service(",
            ".fallback_service(",
        ] {
            assert!(
                !text.contains(call),
                "{}: {call} routes outside the document",
                file.display()
            );
        }
    }
    assert_eq!(
        attributes, operations,
        "one #[utoipa::path] per documented operation"
    );
    assert_eq!(
        registered, operations,
        "one routes! per documented operation"
    );

    // The answers of the other documented cases conform too.
    for (uri, path) in [
        ("/api/events/ev-nope", "/api/events/{id}"),
        ("/api/documents/nope", "/api/documents/{id}"),
        ("/api/events?from=never", "/api/events"),
        ("/api/documents?limit=0", "/api/documents"),
        ("/api/search?q=%22%22", "/api/search"),
        ("/api/export?format=doc", "/api/export"),
        ("/api/issues/nope", "/api/issues/{id}"),
        ("/api/graph?goal=nope", "/api/graph"),
        ("/api/scenario?assume=nope", "/api/scenario"),
    ] {
        conforms(&doc, path, "get", &app.get(uri).await);
    }
    let remote = app.remote();
    conforms(
        &doc,
        "/api/events",
        "get",
        &send(
            &remote,
            Request::get("/api/events").body(Body::empty()).unwrap(),
        )
        .await,
    );
    for files in [
        vec![("talks.txt", ARTICLE.as_bytes())],
        vec![("a.docx", b"PK".as_slice()), ("b.txt", ARTICLE.as_bytes())],
        vec![("a.docx", b"PK".as_slice())],
    ] {
        conforms(&doc, "/api/ingest", "post", &app.upload(&files).await);
    }
    let (ct, body) = multipart(&[("x.txt", ARTICLE.as_bytes())]);
    for (auth, origin) in [(None, None), (Some(TOKEN), Some("http://evil.example"))] {
        let mut r = Request::post("/api/ingest").header(header::CONTENT_TYPE, &ct);
        if let Some(t) = auth {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(o) = origin {
            r = r.header(header::ORIGIN, o);
        }
        conforms(
            &doc,
            "/api/ingest",
            "post",
            &app.send(r.body(Body::from(body.clone())).unwrap()).await,
        );
    }
}

/// One request over a socket, HTTP/1.1 with `Connection: close`; returns the status, the head and
/// the body.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(60), s.read_to_end(&mut raw))
        .await
        .expect("the server answers")
        .unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut rest = body.as_slice();
        loop {
            let eol = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16)
                .unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
            rest = &rest[eol + 4 + size..];
        }
        body = out;
    }
    (status, head, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_over_a_real_socket() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("x.db").display());
    let mut config = ServeConfig::new(db, SocketAddr::from(([127, 0, 0, 1], 0)));
    config.token = Some(TOKEN.to_string());
    let bound = peacetrack_serve::bind(config).await.unwrap();
    let addr = bound.local_addr();
    assert_ne!(addr.port(), 0);
    assert_eq!(bound.token(), TOKEN);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bound.run(async {
        let _ = stopped.await;
    }));

    let (status, head, body) = http(addr, "GET", "/api/events", &[], b"").await;
    assert_eq!(status, 200, "{head}");
    assert!(head.to_ascii_lowercase().contains("etag: \""), "{head}");
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v["items"].as_array().unwrap().is_empty());

    let (ct, form) = multipart(&[("talks.txt", ARTICLE.as_bytes())]);
    let (status, _, body) =
        http(addr, "POST", "/api/ingest", &[("Content-Type", &ct)], &form).await;
    assert_eq!(status, 401, "{}", String::from_utf8_lossy(&body));
    let bearer = format!("Bearer {TOKEN}");
    let origin = format!("http://{addr}");
    let (status, _, body) = http(
        addr,
        "POST",
        "/api/ingest",
        &[
            ("Content-Type", &ct),
            ("Authorization", &bearer),
            ("Origin", &origin),
        ],
        &form,
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let (status, _, _) = http(
        addr,
        "POST",
        "/api/ingest",
        &[
            ("Content-Type", &ct),
            ("Authorization", &bearer),
            ("Origin", "http://evil.example"),
        ],
        &form,
    )
    .await;
    assert_eq!(status, 403);

    let (status, head, body) = http(addr, "GET", "/record", &[], b"").await;
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-security-policy: default-src 'self'"),
        "{head}"
    );
    assert!(String::from_utf8_lossy(&body).contains("Serdar Kılıç"));
    let (status, _, body) = http(addr, "GET", "/api/documents/../../etc/passwd", &[], b"").await;
    assert_eq!(status, 404);
    assert!(!String::from_utf8_lossy(&body).contains("root:"));

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    // Stopped: nothing listens any more.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn refuses_a_public_address_without_a_token() {
    if std::env::var_os(peacetrack_serve::TOKEN_ENV).is_some() {
        eprintln!("skipped: {} is set", peacetrack_serve::TOKEN_ENV);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("x.db").display());
    // Refused before anything is bound or opened.
    for addr in ["0.0.0.0:0", "[::]:0"] {
        let err = peacetrack_serve::bind(ServeConfig::new(db.clone(), addr.parse().unwrap()))
            .await
            .err()
            .expect("refused");
        assert!(matches!(err, ServeError::TokenRequired { .. }), "{err}");
        assert!(err.to_string().contains("PEACETRACK_TOKEN"), "{err}");
    }
    assert!(!dir.path().join("x.db").exists());
    let mut short = ServeConfig::new(db, "127.0.0.1:0".parse().unwrap());
    short.token = Some("abc".into());
    assert!(matches!(
        peacetrack_serve::bind(short).await.err(),
        Some(ServeError::BadToken(_))
    ));
}

#[tokio::test]
async fn the_process_model_and_review_over_http() {
    let app = App::new();
    if app.ingest_corpus().await.is_none() {
        return;
    }
    // No case yet: a clear 404.
    let a = app.get("/api/issues").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.text().contains("--case"), "{}", a.text());
    app.set_case();

    let case = app.get_json("/api/case").await;
    assert_eq!(case["id"], "south-caucasus");
    let treaty = case["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "treaty")
        .expect("the treaty issue");
    assert!(
        treaty["states"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "signed")
    );

    let board = app.get_json("/api/issues").await;
    assert_eq!(
        board["items"].as_array().unwrap().len(),
        case["issues"].as_array().unwrap().len()
    );
    assert!(
        board["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["status"].is_string() && !r["sources"].as_array().unwrap().is_empty()),
        "{board}"
    );
    let issue = app.get_json("/api/issues/treaty").await;
    assert_eq!(issue["issue"], "treaty");
    assert!(issue["linked_events"].is_array());
    assert_eq!(
        app.get("/api/issues/nope").await.status,
        StatusCode::NOT_FOUND
    );

    let graph = app
        .get_json("/api/graph?goal=tr_border%3Dimplemented")
        .await;
    let nodes: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(nodes.contains(&"tr_border=implemented"), "{nodes:?}");
    assert!(!graph["edges"].as_array().unwrap().is_empty());
    assert_eq!(graph["chain"]["outcome"], "tr_border=implemented");

    // Assuming the referendum passed raises the border's probability (numbers as in the CLI's
    // scenario test, from the case file's illustrative probabilities).
    let base = app
        .get_json("/api/scenario?goal=tr_border%3Dimplemented")
        .await;
    let assumed = app
        .get_json("/api/scenario?goal=tr_border%3Dimplemented&assume=referendum%3Dpassed")
        .await;
    let p = |v: &Value| v["goal"]["probability"]["probability"].as_f64().unwrap();
    assert!((p(&assumed) - 0.3600975).abs() < 1e-9, "{assumed}");
    assert!(p(&base) < p(&assumed), "{} {}", p(&base), p(&assumed));
    assert_eq!(assumed["assumptions"][0], "referendum=passed");
    let bad = app.get("/api/scenario?assume=referendum").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad = app.get("/api/scenario?prob=c1%3D7").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Review: the token is needed; the edit persists, is audited, and a rejection hides the event.
    let events = app.get_json("/api/events").await["items"].clone();
    let first = events[0]["id"].as_str().unwrap().to_string();
    let second = events[1]["id"].as_str().unwrap().to_string();
    let edit = serde_json::json!({
        "target": "event", "id": first, "action": "edit", "reviewer": "alice",
        "changes": {"place": "Testville", "date": "2021-03"}, "note": "per the source"
    });
    assert_eq!(
        app.post_json("/api/review", &edit, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post_json("/api/review", &edit, Some("wrong-token-0123456789"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let done = app.post_json("/api/review", &edit, Some(TOKEN)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let entry = done.json();
    assert_eq!(entry["review"]["reviewer"], "alice");
    assert_eq!(entry["review"]["before"]["review"], Value::Null);
    assert_eq!(entry["review"]["after"]["place"], "Testville");
    let shown = app.get_json(&format!("/api/events/{first}")).await;
    assert_eq!(shown["place"], "Testville");
    assert_eq!(shown["date"], "2021-03");
    assert_eq!(shown["review"]["state"], "edited");
    let trail = app.get_json(&format!("/api/reviews?target={first}")).await;
    assert_eq!(trail["items"].as_array().unwrap().len(), 1);
    assert_eq!(trail["items"][0]["note"], "per the source");

    let reject = serde_json::json!({
        "target": "event", "id": second, "action": "reject", "reviewer": "bob"
    });
    assert_eq!(
        app.post_json("/api/review", &reject, Some(TOKEN))
            .await
            .status,
        StatusCode::OK
    );
    let listed = app.get_json("/api/events?limit=1000").await;
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"] != second.as_str())
    );
    let with = app
        .get_json("/api/events?limit=1000&include_rejected=true")
        .await;
    assert!(
        with["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == second.as_str() && e["review"]["state"] == "rejected")
    );
    for bad in [
        serde_json::json!({"target": "event", "id": first, "action": "fly", "reviewer": "x"}),
        serde_json::json!({"target": "event", "id": first, "action": "edit", "reviewer": "x", "changes": {"type": "NOPE"}}),
        serde_json::json!({"target": "event", "id": first, "action": "edit", "reviewer": "", "changes": {"mode": "talks"}}),
        serde_json::json!({"target": "event", "id": first, "action": "merge", "reviewer": "x", "into": first}),
    ] {
        let a = app.post_json("/api/review", &bad, Some(TOKEN)).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.text());
    }
    let a = app
        .post_json(
            "/api/review",
            &serde_json::json!({"target": "event", "id": "ev-nope", "action": "accept", "reviewer": "x"}),
            Some(TOKEN),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.text());
    assert_eq!(
        app.get_json("/api/reviews").await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
