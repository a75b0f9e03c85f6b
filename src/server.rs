//! The HTTP/1.1 server under the application: hyper serving the poem
//! endpoint, with the limits a public service needs and poem's own server
//! does not offer.
//!
//! - A request head must arrive within `head_timeout` of the connection's
//!   opening (of its first byte, for a later request on a kept-alive
//!   connection); a connection is closed after `idle_timeout` without a
//!   byte either way.
//! - At most `max_connections` are open; a connection beyond them is
//!   answered 503 and closed, counted and logged.
//! - The errors hyper answers by itself (a malformed head, 414, 431) leave
//!   as the same JSON errors the application sends, and are logged.

use std::{
    convert::Infallible,
    future::Future,
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use hyper::{rt::Sleep, server::conn::http1, service::service_fn};
use hyper_util::rt::TokioIo;
use poem::{
    Addr, Endpoint, EndpointExt, Request,
    endpoint::BoxEndpoint,
    http::{StatusCode, uri::Scheme},
    web::{LocalAddr, RemoteAddr},
};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{Semaphore, watch},
    task::JoinSet,
};

use crate::{
    api::error::error_json,
    metrics::{Metrics, OTHER_METHOD, RequestLabels},
};

/// The connection limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub head_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub shutdown_timeout: Duration,
}

/// Connections refused beyond the cap that are still being answered; more
/// are dropped without an answer.
const MAX_REFUSALS_IN_FLIGHT: usize = 64;
/// How often, at most, reaching the connection cap is logged.
const CAP_LOG_INTERVAL: Duration = Duration::from_secs(1);
/// Files kept for everything but client connections: the database pool,
/// the SQLite files, the listener, standard streams.
const FILES_FOR_THE_REST: usize = 64;

/// The connection cap the process can keep: the configured one, or less
/// when the open-file limit would run out first (and accepting would fail
/// instead of answering 503).
fn connection_cap(configured: usize) -> usize {
    let Some(files) = open_file_limit() else {
        return configured;
    };
    let possible = files.saturating_sub(FILES_FOR_THE_REST).max(1);
    if possible < configured {
        tracing::warn!(
            max_connections = configured,
            open_file_limit = files,
            lowered_to = possible,
            "the open-file limit is below SERVER_MAX_CONNECTIONS; the cap is lowered"
        );
        return possible;
    }
    configured
}

/// The soft limit on open files, where the system tells it (Linux).
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Serves `endpoint` on `listener` until `shutdown` completes; then stops
/// accepting, lets open requests finish for up to `shutdown_timeout` and
/// closes what is left.
pub async fn serve(
    listener: TcpListener,
    endpoint: impl Endpoint + 'static,
    limits: Limits,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let endpoint: Arc<BoxEndpoint<'static>> = Arc::new(endpoint.map_to_response().boxed());
    let local = listener.local_addr()?;
    let max_connections = connection_cap(limits.max_connections);
    let slots = Arc::new(Semaphore::new(max_connections));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS_IN_FLIGHT));
    let mut cap_log = CapLog::default();
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(err) => {
                // Out of file descriptors, say: wait rather than spin.
                tracing::warn!(error = %err, "accepting a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            metrics.connection_refused();
            cap_log.reached(max_connections);
            if let Ok(permit) = refusals.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    refuse(stream).await;
                    drop(permit);
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            stream,
            peer,
            local,
            endpoint: endpoint.clone(),
            metrics: metrics.clone(),
            limits,
            stopping: stopping.clone(),
        };
        connections.spawn(async move {
            let _open = connection.metrics.connection_opened();
            connection.serve().await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(limits.shutdown_timeout, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.len(),
            "shutdown timeout reached; closing the connections still open"
        );
        connections.abort_all();
    }
    Ok(())
}

/// Logs reaching the cap at most once per [`CAP_LOG_INTERVAL`], with how
/// many connections were refused since the last line.
#[derive(Default)]
struct CapLog {
    last: Option<Instant>,
    refused_since: u64,
}

impl CapLog {
    fn reached(&mut self, cap: usize) {
        self.refused_since += 1;
        if self
            .last
            .is_none_or(|last| last.elapsed() >= CAP_LOG_INTERVAL)
        {
            tracing::warn!(
                max_connections = cap,
                refused = self.refused_since,
                "connection limit reached; refusing new connections"
            );
            self.last = Some(Instant::now());
            self.refused_since = 0;
        }
    }
}

/// Answers a connection over the cap with a JSON 503 and closes it; reads
/// (and drops) what the client sent meanwhile, briefly, so that the close
/// does not reset the connection before the answer is read.
async fn refuse(mut stream: TcpStream) {
    let answer = error_response_bytes(
        StatusCode::SERVICE_UNAVAILABLE,
        "too many open connections; try again later",
    );
    let refused = async {
        stream.write_all(&answer).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        io::Result::Ok(())
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), refused).await;
}

