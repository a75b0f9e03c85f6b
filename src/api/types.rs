//! The contract's types on the wire: what a client sends and what it gets
//! back, and how the domain's values are read from and written to JSON and
//! query parameters. A request type parses into the domain's commands
//! (`From` below); a response type is made from the domain's records.

use std::{borrow::Cow, collections::BTreeMap};

use chrono::{DateTime, SecondsFormat, Utc};
use poem_openapi::{
    ApiResponse, Object,
    payload::Json,
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
};
use serde_json::Value;
use uuid::Uuid;

use crate::domain::{
    self, DeliveryStatus, DeploymentStatus, EventType, LabelFilter, Labels, ModelSortBy, Name,
    Page, SortOrder, Spelled, State, TagFilter, Text, VersionSortBy, VersionStatus,
};

/// The items of `Type` that are alike for every type read and written as
/// one JSON value (poem-openapi gives them no defaults).
macro_rules! single_value_type {
    () => {
        const IS_REQUIRED: bool = true;
        type RawValueType = Self;
        type RawElementValueType = Self;

        fn as_raw_value(&self) -> Option<&Self> {
            Some(self)
        }

        fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
            Box::new(self.as_raw_value().into_iter())
        }
    };
}

/// Describes one of the domain's closed sets as a named OpenAPI enum, read
/// and written by its spellings: what poem-openapi's `Enum` derive does,
/// for types the domain declares without depending on the HTTP framework.
macro_rules! wire_enum {
    ($name:ident, $description:literal) => {
        impl Type for $name {
            single_value_type!();

            fn name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Reference(Self::name().into_owned())
            }

            fn register(registry: &mut poem_openapi::registry::Registry) {
                registry.create_schema::<Self, _>(Self::name().into_owned(), |_| MetaSchema {
                    description: Some($description),
                    enum_items: $name::all()
                        .iter()
                        .map(|value| Value::String(value.as_str().into()))
                        .collect(),
                    ..MetaSchema::new("string")
                });
            }
        }

        impl ParseFromJSON for $name {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                let value = value.unwrap_or_default();
                match value.as_str().and_then($name::parse) {
                    Some(parsed) => Ok(parsed),
                    None => Err(ParseError::expected_type(value)),
                }
            }
        }

        impl ParseFromParameter for $name {
            fn parse_from_parameter(value: &str) -> ParseResult<Self> {
                $name::parse(value)
                    .ok_or_else(|| ParseError::custom("Expect a valid enumeration value."))
            }
        }

        impl ToJSON for $name {
            fn to_json(&self) -> Option<Value> {
                Some(Value::String(self.as_str().into()))
            }
        }
    };
}

wire_enum!(State, "Lifecycle state of a model or a version.");
wire_enum!(VersionStatus, "Readiness of a version.");
wire_enum!(DeploymentStatus, "Deployment status of a model.");
wire_enum!(ModelSortBy, "Sort keys of `GET /models`.");
wire_enum!(
    VersionSortBy,
    "Sort keys of the version and artifact lists."
);
wire_enum!(SortOrder, "Sort direction.");
wire_enum!(EventType, "The kinds of change the event feed announces.");
wire_enum!(DeliveryStatus, "Where a webhook delivery stands.");

/// A point in time, written as RFC 3339 in UTC with a `Z`
/// (`2026-02-10T04:02:51.123456Z`), as the old service wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub DateTime<Utc>);

impl Type for Timestamp {
    single_value_type!();

    fn name() -> Cow<'static, str> {
        "string_date-time".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date-time")))
    }
}

impl ParseFromJSON for Timestamp {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(s) => Ok(Timestamp(s.parse()?)),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl ToJSON for Timestamp {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(
            self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        ))
    }
}

impl Type for Name {
    single_value_type!();

    fn name() -> Cow<'static, str> {
        "string_name".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new("string");
        schema.min_length = Some(1);
        schema.max_length = Some(Self::MAX_CHARS);
        schema.pattern = Some(super::explain::NOT_BLANK.into());
        MetaSchemaRef::Inline(Box::new(schema))
    }
}

