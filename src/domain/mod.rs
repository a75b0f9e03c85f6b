//! The registry's own vocabulary, shared by every layer and importing none
//! of them (no poem, no sea-orm): the enums, the values a request is parsed
//! into (names, bounded texts, labels, tags, filters), the commands (a new
//! model, changes to a version), the records the registry answers, one
//! [`PageBounds`], and the one [`Error`].
//!
//! The API parses a request into these values once, and nothing below
//! checks them again: a `Name` or a `Text` made from a request can only
//! hold a valid value. (The store makes them from rows as they are, with
//! `Text::stored`: what is stored is shown, not judged.)

mod aliases;
mod enums;
mod error;
mod events;
mod models;
mod paging;
mod values;
mod versions;
mod webhooks;

pub use aliases::{Alias, AliasName, AliasedVersion, MAX_ALIASES_PER_MODEL};
pub use enums::{
    DeploymentStatus, ModelSortBy, SortOrder, Spelled, State, VersionSortBy, VersionStatus,
};
pub use error::{BoxError, Error, Resource};
pub use events::{Event, EventQuery, EventType, FeedPosition, NewEvent, changed_fields};
pub use models::{Model, ModelChanges, ModelFilter, ModelLookup, ModelQuery, NewModel};
pub use paging::{
    Cursor, DEFAULT_LIMIT, ListScope, Listing, MAX_LIMIT, Page, PageBounds, PageRequest, SortKind,
    SortValue,
};
pub use values::{
    LabelFilter, LabelKey, Labels, ModelTypeQuery, Name, NameQuery, TAG_ARRAYS, TagFilter, Tags,
    Text,
};
pub use versions::{
    NewVersion, Version, VersionChanges, VersionFilter, VersionLookup, VersionQuery,
};
pub use webhooks::{
    AttemptRecord, DISABLE_AFTER_FAILURES, Delivery, DeliveryStatus, DueDelivery, LeasedDelivery,
    MAX_WEBHOOKS_PER_PROJECT, NewDelivery, NewWebhook, PING_EVENT_TYPE, Subscriber, Webhook,
    WebhookChanges, WebhookUrl, event_types,
};
