//! The change feed's vocabulary: what an event is, where a reader stands
//! in the feed (a cursor), and what it asks for.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use uuid::Uuid;

use strum::{EnumString, IntoStaticStr, VariantArray};

use super::paging::tag;

/// The kinds of change, with their wire names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
pub enum EventType {
    #[strum(serialize = "model.created")]
    ModelCreated,
    #[strum(serialize = "model.updated")]
    ModelUpdated,
    #[strum(serialize = "model.deleted")]
    ModelDeleted,
    #[strum(serialize = "version.created")]
    VersionCreated,
    #[strum(serialize = "version.updated")]
    VersionUpdated,
    #[strum(serialize = "version.deleted")]
    VersionDeleted,
    #[strum(serialize = "alias.set")]
    AliasSet,
    #[strum(serialize = "alias.deleted")]
    AliasDeleted,
}

/// An event to append, in the transaction of the change it announces.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_type: EventType,
    pub project_id: Uuid,
    pub model_id: Uuid,
    pub version_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    pub request_id: String,
    /// The resource as the API answers it after the change (for a delete,
    /// as it was).
    pub data: Value,
    /// `{"field": {"from": x, "to": y}}` for an update, else `None`.
    pub changes: Option<Value>,
}

/// An update's `changes`: the top-level fields that differ as `{"from",
/// "to"}`, `updated_at` aside; `None` when nothing else differs (a write
/// that changes nothing announces nothing).
pub fn changed_fields(before: &Value, after: &Value) -> Option<Value> {
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else {
        return None;
    };
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let changed = keys
        .into_iter()
        .filter(|key| key.as_str() != "updated_at")
        .filter_map(|key| {
            let (from, to) = (before.get(key), after.get(key));
            (from != to).then(|| {
                let pair = serde_json::json!({
                    "from": from.cloned().unwrap_or(Value::Null),
                    "to": to.cloned().unwrap_or(Value::Null),
                });
                (key.clone(), pair)
            })
        })
        .collect::<Map<String, Value>>();
    (!changed.is_empty()).then_some(Value::Object(changed))
}

/// A committed event, as a reader gets it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub position: FeedPosition,
    pub event: NewEvent,
}

/// A place in the feed: every event of a project after it is later in the
/// feed. `txid` orders transactions by when they could first write (their
/// lock on the model); `id` orders one transaction's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct FeedPosition {
    pub txid: i64,
    pub id: i64,
}

/// Bytes of a cursor's tag: an altered cursor, or another project's, is
/// never taken for valid by chance.
const CURSOR_TAG_LEN: usize = 12;
const CURSOR_BODY_LEN: usize = 16;

impl FeedPosition {
    /// The opaque cursor of this position in `project`'s feed.
    pub fn cursor(self, project: Uuid) -> String {
        let body = self.body();
        let mut token = tag(&cursor_scope(project), &body, CURSOR_TAG_LEN);
        token.extend_from_slice(&body);
        URL_SAFE_NO_PAD.encode(token)
    }

    /// The position a cursor of `project` names; `None` for anything else.
    pub fn of_cursor(cursor: &str, project: Uuid) -> Option<FeedPosition> {
        let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
        if bytes.len() != CURSOR_TAG_LEN + CURSOR_BODY_LEN {
            return None;
        }
        let (given, body) = bytes.split_at(CURSOR_TAG_LEN);
        (given == tag(&cursor_scope(project), body, CURSOR_TAG_LEN)).then_some(())?;
        let (txid, id) = body.split_at(8);
        Some(FeedPosition {
            txid: i64::from_be_bytes(txid.try_into().ok()?),
            id: i64::from_be_bytes(id.try_into().ok()?),
        })
    }

    fn body(self) -> [u8; CURSOR_BODY_LEN] {
        let mut body = [0; CURSOR_BODY_LEN];
        body[..8].copy_from_slice(&self.txid.to_be_bytes());
        body[8..].copy_from_slice(&self.id.to_be_bytes());
        body
    }
}

fn cursor_scope(project: Uuid) -> String {
    format!("events {project}")
}

/// What a reader asks of the feed.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// `None`: from the oldest event kept.
    pub after: Option<FeedPosition>,
    pub limit: u64,
    /// Only these types; all when empty.
    pub types: Vec<EventType>,
    pub model_id: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_names_its_position_in_its_own_project_only() {
        let (project, other) = (Uuid::new_v4(), Uuid::new_v4());
        let position = FeedPosition { txid: 42, id: 7 };
        let cursor = position.cursor(project);
        assert_eq!(FeedPosition::of_cursor(&cursor, project), Some(position));
        assert_eq!(FeedPosition::of_cursor(&cursor, other), None);
        let mut altered = cursor.into_bytes();
        altered[3] = if altered[3] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap_or_default();
        assert_eq!(FeedPosition::of_cursor(&altered, project), None);
        assert_eq!(FeedPosition::of_cursor("", project), None);
    }

    #[test]
    fn an_update_lists_what_changed_and_nothing_when_nothing_did() {
        let before = serde_json::json!({"a": 1, "b": "x", "updated_at": "2026-01-01T00:00:00Z"});
        let after = serde_json::json!({"a": 2, "b": "x", "updated_at": "2026-01-02T00:00:00Z"});
        assert_eq!(
            changed_fields(&before, &after),
            Some(serde_json::json!({"a": {"from": 1, "to": 2}}))
        );
        let same = serde_json::json!({"a": 1, "b": "x", "updated_at": "2026-01-03T00:00:00Z"});
        assert_eq!(changed_fields(&before, &same), None);
    }

    #[test]
    fn types_have_their_wire_names() {
        use crate::domain::Spelled;
        for &t in EventType::all() {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse("model.renamed"), None);
        assert_eq!(EventType::AliasSet.as_str(), "alias.set");
    }
}
