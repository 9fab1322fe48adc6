//! The `/api` routes, their OpenAPI description (one `#[utoipa::path]` per handler, registered with
//! `utoipa_axum::routes!` so the router and the document come from the same declarations), and the
//! assembly of the whole application with its layers.

use crate::error::{ApiError, ErrorBody, error_response};
use crate::state::AppState;
use crate::to_api::{
    ActorList, ConditionList, DocumentDetails, DocumentPage, Event, EventPage, PlaceList,
    SearchResults,
};
use crate::{assets, html, ingest, process, security};
use axum::Json;
use axum::Router;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use peacetrack_store::EventFilter;
use serde::Deserialize;
use std::sync::OnceLock;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Page size when none is asked for.
pub(crate) const DEFAULT_LIMIT: usize = 100;
/// Largest page.
pub(crate) const MAX_LIMIT: usize = 1000;
/// Longest search query, in bytes.
const MAX_QUERY: usize = 1000;
/// How long one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(OpenApi)]
#[openapi(
    info(
        title = "peacetrack",
        description = "A sourced, queryable record of a peace process: merged events with every source \
                       that reports them, the documents with every extracted span, actors, places, \
                       conditions, full-text search, exports and ingest.\n\n\
                       Reads need no token from the machine itself (a loopback peer naming a loopback \
                       host); from anywhere else, and for every write, send `Authorization: Bearer <token>`. \
                       Writes carrying a foreign `Origin` are refused (403). Successful reads carry a \
                       strong `ETag`; send it back in `If-None-Match` for a 304.",
        license(name = "MIT OR Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "events", description = "The merged events and their sources"),
        (name = "documents", description = "The stored documents and what was extracted from them"),
        (name = "record", description = "Actors, places, conditions, search and exports"),
        (name = "ingest", description = "Adding documents"),
        (name = "process", description = "The case: issues and their status, the condition graph, scenarios; review"),
        (name = "meta", description = "This description"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token the server printed at start, or PEACETRACK_TOKEN",
                    ))
                    .build(),
            ),
        );
    }
}

/// Every `/api` route with its description.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_events))
        .routes(routes!(get_event))
        .routes(routes!(list_documents))
        .routes(routes!(get_document))
        .routes(routes!(list_actors))
        .routes(routes!(list_places))
        .routes(routes!(list_conditions))
        .routes(routes!(search))
        .routes(routes!(export))
        .routes(routes!(ingest::ingest))
        .routes(routes!(process::get_case))
        .routes(routes!(process::list_issues))
        .routes(routes!(process::get_issue))
        .routes(routes!(process::get_graph))
        .routes(routes!(process::get_scenario))
        .routes(routes!(process::post_review))
        .routes(routes!(process::list_reviews))
        .routes(routes!(openapi_json))
}

/// The OpenAPI 3.1 document of the API, as `GET /api/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().into_openapi()
}

fn openapi_text() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    })
}

