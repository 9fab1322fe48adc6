//! The JSON API over the record: the timeline, events with their sources, documents with every
//! extracted span, actors, places, conditions, full-text search, exports and ingest, described by an
//! OpenAPI 3.1 document at `/api/openapi.json`; the web interface at `/` (a single-page application
//! embedded in the binary, see `assets.rs` and `web/`), and the record as a plain page at `/record`.
//!
//! - [`serve`] binds [`ServeConfig::addr`], opens (creating if needed) the store and serves until
//!   Ctrl-C / SIGTERM; [`serve_blocking`] does so on a runtime of its own; [`bind`] does it in two
//!   steps so a caller can learn the bound address (port 0) and choose when to stop.
//! - [`router`] is the whole application as an [`axum::Router`] over an [`AppState`], for tests and
//!   embedding. It reads the peer address from [`axum::extract::ConnectInfo`]: serve it with
//!   `into_make_service_with_connect_info::<SocketAddr>()` (or add a `MockConnectInfo` layer in
//!   tests); a request without one counts as coming from another host.
//!
//! Safety rules (see `security.rs`):
//! - Reads (GET/HEAD) need no token when they come from a loopback peer with a loopback `Host`
//!   (`localhost`, `127.0.0.1`, `[::1]`: a DNS-rebinding page has its own host name); any other read
//!   needs `Authorization: Bearer <token>`.
//! - Every write (POST/PUT/PATCH/DELETE) needs the token, and a write carrying an `Origin` other
//!   than the server's own (or `Sec-Fetch-Site: cross-site`/`same-site`) is refused with 403 whatever
//!   its token.
//! - The token is [`ServeConfig::token`], else `PEACETRACK_TOKEN`, else generated for the run and
//!   printed once on stderr. Binding a non-loopback address without an explicit token is refused
//!   ([`ServeError::TokenRequired`]).
//! - Nothing is served from the file system; unknown paths are JSON 404s. Request bodies are
//!   limited ([`ServeConfig::max_body`], 413 beyond).
//! - Every HTML byte that comes from a document is escaped; HTML answers carry
//!   `Content-Security-Policy: default-src 'self'` and `X-Content-Type-Options: nosniff`.
//! - Successful reads carry a strong `ETag` (a hash of the body); `If-None-Match` gives 304.
//!
//! The store is synchronous: reads run in `spawn_blocking` on a small pool of open stores, writes
//! through one writer store behind a mutex, with the extraction engines built once.

#![warn(missing_docs)]

mod api;
mod assets;
mod error;
mod html;
mod ingest;
mod process;
mod security;
mod state;
pub mod to_api;

pub use api::openapi;
pub use error::ErrorBody;
pub use state::AppState;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

/// The default request body limit: 50 MiB.
pub const DEFAULT_MAX_BODY: usize = 50 * 1024 * 1024;

/// The environment variable the write token is read from when [`ServeConfig::token`] is `None`.
pub const TOKEN_ENV: &str = "PEACETRACK_TOKEN";

/// Shortest token accepted when one is given.
pub const MIN_TOKEN_LEN: usize = 16;

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// The store, as the CLI's `--db`: `sqlite:PATH`, a path, or `postgres://…`. Created if missing.
    pub db: String,
    /// Where to listen.
    pub addr: SocketAddr,
    /// The bearer token writes need (and reads from other hosts); `None`: `PEACETRACK_TOKEN`, else
    /// one generated for this run and printed on stderr (refused for a non-loopback address).
    pub token: Option<String>,
    /// Largest request body, in bytes (uploads to `POST /api/ingest`); 413 beyond.
    pub max_body: usize,
}

