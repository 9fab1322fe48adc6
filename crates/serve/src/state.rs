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
}

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

    /// Runs `f` on the writer store (one at a time); `f` runs in the calling blocking task.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        let mut writer = lock(&self.inner.writer);
        f(&mut writer)
    }
}
