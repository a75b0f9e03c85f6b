//! The one error type. Every failure, from any layer, ends up as an [`Error`],
//! and every HTTP error response, including the ones poem raises before a
//! handler runs, is rendered by [`render`] as `{"error": ..., "code": ...}`.

use std::{fmt, marker::PhantomData};

use poem::{
    IntoResponse, PathPattern, Response,
    error::{MethodNotAllowedError, NotFoundError, ParseJsonError, ResponseError},
    http::StatusCode,
};
use poem_openapi::{
    ApiResponse, Object, OperationId,
    error::{ContentTypeError, ParseParamError, ParseRequestPayloadError},
    payload::Json,
    registry::{MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::Type,
};
use sea_orm::{DbErr, RuntimeErr, SqlErr};

use crate::api::explain;

/// What a request can fail with. Each variant knows its status and message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    NotFound(Resource),
    #[error("{}", .0.name_taken())]
    NameTaken(Resource),
    #[error("{0}")]
    InvalidArgument(String),
    #[error("request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the database is unavailable")]
    Unavailable(#[source] DbErr),
    #[error("the request took longer than {0:?}")]
    TimedOut(std::time::Duration),
    #[error("a valid bearer token is required (Authorization: Bearer <token>)")]
    Unauthorized,
    #[error("the resource has changed since the ETag in If-Match: read it again")]
    PreconditionFailed,
    #[error("internal server error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The resources the API serves, for their not-found and conflict messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Model,
    Version,
    Artifact,
}

impl Resource {
    fn name_taken(self) -> &'static str {
        match self {
            Resource::Model => "model with this name already exists in the project",
            // An artifact is a version: they share one name space per model.
            Resource::Version | Resource::Artifact => {
                "version with this name already exists for this model"
            }
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Resource::Model => "registered model not found",
            Resource::Version => "model version not found",
            Resource::Artifact => "model artifact not found",
        })
    }
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidArgument(message.into())
    }

    /// Wraps a database error, telling an unreachable database (503) from a
    /// failure of ours (500). Constraint violations are recognised by the
    /// store, where it is known which constraint a statement can break.
    pub fn from_db(err: DbErr) -> Self {
        if is_unavailable(&err) {
            Error::Unavailable(err)
        } else if let Some(field) = unknown_reference(&err) {
            Error::InvalidArgument(field)
        } else if is_refused_value(&err) {
            Error::InvalidArgument(
                "a value in the request cannot be stored or compared \
                 (for example, it contains a NUL character)"
                    .into(),
            )
        } else {
            Error::Internal(Box::new(err))
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::NameTaken(_) => StatusCode::CONFLICT,
            Error::InvalidArgument(_) => StatusCode::BAD_REQUEST,
            Error::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Unavailable(_) | Error::TimedOut(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        Error::from_db(err)
    }
}

/// Is this the database being unreachable or too slow, rather than a
/// statement failing?
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::{Error as SqlxError, postgres::PgDatabaseError};
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_ref() {
                SqlxError::Io(_)
                | SqlxError::Tls(_)
                | SqlxError::Protocol(_)
                | SqlxError::PoolTimedOut
                | SqlxError::PoolClosed
                | SqlxError::WorkerCrashed => true,
                // Connection exceptions (08), a statement cancelled by its
                // timeout (57014) and the server shutting down (57P0x).
                SqlxError::Database(db) => {
                    db.try_downcast_ref::<PgDatabaseError>().is_some_and(|pg| {
                        let code = pg.code();
                        code.starts_with("08") || code.starts_with("57")
                    })
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// Did PostgreSQL refuse a character the request carried: a NUL, which no
/// text column holds (22021), or one that JSON cannot (22P05)? The request
/// types refuse those first; this is the backstop. Any other data exception
/// (a value too long for its column, say) is the service's mistake, not the
/// caller's: it stays a 500, and its detail goes to the log.
fn is_refused_value(err: &DbErr) -> bool {
    database_error(err)
        .and_then(|db| db.try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>())
        .is_some_and(|pg| matches!(pg.code(), "22021" | "22P05"))
}

/// The database's own error under a failed statement, if that is what
/// failed.
fn database_error(err: &DbErr) -> Option<&dyn sea_orm::sqlx::error::DatabaseError> {
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    match e.as_ref() {
        sea_orm::sqlx::Error::Database(db) => Some(db.as_ref()),
        _ => None,
    }
}

/// On CMP's tables the ids a write names (region, project, owner, parent)
/// are foreign keys to CMP's own tables, checked at the latest at COMMIT
/// (Django makes them `DEFERRABLE INITIALLY DEFERRED`). A violation is the
/// caller's: the message names the field (or header) from the violated
/// key's column, as PostgreSQL's detail gives it (`Key (region_id)=(...)`).
fn unknown_reference(err: &DbErr) -> Option<String> {
    let pg = database_error(err)?.try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>()?;
    if pg.code() != "23503" {
        return None;
    }
    Some(match key_columns(pg) {
        Some("project_id") => "Project-ID: the platform knows no such project".into(),
        Some(
            column @ ("region_id"
            | "owner_id"
            | "parent_model_id"
            | "registered_model_id"
            | "prebuilt_container_id"
            | "created_by_id"
            | "updated_by_id"),
        ) => {
            format!("{column}: the platform knows no such id")
        }
        _ => "an id in the request names nothing the platform knows".into(),
    })
}

/// Maps the violation of a name's uniqueness (per project, per model) to
/// `conflict`; any other error as usual, another unique key (a primary key,
/// say) included: that one is the service's mistake.
pub fn unique_violation_as(resource: Resource) -> impl Fn(DbErr) -> Error {
    move |err| {
        if violated_unique_columns(&err).is_some_and(|columns| columns.contains(&"name")) {
            Error::NameTaken(resource)
        } else {
            Error::from_db(err)
        }
    }
}

/// The columns of the key a PostgreSQL constraint error names, as its
/// detail gives them: `Key (a, b)=(...) ...` → `a, b`.
fn key_columns(pg: &sea_orm::sqlx::postgres::PgDatabaseError) -> Option<&str> {
    let (columns, _) = pg.detail()?.strip_prefix("Key (")?.split_once(')')?;
    Some(columns)
}

/// The columns of the unique key a statement violated. Read from the key's
/// columns rather than its name: CMP's Django names its constraints with
/// hashes, `scripts/schema.sql` lets PostgreSQL name them, and SQLite's
/// message names only the columns (`UNIQUE constraint failed: t.a, t.b`;
/// PostgreSQL's detail says `Key (a, b)=(...) already exists.`).
fn violated_unique_columns(err: &DbErr) -> Option<Vec<&str>> {
    let db = database_error(err)?;
    if !matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        return None;
    }
    if let Some(pg) = db.try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>() {
        return Some(key_columns(pg)?.split(", ").collect());
    }
    let columns = db.message().strip_prefix("UNIQUE constraint failed: ")?;
    Some(
        columns
            .split(", ")
            .map(|column| column.rsplit_once('.').map_or(column, |(_, name)| name))
            .collect(),
    )
}

/// The body of every error response.
#[derive(Debug, Object)]
#[oai(rename = "Error")]
pub struct ErrorBody {
    /// A message for a human.
    pub error: String,
    /// A stable, machine-readable kind: `invalid_argument`, `not_found`,
    /// `conflict`, `payload_too_large`, `method_not_allowed`, `uri_too_long`,
    /// `headers_too_large`, `precondition_failed`, `unauthorized`,
    /// `unavailable` or `internal`.
    pub code: String,
}

/// The stable `code` of an error answer with this status.
fn error_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::CONFLICT => "conflict",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "headers_too_large",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::PRECONDITION_FAILED => "precondition_failed",
        s if s.is_server_error() => "internal",
        _ => "invalid_argument",
    }
}

