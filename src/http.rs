//! Middleware every request passes through: its id and log line, and the
//! body size limit.

use std::{
    net::IpAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use ipnet::IpNet;
use percent_encoding::percent_decode_str;
use poem::{
    Endpoint, IntoResponse, Request, Response, Result,
    http::{
        HeaderMap, HeaderValue, Method, StatusCode,
        header::{CONTENT_LENGTH, EXPECT},
    },
};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use tokio::io::AsyncReadExt;
use tracing::Instrument;
use uuid::Uuid;

use crate::{
    api::{
        BASE_PATH,
        error::{Refusal, error_response},
        explain,
    },
    db::Reachability,
    domain::Error,
    metrics::{Metrics, OTHER_METHOD, RequestLabels, method_label},
    registry::REQUEST_ID,
};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How much of an oversized body is read (and dropped) before the 413.
const MAX_DISCARDED_BYTES: u64 = 16 * 1024 * 1024;
/// How long a refused body may pause before the 413 is sent regardless.
const DRAIN_PAUSE: Duration = Duration::from_millis(500);
const MAX_REQUEST_ID_LEN: usize = 128;
/// How much of an unmatched path the log line keeps.
const MAX_LOGGED_PATH_CHARS: usize = 256;

/// The request's id, as `observe` gave it, for the layers within.
#[derive(Clone)]
struct RequestId(String);

/// Gives the request an id (its `X-Request-ID` or a new one) and logs one
/// line per response; an unknown method is a 405 here. What a caller sends
/// is logged capped and quoted; metric labels come only from fixed sets.
pub async fn observe<E: Endpoint>(
    next: E,
    req: Request,
    metrics: Arc<Metrics>,
    trusted_proxies: Arc<[IpNet]>,
) -> Result<Response> {
    let _in_flight = metrics.start_request();
    let request_id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|id| !id.is_empty() && id.len() <= MAX_REQUEST_ID_LEN)
        .map(str::to_owned)
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let method = method_label(req.method());
    let path = req.uri().path().to_owned();
    let peer = req.remote_addr().as_socket_addr().map(|addr| addr.ip());
    let client = peer.map(|peer| client_address(peer, req.headers(), &trusted_proxies));
    let span = tracing::info_span!("request", request_id = ?request_id);
    let started = Instant::now();

    let mut response = if method == OTHER_METHOD {
        error_response(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
    } else {
        let mut req = req;
        req.extensions_mut().insert(RequestId(request_id.clone()));
        match next.call(req).instrument(span.clone()).await {
            Ok(response) => response.into_response(),
            Err(err) => err.into_response(),
        }
    };

    let elapsed = started.elapsed();
    let route = metrics.route_of(&response);
    let status = response.status().as_u16();
    metrics.observe(
        RequestLabels {
            method,
            // Never the raw path: one series per route, not per id.
            route: route.clone().unwrap_or_else(|| UNMATCHED.into()),
            status,
        },
        elapsed,
    );
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    let latency_ms = milliseconds(elapsed);
    let (client, peer) = (Shown(client), Shown(peer));
    match route {
        Some(route) => tracing::info!(
            parent: &span,
            method, route, status, latency_ms, %client, %peer,
            "request"
        ),
        None => tracing::info!(
            parent: &span,
            method, route = UNMATCHED, path = ?truncated(&path, MAX_LOGGED_PATH_CHARS),
            status, latency_ms, %client, %peer,
            "request"
        ),
    }
    Ok(response)
}

const UNMATCHED: &str = "unmatched";

/// A duration in milliseconds with at most three decimals (whole
/// microseconds), so that the log shows `3.947`, not `3.9471879999999997`.
fn milliseconds(elapsed: Duration) -> f64 {
    elapsed.as_micros() as f64 / 1000.0
}

/// An address for the log, or `unknown`.
struct Shown(Option<IpAddr>);

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(addr) => addr.fmt(f),
            None => f.write_str("unknown"),
        }
    }
}

