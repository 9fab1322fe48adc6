//! The web interface, embedded in the binary: `/` is the single-page application's shell
//! (`web/src/index.html`), our own modules and styles are served under their names in `web/src`,
//! and the third-party libraries (installed from the npm registry at build time, see `build.rs`)
//! under `/vendor/…`. Lookup is by exact path in a table made at build time, so nothing outside it
//! can be reached. Each answer carries its content type and a strong ETag (computed once per file,
//! the same formula as the API's); `If-None-Match` gives 304.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::OnceLock;

use crate::state::AppState;

/// One embedded file.
pub(crate) struct Asset {
    /// The URL path it is served at.
    pub(crate) path: &'static str,
    /// Its `Content-Type`.
    pub(crate) content_type: &'static str,
    /// Its bytes.
    pub(crate) body: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The file served at `/`.
const SHELL: &str = "/index.html";

/// The ETags of [`ASSETS`], in the same order.
fn etags() -> &'static [String] {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                let digest = peacetrack_store::hex_digest(a.body);
                format!("\"{}\"", &digest[..32])
            })
            .collect()
    })
}

/// The asset at exactly `path`, with its ETag.
pub(crate) fn lookup(path: &str) -> Option<(&'static Asset, &'static str)> {
    let at = ASSETS.iter().position(|a| a.path == path)?;
    Some((&ASSETS[at], etags()[at].as_str()))
}

fn matches(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
        })
}

/// The answer for `path`: the file, a 304, or a JSON 404.
pub(crate) fn answer(path: &str, headers: &HeaderMap) -> Response {
    let Some((asset, tag)) = lookup(path) else {
        return crate::error::error_response(
            StatusCode::NOT_FOUND,
            format!("no such resource: {path}"),
        );
    };
    let mut res = if matches(headers, tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = asset.body.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        r
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(tag) {
        h.insert(header::ETAG, v);
    }
    // The names are not fingerprinted: revalidate every time (a 304 costs nothing).
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// `GET /`: the application's shell.
pub(crate) async fn index(headers: HeaderMap) -> Response {
    answer(SHELL, &headers)
}

/// A route for every embedded file.
pub(crate) fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for asset in ASSETS {
        let path = asset.path;
        router = router.route(
            path,
            get(move |headers: HeaderMap| async move { answer(path, &headers) }),
        );
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_the_shell_and_the_libraries() {
        let (shell, tag) = lookup(SHELL).expect("the shell is embedded");
        assert!(shell.content_type.starts_with("text/html"));
        assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() == 34);
        let html = String::from_utf8_lossy(shell.body);
        // No inline script or style: the CSP allows neither.
        assert!(
            !html.contains("<script>") && !html.contains("<style") && !html.contains(" style=")
        );
        for a in ASSETS {
            assert!(
                a.path.starts_with('/') && !a.path.contains(".."),
                "{}",
                a.path
            );
            assert!(!a.body.is_empty(), "{} is empty", a.path);
        }
        for lib in [
            "/vendor/vis-timeline-graph2d.min.js",
            "/vendor/cytoscape.min.js",
            "/vendor/d3-geo.min.js",
            "/vendor/countries-50m.json",
        ] {
            assert!(lookup(lib).is_some(), "{lib}");
        }
        assert!(lookup("/vendor/../index.html").is_none());
        assert!(lookup("index.html").is_none());
    }

    #[test]
    fn if_none_match_gives_304() {
        let (_, tag) = lookup(SHELL).unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(answer(SHELL, &h).status(), StatusCode::OK);
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(tag).unwrap());
        assert_eq!(answer(SHELL, &h).status(), StatusCode::NOT_MODIFIED);
        assert_eq!(answer("/nope.js", &h).status(), StatusCode::NOT_FOUND);
    }
}
