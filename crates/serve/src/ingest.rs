//! `POST /api/ingest`: documents uploaded as multipart `file` fields go through the CLI's pipeline
//! (read → analyse → prepare) and are written in one batch by the writer store. Each file's name
//! decides how it is read; a file that cannot be read is reported and the others are stored.

use crate::api::query;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use crate::to_api::{FileOutcome, IngestResult, OutcomeCounts, StoreCounts};
use axum::Json;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use peacetrack_extract::pipeline::analyse;
use peacetrack_read::{Format, ReadOptions, read_bytes};
use peacetrack_store::{BatchSummary, DocOutcome, Prepared, prepare};
use serde::Deserialize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use utoipa::{IntoParams, ToSchema};

/// Files one request may carry.
const MAX_FILES: usize = 10_000;

/// Options of an upload.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct IngestQuery {
    /// The documents' date (YYYY-MM-DD): overrides any date stated in or inferred from them.
    doc_date: Option<String>,
}

/// The form: one or more files.
#[derive(ToSchema)]
#[allow(dead_code)] // Only describes the request body.
pub(crate) struct IngestForm {
    /// The documents, each a `file` field with a file name ending in `.txt`, `.html`, `.htm` or
    /// `.pdf` (no extension: plain text).
    file: Vec<FileBytes>,
}

/// A file's bytes.
#[derive(ToSchema)]
#[schema(content_media_type = "application/octet-stream")]
#[allow(dead_code)] // Only describes the request body.
pub(crate) struct FileBytes(String);

#[utoipa::path(
    post,
    path = "/api/ingest",
    tag = "ingest",
    summary = "Store uploaded documents with everything extracted from them",
    params(IngestQuery),
    request_body(content = inline(IngestForm), content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "At least one file was stored (or was already)", body = IngestResult),
        (status = 400, description = "No `file` field, another field, or a bad doc_date", body = ErrorBody),
        (status = 401, description = "No token, or a wrong one", body = ErrorBody),
        (status = 403, description = "A cross-origin write", body = ErrorBody),
        (status = 413, description = "The body is over the limit", body = ErrorBody),
        (status = 422, description = "No file could be stored: each one's error is in `files`", body = IngestResult),
    )
)]
pub(crate) async fn ingest(
    State(state): State<AppState>,
    q: Result<Query<IngestQuery>, QueryRejection>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let doc_date = q
        .doc_date
        .map(|d| {
            d.parse::<jiff::civil::Date>()
                .map_err(|e| ApiError::bad_request(format!("doc_date {d:?}: {e}")))
        })
        .transpose()?;
    let mut multipart = multipart.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let mut files: Vec<(Option<String>, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            return Err(ApiError::bad_request(format!(
                "unexpected form field {:?}: send each document as a field named `file`",
                field.name().unwrap_or("")
            )));
        }
        if files.len() == MAX_FILES {
            return Err(ApiError::bad_request(format!(
                "more than {MAX_FILES} files in one request"
            )));
        }
        let name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(multipart_error)?;
        files.push((name, bytes.to_vec()));
    }
    if files.is_empty() {
        return Err(ApiError::bad_request(
            "no documents: send them as multipart/form-data fields named `file`",
        ));
    }
    let worker = state.clone();
    let result = tokio::task::spawn_blocking(move || store_files(&worker, files, doc_date))
        .await
        .map_err(|e| ApiError::internal(format!("the ingest task failed: {e}")))??;
    let status = if result.documents.failed == result.files.len() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(result)).into_response())
}

/// A body cut short by the size limit is a 413, whichever layer cut it.
fn multipart_error(e: MultipartError) -> ApiError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request body is larger than the limit",
            );
        }
        source = err.source();
    }
    ApiError::new(e.status(), e.body_text())
}

/// The name a file is stored under: its last path component, without control characters.
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).take(255).collect();
    clean.trim().to_string()
}

/// Reads and analyses each file, then writes the good ones in one transaction.
fn store_files(
    state: &AppState,
    files: Vec<(Option<String>, Vec<u8>)>,
    doc_date: Option<jiff::civil::Date>,
) -> Result<IngestResult, ApiError> {
    let opts = ReadOptions {
        max_bytes: state.max_body() as u64,
    };
    let mut outcomes: Vec<FileOutcome> = Vec::with_capacity(files.len());
    let mut batch: Vec<Prepared> = Vec::new();
    let mut slots: Vec<usize> = Vec::new();
    for (name, bytes) in files {
        let shown = name.as_deref().map(clean_name).unwrap_or_default();
        let prepared = (|| -> Result<(Prepared, Vec<String>), String> {
            if shown.is_empty() {
                return Err(
                    "no file name: the name's extension decides how the file is read".into(),
                );
            }
            let format = Format::from_path(std::path::Path::new(&shown)).ok_or_else(|| {
                "unsupported file type (expected .txt, .html, .htm or .pdf)".to_string()
            })?;
            let doc = read_bytes(&shown, &bytes, format, &opts).map_err(|e| e.problem)?;
            let analysis = catch_unwind(AssertUnwindSafe(|| {
                analyse(state.engines(), &doc, doc_date)
            }))
            .map_err(|_| "extraction failed on this document (a bug)".to_string())?;
            Ok((prepare(&doc, &analysis, state.rules()), doc.warnings))
        })();
        match prepared {
            Ok((p, warnings)) => {
                slots.push(outcomes.len());
                outcomes.push(FileOutcome {
                    name: shown,
                    outcome: None,
                    doc_id: Some(p.id.clone()),
                    error: None,
                    warnings,
                });
                batch.push(p);
            }
            Err(error) => outcomes.push(FileOutcome {
                name: if shown.is_empty() {
                    name.unwrap_or_default()
                } else {
                    shown
                },
                outcome: None,
                doc_id: None,
                error: Some(error),
                warnings: Vec::new(),
            }),
        }
    }
    let (summary, counts) = state.write(|store| {
        let summary = if batch.is_empty() {
            BatchSummary::default()
        } else {
            store.write_batch(&batch)?
        };
        Ok::<_, ApiError>((summary, store.counts()?))
    })?;
    let mut documents = OutcomeCounts::default();
    for (slot, outcome) in slots.iter().zip(&summary.outcomes) {
        outcomes[*slot].outcome = Some(
            match outcome {
                DocOutcome::New => {
                    documents.new += 1;
                    "new"
                }
                DocOutcome::Unchanged => {
                    documents.unchanged += 1;
                    "unchanged"
                }
                DocOutcome::Replaced => {
                    documents.replaced += 1;
                    "replaced"
                }
            }
            .to_string(),
        );
    }
    documents.failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    Ok(IngestResult {
        files: outcomes,
        documents,
        claims_written: summary.claims,
        store_totals: StoreCounts::from(counts),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\x\\a.txt"), "a.txt");
        assert_eq!(clean_name("a\u{0}b\n.txt"), "ab.txt");
        assert_eq!(clean_name("dir/"), "");
    }
}
