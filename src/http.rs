//! Middleware every request passes through: its id and log line, and the
//! body size limit.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use poem::{
    Endpoint, IntoResponse, Request, Response, Result,
    http::{HeaderValue, header::CONTENT_LENGTH},
};
use tokio::io::AsyncReadExt;
use tracing::Instrument;
use uuid::Uuid;

use crate::{
    api::BASE_PATH,
    error::Error,
    metrics::{Metrics, RequestLabels},
};

pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How much of an oversized body is read (and dropped) before the 413.
const MAX_DISCARDED_BYTES: u64 = 16 * 1024 * 1024;
const MAX_REQUEST_ID_LEN: usize = 128;

/// Gives the request an id (the caller's `X-Request-ID`, or a new one),
/// returns it on the response, and logs one line when the response is ready:
/// method, matched route, status, latency, request id and client address.
pub async fn observe<E: Endpoint>(
    next: E,
    req: Request,
    metrics: Arc<Metrics>,
) -> Result<Response> {
    let _in_flight = metrics.start_request();
    let request_id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|id| !id.is_empty() && id.len() <= MAX_REQUEST_ID_LEN)
        .map(str::to_owned)
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    // Behind a proxy the caller is the first address of X-Forwarded-For;
    // the socket's peer is the proxy. Both are logged.
    let peer = req.remote_addr().as_socket_addr().map_or_else(
        || req.remote_addr().to_string(),
        |addr| addr.ip().to_string(),
    );
    let client = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map_or_else(|| peer.clone(), str::to_owned);
    let span = tracing::info_span!("request", request_id = %request_id);
    let started = Instant::now();

    let mut response = match next.call(req).instrument(span.clone()).await {
        Ok(response) => response.into_response(),
        Err(err) => err.into_response(),
    };

    let elapsed = started.elapsed();
    let pattern = metrics.route_of(&response);
    metrics.observe(
        RequestLabels {
            method: method.to_string(),
            // Never the raw path: one series per route, not per id.
            route: pattern.clone().unwrap_or_else(|| "unmatched".into()),
            status: response.status().as_u16(),
        },
        elapsed,
    );
    let route = pattern.unwrap_or(path);
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    tracing::info!(
        parent: &span,
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        client = %client,
        peer = %peer,
        "request"
    );
    Ok(response)
}

/// Refuses bodies over [`MAX_BODY_BYTES`] with 413, whether they announce
/// their length or arrive chunked. The rest of an oversized body is read and
/// dropped (up to [`MAX_DISCARDED_BYTES`]) before answering, so that a
/// client still sending it gets the 413 rather than a reset connection.
pub async fn limit_body<E: Endpoint>(next: E, mut req: Request) -> Result<E::Output> {
    let announced = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut reader = req.take_body().into_async_read();
    let mut body = Vec::new();
    if announced.is_none_or(|len| len <= MAX_BODY_BYTES as u64) {
        (&mut reader)
            .take(MAX_BODY_BYTES as u64 + 1)
            .read_to_end(&mut body)
            .await
            .map_err(poem::error::BadRequest)?;
        if body.len() <= MAX_BODY_BYTES {
            req.set_body(body);
            return next.call(req).await;
        }
    }
    let _ = tokio::io::copy(
        &mut reader.take(MAX_DISCARDED_BYTES),
        &mut tokio::io::sink(),
    )
    .await;
    Err(Error::PayloadTooLarge {
        limit: MAX_BODY_BYTES,
    }
    .into())
}

/// Answers 503 when a request, body included, takes longer than `limit`:
/// a slow client or a stuck database cannot hold a worker for ever.
pub async fn time_limit<E: Endpoint>(next: E, req: Request, limit: Duration) -> Result<E::Output> {
    match tokio::time::timeout(limit, next.call(req)).await {
        Ok(result) => result,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis() as u64, "request timed out");
            Err(Error::TimedOut(limit).into())
        }
    }
}

/// Requires `Authorization: Bearer <token>` on every operation of the API
/// (not on `/healthz` or the documentation) when tokens are configured.
pub async fn require_token<E: Endpoint>(
    next: E,
    req: Request,
    tokens: Arc<[String]>,
) -> Result<E::Output> {
    if !tokens.is_empty() && req.uri().path().starts_with(BASE_PATH) {
        let presented = req
            .headers()
            .get(poem::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map_or("", |(_, token)| token.trim());
        // Compare with every token, each in constant time, so that timing
        // tells nothing about which token (or how much of one) matched.
        let matched = tokens.iter().fold(false, |found, token| {
            found | constant_time_eq(presented, token)
        });
        if !matched {
            return Err(Error::Unauthorized.into());
        }
    }
    next.call(req).await
}

/// Equality whose time depends only on the lengths.
fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut difference = (a.len() != b.len()) as u8;
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        difference |= x ^ y;
    }
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn tokens_compare_exactly() {
        assert!(constant_time_eq("secret", "secret"));
        assert!(!constant_time_eq("secret", "secreT"));
        assert!(!constant_time_eq("secret", "secret2"));
        assert!(!constant_time_eq("", "secret"));
        assert!(constant_time_eq("", ""));
    }
}
