//! One attempt of a delivery: a signed POST that follows no redirect, in
//! at most `WEBHOOK_TIMEOUT_MS`, reading at most 64 KiB of the answer,
//! only ever to an address the policy permits.

use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use reqwest::{
    dns::{Addrs, Name, Resolve, Resolving},
    header::CONTENT_TYPE,
    redirect,
};

use super::{AddressPolicy, Unreachable, sign};

/// Bytes of a receiver's answer read, at most.
const MAX_ANSWER: usize = 64 * 1024;
/// Characters of an attempt's error kept.
const MAX_ERROR: usize = 500;

/// What became of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx.
    Succeeded,
    /// A connection error, a timeout or any answer but a 2xx (a redirect
    /// is not followed): tried again while attempts remain.
    Retry,
    /// An address the policy refuses: no attempt can reach it.
    Failed,
}

/// An attempt's result, as the delivery log shows it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub outcome: Outcome,
    pub response_status: Option<u16>,
    pub error: Option<String>,
    pub duration: Duration,
}

/// Sends attempts, sharing connections between them.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    policy: AddressPolicy,
}

impl Sender {
    pub fn new(policy: AddressPolicy, timeout: Duration) -> Result<Self, String> {
        // Once per process; a second call finds it installed, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(redirect::Policy::none())
            .timeout(timeout)
            .dns_resolver(Arc::new(PermittedOnly(policy.clone())))
            .user_agent(concat!(
                "model-registry-webhooks/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|err| format!("the webhook client: {err}"))?;
        Ok(Sender { client, policy })
    }

    /// POSTs `body` to `url`, signed with `secret` for the event `id`.
    pub async fn send(&self, url: &str, secret: &str, id: &str, body: &str) -> Attempt {
        let started = Instant::now();
        let failed = |error: String| Attempt {
            outcome: Outcome::Failed,
            response_status: None,
            error: Some(bounded(error)),
            duration: started.elapsed(),
        };
        let Ok(parsed) = url::Url::parse(url) else {
            return failed(format!("url: not a URL: {url}"));
        };
        // A literal address is never resolved: the policy is asked here.
        if let Some(url::Host::Ipv4(ip)) = parsed.host() {
            if !self.policy.permits(ip.into()) {
                return failed(format!("url: {ip} is not a public address"));
            }
        } else if let Some(url::Host::Ipv6(ip)) = parsed.host()
            && !self.policy.permits(ip.into())
        {
            return failed(format!("url: {ip} is not a public address"));
        }
        let timestamp = chrono::Utc::now().timestamp();
        let signature = match sign(secret, id, timestamp, body.as_bytes()) {
            Ok(signature) => signature,
            Err(err) => return failed(err),
        };
        let request = self
            .client
            .post(parsed)
            .header(CONTENT_TYPE, "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body.to_owned());
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(err) => {
                let refused = refusal(&err);
                return Attempt {
                    outcome: if refused.is_some() {
                        Outcome::Failed
                    } else {
                        Outcome::Retry
                    },
                    response_status: None,
                    error: Some(bounded(refused.unwrap_or_else(|| describe(&err)))),
                    duration: started.elapsed(),
                };
            }
        };
        let status = response.status();
        let mut read = 0;
        while read < MAX_ANSWER {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                _ => break,
            }
        }
        let outcome = if status.is_success() {
            Outcome::Succeeded
        } else {
            Outcome::Retry
        };
        let error = (outcome != Outcome::Succeeded).then(|| {
            if status.is_redirection() {
                format!("answered {status}; redirects are not followed")
            } else {
                format!("answered {status}")
            }
        });
        Attempt {
            outcome,
            response_status: Some(status.as_u16()),
            error,
            duration: started.elapsed(),
        }
    }
}

/// The error, with its causes, in one line.
fn describe(err: &reqwest::Error) -> String {
    let mut text = if err.is_timeout() {
        "timed out".to_owned()
    } else if err.is_connect() {
        "could not connect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The policy's refusal, when that is why the request failed (a name that
/// does not resolve is worth trying again; a refused address is not).
fn refusal(err: &reqwest::Error) -> Option<String> {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(Unreachable::NotPublic(why)) = cause.downcast_ref::<Unreachable>() {
            return Some(format!("url: {why}"));
        }
        source = cause.source();
    }
    None
}

fn bounded(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_ERROR) {
        text.truncate(cut);
    }
    text
}

/// Resolves names to the permitted addresses only: the checked addresses
/// are the ones connected to, so a name cannot change between the two.
struct PermittedOnly(AddressPolicy);

impl Resolve for PermittedOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let found: Vec<SocketAddr> = policy
                .resolve(name.as_str(), 0)
                .await
                .map_err(|err| Box::new(err) as Box<dyn std::error::Error + Send + Sync>)?;
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}