fn error_body(status: StatusCode, message: impl Into<String>) -> ErrorBody {
    ErrorBody {
        error: message.into(),
        code: error_code(status).into(),
    }
}

pub fn error_response(status: StatusCode, message: impl Into<String>) -> Response {
    Json(error_body(status, message))
        .with_status(status)
        .into_response()
}

/// The JSON text of an error answer, for the few answered below poem.
pub fn error_json(status: StatusCode, message: &str) -> String {
    let body = error_body(status, message);
    serde_json::json!({"error": body.error, "code": body.code}).to_string()
}

impl ResponseError for Error {
    fn status(&self) -> StatusCode {
        Error::status(self)
    }

    fn as_response(&self) -> Response {
        if matches!(self, Error::Unauthorized) {
            let mut response = error_response(self.status(), self.to_string());
            response.headers_mut().insert(
                poem::http::header::WWW_AUTHENTICATE,
                poem::http::HeaderValue::from_static("Bearer"),
            );
            return response;
        }
        match self {
            Error::Internal(cause) => {
                tracing::error!(error = ?ErrorChain(cause.as_ref()).to_string(), "internal error");
            }
            Error::Unavailable(cause) => {
                tracing::warn!(error = ?ErrorChain(cause).to_string(), "database unavailable");
            }
            _ => {}
        }
        error_response(self.status(), self.to_string())
    }
}

/// Writes an error with all its causes, for the log (as a quoted string: a
/// database's message may carry a value from the request).
struct ErrorChain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

/// Turns any error that reaches the edge into the contract's JSON error,
/// keeping its status and the route it matched (for the log and metrics).
pub async fn render(err: poem::Error) -> Response {
    let route = err.data::<PathPattern>().cloned();
    let operation = err.data::<OperationId>().copied();
    let mut response = error_to_response(err, operation.map(|id| id.0));
    if let Some(route) = route {
        response.set_data(route);
    }
    if let Some(operation) = operation {
        response.set_data(operation);
    }
    response
}

