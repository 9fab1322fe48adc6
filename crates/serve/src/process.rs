//! The process model over HTTP: the case, the issue board and one issue, the condition graph,
//! scenarios; and review (accept, reject, edit, merge; audited). The case is the one the store
//! remembers (`peacetrack --case PATH serve` sets it).

use crate::api::query;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use peacetrack_model::record::{self, BoardRow, IssueReport, RecordError};
use peacetrack_model::{Case, Outcome, Scenario, parse_outcomes, scenario_with};
use peacetrack_store::{ReviewEntry, ReviewRequest, Store};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

impl From<RecordError> for ApiError {
    fn from(e: RecordError) -> ApiError {
        match e {
            RecordError::Store(s) => s.into(),
            RecordError::NoCase => ApiError::not_found(
                "no case: start the server with `peacetrack --case PATH serve` (the store remembers it)",
            ),
            RecordError::NoIssue { .. } => ApiError::not_found(e.to_string()),
            RecordError::Case(_) => ApiError::internal(e.to_string()),
            RecordError::Invalid(_) => ApiError::bad_request(e.to_string()),
        }
    }
}

fn case(store: &mut Store) -> Result<Case, ApiError> {
    Ok(record::case_for(store, None)?)
}

/// A party or mediator of the case.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseParty {
    /// Code (ISO alpha-3, or an organisation's).
    pub code: String,
    /// Name.
    pub name: String,
}

/// A track of the case.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseTrack {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// An agenda issue of the case.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseIssue {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its track.
    pub track: String,
    /// Its states, the ladder first (lowest first), then the states off it.
    pub states: Vec<String>,
}

/// The case the record is read through.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Parties.
    pub parties: Vec<CaseParty>,
    /// Mediators.
    pub mediators: Vec<CaseParty>,
    /// Tracks.
    pub tracks: Vec<CaseTrack>,
    /// Agenda issues.
    pub issues: Vec<CaseIssue>,
    /// The case's condition ids (for `prob` in a scenario).
    pub conditions: Vec<String>,
}

#[utoipa::path(
    get,
    path = "/api/case",
    tag = "process",
    summary = "The case (process description) the record is read through",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The case", body = CaseSummary),
        (status = 404, description = "No case set for this store", body = ErrorBody),
    )
)]
pub(crate) async fn get_case(State(state): State<AppState>) -> Result<Json<CaseSummary>, ApiError> {
    let c = state.read(|store, _| case(store)).await?;
    let ladders = c.ladders();
    let party = |a: &peacetrack_model::Actor| CaseParty {
        code: a.code.clone(),
        name: a.name.clone(),
    };
    Ok(Json(CaseSummary {
        id: c.process.id.clone(),
        name: c.process.name.clone(),
        parties: c.parties.iter().map(party).collect(),
        mediators: c.mediators.iter().map(party).collect(),
        tracks: c
            .tracks
            .iter()
            .map(|t| CaseTrack {
                id: t.id.clone(),
                name: t.name.clone(),
            })
            .collect(),
        issues: c
            .issues
            .iter()
            .map(|i| {
                let s = ladders.get(&i.id);
                CaseIssue {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    track: i.track.clone(),
                    states: s
                        .map(|s| s.ladder.iter().chain(&s.off_ladder).cloned().collect())
                        .unwrap_or_default(),
                }
            })
            .collect(),
        conditions: c.conditions.iter().map(|x| x.id.clone()).collect(),
    }))
}

/// The issue board.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IssueBoard {
    /// One row per issue (issue, name, track, status, last_change, events, sources).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<BoardRow>,
}

#[utoipa::path(
    get,
    path = "/api/issues",
    tag = "process",
    summary = "The issue board: each agenda issue's status, last change, events and sources",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The board", body = IssueBoard),
        (status = 404, description = "No case set for this store", body = ErrorBody),
    )
)]
pub(crate) async fn list_issues(
    State(state): State<AppState>,
) -> Result<Json<IssueBoard>, ApiError> {
    let items = state
        .read(|store, _| {
            let c = case(store)?;
            Ok(record::issue_board(store, &c)?)
        })
        .await?;
    Ok(Json(IssueBoard { items }))
}

/// One issue.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IssueDetail {
    /// The report: issue, name, track, status, history (steps with state, date, events, docs),
    /// positions, linked_events.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub report: IssueReport,
}

#[utoipa::path(
    get,
    path = "/api/issues/{id}",
    tag = "process",
    summary = "One issue: status history with sources, positions of the parties, linked events",
    params(("id" = String, Path, description = "The issue's id or name")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The issue", body = IssueDetail),
        (status = 404, description = "No such issue, or no case", body = ErrorBody),
    )
)]
pub(crate) async fn get_issue(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<IssueDetail>, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let report = state
        .read(move |store, _| {
            let c = case(store)?;
            Ok(record::issue_report(store, &c, &id)?)
        })
        .await?;
    Ok(Json(IssueDetail { report }))
}