impl ParseFromJSON for Name {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(s) => Name::parse(s).map_err(ParseError::custom),
            other => Err(not_a_string(&other)),
        }
    }
}

/// "expected a string, found a number", without the value itself: it may
/// be a secret sent in the wrong shape.
fn not_a_string<T: Type>(value: &Value) -> ParseError<T> {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    ParseError::custom(format!("expected a string, found {found}"))
}

impl ToJSON for Name {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.as_str().to_owned()))
    }
}

/// A JSON string of `MIN` to `MAX` characters. Unlike poem-openapi's
/// `String`, it does not take a number or a boolean for a string: a wrong
/// JSON type is bad input.
impl<const MIN: usize, const MAX: usize> Type for Text<MIN, MAX> {
    single_value_type!();

    fn name() -> Cow<'static, str> {
        match (MIN, MAX) {
            (0, usize::MAX) => "string".into(),
            _ => format!("string({MIN}..{MAX})").into(),
        }
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new("string");
        schema.min_length = (MIN > 0).then_some(MIN);
        schema.max_length = (MAX < usize::MAX).then_some(MAX);
        MetaSchemaRef::Inline(Box::new(schema))
    }
}

impl<const MIN: usize, const MAX: usize> ParseFromJSON for Text<MIN, MAX> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(s) => Text::parse(s).map_err(ParseError::custom),
            other => Err(not_a_string(&other)),
        }
    }
}

/// Query parameters take the same checks as bodies: both databases then see
/// the same values (SQLite would cut a string at a NUL).
impl<const MIN: usize, const MAX: usize> ParseFromParameter for Text<MIN, MAX> {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Text::parse(value.to_owned()).map_err(ParseError::custom)
    }
}

impl<const MIN: usize, const MAX: usize> ToJSON for Text<MIN, MAX> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.as_str().to_owned()))
    }
}

/// An alias's name in a path, described in the spec by its pattern.
pub struct AliasSegment(pub String);

impl Type for AliasSegment {
    single_value_type!();

    fn name() -> Cow<'static, str> {
        "string(alias)".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new("string");
        schema.pattern = Some(domain::AliasName::PATTERN.to_owned());
        schema.max_length = Some(63);
        MetaSchemaRef::Inline(Box::new(schema))
    }
}

/// Any text: the handler's `AliasName::parse` refuses a bad name in the
/// contract's words, naming the field, where poem would name `param1`.
impl ParseFromParameter for AliasSegment {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Ok(AliasSegment(value.to_owned()))
    }
}

/// A value that is always present in a response, `null` when absent.
/// (`Option<T>` would describe an optional property instead.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nullable<T>(pub Option<T>);

impl<T: Type> Type for Nullable<T> {
    const IS_REQUIRED: bool = true;
    type RawValueType = T::RawValueType;
    type RawElementValueType = T::RawElementValueType;

    fn name() -> Cow<'static, str> {
        format!("nullable_{}", T::name()).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        match T::schema_ref() {
            MetaSchemaRef::Inline(mut schema) => {
                schema.nullable = true;
                MetaSchemaRef::Inline(schema)
            }
            reference => {
                let mut schema = MetaSchema::ANY;
                schema.all_of = vec![reference];
                schema.nullable = true;
                MetaSchemaRef::Inline(Box::new(schema))
            }
        }
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        T::register(registry);
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        self.0.as_ref().and_then(Type::as_raw_value)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        match &self.0 {
            Some(value) => value.raw_element_iter(),
            None => Box::new(std::iter::empty()),
        }
    }
}

impl<T: ParseFromJSON> ParseFromJSON for Nullable<T> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            None | Some(Value::Null) => Ok(Nullable(None)),
            value => T::parse_from_json(value)
                .map(|v| Nullable(Some(v)))
                .map_err(ParseError::propagate),
        }
    }
}

impl<T: ToJSON> ToJSON for Nullable<T> {
    fn to_json(&self) -> Option<Value> {
        Some(
            self.0
                .as_ref()
                .and_then(ToJSON::to_json)
                .unwrap_or(Value::Null),
        )
    }
}