/// Poem's own errors (a malformed parameter or body, an unknown route) get
/// a message in the contract's words.
fn error_to_response(err: poem::Error, operation: Option<&str>) -> Response {
    if let Some(ours) = err.downcast_ref::<Error>() {
        return ours.as_response();
    }
    if let Some(e) = err.downcast_ref::<ParseParamError>() {
        return error_response(
            StatusCode::BAD_REQUEST,
            explain::parameter_message(operation, e.name, &e.reason),
        );
    }
    if let Some(e) = err.downcast_ref::<ParseRequestPayloadError>() {
        return error_response(
            StatusCode::BAD_REQUEST,
            format!(
                "invalid request body: {}",
                explain::without_type_names(&e.reason)
            ),
        );
    }
    if let Some(e) = err.downcast_ref::<ParseJsonError>() {
        return error_response(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}"));
    }
    // A body that is missing or not declared JSON is bad input like any
    // other (400), not a negotiation failure.
    if err.is::<ContentTypeError>() {
        return error_response(
            StatusCode::BAD_REQUEST,
            "request body must be JSON (Content-Type: application/json)",
        );
    }
    if err.is::<NotFoundError>() {
        return error_response(StatusCode::NOT_FOUND, "no such route");
    }
    if err.is::<MethodNotAllowedError>() {
        return error_response(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    }
    let status = err.status();
    if status.is_server_error() {
        tracing::error!(error = ?err.to_string(), "unhandled error");
        return error_response(status, "internal server error");
    }
    error_response(status, err.to_string())
}

/// The error statuses one kind of operation can answer, for its OpenAPI
/// description: an operation's errors are `Failure<ItsKind>`.
pub trait Answers: Send + Sync + 'static {
    const STATUSES: &'static [u16];
}

/// Reads of one resource by id or name: `GET /models/{id}`, `GET /model`, a
/// model's versions.
pub enum Read {}
/// Lists of the project: nothing to be missing.
pub enum List {}
/// Creating a model: nothing to be missing, a name that may be taken.
pub enum Create {}
/// Creating under a model: the model may be missing too.
pub enum CreateUnder {}
/// Changing one resource.
pub enum Update {}
/// Deleting one resource.
pub enum Delete {}

// Every operation can answer 400 (bad input), 401 (a missing token, only
// when tokens are configured), 414 and 431 (a URI or headers too large to
// read), 500 (our failure) and 503 (the database's).
impl Answers for Read {
    const STATUSES: &'static [u16] = &[400, 401, 404, 414, 431, 500, 503];
}
impl Answers for List {
    const STATUSES: &'static [u16] = &[400, 401, 414, 431, 500, 503];
}
impl Answers for Create {
    const STATUSES: &'static [u16] = &[400, 401, 409, 413, 414, 431, 500, 503];
}
impl Answers for CreateUnder {
    const STATUSES: &'static [u16] = &[400, 401, 404, 409, 413, 414, 431, 500, 503];
}
impl Answers for Update {
    const STATUSES: &'static [u16] = &[400, 401, 404, 409, 412, 413, 414, 431, 500, 503];
}
impl Answers for Delete {
    const STATUSES: &'static [u16] = &[400, 401, 404, 412, 414, 431, 500, 503];
}

/// An operation's error: an [`Error`], documented with only the statuses
/// its kind of operation can answer.
#[derive(Debug)]
pub struct Failure<K: Answers>(pub Error, PhantomData<K>);

impl<K: Answers> From<Error> for Failure<K> {
    fn from(err: Error) -> Self {
        Failure(err, PhantomData)
    }
}

impl<K: Answers> From<Failure<K>> for poem::Error {
    fn from(failure: Failure<K>) -> Self {
        failure.0.into()
    }
}

impl<K: Answers> ApiResponse for Failure<K> {
    fn meta() -> MetaResponses {
        let error = |status: u16| {
            let description = match status {
                400 => "Bad input: a missing or malformed header, parameter or body",
                401 => {
                    "A bearer token is required (only when the service is configured with tokens)"
                }
                404 => "Not found in this project",
                409 => "The name is taken",
                412 => "The resource has changed since the ETag in If-Match",
                413 => "The body is larger than 1 MiB",
                414 => "The request's URI is too long to read",
                431 => "The request's headers are too large to read",
                500 => "Internal server error",
                _ => "The database is unavailable, or the request took too long",
            };
            MetaResponse {
                description,
                status: Some(status),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: "application/json; charset=utf-8",
                    schema: ErrorBody::schema_ref(),
                }],
                headers: vec![],
            }
        };
        MetaResponses {
            responses: K::STATUSES.iter().copied().map(error).collect(),
        }
    }

    fn register(registry: &mut Registry) {
        ErrorBody::register(registry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_say_nothing_of_their_cause() {
        let err = Error::Internal("relation \"x\" does not exist".into());
        assert_eq!(err.to_string(), "internal server error");
    }
}
