//! Webhooks: a project's receivers of the change feed, and the deliveries
//! of its events to them.

use chrono::{DateTime, Utc};
use strum::{EnumString, IntoStaticStr, VariantArray};
use uuid::Uuid;

use super::{Error, EventType, Text};

/// The webhooks one project may have.
pub const MAX_WEBHOOKS_PER_PROJECT: u64 = 100;
/// A webhook whose deliveries failed this many times in a row is disabled.
pub const DISABLE_AFTER_FAILURES: i32 = 100;
/// The type of the event a ping delivers.
pub const PING_EVENT_TYPE: &str = "webhook.ping";

/// A webhook as stored. Its secret is read only to sign deliveries.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub id: Uuid,
    pub project_id: Uuid,
    pub url: String,
    pub event_types: Vec<EventType>,
    pub description: String,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A webhook's URL, as a caller may give it: http or https, a host, no
/// credentials, at most 2,048 characters. Whether its host is public is
/// asked when it is registered and at each delivery.
#[derive(Debug, Clone)]
pub struct WebhookUrl(url::Url);

impl WebhookUrl {
    pub const MAX_LEN: usize = 2048;

    pub fn parse(text: &str) -> Result<Self, Error> {
        if text.len() > Self::MAX_LEN {
            return Err(Error::invalid(format!(
                "url: must be at most {} characters",
                Self::MAX_LEN
            )));
        }
        // The parser would write a NUL as %00; the contract refuses it.
        if text.contains('\0') {
            return Err(Error::invalid("url: must not contain NUL characters"));
        }
        let url = url::Url::parse(text)
            .map_err(|err| Error::invalid(format!("url: not a URL ({err})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::invalid("url: must be http or https"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::invalid("url: must not carry credentials"));
        }
        if url.host().is_none() {
            return Err(Error::invalid("url: must name a host"));
        }
        Ok(WebhookUrl(url))
    }

    pub fn url(&self) -> &url::Url {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// A webhook to register; without event types it receives them all.
#[derive(Debug)]
pub struct NewWebhook {
    pub url: WebhookUrl,
    pub event_types: Option<Vec<EventType>>,
    pub description: Option<Text<0, 500>>,
}

/// Changes to a webhook; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct WebhookChanges {
    pub url: Option<WebhookUrl>,
    pub event_types: Option<Vec<EventType>>,
    pub description: Option<Text<0, 500>>,
    /// `true` also forgets the failures that disabled it.
    pub enabled: Option<bool>,
}

impl WebhookChanges {
    /// Whether no field is given: such a PATCH writes nothing.
    pub fn is_empty(&self) -> bool {
        self.url.is_none()
            && self.event_types.is_none()
            && self.description.is_none()
            && self.enabled.is_none()
    }
}

/// Event types as a webhook keeps them: each once, in the feed's order;
/// none given is an error (a webhook that receives nothing).
pub fn event_types(given: Option<Vec<EventType>>) -> Result<Vec<EventType>, Error> {
    let Some(given) = given else {
        return Ok(EventType::VARIANTS.to_vec());
    };
    if given.is_empty() {
        return Err(Error::invalid(
            "event_types: must name at least one type (omit it for all)",
        ));
    }
    Ok(EventType::VARIANTS
        .iter()
        .copied()
        .filter(|t| given.contains(t))
        .collect())
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Succeeded,
    Failed,
}

/// One event's delivery to one webhook, and what its attempts did.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event_id: String,
    pub event_type: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub response_status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// A delivery to make: one event, its body as every attempt sends it.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    pub created_at: DateTime<Utc>,
    /// Set when the process that writes it attempts it at once.
    pub lease_until: Option<DateTime<Utc>>,
}

/// A delivery leased for an attempt, with what the attempt needs.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event_id: String,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i32,
    pub url: String,
    pub secret: String,
    /// The webhook's deliveries that failed in a row, when it was leased.
    pub failures_in_a_row: i32,
}

/// What one attempt did, to record under the lease it was made with.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    pub id: Uuid,
    pub lease_until: DateTime<Utc>,
    pub status: DeliveryStatus,
    pub response_status: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// A delivery leased until `until`, with what its attempt needs.
#[derive(Debug, Clone)]
pub struct LeasedDelivery {
    pub delivery: DueDelivery,
    pub until: DateTime<Utc>,
}

/// A webhook as the fan-out sees it: whose events it takes, since when,
/// and what an attempt of the deliveries it leases at once needs.
#[derive(Debug, Clone)]
pub struct Subscriber {
    pub id: Uuid,
    pub project_id: Uuid,
    pub event_types: Vec<EventType>,
    pub created_at: DateTime<Utc>,
    pub url: String,
    pub secret: String,
    pub failures_in_a_row: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_http_with_a_host_and_no_credentials() {
        assert!(WebhookUrl::parse("https://hooks.example.com/in?x=1").is_ok());
        assert!(WebhookUrl::parse("http://127.0.0.1:9/").is_ok());
        for bad in [
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "https://user@example.com/",
            "not a url",
            "file:///etc/passwd",
            "https://example.com/x\0y",
        ] {
            let err = WebhookUrl::parse(bad).unwrap_err().to_string();
            assert!(err.starts_with("url: "), "{bad}: {err}");
        }
        let long = format!("https://example.com/{}", "a".repeat(2048));
        assert!(WebhookUrl::parse(&long).is_err());
    }

    #[test]
    fn event_types_default_to_all_and_keep_the_feed_order() {
        assert_eq!(event_types(None).unwrap().len(), 8);
        let picked = event_types(Some(vec![EventType::AliasSet, EventType::ModelCreated]));
        assert_eq!(
            picked.unwrap(),
            [EventType::ModelCreated, EventType::AliasSet]
        );
        assert!(event_types(Some(vec![])).is_err());
    }
}