/// The schema of a `first:rest` filter parameter, its shape as its format.
fn filter_schema(format: &'static str) -> MetaSchemaRef {
    let mut schema = MetaSchema::new_with_format("string", format);
    schema.max_length = Some(LabelFilter::MAX_CHARS);
    MetaSchemaRef::Inline(Box::new(schema))
}

macro_rules! filter_type {
    ($ty:ident, $name:literal, $format:literal) => {
        impl Type for $ty {
            single_value_type!();

            fn name() -> Cow<'static, str> {
                $name.into()
            }

            fn schema_ref() -> MetaSchemaRef {
                filter_schema($format)
            }
        }

        impl ParseFromParameter for $ty {
            fn parse_from_parameter(text: &str) -> ParseResult<Self> {
                $ty::parse(text).map_err(ParseError::custom)
            }
        }
    };
}

filter_type!(LabelFilter, "label_filter", "key:value");
filter_type!(TagFilter, "tag_filter", "array:value");

/// A model's tags: always all four arrays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Object)]
#[oai(rename = "Tags")]
pub struct TagsBody {
    pub frameworks: Vec<Text>,
    pub architectures: Vec<Text>,
    pub tasks: Vec<Text>,
    pub subjects: Vec<Text>,
}

/// Tags as a request gives them: a missing array is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Object)]
pub struct TagsInput {
    #[oai(default)]
    pub frameworks: Vec<Text>,
    #[oai(default)]
    pub architectures: Vec<Text>,
    #[oai(default)]
    pub tasks: Vec<Text>,
    #[oai(default)]
    pub subjects: Vec<Text>,
}

impl From<domain::Tags> for TagsBody {
    fn from(tags: domain::Tags) -> Self {
        let domain::Tags {
            frameworks,
            architectures,
            tasks,
            subjects,
        } = tags;
        TagsBody {
            frameworks,
            architectures,
            tasks,
            subjects,
        }
    }
}

impl From<TagsInput> for domain::Tags {
    fn from(tags: TagsInput) -> Self {
        let TagsInput {
            frameworks,
            architectures,
            tasks,
            subjects,
        } = tags;
        domain::Tags {
            frameworks,
            architectures,
            tasks,
            subjects,
        }
    }
}

// ---------------------------------------------------------------- responses

/// A registered model, with its counts and its latest and default versions.
#[derive(Debug, Object)]
pub struct RegisteredModel {
    pub id: Uuid,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub project_id: Uuid,
    pub owner_id: Nullable<Uuid>,
    /// Email of `owner_id`; `""` when unknown.
    pub owner_email: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub region_id: Uuid,
    /// Name of `region_id`; `""` when unknown.
    pub region_name: String,
    pub model_type: String,
    pub model_size: i64,
    pub state: State,
    pub deployment_status: DeploymentStatus,
    pub tags: TagsBody,
    pub labels: Labels,
    pub parent_model_id: Nullable<Uuid>,
    /// Versions of this model, artifacts included.
    pub version_count: i64,
    /// The newest version by `created_at`; absent when there is none.
    #[oai(skip_serializing_if_is_none)]
    pub latest_version: Option<ModelVersion>,
    /// The version with `is_default`; absent when there is none.
    #[oai(skip_serializing_if_is_none)]
    pub default_version: Option<ModelVersion>,
}

/// A version of a registered model. `access_key` and `secret_key` are never
/// shown.
#[derive(Debug, Object)]
pub struct ModelVersion {
    pub id: Uuid,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub registered_model_id: Uuid,
    pub name: String,
    pub description: String,
    pub is_default: bool,
    pub state: State,
    pub status: VersionStatus,
    pub created_by_id: Nullable<Uuid>,
    pub updated_by_id: Nullable<Uuid>,
    pub created_by_email: String,
    pub updated_by_email: String,
    pub artifact_type: String,
    pub model_framework: String,
    pub model_framework_version: String,
    pub container_image: String,
    pub model_catalog_name: String,
    pub uri: String,
    pub labels: Labels,
    pub prebuilt_container_id: Nullable<Uuid>,
    /// The names of the aliases that name this version, sorted.
    pub aliases: Vec<String>,
}