/// The caller's address: from the peer back through `X-Forwarded-For`, the
/// first address that is not a trusted proxy (the peer itself when it is
/// not one, or none is configured).
fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |addr: &IpAddr| trusted.iter().any(|block| block.contains(addr));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    for hop in forwarded.iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(addr) => {
                client = addr;
                if !is_trusted(&addr) {
                    break;
                }
            }
            // Not an address: whoever wrote it is not to be believed further.
            Err(_) => break,
        }
    }
    client
}

/// At most `max` characters of `text`.
fn truncated(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(end, _)| &text[..end])
}

/// `GET /`, a newcomer's first request, is sent to Swagger UI. (A route at
/// `/` beside the API nested at `/` is never reached: the nest takes it.)
pub async fn docs_at_root<E: Endpoint>(next: E, req: Request) -> Result<Response> {
    if req.uri().path() == "/" && matches!(*req.method(), Method::GET | Method::HEAD) {
        return Ok(poem::web::Redirect::temporary("/docs").into_response());
    }
    next.call(req).await.map(IntoResponse::into_response)
}

/// A body's fields that its operation does not know are ignored, as the
/// contract says, and named in one `Warning` header each (`Body` collects
/// them); with `Prefer: handling=strict` `Body` refuses them instead.
pub async fn warn_unknown_fields<E: Endpoint>(next: E, mut req: Request) -> Result<Response> {
    let strict = explain::prefers_strict(req.headers());
    let unknown = explain::UnknownFields::default();
    req.extensions_mut().insert(unknown.clone());
    let mut response = next.call(req).await?.into_response();
    if strict {
        response.headers_mut().insert(
            "preference-applied",
            HeaderValue::from_static("handling=strict"),
        );
    }
    let ignored = unknown
        .0
        .lock()
        .map(|names| names.clone())
        .unwrap_or_default();
    let named = ignored.iter().take(explain::MAX_NAMED);
    let more = ignored.len().saturating_sub(explain::MAX_NAMED);
    let texts = named
        .map(|name| format!("unknown field {name:?}"))
        .chain((more > 0).then(|| format!("{more} more unknown fields")));
    for text in texts {
        if let Ok(value) = HeaderValue::from_str(&explain::warning(&text)) {
            response.headers_mut().append("warning", value);
        }
    }
    Ok(response)
}

/// Refuses bodies over [`MAX_BODY_BYTES`] with 413, announced or chunked,
/// after reading and dropping the rest (up to [`MAX_DISCARDED_BYTES`]) so
/// that a client still sending gets the 413, not a reset connection.
pub async fn limit_body<E: Endpoint>(next: E, mut req: Request) -> Result<E::Output> {
    // No operation reads the body of these: it is left unread, not refused.
    if matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::DELETE | Method::OPTIONS
    ) {
        return next.call(req).await;
    }
    let announced = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = Refusal::PayloadTooLarge {
        limit: MAX_BODY_BYTES,
    };
    // A client waiting for `100 Continue` has sent nothing yet: it is told
    // now, and is never asked to send what would be refused.
    let expects_continue = req
        .headers()
        .get(EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if expects_continue && announced.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return Err(too_large.into());
    }
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
    drain(reader).await;
    Err(too_large.into())
}

/// Reads and drops what a refused body still sends, up to
/// [`MAX_DISCARDED_BYTES`], until it ends or pauses for [`DRAIN_PAUSE`]: a
/// client that announced more than it sends is answered all the same.
async fn drain(reader: impl tokio::io::AsyncRead + Unpin) {
    let mut reader = reader.take(MAX_DISCARDED_BYTES);
    let mut chunk = vec![0u8; 16 * 1024];
    while let Ok(Ok(read)) = tokio::time::timeout(DRAIN_PAUSE, reader.read(&mut chunk)).await {
        if read == 0 {
            break;
        }
    }
}