impl ServeConfig {
    /// A configuration with no token and the default body limit.
    pub fn new(db: impl Into<String>, addr: SocketAddr) -> ServeConfig {
        ServeConfig {
            db: db.into(),
            addr,
            token: None,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A non-loopback address without an explicit token.
    #[error(
        "refusing to listen on {addr} without a token: anyone who can reach it could write to the record. \
         Set {TOKEN_ENV} (at least {MIN_TOKEN_LEN} characters) or listen on 127.0.0.1"
    )]
    TokenRequired {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// The token given is not usable.
    #[error("the token is unusable: {0}")]
    BadToken(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The store could not be opened.
    #[error("{0}")]
    Store(#[from] peacetrack_store::StoreError),
    /// The extraction engines could not be built.
    #[error("{0}")]
    Engines(#[from] peacetrack_extract::pipeline::EngineError),
    /// Serving failed.
    #[error("serving: {0}")]
    Io(#[from] std::io::Error),
    /// A blocking task failed.
    #[error("starting: {0}")]
    Join(String),
}

/// Where the token in force came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenSource {
    /// [`ServeConfig::token`].
    Config,
    /// The `PEACETRACK_TOKEN` environment variable.
    Env,
    /// Generated for this run.
    Generated,
}

/// Chooses the token: the configured one, else `env` (the value of `PEACETRACK_TOKEN`), else a
/// random one; refuses a non-loopback `addr` without an explicit token, and tokens that are too
/// short or hold whitespace or control characters.
pub fn resolve_token(
    configured: Option<&str>,
    env: Option<&str>,
    addr: SocketAddr,
) -> Result<(String, TokenSource), ServeError> {
    let explicit = match (configured, env) {
        (Some(t), _) => Some((t, TokenSource::Config)),
        (None, Some(t)) if !t.is_empty() => Some((t, TokenSource::Env)),
        _ => None,
    };
    match explicit {
        Some((t, source)) => {
            if t.chars().count() < MIN_TOKEN_LEN {
                return Err(ServeError::BadToken(format!(
                    "it has {} characters, fewer than {MIN_TOKEN_LEN}",
                    t.chars().count()
                )));
            }
            if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(ServeError::BadToken(
                    "it holds whitespace or control characters".into(),
                ));
            }
            Ok((t.to_string(), source))
        }
        None if !security::is_loopback(addr.ip()) => Err(ServeError::TokenRequired { addr }),
        None => Ok((security::generate_token()?, TokenSource::Generated)),
    }
}

/// The whole application: `/`, `/api/…`, and the safety layers, over `state`.
pub fn router(state: AppState) -> axum::Router {
    api::router(state)
}

/// A server bound to its address, not yet serving.
pub struct Bound {
    listener: tokio::net::TcpListener,
    state: AppState,
    token_source: TokenSource,
}

impl Bound {
    /// The address it listens on (the real port when the configuration asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The token in force.
    pub fn token(&self) -> &str {
        self.state.token()
    }

    /// Where the token came from.
    pub fn token_source(&self) -> TokenSource {
        self.token_source
    }

    /// The application state (the same one the server uses).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes the requests under way.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let app = router(self.state);
        axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        Ok(())
    }
}

/// Checks the token rule, builds the engines, opens (creating if needed) the store and binds the
/// address. A generated token is printed once on stderr.
pub async fn bind(config: ServeConfig) -> Result<Bound, ServeError> {
    let env = std::env::var(TOKEN_ENV).ok();
    let (token, token_source) =
        resolve_token(config.token.as_deref(), env.as_deref(), config.addr)?;
    let db = config.db.clone();
    let max_body = config.max_body;
    let state = tokio::task::spawn_blocking(move || -> Result<AppState, ServeError> {
        let engines = Arc::new(peacetrack_extract::pipeline::Engines::load()?);
        Ok(AppState::open(&db, token, engines)?.with_max_body(max_body))
    })
    .await
    .map_err(|e| ServeError::Join(e.to_string()))??;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.addr,
            source,
        })?;
    if token_source == TokenSource::Generated {
        eprintln!(
            "peacetrack serve: no {TOKEN_ENV} given; writes need this token, generated for this run:\n  \
             Authorization: Bearer {}",
            state.token()
        );
    }
    Ok(Bound {
        listener,
        state,
        token_source,
    })
}

/// Serves `config` until Ctrl-C or SIGTERM.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let bound = bind(config).await?;
    eprintln!(
        "peacetrack serve: {} on http://{} (API description: /api/openapi.json)",
        bound.state().store_name(),
        bound.local_addr()
    );
    bound.run(shutdown_signal()).await
}

/// [`serve`] on a multi-threaded runtime of its own: for callers without one (the CLI).
pub fn serve_blocking(config: ServeConfig) -> Result<(), ServeError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(config))
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn token_rules() {
        let local = addr("127.0.0.1:8080");
        let any = addr("0.0.0.0:8080");
        let (t, s) = resolve_token(None, None, local).unwrap();
        assert_eq!(s, TokenSource::Generated);
        assert_eq!(t.len(), 64);
        assert!(matches!(
            resolve_token(None, None, any),
            Err(ServeError::TokenRequired { .. })
        ));
        assert!(matches!(
            resolve_token(None, Some(""), addr("[::]:1")),
            Err(ServeError::TokenRequired { .. })
        ));
        let (t, s) = resolve_token(None, Some("0123456789abcdefXYZ"), any).unwrap();
        assert_eq!((t.as_str(), s), ("0123456789abcdefXYZ", TokenSource::Env));
        let (_, s) =
            resolve_token(Some("configured-token-123"), Some("0123456789abcdef"), any).unwrap();
        assert_eq!(s, TokenSource::Config);
        assert!(matches!(
            resolve_token(Some("short"), None, local),
            Err(ServeError::BadToken(_))
        ));
        assert!(matches!(
            resolve_token(Some("has a space in it somewhere"), None, local),
            Err(ServeError::BadToken(_))
        ));
        let msg = resolve_token(None, None, any).unwrap_err().to_string();
        assert!(
            msg.contains("PEACETRACK_TOKEN") && msg.contains("0.0.0.0:8080"),
            "{msg}"
        );
        // ::1 and IPv4-mapped loopback count as loopback.
        assert!(resolve_token(None, None, addr("[::1]:80")).is_ok());
        assert!(resolve_token(None, None, addr("[::ffff:127.0.0.1]:80")).is_ok());
    }
}