/// An artifact: a version seen through a narrower window.
#[derive(Debug, Object)]
pub struct ModelArtifact {
    pub id: Uuid,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub registered_model_id: Uuid,
    pub name: String,
    pub description: String,
    pub artifact_type: String,
    pub model_framework: String,
    pub model_framework_version: String,
    pub container_image: String,
    pub uri: String,
    pub labels: Labels,
    pub prebuilt_container_id: Nullable<Uuid>,
}

impl From<domain::Model> for RegisteredModel {
    fn from(m: domain::Model) -> Self {
        RegisteredModel {
            id: m.id,
            created_at: Timestamp(m.created_at),
            updated_at: Timestamp(m.updated_at),
            project_id: m.project_id,
            owner_id: Nullable(m.owner_id),
            owner_email: m.owner_email,
            name: m.name,
            slug: m.slug,
            description: m.description,
            region_id: m.region_id,
            region_name: m.region_name,
            model_type: m.model_type,
            model_size: m.model_size,
            state: m.state,
            deployment_status: m.deployment_status,
            tags: m.tags.into(),
            labels: m.labels,
            parent_model_id: Nullable(m.parent_model_id),
            version_count: m.version_count,
            latest_version: m.latest_version.map(Into::into),
            default_version: m.default_version.map(Into::into),
        }
    }
}

impl From<domain::Version> for ModelVersion {
    fn from(v: domain::Version) -> Self {
        ModelVersion {
            id: v.id,
            created_at: Timestamp(v.created_at),
            updated_at: Timestamp(v.updated_at),
            registered_model_id: v.registered_model_id,
            name: v.name,
            description: v.description,
            is_default: v.is_default,
            state: v.state,
            status: v.status,
            created_by_id: Nullable(v.created_by_id),
            updated_by_id: Nullable(v.updated_by_id),
            created_by_email: v.created_by_email,
            updated_by_email: v.updated_by_email,
            artifact_type: v.artifact_type,
            model_framework: v.model_framework,
            model_framework_version: v.model_framework_version,
            container_image: v.container_image,
            model_catalog_name: v.model_catalog_name,
            uri: v.uri,
            labels: v.labels,
            prebuilt_container_id: Nullable(v.prebuilt_container_id),
            aliases: v.aliases,
        }
    }
}

impl From<domain::Version> for ModelArtifact {
    fn from(v: domain::Version) -> Self {
        ModelArtifact {
            id: v.id,
            created_at: Timestamp(v.created_at),
            updated_at: Timestamp(v.updated_at),
            registered_model_id: v.registered_model_id,
            name: v.name,
            description: v.description,
            artifact_type: v.artifact_type,
            model_framework: v.model_framework,
            model_framework_version: v.model_framework_version,
            container_image: v.container_image,
            uri: v.uri,
            labels: v.labels,
            prebuilt_container_id: Nullable(v.prebuilt_container_id),
        }
    }
}

