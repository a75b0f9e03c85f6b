//! Middleware every request passes through: its id and log line, and the
//! body size limit.

use std::time::Instant;

use poem::{
    Endpoint, IntoResponse, PathPattern, Request, Response, Result,
    http::{HeaderValue, header::CONTENT_LENGTH},
};
use tokio::io::AsyncReadExt;
use tracing::Instrument;
use uuid::Uuid;

use crate::error::Error;

pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How much of an oversized body is read (and dropped) before the 413.
const MAX_DISCARDED_BYTES: u64 = 16 * 1024 * 1024;
const MAX_REQUEST_ID_LEN: usize = 128;

/// Gives the request an id (the caller's `X-Request-ID`, or a new one),
/// returns it on the response, and logs one line when the response is ready:
/// method, matched route, status, latency and request id.
pub async fn observe<E: Endpoint>(next: E, req: Request) -> Result<Response> {
    let request_id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|id| !id.is_empty() && id.len() <= MAX_REQUEST_ID_LEN)
        .map(str::to_owned)
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let span = tracing::info_span!("request", request_id = %request_id);
    let started = Instant::now();

    let mut response = match next.call(req).instrument(span.clone()).await {
        Ok(response) => response.into_response(),
        Err(err) => err.into_response(),
    };

    let route = response
        .data::<PathPattern>()
        .map(|pattern| pattern.0.to_string())
        .unwrap_or(path);
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    tracing::info!(
        parent: &span,
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
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
