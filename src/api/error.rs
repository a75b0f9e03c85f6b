//! Every error answer, in one shape: `{"error": ..., "code": ...}` with
//! the status of its kind. The domain's [`Error`] gets its status here, and
//! [`render`] turns the errors poem raises itself (a malformed parameter or
//! body, an unknown route) into the same shape.

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

use super::explain;
use crate::domain::Error;

/// The status each kind of error is answered with.
fn status_of(err: &Error) -> StatusCode {
    match err {
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::NameTaken(_) | Error::Conflict(_) => StatusCode::CONFLICT,
        Error::InvalidArgument(_) => StatusCode::BAD_REQUEST,
        Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        Error::CursorExpired => StatusCode::GONE,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The body of every error response. Named `ErrorResponse` in the API's
/// document: a schema named `Error` would shadow the built-in `Error` in
/// the TypeScript that client generators write.
#[derive(Debug, Object)]
#[oai(rename = "ErrorResponse")]
pub struct ErrorBody {
    /// A message for a human.
    pub error: String,
    /// A stable, machine-readable kind: `invalid_argument`, `not_found`,
    /// `route_not_found` (the URL reaches no API route: check the base URL),
    /// `conflict`, `payload_too_large`, `method_not_allowed`, `uri_too_long`,
    /// `headers_too_large`, `precondition_failed`, `cursor_expired`,
    /// `unauthorized`, `unavailable` or `internal`.
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
        StatusCode::GONE => "cursor_expired",
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
        status_of(self)
    }

    fn as_response(&self) -> Response {
        match self {
            Error::Internal(cause) => {
                tracing::error!(error = ?ErrorChain(cause.as_ref()).to_string(), "internal error");
            }
            Error::Unavailable(cause) => {
                tracing::warn!(error = ?ErrorChain(cause.as_ref()).to_string(), "database unavailable");
            }
            _ => {}
        }
        error_response(self.status(), self.to_string())
    }
}

/// What the HTTP layer (`http.rs`) refuses before an operation runs.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the request took longer than {0:?}")]
    TimedOut(std::time::Duration),
    #[error("a valid bearer token is required (Authorization: Bearer <token>)")]
    Unauthorized,
    #[error("the query string must be UTF-8 once percent-decoded")]
    QueryNotUtf8,
}

impl ResponseError for Refusal {
    fn status(&self) -> StatusCode {
        match self {
            Refusal::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::TimedOut(_) => StatusCode::SERVICE_UNAVAILABLE,
            Refusal::Unauthorized => StatusCode::UNAUTHORIZED,
            Refusal::QueryNotUtf8 => StatusCode::BAD_REQUEST,
        }
    }

    fn as_response(&self) -> Response {
        let mut response = error_response(self.status(), self.to_string());
        if matches!(self, Refusal::Unauthorized) {
            response.headers_mut().insert(
                poem::http::header::WWW_AUTHENTICATE,
                poem::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// Writes an error with all its causes, for the log (as a quoted string: a
/// database's message may carry a value from the request).
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

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
    if let Some(refusal) = err.downcast_ref::<Refusal>() {
        return refusal.as_response();
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
        let body = ErrorBody {
            error: "no such route: check the base URL (the API is under /api/v1/model-registry)"
                .into(),
            code: "route_not_found".into(),
        };
        return Json(body)
            .with_status(StatusCode::NOT_FOUND)
            .into_response();
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
/// Deleting a version or artifact: an alias may name it.
pub enum DeleteVersion {}
/// Changing a resource that has no name to take.
pub enum Edit {}
/// Acting on one resource without a body: it may be missing.
pub enum OnOne {}
/// Following the event feed: a cursor may be past retention.
pub enum Follow {}
/// `/healthz`: only what any route answers to a request too large to read.
pub enum Probe {}

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
impl Answers for DeleteVersion {
    const STATUSES: &'static [u16] = &[400, 401, 404, 409, 412, 414, 431, 500, 503];
}
impl Answers for Edit {
    const STATUSES: &'static [u16] = &[400, 401, 404, 412, 413, 414, 431, 500, 503];
}
impl Answers for OnOne {
    const STATUSES: &'static [u16] = &[400, 401, 404, 414, 431, 500, 503];
}
impl Answers for Follow {
    const STATUSES: &'static [u16] = &[400, 401, 410, 414, 431, 500, 503];
}
impl Answers for Probe {
    const STATUSES: &'static [u16] = &[414, 431];
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
                409 => {
                    "The name is taken, or the write conflicts with what is (an alias names the version, the model has all its aliases)"
                }
                410 => "Events after the cursor have been removed (retention)",
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
