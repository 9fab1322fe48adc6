//! The safety layers: who may read and write (token, loopback, CSRF), security headers, body size,
//! and ETags.

use crate::error::error_response;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};

/// Loopback, including IPv4-mapped `::ffff:127.x.x.x`.
pub(crate) fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// 32 random bytes from the operating system, as 64 hex digits.
pub(crate) fn generate_token() -> Result<String, crate::ServeError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| crate::ServeError::BadToken(format!("no randomness to generate one: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares in time that depends only on the lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `Some(true)` for a right bearer token, `Some(false)` for a wrong one, `None` for none.
fn bearer_ok(headers: &HeaderMap, token: &str) -> Option<bool> {
    let value = headers.get(header::AUTHORIZATION)?;
    let given = value
        .to_str()
        .ok()
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .unwrap_or("");
    Some(!given.is_empty() && constant_time_eq(given.as_bytes(), token.as_bytes()))
}

/// The host part of a `Host` header value (`[::1]:8080` → `::1`, `localhost:80` → `localhost`).
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

/// A `Host` that names this machine's loopback interface (absent counts: browsers always send one).
fn host_is_loopback(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST) else {
        return true;
    };
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = host_name(host.trim()).to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(is_loopback)
}

/// The origin this server is reached at, as a browser writes it: `http://` and the `Host`.
fn own_origin(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    Some(format!("http://{}", host.trim().to_ascii_lowercase()))
}

/// The peer's address: from `into_make_service_with_connect_info`, or a test's `MockConnectInfo`.
fn peer_addr(req: &Request) -> Option<SocketAddr> {
    let ext = req.extensions();
    ext.get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| *a)
        .or_else(|| {
            ext.get::<MockConnectInfo<SocketAddr>>()
                .map(|MockConnectInfo(a)| *a)
        })
}

fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Who may do what. Reads: a loopback peer naming a loopback host, or the token. Writes: no
/// foreign `Origin` (403), then the token (401). Also refuses a declared body over the limit (413).
pub(crate) async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let peer = peer_addr(&req);
    let token = bearer_ok(headers, state.token());
    if is_read(req.method()) {
        let loopback = peer.is_some_and(|p| is_loopback(p.ip())) && host_is_loopback(headers);
        match token {
            Some(true) => {}
            Some(false) => {
                return error_response(StatusCode::UNAUTHORIZED, "the bearer token is wrong");
            }
            None if loopback => {}
            None => {
                return error_response(
                    StatusCode::UNAUTHORIZED,
                    "reads need `Authorization: Bearer <token>` unless they come from this machine (a loopback peer naming a loopback host)",
                );
            }
        }
    } else {
        if let Some(origin) = headers.get(header::ORIGIN) {
            let same = match (origin.to_str(), own_origin(headers)) {
                (Ok(o), Some(own)) => o.trim().eq_ignore_ascii_case(&own),
                _ => false,
            };
            if !same {
                return error_response(
                    StatusCode::FORBIDDEN,
                    "cross-origin writes are refused (the Origin is not this server)",
                );
            }
        }
        if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
            && matches!(site, "cross-site" | "same-site")
        {
            return error_response(
                StatusCode::FORBIDDEN,
                "cross-site writes are refused (Sec-Fetch-Site)",
            );
        }
        match token {
            Some(true) => {}
            Some(false) => {
                return error_response(StatusCode::UNAUTHORIZED, "the bearer token is wrong");
            }
            None => {
                return error_response(
                    StatusCode::UNAUTHORIZED,
                    "writes need `Authorization: Bearer <token>` (the token the server printed at start, or PEACETRACK_TOKEN)",
                );
            }
        }
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > state.max_body() as u64) {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the request body is larger than the limit of {} bytes",
                    state.max_body()
                ),
            );
        }
    }
    next.run(req).await
}

/// Headers on every answer: no sniffing, no framing, no referrer; a CSP allowing only this origin.
pub(crate) async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// Answers a body over the limit that no `Content-Length` announced with a JSON 413 too.
pub(crate) async fn json_413(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is larger than the limit",
        );
    }
    res
}

/// A strong ETag from the SHA-256 of the body of every successful read (unless the handler set one);
/// `If-None-Match` → 304. Answers under `/api/` are kept, by URI, with the store's generation: while
/// the record has not changed, the same request is answered from memory.
pub(crate) async fn etag(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let key = req
        .uri()
        .path()
        .starts_with("/api/")
        .then(|| req.uri().to_string());
    let generation = match &key {
        Some(_) => state.generation().await.ok(),
        None => None,
    };
    if let (Some(key), Some(generation)) = (&key, generation)
        && let Some(hit) = state.cached(key, generation)
    {
        let mut res = Response::new(Body::from(hit.body));
        *res.headers_mut() = hit.headers;
        return finish(res, if_none_match.as_ref());
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    if res.headers().contains_key(header::ETAG) {
        return finish(res, if_none_match.as_ref());
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("reading the answer: {e}"),
            );
        }
    };
    let digest = peacetrack_store::hex_digest(&bytes);
    let tag = format!("\"{}\"", &digest[..32]);
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
        if let (Some(key), Some(generation)) = (key, generation)
            && bytes.len() <= crate::state::MAX_ANSWER_BYTES
        {
            state.keep(
                key,
                crate::state::Cached {
                    generation,
                    headers: parts.headers.clone(),
                    body: bytes.clone(),
                },
            );
        }
    }
    finish(
        Response::from_parts(parts, Body::from(bytes)),
        if_none_match.as_ref(),
    )
}

/// `Cache-Control: no-cache` (always revalidate), and a 304 when `If-None-Match` names the ETag.
fn finish(mut res: Response, if_none_match: Option<&HeaderValue>) -> Response {
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    let Some(tag) = res
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return res;
    };
    let matches = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
        });
    if matches {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(v) = res.headers().get(&name) {
                not_modified.headers_mut().insert(name, v.clone());
            }
        }
        return not_modified;
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host_name("[::1]:8080"), "::1");
        assert_eq!(host_name("localhost:80"), "localhost");
        assert_eq!(host_name("example.org"), "example.org");
        let mut h = HeaderMap::new();
        assert!(host_is_loopback(&h));
        for (host, ok) in [
            ("127.0.0.1:8080", true),
            ("localhost", true),
            ("[::1]:9", true),
            ("LOCALHOST:1", true),
            ("evil.example:8080", false),
            ("127.0.0.1.evil.example", false),
            ("10.0.0.1", false),
        ] {
            h.insert(header::HOST, HeaderValue::from_static(host));
            assert_eq!(host_is_loopback(&h), ok, "{host}");
        }
    }

    #[test]
    fn bearer() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer_ok(&h, "secret"), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer secret"),
        );
        assert_eq!(bearer_ok(&h, "secret"), Some(true));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer  secret "),
        );
        assert_eq!(bearer_ok(&h, "secret"), Some(true));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer secreT"),
        );
        assert_eq!(bearer_ok(&h, "secret"), Some(false));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic secret"),
        );
        assert_eq!(bearer_ok(&h, "secret"), Some(false));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer_ok(&h, ""), Some(false));
    }

    #[test]
    fn tokens_are_random_hex() {
        let a = generate_token().unwrap();
        let b = generate_token().unwrap();
        assert_ne!(a, b);
        assert!(a.len() == 64 && a.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
