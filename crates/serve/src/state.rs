//! What every request shares: the store location, a small pool of open stores for reads, the
//! writer store behind its mutex, the extraction engines, the token and the limits.

use crate::error::ApiError;
use peacetrack_extract::pipeline::Engines;
use peacetrack_store::{MergeRules, Store, StoreError};
use std::sync::{Arc, Mutex, MutexGuard};

/// Open stores kept for reads.
const POOL_SIZE: usize = 8;

/// The shared state of the application. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    max_body: usize,
}

struct Inner {
    db: String,
    token: String,
    engines: Arc<Engines>,
    rules: MergeRules,
    pool: Mutex<Vec<Store>>,
    writer: Mutex<Store>,
    /// Answers to reads, by URI, with the store generation they were computed at.
    answers: Mutex<std::collections::HashMap<String, Cached>>,
}

/// A kept answer to a read.
#[derive(Clone)]
pub(crate) struct Cached {
    /// The store's generation when it was computed.
    pub generation: i64,
    /// Its headers, the strong ETag among them.
    pub headers: axum::http::HeaderMap,
    /// Its body.
    pub body: axum::body::Bytes,
}

/// Most answers kept; beyond, the oldest generation's go first (all of them, when one is full).
const MAX_ANSWERS: usize = 4096;
/// Largest answer kept, in bytes.
pub(crate) const MAX_ANSWER_BYTES: usize = 1 << 20;

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("db", &self.store_name())
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    /// Opens the store at `db` (creating and migrating it if needed: this blocks), with the write
    /// `token` and the `engines` ingest uses. The body limit is [`crate::DEFAULT_MAX_BODY`].
    pub fn open(db: &str, token: String, engines: Arc<Engines>) -> Result<AppState, StoreError> {
        let writer = Store::open(db)?;
        let rules = writer.rules().clone();
        Ok(AppState {
            inner: Arc::new(Inner {
                db: db.to_string(),
                token,
                engines,
                rules,
                pool: Mutex::new(Vec::new()),
                writer: Mutex::new(writer),
                answers: Mutex::new(std::collections::HashMap::new()),
            }),
            max_body: crate::DEFAULT_MAX_BODY,
        })
    }

    /// The same state with another request body limit (bytes).
    pub fn with_max_body(mut self, bytes: usize) -> AppState {
        self.max_body = bytes;
        self
    }

    /// The request body limit.
    pub fn max_body(&self) -> usize {
        self.max_body
    }

    /// The bearer token writes need.
    pub fn token(&self) -> &str {
        &self.inner.token
    }

    /// The store, for messages (no password).
    pub fn store_name(&self) -> String {
        peacetrack_store::Location::parse(&self.inner.db).display()
    }

    pub(crate) fn engines(&self) -> &Engines {
        &self.inner.engines
    }

    pub(crate) fn rules(&self) -> &MergeRules {
        &self.inner.rules
    }

    /// Runs `f` on a pooled store in a blocking task.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store, &AppState) -> Result<T, ApiError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = lock(&state.inner.pool).pop();
            let mut store = match pooled {
                Some(s) => s,
                None => Store::open_existing(&state.inner.db)?,
            };
            let out = f(&mut store, &state);
            // A store whose connection may be broken is not kept.
            let broken = matches!(&out, Err(e) if e.is_internal());
            if !broken {
                let mut pool = lock(&state.inner.pool);
                if pool.len() < POOL_SIZE {
                    pool.push(store);
                }
            }
            out
        })
        .await
        .map_err(|e| ApiError::internal(format!("the request's task failed: {e}")))?
    }

    /// The kept answer to `uri` if it was computed at `generation`.
    pub(crate) fn cached(&self, uri: &str, generation: i64) -> Option<Cached> {
        lock(&self.inner.answers)
            .get(uri)
            .filter(|c| c.generation == generation)
            .cloned()
    }

    /// Keeps an answer; answers of older generations are dropped when the table is full.
    pub(crate) fn keep(&self, uri: String, answer: Cached) {
        let mut answers = lock(&self.inner.answers);
        if answers.len() >= MAX_ANSWERS {
            let generation = answer.generation;
            answers.retain(|_, c| c.generation == generation);
            if answers.len() >= MAX_ANSWERS {
                answers.clear();
            }
        }
        answers.insert(uri, answer);
    }

    /// The store's generation (see [`peacetrack_store::Store::generation`]).
    pub(crate) async fn generation(&self) -> Result<i64, ApiError> {
        self.read(|store, _| Ok(store.generation()?)).await
    }

    /// Runs `f` on the writer store (one at a time); `f` runs in the calling blocking task.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        let mut writer = lock(&self.inner.writer);
        f(&mut writer)
    }
}
