//! Errors as JSON: `{"error": "...", "status": 404}` with the status code.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use peacetrack_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in words.
    pub error: String,
    /// The HTTP status code, again.
    pub status: u16,
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// A server-side failure (not the request's fault).
    pub(crate) fn is_internal(&self) -> bool {
        self.status.is_server_error()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match &e {
            StoreError::Invalid(msg) if msg.contains("no such") => ApiError::not_found(msg),
            StoreError::Invalid(msg) => ApiError::bad_request(msg),
            StoreError::Missing { .. } => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string())
            }
            _ => ApiError::internal(e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            eprintln!(
                "peacetrack serve: {} {}",
                self.status.as_u16(),
                self.message
            );
        }
        error_response(self.status, self.message)
    }
}

/// A JSON error answer.
pub(crate) fn error_response(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        Json(ErrorBody {
            error: message.into(),
            status: status.as_u16(),
        }),
    )
        .into_response()
}