/// A whole HTTP/1.1 error response, as the application would send it.
fn error_response_bytes(status: StatusCode, message: &str) -> Vec<u8> {
    let body = error_json(status, message);
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json; charset=utf-8\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len(),
    )
    .into_bytes()
}

struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    local: SocketAddr,
    endpoint: Arc<BoxEndpoint<'static>>,
    metrics: Arc<Metrics>,
    limits: Limits,
    stopping: watch::Receiver<bool>,
}

impl Connection {
    async fn serve(self) {
        let Connection {
            stream,
            peer,
            local,
            endpoint,
            metrics,
            limits,
            mut stopping,
        } = self;
        let activity = Arc::new(Activity::new());
        let io = WatchedIo {
            inner: stream,
            activity: activity.clone(),
            peer,
            metrics,
            pending: Vec::new(),
        };
        let service = service_fn(move |req| {
            let endpoint = endpoint.clone();
            async move {
                let req = Request::from((
                    req,
                    LocalAddr(Addr::from(local)),
                    RemoteAddr(Addr::from(peer)),
                    Scheme::HTTP,
                ));
                let response = endpoint.get_response(req).await;
                Ok::<_, Infallible>(hyper::Response::from(response))
            }
        });
        let connection = http1::Builder::new()
            .timer(HeadTimer {
                activity: activity.clone(),
                head_timeout: limits.head_timeout,
            })
            // The deadline itself is [`HeadSleep`]'s: from the head's first byte.
            .header_read_timeout(limits.head_timeout)
            .serve_connection(TokioIo::new(io), service);
        tokio::pin!(connection);
        tokio::select! {
            _ = connection.as_mut() => return,
            () = activity.idle_for(limits.idle_timeout) => return,
            _ = stopping.wait_for(|stop| *stop) => {}
        }
        connection.as_mut().graceful_shutdown();
        tokio::select! {
            _ = connection => {}
            () = activity.idle_for(limits.idle_timeout) => {}
        }
    }
}

/// When a connection last read or wrote, and how much it has read: what
/// the idle and head deadlines are measured from.
struct Activity {
    started: Instant,
    /// Nanoseconds after `started` of the last read or write.
    last: AtomicU64,
    /// Nanoseconds after `started` of the last read.
    last_read: AtomicU64,
    reads: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Activity {
            started: Instant::now(),
            last: AtomicU64::new(0),
            last_read: AtomicU64::new(0),
            reads: AtomicU64::new(0),
        }
    }

    fn since_start(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn read(&self) {
        let now = self.since_start();
        self.last.store(now, Ordering::Relaxed);
        self.last_read.store(now, Ordering::Relaxed);
        self.reads.fetch_add(1, Ordering::Relaxed);
    }

    fn wrote(&self) {
        self.last.store(self.since_start(), Ordering::Relaxed);
    }

    fn at(&self, nanos: &AtomicU64) -> Instant {
        self.started + Duration::from_nanos(nanos.load(Ordering::Relaxed))
    }

    /// Completes once nothing has been read or written for `limit`.
    async fn idle_for(&self, limit: Duration) {
        loop {
            let deadline = self.at(&self.last) + limit;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline.into()).await;
        }
    }
}

/// hyper's timer for the head deadline: from a new connection's start, and
/// on a keep-alive connection from the next head's first byte, so that a
/// quiet connection is the idle timeout's business and a slow head this one's.
struct HeadTimer {
    activity: Arc<Activity>,
    head_timeout: Duration,
}

impl hyper::rt::Timer for HeadTimer {
    fn sleep(&self, _: Duration) -> Pin<Box<dyn Sleep>> {
        self.head_sleep()
    }

    fn sleep_until(&self, _: std::time::Instant) -> Pin<Box<dyn Sleep>> {
        self.head_sleep()
    }
}

impl HeadTimer {
    fn head_sleep(&self) -> Pin<Box<dyn Sleep>> {
        let reads_before = self.activity.reads.load(Ordering::Relaxed);
        // On a kept-alive connection the deadline is armed at the head's
        // first byte (see `poll`); most heads arrive whole before that.
        let sleep = (reads_before == 0).then(|| {
            Box::pin(tokio::time::sleep_until(
                (self.activity.started + self.head_timeout).into(),
            ))
        });
        Box::pin(HeadSleep {
            activity: self.activity.clone(),
            head_timeout: self.head_timeout,
            reads_before,
            sleep,
        })
    }
}

