//! The registry's error type: what an operation on models, versions,
//! aliases, webhooks or the feed can fail with. The API gives each variant
//! its status and JSON body (`api/error.rs`); the store makes them from the
//! database's errors (`store/errors.rs`). What the HTTP layer refuses
//! before an operation runs is `api::error::Refusal`.

use std::fmt;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a request can fail with. Each variant knows its message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    NotFound(Resource),
    #[error("{}", .0.name_taken())]
    NameTaken(Resource),
    #[error("{0}")]
    InvalidArgument(String),
    /// The write would break a rule of what already is (an alias names
    /// the version to delete, a model has all the aliases it may).
    #[error("{0}")]
    Conflict(String),
    #[error("the database is unavailable")]
    Unavailable(#[source] BoxError),
    #[error("the resource has changed since the ETag in If-Match: read it again")]
    PreconditionFailed,
    #[error(
        "after: events after this cursor have been removed (older than EVENTS_RETENTION_DAYS): \
         start again without `after`"
    )]
    CursorExpired,
    #[error("internal server error")]
    Internal(#[source] BoxError),
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidArgument(message.into())
    }
}

/// The resources the API serves, for their not-found and conflict messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Model,
    Version,
    Artifact,
    Alias,
    Webhook,
    Delivery,
}

impl Resource {
    fn name_taken(self) -> &'static str {
        match self {
            Resource::Model => "model with this name already exists in the project",
            // An artifact is a version: they share one name space per model.
            Resource::Version | Resource::Artifact => {
                "version with this name already exists for this model"
            }
            // Setting an alias moves it: its name is never taken.
            Resource::Alias => "alias already exists for this model",
            Resource::Webhook | Resource::Delivery => "already exists",
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Resource::Model => "registered model not found",
            Resource::Version => "model version not found",
            Resource::Artifact => "model artifact not found",
            Resource::Alias => "alias not found",
            Resource::Webhook => "webhook not found",
            Resource::Delivery => "delivery not found",
        })
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