/// Refuses a query string that is not UTF-8 once percent-decoded: read
/// lossily, `search=%ff` would quietly look for U+FFFD.
pub async fn require_utf8_query<E: Endpoint>(next: E, req: Request) -> Result<E::Output> {
    let query = req.uri().query().unwrap_or_default();
    if query.contains('%') && percent_decode_str(query).decode_utf8().is_err() {
        return Err(Refusal::QueryNotUtf8.into());
    }
    next.call(req).await
}

/// Answers 503 when a request, body included, takes longer than `limit`:
/// a slow client or a stuck database cannot hold a worker for ever.
pub async fn time_limit<E: Endpoint>(next: E, req: Request, limit: Duration) -> Result<E::Output> {
    let limit = limit + held_for(&req);
    match tokio::time::timeout(limit, next.call(req)).await {
        Ok(result) => result,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis() as u64, "request timed out");
            Err(Refusal::TimedOut(limit).into())
        }
    }
}

/// How long `GET /events?wait=N` may be held on top of the time limit: N
/// seconds, at most the longest wait the API allows.
fn held_for(req: &Request) -> Duration {
    if !req.uri().path().trim_end_matches('/').ends_with("/events") {
        return Duration::ZERO;
    }
    let wait = url::form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "wait")
        .and_then(|(_, value)| value.parse::<u64>().ok())
        .unwrap_or(0);
    Duration::from_secs(wait.min(crate::api::events::MAX_WAIT_SECS))
}

/// Runs an API request to its end in a task of its own: dropped halfway, it
/// could leave a `BEGIN` on a pooled connection (docs/design.md, "Notes on
/// the code"). Only a database that stops answering stops it, with a 503.
pub async fn while_database_answers<E: Endpoint + 'static>(
    next: E,
    req: Request,
    database: Reachability,
) -> Result<E::Output> {
    if !req.uri().path().starts_with(BASE_PATH) {
        return next.call(req).await;
    }
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    let request = REQUEST_ID.scope(request_id, async move {
        database.unless_lost(next.call(req)).await
    });
    match tokio::spawn(request.in_current_span()).await {
        Ok(Ok(output)) => output,
        Ok(Err(lost)) => Err(Error::Unavailable(Box::new(lost)).into()),
        Err(failed) => Err(Error::Internal(Box::new(failed)).into()),
    }
}

/// Requires `Authorization: Bearer <token>` on every operation of the API
/// (not on `/healthz` or the documentation) when tokens are configured.
pub async fn require_token<E: Endpoint>(
    next: E,
    req: Request,
    tokens: Arc<[SecretString]>,
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
        let matched = tokens.iter().fold(0u8, |found, token| {
            found
                | presented
                    .as_bytes()
                    .ct_eq(token.expose_secret().as_bytes())
                    .unwrap_u8()
        });
        if matched == 0 {
            return Err(Refusal::Unauthorized.into());
        }
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.5".parse().expect("ip");
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let headers = forwarded("6.6.6.6, 203.0.113.7, 10.0.0.9");
        // Through two trusted hops: the last untrusted address.
        assert_eq!(
            client_address(proxy, &headers, &trusted),
            "203.0.113.7".parse::<IpAddr>().expect("ip")
        );
        // No trusted proxies, or a peer that is not one: the peer.
        assert_eq!(client_address(proxy, &headers, &[]), proxy);
        let stranger: IpAddr = "198.51.100.1".parse().expect("ip");
        assert_eq!(client_address(stranger, &headers, &trusted), stranger);
        // Garbage in the chain stops the walk at the hop that wrote it.
        let forged = forwarded("203.0.113.7 status=204, 10.0.0.9");
        assert_eq!(
            client_address(proxy, &forged, &trusted),
            "10.0.0.9".parse::<IpAddr>().expect("ip")
        );
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(truncated("héllo", 2), "hé");
        assert_eq!(truncated("abc", 10), "abc");
    }

    #[test]
    fn latency_has_at_most_three_decimals() {
        let shown = milliseconds(Duration::from_nanos(3_947_187_999)).to_string();
        assert_eq!(shown, "3947.187");
        assert_eq!(
            milliseconds(Duration::from_nanos(3_947_188)).to_string(),
            "3.947"
        );
    }
}