struct HeadSleep {
    activity: Arc<Activity>,
    head_timeout: Duration,
    reads_before: u64,
    /// The deadline, once armed.
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Sleep for HeadSleep {}

impl Future for HeadSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let sleep = match &mut this.sleep {
            Some(sleep) => sleep,
            None => {
                // hyper polls this after every read that leaves the head
                // incomplete, so the first read after the wait began is
                // seen here (and nothing needs waking before it).
                if this.activity.reads.load(Ordering::Relaxed) == this.reads_before {
                    return Poll::Pending;
                }
                let deadline = this.activity.at(&this.activity.last_read) + this.head_timeout;
                this.sleep
                    .insert(Box::pin(tokio::time::sleep_until(deadline.into())))
            }
        };
        sleep.as_mut().poll(cx)
    }
}

/// The socket as hyper sees it: notes activity, and turns hyper's own
/// bodiless error answers into the service's JSON errors.
struct WatchedIo {
    inner: TcpStream,
    activity: Arc<Activity>,
    peer: SocketAddr,
    metrics: Arc<Metrics>,
    /// A replacement answer not yet fully written.
    pending: Vec<u8>,
}

impl WatchedIo {
    /// hyper's automatic answer to a head it cannot take: its status, when
    /// `bytes` begin one. The application's answers always have a
    /// content type; these never do.
    fn automatic_error(bytes: &[u8]) -> Option<StatusCode> {
        let head = bytes.strip_prefix(b"HTTP/1.1 ")?;
        let status = match head.get(..4)? {
            b"400 " => StatusCode::BAD_REQUEST,
            b"414 " => StatusCode::URI_TOO_LONG,
            b"431 " => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            _ => return None,
        };
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = bytes[..end].to_ascii_lowercase();
        let has = |name: &[u8]| head.windows(name.len()).any(|w| w == name);
        (has(b"\r\ncontent-length: 0") && !has(b"\r\ncontent-type:")).then_some(status)
    }

    fn replace(&mut self, status: StatusCode) {
        let message = match status {
            StatusCode::URI_TOO_LONG => "request URI is too long",
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
                "request headers are too large or too many"
            }
            _ => "malformed HTTP request",
        };
        self.metrics.observe(
            RequestLabels {
                method: OTHER_METHOD,
                route: "unmatched".into(),
                status: status.as_u16(),
            },
            Duration::ZERO,
        );
        tracing::info!(
            status = status.as_u16(),
            peer = %self.peer.ip(),
            error = message,
            "request refused before it was read"
        );
        self.pending = error_response_bytes(status, message);
    }

    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let written =
                std::task::ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending))?;
            if written == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending.drain(..written);
            self.activity.wrote();
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for WatchedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl AsyncWrite for WatchedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        std::task::ready!(self.poll_pending(cx))?;
        if let Some(status) = Self::automatic_error(buf) {
            self.replace(status);
            // The replacement is written in full before anything else.
            let _ = self.poll_pending(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if let Some(first) = bufs.iter().find(|b| !b.is_empty())
            && (Self::automatic_error(first).is_some() || !self.pending.is_empty())
        {
            return self.poll_write(cx, first);
        }
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bodiless_errors_are_replaced() {
        let hyper = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\n\
                      content-length: 0\r\ndate: Sun, 29 Nov 2026 23:47:06 GMT\r\n\r\n";
        assert_eq!(
            WatchedIo::automatic_error(hyper),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\
                     content-length: 0\r\n\r\n";
        assert_eq!(WatchedIo::automatic_error(ours), None);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(WatchedIo::automatic_error(ok), None);
        assert_eq!(WatchedIo::automatic_error(b"HTTP/1.1 400 Bad"), None);
    }

    #[test]
    fn the_cap_fits_the_open_file_limit() {
        let files = open_file_limit().expect("Linux tells the limit");
        assert_eq!(connection_cap(1), 1);
        assert_eq!(connection_cap(usize::MAX), files - FILES_FOR_THE_REST);
    }

    #[test]
    fn replacements_are_json_errors() {
        let bytes = error_response_bytes(StatusCode::URI_TOO_LONG, "request URI is too long");
        let text = String::from_utf8(bytes).expect("utf-8");
        let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{head}");
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let body: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(body["code"], "uri_too_long");
    }
}