/// The application: `/`, the API, JSON fallbacks, and the layers (outermost last).
pub(crate) fn router(state: AppState) -> Router {
    let (api, _) = api_routes().split_for_parts();
    let max_body = state.max_body();
    Router::new()
        .route("/", get(assets::index))
        .route("/record", get(html::index))
        .merge(assets::routes())
        .merge(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::etag,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(middleware::from_fn(security::json_413))
        .layer(middleware::from_fn(security::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn not_found(uri: Uri) -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        format!("no such resource: {}", uri.path()),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not allowed on {}", uri.path()),
    )
}

/// The query string, or a JSON 400.
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

/// An id from the path: ids, names and name stems; never `%` (the store matches prefixes with
/// LIKE), path separators or control characters, which no stored id or name holds.
fn path_id(p: Result<Path<String>, PathRejection>, what: &str) -> Result<String, ApiError> {
    let Path(id) = p.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let bad = id.is_empty()
        || id.len() > 512
        || id
            .chars()
            .any(|c| matches!(c, '%' | '/' | '\\') || c.is_control());
    if bad {
        return Err(ApiError::not_found(format!("{id:?}: no such {what}")));
    }
    Ok(id)
}

/// `limit` (default 100, at most 1000) and `offset`.
fn page(limit: Option<usize>, offset: Option<usize>) -> Result<(usize, usize), ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 {
        return Err(ApiError::bad_request("limit must be at least 1"));
    }
    Ok((limit.min(MAX_LIMIT), offset.unwrap_or(0)))
}

/// Event filters and the page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct EventsQuery {
    /// An actor: a full name or any word of it, accents optional (`kilic` finds Serdar Kılıç).
    actor: Option<String>,
    /// A party: ISO alpha-3 code (`TUR`, `ARM`) or `EU`.
    country: Option<String>,
    /// A PLOVER type (`CONSULT`, `AGREE` …).
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Events on or after this date (`2022`, `2022-01` or `2022-01-14`).
    from: Option<String>,
    /// Events on or before this date.
    to: Option<String>,
    /// A place.
    place: Option<String>,
    /// A document: its id, name, or name without extension.
    doc: Option<String>,
    /// Also events not reported as having happened (negated, hypothetical, undated future).
    all: Option<bool>,
    /// Also events without a date (they sort first).
    undated: Option<bool>,
    /// Also events a reviewer rejected or merged into another one.
    include_rejected: Option<bool>,
    /// Page size: default 100, at most 1000.
    limit: Option<usize>,
    /// Events to skip.
    offset: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/events",
    tag = "events",
    summary = "The timeline: events by (first day, id), filtered and paged",
    params(EventsQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of events", body = EventPage),
        (status = 400, description = "A bad filter (a date that is no date …)", body = ErrorBody),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
    )
)]
async fn list_events(
    State(state): State<AppState>,
    q: Result<Query<EventsQuery>, QueryRejection>,
) -> Result<Json<EventPage>, ApiError> {
    let q = query(q)?;
    let (limit, offset) = page(q.limit, q.offset)?;
    let filter = EventFilter {
        actor: q.actor,
        country: q.country,
        kind: q.kind,
        from: q.from,
        to: q.to,
        place: q.place,
        doc: q.doc,
        all: q.all.unwrap_or(false),
        undated: q.undated.unwrap_or(false),
        reviewed_out: q.include_rejected.unwrap_or(false),
        limit: Some(limit + 1),
        offset,
    };
    let mut events = state
        .read(move |store, _| Ok(store.events(&filter)?))
        .await?;
    let more = events.len() > limit;
    events.truncate(limit);
    Ok(Json(EventPage {
        items: events.into_iter().map(Event::from).collect(),
        limit,
        offset,
        next_offset: more.then_some(offset + limit),
    }))
}

#[utoipa::path(
    get,
    path = "/api/events/{id}",
    tag = "events",
    summary = "One event with every source",
    params(("id" = String, Path, description = "The event's id, or a unique prefix of it")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The event", body = Event),
        (status = 400, description = "The prefix names more than one event", body = ErrorBody),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
    )
)]
async fn get_event(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Event>, ApiError> {
    let id = path_id(id, "event")?;
    let event = state.read(move |store, _| Ok(store.event(&id)?)).await?;
    Ok(Json(event.into()))
}

/// A page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageQuery {
    /// Page size: default 100, at most 1000.
    limit: Option<usize>,
    /// Items to skip.
    offset: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/documents",
    tag = "documents",
    summary = "The documents, by (name, id), paged",
    params(PageQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of documents", body = DocumentPage),
        (status = 400, description = "A bad page", body = ErrorBody),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
    )
)]
async fn list_documents(
    State(state): State<AppState>,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<DocumentPage>, ApiError> {
    let q = query(q)?;
    let (limit, offset) = page(q.limit, q.offset)?;
    let docs = state.read(|store, _| Ok(store.documents()?)).await?;
    let total = docs.len();
    let items = docs
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(Into::into)
        .collect();
    Ok(Json(DocumentPage {
        items,
        limit,
        offset,
        next_offset: (offset.saturating_add(limit) < total).then_some(offset + limit),
    }))
}

#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    tag = "documents",
    summary = "One document's text and every item extracted from it, with byte spans",
    params(("id" = String, Path, description = "The document's id, name, or name without extension")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The document", body = DocumentDetails),
        (status = 400, description = "The name fits more than one document", body = ErrorBody),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody),
    )
)]
async fn get_document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<DocumentDetails>, ApiError> {
    let id = path_id(id, "document")?;
    let doc = state.read(move |store, _| Ok(store.document(&id)?)).await?;
    Ok(Json(doc.into()))
}

#[utoipa::path(
    get,
    path = "/api/actors",
    tag = "record",
    summary = "The actors, with their event counts and first and last dates",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The actors", body = ActorList),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
    )
)]
async fn list_actors(State(state): State<AppState>) -> Result<Json<ActorList>, ApiError> {
    let rows = state.read(|store, _| Ok(store.actors()?)).await?;
    Ok(Json(ActorList {
        items: rows.into_iter().map(Into::into).collect(),
    }))
}