/// Which part of the graph.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct GraphQuery {
    /// An outcome `ISSUE=STATE`: also its requirement tree (`chain`).
    goal: Option<String>,
}

/// A node of the condition graph.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GraphNode {
    /// `ISSUE=STATE`.
    pub id: String,
    /// The issue.
    pub issue: String,
    /// The state.
    pub state: String,
    /// `Issue name: state`, or the outcome when the issue is not the case's.
    pub label: String,
}

/// The condition graph.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GraphAnswer {
    /// Outcomes.
    pub nodes: Vec<GraphNode>,
    /// Requirement → goal edges with their conditions and sources.
    #[schema(value_type = Vec<Object>)]
    pub edges: Vec<peacetrack_model::GraphEdge>,
    /// The conditions (merged duplicates), with probabilities and sources.
    #[schema(value_type = Vec<Object>)]
    pub conditions: Vec<peacetrack_model::GraphCondition>,
    /// Cycles, each as its outcomes.
    pub cycles: Vec<Vec<String>>,
    /// With `goal`: its requirement tree.
    #[schema(value_type = Option<Object>)]
    pub chain: Option<peacetrack_model::ChainNode>,
}

#[utoipa::path(
    get,
    path = "/api/graph",
    tag = "process",
    summary = "The condition graph: the case's conditions merged with those the documents state",
    params(GraphQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The graph", body = GraphAnswer),
        (status = 400, description = "A goal that is no ISSUE=STATE outcome of the graph", body = ErrorBody),
        (status = 404, description = "No case set for this store", body = ErrorBody),
    )
)]
pub(crate) async fn get_graph(
    State(state): State<AppState>,
    q: Result<Query<GraphQuery>, QueryRejection>,
) -> Result<Json<GraphAnswer>, ApiError> {
    let q = query(q)?;
    let answer = state
        .read(move |store, _| {
            let c = case(store)?;
            let g = record::graph(store, &c)?;
            let chain = match &q.goal {
                Some(goal) => {
                    let o: Outcome = goal
                        .parse()
                        .map_err(|e| ApiError::bad_request(format!("goal {goal}: {e}")))?;
                    Some(
                        g.chain(&o)
                            .map_err(|e| ApiError::bad_request(format!("goal {goal}: {e}")))?,
                    )
                }
                None => None,
            };
            let nodes = g
                .nodes()
                .into_iter()
                .map(|o| GraphNode {
                    id: o.to_string(),
                    label: c.issues.iter().find(|i| i.id == o.issue).map_or_else(
                        || o.to_string(),
                        |i| format!("{}: {}", i.name, o.state.replace('_', " ")),
                    ),
                    issue: o.issue.clone(),
                    state: o.state.clone(),
                })
                .collect();
            Ok(GraphAnswer {
                nodes,
                edges: g.edges(),
                conditions: g.conditions().to_vec(),
                cycles: g
                    .cycles()
                    .iter()
                    .map(|c| c.iter().map(ToString::to_string).collect())
                    .collect(),
                chain,
            })
        })
        .await?;
    Ok(Json(answer))
}

/// A scenario: assumptions, a goal, probabilities.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ScenarioQuery {
    /// Outcomes assumed to hold, `ISSUE=STATE` (repeatable).
    #[serde(default)]
    assume: Vec<String>,
    /// The outcome asked about, `ISSUE=STATE`.
    goal: Option<String>,
    /// Probabilities over the case's: `CONDITION_ID=P` or `ISSUE=STATE=P` (repeatable).
    #[serde(default)]
    prob: Vec<String>,
}

/// A scenario's result.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ScenarioAnswer {
    /// assumptions, unblocked, blocked (with what each still misses), goal (satisfied, path,
    /// probability with its sensitivity ranking).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub scenario: Scenario,
}

