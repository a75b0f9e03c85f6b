use std::time::Duration;

use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json};

use super::{
    error::{ErrorChain, Failure, Probe},
    routes::ApiTags,
};
use crate::registry::Registry;

/// How long `/healthz` waits for the database before calling it down.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

pub struct HealthApi {
    pub registry: Registry,
}

#[derive(Debug, Object)]
pub struct Health {
    /// `ok` or `unhealthy`.
    pub status: String,
    /// Why it is unhealthy.
    #[oai(skip_serializing_if_is_none)]
    pub error: Option<String>,
}

#[derive(ApiResponse)]
pub enum HealthResponse {
    /// The service and its database answer.
    #[oai(status = 200)]
    Ok(Json<Health>),
    /// The database does not answer.
    #[oai(status = 503)]
    Unavailable(Json<Health>),
}

#[OpenApi(tag = "ApiTags::Health")]
impl HealthApi {
    /// Health of the service and its database
    ///
    /// Its error statuses (414, 431) are answered below the handler, as on
    /// every route; they are declared so that the document says so.
    #[oai(path = "/healthz", method = "get", operation_id = "health")]
    async fn health(&self) -> Result<HealthResponse, Failure<Probe>> {
        let error = match tokio::time::timeout(HEALTH_TIMEOUT, self.registry.check_health()).await {
            Ok(Ok(())) => None,
            Ok(Err(err)) => {
                tracing::warn!(error = ?ErrorChain(&err).to_string(), "health check: database error");
                Some("database unavailable".to_string())
            }
            Err(_) => {
                tracing::warn!("health check: database did not answer in time");
                Some("database did not answer in time".to_string())
            }
        };
        Ok(match error {
            None => HealthResponse::Ok(Json(Health {
                status: "ok".into(),
                error: None,
            })),
            Some(error) => HealthResponse::Unavailable(Json(Health {
                status: "unhealthy".into(),
                error: Some(error),
            })),
        })
    }
}