/// Which places.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PlacesQuery {
    /// Also every gazetteer place without events (border crossings, regions …), with `events: 0`.
    all: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/api/places",
    tag = "record",
    summary = "The places, with coordinates from the gazetteer and event counts",
    params(PlacesQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The places", body = PlaceList),
        (status = 400, description = "An unknown parameter", body = ErrorBody),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
    )
)]
async fn list_places(
    State(state): State<AppState>,
    q: Result<Query<PlacesQuery>, QueryRejection>,
) -> Result<Json<PlaceList>, ApiError> {
    let all = query(q)?.all.unwrap_or(false);
    let rows = state
        .read(move |store, st| Ok(store.places(st.engines().extractor.gazetteer(), all)?))
        .await?;
    Ok(Json(PlaceList {
        items: rows.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/conditions",
    tag = "record",
    summary = "The conditions the documents state",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The conditions", body = ConditionList),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
    )
)]
async fn list_conditions(State(state): State<AppState>) -> Result<Json<ConditionList>, ApiError> {
    let rows = state.read(|store, _| Ok(store.conditions()?)).await?;
    Ok(Json(ConditionList {
        items: rows.into_iter().map(Into::into).collect(),
    }))
}

/// A search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchQuery {
    /// Words and `"quoted phrases"`, all of which must match; accents optional.
    q: String,
    /// At most this many documents and this many events: default 20, at most 100.
    limit: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/search",
    tag = "record",
    summary = "Full-text search over documents and event evidence, best first",
    params(SearchQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The hits", body = SearchResults),
        (status = 400, description = "Nothing to search for, or a bad limit", body = ErrorBody),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
    )
)]
async fn search(
    State(state): State<AppState>,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Json<SearchResults>, ApiError> {
    let q = query(q)?;
    if q.q.len() > MAX_QUERY {
        return Err(ApiError::bad_request(format!(
            "the query is longer than {MAX_QUERY} bytes"
        )));
    }
    let limit = match q.limit {
        Some(0) => return Err(ApiError::bad_request("limit must be at least 1")),
        Some(n) => n.min(100),
        None => 20,
    };
    let text = q.q.clone();
    let hits = state
        .read(move |store, _| Ok(store.search(&text, limit)?))
        .await?;
    Ok(Json(SearchResults {
        query: q.q,
        items: hits.into_iter().map(Into::into).collect(),
    }))
}

/// An export format.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ExportFormat {
    /// JSON Lines, one event a line (`application/x-ndjson`).
    #[default]
    Jsonl,
    /// ACLED-style CSV (`text/csv`).
    Csv,
    /// GeoJSON FeatureCollection of the located events (`application/geo+json`).
    Geojson,
    /// PLOVER JSON Lines (`application/x-ndjson`).
    Plover,
}

/// An export.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportQuery {
    /// `jsonl` (default), `csv`, `geojson` or `plover`.
    #[param(inline)]
    format: Option<ExportFormat>,
}

#[utoipa::path(
    get,
    path = "/api/export",
    tag = "record",
    summary = "Every event reported as having happened or scheduled, as a file",
    params(ExportQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The export, as an attachment", content(
            ("application/x-ndjson"),
            ("text/csv"),
            ("application/geo+json"),
        )),
        (status = 400, description = "An unknown format", body = ErrorBody),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
    )
)]
async fn export(
    State(state): State<AppState>,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    use peacetrack_store::export::Format;
    let format = query(q)?.format.unwrap_or_default();
    let (fmt, content_type, ext) = match format {
        ExportFormat::Jsonl => (Format::Jsonl, "application/x-ndjson", "jsonl"),
        ExportFormat::Csv => (Format::Csv, "text/csv; charset=utf-8", "csv"),
        ExportFormat::Geojson => (Format::Geojson, "application/geo+json", "geojson"),
        ExportFormat::Plover => (Format::Plover, "application/x-ndjson", "plover.jsonl"),
    };
    let bytes = state
        .read(move |store, st| {
            let mut out = Vec::new();
            store.export(fmt, st.engines().extractor.gazetteer(), &mut out)?;
            Ok(out)
        })
        .await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"peacetrack-events.{ext}\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    summary = "This description (OpenAPI 3.1)",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object),
        (status = 401, description = "A read from another host without the token", body = ErrorBody),
    )
)]
async fn openapi_json() -> Response {
    let mut res = openapi_text().to_string().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        assert_eq!(page(None, None).unwrap(), (100, 0));
        assert_eq!(page(Some(5000), Some(7)).unwrap(), (1000, 7));
        assert!(page(Some(0), None).is_err());
    }

    #[test]
    fn the_document_is_openapi_3_1_with_every_route() {
        let doc: serde_json::Value = serde_json::from_str(openapi_text()).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        for p in [
            "/api/events",
            "/api/events/{id}",
            "/api/documents",
            "/api/documents/{id}",
            "/api/actors",
            "/api/places",
            "/api/conditions",
            "/api/search",
            "/api/export",
            "/api/ingest",
            "/api/openapi.json",
        ] {
            assert!(paths.contains_key(p), "{p} missing");
        }
        let params: Vec<&str> = doc["paths"]["/api/events"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(
            params.contains(&"type") && params.contains(&"limit"),
            "{params:?}"
        );
    }
}