#[utoipa::path(
    get,
    path = "/api/scenario",
    tag = "process",
    summary = "What assumptions unblock, what still blocks, the shortest remaining path and the goal's probability",
    params(
        ("assume" = Vec<String>, Query, description = "Outcomes assumed to hold, ISSUE=STATE (repeat the parameter)"),
        ("goal" = Option<String>, Query, description = "The outcome asked about, ISSUE=STATE"),
        ("prob" = Vec<String>, Query, description = "CONDITION_ID=P or ISSUE=STATE=P (repeat the parameter)"),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The scenario", body = ScenarioAnswer),
        (status = 400, description = "An outcome or probability that does not parse or is unknown", body = ErrorBody),
        (status = 404, description = "No case set for this store", body = ErrorBody),
    )
)]
pub(crate) async fn get_scenario(
    State(state): State<AppState>,
    pairs: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<ScenarioAnswer>, ApiError> {
    let q = scenario_query(query(pairs)?)?;
    let scenario = state
        .read(move |store, _| {
            let c = case(store)?;
            let g = record::graph(store, &c)?;
            let assumptions =
                parse_outcomes(&q.assume).map_err(|e| ApiError::bad_request(e.to_string()))?;
            let goal: Option<Outcome> = q
                .goal
                .as_deref()
                .map(|s| {
                    s.parse()
                        .map_err(|e| ApiError::bad_request(format!("goal {s}: {e}")))
                })
                .transpose()?;
            let options = record::scenario_options(&q.prob)?;
            scenario_with(&g, &assumptions, goal.as_ref(), &options)
                .map_err(|e| ApiError::bad_request(e.to_string()))
        })
        .await?;
    Ok(Json(ScenarioAnswer { scenario }))
}

/// Repeated parameters (`assume=a&assume=b`), which a plain query extractor does not take.
fn scenario_query(pairs: Vec<(String, String)>) -> Result<ScenarioQuery, ApiError> {
    let mut q = ScenarioQuery::default();
    for (k, v) in pairs {
        match k.as_str() {
            "assume" => q.assume.push(v),
            "goal" if !v.is_empty() => q.goal = Some(v),
            "goal" => {}
            "prob" => q.prob.push(v),
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {other:?} (assume, goal, prob)"
                )));
            }
        }
    }
    if q.assume.len() + q.prob.len() > 500 {
        return Err(ApiError::bad_request("too many parameters"));
    }
    Ok(q)
}

/// A review action (see `peacetrack review`).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// `event` or `condition`.
    pub target: String,
    /// The item's id.
    pub id: String,
    /// `accept`, `reject`, `edit`, `merge` or `reset` (conditions: accept, reject, reset).
    pub action: String,
    /// Who reviews.
    pub reviewer: String,
    /// For `edit`: any of `type`, `mode`, `date`, `place`; an empty string removes a correction.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub changes: Option<serde_json::Value>,
    /// For `merge`: the event this one is part of.
    #[serde(default)]
    pub into: Option<String>,
    /// Why.
    #[serde(default)]
    pub note: Option<String>,
}

/// The audit entry of a review.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReviewAnswer {
    /// seq, at, reviewer, target, id, anchor, action, before, after, note.
    #[schema(value_type = Object)]
    pub review: ReviewEntry,
}

#[utoipa::path(
    post,
    path = "/api/review",
    tag = "process",
    summary = "Accept, reject, edit or merge an extracted event; accept or reject a condition (audited, kept across re-ingests)",
    request_body = ReviewBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Done; the audit entry", body = ReviewAnswer),
        (status = 400, description = "A bad action, field or value", body = ErrorBody),
        (status = 401, description = "No token, or a wrong one", body = ErrorBody),
        (status = 403, description = "A cross-origin write", body = ErrorBody),
        (status = 404, description = "No such event or condition", body = ErrorBody),
    )
)]
pub(crate) async fn post_review(
    State(state): State<AppState>,
    body: Result<Json<ReviewBody>, JsonRejection>,
) -> Result<Json<ReviewAnswer>, ApiError> {
    let Json(b) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let req: ReviewRequest = serde_json::from_value(serde_json::json!({
        "target": b.target,
        "id": b.id,
        "action": b.action,
        "reviewer": b.reviewer,
        "changes": b.changes.unwrap_or_else(|| serde_json::json!({})),
        "into": b.into,
        "note": b.note,
    }))
    .map_err(|e| ApiError::bad_request(format!("review: {e}")))?;
    let worker = state.clone();
    let review = tokio::task::spawn_blocking(move || worker.write(|store| store.review(&req)))
        .await
        .map_err(|e| ApiError::internal(format!("the review task failed: {e}")))??;
    Ok(Json(ReviewAnswer { review }))
}

/// Whose audit trail.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ReviewsQuery {
    /// An event or condition id; all entries when absent.
    target: Option<String>,
}

/// The audit trail.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReviewLog {
    /// Entries, oldest first.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<ReviewEntry>,
}

#[utoipa::path(
    get,
    path = "/api/reviews",
    tag = "process",
    summary = "The review audit trail: who, when, the item before and after",
    params(ReviewsQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The entries, oldest first", body = ReviewLog),
    )
)]
pub(crate) async fn list_reviews(
    State(state): State<AppState>,
    q: Result<Query<ReviewsQuery>, QueryRejection>,
) -> Result<Json<ReviewLog>, ApiError> {
    let q = query(q)?;
    let items = state
        .read(move |store, _| Ok(store.review_log(q.target.as_deref())?))
        .await?;
    Ok(Json(ReviewLog { items }))
}