/// Declares a list envelope: `items`, `total` (all matches of the filters),
/// `page_size` (the limit applied) and `next_offset` (offset + items), made
/// from the registry's page of `$record`s.
macro_rules! list_type {
    ($(#[$meta:meta])* $name:ident of $item:ty, from $record:ty) => {
        $(#[$meta])*
        #[derive(Debug, Object)]
        pub struct $name {
            pub items: Vec<$item>,
            pub total: i64,
            pub page_size: i64,
            pub next_offset: i64,
            /// Continues the list after this page's last item (pass it as
            /// `page_token`, with the same sort and filters); absent on the
            /// last page.
            #[oai(skip_serializing_if_is_none)]
            pub next_page_token: Option<String>,
        }

        impl From<Page<$record>> for $name {
            fn from(page: Page<$record>) -> Self {
                let next_offset = page.bounds.next_offset(page.items.len());
                $name {
                    items: page.items.into_iter().map(Into::into).collect(),
                    total: saturating_i64(page.total),
                    page_size: saturating_i64(page.bounds.limit),
                    next_offset: saturating_i64(next_offset),
                    next_page_token: page.next_page_token,
                }
            }
        }
    };
}

fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

list_type!(
    /// A page of registered models.
    RegisteredModelList of RegisteredModel, from domain::Model
);
list_type!(
    /// A page of model versions.
    ModelVersionList of ModelVersion, from domain::Version
);
list_type!(
    /// A page of model artifacts.
    ModelArtifactList of ModelArtifact, from domain::Version
);

/// One change, as the event feed answers it.
#[derive(Debug, Object)]
#[oai(rename = "Event")]
pub struct ChangeEvent {
    /// This event's cursor: `after` it, a reader gets what follows it.
    pub id: String,
    #[oai(rename = "type")]
    pub event_type: EventType,
    pub project_id: Uuid,
    pub model_id: Uuid,
    /// The version of a `version.*` event; `null` for a model's.
    pub version_id: Nullable<Uuid>,
    pub occurred_at: Timestamp,
    /// The `X-Request-ID` of the request that made the change.
    pub request_id: String,
    /// The resource as the API answered it after the change (for a delete,
    /// as it was): a RegisteredModel or a ModelVersion.
    pub data: Value,
    /// For `*.updated`, the fields that changed (`updated_at` aside); else
    /// `null`.
    pub changes: Nullable<BTreeMap<String, FieldChange>>,
}

/// One field's change in an update.
#[derive(Debug, Object)]
pub struct FieldChange {
    /// The value before the change.
    pub from: Value,
    /// The value after it.
    pub to: Value,
}

impl ChangeEvent {
    pub fn new(event: domain::Event, project: Uuid) -> Self {
        let domain::Event { position, event } = event;
        ChangeEvent {
            id: position.cursor(project),
            event_type: event.event_type,
            project_id: event.project_id,
            model_id: event.model_id,
            version_id: Nullable(event.version_id),
            occurred_at: Timestamp(event.occurred_at),
            request_id: event.request_id,
            data: event.data,
            changes: Nullable(event.changes.map(|changes| {
                let Value::Object(fields) = changes else {
                    return BTreeMap::new();
                };
                fields
                    .into_iter()
                    .map(|(field, mut change)| {
                        let from = change.get_mut("from").map(Value::take).unwrap_or_default();
                        let to = change.get_mut("to").map(Value::take).unwrap_or_default();
                        (field, FieldChange { from, to })
                    })
                    .collect()
            })),
        }
    }
}

/// A page of the event feed.
#[derive(Debug, Object)]
pub struct EventList {
    /// Oldest first.
    pub events: Vec<ChangeEvent>,
    /// Where to continue: `after` this. Equal to `after` when nothing new
    /// came.
    pub next_cursor: String,
}

/// A name for one version of a model, moved atomically.
#[derive(Debug, Object)]
#[oai(rename = "Alias")]
pub struct AliasBody {
    #[oai(validator(pattern = "^[a-z][a-z0-9_-]{0,62}$"))]
    pub alias: String,
    pub model_id: Uuid,
    /// The version it names.
    pub version_id: Uuid,
    /// When it was last made or moved.
    pub updated_at: Timestamp,
}

impl From<domain::Alias> for AliasBody {
    fn from(a: domain::Alias) -> Self {
        AliasBody {
            alias: a.name,
            model_id: a.model_id,
            version_id: a.version_id,
            updated_at: Timestamp(a.updated_at),
        }
    }
}

/// An alias, with the version it names, whole.
#[derive(Debug, Object)]
pub struct AliasWithVersion {
    #[oai(validator(pattern = "^[a-z][a-z0-9_-]{0,62}$"))]
    pub alias: String,
    pub model_id: Uuid,
    pub version_id: Uuid,
    pub updated_at: Timestamp,
    pub version: ModelVersion,
}

impl From<domain::AliasedVersion> for AliasWithVersion {
    fn from(found: domain::AliasedVersion) -> Self {
        let alias = AliasBody::from(found.alias);
        AliasWithVersion {
            alias: alias.alias,
            model_id: alias.model_id,
            version_id: alias.version_id,
            updated_at: alias.updated_at,
            version: found.version.into(),
        }
    }
}

/// A model's aliases, sorted by name.
#[derive(Debug, Object)]
pub struct AliasList {
    pub aliases: Vec<AliasBody>,
}

/// The version an alias is to name.
#[derive(Debug, Object)]
pub struct SetAlias {
    pub version_id: Uuid,
}

/// A receiver of the project's change feed.
#[derive(Debug, Object)]
#[oai(rename = "Webhook")]
pub struct WebhookBody {
    pub id: Uuid,
    pub url: String,
    /// The event types it receives.
    pub event_types: Vec<EventType>,
    pub description: String,
    /// Disabled by its owner, or by the service after 100 deliveries in a
    /// row failed.
    pub enabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl From<domain::Webhook> for WebhookBody {
    fn from(w: domain::Webhook) -> Self {
        WebhookBody {
            id: w.id,
            url: w.url,
            event_types: w.event_types,
            description: w.description,
            enabled: w.enabled,
            created_at: Timestamp(w.created_at),
            updated_at: Timestamp(w.updated_at),
        }
    }
}

/// A new webhook, with its secret: the one answer that shows it.
#[derive(Debug, Object)]
pub struct WebhookWithSecret {
    pub id: Uuid,
    pub url: String,
    pub event_types: Vec<EventType>,
    pub description: String,
    pub enabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// `whsec_` and the key in base64: deliveries are signed with it.
    pub secret: String,
}

impl WebhookWithSecret {
    pub fn new(webhook: domain::Webhook, secret: String) -> Self {
        let w = WebhookBody::from(webhook);
        WebhookWithSecret {
            id: w.id,
            url: w.url,
            event_types: w.event_types,
            description: w.description,
            enabled: w.enabled,
            created_at: w.created_at,
            updated_at: w.updated_at,
            secret,
        }
    }
}

/// The project's webhooks, newest first.
#[derive(Debug, Object)]
pub struct WebhookList {
    pub webhooks: Vec<WebhookBody>,
}

#[derive(Debug, Object)]
pub struct CreateWebhook {
    #[oai(validator(max_length = 2048))]
    pub url: String,
    /// Omitted: every type.
    #[oai(validator(min_items = 1, max_items = 8))]
    pub event_types: Option<Vec<EventType>>,
    pub description: Option<Text<0, 500>>,
}

#[derive(Debug, Object)]
pub struct UpdateWebhook {
    #[oai(validator(max_length = 2048))]
    pub url: Option<String>,
    #[oai(validator(min_items = 1, max_items = 8))]
    pub event_types: Option<Vec<EventType>>,
    pub description: Option<Text<0, 500>>,
    /// `true` also forgets the failures that disabled it.
    pub enabled: Option<bool>,
}

/// One event's delivery to a webhook, and what its attempts did.
#[derive(Debug, Object)]
#[oai(rename = "Delivery")]
pub struct DeliveryBody {
    pub id: Uuid,
    /// The event's id: the `webhook-id` header of every attempt.
    pub event_id: String,
    pub event_type: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// The last attempt's HTTP status; null when it got none.
    pub response_status: Nullable<i32>,
    /// Why the last attempt failed.
    pub error: Nullable<String>,
    pub duration_ms: Nullable<i32>,
    pub created_at: Timestamp,
    /// When it is attempted next; null when no attempt is to come.
    pub next_attempt_at: Nullable<Timestamp>,
}

impl From<domain::Delivery> for DeliveryBody {
    fn from(d: domain::Delivery) -> Self {
        let pending = d.status == DeliveryStatus::Pending;
        DeliveryBody {
            id: d.id,
            event_id: d.event_id,
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            response_status: Nullable(d.response_status),
            error: Nullable(d.error),
            duration_ms: Nullable(d.duration_ms),
            created_at: Timestamp(d.created_at),
            next_attempt_at: Nullable(d.next_attempt_at.filter(|_| pending).map(Timestamp)),
        }
    }
}

/// A page of a webhook's deliveries, newest first.
#[derive(Debug, Object)]
pub struct DeliveryList {
    pub deliveries: Vec<DeliveryBody>,
    /// Continues after this page; null on the last.
    pub next_page_token: Nullable<String>,
}

/// `202 Accepted`: a delivery, to be attempted in the background.
#[derive(ApiResponse)]
pub enum Accepted {
    /// The delivery, pending.
    #[oai(status = 202)]
    Accepted(Json<DeliveryBody>),
}

/// `{"status": "deleted"}`
#[derive(Debug, Object)]
pub struct DeleteStatus {
    pub status: String,
}

impl DeleteStatus {
    pub fn deleted() -> Self {
        DeleteStatus {
            status: "deleted".into(),
        }
    }
}

// ----------------------------------------------------------------- requests

#[derive(Debug, Object)]
pub struct CreateModel {
    pub name: Name,
    pub region_id: Uuid,
    pub description: Option<Text>,
    /// Default `CUSTOMTRAIN`.
    pub model_type: Option<Text<1, 50>>,
    pub tags: Option<TagsInput>,
    pub labels: Option<Labels>,
    /// Must be a model of the same project.
    pub parent_model_id: Option<Uuid>,
}

/// Every field is optional; an absent or null one is left as it is.
#[derive(Debug, Default, Object)]
pub struct UpdateModel {
    pub name: Option<Name>,
    pub description: Option<Text>,
    pub model_type: Option<Text<1, 50>>,
    #[oai(validator(minimum(value = "0")))]
    pub model_size: Option<i64>,
    pub state: Option<State>,
    pub deployment_status: Option<DeploymentStatus>,
    /// Replaces all four arrays; a missing one becomes `[]`.
    pub tags: Option<TagsInput>,
    /// Replaces the whole map.
    pub labels: Option<Labels>,
}

#[derive(Debug, Object)]
pub struct CreateVersion {
    pub name: Name,
    pub model_framework: Text<1, 100>,
    pub model_framework_version: Text<1, 50>,
    pub uri: Text<1, 500>,
    pub description: Option<Text>,
    /// Makes this the model's one default version.
    pub is_default: Option<bool>,
    /// Default `model-artifact`.
    pub artifact_type: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    pub model_catalog_name: Option<Text<0, 200>>,
    /// Write-only.
    pub access_key: Option<Text<0, 500>>,
    /// Write-only.
    pub secret_key: Option<Text<0, 500>>,
    pub labels: Option<Labels>,
    pub prebuilt_container_id: Option<Uuid>,
}

/// Every field is optional; an absent or null one is left as it is.
#[derive(Debug, Default, Object)]
pub struct UpdateVersion {
    pub name: Option<Name>,
    pub description: Option<Text>,
    /// `true` makes this the model's one default version.
    pub is_default: Option<bool>,
    pub state: Option<State>,
    pub status: Option<VersionStatus>,
    pub artifact_type: Option<Text<1, 50>>,
    pub model_framework: Option<Text<1, 100>>,
    pub model_framework_version: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    pub uri: Option<Text<1, 500>>,
    /// Replaces the whole map.
    pub labels: Option<Labels>,
}

#[derive(Debug, Object)]
pub struct CreateArtifact {
    pub registered_model_id: Uuid,
    pub name: Name,
    pub model_framework: Text<1, 100>,
    pub model_framework_version: Text<1, 50>,
    pub uri: Text<1, 500>,
    pub description: Option<Text>,
    /// Default `model-artifact`.
    pub artifact_type: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    /// Write-only.
    pub access_key: Option<Text<0, 500>>,
    /// Write-only.
    pub secret_key: Option<Text<0, 500>>,
    pub labels: Option<Labels>,
    pub prebuilt_container_id: Option<Uuid>,
}

/// Every field is optional; an absent or null one is left as it is.
#[derive(Debug, Object)]
pub struct UpdateArtifact {
    pub name: Option<Name>,
    pub description: Option<Text>,
    pub artifact_type: Option<Text<1, 50>>,
    pub model_framework: Option<Text<1, 100>>,
    pub model_framework_version: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    pub uri: Option<Text<1, 500>>,
    /// Replaces the whole map.
    pub labels: Option<Labels>,
}

impl From<CreateModel> for domain::NewModel {
    fn from(request: CreateModel) -> Self {
        domain::NewModel {
            name: request.name,
            region_id: request.region_id,
            description: request.description,
            model_type: request.model_type,
            tags: request.tags.map(Into::into),
            labels: request.labels,
            parent_model_id: request.parent_model_id,
        }
    }
}

impl From<UpdateModel> for domain::ModelChanges {
    fn from(request: UpdateModel) -> Self {
        domain::ModelChanges {
            name: request.name,
            description: request.description,
            model_type: request.model_type,
            model_size: request.model_size,
            state: request.state,
            deployment_status: request.deployment_status,
            tags: request.tags.map(Into::into),
            labels: request.labels,
        }
    }
}

impl From<CreateVersion> for domain::NewVersion {
    fn from(request: CreateVersion) -> Self {
        domain::NewVersion {
            name: request.name,
            model_framework: request.model_framework,
            model_framework_version: request.model_framework_version,
            uri: request.uri,
            description: request.description,
            is_default: request.is_default.unwrap_or(false),
            artifact_type: request.artifact_type,
            container_image: request.container_image,
            model_catalog_name: request.model_catalog_name,
            access_key: request.access_key,
            secret_key: request.secret_key,
            labels: request.labels,
            prebuilt_container_id: request.prebuilt_container_id,
        }
    }
}

impl From<UpdateVersion> for domain::VersionChanges {
    fn from(request: UpdateVersion) -> Self {
        domain::VersionChanges {
            name: request.name,
            description: request.description,
            is_default: request.is_default,
            state: request.state,
            status: request.status,
            artifact_type: request.artifact_type,
            model_framework: request.model_framework,
            model_framework_version: request.model_framework_version,
            container_image: request.container_image,
            uri: request.uri,
            labels: request.labels,
        }
    }
}

/// An artifact is a version that is never the default and has no catalog
/// name.
impl From<CreateArtifact> for domain::NewVersion {
    fn from(request: CreateArtifact) -> Self {
        domain::NewVersion {
            name: request.name,
            model_framework: request.model_framework,
            model_framework_version: request.model_framework_version,
            uri: request.uri,
            description: request.description,
            is_default: false,
            artifact_type: request.artifact_type,
            container_image: request.container_image,
            model_catalog_name: None,
            access_key: request.access_key,
            secret_key: request.secret_key,
            labels: request.labels,
            prebuilt_container_id: request.prebuilt_container_id,
        }
    }
}

impl From<UpdateArtifact> for domain::VersionChanges {
    fn from(request: UpdateArtifact) -> Self {
        domain::VersionChanges {
            name: request.name,
            description: request.description,
            artifact_type: request.artifact_type,
            model_framework: request.model_framework,
            model_framework_version: request.model_framework_version,
            container_image: request.container_image,
            uri: request.uri,
            labels: request.labels,
            ..domain::VersionChanges::default()
        }
    }
}

/// How the API shows models and versions, given to the registry so that an
/// event's `data` is what a GET answers (`registry::WireForm`).
pub struct WireJson;

impl crate::registry::WireForm for WireJson {
    fn model(&self, model: &domain::Model) -> serde_json::Value {
        RegisteredModel::from(model.clone())
            .to_json()
            .unwrap_or_default()
    }

    fn version(&self, version: &domain::Version) -> serde_json::Value {
        ModelVersion::from(version.clone())
            .to_json()
            .unwrap_or_default()
    }

    fn alias(&self, alias: &domain::Alias) -> serde_json::Value {
        AliasBody::from(alias.clone()).to_json().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_written_in_utc_with_a_z() {
        let t: DateTime<Utc> = "2026-02-10T04:02:51.5+00:00".parse().unwrap();
        assert_eq!(
            Timestamp(t).to_json(),
            Some(Value::String("2026-02-10T04:02:51.500Z".into()))
        );
    }
}
